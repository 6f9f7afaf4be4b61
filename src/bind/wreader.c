/*
** wreader.c: the binding kit's part for the word reader of src/ngrams.h,
** which every counter of words reads through (n-grams, collocates, word
** lists, word streams): its options parsed once, and the result of a read
** pushed alike by each (declared in wreader.h).
*/
#include <errno.h>
#include <string.h>

#include "bind.h"
#include "wreader.h"
#include "progress_bind.h"
#include "../input.h"

/* opts.case at idx (a table, or absent): match a node or `contains` exactly. */
int lexis_opt_case(lua_State *L, int idx) {
  if (!lua_istable(L, idx)) return 0;
  int t = lua_getfield(L, idx, "case");
  int on = t != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  return on;
}

/* Reads the tokenizer options of the table at t: kinds (a string such as
** "word,number"), lower, fold, normalize, hyphens, apostrophes. */
void lexis_check_tokopts(lua_State *L, int t, lx_tokopts *o) {
  static const char *const norms[] = { "none", "nfc", "nfkc", NULL };
  memset(o, 0, sizeof *o);
  o->kinds = LX_KINDS_WORDS;
  if (lua_getfield(L, t, "kinds") == LUA_TSTRING) {
    size_t len;
    const char *k = lua_tolstring(L, -1, &len), *end = k + len;
    o->kinds = 0;
    if (len == 3 && memcmp(k, "all", 3) == 0) k = end, o->kinds = LX_KINDS_ALL & ~LX_KIND_BIT(LX_SPACE);
    while (k < end) {
      if (*k == ' ' || *k == ',') { k++; continue; }
      const char *e = k;
      while (e < end && *e != ',' && *e != ' ') e++;
      int kind = lx_kind_parse(k, (size_t)(e - k));
      if (kind < 0) luaL_error(L, "unknown token kind in '%s'", lua_tostring(L, -1));
      o->kinds |= LX_KIND_BIT(kind);
      k = e + 1;
    }
    if (!o->kinds) luaL_error(L, "no token kinds given");
  }
  lua_pop(L, 1);
  lua_getfield(L, t, "lower");
  if (lua_toboolean(L, -1)) o->casing = LX_CASE_LOWER;
  lua_getfield(L, t, "fold");
  if (lua_toboolean(L, -1)) o->casing = LX_CASE_FOLD;
  lua_getfield(L, t, "hyphens");
  o->join_hyphens = lua_toboolean(L, -1);
  lua_getfield(L, t, "apostrophes");
  o->split_apostrophes = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
  lua_getfield(L, t, "normalize");
  o->norm = luaL_checkoption(L, -1, "none", norms);
  lua_pop(L, 5);
}

/*
** The splitter in opts.splitter (a lexis.Splitter of src/bind/sentences.c),
** or NULL. The caller keeps the splitter referenced (a user value).
*/
const lx_splitter *lexis_opts_splitter(lua_State *L, int t) {
  const lx_splitter *sp = NULL;
  if (lua_getfield(L, t, "splitter") != LUA_TNIL)
    sp = lexis_check_splitter(L, lua_gettop(L));
  lua_pop(L, 1);
  return sp;
}

int lexis_read_result(lua_State *L, int rc, const char *err) {
  if (rc == LX_INPUT_SKIPPED) {     /* binary: said on stderr, nothing read */
    lexis_input_skipped(L, err);
    rc = 0;
  }
  if (rc == 0) {
    lua_settop(L, 1);
    return 1;
  }
  if (rc == ENOMEM) return lexis_nomem(L);
  lua_pushnil(L);
  lua_pushstring(L, err);
  lua_pushinteger(L, rc);
  return 3;
}

/*
** Reads a file into r (through g's threads when g is given), reporting to
** the progress function at arg, whose error, if any, is raised after.
*/
int lexis_read_file(lua_State *L, lx_wreader *r, lx_ngrams *g, int threads, const char *path,
                     int arg, char *err, size_t errlen) {
  lexis_progress hook;
  lx_wreader_progress(r, lexis_opt_progress(L, arg, &hook));
  int rc = g ? lx_ngrams_file(g, path, threads, err, errlen) : lx_wreader_file(r, path, err, errlen);
  lx_wreader_progress(r, NULL);
  lexis_progress_done(L, &hook);
  return rc;
}
