/*
** A Lua function as the hook of a long C job (src/progress.h). The job
** calls it, on the Lua thread only, as fn(bytes_done) a few times a second;
** an error in it (Ctrl-C's "interrupted!" too) is caught there, stops the
** job, and is raised again by lexis_progress_done once the C memory is
** freed: nothing leaks and no thread is left running.
*/
#ifndef LEXIS_PROGRESS_BIND_H
#define LEXIS_PROGRESS_BIND_H

#include <lua.h>

#include "../progress.h"

typedef struct lexis_progress {
  lx_progress p;
  lua_State *L;
  int fn;                  /* stack index of the function; its error once it raised */
  int failed;              /* the function raised */
} lexis_progress;

/* The hook at arg (a function; nil or none: no hook, only the counter that
** lets Ctrl-C stop the job). Never NULL. The value must stay at arg while
** the job runs. */
lx_progress *lexis_opt_progress(lua_State *L, int arg, lexis_progress *lp);
/* After the job, with its C memory freed: raises the hook's error, if any. */
void lexis_progress_done(lua_State *L, const lexis_progress *lp);

#endif
