/*
** The document-feature matrix (src/dfm.h) in lexis.core:
**   dfm(opts) -> a lexis.Dfm: d:add(text, name) d:addfile(path, name [, progress])
**     d:select{min=, min_docs=, stop=set} -> columns
**     d:docs() d:tokens() d:nonzero() d:features() -> { {word=, count=} } d:get(doc, col)
**     d:write_mtx(file) d:write_features(file) d:write_docs(file)
*/
#include <errno.h>
#include <string.h>

#include "bind.h"
#include "wreader.h"
#include "../dfm.h"

#define DFM "lexis.Dfm"

typedef struct {
  lx_wreader *r;           /* NULL once closed */
  lx_dfm *d;
  int selected;
} dfm_box;

static dfm_box *check_dfm(lua_State *L, int arg) {
  dfm_box *b = luaL_checkudata(L, arg, DFM);
  if (!b->d) luaL_error(L, "attempt to use a closed " DFM);
  return b;
}

static dfm_box *check_selected(lua_State *L, int arg) {
  dfm_box *b = check_dfm(L, arg);
  luaL_argcheck(L, b->selected, arg, "select() the features first");
  return b;
}

static int dfm_close(lua_State *L) {
  dfm_box *b = luaL_checkudata(L, 1, DFM);
  lx_dfm_free(b->d);
  lx_wreader_free(b->r);
  b->d = NULL, b->r = NULL;
  return 0;
}

static int dfm_new(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lx_tokopts o;
  lexis_check_tokopts(L, 1, &o, LX_KINDS_WORDS);
  dfm_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, DFM);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, NULL, err, sizeof err))) return lexis_core_misuse(L, err);
  if (!(b->d = lx_dfm_new(b->r))) return lexis_nomem(L);
  lx_wsink sink = lx_dfm_sink(b->d);
  lx_wreader_sink(b->r, &sink);
  return 1;
}

static int dfm_add(lua_State *L) {
  dfm_box *b = check_dfm(L, 1);
  luaL_argcheck(L, !b->selected, 1, "the features are chosen: no more documents");
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  const char *name = luaL_checkstring(L, 3);
  char err[256];
  int rc = lx_wreader_buffer(b->r, s, len, err, sizeof err);
  if (lx_dfm_name(b->d, name)) return lexis_nomem(L);
  return lexis_read_result(L, rc, err);
}

static int dfm_addfile(lua_State *L) {
  dfm_box *b = check_dfm(L, 1);
  luaL_argcheck(L, !b->selected, 1, "the features are chosen: no more documents");
  const char *path = lexis_checkpath(L, 2);
  const char *name = luaL_checkstring(L, 3);
  char err[512];
  int rc = lexis_read_file(L, b->r, NULL, 1, path, 4, err, sizeof err);
  if (lx_dfm_name(b->d, name)) return lexis_nomem(L);
  return lexis_read_result(L, rc, err);
}

