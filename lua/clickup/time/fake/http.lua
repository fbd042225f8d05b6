--- A small HTTP/1.1 server on LuaSocket: many connections at once through
-- socket.select, keep-alive with pipelining, Content-Length and chunked
-- request bodies, `Expect: 100-continue`, `Connection: close`.
--
-- The application is one function, `handler(req) -> res`:
--   req = { method, target, path, raw_query, version = "1.1", headers =
--           { [lowercase name] = value }, body = string }
--   res = { status = int, headers = { name = value }, body = string,
--           close = bool (close after writing), shutdown = bool (stop the
--           server once written),
--           -- faults (api.lua's injections set these):
--           delay = seconds (send the answer, or the close, that much later;
--                   the connection's later answers wait behind it, other
--                   connections do not),
--           drop = bool (send nothing, close the connection),
--           truncate = n (full Content-Length, only n body bytes, then close),
--           drip = bytes per second (send headers and body a few bytes at a
--                  time at that rate),
--           rst = bool (close with an RST instead of a FIN; alone: send the
--                 answer, then reset the connection) }
-- `respond()` below is the single place a response becomes bytes.
-- Each connection has an output queue of segments { data, sent, due, rate }
-- or { close = "fin" | "rst", due }; a segment waits until its due time, a
-- rate segment sends a chunk and waits again. The select timeout covers the
-- nearest due time, so nothing here ever sleeps or blocks.
-- A malformed request gets a 400 and the connection is closed; an error
-- raised by the handler becomes a 500; nothing here may end the loop.

local socket = require "socket"

local pairs, ipairs, pcall, tostring, tonumber, type = pairs, ipairs, pcall, tostring, tonumber, type
local find, sub, lower, format, match = string.find, string.sub, string.lower, string.format, string.match
local concat, remove = table.concat, table.remove
local floor, min = math.floor, math.min
local gettime = socket.gettime

local M = {}

local MAX_HEADER = 64 * 1024
local MAX_BODY = 16 * 1024 * 1024

local REASONS = {
  [100] = "Continue", [200] = "OK", [204] = "No Content", [400] = "Bad Request",
  [401] = "Unauthorized", [403] = "Forbidden", [404] = "Not Found", [405] = "Method Not Allowed",
  [413] = "Payload Too Large", [429] = "Too Many Requests", [431] = "Request Header Fields Too Large",
  [500] = "Internal Server Error", [501] = "Not Implemented", [503] = "Service Unavailable",
}

local Server = {}
Server.__index = Server

--- Listen on `opts.host` (default 127.0.0.1) : `opts.port` (default 0 =
-- ephemeral). `opts.handler` is required. Returns the server or nil, err.
function M.new(opts)
  local sock, err = socket.bind(opts.host or "127.0.0.1", opts.port or 0, 64)
  if not sock then return nil, err end
  sock:settimeout(0)
  local _, port = sock:getsockname()
  return setmetatable({
    sock = sock, port = tonumber(port), handler = opts.handler, conns = {},
    idle_timeout = opts.idle_timeout, alive = opts.alive, last_activity = socket.gettime(),
  }, Server)
end

local function token_list_has(value, token)
  if not value then return false end
  for item in value:gmatch("[^,]+") do
    if lower(match(item, "^%s*(.-)%s*$")) == token then return true end
  end
  return false
end

-- A drip sends about this often (seconds).
local DRIP_TICK = 0.05

--- Queue bytes (or a segment table) on a connection.
local function queue(conn, data)
  local seg = data
  if type(data) == "string" then seg = { data = data } end
  seg.sent = 0
  conn.out[#conn.out + 1] = seg
end

--- Turn `res` into bytes on `conn`; the single response seam.
local function respond(server, conn, req, res)
  local due = res.delay and res.delay > 0 and gettime() + res.delay or nil
  local closing = res.rst and "rst" or "fin"
  if res.drop then
    queue(conn, { close = closing, due = due })
    conn.closing = true
    if res.shutdown then server.stopping = true end
    return
  end
  local status = res.status or 200
  local body = res.body or ""
  local keep = not res.close and not res.shutdown and req.keep_alive
  local lines = { format("HTTP/1.1 %d %s", status, REASONS[status] or "Status") }
  local has = {}
  for k, v in pairs(res.headers or {}) do
    has[lower(k)] = true
    lines[#lines + 1] = k .. ": " .. tostring(v)
  end
  if not has["content-length"] then lines[#lines + 1] = "Content-Length: " .. #body end
  if not has["date"] then lines[#lines + 1] = "Date: " .. os.date("!%a, %d %b %Y %H:%M:%S GMT") end
  lines[#lines + 1] = keep and "Connection: keep-alive" or "Connection: close"
  local head = concat(lines, "\r\n") .. "\r\n\r\n"
  if res.truncate then body = sub(body, 1, res.truncate) end
  local rate = res.drip and res.drip > 0 and res.drip or nil
  queue(conn, { data = head .. body, due = due, rate = rate,
                chunk = rate and floor(rate * DRIP_TICK) })
  if res.truncate or res.rst then
    queue(conn, { close = closing })
    conn.closing = true
  elseif not keep then
    conn.closing = true
  end
  if res.shutdown then server.stopping = true end
end

local function fail(server, conn, status, msg)
  respond(server, conn, { keep_alive = false }, {
    status = status, headers = { ["Content-Type"] = "application/json; charset=utf-8" },
    body = format('{"err":"%s","ECODE":"HTTP_%d"}', msg, status), close = true })
end

-- Parse a chunked body starting at `pos`; returns body, next position, or
-- nil (incomplete), or false, message (malformed).
local function dechunk(buf, pos)
  local parts = {}
  while true do
    local e = find(buf, "\r\n", pos, true)
    if not e then return nil end
    local hex = match(sub(buf, pos, e - 1), "^%s*(%x+)")
    local size = hex and #hex <= 8 and tonumber(hex, 16)
    if not size then return false, "bad chunk size" end
    pos = e + 2
    if size == 0 then
      -- trailers until an empty line
      while true do
        local le = find(buf, "\r\n", pos, true)
        if not le then return nil end
        local line = sub(buf, pos, le - 1)
        pos = le + 2
        if line == "" then return concat(parts), pos end
      end
    end
    if #buf < pos + size + 1 then return nil end
    parts[#parts + 1] = sub(buf, pos, pos + size - 1)
    pos = pos + size
    if sub(buf, pos, pos + 1) ~= "\r\n" then return false, "bad chunk end" end
    pos = pos + 2
    if pos - 1 > MAX_BODY then return false, "body too large" end
  end
end

-- Try to take one complete request off `conn.buf`. Returns a request, or
-- nil (need more), or false, status, message (malformed).
local function parse(conn)
  local buf = conn.buf
  local s = 1
  while sub(buf, s, s + 1) == "\r\n" do s = s + 2 end
  while sub(buf, s, s) == "\n" do s = s + 1 end
  if s > 1 then buf = sub(buf, s); conn.buf = buf end
  local hs, he = find(buf, "\r?\n\r?\n")
  if not hs then
    if #buf > MAX_HEADER then return false, 431, "header too large" end
    return nil
  end
  local head = sub(buf, 1, hs - 1)
  local method, target, major, minor = match(head, "^(%u+) (%S+) HTTP/(%d)%.(%d)\r?\n?")
  if not method then return false, 400, "bad request line" end
  local headers = {}
  local first = true
  for line in (head .. "\n"):gmatch("(.-)\r?\n") do
    if first then
      first = false
    elseif line ~= "" then
      local name, value = match(line, "^([^:%s]+)%s*:%s*(.-)%s*$")
      if not name then return false, 400, "bad header" end
      name = lower(name)
      headers[name] = headers[name] and (headers[name] .. ", " .. value) or value
    end
  end
  local body, stop
  local te = headers["transfer-encoding"]
  if te and token_list_has(te, "chunked") then
    local b, pos = dechunk(buf, he + 1)
    if b == false then return false, 400, pos end
    if b == nil then
      return nil, headers
    end
    body, stop = b, pos
  else
    local cl = headers["content-length"]
    local n = 0
    if cl then
      n = tonumber(match(cl, "^%d+$") or "")
      if not n then return false, 400, "bad content-length" end
      if n > MAX_BODY then return false, 413, "body too large" end
    end
    if #buf < he + n then return nil, headers end
    body, stop = sub(buf, he + 1, he + n), he + n + 1
  end
  conn.buf = sub(buf, stop)
  conn.continued = false
  local version = major .. "." .. minor
  local keep
  if version == "1.0" then
    keep = token_list_has(headers.connection, "keep-alive")
  else
    keep = not token_list_has(headers.connection, "close")
  end
  local path, query = match(target, "^([^?]*)%??(.*)$")
  path = path:gsub("^%a[%w+.-]*://[^/]*", "")
  if path == "" then path = "/" end
  return { method = method, target = target, path = path, raw_query = query, version = version,
           headers = headers, body = body, keep_alive = keep }
end

local function serve_buffer(server, conn)
  while not conn.closing do
    local parsed, req, status, msg = pcall(parse, conn)
    if not parsed then
      req, status, msg = false, 400, "bad request"
    end
    if req == nil then
      -- incomplete: answer Expect: 100-continue once, then wait for more
      local headers = status
      if type(headers) == "table" and not conn.continued
        and lower(headers.expect or "") == "100-continue" then
        conn.continued = true
        queue(conn, "HTTP/1.1 100 Continue\r\n\r\n")
      end
      return
    elseif req == false then
      fail(server, conn, status, msg)
      return
    end
    server.last_activity = socket.gettime()
    req.connection = conn.id
    local ok, res = pcall(server.handler, req)
    if not ok or type(res) ~= "table" then
      io.stderr:write("clickup.time.fake: handler error: ", tostring(res), "\n")
      res = { status = 500, headers = { ["Content-Type"] = "application/json; charset=utf-8" },
              body = '{"err":"Internal fake server error","ECODE":"FAKE_500"}' }
    end
    respond(server, conn, req, res)
  end
end

local function close_conn(server, conn)
  if conn.rst then pcall(conn.sock.setoption, conn.sock, "linger", { on = true, timeout = 0 }) end
  conn.sock:close()
  server.conns[conn.sock] = nil
end

local function read(server, conn)
  local data, err, partial = conn.sock:receive(65536)
  local chunk = data or partial
  if chunk and #chunk > 0 then
    conn.buf = conn.buf .. chunk
    serve_buffer(server, conn)
  end
  if err == "closed" then
    conn.eof = true
  end
end

-- Send what is due on `conn` at `now`. Returns an error message when the
-- connection failed, else nil. A close segment empties the queue and marks
-- the connection for closing (with an RST when asked).
local function write(conn, now)
  while #conn.out > 0 do
    local seg = conn.out[1]
    if seg.due and seg.due > now then return nil end
    if seg.close then
      conn.out = {}
      conn.eof = true
      conn.rst = seg.close == "rst"
      return nil
    end
    local data = seg.data
    local stop = #data
    if seg.rate then stop = min(stop, seg.sent + (seg.chunk >= 1 and seg.chunk or 1)) end
    local last, err, partial = conn.sock:send(data, seg.sent + 1, stop)
    last = last or partial
    local before = seg.sent
    if last and last > seg.sent then seg.sent = last end
    if seg.sent >= #data then
      remove(conn.out, 1)
    elseif seg.rate and seg.sent > before then
      seg.due = now + (seg.sent - before) / seg.rate
      return nil
    elseif err or seg.sent < stop then
      return err ~= "timeout" and err or nil
    end
  end
end

--- One turn of the loop: wait up to `timeout` seconds for activity (less
-- when a queued segment falls due sooner).
function Server:step(timeout)
  local recvt, sendt = { self.sock }, {}
  local now = gettime()
  for sock, conn in pairs(self.conns) do
    if not conn.closing and not conn.eof then recvt[#recvt + 1] = sock end
    local seg = conn.out[1]
    if seg then
      if seg.due and seg.due > now then
        local wait = seg.due - now
        if not timeout or wait < timeout then timeout = wait end
      else
        sendt[#sendt + 1] = sock
      end
    end
  end
  local readable, writable = socket.select(recvt, sendt, timeout)
  for _, sock in ipairs(readable or {}) do
    if sock == self.sock then
      while true do
        local client = self.sock:accept()
        if not client then break end
        client:settimeout(0)
        client:setoption("tcp-nodelay", true)
        self.accepted = (self.accepted or 0) + 1
        self.conns[client] = { sock = client, buf = "", out = {}, id = self.accepted }
      end
    elseif self.conns[sock] then
      local conn = self.conns[sock]
      local ok, err = pcall(read, self, conn)
      if not ok then -- never let one connection take the server down
        io.stderr:write("clickup.time.fake: connection error: ", tostring(err), "\n")
        conn.eof = true
        conn.out = {}
      end
    end
  end
  now = gettime()
  for _, sock in ipairs(writable or {}) do
    local conn = self.conns[sock]
    if conn and write(conn, now) then
      conn.eof = true
      conn.out = {}
    end
  end
  for _, conn in pairs(self.conns) do
    if #conn.out > 0 and write(conn, now) then
      conn.eof = true
      conn.out = {}
    end
    if (conn.eof or conn.closing) and #conn.out == 0 then
      close_conn(self, conn) -- clearing a field during pairs() is allowed
    end
  end
end

--- Serve until a response asks for shutdown, the idle timeout passes, or
-- `alive()` (checked about once a second) returns false.
function Server:run()
  local last_check = socket.gettime()
  while true do
    self:step(0.5)
    local now = socket.gettime()
    if self.stopping then
      local pending = false
      for _, conn in pairs(self.conns) do
        if #conn.out > 0 then pending = true end
      end
      if not pending then break end
      self.stop_deadline = self.stop_deadline or now + 2
      if now > self.stop_deadline then break end
    end
    if self.idle_timeout and now - self.last_activity > self.idle_timeout then break end
    if self.alive and now - last_check >= 1 then
      last_check = now
      if not self.alive() then break end
    end
  end
  self:close()
end

--- Close the listening socket and every connection.
function Server:close()
  for _, conn in pairs(self.conns) do conn.sock:close() end
  self.conns = {}
  if self.sock then self.sock:close(); self.sock = nil end
end

return M
