/*
** The binding of corpus.c: "lexis.Builder" (files in, an index out) and
** "lexis.Corpus" (an index in memory or mapped from a file).
** lua/lexis/corpus.lua composes them into lexis.corpus and lexis.open.
*/
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bind.h"
#include "../input.h"
#include "progress_bind.h"
#include "kwic_bind.h"
#include "../corpus.h"
#include "../alloc.h"
#include "../index.h"
#include "../vrt.h"
#include "../cqlview.h"
#include <stdio.h>

#define BUILDER "lexis.Builder"
#define CORPUS "lexis.Corpus"

typedef struct bbox { lx_builder *b; } bbox;
/* A corpus that concordances point into is only marked closed by close();
** its memory goes with the last of them, when __gc runs (they anchor it). */
typedef struct xbox {
  lx_corpus *c;
  int lent;            /* a concordance points into it */
  int closed;          /* close() was called */
} xbox;

static lx_builder *check_builder(lua_State *L) {
  bbox *b = luaL_checkudata(L, 1, BUILDER);
  luaL_argcheck(L, b->b != NULL, 1, "builder is finished or closed");
  return b->b;
}

static lx_corpus *check_corpus(lua_State *L) {
  xbox *x = luaL_checkudata(L, 1, CORPUS);
  luaL_argcheck(L, x->c != NULL && !x->closed, 1, "corpus is closed");
  return x->c;
}

lx_corpus *lexis_check_corpus(lua_State *L, int arg) {
  xbox *x = luaL_checkudata(L, arg, CORPUS);
  luaL_argcheck(L, x->c != NULL && !x->closed, arg, "corpus is closed");
  return x->c;
}

/* Pushes a closed corpus box; the caller then puts the C object in it. */
static xbox *new_corpus_box(lua_State *L) {
  xbox *x = lua_newuserdatauv(L, sizeof *x, 0);
  x->c = NULL;
  x->lent = x->closed = 0;
  luaL_setmetatable(L, CORPUS);
  return x;
}

/* ---------------------------------------------------------------- builder */

static int builder_close(lua_State *L) {
  bbox *b = luaL_checkudata(L, 1, BUILDER);
  lx_builder_free(b->b);
  b->b = NULL;
  return 0;
}

/* builder([splitter [, split_apostrophes [, no_dictionary [, store_text]]]]) -> a builder;
** with a splitter, documents are split into sentences too (the builder keeps
** the splitter alive); split_apostrophes true cuts words at apostrophes
** (Stalin ’ s); no_dictionary true cuts Chinese, Japanese, Thai ... by UAX
** #29 alone; store_text true keeps the text in the index (--store-text) */
static int builder_new(lua_State *L) {
  const lx_splitter *sp = NULL;
  if (!lua_isnoneornil(L, 1))
    sp = lexis_check_splitter(L, 1);
  unsigned opts = (lua_toboolean(L, 2) ? LX_CORPUS_SPLIT_APOSTROPHES : 0) |
                  (lua_toboolean(L, 3) ? LX_CORPUS_NO_DICTIONARY : 0);
  int store = lua_toboolean(L, 4);
  bbox *b = lua_newuserdatauv(L, sizeof *b, 2);   /* the splitter, the corpus reused */
  b->b = NULL;
  luaL_setmetatable(L, BUILDER);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  char err[256];
  b->b = lx_builder_new(opts, err, sizeof err);
  if (!b->b) return lexis_core_misuse(L, err);
  lx_builder_set_splitter(b->b, sp);
  if (store && lx_builder_store_text(b->b, 0)) return lexis_nomem(L);
  return 1;
}

/* b:add(path [, progress]) -> true, or nil, "path: reason", binary, errno.
** progress(bytes_done) is called a few times a second (progress_bind.h). */
static int builder_add(lua_State *L) {
  lx_builder *b = check_builder(L);
  const char *path = lexis_checkpath(L, 2);
  char err[512];
  lexis_progress hook;
  lx_builder_set_progress(b, lexis_opt_progress(L, 3, &hook));
  errno = 0;
  int rc = lx_builder_add_file(b, path, err, sizeof err);
  int e = errno;
  lx_builder_set_progress(b, NULL);
  lexis_progress_done(L, &hook);
  if (rc == 0) { lua_pushboolean(L, 1); return 1; }
  if (lexis_is_nomem(err)) return lexis_nomem(L);
  lua_pushnil(L);
  lua_pushstring(L, err);
  lua_pushboolean(L, rc == -2);
  lua_pushinteger(L, e);
  return 4;
}

