/*
** The lexis.Counts userdata, shared by the bindings that fill one
** (src/bind/tokenize.c) and the one that defines it (src/bind/counts.c).
*/
#ifndef LEXIS_BIND_COUNTS_H
#define LEXIS_BIND_COUNTS_H

#include <lua.h>

#include "../counts.h"

#define LEXIS_COUNTS "lexis.Counts"

/* The open table at arg; raises if it is not one or is closed. */
lx_counts *lexis_checkcounts(lua_State *L, int arg);
/* Pushes a new, empty lexis.Counts and returns its table. */
lx_counts *lexis_newcounts(lua_State *L);

#endif
