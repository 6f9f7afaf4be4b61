/*
** corpus.c: building a corpus index (streaming files through the tokenizer
** into a lexicon, an id stream, token offsets and postings), reading one
** back from memory or from a mapped file, and answering queries from it.
*/
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "corpus.h"
#include "alloc.h"
#include "mapguard.h"
#include "input.h"
#include "errors.h"

/* The sections of an index file, in file order. */
enum {
  S_META,      /* u64[8]: tokens, documents, types, folded types, hash slots, block shift */
  S_DOCS,      /* lx_docrec per document */
  S_NAMES,     /* document paths, each NUL-terminated */
  S_LEXOFF,    /* u64[types + 1]: exact form i is LEX[off[i] .. off[i+1]) */
  S_LEX,       /* exact forms, back to back */
  S_FOLD,      /* u32[types]: the folded type of each exact form */
  S_FLEXOFF,   /* u64[folded types + 1] */
  S_FLEX,      /* folded forms, back to back */
  S_FRANK,     /* u32[folded types]: place in byte order, for sorting */
  S_FHASH,     /* u32[slots]: folded id + 1 by XXH3, linear probing */
  S_POSTOFF,   /* u64[folded types + 1]: each type's postings in POST */
  S_FREQ,      /* u64[folded types]: occurrences */
  S_POST,      /* positions, delta-coded varints, per folded type */
  S_IDS,       /* u32[tokens]: exact form id of each token */
  S_BLOCKS,    /* per 64 tokens: u64 first token's byte offset, u64 offset in TOKOFF */
  S_TOKOFF,    /* per token: varint(len << 2 | min(gap, 3)), varint(gap - 3) if gap >= 3 */
  S_XRANK,     /* u32[types]: the sort rank of each exact form's folded type */
  S_SENTS,     /* where sentences start: u64 count, u64 blocks, per 64 a checkpoint
               ** { u64 position, u64 offset }, then delta varints; empty if not split */
  NSEC
};
static const char *const secnames[NSEC] = {
  "meta", "documents", "names", "lexicon offsets", "lexicon", "case folding",
  "folded lexicon offsets", "folded lexicon", "sort ranks", "word hash",
  "posting offsets", "frequencies", "postings", "token ids", "offset blocks", "token offsets",
  "exact ranks", "sentences"
};

#define BSHIFT 6                       /* 64 tokens per offset block */
#define CACHE_BITS 16                  /* 64K entries of the short-token cache */
#define BSIZE (1u << BSHIFT)

/* ================================================================ building */

typedef struct gbuf {
  unsigned char *p;
  size_t n, cap;
} gbuf;

static int gb_reserve(gbuf *g, size_t more) {
  if (g->n + more <= g->cap) return 0;
  size_t cap = g->cap ? g->cap : 4096;
  while (cap < g->n + more) cap *= 2;
  unsigned char *p = lx_realloc(g->p, cap);
  if (!p) return -1;
  g->p = p;
  g->cap = cap;
  return 0;
}

static void gb_free(gbuf *g) {
  free(g->p);
  memset(g, 0, sizeof *g);
}

static int gb_put(gbuf *g, const void *s, size_t n) {
  if (gb_reserve(g, n)) return -1;
  memcpy(g->p + g->n, s, n);
  g->n += n;
  return 0;
}

struct lx_builder {
  lx_tokenizer *t;        /* folds case (NFC) for the folded lexicon */
  lx_lex lex, flex;       /* exact and folded forms */
  gbuf fold;              /* u32 per exact form */
  gbuf ids;               /* u32 per token */
  gbuf blocks;            /* u64 pairs per 64 tokens */
  gbuf tokoff;            /* varints per token */
  gbuf docs;              /* lx_docrec */
  gbuf names;             /* paths */
  uint64_t ntok, bytes;
  uint64_t prev_end;      /* end of the previous token of this document */
  const lx_splitter *sp;  /* sentences: where each starts goes to `sents`; or NULL */
  gbuf sents;             /* u64 token position per sentence start */
  gbuf senc;              /* the same, encoded for the index by finish */
  uint64_t rsrc;          /* the serial of the index documents are copied from, or 0 */
  uint32_t *rmap;         /* its exact form ids: ours + 1, or 0 if not met yet */
  size_t doc_tokoff;      /* where this document's token offsets begin in tokoff */
  struct small { uint64_t key[2]; uint32_t len, id; } *cache;  /* short tokens' ids, see add_token */
  lx_progress *progress;  /* bytes tokenized go here too; or NULL */
  /* made by finish */
  uint64_t meta[8];
  uint32_t *frank, *fhash, *xrank;
  uint64_t *postoff, *freq;
  unsigned char *post;
  uint64_t postlen, nslots;
};

lx_builder *lx_builder_new(char *err, size_t errlen) {
  lx_builder *b = lx_calloc(1, sizeof *b);
  if (!b) { snprintf(err, errlen, "out of memory"); return NULL; }
  lx_tokopts o;
  memset(&o, 0, sizeof o);
  o.kinds = LX_KINDS_ALL & ~LX_KIND_BIT(LX_SPACE);
  o.casing = LX_CASE_FOLD;
  o.norm = LX_NORM_NFC;
  b->t = lx_tok_new(&o, err, errlen);
  b->cache = lx_calloc((size_t)1 << CACHE_BITS, sizeof *b->cache);
  if (!b->t || !b->cache) {
    if (b->t && !b->cache) snprintf(err, errlen, "out of memory");
    lx_tok_free(b->t);
    free(b->cache);
    free(b);
    return NULL;
  }
  for (size_t i = 0; i < (size_t)1 << CACHE_BITS; i++) b->cache[i].len = UINT32_MAX;
  lx_lex_init(&b->lex);
  lx_lex_init(&b->flex);
  return b;
}

void lx_builder_free(lx_builder *b) {
  if (!b) return;
  lx_tok_free(b->t);
  free(b->cache);
  lx_lex_free(&b->lex);
  lx_lex_free(&b->flex);
  free(b->fold.p); free(b->ids.p); free(b->blocks.p); free(b->tokoff.p);
  free(b->docs.p); free(b->names.p); free(b->sents.p); free(b->senc.p);
  free(b->frank); free(b->fhash); free(b->xrank); free(b->postoff); free(b->freq); free(b->post);
  free(b->rmap);
  free(b);
}

uint64_t lx_builder_tokens(const lx_builder *b) { return b->ntok; }
uint64_t lx_builder_bytes(const lx_builder *b) { return b->bytes; }

/* Bytes s[0..len) (len <= 16) as two integers, zero beyond len; `end` is
** where s's buffer ends: 16 bytes can be read from s when it is that far. */
static inline void short_key(const char *s, uint32_t len, const char *end, uint64_t key[2]) {
  key[0] = key[1] = 0;
  if (end - s >= 16) {
    uint64_t a, z;
    memcpy(&a, s, 8);
    memcpy(&z, s + 8, 8);
    if (len < 8) { key[0] = a & ((1ULL << (8 * len)) - 1); return; }
    key[0] = a;
    key[1] = len < 16 ? z & ((1ULL << (8 * (len - 8))) - 1) : z;
    return;
  }
  memcpy(key, s, len);
}

static inline size_t cache_slot(const uint64_t key[2], uint32_t len) {
  return ((key[0] ^ (key[1] * 0xFF51AFD7ED558CCDULL) ^ len) * 0x9E3779B97F4A7C15ULL) >> (64 - CACHE_BITS);
}

/*
** One token at byte `start` of the current document, text s[0..len), in a
** buffer ending at `end`. Tokens of up to 16 bytes (nearly all of them) are
** looked up first in a direct-mapped cache keyed by their bytes as two
** integers: one cache line instead of a hash, a probe and a compare in the
** lexicon.
*/
static int add_token(lx_builder *b, const char *s, const char *end, uint64_t start, uint32_t len,
                     int kind) {
  uint32_t id;
  struct small *slot = NULL;
  if (len <= 16) {
    uint64_t key[2];
    short_key(s, len, end, key);
    slot = &b->cache[cache_slot(key, len)];
    if (slot->key[0] == key[0] && slot->key[1] == key[1] && slot->len == len) { id = slot->id; goto known; }
    slot->key[0] = key[0];
    slot->key[1] = key[1];
    slot->len = len;
  }
  uint32_t before = b->lex.n;
  id = lx_lex_intern(&b->lex, s, len);
  if (id == LX_NOID) { if (slot) slot->len = UINT32_MAX; return -1; }
  if (slot) slot->id = id;
  if (id == before) {                 /* a new form: fold it once */
    size_t fl;
    const char *f = lx_tok_text(b->t, s, len, kind, &fl);
    if (!f) return -1;
    uint32_t fid = lx_lex_intern(&b->flex, f, fl);
    if (fid == LX_NOID || gb_put(&b->fold, &fid, 4)) return -1;
  }
known:
  if (gb_put(&b->ids, &id, 4)) return -1;
  uint64_t gap = start - b->prev_end;
  if (gb_reserve(&b->tokoff, 20)) return -1;
  b->tokoff.n += lx_put_varint(b->tokoff.p + b->tokoff.n, (uint64_t)len << 2 | (gap < 3 ? gap : 3));
  if (gap >= 3) b->tokoff.n += lx_put_varint(b->tokoff.p + b->tokoff.n, gap - 3);
  b->prev_end = start + len;
  b->ntok++;
  return 0;
}

static int begin_doc(lx_builder *b, const char *name, lx_docrec *r) {
  memset(r, 0, sizeof *r);
  r->first = b->ntok;
  b->doc_tokoff = b->tokoff.n;
  r->name = b->names.n;
  b->prev_end = 0;
  return gb_put(&b->names, name, strlen(name) + 1);
}

static int end_doc(lx_builder *b, lx_docrec *r) {
  r->ntok = b->ntok - r->first;
  return gb_put(&b->docs, r, sizeof *r);
}

enum { TOKBATCH = 4096 };

/* Tokenizes s[0..n) (the bytes of the document from offset base on). */
static int add_span(lx_builder *b, lx_token *toks, const char *s, size_t n, uint64_t base,
                    int final, size_t *consumed) {
  size_t at = 0;
  for (;;) {
    size_t used;
    size_t nt = lx_tokenize(b->t, s + at, n - at, final, toks, TOKBATCH, &used);
    enum { AHEAD = 8 };                /* the cache is bigger than L2: fetch slots early */
    for (size_t j = 0; j < nt; j++) {
      if (j + AHEAD < nt && toks[j + AHEAD].len <= 16) {
        uint64_t key[2];
        short_key(s + at + toks[j + AHEAD].start, toks[j + AHEAD].len, s + n, key);
        __builtin_prefetch(&b->cache[cache_slot(key, toks[j + AHEAD].len)]);
      }
      if (add_token(b, s + at + toks[j].start, s + n, base + at + toks[j].start, toks[j].len, toks[j].kind))
        return -1;
    }
    at += used;
    if (nt < TOKBATCH || used == 0) break;
  }
  *consumed = at;
  return 0;
}

void lx_builder_set_splitter(lx_builder *b, const lx_splitter *sp) {
  b->sp = sp;
}

void lx_builder_set_progress(lx_builder *b, lx_progress *p) {
  b->progress = p;
}

/*
** Sentence starts become token positions: the document's token offsets are
** walked along with the sentences (both come in text order), and a
** sentence starts at its first token. Sentences without a token are none.
*/
typedef struct sentwalk {
  const unsigned char *p, *e;   /* the document's token offsets, from its first token */
  uint64_t tok, end;            /* the next token, one past the document's last */
  uint64_t start, prev_end;     /* the next token's first byte; the previous token's end */
  int ready;                    /* start is decoded */
} sentwalk;