/* b:setmeta(fields, values) -> true, or nil, message: the document
** metadata, values flat (document after document, a value per field) for
** the documents added so far, in their order (lx_builder_set_meta) */
static int builder_setmeta(lua_State *L) {
  lx_builder *b = check_builder(L);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_Integer nf = luaL_len(L, 2), nv = luaL_len(L, 3);
  luaL_argcheck(L, nf > 0 && nf <= 4096, 2, "1 to 4096 field names expected");
  luaL_argcheck(L, nv % nf == 0, 3, "a value per field and document expected");
  size_t n = (size_t)(nf + nv);
  /* the arrays in userdata, so a raise frees them */
  const char **strs = lua_newuserdatauv(L, n * sizeof *strs + 1, 0);
  size_t *lens = lua_newuserdatauv(L, n * sizeof *lens + 1, 0);
  for (size_t i = 0; i < n; i++) {
    int t = i < (size_t)nf ? 2 : 3;
    lua_geti(L, t, i < (size_t)nf ? (lua_Integer)i + 1 : (lua_Integer)(i - (size_t)nf) + 1);
    if (lua_type(L, -1) != LUA_TSTRING) return luaL_argerror(L, t, "strings expected");
    strs[i] = lua_tolstring(L, -1, &lens[i]);   /* anchored by the table */
    lua_pop(L, 1);
  }
  char err[512];
  int rc = lx_builder_set_meta(b, (size_t)nf, (size_t)(nv / nf), strs, lens, err, sizeof err);
  if (rc == ENOMEM) return lexis_nomem(L);
  if (rc) return luaL_error(L, "setmeta: %s", err);
  lua_pushboolean(L, 1);
  return 1;
}

/* b:reuse(corpus, d) -> true, or nil, message, no_sentences: document d
** (from 1) of an index, copied as it was indexed; the builder anchors the
** corpus, which it reads until finished */
static int builder_reuse(lua_State *L) {
  lx_builder *b = check_builder(L);
  xbox *x = luaL_checkudata(L, 2, CORPUS);
  luaL_argcheck(L, x->c != NULL && !x->closed, 2, "corpus is closed");
  lua_Integer d = luaL_checkinteger(L, 3);
  luaL_argcheck(L, d >= 1 && d <= (lua_Integer)lx_corpus_ndocs(x->c), 3, "no such document");
  lua_pushvalue(L, 2);
  lua_setiuservalue(L, 1, 2);
  char err[512];
  int rc = lx_builder_reuse(b, x->c, (uint32_t)(d - 1), err, sizeof err);
  if (rc == 0) { lua_pushboolean(L, 1); return 1; }
  if (lexis_is_nomem(err)) return lexis_nomem(L);
  lua_pushnil(L);
  lua_pushstring(L, err);
  lua_pushboolean(L, rc == -2);
  return 3;
}

/* The reader's warnings (repairs, skips), each with its file and line. */
static void warn_stderr(void *arg, const char *msg) {
  (void)arg;
  fprintf(stderr, "lexis: %s\n", msg);
}

/* b:addannotated(path [, opts [, progress]]) -> true, or nil, "path:line:
** reason", skipped, errno: a .vrt or .conllu file (opts as vrt_events's:
** format, p, s, columns, undeclared) */
static int builder_addannotated(lua_State *L) {
  lx_builder *b = check_builder(L);
  const char *path = lexis_checkpath(L, 2);
  lx_vrt_opts o;
  const char *p[LX_VRT_MAX_COLUMNS], *s[LX_VRT_MAX_STRUCTS];
  lexis_check_vrt_opts(L, 3, "index", &o, p, s);
  char err[1024];
  lexis_progress hook;
  lx_builder_set_progress(b, lexis_opt_progress(L, 4, &hook));
  errno = 0;
  int rc = lx_builder_add_annotated(b, path, &o, warn_stderr, NULL, err, sizeof err);
  int e = errno;
  lx_builder_set_progress(b, NULL);
  lexis_progress_done(L, &hook);
  if (rc == 0) { lua_pushboolean(L, 1); return 1; }
  if (e == ENOMEM) return lexis_nomem(L);
  lua_pushnil(L);
  lua_pushstring(L, err);
  lua_pushboolean(L, rc == -2);
  lua_pushinteger(L, e);
  return 4;
}

/* b:addtext(name, text) */
static int builder_addtext(lua_State *L) {
  lx_builder *b = check_builder(L);
  const char *name = luaL_checkstring(L, 2);
  size_t len;
  const char *text = luaL_checklstring(L, 3, &len);
  char err[256];
  if (lx_builder_add_text(b, name, text, len, err, sizeof err)) return lexis_core_misuse(L, err);
  lua_pushboolean(L, 1);
  return 1;
}

/* b:stats() -> tokens, bytes */
static int builder_stats(lua_State *L) {
  lx_builder *b = check_builder(L);
  lua_pushinteger(L, (lua_Integer)lx_builder_tokens(b));
  lua_pushinteger(L, (lua_Integer)lx_builder_bytes(b));
  return 2;
}

