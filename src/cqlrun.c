/*
** cqlrun.c: the CQL evaluator over an lx_cview (src/cqlrun.h).
**
** How CQP runs a query, and so how this file does (cqp/eval.c of CWB
** 3.4.33, read for its behaviour, not copied): the query is an automaton
** whose symbols are its token tests and tags, each occurrence its own.
** For every symbol p a match may begin with, every position where p holds
** is a candidate start; from each, the automaton is walked step by step,
** the first step taking p. A step takes one symbol from every live path: a
** token test consumes its token, a tag consumes nothing (it still costs a
** step). The walk stops at the first step where a path accepts (and passes
** the global constraint); with the longest strategy it goes on while paths
** live and keeps the last. So each (start, p) gives at most one match, and
** the strategies then weed the sorted union (see cqlr_weed() below). No match
** runs past the right boundary: the end of its within region, N tokens
** after its start for within N, or CQP's HardBoundary of 500 otherwise.
**
** Values are compiled once against each attribute's lexicon into a bitset
** of ids (PCRE2, anchored at both ends; %c caseless with Unicode case
** folding; %d diacritics stripped from both sides, NFD without its marks;
** %l literal). Candidates of a token test come from the postings of its
** ids when the test is a value, or an & with one, or an | of such; else
** from a scan of every position.
*/
#include "cqlrun_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "alloc.h"
#include "progress.h"

int cqlr_fail(ev *e, const char *fmt, ...) {
  if (!e->failed) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->err, e->errlen, fmt, ap);
    va_end(ap);
    e->failed = 1;
  }
  return -1;
}

int cqlr_nomem(ev *e) { return cqlr_fail(e, "cql: out of memory"); }

int cqlr_view_error(const lx_cview *v, char *err, size_t errlen) {
  const char *m = v->error ? v->error(v->ctx) : NULL;
  snprintf(err, errlen, "cql: %s", m && *m ? m : "the corpus could not be read");
  return EIO;
}

int cqlr_view_fail(ev *e) {
  char why[512];
  cqlr_view_error(e->v, why, sizeof why);
  return cqlr_fail(e, "%s", why);
}

/* "word, lemma, pos" into b. */
void cqlr_names_of(const lx_cview *v, int structural, char *b, size_t bn) {
  size_t n = structural ? v->nsattrs(v->ctx) : v->npattrs(v->ctx), at = 0;
  b[0] = '\0';
  for (size_t i = 0; i < n && at + 1 < bn; i++) {
    const char *s = structural ? v->sattr_name(v->ctx, (int)i) : v->pattr_name(v->ctx, (int)i);
    int k = snprintf(b + at, bn - at, "%s%s", i ? ", " : "", s);
    if (k < 0) break;
    at += (size_t)k;
  }
  if (n == 0) snprintf(b, bn, "none");
}

/* The growing byte string of cqlrun_int.h. */
int cqlr_put(cqlr_buf *b, const void *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n + 1) cap *= 2;
    char *m = lx_realloc(b->p, cap);
    if (!m) return ENOMEM;
    b->p = m;
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
  return 0;
}

/* ------------------------------------------------------------- values */

/* s[0..n) without its diacritics (NFD, marks dropped) into *buf (grown to
** *cap); the length in *outn. 0, or ENOMEM. The one rule of %d: the
** query's values here, breakdowns and sorts in cqlcount.c. */
int cqlr_strip_marks(const char *s, size_t n, char **buf, size_t *cap, size_t *outn) {
  size_t dn = 0;
  uint8_t *d = u8_normalize(UNINORM_NFD, (const uint8_t *)s, n, NULL, &dn);
  if (!d) return ENOMEM;
  if (*cap < dn + 1) {
    char *b = lx_realloc(*buf, dn + 1);
    if (!b) {
      free(d);
      return ENOMEM;
    }
    *buf = b;
    *cap = dn + 1;
  }
  size_t k = 0;
  const uint8_t *p = d, *end = d + dn;
  while (p < end) {
    ucs4_t c;
    int len = u8_mbtouc(&c, p, (size_t)(end - p));
    if (!uc_is_general_category(c, UC_CATEGORY_M)) {
      memcpy(*buf + k, p, (size_t)len);
      k += (size_t)len;
    }
    p += len;
  }
  free(d);
  *outn = k;
  return 0;
}

