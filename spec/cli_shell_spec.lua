-- What Timewarrior and Watson users expect of a command: --version, help
-- [command], shell completions from the parser (they load in bash, zsh and
-- fish), and a man page made from the same parser by the build.

local cli = require "spec.cli_support"
local man = require "clickup.time.cli.man"
local clickup = require "clickup.time"

describe("clickup-time in the shell", function()
  local home
  setup(function() home = cli.tmpdir() end)
  teardown(function() cli.rmdir(home) end)

  local function run(args)
    return cli.run(cli.env({ token = "pk_unused", team_id = "1", base_url = "http://127.0.0.1:9/api/v2" }, home), args)
  end
  local function parser() return require("clickup.time.cli").parser() end

  it("--version", function()
    local st, out, err = run("--version")
    assert.are.same({ 0, "" }, { st, err })
    assert.matches("^clickup%-time " .. clickup.VERSION:gsub("%.", "%%.") .. " %(Lua[JIT]* [%d.]+[^,]*, libcurl/", out)
  end)

  it("help, help <command>, <command> --help", function()
    local st, out = run("help")
    assert.are.equal(0, st)
    assert.matches("^Usage: clickup%-time", out)
    assert.matches("\nCommands:\n", out)
    st, out = run("help report")
    assert.are.equal(0, st)
    assert.matches("^Usage: clickup%-time report", out)
    assert.matches("%-%-round", out)
    local again = select(2, run("report --help"))
    assert.are.equal(out, again)
    local err
    st, out, err = run("help frobnicate")
    assert.are.same({ 2, "" }, { st, out })
    assert.are.equal("clickup-time: help: unknown command 'frobnicate'\n", err)
  end)

  it("completion bash loads in bash and completes commands and flags", function()
    local st, script = run("completion bash")
    assert.are.equal(0, st)
    assert.are.equal(man.completion(parser(), "bash"), script)
    local path = home .. "/clickup-time.bash"
    local f = assert(io.open(path, "w"))
    f:write(script)
    f:close()
    assert.are.equal("", cli.sh({ PWD = home }, "bash -n " .. cli.q(path)))
    local out = cli.sh({ PWD = home }, "source " .. cli.q(path) .. [[

      complete -p clickup-time
      COMP_WORDS=(clickup-time rep); COMP_CWORD=1; _clickup-time; echo "1: ${COMPREPLY[*]}"
      COMP_WORDS=(clickup-time report --ro); COMP_CWORD=2; _clickup-time; echo "2: ${COMPREPLY[*]}"
      COMPREPLY=(); COMP_WORDS=(clickup-time report --round-per ''); COMP_CWORD=3; _clickup-time
      echo "3: ${COMPREPLY[*]}"
    ]])
    assert.matches("complete %-o bashdefault %-o default %-F _clickup%-time clickup%-time\n", out)
    assert.matches("\n1: report\n", out)
    assert.matches("\n2: %-%-round %-%-round%-per\n", out)
    assert.matches("\n3: entry group\n", out)                -- the choices of an option
  end)

  it("completion zsh and fish: their shells read them", function()
    for _, shell in ipairs{ "zsh", "fish" } do
      local st, script = run("completion " .. shell)
      assert.are.equal(0, st)
      assert.truthy(script:find("clickup-time", 1, true))
      if cli.have(shell) then
        local path = home .. "/completion." .. shell
        local f = assert(io.open(path, "w"))
        f:write(script)
        f:close()
        local out = cli.sh({ PWD = home }, shell .. " -n " .. cli.q(path) .. " && echo ok")
        assert.are.equal("ok\n", out, shell)
      end
    end
    assert.are.equal(2, (run("completion tcsh")))
  end)

  it("the man page: made from the parser, every command in it, the exit statuses", function()
    local page = man.page(parser(), { date = "2026-12-01" })
    assert.matches('^%.TH CLICKUP\\%-TIME 1 "2026%-12%-01"', page)
    for _, cmd in ipairs(parser()._commands) do
      assert.truthy(page:find("\n.SS " .. cmd._name:gsub("%-", "\\-") .. "\n", 1, true), cmd._name)
    end
    for _, section in ipairs{ "NAME", "SYNOPSIS", "OPTIONS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES" } do
      assert.truthy(page:find("\n.SH " .. section .. "\n", 1, true), section)
    end
    assert.truthy(page:find(".B 130\n", 1, true))
    -- the build made it too, from the same parser (run make after changing the command)
    local built = cli.slurp("build/man/man1/clickup-time.1")
    assert.are.equal(page:gsub("^[^\n]*\n", ""), built:gsub("^[^\n]*\n", ""))
    for _, f in ipairs(man.FILES) do
      if f[2] ~= "page" then assert.are.equal(man.completion(parser(), f[2]), cli.slurp("build/" .. f[1])) end
    end
    if cli.have("man") then
      local built_path = os.getenv("PWD") .. "/build/man/man1/clickup-time.1"
      local out = cli.sh({ PWD = home }, "MANWIDTH=80 man -l " .. cli.q(built_path) .. " 2>&1 | col -b")
      assert.matches("CLICKUP%-TIME%(1%)", out)
      assert.matches("EXIT STATUS", out)
      assert.matches("clickup%-time start %[%-%-at <at>%]", out)
    end
  end)
end)
