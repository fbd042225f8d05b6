-- The LuaLS annotations (types/clickup-time.lua) cover every method: a
-- method added without its annotation fails here (luv's docs coverage idea).

local clickup = require "clickup.time"

describe("LuaLS annotations", function()
  local text

  setup(function()
    local f = assert(io.open("types/clickup-time.lua"))
    text = f:read("*a")
    f:close()
  end)

  it("is a ---@meta file that loads as Lua", function()
    assert.matches("^%-%-%-@meta", text)
    assert(loadfile("types/clickup-time.lua"))
  end)

  it("annotates every client method", function()
    local missing = {}
    for name, v in pairs(clickup.Client) do
      local annotated = text:find("function Client:" .. name .. "(", 1, true)
      if type(v) == "function" and not name:match("^_") and not annotated then
        missing[#missing + 1] = name
      end
    end
    table.sort(missing)
    assert.are.same({}, missing)
  end)

  it("annotates entries, tags and errors", function()
    for _, class in ipairs{ "clickup.Entry", "clickup.Tag", "clickup.Error", "clickup.Client", "clickup.Options" } do
      local line = text:find("---@class " .. class .. "\n", 1, true)
                   or text:find("---@class " .. class .. " ", 1, true)
      assert.truthy(line, class)
    end
    assert.truthy(text:find("function Entry:is_running()", 1, true))
    assert.truthy(text:find("function Entry:elapsed(", 1, true))
  end)
end)

describe("what the annotations and the README say each method takes", function()
  local types, readme

  setup(function()
    local f = assert(io.open("types/clickup-time.lua"))
    types = f:read("*a")
    f:close()
    f = assert(io.open("README.md"))
    readme = f:read("*a")
    f:close()
  end)

  -- the annotation block above `function Client:name(`, with the aliases it names
  local function block(name)
    local at = assert(types:find("function Client:" .. name .. "(", 1, true), name)
    local start = at
    while true do
      local prev = types:sub(1, start - 2):match(".*\n()")
      if not prev or types:sub(prev, prev + 2) ~= "---" then break end
      start = prev
    end
    local text = types:sub(start, at)
    for alias in text:gmatch("(clickup%.%a+)") do
      local def = types:match("\n%-%-%-@alias " .. alias:gsub("%.", "%%.") .. " ([^\n]+)")
      if def then text = text .. "\n" .. def end
    end
    return text
  end

  -- the README's text for a method: from its syntax line to the next one
  local function section(name)
    local methods = readme:match("\n## Methods\n(.-)\n## ")
    local at = assert(methods:find("client:" .. name .. "(", 1, true), "README: no syntax line for " .. name)
    local rest = methods:sub(at)
    local stop = rest:find("\nsyntax:", 2, true) or #rest
    return rest:sub(1, stop)
  end

  it("every positional argument and parameter of every method, human forms and callback included", function()
    local n = 0
    for _, ep in ipairs(clickup.endpoints) do
      local text, doc = block(ep.name), section(ep.name)
      for _, p in ipairs(ep.args) do
        assert.truthy(text:find("---@param " .. p.name .. " ", 1, true), ep.name .. ": @param " .. p.name)
        n = n + 1
      end
      local params = {}
      for _, p in ipairs(ep.params) do params[#params + 1] = p end
      if ep.path:find("{team_id}", 1, true) then params[#params + 1] = { name = "team_id" } end
      for _, p in ipairs(params) do
        local typed = text:match("[{,] " .. p.name .. "%??: ([^,}]+)")
        assert.truthy(typed, ep.name .. ": " .. p.name .. " is not annotated")
        if p.type == "ms" then
          local human = (p.name == "duration" or p.name == "time") and "clickup.Duration" or "clickup.Moment"
          assert.are.equal(human, typed, ep.name .. ": " .. p.name .. " takes the human forms")
        end
        if p.name ~= "team_id" then
          assert.truthy(doc:find("`" .. p.name .. "`", 1, true), "README, " .. ep.name .. ": `" .. p.name .. "`")
        end
        n = n + 1
      end
      local overload = "%-%-%-@overload fun%(self: clickup%.Client,[^\n]*callback: clickup%.Callback%): clickup%.Handle"
      assert(text:find(overload), ep.name .. ": the callback form")
    end
    assert.is_true(n > 60, n)
  end)

  it("every field of the typed results", function()
    local classes = { entry = "clickup.Entry", task = "clickup.Task", user = "clickup.User", tag = "clickup.Tag",
                      interval = "clickup.Interval", location = "clickup.Location", usertime = "clickup.UserTime",
                      team = "clickup.Team" }
    for obj, class in pairs(classes) do
      local at = assert(types:find("---@class " .. class .. "\n", 1, true), class)
      local body = types:sub(at):match("^[^\n]*\n(.-)\n[^%-]") or ""
      for _, f in ipairs(clickup.core.fields[obj]) do
        assert(body:find("---@field " .. f.name .. "?", 1, true) or body:find("---@field " .. f.name .. " ", 1, true),
               class .. " lacks " .. f.name)
      end
    end
    assert.truthy(types:find("---@field strict? boolean", 1, true))
    assert.truthy(readme:find("client:anomalies()", 1, true))
    assert.truthy(readme:find("| `strict` |", 1, true))
  end)
end)
