/*
** Snowball stemming (src/stem.c) for Lua:
**   stem(word, lang)  -> the stem of word, lower-cased first
** A stemmer per language is made on first use and kept (a "lexis.Stemmer"
** userdata in a registry table), so stemming a list word by word does not
** make one per call. The word options' stem (lexis_check_tokopts) goes
** through the tokenizer instead.
*/
#include <unicase.h>
#include <unistr.h>

#include "bind.h"
#include "../stem.h"

#define LEXIS_STEMMER "lexis.Stemmer"
#define STEMMERS "lexis.stemmers"     /* registry: language -> its Stemmer */

typedef struct {
  lx_stemmer *st;          /* NULL once closed */
} stem_box;

static int stem_close(lua_State *L) {
  stem_box *b = luaL_checkudata(L, 1, LEXIS_STEMMER);
  lx_stem_free(b->st);
  b->st = NULL;
  return 0;
}

/* The kept stemmer for lang, made (and checked: lexis_check_stem) on first use. */
static lx_stemmer *stemmer_for(lua_State *L, const char *lang) {
  lua_getfield(L, LUA_REGISTRYINDEX, STEMMERS);
  if (lua_getfield(L, -1, lang) == LUA_TUSERDATA) {
    stem_box *b = lua_touserdata(L, -1);
    lua_pop(L, 2);
    return b->st;
  }
  lua_pop(L, 1);
  lexis_check_stem(L, lang);
  stem_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->st = NULL;
  luaL_setmetatable(L, LEXIS_STEMMER);
  if (!(b->st = lx_stem_new(lang, NULL, 0))) lexis_nomem(L);   /* checked above: memory */
  lua_setfield(L, -2, lang);
  lua_pop(L, 1);
  return b->st;
}

static int stem_word(lua_State *L) {
  size_t len;
  const char *w = luaL_checklstring(L, 1, &len);
  const char *lang = luaL_checkstring(L, 2);
  const uint8_t *bad = u8_check((const uint8_t *)w, len);
  if (bad) return lexis_argerror(L, 1, lua_pushfstring(L, "invalid UTF-8 at byte %d", (int)(bad - (const uint8_t *)w) + 1));
  lx_stemmer *st = stemmer_for(L, lang);
  /* lower-cased into a Lua buffer (a code point grows at most from 2 to 3
  ** bytes), so nothing malloced is held while Lua can raise */
  luaL_Buffer B;
  size_t n = len * 3 + 16;
  uint8_t *d = (uint8_t *)luaL_buffinitsize(L, &B, n);
  uint8_t *low = u8_tolower((const uint8_t *)w, len, NULL, NULL, d, &n);
  if (low != d) {
    free(low);
    return lexis_nomem(L);
  }
  luaL_pushresultsize(&B, n);
  const char *s = lua_tolstring(L, -1, &n);
  size_t slen;
  const char *r = lx_stem(st, s, n, &slen);
  if (!r) return lexis_nomem(L);
  lua_pushlstring(L, r, slen);
  return 1;
}

void lexis_open_stem(lua_State *L) {
  static const luaL_Reg meta[] = { { "__gc", stem_close }, { "__close", stem_close }, { NULL, NULL } };
  lexis_createmeta(L, LEXIS_STEMMER, meta, NULL);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, STEMMERS);
  static const luaL_Reg fns[] = { { "stem", stem_word }, { NULL, NULL } };
  luaL_setfuncs(L, fns, 0);
}
