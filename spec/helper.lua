-- spec/helper.lua: loaded by busted before the specs (see .busted).
--
-- The specs test the in-tree build: ./lua for the Lua modules and
-- ./build/<version> for the C core. This helper checks that, and gives the
-- specs a shared local ClickUp server (clickup.time.fake).

local version = _VERSION:match("%d+%.%d+")
if rawget(_G, "jit") then version = "5.1" end

package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
local build = "./build/" .. version .. "/?.so"
if not package.cpath:find(build, 1, true) then
  package.cpath = build .. ";" .. package.cpath
end

local where = package.searchpath("clickup.time.core", package.cpath)
assert(where and where:find("build/", 1, true),
       "clickup.time.core must come from ./build (run make first); found " .. tostring(where))
