/*
** wordreader.c: text -> sentences -> tokens -> word ids. See wordreader.h.
**
** A token's id comes in two steps: its bytes as they stand are interned in
** a "raw" lexicon (one hash, no copy, no case work), and each raw form is
** mapped once, when first seen, to the id of its text after the case and
** normal-form options. Case mapping through libunistring then costs per
** distinct form, not per token.
**
** Short ASCII words come from the tokenizer's counting kernel as 16-byte
** keys that are already their text, and go to ids through a table of their
** own.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "chunks.h"
#include "wordreader_int.h"

#define READ_CHUNK (1u << 20)
#define BUF_MAX (64u << 20)  /* a longer token is cut: memory stays bounded */

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
int lx_wreader_casing(const lx_wreader *r) { return lx_tok_opts(r->tok)->casing; }
int lx_wreader_reserve(lx_wreader *r, uint32_t n) {
  if (r->lexlock) return 0;            /* a shared lexicon grows under its lock */
  return r->lex.n + (uint64_t)n >= UINT32_MAX ? -1 : lx_lex_reserve(&r->lex, r->lex.n + n);
}
void lx_wreader_prefetch(const lx_wreader *r, const char *s, size_t len) {
  if (!r->lexlock) lx_lex_prefetch(&r->lex, s, len);
}
/* fcap, not lex.n: after a failed threaded read the lexicon may hold words
** whose counts were never merged */
uint64_t lx_wreader_freq(const lx_wreader *r, uint32_t id) { return id < r->fcap ? r->freq[id] : 0; }
uint64_t lx_wreader_tokens(const lx_wreader *r) { return r->tokens; }
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

int lx_wreader_stem_query(lx_wreader *r, lx_query *q) {
  if (!lx_tok_opts(r->tok)->stem) return 0;
  for (size_t i = 0; i < q->n; i++) {
    lx_pat *p = &q->pos[i];
    if (p->kind != LX_PAT_LITERAL) continue;
    size_t tlen;
    const char *text = lx_tok_text(r->tok, p->text, p->len, LX_WORD, &tlen);
    char *copy = text ? lx_malloc(tlen + 1) : NULL;
    if (!copy) return -1;
    memcpy(copy, text, tlen);
    copy[tlen] = '\0';
    free(p->text);
    p->text = copy;
    p->len = tlen;
  }
  return 0;
}

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
  /* the key is its text after the case options; the stem option is
  ** still to apply (lx_tok_text gives the key back without it) */
  size_t tlen;
  const char *text = lx_tok_text(r->tok, (const char *)k->w, (size_t)k->len, LX_WORD, &tlen);
  uint32_t id = text ? word_id(r, text, tlen) : LX_NOID;
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

#define EDGE_WINDOW (64u << 10)   /* bytes the first sentence's start is judged on */

static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/*
** The edges of a text (wordreader.h) as its bytes go by: s[0..n) is the
** text not yet split (state st), from its first byte on the first call;
** eof: the rest of it. A text of white space only has no sentence: it
** passes a sentence on unless it holds a newline (then, after a cut at a
** line end, a blank line ends the sentence).
*/
static int watch_edges(lx_wreader *r, const lx_split_state *st, const char *s, size_t n, int eof) {
  lx_wedges *e = &r->edge;
  if (!r->begun && n > 0) {
    r->begun = 1;
    e->glued_start = !is_space(s[0]);
    if (r->sp) {
      /* as if the window were all: the decision at its start looks a
      ** token ahead, and a window that settles nothing would say nothing */
      int o = lx_split_open_start(r->sp, s, n < EDGE_WINDOW ? n : EDGE_WINDOW);
      if (o < 0) return ENOMEM;
      e->open_start = o;
    }
  }
  for (size_t i = 0; !r->ink && i < n; i++) {
    if (!is_space(s[i])) r->ink = 1;
    else if (s[i] == '\n') r->nl = 1;
  }
  if (n > 0) e->glued_end = !is_space(s[n - 1]);
  if (eof && r->sp) {
    int o = r->ink ? lx_split_open_end(r->sp, st, s, n) : !r->nl;
    if (o < 0) return ENOMEM;
    e->open_end = o;
    if (!r->ink) e->open_start = o;
  }
  return 0;
}

