/*
** kit.c: the binding kit (declared in bind.h): the error contract, holder
** boxes, metatables, field pushers. Not a Lua module of its own;
** core.raise gives Lua code under lua/lexis/ the same blame rule as the C
** bindings.
*/
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "bind.h"
#include "../errors.h"

/* Is this frame's code one of lexis's own Lua modules? Embedded ones are
** named "@lua/lexis/x.lua"; loaded from LEXIS_LUA_DIR, "@DIR/lexis/x.lua". */
static int lexis_module(const lua_Debug *ar) {
  return ar->source[0] == '@' &&
         (strncmp(ar->source + 1, "lua/lexis/", 10) == 0 || strstr(ar->source, "/lua/lexis/") != NULL);
}

void lexis_where(lua_State *L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline <= 0 || lexis_module(&ar))
      continue;                       /* C functions (pcall too) and lexis code */
    lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
    return;
  }
  lua_pushliteral(L, "");
}

int lexis_misuse(lua_State *L, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lexis_where(L);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  lua_concat(L, 2);
  return lua_error(L);
}

int lexis_nomem(lua_State *L) {
  lua_pushliteral(L, "not enough memory");
  return lua_error(L);
}

int lexis_is_nomem(const char *msg) {
  const char *const words[] = { "out of memory", "not enough memory", strerror(ENOMEM) };
  size_t n = strlen(msg);
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    size_t k = strlen(words[i]);
    if (n >= k && strcmp(msg + n - k, words[i]) == 0) return 1;
  }
  return 0;
}

int lexis_core_misuse(lua_State *L, const char *msg) {
  return lexis_is_nomem(msg) ? lexis_nomem(L) : lexis_misuse(L, "%s", msg);
}

int lexis_failure(lua_State *L, int e, const char *msg) {
  if (e == ENOMEM) return lexis_nomem(L);
  lua_createtable(L, 0, 2);
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  lua_pushinteger(L, e);
  lua_setfield(L, -2, "errno");
  if (luaL_newmetatable(L, "lexis.Failure")) {       /* the first failure makes it */
    lua_pushliteral(L, "lexis.Failure");
    lua_setfield(L, -2, "__name");
  }
  lua_setmetatable(L, -2);
  return lua_error(L);
}

int lexis_argerror(lua_State *L, int arg, const char *msg) {
  lua_Debug ar;
  const char *name = "?";
  if (lua_getstack(L, 0, &ar)) {
    lua_getinfo(L, "n", &ar);
    if (ar.name) name = ar.name;
    if (ar.namewhat && strcmp(ar.namewhat, "method") == 0 && --arg == 0)
      return lexis_misuse(L, "calling '%s' on bad self (%s)", name, msg);
  }
  return lexis_misuse(L, "bad argument #%d to '%s' (%s)", arg, name, msg);
}

const char *lexis_checkpath(lua_State *L, int arg) {
  size_t len;
  if (lua_type(L, arg) != LUA_TSTRING && lua_type(L, arg) != LUA_TNUMBER)
    lexis_argerror(L, arg, lua_pushfstring(L, "string expected, got %s", luaL_typename(L, arg)));
  const char *path = lua_tolstring(L, arg, &len);
  if (strlen(path) != len)
    lexis_argerror(L, arg, "a path holds a NUL byte");
  return path;
}

const char *lexis_optpath(lua_State *L, int arg, const char *def) {
  return lua_isnoneornil(L, arg) ? def : lexis_checkpath(L, arg);
}

int lexis_result(lua_State *L, int rc, const char *path, const char *msg) {
  if (rc == 0) return 0;
  if (rc == ENOMEM) return lexis_nomem(L);
  lua_pushnil(L);
  if (msg && *msg) lua_pushstring(L, msg);
  else if (path) lua_pushfstring(L, "%s: %s", path, lx_strerror(rc));
  else lua_pushstring(L, lx_strerror(rc));
  lua_pushinteger(L, rc);
  return 3;
}

/* ==================================================================
** Holders, metatables, fields
** ================================================================== */

#define HOLDER "lexis.Holder"

static int holder_gc(lua_State *L) {
  lexis_holder *h = luaL_checkudata(L, 1, HOLDER);
  if (h->p) h->release(h->p);
  h->p = NULL;
  return 0;
}

lexis_holder *lexis_holder_new(lua_State *L, void (*release)(void *)) {
  lexis_holder *h = lua_newuserdatauv(L, sizeof *h, 0);
  h->p = NULL;
  h->release = release;
  if (luaL_newmetatable(L, HOLDER)) {               /* the first holder makes it */
    lua_pushcfunction(L, holder_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return h;
}

void lexis_holder_release(lexis_holder *h) {
  if (h->p) h->release(h->p);
  h->p = NULL;
}

void lexis_createmeta(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods) {
  luaL_newmetatable(L, name);
  luaL_setfuncs(L, meta, 0);
  if (methods) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
}

void lexis_setnum(lua_State *L, const char *name, double x) {
  lua_pushnumber(L, x);
  lua_setfield(L, -2, name);
}

double lexis_optnum(lua_State *L, int t, const char *field, double dflt) {
  lua_getfield(L, t, field);
  double v = (double)luaL_optnumber(L, -1, dflt);
  lua_pop(L, 1);
  return v;
}
