/*
** dictseg.c: ICU's dictionary word breaks, loaded on first use (dictseg.h).
**
** ICU is reached through dlopen rather than linked: linking it would load
** libicuuc and its 30 MB of data at every start of lexis, for the few
** texts that need it. Its C API names carry the library's major version
** (ubrk_open_72), so the version is found with the library: the one the
** build saw first (LX_ICU_MAJOR, from pkg-config), then any other.
** A UText over the UTF-8 run lets the iterator read the bytes where they
** are and answer in byte offsets: no conversion to UTF-16.
*/
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "dictseg.h"

/* ICU's types as its C API passes them (opaque pointers, an int code). */
typedef struct UText UText;
typedef struct UBreakIterator UBreakIterator;
typedef int UErrorCode;                  /* > 0 is a failure (U_FAILURE) */
enum { UBRK_WORD = 1, UBRK_DONE = -1 };

static struct {
  UText *(*open_utf8)(UText *, const char *, int64_t, UErrorCode *);
  UText *(*close_text)(UText *);
  UBreakIterator *(*open)(int, const char *, const uint16_t *, int32_t, UErrorCode *);
  void (*set_text)(UBreakIterator *, UText *, UErrorCode *);
  int32_t (*first)(UBreakIterator *);
  int32_t (*next)(UBreakIterator *);
  void (*close)(UBreakIterator *);
  int loaded;
  char why[256];
} icu;

static pthread_once_t icu_once = PTHREAD_ONCE_INIT;

static void *sym(void *lib, const char *name, const char *suffix) {
  char full[64];
  snprintf(full, sizeof full, "%s%s", name, suffix);
  return dlsym(lib, full);
}

static int bind_icu(void *lib, const char *suffix) {
  icu.open_utf8 = (UText * (*)(UText *, const char *, int64_t, UErrorCode *))
      sym(lib, "utext_openUTF8", suffix);
  icu.close_text = (UText * (*)(UText *))sym(lib, "utext_close", suffix);
  icu.open = (UBreakIterator * (*)(int, const char *, const uint16_t *, int32_t, UErrorCode *))
      sym(lib, "ubrk_open", suffix);
  icu.set_text = (void (*)(UBreakIterator *, UText *, UErrorCode *))sym(lib, "ubrk_setUText", suffix);
  icu.first = (int32_t(*)(UBreakIterator *))sym(lib, "ubrk_first", suffix);
  icu.next = (int32_t(*)(UBreakIterator *))sym(lib, "ubrk_next", suffix);
  icu.close = (void (*)(UBreakIterator *))sym(lib, "ubrk_close", suffix);
  return icu.open_utf8 && icu.close_text && icu.open && icu.set_text && icu.first && icu.next &&
         icu.close;
}

#ifndef LX_ICU_MAJOR
#define LX_ICU_MAJOR 72
#endif

static void load_icu(void) {
  if (getenv("LEXIS_TEST_NO_ICU")) {          /* the specs: a machine without ICU */
    snprintf(icu.why, sizeof icu.why, "LEXIS_TEST_NO_ICU is set");
    return;
  }
  int majors[64], n = 0;
  majors[n++] = LX_ICU_MAJOR;
  for (int v = 99; v >= 50 && n < 64; v--)
    if (v != LX_ICU_MAJOR) majors[n++] = v;
  for (int k = 0; k < n; k++) {
    char name[32], suffix[8];
    snprintf(name, sizeof name, "libicuuc.so.%d", majors[k]);
    void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      if (k == 0) snprintf(icu.why, sizeof icu.why, "%s", dlerror());
      continue;
    }
    snprintf(suffix, sizeof suffix, "_%d", majors[k]);
    if (bind_icu(lib, suffix) || bind_icu(lib, "")) {
      icu.loaded = 1;
      icu.why[0] = '\0';
      return;
    }
    snprintf(icu.why, sizeof icu.why, "%s: no word break iterator in it", name);
    dlclose(lib);
  }
  if (!icu.why[0]) snprintf(icu.why, sizeof icu.why, "libicuuc not found");
}

const char *lx_dict_missing(void) {
  return icu.why[0] ? icu.why : NULL;
}

struct lx_dictseg {
  UBreakIterator *bi;
  UText *text;
};

lx_dictseg *lx_dictseg_new(void) {
  pthread_once(&icu_once, load_icu);
  if (!icu.loaded) return NULL;
  lx_dictseg *d = lx_calloc(1, sizeof *d);
  if (!d) return NULL;
  UErrorCode st = 0;
  d->bi = icu.open(UBRK_WORD, "", NULL, 0, &st);
  if (st > 0 || !d->bi) {
    free(d);
    return NULL;
  }
  return d;
}

void lx_dictseg_free(lx_dictseg *d) {
  if (!d) return;
  if (d->bi) icu.close(d->bi);
  if (d->text) icu.close_text(d->text);
  free(d);
}

int lx_dictseg_cut(lx_dictseg *d, const char *s, size_t n, uint32_t *ends, size_t *count) {
  UErrorCode st = 0;
  *count = 0;
  if (n == 0 || n > LX_DICT_RUN_MAX) return -1;
  UText *t = icu.open_utf8(d->text, s, (int64_t)n, &st);   /* reuses d->text */
  if (st > 0 || !t) return -1;
  d->text = t;
  icu.set_text(d->bi, t, &st);
  if (st > 0) return -1;
  int32_t prev = icu.first(d->bi);
  if (prev != 0) return -1;
  for (int32_t b = icu.next(d->bi); b != UBRK_DONE; b = icu.next(d->bi)) {
    if (b <= prev || (size_t)b > n || *count >= n) return -1;
    ends[(*count)++] = (uint32_t)b;
    prev = b;
  }
  return *count && ends[*count - 1] == n ? 0 : -1;
}
