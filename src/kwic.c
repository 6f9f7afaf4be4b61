/*
** kwic.c: concordances. Scanning text for hits without an index, sorting,
** sampling, and laying hits out in columns that line up on a terminal.
*/
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unigbrk.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <unistr.h>
#include <uniwidth.h>

#include "display.h"
#include "alloc.h"
#include "encode.h"
#include "mapguard.h"
#include "input.h"
#include "kwic.h"

/* ================================================================ objects */

/*
** Big arrays (hits, sort records) in 2 MB pages where the kernel allows it:
** an indexed query of 100,000 hits otherwise spends more time on page
** faults for its own arrays than on the index.
*/
static void *big_alloc(size_t bytes) {
  const size_t huge = (size_t)1 << 21;
  if (bytes < huge / 2) return lx_malloc(bytes ? bytes : 1);
  size_t size = (bytes + huge - 1) & ~(huge - 1);
  void *p = lx_aligned_alloc(huge, size);
  if (p) madvise(p, size, MADV_HUGEPAGE);
  return p;
}

lx_conc *lx_conc_new(unsigned left, unsigned right) {
  lx_conc *c = lx_calloc(1, sizeof *c);
  if (!c) return NULL;
  c->left = left;
  c->right = right;
  lx_lex_init(&c->keys);
  return c;
}

void lx_conc_free(lx_conc *c) {
  if (!c) return;
  for (uint32_t d = 0; d < c->ndocs; d++) {
    free(c->docs[d].name);
    lx_guard_remove(c->docs[d].guard);
    if (c->docs[d].map) munmap(c->docs[d].map, c->docs[d].maplen);
    free(c->docs[d].own);
  }
  free(c->docs);
  free(c->hits);
  free(c->rank);
  lx_lex_free(&c->keys);
  for (int i = 0; i < 4; i++) free(c->buf[i]);
  free(c->cl);
  lx_tok_free(c->tok);
  free(c);
}

int lx_conc_add_doc(lx_conc *c, const char *name, size_t namelen, const char *text, size_t len) {
  if (c->ndocs == c->dcap) {
    uint32_t cap = c->dcap ? c->dcap * 2 : 8;
    lx_cdoc *d = lx_realloc(c->docs, cap * sizeof *d);
    if (!d) return -1;
    c->docs = d;
    c->dcap = cap;
  }
  char *nm = lx_malloc(namelen + 1);
  if (!nm) return -1;
  memcpy(nm, name, namelen);
  nm[namelen] = '\0';
  memset(&c->docs[c->ndocs], 0, sizeof c->docs[c->ndocs]);
  c->docs[c->ndocs].name = nm;
  c->docs[c->ndocs].text = text;
  c->docs[c->ndocs].len = len;
  return (int)c->ndocs++;
}

int lx_conc_add_file(lx_conc *c, const char *path) {
  int std = strcmp(path, "-") == 0;
  if (std) path = "(stdin)";
  int d = lx_conc_add_doc(c, path, strlen(path), NULL, 0);
  if (d < 0) {
    snprintf(c->err, sizeof c->err, "out of memory");
    return -1;
  }
  c->docs[d].file = std ? 2 : 1;
  return d;
}

void lx_conc_unload(lx_conc *c, uint32_t d) {
  lx_cdoc *doc = &c->docs[d];
  if (!doc->file || (!doc->own && !doc->map)) return;
  if (!doc->reread) return;      /* a pipe cannot be read again: keep it */
  free(doc->own);
  lx_guard_remove(doc->guard);
  doc->guard = 0;
  if (doc->map) munmap(doc->map, doc->maplen);
  doc->own = NULL;
  doc->map = NULL;
  doc->maplen = 0;
  doc->text = NULL;
  c->resident -= doc->len;
}

/* Lets go of texts used longest ago (in document order from a clock hand,
** a cheap stand-in) until `len` more bytes fit, never of document keep. */
static void make_room(lx_conc *c, uint32_t keep, size_t len) {
  for (uint32_t tries = 0; c->resident + len > LX_CONC_RESIDENT && tries < c->ndocs; tries++) {
    uint32_t d = c->clock++ % c->ndocs;
    if (d != keep && (c->docs[d].own || (c->docs[d].file && c->docs[d].map)) && c->docs[d].reread)
      lx_conc_unload(c, d);
  }
}

