/*
** What the corpus binding shares with the concordance binding: making a
** "lexis.Concordance" and anchoring values it points into.
*/
#ifndef LEXIS_KWIC_BIND_H
#define LEXIS_KWIC_BIND_H

#include <lua.h>
#include "../kwic.h"

lx_conc *lexis_check_conc(lua_State *L, int arg);
/* Pushes a new concordance; raises if out of memory (nothing leaks). */
lx_conc **lexis_new_conc(lua_State *L, unsigned left, unsigned right);
/* Keeps the value at index `value` alive as long as the concordance at `conc`. */
void lexis_conc_anchor(lua_State *L, int conc, int value);

/* The optional "lexis.Splitter" at arg, anchored in the concordance at conc. */
const lx_splitter *lexis_opt_splitter(lua_State *L, int conc, int arg);

#endif
