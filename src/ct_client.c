/*
** ct_client.c: the client object. It owns a libcurl multi handle, whose
** connection cache every request shares (keep-alive, HTTP/2), the header
** lists, the options, and its requests (ct_transfer.c). close, __gc and
** __close share one idempotent cleanup (Lua's io library pattern).
**
** A method of the endpoint table blocks until its answer; `send` starts the
** same request and returns at once, and the host drives it with perform,
** wait or socket_action, then collects it with done. Answers are decoded
** and mapped there, in the caller's Lua state, never in a libcurl callback.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "ct_private.h"


static char *dupstr(const char *s, size_t len) {
  char *p = (char *)malloc(len + 1);
  if (p != NULL) {
    memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}


static void free_list(ct_client *cl, ct_req *req, int in_multi) {
  while (req != NULL) {
    ct_req *next = req->next;
    if (in_multi)
      curl_multi_remove_handle(cl->multi, req->easy);
    ct_req_free(req);
    req = next;
  }
}


static void client_cleanup(ct_client *cl) {
  if (cl->multi != NULL) {
    free_list(cl, cl->active, 1);
    free_list(cl, cl->finished, 0);
    free_list(cl, cl->pool, 0);
    cl->active = cl->finished = cl->pool = NULL;
    cl->nactive = 0;
    curl_multi_cleanup(cl->multi);
    cl->multi = NULL;
  }
  if (cl->share != NULL) {                          /* after every handle that used it */
    curl_share_cleanup(cl->share);
    cl->share = NULL;
  }
  ct_poller_close(cl);                              /* after curl removed its sockets */
  curl_slist_free_all(cl->hdr_get);
  curl_slist_free_all(cl->hdr_body);
  cl->hdr_get = cl->hdr_body = NULL;
  if (cl->token != NULL) {                          /* do not leave it in freed memory */
    memset(cl->token, 0, strlen(cl->token));
    free(cl->token);
  }
  free(cl->base_url);
  free(cl->team_id);
  free(cl->ca_file);
  free(cl->ca_path);
  free(cl->proxy);
  free(cl->noproxy);
  cl->token = cl->base_url = cl->team_id = cl->ca_file = cl->ca_path = cl->proxy = cl->noproxy = NULL;
  ct_buf_free(&cl->changes);
}


static ct_client *check_open(lua_State *L, const char *method) {
  ct_client *cl = (ct_client *)luaL_checkudata(L, 1, CT_CLIENT_MT);
  if (cl->multi == NULL)
    luaL_error(L, "clickup.time: %s: attempt to use a closed client", method);
  return cl;
}


/* {====== requests */

/*
** Check the call's arguments (at 2..top) against the row and build the
** request; `start` adds it to the multi handle. Raises on a programmer's
** mistake, before anything is sent.
*/
static ct_req *start_call(lua_State *L, ct_client *cl, const ct_endpoint *ep, int start) {
  ct_request rq;
  ct_req *req;
  memset(&rq, 0, sizeof rq);
  rq.ep = ep;
  ct_request_check(L, &rq, lua_gettop(L) - 1);
  ct_request_team(L, &rq, cl);
  req = ct_req_acquire(cl);
  if (req == NULL)
    luaL_error(L, "clickup.time: %s: out of memory", ep->name);
  if (!ct_request_build(L, &rq, cl, req) || (start && !ct_req_start(req))) {
    ct_req_release(req);
    luaL_error(L, "clickup.time: %s: out of memory", ep->name);
  }
  return req;
}


/* deliver a finished request: its result (1, 2 or 3 values), then back to the pool */
static int deliver(lua_State *L, ct_client *cl, ct_req *req) {
  int n = ct_req_result(L, req);
  cl->meta = req->meta;
  ct_req_release(req);
  return n;
}


