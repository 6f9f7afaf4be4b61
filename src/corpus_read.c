/*
** corpus_read.c: opening an index. A file is mapped and its sections
** checked as far as they can be without reading the big ones (the small
** ones whole, every size and count against the others); damage met later
** is named here; verify reads every block; a document is stale when its
** file changed since it was indexed.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "alloc.h"

static const char *const secnames[NSEC] = {
  "meta", "documents", "names", "lexicon offsets", "lexicon", "case folding",
  "folded lexicon offsets", "folded lexicon", "sort ranks", "word hash",
  "posting offsets", "frequencies", "postings", "token ids", "offset blocks", "token offsets",
  "exact ranks", "sentences", "attribute directory", "attributes", "document metadata",
  "stored text"
};

int lx_corpus_damage(const lx_corpus *c, char *err, size_t errlen) {
  uint32_t sec;
  uint64_t at;
  const char *path = c->path ? c->path : "corpus";
  if (lx_file_damage(&c->file, &sec, &at) && sec < NSEC)
    return snprintf(err, errlen, "%s: damaged (%s, the block at byte %llu of the section fails its "
                    "checksum); rebuild it with 'lexis index'", path, secnames[sec], (unsigned long long)at);
  return snprintf(err, errlen, "%s: damaged; rebuild it with 'lexis index'", path);
}

uint64_t lx_corpus_next_serial(void) {
  static uint64_t n;
  return __atomic_add_fetch(&n, 1, __ATOMIC_RELAXED);
}

int lx_corpus_bind(lx_corpus *c, char *err, size_t errlen) {
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
    /* (an option this version does not know would tokenize queries and
    ** refreshes otherwise than the index was: refused) */
    if (m[5] != BSHIFT || c->ntypes > UINT32_MAX - 1 || c->nftypes > c->ntypes ||
        c->ndocs > UINT32_MAX - 1 || c->nslots != slots || c->ntok > s[S_IDS].size / 4 ||
        (m[6] & ~(uint64_t)LX_CORPUS_OPTIONS) || m[7] > 1)
      why = "meta";
    else {
      /* an annotated index has no token offsets (nor sentences: its s
      ** regions are an attribute); a plain one no attributes */
      c->annotated = m[7] == 1;
      c->nblocks = (c->ntok + BSIZE - 1) >> BSHIFT;
      c->opts = (unsigned)m[6];
      if (c->annotated ? s[S_TOKOFF].size || s[S_SENTS].size
                       : s[S_ATTRS].size || s[S_ADATA].size)
        why = "meta";
    }
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
  if (!why && lx_meta_bind(c)) why = secnames[S_DMETA];
  if (!why && lx_text_bind(c)) {
    if (errno == ENOMEM) { snprintf(err, errlen, "out of memory"); return -1; }
    why = secnames[S_TEXT];
  }
  if (!why && c->annotated && lx_attrs_bind(c, &why) && !why) {
    snprintf(err, errlen, "out of memory");
    return -1;
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

lx_corpus *lx_corpus_open(const char *path, char *err, size_t errlen) {
  lx_corpus *c = lx_calloc(1, sizeof *c);
  if (!c || !(c->path = lx_strdup(path))) { free(c); snprintf(err, errlen, "out of memory"); return NULL; }
  c->serial = lx_corpus_next_serial();
  if (lx_file_open(&c->file, path, err, errlen)) goto fail;
  /* version 4 came before document metadata, 5 before the stored text:
  ** their files lack those sections and read as an index without them */
  uint32_t want = c->file.version == 4 ? NSEC_V4 : c->file.version == 5 ? NSEC_V5 : NSEC;
  if (c->file.nsec != want) {
    snprintf(err, errlen, "%s: damaged (%u sections, not %u); rebuild it with 'lexis index'",
             path, (unsigned)c->file.nsec, (unsigned)want);
    goto fail;
  }
  memcpy(c->sec, c->file.sec, want * sizeof *c->sec);
  /* The small sections are checked now; the big ones are bounds-checked as
  ** they are used and checked whole by lx_corpus_verify. */
  static const int now[] = { S_META, S_DOCS, S_NAMES, S_ATTRS, S_DMETA };
  for (size_t i = 0; i < sizeof now / sizeof *now; i++)
    if (!SOUND(c, now[i], c->sec[now[i]].data, c->sec[now[i]].size)) {
      lx_corpus_damage(c, err, errlen);
      goto fail;
    }
  if (lx_corpus_bind(c, err, errlen)) goto fail;
  return c;
fail:
  lx_corpus_free(c);
  return NULL;
}

void lx_corpus_free(lx_corpus *c) {
  if (!c) return;
  lx_attrs_free(c);
  lx_text_free(c);
  lx_file_close(&c->file);
  lx_builder_free(c->b);
  free(c->path);
  free(c);
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
unsigned lx_corpus_options(const lx_corpus *c) { return c->opts; }
int lx_corpus_stored(const lx_corpus *c) { return c->sec[S_TEXT].size != 0; }

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
  lx_hashjob j = { fd, r->size, 0, 0 };
  lx_hashjob_run(&j);
  close(fd);
  return j.rc != 0 || j.hash != r->hash;
}
