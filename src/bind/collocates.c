/*
** The collocate counter (src/collocates.h) in lexis.core:
**   collocates(nodes, left, right, opts) -> a lexis.Collocates counter:
**     c:add(text) c:addfile(path [, progress])   as for n-grams
**     c:list(by, min, min_freq, limit, expected) -> { {word=, left=, right=, freq=,
**                                    observed=, expected=, mi=, ...}, ... }
**     c:hits() c:window() c:tokens() c:close()
**   wordstream(opts)                 -> a lexis.WordStream (every word id in memory):
**     ws:add(text) ws:addfile(path [, progress]) #ws
**     ws:collocates(nodes, left, right [, by, min, min_freq, limit, keep_case, expected])
**                                    -> rows, hits, window
**   collocates_index(corpus, nodes, left, right, opts [, by, min, min_freq, limit, expected])
**                                    -> rows, hits, window, tokens, from an index
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "wreader.h"
#include "../alloc.h"
#include "../collocates.h"
#include "../corpus.h"

#define COLLOCATES "lexis.Collocates"

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
  lexis_holder *h = lexis_holder_new(L, release_nodes);
  nodes *nd = h->p = lx_calloc(1, sizeof *nd);
  if (!nd) lexis_nomem(L);
  for (lua_Integer i = 0; i < nn; i++) {
    if (istable) lua_geti(L, arg, i + 1);
    else lua_pushvalue(L, arg);
    size_t len;
    const char *w = luaL_checklstring(L, -1, &len);
    char err[256];
    lx_query *q = lx_query_parse(w, len, keep_case ? LX_Q_CASE : 0, err, sizeof err);
    if (!q && lexis_is_nomem(err)) lexis_nomem(L);
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
  for (size_t i = 0; i < nd->n; i++)
    if (lx_wreader_stem_query(r, nd->q[i])) return NULL;
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
  lexis_check_tokopts(L, 4, &o, LX_KINDS_WORDS);
  const lx_splitter *sp = lexis_opts_splitter(L, 4);
  colloc_box *b = lua_newuserdatauv(L, sizeof *b, 1);
  b->r = NULL, b->c = NULL;
  luaL_setmetatable(L, COLLOCATES);
  lua_getfield(L, 4, "splitter");
  lua_setiuservalue(L, -2, 1);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, sp, err, sizeof err))) return lexis_core_misuse(L, err);
  nodes *nd = check_nodes(L, 1, lexis_opt_case(L, 4));
  if (!(b->c = new_colloc(b->r, nd, (int)left, (int)right))) return lexis_nomem(L);
  lua_pop(L, 1);                    /* the nodes' holder, empty now */
  lx_wsink sink = lx_colloc_sink(b->c);
  lx_wreader_sink(b->r, &sink);
  return 1;
}

/*
** The result of a read into a counter: a pattern of the node that failed
** on a word stops the count as memory does (the reader gives ENOMEM), but
** is a failure to report, naming the pattern, the word and the file.
*/
static int colloc_read_result(lua_State *L, lx_colloc *c, int rc, const char *path, char *err,
                              size_t errlen) {
  const char *why = rc == ENOMEM ? lx_colloc_error(c) : NULL;
  if (why) {
    if (path) snprintf(err, errlen, "%s: %s", path, why);
    else snprintf(err, errlen, "%s", why);
    rc = EINVAL;
  }
  return lexis_read_result(L, rc, err);
}

