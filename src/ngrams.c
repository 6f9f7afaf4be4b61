/*
** ngrams.c: the word reader (text -> sentences -> tokens -> word ids) and
** the n-gram counter.
**
** A token's id comes in two steps: its bytes as they stand are interned in
** a "raw" lexicon (one hash, no copy, no case work), and each raw form is
** mapped once, when first seen, to the id of its text after the case and
** normal-form options. Case mapping through libunistring then costs per
** distinct form, not per token.
**
** Short ASCII words come from the tokenizer's counting kernel as 16-byte
** keys that are already their text, and go to ids through a table of their
** own. N-grams are counted by sorting packed keys while the ids fit in 64/n
** bits, in a hash table beyond (see "n-grams" below).
*/
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "input.h"
#include "ngrams.h"
#include "partial.h"

#define NTOK 1024            /* tokens per lx_tokenize call */
#define NIDS 4096            /* ids handed to the sink at once */
#define NSPANS 256           /* sentences per lx_split call */
#define READ_CHUNK (1u << 20)
#define BUF_MAX (64u << 20)  /* a longer token is cut: memory stays bounded */

/* ================================================================ reader */

struct lx_wreader {
  lx_tokenizer *tok;
  const lx_splitter *sp;   /* NULL: no sentences */
  unsigned keep;           /* kinds of token that are words here */
  /* token bytes as written -> word id, in slots that hold a short token's
  ** bytes themselves (most words: one cache line per lookup), a long
  ** token's offset in rawtext */
  struct rawslot {
    uint64_t w;            /* len <= 8: the bytes, zero-padded; else offset in rawtext */
    uint32_t id1;          /* word id + 1; 0: empty */
    uint32_t lt;           /* len << 8 | the hash's top byte */
  } *rslots;
  size_t nrslots, nraw;
  char *rawtext;
  size_t rtlen, rtcap;
  /* short ASCII tokens as the counting kernel gives them (lx_tok_count_seq:
  ** 16 bytes, case options applied, so the text itself) -> word id */
  int fast;                /* the kernel serves this tokenizer */
  struct keyslot {
    uint64_t w[2];
    uint32_t id1;          /* word id + 1; 0: empty */
    uint32_t len;
  } *kslots;
  size_t nkslots, nkeys;
  lx_shortkey keys[NTOK];
  lx_lex lex;              /* words after case and normal form */
  /* while ranges of one file are read on several threads, every reader
  ** numbers words in the first reader's lexicon, under this lock, so their
  ** counts need no mapping afterwards */
  lx_wreader *lexowner;
  pthread_mutex_t *lexlock;
  uint64_t *freq;          /* per word id */
  size_t fcap;
  uint64_t tokens, bytes, invalid;
  uint32_t docs;
  lx_wsink sink;
  int oom;
  uint32_t ids[NIDS];      /* ids waiting for the sink */
  size_t nids;
  lx_token tk[NTOK];
  uint64_t th[NTOK];       /* their hashes */
  lx_span spans[NSPANS];
  char *buf;               /* file reading */
  size_t cap;
  lx_progress *progress;   /* bytes read go here too; or NULL */
};

static int nosink_words(void *ud, const uint32_t *ids, size_t n) {
  (void)ud, (void)ids, (void)n;
  return 0;
}
static void nosink_end(void *ud) {
  (void)ud;
}

lx_wreader *lx_wreader_new(const lx_tokopts *o, const lx_splitter *sp, char *err, size_t errlen) {
  lx_wreader *r = lx_calloc(1, sizeof *r);
  if (!r) {
    snprintf(err, errlen, "not enough memory");
    return NULL;
  }
  if (!(r->tok = lx_tok_new(o, err, errlen))) {
    free(r);
    return NULL;
  }
  r->sp = sp;
  r->keep = o->kinds ? o->kinds : LX_KINDS_WORDS;
  r->fast = lx_tok_countable(r->tok);
  lx_lex_init(&r->lex);
  r->sink = (lx_wsink){ nosink_words, nosink_end, NULL, NULL };
  return r;
}

void lx_wreader_free(lx_wreader *r) {
  if (!r) return;
  lx_tok_free(r->tok);
  lx_lex_free(&r->lex);
  free(r->rslots);
  free(r->kslots);
  free(r->rawtext);
  free(r->freq);
  free(r->buf);
  free(r);
}

void lx_wreader_sink(lx_wreader *r, const lx_wsink *sink) {
  r->sink = *sink;
}

void lx_wreader_progress(lx_wreader *r, lx_progress *p) {
  r->progress = p;
}

const lx_lex *lx_wreader_lex(const lx_wreader *r) { return &r->lex; }
uint32_t lx_wreader_types(const lx_wreader *r) { return r->lex.n; }
/* fcap, not lex.n: after a failed threaded read the lexicon may hold words
** whose counts were never merged */
uint64_t lx_wreader_freq(const lx_wreader *r, uint32_t id) { return id < r->fcap ? r->freq[id] : 0; }
uint64_t lx_wreader_tokens(const lx_wreader *r) { return r->tokens; }
uint64_t lx_wreader_bytes(const lx_wreader *r) { return r->bytes; }
uint64_t lx_wreader_invalid(const lx_wreader *r) { return r->invalid; }
uint32_t lx_wreader_docs(const lx_wreader *r) { return r->docs; }

/* Grows a zeroed array of `size`-byte items to hold index i. */
static int grow(void **p, size_t *cap, size_t i, size_t size) {
  if (i < *cap) return 0;
  size_t n = *cap ? *cap : 1024;
  while (n <= i) n *= 2;
  char *q = lx_realloc(*p, n * size);
  if (!q) return -1;
  memset(q + *cap * size, 0, (n - *cap) * size);
  *p = q;
  *cap = n;
  return 0;
}

/* The word id of a text already mapped (case, normal form). */
static uint32_t word_id(lx_wreader *r, const char *s, size_t len) {
  uint32_t id;
  if (r->lexlock) {
    pthread_mutex_lock(r->lexlock);
    id = lx_lex_intern(&r->lexowner->lex, s, len);
    pthread_mutex_unlock(r->lexlock);
  } else {
    id = lx_lex_intern(&r->lex, s, len);
  }
  if (id == LX_NOID || grow((void **)&r->freq, &r->fcap, id, sizeof *r->freq)) return LX_NOID;
  return id;
}

