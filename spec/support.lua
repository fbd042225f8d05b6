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

--- Count the keys of a table.
function M.count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

return M