int lx_conc_load(lx_conc *c, uint32_t d) {
  lx_cdoc *doc = &c->docs[d];
  if (doc->text || !doc->file) return 0;
  lx_input in;
  int code;
  int r = lx_input_open(&in, doc->file == 2 ? "-" : doc->name, c->err, sizeof c->err, &code);
  if (r != 0) {
    lx_input_close(&in);
    if (r > 0 && !doc->seen) {         /* skipped: an empty document from now on */
      doc->seen = 1;
      doc->text = "";
      doc->len = 0;
      return 1;
    }
    if (r > 0) snprintf(c->err, sizeof c->err, "%s: changed since it was read", doc->name);
    return -1;
  }
  if (doc->seen && (in.size != doc->fsize || in.mtime != doc->fmtime)) {
    lx_input_close(&in);
    snprintf(c->err, sizeof c->err, "%s: changed since it was read; run the query again", doc->name);
    return -1;
  }
  char *text = NULL;
  size_t len = 0;
  void *map = NULL;
  if (in.regular && in.size >= LX_CONC_MAP_MIN) {
    /* a big file is mapped, as before: no copy, and pages the kernel can
    ** drop; the budget below unmaps it when others need the room */
    len = (size_t)in.size;
    map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, in.fd, 0);
    if (map == MAP_FAILED) {
      snprintf(c->err, sizeof c->err, "%s: %s", in.name, strerror(errno));
      lx_input_close(&in);
      return -1;
    }
    madvise(map, len, MADV_SEQUENTIAL);
    text = map;
  } else if (lx_input_slurp(&in, &text, &len, c->err, sizeof c->err)) {
    lx_input_close(&in);
    return -1;
  }
  lx_input_close(&in);
  if (doc->seen && len != doc->len) {
    if (map) munmap(map, len); else free(text);
    snprintf(c->err, sizeof c->err, "%s: changed since it was read; run the query again", doc->name);
    return -1;
  }
  if (!doc->seen) {
    doc->seen = 1;
    doc->reread = in.regular && doc->file != 2;   /* standard input is read once, even from a file */
    doc->fsize = in.size;
    doc->fmtime = in.mtime;
  }
  make_room(c, d, len);
  doc->own = map ? NULL : text;
  doc->map = map;
  doc->maplen = map ? len : 0;
  /* a mapped file that shrinks under the scan is named by the binary's
  ** SIGBUS handler (src/mapguard.h), not a crash */
  if (map) doc->guard = lx_guard_add(map, len, doc->name);
  doc->text = text ? text : "";
  doc->len = len;
  if (text) c->resident += len;
  return 0;
}

int lx_conc_push(lx_conc *c, const lx_hit *h) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 256;
    lx_hit *p = lx_realloc(c->hits, cap * sizeof *p);
    if (!p) return -1;
    c->hits = p;
    c->cap = cap;
  }
  c->hits[c->n++] = *h;
  return 0;
}

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
static int split_all(const lx_splitter *sp, const char *text, size_t len, lx_span **out, size_t *n) {
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
    if (c->stop_after && c->n >= c->stop_after) break;
    i = at + m;
  }
  if (c->progress && lx_progress_step(c->progress, len - reported)) return stopped(c);
  return 0;
}

