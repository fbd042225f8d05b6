-- The Neovim plugin as users install it: a fresh copy of the repository
-- (what git tracks, nothing built), `make nvim` in it and nothing else,
-- then headless `nvim -u NONE` with no LUA_PATH/LUA_CPATH and just that
-- copy on the runtimepath, against the local server.

local fake = require "clickup.time.fake"
local support = require "spec.support"

local ROOT = os.getenv("PWD")

-- (not under the sanitizer runtime that `make asan` preloads into the suite)
local function sh(cmd)
  local r = os.execute("env -u LD_PRELOAD " .. cmd)
  return r == true or r == 0
end

-- what a clone holds: the tracked files (and new ones not ignored), no build
-- output; outside a git checkout (a tarball), the tree without what .gitignore names
local function fresh_copy()
  local dir = os.tmpname()
  os.remove(dir)
  local list = sh("git rev-parse --is-inside-work-tree >/dev/null 2>&1")
      and "git ls-files -z -co --exclude-standard | xargs -0 tar cf -"
      or "tar cf - --exclude=./build --exclude=./luarocks-tree --exclude='*.o' --exclude='*.so' "
         .. "--exclude=./doc/tags ."
  assert(sh(("sh -c %q"):format(("mkdir -p %q && %s | tar xf - -C %q"):format(dir, list, dir))),
         "could not copy the repository")
  return dir
end

local function has_line(lines, pattern)
  for _, l in ipairs(lines or {}) do
    if l:find(pattern) then return l end
  end
end

