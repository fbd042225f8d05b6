--- clickup.time.fake: a local ClickUp-compatible HTTP server for tests.
--
-- It speaks the Time Tracking part of ClickUp's REST API v2 the way the real
-- service does (per-endpoint string/number forms, envelopes, errors, rate
-- limits), keeps state, and logs what it receives.
--
--   local fake = require "clickup.time.fake"
--   local server = fake.spawn{ rate_limit = 100 }   -- child process
--   -- server.base_url, server.token, … ; server:requests(), server:reset(), …
--   server:stop()
--
--   fake.serve{ port = 8080 }                        -- foreground, blocking
--
-- The parent drives its child through /_fake/… control routes (control.lua).

local http = require "clickup.time.fake.http"
local api = require "clickup.time.fake.api"
local json = require "clickup.time.fake.json"
local control = require "clickup.time.fake.control"

local format, gsub, match = string.format, string.gsub, string.match
local type, tostring, tonumber, pairs, ipairs = type, tostring, tonumber, pairs, ipairs
local concat = table.concat

local M = {}

M._VERSION = "0.1.0"

--- The interpreter a child runs under by default: "luajit" under LuaJIT,
-- else "lua" .. version ("lua5.4", "lua5.1", …).
function M.default_lua()
  if type(jit) == "table" then return "luajit" end
  return "lua" .. (match(_VERSION, "%d+%.%d+") or "")
end

