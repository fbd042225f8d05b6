/*
** ct_client.c: the client object. It owns one libcurl easy handle, kept
** for the client's life so that connections are reused (keep-alive), the
** header lists, and the buffers of the URL, the body and the answer, all
** reused between requests. close, __gc and __close share one idempotent
** cleanup (Lua's io library pattern).
**
** No Lua runs inside a libcurl callback: the write and header callbacks
** only append bytes and record numbers.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
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


static void client_cleanup(ct_client *cl) {
  if (cl->curl != NULL) {
    curl_easy_cleanup(cl->curl);
    cl->curl = NULL;
  }
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
  cl->token = cl->base_url = cl->team_id = cl->ca_file = cl->ca_path = NULL;
  ct_buf_free(&cl->url);
  ct_buf_free(&cl->path);
  ct_buf_free(&cl->body);
  ct_buf_free(&cl->resp);
}


static ct_client *check_open(lua_State *L, const char *method) {
  ct_client *cl = (ct_client *)luaL_checkudata(L, 1, CT_CLIENT_MT);
  if (cl->curl == NULL)
    luaL_error(L, "clickup.time: %s: attempt to use a closed client", method);
  return cl;
}


/* {====== libcurl callbacks: bytes and numbers only */

static size_t on_body(char *data, size_t size, size_t n, void *ud) {
  ct_client *cl = (ct_client *)ud;
  size_t len = size * n;
  if (len > cl->max_response - cl->resp.len) {     /* resp.len <= max_response always */
    cl->too_large = 1;
    return 0;                                       /* aborts the transfer */
  }
  return ct_buf_add(&cl->resp, data, len) ? len : 0;
}


static int header_is(const char *h, size_t len, const char *name, size_t nlen) {
  return len > nlen && strncasecmp(h, name, nlen) == 0;
}


/* the header's value, trimmed, into out */
static void header_value(const char *h, size_t len, size_t nlen, char *out, size_t outlen) {
  size_t i = nlen, j = 0;
  while (i < len && (h[i] == ' ' || h[i] == '\t'))
    i++;
  while (i < len && h[i] != '\r' && h[i] != '\n' && j + 1 < outlen)
    out[j++] = h[i++];
  while (j > 0 && (out[j - 1] == ' ' || out[j - 1] == '\t'))
    j--;
  out[j] = '\0';
}


/* a non-negative decimal header value; -1 for anything else (garbage, huge) */
static long long header_number(const char *h, size_t len, size_t nlen) {
  char v[32], *end;
  long long x;
  header_value(h, len, nlen, v, sizeof v);
  if (v[0] < '0' || v[0] > '9')
    return -1;
  errno = 0;
  x = strtoll(v, &end, 10);
  return (errno == 0 && *end == '\0' && x <= 99999999999LL) ? x : -1;
}


static void meta_reset(ct_meta *m) {
  m->limit = m->remaining = m->reset = m->retry_after = m->date = -1;
  m->content_type[0] = '\0';
}


static long long header_date(const char *h, size_t len, size_t nlen) {
  char v[64];
  time_t t;
  header_value(h, len, nlen, v, sizeof v);
  t = curl_getdate(v, NULL);
  return t > 0 ? (long long)t : -1;
}


#define HDR(h, len, lit) header_is(h, len, lit, sizeof(lit) - 1)
#define HLEN(lit) (sizeof(lit) - 1)

static size_t on_header(char *h, size_t size, size_t n, void *ud) {
  ct_meta *m = &((ct_client *)ud)->meta;
  size_t len = size * n;
  if (len >= 5 && memcmp(h, "HTTP/", 5) == 0)       /* a new answer (after 100, ...) */
    meta_reset(m);
  else if (HDR(h, len, "content-type:"))
    header_value(h, len, HLEN("content-type:"), m->content_type, sizeof m->content_type);
  else if (HDR(h, len, "x-ratelimit-limit:"))
    m->limit = header_number(h, len, HLEN("x-ratelimit-limit:"));
  else if (HDR(h, len, "x-ratelimit-remaining:"))
    m->remaining = header_number(h, len, HLEN("x-ratelimit-remaining:"));
  else if (HDR(h, len, "x-ratelimit-reset:"))
    m->reset = header_number(h, len, HLEN("x-ratelimit-reset:"));
  else if (HDR(h, len, "retry-after:"))
    m->retry_after = header_number(h, len, HLEN("retry-after:"));
  else if (HDR(h, len, "date:"))
    m->date = header_date(h, len, HLEN("date:"));
  return len;
}

