/*
** cqlcount.c: what is done with the hits of a CQL query once they are found
** (src/cqlrun.h): frequency breakdowns as cqp's `count by` and `group`, and
** sorting as cqp's `sort by ... on ...`. Both read keys, an attribute at a
** place of each hit, through the view's ids, and work on ids: a breakdown
** counts id tuples and makes strings once per distinct tuple; a sort ranks
** only the ids its hits use by their strings, then compares ranks.
** Strings compare as bytes, as cqp compares them. And set operations on
** two results (cqp's join, inter, diff).
*/
#include "cqlrun_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>

#include "alloc.h"
#include "display.h"
#include "encode.h"
#include "progress.h"
#include "sample.h"

#define UNDEF UINT32_MAX          /* no token at a key's place */

/* ---------------------------------------------------------------- keys */

static const struct {
  const char *alias, *as;
} sort_aliases[] = {
  { "L3", "word@match[-3]" }, { "L2", "word@match[-2]" }, { "L1", "word@match[-1]" },
  { "node", "word" }, { "R1", "word@matchend[1]" }, { "R2", "word@matchend[2]" },
  { "R3", "word@matchend[3]" },
};

static int bad_key(char *err, size_t errlen, const char *key, size_t n, const char *why) {
  snprintf(err, errlen, "%s in '%.*s' (a key is ATTR[%%c|%%d][@match|matchend|target|keyword[N]]: "
           "lemma, word%%c, pos@matchend[1])", why, (int)(n > 96 ? 96 : n), key);
  return EINVAL;
}

/* One key s[0..n), spaces trimmed. */
static int parse_key(const char *s, size_t n, int sort, lx_cql_key *k, char *err, size_t errlen) {
  memset(k, 0, sizeof *k);
  k->handle = -1;
  const char *whole = s;
  size_t wn = n;
  if (sort && n && s[0] == '-') {
    k->reverse = 1;
    s++;
    n--;
  }
  snprintf(k->name, sizeof k->name, "%.*s", (int)n, s);
  if (sort) {
    if (n == 8 && memcmp(s, "position", 8) == 0) {
      k->anchor = LX_CQL_ON_POSITION;
      return 0;
    }
    for (size_t i = 0; i < sizeof sort_aliases / sizeof *sort_aliases; i++)
      if (strlen(sort_aliases[i].alias) == n && memcmp(s, sort_aliases[i].alias, n) == 0) {
        s = sort_aliases[i].as;
        n = strlen(s);
        break;
      }
  }
  size_t i = 0;
  while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')) i++;
  if (i == 0 || isdigit((unsigned char)s[0])) return bad_key(err, errlen, whole, wn, "no attribute name");
  if (i >= sizeof k->attr) return bad_key(err, errlen, whole, wn, "attribute name too long");
  memcpy(k->attr, s, i);
  k->attr[i] = '\0';
  while (i < n && s[i] == ' ') i++;
  if (i < n && s[i] == '%') {
    for (i++; i < n && isalpha((unsigned char)s[i]); i++) {
      if (s[i] == 'c') k->fold |= LX_CQL_FOLD_CASE;
      else if (s[i] == 'd') k->fold |= LX_CQL_FOLD_DIACRITICS;
      else {
        char why[48];
        snprintf(why, sizeof why, "unknown flag %%%c (c and d fold)", s[i]);
        return bad_key(err, errlen, whole, wn, why);
      }
    }
    if (!k->fold) return bad_key(err, errlen, whole, wn, "a flag expected after %");
  }
  while (i < n && s[i] == ' ') i++;
  if (i == n) return 0;           /* the whole match */
  if (s[i] != '@') return bad_key(err, errlen, whole, wn, "unexpected text after the attribute");
  i++;
  size_t a = i;
  while (i < n && isalpha((unsigned char)s[i])) i++;
  static const char *const anchors[] = { "match", "matchend", "target", "keyword" };
  k->anchor = -1;
  for (int j = 0; j < 4; j++)
    if (strlen(anchors[j]) == i - a && memcmp(s + a, anchors[j], i - a) == 0) k->anchor = LX_CQL_ON_MATCH + j;
  if (k->anchor < 0) return bad_key(err, errlen, whole, wn, "unknown anchor (match, matchend, target, keyword)");
  if (i == n) return 0;
  if (s[i] != '[') return bad_key(err, errlen, whole, wn, "bad offset (write it [1] or [-2])");
  i++;
  int neg = 0;
  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  size_t d = i;
  int64_t off = 0;
  for (; i < n && isdigit((unsigned char)s[i]); i++)
    if (off <= 1000000) off = off * 10 + (s[i] - '0');
  if (i == d || i >= n || s[i] != ']' || i + 1 != n)
    return bad_key(err, errlen, whole, wn, "bad offset (write it [1] or [-2])");
  if (off > 1000000) return bad_key(err, errlen, whole, wn, "bad offset (at most a million tokens)");
  k->offset = neg ? -off : off;
  return 0;
}

