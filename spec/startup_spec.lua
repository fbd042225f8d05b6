-- What starting costs: `require "clickup.time"` loads neither the core nor
-- libcurl (they load when a client is made), and `clickup-time status
-- --cached` answers from the journal without them or argparse (`status`
-- builds no parser either); a blocking
-- call loads no more than it needs (clickup.time.lazy). No time is
-- asserted: what is loaded is.

local cli = require "spec.cli_support"

local ROOT = os.getenv("PWD")

-- the modules a Lua that runs `code` has loaded, as a set
local function loaded_after(code, args)
  local out = os.tmpname()
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write(code, "\nlocal o = assert(io.open(", ("%q"):format(out), ", 'w'))\n",
          "for name in pairs(package.loaded) do o:write(name, '\\n') end\no:close()\n")
  f:close()
  os.execute(("cd / && env HOME=%q XDG_STATE_HOME=%q LUA_PATH=%q LUA_CPATH=%q %s %s %s >/dev/null 2>&1")
    :format(os.tmpname(), os.tmpname(), ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;;",
            ROOT .. "/" .. cli.BUILD .. "/?.so;;", cli.LUA, script, args or ""))
  local set = {}
  for name in (cli.slurp(out) or ""):gmatch("[^\n]+") do set[name] = true end
  os.remove(out)
  os.remove(script)
  return set
end

-- every name of `yes` is in the set, none of `no`
local function assert_loaded(set, yes, no)
  for _, name in ipairs(yes) do assert.is_true(set[name], name .. " is loaded") end
  for _, name in ipairs(no or {}) do assert.is_nil(set[name], name .. " is not loaded") end
end

describe("starting", function()
  it("require 'clickup.time' loads no core, until a client is made", function()
    assert_loaded(loaded_after('local clickup = require "clickup.time"'),
                  { "clickup.time" }, { "clickup.time.core", "clickup.time.client" })
    local make = 'local clickup = require "clickup.time"; clickup.new{ token = "pk_1_x", team_id = "1" }'
    assert_loaded(loaded_after(make), { "clickup.time.core" })
  end)

  it("a blocking call loads neither the scheduler, the ranges nor reconciliation", function()
    local make = 'local c = require("clickup.time").new{ token = "pk_1_x", team_id = "1", retries = 0, '
                 .. 'base_url = "http://127.0.0.1:9/api/v2" }; '
    assert_loaded(loaded_after(make .. 'assert(not c:current())'), { "clickup.time.runner" },
                  { "clickup.time.scheduler", "clickup.time.fetch", "clickup.time.reconcile", "clickup.time.when",
                    "clickup.time.forms", "clickup.time.anomalies" })
    assert_loaded(loaded_after(make .. 'assert(not c:entries())'), { "clickup.time.fetch" })
    -- a table of parameters: the forms look for human times, and find none to read
    assert_loaded(loaded_after(make .. 'assert(not c:entries{ start_date = 1, end_date = 2 })'),
                  { "clickup.time.forms" }, { "clickup.time.when" })
    assert_loaded(loaded_after(make .. 'c:current(function() end); c:wait(2000)'), { "clickup.time.scheduler" })
  end)

  it("lua-cjson loads only for an answer the fused decoder leaves to it", function()
    local code = 'local core = require "clickup.time.core"; '
                 .. 'assert(#assert(core.decode("entries", \'{"data":[{"id":"7","start":"1"}]}\')) == 1)'
    assert.is_nil(loaded_after(code).cjson)
    -- "1." is a number to lua-cjson only: the reference path decodes it
    assert.is_true(loaded_after(code .. '; assert(core.decode("entries", \'{"data":[{"id":"7","x":1.}]}\'))').cjson)
    assert.is_true(loaded_after('assert(require("clickup.time.core").has_json())').cjson)
  end)

  it("a lazy module loads at its first field, then is the module", function()
    local lazy = require "clickup.time.lazy"
    package.loaded["spec.lazy_probe"] = nil
    local loads = 0
    package.preload["spec.lazy_probe"] = function()
      loads = loads + 1
      return { answer = 42, f = function(x) return x + 1 end }
    end
    local m = lazy "spec.lazy_probe"
    assert.are.equal(0, loads)
    assert.are.equal(42, m.answer)
    assert.are.equal(1, loads)
    assert.are.equal(3, m.f(2))
    assert.is_nil(m.missing)
    assert.are.equal(1, loads)
    assert.are.equal(package.loaded["spec.lazy_probe"].f, m.f)
    package.preload["spec.lazy_probe"], package.loaded["spec.lazy_probe"] = nil, nil
  end)

  it("status --cached answers from the journal without the core, argparse or the network", function()
    assert_loaded(loaded_after('arg = { "status", "--cached" }; require("clickup.time.cli").main(arg)'),
                  { "clickup.time.cli", "clickup.time.journal" },
                  { "clickup.time.core", "argparse", "clickup.time.journal.replay" })
  end)

  it("status, with --json and --cached, builds no parser, and takes its arguments as argparse does", function()
    assert_loaded(loaded_after('require("clickup.time.cli").main{ "status", "--json" }'),
                  { "clickup.time.cli" }, { "argparse", "clickup.time.cli.parser" })
    assert_loaded(loaded_after('require("clickup.time.cli").main{ "status", "--json", "--cached", "-x" }'),
                  { "argparse" })

    local main = require "clickup.time.cli"
    local p = main.parser()
    for _, argv in ipairs{ { "status" }, { "status", "--json" }, { "status", "--cached" },
                           { "status", "--cached", "--json" }, { "status", "--json", "--json" } } do
      local ok, parsed = p:pparse(argv)
      assert.is_true(ok)
      assert.are.same(parsed, main.plain_status(argv))
    end
    for _, argv in ipairs{ { "--token", "x", "status" }, { "stop" }, { "status", "-h" }, { "status", "--json", "x" },
                           {} } do
      assert.is_nil(main.plain_status(argv), table.concat(argv, " "))
    end
  end)
end)
