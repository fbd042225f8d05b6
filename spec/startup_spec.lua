-- What starting costs: `require "clickup.time"` loads neither the core nor
-- libcurl (they load when a client is made), and `clickup-time status
-- --cached` answers from the journal without them or argparse. No time is
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

describe("starting", function()
  it("require 'clickup.time' loads no core, until a client is made", function()
    local set = loaded_after('local clickup = require "clickup.time"')
    assert.is_true(set["clickup.time"])
    assert.is_nil(set["clickup.time.core"])
    assert.is_nil(set["clickup.time.client"])
    set = loaded_after('local clickup = require "clickup.time"; clickup.new{ token = "pk_1_x", team_id = "1" }')
    assert.is_true(set["clickup.time.core"])
  end)

  it("status --cached answers from the journal without the core, argparse or the network", function()
    local set = loaded_after('arg = { "status", "--cached" }; require("clickup.time.cli").main(arg)')
    assert.is_true(set["clickup.time.cli"])
    assert.is_true(set["clickup.time.journal"])
    assert.is_nil(set["clickup.time.core"])
    assert.is_nil(set["argparse"])
  end)
end)
