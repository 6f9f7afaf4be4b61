/*
** The lexis binary: argv, one docall for every chunk the user gives us, and
** start-up. Plays the role lua.c plays for lua(1), with built-in commands and
** a REPL that knows about lexis.
*/
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "alloc.h"
#include "host.h"
#include "lexis.h"
#include "dictseg.h"
#include "mapguard.h"
#include "progress.h"

static const char usage_text[] =
  "usage: lexis [options] [script.lua [args...]]\n"
  "       lexis COMMAND [args...]       (see 'lexis help')\n"
  "Options:\n"
  "  -e CODE     run CODE\n"
  "  -l NAME     require library NAME into global NAME\n"
  "  -i          enter the REPL after running the script\n"
  "  -v, --version  show the version\n"
  "  -h, --help  show this help\n"
  "  --          stop handling options\n"
  "  -           run standard input as a script\n"
  "With no argument, lexis opens the REPL on a terminal and runs standard\n"
  "input as a script otherwise.\n";

/* ---------------------------------------------------------------- Ctrl-C */

/* The state a SIGINT must interrupt; set while a chunk runs. */
static lua_State *running_state;

/*
** The error Ctrl-C raises: a lexis exit object, so lexis_report prints
** "lexis: interrupted" and exits 130 with no traceback, and a script that
** catches it still reads "interrupted" through tostring.
*/
static int interrupted_tostring(lua_State *L) {
  lua_pushliteral(L, "interrupted");
  return 1;
}

static int push_interrupted(lua_State *L) {
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, LEXIS_EXIT_INTERRUPTED);
  lua_setfield(L, -2, "exit");
  lua_pushliteral(L, "interrupted");
  lua_setfield(L, -2, "message");
  if (luaL_newmetatable(L, "lexis.Interrupted")) {
    lua_pushcfunction(L, interrupted_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_setmetatable(L, -2);
  return 1;
}

/*
** A hook cannot be set from a signal handler safely in general, but
** lua_sethook is the one call Lua documents as signal-safe. The hook then
** raises the error at the next instruction, inside the running chunk: in Lua
** code at once, and after a C job at its return (the job itself stops at its
** next chunk, through lx_interrupt: src/progress.h).
*/
static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  lx_interrupt_clear();               /* delivered: the next job may run */
  push_interrupted(L);
  lua_error(L);
}

static void on_sigint(int sig) {
  (void)sig;
  lx_interrupt();
  if (running_state)
    lua_sethook(running_state, stop_hook,
                LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/* ------------------------------------------------------------ docall */

/* Adds a traceback to string errors; keeps lexis exit objects (tables)
** and the memory error (Lua's own, or a binding's lexis_nomem) as they are:
** running out of memory is no bug to trace. */
static int message_handler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg && strcmp(msg, "not enough memory") == 0)
    return 1;
  if (msg == NULL) {
    if (lua_type(L, 1) == LUA_TTABLE)
      return 1;                           /* an exit object: no traceback */
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int lexis_docall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, message_handler);
  lua_insert(L, base);
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  lua_State *outer = running_state;
  running_state = L;
  sigaction(SIGINT, &sa, &old);
  int status = lua_pcall(L, narg, nres, base);
  sigaction(SIGINT, &old, NULL);
  if (outer == NULL)
    lx_interrupt_clear();             /* a Ctrl-C the chunk ended before delivering */
  running_state = outer;
  lua_remove(L, base);
  return status;
}

int lexis_report(lua_State *L, int status) {
  if (status == LUA_OK)
    return 0;
  int code = LEXIS_EXIT_ERROR;
  if (lua_type(L, -1) == LUA_TTABLE) {     /* {exit = n, message = "..."} */
    lua_getfield(L, -1, "exit");
    if (lua_isinteger(L, -1))
      code = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, -1, "message");
    const char *msg = lua_tostring(L, -1);
    if (msg && *msg)
      fprintf(stderr, "lexis: %s\n", msg);
    lua_pop(L, 2);
  } else {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "lexis: %s\n", msg ? msg : "(error object is not a string)");
    lua_pop(L, 1);
  }
  fflush(stderr);
  return code;
}

/* Runs the chunk on top of the stack with no arguments; reports any error. */
static int run_chunk(lua_State *L, int status) {
  if (status == LUA_OK)
    status = lexis_docall(L, 0, 0);
  return lexis_report(L, status);
}

/* ------------------------------------------------------------ start-up */