int lx_conc_invalid(lx_conc *c, uint32_t d, uint64_t *count, uint64_t *first) {
  *count = 0;
  *first = 0;
  int ld = lx_conc_load(c, d);
  if (ld) return ld > 0 ? 0 : -1;
  const uint8_t *s = (const uint8_t *)c->docs[d].text, *e = s + c->docs[d].len, *p = s;
  while (p < e && (p = u8_check(p, (size_t)(e - p))) != NULL) {
    if (!*count) *first = (uint64_t)(p - s) + 1;
    (*count)++;
    p++;
  }
  lx_conc_unload(c, d);
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

static int cmp_hit_place(const void *a, const void *b, void *arg) {
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
  qsort_r(idx, need, sizeof *idx, cmp_hit_place, c->hits);
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
  if (c->sp && c->split_early && split_all(c->sp, text, len, &sents, &nsents)) {
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
    if (sub) sub->progress = c->progress, sub->count_only = c->count_only;
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

/* ================================================================ order */

static int cmp_hit_place(const void *a, const void *b, void *arg);

/*
** Sentences on demand, for hits that lack them (a scan without `sentence`,
** an index built without): each document with such hits is split once and
** its hits, in text order, walk along its sentences.
*/
static int sentences_on_demand(lx_conc *c) {
  size_t need = 0;
  for (size_t i = 0; i < c->n; i++) need += !(c->hits[i].have & LX_HAVE_SENT);
  if (!need) return 0;
  size_t *idx = lx_malloc(need * sizeof *idx);
  if (!idx) goto oom;
  size_t k = 0;
  for (size_t i = 0; i < c->n; i++)
    if (!(c->hits[i].have & LX_HAVE_SENT)) idx[k++] = i;
  for (size_t i = 0; i < need; i++)
    if (lx_conc_resolve(c, idx[i])) { free(idx); return -1; }
  qsort_r(idx, need, sizeof *idx, cmp_hit_place, c->hits);
  for (size_t a = 0; a < need;) {
    uint32_t d = c->hits[idx[a]].doc;
    lx_span *sents = NULL;
    size_t nsents = 0, si = 0;
    if (lx_conc_load(c, d) < 0) { free(idx); return -1; }
    if (split_all(c->sp, c->docs[d].text, c->docs[d].len, &sents, &nsents)) { free(idx); goto oom; }
    for (; a < need && c->hits[idx[a]].doc == d; a++) {
      lx_hit *h = &c->hits[idx[a]];
      while (si + 1 < nsents && sents[si + 1].start <= h->start) si++;
      h->sstart = h->start;
      h->sstop = h->end;
      if (nsents) {
        h->sent = si + 1;
        if (sents[si].start < h->sstart) h->sstart = sents[si].start;
        if (sents[si].stop > h->sstop) h->sstop = sents[si].stop;
      }
      h->have |= LX_HAVE_SENT | LX_HAVE_SNUM;
    }
    free(sents);
  }
  free(idx);
  return 0;
oom:
  snprintf(c->err, sizeof c->err, "out of memory");
  return -1;
}

/* The message for a fill that met damage: the source's own, naming the
** index file and where, if it has one. */
static void conc_damaged(lx_conc *c) {
  if (c->src.damage) c->src.damage(c->src.ctx, c->err, sizeof c->err);
  else snprintf(c->err, sizeof c->err, "the index is damaged; rebuild it with 'lexis index'");
}

int lx_conc_sentence(lx_conc *c, size_t i, int bounds) {
  lx_hit *h = &c->hits[i];
  unsigned want = bounds ? LX_HAVE_SENT : LX_HAVE_SNUM;
  if (h->have & (LX_HAVE_SENT | want)) return 0;
  if (c->src.fill && c->src.fill(c->src.ctx, h, 1, want, c->left, c->right)) {
    conc_damaged(c);
    return -1;
  }
  if (!(h->have & (LX_HAVE_SENT | want)) && c->sp) return sentences_on_demand(c);
  return 0;
}

int lx_conc_resolve(lx_conc *c, size_t i) {
  lx_hit *h = &c->hits[i];
  if (!(h->have & LX_HAVE_BYTES) && c->src.fill &&
      c->src.fill(c->src.ctx, h, 1, LX_HAVE_BYTES, c->left, c->right)) {
    conc_damaged(c);
    return -1;
  }
  lx_cdoc *d = &c->docs[h->doc];
  if (!d->text && c->src.text &&
      c->src.text(c->src.ctx, h->doc, d, c->err, sizeof c->err))
    return -1;
  if (!d->text && d->file && lx_conc_load(c, h->doc) < 0) return -1;
  if (!d->text) { d->text = ""; d->len = 0; }
  int agrees = 0;
  if (h->end > d->len || h->rend > d->len || h->lstart > h->start || h->start > h->end ||
      (c->src.agrees && (agrees = c->src.agrees(c->src.ctx, h, c->left, c->right, d)) > 0)) {
    snprintf(c->err, sizeof c->err, "%s: changed since it was indexed; rebuild the index with 'lexis index'", d->name);
    return -1;
  }
  if (agrees < 0) { conc_damaged(c); return -1; }
  return 0;
}

typedef struct sortrec {
  uint64_t k;        /* the first key, ready to compare */
  size_t i;          /* the hit */
} sortrec;

typedef struct sortctx {
  const lx_conc *c;
  const uint32_t *rank;
  const int *keys, *desc;
  size_t nkeys;
} sortctx;

static uint64_t key_value(const sortctx *x, const lx_hit *h, size_t j) {
  int key = x->keys[j];
  uint64_t v;
  if (key == LX_K_DOC) v = h->doc;
  else if (key == LX_K_POS) v = (uint64_t)h->doc << 40 | h->cpos;   /* document, then place */
  else if (!x->rank) v = h->key[key];          /* ranked already */
  else v = h->key[key] ? (uint64_t)x->rank[h->key[key] - 1] + 1 : 0;
  return x->desc[j] ? ~v : v;
}

static int cmp_rec(const void *a, const void *b, void *arg) {
  const sortrec *p = a, *q = b;
  if (p->k != q->k) return p->k < q->k ? -1 : 1;
  const sortctx *x = arg;
  const lx_hit *h = &x->c->hits[p->i], *g = &x->c->hits[q->i];
  for (size_t j = 1; j < x->nkeys; j++) {
    uint64_t u = key_value(x, h, j), v = key_value(x, g, j);
    if (u != v) return u < v ? -1 : 1;
  }
  return p->i < q->i ? -1 : p->i > q->i;   /* stable */
}


/* LSD radix sort of n 64-bit values, 8 bits a pass, skipping the passes
** whose byte is the same everywhere (the high bytes of small keys). */
static void radix_sort(uint64_t *a, uint64_t *tmp, size_t n) {
  uint64_t *src = a, *dst = tmp;
  for (unsigned shift = 0; shift < 64; shift += 8) {
    size_t count[256] = { 0 };
    for (size_t i = 0; i < n; i++) count[(src[i] >> shift) & 255]++;
    if (count[(src[0] >> shift) & 255] == n) continue;
    size_t sum = 0;
    for (int b = 0; b < 256; b++) { size_t t = count[b]; count[b] = sum; sum += t; }
    for (size_t i = 0; i < n; i++) dst[count[(src[i] >> shift) & 255]++] = src[i];
    uint64_t *t = src; src = dst; dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}

/*
** Sorting packs each hit's first key (key strings were ranked once, so no
** string is compared here) and its index into one integer and radix-sorts
** those; further keys break ties within runs of equal first keys, and the
** index keeps the sort stable. Index hits first get the key slots the sort
** needs, and no others, from the source. With a limit, only the hits kept
** are copied.
*/
int lx_conc_sort(lx_conc *c, const int *keys, const int *desc, size_t nkeys, size_t limit) {
  if (nkeys == 0 || c->n < 2) return 0;
  unsigned want = 0;
  for (size_t j = 0; j < nkeys; j++)
    if (keys[j] < LX_NSLOTS) want |= LX_HAVE_KEY(keys[j]);
  c->err[0] = '\0';
  if (want && c->src.fill && c->src.fill(c->src.ctx, c->hits, c->n, want, c->left, c->right)) {
    if (!c->err[0]) conc_damaged(c);
    return -1;
  }
  const uint32_t *rank = c->src.rank;
  if (!rank && !c->src.ranked) {
    free(c->rank);
    c->rank = lx_lex_ranks(&c->keys);
    if (!c->rank) goto oom;
    rank = c->rank;
  }
  sortctx x = { c, rank, keys, desc, nkeys };
  size_t n = c->n, keep = limit && limit < n ? limit : n;
  sortrec *r = NULL;
  lx_hit *out = big_alloc(keep * sizeof *out);
  uint64_t *packed = NULL;
  if (!out) goto oom_free;
  int small = n < ((size_t)1 << 32) && keys[0] != LX_K_POS;
  if (small) {              /* every first key but a position fits 32 bits */
    packed = big_alloc(2 * n * sizeof *packed);    /* and the radix sort's buffer */
    if (!packed) goto oom_free;
    for (size_t i = 0; i < n; i++) {
      uint64_t v = key_value(&x, &c->hits[i], 0);
      if (desc[0]) v = (uint32_t)v;   /* ~v of a 32-bit key: still 32 bits */
      packed[i] = v << 32 | i;
    }
    radix_sort(packed, packed + n, n);
    if (nkeys == 1) {       /* the packed order is the answer */
      for (size_t i = 0; i < keep; i++) out[i] = c->hits[packed[i] & 0xFFFFFFFFu];
      goto swap;
    }
    r = big_alloc(n * sizeof *r);
    if (!r) goto oom_free;
    for (size_t i = 0; i < n; i++) r[i] = (sortrec){ packed[i] >> 32, (size_t)(packed[i] & 0xFFFFFFFFu) };
    if (nkeys > 1)          /* ties of the first key: the other keys decide */
      for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && r[j].k == r[i].k) j++;
        if (j - i > 1 && i < keep) qsort_r(r + i, j - i, sizeof *r, cmp_rec, &x);
        i = j;
      }
  } else {
    r = big_alloc(n * sizeof *r);
    if (!r) goto oom_free;
    for (size_t i = 0; i < n; i++) r[i] = (sortrec){ key_value(&x, &c->hits[i], 0), i };
    qsort_r(r, n, sizeof *r, cmp_rec, &x);
  }
  for (size_t i = 0; i < keep; i++) out[i] = c->hits[r[i].i];
swap:
  free(packed);
  free(r);
  free(c->hits);
  c->hits = out;
  c->n = c->cap = keep;
  return 0;
oom_free:
  free(packed);
  free(r);
  free(out);
oom:
  snprintf(c->err, sizeof c->err, "out of memory");
  return -1;
}

int lx_conc_reserve(lx_conc *c, size_t n) {
  if (n <= c->cap) return 0;
  lx_hit *p = big_alloc(n * sizeof *p);
  if (!p) return -1;
  if (c->n) memcpy(p, c->hits, c->n * sizeof *p);
  free(c->hits);
  c->hits = p;
  c->cap = n;
  return 0;
}

/* xorshift64*: small, fast, and the same sample for the same seed everywhere. */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 0x2545F4914F6CDD1DULL;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

int lx_conc_sample(lx_conc *c, size_t k, uint64_t seed) {
  if (k >= c->n) return 0;
  size_t *idx = lx_malloc(c->n * sizeof *idx);
  if (!idx) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
  for (size_t i = 0; i < c->n; i++) idx[i] = i;
  uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 0x1234567;
  if (s == 0) s = 1;
  for (size_t i = 0; i < k; i++) {           /* a partial Fisher-Yates shuffle */
    size_t j = i + (size_t)(next_random(&s) % (c->n - i));
    size_t t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  qsort(idx, k, sizeof *idx, cmp_size);
  for (size_t i = 0; i < k; i++) c->hits[i] = c->hits[idx[i]];
  c->n = k;
  free(idx);
  return 0;
}

void lx_conc_truncate(lx_conc *c, size_t k) {
  if (k < c->n) c->n = k;
}

void lx_conc_select(lx_conc *c, const unsigned char *keep) {
  size_t j = 0;
  for (size_t i = 0; i < c->n; i++)
    if (keep[i]) c->hits[j++] = c->hits[i];
  c->n = j;
}

/* ================================================================ layout */

static char *scratch(lx_conc *c, int b, size_t n) {
  if (n > c->bcap[b]) {
    size_t cap = c->bcap[b] ? c->bcap[b] : 256;
    while (cap < n) cap *= 2;
    char *p = lx_realloc(c->buf[b], cap);
    if (!p) return NULL;
    c->buf[b] = p;
    c->bcap[b] = cap;
  }
  return c->buf[b];
}

static inline unsigned is_blank(unsigned char ch) {
  return ch <= ' ' || ch == 0x7F;
}

/* Copies s[0..n) to out with each run of white space or control characters
** as one space, and none at either end. Returns the length. Without
** branches: every byte is stored, and the output moves on unless the byte
** continues a run (or starts the text), so words and spaces do not cost a
** mispredicted branch each. */
static size_t flatten(const char *s, size_t n, char *out) {
  size_t o = 0;
  unsigned prev = 1;                  /* after white space: none at the start */
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    unsigned ws = is_blank(ch);
    out[o] = ws ? ' ' : (char)ch;
    o += !(ws & prev);
    prev = ws;
  }
  return o - (o && prev);             /* a run at the end stored one space */
}

/* The longest tail of s[0..n) that fits in w columns, cut between grapheme
** clusters; returns its offset, or SIZE_MAX if out of memory. */
static size_t tail_fitting(lx_conc *c, const char *s, size_t n, size_t w) {
  /* ASCII fast path: after flatten, each ASCII byte followed by ASCII is a
  ** cluster of width 1 */
  while (n > 0 && w > 0 && (unsigned char)s[n - 1] < 0x80) { n--; w--; }
  if (w == 0 || n == 0) return n;
  size_t nc = 0;
  const uint8_t *p = (const uint8_t *)s, *e = p + n;
  while (p < e) {                       /* cluster starts, then walk back */
    if (nc + 1 >= c->clcap) {
      size_t cap = c->clcap ? c->clcap * 2 : 256;
      size_t *q = lx_realloc(c->cl, cap * sizeof *q);
      if (!q) return SIZE_MAX;
      c->cl = q;
      c->clcap = cap;
    }
    c->cl[nc++] = (size_t)(p - (const uint8_t *)s);
    const uint8_t *q = u8_grapheme_next(p, e);
    p = (!q || q <= p) ? p + 1 : q;
  }
  size_t used = 0, cut = n;
  for (size_t i = nc; i-- > 0;) {
    size_t cw = lx_cluster_width((const uint8_t *)s + c->cl[i], (const uint8_t *)s + cut);
    if (used + cw > w) break;
    used += cw;
    cut = c->cl[i];
  }
  return cut;
}

/* The longest head of s[0..n) that fits in w columns; returns its length. */
static size_t head_fitting(const char *s, size_t n, size_t w) {
  const uint8_t *p = (const uint8_t *)s, *e = p + n;
  size_t used = 0;
  while (used < w && p + 1 < e && p[0] < 0x80 && p[1] < 0x80) { p++; used++; }
  if (used < w && p + 1 == e && *p < 0x80) { p++; used++; }
  while (p < e) {
    const uint8_t *q = u8_grapheme_next(p, e);
    if (!q || q <= p) q = p + 1;
    size_t cw = lx_cluster_width(p, q);
    if (used + cw > w) break;
    used += cw;
    p = q;
  }
  return (size_t)(p - (const uint8_t *)s);
}

/* Steps back from offset i to the start of a UTF-8 character.
** At most three steps: a run of stray continuation bytes must not carry
** it back past the node. */
static size_t char_start(const char *s, size_t i) {
  for (int k = 0; k < 3 && i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80; k++) i--;
  return i;
}

#ifdef __SSE2__
/* The blank bytes of v (white space and controls: <= ' ', 0x7F) as 0xFF. */
static inline __m128i blanks16(__m128i v) {
  __m128i le = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v);
  return _mm_or_si128(le, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
}

/* v with its blank bytes (b) made spaces. */
static inline __m128i spaced16(__m128i v, __m128i b) {
  return _mm_or_si128(_mm_and_si128(b, _mm_set1_epi8(' ')), _mm_andnot_si128(b, v));
}
#endif

/*
** Character context when it is ASCII: after flattening, each ASCII byte is a
** cluster one column wide, so the left part is the last lw bytes of the
** flattened text in [lo, start) and the right part the first rw of
** [end, hi), gathered walking away from the node, with no window to guess,
** widen and measure. The walk stores every byte and flattens as it goes (a
** run of white space stores one space where it meets the text already
** gathered). Sixteen bytes go at once when none is a second blank in a row:
** they flatten to themselves with blanks as spaces. The walks may gather up
** to 15 bytes more than needed: L has room for lw + 16 bytes, R for rw + 17
** (the right walk looks one byte past rw, where the general path would find
** a combining mark that joins the last one). 0, or 1 at a byte that is not
** ASCII (the general path then decides).
*/
static int ascii_context(const char *t, uint64_t lo, uint64_t start, uint64_t end, uint64_t hi,
                         size_t lw, size_t rw, char *L, const char **left, size_t *ll,
                         char *R, size_t *rl) {
  const unsigned char *u = (const unsigned char *)t;
  char *e = L + lw + 16;              /* the left part grows down from here */
  size_t o = 0;
  unsigned prev = 1;                  /* none next to the node: */
  uint64_t p = start;
  while (p > lo && is_blank(u[p - 1])) p--;   /* skipped, so a block can follow */
  for (; o < lw && p > lo;) {
    size_t n = 1;                     /* bytes to take one at a time */
#ifdef __SSE2__
    if (p - lo >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(t + p - 16));
      if (_mm_movemask_epi8(v)) return 1;
      __m128i b = blanks16(v);
      unsigned m = (unsigned)_mm_movemask_epi8(b);
      if ((m & ((m >> 1) | (prev << 15))) == 0) {   /* no blank with a blank on its right */
        _mm_storeu_si128((__m128i *)(e - o - 16), spaced16(v, b));
        o += 16;
        prev = m & 1;
        p -= 16;
        continue;
      }
      n = 16;
    }
#endif
    for (; n && o < lw && p > lo; n--) {
      unsigned char ch = u[--p];
      if (ch >= 0x80) return 1;
      unsigned ws = is_blank(ch);
      e[-1 - (ptrdiff_t)o] = ws ? ' ' : (char)ch;
      o += !(ws & prev);
      prev = ws;
    }
  }
  if (o > lw) o = lw;
  if (o && e[-(ptrdiff_t)o] == ' ') o--;   /* a space at the cut or at the text's start */
  *left = e - o;
  *ll = o;
  o = 0;
  prev = 1;
  p = end;
  while (p < hi && is_blank(u[p])) p++;
  for (; o <= rw && p < hi;) {
    size_t n = 1;
#ifdef __SSE2__
    if (hi - p >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(t + p));
      if (_mm_movemask_epi8(v)) return 1;
      __m128i b = blanks16(v);
      unsigned m = (unsigned)_mm_movemask_epi8(b);
      if ((m & ((m << 1) | prev)) == 0) {           /* no blank with a blank on its left */
        _mm_storeu_si128((__m128i *)(R + o), spaced16(v, b));
        o += 16;
        prev = m >> 15;
        p += 16;
        continue;
      }
      n = 16;
    }
#endif
    for (; n && o <= rw && p < hi; n--) {
      unsigned char ch = u[p++];
      if (ch >= 0x80) return 1;
      unsigned ws = is_blank(ch);
      R[o] = ws ? ' ' : (char)ch;
      o += !(ws & prev);
      prev = ws;
    }
  }
  if (o > rw) o = rw;
  if (o && R[o - 1] == ' ') o--;
  *rl = o;
  return 0;
}

