/*
** The word list with dispersion (src/wordlist.h) in lexis.core:
**   wordlist(parts, total, opts)     -> a lexis.WordList counter (opts: the
**     tokenizer's, and positions = true to keep where words stand, for arf, aldf):
**     w:add(text) w:addfile(path [, progress]) w:tokens() w:parts()
**     w:list{lemmas=, stop=, min=, limit=, measures=} ->
**       { {word=, freq=, range=, d=, dp=, dp_norm=, and each measure named in the set measures} }
*/
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "wreader.h"
#include "../wordlist.h"

#define WORDLIST "lexis.WordList"

typedef struct {
  lx_wreader *r;           /* NULL once closed */
  lx_wordlist *w;
  lx_lex groups;           /* lemma names, when a list groups words */
  int listed;              /* list() was called: the counts are grouped */
} wordlist_box;

static wordlist_box *check_wordlist(lua_State *L, int arg) {
  wordlist_box *b = luaL_checkudata(L, arg, WORDLIST);
  if (!b->w) luaL_error(L, "attempt to use a closed " WORDLIST);
  return b;
}

static int wordlist_close(lua_State *L) {
  wordlist_box *b = luaL_checkudata(L, 1, WORDLIST);
  lx_wordlist_free(b->w);
  lx_wreader_free(b->r);
  lx_lex_free(&b->groups);
  b->w = NULL, b->r = NULL;
  return 0;
}

/* wordlist(parts, total, opts): parts 0 = documents; total = words, for parts > 0. */
static int wordlist_new(lua_State *L) {
  lua_Integer parts = luaL_checkinteger(L, 1), total = luaL_checkinteger(L, 2);
  luaL_argcheck(L, parts >= 0 && parts <= 1000000, 1, "parts must be 0 to 1000000");
  luaL_argcheck(L, total >= 0, 2, "must not be negative");
  luaL_checktype(L, 3, LUA_TTABLE);
  lx_tokopts o;
  lexis_check_tokopts(L, 3, &o, LX_KINDS_WORDS);
  wordlist_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  lx_lex_init(&b->groups);
  luaL_setmetatable(L, WORDLIST);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, NULL, err, sizeof err))) return lexis_core_misuse(L, err);
  if (!(b->w = lx_wordlist_new(b->r, (uint32_t)parts, (uint64_t)total)))
    return lexis_nomem(L);
  if (lexis_optbool(L, 3, "positions", 0)) lx_wordlist_track(b->w);
  lx_wsink sink = lx_wordlist_sink(b->w);
  lx_wreader_sink(b->r, &sink);
  return 1;
}

static int wordlist_add(lua_State *L) {
  wordlist_box *b = check_wordlist(L, 1);
  luaL_argcheck(L, !b->listed, 1, "the list is made: no more text");
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  char err[256];
  return lexis_read_result(L, lx_wreader_buffer(b->r, s, len, err, sizeof err), err);
}

static int wordlist_addfile(lua_State *L) {
  wordlist_box *b = check_wordlist(L, 1);
  luaL_argcheck(L, !b->listed, 1, "the list is made: no more text");
  const char *path = lexis_checkpath(L, 2);
  char err[512];
  return lexis_read_result(L, lexis_read_file(L, b->r, NULL, 1, path, 3, err, sizeof err), err);
}

/* The measures beyond d, dp and dp_norm a row carries when asked for. */
static const char *const extra_names[] = { "u", "d2", "s", "af", "kld", "dkl", "da", "arf", "aldf", NULL };

static double extra_value(const lx_wlrow *row, int i) {
  switch (i) {
  case 0: return row->disp.juilland_u;
  case 1: return row->disp.carroll_d2;
  case 2: return row->disp.rosengren_s;
  case 3: return row->disp.rosengren_af;
  case 4: return row->disp.kld;
  case 5: return row->disp.dkl;
  case 6: return row->disp.da;
  case 7: return row->arf;
  default: return row->aldf;
  }
}

