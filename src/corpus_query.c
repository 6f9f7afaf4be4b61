/*
** corpus_query.c: answering from an index. A query is resolved against the
** lexicon (the text is never touched), its rarest pattern's postings give
** the candidates and the id stream checks the rest; the concordance then
** asks here for each hit's sort keys, byte ranges and sentence, and for
** its document's text. Raw access serves counters that walk the index
** themselves (collocates.c). Every read of a mapped index is checked.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "alloc.h"
#include "input.h"
#include "mapguard.h"

/* ================================================================ words */

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

/* The index hashes folded forms only. A form is looked for among the
** exact forms of its folded type (one pass over S_FOLD, 4 bytes a type),
** then, if a tokenizer option folded it otherwise, among all exact forms
** (one pass over their offsets): either is far cheaper than a hash of
** every form, which the view made before. */
uint32_t lx_corpus_find_form(const lx_corpus *c, const char *s, size_t len) {
  const uint32_t NOMEM = UINT32_MAX - 2;
  size_t fl;
  char *f = lx_fold(s, len, &fl);
  if (!f) return NOMEM;
  uint32_t fid = find_folded(c, f, fl);
  free(f);
  if (fid == DAMAGED) return DAMAGED;
  if (c->ntypes == 0) return LX_NOID;
  if (!SOUND(c, S_LEXOFF, c->lexoff, (c->ntypes + 1) * 8)) return DAMAGED;
  if (fid != LX_NOID) {
    if (!SOUND(c, S_FOLD, c->fold, c->ntypes * 4)) return DAMAGED;
    for (uint64_t id = 0; id < c->ntypes; id++) {
      if (c->fold[id] != fid || c->lexoff[id + 1] - c->lexoff[id] != len) continue;
      size_t xl;
      const char *x = xstr(c, id, &xl);
      if (!x) return DAMAGED;
      if (xl == len && memcmp(x, s, len) == 0) return (uint32_t)id;
    }
  }
  for (uint64_t id = 0; id < c->ntypes; id++) {
    if (c->lexoff[id + 1] - c->lexoff[id] != len) continue;   /* (wrapped: xstr refuses it) */
    size_t xl;
    const char *x = xstr(c, id, &xl);
    if (!x) return DAMAGED;
    if (memcmp(x, s, len) == 0) return (uint32_t)id;
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

/* ================================================================ hits */

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
** token_bytes for an annotated index, whose documents are shown as their
** words joined by one space: from the block's checkpoint, each token is
** one past the previous one's end, its length its form's.
*/
static int word_bytes(const lx_corpus *c, uint64_t first, uint64_t from, uint64_t to,
                      const uint64_t *want, size_t nwant, uint64_t *start, uint64_t *end) {
  uint64_t b = from >> BSHIFT, cur = 0, prev_end = 0;
  hold(c, &c->ids[b << BSHIFT]);
  for (uint64_t t = b << BSHIFT; t <= to; t++) {
    if (!SOUND(c, S_IDS, &c->ids[t], 4) || c->ids[t] >= c->ntypes) return -1;
    size_t len;
    if (!xstr(c, c->ids[t], &len)) return -1;
    if (t == b << BSHIFT && t != first) cur = c->blocks[b * 2];
    else if (t == first) cur = 0;
    else cur = prev_end + 1;
    prev_end = cur + len;
    if (!want && t >= from) { start[t - from] = cur; end[t - from] = prev_end; }
    for (size_t i = 0; want && i < nwant; i++)
      if (want[i] == t) { start[i] = cur; end[i] = prev_end; }
  }
  return 0;
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
  if (c->annotated) return word_bytes(c, first, from, to, want, nwant, start, end);
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

/* Sentence i's first token, or UINT64_MAX if the section is damaged. */
uint64_t lx_corpus_sent_at(const lx_corpus *c, uint64_t i) {
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
uint64_t lx_corpus_sents_upto(const lx_corpus *c, uint64_t p) {
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

/* The concordance's hook: sort keys and byte ranges of a hit, on demand. */
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
    uint64_t upto = lx_corpus_sents_upto(c, h->cpos), before = lo ? lx_corpus_sents_upto(c, lo - 1) : 0;
    if (upto == UINT64_MAX || before == UINT64_MAX) return -1;
    h->sent = upto > before ? upto - before : 1;
    h->have |= LX_HAVE_SNUM;
    if (want & LX_HAVE_SENT) {
      uint64_t first = lo, next = hi;
      if (upto > before) {
        first = lx_corpus_sent_at(c, upto - 1);
        if (upto < c->nsents) next = lx_corpus_sent_at(c, upto);
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
** The text of an annotated document: its words joined by one space (as
** cqp shows them), made when a hit in it is first shown; the concordance
** frees it (doc->own).
*/
static int words_text(const lx_corpus *c, const lx_docrec *r, lx_cdoc *doc, char *err, size_t errlen) {
  uint64_t size = 0;
  for (uint64_t t = r->first; t < r->first + r->ntok; t++) {
    size_t len;
    if (!SOUND(c, S_IDS, &c->ids[t], 4) || c->ids[t] >= c->ntypes || !xstr(c, c->ids[t], &len))
      return lx_corpus_damage(c, err, errlen), -1;
    size += len + (t > r->first);
  }
  char *text = lx_malloc(size + 1);
  if (!text) { snprintf(err, errlen, "out of memory"); return -1; }
  uint64_t at = 0;
  for (uint64_t t = r->first; t < r->first + r->ntok; t++) {
    size_t len = 0;
    const char *w = xstr(c, c->ids[t], &len);   /* (checked above) */
    if (!w) { free(text); return lx_corpus_damage(c, err, errlen), -1; }
    if (t > r->first) text[at++] = ' ';
    memcpy(text + at, w, len);
    at += len;
  }
  text[at] = '\0';
  doc->text = text;
  doc->own = text;
  doc->len = (size_t)size;
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
  if (c->annotated) return words_text(c, r, doc, err, errlen);
  if (lx_corpus_stored(c)) return lx_text_open(c, d, doc, err, errlen);
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
  if (c->annotated) return 0;          /* the text is made from the index itself */
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

int lx_corpus_text(const lx_corpus *c, uint32_t d, uint64_t at, uint64_t n, char *out,
                   char *err, size_t errlen) {
  if (d >= c->ndocs || at > c->docs[d].size || n > c->docs[d].size - at) {
    snprintf(err, errlen, "%s: bytes %llu to %llu are not in document %u", lx_corpus_path(c),
             (unsigned long long)at + 1, (unsigned long long)(at + n), (unsigned)d + 1);
    return -1;
  }
  if (lx_corpus_stored(c)) {
    int rc = lx_text_read(c, d, at, n, out);
    if (rc == -1) snprintf(err, errlen, "out of memory");
    else if (rc) lx_corpus_damage(c, err, errlen);
    return rc ? -1 : 0;
  }
  lx_cdoc doc;
  memset(&doc, 0, sizeof doc);
  if (corpus_text((void *)c, d, &doc, err, errlen)) return -1;
  memcpy(out, doc.text + at, (size_t)n);
  lx_guard_remove(doc.guard);
  if (doc.map) munmap(doc.map, doc.maplen);
  free(doc.own);
  return 0;
}

static int corpus_damage(const void *ctx, char *err, size_t errlen) {
  return lx_corpus_damage(ctx, err, errlen);
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

void lx_corpus_source(lx_corpus *c, lx_conc_source *src) {
  *src = (lx_conc_source){ .ctx = c, .fill = corpus_fill, .text = corpus_text,
                           .agrees = corpus_agrees, .damage = corpus_damage, .ranked = 1 };
  if (lx_corpus_stored(c)) {          /* the text is the index's own, checked by its checksums */
    src->agrees = NULL;
    src->need = lx_text_need;
  }
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
  lx_corpus_source(c, &conc->src);
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
  /* a sort with a limit keeps the best hits as it goes (lx_conc_keep_best):
  ** room for a batch, not for every hit (11 MB of them for "is" in 23 M
  ** words, as long to clear as the rest of the query) */
  enum { PICK_BATCH = 40000 };
  if (!conc->count_only &&
      lx_conc_reserve(conc, conc->n + lx_conc_pick_room(conc, PICK_BATCH,
                                                        (size_t)(stop_after && stop_after < n ? stop_after : n))))
    goto done;
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
    if (lx_conc_pick(conc, PICK_BATCH)) { why = conc->err[0] ? conc->err : "out of memory"; goto done; }
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

const uint32_t *lx_corpus_id_run(const lx_corpus *c, uint64_t from, uint64_t to) {
  if (from > to || to > c->ntok || !SOUND(c, S_IDS, c->ids + from, (to - from) * 4)) return NULL;
  return c->ids + from;
}

const char *lx_corpus_form(const lx_corpus *c, uint32_t id, size_t *len) {
  return id < c->ntypes ? xstr(c, id, len) : NULL;
}

const char *lx_corpus_folded(const lx_corpus *c, uint32_t f, size_t *len) {
  return f < c->nftypes ? fstr(c, f, len) : NULL;
}

uint32_t lx_corpus_frank(const lx_corpus *c, uint32_t f) {
  if (f >= c->nftypes || !SOUND(c, S_FRANK, &c->frank[f], 4) || c->frank[f] >= c->nftypes) return LX_NOID;
  return c->frank[f];
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
