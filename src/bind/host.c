/*
** Host primitives the Lua library needs and Lua lacks: which files are
** embedded, whether a stream is a terminal, its width, a monotonic clock.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bind.h"
#include "../lexis.h"

/* The standard stream or file descriptor an argument names. */
static int check_fd(lua_State *L, int arg) {
  if (lua_isinteger(L, arg))
    return (int)lua_tointeger(L, arg);
  luaL_Stream *p = luaL_testudata(L, arg, LUA_FILEHANDLE);
  luaL_argexpected(L, p != NULL && p->f != NULL, arg, "file or descriptor");
  return fileno(p->f);
}

/* isatty(file_or_fd) -> boolean */
static int host_isatty(lua_State *L) {
  lua_pushboolean(L, isatty(check_fd(L, 1)));
  return 1;
}

/* termwidth(file_or_fd) -> columns, or nil when not a terminal */
static int host_termwidth(lua_State *L) {
  struct winsize ws;
  if (ioctl(check_fd(L, 1), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    lua_pushinteger(L, ws.ws_col);
  else
    lua_pushnil(L);
  return 1;
}

/* clock() -> seconds on a monotonic clock, for rates and progress */
static int host_clock(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec / 1e9);
  return 1;
}

/*
** modules(prefix) -> sorted array of the library's module names that start
** with prefix ("lexis.cmd." lists the commands). Reads lua/ on disk when
** LEXIS_LUA_DIR is set, the embedded table otherwise.
*/
static int host_modules(lua_State *L) {
  size_t plen;
  const char *prefix = luaL_checklstring(L, 1, &plen);
  lua_newtable(L);
  lua_Integer n = 0;
  const char *dir = getenv("LEXIS_LUA_DIR");
  if (dir && *dir) {
    /* Only one directory level is listed: enough for "lexis.cmd." */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, dir);
    luaL_addchar(&b, '/');
    for (size_t i = 0; i < plen; i++)
      luaL_addchar(&b, prefix[i] == '.' ? '/' : prefix[i]);
    luaL_pushresult(&b);
    DIR *d = opendir(lua_tostring(L, -1));
    lua_pop(L, 1);
    if (d) {
      struct dirent *ent;
      while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len > 4 && strcmp(ent->d_name + len - 4, ".lua") == 0) {
          lua_pushlstring(L, prefix, plen);
          lua_pushlstring(L, ent->d_name, len - 4);
          lua_concat(L, 2);
          lua_rawseti(L, -2, ++n);
        }
      }
      closedir(d);
    }
  } else {
    for (size_t i = 0; i < lexis_embedded_count; i++) {
      const char *m = lexis_embedded_files[i].module;
      if (strncmp(m, prefix, plen) == 0) {
        lua_pushstring(L, m);
        lua_rawseti(L, -2, ++n);
      }
    }
  }
  /* Sort with table.sort semantics would need a call; names are few. */
  for (lua_Integer i = 2; i <= n; i++)
    for (lua_Integer j = i; j > 1; j--) {
      lua_rawgeti(L, -1, j - 1);
      lua_rawgeti(L, -2, j);
      if (strcmp(lua_tostring(L, -2), lua_tostring(L, -1)) <= 0) {
        lua_pop(L, 2);
        break;
      }
      lua_rawseti(L, -3, j - 1);
      lua_rawseti(L, -2, j);
    }
  return 1;
}

/*
** raise(message): the misuse error of a function under lua/lexis/, blamed
** on the user's line as the C bindings blame it (bind.h, lexis_misuse).
** error(msg, 2) would name the lexis file whenever a helper raises, or the
** public function is reached through another lexis function.
*/
static int host_raise(lua_State *L) {
  return lexis_misuse(L, "%s", luaL_checkstring(L, 1));
}

/* checkpath(path [, what]) -> path: for Lua code that opens files with
** io.open, which would stop at a NUL byte; raises as lexis_checkpath. */
static int host_checkpath(lua_State *L) {
  size_t len;
  if (lua_type(L, 1) != LUA_TSTRING)
    lexis_misuse(L, "%s: a file name expected, got %s", luaL_optstring(L, 2, "path"), luaL_typename(L, 1));
  const char *path = lua_tolstring(L, 1, &len);
  if (strlen(path) != len)
    lexis_misuse(L, "%s: a path holds a NUL byte", luaL_optstring(L, 2, "path"));
  lua_settop(L, 1);
  return 1;
}

/* abspath(path) -> path made absolute against the working directory, with
** "." and ".." segments and repeated slashes resolved by name (links are
** kept: the name stays the one the user gave, only anchored) */
static int host_abspath(lua_State *L) {
  const char *path = lexis_checkpath(L, 1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  if (path[0] != '/') {
    char *cwd = getcwd(NULL, 0);
    if (!cwd) return luaL_fileresult(L, 0, ".");
    luaL_addstring(&b, cwd);
    free(cwd);
    luaL_addchar(&b, '/');
  }
  luaL_addstring(&b, path);
  luaL_pushresult(&b);
  /* resolve segments in place on a copy */
  size_t n;
  const char *full = lua_tolstring(L, -1, &n);
  char *out = lua_newuserdatauv(L, n + 2, 0);
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    while (i < n && full[i] == '/') i++;
    size_t j = i;
    while (j < n && full[j] != '/') j++;
    size_t len = j - i;
    if (len == 1 && full[i] == '.') {
      /* nothing */
    } else if (len == 2 && full[i] == '.' && full[i + 1] == '.') {
      while (k > 0 && out[k - 1] != '/') k--;   /* drop the last segment */
      if (k > 0) k--;
    } else if (len > 0) {
      out[k++] = '/';
      memcpy(out + k, full + i, len);
      k += len;
    }
    i = j;
  }
  if (k == 0) out[k++] = '/';
  lua_pushlstring(L, out, k);
  return 1;
}

static const luaL_Reg host_functions[] = {
  {"abspath", host_abspath},
  {"raise", host_raise},
  {"checkpath", host_checkpath},
  {"isatty", host_isatty},
  {"termwidth", host_termwidth},
  {"clock", host_clock},
  {"modules", host_modules},
  {NULL, NULL}
};

void lexis_open_host(lua_State *L) {
  luaL_setfuncs(L, host_functions, 0);
  lua_pushliteral(L, LEXIS_VERSION);
  lua_setfield(L, -2, "version");
}
