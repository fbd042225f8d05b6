-- The mapping of real answers (quoted in the notes, section 4 and 5) to
-- typed Lua tables, through core.decode: the same code path as a request,
-- without the network. Then every endpoint's answers of the local server,
-- through a client: typed, with no anomaly. make test runs this file once
-- more against the realistic server (CT_FAKE_REALISTIC=1), whose answers
-- carry the oddities of real ones: still typed, still no anomaly.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local support = require "spec.support"

local decode = clickup.core.decode
local fixture, numtype = support.fixture, support.numtype

local function assert_entry_types(e)
  assert.are.equal(clickup.Entry, getmetatable(e))
  assert.is_string(e.id)
  for _, k in ipairs{ "start", "end", "duration", "at" } do
    if e[k] ~= nil then assert.are.equal("integer", numtype(e[k]), k) end
  end
  if e.user then assert.are.equal("integer", numtype(e.user.id)) end
  if e.task then assert.is_string(e.task.id) end
end

-- no cjson.null (a light userdata) anywhere in a result
local function assert_no_null(t, seen)
  seen = seen or {}
  if seen[t] then return end
  seen[t] = true
  for k, v in pairs(t) do
    assert.are_not.equal("userdata", type(v), "null at " .. tostring(k))
    if type(v) == "table" then assert_no_null(v, seen) end
  end
end