/* b:finish([path]) -> corpus (the builder is used up), or nil, "path:
** reason", errno; with a path, the index is written there as it is made
** and the corpus maps it */
static int builder_finish(lua_State *L) {
  bbox *bb = luaL_checkudata(L, 1, BUILDER);
  luaL_argcheck(L, bb->b != NULL, 1, "builder is finished or closed");
  const char *path = lexis_optpath(L, 2, NULL);
  xbox *x = new_corpus_box(L);
  lx_builder *b = bb->b;
  bb->b = NULL;                       /* finish takes it, whatever happens */
  char err[512];
  errno = 0;
  x->c = path ? lx_builder_save(b, path, err, sizeof err) : lx_builder_finish(b, err, sizeof err);
  if (!x->c && lexis_is_nomem(err)) return lexis_nomem(L);
  if (!x->c) return lexis_result(L, errno ? errno : EIO, NULL, err);
  return 1;
}

/* ---------------------------------------------------------------- corpus */

static int corpus_close(lua_State *L) {
  xbox *x = luaL_checkudata(L, 1, CORPUS);
  x->closed = 1;
  if (!x->lent) {
    lx_corpus_free(x->c);
    x->c = NULL;
  }
  return 0;
}

static int corpus_gc(lua_State *L) {
  xbox *x = luaL_checkudata(L, 1, CORPUS);
  lx_corpus_free(x->c);
  x->c = NULL;
  return 0;
}

/* open(path) -> corpus, or nil, "path: reason; rebuild it ...", errno (EBADMSG: damaged) */
static int corpus_open(lua_State *L) {
  const char *path = lexis_checkpath(L, 1);
  xbox *x = new_corpus_box(L);
  char err[512];
  errno = 0;
  x->c = lx_corpus_open(path, err, sizeof err);
  if (!x->c) {
    int e = errno;
    lua_pushnil(L);
    lua_pushstring(L, err);
    lua_pushinteger(L, e ? e : EBADMSG);
    return 3;
  }
  return 1;
}

/* c:save(path) -> true, or nil, message */
static int corpus_save(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  const char *path = lexis_checkpath(L, 2);
  char err[512];
  errno = 0;
  if (lx_corpus_save(c, path, err, sizeof err)) {
    int e = errno;
    lua_pushnil(L);
    lua_pushstring(L, err);
    lua_pushinteger(L, e);
    return 3;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* c:verify() -> true, or nil, message naming the damaged section */
static int corpus_verify(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  char err[512];
  if (lx_corpus_verify(c, err, sizeof err)) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* c:docs([deep]) -> { { path, size, tokens, first, stale }, ... }: stale by
** size, time and content; with deep false by size and time only (no file
** is read) */
static int corpus_docs(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  int deep = lua_isnoneornil(L, 2) || lua_toboolean(L, 2);
  uint32_t n = lx_corpus_ndocs(c);
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) cwd[0] = '\0';
  lua_createtable(L, (int)n, 0);
  for (uint32_t d = 0; d < n; d++) {
    const char *name;
    const lx_docrec *r = lx_corpus_doc(c, d, &name);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, lx_path_shown(name, cwd));   /* stored absolute; shown as typed */
    lua_setfield(L, -2, "path");
    lua_pushinteger(L, (lua_Integer)r->size);
    lua_setfield(L, -2, "size");
    lua_pushinteger(L, (lua_Integer)r->ntok);
    lua_setfield(L, -2, "tokens");
    lua_pushinteger(L, (lua_Integer)r->first + 1);
    lua_setfield(L, -2, "first");
    /* an index that keeps its text shows hits without its files */
    lua_pushboolean(L, !lx_corpus_stored(c) && lx_corpus_stale(c, d, deep));
    lua_setfield(L, -2, "stale");
    size_t nf = lx_corpus_nfields(c);
    if (nf) {                         /* its metadata (lexis index --meta) */
      lua_createtable(L, 0, (int)nf);
      for (size_t f = 0; f < nf; f++) {
        size_t klen, vlen;
        const char *k = lx_corpus_field(c, f, &klen), *v = lx_corpus_docmeta(c, d, f, &vlen);
        lua_pushlstring(L, k, klen);
        lua_pushlstring(L, v, vlen);
        lua_rawset(L, -3);
      }
      lua_setfield(L, -2, "meta");
    }
    lua_rawseti(L, -2, (lua_Integer)d + 1);
  }
  return 1;
}

/* c:types() -> exact forms, folded forms */
static int corpus_types(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  lua_pushinteger(L, (lua_Integer)lx_corpus_types(c));
  lua_pushinteger(L, (lua_Integer)lx_corpus_ftypes(c));
  return 2;
}

/* c:_tokopts() -> the tokenizer options the index was built with where
** they differ from the default, as lexis.tokenize names them:
** { apostrophes = false } or {} */
static int corpus_tokopts(lua_State *L) {
  unsigned opts = lx_corpus_options(check_corpus(L));
  lua_createtable(L, 0, 1);
  if (opts & LX_CORPUS_SPLIT_APOSTROPHES) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "apostrophes");
  }
  if (opts & LX_CORPUS_NO_DICTIONARY) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "dictionary");
  }
  return 1;
}

