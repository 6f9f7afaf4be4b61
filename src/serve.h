/*
** serve.h: the HTTP server behind `lexis serve` (pure C: no Lua here).
**
** The server answers GET requests only (it is read-only): an embedded file
** (the page, from web/) by its exact path, or any other path under /api/
** through the caller's handler. Paths are compared, never opened: a request
** cannot name a file. What the handler does with a request (run a query on a
** Lua state of its thread) is the binding's (src/bind/serve.c).
**
** Built on GNU libmicrohttpd: its thread pool runs requests on several
** cores at once, and its HTTP parser (request line, headers, percent
** decoding, limits on a connection's memory) is a maintained library's,
** not one written here.
*/
#ifndef LEXIS_SERVE_H
#define LEXIS_SERVE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* One embedded file (generated into build/web.c from web/ by src/gen/web.lua). */
typedef struct {
  const char *path;            /* "/app.js": the URL path that serves it */
  const char *type;            /* its Content-Type */
  const unsigned char *data;
  size_t size;
} lx_serve_file;

extern const lx_serve_file lx_web_files[];
extern const size_t lx_web_count;

/* One argument of the query string, percent-decoded by the library. */
typedef struct {
  const char *key;
  const char *value;           /* "" for a bare key */
  size_t len;                  /* value's bytes (it may hold a NUL) */
} lx_serve_arg;

typedef struct {
  const char *path;            /* the URL path, "/api/kwic" */
  const lx_serve_arg *args;
  size_t nargs;
  unsigned worker;             /* 0..threads-1: the pool thread running it */
} lx_serve_request;

/* What the handler answers: body allocated with lx_malloc (the server
** frees it), or NULL with len 0. type: a static string. */
typedef struct {
  int status;
  const char *type;
  char *body;
  size_t len;
} lx_serve_response;

typedef int (*lx_serve_handler)(void *ud, const lx_serve_request *req, lx_serve_response *res);

typedef struct {
  const char *bind;            /* an IPv4 or IPv6 address; NULL: 127.0.0.1 */
  unsigned port;               /* 0: any free port (lx_serve_port says which) */
  const char *token;           /* required on every request when not NULL */
  unsigned threads;            /* the pool's threads (1..64) */
  size_t max_arg;              /* the most bytes of one argument (a query) */
  size_t max_args;             /* the most arguments of one request */
  size_t max_header;           /* a connection's memory for its request line and headers */
  unsigned time_limit_ms;      /* each request's deadline (lx_deadline_set); 0: none */
  lx_serve_handler handler;    /* for /api/... */
  void *ud;                    /* the handler's */
} lx_serve_opts;

typedef struct lx_server lx_server;

/* Is addr a loopback address (127.0.0.0/8, ::1)? Then no token is needed. */
int lx_serve_is_loopback(const char *addr);

/* Binds and starts the pool: 0, or an errno value with "what: why"
** in err. */
int lx_serve_start(lx_server **out, const lx_serve_opts *o, char *err, size_t errlen);
/* The port it listens on. */
unsigned lx_serve_port(const lx_server *s);
/* Blocks until SIGINT or SIGTERM arrives (or lx_interrupt() was called), then
** returns the signal (0 for lx_interrupt). The caller blocked both signals in
** every thread before lx_serve_start (lx_serve_block_signals), so the pool's
** threads never take them. */
int lx_serve_wait(lx_server *s);
/* Stops accepting, lets running requests end, joins the threads, frees. */
void lx_serve_stop(lx_server *s);

/* Blocks SIGINT and SIGTERM in this thread (the threads it starts inherit
** that); old receives the mask to restore with lx_serve_restore_signals. */
void lx_serve_block_signals(sigset_t *old);
void lx_serve_restore_signals(const sigset_t *old);

/* The one JSON error body every refusal uses: {"error":"why"}, lx_malloc'd. */
char *lx_serve_error_body(const char *why, size_t *len);

#endif
