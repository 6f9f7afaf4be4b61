/*
** The n-gram counter (src/ngrams.h) in lexis.core:
**   ngrams(n, opts)                  -> a lexis.NGrams counter:
**     g:add(text) g:addfile(path [, threads [, progress]])  read more (nil, "path: reason", errno)
**     g:top([limit [, min]])        -> { {ngram=, count=, range=}, ... }
**     g:write(file [, opts])        formats text tsv csv json partial, in C
**     g:total() g:tokens() g:docs() #g   g:close() (also __gc, __close)
** progress: a function called with the bytes of the file done, a few
** times a second (src/bind/progress_bind.h).
*/
#include <errno.h>
#include <stdlib.h>

#include "bind.h"
#include "wreader.h"

#define NGRAMS "lexis.NGrams"

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
** whole texts), contains (a word), at (its 1-based place), edges (look at
** how each text begins and ends: a piece of a document, for write's doc),
** _keys (the sort buffer's size, for tests). The splitter is the user value, so it
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
  lexis_check_tokopts(L, 2, &o, LX_KINDS_WORDS);
  const lx_splitter *sp = lexis_opts_splitter(L, 2);
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
  if (!(b->r = lx_wreader_new(&o, sp, err, sizeof err))) return lexis_core_misuse(L, err);
  /* contains: a query of one position (query.h). A plain word that the
  ** reader's own case rule decides is counted alone (only n-grams holding
  ** it); a pattern, or a word matched case-folded over words that keep
  ** case, filters the list instead. */
  uint32_t contains = LX_NOID;
  lexis_holder *hq = NULL;
  if (lua_getfield(L, 2, "contains") != LUA_TNIL) {
    size_t len;
    const char *w = luaL_checklstring(L, -1, &len);
    int keep_case = lexis_opt_case(L, 2);
    char qerr[256];
    hq = lexis_holder_new(L, release_query);
    lx_query *q = hq->p = lx_query_parse(w, len, keep_case ? LX_Q_CASE : 0, qerr, sizeof qerr);
    if (!q && lexis_is_nomem(qerr)) return lexis_nomem(L);
    if (!q) return luaL_error(L, "'contains': %s", qerr);
    if (q->n != 1) return luaL_error(L, "'contains' must be one word or pattern, got '%s'", w);
    if (q->pos[0].kind == LX_PAT_LITERAL && (keep_case || o.casing != LX_CASE_KEEP)) {
      contains = lx_wreader_word(b->r, w, len);
      if (contains == LX_NOID) return luaL_error(L, "'contains' must be one word, got '%s'", w);
      lexis_holder_release(hq);
    }
    lua_remove(L, -2);              /* the string; the holder stays until the counter has q */
  } else {
    lua_pop(L, 1);
  }
  if (!(b->g = lx_ngrams_new(b->r, (int)n, contains, (int)at - 1))) return lexis_nomem(L);
  if (hq) {
    lx_query *q = hq->p;
    hq->p = NULL;                   /* the counter owns it now */
    lua_pop(L, 1);
    if (q && lx_ngrams_filter(b->g, q, (int)at - 1)) return lexis_nomem(L);
  }
  if (lua_getfield(L, 2, "_keys") != LUA_TNIL) {
    lua_Integer keys = luaL_checkinteger(L, -1);
    luaL_argcheck(L, keys >= 1, 2, "'_keys' must be positive");
    lx_ngrams_buffer(b->g, (size_t)keys);
  }
  lua_pop(L, 1);
  lx_wreader_edges(b->r, lexis_optbool(L, 2, "edges", 0));
  lx_wsink sink = lx_ngrams_sink(b->g);
  lx_wreader_sink(b->r, &sink);
  return 1;
}


/* g:add(text) -> g: one more text (a document for range). */
static int ngrams_add(lua_State *L) {
  ngrams_box *b = check_ngrams(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  char err[256];
  int rc = lx_wreader_buffer(b->r, s, len, err, sizeof err);
  return lexis_read_result(L, rc, err);
}

/* g:addfile(path [, threads [, progress]]) -> g, or nil, "path: reason", errno.
** threads: 0 (default) one per CPU for a large file, 1 none. */
static int ngrams_addfile(lua_State *L) {
  ngrams_box *b = check_ngrams(L, 1);
  const char *path = lexis_checkpath(L, 2);
  lua_Integer threads = luaL_optinteger(L, 3, 0);
  luaL_argcheck(L, threads >= 0, 3, "must not be negative");
  char err[512];
  int rc = lexis_read_file(L, b->r, b->g, (int)threads, path, 4, err, sizeof err);
  return lexis_read_result(L, rc, err);
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
  lexis_holder *h = lexis_holder_new(L, free);
  size_t *idx = h->p = lx_ngrams_sorted(b->g, (uint64_t)(min < 1 ? 1 : min), (size_t)limit, &n);
  if (n == LX_OOM && lx_ngrams_error(b->g)) return lexis_result(L, EINVAL, NULL, lx_ngrams_error(b->g));
  if (n == LX_OOM) return lexis_nomem(L);
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
  lexis_holder_release(h);
  return 1;
}

/* g:write(file [, {format=, min=, limit=, header=, doc=, piece=}]) -> true | nil, msg, errno
** doc (format "partial"): the text read is a piece of that document, read
** from the file named piece. */
static int ngrams_write(lua_State *L) {
  /* every table format of encode.h, then "partial" (LX_NG_PARTIAL) */
  static const char *formats[LX_FMT_COUNT + 2];
  if (!formats[0]) {
    for (int i = 0; i < LX_FMT_COUNT; i++) formats[i] = lx_fmt_names[i];
    formats[LX_NG_PARTIAL] = "partial";
  }
  ngrams_box *b = check_ngrams(L, 1);
  FILE *f = lexis_checkstream(L, 2);
  int format = LX_NG_TEXT, header = 1;
  lua_Integer min = 1, limit = 0;
  const char *doc = NULL, *piece = NULL;
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_getfield(L, 3, "format");
    format = luaL_checkoption(L, -1, "text", formats);
    lua_getfield(L, 3, "min");
    min = luaL_optinteger(L, -1, 1);
    lua_getfield(L, 3, "limit");
    limit = luaL_optinteger(L, -1, 0);
    if (lua_getfield(L, 3, "header") != LUA_TNIL) header = lua_toboolean(L, -1);
    if (lua_getfield(L, 3, "doc") != LUA_TNIL) {
      luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING, 3, "'doc' must be a string");
      doc = lua_tostring(L, -1);         /* the options table keeps it */
    }
    if (lua_getfield(L, 3, "piece") != LUA_TNIL) {
      luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING, 3, "'piece' must be a string");
      piece = lua_tostring(L, -1);
    }
    lua_pop(L, 6);
  }
  luaL_argcheck(L, limit >= 0, 3, "limit must not be negative");
  luaL_argcheck(L, !doc || format == LX_NG_PARTIAL, 3, "'doc' goes with format 'partial'");
  int rc = doc ? lx_ngrams_write_partial(b->g, f, doc, piece ? piece : "-")
               : lx_ngrams_write(b->g, f, format, (uint64_t)(min < 1 ? 1 : min), (size_t)limit, header);
  if (rc == EINVAL && lx_ngrams_error(b->g)) return lexis_result(L, EINVAL, NULL, lx_ngrams_error(b->g));
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
  if (lx_ngrams_settle(b->g)) return lexis_nomem(L);
  lua_pushinteger(L, (lua_Integer)lx_ngrams_types(b->g));
  return 1;
}

static int ngrams_tostring(lua_State *L) {
  ngrams_box *b = luaL_checkudata(L, 1, NGRAMS);
  if (!b->g) lua_pushliteral(L, NGRAMS " (closed)");
  else if (lx_ngrams_settle(b->g)) return lexis_nomem(L);
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

void lexis_open_ngrams(lua_State *L) {
  lexis_createmeta(L, NGRAMS, ngrams_meta, ngrams_methods);
  lua_pushcfunction(L, ngrams_new);
  lua_setfield(L, -2, "ngrams");
}
