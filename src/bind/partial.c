/*
** Partial counts (src/partial.h) in lexis.core: the files a counting job
** writes per part and merges (lexis merge), over lexis.Counts tables.
**   read_partial(path, counts [, range]) -> {kind=, tokens=, docs=} | nil, msg
**   write_partial(counts, file, kind, docs [, range [, piece]]) -> true | nil, msg
**     piece = {doc=, piece=, glued_start=, glued_end=}: the text (from file
**     piece) is a piece of document doc
**   merger(counts, range) -> a lexis.Merge: m:read(path) -> true [, warning] | nil, msg
**     m:kind() m:tokens() m:docs() m:write(file) m:close()
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

/* write_partial(counts, file, kind, docs [, range [, piece]]) */
static int write_partial(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  FILE *f = lexis_checkstream(L, 2);
  const char *kind = luaL_checkstring(L, 3);
  lua_Integer docs = luaL_checkinteger(L, 4);
  lx_counts *range = lua_isnoneornil(L, 5) ? NULL : lexis_checkcounts(L, 5);
  lx_edge first = { 0 }, last = { 0 };
  if (!lua_isnoneornil(L, 6)) {
    luaL_checktype(L, 6, LUA_TTABLE);
    lua_getfield(L, 6, "doc");
    first.doc = last.doc = luaL_checkstring(L, -1);
    lua_getfield(L, 6, "piece");
    first.piece = last.piece = luaL_optstring(L, -1, "-");
    first.open = last.open = 1;
    first.glued = lexis_optbool(L, 6, "glued_start", 0);
    last.glued = lexis_optbool(L, 6, "glued_end", 0);
  }
  int rc = lx_partial_write_counts(f, c, range, kind, (uint64_t)(docs < 0 ? 0 : docs),
                                   first.doc ? &first : NULL, last.doc ? &last : NULL);
  if (rc) {
    errno = rc;
    return luaL_fileresult(L, 0, NULL);
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* ---------------------------------------------------------------- lexis.Merge */

#define MERGE "lexis.Merge"

typedef struct {
  lx_merge *m;             /* NULL once closed */
} merge_box;

static lx_merge *check_merge(lua_State *L) {
  merge_box *b = luaL_checkudata(L, 1, MERGE);
  if (!b->m) luaL_error(L, "attempt to use a closed " MERGE);
  return b->m;
}

static int merge_close(lua_State *L) {
  merge_box *b = luaL_checkudata(L, 1, MERGE);
  lx_merge_free(b->m);
  b->m = NULL;
  return 0;
}

/* merger(counts, range): both are kept as user values while it lives. */
static int merge_new(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  lx_counts *range = lexis_checkcounts(L, 2);
  merge_box *b = lua_newuserdatauv(L, sizeof *b, 2);
  b->m = NULL;
  luaL_setmetatable(L, MERGE);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, 2);
  lua_setiuservalue(L, -2, 2);
  if (!(b->m = lx_merge_new(c, range))) return lexis_nomem(L);
  return 1;
}

/* m:read(path): "-" is standard input. true and a warning (or nothing), or
** nil, msg. */
static int merge_read(lua_State *L) {
  lx_merge *m = check_merge(L);
  const char *path = lexis_checkpath(L, 2);
  int std = strcmp(path, "-") == 0;
  FILE *f = std ? stdin : fopen(path, "rb");
  if (!f) return luaL_fileresult(L, 0, path);
  char err[512], warn[512];
  int rc = lx_merge_read(m, f, std ? "stdin" : path, warn, sizeof warn, err, sizeof err);
  if (!std) fclose(f);
  if (rc && lexis_is_nomem(err)) return lexis_nomem(L);
  if (rc) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushboolean(L, 1);
  if (!warn[0]) return 1;
  lua_pushstring(L, warn);
  return 2;
}

static int merge_kind(lua_State *L) {
  lua_pushstring(L, lx_merge_kind(check_merge(L)));
  return 1;
}

static int merge_tokens(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_merge_tokens(check_merge(L)));
  return 1;
}

static int merge_docs(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_merge_docs(check_merge(L)));
  return 1;
}

/* m:write(file): the sum as partial counts, edges kept. */
static int merge_write(lua_State *L) {
  lx_merge *m = check_merge(L);
  FILE *f = lexis_checkstream(L, 2);
  int rc = lx_merge_write(m, f);
  if (rc) {
    errno = rc;
    return luaL_fileresult(L, 0, NULL);
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int merge_tostring(lua_State *L) {
  merge_box *b = luaL_checkudata(L, 1, MERGE);
  if (!b->m) lua_pushliteral(L, MERGE " (closed)");
  else lua_pushfstring(L, MERGE " (%s, %d documents)", lx_merge_kind(b->m), (int)lx_merge_docs(b->m));
  return 1;
}

static const luaL_Reg partial_functions[] = {
  {"read_partial", read_partial},
  {"write_partial", write_partial},
  {"set_total", set_total},
  {"write_list", write_list},
  {"merger", merge_new},
  {NULL, NULL}
};

void lexis_open_partial(lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__gc", merge_close}, {"__close", merge_close}, {"__tostring", merge_tostring}, {NULL, NULL},
  };
  static const luaL_Reg methods[] = {
    {"read", merge_read}, {"kind", merge_kind}, {"tokens", merge_tokens}, {"docs", merge_docs},
    {"write", merge_write}, {"close", merge_close}, {NULL, NULL},
  };
  lexis_createmeta(L, MERGE, meta, methods);
  luaL_setfuncs(L, partial_functions, 0);
}
