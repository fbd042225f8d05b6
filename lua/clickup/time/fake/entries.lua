--- Handlers for /team/{team_id}/time_entries… (clickup-api-notes.md §5.1–5.13).
-- Each takes ctx = { store, app, query, params, body, user_id, oauth, … } and
-- returns { status = n (default 200), json = value }.

local json = require "clickup.time.fake.json"
local state = require "clickup.time.fake.state"
local view = require "clickup.time.fake.view"
local errors = require "clickup.time.fake.errors"
local util = require "clickup.time.fake.util"

local ipairs, type, tostring = ipairs, type, tostring
local match = string.match
local sort = table.sort

local array, null = json.array, json.null
local err = errors.response
local int, bool = util.int, util.bool

local M = {}

local function ok(data)
  return { json = { data = data } }
end

local function present(v)
  return v ~= nil and v ~= null
end

--- Resolve a task id (custom when query custom_task_ids=true, which then
-- needs query team_id). Returns task, or nil, error response.
function M.resolve_task(ctx, id, notfound)
  local custom = ctx.query.custom_task_ids == "true"
  if custom and (ctx.query.team_id or "") == "" then return nil, err("TEAM_ID_NEEDED") end
  local t = ctx.store:task(id, custom)
  if not t or (custom and ctx.query.team_id ~= state.TEAM_ID) then
    return nil, err(notfound or "TASK_NOT_FOUND")
  end
  return t
end

-- The entry named in the path, if the caller may see it.
local function owned_entry(ctx, id)
  local e = ctx.store.entries[id or ""]
  if not e then return nil, err("NOT_FOUND_ID") end
  if e.user ~= ctx.user_id and not ctx.store:is_admin(ctx.user_id) then
    return nil, err("NO_ACCESS") -- our choice for another user's entry
  end
  return e
end

local function render_opts(ctx)
  return { names = ctx.query.include_location_names == "true",
           task_tags = ctx.query.include_task_tags == "true",
           approval_details = ctx.query.include_approval_details == "true",
           approval_history = ctx.query.include_approval_history == "true", real = ctx.real }
end

-- the render options of the forms that take no query
local function plain(ctx)
  return { real = ctx.real }
end

--- GET /team/{team_id}/time_entries
function M.list(ctx)
  local q, store = ctx.query, ctx.store
  local now = store:now()
  local sd, ed = q.start_date, q.end_date
  if sd == "" then sd = nil end
  if ed == "" then ed = nil end
  if (sd and not int(sd)) or (ed and not int(ed)) then return err("DATE_INT") end
  local end_date = ed and int(ed) or now
  local start_date = sd and int(sd) or (end_date - 30 * state.DAY) -- our choice when only end_date

  local users = {}
  if q.assignee and q.assignee ~= "" then
    local ids = util.split(q.assignee)
    for _, s in ipairs(ids) do
      if not match(s, "^%d+$") then return err("BAD_ASSIGNEE") end
    end
    for _, s in ipairs(ids) do
      local id = int(s)
      if id ~= ctx.user_id and not store:is_admin(ctx.user_id) then return err("NO_ACCESS") end
      users[id] = true
    end
    if ctx.oauth and #ids > 1 then return err("NO_ACCESS") end -- [ANEC] OAuth + comma list
  else
    users[ctx.user_id] = true
  end

  local loc_key, loc_val, n = nil, nil, 0
  for _, k in ipairs{ "space_id", "folder_id", "list_id", "task_id" } do
    if q[k] and q[k] ~= "" then
      n = n + 1
      loc_key, loc_val = k, q[k]
    end
  end
  if n > 1 then return err("ONE_HIERARCHY") end
  local task_filter
  if loc_key == "task_id" then
    local t, e = M.resolve_task(ctx, loc_val)
    if not t and e.json.ECODE ~= "ITEM_013" then return e end
    task_filter = t and t.id or false -- unknown task: empty result (our choice)
  elseif loc_key and not match(loc_val, "^%d+$") then
    return err("HIERARCHY_INT")
  end
  local billable = bool(q.is_billable)

  local list = store:list(function(e)
    if not users[e.user] or e.start < start_date or e.start > end_date then return false end
    if billable ~= nil and e.billable ~= billable then return false end
    if loc_key then
      local t = e.tid and store:task(e.tid)
      if not t then return false end
      if loc_key == "task_id" then return t.id == task_filter end
      return t[loc_key] == loc_val
    end
    return true
  end)
  sort(list, function(a, b)
    if a.start ~= b.start then return a.start < b.start end
    return a.id < b.id
  end)
  local out, opts = array(), render_opts(ctx)
  for i, e in ipairs(list) do out[i] = view.entry(store, e, "list", opts) end
  return ok(out)