/* s without its diacritics into e->buf; NULL without memory. */
static const char *strip_marks(ev *e, const char *s, size_t n, size_t *outn) {
  return cqlr_strip_marks(s, n, &e->buf, &e->bufcap, outn) ? NULL : e->buf;
}

/* Whether a value matches one string only, its own bytes: %l, or a regex
** without a metacharacter (cqp's "say"), and neither %c nor %d. Such a
** value is found by one look-up in a lexicon, not by a walk through it. */
static int is_plain_string(const cql_operand *val) {
  if (val->flags & (CQL_FLAG_CASE | CQL_FLAG_DIACRITICS)) return 0;
  if (val->flags & CQL_FLAG_LITERAL) return 1;
  if (memchr(val->value, '\0', val->len)) return 0;
  for (size_t i = 0; i < val->len; i++)
    if (strchr("\\^$.[]|()?*+{}", val->value[i])) return 0;
  return 1;
}

static int matcher_compile(ev *e, matcher *m, const cql_operand *val) {
  m->flags = val->flags;
  m->plain = is_plain_string(val);
  const char *pat = val->value;
  size_t plen = val->len;
  char *stripped = NULL;
  if (val->flags & CQL_FLAG_DIACRITICS) {
    size_t k;
    const char *s = strip_marks(e, pat, plen, &k);
    if (!s) return cqlr_nomem(e);
    stripped = lx_malloc(k + 1);
    if (!stripped) return cqlr_nomem(e);
    memcpy(stripped, s, k);
    pat = stripped;
    plen = k;
  }
  uint32_t opt = PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_MATCH_INVALID_UTF;
  if (val->flags & CQL_FLAG_CASE) opt |= PCRE2_CASELESS;
  if (val->flags & CQL_FLAG_LITERAL) opt = (opt & ~(uint32_t)PCRE2_UCP) | PCRE2_LITERAL;   /* LITERAL refuses UCP */
  int code;
  PCRE2_SIZE at;
  m->re = pcre2_compile((PCRE2_SPTR)pat, plen, opt, &code, &at, NULL);
  free(stripped);
  if (!m->re) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(code, msg, sizeof msg);
    if (code == PCRE2_ERROR_NOMEMORY) return cqlr_nomem(e);
    return cqlr_fail(e, "cql: \"%.60s\": %s at byte %zu", val->value, (const char *)msg, (size_t)at);
  }
  pcre2_jit_compile(m->re, PCRE2_JIT_COMPLETE);   /* faster when there is a JIT; fine without */
  m->md = pcre2_match_data_create(1, NULL);
  if (!m->md) return cqlr_nomem(e);
  return 0;
}

static void matcher_free(matcher *m) {
  if (m->md) pcre2_match_data_free(m->md);
  if (m->re) pcre2_code_free(m->re);
  m->md = NULL;
  m->re = NULL;
}

/* 1 when s[0..n) matches whole, 0 when not, -1 without memory. */
static int matcher_test(ev *e, matcher *m, const char *s, size_t n) {
  if (m->flags & CQL_FLAG_DIACRITICS) {
    s = strip_marks(e, s, n, &n);
    if (!s) return cqlr_nomem(e);
  }
  int rc = pcre2_match(m->re, (PCRE2_SPTR)s, n, 0, 0, m->md, NULL);
  if (rc == PCRE2_ERROR_NOMEMORY) return cqlr_nomem(e);
  return rc >= 0;
}

/* The ids of attr whose string matches m, as a bitset. */
static uint64_t *lexicon_bits(ev *e, int attr, matcher *m) {
  uint32_t size = e->v->lexicon_size(e->v->ctx, attr);
  uint64_t *bits = lx_calloc((size_t)size / 64 + 1, sizeof *bits);
  if (!bits) {
    cqlr_nomem(e);
    return NULL;
  }
  if (m->plain) return bits;       /* one look-up, by the caller, which has the string */
  for (uint32_t id = 0; id < size; id++) {
    if ((id & 0xffff) == 0 && lx_interrupted()) {
      free(bits);
      cqlr_fail(e, "cql: interrupted");
      return NULL;
    }
    const char *s;
    size_t n;
    if (e->v->lexicon_str(e->v->ctx, attr, id, &s, &n) != 0) {
      free(bits);
      cqlr_view_fail(e);
      return NULL;
    }
    int ok = matcher_test(e, m, s, n);
    if (ok < 0) {
      free(bits);
      return NULL;
    }
    if (ok) bits[id / 64] |= (uint64_t)1 << (id % 64);
  }
  return bits;
}

