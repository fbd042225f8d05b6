/*
** ct_core.c: the module clickup.time.core.
**
**   core.new(opts)            a client (ct_client.c); its methods are the
**                             endpoint rows of ct_endpoints.c
**   core.fields               what each known field of an answer is:
**                             { entry = { {name=, kind=, essential=, object=}, ...}, ...}
**   core.endpoints            the rows, for the Lua layer and for users:
**                             { {name=, method=, path=, args=, params=,
**                                call= (blocking), send= (non-blocking),
**                                check= (arguments only)}, ...}
**   core.error(kind, code, message [, fields])   an error object
**   core.Entry, core.Error    the metatables of entries and errors
**   core.now_ms()             wall-clock milliseconds
**
** lua-cjson is required through Lua once, when first needed: a private
** cjson.new() instance, so the user's cjson settings are never touched; its
** decode and null sit in a codec table that is an upvalue of every function
** (STYLE.md section 4), which set_json can fill instead (vim.json).
*/
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>

#include "ct_private.h"

#if defined(__GNUC__)
#define CT_EXPORT __attribute__((visibility("default")))
#else
#define CT_EXPORT
#endif

CT_EXPORT int luaopen_clickup_time_core(lua_State *L);

/*
** The Lua ABI this core was built for, as a marker in the file: when a Lua
** of another ABI cannot even load it ("undefined symbol"), the Lua layer
** reads the marker to say which ABI it was and how to rebuild
** (lua/clickup/time/abi.lua).
*/
#if defined(CT_LUAJIT)
#define CT_ABI LUA_VERSION " (LuaJIT)"
#else
#define CT_ABI LUA_VERSION
#endif
#if defined(__GNUC__)
__attribute__((used))
#endif
static const char ct_abi_marker[] = "clickup-time-abi=" CT_ABI ";";


/*
** Push "file:line: " of the user's code: the first Lua frame that is not
** part of this library (a C function or one of the lua/clickup/time modules).
*/
void ct_where(lua_State *L) {
  lua_Debug ar;
  int level;
  for (level = 1; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline <= 0 || strstr(ar.source, "clickup/time/") != NULL)
      continue;
    lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
    return;
  }
  lua_pushliteral(L, "");
}


/***
Wall-clock time in milliseconds since the epoch.
@function now_ms
@treturn integer
*/
static int core_now_ms(lua_State *L) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  ct_pushint(L, (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000);
  return 1;
}


/***
Sleep, blocking the thread: what the blocking client does while it waits
for a rate-limit reset or a backoff. Hosts with an event loop schedule
instead (see the README).
@function sleep
@tparam number seconds
*/
static int core_sleep(lua_State *L) {
  lua_Number s = luaL_checknumber(L, 1);
  struct timespec ts, rem;
  if (!(s > 0))
    return 0;
  if (s > 86400)
    s = 86400;
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (lua_Number)ts.tv_sec) * 1e9);
  while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
    ts = rem;
  return 0;
}


/***
Interpret an answer as the client would for an endpoint, without any
network: what a test or a fuzzer feeds the decoding and mapping.
@function decode
@tparam string endpoint a method name ("entries", "stop", ...)
@tparam string body the answer's body
@tparam[opt=200] integer status
@tparam[opt] string how "fused" (the fused decoder only), "reference"
(the JSON codec and the mapper only); by default, as a client does: the
fused decoder, and the reference path for what it does not take
@tparam[opt=false] boolean strict anomalies are bad_shape
@treturn[1] the result the method would return (then nil and the
anomalies, when the answer had any)
@return[2] nil, err
*/
static int core_decode(lua_State *L) {
  static const char *const hows[] = { "both", "fused", "reference", NULL };
  const char *name = luaL_checkstring(L, 1);
  ct_answer a;
  memset(&a, 0, sizeof a);
  for (a.ep = ct_endpoints; a.ep->name != NULL; a.ep++)
    if (strcmp(a.ep->name, name) == 0)
      break;
  if (a.ep->name == NULL)
    return luaL_argerror(L, 1, lua_pushfstring(L, "unknown endpoint '%s'", name));
  a.body = luaL_checklstring(L, 2, &a.len);
  a.status = (long)luaL_optinteger(L, 3, 200);
  a.how = luaL_checkoption(L, 4, "both", hows);
  a.strict = lua_toboolean(L, 5);
  a.ctype = "";
  lua_settop(L, 5);
  return ct_answer_result(L, &a);
}


