# bench/bench.mk: the side-by-side benchmark, included by the Makefile
# (`include bench/bench.mk`, after its own targets: it uses all, luajit-core
# and install-debs from there).
#
#   make bench        every size (1 .. 100,000 entries), ROUNDS rounds (5),
#                     all contenders; writes bench/results.md
#   make bench-tiny   100 entries, one round, the contenders that are
#                     installed (clickup.js only if build/bench/node_modules
#                     has it); a few seconds; for make test, so that the
#                     benchmark does not rot. No time is asserted.
#
# ROUNDS=n and SIZES="1 100" are passed through to bench/run.lua.

BENCH_DIR   = build/bench
BENCH_PKGS  = nginx time
BENCH_TOOLS = $(BENCH_DIR)/floor $(BENCH_DIR)/spawn $(BENCH_DIR)/5.4/floorlua.so
BENCH_JIT   = $(BENCH_DIR)/luajit/floorlua.so
CLICKUP_JS  = $(BENCH_DIR)/node_modules/clickup.js/package.json
BENCH_WWW   = $(BENCH_DIR)/www/.gen-stamp
# stops the benchmark's nginx if the run is interrupted (run.lua stops it otherwise)
BENCH_TRAP  = trap 'p=$$(cat $(BENCH_DIR)/nginx/nginx.pid 2>/dev/null) && kill -QUIT $$p 2>/dev/null' EXIT INT TERM

.PHONY: bench bench-tiny bench-deps bench-tools

bench-deps:
	@$(MAKE) --no-print-directory install-debs PKGS="$(BENCH_PKGS)"

$(BENCH_DIR)/floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -o $@ $< $(CURL_CFLAGS) $(CURL_LIBS)

$(BENCH_DIR)/spawn: bench/spawn.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -o $@ $<

$(BENCH_DIR)/5.4/floorlua.so: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -shared -fPIC -DFLOOR_LUA -o $@ $< \
	  $$($(PKG_CONFIG) --cflags lua5.4) $(CURL_CFLAGS) $(CURL_LIBS)

$(BENCH_DIR)/luajit/floorlua.so: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -shared -fPIC -DFLOOR_LUA -o $@ $< \
	  $$($(PKG_CONFIG) --cflags luajit) $(CURL_CFLAGS) $(CURL_LIBS)

# the bodies are made anew when gen.lua changes (run.lua makes missing ones)
$(BENCH_WWW): bench/gen.lua
	@rm -rf $(BENCH_DIR)/www && mkdir -p $(BENCH_DIR)/www
	lua5.4 bench/gen.lua $(BENCH_DIR)/www
	@touch $@

$(CLICKUP_JS):
	npm install --prefix $(BENCH_DIR) --no-audit --no-fund --no-save clickup.js@4.0.2

bench-tools: $(BENCH_TOOLS) $(BENCH_JIT)

bench: bench-deps all luajit-core bench-tools $(BENCH_WWW) $(CLICKUP_JS)
	@$(BENCH_TRAP); lua5.4 bench/run.lua

bench-tiny: bench-deps all luajit-core bench-tools
	@if [ $(BENCH_WWW) -ot bench/gen.lua ]; then rm -rf $(BENCH_DIR)/www; fi
	@$(BENCH_TRAP); lua5.4 bench/run.lua --tiny

# for profiling (bench/README.md): a lua5.4 host whose Lua functions have names
$(BENCH_DIR)/prof: bench/prof.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -o $@ $< $$($(PKG_CONFIG) --cflags lua5.4) \
	  $$($(PKG_CONFIG) --variable=libdir lua5.4 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)/liblua5.4.a -lm -ldl -Wl,-E
