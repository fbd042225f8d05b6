--- The fake's request pipeline: control routes, request log, (fault seam),
-- authentication, workspace check, rate limit, routing, JSON in and out.
--
--   handle(req) -> res          (the http.lua handler)
--     1. /_fake/… control routes: no auth, no log, no rate limit
--     2. append to the request log
--     3. App:intercept(req, item) <- fault injection: the first matching
--                                 injection decides whether steps 4-8 run
--                                 (App:process) and shapes or replaces the
--                                 answer (status, body, headers, garbage) and
--                                 how it is sent (delay, drop, truncate, drip,
--                                 rst: fields for http.lua's respond());
--                                 returns nil when no injection matches
--     4. outside /api/v2 -> 404 APP_001
--     5. auth: no header -> 400 OAUTH_017; unknown or bare OAuth token -> 401 OAUTH_025
--     6. /team/{id}/… with an unknown id -> 404 SHARD_031 (no rate-limit headers)
--     7. rate limit per token: x-ratelimit-* on every later answer; 429 APP_002
--     8. route -> 404 APP_001; JSON body -> 400 INPUT_002; the handler

local socket = require "socket"
local json = require "clickup.time.fake.json"
local state = require "clickup.time.fake.state"
local errors = require "clickup.time.fake.errors"
local ratelimit = require "clickup.time.fake.ratelimit"
local util = require "clickup.time.fake.util"
local entries = require "clickup.time.fake.entries"
local legacy = require "clickup.time.fake.legacy"
local control = require "clickup.time.fake.control"
local realistic = require "clickup.time.fake.realistic"

local ipairs, pairs, type, tostring = ipairs, pairs, type, tostring
local sub, match, lower, char = string.sub, string.match, string.lower, string.char
local concat, remove = table.concat, table.remove
local ceil, floor, min = math.ceil, math.floor, math.min
local unpack = table.unpack or unpack

local M = {}

local JSON_TYPE = "application/json; charset=utf-8"
local MAX_LOG = 10000

-- Routes under /api/v2, first match wins; ":x" captures a segment. NOBODY:
-- ClickUp documents no body for the answer (realistic mode sends it empty).
local NOBODY = true
local ROUTES = {
  { "GET",    "team",                                  legacy.teams },
  { "GET",    "team/:team/time_entries",               entries.list },
  { "POST",   "team/:team/time_entries",               entries.create },
  { "GET",    "team/:team/time_entries/current",       entries.current },
  { "POST",   "team/:team/time_entries/start",         entries.start },
  { "POST",   "team/:team/time_entries/start/:id",     entries.start },
  { "POST",   "team/:team/time_entries/stop",          entries.stop },
  { "GET",    "team/:team/time_entries/tags",          entries.tags_get },
  { "POST",   "team/:team/time_entries/tags",          entries.tags_add, NOBODY },
  { "DELETE", "team/:team/time_entries/tags",          entries.tags_remove, NOBODY },
  { "PUT",    "team/:team/time_entries/tags",          entries.tags_rename, NOBODY },
  { "GET",    "team/:team/time_entries/:id/history",   entries.history },
  { "GET",    "team/:team/time_entries/:id",           entries.get },
  { "PUT",    "team/:team/time_entries/:id",           entries.update, NOBODY },
  { "DELETE", "team/:team/time_entries/:id",           entries.delete },
  { "GET",    "task/:task/time",                       legacy.get },
  { "POST",   "task/:task/time",                       legacy.post },
  { "PUT",    "task/:task/time/:interval",             legacy.put, NOBODY },
  { "DELETE", "task/:task/time/:interval",             legacy.delete, NOBODY },
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
      if ok then return r[3], params, r[4] end
    end
  end
  return nil
end

local App = {}
App.__index = App

--- A new application. `opts`: rate_limit (100), rate_window (60 s),
-- update_response ("array"), now (frozen clock ms or nil), realistic (false:
-- ClickUp's real oddities, fake/realistic.lua), oddity_rate (0.5).
function M.new(opts)
  opts = opts or {}
  local self = setmetatable({ defaults = {
    rate_limit = opts.rate_limit or 100, rate_window = opts.rate_window or 60,
    update_response = opts.update_response or "array", now = opts.now,
    realistic = opts.realistic == true, oddity_rate = opts.oddity_rate or realistic.DEFAULT_RATE,
  } }, App)
  self.store = state.new{ now = opts.now }
  self.limiter = ratelimit.new()
  self.log = {}
  self:restore()
  return self
end

local OPTIONS = { "rate_limit", "rate_window", "update_response", "realistic", "oddity_rate" }

-- the realistic mode as the options say (restarted: the same draws again)
local function realism(self)
  local o = self.options
  self.real = o.realistic and realistic.new(o.oddity_rate) or nil
end

--- Options back to the spawn-time values, clock included.
function App:restore()
  local d = self.defaults
  self.options = {}
  for _, k in ipairs(OPTIONS) do self.options[k] = d[k] end
  self.limiter.limit, self.limiter.window = d.rate_limit, d.rate_window
  self.store:set_clock(d.now)
  realism(self)
end

--- Change options at run time (rate_limit, rate_window, update_response,
-- realistic, oddity_rate).
function App:configure(o)
  for _, k in ipairs(OPTIONS) do
    if o[k] ~= nil then self.options[k] = o[k] end
  end
  self.limiter.limit, self.limiter.window = self.options.rate_limit, self.options.rate_window
  if o.realistic ~= nil or o.oddity_rate ~= nil then realism(self) end
end

--- Reset: spawn-time options and clock, seed data, empty log, no windows.
function App:reset()
  self:restore()
  self.store:reset()
  self.log = {}
  self.injections = nil
  self.limiter:clear()
end

-- Does injection `inj` apply to `req`?
local function matches(inj, req)
  if inj.method ~= nil and inj.method ~= req.method then return false end
  if inj.path ~= nil and "/api/v2" .. inj.path ~= req.path then return false end
  local prefix = inj.path_prefix
  if prefix ~= nil then
    prefix = "/api/v2" .. prefix
    if sub(prefix, -1) == "/" then
      return sub(req.path, 1, #prefix) == prefix
    end
    return req.path == prefix or sub(req.path, 1, #prefix + 1) == prefix .. "/"
  end
  return true
end

-- The first injection matching `req`, its `times` counted down (removed
-- when used up); or nil.
local function take(self, req)
  local list = self.injections
  if not list then return nil end
  for i, inj in ipairs(list) do
    if matches(inj, req) then
      if inj.times then
        inj.times = inj.times - 1
        if inj.times <= 0 then remove(list, i) end
      end
      return inj
    end
  end
  return nil
end

-- Set header `name` in `headers`, replacing any spelling of the same name.
local function set_header(headers, name, value)
  local l = lower(name)
  for k in pairs(headers) do
    if lower(k) == l then headers[k] = nil end
  end
  headers[name] = value
end

--- `n` deterministic pseudo-random bytes (Park-Miller, fixed seed). The
-- first is 0xFF (never valid UTF-8, never the start of a text body), the
-- second NUL; the rest cover 0-255.
function M.garbage(n)
  local bytes, parts = {}, {}
  local x = 20240601
  for i = 1, n do
    x = (x * 16807) % 2147483647
    bytes[#bytes + 1] = (i == 1 and 255) or (i == 2 and 0) or floor(x / 128) % 256
    if #bytes == 1024 or i == n then
      parts[#parts + 1] = char(unpack(bytes))
      bytes = {}
    end
  end
  return concat(parts)
end

local RATE_LIMITED = '{"err":"Rate limit reached","ECODE":"APP_002"}'

-- The canned answer of `inj` (status and/or body given, or a rate limit).
local function canned(self, inj)
  local headers = { ["Content-Type"] = inj.content_type or JSON_TYPE }
  local status, body = inj.status, inj.body
  if inj.reset ~= nil or inj.reset_in ~= nil then
    status, body = status or 429, body or RATE_LIMITED
    local reset = inj.reset or ceil(socket.gettime() + inj.reset_in)
    headers["x-ratelimit-limit"] = tostring(floor(self.options.rate_limit))
    headers["x-ratelimit-remaining"] = "0"
    headers["x-ratelimit-reset"] = tostring(floor(reset))
  end
  return { status = status or 200, body = body or "", headers = headers }
end

--- Fault injection (step 3). Injections (control.lua validates them; the
-- option list is in Server:inject, init.lua) are tried in order; the first
-- match applies. Returns nil when none matches, else the response, after
-- marking the log `item` injected and processed (or not).
function App:intercept(req, item)
  local inj = take(self, req)
  if not inj then return nil end
  item.injected = true
  local replace = inj.status ~= nil or inj.body ~= nil or inj.reset ~= nil or inj.reset_in ~= nil
  local res
  if inj.drop == "before" or (replace and not inj.process) then
    item.processed = false
  else
    item.processed = true
    res = self:process(req)
  end
  if inj.drop then return { drop = true, rst = inj.rst, delay = inj.delay } end
  if replace then
    res = canned(self, inj)
  elseif inj.content_type then
    set_header(res.headers, "Content-Type", inj.content_type)
  end
  for k, v in pairs(inj.headers or {}) do set_header(res.headers, k, v) end
  if inj.garbage then
    res.body = M.garbage(#res.body > 0 and #res.body or 256)
  end
  if inj.truncate then res.truncate = min(inj.truncate, #res.body) end
  res.delay, res.drip, res.rst = inj.delay, inj.drip, inj.rst
  return res
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
  local item = { method = req.method, path = req.path, query = req.query,
                 raw_query = req.raw_query, headers = headers, body = req.body or "",
                 connection = req.connection }
  self.log[#self.log + 1] = item
  if #self.log > MAX_LOG then remove(self.log, 1) end
  return item
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

--- The http.lua handler. Every API request is logged; the log item gets
-- `processed` (steps 4-8 ran) and, when an injection applied, `injected`.
function App:handle(req)
  req.query = util.query(req.raw_query)
  if sub(req.path, 1, 7) == "/_fake/" then
    return finish(control.handle(self, req))
  end
  local item = record(self, req)
  local injected = self:intercept(req, item)
  if injected then return injected end
  item.processed = true
  return self:process(req)
end

--- Steps 4-8: the API proper. Returns a finished response (body a string).
function App:process(req)
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

  local handler, params, nobody = route(req.method, segs)
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
                body = body or {}, user = user, user_id = user.id, oauth = via_oauth, real = self.real }
  local res = handler(ctx)
  if nobody and self.real then self.real:empty(res) end
  return finish(res, rl)
end

return M
