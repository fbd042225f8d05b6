-- The fused decoder (src/ct_decode.c) against the reference path (lua-cjson
-- and the mapper, src/ct_map.c), through core.decode's third argument:
-- whatever the fused decoder takes, the reference must take with an equal
-- result (values, integer/float subtypes, metatables); what it does not
-- take, a client gets from the reference path.

local clickup = require "clickup.time"
local support = require "spec.support"

local decode = clickup.core.decode
local numtype = support.numtype

local NAMES = {}
for i, ep in ipairs(clickup.endpoints) do NAMES[i] = ep.name end

local function kind(v)
  if type(v) == "number" then return numtype(v) end
  return type(v)
end

-- nil when equal, else where they differ
local function differ(a, b, where)
  where = where or "result"
  if type(a) ~= "table" or type(b) ~= "table" then
    if kind(a) ~= kind(b) or not (a == b or (a ~= a and b ~= b)) then
      return where .. ": " .. kind(a) .. " " .. tostring(a) .. " vs " .. kind(b) .. " " .. tostring(b)
    end
    return nil
  end
  if getmetatable(a) ~= getmetatable(b) then return where .. ": metatables differ" end
  for k, v in pairs(a) do
    local d = differ(v, b[k], where .. "." .. tostring(k))
    if d then return d end
  end
  for k in pairs(b) do
    if a[k] == nil then return where .. "." .. tostring(k) .. ": only in the reference" end
  end
  return nil
end

-- decode body for every endpoint both ways; returns how many the fused took
local function agree(body, status)
  local took = 0
  for _, name in ipairs(NAMES) do
    local f, ferr = decode(name, body, status or 200, "fused")
    local r, rerr = decode(name, body, status or 200, "reference")
    if f ~= nil then
      took = took + 1
      assert(r ~= nil, name .. ": the fused decoder took what the reference refuses (" .. tostring(rerr)
             .. "): " .. body:sub(1, 200))
      local d = differ(f, r)
      assert(d == nil, name .. ": " .. tostring(d) .. " in " .. body:sub(1, 200))
      local both = decode(name, body, status or 200)
      assert(differ(both, r) == nil, name .. ": the default path differs")
    else
      assert(clickup.is_error(ferr), name)
      assert(ferr.code == "bad_json" or ferr.code == "bad_shape" or ferr.kind == "api", ferr.code)
    end
  end
  return took
end

