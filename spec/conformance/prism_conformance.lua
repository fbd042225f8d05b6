-- OpenAPI conformance, checked by a validator we did not write: Stoplight
-- Prism serving the seed's OpenAPI file (spec/openapi/, a copy of
-- shared/spec/clickup-time-tracking-openapi.yml) with `prism mock --errors`,
-- which refuses with a 4xx any request the file does not allow.
--
--   make conformance      (installs Prism into build/prism with npm; CI: .ci/run)
--
-- Every operation of the file is called through our client with every
-- parameter the file documents: every request must be accepted, and every
-- answer taken, or refused only with a bad_shape naming an essential field
-- (Prism's static answers say "start": "string"; an entry with no usable
-- start is refused, rightly). Then Prism's dynamic mode (-d, random answers
-- that conform to the file) for 300 calls and more: no raise, no crash,
-- only a result or nil, err.
--
-- What the file lacks, the client does not call here: the real start
-- without a timer id, DELETE and PUT …/time_entries/tags (so update's
-- "remove" and "replace" of tags, and rename_tag), history, the legacy
-- routes, GET /team, and a comma list of ids (the file types timer_id as
-- one string). The file's security is a bearer token: personal tokens are
-- sent bare, as ClickUp wants them, so the client here has an OAuth token.

local clickup = require "clickup.time"
local support = require "spec.support"

local unpack = table.unpack or unpack

local PRISM = assert(os.getenv("CT_PRISM"), "CT_PRISM: the prism command (make conformance sets it)")
local SPEC = "spec/openapi/clickup-time-tracking-openapi.yml"
local TEAM = "90152245421"
local ID = "4927021492799897428"

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function read(path)
  local f = io.open(path)
  if not f then return "" end
  local s = f:read("*a")
  f:close()
  return s
end

-- a Prism mock on a free port; returns { base_url =, stop = function, log = function }
local function prism(dynamic)
  local port = support.closed_port()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. q(dir)))
  local pidfile, log = dir .. "/pid", dir .. "/log"
  local cmd = ("sh -c 'echo $$ > %s; exec %s mock --errors %s -h 127.0.0.1 -p %d %s > %s 2>&1' &")
    :format(pidfile, q(PRISM):gsub("'", "'\\''"), dynamic and "-d" or "", port, SPEC, log)
  assert(os.execute(cmd))
  local socket = require "socket"
  local deadline = socket.gettime() + 90
  while not read(log):find("Prism is listening", 1, true) do
    assert(socket.gettime() < deadline, "Prism did not start: " .. read(log))
    socket.sleep(0.1)
  end
  local self = { base_url = ("http://127.0.0.1:%d"):format(port) }
  function self.stop()
    local pid = read(pidfile):match("%d+")
    if pid then os.execute("kill " .. pid .. " 2>/dev/null") end
    os.execute("rm -rf " .. q(dir))
  end
  function self.log() return read(log) end
  return self
end

local function client(base_url)
  return clickup.new{ token = "oauth-access-token-for-prism", team_id = TEAM, base_url = base_url,
                      retries = 0, sleep = function() end }
end

-- what an essential field's failure names: an entry's id or start, a tag's name, an interval's id
local ESSENTIAL = { "%.start: expected an integer", "%.id: expected an id", "%.name: expected a string",
                    "entry without an id" }

local function essential(err)
  if not (clickup.is_error(err, "decode") and err.code == "bad_shape") then return false end
  for _, p in ipairs(ESSENTIAL) do
    if err.message:find(p) then return true end
  end
  return false
end

-- every operation of the file, with every parameter it documents
local now = 1767225600000
local CALLS = {
  { "entries", { start_date = now - 86400000, end_date = now, assignee = { 272627274, 30025034 },
                 include_task_tags = true, include_location_names = true, task_id = "86c7mc19h",
                 custom_task_ids = true } },
  { "entries", { start_date = now - 86400000, end_date = now, space_id = "90159451300" } },
  { "entries", { start_date = now - 86400000, end_date = now, folder_id = 901513462383 } },
  { "entries", { start_date = now - 86400000, end_date = now, list_id = "901520000146" } },
  { "create", { start = now - 3600000, duration = 600000, stop = now - 3000000, tid = "86c7mc19h",
                description = "conformance", assignee = 272627274, billable = true,
                tags = { "billing" }, custom_task_ids = false } },
  { "entry", ID },
  { "update", ID, { tid = "86c7mc19h", description = "changed", start = now - 7200000, ["end"] = now - 3600000,
                    duration = 3600000, billable = false, tag_action = "add",
                    tags = { { name = "billing", tag_bg = "#BF55EC", tag_fg = "#FFFFFF" } },
                    custom_task_ids = false } },
  { "delete", ID },
  { "current", { assignee = 272627274 } },
  { "start", { timer_id = ID, tid = "86c7mc19h", description = "timer", billable = true } },
  { "stop" },
  { "tags" },
  { "add_tags", { ID, "4927021492799897429" }, { { name = "billing", tag_bg = "#BF55EC", tag_fg = "#FFFFFF" },
                                                 "meeting" } },
}

