-- spec/helper.lua: loaded by busted before the specs (see .busted).
--
-- The specs test the in-tree build: ./lua for the Lua modules and
-- ./build/<version> for the C core (or $CT_BUILD_DIR, e.g. the sanitizer
-- build of `make asan`). This helper checks that the core really comes from
-- there.

local version = _VERSION:match("%d+%.%d+")
if rawget(_G, "jit") then version = "luajit" end
local dir = os.getenv("CT_BUILD_DIR") or ("build/" .. version)

package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./" .. dir .. "/?.so;" .. package.cpath

local where = package.searchpath("clickup.time.core", package.cpath)
assert(where == "./" .. dir .. "/clickup/time/core.so",
       "clickup.time.core must come from ./" .. dir .. " (run make first); found " .. tostring(where))