static int walk_next(sentwalk *w) {
  uint64_t v, g = 0;
  if (!lx_get_varint(&w->p, w->e, &v)) return -1;
  if ((v & 3) == 3 && !lx_get_varint(&w->p, w->e, &g)) return -1;
  w->start = w->prev_end + (v & 3) + g;
  w->prev_end = w->start + (v >> 2);
  w->ready = 1;
  return 0;
}

static int walk_sentence(lx_builder *b, sentwalk *w, uint64_t s0, uint64_t s1) {
  while (w->tok < w->end) {
    if (!w->ready && walk_next(w)) return -1;
    if (w->start >= s0) break;
    w->tok++;
    w->ready = 0;
  }
  if (w->tok >= w->end || w->start >= s1) return 0;
  size_t n = b->sents.n / 8;
  if (n && ((const uint64_t *)b->sents.p)[n - 1] == w->tok) return 0;
  return gb_put(&b->sents, &w->tok, 8);
}

/* From token `first`, whose offsets start at tokoff byte `off`, coded
** against the byte `prev` (the document's start, or where a part began). */
static void walk_begin(lx_builder *b, sentwalk *w, uint64_t first, size_t off, uint64_t prev) {
  w->p = b->tokoff.p + off;
  w->e = b->tokoff.p + b->tokoff.n;
  w->tok = first;
  w->end = b->ntok;
  w->start = 0;
  w->prev_end = prev;
  w->ready = 0;
}

enum { SPANS = 4096 };

/* The sentences of text[0..len) (eof) or of what is settled of it; spans
** are reported at offset base. Returns the bytes settled, or -1. */
static long split_some(lx_builder *b, sentwalk *w, lx_split_state *st, const char *text, size_t len,
                       int eof, uint64_t base, lx_span *spans) {
  size_t done = 0;
  for (;;) {
    size_t settled;
    size_t k = lx_split(b->sp, st, text + done, len - done, eof, spans, SPANS, &settled);
    for (size_t i = 0; i < k; i++)
      if (walk_sentence(b, w, base + done + spans[i].start, base + done + spans[i].stop)) return -1;
    done += settled;
    if (done >= len || (settled == 0 && k == 0)) break;
  }
  return (long)done;
}

