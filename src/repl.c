/*
** The interactive loop: line editing and history through libedit's
** readline interface, multi-line chunks, values printed without '=',
** completion of globals and fields, Ctrl-C that returns to the prompt.
** Printing and completion are decided in lua/lexis/repl.lua; this file
** only moves lines between the terminal and Lua.
*/
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <editline/readline.h>

#include <lua.h>
#include <lauxlib.h>

#include "host.h"
#include "lexis.h"

#define HISTORY_LINES 1000

/* -------------------------------------------------------------- input */

/* Set while readline waits, so Ctrl-C abandons the line being typed. */
static sigjmp_buf prompt_jump;
static volatile sig_atomic_t at_prompt;

static void on_prompt_sigint(int sig) {
  (void)sig;
  if (at_prompt) {
    at_prompt = 0;
    siglongjmp(prompt_jump, 1);
  }
}

/*
** One line from the user, without its newline, malloced; NULL at end of
** input. On a terminal, libedit edits it; otherwise (piped input, tests)
** it is read plainly and no prompt is shown, so the output is only results.
*/
static char *read_line(int tty, const char *prompt) {
  if (!tty) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
      free(line);
      return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
      line[n - 1] = '\0';
    return line;
  }
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_prompt_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old);
  char *line;
  while (sigsetjmp(prompt_jump, 1) != 0)
    fputs("^C\n", stdout);              /* the line is dropped; ask again */
  at_prompt = 1;
  line = readline(prompt);
  at_prompt = 0;
  sigaction(SIGINT, &old, NULL);
  return line;
}

/* ------------------------------------------------------------ history */

/* $XDG_STATE_HOME/lexis/history, or ~/.local/state/lexis/history. */
static char *history_path(void) {
  const char *state = getenv("XDG_STATE_HOME");
  const char *home = getenv("HOME");
  char dir[4096];
  if (state && *state == '/')
    snprintf(dir, sizeof dir, "%s/lexis", state);
  else if (home && *home)
    snprintf(dir, sizeof dir, "%s/.local/state/lexis", home);
  else
    return NULL;
  /* mkdir -p: each missing level; failure shows up when saving. */
  for (char *p = dir + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(dir, 0700);
      *p = '/';
    }
  mkdir(dir, 0700);
  char *path = malloc(strlen(dir) + sizeof "/history");
  if (path)
    sprintf(path, "%s/history", dir);
  return path;
}

/* --------------------------------------------------------- completion */

static lua_State *completion_state;

/*
** Asks lexis.repl.complete(word) for candidates; returns them in the form
** readline wants: [0] the common prefix, then each match, then NULL.
*/
static char **complete(const char *text, int start, int end) {
  (void)end;
  rl_attempted_completion_over = 1;         /* never fall back to file names */
  lua_State *L = completion_state;
  int top = lua_gettop(L);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "lexis.repl");
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
    lua_settop(L, top);
    return NULL;
  }
  lua_getfield(L, -1, "complete");
  lua_pushstring(L, text);
  lua_pushlstring(L, rl_line_buffer, (size_t)start);   /* the line before the word */
  if (lua_pcall(L, 2, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
    lua_settop(L, top);
    return NULL;
  }
  size_t n = lua_rawlen(L, -1);
  char **matches = n ? calloc(n + 2, sizeof *matches) : NULL;
  if (matches == NULL) {
    lua_settop(L, top);
    return NULL;
  }
  size_t common = SIZE_MAX;
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i);
    const char *s = lua_tostring(L, -1);
    matches[i] = strdup(s ? s : "");
    lua_pop(L, 1);
    size_t k = 0;
    if (i > 1)
      while (matches[1][k] && matches[1][k] == matches[i][k] && k < common)
        k++;
    common = i == 1 ? strlen(matches[1]) : k;
  }
  matches[0] = strndup(matches[1], common);
  rl_completion_append_character = n == 1 ? ' ' : '\0';
  /* A table or a function call completes without the space after it. */
  if (n == 1) {
    size_t len = strlen(matches[1]);
    if (len && strchr(".:(", matches[1][len - 1]))
      rl_completion_append_character = '\0';
  }
  lua_settop(L, top);
  return matches;
}

