/*
** corpus_finish.c: a builder into an index. What corpus_build.c gathered
** (lexicons, ids, token offsets, sentence starts) gives the tables a query
** reads: offset checkpoints, postings, the word hash, sort ranks, encoded
** sentence starts. They are made into a corpus in memory, or written to an
** index file section by section as they are made, so the build holds less.
*/
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus_internal.h"
#include "alloc.h"
#include "errors.h"
#include "progress.h"

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

/* The sections as the builder holds them, made or not. */
static void builder_sections(lx_builder *b, lx_section *sec) {
  uint64_t *m = b->meta;
  m[0] = b->ntok; m[1] = b->docs.n / sizeof(lx_docrec); m[2] = b->lex.n; m[3] = b->flex.n;
  m[4] = b->nslots; m[5] = BSHIFT; m[6] = b->opts; m[7] = b->ann != NULL;
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
    [S_ATTRS] = { b->adir.p, b->adir.n },
    [S_ADATA] = { b->adata.p, b->adata.n },
    [S_DMETA] = { b->dmeta.p, b->dmeta.n },
    [S_TEXT] = b->tsec,
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
  if (b->store) {                       /* the text's last block, its table */
    if (lx_store_end(b->store, &b->tsec)) return -1;
  }
  if (w) {                              /* (empty when the text is not kept) */
    lx_writer_put(w, S_TEXT, b->tsec.data, b->tsec.size);
    lx_store_free(b->store);
    b->store = NULL;
    memset(&b->tsec, 0, sizeof b->tsec);
  }
  pthread_t th;
  int threaded = pthread_create(&th, NULL, lexicon_tables, b) == 0;
  /* Ctrl-C (progress.h) is seen between the phases, each a second or so
  ** on a few hundred MB; the caller says "interrupted" then. */
  int rc = make_sents(b);
  free(b->sents.p);                     /* raw starts: encoded now, and no more come */
  memset(&b->sents, 0, sizeof b->sents);
  if (rc == 0 && lx_interrupted()) rc = -1;
  if (rc == 0 && !b->ann) rc = make_blocks(b);   /* annotated input: no offsets, */
  if (rc == 0 && b->ann) rc = lx_annot_tables(b); /* but other attributes */
  if (rc == 0 && w) {                   /* (the lexicon's fields are the thread's now) */
    lx_writer_put(w, S_SENTS, b->senc.p, b->senc.n);
    lx_writer_put(w, S_BLOCKS, b->blocks.p, b->blocks.n);
    lx_writer_put(w, S_TOKOFF, b->tokoff.p, b->tokoff.n);
    lx_writer_put(w, S_DOCS, b->docs.p, b->docs.n);
    lx_writer_put(w, S_NAMES, b->names.p, b->names.n);
    lx_writer_put(w, S_DMETA, b->dmeta.p, b->dmeta.n);
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
  /* then the other attributes, each written and freed in turn, once the
  ** words' ids and postings are gone from memory */
  if (lx_annot_make(b, w) || lx_interrupted()) return -1;
  return 0;
}

lx_corpus *lx_builder_finish(lx_builder *b, char *err, size_t errlen) {
  lx_corpus *c = lx_calloc(1, sizeof *c);
  if (!c) goto oom;
  if (make_all(b, NULL)) goto oom;
  builder_sections(b, c->sec);
  c->b = b;
  c->serial = lx_corpus_next_serial();
  if (lx_corpus_bind(c, err, errlen)) { c->b = NULL; free(c); lx_builder_free(b); return NULL; }
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

int lx_corpus_save(const lx_corpus *c, const char *path, char *err, size_t errlen) {
  return lx_file_write(path, c->sec, NSEC, err, errlen);
}