int lx_cql_keys_parse(const char *spec, int sort, lx_cql_key *keys, size_t *n, char *err, size_t errlen) {
  *n = 0;
  const char *p = spec;
  for (;;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    const char *a = p, *z = p + len;
    while (a < z && isspace((unsigned char)*a)) a++;
    while (z > a && isspace((unsigned char)z[-1])) z--;
    if (a == z) {
      snprintf(err, errlen, "an empty key in '%s'", spec);
      return EINVAL;
    }
    if (*n == LX_CQL_MAX_KEYS) {
      snprintf(err, errlen, "more than %d keys in '%s'", LX_CQL_MAX_KEYS, spec);
      return EINVAL;
    }
    int rc = parse_key(a, (size_t)(z - a), sort, &keys[*n], err, errlen);
    if (rc) return rc;
    (*n)++;
    if (!e) return 0;
    p = e + 1;
  }
}

int lx_cql_keys_resolve(const lx_cview *v, lx_cql_key *keys, size_t n, char *err, size_t errlen) {
  for (size_t i = 0; i < n; i++) {
    if (keys[i].anchor == LX_CQL_ON_POSITION) continue;
    keys[i].handle = v->pattr(v->ctx, keys[i].attr);
    if (keys[i].handle == -2) return cqlr_view_error(v, err, errlen);
    if (keys[i].handle >= 0) continue;
    int hv, s = v->sattr(v->ctx, keys[i].attr, &hv);
    if (s >= 0 && hv) {            /* text_id, text_year: the region around the key's place */
      keys[i].handle = s;
      keys[i].region = 1;
      if (keys[i].anchor == LX_CQL_ON_SPAN) keys[i].anchor = LX_CQL_ON_MATCH;
      continue;
    }
    char names[400];
    cqlr_names_of(v, 0, names, sizeof names);
    size_t at = (size_t)snprintf(err, errlen, "no attribute %s: the corpus has %s", keys[i].attr, names);
    size_t ns = v->nsattrs(v->ctx);
    for (size_t j = 0, any = 0; j < ns && at < errlen; j++) {
      const char *name = v->sattr_name(v->ctx, (int)j);
      if (v->sattr(v->ctx, name, &hv) < 0 || !hv) continue;
      at += (size_t)snprintf(err + at, errlen - at, "%s%s", any++ ? ", " : "; regions with values: ", name);
    }
    return EINVAL;
  }
  return 0;
}

/* The token positions key k reads of hit h: [*from, *from + *len); *len 0
** when the place is outside the corpus or the hit lacks the anchor (one
** token's key then reads as the empty string). */
static void key_span(const lx_cview *v, const lx_cql_key *k, const lx_cql_hit *h, int clamp, uint64_t *from,
                     size_t *len) {
  int64_t at;
  switch (k->anchor) {
  case LX_CQL_ON_SPAN:
    *from = h->start;
    *len = (size_t)(h->end - h->start);
    return;
  case LX_CQL_ON_MATCH: at = (int64_t)h->start; break;
  case LX_CQL_ON_MATCHEND: at = (int64_t)h->end - 1; break;
  case LX_CQL_ON_TARGET: at = h->target; break;
  case LX_CQL_ON_KEYWORD: at = h->keyword; break;
  default: at = -1; break;
  }
  *len = 0;
  *from = 0;
  if (clamp) {                    /* cqp's sort: a place outside the corpus is its first or last token */
    at += k->offset;
    if (at < 0) at = 0;
    if ((uint64_t)at >= v->ntokens) at = (int64_t)v->ntokens - 1;
  } else {
    if (at < 0) return;
    at += k->offset;
  }
  if (at < 0 || (uint64_t)at >= v->ntokens) return;
  *from = (uint64_t)at;
  *len = 1;
}

/* s[0..n) folded by flags (LX_CQL_FOLD_*), appended to b: case folded as
** Unicode folds it, diacritics stripped as %d strips them (cqlrun.c). */
static int put_folded(cqlr_buf *b, const char *s, size_t n, int flags) {
  if (!flags) return cqlr_put(b, s, n);
  uint8_t *m = NULL;
  size_t mn = n;
  const char *t = s;
  if (flags & LX_CQL_FOLD_CASE) {
    m = u8_casefold((const uint8_t *)s, n, NULL, NULL, NULL, &mn);
    if (m) t = (const char *)m;      /* not UTF-8: its bytes as they are */
    else mn = n;
  }
  int rc;
  if (flags & LX_CQL_FOLD_DIACRITICS) {
    char *d = NULL;
    size_t cap = 0, dn = 0;
    rc = cqlr_strip_marks(t, mn, &d, &cap, &dn) ? cqlr_put(b, t, mn) : cqlr_put(b, d, dn);
    free(d);
  } else
    rc = cqlr_put(b, t, mn);
  free(m);
  return rc;
}