/*
** One endpoint method, blocking. With nothing else in flight, a plain
** curl_easy_perform (the connection cache is the share handle's, so
** keep-alive holds across blocking and non-blocking calls). Otherwise the
** request joins the multi handle, which is driven until it is done: the
** other requests in flight move on too. Returns the result, or nil and an
** error.
*/
static int client_call(lua_State *L) {
  const ct_endpoint *ep = (const ct_endpoint *)lua_touserdata(L, CT_UV_EP);
  ct_client *cl = check_open(L, ep->name);
  int alone = cl->nactive == 0;
  ct_req *req = start_call(L, cl, ep, !alone), *r;
  req->blocking = 1;
  if (alone) {
    ct_req_prepare(req);
    req->rc = curl_easy_perform(req->easy);
    return deliver(L, cl, req);
  }
  for (;;) {
    int running;
    curl_multi_perform(cl->multi, &running);
    ct_drain(cl);
    for (r = cl->finished; r != NULL && r != req; r = r->next)
      ;
    if (r == req)
      break;
    curl_multi_poll(cl->multi, NULL, 0, 1000, NULL);
  }
  ct_req_unlink(&cl->finished, req);
  return deliver(L, cl, req);
}


/***
Start an endpoint's request without waiting for it: send_entries(...),
send_create(...), one per row, with the arguments of the blocking method.
@function send_<name>
@treturn integer the request's id, for done and cancel
*/
static int client_send(lua_State *L) {
  const ct_endpoint *ep = (const ct_endpoint *)lua_touserdata(L, CT_UV_EP);
  ct_client *cl = check_open(L, ep->name);
  ct_req *req = start_call(L, cl, ep, 1);
  ct_pushint(L, req->id);
  return 1;
}


/***
Check an endpoint's arguments as its method would, without sending:
check_entries(...), one per row. Raises on a mistake.
@function check_<name>
*/
static int client_check(lua_State *L) {
  const ct_endpoint *ep = (const ct_endpoint *)lua_touserdata(L, CT_UV_EP);
  ct_client *cl = check_open(L, ep->name);
  ct_request rq;
  memset(&rq, 0, sizeof rq);
  rq.ep = ep;
  ct_request_check(L, &rq, lua_gettop(L) - 1);
  ct_request_team(L, &rq, cl);
  return 0;
}


/***
Move every transfer forward, without waiting.
@function perform
@treturn integer the requests still in flight
*/
static int client_perform(lua_State *L) {
  ct_client *cl = check_open(L, "perform");
  int running;
  curl_multi_perform(cl->multi, &running);
  ct_drain(cl);
  lua_pushinteger(L, cl->nactive);
  return 1;
}


/***
Wait up to timeout_ms for activity on any transfer, then move them forward.
@function wait
@tparam[opt=0] integer timeout_ms
@treturn integer the requests still in flight
*/
static int client_wait(lua_State *L) {
  ct_client *cl = check_open(L, "wait");
  lua_Integer ms = luaL_optinteger(L, 2, 0);
  int running;
  curl_multi_perform(cl->multi, &running);          /* start what was added, read what is in */
  ct_drain(cl);
  if (ms > 0 && cl->finished == NULL) {
    curl_multi_poll(cl->multi, NULL, 0, ms > 86400000 ? 86400000 : (int)ms, NULL);
    curl_multi_perform(cl->multi, &running);
    ct_drain(cl);
  }
  lua_pushinteger(L, cl->nactive);
  return 1;
}


/***
The next finished request that was started with send.
@function done
@treturn[1] integer id, then its result (and nil, anomalies when the
answer had descriptive fields of an unexpected type)
@return[2] integer id, nil, err
@return[3] nothing when none is finished
*/
static int client_done(lua_State *L) {
  ct_client *cl = check_open(L, "done");
  ct_req *req = cl->finished;
  long long id;
  int n;
  if (req == NULL)
    return 0;
  cl->finished = req->next;
  req->next = NULL;
  id = req->id;
  n = deliver(L, cl, req);                          /* result [nil anomalies] | nil err */
  ct_pushint(L, id);
  lua_insert(L, -(n + 1));                          /* id result [nil anomalies] | id nil err */
  return 1 + n;
}