/* --------------------------------------------------------- compiling tests */

static int slot_of(ev *e, const cql_operand *o) {
  switch (o->anchor) {
  case CQL_ANCHOR_MATCH: return (int)e->q->nlabels + SLOT_MATCH;
  case CQL_ANCHOR_MATCHEND: return (int)e->q->nlabels + SLOT_MATCHEND;
  case CQL_ANCHOR_TARGET: return (int)e->q->nlabels + SLOT_TARGET;
  case CQL_ANCHOR_KEYWORD: return (int)e->q->nlabels + SLOT_KEYWORD;
  default: break;
  }
  for (size_t i = 0; i < e->q->nlabels; i++)
    if (strcmp(e->q->labels[i], o->label) == 0) return (int)i;
  return cqlr_fail(e, "cql: label %s is not defined", o->label);
}

static int resolve_side(ev *e, const cql_operand *o, operand *out) {
  memset(out, 0, sizeof *out);
  out->slot = -1;
  if (o->kind == CQL_OPD_VALUE) {
    out->kind = OP_VALUE;
    return matcher_compile(e, &out->m, o);
  }
  if (o->kind == CQL_OPD_REF && slot_of(e, o) < 0) return -1;
  if (o->kind == CQL_OPD_REF) out->slot = slot_of(e, o);
  int a = e->v->pattr(e->v->ctx, o->name);
  if (a == -2) return cqlr_view_fail(e);
  if (a >= 0) {
    out->kind = OP_PATTR;
    out->attr = a;
    return 0;
  }
  int has_values = 0, s = o->kind == CQL_OPD_REF ? e->v->sattr(e->v->ctx, o->name, &has_values) : -1;
  if (s >= 0 && has_values) {
    out->kind = OP_SATTR;
    out->attr = s;
    return 0;
  }
  char names[512];
  cqlr_names_of(e->v, 0, names, sizeof names);
  if (s >= 0)
    return cqlr_fail(e, "cql: %s is a structural attribute without values (the positional ones are %s)", o->name, names);
  return cqlr_fail(e, "cql: no attribute %s: the corpus has %s", o->name, names);
}

test *cqlr_compile_test(ev *e, const cql_bool *b) {
  test *t = lx_calloc(1, sizeof *t);
  if (!t) {
    cqlr_nomem(e);
    return NULL;
  }
  switch (b->kind) {
  case CQL_B_TRUE: t->kind = T_TRUE; break;
  case CQL_B_NOT:
    t->kind = T_NOT;
    if (!(t->a = cqlr_compile_test(e, b->a))) return t;
    break;
  case CQL_B_AND: case CQL_B_OR: case CQL_B_IMPLIES:
    t->kind = b->kind == CQL_B_AND ? T_AND : b->kind == CQL_B_OR ? T_OR : T_IMPLIES;
    if (!(t->a = cqlr_compile_test(e, b->a))) return t;
    if (!(t->b = cqlr_compile_test(e, b->b))) return t;
    break;
  case CQL_B_CMP: {
    t->kind = T_CMP;
    t->negated = b->negated;
    const cql_operand *l = &b->lhs, *r = &b->rhs;
    if (l->kind == CQL_OPD_VALUE && r->kind != CQL_OPD_VALUE) {   /* "x" = lemma */
      const cql_operand *s = l;
      l = r;
      r = s;
    }
    if (l->kind == CQL_OPD_VALUE) {
      cqlr_fail(e, "cql: a comparison of two strings (\"%.40s\" = \"%.40s\") tests no token", l->value, r->value);
      return t;
    }
    if (resolve_side(e, l, &t->l) < 0 || resolve_side(e, r, &t->r) < 0) return t;
    if (t->l.kind == OP_PATTR && t->r.kind == OP_VALUE) {
      if (!(t->r.bits = lexicon_bits(e, t->l.attr, &t->r.m))) return t;
      if (is_plain_string(r)) {
        uint32_t id;
        int found = 0;
        if (e->v->lexicon_find(e->v->ctx, t->l.attr, r->value, r->len, &id, &found) != 0) {
          cqlr_view_fail(e);
          return t;
        }
        if (found) t->r.bits[id / 64] |= (uint64_t)1 << (id % 64);
      }
    }
    break;
  }
  }
  return t;
}

