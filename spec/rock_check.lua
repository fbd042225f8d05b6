-- Run by `make rock-check` after installing the rock into a temporary tree,
-- from outside the source tree, with `luarocks path` set: the installed
-- module must load from that tree and work against the installed fake.
local tree = assert(os.getenv("TREE"), "TREE not set")
local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
for _, name in ipairs{ "clickup.time.core" } do
  local where = assert(package.searchpath(name, package.cpath), name .. " not found")
  assert(where:sub(1, #tree) == tree, name .. " loaded from " .. where .. ", not from " .. tree)
end
local where = assert(package.searchpath("clickup.time", package.path))
assert(where:sub(1, #tree) == tree, "clickup.time loaded from " .. where)
local server = fake.spawn{}
local c = clickup.new{ token = server.token, team_id = server.team_id, base_url = server.base_url }
local entries, err = c:entries()
server:stop()
assert(entries, tostring(err))
assert(#entries > 0 and getmetatable(entries[1]) == clickup.Entry)
-- the command is installed too, wrapped by LuaRocks for this Lua
local p = assert(io.popen(tree .. "/bin/clickup-time --help 2>&1"))
local help = p:read("*a")
p:close()
assert(help:find("Usage: clickup%-time"), "bin/clickup-time: " .. help)
print("rock: installed in a temporary tree and working, version " .. clickup.VERSION)
