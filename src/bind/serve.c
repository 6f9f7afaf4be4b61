/*
** core.serve(config): runs the HTTP server of src/serve.c until SIGINT or
** SIGTERM, answering /api/... on Lua states of its own.
**
** Each pool thread has one Lua state, made and set up here before the pool
** starts and closed after it stops, so a state is never used by two threads
** at once and no lock is taken per request. A state loads lexis, then
** require(config.worker)(config.setup): setup is a string (a Lua chunk the
** caller wrote: the indexes to open, the routes' bytecode), the one thing
** that crosses from the caller's state to the workers'. The module returns
** the function each request calls: handle(path, args) -> status, format, body.
**
** A request's time limit reaches C jobs through the thread's deadline
** (src/progress.h) and Lua code through a count hook that checks it.
*/
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "../alloc.h"
#include "../lexis.h"
#include "../progress.h"
#include "../serve.h"
#include "bind.h"

typedef struct {
  lua_State **states;          /* one per pool thread */
  int *handlers;               /* the registry reference of each state's handle */
  unsigned n;
} workers;

/* ------------------------------------------------------------ a worker */

static void deadline_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (lx_deadline_passed()) {
    lua_pushliteral(L, "the request took longer than the time limit");
    lua_error(L);
  }
}

/* Content types by the format name a route answers with: static strings. */
static const char *type_of(const char *fmt) {
  static const char *const map[][2] = {
    { "json", "application/json; charset=utf-8" }, { "jsonl", "application/x-ndjson; charset=utf-8" },
    { "tsv", "text/tab-separated-values; charset=utf-8" }, { "csv", "text/csv; charset=utf-8" },
    { "html", "text/html; charset=utf-8" }, { "markdown", "text/markdown; charset=utf-8" },
    { "svg", "image/svg+xml" },
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(fmt, map[i][0]) == 0) return map[i][1];
  return "text/plain; charset=utf-8";
}

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (!msg) msg = luaL_tolstring(L, 1, NULL);
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* Runs one request on this thread's state; never raises. */
static int handle(void *ud, const lx_serve_request *req, lx_serve_response *res) {
  workers *w = ud;
  lua_State *L = w->states[req->worker];
  int top = lua_gettop(L);
  lua_pushcfunction(L, traceback);
  lua_rawgeti(L, LUA_REGISTRYINDEX, w->handlers[req->worker]);
  lua_pushstring(L, req->path);
  lua_createtable(L, 0, (int)req->nargs);
  for (size_t i = 0; i < req->nargs; i++) {
    lua_pushlstring(L, req->args[i].value, req->args[i].len);
    lua_setfield(L, -2, req->args[i].key);     /* a key given twice: the last */
  }
  lua_sethook(L, deadline_hook, LUA_MASKCOUNT, 10000);
  int status = lua_pcall(L, 2, 3, top + 1);
  lua_sethook(L, NULL, 0, 0);
  int rc = 0;
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    res->status = 500;
    res->body = lx_serve_error_body(msg ? msg : "error", &res->len);
    rc = res->body ? 0 : ENOMEM;
  } else {
    size_t len;
    const char *body = lua_tolstring(L, -1, &len);
    const char *fmt = lua_tostring(L, -2);
    res->status = (int)lua_tointeger(L, -3);
    if (res->status < 100 || res->status > 599) res->status = 500;
    res->type = type_of(fmt ? fmt : "text");
    res->len = body ? len : 0;
    res->body = lx_malloc(res->len + 1);
    if (res->body) memcpy(res->body, body ? body : "", res->len);
    else rc = ENOMEM;
  }
  lua_settop(L, top);
  lua_gc(L, LUA_GCSTEP, 0);                  /* a little collection between requests */
  return rc;
}

/* lexis as the host's state has it: the global, and package.loaded.lexis,
** so that require "lexis" on the worker finds this copy (else Lua would
** search package.cpath: nothing once installed, or ./lexis.so in the
** source tree, a second copy of the library with flags of its own). */
static int open_lexis(lua_State *S) {
  luaL_requiref(S, "lexis", luaopen_lexis, 1);
  return 0;
}

/* Makes state i: lexis loaded, the worker module run on setup. */
static int make_worker(lua_State *L, workers *w, unsigned i, const char *module, const char *setup,
                       size_t setuplen) {
  lua_State *S = luaL_newstate();
  if (!S) return lexis_nomem(L), 0;
  w->states[i] = S;
  luaL_openlibs(S);
  lua_pushcfunction(S, traceback);
  lua_pushcfunction(S, open_lexis);
  if (lua_pcall(S, 0, 0, 1) != LUA_OK) goto fail;
  lua_getglobal(S, "require");
  lua_pushstring(S, module);
  if (lua_pcall(S, 1, 1, 1) != LUA_OK) goto fail;
  lua_pushlstring(S, setup, setuplen);
  lua_pushinteger(S, (lua_Integer)i);
  if (lua_pcall(S, 2, 1, 1) != LUA_OK) goto fail;
  if (!lua_isfunction(S, -1)) {
    lua_pushliteral(S, "the worker module returned no handler");
    goto fail;
  }
  w->handlers[i] = luaL_ref(S, LUA_REGISTRYINDEX);
  lua_settop(S, 0);
  return 1;
fail:
  lua_pushstring(L, lua_tostring(S, -1) ? lua_tostring(S, -1) : "worker set-up failed");
  return 0;
}