void cqlr_free_test(test *t) {
  if (!t) return;
  cqlr_free_test(t->a);
  cqlr_free_test(t->b);
  matcher_free(&t->l.m);
  matcher_free(&t->r.m);
  free(t->l.bits);
  free(t->r.bits);
  free(t);
}

int cqlr_compile_tags(ev *e, const cql_node *n) {
  if (n->kind == CQL_N_OPEN || n->kind == CQL_N_CLOSE) {
    tagc *tc = &e->tags[n->index];
    int has_values = 0;
    tc->sattr = e->v->sattr(e->v->ctx, n->region, &has_values);
    if (tc->sattr < 0) {
      char names[512];
      cqlr_names_of(e->v, 1, names, sizeof names);
      return cqlr_fail(e, "cql: no structural attribute %s: the corpus has %s", n->region, names);
    }
    if (n->kind == CQL_N_OPEN && n->has_value) {
      if (!has_values) return cqlr_fail(e, "cql: <%s=...>: the regions of %s carry no values", n->region, n->region);
      tc->has_value = 1;
      tc->negated = n->negated;
      matcher m = { 0 };
      if (matcher_compile(e, &m, &n->value) < 0) {
        matcher_free(&m);
        return -1;
      }
      uint64_t count = e->v->region_count(e->v->ctx, tc->sattr);
      tc->ok = lx_calloc(count / 64 + 1, sizeof *tc->ok);
      if (!tc->ok) {
        matcher_free(&m);
        return cqlr_nomem(e);
      }
      for (uint64_t i = 0; i < count; i++) {
        const char *s;
        size_t len;
        if ((i & 0xffff) == 0 && lx_interrupted()) {
          matcher_free(&m);
          return cqlr_fail(e, "cql: interrupted");
        }
        if (e->v->region_value(e->v->ctx, tc->sattr, i, &s, &len) != 0) {
          matcher_free(&m);
          return cqlr_view_fail(e);
        }
        int ok = matcher_test(e, &m, s, len);
        if (ok < 0) {
          matcher_free(&m);
          return -1;
        }
        if (ok != tc->negated) tc->ok[i / 64] |= (uint64_t)1 << (i % 64);
      }
      matcher_free(&m);
    }
    return 0;
  }
  if (n->kind == CQL_N_TOKEN) {
    e->tests[n->index] = cqlr_compile_test(e, n->test);
    return e->failed ? -1 : 0;
  }
  for (size_t i = 0; i < n->nkids; i++)
    if (cqlr_compile_tags(e, n->kids[i]) < 0) return -1;
  return 0;
}

/* -------------------------------------------------------- evaluating tests */

static int id_at(ev *e, int attr, uint64_t pos, uint32_t *id) {
  if (pos >= e->v->ntokens) return 0;
  if (e->v->ids(e->v->ctx, attr, pos, 1, id) != 0) return cqlr_view_fail(e);
  return 1;
}

/* The position a side looks at: the current token, or a label's; -1 unset. */
static int64_t where(const operand *o, uint64_t pos, const int64_t *lab) {
  return o->slot < 0 ? (int64_t)pos : lab[o->slot];
}

/* The bytes of a side at position p (PATTR, SATTR); 0 when there are none
** (no region there), 1 with *s, -1 on error. */
static int side_str(ev *e, const operand *o, int64_t p, const char **s, size_t *n) {
  if (p < 0 || (uint64_t)p >= e->v->ntokens) return 0;
  if (o->kind == OP_PATTR) {
    uint32_t id;
    int k = id_at(e, o->attr, (uint64_t)p, &id);
    if (k <= 0) return k;
    if (e->v->lexicon_str(e->v->ctx, o->attr, id, s, n) != 0) return cqlr_view_fail(e);
    return 1;
  }
  uint64_t i;
  if (e->v->region_at(e->v->ctx, o->attr, (uint64_t)p, &i) != 0) return cqlr_view_fail(e);
  if (i == UINT64_MAX) return 0;
  if (e->v->region_value(e->v->ctx, o->attr, i, s, n) != 0) return cqlr_view_fail(e);
  return 1;
}

