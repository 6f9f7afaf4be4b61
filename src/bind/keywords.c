/*
** Keywords (src/keywords.h) in lexis.core:
**   keywords(target, ref, opts)      -> rows: keyness of two lexis.Counts
*/
#include <stdlib.h>

#include "bind.h"
#include "counts.h"
#include "../keywords.h"

/*
** keywords(target, ref, {by=, smooth=, min=, max_p=, limit=, positive=,
** negative=, n1=, n2=}) -> { {word=, key="+"|"-", freq=, freq_ref=, ...} }
** n1, n2 default to the tables' totals.
*/
static int keywords_list(lua_State *L) {
  lx_counts *t = lexis_checkcounts(L, 1), *r = lexis_checkcounts(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lx_keyopts o;
  lua_getfield(L, 3, "by");
  o.by = luaL_checkoption(L, -1, "g2", lx_keyby_names);
  lua_pop(L, 1);
  o.smooth = lexis_optnum(L, 3, "smooth", 1);
  luaL_argcheck(L, o.smooth > 0, 3, "smooth must be positive");
  double min = lexis_optnum(L, 3, "min", 1), limit = lexis_optnum(L, 3, "limit", 0);
  o.min = min > 0 ? (uint64_t)min : 0;
  o.limit = limit > 0 ? (size_t)limit : 0;
  o.max_p = lexis_optnum(L, 3, "max_p", 1);
  lua_getfield(L, 3, "positive");
  o.positive = lua_isnil(L, -1) || lua_toboolean(L, -1);
  lua_getfield(L, 3, "negative");
  o.negative = lua_isnil(L, -1) || lua_toboolean(L, -1);
  lua_pop(L, 2);
  double n1 = lexis_optnum(L, 3, "n1", (double)lx_counts_total(t));
  double n2 = lexis_optnum(L, 3, "n2", (double)lx_counts_total(r));
  size_t n;
  int oom;
  lexis_holder *h = lexis_holder_new(L, free);
  const lx_keyword *rows = h->p = lx_keywords(t, r, n1, n2, &o, &n, &oom);
  if (oom) return lexis_nomem(L);
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    const lx_keyword *w = &rows[k];
    lua_createtable(L, 0, 17);
    lua_pushlstring(L, w->word, w->len);
    lua_setfield(L, -2, "word");
    lua_pushstring(L, w->dir > 0 ? "+" : "-");
    lua_setfield(L, -2, "key");
    lua_pushinteger(L, (lua_Integer)w->a);
    lua_setfield(L, -2, "freq");
    lua_pushinteger(L, (lua_Integer)w->b);
    lua_setfield(L, -2, "freq_ref");
    lexis_setnum(L, "fpm", w->k.fpm1);
    lexis_setnum(L, "fpm_ref", w->k.fpm2);
    lexis_setnum(L, "g2", w->k.g2);
    lexis_setnum(L, "p_g2", w->k.p_g2);
    lexis_setnum(L, "chi2", w->k.chi2);
    lexis_setnum(L, "p_chi2", w->k.p_chi2);
    lexis_setnum(L, "log_ratio", w->k.log_ratio);
    lexis_setnum(L, "pdiff", w->k.pdiff);
    lexis_setnum(L, "simple", w->k.simple);
    lexis_setnum(L, "g2_williams", w->k.g2_williams);
    lexis_setnum(L, "bic", w->k.bic);
    lexis_setnum(L, "fisher", w->k.fisher);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lexis_holder_release(h);
  return 1;
}


void lexis_open_keywords(lua_State *L) {
  lua_pushcfunction(L, keywords_list);
  lua_setfield(L, -2, "keywords");
}
