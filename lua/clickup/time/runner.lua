--- clickup.time.runner: one call, with the rate budget, the retry policy
-- and reconciliation, over an "io" that says how to send and how to wait.
--
-- The same code serves both modes: the blocking io sends with the core's
-- blocking method and sleeps; the async io, inside a coroutine that the
-- scheduler (clickup.time.scheduler) drives, starts the request and
-- yields until its answer, and yields its waits as timers. Waits are thus
-- scheduled, never slept, in non-blocking mode.

local core = require "clickup.time.core"
local budget = require "clickup.time.budget"
local lazy = require "clickup.time.lazy"
local policy = lazy "clickup.time.policy"            -- after a failure
local reconcile = lazy "clickup.time.reconcile"      -- after an unknown outcome
local anomalies = lazy "clickup.time.anomalies"      -- for an answer that had some
local tagging = require "clickup.time.tagging"

local getmetatable, select, yield = getmetatable, select, coroutine.yield
local unpack = table.unpack or unpack
local ceil = math.ceil
local now_ms = core.now_ms

local M = {}

local BACKOFF_CAP = 30          -- seconds: the longest backoff between two attempts

--- What an answer's headers said goes to the shared budget and the client.
function M.note(client)
  local limit, remaining, reset, _, date = client._core:meta()
  budget.update(client._budget, now_ms(), limit, remaining, reset, date)
  if limit or remaining or reset then
    local rate = client._rate                       -- kept, not remade: this runs per request
    if not rate then
      rate = {}
      client._rate = rate
    end
    rate.limit, rate.remaining, rate.reset = limit, remaining, reset
  end
end

--- The blocking io: the core's blocking method, and a real sleep. Both
-- ios return what the core does: the result, or nil and an error, or the
-- result, nil and the answer's anomalies.
M.blocking = {
  send = function(client, ep, n, args)
    local r, err, a = ep.call(client._core, unpack(args, 1, n))
    M.note(client)
    if client._after_blocking then client._after_blocking() end
    return r, err, a
  end,
  sleep = function(client, seconds)
    if seconds > 0 then client._sleep(seconds) end
  end,
}

--- The async io: start the request, then yield to the scheduler until it
-- resumes us with the answer (it notes the headers first).
M.async = {
  send = function(client, ep, n, args)
    budget.spend(client._budget)            -- concurrent requests see it at once
    local id = ep.send(client._core, unpack(args, 1, n))
    return yield("request", id)
  end,
  sleep = function(_, seconds)
    if seconds > 0 then yield("sleep", seconds) end
  end,
}

local function observe(client, info)
  if client._on_retry then client._on_retry(info) end
end

local function pause(client, io, info)
  observe(client, info)
  io.sleep(client, info.delay)
end

-- The error for a request that was not sent: the budget is spent for longer than max_wait.
local function not_sent(ep, wait_ms)
  local secs = ceil(wait_ms / 1000)
  return core.error("api", "APP_002", "rate limit reached: the budget of this token is spent for "
                    .. secs .. " s more, longer than max_wait; nothing was sent",
                    { status = 429, retry_after = secs, sent = false, method = ep.method })
end

local run

-- After a POST whose outcome is unknown: read what ClickUp holds. Returns
-- the state, the result, and the anomalies of the reads.
local function settle(client, io, ep, n, args, t0)
  local b, seen = client._budget, nil
  local ctx = {
    t0 = t0,
    skew = b.offset and 2000 or 300000,     -- the server's clock is known to a second, or not
    now = function() return budget.server_ms(b, now_ms()) end,
    get = function(name, ...)
      local r, err, a = run(client, io, M.endpoints[name], select("#", ...), { ... })
      seen = anomalies.merge(seen, a)
      return r, err
    end,
  }
  local state, res = reconcile[ep.name](ctx, unpack(args, 1, n))
  return state, res, seen
end

--- Run a request: bounded by `retries` attempts after the first (waits for
-- 429s and backoffs count), and at most one resend after a reconciliation
-- that shows the first attempt had no effect. Returns what the method
-- returns: the result, or nil and an error; then the anomalies of the
-- answers it rests on, if any (also added to the collecting call's).
function run(client, io, ep, n, args)
  local b, attempt, resent = client._budget, 0, false
  while true do
    local now = now_ms()
    local wait = budget.wait_ms(b, now)
    if wait > 0 then                      -- do not spend a request on a 429
      if wait > client._max_wait * 1000 then return nil, not_sent(ep, wait) end
      pause(client, io, { name = ep.name, method = ep.method, attempt = attempt + 1,
                          reason = "rate_limit", delay = wait / 1000 })
      budget.refresh(b)
      now = now_ms()
    end
    attempt = attempt + 1
    local t0 = budget.server_ms(b, now)
    local r, err, a = io.send(client, ep, n, args)
    if r ~= nil then
      if a then anomalies.collect(client, a) end
      return r, nil, a
    end
    if getmetatable(err) ~= core.Error then return r, err end
    local action = policy.classify(ep.method, err)
    local info = { name = ep.name, method = ep.method, attempt = attempt + 1,
                   reason = policy.reason(err), error = err, delay = 0 }
    if action == "reconcile" then
      info.reason = "reconcile"
      observe(client, info)
      local state, res, seen = settle(client, io, ep, n, args, t0)
      if state == "done" then return res, nil, seen end
      err.outcome = state                 -- "none": it did not happen; "unknown"
      if state ~= "none" or resent then return nil, err end
      resent = true
      observe(client, { name = ep.name, method = ep.method, attempt = attempt + 1,
                        reason = "resend", error = err, delay = 0 })
    elseif action == "fail" or attempt > client._retries then
      return nil, err
    elseif action == "rate" then
      info.delay = err.retry_after and budget.retry_ms(err.retry_after) / 1000
                   or policy.backoff(attempt, client._backoff, BACKOFF_CAP)
      if info.delay > client._max_wait then return nil, err end
      pause(client, io, info)
      budget.refresh(b)
    else
      info.delay = policy.backoff(attempt, client._backoff, BACKOFF_CAP)
      pause(client, io, info)
    end
  end
end

M.run = run

--- name -> endpoint row, filled by clickup.time
M.endpoints = {}

--- A method call: the request of its row, or the few that an operation
-- ClickUp's API does not do in one takes (clickup.time.tagging).
function M.call(client, io, ep, n, args)
  local compose = tagging[ep.name]
  if compose then return compose(run, M.endpoints, client, io, n, args) end
  return run(client, io, ep, n, args)
end

return M
