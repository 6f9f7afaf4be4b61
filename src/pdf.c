/*
** pdf.c: a PDF's text through poppler-glib, reached through dlopen (pdf.h).
**
** Linking poppler would load it, GLib and their dependencies (some 40
** libraries) at every start of lexis; dlopen loads them when a PDF is met.
** No headers are needed: the few functions used are declared here with the
** types of their C API (GLib's GError is a public struct).
** poppler's documents are not shared between threads, and GLib's type
** system is initialised on first use: one lock makes every extraction
** one at a time, which the readers (a thread per file at most) never feel.
*/
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "pdf.h"
#include "progress.h"

typedef struct GError {
  uint32_t domain;
  int code;
  char *message;
} GError;
typedef struct PopplerDocument PopplerDocument;
typedef struct PopplerPage PopplerPage;
enum { POPPLER_ERROR_INVALID = 0, POPPLER_ERROR_ENCRYPTED = 1, POPPLER_ERROR_OPEN_FILE = 2,
       POPPLER_ERROR_BAD_CATALOG = 3, POPPLER_ERROR_DAMAGED = 4 };

#define POPPLER_LIB "libpoppler-glib.so.8"

static struct {
  PopplerDocument *(*from_data)(char *, int, const char *, GError **);
  int (*n_pages)(PopplerDocument *);
  PopplerPage *(*page)(PopplerDocument *, int);
  char *(*page_text)(PopplerPage *);
  void (*unref)(void *);
  void (*g_free)(void *);
  void (*error_free)(GError *);
  int loaded;
  char why[256];
} pop;

static pthread_once_t pop_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t pop_lock = PTHREAD_MUTEX_INITIALIZER;

#define BIND(field, name) (*(void **)&pop.field = dlsym(lib, name)) != NULL

static void load_poppler(void) {
  if (getenv("LEXIS_TEST_NO_POPPLER")) {      /* the specs: a machine without poppler-glib */
    snprintf(pop.why, sizeof pop.why, "LEXIS_TEST_NO_POPPLER is set");
    return;
  }
  void *lib = dlopen(POPPLER_LIB, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(pop.why, sizeof pop.why, "%s", dlerror());
    return;
  }
  /* GLib's functions come through poppler-glib's own dependencies */
  if (!(BIND(from_data, "poppler_document_new_from_data") && BIND(n_pages, "poppler_document_get_n_pages") &&
        BIND(page, "poppler_document_get_page") && BIND(page_text, "poppler_page_get_text") &&
        BIND(unref, "g_object_unref") && BIND(g_free, "g_free") && BIND(error_free, "g_error_free"))) {
    snprintf(pop.why, sizeof pop.why, "%s: not the API lexis knows (%s)", POPPLER_LIB, dlerror());
    dlclose(lib);
    return;
  }
  pop.loaded = 1;
}

/* Appends s[0..n) to the growing text; 0 or ENOMEM. */
static int put(char **t, size_t *len, size_t *cap, const char *s, size_t n) {
  if (*len + n + 1 > *cap) {
    size_t c = *cap ? *cap : 65536;
    while (c < *len + n + 1) c *= 2;
    char *nt = lx_realloc(*t, c);
    if (!nt) return ENOMEM;
    *t = nt;
    *cap = c;
  }
  memcpy(*t + *len, s, n);
  *len += n;
  return 0;
}

static int extract(PopplerDocument *doc, char **text, size_t *len, char *why, size_t whylen) {
  char *t = NULL;
  size_t n = 0, cap = 0;
  int pages = pop.n_pages(doc), rc = 0;
  for (int i = 0; i < pages && !rc; i++) {
    if (lx_interrupted()) {
      snprintf(why, whylen, "interrupted");
      rc = ECANCELED;
      break;
    }
    PopplerPage *page = pop.page(doc, i);
    if (!page) continue;                       /* a page poppler cannot read has no text */
    char *s = pop.page_text(page);
    pop.unref(page);
    if (!s) continue;
    size_t k = strlen(s);
    while (k && (s[k - 1] == '\n' || s[k - 1] == ' ' || s[k - 1] == '\r' || s[k - 1] == '\f')) k--;
    size_t b = 0;
    while (b < k && (s[b] == '\n' || s[b] == ' ' || s[b] == '\r' || s[b] == '\f')) b++;
    if (b < k) rc = (n ? put(&t, &n, &cap, "\n\n", 2) : 0) || put(&t, &n, &cap, s + b, k - b) ? ENOMEM : 0;
    pop.g_free(s);
  }
  if (!rc && n) rc = put(&t, &n, &cap, "\n", 1) ? ENOMEM : 0;   /* a text file's last line ends */
  if (rc) {
    if (rc == ENOMEM) snprintf(why, whylen, "out of memory");
    free(t);
    return rc;
  }
  *text = t;
  *len = n;
  return 0;
}

int lx_pdf_text(const char *data, size_t n, char **text, size_t *len, char *why, size_t whylen) {
  *text = NULL;
  *len = 0;
  pthread_once(&pop_once, load_poppler);
  if (!pop.loaded) {
    snprintf(why, whylen, "a PDF document, whose text lexis reads through poppler, which could not be loaded "
             "(%s): install the Debian package libpoppler-glib8", pop.why);
    return ENOENT;
  }
  if (n > LX_PDF_MAX) {
    snprintf(why, whylen, "a PDF document of %zu bytes, past the %zu that lexis reads", n, LX_PDF_MAX);
    return EFBIG;
  }
  pthread_mutex_lock(&pop_lock);
  GError *ge = NULL;
  /* poppler reads the bytes where they are and never writes them */
  PopplerDocument *doc = pop.from_data((char *)(uintptr_t)data, (int)n, NULL, &ge);
  int rc;
  if (!doc) {
    int encrypted = ge && ge->code == POPPLER_ERROR_ENCRYPTED;
    if (encrypted) snprintf(why, whylen, "an encrypted PDF document (it needs a password): decrypt it first");
    else snprintf(why, whylen, "a damaged PDF document (poppler: %s)", ge && ge->message ? ge->message : "cannot read it");
    rc = encrypted ? EACCES : EBADMSG;
  } else {
    rc = extract(doc, text, len, why, whylen);
    pop.unref(doc);
  }
  if (ge) pop.error_free(ge);
  pthread_mutex_unlock(&pop_lock);
  return rc;
}
