/*
** The statistics cores (src/stats.c, src/ngrams.c) in lexis.core:
**   assoc(o11, r1, fx, fy, n)        -> { observed=, expected=, mi=, ... }
**   keyness(a, n1, b, n2 [, smooth]) -> { g2=, p_g2=, chi2=, ... }
**   dispersion(freqs, sizes)         -> { d=, dp=, dp_norm=, range= }
**   p_chi2(x)                        -> p-value, chi-square with 1 d.f.
**   ngrams(n, opts)                  -> a lexis.NGrams counter:
**     g:add(text) g:addfile(path [, threads [, progress]])  read more (nil, "path: reason", errno)
**     g:top([limit [, min]])        -> { {ngram=, count=, range=}, ... }
**     g:write(file [, opts])        formats text tsv csv json partial, in C
**     g:total() g:tokens() g:docs() #g   g:close() (also __gc, __close)
**   collocates(nodes, left, right, opts) -> a lexis.Collocates counter:
**     c:add(text) c:addfile(path [, progress])   as for n-grams
**     c:list(by, min, min_freq, limit) -> { {word=, left=, right=, freq=,
**                                    observed=, expected=, mi=, ...}, ... }
**     c:hits() c:window() c:tokens() c:close()
**   keywords(target, ref, opts)      -> rows: keyness of two lexis.Counts
**   read_partial(path, counts [, range]) -> {kind=, tokens=, docs=} | nil, msg
**   write_partial(counts, file, kind, docs [, range]) -> true | nil, msg
**   set_total(counts, n)             the total of a lexis.Counts (merges)
**   write_list(counts, range, file, opts)  merged n-grams as lexis ngrams prints them
**   wordlist(parts, total, opts)     -> a lexis.WordList counter:
**     w:add(text) w:addfile(path [, progress]) w:tokens() w:parts()
**     w:list{lemmas=, stop=, min=, limit=} -> { {word=, freq=, range=, d=, dp=, dp_norm=} }
**   wordstream(opts)                 -> a lexis.WordStream (every word id in memory):
**     ws:add(text) ws:addfile(path [, progress]) #ws
**     ws:collocates(nodes, left, right [, by, min, min_freq, limit]) -> rows, hits, window
** progress: a function called with the bytes of the file done, a few
** times a second (src/bind/progress_bind.h).
** lua/lexis/stats.lua composes them into the public API.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "../alloc.h"
#include "../collocates.h"
#include "../corpus.h"
#include "../input.h"
#include "../keywords.h"
#include "../ngrams.h"
#include "../partial.h"
#include "../wordlist.h"
#include "counts.h"
#include "progress_bind.h"
#include "../stats.h"

#define NGRAMS "lexis.NGrams"
#define COLLOCATES "lexis.Collocates"
#define WORDLIST "lexis.WordList"

/*
** A box for C memory made while Lua may still raise: pushed (closed)
** before the memory exists, it frees what it holds when collected, so an
** error between malloc and free leaks nothing.
*/
#define HOLDER "lexis.StatsHolder"

typedef struct {
  void *p;
  void (*release)(void *);
} holder;

static int holder_gc(lua_State *L) {
  holder *h = luaL_checkudata(L, 1, HOLDER);
  if (h->p) h->release(h->p);
  h->p = NULL;
  return 0;
}

static holder *new_holder(lua_State *L, void (*release)(void *)) {
  holder *h = lua_newuserdatauv(L, sizeof *h, 0);
  h->p = NULL;
  h->release = release;
  luaL_setmetatable(L, HOLDER);
  return h;
}

/* Frees now what h holds (it stays on the stack, empty). */
static void holder_release(holder *h) {
  if (h->p) h->release(h->p);
  h->p = NULL;
}

/* opts.case at idx (a table, or absent): match a node or `contains` exactly. */
static int opt_case(lua_State *L, int idx) {
  if (!lua_istable(L, idx)) return 0;
  int t = lua_getfield(L, idx, "case");
  int on = t != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  return on;
}

/* Sets t[name] = x for the table on top of the stack. */
static void setnum(lua_State *L, const char *name, double x) {
  lua_pushnumber(L, x);
  lua_setfield(L, -2, name);
}

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
  lua_createtable(L, 0, 12);
  setnum(L, "observed", a.observed);
  setnum(L, "expected", a.expected);
  setnum(L, "mi", a.mi);
  setnum(L, "mi3", a.mi3);
  setnum(L, "t", a.t);
  setnum(L, "z", a.z);
  setnum(L, "g2", a.g2);
  setnum(L, "p", a.p);
  setnum(L, "dice", a.dice);
  setnum(L, "logdice", a.logdice);
  setnum(L, "log_ratio", a.log_ratio);
  setnum(L, "chi2", a.chi2);
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
  lua_createtable(L, 0, 9);
  setnum(L, "g2", k.g2);
  setnum(L, "p_g2", k.p_g2);
  setnum(L, "chi2", k.chi2);
  setnum(L, "p_chi2", k.p_chi2);
  setnum(L, "log_ratio", k.log_ratio);
  setnum(L, "pdiff", k.pdiff);
  setnum(L, "simple", k.simple);
  setnum(L, "fpm1", k.fpm1);
  setnum(L, "fpm2", k.fpm2);
  return 1;
}

