--- The fake's store: workspace, users, tokens, tasks, labels, time entries,
-- running timers and the server clock. No HTTP and no JSON forms here.
--
-- Entries are stored in one internal shape (numbers are Lua numbers, ids are
-- strings); `view.lua` turns them into each endpoint's JSON form.
--   { id = "4927021…" (19 digits), user = 272627274, tid = "86c7mc19h" or nil,
--     start = ms, ["end"] = ms or nil (nil while running), billable = bool,
--     description = "", tags = { "name", … }, source = "api", at = ms,
--     created = ms, is_locked = false, history = { item, … } }

local socket = require "socket"

local floor = math.floor
local ipairs, pairs, type, tostring = ipairs, pairs, type, tostring
local format = string.format
local sort = table.sort

local M = {}

local DAY = 86400000
local HOUR = 3600000
local MINUTE = 60000

M.TEAM_ID = "90152245421"
M.TEAM_NAME = "Example Workspace"
M.TEAM_COLOR = "#536cfe"

--- Users of the seeded workspace; role 1 owner, 2 admin, 3 member.
M.USERS = {
  { id = 272627274, username = "Example User", email = "user@example.com", color = "#595d66",
    initials = "EU", timezone = "Europe/Madrid", role = 1,
    token = "pk_272627274_Q7K3M9X2B5N8R4T6W1Y0Z3C7V5H9J2L4",
    oauth_token = "272627274_5f0c9a7e3b1d4f6a8c2e0b9d7f5a3c1e8b6d4f20" },
  { id = 30025034, username = "Member User", email = "member@example.com", color = "#d60800",
    initials = "MU", timezone = "America/New_York", role = 3,
    token = "pk_30025034_H4J8K2L6M0N3P7Q1R5S9T2V6W0X4Y8Z1" },
  { id = 81942731, username = "Admin Two", email = "admin2@example.com", color = "#08c7e0",
    initials = "AT", timezone = "UTC", role = 2 },
}
M.ADMIN_ID = 272627274
M.MEMBER_ID = 30025034

local function status(s, id, color, typ, orderindex)
  return { status = s, id = id, color = color, type = typ, orderindex = orderindex }
end

--- Seeded tasks (ids, statuses and locations are strings, as ClickUp sends them).
M.TASKS = {
  { id = "86c7mc19h", name = "Task 1",
    status = status("in progress", "p90159451300_g9uxhsQM", "#1090e0", "custom", 1),
    list_id = "901520000146", list_name = "Sprint 12",
    folder_id = "901513462383", folder_name = "Engineering",
    space_id = "90159451300", space_name = "Product",
    tags = { { name = "backend", tag_fg = "#800000", tag_bg = "#2ecd6f", creator = 272627274 } } },
  { id = "86c7mc2ab", name = "Write API docs", custom_id = "DEV-42",
    status = status("to do", "p90159451300_a1B2c3D4", "#d3d3d3", "open", 0),
    list_id = "901520000147", list_name = "Backlog",
    folder_id = "901513462383", folder_name = "Engineering",
    space_id = "90159451300", space_name = "Product",
    tags = {} },
  { id = "86c7mc3xy", name = "Release 1.0",
    status = status("complete", "p90159451301_z9Y8x7W6", "#008844", "closed", 2),
    list_id = "901520000200", list_name = "Releases",
    folder_id = "901513462400", folder_name = "Ops",
    space_id = "90159451301", space_name = "Operations",
    tags = { { name = "release", tag_fg = "#ffffff", tag_bg = "#7b68ee", creator = 30025034 } } },
}

--- Tasks the caller cannot see (in a private space): entries seeded on one
-- answer `task: "0"` in realistic mode, and no task otherwise; the API
-- resolves none of them (ITEM_013), as for an unknown task.
M.HIDDEN_TASKS = {
  { id = "86c7mczz0", name = "Private planning" },
}

