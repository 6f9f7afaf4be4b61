/*
** progress.c: the byte counter behind a meter (see progress.h).
*/
#include <time.h>

#include "progress.h"

/* Set from a signal handler: a lock-free atomic, so the store is safe there. */
static atomic_int interrupted;

void lx_interrupt(void) { atomic_store_explicit(&interrupted, 1, memory_order_relaxed); }
void lx_interrupt_clear(void) { atomic_store_explicit(&interrupted, 0, memory_order_relaxed); }

uint64_t lx_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* This thread's request deadline (see progress.h); 0 on every thread but a server's workers. */
static _Thread_local uint64_t deadline;

void lx_deadline_set(uint64_t deadline_ns) { deadline = deadline_ns; }
int lx_deadline_passed(void) { return deadline != 0 && lx_now_ns() >= deadline; }

/* A thread without a deadline pays one thread-local load more than before. */
int lx_interrupted(void) {
  return atomic_load_explicit(&interrupted, memory_order_relaxed) || lx_deadline_passed();
}

void lx_progress_init(lx_progress *p, int (*fn)(void *ud, uint64_t done), void *ud) {
  p->fn = fn;
  p->ud = ud;
  p->owner = pthread_self();
  atomic_init(&p->stop, 0);
  atomic_init(&p->done, 0);
  p->next = 0;
  p->deadline = deadline;
}

/*
** The counter is relaxed: it orders nothing, and a meter a chunk behind is
** as good. Only the owner reads the clock, so the other threads pay one
** atomic add per chunk (a megabyte) and a load of `stop`.
*/
int lx_progress_step(lx_progress *p, uint64_t n) {
  uint64_t done = atomic_fetch_add_explicit(&p->done, n, memory_order_relaxed) + n;
  if (atomic_load_explicit(&p->stop, memory_order_relaxed)) return 1;
  if (lx_interrupted() || (p->deadline && lx_now_ns() >= p->deadline)) {   /* sticky */
    atomic_store(&p->stop, 1);
    return 1;
  }
  if (!p->fn || !pthread_equal(pthread_self(), p->owner)) return 0;
  uint64_t t = lx_now_ns();
  if (t < p->next) return 0;
  p->next = t + LX_PROGRESS_EVERY_NS;
  if (p->fn(p->ud, done) == 0) return 0;
  atomic_store(&p->stop, 1);
  return 1;
}