static const char *type_name(unsigned char t) {
  static const char *const names[] = {
    "id", "idnum", "idlist", "ms", "int", "bool", "string", "tag_action", "assignee", "tags"
  };
  return t < sizeof names / sizeof names[0] ? names[t] : "?";
}


static void push_params(lua_State *L, const ct_param *p) {
  int i = 1;
  lua_newtable(L);
  for (; p->name != NULL; p++) {
    lua_createtable(L, 0, 4);
    lua_pushstring(L, p->name); lua_setfield(L, -2, "name");
    lua_pushstring(L, type_name(p->type)); lua_setfield(L, -2, "type");
    lua_pushstring(L, p->where == CT_W_PATH ? "path" : p->where == CT_W_QUERY ? "query" : "body");
    lua_setfield(L, -2, "where");
    lua_pushboolean(L, p->flags & CT_F_REQUIRED); lua_setfield(L, -2, "required");
    lua_rawseti(L, -2, i++);
  }
}


/* core.endpoints: a description of every row, with its method function */
static void push_endpoints(lua_State *L) {
  const ct_endpoint *ep;
  int i = 1;
  lua_newtable(L);                                  /* list */
  luaL_getmetatable(L, CT_CLIENT_MT);               /* list mt */
  lua_getfield(L, -1, "__index");                   /* list mt methods */
  for (ep = ct_endpoints; ep->name != NULL; ep++) {
    lua_createtable(L, 0, 6);                       /* list mt methods row */
    lua_pushstring(L, ep->name); lua_setfield(L, -2, "name");
    lua_pushstring(L, ep->method); lua_setfield(L, -2, "method");
    lua_pushstring(L, ep->path); lua_setfield(L, -2, "path");
    push_params(L, ep->args); lua_setfield(L, -2, "args");
    push_params(L, ep->opts); lua_setfield(L, -2, "params");
    lua_getfield(L, -2, ep->name); lua_setfield(L, -2, "call");
    lua_pushfstring(L, "send_%s", ep->name);
    lua_gettable(L, -3);
    lua_setfield(L, -2, "send");
    lua_pushfstring(L, "check_%s", ep->name);
    lua_gettable(L, -3);
    lua_setfield(L, -2, "check");
    lua_rawseti(L, -4, i++);                        /* list mt methods */
  }
  lua_pop(L, 2);                                    /* list */
}


/* core.fields: every object of ct_fields.c, its fields in order */
static void push_fields(lua_State *L) {
  const ct_named_obj *o;
  lua_newtable(L);                                  /* fields */
  for (o = ct_objects; o->name != NULL; o++) {
    unsigned i;
    lua_createtable(L, o->obj->n, 0);               /* fields list */
    for (i = 0; i < o->obj->n; i++) {
      const ct_field *f = &o->obj->fields[i];
      const ct_named_obj *sub;
      lua_createtable(L, 0, 4);
      lua_pushstring(L, ct_key_name[f->key]); lua_setfield(L, -2, "name");
      lua_pushstring(L, f->kind == CT_V_TASK ? "task" : ct_kind_word((ct_kind)f->kind));
      lua_setfield(L, -2, "kind");
      lua_pushboolean(L, f->flags & CT_FIELD_ESSENTIAL); lua_setfield(L, -2, "essential");
      for (sub = ct_objects; sub->name != NULL && f->sub != NULL; sub++)
        if (sub->obj == f->sub) {
          lua_pushstring(L, sub->name);
          lua_setfield(L, -2, "object");
          break;
        }
      lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, o->name);
  }
}


/*
** The codec table {decode=, null=}: a private lua-cjson instance, strict
** (no NaN/Infinity, no hex numbers) and with bounded nesting, or what
** set_json gave (vim.json in a Neovim without cjson). It starts empty, and
** cjson is required the first time a decoder is needed (ct_codec_get):
** the fused decoder takes every usual answer, so a command or a status
** line that gets only those never loads it (~0.5 ms of a process).
*/
static int load_cjson(lua_State *L) {              /* codec: filled from lua-cjson */
  lua_getglobal(L, "require");
  lua_pushliteral(L, "cjson");
  lua_call(L, 1, 1);                                /* codec cjson */
  if (!lua_istable(L, -1))
    return 0;
  lua_getfield(L, -1, "new");                       /* codec cjson new */
  lua_call(L, 0, 1);                                /* codec cjson inst */
  lua_getfield(L, -1, "decode_max_depth");         /* settings live in the instance */
  lua_pushinteger(L, 128);
  lua_call(L, 1, 0);
  lua_getfield(L, -1, "decode_invalid_numbers");
  lua_pushboolean(L, 0);
  lua_call(L, 1, 0);
  lua_getfield(L, -1, "decode");
  lua_setfield(L, 1, "decode");
  lua_getfield(L, -1, "null");
  lua_setfield(L, 1, "null");
  return 0;
}