--- Seeded workspace time-entry labels.
local SEED_TAGS = {
  { name = "billing", tag_bg = "#BF55EC", tag_fg = "#FFFFFF", creator = 272627274 },
  { name = "meeting", tag_bg = "#1090e0", tag_fg = "#FFFFFF", creator = 272627274 },
  { name = "deep-work", tag_bg = "#008844", tag_fg = "#000000", creator = 30025034 },
}

--- Seeded entries, relative to the clock at reset time (`ago` ms before now).
-- Four in the last 30 days, two older; none running.
local SEED_ENTRIES = {
  { user = 272627274, tid = "86c7mc19h", ago = 2 * DAY + 3 * HOUR, duration = HOUR,
    description = "Implement login", billable = true, tags = { "billing" }, source = "clickup" },
  { user = 272627274, tid = "86c7mc2ab", ago = 5 * DAY, duration = 30 * MINUTE,
    description = "", billable = false, tags = {}, source = "clickup_automatic" },
  { user = 272627274, ago = 10 * DAY, duration = 45 * MINUTE,
    description = "Team meeting", billable = false, tags = { "meeting" }, source = "clickup" },
  { user = 272627274, tid = "86c7mc3xy", ago = 45 * DAY, duration = 2 * HOUR,
    description = "Old release work", billable = true, tags = {}, source = "clickup" },
  { user = 30025034, tid = "86c7mc19h", ago = DAY, duration = 90 * MINUTE,
    description = "Code review", billable = false, tags = { "deep-work" }, source = "clickup" },
  { user = 30025034, tid = "86c7mc2ab", ago = 40 * DAY, duration = HOUR,
    description = "Old docs", billable = false, tags = {}, source = "clickup" },
  { user = 81942731, tid = "86c7mc3xy", ago = 3 * DAY, duration = 20 * MINUTE,
    description = "", billable = false, tags = {}, source = "clickup" },
}

M.DAY = DAY

-- Time-entry ids: 19 decimal digits, a fixed prefix plus a 12-digit counter,
-- built as strings so they never pass through a double.
local ID_PREFIX = "4927021"
local ID_BASE = 492799897428

local Store = {}
Store.__index = Store

--- A new store; `opts.now` freezes the clock (ms).
function M.new(opts)
  local self = setmetatable({}, Store)
  self.frozen = opts and opts.now or nil
  self:reset()
  return self
end

--- Current server time in ms (the frozen clock, else real time).
function Store:now()
  if self.frozen then
    return self.frozen
  end
  return floor(socket.gettime() * 1000)
end

--- Freeze the clock at `ms`; nil returns to real time.
function Store:set_clock(ms)
  self.frozen = ms and floor(ms) or nil
end

--- Back to the seed (relative to the current clock).
function Store:reset()
  self.entries = {}      -- id -> entry
  self.order = {}        -- ids in creation order
  self.running = {}      -- user id -> entry id
  self.tags = {}         -- name -> { name, tag_bg, tag_fg, creator }
  self.counter = 0
  self.history_counter = 0
  for _, t in ipairs(SEED_TAGS) do
    self.tags[t.name] = { name = t.name, tag_bg = t.tag_bg, tag_fg = t.tag_fg, creator = t.creator }
  end
  local now = self:now()
  for _, s in ipairs(SEED_ENTRIES) do
    local start = now - s.ago
    self:add{ user = s.user, tid = s.tid, start = start, ["end"] = start + s.duration,
              description = s.description, billable = s.billable, tags = s.tags, source = s.source,
              at = start + s.duration }
  end
end

function Store:next_id()
  self.counter = self.counter + 1
  return format("%s%012d", ID_PREFIX, ID_BASE + self.counter)
end

--- The user record for an id (integer), or nil.
function Store.user(_, id)
  for _, u in ipairs(M.USERS) do
    if u.id == id then return u end
  end
  return nil
end