int lx_conc_parts(lx_conc *c, size_t i, const lx_kwic_opts *o, const char **left, size_t *ll,
                  const char **node, size_t *nl, const char **right, size_t *rl) {
  if (lx_conc_resolve(c, i)) return -1;
  const lx_hit *h = &c->hits[i];
  const char *t = c->docs[h->doc].text;
  size_t tlen = c->docs[h->doc].len;
  uint64_t a = h->lstart, b = h->rend;
  size_t lb = (size_t)o->lwidth * 5 / 4 + 16, rb = (size_t)o->rwidth * 5 / 4 + 16;
  uint64_t lo = 0, hi = tlen;         /* what the context may reach */
  if (o->sentence) {
    lx_hit *hw = &c->hits[i];
    if (lx_conc_sentence(c, i, 1)) return -1;
    /* sentences on demand may have read other files, and let this one go */
    if (lx_conc_resolve(c, i)) return -1;
    t = c->docs[h->doc].text;
    if (hw->have & LX_HAVE_SENT) {
      lo = hw->sstart;
      hi = hw->sstop;
    }
  }
  if (o->chars && o->sentence != 2 && !o->general) {
    char *L = scratch(c, 0, (size_t)o->lwidth + 16), *N = scratch(c, 1, h->end - h->start + 1),
         *R = scratch(c, 2, (size_t)o->rwidth + 17);
    if (!L || !N || !R) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
    if (ascii_context(t, lo, h->start, h->end, hi, o->lwidth, o->rwidth, L, left, ll, R, rl) == 0) {
      *nl = flatten(t + h->start, h->end - h->start, N);
      *node = N;
      *right = R;
      return 0;
    }
  }
  if (o->sentence == 2) {
    a = lo;
    b = hi;
  }
again:
  if (o->chars && o->sentence != 2) {
    /* a first guess of the bytes needed; more below when white space or
    ** combining marks made it too short */
    a = h->start > lb ? char_start(t, h->start - lb) : 0;
    b = tlen - h->end > rb ? char_start(t, h->end + rb) : tlen;
  }
  if (a < lo) a = lo;
  if (b > hi) b = hi;
  char *L = scratch(c, 0, h->start - a + 1), *N = scratch(c, 1, h->end - h->start + 1),
       *R = scratch(c, 2, b - h->end + 1);
  if (!L || !N || !R) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
  *ll = flatten(t + a, h->start - a, L);
  *rl = flatten(t + h->end, b - h->end, R);
  if (o->chars && o->sentence != 2 && ((a > lo && *ll < o->lwidth + 1 && lb < h->start) ||
                   (b < hi && *rl < o->rwidth + 1 && rb < tlen - h->end)) && lb < ((size_t)1 << 40)) {
    lb *= 4;                      /* fewer bytes than columns: look further */
    rb *= 4;
    goto again;
  }
  if (o->chars && o->sentence != 2 && a > lo && lx_display_width(L, *ll) <= o->lwidth && lb < h->start &&
      lb < ((size_t)1 << 40)) {
    lb *= 4;
    goto again;
  }
  *nl = flatten(t + h->start, h->end - h->start, N);
  *left = L;
  if (o->chars && o->sentence != 2) {
    size_t cut = tail_fitting(c, L, *ll, o->lwidth);
    if (cut == SIZE_MAX) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
    while (cut < *ll && L[cut] == ' ') cut++;
    *left = L + cut;
    *ll -= cut;
    *rl = head_fitting(R, *rl, o->rwidth);
    while (*rl && R[*rl - 1] == ' ') (*rl)--;
  }
  *node = N;
  *right = R;
  return 0;
}

