/*
** Frequency tables (src/counts.c) as the userdata "lexis.Counts":
** #c (types), c:get(w), c:total(), c:top(n [, min]), c:add(w [, n]),
** c:drop(w), c:merge(other), c:write(file [, opts]), pairs(c), tostring(c),
** c:close() (also __gc and __close). The words live in C; a Lua string is
** made only for a word that is asked for.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "counts.h"

typedef struct {
  lx_counts *c;            /* NULL once closed */
} counts_box;

lx_counts *lexis_checkcounts(lua_State *L, int arg) {
  counts_box *b = luaL_checkudata(L, arg, LEXIS_COUNTS);
  if (!b->c) luaL_error(L, "attempt to use a closed " LEXIS_COUNTS);
  return b->c;
}

/*
** Made closed, then filled: if the allocation fails, the error leaves a
** closed box for the collector and nothing leaks.
*/
lx_counts *lexis_newcounts(lua_State *L) {
  counts_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->c = NULL;
  luaL_setmetatable(L, LEXIS_COUNTS);
  if (!(b->c = lx_counts_new())) lexis_nomem(L);
  return b->c;
}

/* counts() -> an empty table */
static int counts_new(lua_State *L) {
  lexis_newcounts(L);
  return 1;
}

static int counts_close(lua_State *L) {
  counts_box *b = luaL_checkudata(L, 1, LEXIS_COUNTS);
  lx_counts_free(b->c);
  b->c = NULL;
  return 0;
}

static int counts_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_counts_types(lexis_checkcounts(L, 1)));
  return 1;
}

/* c:get(word) -> count (0 if never seen) */
static int counts_get(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  size_t len;
  const char *w = luaL_checklstring(L, 2, &len);
  lua_pushinteger(L, (lua_Integer)lx_counts_get(c, w, len));
  return 1;
}

/* c:total() -> tokens counted (stop words dropped later included) */
static int counts_total(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_counts_total(lexis_checkcounts(L, 1)));
  return 1;
}

/*
** A count or the total would pass math.maxinteger: says which (the word
** cut to 60 bytes). A mistake of the caller's, so it raises.
*/
static int overflow_error(lua_State *L, const char *w, size_t len) {
  if (!w) return luaL_error(L, "the total would overflow (past %I)", (lua_Integer)LX_COUNT_MAX);
  return luaL_error(L, "count of '%s%s' would overflow (past %I)",
                    lua_pushlstring(L, w, len > 60 ? 60 : len), len > 60 ? "..." : "",
                    (lua_Integer)LX_COUNT_MAX);
}

/* c:add(word [, n]) -> c */
static int counts_add(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  size_t len;
  const char *w = luaL_checklstring(L, 2, &len);
  lua_Integer n = luaL_optinteger(L, 3, 1);
  luaL_argcheck(L, n >= 0, 3, "count must not be negative");
  int rc = lx_counts_add(c, w, len, (uint64_t)n);
  if (rc == LX_COUNTS_OVERFLOW)   /* the word's count, or else the total */
    overflow_error(L, lx_counts_get(c, w, len) > LX_COUNT_MAX - (uint64_t)n ? w : NULL, len);
  if (rc) lexis_nomem(L);
  lua_settop(L, 1);
  return 1;
}

/* c:drop(word) -> the count it had. The total keeps its tokens. */
static int counts_drop(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  size_t len;
  const char *w = luaL_checklstring(L, 2, &len);
  lua_pushinteger(L, (lua_Integer)lx_counts_drop(c, w, len));
  return 1;
}

/* c:merge(other) -> c, with other's counts and total added */
static int counts_merge(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  lx_counts *o = lexis_checkcounts(L, 2);
  luaL_argcheck(L, c != o, 2, "cannot merge a table into itself");
  const char *bad;
  size_t blen;
  int rc = lx_counts_merge(c, o, &bad, &blen);
  if (rc == LX_COUNTS_OVERFLOW) overflow_error(L, bad, blen);
  if (rc == LX_COUNTS_INTERRUPTED) luaL_error(L, "interrupted");   /* the host's Ctrl-C hook says it first */
  if (rc) lexis_nomem(L);
  lua_settop(L, 1);
  return 1;
}

/*
** The sorted indices, copied into a userdata made before the sort: no
** malloced memory is held while Lua may raise.
*/
static size_t *sorted_box(lua_State *L, lx_counts *c, size_t limit, uint64_t min, size_t *n) {
  size_t bound = lx_counts_types(c);
  if (limit && limit < bound) bound = limit;
  size_t *box = lua_newuserdatauv(L, (bound ? bound : 1) * sizeof *box, 0);
  size_t *idx = lx_counts_sorted(c, limit, min, n);
  if (!idx && bound > 0 && min <= 1) lexis_nomem(L);
  if (*n > bound) *n = bound;
  if (idx) memcpy(box, idx, *n * sizeof *box);
  free(idx);
  return box;
}

