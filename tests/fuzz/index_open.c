/*
** index_open.c: fuzzes the index opener alone (src/index.c's container
** and src/corpus.c's checks at open), many times faster than index.c,
** which also queries.
**
** Input: an index file (the seeds are a small index of the harness's two
** files and the crafted copies of it that tests/redteam/craft.lua makes:
** each section rewritten, every checksum valid). Checks: nothing crashes or
** reads outside the mapping; the sniff and the opener agree (what opens
** was sniffed as an index; a damaged magic number is never taken for
** text by the opener); every failure says what and names the file;
** verify, once opened, either passes or names what is damaged; the token
** ids and forms a counter reads are in range or reported damaged; the
** document metadata read whole fit in the file; a stored text
** (--store-text) reads each document's first and last bytes or names the
** damage.
*/
#include <string.h>
#include <unistd.h>

#include "corpus.h"
#include "index.h"
#include "fuzz.h"

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  snprintf(path, sizeof path, "/tmp/lexis-fuzz-open-%ld.lexis", (long)getpid());
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int kind = lx_file_sniff(data, size < LX_FILE_HEADMAX ? size : LX_FILE_HEADMAX);
  FZ_CHECK(kind >= -1 && kind <= 1, "sniff gave %d", kind);
  FILE *f = fopen(path, "wb");
  FZ_CHECK(f != NULL, "cannot write %s", path);
  if (size) FZ_CHECK(fwrite(data, 1, size, f) == size, "short write");
  fclose(f);

  char err[512];
  err[0] = '\0';
  lx_corpus *c = lx_corpus_open(path, err, sizeof err);
  if (!c) {
    FZ_CHECK(strstr(err, path) != NULL && strstr(err, "rebuild") != NULL, "open: %s", err);
    if (kind == -1) FZ_CHECK(strstr(err, "magic") != NULL, "a damaged magic number reads as: %s", err);
    unlink(path);
    return 0;
  }
  FZ_CHECK(kind == 1, "an index opened that the sniff calls %d", kind);
  uint64_t ntok = lx_corpus_tokens(c), ntypes = lx_corpus_types(c), nft = lx_corpus_ftypes(c);
  FZ_CHECK(nft <= ntypes, "more folded types than types");
  for (uint64_t p = 0; p < ntok && p < 64; p++) {
    uint32_t id = lx_corpus_id(c, p);
    FZ_CHECK(id == LX_NOID || id < ntypes, "token %llu has id %u of %llu", (unsigned long long)p,
             (unsigned)id, (unsigned long long)ntypes);
    size_t len;
    if (id != LX_NOID) (void)lx_corpus_form(c, id, &len);
    uint32_t fid = id == LX_NOID ? LX_NOID : lx_corpus_fold_of(c, id);
    FZ_CHECK(fid == LX_NOID || fid < nft, "folded id %u of %llu", (unsigned)fid, (unsigned long long)nft);
    if (fid != LX_NOID) {
      uint64_t n = lx_corpus_ffreq(c, fid);
      FZ_CHECK(n == UINT64_MAX || n <= ntok, "a frequency past the tokens");
    }
  }
  uint64_t n;
  int rc = lx_corpus_freq(c, "the", 3, &n);
  FZ_CHECK(rc != 0 || n <= ntok, "freq of 'the' is %llu of %llu tokens", (unsigned long long)n,
           (unsigned long long)ntok);
  for (uint32_t d = 0; d < lx_corpus_ndocs(c) && d < 4; d++) {
    const char *name;
    const lx_docrec *r = lx_corpus_doc(c, d, &name);
    FZ_CHECK(r->first <= ntok && r->ntok <= ntok - r->first, "document %u past the tokens", (unsigned)d);
  }
  /* document metadata: every name and value read whole (a wild offset
  ** faults here), all of them together no larger than the file */
  size_t nf = lx_corpus_nfields(c);
  uint64_t bytes = 0;
  volatile unsigned char sink = 0;
  for (size_t f = 0; f < nf; f++) {
    size_t len;
    const char *s = lx_corpus_field(c, f, &len);
    FZ_CHECK(s != NULL, "field %zu of %zu has no name", f, nf);
    for (size_t i = 0; i < len; i++) sink ^= (unsigned char)s[i];
    bytes += len;
    for (uint32_t d = 0; d < lx_corpus_ndocs(c); d++) {
      s = lx_corpus_docmeta(c, d, f, &len);
      FZ_CHECK(s != NULL, "document %u has no value of field %zu", (unsigned)d, f);
      for (size_t i = 0; i < len; i++) sink ^= (unsigned char)s[i];
      bytes += len;
    }
  }
  FZ_CHECK(bytes <= size, "%llu bytes of metadata in a file of %zu", (unsigned long long)bytes, size);
  /* the stored text: a document's first and last bytes, or damage named */
  for (uint32_t d = 0; lx_corpus_stored(c) && d < lx_corpus_ndocs(c) && d < 4; d++) {
    const char *name;
    const lx_docrec *r = lx_corpus_doc(c, d, &name);
    char buf[64];
    uint64_t n = r->size < sizeof buf ? r->size : sizeof buf;
    for (int end = 0; end < 2; end++) {
      err[0] = '\0';
      if (lx_corpus_text(c, d, end ? r->size - n : 0, n, buf, err, sizeof err) != 0)
        FZ_CHECK(strstr(err, path) != NULL && strstr(err, "damaged") != NULL, "text: %s", err);
    }
  }
  (void)sink;
  err[0] = '\0';
  if (lx_corpus_verify(c, err, sizeof err) != 0)
    FZ_CHECK(strstr(err, path) != NULL && strstr(err, "damaged") != NULL, "verify: %s", err);
  lx_corpus_free(c);
  unlink(path);
  return 0;
}