/* ---------------------------------------------------------------- writers */

/*
** Output gathers in a buffer of our own and goes to the FILE in big
** writes: a concordance line is a dozen small pieces, and each stdio call
** takes the stream's lock.
*/
typedef struct outbuf {
  FILE *f;
  size_t n;
  int failed;                /* a write to f fell short */
  char b[1 << 15];
} outbuf;

static void ob_flush(outbuf *w) {
  if (w->n && fwrite(w->b, 1, w->n, w->f) != w->n) w->failed = 1;
  w->n = 0;
}

static void ob_put(outbuf *w, const void *s, size_t n) {
  if (n > sizeof w->b - w->n) {
    ob_flush(w);
    if (n > sizeof w->b) {
      if (fwrite(s, 1, n, w->f) != n) w->failed = 1;
      return;
    }
  }
  memcpy(w->b + w->n, s, n);
  w->n += n;
}

static void ob_str(outbuf *w, const char *s) {
  ob_put(w, s, strlen(s));
}

static void ob_char(outbuf *w, char ch) {
  if (w->n == sizeof w->b) ob_flush(w);
  w->b[w->n++] = ch;
}

static void ob_printf(outbuf *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ob_printf(outbuf *w, const char *fmt, ...) {
  char tmp[64];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k > 0) ob_put(w, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

static void pad(outbuf *w, size_t n) {
  static const char spaces[64] = "                                                                ";
  for (; n > sizeof spaces; n -= sizeof spaces) ob_put(w, spaces, sizeof spaces);
  ob_put(w, spaces, n);
}

/* A field in format fmt (src/encode.c's rules, shared by every writer). */
static void put_field(outbuf *w, int fmt, const char *s, size_t n) {
  size_t max = lx_enc_max(fmt, n);
  if (max > sizeof w->b - w->n) ob_flush(w);
  if (max <= sizeof w->b - w->n) {
    w->n += lx_enc_field(fmt, w->b + w->n, s, n);
    return;
  }
  char *t = lx_malloc(max);              /* a field longer than the buffer */
  if (!t) { w->failed = 1; return; }
  ob_put(w, t, lx_enc_field(fmt, t, s, n));
  free(t);
}
static void put_json(outbuf *w, const char *s, size_t n) { put_field(w, LX_FMT_JSONL, s, n); }
static void put_csv(outbuf *w, const char *s, size_t n) { put_field(w, LX_FMT_CSV, s, n); }
static void put_tsv(outbuf *w, const char *s, size_t n) { put_field(w, LX_FMT_TSV, s, n); }
static void put_html(outbuf *w, const char *s, size_t n) { put_field(w, LX_FMT_HTML, s, n); }

#define DOC_COLS 24   /* the text view's document column at its widest (the name's end) */

static const char html_head[] =
  "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>";
static const char html_style[] =
  "</title>\n<style>\n"
  "body{font-family:sans-serif;margin:1em}\n"
  "table{border-collapse:collapse;font-family:monospace}\n"
  "td{padding:1px 6px;white-space:nowrap}\n"
  "td.l{text-align:right}\ntd.n{text-align:center}\n"
  "td.doc{color:#777;font-family:sans-serif;font-size:smaller}\n"
  "mark{background:#ffe066;font-weight:bold}\ntr:nth-child(even){background:#f4f4f4}\n"
  "</style></head><body>\n";

/* The hits in format o->format, into w. 0, or -1 (c->err). */
static int write_hits(lx_conc *c, outbuf *w, const lx_kwic_opts *o) {
  const char *l, *nd, *r;
  size_t ll, nl, rl;
  size_t lcol = o->lwidth;
  if (o->format == LX_KF_TEXT && !o->chars) {   /* token context: align on the widest left */
    lcol = 0;
    for (size_t i = 0; i < c->n; i++) {
      if (lx_conc_parts(c, i, o, &l, &ll, &nd, &nl, &r, &rl)) return -1;
      size_t wd = lx_display_width(l, ll);
      if (wd > lcol) lcol = wd;
    }
  }
  if (o->format != LX_KF_TEXT && lx_conc_positions(c)) return -1;
  /* the text view names the document when the hits are in more than one */
  size_t dcol = 0, dskip = 0;           /* its width; the directories all names share */
  if (o->format == LX_KF_TEXT && c->n > 1) {
    uint32_t first = c->hits[0].doc;
    int several = 0;
    for (size_t i = 1; i < c->n && !several; i++) several = c->hits[i].doc != first;
    if (several) {
      const char *d0 = c->docs[first].name;
      const char *slash = strrchr(d0, '/');
      dskip = slash ? (size_t)(slash - d0) + 1 : 0;
      for (size_t i = 1; i < c->n && dskip; i++) {
        const char *doc = c->docs[c->hits[i].doc].name;
        size_t k = 0;
        while (k < dskip && doc[k] == d0[k]) k++;
        while (k > 0 && d0[k - 1] != '/') k--;
        dskip = k;
      }
    }
    for (size_t i = 0; i < c->n && several; i++) {
      const char *doc = c->docs[c->hits[i].doc].name + dskip;
      size_t wd = lx_display_width(doc, strlen(doc));
      if (wd > dcol) dcol = wd > DOC_COLS ? DOC_COLS : wd;
    }
  }
  if (o->header && (o->format == LX_KF_TSV || o->format == LX_KF_CSV)) {
    const char *sep = o->format == LX_KF_TSV ? "\t" : ",";
    ob_printf(w, "doc%sposition%sleft%snode%sright%s", sep, sep, sep, sep,
              o->format == LX_KF_CSV ? "\r\n" : "\n");
  }
  if (o->format == LX_KF_HTML) {
    ob_str(w, html_head);
    const char *title = o->title ? o->title : "concordance";
    put_html(w, title, strlen(title));
    ob_str(w, html_style);
    ob_printf(w, "<p>%zu hits</p>\n<table>\n", c->n);
  }
  for (size_t i = 0; i < c->n; i++) {
    if ((i & 0xFFF) == 0 && lx_interrupted()) {   /* Ctrl-C: millions of hits take seconds */
      snprintf(c->err, sizeof c->err, "interrupted");
      errno = ECANCELED;
      return -1;
    }
    if (lx_conc_parts(c, i, o, &l, &ll, &nd, &nl, &r, &rl)) return -1;
    const lx_hit *h = &c->hits[i];
    const char *doc = c->docs[h->doc].name;
    unsigned long long pos = (unsigned long long)h->pos + 1;
    switch (o->format) {
    case LX_KF_TEXT: {
      if (dcol) {                     /* the name past the shared directories; its end if long */
        const char *dn = doc + dskip;
        size_t dl = strlen(dn), at = lx_display_tail(dn, dl, dcol), dw;
        if (at > 0) at = lx_display_tail(dn, dl, dcol - 1);
        if (o->color) ob_str(w, "\x1b[2m");
        if (at > 0) ob_str(w, "\xE2\x80\xA6");
        ob_put(w, dn + at, dl - at);
        if (o->color) ob_str(w, "\x1b[0m");
        dw = lx_display_width(dn + at, dl - at) + (at > 0);
        pad(w, (dcol > dw ? dcol - dw : 0) + 2);
      }
      size_t wd = lx_display_width(l, ll);
      pad(w, lcol > wd ? lcol - wd : 0);
      ob_put(w, l, ll);
      ob_str(w, o->color ? "  \x1b[1;31m" : "  ");
      ob_put(w, nd, nl);
      ob_str(w, o->color ? "\x1b[0m  " : "  ");
      ob_put(w, r, rl);
      ob_char(w, '\n');
      break;
    }
    case LX_KF_TSV:
      put_tsv(w, doc, strlen(doc));
      ob_printf(w, "\t%llu\t", pos);
      put_tsv(w, l, ll); ob_char(w, '\t');
      put_tsv(w, nd, nl); ob_char(w, '\t');
      put_tsv(w, r, rl); ob_char(w, '\n');
      break;
    case LX_KF_CSV:
      put_csv(w, doc, strlen(doc));
      ob_printf(w, ",%llu,", pos);
      put_csv(w, l, ll); ob_char(w, ',');
      put_csv(w, nd, nl); ob_char(w, ',');
      put_csv(w, r, rl); ob_str(w, "\r\n");
      break;
    case LX_KF_JSON:
      if (lx_conc_sentence(c, i, 0)) return -1;
      ob_str(w, "{\"doc\":");
      put_json(w, doc, strlen(doc));
      ob_printf(w, ",\"position\":%llu,\"start\":%llu,\"end\":%llu,", pos,
                (unsigned long long)h->start + 1, (unsigned long long)h->end);
      if (h->sent) ob_printf(w, "\"sentence\":%llu,", (unsigned long long)h->sent);
      ob_str(w, "\"left\":");
      put_json(w, l, ll);
      ob_str(w, ",\"node\":");
      put_json(w, nd, nl);
      ob_str(w, ",\"right\":");
      put_json(w, r, rl);
      ob_str(w, "}\n");
      break;
    default:
      ob_str(w, "<tr><td class=\"doc\">");
      put_html(w, doc, strlen(doc));
      ob_printf(w, ":%llu</td><td class=\"l\">", pos);
      put_html(w, l, ll);
      ob_str(w, "</td><td class=\"n\"><mark>");
      put_html(w, nd, nl);
      ob_str(w, "</mark></td><td class=\"r\">");
      put_html(w, r, rl);
      ob_str(w, "</td></tr>\n");
    }
  }
  if (o->format == LX_KF_HTML) ob_str(w, "</table>\n</body></html>\n");
  return 0;
}

int lx_conc_write(lx_conc *c, FILE *f, const lx_kwic_opts *o) {
  outbuf *w = lx_malloc(sizeof *w);
  if (!w) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
  w->f = f;
  w->n = 0;
  w->failed = 0;
  int rc = write_hits(c, w, o);
  ob_flush(w);                        /* what came before an error, as stdio would have */
  if (rc == 0 && (w->failed || ferror(f))) {
    snprintf(c->err, sizeof c->err, "%s", strerror(errno));
    rc = -1;
  }
  free(w);
  return rc;
}
