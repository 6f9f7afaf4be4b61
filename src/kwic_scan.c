/*
** kwic_scan.c: finding hits in text without an index. A tokenizer pass
** with a ring of recent tokens (phrases by shift-and, two threads for a big
** text), a literal fast path that meets the tokenizer only at candidates,
** and the token positions and sort keys the fast path leaves for later.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "alloc.h"
#include "kwic_private.h"

/* ================================================================ scanning */

typedef struct rtok {
  uint64_t start;
  uint32_t len;
  uint8_t kind, ascii;
} rtok;

/* Per-type memo of glob and regex results, keyed by the token's bytes. */
typedef struct memo {
  lx_lex types;
  uint32_t *mask;
  size_t cap;
  int rerr;                 /* a regex failed (pcre2_match's code) ... */
  size_t rpos;              /* ... at this query position */
} memo;

static int ascii_eq_folded(const char *s, const char *lower, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char a = (unsigned char)s[i];
    if (a >= 'A' && a <= 'Z') a += 32;
    if (a != (unsigned char)lower[i]) return 0;
  }
  return 1;
}

/* The key id + 1 of text s[0..n) folded. 0 if out of memory (no key). */
static uint32_t key_of(lx_conc *c, lx_tokenizer *t, const char *s, size_t n, int kind) {
  size_t fl;
  const char *f = lx_tok_text(t, s, n, kind, &fl);
  if (!f) return 0;
  uint32_t id = lx_lex_intern(&c->keys, f, fl);
  return id == LX_NOID ? 0 : id + 1;
}

/*
** The bit set of query positions that token k matches. Literal positions
** are compared directly (ASCII tokens fold in the comparison); globs and
** regular expressions are tested once per distinct token through the memo.
*/
static int token_mask(const lx_query *q, lx_tokenizer *t, memo *m, unsigned simple, unsigned any,
                      const char *s, const rtok *tk, uint32_t *out) {
  uint32_t mask = any;                /* "*" alone matches every token */
  int fold = !(q->flags & LX_Q_CASE);
  const char *f = NULL;
  size_t fl = 0;
  for (size_t i = 0; i < q->n; i++) {
    const lx_pat *p = &q->pos[i];
    if (!(simple >> i & 1)) continue;
    if (fold && tk->ascii) {
      if (p->len == tk->len && ascii_eq_folded(s, p->text, p->len)) mask |= 1u << i;
      continue;
    }
    if (!f) {
      if (fold) {
        f = lx_tok_text(t, s, tk->len, tk->kind, &fl);
        if (!f) return -1;
      } else {
        f = s;
        fl = tk->len;
      }
    }
    if (fl == p->len && memcmp(f, p->text, fl) == 0) mask |= 1u << i;
  }
  if ((simple | any) != (q->n >= 32 ? ~0u : (1u << q->n) - 1)) {   /* 32 positions: no shift by 32 */
    uint32_t before = m->types.n;
    uint32_t id = lx_lex_intern(&m->types, s, tk->len);
    if (id == LX_NOID) return -1;
    if (id == before) {                     /* a new type: test it once */
      if (id >= m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        uint32_t *p = lx_realloc(m->mask, cap * sizeof *p);
        if (!p) return -1;
        m->mask = p;
        m->cap = cap;
      }
      const char *g = s;
      size_t gl = tk->len;
      if (fold) {
        g = lx_tok_text(t, s, tk->len, tk->kind, &gl);
        if (!g) return -1;
      }
      uint32_t bits = 0;
      for (size_t i = 0; i < q->n; i++) {
        if ((simple | any) >> i & 1) continue;
        int r = lx_pat_match(&q->pos[i], g, gl);
        if (r < 0) {               /* PCRE2's limits: an error, not "no match" */
          m->rerr = r;
          m->rpos = i;
          return -2;
        }
        if (r) bits |= 1u << i;
      }
      m->mask[id] = bits;
    }
    mask |= m->mask[id];
  }
  *out = mask;
  return 0;
}

