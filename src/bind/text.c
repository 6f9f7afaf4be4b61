/*
** Display text for tables and plots: truncate(s, cols [, tail [, mark]])
** cuts UTF-8 text to a number of terminal columns between grapheme clusters
** (libunistring), so "e" + U+0301 or a flag emoji is never split and wide CJK
** characters count two. The width itself is lexis.core.displaywidth
** (src/kwic.c's lx_display_width), which this shares.
*/
#include <unigbrk.h>

#include "bind.h"
#include "../kwic.h"

/* The end of the grapheme cluster that starts at p (at least one byte on, so
** invalid UTF-8 still advances). */
static const uint8_t *cluster_end(const uint8_t *p, const uint8_t *e) {
  const uint8_t *q = u8_grapheme_next(p, e);
  return (q == NULL || q <= p) ? p + 1 : q;
}

/* Width of s[0..n), as lx_display_width counts it cluster by cluster. */
static size_t width_of(const uint8_t *s, size_t n) {
  return lx_display_width((const char *)s, n);
}

/*
** truncate(s, cols [, tail [, mark]]) -> s itself when it fits in cols
** columns; else the longest head (tail = true: the longest tail) that fits
** in cols minus the mark's width, with the mark ("…" by default) after it
** (before it). The result is never wider than cols, unless the mark is.
*/
static int text_truncate(lua_State *L) {
  size_t n, ml;
  const char *s = luaL_checklstring(L, 1, &n);
  lua_Integer cols = luaL_checkinteger(L, 2);
  int tail = lua_toboolean(L, 3);
  const char *mark = luaL_optlstring(L, 4, "\xE2\x80\xA6", &ml);
  luaL_argcheck(L, cols >= 0, 2, "negative width");
  const uint8_t *p = (const uint8_t *)s, *e = p + n;
  size_t total = width_of(p, n);
  if (total <= (size_t)cols) {
    lua_settop(L, 1);
    return 1;
  }
  size_t mw = width_of((const uint8_t *)mark, ml);
  size_t room = (size_t)cols > mw ? (size_t)cols - mw : 0;
  if (!tail) {
    size_t used = 0;
    const uint8_t *q = p;
    while (q < e) {
      const uint8_t *r = cluster_end(q, e);
      size_t cw = width_of(q, (size_t)(r - q));
      if (used + cw > room) break;
      used += cw;
      q = r;
    }
    lua_pushlstring(L, s, (size_t)(q - p));
    lua_pushlstring(L, mark, ml);
  } else {
    /* the first cluster start from which the rest fits */
    size_t rest = total;
    const uint8_t *q = p;
    while (q < e && rest > room) {
      const uint8_t *r = cluster_end(q, e);
      rest -= width_of(q, (size_t)(r - q));
      q = r;
    }
    lua_pushlstring(L, mark, ml);
    lua_pushlstring(L, (const char *)q, (size_t)(e - q));
  }
  lua_concat(L, 2);
  return 1;
}

static const luaL_Reg text_funcs[] = {
  {"truncate", text_truncate},
  {NULL, NULL}
};

void lexis_open_text(lua_State *L) {
  luaL_setfuncs(L, text_funcs, 0);
}
