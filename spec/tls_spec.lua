-- TLS: peer and host verification are always on; ca_file adds a trusted
-- authority. The peer is `openssl s_server` with a self-signed certificate
-- for 127.0.0.1, made here.

local clickup = require "clickup.time"
local support = require "spec.support"

local function sh(cmd)
  assert(os.execute(cmd .. " >/dev/null 2>&1"), cmd)
end

describe("TLS", function()
  local dir, port, pid, handle

  setup(function()
    dir = os.tmpname()
    os.remove(dir)
    sh("mkdir -p " .. dir)
    sh(("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
        .. "-addext subjectAltName=IP:127.0.0.1 -keyout %s/key.pem -out %s/cert.pem"):format(dir, dir))
    port = support.closed_port()
    handle = assert(io.popen(("sh -c 'echo $$; exec openssl s_server -quiet -www -accept 127.0.0.1:%d "
                              .. "-cert %s/cert.pem -key %s/key.pem' 2>/dev/null"):format(port, dir, dir)))
    pid = assert(tonumber(handle:read("*l")))
    local socket = require "socket"
    for _ = 1, 100 do                                 -- until it listens
      local s = socket.connect("127.0.0.1", port)
      if s then s:close() break end
      socket.sleep(0.05)
    end
  end)

  teardown(function()
    if pid then os.execute("kill " .. pid) end
    if handle then handle:close() end
    if dir then sh("rm -rf " .. dir) end
  end)

  local function client(opts)
    local o = { token = "pk_1_TLS", team_id = "1", retries = 0,
                base_url = ("https://127.0.0.1:%d/api/v2"):format(port) }
    for k, v in pairs(opts or {}) do o[k] = v end
    return clickup.new(o)
  end

  it("refuses a certificate nobody vouches for", function()
    local r, err = client():entries()
    assert.is_nil(r)
    assert.are.equal("transport", err.kind)
    assert.are.equal("tls", err.code)
  end)

  it("trusts it with ca_file, and the handshake goes through", function()
    local r, err = client{ ca_file = dir .. "/cert.pem" }:entries()
    assert.is_nil(r)
    -- s_server -www answers with an HTML page: TLS worked, the answer is not ClickUp's
    assert.are.equal("decode", err.kind)
    assert.matches("text/html", err.message)
  end)

  it("still checks the host name with ca_file", function()
    local c = client{ ca_file = dir .. "/cert.pem", base_url = ("https://localhost:%d/api/v2"):format(port) }
    local r, err = c:entries()
    assert.is_nil(r)
    assert.are.equal("tls", err.code)
  end)

  it("takes ca_path too", function()
    local r, err = client{ ca_path = dir }:entries()
    assert.is_nil(r)
    assert.are.equal("tls", err.code)   -- a folder without hashed links trusts nothing
  end)
end)
