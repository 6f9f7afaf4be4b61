/*
** markup.c: fuzzes the HTML and XML reader (src/markup.c over libxml2).
**
** Input: one option byte (bit 0: XML, else HTML; bit 1: the bytes are
** UTF-8 for sure; the rest: the read size), then a document. Checks: the
** text read has no NUL bytes (invalid UTF-8 passes, as in a plain file:
** the readers' policy for it applies), starts with no white space,
** has no more than one blank line in a row and ends with a newline; an
** HTML page never fails (broken pages are normal); an XML document ends
** at its end or in EBADMSG saying "malformed XML at line N", and the
** failure repeats; reading in small pieces gives the same text as in one
** go. The input layer's sniff and lx_markup_sniff agree.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "input.h"
#include "markup.h"

#define CAP (1u << 22)           /* text read at most (entity expansion is libxml2's to limit) */

/* The whole text through m in reads of `step` bytes; *len its length, *e the errno of a failure or 0. */
static char *read_all(lx_markup *m, size_t step, size_t *len, int *e) {
  char *out = malloc(CAP);
  FZ_CHECK(out != NULL, "malloc");
  size_t n = 0;
  *e = 0;
  while (n < CAP) {
    size_t want = step < CAP - n ? step : CAP - n;
    long r = lx_markup_read(m, out + n, want);
    if (r < 0) {
      *e = errno;
      long again = lx_markup_read(m, out + n, want);
      FZ_CHECK(again < 0 && errno == *e, "a failure that does not repeat");
      break;
    }
    if (r == 0) break;
    FZ_CHECK((size_t)r <= want, "%ld bytes for %zu asked", r, want);
    n += (size_t)r;
  }
  *len = n;
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input fz = { data, size };
  unsigned opt = fz_byte(&fz);
  int kind = opt & 1 ? LX_MARKUP_XML : LX_MARKUP_HTML;
  int utf8 = (opt >> 1) & 1;
  size_t step = (opt >> 2) + 1;
  const char *doc = (const char *)fz.p;
  size_t n = fz.n;

  char msg[1024];
  int mk = lx_markup_sniff(doc, n);
  int k = lx_sniff(doc, n, "doc", msg, sizeof msg);
  if (k == LX_SNIFF_HTML) FZ_CHECK(mk == LX_MARKUP_HTML, "sniff %d, markup %d", k, mk);
  if (k == LX_SNIFF_XML) FZ_CHECK(mk == LX_MARKUP_XML, "sniff %d, markup %d", k, mk);
  if (k == LX_SNIFF_TEXT) FZ_CHECK(mk == LX_MARKUP_NONE, "sniff %d, markup %d", k, mk);

  lx_markup *whole = lx_markup_new(kind, utf8, doc, n, -1, NULL, NULL);
  if (!whole) {
    FZ_CHECK(lx_markup_missing() != NULL, "no reader, and libxml2 is there");
    return 0;
  }
  size_t len, len2;
  int e, e2;
  char *text = read_all(whole, CAP, &len, &e);
  lx_markup_free(whole);

  if (e) {
    FZ_CHECK(kind == LX_MARKUP_XML, "an HTML page failed: errno %d", e);
    FZ_CHECK(e == EBADMSG || e == ENOMEM, "errno %d", e);
  }
  FZ_CHECK(memchr(text, 0, len) == NULL, "a NUL byte in the text");
  int pre = 0;                          /* pre keeps its own white space */
  for (size_t i = 0; i + 4 <= n && !pre; i++) pre = kind == LX_MARKUP_HTML && strncasecmp(doc + i, "<pre", 4) == 0;
  if (len && !e) FZ_CHECK(text[len - 1] == '\n', "the text does not end its line");
  if (len && !pre) {
    FZ_CHECK(text[0] != ' ' && text[0] != '\n', "the text starts with white space");
    FZ_CHECK(memmem(text, len, "\n\n\n", 3) == NULL, "two blank lines in a row");
  }

  lx_markup *pieces = lx_markup_new(kind, utf8, doc, n, -1, NULL, NULL);
  FZ_CHECK(pieces != NULL, "a second reader failed");
  char *text2 = read_all(pieces, step, &len2, &e2);
  if (e2 == EBADMSG) FZ_CHECK(strncmp(lx_markup_why(pieces), "malformed XML at line ", 22) == 0,
                              "why '%s'", lx_markup_why(pieces));
  lx_markup_free(pieces);
  FZ_CHECK(e == e2, "errno %d read whole, %d in pieces of %zu", e, e2, step);
  FZ_CHECK(len == len2 && memcmp(text, text2, len) == 0, "%zu bytes whole, %zu in pieces of %zu", len, len2, step);
  free(text);
  free(text2);
  return 0;
}
