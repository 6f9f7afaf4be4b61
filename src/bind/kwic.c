/*
** The binding of kwic.c: the "lexis.Concordance" userdata. lua/lexis/kwic.lua
** composes these primitives into lexis.kwic and the concordance methods.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "../kwic.h"
#include "../progress.h"
#include "kwic_bind.h"
#include "progress_bind.h"

#define CONC "lexis.Concordance"

typedef struct cbox { lx_conc *c; } cbox;

/* The splitter argument arg, if any, anchored in the concordance that uses
** it, so it lives as long. */
const lx_splitter *lexis_opt_splitter(lua_State *L, int conc, int arg) {
  if (lua_isnoneornil(L, arg)) return NULL;
  const lx_splitter *sp = lexis_check_splitter(L, arg);
  lexis_conc_anchor(L, conc, arg);
  return sp;
}

lx_conc *lexis_check_conc(lua_State *L, int arg) {
  cbox *b = luaL_checkudata(L, arg, CONC);
  luaL_argcheck(L, b->c != NULL, arg, "concordance is closed");
  return b->c;
}

/*
** Creates a closed concordance, then gives it its C object: if lua_newuserdatauv
** raised after the malloc, the memory would be lost. The user value is a table
** of anchors: Lua strings and corpora the C side points into.
*/
lx_conc **lexis_new_conc(lua_State *L, unsigned left, unsigned right) {
  cbox *b = lua_newuserdatauv(L, sizeof *b, 1);
  b->c = NULL;
  luaL_setmetatable(L, CONC);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 1);
  b->c = lx_conc_new(left, right);
  if (!b->c) lexis_nomem(L);
  return &b->c;
}

void lexis_conc_anchor(lua_State *L, int conc, int value) {
  conc = lua_absindex(L, conc);
  value = lua_absindex(L, value);
  lua_getiuservalue(L, conc, 1);
  lua_pushvalue(L, value);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  lua_pop(L, 1);
}

static int conc_close(lua_State *L) {
  cbox *b = luaL_checkudata(L, 1, CONC);
  if (b->c) {
    lx_conc_free(b->c);
    b->c = NULL;
  }
  return 0;
}

/* _conc(left, right) -> an empty concordance keeping that token context */
static int conc_new(lua_State *L) {
  lua_Integer left = luaL_optinteger(L, 1, 5), right = luaL_optinteger(L, 2, 5);
  luaL_argcheck(L, left >= 0 && left <= 1000, 1, "context out of range");
  luaL_argcheck(L, right >= 0 && right <= 1000, 2, "context out of range");
  lexis_new_conc(L, (unsigned)left, (unsigned)right);
  return 1;
}

/* A concordance's trouble (c->err) met in a method: out of memory raises the
** memory error; anything else (a damaged index, a file changed or gone
** under it) is a failure, lexis_failure. */
static int conc_failure(lua_State *L, lx_conc *c) {
  if (strstr(c->err, "out of memory")) return lexis_nomem(L);
  return lexis_failure(L, strstr(c->err, "damaged") ? EBADMSG : errno ? errno : EIO, c->err);
}

/* c:_addfile(path) -> document number (1-based), or nil, "path: reason", binary?, errno */
static int conc_addfile(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  const char *path = lexis_checkpath(L, 2);
  errno = 0;
  int d = lx_conc_add_file(c, path);
  if (d < 0 && lexis_is_nomem(c->err)) return lexis_nomem(L);
  if (d < 0) {
    int e = errno;
    lua_pushnil(L);
    lua_pushstring(L, c->err);
    lua_pushboolean(L, d == -2);
    lua_pushinteger(L, e);
    return 4;
  }
  lua_pushinteger(L, d + 1);
  return 1;
}

/* c:_addtext(name, text) -> document number; the string is anchored */
static int conc_addtext(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  size_t nl, tl;
  const char *name = luaL_checklstring(L, 2, &nl);
  const char *text = luaL_checklstring(L, 3, &tl);
  lexis_conc_anchor(L, 1, 3);
  int d = lx_conc_add_doc(c, name, nl, text, tl);
  if (d < 0) return lexis_nomem(L);
  lua_pushinteger(L, d + 1);
  return 1;
}

