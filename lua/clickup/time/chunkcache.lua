--- clickup.time.chunkcache: the command's Lua modules kept compiled
-- between runs (bin/clickup-time), as Neovim's vim.loader and Python's
-- __pycache__ keep theirs.
--
--   require("clickup.time.chunkcache").install()   -- before the first require
--
-- A command lives ~20 ms, and compiling its modules from source takes ~6 ms
-- of that (cli.lua alone 2.2 ms); a compiled chunk loads in a tenth of the
-- time. install() puts a searcher before Lua's own: for a module that
-- package.path finds, it loads the chunk an earlier run compiled, if that
-- run compiled exactly the bytes the source file holds now; else it
-- compiles the source, as Lua does, and keeps the chunk for the next run.
-- Nothing is ever stale: a source that changed is compiled again.
--
-- The cache: $XDG_CACHE_HOME/clickup-time/chunks (else ~/.cache/...), a
-- directory per Lua (5.1 to 5.4 and LuaJIT write different bytecode), a
-- file per source path, holding the source it was compiled from and the
-- chunk, with both lengths (string.dump with its debug info: tracebacks name the source's
-- lines, as before). Any failure (no home, a directory that cannot be
-- written, a chunk that does not load, a source with an error) leaves the
-- module to Lua's own searcher, which loads or reports it in its own words.
-- CLICKUP_CHUNK_CACHE=off turns it off.

local open, rename, remove, execute, getenv = io.open, os.rename, os.remove, os.execute, os.getenv
local dump, format, gsub, sub, match = string.dump, string.format, string.gsub, string.sub, string.match
local tonumber, tostring, type, rawget, pcall = tonumber, tostring, type, rawget, pcall
local package = package
local paths = require "clickup.time.paths"

local M = {}

local MAGIC = "clickup-time chunk 1\n"

local jit = rawget(_G, "jit")
local LUA51 = _VERSION == "Lua 5.1" and not jit        -- no mode argument to load

-- load(s, name, mode) everywhere ("b": only a compiled chunk)
local function load_chunk(s, name, mode)
  if LUA51 then
    if mode == "b" and s:byte(1) ~= 27 then return nil end
    return loadstring(s, name)                        -- luacheck: ignore (5.1)
  end
  return load(s, name, mode)
end

-- the module's file, as package.searchpath finds it, and its bytes: opened once
local function source_of(name)
  local path, f = paths.open_first(name, package.path)
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return path, s
end

--- The cache's directory for this Lua, or nil (no home, or turned off).
function M.dir(env)
  env = env or getenv
  local off = env("CLICKUP_CHUNK_CACHE")
  if off == "off" or off == "0" then return nil end
  return paths.chunks(env, (gsub(jit and jit.version or _VERSION, "[^%w%.%-]", "")))
end

-- the cache file of a source path: the path, absolute (cwd: $PWD, read
-- once per run), made one file name
local function file_of(dir, cwd, path)
  if sub(path, 1, 1) ~= "/" then
    if not cwd or sub(cwd, 1, 1) ~= "/" then return nil end
    path = cwd .. "/" .. gsub(path, "^%./", "")
  end
  local name = gsub(gsub(path, "%%", "%%25"), "/", "%%2F")
  if #name > 200 then return nil end
  return dir .. "/" .. name
end

-- the chunk kept in `file`, when it was compiled from exactly `src`: the
-- file is read in its parts, and no further than a header that does not fit
local function from_cache(file, src, chunkname)
  local f = open(file, "rb")
  if not f then return nil end
  local code
  if f:read(#MAGIC) == MAGIC then
    local n, m = match(f:read("*l") or "", "^(%d+) (%d+)$")
    n, m = tonumber(n), tonumber(m)
    if n == #src and f:read(n) == src then            -- this source, byte for byte
      code = f:read(m)
      if not code or #code ~= m or f:read(0) ~= nil then code = nil end  -- whole, and nothing after
    end
  end
  f:close()
  return code and load_chunk(code, chunkname, "b")
end

local function shell_quote(s) return "'" .. gsub(s, "'", "'\\''") .. "'" end

-- keep fn, compiled from src, in `file` (written aside, then renamed: a
-- reader sees the old file or the new one, never half of one). The
-- directory is made when a first write finds none; false when it cannot
-- be, and the caller then stops trying (one shell per run at most).
local function store(dir, file, src, fn)
  local ok, code = pcall(dump, fn)
  if not ok then return true end
  -- a name of this process's own: a heap address (randomised per process) and the clocks
  local tmp = format("%s.%s-%d-%d.tmp", file, (gsub(tostring({}), "^table: ", "")), os.time(),
                     math.floor(os.clock() * 1e6))
  local f = open(tmp, "wb")
  if not f then
    execute("mkdir -p -m 700 " .. shell_quote(dir) .. " 2>/dev/null")
    f = open(tmp, "wb")
    if not f then return false end
  end
  local written = f:write(MAGIC, tostring(#src), " ", tostring(#code), "\n", src, code)
  if not f:close() or not written or not rename(tmp, file) then remove(tmp) end
  return true
end

--- The searcher: name -> the module's chunk and its file, or nil (Lua's
-- own searcher then looks). It never raises: whatever goes wrong in it
-- leaves the module to Lua's own.
function M.searcher(dir)
  local writable, cwd = true, getenv("PWD")
  local function search(name)
    local path, src = source_of(name)
    if not src or sub(src, 1, 1) == "#" then return nil end   -- a first line "#...": Lua's loadfile skips it
    local chunkname = "@" .. path
    local file = file_of(dir, cwd, path)
    local fn = file and from_cache(file, src, chunkname)
    if not fn then
      fn = load_chunk(src, chunkname)
      if not fn then return nil end                   -- Lua's own searcher reports the error
      if file and writable then writable = store(dir, file, src, fn) end
    end
    return fn, path
  end
  return function(name)
    local ok, fn, path = pcall(search, name)
    if ok and fn then return fn, path end
    return nil
  end
end

--- Put the searcher first (after package.preload's); once. Returns whether it is on.
function M.install(env)
  local dir = M.dir(env)
  local searchers = package.searchers or package.loaders    -- luacheck: ignore (5.1)
  if not dir or type(searchers) ~= "table" or M.installed then return M.installed == true end
  M.installed = true
  table.insert(searchers, 2, M.searcher(dir))
  return true
end

return M
