/*
** charset.c: the encoding of a head that is clearly not UTF-8 (charset.h):
** uchardet when it can be loaded, else a guess between Latin-1 and
** Windows-1252.
*/
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "recode.h"

#define UCHARDET_SO "libuchardet.so.0"
#define UCHARDET_DEB "libuchardet0"

/* ---------------------------------------------------------------- UTF-8 */

/* The length of the UTF-8 sequence at s[0..n), 0 if it is invalid, -1 if cut by the end. */
static int utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  int len;
  unsigned char lo = 0x80, hi = 0xBF;              /* the second byte's range */
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
  else return 0;
  for (int i = 1; i < len; i++) {
    if ((size_t)i >= n) return -1;
    if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF)) return 0;
  }
  return len;
}

int lx_utf8_judge(const char *h, size_t n, lx_utf8_tally *t) {
  const unsigned char *s = (const unsigned char *)h;
  memset(t, 0, sizeof *t);
  t->n = n;
  for (size_t i = 0; i < n;) {
    if (s[i] < 0x80) { i++; continue; }
    int len = utf8_len(s + i, n - i);
    if (len < 0) break;                             /* cut by the head's end */
    if (len > 0) {
      t->nonascii += (size_t)len;
      i += (size_t)len;
      continue;
    }
    t->nonascii++;
    t->bad++;
    if (s[i] < 0xA0) {
      t->c1++;
      if (s[i] == 0x81 || s[i] == 0x8D || s[i] == 0x8F || s[i] == 0x90 || s[i] == 0x9D) t->undefined++;
    }
    i++;
  }
  return t->bad > 0 && t->bad * 2 >= t->nonascii;
}

/* ---------------------------------------------------------------- uchardet */

/* uchardet's API (uchardet.h), as function pointers. */
struct uchardet;
static struct {
  struct uchardet *(*make)(void);
  void (*destroy)(struct uchardet *);
  int (*handle)(struct uchardet *, const char *data, size_t len);
  void (*end)(struct uchardet *);
  const char *(*charset)(struct uchardet *);
  int loaded;
  char why[256];             /* why it could not be loaded */
} ud;

static pthread_once_t ud_once = PTHREAD_ONCE_INIT;

static void load_uchardet(void) {
  if (getenv("LEXIS_TEST_NO_UCHARDET")) {     /* the specs: a machine without it */
    snprintf(ud.why, sizeof ud.why, "LEXIS_TEST_NO_UCHARDET is set");
    return;
  }
  void *lib = dlopen(UCHARDET_SO, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(ud.why, sizeof ud.why, "%s", dlerror());
    return;
  }
  ud.make = (struct uchardet * (*)(void))dlsym(lib, "uchardet_new");
  ud.destroy = (void (*)(struct uchardet *))dlsym(lib, "uchardet_delete");
  ud.handle = (int (*)(struct uchardet *, const char *, size_t))dlsym(lib, "uchardet_handle_data");
  ud.end = (void (*)(struct uchardet *))dlsym(lib, "uchardet_data_end");
  ud.charset = (const char *(*)(struct uchardet *))dlsym(lib, "uchardet_get_charset");
  if (!ud.make || !ud.destroy || !ud.handle || !ud.end || !ud.charset) {
    snprintf(ud.why, sizeof ud.why, "%s: no uchardet functions in it", UCHARDET_SO);
    dlclose(lib);
    return;
  }
  ud.loaded = 1;
}

/* uchardet's name for h[0..n) in name ("" when it has none), or -1 when
** it is not loaded or could not start (*why says which). */
static int ask_uchardet(const char *h, size_t n, char *name, size_t max, const char **why) {
  pthread_once(&ud_once, load_uchardet);
  *why = ud.why;
  if (!ud.loaded) return -1;
  struct uchardet *u = ud.make();
  if (!u) {
    *why = "uchardet_new failed (out of memory)";
    return -1;
  }
  name[0] = '\0';
  if (ud.handle(u, h, n) == 0) {
    ud.end(u);
    const char *cs = ud.charset(u);
    snprintf(name, max, "%s", cs ? cs : "");
  }
  ud.destroy(u);
  return 0;
}

/* ---------------------------------------------------------------- the verdict */

int lx_charset_detect(const char *h, size_t n, const lx_utf8_tally *t, char *enc, size_t encmax,
                      char *how, size_t howlen) {
  char said[64];
  const char *failed;
  int asked = ask_uchardet(h, n, said, sizeof said, &failed);
  /* UTF-8 and ASCII say nothing here (the head is clearly not UTF-8); nor
  ** does a name iconv does not know or that the head does not fit */
  if (asked == 0 && said[0] && strcasecmp(said, "UTF-8") != 0 && strcasecmp(said, "ASCII") != 0 &&
      lx_recode_fits(said, h, n)) {
    snprintf(enc, encmax, "%s", said);
    snprintf(how, howlen, "detected by uchardet");
    return 1;
  }
  char whynot[320];
  if (asked < 0)
    snprintf(whynot, sizeof whynot, "uchardet (Debian package %s) could not be loaded: %s", UCHARDET_DEB, failed);
  else if (said[0])
    snprintf(whynot, sizeof whynot, "uchardet's answer, %s, does not fit its bytes", said);
  else
    snprintf(whynot, sizeof whynot, "uchardet did not recognise it");
  const char *guess = t->undefined ? NULL : t->c1 ? "WINDOWS-1252" : "ISO-8859-1";
  if (guess && lx_recode_fits(guess, h, n)) {
    snprintf(enc, encmax, "%s", guess);
    snprintf(how, howlen, "a guess: %s", whynot);
    return 1;
  }
  snprintf(how, howlen, "%s, and it is not Latin-1 or Windows-1252", whynot);
  return 0;
}
