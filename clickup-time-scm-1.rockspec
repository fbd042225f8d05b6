rockspec_format = "3.0"
package = "clickup-time"
version = "scm-1"

source = {
  url = "git+https://github.com/clickup-time/clickup-time.git",
}

description = {
  summary = "ClickUp Time Tracking API client: libcurl and lua-cjson under a small Lua API, with a Neovim plugin",
  detailed = [[
Every ClickUp time-tracking endpoint from Lua: entries, timers, tags and the
legacy task time, returned as plain Lua tables with real types, or nil and a
structured error. Non-blocking calls on any libuv loop, a Neovim plugin
(:ClickUp, :checkhealth, :help), the clickup-time command, reports for
invoices, and a local ClickUp-compatible server for tests.
]],
  homepage = "https://github.com/clickup-time/clickup-time",
  license = "MIT",
  labels = { "neovim", "clickup", "time-tracking", "http" },
}

supported_platforms = { "unix" }

dependencies = {
  "lua >= 5.1",
  "lua-cjson",          -- the reference JSON path (the core decodes by itself without it)
  "argparse",           -- the clickup-time command
  "luasocket",          -- the local ClickUp server (clickup.time.fake)
}
-- Optional: luv (clickup.time.uv outside Neovim); Debian: lua-luv.

-- Debian keeps curl's headers in a multiarch folder that the compiler finds
-- but LuaRocks' header check does not, so libcurl is declared by its library.
external_dependencies = {
  CURL = { library = "curl" },
}

-- `luarocks test` runs busted from the PATH (the .busted file: Lua 5.4, the
-- core built by `make`). Not the "busted" test type nor test_dependencies:
-- with those LuaRocks insists on installing busted from its registry even
-- when it is installed (Debian's lua-busted), and fails offline.
test = { type = "command", command = "busted" }

-- The Makefile builds the core in a temporary folder outside the checkout
-- and installs it with the Lua modules: `luarocks make` leaves nothing
-- built behind (a stale core in the checkout would be loaded by the next
-- Lua or Neovim started there).
build = {
  type = "make",
  build_pass = false,
  install_target = "rock-install",
  build_variables = { CFLAGS = "$(CFLAGS)" },
  install_variables = {
    INST_LIBDIR = "$(LIBDIR)",
    INST_LUADIR = "$(LUADIR)",
    INST_PREFIX = "$(PREFIX)",     -- the rock's folder: man/man1/clickup-time.1, completions/
    LUA = "$(LUA)",
    LUA_INCDIR = "$(LUA_INCDIR)",
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    CURL_INCDIR = "$(CURL_INCDIR)",
    CURL_LIBDIR = "$(CURL_LIBDIR)",
  },
  install = { bin = { ["clickup-time"] = "bin/clickup-time" } },
  -- doc/ and plugin/ for Neovim (rocks.nvim, lazy.nvim), types/ for LuaLS
  copy_directories = { "doc", "plugin", "types" },
}
