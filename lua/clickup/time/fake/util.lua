--- Small helpers shared by the fake's route handlers.

local json = require "clickup.time.fake.json"

local type, tonumber, ipairs = type, tonumber, ipairs
local match, gsub, char = string.match, string.gsub, string.char
local floor = math.floor

local M = {}

--- An integer from a JSON number or a decimal string; nil otherwise.
function M.int(v)
  if type(v) == "number" then
    if json.isint(v) then return floor(v) end
    return nil
  elseif type(v) == "string" and match(v, "^%-?%d+$") and #v <= 16 then
    return floor(tonumber(v))
  end
  return nil
end

--- A boolean from true/false or "true"/"false"; nil otherwise.
function M.bool(v)
  if v == true or v == "true" then return true end
  if v == false or v == "false" then return false end
  return nil
end

--- Split `s` on commas, trimming items and dropping empty ones.
function M.split(s)
  local out = {}
  for item in (s or ""):gmatch("[^,]+") do
    item = match(item, "^%s*(.-)%s*$")
    if item ~= "" then out[#out + 1] = item end
  end
  return out
end

local function hex(h) return char(tonumber(h, 16)) end

--- Percent-decode; `plus` also turns '+' into a space (query strings).
function M.unescape(s, plus)
  if plus then s = gsub(s, "+", " ") end
  return (gsub(s, "%%(%x%x)", hex))
end

--- Parse a query string into { name = value } (the last value wins).
function M.query(raw)
  local q = {}
  for pair in (raw or ""):gmatch("[^&]+") do
    local k, v = match(pair, "^([^=]*)=?(.*)$")
    if k and k ~= "" then q[M.unescape(k, true)] = M.unescape(v, true) end
  end
  return q
end

--- True when `t` is a JSON object (a table that is not an array).
function M.is_object(t)
  return type(t) == "table" and t[1] == nil and getmetatable(t) == nil
end

--- A list from a JSON array (or an empty object); nil if not a list.
function M.list(t)
  if type(t) ~= "table" then return nil end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  if n ~= #t then return nil end
  return t
end

--- Tag names from a JSON list of {name=…} objects or strings; nil if malformed.
function M.tag_specs(v)
  local l = M.list(v)
  if not l then return nil end
  local out = {}
  for _, t in ipairs(l) do
    if type(t) == "string" and t ~= "" then
      out[#out + 1] = { name = t }
    elseif type(t) == "table" and type(t.name) == "string" and t.name ~= "" then
      out[#out + 1] = t
    else
      return nil
    end
  end
  return out
end

return M