--- True when the user is the workspace owner or an admin.
function Store:is_admin(id)
  local u = self:user(id)
  return u ~= nil and (u.role == 1 or u.role == 2)
end

--- Resolve a task by id, or by custom id when `custom` is true.
function Store.task(_, id, custom)
  if type(id) ~= "string" then return nil end
  for _, t in ipairs(M.TASKS) do
    if (custom and t.custom_id == id) or (not custom and t.id == id) then
      return t
    end
  end
  return nil
end

--- A hidden task by id, or nil (for seeding only).
function Store.hidden_task(_, id)
  for _, t in ipairs(M.HIDDEN_TASKS) do
    if t.id == id then return t end
  end
  return nil
end

--- Find or create a workspace label; `spec` is a name or {name, tag_bg, tag_fg}.
function Store:tag(spec, creator)
  local name = type(spec) == "table" and spec.name or spec
  if type(name) ~= "string" or name == "" then return nil end
  local t = self.tags[name]
  if not t then
    local bg = type(spec) == "table" and type(spec.tag_bg) == "string" and spec.tag_bg or "#7b68ee"
    local fg = type(spec) == "table" and type(spec.tag_fg) == "string" and spec.tag_fg or "#ffffff"
    t = { name = name, tag_bg = bg, tag_fg = fg, creator = creator }
    self.tags[name] = t
  end
  return t
end

--- All labels sorted by name.
function Store:tag_list()
  local list = {}
  for _, t in pairs(self.tags) do list[#list + 1] = t end
  sort(list, function(a, b) return a.name < b.name end)
  return list
end

--- Stop `user`'s running timer at `at` (ms); returns the stopped entry or nil.
function Store:stop_running(user, at)
  local id = self.running[user]
  if not id then return nil end
  self.running[user] = nil
  local e = self.entries[id]
  if not e then return nil end
  if at < e.start then at = e.start end
  e["end"] = at
  e.at = at
  return e
end

--- Add an entry (internal shape; `end` nil makes it the user's running timer,
-- stopping the previous one). Returns the entry.
function Store:add(f)
  local now = self:now()
  local e = {
    id = self:next_id(), user = f.user, tid = f.tid, start = f.start, ["end"] = f["end"],
    billable = f.billable and true or false, description = f.description or "",
    tags = {}, source = f.source or "api", at = f.at or now, created = now,
    is_locked = false, history = {},
  }
  for _, t in ipairs(f.tags or {}) do
    local tag = self:tag(t, f.user)
    if tag then self:add_tag(e, tag.name) end
  end
  if e["end"] == nil then
    self:stop_running(e.user, e.start)
    self.running[e.user] = e.id
  end
  self.entries[e.id] = e
  self.order[#self.order + 1] = e.id
  return e
end

function Store.add_tag(_, e, name)
  for _, n in ipairs(e.tags) do
    if n == name then return end
  end
  e.tags[#e.tags + 1] = name
end

function Store.remove_tag(_, e, name)
  for i = #e.tags, 1, -1 do
    if e.tags[i] == name then table.remove(e.tags, i) end
  end
end

--- Remove an entry by id; returns it.
function Store:remove(id)
  local e = self.entries[id]
  if not e then return nil end
  self.entries[id] = nil
  for i, x in ipairs(self.order) do
    if x == id then table.remove(self.order, i) break end
  end
  if self.running[e.user] == id then self.running[e.user] = nil end
  return e
end

--- Entries in creation order, filtered by `pred(e)` when given.
function Store:list(pred)
  local out = {}
  for _, id in ipairs(self.order) do
    local e = self.entries[id]
    if e and (not pred or pred(e)) then out[#out + 1] = e end
  end
  return out
end

--- Append a history item (placeholder shape, see view.history).
function Store:record(e, field, before, after, user)
  self.history_counter = self.history_counter + 1
  e.history[#e.history + 1] = {
    id = tostring(self.history_counter), field = field, before = before, after = after,
    date = self:now(), user = user,
  }
end

return M