/* The ids key k reads of hit h into ids (room for its span), *n of them;
** one UNDEF for a one-token key with no token there. */
static int key_ids(const lx_cview *v, const lx_cql_key *k, const lx_cql_hit *h, int clamp, uint32_t *ids,
                   size_t *n, char *err, size_t errlen) {
  uint64_t from;
  size_t len;
  key_span(v, k, h, clamp, &from, &len);
  if (k->anchor != LX_CQL_ON_SPAN && len == 0) {
    ids[0] = UNDEF;
    *n = 1;
    return 0;
  }
  if (k->region) {
    uint64_t ri;
    if (v->region_at(v->ctx, k->handle, from, &ri) != 0) return cqlr_view_error(v, err, errlen);
    ids[0] = ri >= UNDEF ? UNDEF : (uint32_t)ri;   /* (UINT64_MAX: no region there) */
    *n = 1;
    return 0;
  }
  if (len && v->ids(v->ctx, k->handle, from, len, ids) != 0) return cqlr_view_error(v, err, errlen);
  *n = len;
  return 0;
}

/* The ids key k can read: its attribute's lexicon, or its regions. */
static uint64_t key_ids_max(const lx_cview *v, const lx_cql_key *k) {
  return k->region ? v->region_count(v->ctx, k->handle) : v->lexicon_size(v->ctx, k->handle);
}

/* The string of key k's id: a lexicon entry, or a region's value. */
static int key_str(const lx_cview *v, const lx_cql_key *k, uint32_t id, const char **s, size_t *len) {
  return k->region ? v->region_value(v->ctx, k->handle, id, s, len)
                   : v->lexicon_str(v->ctx, k->handle, id, s, len);
}

/* The string of key k's ids[0..n) (joined by one space) into b. */
static int put_ids(cqlr_buf *b, const lx_cview *v, const lx_cql_key *k, const uint32_t *ids, size_t n, char *err,
                   size_t errlen) {
  for (size_t i = 0; i < n; i++) {
    if (ids[i] == UNDEF) continue;
    const char *s;
    size_t len;
    if (key_str(v, k, ids[i], &s, &len) != 0) return cqlr_view_error(v, err, errlen);
    if ((i && cqlr_put(b, " ", 1)) || put_folded(b, s, len, k->fold)) goto nomem;
  }
  return 0;
nomem:
  snprintf(err, errlen, "cql: out of memory");
  return ENOMEM;
}

static size_t max_span(const lx_cql_result *r) {
  size_t m = 1;
  for (size_t i = 0; i < r->n; i++)
    if (r->hits[i].end - r->hits[i].start > m) m = (size_t)(r->hits[i].end - r->hits[i].start);
  return m;
}

/* ------------------------------------------------------------ breakdowns */

/* A distinct id tuple: its ids in the pool, and how many hits gave it. */
typedef struct slot {
  uint64_t hash;
  size_t off;                     /* in the pool, in uint32_t */
  uint32_t len;
  uint64_t count;                 /* 0: an empty slot */
} slot;

typedef struct tally {
  slot *s;
  size_t cap, used;
  uint32_t *pool;
  size_t pn, pcap;
} tally;

static uint64_t hash_ids(const uint32_t *t, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15u ^ n;
  for (size_t i = 0; i < n; i++) {
    h ^= t[i];
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 32;
  }
  return h;
}

static int tally_grow(tally *t) {
  size_t cap = t->cap ? t->cap * 2 : 1024;
  slot *s = lx_calloc(cap, sizeof *s);
  if (!s) return ENOMEM;
  for (size_t i = 0; i < t->cap; i++) {
    if (!t->s[i].count) continue;
    size_t j = t->s[i].hash & (cap - 1);
    while (s[j].count) j = (j + 1) & (cap - 1);
    s[j] = t->s[i];
  }
  free(t->s);
  t->s = s;
  t->cap = cap;
  return 0;
}

static int tally_add(tally *t, const uint32_t *ids, size_t n) {
  if ((t->used + 1) * 2 > t->cap && tally_grow(t)) return ENOMEM;
  uint64_t h = hash_ids(ids, n);
  size_t j = h & (t->cap - 1);
  for (; t->s[j].count; j = (j + 1) & (t->cap - 1)) {
    slot *s = &t->s[j];
    if (s->hash == h && s->len == n && memcmp(t->pool + s->off, ids, n * sizeof *ids) == 0) {
      s->count++;
      return 0;
    }
  }
  if (t->pn + n > t->pcap) {
    size_t cap = t->pcap ? t->pcap : 4096;
    while (cap < t->pn + n) cap *= 2;
    uint32_t *p = lx_realloc(t->pool, cap * sizeof *p);
    if (!p) return ENOMEM;
    t->pool = p;
    t->pcap = cap;
  }
  memcpy(t->pool + t->pn, ids, n * sizeof *ids);
  t->s[j] = (slot){ h, t->pn, (uint32_t)n, 1 };
  t->pn += n;
  t->used++;
  return 0;
}

