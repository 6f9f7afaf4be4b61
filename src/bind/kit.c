/*
** kit.c: the binding kit (declared in bind.h): the error contract, holder
** boxes, metatables, field pushers. Not a Lua module of its own;
** core.raise gives Lua code under lua/lexis/ the same blame rule as the C
** bindings.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>

#include "bind.h"
#include "../errors.h"
#include "../stem.h"

/* Is this frame's code one of lexis's own Lua modules? Embedded ones are
** named "@lua/lexis/x.lua"; loaded from LEXIS_LUA_DIR, "@DIR/lexis/x.lua". */
static int lexis_module(const lua_Debug *ar) {
  return ar->source[0] == '@' &&
         (strncmp(ar->source + 1, "lua/lexis/", 10) == 0 || strstr(ar->source, "/lua/lexis/") != NULL);
}

void lexis_where(lua_State *L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline <= 0 || lexis_module(&ar))
      continue;                       /* C functions (pcall too) and lexis code */
    lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
    return;
  }
  lua_pushliteral(L, "");
}

int lexis_misuse(lua_State *L, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lexis_where(L);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  lua_concat(L, 2);
  return lua_error(L);
}

int lexis_nomem(lua_State *L) {
  lua_pushliteral(L, "not enough memory");
  return lua_error(L);
}

int lexis_is_nomem(const char *msg) {
  const char *const words[] = { "out of memory", "not enough memory", strerror(ENOMEM) };
  size_t n = strlen(msg);
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    size_t k = strlen(words[i]);
    if (n >= k && strcmp(msg + n - k, words[i]) == 0) return 1;
  }
  return 0;
}

int lexis_core_misuse(lua_State *L, const char *msg) {
  return lexis_is_nomem(msg) ? lexis_nomem(L) : lexis_misuse(L, "%s", msg);
}

int lexis_failure(lua_State *L, int e, const char *msg) {
  if (e == ENOMEM) return lexis_nomem(L);
  lua_createtable(L, 0, 2);
  lua_pushstring(L, msg);
  lua_setfield(L, -2, "message");
  lua_pushinteger(L, e);
  lua_setfield(L, -2, "errno");
  if (luaL_newmetatable(L, "lexis.Failure")) {       /* the first failure makes it */
    lua_pushliteral(L, "lexis.Failure");
    lua_setfield(L, -2, "__name");
  }
  lua_setmetatable(L, -2);
  return lua_error(L);
}

int lexis_argerror(lua_State *L, int arg, const char *msg) {
  lua_Debug ar;
  const char *name = "?";
  if (lua_getstack(L, 0, &ar)) {
    lua_getinfo(L, "n", &ar);
    if (ar.name) name = ar.name;
    if (ar.namewhat && strcmp(ar.namewhat, "method") == 0 && --arg == 0)
      return lexis_misuse(L, "calling '%s' on bad self (%s)", name, msg);
  }
  return lexis_misuse(L, "bad argument #%d to '%s' (%s)", arg, name, msg);
}

const char *lexis_checkpath(lua_State *L, int arg) {
  size_t len;
  if (lua_type(L, arg) != LUA_TSTRING && lua_type(L, arg) != LUA_TNUMBER)
    lexis_argerror(L, arg, lua_pushfstring(L, "string expected, got %s", luaL_typename(L, arg)));
  const char *path = lua_tolstring(L, arg, &len);
  if (strlen(path) != len)
    lexis_argerror(L, arg, "a path holds a NUL byte");
  return path;
}

const char *lexis_optpath(lua_State *L, int arg, const char *def) {
  return lua_isnoneornil(L, arg) ? def : lexis_checkpath(L, arg);
}

int lexis_result(lua_State *L, int rc, const char *path, const char *msg) {
  if (rc == 0) return 0;
  if (rc == ENOMEM) return lexis_nomem(L);
  lua_pushnil(L);
  if (msg && *msg) lua_pushstring(L, msg);
  else if (path) lua_pushfstring(L, "%s: %s", path, lx_strerror(rc));
  else lua_pushstring(L, lx_strerror(rc));
  lua_pushinteger(L, rc);
  return 3;
}

/* ==================================================================
** Holders, metatables, fields
** ================================================================== */

#define HOLDER "lexis.Holder"

static int holder_gc(lua_State *L) {
  lexis_holder *h = luaL_checkudata(L, 1, HOLDER);
  if (h->p) h->release(h->p);
  h->p = NULL;
  return 0;
}

