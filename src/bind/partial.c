/*
** Partial counts (src/partial.h) in lexis.core: the files a counting job
** writes per part and merges (lexis merge), over lexis.Counts tables.
**   read_partial(path, counts [, range]) -> {kind=, tokens=, docs=} | nil, msg
**   write_partial(counts, file, kind, docs [, range]) -> true | nil, msg
**   set_total(counts, n)             the total of a lexis.Counts (merges)
**   write_list(counts, range, file, opts)  merged n-grams as lexis ngrams prints them
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "counts.h"
#include "../partial.h"

/* read_partial(path, counts [, range]): "-" is standard input. */
static int read_partial(lua_State *L) {
  const char *path = lexis_checkpath(L, 1);
  lx_counts *c = lexis_checkcounts(L, 2);
  lx_counts *range = lua_isnoneornil(L, 3) ? NULL : lexis_checkcounts(L, 3);
  int std = strcmp(path, "-") == 0;
  FILE *f = std ? stdin : fopen(path, "rb");
  if (!f) return luaL_fileresult(L, 0, path);
  lx_partial_info info;
  char err[512];
  int rc = lx_partial_read(f, std ? "stdin" : path, c, range, &info, err, sizeof err);
  if (!std) fclose(f);
  if (rc) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_createtable(L, 0, 3);
  lua_pushstring(L, info.kind);
  lua_setfield(L, -2, "kind");
  lua_pushinteger(L, (lua_Integer)info.tokens);
  lua_setfield(L, -2, "tokens");
  lua_pushinteger(L, (lua_Integer)info.docs);
  lua_setfield(L, -2, "docs");
  return 1;
}

/* write_list(counts, range, file, {column=, format=, min=, limit=, header=}):
** merged counts printed as lexis ngrams prints its list. */
static int write_list(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  lx_counts *range = lua_isnil(L, 2) ? NULL : lexis_checkcounts(L, 2);
  FILE *f = lexis_checkstream(L, 3);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_getfield(L, 4, "column");
  const char *column = luaL_optstring(L, -1, "item");
  lua_getfield(L, 4, "format");
  int format = luaL_checkoption(L, -1, "text", lx_fmt_names);
  double min = lexis_optnum(L, 4, "min", 1), limit = lexis_optnum(L, 4, "limit", 0);
  lua_getfield(L, 4, "header");
  int header = lua_isnil(L, -1) || lua_toboolean(L, -1);
  int rc = lx_partial_write_list(f, c, range, column, format, min > 1 ? (uint64_t)min : 1,
                                 limit > 0 ? (size_t)limit : 0, header);
  if (rc) {
    errno = rc;
    return luaL_fileresult(L, 0, NULL);
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* set_total(counts, n): the total a merge of partial counts read from
** their headers (stop words dropped before writing still count in it). */
static int set_total(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n >= 0, 2, "must not be negative");
  lx_counts_set_total(c, (uint64_t)n);
  return 0;
}

/* write_partial(counts, file, kind, docs [, range]) */
static int write_partial(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  FILE *f = lexis_checkstream(L, 2);
  const char *kind = luaL_checkstring(L, 3);
  lua_Integer docs = luaL_checkinteger(L, 4);
  lx_counts *range = lua_isnoneornil(L, 5) ? NULL : lexis_checkcounts(L, 5);
  int rc = lx_partial_write_counts(f, c, range, kind, (uint64_t)(docs < 0 ? 0 : docs));
  if (rc) {
    errno = rc;
    return luaL_fileresult(L, 0, NULL);
  }
  lua_pushboolean(L, 1);
  return 1;
}

static const luaL_Reg partial_functions[] = {
  {"read_partial", read_partial},
  {"write_partial", write_partial},
  {"set_total", set_total},
  {"write_list", write_list},
  {NULL, NULL}
};

void lexis_open_partial(lua_State *L) {
  luaL_setfuncs(L, partial_functions, 0);
}
