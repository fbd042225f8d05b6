-- A core built for another Lua ABI: loading it says which ABI it was built
-- for, which this Lua is, and how to rebuild; never the dynamic loader's
-- "undefined symbol".

local support = require "spec.support"

local ROOT = os.getenv("PWD")

local function load_with(lua, build)
  local out = os.tmpname()
  os.execute(("cd / && env -u LD_PRELOAD LUA_PATH=%q LUA_CPATH=%q %s -e 'require(\"clickup.time\").load()' >%s 2>&1")
    :format(
    ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;;", ROOT .. "/" .. build .. "/?.so;;", lua, out))
  local text = support.slurp(out)
  os.remove(out)
  return text
end

describe("a core built for another Lua", function()
  setup(function()
    assert(support.make("LUA=luajit LUA_VERSION= all"), "no LuaJIT core")
    assert(support.make("LUA_VERSION=5.4 all"), "no Lua 5.4 core")
  end)

  it("in LuaJIT, a 5.4 core says so and how to rebuild", function()
    local msg = load_with("luajit", "build/5.4")
    assert.matches("clickup%.time%.core at [^ ]*build/5%.4/clickup/time/core%.so was built for Lua 5%.4, "
                   .. "but this is Lua 5%.1 %(LuaJIT%): rebuild it: make LUA=luajit", msg)
    assert.is_nil(msg:find("undefined symbol", 1, true))
  end)

  it("in Lua 5.4, a LuaJIT core says so", function()
    local msg = load_with("lua5.4", "build/luajit")
    assert.matches("was built for Lua 5%.1 %(LuaJIT%), but this is Lua 5%.4: rebuild it: make LUA_VERSION=5%.4", msg)
    assert.is_nil(msg:find("undefined symbol", 1, true))
  end)

  it("tells the ABI it was built for", function()
    local core = require "clickup.time.core"
    assert.are.equal(_VERSION .. (rawget(_G, "jit") and " (LuaJIT)" or ""), core.ABI)
    local abi = require "clickup.time.abi"
    assert.are.equal(core.ABI, abi.of_file(abi.searchpath("clickup.time.core", package.cpath)))
  end)
end)
