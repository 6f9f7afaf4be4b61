/*
** mapguard.c: a fixed table of the files mapped now, readable from a
** signal handler (no locks, no allocation): a slot is claimed, filled,
** and only then published by storing its address; removing clears the
** address first.
*/
#include <stdint.h>
#include <string.h>

#include "mapguard.h"

#define SLOTS 512

static struct slot {
  uintptr_t lo;          /* the mapping's first byte; 0 for a free slot (atomic) */
  size_t len;
  int claimed;           /* taken by a thread filling it (atomic) */
  char path[480];
} slots[SLOTS];

int lx_guard_add(const void *addr, size_t len, const char *path) {
  if (!addr || !len) return 0;
  for (int i = 0; i < SLOTS; i++) {
    int free_ = 0;
    if (!__atomic_compare_exchange_n(&slots[i].claimed, &free_, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
      continue;
    size_t n = strlen(path);
    if (n >= sizeof slots[i].path) n = sizeof slots[i].path - 1;    /* a long path, cut */
    memcpy(slots[i].path, path, n);
    slots[i].path[n] = '\0';
    slots[i].len = len;
    __atomic_store_n(&slots[i].lo, (uintptr_t)addr, __ATOMIC_RELEASE);
    return i + 1;
  }
  return 0;
}

void lx_guard_remove(int handle) {
  if (handle < 1 || handle > SLOTS) return;
  struct slot *s = &slots[handle - 1];
  __atomic_store_n(&s->lo, 0, __ATOMIC_RELEASE);
  __atomic_store_n(&s->claimed, 0, __ATOMIC_RELEASE);
}

const char *lx_guard_find(const void *addr) {
  uintptr_t a = (uintptr_t)addr;
  for (int i = 0; i < SLOTS; i++) {
    uintptr_t lo = __atomic_load_n(&slots[i].lo, __ATOMIC_ACQUIRE);
    if (lo && a >= lo && a - lo < slots[i].len) return slots[i].path;
  }
  return NULL;
}