static int colloc_add(lua_State *L) {
  colloc_box *b = check_colloc(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  char err[512];
  int rc = lx_wreader_buffer(b->r, s, len, err, sizeof err);
  return colloc_read_result(L, b->c, rc, NULL, err, sizeof err);
}

static int colloc_addfile(lua_State *L) {
  colloc_box *b = check_colloc(L, 1);
  const char *path = lexis_checkpath(L, 2);
  char err[512];
  int rc = lexis_read_file(L, b->r, NULL, 1, path, 3, err, sizeof err);
  return colloc_read_result(L, b->c, rc, path, err, sizeof err);
}

/* One collocate row as a table on the stack: its word w[0..len), counts
** and measures (also the rows of CQL collocates, bind/cqlrun.c). */
void lexis_push_collocate(lua_State *L, const lx_collocate *row, const char *w, size_t len) {
  lua_createtable(L, 0, 23);
  lua_pushlstring(L, w, len);
  lua_setfield(L, -2, "word");
  lua_pushinteger(L, (lua_Integer)row->left);
  lua_setfield(L, -2, "left");
  lua_pushinteger(L, (lua_Integer)row->right);
  lua_setfield(L, -2, "right");
  lua_pushinteger(L, (lua_Integer)(row->left + row->right));
  lua_setfield(L, -2, "observed");
  lua_pushinteger(L, (lua_Integer)row->freq);
  lua_setfield(L, -2, "freq");
  const lx_assoc *m = &row->m;
  lexis_setnum(L, "expected", m->expected);
  lexis_setnum(L, "mi", m->mi);
  lexis_setnum(L, "mi3", m->mi3);
  lexis_setnum(L, "t", m->t);
  lexis_setnum(L, "z", m->z);
  lexis_setnum(L, "g2", m->g2);
  lexis_setnum(L, "p", m->p);
  lexis_setnum(L, "dice", m->dice);
  lexis_setnum(L, "logdice", m->logdice);
  lexis_setnum(L, "log_ratio", m->log_ratio);
  lexis_setnum(L, "chi2", m->chi2);
  lexis_setnum(L, "delta_p", m->delta_p);
  lexis_setnum(L, "delta_p_rev", m->delta_p_rev);
  lexis_setnum(L, "mi2", m->mi2);
  lexis_setnum(L, "ms", m->ms);
  lexis_setnum(L, "poisson_stirling", m->poisson_stirling);
  lexis_setnum(L, "jaccard", m->jaccard);
  lexis_setnum(L, "fisher", m->fisher);
}

/* Pushes the rows of a collocate list (copied into a userdata first, so
** the malloced list is freed before anything can raise). */
static void push_collocates(lua_State *L, const lx_wreader *r, lexis_holder *h, size_t n) {
  if (n == LX_OOM) lexis_nomem(L);
  const lx_collocate *rows = h->p;
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    size_t len;
    const char *w = lx_lex_str(lx_wreader_lex(r), rows[k].id, &len);
    lexis_push_collocate(L, &rows[k], w, len);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lexis_holder_release(h);
}

/* c:list([by [, min [, min_freq [, limit [, expected]]]]]) -> rows, best
** first; expected "window" (the default) or "sketch" (enum lx_expect) */
static int colloc_list(lua_State *L) {
  colloc_box *b = check_colloc(L, 1);
  int by = luaL_checkoption(L, 2, "logdice", lx_by_names);
  lua_Integer min = luaL_optinteger(L, 3, 1), minf = luaL_optinteger(L, 4, 1),
              limit = luaL_optinteger(L, 5, 0);
  luaL_argcheck(L, limit >= 0, 5, "must not be negative");
  int expect = luaL_checkoption(L, 6, "window", lx_expect_names);
  size_t n;
  lexis_holder *h = lexis_holder_new(L, free);
  h->p = lx_colloc_list(b->c, by, (uint64_t)(min < 1 ? 1 : min), (uint64_t)(minf < 0 ? 0 : minf),
                        (size_t)limit, expect, &n);
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
** Collocates from an index
** ================================================================== */

/*
** collocates_index(corpus, nodes, left, right, opts [, by [, min [, min_freq
** [, limit [, expected]]]]]) -> rows, hits, window, tokens: counted from the index
** (opts: the tokenizer options). The caller keeps to options the index
** can serve (lua/lexis/stats.lua).
*/
static int colloc_index(lua_State *L) {
  int many = lua_istable(L, 1);       /* shards of one corpus: their counts add up */
  lua_Integer nx = many ? luaL_len(L, 1) : 1;
  luaL_argcheck(L, nx >= 1, 1, "a corpus or a list of them expected");
  for (lua_Integer i = 1; many && i <= nx; i++) {
    lua_geti(L, 1, i);
    lexis_check_corpus(L, -1);
    lua_pop(L, 1);
  }
  lx_corpus *x = many ? NULL : lexis_check_corpus(L, 1);
  lua_Integer left = luaL_checkinteger(L, 3), right = luaL_checkinteger(L, 4);
  luaL_argcheck(L, left >= 0 && left <= LX_SPAN_MAX, 3, "span must be 0 to 100");
  luaL_argcheck(L, right >= 0 && right <= LX_SPAN_MAX, 4, "span must be 0 to 100");
  luaL_checktype(L, 5, LUA_TTABLE);
  int by = luaL_checkoption(L, 6, "logdice", lx_by_names);
  lua_Integer min = luaL_optinteger(L, 7, 1), minf = luaL_optinteger(L, 8, 1),
              limit = luaL_optinteger(L, 9, 0);
  luaL_argcheck(L, limit >= 0, 9, "must not be negative");
  int expect = luaL_checkoption(L, 10, "window", lx_expect_names);
  lx_tokopts o;
  lexis_check_tokopts(L, 5, &o, LX_KINDS_WORDS);
  /* the reader maps forms and words; it and the counter live in boxes */
  colloc_box *b = lua_newuserdatauv(L, sizeof *b, 1);
  b->r = NULL, b->c = NULL;
  luaL_setmetatable(L, COLLOCATES);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, NULL, err, sizeof err))) return lexis_core_misuse(L, err);
  nodes *nd = check_nodes(L, 2, lexis_opt_case(L, 5));
  if (!(b->c = new_colloc(b->r, nd, (int)left, (int)right))) return lexis_nomem(L);
  int rc = 0;
  for (lua_Integer i = 1; rc == 0 && i <= nx; i++) {
    if (many) {
      lua_geti(L, 1, i);
      x = lexis_check_corpus(L, -1);    /* (anchored by the list) */
      lua_pop(L, 1);
    }
    rc = lx_colloc_count_corpus(b->c, x);
  }
  if (rc == -3) return luaL_error(L, "interrupted");   /* the host's Ctrl-C hook says it first */
  if (rc == -2) {
    char why[512];
    lx_corpus_damage(x, why, sizeof why);
    return lexis_result(L, EBADMSG, NULL, why);
  }
  if (rc && lx_colloc_error(b->c)) {
    char why[512];
    snprintf(why, sizeof why, "%s: %s", lx_corpus_path(x), lx_colloc_error(b->c));
    return lexis_result(L, EINVAL, NULL, why);
  }
  if (rc) return lexis_nomem(L);
  lexis_holder *hl = lexis_holder_new(L, free);
  size_t n = 0;
  hl->p = lx_colloc_list(b->c, by, (uint64_t)(min < 1 ? 1 : min), (uint64_t)(minf < 0 ? 0 : minf),
                         (size_t)limit, expect, &n);
  push_collocates(L, b->r, hl, n);
  lua_pushinteger(L, (lua_Integer)lx_colloc_hits(b->c));
  lua_pushinteger(L, (lua_Integer)lx_colloc_window(b->c));
  lua_pushinteger(L, (lua_Integer)lx_colloc_tokens(b->c));
  return 4;
}

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
  lexis_check_tokopts(L, 1, &o, LX_KINDS_WORDS);
  const lx_splitter *sp = lexis_opts_splitter(L, 1);
  stream_box *b = lua_newuserdatauv(L, sizeof *b, 1);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, WORDSTREAM);
  lua_getfield(L, 1, "splitter");
  lua_setiuservalue(L, -2, 1);
  char err[256];
  if (!(b->r = lx_wreader_new(&o, sp, err, sizeof err))) return lexis_core_misuse(L, err);
  lx_wsink sink = lx_idstore_sink(&b->s);
  lx_wreader_sink(b->r, &sink);
  return 1;
}