/* c:sentences() -> sentences, 0 if the corpus was not split */
static lx_cview *push_view(lua_State *L, lx_corpus *c);

static int corpus_sentences(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  if (lx_corpus_annotated(c)) {       /* its sentences are its s regions, when it has them */
    lx_cview *v = push_view(L, c);
    int hv, s = v->sattr(v->ctx, "s", &hv);
    lua_pushinteger(L, s < 0 ? 0 : (lua_Integer)v->region_count(v->ctx, s));
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)lx_corpus_sentences(c));
  return 1;
}

/* c:freq(word) -> occurrences in any case, or nil, "path: damaged ..." */
static int corpus_freq(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  size_t len;
  const char *w = luaL_checklstring(L, 2, &len);
  uint64_t n;
  int rc = lx_corpus_freq(c, w, len, &n);
  if (rc == -1) return lexis_nomem(L);
  if (rc) {
    char err[512];
    lx_corpus_damage(c, err, sizeof err);
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

/*
** c:_query(query, case, regex, stop_after, left, right [, splitter [, count_only [, prepare]]])
** -> concordance, hits, or nil, message. The concordance anchors the corpus it points into.
** shards_query({ corpus, ... }, ...the same) queries several as one (lx_shards_query).
*/
static void free_queries(void *p) {
  lx_query **q = p;
  if (!q) return;
  for (int i = 0; q[i]; i++) lx_query_free(q[i]);
  free(q);
}

/* The arguments are at 1 .. 10 (the caller sets the top); the results go above. */
static int run_query(lua_State *L, lx_corpus **x, size_t nx) {
  lx_corpus *c = x[0];
  size_t qlen;
  const char *qs = luaL_checklstring(L, 2, &qlen);
  int flags = (lua_toboolean(L, 3) ? LX_Q_CASE : 0) | (lua_toboolean(L, 4) ? LX_Q_REGEX : 0);
  if (lx_corpus_options(c) & LX_CORPUS_SPLIT_APOSTROPHES) flags |= LX_Q_SPLIT_APOS;   /* as the index cut words */
  if (lx_corpus_options(c) & LX_CORPUS_NO_DICTIONARY) flags |= LX_Q_NO_DICT;
  lua_Integer stop = luaL_optinteger(L, 5, 0);
  lua_Integer left = luaL_optinteger(L, 6, 5), right = luaL_optinteger(L, 7, 5);
  int count_only = lua_toboolean(L, 9);
  luaL_argcheck(L, left >= 0 && left <= 1000, 6, "context out of range");
  luaL_argcheck(L, right >= 0 && right <= 1000, 7, "context out of range");
  lx_conc **slot = lexis_new_conc(L, (unsigned)left, (unsigned)right);
  int conc = lua_gettop(L);
  if (lua_istable(L, 1)) {            /* every corpus, anchored and lent */
    for (size_t i = 0; i < nx; i++) {
      lua_geti(L, 1, (lua_Integer)i + 1);
      ((xbox *)lua_touserdata(L, -1))->lent = 1;
      lexis_conc_anchor(L, conc, -1);
      lua_pop(L, 1);
    }
  } else {
    lexis_conc_anchor(L, conc, 1);
    ((xbox *)lua_touserdata(L, 1))->lent = 1;
  }
  (*slot)->sp = lexis_opt_splitter(L, conc, 8);
  if (lua_isfunction(L, 10)) {        /* prepare(conc): c:_keepbest, before anything is malloced here */
    lua_pushvalue(L, 10);
    lua_pushvalue(L, conc);
    lua_call(L, 1, 0);
  }
  char err[512];
  lexis_holder *h = lexis_holder_new(L, free_queries);   /* one a thread (PCRE2 match data) */
  lx_query **q = h->p = lx_calloc(3, sizeof *q);
  if (!q) return lexis_nomem(L);
  for (int i = 0; i < (nx > 1 ? 2 : 1); i++) {
    q[i] = lx_query_parse(qs, qlen, flags, err, sizeof err);
    if (!q[i] && lexis_is_nomem(err)) return lexis_nomem(L);
    if (!q[i]) {
      lua_pushnil(L);
      lua_pushstring(L, err);
      return 2;
    }
  }
  (*slot)->count_only = count_only;
  errno = 0;
  int rc = nx > 1 || lua_istable(L, 1)
    ? lx_shards_query(x, nx, q, q[1] ? 2 : 1, *slot, stop > 0 ? (size_t)stop : 0, err, sizeof err)
    : lx_corpus_query(c, q[0], *slot, stop > 0 ? (size_t)stop : 0, err, sizeof err);
  int e = errno;
  if (rc && lexis_is_nomem(err)) return lexis_nomem(L);
  if (rc) {                           /* a failure, not misuse: damage, a pattern's limit, unlike shards */
    lua_pushnil(L);
    lua_pushstring(L, err);
    lua_pushinteger(L, strstr(err, "damaged") ? EBADMSG : strstr(err, "out of memory") ? ENOMEM
                       : strstr(err, "built alike") ? EINVAL : e ? e : EIO);
    return 3;
  }
  lua_pushvalue(L, conc);
  lua_pushinteger(L, (lua_Integer)((*slot)->n + (*slot)->counted + (*slot)->dropped));
  return 2;
}

static int corpus_query(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  lua_settop(L, 10);                  /* the concordance goes above the arguments */
  return run_query(L, &c, 1);
}

/* The corpora of the list at argument 1, in a userdata pushed on the stack
** (the GC's to free); their number in *k. */
static lx_corpus **check_corpora(lua_State *L, lua_Integer *k) {
  luaL_checktype(L, 1, LUA_TTABLE);
  *k = luaL_len(L, 1);
  luaL_argcheck(L, *k >= 1 && *k <= 65536, 1, "1 to 65536 corpora expected");
  lx_corpus **x = lua_newuserdatauv(L, (size_t)*k * sizeof *x, 0);
  for (lua_Integer i = 0; i < *k; i++) {
    lua_geti(L, 1, i + 1);
    x[i] = lexis_check_corpus(L, -1);
    lua_pop(L, 1);
  }
  return x;
}

/* shards_query({ corpus, ... }, query, ...): c:_query over several, as one. */
static int shards_query(lua_State *L) {
  lua_settop(L, 10);
  lua_Integer k;
  lx_corpus **x = check_corpora(L, &k);   /* at 11, kept to the end */
  return run_query(L, x, (size_t)k);
}

/* shards_check({ corpus, ... }) -> true, or nil, why they cannot be one corpus */
static int shards_check(lua_State *L) {
  lua_Integer k;
  lx_corpus **x = check_corpora(L, &k);
  char err[1024];
  if (lx_shards_check(x, (size_t)k, err, sizeof err) == 0) { lua_pushboolean(L, 1); return 1; }
  lua_pushnil(L);
  lua_pushstring(L, err);
  lua_pushinteger(L, EINVAL);
  return 3;
}

static int corpus_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lx_corpus_tokens(check_corpus(L)));
  return 1;
}

