-- The time-entry label endpoints (notes §5.10–5.13) against the local
-- ClickUp server: the exact request sent and the typed result. ClickUp
-- wants every tag item with its colours and a rename with both: the client
-- fills them from the workspace's labels (one GET first); and its PUT of an
-- entry ignores tags, so update sends them through the label routes.

local clickup = require "clickup.time"
local fake = require "clickup.time.fake"
local support = require "spec.support"

local numtype = support.numtype
local NOW = 1767225600000 -- the server clock, frozen: seed times are exact
local ADMIN, MEMBER = 272627274, 30025034

local SEED_TAGS = {
  { name = "billing", tag_bg = "#BF55EC", tag_fg = "#FFFFFF", creator = ADMIN },
  { name = "deep-work", tag_bg = "#008844", tag_fg = "#000000", creator = MEMBER },
  { name = "meeting", tag_bg = "#1090e0", tag_fg = "#FFFFFF", creator = ADMIN },
}

describe("time-entry tags", function()
  local server, c, path

  setup(function()
    server = fake.spawn{ now = NOW }
    path = "/api/v2/team/" .. server.team_id .. "/time_entries/tags"
  end)
  teardown(function()
    if c then c:close() end
    server:stop()
  end)
  before_each(function()
    server:reset()
    if c then c:close() end
    c = support.client(server)
  end)

  local function seeded(description) return support.seeded(server, description) end

  local function tag_names(id)
    local out = {}
    for i, t in ipairs(assert(c:entry(id)).tags) do out[i] = t.name end
    return out
  end

  local function assert_sent(method, body)
    local req = server:last_request()
    assert.are.equal(method, req.method)
    assert.are.equal(path, req.path)
    assert.are.equal("", req.raw_query or "")
    assert.are.equal(body, req.body)
    assert.are.equal("application/json", req.headers["content-type"])
    return req
  end

  it("lists the workspace labels with integer creators", function()
    local tags = assert(c:tags())
    assert.are.same(SEED_TAGS, tags)
    for _, t in ipairs(tags) do assert.are.equal("integer", numtype(t.creator)) end
    local req = server:last_request()
    assert.are.equal("GET", req.method)
    assert.are.equal(path, req.path)
    assert.are.equal("", req.body)
    assert.is_nil(req.headers["content-type"])
  end)

  -- the requests since the log was cleared, as "METHOD path"
  local function sent()
    local out = {}
    for i, r in ipairs(server:requests()) do out[i] = r.method .. " " .. r.path end
    return out
  end

  it("adds names with their label's colours, and tables as given, to several entries", function()
    local login, meeting = seeded("Implement login"), seeded("Team meeting")
    local client_x = { name = "client-x", tag_bg = "#000000", tag_fg = "#ffffff" }
    server:clear_log()
    assert.is_true(c:add_tags({ login, meeting }, { "deep-work", client_x }))
    assert.are.same({ "GET " .. path, "POST " .. path }, sent())     -- the labels, once
    local req = assert_sent("POST", ('{"time_entry_ids":["%s","%s"],"tags":[{"name":"deep-work",'
      .. '"tag_bg":"#008844","tag_fg":"#000000"},{"name":"client-x","tag_bg":"#000000","tag_fg":"#ffffff"}]}')
      :format(login, meeting))
    assert.are.same({ time_entry_ids = { login, meeting },
                      tags = { { name = "deep-work", tag_bg = "#008844", tag_fg = "#000000" }, client_x } },
                    req.json)
    assert.are.same({ "billing", "deep-work", "client-x" }, tag_names(login))
    assert.are.same({ "meeting", "deep-work", "client-x" }, tag_names(meeting))
    -- the new label joins the workspace with the caller as creator
    local tags = assert(c:tags())
    assert.are.same({ SEED_TAGS[1], { name = "client-x", tag_bg = "#000000", tag_fg = "#ffffff", creator = ADMIN },
                      SEED_TAGS[2], SEED_TAGS[3] }, tags)
    assert.are.equal("integer", numtype(tags[2].creator))
  end)

  it("sends a single id string as a one-element array", function()
    local review = seeded("Code review") -- the member's entry: the admin may tag it
    assert.is_true(c:add_tags(review, { "billing" }))
    local req = assert_sent("POST", ('{"time_entry_ids":["%s"],"tags":[{"name":"billing","tag_bg":"#BF55EC",'
      .. '"tag_fg":"#FFFFFF"}]}'):format(review))
    assert.are.same({ time_entry_ids = { review },
                      tags = { { name = "billing", tag_bg = "#BF55EC", tag_fg = "#FFFFFF" } } }, req.json)
    assert.are.same({ "deep-work", "billing" }, tag_names(review))
  end)

  it("sends tags that all have their colours at once, and a new label as given", function()
    local login = seeded("Implement login")
    server:clear_log()
    assert.is_true(c:add_tags(login, { { name = "billing", tag_bg = "#111111", tag_fg = "#222222" } }))
    assert.are.same({ "POST " .. path }, sent())
    server:clear_log()
    assert.is_true(c:add_tags(login, { "brand-new", { name = "meeting", tag_bg = "#333333" } }))
    assert_sent("POST", ('{"time_entry_ids":["%s"],"tags":[{"name":"brand-new"},{"name":"meeting",'
      .. '"tag_bg":"#333333","tag_fg":"#FFFFFF"}]}'):format(login))
    assert.are.same({ "GET " .. path, "POST " .. path }, sent())
  end)

  it("adds nothing when the labels cannot be read, and says why", function()
    local login = seeded("Implement login")
    server:inject{ method = "GET", path = "/team/" .. server.team_id .. "/time_entries/tags", status = 401,
                   body = '{"err":"Team not authorized","ECODE":"OAUTH_027"}', times = 1 }
    server:clear_log()
    local ok, err = c:add_tags(login, { "billing" })
    assert.is_nil(ok)
    assert.are.equal("OAUTH_027", err.code)
    assert.are.same({ "GET " .. path }, sent())
    assert.are.same({ "billing" }, tag_names(login))
  end)

  it("removes a label from entries with a DELETE carrying a JSON body", function()
    local login = seeded("Implement login")
    assert.is_true(c:remove_tags({ login }, { "billing" }))
    local req = assert_sent("DELETE", ('{"time_entry_ids":["%s"],"tags":[{"name":"billing"}]}'):format(login))
    assert.are.same({ time_entry_ids = { login }, tags = { { name = "billing" } } }, req.json)
    assert.are.same({}, tag_names(login))
    assert.are.same({}, assert(c:entry(login)).tags)
    -- the label stays in the workspace
    assert.are.same(SEED_TAGS, assert(c:tags()))
  end)

  it("renames a label with new colours, everywhere it is used", function()
    local meeting = seeded("Team meeting")
    assert.is_true(c:rename_tag("meeting", "sync", { tag_bg = "#000000", tag_fg = "#EEEEEE" }))
    local req = assert_sent("PUT", '{"name":"meeting","new_name":"sync","tag_bg":"#000000","tag_fg":"#EEEEEE"}')
    assert.are.same({ name = "meeting", new_name = "sync", tag_bg = "#000000", tag_fg = "#EEEEEE" }, req.json)
    local sync = { name = "sync", tag_bg = "#000000", tag_fg = "#EEEEEE", creator = ADMIN }
    assert.are.same({ SEED_TAGS[1], SEED_TAGS[2], sync }, assert(c:tags()))
    assert.are.same({ sync }, assert(c:entry(meeting)).tags)
  end)

  it("renames without colours: the label's own are sent, as ClickUp requires all four", function()
    local login = seeded("Implement login")
    server:clear_log()
    assert.is_true(c:rename_tag("billing", "invoiced"))
    assert.are.same({ "GET " .. path, "PUT " .. path }, sent())
    local req = assert_sent("PUT", '{"name":"billing","new_name":"invoiced","tag_bg":"#BF55EC","tag_fg":"#FFFFFF"}')
    assert.are.same({ name = "billing", new_name = "invoiced", tag_bg = "#BF55EC", tag_fg = "#FFFFFF" }, req.json)
    local invoiced = { name = "invoiced", tag_bg = "#BF55EC", tag_fg = "#FFFFFF", creator = ADMIN }
    assert.are.same({ SEED_TAGS[2], invoiced, SEED_TAGS[3] }, assert(c:tags()))
    assert.are.same({ "invoiced" }, tag_names(login))
  end)

  it("returns nil, err when a member tags the admin's entry, and changes nothing", function()
    local login = seeded("Implement login")
    local m = clickup.new{ token = server.member_token, team_id = server.team_id, base_url = server.base_url }
    local ok, err = m:add_tags(login, { "deep-work" })
    m:close()
    assert.is_nil(ok)
    assert.is_true(clickup.is_error(err, "api"))
    assert.are.equal(403, err.status)
    assert.are.equal("integer", numtype(err.status))
    assert.are.equal("TIMEENTRY_059", err.code)
    assert.are.equal("POST", err.method)
    assert.are.equal("/team/" .. server.team_id .. "/time_entries/tags", err.path)
    assert.are.equal(server.member_token, server:last_request().headers.authorization)
    assert.are.same({ "billing" }, tag_names(login))
  end)

  it("renames with one colour given: the other is the label's", function()
    assert.is_true(c:rename_tag("meeting", "sync", { tag_fg = "#000000" }))
    assert_sent("PUT", '{"name":"meeting","new_name":"sync","tag_bg":"#1090e0","tag_fg":"#000000"}')
  end)

  it("is refused by the server when a rename lacks a colour (as ClickUp does)", function()
    local body, chunks = '{"name":"billing","new_name":"invoiced"}', {}
    local _, status = require("socket.http").request{
      url = server.base_url .. "/team/" .. server.team_id .. "/time_entries/tags", method = "PUT",
      headers = { authorization = server.token, ["content-type"] = "application/json",
                  ["content-length"] = tostring(#body) },
      source = require("ltn12").source.string(body), sink = require("ltn12").sink.table(chunks),
    }
    assert.are.equal(400, status)
    assert.are.same({ err = "name, new_name, tag_bg and tag_fg are required", ECODE = "TIMEENTRY_011" },
                    require("cjson").decode(table.concat(chunks)))
    assert.are.same(SEED_TAGS, assert(c:tags()))
  end)

  it("returns nil, err when renaming an unknown label", function()
    local ok, err = c:rename_tag("nope", "still-nope")
    assert.is_nil(ok)
    assert.are.equal("api", err.kind)
    assert.are.equal(400, err.status)
    assert.are.equal("TIMEENTRY_008", err.code)
    assert.are.equal("PUT", err.method)
    assert.are.same({ name = "nope", new_name = "still-nope" }, server:last_request().json)   -- as given
    assert.are.same(SEED_TAGS, assert(c:tags()))
  end)

  it("refuses to rename a label onto another label's name (the fake never merges two)", function()
    local ok, err = c:rename_tag("billing", "meeting")
    assert.is_nil(ok)
    assert.are.equal(400, err.status)
    assert.are.equal("TIMEENTRY_010", err.code)
    assert.are.same(SEED_TAGS, assert(c:tags()))
  end)

  describe("update with tags, through the label routes (ClickUp's PUT ignores tags)", function()
    local function entry_path(id) return "/api/v2/team/" .. server.team_id .. "/time_entries/" .. id end

    it("adds: add_tags, no PUT when there is nothing else", function()
      local login = seeded("Implement login")
      server:clear_log()
      assert.is_true(c:update(login, { tags = { "meeting" }, tag_action = "add" }))
      assert.are.same({ "GET " .. path, "POST " .. path }, sent())
      assert.are.same({ time_entry_ids = { login },
                        tags = { { name = "meeting", tag_bg = "#1090e0", tag_fg = "#FFFFFF" } } },
                      server:last_request().json)
      assert.are.same({ "billing", "meeting" }, tag_names(login))
    end)

    it("removes: remove_tags with the names", function()
      local login = seeded("Implement login")
      server:clear_log()
      assert.is_true(c:update(login, { tags = { { name = "billing" } }, tag_action = "remove" }))
      assert.are.same({ "DELETE " .. path }, sent())
      assert.are.same({ time_entry_ids = { login }, tags = { { name = "billing" } } }, server:last_request().json)
      assert.are.same({}, tag_names(login))
    end)

    it("replaces (the default): reads the entry, removes the unwanted, adds the missing, then the PUT", function()
      local login = seeded("Implement login")
      server:clear_log()
      local e = assert(c:update(login, { tags = { "deep-work", "meeting" }, description = "retagged" }))
      assert.are.same({ "GET " .. entry_path(login), "DELETE " .. path, "GET " .. path, "POST " .. path,
                        "PUT " .. entry_path(login) }, sent())
      local log = server:requests()
      assert.are.same({ time_entry_ids = { login }, tags = { { name = "billing" } } }, log[2].json)
      assert.are.same({ "deep-work", "meeting" }, { log[4].json.tags[1].name, log[4].json.tags[2].name })
      assert.are.same({ description = "retagged" }, log[5].json)          -- no tags in the PUT
      assert.are.equal("retagged", e.description)
      assert.are.same({ "deep-work", "meeting" }, { e.tags[1].name, e.tags[2].name })   -- the PUT's answer
      assert.are.same({ "deep-work", "meeting" }, tag_names(login))
    end)

    it("replaces with nothing: removes every tag; with what it has: sends nothing more", function()
      local login = seeded("Implement login")
      server:clear_log()
      assert.is_true(c:update(login, { tags = {}, tag_action = "replace" }))
      assert.are.same({ "GET " .. entry_path(login), "DELETE " .. path }, sent())
      assert.are.same({}, tag_names(login))
      server:clear_log()
      assert.is_true(c:update(login, { tags = {} }))
      assert.are.same({ "GET " .. entry_path(login) }, sent())
    end)

    it("stops at a failed step with its error, and sends no PUT", function()
      local login = seeded("Implement login")
      server:inject{ method = "DELETE", path = "/team/" .. server.team_id .. "/time_entries/tags", status = 400,
                     body = '{"err":"Plan","ECODE":"TIMEENTRY_064"}', times = 1 }
      server:clear_log()
      local r, err = c:update(login, { tags = { "meeting" }, description = "never" })
      assert.is_nil(r)
      assert.are.equal("TIMEENTRY_064", err.code)
      assert.are.same({ "GET " .. entry_path(login), "DELETE " .. path }, sent())
      assert.are.equal("Implement login", assert(c:entry(login)).description)
    end)

    it("works the same with a callback", function()
      local login = seeded("Implement login")
      local got, gerr
      c:update(login, { tags = { "meeting" }, tag_action = "add", billable = false }, function(r, err)
        got, gerr = r, err
      end)
      c:wait(5000)
      assert.is_nil(gerr)
      assert.are.equal(login, got.id)
      assert.is_false(got.billable)
      assert.are.same({ "billing", "meeting" }, tag_names(login))
    end)

    it("raises for a mistake before sending anything", function()
      local login = seeded("Implement login")
      server:clear_log()
      assert.has_error(function() c:update(login, { tags = { 7 } }) end)
      assert.has_error(function() c:update(login, { tags = { "x" }, tag_action = "merge" }) end)
      assert.are.same({}, sent())
    end)
  end)
end)
