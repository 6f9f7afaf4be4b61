/*
** What the lexis binary's pieces (main.c, repl.c) share: running a chunk
** with a traceback and Ctrl-C handling, and reporting its error.
*/
#ifndef LEXIS_HOST_H
#define LEXIS_HOST_H

#include <lua.h>

/* Exit statuses: a script's error, and a usage error (bad option, no file). */
#define LEXIS_EXIT_ERROR 1
#define LEXIS_EXIT_USAGE 2
/* Ctrl-C: what a shell reports for a process killed by SIGINT. */
#define LEXIS_EXIT_INTERRUPTED 130

/*
** Calls the function below its narg arguments on the stack, with a message
** handler that adds a traceback, and with Ctrl-C turned into a Lua error.
** Returns the lua_pcall status; on error the message is left on the stack.
*/
int lexis_docall(lua_State *L, int narg, int nres);

/*
** Prints the error on top of the stack ("lexis: file:line: message" and a
** traceback) to stderr, pops it, and returns the exit status it calls for:
** LEXIS_EXIT_ERROR, or the status a lexis exit object asks for.
*/
int lexis_report(lua_State *L, int status);

/* The interactive loop (repl.c). Returns when the user leaves. */
void lexis_repl(lua_State *L);

#endif