/* --------------------------------------------------------------- loop */

/* Compiles "return LINE" so an expression prints without '='. */
static int load_expression(lua_State *L, const char *line) {
  const char *code = lua_pushfstring(L, "return %s;", line);
  int status = luaL_loadbuffer(L, code, strlen(code), "=stdin");
  lua_remove(L, -2);
  if (status != LUA_OK)
    lua_pop(L, 1);
  return status;
}

/* An incomplete chunk: the parser stopped at the end of the input. */
static int incomplete(lua_State *L, int status) {
  if (status != LUA_ERRSYNTAX)
    return 0;
  size_t len;
  const char *msg = lua_tolstring(L, -1, &len);
  return len >= 5 && strcmp(msg + len - 5, "<eof>") == 0;
}

/*
** Reads one chunk: an expression, or statements continued over as many
** lines as it takes to complete them. Leaves the compiled chunk (or the
** syntax error) on the stack; returns -1 at end of input.
*/
static int read_chunk(lua_State *L, int tty) {
  char *line = read_line(tty, "> ");
  if (line == NULL)
    return -1;
  if (*line && tty)
    add_history(line);
  if (load_expression(L, line) == LUA_OK) {
    free(line);
    return LUA_OK;
  }
  lua_pushstring(L, line);
  free(line);
  for (;;) {
    size_t len;
    const char *chunk = lua_tolstring(L, -1, &len);
    int status = luaL_loadbuffer(L, chunk, len, "=stdin");
    char *more = NULL;
    if (incomplete(L, status))
      more = read_line(tty, ">> ");
    if (more == NULL) {                    /* complete, or input ended */
      lua_remove(L, -2);
      return status;
    }
    lua_pop(L, 1);                         /* the <eof> message */
    if (*more && tty)
      add_history(more);
    lua_pushliteral(L, "\n");
    lua_pushstring(L, more);
    free(more);
    lua_concat(L, 3);
  }
}

/* Prints the values a chunk returned through lexis.repl.show(...). */
static void show_results(lua_State *L, int base) {
  int n = lua_gettop(L) - base;
  if (n == 0)
    return;
  lua_getglobal(L, "require");
  lua_pushliteral(L, "lexis.repl");
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
    lua_getfield(L, -1, "show");
    lua_remove(L, -2);
    lua_insert(L, base + 1);
    int status = lexis_docall(L, n, 0);
    if (status != LUA_OK)
      lexis_report(L, status);
  } else {
    lexis_report(L, LUA_ERRRUN);
  }
  lua_settop(L, base);
}

void lexis_repl(lua_State *L) {
  int tty = isatty(STDIN_FILENO);
  char *history = NULL;
  if (tty) {
    rl_readline_name = "lexis";
    rl_catch_signals = 0;
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,+-*/%^~#[]";
    rl_attempted_completion_function = complete;
    completion_state = L;
    history = history_path();
    if (history)
      read_history(history);
    printf("lexis %s (%s)  Ctrl-D leaves; try lexis.help()\n", LEXIS_VERSION, LUA_RELEASE);
  }
  for (;;) {
    int base = lua_gettop(L);
    int status = read_chunk(L, tty);
    if (status == -1)
      break;
    if (status == LUA_OK)
      status = lexis_docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK)
      show_results(L, base);
    else
      lexis_report(L, status);
    lua_settop(L, base);
    fflush(stdout);
  }
  if (tty) {
    fputc('\n', stdout);
    if (history) {
      stifle_history(HISTORY_LINES);
      if (write_history(history) != 0)
        fprintf(stderr, "lexis: cannot save history to %s: %s\n", history, strerror(errno));
      free(history);
    }
  }
}