int lx_builder_add_text(lx_builder *b, const char *name, const char *text, size_t len,
                        char *err, size_t errlen) {
  lx_docrec r;
  lx_token *toks = lx_malloc(TOKBATCH * sizeof *toks);
  size_t used;
  if (!toks || begin_doc(b, name, &r) || add_span(b, toks, text, len, 0, 1, &used)) {
    free(toks);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  free(toks);
  r.size = len;
  r.hash = XXH3_64bits(text, len);
  b->bytes += len;
  if (b->sp) {
    sentwalk w;
    lx_split_state st;
    memset(&st, 0, sizeof st);
    lx_span *spans = lx_malloc(SPANS * sizeof *spans);
    walk_begin(b, &w, r.first, b->doc_tokoff, 0);
    long rc = spans ? split_some(b, &w, &st, text, len, 1, 0, spans) : -1;
    free(spans);
    if (rc < 0) { snprintf(err, errlen, "out of memory"); return -1; }
  }
  if (end_doc(b, &r)) { snprintf(err, errlen, "out of memory"); return -1; }
  return 0;
}

/*
** Reads bytes [from, to) of fd in chunks of 1 MB (more if one piece needs
** it) and hands each to take(ctx, buf, have, base, final), which returns how
** many bytes it is done with (the rest goes before the next chunk), -1 if
** out of memory, or -2 if the job was stopped. Memory does not grow with
** the file. 0, or -1 with err set.
*/
typedef long (*chunk_fn)(void *ctx, const char *buf, size_t have, uint64_t base, int final);

static int read_chunks(int fd, uint64_t from, uint64_t to, chunk_fn take, void *ctx, char *err,
                       size_t errlen) {
  size_t cap = 1 << 20, have = 0;
  char *buf = lx_malloc(cap);
  uint64_t base = from, at = from;
  int rc = -1;
  if (!buf) goto oom;
  for (;;) {
    if (have == cap) {
      char *p = lx_realloc(buf, cap * 2);
      if (!p) goto oom;
      buf = p;
      cap *= 2;
    }
    size_t want = cap - have;
    if (want > to - at) want = (size_t)(to - at);
    ssize_t got = want ? pread(fd, buf + have, want, (off_t)at) : 0;
    if (got < 0) {
      if (errno == EINTR) continue;
      snprintf(err, errlen, "%s", strerror(errno));
      goto done;
    }
    at += (uint64_t)got;
    have += (size_t)got;
    int final = got == 0 || at >= to;
    long used = take(ctx, buf, have, base, final);
    if (used == -2) {
      snprintf(err, errlen, "interrupted");
      goto done;
    }
    if (used < 0) goto oom;
    memmove(buf, buf + used, have - (size_t)used);
    have -= (size_t)used;
    base += (uint64_t)used;
    if (final) break;
  }
  rc = 0;
  goto done;
oom:
  snprintf(err, errlen, "out of memory");
done:
  free(buf);
  return rc;
}

typedef struct splitctx {
  lx_builder *b;
  sentwalk w;
  lx_split_state st;
  lx_span *spans;
} splitctx;

static long split_chunk(void *ctx, const char *buf, size_t have, uint64_t base, int final) {
  splitctx *x = ctx;
  return split_some(x->b, &x->w, &x->st, buf, have, final, base, x->spans);
}

/*
** The sentences of bytes [from, to) of fd, their starts recorded as token
** positions of b: tokens from `first`, whose offsets begin at tokoff byte
** `off`, coded against byte `prev`. `from` must be where no sentence is
** open: the document's start or just after a blank line.
*/
static int split_range(lx_builder *b, int fd, uint64_t from, uint64_t to, uint64_t first, size_t off,
                       uint64_t prev, char *err, size_t errlen) {
  splitctx x;
  memset(&x, 0, sizeof x);
  x.b = b;
  walk_begin(b, &x.w, first, off, prev);
  x.spans = lx_malloc(SPANS * sizeof *x.spans);
  int rc = x.spans ? read_chunks(fd, from, to, split_chunk, &x, err, errlen) : -1;
  if (!x.spans) snprintf(err, errlen, "out of memory");
  free(x.spans);
  return rc;
}

typedef struct scanctx {
  lx_builder *b;
  lx_token *toks;
} scanctx;

static long scan_chunk(void *ctx, const char *buf, size_t have, uint64_t base, int final) {
  scanctx *x = ctx;
  size_t used;
  if (add_span(x->b, x->toks, buf, have, base, final, &used)) return -1;
  if (x->b->progress && used && lx_progress_step(x->b->progress, used)) return -2;
  return (long)used;
}

/*
** Tokenizes bytes [from, to) of fd, a chunk at a time (a token cut by a
** chunk's end is carried over to the next one). `to` must be the end of the
** file or just after a newline (always a token boundary).
*/
static int scan_range(lx_builder *b, int fd, uint64_t from, uint64_t to, char *err, size_t errlen) {
  scanctx x = { b, lx_malloc(TOKBATCH * sizeof *x.toks) };
  int rc = x.toks ? read_chunks(fd, from, to, scan_chunk, &x, err, errlen) : -1;
  if (!x.toks) snprintf(err, errlen, "out of memory");
  free(x.toks);
  return rc;
}

/*
** Gives back the whole pages of p[0..n), which the caller has consumed and
** will only free: they read as zeros from now on. The merge below copies
** half a file's ids and offsets into b; without this, that half is held
** twice until sub is freed, which was the build's peak memory.
*/
static void drop_pages(void *p, size_t n) {
  static long pg;
  if (!pg) pg = sysconf(_SC_PAGESIZE);
  uintptr_t a = ((uintptr_t)p + (uintptr_t)pg - 1) & ~(uintptr_t)(pg - 1);
  uintptr_t z = ((uintptr_t)p + n) & ~(uintptr_t)(pg - 1);
  if (z > a) madvise((void *)a, z - a, MADV_DONTNEED);
}

enum { MERGE_STEP = 1 << 22 };       /* elements moved between drop_pages */

/*
** Appends what sub read (the second half of a file) to b: its forms join
** b's lexicon, its ids are renumbered, and the first of its token offsets
** is re-coded against the last token b read, the rest being relative.
** sub's arrays are released as they are copied; sub is only fit to free.
*/
static int merge_part(lx_builder *b, lx_builder *sub, uint64_t from) {
  uint32_t *map = lx_malloc(((size_t)sub->lex.n + 1) * sizeof *map);
  if (!map) return -1;
  const uint32_t *sfold = (const uint32_t *)sub->fold.p;
  for (uint32_t i = 0; i < sub->lex.n; i++) {
    size_t len;
    const char *w = lx_lex_str(&sub->lex, i, &len);
    uint32_t before = b->lex.n;
    uint32_t id = lx_lex_intern(&b->lex, w, len);
    if (id == LX_NOID) { free(map); return -1; }
    if (id == before) {
      size_t fl;
      const char *f = lx_lex_str(&sub->flex, sfold[i], &fl);
      uint32_t fid = lx_lex_intern(&b->flex, f, fl);
      if (fid == LX_NOID || gb_put(&b->fold, &fid, 4)) { free(map); return -1; }
    }
    map[i] = id;
  }
  uint64_t n = sub->sents.n / 8;
  if (gb_reserve(&b->ids, sub->ids.n) || gb_reserve(&b->tokoff, sub->tokoff.n + 20) ||
      gb_reserve(&b->sents, sub->sents.n)) {
    free(map);
    return -1;
  }
  uint32_t *sids = (uint32_t *)sub->ids.p;
  uint32_t *dst = (uint32_t *)(b->ids.p + b->ids.n);
  for (uint64_t t = 0; t < sub->ntok; t += MERGE_STEP) {
    uint64_t z = sub->ntok - t < MERGE_STEP ? sub->ntok : t + MERGE_STEP;
    for (uint64_t k = t; k < z; k++) dst[k] = map[sids[k]];
    drop_pages(sids + t, (size_t)(z - t) * 4);
  }
  b->ids.n += sub->ids.n;
  free(map);
  if (sub->ntok) {
    const unsigned char *p = sub->tokoff.p, *e = p + sub->tokoff.n;
    uint64_t v, g = 0;
    if (!lx_get_varint(&p, e, &v)) return -1;
    if ((v & 3) == 3 && !lx_get_varint(&p, e, &g)) return -1;
    uint64_t start = from + (v & 3) + g, len = v >> 2, gap = start - b->prev_end;
    b->tokoff.n += lx_put_varint(b->tokoff.p + b->tokoff.n, len << 2 | (gap < 3 ? gap : 3));
    if (gap >= 3) b->tokoff.n += lx_put_varint(b->tokoff.p + b->tokoff.n, gap - 3);
    for (size_t at = (size_t)(p - sub->tokoff.p); at < sub->tokoff.n; at += MERGE_STEP) {
      size_t k = sub->tokoff.n - at < MERGE_STEP ? sub->tokoff.n - at : MERGE_STEP;
      memcpy(b->tokoff.p + b->tokoff.n, sub->tokoff.p + at, k);
      b->tokoff.n += k;
      drop_pages(sub->tokoff.p + at, k);
    }
    b->prev_end = sub->prev_end;
  }
  if (n) {
    const uint64_t *sv = (const uint64_t *)sub->sents.p;
    uint64_t *dv = (uint64_t *)(b->sents.p + b->sents.n);
    size_t k = 0;
    uint64_t lastv = b->sents.n ? ((const uint64_t *)b->sents.p)[b->sents.n / 8 - 1] : UINT64_MAX;
    for (uint64_t i = 0; i < n; i++) {
      if (sv[i] + b->ntok != lastv) dv[k++] = lastv = sv[i] + b->ntok;
      if ((i + 1) % MERGE_STEP == 0) drop_pages((void *)(sv + i + 1 - MERGE_STEP), MERGE_STEP * 8);
    }
    b->sents.n += k * 8;
  }
  b->ntok += sub->ntok;
  return 0;
}

typedef struct part {
  lx_builder *b;
  int fd;
  uint64_t from, to;
  int blank;            /* from is just after a blank line: split sentences here too */
  int rc;
  char err[256];
} part;

static void *part_main(void *arg) {
  part *pt = arg;
  pt->b->prev_end = pt->from;
  uint64_t n = pt->to - pt->from;
  if (gb_reserve(&pt->b->ids, (size_t)(n / 4 + 1) * 4) || gb_reserve(&pt->b->tokoff, (size_t)(n / 3 + 16))) {
    snprintf(pt->err, sizeof pt->err, "out of memory");
    pt->rc = -1;
    return NULL;
  }
  pt->rc = scan_range(pt->b, pt->fd, pt->from, pt->to, pt->err, sizeof pt->err);
  if (pt->rc == 0 && pt->b->sp && pt->blank)
    pt->rc = split_range(pt->b, pt->fd, pt->from, pt->to, 0, 0, pt->from, pt->err, sizeof pt->err);
  return NULL;
}

/*
** Where to cut a big file in two: just after the blank line nearest the
** middle, looking up to an eighth of the file each way (*blank set: no
** sentence runs across it, so each half can be split into sentences by its
** own thread), else just after a newline near the middle (tokens never run
** across one; the sentences are then split in one pass after both halves).
** A blank line a little off the middle costs less than splitting the whole
** file's sentences on one core.
*/
static uint64_t split_point(int fd, uint64_t size, int *blank) {
  *blank = 0;
  if (size < ((uint64_t)8 << 20)) return 0;
  enum { STEP = 1 << 16 };
  char buf[STEP + 1];
  uint64_t mid = size / 2, reach = size / 8, nl = 0;
  for (uint64_t k = 0; k < reach; k += STEP) {
    /* after the middle: [mid + k, mid + k + STEP + 1); the extra byte sees a
    ** "\n\n" across the window's end */
    uint64_t at = mid + k;
    ssize_t got = pread(fd, buf, STEP + 1, (off_t)at);
    for (ssize_t i = 0; i + 1 < got; i++) {
      if (buf[i] != '\n') continue;
      if (!nl && at + (uint64_t)i + 1 < size) nl = at + (uint64_t)i + 1;
      if (buf[i + 1] == '\n' && at + (uint64_t)i + 2 < size) { *blank = 1; return at + (uint64_t)i + 2; }
    }
    /* before the middle: [mid - k - STEP, mid - k + 1), nearest first */
    if (k + STEP > mid) continue;
    at = mid - k - STEP;
    got = pread(fd, buf, STEP + 1, (off_t)at);
    for (ssize_t i = got - 2; i >= 0; i--)
      if (buf[i] == '\n' && buf[i + 1] == '\n') { *blank = 1; return at + (uint64_t)i + 2; }
  }
  return nl;
}

/* The XXH3 of a whole file, read in 1 MB chunks (the page cache has it). */
typedef struct hashjob {
  int fd;
  uint64_t size, hash;
  int rc;
} hashjob;

static void *hash_main(void *arg) {
  hashjob *j = arg;
  XXH3_state_t *hs = XXH3_createState();
  char *buf = lx_malloc(1 << 20);
  j->rc = -1;
  if (hs && buf) {
    XXH3_64bits_reset(hs);
    for (uint64_t at = 0; at < j->size;) {
      ssize_t got = pread(j->fd, buf, 1 << 20, (off_t)at);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      XXH3_64bits_update(hs, buf, (size_t)got);
      at += (uint64_t)got;
    }
    j->hash = XXH3_64bits_digest(hs);
    j->rc = 0;
  }
  free(buf);
  if (hs) XXH3_freeState(hs);
  return NULL;
}

/*
** A file of 8 MB or more is read by two threads, each half into its own
** lexicon and id stream, and the second half is merged into the first: the
** machine's two cores tokenize and intern at once.
*/
int lx_builder_add_file(lx_builder *b, const char *path, char *err, size_t errlen) {
  /* The input layer's policy (input.h); the reads below are pread()s, so
  ** the sniffed head needs no replay. A pipe is refused: a hit is shown
  ** later by reading its document again, which a pipe cannot give. */
  lx_input in;
  int code;
  int sn = lx_input_open(&in, path, err, errlen, &code);
  if (sn == 0 && (!in.regular || strcmp(path, "-") == 0)) {   /* "-" cannot be opened again either */
    snprintf(err, errlen, "%s: not a regular file (a pipe or FIFO); an index shows its hits by reading "
             "the file again later: save the text to a file and index that", in.name);
    sn = -1;
  }
  if (sn != 0) {
    lx_input_close(&in);
    return sn > 0 ? -2 : -1;
  }
  int fd = in.fd;
  uint64_t size = in.size;
  lx_docrec r;
  int rc = -1;
  char perr[256] = "";
  if (begin_doc(b, path, &r)) { snprintf(perr, sizeof perr, "out of memory"); goto done; }
  /* about one token per 4 bytes, 1.2 bytes of offsets each: room up front */
  if (gb_reserve(&b->ids, (size_t)(size / 4 + 1) * 4) || gb_reserve(&b->tokoff, (size_t)(size / 3 + 16))) {
    snprintf(perr, sizeof perr, "out of memory");
    goto done;
  }
  int blank;
  uint64_t cut = split_point(fd, size, &blank);
  part second = { NULL, fd, cut, size, blank, 0, "" };
  pthread_t th;
  int threaded = 0;
  if (cut) {
    char e2[256];
    second.b = lx_builder_new(e2, sizeof e2);
    if (second.b) {
      lx_builder_set_splitter(second.b, b->sp);
      second.b->progress = b->progress;
    }
    if (second.b && pthread_create(&th, NULL, part_main, &second) == 0) threaded = 1;
  }
  if (!threaded) { lx_builder_free(second.b); second.b = NULL; cut = size; blank = 1; }
  uint64_t first = r.first;
  size_t tokoff0 = b->doc_tokoff;
  int rc1 = scan_range(b, fd, 0, cut, perr, sizeof perr);
  /* sentences: each half by its own thread when the cut is at a blank
  ** line; else the whole file once both halves are in */
  if (rc1 == 0 && b->sp && blank) rc1 = split_range(b, fd, 0, cut, first, tokoff0, 0, perr, sizeof perr);
  /* the content hash, in order, on the other core while the halves merge */
  hashjob hj = { fd, size, 0, 0 };
  pthread_t hth;
  int hashing = rc1 == 0 && pthread_create(&hth, NULL, hash_main, &hj) == 0;
  if (threaded) {
    pthread_join(th, NULL);
    if (rc1 == 0 && second.rc) { rc1 = -1; snprintf(perr, sizeof perr, "%s", second.err); }
    if (rc1 == 0 && merge_part(b, second.b, cut)) { rc1 = -1; snprintf(perr, sizeof perr, "out of memory"); }
    lx_builder_free(second.b);
  }
  if (rc1 == 0 && b->sp && !blank) rc1 = split_range(b, fd, 0, size, first, tokoff0, 0, perr, sizeof perr);
  if (rc1) {
    if (hashing) pthread_join(hth, NULL);
    goto done;
  }
  if (hashing) pthread_join(hth, NULL);
  else hash_main(&hj);
  if (hj.rc) { snprintf(perr, sizeof perr, "out of memory"); goto done; }
  r.hash = hj.hash;
  r.size = size;
  r.mtime = in.mtime;
  b->bytes += size;
  if (end_doc(b, &r)) { snprintf(perr, sizeof perr, "out of memory"); goto done; }
  rc = 0;
done:
  if (rc) snprintf(err, errlen, "%s: %s", path, perr);
  lx_input_close(&in);
  return rc;
}

/*
** The offset checkpoints, one per 64 tokens, from one pass over the token
** offsets: the byte where the block's first token starts and where its
** varints begin. Made at the end, so that parts read in parallel need not
** agree on where blocks fall.
*/
static int make_blocks(lx_builder *b) {
  uint64_t nblocks = (b->ntok + BSIZE - 1) >> BSHIFT;
  if (gb_reserve(&b->blocks, nblocks * 16)) return -1;
  uint64_t *blk = (uint64_t *)b->blocks.p;
  const lx_docrec *docs = (const lx_docrec *)b->docs.p;
  size_t ndocs = b->docs.n / sizeof *docs, d = 0;
  const unsigned char *p = b->tokoff.p, *e = p + b->tokoff.n;
  uint64_t prev_end = 0;
  for (uint64_t t = 0; t < b->ntok; t++) {
    while (d < ndocs && docs[d].first + docs[d].ntok <= t) d++;
    const unsigned char *at = p;
    uint64_t v, g = 0;
    if (!lx_get_varint(&p, e, &v)) return -1;
    if ((v & 3) == 3 && !lx_get_varint(&p, e, &g)) return -1;
    uint64_t start = (d < ndocs && t == docs[d].first ? 0 : prev_end) + (v & 3) + g;
    prev_end = start + (v >> 2);
    if ((t & (BSIZE - 1)) == 0) {
      blk[(t >> BSHIFT) * 2] = start;
      blk[(t >> BSHIFT) * 2 + 1] = (uint64_t)(at - b->tokoff.p);
    }
  }
  b->blocks.n = nblocks * 16;
  return 0;
}

/*
** Postings in two passes over the id stream: first the bytes each folded
** type's delta list needs, then the lists themselves, each written at its
** place. No per-type growing buffers, so memory is the postings' size.
*/
typedef struct ptype { uint64_t last, n, at, first; } ptype;   /* per folded type */

typedef struct postjob {
  lx_builder *b;
  ptype *pt;                /* this half's own counts */
  uint64_t from, to;        /* the tokens of this half */
  int pass;
} postjob;

/*
** One pass over tokens [from, to). Pass 1 counts each type's occurrences
** and the bytes of their deltas; pass 2 writes them, each type from its
** cursor `at`. In pass 2 `first` is the position a type's first delta is
** coded against, plus one (0: none, code it whole): the first half's last
** occurrence, for the second half, so the two halves make one list.
*/
static void *post_pass(void *arg) {
  postjob *j = arg;
  lx_builder *b = j->b;
  const uint32_t *ids = (const uint32_t *)b->ids.p, *fold = (const uint32_t *)b->fold.p;
  ptype *pt = j->pt;
  unsigned char tmp[10];
  enum { AHEAD = 16 };            /* each token's counts are a cache miss: fetch them early */
  uint64_t pre = j->to - j->from > AHEAD ? j->to - AHEAD : j->from;
  for (uint64_t p = j->from; p < j->to; p++) {
    if (p < pre) {
      ptype *ahead = &pt[fold[ids[p + AHEAD]]];
      __builtin_prefetch(ahead, 1);
      if (j->pass == 2) __builtin_prefetch(b->post + pt[fold[ids[p + AHEAD / 2]]].at, 1);
    }
    uint32_t f = fold[ids[p]];
    ptype *t = &pt[f];
    uint64_t delta;
    if (t->n) delta = p - t->last;
    else if (j->pass == 2 && t->first) delta = p - (t->first - 1);
    else delta = p;
    if (!t->n && j->pass == 1) t->first = p;
    t->at += lx_put_varint(j->pass == 1 ? tmp : b->post + t->at, delta);
    t->n++;
    t->last = p;
  }
  return NULL;
}

/* Runs a pass as two threads over the two halves of the tokens, or as one. */
static void post_run(lx_builder *b, ptype *a, ptype *z, int pass) {
  uint64_t mid = b->ntok / 2;
  postjob jobs[2] = { { b, a, 0, mid, pass }, { b, z, mid, b->ntok, pass } };
  pthread_t th;
  if (z && pthread_create(&th, NULL, post_pass, &jobs[1]) == 0) {
    post_pass(&jobs[0]);
    pthread_join(th, NULL);
  } else {
    jobs[0].to = b->ntok;
    post_pass(&jobs[0]);
  }
}

/*
** Postings in two passes over the id stream: first the bytes each folded
** type's delta list needs, then the lists themselves, each written at its
** place, so memory is the postings' size and no list grows. Each pass runs
** on two threads, each over half of the tokens with counts of its own.
*/
static int make_postings(lx_builder *b) {
  uint64_t nft = b->flex.n;
  ptype *a = lx_calloc(nft + 1, sizeof *a);
  ptype *z = b->ntok > 100000 ? lx_calloc(nft + 1, sizeof *z) : NULL;
  b->postoff = lx_calloc(nft + 1, sizeof *b->postoff);
  b->freq = lx_calloc(nft + 1, sizeof *b->freq);
  if (!a || (b->ntok > 100000 && !z) || !b->postoff || !b->freq) { free(a); free(z); return -1; }
  post_run(b, a, z, 1);
  uint64_t sum = 0;
  unsigned char tmp[10];
  for (uint64_t f = 0; f < nft; f++) {
    uint64_t bytes = a[f].at;
    if (z && z[f].n) {             /* the second half's first delta, coded against the first's last */
      bytes += z[f].at;
      if (a[f].n) bytes += lx_put_varint(tmp, z[f].first - a[f].last) - lx_put_varint(tmp, z[f].first);
    }
    b->postoff[f] = sum;
    b->freq[f] = a[f].n + (z ? z[f].n : 0);
    uint64_t abytes = a[f].at, after = a[f].n ? a[f].last + 1 : 0;
    if (z) z[f] = (ptype){ 0, 0, sum + abytes, after };
    a[f] = (ptype){ 0, 0, sum, 0 };
    sum += bytes;
  }
  b->postoff[nft] = sum;
  b->postlen = sum;
  b->post = lx_malloc(sum ? sum : 1);
  if (!b->post) { free(a); free(z); return -1; }
  post_run(b, a, z, 2);
  free(a);
  free(z);
  return 0;
}

static int make_hash(lx_builder *b) {
  uint64_t n = 1024;
  while (n < (uint64_t)b->flex.n * 2) n *= 2;
  b->fhash = lx_calloc(n, sizeof *b->fhash);
  if (!b->fhash) return -1;
  b->nslots = n;
  for (uint32_t f = 0; f < b->flex.n; f++) {
    size_t len;
    const char *s = lx_lex_str(&b->flex, f, &len);
    uint64_t i = (lx_hash(s, len) >> 32) & (n - 1);
    while (b->fhash[i]) i = (i + 1) & (n - 1);
    b->fhash[i] = f + 1;
  }
  return 0;
}

/*
** Sentence starts for the index: a checkpoint (position, offset) per 64,
** the others as varint deltas: about a byte a sentence instead of eight.
*/
static int make_sents(lx_builder *b) {
  uint64_t n = b->sents.n / 8, nblk = (n + BSIZE - 1) >> BSHIFT;
  if (n == 0) return 0;
  const uint64_t *v = (const uint64_t *)b->sents.p;
  uint64_t head[2] = { n, nblk };
  if (gb_put(&b->senc, head, sizeof head) || gb_reserve(&b->senc, nblk * 16 + n * 10)) return -1;
  size_t cp = b->senc.n;               /* checkpoints go here */
  b->senc.n += nblk * 16;
  size_t d0 = b->senc.n;
  for (uint64_t i = 0; i < n; i++) {
    if ((i & (BSIZE - 1)) == 0) {
      uint64_t ck[2] = { v[i], b->senc.n - d0 };
      memcpy(b->senc.p + cp + (i >> BSHIFT) * 16, ck, 16);
      continue;
    }
    b->senc.n += lx_put_varint(b->senc.p + b->senc.n, v[i] - v[i - 1]);
  }
  return 0;
}

/*
** The folded forms' sort ranks and hash table, and the rank of each exact
** form (so a sort key is one load from the ids). b->xrank stays NULL if
** memory ran out.
*/
static void *lexicon_tables(void *arg) {
  lx_builder *b = arg;
  b->frank = lx_lex_ranks(&b->flex);
  if (!b->frank || make_hash(b)) return NULL;
  uint32_t *xrank = lx_malloc(((size_t)b->lex.n + 1) * sizeof *xrank);
  if (!xrank) return NULL;
  const uint32_t *fold = (const uint32_t *)b->fold.p;
  for (uint32_t i = 0; i < b->lex.n; i++) xrank[i] = b->frank[fold[i]];
  b->xrank = xrank;
  return NULL;
}

/* ================================================================ reading */

struct lx_corpus {
  lx_file file;               /* the mapping, when opened from a file */
  lx_builder *b;              /* the memory, when built here */
  char *path;                 /* the index file, for messages; or NULL */
  lx_section sec[NSEC];
  uint64_t ntok, ndocs, ntypes, nftypes, nslots, nblocks, nsents, nsblocks;
  const uint64_t *sblocks;         /* checkpoints of the sentence starts */
  const unsigned char *sdelta, *send;
  const lx_docrec *docs;
  const char *names;
  const uint64_t *lexoff, *flexoff, *postoff, *freq, *blocks;
  const char *lex, *flex;
  const uint32_t *fold, *frank, *fhash, *ids, *xrank;
  const unsigned char *post, *tokoff;
  /* memory of a mapped index in use (see hold) */
  const char *held[16];       /* the last regions touched, or NULL */
  unsigned next;              /* the slot to reuse */
  uint64_t filled;            /* hits filled one at a time, for corpus_trim */
  uint64_t serial;            /* distinct for every corpus made, from 1 */
};

/*
** Whether n bytes at p, in section sec of a mapped index, are as they were
** written (lx_file_check: each 128-byte block is hashed the first time it
** is touched). Every read of a section that was not checked whole at open
** goes through it, so damage anywhere ends in an error, never in a wrong
** answer. A corpus built here is always sound.
*/
#define SOUND(c, si, p, n) \
  (lx_file_check(&(c)->file, (si), (uint64_t)((const char *)(p) - (const char *)(c)->sec[si].data), (n)) == 0)
#define DAMAGED (UINT32_MAX - 1)        /* not an id: ids stay below UINT32_MAX - 1 */

int lx_corpus_damage(const lx_corpus *c, char *err, size_t errlen) {
  uint32_t sec;
  uint64_t at;
  const char *path = c->path ? c->path : "corpus";
  if (lx_file_damage(&c->file, &sec, &at) && sec < NSEC)
    return snprintf(err, errlen, "%s: damaged (%s, the block at byte %llu of the section fails its "
                    "checksum); rebuild it with 'lexis index'", path, secnames[sec], (unsigned long long)at);
  return snprintf(err, errlen, "%s: damaged; rebuild it with 'lexis index'", path);
}

/* Checks the bytes a decoder reading forward from p is about to read (up to
** `need`, within [p, e)), once p passes *ok, the end of what was checked. */
static int sound_ahead(const lx_corpus *c, int sec, const unsigned char *p, const unsigned char *e,
                       size_t need, const unsigned char **ok) {
  if (p + need <= *ok || p >= e) return 1;
  const unsigned char *z = (size_t)(e - p) < need ? e : p + need;
  const unsigned char *from = p > *ok ? p : *ok;
  if (!SOUND(c, sec, from, (uint64_t)(z - from))) return 0;
  *ok = z;
  return 1;
}

static uint64_t next_serial(void) {
  static uint64_t n;
  return __atomic_add_fetch(&n, 1, __ATOMIC_RELAXED);
}

static int bind_sections(lx_corpus *c, char *err, size_t errlen) {
  const lx_section *s = c->sec;
  const char *why = NULL;
  if (s[S_META].size < 8 * 8) why = "meta";
  const uint64_t *m = s[S_META].data;
  if (!why) {
    c->ntok = m[0]; c->ndocs = m[1]; c->ntypes = m[2]; c->nftypes = m[3]; c->nslots = m[4];
    /* Every count is bounded by the sections that hold it before it is
    ** multiplied, so no product below can wrap (a wrapped size once let an
    ** empty word hash pass); the hash has exactly the slots make_hash gives. */
    uint64_t slots = 1024;
    while (c->nftypes <= UINT32_MAX && slots < c->nftypes * 2) slots *= 2;
    if (m[5] != BSHIFT || c->ntypes > UINT32_MAX - 1 || c->nftypes > c->ntypes ||
        c->ndocs > UINT32_MAX - 1 || c->nslots != slots || c->ntok > s[S_IDS].size / 4)
      why = "meta";
    else c->nblocks = (c->ntok + BSIZE - 1) >> BSHIFT;
  }
#define SIZE_IS(sec, count, width) \
  if (!why && (s[sec].size / (width) != (uint64_t)(count) || s[sec].size % (width))) why = secnames[sec]
  SIZE_IS(S_DOCS, c->ndocs, sizeof(lx_docrec));
  SIZE_IS(S_LEXOFF, c->ntypes + 1, 8);
  SIZE_IS(S_FOLD, c->ntypes, 4);
  SIZE_IS(S_FLEXOFF, c->nftypes + 1, 8);
  SIZE_IS(S_FRANK, c->nftypes, 4);
  SIZE_IS(S_FHASH, c->nslots, 4);
  SIZE_IS(S_POSTOFF, c->nftypes + 1, 8);
  SIZE_IS(S_FREQ, c->nftypes, 8);
  SIZE_IS(S_IDS, c->ntok, 4);
  SIZE_IS(S_BLOCKS, c->nblocks, 16);
  SIZE_IS(S_XRANK, c->ntypes, 4);
  if (!why && s[S_SENTS].size) {
    const uint64_t *h = s[S_SENTS].data;
    if (s[S_SENTS].size < 16 || !SOUND(c, S_SENTS, h, 16) || h[1] != (h[0] + BSIZE - 1) >> BSHIFT ||
        h[1] > (s[S_SENTS].size - 16) / 16 || h[0] > c->ntok)
      why = secnames[S_SENTS];
  }
#undef SIZE_IS
  if (!why && s[S_NAMES].size > 0 && ((const char *)s[S_NAMES].data)[s[S_NAMES].size - 1] != '\0')
    why = secnames[S_NAMES];
  if (!why) {
    c->docs = s[S_DOCS].data;
    c->names = s[S_NAMES].data;
    uint64_t next = 0;
    for (uint64_t d = 0; d < c->ndocs && !why; d++) {   /* small: check every record now */
      const lx_docrec *r = &c->docs[d];
      if (r->first != next || r->ntok > c->ntok - r->first || r->name >= s[S_NAMES].size)
        why = secnames[S_DOCS];
      next = r->first + r->ntok;
    }
    if (!why && next != c->ntok) why = secnames[S_DOCS];
  }
  /* offset tables end where their data ends: one load each, and a
  ** damaged table is refused here rather than met by a query */
  static const int offs[][2] = { { S_LEXOFF, S_LEX }, { S_FLEXOFF, S_FLEX }, { S_POSTOFF, S_POST } };
  for (size_t i = 0; !why && i < 3; i++) {
    const uint64_t *last = (const uint64_t *)s[offs[i][0]].data + (offs[i][0] == S_LEXOFF ? c->ntypes : c->nftypes);
    if (!SOUND(c, offs[i][0], last, 8)) { lx_corpus_damage(c, err, errlen); return -1; }
    if (*last != s[offs[i][1]].size) why = secnames[offs[i][0]];
  }
  if (why) {
    if (lx_file_damage(&c->file, &(uint32_t){ 0 }, &(uint64_t){ 0 })) lx_corpus_damage(c, err, errlen);
    else snprintf(err, errlen, "%s: damaged (%s); rebuild it with 'lexis index'", c->path ? c->path : "corpus", why);
    return -1;
  }
  c->lexoff = s[S_LEXOFF].data; c->lex = s[S_LEX].data;
  c->fold = s[S_FOLD].data;
  c->flexoff = s[S_FLEXOFF].data; c->flex = s[S_FLEX].data;
  c->frank = s[S_FRANK].data; c->fhash = s[S_FHASH].data;
  c->postoff = s[S_POSTOFF].data; c->freq = s[S_FREQ].data; c->post = s[S_POST].data;
  c->ids = s[S_IDS].data;
  c->blocks = s[S_BLOCKS].data; c->tokoff = s[S_TOKOFF].data;
  c->xrank = s[S_XRANK].data;
  if (s[S_SENTS].size) {
    const uint64_t *h = s[S_SENTS].data;
    c->nsents = h[0];
    c->nsblocks = h[1];
    c->sblocks = h + 2;
    c->sdelta = (const unsigned char *)(h + 2 + 2 * h[1]);
    c->send = (const unsigned char *)s[S_SENTS].data + s[S_SENTS].size;
  }
  return 0;
}

/* The sections as the builder holds them, made or not. */
static void builder_sections(lx_builder *b, lx_section *sec) {
  uint64_t *m = b->meta;
  m[0] = b->ntok; m[1] = b->docs.n / sizeof(lx_docrec); m[2] = b->lex.n; m[3] = b->flex.n;
  m[4] = b->nslots; m[5] = BSHIFT;
  static const uint64_t zero = 0;
  const uint64_t *lexoff = b->lex.n ? b->lex.off : &zero, *flexoff = b->flex.n ? b->flex.off : &zero;
  lx_section s[NSEC] = {
    [S_META] = { m, sizeof b->meta },
    [S_DOCS] = { b->docs.p, b->docs.n },
    [S_NAMES] = { b->names.p, b->names.n },
    [S_LEXOFF] = { lexoff, ((uint64_t)b->lex.n + 1) * 8 },
    [S_LEX] = { b->lex.arena, b->lex.alen },
    [S_FOLD] = { b->fold.p, b->fold.n },
    [S_FLEXOFF] = { flexoff, ((uint64_t)b->flex.n + 1) * 8 },
    [S_FLEX] = { b->flex.arena, b->flex.alen },
    [S_FRANK] = { b->frank, (uint64_t)b->flex.n * 4 },
    [S_FHASH] = { b->fhash, b->nslots * 4 },
    [S_POSTOFF] = { b->postoff, ((uint64_t)b->flex.n + 1) * 8 },
    [S_FREQ] = { b->freq, (uint64_t)b->flex.n * 8 },
    [S_POST] = { b->post, b->postlen },
    [S_IDS] = { b->ids.p, b->ids.n },
    [S_BLOCKS] = { b->blocks.p, b->blocks.n },
    [S_TOKOFF] = { b->tokoff.p, b->tokoff.n },
    [S_XRANK] = { b->xrank, (uint64_t)b->lex.n * 4 },
    [S_SENTS] = { b->senc.p, b->senc.n },
  };
  memcpy(sec, s, sizeof s);
}

/*
** The lexicon's tables on one core (lexicon_tables), the sentence starts
** and the offset checkpoints on the other, then the postings on both.
** With a writer, each section goes to the file and is freed as soon as it
** is made. 0, or -1 if out of memory.
*/
static int make_all(lx_builder *b, lx_writer *w) {
  lx_section s[NSEC];
  pthread_t th;
  int threaded = pthread_create(&th, NULL, lexicon_tables, b) == 0;
  /* Ctrl-C (progress.h) is seen between the phases, each a second or so
  ** on a few hundred MB; the caller says "interrupted" then. */
  int rc = make_sents(b);
  free(b->sents.p);                     /* raw starts: encoded now, and no more come */
  memset(&b->sents, 0, sizeof b->sents);
  if (rc == 0 && lx_interrupted()) rc = -1;
  if (rc == 0) rc = make_blocks(b);
  if (rc == 0 && w) {                   /* (the lexicon's fields are the thread's now) */
    lx_writer_put(w, S_SENTS, b->senc.p, b->senc.n);
    lx_writer_put(w, S_BLOCKS, b->blocks.p, b->blocks.n);
    lx_writer_put(w, S_TOKOFF, b->tokoff.p, b->tokoff.n);
    lx_writer_put(w, S_DOCS, b->docs.p, b->docs.n);
    lx_writer_put(w, S_NAMES, b->names.p, b->names.n);
    gb_free(&b->senc);
    gb_free(&b->blocks);
    gb_free(&b->tokoff);
  }
  if (threaded) pthread_join(th, NULL);
  else lexicon_tables(b);
  if (rc || !b->xrank || lx_interrupted() || make_postings(b) || lx_interrupted()) return -1;
  if (w) {
    builder_sections(b, s);
    static const int rest[] = { S_POSTOFF, S_FREQ, S_POST, S_IDS, S_LEXOFF, S_LEX, S_FOLD, S_FLEXOFF,
                                S_FLEX, S_FRANK, S_FHASH, S_XRANK, S_META };
    for (size_t i = 0; i < sizeof rest / sizeof *rest; i++) {
      if (lx_interrupted()) return -1;
      lx_writer_put(w, rest[i], s[rest[i]].data, s[rest[i]].size);
      if (rest[i] == S_POST) { free(b->post); b->post = NULL; }
      if (rest[i] == S_IDS) gb_free(&b->ids);
    }
  }
  return 0;
}

lx_corpus *lx_builder_finish(lx_builder *b, char *err, size_t errlen) {
  lx_corpus *c = lx_calloc(1, sizeof *c);
  if (!c) goto oom;
  if (make_all(b, NULL)) goto oom;
  builder_sections(b, c->sec);
  c->b = b;
  c->serial = next_serial();
  if (bind_sections(c, err, errlen)) { c->b = NULL; free(c); lx_builder_free(b); return NULL; }
  return c;
oom:
  free(c);
  lx_builder_free(b);
  errno = lx_interrupted() ? ECANCELED : ENOMEM;
  snprintf(err, errlen, "%s", lx_strerror(errno));
  return NULL;
}

lx_corpus *lx_builder_save(lx_builder *b, const char *path, char *err, size_t errlen) {
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {    /* a pipe: the header comes first */
    lx_corpus *c = lx_builder_finish(b, err, errlen);
    if (c && lx_corpus_save(c, path, err, errlen)) { lx_corpus_free(c); return NULL; }
    return c;
  }
  lx_writer *w = lx_writer_open(path, NSEC, err, errlen);
  if (!w) { lx_builder_free(b); return NULL; }
  int rc = make_all(b, w);
  lx_builder_free(b);
  if (rc) {
    lx_writer_abort(w);
    errno = lx_interrupted() ? ECANCELED : ENOMEM;
    snprintf(err, errlen, "%s", lx_strerror(errno));
    return NULL;
  }
  if (lx_writer_commit(w, err, errlen)) return NULL;
  return lx_corpus_open(path, err, errlen);
}

lx_corpus *lx_corpus_open(const char *path, char *err, size_t errlen) {
  lx_corpus *c = lx_calloc(1, sizeof *c);
  if (!c || !(c->path = lx_strdup(path))) { free(c); snprintf(err, errlen, "out of memory"); return NULL; }
  c->serial = next_serial();
  if (lx_file_open(&c->file, path, err, errlen)) goto fail;
  if (c->file.nsec != NSEC) {
    snprintf(err, errlen, "%s: damaged (%u sections, not %d); rebuild it with 'lexis index'",
             path, (unsigned)c->file.nsec, NSEC);
    goto fail;
  }
  memcpy(c->sec, c->file.sec, sizeof c->sec);
  /* The small sections are checked now; the big ones are bounds-checked as
  ** they are used and checked whole by lx_corpus_verify. */
  static const int now[] = { S_META, S_DOCS, S_NAMES };
  for (size_t i = 0; i < sizeof now / sizeof *now; i++)
    if (!SOUND(c, now[i], c->sec[now[i]].data, c->sec[now[i]].size)) {
      lx_corpus_damage(c, err, errlen);
      goto fail;
    }
  if (bind_sections(c, err, errlen)) goto fail;
  return c;
fail:
  lx_corpus_free(c);
  return NULL;
}

void lx_corpus_free(lx_corpus *c) {
  if (!c) return;
  lx_file_close(&c->file);
  lx_builder_free(c->b);
  free(c->path);
  free(c);
}

int lx_corpus_save(const lx_corpus *c, const char *path, char *err, size_t errlen) {
  return lx_file_write(path, c->sec, NSEC, err, errlen);
}

int lx_corpus_verify(const lx_corpus *c, char *err, size_t errlen) {
  if (!c->file.map) return 0;              /* built here: nothing has touched it */
  if (lx_file_verify(&c->file)) { lx_corpus_damage(c, err, errlen); return -1; }
  return 0;
}

uint64_t lx_corpus_tokens(const lx_corpus *c) { return c->ntok; }
uint32_t lx_corpus_ndocs(const lx_corpus *c) { return (uint32_t)c->ndocs; }
uint64_t lx_corpus_types(const lx_corpus *c) { return c->ntypes; }
uint64_t lx_corpus_ftypes(const lx_corpus *c) { return c->nftypes; }
uint64_t lx_corpus_sentences(const lx_corpus *c) { return c->nsents; }

const lx_docrec *lx_corpus_doc(const lx_corpus *c, uint32_t d, const char **name) {
  *name = c->names + c->docs[d].name;
  return &c->docs[d];
}

/*
** Size and time first (a stat); when they agree, the content's XXH3 against
** the one taken when indexing, since an edit can keep both (an editor
** that restores the time, a copy with -p, a file rewritten within the
** same second).
*/
int lx_corpus_stale(const lx_corpus *c, uint32_t d, int deep) {
  struct stat st;
  const lx_docrec *r = &c->docs[d];
  int fd = open(c->names + r->name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return 1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != r->size ||
      (r->mtime && (int64_t)st.st_mtime != r->mtime)) {
    close(fd);
    return 1;
  }
  if (!deep) { close(fd); return 0; }
  hashjob j = { fd, r->size, 0, 0 };
  hash_main(&j);
  close(fd);
  return j.rc != 0 || j.hash != r->hash;
}

/* A folded form by id, or NULL if the offsets are damaged. */
static const char *fstr(const lx_corpus *c, uint64_t f, size_t *len) {
  if (!SOUND(c, S_FLEXOFF, &c->flexoff[f], 16)) return NULL;
  uint64_t a = c->flexoff[f], b = c->flexoff[f + 1];
  if (a > b || b > c->sec[S_FLEX].size || !SOUND(c, S_FLEX, c->flex + a, b - a)) return NULL;
  *len = (size_t)(b - a);
  return c->flex + a;
}

static const char *xstr(const lx_corpus *c, uint64_t id, size_t *len) {
  if (!SOUND(c, S_LEXOFF, &c->lexoff[id], 16)) return NULL;
  uint64_t a = c->lexoff[id], b = c->lexoff[id + 1];
  if (a > b || b > c->sec[S_LEX].size || !SOUND(c, S_LEX, c->lex + a, b - a)) return NULL;
  *len = (size_t)(b - a);
  return c->lex + a;
}

/* The folded id of an already folded word, LX_NOID if it is not there,
** DAMAGED if the hash or the lexicon is. */
static uint32_t find_folded(const lx_corpus *c, const char *s, size_t len) {
  if (c->nslots == 0) return LX_NOID;
  uint64_t mask = c->nslots - 1, i = (lx_hash(s, len) >> 32) & mask;
  for (uint64_t probes = 0; probes < c->nslots; probes++, i = (i + 1) & mask) {
    if (!SOUND(c, S_FHASH, &c->fhash[i], 4)) return DAMAGED;
    uint32_t v = c->fhash[i];
    if (v == 0) return LX_NOID;
    if (v > c->nftypes) return DAMAGED;
    size_t fl;
    const char *f = fstr(c, v - 1, &fl);
    if (!f) return DAMAGED;
    if (fl == len && memcmp(f, s, len) == 0) return v - 1;
  }
  return LX_NOID;
}

int lx_corpus_freq(const lx_corpus *c, const char *word, size_t len, uint64_t *n) {
  size_t fl;
  *n = 0;
  char *f = lx_fold(word, len, &fl);
  if (!f) return -1;
  uint32_t id = find_folded(c, f, fl);
  free(f);
  if (id == DAMAGED || (id != LX_NOID && !SOUND(c, S_FREQ, &c->freq[id], 8))) return -2;
  if (id != LX_NOID && c->freq[id] > c->ntok) return -2;
  *n = id == LX_NOID ? 0 : c->freq[id];
  return 0;
}

/*
** Notes that a query touches p in a mapped index. The regions (2 MB, the
** largest folio the kernel maps a file by) of the last 16 touches stay
** mapped; the one touched longest ago is given back (lx_file_release), so
** a sweep through the ids, or hits shown in random order, hold 32 MB of
** the index and not all of it. Bookkeeping only: c is logically const.
*/
#define REGION ((size_t)2 << 20)

static void hold(const lx_corpus *c, const void *p) {
  const char *m = c->file.map;
  if (!m) return;
  const char *r = m + (((const char *)p - m) & ~(REGION - 1));
  lx_corpus *w = (lx_corpus *)c;            /* allocated mutable: the cast is sound */
  if (w->held[(w->next + 15) % 16] == r) return;      /* as last time: the usual case */
  for (unsigned i = 0; i < 16; i++)
    if (w->held[i] == r) return;
  if (w->held[w->next]) {
    const char *old = w->held[w->next];
    size_t len = old + REGION > m + c->file.maplen ? (size_t)(m + c->file.maplen - old) : REGION;
    lx_file_release(&c->file, old, len);
  }
  w->held[w->next] = r;
  w->next = (w->next + 1) % 16;
}

/* Whether n hits spread over the corpus touch most regions of the ids
** (16 a region on average). */
static int is_dense(const lx_corpus *c, uint64_t n) {
  return c->ntok && n > c->ntok / (REGION / 4 / 16);
}

static uint32_t doc_of(const lx_corpus *c, uint64_t p) {
  uint64_t lo = 0, hi = c->ndocs;         /* the last document whose first <= p */
  while (hi - lo > 1) {
    uint64_t mid = (lo + hi) / 2;
    if (c->docs[mid].first <= p) lo = mid; else hi = mid;
  }
  return (uint32_t)lo;
}

/*
** Byte ranges of tokens of document d, decoded from the checkpoint of the
** block holding `from` up to `to`: want[i] positions in, starts and ends
** out; or, with want NULL, every token of [from, to] at start[t - from].
*/
static int token_bytes(const lx_corpus *c, uint32_t d, uint64_t from, uint64_t to,
                       const uint64_t *want, size_t nwant, uint64_t *start, uint64_t *end) {
  uint64_t first = c->docs[d].first;
  uint64_t b = from >> BSHIFT;
  if (b >= c->nblocks || to >= c->ntok) return -1;
  if (!SOUND(c, S_BLOCKS, &c->blocks[b * 2], 16)) return -1;
  uint64_t off = c->blocks[b * 2 + 1], cur = 0, prev_end = 0;
  const unsigned char *p = c->tokoff + (off < c->sec[S_TOKOFF].size ? off : c->sec[S_TOKOFF].size);
  hold(c, &c->blocks[b * 2]);
  hold(c, p);
  const unsigned char *e = c->tokoff + c->sec[S_TOKOFF].size, *ok = p;
  for (uint64_t t = b << BSHIFT; t <= to; t++) {
    uint64_t v, gap;
    if (!sound_ahead(c, S_TOKOFF, p, e, 20, &ok)) return -1;   /* two varints at most */
    if (!lx_get_varint(&p, e, &v)) return -1;
    gap = v & 3;
    if (gap == 3) {
      uint64_t g;
      if (!lx_get_varint(&p, e, &g)) return -1;
      gap += g;
    }
    if (t == b << BSHIFT && t != first) cur = c->blocks[b * 2];
    else if (t == first) cur = gap;
    else cur = prev_end + gap;
    prev_end = cur + (v >> 2);
    if (!want && t >= from) { start[t - from] = cur; end[t - from] = prev_end; }
    for (size_t i = 0; want && i < nwant; i++)
      if (want[i] == t) { start[i] = cur; end[i] = prev_end; }
  }
  return 0;
}

/* The concordance's hook: sort keys and byte ranges of a hit, on demand. */
/* Sentence i's first token, or UINT64_MAX if the section is damaged. */
static uint64_t sent_at(const lx_corpus *c, uint64_t i) {
  uint64_t b = i >> BSHIFT;
  if (b >= c->nsblocks || !SOUND(c, S_SENTS, &c->sblocks[2 * b], 16)) return UINT64_MAX;
  uint64_t pos = c->sblocks[2 * b], off = c->sblocks[2 * b + 1];
  if (off > (uint64_t)(c->send - c->sdelta)) return UINT64_MAX;
  const unsigned char *p = c->sdelta + off, *ok = p;
  hold(c, p);
  for (uint64_t k = b << BSHIFT; k < i; k++) {
    uint64_t d;
    if (!sound_ahead(c, S_SENTS, p, c->send, 10, &ok) || !lx_get_varint(&p, c->send, &d)) return UINT64_MAX;
    pos += d;
  }
  return pos;
}

/* How many sentences start at or before token p; UINT64_MAX if the
** section is damaged. */
static uint64_t sents_upto(const lx_corpus *c, uint64_t p) {
  uint64_t a = 0, z = c->nsblocks;               /* the last block starting <= p */
  if (z == 0) return 0;
  if (!SOUND(c, S_SENTS, c->sblocks, 16)) return UINT64_MAX;
  if (c->sblocks[0] > p) return 0;
  while (z - a > 1) {
    uint64_t mid = (a + z) / 2;
    if (!SOUND(c, S_SENTS, &c->sblocks[2 * mid], 16)) return UINT64_MAX;
    if (c->sblocks[2 * mid] <= p) a = mid; else z = mid;
  }
  uint64_t i = a << BSHIFT, end = i + BSIZE < c->nsents ? i + BSIZE : c->nsents;
  if (!SOUND(c, S_SENTS, &c->sblocks[2 * a], 16)) return UINT64_MAX;
  uint64_t pos = c->sblocks[2 * a], off = c->sblocks[2 * a + 1];
  if (off > (uint64_t)(c->send - c->sdelta)) return UINT64_MAX;
  const unsigned char *q = c->sdelta + off, *ok = q;
  hold(c, q);
  for (i++; i < end; i++) {
    uint64_t d;
    if (!sound_ahead(c, S_SENTS, q, c->send, 10, &ok)) return UINT64_MAX;
    if (!lx_get_varint(&q, c->send, &d)) return UINT64_MAX;
    if (pos + d > p) break;
    pos += d;
  }
  return i;
}

static int fill_one(const lx_corpus *c, lx_hit *h, unsigned want, unsigned left, unsigned right) {
  const lx_docrec *r = &c->docs[h->doc];
  uint64_t lo = r->first, hi = r->first + r->ntok;     /* the document's tokens */
  uint64_t last = h->cpos + h->ntok - 1;
  if (want & ~h->have & ((1u << LX_NSLOTS) - 1)) hold(c, &c->ids[h->cpos]);
  for (int s = 0; s < LX_NSLOTS; s++) {
    if (!(want & LX_HAVE_KEY(s)) || (h->have & LX_HAVE_KEY(s))) continue;
    uint64_t q;
    int ok;
    if (s < LX_K_NODE) { q = h->cpos - (uint64_t)(LX_K_NODE - s); ok = h->cpos >= lo + (uint64_t)(LX_K_NODE - s); }
    else if (s == LX_K_NODE) { q = h->cpos; ok = 1; }
    else { q = last + (uint64_t)(s - LX_K_NODE); ok = q < hi; }
    uint32_t f = 0;
    if (ok) {
      if (!SOUND(c, S_IDS, &c->ids[q], 4)) return -1;
      uint32_t id = c->ids[q];
      if (id >= c->ntypes || !SOUND(c, S_XRANK, &c->xrank[id], 4) || c->xrank[id] >= c->nftypes) return -1;
      f = c->xrank[id] + 1;
    }
    h->key[s] = f;
    h->have |= LX_HAVE_KEY(s);
  }
  if ((want & (LX_HAVE_SENT | LX_HAVE_SNUM)) && !(h->have & LX_HAVE_SENT) && c->nsents) {
    /* the last sentence starting at or before the hit, numbered from the
    ** document's first; its bytes (if asked) from its first token to its last */
    uint64_t upto = sents_upto(c, h->cpos), before = lo ? sents_upto(c, lo - 1) : 0;
    if (upto == UINT64_MAX || before == UINT64_MAX) return -1;
    h->sent = upto > before ? upto - before : 1;
    h->have |= LX_HAVE_SNUM;
    if (want & LX_HAVE_SENT) {
      uint64_t first = lo, next = hi;
      if (upto > before) {
        first = sent_at(c, upto - 1);
        if (upto < c->nsents) next = sent_at(c, upto);
      }
      if (first == UINT64_MAX || next == UINT64_MAX) return -1;
      if (first < lo) first = lo;
      if (next > hi) next = hi;
      if (next <= last) next = last + 1;
      /* two short decodes (each from its block's checkpoint), not the
      ** whole sentence: some run to thousands of tokens */
      uint64_t p0 = first, p1 = next - 1, st0 = 0, en0 = 0, st1 = 0, en1 = 0;
      if (p1 >= hi || token_bytes(c, h->doc, p0, p0, &p0, 1, &st0, &en0) ||
          token_bytes(c, h->doc, p1, p1, &p1, 1, &st1, &en1))
        return -1;
      h->sstart = st0;
      h->sstop = en1;
      h->have |= LX_HAVE_SENT;
    }
  }
  if ((want & LX_HAVE_BYTES) && !(h->have & LX_HAVE_BYTES)) {
    uint64_t a = h->cpos - lo > left ? h->cpos - left : lo;
    uint64_t z = hi - 1 - last > right ? last + right : hi - 1;
    uint64_t pos[4] = { a, h->cpos, last, z }, st[4] = { 0 }, en[4] = { 0 };
    if (token_bytes(c, h->doc, a, z, pos, 4, st, en)) return -1;
    h->lstart = st[0];
    h->start = st[1];
    h->end = en[2];
    h->rend = en[3];
    h->have |= LX_HAVE_BYTES;
  }
  return 0;
}

/*
** Unmaps the big sections' pages from this process (see lx_file_release):
** hits are spread over the whole index, so without this a query of a few
** hundred hits keeps most of a big index resident. Called after each batch
** of hits and every few single ones, so memory follows the hits at hand.
*/
static void corpus_trim(lx_corpus *c) {
  static const int big[] = { S_POST, S_IDS, S_BLOCKS, S_TOKOFF, S_SENTS };
  for (size_t i = 0; i < sizeof big / sizeof *big; i++)
    lx_file_release(&c->file, c->sec[big[i]].data, c->sec[big[i]].size);
  memset(c->held, 0, sizeof c->held);
}

/* The concordance's hook, for a batch: the token ids a few hits ahead are
** prefetched, since each hit's neighbours are a cache miss of their own. */
static int corpus_fill(void *ctx, lx_hit *h, size_t n, unsigned want, unsigned left, unsigned right) {
  lx_corpus *c = ctx;
  enum { AHEAD = 16, TRIM_SINGLE = 256 };
  for (size_t i = 0; i < n; i++) {
    if (i + AHEAD < n && h[i + AHEAD].cpos + 4 < c->ntok) {
      uint64_t p = h[i + AHEAD].cpos;
      __builtin_prefetch(&c->ids[p + 1]);
      lx_file_prefetch(&c->file, S_IDS, (p + 1) * 4);
      if (p >= 4) {
        __builtin_prefetch(&c->ids[p - 3]);
        lx_file_prefetch(&c->file, S_IDS, (p - 3) * 4);
      }
    }
    if ((h[i].have & want) != want && fill_one(c, &h[i], want, left, right)) return -1;
  }
  if (n > 1 || ++c->filled % TRIM_SINGLE == 0) corpus_trim(c);
  return 0;
}

/*
** The hook that shows text: the source file, mapped, if it is still what
** was indexed (same size and time), since offsets into a changed file
** would point at the wrong words.
*/
static int corpus_text(void *ctx, uint32_t d, lx_cdoc *doc, char *err, size_t errlen) {
  const lx_corpus *c = ctx;
  const lx_docrec *r = &c->docs[d];
  const char *path = c->names + r->name;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) { snprintf(err, errlen, "%s: %s (the index needs its source files)", path, strerror(errno)); return -1; }
  struct stat st;
  if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != r->size || (r->mtime && (int64_t)st.st_mtime != r->mtime)) {
    snprintf(err, errlen, "%s: changed since it was indexed; rebuild the index with 'lexis index'", path);
    close(fd);
    return -1;
  }
  if (r->size == 0) { close(fd); doc->text = ""; doc->len = 0; return 0; }
  void *map = mmap(NULL, r->size, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  if (map == MAP_FAILED) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return -1; }
  doc->text = map;
  doc->len = r->size;
  doc->map = map;
  doc->maplen = r->size;
  doc->guard = lx_guard_add(map, r->size, path);
  return 0;
}