-- Parse /proc/<pid>/stat: returns pid, start time (field 22), or nil.
local function proc_stat(pid)
  local f = io.open("/proc/" .. pid .. "/stat", "r")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  if not s then return nil end
  local id = match(s, "^(%d+)")
  local rest = match(s, "%)%s+(.*)$") -- fields from 3 on (comm may hold spaces)
  if not id or not rest then return nil end
  local fields = {}
  for w in rest:gmatch("%S+") do fields[#fields + 1] = w end
  return tonumber(id), fields[20] -- field 22 overall = 20th after comm
end

--- Run the server in the foreground (blocking). Prints "listening <port>"
-- on stdout once it accepts connections (or calls on_listen(port) instead).
-- Options: port (0 = ephemeral),
-- host ("127.0.0.1"), rate_limit, rate_window, update_response, now,
-- realistic (true: ClickUp's real oddities, fake/realistic.lua), oddity_rate,
-- idle_timeout (seconds without a request before exiting; nil = never),
-- parent_pid + parent_start (exit when that process is gone; from spawn).
-- Returns when shut down (POST /_fake/shutdown), idle, or orphaned.
function M.serve(opts)
  opts = opts or {}
  local app = api.new(opts)
  local alive
  if opts.parent_pid then
    alive = function()
      local pid, start = proc_stat(opts.parent_pid)
      return pid ~= nil and (opts.parent_start == nil or start == opts.parent_start)
    end
  end
  local server = assert(http.new{
    host = opts.host or "127.0.0.1", port = opts.port or 0, idle_timeout = opts.idle_timeout,
    alive = alive, handler = function(req) return app:handle(req) end,
  })
  if opts.on_listen then
    opts.on_listen(server.port)
  else
    io.stdout:write("listening ", tostring(server.port), "\n")
    io.stdout:flush()
  end
  server:run()
  return true
end

-- Shell-quote one word with single quotes.
local function shell_quote(s)
  return "'" .. gsub(s, "'", "'\\''") .. "'"
end

-- A flat options table as a Lua table constructor.
local function literal(t)
  local parts = {}
  for k, v in pairs(t) do
    local val
    if type(v) == "number" then
      val = format("%.17g", v)
    elseif type(v) == "string" then
      val = format("%q", v)
    elseif type(v) == "boolean" then
      val = tostring(v)
    end
    if val then parts[#parts + 1] = k .. "=" .. val end
  end
  return "{" .. concat(parts, ",") .. "}"
end

local Server = {}
Server.__index = Server

local ltn12 = require "ltn12"
local socket_http = require "socket.http"

-- One control request to the child; returns the decoded JSON answer.
function Server:control(method, route, body)
  if self.stopped then error("clickup.time.fake: server is stopped", 3) end
  local payload = body ~= nil and json.encode(body) or ""
  local chunks = {}
  local _, status = socket_http.request{
    url = format("http://127.0.0.1:%d/_fake/%s", self.port, route), method = method,
    headers = { ["content-type"] = "application/json", ["content-length"] = tostring(#payload) },
    source = ltn12.source.string(payload), sink = ltn12.sink.table(chunks),
  }
  local text = concat(chunks)
  if status ~= 200 then
    error(format("clickup.time.fake: control %s %s failed: %s %s", method, route, tostring(status), text), 3)
  end
  return json.decode(text)
end

--- The requests received (oldest first): { method, path, query, raw_query,
-- headers (lower-case names), body (string), json (decoded body or nil),
-- connection (the number of the TCP connection it came on, from 1),
-- processed (the API handled it), injected (true when an injection applied) }.
function Server:requests()
  local list = self:control("GET", "log").data
  for _, r in ipairs(list) do
    if type(r.query) ~= "table" then r.query = {} end
    if r.body ~= "" then r.json = json.decode(r.body) end
  end
  return list
end

--- The most recent request, or nil.
function Server:last_request()
  local list = self:requests()
  return list[#list]
end

--- Forget the request log.
function Server:clear_log()
  self:control("POST", "clear_log")
end

--- Seed state, spawn-time options and clock, empty log and rate windows.
function Server:reset()
  self:control("POST", "reset")
end

--- Add entries; each { user=, tid= (id or custom id), start=, ["end"]=,
-- duration=, description=, billable=, tags={name or {name,tag_bg,tag_fg}},
-- source= ("api") }. Without end and duration the entry is a running timer.
-- Returns the new ids (strings).
function Server:seed(t)
  local entries = json.array()
  for i, e in ipairs(t and t.entries or {}) do
    local c = {}
    for k, v in pairs(e) do c[k] = v end
    if c.tags then c.tags = json.array(c.tags) end
    entries[i] = c
  end
  return self:control("POST", "seed", { entries = entries }).data
end

--- Snapshot: { entries = {…}, tags = {…}, running = { [user_id] = entry_id }, now = ms }.
function Server:state()
  local s = self:control("GET", "state")
  local running = {}
  for k, v in pairs(s.running or {}) do running[tonumber(k)] = v end
  s.running = running
  return s
end

--- Freeze the server clock at `ms`; nil returns to real time.
function Server:set_clock(ms)
  self:control("POST", "clock", { now = ms == nil and json.null or ms })
end

--- Change options: rate_limit, rate_window (seconds), update_response,
-- realistic, oddity_rate.
function Server:configure(o)
  self:control("POST", "configure", o or {})
end

--- Inject a fault: answer matching requests differently. Injections are
-- tried in order; the first match applies. All options are optional:
--
-- Matching
--   method = "GET"          any method when nil
--   path = "/team/…/time_entries"   exact path under /api/v2 (any when nil)
--   path_prefix = "/team/…/time_entries"   that path or anything below it
--                           (a prefix ending in "/" matches as a plain prefix)
--   times = n               applies n times, then is removed (nil: until cleared)
-- The answer
--   status = 502, body = "…", content_type = "text/html"
--                           a canned answer (status 200, body "", JSON content
--                           type by default) replacing the API's; the request is
--                           NOT processed (state unchanged) unless process = true
--   reset = epoch seconds, reset_in = seconds (from the moment of the answer,
--                           real time)
--                           a canned rate-limit answer: status 429 (unless given),
--                           body {"err":"Rate limit reached","ECODE":"APP_002"}
--                           (unless given), x-ratelimit-limit (the configured
--                           limit), x-ratelimit-remaining: 0, x-ratelimit-reset
--   process = true          run the request through the API first (the entry IS
--                           created, the timer IS started), then answer with the
--                           canned answer above instead of the real one
--   (no status/body/reset)  the real answer (processed normally); content_type
--                           then replaces its Content-Type
--   headers = { name = value }   merged into the answer, canned or real,
--                           replacing any spelling of the same name (values
--                           without CR/LF)
--   garbage = true          body -> deterministic pseudo-random bytes (0xFF, NUL,
--                           then 0-255) of the same length (256 when empty),
--                           status and Content-Type kept
-- How it is sent (the request is handled on arrival; only the bytes wait)
--   delay = seconds         send the answer (or the close) that much later,
--                           without blocking other connections
--   drip = bytes_per_second send headers and body a few bytes at a time
--   truncate = n            full Content-Length, only the first n body bytes,
--                           then close the connection
--   drop = "before"         close without answering or processing (no effect)
--   drop = "after"          process, then close without answering
--   rst = true              close with an RST (not a FIN) wherever the connection
--                           closes; alone: the full answer, then an RST
-- drop refuses answer and body options; drop = "before" refuses process.
-- The request log marks requests an injection touched `injected = true` and
-- every request `processed = true/false`.
-- Cleared by reset() and clear_injections().
function Server:inject(t)
  self:control("POST", "inject", t or {})
end

--- The injections left, in order, `times` counted down (for tests).
function Server:injections()
  return self:control("GET", "injections").data
end

--- Forget every injection.
function Server:clear_injections()
  self:control("POST", "clear_injections")
end

--- Shut the child down and wait for it. Idempotent.
function Server:stop()
  if self.stopped then return end
  pcall(self.control, self, "POST", "shutdown")
  self.stopped = true
  if self.handle then
    pcall(self.handle.close, self.handle)
    self.handle = nil
  end
end

Server.__gc = Server.stop
Server.__close = Server.stop

M.getenv = os.getenv   -- where realistic_default looks; replaceable in tests

--- Whether fake.spawn is realistic by default, and at what rate: from
-- $CT_FAKE_REALISTIC ("1" or "true": at the default rate; a number in
-- (0, 1]: that rate; unset, "" or "0": not). make test-realistic sets it
-- to run specs once more against the realistic server.
function M.realistic_default()
  local v = M.getenv("CT_FAKE_REALISTIC")
  if v == nil or v == "" or v == "0" or v == "false" then return false end
  local rate = tonumber(v)
  if v == "1" or v == "true" or not rate then return true end
  return true, rate > 0 and rate <= 1 and rate or nil
end


--- Start a server in a child process on 127.0.0.1 (ephemeral port) and
-- return once it listens. Options: lua (interpreter), rate_limit,
-- rate_window, update_response, now, realistic and oddity_rate (default:
-- M.realistic_default()), idle_timeout (default 600 s).
function M.spawn(opts)
  opts = opts or {}
  local real, rate = opts.realistic, opts.oddity_rate
  if real == nil then
    local env_rate
    real, env_rate = M.realistic_default()
    rate = rate or env_rate
  end
  local child = {
    port = 0, rate_limit = opts.rate_limit, rate_window = opts.rate_window,
    update_response = opts.update_response, now = opts.now,
    realistic = real or nil, oddity_rate = rate,
    idle_timeout = opts.idle_timeout or 600,
  }
  local pid, start = proc_stat("self")
  if pid then child.parent_pid, child.parent_start = pid, start end
  local code = format("package.path=%q package.cpath=%q require(%q).serve(%s)",
                      package.path, package.cpath, "clickup.time.fake", literal(child))
  local cmd = "exec " .. shell_quote(opts.lua or M.default_lua()) .. " -e " .. shell_quote(code)
  local handle = assert(io.popen(cmd, "r"))
  local line = handle:read("*l")
  local port = tonumber(line and match(line, "^listening (%d+)"))
  if not port then
    handle:close()
    error("clickup.time.fake: the server did not start (got " .. tostring(line) .. ")", 2)
  end
  local info = control.info()
  local self = {
    handle = handle, port = port, base_url = format("http://127.0.0.1:%d/api/v2", port),
    token = info.token, member_token = info.member_token, oauth_token = info.oauth_token,
    team_id = info.team_id, user_id = info.user_id, member_id = info.member_id,
    tasks = json.decode(json.encode(info.tasks)), hidden_task = info.hidden_task,
    realistic = real and true or false,
  }
  if newproxy then -- Lua 5.1 / LuaJIT: tables have no __gc, a proxy carries it
    local proxy = newproxy(true)
    getmetatable(proxy).__gc = function() Server.stop(self) end
    self.gc_proxy = proxy
  end
  return setmetatable(self, Server)
end

return M
