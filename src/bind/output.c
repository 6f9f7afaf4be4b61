/*
** Output files that appear whole or not at all (src/atomicfile.c), as the
** userdata "lexis.AtomicFile": f:write(...), f:commit(), f:abort(); closing
** or collecting an uncommitted file aborts it, so an error never leaves a
** half-written output behind.
*/
#include <errno.h>
#include <string.h>

#include "bind.h"
#include "../atomicfile.h"

#define ATOMIC_FILE "lexis.AtomicFile"

typedef struct {
  lx_atomic *file;        /* NULL once committed or aborted */
} atomic_box;

static atomic_box *check_box(lua_State *L, int arg) {
  return luaL_checkudata(L, arg, ATOMIC_FILE);
}

static lx_atomic *check_open(lua_State *L, int arg) {
  atomic_box *b = check_box(L, arg);
  if (b->file == NULL)
    luaL_error(L, "attempt to use a committed or aborted output file");
  return b->file;
}

FILE *lexis_checkstream(lua_State *L, int arg) {
  atomic_box *b = luaL_testudata(L, arg, ATOMIC_FILE);
  if (b) {
    luaL_argcheck(L, b->file != NULL, arg, "output file already committed or aborted");
    return lx_atomic_stream(b->file);
  }
  luaL_Stream *s = luaL_testudata(L, arg, LUA_FILEHANDLE);
  luaL_argexpected(L, s != NULL, arg, "file");
  luaL_argcheck(L, s->closef != NULL, arg, "file is closed");
  return s->f;
}

/* atomic_open(path) -> file | nil, "path: reason", errno */
static int output_open(lua_State *L) {
  const char *path = lexis_checkpath(L, 1);
  atomic_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->file = NULL;                          /* closed until the file exists */
  luaL_setmetatable(L, ATOMIC_FILE);
  b->file = lx_atomic_open(path);
  if (b->file == NULL)
    return luaL_fileresult(L, 0, path);
  return 1;
}

/* f:write(s, ...) -> f, like io files; raises nothing on a full disk: the
** error is reported by commit, where it is acted on. */
static int output_write(lua_State *L) {
  FILE *f = lx_atomic_stream(check_open(L, 1));
  int n = lua_gettop(L);
  for (int i = 2; i <= n; i++) {
    size_t len;
    const char *s = luaL_checklstring(L, i, &len);
    fwrite(s, 1, len, f);
  }
  lua_settop(L, 1);
  return 1;
}

/* f:commit() -> true | nil, "path: reason", errno */
static int output_commit(lua_State *L) {
  atomic_box *b = check_box(L, 1);
  lx_atomic *file = check_open(L, 1);
  char path[4096];
  snprintf(path, sizeof path, "%s", lx_atomic_path(file));
  b->file = NULL;
  int err = lx_atomic_commit(file);
  if (err) {
    errno = err;
    return luaL_fileresult(L, 0, path);
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* f:abort(), __close and __gc: idempotent. */
static int output_abort(lua_State *L) {
  atomic_box *b = check_box(L, 1);
  lx_atomic_abort(b->file);
  b->file = NULL;
  return 0;
}

static int output_tostring(lua_State *L) {
  atomic_box *b = check_box(L, 1);
  if (b->file)
    lua_pushfstring(L, "<lexis.AtomicFile %s>", lx_atomic_path(b->file));
  else
    lua_pushliteral(L, "<lexis.AtomicFile (closed)>");
  return 1;
}

static const luaL_Reg methods[] = {
  {"write", output_write},
  {"commit", output_commit},
  {"abort", output_abort},
  {NULL, NULL}
};

static const luaL_Reg metamethods[] = {
  {"__gc", output_abort},
  {"__close", output_abort},
  {"__tostring", output_tostring},
  {"__index", NULL},
  {NULL, NULL}
};

void lexis_open_output(lua_State *L) {
  luaL_newmetatable(L, ATOMIC_FILE);
  luaL_setfuncs(L, metamethods, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, output_open);
  lua_setfield(L, -2, "atomic_open");
}
