-- A person's command through the journal, killed (SIGKILL, by itself) at a
-- point of its work when CT_KILL_AT names one: "before" (the journal write),
-- "intent" (written, nothing sent), "attempt" (about to send), "sent" (the
-- answer is in, not yet recorded), "ack" (recorded). Run by
-- spec/journal_crash_spec.lua:  lua crash.lua OP DESCRIPTION [TARGET]
local root = assert(os.getenv("CT_ROOT"))
package.path = root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;" .. package.path
local clickup = require "clickup.time"
local journal = require "clickup.time.journal"

local kill_at = os.getenv("CT_KILL_AT")
local function hook(point)
  if point == kill_at then
    io.stdout:flush()
    os.execute("kill -9 " .. clickup.core.getpid())
  end
end

local client = clickup.new{ token = os.getenv("CT_TOKEN"), team_id = os.getenv("CT_TEAM"),
                            base_url = os.getenv("CT_BASE_URL"), retries = 0, timeout = 5 }
local j = assert(journal.open{ path = os.getenv("CT_JOURNAL"), hook = hook })
local op, desc, target = arg[1], arg[2], arg[3]
local MIN = 60000
local r
if op == "log" then
  r = j:log(client, { start = clickup.now_ms() - 90 * MIN, duration = 10 * MIN, description = desc })
elseif op == "start" then
  r = j:start(client, { description = desc })
elseif op == "stop" then
  r = j:stop(client)
elseif op == "cancel" then
  r = j:cancel(client)
elseif op == "edit" then
  r = j:edit(client, target, { description = desc })
elseif op == "delete" then
  r = j:delete(client, target)
end
print(r and (r.queued and "queued" or "done") or "failed")
