/*
** The statistics core (src/stats.c) in lexis.core: the measures alone,
** for numbers a caller has counted.
**   assoc(o11, r1, fx, fy, n)        -> { observed=, expected=, mi=, ... }
**   keyness(a, n1, b, n2 [, smooth]) -> { g2=, p_g2=, chi2=, ... }
**   dispersion(freqs, sizes [, positions])
**                                    -> { d=, dp=, dp_norm=, range=, u=, d2=, s=, af=,
**                                         kld=, dkl=, da= [, arf=, aldf=] }
**   p_chi2(x)                        -> p-value, chi-square with 1 d.f.
** The counters that use them have their own bindings: ngrams.c,
** collocates.c, keywords.c, partial.c, wordlist.c. lua/lexis/stats.lua
** composes them all into the public API.
*/
#include "bind.h"
#include "../stats.h"

static double checkcount(lua_State *L, int arg) {
  double x = (double)luaL_checknumber(L, arg);
  luaL_argcheck(L, x >= 0, arg, "count must not be negative");
  return x;
}

/* assoc(o11, r1, fx, fy, n): every association measure of a collocate seen
** o11 times in node windows of r1 tokens; fx, fy the frequencies of node
** and collocate; n the corpus size. */
static int stats_assoc(lua_State *L) {
  lx_assoc a;
  lx_assoc_all(checkcount(L, 1), checkcount(L, 2), checkcount(L, 3), checkcount(L, 4),
               checkcount(L, 5), &a);
  lua_createtable(L, 0, 19);
  lexis_setnum(L, "observed", a.observed);
  lexis_setnum(L, "expected", a.expected);
  lexis_setnum(L, "mi", a.mi);
  lexis_setnum(L, "mi3", a.mi3);
  lexis_setnum(L, "t", a.t);
  lexis_setnum(L, "z", a.z);
  lexis_setnum(L, "g2", a.g2);
  lexis_setnum(L, "p", a.p);
  lexis_setnum(L, "dice", a.dice);
  lexis_setnum(L, "logdice", a.logdice);
  lexis_setnum(L, "log_ratio", a.log_ratio);
  lexis_setnum(L, "chi2", a.chi2);
  lexis_setnum(L, "delta_p", a.delta_p);
  lexis_setnum(L, "delta_p_rev", a.delta_p_rev);
  lexis_setnum(L, "mi2", a.mi2);
  lexis_setnum(L, "ms", a.ms);
  lexis_setnum(L, "poisson_stirling", a.poisson_stirling);
  lexis_setnum(L, "jaccard", a.jaccard);
  lexis_setnum(L, "fisher", a.fisher);
  return 1;
}

/* keyness(a, n1, b, n2 [, smooth]): a word a times in n1 target tokens,
** b times in n2 reference tokens. */
static int stats_keyness(lua_State *L) {
  lx_keyfig k;
  double smooth = (double)luaL_optnumber(L, 5, 1);
  luaL_argcheck(L, smooth > 0, 5, "smoothing must be positive");
  lx_keyness_all(checkcount(L, 1), checkcount(L, 2), checkcount(L, 3), checkcount(L, 4),
                 smooth, &k);
  lua_createtable(L, 0, 12);
  lexis_setnum(L, "g2", k.g2);
  lexis_setnum(L, "p_g2", k.p_g2);
  lexis_setnum(L, "chi2", k.chi2);
  lexis_setnum(L, "p_chi2", k.p_chi2);
  lexis_setnum(L, "log_ratio", k.log_ratio);
  lexis_setnum(L, "pdiff", k.pdiff);
  lexis_setnum(L, "simple", k.simple);
  lexis_setnum(L, "fpm1", k.fpm1);
  lexis_setnum(L, "fpm2", k.fpm2);
  lexis_setnum(L, "g2_williams", k.g2_williams);
  lexis_setnum(L, "bic", k.bic);
  lexis_setnum(L, "fisher", k.fisher);
  return 1;
}