/* Whether the value of region attribute sattr at position p matches the
** value operand v (negated: does not); 0 outside every region. The last
** region's answer is kept in v: the hits of a query come in corpus order,
** and a text holds many. */
static int sattr_matches(ev *e, operand *v, int sattr, int64_t p, int negated) {
  if ((uint64_t)p >= e->v->ntokens) return 0;
  uint64_t i;
  if (e->v->region_at(e->v->ctx, sattr, (uint64_t)p, &i) != 0) return cqlr_view_fail(e);
  if (i == UINT64_MAX) return 0;
  if (v->memo_region == i + 1) return v->memo_hit != negated;
  const char *s;
  size_t n;
  if (e->v->region_value(e->v->ctx, sattr, i, &s, &n) != 0) return cqlr_view_fail(e);
  int hit = matcher_test(e, &v->m, s, n);
  if (hit < 0) return hit;
  v->memo_region = i + 1;
  v->memo_hit = hit;
  return hit != negated;
}

/* 1 true, 0 false, -1 error. */
int cqlr_eval_test(ev *e, const test *t, uint64_t pos, const int64_t *lab) {
  switch (t->kind) {
  case T_TRUE: return 1;
  case T_NOT: {
    int a = cqlr_eval_test(e, t->a, pos, lab);
    return a < 0 ? a : !a;
  }
  case T_AND: {
    int a = cqlr_eval_test(e, t->a, pos, lab);
    return a <= 0 ? a : cqlr_eval_test(e, t->b, pos, lab);
  }
  case T_OR: {
    int a = cqlr_eval_test(e, t->a, pos, lab);
    return a != 0 ? a : cqlr_eval_test(e, t->b, pos, lab);
  }
  case T_IMPLIES: {
    int a = cqlr_eval_test(e, t->a, pos, lab);
    return a <= 0 ? (a < 0 ? a : 1) : cqlr_eval_test(e, t->b, pos, lab);
  }
  case T_CMP: break;
  }
  int64_t lp = where(&t->l, pos, lab);
  if (lp < 0) return 0;                 /* a label the match did not pass: false */
  if (t->r.kind == OP_VALUE) {
    if (t->l.kind == OP_PATTR) {
      uint32_t id;
      int k = id_at(e, t->l.attr, (uint64_t)lp, &id);
      if (k <= 0) return k;
      int hit = (int)((t->r.bits[id / 64] >> (id % 64)) & 1);
      return hit != t->negated;
    }
    if (t->l.kind == OP_SATTR) return sattr_matches(e, (operand *)&t->r, t->l.attr, lp, t->negated);
    const char *s;
    size_t n;
    int k = side_str(e, &t->l, lp, &s, &n);
    if (k <= 0) return k;
    int hit = matcher_test(e, (matcher *)&t->r.m, s, n);
    return hit < 0 ? hit : hit != t->negated;
  }
  int64_t rp = where(&t->r, pos, lab);
  if (rp < 0) return 0;
  if (t->l.kind == OP_PATTR && t->r.kind == OP_PATTR && t->l.attr == t->r.attr) {
    uint32_t a, b;
    int k = id_at(e, t->l.attr, (uint64_t)lp, &a);
    if (k <= 0) return k;
    if ((k = id_at(e, t->r.attr, (uint64_t)rp, &b)) <= 0) return k;
    return (a == b) != t->negated;
  }
  const char *s1, *s2;
  size_t n1, n2;
  int k = side_str(e, &t->l, lp, &s1, &n1);
  if (k <= 0) return k;
  /* s1 may live in a buffer the next look-up reuses: only lexicon strings
     and region values, which stay valid while the view is open */
  if ((k = side_str(e, &t->r, rp, &s2, &n2)) <= 0) return k;
  return (n1 == n2 && memcmp(s1, s2, n1) == 0) != t->negated;
}

int cqlr_tag_holds(ev *e, const cql_node *n, uint64_t cpos, const int64_t *lab, int64_t *last) {
  const tagc *tc = &e->tags[n->index];
  uint64_t i, start, end;
  if (n->kind == CQL_N_OPEN) {
    if (cpos >= e->v->ntokens) return 0;
    if (e->v->region_at(e->v->ctx, tc->sattr, cpos, &i) != 0) return cqlr_view_fail(e);
    if (i == UINT64_MAX) return 0;
    if (e->v->region(e->v->ctx, tc->sattr, i, &start, &end) != 0) return cqlr_view_fail(e);
    if (start != cpos) return 0;
    *last = (int64_t)end - 1;
    return tc->has_value ? (int)((tc->ok[i / 64] >> (i % 64)) & 1) : 1;
  }
  if (cpos == 0) return 0;
  if (tc->rdat >= 0 && lab[tc->rdat] != (int64_t)cpos - 1) return 0;   /* not the region entered */
  if (e->v->region_at(e->v->ctx, tc->sattr, cpos - 1, &i) != 0) return cqlr_view_fail(e);
  if (i == UINT64_MAX) return 0;
  if (e->v->region(e->v->ctx, tc->sattr, i, &start, &end) != 0) return cqlr_view_fail(e);
  return end == cpos;
}

