-- Run by `make rock-check` after installing the rock into a temporary tree,
-- from outside the source tree, with `luarocks path` set (for each Lua of
-- ROCK_LUAS): the installed module must load from that tree and work
-- against the installed fake, and the installed command must run.
local tree = assert(os.getenv("TREE"), "TREE not set")

local clickup = require "clickup.time"
local searchpath = require("clickup.time.abi").searchpath     -- package.searchpath, which Lua 5.1 lacks
local fake = require "clickup.time.fake"
for name, path in pairs{ ["clickup.time.core"] = package.cpath, ["clickup.time"] = package.path } do
  local where = assert(searchpath(name, path), name .. " not found")
  assert(where:sub(1, #tree) == tree, name .. " loaded from " .. where .. ", not from " .. tree)
end
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
-- the Neovim runtime files and the LuaLS types ship in the rock's folder
local rock_dir = tree .. "/lib/luarocks/rocks-" .. _VERSION:match("%d+%.%d+") .. "/clickup-time/scm-1"
for _, f in ipairs{ "doc/clickup-time.txt", "plugin/clickup-time.lua", "types/clickup-time.lua",
                    -- made from the command's parser by the install (clickup.time.cli.man)
                    "man/man1/clickup-time.1", "completions/clickup-time.bash", "completions/_clickup-time",
                    "completions/clickup-time.fish" } do
  assert(io.open(rock_dir .. "/" .. f), f .. " is not in the rock")
end
print(("rock: installed in a temporary tree for %s and working, version %s"):format(_VERSION, clickup.VERSION))
