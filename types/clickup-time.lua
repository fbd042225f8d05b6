---@meta clickup.time
-- LuaLS annotations for clickup-time. Installed with the rock under its
-- types/ folder; add that folder to the language server's
-- `workspace.library` (Neovim users: lua_ls settings) for completion and checks.

---@class clickup.Task
---@field id string
---@field name? string
---@field custom_id? string
---@field custom_type? integer
---@field status? { status: string, color?: string, type?: string, orderindex?: integer, id?: string }

---@class clickup.User
---@field id integer
---@field username? string
---@field email? string
---@field color? string
---@field initials? string
---@field profilePicture? string
---@field timezone? string

---@class clickup.Tag
---@field name string
---@field tag_bg? string
---@field tag_fg? string
---@field creator? integer

---@alias clickup.TagSpec string|{ name: string, tag_bg?: string, tag_fg?: string }

---@class clickup.Location
---@field list_id? string
---@field folder_id? string
---@field space_id? string
---@field list_name? string
---@field folder_name? string
---@field space_name? string

---A time entry: plain table, real types, whatever form ClickUp used.
---@class clickup.Entry
---@field id string 19-digit id, always a string
---@field wid? string workspace id
---@field task? clickup.Task absent when the entry has no (readable) task
---@field user? clickup.User
---@field billable? boolean
---@field start integer ms since the epoch (UTC)
---@field end? integer absent while the timer runs
---@field duration? integer ms; negative while running
---@field description? string
---@field tags? clickup.Tag[]
---@field task_tags? clickup.Tag[]
---@field source? string
---@field at? integer last change, ms
---@field is_locked? boolean
---@field approval_id? string
---@field task_location? clickup.Location
---@field task_url? string
local Entry = {}

---True while the timer runs (no end yet).
---@return boolean
function Entry:is_running() end

---Milliseconds tracked; live (now - start) for a running timer.
---@param now_ms? integer
---@return integer
function Entry:elapsed(now_ms) end

---A failure of the world (never raised: returned as the second value).
---@class clickup.Error
---@field kind "api"|"transport"|"decode"
---@field code string ECODE ("OAUTH_025"...), "HTTP_<status>", "timeout", "connect", "resolve", "tls", "network", "cancelled", "bad_json", "bad_shape", "too_large"
---@field message string
---@field status? integer HTTP status
---@field method? string
---@field path? string no host, no query, never the token
---@field curl? string libcurl's name of a transport failure
---@field sent? boolean false: the request never left
---@field retry_after? integer seconds, after a 429
---@field outcome? "unknown"|"none" a POST whose answer was lost

---@class clickup.RetryInfo
---@field name string
---@field method string
---@field attempt integer
---@field reason string "429", "rate_limit", "status_503", "timeout", "reconcile", "resend", ...
---@field delay number seconds
---@field error? clickup.Error

---@class clickup.Options
---@field token? string default $CLICKUP_TOKEN; pk_... sent bare, else Bearer
---@field team_id? string|integer default $CLICKUP_TEAM_ID
---@field base_url? string default $CLICKUP_BASE_URL or https://api.clickup.com/api/v2
---@field timeout? number seconds (30)
---@field connect_timeout? number seconds (10)
---@field stall_timeout? number seconds without a byte (15)
---@field max_response? integer bytes (64 MiB)
---@field ca_file? string
---@field ca_path? string
---@field allow_insecure_http? boolean
---@field retries? integer (3)
---@field backoff? number base seconds (0.5)
---@field max_wait? number seconds (60)
---@field on_retry? fun(info: clickup.RetryInfo)
---@field sleep? fun(seconds: number)

---@class clickup.Handle
local Handle = {}
---Abandon the call: its callback gets nil and an error with code "cancelled".
---@return boolean
function Handle:cancel() end
---@return boolean
function Handle:done() end

---@alias clickup.Callback fun(result: any, err: clickup.Error?)

---Every method blocks, or with a callback as its last argument returns a Handle at once.
---@class clickup.Client
---@field team_id? string
---@field base_url string
local Client = {}

---Without start_date/end_date: the last 30 days until now, sent explicitly. Long ranges are fetched in parallel windows.
---With range ("this week", or { from_ms, to_ms }): every entry overlapping the period, whole, fetched margin_days (7) early.
---@param params? { range?: string|integer[], week_start?: string|integer, margin_days?: number, progress?: fun(done: integer, total: integer), window_days?: number, start_date?: integer|string, end_date?: integer|string, assignee?: integer|integer[]|string|"all", include_task_tags?: boolean, include_location_names?: boolean, include_approval_history?: boolean, include_approval_details?: boolean, space_id?: string|integer, folder_id?: string|integer, list_id?: string|integer, task_id?: string, custom_task_ids?: boolean, is_billable?: boolean, team_id?: string|integer }
---@return clickup.Entry[]|nil entries
---@return clickup.Error? err
function Client:entries(params) end

