--- bench/async.lua: what non-blocking calls buy, against the local server
-- with an injected per-request latency (a benchmark, not a test: it
-- asserts nothing about time).
--
--   make bench-async            (LATENCY=0.05 ROUNDS=3 by default)
--
-- Reports, for N = 1, 8, 32 independent requests: the time sequentially
-- (blocking calls one after another) and with client:parallel (default
-- concurrency 8, and N at once); and, on a libuv loop, how long the host's
-- loop is blocked per request by this library (the time spent inside our
-- calls and our loop callbacks, divided by N), with the core's one poll
-- descriptor (poll_fd, Linux) and with a poll handle per socket (sockets),
-- side by side.

package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./" .. (os.getenv("CT_BUILD_DIR") or "build/5.4") .. "/?.so;" .. package.cpath

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local luv = require "luv"

local LATENCY = tonumber(os.getenv("LATENCY") or "0.05")
local ROUNDS = tonumber(os.getenv("ROUNDS") or "3")
local SIZES = { 1, 8, 32 }
local now = clickup.now_ms

local server = fake.spawn{ rate_limit = 1000000 }
local tags_path = "/team/" .. server.team_id .. "/time_entries/tags"
server:inject{ path = tags_path, delay = LATENCY }

local function new_client()
  return clickup.new{ token = server.token, team_id = server.team_id, base_url = server.base_url }
end

local function best(f)
  local t = math.huge
  for _ = 1, ROUNDS do
    local t0 = now()
    f()
    t = math.min(t, now() - t0)
  end
  return t
end

-- a luv look-alike whose handles time every callback they run
local blocked = 0
local timing_uv = setmetatable({}, { __index = luv })
local function timed(cb)
  return function(...)
    local t0 = luv.hrtime()
    cb(...)
    blocked = blocked + (luv.hrtime() - t0)
  end
end
local function wrap(handle)
  return setmetatable({}, { __index = function(_, k)
    local v = handle[k]
    if k == "start" then
      return function(_, ...)
        local args = { ... }
        args[#args] = timed(args[#args])
        return handle:start(table.unpack(args))
      end
    end
    if type(v) == "function" then return function(_, ...) return v(handle, ...) end end
    return v
  end })
end
function timing_uv.new_timer() return wrap(luv.new_timer()) end
function timing_uv.new_socket_poll(fd) return wrap(luv.new_socket_poll(fd)) end
function timing_uv.new_poll(fd) return wrap(luv.new_poll(fd)) end

local function uv_blocked_ms(n, sockets)
  local c = new_client()
  local detach = require("clickup.time.uv").attach(c, { uv = timing_uv, sockets = sockets })
  blocked = 0
  local left = n
  local t0 = luv.hrtime()
  for _ = 1, n do
    assert(c:tags(function(r, err)
      assert(r, tostring(err))
      left = left - 1
      if left == 0 then detach() end
    end))
  end
  blocked = blocked + (luv.hrtime() - t0)        -- issuing the calls blocks the host too
  luv.run()
  luv.run("nowait")
  c:close()
  return blocked / 1e6 / n
end

local rows = {}
for _, n in ipairs(SIZES) do
  local c = new_client()
  local calls = {}
  for i = 1, n do calls[i] = { "tags" } end
  assert(c:tags())                               -- warm the connection
  local seq = best(function() for _ = 1, n do assert(c:tags()) end end)
  local par8 = best(function() local r = c:parallel(calls) assert(#r == n) end)
  local parn = best(function() local r = c:parallel(calls, n) assert(#r == n) end)
  local uvb, uvs = math.huge, math.huge
  for _ = 1, ROUNDS do                            -- alternating, the best of each
    uvb = math.min(uvb, uv_blocked_ms(n, false))
    uvs = math.min(uvs, uv_blocked_ms(n, true))
  end
  c:close()
  rows[#rows + 1] = ("| %d | %d ms | %d ms (%.1fx) | %d ms (%.1fx) | %.3f ms | %.3f ms (%.2fx) |"):format(
    n, seq, par8, seq / par8, parn, seq / parn, uvs, uvb, uvb / uvs)
end
server:stop()

print(("Local server, %d ms injected latency per request, best of %d, %s."):format(
  LATENCY * 1000, ROUNDS, _VERSION))
print()
print("| N | sequential | parallel (8 at once) | parallel (N at once) | loop blocked per request, "
      .. "a poll per socket | with the core's poll_fd |")
print("|---|---|---|---|---|---|")
for _, r in ipairs(rows) do print(r) end