lexis_holder *lexis_holder_new(lua_State *L, void (*release)(void *)) {
  lexis_holder *h = lua_newuserdatauv(L, sizeof *h, 0);
  h->p = NULL;
  h->release = release;
  if (luaL_newmetatable(L, HOLDER)) {               /* the first holder makes it */
    lua_pushcfunction(L, holder_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return h;
}

void lexis_holder_release(lexis_holder *h) {
  if (h->p) h->release(h->p);
  h->p = NULL;
}

void lexis_createmeta(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods) {
  luaL_newmetatable(L, name);
  luaL_setfuncs(L, meta, 0);
  if (methods) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
}

void lexis_setnum(lua_State *L, const char *name, double x) {
  lua_pushnumber(L, x);
  lua_setfield(L, -2, name);
}

double lexis_optnum(lua_State *L, int t, const char *field, double dflt) {
  lua_getfield(L, t, field);
  double v = (double)luaL_optnumber(L, -1, dflt);
  lua_pop(L, 1);
  return v;
}

/* A stop list's rule, the one freq applies too (lua/lexis/tokenize.lua
** drop_stop): is the word, or its lower case, a key of the set at idx?
** Lower case by Unicode (libunistring) when the word is not ASCII. */
int lexis_in_stopset(lua_State *L, int idx, const char *s, size_t len) {
  lua_pushlstring(L, s, len);
  int hit = lua_rawget(L, idx) != LUA_TNIL;
  lua_pop(L, 1);
  if (hit) return 1;
  int ascii = 1;
  for (size_t i = 0; i < len && ascii; i++) ascii = (unsigned char)s[i] < 0x80;
  if (!ascii) {
    /* lower-cased into a buffer of ours: nothing malloced may be held
    ** while Lua can raise (a stop word is never this long) */
    uint8_t low[512];
    size_t n = sizeof low;
    uint8_t *r = u8_tolower((const uint8_t *)s, len, NULL, NULL, low, &n);
    if (r != low) {
      free(r);                         /* longer than any stop word, or no memory */
      return 0;
    }
    if (n == len && memcmp(low, s, n) == 0) return 0;
    lua_pushlstring(L, (const char *)low, n);
    hit = lua_rawget(L, idx) != LUA_TNIL;
    lua_pop(L, 1);
    return hit;
  }
  luaL_Buffer B;
  char *d = luaL_buffinitsize(L, &B, len);
  int changed = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    d[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    changed |= d[i] != s[i];
  }
  luaL_pushresultsize(&B, len);
  hit = changed && lua_rawget(L, idx) != LUA_TNIL;
  lua_pop(L, 1);
  return hit;
}

/* One kind name or "all" into *kinds. "all" is every kind that carries
** text: white space only when named too ("all,space"), so that n-grams,
** collocates and word lists with -k all are of words and punctuation, and
** one rule holds everywhere. */
static void add_kind(lua_State *L, const char *s, size_t len, unsigned *kinds) {
  if (len == 3 && memcmp(s, "all", 3) == 0) {
    *kinds |= LX_KINDS_ALL & ~LX_KIND_BIT(LX_SPACE);
    return;
  }
  int k = lx_kind_parse(s, len);
  if (k < 0)
    luaL_error(L, "unknown token kind '%s' (word, number, punct, symbol, space, invalid, all)",
               lua_pushlstring(L, s, len));
  *kinds |= LX_KIND_BIT(k);
}

unsigned lexis_check_kinds(lua_State *L, int idx) {
  unsigned kinds = 0;
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len), *end = s + len;
    while (s < end) {
      const char *e = s;
      while (e < end && *e != ',' && *e != ' ') e++;
      if (e > s) add_kind(L, s, (size_t)(e - s), &kinds);
      s = e + 1;
    }
  } else if (lua_istable(L, idx)) {
    lua_Integer n = luaL_len(L, idx);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, idx, i);
      size_t len;
      const char *s = luaL_checklstring(L, -1, &len);
      add_kind(L, s, len, &kinds);
      lua_pop(L, 1);
    }
  } else {
    luaL_error(L, "kinds must be a string or a list of strings");
  }
  if (!kinds) luaL_error(L, "no token kinds given");
  return kinds;
}

int lexis_optbool(lua_State *L, int t, const char *field, int dflt) {
  int ty = lua_getfield(L, t, field);
  int v = ty == LUA_TNIL ? dflt : lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

void lexis_check_tokopts(lua_State *L, int t, lx_tokopts *o, unsigned kinds) {
  static const char *const norms[] = { "none", "nfc", "nfkc", NULL };
  memset(o, 0, sizeof *o);
  o->kinds = kinds;
  if (lua_getfield(L, t, "kinds") != LUA_TNIL) o->kinds = lexis_check_kinds(L, lua_gettop(L));
  lua_pop(L, 1);
  if (lexis_optbool(L, t, "lower", 0)) o->casing = LX_CASE_LOWER;
  if (lexis_optbool(L, t, "fold", 0)) o->casing = LX_CASE_FOLD;
  lua_getfield(L, t, "normalize");
  o->norm = luaL_checkoption(L, -1, "none", norms);
  lua_pop(L, 1);
  o->join_hyphens = lexis_optbool(L, t, "hyphens", 0);
  o->split_apostrophes = !lexis_optbool(L, t, "apostrophes", 1);
  o->general = lexis_optbool(L, t, "general", 0);
  o->no_dictionary = !lexis_optbool(L, t, "dictionary", 1);
  if (lua_getfield(L, t, "pattern") != LUA_TNIL) {
    size_t len;
    o->pattern = luaL_checklstring(L, -1, &len);   /* the options table keeps it alive */
    o->patlen = len;
  }
  lua_pop(L, 1);
  lua_getfield(L, t, "stem");
  if (lua_toboolean(L, -1)) {
    o->stem = luaL_checkstring(L, -1);             /* the options table keeps it alive */
    lexis_check_stem(L, o->stem);
    if (o->casing == LX_CASE_KEEP) o->casing = LX_CASE_LOWER;   /* as lx_tok_new takes it */
  }
  lua_pop(L, 1);
}

/* Can lang be stemmed? The tokenizers made later make their own stemmers:
** asking here first sorts the ways it can fail (an unknown language is
** misuse, a missing libstemmer a failure) before anything is allocated. */
void lexis_check_stem(lua_State *L, const char *lang) {
  char err[768];
  lx_stemmer *st = lx_stem_new(lang, err, sizeof err);
  if (st) {
    lx_stem_free(st);
    return;
  }
  int e = errno;
  if (e == ENOMEM) lexis_nomem(L);
  if (e == EINVAL) lexis_misuse(L, "stem: %s", err);
  lexis_failure(L, e, err);
}
