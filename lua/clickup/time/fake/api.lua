--- The fake's request pipeline: control routes, request log, (fault seam),
-- authentication, workspace check, rate limit, routing, JSON in and out.
--
--   handle(req) -> res          (the http.lua handler)
--     1. /_fake/… control routes: no auth, no log, no rate limit
--     2. append to the request log
--     3. App:intercept(req)     <- THE SEAM for a future fault-injection layer
--                                 (per method+path: status, delay, drop, …);
--                                 returns a response to short-circuit, or nil
--     4. outside /api/v2 -> 404 APP_001
--     5. auth: no header -> 400 OAUTH_017; unknown or bare OAuth token -> 401 OAUTH_025
--     6. /team/{id}/… with an unknown id -> 404 SHARD_031 (no rate-limit headers)
--     7. rate limit per token: x-ratelimit-* on every later answer; 429 APP_002
--     8. route -> 404 APP_001; JSON body -> 400 INPUT_002; the handler

local json = require "clickup.time.fake.json"
local state = require "clickup.time.fake.state"
local errors = require "clickup.time.fake.errors"
local ratelimit = require "clickup.time.fake.ratelimit"
local util = require "clickup.time.fake.util"
local entries = require "clickup.time.fake.entries"
local legacy = require "clickup.time.fake.legacy"
local control = require "clickup.time.fake.control"

local ipairs, pairs, type = ipairs, pairs, type
local sub, match = string.sub, string.match

local M = {}

local JSON_TYPE = "application/json; charset=utf-8"
local MAX_LOG = 10000

-- Routes under /api/v2, first match wins; ":x" captures a segment.
local ROUTES = {
  { "GET",    "team",                                  legacy.teams },
  { "GET",    "team/:team/time_entries",               entries.list },
  { "POST",   "team/:team/time_entries",               entries.create },
  { "GET",    "team/:team/time_entries/current",       entries.current },
  { "POST",   "team/:team/time_entries/start",         entries.start },
  { "POST",   "team/:team/time_entries/start/:id",     entries.start },
  { "POST",   "team/:team/time_entries/stop",          entries.stop },
  { "GET",    "team/:team/time_entries/tags",          entries.tags_get },
  { "POST",   "team/:team/time_entries/tags",          entries.tags_add },
  { "DELETE", "team/:team/time_entries/tags",          entries.tags_remove },
  { "PUT",    "team/:team/time_entries/tags",          entries.tags_rename },
  { "GET",    "team/:team/time_entries/:id/history",   entries.history },
  { "GET",    "team/:team/time_entries/:id",           entries.get },
  { "PUT",    "team/:team/time_entries/:id",           entries.update },
  { "DELETE", "team/:team/time_entries/:id",           entries.delete },
  { "GET",    "task/:task/time",                       legacy.get },
  { "POST",   "task/:task/time",                       legacy.post },
  { "PUT",    "task/:task/time/:interval",             legacy.put },
  { "DELETE", "task/:task/time/:interval",             legacy.delete },
}

