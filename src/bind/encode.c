/*
** The output rules of src/encode.c for Lua: lexis.report writes its
** fields and numbers through these, so a table written by lexis.report and
** the same result written by a C writer are the same bytes.
**   encode(format, s) -> s as a field of that format
**   encode_num(format, x) -> x by the number rule (integers whole)
**   format_of(path) -> the format its extension names, or nil
**   eol(format) -> what ends a line in that format
**   html_page(title) -> head, foot: the page around an HTML table
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "../alloc.h"
#include "../encode.h"

static int check_fmt(lua_State *L, int arg) {
  size_t len;
  const char *name = luaL_checklstring(L, arg, &len);
  int f = lx_fmt_by_name(name, len);
  if (f < 0) luaL_argerror(L, arg, lua_pushfstring(L, "unknown format '%s'", name));
  return f;
}

static int l_encode(lua_State *L) {
  int f = check_fmt(L, 1);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  luaL_Buffer b;
  char *d = luaL_buffinitsize(L, &b, lx_enc_max(f, n));
  luaL_pushresultsize(&b, lx_enc_field(f, d, s, n));
  return 1;
}

static int l_encode_num(lua_State *L) {
  int f = check_fmt(L, 1);
  luaL_checktype(L, 2, LUA_TNUMBER);
  if (lua_isinteger(L, 2)) {
    lua_Integer v = lua_tointeger(L, 2);
    char d[24];
    size_t k = 0;
    if (v < 0) d[k++] = '-';
    k += lx_enc_uint(d + k, v < 0 ? 0 - (lua_Unsigned)v : (lua_Unsigned)v);
    lua_pushlstring(L, d, k);
    return 1;
  }
  char d[LX_NUM_MAX];
  lua_pushlstring(L, d, lx_enc_num(f, d, lua_tonumber(L, 2)));
  return 1;
}

static int l_format_of(lua_State *L) {
  int f = lx_fmt_by_path(luaL_checkstring(L, 1));
  if (f < 0) lua_pushnil(L);
  else lua_pushstring(L, lx_fmt_names[f]);
  return 1;
}

static int l_eol(lua_State *L) {
  lua_pushstring(L, lx_fmt_eol(check_fmt(L, 1)));
  return 1;
}

/* What fn writes through an lx_obuf, as a Lua string. */
static int push_written(lua_State *L, void (*fn)(lx_obuf *, const char *), const char *arg) {
  char *buf = NULL;
  size_t len = 0;
  lx_obuf *ob = lx_malloc(sizeof *ob);
  FILE *m = ob ? open_memstream(&buf, &len) : NULL;
  if (!m) {
    free(ob);
    return luaL_error(L, "out of memory");
  }
  ob->f = m, ob->n = 0, ob->err = 0;
  fn(ob, arg);
  lx_ob_flush(ob);
  int bad = ob->err || fclose(m) != 0;
  free(ob);
  if (bad) {
    free(buf);
    return luaL_error(L, "out of memory");
  }
  lua_pushlstring(L, buf, len);
  free(buf);
  return 1;
}

static void page_foot(lx_obuf *ob, const char *unused) { (void)unused; lx_html_page_end(ob); }

static int l_html_page(lua_State *L) {
  const char *title = luaL_optstring(L, 1, NULL);
  push_written(L, lx_html_page_begin, title);
  push_written(L, page_foot, NULL);
  return 2;
}

void lexis_open_encode(lua_State *L) {
  static const luaL_Reg fns[] = {
    {"encode", l_encode}, {"encode_num", l_encode_num}, {"format_of", l_format_of}, {"eol", l_eol},
    {"html_page", l_html_page},
    {NULL, NULL},
  };
  luaL_setfuncs(L, fns, 0);
}
