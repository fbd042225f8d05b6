--- Control routes under /_fake/… used by the spawning process (init.lua):
-- no auth, not logged, not rate limited. JSON in, JSON out.
--   GET  /_fake/info       tokens, ids, tasks
--   GET  /_fake/log        {"data":[request, …]} oldest first
--   POST /_fake/clear_log
--   POST /_fake/reset      seed state, spawn-time options and clock, empty log
--   POST /_fake/seed       {"entries":[…]} -> {"data":[id, …]}
--   GET  /_fake/state      {"entries":[…],"tags":[…],"running":{"<user>":"<id>"}}
--   POST /_fake/clock      {"now": ms or null}
--   POST /_fake/configure  {"rate_limit":n,"rate_window":s,"update_response":"array"|"object"|"empty",
--                           "realistic":bool,"oddity_rate":0..1}
--   POST /_fake/inject     one injection, appended (tried in order, first match wins):
--       matching  "method" (any when absent), "path" (exact, under /api/v2) or
--                 "path_prefix" (that path or anything below it), "times" (n >= 1;
--                 until cleared when absent)
--       answer    "status", "body", "content_type", "headers":{name: value},
--                 "reset" (epoch s) / "reset_in" (s): a 429 APP_002 with x-ratelimit-*;
--                 status/body/reset given -> a canned answer, the request is NOT
--                 processed unless "process":true (then processed, answer replaced);
--                 none given -> the real answer (content_type/headers merged into it)
--       faults    "garbage":true (body -> same-length pseudo-random bytes),
--                 "delay":s (float; the bytes only), "drip":bytes/s, "truncate":n
--                 (body bytes, then close), "drop":"before"|"after" (close with no
--                 answer; "after" processes first), "rst":true (close with an RST)
--       Unknown keys and contradictions (drop with an answer or a body fault,
--       drop "before" with process) are refused with 400 FAKE_400.
--   GET  /_fake/injections {"data":[injection, …]} what remains, times counted down
--   POST /_fake/clear_injections
--   POST /_fake/shutdown

local json = require "clickup.time.fake.json"
local state = require "clickup.time.fake.state"
local view = require "clickup.time.fake.view"
local util = require "clickup.time.fake.util"

local ipairs, pairs, type, tostring = ipairs, pairs, type, tostring

local array, null = json.array, json.null

local M = {}

local function ok(v) return { json = v } end

local function bad(msg) return { status = 400, json = { err = msg, ECODE = "FAKE_400" } } end

--- What a test needs to know about the seeded workspace.
function M.info()
  local tasks = array()
  for i, t in ipairs(state.TASKS) do
    local tags = array()
    for j, g in ipairs(t.tags) do tags[j] = g end
    tasks[i] = { id = t.id, name = t.name, custom_id = t.custom_id, status = t.status,
                 list_id = t.list_id, list_name = t.list_name, folder_id = t.folder_id,
                 folder_name = t.folder_name, space_id = t.space_id, space_name = t.space_name,
                 tags = tags }
  end
  local admin, member
  for _, u in ipairs(state.USERS) do
    if u.id == state.ADMIN_ID then admin = u end
    if u.id == state.MEMBER_ID then member = u end
  end
  return { team_id = state.TEAM_ID, user_id = admin.id, member_id = member.id,
           token = admin.token, member_token = member.token, oauth_token = admin.oauth_token,
           tasks = tasks, hidden_task = state.HIDDEN_TASKS[1].id }
end

