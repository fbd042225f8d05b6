/*
** ct_error.c: the error object. Every failure of the world (transport,
** HTTP status, bad JSON) is returned as `nil, err`, where err is a plain
** table with the shared metatable clickup.time.Error:
**   kind     "api" | "transport" | "decode"
**   code     ClickUp's ECODE, "HTTP_<status>", "timeout", "connect",
**            "resolve", "tls", "network", "bad_json" or "bad_shape"
**   message  a sentence; status, method, path when known
**   curl     libcurl's name for a transport failure (COULDNT_CONNECT ...)
** The token never appears in any of them: messages are scrubbed.
*/
#include <string.h>

#include "ct_private.h"


/* {====== libcurl codes: mnemonic and our category, from one list */

#define CT_CURL_CODES(X) \
  X(UNSUPPORTED_PROTOCOL, "network") X(FAILED_INIT, "network") \
  X(URL_MALFORMAT, "network") X(COULDNT_RESOLVE_PROXY, "resolve") \
  X(COULDNT_RESOLVE_HOST, "resolve") X(COULDNT_CONNECT, "connect") \
  X(WEIRD_SERVER_REPLY, "network") X(HTTP2, "network") X(PARTIAL_FILE, "network") \
  X(WRITE_ERROR, "network") X(READ_ERROR, "network") X(OUT_OF_MEMORY, "network") \
  X(OPERATION_TIMEDOUT, "timeout") X(SSL_CONNECT_ERROR, "tls") \
  X(TOO_MANY_REDIRECTS, "network") X(GOT_NOTHING, "network") \
  X(SSL_ENGINE_NOTFOUND, "tls") X(SEND_ERROR, "network") X(RECV_ERROR, "network") \
  X(SSL_CERTPROBLEM, "tls") X(SSL_CIPHER, "tls") X(PEER_FAILED_VERIFICATION, "tls") \
  X(BAD_CONTENT_ENCODING, "network") X(FILESIZE_EXCEEDED, "network") \
  X(USE_SSL_FAILED, "tls") X(SSL_CACERT_BADFILE, "tls") X(ABORTED_BY_CALLBACK, "network") \
  X(HTTP2_STREAM, "network") X(SSL_INVALIDCERTSTATUS, "tls") X(SSL_PINNEDPUBKEYNOTMATCH, "tls")

typedef struct curl_name {
  CURLcode code;
  const char *name, *category;
} curl_name;

#define CT_CURL_ENTRY(n, cat) {CURLE_##n, #n, cat},
static const curl_name curl_names[] = {
  CT_CURL_CODES(CT_CURL_ENTRY)
  {CURLE_OK, NULL, NULL}
};
#undef CT_CURL_ENTRY


static const curl_name *find_curl(CURLcode rc) {
  const curl_name *c;
  for (c = curl_names; c->name != NULL; c++)
    if (c->code == rc)
      return c;
  return NULL;
}


/* libcurl's mnemonic for rc ("COULDNT_CONNECT"), or "CURLE_<n>" unknown */
const char *ct_curl_name(CURLcode rc) {
  const curl_name *c = find_curl(rc);
  return c ? c->name : "OTHER";
}


/* our transport code for rc: timeout, connect, resolve, tls or network */
const char *ct_curl_code(CURLcode rc) {
  const curl_name *c = find_curl(rc);
  return c ? c->category : "network";
}

/* }====== */


static void setstr(lua_State *L, const char *k, const char *v) {
  if (v != NULL) {
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
  }
}


/*
** Push a new error table. With a request, it also says the request's
** method and path, and the client's token is scrubbed from the message.
*/
void ct_pusherror(lua_State *L, const char *kind, const char *code, const char *message,
                  int status, const ct_req *req) {
  const char *token = req != NULL ? req->cl->token : NULL;
  lua_createtable(L, 0, 8);                         /* err */
  setstr(L, "kind", kind);
  setstr(L, "code", code);
  if (token != NULL && token[0] && strstr(message, token) != NULL) {
    luaL_gsub(L, message, token, "<token>");        /* err msg */
    lua_setfield(L, -2, "message");
  } else {
    setstr(L, "message", message);
  }
  if (status > 0) {
    ct_pushint(L, status);
    lua_setfield(L, -2, "status");
  }
  if (req != NULL) {
    setstr(L, "method", req->ep->method);
    setstr(L, "path", req->path.data);
  }
  lua_pushvalue(L, CT_UV_ERROR);
  lua_setmetatable(L, -2);
}


/***
Make an error object like the ones the client returns.
@function error
@tparam string kind "api", "transport" or "decode"
@tparam string code
@tparam string message
@tparam[opt] table fields more fields (status, method, path, ...), copied
@treturn table the error, with the shared metatable
*/
int ct_error_new(lua_State *L) {
  const char *kind = luaL_checkstring(L, 1);
  const char *code = luaL_checkstring(L, 2);
  const char *message = luaL_checkstring(L, 3);
  if (!lua_isnoneornil(L, 4))
    luaL_checktype(L, 4, LUA_TTABLE);
  ct_pusherror(L, kind, code, message, 0, NULL);
  if (lua_istable(L, 4)) {
    lua_pushnil(L);
    while (lua_next(L, 4)) {                        /* err key value */
      lua_pushvalue(L, -2);                         /* err key value key */
      lua_insert(L, -2);                            /* err key key value */
      lua_rawset(L, -4);                            /* err key */
    }
  }
  return 1;
}


static const char *field(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  return lua_tostring(L, -1);                       /* left on the stack */
}


/* "clickup.time: OAUTH_025 (HTTP 401): Token invalid [GET /team/1/time_entries]" */
static int error_tostring(lua_State *L) {
  luaL_Buffer b;
  const char *code, *message, *method, *path;
  int status;
  luaL_checktype(L, 1, LUA_TTABLE);
  code = field(L, 1, "code");
  message = field(L, 1, "message");
  method = field(L, 1, "method");
  path = field(L, 1, "path");
  lua_getfield(L, 1, "status");
  status = lua_gettop(L);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "clickup.time: ");
  luaL_addstring(&b, code ? code : "error");
  if (lua_isnumber(L, status)) {
    lua_pushfstring(L, " (HTTP %d)", (int)lua_tonumber(L, status));
    luaL_addvalue(&b);
  }
  if (message) {
    luaL_addstring(&b, ": ");
    luaL_gsub(L, message, "\n", " ");
    luaL_addvalue(&b);
  }
  if (method && path) {
    lua_pushfstring(L, " [%s %s]", method, path);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return 1;
}


/* the Error metatable, left on the stack */
void ct_error_open(lua_State *L) {
  lua_createtable(L, 0, 3);                         /* mt */
  lua_pushcfunction(L, error_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "clickup.time.Error");
  lua_setfield(L, -2, "__name");
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "__index");
}
