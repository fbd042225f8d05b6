-- `make demo`: the scripted session on the local server, and the read-only
-- look at a real workspace (here: the local server standing in for it).

local clickup = require "clickup.time"
local demo = require "clickup.time.demo"
local fake = require "clickup.time.fake"

-- an `out` that keeps what is written
local function buffer()
  local parts = {}
  return { write = function(self, ...)
    for _, s in ipairs{ ... } do parts[#parts + 1] = tostring(s) end
    return self
  end, text = function() return table.concat(parts) end }
end

describe("the demo", function()
  teardown(function() clickup.getenv = os.getenv end)

  it("logs, times and reports on the local server", function()
    clickup.getenv = function() return nil end
    local out = buffer()
    demo.run(out)
    local text = out:text()
    assert.matches("$ clickup-time start 86c7mc19h -m 'Design review' --billable\nStarted Task 1 at", text, 1, true)
    assert.matches("Running: Task 1: Design review, since %d%d:%d%d %(25m%)", text)
    assert.matches("Stopped Task 1: Design review after 25m", text, 1, true)
    assert.matches("Logged 1h 30m on Write API docs", text, 1, true)
    assert.matches("\nTotal +%d+%.%d%d +%d+%.%d%d +%d+%.%d%d\n", text)   -- hours, rounded, amount
    assert.matches("█", text, 1, true)                 -- the chart of hours per day
  end)

  it("only reads when it talks to a real workspace", function()
    local server = fake.spawn{}
    local env = { CLICKUP_TOKEN = server.token, CLICKUP_TEAM_ID = server.team_id,
                  CLICKUP_BASE_URL = server.base_url }
    clickup.getenv = function(name) return env[name] end
    local out = buffer()
    local ok, err = pcall(demo.run, out)
    local log = server:requests()
    server:stop()
    assert(ok, err)
    assert.matches("(read only)", out:text(), 1, true)
    assert.matches("No timer running.", out:text(), 1, true)
    assert.matches("$ clickup-time report 'this week' --round 15m:up", out:text(), 1, true)
    assert.is_true(#log >= 2)
    for _, req in ipairs(log) do assert.are.equal("GET", req.method) end
  end)
end)
