/*
** zip.c: fuzzes the zip reader (src/zip.c) and the document reader over it
** (src/office.c: DOCX, ODT, EPUB through src/markup.c).
**
** Input: one option byte (the read size), then a zip archive (seeds: a
** DOCX, an ODT and an EPUB, small). Checks: the directory's members lie
** inside the archive; each member extracted is its declared size or fails
** with words, never past the cap (LEXIS_TEST_ZIP_MAX, set to 64 KiB here,
** so a bomb stops early); a document's text has no NUL byte, has at most
** one blank line in a row and the same bytes read in small pieces as in
** one go; a failure says why and repeats.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "office.h"
#include "zip.h"

#define CAP (1u << 22)           /* text read at most */

static char *read_all(lx_office *o, size_t step, size_t *len, int *e) {
  char *out = malloc(CAP);
  FZ_CHECK(out != NULL, "malloc");
  size_t n = 0;
  *e = 0;
  while (n < CAP) {
    size_t want = step < CAP - n ? step : CAP - n;
    long r = lx_office_read(o, out + n, want);
    if (r < 0) {
      *e = errno;
      FZ_CHECK(lx_office_why(o)[0] != '\0', "a failure without words");
      FZ_CHECK(lx_office_read(o, out + n, want) < 0 && errno == *e, "a failure that does not repeat");
      break;
    }
    if (r == 0) break;
    FZ_CHECK((size_t)r <= want, "%ld bytes for %zu asked", r, want);
    n += (size_t)r;
  }
  *len = n;
  return out;
}

/* A reader of a copy of the archive (the reader owns and frees it), or NULL. */
static lx_office *open_copy(const char *doc, size_t n) {
  char *copy = malloc(n ? n : 1);
  FZ_CHECK(copy != NULL, "malloc");
  memcpy(copy, doc, n);
  int code = 0;
  char why[600] = "";
  lx_office *o = lx_office_new(LX_OFFICE_ZIP, copy, n, &code, why, sizeof why);
  if (!o) FZ_CHECK(code != 0 && why[0], "no reader, and no reason (code %d)", code);
  return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int once;
  if (!once) {
    setenv("LEXIS_TEST_ZIP_MAX", "65536", 1);
    once = 1;
  }
  fz_input fz = { data, size };
  size_t step = fz_byte(&fz) + 1;
  const char *doc = (const char *)fz.p;
  size_t n = fz.n;

  lx_zip z;
  char why[400];
  if (lx_zip_open(&z, doc, n, why, sizeof why) == 0) {
    for (size_t i = 0; i < z.count; i++) {
      const lx_zip_member *m = &z.m[i];
      FZ_CHECK(m->name >= doc && m->name + m->nlen <= doc + n, "member %zu's name outside the archive", i);
      FZ_CHECK(lx_zip_find(&z, m->name, m->nlen) != NULL, "member %zu not found by its name", i);
      char *out;
      size_t len;
      why[0] = '\0';
      int rc = lx_zip_extract(&z, m, &out, &len, why, sizeof why);
      if (rc == 0) {
        FZ_CHECK(len == m->usize && len <= lx_zip_member_max(), "%zu bytes for %llu declared", len,
                 (unsigned long long)m->usize);
        FZ_CHECK(out[len] == '\0', "not terminated");
        free(out);
      } else {
        FZ_CHECK(out == NULL && why[0], "a failure (%d) without words or with bytes", rc);
      }
    }
    lx_zip_close(&z);
  } else {
    FZ_CHECK(why[0], "a refused archive without words");
  }

  lx_office *whole = open_copy(doc, n);
  if (!whole) return 0;
  size_t len, len2;
  int e, e2;
  char *text = read_all(whole, CAP, &len, &e);
  lx_office_free(whole);
  FZ_CHECK(memchr(text, 0, len) == NULL, "a NUL byte in the text");
  FZ_CHECK(memmem(text, len, "\n\n\n", 3) == NULL, "two blank lines in a row");

  lx_office *pieces = open_copy(doc, n);
  FZ_CHECK(pieces != NULL, "a second reader failed");
  char *text2 = read_all(pieces, step, &len2, &e2);
  lx_office_free(pieces);
  FZ_CHECK(e == e2, "errno %d read whole, %d in pieces of %zu", e, e2, step);
  FZ_CHECK(len == len2 && memcmp(text, text2, len) == 0, "%zu bytes whole, %zu in pieces of %zu", len, len2, step);
  free(text);
  free(text2);
  return 0;
}
