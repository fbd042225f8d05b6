--- clickup.time: ClickUp's Time Tracking API from Lua.
--
-- The public module. It wraps the C core (`clickup.time.core`, which does
-- the HTTP and the JSON mapping of every endpoint) with the defaults users
-- expect: the token, workspace and base URL from the environment, a client
-- object whose methods are the core's endpoint rows, and the methods of
-- entries and errors.
--
--     local clickup = require "clickup.time"
--     local client = clickup.new{ token = "pk_...", team_id = "9012345" }
--     local entries, err = client:entries{ start_date = ..., end_date = ... }

local core = require "clickup.time.core"
local budget = require "clickup.time.budget"
local policy = require "clickup.time.policy"
local reconcile = require "clickup.time.reconcile"

local error, getmetatable, setmetatable, pcall = error, getmetatable, setmetatable, pcall
local pairs, ipairs, type, tostring, select = pairs, ipairs, type, tostring, select
local unpack = table.unpack or unpack

local M = {
  VERSION = "0.1.0",
  _VERSION = "clickup-time 0.1.0",
  _DESCRIPTION = "ClickUp Time Tracking API client (libcurl + lua-cjson)",
  _LICENSE = "MIT",
  DEFAULT_BASE_URL = "https://api.clickup.com/api/v2",
  core = core,
  endpoints = core.endpoints,
  Entry = core.Entry,
  Error = core.Error,
  now_ms = core.now_ms,
  getenv = os.getenv,             -- where defaults come from; replaceable in tests
}

local Client = {}
Client.__index = Client
M.Client = Client

local now_ms = core.now_ms
local is_error

-- options of the C core, passed through; the others are the Lua layer's
local CORE_OPTIONS = {
  token = true, team_id = true, base_url = true, timeout = true, connect_timeout = true,
  stall_timeout = true, max_response = true, ca_file = true, ca_path = true,
  allow_insecure_http = true,
}
local OPTIONS = { retries = true, backoff = true, max_wait = true, on_retry = true, sleep = true }
for k in pairs(CORE_OPTIONS) do OPTIONS[k] = true end

local BACKOFF_CAP = 30          -- seconds: the longest backoff between two attempts

local function nonempty(s)
  if s ~= nil and s ~= "" then return s end
  return nil
end

local function getenv(name)
  return nonempty(M.getenv(name))
end

local function option(opts, name, kind, default, ok)
  local v = opts[name]
  if v == nil then return default end
  if type(v) ~= kind or (ok and not ok(v)) then
    error("clickup.time.new: bad option '" .. name .. "' (" .. tostring(v) .. ")", 3)
  end
  return v
end

--- Make a client.
-- @tparam[opt] table opts see the README: token, team_id, base_url, timeouts,
-- limits, TLS, retries, backoff, max_wait, on_retry, sleep
-- @treturn Client
function M.new(opts)
  if opts == nil then opts = {} end
  if type(opts) ~= "table" then
    error("clickup.time.new: bad argument #1 (table of options expected, got " .. type(opts) .. ")", 2)
  end
  for k in pairs(opts) do
    if not OPTIONS[k] then
      error("clickup.time.new: unknown option '" .. tostring(k) .. "'", 2)
    end
  end
  local token = nonempty(opts.token) or getenv("CLICKUP_TOKEN")
  if token == nil then
    error("clickup.time.new: no token: pass token = \"pk_...\" or set CLICKUP_TOKEN", 2)
  end
  local settings = {}
  for k in pairs(CORE_OPTIONS) do settings[k] = opts[k] end
  settings.token = token
  settings.team_id = opts.team_id or getenv("CLICKUP_TEAM_ID")
  settings.base_url = opts.base_url or getenv("CLICKUP_BASE_URL") or M.DEFAULT_BASE_URL
  local self = {
    team_id = settings.team_id and tostring(settings.team_id),
    base_url = settings.base_url,
    _retries = option(opts, "retries", "number", 3,
                      function(v) return v >= 0 and v <= 10 and v == math.floor(v) end),
    _backoff = option(opts, "backoff", "number", 0.5, function(v) return v > 0 and v <= 60 end),
    _max_wait = option(opts, "max_wait", "number", 60, function(v) return v >= 0 end),
    _on_retry = option(opts, "on_retry", "function", nil),
    _sleep = option(opts, "sleep", "function", core.sleep),
    _budget = budget.of(token),
  }
  local ok, c = pcall(core.new, settings)
  if not ok then error(c, 2) end
  self._core = c
  return setmetatable(self, Client)
end

local function check_self(self, name)
  if getmetatable(self) ~= Client then
    error("clickup.time: " .. name .. ": call it as client:" .. name .. "(...)", 3)
  end
end