/* dispersion(freqs, sizes [, positions]): two arrays of the same length,
** and the word's positions (ascending, within sum(sizes) tokens: arf and
** aldf). The numbers are copied into a userdata, so nothing leaks if a
** later check raises. */
static int stats_dispersion(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  int has_pos = !lua_isnoneornil(L, 3);
  if (has_pos) luaL_checktype(L, 3, LUA_TTABLE);
  lua_Integer k = luaL_len(L, 1);
  luaL_argcheck(L, luaL_len(L, 2) == k, 2, "as many sizes as frequencies expected");
  lua_Integer np = has_pos ? luaL_len(L, 3) : 0;
  luaL_argcheck(L, k >= 0 && np >= 0 && (uint64_t)k < SIZE_MAX / 64 && (uint64_t)np < SIZE_MAX / 64, 1,
                "too many values");
  /* f, size, then 3k of scratch, then the positions */
  double *v = lua_newuserdatauv(L, ((size_t)k * 5 + (size_t)np + 1) * sizeof *v, 0);
  double ftot = 0, n = 0;
  for (lua_Integer i = 0; i < k; i++) {
    lua_geti(L, 1, i + 1);
    lua_geti(L, 2, i + 1);
    int ok1, ok2;
    v[i] = (double)lua_tonumberx(L, -2, &ok1);
    v[k + i] = (double)lua_tonumberx(L, -1, &ok2);
    luaL_argcheck(L, ok1 && v[i] >= 0, 1, "non-negative numbers expected");
    luaL_argcheck(L, ok2 && v[k + i] >= 0, 2, "non-negative numbers expected");
    ftot += v[i], n += v[k + i];
    lua_pop(L, 2);
  }
  double *pos = v + 5 * k;
  for (lua_Integer i = 0; i < np; i++) {
    int ok;
    lua_geti(L, 3, i + 1);
    pos[i] = (double)lua_tonumberx(L, -1, &ok);
    lua_pop(L, 1);
    luaL_argcheck(L, ok && (i == 0 || pos[i] > pos[i - 1]), 3, "ascending numbers expected");
  }
  if (has_pos) {
    luaL_argcheck(L, (double)np == ftot, 3, "as many positions as the frequencies add up to");
    luaL_argcheck(L, np == 0 || pos[np - 1] - pos[0] < n, 3, "positions must lie within sum(sizes) tokens");
  }
  lx_disp d;
  lx_dispersion(v, v + k, (size_t)k, v + 2 * k, &d);
  lua_createtable(L, 0, 14);
  lexis_setnum(L, "d", d.juilland_d);
  lexis_setnum(L, "dp", d.dp);
  lexis_setnum(L, "dp_norm", d.dp_norm);
  lua_pushinteger(L, (lua_Integer)d.range);
  lua_setfield(L, -2, "range");
  lexis_setnum(L, "u", d.juilland_u);
  lexis_setnum(L, "d2", d.carroll_d2);
  lexis_setnum(L, "s", d.rosengren_s);
  lexis_setnum(L, "af", d.rosengren_af);
  lexis_setnum(L, "kld", d.kld);
  lexis_setnum(L, "dkl", d.dkl);
  lexis_setnum(L, "da", d.da);
  if (has_pos) {
    double arf, aldf;
    lx_arf_aldf(pos, (size_t)np, n, &arf, &aldf);
    lexis_setnum(L, "arf", arf);
    lexis_setnum(L, "aldf", aldf);
  }
  return 1;
}

/* p_chi2(x): the p-value of a chi-square or G2 statistic, one degree of freedom. */
static int stats_p_chi2(lua_State *L) {
  lua_pushnumber(L, lx_p_chi2_1df((double)luaL_checknumber(L, 1)));
  return 1;
}

static const luaL_Reg stats_functions[] = {
  {"assoc", stats_assoc},
  {"keyness", stats_keyness},
  {"dispersion", stats_dispersion},
  {"p_chi2", stats_p_chi2},
  {NULL, NULL}
};

void lexis_open_stats(lua_State *L) {
  luaL_setfuncs(L, stats_functions, 0);
}