/* dispersion(freqs, sizes): two arrays of the same length. The numbers are
** copied into a userdata, so nothing leaks if a later check raises. */
static int stats_dispersion(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_Integer k = luaL_len(L, 1);
  luaL_argcheck(L, luaL_len(L, 2) == k, 2, "as many sizes as frequencies expected");
  double *v = lua_newuserdatauv(L, (size_t)(k > 0 ? k : 1) * 2 * sizeof *v, 0);
  for (lua_Integer i = 0; i < k; i++) {
    lua_geti(L, 1, i + 1);
    lua_geti(L, 2, i + 1);
    int ok1, ok2;
    v[i] = (double)lua_tonumberx(L, -2, &ok1);
    v[k + i] = (double)lua_tonumberx(L, -1, &ok2);
    luaL_argcheck(L, ok1 && v[i] >= 0, 1, "non-negative numbers expected");
    luaL_argcheck(L, ok2 && v[k + i] >= 0, 2, "non-negative numbers expected");
    lua_pop(L, 2);
  }
  lx_disp d;
  lx_dispersion(v, v + k, (size_t)k, &d);
  lua_createtable(L, 0, 4);
  setnum(L, "d", d.juilland_d);
  setnum(L, "dp", d.dp);
  setnum(L, "dp_norm", d.dp_norm);
  lua_pushinteger(L, (lua_Integer)d.range);
  lua_setfield(L, -2, "range");
  return 1;
}

/* p_chi2(x): the p-value of a chi-square or G2 statistic, one degree of freedom. */
static int stats_p_chi2(lua_State *L) {
  lua_pushnumber(L, lx_p_chi2_1df((double)luaL_checknumber(L, 1)));
  return 1;
}

/* ==================================================================
** Word readers: options shared by n-grams and collocates
** ================================================================== */

/* Reads the tokenizer options of the table at t: kinds (a string such as
** "word,number"), lower, fold, normalize, hyphens, apostrophes. */
static void check_tokopts(lua_State *L, int t, lx_tokopts *o) {
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
static const lx_splitter *opt_splitter(lua_State *L, int t) {
  const lx_splitter *sp = NULL;
  if (lua_getfield(L, t, "splitter") != LUA_TNIL)
    sp = lexis_check_splitter(L, lua_gettop(L));
  lua_pop(L, 1);
  return sp;
}

/* ==================================================================
** lexis.NGrams
** ================================================================== */

typedef struct {
  lx_wreader *r;           /* NULL once closed */
  lx_ngrams *g;
} ngrams_box;

static ngrams_box *check_ngrams(lua_State *L, int arg) {
  ngrams_box *b = luaL_checkudata(L, arg, NGRAMS);
  if (!b->g) luaL_error(L, "attempt to use a closed " NGRAMS);
  return b;
}

static int ngrams_close(lua_State *L) {
  ngrams_box *b = luaL_checkudata(L, 1, NGRAMS);
  lx_ngrams_free(b->g);
  lx_wreader_free(b->r);
  b->g = NULL, b->r = NULL;
  return 0;
}

/*
** ngrams(n, opts): opts = tokenizer options, splitter (sentences; none:
** whole texts), contains (a word), at (its 1-based place), _keys (the
** sort buffer's size, for tests). The splitter is the user value, so it
** lives as long as the counter.
*/
static void release_query(void *q) {
  lx_query_free(q);
}

static int ngrams_new(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  luaL_argcheck(L, n >= 2 && n <= LX_NGRAM_MAX, 1, "n must be 2 to 8");
  luaL_checktype(L, 2, LUA_TTABLE);
  lx_tokopts o;
  check_tokopts(L, 2, &o);
  const lx_splitter *sp = opt_splitter(L, 2);
  lua_getfield(L, 2, "at");
  lua_Integer at = luaL_optinteger(L, -1, 0);
  luaL_argcheck(L, at >= 0 && at <= n, 2, "'at' must be 1 to n");
  lua_pop(L, 1);
  ngrams_box *b = lua_newuserdatauv(L, sizeof *b, 1);
  b->r = NULL, b->g = NULL;
  luaL_setmetatable(L, NGRAMS);
  lua_getfield(L, 2, "splitter");
  lua_setiuservalue(L, -2, 1);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, sp, err, sizeof err))) return luaL_error(L, "%s", err);
  /* contains: a query of one position (query.h). A plain word that the
  ** reader's own case rule decides is counted alone (only n-grams holding
  ** it); a pattern, or a word matched case-folded over words that keep
  ** case, filters the list instead. */
  uint32_t contains = LX_NOID;
  holder *hq = NULL;
  if (lua_getfield(L, 2, "contains") != LUA_TNIL) {
    size_t len;
    const char *w = luaL_checklstring(L, -1, &len);
    int keep_case = opt_case(L, 2);
    char qerr[256];
    hq = new_holder(L, release_query);
    lx_query *q = hq->p = lx_query_parse(w, len, keep_case ? LX_Q_CASE : 0, qerr, sizeof qerr);
    if (!q) return luaL_error(L, "'contains': %s", qerr);
    if (q->n != 1) return luaL_error(L, "'contains' must be one word or pattern, got '%s'", w);
    if (q->pos[0].kind == LX_PAT_LITERAL && (keep_case || o.casing != LX_CASE_KEEP)) {
      contains = lx_wreader_word(b->r, w, len);
      if (contains == LX_NOID) return luaL_error(L, "'contains' must be one word, got '%s'", w);
      holder_release(hq);
    }
    lua_remove(L, -2);              /* the string; the holder stays until the counter has q */
  } else {
    lua_pop(L, 1);
  }
  if (!(b->g = lx_ngrams_new(b->r, (int)n, contains, (int)at - 1))) return luaL_error(L, "not enough memory");
  if (hq) {
    lx_query *q = hq->p;
    hq->p = NULL;                   /* the counter owns it now */
    lua_pop(L, 1);
    if (q && lx_ngrams_filter(b->g, q, (int)at - 1)) return luaL_error(L, "not enough memory");
  }
  if (lua_getfield(L, 2, "_keys") != LUA_TNIL) {
    lua_Integer keys = luaL_checkinteger(L, -1);
    luaL_argcheck(L, keys >= 1, 2, "'_keys' must be positive");
    lx_ngrams_buffer(b->g, (size_t)keys);
  }
  lua_pop(L, 1);
  lx_wsink sink = lx_ngrams_sink(b->g);
  lx_wreader_sink(b->r, &sink);
  return 1;
}

