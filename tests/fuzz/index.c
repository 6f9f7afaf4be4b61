/*
** index.c: fuzzes the index loader (src/index.c, src/corpus.c).
**
** Input: one mode byte, then an index file (the seeds are small indexes
** that `lexis index` made of two files, which the harness re-creates
** under /tmp/lexis-fuzz-index/ with the same bytes and times, so hits can
** be shown). With mode bit 0 the harness repairs the header's size and
** checksum after the mutation, so damage inside the section table gets
** past the header check. The file is opened as `lexis kwic QUERY INDEX`
** opens it (header checks only, sections unverified), queried, sorted and
** laid out; then every section is verified. Checks: nothing crashes or
** reads outside the mapping; every failure has a message, and one from
** opening says to rebuild the index.
*/
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "corpus.h"
#include "fuzz.h"

static char path[64];
static FILE *devnull;

static void put_file(const char *name, const char *text) {
  FILE *f = fopen(name, "wb");
  if (!f || fputs(text, f) == EOF || fclose(f) != 0) abort();
  struct timespec t[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
  utimensat(AT_FDCWD, name, t, 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  mkdir("/tmp/lexis-fuzz-index", 0755);
  put_file("/tmp/lexis-fuzz-index/cats.txt",
           "The cat sat on the mat. A Cat is not a dog, said the CAT.\n"
           "Catalogue, scat. The cat came back; the dog did not.\n");
  put_file("/tmp/lexis-fuzz-index/more.txt",
           "Mr. Smith went to Washington. He saw the cat there.\n"
           "Caf\xc3\xa9 na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac the end.\n");
  snprintf(path, sizeof path, "/tmp/lexis-fuzz-index/%ld.lexis", (long)getpid());
  devnull = fopen("/dev/null", "w");
  if (!devnull) abort();
  return 0;
}

/* The header layout of src/index.c: magic, u32 version, u32 nsec, u64
** size, u64 offset of the block checksums, nsec x 24 bytes of section
** table, u64 XXH3 of all that. (The block checksums are not repaired: a
** damaged block must be found when it is read.) */
#define HDR_FIXED 32
static void repair_header(uint8_t *p, size_t n) {
  if (n < HDR_FIXED + 8) return;
  uint32_t nsec;
  memcpy(&nsec, p + 12, 4);
  if (nsec > 64 || HDR_FIXED + (size_t)nsec * 24 + 8 > n) return;
  uint64_t size = n;
  memcpy(p + 16, &size, 8);
  uint64_t sum = XXH3_64bits(p, HDR_FIXED + (size_t)nsec * 24);
  memcpy(p + HDR_FIXED + (size_t)nsec * 24, &sum, 8);
}

static void query(lx_corpus *c, const char *qs, int flags, unsigned mode) {
  char err[512];
  lx_query *q = lx_query_parse(qs, strlen(qs), flags, err, sizeof err);
  FZ_CHECK(q != NULL, "%s", err);
  lx_conc *k = lx_conc_new(mode & 7, (mode >> 3) & 7);
  FZ_CHECK(k != NULL, "no concordance");
  err[0] = '\0';
  if (lx_corpus_query(c, q, k, 0, err, sizeof err) != 0) {
    FZ_CHECK(err[0] != '\0', "a failed query says nothing");
  } else {
    int keys[3] = { LX_K_R1, LX_K_NODE, LX_K_L2 }, desc[3] = { 0, 1, 0 };
    if (lx_conc_sort(k, keys, desc, 1 + mode % 3, 0) != 0) {
      FZ_CHECK(k->err[0] != '\0', "a failed sort says nothing");
    } else {
      lx_kwic_opts o;
      memset(&o, 0, sizeof o);
      o.format = (int)((mode >> 1) % 5);
      o.chars = (mode >> 6) & 1;
      o.lwidth = o.rwidth = 30;
      if (lx_conc_write(k, devnull, &o) != 0) FZ_CHECK(k->err[0] != '\0', "a failed write says nothing");
    }
  }
  lx_conc_free(k);
  lx_query_free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned mode = data[0];
  size_t n = size - 1;
  uint8_t *buf = malloc(n ? n : 1);
  memcpy(buf, data + 1, n);
  if (mode & 1) repair_header(buf, n);
  FILE *f = fopen(path, "wb");
  FZ_CHECK(f != NULL, "cannot write %s", path);
  if (n) FZ_CHECK(fwrite(buf, 1, n, f) == n, "short write");
  fclose(f);
  free(buf);

  char err[512];
  err[0] = '\0';
  lx_corpus *c = lx_corpus_open(path, err, sizeof err);
  if (!c) {
    FZ_CHECK(strstr(err, "rebuild") != NULL || strstr(err, path) != NULL, "open: %s", err);
    unlink(path);
    return 0;
  }
  uint32_t nd = lx_corpus_ndocs(c);
  for (uint32_t d = 0; d < nd && d < 4; d++) {
    const char *name;
    const lx_docrec *r = lx_corpus_doc(c, d, &name);
    FZ_CHECK(r != NULL && name != NULL, "document %u", (unsigned)d);
    (void)lx_corpus_stale(c, d, 1);
  }
  (void)lx_corpus_tokens(c);
  (void)lx_corpus_types(c);
  (void)lx_corpus_ftypes(c);
  uint64_t freq;
  (void)lx_corpus_freq(c, "the", 3, &freq);
  (void)lx_corpus_freq(c, "caf\xc3\xa9", 5, &freq);
  query(c, "cat", 0, mode >> 1);
  query(c, "the c*", 0, mode >> 2);
  query(c, "/d.g/ ?i?", 0, mode >> 3);
  query(c, "The", LX_Q_CASE, mode);
  err[0] = '\0';
  if (lx_corpus_verify(c, err, sizeof err) != 0) FZ_CHECK(err[0] != '\0', "a failed verify says nothing");
  lx_corpus_free(c);
  unlink(path);
  return 0;
}