/*
** The concordance's check before it shows a hit: the file can change and
** keep its size and time, so each token of the window is read at the
** offsets the index gives and compared with the form the index holds.
** Only the bytes shown are read (hashing the file would read all of it for
** every query); lx_corpus_stale compares the whole file's hash.
*/
static int corpus_agrees(void *ctx, const lx_hit *h, unsigned left, unsigned right, const lx_cdoc *doc) {
  const lx_corpus *c = ctx;
  const lx_docrec *r = &c->docs[h->doc];
  uint64_t lo = r->first, hi = r->first + r->ntok, last = h->cpos + h->ntok - 1;
  if (h->cpos < lo || last >= hi) return -1;
  uint64_t a = h->cpos - lo > left ? h->cpos - left : lo;
  uint64_t z = hi - 1 - last > right ? last + right : hi - 1;
  uint64_t small[2][64], *st = small[0], *en = small[1];
  if (z - a + 1 > 64) {
    st = lx_malloc((z - a + 1) * 2 * sizeof *st);
    if (!st) return 0;                   /* (out of memory: shown unchecked, as before) */
    en = st + (z - a + 1);
  }
  int rc = token_bytes(c, h->doc, a, z, NULL, 0, st, en) ? -1 : 0;
  for (uint64_t t = a; rc == 0 && t <= z; t++) {
    uint32_t id = lx_corpus_id(c, t);
    size_t len;
    const char *form = id == LX_NOID ? NULL : xstr(c, id, &len);
    if (!form) { rc = -1; break; }
    uint64_t s0 = st[t - a], s1 = en[t - a];
    if (s1 > doc->len || s1 - s0 != len || memcmp(doc->text + s0, form, len) != 0) rc = 1;
  }
  if (st != small[0]) free(st);
  return rc;
}

