--- clickup.time.scheduler: calls that do not block.
--
-- A method called with a function as its last argument returns a handle at
-- once. Its call runs as a coroutine (clickup.time.runner with the async
-- io) that yields when it waits for an answer or a timer; the scheduler
-- resumes it when the core says the answer is in, or when the timer is due.
-- The host moves things on with client:poll / client:wait, or attaches an
-- event loop (clickup.time.uv) that does so when there is work.
--
-- User callbacks never run inside libcurl: they run from poll, wait or the
-- loop, through client._schedule when one is set (vim.schedule in Neovim).
-- An error raised by a callback is raised again by poll or wait once the
-- bookkeeping is done; the client stays usable.
--
-- Each call's result carries its own anomalies (clickup.time.anomalies):
-- the callback gets them as a third argument, client:anomalies() is those of
-- the call whose callback runs (the last completed), and parallel returns
-- them per call. A task keeps the collecting call (client._collect) that
-- was running when it started: its requests, and the tasks its callbacks
-- start, add their anomalies there.

local core = require "clickup.time.core"
local runner = require "clickup.time.runner"
local anomalies = require("clickup.time.lazy")("clickup.time.anomalies")  -- for answers that had some

local coroutine, setmetatable, type, error, pcall, ipairs = coroutine, setmetatable, type, error, pcall, ipairs
local unpack = table.unpack or unpack
local tremove = table.remove
local max, min, ceil = math.max, math.min, math.ceil
local now_ms = core.now_ms

local M = {}

--- The scheduler's state on a client: client._sched = { waiting = {},
-- timers = {}, count = 0 } (made with the client, by clickup.time.client,
-- which loads this module only when a call needs it).

local Handle = {}
Handle.__index = Handle
M.Handle = Handle

local function kick(client)
  if client._driver then client._driver.kick() end
end

-- f(...) with client._collect set to `into`, then as it was (even when f raises)
local function within(client, into, f, ...)
  local outer = client._collect
  client._collect = into
  local ok, e = pcall(f, ...)
  client._collect = outer
  if not ok then error(e, 0) end
end
M.within = within

-- A user callback: the call is the last completed one.
local function user_cb(client, task, r, err, a)
  client._anomalies = a
  within(client, task.collect, task.cb, r, err, a)
end

-- The call is over: its callback gets what the blocking form would have
-- returned, and the call's anomalies.
local function deliver(client, task, r, err, a)
  local s = client._sched
  if task.done then return end
  task.done = true
  s.count = s.count - 1
  if task.internal then return within(client, task.collect, task.cb, r, err, a) end
  if client._schedule then
    client._schedule(function() user_cb(client, task, r, err, a) end)
    return
  end
  local ok, e = pcall(user_cb, client, task, r, err, a)
  if not ok and s.raise == nil then s.raise = e end
end

