-- Failures of the world return nil, err: the error table's fields, its one
-- line tostring, and that the token never shows. Against the local server,
-- a closed port, a silent socket and canned bad answers.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local socket = require "socket"
local support = require "spec.support"

local function assert_error(err, kind, code, status)
  assert.is_true(clickup.is_error(err), "not an error object: " .. tostring(err))
  assert.are.equal(clickup.Error, getmetatable(err))
  assert.are.equal(kind, err.kind)
  assert.are.equal(code, err.code)
  assert.are.equal(status, err.status)
  assert.is_string(err.message)
  assert.is_nil(tostring(err):find("\n", 1, true))
end

describe("errors", function()
  local server, c

  setup(function() server = fake.spawn{} end)
  teardown(function() server:stop() end)
  before_each(function()
    server:reset()
    c = support.client(server)
  end)

  local function client_with(token, team)
    return clickup.new{ token = token, team_id = team or server.team_id, base_url = server.base_url }
  end

  describe("ClickUp answers with an error", function()
    it("a bad token: 401 OAUTH_025, one readable line without the token", function()
      local bad = client_with("pk_272627274_NOTAREALTOKEN00000000000000000")
      local r, err = bad:entries()
      assert.is_nil(r)
      assert_error(err, "api", "OAUTH_025", 401)
      assert.are.equal("Token invalid", err.message)
      assert.are.equal("GET", err.method)
      assert.are.equal("/team/" .. server.team_id .. "/time_entries", err.path)
      assert.are.equal("clickup.time: OAUTH_025 (HTTP 401): Token invalid [GET /team/"
                       .. server.team_id .. "/time_entries]", tostring(err))
      assert.is_nil(tostring(err):find("NOTAREALTOKEN", 1, true))
    end)

    it("an OAuth token that ClickUp does not know, sent as Bearer", function()
      local _, err = client_with("not-a-known-oauth-token"):entries()
      assert_error(err, "api", "OAUTH_025", 401)
      assert.are.equal("Bearer not-a-known-oauth-token", server:last_request().headers.authorization)
    end)

    it("an unknown time entry: 401 OAUTH_018 (a 401 is not always the token)", function()
      local _, err = c:entry("1234567890123456789")
      assert_error(err, "api", "OAUTH_018", 401)
      assert.are.equal("/team/" .. server.team_id .. "/time_entries/1234567890123456789", err.path)
    end)

    it("an unknown workspace: 404 SHARD_031", function()
      local _, err = client_with(server.token, "99999999"):current()
      assert_error(err, "api", "SHARD_031", 404)
      assert.are.equal("Workspace not found", err.message)
    end)

    it("another user's entries without admin rights: 403 TIMEENTRY_059", function()
      local _, err = client_with(server.member_token):entries{ assignee = server.user_id }
      assert_error(err, "api", "TIMEENTRY_059", 403)
    end)

    it("two location filters: 400 TIMEENTRY_065", function()
      local _, err = c:entries{ start_date = 1, end_date = 2, space_id = "90159451300", list_id = 901520000146 }
      assert_error(err, "api", "TIMEENTRY_065", 400)
      assert.are.equal("start_date=1&end_date=2&space_id=90159451300&list_id=901520000146",
                       server:last_request().raw_query)
    end)

    it("a proxy's HTML error page: HTTP_502", function()
      server:inject{ status = 502, body = "<html><body>Bad Gateway</body></html>", content_type = "text/html" }
      local _, err = c:entries()
      assert_error(err, "api", "HTTP_502", 502)
      assert.matches("HTTP 502 without an error body (text/html)", err.message, 1, true)
    end)

    it("the token is scrubbed even if an answer echoes it", function()
      server:inject{ status = 400, body = '{"err":"bad header ' .. server.token .. '","ECODE":"X_1"}' }
      local _, err = c:entries()
      assert_error(err, "api", "X_1", 400)
      assert.are.equal("bad header <token>", err.message)
      assert.is_nil(tostring(err):find(server.token, 1, true))
    end)
  end)

  describe("a 2xx answer that is not what the endpoint sends", function()
    it("broken JSON: bad_json", function()
      server:inject{ body = '{"data":[{"id":"1"' }
      local r, err = c:entries()
      assert.is_nil(r)
      assert_error(err, "decode", "bad_json", 200)
      assert.matches("is not JSON", err.message, 1, true)
    end)

    it("an empty body where an entry is expected: bad_json", function()
      server:inject{ body = "" }
      local _, err = c:current()
      assert_error(err, "decode", "bad_json", 200)
      assert.matches("empty body", err.message, 1, true)
    end)

    it("HTML with a 200: bad_json naming the content type", function()
      server:inject{ body = "<html>login</html>", content_type = "text/html; charset=utf-8" }
      local _, err = c:entries()
      assert_error(err, "decode", "bad_json", 200)
      assert.matches("text/html", err.message, 1, true)
    end)

    it("JSON of the wrong shape: bad_shape, saying where", function()
      local cases = {
        { "entries", '{"data":"nope"}', "data: expected an array of entries, got a string" },
        { "entries", '{"data":[1,2]}', "data[1]: expected an object, got a number" },
        { "entries", '{"data":[{"id":"1","start":"soon"}]}', "data[1].start: expected an integer" },
        { "entries", '{"data":[{"id":12345678901234567890}]}', "data[1].id: expected an id" },
        { "entries", '{"data":[{"id":"1","start":1e300}]}', "data[1].start: expected an integer" },
        { "entries", '{"data":[{"id":"1","tags":[{"name":false}]}]}', "data[1].tags[1].name: expected a string" },
        { "entries", '{"data":[{"start":"1"}]}', "data[1]: entry without an id" },
        { "entries", '[1]', "expected a JSON object, got an array" },
        { "current", '{"data":7}', "data: expected an entry, got a number" },
        { "tags", '{"data":{"name":"x"}}', "data: expected an array of tags, got an object" },
      }
      for _, case in ipairs(cases) do
        server:inject{ body = case[2], times = 1 }
        local r, err = c[case[1]](c)
        assert.is_nil(r, case[2])
        assert_error(err, "decode", "bad_shape", 200)
        assert.matches(case[3], err.message, 1, true)
      end
    end)

    it("deeply nested JSON is refused, not recursed into", function()
      server:inject{ body = '{"data":' .. ("["):rep(1000) .. ("]"):rep(1000) .. "}" }
      local _, err = c:history("1")
      assert_error(err, "decode", "bad_json", 200)
    end)
  end)

  describe("no HTTP answer", function()
    it("a server that is down: transport connect, no status", function()
      local down = clickup.new{ token = server.token, team_id = server.team_id, retries = 0,
                                base_url = "http://127.0.0.1:" .. support.closed_port() .. "/api/v2" }
      local r, err = down:entries()
      assert.is_nil(r)
      assert_error(err, "transport", "connect", nil)
      assert.are.equal("COULDNT_CONNECT", err.curl)
      assert.are.equal("GET", err.method)
      assert.matches("^clickup%.time: connect: .+ %[GET /team/%d+/time_entries%]$", tostring(err))
    end)

    it("a server that never answers: transport timeout", function()
      local silent = assert(socket.bind("127.0.0.1", 0))
      local _, port = silent:getsockname()
      local slow = clickup.new{ token = server.token, team_id = server.team_id, timeout = 0.3, retries = 0,
                                base_url = "http://127.0.0.1:" .. port .. "/api/v2" }
      local r, err = slow:current()
      silent:close()
      assert.is_nil(r)
      assert_error(err, "transport", "timeout", nil)
      assert.are.equal("OPERATION_TIMEDOUT", err.curl)
    end)

    it("a host that does not resolve: transport resolve", function()
      local nowhere = clickup.new{ token = server.token, team_id = server.team_id, connect_timeout = 2,
                                   retries = 0,
                                   base_url = "https://clickup-time-test.invalid/api/v2" }
      local _, err = nowhere:entries()
      assert_error(err, "transport", "resolve", nil)
    end)
  end)

  describe("the error constructor", function()
    it("makes the same objects, for the Lua layer and for users' fakes", function()
      local err = clickup.error("api", "APP_002", "Rate limit reached", { status = 429, retry_after = 12 })
      assert_error(err, "api", "APP_002", 429)
      assert.are.equal(12, err.retry_after)
      assert.are.equal("clickup.time: APP_002 (HTTP 429): Rate limit reached", tostring(err))
      assert.is_true(clickup.is_error(err, "api"))
      assert.is_false(clickup.is_error(err, "transport"))
      assert.is_false(clickup.is_error({ kind = "api" }))
    end)
  end)

  describe("the connection", function()
    it("is reused between calls (keep-alive)", function()
      assert(c:entries())
      assert.is_false(c:current())
      assert(c:tags())
      local log = server:requests()
      assert.are.equal(3, #log)
      assert.are.equal(log[1].connection, log[2].connection)
      assert.are.equal(log[1].connection, log[3].connection)
    end)

    it("takes compressed answers", function()
      local f = assert(io.open("spec/fixtures/list.json.gz", "rb"))
      local gz = f:read("*a")
      f:close()
      server:inject{ body = gz, headers = { ["Content-Encoding"] = "gzip" } }
      local list = assert(c:entries())
      assert.are.equal("2859994400527229584", list[1].id)
      assert.are.equal(1646265089931, list[1].start)
    end)

    it("recovers after an error answer", function()
      local once = clickup.new{ token = server.token, team_id = server.team_id, base_url = server.base_url,
                                retries = 0 }
      server:inject{ status = 500, body = "oops", times = 1 }
      assert.is_nil(once:entries())
      assert.are.equal(3, #assert(once:entries()))
    end)
  end)
end)