/***
Abandon a request started with send.
@function cancel
@tparam integer id
@treturn boolean whether it was still in flight or undelivered
*/
static int client_cancel(lua_State *L) {
  ct_client *cl = check_open(L, "cancel");
  long long id = (long long)luaL_checknumber(L, 2);
  ct_req *req;
  for (req = cl->active; req != NULL; req = req->next)
    if (req->id == id && !req->blocking) {
      curl_multi_remove_handle(cl->multi, req->easy);
      ct_req_unlink(&cl->active, req);
      cl->nactive--;
      ct_req_release(req);
      lua_pushboolean(L, 1);
      return 1;
    }
  for (req = cl->finished; req != NULL; req = req->next)
    if (req->id == id && !req->blocking) {
      ct_req_unlink(&cl->finished, req);
      ct_req_release(req);
      lua_pushboolean(L, 1);
      return 1;
    }
  lua_pushboolean(L, 0);
  return 1;
}


/***
What libcurl waits for, since the last call: for a host's event loop. The
first call starts the recording.
@function watch
@treturn table changes as a flat list fd, what, fd, what, ... where what is
"r", "w", "rw" or "remove"
@treturn integer|nil the timeout curl asked for in ms (-1: none), when it changed
*/
static int client_watch(lua_State *L) {
  static const char *const names[] = { "none", "r", "w", "rw", "remove" };
  ct_client *cl = check_open(L, "watch");
  size_t i, n;
  const int *pairs;
  if (!ct_multi_watch(cl))
    return luaL_error(L, "clickup.time: watch: libcurl refused the callbacks");
  pairs = (const int *)(void *)cl->changes.data;
  n = cl->changes.len / (2 * sizeof(int));
  lua_createtable(L, (int)(2 * n), 0);
  for (i = 0; i < n; i++) {
    int what = pairs[2 * i + 1];
    lua_pushinteger(L, pairs[2 * i]);
    lua_rawseti(L, -2, (int)(2 * i + 1));
    lua_pushstring(L, names[what >= 0 && what <= 4 ? what : 0]);
    lua_rawseti(L, -2, (int)(2 * i + 2));
  }
  ct_buf_reset(&cl->changes);
  if (!cl->timer_changed)
    return 1;
  cl->timer_changed = 0;
  lua_pushinteger(L, cl->timer_ms);
  return 2;
}


/***
Tell libcurl a socket is ready (or, without one, that its timer expired).
@function socket_action
@tparam[opt] integer fd
@tparam[opt] string what "r", "w" or "rw"
@treturn integer the requests still in flight
*/
static int client_socket_action(lua_State *L) {
  ct_client *cl = check_open(L, "socket_action");
  curl_socket_t fd = CURL_SOCKET_TIMEOUT;
  int ev = 0, running;
  if (!lua_isnoneornil(L, 2)) {
    const char *what = luaL_optstring(L, 3, "");
    fd = (curl_socket_t)luaL_checkinteger(L, 2);
    if (strchr(what, 'r')) ev |= CURL_CSELECT_IN;
    if (strchr(what, 'w')) ev |= CURL_CSELECT_OUT;
    if (strchr(what, 'e')) ev |= CURL_CSELECT_ERR;
  }
  curl_multi_socket_action(cl->multi, fd, ev, &running);
  ct_drain(cl);
  lua_pushinteger(L, cl->nactive);
  return 1;
}


/***
One descriptor that a host's event loop polls for reading instead of
libcurl's sockets (Linux: an epoll instance); when it is readable, call
ready(). The timer still comes from watch(). Call it before any request
is in flight. nil where the platform has no such descriptor: then follow
watch()'s list of sockets.
@function poll_fd
@treturn integer|nil
*/
static int client_poll_fd(lua_State *L) {
  ct_client *cl = check_open(L, "poll_fd");
  int fd = ct_poller_fd(cl);
  if (fd < 0)
    lua_pushnil(L);
  else
    lua_pushinteger(L, fd);
  return 1;
}


/***
The descriptor of poll_fd() is readable: hand libcurl every socket that is
ready, with what it is ready for.
@function ready
@treturn integer the requests still in flight
*/
static int client_ready(lua_State *L) {
  ct_client *cl = check_open(L, "ready");
  ct_poller_ready(cl);
  ct_drain(cl);
  lua_pushinteger(L, cl->nactive);
  return 1;
}


