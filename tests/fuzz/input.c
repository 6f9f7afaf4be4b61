/*
** input.c: fuzzes the input layer's sniff and its one-descriptor reader
** (src/input.c).
**
** Input: one byte of read sizes, then the bytes of a document. Checks: the
** verdict follows the policy's order (an index, compressed data, UTF-16/32,
** then a NUL in the first 8 KB), every verdict but text says
** why and names the input; a document read through lx_input_read in chunks
** of odd sizes (the sniffed head first, then the descriptor) is the bytes
** written, none lost or repeated, from a pipe as from a file. (A compressed
** document's text is checked by decompress.c, an HTML or XML one's by
** markup.c; they and converted text (UTF-16/32, an encoding detected in a
** head clearly not UTF-8) must open or fail naming themselves, and never
** count as a regular file.)
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "input.h"

/* Reads the whole input through in, `step` bytes at most per call, and
** compares it with want[0..n). */
static void read_back(lx_input *in, const uint8_t *want, size_t n, size_t step) {
  char buf[1024];
  size_t got = 0;
  for (;;) {
    long r = lx_input_read(in, buf, step);
    FZ_CHECK(r >= 0, "read failed: %s", strerror(errno));
    if (r == 0) break;
    FZ_CHECK(got + (size_t)r <= n, "more bytes than written");
    FZ_CHECK(memcmp(buf, want + got, (size_t)r) == 0, "bytes differ at %zu", got);
    got += (size_t)r;
  }
  FZ_CHECK(got == n, "%zu bytes of %zu", got, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input fz = { data, size };
  size_t step = fz_byte(&fz) % 97 + 1;
  const uint8_t *doc = fz.p;
  size_t n = fz.n;

  char msg[1024];
  int k = lx_sniff((const char *)doc, n, "doc", msg, sizeof msg);
  FZ_CHECK(k >= LX_SNIFF_TEXT && k <= LX_SNIFF_DOCUMENT, "verdict %d", k);
  if (k != LX_SNIFF_TEXT) FZ_CHECK(strncmp(msg, "doc: ", 5) == 0 && strlen(msg) > 5, "message '%s'", msg);
  int nul = memchr(doc, 0, n < LX_SNIFF_BYTES ? n : LX_SNIFF_BYTES) != NULL;
  if (k == LX_SNIFF_TEXT) FZ_CHECK(!nul, "a NUL in the head, read as text");
  if (k == LX_SNIFF_BINARY) FZ_CHECK(nul, "binary without a NUL");
  if (k == LX_SNIFF_INDEX) FZ_CHECK(n >= 8 && memcmp(doc, "LEXISIDX", 8) == 0, "an index without magic");

  /* the same bytes from a file and from a pipe, through one descriptor */
  for (int pipe_ = 0; pipe_ < 2; pipe_++) {
    int fds[2];
    char path[64];
    if (pipe_) {
      if (n > 60000 || pipe(fds) != 0) continue;   /* what fits in a pipe's buffer */
      FZ_CHECK(write(fds[1], doc, n) == (ssize_t)n, "pipe write");
      close(fds[1]);
      snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    } else {
      snprintf(path, sizeof path, "/tmp/lexis-fuzz-input-%d", (int)getpid());
      FILE *f = fopen(path, "wb");
      if (!f) continue;
      FZ_CHECK(fwrite(doc, 1, n, f) == n, "file write");
      fclose(f);
    }
    lx_input in;
    char err[1024];
    int code;
    int r = lx_input_open(&in, path, err, sizeof err, &code);
    int layered = k == LX_SNIFF_COMPRESSED || k == LX_SNIFF_ENCODED || k == LX_SNIFF_HTML || k == LX_SNIFF_XML ||
                  k == LX_SNIFF_DOCUMENT;
    int foreign = k == LX_SNIFF_DOCUMENT && r == 1;   /* a zip of another kind: skipped, no reader */
    if (layered) {
      if (r < 0 || foreign) FZ_CHECK(strncmp(err, path, strlen(path)) == 0, "an error not naming the file: '%s'", err);
      if (r >= 0 && !foreign)
        FZ_CHECK(!in.regular && (in.dec != NULL || in.rec != NULL || in.mk != NULL || in.doc != NULL),
                 "regular %d", in.regular);
    } else {
      int want = k == LX_SNIFF_TEXT ? 0 : k == LX_SNIFF_REFUSED || k == LX_SNIFF_BADINDEX ? -1 : 1;
      FZ_CHECK(r == want, "open %d for verdict %d", r, k);
      FZ_CHECK(in.regular == !pipe_, "regular %d", in.regular);
    }
    if (r == 0 && !layered && k != LX_SNIFF_DOCUMENT) read_back(&in, doc, n, step);
    lx_input_close(&in);
    lx_input_close(&in);                 /* idempotent */
    if (pipe_) close(fds[0]);
    else unlink(path);
  }
  return 0;
}
