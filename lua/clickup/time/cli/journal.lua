--- clickup.time.cli.journal: the command's writes through the local journal
-- (clickup.time.journal), so that start, stop, log, edit, delete and cancel
-- work when ClickUp cannot be reached, survive a crash, and are sent once.
--
-- The journal is $XDG_STATE_HOME/clickup-time/journal (else
-- ~/.local/state/clickup-time/journal); CLICKUP_JOURNAL or the config key
-- `journal` name another file, or `off` (the writes then go straight to
-- ClickUp, as before). CLICKUP_TIME_CRASH_AT=<point> makes the command kill
-- itself (SIGKILL) at that point of a write: a testing aid for the crash
-- specs ("before", "intent", "attempt", "sent", "ack").
--
--   local cj = require "clickup.time.cli.journal"
--   local j = cj.open(getenv, conf, driver)   -- nil when off
--   local r, err = cj.call(j, client, "stop", { at = ... })   -- raises cj.Queued when it waits

local journal = require "clickup.time.journal"
local file = require "clickup.time.journal.file"

local type, setmetatable, getmetatable, error, ipairs = type, setmetatable, getmetatable, error, ipairs
local floor = math.floor

local M = {}

local OFF = { off = true, ["false"] = true, no = true, none = true }

--- The command's journal, or nil when it is off (or no home holds it).
-- readonly: only to read it (status --cached).
function M.open(getenv, conf, driver, readonly)
  local setting = getenv("CLICKUP_JOURNAL")
  if setting == nil or setting == "" then setting = conf.journal end
  if setting and OFF[setting:lower()] then return nil end
  local path = (setting and setting ~= "") and setting or file.default_path(getenv)
  if not path then return nil end
  local crash_at = getenv("CLICKUP_TIME_CRASH_AT")
  local hook
  if crash_at and crash_at ~= "" then
    hook = function(point)
      if point == crash_at then
        io.stdout:flush()
        os.execute("kill -9 " .. require("clickup.time").core.getpid())
      end
    end
  end
  local j, err = journal.open{ path = path, hook = hook, lock_wait = 15000, readonly = readonly,
                               call = driver and function(_, name, ...) return driver:run(name, ...) end }
  if not j then return nil, err end
  return j
end

--- The error a write raises when ClickUp could not be reached: main prints its line, exit 0.
M.Queued = { __tostring = function(q) return M.queued_line(q.intent) end }

function M.is_queued(x) return type(x) == "table" and getmetatable(x) == M.Queued end

local VERB = journal.VERB

--- "ClickUp unreachable: stop at 17:32 recorded, it will be sent"
M.queued_line = journal.queued_line

--- A write through the journal: what the client's method returns, or nil and
-- ClickUp's refusal (an immediate refusal is not kept: the person saw it).
-- Raises M.Queued when the write waits in the journal.
function M.call(j, client, op, ...)
  local r, err, view
  local a, b, c = ...
  if op == "start" then r, err, view = j:start(client, a)
  elseif op == "stop" then r, err, view = j:stop(client, a)
  elseif op == "cancel" then r, err, view = j:cancel(client, a)
  elseif op == "log" then r, err, view = j:log(client, a)
  elseif op == "edit" then r, err, view = j:edit(client, a, b, c)
  elseif op == "delete" then r, err, view = j:delete(client, a)
  else error("clickup.time.cli.journal: no write " .. tostring(op), 2) end
  if type(r) == "table" and r.queued then error(setmetatable({ intent = r }, M.Queued), 0) end
  if r == nil and view and view.status == "failed" then j:drop(view.id) end
  return r, err
end

--- The lines `sync` prints of a summary, and whether everything is sent.
function M.sync_lines(sm)
  local lines = {}
  local function at(v) return os.date("%a %m-%d %H:%M", floor(v.at / 1000)) end
  for _, v in ipairs(sm.sent or {}) do
    if v.outcome ~= "merged" then
      local e = v.entry
      lines[#lines + 1] = ("Sent: %s of %s%s"):format(VERB[v.op] or v.op, at(v),
                          e and e.id and (" (entry " .. e.id .. ")") or "")
    end
  end
  for _, v in ipairs(sm.failed or {}) do
    lines[#lines + 1] = ("Refused: %s of %s: %s%s (kept: clickup-time sync --drop %s)"):format(VERB[v.op] or v.op,
                        at(v), v.code or "?", v.message and (" " .. v.message) or "", v.id)
  end
  if sm.busy then lines[#lines + 1] = "Another clickup-time is sending; nothing sent." end
  if (sm.pending or 0) > 0 then
    lines[#lines + 1] = ("%d change%s wait%s: ClickUp unreachable"):format(sm.pending, sm.pending == 1 and "" or "s",
                        sm.pending == 1 and "s" or "")
  end
  return lines, (sm.pending or 0) == 0 and not sm.busy
end

return M