/* arg = {[-n..-1] = interpreter and its options, [0] = script, [1..] = args} */
static void create_arg_table(lua_State *L, char **argv, int argc, int script) {
  lua_createtable(L, argc - script - 1 > 0 ? argc - script - 1 : 0, script + 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

/* Loads and runs a script file (or stdin for NULL) with argv[first..] as '...'. */
static int run_script(lua_State *L, const char *path, char **argv, int argc, int first) {
  int status = luaL_loadfilex(L, path, NULL);
  if (status != LUA_OK)
    return lexis_report(L, status);
  int n = 0;
  for (int i = first; i < argc; i++, n++) {
    luaL_checkstack(L, 1, "too many arguments to script");
    lua_pushstring(L, argv[i]);
  }
  return lexis_report(L, lexis_docall(L, n, 0));
}

/* require NAME and set global NAME (the -l option). */
static int require_global(lua_State *L, const char *name) {
  lua_getglobal(L, "require");
  lua_pushstring(L, name);
  int status = lexis_docall(L, 1, 1);
  if (status != LUA_OK)
    return lexis_report(L, status);
  lua_setglobal(L, name);
  return 0;
}

/*
** "lexis WORD args": WORD is a built-in command when lua/lexis/cmd/WORD.lua
** exists. Returns -1 when it is not one (the caller then tries a file).
*/
static int run_command(lua_State *L, char **argv, int argc) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "lexis.cli");
  int status = lexis_docall(L, 1, 1);
  if (status != LUA_OK)
    return lexis_report(L, status);
  lua_getfield(L, -1, "main");
  lua_remove(L, -2);
  lua_createtable(L, argc, 0);
  for (int i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i);
  }
  status = lexis_docall(L, 1, 1);
  if (status != LUA_OK)
    return lexis_report(L, status);
  int code = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
  int known = !lua_isnil(L, -1) && !(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
  lua_pop(L, 1);
  return known ? code : -1;
}

/* A command name is a plain lower-case word: never a path or a .lua file. */
static int looks_like_command(const char *s) {
  if (!(*s >= 'a' && *s <= 'z'))
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
      return 0;
  return 1;
}

static int usage_error(const char *fmt, const char *what) {
  fprintf(stderr, "lexis: ");
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\nTry 'lexis --help'.\n");
  return LEXIS_EXIT_USAGE;
}

/* Everything main does, inside a protected call so a memory error is clean. */
static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  int *result = (int *)lua_touserdata(L, 3);

  luaL_checkversion(L);
  luaL_openlibs(L);
  luaL_requiref(L, "lexis", luaopen_lexis, 1);   /* the global 'lexis' */
  lua_pop(L, 1);

  /* lexis COMMAND ...: built-in commands come before scripts of that name. */
  if (argc > 1 && looks_like_command(argv[1])) {
    create_arg_table(L, argv, argc, 0);
    int code = run_command(L, argv, argc);
    if (code >= 0) {
      *result = code;
      return 0;
    }
    if (access(argv[1], F_OK) != 0) {
      *result = usage_error("'%s' is neither a command nor a file (see 'lexis help')", argv[1]);
      return 0;
    }
  }

  int interactive = 0, ran_code = 0, script = 0, i;
  for (i = 1; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    } else if (strcmp(a, "-") == 0) {
      break;
    } else if (strcmp(a, "-i") == 0) {
      interactive = 1;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
      printf("lexis %s (%s)\n", LEXIS_VERSION, LUA_RELEASE);
      ran_code = 1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_text, stdout);
      *result = 0;
      return 0;
    } else if (strcmp(a, "-e") == 0 || strcmp(a, "-l") == 0) {
      if (i + 1 >= argc) {
        *result = usage_error("option '%s' needs an argument", a);
        return 0;
      }
      i++;
    } else {
      *result = usage_error("unknown option '%s'", a);
      return 0;
    }
  }
  script = i < argc ? i : 0;
  create_arg_table(L, argv, argc, script ? script : argc);

  /* -e and -l run in order, before the script. */
  for (int j = 1; j < (script ? script : argc); j++) {
    if (strcmp(argv[j], "--") == 0)
      break;
    if (strcmp(argv[j], "-e") == 0) {
      j++;
      ran_code = 1;
      int code = run_chunk(L, luaL_loadbuffer(L, argv[j], strlen(argv[j]), "=(command line)"));
      if (code) {
        *result = code;
        return 0;
      }
    } else if (strcmp(argv[j], "-l") == 0) {
      j++;
      int code = require_global(L, argv[j]);
      if (code) {
        *result = code;
        return 0;
      }
    }
  }

  if (script) {
    const char *path = strcmp(argv[script], "-") == 0 ? NULL : argv[script];
    int code = run_script(L, path, argv, argc, script + 1);
    if (code) {
      *result = code;
      return 0;
    }
  }
  if (interactive) {
    lexis_repl(L);
  } else if (!script && !ran_code) {
    if (isatty(STDIN_FILENO)) {
      lexis_repl(L);
    } else {
      int code = run_script(L, NULL, argv, argc, argc);
      if (code) {
        *result = code;
        return 0;
      }
    }
  }
  *result = 0;
  return 0;
}