/*
** c:_scan(query, case, regex, stop_after [, splitter [, progress [, count_only
** [, split_apostrophes [, no_dictionary]]]]]) -> hits, or
** nil, message for a bad query, or nil, "path: reason", errno for a file. The query and the tokenizer are C memory, so
** nothing between their making and freeing may raise. progress(bytes_done)
** is called a few times a second, within a document too.
*/
static int conc_scan(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  size_t qlen;
  const char *qs = luaL_checklstring(L, 2, &qlen);
  int flags = (lua_toboolean(L, 3) ? LX_Q_CASE : 0) | (lua_toboolean(L, 4) ? LX_Q_REGEX : 0) |
              (lua_toboolean(L, 10) ? LX_Q_NO_DICT : 0);
  lua_Integer stop = luaL_optinteger(L, 5, 0);
  c->sp = lexis_opt_splitter(L, 1, 6);
  c->split_early = c->sp != NULL;
  lexis_progress hook;
  lx_progress *p = lexis_opt_progress(L, 7, &hook);
  char err[256];
  lx_query *q = lx_query_parse(qs, qlen, flags, err, sizeof err);
  if (!q && lexis_is_nomem(err)) return lexis_nomem(L);
  if (!q) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  lx_tokopts to;
  memset(&to, 0, sizeof to);
  to.kinds = LX_KINDS_ALL & ~LX_KIND_BIT(LX_SPACE);
  to.casing = LX_CASE_FOLD;
  to.norm = LX_NORM_NFC;            /* so é matches e + U+0301 */
  to.split_apostrophes = lua_toboolean(L, 9);   /* Stalin’s: Stalin ’ s */
  to.no_dictionary = lua_toboolean(L, 10);      /* 東京: 東 京 */
  lx_tokenizer *t = lx_tok_new(&to, err, sizeof err);
  int rc = t ? 0 : -1;
  c->stop_after = stop > 0 ? (size_t)stop : 0;
  c->count_only = lua_toboolean(L, 8);
  c->counted = 0;
  c->progress = p;
  for (uint32_t d = 0; rc == 0 && d < c->ndocs; d++) {
    if (c->stop_after && c->n + c->counted >= c->stop_after) break;
    int ld = t ? lx_conc_load(c, d) : 0;
    if (ld < 0) { rc = -2; break; }   /* a file that cannot be read: nil, "path: reason" */
    if (ld > 0) { lexis_input_skipped(L, c->err); continue; }   /* binary */
    uint64_t before = c->n + c->dropped;
    rc = lx_conc_scan(c, d, q, t);
    if (c->n + c->dropped == before) lx_conc_unload(c, d);   /* no hit: the text is not needed again */
  }
  c->progress = NULL;                 /* p lives on this C stack */
  int notok = t == NULL;
  lx_tok_free(t);
  lx_query_free(q);
  lexis_progress_done(L, &hook);
  if (rc && notok) return lexis_core_misuse(L, err);
  if (rc && lexis_is_nomem(c->err)) return lexis_nomem(L);
  /* a file that cannot be read, a read error, Ctrl-C */
  if (rc) return lexis_result(L, errno ? errno : EIO, NULL, c->err);
  lua_pushinteger(L, (lua_Integer)(c->n + c->counted + c->dropped));
  return 1;
}
/*
** c:_invalid() -> { {doc = name, invalid = n, first = byte}, ... }: the
** scanned files that hold invalid UTF-8, for the warning when a query
** finds nothing (each is read again: only then is it worth it).
*/
static int conc_invalid(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  lua_newtable(L);
  lua_Integer k = 0;
  for (uint32_t d = 0; d < c->ndocs; d++) {
    uint64_t n, first;
    if (!c->docs[d].file) continue;
    if (lx_conc_invalid(c, d, &n, &first)) return conc_failure(L, c);
    if (!n) continue;
    lua_createtable(L, 0, 3);
    lua_pushstring(L, c->docs[d].name);
    lua_setfield(L, -2, "doc");
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "invalid");
    lua_pushinteger(L, (lua_Integer)first);
    lua_setfield(L, -2, "first");
    lua_rawseti(L, -2, ++k);
  }
  return 1;
}

