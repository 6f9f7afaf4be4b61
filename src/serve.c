/*
** serve.c: the HTTP server of `lexis serve` over libmicrohttpd (see serve.h).
**
** Every request passes the same gate, in this order: the method (GET or
** HEAD: the server changes nothing), the token, the number and size of the
** arguments, then the path: an embedded file by exact match, /api/... to
** the handler, anything else 404. A request runs on one of the pool's
** threads from start to end, under a deadline of its own (lx_deadline_set,
** src/progress.h) that the cores' Ctrl-C checks honour.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <dlfcn.h>
#include <microhttpd.h>

#include "alloc.h"
#include "encode.h"
#include "progress.h"
#include "serve.h"

/*
** libmicrohttpd is loaded (dlopen) when a server starts, not linked: it
** brings GnuTLS, p11-kit and nettle, whose loading would double the start-up
** of every lexis command (9 ms against 4 for lua5.4 -e ''). The calls below
** go through these pointers (the macros after them), typed from the header.
*/
static struct {
  __typeof__(&MHD_start_daemon) start_daemon;
  __typeof__(&MHD_stop_daemon) stop_daemon;
  __typeof__(&MHD_get_daemon_info) get_daemon_info;
  __typeof__(&MHD_create_response_from_buffer) create_response_from_buffer;
  __typeof__(&MHD_add_response_header) add_response_header;
  __typeof__(&MHD_queue_response) queue_response;
  __typeof__(&MHD_destroy_response) destroy_response;
  __typeof__(&MHD_lookup_connection_value) lookup_connection_value;
  __typeof__(&MHD_get_connection_values_n) get_connection_values_n;
  int loaded;
  char why[200];
} mhd;
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;

static void load_mhd(void) {
  void *lib = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
  if (!lib) lib = dlopen("libmicrohttpd.so", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(mhd.why, sizeof mhd.why, "%s", dlerror());
    return;
  }
#define LOAD(f) (*(void **)&mhd.f = dlsym(lib, "MHD_" #f)) != NULL
  if (LOAD(start_daemon) && LOAD(stop_daemon) && LOAD(get_daemon_info) &&
      LOAD(create_response_from_buffer) && LOAD(add_response_header) && LOAD(queue_response) &&
      LOAD(destroy_response) && LOAD(lookup_connection_value) && LOAD(get_connection_values_n))
    mhd.loaded = 1;
  else
    snprintf(mhd.why, sizeof mhd.why, "libmicrohttpd: a function is missing (%s)", dlerror());
#undef LOAD
}

#define MHD_start_daemon mhd.start_daemon
#define MHD_stop_daemon mhd.stop_daemon
#define MHD_get_daemon_info mhd.get_daemon_info
#define MHD_create_response_from_buffer mhd.create_response_from_buffer
#define MHD_add_response_header mhd.add_response_header
#define MHD_queue_response mhd.queue_response
#define MHD_destroy_response mhd.destroy_response
#define MHD_lookup_connection_value mhd.lookup_connection_value
#define MHD_get_connection_values_n mhd.get_connection_values_n

struct lx_server {
  struct MHD_Daemon *d;
  lx_serve_opts o;             /* bind and token point into the copies below */
  char *bind;
  char *token;
  unsigned port;
  atomic_uint next_worker;     /* the id the next pool thread gets */
};

/* The pool thread's worker id, given at its first request (-1: none yet). */
static _Thread_local int worker_id = -1;

