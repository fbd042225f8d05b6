-- Regressions found by the fuzzer (spec/fuzz/fuzz_decode.c). Each input is
-- kept in spec/fuzz/regressions/ and also seeds the fuzzer's corpus.

local clickup = require "clickup.time"

local decode = clickup.core.decode

local function input(name)
  local f = assert(io.open("spec/fuzz/regressions/" .. name, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

describe("fuzzer regressions", function()
  it("delete: a single-object answer whose entry fails to map (crashed in lua_rawseti)", function()
    local r, err = decode("delete", input("delete-single-object-bad-field.json"))
    assert.is_nil(r)
    assert.are.equal("bad_shape", err.code)
    r, err = decode("delete", '{"data":{"id":"1","start":"x"}}')
    assert.is_nil(r)
    assert.are.equal("unexpected answer: data.start: expected an integer, got a string that is not one",
                     err.message)
  end)

  it("a single-entry answer cut after \"data\": (the fused decoder read past the end)", function()
    for _, name in ipairs{ "entry", "current", "update", "stop" } do
      local r, err = decode(name, input("single-data-at-end.json"), 200, "fused")
      assert.is_nil(r)
      assert.are.equal("bad_json", err.code)
      assert.is_nil(decode(name, input("single-data-at-end.json")))
    end
  end)

  it("every endpoint survives every regression input", function()
    local names = {}
    for _, ep in ipairs(clickup.endpoints) do names[#names + 1] = ep.name end
    for _, file in ipairs{ "delete-single-object-bad-field.json", "single-data-at-end.json" } do
      local body = input(file)
      for _, name in ipairs(names) do
        for _, status in ipairs{ 200, 401 } do
          for _, how in ipairs{ "both", "fused", "reference" } do
            local r, err = decode(name, body, status, how)
            assert.is_true(r ~= nil or clickup.is_error(err), name)
          end
        end
      end
    end
  end)
end)