/* -------------------------------------------------------------- running */

static size_t collect_tags(const cql_node *n, const cql_node **out, size_t k) {
  if (n->kind == CQL_N_OPEN || n->kind == CQL_N_CLOSE) {
    out[k] = n;
    return k + 1;
  }
  if (n->kind == CQL_N_TOKEN) return k;
  for (size_t i = 0; i < n->nkids; i++) k = collect_tags(n->kids[i], out, k);
  return k;
}

/* Gives each tag its region slot (cqlrun_int.h, StrictRegions), in the
** order of the query's text as CQP's parser meets them. */
static int strict_regions(ev *e) {
  size_t nt = e->q->ntags;
  e->rdat0 = e->q->nlabels + NSPECIAL;
  if (nt == 0) return 0;
  const cql_node **tags = lx_malloc(nt * sizeof *tags);   /* the AST holds each tag once */
  const char **names = lx_malloc(nt * sizeof *names);
  e->rdat_used = lx_calloc(nt, 1);
  if (!tags || !names || !e->rdat_used) {
    free(tags);
    free(names);
    return cqlr_nomem(e);
  }
  size_t n = collect_tags(e->q->root, tags, 0);
  for (size_t a = 1; a < n; a++)          /* by offset */
    for (size_t b = a; b > 0 && tags[b]->offset < tags[b - 1]->offset; b--) {
      const cql_node *t = tags[b];
      tags[b] = tags[b - 1];
      tags[b - 1] = t;
    }
  for (size_t k = 0; k < n; k++) {
    const cql_node *t = tags[k];
    size_t slot;
    for (slot = 0; slot < e->nrdat && strcmp(names[slot], t->region) != 0; slot++) {}
    tagc *tc = &e->tags[t->index];
    if (t->kind == CQL_N_OPEN) {
      if (slot == e->nrdat) names[e->nrdat++] = t->region;
      tc->rdat = (int)(e->rdat0 + slot);
    } else if (slot < e->nrdat) {
      tc->rdat = (int)(e->rdat0 + slot);
      e->rdat_used[slot] = 1;
    } else {
      tc->rdat = -1;
    }
  }
  e->nslots += e->nrdat;
  free(tags);
  free(names);
  return 0;
}

static void ev_free(ev *e) {
  if (e->tests)
    for (size_t i = 0; i < e->q->ntokens; i++) cqlr_free_test(e->tests[i]);
  free(e->tests);
  if (e->tags)
    for (size_t i = 0; i < e->q->ntags; i++) free(e->tags[i].ok);
  free(e->tags);
  cqlr_free_test(e->global);
  free(e->cur.t);
  free(e->cur.lab);
  free(e->nxt.t);
  free(e->nxt.lab);
  free(e->hkeys);
  free(e->hused);
  free(e->hval);
  free(e->rdat_used);
  free(e->stack);
  free(e->visit);
  free(e->sym);
  free(e->scratch);
  free(e->buf);
  cql_program_free(e->prog);
  cql_free(e->q);
}

void lx_cql_result_free(lx_cql_result *r) {
  if (!r) return;
  free(r->hits);
  free(r->labels);
  if (r->label_names)
    for (size_t i = 0; i < r->nlabels; i++) free(r->label_names[i]);
  free(r->label_names);
  memset(r, 0, sizeof *r);
}

/* Can the query match without any token or tag? (CQP refuses it.) */
static int empty_ok(const cql_node *n) {
  switch (n->kind) {
  case CQL_N_TOKEN: case CQL_N_OPEN: case CQL_N_CLOSE: return 0;
  case CQL_N_SEQ:
    for (size_t i = 0; i < n->nkids; i++)
      if (!empty_ok(n->kids[i])) return 0;
    return 1;
  case CQL_N_ALT:
    for (size_t i = 0; i < n->nkids; i++)
      if (empty_ok(n->kids[i])) return 1;
    return 0;
  case CQL_N_REPEAT: return n->min == 0 || empty_ok(n->kids[0]);
  }
  return 0;
}



