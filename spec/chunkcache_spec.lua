-- The command's modules kept compiled between runs (clickup.time.chunkcache):
-- a chunk is used only when it was compiled from the bytes the source holds
-- now, anything wrong falls back to Lua's own searcher, and what a module
-- does, raises and reports is what it does without the cache.

local chunkcache = require "clickup.time.chunkcache"
local cli = require "spec.cli_support"
local fake = require "clickup.time.fake"

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

local read = require("spec.support").slurp

local function files(dir)
  local out = {}
  local p = io.popen("ls -A " .. cli.q(dir) .. " 2>/dev/null")
  for line in p:read("*a"):gmatch("[^\n]+") do out[#out + 1] = line end
  p:close()
  return out
end

describe("the chunk cache", function()
  local root, src_dir, cache, saved_path

  before_each(function()
    root = cli.tmpdir()
    src_dir, cache = root .. "/src", root .. "/cache/Lua"
    assert(os.execute("mkdir -p " .. cli.q(src_dir)))
    saved_path = package.path
    package.path = src_dir .. "/?.lua"
  end)

  after_each(function()
    package.path = saved_path
    cli.rmdir(root)
  end)

  -- load module `name` through a fresh searcher on `cache`, as require would
  local function load_module(name)
    local loader, path = chunkcache.searcher(cache)(name)
    if not loader then return nil end
    return loader(name, path), path
  end

  it("keeps a module compiled, and loads the kept chunk next time", function()
    write(src_dir .. "/m.lua", "local n = ... ; return { name = n, answer = 42 }")
    local m = load_module("m")
    assert.are.same({ name = "m", answer = 42 }, m)
    local kept = files(cache)
    assert.are.equal(1, #kept)
    assert.matches("m%.lua$", kept[1])
    -- the next run loads the kept chunk: mark it, and see the mark come back
    local file = cache .. "/" .. kept[1]
    local body = assert(read(file))
    assert.matches("^clickup%-time chunk 1\n", body)
    assert.are.same({ name = "m", answer = 42 }, (load_module("m")))
  end)

  it("compiles a source again when its bytes changed, even to the same length", function()
    write(src_dir .. "/m.lua", "return 1")
    assert.are.equal(1, load_module("m"))
    write(src_dir .. "/m.lua", "return 2")
    assert.are.equal(2, load_module("m"))
    assert.are.equal(2, load_module("m"))
    assert.are.equal(1, #files(cache))
  end)

  it("takes a damaged cache file for none", function()
    write(src_dir .. "/m.lua", "return 'fine'")
    assert.are.equal("fine", load_module("m"))
    local file = cache .. "/" .. files(cache)[1]
    local body = read(file)
    local evil = body:gsub("return 'fine'", "return 'evil'")
    for _, bad in ipairs{ body:sub(1, #body - 7), body .. "x", "junk", "", evil } do
      write(file, bad)
      assert.are.equal("fine", load_module("m"))
    end
  end)

  it("leaves errors to Lua's own searcher, and tracebacks name the source's lines", function()
    write(src_dir .. "/broken.lua", "return {")
    assert.is_nil(chunkcache.searcher(cache)("broken"))
    assert.is_nil(chunkcache.searcher(cache)("absent"))
    write(src_dir .. "/raises.lua", "local M = {}\n\nfunction M.go()\n  error('boom')\nend\nreturn M\n")
    load_module("raises")
    local m = load_module("raises")                -- from the kept chunk
    local ok, err = pcall(m.go)
    assert.is_false(ok)
    assert.are.equal(src_dir .. "/raises.lua:4: boom", err)
  end)

  it("works without a cache it can write (a file where its directory should be)", function()
    write(root .. "/cache", "not a directory")
    write(src_dir .. "/m.lua", "return 'still'")
    assert.are.equal("still", load_module("m"))
    assert.are.equal("not a directory", read(root .. "/cache"))
    -- and tries to make the directory once per run, not once per module
    write(src_dir .. "/n.lua", "return 'too'")
    local real, shells = os.execute, 0
    package.path, package.loaded["clickup.time.chunkcache"] = saved_path, nil
    os.execute = function(...) shells = shells + 1; return real(...) end   -- luacheck: ignore
    local fresh = require "clickup.time.chunkcache"
    os.execute, package.loaded["clickup.time.chunkcache"] = real, chunkcache   -- luacheck: ignore
    package.path = src_dir .. "/?.lua"
    local search = fresh.searcher(cache)
    for _, name in ipairs{ "m", "n", "m" } do
      local loader, path = search(name)
      assert.is_truthy(loader(name, path))
    end
    assert.are.equal(1, shells)
  end)

  it("lives under XDG_CACHE_HOME or ~/.cache, one directory per Lua, and can be turned off", function()
    local env = { HOME = "/home/u" }
    local getenv = function(k) return env[k] end
    assert.matches("^/home/u/%.cache/clickup%-time/chunks/[%w%.%-]+$", chunkcache.dir(getenv))
    env.XDG_CACHE_HOME = "/c"
    assert.matches("^/c/clickup%-time/chunks/", chunkcache.dir(getenv))
    env.CLICKUP_CHUNK_CACHE = "off"
    assert.is_nil(chunkcache.dir(getenv))
    assert.is_nil(chunkcache.dir(function() return nil end))
  end)

  it("serves the command: the same output on the first run and the next", function()
    package.path = saved_path
    local server = fake.spawn()
    finally(function() server:stop() end)
    local home = root .. "/home"
    assert(os.execute("mkdir -p " .. cli.q(home)))
    cli.fresh_journal()
    local env = cli.env(server, home, { XDG_CACHE_HOME = false })
    local s1, out1, err1 = cli.run(env, "status")
    local dirs = files(home .. "/.cache/clickup-time/chunks")
    assert.are.equal(1, #dirs)
    assert.is_true(#files(home .. "/.cache/clickup-time/chunks/" .. dirs[1]) > 10)
    local s2, out2, err2 = cli.run(env, "status")
    assert.are.same({ 1, "No timer running.\n", "" }, { s1, out1, err1 })
    assert.are.same({ s1, out1, err1 }, { s2, out2, err2 })
    env.CLICKUP_CHUNK_CACHE = "off"
    cli.rmdir(home .. "/.cache")
    local s3, out3, err3 = cli.run(env, "status")
    assert.are.same({ s1, out1, err1 }, { s3, out3, err3 })
    assert.are.same({}, files(home .. "/.cache"))
  end)
end)
