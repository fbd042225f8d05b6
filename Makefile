# clickup-time: developer Makefile. LuaRocks users: luarocks make (see README).
#
#   make            build the C core for Lua $(LUA_VERSION) into build/$(LUA_VERSION)
#   make test       deps, build with -Werror, luacheck, the busted suite, the rock
#   make demo       the main job against the local ClickUp server
#   make check      luacheck only
#   make deps       install the Debian packages the above need (as root)

SHELL := /bin/bash

LUA_VERSION ?= 5.4
LUA         ?= lua$(LUA_VERSION)
PKG_CONFIG  ?= pkg-config
BUSTED      ?= busted
LUACHECK    ?= luacheck
LUAROCKS    ?= luarocks

ifdef LUA_INCDIR
LUA_CFLAGS  ?= -I$(LUA_INCDIR)
else
LUA_CFLAGS  ?= $(shell $(PKG_CONFIG) --cflags lua$(LUA_VERSION) 2>/dev/null)
endif
CURL_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
CURL_LIBS   ?= $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null || echo -lcurl)

CWARNS  = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
          -Wdeclaration-after-statement -Wwrite-strings -Wundef
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CFLAGS) -std=gnu99 -fPIC -fvisibility=hidden $(CWARNS) $(LUA_CFLAGS) $(CURL_CFLAGS)
LIBFLAG ?= -shared

BUILD_DIR = build/$(LUA_VERSION)
CORE      = $(BUILD_DIR)/clickup/time/core.so
SRCS      = $(wildcard src/*.c)
OBJS      = $(SRCS:src/%.c=$(BUILD_DIR)/obj/%.o)
HDRS      = $(wildcard src/*.h)
ROCKSPEC  = $(firstword $(wildcard clickup-time-*.rockspec))

# Debian packages: what building, testing and the demo need.
DEB_PKGS = gcc make pkg-config lua$(LUA_VERSION) liblua$(LUA_VERSION)-dev libcurl4-openssl-dev \
           lua-cjson lua-socket lua-busted lua-check luarocks

.PHONY: all deps test check busted rock-check demo clean clean-core install

# Run Lua from the source tree: ./lua modules and this build's core.
IN_TREE = LUA_PATH_$(subst .,_,$(LUA_VERSION))='./lua/?.lua;./lua/?/init.lua;;' \
          LUA_CPATH_$(subst .,_,$(LUA_VERSION))='./$(BUILD_DIR)/?.so;;'

all: $(CORE)

$(BUILD_DIR)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(CORE): $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LIBFLAG) -o $@ $(OBJS) $(CURL_LIBS) $(LDFLAGS)

deps:
	@missing=""; for p in $(DEB_PKGS); do \
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
	$(LUACHECK) -q lua spec $(wildcard bin)

# The suite under busted; the last line is "N passed, N failed" counted
# from busted's own summary.
busted: all
	@set -o pipefail; rc=0; \
	$(BUSTED) --lua=$(LUA) --cpath='./$(BUILD_DIR)/?.so' -o utfTerminal 2>&1 | tee $(BUILD_DIR)/busted.log || rc=$$?; \
	sed 's/\x1b\[[0-9;]*m//g' $(BUILD_DIR)/busted.log \
	  | awk '/successes? \/ .* failures? \/ .* errors? \//{s=$$1; f=$$4; e=$$7} \
	         END{printf "busted: %d passed, %d failed\n", s, f+e}' > $(BUILD_DIR)/summary; \
	exit $$rc

# The rock installs with luarocks into a temporary tree, and the installed
# module loads and works from a plain lua with `luarocks path` set.
rock-check: all
	@tree=$$(mktemp -d) && trap 'rm -rf "$$tree"' EXIT && \
	if ! $(LUAROCKS) --lua-version=$(LUA_VERSION) --tree="$$tree" make --deps-mode=none $(ROCKSPEC) \
	     >"$$tree/make.log" 2>&1; then cat "$$tree/make.log"; exit 1; fi; \
	eval "$$($(LUAROCKS) --lua-version=$(LUA_VERSION) --tree="$$tree" path)" && cd / && \
	TREE="$$tree" $(LUA) $(CURDIR)/spec/rock_check.lua

test: deps
	@$(MAKE) --no-print-directory clean-core
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check
	@rc=0; $(MAKE) --no-print-directory busted || rc=$$?; \
	 $(MAKE) --no-print-directory rock-check || rc=1; \
	 sed 's/^busted: //' $(BUILD_DIR)/summary; exit $$rc

demo: deps all
	@$(IN_TREE) $(LUA) -e 'require("clickup.time.demo").run()'

clean-core:
	rm -rf $(BUILD_DIR)/obj $(CORE)

clean:
	rm -rf build

install: all
	$(LUAROCKS) --lua-version=$(LUA_VERSION) make --deps-mode=none $(ROCKSPEC)
