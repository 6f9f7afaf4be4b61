/*
** alloc.h: zeroed memory for tables that are probed before they are
** written (open-addressing hash tables).
**
** calloc gives fresh pages that map the kernel's shared zero page on a first
** read; the first write to each then copies it and must flush the page from
** every CPU's TLB, an interrupt to each core running one of our threads. A
** table filled by probing (read a slot, then write it) paid that per page:
** with two threads, a seventh of the n-gram count's time. Writing the zeros
** ourselves maps each page once, writable, with no flush.
*/
#ifndef LEXIS_ALLOC_H
#define LEXIS_ALLOC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline void *lx_zalloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  size_t bytes = n * size;
  void *p = malloc(bytes > 0 ? bytes : 1);
  if (p) memset(p, 0, bytes);
  return p;
}

#endif