void lx_wreader_edges(lx_wreader *r, int on) { r->edges = on; }
lx_wedges lx_wreader_edge(const lx_wreader *r) { return r->edge; }

/*
** A piece of a text: without a splitter, tokens (the tail that may go on
** is left for the next piece); with one, the sentences lx_split is sure of,
** each a segment. *used = bytes finished with.
*/
static int piece(lx_wreader *r, lx_split_state *st, const char *s, size_t n, int eof,
                 size_t *used) {
  if (r->edges) {
    int rc = watch_edges(r, st, s, n, eof);
    if (rc) return rc;
  }
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
  r->begun = r->ink = r->nl = 0;
  r->edge = (lx_wedges){ 1, 1, 0, 0 };
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

/* A text being read: the chunk reader's hand-over is piece(). */
typedef struct wtext {
  lx_wreader *r;
  lx_split_state st;
} wtext;

static int take(void *ud, const char *s, size_t n, int final, size_t *used) {
  wtext *t = ud;
  return piece(t->r, &t->st, s, n, final, used);
}

/*
** Reads bytes [from, to) of fd as one text (to = UINT64_MAX: read() to the
** end, for pipes), a chunk at a time (chunks.h). 0 or an errno value. With
** `in`, the sequential reads go through the input layer (its sniffed head
** first).
*/
int lx_wreader_range(lx_wreader *r, lx_input *in, int fd, uint64_t from, uint64_t to) {
  int rc = reserve_buffer(r);
  if (rc) return rc;
  wtext t;
  memset(&t, 0, sizeof t);
  t.r = r;
  begin_doc(r);
  lx_chunks c = { .in = in, .fd = fd, .from = from, .to = to, .chunk = READ_CHUNK, .max = BUF_MAX,
                  .progress = r->progress, .take = take, .ud = &t, .buf = r->buf, .cap = r->cap };
  rc = lx_chunks_read(&c);
  r->buf = c.buf, r->cap = c.cap;
  r->bytes += c.bytes;
  if (!rc) rc = end_doc(r);
  return rc;
}

/* Opens and sniffs path (input.h). 0, an errno value, or LX_INPUT_SKIPPED
** with the reason in err; the input is closed unless 0. */
int lx_wreader_open(lx_input *in, const char *path, char *err, size_t errlen) {
  int code;
  int r = lx_input_open(in, path, err, errlen, &code);
  if (r == 0) return 0;
  lx_input_close(in);
  return r < 0 ? code : LX_INPUT_SKIPPED;
}

int lx_wreader_input(lx_wreader *r, lx_input *in, char *err, size_t errlen) {
  int rc = lx_wreader_range(r, in, in->fd, 0, UINT64_MAX);
  if (rc) snprintf(err, errlen, "%s: %s", in->name, lx_input_strerror(in, rc));
  return rc;
}

int lx_wreader_file(lx_wreader *r, const char *path, char *err, size_t errlen) {
  lx_input in;
  int rc = lx_wreader_open(&in, path, err, errlen);
  if (rc) return rc;
  rc = lx_wreader_input(r, &in, err, errlen);
  lx_input_close(&in);
  return rc;
}

/* Adds reader o's word frequencies and totals to r's (same word ids). */
int lx_wreader_merge(lx_wreader *r, const lx_wreader *o) {
  if (r->lex.n && grow((void **)&r->freq, &r->fcap, r->lex.n - 1, sizeof *r->freq)) return -1;
  for (size_t id = 0; id < o->fcap && id < r->lex.n; id++) r->freq[id] += o->freq[id];
  r->tokens += o->tokens, r->bytes += o->bytes, r->invalid += o->invalid;
  return 0;
}
