/*
** The CQL evaluator (src/cqlrun.h) for lua/lexis/cql.lua and `lexis kwic
** --cql`: internal functions of lexis.core.
**   cql_view(path [, {p=, s=, format=}]) -> view | nil, message, errno
**       a .vrt or .conllu file in memory (warnings go to standard error)
**   cql_index_view(corpus) -> view
**       an index made by lexis index (annotated or plain: word, s, text,
**       text_id), read in place; the view keeps the corpus open
**   cql_shards_view({ view, ... }, { name, ... }, anchor) -> view
**       the views (of indexes) as one corpus, in order (lx_cqlshards_open):
**       positions and regions numbered across them; anchor (the lexis.Shards
**       object) stands for the corpus, so results of two views of one set of
**       shards combine (union, ...). Shards whose attributes differ are
**       nil, message
**   view:info() -> { tokens=, pattrs={...}, sattrs={...} }
**   view:close()
**   cql_keys(spec [, sort]) -> true | nil, message (the keys of result:sort/count parse)
**   cql_run(view, query [, {max_hits=}]) -> result | nil, message
**   result:union(other), result:intersect(other), result:difference(other) -> result (cqp's
**       join, inter, diff; other from the same view)
**   result:collocates(attr, left, right, by, min, top) -> rows, hits, window, tokens (cqlcoll.c)
**   result:n(), result:keep(n) (the first n only), result:sample(n, seed) (a random n, in order), result:hits() -> { {start=, ["end"]=, target=, keyword=, labels={a=}}, ... }
**       positions from 0, end exclusive
**   result:write(file, { format=, header=, left=, right=, doc=, show={...}, title=, doc_attr= }) -> true | nil, message
**   result:sort(keys [, limit]) -> true | nil, message
**       sorts the hits by keys ("lemma%c@matchend[1],-R2"), keeping the first limit
**   result:count(keys) -> counts | nil, message
**       the breakdown by keys ("lemma", "pos@matchend,lemma@match")
**   counts:merge(other) adds other's rows (the same keys, another file)
**   counts:n(), counts:hits(), counts:rows([limit]) -> { {key1, key2, ..., freq=}, ... }
**   counts:write(file, { format=, header=, limit=, title= }) -> true | nil, message, errno
** A malformed query is the user's text, not a misuse: nil and the message.
*/
#include "bind.h"
#include "../corpus.h"
#include "../collocates.h"
#include "../alloc.h"
#include "../cqlrun.h"
#include "../encode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW "lexis.CqlView"
#define RESULT "lexis.CqlResult"
#define COUNTS "lexis.CqlCounts"

/* A .vrt or .conllu file in memory (m), an index's view (iv; the corpus
** is the box's user value, kept alive with it), or a set of shards (sh;
** user value 1 the anchor, 2 the table of the shards' views). */
typedef struct vbox {
  lx_cqlmem *m;
  lx_cview iv;
  int index;
  lx_cqlshards *sh;
} vbox;

static const lx_cview *box_view(const vbox *b) {
  return b->sh ? lx_cqlshards_view(b->sh) : b->index ? &b->iv : lx_cqlmem_view(b->m);
}

static int box_open(const vbox *b) { return b && (b->m || b->index || b->sh); }

typedef struct rbox {
  lx_cql_result r;
  int live;
} rbox;

static vbox *check_view(lua_State *L, int arg) {
  vbox *b = luaL_checkudata(L, arg, VIEW);
  if (!box_open(b)) luaL_argerror(L, arg, "the view is closed");
  return b;
}

static int view_close(lua_State *L) {
  vbox *b = luaL_checkudata(L, 1, VIEW);
  lx_cqlmem_close(b->m);
  b->m = NULL;
  if (b->index) lx_corpus_view_free(&b->iv);
  b->index = 0;
  lx_cqlshards_close(b->sh);
  b->sh = NULL;
  return 0;
}

static void warn_stderr(void *arg, const char *msg) {
  (void)arg;
  fprintf(stderr, "lexis: warning: %s\n", msg);
}