int lx_serve_is_loopback(const char *addr) {
  struct in_addr a4;
  struct in6_addr a6;
  if (inet_pton(AF_INET, addr, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, addr, &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return 0;
}

char *lx_serve_error_body(const char *why, size_t *len) {
  size_t n = strlen(why);
  char *b = lx_malloc(lx_enc_max(LX_FMT_JSON, n) + 16);
  if (!b) { *len = 0; return NULL; }
  size_t k = 0;
  memcpy(b, "{\"error\":", 9);
  k = 9;
  k += lx_enc_field(LX_FMT_JSON, b + k, why, n);
  memcpy(b + k, "}\n", 2);
  *len = k + 2;
  return b;
}

/* ------------------------------------------------------------ answers */

/* Set-Cookie for a page opened with ?token=: the page's own files and its
** API calls then carry the token without putting it in every URL. */
static _Thread_local char token_cookie[320];

static enum MHD_Result answer(struct MHD_Connection *c, int status, const char *type,
                              char *body, size_t len, int owned) {
  struct MHD_Response *r = MHD_create_response_from_buffer(
      len, body, owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if (!r) {
    if (owned) free(body);
    return MHD_NO;                     /* the library closes the connection */
  }
  MHD_add_response_header(r, "Content-Type", type);
  /* The page is the only script allowed to run; it may load nothing else. */
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                          "script-src 'self'; frame-ancestors 'none'");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  if (token_cookie[0]) MHD_add_response_header(r, "Set-Cookie", token_cookie);
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result refuse(struct MHD_Connection *c, int status, const char *why) {
  size_t len;
  char *body = lx_serve_error_body(why, &len);
  if (!body) return MHD_NO;
  return answer(c, status, "application/json; charset=utf-8", body, len, 1);
}

/* ------------------------------------------------------------ the gate */

/* Constant time in the length of the expected token: a wrong guess learns
** nothing from how long the comparison took. */
static int same_token(const char *got, const char *want) {
  if (!got) return 0;
  size_t n = strlen(want), m = strlen(got);
  unsigned char diff = (unsigned char)(n != m);
  for (size_t i = 0; i < n; i++) diff |= (unsigned char)(want[i] ^ (i < m ? got[i] : 0));
  return diff == 0;
}

static int token_ok(struct MHD_Connection *c, const char *token) {
  const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
  if (auth && strncmp(auth, "Bearer ", 7) == 0 && same_token(auth + 7, token)) return 1;
  if (same_token(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token"), token)) return 1;
  return same_token(MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "lexis_token"), token);
}

typedef struct {
  lx_serve_arg *args;
  size_t n, cap, max_arg;
  int too_long, too_many;
} arg_list;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size) {
  (void)kind; (void)key_size;
  arg_list *a = cls;
  if (value_size > a->max_arg) { a->too_long = 1; return MHD_NO; }
  if (a->n == a->cap) { a->too_many = 1; return MHD_NO; }
  a->args[a->n++] = (lx_serve_arg){ key, value ? value : "", value ? value_size : 0 };
  return MHD_YES;
}

static const lx_serve_file *embedded(const char *url) {
  if (strcmp(url, "/") == 0) url = "/index.html";
  for (size_t i = 0; i < lx_web_count; i++)
    if (strcmp(lx_web_files[i].path, url) == 0) return &lx_web_files[i];
  return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **state) {
  (void)version; (void)upload; (void)state;
  lx_server *s = cls;
  if (*upload_size) { *upload_size = 0; }      /* a body is never read */
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
    return refuse(c, 405, "only GET and HEAD: lexis serve is read-only");
  token_cookie[0] = '\0';
  if (s->o.token && !token_ok(c, s->o.token))
    return refuse(c, 401, "a token is required (Authorization: Bearer TOKEN, or ?token=TOKEN)");
  if (s->o.token && MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token"))
    snprintf(token_cookie, sizeof token_cookie, "lexis_token=%s; HttpOnly; SameSite=Strict; Path=/",
             s->o.token);

  const lx_serve_file *f = embedded(url);
  if (f) return answer(c, 200, f->type, (char *)f->data, f->size, 0);
  if (strncmp(url, "/api/", 5) != 0) return refuse(c, 404, "no such page");

  if (worker_id < 0) worker_id = (int)atomic_fetch_add(&s->next_worker, 1);
  if ((unsigned)worker_id >= s->o.threads) return refuse(c, 503, "no worker for this thread");

  lx_serve_arg args[64];
  arg_list a = { args, 0, s->o.max_args < 64 ? s->o.max_args : 64, s->o.max_arg, 0, 0 };
  MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
  if (a.too_long) return refuse(c, 414, "an argument is longer than the server's limit");
  if (a.too_many) return refuse(c, 400, "too many arguments");

  lx_serve_request req = { url, args, a.n, (unsigned)worker_id };
  lx_serve_response res = { 500, "application/json; charset=utf-8", NULL, 0 };
  if (s->o.time_limit_ms)
    lx_deadline_set(lx_now_ns() + (uint64_t)s->o.time_limit_ms * 1000000u);
  int rc = s->o.handler(s->o.ud, &req, &res);
  int late = lx_deadline_passed();
  lx_deadline_set(0);
  if (late && res.status >= 500) {      /* what failed was the deadline */
    free(res.body);
    char why[96];
    snprintf(why, sizeof why, "the request took longer than the time limit (%u ms)", s->o.time_limit_ms);
    return refuse(c, 503, why);
  }
  if (rc != 0 && !res.body) return refuse(c, 500, rc == ENOMEM ? "out of memory" : strerror(rc));
  return answer(c, res.status, res.type, res.body ? res.body : (char *)"", res.len, res.body != NULL);
}

/* ------------------------------------------------------------ life */

void lx_serve_block_signals(sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, old);
}

void lx_serve_restore_signals(const sigset_t *old) { pthread_sigmask(SIG_SETMASK, old, NULL); }

static int bind_address(const char *addr, unsigned port, struct sockaddr_storage *ss, int *v6) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    *v6 = 0;
    return 0;
  }
  if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons((uint16_t)port);
    *v6 = 1;
    return 0;
  }
  return EINVAL;
}

