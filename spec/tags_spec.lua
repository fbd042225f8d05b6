-- The time-entry label endpoints (notes §5.10–5.13) against the local
-- ClickUp server: the exact request sent and the typed result.

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

  it("adds names as {name} and tables as given to several entries", function()
    local login, meeting = seeded("Implement login"), seeded("Team meeting")
    local client_x = { name = "client-x", tag_bg = "#000000", tag_fg = "#ffffff" }
    assert.is_true(c:add_tags({ login, meeting }, { "deep-work", client_x }))
    local req = assert_sent("POST", ('{"time_entry_ids":["%s","%s"],"tags":[{"name":"deep-work"},'
      .. '{"name":"client-x","tag_bg":"#000000","tag_fg":"#ffffff"}]}'):format(login, meeting))
    assert.are.same({ time_entry_ids = { login, meeting }, tags = { { name = "deep-work" }, client_x } },
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
    local req = assert_sent("POST", ('{"time_entry_ids":["%s"],"tags":[{"name":"billing"}]}'):format(review))
    assert.are.same({ time_entry_ids = { review }, tags = { { name = "billing" } } }, req.json)
    assert.are.same({ "deep-work", "billing" }, tag_names(review))
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

  it("renames without colours: only name and new_name are sent, colours kept", function()
    local login = seeded("Implement login")
    assert.is_true(c:rename_tag("billing", "invoiced"))
    local req = assert_sent("PUT", '{"name":"billing","new_name":"invoiced"}')
    assert.are.same({ name = "billing", new_name = "invoiced" }, req.json)
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

  it("returns nil, err when renaming an unknown label", function()
    local ok, err = c:rename_tag("nope", "still-nope")
    assert.is_nil(ok)
    assert.are.equal("api", err.kind)
    assert.are.equal(400, err.status)
    assert.are.equal("TIMEENTRY_008", err.code)
    assert.are.equal("PUT", err.method)
    assert.are.same(SEED_TAGS, assert(c:tags()))
  end)

  it("refuses to rename a label onto another label's name (the fake never merges two)", function()
    local ok, err = c:rename_tag("billing", "meeting")
    assert.is_nil(ok)
    assert.are.equal(400, err.status)
    assert.are.equal("TIMEENTRY_010", err.code)
    assert.are.same(SEED_TAGS, assert(c:tags()))
  end)
end)
