/*
** The binding of input.c (the input layer):
**   expand({names}) -> files, warnings   directories walked, globs expanded
**   sniff(path) -> kind [, message, enc]  "text", "binary", "index", "refused",
**                                         "other" (not opened), or nil, err, errno
**   filesize(path) -> bytes               0 for anything but a regular file
**   input(path) -> lexis.Input            in:read(n), in:close(): for Lua readers
** lua/lexis/cli.lua and the Lua API (lexis.kwic, lexis.corpus, lexis.count,
** the statistics) turn names into files with expand, so every command and
** function reads the same documents in the same order.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bind.h"
#include "../input.h"

#define NAMES "lexis.Names"
#define INPUT "lexis.Input"

/* ------------------------------------------------------------ lexis.Input */

/* A document open for Lua code that reads text itself (lua/lexis/sentences.lua):
** the same descriptor, sniff and policy as the C readers. */
typedef struct ibox {
  lx_input in;           /* in.fd < 0 once closed */
} ibox;

static int input_close(lua_State *L) {
  ibox *b = luaL_checkudata(L, 1, INPUT);
  lx_input_close(&b->in);
  return 0;
}

/*
** input(path) -> a lexis.Input to read; false, "path: why" when the policy
** skips it (binary; said on stderr too); nil, "path: reason", errno when it
** cannot be opened or is refused (UTF-16 without a byte-order mark: EILSEQ)
** or its compressed data is damaged (EBADMSG, the message says where).
*/
static int input_new(lua_State *L) {
  luaL_checkstring(L, 1);
  ibox *b = lua_newuserdatauv(L, sizeof *b, 1);
  b->in.fd = -1;                      /* closed until opened */
  luaL_setmetatable(L, INPUT);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);        /* in.name points into the path */
  char err[1024];
  int code;
  int r = lx_input_open(&b->in, lua_tostring(L, 1), err, sizeof err, &code);
  if (r == 0) return 1;
  lx_input_close(&b->in);
  if (r > 0) {
    lexis_input_skipped(L, err);
    lua_pushboolean(L, 0);
    lua_pushstring(L, err);
    return 2;
  }
  lua_pushnil(L);
  lua_pushstring(L, err);
  lua_pushinteger(L, code);
  return 3;
}

