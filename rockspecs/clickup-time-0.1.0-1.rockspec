rockspec_format = "3.0"
package = "clickup-time"
version = "0.1.0-1"

source = {
  url = "git+https://github.com/clickup-time/clickup-time.git",
  tag = "v0.1.0",
}

description = {
  summary = "ClickUp Time Tracking API client: libcurl and lua-cjson under a small Lua API",
  detailed = [[
Every ClickUp time-tracking endpoint from Lua: entries, timers, tags and the
legacy task time, returned as plain Lua tables with real types, or nil and a
structured error. Ships a local ClickUp-compatible server for tests.
]],
  homepage = "https://github.com/clickup-time/clickup-time",
  license = "MIT",
}

dependencies = {
  "lua >= 5.1",
  "lua-cjson",
}
-- Optional: argparse (the clickup-time command), luasocket (the local
-- server), luv (event loops); Debian: lua-argparse, lua-socket, lua-luv.

-- Debian keeps curl's headers in a multiarch folder that the compiler finds
-- but LuaRocks' header check does not, so libcurl is declared by its library.
external_dependencies = {
  CURL = { library = "curl" },
}

test_dependencies = { "busted" }
test = { type = "busted" }

build = {
  type = "builtin",
  -- LuaLS annotations (---@meta): point the language server's workspace.library here
  copy_directories = { "types" },
  install = { bin = { ["clickup-time"] = "bin/clickup-time" } },
  modules = {
    ["clickup.time.core"] = {
      sources = {
        "src/ct_answer.c", "src/ct_buf.c", "src/ct_client.c", "src/ct_core.c",
        "src/ct_decode.c", "src/ct_endpoints.c", "src/ct_error.c", "src/ct_fields.c",
        "src/ct_json.c", "src/ct_map.c", "src/ct_request.c", "src/ct_transfer.c",
      },
      incdirs = { "src" },
      libraries = { "curl" },
      libdirs = { "$(CURL_LIBDIR)" },
    },
    ["clickup.time"] = "lua/clickup/time/init.lua",
    ["clickup.time.demo"] = "lua/clickup/time/demo.lua",
    ["clickup.time.budget"] = "lua/clickup/time/budget.lua",
    ["clickup.time.policy"] = "lua/clickup/time/policy.lua",
    ["clickup.time.reconcile"] = "lua/clickup/time/reconcile.lua",
    ["clickup.time.runner"] = "lua/clickup/time/runner.lua",
    ["clickup.time.scheduler"] = "lua/clickup/time/scheduler.lua",
    ["clickup.time.uv"] = "lua/clickup/time/uv.lua",
    ["clickup.time.nvim"] = "lua/clickup/time/nvim.lua",
    ["clickup.time.duration"] = "lua/clickup/time/duration.lua",
    ["clickup.time.when"] = "lua/clickup/time/when.lua",
    ["clickup.time.forms"] = "lua/clickup/time/forms.lua",
    ["clickup.time.fetch"] = "lua/clickup/time/fetch.lua",
    ["clickup.time.report"] = "lua/clickup/time/report.lua",
    ["clickup.time.json"] = "lua/clickup/time/json.lua",
    ["clickup.time.cli"] = "lua/clickup/time/cli.lua",
    ["clickup.time.taskref"] = "lua/clickup/time/taskref.lua",
    ["clickup.time.fake"] = "lua/clickup/time/fake/init.lua",
    ["clickup.time.fake.api"] = "lua/clickup/time/fake/api.lua",
    ["clickup.time.fake.control"] = "lua/clickup/time/fake/control.lua",
    ["clickup.time.fake.entries"] = "lua/clickup/time/fake/entries.lua",
    ["clickup.time.fake.errors"] = "lua/clickup/time/fake/errors.lua",
    ["clickup.time.fake.http"] = "lua/clickup/time/fake/http.lua",
    ["clickup.time.fake.json"] = "lua/clickup/time/fake/json.lua",
    ["clickup.time.fake.legacy"] = "lua/clickup/time/fake/legacy.lua",
    ["clickup.time.fake.ratelimit"] = "lua/clickup/time/fake/ratelimit.lua",
    ["clickup.time.fake.state"] = "lua/clickup/time/fake/state.lua",
    ["clickup.time.fake.util"] = "lua/clickup/time/fake/util.lua",
    ["clickup.time.fake.view"] = "lua/clickup/time/fake/view.lua",
  },
}
