/*
** ct_transfer.c: the client's HTTP exchanges.
**
** A non-blocking request is an easy handle in the client's multi handle; a
** blocking one with nothing else in flight is a plain curl_easy_perform,
** which needs none of the multi's machinery. Every handle has the client's
** share handle, whose connection cache (with DNS and TLS sessions) they
** all use, in either mode: keep-alive across both, HTTP/2 multiplexing in
** the multi. Requests are pooled. No Lua runs inside a libcurl callback:
** the write and header callbacks append bytes and record numbers, the
** socket and timer callbacks record what curl waits for.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ct_private.h"


/* {====== easy callbacks: bytes and numbers only */

static size_t on_body(char *data, size_t size, size_t n, void *ud) {
  ct_req *req = (ct_req *)ud;
  size_t len = size * n;
  if (len > req->cl->max_response - req->resp.len) {  /* resp.len <= max_response always */
    req->too_large = 1;
    return 0;                                         /* aborts the transfer */
  }
  return ct_buf_add(&req->resp, data, len) ? len : 0;
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


/* a Date header in epoch seconds, or -1; answers of one second share the parse */
static long long header_date(ct_client *cl, const char *h, size_t len, size_t nlen) {
  char v[40];
  time_t t;
  header_value(h, len, nlen, v, sizeof v);
  if (strcmp(v, cl->date_raw) == 0)
    return cl->date_val;
  t = curl_getdate(v, NULL);
  memcpy(cl->date_raw, v, sizeof v);
  cl->date_val = t > 0 ? (long long)t : -1;
  return cl->date_val;
}


void ct_meta_reset(ct_meta *m) {
  m->limit = m->remaining = m->reset = m->retry_after = m->date = -1;
  m->content_type[0] = '\0';
}


#define HDR(h, len, lit) header_is(h, len, lit, sizeof(lit) - 1)
#define HLEN(lit) (sizeof(lit) - 1)

static size_t on_header(char *h, size_t size, size_t n, void *ud) {
  ct_req *req = (ct_req *)ud;
  ct_meta *m = &req->meta;
  size_t len = size * n;
  if (len < 5)
    return len;
  switch (h[0] | 0x20) {                            /* by the first letter: most headers match none */
    case 'h':
      if (memcmp(h, "HTTP/", 5) == 0)               /* a new answer (after 100, ...) */
        ct_meta_reset(m);
      break;
    case 'c':
      if (HDR(h, len, "content-type:"))
        header_value(h, len, HLEN("content-type:"), m->content_type, sizeof m->content_type);
      else if (HDR(h, len, "content-length:")) {  /* room for the body at once */
        long long cl_len = header_number(h, len, HLEN("content-length:"));
        if (cl_len > 0 && (size_t)cl_len <= req->cl->max_response && req->resp.len == 0)
          ct_buf_reserve(&req->resp, (size_t)cl_len);
      }
      break;
    case 'x':
      if (HDR(h, len, "x-ratelimit-limit:"))
        m->limit = header_number(h, len, HLEN("x-ratelimit-limit:"));
      else if (HDR(h, len, "x-ratelimit-remaining:"))
        m->remaining = header_number(h, len, HLEN("x-ratelimit-remaining:"));
      else if (HDR(h, len, "x-ratelimit-reset:"))
        m->reset = header_number(h, len, HLEN("x-ratelimit-reset:"));
      break;
    case 'r':
      if (HDR(h, len, "retry-after:"))
        m->retry_after = header_number(h, len, HLEN("retry-after:"));
      break;
    case 'd':
      if (HDR(h, len, "date:"))
        m->date = header_date(req->cl, h, len, HLEN("date:"));
      break;
  }
  return len;
}

/* }====== */


/* {====== the pool */

void ct_req_unlink(ct_req **list, ct_req *req) {
  for (; *list != NULL; list = &(*list)->next)
    if (*list == req) {
      *list = req->next;
      req->next = NULL;
      return;
    }
}


/* a request from the pool, or a new one; NULL when memory ran out */
ct_req *ct_req_acquire(ct_client *cl) {
  ct_req *req = cl->pool;
  if (req != NULL) {
    cl->pool = req->next;
  } else {
    req = (ct_req *)calloc(1, sizeof *req);
    if (req == NULL)
      return NULL;
    req->easy = curl_easy_init();
    if (req->easy == NULL) {
      free(req);
      return NULL;
    }
  }
  req->next = NULL;
  req->cl = cl;
  req->id = ++cl->next_id;
  req->blocking = 0;
  return req;
}


#define KEEP_BUFFER (1u << 20)  /* larger answer buffers are not kept in the pool */

/* back to the pool (the request is on no list) */
void ct_req_release(ct_req *req) {
  ct_client *cl = req->cl;
  req->ep = NULL;
  if (req->resp.cap > KEEP_BUFFER)
    ct_buf_free(&req->resp);
  req->next = cl->pool;
  cl->pool = req;
}


void ct_req_free(ct_req *req) {
  if (req->easy != NULL)
    curl_easy_cleanup(req->easy);
#if CT_HAVE_CURLU
  if (req->uh != NULL)
    curl_url_cleanup(req->uh);
#endif
  ct_buf_free(&req->url);
  ct_buf_free(&req->origin);
  ct_buf_free(&req->path);
  ct_buf_free(&req->body);
  ct_buf_free(&req->resp);
  free(req);
}

/* }====== */


/* what never changes for a pooled handle: set once, when it is new */
static void configure(ct_req *req) {
  ct_client *cl = req->cl;
  CURL *c = req->easy;
  curl_easy_setopt(c, CURLOPT_PRIVATE, (void *)req);
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
  curl_easy_setopt(c, CURLOPT_PIPEWAIT, 1L);                  /* rather wait for HTTP/2 multiplexing */
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, (void *)req);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, (void *)req);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, req->errbuf);
  if (cl->share != NULL) curl_easy_setopt(c, CURLOPT_SHARE, cl->share);
  curl_easy_setopt(c, CURLOPT_PROXY, cl->proxy);              /* libcurl reads no environment */
  curl_easy_setopt(c, CURLOPT_NOPROXY, cl->noproxy);
  req->configured = 1;
}


