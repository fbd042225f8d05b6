/*
** ct_fs.c: durable files for the journal (lua/clickup/time/journal.lua):
** an append that reaches the disk before it returns, an atomic replace,
** an exclusive lock that dies with its process, and the folders they live
** in. POSIX only, as the rock is.
**
**   core.fs_append(path, data)       write data at the end, fsync; the file
**                                    is made 0600 (and its folder's entry
**                                    synced) when new
**   core.fs_replace(path, data)      write a 0600 temporary file beside it,
**                                    fsync, rename over path, fsync the folder
**   core.fs_lock(path [, wait_ms])   flock(LOCK_EX) on path (made 0600),
**                                    waiting at most wait_ms (0: try once);
**                                    a Lock, or nil, "busy"
**   lock:unlock()                    idempotent; __gc and __close do it too
**   core.fs_mkdir(path)              mkdir -p, folders 0700
**   core.getpid(), core.isatty(fd)
**
** Failures of the world return nil, "message", "ERRNO_NAME" (luv's form).
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "ct_private.h"

#define CT_LOCK_MT "clickup.time.Lock"


static const char *errno_name(int e) {
  switch (e) {
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case ENOENT: return "ENOENT";
    case ENOSPC: return "ENOSPC";
    case EROFS: return "EROFS";
    case EIO: return "EIO";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
#ifdef EDQUOT
    case EDQUOT: return "EDQUOT";
#endif
    case EPERM: return "EPERM";
    default: return "EOTHER";
  }
}


static int fail(lua_State *L, const char *what, const char *path, int e) {
  lua_pushnil(L);
  lua_pushfstring(L, "%s %s: %s", what, path, strerror(e));
  lua_pushstring(L, errno_name(e));
  return 3;
}


static int write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return 0;
    }
    data += n;
    len -= (size_t)n;
  }
  return 1;
}


/* fsync the folder that holds path, so that a new or renamed entry survives */
static void sync_dir(const char *path) {
  char dir[4096];
  const char *slash = strrchr(path, '/');
  size_t n = slash == NULL ? 1 : (slash == path ? 1 : (size_t)(slash - path));
  int fd;
  if (n >= sizeof dir)
    return;
  if (slash == NULL)
    memcpy(dir, ".", 2);
  else {
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  fd = open(dir, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}


/***
Append data to a file and flush it to the disk before returning.
@function fs_append
@tparam string path
@tparam string data
@treturn[1] true
@return[2] nil, message, errno name
*/
static int fs_append(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t len;
  const char *data = luaL_checklstring(L, 2, &len);
  struct stat st;
  int created = stat(path, &st) != 0;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  int e;
  if (fd < 0)
    return fail(L, "cannot open", path, errno);
  if (!write_all(fd, data, len) || fsync(fd) != 0) {
    e = errno;
    close(fd);
    return fail(L, "cannot write", path, e);
  }
  if (close(fd) != 0)
    return fail(L, "cannot write", path, errno);
  if (created)
    sync_dir(path);
  lua_pushboolean(L, 1);
  return 1;
}


/***
Replace a file's content atomically: a temporary file beside it, synced,
renamed over it; then the folder is synced.
@function fs_replace
@tparam string path
@tparam string data
@treturn[1] true
@return[2] nil, message, errno name
*/
static int fs_replace(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t len;
  const char *data = luaL_checklstring(L, 2, &len);
  const char *tmp = lua_pushfstring(L, "%s.tmp.%d", path, (int)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int e;
  if (fd < 0)
    return fail(L, "cannot open", tmp, errno);
  if (!write_all(fd, data, len) || fsync(fd) != 0) {
    e = errno;
    close(fd);
    unlink(tmp);
    return fail(L, "cannot write", tmp, e);
  }
  if (close(fd) != 0 || rename(tmp, path) != 0) {
    e = errno;
    unlink(tmp);
    return fail(L, "cannot replace", path, e);
  }
  sync_dir(path);
  lua_pushboolean(L, 1);
  return 1;
}


/***
mkdir -p: the folder and its parents, 0700 where they are made.
@function fs_mkdir
@tparam string path
@treturn[1] true
@return[2] nil, message, errno name
*/
static int fs_mkdir(lua_State *L) {
  size_t len, i;
  const char *path = luaL_checklstring(L, 1, &len);
  char buf[4096];
  if (len == 0 || len >= sizeof buf)
    return luaL_argerror(L, 1, "a folder path expected");
  memcpy(buf, path, len + 1);
  for (i = 1; i <= len; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return fail(L, "cannot make the folder", buf, errno);
      buf[i] = c;
    }
  }
  lua_pushboolean(L, 1);
  return 1;
}


typedef struct ct_lock {
  int fd;                       /* -1 once unlocked */
} ct_lock;


/***
Take an exclusive lock on a file (flock), waiting at most wait_ms. The
lock dies with the process, so a crash never leaves a stale one.
@function fs_lock
@tparam string path
@tparam[opt=0] integer wait_ms
@treturn[1] userdata the lock
@return[2] nil, "busy" (someone else holds it), or nil, message, errno name
*/
static int fs_lock(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lua_Number wait_ms = luaL_optnumber(L, 2, 0);
  ct_lock *lk = (ct_lock *)ct_newuserdata(L, sizeof *lk);   /* unlocked first, then locked */
  struct timespec nap = { 0, 10 * 1000 * 1000 };
  lua_Number waited = 0;
  lk->fd = -1;
  luaL_getmetatable(L, CT_LOCK_MT);
  lua_setmetatable(L, -2);
  lk->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lk->fd < 0)
    return fail(L, "cannot open", path, errno);
  while (flock(lk->fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int e = errno;
      close(lk->fd);
      lk->fd = -1;
      return fail(L, "cannot lock", path, e);
    }
    if (waited >= wait_ms) {
      close(lk->fd);
      lk->fd = -1;
      lua_pushnil(L);
      lua_pushliteral(L, "busy");
      return 2;
    }
    nanosleep(&nap, NULL);
    waited += 10;
  }
  return 1;
}


/***
Release the lock. Idempotent; also what __gc and __close do.
@function unlock
*/
static int lock_unlock(lua_State *L) {
  ct_lock *lk = (ct_lock *)luaL_checkudata(L, 1, CT_LOCK_MT);
  if (lk->fd >= 0) {
    close(lk->fd);              /* releases the flock */
    lk->fd = -1;
  }
  return 0;
}


static int lock_held(lua_State *L) {
  ct_lock *lk = (ct_lock *)luaL_checkudata(L, 1, CT_LOCK_MT);
  lua_pushboolean(L, lk->fd >= 0);
  return 1;
}


/***
Is the descriptor a terminal?
@function isatty
@tparam integer fd
@treturn boolean
*/
static int fs_isatty(lua_State *L) {
  lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
  return 1;
}


/***
The process id.
@function getpid
@treturn integer
*/
static int fs_getpid(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)getpid());
  return 1;
}


/* the module's fs_* functions into the table on the stack top; the Lock metatable */
void ct_fs_open(lua_State *L) {
  static const luaL_Reg funcs[] = {
    {"fs_append", fs_append}, {"fs_replace", fs_replace}, {"fs_mkdir", fs_mkdir},
    {"fs_lock", fs_lock}, {"getpid", fs_getpid}, {"isatty", fs_isatty}, {NULL, NULL}
  };
  static const luaL_Reg lock_meta[] = {
    {"__gc", lock_unlock},
#if LUA_VERSION_NUM >= 504
    {"__close", lock_unlock},
#endif
    {NULL, NULL}
  };
  static const luaL_Reg lock_methods[] = {
    {"unlock", lock_unlock}, {"held", lock_held}, {NULL, NULL}
  };
  luaL_newmetatable(L, CT_LOCK_MT);                 /* M mt */
  ct_setfuncs(L, lock_meta, 0);
  lua_newtable(L);                                  /* M mt methods */
  ct_setfuncs(L, lock_methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);                                    /* M */
  ct_setfuncs(L, funcs, 0);
}
