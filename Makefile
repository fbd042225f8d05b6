# clickup-time: developer Makefile. LuaRocks users: luarocks make (see README).
#
#   make            build the C core for Lua $(LUA_VERSION) into build/$(LUA_VERSION), and the
#                   command's man page and shell completions into build/man, build/completions
#   make nvim       build the core for Neovim (LuaJIT's 5.1 ABI) into lua/clickup/time/core.so,
#                   where Neovim's runtimepath loader finds it (lazy.nvim: build = "make nvim")
#   make test       deps, build with -Werror, luacheck, the busted suite (and the mapping,
#                   CLI and Neovim specs once more against the realistic local server), the rock
#   make demo       the main job against the local ClickUp server
#   make check      luacheck only
#   make asan       the suite against the core built with ASan and UBSan
#   make valgrind   the suite under valgrind memcheck
#   make fuzz       the libFuzzer target for a while (FUZZ_TIME seconds)
#   make conformance  the client against Stoplight Prism serving the OpenAPI file (npm)
#   make deps       install the Debian packages the above need (as root)

SHELL := /bin/bash

# LUA_VERSION=5.1|5.2|5.3|5.4 picks the Lua; LUA=luajit builds for LuaJIT
# (the 5.1 ABI, LuaJIT's headers). Each builds into its own folder.
ifeq ($(LUA),luajit)
LUA_VERSION  = 5.1
LUA_PKG      = luajit
BUILD_NAME   = luajit
ABI_FLAGS    = -DCT_LUAJIT=1
else
LUA_VERSION ?= 5.4
LUA         ?= lua$(LUA_VERSION)
LUA_PKG      = lua$(LUA_VERSION)
BUILD_NAME   = $(LUA_VERSION)
endif
PKG_CONFIG  ?= pkg-config
BUSTED      ?= busted
LUACHECK    ?= luacheck
LUAROCKS    ?= luarocks

ifdef LUA_INCDIR
LUA_CFLAGS  ?= -I$(LUA_INCDIR)
else
LUA_CFLAGS  ?= $(shell $(PKG_CONFIG) --cflags $(LUA_PKG) 2>/dev/null)
endif
ifdef CURL_INCDIR
CURL_CFLAGS ?= -I$(CURL_INCDIR)
endif
CURL_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
ifdef CURL_LIBDIR
CURL_LIBS   ?= -L$(CURL_LIBDIR) -lcurl
endif
CURL_LIBS   ?= $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null || echo -lcurl)

CWARNS  = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
          -Wdeclaration-after-statement -Wwrite-strings -Wundef
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CFLAGS) -std=gnu99 -fPIC -fvisibility=hidden $(CWARNS) $(ABI_FLAGS) $(LUA_CFLAGS) $(CURL_CFLAGS)
LIBFLAG ?= -shared

