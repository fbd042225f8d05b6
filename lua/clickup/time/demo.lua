--- clickup.time.demo: the main job, as `make demo` runs it.
--
-- Against the local ClickUp server: log a manual entry, start and stop a
-- timer, list this week and print per-task totals. With CLICKUP_TOKEN and
-- CLICKUP_TEAM_ID set it talks to the real ClickUp and only reads: the
-- running timer and this week's totals, changing nothing.

local clickup = require "clickup.time"

local M = {}

local HOUR, MINUTE = 3600000, 60000

local function hm(ms)
  local minutes = math.floor(ms / MINUTE + 0.5)
  return string.format("%dh %02dm", math.floor(minutes / 60), minutes % 60)
end

-- Monday 00:00 of this week, local time, in milliseconds.
local function week_start_ms(now_ms)
  local t = os.date("*t", math.floor(now_ms / 1000))
  local back = (t.wday + 5) % 7                     -- days since Monday
  return os.time{ year = t.year, month = t.month, day = t.day - back, hour = 0 } * 1000
end

local function check(result, err, what)
  if result == nil then
    io.stderr:write("demo: ", what, " failed: ", tostring(err), "\n")
    os.exit(1)
  end
  return result
end

local function report(client, out, now)
  local from = week_start_ms(now)
  local entries = check(client:entries{ start_date = from, end_date = now }, nil, "entries")
  local totals, order, sum = {}, {}, 0
  for _, e in ipairs(entries) do
    local name = e.task and e.task.name or "(no task)"
    if not totals[name] then
      totals[name] = 0
      order[#order + 1] = name
    end
    local ms = e:elapsed(now)
    totals[name] = totals[name] + ms
    sum = sum + ms
  end
  table.sort(order, function(a, b) return totals[a] > totals[b] end)
  out:write(string.format("\nThis week (since %s): %d entries\n",
                          os.date("%a %Y-%m-%d", math.floor(from / 1000)), #entries))
  for _, name in ipairs(order) do
    out:write(string.format("  %-32s %9s\n", name, hm(totals[name])))
  end
  out:write(string.format("  %-32s %9s\n", "total", hm(sum)))
end

local function running(client, out, now)
  local cur = check(client:current(), nil, "current")
  if cur then
    out:write(string.format("Running: %s (%s so far)\n",
                            cur.task and cur.task.name or cur.description, hm(cur:elapsed(now))))
  else
    out:write("No timer running.\n")
  end
end

--- Read-only look at the real ClickUp.
local function live(out)
  local client = clickup.new{}
  out:write("ClickUp workspace ", client.team_id, " (read only)\n")
  running(client, out, clickup.now_ms())
  report(client, out, clickup.now_ms())
end

--- The scripted session against the local server.
local function local_session(out)
  local fake = require "clickup.time.fake"
  local server = fake.spawn{}
  local ok, err = pcall(function()
    local client = clickup.new{ token = server.token, team_id = server.team_id,
                                base_url = server.base_url }
    local task = server.tasks[1]
    local now = clickup.now_ms()
    out:write("Local ClickUp server at ", server.base_url, "\n")

    local entry = check(client:create{ tid = task.id, start = now - 3 * HOUR, duration = 90 * MINUTE,
                                       description = "Design review", billable = true },
                        nil, "create")
    out:write(string.format("Logged %s on %q: entry %s\n", hm(entry.duration), task.name, entry.id))

    server:set_clock(now)
    local timer = check(client:start{ tid = server.tasks[2].id, description = "Coding" }, nil, "start")
    out:write(string.format("Started a timer on %q: entry %s\n", server.tasks[2].name, timer.id))
    server:set_clock(now + 25 * MINUTE)             -- the local server's clock moves on
    running(client, out, now + 25 * MINUTE)
    local stopped = check(client:stop(), nil, "stop")
    out:write(string.format("Stopped it after %s\n", hm(stopped.duration)))
    server:set_clock(nil)

    report(client, out, now + 25 * MINUTE)
    client:close()
  end)
  server:stop()
  if not ok then error(err, 0) end
end

--- Run the demo; output goes to `out` (default io.stdout).
function M.run(out)
  out = out or io.stdout
  if clickup.getenv("CLICKUP_TOKEN") and clickup.getenv("CLICKUP_TEAM_ID") then
    live(out)
  else
    local_session(out)
  end
end

return M