/* All the sentences of text[0..len), as a malloced array. 0, or -1. */
int lx_conc_split_all(const lx_splitter *sp, const char *text, size_t len, lx_span **out, size_t *n) {
  size_t cap = 1024, at = 0;
  lx_span *v = lx_malloc(cap * sizeof *v);
  lx_split_state st;
  memset(&st, 0, sizeof st);
  *n = 0;
  if (!v) return -1;
  while (at < len) {
    if (*n + 256 > cap) {
      lx_span *p = lx_realloc(v, (cap *= 2) * sizeof *p);
      if (!p) { free(v); return -1; }
      v = p;
    }
    size_t settled;
    size_t k = lx_split(sp, &st, text + at, len - at, 1, v + *n, cap - *n, &settled);
    for (size_t i = 0; i < k; i++) { v[*n + i].start += at; v[*n + i].stop += at; }
    *n += k;
    if (settled == 0 && k == 0) break;
    at += settled;
  }
  *out = v;
  return 0;
}

/* One part of a document to scan (a whole one, or half of a big one). */
typedef struct scanjob {
  lx_conc *c;               /* where the hits go (a private one for a second part) */
  uint32_t d;
  const char *text;
  size_t len;
  size_t from;              /* tokenize from here (a token boundary) */
  size_t lo, hi;            /* keep hits that start in [lo, hi) */
  size_t mark;              /* count the tokens before this offset ... */
  uint64_t before_mark;     /* ... here */
  const lx_query *q;
  lx_tokenizer *t;
  const lx_span *sents;     /* the document's sentences, or NULL */
  size_t nsents;
  int rc;
  const char *name;         /* the document's name, for messages */
} scanjob;

/* Progress is told every megabyte scanned, which keeps the atomic counter
** out of the loops. */
#define PROGRESS_BYTES ((size_t)1 << 20)

/* The scan was stopped through c->progress (its hook failed or asked to). */
static int stopped(lx_conc *c) {
  snprintf(c->err, sizeof c->err, "interrupted");
  return -1;
}