static int read_result(lua_State *L, int rc, const char *err) {
  if (rc == LX_INPUT_SKIPPED) {     /* binary: said on stderr, nothing read */
    lexis_input_skipped(L, err);
    rc = 0;
  }
  if (rc == 0) {
    lua_settop(L, 1);
    return 1;
  }
  if (rc == ENOMEM) return luaL_error(L, "not enough memory");
  lua_pushnil(L);
  lua_pushstring(L, err);
  lua_pushinteger(L, rc);
  return 3;
}

/*
** Reads a file into r (through g's threads when g is given), reporting to
** the progress function at arg, whose error, if any, is raised after.
*/
static int read_file(lua_State *L, lx_wreader *r, lx_ngrams *g, int threads, const char *path,
                     int arg, char *err, size_t errlen) {
  lexis_progress hook;
  lx_wreader_progress(r, lexis_opt_progress(L, arg, &hook));
  int rc = g ? lx_ngrams_file(g, path, threads, err, errlen) : lx_wreader_file(r, path, err, errlen);
  lx_wreader_progress(r, NULL);
  lexis_progress_done(L, &hook);
  return rc;
}

/* g:add(text) -> g: one more text (a document for range). */
static int ngrams_add(lua_State *L) {
  ngrams_box *b = check_ngrams(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  char err[256];
  int rc = lx_wreader_buffer(b->r, s, len, err, sizeof err);
  return read_result(L, rc, err);
}

/* g:addfile(path [, threads [, progress]]) -> g, or nil, "path: reason", errno.
** threads: 0 (default) one per CPU for a large file, 1 none. */
static int ngrams_addfile(lua_State *L) {
  ngrams_box *b = check_ngrams(L, 1);
  const char *path = lexis_checkpath(L, 2);
  lua_Integer threads = luaL_optinteger(L, 3, 0);
  luaL_argcheck(L, threads >= 0, 3, "must not be negative");
  char err[512];
  int rc = read_file(L, b->r, b->g, (int)threads, path, 4, err, sizeof err);
  return read_result(L, rc, err);
}

/* Pushes an n-gram's words joined by spaces. */
static void push_ngram(lua_State *L, const lx_wreader *r, const uint32_t *k, int n) {
  luaL_Buffer B;
  luaL_buffinit(L, &B);
  for (int i = 0; i < n; i++) {
    size_t len;
    const char *w = lx_lex_str(lx_wreader_lex(r), k[i], &len);
    if (i) luaL_addchar(&B, ' ');
    luaL_addlstring(&B, w, len);
  }
  luaL_pushresult(&B);
}

/* g:top([limit [, min]]) -> { {ngram=, count=, range=}, ... } */
static int ngrams_top(lua_State *L) {
  ngrams_box *b = check_ngrams(L, 1);
  lua_Integer limit = luaL_optinteger(L, 2, 0), min = luaL_optinteger(L, 3, 1);
  luaL_argcheck(L, limit >= 0, 2, "must not be negative");
  size_t n;
  holder *h = new_holder(L, free);
  size_t *idx = h->p = lx_ngrams_sorted(b->g, (uint64_t)(min < 1 ? 1 : min), (size_t)limit, &n);
  if (n == LX_OOM) return luaL_error(L, "not enough memory");
  lua_createtable(L, (int)n, 0);
  int ng = lx_ngrams_n(b->g);
  for (size_t k = 0; k < n; k++) {
    lua_createtable(L, 0, 3);
    uint32_t key[LX_NGRAM_MAX];
    lx_ngrams_key(b->g, idx[k], key);
    push_ngram(L, b->r, key, ng);
    lua_setfield(L, -2, "ngram");
    lua_pushinteger(L, (lua_Integer)lx_ngrams_count(b->g, idx[k]));
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, (lua_Integer)lx_ngrams_range(b->g, idx[k]));
    lua_setfield(L, -2, "range");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  holder_release(h);
  return 1;
}

/* g:write(file [, {format=, min=, limit=, header=}]) -> true | nil, msg, errno */
static int ngrams_write(lua_State *L) {
  static const char *const formats[] = { "text", "tsv", "csv", "json", "partial", NULL };
  ngrams_box *b = check_ngrams(L, 1);
  FILE *f = lexis_checkstream(L, 2);
  int format = LX_NG_TEXT, header = 1;
  lua_Integer min = 1, limit = 0;
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_getfield(L, 3, "format");
    format = luaL_checkoption(L, -1, "text", formats);
    if (format == 4) format = LX_NG_PARTIAL;
    lua_getfield(L, 3, "min");
    min = luaL_optinteger(L, -1, 1);
    lua_getfield(L, 3, "limit");
    limit = luaL_optinteger(L, -1, 0);
    if (lua_getfield(L, 3, "header") != LUA_TNIL) header = lua_toboolean(L, -1);
    lua_pop(L, 4);
  }
  luaL_argcheck(L, limit >= 0, 3, "limit must not be negative");
  int rc = lx_ngrams_write(b->g, f, format, (uint64_t)(min < 1 ? 1 : min), (size_t)limit, header);
  if (rc) {
    errno = rc;
    return luaL_fileresult(L, 0, NULL);
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int ngrams_total(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_ngrams_total(check_ngrams(L, 1)->g));
  return 1;
}

static int ngrams_tokens(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_wreader_tokens(check_ngrams(L, 1)->r));
  return 1;
}

