--- clickup.time.json: a small JSON encoder (pure Lua, Lua 5.1 to 5.4 and LuaJIT).
--
--   json.encode{ b = 1, a = { 1, 2.5, "x" } }  --> {"a":[1,2.5,"x"],"b":1}
--   json.encode(json.array{})                  --> []
--   json.encode{}                              --> {}
--
-- Rules:
--   * nil and json.null encode as null, booleans as true/false.
--   * Numbers: integral values (below 1e15 in magnitude) without a fraction
--     ("3", not "3.0"); others with up to 14 significant digits ("%.14g",
--     the decimal point is always "." whatever the C locale). NaN and the
--     infinities are refused with an error.
--   * Strings: '"' and '\' are escaped, control characters (below 0x20) become
--     \u00XX; every other byte passes through (UTF-8 stays UTF-8).
--   * A table whose keys are exactly 1..n (n >= 1) is an array. An empty table
--     is an object ({}) unless marked with json.array(t), then it is [].
--   * Other tables are objects; their keys are strings or numbers (numbers
--     become their JSON text, so { [7] = .. } alongside other keys gives "7"),
--     written in sorted order so that the output is stable.
--   * Functions, userdata, threads, other key types and cycles raise errors.

local type, pairs, tostring, error = type, pairs, tostring, error
local floor, huge = math.floor, math.huge
local concat, sort = table.concat, table.sort
local format, byte = string.format, string.byte

local M = {}

-- Tables marked as arrays (weak keys: marking does not keep them alive).
local marked = setmetatable({}, { __mode = "k" })

--- Mark t (default: a new table) as an array, so that it encodes as [] when empty.
-- Returns t.
function M.array(t)
  t = t or {}
  marked[t] = true
  return t
end

--- True when t was marked with json.array.
function M.is_array(t)
  return marked[t] == true
end

--- A value that encodes as null (e.g. in an array, where nil cannot be stored).
M.null = setmetatable({}, { __tostring = function() return "json.null" end })

local function number(x)
  if x ~= x then error("json: cannot encode NaN", 0) end
  if x == huge or x == -huge then error("json: cannot encode an infinite number", 0) end
  if x == 0 then return "0" end                -- and not "-0"
  if x == floor(x) and x > -1e15 and x < 1e15 then
    return format("%.0f", x)
  end
  return (format("%.14g", x):gsub(",", "."))
end

local ESCAPE = { ['"'] = '\\"', ["\\"] = "\\\\" }
local function escape_char(c)
  return ESCAPE[c] or format("\\u%04x", byte(c))
end

local function string_(s)
  -- %c depends on the C locale: the function decides on the byte itself.
  return '"' .. s:gsub('[%c"\\]', function(c)
    if ESCAPE[c] or byte(c) < 32 then return escape_char(c) end
    return c
  end) .. '"'
end

local encode_value

-- n when the keys of t are exactly 1..n, else nil.
local function array_length(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  for i = 1, n do
    if t[i] == nil then return nil end
  end
  return n
end

local function encode_table(t, out, seen)
  if seen[t] then error("json: cannot encode a table that contains itself", 0) end
  seen[t] = true
  local n = array_length(t)
  if n and (n > 0 or marked[t]) then
    out[#out + 1] = "["
    for i = 1, n do
      if i > 1 then out[#out + 1] = "," end
      encode_value(t[i], out, seen)
    end
    out[#out + 1] = "]"
  else
    local keys, text = {}, {}
    for k in pairs(t) do
      local kind = type(k)
      local s
      if kind == "string" then s = k
      elseif kind == "number" then s = number(k)
      else error("json: cannot encode a table key of type " .. kind, 0) end
      if text[s] ~= nil then error("json: two keys encode as " .. string_(s), 0) end
      keys[#keys + 1] = s
      text[s] = k
    end
    sort(keys)
    out[#out + 1] = "{"
    for i = 1, #keys do
      if i > 1 then out[#out + 1] = "," end
      out[#out + 1] = string_(keys[i])
      out[#out + 1] = ":"
      encode_value(t[text[keys[i]]], out, seen)
    end
    out[#out + 1] = "}"
  end
  seen[t] = nil
end

function encode_value(v, out, seen)
  local kind = type(v)
  if v == nil or v == M.null then
    out[#out + 1] = "null"
  elseif kind == "boolean" then
    out[#out + 1] = tostring(v)
  elseif kind == "number" then
    out[#out + 1] = number(v)
  elseif kind == "string" then
    out[#out + 1] = string_(v)
  elseif kind == "table" then
    encode_table(v, out, seen)
  else
    error("json: cannot encode a value of type " .. kind, 0)
  end
end

--- The JSON text of value (see the rules above). Raises an error for what
-- JSON cannot represent.
function M.encode(value)
  local out = {}
  encode_value(value, out, {})
  return concat(out)
end

return M