/* Row order: by cells (bytes, key by key), or by freq first (most first). */
typedef struct rowcmp {
  const lx_cql_counts *c;
  const char *text;
  int by_freq;
} rowcmp;

/* Bytes compared as signed chars, as cqp's group breaks ties (cl_strcmp):
** UTF-8 beyond ASCII before it. */
static int cmp_signed(const char *x, const char *y, size_t m) {
  for (size_t i = 0; i < m; i++)
    if (x[i] != y[i]) return (signed char)x[i] < (signed char)y[i] ? -1 : 1;
  return 0;
}

static int cmp_cells(const lx_cql_counts *c, const char *text, size_t a, size_t b) {
  for (size_t k = 0; k < c->nkeys; k++) {
    const size_t *x = &c->cell[2 * (a * c->nkeys + k)], *y = &c->cell[2 * (b * c->nkeys + k)];
    size_t m = x[1] < y[1] ? x[1] : y[1];
    int d = !m ? 0 : c->group ? cmp_signed(text + x[0], text + y[0], m) : memcmp(text + x[0], text + y[0], m);
    if (d) return d;
    if (x[1] != y[1]) return x[1] < y[1] ? -1 : 1;
  }
  return 0;
}

static int cmp_rows(const void *pa, const void *pb, void *arg) {
  const rowcmp *rc = arg;
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  if (rc->by_freq && rc->c->freq[a] != rc->c->freq[b]) return rc->c->freq[a] > rc->c->freq[b] ? -1 : 1;
  return cmp_cells(rc->c, rc->text, a, b);
}

/* Puts c's rows in the order of idx (n of them), dropping the others. */
static int reorder(lx_cql_counts *c, const size_t *idx, size_t n) {
  size_t *cell = lx_malloc((n ? n : 1) * c->nkeys * 2 * sizeof *cell);
  uint64_t *freq = lx_malloc((n ? n : 1) * sizeof *freq);
  if (!cell || !freq) {
    free(cell);
    free(freq);
    return ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    memcpy(cell + 2 * i * c->nkeys, c->cell + 2 * idx[i] * c->nkeys, 2 * c->nkeys * sizeof *cell);
    freq[i] = c->freq[idx[i]];
  }
  free(c->cell);
  free(c->freq);
  c->cell = cell;
  c->freq = freq;
  c->n = n;
  return 0;
}

/* Rows with the same strings made one (merge 1), then most frequent first,
** ties by the strings. */
static int finish(lx_cql_counts *out, int merge) {
  size_t *idx = lx_malloc((out->n ? out->n : 1) * sizeof *idx);
  if (!idx) return ENOMEM;
  for (size_t i = 0; i < out->n; i++) idx[i] = i;
  rowcmp cmp = { out, out->text ? out->text : "", 0 };
  if (merge && out->n > 1) {      /* ids that fold to one string, or two files' rows */
    qsort_r(idx, out->n, sizeof *idx, cmp_rows, &cmp);
    size_t w = 0;
    for (size_t i = 0; i < out->n; i++) {
      if (w && cmp_cells(out, cmp.text, idx[w - 1], idx[i]) == 0) out->freq[idx[w - 1]] += out->freq[idx[i]];
      else idx[w++] = idx[i];
    }
    if (reorder(out, idx, w)) goto nomem;
    for (size_t i = 0; i < out->n; i++) idx[i] = i;
  }
  cmp.by_freq = 1;
  qsort_r(idx, out->n, sizeof *idx, cmp_rows, &cmp);
  if (reorder(out, idx, out->n)) goto nomem;
  free(idx);
  return 0;
nomem:
  free(idx);
  return ENOMEM;
}

int lx_cql_counts_merge(lx_cql_counts *into, const lx_cql_counts *from) {
  if (into->nkeys != from->nkeys) return EINVAL;
  size_t n = into->n + from->n, nk = into->nkeys;
  size_t *cell = lx_realloc(into->cell, (n ? n : 1) * nk * 2 * sizeof *cell);
  if (!cell) return ENOMEM;
  into->cell = cell;
  uint64_t *freq = lx_realloc(into->freq, (n ? n : 1) * sizeof *freq);
  if (!freq) return ENOMEM;
  into->freq = freq;
  size_t tn = 0, fn = 0;
  for (size_t i = 0; i < into->n * nk; i++) if (cell[2 * i] + cell[2 * i + 1] > tn) tn = cell[2 * i] + cell[2 * i + 1];
  for (size_t i = 0; i < from->n * nk; i++)
    if (from->cell[2 * i] + from->cell[2 * i + 1] > fn) fn = from->cell[2 * i] + from->cell[2 * i + 1];
  char *text = lx_realloc(into->text, tn + fn + 1);
  if (!text) return ENOMEM;
  into->text = text;
  if (fn) memcpy(text + tn, from->text, fn);
  for (size_t i = 0; i < from->n * nk; i++) {
    cell[2 * (into->n * nk + i)] = tn + from->cell[2 * i];
    cell[2 * (into->n * nk + i) + 1] = from->cell[2 * i + 1];
  }
  memcpy(freq + into->n, from->freq, from->n * sizeof *freq);
  into->n = n;
  into->hits += from->hits;
  return finish(into, 1);
}

