-- spec/support.lua: small helpers shared by the specs.

local M = {}

--- The text of spec/fixtures/<name>.json (real answers quoted in the notes).
function M.fixture(name)
  local f = assert(io.open("spec/fixtures/" .. name .. ".json", "rb"))
  local s = f:read("*a")
  f:close()
  return (s:gsub("%s+$", ""))
end

--- math.type where it exists; on 5.1/LuaJIT an integral number counts as "integer".
function M.numtype(x)
  if type(x) ~= "number" then return nil end
  if math.type then return math.type(x) end
  return x == math.floor(x) and "integer" or "float"
end

--- A port on 127.0.0.1 where nothing listens (bound, then closed).
function M.closed_port()
  local socket = require "socket"
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  s:close()
  return port
end

--- A client of the local server `server` (extra options merged in).
function M.client(server, extra)
  local opts = { token = server.token, team_id = server.team_id, base_url = server.base_url }
  for k, v in pairs(extra or {}) do opts[k] = v end
  return require("clickup.time").new(opts)
end

--- The id of the seeded entry of `server` with this description.
function M.seeded(server, description)
  for _, e in ipairs(server:state().entries) do
    if e.description == description then return e.id end
  end
  error("no seeded entry " .. description, 2)
end

--- Count the keys of a table.
function M.count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

return M
