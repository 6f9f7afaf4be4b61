/*
** progress.h: how far a long read of a file has got, for a meter drawn by
** the thread that started the job (the only one that may call Lua).
**
** Every reading thread adds the bytes it has finished to one atomic
** counter. When the thread that made the meter adds its own, it calls the
** hook, at most every LX_PROGRESS_EVERY_NS; the other threads never do. A
** hook that returns non-zero stops the job: each thread sees `stop` at its
** next chunk and the job returns ECANCELED. A job given no meter (NULL)
** pays one test per chunk. Pure C: no Lua here.
*/
#ifndef LEXIS_PROGRESS_H
#define LEXIS_PROGRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define LX_PROGRESS_EVERY_NS 250000000u   /* a quarter of a second between calls */

typedef struct lx_progress {
  int (*fn)(void *ud, uint64_t done);   /* done: bytes of this job so far; 0 goes on */
  void *ud;                /* fn's own */
  atomic_uint_fast64_t done;   /* bytes finished, by every thread */
  atomic_int stop;         /* set once fn asked to stop */
  pthread_t owner;         /* the thread that may call fn */
  uint64_t next;           /* no call before this time (ns, monotonic); the owner's */
} lx_progress;

/* Sets up p for a job started on this thread: nothing done, the first step calls fn. */
void lx_progress_init(lx_progress *p, int (*fn)(void *ud, uint64_t done), void *ud);

/* n more bytes finished; on the owner thread, calls fn when due. 1 if the
** job must stop, else 0. Safe from any thread. */
int lx_progress_step(lx_progress *p, uint64_t n);

#endif