describe("the Neovim plugin installed from a clone", function()
  local clone, repo, server, out, stderr

  setup(function()
    assert(support.have("nvim"), "nvim is not installed (make deps installs it)")
    clone = fresh_copy()
    assert(sh(("make -s -C %q nvim >%q/make.log 2>&1"):format(clone, clone)),
           "make nvim failed in a fresh copy: " .. tostring(support.slurp(clone .. "/make.log")))
    repo = os.tmpname()
    os.remove(repo)
    assert(sh(("git init -q %q"):format(repo)) and sh(("git -C %q checkout -q -b CU-86c7mc3xy-release"):format(repo)))
    server = fake.spawn{}
    out, stderr = support.nvim(ROOT .. "/spec/nvim/install.lua", clone,
                               { CT_TOKEN = server.token, CT_TEAM = server.team_id,
                                 CT_BASE_URL = server.base_url, CT_REPO = repo, CT_CLONE = clone })
  end)

  teardown(function()
    if server then server:stop() end
    if clone then sh(("rm -rf %q %q"):format(clone, repo or "")) end
  end)

  it("loads nothing at startup but its commands, and runs from the clone's own core", function()
    assert.is_true(out.ok, out.err)
    assert.is_false(out.loaded_at_startup)
    assert.is_true(out.has_command)
    assert.are.equal("Lua 5.1 (LuaJIT)", out.core)
    assert.are.equal("", stderr)
  end)

  it("starts timers on task ids, custom ids and the task of the Git branch", function()
    assert.are.same({
      "ClickUp: started Task 1",
      "ClickUp: Task 1: 0s",
    }, { out.messages[1], out.messages[2] })
    assert.matches("^ClickUp: started Write API docs, stopped Task 1 after %d+s$", out.messages[3])
    assert.matches("^ClickUp: started v2 migration, stopped Write API docs after %d+s$", out.messages[4])
    assert.matches("^ClickUp: started Release 1%.0 %(from branch CU%-86c7mc3xy%-release%), stopped v2 migration",
                   out.messages[5])
    assert.matches("^⏱ Release 1%.0 %d+s$", out.statusline)
    assert.matches("^ClickUp: stopped Release 1%.0 after %d+s$", out.messages[6])
    assert.are.equal("ClickUp: logged 1h 30m on Write API docs", out.messages[7])

    local starts = {}
    for _, r in ipairs(server:requests()) do
      if r.method == "POST" and r.path:match("/time_entries/start$") then starts[#starts + 1] = r end
    end
    assert.are.equal(4, #starts)
    assert.are.same({ tid = "86c7mc19h", description = "Coding the plugin" }, starts[1].json)
    assert.is_nil(starts[1].query.custom_task_ids)
    assert.are.same({ tid = "DEV-42", description = "docs" }, starts[2].json)
    assert.are.equal("true", starts[2].query.custom_task_ids)
    assert.are.equal(server.team_id, starts[2].query.team_id)
    assert.are.same({ description = "v2 migration" }, starts[3].json)       -- "v2" is not a task
    assert.are.same({ tid = "86c7mc3xy" }, starts[4].json)                   -- from the branch
  end)

  it("shows this week's report, as the command prints it, in a scratch buffer", function()
    assert.matches("clickup%-time://report/this week$", out.report_name)
    assert.are.equal("Report, this week", out.report[1])
    -- the same report as `clickup-time report "this week"` against the same server
    assert(support.make("LUA_VERSION=5.4 all"), "no Lua 5.4 core")
    local p = io.popen(("cd %q && env -u LD_PRELOAD CLICKUP_TOKEN=%q CLICKUP_TEAM_ID=%q CLICKUP_BASE_URL=%q "
                        .. "NO_COLOR=1 LUA_PATH=%q LUA_CPATH=%q lua5.4 bin/clickup-time report 'this week' 2>&1")
                       :format(
      ROOT, server.token, server.team_id, server.base_url, ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;;",
      ROOT .. "/build/5.4/?.so;;"))
    local cli = p:read("*a")
    p:close()
    local total = assert(has_line(out.report, "^Total"), "no total line in " .. table.concat(out.report, "\n"))
    assert.are.equal(cli:match("\n(Total[^\n]*)"), total)
    assert.truthy(has_line(out.report, "^Write API docs%s+1%.50"))
  end)

  it("passes :checkhealth with a good token", function()
    assert.truthy(has_line(out.health, "OK.*core built for Lua 5%.1 %(LuaJIT%)"))
    assert.truthy(has_line(out.health, "OK.*libcurl/"))
    assert.truthy(has_line(out.health, "OK.*a token is configured %(from vim%.g%.clickup_time%)"))
    assert.truthy(has_line(out.health, "OK: GET /team: the token reaches 1 workspace"))
    assert.is_nil(has_line(out.health, "ERROR"))
    assert.is_nil(has_line(out.health, server.token))
  end)

  it("opens :help clickup-time after :helptags", function()
    assert.are.equal("clickup-time.txt", out.help_file)
    assert.matches("%*clickup%-time%*", out.help_line)
    assert.matches("%*:ClickUp%-start%*", out.help_start)
  end)

  it("reports a refused token in :checkhealth with ClickUp's code, never the token", function()
    local bad = "pk_0_NOTAVALIDTOKEN0000000000000000"
    local h = support.nvim(ROOT .. "/spec/nvim/health.lua", clone,
                           { CT_TOKEN = bad, CT_TEAM = server.team_id, CT_BASE_URL = server.base_url })
    assert.is_true(h.ok, h.err)
    assert.truthy(has_line(h.health, "ERROR: GET /team: OAUTH_025 %(HTTP 401%)"))
    assert.truthy(has_line(h.health, "refused the token"))
    assert.is_nil(has_line(h.health, bad))
  end)

  it("starts without a token: nothing raises, a command gives one notice", function()
    local r, err = support.nvim(ROOT .. "/spec/nvim/notoken.lua", clone, {})
    assert.is_true(r.ok, r.err)
    assert.are.equal("", r.errmsg_at_startup)
    assert.are.equal("", r.statusline)
    assert.are.equal(0, r.messages_after_statusline)
    assert.are.equal(2, #r.messages)
    assert.matches("^ClickUp: no token: set %$CLICKUP_TOKEN", r.messages[1])
    assert.are.equal(3, r.levels[1])                                        -- WARN
    assert.matches("^ClickUp: unknown command 'bogus'", r.messages[2])
    assert.are.equal("", r.errmsg)
    assert.are.equal("", err)
    local h = support.nvim(ROOT .. "/spec/nvim/health.lua", clone, {})
    assert.truthy(has_line(h.health, "WARNING: no token"))
  end)

  it("uses the token's only workspace when none is configured", function()
    local r, err = support.nvim(ROOT .. "/spec/nvim/noteam.lua", clone,
                                { CT_TOKEN = server.token, CT_BASE_URL = server.base_url })
    assert.is_true(r.ok, r.err)
    assert.are.equal("", r.statusline)
    assert.are.equal(server.team_id, r.team)
    assert.are.same({ "ClickUp: started Task 1" }, { r.messages[1] })
    assert.matches("^⏱ Task 1 %d+s$", r.statusline_after)
    assert.matches("^ClickUp: stopped Task 1 after %d+s$", r.messages[2])
    assert.are.equal("", err)
  end)

  it("records start, stop and log while ClickUp is unreachable, and sends them when it is back", function()
    server:reset()
    local r, err = support.nvim(ROOT .. "/spec/nvim/offline.lua", clone,
                                { CT_TOKEN = server.token, CT_TEAM = server.team_id, CT_BASE_URL = server.base_url,
                                  CT_DOWN = ("http://127.0.0.1:%d/api/v2"):format(support.closed_port()) })
    assert.is_true(r.ok, r.err)
    assert.matches("^ClickUp: ClickUp unreachable: start at %d%d:%d%d recorded, it will be sent$", r.messages[1])
    assert.matches("^⏱ on the train %d+s", r.statusline)
    assert.matches("^ClickUp: ClickUp unreachable: stop at %d%d:%d%d recorded", r.messages[2])
    assert.matches("^ClickUp: ClickUp unreachable: log of %d%d:%d%d%-%d%d:%d%d recorded", r.messages[3])
    assert.are.equal("ClickUp: sent 2 changes recorded while ClickUp was unreachable", r.messages[4])
    assert.are.equal(0, r.left)
    local by = {}
    for _, e in ipairs(server:state().entries) do by[e.description] = e end
    local start, stop, log = r.intents[1], r.intents[2], r.intents[3]
    assert.are.same({ "start", "stop", "log" }, { start.op, stop.op, log.op })
    assert.are.equal(start.at, by["on the train"].start)                 -- the times of the commands
    assert.are.equal(stop.at, by["on the train"]["end"])
    assert.are.equal(log.start, by["written offline"].start)
    assert.are.equal(30 * 60000, by["written offline"]["end"] - by["written offline"].start)
    assert.are.equal("", err)
  end)

  it("asks a failing server at most twice in 5 s of redraws, notifies once, prints nothing", function()
    server:clear_log()
    local r, err = support.nvim(ROOT .. "/spec/nvim/backoff.lua", clone,
                                { CT_TOKEN = "pk_0_NOTAVALIDTOKEN0000000000000000", CT_TEAM = server.team_id,
                                  CT_BASE_URL = server.base_url })
    assert.is_true(r.ok, r.err)
    local asked = 0
    for _, q in ipairs(server:requests()) do
      if q.path:match("/time_entries/current$") then asked = asked + 1 end
    end
    assert.is_true(asked >= 1 and asked <= 2, "requests: " .. asked)
    assert.are.equal("⏱ ?", r.last)
    assert.are.equal(1, #r.messages)
    assert.matches("^ClickUp: statusline: OAUTH_025", r.messages[1])
    assert.are.equal("", err)
  end)

  it("prints nothing to stderr when ClickUp cannot be reached", function()
    local port = support.closed_port()
    local r, err = support.nvim(ROOT .. "/spec/nvim/backoff.lua", clone,
                                { CT_TOKEN = server.token, CT_TEAM = server.team_id,
                                  CT_BASE_URL = ("http://127.0.0.1:%d/api/v2"):format(port) })
    assert.is_true(r.ok, r.err)
    assert.are.equal("⏱ ?", r.last)
    assert.are.equal(1, #r.messages)
    assert.matches("^ClickUp: statusline: connect", r.messages[1])
    assert.are.equal("", err)
  end)
end)