static const char *const keynames[] = { "L3", "L2", "L1", "node", "R1", "R2", "R3", "doc", "position", NULL };

/* The sort keys at arguments 2 (key names) and 3 (reverse flags); their number. */
static size_t check_sort_keys(lua_State *L, int *keys, int *desc) {
  luaL_checktype(L, 2, LUA_TTABLE);
  size_t n = (size_t)lua_rawlen(L, 2);
  luaL_argcheck(L, n <= LX_KEYS_MAX, 2, "too many sort keys");
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, 2, (lua_Integer)i + 1);
    keys[i] = luaL_checkoption(L, -1, NULL, keynames);
    lua_pop(L, 1);
    lua_rawgeti(L, 3, (lua_Integer)i + 1);
    desc[i] = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  return n;
}

/* c:_sort({key names}, {reverse flags} [, limit]) */
static int conc_sort(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  int keys[LX_KEYS_MAX], desc[LX_KEYS_MAX];
  size_t n = check_sort_keys(L, keys, desc);
  lua_Integer limit = luaL_optinteger(L, 4, 0);
  if (lx_conc_sort(c, keys, desc, n, limit > 0 ? (size_t)limit : 0)) return conc_failure(L, c);
  lua_settop(L, 1);
  return 1;
}

/* c:_keepbest({key names}, {reverse flags}, limit): the next scan keeps only
** the hits that sort would keep (memory bounded by the limit) */
static int conc_keepbest(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  int keys[LX_KEYS_MAX], desc[LX_KEYS_MAX];
  size_t n = check_sort_keys(L, keys, desc);
  lua_Integer limit = luaL_checkinteger(L, 4);
  luaL_argcheck(L, limit > 0, 4, "limit must be positive");
  lx_conc_keep_best(c, keys, desc, n, (size_t)limit);
  lua_settop(L, 1);
  return 1;
}

/* c:_splitter(splitter): sentences for the hits that ask for them later */
static int conc_splitter(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  if (!c->sp) c->sp = lexis_opt_splitter(L, 1, 2);
  lua_settop(L, 1);
  return 1;
}

/* c:_sample(k, seed) */
static int conc_sample(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  lua_Integer k = luaL_checkinteger(L, 2);
  lua_Integer seed = luaL_optinteger(L, 3, 1);
  luaL_argcheck(L, k >= 0, 2, "negative sample size");
  if (lx_conc_sample(c, (size_t)k, (uint64_t)seed)) return conc_failure(L, c);
  lua_settop(L, 1);
  return 1;
}

/* c:_truncate(k) */
static int conc_truncate(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  lua_Integer k = luaL_checkinteger(L, 2);
  luaL_argcheck(L, k >= 0, 2, "negative limit");
  lx_conc_truncate(c, (size_t)k);
  lua_settop(L, 1);
  return 1;
}