static int ngrams_docs(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_wreader_docs(check_ngrams(L, 1)->r));
  return 1;
}

static int ngrams_invalid(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_wreader_invalid(check_ngrams(L, 1)->r));
  return 1;
}

static int ngrams_len(lua_State *L) {
  ngrams_box *b = check_ngrams(L, 1);
  if (lx_ngrams_settle(b->g)) return luaL_error(L, "not enough memory");
  lua_pushinteger(L, (lua_Integer)lx_ngrams_types(b->g));
  return 1;
}

static int ngrams_tostring(lua_State *L) {
  ngrams_box *b = luaL_checkudata(L, 1, NGRAMS);
  if (!b->g) lua_pushliteral(L, NGRAMS " (closed)");
  else if (lx_ngrams_settle(b->g)) return luaL_error(L, "not enough memory");
  else lua_pushfstring(L, NGRAMS " (%d-grams: %I distinct, %I counted)", lx_ngrams_n(b->g),
                       (lua_Integer)lx_ngrams_types(b->g), (lua_Integer)lx_ngrams_total(b->g));
  return 1;
}

static const luaL_Reg ngrams_meta[] = {
  {"__gc", ngrams_close},
  {"__close", ngrams_close},
  {"__len", ngrams_len},
  {"__tostring", ngrams_tostring},
  {"__index", NULL},
  {NULL, NULL}
};

static const luaL_Reg ngrams_methods[] = {
  {"add", ngrams_add},
  {"addfile", ngrams_addfile},
  {"top", ngrams_top},
  {"write", ngrams_write},
  {"total", ngrams_total},
  {"tokens", ngrams_tokens},
  {"docs", ngrams_docs},
  {"invalid", ngrams_invalid},
  {"close", ngrams_close},
  {NULL, NULL}
};

/* ==================================================================
** lexis.Collocates
** ================================================================== */

typedef struct {
  lx_wreader *r;           /* NULL once closed */
  lx_colloc *c;
} colloc_box;

static colloc_box *check_colloc(lua_State *L, int arg) {
  colloc_box *b = luaL_checkudata(L, arg, COLLOCATES);
  if (!b->c) luaL_error(L, "attempt to use a closed " COLLOCATES);
  return b;
}

static int colloc_close(lua_State *L) {
  colloc_box *b = luaL_checkudata(L, 1, COLLOCATES);
  lx_colloc_free(b->c);
  lx_wreader_free(b->r);
  b->c = NULL, b->r = NULL;
  return 0;
}

/*
** The node at arg, parsed by the one query parser (query.h): a word, a glob
** (* any run, ? one character), a /regex/, or a phrase of 2 to 8 of these
** alone; or a list of up to 16 one-word nodes counted as one. Plain nodes
** match case-folded, as kwic does; `keep_case` matches them exactly. The
** queries sit in a holder pushed on the stack, so an error frees them.
*/
typedef struct nodes {
  lx_query *q[LX_NODE_ALTS];
  size_t n;
} nodes;

static void release_nodes(void *p) {
  nodes *nd = p;
  for (size_t i = 0; i < nd->n; i++) lx_query_free(nd->q[i]);
  free(nd);
}

static nodes *check_nodes(lua_State *L, int arg, int keep_case) {
  int istable = lua_istable(L, arg);
  luaL_argexpected(L, istable || lua_type(L, arg) == LUA_TSTRING, arg, "word or list of words");
  lua_Integer nn = istable ? luaL_len(L, arg) : 1;
  luaL_argcheck(L, nn >= 1 && nn <= LX_NODE_ALTS, arg, "1 to 16 node words expected");
  holder *h = new_holder(L, release_nodes);
  nodes *nd = h->p = lx_calloc(1, sizeof *nd);
  if (!nd) luaL_error(L, "not enough memory");
  for (lua_Integer i = 0; i < nn; i++) {
    if (istable) lua_geti(L, arg, i + 1);
    else lua_pushvalue(L, arg);
    size_t len;
    const char *w = luaL_checklstring(L, -1, &len);
    char err[256];
    lx_query *q = lx_query_parse(w, len, keep_case ? LX_Q_CASE : 0, err, sizeof err);
    if (!q) luaL_error(L, "node '%s': %s", w, err);
    nd->q[nd->n++] = q;
    if (q->n > LX_PHRASE_MAX)
      luaL_error(L, "the node must be a word or a phrase of up to %d words, got '%s'", LX_PHRASE_MAX, w);
    if (q->n > 1 && nn > 1) luaL_error(L, "a phrase must be the only node, got '%s' among others", w);
    lua_pop(L, 1);
  }
  return nd;
}

