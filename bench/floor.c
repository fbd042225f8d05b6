/*
** bench/floor.c: the floor of the benchmark. libcurl with one reused easy
** handle (keep-alive), GET the URL N times, nothing else.
**
** Built twice from this one file (see bench/bench.mk):
**
**   cc -O2 bench/floor.c $(pkg-config --cflags --libs libcurl) -o build/bench/floor
**     build/bench/floor URL N [plain]
**     One untimed warm-up request (connects), then N timed requests whose
**     body is discarded by a write callback that only counts bytes. Prints
**       RESULT seconds=<wall time of the N> n=<N> bytes=<bytes of one body>
**              cpu=<user + system seconds of the process during the N>
**     "plain": the URL and the write callback only, no other option (the
**     floor an application gets from libcurl's defaults).
**
**   cc -O2 -shared -fPIC -DFLOOR_LUA bench/floor.c $(pkg-config --cflags lua5.4 libcurl) ...
**     -o build/bench/floorlua.so
**     The same fetch from Lua, for "floor + cjson.decode": the body goes into
**     a growing buffer and comes back as one Lua string.
**       local floor = require "floorlua"
**       local f = floor.new(url)       -- one easy handle, reused
**       local body = f:get()           -- the body (error on failure)
**       floor.now()                    -- CLOCK_MONOTONIC seconds (a float)
**
** Both send what clickup.time sends that matters to the server (an
** Authorization header); neither asks for compression (the server does
** not compress anyway).
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <curl/curl.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* user + system seconds of this process so far */
static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6
       + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static CURL *floor_easy(const char *url, struct curl_slist **hdrs, int plain) {
  CURL *c = curl_easy_init();
  if (c == NULL)
    return NULL;
  if (plain) {
    *hdrs = NULL;
    curl_easy_setopt(c, CURLOPT_URL, url);
    return c;
  }
  *hdrs = curl_slist_append(NULL, "Authorization: pk_1_BENCH");
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  return c;
}

#ifndef FLOOR_LUA

static size_t count_body(char *data, size_t size, size_t n, void *ud) {
  (void)data;
  *(size_t *)ud += size * n;
  return size * n;
}

int main(int argc, char **argv) {
  struct curl_slist *hdrs = NULL;
  CURL *c;
  CURLcode rc;
  size_t bytes = 0, first = 0;
  long i, n;
  double t0, t1, c0, c1;
  if ((argc != 3 && argc != 4) || (n = atol(argv[2])) <= 0) {
    fprintf(stderr, "usage: %s URL N [plain]\n", argv[0]);
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  c = floor_easy(argv[1], &hdrs, argc == 4 && strcmp(argv[3], "plain") == 0);
  if (c == NULL)
    return 1;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, count_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, (void *)&bytes);
  rc = curl_easy_perform(c);                       /* warm-up: the connection */
  if (rc != CURLE_OK) {
    fprintf(stderr, "floor: %s\n", curl_easy_strerror(rc));
    return 1;
  }
  first = bytes;
  c0 = cpu_s();
  t0 = now_s();
  for (i = 0; i < n; i++) {
    bytes = 0;
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK || bytes != first) {
      fprintf(stderr, "floor: request %ld: %s (%zu bytes)\n", i, curl_easy_strerror(rc), bytes);
      return 1;
    }
  }
  t1 = now_s();
  c1 = cpu_s();
  printf("RESULT seconds=%.9f n=%ld bytes=%zu cpu=%.9f\n", t1 - t0, n, first, c1 - c0);
  curl_easy_cleanup(c);
  curl_slist_free_all(hdrs);
  curl_global_cleanup();
  return 0;
}

#else /* FLOOR_LUA */

#include <lua.h>
#include <lauxlib.h>

typedef struct floor_t {
  CURL *c;
  struct curl_slist *hdrs;
  char *buf;
  size_t len, cap;
} floor_t;

static size_t keep_body(char *data, size_t size, size_t n, void *ud) {
  floor_t *f = (floor_t *)ud;
  size_t len = size * n;
  if (f->len + len > f->cap) {
    size_t cap = f->cap ? f->cap : 16384;
    char *p;
    while (cap < f->len + len)
      cap *= 2;
    if ((p = (char *)realloc(f->buf, cap)) == NULL)
      return 0;
    f->buf = p;
    f->cap = cap;
  }
  memcpy(f->buf + f->len, data, len);
  f->len += len;
  return len;
}

static int f_new(lua_State *L) {
  const char *url = luaL_checkstring(L, 1);
  floor_t *f = (floor_t *)lua_newuserdata(L, sizeof *f);
  memset(f, 0, sizeof *f);
  luaL_getmetatable(L, "floorlua");
  lua_setmetatable(L, -2);
  if ((f->c = floor_easy(url, &f->hdrs, 0)) == NULL)
    return luaL_error(L, "curl_easy_init failed");
  curl_easy_setopt(f->c, CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(f->c, CURLOPT_WRITEDATA, (void *)f);
  return 1;
}

static int f_get(lua_State *L) {
  floor_t *f = (floor_t *)luaL_checkudata(L, 1, "floorlua");
  CURLcode rc;
  f->len = 0;
  rc = curl_easy_perform(f->c);
  if (rc != CURLE_OK)
    return luaL_error(L, "floorlua: %s", curl_easy_strerror(rc));
  lua_pushlstring(L, f->buf ? f->buf : "", f->len);
  return 1;
}

static int f_gc(lua_State *L) {
  floor_t *f = (floor_t *)luaL_checkudata(L, 1, "floorlua");
  if (f->c) curl_easy_cleanup(f->c);
  curl_slist_free_all(f->hdrs);
  free(f->buf);
  f->c = NULL;
  f->hdrs = NULL;
  f->buf = NULL;
  return 0;
}

static int f_now(lua_State *L) {
  lua_pushnumber(L, now_s());
  return 1;
}

static int f_cpu(lua_State *L) {
  lua_pushnumber(L, cpu_s());
  return 1;
}

int luaopen_floorlua(lua_State *L);
int luaopen_floorlua(lua_State *L) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  luaL_newmetatable(L, "floorlua");
  lua_newtable(L);
  lua_pushcfunction(L, f_get);
  lua_setfield(L, -2, "get");
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, f_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushcfunction(L, f_new);
  lua_setfield(L, -2, "new");
  lua_pushcfunction(L, f_now);
  lua_setfield(L, -2, "now");
  lua_pushcfunction(L, f_cpu);
  lua_setfield(L, -2, "cpu");
  return 1;
}

#endif