int lx_serve_start(lx_server **out, const lx_serve_opts *o, char *err, size_t errlen) {
  *out = NULL;
  const char *addr = o->bind ? o->bind : "127.0.0.1";
  struct sockaddr_storage ss;
  int v6;
  if (bind_address(addr, o->port, &ss, &v6)) {
    snprintf(err, errlen, "--bind %s: not an IPv4 or IPv6 address", addr);
    return EINVAL;
  }
  if (!lx_serve_is_loopback(addr) && (!o->token || !*o->token)) {
    snprintf(err, errlen, "--bind %s: an address other than loopback needs a token", addr);
    return EINVAL;
  }
  if (o->token) {                      /* it goes into a cookie: plain characters only */
    size_t n = strlen(o->token);
    int plain = n >= 8 && n <= 256;
    for (size_t i = 0; plain && i < n; i++)
      plain = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-", o->token[i]) != NULL;
    if (!plain) {
      snprintf(err, errlen, "--token: 8 to 256 letters, digits, '.', '_', '~' or '-'");
      return EINVAL;
    }
  }
  pthread_once(&mhd_once, load_mhd);
  if (!mhd.loaded) {
    snprintf(err, errlen, "cannot load libmicrohttpd (Debian's libmicrohttpd12): %s", mhd.why);
    return ENOENT;
  }
  lx_server *s = lx_calloc(1, sizeof *s);
  if (!s) goto nomem;
  s->o = *o;
  if (s->o.threads < 1) s->o.threads = 1;
  if (s->o.threads > 64) s->o.threads = 64;
  s->bind = lx_strdup(addr);
  s->token = o->token ? lx_strdup(o->token) : NULL;
  if (!s->bind || (o->token && !s->token)) goto nomem;
  s->o.bind = s->bind;
  s->o.token = s->token;
  atomic_init(&s->next_worker, 0);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | (v6 ? MHD_USE_IPv6 : 0);
  errno = 0;
  s->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, s,
                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                          MHD_OPTION_THREAD_POOL_SIZE, s->o.threads,
                          MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->max_header ? o->max_header : (size_t)65536,
                          MHD_OPTION_CONNECTION_LIMIT, 256u,
                          MHD_OPTION_CONNECTION_TIMEOUT, 60u,
                          MHD_OPTION_END);
  if (!s->d) {
    int e = errno ? errno : EADDRINUSE;
    snprintf(err, errlen, "%s port %u: %s", addr, o->port, strerror(e));
    free(s->bind);
    free(s->token);
    free(s);
    return e;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_LISTEN_FD);
  struct sockaddr_storage got;
  socklen_t gl = sizeof got;
  s->port = o->port;
  if (info && getsockname(info->listen_fd, (struct sockaddr *)&got, &gl) == 0)
    s->port = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                                              : ((struct sockaddr_in *)&got)->sin_port);
  *out = s;
  return 0;
nomem:
  if (s) { free(s->bind); free(s->token); free(s); }
  snprintf(err, errlen, "out of memory");
  return ENOMEM;
}

unsigned lx_serve_port(const lx_server *s) { return s->port; }

int lx_serve_wait(lx_server *s) {
  (void)s;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  struct timespec tick = { 0, 200000000 };   /* to see lx_interrupt() too */
  for (;;) {
    int sig = sigtimedwait(&set, NULL, &tick);
    if (sig > 0) return sig;
    if (lx_interrupted()) return 0;
  }
}

void lx_serve_stop(lx_server *s) {
  if (!s) return;
  if (s->d) MHD_stop_daemon(s->d);     /* joins the pool: no request runs after this */
  free(s->bind);
  free(s->token);
  free(s);
}