/* A counter for the nodes, which it takes from nd: NULL if out of memory. */
static lx_colloc *new_colloc(lx_wreader *r, nodes *nd, int left, int right) {
  lx_colloc *c = lx_colloc_new(r, left, right);
  if (!c) return NULL;
  size_t n = nd->n;
  nd->n = 0;                        /* the counter owns them now */
  if (lx_colloc_node(c, nd->q, n)) {
    lx_colloc_free(c);
    return NULL;
  }
  return c;
}


/* collocates(nodes, left, right, opts): nodes is a word or pattern, or a
** list of up to 16; opts holds the tokenizer options and the splitter. */
static int colloc_new(lua_State *L) {
  lua_Integer left = luaL_checkinteger(L, 2), right = luaL_checkinteger(L, 3);
  luaL_argcheck(L, left >= 0 && left <= LX_SPAN_MAX, 2, "span must be 0 to 100");
  luaL_argcheck(L, right >= 0 && right <= LX_SPAN_MAX, 3, "span must be 0 to 100");
  luaL_checktype(L, 4, LUA_TTABLE);
  lx_tokopts o;
  check_tokopts(L, 4, &o);
  const lx_splitter *sp = opt_splitter(L, 4);
  colloc_box *b = lua_newuserdatauv(L, sizeof *b, 1);
  b->r = NULL, b->c = NULL;
  luaL_setmetatable(L, COLLOCATES);
  lua_getfield(L, 4, "splitter");
  lua_setiuservalue(L, -2, 1);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, sp, err, sizeof err))) return luaL_error(L, "%s", err);
  nodes *nd = check_nodes(L, 1, opt_case(L, 4));
  if (!(b->c = new_colloc(b->r, nd, (int)left, (int)right))) return luaL_error(L, "not enough memory");
  lua_pop(L, 1);                    /* the nodes' holder, empty now */
  lx_wsink sink = lx_colloc_sink(b->c);
  lx_wreader_sink(b->r, &sink);
  return 1;
}

static int colloc_add(lua_State *L) {
  colloc_box *b = check_colloc(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  char err[256];
  return read_result(L, lx_wreader_buffer(b->r, s, len, err, sizeof err), err);
}

static int colloc_addfile(lua_State *L) {
  colloc_box *b = check_colloc(L, 1);
  const char *path = lexis_checkpath(L, 2);
  char err[512];
  return read_result(L, read_file(L, b->r, NULL, 1, path, 3, err, sizeof err), err);
}

/* Sets the fields of one collocate on the table on top of the stack. */
static void push_measures(lua_State *L, const lx_assoc *m) {
  setnum(L, "expected", m->expected);
  setnum(L, "mi", m->mi);
  setnum(L, "mi3", m->mi3);
  setnum(L, "t", m->t);
  setnum(L, "z", m->z);
  setnum(L, "g2", m->g2);
  setnum(L, "p", m->p);
  setnum(L, "dice", m->dice);
  setnum(L, "logdice", m->logdice);
  setnum(L, "log_ratio", m->log_ratio);
  setnum(L, "chi2", m->chi2);
}

/* Pushes the rows of a collocate list (copied into a userdata first, so
** the malloced list is freed before anything can raise). */
static void push_collocates(lua_State *L, const lx_wreader *r, holder *h, size_t n) {
  if (n == LX_OOM) luaL_error(L, "not enough memory");
  const lx_collocate *rows = h->p;
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    lua_createtable(L, 0, 16);
    size_t len;
    const char *w = lx_lex_str(lx_wreader_lex(r), rows[k].id, &len);
    lua_pushlstring(L, w, len);
    lua_setfield(L, -2, "word");
    lua_pushinteger(L, (lua_Integer)rows[k].left);
    lua_setfield(L, -2, "left");
    lua_pushinteger(L, (lua_Integer)rows[k].right);
    lua_setfield(L, -2, "right");
    lua_pushinteger(L, (lua_Integer)(rows[k].left + rows[k].right));
    lua_setfield(L, -2, "observed");
    lua_pushinteger(L, (lua_Integer)rows[k].freq);
    lua_setfield(L, -2, "freq");
    push_measures(L, &rows[k].m);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  holder_release(h);
}

/* c:list([by [, min [, min_freq [, limit]]]]) -> rows, best first */
static int colloc_list(lua_State *L) {
  colloc_box *b = check_colloc(L, 1);
  int by = luaL_checkoption(L, 2, "logdice", lx_by_names);
  lua_Integer min = luaL_optinteger(L, 3, 1), minf = luaL_optinteger(L, 4, 1),
              limit = luaL_optinteger(L, 5, 0);
  luaL_argcheck(L, limit >= 0, 5, "must not be negative");
  size_t n;
  holder *h = new_holder(L, free);
  h->p = lx_colloc_list(b->c, by, (uint64_t)(min < 1 ? 1 : min), (uint64_t)(minf < 0 ? 0 : minf),
                        (size_t)limit, &n);
  push_collocates(L, b->r, h, n);
  return 1;
}

static int colloc_hits(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_colloc_hits(check_colloc(L, 1)->c));
  return 1;
}

static int colloc_window(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_colloc_window(check_colloc(L, 1)->c));
  return 1;
}

