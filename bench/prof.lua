--- bench/prof.lua: what to profile (build/bench/prof or lua5.4, from the root).
--
--   build/bench/prof bench/prof.lua MODE FILE ITER
--
-- MODE: mapped  core.decode("entries", body) ITER times (decode + mapping)
--       cjson   cjson.decode(body) ITER times (the bare decode, to subtract)
--       client  client:entries() ITER times against BASE_URL (FILE is the
--               base_url then), the whole blocking path
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/5.4/?.so;" .. package.cpath

local mode, file, iter = arg[1], arg[2], tonumber(arg[3] or "5")
if mode == "client" then
  local client = require("clickup.time").new{ token = "pk_1_BENCH", team_id = "9012345", base_url = file,
                                               retries = 0, max_response = 256 * 1024 * 1024 }
  for _ = 1, iter do assert(client:entries()) end
  return
end
local f = assert(io.open(file, "rb"))
local body = f:read("a")
f:close()
local core = require "clickup.time.core"
local decode = require("cjson").decode
for _ = 1, iter do
  local x                                           -- luacheck: ignore
  if mode == "mapped" then x = assert(core.decode("entries", body)) else x = decode(body) end
  collectgarbage()
end
