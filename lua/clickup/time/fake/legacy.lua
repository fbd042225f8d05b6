--- Legacy per-task time endpoints (/task/{task_id}/time…, notes §5.14) and
-- GET /team (authorized workspaces). Legacy intervals are the same time
-- entries as the modern API sees (our choice): an interval id is the entry's
-- 19-digit id.

local json = require "clickup.time.fake.json"
local state = require "clickup.time.fake.state"
local view = require "clickup.time.fake.view"
local errors = require "clickup.time.fake.errors"
local util = require "clickup.time.fake.util"
local entries = require "clickup.time.fake.entries"

local ipairs, format = ipairs, string.format

local array, null = json.array, json.null
local err, int = errors.response, util.int

local M = {}

local function str(n) return format("%.0f", n) end

local function path_task(ctx)
  return entries.resolve_task(ctx, ctx.params.task, "NOT_FOUND_ID")
end

--- GET /task/{task_id}/time — every user's intervals, grouped per user
-- (no admin rights needed, as reported). Running entries show end null.
function M.get(ctx)
  local t, fail = path_task(ctx)
  if not t then return fail end
  local store, now = ctx.store, ctx.store:now()
  local groups, by_user = array(), {}
  for _, e in ipairs(store:list(function(x) return x.tid == t.id end)) do
    local g = by_user[e.user]
    if not g then
      local u = store:user(e.user) or { id = e.user, username = "", email = "", initials = "" }
      g = { user = view.user(u), time = 0, intervals = array() }
      by_user[e.user] = g
      groups[#groups + 1] = g
    end
    local stop = e["end"]
    local time = (stop or now) - e.start
    g.time = g.time + time
    g.intervals[#g.intervals + 1] = {
      id = e.id, start = str(e.start), ["end"] = stop and str(stop) or null, time = str(time),
      source = e.source, date_added = str(e.created),
    }
  end
  return { json = { data = groups } }
end

-- start/end/time of a legacy body; returns start, end or nil, error.
local function interval(ctx, b, e)
  if not util.is_object(b) then return nil, err("BAD_JSON", "body must be a JSON object") end
  local start, stop, time = int(b.start), int(b["end"]), int(b.time)
  -- start and end win (time is then ignored); else start + time; else time
  -- alone keeps the interval's start (PUT) or ends now (POST): our choice
  if not (start and stop) then
    if not time then return nil, err("TIME_REQUIRED") end
    start = start or (e and e.start) or (ctx.store:now() - time)
    stop = start + time
  end
  if stop < start then return nil, err("END_BEFORE") end
  return start, stop
end

--- POST /task/{task_id}/time {start, end, time} — answers {"id": "…"}.
function M.post(ctx)
  local t, fail = path_task(ctx)
  if not t then return fail end
  local start, stop = interval(ctx, ctx.body)
  if not start then return stop end
  local e = ctx.store:add{ user = ctx.user_id, tid = t.id, start = start, ["end"] = stop, source = "api" }
  return { json = { id = e.id } }
end

local function task_interval(ctx)
  local t, fail = path_task(ctx)
  if not t then return nil, fail end
  local e = ctx.store.entries[ctx.params.interval]
  if not e or e.tid ~= t.id then return nil, err("NOT_FOUND_ID") end
  if e.user ~= ctx.user_id and not ctx.store:is_admin(ctx.user_id) then return nil, err("NO_ACCESS") end
  return e
end

--- PUT /task/{task_id}/time/{interval_id} {start, end, time} — answers {}.
function M.put(ctx)
  local e, fail = task_interval(ctx)
  if not e then return fail end
  local start, stop = interval(ctx, ctx.body, e)
  if not start then return stop end
  if start ~= e.start then ctx.store:record(e, "start", e.start, start, ctx.user_id) end
  if stop ~= e["end"] then ctx.store:record(e, "end", e["end"], stop, ctx.user_id) end
  e.start, e["end"], e.at = start, stop, ctx.store:now()
  if ctx.store.running[e.user] == e.id then ctx.store.running[e.user] = nil end
  return { json = {} }
end

--- DELETE /task/{task_id}/time/{interval_id} — answers {}.
function M.delete(ctx)
  local e, fail = task_interval(ctx)
  if not e then return fail end
  ctx.store:remove(e.id)
  return { json = {} }
end

--- GET /team — the caller's authorized workspaces with members and roles.
function M.teams(_)
  local members = array()
  for i, u in ipairs(state.USERS) do
    local v = view.user(u)
    v.role = u.role
    members[i] = { user = v }
  end
  return { json = { teams = array{ { id = state.TEAM_ID, name = state.TEAM_NAME, color = state.TEAM_COLOR,
                                    avatar = null, members = members } } } }
end

return M