static void close_workers(workers *w) {
  for (unsigned i = 0; i < w->n; i++)
    if (w->states[i]) lua_close(w->states[i]);
  free(w->states);
  free(w->handlers);
  w->states = NULL;
  w->handlers = NULL;
  w->n = 0;
}

/* The workers live in a userdata, so an error while making them frees them. */
static int workers_gc(lua_State *L) {
  close_workers(luaL_checkudata(L, 1, "lexis.ServeWorkers"));
  return 0;
}

static lua_Integer opt_int(lua_State *L, const char *key, lua_Integer def, lua_Integer lo, lua_Integer hi) {
  lua_getfield(L, 1, key);
  lua_Integer v = luaL_optinteger(L, -1, def);
  lua_pop(L, 1);
  if (v < lo || v > hi) lexis_misuse(L, "serve: %s must be %d..%d", key, (int)lo, (int)hi);
  return v;
}

static const char *opt_str(lua_State *L, const char *key) {
  lua_getfield(L, 1, key);
  const char *s = luaL_optstring(L, -1, NULL);
  lua_pop(L, 1);                               /* the table keeps it alive */
  return s;
}

/*
** core.serve{ worker = MODULE, setup = STRING, bind =, port =, token =,
**   threads =, time_limit = ms, max_arg =, ready = function(port) }
** -> the signal's name that stopped it ("SIGINT", "SIGTERM", or
** "interrupted"), or nil, "what: why", errno.
*/
static int l_serve(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *module = opt_str(L, "worker");
  size_t setuplen;
  lua_getfield(L, 1, "setup");
  const char *setup = luaL_checklstring(L, -1, &setuplen);
  lua_pop(L, 1);
  if (!module) lexis_misuse(L, "serve: worker module expected");
  lx_serve_opts o = { 0 };
  o.bind = opt_str(L, "bind");
  o.token = opt_str(L, "token");
  o.port = (unsigned)opt_int(L, "port", 8080, 0, 65535);
  o.threads = (unsigned)opt_int(L, "threads", 2, 1, 64);
  o.time_limit_ms = (unsigned)opt_int(L, "time_limit", 10000, 0, 3600000);
  o.max_arg = (size_t)opt_int(L, "max_arg", 4096, 16, 1 << 20);
  o.max_args = 64;
  o.max_header = (size_t)opt_int(L, "max_header", 65536, 4096, 1 << 22);
  lua_getfield(L, 1, "ready");
  int ready = lua_gettop(L);

  workers *w = lua_newuserdatauv(L, sizeof *w, 0);
  memset(w, 0, sizeof *w);
  if (luaL_newmetatable(L, "lexis.ServeWorkers")) {
    lua_pushcfunction(L, workers_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  w->states = lx_calloc(o.threads, sizeof *w->states);
  w->handlers = lx_calloc(o.threads, sizeof *w->handlers);
  if (!w->states || !w->handlers) return lexis_nomem(L);
  w->n = o.threads;
  for (unsigned i = 0; i < o.threads; i++)
    if (!make_worker(L, w, i, module, setup, setuplen)) {
      close_workers(w);
      lua_pushnil(L);
      lua_insert(L, -2);
      return 2;                                /* nil, the worker's message */
    }
  o.handler = handle;
  o.ud = w;

  sigset_t old;
  lx_serve_block_signals(&old);
  lx_server *s;
  char err[256];
  int e = lx_serve_start(&s, &o, err, sizeof err);
  if (e) {
    lx_serve_restore_signals(&old);
    close_workers(w);
    lua_pushnil(L);
    lua_pushstring(L, err);
    lua_pushinteger(L, e);
    return 3;
  }
  if (lua_isfunction(L, ready)) {
    lua_pushvalue(L, ready);
    lua_pushinteger(L, (lua_Integer)lx_serve_port(s));
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {    /* stop first, then raise */
      lx_serve_stop(s);
      lx_serve_restore_signals(&old);
      close_workers(w);
      return lua_error(L);
    }
  }
  int sig = lx_serve_wait(s);
  lx_interrupt();                              /* running requests stop at their next check */
  lx_serve_stop(s);
  lx_interrupt_clear();
  lx_serve_restore_signals(&old);
  close_workers(w);
  lua_pushstring(L, sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "interrupted");
  return 1;
}

/* core.serve_is_loopback(addr) -> boolean */
static int l_is_loopback(lua_State *L) {
  lua_pushboolean(L, lx_serve_is_loopback(luaL_checkstring(L, 1)));
  return 1;
}

static const luaL_Reg funcs[] = {
  { "serve", l_serve },
  { "serve_is_loopback", l_is_loopback },
  { NULL, NULL },
};

void lexis_open_serve(lua_State *L) { luaL_setfuncs(L, funcs, 0); }