static int corpus_tostring(lua_State *L) {
  xbox *x = luaL_checkudata(L, 1, CORPUS);
  if (!x->c || x->closed) lua_pushliteral(L, "lexis.Corpus (closed)");
  else lua_pushfstring(L, "lexis.Corpus (%I tokens, %I types, %I documents%s)",
                       (lua_Integer)lx_corpus_tokens(x->c), (lua_Integer)lx_corpus_ftypes(x->c),
                       (lua_Integer)lx_corpus_ndocs(x->c),
                       lx_corpus_options(x->c) & LX_CORPUS_SPLIT_APOSTROPHES ? ", split at apostrophes" : "");
  return 1;
}

/* ---------------------------------------------------------------- file sections */

/*
** _index_sections(path) -> { section strings }, or nil, message: the raw
** sections of an index file, unchecked. With _index_write(path, sections)
** the red-team specs craft indexes (a section rewritten, every checksum
** valid) that follow the format as it changes. Internal: no user needs them.
*/
static int file_gc(lua_State *L) {
  lx_file_close(luaL_checkudata(L, 1, "lexis.IndexFile"));
  return 0;
}

static int index_sections(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  /* the mapping lives in a box, so a push that raises does not leak it */
  lx_file *f = lua_newuserdatauv(L, sizeof *f, 0);
  memset(f, 0, sizeof *f);
  if (luaL_newmetatable(L, "lexis.IndexFile")) {
    lua_pushcfunction(L, file_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  char err[512];
  if (lx_file_open(f, path, err, sizeof err)) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_createtable(L, (int)f->nsec, 0);
  for (uint32_t i = 0; i < f->nsec; i++) {
    lua_pushlstring(L, f->sec[i].data, (size_t)f->sec[i].size);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lx_file_close(f);
  return 1;
}

/* _index_sniff(head) -> 1 an index, 0 not, -1 an index whose magic is
** damaged (lx_file_sniff): what a command reads to choose index or text */
static int index_sniff(lua_State *L) {
  size_t n;
  const char *head = luaL_checklstring(L, 1, &n);
  lua_pushinteger(L, lx_file_sniff(head, n));
  return 1;
}

/* _index_write(path, { section strings }) -> true, or nil, message */
static int index_write(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  lx_section sec[LX_FILE_MAXSEC];
  lua_Integer n = luaL_len(L, 2);
  luaL_argcheck(L, n >= 0 && n <= LX_FILE_MAXSEC, 2, "too many sections");
  for (lua_Integer i = 0; i < n; i++) {
    lua_geti(L, 2, i + 1);
    size_t len;
    sec[i].data = luaL_checklstring(L, -1, &len);   /* anchored by the table */
    sec[i].size = len;
    lua_pop(L, 1);
  }
  char err[512];
  if (lx_file_write(path, sec, (uint32_t)n, err, sizeof err)) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* ---------------------------------------------------------------- the CQL view */

/* A view lives in a box, so that an error while results are pushed leaks
** nothing. */
#define VIEW "lexis.CorpusView"
typedef struct vwbox { lx_cview v; } vwbox;

static int view_gc(lua_State *L) {
  lx_corpus_view_free(&((vwbox *)luaL_checkudata(L, 1, VIEW))->v);
  return 0;
}

static lx_cview *push_view(lua_State *L, lx_corpus *c) {
  vwbox *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, VIEW);
  if (lx_corpus_view(c, &b->v)) lexis_nomem(L);
  return &b->v;
}

static int view_fail(lua_State *L, lx_cview *v) {
  const char *msg = v->error(v->ctx);
  if (strcmp(msg, "out of memory") == 0) return lexis_nomem(L);
  lua_pushnil(L);
  lua_pushstring(L, msg);
  lua_pushinteger(L, EBADMSG);
  return 3;
}

/* c:attributes() -> { positional = { "word", ... }, structural = { "s", ... } } */
static int corpus_attributes(lua_State *L) {
  lx_cview *v = push_view(L, check_corpus(L));
  lua_createtable(L, 0, 2);
  lua_createtable(L, (int)v->npattrs(v->ctx), 0);
  for (size_t i = 0; i < v->npattrs(v->ctx); i++) {
    lua_pushstring(L, v->pattr_name(v->ctx, (int)i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "positional");
  lua_createtable(L, (int)v->nsattrs(v->ctx), 0);
  for (size_t i = 0; i < v->nsattrs(v->ctx); i++) {
    lua_pushstring(L, v->sattr_name(v->ctx, (int)i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "structural");
  lua_createtable(L, 0, (int)v->nsattrs(v->ctx));   /* regions = { s = 28374, text = 1, ... } */
  for (size_t i = 0; i < v->nsattrs(v->ctx); i++) {
    lua_pushinteger(L, (lua_Integer)v->region_count(v->ctx, (int)i));
    lua_setfield(L, -2, v->sattr_name(v->ctx, (int)i));
  }
  lua_setfield(L, -2, "regions");
  return 1;
}

/* c:texts() -> { { first, tokens, meta = { id = ..., year = ... } }, ... }:
** each text region (a plain index: each document holding tokens; first
** from 1) with the values of its annotations, text_id, text_year ... as
** id, year ... (read through the CQL view, so an annotated index's text_*
** attributes and a plain index's metadata read alike) */
static int corpus_texts(lua_State *L) {
  lx_cview *v = push_view(L, check_corpus(L));
  void *x = v->ctx;
  int hv, text = v->sattr(x, "text", &hv);
  uint64_t n = text < 0 ? 0 : v->region_count(x, text);
  size_t ns = v->nsattrs(x), nk = 0;
  int *keys = lua_newuserdatauv(L, ns * sizeof *keys + 1, 0);
  for (size_t i = 0; i < ns; i++) {     /* text_X with a value per text region */
    const char *name = v->sattr_name(x, (int)i);
    int has = 0;
    if (strncmp(name, "text_", 5) == 0 && name[5] && v->sattr(x, name, &has) == (int)i && has &&
        v->region_count(x, (int)i) == n)
      keys[nk++] = (int)i;
  }
  lua_createtable(L, n < 1 << 20 ? (int)n : 0, 0);
  for (uint64_t r = 0; r < n; r++) {
    uint64_t st, en;
    if (v->region(x, text, r, &st, &en)) return view_fail(L, v);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)st + 1);
    lua_setfield(L, -2, "first");
    lua_pushinteger(L, (lua_Integer)(en - st));
    lua_setfield(L, -2, "tokens");
    lua_createtable(L, 0, (int)nk);
    for (size_t k = 0; k < nk; k++) {
      uint64_t a, z;
      const char *s;
      size_t len;
      /* an annotation shares text's regions; one that does not is left out */
      if (v->region(x, keys[k], r, &a, &z)) return view_fail(L, v);
      if (a != st || z != en) continue;
      if (v->region_value(x, keys[k], r, &s, &len)) return view_fail(L, v);
      lua_pushlstring(L, s, len);
      lua_setfield(L, -2, v->sattr_name(x, keys[k]) + 5);
    }
    lua_setfield(L, -2, "meta");
    lua_rawseti(L, -2, (lua_Integer)r + 1);
  }
  return 1;
}

/* c:_changed(d) -> whether document d's file changed since it was indexed
** (or is gone), even when the index keeps its text: for --update */
static int corpus_changed(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  lua_Integer d = luaL_checkinteger(L, 2);
  luaL_argcheck(L, d >= 1 && d <= (lua_Integer)lx_corpus_ndocs(c), 2, "no such document");
  lua_pushboolean(L, lx_corpus_stale(c, (uint32_t)(d - 1), 1));
  return 1;
}

/* c:stored() -> whether the index keeps its documents' text */
static int corpus_stored(lua_State *L) {
  lua_pushboolean(L, lx_corpus_stored(check_corpus(L)));
  return 1;
}

/* c:text(doc, start, stop) -> bytes [start, stop] (from 1, inclusive) of
** document doc's text, from the index if it keeps it, else from the file;
** or nil, message */
static int corpus_text(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  lua_Integer d = luaL_checkinteger(L, 2), a = luaL_checkinteger(L, 3), z = luaL_checkinteger(L, 4);
  luaL_argcheck(L, d >= 1 && d <= (lua_Integer)lx_corpus_ndocs(c), 2, "no such document");
  const char *name;
  const lx_docrec *r = lx_corpus_doc(c, (uint32_t)(d - 1), &name);
  luaL_argcheck(L, a >= 1 && (uint64_t)a <= r->size + 1, 3, "out of the document");
  luaL_argcheck(L, z >= a - 1 && (uint64_t)z <= r->size, 4, "out of the document");
  size_t n = (size_t)(z - a + 1);
  char *buf = lua_newuserdatauv(L, n + 1, 0);     /* freed by the collector if a raise comes */
  char err[512];
  if (lx_corpus_text(c, (uint32_t)(d - 1), (uint64_t)a - 1, n, buf, err, sizeof err)) {
    if (lexis_is_nomem(err)) return lexis_nomem(L);
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushlstring(L, buf, n);
  return 1;
}

static int corpus_annotated(lua_State *L) {
  lua_pushboolean(L, lx_corpus_annotated(check_corpus(L)));
  return 1;
}

static int push_position(void *arg, const uint64_t *pos, size_t n) {
  lua_State *L = arg;
  lua_Integer k = (lua_Integer)luaL_len(L, -1);
  for (size_t i = 0; i < n; i++) {
    lua_pushinteger(L, (lua_Integer)pos[i]);
    lua_rawseti(L, -2, ++k);
  }
  return 0;
}

/*
** Test-only: walks the view the CQL evaluator reads (tests/annidx_spec.lua).
**   c:_view("ids", attr, from, n)     -> the values at positions from .. from + n - 1
**   c:_view("lexicon", attr)          -> every value of the lexicon, by id
**   c:_view("postings", attr, value)  -> its positions (from 0), or nil if absent
**   c:_view("freq", attr, value)      -> its frequency
**   c:_view("regions", sattr)         -> { { start, end [, value] }, ... } (end excluded)
**   c:_view("region_at", sattr, pos)  -> the region's number (from 0), or false
** A name the corpus lacks raises; damage returns nil, message, errno.
*/
static int corpus_view(lua_State *L) {
  lx_corpus *c = check_corpus(L);
  static const char *const ops[] = { "ids", "lexicon", "postings", "freq", "regions", "region_at", NULL };
  int op = luaL_checkoption(L, 2, NULL, ops);
  const char *name = luaL_checkstring(L, 3);
  lx_cview *v = push_view(L, c);
  void *x = v->ctx;
  int has_values = 0, a = op <= 3 ? v->pattr(x, name) : v->sattr(x, name, &has_values);
  if (a < 0) return luaL_error(L, "_view: no attribute %s", name);
  if (op == 0) {
    lua_Integer from = luaL_checkinteger(L, 4), n = luaL_checkinteger(L, 5);
    luaL_argcheck(L, from >= 0 && n >= 0 && n < 1 << 20, 4, "bad range");
    uint32_t *ids = lua_newuserdatauv(L, (size_t)n * 4 + 4, 0);
    if (v->ids(x, a, (uint64_t)from, (size_t)n, ids)) return view_fail(L, v);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 0; i < n; i++) {
      const char *s;
      size_t len;
      if (v->lexicon_str(x, a, ids[i], &s, &len)) return view_fail(L, v);
      lua_pushlstring(L, s, len);
      lua_rawseti(L, -2, i + 1);
    }
    return 1;
  }
  if (op == 1) {
    uint32_t n = v->lexicon_size(x, a);
    lua_createtable(L, (int)n, 0);
    for (uint32_t i = 0; i < n; i++) {
      const char *s;
      size_t len;
      if (v->lexicon_str(x, a, i, &s, &len)) return view_fail(L, v);
      lua_pushlstring(L, s, len);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
  }
  if (op == 2 || op == 3) {
    size_t len;
    const char *s = luaL_checklstring(L, 4, &len);
    uint32_t id;
    int found;
    if (v->lexicon_find(x, a, s, len, &id, &found)) return view_fail(L, v);
    if (op == 3) {
      uint64_t f = 0;
      if (found && v->frequency(x, a, id, &f)) return view_fail(L, v);
      lua_pushinteger(L, (lua_Integer)f);
      return 1;
    }
    if (!found) { lua_pushnil(L); return 1; }
    lua_newtable(L);
    if (v->postings(x, a, id, push_position, L)) return view_fail(L, v);
    return 1;
  }
  if (op == 4) {
    uint64_t n = v->region_count(x, a);
    lua_createtable(L, n < 1 << 20 ? (int)n : 0, 0);
    for (uint64_t i = 0; i < n; i++) {
      uint64_t st, en;
      if (v->region(x, a, i, &st, &en)) return view_fail(L, v);
      lua_createtable(L, 3, 0);
      lua_pushinteger(L, (lua_Integer)st);
      lua_rawseti(L, -2, 1);
      lua_pushinteger(L, (lua_Integer)en);
      lua_rawseti(L, -2, 2);
      if (has_values) {
        const char *s;
        size_t len;
        if (v->region_value(x, a, i, &s, &len)) return view_fail(L, v);
        lua_pushlstring(L, s, len);
        lua_rawseti(L, -2, 3);
      }
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
  }
  lua_Integer pos = luaL_checkinteger(L, 4);
  uint64_t i;
  if (v->region_at(x, a, pos < 0 ? UINT64_MAX : (uint64_t)pos, &i)) return view_fail(L, v);
  if (i == UINT64_MAX) lua_pushboolean(L, 0);
  else lua_pushinteger(L, (lua_Integer)i);
  return 1;
}

static const luaL_Reg builder_methods[] = {
  { "add", builder_add }, { "addtext", builder_addtext }, { "setmeta", builder_setmeta }, { "addannotated", builder_addannotated }, { "reuse", builder_reuse },
  { "stats", builder_stats },
  { "finish", builder_finish }, { "close", builder_close }, { NULL, NULL }
};
static const luaL_Reg builder_meta[] = {
  { "__gc", builder_close }, { "__close", builder_close }, { NULL, NULL }
};
static const luaL_Reg corpus_methods[] = {
  { "save", corpus_save }, { "verify", corpus_verify }, { "docs", corpus_docs },
  { "types", corpus_types }, { "freq", corpus_freq }, { "_query", corpus_query },
  { "sentences", corpus_sentences }, { "_tokopts", corpus_tokopts },
  { "attributes", corpus_attributes }, { "texts", corpus_texts }, { "_view", corpus_view }, { "annotated", corpus_annotated },
  { "stored", corpus_stored }, { "_changed", corpus_changed }, { "text", corpus_text },
  { "close", corpus_close }, { NULL, NULL }
};
static const luaL_Reg corpus_meta[] = {
  { "__gc", corpus_gc }, { "__close", corpus_close }, { "__len", corpus_len },
  { "__tostring", corpus_tostring }, { NULL, NULL }
};

static void createmeta(lua_State *L, const char *name, const luaL_Reg *meta,
                       const luaL_Reg *methods, const char *field) {
  luaL_newmetatable(L, name);
  luaL_setfuncs(L, meta, 0);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__index");
  lua_setfield(L, -3, field);         /* core.Corpus: lua/lexis/corpus.lua adds methods */
  lua_pop(L, 1);
}

void lexis_open_corpus(lua_State *L) {
  luaL_newmetatable(L, VIEW);
  lua_pushcfunction(L, view_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  createmeta(L, BUILDER, builder_meta, builder_methods, "Builder");
  createmeta(L, CORPUS, corpus_meta, corpus_methods, "Corpus");
  lua_pushcfunction(L, builder_new);
  lua_setfield(L, -2, "builder");
  lua_pushcfunction(L, corpus_open);
  lua_setfield(L, -2, "open");
  lua_pushcfunction(L, shards_query);
  lua_setfield(L, -2, "shards_query");
  lua_pushcfunction(L, shards_check);
  lua_setfield(L, -2, "shards_check");
  lua_pushcfunction(L, index_sections);
  lua_setfield(L, -2, "_index_sections");
  lua_pushcfunction(L, index_write);
  lua_setfield(L, -2, "_index_write");
  lua_pushcfunction(L, index_sniff);
  lua_setfield(L, -2, "_index_sniff");
}
