--- ClickUp error answers `{"err": …, "ECODE": …}` used by the fake.
-- Evidence per clickup-api-notes.md §2, §3, §6; entries marked OURS are our
-- choice where the real API's answer is unknown.

local M = {}

local E = {
  AUTH_MISSING    = { 400, "Authorization header required", "OAUTH_017" },
  TOKEN_INVALID   = { 401, "Token invalid", "OAUTH_025" },
  NOT_FOUND_ID    = { 401, "Oauth token not found", "OAUTH_018" },      -- valid token, unknown path id
  TEAM_NOT_FOUND  = { 404, "Workspace not found", "SHARD_031" },
  RATE_LIMITED    = { 429, "Rate limit reached", "APP_002" },
  NO_ACCESS       = { 403, "You have no access", "TIMEENTRY_059" },
  OAUTH_ASSIGNEE  = { 403, "Team member not authorized", "TEAMM_002" }, -- err text OURS
  BAD_ASSIGNEE    = { 400, "Invalid 'assignee' option", "TIMEENTRY_007" },
  NEED_PARAM      = { 400, "At least one param is required", "TIMEENTRY_060" },
  HIERARCHY_INT   = { 400, "Hierarchy id must be an integer", "TIMEENTRY_062" },
  ONE_HIERARCHY   = { 400, "Only one hierarchy ID could be provided", "TIMEENTRY_065" }, -- status OURS
  DATE_INT        = { 500, "Date must be an integer", "TIMEENTRY_072" },
  TASK_NOT_FOUND  = { 401, "Task not found", "ITEM_013" },              -- body tid / query task_id
  -- OURS from here on.
  ROUTE_NOT_FOUND = { 404, "Route not found", "APP_001" },
  BAD_JSON        = { 400, "Request body is not valid JSON", "INPUT_002" },
  TEAM_ID_NEEDED  = { 400, "team_id is required when custom_task_ids is true", "INPUT_004" },
  START_REQUIRED  = { 400, "start is required and must be an integer (ms)", "TIMEENTRY_001" },
  DURATION_NEEDED = { 400, "duration, end or stop is required", "TIMEENTRY_002" },
  BAD_FIELD       = { 400, "Invalid field", "TIMEENTRY_003" },
  START_END_PAIR  = { 400, "start and end must be provided together", "TIMEENTRY_004" },
  END_BEFORE      = { 400, "end must not be before start", "TIMEENTRY_005" },
  TAGS_REQUIRED   = { 400, "time_entry_ids and tags are required", "TIMEENTRY_006" },
  TAG_NOT_FOUND   = { 400, "Tag not found", "TIMEENTRY_008" },
  TAG_EXISTS      = { 400, "A tag with this name already exists", "TIMEENTRY_010" },
  TAG_FIELDS      = { 400, "name, new_name, tag_bg and tag_fg are required", "TIMEENTRY_011" },
  TIME_REQUIRED   = { 400, "Provide time, or start and end", "TIMEENTRY_009" },
  INTERNAL        = { 500, "Internal fake server error", "FAKE_500" },
}

M.E = E

--- A response table for error `name`; `msg` overrides the message.
function M.response(name, msg)
  local e = assert(E[name], name)
  return { status = e[1], json = { err = msg or e[2], ECODE = e[3] } }
end

return M
