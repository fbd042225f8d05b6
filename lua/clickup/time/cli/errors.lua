--- clickup.time.cli.errors: what the `clickup-time` command says when
-- something fails, and with which exit status.
--
-- Exit statuses, the same for every command:
--   0    success (for status: a timer runs)
--   1    no timer runs (status; stop and cancel when there was none)
--   2    a usage or configuration error: a bad flag or value, a config file
--        error, no token, a token ClickUp refuses, an id or task that does
--        not exist, a request ClickUp refuses as it is (4xx)
--   3    ClickUp could not be asked (connection refused, no answer within
--        --timeout, TLS, the rate limit) or failed (5xx, an unreadable
--        answer), or the outcome of a change is unknown
--   130  interrupted (Ctrl-C)
--
-- M.describe(err, about) -> one line (without the "clickup-time: " prefix), status
--   err    an error of the library (clickup.is_error), or a message it raised
--   about  { id = the entry the call was about, task = the task id,
--            base_url =, config = the config file's path, write = true for a change }

local clickup = require "clickup.time"

local tostring, type = tostring, type

local M = {}

M.OK, M.NO_TIMER, M.USAGE, M.UNAVAILABLE, M.INTERRUPTED = 0, 1, 2, 3, 130

local TOKEN_CODES = { OAUTH_017 = true, OAUTH_019 = true, OAUTH_021 = true, OAUTH_025 = true, OAUTH_077 = true }
local TASK_CODES = { ITEM_013 = true, TASK_001 = true, TASK_010 = true }
local ID_CODES = { OAUTH_018 = true, OAUTH_023 = true }

M.UNKNOWN_OUTCOME = "ClickUp may have recorded this entry; check with `clickup-time entries today` before retrying"

--- Is this what lua.c raises on Ctrl-C?
function M.interrupted(e)
  return type(e) == "string" and e:find("interrupted!", 1, true) ~= nil
end

-- the library's words, in the command's
local REWRITES = {
  { ": when%.range reads it", "" },
  { "pass team_id to clickup%.new, or set CLICKUP_TEAM_ID", "set CLICKUP_TEAM_ID, --team, or team in the config file" },
  { "%(use https://, or set allow_insecure_http = true%)", "(use an https:// URL)" },
  { "refusing a plain http:// base_url", "refusing a plain http:// URL" },
  { "bad option 'base_url'", "bad base URL" },
  { "bad option 'token'", "bad token" },
  { "bad option 'team_id'", "bad workspace id" },
}

--- A message the library raised, in the command's words (no "clickup.time: x:" prefix).
function M.plain(msg)
  msg = tostring(msg):gsub("^[^\n]-:%d+: (clickup%.time)", "%1"):gsub("^[%w_/%.%-]+%.lua:%d+: ", "")
  msg = msg:gsub("^clickup%.time%.new: ", ""):gsub("^clickup%.time: [%w_]+: ", ""):gsub("^clickup%.time[%.%w]*: ", "")
  for _, r in ipairs(REWRITES) do msg = msg:gsub(r[1], r[2]) end
  return (msg:gsub("\n.*$", ""))
end

local function where(about)
  return about and about.base_url or "ClickUp"
end

--- The line and status for an error.
function M.describe(err, about)
  about = about or {}
  if not clickup.is_error(err) then return M.plain(err), M.USAGE end
  local code, message = tostring(err.code), tostring(err.message or "")
  if err.outcome == "unknown" then
    local why = err.deadline and message or (err.kind == "transport" and "the connection failed after sending"
                                             or "its answer was lost")
    return why .. ": " .. M.UNKNOWN_OUTCOME, M.UNAVAILABLE
  end
  if err.kind == "transport" then
    if err.deadline then return message .. " (--timeout)", M.UNAVAILABLE end
    if code == "connect" then
      local why = err.curl == "COULDNT_CONNECT" and "connection refused"
                  or message:gsub("^Failed to connect to [^:]*: ", "")
      return ("cannot connect to %s (%s)"):format(where(about), why), M.UNAVAILABLE
    elseif code == "resolve" then
      return ("cannot resolve the host of %s"):format(where(about)), M.UNAVAILABLE
    elseif code == "timeout" then
      return ("ClickUp did not answer in time (%s)"):format(message), M.UNAVAILABLE
    elseif code == "tls" then
      return ("TLS failed with %s: %s"):format(where(about), message), M.UNAVAILABLE
    end
    return ("the connection to %s failed: %s"):format(where(about), message), M.UNAVAILABLE
  elseif err.kind == "decode" then
    return "ClickUp's answer could not be read (" .. code .. "): " .. message, M.UNAVAILABLE
  end
  -- api
  local status = err.status or 0
  local tag = code .. (status > 0 and (", HTTP " .. status) or "")
  if TOKEN_CODES[code] then
    return ("ClickUp refused the token (%s: %s): check --token, CLICKUP_TOKEN or token in %s")
             :format(code, message, about.config or "the config file"), M.USAGE
  elseif TASK_CODES[code] then
    return ("no such task%s (%s)"):format(about.task and (": " .. about.task) or "", tag), M.USAGE
  elseif about.id and (ID_CODES[code] or status == 404) then
    return "no such time entry: " .. about.id, M.USAGE
  elseif code == "SHARD_031" then
    return ("no such workspace%s (%s)"):format(about.team and (": " .. about.team) or "", tag), M.USAGE
  elseif code == "TIMEENTRY_059" then
    return ("ClickUp refused: %s (%s); everyone's entries need a workspace owner's or admin's token")
             :format(message, tag), M.USAGE
  elseif status == 429 then
    return ("ClickUp's rate limit: %s (%s)"):format(message, tag), M.UNAVAILABLE
  elseif status >= 500 then
    return ("ClickUp failed: %s (%s)"):format(message, tag), M.UNAVAILABLE
  end
  return ("ClickUp refused: %s (%s)"):format(message, tag), M.USAGE
end

return M