/* }====== */


static CURLcode perform(ct_client *cl, const ct_request *rq) {
  CURL *c = cl->curl;
  const char *method = rq->ep->method;
  curl_easy_reset(c);                               /* keeps live connections */
  curl_easy_setopt(c, CURLOPT_URL, cl->url.data);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cl->timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cl->connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);           /* a stalled transfer: */
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (cl->stall_ms + 999) / 1000);  /* no byte for so long */
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cl->max_response);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);            /* always, whatever the defaults */
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (cl->ca_file != NULL) curl_easy_setopt(c, CURLOPT_CAINFO, cl->ca_file);
  if (cl->ca_path != NULL) curl_easy_setopt(c, CURLOPT_CAPATH, cl->ca_path);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "clickup-time/" CT_VERSION);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, rq->has_body ? cl->hdr_body : cl->hdr_get);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, cl);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, cl);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cl->errbuf);
  if (strcmp(method, "GET") != 0) {
    if (strcmp(method, "POST") == 0) {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      /* libcurl silently sends a request again when a reused connection
         dies before any answer; for a POST that may already have created an
         entry, that is a duplicate. A fresh connection is never retried so. */
      curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
    } else {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    }
    if (rq->has_body || strcmp(method, "POST") == 0) {
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, cl->body.data ? cl->body.data : "");
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)cl->body.len);
    }
  }
  cl->errbuf[0] = '\0';
  cl->too_large = 0;
  meta_reset(&cl->meta);
  ct_buf_reset(&cl->resp);
  return curl_easy_perform(c);
}


/* no content type (unknown), or one that says JSON: application/json, ...+json */
static int is_json_type(const char *ctype) {
  const char *p;
  if (ctype == NULL || ctype[0] == '\0')
    return 1;
  for (p = ctype; *p && *p != ';'; p++)
    if (strncasecmp(p, "json", 4) == 0)
      return 1;
  return 0;
}


/* decode a body with the private cjson: pushes the value, or nil and a message */
static int decode(lua_State *L, const char *body, size_t len) {
  if (len == 0) {
    lua_pushnil(L);
    lua_pushliteral(L, "empty body");
    return 0;
  }
  lua_pushvalue(L, CT_UV_DECODE);                   /* decode */
  lua_pushlstring(L, body, len);                    /* decode body */
  if (lua_pcall(L, 1, 1, 0) != 0) {                 /* value | msg */
    lua_pushnil(L);
    lua_insert(L, -2);                              /* nil msg */
    return 0;
  }
  return 1;
}


static int fail_api(lua_State *L, const ct_answer *a, int ok) {
  const char *code = NULL, *message = NULL;
  int d = lua_gettop(L) - (ok ? 0 : 1);             /* the decoded value, or nil */
  if (ok && lua_istable(L, d)) {
    lua_getfield(L, d, "ECODE");
    lua_getfield(L, d, "err");
    code = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  }
  if (code == NULL)
    code = lua_pushfstring(L, "HTTP_%d", (int)a->status);
  if (message == NULL)
    message = lua_pushfstring(L, "ClickUp answered HTTP %d without an error body%s%s%s",
                              (int)a->status, a->ctype[0] ? " (" : "", a->ctype,
                              a->ctype[0] ? ")" : "");
  lua_pushnil(L);
  ct_pusherror(L, "api", code, message, (int)a->status, a->rq, a->cl);
  if (a->status == 429 && a->meta != NULL) {        /* how long until ClickUp takes more */
    long long wait = a->meta->retry_after;
    if (wait < 0 && a->meta->reset >= 0) {
      long long now = a->meta->date >= 0 ? a->meta->date : (long long)time(NULL);
      wait = a->meta->reset > now ? a->meta->reset - now : 0;
    }
    if (wait >= 0) {
      ct_pushint(L, wait);
      lua_setfield(L, -2, "retry_after");
    }
  }
  return 2;
}


