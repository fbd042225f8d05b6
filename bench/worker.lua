--- bench/worker.lua: one contender's measurement in a process of its own,
-- started by bench/run.lua (lua5.4 or luajit, from the repository root).
--
--   LUA worker.lua MODE URL N EXPECT
--
-- MODE
--   decode     the floor's fetch from Lua (build/bench/<lua>/floorlua.so:
--              one reused libcurl easy handle), then cjson.decode of the
--              body: no mapping, no client
--   blocking   clickup.time: client:entries() N times, one client
--   dates      the same with start_date and end_date, as a user passes them
--   keep       blocking, every result kept (as parallel keeps them): what
--              the collector costs for results a caller holds
--   stream     client:parallel with { keep = false, each = }: each result
--              given to each and dropped
--   parallel   clickup.time: client:parallel of N {"entries"} calls
--              (default concurrency 8)
-- URL    for decode, the full time_entries URL; else the client's base_url
-- EXPECT the number of entries every answer must have (checked on the
--        warm-up and on the last answer: a broken contender fails loudly)
--
-- One untimed warm-up call first (connects; loads everything), then the N
-- timed. Prints: RESULT seconds=<wall time of the N> n=<N> cpu=<user +
-- system seconds of the process during the N>

local mode, url, n, expect = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4])
assert(mode and url and n and expect, "usage: worker.lua MODE URL N EXPECT")

local jit_ = rawget(_G, "jit")
local build = jit_ and "luajit" or "5.4"
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/" .. build .. "/?.so;./build/bench/" .. build .. "/?.so;" .. package.cpath

local floor = require "floorlua"
local now = floor.now

local function check(what, got)
  if got ~= expect then
    io.stderr:write(string.format("worker %s: %s: expected %d entries, got %s\n", mode, what, expect,
      tostring(got)))
    os.exit(1)
  end
end

local run
if mode == "decode" then
  local cjson = require "cjson"
  local f = floor.new(url)
  local decode = cjson.decode
  check("warm-up", #decode(f:get()).data)
  run = function()
    local d
    for _ = 1, n do d = decode(f:get()) end
    check("last", #d.data)
  end
else
  local clickup = require "clickup.time"
  local client = clickup.new{ token = "pk_1_BENCH", team_id = "9012345", base_url = url, retries = 0,
                              max_response = 256 * 1024 * 1024 }
  local DAY = 86400000
  local function entries()
    local r, err
    if mode == "dates" then
      local ms = clickup.now_ms()
      r, err = client:entries{ start_date = ms - 7 * DAY, end_date = ms }
    else
      r, err = client:entries()
    end
    if not r then
      io.stderr:write("worker ", mode, ": ", tostring(err), "\n")
      os.exit(1)
    end
    return r
  end
  check("warm-up", #entries())
  if mode == "blocking" or mode == "dates" then
    run = function()
      local r
      for _ = 1, n do r = entries() end
      check("last", #r)
    end
  elseif mode == "keep" then
    run = function()
      local kept = {}
      for i = 1, n do kept[i] = entries() end
      check("last", #kept[n])
    end
  elseif mode == "stream" then
    local calls = {}
    for i = 1, n do calls[i] = { "entries" } end
    run = function()
      local last
      local _, errors = client:parallel(calls, { keep = false, each = function(i, r) if i == n then last = r end end })
      for i = 1, n do
        if errors[i] then
          io.stderr:write("worker stream: call ", i, ": ", tostring(errors[i]), "\n")
          os.exit(1)
        end
      end
      check("last", #last)
    end
  elseif mode == "parallel" then
    local calls = {}
    for i = 1, n do calls[i] = { "entries" } end
    run = function()
      local results, errors = client:parallel(calls)
      for i = 1, n do
        if not results[i] then
          io.stderr:write("worker parallel: call ", i, ": ", tostring(errors[i]), "\n")
          os.exit(1)
        end
      end
      check("last", #results[n])
    end
  else
    error("unknown mode " .. mode)
  end
end

collectgarbage()
local c0, t0 = floor.cpu(), now()
run()
local t1, c1 = now(), floor.cpu()
io.write(string.format("RESULT seconds=%.9f n=%d cpu=%.9f\n", t1 - t0, n, c1 - c0))