/* pushes codec[field] ("decode", "null"), the codec filled first if it is not yet */
void ct_codec_get(lua_State *L, const char *field) {
  int top = lua_gettop(L), ready;
  lua_getfield(L, CT_UV_CODEC, "decode");
  lua_getfield(L, CT_UV_CODEC, "tried");
  ready = lua_isfunction(L, -2) || lua_toboolean(L, -1);
  lua_settop(L, top);
  if (!ready) {
    lua_pushboolean(L, 1);
    lua_setfield(L, CT_UV_CODEC, "tried");          /* once, found or not */
    lua_pushcfunction(L, load_cjson);
    lua_pushvalue(L, CT_UV_CODEC);
    lua_pcall(L, 1, 0, 0);                          /* no cjson: set_json's, or none */
    lua_settop(L, top);
  }
  lua_getfield(L, CT_UV_CODEC, field);
}


/***
Give the core the JSON decoder to use, when lua-cjson is not installed
(in Neovim: vim.json, with vim.NIL as its null).
@function set_json
@tparam table codec {decode = function(string), null = the value it gives for null}
*/
static int core_set_json(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "decode");
  luaL_argcheck(L, lua_isfunction(L, -1), 1, "decode must be a function");
  lua_setfield(L, CT_UV_CODEC, "decode");
  lua_getfield(L, 1, "null");
  lua_setfield(L, CT_UV_CODEC, "null");
  return 0;
}


/***
Whether the core has a JSON decoder.
@function has_json
@treturn boolean
*/
static int core_has_json(lua_State *L) {
  ct_codec_get(L, "decode");
  lua_pushboolean(L, lua_isfunction(L, -1));
  return 1;
}


CT_EXPORT int luaopen_clickup_time_core(lua_State *L) {
  static int curl_ready = 0;
  static const luaL_Reg funcs[] = {
    {"new", ct_client_new}, {"error", ct_error_new}, {"now_ms", core_now_ms},
    {"decode", core_decode}, {"sleep", core_sleep}, {"set_json", core_set_json},
    {"has_json", core_has_json}, {NULL, NULL}
  };
  int i, up;
  lua_getglobal(L, "_VERSION");
  if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), LUA_VERSION) != 0)
    return luaL_error(L, "clickup.time.core was built for %s, but this is %s: rebuild it for this Lua"
                      " (make LUA_VERSION=x.y, make nvim for Neovim, luarocks --lua-version=x.y make)",
                      CT_ABI, lua_tostring(L, -1));
  lua_pop(L, 1);
  if (!curl_ready) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      return luaL_error(L, "clickup.time.core: libcurl failed to initialise");
    curl_ready = 1;
  }
  lua_newtable(L);                                  /* M */
  up = lua_gettop(L) + 1;
  lua_createtable(L, 0, 3);                         /* M codec: filled when needed */
  lua_createtable(L, 0, 4);                         /* M codec Entry */
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "clickup.time.Entry");
  lua_setfield(L, -2, "__name");
  ct_error_open(L);                                 /* M codec Entry Error */
  ct_decode_open(L);                                /* M codec Entry Error keys */
  lua_pushvalue(L, up + 1);
  lua_setfield(L, up - 1, "Entry");
  lua_pushvalue(L, up + 2);
  lua_setfield(L, up - 1, "Error");
  for (i = 0; i < CT_NUP; i++) lua_pushvalue(L, up + i);
  ct_client_open(L);                                /* (pops its copies) */
  ct_setfuncs(L, funcs, CT_NUP);                    /* M */
  ct_fs_open(L);
  push_endpoints(L);
  lua_setfield(L, -2, "endpoints");
  push_fields(L);
  lua_setfield(L, -2, "fields");
  lua_pushliteral(L, CT_VERSION);
  lua_setfield(L, -2, "VERSION");
  lua_pushliteral(L, CT_ABI);
  lua_setfield(L, -2, "ABI");
  {
    /* curl_version_info, not curl_version: the latter initialises LDAP and
       SASL, which then leak (seen under valgrind) */
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    lua_pushfstring(L, "libcurl/%s %s", v->version, v->ssl_version ? v->ssl_version : "");
    lua_setfield(L, -2, "curl_version");
  }
  return 1;
}
