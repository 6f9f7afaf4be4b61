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
#include <errno.h>
#include "../tokenize.h"

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
  X(ngrams) \
  X(collocates) \
  X(keywords) \
  X(partial) \
  X(wordlist) \
  X(sentences) \
  X(text) \
  X(cql) \
  X(cqlrun) \
  X(dfm) \
  X(stem) \
  X(vrt) \
  X(serve)

/* ---------------------------------------------------------------------
** The binding kit (src/bind/kit.c): the one error contract of every
** binding, as Lua's own libraries keep it.
**   - Misuse (a wrong type, a bad option, a path holding a NUL byte)
**     raises, blaming the line of the caller's code: the first Lua frame
**     outside lexis's own modules (lua/lexis/), so an error raised in a
**     primitive under lexis.kwic names the user's line, not kwic.lua's.
**     Called from a built-in command, no frame is the user's: no prefix.
**   - An environmental failure (a file missing or unreadable, a damaged
**     index, Ctrl-C) returns nil, "path: reason", errno.
**   - Out of memory raises Lua's memory error (lexis_nomem).
** ------------------------------------------------------------------- */

/* Raises "not enough memory" as Lua's own allocation failures read: no
** position, so the commands (cli.lua) and the host (main.c) know it for
** what it is, whatever the caller: exit 1, never misuse, no traceback. */
int lexis_nomem(lua_State *L);
/* Does a core's message say memory ran out (it ends with "out of memory",
** lx_strerror's words for ENOMEM, "not enough memory" or strerror(ENOMEM))? A constructor that reports both bad
** arguments and memory in one message buffer (lx_tok_new, lx_query_parse)
** is relayed as misuse only when it does not. */
int lexis_is_nomem(const char *msg);
/* Raises such a core's message: Lua's memory error if it says so, else
** misuse (lexis_misuse). */
int lexis_core_misuse(lua_State *L, const char *msg);

/* Pushes "file:line: " of the first caller outside lexis's Lua modules,
** or "" when there is none. */
void lexis_where(lua_State *L);
/* Raises "file:line: message" (lexis_where) from printf-like arguments. */
int lexis_misuse(lua_State *L, const char *fmt, ...);
/* luaL_argerror's message ("bad argument #arg to 'name' (msg)"), blamed
** on the caller outside lexis (lexis_where). */
int lexis_argerror(lua_State *L, int arg, const char *msg);
/* The path at arg: a string without NUL bytes (a NUL would cut the name
** short and open another file). Raises otherwise. */
const char *lexis_checkpath(lua_State *L, int arg);
/* The path at arg, or def when it is none or nil. */
const char *lexis_optpath(lua_State *L, int arg, const char *def);
/* So that every binding keeps the rule without thinking of it, their raises
** (luaL_argcheck, luaL_argerror, luaL_error) go through the kit. Type
** checks made inside lauxlib (luaL_checkinteger ...) still blame the
** immediate caller. */
#undef luaL_argcheck
#define luaL_argcheck(L, cond, arg, extramsg) ((void)((cond) || lexis_argerror(L, (arg), (extramsg))))
#define luaL_argerror lexis_argerror
#define luaL_error lexis_misuse

/* The result of a core's call: rc 0 pushes nothing and returns 0; ENOMEM
** raises the memory error; otherwise pushes nil, msg (or "path: reason"
** from lx_strerror when msg is NULL or empty), rc and returns 3. */
int lexis_result(lua_State *L, int rc, const char *path, const char *msg);
/* Raises a failure met in the middle of a method that returns no status
** (a damaged block under c:sort, a file changed under c:hit): a table
** { message = msg, errno = e } whose metatable is "lexis.Failure", which
** lexis.contract's public functions return as nil, msg, errno and the
** commands report as a failure (exit 1), never as misuse. */
int lexis_failure(lua_State *L, int e, const char *msg);

/* ---------------------------------------------------------------------
** The binding kit's building blocks (src/bind/kit.c).
** ------------------------------------------------------------------- */

/*
** A box for C memory made while Lua may still raise: pushed (empty)
** before the memory exists, it frees what it holds when collected, so an
** error between malloc and free leaks nothing.
*/
typedef struct lexis_holder {
  void *p;                         /* what it holds, or NULL */
  void (*release)(void *);         /* frees p */
} lexis_holder;
lexis_holder *lexis_holder_new(lua_State *L, void (*release)(void *));
/* Frees now what h holds (it stays on the stack, empty). */
void lexis_holder_release(lexis_holder *h);

/* Creates the metatable name of a userdata type: the metamethods of meta
** and the methods (none when NULL) as its __index table. */
void lexis_createmeta(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods);

/*
** The tokenizer options of the table at t, read the same way for every
** function that tokenizes (lexis.tokens, count, ngrams, collocates, word
** lists, dfm): kinds (a string "word,number" or a list of names; "all" is
** every kind but white space, "all,space" every kind; when absent, the caller's default: a
** tokenizer gives every token, a word counter words and numbers), lower,
** fold, normalize ("nfc", "nfkc"), hyphens, apostrophes (false splits
** don't), pattern (the tokens are its matches), general, stem (a Snowball
** language: lexis_check_stem).
*/
void lexis_check_tokopts(lua_State *L, int t, lx_tokopts *o, unsigned kinds);
/* Raises unless libstemmer can stem lang: misuse for a language it lacks
** (the message lists those it has), a failure (lexis_failure) when the
** library cannot be loaded. */
void lexis_check_stem(lua_State *L, const char *lang);
/* A kind list at idx (a string or a list of names) as LX_KIND_BIT flags. */
unsigned lexis_check_kinds(lua_State *L, int idx);

/* Is w[0..len) (or its ASCII lower case) a key of the set at idx? The
** rule of stop lists in word lists and document-feature matrices. */
int lexis_in_stopset(lua_State *L, int idx, const char *w, size_t len);

/* A collocate row (collocates.h) as a table pushed on the stack, its word
** w[0..len): word, left, right, observed, freq and every measure. */
struct lx_collocate;
void lexis_push_collocate(lua_State *L, const struct lx_collocate *row, const char *w, size_t len);
/* Sets t[name] = x for the table on top of the stack. */
void lexis_setnum(lua_State *L, const char *name, double x);
/* The number t[field] of the options table at t, or dflt when it is nil. */
double lexis_optnum(lua_State *L, int t, const char *field, double dflt);
/* The truth of t[field] of the options table at t, or dflt when it is nil. */
int lexis_optbool(lua_State *L, int t, const char *field, int dflt);

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

/* The options of a reader of annotated files (src/vrt.h) from the table at
** arg, or none (src/bind/vrt.c): p and s hold LX_VRT_MAX_COLUMNS and
** LX_VRT_MAX_STRUCTS names. Raises misuse for a bad one, naming fn. */
struct lx_vrt_opts;
void lexis_check_vrt_opts(lua_State *L, int arg, const char *fn, struct lx_vrt_opts *o,
                          const char **p, const char **s);

#endif
