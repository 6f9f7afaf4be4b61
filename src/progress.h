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
**
** Ctrl-C reaches every job the same way: the host's SIGINT handler calls
** lx_interrupt(), and the next lx_progress_step of any thread of any job
** stops it as a failing hook would. So a binding passes an lx_progress to
** every long job, with fn NULL when nobody draws a meter: the job then
** pays one atomic add and two loads per chunk, and stays interruptible.
** A loop that has no lx_progress at hand (a sort, a merge, a writer) tests
** lx_interrupted() every batch instead.
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
  uint64_t deadline;       /* the owner's request deadline when the job began (0: none), so
                              the job's other threads stop at it too (lx_deadline_set) */
} lx_progress;

/* Sets up p for a job started on this thread: nothing done, the first step calls fn. */
void lx_progress_init(lx_progress *p, int (*fn)(void *ud, uint64_t done), void *ud);

/*
** The flag above is process-wide: one Ctrl-C stops every job. A server runs
** many requests at once and must stop one of them without the others, so a
** thread may also carry a deadline of its own (thread-local, set around one
** request by src/serve.c's caller): past it, lx_interrupted() answers 1 on
** that thread only, and the jobs it owns stop as at a Ctrl-C (their helper
** threads see the job's `stop` set by the owner's next step). 0: none.
*/
void lx_deadline_set(uint64_t deadline_ns);
/* Has this thread's deadline passed? 0 when it has none. */
int lx_deadline_passed(void);
/* The monotonic clock the deadlines are on, in ns. */
uint64_t lx_now_ns(void);

/* Asks every running job to stop (async-signal-safe: a lock-free store). */
void lx_interrupt(void);
/* Forgets the request, once the interruption has been delivered. */
void lx_interrupt_clear(void);
/* Was an interruption asked for and not yet cleared, or is this thread past its deadline? */
int lx_interrupted(void);

/* n more bytes finished; on the owner thread, calls fn when due. 1 if the
** job must stop, else 0. Safe from any thread. */
int lx_progress_step(lx_progress *p, uint64_t n);

#endif