-- the lines of Prism's log that tell of a request it found invalid
local function refused(log)
  local out = {}
  for line in log:gmatch("[^\n]+") do
    if line:find("Request did not pass the validation rules", 1, true) or line:find("Violation: request", 1, true)
       or line:find("Request terminated with error", 1, true) then
      out[#out + 1] = line
    end
  end
  return out
end

describe("OpenAPI conformance (Stoplight Prism)", function()
  describe("static answers (prism mock --errors)", function()
    local p, c
    setup(function()
      p = prism(false)
      c = client(p.base_url)
    end)
    teardown(function()
      if c then c:close() end
      if p then p.stop() end
    end)

    it("accepts every request of every operation, with every documented parameter", function()
      local operations = {}
      for _, call in ipairs(CALLS) do
        local name = call[1]
        local r, err = c[name](c, unpack(call, 2))
        operations[name] = true
        if r == nil then
          assert(clickup.is_error(err), name)
          assert(err.kind ~= "api", name .. ": Prism refused the request: " .. tostring(err))
          assert(essential(err), name .. ": refused for another reason than an essential field: " .. tostring(err))
        end
      end
      assert.are.same({}, refused(p.log()))
      -- every operation of the file was called
      for _, op in ipairs{ "entries", "create", "entry", "update", "delete", "current", "start", "stop", "tags",
                           "add_tags" } do
        assert.is_true(operations[op], op)
      end
    end)

    it("takes the answers it can type, refuses the others naming an essential field", function()
      local tags = assert(c:tags())
      assert.are.same({ { name = "string", tag_bg = "string", tag_fg = "string", creator = 0 } }, tags)
      assert.are.same({ more = 0 }, c:anomalies())
      assert.are.same({ { id = ID } }, assert(c:delete(ID)))        -- 200 with no body: the ids given
      assert.is_true(c:add_tags(ID, { { name = "x", tag_bg = "#000000", tag_fg = "#ffffff" } }))
      local r, err = c:entries{ start_date = now - 1000, end_date = now }
      assert.is_nil(r)
      assert.are.equal("unexpected answer: data[1].start: expected an integer, got a string that is not one",
                       err.message)
      r, err = c:entry(ID)
      assert.is_nil(r)
      assert.are.equal("unexpected answer: data.start: expected an integer, got a string that is not one",
                       err.message)
      -- a POST whose answer cannot be typed: the client read what the server holds, and could not tell
      r, err = c:stop()
      assert.is_nil(r)
      assert.are.equal("bad_shape", err.code)
      assert.are.equal("unknown", err.outcome)
    end)
  end)

  describe("random answers (prism mock -d)", function()
    local p, c
    setup(function()
      p = prism(true)
      c = client(p.base_url)
    end)
    teardown(function()
      if c then c:close() end
      if p then p.stop() end
    end)

    it("gives a result or nil, err for 300 calls and more: never a raise", function()
      local n, results, errors, odd = 0, 0, 0, 0
      for round = 1, 24 do
        for _, call in ipairs(CALLS) do
          local ok, r, err = pcall(c[call[1]], c, unpack(call, 2))
          assert(ok, call[1] .. " raised: " .. tostring(r))
          n = n + 1
          if r ~= nil then
            results = results + 1
            if #c:anomalies() > 0 then odd = odd + 1 end
          else
            assert(clickup.is_error(err), call[1] .. ": not an error object: " .. tostring(err))
            assert(err.kind ~= "api" or err.status >= 500, call[1] .. ": " .. tostring(err))
            errors = errors + 1
          end
        end
        -- and without blocking, a few at once
        if round % 6 == 0 then
          local rs, es = c:parallel(CALLS)
          for i = 1, #CALLS do
            n = n + 1
            assert(rs[i] ~= nil or clickup.is_error(es[i]), CALLS[i][1])
          end
        end
      end
      assert.is_true(n >= 300, n .. " calls")
      assert.is_true(results > 0 and errors > 0, results .. " results, " .. errors .. " errors")
      print(("\nprism -d: %d calls, %d results (%d with anomalies), %d errors"):format(n, results, odd, errors))
      assert.are.same({}, refused(p.log()))
    end)
  end)
end)