static int corpus_damage(const void *ctx, char *err, size_t errlen) {
  return lx_corpus_damage(ctx, err, errlen);
}

/* ================================================================ refreshing */

/* Where token t's varints begin in c's offsets; UINT64_MAX if damaged. */
static uint64_t tokoff_at(const lx_corpus *c, uint64_t t) {
  uint64_t size = c->sec[S_TOKOFF].size;
  if (t >= c->ntok) return size;
  if (!SOUND(c, S_BLOCKS, &c->blocks[(t >> BSHIFT) * 2], 16)) return UINT64_MAX;
  uint64_t off = c->blocks[(t >> BSHIFT) * 2 + 1];
  if (off > size) return UINT64_MAX;
  const unsigned char *p = c->tokoff + off, *e = c->tokoff + size, *ok = p;
  for (uint64_t k = t & ~(uint64_t)(BSIZE - 1); k < t; k++) {
    uint64_t v, g;
    if (!sound_ahead(c, S_TOKOFF, p, e, 20, &ok)) return UINT64_MAX;
    if (!lx_get_varint(&p, e, &v) || ((v & 3) == 3 && !lx_get_varint(&p, e, &g))) return UINT64_MAX;
  }
  return (uint64_t)(p - c->tokoff);
}

/* Our id for c's exact form id, interned (with its folded form) when first
** met. LX_NOID if out of memory; *damaged set if c's lexicon is. */
static uint32_t reuse_id(lx_builder *b, const lx_corpus *c, uint32_t id, int *damaged) {
  if (b->rmap[id]) return b->rmap[id] - 1;
  size_t len = 0, fl = 0;
  if (!SOUND(c, S_FOLD, &c->fold[id], 4)) { *damaged = 1; return LX_NOID; }
  const char *s = xstr(c, id, &len), *f = c->fold[id] < c->nftypes ? fstr(c, c->fold[id], &fl) : NULL;
  if (!s || !f) { *damaged = 1; return LX_NOID; }
  uint32_t before = b->lex.n;
  uint32_t nid = lx_lex_intern(&b->lex, s, len);
  if (nid == LX_NOID) return LX_NOID;
  if (nid == before) {
    uint32_t fid = lx_lex_intern(&b->flex, f, fl);
    if (fid == LX_NOID || gb_put(&b->fold, &fid, 4)) return LX_NOID;
  }
  b->rmap[id] = nid + 1;
  return nid;
}