/* Byte comparison inline: tokens are short, and a libc call per probe
** costs more than the loop. */
static inline int same_bytes(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* A short token's bytes as one number (zero-padded). */
static inline uint64_t word8(const char *s, size_t len) {
  uint64_t w = 0;
  memcpy(&w, s, len);
  return w;
}

static inline uint32_t len_tag(size_t len, uint64_t h) {
  return (uint32_t)len << 8 | (uint32_t)(h >> 56);
}

static int raw_grow_slots(lx_wreader *r) {
  size_t n = r->nrslots ? r->nrslots * 4 : 1 << 14;
  struct rawslot *sl = lx_zalloc(n, sizeof *sl);
  if (!sl) return -1;
  for (size_t k = 0; k < r->nrslots; k++) {
    const struct rawslot *x = &r->rslots[k];
    if (!x->id1) continue;
    size_t len = x->lt >> 8;
    uint64_t h = len <= 8 ? lx_hash((const char *)&x->w, len) : lx_hash(r->rawtext + x->w, len);
    size_t i = (size_t)h & (n - 1);
    while (sl[i].id1) i = (i + 1) & (n - 1);
    sl[i] = *x;
  }
  free(r->rslots);
  r->rslots = sl;
  r->nrslots = n;
  return 0;
}

/* A new raw form: its bytes, and the id of its text after the options. */
static uint32_t raw_add(lx_wreader *r, size_t slot, uint64_t h, const char *s, size_t len,
                        int kind) {
  size_t tlen;
  const char *text = lx_tok_text(r->tok, s, len, kind, &tlen);
  if (!text) return LX_NOID;
  uint32_t id = word_id(r, text, tlen);
  if (id == LX_NOID) return LX_NOID;
  uint64_t w;
  if (len <= 8) {
    w = word8(s, len);
  } else {
    if (r->rtlen + len > r->rtcap) {
      size_t cap = r->rtcap ? r->rtcap : 1 << 16;
      while (cap < r->rtlen + len) cap *= 2;
      char *t = lx_realloc(r->rawtext, cap);
      if (!t) return LX_NOID;
      r->rawtext = t;
      r->rtcap = cap;
    }
    memcpy(r->rawtext + r->rtlen, s, len);
    w = r->rtlen;
    r->rtlen += len;
  }
  r->rslots[slot] = (struct rawslot){ w, id + 1, len_tag(len, h) };
  r->nraw++;
  if (r->nraw * 2 > r->nrslots && raw_grow_slots(r)) return LX_NOID;
  return id;
}

/* The word id of a token's raw bytes (hash h): mapped once per distinct form. */
static uint32_t token_id_hashed(lx_wreader *r, const char *s, size_t len, int kind, uint64_t h) {
  uint32_t lt = len_tag(len, h);
  size_t mask = r->nrslots - 1, i = (size_t)h & mask;
  if (len <= 8) {
    uint64_t w = word8(s, len);
    for (;; i = (i + 1) & mask) {
      const struct rawslot *x = &r->rslots[i];
      if (!x->id1) return raw_add(r, i, h, s, len, kind);
      if (x->lt == lt && x->w == w) return x->id1 - 1;
    }
  }
  for (;; i = (i + 1) & mask) {
    const struct rawslot *x = &r->rslots[i];
    if (!x->id1) return raw_add(r, i, h, s, len, kind);
    if (x->lt == lt && same_bytes(r->rawtext + x->w, s, len)) return x->id1 - 1;
  }
}

static uint32_t token_id(lx_wreader *r, const char *s, size_t len, int kind) {
  if (!r->nrslots && raw_grow_slots(r)) return LX_NOID;
  return token_id_hashed(r, s, len, kind, lx_hash(s, len));
}

uint32_t lx_wreader_word(lx_wreader *r, const char *w, size_t len) {
  size_t used;
  size_t k = lx_tokenize(r->tok, w, len, 1, r->tk, 2, &used);
  if (k != 1) return LX_NOID;
  return token_id(r, w + r->tk[0].start, r->tk[0].len, r->tk[0].kind);
}

size_t lx_wreader_phrase(lx_wreader *r, const char *s, size_t len, uint32_t *ids, size_t cap) {
  size_t used, n = 0;
  size_t k = lx_tokenize(r->tok, s, len, 1, r->tk, NTOK, &used);
  for (size_t q = 0; q < k; q++) {
    if (r->tk[q].kind == LX_INVALID && !(r->keep & LX_KIND_BIT(LX_INVALID))) continue;
    if (n == cap) return cap + 1;
    uint32_t id = token_id(r, s + r->tk[q].start, r->tk[q].len, r->tk[q].kind);
    if (id == LX_NOID) return 0;
    ids[n++] = id;
  }
  return n;
}

/* Straight to the word lexicon: the caller maps each form once itself, so
** the table of raw forms would only hold a second copy. */
uint32_t lx_wreader_form(lx_wreader *r, const char *s, size_t len, int kind) {
  size_t tlen;
  const char *text = lx_tok_text(r->tok, s, len, kind, &tlen);
  return text ? word_id(r, text, tlen) : LX_NOID;
}

unsigned lx_wreader_kinds(const lx_wreader *r) { return r->keep; }

static int flush(lx_wreader *r) {
  int rc = r->nids ? r->sink.words(r->sink.ud, r->ids, r->nids) : 0;
  r->nids = 0;
  return rc;
}

static inline uint64_t key_hash(const lx_shortkey *k) {
  uint64_t h = k->w[0] * 0x9E3779B97F4A7C15u ^ (k->w[1] + k->len) * 0xC2B2AE3D27D4EB4Fu;
  return h ^ h >> 29;
}

static int key_grow_slots(lx_wreader *r) {
  size_t n = r->nkslots ? r->nkslots * 2 : 1 << 14;
  struct keyslot *sl = lx_zalloc(n, sizeof *sl);
  if (!sl) return -1;
  for (size_t k = 0; k < r->nkslots; k++) {
    const struct keyslot *x = &r->kslots[k];
    if (!x->id1) continue;
    lx_shortkey key = { { x->w[0], x->w[1] }, x->len };
    size_t i = (size_t)key_hash(&key) & (n - 1);
    while (sl[i].id1) i = (i + 1) & (n - 1);
    sl[i] = *x;
  }
  free(r->kslots);
  r->kslots = sl;
  r->nkslots = n;
  return 0;
}

/* The word id of a short key (hash h), interned when first seen. */
static inline uint32_t key_id(lx_wreader *r, const lx_shortkey *k, uint64_t h) {
  size_t mask = r->nkslots - 1, i = (size_t)h & mask;
  for (;; i = (i + 1) & mask) {
    struct keyslot *x = &r->kslots[i];
    if (!x->id1) break;
    if (x->w[0] == k->w[0] && x->w[1] == k->w[1] && x->len == k->len) return x->id1 - 1;
  }
  uint32_t id = word_id(r, (const char *)k->w, (size_t)k->len);
  if (id == LX_NOID) return LX_NOID;
  r->kslots[i] = (struct keyslot){ { k->w[0], k->w[1] }, id + 1, (uint32_t)k->len };
  if (++r->nkeys * 2 > r->nkslots && key_grow_slots(r)) return LX_NOID;
  return id;
}

/*
** tokens() through the counting kernel: most words come as 16-byte keys,
** hashed in a batch with their slots prefetched, then looked up; the rest
** (long, non-ASCII) as tokens, in order, through the raw-form table.
*/
static int tokens_fast(lx_wreader *r, const char *s, size_t n, int final, size_t *used) {
  size_t pos = 0;
  if ((!r->nkslots && key_grow_slots(r)) || (!r->nrslots && raw_grow_slots(r))) return ENOMEM;
  for (;;) {
    size_t u, nk;
    size_t k = lx_tok_count_seq(r->tok, s + pos, n - pos, final, r->keys, NTOK, &nk, r->tk, NTOK, &u);
    for (size_t q = 0; q < nk; q++) {
      r->th[q] = key_hash(&r->keys[q]);
      __builtin_prefetch(&r->kslots[(size_t)r->th[q] & (r->nkslots - 1)]);
    }
    size_t o = 0;
    for (size_t q = 0; q < nk; q++) {
      uint32_t id;
      if (r->keys[q].len) {
        id = key_id(r, &r->keys[q], r->th[q]);
      } else {
        const lx_token *t = &r->tk[o++];
        if (t->kind == LX_INVALID) r->invalid++;
        id = token_id(r, s + pos + t->start, t->len, t->kind);
      }
      if (id == LX_NOID) return ENOMEM;
      r->freq[id]++;
      r->tokens++;
      r->ids[r->nids++] = id;
      if (r->nids == NIDS && flush(r)) return ENOMEM;
    }
    pos += u;
    if ((nk < NTOK && k < NTOK) || u == 0) break;
  }
  *used = pos;
  return 0;
}

/* Tokenizes s[0..n) into ids for the sink; *used = bytes finished with
** (all of them when final). */
static int tokens(lx_wreader *r, const char *s, size_t n, int final, size_t *used) {
  if (r->fast) return tokens_fast(r, s, n, final, used);
  size_t pos = 0;
  for (;;) {
    size_t u;
    size_t k = lx_tokenize(r->tok, s + pos, n - pos, final, r->tk, NTOK, &u);
    /* Hash the batch first and prefetch each token's slot, so the lookups
    ** below find them in cache. */
    if (!r->nrslots && raw_grow_slots(r)) return ENOMEM;
    for (size_t q = 0; q < k; q++) {
      r->th[q] = lx_hash(s + pos + r->tk[q].start, r->tk[q].len);
      __builtin_prefetch(&r->rslots[(size_t)r->th[q] & (r->nrslots - 1)]);
    }
    for (size_t q = 0; q < k; q++) {
      const lx_token *t = &r->tk[q];
      if (t->kind == LX_INVALID) {
        r->invalid++;
        if (!(r->keep & LX_KIND_BIT(LX_INVALID))) continue;
      }
      uint32_t id = token_id_hashed(r, s + pos + t->start, t->len, t->kind, r->th[q]);
      if (id == LX_NOID) return ENOMEM;
      r->freq[id]++;
      r->tokens++;
      r->ids[r->nids++] = id;
      if (r->nids == NIDS && flush(r)) return ENOMEM;
    }
    pos += u;
    if (k < NTOK || u == 0) break;
  }
  *used = pos;
  return 0;
}

static int segment_end(lx_wreader *r) {
  if (flush(r)) return ENOMEM;
  r->sink.end(r->sink.ud);
  return 0;
}

/*
** A piece of a text: without a splitter, tokens (the tail that may go on
** is left for the next piece); with one, the sentences lx_split is sure of,
** each a segment. *used = bytes finished with.
*/
static int piece(lx_wreader *r, lx_split_state *st, const char *s, size_t n, int eof,
                 size_t *used) {
  if (!r->sp) return tokens(r, s, n, eof, used);
  size_t off = 0;
  for (;;) {
    size_t settled;
    size_t k = lx_split(r->sp, st, s + off, n - off, eof, r->spans, NSPANS, &settled);
    for (size_t i = 0; i < k; i++) {
      size_t u;
      const lx_span *sp = &r->spans[i];
      int rc = tokens(r, s + off + sp->start, sp->stop - sp->start, 1, &u);
      if (!rc) rc = segment_end(r);
      if (rc) return rc;
    }
    off += settled;
    if (k == 0 && settled == 0) break;
    if (off >= n) break;
  }
  *used = off;
  return 0;
}

static void begin_doc(lx_wreader *r) {
  if (r->sink.doc) r->sink.doc(r->sink.ud, r->docs);
  r->docs++;
}

static int end_doc(lx_wreader *r) {
  return segment_end(r);   /* without sentences a text is one segment; with them, a no-op */
}

int lx_wreader_buffer(lx_wreader *r, const char *s, size_t n, char *err, size_t errlen) {
  lx_split_state st;
  memset(&st, 0, sizeof st);
  size_t used;
  begin_doc(r);
  r->bytes += n;
  int rc = piece(r, &st, s, n, 1, &used);
  if (!rc) rc = end_doc(r);
  if (rc) snprintf(err, errlen, "%s", strerror(rc));
  return rc;
}

/* Room for the longest sentence the splitter lets through and a chunk. */
static int reserve_buffer(lx_wreader *r) {
  size_t want = 4u * READ_CHUNK;
  if (r->sp && lx_splitter_max_sentence(r->sp) + 2 * READ_CHUNK > want)
    want = lx_splitter_max_sentence(r->sp) + 2 * READ_CHUNK;
  if (r->cap >= want) return 0;
  char *b = lx_realloc(r->buf, want);
  if (!b) return ENOMEM;
  r->buf = b;
  r->cap = want;
  return 0;
}

/*
** Reads bytes [from, to) of fd as one text (to = UINT64_MAX: read() to the
** end, for pipes), a chunk at a time; the unfinished tail of each chunk
** moves to the front of the buffer. 0 or an errno value. With `in`, the
** sequential reads go through the input layer (its sniffed head first).
*/
static int read_range(lx_wreader *r, lx_input *in, int fd, uint64_t from, uint64_t to) {
  int rc = reserve_buffer(r);
  if (rc) return rc;
  lx_split_state st;
  memset(&st, 0, sizeof st);
  begin_doc(r);
  size_t len = 0;
  uint64_t at = from;
  int eof = 0;
  while (!rc && !eof) {
    size_t room = r->cap - len;
    if (room == 0 && r->cap >= BUF_MAX) {
      /* One token (or sentence) as long as the buffer: cut it here, as if
      ** the text ended, so memory stays bounded. */
      size_t used;
      rc = piece(r, &st, r->buf, len, 1, &used);
      if (rc) break;
      memmove(r->buf, r->buf + used, len - used);
      len -= used;
      room = r->cap - len;
      if (room == 0) len = 0, room = r->cap;   /* cannot happen: final consumes all */
    }
    if (room == 0) {          /* a token or sentence longer than the buffer: grow it */
      char *b = lx_realloc(r->buf, r->cap * 2);
      if (!b) { rc = ENOMEM; break; }
      r->buf = b, r->cap *= 2, room = r->cap - len;
    }
    size_t want = room < READ_CHUNK ? room : READ_CHUNK;
    if (to != UINT64_MAX && to - at < want) want = (size_t)(to - at);
    ssize_t got = to == UINT64_MAX ? (in ? lx_input_read(in, r->buf + len, want) : read(fd, r->buf + len, want))
                                   : (want ? pread(fd, r->buf + len, want, (off_t)at) : 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      rc = errno;
      break;
    }
    eof = got == 0;
    at += (uint64_t)got;
    len += (size_t)got;
    r->bytes += (size_t)got;
    size_t used;
    rc = piece(r, &st, r->buf, len, eof, &used);
    if (rc) break;
    memmove(r->buf, r->buf + used, len - used);
    len -= used;
    if (r->progress && lx_progress_step(r->progress, (uint64_t)got)) rc = ECANCELED;
  }
  if (!rc) rc = end_doc(r);
  return rc;
}

/* Opens and sniffs path (input.h). 0, an errno value, or LX_INPUT_SKIPPED
** with the reason in err; the input is closed unless 0. */
static int open_input(lx_input *in, const char *path, char *err, size_t errlen) {
  int code;
  int r = lx_input_open(in, path, err, errlen, &code);
  if (r == 0) return 0;
  lx_input_close(in);
  return r < 0 ? code : LX_INPUT_SKIPPED;
}

static int read_input(lx_wreader *r, lx_input *in, char *err, size_t errlen) {
  int rc = read_range(r, in, in->fd, 0, UINT64_MAX);
  if (rc) snprintf(err, errlen, "%s: %s", in->name, strerror(rc));
  return rc;
}

int lx_wreader_file(lx_wreader *r, const char *path, char *err, size_t errlen) {
  lx_input in;
  int rc = open_input(&in, path, err, errlen);
  if (rc) return rc;
  rc = read_input(r, &in, err, errlen);
  lx_input_close(&in);
  return rc;
}

/* ================================================================ n-grams */

/*
** Two ways to count. While every word id fits in W = 64/n bits, an n-gram
** is one packed 64-bit key (the first word in the high bits, so numeric
** order is the words' order, whatever W) and counting is sorting: keys go
** to a buffer as they come, and a full buffer is radix-sorted, run-length
** counted and merged into one sorted run of distinct n-grams. Every access
** is sequential, so no cache miss waits per n-gram, and the runs of two
** threads merge in a linear pass. When an id outgrows W (long n-grams over a
** large vocabulary), the run moves into the hash table below and counting
** goes on there: a slot probe per n-gram, misses overlapped by prefetching.
*/

/* One distinct n-gram in the sorted run. */
typedef struct pkent {
  uint64_t key;            /* the packed word ids */
  uint64_t cnt;
  uint32_t range;          /* texts that hold it */
  uint32_t last;           /* the last of them */
} pkent;

/* Occurrences buffered before they are sorted into the run: as many as
** the run has entries (each merge rewrites the run, so its cost per key
** stays bounded), within these limits. 16 bytes each (the keys and the
** sort's scratch), 8 more when the buffer holds several texts. */
#define KEYS_MIN (1u << 23)
#define KEYS_MAX (1u << 24)
#define FIRST_HERE 0x80000000u  /* a fresh entry occurs in the buffer's first text */

struct lx_ngrams {
  lx_wreader *r;
  int n;
  uint32_t contains;       /* LX_NOID: every n-gram */
  int at;                  /* -1: anywhere */
  lx_query *filter;        /* or this: listed n-grams hold a word it matches (at `fat`) */
  int fat;                 /* -1: anywhere */
  uint8_t *want;           /* per word id: matches the filter (made by lx_ngrams_sorted) */
  uint32_t hist[LX_NGRAM_MAX];  /* the segment's last n-1 ids */
  int hlen;                /* how many of hist hold ids */
  uint32_t win[NIDS + LX_NGRAM_MAX];  /* hist and a batch of ids */
  uint64_t hh[NIDS];       /* hash of each wanted window */
  uint32_t pos[NIDS];      /* where each wanted window starts in win */
  uint32_t doc;            /* the text being read, for range */
  uint64_t total;
  int oom;
  /* packed counting (while packed): */
  int packed;
  int w;                   /* bits per id in a key */
  uint32_t idlimit;        /* ids below this fit (0: all) */
  uint64_t *bk, *bkt;      /* buffered keys, and the sort's scratch */
  uint32_t *bd, *bdt;      /* their texts, once the buffer holds two */
  size_t bn, bcap;
  uint32_t bdoc;           /* the text of the buffer's first key */
  int bmulti;
  int bsorted;             /* sorted and counted (pk_compress), not merged yet */
  size_t kmin, kmax;       /* bounds of the buffer (KEYS_MIN, KEYS_MAX) */
  pkent *run;              /* distinct n-grams, ascending keys */
  size_t nrun, runcap;
  /* hashed counting (once not packed): entries of `stride` bytes (ngent),
  ** so a probe that finds its key also finds its count */
  unsigned char *ents;
  size_t stride;
  size_t nent, cap;
  uint64_t *slots;         /* hash tag << 32 | entry + 1; 0 empty */
  size_t nslots;
  /* the first and last n-1 ids of the text, to join the counts of two
  ** ranges of one file (lx_ngrams_file) */
  uint32_t head[LX_NGRAM_MAX], tail[LX_NGRAM_MAX];
  int nhead, ntail, head_done;
};

/* One distinct n-gram in the hash table. */
typedef struct ngent {
  uint64_t cnt;
  uint32_t last;           /* last text that counted it, + 1 */
  uint32_t range;          /* texts that hold it */
  uint32_t key[];          /* its n word ids */
} ngent;

static inline ngent *ent(const lx_ngrams *g, size_t e) {
  return (ngent *)(g->ents + e * g->stride);
}

/* ---------------------------------------------------------------- packed keys */

static inline uint64_t pack(const lx_ngrams *g, const uint32_t *ids) {
  uint64_t k = 0;
  for (int i = 0; i < g->n; i++) k = k << g->w | ids[i];
  return k;
}

static inline void unpack(const lx_ngrams *g, uint64_t k, uint32_t *ids) {
  uint64_t mask = g->w == 64 ? ~0ull : (1ull << g->w) - 1;
  for (int i = g->n - 1; i >= 0; i--, k >>= g->w) ids[i] = (uint32_t)(k & mask);
}

/*
** LSD radix sort of k[0..n) by 10-bit digits, carrying p (may be NULL)
** along; stable, so a key's texts stay in reading order. Digits above the
** highest bit in use, and digits that every key shares, take no pass.
** Returns 1 when the sorted data ended in the scratch arrays kt, pt.
*/
#define RADIX_BITS 10   /* 1024 buckets: measured faster than 11 or 8 bits per pass here */
#define RADIX (1u << RADIX_BITS)
static int radix_sort(uint64_t *k, uint64_t *kt, uint32_t *p, uint32_t *pt, size_t n) {
  uint64_t all = 0;
  for (size_t i = 0; i < n; i++) all |= k[i];
  int bits = all ? 64 - __builtin_clzll(all) : 0;
  int passes = (bits + RADIX_BITS - 1) / RADIX_BITS;
  if (passes == 0 || n < 2) return 0;
  size_t (*cnt)[RADIX] = lx_calloc((size_t)passes, sizeof *cnt);
  if (!cnt) return -1;
  for (size_t i = 0; i < n; i++) {
    uint64_t x = k[i];
    for (int q = 0; q < passes; q++, x >>= RADIX_BITS) cnt[q][x & (RADIX - 1)]++;
  }
  int flipped = 0;
  for (int q = 0; q < passes; q++) {
    int shift = q * RADIX_BITS;
    size_t *c = cnt[q];
    if (c[(k[0] >> shift) & (RADIX - 1)] == n) continue;   /* one digit for all */
    size_t sum = 0;
    for (size_t d = 0; d < RADIX; d++) {
      size_t t = c[d];
      c[d] = sum;
      sum += t;
    }
    if (p) {
      for (size_t i = 0; i < n; i++) {
        size_t o = c[(k[i] >> shift) & (RADIX - 1)]++;
        kt[o] = k[i];
        pt[o] = p[i];
      }
      uint32_t *tp = p; p = pt; pt = tp;
    } else {
      for (size_t i = 0; i < n; i++) kt[c[(k[i] >> shift) & (RADIX - 1)]++] = k[i];
    }
    uint64_t *tk = k; k = kt; kt = tk;
    flipped ^= 1;
  }
  free(cnt);
  return flipped;
}

/*
** The big arrays (the key buffer, the run) are mappings of their own, grown
** by mremap, which moves page tables instead of copying bytes: with realloc,
** copying took a tenth of the time. (Huge pages were tried: with the
** kernel's direct compaction they cost more system time than they saved.)
** Sizes in bytes; 0 frees.
*/
static inline size_t page_round(size_t n) {
  return (n + 4095) & ~(size_t)4095;
}

/* ThreadSanitizer does not follow mremap: memory that moves keeps the
** shadow state of whoever had the addresses before, and shows up as races
** that are not. Under it, the big arrays are plain heap memory. */
#if defined(__SANITIZE_THREAD__)
#define BIG_HEAP 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BIG_HEAP 1
#endif
#endif

static void *big_resize(void *p, size_t old, size_t bytes) {
#ifdef BIG_HEAP
  (void)old;
  if (bytes == 0) {
    free(p);
    return NULL;
  }
  return lx_realloc(p, bytes);
#else
  old = page_round(old), bytes = page_round(bytes);
  if (bytes == 0) {
    if (p) munmap(p, old);
    return NULL;
  }
  void *q = p ? mremap(p, old, bytes, MREMAP_MAYMOVE)
              : mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (q == MAP_FAILED) return NULL;
  return q;
#endif
}

static int run_reserve(lx_ngrams *g, size_t more) {
  if (g->nrun + more <= g->runcap) return 0;
  size_t cap = g->runcap ? g->runcap : 1024;
  while (cap < g->nrun + more) cap *= 2;
  pkent *r = big_resize(g->run, g->runcap * sizeof *r, cap * sizeof *r);
  if (!r) return -1;
  g->run = r;
  g->runcap = cap;
  return 0;
}

/*
** Distinct n-grams to merge into the run, in ascending key order: either
** arrays (keys k, counts c, ranges rg marked FIRST_HERE, last texts ls; rg
** NULL: each in one text, `doc`; ls NULL: last text `doc`), or the run of
** another counter whose entries all lie in text `doc`.
*/
typedef struct pksrc {
  const uint64_t *k, *c;
  const uint32_t *rg, *ls;
  const pkent *run;
  uint32_t doc;
} pksrc;

static inline pkent src_get(const pksrc *s, size_t b) {
  if (s->run) {
    pkent e = s->run[b];
    e.range |= FIRST_HERE;
    return e;
  }
  return (pkent){ s->k[b], s->c[b], s->rg ? s->rg[b] : 1u | FIRST_HERE, s->ls ? s->ls[b] : s->doc };
}

static inline uint64_t src_key(const pksrc *s, size_t b) {
  return s->run ? s->run[b].key : s->k[b];
}

/*
** Merges m entries of src into the run, from the back so no second array is
** needed: a first pass counts the keys on both sides, so the run grows by
** exactly the new ones and the merge ends where the untouched head of the
** run begins (no pages touched beyond the result, nothing to move after).
** An n-gram counted in text d0 on both sides (the text in progress where
** one part of the count stopped and the other began) counts that text once
** in its range.
*/
static int run_merge(lx_ngrams *g, const pksrc *src, size_t m, uint32_t d0) {
  size_t both = 0;
  for (size_t i = 0, b = 0; i < g->nrun && b < m;) {
    uint64_t x = g->run[i].key, y = src_key(src, b);
    both += x == y;
    i += x <= y;
    b += y <= x;
  }
  if (run_reserve(g, m - both)) return -1;
  pkent *run = g->run;
  ptrdiff_t i = (ptrdiff_t)g->nrun - 1, b = (ptrdiff_t)m - 1, o = (ptrdiff_t)(g->nrun + m - both) - 1;
  while (b >= 0) {
    pkent x = src_get(src, (size_t)b);
    if (i >= 0 && run[i].key > x.key) {
      run[o--] = run[i--];
      continue;
    }
    uint32_t here = x.range & FIRST_HERE;
    x.range &= ~FIRST_HERE;
    if (i >= 0 && run[i].key == x.key) {
      const pkent *e = &run[i--];
      x.cnt += e->cnt;
      x.range += e->range - (e->last == d0 && here);
    }
    run[o--] = x;
    b--;
  }
  g->nrun += m - both;   /* o == i here: run[0..i] stayed where they were */
  return 0;
}

/*
** Sorts the buffer and counts each key's occurrences and texts, in place:
** distinct keys into bk, counts into bkt, ranges into bdt, last texts into
** bd (each written at or before where it is read). bn becomes the number of
** distinct keys, and the buffer waits, sorted, to be merged.
*/
static int pk_compress(lx_ngrams *g) {
  if (g->bsorted) return 0;
  int fl = radix_sort(g->bk, g->bkt, g->bmulti ? g->bd : NULL, g->bmulti ? g->bdt : NULL, g->bn);
  if (fl < 0) return -1;
  if (fl) {
    uint64_t *t = g->bk; g->bk = g->bkt; g->bkt = t;
    uint32_t *u = g->bd; g->bd = g->bdt; g->bdt = u;
  }
  const uint64_t *k = g->bk;
  uint64_t *ko = g->bk, *co = g->bkt;
  size_t m = 0;
  for (size_t i = 0; i < g->bn;) {
    uint64_t key = k[i];
    size_t j = i;
    if (g->bmulti) {
      uint32_t first = g->bd[i], last = first, range = 1;
      for (; j < g->bn && k[j] == key; j++)
        if (g->bd[j] != last) last = g->bd[j], range++;
      g->bdt[m] = range | (first == g->bdoc ? FIRST_HERE : 0);
      g->bd[m] = last;
    } else {
      while (j < g->bn && k[j] == key) j++;
    }
    ko[m] = key;
    co[m] = j - i;
    m++;
    i = j;
  }
  g->bn = m;
  g->bsorted = 1;
  return 0;
}

/* The sorted buffer as a source for run_merge. */
static pksrc buffer_src(const lx_ngrams *g) {
  return (pksrc){ g->bk, g->bkt, g->bmulti ? g->bdt : NULL, g->bmulti ? g->bd : NULL, NULL, g->bdoc };
}

/* Brings the buffer into the run. */
static int pk_settle(lx_ngrams *g) {
  if (g->bn == 0) return 0;
  if (pk_compress(g)) return -1;
  pksrc src = buffer_src(g);
  int rc = run_merge(g, &src, g->bn, g->bdoc);
  g->bn = 0;
  g->bmulti = g->bsorted = 0;
  return rc;
}

static int pk_push(lx_ngrams *g, uint64_t key) {
  if (g->bsorted && pk_settle(g)) return -1;
  if (g->bn == g->bcap) {
    size_t limit = g->nrun < g->kmin ? g->kmin : g->nrun > g->kmax ? g->kmax : g->nrun;
    if (g->bcap >= limit) {
      if (pk_settle(g)) return -1;
    } else {
      size_t cap = g->bcap ? g->bcap * 2 : 1u << 16;
      if (cap > limit) cap = limit;
      /* each array is either grown or left as it was */
      uint64_t *a = big_resize(g->bk, g->bcap * 8, cap * 8);
      if (!a) return -1;
      g->bk = a;
      uint64_t *b = big_resize(g->bkt, g->bcap * 8, cap * 8);
      if (!b) { g->bk = big_resize(a, cap * 8, g->bcap * 8); return -1; }
      g->bkt = b;
      if (g->bd) {
        uint32_t *c = big_resize(g->bd, g->bcap * 4, cap * 4);
        uint32_t *d = c ? big_resize(g->bdt, g->bcap * 4, cap * 4) : NULL;
        if (!c || !d) {   /* give everything back: the buffer is only full */
          if (c) g->bd = big_resize(c, cap * 4, g->bcap * 4);
          g->bk = big_resize(a, cap * 8, g->bcap * 8);
          g->bkt = big_resize(b, cap * 8, g->bcap * 8);
          return -1;
        }
        g->bd = c, g->bdt = d;
      }
      g->bcap = cap;
    }
  }
  if (g->bn == 0) g->bdoc = g->doc;
  if (g->doc != g->bdoc && !g->bmulti) {
    /* a second text in the buffer: from now on each key keeps its text */
    if (!g->bd) {
      g->bd = big_resize(NULL, 0, g->bcap * 4);
      g->bdt = g->bd ? big_resize(NULL, 0, g->bcap * 4) : NULL;
      if (!g->bd || !g->bdt) {
        g->bd = big_resize(g->bd, g->bcap * 4, 0);
        return -1;
      }
    }
    for (size_t i = 0; i < g->bn; i++) g->bd[i] = g->bdoc;
    g->bmulti = 1;
  }
  if (g->bmulti) g->bd[g->bn] = g->doc;
  g->bk[g->bn++] = key;
  return 0;
}

static void free_packed(lx_ngrams *g) {
  big_resize(g->run, g->runcap * sizeof *g->run, 0);
  big_resize(g->bk, g->bcap * 8, 0), big_resize(g->bkt, g->bcap * 8, 0);
  if (g->bd) big_resize(g->bd, g->bcap * 4, 0), big_resize(g->bdt, g->bcap * 4, 0);
  g->run = NULL, g->nrun = g->runcap = 0;
  g->bk = g->bkt = NULL, g->bd = g->bdt = NULL, g->bcap = g->bn = 0;
}

/* ---------------------------------------------------------------- hashed */

/* Hash of n ids: multiply-xorshift per id, finished by a murmur mix. */
static uint64_t hash_ids(const uint32_t *k, int n) {
  uint64_t h = 0x9E3779B97F4A7C15u * (uint64_t)(n + 1);
  for (int i = 0; i < n; i++) {
    h ^= k[i];
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 31;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDu;
  h ^= h >> 33;
  return h;
}

static int ng_grow_slots(lx_ngrams *g) {
  size_t n = g->nslots ? g->nslots * 4 : 1 << 16;
  uint64_t *s = lx_zalloc(n, sizeof *s);
  if (!s) return -1;
  /* Hashes run RH ahead of their stores, whose slots are prefetched. */
  enum { RH = 16 };
  uint64_t hs[RH];
  for (size_t e = 0; e < g->nent + RH; e++) {
    if (e >= RH) {
      uint64_t h = hs[e % RH];
      size_t i = (size_t)h & (n - 1);
      while (s[i]) i = (i + 1) & (n - 1);
      s[i] = (h & 0xFFFFFFFF00000000u) | (e - RH + 1);
    }
    if (e < g->nent) {
      hs[e % RH] = hash_ids(ent(g, e)->key, g->n);
      __builtin_prefetch(&s[hs[e % RH] & (n - 1)], 1);
    }
  }
  free(g->slots);
  g->slots = s;
  g->nslots = n;
  return 0;
}

static int ng_grow_entries(lx_ngrams *g) {
  size_t cap = g->cap ? g->cap * 2 : 4096;
  unsigned char *e = lx_realloc(g->ents, cap * g->stride);
  if (!e) return -1;
  g->ents = e;
  g->cap = cap;
  return 0;
}

/* The entry of key (hash h), made with count 0 if new (*fresh = 1); NULL
** if out of memory. */
static ngent *ng_find(lx_ngrams *g, const uint32_t *key, uint64_t h, int *fresh) {
  int n = g->n;
  uint64_t tag = h & 0xFFFFFFFF00000000u;
  size_t mask = g->nslots - 1, i = (size_t)h & mask;
  *fresh = 0;
  for (;;) {
    uint64_t v = g->slots[i];
    if (v == 0) break;
    if ((v & 0xFFFFFFFF00000000u) == tag) {
      ngent *x = ent(g, (uint32_t)v - 1);
      int same = 1;
      for (int q = 0; q < n; q++) same &= x->key[q] == key[q];
      if (same) return x;
    }
    i = (i + 1) & mask;
  }
  if (g->nent == g->cap && ng_grow_entries(g)) return NULL;
  if (g->nent >= UINT32_MAX - 1) return NULL;
  size_t e = g->nent++;
  ngent *x = ent(g, e);
  memcpy(x->key, key, (size_t)n * sizeof *key);
  x->cnt = 0;
  x->last = 0;
  x->range = 0;
  g->slots[i] = tag | (e + 1);
  *fresh = 1;
  if (g->nent * 2 > g->nslots) {
    if (ng_grow_slots(g)) return NULL;
    x = ent(g, e);
  }
  return x;
}

/* Counts the n-gram key whose hash is h. */
static int ng_add(lx_ngrams *g, const uint32_t *key, uint64_t h) {
  int fresh;
  ngent *x = ng_find(g, key, h, &fresh);
  if (!x) return -1;
  x->cnt++;
  if (x->last != g->doc + 1) x->last = g->doc + 1, x->range++;
  return 0;
}

/* Leaves packed counting: the run moves into the hash table. */
static int to_hashed(lx_ngrams *g) {
  if (!g->packed) return 0;
  if (pk_settle(g)) return -1;
  if ((!g->slots && ng_grow_slots(g)) || (!g->ents && ng_grow_entries(g))) return -1;
  uint32_t key[LX_NGRAM_MAX];
  for (size_t e = 0; e < g->nrun; e++) {
    const pkent *p = &g->run[e];
    unpack(g, p->key, key);
    int fresh;
    ngent *x = ng_find(g, key, hash_ids(key, g->n), &fresh);
    if (!x) return -1;
    x->cnt = p->cnt, x->range = p->range, x->last = p->last + 1;
  }
  free_packed(g);
  g->packed = 0;
  return 0;
}

/* Counts one n-gram, whichever way g counts. */
static int ng_count(lx_ngrams *g, const uint32_t *key) {
  if (g->packed) {
    int fits = 1;
    for (int q = 0; q < g->n; q++) fits &= !g->idlimit || key[q] < g->idlimit;
    if (fits) {
      g->total++;
      return pk_push(g, pack(g, key));
    }
    if (to_hashed(g)) return -1;
  }
  g->total++;
  return ng_add(g, key, hash_ids(key, g->n));
}

static int ng_wanted(const lx_ngrams *g, const uint32_t *key) {
  if (g->contains == LX_NOID) return 1;
  if (g->at >= 0) return key[g->at] == g->contains;
  for (int i = 0; i < g->n; i++)
    if (key[i] == g->contains) return 1;
  return 0;
}

#define AHEAD 12   /* n-grams between a slot's prefetch and its probe */

/*
** A batch of ids: the segment's last n-1 ids and the batch side by side in
** win. Packed, each wanted window's key goes to the buffer. Hashed, the hash
** of every window comes first, then the probes, each slot prefetched AHEAD
** windows early and the entry it names AHEAD/2 early, so the cache misses of
** a large table overlap instead of queueing.
*/
static int ng_batch(lx_ngrams *g, const uint32_t *ids, size_t count) {
  int n = g->n;
  for (size_t j = 0; !g->head_done && g->nhead < n - 1 && j < count; j++) g->head[g->nhead++] = ids[j];
  size_t w = (size_t)g->hlen;
  memcpy(g->win, g->hist, w * sizeof *g->win);
  memcpy(g->win + w, ids, count * sizeof *ids);
  w += count;
  size_t m = w >= (size_t)n ? w - (size_t)n + 1 : 0;   /* windows */
  if (g->packed && g->idlimit) {
    uint32_t top = 0;
    for (size_t j = 0; j < count; j++) top = ids[j] > top ? ids[j] : top;
    if (top >= g->idlimit && to_hashed(g)) goto oom;
  }
  if (g->packed) {
    for (size_t j = 0; j < m; j++) {
      if (!ng_wanted(g, g->win + j)) continue;
      g->total++;
      if (pk_push(g, pack(g, g->win + j))) goto oom;
    }
  } else {
    size_t q = 0;
    for (size_t j = 0; j < m; j++)
      if (ng_wanted(g, g->win + j)) g->pos[q] = (uint32_t)j, g->hh[q++] = hash_ids(g->win + j, n);
    for (size_t j = 0; j < q; j++) {
      if (j + AHEAD < q) __builtin_prefetch(&g->slots[g->hh[j + AHEAD] & (g->nslots - 1)]);
      if (j + AHEAD / 2 < q) {
        uint64_t v = g->slots[g->hh[j + AHEAD / 2] & (g->nslots - 1)];
        if (v) __builtin_prefetch(ent(g, (uint32_t)v - 1), 1);
      }
      g->total++;
      if (ng_add(g, g->win + g->pos[j], g->hh[j])) goto oom;
    }
  }
  /* Keep the last n-1 ids of the segment for the next batch. */
  size_t keep = w < (size_t)n - 1 ? w : (size_t)n - 1;
  memcpy(g->hist, g->win + w - keep, keep * sizeof *g->hist);
  g->hlen = (int)keep;
  return 0;
oom:
  g->oom = 1;
  return -1;
}

static int ng_words(void *ud, const uint32_t *ids, size_t count) {
  for (size_t done = 0; done < count; done += NIDS) {
    size_t k = count - done < NIDS ? count - done : NIDS;
    if (ng_batch(ud, ids + done, k)) return -1;
  }
  return 0;
}

static void ng_end(void *ud) {
  lx_ngrams *g = ud;
  memcpy(g->tail, g->hist, (size_t)g->hlen * sizeof *g->hist);
  g->ntail = g->hlen;
  g->head_done = 1;
  g->hlen = 0;
}

static void ng_doc(void *ud, uint32_t doc) {
  lx_ngrams *g = ud;
  g->doc = doc;
  g->hlen = 0;
  g->nhead = g->ntail = g->head_done = 0;
}

lx_ngrams *lx_ngrams_new(lx_wreader *r, int n, uint32_t contains, int at) {
  if (n < 2 || n > LX_NGRAM_MAX) return NULL;
  lx_ngrams *g = lx_calloc(1, sizeof *g);
  if (!g) return NULL;
  g->r = r, g->n = n, g->contains = contains, g->at = at < n ? at : -1;
  g->stride = (sizeof(ngent) + (size_t)n * sizeof(uint32_t) + 7) & ~(size_t)7;
  g->packed = 1;
  g->w = 64 / n;
  g->idlimit = g->w >= 32 ? 0 : 1u << g->w;
  g->kmin = KEYS_MIN, g->kmax = KEYS_MAX;
  return g;
}

void lx_ngrams_buffer(lx_ngrams *g, size_t keys) {
  if (keys < 1) keys = 1;
  g->kmin = g->kmax = keys;
}

void lx_ngrams_free(lx_ngrams *g) {
  if (!g) return;
  free_packed(g);
  free(g->ents);
  free(g->slots);
  lx_query_free(g->filter);
  free(g->want);
  free(g);
}

int lx_ngrams_filter(lx_ngrams *g, lx_query *q, int at) {
  if (g->filter || q->n != 1) {
    lx_query_free(q);
    return -1;
  }
  g->filter = q;
  g->fat = at < g->n ? at : -1;
  return 0;
}

/* The filter's verdict on every word id, once the counts are complete. */
static int make_want(lx_ngrams *g) {
  const lx_lex *lex = lx_wreader_lex(g->r);
  free(g->want);
  if (!(g->want = lx_malloc((size_t)lex->n + 1))) return -1;
  for (uint32_t id = 0; id < lex->n; id++) {
    size_t len;
    const char *w = lx_lex_str(lex, id, &len);
    int r = lx_query_word(g->filter, 0, w, len);
    if (r < 0) return -1;
    g->want[id] = (uint8_t)r;
  }
  return 0;
}

/* Is entry e listed (no filter, or it holds a word the filter matches)? */
static int entry_wanted(const lx_ngrams *g, size_t e) {
  if (!g->filter) return 1;
  uint32_t key[LX_NGRAM_MAX];
  lx_ngrams_key(g, e, key);
  if (g->fat >= 0) return g->want[key[g->fat]];
  for (int i = 0; i < g->n; i++)
    if (g->want[key[i]]) return 1;
  return 0;
}

lx_wsink lx_ngrams_sink(lx_ngrams *g) {
  return (lx_wsink){ ng_words, ng_end, ng_doc, g };
}

int lx_ngrams_settle(lx_ngrams *g) {
  if (g->packed && pk_settle(g)) g->oom = 1;
  return g->oom ? -1 : 0;
}

int lx_ngrams_failed(const lx_ngrams *g) { return g->oom; }
size_t lx_ngrams_types(const lx_ngrams *g) { return g->packed ? g->nrun : g->nent; }
uint64_t lx_ngrams_total(const lx_ngrams *g) { return g->total; }
void lx_ngrams_key(const lx_ngrams *g, size_t i, uint32_t *ids) {
  if (g->packed) unpack(g, g->run[i].key, ids);
  else memcpy(ids, ent(g, i)->key, (size_t)g->n * sizeof *ids);
}
uint64_t lx_ngrams_count(const lx_ngrams *g, size_t i) {
  return g->packed ? g->run[i].cnt : ent(g, i)->cnt;
}
uint32_t lx_ngrams_range(const lx_ngrams *g, size_t i) {
  return g->packed ? g->run[i].range : ent(g, i)->range;
}
int lx_ngrams_n(const lx_ngrams *g) { return g->n; }

/* ---------------------------------------------------------------- threads */

/*
** A large file is cut into ranges, each counted by its own reader and
** counter on its own thread; range 0 by g's own. The other counts are then
** merged into g (all readers number words in g's lexicon). Cuts fall after a
** blank line when counting within sentences (a blank line ends a sentence,
** so no sentence spans a cut), else after any newline (UAX #29 breaks after
** LF and looks back across none); then the n-grams that span a cut are
** made from the last n-1 ids before it and the first n-1 after it.
*/
#define PART_MIN (4u << 20)   /* bytes per range, at least */
#define MAXPARTS 16

typedef struct ngpart {
  lx_wreader *r;
  lx_ngrams *g;
  int fd;
  uint64_t from, to;
  int first;               /* the range of g itself */
  int rc;
} ngpart;

/* Reads a range and sorts its counts; merge_part merges them into g, whose
** own range (the first) is settled into its run first, as they follow it. */
static void *part_main(void *arg) {
  ngpart *p = arg;
  p->rc = read_range(p->r, NULL, p->fd, p->from, p->to);
  if (!p->rc && p->g->packed && (p->first ? pk_settle(p->g) : pk_compress(p->g))) p->g->oom = 1;
  if (!p->rc && p->g->oom) p->rc = ENOMEM;
  return NULL;
}

/* The first byte after a "\n\n" (or "\n" if !blank) at or after `at`,
** searched in the next 1 MB; 0 if none. */
static uint64_t cut_after(int fd, uint64_t at, uint64_t size, int blank) {
  enum { WINDOW = 1 << 20 };
  char *buf = lx_malloc(WINDOW);
  if (!buf) return 0;
  uint64_t cut = 0;
  ssize_t got = pread(fd, buf, WINDOW, (off_t)at);
  for (ssize_t i = 0; i + 1 < got && !cut; i++) {
    if (buf[i] != '\n') continue;
    if (!blank) cut = at + (uint64_t)i + 1;
    else if (buf[i + 1] == '\n') cut = at + (uint64_t)i + 2;
  }
  free(buf);
  return cut < size ? cut : 0;
}

/* Adds the counts of another range of the text g is reading (in the same
** word ids) to g. */
static int merge_part(lx_ngrams *g, lx_ngrams *o) {
  if (g->packed && o->packed) {
    /* o's run (if its buffer filled up before), then its sorted buffer: no
    ** need to build o's run first */
    pksrc src = { NULL, NULL, NULL, NULL, o->run, g->doc };
    if (o->nrun && run_merge(g, &src, o->nrun, g->doc)) return -1;
    if (o->bn && pk_compress(o)) return -1;
    src = buffer_src(o);
    if (o->bn && run_merge(g, &src, o->bn, g->doc)) return -1;
    g->total += o->total;
    return 0;
  }
  if (to_hashed(g) || to_hashed(o)) return -1;
  for (size_t e = 0; e < o->nent; e++) {
    const ngent *x = ent(o, e);
    int fresh;
    ngent *y = ng_find(g, x->key, hash_ids(x->key, g->n), &fresh);
    if (!y) return -1;
    y->cnt += x->cnt;
    /* every entry of o lies in text g->doc */
    y->range += x->range - (y->last == g->doc + 1);
    y->last = g->doc + 1;
  }
  g->total += o->total;
  return 0;
}

/* Adds reader o's word frequencies and totals to r's (same word ids). */
static int merge_words(lx_wreader *r, const lx_wreader *o) {
  if (r->lex.n && grow((void **)&r->freq, &r->fcap, r->lex.n - 1, sizeof *r->freq)) return -1;
  for (size_t id = 0; id < o->fcap && id < r->lex.n; id++) r->freq[id] += o->freq[id];
  r->tokens += o->tokens, r->bytes += o->bytes, r->invalid += o->invalid;
  return 0;
}

int lx_ngrams_file(lx_ngrams *g, const char *path, int threads, char *err, size_t errlen) {
  lx_wreader *r = g->r;
  lx_input in;
  int rc0 = open_input(&in, path, err, errlen);
  if (rc0) return rc0;
  int fd = in.fd;
  if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (threads > MAXPARTS) threads = MAXPARTS;
  if (!in.regular || threads < 2 || in.size < 2 * (uint64_t)PART_MIN) {
    rc0 = read_input(r, &in, err, errlen);
    lx_input_close(&in);
    return rc0;
  }
  uint64_t size = in.size;
  int k = (int)(size / PART_MIN) < threads ? (int)(size / PART_MIN) : threads;
  ngpart part[MAXPARTS];
  memset(part, 0, sizeof part);
  int np = 0;
  uint64_t from = 0;
  for (int t = 1; t < k; t++) {
    uint64_t cut = cut_after(fd, size / (uint64_t)k * (uint64_t)t, size, r->sp != NULL);
    if (cut <= from) continue;
    part[np].from = from, part[np].to = cut, np++;
    from = cut;
  }
  part[np].from = from, part[np].to = size, np++;
  if (np < 2) {
    rc0 = read_input(r, &in, err, errlen);   /* the head is still unread */
    lx_input_close(&in);
    return rc0;
  }
  /* The other ranges' readers and counters, numbering words in r's
  ** lexicon (under lock) and texts as r will. */
  int rc = 0;
  const lx_tokopts *o = lx_tok_opts(r->tok);
  /* adaptive: the lexicon is held for a few hundred nanoseconds, so a
  ** waiter spins a little before it sleeps (a futex call costs more) */
  pthread_mutex_t lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
  for (int t = 1; t < np && !rc; t++) {
    char e2[64];
    part[t].r = lx_wreader_new(o, r->sp, e2, sizeof e2);
    if (!part[t].r) { rc = ENOMEM; break; }
    part[t].r->docs = r->docs;
    part[t].r->lexowner = r, part[t].r->lexlock = &lock;
    part[t].r->progress = r->progress;
    part[t].g = lx_ngrams_new(part[t].r, g->n, g->contains, g->at);
    if (!part[t].g) { rc = ENOMEM; break; }
    part[t].g->kmin = g->kmin, part[t].g->kmax = g->kmax;
    lx_wsink sink = lx_ngrams_sink(part[t].g);
    lx_wreader_sink(part[t].r, &sink);
  }
  part[0].r = r, part[0].g = g, part[0].first = 1;
  pthread_t tid[MAXPARTS];
  int started[MAXPARTS] = { 0 };
  for (int t = 0; t < np; t++) part[t].fd = fd;
  r->lexowner = r, r->lexlock = &lock;
  for (int t = 1; t < np && !rc; t++)
    started[t] = pthread_create(&tid[t], NULL, part_main, &part[t]) == 0;
  if (!rc) part_main(&part[0]);
  for (int t = 1; t < np; t++) {
    if (started[t]) pthread_join(tid[t], NULL);
    else if (!rc) part_main(&part[t]);   /* no thread: count it here */
  }
  r->lexowner = NULL, r->lexlock = NULL;
  for (int t = 0; t < np && !rc; t++) rc = part[t].rc;
  /* Merge, then the n-grams across each cut. */
  uint32_t prev[2 * LX_NGRAM_MAX];
  int nprev = g->ntail;
  memcpy(prev, g->tail, (size_t)nprev * sizeof *prev);
  int n = g->n;
  for (int t = 1; t < np && !rc; t++) {
    lx_ngrams *pg = part[t].g;
    if (merge_words(r, part[t].r) || merge_part(g, pg)) { rc = ENOMEM; break; }
    if (!r->sp) {
      /* prev: the last n-1 ids before the cut; then the first n-1 after. */
      uint32_t seq[2 * LX_NGRAM_MAX];
      int m = nprev;
      memcpy(seq, prev, (size_t)nprev * sizeof *seq);
      for (int q = 0; q < pg->nhead; q++) seq[m++] = pg->head[q];
      for (int j = nprev - (n - 1) > 0 ? nprev - (n - 1) : 0; j < nprev && j + n <= m; j++) {
        if (ng_wanted(g, seq + j) && ng_count(g, seq + j)) { rc = ENOMEM; break; }
      }
      /* A range shorter than n-1 words would make these wrong: refuse below. */
      if (pg->nhead < n - 1 || part[t].r->tokens < (uint64_t)n) rc = -1;
      nprev = pg->ntail;
      memcpy(prev, pg->tail, (size_t)nprev * sizeof *prev);
    }
  }
  for (int t = 1; t < np; t++) {
    lx_ngrams_free(part[t].g);
    lx_wreader_free(part[t].r);
  }
  lx_input_close(&in);
  if (rc == -1) rc = EINVAL;   /* cannot happen with PART_MIN ranges of text; say so if it does */
  if (rc) snprintf(err, errlen, "%s: %s", path, rc == EINVAL ? "a range too short to count in parallel" : strerror(rc));
  return rc;
}

/* ---------------------------------------------------------------- sorting */

typedef struct sortctx {
  const lx_ngrams *g;
  const uint32_t *rank;    /* word id -> place in byte order */
} sortctx;

static int cmp_entries(const void *a, const void *b, void *ctx) {
  const sortctx *c = ctx;
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  uint64_t ci = lx_ngrams_count(c->g, i), cj = lx_ngrams_count(c->g, j);
  if (ci != cj) return ci > cj ? -1 : 1;
  /* Words never hold a space, and a space sorts below every other byte
  ** of a word: comparing word by word gives the joined strings' order. */
  uint32_t ki[LX_NGRAM_MAX], kj[LX_NGRAM_MAX];
  lx_ngrams_key(c->g, i, ki);
  lx_ngrams_key(c->g, j, kj);
  for (int k = 0; k < c->g->n; k++) {
    if (ki[k] != kj[k]) return c->rank[ki[k]] < c->rank[kj[k]] ? -1 : 1;
  }
  return 0;
}

/*
** With a limit, the entries are cut before sorting: a histogram of counts
** finds the smallest count that the top `limit` need, and only entries at
** or above it are sorted.
*/
size_t *lx_ngrams_sorted(lx_ngrams *g, uint64_t min, size_t limit, size_t *n) {
  *n = 0;
  if (lx_ngrams_settle(g)) {
    *n = LX_OOM;
    return NULL;
  }
  size_t types = lx_ngrams_types(g);
  if (min < 1) min = 1;
  uint64_t floor = min;
  if (g->filter && make_want(g)) {
    *n = LX_OOM;
    return NULL;
  }
  if (limit) {
    enum { NB = 4096 };
    size_t *hist = lx_calloc(NB, sizeof *hist);
    if (!hist) {
      *n = LX_OOM;
      return NULL;
    }
    for (size_t e = 0; e < types; e++) {
      uint64_t c = lx_ngrams_count(g, e);
      if (entry_wanted(g, e)) hist[c >= NB ? NB - 1 : c]++;
    }
    size_t seen = 0;
    for (size_t b = NB - 1; b >= 1; b--) {
      seen += hist[b];
      if (seen >= limit) {
        if (b > floor) floor = b;
        break;
      }
    }
    free(hist);
  }
  size_t m = 0;
  for (size_t e = 0; e < types; e++) m += lx_ngrams_count(g, e) >= floor && entry_wanted(g, e);
  if (m == 0) return NULL;
  size_t *idx = lx_malloc(m * sizeof *idx);
  uint32_t *ids = lx_malloc(m * (size_t)g->n * sizeof *ids), *rank = NULL;
  if (idx && ids) {
    m = 0;
    for (size_t e = 0; e < types; e++)
      if (lx_ngrams_count(g, e) >= floor && entry_wanted(g, e)) lx_ngrams_key(g, e, ids + m * (size_t)g->n), idx[m++] = e;
    /* only the words of these entries need ranks */
    rank = lx_lex_ranks_of(lx_wreader_lex(g->r), ids, m * (size_t)g->n);
  }
  free(ids);
  if (!idx || !rank) {
    free(idx);
    free(rank);
    *n = LX_OOM;
    return NULL;
  }
  sortctx ctx = { g, rank };
  qsort_r(idx, m, sizeof *idx, cmp_entries, &ctx);
  free(rank);
  if (limit && m > limit) m = limit;
  *n = m;
  return idx;
}

/* ---------------------------------------------------------------- output */

/* Writes n-gram e (its words, a space between) to f, for partial counts. */
static void put_ngram(FILE *f, const lx_ngrams *g, size_t e) {
  const lx_lex *lex = lx_wreader_lex(g->r);
  uint32_t k[LX_NGRAM_MAX];
  lx_ngrams_key(g, e, k);
  for (int i = 0; i < g->n; i++) {
    size_t len;
    const char *s = lx_lex_str(lex, k[i], &len);
    if (i) putc(' ', f);
    fwrite(s, 1, len, f);
  }
}

/* The sorted entries as a list source for lx_list_write (partial.h). */
typedef struct ngsorted {
  const lx_ngrams *g;
  const size_t *idx;
} ngsorted;

static size_t ns_item(void *ctx, size_t i, char *buf, size_t cap) {
  const ngsorted *s = ctx;
  const lx_lex *lex = lx_wreader_lex(s->g->r);
  uint32_t k[LX_NGRAM_MAX];
  lx_ngrams_key(s->g, s->idx[i], k);
  size_t at = 0;
  for (int j = 0; j < s->g->n; j++) {
    size_t len;
    const char *w = lx_lex_str(lex, k[j], &len);
    if (j) {
      if (at < cap) buf[at] = ' ';
      at++;
    }
    if (at < cap) memcpy(buf + at, w, at + len <= cap ? len : cap - at);
    at += len;
  }
  return at;
}

static uint64_t ns_count(void *ctx, size_t i) {
  const ngsorted *s = ctx;
  return lx_ngrams_count(s->g, s->idx[i]);
}

static uint64_t ns_range(void *ctx, size_t i) {
  const ngsorted *s = ctx;
  return lx_ngrams_range(s->g, s->idx[i]);
}

int lx_ngrams_write(lx_ngrams *g, FILE *f, int format, uint64_t min, size_t limit,
                    int header) {
  size_t n;
  size_t *idx;
  if (format == LX_NG_PARTIAL) {   /* every entry, unsorted: merging sorts */
    char kind[32];
    snprintf(kind, sizeof kind, "ngrams-%d", g->n);
    if (lx_ngrams_settle(g)) return ENOMEM;
    lx_partial_header(f, kind, lx_wreader_tokens(g->r), lx_wreader_docs(g->r));
    for (size_t e = 0; e < lx_ngrams_types(g); e++) {
      if ((e & 0xFFFF) == 0 && lx_interrupted()) return ECANCELED;   /* Ctrl-C: progress.h */
      fprintf(f, "%llu\t%lu\t", (unsigned long long)lx_ngrams_count(g, e),
              (unsigned long)lx_ngrams_range(g, e));
      put_ngram(f, g, e);
      putc('\n', f);
    }
    return ferror(f) ? (errno ? errno : EIO) : 0;   /* ENOSPC says more than EIO */
  }
  idx = lx_ngrams_sorted(g, min, limit, &n);
  if (n == LX_OOM) return ENOMEM;
  ngsorted ns = { g, idx };
  lx_listsrc src = { n, "ngram", (double)lx_wreader_tokens(g->r), &ns, ns_item, ns_count, ns_range };
  int rc = lx_list_write(f, &src, format, header);
  free(idx);
  return rc;
}