/*
** A mapped file that shrinks under us (an index rebuilt in place, a text
** truncated by log rotation) raises SIGBUS on the next touch past its end.
** The host owns the process's signals, so it turns that into an error
** naming the file (src/mapguard.c knows which mapping the address is in);
** an address no mapping of ours holds dies of the signal as before.
** lexis.so in another program installs nothing.
*/
static void on_sigbus(int sig, siginfo_t *info, void *ctx) {
  (void)ctx;
  const char *path = lx_guard_find(info->si_addr);
  if (!path) { signal(sig, SIG_DFL); return; }          /* re-faults, and dies */
  /* Several workers can touch the lost pages at once: the first one
  ** reports and exits, the others wait for that exit, so the message is
  ** said once and whole. */
  static atomic_flag reported = ATOMIC_FLAG_INIT;
  if (atomic_flag_test_and_set(&reported)) for (;;) pause();
  static const char a[] = "lexis: ", b[] = ": the file shrank while it was being read "
                          "(truncated or rewritten by another program)\n";
  char msg[4096];
  size_t n = 0, len = strlen(path);
  if (len > sizeof msg - sizeof a - sizeof b) len = sizeof msg - sizeof a - sizeof b;
  memcpy(msg, a, sizeof a - 1); n += sizeof a - 1;
  memcpy(msg + n, path, len); n += len;
  memcpy(msg + n, b, sizeof b - 1); n += sizeof b - 1;
  ssize_t r = write(2, msg, n);
  (void)r;
  _exit(LEXIS_EXIT_ERROR);
}

/* ------------------------------------------------- allocation failure tests */

/* LEXIS_TEST_LUA_ALLOC_FAIL=N makes the N-th allocation of the Lua state and
** every later one fail until the script has ended (then the error is
** reported with memory again), as LEXIS_TEST_ALLOC_FAIL does for the cores
** (alloc.h). tests/memerr_spec.lua loops N over each command. */
static size_t lua_fail_at, lua_allocs;
static int lua_failing_armed;

static void *failing_alloc(void *ud, void *p, size_t osize, size_t nsize) {
  (void)ud; (void)osize;
  if (nsize == 0) { free(p); return NULL; }
  if (lua_failing_armed && nsize > osize && ++lua_allocs >= lua_fail_at) return NULL;
  return realloc(p, nsize);
}

static size_t env_count(const char *name) {
  const char *v = getenv(name);
  if (!v || !*v) return 0;
  char *end;
  unsigned long long n = strtoull(v, &end, 10);
  return *end ? 0 : (size_t)n;
}

/* LEXIS_TEST_ALLOC_COUNT=1 counts both kinds of allocation, failing none,
** and says the counts on stderr at exit (alloc_counts_report), so a test
** knows the range of N to loop over. */
static int counting_allocs;

static void arm_failure_tests(lua_State *L) {
  lx_alloc_fail_at = env_count("LEXIS_TEST_ALLOC_FAIL");
  lua_fail_at = env_count("LEXIS_TEST_LUA_ALLOC_FAIL");
  counting_allocs = env_count("LEXIS_TEST_ALLOC_COUNT") != 0;
  if (counting_allocs) {
    if (!lx_alloc_fail_at) lx_alloc_fail_at = SIZE_MAX;
    if (!lua_fail_at) lua_fail_at = SIZE_MAX;
  }
  if (lua_fail_at) { lua_setallocf(L, failing_alloc, NULL); lua_failing_armed = 1; }
}

static void alloc_counts_report(void) {
  if (counting_allocs)
    fprintf(stderr, "lexis: test: %zu core allocations, %zu Lua allocations\n", lx_alloc_calls(),
            lua_allocs);
}

int main(int argc, char **argv) {
  struct sigaction bus;
  memset(&bus, 0, sizeof bus);
  bus.sa_sigaction = on_sigbus;
  bus.sa_flags = SA_SIGINFO;
  sigemptyset(&bus.sa_mask);
  sigaction(SIGBUS, &bus, NULL);
  lua_State *L = luaL_newstate();
  if (L == NULL) {
    fprintf(stderr, "lexis: cannot create Lua state: not enough memory\n");
    return EXIT_FAILURE;
  }
  arm_failure_tests(L);
  int result = LEXIS_EXIT_ERROR;
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  lua_pushlightuserdata(L, &result);
  int status = lua_pcall(L, 3, 0, 0);
  lua_failing_armed = 0;
  alloc_counts_report();
  /* no silent change of how words are cut: text that needed ICU's
  ** dictionaries was cut without them */
  if (lx_dict_missing())
    fprintf(stderr, "lexis: ICU could not be loaded (%s): Chinese, Japanese, Thai, Lao, Khmer "
            "and Myanmar were cut a character a token, not into words\n", lx_dict_missing());
  if (status != LUA_OK)
    result = lexis_report(L, status);
  /* Flush before closing so a write error on stdout (a full disk) is
  ** reported instead of lost; ferror catches one an earlier flush met. */
  errno = 0;
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "lexis: error writing output%s%s\n", errno ? ": " : "",
            errno ? strerror(errno) : "");
    if (result == 0)
      result = LEXIS_EXIT_ERROR;
  }
  lua_close(L);
  return result;
}