/*
** Appends document d of c as it was indexed, its file unread: its ids
** renumbered into our lexicon, its offsets copied (they are relative to
** the document), its sentence starts shifted. What 'lexis index --update'
** does with the files that have not changed: no tokenizing, no splitting.
*/
int lx_builder_reuse(lx_builder *b, const lx_corpus *c, uint32_t d, char *err, size_t errlen) {
  const lx_docrec *old = &c->docs[d];
  const char *name = c->names + old->name;
  if (b->sp && old->ntok && !c->nsents) {
    snprintf(err, errlen, "%s: indexed without sentences", name);
    return -2;
  }
  if (b->rsrc != c->serial) {          /* (an address could be a new corpus's) */
    free(b->rmap);
    b->rsrc = 0;
    if (!(b->rmap = lx_calloc(c->ntypes + 1, sizeof *b->rmap))) goto oom;
    b->rsrc = c->serial;
  }
  lx_docrec r;
  uint64_t first = old->first, end = old->first + old->ntok;
  uint64_t a = tokoff_at(c, first), z = tokoff_at(c, end);
  int damaged = a == UINT64_MAX || z == UINT64_MAX || a > z ||
                !SOUND(c, S_IDS, c->ids + first, old->ntok * 4) || !SOUND(c, S_TOKOFF, c->tokoff + a, z - a);
  if (damaged) goto bad;
  if (begin_doc(b, name, &r) || gb_reserve(&b->ids, old->ntok * 4) || gb_reserve(&b->tokoff, z - a)) goto oom;
  uint32_t *ids = (uint32_t *)(b->ids.p + b->ids.n);
  for (uint64_t t = first; t < end; t++) {
    uint32_t id = c->ids[t];
    if (id >= c->ntypes) goto bad;
    uint32_t nid = reuse_id(b, c, id, &damaged);
    if (damaged) goto bad;
    if (nid == LX_NOID) goto oom;
    ids[t - first] = nid;
  }
  b->ids.n += old->ntok * 4;
  memcpy(b->tokoff.p + b->tokoff.n, c->tokoff + a, z - a);
  b->tokoff.n += z - a;
  b->ntok += old->ntok;
  if (b->sp) {
    uint64_t k0 = first ? sents_upto(c, first - 1) : 0;
    if (k0 == UINT64_MAX) goto bad;
    for (uint64_t k = k0; k < c->nsents; k++) {
      uint64_t pos = sent_at(c, k);
      if (pos == UINT64_MAX || pos < first) goto bad;
      if (pos >= end) break;
      pos = pos - first + r.first;
      if (gb_put(&b->sents, &pos, 8)) goto oom;
    }
  }
  r.size = old->size;
  r.mtime = old->mtime;
  r.hash = old->hash;
  b->bytes += old->size;
  if (end_doc(b, &r)) goto oom;
  lx_file_release(&c->file, &c->ids[first], old->ntok * 4);     /* read once */
  lx_file_release(&c->file, c->tokoff + a, z - a);
  return 0;
bad:
  lx_corpus_damage(c, err, errlen);
  return -1;
oom:
  snprintf(err, errlen, "out of memory");
  return -1;
}

