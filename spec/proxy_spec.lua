-- The request line. A request goes to libcurl as an origin it parses once
-- and a request target sent as it is (the cheap form); through a proxy that
-- does not tunnel (an http:// URL with http_proxy set) the request line must
-- be the whole URL, and is. A child Lua makes the call, with the
-- environment of the case; this process plays the proxy and records what
-- it was sent. The proxy environment is read as libcurl reads it, once,
-- when the client is made (libcurl itself reads none per request then).

local socket = require "socket"
local cli = require "spec.cli_support"

local ROOT = os.getenv("PWD")

local BODY = '{"data":[]}'

local UNSET = "-u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY"
              .. " -u no_proxy -u NO_PROXY"
-- a port nothing listens on: a proxy there would refuse the connection
local DEAD = "http://127.0.0.1:1"

-- run `code` in a child Lua with env (a table), while `serve` answers one
-- connection on `listener`; returns the child's output and the request line
local function with_child(listener, env, code)
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write(code)
  f:close()
  local vars = {}
  for k, v in pairs(env) do vars[#vars + 1] = k .. "=" .. cli.q(v) end
  local p = assert(io.popen(("cd %s && env %s %s LUA_PATH=%s "
                             .. "LUA_CPATH=%s %s %s 2>&1"):format(cli.q(ROOT), UNSET, table.concat(vars, " "),
    cli.q(ROOT .. "/lua/?.lua;" .. ROOT .. "/lua/?/init.lua;;"), cli.q(ROOT .. "/" .. cli.BUILD .. "/?.so;;"),
    cli.LUA, cli.q(script))))
  listener:settimeout(10)
  local conn = listener:accept()
  local line
  if conn then
    conn:settimeout(5)
    line = conn:receive("*l")
    repeat local h = conn:receive("*l") until not h or h == ""
    conn:send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " .. #BODY
              .. "\r\nConnection: close\r\n\r\n" .. BODY)
    conn:close()
  end
  local out = p:read("*a")
  p:close()
  os.remove(script)
  return out, line
end

local CALL = [[
local c = require("clickup.time").new{ token = "pk_1_x", team_id = "9012345", retries = 0,
                                       base_url = os.getenv("BASE"), allow_insecure_http = true }
local list, err = c:entries{ start_date = 1700000000000, end_date = 1700086400000, include_task_tags = true }
print(list and ("entries " .. #list) or tostring(err))
]]

describe("the request line", function()
  local listener, port

  before_each(function()
    listener = assert(socket.bind("127.0.0.1", 0))
    port = select(2, listener:getsockname())
  end)
  after_each(function() listener:close() end)

  -- the call made with env (BASE: this listener) reached it directly, path and query only
  local function direct(env, label)
    env.BASE = "http://127.0.0.1:" .. port .. "/api/v2"
    local out, line = with_child(listener, env, CALL)
    assert.are.equal("entries 0\n", out, label)
    assert.are.equal("GET /api/v2/team/9012345/time_entries?start_date=1700000000000&end_date=1700086400000"
                     .. "&include_task_tags=true HTTP/1.1", line, label)
  end

  -- the call to base, with this listener named the proxy by var: what it printed, and the line sent
  local function through_proxy(base, var)
    return with_child(listener, { BASE = base, [var] = "http://127.0.0.1:" .. port }, CALL)
  end

  it("is the path and query as built, straight to the server", function()
    direct({})
  end)

  it("is the whole URL through a proxy that does not tunnel (http_proxy, all_proxy)", function()
    for _, var in ipairs{ "http_proxy", "all_proxy", "ALL_PROXY" } do
      local out, line = through_proxy("http://ct.invalid:8080/api/v2", var)
      assert.are.equal("entries 0\n", out, var)
      assert.are.equal("GET http://ct.invalid:8080/api/v2/team/9012345/time_entries?start_date=1700000000000"
                       .. "&end_date=1700086400000&include_task_tags=true HTTP/1.1", line, var)
    end
  end)

  it("goes around the proxy for the hosts of no_proxy and NO_PROXY", function()
    for _, var in ipairs{ "no_proxy", "NO_PROXY" } do
      direct({ http_proxy = DEAD, [var] = "127.0.0.1" }, var)
    end
  end)

  it("takes no proxy from HTTP_PROXY or an empty http_proxy, as libcurl does", function()
    direct({ HTTP_PROXY = DEAD }, "HTTP_PROXY")
    direct({ http_proxy = "" }, "empty http_proxy")
  end)

  it("tunnels https:// through https_proxy or HTTPS_PROXY (CONNECT)", function()
    for _, var in ipairs{ "https_proxy", "HTTPS_PROXY", "all_proxy" } do
      local out, line = through_proxy("https://ct.invalid/api/v2", var)
      assert.are.equal("CONNECT ct.invalid:443 HTTP/1.1", line, var)
      assert.matches("^clickup%.time: tls: ", out)    -- the tunnel led to no TLS server: an error
    end
  end)

  it("keeps escapes as they were written", function()
    local body = BODY
    BODY = '{"data":{"id":"1","start":"1700000000000"}}'
    finally(function() BODY = body end)
    local out, line = with_child(listener, { BASE = "http://127.0.0.1:" .. port .. "/api/v2" }, [[
local c = require("clickup.time").new{ token = "pk_1_x", team_id = "9012345", retries = 0,
                                       base_url = os.getenv("BASE") }
local e, err = c:entry("a b/\195\169")
print(e and ("entry " .. e.id) or tostring(err))
]])
    assert.are.equal("entry 1\n", out)
    assert.are.equal("GET /api/v2/team/9012345/time_entries/a%20b%2F%C3%A9 HTTP/1.1", line)
  end)
end)