end

--- GET /team/{team_id}/time_entries/{timer_id}
function M.get(ctx)
  local e, fail = owned_entry(ctx, ctx.params.id)
  if not e then return fail end
  return ok(view.entry(ctx.store, e, "single", render_opts(ctx)))
end

--- GET /team/{team_id}/time_entries/{timer_id}/history (placeholder shape)
function M.history(ctx)
  local e, fail = owned_entry(ctx, ctx.params.id)
  if not e then return fail end
  local out = array()
  for i, item in ipairs(e.history) do out[i] = view.history(ctx.store, item) end
  return ok(out)
end

--- GET /team/{team_id}/time_entries/current[?assignee=]
function M.current(ctx)
  local store, uid = ctx.store, ctx.user_id
  local a = ctx.query.assignee
  if a and a ~= "" then
    if ctx.oauth then return err("OAUTH_ASSIGNEE") end -- [ANEC] even for the owner
    if not match(a, "^%d+$") then return err("BAD_ASSIGNEE") end
    local id = int(a)
    if id ~= uid and not store:is_admin(uid) then return err("NO_ACCESS") end
    uid = id
  end
  local id = store.running[uid]
  local e = id and store.entries[id]
  if not e then return ok(null) end
  return ok(view.entry(store, e, "current", plain(ctx)))
end