-- Resume the task's coroutine and file it by what it now waits for; it
-- runs in the collecting call it started in.
local function step(client, task, ...)
  local s = client._sched
  local outer = client._collect
  client._collect = task.collect
  local ok, what, arg, extra = coroutine.resume(task.co, ...)
  client._collect = outer
  if not ok then                                  -- a bug of ours: never swallowed
    task.done = true
    s.count = s.count - 1
    if s.raise == nil then s.raise = what end
  elseif coroutine.status(task.co) == "dead" then
    deliver(client, task, what, arg, extra)
  elseif what == "request" then
    task.id, task.timer = arg, nil
    s.waiting[arg] = task
    kick(client)
  else                                            -- "sleep"
    task.id = nil
    task.timer = { due = now_ms() + arg * 1000, task = task }
    s.timers[#s.timers + 1] = task.timer
    kick(client)
  end
end

local function raise_pending(s)
  local e = s.raise
  if e ~= nil then
    s.raise = nil
    error(e, 0)
  end
end

--- Start a call whose arguments are checked; returns its handle.
function M.start(client, ep, n, args, cb, internal)
  local task = { cb = cb, internal = internal, name = ep.name, method = ep.method, collect = client._collect }
  task.co = coroutine.create(function() return runner.call(client, runner.async, ep, n, args) end)
  client._sched.count = client._sched.count + 1
  step(client, task)
  return setmetatable({ _task = task, _client = client }, Handle)
end

--- Deliver the answers the core has, and the timers that are due.
function M.dispatch(client)
  local c, s = client._core, client._sched
  while true do
    local id, r, err, a = c:done()
    if id == nil then break end
    local task = s.waiting[id]
    if task then
      s.waiting[id] = nil
      runner.note(client)
      step(client, task, r, err, a)
    end
  end
  local now, timers, i = now_ms(), s.timers, 1
  while i <= #timers do
    local t = timers[i]
    if t.due <= now then
      tremove(timers, i)
      if not t.task.done then step(client, t.task) end
    else
      i = i + 1
    end
  end
end

--- When the next timer is due (ms), or nil.
function M.next_due(client)
  local due
  for _, t in ipairs(client._sched.timers) do
    if due == nil or t.due < due then due = t.due end
  end
  return due
end

--- Move everything forward, waiting at most timeout_ms; returns the calls still running.
function M.poll(client, timeout_ms)
  local s, c = client._sched, client._core
  M.dispatch(client)
  local wait = timeout_ms or 0
  local due = M.next_due(client)
  if due then wait = min(wait, max(0, due - now_ms())) end
  wait = ceil(wait)
  local in_flight = c:pending()
  if in_flight > 0 or due then
    if wait > 0 then c:wait(wait) else c:perform() end
  end
  M.dispatch(client)
  raise_pending(s)
  return s.count
end

--- Run until no call is running, or timeout_ms passed; returns the calls still running.
function M.wait(client, timeout_ms)
  local s = client._sched
  local deadline = timeout_ms and now_ms() + timeout_ms
  while s.count > 0 do
    local left = deadline and deadline - now_ms() or 1000
    if left <= 0 then break end
    M.poll(client, min(ceil(left), 1000))
  end
  raise_pending(s)
  return s.count
end

--- Abandon the call: its callback gets nil and an error with code "cancelled".
-- Returns false when the call was already over.
function Handle:cancel()
  local task, client = self._task, self._client
  if task.done then return false end
  local s = client._sched
  if task.id ~= nil and s.waiting[task.id] == task then
    s.waiting[task.id] = nil
    client._core:cancel(task.id)
  end
  for i, t in ipairs(s.timers) do
    if t.task == task then tremove(s.timers, i) break end
  end
  deliver(client, task, nil, core.error("transport", "cancelled", "the call was cancelled",
                                         { method = task.method }))
  raise_pending(s)
  return true
end

--- True once the callback has been called (or is scheduled).
function Handle:done()
  return self._task.done == true
end

local function check_calls(client, calls)
  if type(calls) ~= "table" then
    error("clickup.time: parallel: bad argument #1 (list of calls expected)", 3)
  end
  local list = {}
  for i = 1, #calls do
    local call = calls[i]
    local ep = type(call) == "table" and runner.endpoints[call[1]]
    if not ep then
      error("clickup.time: parallel: calls[" .. i .. "] must be {\"<method>\", args...}, a method of the client", 3)
    end
    local n = (call.n or #call) - 1
    local args = { unpack(call, 2, n + 1) }
    ep.check(client._core, unpack(args, 1, n))
    list[i] = { ep, n, args }
  end
  return list
end

--- Run calls concurrently; results, errors and anomalies are aligned with
-- calls (anomalies[i] only for a call whose answers had any). With a
-- callback, returns at once and calls callback(results, errors, anomalies).
-- on_each(i, result, err, anomalies), when given, hears of every call as it
-- ends. client:anomalies() is then those of all the calls.
function M.parallel(client, calls, max_concurrency, callback, on_each)
  if type(max_concurrency) == "function" then max_concurrency, callback = nil, max_concurrency end
  local keep = true
  if type(max_concurrency) == "table" then                 -- { concurrency =, each =, keep = }
    local o = max_concurrency
    if o.each ~= nil and type(o.each) ~= "function" then
      error("clickup.time: parallel: bad option 'each' (a function(i, result, err, anomalies))", 2)
    end
    if o.each and on_each then
      local inner, outer = on_each, o.each
      on_each = function(...) inner(...) outer(...) end
    else
      on_each = on_each or o.each
    end
    keep = o.keep ~= false
    if not keep and not o.each then
      error("clickup.time: parallel: keep = false needs each: the results go nowhere else", 2)
    end
    max_concurrency = o.concurrency
  end
  max_concurrency = max_concurrency or 8
  if type(max_concurrency) ~= "number" or max_concurrency < 1 then
    error("clickup.time: parallel: bad argument #2 (max_concurrency: a positive number)", 2)
  end
  local list = check_calls(client, calls)
  local n, results, errors, odd = #list, {}, {}, {}
  local running, next_i, finished = 0, 1, 0
  local over, any = false, false
  local collect = client._collect
  local function all()
    local union
    if any then
      for i = 1, n do union = anomalies.merge(union, odd[i]) end
    end
    return union
  end
  local function finish()
    if callback then
      deliver(client, { cb = function() callback(results, errors, odd) end, collect = collect }, nil, nil, all())
    end
  end
  local function launch()
    local limit = max_concurrency
    local remaining = client._budget.remaining
    if remaining then limit = max(1, min(limit, remaining)) end   -- never more than the budget allows
    while running < limit and next_i <= n do
      local i = next_i
      next_i, running = i + 1, running + 1
      local c = list[i]
      M.start(client, c[1], c[2], c[3], function(r, err, a)
        if keep then results[i] = r end                   -- not kept: the caller has it from each
        errors[i], odd[i] = err, a
        if a then any = true end
        if on_each then on_each(i, r, err, a) end
        running, finished = running - 1, finished + 1
        if finished == n then
          over = true
          finish()
        else
          launch()
        end
      end, true)
    end
  end
  if callback then client._sched.count = client._sched.count + 1 end   -- the group's own callback
  if n == 0 then
    over = true
    finish()
  else
    launch()
  end
  if callback then return end
  while not over do M.poll(client, 1000) end
  client._anomalies = all()
  return results, errors, odd
end

return M
