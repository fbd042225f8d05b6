--- The fake's realistic mode: the oddities of real ClickUp answers that the
-- notes record (clickup-api-notes.md §4.1, §5, §7), sent at a rate.
--
-- Every oddity is a form ClickUp really sends, where it sends it, so a
-- client that types the real forms sees the same meaning in both modes:
--   task "0"              the task of an entry the caller cannot see (a
--                         hidden task: state.HIDDEN_TASKS); always
--   null ids and colours  a task_location id, a user's or a status's colour
--   custom_type           an integer or a string where the default mode sends null
--   profilePicture        a URL instead of null
--   …/t/null              task_url of an entry without a task (list, single)
--   approval              approval_id and approval when include_approval_*
--                         is asked (list, single); always
--   an empty 200          where the spec documents no body and no recording
--                         contradicts it: the label writes, update, the
--                         legacy writes (not DELETE of entries: recorded
--                         with its array)
-- The draws come from a seeded generator of our own, restarted by reset,
-- so a run is repeatable.

local json = require "clickup.time.fake.json"

local floor, tostring, tonumber, type, setmetatable = math.floor, tostring, tonumber, type, setmetatable
local format = string.format

local null = json.null

local M = {}

M.DEFAULT_RATE = 0.5
M.SEED = 20260126

local Real = {}
Real.__index = Real

--- A realistic mode with this rate (0..1, the chance of each oddity).
function M.new(rate, seed)
  local self = setmetatable({ rate = rate or M.DEFAULT_RATE, seed0 = seed or M.SEED }, Real)
  self:restart()
  return self
end

function Real:restart()
  self.seed = self.seed0
end

--- Park-Miller, exact on every Lua: a number in [0, 1).
function Real:draw()
  self.seed = (self.seed * 48271) % 2147483647
  return self.seed / 2147483647
end

--- True at the rate.
function Real:odd()
  return self:draw() < self.rate
end

local LOCATION_IDS = { "list_id", "folder_id", "space_id" }

--- The oddities of a rendered entry `v` (view.entry) of form `form`; `e` is
-- the stored entry, `task` its visible task or nil, `hidden` true when the
-- entry has a task the caller cannot see, `opts` the render options.
function Real:entry(v, e, form, task, hidden, opts)
  local listed = form == "list" or form == "single"
  if hidden then
    v.task = "0"                                    -- S6 5661eab: no access to the task
  end
  if type(v.task) == "table" then
    if v.task.custom_type == null and self:odd() then      -- S6 0e39e9c; the docs say a string
      v.task.custom_type = self:odd() and 1 or "milestone"
    end
    if v.task.status and self:odd() then v.task.status.color = null end   -- S6 d39ad16
  end
  if type(v.task_location) == "table" and v.task_location.list_id and self:odd() then
    v.task_location[LOCATION_IDS[floor(self:draw() * 3) + 1]] = null   -- S6 ae8d960
  end
  if type(v.user) == "table" then
    if self:odd() then
      v.user.profilePicture = format("https://attachments.clickup.com/profilePictures/%s_%s.jpg",
                                     tostring(v.user.id), "hK3")
    end
    if self:odd() then v.user.color = null end
  end
  if listed and not task and not hidden and self:odd() then
    v.task_url = "https://app.clickup.com/t/null"   -- S11: task-less entries
  end
  if listed and opts and (opts.approval_details or opts.approval_history) then
    v.approval_id = "2d539936-" .. e.id:sub(-12)
    local a = { id = v.approval_id, workspace_id = floor(tonumber(v.wid) or 0), status = "pending",
                data = { start_of_week = e.start - e.start % 604800000,
                         end_of_week = e.start - e.start % 604800000 + 604799999 },
                user = { id = e.user }, approvers = json.array{ { id = 272627274 } }, approver_id = 272627274 }
    if opts.approval_history then
      a.history = json.array{ { id = "1", field = "status", before = "draft", after = "pending",
                               created_at = e.at, user = { id = e.user, username = "", role = 1 } } }
    end
    v.approval = a
  end
  return v
end

--- An empty 200 instead of `{}` (or of the entry), at the rate.
function Real:empty(res)
  if (res.status or 200) == 200 and self:odd() then
    res.json, res.body = nil, ""
    res.headers = res.headers or {}
    res.headers["Content-Type"] = "application/json; charset=utf-8"
  end
  return res
end

return M