-- Tag names of body.tags (objects or strings), creating labels as needed.
local function body_tags(ctx, v)
  local specs = util.tag_specs(v)
  if not specs then return nil end
  local names = {}
  for _, s in ipairs(specs) do
    local t = ctx.store:tag(s, ctx.user_id)
    names[#names + 1] = t.name
  end
  return names
end

-- Common body fields of create/start: description, billable, tags, tid.
local function common_fields(ctx, b, f)
  if present(b.description) then
    if type(b.description) ~= "string" then return err("BAD_FIELD", "description must be a string") end
    f.description = b.description
  end
  if present(b.billable) then
    f.billable = bool(b.billable)
    if f.billable == nil then return err("BAD_FIELD", "billable must be a boolean") end
  end
  if present(b.tags) then
    f.tags = body_tags(ctx, b.tags)
    if not f.tags then return err("BAD_FIELD", "tags must be a list of {name, tag_bg, tag_fg}") end
  end
  if present(b.tid) and b.tid ~= "" then
    if type(b.tid) ~= "string" then return err("BAD_FIELD", "tid must be a string") end
    local t, fail = M.resolve_task(ctx, b.tid)
    if not t then return fail end
    f.tid = t.id
  end
  return nil
end

--- POST /team/{team_id}/time_entries — end (or stop) wins over duration; a
-- negative duration starts a running timer at `start` (stopping the caller's).
function M.create(ctx)
  local b, store = ctx.body, ctx.store
  if not util.is_object(b) then return err("BAD_JSON", "body must be a JSON object") end
  local start = int(b.start)
  if not start then return err("START_REQUIRED") end
  local f = { user = ctx.user_id, start = start, source = "api" }
  local stop = present(b["end"]) and b["end"] or b.stop
  if present(stop) then
    f["end"] = int(stop)
    if not f["end"] then return err("BAD_FIELD", "end must be an integer (ms)") end
  elseif present(b.duration) then
    local d = int(b.duration)
    if not d then return err("BAD_FIELD", "duration must be an integer (ms)") end
    -- a negative duration: a running timer from start (OUR CHOICE, after
    -- ClickUp's "a negative duration means that timer is currently running";
    -- what the real create does with one is not recorded)
    if d >= 0 then f["end"] = start + d end
  else
    return err("DURATION_NEEDED")
  end
  if f["end"] and f["end"] < start then return err("END_BEFORE") end
  if present(b.assignee) then
    local a = int(b.assignee)
    if not a or not store:user(a) then return err("BAD_ASSIGNEE") end
    if a ~= ctx.user_id and not store:is_admin(ctx.user_id) then return err("NO_ACCESS") end
    f.user = a
  end
  local fail = common_fields(ctx, b, f)
  if fail then return fail end
  f.at = store:now()
  local e = store:add(f)
  return ok(view.entry(store, e, "create", plain(ctx)))
end

--- POST /team/{team_id}/time_entries/start (and the old …/start/{timer_id},
-- whose id is ignored: our choice). A running timer of the caller stops.
function M.start(ctx)
  local b, store = ctx.body, ctx.store
  if not util.is_object(b) then return err("BAD_JSON", "body must be a JSON object") end
  local now = store:now()
  local f = { user = ctx.user_id, start = now, at = now, source = "api_automatic" }
  local fail = common_fields(ctx, b, f)
  if fail then return fail end
  local e = store:add(f)
  return ok(view.entry(store, e, "start", plain(ctx)))
end

--- POST /team/{team_id}/time_entries/stop — {"data":null} when nothing runs
-- (our choice).
function M.stop(ctx)
  local store = ctx.store
  local e = store:stop_running(ctx.user_id, store:now())
  if not e then return ok(null) end
  return ok(view.entry(store, e, "stop", plain(ctx)))
end

local function copy_list(t)
  local out = array()
  for i, v in ipairs(t) do out[i] = v end
  return out
end

--- PUT /team/{team_id}/time_entries/{timer_id}. Tags are ignored, as
-- ClickUp's PUT ignores them (notes §5.4, "measured against the real API"):
-- a body with nothing else is 400 TIMEENTRY_060; labels change through
-- POST/DELETE …/time_entries/tags.
function M.update(ctx)
  local b, store = ctx.body, ctx.store
  if not util.is_object(b) then return err("BAD_JSON", "body must be a JSON object") end
  local e, fail = owned_entry(ctx, ctx.params.id)
  if not e then return fail end
  local any = false
  for _, k in ipairs{ "description", "start", "end", "tid", "billable", "duration" } do
    if b[k] ~= nil then any = true end
  end
  if not any then return err("NEED_PARAM") end

  -- validate everything first, then apply
  local start, stop, duration, billable, tid
  if present(b.start) or present(b["end"]) then
    if not (present(b.start) and present(b["end"])) then return err("START_END_PAIR") end
    start, stop = int(b.start), int(b["end"])
    if not start or not stop then return err("BAD_FIELD", "start and end must be integers (ms)") end
    if stop < start then return err("END_BEFORE") end
  elseif present(b.duration) then
    duration = int(b.duration)
    if not duration or duration < 0 then
      return err("BAD_FIELD", "duration must be a non-negative integer (ms)")
    end
  end
  if present(b.description) and type(b.description) ~= "string" then
    return err("BAD_FIELD", "description must be a string")
  end
  if present(b.billable) then
    billable = bool(b.billable)
    if billable == nil then return err("BAD_FIELD", "billable must be a boolean") end
  end
  if b.tid ~= nil then
    if b.tid == null or b.tid == "" then
      tid = false
    elseif type(b.tid) ~= "string" then
      return err("BAD_FIELD", "tid must be a string")
    else
      local t, tfail = M.resolve_task(ctx, b.tid)
      if not t then return tfail end
      tid = t.id
    end
  end

  local uid, now = ctx.user_id, store:now()
  local function set(field, value)
    local before = e[field]
    if before ~= value then
      store:record(e, field, before, value, uid)
      e[field] = value
    end
  end
  if present(b.description) then set("description", b.description) end
  if billable ~= nil then set("billable", billable) end
  if tid ~= nil then set("tid", tid or nil) end
  if start then
    set("start", start)
    set("end", stop)
  elseif duration then
    set("end", e.start + duration)
  end
  if e["end"] ~= nil and store.running[e.user] == e.id then store.running[e.user] = nil end
  e.at = now

  local form = ctx.app.options.update_response
  if form == "empty" then return { json = {} } end
  local v = view.entry(store, e, "single", render_opts(ctx))
  if form == "object" then return ok(v) end
  return ok(array{ v })
end

--- DELETE /team/{team_id}/time_entries/{timer_id[,timer_id…]}
function M.delete(ctx)
  local store = ctx.store
  local ids = util.split(ctx.params.id)
  if #ids == 0 then return err("NOT_FOUND_ID") end
  local list = {}
  for i, id in ipairs(ids) do
    local e, fail = owned_entry(ctx, id)
    if not e then return fail end -- all or nothing (our choice)
    list[i] = e
  end
  local out = array()
  for i, e in ipairs(list) do
    out[i] = view.entry(store, e, "delete", plain(ctx))
    store:remove(e.id)
  end
  return ok(out)
end

--- GET /team/{team_id}/time_entries/tags
function M.tags_get(ctx)
  local out = array()
  for i, t in ipairs(ctx.store:tag_list()) do out[i] = view.tag(t) end
  return ok(out)
end

-- Entries and tag specs of a POST/DELETE …/tags body.
local function tag_body(ctx)
  local b = ctx.body
  local ids, specs = util.list(b.time_entry_ids), util.tag_specs(b.tags)
  if not util.is_object(b) or not ids or #ids == 0 or not specs or #specs == 0 then
    return nil, err("TAGS_REQUIRED")
  end
  local list = {}
  for i, id in ipairs(ids) do
    local e, fail = owned_entry(ctx, tostring(id))
    if not e then return nil, fail end
    list[i] = e
  end
  return list, specs
end

-- change(entry, spec) for every entry and tag of the body, each entry's
-- change recorded in its history; answers {}
local function retag(ctx, change)
  local list, specs = tag_body(ctx)
  if not list then return specs end
  for _, e in ipairs(list) do
    local before = copy_list(e.tags)
    for _, s in ipairs(specs) do change(e, s) end
    ctx.store:record(e, "tags", before, copy_list(e.tags), ctx.user_id)
    e.at = ctx.store:now()
  end
  return { json = {} }
end

--- POST /team/{team_id}/time_entries/tags — answers {}.
function M.tags_add(ctx)
  return retag(ctx, function(e, s) ctx.store:add_tag(e, ctx.store:tag(s, ctx.user_id).name) end)
end

--- DELETE /team/{team_id}/time_entries/tags — answers {}; labels stay in the workspace.
function M.tags_remove(ctx)
  return retag(ctx, function(e, s) ctx.store:remove_tag(e, s.name) end)
end

--- PUT /team/{team_id}/time_entries/tags {name, new_name, tag_bg, tag_fg} —
-- all four required (notes §5.13); answers {}.
function M.tags_rename(ctx)
  local b, store = ctx.body, ctx.store
  if not util.is_object(b) or type(b.name) ~= "string" then return err("TAG_NOT_FOUND") end
  local t = store.tags[b.name]
  if not t then return err("TAG_NOT_FOUND") end
  for _, k in ipairs{ "new_name", "tag_bg", "tag_fg" } do
    if type(b[k]) ~= "string" or b[k] == "" then return err("TAG_FIELDS") end
  end
  local new = b.new_name
  if new ~= t.name and store.tags[new] then return err("TAG_EXISTS") end -- OURS: never merge two tags
  t.tag_bg, t.tag_fg = b.tag_bg, b.tag_fg
  if new ~= t.name then
    store.tags[t.name] = nil
    local old = t.name
    t.name = new
    store.tags[new] = t
    for _, e in ipairs(store:list()) do
      for i, n in ipairs(e.tags) do
        if n == old then e.tags[i] = new end
      end
    end
  end
  return { json = {} }
end

return M