/***
How many requests are in flight, and how many wait to be collected by done.
@function pending
@treturn integer in flight
@treturn integer finished
*/
static int client_pending(lua_State *L) {
  ct_client *cl = check_open(L, "pending");
  int finished = 0;
  ct_req *req;
  for (req = cl->finished; req != NULL; req = req->next)
    finished++;
  lua_pushinteger(L, cl->nactive);
  lua_pushinteger(L, finished);
  return 2;
}

/* }====== */


/* {====== construction */

/* a string option, left on the stack (so it lives on); team_id may be an integer */
static const char *opt_string(lua_State *L, const char *key, size_t *len) {
  lua_getfield(L, 1, key);
  if (lua_isnil(L, -1))
    return NULL;
  if (lua_type(L, -1) == LUA_TNUMBER && strcmp(key, "team_id") == 0) {
    lua_Number n = lua_tonumber(L, -1);
    char tmp[32];
    if (!(n > 0 && ct_exact_int(n)))
      luaL_error(L, "clickup.time.new: bad option 'team_id' (a workspace id expected)");
    snprintf(tmp, sizeof tmp, "%lld", (long long)n);
    lua_pushstring(L, tmp);
  }
  if (lua_type(L, -1) != LUA_TSTRING)
    luaL_error(L, "clickup.time.new: bad option '%s' (string expected, got %s)", key,
               luaL_typename(L, -1));
  return lua_tolstring(L, -1, len);
}


static long opt_ms(lua_State *L, const char *key, double def) {
  double v = def;
  lua_getfield(L, 1, key);
  if (!lua_isnil(L, -1)) {
    if (lua_type(L, -1) != LUA_TNUMBER || !(lua_tonumber(L, -1) > 0)
        || lua_tonumber(L, -1) > 86400)
      luaL_error(L, "clickup.time.new: bad option '%s' (seconds expected, a number in (0, 86400])",
                 key);
    v = lua_tonumber(L, -1);
  }
  lua_pop(L, 1);
  return (long)(v * 1000 + 0.5);
}


static int has_control(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < len; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return 1;
  return 0;
}


static void check_keys(lua_State *L) {
  static const char *const known[] = {
    "token", "team_id", "base_url", "timeout", "connect_timeout", "stall_timeout",
    "max_response", "ca_file", "ca_path", "allow_insecure_http", "strict", NULL
  };
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    int i, found = 0;
    if (lua_type(L, -2) == LUA_TSTRING)
      for (i = 0; known[i] && !found; i++)
        found = strcmp(known[i], lua_tostring(L, -2)) == 0;
    if (!found)
      luaL_error(L, "clickup.time.new: unknown option '%s'",
                 lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : luaL_typename(L, -2));
    lua_pop(L, 1);
  }
}


/* 127.0.0.0/8, ::1 or localhost: where http:// cannot leave the machine */
static int is_loopback(const char *host) {
  struct in_addr a4;
  if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
    return 1;
  return inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}


/*
** The base URL must be http(s), with a host and no query or fragment; a
** plain http:// one only to a loopback host unless allowed, because the
** token would travel in clear text.
*/
static void check_base_url(lua_State *L, const char *base, int allow_http) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *query = NULL, *fragment = NULL;
  const char *problem = NULL;
  if (u == NULL)
    luaL_error(L, "clickup.time.new: out of memory");
  if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK
      || curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK
      || curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
    problem = "bad option 'base_url' (an http:// or https:// URL expected)";
  else if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)
    problem = "bad option 'base_url' (an http:// or https:// URL expected)";
  else if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK
           || curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0) == CURLUE_OK)
    problem = "bad option 'base_url' (no query or fragment: paths are appended to it)";
  else if (strcmp(scheme, "http") == 0 && !allow_http && !is_loopback(host))
    problem = "refusing a plain http:// base_url to a host that is not loopback: the token would "
              "travel in clear text (use https://, or set allow_insecure_http = true)";
  curl_free(scheme);
  curl_free(host);
  curl_free(query);
  curl_free(fragment);
  curl_url_cleanup(u);
  if (problem != NULL)
    luaL_error(L, "clickup.time.new: %s", problem);
}


