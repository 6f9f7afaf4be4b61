/*
** decompress.c: fuzzes the decompressing reader (src/decompress.c).
**
** Input: one option byte (bits 0-1: the codec when the bytes' magic names
** none; bits 2-7: the read size), then the bytes of a compressed stream.
** The codec is the stream's own by its magic when it has one, so seeds of
** real .gz/.bz2/.xz/.zst files, mutated, reach deep into each decoder.
** Checks: reading ends at an end or in EBADMSG whose words name the codec
** and "compressed byte"; a failure repeats at the next call; no more text
** than the cap is asked for (a bomb stops at it); the thread's reader gives
** the same end as the inline one and the same bytes (at a failure, one
** reader's good bytes a prefix of the other's), and a reader freed
** half-way (its thread mid-stream) leaks nothing; through the input layer,
** a compressed file opens and reads the same text or fails naming itself.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decompress.h"
#include "fuzz.h"
#include "input.h"

#define CAP (4u << 20)       /* text read at most per run: a bomb stops here */

/* Reads d to its end, to a failure or to CAP; the text in *out (malloced). */
static int drain(lx_decomp *d, size_t step, char **out, size_t *len) {
  char *text = malloc(CAP);
  FZ_CHECK(text != NULL, "out of memory");
  size_t n = 0;
  int end;
  for (;;) {
    size_t ask = CAP - n < step ? CAP - n : step;
    if (ask == 0) { end = 2; break; }
    long r = lx_decomp_read(d, text + n, ask);
    if (r < 0) {
      int e = errno;
      const char *why = lx_decomp_why(d);
      FZ_CHECK(e == EBADMSG || e == ENOMEM, "errno %d (%s)", e, strerror(e));
      if (e == EBADMSG) FZ_CHECK(strstr(why, "compressed byte ") != NULL, "why '%s'", why);
      FZ_CHECK(lx_decomp_read(d, text, 1) == -1, "a failure that does not repeat");
      end = 1;
      break;
    }
    if (r == 0) {
      FZ_CHECK(lx_decomp_read(d, text, 1) == 0, "an end that does not repeat");
      end = 0;
      break;
    }
    FZ_CHECK((size_t)r <= ask, "more than asked");
    n += (size_t)r;
  }
  *out = text;
  *len = n;
  return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input fz = { data, size };
  unsigned opt = fz_byte(&fz);
  size_t step = ((opt >> 2) * 977u) % 70000u + 1;
  const char *z = (const char *)fz.p;
  size_t n = fz.n;
  int codec = lx_codec_sniff(z, n);
  if (!codec) codec = (int)(opt & 3) + 1;

  lx_decomp *a = lx_decomp_new(codec, z, n, -1, 0);
  FZ_CHECK(a != NULL, "no inline reader");
  char *ta, *tb;
  size_t la, lb;
  int ea = drain(a, step, &ta, &la);
  char why[256];
  snprintf(why, sizeof why, "%s", lx_decomp_why(a));
  if (ea == 1) FZ_CHECK(strncmp(why, lx_codec_name(codec), strlen(lx_codec_name(codec))) == 0 ||
                        strstr(why, "memory"), "why '%s' for %s", why, lx_codec_name(codec));
  lx_decomp_free(a);

  lx_decomp *b = lx_decomp_new(codec, z, n, -1, 1);
  FZ_CHECK(b != NULL, "no threaded reader");
  int eb = drain(b, step % 4096 + 1, &tb, &lb);
  if (ea != 2 && eb != 2) {
    FZ_CHECK(ea == eb, "inline end %d, threaded %d", ea, eb);
    /* at a failure, how much good text came before it depends on the output
    ** buffer's size (zstd decodes a block straight into a big one and drops
    ** it when a later block of the same call fails): one is a prefix of the other */
    size_t common = la < lb ? la : lb;
    FZ_CHECK(memcmp(ta, tb, common) == 0, "inline and threaded text differ");
    if (ea == 0) FZ_CHECK(la == lb, "inline %zu bytes, threaded %zu", la, lb);
  }
  lx_decomp_free(b);

  /* freed after one read: the thread is stopped wherever it is */
  lx_decomp *c = lx_decomp_new(codec, z, n, -1, 1);
  FZ_CHECK(c != NULL, "no threaded reader");
  char one[64];
  (void)lx_decomp_read(c, one, sizeof one);
  lx_decomp_free(c);

  /* the input layer: a file that sniffs compressed reads as its text */
  if (lx_codec_sniff(z, n) && ea != 2) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/lexis-fuzz-decompress-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (f) {
      FZ_CHECK(fwrite(z, 1, n, f) == n, "file write");
      fclose(f);
      lx_input in;
      char err[1024];
      int code;
      int r = lx_input_open(&in, path, err, sizeof err, &code);
      if (r < 0) FZ_CHECK(strncmp(err, path, strlen(path)) == 0, "an error not naming the file: '%s'", err);
      if (r == 0) {
        FZ_CHECK(!in.regular, "decompressed text called regular");
        char *t = malloc(la + 1);
        FZ_CHECK(t != NULL, "out of memory");
        size_t got = 0;
        long k;
        while (got <= la && (k = lx_input_read(&in, t + got, la + 1 - got)) > 0) got += (size_t)k;
        FZ_CHECK(got <= la && memcmp(t, ta, got) == 0, "the input layer's text differs");
        if (ea == 0) FZ_CHECK(got == la, "%zu bytes of %zu", got, la);
        free(t);
      }
      lx_input_close(&in);
      unlink(path);
    }
  }
  free(ta);
  free(tb);
  return 0;
}
