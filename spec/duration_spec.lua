-- clickup.time.duration: parse, format, hours.

local duration = require "clickup.time.duration"

local S, M, H = 1000, 60000, 3600000

describe("duration.parse", function()
  it("reads every form", function()
    local cases = {
      { "1h30m", H + 30 * M },
      { "1h 30m", H + 30 * M },
      { " 1H 30M ", H + 30 * M },
      { "90m", 90 * M },
      { "1.5h", 90 * M },
      { ".5h", 30 * M },
      { "45s", 45 * S },
      { "250ms", 250 },
      { "2h5s", 2 * H + 5 * S },
      { "2:15", 2 * H + 15 * M },
      { "1:30", 90 * M },
      { "0:05", 5 * M },
      { "2:15:30", 2 * H + 15 * M + 30 * S },
      { "10:00:00", 10 * H },
      { "90", 90 * M },               -- a bare number is minutes
      { "1.5", 90 * S },
      { "0", 0 },
      { "0m", 0 },
      { "1h30", H + 30 * M },         -- a trailing number is the next smaller unit
      { "2m30", 2 * M + 30 * S },
      { "2d", 2 * 24 * H },
      { "1d2", 26 * H },
      { "1 hour 30 minutes", H + 30 * M },
      { "2 hours", 2 * H },
      { "1 hr 5 mins", H + 5 * M },
      { "10 sec", 10 * S },
      { "3 days", 3 * 24 * H },
      { "0.0005s", 1 },               -- rounded to whole milliseconds
      { "0.0004s", 0 },
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], duration.parse(c[1]), c[1])
    end
  end)

  it("passes non-negative integer milliseconds through", function()
    assert.are.equal(5400000, duration.parse(5400000))
    assert.are.equal(0, duration.parse(0))
    assert.is_nil(duration.parse(-1))
    assert.is_nil(duration.parse(1.5))
    assert.is_nil(duration.parse(math.huge))
    assert.is_nil(duration.parse(0 / 0))
  end)

  it("returns integers", function()
    if math.type then
      assert.are.equal("integer", math.type(duration.parse("1.5h")))
      assert.are.equal("integer", math.type(duration.parse("2:15")))
    end
  end)

  it("rejects what is not a duration, saying why", function()
    local cases = {
      { "", "empty duration" },
      { "   ", "empty duration" },
      { "abc", "not a duration: abc" },
      { "h", "not a duration: h" },
      { "1x", "unknown unit in 1x" },
      { "1 fortnight", "unknown unit" },
      { "1.2.3", "not a duration" },
      { "-1h", "not a duration" },
      { "1ms30", "a unit is missing in 1ms30" },
      { "1s30", "a unit is missing" },
      { "1h30m20s10", "a unit is missing" },
      { "2:60", "minutes and seconds go up to 59 in 2:60" },
      { "2:15:60", "minutes and seconds go up to 59" },
      { "2:1530", "not a duration" },
      { "2:15:", "not a duration" },
      { ":30", "not a duration" },
      { "1:2:3:4", "not a duration" },
    }
    for _, c in ipairs(cases) do
      local v, err = duration.parse(c[1])
      assert.is_nil(v, c[1])
      assert.matches(c[2], err, 1, true)
    end
    assert.matches("a duration is a string", select(2, duration.parse(nil)), 1, true)
    assert.matches("a duration is a string", select(2, duration.parse({})), 1, true)
    assert.matches("non-negative integer", select(2, duration.parse(-5)), 1, true)
  end)
end)

describe("duration.format", function()
  it("writes hours and minutes, seconds under a minute", function()
    assert.are.equal("1h 30m", duration.format(5400000))
    assert.are.equal("45m", duration.format(45 * M))
    assert.are.equal("2h 05m", duration.format(2 * H + 5 * M))
    assert.are.equal("30s", duration.format(30 * S))
    assert.are.equal("0s", duration.format(0))
    assert.are.equal("0s", duration.format(nil))
    assert.are.equal("1m", duration.format(M))
    assert.are.equal("1h 00m", duration.format(H))
    assert.are.equal("100h 00m", duration.format(100 * H))
  end)

  it("rounds to the nearest second or minute", function()
    assert.are.equal("0s", duration.format(499))
    assert.are.equal("1s", duration.format(500))
    assert.are.equal("59s", duration.format(59499))
    assert.are.equal("1m", duration.format(59500))   -- not "60s"
    assert.are.equal("1m", duration.format(89999))
    assert.are.equal("2m", duration.format(90000))
    assert.are.equal("1h 00m", duration.format(H - 30 * S))
    assert.are.equal("59m", duration.format(H - 31 * S))
    assert.are.equal("2h 06m", duration.format(2 * H + 5 * M + 30 * S))
    assert.are.equal("1s", duration.format(1000.9))
  end)

  it("writes negative durations with a minus sign", function()
    assert.are.equal("-1h 30m", duration.format(-5400000))
    assert.are.equal("-45m", duration.format(-45 * M))
    assert.are.equal("-30s", duration.format(-30 * S))
    assert.are.equal("-1m", duration.format(-59500))
  end)

  it("reads back what it writes", function()
    for _, v in ipairs{ 0, 30 * S, 45 * M, H, 5400000, 2 * H + 5 * M, 100 * H } do
      assert.are.equal(v, duration.parse(duration.format(v)), duration.format(v))
    end
  end)
end)

describe("duration.hours", function()
  it("gives decimal hours, 2 decimals by default", function()
    assert.are.equal(1.5, duration.hours(5400000))
    assert.are.equal(0, duration.hours(0))
    assert.are.equal(0.25, duration.hours(15 * M))
    assert.are.equal(0.33, duration.hours(20 * M))
    assert.are.equal(0.67, duration.hours(40 * M))
    assert.are.equal(0.01, duration.hours(18 * S))   -- 0.005 h rounds up
    assert.are.equal(0, duration.hours(17 * S))
    assert.are.equal(-1.5, duration.hours(-5400000))
  end)

  it("takes the number of decimals", function()
    assert.are.equal(0.333, duration.hours(20 * M, 3))
    assert.are.equal(2, duration.hours(90 * M, 0))
    assert.are.equal(1, duration.hours(89 * M, 0))
    assert.are.equal(1.5, duration.hours(5400000, 1))
  end)
end)