int lx_cql_count(const lx_cview *v, const lx_cql_result *r, const lx_cql_key *keys, size_t nkeys,
                 lx_cql_counts *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  out->nkeys = nkeys;
  out->hits = r->n;
  tally t = { 0 };
  cqlr_buf text = { 0 };
  int rc = ENOMEM, fold = 0;
  size_t span = max_span(r), room = nkeys * (span + 1);
  uint32_t *tup = lx_malloc(room * sizeof *tup);
  if (!tup) goto nomem;
  out->group = 1;
  for (size_t k = 0; k < nkeys; k++) {
    fold |= keys[k].fold | keys[k].region;   /* (regions of one value: one row) */
    if (keys[k].anchor == LX_CQL_ON_SPAN) out->group = 0;
  }
  /* count id tuples: each key's ids, a span's led by its length */
  for (size_t i = 0; i < r->n; i++) {
    if ((i & 0xffff) == 0 && lx_interrupted()) {
      snprintf(err, errlen, "cql: interrupted");
      rc = ECANCELED;
      goto fail;
    }
    size_t n = 0;
    for (size_t k = 0; k < nkeys; k++) {
      size_t m;
      uint32_t *at = tup + n + (keys[k].anchor == LX_CQL_ON_SPAN);
      if ((rc = key_ids(v, &keys[k], &r->hits[i], 0, at, &m, err, errlen))) goto fail;
      if (keys[k].anchor == LX_CQL_ON_SPAN) tup[n++] = (uint32_t)m;
      n += m;
    }
    if (tally_add(&t, tup, n)) goto nomem;
  }
  /* strings, once per distinct tuple */
  out->n = t.used;
  out->cell = lx_malloc((t.used ? t.used : 1) * nkeys * 2 * sizeof *out->cell);
  out->freq = lx_malloc((t.used ? t.used : 1) * sizeof *out->freq);
  if (!out->cell || !out->freq) goto nomem;
  size_t row = 0;
  for (size_t j = 0; j < t.cap; j++) {
    if (!t.s[j].count) continue;
    const uint32_t *p = t.pool + t.s[j].off;
    for (size_t k = 0; k < nkeys; k++) {
      size_t m = 1, at = text.n;
      if (keys[k].anchor == LX_CQL_ON_SPAN) m = *p++;
      if ((rc = put_ids(&text, v, &keys[k], p, m, err, errlen))) goto fail;
      p += m;
      out->cell[2 * (row * nkeys + k)] = at;
      out->cell[2 * (row * nkeys + k) + 1] = text.n - at;
    }
    out->freq[row++] = t.s[j].count;
  }
  free(t.s);
  free(t.pool);
  free(tup);
  t = (tally){ 0 };
  tup = NULL;
  out->text = text.p;
  text.p = NULL;
  if (finish(out, fold)) goto nomem;
  return 0;
nomem:
  snprintf(err, errlen, "cql: out of memory");
  rc = ENOMEM;
fail:
  free(t.s);
  free(t.pool);
  free(tup);
  free(text.p);
  lx_cql_counts_free(out);
  return rc;
}

void lx_cql_counts_free(lx_cql_counts *c) {
  free(c->text);
  free(c->cell);
  free(c->freq);
  memset(c, 0, sizeof *c);
}

enum { CELL_MAX = 60 };           /* text: a wider cell is cut with "…" */

