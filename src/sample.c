/*
** sample.c: a partial Fisher-Yates shuffle over xorshift64*, the picks
** then sorted so that a sample keeps the order of what it is taken from.
*/
#include "sample.h"

#include <stdlib.h>

#include "alloc.h"

/* xorshift64*: small, fast, and the same sample for the same seed everywhere. */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 0x2545F4914F6CDD1DULL;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

int lx_sample_pick(size_t n, size_t k, uint64_t seed, size_t **out) {
  size_t *idx = lx_malloc((n ? n : 1) * sizeof *idx);
  *out = NULL;
  if (!idx) return -1;
  for (size_t i = 0; i < n; i++) idx[i] = i;
  uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 0x1234567;
  if (s == 0) s = 1;
  for (size_t i = 0; i < k; i++) {
    size_t j = i + (size_t)(next_random(&s) % (n - i));
    size_t t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  qsort(idx, k, sizeof *idx, cmp_size);
  *out = idx;
  return 0;
}
