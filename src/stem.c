/*
** stem.c: Snowball stemmers through libstemmer, loaded on first use (stem.h).
**
** libstemmer is reached through dlopen, as ICU is (dictseg.c): the few
** commands that stem pay for loading it, start-up does not, and the build
** needs only these five prototypes, declared here, not libstemmer-dev.
*/
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "stem.h"

#define STEMMER_SO "libstemmer.so.0d"
#define STEMMER_DEB "libstemmer0d"

/* libstemmer's API (libstemmer.h), as function pointers. */
struct sb_stemmer;
static struct {
  const char **(*list)(void);
  struct sb_stemmer *(*make)(const char *algorithm, const char *charenc);
  void (*destroy)(struct sb_stemmer *);
  const unsigned char *(*stem)(struct sb_stemmer *, const unsigned char *word, int size);
  int (*length)(struct sb_stemmer *);
  int loaded;
  char why[256];             /* why it could not be loaded */
} sb;

static pthread_once_t sb_once = PTHREAD_ONCE_INIT;

static void load_stemmer(void) {
  if (getenv("LEXIS_TEST_NO_STEMMER")) {      /* the specs: a machine without it */
    snprintf(sb.why, sizeof sb.why, "LEXIS_TEST_NO_STEMMER is set");
    return;
  }
  void *lib = dlopen(STEMMER_SO, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(sb.why, sizeof sb.why, "%s", dlerror());
    return;
  }
  sb.list = (const char **(*)(void))dlsym(lib, "sb_stemmer_list");
  sb.make = (struct sb_stemmer * (*)(const char *, const char *))dlsym(lib, "sb_stemmer_new");
  sb.destroy = (void (*)(struct sb_stemmer *))dlsym(lib, "sb_stemmer_delete");
  sb.stem = (const unsigned char *(*)(struct sb_stemmer *, const unsigned char *, int))
      dlsym(lib, "sb_stemmer_stem");
  sb.length = (int (*)(struct sb_stemmer *))dlsym(lib, "sb_stemmer_length");
  if (!sb.list || !sb.make || !sb.destroy || !sb.stem || !sb.length) {
    snprintf(sb.why, sizeof sb.why, "%s: no sb_stemmer functions in it", STEMMER_SO);
    dlclose(lib);
    return;
  }
  sb.loaded = 1;
}

static int loaded(char *err, size_t errlen) {
  pthread_once(&sb_once, load_stemmer);
  if (sb.loaded) return 1;
  if (err)
    snprintf(err, errlen, "stemming needs libstemmer (Debian package %s), which could not be loaded: %s",
             STEMMER_DEB, sb.why);
  return 0;
}

/* The algorithms libstemmer has (it is loaded), joined by ", " into buf
** (truncated to n), for the message about a language it lacks. */
static void algorithms(char *buf, size_t n) {
  buf[0] = '\0';
  size_t used = 0;
  for (const char **a = sb.list(); *a && used < n; a++)
    used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", *a);
}

struct lx_stemmer {
  struct sb_stemmer *sb;
  char lang[LX_STEM_LANG_MAX];
};

lx_stemmer *lx_stem_new(const char *lang, char *err, size_t errlen) {
  if (!loaded(err, errlen)) {
    errno = ELIBACC;
    return NULL;
  }
  size_t n = strlen(lang);
  lx_stemmer *st = NULL;
  if (n > 0 && n < LX_STEM_LANG_MAX) {
    if (!(st = lx_calloc(1, sizeof *st))) {
      if (err) snprintf(err, errlen, "out of memory");
      errno = ENOMEM;
      return NULL;
    }
    memcpy(st->lang, lang, n + 1);
    /* NULL for an unknown language, and (with errno ENOMEM) for no memory */
    errno = 0;
    st->sb = sb.make(lang, "UTF_8");
    if (st->sb) return st;
    free(st);
    if (errno == ENOMEM) {
      if (err) snprintf(err, errlen, "out of memory");
      errno = ENOMEM;
      return NULL;
    }
  }
  if (err) {
    char have[512];
    algorithms(have, sizeof have);
    snprintf(err, errlen, "no stemmer for '%.*s' (libstemmer has: %s; or their ISO 639 codes, en, de...)",
             (int)(n < 64 ? n : 64), lang, have);
  }
  errno = EINVAL;
  return NULL;
}

void lx_stem_free(lx_stemmer *st) {
  if (!st) return;
  if (st->sb) sb.destroy(st->sb);
  free(st);
}

const char *lx_stem_lang(const lx_stemmer *st) {
  return st->lang;
}

const char *lx_stem(lx_stemmer *st, const char *s, size_t len, size_t *outlen) {
  *outlen = len;
  if (len > INT_MAX) return s;
  const unsigned char *r = sb.stem(st->sb, (const unsigned char *)s, (int)len);
  if (!r) return NULL;
  *outlen = (size_t)sb.length(st->sb);
  return (const char *)r;
}