int lx_cql_counts_write(FILE *f, const lx_cql_counts *c, const lx_cql_key *keys, size_t limit, int fmt,
                        int header, const char *title) {
  size_t n = limit && limit < c->n ? limit : c->n, nk = c->nkeys;
  const char *text = c->text ? c->text : "";
  if (nk + 1 > LX_TABLE_COLS || nk > LX_CQL_MAX_KEYS) return EINVAL;
  lx_obuf *ob = lx_malloc(sizeof *ob);
  if (!ob) return ENOMEM;
  ob->f = f;
  ob->n = 0;
  ob->err = 0;
  const char *names[LX_CQL_MAX_KEYS + 1];
  char kinds[LX_CQL_MAX_KEYS + 2];
  for (size_t k = 0; k < nk; k++) {
    names[k] = keys[k].name;
    kinds[k] = 's';
  }
  names[nk] = "freq";
  kinds[nk] = 'i';
  kinds[nk + 1] = '\0';
  if (fmt != LX_FMT_TEXT) {
    lx_table t;
    lx_table_begin(&t, ob, fmt, (int)nk + 1, names, kinds, header, title);
    for (size_t i = 0; i < n; i++) {
      for (size_t k = 0; k < nk; k++) lx_table_str(&t, text + c->cell[2 * (i * nk + k)], c->cell[2 * (i * nk + k) + 1]);
      lx_table_uint(&t, c->freq[i]);
      lx_table_end_row(&t);
    }
    lx_table_end(&t);
  } else {
    size_t width[LX_CQL_MAX_KEYS + 1];
    char num[24];
    for (size_t k = 0; k <= nk; k++) width[k] = header ? strlen(names[k]) : 0;
    for (size_t i = 0; i < n; i++) {
      for (size_t k = 0; k < nk; k++) {
        size_t w = lx_display_width(text + c->cell[2 * (i * nk + k)], c->cell[2 * (i * nk + k) + 1]);
        if (w > CELL_MAX) w = CELL_MAX;
        if (w > width[k]) width[k] = w;
      }
      size_t w = lx_enc_uint(num, c->freq[i]);
      if (w > width[nk]) width[nk] = w;
    }
    lx_tcell row[LX_CQL_MAX_KEYS + 1];
    if (header) {
      for (size_t k = 0; k <= nk; k++)
        row[k] = (lx_tcell){ names[k], strlen(names[k]), strlen(names[k]), width[k], k < nk };
      lx_ob_text_row(ob, row, nk + 1);
    }
    for (size_t i = 0; i < n; i++) {
      for (size_t k = 0; k < nk; k++) {
        const char *s = text + c->cell[2 * (i * nk + k)];
        size_t len = c->cell[2 * (i * nk + k) + 1];
        row[k] = (lx_tcell){ s, len, lx_display_width(s, len), width[k], 1 };
      }
      row[nk] = (lx_tcell){ num, lx_enc_uint(num, c->freq[i]), 0, width[nk], 0 };
      lx_ob_text_row(ob, row, nk + 1);
    }
  }
  lx_ob_flush(ob);
  int rc = ob->err;
  free(ob);
  if (!rc && ferror(f)) rc = errno ? errno : EIO;
  return rc;
}

/* ---------------------------------------------------------------- sorting */

/* Each hit's key values as ranks: hit i, key k in vals[off[i * nkeys + k]
** .. + len[...]) (ranks of the strings among the ids the hits use; 0 for no
** token). */
typedef struct sortctx {
  const lx_cql_result *r;
  const lx_cql_key *keys;
  size_t nkeys;
  uint32_t *vals;
  size_t *off;
  uint32_t *len;
} sortctx;

static int cmp_hits(const void *pa, const void *pb, void *arg) {
  const sortctx *s = arg;
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  const lx_cql_hit *ha = &s->r->hits[a], *hb = &s->r->hits[b];
  for (size_t k = 0; k < s->nkeys; k++) {
    int d = 0;
    if (s->keys[k].anchor == LX_CQL_ON_POSITION) d = ha->start < hb->start ? -1 : ha->start > hb->start;
    else {
      size_t ka = a * s->nkeys + k, kb = b * s->nkeys + k, la = s->len[ka], lb = s->len[kb];
      /* a folded key: the folded strings, then (ties) the strings as they are, as cqp breaks ties */
      for (int pass = 0; pass < (s->keys[k].fold ? 2 : 1) && !d; pass++) {
        const uint32_t *x = s->vals + s->off[ka] + pass * la, *y = s->vals + s->off[kb] + pass * lb;
        size_t m = la < lb ? la : lb;
        for (size_t i = 0; i < m && !d; i++) d = x[i] < y[i] ? -1 : x[i] > y[i];
        if (!d && la != lb) d = la < lb ? -1 : 1;
      }
    }
    if (d) return s->keys[k].reverse ? -d : d;
  }
  if (ha->start != hb->start) return ha->start < hb->start ? -1 : 1;
  if (ha->end != hb->end) return ha->end < hb->end ? -1 : 1;
  return a < b ? -1 : a > b;
}

/* An id the hits use, with its string (folded), to be ranked. */
typedef struct used {
  uint32_t id;
  size_t off, len;
} used;