static size_t opt_bytes(lua_State *L, const char *key, size_t def) {
  size_t v = def;
  lua_getfield(L, 1, key);
  if (!lua_isnil(L, -1)) {
    lua_Number n = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || !(n >= 1024 && n <= 4294967295.0))
      luaL_error(L, "clickup.time.new: bad option '%s' (bytes expected, at least 1024)", key);
    v = (size_t)n;
  }
  lua_pop(L, 1);
  return v;
}


/* "Authorization: pk_..." bare; "Bearer x" as given; any other token is OAuth */
static char *auth_header(const char *token, size_t len) {
  const char *prefix = "Authorization: ";
  const char *scheme = (strncmp(token, "pk_", 3) == 0 || strncmp(token, "Bearer ", 7) == 0)
                       ? "" : "Bearer ";
  size_t n = strlen(prefix) + strlen(scheme) + len + 1;
  char *h = (char *)malloc(n);
  if (h != NULL)
    snprintf(h, n, "%s%s%s", prefix, scheme, token);
  return h;
}


/*
** The compression asked for, as a header of our own: given only
** CURLOPT_ACCEPT_ENCODING "", libcurl 7.88 formats its Accept-Encoding line
** twice per request, a byte at a time ("deflate, gzip, br, zstd": ~8k
** instructions, most of a 1-entry GET's overhead over a bare one); a header
** of the list is copied once, and libcurl then sends no line of its own.
** CURLOPT_ACCEPT_ENCODING stays set: it is what makes libcurl decode the
** answer. NULL (libcurl's own line) when libcurl has no zlib.
*/
static const char *accept_encoding(void) {
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  if (!(v->features & CURL_VERSION_LIBZ))
    return NULL;
#ifdef CURL_VERSION_BROTLI
  if (v->features & CURL_VERSION_BROTLI)
    return "Accept-Encoding: gzip, br";
#endif
  return "Accept-Encoding: gzip";
}


/*
** The proxy the environment names for base_url, and the hosts that go
** around it, read once, as libcurl would read them at every transfer
** (detect_proxy, lib/url.c: five getenv calls a request, ~2k instructions):
** <scheme>_proxy, upper case too except HTTP_PROXY (which CGI sets from a
** request's header), then all_proxy, ALL_PROXY; no_proxy, NO_PROXY. An
** empty value counts as unset, as in curl_getenv. Given as CURLOPT_PROXY
** and CURLOPT_NOPROXY ("" for none), libcurl then reads no environment.
*/
static const char *env_first(const char *const *names) {
  for (; *names != NULL; names++) {
    const char *v = getenv(*names);
    if (v != NULL && *v != '\0') return v;
  }
  return "";
}

static const char *env_proxy(const char *base_url, const char **noproxy) {
  static const char *const http[] = { "http_proxy", "all_proxy", "ALL_PROXY", NULL };
  static const char *const https[] = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", NULL };
  static const char *const no[] = { "no_proxy", "NO_PROXY", NULL };
  *noproxy = env_first(no);
  return env_first(strncmp(base_url, "https://", 8) == 0 ? https : http);
}


static struct curl_slist *headers(const char *auth, int json_body) {
  struct curl_slist *l = NULL, *t;
  const char *ae = accept_encoding();
  if ((t = curl_slist_append(l, auth)) == NULL) return NULL;
  l = t;
  if ((t = curl_slist_append(l, "Accept: application/json")) == NULL) goto fail;
  if (ae != NULL && (t = curl_slist_append(l, ae)) == NULL) goto fail;
  /* a body never waits for "100 Continue" (only a body sends Expect:) */
  if (json_body && (t = curl_slist_append(l, "Expect:")) == NULL) goto fail;
  /* in the list rather than CURLOPT_USERAGENT, which libcurl formats anew
     for every request */
  if ((t = curl_slist_append(l, "User-Agent: clickup-time/" CT_VERSION)) == NULL) goto fail;
  if (json_body && (t = curl_slist_append(l, "Content-Type: application/json")) == NULL)
    goto fail;
  return l;
fail:
  curl_slist_free_all(l);
  return NULL;
}


