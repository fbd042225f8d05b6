--- bench/inproc.lua: in-process measurements, no network in the timed part
-- (lua5.4 or luajit, from the repository root; started by bench/run.lua).
--
--   LUA inproc.lua decode FILE ITER
--     The same body string, ITER times each, alternating: cjson.decode(body)
--     (bare lua-cjson, the default instance) and
--     clickup.time.core.decode("entries", body) (the core's own answer
--     path: copy of the body into a Lua string, its private cjson instance,
--     then the typed mapping). A full collectgarbage() before every timed
--     call, outside the timing, so that each call starts from the same heap
--     and pays only for the GC steps its own allocations trigger.
--     Prints: RESULT cjson=<median s> mapped=<median s> cjson_min=<s> mapped_min=<s>
--
--   LUA inproc.lua icount FILE N
--     core.decode("entries", body, 200, "fused") N times: run under
--     valgrind --tool=callgrind --toggle-collect=ct_decode by run.lua, which
--     divides the instructions counted inside the fused decoder by N.
--     Prints: RESULT n=<N> items=<entries of one answer>
--
--   LUA inproc.lua mem cjson|mapped FILE
--   LUA inproc.lua mem client BASE_URL
--     What the decoded answer costs once it is kept: the Lua heap
--     (collectgarbage "count") and the process RSS (/proc/self/status)
--     after vs before, both after full collections, the body string freed.
--     cjson: the bare cjson.decode table (the whole {data=[...]}); mapped:
--     core.decode's entries; client: client:entries() over HTTP.
--     Prints: RESULT lua_kb=<delta> rss_kb=<delta> items=<entries>

local jit_ = rawget(_G, "jit")
local build = jit_ and "luajit" or "5.4"
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/" .. build .. "/?.so;./build/bench/" .. build .. "/?.so;" .. package.cpath

local now = require("floorlua").now
local cjson = require "cjson"
local core = require "clickup.time.core"

local mode = arg[1]

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function rss_kb()
  local f = io.open("/proc/self/status")
  if not f then return 0 end
  local s = f:read("*a")
  f:close()
  return tonumber(s:match("VmRSS:%s*(%d+)")) or 0
end

local function median(t)
  table.sort(t)
  local n = #t
  return n % 2 == 1 and t[(n + 1) / 2] or (t[n / 2] + t[n / 2 + 1]) / 2
end

if mode == "decode" then
  local body, iter = read(arg[2]), assert(tonumber(arg[3]))
  local n = #cjson.decode(body).data
  local r, err = core.decode("entries", body)
  assert(r and #r == n, "core.decode: " .. tostring(err))
  local tc, tm = {}, {}
  for i = 1, iter do
    local x                                         -- luacheck: ignore
    collectgarbage(); collectgarbage()
    local t0 = now()
    x = cjson.decode(body)
    tc[i] = now() - t0
    x = nil                                         -- luacheck: ignore
    collectgarbage(); collectgarbage()
    t0 = now()
    x = core.decode("entries", body)
    tm[i] = now() - t0
  end
  local unpack_ = table.unpack or unpack
  local cmin, mmin = math.min(unpack_(tc)), math.min(unpack_(tm))
  io.write(string.format("RESULT cjson=%.9f mapped=%.9f cjson_min=%.9f mapped_min=%.9f\n",
    median(tc), median(tm), cmin, mmin))
elseif mode == "icount" then
  local body, n = read(arg[2]), assert(tonumber(arg[3]))
  local r = assert(core.decode("entries", body, 200, "fused"))
  for _ = 1, n do r = core.decode("entries", body, 200, "fused") end
  io.write(string.format("RESULT n=%d items=%d\n", n, #r))
elseif mode == "mem" then
  local what, src = arg[2], arg[3]
  local function full() collectgarbage(); collectgarbage() end
  local kept, items
  if what == "client" then
    local clickup = require "clickup.time"
    local client = clickup.new{ token = "pk_1_BENCH", team_id = "9012345", base_url = src, retries = 0,
                                max_response = 256 * 1024 * 1024 }
    client:tags()                                   -- connect and load first (nginx's 404: fine)
    full()
    local kb0, rss0 = collectgarbage("count"), rss_kb()
    kept = assert(client:entries())
    full()
    io.write(string.format("RESULT lua_kb=%.0f rss_kb=%.0f items=%d\n", collectgarbage("count") - kb0,
      rss_kb() - rss0, #kept))
    return
  end
  full()
  local kb0, rss0 = collectgarbage("count"), rss_kb()
  local body = read(src)
  if what == "cjson" then
    kept = cjson.decode(body)
    items = #kept.data
  elseif what == "mapped" then
    kept = assert(core.decode("entries", body))
    items = #kept
  else
    error("mem: cjson, mapped or client")
  end
  body = nil                                        -- luacheck: ignore
  full()
  io.write(string.format("RESULT lua_kb=%.0f rss_kb=%.0f items=%d\n", collectgarbage("count") - kb0,
    rss_kb() - rss0, items))
else
  io.stderr:write("usage: inproc.lua decode FILE ITER | icount FILE N | mem cjson|mapped FILE | mem client BASE_URL\n")
  os.exit(2)
end
