/*
** Lua functions as progress hooks of C jobs: see progress_bind.h. Not a
** module of its own: the bindings of the jobs that read big files use it.
*/
#include "bind.h"
#include "progress_bind.h"

/* Calls the function protected; an error takes its stack slot and stops the job. */
static int call_hook(void *ud, uint64_t done) {
  lexis_progress *lp = ud;
  lua_State *L = lp->L;
  if (lp->failed) return 1;
  lua_pushvalue(L, lp->fn);
  lua_pushinteger(L, (lua_Integer)done);
  if (lua_pcall(L, 1, 0, 0) == LUA_OK) return 0;
  lua_replace(L, lp->fn);
  lp->failed = 1;
  return 1;
}

lx_progress *lexis_opt_progress(lua_State *L, int arg, lexis_progress *lp) {
  lp->L = L;
  lp->failed = 0;
  lp->fn = lua_absindex(L, arg);
  /* Without a function the job still gets a counter: Ctrl-C stops it
  ** through that (lx_interrupt), at the cost of an atomic add per chunk. */
  if (lua_isnoneornil(L, arg)) {
    lx_progress_init(&lp->p, NULL, NULL);
    return &lp->p;
  }
  luaL_checktype(L, arg, LUA_TFUNCTION);
  lx_progress_init(&lp->p, call_hook, lp);
  return &lp->p;
}

void lexis_progress_done(lua_State *L, const lexis_progress *lp) {
  if (!lp->failed) return;
  lua_pushvalue(L, lp->fn);
  lua_error(L);
}