static int cmp_used(const void *pa, const void *pb, void *arg) {
  const used *a = pa, *b = pb;
  const char *t = arg;
  size_t m = a->len < b->len ? a->len : b->len;
  int d = m ? memcmp(t + a->off, t + b->off, m) : 0;
  if (d) return d;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* Turns the ids of key k in s->vals into ranks of their strings, folded
** by fold; pass 1: the second copy of a folded key's ids. */
static int rank_key(const lx_cview *v, sortctx *s, size_t k, int fold, int pass, char *err, size_t errlen) {
  const lx_cql_key *key = &s->keys[k];
  uint64_t most = key_ids_max(v, key);
  uint32_t lex = most >= UNDEF ? UNDEF : (uint32_t)most;
  uint64_t *seen = lx_calloc((size_t)lex / 64 + 1, sizeof *seen);
  uint32_t *rank = lx_malloc(((size_t)lex + 1) * sizeof *rank);
  used *u = NULL;
  cqlr_buf text = { 0 };
  size_t nu = 0;
  int rc = ENOMEM;
  if (!seen || !rank) goto out;
  for (size_t i = 0; i < s->r->n; i++) {
    uint32_t len = s->len[i * s->nkeys + k];
    const uint32_t *x = s->vals + s->off[i * s->nkeys + k] + pass * len;
    for (uint32_t j = 0; j < len; j++)
      if (x[j] != UNDEF && !(seen[x[j] / 64] >> (x[j] % 64) & 1)) {
        seen[x[j] / 64] |= 1ull << (x[j] % 64);
        nu++;
      }
  }
  u = lx_malloc((nu ? nu : 1) * sizeof *u);
  if (!u) goto out;
  size_t w = 0;
  for (uint32_t id = 0; id < lex; id++) {
    if (!(seen[id / 64] >> (id % 64) & 1)) continue;
    const char *str;
    size_t len;
    if (key_str(v, key, id, &str, &len) != 0) {
      rc = cqlr_view_error(v, err, errlen);
      goto out;
    }
    size_t at = text.n;
    if (put_folded(&text, str, len, fold)) goto out;
    u[w++] = (used){ id, at, text.n - at };
  }
  qsort_r(u, nu, sizeof *u, cmp_used, text.p);
  uint32_t r = 0;
  for (size_t i = 0; i < nu; i++) {
    if (i == 0 || cmp_used(&u[i - 1], &u[i], text.p) != 0) r++;
    rank[u[i].id] = r;
  }
  for (size_t i = 0; i < s->r->n; i++) {
    uint32_t len = s->len[i * s->nkeys + k];
    uint32_t *x = s->vals + s->off[i * s->nkeys + k] + pass * len;
    for (uint32_t j = 0; j < len; j++) x[j] = x[j] == UNDEF ? 0 : rank[x[j]];
  }
  rc = 0;
out:
  if (rc == ENOMEM) snprintf(err, errlen, "cql: out of memory");
  free(seen);
  free(rank);
  free(u);
  free(text.p);
  return rc;
}

/* The worst of the best kept at the top of a heap of k. */
static void sift_down(size_t *h, size_t n, size_t i, sortctx *s) {
  for (;;) {
    size_t l = 2 * i + 1, m = i;
    if (l < n && cmp_hits(&h[l], &h[m], s) > 0) m = l;
    if (l + 1 < n && cmp_hits(&h[l + 1], &h[m], s) > 0) m = l + 1;
    if (m == i) return;
    size_t t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

int lx_cql_sort(const lx_cview *v, lx_cql_result *r, const lx_cql_key *keys, size_t nkeys, size_t limit,
                char *err, size_t errlen) {
  sortctx s = { r, keys, nkeys, NULL, NULL, NULL };
  size_t keep = limit && limit < r->n ? limit : r->n, *idx = NULL;
  lx_cql_hit *hits = NULL;
  int64_t *labels = NULL;
  int rc = ENOMEM;
  if (r->n == 0) return 0;
  size_t total = 0;
  for (size_t i = 0; i < r->n; i++)
    for (size_t k = 0; k < nkeys; k++)
      total += (keys[k].anchor == LX_CQL_ON_SPAN ? (size_t)(r->hits[i].end - r->hits[i].start) : 1)
               * (keys[k].fold ? 2 : 1);
  s.vals = lx_malloc((total ? total : 1) * sizeof *s.vals);
  s.off = lx_malloc(r->n * nkeys * sizeof *s.off);
  s.len = lx_malloc(r->n * nkeys * sizeof *s.len);
  idx = lx_malloc(r->n * sizeof *idx);
  if (!s.vals || !s.off || !s.len || !idx) goto nomem;
  size_t at = 0;
  for (size_t i = 0; i < r->n; i++) {
    if ((i & 0xffff) == 0 && lx_interrupted()) goto interrupted;
    for (size_t k = 0; k < nkeys; k++) {
      size_t m = 0;
      if (keys[k].anchor != LX_CQL_ON_POSITION &&
          (rc = key_ids(v, &keys[k], &r->hits[i], 1, s.vals + at, &m, err, errlen)))
        goto fail;
      s.off[i * nkeys + k] = at;
      s.len[i * nkeys + k] = (uint32_t)m;
      if (keys[k].fold) {          /* a copy to rank unfolded, for ties */
        memcpy(s.vals + at + m, s.vals + at, m * sizeof *s.vals);
        at += m;
      }
      at += m;
    }
  }
  for (size_t k = 0; k < nkeys; k++)
    if (keys[k].anchor != LX_CQL_ON_POSITION &&
        ((rc = rank_key(v, &s, k, keys[k].fold, 0, err, errlen)) ||
         (keys[k].fold && (rc = rank_key(v, &s, k, 0, 1, err, errlen)))))
      goto fail;
  if (keep < r->n) {              /* the best keep of them in a heap, the worst on top */
    for (size_t i = 0; i < keep; i++) idx[i] = i;
    for (size_t i = keep / 2; i-- > 0;) sift_down(idx, keep, i, &s);
    for (size_t i = keep; i < r->n; i++) {
      if ((i & 0xffff) == 0 && lx_interrupted()) goto interrupted;
      if (keep && cmp_hits(&i, &idx[0], &s) < 0) {
        idx[0] = i;
        sift_down(idx, keep, 0, &s);
      }
    }
  } else
    for (size_t i = 0; i < r->n; i++) idx[i] = i;
  qsort_r(idx, keep, sizeof *idx, cmp_hits, &s);
  hits = lx_malloc((keep ? keep : 1) * sizeof *hits);
  if (!hits) goto nomem;
  if (r->nlabels) {
    labels = lx_malloc((keep ? keep : 1) * r->nlabels * sizeof *labels);
    if (!labels) goto nomem;
  }
  for (size_t i = 0; i < keep; i++) {
    hits[i] = r->hits[idx[i]];
    if (labels) memcpy(labels + i * r->nlabels, r->labels + idx[i] * r->nlabels, r->nlabels * sizeof *labels);
  }
  free(r->hits);
  r->hits = hits;
  if (labels) {
    free(r->labels);
    r->labels = labels;
  }
  r->n = keep;
  rc = 0;
  goto out;
interrupted:
  snprintf(err, errlen, "cql: interrupted");
  rc = -1;
  goto out;
nomem:
  snprintf(err, errlen, "cql: out of memory");
fail:
  free(hits);
  free(labels);
  rc = -1;
out:
  free(s.vals);
  free(s.off);
  free(s.len);
  free(idx);
  return rc;
}

/* ----------------------------------------------------- set operations */

int cqlr_cmp_range(const void *pa, const void *pb) {
  const lx_cql_hit *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return a->end < b->end ? -1 : a->end > b->end;
}

/* r's hits in corpus order (a sorted result is not), malloced. */
lx_cql_hit *cqlr_in_order(const lx_cql_result *r) {
  lx_cql_hit *h = lx_malloc((r->n ? r->n : 1) * sizeof *h);
  if (!h) return NULL;
  if (r->n) memcpy(h, r->hits, r->n * sizeof *h);
  qsort(h, r->n, sizeof *h, cqlr_cmp_range);
  return h;
}

int lx_cql_setop(const lx_cql_result *a, const lx_cql_result *b, int op, lx_cql_result *out) {
  lx_cql_hit *x = cqlr_in_order(a), *y = cqlr_in_order(b);
  lx_cql_hit *z = lx_malloc((a->n + b->n ? a->n + b->n : 1) * sizeof *z);
  if (!x || !y || !z) {
    free(x), free(y), free(z);
    return ENOMEM;
  }
  size_t i = 0, j = 0, n = 0;
  while (i < a->n || j < b->n) {     /* a merge of two ordered lists */
    int c = i == a->n ? 1 : j == b->n ? -1 : cqlr_cmp_range(&x[i], &y[j]);
    if (c < 0) {                     /* only in a */
      if (op != LX_CQL_INTERSECT) z[n++] = x[i];
      i++;
    } else if (c > 0) {              /* only in b */
      if (op == LX_CQL_UNION) z[n++] = y[j];
      j++;
    } else {                         /* in both: a's anchors */
      if (op != LX_CQL_DIFFERENCE) z[n++] = x[i];
      i++, j++;
    }
    /* (a range twice in one result, as a query never gives: kept as often as the merge meets it) */
  }
  free(x), free(y);
  memset(out, 0, sizeof *out);
  out->hits = z;
  out->n = n;
  out->strategy = a->strategy;
  return 0;
}

/* ----------------------------------------------------------- sampling */

int lx_cql_sample(lx_cql_result *r, size_t k, uint64_t seed) {
  if (k >= r->n) return 0;
  size_t *idx;
  if (lx_sample_pick(r->n, k, seed, &idx)) return ENOMEM;
  for (size_t i = 0; i < k; i++) {   /* idx increasing: each moves down or stays */
    r->hits[i] = r->hits[idx[i]];
    if (r->nlabels)
      memmove(r->labels + i * r->nlabels, r->labels + idx[i] * r->nlabels, r->nlabels * sizeof *r->labels);
  }
  r->n = k;
  free(idx);
  return 0;
}
