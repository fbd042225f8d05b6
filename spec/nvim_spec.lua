-- The Neovim integration, for real: headless nvim (LuaJIT) with this
-- repository on its runtimepath and its core built by `make nvim` runs
-- spec/nvim/scenario.lua against the local server.

local fake = require "clickup.time.fake"
local support = require "spec.support"

local ROOT = os.getenv("PWD")

-- run a script in headless nvim with these environment variables; its JSON result
local function run(script, env)
  env = env or {}
  env.CT_ROOT = ROOT
  return (support.nvim(ROOT .. "/" .. script, ROOT, env))
end

describe("Neovim", function()
  local server, out

  setup(function()
    assert(support.have("nvim"), "nvim is not installed (make deps installs it)")
    assert(support.make("nvim"), "make nvim failed")
    server = fake.spawn{}
    local first = server:seed{ entries = { { start = 1700000000000, duration = 60000, description = "seen" } } }[1]
    server:inject{ path = "/team/" .. server.team_id .. "/time_entries/" .. first, delay = 0.3 }
    out = run("spec/nvim/scenario.lua", { CT_TOKEN = server.token, CT_TEAM = server.team_id,
                                          CT_BASE_URL = server.base_url, CT_ENTRY = first })
    out.first = first
  end)
  teardown(function() if server then server:stop() end end)

  it("runs in Neovim's LuaJIT with our LuaJIT build", function()
    assert.is_true(out.ok, out.err)
    assert.are.equal(ROOT .. "/lua/clickup/time/core.so", out.core)
  end)

  it("does not block: a slow request is in flight while a timer ticks, then delivers the entry", function()
    assert.is_true(out.returned_at_once)
    assert.are.equal(0, out.ticks_at_call)
    assert.is_true(out.ticks_at_delivery >= 5, "ticks: " .. tostring(out.ticks_at_delivery))
    assert.are.equal(out.first, out.entry_id)
    assert.are.equal("number", out.entry_start_type)
  end)

  it("runs the commands and reports with vim.notify", function()
    local m = out.messages
    assert.are.equal("ClickUp: no timer running", m[1])
    assert.are.equal("ClickUp: started Task 1", m[2])
    assert.matches("^ClickUp: Task 1: %d+s$", m[3])
    assert.matches("^ClickUp: stopped Task 1 after %d+s$", m[4])
    assert.are.equal("ClickUp: logged 1h 30m on Write API docs", m[5])
    assert.matches("^ClickUp: usage: :ClickUp log {duration", m[6])
    assert.are.equal("ClickUp: started Deep work", m[7])
  end)

  it("shows the running timer in the statusline, from a cache", function()
    assert.are.equal("", out.statusline_before)
    assert.matches("^⏱ Task 1 %d+s$", out.statusline)
    assert.are.equal("", out.statusline_after)
  end)

  it("asks on return from an idle spell, and trims the entry", function()
    assert.are.equal(0, out.asked_early)
    assert.are.equal(1, out.asked)
    assert.matches("Deep work kept running while you were away for 3m", out.prompt)
    assert.are.same({ "Keep the time", "Trim the entry to when I went idle", "Discard the entry" }, out.choices)
    assert.matches("^ClickUp: trimmed Deep work to ", out.messages[8])
  end)

  it("decodes with vim.json when lua-cjson is not installed", function()
    local r = run("spec/nvim/json_fallback.lua")
    assert.is_true(r.ok, r.err)
    assert.is_true(r.has_json)
    assert.are.equal("4927021473019559762", r.id)
    assert.are.equal(1769469504061, r.start)
    assert.are.equal(759, r.duration)
    assert.is_true(r.approval_id_absent and r.custom_type_absent and r.picture_absent)
    assert.is_true(r.current_false)
  end)

  it("left ClickUp in the right state", function()
    local st = server:state()
    local by = {}
    for _, e in ipairs(st.entries) do by[e.description] = e end
    assert.is_nil(st.running[server.user_id])
    assert.is_number(by["Coding the plugin"]["end"])
    assert.are.equal(5400000, by["Review"]["end"] - by["Review"].start)
    assert.are.equal("86c7mc2ab", by["Review"].tid)
    assert.is_number(by["Deep work"]["end"])        -- trimmed, no longer running
  end)
end)