describe("mapping real answers", function()
  it("GET list: strings become integers, ids stay strings", function()
    local list = assert(decode("entries", fixture("list")))
    assert.are.equal(1, #list)
    local e = list[1]
    assert_entry_types(e)
    assert.are.equal("2859994400527229584", e.id)
    assert.are.equal("18011725", e.wid)
    assert.are.equal(1646265089931, e.start)
    assert.are.equal(1646265104129, e["end"])
    assert.are.equal(14198, e.duration)
    assert.are.equal(1646265104129, e.at)
    assert.are.equal(30025034, e.user.id)
    assert.are.equal(0, e.task.status.orderindex)
    assert.are.equal("integer", numtype(e.task.status.orderindex))
    assert.is_nil(e.task.custom_type)                  -- null becomes absent
    assert.is_nil(e.user.profilePicture)
    assert.are.same({ list_id = "126232272", folder_id = "72109417", space_id = "30029929" },
                    e.task_location)
    assert.are.equal("https://app.clickup.com/t/1d20c7t", e.task_url)   -- unknown fields kept
    assert.is_false(e.billable)
    assert.is_false(e:is_running())
    assert.are.equal(14198, e:elapsed())
    assert_no_null(list)
  end)

  it("GET single: an object envelope", function()
    local e = assert(decode("entry", fixture("single")))
    assert_entry_types(e)
    assert.are.equal("456", e.id)
    assert.are.equal(600000, e.duration)
    assert.is_true(e.billable)
    assert.is_false(e.is_locked)
    assert.are.equal("999904299397", e.task_location.list_id)
  end)

  it("GET single: a one-element array envelope too (ClickUp's own example)", function()
    local body = fixture("single"):gsub('^{"data":', '{"data":['):gsub("}$", "]}")
    local e = assert(decode("entry", body))
    assert.are.equal("456", e.id)
  end)

  it("POST create: numbers and a string end", function()
    local e = assert(decode("create", fixture("create")))
    assert_entry_types(e)
    assert.are.equal("4927021492799897428", e.id)
    assert.are.equal(1737925200000, e.start)
    assert.are.equal(1737927000000, e["end"])
    assert.are.equal(1800000, e.duration)
    assert.are.equal(1769469505508, e.at)
    assert.are.equal("Europe/Madrid", e.user.timezone)
    assert.are.same({}, e.task_location)
    assert.are.equal("p90159451300_g9uxhsQM", e.task.status.id)
  end)

  it("POST start: a running timer, no end, negative duration", function()
    local e = assert(decode("start", fixture("start")))
    assert_entry_types(e)
    assert.is_nil(e["end"])
    assert.are.equal(-417, e.duration)
    assert.is_true(e:is_running())
    assert.are.equal(1000, e:elapsed(1769469504443))
  end)

  it("POST stop: string start, number end", function()
    local e = assert(decode("stop", fixture("stop")))
    assert_entry_types(e)
    assert.are.equal(1769469504061, e.start)
    assert.are.equal(1769469504820, e["end"])
    assert.are.equal(759, e.duration)
    assert.are.equal("api_automatic", e.source)
    assert.is_nil(e.approval_id)
    assert.is_nil(e.task.custom_type)
    assert.is_false(e:is_running())
  end)

  it("POST stop with no timer running: false", function()
    assert.is_false(decode("stop", '{"data":null}'))
    assert.is_false(decode("stop", '{}'))
  end)

  it("GET current: an entry, or false for data:null", function()
    local e = assert(decode("current", fixture("current")))
    assert_entry_types(e)
    assert.are.equal(1595293042560, e.start)
    assert.are.equal(-25655, e.duration)
    assert.is_true(e:is_running())
    assert.is_false(decode("current", '{"data":null}'))
  end)

  it("DELETE: an array of the deleted entries, or one object wrapped", function()
    local list = assert(decode("delete", fixture("delete")))
    assert.are.equal(1, #list)
    assert_entry_types(list[1])
    assert.are.equal("4927022626604154715", list[1].id)
    assert.are.equal("901520000146", list[1].task_location.list_id)
    local one = assert(decode("delete", '{"data":{"id":"7","start":"1","end":"2","duration":"1"}}'))
    assert.are.equal("7", one[1].id)
    assert.are.equal(1, #one)
  end)

  it("PUT update: the entry when the answer carries one, else true", function()
    assert.is_true(decode("update", "{}"))
    assert.is_true(decode("update", '{"data":[]}'))
    assert.are.equal("456", decode("update", fixture("single")).id)
    local body = fixture("single"):gsub('^{"data":', '{"data":['):gsub("}$", "]}")
    assert.are.equal("456", decode("update", body).id)
  end)

  it("GET tags: creator is an integer", function()
    local tags = assert(decode("tags", fixture("tags")))
    assert.are.same({ { name = "name of tag", creator = 1, tag_bg = "#BF55EC", tag_fg = "#FFFFFF" } }, tags)
    assert.are.equal("integer", numtype(tags[1].creator))
  end)

  it("legacy GET task time: typed intervals, nulls absent", function()
    local t = assert(decode("task_time", fixture("task_time")))
    assert.are.equal(1, #t)
    assert.are.equal(1000000, t[1].time)
    local iv = t[1].intervals[1]
    assert.are.equal("318", iv.id)
    assert.are.equal(1000000, iv.time)
    assert.are.equal("integer", numtype(iv.time))
    assert.are.equal(1569983937761, iv.date_added)
    assert.is_nil(iv.start)
    assert.is_nil(iv["end"])
    assert_no_null(t)
  end)

  it("legacy POST task time: {id = string}", function()
    assert.are.same({ id = "123" }, decode("add_task_time", '{"id":"123"}'))
    assert.are.same({ id = "123" }, decode("add_task_time", '{"id":123}'))
  end)

  it("write endpoints answer true for {} and for an empty body", function()
    for _, name in ipairs{ "add_tags", "remove_tags", "rename_tag", "update_task_time", "delete_task_time" } do
      assert.is_true(decode(name, "{}"), name)
      assert.is_true(decode(name, ""), name)
    end
  end)

  it("history: integral numbers in arrays become integers, with or without a gap", function()
    local h = assert(decode("history", '{"data":[{"n":[1.0,2.0,3.5]}]}'))
    assert.are.equal("integer", numtype(h[1].n[1]))
    assert.are.equal("integer", numtype(h[1].n[2]))
    assert.are.equal(3.5, h[1].n[3])
  end)

  it("history: the decoded data, nulls dropped and arrays closed up", function()
    local h = assert(decode("history", '{"data":[{"field":"duration","before":"1","after":null,"n":[1,null,2]}]}'))
    assert.are.same({ { field = "duration", before = "1", n = { 1, 2 } } }, h)
    assert.are.equal("integer", numtype(h[1].n[2]))
  end)

  it("an entry needs its own id: not its task's, wherever the keys fall", function()
    for _, body in ipairs{ '{"data":[{"tags":[{"name":"x","creator":1}],"id":"1"}]}',
                           '{"data":[{"id":"1","tags":[{"name":"x","creator":1}]}]}' } do
      assert.are.equal("1", assert(decode("entries", body))[1].id)
    end
    local r, err = decode("entries", '{"data":[{"tags":[{"name":"x"}],"task":{"id":"5"}}]}')
    assert.is_nil(r)
    assert.matches("entry without an id", err.message)
    r, err = decode("entries", '{"data":[{"id":null,"start":"1"}]}')
    assert.is_nil(r)
    assert.matches("entry without an id", err.message)
  end)

  it("times with more than 18 digits are refused, not wrapped", function()
    local r, err = decode("entries", '{"data":[{"id":"1","start":"9999999999999999999"}]}')
    assert.is_nil(r)
    assert.are.equal("bad_shape", err.code)
    assert.are.equal(-417, decode("start", '{"data":{"id":"1","start":"5","duration":"-417"}}').duration)
  end)

  describe("ClickUp's oddities", function()
    it("a task that is not an object (\"0\") is dropped", function()
      local e = decode("entries", '{"data":[{"id":"1","task":"0","start":"5","end":"6","duration":"1"}]}')[1]
      assert.is_nil(e.task)
      assert.are.equal(5, e.start)
    end)

    it("null location ids become absent", function()
      local e = decode("entries", '{"data":[{"id":"1","task_location":{"list_id":null,"space_id":"9"}}]}')[1]
      assert.are.same({ space_id = "9" }, e.task_location)
    end)

    it("numeric ids become strings, numeric user ids integers", function()
      local e = decode("entries", '{"data":[{"id":"1","wid":18011725,"user":{"id":"42"},"task":{"id":77}}]}')[1]
      assert.are.equal("18011725", e.wid)
      assert.are.equal(42, e.user.id)
      assert.are.equal("77", e.task.id)
    end)

    it("numbers in unknown fields become integers when integral", function()
      local e = decode("entry",
                       '{"data":{"id":"1","approval":{"workspace_id":5,"data":{"start_of_week":1.0}},"x":1.5}}')
      assert.are.equal("integer", numtype(e.approval.workspace_id))
      assert.are.equal("integer", numtype(e.approval.data.start_of_week))
      assert.are.equal(1.5, e.x)
    end)
  end)
end)

-- the types every answer keeps, whatever form the server used
local function check_tag(t)
  assert.is_string(t.name)
  for _, k in ipairs{ "tag_bg", "tag_fg" } do assert(t[k] == nil or type(t[k]) == "string", k) end
  if t.creator ~= nil then assert.are.equal("integer", numtype(t.creator)) end
end

local function check_user(u)
  assert.are.equal("integer", numtype(u.id))
  for _, k in ipairs{ "username", "email", "color", "initials", "profilePicture", "timezone" } do
    assert(u[k] == nil or type(u[k]) == "string", k)
  end
end

local function check_entry(e)
  assert_entry_types(e)
  assert_no_null(e)
  assert.is_boolean(e.billable)
  if e.is_locked ~= nil then assert.is_boolean(e.is_locked) end
  for _, k in ipairs{ "wid", "description", "source", "task_url", "approval_id" } do
    assert(e[k] == nil or type(e[k]) == "string", k)
  end
  if e.task then
    local ct = e.task.custom_type
    assert(ct == nil or type(ct) == "string" or numtype(ct) == "integer", "custom_type")
    if e.task.status then assert(e.task.status.color == nil or type(e.task.status.color) == "string") end
  end
  check_user(e.user)
  for _, k in ipairs{ "list_id", "folder_id", "space_id" } do
    assert(e.task_location[k] == nil or type(e.task_location[k]) == "string", k)
  end
  for _, t in ipairs(e.tags) do check_tag(t) end
  for _, t in ipairs(e.task_tags or {}) do check_tag(t) end
  if e.approval then assert.is_table(e.approval) end
end

describe("mapping the local server's answers" .. (fake.realistic_default() and " (realistic)" or ""), function()
  local server, c

  setup(function() server = fake.spawn{ rate_limit = 100000 } end)
  teardown(function() server:stop() end)
  before_each(function()
    server:reset()
    c = support.client(server)
  end)
  after_each(function() c:close() end)

  -- the call's result, after checking that the answer had no anomaly
  local function call(name, ...)
    local r, err = c[name](c, ...)
    assert(r ~= nil, name .. ": " .. tostring(err))
    assert.are.same({ more = 0 }, c:anomalies(), name)
    return r
  end

  it("types every entry of every read, whatever the server sent", function()
    server:seed{ entries = { { tid = server.hidden_task, start = clickup.now_ms() - 3600000, duration = 60000,
                               description = "on a task we cannot see" } } }
    local all = { include_task_tags = true, include_location_names = true, include_approval_details = true,
                  include_approval_history = true }
    local list = call("entries", all)
    assert.is_true(#list >= 4)
    for _, e in ipairs(list) do
      check_entry(e)
      check_entry(call("entry", e.id, all))
    end
    for _, e in ipairs(list) do
      if e.description == "on a task we cannot see" then assert.is_nil(e.task) end
    end
    for _, t in ipairs(call("tags")) do check_tag(t) end
    for _, g in ipairs(call("task_time", "86c7mc19h")) do
      check_user(g.user)
      assert.are.equal("integer", numtype(g.time))
      for _, iv in ipairs(g.intervals) do
        assert.is_string(iv.id)
        assert.are.equal("integer", numtype(iv.time))
      end
    end
    local teams = call("teams")
    assert.are.equal(server.team_id, teams[1].id)
    for _, m in ipairs(teams[1].members) do assert.are.equal("integer", numtype(m.user.id)) end
  end)

  it("types the answers of every write, or takes their empty ones as success", function()
    local now = clickup.now_ms()
    local created = call("create", { start = now - 7200000, duration = 600000, tid = "86c7mc19h",
                                     description = "made", tags = { "billing" } })
    check_entry(created)
    assert.are.equal("made", created.description)
    local started = call("start", { tid = "86c7mc2ab", description = "running" })
    check_entry(started)
    assert.is_true(started:is_running())
    local current = call("current")
    check_entry(current)
    assert.are.equal(started.id, current.id)
    local stopped = call("stop")
    check_entry(stopped)
    assert.are.equal(started.id, stopped.id)
    assert.is_false(stopped:is_running())
    assert.is_false(call("current"))
    local updated = call("update", created.id, { description = "changed", billable = true })
    if updated ~= true then
      check_entry(updated)
      assert.are.equal("changed", updated.description)
    end
    assert.are.equal("changed", call("entry", created.id).description)
    assert.is_true(call("add_tags", created.id, { "meeting" }))
    assert.is_true(call("remove_tags", created.id, { "billing" }))
    assert.is_true(call("rename_tag", "meeting", "sync"))
    local names = {}
    for i, t in ipairs(call("entry", created.id).tags) do names[i] = t.name end
    assert.are.same({ "sync" }, names)
    assert.is_true(call("update", created.id, { tags = { "billing" } }))
    assert.is_table(call("history", created.id))
    local interval = call("add_task_time", "86c7mc3xy", { time = 60000 })
    assert(interval == true or type(interval.id) == "string")
    local iv = call("task_time", "86c7mc3xy")[1].intervals
    assert.is_true(call("update_task_time", "86c7mc3xy", iv[#iv].id, { time = 120000 }))
    assert.is_true(call("delete_task_time", "86c7mc3xy", iv[#iv].id))
    local deleted = call("delete", { created.id, stopped.id })
    assert.are.same({ created.id, stopped.id }, { deleted[1].id, deleted[2].id })
    for _, e in ipairs(deleted) do check_entry(e) end
  end)
end)