/* ================================================================ queries */

typedef struct posset {
  unsigned char *fbits;        /* folded ids that match (not LX_Q_CASE) */
  unsigned char *xbits;        /* exact ids that match (LX_Q_CASE) */
  uint32_t *fids;              /* folded ids whose postings hold candidates */
  size_t nf;
  uint64_t total;              /* their occurrences */
} posset;

#define BIT_SET(b, i) ((b)[(i) >> 3] |= (unsigned char)(1u << ((i) & 7)))
#define BIT_GET(b, i) (((b)[(i) >> 3] >> ((i) & 7)) & 1u)

/*
** Resolves one pattern against the lexicon: a literal through the hash, a
** glob or regex by testing every type once (folded forms, or exact forms
** when case matters). The text is never touched.
*/
static int resolve1(const lx_corpus *c, const lx_pat *p, int exact, posset *ps, int *rerr,
                    uint64_t *rword);

/* Frequencies are trusted nowhere: distinct types cannot occur more often
** than there are tokens, whatever a damaged index says. -1 out of memory,
** -2 damaged, -3 a regex failed (PCRE2's code in *rerr, on lexicon word
** *rword: exact or folded as `exact` says). */
static int resolve(const lx_corpus *c, const lx_pat *p, int exact, posset *ps, int *rerr,
                   uint64_t *rword) {
  int r = resolve1(c, p, exact, ps, rerr, rword);
  if (r) return r;
  uint64_t sum = 0;
  for (size_t i = 0; i < ps->nf; i++) {
    if (!SOUND(c, S_FREQ, &c->freq[ps->fids[i]], 8) || c->freq[ps->fids[i]] > c->ntok - sum) return -2;
    sum += c->freq[ps->fids[i]];
  }
  ps->total = sum;
  return 0;
}

