/*
** The CQL parser and compiler (src/cql.h) for the specs: internal
** functions of lexis.core, not part of the lexis API, until an evaluator
** runs the programs.
**   cql_parse(q)   -> canonical form | nil, message
**   cql_compile(q) -> number of NFA states, nullable | nil, message
**   cql_dump(q)    -> the states, one a line | nil, message
**   cql_info(q)    -> { strategy, within, within_count, cut, ntokens, ntags, labels } | nil, message
**   cql_longest(q, pass, opens, closes) -> end of the longest match at 0 | false
** A malformed query is the user's text, not a misuse: nil and the message.
*/
#include "bind.h"
#include "../cql.h"

#include <stdlib.h>
#include <string.h>

/* What a call holds in C memory, in a box the collector frees, so that a
** raise (out of memory while pushing) leaks nothing. */
typedef struct cql_box {
  cql_query *query;
  cql_program *prog;
  char *text;
} cql_box;

static int box_gc(lua_State *L) {
  cql_box *b = luaL_checkudata(L, 1, "lexis.CqlBox");
  cql_program_free(b->prog);
  cql_free(b->query);
  free(b->text);
  b->prog = NULL;
  b->query = NULL;
  b->text = NULL;
  return 0;
}

/* Parses argument 1 into a new box left on the stack; on a malformed query
** pushes nil, message and returns NULL. */
static cql_box *parse_arg(lua_State *L, char *err, size_t errlen) {
  size_t n;
  const char *q = luaL_checklstring(L, 1, &n);
  cql_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, "lexis.CqlBox");
  b->query = cql_parse(q, n, err, errlen);
  if (!b->query) {
    if (strcmp(err, "cql: out of memory") == 0) lexis_result(L, ENOMEM, NULL, err);
    lua_pushnil(L);
    lua_pushstring(L, err);
    return NULL;
  }
  return b;
}

static cql_box *compile_arg(lua_State *L, char *err, size_t errlen) {
  cql_box *b = parse_arg(L, err, errlen);
  if (!b) return NULL;
  b->prog = cql_compile(b->query, err, errlen);
  if (!b->prog) {
    if (strcmp(err, "cql: out of memory") == 0) lexis_result(L, ENOMEM, NULL, err);
    lua_pushnil(L);
    lua_pushstring(L, err);
    return NULL;
  }
  return b;
}

static int l_parse(lua_State *L) {
  char err[256];
  cql_box *b = parse_arg(L, err, sizeof err);
  if (!b) return 2;
  size_t len;
  b->text = cql_format(b->query, &len);
  if (!b->text) return lexis_result(L, ENOMEM, NULL, NULL);
  lua_pushlstring(L, b->text, len);
  return 1;
}

static int l_compile(lua_State *L) {
  char err[256];
  cql_box *b = compile_arg(L, err, sizeof err);
  if (!b) return 2;
  lua_pushinteger(L, (lua_Integer)b->prog->nstates);
  lua_pushboolean(L, b->prog->nullable);
  return 2;
}

static int l_dump(lua_State *L) {
  char err[256];
  cql_box *b = compile_arg(L, err, sizeof err);
  if (!b) return 2;
  size_t len;
  b->text = cql_program_dump(b->prog, &len);
  if (!b->text) return lexis_result(L, ENOMEM, NULL, NULL);
  lua_pushlstring(L, b->text, len);
  return 1;
}

static int l_info(lua_State *L) {
  static const char *strategies[] = { "standard", "shortest", "longest", "traditional" };
  char err[256];
  cql_box *b = parse_arg(L, err, sizeof err);
  if (!b) return 2;
  const cql_query *q = b->query;
  lua_createtable(L, 0, 7);
  lua_pushstring(L, strategies[q->strategy]);
  lua_setfield(L, -2, "strategy");
  if (q->within) {
    lua_pushstring(L, q->within);
    lua_setfield(L, -2, "within");
  }
  lua_pushinteger(L, q->within_count);
  lua_setfield(L, -2, "within_count");
  lua_pushinteger(L, q->cut);
  lua_setfield(L, -2, "cut");
  lua_pushinteger(L, (lua_Integer)q->ntokens);
  lua_setfield(L, -2, "ntokens");
  lua_pushinteger(L, (lua_Integer)q->ntags);
  lua_setfield(L, -2, "ntags");
  lua_createtable(L, (int)q->nlabels, 0);
  for (size_t i = 0; i < q->nlabels; i++) {
    lua_pushstring(L, q->labels[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "labels");
  return 1;
}

/* The integers of the array at arg as bit masks, n of them (missing: 0),
** in a userdata the collector frees. */
static uint64_t *masks_arg(lua_State *L, int arg, size_t n) {
  luaL_checktype(L, arg, LUA_TTABLE);
  uint64_t *m = lua_newuserdatauv(L, (n ? n : 1) * sizeof *m, 0);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, arg, (lua_Integer)i + 1);
    m[i] = (uint64_t)luaL_optinteger(L, -1, 0);
    lua_pop(L, 1);
  }
  return m;
}

static int l_longest(lua_State *L) {
  char err[256];
  luaL_checktype(L, 2, LUA_TTABLE);
  size_t n = (size_t)lua_rawlen(L, 2);
  luaL_argcheck(L, n <= 1000000, 2, "too many tokens");
  int has_opens = !lua_isnoneornil(L, 3), has_closes = !lua_isnoneornil(L, 4);
  lua_settop(L, 4);   /* the boxes pushed below must not be taken for arguments */
  const uint64_t *pass = masks_arg(L, 2, n);
  const uint64_t *opens = has_opens ? masks_arg(L, 3, n + 1) : NULL;
  const uint64_t *closes = has_closes ? masks_arg(L, 4, n + 1) : NULL;
  if (!opens || !closes) {
    uint64_t *zero = lua_newuserdatauv(L, (n + 1) * sizeof *zero, 0);
    memset(zero, 0, (n + 1) * sizeof *zero);
    if (!opens) opens = zero;
    if (!closes) closes = zero;
  }
  cql_box *b = compile_arg(L, err, sizeof err);
  if (!b) return 2;
  size_t end = 0;
  int r = cql_program_longest(b->prog, pass, opens, closes, n, &end);
  if (r < 0) return lexis_result(L, ENOMEM, NULL, NULL);
  if (r) lua_pushinteger(L, (lua_Integer)end);
  else lua_pushboolean(L, 0);
  return 1;
}

static const luaL_Reg cql_funcs[] = {
  {"cql_parse", l_parse},
  {"cql_compile", l_compile},
  {"cql_dump", l_dump},
  {"cql_info", l_info},
  {"cql_longest", l_longest},
  {NULL, NULL}
};

void lexis_open_cql(lua_State *L) {
  luaL_newmetatable(L, "lexis.CqlBox");
  lua_pushcfunction(L, box_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_setfuncs(L, cql_funcs, 0);
}
