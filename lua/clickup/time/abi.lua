--- clickup.time.abi: why the C core did not load, in words a user can act on.
--
-- A core built for another Lua ABI (a 5.4 core in Neovim's LuaJIT, say)
-- fails in the dynamic loader with "undefined symbol: lua_newuserdatauv",
-- before any of its code runs. The core carries a marker of the ABI it was
-- built for ("clickup-time-abi=Lua 5.4;"): read from the file, it says
-- what to rebuild. Loaded only when loading the core failed.

local M = {}

M.searchpath = require("clickup.time.paths").searchpath   -- for rock_check and the specs

--- The ABI a core file was built for ("Lua 5.4", "Lua 5.1 (LuaJIT)"), or nil.
function M.of_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local data = f:read("*a")
  f:close()
  return data:match("clickup%-time%-abi=([^;%z]+);")
end

--- This Lua: "Lua 5.4", or "Lua 5.1 (LuaJIT)".
function M.running()
  return _VERSION .. (rawget(_G, "jit") and " (LuaJIT)" or "")
end

--- A message for `err`, what require "clickup.time.core" raised: which ABI
-- the core was built for, which this Lua is, and how to rebuild. Other
-- failures are passed on as they are.
function M.explain(err, cpath)
  err = tostring(err)
  if not err:find("undefined symbol", 1, true) then return err end
  local where = err:match("([^%s'\"]+%.so)") or M.searchpath("clickup.time.core", cpath or package.cpath)
  local built = where and M.of_file(where)
  local running = M.running()
  local v = _VERSION:match("%d+%.%d+")
  local fix
  if rawget(_G, "vim") then
    fix = "run `make nvim` in the plugin's folder (lazy.nvim: build = \"make nvim\")"
  elseif rawget(_G, "jit") then
    fix = "rebuild it: make LUA=luajit, or luarocks --lua-version=5.1 make"
  else
    fix = ("rebuild it: make LUA_VERSION=%s, or luarocks --lua-version=%s make"):format(v, v)
  end
  return ("clickup.time.core at %s was built for %s, but this is %s: %s"):format(
    where or "?", built or "another Lua", running, fix)
end

return M