/* d:select{min=, min_docs=, stop=} -> the number of columns. stop: a set of
** words (their exact text) left out. */
static int dfm_select(lua_State *L) {
  dfm_box *b = check_dfm(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  double min = lexis_optnum(L, 2, "min", 1), min_docs = lexis_optnum(L, 2, "min_docs", 1);
  luaL_argcheck(L, min >= 0 && min_docs >= 0 && min_docs <= UINT32_MAX, 2,
                "min and min_docs must be whole numbers >= 0");
  size_t k = lx_dfm_select(b->d, (uint64_t)min, (uint32_t)min_docs);
  if (k == (size_t)-1) return lexis_nomem(L);
  b->selected = 1;
  lua_settop(L, 2);
  if (lua_getfield(L, 2, "stop") == LUA_TTABLE && k > 0) {   /* at 3 */
    unsigned char *drop = lua_newuserdatauv(L, k, 0);
    for (size_t j = 0; j < k; j++) {
      size_t len;
      const char *w = lx_dfm_feature(b->d, j, &len, NULL);
      drop[j] = (unsigned char)lexis_in_stopset(L, 3, w, len);
    }
    k = lx_dfm_drop(b->d, drop);
  }
  lua_pushinteger(L, (lua_Integer)k);
  return 1;
}

/* d:group({ group of each document, from 1 }, { names }): lx_dfm_group,
** before select */
static int dfm_group(lua_State *L) {
  dfm_box *b = check_dfm(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_argcheck(L, !b->selected, 1, "group before select");
  uint32_t n = lx_dfm_docs(b->d);
  lua_Integer ng = luaL_len(L, 3);
  luaL_argcheck(L, luaL_len(L, 2) == (lua_Integer)n, 2, "a group per document expected");
  luaL_argcheck(L, ng >= 1 && ng <= UINT32_MAX - 1, 3, "group names expected");
  uint32_t *group = lua_newuserdatauv(L, (size_t)n * 4 + 4, 0);
  const char **names = lua_newuserdatauv(L, (size_t)ng * sizeof *names, 0);
  for (uint32_t i = 0; i < n; i++) {
    lua_geti(L, 2, (lua_Integer)i + 1);
    lua_Integer g = lua_tointeger(L, -1);
    luaL_argcheck(L, g >= 1 && g <= ng, 2, "a group number out of range");
    group[i] = (uint32_t)(g - 1);
    lua_pop(L, 1);
  }
  for (lua_Integer g = 0; g < ng; g++) {
    lua_geti(L, 3, g + 1);
    names[g] = luaL_checkstring(L, -1);        /* anchored by the table */
    lua_pop(L, 1);
  }
  int rc = lx_dfm_group(b->d, group, (uint32_t)ng, names);
  if (rc == ENOMEM) return lexis_nomem(L);
  if (rc) return luaL_error(L, "group: %s", strerror(rc));
  return 0;
}

static int dfm_docs(lua_State *L) {
  dfm_box *b = check_dfm(L, 1);
  uint32_t n = lx_dfm_docs(b->d);
  lua_createtable(L, (int)n, 0);
  for (uint32_t i = 0; i < n; i++) {
    lua_pushstring(L, lx_dfm_docname(b->d, i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int dfm_tokens(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_wreader_tokens(check_dfm(L, 1)->r));
  return 1;
}

static int dfm_nonzero(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_dfm_nonzero(check_selected(L, 1)->d));
  return 1;
}

static int dfm_features(lua_State *L) {
  dfm_box *b = check_selected(L, 1);
  size_t len, j = 0;
  uint64_t count;
  lua_newtable(L);
  const char *w;
  while ((w = lx_dfm_feature(b->d, j, &len, &count)) != NULL) {
    lua_createtable(L, 0, 2);
    lua_pushlstring(L, w, len);
    lua_setfield(L, -2, "word");
    lua_pushinteger(L, (lua_Integer)count);
    lua_setfield(L, -2, "count");
    lua_rawseti(L, -2, (lua_Integer)++j);
  }
  return 1;
}

/* d:get(doc, col), both from 1 -> the count */
static int dfm_get(lua_State *L) {
  dfm_box *b = check_selected(L, 1);
  lua_Integer doc = luaL_checkinteger(L, 2), col = luaL_checkinteger(L, 3);
  uint32_t v = 0;
  if (doc >= 1 && doc <= (lua_Integer)lx_dfm_docs(b->d) && col >= 1)
    v = lx_dfm_get(b->d, (uint32_t)(doc - 1), (size_t)(col - 1));
  lua_pushinteger(L, (lua_Integer)v);
  return 1;
}

static int write_with(lua_State *L, int (*fn)(const lx_dfm *, FILE *)) {
  dfm_box *b = check_selected(L, 1);
  FILE *f = lexis_checkstream(L, 2);
  int rc = fn(b->d, f);
  if (rc == ENOMEM) return lexis_nomem(L);
  if (rc) {
    errno = rc;
    return luaL_fileresult(L, 0, NULL);
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int dfm_write_mtx(lua_State *L) { return write_with(L, lx_dfm_write_mtx); }
static int dfm_write_features(lua_State *L) { return write_with(L, lx_dfm_write_features); }
static int dfm_write_docs(lua_State *L) { return write_with(L, lx_dfm_write_docs); }

static int dfm_tostring(lua_State *L) {
  dfm_box *b = luaL_checkudata(L, 1, DFM);
  if (!b->d) lua_pushliteral(L, DFM " (closed)");
  else lua_pushfstring(L, DFM " (%d documents)", (int)lx_dfm_docs(b->d));
  return 1;
}

void lexis_open_dfm(lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__gc", dfm_close}, {"__close", dfm_close}, {"__tostring", dfm_tostring}, {NULL, NULL},
  };
  static const luaL_Reg methods[] = {
    {"add", dfm_add}, {"addfile", dfm_addfile}, {"select", dfm_select}, {"group", dfm_group}, {"docs", dfm_docs},
    {"nonzero", dfm_nonzero}, {"tokens", dfm_tokens}, {"features", dfm_features}, {"get", dfm_get},
    {"write_mtx", dfm_write_mtx}, {"write_features", dfm_write_features},
    {"write_docs", dfm_write_docs}, {"close", dfm_close}, {NULL, NULL},
  };
  lexis_createmeta(L, DFM, meta, methods);
  lua_pushcfunction(L, dfm_new);
  lua_setfield(L, -2, "dfm");
}