/*
** One pass of the tokenizer over [from, len), stopping once past hi with
** no hit waiting. A ring keeps the last tokens, enough for the left context
** of a hit found at the current token; hits still waiting for their right
** context are the last ones appended, so they are updated in place as
** tokens arrive. Phrases are matched with shift-and: bit i of `state` says
** the last i+1 tokens match positions 0..i. Positions count from `from`.
*/
static int scan_part(scanjob *j) {
  lx_conc *c = j->c;
  const lx_query *q = j->q;
  lx_tokenizer *t = j->t;
  const char *text = j->text;
  size_t len = j->len;
  unsigned left = c->left > 3 ? c->left : 3, right = c->right > 3 ? c->right : 3;
  size_t need = left + q->n + right + 4, rcap = 16;
  while (rcap < need) rcap *= 2;
  rtok *ring = lx_malloc(rcap * sizeof *ring);
  enum { B = 4096 };
  lx_token *buf = lx_malloc(B * sizeof *buf);
  memo m = { .mask = NULL, .cap = 0 };
  lx_lex_init(&m.types);
  int rc = -1;
  size_t si = 0;
  if (!ring || !buf) goto done;
  if (j->sents) {                     /* the sentence at `from` */
    size_t lo = 0, hi = j->nsents;
    while (hi - lo > 1) { size_t mid = (lo + hi) / 2; if (j->sents[mid].start <= j->from) lo = mid; else hi = mid; }
    si = lo;
  }

  unsigned simple = 0, any = 0;
  for (size_t i = 0; i < q->n; i++) {
    if (q->pos[i].kind == LX_PAT_LITERAL) simple |= 1u << i;
    if (q->pos[i].kind == LX_PAT_GLOB && q->pos[i].len == 1 && q->pos[i].text[0] == '*') any |= 1u << i;
  }
  uint32_t last = 1u << (q->n - 1), state = 0;
  size_t pend = c->n;                 /* first hit still waiting for right context */
  uint64_t k = 0;                     /* tokens seen */
  uint64_t past = UINT64_MAX;         /* the first token at or after hi */
  /* bytes of [lo, hi) told to c->progress: the second thread starts before
  ** lo, on bytes the first one reports */
  size_t at = j->from, reported = j->lo;
  int stopping = 0;
  j->before_mark = 0;
  while (at < len) {
    size_t used;
    size_t nt = lx_tokenize(t, text + at, len - at, 1, buf, B, &used);
    for (size_t i = 0; i < nt; i++, k++) {
      rtok *tk = &ring[k & (rcap - 1)];
      *tk = (rtok){ at + buf[i].start, buf[i].len, buf[i].kind, buf[i].ascii };
      if (tk->start < j->mark) j->before_mark = k + 1;
      /* right context and keys of the hits waiting for it */
      for (size_t h = pend; h < c->n; h++) {
        lx_hit *hp = &c->hits[h];
        uint64_t after = k - (hp->pos + hp->ntok - 1);    /* 1 = R1 */
        if (after <= c->right) hp->rend = tk->start + tk->len;
        if (after <= 3)
          hp->key[LX_K_NODE + after] = key_of(c, t, text + tk->start, tk->len, tk->kind);
        if (after >= right && h == pend) pend++;
      }
      if (c->best.limit && c->n >= c->best.bound) {   /* pick the best; the waiting ones wait on */
        size_t waiting = c->n - pend;
        if (lx_conc_prune(c, j->d, pend)) goto out;
        pend = c->n - waiting;
      }
      if (tk->start >= j->hi && past == UINT64_MAX) past = k;
      if (past != UINT64_MAX && k >= past + q->n) stopping = 1;   /* no hit can start before hi now */
      if (stopping) {
        if (pend == c->n && tk->start >= j->mark) goto finished;
        continue;
      }
      uint32_t mask;
      int mr = token_mask(q, t, &m, simple, any, text + tk->start, tk, &mask);
      if (mr == -2) {
        const lx_pat *p = &q->pos[m.rpos];
        char msg[160];
        lx_regex_failure(m.rerr, p->text, p->len, msg, sizeof msg);
        snprintf(c->err, sizeof c->err, "%s: %s at byte %zu", j->name, msg, tk->start);
        goto out;
      }
      if (mr) goto done;
      state = ((state << 1) | 1u) & mask;
      if (!(state & last)) continue;
      uint64_t s = k + 1 - q->n;
      lx_hit hit;
      memset(&hit, 0, sizeof hit);
      hit.start = ring[s & (rcap - 1)].start;
      if (hit.start < j->lo || hit.start >= j->hi) continue;
      if (c->count_only) {            /* counted, not kept: memory does not grow with hits */
        c->counted++;
        if (c->stop_after && c->counted >= c->stop_after) { stopping = 1; j->hi = 0; }
        continue;
      }
      hit.pos = hit.cpos = s;
      hit.doc = j->d;
      hit.ntok = (uint32_t)q->n;
      hit.end = tk->start + tk->len;
      uint64_t l0 = s >= c->left ? s - c->left : 0;
      hit.lstart = c->left ? ring[l0 & (rcap - 1)].start : hit.start;
      hit.rend = hit.end;
      hit.have = LX_HAVE_BYTES | LX_HAVE_POS | 0x7F;
      for (unsigned r = 1; r <= 3 && r <= s; r++) {
        const rtok *lt = &ring[(s - r) & (rcap - 1)];
        hit.key[LX_K_NODE - r] = key_of(c, t, text + lt->start, lt->len, lt->kind);
      }
      hit.key[LX_K_NODE] = key_of(c, t, text + hit.start, hit.end - hit.start, LX_WORD);
      if (j->sents) {                 /* hits come in text order: walk the sentences along */
        while (si + 1 < j->nsents && j->sents[si + 1].start <= hit.start) si++;
        if (j->nsents) {
          hit.sent = si + 1;
          hit.sstart = j->sents[si].start < hit.start ? j->sents[si].start : hit.start;
          hit.sstop = j->sents[si].stop > hit.end ? j->sents[si].stop : hit.end;
          hit.have |= LX_HAVE_SENT;
        }
      }
      if (lx_conc_push(c, &hit)) goto done;
      if (c->stop_after && c->n >= c->stop_after) { stopping = 1; j->hi = 0; }
    }
    if (used == 0) break;             /* cannot happen with final = 1; be safe */
    at += used;
    if (c->progress && at < j->hi && at > reported && at - reported >= PROGRESS_BYTES) {
      if (lx_progress_step(c->progress, at - reported)) goto cancelled;
      reported = at;
    }
  }
finished:
  if (c->progress && j->hi > reported && lx_progress_step(c->progress, (j->hi < len ? j->hi : len) - reported))
    goto cancelled;
  rc = 0;
  goto out;
cancelled:
  rc = stopped(c);
  goto out;
done:
  snprintf(c->err, sizeof c->err, "out of memory");
out:
  free(ring);
  free(buf);
  free(m.mask);
  lx_lex_free(&m.types);
  return rc;
}

static void *scan_main(void *arg) {
  scanjob *j = arg;
  j->rc = scan_part(j);
  return NULL;
}

