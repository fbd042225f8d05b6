-- A script through the library (clickup.time.journal) that logs entries for
-- `seconds`, sharing a journal with the command; run by
-- spec/journal_share_spec.lua:  lua writer.lua SECONDS OUT
-- Each line of OUT: "<description> <result>" (done, queued, failed).
local root = assert(os.getenv("CT_ROOT"))
package.path = root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;" .. package.path
local clickup = require "clickup.time"
local journal = require "clickup.time.journal"
local seconds, out = tonumber(arg[1]), assert(io.open(arg[2], "w"))
local client = clickup.new{ token = os.getenv("CLICKUP_TOKEN"), team_id = os.getenv("CLICKUP_TEAM_ID"),
                            base_url = os.getenv("CLICKUP_BASE_URL"), retries = 1, timeout = 3, backoff = 0.05 }
local j = assert(journal.open{ path = os.getenv("CLICKUP_JOURNAL") })
local deadline = clickup.now_ms() + seconds * 1000
local n = 0
while clickup.now_ms() < deadline do
  n = n + 1
  local desc = "B-" .. n
  local r, err = j:log(client, { start = clickup.now_ms() - (200 + n) * 60000, duration = 60000, description = desc })
  out:write(desc, " ", r and (r.queued and "queued" or "done") or ("failed:" .. tostring(err and err.code)), "\n")
  out:flush()
end
out:close()