/***
Make a client of the core.
@function new
@tparam table opts token, base_url (required), team_id, timeout, connect_timeout (seconds),
strict (anomalies are bad_shape)
@treturn userdata the client
*/
int ct_client_new(lua_State *L) {
  size_t tlen = 0, blen = 0, wlen = 0, flen = 0, plen = 0;
  const char *token, *base, *team, *ca_file, *ca_path, *proxy, *noproxy;
  char *auth;
  ct_client *cl;
  int strict;
  luaL_checktype(L, 1, LUA_TTABLE);
  check_keys(L);
  token = opt_string(L, "token", &tlen);
  base = opt_string(L, "base_url", &blen);
  team = opt_string(L, "team_id", &wlen);
  if (token == NULL || tlen == 0)
    return luaL_error(L, "clickup.time.new: no token");
  if (has_control(token, tlen))
    return luaL_error(L, "clickup.time.new: bad option 'token' (contains a control character)");
  if (base == NULL || has_control(base, blen))
    return luaL_error(L, "clickup.time.new: bad option 'base_url' (an http:// or https:// URL expected)");
  lua_getfield(L, 1, "allow_insecure_http");
  if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
    return luaL_error(L, "clickup.time.new: bad option 'allow_insecure_http' (boolean expected)");
  check_base_url(L, base, lua_toboolean(L, -1));
  lua_pop(L, 1);
  lua_getfield(L, 1, "strict");
  if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
    return luaL_error(L, "clickup.time.new: bad option 'strict' (boolean expected)");
  strict = lua_toboolean(L, -1);
  lua_pop(L, 1);
  ca_file = opt_string(L, "ca_file", &flen);
  ca_path = opt_string(L, "ca_path", &plen);
  if ((ca_file && has_control(ca_file, flen)) || (ca_path && has_control(ca_path, plen)))
    return luaL_error(L, "clickup.time.new: bad option 'ca_file' or 'ca_path'");
  if (team != NULL && (wlen == 0 || has_control(team, wlen)))
    return luaL_error(L, "clickup.time.new: bad option 'team_id' (a workspace id expected)");
  while (blen > 0 && base[blen - 1] == '/')
    blen--;
  cl = (ct_client *)ct_newuserdata(L, sizeof *cl);  /* closed first, then opened */
  memset(cl, 0, sizeof *cl);
  cl->timer_ms = -1;
  cl->poll_fd = -1;
  cl->strict = strict;
  luaL_getmetatable(L, CT_CLIENT_MT);
  lua_setmetatable(L, -2);
  cl->timeout_ms = opt_ms(L, "timeout", 30);
  cl->connect_timeout_ms = opt_ms(L, "connect_timeout", 10);
  cl->stall_ms = opt_ms(L, "stall_timeout", 15);
  cl->max_response = opt_bytes(L, "max_response", (size_t)64 << 20);
  ct_meta_reset(&cl->meta);
  cl->ca_file = ca_file ? dupstr(ca_file, flen) : NULL;
  cl->ca_path = ca_path ? dupstr(ca_path, plen) : NULL;
  auth = auth_header(token, tlen);
  cl->token = dupstr(token, tlen);
  cl->base_url = dupstr(base, blen);
  cl->team_id = team ? dupstr(team, wlen) : NULL;
  proxy = env_proxy(base, &noproxy);
  cl->proxy = dupstr(proxy, strlen(proxy));
  cl->noproxy = dupstr(noproxy, strlen(noproxy));
  if (auth != NULL) {
    cl->hdr_get = headers(auth, 0);
    cl->hdr_body = headers(auth, 1);
    memset(auth, 0, strlen(auth));
    free(auth);
  }
  cl->multi = curl_multi_init();
  if (cl->multi != NULL)                            /* HTTP/2 streams share a connection */
    curl_multi_setopt(cl->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
  cl->share = curl_share_init();
  if (cl->share != NULL) {
    curl_share_setopt(cl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(cl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(cl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  if (cl->multi == NULL || cl->share == NULL || cl->hdr_get == NULL || cl->hdr_body == NULL || cl->token == NULL
      || cl->base_url == NULL || (team != NULL && cl->team_id == NULL) || cl->proxy == NULL || cl->noproxy == NULL
      || (ca_file != NULL && cl->ca_file == NULL) || (ca_path != NULL && cl->ca_path == NULL)) {
    client_cleanup(cl);
    return luaL_error(L, "clickup.time.new: out of memory");
  }
  return 1;
}

/* }====== */


/***
Close the client: its connections and memory are released. Idempotent;
also what __gc and __close do.
@function close
*/
static int client_close(lua_State *L) {
  client_cleanup((ct_client *)luaL_checkudata(L, 1, CT_CLIENT_MT));
  return 0;
}


static int client_tostring(lua_State *L) {
  ct_client *cl = (ct_client *)luaL_checkudata(L, 1, CT_CLIENT_MT);
  if (cl->multi == NULL)
    lua_pushliteral(L, "clickup.time.Client (closed)");
  else
    lua_pushfstring(L, "clickup.time.Client (%p)", (void *)cl);
  return 1;
}


static void push_meta(lua_State *L, long long v) {
  if (v >= 0)
    ct_pushint(L, v);
  else
    lua_pushnil(L);
}


/***
What the headers of the last answer said, as values (no table: it is asked
after every request).
@function meta
@treturn integer|nil limit, remaining, reset (epoch seconds), retry_after
(seconds), date (epoch seconds, the server's clock): nil where the answer
did not carry it
*/
static int client_meta(lua_State *L) {
  ct_client *cl = check_open(L, "meta");
  push_meta(L, cl->meta.limit);
  push_meta(L, cl->meta.remaining);
  push_meta(L, cl->meta.reset);
  push_meta(L, cl->meta.retry_after);
  push_meta(L, cl->meta.date);
  return 5;
}


/* methods[fmt % row name] = fn, a closure over the module's upvalues and the row */
static void set_row_method(lua_State *L, int up, const ct_endpoint *ep, lua_CFunction fn,
                           const char *fmt) {
  int i;
  lua_pushfstring(L, fmt, ep->name);                /* methods name */
  for (i = 0; i < CT_NUP; i++) lua_pushvalue(L, up + i);
  lua_pushlightuserdata(L, (void *)ep);
  lua_pushcclosure(L, fn, CT_NUP + 1);              /* methods name fn */
  lua_settable(L, -3);                              /* methods */
}


/*
** The Client metatable: methods (one closure per endpoint row, plus close
** and rate_limit) with the module's upvalues. Expects the CT_NUP upvalues
** on the stack top; pops them.
*/
void ct_client_open(lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__gc", client_close}, {"__tostring", client_tostring},
#if LUA_VERSION_NUM >= 504
    {"__close", client_close},
#endif
    {NULL, NULL}
  };
  static const luaL_Reg methods[] = {
    {"close", client_close}, {"meta", client_meta}, {"perform", client_perform},
    {"wait", client_wait}, {"done", client_done}, {"cancel", client_cancel},
    {"watch", client_watch}, {"socket_action", client_socket_action},
    {"pending", client_pending}, {"poll_fd", client_poll_fd}, {"ready", client_ready},
    {NULL, NULL}
  };
  const ct_endpoint *ep;
  int i, up = lua_gettop(L) - CT_NUP + 1;
  luaL_newmetatable(L, CT_CLIENT_MT);               /* ups mt */
  for (i = 0; i < CT_NUP; i++) lua_pushvalue(L, up + i);
  ct_setfuncs(L, meta, CT_NUP);
  lua_createtable(L, 0, 24);                        /* ups mt methods */
  for (i = 0; i < CT_NUP; i++) lua_pushvalue(L, up + i);
  ct_setfuncs(L, methods, CT_NUP);
  for (ep = ct_endpoints; ep->name != NULL; ep++) {
    set_row_method(L, up, ep, client_call, "%s");
    set_row_method(L, up, ep, client_send, "send_%s");
    set_row_method(L, up, ep, client_check, "check_%s");
  }
  lua_setfield(L, -2, "__index");                   /* ups mt */
  lua_pop(L, 1 + CT_NUP);
}
