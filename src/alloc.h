/*
** alloc.h: the one allocation family of the cores.
**
** Every core allocates through lx_malloc, lx_calloc, lx_realloc, lx_strdup and
** lx_zalloc so that a test can make allocation fail at the N-th call (from
** then on every call fails, as when memory is really gone) and check that
** each command ends in a clean "out of memory" error with nothing leaked.
** The host arms it from the environment (LEXIS_TEST_ALLOC_FAIL=N, see
** main.c); unarmed, the cost is one load of a global per allocation.
*/
#ifndef LEXIS_ALLOC_H
#define LEXIS_ALLOC_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 0: never fail. Otherwise the call numbered lx_alloc_fail_at (from 1) and
** every later one fail. Set before any thread starts. */
extern size_t lx_alloc_fail_at;
int lx_alloc_failing(void); /* counts the call; 1 when it must fail */
size_t lx_alloc_calls(void); /* calls counted since the hook was armed */

/* A refused call sets errno as malloc does when memory is really gone, so
** code that reports strerror(errno) or passes errno on sees the same. */
static inline int lx_alloc_refused(void) {
  if (lx_alloc_fail_at == 0 || !lx_alloc_failing()) return 0;
  errno = ENOMEM;
  return 1;
}

static inline void *lx_malloc(size_t bytes) {
  return lx_alloc_refused() ? NULL : malloc(bytes);
}

static inline void *lx_calloc(size_t n, size_t size) {
  return lx_alloc_refused() ? NULL : calloc(n, size);
}

static inline void *lx_realloc(void *p, size_t bytes) {
  return lx_alloc_refused() ? NULL : realloc(p, bytes);
}

static inline void *lx_aligned_alloc(size_t align, size_t bytes) {
  return lx_alloc_refused() ? NULL : aligned_alloc(align, bytes);
}

static inline char *lx_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = lx_malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/*
** Zeroed memory for tables that are probed before they are written
** (open-addressing hash tables). calloc gives fresh pages that map the
** kernel's shared zero page on a first read; the first write to each then
** copies it and must flush the page from every CPU's TLB, an interrupt to
** each core running one of our threads. A table filled by probing (read a
** slot, then write it) paid that per page: with two threads, a seventh of the
** n-gram count's time. Writing the zeros ourselves maps each page once,
** writable, with no flush.
*/
static inline void *lx_zalloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  size_t bytes = n * size;
  void *p = lx_malloc(bytes > 0 ? bytes : 1);
  if (p) memset(p, 0, bytes);
  return p;
}

#endif
