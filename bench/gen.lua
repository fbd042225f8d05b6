--- bench/gen.lua: realistic `GET /team/{team_id}/time_entries` bodies for
-- the benchmark (bench/run.lua), deterministic (a seeded LCG of its own,
-- so every Lua and every run writes the same bytes).
--
--   lua5.4 bench/gen.lua [OUT_DIR [SIZE ...]]
--
-- Writes OUT_DIR/time_entries-<n>.json (default build/bench/www, sizes
-- 1 100 1000 10000 100000). The entries follow the real list answer
-- (clickup-api-notes.md 4.1, 5.1): 19-digit string ids, start/end/duration/at
-- as strings, a task object with a status (sometimes absent, rarely the
-- junk "0"), a user object, task_location ids as strings (sometimes null),
-- time-entry tags, task_url, is_locked, approval_id (mostly null), a few
-- running timers (no end, negative duration), descriptions with escapes
-- and UTF-8. The file for n entries is the first n entries of one stream.

local out_dir = arg[1] or "build/bench/www"
local sizes = {}
for i = 2, #arg do sizes[#sizes + 1] = assert(tonumber(arg[i]), "bad size " .. arg[i]) end
if #sizes == 0 then sizes = { 1, 100, 1000, 10000, 100000 } end
table.sort(sizes)
local max_n = sizes[#sizes]

-- Park-Miller style LCG on integers below 2^31 (exact on every Lua, doubles too)
local seed = 20240917
local function rnd(n)                       -- 1..n
  seed = (seed * 48271) % 2147483647
  return seed % n + 1
end
local function chance(p) return rnd(1000000) <= p * 1000000 end
local function pick(t) return t[rnd(#t)] end
local function digits(n)
  local t = { tostring(rnd(9)) }
  for i = 2, n do t[i] = tostring(rnd(10) - 1) end
  return table.concat(t)
end
local ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz"
local function alnum(n)
  local t = {}
  for i = 1, n do local k = rnd(#ALNUM); t[i] = ALNUM:sub(k, k) end
  return table.concat(t)
end

local ESC = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function str(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESC[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

-- {====== pools: what a workspace of a few dozen people looks like
local COLORS = { "#d60800", "#1090e0", "#595d66", "#7b68ee", "#ff7800", "#0f9d9f", "#e50000", "#81b1ff" }
local FIRST = { "Ana", "Björn", "Chloé", "Dmitri", "Emeka", "Fatima", "Giulia", "Hiro", "Ines", "Jonas",
                "Kateřina", "Liam", "Maya", "Nikhil", "Olga", "Pedro", "Quynh", "Rosa", "Sven", "Tomás" }
local LAST = { "Almeida", "Berg", "Costa", "Dubois", "Eze", "Fischer", "García", "Hansen", "Ivanova",
               "Jensen", "Kowalski", "López", "Müller", "Nakamura", "O'Brien", "Petrov", "Rossi", "Silva" }
local users = {}
for i = 1, 40 do
  local first, last = pick(FIRST), pick(LAST)
  users[i] = string.format(
    '{"id":%d,"username":%s,"email":%s,"color":%s,"initials":%s,"profilePicture":%s}',
    rnd(89999999) + 10000000, str(first .. " " .. last),
    str((first .. "." .. last):lower():gsub("[^%w.]", "") .. i .. "@example.com"),
    chance(0.15) and "null" or str(pick(COLORS)),
    str(first:sub(1, 1) .. last:sub(1, 1)),
    chance(0.5) and "null"
      or str("https://attachments.clickup.com/profilePictures/" .. digits(8) .. "_" .. alnum(3) .. ".jpg"))
end

local STATUSES = {
  { "to do", "#d3d3d3", "open", 0 }, { "in progress", "#1090e0", "custom", 1 },
  { "review", "#ff7800", "custom", 2 }, { "blocked", "#e50000", "custom", 3 },
  { "complete", "#008844", "closed", 4 }, { "backlog", nil, "open", 0 },
}
local VERBS = { "Fix", "Review", "Design", "Write", "Refactor", "Investigate", "Plan", "Test", "Deploy", "Document" }
local THINGS = { "login flow", "billing export", "API rate limits", "onboarding emails", "search index",
                 "mobile layout", "CSV import", "audit log", "dark mode", "timesheet report",
                 "webhook retries", "SSO with Okta", "release notes", "cache invalidation" }
local spaces = {}
for i = 1, 6 do spaces[i] = digits(11) end
local tasks = {}
for i = 1, 500 do
  local id = "86" .. alnum(7)
  local s = pick(STATUSES)
  local name = pick(VERBS) .. " " .. pick(THINGS) .. (chance(0.2) and " (\"v2\")" or "") ..
               (chance(0.1) and " — follow-up" or "")
  local status = string.format('{"status":%s,"color":%s,"type":%s,"orderindex":%d}',
    str(s[1]), s[2] and str(s[2]) or "null", str(s[3]), s[4])
  local custom = chance(0.2) and (',"custom_id":' .. str("ENG-" .. rnd(9999))) or ""
  local task = string.format('{"id":%s,"name":%s,"status":%s%s,"custom_type":null}', str(id), str(name),
    status, custom)
  local loc
  if chance(0.02) then
    loc = '{"list_id":null,"folder_id":null,"space_id":null}'
  else
    loc = string.format('{"list_id":"%s","folder_id":"%s","space_id":"%s"}', digits(12), digits(12), pick(spaces))
  end
  tasks[i] = { id = id, json = task, loc = loc }
end

local DESCRIPTIONS = { "Pairing with the team", "Standup", "Code review for PR #%d", "Call with customer",
  "Meeting notes:\n- agreed on scope\n- next steps", "Tracked from the \"Pomodoro\" extension",
  "Réunion d'équipe", "Bugfix %d: null pointer in export", "Deep work ☕", "Support ticket #%d",
  "Sprint planning", "Writing docs\tand examples" }
local TAG_NAMES = { "meeting", "deep-work", "support", "overtime", "internal", "client-a", "client-b", "research" }
local tags = {}
for i, name in ipairs(TAG_NAMES) do
  tags[i] = string.format('{"name":%s,"tag_fg":%s,"tag_bg":%s,"creator":%d}', str(name),
    str(pick(COLORS)), str(pick(COLORS)), rnd(89999999) + 10000000)
end
local SOURCES = { "clickup", "clickup", "clickup", "clickup_automatic", "clickup_automatic", "api",
                  "api_automatic", "clickup_mobile" }
-- }======

local function description()
  if chance(0.3) then return '""' end
  return str(string.format(pick(DESCRIPTIONS), rnd(9999)))
end

local function tag_list()
  if chance(0.6) then return "[]" end
  local t, k, o = {}, rnd(3), rnd(#tags)
  for i = 1, k do t[i] = tags[(o + i) % #tags + 1] end
  return "[" .. table.concat(t, ",") .. "]"
end

local clock = 1704067200000              -- 2024-01-01, going forward
local id_base = 4927022626604154715 // 1000000   -- 19-digit ids: prefix + counter
local function entry(i)
  local user = pick(users)
  local task, task_json, loc, url
  local r = rnd(1000)
  if r <= 50 then                        -- no task: the key is absent
    task_json, loc, url = "", '{}', '"https://app.clickup.com/t/null"'
  elseif r <= 55 then                    -- ClickUp's junk for a task one cannot see
    task_json, loc, url = ',"task":"0"', '{}', '"https://app.clickup.com/t/null"'
  else
    task = pick(tasks)
    task_json, loc, url = ',"task":' .. task.json, task.loc, str("https://app.clickup.com/t/" .. task.id)
  end
  clock = clock + rnd(3600000)
  local start = clock
  local running = chance(0.002)
  local dur = running and -rnd(3600000) or rnd(4 * 3600000)
  local id = string.format("%d%06d", id_base + i // 1000000, i % 1000000)
  local times
  if running then
    times = string.format('"start":"%d","duration":"%d"', start, dur)
  else
    times = string.format('"start":"%d","end":"%d","duration":"%d"', start, start + dur, dur)
  end
  return string.format(
    '{"id":"%s"%s,"wid":"9012345","user":%s,"billable":%s,%s,"description":%s,"tags":%s,' ..
    '"source":%s,"at":"%d","is_locked":%s,"approval_id":%s,"task_location":%s,"task_url":%s}',
    id, task_json, user, chance(0.4) and "true" or "false", times, description(), tag_list(),
    str(pick(SOURCES)), start + math.abs(dur) + rnd(60000), chance(0.05) and "true" or "false",
    chance(0.1) and str(string.format("%08x-%04x-%04x-%04x-%s", rnd(2147483646), rnd(65535), rnd(65535),
      rnd(65535), alnum(12))) or "null",
    loc, url)
end

local pending = {}
for _, n in ipairs(sizes) do pending[n] = true end
local files = {}
for _, n in ipairs(sizes) do
  files[n] = assert(io.open(out_dir .. "/time_entries-" .. n .. ".json", "wb"))
  files[n]:write('{"data":[')
end
for i = 1, max_n do
  local e = entry(i)
  for n, f in pairs(files) do
    if i <= n then f:write(i > 1 and "," or "", e) end
  end
end
for n, f in pairs(files) do
  f:write("]}\n")
  assert(f:close())
  pending[n] = nil
end
assert(next(pending) == nil)
io.write("gen: ", #sizes, " bodies in ", out_dir, "\n")
