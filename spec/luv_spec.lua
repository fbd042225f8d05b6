-- The README's luv example, as it is written there, runs to the end and
-- exits 0 under lua5.4 and LuaJIT (Debian's luv 1.44 crashes at exit when a
-- closed handle's close never completed), printing nothing to stderr.

local fake = require "clickup.time.fake"
local support = require "spec.support"

local ROOT = os.getenv("PWD")

local function readme_example(name)
  local readme = assert(support.slurp(ROOT .. "/README.md"))
  local at = assert(readme:find("<!-- example: " .. name, 1, true), "no example " .. name .. " in README.md")
  return assert(readme:match("```lua\n(.-)```", at), "no lua block after the marker")
end

local function run(lua, build, script, env)
  local path, out, err = os.tmpname(), os.tmpname(), os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(script)
  f:close()
  local vars = {}
  for k, v in pairs(env) do vars[#vars + 1] = ("%s=%q"):format(k, v) end
  local cmd = ("cd / && env -u LD_PRELOAD %s LUA_PATH=%q LUA_CPATH=%q %s %s >%s 2>%s; echo $? >>%s"):format(
    table.concat(vars, " "), ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;;",
    ROOT .. "/" .. build .. "/?.so;;", lua, path, out, err, out)
  os.execute(cmd)
  local stdout, stderr = support.slurp(out), support.slurp(err)
  os.remove(path); os.remove(out); os.remove(err)
  local status = tonumber(stdout:match("(%d+)%s*$"))
  return status, stdout:gsub("%d+%s*$", ""), stderr
end

describe("the README's luv example", function()
  local server, script
  setup(function()
    server = fake.spawn{}
    script = readme_example("luv")
  end)
  teardown(function() server:stop() end)

  for _, v in ipairs{ { "lua5.4", "build/5.4" }, { "luajit", "build/luajit" } } do
    it("exits 0 under " .. v[1], function()
      assert(support.make("LUA=" .. (v[1] == "luajit" and "luajit LUA_VERSION=" or "lua5.4") .. " all"),
             "the core for " .. v[1] .. " does not build")
      local env = { CLICKUP_TOKEN = server.token, CLICKUP_TEAM_ID = server.team_id,
                    CLICKUP_BASE_URL = server.base_url }
      local status, stdout, stderr = run(v[1], v[2], script, env)
      assert.are.equal("", stderr)
      assert.are.equal("no timer\n", stdout)
      assert.are.equal(0, status)
      -- and with ClickUp down: the error is printed by the example, nothing else, exit 0
      env.CLICKUP_BASE_URL = ("http://127.0.0.1:%d/api/v2"):format(support.closed_port())
      status, stdout, stderr = run(v[1], v[2], script, env)
      assert.are.equal("", stderr)
      assert.matches("^clickup%.time: connect", stdout)
      assert.are.equal(0, status)
    end)
  end
end)