/* Where to cut a big text in two: after a newline near the middle; 0 if none. */
static size_t cut_point(const char *text, size_t len) {
  const char *nl = memchr(text + len / 2, '\n', len - len / 2);
  return nl && (size_t)(nl - text) + 1 < len ? (size_t)(nl - text) + 1 : 0;
}

/*
** Appends the hits of sub (the second half of document d) to c: positions
** move by the tokens before sub's start, key ids are re-interned in c's
** key lexicon.
*/
static int merge_scan(lx_conc *c, lx_conc *sub, uint64_t base) {
  uint32_t *map = lx_malloc(((size_t)sub->keys.n + 1) * sizeof *map);
  if (!map || lx_conc_reserve(c, c->n + sub->n)) { free(map); return -1; }
  map[0] = 0;
  for (uint32_t i = 0; i < sub->keys.n; i++) {
    size_t len;
    const char *k = lx_lex_str(&sub->keys, i, &len);
    uint32_t id = lx_lex_intern(&c->keys, k, len);
    if (id == LX_NOID) { free(map); return -1; }
    map[i + 1] = id + 1;
  }
  c->counted += sub->counted;
  c->dropped += sub->dropped;
  for (size_t i = 0; i < sub->n; i++) {
    lx_hit h = sub->hits[i];
    h.pos += base;
    h.cpos += base;
    for (int s = 0; s < LX_NSLOTS; s++) h.key[s] = map[h.key[s]];
    c->hits[c->n++] = h;
  }
  free(map);
  return 0;
}

/* ---------------------------------------------------------------- fast path */

static inline int ascii_alnum(unsigned char ch) {
  return ((ch | 32u) >= 'a' && (ch | 32u) <= 'z') || (ch >= '0' && ch <= '9');
}

/* Bytes next to a word that may join it into a longer token (UAX #29:
** apostrophes, periods, colons, commas between letters or digits; the
** underscore; anything not ASCII): the tokenizer decides those. */
static inline int maybe_joins(unsigned char ch) {
  return ch >= 0x80 || ch == '\'' || ch == '.' || ch == ':' || ch == ',' || ch == ';' || ch == '_';
}

/* A place at or before i where tokenizing can start: the document's
** start, or just after ASCII white space that an ASCII byte follows. */
static size_t safe_start(const char *t, size_t i) {
  while (i > 0) {
    unsigned char prev = (unsigned char)t[i - 1], ch = (unsigned char)t[i];
    if ((prev == ' ' || prev == '\n' || prev == '\t' || prev == '\r') && ch < 0x80 && ch > ' ') return i;
    i--;
  }
  return 0;
}

/* The tokens around one: up to three before and three after. */
typedef struct around {
  uint64_t start[7];         /* [3] is the node; [3 - nb .. 3) before, [4 .. 4 + na) after */
  uint32_t len[7];
  uint8_t kind[7];
  int nb, na;
} around;

/*
** Tokenizes from a safe start before `at`, streaming, and finds the token
** that starts at `at` with `before` tokens before it (fewer at the start of
** the document; the start moves further back when a long run without white
** space leaves too few) and `after` after it. 0, or -1 if no token starts
** at `at`.
*/
static int tokens_around(lx_tokenizer *t, const char *text, size_t len, size_t at, int before,
                         int after, around *o) {
  enum { B = 16 };                    /* a few at a time: the tokenizer makes as many as it may */
  lx_token buf[B];
  size_t s = at;
  for (int b = 0; b <= before + 1 && s > 0; b++) s = safe_start(text, s - 1);
  for (;;) {
    uint64_t hs[3] = { 0 };
    uint32_t hl[3] = { 0 };
    uint8_t hk[3] = { 0 };
    int nh = 0, found = 0;            /* a ring of the last three tokens before */
    o->na = 0;
    size_t pos = s;
    while (pos < len && !(found && o->na == after)) {
      size_t used, n = lx_tokenize(t, text + pos, len - pos, 1, buf, B, &used);
      for (size_t i = 0; i < n; i++) {
        uint64_t st = pos + buf[i].start;
        if (!found) {
          if (st > at) return -1;
          if (st == at) {
            found = 1;
            o->start[3] = st; o->len[3] = buf[i].len; o->kind[3] = buf[i].kind;
            if (after == 0) break;
            continue;
          }
          hs[nh % 3] = st; hl[nh % 3] = buf[i].len; hk[nh % 3] = buf[i].kind;
          nh++;
        } else {
          int j = 4 + o->na++;
          o->start[j] = st; o->len[j] = buf[i].len; o->kind[j] = buf[i].kind;
          if (o->na == after) break;
        }
      }
      if (used == 0) break;
      pos += used;
    }
    if (!found) return -1;
    if (nh < before && s > 0) {       /* too few before it: start further back */
      s = safe_start(text, s - 1);
      continue;
    }
    o->nb = nh < before ? nh : before;
    for (int k = 1; k <= o->nb; k++) {
      int r = (nh - k) % 3;
      o->start[3 - k] = hs[r]; o->len[3 - k] = hl[r]; o->kind[3 - k] = hk[r];
    }
    return 0;
  }
}