/*
** The request's URL goes to libcurl already parsed, in the form that costs
** it least. Given CURLOPT_URL, libcurl parses the string, then formats and
** parses its parts again at every transfer; given a CURLU with a query, it
** still formats path and query twice, a byte at a time (callgrind, a
** 1-entry GET with start_date/end_date: ~110k instructions a request by
** CURLOPT_URL, ~97k by a whole CURLU). So each pooled handle keeps a CURLU
** of the origin alone (scheme, host, port: set once, parsed once), and the
** path and query go as CURLOPT_REQUEST_TARGET, sent as they are, escapes
** as written (~14k fewer instructions a request than the whole CURLU).
**
** Through a proxy that is not tunnelled (an http:// URL and a proxy from
** the environment, ct_client.c), the request line must be the whole URL,
** which the target would replace: then the whole URL goes in the CURLU, as
** before. https:// always tunnels (CONNECT), so it always takes the cheap form.
*/
static int tunnelled_or_direct(const ct_client *cl, const char *url) {
  return strncmp(url, "https://", 8) == 0 || cl->proxy[0] == '\0';
}

/* where the path starts in a URL "scheme://authority/path...", or NULL */
static const char *target_of(const char *url) {
  const char *p = strstr(url, "://");
  return p != NULL ? strchr(p + 3, '/') : NULL;
}

static void set_url(ct_req *req) {
#if CT_HAVE_CURLU
  const char *url = req->url.data, *target = target_of(url);
  if (req->uh == NULL && !req->uh_failed)
    req->uh_failed = (req->uh = curl_url()) == NULL;
  if (req->uh != NULL && target != NULL && tunnelled_or_direct(req->cl, url)) {
    size_t n = (size_t)(target - url);
    int same = req->origin.len == n && memcmp(req->origin.data, url, n) == 0;
    if (!same) {                                    /* a new origin: parsed once */
      ct_buf_reset(&req->origin);
      if (!ct_buf_add(&req->origin, url, n)
          || curl_url_set(req->uh, CURLUPART_URL, req->origin.data, 0) != CURLUE_OK)
        ct_buf_reset(&req->origin);
    }
    if (req->origin.len == n
        && curl_easy_setopt(req->easy, CURLOPT_CURLU, req->uh) == CURLE_OK
        && curl_easy_setopt(req->easy, CURLOPT_REQUEST_TARGET, target) == CURLE_OK)
      return;
  }
  curl_easy_setopt(req->easy, CURLOPT_REQUEST_TARGET, NULL);
  ct_buf_reset(&req->origin);                       /* uh holds a whole URL, or nothing */
  if (req->uh != NULL) {
    if (curl_url_set(req->uh, CURLUPART_URL, url, 0) == CURLUE_OK
        && curl_easy_setopt(req->easy, CURLOPT_CURLU, req->uh) == CURLE_OK)
      return;
    curl_easy_setopt(req->easy, CURLOPT_CURLU, NULL);
  }
#endif
  curl_easy_setopt(req->easy, CURLOPT_URL, req->url.data);
}