static int colloc_tokens(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_wreader_tokens(check_colloc(L, 1)->r));
  return 1;
}

static int colloc_tostring(lua_State *L) {
  colloc_box *b = luaL_checkudata(L, 1, COLLOCATES);
  if (!b->c) lua_pushliteral(L, COLLOCATES " (closed)");
  else lua_pushfstring(L, COLLOCATES " (%I node hits in %I words)",
                       (lua_Integer)lx_colloc_hits(b->c), (lua_Integer)lx_wreader_tokens(b->r));
  return 1;
}

static const luaL_Reg colloc_meta[] = {
  {"__gc", colloc_close},
  {"__close", colloc_close},
  {"__tostring", colloc_tostring},
  {"__index", NULL},
  {NULL, NULL}
};

static const luaL_Reg colloc_methods[] = {
  {"add", colloc_add},
  {"addfile", colloc_addfile},
  {"list", colloc_list},
  {"hits", colloc_hits},
  {"window", colloc_window},
  {"tokens", colloc_tokens},
  {"close", colloc_close},
  {NULL, NULL}
};

/* ==================================================================
** Keywords and partial counts over lexis.Counts tables
** ================================================================== */

static double optnum(lua_State *L, int t, const char *field, double dflt) {
  lua_getfield(L, t, field);
  double v = (double)luaL_optnumber(L, -1, dflt);
  lua_pop(L, 1);
  return v;
}

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
  o.smooth = optnum(L, 3, "smooth", 1);
  luaL_argcheck(L, o.smooth > 0, 3, "smooth must be positive");
  double min = optnum(L, 3, "min", 1), limit = optnum(L, 3, "limit", 0);
  o.min = min > 0 ? (uint64_t)min : 0;
  o.limit = limit > 0 ? (size_t)limit : 0;
  o.max_p = optnum(L, 3, "max_p", 1);
  lua_getfield(L, 3, "positive");
  o.positive = lua_isnil(L, -1) || lua_toboolean(L, -1);
  lua_getfield(L, 3, "negative");
  o.negative = lua_isnil(L, -1) || lua_toboolean(L, -1);
  lua_pop(L, 2);
  double n1 = optnum(L, 3, "n1", (double)lx_counts_total(t));
  double n2 = optnum(L, 3, "n2", (double)lx_counts_total(r));
  size_t n;
  int oom;
  holder *h = new_holder(L, free);
  const lx_keyword *rows = h->p = lx_keywords(t, r, n1, n2, &o, &n, &oom);
  if (oom) return luaL_error(L, "not enough memory");
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    const lx_keyword *w = &rows[k];
    lua_createtable(L, 0, 14);
    lua_pushlstring(L, w->word, w->len);
    lua_setfield(L, -2, "word");
    lua_pushstring(L, w->dir > 0 ? "+" : "-");
    lua_setfield(L, -2, "key");
    lua_pushinteger(L, (lua_Integer)w->a);
    lua_setfield(L, -2, "freq");
    lua_pushinteger(L, (lua_Integer)w->b);
    lua_setfield(L, -2, "freq_ref");
    setnum(L, "fpm", w->k.fpm1);
    setnum(L, "fpm_ref", w->k.fpm2);
    setnum(L, "g2", w->k.g2);
    setnum(L, "p_g2", w->k.p_g2);
    setnum(L, "chi2", w->k.chi2);
    setnum(L, "p_chi2", w->k.p_chi2);
    setnum(L, "log_ratio", w->k.log_ratio);
    setnum(L, "pdiff", w->k.pdiff);
    setnum(L, "simple", w->k.simple);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  holder_release(h);
  return 1;
}

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
  static const char *const formats[] = { "text", "tsv", "csv", "json", NULL };
  lx_counts *c = lexis_checkcounts(L, 1);
  lx_counts *range = lua_isnil(L, 2) ? NULL : lexis_checkcounts(L, 2);
  FILE *f = lexis_checkstream(L, 3);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_getfield(L, 4, "column");
  const char *column = luaL_optstring(L, -1, "item");
  lua_getfield(L, 4, "format");
  int format = luaL_checkoption(L, -1, "text", formats);
  double min = optnum(L, 4, "min", 1), limit = optnum(L, 4, "limit", 0);
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

/* ==================================================================
** lexis.WordList
** ================================================================== */

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
  check_tokopts(L, 3, &o);
  wordlist_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  lx_lex_init(&b->groups);
  luaL_setmetatable(L, WORDLIST);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, NULL, err, sizeof err))) return luaL_error(L, "%s", err);
  if (!(b->w = lx_wordlist_new(b->r, (uint32_t)parts, (uint64_t)total)))
    return luaL_error(L, "not enough memory");
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
  return read_result(L, lx_wreader_buffer(b->r, s, len, err, sizeof err), err);
}

static int wordlist_addfile(lua_State *L) {
  wordlist_box *b = check_wordlist(L, 1);
  luaL_argcheck(L, !b->listed, 1, "the list is made: no more text");
  const char *path = lexis_checkpath(L, 2);
  char err[512];
  return read_result(L, read_file(L, b->r, NULL, 1, path, 3, err, sizeof err), err);
}