/*
** The next offset >= i, below end, whose byte is lo or up and (when two)
** whose next byte is lo1 or up1; (size_t)-1 if none. Sixteen places at a
** time with SSE2, where the first two bytes of the word rule out nearly
** every place a word starting with a common letter would stop at.
*/
static size_t next_candidate(const char *text, size_t end, size_t i, unsigned char lo, unsigned char up,
                             int two, unsigned char lo1, unsigned char up1) {
#ifdef __SSE2__
  const __m128i vlo = _mm_set1_epi8((char)lo), vup = _mm_set1_epi8((char)up);
  const __m128i vlo1 = _mm_set1_epi8((char)lo1), vup1 = _mm_set1_epi8((char)up1);
  while (i + 17 <= end) {        /* reads text[i .. i + 16], all before end + m - 1 */
    __m128i a = _mm_loadu_si128((const __m128i *)(text + i));
    __m128i eq = _mm_or_si128(_mm_cmpeq_epi8(a, vlo), _mm_cmpeq_epi8(a, vup));
    if (two) {
      __m128i b = _mm_loadu_si128((const __m128i *)(text + i + 1));
      eq = _mm_and_si128(eq, _mm_or_si128(_mm_cmpeq_epi8(b, vlo1), _mm_cmpeq_epi8(b, vup1)));
    }
    unsigned mask = (unsigned)_mm_movemask_epi8(eq);
    if (mask) return i + (size_t)__builtin_ctz(mask);
    i += 16;
  }
#endif
  for (; i < end; i++) {
    unsigned char ch = (unsigned char)text[i];
    if ((ch == lo || ch == up) &&
        (!two || (unsigned char)text[i + 1] == lo1 || (unsigned char)text[i + 1] == up1))
      return i;
  }
  return (size_t)-1;
}

/*
** The literal fast path: a one-word ASCII query with no token context is
** found with memchr and byte compares, and only its candidates meet the
** tokenizer (where a neighbouring byte might join them into a longer
** token). Token positions and sort keys come later, on demand.
*/
static int scan_literal(lx_conc *c, uint32_t d, const lx_query *q, lx_tokenizer *t,
                        const lx_span *sents, size_t nsents) {
  const char *text = c->docs[d].text;
  size_t len = c->docs[d].len;
  const lx_pat *p = &q->pos[0];
  const unsigned char *pat = (const unsigned char *)p->text;
  size_t m = p->len;
  int fold = !(q->flags & LX_Q_CASE);
  unsigned char lo = pat[0], up = pat[0];
  if (fold && lo >= 'a' && lo <= 'z') up = (unsigned char)(lo - 32);
  around win;
  size_t si = 0;
  unsigned char lo1 = m > 1 ? pat[1] : 0, up1 = lo1;
  if (fold && lo1 >= 'a' && lo1 <= 'z') up1 = (unsigned char)(lo1 - 32);
  size_t i = 0, reported = 0;
  while (i + m <= len) {
    size_t cand = next_candidate(text, len - m + 1, i, lo, up, m > 1, lo1, up1);
    if (cand == (size_t)-1) break;
    i = cand;
    if (c->progress && i - reported >= PROGRESS_BYTES) {
      if (lx_progress_step(c->progress, i - reported)) return stopped(c);
      reported = i;
    }
    size_t at = i++;
    const unsigned char *u = (const unsigned char *)text + at;
    size_t k = 1;
    if (fold) { while (k < m && (u[k] >= 'A' && u[k] <= 'Z' ? u[k] + 32 : u[k]) == pat[k]) k++; }
    else { while (k < m && u[k] == pat[k]) k++; }
    if (k < m) continue;
    unsigned char prev = at > 0 ? u[-1] : ' ', next = at + m < len ? u[m] : ' ';
    if (ascii_alnum(prev) || ascii_alnum(next)) continue;
    if ((maybe_joins(prev) || maybe_joins(next)) &&   /* the tokenizer decides */
        (tokens_around(t, text, len, at, 0, 0, &win) || win.len[3] != m))
      continue;
    if (c->count_only) {
      c->counted++;
      if (c->stop_after && c->counted >= c->stop_after) break;
      i = at + m;
      continue;
    }
    lx_hit hit;
    memset(&hit, 0, sizeof hit);
    hit.start = hit.lstart = at;
    hit.end = hit.rend = at + m;
    hit.cpos = at;                    /* orders like the position; the position comes later */
    hit.doc = d;
    hit.ntok = 1;
    hit.have = LX_HAVE_BYTES;
    if (sents) {
      while (si + 1 < nsents && sents[si + 1].start <= hit.start) si++;
      if (nsents) {
        hit.sent = si + 1;
        hit.sstart = sents[si].start < hit.start ? sents[si].start : hit.start;
        hit.sstop = sents[si].stop > hit.end ? sents[si].stop : hit.end;
        hit.have |= LX_HAVE_SENT;
      }
    }
    if (lx_conc_push(c, &hit)) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
    if (c->best.limit && c->n >= c->best.bound && lx_conc_prune(c, d, c->n)) return -1;
    if (c->stop_after && c->n >= c->stop_after) break;
    i = at + m;
  }
  if (c->progress && lx_progress_step(c->progress, len - reported)) return stopped(c);
  return 0;
}