/*
** Set the easy handle up for the built request: what changes per request
** is set every time (a GET resets what a POST, PUT or DELETE set before).
*/
void ct_req_prepare(ct_req *req) {
  ct_client *cl = req->cl;
  CURL *c = req->easy;
  const char *method = req->ep->method;
  int post = strcmp(method, "POST") == 0;
  if (!req->configured)
    configure(req);
  set_url(req);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, req->has_body ? cl->hdr_body : cl->hdr_get);
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);                   /* back to a plain GET */
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, (post || strcmp(method, "GET") == 0) ? NULL : method);
  /* libcurl silently sends a request again when a reused connection dies
     before any answer; for a POST that may already have created an entry,
     that is a duplicate. A fresh connection is never retried so. */
  curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, post ? 1L : 0L);
  if (post)
    curl_easy_setopt(c, CURLOPT_POST, 1L);
  if (req->has_body || post) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body.data ? req->body.data : "");
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)req->body.len);
  }
  req->errbuf[0] = '\0';
  req->too_large = 0;
  req->rc = CURLE_OK;
  ct_meta_reset(&req->meta);
  ct_buf_reset(&req->resp);
}


/* the request prepared and added to the multi; 0 when libcurl refused it */
int ct_req_start(ct_req *req) {
  ct_client *cl = req->cl;
  ct_req_prepare(req);
  if (curl_multi_add_handle(cl->multi, req->easy) != CURLM_OK)
    return 0;
  req->next = cl->active;
  cl->active = req;
  cl->nactive++;
  return 1;
}


/* move every transfer libcurl says is done from active to finished, in order */
void ct_drain(ct_client *cl) {
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(cl->multi, &left)) != NULL) {
    ct_req *req = NULL, **tail;
    if (msg->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&req);
    if (req == NULL)
      continue;
    req->rc = msg->data.result;
    curl_multi_remove_handle(cl->multi, req->easy);
    ct_req_unlink(&cl->active, req);
    cl->nactive--;
    for (tail = &cl->finished; *tail != NULL; tail = &(*tail)->next)
      ;
    *tail = req;
  }
}


/*
** The outcome of a finished request, as the blocking call returns it: the
** result (1 value; result, nil, anomalies when the answer had some) or nil
** and an error (2 values).
*/
int ct_req_result(lua_State *L, ct_req *req) {
  long status = 0;
  const char *msg;
  curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
  if (req->rc != CURLE_OK && (req->too_large || req->rc == CURLE_FILESIZE_EXCEEDED)) {
    msg = lua_pushfstring(L, "the answer is larger than max_response (%d bytes)",
                          (int)req->cl->max_response);
    lua_pushnil(L);
    ct_pusherror(L, "decode", "too_large", msg, (int)status, req);
    return 2;
  }
  if (req->rc != CURLE_OK) {
    long sent = 0;
    msg = req->errbuf[0] ? req->errbuf : curl_easy_strerror(req->rc);
    curl_easy_getinfo(req->easy, CURLINFO_REQUEST_SIZE, &sent);
    lua_pushnil(L);
    ct_pusherror(L, "transport", ct_curl_code(req->rc), msg, 0, req);
    lua_pushstring(L, ct_curl_name(req->rc));
    lua_setfield(L, -2, "curl");
    lua_pushboolean(L, sent > 0);                   /* false: ClickUp never saw it */
    lua_setfield(L, -2, "sent");
    return 2;
  }
  {
    ct_answer a;
    a.ep = req->ep;
    a.status = status;
    a.body = req->resp.data ? req->resp.data : "";
    a.len = req->resp.len;
    a.ctype = req->meta.content_type;
    a.meta = &req->meta;
    a.req = req;
    a.how = CT_D_BOTH;
    a.strict = req->cl->strict;
    return ct_answer_result(L, &a);
  }
}


/* {====== what a host's event loop watches */

/* libcurl's socket callback: record (fd, what), nothing more */
static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp) {
  ct_client *cl = (ct_client *)userp;
  int pair[2];
  (void)e;
  (void)socketp;
  pair[0] = (int)s;
  pair[1] = what;
  return ct_buf_add(&cl->changes, (const char *)pair, sizeof pair) ? 0 : -1;
}


/* libcurl's timer callback: record the timeout (-1: none) */
static int on_timer(CURLM *m, long timeout_ms, void *userp) {
  ct_client *cl = (ct_client *)userp;
  (void)m;
  cl->timer_ms = timeout_ms;
  cl->timer_changed = 1;
  return 0;
}


/* from now on, record what curl waits for (for client:watch) */
int ct_multi_watch(ct_client *cl) {
  if (cl->watching)
    return 1;
  cl->watching = 1;
  return curl_multi_setopt(cl->multi, CURLMOPT_SOCKETFUNCTION, on_socket) == CURLM_OK
      && curl_multi_setopt(cl->multi, CURLMOPT_SOCKETDATA, (void *)cl) == CURLM_OK
      && curl_multi_setopt(cl->multi, CURLMOPT_TIMERFUNCTION, on_timer) == CURLM_OK
      && curl_multi_setopt(cl->multi, CURLMOPT_TIMERDATA, (void *)cl) == CURLM_OK;
}

/* }====== */
