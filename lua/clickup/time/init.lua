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

local error, getmetatable, setmetatable = error, getmetatable, setmetatable
local pairs, ipairs, type, tostring = pairs, ipairs, type, tostring

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

local OPTIONS = { token = true, team_id = true, base_url = true, timeout = true, connect_timeout = true }

local function nonempty(s)
  if s ~= nil and s ~= "" then return s end
  return nil
end

local function getenv(name)
  return nonempty(M.getenv(name))
end

--- Make a client.
-- @tparam[opt] table opts token, team_id, base_url, timeout, connect_timeout
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
  local settings = {
    token = token,
    team_id = opts.team_id or getenv("CLICKUP_TEAM_ID"),
    base_url = opts.base_url or getenv("CLICKUP_BASE_URL") or M.DEFAULT_BASE_URL,
    timeout = opts.timeout,
    connect_timeout = opts.connect_timeout,
  }
  local ok, c = pcall(core.new, settings)
  if not ok then error(c, 2) end
  return setmetatable({
    _core = c,
    team_id = settings.team_id and tostring(settings.team_id),
    base_url = settings.base_url,
  }, Client)
end

local function check_self(self, name)
  if getmetatable(self) ~= Client then
    error("clickup.time: " .. name .. ": call it as client:" .. name .. "(...)", 3)
  end
end

-- One method per endpoint row of the core; each is a tail call into C.
for _, ep in ipairs(core.endpoints) do
  local call, name = ep.call, ep.name
  Client[name] = function(self, ...)
    check_self(self, name)
    return call(self._core, ...)
  end
end

--- The x-ratelimit-* values of the last answer: {limit=, remaining=, reset=}, or nil.
function Client:rate_limit()
  check_self(self, "rate_limit")
  return self._core:rate_limit()
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
-- @tparam[opt] integer now_ms the current time, default the clock
function Entry:elapsed(now_ms)
  if self:is_running() then
    return (now_ms or core.now_ms()) - self.start
  end
  return self.duration or (self["end"] - self.start)
end


--- True when x is an error returned by this library (optionally of a kind).
function M.is_error(x, kind)
  return getmetatable(x) == core.Error and (kind == nil or x.kind == kind)
end

M.error = core.error

return M