int lx_cql_run(const lx_cview *v, const char *q, size_t qlen, const lx_cql_opts *opts,
               lx_cql_result *out, char *err, size_t errlen) {
  char dummy[1];
  if (!err || errlen == 0) err = dummy, errlen = sizeof dummy;
  err[0] = '\0';
  memset(out, 0, sizeof *out);
  ev e;
  memset(&e, 0, sizeof e);
  e.v = v;
  e.err = err;
  e.errlen = errlen;
  e.within_sattr = -1;
  e.max_hits = opts && opts->max_hits ? opts->max_hits : LX_CQL_MAX_HITS;
  run rn = { 0 };
  int rc = -1;
  e.q = cql_parse(q, qlen, err, errlen);
  if (!e.q) return -1;
  if (empty_ok(e.q->root)) {
    cqlr_fail(&e, "cql: the query matches the empty sequence (it would match everywhere); "
         "make at least one token or tag obligatory");
    goto out;
  }
  if (!(e.prog = cql_compile(e.q, err, errlen))) {
    e.failed = 1;
    goto out;
  }
  e.nslots = e.q->nlabels + NSPECIAL;   /* and the region slots, below */
  e.tests = lx_calloc(e.q->ntokens + 1, sizeof *e.tests);
  e.tags = lx_calloc(e.q->ntags + 1, sizeof *e.tags);
  if (!e.tests || !e.tags) {
    cqlr_nomem(&e);
    goto out;
  }
  if (cqlr_compile_tags(&e, e.q->root) < 0) goto out;
  if (strict_regions(&e) < 0) goto out;
  if (e.q->global && !(e.global = cqlr_compile_test(&e, e.q->global))) goto out;
  if (e.failed) goto out;
  if (e.q->within) {
    int hv;
    e.within_sattr = v->sattr(v->ctx, e.q->within, &hv);
    if (e.within_sattr < 0) {
      char names[512];
      cqlr_names_of(e.v, 1, names, sizeof names);
      cqlr_fail(&e, "cql: within %s: no structural attribute %s: the corpus has %s", e.q->within, e.q->within, names);
      goto out;
    }
  }
  out->strategy = e.q->strategy;
  if (v->ntokens > 0 && cqlr_run_all(&e, &rn) < 0) goto out;
  size_t sorted = 1;            /* one first symbol: found in order already */
  while (sorted < rn.n && cqlr_cmp_hit(&rn.r[sorted - 1], &rn.r[sorted]) <= 0) sorted++;
  if (sorted < rn.n) qsort(rn.r, rn.n, sizeof *rn.r, cqlr_cmp_hit);
  size_t k = 0;                 /* one hit per (start, end): the first symbol's */
  for (size_t i = 0; i < rn.n; i++)
    if (k == 0 || cqlr_cmp_hit(&rn.r[k - 1], &rn.r[i]) != 0) rn.r[k++] = rn.r[i];
  rn.n = k;
  cqlr_weed(&rn, e.q->strategy);
  if (e.q->cut > 0 && rn.n > (size_t)e.q->cut) rn.n = (size_t)e.q->cut;
  size_t nl = e.q->nlabels;
  out->hits = lx_malloc((rn.n + 1) * sizeof *out->hits);
  out->labels = nl ? lx_malloc((rn.n * nl + 1) * sizeof *out->labels) : NULL;
  out->label_names = nl ? lx_calloc(nl, sizeof *out->label_names) : NULL;
  if (!out->hits || (nl && (!out->labels || !out->label_names))) {
    cqlr_nomem(&e);
    goto out;
  }
  out->nlabels = nl;
  for (size_t i = 0; i < nl; i++)
    if (!(out->label_names[i] = lx_strdup(e.q->labels[i]))) {
      cqlr_nomem(&e);
      goto out;
    }
  for (size_t i = 0; i < rn.n; i++) {
    out->hits[i] = rn.r[i].h;
    if (nl) memcpy(out->labels + i * nl, rn.lab + rn.r[i].lab, nl * sizeof *out->labels);
  }
  out->n = rn.n;
  rc = 0;
out:
  free(rn.r);
  free(rn.lab);
  ev_free(&e);
  if (rc < 0) lx_cql_result_free(out);
  return rc;
}
