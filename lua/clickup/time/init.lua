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
--
-- `require "clickup.time"` loads only this file: the core (and libcurl),
-- the client layer (clickup.time.client) and what it needs are loaded the
-- first time they are needed (clickup.new, clickup.Entry, clickup.core,
-- ...), so that a command or an editor that may not talk to ClickUp pays
-- nothing for them.

local getmetatable, rawget, setmetatable = getmetatable, rawget, setmetatable

local M = {
  VERSION = "0.1.0",
  _VERSION = "clickup-time 0.1.0",
  _DESCRIPTION = "ClickUp Time Tracking API client (libcurl + lua-cjson)",
  _LICENSE = "MIT",
  DEFAULT_BASE_URL = "https://api.clickup.com/api/v2",
  getenv = os.getenv,             -- where defaults come from; replaceable in tests
}

local loaded = false

--- Load the core and the client layer now (they load by themselves when needed).
function M.load()
  if not loaded then
    loaded = true
    local ok, err = pcall(require, "clickup.time.client")
    if not ok then
      loaded = false
      error(err, 0)
    end
  end
  return M
end

-- what the client layer provides, loaded when first asked for
local LAZY = { core = true, endpoints = true, endpoint = true, Entry = true, Error = true, Client = true,
               now_ms = true, set_json = true, error = true, _new = true }

setmetatable(M, { __index = function(t, k)
  if LAZY[k] and not loaded then
    M.load()
    return rawget(t, k)
  end
end })

--- Make a client (see the README for the options).
function M.new(opts)
  if not loaded then M.load() end
  return M._new(opts)
end

--- True when x is an error returned by this library (optionally of a kind).
function M.is_error(x, kind)
  local Error = rawget(M, "Error")
  return Error ~= nil and getmetatable(x) == Error and (kind == nil or x.kind == kind)
end

return M
