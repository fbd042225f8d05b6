--- clickup.time.client: the client layer over the C core, loaded into the
-- public module (clickup.time) the first time it is needed: the core (and
-- libcurl with it) is loaded then, not by `require "clickup.time"`.
--
-- It adds to the module: _new (what clickup.new makes), core, endpoints,
-- endpoint, Entry, Error, Client, now_ms, set_json, error; the Client's
-- methods (one per endpoint row of the core) and the methods of entries.

local function load_core()
  local ok, core = pcall(require, "clickup.time.core")
  if ok then return core end
  error(require("clickup.time.abi").explain(core), 0)
end

local M = require "clickup.time"          -- loaded already: it asks for this module
local core = load_core()
local budget = require "clickup.time.budget"
local runner = require "clickup.time.runner"
local lazy = require "clickup.time.lazy"
local forms = lazy "clickup.time.forms"           -- for a call given a table of parameters
local scheduler = lazy "clickup.time.scheduler"   -- for non-blocking calls, parallel, ranges
local fetch = lazy "clickup.time.fetch"           -- for client:entries
local anomalies = lazy "clickup.time.anomalies"   -- for answers that had some

local error, getmetatable, setmetatable, pcall = error, getmetatable, setmetatable, pcall
local pairs, ipairs, type, tostring, select = pairs, ipairs, type, tostring, select
local unpack = table.unpack or unpack

-- Without lua-cjson (a Neovim that lacks it), decode with vim.json. Outside
-- Neovim nothing asks: the core loads cjson the first time it needs it.
do
  local vim = rawget(_G, "vim")
  if type(vim) == "table" and vim.json and not core.has_json() then
    core.set_json{ decode = vim.json.decode, null = vim.NIL }
  end
end

rawset(M, "core", core)
rawset(M, "endpoints", core.endpoints)
rawset(M, "Entry", core.Entry)
rawset(M, "Error", core.Error)
rawset(M, "now_ms", core.now_ms)
rawset(M, "set_json", core.set_json)   -- set_json{ decode = f, null = v }: another JSON decoder

local Client = {}
Client.__index = Client
rawset(M, "Client", Client)

local now_ms = core.now_ms

-- options of the C core, passed through; the others are the Lua layer's
local CORE_OPTIONS = {
  token = true, team_id = true, base_url = true, timeout = true, connect_timeout = true,
  stall_timeout = true, max_response = true, ca_file = true, ca_path = true,
  allow_insecure_http = true, strict = true,
}
local OPTIONS = { retries = true, backoff = true, max_wait = true, on_retry = true, sleep = true }
for k in pairs(CORE_OPTIONS) do OPTIONS[k] = true end

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
-- limits, TLS, retries, backoff, max_wait, on_retry, sleep, strict
-- @treturn Client
function M._new(opts)
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
    _sched = { waiting = {}, timers = {}, count = 0 },   -- the scheduler's state
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


-- A handle for a call made of several requests (entries over a long range).
local Group = {}
Group.__index = Group
function Group:done() return self._over end
function Group:cancel()
  if self._over then return false end
  self._over = true
  self._callback(nil, core.error("transport", "cancelled", "the call was cancelled", { method = "GET" }))
  return true
end

-- entries with a range, no explicit ends, assignee = "all", or a window: clickup.time.fetch
local NONE = {}

-- A fetch is made of many requests: their anomalies gather in one table
-- (client._collect while its code runs; the scheduler keeps it per task),
-- and they are the call's when it completes.
local function entries_plus(self, ep, check, params, callback)
  local opts = params or NONE
  local p, period = fetch.ends(opts, now_ms())
  if not p then error("clickup.time: entries: " .. period, 3) end
  local function clip(r, err)                       -- a range: the entries overlapping it
    if r and period then r = fetch.overlapping(r, period) end
    return r, err
  end
  if not callback and fetch.single(p, opts) then    -- the common case: one request, as it is
    local r, err, a = runner.run(self, runner.blocking, ep, 1, { p })
    self._anomalies = a
    return clip(r, err)
  end
  check(self._core, p)                              -- a mistake raises here, at the caller
  local outer, into = self._collect, {}
  local function complete()
    self._anomalies = into.anomalies
    if outer then outer.anomalies = anomalies.merge(outer.anomalies, into.anomalies) end
  end
  if not callback then
    local result, err
    scheduler.within(self, into, fetch.run, self, p, opts, false, function(r, e) result, err = r, e end)
    complete()
    return clip(result, err)
  end
  local group = setmetatable({ _over = false, _callback = callback }, Group)
  scheduler.within(self, into, fetch.run, self, p, opts, true, function(r, e)
    if group._over then return end
    group._over = true
    complete()
    local r2, e2 = clip(r, e)
    scheduler.within(self, outer, callback, r2, e2, into.anomalies)
  end)
  return group
