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
