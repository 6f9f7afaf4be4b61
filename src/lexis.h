/*
** lexis: the Lua module entry point shared by the lexis binary and lexis.so.
*/
#ifndef LEXIS_H
#define LEXIS_H

#include <lua.h>

#define LEXIS_VERSION "0.1.0"

/* require "lexis": the core primitives, the embedded Lua library preloaded. */
int luaopen_lexis(lua_State *L);

/* One embedded Lua file (generated into build/embed.c by src/gen/embed.lua). */
typedef struct {
  const char *module;      /* "lexis.cmd.freq" */
  const char *path;        /* "lua/lexis/cmd/freq.lua", the chunk name's file */
  const unsigned char *source;
  size_t size;
  const unsigned char *code;  /* the same compiled by the build's Lua (string.dump) */
  size_t codesize;
} lexis_embedded;

extern const lexis_embedded lexis_embedded_files[];
extern const size_t lexis_embedded_count;

#endif