local function seed(app, b)
  local store = app.store
  local list = util.list(type(b) == "table" and b.entries)
  if not list then return bad("entries must be a list") end
  local ids = array()
  for _, s in ipairs(list) do
    if type(s) ~= "table" then return bad("each entry must be an object") end
    local user = util.int(s.user) or state.ADMIN_ID
    local tid
    if s.tid ~= nil and s.tid ~= null then
      local t = store:task(s.tid) or store:task(s.tid, true) or store:hidden_task(s.tid)
      if not t then return bad("unknown task " .. tostring(s.tid)) end
      tid = t.id
    end
    local now = store:now()
    local start = util.int(s.start) or now
    local stop = util.int(s["end"])
    if not stop and util.int(s.duration) then stop = start + util.int(s.duration) end
    local tags = {}
    for i, t in ipairs(util.tag_specs(s.tags or {}) or {}) do tags[i] = t end
    local e = store:add{ user = user, tid = tid, start = start, ["end"] = stop,
                         description = type(s.description) == "string" and s.description or "",
                         billable = s.billable == true, tags = tags, source = s.source or "api",
                         at = util.int(s.at) or stop or start }
    ids[#ids + 1] = e.id
  end
  return ok{ data = ids }
end

local function snapshot(app)
  local store = app.store
  local entries, tags, running = array(), array(), {}
  for i, e in ipairs(store:list()) do entries[i] = view.raw(e) end
  for i, t in ipairs(store:tag_list()) do tags[i] = view.tag(t) end
  for uid, id in pairs(store.running) do running[tostring(uid)] = id end
  return ok{ entries = entries, tags = tags, running = running, now = store:now() }
end

local STRINGS = { "method", "path", "path_prefix", "body", "content_type" }
local BOOLEANS = { "process", "garbage", "rst" }
local KNOWN = { headers = true, status = true, times = true, drop = true, delay = true, drip = true,
                truncate = true, reset = true, reset_in = true }
for _, k in ipairs(STRINGS) do KNOWN[k] = true end
for _, k in ipairs(BOOLEANS) do KNOWN[k] = true end

local function number(v, what, lo)
  if type(v) ~= "number" or v ~= v or v == math.huge or v < lo then
    return nil, what
  end
  return v
end

--- Validate the body of POST /_fake/inject; returns the injection, or nil
-- and a message.
function M.injection(b)
  local inj = {}
  for k in pairs(b) do
    if not KNOWN[k] then return nil, "unknown injection option " .. tostring(k) end
  end
  for _, k in ipairs(STRINGS) do
    if b[k] ~= nil then
      if type(b[k]) ~= "string" then return nil, k .. " must be a string" end
      inj[k] = b[k]
    end
  end
  for _, k in ipairs(BOOLEANS) do
    if b[k] ~= nil then
      if type(b[k]) ~= "boolean" then return nil, k .. " must be true or false" end
      inj[k] = b[k] or nil
    end
  end
  if inj.path and inj.path_prefix then return nil, "give path or path_prefix, not both" end
  if inj.path_prefix and inj.path_prefix:sub(1, 1) ~= "/" then
    return nil, "path_prefix must start with /"
  end
  if b.headers ~= nil then
    if type(b.headers) ~= "table" then return nil, "headers must be an object" end
    inj.headers = {}
    for k, v in pairs(b.headers) do
      if type(k) ~= "string" or type(v) ~= "string" or k:find("[\r\n:]") or v:find("[\r\n]") then
        return nil, "headers must map names to strings"
      end
      inj.headers[k] = v
    end
  end
  inj.status, inj.times = util.int(b.status), util.int(b.times)
  if b.status ~= nil and not (inj.status and inj.status >= 100 and inj.status <= 999) then
    return nil, "status must be an integer"
  end
  if b.times ~= nil and not (inj.times and inj.times >= 1) then return nil, "times must be an integer >= 1" end
  if b.truncate ~= nil then
    inj.truncate = util.int(b.truncate)
    if not inj.truncate or inj.truncate < 0 then return nil, "truncate must be an integer >= 0" end
  end
  local err
  if b.delay ~= nil then
    inj.delay, err = number(b.delay, "delay must be seconds >= 0", 0)
    if not inj.delay then return nil, err end
  end
  if b.drip ~= nil then
    inj.drip, err = number(b.drip, "drip must be bytes per second > 0", 1e-9)
    if not inj.drip then return nil, err end
  end
  if b.reset ~= nil and b.reset_in ~= nil then return nil, "give reset or reset_in, not both" end
  if b.reset ~= nil then
    inj.reset, err = number(b.reset, "reset must be epoch seconds", 0)
    if not inj.reset then return nil, err end
  end
  if b.reset_in ~= nil then
    inj.reset_in, err = number(b.reset_in, "reset_in must be seconds >= 0", 0)
    if not inj.reset_in then return nil, err end
  end
  if b.drop ~= nil then
    if b.drop ~= "before" and b.drop ~= "after" then return nil, "drop must be before or after" end
    inj.drop = b.drop
    for _, k in ipairs{ "status", "body", "content_type", "headers", "reset", "reset_in",
                        "garbage", "truncate", "drip" } do
      if inj[k] ~= nil then return nil, "drop sends no answer: " .. k .. " makes no sense with it" end
    end
    if inj.drop == "before" and inj.process then
      return nil, "drop before never processes: process makes no sense with it"
    end
  end
  return inj
end

--- Answer a /_fake/… request.
function M.handle(app, req)
  local route = req.method .. " " .. req.path:gsub("/+$", "")
  local body = {}
  if req.body ~= "" then
    body = json.decode(req.body)
    if type(body) ~= "table" then return bad("invalid JSON") end
  end
  if route == "GET /_fake/info" then
    return ok(M.info())
  elseif route == "GET /_fake/log" then
    local out = array()
    for i, r in ipairs(app.log) do out[i] = r end
    return ok{ data = out }
  elseif route == "POST /_fake/clear_log" then
    app.log = {}
    return ok{}
  elseif route == "POST /_fake/reset" then
    app:reset()
    return ok{}
  elseif route == "POST /_fake/seed" then
    return seed(app, body)
  elseif route == "GET /_fake/state" then
    return snapshot(app)
  elseif route == "POST /_fake/clock" then
    local now = body.now
    if now ~= nil and now ~= null and not util.int(now) then return bad("now must be ms or null") end
    app.store:set_clock(util.int(now))
    return ok{ now = app.store:now() }
  elseif route == "POST /_fake/configure" then
    local o = {}
    if body.rate_limit ~= nil then
      o.rate_limit = util.int(body.rate_limit)
      if not o.rate_limit or o.rate_limit < 0 then return bad("rate_limit must be an integer") end
    end
    if body.rate_window ~= nil then
      o.rate_window = tonumber(body.rate_window)
      if not o.rate_window or o.rate_window <= 0 then return bad("rate_window must be > 0") end
    end
    if body.update_response ~= nil then
      local u = body.update_response
      if u ~= "array" and u ~= "object" and u ~= "empty" then
        return bad("update_response must be array, object or empty")
      end
      o.update_response = u
    end
    if body.realistic ~= nil then
      if type(body.realistic) ~= "boolean" then return bad("realistic must be true or false") end
      o.realistic = body.realistic
    end
    if body.oddity_rate ~= nil then
      o.oddity_rate = tonumber(body.oddity_rate)
      if not o.oddity_rate or o.oddity_rate < 0 or o.oddity_rate > 1 then
        return bad("oddity_rate must be a number in [0, 1]")
      end
    end
    app:configure(o)
    return ok{}
  elseif route == "POST /_fake/inject" then
    local inj, err = M.injection(body)
    if not inj then return bad(err) end
    app.injections = app.injections or {}
    app.injections[#app.injections + 1] = inj
    return ok{}
  elseif route == "GET /_fake/injections" then
    local out = array()
    for i, inj in ipairs(app.injections or {}) do out[i] = inj end
    return ok{ data = out }
  elseif route == "POST /_fake/clear_injections" then
    app.injections = nil
    return ok{}
  elseif route == "POST /_fake/shutdown" then
    local res = ok{}
    res.shutdown = true
    return res
  end
  return { status = 404, json = { err = "Unknown control route " .. route, ECODE = "FAKE_404" } }
end

return M
