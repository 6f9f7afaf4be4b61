/*
** alloc.c: the counter behind the failure hook of alloc.h.
*/
#include "alloc.h"

#include <stdatomic.h>

size_t lx_alloc_fail_at = 0;
static atomic_size_t calls;

int lx_alloc_failing(void) {
  size_t n = atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed) + 1;
  return n >= lx_alloc_fail_at;
}

size_t lx_alloc_calls(void) { return atomic_load_explicit(&calls, memory_order_relaxed); }
