-- The clickup-time command when things go wrong: exit statuses, errors in
-- the command's words, --timeout, Ctrl-C, a refused connection, a change
-- whose outcome is unknown, the config file, rate-limit waits, serve-fake.

local fake = require "clickup.time.fake"
local cli = require "spec.cli_support"
local support = require "spec.support"
local socket = require "socket"

describe("clickup-time, when things go wrong", function()
  local server, home

  setup(function()
    server = fake.spawn{ rate_limit = 100000 }
    home = cli.tmpdir()
    assert(os.execute("mkdir -p " .. cli.q(home .. "/.config/clickup-time")))
  end)
  teardown(function()
    server:stop()
    cli.rmdir(home)
  end)
  before_each(function()
    server:reset()
    cli.fresh_journal()
  end)

  local function env(extra) return cli.env(server, home, extra) end
  local function run(args, extra, opts) return cli.run(env(extra), args, opts) end
  local CONFIG = function() return home .. "/.config/clickup-time/config" end
  local function config(text, mode)
    local f = assert(io.open(CONFIG(), "w"))
    f:write(text)
    f:close()
    assert(os.execute("chmod " .. (mode or "600") .. " " .. cli.q(CONFIG())))
  end
  after_each(function() os.remove(CONFIG()) end)

  -- no library vocabulary in what a person reads
  local function plain_words(err)
    for _, words in ipairs{ "clickup.new", "when.range", "allow_insecure_http", "clickup.time", "traceback",
                            "team_id", "base_url" } do
      assert.is_nil(err:find(words, 1, true), words .. " in: " .. err)
    end
    assert.matches("^clickup%-time: [^\n]+\n$", err)
  end

  describe("exit statuses and errors", function()
    it("0, 1 for status when none runs, 2 for usage, in one line each", function()
      assert.are.equal(1, (run("status")))
      local st, out, err = run("frobnicate")
      assert.are.same({ 2, "" }, { st, out })
      assert.matches("^clickup%-time: unknown command 'frobnicate'", err)
      st, out, err = run("log forever")
      assert.are.same({ 2, "" }, { st, out })
      plain_words(err)
      st, out, err = run("start --at 'this week'")
      assert.are.same({ 2, "" }, { st, out })
      assert.are.equal("clickup-time: --at: 'this week' is a span of time, not a moment\n", err)
      st, out, err = run("--timeout zero status")
      assert.are.same({ 2, "" }, { st, out })
      plain_words(err)
    end)

    it("a token ClickUp refuses, no token, no workspace, a plain http URL: 2, in plain words", function()
      local st, out, err = run("status", { CLICKUP_TOKEN = "pk_bad" })
      assert.are.same({ 2, "" }, { st, out })
      assert.are.equal("clickup-time: ClickUp refused the token (OAUTH_025: Token invalid): check --token, "
                       .. "CLICKUP_TOKEN or token in " .. CONFIG() .. "\n", err)
      st, out, err = run("status", { CLICKUP_TOKEN = false })
      assert.are.same({ 2, "" }, { st, out })
      assert.matches("^clickup%-time: no token: set CLICKUP_TOKEN", err)
      st, out, err = run("status", { CLICKUP_TEAM_ID = false })
      assert.are.same({ 2, "" }, { st, out })
      assert.are.equal("clickup-time: no workspace: set CLICKUP_TEAM_ID, --team, or team in the config file\n",
                       err)
      plain_words(err)
      st, out, err = run("status", { CLICKUP_BASE_URL = "http://example.com/api/v2" })
      assert.are.same({ 2, "" }, { st, out })
      assert.matches("plain http:// URL", err)
      plain_words(err)
      st, out, err = run("status", { CLICKUP_TEAM_ID = "123" })
      assert.are.same({ 2, "" }, { st, out })
      assert.are.equal("clickup-time: no such workspace: 123 (SHARD_031, HTTP 404)\n", err)
    end)

    it("an id ClickUp answers with 401 OAUTH_018 is no such time entry", function()
      local st, _, err = run("delete 4927021999999999999 --yes")
      assert.are.same({ 2, "clickup-time: no such time entry: 4927021999999999999 (nothing deleted)\n" }, { st, err })
      st, _, err = run("continue 4927021999999999999")
      assert.are.same({ 2, "clickup-time: no such time entry: 4927021999999999999\n" }, { st, err })
    end)

    it("a week start that is no weekday is an error before any request", function()
      server:clear_log()
      local st, _, err = run("--week-start funday report 'this week'")
      assert.are.equal(2, st)
      assert.matches("^clickup%-time: %-%-week%-start: 'funday' is not a weekday", err)
      st, _, err = run("entries", { CLICKUP_WEEK_START = "funday" })
      assert.are.equal(2, st)
      assert.matches("^clickup%-time: CLICKUP_WEEK_START: 'funday'", err)
      assert.are.equal(0, #server:requests())
    end)
  end)

  describe("never hangs", function()
    it("--timeout: status against a 25 s delay exits 3 within the timeout", function()
      server:inject{ path_prefix = "/team/" .. server.team_id .. "/time_entries/current", delay = 25 }
      local st, out, err, took = run("--timeout 1.5 status")
      assert.are.same({ 3, "Not known: ClickUp unreachable, and the journal has not seen a timer yet.\n" },
                      { st, out })
      assert.are.equal("clickup-time: ClickUp did not answer within 1.5 s (--timeout)\n", err)
      assert.is_true(took >= 1.4 and took < 1.5 + 1.5, "took " .. took .. " s")
    end)

    it("Ctrl-C during a slow request ends the command within 0.5 s, exit 130", function()
      server:inject{ path_prefix = "/team/" .. server.team_id .. "/time_entries", delay = 20 }
      -- job control (set -m) keeps SIGINT for the background command, as a terminal would
      local out = cli.sh(env(), [[
        set -m
        $CLI entries 'last 30 days' >/dev/null 2>"$HOME/err" &
        pid=$!
        sleep 0.7
        t0=$(date +%s%N)
        kill -INT $pid
        wait $pid
        rc=$?
        t1=$(date +%s%N)
        echo "rc=$rc ms=$(( (t1 - t0) / 1000000 ))"
        cat "$HOME/err"
      ]])
      local rc, ms = out:match("rc=(%d+) ms=(%d+)")
      assert.are.equal("130", rc, out)
      assert.is_true(tonumber(ms) < 500, out)
      assert.matches("clickup%-time: interrupted\n", out)
    end)

    it("Ctrl-C during a change: it is in the journal, checked with ClickUp and sent once", function()
      server:inject{ method = "POST", path = "/team/" .. server.team_id .. "/time_entries", delay = 20 }
      local out = cli.sh(env(), [[
        set -m
        $CLI log 30m -m interrupted >/dev/null 2>"$HOME/err" &
        pid=$!
        sleep 0.7
        kill -INT $pid
        wait $pid
        echo "rc=$?"
        cat "$HOME/err"
      ]])
      assert.matches("rc=130\nclickup%-time: interrupted: the change is recorded in the journal; it will be "
                     .. "checked with ClickUp and sent once %(clickup%-time sync%)\n$", out)
      server:clear_injections()
      local st, sout = run("sync")
      assert.are.equal(0, st, sout)
      local n = 0
      for _, e in ipairs(server:state().entries) do if e.description == "interrupted" then n = n + 1 end end
      assert.are.equal(1, n)                                  -- the delayed one, or the one sent now: once
    end)

    it("Ctrl-C during a change, the journal off: says that ClickUp may have made it", function()
      server:inject{ method = "POST", path = "/team/" .. server.team_id .. "/time_entries", delay = 20 }
      local out = cli.sh(env{ CLICKUP_JOURNAL = "off" }, [[
        set -m
        $CLI log 30m -m interrupted >/dev/null 2>"$HOME/err" &
        pid=$!
        sleep 0.7
        kill -INT $pid
        wait $pid
        echo "rc=$?"
        cat "$HOME/err"
      ]])
      assert.matches("rc=130\nclickup%-time: interrupted: ClickUp may have recorded this entry; check with "
                     .. "`clickup%-time entries today` before retrying\n$", out)
    end)

    it("a refused connection fails at once, naming the URL", function()
      local url = "http://127.0.0.1:" .. support.closed_port() .. "/api/v2"
      local st, out, err, took = run("status", { CLICKUP_BASE_URL = url })
      assert.are.same({ 3, "Not known: ClickUp unreachable, and the journal has not seen a timer yet.\n" },
                      { st, out })
      assert.are.equal("clickup-time: cannot connect to " .. url .. " (connection refused)\n", err)
      assert.is_true(took < 2, "took " .. took .. " s")
    end)

    it("a POST whose outcome is unknown: recorded, checked with ClickUp before it is sent again", function()
      -- the connection dies after sending; the reads that would tell fail too
      server:inject{ method = "POST", path = "/team/" .. server.team_id .. "/time_entries", drop = "after" }
      server:inject{ method = "GET", path_prefix = "/team/" .. server.team_id .. "/time_entries", drop = "before" }
      local st, out, err = run("--timeout 5 log 30m -m 'maybe'")
      assert.are.same({ 0, "" }, { st, err })
      assert.matches("^ClickUp did not answer: log of %d%d:%d%d%-%d%d:%d%d recorded; ClickUp may have it already, "
                     .. "which is checked before it is sent again\n$", out)
      plain_words("clickup-time: " .. out)
      server:clear_injections()
      assert.are.equal(0, (run("sync")))
      -- it did: the entry is there, once
      local n = 0
      for _, e in ipairs(server:state().entries) do if e.description == "maybe" then n = n + 1 end end
      assert.are.equal(1, n)
    end)

    it("a POST whose outcome is unknown, the journal off, says so, exit 3", function()
      server:inject{ method = "POST", path = "/team/" .. server.team_id .. "/time_entries", drop = "after" }
      server:inject{ method = "GET", path_prefix = "/team/" .. server.team_id .. "/time_entries", drop = "before" }
      local st, out, err = run("--timeout 5 log 30m -m 'maybe'", { CLICKUP_JOURNAL = "off" })
      assert.are.same({ 3, "" }, { st, out })
      assert.matches("ClickUp may have recorded this entry; check with `clickup%-time entries today` before "
                     .. "retrying\n$", err)
      plain_words(err)
      local n = 0
      for _, e in ipairs(server:state().entries) do if e.description == "maybe" then n = n + 1 end end
      assert.are.equal(1, n)
    end)

    it("rate-limit waits over a second print one line on a terminal, none elsewhere", function()
      local path = "/team/" .. server.team_id .. "/time_entries/current"
      server:inject{ path = path, reset_in = 1, times = 1 }
      local st, _, err = run("status")
      assert.are.equal(1, st)
      assert.are.equal("", err)
      if not cli.have("script") then
        pending("no script(1) for a terminal")
        return
      end
      server:inject{ path = path, reset_in = 1, times = 1 }
      local out = cli.sh(env(), "script -qec \"$CLI status\" /dev/null </dev/null")
      assert.matches("rate limit: waiting %d s\r?\n", out)
      assert.matches("No timer running%.", out)
    end)
  end)

  describe("the config file", function()
    it("keys spelled like the flags, comments after values, quotes", function()
      config("# clickup-time\ntoken = " .. server.token .. "   # the admin's\nteam = " .. server.team_id
             .. "\nbase-url = '" .. server.base_url .. "'\nweek-start = sunday # a comment\n")
      local env_off = { CLICKUP_TOKEN = false, CLICKUP_TEAM_ID = false, CLICKUP_BASE_URL = false }
      local st, _, err = run("status", env_off)
      assert.are.same({ 1, "" }, { st, err })
      local _, out = run("report 'this week' --by week --json", env_off)
      assert.are.equal("sunday", cli.json(out).week_start)
    end)

    it("errors name the file and the line; unknown keys are warned about", function()
      config("token = " .. server.token .. "\nthis is not a setting\n")
      local st, out, err = run("status")
      assert.are.same({ 2, "" }, { st, out })
      assert.are.equal("clickup-time: " .. CONFIG() .. ":2: expected key = value\n", err)
      config("tokn = x\nweek_start = monday\ncolour = blue\n")
      st, out, err = run("status")
      assert.are.same({ 1, "No timer running.\n" }, { st, out })
      assert.are.equal("clickup-time: warning: " .. CONFIG() .. ":1: unknown key 'tokn' (ignored); did you mean "
                       .. "'token'?\nclickup-time: warning: " .. CONFIG() .. ":3: unknown key 'colour' (ignored)\n",
                       err)
      config("base_url = \"http://x\n")
      st, out, err = run("status")
      assert.are.same({ 2, "" }, { st, out })
      assert.are.equal("clickup-time: " .. CONFIG() .. ":1: the quote \" is not closed\n", err)
    end)

    it("refuses a file that holds a token and that others can read", function()
      config("token = " .. server.token .. "\n", "644")
      local st, _, err = run("status", { CLICKUP_TOKEN = false })
      assert.are.equal(2, st)
      assert.matches("holds a token and others can read it %(rw%-r%-%-r%-%-%): chmod 600", err)
      config("token = " .. server.token .. "\n", "600")
      assert.are.equal(1, (run("status", { CLICKUP_TOKEN = false })))
    end)
  end)

  describe("serve-fake", function()
    -- serve-fake in its own process group (as a terminal's job), its exit status in a file
    local function serve(args)
      local vars = env()
      local out, rc_file, pid_file = os.tmpname(), os.tmpname(), os.tmpname()
      os.remove(rc_file)
      assert(os.execute("cd " .. cli.q(home) .. " && " .. cli.env_prefix(vars) .. " bash -c 'set -m; bash -c \""
                        .. cli.COMMAND .. " serve-fake " .. args .. " >" .. out .. " 2>&1; echo $? >" .. rc_file
                        .. "\" & echo $! >" .. pid_file .. "'"))
      local pid = cli.slurp(pid_file):match("%d+")
      os.remove(pid_file)
      return pid, out, rc_file
    end

    it("prints the base URL, workspace, tokens and an export line; Ctrl-C stops it quietly", function()
      local port = support.closed_port()
      local pid, out, rc_file = serve("--port " .. port)
      local s
      for _ = 1, 100 do
        s = socket.connect("127.0.0.1", port)
        if s then break end
        socket.sleep(0.05)
      end
      assert.is_truthy(s, "the server did not listen")
      s:close()
      local text = cli.slurp(out)
      local url = "http://127.0.0.1:" .. port .. "/api/v2"
      assert.matches("base URL +" .. url:gsub("%p", "%%%0"), text)
      assert.matches("workspace id +" .. server.team_id, text)
      assert.matches("token +" .. server.token, text)
      assert.truthy(text:find("export CLICKUP_BASE_URL=" .. url .. " CLICKUP_TEAM_ID=" .. server.team_id
                              .. " CLICKUP_TOKEN=" .. server.token, 1, true))
      -- the line works: a command against it
      local st = cli.run(cli.env({ token = server.token, team_id = server.team_id, base_url = url }, home),
                         "status")
      assert.are.equal(1, st)
      cli.sh(env(), "kill -INT -- -" .. pid .. "; for i in $(seq 100); do [ -s " .. rc_file
             .. " ] && break; sleep 0.05; done")
      assert.are.equal("0\n", cli.slurp(rc_file))           -- a quiet stop: exit 0
      local after = cli.slurp(out)
      os.remove(out)
      os.remove(rc_file)
      assert.are.equal(text, after)                         -- nothing more: no trace, no noise
    end)

    it("a port in use is a one-line error", function()
      local busy = assert(socket.bind("127.0.0.1", 0))
      local _, port = busy:getsockname()
      local st, out, err = run("serve-fake --port " .. port)
      busy:close()
      assert.are.same({ 2, "" }, { st, out })
      assert.are.equal("clickup-time: serve-fake: port " .. port .. ": address already in use\n", err)
    end)
  end)
end)