-- {====== sending, waiting, retrying, reconciling

local function observe(self, info)
  if self._on_retry then self._on_retry(info) end
end

local function pause(self, info)
  observe(self, info)
  if info.delay > 0 then self._sleep(info.delay) end
end

-- One request; what its answer's headers said goes to the shared budget.
local function send(self, ep, n, args)
  local r, err = ep.call(self._core, unpack(args, 1, n))
  local meta = self._core:meta()
  budget.update(self._budget, meta, now_ms())
  if meta.limit or meta.remaining or meta.reset then
    self._rate = { limit = meta.limit, remaining = meta.remaining, reset = meta.reset }
  end
  return r, err
end

-- The error for a request that was not sent: the budget is spent for longer than max_wait.
local function not_sent(ep, wait_ms)
  local secs = math.ceil(wait_ms / 1000)
  return core.error("api", "APP_002", "rate limit reached: the budget of this token is spent for "
                    .. secs .. " s more, longer than max_wait; nothing was sent",
                    { status = 429, retry_after = secs, sent = false, method = ep.method })
end

local run

-- After a POST whose outcome is unknown: read what ClickUp holds.
local function settle(self, ep, n, args, t0)
  local b = self._budget
  local ctx = {
    t0 = t0,
    skew = b.offset and 2000 or 300000,     -- the server's clock is known to a second, or not
    now = function() return budget.server_ms(b, now_ms()) end,
    get = function(name, ...) return run(self, M.endpoint[name], select("#", ...), { ... }) end,
  }
  return reconcile[ep.name](ctx, unpack(args, 1, n))
end

-- A call with the retry policy: bounded by `retries` attempts after the
-- first (waits for 429s and backoffs count), and at most one resend after
-- a reconciliation that shows the first attempt had no effect.
function run(self, ep, n, args)
  local b, attempt, resent = self._budget, 0, false
  while true do
    local wait = budget.wait_ms(b, now_ms())
    if wait > 0 then                      -- do not spend a request on a 429
      if wait > self._max_wait * 1000 then return nil, not_sent(ep, wait) end
      pause(self, { name = ep.name, method = ep.method, attempt = attempt + 1,
                    reason = "rate_limit", delay = wait / 1000 })
      budget.refresh(b)
    end
    attempt = attempt + 1
    local t0 = budget.server_ms(b, now_ms())
    local r, err = send(self, ep, n, args)
    if r ~= nil or not is_error(err) then return r, err end
    local action = policy.classify(ep.method, err)
    local info = { name = ep.name, method = ep.method, attempt = attempt + 1,
                   reason = policy.reason(err), error = err, delay = 0 }
    if action == "reconcile" then
      info.reason = "reconcile"
      observe(self, info)
      local state, res = settle(self, ep, n, args, t0)
      if state == "done" then return res end
      err.outcome = state                 -- "none": it did not happen; "unknown"
      if state ~= "none" or resent then return nil, err end
      resent = true
      observe(self, { name = ep.name, method = ep.method, attempt = attempt + 1,
                      reason = "resend", error = err, delay = 0 })
    elseif action == "fail" or attempt > self._retries then
      return nil, err
    elseif action == "rate" then
      info.delay = err.retry_after and budget.retry_ms(err.retry_after) / 1000
                   or policy.backoff(attempt, self._backoff, BACKOFF_CAP)
      if info.delay > self._max_wait then return nil, err end
      pause(self, info)
      budget.refresh(b)
    else
      info.delay = policy.backoff(attempt, self._backoff, BACKOFF_CAP)
      pause(self, info)
    end
  end
end

-- }======


-- One method per endpoint row of the core.
M.endpoint = {}
for _, ep in ipairs(core.endpoints) do
  local name = ep.name
  M.endpoint[name] = ep
  Client[name] = function(self, ...)
    check_self(self, name)
    return run(self, ep, select("#", ...), { ... })
  end
end

--- The x-ratelimit-* values last seen: {limit=, remaining=, reset=}, or nil.
function Client:rate_limit()
  check_self(self, "rate_limit")
  return self._rate
end

--- Release the client's connections. Idempotent.
function Client:close()
  check_self(self, "close")
  return self._core:close()
end

Client.__close = Client.close

function Client:__tostring()
  return "clickup.time client (workspace " .. tostring(self.team_id) .. ", " .. self.base_url .. ")"
end


-- Entries: plain tables that share this metatable.
local Entry = core.Entry

--- True while the entry's timer runs: it has no end yet (and a negative duration).
function Entry:is_running()
  return self["end"] == nil
end

--- Milliseconds tracked: live for a running timer (now - start).
-- @tparam[opt] integer now the current time in ms, default the clock
function Entry:elapsed(now)
  if self:is_running() then
    return (now or now_ms()) - self.start
  end
  return self.duration or (self["end"] - self.start)
end


--- True when x is an error returned by this library (optionally of a kind).
function is_error(x, kind)
  return getmetatable(x) == core.Error and (kind == nil or x.kind == kind)
end
M.is_error = is_error

M.error = core.error

return M