/* in:read(n) -> up to n bytes (the sniffed head first), nil at the end, or
** nil, "path: reason", errno */
static int input_read(lua_State *L) {
  ibox *b = luaL_checkudata(L, 1, INPUT);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, b->in.fd >= 0, 1, "input is closed");
  luaL_argcheck(L, n > 0, 2, "must be positive");
  luaL_Buffer buf;
  char *p = luaL_buffinitsize(L, &buf, (size_t)n);
  size_t got = 0;
  while (got < (size_t)n) {           /* full reads, as a file's read(n) gives */
    long r = lx_input_read(&b->in, p + got, (size_t)n - got);
    if (r < 0) {
      int e = errno;
      lua_pushnil(L);
      lua_pushfstring(L, "%s: %s", b->in.name, lx_input_strerror(&b->in, e));
      lua_pushinteger(L, e);
      return 3;
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  if (got == 0) {
    lua_pushnil(L);
    return 1;
  }
  luaL_pushresultsize(&buf, got);
  return 1;
}

static int input_tostring(lua_State *L) {
  ibox *b = luaL_checkudata(L, 1, INPUT);
  lua_pushfstring(L, "lexis.Input (%s)", b->in.fd >= 0 ? b->in.name : "closed");
  return 1;
}

static const luaL_Reg input_meta[] = {
  { "__gc", input_close },
  { "__close", input_close },
  { "__tostring", input_tostring },
  { NULL, NULL }
};

static const luaL_Reg input_methods[] = {
  { "read", input_read },
  { "close", input_close },
  { NULL, NULL }
};

/* The list lives in a userdata while strings are pushed, so a memory error
** there frees it (__gc) instead of leaking it. */
static int names_gc(lua_State *L) {
  lx_names_free(luaL_checkudata(L, 1, NAMES));
  return 0;
}

static int input_expand(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = (lua_Integer)luaL_len(L, 1);
  const char **names = lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *names, 0);   /* 2 */
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, 1, i);
    names[i - 1] = lexis_checkpath(L, -1);    /* still referenced by the table; no NUL byte */
    lua_pop(L, 1);
  }
  lx_names *out = lua_newuserdatauv(L, sizeof *out, 0);                 /* 3 */
  memset(out, 0, sizeof *out);
  luaL_setmetatable(L, NAMES);
  if (lx_input_expand(names, (size_t)n, out)) return lexis_nomem(L);
  lua_createtable(L, (int)out->n, 0);
  for (size_t i = 0; i < out->n; i++) {
    lua_pushstring(L, out->path[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_createtable(L, (int)out->nwarn, 0);
  for (size_t i = 0; i < out->nwarn; i++) {
    lua_pushstring(L, out->warn[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lx_names_free(out);
  return 2;
}

/*
** sniff(path) -> kind [, message]: the policy's verdict on a regular file,
** before a command starts work on it (a refusal then costs nothing): "text",
** "binary", "index", "refused", "damaged index" or "compressed" (gzip, bzip2,
** xz, zstd: read through a decoder; what it holds is judged when it is read,
** and the message names the codec) or "encoded" (UTF-16/32 with a
** byte-order mark, or without one, or a text clearly not UTF-8 whose
** encoding was detected: converted to UTF-8 when read; enc is the iconv
** name it is read in, the message says how it was found) or "html", "xml" (read
** without the markup, through libxml2). Anything else is not opened: "other" (a
** FIFO or a pipe would lose the bytes read here, so only its reader sniffs
** it, from the descriptor it reads), "stdin" for "-"; nil, "path: reason",
** errno when the file cannot be found or opened.
*/
static int input_sniff(lua_State *L) {
  static const char *const kinds[] = { "text", "binary", "index", "refused", "damaged index", "compressed",
                                       "encoded", "html", "xml", "document" };
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  if (strcmp(path, "-") == 0) {
    lua_pushliteral(L, "stdin");
    return 1;
  }
  if (stat(path, &st) != 0) return luaL_fileresult(L, 0, path);
  if (S_ISDIR(st.st_mode)) {
    lua_pushliteral(L, "directory");
    return 1;
  }
  if (!S_ISREG(st.st_mode)) {
    lua_pushliteral(L, "other");
    return 1;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return luaL_fileresult(L, 0, path);
  char head[LX_SNIFF_BYTES], msg[1024], from[64];
  ssize_t r = pread(fd, head, sizeof head, 0);
  int e = errno;
  close(fd);
  if (r < 0) {
    errno = e;
    return luaL_fileresult(L, 0, path);
  }
  int k = lx_sniff_from(head, (size_t)r, path, msg, sizeof msg, from, sizeof from);
  lua_pushstring(L, kinds[k]);
  if (k == LX_SNIFF_TEXT) return 1;
  lua_pushstring(L, msg);
  if (k != LX_SNIFF_ENCODED) return 2;
  lua_pushstring(L, from);
  return 3;
}

/* filesize(path) -> bytes of a regular file, else 0. Never opens it: a
** FIFO would block, and a pipe would lose what a read took. */
static int input_filesize(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  int reg = strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
  lua_pushinteger(L, reg ? (lua_Integer)st.st_size : 0);
  return 1;
}

void lexis_input_skipped(lua_State *L, const char *msg) {
  (void)L;
  fflush(stdout);                 /* in order with what came before, when both are a terminal */
  fprintf(stderr, "lexis: %s\n", msg);
}

/* The input layer's notes (input.h): on stderr, as a skipped file is said. */
static void input_warn(const char *msg) {
  static char last[600];            /* a file opened again (kwic shows its hits) is not said twice */
  if (strncmp(last, msg, sizeof last - 1) == 0) return;
  snprintf(last, sizeof last, "%s", msg);
  lexis_input_skipped(NULL, msg);
}

/* set_encoding(name) -> true, or nil, message: the encoding of the text
** files opened from now on (nil or "utf-8": UTF-8). */
static int input_set_encoding(lua_State *L) {
  const char *name = luaL_optstring(L, 1, NULL);
  if (lx_input_set_encoding(name) == 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushfstring(L, "unknown encoding '%s' (iconv -l lists the names iconv knows)", name);
  return 2;
}

void lexis_open_input(lua_State *L) {
  lx_input_set_warn(input_warn);
  lua_pushcfunction(L, input_set_encoding);
  lua_setfield(L, -2, "set_encoding");
  luaL_newmetatable(L, INPUT);
  luaL_setfuncs(L, input_meta, 0);
  luaL_newlib(L, input_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, input_new);
  lua_setfield(L, -2, "input");
  luaL_newmetatable(L, NAMES);
  lua_pushcfunction(L, names_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_pushcfunction(L, input_expand);
  lua_setfield(L, -2, "expand");
  lua_pushcfunction(L, input_sniff);
  lua_setfield(L, -2, "sniff");
  lua_pushcfunction(L, input_filesize);
  lua_setfield(L, -2, "filesize");
}
