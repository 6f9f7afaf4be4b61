/*
** serve.c: fuzzes the request gate of lexis serve (src/serve.c) through a
** real server on the loopback address.
**
** Input: the bytes of one request as a client would send them (request
** line, headers, a body or not). The server starts once, with a token and
** small limits, on one pool thread; its handler echoes what reached it.
** Checks: every request is answered (or the connection closed) and never
** crashes the server; an answer is an HTTP status line; a request without
** the token never reaches the handler; the handler sees only /api/ paths
** and arguments within the limits.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "alloc.h"
#include "fuzz.h"
#include "serve.h"

#define TOKEN "fuzz-token-1"
#define MAX_ARG 64

static lx_server *server;
static unsigned port;

static int echo(void *ud, const lx_serve_request *req, lx_serve_response *res) {
  (void)ud;
  FZ_CHECK(strncmp(req->path, "/api/", 5) == 0, "handler reached with %s", req->path);
  FZ_CHECK(req->nargs <= 64, "%zu arguments", req->nargs);
  for (size_t i = 0; i < req->nargs; i++)
    FZ_CHECK(req->args[i].len <= MAX_ARG, "an argument of %zu bytes", req->args[i].len);
  res->status = 200;
  res->type = "text/plain";
  res->len = strlen(req->path);
  res->body = lx_malloc(res->len + 1);
  if (!res->body) return ENOMEM;
  memcpy(res->body, req->path, res->len);
  return 0;
}

static void start(void) {
  lx_serve_opts o = { 0 };
  o.port = 0;
  o.token = TOKEN;
  o.threads = 1;
  o.max_arg = MAX_ARG;
  o.max_args = 16;
  o.max_header = 8192;
  o.time_limit_ms = 1000;
  o.handler = echo;
  char err[256];
  FZ_CHECK(lx_serve_start(&server, &o, err, sizeof err) == 0, "%s", err);
  port = lx_serve_port(server);
}

/* Is buf[0..n) one whole answer: headers and Content-Length bytes of body? */
static int whole_answer(const char *buf, size_t n) {
  const char *end = memmem(buf, n, "\r\n\r\n", 4);
  if (!end) return 0;
  const char *cl = memmem(buf, (size_t)(end - buf), "Content-Length: ", 16);
  size_t body = cl ? strtoul(cl + 16, NULL, 10) : 0;
  return (size_t)(end + 4 - buf) + body <= n;
}

/* Sends the request, half-closes, reads the answer until it is whole, the
** server closes, or 100 ms pass with nothing new. Returns the bytes read into buf. */
static size_t exchange(const uint8_t *data, size_t size, char *buf, size_t cap) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  FZ_CHECK(fd >= 0, "socket: %s", strerror(errno));
  struct sockaddr_in a = { 0 };
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  FZ_CHECK(connect(fd, (struct sockaddr *)&a, sizeof a) == 0, "connect: %s", strerror(errno));
  size_t off = 0;
  while (off < size) {
    ssize_t k = send(fd, data + off, size - off, MSG_NOSIGNAL);
    if (k <= 0) break;                   /* the server may close early on a bad request */
    off += (size_t)k;
  }
  shutdown(fd, SHUT_WR);
  size_t got = 0;
  for (;;) {
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, 100) <= 0) break;   /* loopback answers in microseconds */
    ssize_t k = recv(fd, buf + got, cap - 1 - got, 0);
    if (k <= 0) break;
    got += (size_t)k;
    if (got == cap - 1 || whole_answer(buf, got)) break;
  }
  close(fd);
  buf[got] = '\0';
  return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!server) start();
  if (size > 16384) return 0;
  static char buf[65536];
  size_t got = exchange(data, size, buf, sizeof buf);
  if (got == 0) return 0;                /* closed without an answer: allowed for garbage */
  FZ_CHECK(strncmp(buf, "HTTP/1.", 7) == 0, "not a status line: %.40s", buf);
  /* a 200 from the handler needs the token somewhere in the request */
  if (strstr(buf, " 200 ") == buf + 8 && memmem(buf, got, "\r\n\r\n/api/", 9)) {
    FZ_CHECK(memmem(data, size, TOKEN, strlen(TOKEN)) != NULL, "the handler answered without the token");
  }
  return 0;
}
