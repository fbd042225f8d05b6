--- spec/fuzz/seeds.lua: seeds for the fuzzer (make fuzz): every known field
-- of every object of the core's field tables (core.fields) given a value of
-- each JSON type, in a body of an endpoint that holds the object, one file
-- each, so that the fuzzer starts from answers with odd descriptive fields
-- and compares both decoders' anomalies on them (and on what it mutates).
--
--   lua5.4 spec/fuzz/seeds.lua OUT_DIR      (the core built, from the repository root)

package.path = "./?.lua;./lua/?.lua;./lua/?/init.lua;" .. package.path
local core = require "clickup.time.core"
local support = require "spec.support"

local dir = assert(arg[1], "usage: seeds.lua OUT_DIR")
assert(os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'"))
local n = 0
for i, case in ipairs(support.odd_bodies(core.fields)) do
  local f = assert(io.open(("%s/odd-%04d.json"):format(dir, i), "wb"))
  f:write(case.body)
  f:close()
  n = n + 1
end
io.write("seeds: ", n, " bodies in ", dir, "\n")
