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

-- an anomaly list as one comparable string: sorted records, then the count of the rest
local function anomaly_set(a)
  if a == nil then return "none" end
  local t = {}
  for i, x in ipairs(a) do t[i] = x.path .. " " .. x.expected .. " " .. x.got end
  table.sort(t)
  return table.concat(t, "; ") .. " +" .. tostring(a.more)
end

-- the anomalies of both decoders agree: the same records (when all are kept), the same count
local function same_anomalies(fa, ra, where)
  if fa == nil or ra == nil then
    assert(fa == nil and ra == nil, where .. ": anomalies in one decoder only: " .. anomaly_set(fa)
           .. " vs " .. anomaly_set(ra))
    return
  end
  assert.are.equal(#fa + fa.more, #ra + ra.more, where .. ": the count of anomalies")
  if fa.more == 0 then assert.are.equal(anomaly_set(fa), anomaly_set(ra), where) end
end

-- decode body for every endpoint both ways; returns how many the fused took
local function agree(body, status)
  local took = 0
  for _, name in ipairs(NAMES) do
    local f, ferr, fa = decode(name, body, status or 200, "fused")
    local r, rerr, ra = decode(name, body, status or 200, "reference")
    if f ~= nil then
      took = took + 1
      assert(r ~= nil, name .. ": the fused decoder took what the reference refuses (" .. tostring(rerr)
             .. "): " .. body:sub(1, 200))
      local d = differ(f, r)
      assert(d == nil, name .. ": " .. tostring(d) .. " in " .. body:sub(1, 200))
      same_anomalies(fa, ra, name .. " in " .. body:sub(1, 200))
      local both, _, ba = decode(name, body, status or 200)
      assert(differ(both, r) == nil, name .. ": the default path differs")
      same_anomalies(ba, ra, name .. " (default path)")
      -- strict: the same result without anomalies, a bad_shape with them
      local s, serr = decode(name, body, status or 200, "fused", true)
      if fa == nil then
        assert(differ(s, f) == nil, name .. ": strict differs")
      else
        assert.is_nil(s, name)
        assert.are.equal("bad_shape", serr.code, name)
        local _, rserr = decode(name, body, status or 200, "reference", true)
        assert.are.equal("bad_shape", rserr.code, name)
      end
    else
      assert(clickup.is_error(ferr), name)
      assert(ferr.code == "bad_json" or ferr.code == "bad_shape" or ferr.kind == "api", ferr.code)
      -- what the fused decoder refuses, a client gets from the reference path
      local both, berr = decode(name, body, status or 200)
      if r ~= nil then
        assert(differ(both, r) == nil, name .. ": the default path differs from the reference")
      else
        assert.are.equal(rerr.code, berr.code, name)
      end
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
    local list, _, anomalies = decode("entries", body, 200, "fused")
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
    assert.are.same({ 1, "z" }, e.task_location)      -- not an object: kept as it came, an anomaly
    assert.are.same({ { path = "data[2].task_location", expected = "object", got = "array" }, more = 0 },
                    anomalies)
    assert.is_false(e.is_locked)
    agree(body)
  end)

  it("reports bad JSON and bad shapes by themselves, with where", function()
    local cases = {
      { '{"data":[{"id":"1","start":"12x"}]}', "bad_shape", "data[1].start: expected an integer" },
      { '{"data":[{"id":"1","start":true}]}', "bad_shape", "data[1].start: expected an integer, got a boolean" },
      { '{"data":[{"id":"1","tags":[{"name":7}]}]}', "bad_shape",
        "data[1].tags[1].name: expected a string, got a number" },
      { '{"data":[{"id":[]}]}', "bad_shape", "data[1].id: expected an id, got an object" },
      { '{"data":[{"id":"1"},7]}', "bad_shape", "data[2]: expected an object, got a number" },
      { '{"data":"x"}', "bad_shape", "data: expected an array of entries, got a string" },
      { '{"data":[{"start":"1"}]}', "bad_shape", "entry without an id" },
      { '{"data":{"a":1}}', "bad_shape", "data: expected an array of entries, got an object" },
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
      if c[2] == "bad_shape" then                      -- worded alike by the reference
        local _, rerr = decode("entries", c[1], 200, "reference")
        assert.are.equal(err.message, rerr.message)
      end
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
    loaded["clickup.time.core"] = saved_core
    finally(function() preload.cjson, loaded.cjson = nil, saved_cjson end)   -- it is asked for when needed
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

describe("tolerant typing", function()
  local fields = clickup.core.fields

  -- the values each kind takes as they are (typed), by the JSON value
  local TAKES = {
    integer = { null = true, ["0"] = true, ["-7"] = true, ['"42"'] = true },
    id = { null = true, ["0"] = true, ["-7"] = true, ['"42"'] = true, ['"x"'] = true, ['"true"'] = true,
           ['""'] = true },
    boolean = { null = true, ["true"] = true, ["false"] = true, ['"true"'] = true },
    string = { null = true, ['"42"'] = true, ['"x"'] = true, ['"true"'] = true, ['""'] = true },
    ["string or integer"] = { null = true, ["0"] = true, ["-7"] = true, ['"42"'] = true, ['"x"'] = true,
                              ['"true"'] = true, ['""'] = true },
    object = { null = true, ["{}"] = true, ["[]"] = true, ['{"a":1}'] = true },
    array = { null = true, ["{}"] = true, ["[]"] = true },
    task = {},                                       -- anything: an object, or absent
  }

  -- what an anomaly says it got, by the JSON value ([] is an object: lua-cjson cannot tell)
  local GOT = { ["true"] = "boolean", ["false"] = "boolean", ["0"] = "number", ["-7"] = "number",
                ["1.5"] = "number", ["1e300"] = "number", ["12345678901234567890"] = "number",
                ['"42"'] = "string", ['"x"'] = "string", ['"true"'] = "string", ['""'] = "string",
                ["{}"] = "object", ["[]"] = "object", ['{"a":1}'] = "object", ["[1]"] = "array",
                ['["a"]'] = "array" }

  it("gives every field of every object each JSON type, alike in both decoders", function()
    local n, odd = 0, 0
    for _, case in ipairs(support.odd_bodies(fields)) do
      local obj, f, v, body, place = case.object, case.field, case.value, case.body, case.place
      local where = body .. " (" .. place[1] .. ")"
      local typed = TAKES[f.kind] and (TAKES[f.kind][v] or f.kind == "task")
      if f.kind == "array" and (v == '["a"]' or v == "[1]") then typed = v == '["a"]' and f.object == "tag" end
      if obj == "entry" and f.name == "id" and v == "null" then typed = false end   -- required too
      local fr, ferr, fa = decode(place[1], body, 200, "fused")
      local rr, rerr, ra = decode(place[1], body, 200, "reference")
      n = n + 1
      if f.essential and not typed then
        -- refused by both, in the same words, naming the field
        assert.is_nil(fr, where)
        assert.are.equal("bad_shape", ferr.code, where)
        assert.are.equal(ferr.message, rerr.message, where)
        local required = obj == "entry" and f.name == "id" and v == "null" and place[3] .. ": entry without an id"
        assert.matches(required or (place[3] .. "." .. f.name .. ": expected"), ferr.message, 1, true)
      else
        assert(fr ~= nil, where .. ": " .. tostring(ferr))
        assert(rr ~= nil, where .. ": " .. tostring(rerr))
        assert.is_nil(differ(fr, rr), where)
        if typed then
          assert.is_nil(fa, where)
          assert.is_nil(ra, where)
        else
          odd = odd + 1
          local item = f.kind == "array" and v:sub(1, 1) == "["    -- an item is no object
          local got = item and (v == "[1]" and "number" or "string") or GOT[v]
          local want = { { path = place[3] .. "." .. f.name .. (item and "[1]" or ""),
                           expected = item and "object" or f.kind, got = got }, more = 0 }
          assert.are.same(want, fa, where)
          assert.are.same(want, ra, where)
          -- strict: the same anomaly is a bad_shape, worded alike
          local _, serr = decode(place[1], body, 200, "fused", true)
          local _, rserr = decode(place[1], body, 200, "reference", true)
          assert.are.equal("bad_shape", serr.code, where)
          assert.are.equal(serr.message, rserr.message, where)
          assert.matches(want[1].path .. ": expected", serr.message, 1, true)
        end
      end
    end
    assert.is_true(n > 1000 and odd > 400, n .. " bodies, " .. odd .. " anomalies")
  end)

  it("keeps an odd value as it came: strings strings, objects tables, numbers numbers", function()
    local body = '{"data":[{"id":"1","start":"5","end":"soon","duration":1.5,"billable":"yes",'
      .. '"user":{"id":{"x":[1,null]}},"task":{"id":"t","custom_type":true},"tags":{"a":null},'
      .. '"description":7,"is_locked":[1,2]}]}'
    for _, how in ipairs{ "fused", "reference" } do
      local list, err, anomalies = decode("entries", body, 200, how)
      assert(list, tostring(err))
      local e = list[1]
      assert.are.equal("soon", e["end"])
      assert.are.equal(1.5, e.duration)
      assert.are.equal("yes", e.billable)
      assert.are.same({ x = { 1 } }, e.user.id)
      assert.is_true(e.task.custom_type)
      assert.are.same({}, e.tags)                      -- a null inside it is absent
      assert.are.equal(7, e.description)
      assert.are.equal("integer", numtype(e.description))
      assert.are.same({ 1, 2 }, e.is_locked)
      assert.are.equal(5, e.start)
      assert.are.equal(8, #anomalies, how)
      assert.are.equal(0, anomalies.more)
      local got = {}
      for _, a in ipairs(anomalies) do got[a.path] = a.expected .. "/" .. a.got end
      assert.are.same({ ["data[1].end"] = "integer/string", ["data[1].duration"] = "integer/number",
                        ["data[1].billable"] = "boolean/string", ["data[1].user.id"] = "integer/object",
                        ["data[1].task.custom_type"] = "string or integer/boolean",
                        ["data[1].tags"] = "array/object", ["data[1].description"] = "string/number",
                        ["data[1].is_locked"] = "boolean/array" }, got)
    end
  end)

  it("takes ClickUp's real forms without an anomaly", function()
    local body = '{"data":[{"id":"1","start":1700000000000,"end":"1700000001000","billable":"true",'
      .. '"is_locked":"false","tags":["a",{"name":"b","creator":"3"}],"task_tags":["c"],'
      .. '"task":{"id":77,"custom_type":"milestone"},"wid":90152245421,"approval_id":null,'
      .. '"task_location":{"list_id":null,"folder_id":12,"space_id":"9"}},'
      .. '{"id":"2","task":"0","user":{"id":"5","color":null,"profilePicture":"https://x/p.jpg"}},'
      .. '{"id":"3","task":[]},{"id":"4","task":[1]},{"id":"5","task":{}},{"id":"6","task":{"custom_type":7}},'
      .. '{"id":"7","task":{"id":"t","custom_type":null},"task_url":"https://app.clickup.com/t/null"}]}'
    for _, how in ipairs{ "fused", "reference" } do
      local list, err, anomalies = decode("entries", body, 200, how)
      assert(list, tostring(err))
      assert.is_nil(anomalies, how)
      local e = list[1]
      assert.is_true(e.billable)
      assert.is_false(e.is_locked)
      assert.are.same({ { name = "a" }, { name = "b", creator = 3 } }, e.tags)
      assert.are.same({ { name = "c" } }, e.task_tags)
      assert.are.same({ id = "77", custom_type = "milestone" }, e.task)
      assert.are.equal("90152245421", e.wid)
      assert.are.same({ folder_id = "12", space_id = "9" }, e.task_location)
      assert.is_nil(list[2].task)
      assert.are.same({ id = 5, profilePicture = "https://x/p.jpg" }, list[2].user)
      assert.is_nil(list[3].task)                      -- an array is no task
      assert.is_nil(list[4].task)
      assert.is_nil(list[5].task)                      -- nor is an empty object
      assert.are.same({ custom_type = 7 }, list[6].task)
      assert.are.equal("integer", numtype(list[6].task.custom_type))
      assert.are.equal("https://app.clickup.com/t/null", list[7].task_url)
    end
    local tags = assert(decode("tags", '{"data":["x",{"name":"y"}]}'))
    assert.are.same({ { name = "x" }, { name = "y" } }, tags)
  end)

  it("10,000 entries with one odd field in one of them: 10,000 entries and one anomaly", function()
    local parts = {}
    for i = 1, 10000 do
      parts[i] = ('{"id":"%d","start":"1700000000000","end":"1700000060000","duration":"60000",'
        .. '"task":{"id":"t%d","custom_type":%s},"billable":false}'):format(i, i, i == 501 and '{"x":1}' or "null")
    end
    local body = '{"data":[' .. table.concat(parts, ",") .. "]}"
    for _, how in ipairs{ "fused", "reference", "both" } do
      local list, err, anomalies = decode("entries", body, 200, how)
      assert(list, tostring(err))
      assert.are.equal(10000, #list)
      assert.are.same({ { path = "data[501].task.custom_type", expected = "string or integer", got = "object" },
                        more = 0 }, anomalies)
      assert.are.same({ x = 1 }, list[501].task.custom_type)
      assert.are.equal(60000, list[10000].duration)
    end
    local r, err = decode("entries", body, 200, nil, true)
    assert.is_nil(r)
    assert.are.equal("unexpected answer: data[501].task.custom_type: expected a string or an integer, got an object",
                     err.message)
  end)

  it("keeps the first 100 anomalies and counts the rest in `more`", function()
    local parts = {}
    for i = 1, 250 do parts[i] = ('{"id":"%d","end":"x"}'):format(i) end
    local body = '{"data":[' .. table.concat(parts, ",") .. "]}"
    for _, how in ipairs{ "fused", "reference" } do
      local list, _, anomalies = decode("entries", body, 200, how)
      assert.are.equal(250, #list)
      assert.are.equal(100, #anomalies)
      assert.are.equal(150, anomalies.more)
      assert.are.same({ path = "data[100].end", expected = "integer", got = "string" }, anomalies[100])
    end
  end)

  it("an odd essential field still fails the call, in the same words", function()
    local cases = {
      { "entries", '{"data":[{"id":"1","start":"soon"}]}',
        "data[1].start: expected an integer, got a string that is not one" },
      { "entries", '{"data":[{"id":true}]}', "data[1].id: expected an id, got a boolean" },
      { "entries", '{"data":[{"id":1.5}]}', "data[1].id: expected an id, got a number that lost its digits" },
      { "entries", '{"data":[{"id":"1","start":1.5}]}',
        "data[1].start: expected an integer, got a non-integral or huge number" },
      { "tags", '{"data":[{"name":{}}]}', "data[1].name: expected a string, got an object" },
      { "task_time", '{"data":[{"intervals":[{"id":[1]}]}]}',
        "data[1].intervals[1].id: expected an id, got an array" },
      { "entry", '{"data":7}', "data: expected an entry, got a number" },
      { "entries", '{"data":null}', "data: expected an array of entries, got nothing" },
      { "teams", '{}', "teams: expected an array of workspaces, got nothing" },
      { "tags", '{"data":[1]}', "data[1]: expected an object, got a number" },
      { "entries", 'null', "expected a JSON object, got null" },
    }
    for _, c in ipairs(cases) do
      for _, how in ipairs{ "fused", "reference" } do
        local r, err = decode(c[1], c[2], 200, how)
        assert.is_nil(r, c[2])
        assert.are.equal("bad_shape", err.code)
        assert.are.equal("unexpected answer: " .. c[3], err.message, how)
      end
    end
  end)

  it("history: the decoded data, or the whole payload when it has no data", function()
    for _, how in ipairs{ "fused", "reference" } do
      assert.are.same({ { field = "tags" } }, decode("history", '{"data":[{"field":"tags","before":null}]}', 200, how))
      assert.are.same({ history = { { id = 1 } }, total = 1 },
                      decode("history", '{"history":[{"id":1.0}],"total":1,"x":null}', 200, how))
      assert.are.same({}, decode("history", '{"data":null}', 200, how))
      assert.are.same({ n = 2 }, decode("history", '{"data":{"n":2}}', 200, how))
      assert.is_false(decode("history", '{"data":false}', 200, how))
      local r, err = decode("history", '[1]', 200, how)
      assert.is_nil(r)
      assert.are.equal("unexpected answer: expected a JSON object, got an array", err.message)
    end
  end)
end)

describe("empty success bodies", function()
  -- per operation: what an empty 200 (and a 204) means
  local EXPECT = {
    entries = "bad_json", entry = "bad_json", current = "bad_json", history = "bad_json", tags = "bad_json",
    task_time = "bad_json", teams = "bad_json",
    create = "unknown", start = "unknown", stop = "unknown",     -- a POST that promised an entry
    update = true, add_tags = true, remove_tags = true, rename_tag = true, add_task_time = true,
    update_task_time = true, delete_task_time = true, delete = {},
  }

  it("is success for what promises no entry, bad_json (outcome unknown for a POST) otherwise", function()
    for _, name in ipairs(NAMES) do
      local want = EXPECT[name]
      assert(want ~= nil, "no expectation for " .. name)
      for _, status in ipairs{ 200, 204 } do
        for _, how in ipairs{ "both", "fused", "reference" } do
          local r, err = decode(name, "", status, how)
          if want == "bad_json" or want == "unknown" then
            assert.is_nil(r, name)
            assert.are.equal("bad_json", err.code)
            assert.are.equal(status, err.status)
            assert.matches("empty body", err.message, 1, true)
            assert.are.equal(want == "unknown" and "unknown" or nil, err.outcome, name)
          else
            assert.are.same(want, r, name)
          end
        end
      end
    end
  end)
end)