/* Sort keys of a fast-path hit, from the tokens around it. */
static int fill_keys(lx_conc *c, lx_hit *h) {
  if (lx_conc_load(c, h->doc) < 0) return -2;
  const char *text = c->docs[h->doc].text;
  around a;
  if (tokens_around(c->tok, text, c->docs[h->doc].len, h->start, 3, 3, &a)) return -1;
  for (int s = 0; s < LX_NSLOTS; s++) {
    int j = s - LX_K_NODE;            /* -3 .. 3 */
    uint32_t key = 0;
    if ((j < 0 && -j <= a.nb) || j == 0 || (j > 0 && j <= a.na)) {
      key = key_of(c, c->tok, text + a.start[3 + j], a.len[3 + j], a.kind[3 + j]);
      if (!key) return -1;
    }
    h->key[s] = key;
  }
  h->have |= 0x7F;
  return 0;
}

static int scan_fill(void *ctx, lx_hit *h, size_t n, unsigned want, unsigned left, unsigned right) {
  (void)left; (void)right;
  lx_conc *c = ctx;
  for (size_t i = 0; i < n; i++)
    if ((want & 0x7F) && (h[i].have & (want & 0x7F)) != (want & 0x7F)) {
      int rc = fill_keys(c, &h[i]);
      if (rc == -1) snprintf(c->err, sizeof c->err, "out of memory");
      if (rc) return -1;
    }
  return 0;
}