describe("the fused decoder", function()
  it("agrees with the reference on every fixture and endpoint, and takes each fixture for its endpoint",
  function()
    local own = { list = "entries", single = "entry", create = "create", current = "current",
                  start = "start", stop = "stop", delete = "delete", tags = "tags", task_time = "task_time" }
    for file, name in pairs(own) do
      local body = support.fixture(file)
      agree(body)
      agree(body, 401)
      local r, err = decode(name, body, 200, "fused")
      assert(r ~= nil, file .. ": " .. tostring(err))
    end
  end)

  it("decodes realistic bodies of bench/gen.lua exactly as the reference does", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p " .. dir))
    assert(os.execute("lua5.4 bench/gen.lua " .. dir .. " 300 >/dev/null"))   -- gen.lua is 5.3+ Lua
    local f = assert(io.open(dir .. "/time_entries-300.json", "rb"))
    local body = f:read("*a")
    f:close()
    os.execute("rm -rf " .. dir)
    local fused = assert(decode("entries", body, 200, "fused"))
    local ref = assert(decode("entries", body, 200, "reference"))
    assert.are.equal(300, #fused)
    assert.is_nil(differ(fused, ref))
    assert.is_true(agree(body) >= 5)                   -- entries, delete, history, ...
  end)

  it("keeps the values exactly: times, ids, escapes, UTF-16 pairs, floats, duplicates, nulls", function()
    local body = table.concat{
      '{ "data" : [ null, {"id":"1","start":"1700000000000","end":1700000001000,"duration":"-5",',
      '"at":1.7e12,"wid":42,"description":"a\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00","billable":true,',
      '"user":{"id":7.0,"color":null,"weight":2.5,"n":-0,"big":12345678901234567},',
      '"task":"0","tags":[{"name":"x","creator":"99"},null],"x":1,"x":null,"y":null,',
      '"task_location":[1,null,"z"],"approval_id":"u-1","is_locked":false} ] , "other": [1,{"a":[]}] }',
    }
    local list = assert(decode("entries", body, 200, "fused"))
    assert.are.equal(1, #list)
    local e = list[1]
    assert.are.equal(clickup.Entry, getmetatable(e))
    assert.are.equal("1", e.id)
    assert.are.equal(1700000000000, e.start)
    assert.are.equal("integer", numtype(e.start))
    assert.are.equal(1700000001000, e["end"])
    assert.are.equal(-5, e.duration)
    assert.are.equal(1700000000000, e.at)
    assert.are.equal("integer", numtype(e.at))
    assert.are.equal("42", e.wid)
    assert.are.equal('a"b\\c/d\n\t\195\169\240\159\152\128', e.description)
    assert.are.equal(7, e.user.id)
    assert.are.equal("integer", numtype(e.user.id))
    assert.is_nil(e.user.color)
    assert.are.equal(2.5, e.user.weight)
    assert.are.equal(0, e.user.n)
    assert.are.equal(1.2345678901234568e16, e.user.big)  -- beyond 2^53: what a double makes of it
    if math.type then assert.are.equal("float", math.type(e.user.big)) end
    assert.is_nil(e.task)                              -- the junk "0"
    assert.are.equal(1, #e.tags)
    assert.are.equal(99, e.tags[1].creator)
    assert.is_nil(e.x)                                 -- the last of duplicates wins: null
    assert.is_nil(e.y)
    assert.are.same({ [1] = 1, [3] = "z" }, e.task_location)
    assert.is_false(e.is_locked)
    agree(body)
  end)

  it("reports bad JSON and bad shapes by themselves, with where", function()
    local cases = {
      { '{"data":[{"id":"1","start":"12x"}]}', "bad_shape", "data[1].start: expected an integer" },
      { '{"data":[{"id":"1","user":{"id":true}}]}', "bad_shape",
        "data[1].user.id: expected an integer, got a boolean" },
      { '{"data":[{"start":"1"}]}', "bad_shape", "entry without an id" },
      { '{"data":{"a":1}}', "bad_shape", "data: expected an array, got an object" },
      { '{"data":[{"id":"1"}]', "bad_json", "expected ',' or '}' at character 21" },
      { '{"data":[]} x', "bad_json", "trailing characters" },
      { '{"data":[{"id":"\\x"}]}', "bad_json", "invalid escape" },
      { '{"data":[{"id":"\\ud800"}]}', "bad_json", "invalid unicode escape" },
      { '{"data":[{"id":1.}]}', "bad_json", "invalid number" },
      { '{"data":[{"id":01}]}', "bad_json", "expected ',' or '}'" },
      { '{"data":[{"id":"unterminated', "bad_json", "unterminated string" },
      { '{"data":[]}\0', "bad_json", "a NUL byte" },
      { '{"data":[{"id":"1","x":' .. string.rep("[", 150) .. string.rep("]", 150) .. '}]}', "bad_json",
        "nested too deeply" },
    }
    for _, c in ipairs(cases) do
      local r, err = decode("entries", c[1], 200, "fused")
      assert.is_nil(r, c[1])
      assert.are.equal(c[2], err.code, c[1])
      assert.are.equal("decode", err.kind)
      assert.is_truthy(err.message:find(c[3], 1, true), err.message)
      agree(c[1])
    end
  end)

  it("falls back to the reference path for what only lua-cjson takes", function()
    -- lua-cjson reads "1." as a number; the fused decoder does not
    local body = '{"data":[{"id":"7","x":1.}]}'
    assert.is_nil(decode("entries", body, 200, "fused"))
    local list = assert(decode("entries", body))
    assert.are.equal("7", list[1].id)
    assert.are.equal(1, list[1].x)
  end)

  it("works without lua-cjson: its own errors are then the answer", function()
    -- a second instance of the core, loaded while require "cjson" fails
    local loaded, preload = package.loaded, package.preload
    local saved_cjson, saved_core = loaded.cjson, loaded["clickup.time.core"]
    loaded.cjson, loaded["clickup.time.core"] = nil, nil
    preload.cjson = function() error("lua-cjson is not installed") end
    local ok, bare = pcall(require, "clickup.time.core")
    preload.cjson, loaded.cjson, loaded["clickup.time.core"] = nil, saved_cjson, saved_core
    assert(ok, bare)
    assert.is_false(bare.has_json())
    local list = assert(bare.decode("entries", support.fixture("list")))
    assert.are.equal("2859994400527229584", list[1].id)
    assert.are.equal(bare.Entry, getmetatable(list[1]))
    local r, err = bare.decode("entries", '{"data":[{"id":"7","x":1.}]}')
    assert.is_nil(r)
    assert.are.equal("bad_json", err.code)
    assert.is_truthy(err.message:find("invalid number at character 26", 1, true), err.message)
    r, err = bare.decode("entries", '{"data":[{"id":"7","start":"soon"}]}')
    assert.is_nil(r)
    assert.are.equal("unexpected answer: data[1].start: expected an integer, got a string that is not one",
                     err.message)
    r, err = bare.decode("entries", '{"err":"Token invalid","ECODE":"OAUTH_025"}', 401)
    assert.is_nil(r)
    assert.are.equal("OAUTH_025", err.code)
  end)

  it("reads error answers the same way", function()
    local _, err = decode("entries", '{"err":"Token invalid","ECODE":"OAUTH_025","x":[1,{}]}', 401, "fused")
    assert.are.equal("OAUTH_025", err.code)
    assert.are.equal("Token invalid", err.message)
    assert.are.equal(401, err.status)
    _, err = decode("entries", "<html>", 502, "fused")
    assert.are.equal("HTTP_502", err.code)
  end)

  it("takes the single-entry, id, teams and empty shapes as the reference does", function()
    local bodies = {
      '{"data":{"id":"5","start":"1"}}', '{"data":[{"id":"5"}]}', '{"data":[{"id":"5"},{"id":"6"}]}',
      '{"data":[]}', '{"data":{}}', '{"data":null}', '{}', '[]', '{"id":123}', '{"id":"abc"}',
      '{"id":1.5}', '{"teams":[{"id":9,"members":[{"user":{"id":"3","role":2}}]}]}', '{"data":[null]}',
      '{"data":[[1,2]]}', '{"data":5}', '{"data":"x"}', '{"data":{"id":null}}', 'null', '"x"',
      '{"data":[{"id":"1"}],"data":null}', '{"data":null,"data":{"id":"2"}}',
    }
    local took = 0
    for _, b in ipairs(bodies) do took = took + agree(b) end
    assert.is_true(took > 100, took)                   -- not vacuous
  end)

  it("agrees with the reference on thousands of random answer-shaped bodies", function()
    local seed = 12345
    local function rnd(n)
      seed = (seed * 48271) % 2147483647
      return seed % n + 1
    end
    local FIELDS = { "id", "wid", "start", "end", "duration", "at", "billable", "is_locked", "task",
                     "user", "tags", "task_tags", "task_location", "approval_id", "description", "x",
                     "orderindex", "creator", "status", "custom_type", "members", "intervals", "time" }
    local value
    local function scalar()
      local k = rnd(14)
      if k == 1 then return "null"
      elseif k == 2 then return '"' .. rnd(2000000000) .. rnd(999999) .. '"'
      elseif k == 3 then return tostring(rnd(1000000) - 500)
      elseif k == 4 then return tostring(rnd(1000)) .. ".5"
      elseif k == 5 then return rnd(2) == 1 and "true" or "false"
      elseif k == 6 then return '"0"'
      elseif k == 7 then return '"x\\u00e9\\n"'
      elseif k == 8 then return "1e3"
      elseif k == 9 then return "-0"
      elseif k == 10 then return "12345678901234567890"
      elseif k == 11 then return '""'
      elseif k == 12 then return "{}"
      elseif k == 13 then return "[]"
      else return '"' .. rnd(99) .. '"' end
    end
    local function object(depth)
      local parts = {}
      for _ = 1, rnd(6) - 1 do
        parts[#parts + 1] = '"' .. FIELDS[rnd(#FIELDS)] .. '":' .. value(depth + 1)
      end
      if rnd(4) > 1 then parts[#parts + 1] = '"id":"' .. rnd(1000) .. '"' end
      return "{" .. table.concat(parts, rnd(5) == 1 and " , " or ",") .. "}"
    end
    local function array(depth)
      local parts = {}
      for _ = 1, rnd(4) - 1 do parts[#parts + 1] = value(depth + 1) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    function value(depth)
      local k = rnd(10)
      if depth > 4 or k <= 5 then return scalar() end
      if k <= 8 then return object(depth) end
      return array(depth)
    end
    local took, n = 0, 0
    for _ = 1, 1500 do
      local top = rnd(3)
      local data = top == 1 and array(0) or top == 2 and object(0) or value(0)
      local key = ({ '"data"', '"data"', '"teams"', '"id"' })[rnd(4)]
      local body = "{" .. key .. ":" .. data .. (rnd(5) == 1 and ',"data":null' or "") .. "}"
      took = took + agree(body)
      n = n + #NAMES
    end
    assert.is_true(took > n / 4, took .. " of " .. n)  -- most are taken, so most are compared
  end)

  it("leaves the collector as it found it", function()
    local body = support.fixture("list")
    local big = '{"data":[' .. string.rep('{"id":"1","start":"2"},', 5000) .. '{"id":"3"}]}'
    assert.are.equal(5001, #assert(decode("entries", big)))
    if _VERSION ~= "Lua 5.1" or rawget(_G, "jit") then  -- PUC 5.1 cannot tell; the core leaves it be
      assert.is_true(collectgarbage("isrunning"))
      collectgarbage("stop")
      assert.are.equal(5001, #assert(decode("entries", big)))
      assert(decode("entries", body))
      local running = collectgarbage("isrunning")
      collectgarbage("restart")
      assert.is_false(running)
    end
  end)
end)