local function segments(path)
  local out = {}
  for seg in path:gmatch("[^/]+") do out[#out + 1] = util.unescape(seg) end
  return out
end

for _, r in ipairs(ROUTES) do r.segs = segments(r[2]) end

local function route(method, segs)
  for _, r in ipairs(ROUTES) do
    if r[1] == method and #r.segs == #segs then
      local params, ok = {}, true
      for i, p in ipairs(r.segs) do
        if sub(p, 1, 1) == ":" then
          params[sub(p, 2)] = segs[i]
        elseif p ~= segs[i] then
          ok = false
          break
        end
      end
      if ok then return r[3], params end
    end
  end
  return nil
end

local App = {}
App.__index = App

--- A new application. `opts`: rate_limit (100), rate_window (60 s),
-- update_response ("array"), now (frozen clock ms or nil).
function M.new(opts)
  opts = opts or {}
  local self = setmetatable({ defaults = {
    rate_limit = opts.rate_limit or 100, rate_window = opts.rate_window or 60,
    update_response = opts.update_response or "array", now = opts.now,
  } }, App)
  self.store = state.new{ now = opts.now }
  self.limiter = ratelimit.new()
  self.log = {}
  self:restore()
  return self
end

--- Options back to the spawn-time values, clock included.
function App:restore()
  local d = self.defaults
  self.options = { rate_limit = d.rate_limit, rate_window = d.rate_window,
                   update_response = d.update_response }
  self.limiter.limit, self.limiter.window = d.rate_limit, d.rate_window
  self.store:set_clock(d.now)
end

--- Change options at run time (rate_limit, rate_window, update_response).
function App:configure(o)
  for _, k in ipairs{ "rate_limit", "rate_window", "update_response" } do
    if o[k] ~= nil then self.options[k] = o[k] end
  end
  self.limiter.limit, self.limiter.window = self.options.rate_limit, self.options.rate_window
end

--- Reset: spawn-time options and clock, seed data, empty log, no windows.
function App:reset()
  self:restore()
  self.store:reset()
  self.log = {}
  self.injections = nil
  self.limiter:clear()
end

--- The injection seam (step 3): a canned answer for `req`, or nil.
-- Injections are { method=, path= (under /api/v2), status=, body=,
-- content_type=, headers= {name=value}, times= (nil: until cleared) },
-- tried in order.
function App:intercept(req)
  local list = self.injections
  if not list then return nil end
  for i, inj in ipairs(list) do
    if (inj.method == nil or inj.method == req.method)
      and (inj.path == nil or "/api/v2" .. inj.path == req.path) then
      if inj.times then
        inj.times = inj.times - 1
        if inj.times <= 0 then table.remove(list, i) end
      end
      local headers = { ["Content-Type"] = inj.content_type or JSON_TYPE }
      for k, v in pairs(inj.headers or {}) do headers[k] = v end
      return { status = inj.status or 200, body = inj.body or "", headers = headers }
    end
  end
  return nil
end

local function finish(res, extra)
  res.status = res.status or 200
  res.headers = res.headers or {}
  for k, v in pairs(extra or {}) do res.headers[k] = v end
  if res.json ~= nil then
    res.body = json.encode(res.json)
    res.headers["Content-Type"] = JSON_TYPE
    res.json = nil
  end
  return res
end

local function record(self, req)
  local headers = {}
  for k, v in pairs(req.headers) do headers[k] = v end
  self.log[#self.log + 1] = { method = req.method, path = req.path, query = req.query,
                              raw_query = req.raw_query, headers = headers, body = req.body or "",
                              connection = req.connection }
  if #self.log > MAX_LOG then table.remove(self.log, 1) end
end

-- Who is calling? Returns user, via_oauth; or nil, error response.
local function authenticate(req)
  local h = req.headers.authorization
  if not h or match(h, "^%s*$") then return nil, errors.response("AUTH_MISSING") end
  local bearer = match(h, "^%s*[Bb][Ee][Aa][Rr][Ee][Rr]%s+(%S+)%s*$")
  local tok = bearer or match(h, "^%s*(%S+)%s*$")
  for _, u in ipairs(state.USERS) do
    if tok and u.token == tok then return u, false end
    if bearer and u.oauth_token == bearer then return u, true end
  end
  return nil, errors.response("TOKEN_INVALID")
end

--- The http.lua handler.
function App:handle(req)
  req.query = util.query(req.raw_query)
  if sub(req.path, 1, 7) == "/_fake/" then
    return finish(control.handle(self, req))
  end
  record(self, req)
  local injected = self:intercept(req)
  if injected then return finish(injected) end

  local path = req.path:gsub("/+$", "")
  if sub(path, 1, 8) ~= "/api/v2/" then return finish(errors.response("ROUTE_NOT_FOUND")) end
  local segs = segments(sub(path, 9))

  local user, via_oauth = authenticate(req)
  if not user then return finish(via_oauth) end
  if segs[1] == "team" and segs[2] and segs[2] ~= state.TEAM_ID then
    return finish(errors.response("TEAM_NOT_FOUND"))
  end

  local allowed, rl = self.limiter:take(match(req.headers.authorization, "(%S+)%s*$"))
  if not allowed then return finish(errors.response("RATE_LIMITED"), rl) end

  local handler, params = route(req.method, segs)
  if not handler then return finish(errors.response("ROUTE_NOT_FOUND"), rl) end

  local body
  if req.body ~= "" and (req.method == "POST" or req.method == "PUT" or req.method == "DELETE") then
    local derr
    body, derr = json.decode(req.body)
    if body == nil or type(body) ~= "table" then
      return finish(errors.response("BAD_JSON", derr and ("Request body is not valid JSON: " .. derr)), rl)
    end
  end
  local ctx = { app = self, store = self.store, req = req, query = req.query, params = params,
                body = body or {}, user = user, user_id = user.id, oauth = via_oauth }
  return finish(handler(ctx), rl)
end

return M