end

-- One method per endpoint row of the core: blocking, or with a callback
-- as the last argument, non-blocking (a handle is returned at once).
-- Times and durations may be written as people write them (forms.lua).
rawset(M, "endpoint", runner.endpoints)
for _, ep in ipairs(core.endpoints) do
  local name, check = ep.name, ep.check
  local opts_at = #ep.args + 1                      -- where the table of parameters goes
  M.endpoint[name] = ep
  Client[name] = function(self, ...)
    check_self(self, name)
    local n = select("#", ...)
    local args = { ... }
    local callback
    if n > 0 and type(args[n]) == "function" then
      callback = args[n]
      args[n] = nil
      n = n - 1
    end
    if type(args[opts_at]) == "table" then
      local t, why = forms.convert(ep, args[opts_at], now_ms())
      if not t then error("clickup.time: " .. name .. ": " .. why, 2) end
      args[opts_at] = t
    end
    if name == "entries" and n <= 1 and (args[1] == nil or fetch.wants(args[1])) then
      return entries_plus(self, ep, check, args[1], callback)
    end
    if callback then
      check(self._core, unpack(args, 1, n))         -- a mistake raises here, at the caller
      return scheduler.start(self, ep, n, args, callback)
    end
    local r, err, a = runner.call(self, runner.blocking, ep, n, args)
    self._anomalies = a
    return r, err
  end
end

--- The arguments of a call as the method would send them (human times
-- made milliseconds), checked: a mistake raises, naming the method and the
-- argument, at the caller's level. For layers that record a call before
-- making it (clickup.time.journal).
function Client:prepare(name, ...)
  check_self(self, "prepare")
  local ep = M.endpoint[name]
  if not ep then error("clickup.time: prepare: no method '" .. tostring(name) .. "'", 2) end
  local n = select("#", ...)
  local args = { ... }
  local opts_at = #ep.args + 1
  if type(args[opts_at]) == "table" then
    local t, why = forms.convert(ep, args[opts_at], now_ms())
    if not t then error("clickup.time: " .. name .. ": " .. why, 2) end
    args[opts_at] = t
  end
  ep.check(self._core, unpack(args, 1, n))
  return unpack(args, 1, n)
end

--- Move non-blocking calls forward, waiting at most timeout_ms (default 0);
-- runs the callbacks of the finished ones. Returns the number still running.
function Client:poll(timeout_ms)
  check_self(self, "poll")
  return scheduler.poll(self, timeout_ms)
end

--- Run until no non-blocking call is running (or timeout_ms passed).
-- Returns the number still running.
function Client:wait(timeout_ms)
  check_self(self, "wait")
  return scheduler.wait(self, timeout_ms)
end

-- For event-loop drivers (clickup.time.uv).
function Client:_dispatch() return scheduler.dispatch(self) end
function Client:_next_due() return scheduler.next_due(self) end

--- Run calls concurrently: calls = { {"entries", params}, {"entry", id}, ... }.
-- Returns results, errors, anomalies: sequences aligned with calls. With a
-- callback as the last argument, returns at once and calls it with them.
-- The second argument is the concurrency (8), or options: { concurrency =,
-- each = function(i, result, err, anomalies) (as each call ends), keep =
-- false (results are given to each only: a caller that uses each result
-- and drops it pays no collector's work for all of them kept) }.
function Client:parallel(calls, max_concurrency, callback)
  check_self(self, "parallel")
  return scheduler.parallel(self, calls, max_concurrency, callback)
end

--- The anomalies of the last completed call: descriptive fields of an
-- unexpected type that were kept as they came, { {path =, expected =, got =},
-- ..., more = n } (at most 100 kept, `more` counts the rest); empty when
-- there were none.
function Client:anomalies()
  check_self(self, "anomalies")
  return anomalies.list(self._anomalies)
end

--- The x-ratelimit-* values last seen: {limit=, remaining=, reset=}, or nil.
function Client:rate_limit()
  check_self(self, "rate_limit")
  local r = self._rate
  return r and { limit = r.limit, remaining = r.remaining, reset = r.reset }
end

--- Release the client's connections. Idempotent.
function Client:close()
  check_self(self, "close")
  local driver = self._driver
  if driver and driver.detach then driver.detach() end   -- an event loop lets go of it first
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


rawset(M, "error", core.error)

return true
