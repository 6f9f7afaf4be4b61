/*
** atomicfile.c: outputs written beside their target and renamed into place.
** A SIGINT or SIGTERM handler removes the temporary files still open, then
** passes the signal on to whatever handled it before, so an interrupted
** write leaves nothing behind.
*/
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "alloc.h"

struct lx_atomic {
  FILE *stream;              /* the temporary file, opened for writing */
  char *path;                /* the target */
  char *tmp;                 /* the temporary file's name; NULL when writing directly */
  struct lx_atomic *next;    /* in the list of pending files */
  int nosync;                /* commit without fsync (lx_atomic_nosync) */
};

/* Pending temporary files, for the signal handler. Changed with the
** signals blocked, so the handler never sees a half-linked list. */
static lx_atomic *pending;
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction previous_int, previous_term;
static int handlers_installed;

static void remove_pending_and_forward(int sig) {
  for (lx_atomic *a = pending; a; a = a->next)
    unlink(a->tmp);                       /* async-signal-safe */
  const struct sigaction *prev = sig == SIGINT ? &previous_int : &previous_term;
  if (prev->sa_handler == SIG_IGN)
    return;
  if (prev->sa_handler == SIG_DFL || (prev->sa_flags & SA_SIGINFO)) {
    /* Die of the signal as if we had not been there. */
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  prev->sa_handler(sig);                  /* e.g. the host's Ctrl-C hook */
}

static void with_signals_blocked(void (*fn)(lx_atomic *), lx_atomic *a) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  pthread_mutex_lock(&pending_lock);
  fn(a);
  pthread_mutex_unlock(&pending_lock);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void link_pending(lx_atomic *a) {
  if (!handlers_installed) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending_and_forward;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &previous_int);
    sigaction(SIGTERM, &sa, &previous_term);
    handlers_installed = 1;
  }
  a->next = pending;
  pending = a;
}

static void unlink_pending(lx_atomic *a) {
  for (lx_atomic **p = &pending; *p; p = &(*p)->next)
    if (*p == a) {
      *p = a->next;
      break;
    }
  if (pending == NULL && handlers_installed) {
    /* Give the signals back to whoever had them (the host may have
    ** changed its own handler since; only restore if ours is in place). */
    struct sigaction cur;
    sigaction(SIGINT, NULL, &cur);
    if (cur.sa_handler == remove_pending_and_forward)
      sigaction(SIGINT, &previous_int, NULL);
    sigaction(SIGTERM, NULL, &cur);
    if (cur.sa_handler == remove_pending_and_forward)
      sigaction(SIGTERM, &previous_term, NULL);
    handlers_installed = 0;
  }
}

static void free_atomic(lx_atomic *a) {
  free(a->path);
  free(a->tmp);
  free(a);
}

lx_atomic *lx_atomic_open(const char *path) {
  lx_atomic *a = lx_calloc(1, sizeof *a);
  size_t len = strlen(path);
  if (a == NULL || (a->path = lx_strdup(path)) == NULL || (a->tmp = lx_malloc(len + 16)) == NULL) {
    if (a)
      free_atomic(a);
    errno = ENOMEM;
    return NULL;
  }
  /* A device, FIFO or socket (/dev/full, /dev/stdout, a pipe) is written
  ** as it is: a temporary file renamed over it would replace it. */
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    free(a->tmp);
    a->tmp = NULL;
    if (S_ISDIR(st.st_mode) || (a->stream = fopen(path, "w")) == NULL) {
      int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
      free_atomic(a);
      errno = e;
      return NULL;
    }
    return a;
  }
  memcpy(a->tmp, path, len);
  memcpy(a->tmp + len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
  int fd = mkstemp(a->tmp);
  if (fd < 0) {
    int e = errno;
    free_atomic(a);
    errno = e;
    return NULL;
  }
  /* mkstemp makes 0600; an output file gets the usual mode. */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  a->stream = fdopen(fd, "w");
  if (a->stream == NULL) {
    int e = errno;
    close(fd);
    unlink(a->tmp);
    free_atomic(a);
    errno = e;
    return NULL;
  }
  with_signals_blocked(link_pending, a);
  return a;
}

void lx_atomic_nosync(lx_atomic *a) { a->nosync = 1; }

FILE *lx_atomic_stream(lx_atomic *a) { return a->stream; }

const char *lx_atomic_path(const lx_atomic *a) { return a->path; }

void lx_atomic_abort(lx_atomic *a) {
  if (a == NULL)
    return;
  if (a->tmp)
    with_signals_blocked(unlink_pending, a);
  if (a->stream)
    fclose(a->stream);
  if (a->tmp)
    unlink(a->tmp);
  free_atomic(a);
}

int lx_atomic_commit(lx_atomic *a) {
  int err = 0;
  errno = 0;
  if (fflush(a->stream) != 0 || ferror(a->stream))
    err = errno ? errno : EIO;
  else if (!a->nosync && fsync(fileno(a->stream)) != 0 && errno != EINVAL)
    err = errno;                          /* EINVAL: a special file, no sync */
  if (fclose(a->stream) != 0 && err == 0)
    err = errno;
  a->stream = NULL;
  if (a->tmp == NULL) {                   /* written directly: nothing to rename */
    free_atomic(a);
    return err;
  }
  if (err == 0 && rename(a->tmp, a->path) != 0)
    err = errno;
  with_signals_blocked(unlink_pending, a);
  if (err)
    unlink(a->tmp);
  free_atomic(a);
  return err;
}
