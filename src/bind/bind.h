/*
** The list of bindings: one thin C file per Lua-facing core in src/bind/.
** Each defines lexis_open_NAME(L), which adds its functions to the table on
** top of the stack (the internal module "lexis.core") and creates its
** userdata metatables. Add X(NAME) here when you add src/bind/NAME.c.
*/
#ifndef LEXIS_BIND_H
#define LEXIS_BIND_H

#include <lua.h>
#include <lauxlib.h>

#define LEXIS_BINDINGS(X) \
  X(host) \
  X(input) \
  X(kwic) \
  X(corpus) \
  X(output) \
  X(encode) \
  X(counts) \
  X(tokenize) \
  X(stats) \
  X(sentences) \
  X(text)

#define LEXIS_DECLARE_OPEN(name) void lexis_open_##name(lua_State *L);
LEXIS_BINDINGS(LEXIS_DECLARE_OPEN)
#undef LEXIS_DECLARE_OPEN

/*
** The stream argument arg names: an io file (io.stdout, io.open(...)) or a
** lexis.AtomicFile from lexis.core.atomic_open. Raises if it is neither or
** is closed. Lets a C core write big outputs without Lua strings per row.
*/
#include <stdio.h>
FILE *lexis_checkstream(lua_State *L, int arg);

/*
** The splitter a "lexis.Splitter" argument holds (src/bind/sentences.c);
** raises if arg is no splitter or a closed one. The caller keeps the
** userdata referenced (a user value) for as long as it uses the splitter.
*/
typedef struct lx_splitter lx_splitter;
const lx_splitter *lexis_check_splitter(lua_State *L, int arg);

/* The corpus a "lexis.Corpus" argument holds (src/bind/corpus.c); raises if
** arg is none or a closed one. */
typedef struct lx_corpus lx_corpus;
lx_corpus *lexis_check_corpus(lua_State *L, int arg);

/*
** A file the input layer skipped (src/input.h: binary, an index), said on
** standard error as "lexis: path: why", so no reader skips one silently.
*/
void lexis_input_skipped(lua_State *L, const char *msg);

#endif