/* c:_select(keep): keep[i] truthy keeps hit i */
static int conc_select(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  unsigned char *keep = lua_newuserdatauv(L, c->n + 1, 0);   /* collected, never leaked */
  for (size_t i = 0; i < c->n; i++) {
    lua_rawgeti(L, 2, (lua_Integer)i + 1);
    keep[i] = (unsigned char)lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  lx_conc_select(c, keep);
  lua_settop(L, 1);
  return 1;
}

/* Layout options from a table: format, chars, lwidth, rwidth, color, header, title. */
static void check_layout(lua_State *L, int arg, lx_kwic_opts *o) {
  memset(o, 0, sizeof *o);
  o->lwidth = o->rwidth = 40;
  if (lua_isnoneornil(L, arg)) return;
  luaL_checktype(L, arg, LUA_TTABLE);
  lua_getfield(L, arg, "format");
  o->format = luaL_checkoption(L, -1, "text", lx_fmt_names);
  lua_getfield(L, arg, "chars");
  o->chars = lua_toboolean(L, -1);
  lua_getfield(L, arg, "sentence");
  o->sentence = (int)luaL_optinteger(L, -1, 0);
  lua_getfield(L, arg, "lwidth");
  lua_Integer lw = luaL_optinteger(L, -1, 40);
  lua_getfield(L, arg, "rwidth");
  lua_Integer rw = luaL_optinteger(L, -1, 40);
  luaL_argcheck(L, lw >= 0 && lw <= 100000 && rw >= 0 && rw <= 100000, arg, "width out of range");
  o->lwidth = (unsigned)lw;
  o->rwidth = (unsigned)rw;
  lua_getfield(L, arg, "color");
  o->color = lua_toboolean(L, -1);
  lua_getfield(L, arg, "header");
  o->header = lua_isnil(L, -1) || lua_toboolean(L, -1);   /* column names unless header = false */
  lua_getfield(L, arg, "general");
  o->general = lua_toboolean(L, -1);  /* tests: the general layout path only */
  lua_getfield(L, arg, "title");
  o->title = lua_tostring(L, -1);     /* stays on the stack, so the pointer stays valid */
}

/* c:_write(file, layout) -> true, or nil, "what: reason", errno (a full
** disk, a document gone since the scan) */
static int conc_write(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  FILE *f = lexis_checkstream(L, 2);     /* a Lua file or a lexis.atomic_open file */
  lx_kwic_opts o;
  check_layout(L, 3, &o);
  errno = 0;
  if (lx_conc_write(c, f, &o)) {
    if (lexis_is_nomem(c->err)) return lexis_nomem(L);
    int e = errno;
    lua_pushnil(L);
    lua_pushstring(L, c->err);
    lua_pushinteger(L, e);
    return 3;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* c:_hit(i, layout) -> { doc, document, position, start, stop, left, node, right } */
static int conc_hit(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  lx_kwic_opts o;
  check_layout(L, 3, &o);
  if (i < 1 || (size_t)i > c->n) return 0;
  if (!(c->hits[i - 1].have & LX_HAVE_POS) && lx_conc_positions(c)) return conc_failure(L, c);
  const char *l, *n, *r;
  size_t ll, nl, rl;
  if (lx_conc_parts(c, (size_t)i - 1, &o, &l, &ll, &n, &nl, &r, &rl) || lx_conc_sentence(c, (size_t)i - 1, 0))
    return conc_failure(L, c);
  const lx_hit *h = &c->hits[i - 1];
  lua_createtable(L, 0, 8);
  lua_pushstring(L, c->docs[h->doc].name);
  lua_setfield(L, -2, "doc");
  lua_pushinteger(L, (lua_Integer)h->doc + 1);
  lua_setfield(L, -2, "docnum");
  lua_pushinteger(L, (lua_Integer)h->pos + 1);
  lua_setfield(L, -2, "position");
  lua_pushinteger(L, (lua_Integer)h->ntok);
  lua_setfield(L, -2, "length");
  lua_pushinteger(L, (lua_Integer)h->start + 1);
  lua_setfield(L, -2, "start");
  lua_pushinteger(L, (lua_Integer)h->end);
  lua_setfield(L, -2, "stop");
  lua_pushlstring(L, l, ll);
  lua_setfield(L, -2, "left");
  lua_pushlstring(L, n, nl);
  lua_setfield(L, -2, "node");
  lua_pushlstring(L, r, rl);
  lua_setfield(L, -2, "right");
  if (h->sent) {
    lua_pushinteger(L, (lua_Integer)h->sent);
    lua_setfield(L, -2, "sentence");
  }
  return 1;
}

/*
** c:_docs([all]) -> { doc = name, hits = n, docnum = i [, size = bytes] } per
** document with hits (all: every document, the ones with none too), in
** document order. size when the text is in memory (a scan), not for an index.
*/
static int conc_docs(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  int all = lua_toboolean(L, 2);
  lua_Integer *count = lua_newuserdatauv(L, (c->ndocs + 1) * sizeof *count, 0);
  memset(count, 0, (c->ndocs + 1) * sizeof *count);
  for (size_t i = 0; i < c->n; i++) count[c->hits[i].doc]++;
  lua_newtable(L);
  lua_Integer k = 0;
  for (uint32_t d = 0; d < c->ndocs; d++) {
    if (!count[d] && !all) continue;
    lua_createtable(L, 0, 4);
    lua_pushstring(L, c->docs[d].name);
    lua_setfield(L, -2, "doc");
    lua_pushinteger(L, count[d]);
    lua_setfield(L, -2, "hits");
    lua_pushinteger(L, (lua_Integer)d + 1);
    lua_setfield(L, -2, "docnum");
    if (c->docs[d].text || c->docs[d].seen) {
      lua_pushinteger(L, (lua_Integer)c->docs[d].len);
      lua_setfield(L, -2, "size");
    }
    lua_rawseti(L, -2, ++k);
  }
  return 1;
}

/*
** c:_forms() -> { [node] = hits }: the hits counted by their node's text as
** hit.node writes it, with no table made per hit (which cost /api/freq?by=form
** most of its time: 1.6 s of 2.1 s over the 668,640 hits of "the" in en-100M).
*/
static int conc_forms(lua_State *L) {
  lx_conc *c = lexis_check_conc(L, 1);
  lx_kwic_opts o;
  memset(&o, 0, sizeof o);          /* context of no tokens: the node alone */
  lua_newtable(L);
  for (size_t i = 0; i < c->n; i++) {
    if ((i & 4095) == 4095 && lx_interrupted()) return luaL_error(L, "interrupted");
    const char *l, *n, *r;
    size_t ll, nl, rl;
    if (lx_conc_parts(c, i, &o, &l, &ll, &n, &nl, &r, &rl)) return conc_failure(L, c);
    lua_pushlstring(L, n, nl);
    lua_pushvalue(L, -1);
    lua_Integer k = lua_rawget(L, -3) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    lua_pushinteger(L, k + 1);
    lua_rawset(L, -3);
  }
  return 1;
}

static int conc_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lexis_check_conc(L, 1)->n);
  return 1;
}

static int conc_tostring(lua_State *L) {
  cbox *b = luaL_checkudata(L, 1, CONC);
  if (!b->c) lua_pushliteral(L, "lexis.Concordance (closed)");
  else lua_pushfstring(L, "lexis.Concordance (%I hits in %I documents)",
                       (lua_Integer)b->c->n, (lua_Integer)b->c->ndocs);
  return 1;
}

static const luaL_Reg conc_methods[] = {
  { "close", conc_close },
  { "_addfile", conc_addfile },
  { "_addtext", conc_addtext },
  { "_scan", conc_scan },
  { "_invalid", conc_invalid },
  { "_sort", conc_sort },
  { "_keepbest", conc_keepbest },
  { "_sample", conc_sample },
  { "_splitter", conc_splitter },
  { "_truncate", conc_truncate },
  { "_select", conc_select },
  { "_write", conc_write },
  { "_hit", conc_hit },
  { "_docs", conc_docs },
  { "_forms", conc_forms },
  { NULL, NULL }
};

static const luaL_Reg conc_meta[] = {
  { "__gc", conc_close },
  { "__close", conc_close },
  { "__len", conc_len },
  { "__tostring", conc_tostring },
  { NULL, NULL }
};

/* displaywidth(s) -> columns s takes on a terminal */
static int kwic_width(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  lua_pushinteger(L, (lua_Integer)lx_display_width(s, n));
  return 1;
}

/* dictword(w) -> whether a query cuts the word w into words itself
** (Chinese, Japanese, Thai ...: lx_query_dict_word) */
static int kwic_dictword(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  lua_pushboolean(L, lx_query_dict_word(s, n));
  return 1;
}

void lexis_open_kwic(lua_State *L) {
  luaL_newmetatable(L, CONC);
  luaL_setfuncs(L, conc_meta, 0);
  luaL_newlib(L, conc_methods);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__index");
  lua_setfield(L, -3, "Concordance");  /* lua/lexis/kwic.lua adds the public methods */
  lua_pop(L, 1);
  lua_pushcfunction(L, conc_new);
  lua_setfield(L, -2, "conc");
  lua_pushcfunction(L, kwic_width);
  lua_setfield(L, -2, "displaywidth");
  lua_pushcfunction(L, kwic_dictword);
  lua_setfield(L, -2, "dictword");
}
