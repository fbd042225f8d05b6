--- clickup.time.write: the writes straight on ClickUp, as the journal's
-- operations name them (clickup.time.journal), over get(method, ...), a
-- call of a client method that returns result or nil, err:
--
--   start(get, fields)             fields as client:start takes them, and `at`
--   stop(get, { at =, target = })  the running entry, stopped (at `at`)
--   cancel(get, { target = })      the running timer's entry, deleted
--   log(get, fields)               client:create
--   edit(get, id, fields, { add_tags =, remove_tags = })
--   delete(get, ids)
--
-- The `clickup-time` command uses them with its journal off; the journal
-- replays its edits with edit().

local type, pairs, ipairs, tostring = type, pairs, ipairs, tostring
local max = math.max

--- The names of an entry's tags.
local function tag_names(e)
  local out = {}
  for _, t in ipairs(type(e.tags) == "table" and e.tags or {}) do
    out[#out + 1] = type(t) == "table" and t.name or tostring(t)
  end
  return out
end

local Write = {}

--- start(fields): fields as client:start takes them, and `at` (a past time:
-- ClickUp starts timers only now, so the running entry is created directly,
-- in ClickUp's own form of a running entry: a negative duration).
function Write.start(get, fields)
  local f = {}
  for k, v in pairs(fields) do f[k] = v end
  local at = f.at
  f.at = nil
  if not at then return get("start", f) end
  f.start, f.duration = at, -max(require("clickup.time").now_ms() - at, 1)
  return get("create", f)
end

-- the running timer: opts.target (what the command read), else ClickUp's; false when none
local function running_of(get, opts)
  if opts.target ~= nil then return opts.target end
  return get("current")
end

--- stop{ at }: the running entry, stopped (at `at`: its end sent with its
-- start, as ClickUp wants); false when none ran.
function Write.stop(get, opts)
  opts = opts or {}
  if not opts.at then return get("stop") end
  local running, err = running_of(get, opts)
  if not running then return running, err end
  local r, uerr = get("update", running.id, { start = running.start, ["end"] = opts.at })
  if not r then return nil, uerr end
  local e = type(r) == "table" and r or running
  e["end"] = e["end"] or opts.at
  return e
end

--- cancel{}: the running timer's entry, deleted; false when none ran.
function Write.cancel(get, opts)
  local running, err = running_of(get, opts or {})
  if not running then return running, err end
  local r, derr = get("delete", { running.id })
  if not r then return nil, derr end
  return r[1] or running
end

--- log(fields): a manual entry, as client:create takes it.
function Write.log(get, fields) return get("create", fields) end

--- edit(id, fields, { add_tags =, remove_tags = }): fields as client:update
-- takes them (tags: the new set); tags to add or remove besides. Both, or
-- with a new set: the resulting set, replaced at once (the entry is read).
function Write.edit(get, id, fields, opts)
  opts = opts or {}
  local f = {}
  for k, v in pairs(fields) do f[k] = v end
  local add, remove = opts.add_tags or {}, opts.remove_tags or {}
  if f.tags then f.tag_action = "replace" end
  if #add > 0 or #remove > 0 then
    if not f.tags and #remove == 0 then
      f.tags, f.tag_action = add, "add"
    elseif not f.tags and #add == 0 then
      f.tags, f.tag_action = remove, "remove"
    else
      local base = f.tags
      if not base then
        local e, err = get("entry", id)
        if not e then return nil, err end
        base = tag_names(e)
      end
      local set, order = {}, {}
      for _, n in ipairs(base) do if not set[n] then set[n] = true; order[#order + 1] = n end end
      for _, n in ipairs(add) do if not set[n] then set[n] = true; order[#order + 1] = n end end
      for _, n in ipairs(remove) do set[n] = nil end
      local final = {}
      for _, n in ipairs(order) do if set[n] then final[#final + 1] = n end end
      f.tags, f.tag_action = final, "replace"
    end
  end
  return get("update", id, f)
end

--- delete(ids): the deleted entries.
function Write.delete(get, ids) return get("delete", ids) end

Write.tag_names = tag_names

return Write