/*
** What an answer means for its endpoint: the mapped result, or nil and an
** error (api for a non-2xx status, decode for a body that is not the JSON
** the endpoint answers with).
*/
int ct_answer_result(lua_State *L, const ct_answer *a) {
  int ok, d;
  char why[256];
  const char *msg;
  if (a->status >= 200 && a->status <= 299 && a->len > 0 && !is_json_type(a->ctype)) {
    msg = lua_pushfstring(L, "the answer (HTTP %d) is %s, not JSON", (int)a->status, a->ctype);
    lua_pushnil(L);
    ct_pusherror(L, "decode", "bad_json", msg, (int)a->status, a->rq, a->cl);
    return 2;
  }
  ok = decode(L, a->body, a->len);
  if (a->status < 200 || a->status > 299)
    return fail_api(L, a, ok);
  if (!ok) {
    if (a->ep->shape == CT_S_OK && a->len == 0) {
      lua_pushboolean(L, 1);
      return 1;
    }
    msg = lua_pushfstring(L, "the answer (HTTP %d%s%s) is not JSON: %s", (int)a->status,
                          a->ctype[0] ? ", " : "", a->ctype, lua_tostring(L, -1));
    lua_pushnil(L);
    ct_pusherror(L, "decode", "bad_json", msg, (int)a->status, a->rq, a->cl);
    return 2;
  }
  d = lua_gettop(L);
  if (!ct_map_response(L, a->ep, d, why, sizeof why)) {
    msg = lua_pushfstring(L, "unexpected answer: %s", why);
    lua_pushnil(L);
    ct_pusherror(L, "decode", "bad_shape", msg, (int)a->status, a->rq, a->cl);
    return 2;
  }
  return 1;
}


/*
** One endpoint method: check, build, send, map. The row is upvalue 5.
*/
int ct_client_call(lua_State *L) {
  const ct_endpoint *ep = (const ct_endpoint *)lua_touserdata(L, CT_UV_EP);
  ct_client *cl = check_open(L, ep->name);
  ct_request rq;
  CURLcode rc;
  memset(&rq, 0, sizeof rq);
  rq.ep = ep;
  ct_request_check(L, &rq, lua_gettop(L) - 1);
  if (!ct_request_build(L, &rq, cl))
    return luaL_error(L, "clickup.time: %s: out of memory", ep->name);
  rc = perform(cl, &rq);
  if (rc != CURLE_OK && cl->too_large) {
    long status = 0;
    const char *msg;
    curl_easy_getinfo(cl->curl, CURLINFO_RESPONSE_CODE, &status);
    msg = lua_pushfstring(L, "the answer is larger than max_response (%d bytes)",
                          (int)cl->max_response);
    lua_pushnil(L);
    ct_pusherror(L, "decode", "too_large", msg, (int)status, &rq, cl);
    return 2;
  }
  if (rc == CURLE_FILESIZE_EXCEEDED) {              /* Content-Length said so first */
    const char *msg = lua_pushfstring(L, "the answer is larger than max_response (%d bytes)",
                                      (int)cl->max_response);
    lua_pushnil(L);
    ct_pusherror(L, "decode", "too_large", msg, 0, &rq, cl);
    return 2;
  }
  if (rc != CURLE_OK) {
    const char *msg = cl->errbuf[0] ? cl->errbuf : curl_easy_strerror(rc);
    long sent = 0;
    curl_easy_getinfo(cl->curl, CURLINFO_REQUEST_SIZE, &sent);
    lua_pushnil(L);
    ct_pusherror(L, "transport", ct_curl_code(rc), msg, 0, &rq, cl);
    lua_pushstring(L, ct_curl_name(rc));
    lua_setfield(L, -2, "curl");
    lua_pushboolean(L, sent > 0);                   /* false: ClickUp never saw it */
    lua_setfield(L, -2, "sent");
    return 2;
  }
  {
    ct_answer a;
    long status = 0;
    curl_easy_getinfo(cl->curl, CURLINFO_RESPONSE_CODE, &status);
    a.ep = ep;
    a.status = status;
    a.body = cl->resp.data ? cl->resp.data : "";
    a.len = cl->resp.len;
    a.ctype = cl->meta.content_type;
    a.meta = &cl->meta;
    a.rq = &rq;
    a.cl = cl;
    return ct_answer_result(L, &a);
  }
}