static int resolve1(const lx_corpus *c, const lx_pat *p, int exact, posset *ps, int *rerr,
                    uint64_t *rword) {
  ps->fids = lx_malloc(sizeof *ps->fids * 16);
  size_t cap = 16;
  if (!ps->fids) return -1;
  if (exact) {
    ps->xbits = lx_calloc(c->ntypes / 8 + 1, 1);
    unsigned char *seen = lx_calloc(c->nftypes / 8 + 1, 1);
    if (!ps->xbits || !seen) { free(seen); return -1; }
    for (uint64_t id = 0; id < c->ntypes; id++) {
      size_t len;
      const char *s = xstr(c, id, &len);
      if (!s) { free(seen); return -2; }
      int m = p->kind == LX_PAT_LITERAL ? len == p->len && memcmp(s, p->text, len) == 0
                                         : lx_pat_match(p, s, len);
      if (m < 0) { free(seen); *rerr = m; *rword = id; return -3; }   /* PCRE2's limits */
      if (!m) continue;
      BIT_SET(ps->xbits, id);
      if (!SOUND(c, S_FOLD, &c->fold[id], 4)) { free(seen); return -2; }
      uint32_t f = c->fold[id];
      if (f >= c->nftypes) { free(seen); return -2; }
      if (BIT_GET(seen, f)) continue;
      BIT_SET(seen, f);
      if (ps->nf == cap) {
        uint32_t *q = lx_realloc(ps->fids, (cap *= 2) * sizeof *q);
        if (!q) { free(seen); return -1; }
        ps->fids = q;
      }
      ps->fids[ps->nf++] = f;
    }
    free(seen);
    return 0;
  }
  ps->fbits = lx_calloc(c->nftypes / 8 + 1, 1);
  if (!ps->fbits) return -1;
  if (p->kind == LX_PAT_LITERAL) {
    uint32_t f = find_folded(c, p->text, p->len);
    if (f == DAMAGED) return -2;
    if (f != LX_NOID) {
      BIT_SET(ps->fbits, f);
      ps->fids[ps->nf++] = f;
    }
    return 0;
  }
  for (uint64_t f = 0; f < c->nftypes; f++) {
    size_t len;
    const char *s = fstr(c, f, &len);
    if (!s) return -2;
    int m = lx_pat_match(p, s, len);
    if (m < 0) { *rerr = m; *rword = f; return -3; }
    if (!m) continue;
    BIT_SET(ps->fbits, f);
    if (ps->nf == cap) {
      uint32_t *q = lx_realloc(ps->fids, (cap *= 2) * sizeof *q);
      if (!q) return -1;
      ps->fids = q;
    }
    ps->fids[ps->nf++] = (uint32_t)f;
  }
  return 0;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The positions of the given folded types, ascending. NULL if damaged or
** out of memory (*damaged says which). */
static uint64_t *positions(const lx_corpus *c, const posset *ps, uint64_t *n, int *damaged) {
  uint64_t *out = lx_malloc((ps->total + 1) * sizeof *out);
  *n = 0;
  *damaged = 0;
  if (!out) return NULL;
  for (size_t i = 0; i < ps->nf; i++) {
    uint32_t f = ps->fids[i];
    if (!SOUND(c, S_POSTOFF, &c->postoff[f], 16) || !SOUND(c, S_FREQ, &c->freq[f], 8)) {
      *damaged = 1; free(out); return NULL;
    }
    uint64_t a = c->postoff[f], z = c->postoff[f + 1];
    if (a > z || z > c->sec[S_POST].size || !SOUND(c, S_POST, c->post + a, z - a)) {
      *damaged = 1; free(out); return NULL;
    }
    const unsigned char *p = c->post + a, *e = c->post + z;
    uint64_t pos = 0;
    for (uint64_t k = 0; k < c->freq[f]; k++) {
      uint64_t d;
      if (!lx_get_varint(&p, e, &d) || (k && d == 0) || d > c->ntok - pos || *n >= ps->total) {
        *damaged = 1;
        free(out);
        return NULL;
      }
      pos = k ? pos + d : d;
      if (pos >= c->ntok) { *damaged = 1; free(out); return NULL; }
      out[(*n)++] = pos;
    }
  }
  if (ps->nf > 1) qsort(out, *n, sizeof *out, cmp_u64);
  return out;
}

static int matches_at(const lx_corpus *c, const posset *ps, uint64_t p, int exact) {
  if (!SOUND(c, S_IDS, &c->ids[p], 4)) return -1;
  uint32_t id = c->ids[p];
  if (id >= c->ntypes) return -1;
  if (exact) return BIT_GET(ps->xbits, id);
  if (!SOUND(c, S_FOLD, &c->fold[id], 4)) return -1;
  uint32_t f = c->fold[id];
  if (f >= c->nftypes) return -1;
  return BIT_GET(ps->fbits, f);
}

int lx_corpus_query(lx_corpus *c, const lx_query *q, lx_conc *conc, size_t stop_after,
                    char *err, size_t errlen) {
  posset ps[LX_QUERY_MAX];
  memset(ps, 0, sizeof ps);
  uint64_t *cand = NULL;
  int rc = -1, exact = (q->flags & LX_Q_CASE) != 0;
  const char *why = "out of memory";
  char *cwd = getcwd(NULL, 0);       /* names shown as the user typed them, when under it */
  for (uint32_t d = 0; d < c->ndocs; d++) {
    const char *name = lx_path_shown(c->names + c->docs[d].name, cwd);
    if (lx_conc_add_doc(conc, name, strlen(name), NULL, 0) < 0) {
      free(cwd);
      goto done;
    }
  }
  free(cwd);
  conc->src = (lx_conc_source){ .ctx = c, .fill = corpus_fill, .text = corpus_text,
                                .agrees = corpus_agrees, .damage = corpus_damage, .ranked = 1 };
  size_t anchor = 0;
  for (size_t i = 0; i < q->n; i++) {
    int rerr = 0;
    uint64_t rword = 0;
    int r = resolve(c, &q->pos[i], exact, &ps[i], &rerr, &rword);
    if (r == -2) { why = "damaged"; goto done; }
    if (r == -3) {          /* no silent "no hits": name the pattern and the word */
      char msg[160];
      size_t wl;
      const char *w = exact ? xstr(c, rword, &wl) : fstr(c, rword, &wl);
      lx_regex_failure(rerr, q->pos[i].text, q->pos[i].len, msg, sizeof msg);
      snprintf(err, errlen, "%s: %s on the word '%.*s'", c->path ? c->path : "corpus", msg,
               w ? (int)(wl > 60 ? 60 : wl) : 0, w ? w : "");
      rc = -1;
      why = NULL;
      goto done;
    }
    if (r) goto done;
    if (ps[i].total < ps[anchor].total) anchor = i;
  }
  /* The rarest position gives the candidates; the others are checked in
  ** the id stream next to them. A single case-folded word needs no check. */
  uint64_t n;
  int damaged;
  cand = positions(c, &ps[anchor], &n, &damaged);
  if (!cand) { if (damaged) why = "damaged"; goto done; }
  int check = q->n > 1 || exact;
  if (!conc->count_only &&
      lx_conc_reserve(conc, conc->n + (size_t)(stop_after && stop_after < n ? stop_after : n))) goto done;
  uint32_t d = 0;
  /* checked candidates dense in a mapped index: their sort keys are taken
  ** while the ids around them are at hand (see hold), as a sort would
  ** otherwise map the ids a second time */
  int keys_now = check && c->file.map && is_dense(c, n);
  for (uint64_t k = 0; k < n; k++) {
    if (cand[k] < anchor) continue;
    uint64_t s = cand[k] - anchor;
    while (d + 1 < c->ndocs && c->docs[d + 1].first <= s) d++;
    if (c->docs[d].first > s) d = doc_of(c, s);
    const lx_docrec *r = &c->docs[d];
    if (s + q->n > r->first + r->ntok) continue;       /* runs past its document */
    int ok = 1;
    if (check) hold(c, &c->ids[s]);
    for (size_t i = 0; check && ok && i < q->n; i++) {
      int m = matches_at(c, &ps[i], s + i, exact);
      if (m < 0) { why = "damaged"; goto done; }
      ok = m;
    }
    if (!ok) continue;
    if (conc->count_only) {           /* kwic --count: counted, not kept */
      conc->counted++;
      if (stop_after && conc->counted >= stop_after) break;
      continue;
    }
    lx_hit h;
    memset(&h, 0, sizeof h);
    h.cpos = s;
    h.pos = s - r->first;
    h.have = LX_HAVE_POS;
    h.doc = d;
    h.ntok = (uint32_t)q->n;
    if (keys_now && fill_one(c, &h, (1u << LX_NSLOTS) - 1, 0, 0)) { why = "damaged"; goto done; }
    if (lx_conc_push(conc, &h)) goto done;
    if (stop_after && conc->n >= stop_after) break;
  }
  rc = 0;
done:
  corpus_trim(c);
  if (rc && why) {         /* (NULL: err is written) */
    if (strcmp(why, "damaged") == 0)
      lx_corpus_damage(c, err, errlen);
    else
      snprintf(err, errlen, "%s", why);
  }
  for (size_t i = 0; i < q->n; i++) { free(ps[i].fbits); free(ps[i].xbits); free(ps[i].fids); }
  free(cand);
  return rc;
}

/* ================================================================ raw access */

/*
** What a counter that walks the index itself needs (collocates.c): the
** token stream, the forms, the postings of chosen types and the document
** around a position. Each checks what a damaged index could make wrong.
*/

uint32_t lx_corpus_id(const lx_corpus *c, uint64_t p) {
  if (p >= c->ntok || !SOUND(c, S_IDS, &c->ids[p], 4) || c->ids[p] >= c->ntypes) return LX_NOID;
  return c->ids[p];
}

const char *lx_corpus_form(const lx_corpus *c, uint32_t id, size_t *len) {
  return id < c->ntypes ? xstr(c, id, len) : NULL;
}

uint64_t lx_corpus_ffreq(const lx_corpus *c, uint32_t f) {
  if (f >= c->nftypes || !SOUND(c, S_FREQ, &c->freq[f], 8) || c->freq[f] > c->ntok) return UINT64_MAX;
  return c->freq[f];
}

uint32_t lx_corpus_fold_of(const lx_corpus *c, uint32_t id) {
  if (id >= c->ntypes || !SOUND(c, S_FOLD, &c->fold[id], 4)) return LX_NOID;
  return c->fold[id] < c->nftypes ? c->fold[id] : LX_NOID;
}

int lx_corpus_postings(const lx_corpus *c, const uint32_t *fids, size_t nf, uint64_t **pos,
                       uint64_t *n) {
  posset ps;
  memset(&ps, 0, sizeof ps);
  ps.fids = (uint32_t *)fids;
  ps.nf = nf;
  for (size_t i = 0; i < nf; i++) {
    if (fids[i] >= c->nftypes || !SOUND(c, S_FREQ, &c->freq[fids[i]], 8) ||
        c->freq[fids[i]] > c->ntok - ps.total)
      return -2;
    ps.total += c->freq[fids[i]];
  }
  int damaged;
  *pos = positions(c, &ps, n, &damaged);
  return *pos ? 0 : damaged ? -2 : -1;
}

/*
** Occurrences of each exact form, from one pass over the token ids. A
** mapped index is read a few MB at a time, each piece let go when counted,
** so the pass does not leave the whole stream in memory.
*/
int lx_corpus_form_counts(const lx_corpus *c, uint64_t *counts) {
  memset(counts, 0, c->ntypes * sizeof *counts);
  uint64_t step = (uint64_t)1 << 20;          /* tokens a piece: 4 MB */
  for (uint64_t t = 0; t < c->ntok; t += step) {
    uint64_t end = c->ntok - t < step ? c->ntok : t + step;
    if (!SOUND(c, S_IDS, c->ids + t, (end - t) * 4)) return -2;
    for (uint64_t k = t; k < end; k++) {
      uint32_t id = c->ids[k];
      if (id >= c->ntypes) return -2;
      counts[id]++;
    }
    lx_corpus_let_go(c, t, end);
  }
  return 0;
}

/* The mapped pages of token ids [from, to) leave memory (lx_file_release:
** they come back from the page cache if read again); a built corpus keeps
** its. */
void lx_corpus_let_go(const lx_corpus *c, uint64_t from, uint64_t to) {
  if (to > c->ntok || from >= to) return;
  lx_file_release(&c->file, c->ids + from, (size_t)(to - from) * sizeof *c->ids);
}

/* The tokens [lo, hi) of the document holding token p. -2 if p is out of range. */
int lx_corpus_doc_span(const lx_corpus *c, uint64_t p, uint64_t *lo, uint64_t *hi) {
  if (p >= c->ntok) return -2;
  const lx_docrec *r = &c->docs[doc_of(c, p)];
  *lo = r->first;
  *hi = r->first + r->ntok;
  return 0;
}

const char *lx_corpus_path(const lx_corpus *c) { return c->path ? c->path : "corpus"; }
