/*
** luaopen_lexis: the entry point of both the lexis binary and lexis.so.
** Builds the internal module "lexis.core" from the C bindings, makes every
** embedded Lua file requirable under its own name, and returns the public
** API that lua/lexis/init.lua composes.
*/
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "bind/bind.h"
#include "lexis.h"

/*
** package.preload loader of one embedded file. The chunk is named after the
** file it came from, so tracebacks point at lua/lexis/x.lua:12. The
** bytecode loads without parsing; a Lua that cannot read the build's
** bytecode (lexis.so in another 5.4 release) compiles the source instead.
*/
static int load_embedded(lua_State *L) {
  const lexis_embedded *e = lua_touserdata(L, lua_upvalueindex(1));
  const char *name = lua_pushfstring(L, "@%s", e->path);
  int status = luaL_loadbufferx(L, (const char *)e->code, e->codesize, name, "b");
  if (status != LUA_OK) {
    lua_pop(L, 1);
    status = luaL_loadbufferx(L, (const char *)e->source, e->size, name, "t");
  }
  if (status != LUA_OK)
    return lua_error(L);
  lua_pushstring(L, e->module);
  lua_pushstring(L, e->path);
  lua_call(L, 2, 1);
  return 1;
}

/*
** With LEXIS_LUA_DIR set, a development build loads lua/ from disk: the
** directory goes first in package.path, and nothing is preloaded.
*/
static int use_lua_dir(lua_State *L) {
  const char *dir = getenv("LEXIS_LUA_DIR");
  if (dir == NULL || *dir == '\0')
    return 0;
  lua_getglobal(L, "package");
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  lua_getfield(L, -1, "path");
  lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;%s", dir, dir,
                  lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
  lua_setfield(L, -3, "path");
  lua_pop(L, 2);
  return 1;
}

static void preload_embedded(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  for (size_t i = 0; i < lexis_embedded_count; i++) {
    const lexis_embedded *e = &lexis_embedded_files[i];
    lua_pushlightuserdata(L, (void *)e);
    lua_pushcclosure(L, load_embedded, 1);
    lua_setfield(L, -2, e->module);
  }
  lua_pop(L, 1);
}

int luaopen_lexis(lua_State *L) {
  /* lexis.core: the C primitives, registered by each binding in turn. */
  lua_newtable(L);
#define LEXIS_CALL_OPEN(name) lexis_open_##name(L);
  LEXIS_BINDINGS(LEXIS_CALL_OPEN)
#undef LEXIS_CALL_OPEN
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "lexis.core");
  lua_pop(L, 2);

  if (!use_lua_dir(L))
    preload_embedded(L);

  lua_getglobal(L, "require");
  lua_pushliteral(L, "lexis.init");
  lua_call(L, 1, 1);
  return 1;
}