/* c:top([n [, min]]) -> { {word=, count=}, ... } by count, then word bytes */
static int counts_top(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  lua_Integer limit = luaL_optinteger(L, 2, 0), min = luaL_optinteger(L, 3, 1);
  luaL_argcheck(L, limit >= 0, 2, "must not be negative");
  size_t n;
  size_t *idx = sorted_box(L, c, (size_t)limit, (uint64_t)(min < 1 ? 1 : min), &n);
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    const char *key;
    size_t len;
    uint64_t cnt = lx_counts_entry(c, idx[k], &key, &len);
    lua_createtable(L, 0, 2);
    lua_pushlstring(L, key, len);
    lua_setfield(L, -2, "word");
    lua_pushinteger(L, (lua_Integer)cnt);
    lua_setfield(L, -2, "count");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}

/*
** c:write(file [, {format=, limit=, min=, header=, title=}]) -> true, or nil, msg, errno
** Formats the list in C straight into the stream: no Lua string per row.
*/
static int counts_write(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  FILE *f = lexis_checkstream(L, 2);
  lx_listopts o = { LX_FMT_TEXT, 0, 1, 1, NULL };
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_getfield(L, 3, "format");
    o.format = luaL_checkoption(L, -1, "text", lx_fmt_names);
    lua_getfield(L, 3, "limit");
    lua_Integer limit = luaL_optinteger(L, -1, 0);
    lua_getfield(L, 3, "min");
    lua_Integer min = luaL_optinteger(L, -1, 1);
    lua_getfield(L, 3, "header");
    o.header = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
    lua_getfield(L, 3, "title");          /* stays on the stack while we write */
    o.title = luaL_optstring(L, -1, NULL);
    luaL_argcheck(L, limit >= 0 && min >= 0, 3, "limit and min must not be negative");
    o.limit = (size_t)limit;
    o.min = (uint64_t)min;
  }
  int rc = lx_counts_write(c, f, &o);
  if (rc) {
    lua_pushnil(L);
    lua_pushstring(L, strerror(rc));
    lua_pushinteger(L, rc);
    return 3;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* The pairs() step: upvalue 1 is the next slot to look at. */
static int counts_step(lua_State *L) {
  lx_counts *c = lexis_checkcounts(L, 1);
  size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(1)), n = lx_counts_size(c);
  for (; i < n; i++) {
    const char *key;
    size_t len;
    uint64_t cnt = lx_counts_entry(c, i, &key, &len);
    if (cnt == 0) continue;
    lua_pushinteger(L, (lua_Integer)i + 1);
    lua_replace(L, lua_upvalueindex(1));
    lua_pushlstring(L, key, len);
    lua_pushinteger(L, (lua_Integer)cnt);
    return 2;
  }
  lua_pushinteger(L, (lua_Integer)n);
  lua_replace(L, lua_upvalueindex(1));
  return 0;
}

/* pairs(c): word, count in no particular order (c:top() sorts) */
static int counts_pairs(lua_State *L) {
  lexis_checkcounts(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, counts_step, 1);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

/* "lexis.Counts: 3 types, 4 tokens; the 2, a 1, of 1" (the five commonest) */
static int counts_tostring(lua_State *L) {
  counts_box *b = luaL_checkudata(L, 1, LEXIS_COUNTS);
  if (!b->c) {
    lua_pushliteral(L, LEXIS_COUNTS " (closed)");
    return 1;
  }
  size_t n;
  size_t *idx = sorted_box(L, b->c, 5, 1, &n);
  luaL_Buffer buf;
  luaL_buffinit(L, &buf);
  lua_pushfstring(L, LEXIS_COUNTS ": %I types, %I tokens", (lua_Integer)lx_counts_types(b->c),
                  (lua_Integer)lx_counts_total(b->c));
  luaL_addvalue(&buf);
  for (size_t k = 0; k < n; k++) {
    const char *key;
    size_t len;
    uint64_t cnt = lx_counts_entry(b->c, idx[k], &key, &len);
    luaL_addstring(&buf, k ? ", " : "; ");
    luaL_addlstring(&buf, key, len);
    lua_pushfstring(L, " %I", (lua_Integer)cnt);
    luaL_addvalue(&buf);
  }
  if (lx_counts_types(b->c) > n) luaL_addstring(&buf, ", ...");
  luaL_pushresult(&buf);
  return 1;
}

static const luaL_Reg counts_meta[] = {
  {"__len", counts_len},
  {"__pairs", counts_pairs},
  {"__tostring", counts_tostring},
  {"__gc", counts_close},
  {"__close", counts_close},
  {"__index", NULL},
  {NULL, NULL}
};

static const luaL_Reg counts_methods[] = {
  {"get", counts_get},
  {"total", counts_total},
  {"types", counts_len},
  {"top", counts_top},
  {"add", counts_add},
  {"drop", counts_drop},
  {"merge", counts_merge},
  {"write", counts_write},
  {"close", counts_close},
  {NULL, NULL}
};

static const luaL_Reg counts_functions[] = {
  {"counts", counts_new},
  {NULL, NULL}
};

void lexis_open_counts(lua_State *L) {
  luaL_newmetatable(L, LEXIS_COUNTS);
  luaL_setfuncs(L, counts_meta, 0);
  luaL_newlib(L, counts_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_setfuncs(L, counts_functions, 0);
}
