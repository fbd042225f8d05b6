-- The local ClickUp-compatible server (clickup.time.fake), driven with plain
-- LuaSocket over loopback: no library client involved.

local socket = require "socket"
local http = require "socket.http"
local ltn12 = require "ltn12"
local cjson = require "cjson"
local fake = require "clickup.time.fake"

local NOW = 1769469503443 -- frozen server clock for exact values
local DAY = 86400000
local TEAM = "90152245421"

-- One request; returns status, decoded JSON (or nil), headers, raw body.
local function call(server, method, path, opts)
  opts = opts or {}
  local body = opts.body
  if type(body) == "table" then body = cjson.encode(body) end
  local headers = { ["content-length"] = tostring(#(body or "")) }
  if body then headers["content-type"] = "application/json" end
  local auth = opts.auth
  if auth == nil then auth = server.token end
  if auth then headers.authorization = auth end
  for k, v in pairs(opts.headers or {}) do headers[k] = v end
  local chunks = {}
  local _, status, h = http.request{
    url = server.base_url .. path, method = method, headers = headers,
    source = body and ltn12.source.string(body) or nil, sink = ltn12.sink.table(chunks),
  }
  local raw = table.concat(chunks)
  local ok, decoded = pcall(cjson.decode, raw)
  return status, ok and decoded or nil, h or {}, raw
end

local function team(path) return "/team/" .. TEAM .. path end

local function ids_of(list)
  local out = {}
  for i, e in ipairs(list) do out[i] = e.id end
  return out
end

describe("clickup.time.fake", function()
  local server

  setup(function()
    server = fake.spawn{ now = NOW }
  end)

  teardown(function()
    server:stop()
  end)

  before_each(function()
    server:reset()
  end)

  describe("spawn", function()
    it("exposes the connection facts", function()
      assert.equal("number", type(server.port))
      assert.equal("http://127.0.0.1:" .. server.port .. "/api/v2", server.base_url)
      assert.equal(TEAM, server.team_id)
      assert.equal(272627274, server.user_id)
      assert.equal(30025034, server.member_id)
      assert.truthy(server.token:match("^pk_272627274_[%u%d]+$"))
      assert.equal(32, #server.token:match("_([%u%d]+)$"))
      assert.truthy(server.member_token:match("^pk_30025034_[%u%d]+$"))
      assert.is_string(server.oauth_token)
      assert.is_true(#server.tasks >= 3)
      local custom
      for _, t in ipairs(server.tasks) do
        if t.custom_id then custom = t end
        assert.truthy(t.list_id:match("^%d+$"))
      end
      assert.equal("DEV-42", custom.custom_id)
      assert.equal("86c7mc2ab", custom.id)
    end)

    it("stop is idempotent and ends the child", function()
      local s = fake.spawn{}
      local port = s.port
      assert.equal(200, (call(s, "GET", "/team")))
      s:stop()
      s:stop()
      local c = socket.tcp()
      c:settimeout(1)
      assert.is_nil(c:connect("127.0.0.1", port))
      c:close()
    end)
  end)

  describe("auth", function()
    it("accepts a bare personal token, Bearer pk_… and Bearer <oauth>", function()
      assert.equal(200, (call(server, "GET", "/team")))
      assert.equal(200, (call(server, "GET", "/team", { auth = "Bearer " .. server.token })))
      assert.equal(200, (call(server, "GET", "/team", { auth = "Bearer " .. server.oauth_token })))
    end)

    it("rejects a bare OAuth token and unknown tokens with 401 OAUTH_025", function()
      for _, tok in ipairs{ server.oauth_token, "pk_1_ABC", "Bearer nope" } do
        local status, body, h = call(server, "GET", team("/time_entries"), { auth = tok })
        assert.equal(401, status)
        assert.same({ err = "Token invalid", ECODE = "OAUTH_025" }, body)
        assert.is_nil(h["x-ratelimit-limit"])
      end
    end)

    it("answers 400 OAUTH_017 without an Authorization header", function()
      local status, body = call(server, "GET", team("/time_entries"), { auth = false })
      assert.equal(400, status)
      assert.same({ err = "Authorization header required", ECODE = "OAUTH_017" }, body)
    end)

    it("answers 404 SHARD_031 for an unknown workspace, without rate-limit headers", function()
      local status, body, h = call(server, "GET", "/team/99999999/time_entries")
      assert.equal(404, status)
      assert.same({ err = "Workspace not found", ECODE = "SHARD_031" }, body)
      assert.is_nil(h["x-ratelimit-remaining"])
    end)

    it("answers 401 OAUTH_018 for unknown ids in the path, with rate-limit headers", function()
      for _, p in ipairs{ team("/time_entries/4927021000000000000"), "/task/nope/time" } do
        local status, body, h = call(server, "GET", p)
        assert.equal(401, status)
        assert.same({ err = "Oauth token not found", ECODE = "OAUTH_018" }, body)
        assert.equal("100", h["x-ratelimit-limit"])
      end
    end)

    it("answers 400 on a body that is not JSON, and JSON with the right content type", function()
      local status, body, h = call(server, "POST", team("/time_entries"), { body = "{nope" })
      assert.equal(400, status)
      assert.equal("INPUT_002", body.ECODE)
      assert.equal("application/json; charset=utf-8", h["content-type"])
    end)
  end)

  describe("GET time_entries (list)", function()
    it("defaults to the caller's entries of the last 30 days, all fields as strings", function()
      local status, body, _, raw = call(server, "GET", team("/time_entries"))
      assert.equal(200, status)
      local list = body.data
      assert.equal(3, #list)
      for i, e in ipairs(list) do
        assert.truthy(e.id:match("^%d+$"))
        assert.equal(19, #e.id)
        assert.equal(272627274, e.user.id)
        assert.equal(TEAM, e.wid)
        assert.is_string(e.start)
        assert.is_string(e["end"])
        assert.is_string(e.duration)
        assert.is_string(e.at)
        assert.is_string(e.source)
        assert.is_false(e.is_locked)
        assert.equal(cjson.null, e.approval_id)
        assert.is_true(tonumber(e.start) >= NOW - 30 * DAY)
        if i > 1 then assert.is_true(tonumber(list[i - 1].start) <= tonumber(e.start)) end
      end
      -- 19-digit ids are strings in the raw text too
      assert.truthy(raw:match('"id":"%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d"'))
      local e = list[3] -- "Implement login", 2 days 3 hours ago, one hour
      assert.equal("Implement login", e.description)
      assert.equal(tostring(NOW - 2 * DAY - 3 * 3600000), e.start)
      assert.equal(tostring(NOW - 2 * DAY - 2 * 3600000), e["end"])
      assert.equal("3600000", e.duration)
      assert.is_true(e.billable)
      assert.same({ { name = "billing", tag_bg = "#BF55EC", tag_fg = "#FFFFFF", creator = 272627274 } }, e.tags)
      assert.same({ id = "86c7mc19h", name = "Task 1", custom_type = cjson.null,
                    status = { status = "in progress", color = "#1090e0", type = "custom", orderindex = 1 } },
                  e.task)
      assert.same({ list_id = "901520000146", folder_id = "901513462383", space_id = "90159451300" },
                  e.task_location)
      assert.equal("https://app.clickup.com/t/86c7mc19h", e.task_url)
      assert.is_nil(e.task_tags)
      -- the entry without a task has no task key
      assert.is_nil(list[1].task)
      assert.equal("Team meeting", list[1].description)
      assert.equal("DEV-42", list[2].task.custom_id)
    end)

    it("adds location names and task tags on request", function()
      local _, body = call(server, "GET", team("/time_entries?include_location_names=true&include_task_tags=true"))
      local e = body.data[3]
      assert.same({ list_id = "901520000146", folder_id = "901513462383", space_id = "90159451300",
                    list_name = "Sprint 12", folder_name = "Engineering", space_name = "Product" },
                  e.task_location)
      assert.same({ { name = "backend", tag_fg = "#800000", tag_bg = "#2ecd6f", creator = 272627274 } },
                  e.task_tags)
    end)

    it("honours start_date/end_date, is_billable and location filters", function()
      local _, all = call(server, "GET", team("/time_entries?start_date=" .. (NOW - 60 * DAY)))
      assert.equal(4, #all.data)
      local _, old = call(server, "GET", team("/time_entries?start_date=0&end_date=" .. (NOW - 30 * DAY)))
      assert.equal(1, #old.data)
      assert.equal("Old release work", old.data[1].description)
      local _, billable = call(server, "GET", team("/time_entries?is_billable=true"))
      assert.equal(1, #billable.data)
      local _, nonbillable = call(server, "GET", team("/time_entries?is_billable=false"))
      assert.equal(2, #nonbillable.data)
      local _, by_list = call(server, "GET", team("/time_entries?list_id=901520000147"))
      assert.equal(1, #by_list.data)
      assert.equal("86c7mc2ab", by_list.data[1].task.id)
      local _, by_space = call(server, "GET", team("/time_entries?space_id=90159451300"))
      assert.equal(2, #by_space.data)
      local _, by_task = call(server, "GET", team("/time_entries?task_id=86c7mc19h"))
      assert.equal(1, #by_task.data)
      local _, by_custom = call(server, "GET",
        team("/time_entries?custom_task_ids=true&team_id=" .. TEAM .. "&task_id=DEV-42"))
      assert.equal(1, #by_custom.data)
      local status = call(server, "GET", team("/time_entries?custom_task_ids=true&task_id=DEV-42"))
      assert.equal(400, status)
    end)

    it("lets owners and admins name assignees and refuses members with 403 TIMEENTRY_059", function()
      local _, both = call(server, "GET", team("/time_entries?assignee=272627274,30025034"))
      assert.equal(4, #both.data)
      local _, mine = call(server, "GET", team("/time_entries"), { auth = server.member_token })
      assert.equal(1, #mine.data)
      assert.equal(30025034, mine.data[1].user.id)
      local _, self = call(server, "GET", team("/time_entries?assignee=30025034"), { auth = server.member_token })
      assert.equal(1, #self.data)
      local status, body = call(server, "GET", team("/time_entries?assignee=272627274"),
                                { auth = server.member_token })
      assert.equal(403, status)
      assert.same({ err = "You have no access", ECODE = "TIMEENTRY_059" }, body)
    end)

    it("rejects bad parameters with ClickUp's codes", function()
      local cases = {
        { "?start_date=yesterday", 500, "TIMEENTRY_072" },
        { "?end_date=1.5", 500, "TIMEENTRY_072" },
        { "?assignee=abc", 400, "TIMEENTRY_007" },
        { "?list_id=1&folder_id=2", 400, "TIMEENTRY_065" },
        { "?list_id=abc", 400, "TIMEENTRY_062" },
      }
      for _, c in ipairs(cases) do
        local status, body = call(server, "GET", team("/time_entries" .. c[1]))
        assert.equal(c[2], status, c[1])
        assert.equal(c[3], body.ECODE, c[1])
      end
    end)
  end)

  describe("POST time_entries (create)", function()
    it("answers the create form: start number, end string, duration and at numbers", function()
      local status, body, _, raw = call(server, "POST", team("/time_entries"), {
        body = { start = 1737925200000, duration = 1800000, billable = false, tid = "86c7mc19h" } })
      assert.equal(200, status)
      local e = body.data
      assert.equal(19, #e.id)
      assert.equal(1737925200000, e.start)
      assert.equal("1737927000000", e["end"])
      assert.equal(1800000, e.duration)
      assert.equal(NOW, e.at)
      assert.is_nil(e.source)
      assert.is_nil(e.approval_id)
      assert.is_false(e.is_locked)
      assert.equal("Europe/Madrid", e.user.timezone)
      assert.equal("p90159451300_g9uxhsQM", e.task.status.id)
      assert.is_nil(e.task.custom_type)
      assert.truthy(raw:find('"task_location":{}', 1, true))
      assert.truthy(raw:find('"tags":[]', 1, true))
      -- stored with source "api"
      local _, got = call(server, "GET", team("/time_entries/" .. e.id))
      assert.equal("api", got.data.source)
      assert.equal("1737925200000", got.data.start)
    end)

    it("lets end (or stop) win over duration", function()
      local _, a = call(server, "POST", team("/time_entries"),
                        { body = { start = 1000, duration = 5, ["end"] = 3000 } })
      assert.equal("3000", a.data["end"])
      assert.equal(2000, a.data.duration)
      local _, b = call(server, "POST", team("/time_entries"), { body = { start = 1000, stop = 4000 } })
      assert.equal("4000", b.data["end"])
      local status, c = call(server, "POST", team("/time_entries"), { body = { duration = 5 } })
      assert.equal(400, status)
      assert.is_string(c.ECODE)
    end)

    it("accepts custom task ids with team_id and tags as objects", function()
      local _, body = call(server, "POST",
        team("/time_entries?custom_task_ids=true&team_id=" .. TEAM),
        { body = { start = 1000, duration = 1000, tid = "DEV-42",
                   tags = { { name = "billing", tag_bg = "#BF55EC", tag_fg = "#FFFFFF" } } } })
      assert.equal("86c7mc2ab", body.data.task.id)
      assert.equal("billing", body.data.tags[1].name)
    end)
  end)

  describe("timers", function()
    it("answers {\"data\":null} for current when nothing runs", function()
      local status, _, _, raw = call(server, "GET", team("/time_entries/current"))
      assert.equal(200, status)
      assert.equal('{"data":null}', raw)
    end)

    it("starts, reports and stops a timer in the recorded forms", function()
      local status, started, _, raw = call(server, "POST", team("/time_entries/start"),
                                           { body = { tid = "86c7mc19h", billable = false } })
      assert.equal(200, status)
      local s = started.data
      assert.equal(NOW, s.start)
      assert.equal(NOW, s.at)
      assert.equal("number", type(s.duration))
      assert.is_true(s.duration < 0)
      assert.is_nil(s["end"])
      assert.is_nil(s.source)
      assert.is_false(s.is_locked)
      assert.equal("p90159451300_g9uxhsQM", s.task.status.id)
      assert.truthy(raw:find('"task_location":{}', 1, true))

      server:set_clock(NOW + 5000)
      local _, cur = call(server, "GET", team("/time_entries/current"))
      local c = cur.data
      assert.equal(s.id, c.id)
      assert.equal(tostring(NOW), c.start)
      assert.equal(-5000, c.duration)
      assert.equal(tostring(NOW), c.at)
      assert.is_nil(c["end"])
      assert.is_nil(c.source)

      server:set_clock(NOW + 7500)
      local _, stopped, _, sraw = call(server, "POST", team("/time_entries/stop"))
      local t = stopped.data
      assert.equal(s.id, t.id)
      assert.equal(tostring(NOW), t.start)
      assert.equal(NOW + 7500, t["end"])
      assert.equal(7500, t.duration)
      assert.equal(NOW + 7500, t.at)
      assert.equal("api_automatic", t.source)
      assert.equal(cjson.null, t.approval_id)
      assert.equal(cjson.null, t.task.custom_type)
      assert.is_nil(t.task.status.id)
      assert.truthy(sraw:find('"task_location":{}', 1, true))

      local _, none, _, nraw = call(server, "POST", team("/time_entries/stop"))
      assert.equal(cjson.null, none.data)
      assert.equal('{"data":null}', nraw)
    end)

    it("keeps one running timer per user: a new start stops the old one", function()
      local _, first = call(server, "POST", team("/time_entries/start"), { body = { description = "one" } })
      local _, other = call(server, "POST", team("/time_entries/start"),
                            { body = {}, auth = server.member_token })
      server:set_clock(NOW + 1000)
      local _, second = call(server, "POST", team("/time_entries/start"), { body = { tid = "86c7mc3xy" } })
      local st = server:state()
      assert.equal(second.data.id, st.running[server.user_id])
      assert.equal(other.data.id, st.running[server.member_id])
      local old
      for _, e in ipairs(st.entries) do
        if e.id == first.data.id then old = e end
      end
      assert.equal(NOW + 1000, old["end"])
      local _, got = call(server, "GET", team("/time_entries/" .. first.data.id))
      assert.equal("1000", got.data.duration)
      assert.equal("api_automatic", got.data.source)
    end)

    it("accepts the old start/{timer_id} form", function()
      local status, body = call(server, "POST", team("/time_entries/start/123"), { body = {} })
      assert.equal(200, status)
      assert.equal(NOW, body.data.start)
      assert.is_nil(body.data.task)
    end)

    it("shows another user's timer to an admin and answers 403 to a member", function()
      call(server, "POST", team("/time_entries/start"), { body = {}, auth = server.member_token })
      local _, cur = call(server, "GET", team("/time_entries/current?assignee=30025034"))
      assert.equal(30025034, cur.data.user.id)
      local status, body = call(server, "GET", team("/time_entries/current?assignee=272627274"),
                                { auth = server.member_token })
      assert.equal(403, status)
      assert.equal("TIMEENTRY_059", body.ECODE)
    end)
  end)

  describe("single entry, update, history, delete", function()
    local id
    before_each(function()
      id = server:seed{ entries = { { tid = "86c7mc19h", start = NOW - 7200000, duration = 3600000,
                                      description = "seeded", tags = { "billing" } } } }[1]
    end)

    it("gets one entry as an object in the string form", function()
      local status, body = call(server, "GET", team("/time_entries/" .. id))
      assert.equal(200, status)
      assert.equal(id, body.data.id)
      assert.equal(tostring(NOW - 7200000), body.data.start)
      assert.equal(tostring(NOW - 3600000), body.data["end"])
      assert.equal("3600000", body.data.duration)
      assert.equal("https://app.clickup.com/t/86c7mc19h", body.data.task_url)
    end)

    it("updates fields, answers per update_response and records history", function()
      local status, body = call(server, "PUT", team("/time_entries/" .. id),
                                { body = { description = "changed", billable = true } })
      assert.equal(200, status)
      assert.equal(1, #body.data)
      assert.equal("changed", body.data[1].description)
      assert.is_true(body.data[1].billable)

      server:configure{ update_response = "object" }
      local _, obj = call(server, "PUT", team("/time_entries/" .. id),
                          { body = { start = NOW - 1000, ["end"] = NOW } })
      assert.equal(tostring(NOW - 1000), obj.data.start)
      assert.equal("1000", obj.data.duration)

      server:configure{ update_response = "empty" }
      local _, _, _, raw = call(server, "PUT", team("/time_entries/" .. id),
                                { body = { billable = false, tags = { { name = "meeting" } }, tag_action = "add" } })
      assert.equal("{}", raw)

      local _, got = call(server, "GET", team("/time_entries/" .. id))
      assert.same({ "billing" }, { got.data.tags[1].name, got.data.tags[2] and got.data.tags[2].name })
      assert.is_false(got.data.billable)                   -- the PUT ignores tags, takes the rest

      -- tags only: ClickUp's PUT answers 400 TIMEENTRY_060 and changes nothing
      local st, nope = call(server, "PUT", team("/time_entries/" .. id),
                            { body = { tags = { "billing" }, tag_action = "remove" } })
      assert.equal(400, st)
      assert.same({ err = "At least one param is required", ECODE = "TIMEENTRY_060" }, nope)
      call(server, "POST", team("/time_entries/tags"), { body = { time_entry_ids = { id },
                                                                  tags = { { name = "meeting" } } } })
      call(server, "DELETE", team("/time_entries/tags"), { body = { time_entry_ids = { id }, tags = { "billing" } } })
      call(server, "PUT", team("/time_entries/" .. id), { body = { duration = 60000 } })
      _, got = call(server, "GET", team("/time_entries/" .. id))
      assert.same({ "meeting" }, { got.data.tags[1].name })
      assert.equal("60000", got.data.duration)

      local _, hist = call(server, "GET", team("/time_entries/" .. id .. "/history"))
      local fields = {}
      for _, h in ipairs(hist.data) do
        fields[#fields + 1] = h.field
        assert.is_string(h.id)
        assert.is_string(h.date)
        assert.equal(272627274, h.user.id)
      end
      assert.same({ "description", "billable", "start", "end", "billable", "tags", "tags", "end" }, fields)
      assert.equal("seeded", hist.data[1].before)
      assert.equal("changed", hist.data[1].after)
    end)

    it("refuses start without end, and empty updates", function()
      local status = call(server, "PUT", team("/time_entries/" .. id), { body = { start = NOW } })
      assert.equal(400, status)
      local status2, body = call(server, "PUT", team("/time_entries/" .. id), { body = {} })
      assert.equal(400, status2)
      assert.equal("TIMEENTRY_060", body.ECODE)
    end)

    it("deletes comma-separated ids and answers an array in the string form", function()
      local other = server:seed{ entries = { { start = NOW - 1000, duration = 500 } } }[1]
      local status, body = call(server, "DELETE", team("/time_entries/" .. id .. "," .. other))
      assert.equal(200, status)
      assert.same({ id, other }, ids_of(body.data))
      assert.equal("3600000", body.data[1].duration)
      assert.equal("api", body.data[2].source)
      assert.equal(cjson.null, body.data[1].approval_id)
      assert.equal(401, (call(server, "GET", team("/time_entries/" .. id))))
    end)

    it("hides another user's entry from a member", function()
      local status, body = call(server, "GET", team("/time_entries/" .. id), { auth = server.member_token })
      assert.equal(403, status)
      assert.equal("TIMEENTRY_059", body.ECODE)
    end)
  end)

  describe("labels", function()
    it("lists, adds, removes and renames time-entry labels", function()
      local _, tags = call(server, "GET", team("/time_entries/tags"))
      assert.same({ name = "billing", tag_bg = "#BF55EC", tag_fg = "#FFFFFF", creator = 272627274 },
                  tags.data[1])
      assert.equal(3, #tags.data)
      local id = server:seed{ entries = { { start = NOW - 1000, duration = 1000 } } }[1]

      local _, _, _, raw = call(server, "POST", team("/time_entries/tags"), { body = {
        time_entry_ids = { id }, tags = { { name = "urgent", tag_bg = "#ff0000", tag_fg = "#ffffff" } } } })
      assert.equal("{}", raw)
      local _, got = call(server, "GET", team("/time_entries/" .. id))
      assert.same({ name = "urgent", tag_bg = "#ff0000", tag_fg = "#ffffff", creator = 272627274 },
                  got.data.tags[1])

      _, _, _, raw = call(server, "PUT", team("/time_entries/tags"), { body = {
        name = "urgent", new_name = "asap", tag_bg = "#000000", tag_fg = "#111111" } })
      assert.equal("{}", raw)
      _, got = call(server, "GET", team("/time_entries/" .. id))
      assert.equal("asap", got.data.tags[1].name)
      assert.equal("#000000", got.data.tags[1].tag_bg)

      -- DELETE with a JSON body, tags as plain strings
      _, _, _, raw = call(server, "DELETE", team("/time_entries/tags"),
                          { body = { time_entry_ids = { id }, tags = { "asap" } } })
      assert.equal("{}", raw)
      _, got = call(server, "GET", team("/time_entries/" .. id))
      assert.equal(0, #got.data.tags)
    end)
  end)

  describe("legacy task time", function()
    it("groups intervals per user with string fields", function()
      local status, body = call(server, "GET", "/task/86c7mc19h/time", { auth = server.member_token })
      assert.equal(200, status)
      assert.equal(2, #body.data)
      local g = body.data[1]
      assert.equal(272627274, g.user.id)
      assert.equal(3600000, g.time)
      local iv = g.intervals[1]
      assert.equal(19, #iv.id)
      assert.equal(tostring(NOW - 2 * DAY - 3 * 3600000), iv.start)
      assert.equal("3600000", iv.time)
      assert.is_string(iv["end"])
      assert.is_string(iv.date_added)
    end)

    it("tracks, edits and deletes intervals", function()
      local _, created = call(server, "POST", "/task/86c7mc3xy/time",
                              { body = { start = 1000, ["end"] = 61000, time = 60000 } })
      assert.equal(19, #created.id)
      local _, _, _, raw = call(server, "PUT", "/task/86c7mc3xy/time/" .. created.id,
                                { body = { start = 2000, ["end"] = 5000, time = 3000 } })
      assert.equal("{}", raw)
      local _, got = call(server, "GET", team("/time_entries/" .. created.id))
      assert.equal("3000", got.data.duration)
      _, _, _, raw = call(server, "DELETE", "/task/86c7mc3xy/time/" .. created.id)
      assert.equal("{}", raw)
      assert.equal(401, (call(server, "GET", team("/time_entries/" .. created.id))))
      local _, custom = call(server, "GET", "/task/DEV-42/time?custom_task_ids=true&team_id=" .. TEAM)
      assert.equal(2, #custom.data)
    end)
  end)

  describe("GET /team", function()
    it("lists the workspace with member roles", function()
      local _, body = call(server, "GET", "/team")
      local t = body.teams[1]
      assert.equal(TEAM, t.id)
      assert.equal(cjson.null, t.avatar)
      local roles = {}
      for _, m in ipairs(t.members) do roles[m.user.id] = m.user.role end
      assert.same({ [272627274] = 1, [30025034] = 3, [81942731] = 2 }, roles)
    end)
  end)

  describe("rate limit", function()
    it("sends x-ratelimit-* on every answer and 429 APP_002 past the limit", function()
      server:configure{ rate_limit = 3 }
      local resets = {}
      for i = 1, 3 do
        local status, _, h = call(server, "GET", i == 2 and team("/time_entries/1") or "/team")
        assert.equal(i == 2 and 401 or 200, status)
        assert.equal("3", h["x-ratelimit-limit"])
        assert.equal(tostring(3 - i), h["x-ratelimit-remaining"])
        resets[i] = h["x-ratelimit-reset"]
      end
      assert.equal(resets[1], resets[3])
      local reset = tonumber(resets[1])
      assert.is_true(reset >= os.time() + 58 and reset <= os.time() + 62)
      server:requests() -- control routes do not count
      local status, body, h = call(server, "GET", "/team")
      assert.equal(429, status)
      assert.same({ err = "Rate limit reached", ECODE = "APP_002" }, body)
      assert.equal("0", h["x-ratelimit-remaining"])
      assert.equal(resets[1], h["x-ratelimit-reset"])
      -- another token has its own window
      assert.equal(200, (call(server, "GET", "/team", { auth = server.member_token })))
    end)

    it("opens a new window once the old one expired", function()
      server:configure{ rate_limit = 1, rate_window = 1 }
      local _, _, h = call(server, "GET", "/team")
      assert.equal(429, (call(server, "GET", "/team")))
      local reset = tonumber(h["x-ratelimit-reset"])
      socket.sleep(math.max(0, reset - socket.gettime()) + 0.05)
      local status, _, h2 = call(server, "GET", "/team")
      assert.equal(200, status)
      assert.equal("0", h2["x-ratelimit-remaining"])
    end)
  end)

  describe("control", function()
    it("logs API requests (not control ones) with parsed parts", function()
      call(server, "POST", team("/time_entries?custom_task_ids=true&team_id=" .. TEAM),
           { body = { start = 1000, duration = 5, tid = "DEV-42" } })
      local log = server:requests()
      assert.equal(1, #log)
      local r = server:last_request()
      assert.equal("POST", r.method)
      assert.equal("/api/v2/team/" .. TEAM .. "/time_entries", r.path)
      assert.same({ custom_task_ids = "true", team_id = TEAM }, r.query)
      assert.equal("custom_task_ids=true&team_id=" .. TEAM, r.raw_query)
      assert.equal(server.token, r.headers.authorization)
      assert.equal("application/json", r.headers["content-type"])
      assert.same({ start = 1000, duration = 5, tid = "DEV-42" }, r.json)
      assert.is_string(r.body)
      server:clear_log()
      assert.same({}, server:requests())
      assert.is_nil(server:last_request())
    end)

    it("seeds entries, including running timers, and snapshots state", function()
      local ids = server:seed{ entries = {
        { user = server.member_id, tid = "DEV-42", start = NOW - 5000, duration = 1000, billable = true,
          tags = { "meeting", { name = "new", tag_bg = "#123456", tag_fg = "#654321" } } },
        { user = server.member_id, start = NOW - 2000 },
      } }
      assert.equal(2, #ids)
      assert.equal(19, #ids[1])
      local st = server:state()
      assert.equal(ids[2], st.running[server.member_id])
      local e = st.entries[#st.entries - 1]
      assert.equal(ids[1], e.id)
      assert.equal("86c7mc2ab", e.tid)
      assert.equal(NOW - 4000, e["end"])
      assert.same({ "meeting", "new" }, e.tags)
      local _, cur = call(server, "GET", team("/time_entries/current"), { auth = server.member_token })
      assert.equal(ids[2], cur.data.id)
      assert.equal(-2000, cur.data.duration)
      server:reset()
      st = server:state()
      assert.equal(7, #st.entries)
      assert.same({}, st.running)
      assert.equal(NOW, st.now)
    end)

    it("moves the clock and restores it on reset", function()
      server:set_clock(NOW + DAY)
      assert.equal(NOW + DAY, server:state().now)
      server:set_clock(nil)
      local real = server:state().now
      assert.is_true(math.abs(real - socket.gettime() * 1000) < 5000)
      server:reset()
      assert.equal(NOW, server:state().now)
    end)
  end)

  describe("HTTP", function()
    local function raw_request(c, text)
      assert(c:send(text))
      local status = c:receive("*l")
      local headers = {}
      while true do
        local line = c:receive("*l")
        if line == "" then break end
        local k, v = line:match("^([^:]+):%s*(.*)$")
        headers[k:lower()] = v
      end
      local body = c:receive(tonumber(headers["content-length"]))
      return status, headers, body
    end

    local function connect()
      local c = socket.tcp()
      c:settimeout(5)
      assert(c:connect("127.0.0.1", server.port))
      return c
    end

    it("serves several requests on one connection, pipelined too", function()
      local c = connect()
      local get = "GET /api/v2/team HTTP/1.1\r\nHost: x\r\nAuthorization: " .. server.token .. "\r\n\r\n"
      local s1, h1 = raw_request(c, get)
      assert.equal("HTTP/1.1 200 OK", s1)
      assert.equal("keep-alive", h1.connection)
      local s2 = raw_request(c, get)
      assert.equal("HTTP/1.1 200 OK", s2)
      -- two at once
      assert(c:send(get .. get))
      for _ = 1, 2 do
        local line = c:receive("*l")
        assert.equal("HTTP/1.1 200 OK", line)
        local len
        repeat
          line = c:receive("*l")
          len = len or tonumber(line:match("^Content%-Length: (%d+)"))
        until line == ""
        c:receive(len)
      end
      local s3, h3 = raw_request(c, (get:gsub("\r\n\r\n$", "\r\nConnection: close\r\n\r\n")))
      assert.equal("HTTP/1.1 200 OK", s3)
      assert.equal("close", h3.connection)
      local _, err = c:receive(1)
      assert.equal("closed", err)
      c:close()
    end)

    it("serves several connections at once", function()
      local a, b = connect(), connect()
      local get = "GET /api/v2/team HTTP/1.1\r\nHost: x\r\nAuthorization: " .. server.token .. "\r\n\r\n"
      assert(a:send(get:sub(1, 20))) -- a stalls half-way
      local sb = raw_request(b, get)
      assert.equal("HTTP/1.1 200 OK", sb)
      local sa = raw_request(a, get:sub(21))
      assert.equal("HTTP/1.1 200 OK", sa)
      a:close()
      b:close()
    end)

    it("reads chunked bodies and answers Expect: 100-continue", function()
      local c = connect()
      local body = '{"start":1000,"duration":2000}'
      local req = "POST /api/v2/team/" .. TEAM .. "/time_entries HTTP/1.1\r\nHost: x\r\nAuthorization: "
        .. server.token .. "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
        .. string.format("%x\r\n%s\r\n", 10, body:sub(1, 10))
        .. string.format("%x\r\n%s\r\n", #body - 10, body:sub(11)) .. "0\r\n\r\n"
      local status, _, rbody = raw_request(c, req)
      assert.equal("HTTP/1.1 200 OK", status)
      assert.equal("3000", cjson.decode(rbody).data["end"])

      assert(c:send("POST /api/v2/team/" .. TEAM .. "/time_entries HTTP/1.1\r\nHost: x\r\nAuthorization: "
        .. server.token .. "\r\nContent-Length: " .. #body .. "\r\nExpect: 100-continue\r\n\r\n"))
      assert.equal("HTTP/1.1 100 Continue", c:receive("*l"))
      assert.equal("", c:receive("*l"))
      local s2 = raw_request(c, body)
      assert.equal("HTTP/1.1 200 OK", s2)
      c:close()
    end)

    it("survives malformed requests", function()
      for _, junk in ipairs{ "garbage\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                             "GET / HTTP/1.1\r\nno colon\r\n\r\n" } do
        local c = connect()
        local status = raw_request(c, junk)
        assert.equal("HTTP/1.1 400 Bad Request", status)
        c:close()
      end
      local c = connect()
      c:send("GET /api/v2/te") -- half a request, then hang up
      c:close()
      assert.equal(200, (call(server, "GET", "/team")))
    end)
  end)

  describe("fault injection", function()
    local function connect()
      local c = socket.tcp()
      c:settimeout(5)
      assert(c:connect("127.0.0.1", server.port))
      return c
    end

    -- The bytes of one request under /api/v2 with the admin token.
    local function request(method, path, body)
      body = body or ""
      return method .. " /api/v2" .. path .. " HTTP/1.1\r\nHost: x\r\nAuthorization: " .. server.token
        .. "\r\nContent-Type: application/json\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
    end

    -- Read status line and headers; returns status code, headers (lower-case).
    local function read_head(c)
      local line = assert(c:receive("*l"))
      local headers = {}
      while true do
        local h = assert(c:receive("*l"))
        if h == "" then break end
        local k, v = h:match("^([^:]+):%s*(.*)$")
        headers[k:lower()] = v
      end
      return tonumber(line:match("^HTTP/1%.1 (%d+)")), headers
    end

    local function read_response(c)
      local status, headers = read_head(c)
      local body = assert(c:receive(tonumber(headers["content-length"])))
      return status, headers, body
    end

    -- Everything until the peer closes; returns the bytes and the error.
    local function read_to_close(c)
      local parts = {}
      while true do
        local data, err, partial = c:receive(8192)
        parts[#parts + 1] = data or partial
        if err then return table.concat(parts), err end
      end
    end

    local entry = '{"start":1000,"duration":2000,"description":"faulty"}'

    local function faulty_entries()
      local n = 0
      for _, e in ipairs(server:state().entries) do
        if e.description == "faulty" then n = n + 1 end
      end
      return n
    end

    it("process = true: the entry is created, the answer is a 502 page", function()
      server:inject{ method = "POST", path = team("/time_entries"), process = true, status = 502,
                     body = "<html>Bad Gateway</html>", content_type = "text/html" }
      local status, _, h, raw = call(server, "POST", team("/time_entries"), { body = entry })
      assert.equal(502, status)
      assert.equal("<html>Bad Gateway</html>", raw)
      assert.equal("text/html", h["content-type"])
      assert.equal(1, faulty_entries())
      local r = server:last_request()
      assert.is_true(r.injected)
      assert.is_true(r.processed)
      -- without process the canned answer means nothing happened
      server:clear_injections()
      server:inject{ method = "POST", status = 502, times = 1 }
      assert.equal(502, (call(server, "POST", team("/time_entries"), { body = entry })))
      assert.equal(1, faulty_entries())
      assert.is_false(server:last_request().processed)
      assert.equal(200, (call(server, "POST", team("/time_entries"), { body = entry })))
      assert.equal(2, faulty_entries())
      r = server:last_request()
      assert.is_nil(r.injected)
      assert.is_true(r.processed)
    end)

    it("drop = before: no effect, the connection closes without a byte", function()
      server:inject{ method = "POST", path = team("/time_entries"), drop = "before" }
      local c = connect()
      assert(c:send(request("POST", team("/time_entries"), entry)))
      local data, err = read_to_close(c)
      c:close()
      assert.equal("", data)
      assert.equal("closed", err)
      assert.equal(0, faulty_entries())
      local log = server:requests()
      assert.equal(1, #log)
      assert.is_true(log[1].injected)
      assert.is_false(log[1].processed)
    end)

    it("drop = after: processed, then closed without a byte; rst resets", function()
      server:inject{ method = "POST", path = team("/time_entries"), drop = "after", times = 1 }
      server:inject{ method = "POST", path = team("/time_entries"), drop = "after", rst = true, times = 1 }
      for i = 1, 2 do
        local c = connect()
        assert(c:send(request("POST", team("/time_entries"), entry)))
        local data, err = read_to_close(c)
        assert.equal("", data)
        assert.equal("closed", err) -- LuaSocket reports ECONNRESET as "closed" too
        -- after a FIN the socket still sends (half-closed); after an RST it cannot
        local sent = c:send("x")
        c:close()
        if i == 1 then assert.equal(1, sent) else assert.is_nil(sent) end
        assert.equal(i, faulty_entries())
      end
      local log = server:requests()
      assert.equal(2, #log)
      assert.is_true(log[2].injected)
      assert.is_true(log[2].processed)
      assert.same({}, server:injections())
    end)

    it("delay: the state changes at once, other connections are answered meanwhile", function()
      server:inject{ method = "POST", path = team("/time_entries/start"), delay = 0.5 }
      local a, b = connect(), connect()
      local t0 = socket.gettime()
      assert(a:send(request("POST", team("/time_entries/start"), '{"description":"slow"}')))
      socket.sleep(0.05)
      -- the timer already runs, for the API and for control routes
      assert(b:send(request("GET", team("/time_entries/current"))))
      local sb, _, bb = read_response(b)
      local tb = socket.gettime()
      assert.equal(200, sb)
      assert.equal("slow", cjson.decode(bb).data.description)
      assert.is_string(server:state().running[server.user_id])
      local sa, _, ba = read_response(a)
      local ta = socket.gettime()
      assert.equal(200, sa)
      assert.equal("slow", cjson.decode(ba).data.description)
      assert.is_true(tb < ta)
      assert.is_true(ta - t0 >= 0.25)
      a:close()
      b:close()
    end)

    it("truncate: fewer body bytes than Content-Length, then EOF", function()
      server:inject{ method = "GET", path = "/team", truncate = 10 }
      local c = connect()
      assert(c:send(request("GET", "/team")))
      local status, headers = read_head(c)
      assert.equal(200, status)
      local length = tonumber(headers["content-length"])
      assert.is_true(length > 10)
      local data, err, partial = c:receive(length)
      c:close()
      assert.is_nil(data)
      assert.equal("closed", err)
      assert.equal(10, #partial)
      assert.equal('{"teams":[', partial)
    end)

    it("drip: the full answer, in several chunks over time", function()
      local _, _, _, real = call(server, "GET", "/team")
      local rate = math.floor((#real + 200) / 0.4)
      server:inject{ method = "GET", path = "/team", drip = rate }
      local c = connect()
      c:settimeout(0.02)
      local t0 = socket.gettime()
      assert(c:send(request("GET", "/team")))
      local got, chunks = "", 0
      while socket.gettime() - t0 < 5 do
        local data, err, partial = c:receive(65536)
        local chunk = data or partial
        if #chunk > 0 then chunks = chunks + 1; got = got .. chunk end
        local head_end = got:find("\r\n\r\n", 1, true)
        local length = tonumber(got:match("Content%-Length: (%d+)"))
        if head_end and length and #got >= head_end + 3 + length then break end
        if err == "closed" then break end
      end
      local elapsed = socket.gettime() - t0
      c:close()
      assert.equal("HTTP/1.1 200 OK", got:match("^[^\r]*"))
      assert.equal(real, got:sub(got:find("\r\n\r\n", 1, true) + 4))
      assert.is_true(chunks >= 3, "chunks: " .. chunks)
      assert.is_true(elapsed >= 0.5 * #got / rate, "elapsed: " .. elapsed)
    end)

    it("garbage: same length and content type, other bytes", function()
      local _, _, h, real = call(server, "GET", "/team")
      server:inject{ method = "GET", path = "/team", garbage = true, times = 1 }
      server:inject{ method = "GET", path = team("/time_entries/current"), body = "", garbage = true,
                     content_type = "application/octet-stream", times = 1 }
      local status, _, gh, junk = call(server, "GET", "/team")
      assert.equal(200, status)
      assert.equal(h["content-type"], gh["content-type"])
      assert.equal(#real, #junk)
      assert.not_equal(real, junk)
      assert.truthy(junk:find("\0", 1, true))
      assert.is_false(pcall(cjson.decode, junk))
      local _, _, _, junk2 = call(server, "GET", team("/time_entries/current"))
      assert.equal(256, #junk2)
      assert.equal(junk:sub(1, 64), junk2:sub(1, 64)) -- deterministic
      assert.is_true(server:last_request().processed == false)
    end)

    it("429 with reset or reset_in: APP_002 and exact x-ratelimit-* headers, not processed", function()
      server:inject{ method = "POST", path = team("/time_entries"), status = 429, reset = 1769470000, times = 1 }
      local status, body, h = call(server, "POST", team("/time_entries"), { body = entry })
      assert.equal(429, status)
      assert.same({ err = "Rate limit reached", ECODE = "APP_002" }, body)
      assert.equal("100", h["x-ratelimit-limit"])
      assert.equal("0", h["x-ratelimit-remaining"])
      assert.equal("1769470000", h["x-ratelimit-reset"])
      assert.equal(0, faulty_entries())
      assert.is_false(server:last_request().processed)

      server:configure{ rate_limit = 7 }
      server:inject{ method = "GET", status = 429, reset_in = 30, times = 1 }
      -- socket.gettime, not os.time: time() reads a coarse clock that may lag a second boundary
      local before = socket.gettime()
      local s2, b2, h2 = call(server, "GET", "/team")
      local after = socket.gettime()
      assert.equal(429, s2)
      assert.equal("APP_002", b2.ECODE)
      assert.equal("7", h2["x-ratelimit-limit"])
      local reset = tonumber(h2["x-ratelimit-reset"])
      assert.is_true(reset >= math.floor(before) + 30 and reset <= math.ceil(after) + 30)
    end)

    it("times = n counts down, then the API answers again", function()
      server:inject{ method = "GET", path = "/team", status = 503, times = 2 }
      assert.equal(2, server:injections()[1].times)
      assert.equal(503, (call(server, "GET", "/team")))
      assert.equal(1, server:injections()[1].times)
      assert.equal(503, (call(server, "GET", "/team")))
      assert.same({}, server:injections())
      local status, body = call(server, "GET", "/team")
      assert.equal(200, status)
      assert.equal(TEAM, body.teams[1].id)
      server:inject{ status = 500 }
      assert.equal(1, #server:injections())
      server:reset()
      assert.same({}, server:injections())
    end)

    it("path_prefix matches the path and anything below it; the first match wins", function()
      server:inject{ path_prefix = team("/time_entries"), method = "GET", status = 503 }
      server:inject{ path_prefix = team("/"), status = 504 }
      assert.equal(503, (call(server, "GET", team("/time_entries"))))
      assert.equal(503, (call(server, "GET", team("/time_entries/current"))))
      assert.equal(504, (call(server, "POST", team("/time_entries/stop"))))
      assert.equal(504, (call(server, "GET", team("/time_entries_other"))))
      assert.equal(200, (call(server, "GET", "/team")))
    end)

    it("headers merge into the real answer, replacing any spelling", function()
      server:inject{ path = "/team", headers = { ["X-RateLimit-Remaining"] = "abc" } }
      local status, body, h = call(server, "GET", "/team")
      assert.equal(200, status)
      assert.equal(TEAM, body.teams[1].id)
      assert.equal("abc", h["x-ratelimit-remaining"])
      assert.equal("100", h["x-ratelimit-limit"])
      local r = server:last_request()
      assert.is_true(r.injected)
      assert.is_true(r.processed)
    end)

    it("refuses unknown options and contradictions", function()
      for _, bad in ipairs{ { drop = "middle" }, { pathprefix = "/team" }, { drop = "before", process = true },
                            { drop = "after", status = 500 }, { delay = -1 }, { drip = 0 },
                            { times = 0 }, { path = "/team", path_prefix = "/team" } } do
        assert.has_error(function() server:inject(bad) end)
      end
      assert.same({}, server:injections())
    end)
  end)

  describe("realistic mode", function()
    local real

    -- a realistic server at this rate, with an entry on a task the caller cannot see
    local function spawn(rate)
      if real then real:stop() end
      real = fake.spawn{ now = NOW, realistic = true, oddity_rate = rate }
      real:seed{ entries = { { tid = real.hidden_task, start = NOW - 60000, duration = 1000,
                               description = "private" } } }
      return real
    end
    teardown(function() if real then real:stop() end end)

    local function by_description(list)
      local out = {}
      for _, e in ipairs(list) do out[e.description] = e end
      return out
    end

    it("sends every oddity of real answers at rate 1, where ClickUp sends it", function()
      spawn(1)
      assert.is_true(real.realistic)
      local status, body = call(real, "GET", team("/time_entries?include_approval_details=true"))
      assert.equal(200, status)
      local e = by_description(body.data)
      local login, meeting, private = e["Implement login"], e["Team meeting"], e["private"]
      assert.is_true(login.task.custom_type == 1 or login.task.custom_type == "milestone")
      assert.equal(cjson.null, login.task.status.color)
      local nulls = 0
      for _, k in ipairs{ "list_id", "folder_id", "space_id" } do
        if login.task_location[k] == cjson.null then nulls = nulls + 1 end
      end
      assert.equal(1, nulls)
      assert.matches("^https://attachments%.clickup%.com/profilePictures/272627274_", login.user.profilePicture)
      assert.equal(cjson.null, login.user.color)
      assert.equal("https://app.clickup.com/t/null", meeting.task_url)   -- no task
      assert.equal("0", private.task)                                   -- a task the caller cannot see
      assert.is_string(login.approval_id)
      assert.equal(90152245421, login.approval.workspace_id)
      assert.is_nil(login.approval.history)
      local _, hist = call(real, "GET", team("/time_entries/" .. login.id .. "?include_approval_history=true"))
      assert.equal("pending", hist.data.approval.history[1].after)
      -- an empty 200 where the spec documents no body; DELETE keeps its recorded array
      local st, _, _, raw = call(real, "PUT", team("/time_entries/" .. login.id), { body = { billable = false } })
      assert.equal(200, st)
      assert.equal("", raw)
      st, _, _, raw = call(real, "POST", team("/time_entries/tags"),
                           { body = { time_entry_ids = { login.id }, tags = { { name = "meeting" } } } })
      assert.equal(200, st)
      assert.equal("", raw)
      local _, deleted = call(real, "DELETE", team("/time_entries/" .. login.id))
      assert.equal(login.id, deleted.data[1].id)
      -- errors are never made odd
      st, body = call(real, "PUT", team("/time_entries/" .. meeting.id), { body = { tags = { "x" } } })
      assert.equal(400, st)
      assert.equal("TIMEENTRY_060", body.ECODE)
    end)

    it("at rate 0 sends only what ClickUp always sends so: task \"0\", approval when asked", function()
      spawn(0)
      local _, body = call(real, "GET", team("/time_entries?include_approval_history=true"))
      local e = by_description(body.data)
      assert.equal("0", e["private"].task)
      assert.equal(cjson.null, e["Implement login"].task.custom_type)
      assert.equal(cjson.null, e["Implement login"].user.profilePicture)
      assert.is_nil(e["Team meeting"].task_url)
      assert.is_table(e["Implement login"].approval.history)
      local _, _, _, raw = call(real, "PUT", team("/time_entries/" .. e["Implement login"].id),
                                { body = { billable = true } })
      assert.is_not.equal("", raw)
      -- the default mode: a hidden task is no task at all
      local sid = server:seed{ entries = { { tid = real.hidden_task, start = NOW - 1000, duration = 10 } } }[1]
      local _, one = call(server, "GET", team("/time_entries/" .. sid))
      assert.is_nil(one.data.task)
      assert.same({}, one.data.task_location)
    end)

    it("draws the same oddities again after a reset, and is turned on and off at run time", function()
      spawn(0.5)
      local function snapshot()
        local _, _, _, raw = call(real, "GET", team("/time_entries"))
        return raw
      end
      local first = snapshot()
      assert.is_not.equal(first, snapshot())           -- other draws
      real:reset()
      real:seed{ entries = { { tid = real.hidden_task, start = NOW - 60000, duration = 1000,
                               description = "private" } } }
      assert.equal(first, snapshot())
      real:configure{ realistic = false }
      local _, body = call(real, "GET", team("/time_entries"))
      assert.is_nil(by_description(body.data)["private"].task)
      real:configure{ realistic = true, oddity_rate = 1 }
      _, body = call(real, "GET", team("/time_entries"))
      assert.equal("0", by_description(body.data)["private"].task)
      assert.has_error(function() real:configure{ oddity_rate = 2 } end)
      assert.has_error(function() real:configure{ realistic = "yes" } end)
    end)

    it("is what fake.spawn does by default under CT_FAKE_REALISTIC", function()
      local saved = fake.getenv
      local env = {}
      fake.getenv = function(k) return env[k] end
      local results = {}
      for _, v in ipairs{ false, "", "0", "1", "true", "0.25", "soon" } do
        env.CT_FAKE_REALISTIC = v or nil
        results[#results + 1] = { fake.realistic_default() }
      end
      fake.getenv = saved
      assert.same({ { false }, { false }, { false }, { true }, { true }, { true, 0.25 }, { true } }, results)
    end)

    it("runs from the command: clickup-time serve-fake --realistic", function()
      local port = require("spec.support").closed_port()
      local lua = rawget(_G, "jit") and "luajit" or ("lua" .. _VERSION:match("%d+%.%d+"))
      local build = os.getenv("CT_BUILD_DIR") or (rawget(_G, "jit") and "build/luajit"
                                                  or ("build/" .. _VERSION:match("%d+%.%d+")))
      local p = io.popen("LUA_PATH='./lua/?.lua;./lua/?/init.lua;" .. package.path .. "' LUA_CPATH='./" .. build
                         .. "/?.so;" .. package.cpath .. "' timeout 10 " .. lua .. " bin/clickup-time serve-fake"
                         .. " --realistic --port " .. port .. " 2>&1")
      assert.matches("Serving a local ClickUp%-compatible server", p:read("*l"))
      local there = { base_url = "http://127.0.0.1:" .. port .. "/api/v2", token = server.token }
      local status, body
      for _ = 1, 100 do
        status, body = call(there, "GET", team("/time_entries?include_approval_details=true"))
        if status == 200 then break end
        socket.sleep(0.05)
      end
      assert.equal(200, status)
      assert.is_string(body.data[1].approval_id)      -- realistic: approval when asked
      local s = socket.connect("127.0.0.1", port)
      if s then
        s:send("POST /_fake/shutdown HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        s:close()
      end
      p:close()
    end)
  end)
end)