/* Is the name (or its ASCII lower case) a key of the set at idx? */
static int in_set(lua_State *L, int idx, const char *s, size_t len) {
  lua_pushlstring(L, s, len);
  int hit = lua_rawget(L, idx) != LUA_TNIL;
  lua_pop(L, 1);
  if (hit) return 1;
  luaL_Buffer B;
  char *d = luaL_buffinitsize(L, &B, len);
  int changed = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    d[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    changed |= d[i] != s[i];
  }
  luaL_pushresultsize(&B, len);
  hit = changed && lua_rawget(L, idx) != LUA_TNIL;
  lua_pop(L, 1);
  return hit;
}

/*
** w:list{lemmas=, stop=, min=, limit=}: groups the words by lemma (a
** table word -> lemma; words without one stand for themselves), leaves out
** stop words (a set; matched as written or in ASCII lower case), and
** returns the rows. Grouping changes the counts: call it once.
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
      if (group[id] == LX_NOID) return luaL_error(L, "not enough memory");
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
      drop[g] = (uint8_t)in_set(L, 4, w, len);
    }
  }
  b->listed = 1;
  if (lx_wordlist_finish(b->w, lemmas ? group : NULL, ngroups)) return luaL_error(L, "not enough memory");
  holder *h = new_holder(L, free);
  uint32_t *rank = lx_lex_ranks(names);
  int ranked = rank != NULL;
  size_t n = 0;
  const lx_wlrow *rows = h->p = ranked ? lx_wordlist_rows(b->w, drop, rank, (uint64_t)(min < 1 ? 1 : min),
                                                          (size_t)(limit < 0 ? 0 : limit), &n) : NULL;
  free(rank);
  if (!ranked || n == LX_OOM) return luaL_error(L, "not enough memory");
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
    setnum(L, "d", rows[k].disp.juilland_d);
    setnum(L, "dp", rows[k].disp.dp);
    setnum(L, "dp_norm", rows[k].disp.dp_norm);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  holder_release(h);
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

/* ==================================================================
** lexis.WordStream: the ids of a text kept in memory
** ================================================================== */

#define WORDSTREAM "lexis.WordStream"

typedef struct {
  lx_wreader *r;           /* NULL once closed */
  lx_idstore s;
} stream_box;

static stream_box *check_stream(lua_State *L, int arg) {
  stream_box *b = luaL_checkudata(L, arg, WORDSTREAM);
  if (!b->r) luaL_error(L, "attempt to use a closed " WORDSTREAM);
  return b;
}

static int stream_close(lua_State *L) {
  stream_box *b = luaL_checkudata(L, 1, WORDSTREAM);
  lx_wreader_free(b->r);
  lx_idstore_free(&b->s);
  b->r = NULL;
  return 0;
}

/* wordstream(opts): tokenizer options and splitter (windows then stop at sentence ends). */
static int stream_new(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lx_tokopts o;
  check_tokopts(L, 1, &o);
  const lx_splitter *sp = opt_splitter(L, 1);
  stream_box *b = lua_newuserdatauv(L, sizeof *b, 1);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, WORDSTREAM);
  lua_getfield(L, 1, "splitter");
  lua_setiuservalue(L, -2, 1);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, sp, err, sizeof err))) return luaL_error(L, "%s", err);
  lx_wsink sink = lx_idstore_sink(&b->s);
  lx_wreader_sink(b->r, &sink);
  return 1;
}

static int stream_result(lua_State *L, stream_box *b, int rc, const char *err) {
  if (rc == 0 && b->s.oom) rc = ENOMEM;
  return read_result(L, rc, err);
}