int lx_conc_cmp_place(const void *a, const void *b, void *arg) {
  const lx_hit *hits = arg;
  const lx_hit *x = &hits[*(const size_t *)a], *y = &hits[*(const size_t *)b];
  if (x->doc != y->doc) return x->doc < y->doc ? -1 : 1;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Token positions of fast-path hits: one counting pass per document, up to
** its last hit. */
int lx_conc_positions(lx_conc *c) {
  size_t need = 0;
  for (size_t i = 0; i < c->n; i++) need += !(c->hits[i].have & LX_HAVE_POS);
  if (!need) return 0;
  size_t *idx = lx_malloc(need * sizeof *idx);
  enum { B = 4096 };
  lx_token *buf = lx_malloc(B * sizeof *buf);
  if (!idx || !buf || !c->tok) {
    free(idx); free(buf);
    snprintf(c->err, sizeof c->err, "out of memory");
    return -1;
  }
  size_t k = 0;
  for (size_t i = 0; i < c->n; i++)
    if (!(c->hits[i].have & LX_HAVE_POS)) idx[k++] = i;
  qsort_r(idx, need, sizeof *idx, lx_conc_cmp_place, c->hits);
  for (size_t a = 0; a < need;) {
    uint32_t d = c->hits[idx[a]].doc;
    if (lx_conc_load(c, d) < 0) {
      free(idx); free(buf);
      return -1;
    }
    const char *text = c->docs[d].text;
    size_t len = c->docs[d].len, at = 0;
    uint64_t count = 0;
    size_t z = a;
    while (z < need && c->hits[idx[z]].doc == d) z++;
    while (at < len && a < z) {
      size_t used, nt = lx_tokenize(c->tok, text + at, len - at, 1, buf, B, &used);
      for (size_t j = 0; j < nt && a < z; j++, count++)
        while (a < z && c->hits[idx[a]].start <= at + buf[j].start) {
          lx_hit *h = &c->hits[idx[a++]];
          h->pos = count;
          h->have |= LX_HAVE_POS;
        }
      if (used == 0) break;
      at += used;
    }
    for (; a < z; a++) c->hits[idx[a]].have |= LX_HAVE_POS;   /* cannot happen: keep going */
  }
  free(idx);
  free(buf);
  return 0;
}

/*
** A document of 8 MB or more (when no early stop is asked) is scanned by
** two threads: the first takes the hits that start before a newline near
** the middle, reading on past it for their right context; the second starts
** 64 KB earlier at another newline, so the first hits after the middle have
** their left context, and takes the rest. Their tokens are the same as one
** pass would give, because a newline always ends a token.
*/
int lx_conc_scan(lx_conc *c, uint32_t d, const lx_query *q, lx_tokenizer *t) {
  const char *text = c->docs[d].text;
  size_t len = c->docs[d].len;
  lx_span *sents = NULL;
  size_t nsents = 0;
  if (c->sp && c->split_early && lx_conc_split_all(c->sp, text, len, &sents, &nsents)) {
    snprintf(c->err, sizeof c->err, "out of memory");
    return -1;
  }
  const lx_pat *p0 = &q->pos[0];
  int simple = q->n == 1 && p0->kind == LX_PAT_LITERAL && p0->len > 0 && c->left == 0 && c->right == 0;
  for (size_t i = 0; simple && i < p0->len; i++) simple = ascii_alnum((unsigned char)p0->text[i]);
  if (simple) {
    if (!c->tok && !(c->tok = lx_tok_clone(t))) { free(sents); snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
    c->src.fill = scan_fill;
    c->src.ctx = c;
    int rc = scan_literal(c, d, q, t, sents, nsents);
    free(sents);
    return rc;
  }
  scanjob one = { c, d, text, len, 0, 0, len, 0, 0, q, t, sents, nsents, 0, c->docs[d].name };
  size_t cut = len >= ((size_t)8 << 20) && !c->stop_after ? cut_point(text, len) : 0;
  size_t from2 = 0;
  if (cut) {
    const size_t back = 65536;
    from2 = cut > back ? cut - back : 0;
    while (from2 > 0 && text[from2 - 1] != '\n') from2--;
  }
  lx_conc *sub = NULL;
  lx_tokenizer *t2 = NULL;
  lx_query *q2 = NULL;
  scanjob *two = NULL;
  pthread_t th;
  if (cut) {
    /* the second thread's own concordance, tokenizer and query (match data) */
    sub = lx_conc_new(c->left, c->right);
    if (sub) sub->progress = c->progress, sub->count_only = c->count_only, sub->best = c->best;
    t2 = lx_tok_clone(t);
    q2 = lx_query_clone(q);
    two = lx_malloc(sizeof *two);
    if (sub && t2 && q2 && two) {
      *two = (scanjob){ sub, d, text, len, from2, cut, len, 0, 0, q2, t2, sents, nsents, 0, c->docs[d].name };
      one.hi = cut;
      one.mark = from2;
      if (pthread_create(&th, NULL, scan_main, two) == 0) {
        int rc1 = scan_part(&one);
        pthread_join(th, NULL);
        int rc = rc1 || two->rc || merge_scan(c, sub, one.before_mark) ? -1 : 0;
        if (rc && !rc1) {       /* the first part's error is in c->err already */
          if (two->rc) snprintf(c->err, sizeof c->err, "%s", sub->err);
          else snprintf(c->err, sizeof c->err, "out of memory");
        }
        free(two);
        lx_conc_free(sub);
        lx_tok_free(t2);
        lx_query_free(q2);
        free(sents);
        return rc;
      }
    }
    one.hi = len;                   /* no thread after all: one pass */
    one.mark = 0;
  }
  free(two);
  lx_conc_free(sub);
  lx_tok_free(t2);
  lx_query_free(q2);
  int rc = scan_part(&one);
  free(sents);
  return rc;
}