static size_t string_list(lua_State *L, int t, const char *field, const char **out, size_t max) {
  size_t n = 0;
  lua_getfield(L, t, field);
  if (lua_istable(L, -1)) {
    for (lua_Integer i = 1; n < max; i++) {
      lua_rawgeti(L, -1, i);
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        break;
      }
      out[n++] = luaL_checkstring(L, -1);
      lua_pop(L, 1);             /* the string stays in the table */
    }
  }
  lua_pop(L, 1);
  return n;
}

static int l_cql_view(lua_State *L) {
  const char *path = lexis_checkpath(L, 1);
  lx_vrt_opts o = { 0 };
  const char *p[LX_VRT_MAX_COLUMNS], *s[LX_VRT_MAX_STRUCTS];
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    static const char *const formats[] = { "auto", "vrt", "conllu", NULL };
    lua_getfield(L, 2, "format");
    o.format = luaL_checkoption(L, -1, "auto", formats);
    lua_pop(L, 1);
    o.pattrs = p;
    o.npattrs = string_list(L, 2, "p", p, LX_VRT_MAX_COLUMNS - 1);
    o.sattrs = s;
    o.nsattrs = string_list(L, 2, "s", s, LX_VRT_MAX_STRUCTS);
  }
  vbox *b = lua_newuserdatauv(L, sizeof *b, 1);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, VIEW);
  char err[1024];
  int rc = lx_cqlmem_open(&b->m, path, &o, warn_stderr, NULL, err, sizeof err);
  if (rc == LX_INPUT_SKIPPED) {
    lexis_input_skipped(L, err);
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  if (rc == EINVAL) return lexis_misuse(L, "cql_view: %s", err);
  if (rc) return lexis_result(L, rc, path, err);
  return 1;
}

static int l_cql_index_view(lua_State *L) {
  lx_corpus *c = lexis_check_corpus(L, 1);
  vbox *b = lua_newuserdatauv(L, sizeof *b, 1);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, VIEW);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);          /* the corpus lives as long as its view */
  if (lx_corpus_view(c, &b->iv)) return lexis_nomem(L);
  b->index = 1;
  return 1;
}

static int l_cql_shards_view(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checkany(L, 3);
  lua_Integer n = luaL_len(L, 1);
  luaL_argcheck(L, n >= 1 && n <= 100000, 1, "a list of views expected");
  luaL_argcheck(L, luaL_len(L, 2) == n, 2, "a name for each view expected");
  vbox *b = lua_newuserdatauv(L, sizeof *b, 2);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, VIEW);
  lua_pushvalue(L, 3);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 2);          /* the shards live as long as the set */
  /* the lists, freed if a check raises: both holders made before either is filled */
  lexis_holder *h = lexis_holder_new(L, free), *hn = lexis_holder_new(L, free);
  const lx_cview **parts = h->p = lx_calloc((size_t)n, sizeof *parts);
  const char **names = hn->p = lx_calloc((size_t)n, sizeof *names);
  if (!parts || !names) return lexis_nomem(L);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 1, i);
    vbox *part = luaL_testudata(L, -1, VIEW);
    if (!box_open(part)) luaL_argerror(L, 1, "an open view expected in each place");
    parts[i - 1] = box_view(part);
    lua_pop(L, 1);                     /* the table keeps it */
    if (lua_rawgeti(L, 2, i) != LUA_TSTRING) luaL_argerror(L, 2, "a string for each name expected");
    names[i - 1] = lua_tostring(L, -1);   /* a string the table keeps (a number made one would not be) */
    lua_pop(L, 1);
  }
  char err[1024];
  int rc = lx_cqlshards_open(&b->sh, parts, names, (size_t)n, err, sizeof err);
  if (rc == ENOMEM) return lexis_nomem(L);
  if (rc) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    lua_pushinteger(L, rc);
    return 3;
  }
  lua_pop(L, 2);                       /* the holders */
  return 1;
}