/* {====== construction */

/* a string option, left on the stack (so it lives on); team_id may be an integer */
static const char *opt_string(lua_State *L, const char *key, size_t *len) {
  lua_getfield(L, 1, key);
  if (lua_isnil(L, -1))
    return NULL;
  if (lua_type(L, -1) == LUA_TNUMBER && strcmp(key, "team_id") == 0) {
    lua_Number n = lua_tonumber(L, -1);
    char tmp[32];
    if (!(n > 0 && n < 9007199254740992.0) || (lua_Number)(long long)n != n)
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
    "max_response", "ca_file", "ca_path", "allow_insecure_http", NULL
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


static struct curl_slist *headers(const char *auth, int json_body) {
  struct curl_slist *l = NULL, *t;
  if ((t = curl_slist_append(l, auth)) == NULL) return NULL;
  l = t;
  if ((t = curl_slist_append(l, "Accept: application/json")) == NULL) goto fail;
  if ((t = curl_slist_append(l, "Expect:")) == NULL) goto fail;
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
@tparam table opts token, base_url (required), team_id, timeout, connect_timeout (seconds)
@treturn userdata the client
*/
int ct_client_new(lua_State *L) {
  size_t tlen = 0, blen = 0, wlen = 0, flen = 0, plen = 0;
  const char *token, *base, *team, *ca_file, *ca_path;
  char *auth;
  ct_client *cl;
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
  luaL_getmetatable(L, CT_CLIENT_MT);
  lua_setmetatable(L, -2);
  cl->timeout_ms = opt_ms(L, "timeout", 30);
  cl->connect_timeout_ms = opt_ms(L, "connect_timeout", 10);
  cl->stall_ms = opt_ms(L, "stall_timeout", 15);
  cl->max_response = opt_bytes(L, "max_response", (size_t)64 << 20);
  meta_reset(&cl->meta);
  cl->ca_file = ca_file ? dupstr(ca_file, flen) : NULL;
  cl->ca_path = ca_path ? dupstr(ca_path, plen) : NULL;
  auth = auth_header(token, tlen);
  cl->token = dupstr(token, tlen);
  cl->base_url = dupstr(base, blen);
  cl->team_id = team ? dupstr(team, wlen) : NULL;
  if (auth != NULL) {
    cl->hdr_get = headers(auth, 0);
    cl->hdr_body = headers(auth, 1);
    memset(auth, 0, strlen(auth));
    free(auth);
  }
  cl->curl = curl_easy_init();
  if (cl->curl == NULL || cl->hdr_get == NULL || cl->hdr_body == NULL || cl->token == NULL
      || cl->base_url == NULL || (team != NULL && cl->team_id == NULL)
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
  if (cl->curl == NULL)
    lua_pushliteral(L, "clickup.time.Client (closed)");
  else
    lua_pushfstring(L, "clickup.time.Client (%p)", (void *)cl);
  return 1;
}


static void set_meta(lua_State *L, const char *k, long long v) {
  if (v >= 0) {
    ct_pushint(L, v);
    lua_setfield(L, -2, k);
  }
}


/***
What the headers of the last answer said.
@function meta
@treturn table {limit=, remaining=, reset=, retry_after=, date=} (seconds;
reset and date are epoch seconds, date is the server's clock); a field is
absent when the answer did not carry it
*/
static int client_meta(lua_State *L) {
  ct_client *cl = check_open(L, "meta");
  lua_createtable(L, 0, 5);
  set_meta(L, "limit", cl->meta.limit);
  set_meta(L, "remaining", cl->meta.remaining);
  set_meta(L, "reset", cl->meta.reset);
  set_meta(L, "retry_after", cl->meta.retry_after);
  set_meta(L, "date", cl->meta.date);
  return 1;
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
    {"close", client_close}, {"meta", client_meta}, {NULL, NULL}
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
    for (i = 0; i < CT_NUP; i++) lua_pushvalue(L, up + i);
    lua_pushlightuserdata(L, (void *)ep);
    lua_pushcclosure(L, ct_client_call, CT_NUP + 1);
    lua_setfield(L, -2, ep->name);
  }
  lua_setfield(L, -2, "__index");                   /* ups mt */
  lua_pop(L, 1 + CT_NUP);
}
