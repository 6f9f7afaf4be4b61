/*
** Display text for tables and plots: truncate(s, cols [, tail [, mark]])
** cuts UTF-8 text to a number of terminal columns between grapheme clusters
** (libunistring), so "e" + U+0301 or a flag emoji is never split and wide CJK
** characters count two (src/display.c).
*/
#include "bind.h"
#include "../display.h"

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
  if (lx_display_width(s, n) <= (size_t)cols) {
    lua_settop(L, 1);
    return 1;
  }
  size_t mw = lx_display_width(mark, ml);
  size_t room = (size_t)cols > mw ? (size_t)cols - mw : 0;
  if (!tail) {
    lua_pushlstring(L, s, lx_display_head(s, n, room, NULL));
    lua_pushlstring(L, mark, ml);
  } else {
    size_t at = lx_display_tail(s, n, room);
    lua_pushlstring(L, mark, ml);
    lua_pushlstring(L, s + at, n - at);
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
