--- bench/run.lua: the side-by-side benchmark (make bench, make bench-tiny).
--
--   lua5.4 bench/run.lua [--tiny]          (from the repository root)
--
-- Starts nginx on a free loopback port with its own config under
-- build/bench/nginx, serving the bodies of bench/gen.lua; runs every
-- contender on the same requests, alternating (A B C ... A B C ...) for
-- ROUNDS rounds; the in-process decode and memory measurements; the cost of
-- require in a cold process; prints a Markdown report and writes it to
-- bench/results.md (--tiny: build/bench/results-tiny.md). Stops nginx on the
-- way out, failure included. Exits non-zero only when something is broken
-- (a contender failed or answered wrong), never because of a time.
--
-- Environment: ROUNDS (default 5; --tiny 1), SIZES (default
-- "1 100 1000 10000 100000"; --tiny "100"), OUT (the report's path).
-- Needs (bench/bench.mk builds them): build/5.4 and build/luajit cores,
-- build/bench/{floor,spawn}, build/bench/{5.4,luajit}/floorlua.so; nginx;
-- optionally /usr/bin/time, node with build/bench/node_modules/clickup.js.

local TINY = arg[1] == "--tiny"
local BENCH = "build/bench"
local ROOT = assert(io.popen("pwd")):read("*l")
local ROUNDS = tonumber(os.getenv("ROUNDS") or "") or (TINY and 1 or 5)
local SIZES = {}
for s in (os.getenv("SIZES") or (TINY and "100" or "1 100 1000 10000 100000")):gmatch("%d+") do
  SIZES[#SIZES + 1] = tonumber(s)
end
local OUT = os.getenv("OUT") or (TINY and BENCH .. "/results-tiny.md" or "bench/results.md")
local TEAM = "9012345"
local BIG = SIZES[#SIZES]                  -- the size of the memory runs (100,000 by default)

-- requests per measurement: enough that one measurement lasts a good
-- fraction of a second; curl-per-request gets fewer (a process each)
local N = TINY and { [100] = 20 } or { [1] = 5000, [100] = 1000, [1000] = 60, [10000] = 10, [100000] = 2 }
local N_CURL = TINY and { [100] = 5 } or { [1] = 100, [100] = 60, [1000] = 30, [10000] = 10, [100000] = 2 }
local function n_for(size, curl)
  local t = curl and N_CURL or N
  return t[size] or math.max(1, math.floor(((curl and 1000 or 20000) / size) ^ 0.5))
end

-- {====== shell helpers
local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function sh(cmd)                    -- stdout (all of it), ok
  local p = assert(io.popen(cmd, "r"))
  local out = p:read("*a")
  local ok = p:close()
  return out, ok == true or ok == 0
end

local function first_line(cmd)
  local out = sh(cmd .. " 2>&1")
  return ((out:match("[^\n]+") or ""):gsub("%s+$", ""))
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local function has(cmd) return select(2, sh("command -v " .. q(cmd) .. " >/dev/null 2>&1")) end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  assert(f:close())
end

local function parse(out)                 -- the RESULT line as a table of numbers
  local line = out:match("RESULT ([^\n]*)")
  if not line then return nil end
  local r = {}
  for k, v in line:gmatch("([%w_]+)=(%S+)") do r[k] = tonumber(v) or v end
  return r
end
-- }======

local broken = {}
local function fail(what, detail)
  broken[#broken + 1] = what .. (detail and detail ~= "" and (": " .. detail:gsub("%s+$", "")) or "")
  io.stderr:write("bench: BROKEN: ", broken[#broken], "\n")
end

-- {====== nginx
local NGX = BENCH .. "/nginx"
local port
local function nginx_conf(p)
  local user = first_line("id -u") == "0" and "user root root;\n" or ""
  return user .. [[
worker_processes 1;
pid nginx.pid;
error_log error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { }
  default_type application/json;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 300s;
  keepalive_requests 10000000;
  gzip off;
  etag off;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  server {
    listen 127.0.0.1:]] .. p .. [[;
    root ]] .. ROOT .. "/" .. BENCH .. [[/www;
    # GET {base_url}/team/{team_id}/time_entries?... with base_url
    # http://127.0.0.1:PORT/n<SIZE>/api/v2: the SIZE-entry body, any team, any query
    location ~ ^/n(\d+)/api/v2/team/[^/]+/time_entries$ {
      try_files /time_entries-$1.json =404;
    }
    # GET .../time_entries/current: a running timer (for clickup-time status)
    location ~ ^/n\d+/api/v2/team/[^/]+/time_entries/current$ {
      try_files /current.json =404;
    }
    location / { return 404; }
  }
}
]]
end

local function nginx_stop()
  local pid = read(NGX .. "/nginx.pid")
  pid = pid and pid:match("%d+")
  if not pid then return end
  os.execute("kill -QUIT " .. pid .. " 2>/dev/null")
  for _ = 1, 50 do                         -- up to 5 s for a graceful exit
    if not exists(NGX .. "/nginx.pid") then return end
    os.execute("sleep 0.1")
  end
  os.execute("kill -KILL " .. pid .. " 2>/dev/null; rm -f " .. q(NGX .. "/nginx.pid"))
end

local function nginx_start()
  os.execute("mkdir -p " .. q(NGX .. "/tmp"))
  nginx_stop()                             -- a leftover of an interrupted run
  math.randomseed(os.time() + tonumber(first_line("echo $$")))
  for _ = 1, 20 do
    local p = math.random(20000, 60000)
    write(NGX .. "/nginx.conf", nginx_conf(p))
    local out, ok = sh("nginx -p " .. q(NGX) .. " -c nginx.conf -e error.log 2>&1")
    if ok then
      port = p
      for _ = 1, 50 do                     -- up until it answers
        local o = sh(BENCH .. "/floor " .. q("http://127.0.0.1:" .. p .. "/n" .. SIZES[1] .. "/api/v2/team/"
                     .. TEAM .. "/time_entries") .. " 1 2>/dev/null")
        if parse(o) then return end
        os.execute("sleep 0.1")
      end
      nginx_stop()
      error("nginx started on port " .. p .. " but does not answer (see " .. NGX .. "/error.log)")
    elseif not out:match("Address already in use") then
      error("nginx does not start: " .. out)
    end
  end
  error("nginx: no free port found")
end
-- }======

local function base(size) return "http://127.0.0.1:" .. port .. "/n" .. size .. "/api/v2" end
local function url(size) return base(size) .. "/team/" .. TEAM .. "/time_entries" end
local function body_path(size) return BENCH .. "/www/time_entries-" .. size .. ".json" end

-- {====== the contenders: each builds its command for (size, n)
local IN_TREE_54 = "LUA_PATH_5_4='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH_5_4='./build/5.4/?.so;;' "
local IN_TREE_JIT = "LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH='./build/luajit/?.so;;' "
local have_jit = has("luajit") and exists("build/luajit/clickup/time/core.so")
  and exists(BENCH .. "/luajit/floorlua.so")
local node_mod = BENCH .. "/node_modules/clickup.js/dist/index.mjs"
local have_node = has("node") and exists(node_mod)

local contenders = {
  { key = "floor", name = "floor: libcurl, one easy handle, body discarded (C)",
    cmd = function(s, n) return BENCH .. "/floor " .. q(url(s)) .. " " .. n end },
  { key = "plain", name = "plain floor: curl_easy_perform with libcurl's defaults (C)",
    cmd = function(s, n) return BENCH .. "/floor " .. q(url(s)) .. " " .. n .. " plain" end },
  { key = "decode", name = "floor + cjson.decode (lua5.4, same fetch, no mapping)",
    cmd = function(s, n) return "lua5.4 bench/worker.lua decode " .. q(url(s)) .. " " .. n .. " " .. s end },
  { key = "lua54", name = "clickup.time, lua5.4, client:entries() blocking",
    cmd = function(s, n) return "lua5.4 bench/worker.lua blocking " .. q(base(s)) .. " " .. n .. " " .. s end },
  { key = "lua54dates", name = "clickup.time, lua5.4, client:entries{ start_date =, end_date = }",
    cmd = function(s, n) return "lua5.4 bench/worker.lua dates " .. q(base(s)) .. " " .. n .. " " .. s end },
  { key = "lua54keep", name = "clickup.time, lua5.4, blocking, every result kept",
    cmd = function(s, n) return "lua5.4 bench/worker.lua keep " .. q(base(s)) .. " " .. n .. " " .. s end },
  { key = "lua54stream", name = "clickup.time, lua5.4, client:parallel{ keep = false, each = }",
    cmd = function(s, n) return "lua5.4 bench/worker.lua stream " .. q(base(s)) .. " " .. n .. " " .. s end },
  { key = "lua54par", name = "clickup.time, lua5.4, client:parallel (8 at once)",
    cmd = function(s, n) return "lua5.4 bench/worker.lua parallel " .. q(base(s)) .. " " .. n .. " " .. s end },
}
if have_jit then
  contenders[#contenders + 1] = { key = "jit", name = "clickup.time, LuaJIT, client:entries() blocking",
    cmd = function(s, n) return "luajit bench/worker.lua blocking " .. q(base(s)) .. " " .. n .. " " .. s end }
  contenders[#contenders + 1] = { key = "jitdates", name = "clickup.time, LuaJIT, client:entries{ dates }",
    cmd = function(s, n) return "luajit bench/worker.lua dates " .. q(base(s)) .. " " .. n .. " " .. s end }
  contenders[#contenders + 1] = { key = "jitpar", name = "clickup.time, LuaJIT, client:parallel (8 at once)",
    cmd = function(s, n) return "luajit bench/worker.lua parallel " .. q(base(s)) .. " " .. n .. " " .. s end }
end
if have_node then
  contenders[#contenders + 1] = { key = "node", name = "clickup.js 4.0.2, Node.js, sequential awaits",
    cmd = function(s, n)
      return "node bench/clickupjs.mjs " .. q(BENCH) .. " " .. q(base(s):gsub("v2$", "")) .. " " .. n .. " " .. s
    end }
end
contenders[#contenders + 1] = { key = "curl", name = "curl command, one process per request", curl = true,
  cmd = function(s, n) return BENCH .. "/spawn " .. n .. " curl -s -f -o /dev/null " .. q(url(s)) end }
-- }======

local function median(t)
  if #t == 0 then return nil end
  local s = {}
  for i, v in ipairs(t) do s[i] = v end
  table.sort(s)
  local n = #s
  return n % 2 == 1 and s[(n + 1) / 2] or (s[n / 2] + s[n / 2 + 1]) / 2
end

local function main()
  local t_start = os.time()
  -- the bodies: generated when missing (gen.lua writes the same bytes for a size whatever else it writes)
  os.execute("mkdir -p " .. q(BENCH .. "/www"))
  local missing = {}
  for _, s in ipairs(SIZES) do if not exists(body_path(s)) then missing[#missing + 1] = s end end
  if #missing > 0 then
    local out, ok = sh("lua5.4 bench/gen.lua " .. q(BENCH .. "/www") .. " " .. table.concat(missing, " ") .. " 2>&1")
    if not ok then error("gen.lua: " .. out) end
  end
  local bytes = {}
  for _, s in ipairs(SIZES) do
    local f = assert(io.open(body_path(s), "rb"))
    bytes[s] = f:seek("end")
    f:close()
  end
  for _, need in ipairs{ BENCH .. "/floor", BENCH .. "/spawn", BENCH .. "/5.4/floorlua.so",
                         "build/5.4/clickup/time/core.so" } do
    if not exists(need) then error(need .. " is missing: run make bench (or make bench-tiny)") end
  end

  nginx_start()
  io.write(string.format("bench: nginx on 127.0.0.1:%d; %d round(s); sizes %s; contenders: %d%s%s\n",
    port, ROUNDS, table.concat(SIZES, " "), #contenders, have_jit and "" or " (no LuaJIT)",
    have_node and "" or " (clickup.js skipped: " .. (has("node") and node_mod .. " absent" or "no node") .. ")"))

  -- rounds: A B C ... per size, again and again
  local times = {}                         -- times[key][size] = { seconds per request, ... }
  local cpus = {}                          -- the same, of CPU (user + system) where the contender reports it
  for _, c in ipairs(contenders) do
    times[c.key], cpus[c.key] = {}, {}
    for _, s in ipairs(SIZES) do times[c.key][s], cpus[c.key][s] = {}, {} end
  end
  for r = 1, ROUNDS do
    for _, s in ipairs(SIZES) do
      for _, c in ipairs(contenders) do
        if not c.dead then
          local n = n_for(s, c.curl)
          local out, ok = sh(c.cmd(s, n) .. " 2>&1")
          local res = parse(out)
          if not ok or not res or not res.seconds then
            c.dead = true
            fail(c.name .. " (size " .. s .. ")", out)
          elseif c.key == "floor" and res.bytes ~= bytes[s] then
            c.dead = true
            fail("floor (size " .. s .. ")", "got " .. tostring(res.bytes) .. " bytes, the file has " .. bytes[s])
          else
            local t = times[c.key][s]
            t[#t + 1] = res.seconds / res.n
            if res.cpu then
              local u = cpus[c.key][s]
              u[#u + 1] = res.cpu / res.n
            end
          end
        end
      end
    end
    io.write(string.format("bench: round %d/%d done (%ds)\n", r, ROUNDS, os.time() - t_start))
    io.flush()
  end

  -- in-process: decode vs decode + mapping of the same body, lua5.4 and LuaJIT
  local DSIZE = TINY and SIZES[1] or 10000
  local inproc = {}
  local ITER = TINY and 3 or 30
  for _, lua in ipairs{ "lua5.4", have_jit and "luajit" or nil } do
    local out, ok = sh(lua .. " bench/inproc.lua decode " .. q(body_path(DSIZE)) .. " " .. ITER .. " 2>&1")
    local res = parse(out)
    if ok and res then inproc[lua] = res else fail("inproc decode " .. lua, out) end
  end

  -- memory of the kept answer of BIG entries: bare cjson table vs mapped entries vs via the client
  local mem = {}
  for _, lua in ipairs{ "lua5.4", have_jit and "luajit" or nil } do
    mem[lua] = {}
    for _, what in ipairs{ "cjson", "mapped", "client" } do
      local src = what == "client" and base(BIG) or body_path(BIG)
      local out, ok = sh(lua .. " bench/inproc.lua mem " .. what .. " " .. q(src) .. " 2>&1")
      local res = parse(out)
      if ok and res and res.items == BIG then
        mem[lua][what] = res
      else
        fail("inproc mem " .. what .. " " .. lua, out)
      end
    end
  end

  -- peak RSS of each contender's process for BIG entries (warm-up + 1 request)
  local rss = {}
  local have_time = exists("/usr/bin/time")
  if have_time then
    for _, c in ipairs(contenders) do
      if not c.dead then
        local f = BENCH .. "/rss.txt"
        os.remove(f)
        local out, ok = sh("/usr/bin/time -f 'MAXRSS %M' -o " .. q(f) .. " " .. c.cmd(BIG, 1) .. " 2>&1")
        local m = (read(f) or ""):match("MAXRSS (%d+)")
        if ok and parse(out) and m then rss[c.key] = tonumber(m) else fail("peak RSS " .. c.name, out) end
      end
    end
    -- curl-per-request: the spawn helper's own peak is the curl child's (RUSAGE_CHILDREN)
  end

  -- cold require: lua -e 'require "clickup.time"' vs lua -e '' (and node's import of clickup.js)
  local K = TINY and 3 or 40
  local cold = {}
  local function spawn_time(env, argv)
    local out, ok = sh(env .. BENCH .. "/spawn " .. K .. " " .. argv .. " 2>&1")
    local res = parse(out)
    if ok and res then return res.seconds / res.n end
    fail("cold start " .. argv, out)
  end
  cold.lua54_empty = spawn_time(IN_TREE_54, "lua5.4 -e ''")
  cold.lua54_req = spawn_time(IN_TREE_54, "lua5.4 -e " .. q('require "clickup.time"'))
  if have_jit then
    cold.jit_empty = spawn_time(IN_TREE_JIT, "luajit -e ''")
    cold.jit_req = spawn_time(IN_TREE_JIT, "luajit -e " .. q('require "clickup.time"'))
  end
  if have_node then
    cold.node_empty = spawn_time("", "node --input-type=module -e ''")
    cold.node_req = spawn_time("", "node --input-type=module -e " ..
      q('await import(' .. string.format("%q", "file://" .. ROOT .. "/" .. node_mod) .. ')'))
  end

  -- whole processes: `clickup-time status` against the server vs curl doing the same request
  -- (GET .../time_entries/current, a running timer), each a process of its own
  local cjson = require "cjson"
  local one = cjson.decode(assert(read(body_path(SIZES[1] == 1 and 1 or SIZES[1]))))
  local running = one.data[1]
  running["end"], running.duration = nil, -60000
  write(BENCH .. "/www/current.json", cjson.encode{ data = running })
  local state = BENCH .. "/state"
  os.execute("rm -rf " .. q(state) .. " && mkdir -p " .. q(state))
  local cli_env = "XDG_STATE_HOME=" .. q(state) .. " XDG_CONFIG_HOME=" .. q(state) ..
    " HOME=" .. q(state) .. " CLICKUP_TOKEN=pk_1_BENCH CLICKUP_TEAM_ID=" .. TEAM ..
    " CLICKUP_BASE_URL=" .. q(base(1)) .. " " .. IN_TREE_54
  local proc = {
    status = spawn_time(cli_env, "lua5.4 bin/clickup-time status"),
    curl = spawn_time("", "curl -s -f -o /dev/null -H " .. q("Authorization: pk_1_BENCH") .. " " ..
                      q(base(1) .. "/team/" .. TEAM .. "/time_entries/current")),
  }
  nginx_stop()

  -- instructions of the fused decode of a 1-entry answer (callgrind counts, not time)
  local icount
  if has("valgrind") and exists(body_path(1)) then
    local cg = BENCH .. "/callgrind.out"
    local NI = TINY and 20 or 2000
    os.remove(cg)
    local out, ok = sh(IN_TREE_54 .. "valgrind --tool=callgrind --toggle-collect=ct_decode --callgrind-out-file="
                       .. q(cg) .. " lua5.4 bench/inproc.lua icount " .. q(body_path(1)) .. " " .. NI .. " 2>&1")
    local total = (read(cg) or ""):match("\ntotals:%s*(%d+)") or (read(cg) or ""):match("\nsummary:%s*(%d+)")
    if ok and parse(out) and total then
      icount = { per = tonumber(total) / (NI + 1), bytes = bytes[1] or #assert(read(body_path(1))) }
    else
      fail("callgrind icount", out)
    end
  end

  -- {====== the report
  local med = {}
  for _, c in ipairs(contenders) do
    med[c.key] = {}
    for _, s in ipairs(SIZES) do med[c.key][s] = median(times[c.key][s]) end
  end
  local floor = med.floor
  local cpu_med = {}
  for _, c in ipairs(contenders) do
    cpu_med[c.key] = {}
    for _, s in ipairs(SIZES) do cpu_med[c.key][s] = median(cpus[c.key][s]) end
  end
  local L = {}
  local function p(...) L[#L + 1] = table.concat({ ... }) end
  local function fmt_ms(t) return t and (t >= 0.1 and string.format("%.0f ms", t * 1000)
    or t >= 0.001 and string.format("%.2f ms", t * 1000) or string.format("%.1f µs", t * 1e6)) or "—" end
  local function ratio(t, f) return (t and f) and string.format("%.2fx", t / f) or "—" end

  local cpu = (read("/proc/cpuinfo") or ""):match("model name%s*:%s*([^\n]+)") or "?"
  local memk = tonumber((read("/proc/meminfo") or ""):match("MemTotal:%s*(%d+)") or "0")
  local cjv = first_line("dpkg-query -W -f '${Version}' lua-cjson")
  local jsv = have_node and ((read(BENCH .. "/node_modules/clickup.js/package.json") or "")
    :match('"version"%s*:%s*"([^"]+)"'))
  p("# clickup-time: side-by-side benchmark", TINY and " (tiny)" or "")
  p("")
  p("Made by `", TINY and "make bench-tiny" or "make bench", "` (bench/run.lua) on ", os.date("!%Y-%m-%d %H:%M UTC"),
    ". Medians of ", ROUNDS, " alternating round(s); each measurement is N requests on one",
    " keep-alive connection after an untimed warm-up request. See bench/README.md for how the numbers are made.")
  p("")
  p("- machine: ", first_line("nproc"), " CPUs, ", cpu, ", ", string.format("%.1f GiB", memk / 1048576), " RAM",
    " (", first_line("uname -sr"), "); the machine is shared with other work, so expect noise")
  p("- lua: ", first_line("lua5.4 -v"), "; luajit: ", have_jit and first_line("luajit -v") or "absent",
    "; lua-cjson ", cjv)
  p("- curl: ", first_line("curl --version"))
  p("- nginx: ", first_line("nginx -v"), "; node: ", has("node") and first_line("node --version") or "absent",
    "; clickup.js: ", jsv or "absent")
  local dirty = first_line("git status --porcelain -- src lua 2>/dev/null | wc -l")
  p("- code: commit ", first_line("git rev-parse --short HEAD 2>/dev/null"),
    dirty ~= "0" and (" plus " .. dirty .. " uncommitted file(s) in src/ or lua/") or " (src/ and lua/ clean)",
    "; the cores built by make from that tree")
  p("- bodies: ", (function()
    local t = {}
    for _, s in ipairs(SIZES) do t[#t + 1] = string.format("%d entries = %.2f MB", s, bytes[s] / 1e6) end
    return table.concat(t, ", ")
  end)(), " (bench/gen.lua)")
  p("")

  -- headline: time per request and ratio to the floor, per size
  p("## Time per request (median) and ratio to the floor")
  p("")
  local head, sep = { "| contender |" }, { "|---|" }
  for _, s in ipairs(SIZES) do
    head[#head + 1] = s == 1 and " 1 entry: req/s |" or string.format(" %d: ms (MB/s) |", s)
    sep[#sep + 1] = "---:|"
  end
  head[#head + 1] = string.format(" peak RSS, %d |", BIG)
  sep[#sep + 1] = "---:|"
  p(table.concat(head))
  p(table.concat(sep))
  for _, c in ipairs(contenders) do
    local row = { "| ", c.name, " |" }
    for _, s in ipairs(SIZES) do
      local t = med[c.key][s]
      local cell
      if not t then
        cell = "—"
      elseif s == 1 then
        cell = string.format("%.0f req/s", 1 / t)
      else
        cell = string.format("%s (%.0f MB/s)", fmt_ms(t), bytes[s] / t / 1e6)
      end
      if t and c.key ~= "floor" then cell = cell .. " **" .. ratio(t, floor[s]) .. "**" end
      row[#row + 1] = " " .. cell .. " |"
    end
    row[#row + 1] = " " .. (rss[c.key] and string.format("%.0f MB", rss[c.key] / 1024) or "—") .. " |"
    p(table.concat(row))
  end
  p("")
  p("Bold: time per request / the floor's at the same size (1.00x = as fast as raw libcurl).",
    " MB/s: body bytes per second of wall time. Peak RSS: the whole process (`/usr/bin/time` max resident),",
    " warm-up + 1 request", have_time and "" or " (not measured: /usr/bin/time absent)", "; for curl,",
    " the largest curl child. Parallel rows: N requests through `client:parallel` (8 connections) divided by N.")
  p("")

  -- CPU per request
  p("## CPU per request (user + system of the process, median) and ratio to the plain floor")
  p("")
  local hc, sc = { "| contender |" }, { "|---|" }
  for _, s in ipairs(SIZES) do hc[#hc + 1] = string.format(" %d |", s); sc[#sc + 1] = "---:|" end
  p(table.concat(hc)); p(table.concat(sc))
  for _, c in ipairs(contenders) do
    if cpu_med[c.key][SIZES[1]] then
      local row = { "| ", c.name, " |" }
      for _, s in ipairs(SIZES) do
        local t = cpu_med[c.key][s]
        local cell = t and fmt_ms(t) or "—"
        if t and c.key ~= "plain" and cpu_med.plain[s] then
          cell = cell .. " **" .. ratio(t, cpu_med.plain[s]) .. "**"
        end
        row[#row + 1] = " " .. cell .. " |"
      end
      p(table.concat(row))
    end
  end
  p("")
  p("The process's user + system time (getrusage, os.clock) over the N requests, divided by N.")
  p("")

  -- ratio tables vs floor+decode and vs clickup.js
  p("## Against floor + decode, clickup.js and curl")
  p("")
  local h2 = { "| contender |" }
  local s2 = { "|---|" }
  for _, s in ipairs(SIZES) do h2[#h2 + 1] = string.format(" %d |", s); s2[#s2 + 1] = "---:|" end
  local function ratio_row(label, a, b)
    if not (med[a] and med[b]) then return end
    local row = { "| ", label, " |" }
    for _, s in ipairs(SIZES) do row[#row + 1] = " " .. ratio(med[a][s], med[b][s]) .. " |" end
    p(table.concat(row))
  end
  p(table.concat(h2)); p(table.concat(s2))
  ratio_row("lua5.4 blocking / floor+decode", "lua54", "decode")
  ratio_row("LuaJIT blocking / floor+decode", "jit", "decode")
  ratio_row("lua5.4 blocking / clickup.js (<1: faster)", "lua54", "node")
  ratio_row("lua5.4 parallel / clickup.js", "lua54par", "node")
  ratio_row("LuaJIT blocking / clickup.js", "jit", "node")
  ratio_row("curl per request / lua5.4 blocking (>1: we are faster)", "curl", "lua54")
  p("")

  p("## In process (no network): decode vs decode + typed mapping, ", DSIZE, " entries")
  p("")
  p("| Lua | `cjson.decode(body)` | `core.decode(\"entries\", body)` | ratio |")
  p("|---|---:|---:|---:|")
  for _, lua in ipairs{ "lua5.4", "luajit" } do
    local r = inproc[lua]
    if r then
      p("| ", lua, " | ", fmt_ms(r.cjson), " | ", fmt_ms(r.mapped), " | **", ratio(r.mapped, r.cjson), "** |")
    end
  end
  p("")
  p("Medians of ", ITER, " alternating calls on the same string, a full GC before each (outside the timing).")
  p("")
  p("## Memory of ", BIG, " entries kept (Lua heap and RSS growth)")
  p("")
  p("| Lua | bare `cjson.decode` table | `core.decode` entries | via `client:entries()` | mapped / cjson |")
  p("|---|---:|---:|---:|---:|")
  for _, lua in ipairs{ "lua5.4", "luajit" } do
    local m = mem[lua]
    if m and m.cjson and m.mapped then
      local function cell(x)
        return x and string.format("%.1f MB heap, %.1f MB RSS", x.lua_kb / 1024, x.rss_kb / 1024) or "—"
      end
      p("| ", lua, " | ", cell(m.cjson), " | ", cell(m.mapped), " | ", cell(m.client), " | **",
        string.format("%.2fx", m.mapped.lua_kb / m.cjson.lua_kb), "** |")
    end
  end
  p("")
  p("## Cold start: `require \"clickup.time\"`")
  p("")
  p("| | empty process | with the require | the require costs |")
  p("|---|---:|---:|---:|")
  local function cold_row(label, e, r)
    if e and r then p("| ", label, " | ", fmt_ms(e), " | ", fmt_ms(r), " | ", fmt_ms(r - e), " |") end
  end
  cold_row("lua5.4 -e ''  vs  -e 'require \"clickup.time\"'", cold.lua54_empty, cold.lua54_req)
  cold_row("luajit", cold.jit_empty, cold.jit_req)
  cold_row("node: `import` of clickup.js", cold.node_empty, cold.node_req)
  p("")
  p("Means over ", K, " processes started one after the other (posix_spawn + wait).")
  p("")
  p("## Whole processes: `clickup-time status` and `curl`, the same request")
  p("")
  p("| | per process | ratio |")
  p("|---|---:|---:|")
  if proc.curl then p("| `curl -s URL` (GET …/time_entries/current) | ", fmt_ms(proc.curl), " | 1.00x |") end
  if proc.status and proc.curl then
    p("| `clickup-time status` (lua5.4, in tree) | ", fmt_ms(proc.status), " | **",
      ratio(proc.status, proc.curl), "** |")
  end
  p("")
  if icount then
    p("## Instructions of the fused decode of a 1-entry answer")
    p("")
    p(string.format("%.0f instructions per decode of the %d-byte answer (%.1f a byte): callgrind, counted inside"
      .. " ct_decode only (`--toggle-collect=ct_decode`), over %d decodes.", icount.per, icount.bytes,
      icount.per / icount.bytes, TINY and 21 or 2001))
    p("")
  end

  -- the targets
  p("## Targets")
  p("")
  local function verdict(ok) if ok == nil then return "not measured" end return ok and "**met**" or "**missed**" end
  local s1 = SIZES[1] == 1 and 1 or nil
  if s1 and med.lua54[1] and floor[1] then
    local r = med.lua54[1] / floor[1]
    p("- Per-request overhead on small responses (1 entry) within 1.15x of the libcurl floor: ", verdict(r <= 1.15),
      string.format(" — lua5.4 blocking %.2fx (%s vs %s per request)", r, fmt_ms(med.lua54[1]), fmt_ms(floor[1])),
      med.jit and med.jit[1] and string.format("; LuaJIT %.2fx", med.jit[1] / floor[1]) or "",
      med.lua54par[1] and string.format("; lua5.4 parallel %.2fx", med.lua54par[1] / floor[1]) or "")
  else
    p("- Per-request overhead on small responses: not measured (size 1 not run)")
  end
  if s1 and med.plain and med.plain[1] then
    local parts, all = {}, true
    for _, k in ipairs{ "lua54", "lua54dates", "jit", "jitdates" } do
      local w, c = med[k] and med[k][1], cpu_med[k] and cpu_med[k][1]
      if w and c and cpu_med.plain[1] then
        local rw, rc = w / med.plain[1], c / cpu_med.plain[1]
        all = all and rw <= 1.10 and rc <= 1.2
        parts[#parts + 1] = string.format("%s %.2fx wall, %.2fx CPU", k, rw, rc)
      end
    end
    p("- A blocking call on a 1-entry answer within 1.10x of the plain floor in wall time and 1.2x in CPU,",
      " on 5.4 and LuaJIT, with and without dates: ", verdict(all), " — ", table.concat(parts, "; "))
  end
  if icount then
    p("- The fused decode of a 1-entry answer under 15k instructions: ", verdict(icount.per < 15000),
      string.format(" — %.0f", icount.per))
  end
  if cold.lua54_req and cold.lua54_empty then
    local r = cold.lua54_req - cold.lua54_empty
    p("- `require \"clickup.time\"` within 2 ms: ", verdict(r <= 0.002), " — lua5.4 ", fmt_ms(r),
      cold.jit_req and cold.jit_empty and ("; LuaJIT " .. fmt_ms(cold.jit_req - cold.jit_empty)) or "")
  end
  if proc.status and proc.curl then
    p("- `clickup-time status` within 1.5x of curl doing the same request, as whole processes: ",
      verdict(proc.status / proc.curl <= 1.5), string.format(" — %.2fx (%s vs %s)", proc.status / proc.curl,
      fmt_ms(proc.status), fmt_ms(proc.curl)))
  end
  local ip = inproc["lua5.4"]
  if ip then
    local r = ip.mapped / ip.cjson
    p("- Decode + typed mapping of ", DSIZE, " entries within 1.5x of bare cjson.decode (in process, lua5.4): ",
      verdict(r <= 1.5), string.format(" — %.2fx (%s vs %s)", r, fmt_ms(ip.mapped), fmt_ms(ip.cjson)),
      inproc.luajit and string.format("; LuaJIT %.2fx (%s vs %s)", inproc.luajit.mapped / inproc.luajit.cjson,
        fmt_ms(inproc.luajit.mapped), fmt_ms(inproc.luajit.cjson)) or "",
      med.lua54[DSIZE] and med.decode[DSIZE] and
        string.format("; end to end over HTTP, lua5.4 blocking vs floor+decode: %.2fx",
        med.lua54[DSIZE] / med.decode[DSIZE]) or "")
  end
  local m = mem["lua5.4"]
  if m and m.cjson and m.mapped then
    local r = m.mapped.lua_kb / m.cjson.lua_kb
    p("- Memory for ", BIG, " entries within 2x of the decoded cjson table: ", verdict(r <= 2),
      string.format(" — %.2fx (%.1f MB vs %.1f MB of Lua heap)", r, m.mapped.lua_kb / 1024, m.cjson.lua_kb / 1024),
      m.client and string.format("; a client that fetched them grows RSS by %.1f MB (vs %.1f MB for the bare table)",
        m.client.rss_kb / 1024, m.cjson.rss_kb / 1024) or "")
  end
  if med.node then
    local worst, all = 0, true
    local parts = {}
    for _, s in ipairs(SIZES) do
      local a, b = med.lua54[s], med.node[s]
      if a and b then
        worst = math.max(worst, a / b)
        all = all and a < b
        parts[#parts + 1] = string.format("%d: %.2fx", s, a / b)
      end
    end
    local jparts, jall = {}, true
    for _, s in ipairs(SIZES) do
      local a, b = med.jit and med.jit[s], med.node[s]
      if a and b then jall = jall and a < b; jparts[#jparts + 1] = string.format("%d: %.2fx", s, a / b) end
    end
    p("- Faster than clickup.js on every size (lua5.4 blocking / clickup.js, <1 is faster): ", verdict(all),
      " — ", table.concat(parts, ", "),
      #jparts > 0 and ("; LuaJIT: " .. verdict(jall) .. " — " .. table.concat(jparts, ", ")) or "")
  else
    p("- Faster than clickup.js: not measured (clickup.js not installed: `make bench` installs it)")
  end
  if med.curl then
    local parts, all = {}, true
    for _, s in ipairs(SIZES) do
      local a, b = med.curl[s], med.lua54[s]
      if a and b then
        parts[#parts + 1] = string.format("%d: %.1fx", s, a / b)
        if s <= 100 then all = all and a / b >= 5 end
      end
    end
    p("- Far faster than curl per request (taken as: at least 5x on responses of 100 entries or fewer): ",
      verdict(all), " — curl / lua5.4 blocking: ", table.concat(parts, ", "))
  end
  p("")
  if #broken > 0 then
    p("## Broken")
    p("")
    for _, b in ipairs(broken) do p("- ", b:gsub("\n", " ")) end
    p("")
  end
  local report = table.concat(L, "\n")
  write(OUT, report)
  io.write("\n", report, "\nbench: report written to ", OUT, " (", os.time() - t_start, " s)\n")
  -- }======
end

local ok, err = xpcall(main, debug.traceback)
nginx_stop()
if not ok then
  io.stderr:write("bench: ", tostring(err), "\n")
  os.exit(1)
end
if #broken > 0 then
  io.stderr:write("bench: ", #broken, " thing(s) broken (see above)\n")
  os.exit(1)
end
os.exit(0)
