/*
** wreader.h: what the bindings of the word counters share (src/bind/wreader.c):
** the word reader's options (src/ngrams.h) and the result of a read.
*/
#ifndef LEXIS_BIND_WREADER_H
#define LEXIS_BIND_WREADER_H

#include <lua.h>
#include "../ngrams.h"

/* opts.case at idx (a table, or absent): match a node or `contains` exactly. */
int lexis_opt_case(lua_State *L, int idx);
/* Reads the tokenizer options of the table at t: kinds (a string such as
** "word,number"), lower, fold, normalize, hyphens, apostrophes. */
void lexis_check_tokopts(lua_State *L, int t, lx_tokopts *o);
/* The splitter in opts.splitter (a lexis.Splitter), or NULL. The caller
** keeps the splitter referenced (a user value). */
const lx_splitter *lexis_opts_splitter(lua_State *L, int t);
/* The result of a read into the counter at 1: rc 0 returns it; a skipped
** file is said on stderr and returns it too; ENOMEM raises; otherwise
** nil, err, rc. */
int lexis_read_result(lua_State *L, int rc, const char *err);
/* Reads a file into r (through g's threads when g is given), reporting to
** the progress function at arg, whose error, if any, is raised after. */
int lexis_read_file(lua_State *L, lx_wreader *r, lx_ngrams *g, int threads, const char *path,
                    int arg, char *err, size_t errlen);

#endif
