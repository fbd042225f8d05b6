-- Resource hygiene: clients close on every path, and thousands of clients
-- made and dropped do not grow the process (C memory included: measured as
-- the resident set, not only Lua's heap).

local fake = require "clickup.time.fake"
local support = require "spec.support"

-- resident memory in KiB, from /proc (Linux); nil elsewhere, and under
-- ASan or valgrind (CT_SANITIZED), whose own leak checks stand in for it:
-- their quarantines and shadow memory make the resident set meaningless
local function rss_kib()
  if os.getenv("CT_SANITIZED") then return nil end
  local f = io.open("/proc/self/statm", "r")
  if not f then return nil end
  local _, resident = f:read("*n", "*n")          -- statm: size resident ... (pages)
  f:close()
  return resident * 4
end

local function full_gc()
  for _ = 1, 3 do collectgarbage("collect") end
end

describe("resources", function()
  local server

  setup(function() server = fake.spawn{ rate_limit = 1000000 } end)
  teardown(function() server:stop() end)

  local function new()
    return support.client(server)
  end

  it("close, __gc and __close are one idempotent path", function()
    local c = new()
    assert(c:tags())
    c:close()
    c:close()
    assert.has_error(function() c:tags() end, "clickup.time: tags: attempt to use a closed client")
    local core = c._core
    getmetatable(core).__gc(core)                    -- what the collector would do, again
    assert.are.equal("clickup.time.Client (closed)", tostring(core))
  end)

  it("thousands of clients made and dropped do not grow memory", function()
    if not rss_kib() then return end
    local function churn(n, with_request)
      for i = 1, n do
        local c = new()
        if with_request and i % 10 == 0 then assert(c:tags()) end
        if i % 2 == 0 then c:close() end             -- half closed, half left to __gc
      end
      full_gc()
    end
    churn(500, true)                                 -- warm up allocators and caches
    churn(3000, true)                                -- ... and let the heap find its size
    local before = rss_kib()
    churn(3000, true)
    local after = rss_kib()
    -- a leaked client (its curl handles, buffers, connection) is several KiB:
    -- 3000 of them would be far above this; a heap that settled does not grow
    assert.is_true(after - before < 4 * 1024, ("grew by %d KiB"):format(after - before))
  end)

  it("a failing request leaves the client usable and leaks nothing", function()
    local c = new()
    local before
    for i = 1, 300 do
      server:inject{ times = 1, status = 200, body = '{"data":[1' }
      local r, err = c:entries()
      assert.is_nil(r)
      assert.are.equal("bad_json", err.code)
      if i == 50 then full_gc(); before = rss_kib() end
    end
    full_gc()
    if before then assert.is_true(rss_kib() - before < 4 * 1024) end
    assert(c:tags())
    c:close()
  end)
end)
