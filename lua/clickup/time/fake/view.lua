--- Per-endpoint JSON forms of a time entry, after the matrix in
-- clickup-api-notes.md §4.2 (S = string, N = number, - = absent):
--
--   form      start end duration at  source task_location  extras
--   list      S     S   S        S   S      ids S (+names)  task_url, is_locked, approval_id, custom_type null
--   single    S     S   S        S   S      ids S (+names)  task_url, is_locked, approval_id
--   delete    S     S   S        S   S      ids S           is_locked, approval_id, custom_type null
--   current   S     -   N (<0)   S   -      {}              is_locked
--   create    N     S   N        N   -      {}              is_locked, user.timezone, status.id
--   start     N     -   N (<0)   N   -      {}              is_locked, status.id
--   stop      S     N   N        N   S      {}              is_locked, approval_id, custom_type null
--
-- A running entry in the string forms carries no `end` and a negative
-- duration string (our choice; the notes only document the number forms).
-- Entries without a task have no `task` key, `task_location = {}` and no
-- `task_url` (our choice); so do entries whose task the caller cannot see
-- (a hidden task). In realistic mode (opts.real, fake/realistic.lua) the
-- real oddities are added on top.

local json = require "clickup.time.fake.json"
local state = require "clickup.time.fake.state"

local tostring, ipairs = tostring, ipairs
local format = string.format
local max = math.max

local M = {}

local array, null = json.array, json.null

local function str(n)
  return format("%.0f", n)
end

local STRING_FORMS = { list = true, single = true, delete = true }

local function user_view(u, with_tz)
  local v = { id = u.id, username = u.username, email = u.email, color = u.color,
              initials = u.initials, profilePicture = null }
  if with_tz then v.timezone = u.timezone end
  return v
end

--- The public user object (optionally with `timezone`).
M.user = user_view

local function task_view(t, form)
  local s = t.status
  local st = { status = s.status, color = s.color, type = s.type, orderindex = s.orderindex }
  if form == "create" or form == "start" then st.id = s.id end
  local v = { id = t.id, name = t.name, status = st }
  if t.custom_id then v.custom_id = t.custom_id end
  if form == "list" or form == "delete" or form == "stop" then v.custom_type = null end
  return v
end

local function location(t, names)
  local v = { list_id = t.list_id, folder_id = t.folder_id, space_id = t.space_id }
  if names then
    v.list_name, v.folder_name, v.space_name = t.list_name, t.folder_name, t.space_name
  end
  return v
end

--- A task's tags (`task_tags`).
local function task_tags(t)
  local out = array()
  for _, tag in ipairs(t and t.tags or {}) do
    out[#out + 1] = { name = tag.name, tag_fg = tag.tag_fg, tag_bg = tag.tag_bg, creator = tag.creator }
  end
  return out
end

--- Render entry `e` of `store` in `form`; `opts.names` adds location names,
-- `opts.task_tags` adds task_tags (list/single only); `opts.real` adds the
-- realistic mode's oddities.
function M.entry(store, e, form, opts)
  opts = opts or {}
  local now = store:now()
  local task = e.tid and store:task(e.tid) or nil
  local u = store:user(e.user) or { id = e.user, username = "", email = "", color = null, initials = "" }
  local tags = array()
  for _, name in ipairs(e.tags) do
    local t = store.tags[name]
    if t then
      tags[#tags + 1] = { name = t.name, tag_bg = t.tag_bg, tag_fg = t.tag_fg, creator = t.creator }
    end
  end
  local running = e["end"] == nil
  -- running: minus the elapsed ms, at least 1 so it is always negative
  -- (real answers come after some latency; a frozen clock would give 0)
  local duration = running and -max(now - e.start, 1) or (e["end"] - e.start)
  local v = {
    id = e.id, wid = state.TEAM_ID, user = user_view(u, form == "create"),
    billable = e.billable, description = e.description, tags = tags, is_locked = e.is_locked,
  }
  if task then v.task = task_view(task, form) end
  if STRING_FORMS[form] then
    v.start, v.duration, v.at = str(e.start), str(duration), str(e.at)
    if not running then v["end"] = str(e["end"]) end
    v.source = e.source
    v.approval_id = null
    v.task_location = task and location(task, opts.names and form ~= "delete") or {}
    if form ~= "delete" and task then
      v.task_url = "https://app.clickup.com/t/" .. task.id
    end
    if opts.task_tags and form ~= "delete" then v.task_tags = task_tags(task) end
  elseif form == "current" then
    v.start, v.duration, v.at = str(e.start), duration, str(e.at)
    v.task_location = {}
  elseif form == "create" then
    v.start, v.duration, v.at = e.start, duration, e.at
    if not running then v["end"] = str(e["end"]) end
    v.task_location = {}
  elseif form == "start" then
    v.start, v.duration, v.at = e.start, duration, e.at
    v.task_location = {}
  elseif form == "stop" then
    v.start, v.duration, v.at = str(e.start), duration, e.at
    v["end"] = e["end"]
    v.source = e.source
    v.approval_id = null
    v.task_location = {}
  else
    error("unknown form " .. tostring(form))
  end
  if opts.real then opts.real:entry(v, e, form, task, e.tid ~= nil and task == nil, opts) end
  return v
end

--- A history item. The real payload of GET …/{timer_id}/history is
-- undocumented; this shape is OUR PLACEHOLDER:
-- { id = string, field = string, before = any, after = any, date = string ms,
--   user = { id = int, username = string } }
function M.history(store, item)
  local u = store:user(item.user) or { id = item.user, username = "" }
  local function val(x)
    if x == nil then return null end
    return x
  end
  return { id = item.id, field = item.field, before = val(item.before), after = val(item.after),
           date = str(item.date), user = { id = u.id, username = u.username } }
end

--- A workspace label.
function M.tag(t)
  return { name = t.name, tag_bg = t.tag_bg, tag_fg = t.tag_fg, creator = t.creator }
end

--- The internal entry as plain data (for /_fake/state).
function M.raw(e)
  local tags = array()
  for i, n in ipairs(e.tags) do tags[i] = n end
  return { id = e.id, user = e.user, tid = e.tid, start = e.start, ["end"] = e["end"],
           billable = e.billable, description = e.description, tags = tags, source = e.source,
           at = e.at, created = e.created, is_locked = e.is_locked }
end

return M