BUILD_DIR = build/$(BUILD_NAME)
CORE      = $(BUILD_DIR)/clickup/time/core.so
SRCS      = $(wildcard src/*.c)
OBJS      = $(SRCS:src/%.c=$(BUILD_DIR)/obj/%.o)
HDRS      = $(wildcard src/*.h)
ROCKSPEC  = clickup-time-scm-1.rockspec
NVIM_CORE = lua/clickup/time/core.so
CLI_DOCS  = build/man/man1/clickup-time.1

# Debian packages: what building, testing and the demo need (chromium opens
# the HTML report, zsh and fish check their completions); the sanitizer,
# valgrind and fuzz targets add theirs.
DEB_PKGS = gcc make pkg-config lua5.4 liblua5.4-dev libcurl4-openssl-dev \
           lua-cjson lua-socket lua-busted lua-check luarocks openssl lua-luv \
           neovim luajit libluajit-5.1-dev lua-argparse lua-filesystem git \
           lua5.1 liblua5.1-0-dev chromium zsh fish
ALL_PKGS = lua5.2 liblua5.2-dev lua5.3 liblua5.3-dev
CHECK_PKGS = clang libclang-rt-14-dev valgrind

CLANG     ?= clang
FUZZ_TIME ?= 60
SAN_FLAGS  = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_DIR   = build/asan-$(LUA_VERSION)
ASAN_CORE  = $(ASAN_DIR)/clickup/time/core.so
FUZZ_BIN   = build/fuzz/fuzz_decode
# busted run in this process (no re-exec), so that a tool can wrap it
BUSTED_IN  = $(LUA) /usr/bin/busted --ignore-lua -o utfTerminal

.PHONY: all deps deps-check deps-all test test-all check busted busted-realistic rock-check demo clean \
        clean-core install asan valgrind fuzz bench-async luajit-core nvim rock-install conformance

# Run Lua from the source tree: ./lua modules and this build's core.
IN_TREE = LUA_PATH_$(subst .,_,$(LUA_VERSION))='./lua/?.lua;./lua/?/init.lua;;' \
          LUA_CPATH_$(subst .,_,$(LUA_VERSION))='./$(BUILD_DIR)/?.so;;'

all: $(CORE) $(CLI_DOCS)

$(BUILD_DIR)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(CORE): $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LIBFLAG) -o $@ $(OBJS) $(CURL_LIBS) $(LDFLAGS)

# The man page and the bash, zsh and fish completions of clickup-time, made
# from its argparse parser (clickup.time.cli.man), so they never disagree
# with --help. Without argparse for this Lua they are skipped, with a note.
CLI_LUA  = $(LUA) -e 'package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path' \
                  -e 'package.cpath = "./$(BUILD_DIR)/?.so;" .. package.cpath'
$(CLI_DOCS): lua/clickup/time/cli.lua lua/clickup/time/cli/man.lua $(CORE)
	@if $(LUA) -e 'require "argparse"' >/dev/null 2>&1; then \
	  $(CLI_LUA) -e 'require("clickup.time.cli.man").install("build")' && \
	  echo "make: build/man/man1/clickup-time.1 and build/completions/ from the parser"; \
	else echo "make: no argparse for $(LUA): the man page and the completions are not made"; fi

# The core Neovim loads: LuaJIT's headers (the 5.1 ABI of every Neovim),
# copied next to the Lua modules and renamed into place, so that a running
# Neovim that has the old one mapped is not disturbed.
nvim:
	@$(PKG_CONFIG) --exists luajit 2>/dev/null || { \
	  echo "make nvim: LuaJIT's headers are missing (Debian/Ubuntu: apt-get install libluajit-5.1-dev;"; \
	  echo "  macOS: brew install luajit; or point LUA_INCDIR at a luajit-2.1 include folder)"; exit 1; }
	@$(MAKE) -q --no-print-directory LUA=luajit LUA_VERSION= all 2>/dev/null || $(MAKE) --no-print-directory LUA=luajit LUA_VERSION= all
	@cmp -s build/luajit/clickup/time/core.so $(NVIM_CORE) || { \
	  cp build/luajit/clickup/time/core.so $(NVIM_CORE).tmp && mv -f $(NVIM_CORE).tmp $(NVIM_CORE) && \
	  echo "make nvim: $(NVIM_CORE) built for Neovim (LuaJIT, the Lua 5.1 ABI)"; }

# What the rockspec's build runs (luarocks make, luarocks install): the core
# built in a temporary folder, outside the checkout, then installed with the
# Lua modules, and the man page and completions made from the command's
# parser into the rock's folder (INST_PREFIX). LuaRocks passes LUA,
# LUA_INCDIR, CFLAGS, LIBFLAG, CURL_* and the INST_* folders. Warnings do not
# fail a user's build (-Werror is ours).
rock-install:
	@test -n "$(INST_LIBDIR)" -a -n "$(INST_LUADIR)" || { echo "rock-install: run by luarocks"; exit 1; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(MAKE) --no-print-directory BUILD_DIR=$$tmp CORE=$$tmp/core.so CWARNS="-Wall -Wextra" $$tmp/core.so && \
	mkdir -p $(INST_LIBDIR)/clickup/time && cp $$tmp/core.so $(INST_LIBDIR)/clickup/time/core.so && \
	for f in $$(cd lua && find clickup -name '*.lua'); do \
	  mkdir -p $(INST_LUADIR)/$$(dirname $$f) && cp lua/$$f $(INST_LUADIR)/$$f || exit 1; \
	done; \
	if [ -n "$(INST_PREFIX)" ]; then \
	  CT_LUADIR="$(INST_LUADIR)" CT_LIBDIR="$(INST_LIBDIR)" CT_PREFIX="$(INST_PREFIX)" $(LUA) \
	    -e 'local e = os.getenv; package.path = e"CT_LUADIR" .. "/?.lua;" .. e"CT_LUADIR" .. "/?/init.lua;" .. package.path' \
	    -e 'package.cpath = os.getenv"CT_LIBDIR" .. "/?.so;" .. package.cpath' \
	    -e 'require("clickup.time.cli.man").install(os.getenv"CT_PREFIX")' \
	  || echo "rock-install: the man page and the completions were not made (is argparse installed?)"; \
	fi

deps:
	@$(MAKE) --no-print-directory install-debs PKGS="$(DEB_PKGS)"

deps-check:
	@$(MAKE) --no-print-directory install-debs PKGS="$(DEB_PKGS) $(CHECK_PKGS)"

deps-all:
	@$(MAKE) --no-print-directory install-debs PKGS="$(DEB_PKGS) $(ALL_PKGS)"

install-debs:
	@missing=""; for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null \
	      || exit 1; \
	  else \
	    echo "deps: missing Debian packages; as root run:"; \
	    echo "  apt-get update && apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

check:
	$(LUACHECK) -q lua spec plugin $(wildcard bin)

# The suite under busted; the last line is "N passed, N failed" counted
# from busted's own summary ($(call summary,log)).
# The core Neovim loads (LuaJIT), for spec/nvim_spec.lua whatever Lua runs the suite.
luajit-core:
	@$(MAKE) --no-print-directory LUA=luajit LUA_VERSION= all >/dev/null

summary = sed 's/\x1b\[[0-9;]*m//g' $(1) | awk '/successes? \/ .* failures? \/ .* errors? \//{s=$$1; f=$$4; e=$$7} \
	         END{printf "busted: %d passed, %d failed\n", s, f+e}'

busted: all nvim
	@set -o pipefail; rc=0; \
	CT_BUILD_DIR=$(BUILD_DIR) $(BUSTED) --lua=$(LUA) -o utfTerminal 2>&1 | tee $(BUILD_DIR)/busted.log || rc=$$?; \
	$(call summary,$(BUILD_DIR)/busted.log) > $(BUILD_DIR)/summary; \
	exit $$rc

# The mapping, CLI and Neovim specs once more, against the local server in
# realistic mode (CT_FAKE_REALISTIC makes fake.spawn send the oddities of
# real answers, clickup.time.fake.realistic): what they assert holds there too.
REALISTIC_SPECS = spec/mapping_spec.lua spec/cli_spec.lua spec/nvim_spec.lua
busted-realistic: all nvim
	@set -o pipefail; rc=0; rm -f $(BUILD_DIR)/summary-realistic; \
	CT_FAKE_REALISTIC=1 CT_BUILD_DIR=$(BUILD_DIR) $(BUSTED) --lua=$(LUA) -o utfTerminal $(REALISTIC_SPECS) 2>&1 \
	  | tee $(BUILD_DIR)/busted-realistic.log || rc=$$?; \
	$(call summary,$(BUILD_DIR)/busted-realistic.log) > $(BUILD_DIR)/summary-realistic; \
	exit $$rc

# The rock installs with luarocks from the scm rockspec into a temporary
# tree, for each Lua of ROCK_LUAS; the installed module loads and works
# from a plain lua with `luarocks path` set, the installed command runs, and
# the checkout is left without any new build output (untracked or ignored).
ROCK_LUAS ?= 5.4 5.1
rock-check:
	@before=$$(git status --porcelain --ignored 2>/dev/null); \
	for v in $(ROCK_LUAS); do \
	  tree=$$(mktemp -d) && \
	  if ! $(LUAROCKS) --lua-version=$$v --tree="$$tree" make --deps-mode=none $(ROCKSPEC) \
	       >"$$tree/make.log" 2>&1; then cat "$$tree/make.log"; rm -rf "$$tree"; exit 1; fi; \
	  ( eval "$$($(LUAROCKS) --lua-version=$$v --tree="$$tree" path)" && cd / && \
	    TREE="$$tree" lua$$v $(CURDIR)/spec/rock_check.lua ) || { rm -rf "$$tree"; exit 1; }; \
	  rm -rf "$$tree"; \
	done; \
	after=$$(git status --porcelain --ignored 2>/dev/null); \
	if [ "$$before" != "$$after" ]; then \
	  echo "rock: luarocks make left build output in the checkout:"; \
	  diff <(echo "$$before") <(echo "$$after"); exit 1; \
	fi; echo "rock: the checkout holds no build output of luarocks make"

test: deps
	@$(MAKE) --no-print-directory clean-core
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check
	@rc=0; $(MAKE) --no-print-directory busted || rc=$$?; \
	 $(MAKE) --no-print-directory busted-realistic || rc=1; \
	 $(MAKE) --no-print-directory rock-check || rc=1; \
	 $(MAKE) --no-print-directory bench-tiny >$(BUILD_DIR)/bench-tiny.log 2>&1 \
	   && echo "bench: the benchmark runs (tiny mode, no time asserted)" \
	   || { cat $(BUILD_DIR)/bench-tiny.log; rc=1; }; \
	 cat $(BUILD_DIR)/summary $(BUILD_DIR)/summary-realistic 2>/dev/null \
	   | awk '{p+=$$2; f+=$$4} END{printf "%d passed, %d failed\n", p, f}'; exit $$rc

# The suite on every Lua a host embeds: 5.4, 5.3, 5.2, 5.1 and LuaJIT.
TEST_ALL = 5.4 5.3 5.2 5.1 luajit
test-all: deps-all
	@rc=0; for v in $(TEST_ALL); do \
	  if [ $$v = luajit ]; then set -- LUA=luajit; else set -- LUA_VERSION=$$v LUA=lua$$v; fi; \
	  $(MAKE) --no-print-directory "$$@" all >/dev/null || { rc=1; continue; }; \
	  $(MAKE) --no-print-directory "$$@" busted >/dev/null 2>&1 || rc=1; \
	  b=build/$$v; printf '%-7s %s\n' "$$v:" "$$(sed 's/^busted: //' $$b/summary)"; \
	done; exit $$rc

bench-async: all
	@$(IN_TREE) CT_BUILD_DIR=$(BUILD_DIR) $(LUA) bench/async.lua

demo: deps all
	@$(IN_TREE) $(LUA) -e 'require("clickup.time.demo").run()'

# The core built with AddressSanitizer and UndefinedBehaviorSanitizer, and
# the whole suite against it (lua itself is not instrumented: the runtime is
# preloaded). Any report fails the run.
$(ASAN_CORE): $(SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(SAN_FLAGS) -shared-libsan -std=gnu99 -fPIC -fvisibility=hidden $(CWARNS) \
	  $(LUA_CFLAGS) $(CURL_CFLAGS) -shared -o $@ $(SRCS) $(CURL_LIBS)

asan: deps-check $(ASAN_CORE) nvim
	CT_SANITIZED=1 CT_BUILD_DIR=$(ASAN_DIR) LD_PRELOAD=$$($(CLANG) -print-file-name=libclang_rt.asan-x86_64.so) \
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(BUSTED_IN)

# The whole suite in one lua process under memcheck: no error, nothing
# definitely lost.
valgrind: deps-check all nvim
	CT_SANITIZED=1 valgrind --quiet --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
	  --show-leak-kinds=definite --keep-debuginfo=yes $(BUSTED_IN)

# libFuzzer: every endpoint's decoding and mapping, in a real Lua state,
# seeded with real answers and the regressions found so far.
$(FUZZ_BIN): spec/fuzz/fuzz_decode.c $(SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(SAN_FLAGS) -fsanitize=fuzzer -std=gnu99 $(CWARNS) -Wno-missing-prototypes \
	  $(LUA_CFLAGS) $(CURL_CFLAGS) -Isrc -o $@ spec/fuzz/fuzz_decode.c $(SRCS) \
	  $$($(PKG_CONFIG) --variable=libdir lua$(LUA_VERSION) 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)/liblua$(LUA_VERSION).a \
	  $(CURL_LIBS) -lm -ldl -Wl,-E

# Seeded with the real answers, the regressions, and every known field given
# each JSON type (spec/fuzz/seeds.lua, written from the core's field tables).
fuzz: deps-check $(FUZZ_BIN) all
	@mkdir -p build/fuzz/corpus
	@$(IN_TREE) $(LUA) spec/fuzz/seeds.lua build/fuzz/seeds
	$(FUZZ_BIN) -max_total_time=$(FUZZ_TIME) -max_len=16384 -print_final_stats=1 \
	  build/fuzz/corpus spec/fixtures spec/fuzz/regressions build/fuzz/seeds 2>&1 \
	  | grep -E '^(stat|Done|==|contract)|ERROR'; exit $${PIPESTATUS[0]}

# OpenAPI conformance: the client against Stoplight Prism serving the seed's
# OpenAPI file (spec/openapi/), Prism installed into build/prism by npm
# (5.14.2: the newest that asks for node 18.20 or later, as Debian's nodejs
# and node 20 give; later ones ask for node 24).
# Without node and npm it is skipped, saying so; CT_REQUIRE_PRISM=1 (CI)
# makes that a failure.
PRISM_VERSION ?= 5.14.2
PRISM_DIR      = build/prism
PRISM          = $(PRISM_DIR)/node_modules/.bin/prism

conformance: all
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  if [ -n "$$CT_REQUIRE_PRISM" ]; then \
	    echo "conformance: node and npm are missing (apt-get install nodejs npm), and CT_REQUIRE_PRISM is set"; \
	    exit 1; fi; \
	  echo "conformance: SKIPPED: node or npm is missing, so Stoplight Prism cannot run (apt-get install nodejs npm)"; \
	  exit 0; \
	fi; \
	if ! grep -qs '"version": "$(PRISM_VERSION)"' $(PRISM_DIR)/node_modules/@stoplight/prism-cli/package.json; then \
	  echo "conformance: installing @stoplight/prism-cli@$(PRISM_VERSION) into $(PRISM_DIR)"; \
	  mkdir -p $(PRISM_DIR) && npm install --prefix $(PRISM_DIR) --no-audit --no-fund --loglevel=error \
	    @stoplight/prism-cli@$(PRISM_VERSION) >$(PRISM_DIR)/install.log 2>&1 || { \
	    cat $(PRISM_DIR)/install.log; \
	    if [ -n "$$CT_REQUIRE_PRISM" ]; then echo "conformance: npm could not install Prism"; exit 1; fi; \
	    echo "conformance: SKIPPED: npm could not install Prism (no registry?)"; exit 0; }; \
	fi; \
	CT_PRISM=$(CURDIR)/$(PRISM) CT_BUILD_DIR=$(BUILD_DIR) $(BUSTED) --lua=$(LUA) -o utfTerminal \
	  --pattern=prism_conformance spec/conformance

clean-core:
	rm -rf $(BUILD_DIR)/obj $(CORE)

clean:
	rm -rf build $(NVIM_CORE)

install: all
	$(LUAROCKS) --lua-version=$(LUA_VERSION) make --deps-mode=none $(ROCKSPEC)

# The side-by-side benchmark (bench/README.md): make bench, make bench-tiny.
include bench/bench.mk