static int stream_result(lua_State *L, stream_box *b, int rc, const char *err) {
  if (rc == 0 && b->s.oom) rc = ENOMEM;
  return lexis_read_result(L, rc, err);
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
  return stream_result(L, b, lexis_read_file(L, b->r, NULL, 1, path, 3, err, sizeof err), err);
}

static void release_colloc(void *p) {
  lx_colloc_free(p);
}

/*
** ws:collocates(nodes, left, right [, by [, min [, min_freq [, limit
** [, keep_case [, expected]]]]]]) -> rows, hits, window. Only the windows
** are read.
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
  int expect = luaL_checkoption(L, 10, "window", lx_expect_names);
  nodes *nd = check_nodes(L, 2, lua_toboolean(L, 9));
  /* The counter and the list live in holders: an error frees them. */
  lexis_holder *hc = lexis_holder_new(L, release_colloc);
  lexis_holder *hl = lexis_holder_new(L, free);
  lx_colloc *c = hc->p = new_colloc(b->r, nd, (int)left, (int)right);
  if (!c) return lexis_nomem(L);
  size_t npos = 0;
  uint64_t *pos = lx_idstore_find(&b->s, c, &npos);
  if (!lx_colloc_failed(c)) lx_colloc_count_ids(c, b->s.ids, b->s.n, pos, npos, b->s.bounds, b->s.nb);
  free(pos);
  if (lx_colloc_error(c)) return lexis_failure(L, EINVAL, lx_colloc_error(c));
  if (lx_colloc_failed(c)) return lexis_nomem(L);
  uint64_t hits = lx_colloc_hits(c), window = lx_colloc_window(c);
  size_t n = 0;
  hl->p = lx_colloc_list(c, by, (uint64_t)(min < 1 ? 1 : min), (uint64_t)(minf < 0 ? 0 : minf),
                         (size_t)limit, expect, &n);
  lexis_holder_release(hc);
  push_collocates(L, b->r, hl, n);
  lua_pushinteger(L, (lua_Integer)hits);
  lua_pushinteger(L, (lua_Integer)window);
  return 3;
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

static const luaL_Reg colloc_functions[] = {
  {"collocates", colloc_new},
  {"wordstream", stream_new},
  {"collocates_index", colloc_index},
  {NULL, NULL}
};

void lexis_open_collocates(lua_State *L) {
  lexis_createmeta(L, COLLOCATES, colloc_meta, colloc_methods);
  lexis_createmeta(L, WORDSTREAM, stream_meta, stream_methods);
  luaL_setfuncs(L, colloc_functions, 0);
}