static int stream_add(lua_State *L) {
  stream_box *b = check_stream(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  char err[256];
  return stream_result(L, b, lx_wreader_buffer(b->r, s, len, err, sizeof err), err);
}

static int stream_addfile(lua_State *L) {
  stream_box *b = check_stream(L, 1);
  const char *path = lexis_checkpath(L, 2);
  char err[512];
  return stream_result(L, b, read_file(L, b->r, NULL, 1, path, 3, err, sizeof err), err);
}

static void release_colloc(void *p) {
  lx_colloc_free(p);
}

/*
** ws:collocates(nodes, left, right [, by [, min [, min_freq [, limit
** [, keep_case]]]]]) -> rows, hits, window. Only the windows are read.
*/
static int stream_collocates(lua_State *L) {
  stream_box *b = check_stream(L, 1);
  lua_Integer left = luaL_checkinteger(L, 3), right = luaL_checkinteger(L, 4);
  luaL_argcheck(L, left >= 0 && left <= LX_SPAN_MAX, 3, "span must be 0 to 100");
  luaL_argcheck(L, right >= 0 && right <= LX_SPAN_MAX, 4, "span must be 0 to 100");
  int by = luaL_checkoption(L, 5, "logdice", lx_by_names);
  lua_Integer min = luaL_optinteger(L, 6, 1), minf = luaL_optinteger(L, 7, 1),
              limit = luaL_optinteger(L, 8, 0);
  luaL_argcheck(L, limit >= 0, 8, "must not be negative");
  nodes *nd = check_nodes(L, 2, lua_toboolean(L, 9));
  /* The counter and the list live in holders: an error frees them. */
  holder *hc = new_holder(L, release_colloc);
  holder *hl = new_holder(L, free);
  lx_colloc *c = hc->p = new_colloc(b->r, nd, (int)left, (int)right);
  if (!c) return luaL_error(L, "not enough memory");
  size_t npos = 0;
  uint64_t *pos = lx_idstore_find(&b->s, c, &npos);
  lx_colloc_count_ids(c, b->s.ids, b->s.n, pos, npos, b->s.bounds, b->s.nb);
  free(pos);
  if (lx_colloc_failed(c)) return luaL_error(L, "not enough memory");
  uint64_t hits = lx_colloc_hits(c), window = lx_colloc_window(c);
  size_t n = 0;
  hl->p = lx_colloc_list(c, by, (uint64_t)(min < 1 ? 1 : min), (uint64_t)(minf < 0 ? 0 : minf),
                         (size_t)limit, &n);
  holder_release(hc);
  push_collocates(L, b->r, hl, n);
  lua_pushinteger(L, (lua_Integer)hits);
  lua_pushinteger(L, (lua_Integer)window);
  return 3;
}

/*
** collocates_index(corpus, nodes, left, right, opts [, by [, min [, min_freq
** [, limit]]]]) -> rows, hits, window, tokens: counted from the index
** (opts: the tokenizer options). The caller keeps to options the index
** can serve (lua/lexis/stats.lua).
*/
static int colloc_index(lua_State *L) {
  lx_corpus *x = lexis_check_corpus(L, 1);
  lua_Integer left = luaL_checkinteger(L, 3), right = luaL_checkinteger(L, 4);
  luaL_argcheck(L, left >= 0 && left <= LX_SPAN_MAX, 3, "span must be 0 to 100");
  luaL_argcheck(L, right >= 0 && right <= LX_SPAN_MAX, 4, "span must be 0 to 100");
  luaL_checktype(L, 5, LUA_TTABLE);
  int by = luaL_checkoption(L, 6, "logdice", lx_by_names);
  lua_Integer min = luaL_optinteger(L, 7, 1), minf = luaL_optinteger(L, 8, 1),
              limit = luaL_optinteger(L, 9, 0);
  luaL_argcheck(L, limit >= 0, 9, "must not be negative");
  lx_tokopts o;
  check_tokopts(L, 5, &o);
  /* the reader maps forms and words; it and the counter live in boxes */
  colloc_box *b = lua_newuserdatauv(L, sizeof *b, 1);
  b->r = NULL, b->c = NULL;
  luaL_setmetatable(L, COLLOCATES);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, NULL, err, sizeof err))) return luaL_error(L, "%s", err);
  nodes *nd = check_nodes(L, 2, opt_case(L, 5));
  if (!(b->c = new_colloc(b->r, nd, (int)left, (int)right))) return luaL_error(L, "not enough memory");
  int rc = lx_colloc_count_corpus(b->c, x);
  if (rc == -2) {
    char why[512];
    lx_corpus_damage(x, why, sizeof why);
    return lexis_result(L, EBADMSG, NULL, why);
  }
  if (rc) return luaL_error(L, "not enough memory");
  holder *hl = new_holder(L, free);
  size_t n = 0;
  hl->p = lx_colloc_list(b->c, by, (uint64_t)(min < 1 ? 1 : min), (uint64_t)(minf < 0 ? 0 : minf),
                         (size_t)limit, &n);
  push_collocates(L, b->r, hl, n);
  lua_pushinteger(L, (lua_Integer)lx_colloc_hits(b->c));
  lua_pushinteger(L, (lua_Integer)lx_colloc_window(b->c));
  lua_pushinteger(L, (lua_Integer)lx_colloc_tokens(b->c));
  return 4;
}

static int stream_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)check_stream(L, 1)->s.n);
  return 1;
}

static int stream_tostring(lua_State *L) {
  stream_box *b = luaL_checkudata(L, 1, WORDSTREAM);
  if (!b->r) lua_pushliteral(L, WORDSTREAM " (closed)");
  else lua_pushfstring(L, WORDSTREAM " (%I words, %I types)", (lua_Integer)b->s.n,
                       (lua_Integer)lx_wreader_types(b->r));
  return 1;
}

static const luaL_Reg stream_meta[] = {
  {"__gc", stream_close},
  {"__close", stream_close},
  {"__len", stream_len},
  {"__tostring", stream_tostring},
  {"__index", NULL},
  {NULL, NULL}
};

static const luaL_Reg stream_methods[] = {
  {"add", stream_add},
  {"addfile", stream_addfile},
  {"collocates", stream_collocates},
  {"close", stream_close},
  {NULL, NULL}
};

static void createmeta(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods) {
  luaL_newmetatable(L, name);
  luaL_setfuncs(L, meta, 0);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

static const luaL_Reg stats_functions[] = {
  {"assoc", stats_assoc},
  {"keyness", stats_keyness},
  {"dispersion", stats_dispersion},
  {"p_chi2", stats_p_chi2},
  {"ngrams", ngrams_new},
  {"collocates", colloc_new},
  {"keywords", keywords_list},
  {"read_partial", read_partial},
  {"write_partial", write_partial},
  {"set_total", set_total},
  {"write_list", write_list},
  {"wordlist", wordlist_new},
  {"wordstream", stream_new},
  {"collocates_index", colloc_index},
  {NULL, NULL}
};

void lexis_open_stats(lua_State *L) {
  luaL_newmetatable(L, HOLDER);
  lua_pushcfunction(L, holder_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  createmeta(L, NGRAMS, ngrams_meta, ngrams_methods);
  createmeta(L, COLLOCATES, colloc_meta, colloc_methods);
  createmeta(L, WORDLIST, wordlist_meta, wordlist_methods);
  createmeta(L, WORDSTREAM, stream_meta, stream_methods);
  luaL_setfuncs(L, stats_functions, 0);
}