---@param timer_id string
---@param params? { include_task_tags?: boolean, include_location_names?: boolean, include_approval_history?: boolean, include_approval_details?: boolean, team_id?: string|integer }
---@return clickup.Entry|nil
---@return clickup.Error? err
function Client:entry(timer_id, params) end

---@param fields { start: integer, duration?: integer, end?: integer, stop?: integer, description?: string, billable?: boolean, tags?: clickup.TagSpec[], assignee?: integer, tid?: string, custom_task_ids?: boolean, team_id?: string|integer }
---@return clickup.Entry|nil
---@return clickup.Error? err
function Client:create(fields) end

---@param timer_id string
---@param fields { description?: string, tags?: clickup.TagSpec[], tag_action?: "replace"|"add"|"remove", start?: integer, end?: integer, tid?: string, billable?: boolean, duration?: integer, custom_task_ids?: boolean, team_id?: string|integer }
---@return clickup.Entry|true|nil
---@return clickup.Error? err
function Client:update(timer_id, fields) end

---@param timer_ids string|string[]
---@return clickup.Entry[]|nil deleted
---@return clickup.Error? err
function Client:delete(timer_ids) end

---@param timer_id string
---@return table[]|nil
---@return clickup.Error? err
function Client:history(timer_id) end

---@param params? { assignee?: integer, team_id?: string|integer }
---@return clickup.Entry|false|nil running entry, or false when none runs
---@return clickup.Error? err
function Client:current(params) end

---@param fields? { tid?: string, description?: string, billable?: boolean, tags?: clickup.TagSpec[], custom_task_ids?: boolean, timer_id?: string, team_id?: string|integer }
---@return clickup.Entry|nil
---@return clickup.Error? err
function Client:start(fields) end

---@return clickup.Entry|false|nil stopped entry, or false when none ran
---@return clickup.Error? err
function Client:stop() end

---@return clickup.Tag[]|nil
---@return clickup.Error? err
function Client:tags() end

---@param timer_ids string|string[]
---@param tags clickup.TagSpec[]
---@return true|nil
---@return clickup.Error? err
function Client:add_tags(timer_ids, tags) end

---@param timer_ids string|string[]
---@param tags clickup.TagSpec[]
---@return true|nil
---@return clickup.Error? err
function Client:remove_tags(timer_ids, tags) end

---@param name string
---@param new_name string
---@param colours? { tag_bg?: string, tag_fg?: string }
---@return true|nil
---@return clickup.Error? err
function Client:rename_tag(name, new_name, colours) end

---@param task_id string
---@param params? { custom_task_ids?: boolean, team_id?: string|integer }
---@return { user: clickup.User, time: integer, intervals: { id: string, start?: integer, end?: integer, time: integer, date_added?: integer, source?: string }[] }[]|nil
---@return clickup.Error? err
function Client:task_time(task_id, params) end

---@param task_id string
---@param fields { start?: integer, end?: integer, time?: integer, custom_task_ids?: boolean }
---@return { id: string }|nil
---@return clickup.Error? err
function Client:add_task_time(task_id, fields) end

---@param task_id string
---@param interval_id string
---@param fields { start?: integer, end?: integer, time?: integer, custom_task_ids?: boolean }
---@return true|nil
---@return clickup.Error? err
function Client:update_task_time(task_id, interval_id, fields) end

---@param task_id string
---@param interval_id string
---@return true|nil
---@return clickup.Error? err
function Client:delete_task_time(task_id, interval_id) end

---Get authorized workspaces (GET /team), with their members.
---@return { id: string, name?: string, members?: { user: clickup.User }[] }[]|nil
---@return clickup.Error? err
function Client:teams() end

---@return { limit?: integer, remaining?: integer, reset?: integer }|nil
function Client:rate_limit() end

---Move non-blocking calls on, waiting at most timeout_ms (0); returns how many still run.
---@param timeout_ms? integer
---@return integer
function Client:poll(timeout_ms) end

---Run until no non-blocking call runs (or timeout_ms passed); returns how many still run.
---@param timeout_ms? integer
---@return integer
function Client:wait(timeout_ms) end

---Run calls concurrently: { {"entries", params}, {"entry", id}, ... }.
---@param calls table[]
---@param max_concurrency? integer (8)
---@param callback? fun(results: table, errors: table)
---@return table results
---@return table errors
function Client:parallel(calls, max_concurrency, callback) end

function Client:close() end

---The arguments of a call as the method would send them (human times made
---milliseconds), checked: a mistake raises. For layers that record a call
---before making it (clickup.time.journal).
---@param name string a method's name ("start", "create", ...)
---@return any ... the arguments, converted
function Client:prepare(name, ...) end

---@class clickup.time
---@field VERSION string
---@field Entry table
---@field Error table
local clickup = {}

---@param opts? clickup.Options
---@return clickup.Client
function clickup.new(opts) end

---@return integer ms since the epoch
function clickup.now_ms() end

---@param x any
---@param kind? string
---@return boolean
function clickup.is_error(x, kind) end

---@param codec { decode: fun(s: string): any, null: any }
function clickup.set_json(codec) end

return clickup