static int view_info(lua_State *L) {
  vbox *b = check_view(L, 1);
  const lx_cview *v = box_view(b);
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)v->ntokens);
  lua_setfield(L, -2, "tokens");
  if (b->m) {
    lua_pushstring(L, lx_cqlmem_path(b->m));
    lua_setfield(L, -2, "path");
  }
  size_t n = v->npattrs(v->ctx);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, v->pattr_name(v->ctx, (int)i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "pattrs");
  n = v->nsattrs(v->ctx);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, v->sattr_name(v->ctx, (int)i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "sattrs");
  return 1;
}

static int result_gc(lua_State *L) {
  rbox *b = luaL_checkudata(L, 1, RESULT);
  if (b->live) lx_cql_result_free(&b->r);
  b->live = 0;
  return 0;
}

static int l_cql_run(lua_State *L) {
  check_view(L, 1);
  size_t n;
  const char *q = luaL_checklstring(L, 2, &n);
  lx_cql_opts o = { 0 };
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    double mh = lexis_optnum(L, 3, "max_hits", 0);
    if (mh < 0) luaL_argerror(L, 3, "max_hits must be a positive number");
    o.max_hits = (size_t)mh;
  }
  rbox *b = lua_newuserdatauv(L, sizeof *b, 1);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, RESULT);
  lua_pushvalue(L, 1);               /* the result keeps its view alive */
  lua_setiuservalue(L, -2, 1);
  vbox *vb = lua_touserdata(L, 1);
  char err[1024];
  b->live = 1;
  if (lx_cql_run(box_view(vb), q, n, &o, &b->r, err, sizeof err) != 0) {
    if (strcmp(err, "cql: out of memory") == 0) return lexis_nomem(L);
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  return 1;
}

static rbox *check_result(lua_State *L) {
  rbox *b = luaL_checkudata(L, 1, RESULT);
  if (!b->live) luaL_argerror(L, 1, "the result is freed");
  return b;
}

static int result_n(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)check_result(L)->r.n);
  return 1;
}

/* Keeps the first n hits. */
static int result_keep(lua_State *L) {
  rbox *b = check_result(L);
  lua_Integer n = luaL_checkinteger(L, 2);
  if (n < 0) luaL_argerror(L, 2, "a count of hits is not negative");
  if ((size_t)n < b->r.n) b->r.n = (size_t)n;
  return 0;
}

/* Keeps a random n of the hits (kwic --sample), in their order. */
static int result_sample(lua_State *L) {
  rbox *b = check_result(L);
  lua_Integer n = luaL_checkinteger(L, 2), seed = luaL_optinteger(L, 3, 1);
  if (n < 0) luaL_argerror(L, 2, "a count of hits is not negative");
  if (lx_cql_sample(&b->r, (size_t)n, (uint64_t)seed)) return lexis_nomem(L);
  return 0;
}

static void set_pos(lua_State *L, const char *k, int64_t v) {
  if (v < 0) return;
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, k);
}

