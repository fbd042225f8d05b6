-- The anomalies of a call, against the local server: an answer with a
-- descriptive field of an unexpected type is taken, the field kept as it
-- came, and client:anomalies() lists it: for a blocking call, a callback
-- (also its third argument), each call of parallel, a long fetch made of
-- several requests. strict = true makes them bad_shape again.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local support = require "spec.support"

local NOW = 1767225600000

describe("anomalies", function()
  local server, c, list_path

  setup(function()
    server = fake.spawn{ now = NOW, rate_limit = 100000 }
    list_path = "/team/" .. server.team_id .. "/time_entries"
  end)
  teardown(function() server:stop() end)
  before_each(function()
    server:reset()
    c = support.client(server, { retries = 0 })
  end)
  after_each(function() c:close() end)

  -- the next answer to GET …/time_entries: the server's own, with `custom_type` of every task set to v
  local function odd_list(v, times)
    local r = assert(c:entries{ start_date = NOW - 86400000 * 30, end_date = NOW })
    local parts = {}
    for i, e in ipairs(r) do
      parts[i] = ('{"id":"%s","start":"%d","end":"%d","task":{"id":"t%d","custom_type":%s}}')
        :format(e.id, e.start, e["end"], i, v)
    end
    server:inject{ method = "GET", path = list_path, body = '{"data":[' .. table.concat(parts, ",") .. "]}",
                   times = times or 1 }
    return #parts
  end

  local ODD = { { path = "data[1].task.custom_type", expected = "string or integer", got = "object" },
                { path = "data[2].task.custom_type", expected = "string or integer", got = "object" },
                { path = "data[3].task.custom_type", expected = "string or integer", got = "object" }, more = 0 }

  it("are empty before any call and after a call without any", function()
    assert.are.same({ more = 0 }, c:anomalies())
    assert(c:entries{ start_date = NOW - 1000, end_date = NOW })
    assert.are.same({ more = 0 }, c:anomalies())
  end)

  it("of a blocking call: the result has every entry, the odd field as it came", function()
    assert.are.equal(3, odd_list('{"k":1}'))
    local list, err = c:entries{ start_date = NOW - 86400000 * 30, end_date = NOW }
    assert.is_nil(err)
    assert.are.equal(3, #list)
    assert.are.same({ k = 1 }, list[2].task.custom_type)
    assert.are.same(ODD, c:anomalies())
    assert.is_false(c:current())                     -- the next call has none
    assert.are.same({ more = 0 }, c:anomalies())
  end)

  it("are bad_shape with strict = true, naming the field", function()
    local strict = support.client(server, { strict = true, retries = 0 })
    odd_list('{"k":1}')
    local list, err = strict:entries{ start_date = NOW - 86400000 * 30, end_date = NOW }
    strict:close()
    assert.is_nil(list)
    assert.is_true(clickup.is_error(err, "decode"))
    assert.are.equal("bad_shape", err.code)
    assert.are.equal("unexpected answer: data[1].task.custom_type: expected a string or an integer, got an object",
                     err.message)
    assert.has_error(function() support.client(server, { strict = "yes" }) end)
  end)

  it("of a call with a callback: its third argument, and client:anomalies() while it runs", function()
    odd_list('[1]')
    local got, seen
    c:entries({ start_date = NOW - 86400000 * 30, end_date = NOW }, function(list, err, anomalies)
      assert.is_nil(err)
      got, seen = anomalies, c:anomalies()
      assert.are.equal(3, #list)
    end)
    assert.are.equal(0, c:wait(5000))
    local want = { more = 0 }
    for i = 1, 3 do want[i] = { path = ODD[i].path, expected = "string or integer", got = "array" } end
    assert.are.same(want, got)
    assert.are.same(want, seen)
    local third = "unset"
    c:current(function(_, _, a) third = a end)
    c:wait(5000)
    assert.is_nil(third)
    assert.are.same({ more = 0 }, c:anomalies())
  end)

  it("of parallel: each call's own, aligned; client:anomalies() has them all", function()
    odd_list('{"k":1}')
    local results, errors, anomalies = c:parallel{
      { "entries", { start_date = NOW - 86400000 * 30, end_date = NOW } },
      { "current" },
    }
    assert.are.same({}, errors)
    assert.are.equal(3, #results[1])
    assert.are.same(ODD, anomalies[1])
    assert.is_nil(anomalies[2])
    assert.are.same(ODD, c:anomalies())
    local done
    odd_list('{"k":2}')
    c:parallel({ { "current" }, { "entries", { start_date = NOW - 86400000 * 30, end_date = NOW } } },
               function(_, _, a) done = a end)
    c:wait(5000)
    assert.is_nil(done[1])
    assert.are.same(ODD, done[2])
  end)

  it("of a fetch made of several requests: those of every window", function()
    -- 60 days in windows of 30: two requests, both answered with an odd list
    local body = '{"data":[{"id":"1","start":"5","end":"x"}]}'
    local range = { start_date = NOW - 86400000 * 60, end_date = NOW, window_days = 30 }
    server:inject{ method = "GET", path = list_path, body = body, times = 2 }
    local list, err = c:entries(range)
    assert.are.equal(2, #server:requests())
    assert.is_nil(err)
    assert.are.equal(1, #list)                       -- merged by id
    assert.are.same({ { path = "data[1].end", expected = "integer", got = "string" },
                      { path = "data[1].end", expected = "integer", got = "string" }, more = 0 }, c:anomalies())
    -- and with a callback
    server:inject{ method = "GET", path = list_path, body = body, times = 2 }
    local got
    c:entries(range, function(_, _, a) got = a end)
    c:wait(5000)
    assert.are.equal(2, #got)
    assert.are.same(got, c:anomalies())
  end)

  it("of a call whose answer ClickUp sent with a body of its real forms: none", function()
    server:inject{ method = "GET", path = list_path, times = 1,
                   body = '{"data":[{"id":"1","start":"5","task":"0","billable":"true","tags":["a"],'
                       .. '"task_location":{"list_id":null},"user":{"id":"7","profilePicture":"https://x/y.jpg"}}]}' }
    local list = assert(c:entries{ start_date = NOW - 1000, end_date = NOW })
    assert.are.same({ more = 0 }, c:anomalies())
    assert.is_nil(list[1].task)
    assert.is_true(list[1].billable)
    assert.are.same({ { name = "a" } }, list[1].tags)
  end)
end)
