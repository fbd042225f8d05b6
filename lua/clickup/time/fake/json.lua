--- JSON for the fake server: cjson decodes, a small encoder of our own writes.
--
-- Why our own encoder: mpx lua-cjson 2.1.0 (Debian's) cannot tell an empty
-- array from an empty object and prints numbers with 14 significant digits.
-- Here `M.array(t)` marks arrays (so `[]` is possible), object keys are sorted
-- (stable output), and integral numbers print exactly.
-- Decoding goes through a private cjson instance; integral floats below 2^53
-- become Lua integers where the Lua has them (5.3+), so `tostring(ms)` reads
-- "1737925200000", never "1.7379252e+12".

local cjson = require "cjson"

local type, pairs, ipairs, tostring = type, pairs, ipairs, tostring
local getmetatable, setmetatable, pcall = getmetatable, setmetatable, pcall
local format, byte, gsub = string.format, string.byte, string.gsub
local concat, sort = table.concat, table.sort
local floor, huge = math.floor, math.huge
local tointeger = math.tointeger -- nil before 5.3

local M = {}

local codec = cjson.new and cjson.new() or cjson

--- The JSON null (cjson's sentinel, so decoded nulls compare equal to it).
M.null = cjson.null

local array_mt = { __name = "clickup.time.fake.json.array" }

--- Mark `t` (default a new table) as a JSON array; returns it.
function M.array(t)
  return setmetatable(t or {}, array_mt)
end

--- True when `v` is nil or JSON null.
function M.isnull(v)
  return v == nil or v == M.null
end

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
                  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function escape_char(c)
  return escapes[c] or format("\\u%04x", byte(c))
end

local function quote(s)
  return '"' .. gsub(s, '[%c"\\]', escape_char) .. '"'
end

local MAX_EXACT = 9007199254740992 -- 2^53

local function number(n)
  if n ~= n or n == huge or n == -huge then
    return "null"
  end
  if tointeger and tointeger(n) and (n == floor(n)) and -MAX_EXACT < n and n < MAX_EXACT then
    return format("%d", tointeger(n))
  end
  if n == floor(n) and -MAX_EXACT < n and n < MAX_EXACT then
    return format("%.0f", n)
  end
  return format("%.17g", n)
end

local encode

local function is_array(t)
  if getmetatable(t) == array_mt then
    return true
  end
  return t[1] ~= nil
end

encode = function(v, out)
  local tv = type(v)
  if v == nil or v == M.null then
    out[#out + 1] = "null"
  elseif tv == "boolean" then
    out[#out + 1] = v and "true" or "false"
  elseif tv == "number" then
    out[#out + 1] = number(v)
  elseif tv == "string" then
    out[#out + 1] = quote(v)
  elseif tv == "table" then
    if is_array(v) then
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        encode(v[i], out)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do
        keys[#keys + 1] = tostring(k)
      end
      sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        local val = v[k]
        if val == nil then val = v[tonumber(k)] end
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = quote(k)
        out[#out + 1] = ":"
        encode(val, out)
      end
      out[#out + 1] = "}"
    end
  else
    error("cannot encode a " .. tv .. " as JSON", 0)
  end
end

--- Encode a Lua value as JSON text.
function M.encode(v)
  local out = {}
  encode(v, out)
  return concat(out)
end

local function normalize(v)
  local tv = type(v)
  if tv == "number" then
    if tointeger and v == floor(v) and -MAX_EXACT < v and v < MAX_EXACT then
      return tointeger(v)
    end
    return v
  elseif tv == "table" then
    for k, x in pairs(v) do
      v[k] = normalize(x)
    end
  end
  return v
end

--- Decode JSON text; returns the value, or nil and a message.
function M.decode(s)
  local ok, v = pcall(codec.decode, s)
  if not ok then
    return nil, tostring(v)
  end
  return normalize(v)
end

--- True when `v` is an integral number (float or integer).
function M.isint(v)
  return type(v) == "number" and v == floor(v) and v > -MAX_EXACT and v < MAX_EXACT
end

return M