/*
** w:list{lemmas=, stop=, min=, limit=, measures=}: groups the words by lemma (a
** table word -> lemma; words without one stand for themselves), leaves out
** stop words (a set; matched as written or in ASCII lower case), and
** returns the rows, with the fields of the set measures (names of
** extra_names) too. Grouping changes the counts: call it once.
*/
static int wordlist_list(lua_State *L) {
  wordlist_box *b = check_wordlist(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_argcheck(L, !b->listed, 1, "list() was called already");
  lua_getfield(L, 2, "lemmas");   /* 3 */
  lua_getfield(L, 2, "stop");     /* 4 */
  lua_getfield(L, 2, "min");
  lua_Integer min = luaL_optinteger(L, -1, 1);
  lua_getfield(L, 2, "limit");
  lua_Integer limit = luaL_optinteger(L, -1, 0);
  lua_pop(L, 2);
  int want[sizeof extra_names / sizeof *extra_names] = { 0 };
  if (lua_getfield(L, 2, "measures") == LUA_TTABLE) {
    for (int i = 0; extra_names[i]; i++) {
      lua_getfield(L, -1, extra_names[i]);
      want[i] = lua_toboolean(L, -1);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  int lemmas = lua_istable(L, 3), stop = lua_istable(L, 4);
  const lx_lex *words = lx_wreader_lex(b->r);
  uint32_t types = lx_wreader_types(b->r);
  uint32_t *group = lua_newuserdatauv(L, ((size_t)types + 1) * sizeof *group, 0);
  const lx_lex *names = words;
  if (lemmas) {
    for (uint32_t id = 0; id < types; id++) {
      size_t len;
      const char *w = lx_lex_str(words, id, &len);
      lua_pushlstring(L, w, len);
      if (lua_rawget(L, 3) == LUA_TSTRING) w = lua_tolstring(L, -1, &len);
      group[id] = lx_lex_intern(&b->groups, w, len);
      lua_pop(L, 1);
      if (group[id] == LX_NOID) return lexis_nomem(L);
    }
    names = &b->groups;
  }
  uint32_t ngroups = lemmas ? b->groups.n : types;
  uint8_t *drop = lua_newuserdatauv(L, (size_t)ngroups + 1, 0);
  memset(drop, 0, (size_t)ngroups + 1);
  if (stop) {
    for (uint32_t g = 0; g < ngroups; g++) {
      size_t len;
      const char *w = lx_lex_str(names, g, &len);
      drop[g] = (uint8_t)lexis_in_stopset(L, 4, w, len);
    }
  }
  b->listed = 1;
  int rc = lx_wordlist_finish(b->w, lemmas ? group : NULL, ngroups);
  if (rc == -2) return luaL_error(L, "interrupted");   /* the host's Ctrl-C hook says it first */
  if (rc) return lexis_nomem(L);
  lexis_holder *h = lexis_holder_new(L, free);
  uint32_t *rank = lx_lex_ranks(names);
  int ranked = rank != NULL;
  size_t n = 0;
  const lx_wlrow *rows = h->p = ranked ? lx_wordlist_rows(b->w, drop, rank, (uint64_t)(min < 1 ? 1 : min),
                                                          (size_t)(limit < 0 ? 0 : limit), &n) : NULL;
  free(rank);
  if (!ranked || n == LX_OOM) return lexis_nomem(L);
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    lua_createtable(L, 0, 6);
    size_t len;
    const char *w = lx_lex_str(names, rows[k].group, &len);
    lua_pushlstring(L, w, len);
    lua_setfield(L, -2, "word");
    lua_pushinteger(L, (lua_Integer)rows[k].freq);
    lua_setfield(L, -2, "freq");
    lua_pushinteger(L, (lua_Integer)rows[k].disp.range);
    lua_setfield(L, -2, "range");
    lexis_setnum(L, "d", rows[k].disp.juilland_d);
    lexis_setnum(L, "dp", rows[k].disp.dp);
    lexis_setnum(L, "dp_norm", rows[k].disp.dp_norm);
    for (int i = 0; extra_names[i]; i++)
      if (want[i]) lexis_setnum(L, extra_names[i], extra_value(&rows[k], i));
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lexis_holder_release(h);
  return 1;
}

static int wordlist_tokens(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_wreader_tokens(check_wordlist(L, 1)->r));
  return 1;
}

static int wordlist_parts(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_wordlist_parts(check_wordlist(L, 1)->w));
  return 1;
}

static int wordlist_tostring(lua_State *L) {
  wordlist_box *b = luaL_checkudata(L, 1, WORDLIST);
  if (!b->w) lua_pushliteral(L, WORDLIST " (closed)");
  else lua_pushfstring(L, WORDLIST " (%I words in %I parts)", (lua_Integer)lx_wreader_tokens(b->r),
                       (lua_Integer)lx_wordlist_parts(b->w));
  return 1;
}

static const luaL_Reg wordlist_meta[] = {
  {"__gc", wordlist_close},
  {"__close", wordlist_close},
  {"__tostring", wordlist_tostring},
  {"__index", NULL},
  {NULL, NULL}
};

static const luaL_Reg wordlist_methods[] = {
  {"add", wordlist_add},
  {"addfile", wordlist_addfile},
  {"list", wordlist_list},
  {"tokens", wordlist_tokens},
  {"parts", wordlist_parts},
  {"close", wordlist_close},
  {NULL, NULL}
};

void lexis_open_wordlist(lua_State *L) {
  lexis_createmeta(L, WORDLIST, wordlist_meta, wordlist_methods);
  lua_pushcfunction(L, wordlist_new);
  lua_setfield(L, -2, "wordlist");
}
