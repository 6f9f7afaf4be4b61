/*
** corpus_build.c: documents into a builder. A file is streamed in chunks
** through the tokenizer into a lexicon, an id stream and token offsets
** (a big one as two halves on two threads, merged), its sentence starts
** become token positions, and its bytes are hashed; a document of an old
** index can be copied instead, unread (lexis index --update).
** corpus_finish.c makes the index from what is gathered here.
*/
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>

#include "corpus_internal.h"
#include "alloc.h"
#include "markup.h"
#include "office.h"
#include "input.h"


/* ================================================================ documents */

/* An index is built from text or from annotated files, not both. */
int lx_builder_mixed(const char *path, char *err, size_t errlen) {
  snprintf(err, errlen, "%s: an index holds either annotated files (.vrt, .conllu) or plain text, "
           "not both", path);
  errno = EINVAL;
  return -1;
}

lx_builder *lx_builder_new(unsigned opts, char *err, size_t errlen) {
  lx_builder *b = lx_calloc(1, sizeof *b);
  if (!b) { snprintf(err, errlen, "out of memory"); return NULL; }
  lx_tokopts o;
  memset(&o, 0, sizeof o);
  o.kinds = LX_KINDS_ALL & ~LX_KIND_BIT(LX_SPACE);
  o.casing = LX_CASE_FOLD;
  o.norm = LX_NORM_NFC;
  o.split_apostrophes = (opts & LX_CORPUS_SPLIT_APOSTROPHES) != 0;
  o.no_dictionary = (opts & LX_CORPUS_NO_DICTIONARY) != 0;
  b->opts = opts & LX_CORPUS_OPTIONS;
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
  lx_annot_free(b->ann);
  free(b->adir.p); free(b->adata.p); free(b->dmeta.p);
  lx_store_free(b->store);
  free(b);
}

int lx_builder_store_text(lx_builder *b, int level) {
  if (b->store) return 0;
  b->store = lx_store_new(level);
  return b->store ? 0 : -1;
}

uint64_t lx_builder_tokens(const lx_builder *b) { return b->ntok; }
uint64_t lx_builder_bytes(const lx_builder *b) { return b->bytes; }

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

static int add_memory(lx_builder *b, const char *name, const char *text, size_t len, int64_t mtime,
                      char *err, size_t errlen);

int lx_builder_add_text(lx_builder *b, const char *name, const char *text, size_t len,
                        char *err, size_t errlen) {
  if (b->ann) return lx_builder_mixed(name, err, errlen);
  return add_memory(b, name, text, len, 0, err, errlen);
}

/* A document held in memory, its text kept too when the builder keeps it. */
static int add_memory(lx_builder *b, const char *name, const char *text, size_t len, int64_t mtime,
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
  if (b->store && lx_store_put(b->store, text, len)) { snprintf(err, errlen, "out of memory"); return -1; }
  r.size = len;
  r.mtime = mtime;
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

void *lx_hashjob_run(void *arg) {
  lx_hashjob *j = arg;
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
  if (b->ann) return lx_builder_mixed(path, err, errlen);
  lx_input in;
  int code;
  int sn = lx_input_open(&in, path, err, errlen, &code);
  if (sn == 0 && b->store && (!in.regular || in.markup || in.codec || in.rec || in.doc) && strcmp(path, "-") != 0) {
    /* compressed, converted or taken out of markup: the text is kept, so
    ** it is the text's offsets the index records, and it is read whole */
    char *text = NULL;
    size_t len = 0;
    int64_t mtime = in.mtime;
    int rc = lx_input_slurp(&in, &text, &len, err, errlen);
    lx_input_close(&in);
    if (rc) return -1;
    if (b->progress) lx_progress_step(b->progress, len);
    rc = add_memory(b, path, text ? text : "", len, mtime, err, errlen);
    free(text);
    return rc;
  }
  if (sn == 0 && in.doc) {
    snprintf(err, errlen, "%s: a %s document, not indexed: an index shows a hit by reading the file again at the "
             "hit's byte offset, and its text is not its bytes; give --store-text (the index then keeps the text)",
             in.name, lx_office_name(in.doc));
    sn = -1;
  }
  if (sn == 0 && in.markup) {
    snprintf(err, errlen, "%s: %s, not indexed: an index shows a hit by reading the file again at the hit's "
             "byte offset, and the text of %s is not its bytes; save the text first "
             "(lexis sentences %s > %s.txt) and index that", in.name, lx_markup_name(in.markup),
             lx_markup_name(in.markup), in.name, in.name);
    sn = -1;
  }
  if (sn == 0 && in.rec) {
    snprintf(err, errlen, "%s: not UTF-8, converted when read; an index shows a hit by reading the file again at "
             "the hit's byte offset, which converted text does not have: give --store-text (the index then keeps "
             "the text)", in.name);
    sn = -1;
  }
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
    second.b = lx_builder_new(b->opts, e2, sizeof e2);
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
  lx_hashjob hj = { fd, size, 0, 0 };
  pthread_t hth;
  int hashing = rc1 == 0 && pthread_create(&hth, NULL, lx_hashjob_run, &hj) == 0;
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
  else lx_hashjob_run(&hj);
  if (hj.rc) { snprintf(perr, sizeof perr, "out of memory"); goto done; }
  r.hash = hj.hash;
  if (b->store && lx_store_fd(b->store, fd, size)) {
    snprintf(perr, sizeof perr, "%s", errno == ENOMEM ? "out of memory" : errno == ESTALE ?
             "changed while it was read" : strerror(errno));
    goto done;
  }
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
  if (b->ann || c->annotated) return -2;      /* read again: nothing to copy from */
  if (b->sp && old->ntok && !c->nsents) {
    snprintf(err, errlen, "%s: indexed without sentences", name);
    return -2;
  }
  if (b->store && !lx_corpus_stored(c)) {
    snprintf(err, errlen, "%s: indexed without its text", name);
    return -2;
  }
  if (b->opts != c->opts) {            /* its tokens are not the ones b would make */
    snprintf(err, errlen, "%s: indexed with other tokenizer options", name);
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
    uint64_t k0 = first ? lx_corpus_sents_upto(c, first - 1) : 0;
    if (k0 == UINT64_MAX) goto bad;
    for (uint64_t k = k0; k < c->nsents; k++) {
      uint64_t pos = lx_corpus_sent_at(c, k);
      if (pos == UINT64_MAX || pos < first) goto bad;
      if (pos >= end) break;
      pos = pos - first + r.first;
      if (gb_put(&b->sents, &pos, 8)) goto oom;
    }
  }
  if (b->store) {                      /* its text, from the old index's */
    char *buf = lx_malloc(1 << 20);
    if (!buf) goto oom;
    for (uint64_t at = 0; at < old->size;) {
      uint64_t n = old->size - at < (1 << 20) ? old->size - at : (1 << 20);
      int rc = lx_text_read(c, d, at, n, buf);
      if (rc == 0 && lx_store_put(b->store, buf, (size_t)n)) rc = -1;
      if (rc) { free(buf); if (rc == -1) goto oom; goto bad; }
      at += n;
    }
    free(buf);
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