static int result_hits(lua_State *L) {
  rbox *b = check_result(L);
  const lx_cql_result *r = &b->r;
  lua_createtable(L, (int)(r->n < INT32_MAX ? r->n : INT32_MAX), 0);
  for (size_t i = 0; i < r->n; i++) {
    const lx_cql_hit *h = &r->hits[i];
    lua_createtable(L, 0, 5);
    set_pos(L, "start", (int64_t)h->start);
    set_pos(L, "end", (int64_t)h->end);
    set_pos(L, "target", h->target);
    set_pos(L, "keyword", h->keyword);
    if (r->nlabels) {
      lua_createtable(L, 0, (int)r->nlabels);
      for (size_t k = 0; k < r->nlabels; k++) set_pos(L, r->label_names[k], r->labels[i * r->nlabels + k]);
      lua_setfield(L, -2, "labels");
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int result_write(lua_State *L) {
  rbox *b = check_result(L);
  FILE *f = lexis_checkstream(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lx_cql_write_opts o = { 0 };
  lua_getfield(L, 3, "format");
  size_t fl;
  const char *fmt = luaL_optlstring(L, -1, "text", &fl);
  o.format = lx_fmt_by_name(fmt, fl);
  if (o.format < 0) return lexis_misuse(L, "cql write: unknown format %s", fmt);
  lua_pop(L, 1);
  o.header = lexis_optbool(L, 3, "header", 1);
  o.left = (size_t)lexis_optnum(L, 3, "left", 5);
  o.right = (size_t)lexis_optnum(L, 3, "right", 5);
  lua_getfield(L, 3, "doc");
  o.doc = luaL_optstring(L, -1, "");
  lua_getfield(L, 3, "title");
  o.title = luaL_optstring(L, -1, NULL);
  lua_getfield(L, 3, "doc_attr");
  o.doc_attr = luaL_optstring(L, -1, NULL);
  const char *show[64];
  o.show = show;
  o.nshow = string_list(L, 3, "show", show, 64);
  lua_getiuservalue(L, 1, 1);
  vbox *vb = lua_touserdata(L, -1);
  if (!box_open(vb)) return lexis_misuse(L, "cql write: the view is closed");
  char err[512];
  int rc = lx_cql_write(f, box_view(vb), &b->r, &o, err, sizeof err);
  if (rc == EINVAL) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  if (rc) return lexis_result(L, rc, NULL, err);
  lua_pushboolean(L, 1);
  return 1;
}


/* ------------------------------------------------- sorting and breakdowns */

/* The view a result was made over (its user value). */
static const lx_cview *result_view(lua_State *L) {
  lua_getiuservalue(L, 1, 1);
  vbox *vb = lua_touserdata(L, -1);
  lua_pop(L, 1);                   /* the result keeps it alive */
  if (!box_open(vb)) lexis_misuse(L, "cql: the view is closed");
  return box_view(vb);
}

/* cql_keys(spec [, sort]) -> true | nil, message: spec's keys parse (the
** attributes are looked up when a view is at hand). */
static int l_cql_keys(lua_State *L) {
  const char *spec = luaL_checkstring(L, 1);
  lx_cql_key keys[LX_CQL_MAX_KEYS];
  size_t n;
  char err[512];
  if (lx_cql_keys_parse(spec, lua_toboolean(L, 2), keys, &n, err, sizeof err)) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* Keys of spec parsed and resolved against v; 0, or nil and the message pushed. */
static int keys_of(lua_State *L, const lx_cview *v, const char *spec, int sort, lx_cql_key *keys, size_t *n) {
  char err[512];
  if (lx_cql_keys_parse(spec, sort, keys, n, err, sizeof err) || lx_cql_keys_resolve(v, keys, *n, err, sizeof err)) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return -1;
  }
  return 0;
}

static int result_sort(lua_State *L) {
  rbox *b = check_result(L);
  const char *spec = luaL_checkstring(L, 2);
  lua_Integer limit = luaL_optinteger(L, 3, 0);
  if (limit < 0) luaL_argerror(L, 3, "a count of hits is not negative");
  const lx_cview *v = result_view(L);
  lx_cql_key keys[LX_CQL_MAX_KEYS];
  size_t n;
  if (keys_of(L, v, spec, 1, keys, &n)) return 2;
  char err[512];
  if (lx_cql_sort(v, &b->r, keys, n, (size_t)limit, err, sizeof err) != 0) {
    if (strcmp(err, "cql: out of memory") == 0) return lexis_nomem(L);
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

typedef struct cbox {
  lx_cql_counts c;
  lx_cql_key keys[LX_CQL_MAX_KEYS];
  int live;
} cbox;

static int counts_gc(lua_State *L) {
  cbox *b = luaL_checkudata(L, 1, COUNTS);
  if (b->live) lx_cql_counts_free(&b->c);
  b->live = 0;
  return 0;
}

static cbox *check_counts(lua_State *L) {
  cbox *b = luaL_checkudata(L, 1, COUNTS);
  if (!b->live) luaL_argerror(L, 1, "the counts are freed");
  return b;
}

static int result_count(lua_State *L) {
  rbox *rb = check_result(L);
  const char *spec = luaL_checkstring(L, 2);
  const lx_cview *v = result_view(L);
  cbox *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, COUNTS);
  size_t n;
  if (keys_of(L, v, spec, 0, b->keys, &n)) return 2;
  char err[512];
  b->live = 1;
  if (lx_cql_count(v, &rb->r, b->keys, n, &b->c, err, sizeof err) != 0) {
    b->live = 0;
    if (strcmp(err, "cql: out of memory") == 0) return lexis_nomem(L);
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  return 1;
}

static int counts_n(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)check_counts(L)->c.n);
  return 1;
}

static int counts_hits(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)check_counts(L)->c.hits);
  return 1;
}

static int counts_rows(lua_State *L) {
  const lx_cql_counts *c = &check_counts(L)->c;
  lua_Integer limit = luaL_optinteger(L, 2, 0);
  size_t n = limit > 0 && (size_t)limit < c->n ? (size_t)limit : c->n;
  lua_createtable(L, (int)(n < INT32_MAX ? n : INT32_MAX), 0);
  for (size_t i = 0; i < n; i++) {
    lua_createtable(L, (int)c->nkeys, 1);
    for (size_t k = 0; k < c->nkeys; k++) {
      const size_t *cell = &c->cell[2 * (i * c->nkeys + k)];
      lua_pushlstring(L, c->text ? c->text + cell[0] : "", cell[1]);
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_pushinteger(L, (lua_Integer)c->freq[i]);
    lua_setfield(L, -2, "freq");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* Adds other's rows (another file's breakdown by the same keys). */
static int counts_merge(lua_State *L) {
  cbox *b = check_counts(L);
  cbox *o = luaL_checkudata(L, 2, COUNTS);
  if (!o->live) luaL_argerror(L, 2, "the counts are freed");
  if (o->c.nkeys != b->c.nkeys) luaL_argerror(L, 2, "counts by other keys");
  if (lx_cql_counts_merge(&b->c, &o->c)) return lexis_nomem(L);
  return 0;
}

static int counts_write(lua_State *L) {
  cbox *b = check_counts(L);
  FILE *f = lexis_checkstream(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_getfield(L, 3, "format");
  size_t fl;
  const char *fmt = luaL_optlstring(L, -1, "text", &fl);
  int format = lx_fmt_by_name(fmt, fl);
  if (format < 0) return lexis_misuse(L, "cql counts write: unknown format %s", fmt);
  double limit = lexis_optnum(L, 3, "limit", 0);
  if (limit < 0) luaL_argerror(L, 3, "limit must not be negative");
  lua_getfield(L, 3, "title");
  const char *title = luaL_optstring(L, -1, NULL);
  int rc = lx_cql_counts_write(f, &b->c, b->keys, (size_t)limit, format, lexis_optbool(L, 3, "header", 1), title);
  if (rc == ENOMEM) return lexis_nomem(L);
  if (rc) return lexis_result(L, rc, NULL, strerror(rc));
  lua_pushboolean(L, 1);
  return 1;
}

/* r:union(o), r:intersect(o), r:difference(o) -> a new result (cqp's join,
** inter, diff), of r's corpus: o must come from the same view. */
static int result_setop(lua_State *L, int op) {
  rbox *a = check_result(L);
  rbox *b = luaL_checkudata(L, 2, RESULT);
  if (!b->live) luaL_argerror(L, 2, "the result is freed");
  lua_getiuservalue(L, 1, 1);
  lua_getiuservalue(L, 2, 1);
  int same = lua_rawequal(L, -1, -2);
  if (!same) {                       /* two views of one index (c:query makes one a call) */
    lua_getiuservalue(L, -2, 1);
    lua_getiuservalue(L, -2, 1);
    same = !lua_isnil(L, -1) && lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
  }
  if (!same) luaL_argerror(L, 2, "a result of another corpus");
  lua_pop(L, 1);                     /* a's view stays below, for the new result */
  rbox *c = lua_newuserdatauv(L, sizeof *c, 1);
  memset(c, 0, sizeof *c);
  luaL_setmetatable(L, RESULT);
  lua_pushvalue(L, -2);
  lua_setiuservalue(L, -2, 1);
  if (lx_cql_setop(&a->r, &b->r, op, &c->r) != 0) return lexis_nomem(L);
  c->live = 1;
  return 1;
}
/* r:collocates(attr, left, right, by, min, top) -> rows, hits, window,
** tokens: collocates of the hits over attribute attr (lx_cql_collocates). */
static int result_collocates(lua_State *L) {
  rbox *b = check_result(L);
  const char *attr = luaL_checkstring(L, 2);
  lua_Integer left = luaL_checkinteger(L, 3), right = luaL_checkinteger(L, 4);
  luaL_argcheck(L, left >= 0 && left <= LX_SPAN_MAX, 3, "span must be 0 to 100");
  luaL_argcheck(L, right >= 0 && right <= LX_SPAN_MAX, 4, "span must be 0 to 100");
  int by = luaL_checkoption(L, 5, "logdice", lx_by_names);
  lua_Integer min = luaL_optinteger(L, 6, 1), top = luaL_optinteger(L, 7, 0);
  luaL_argcheck(L, top >= 0, 7, "must not be negative");
  lua_getiuservalue(L, 1, 1);
  vbox *vb = lua_touserdata(L, -1);
  const lx_cview *v = box_view(vb);
  lexis_holder *h = lexis_holder_new(L, free);   /* made first: the rows are freed if a push raises */
  lx_cql_colls c;
  char err[512];
  int rc = lx_cql_collocates(v, &b->r, attr, (int)left, (int)right, by, (uint64_t)(min < 1 ? 1 : min),
                             (size_t)top, &c, err, sizeof err);
  if (rc == ENOMEM) return lexis_nomem(L);
  if (rc) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  h->p = c.rows;
  int a = v->pattr(v->ctx, attr);            /* (found: the count ran) */
  lua_createtable(L, (int)c.n, 0);
  for (size_t k = 0; k < c.n; k++) {
    const char *w = "";
    size_t len = 0;
    v->lexicon_str(v->ctx, a, c.rows[k].id, &w, &len);
    lexis_push_collocate(L, &c.rows[k], w, len);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lexis_holder_release(h);
  lua_pushinteger(L, (lua_Integer)c.hits);
  lua_pushinteger(L, (lua_Integer)c.window);
  lua_pushinteger(L, (lua_Integer)c.tokens);
  return 4;
}

static int result_union(lua_State *L) { return result_setop(L, LX_CQL_UNION); }
static int result_intersect(lua_State *L) { return result_setop(L, LX_CQL_INTERSECT); }
static int result_difference(lua_State *L) { return result_setop(L, LX_CQL_DIFFERENCE); }

void lexis_open_cqlrun(lua_State *L) {
  static const luaL_Reg vmeta[] = { { "__gc", view_close }, { "__close", view_close }, { NULL, NULL } };
  static const luaL_Reg vmethods[] = { { "close", view_close }, { "info", view_info }, { NULL, NULL } };
  lexis_createmeta(L, VIEW, vmeta, vmethods);
  static const luaL_Reg rmeta[] = { { "__gc", result_gc }, { "__close", result_gc }, { NULL, NULL } };
  static const luaL_Reg rmethods[] = {
    { "n", result_n }, { "keep", result_keep }, { "sample", result_sample }, { "hits", result_hits }, { "write", result_write }, { "free", result_gc },
    { "sort", result_sort }, { "count", result_count }, { "union", result_union },
    { "intersect", result_intersect }, { "difference", result_difference },
    { "collocates", result_collocates }, { NULL, NULL }
  };
  lexis_createmeta(L, RESULT, rmeta, rmethods);
  static const luaL_Reg cmeta[] = { { "__gc", counts_gc }, { "__close", counts_gc }, { NULL, NULL } };
  static const luaL_Reg cmethods[] = {
    { "n", counts_n }, { "hits", counts_hits }, { "merge", counts_merge }, { "rows", counts_rows }, { "write", counts_write },
    { "free", counts_gc }, { NULL, NULL }
  };
  lexis_createmeta(L, COUNTS, cmeta, cmethods);
  static const luaL_Reg fns[] = {
    { "cql_view", l_cql_view }, { "cql_index_view", l_cql_index_view },
    { "cql_shards_view", l_cql_shards_view }, { "cql_run", l_cql_run }, { "cql_keys", l_cql_keys }, { NULL, NULL }
  };
  luaL_setfuncs(L, fns, 0);
}
