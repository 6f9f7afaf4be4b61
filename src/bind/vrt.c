/*
** The binding of vrt.c (readers of annotated corpora), internal only: the
** index builder will call the C reader itself; this lets tests/vrt_spec.lua
** check the events of small files.
**   vrt_events(path [, opts]) -> events, info
**     opts: format = "vrt" | "conllu" (default: by the extension),
**           p = {"lemma", "pos"} (as cwb-encode -P), s = {"text:0+id", "s"}
**           (as -S), columns = "error" | "pad", undeclared = "token" | "skip"
**     events: { kind = "token", line =, position =, values = {...} }
**             { kind = "open" | "close", line =, position =, name =, depth =,
**               attrs = { {key, value}, ... } (open only) }
**             { kind = "warning", line =, message = }
**     info: { format =, pattrs = {...}, structures = {...} }
**   or nil, "path:line: reason", errno; false, "path: why" for a skipped file.
*/
#include <string.h>

#include "bind.h"
#include "../vrt.h"

#define READER "lexis.VrtReader"

/* The reader lives in a box, so an error raised while events are pushed
** (out of memory) leaks nothing: __gc closes it. */
typedef struct vbox {
  lx_vrt *r;
} vbox;

static int vbox_close(lua_State *L) {
  vbox *b = luaL_checkudata(L, 1, READER);
  lx_vrt_close(b->r);
  b->r = NULL;
  return 0;
}

/* The strings of the list opts[field] into out[0..cap); their count. The
** strings stay referenced by opts, which the caller keeps on the stack. */
static size_t string_list(lua_State *L, int opts, const char *fn, const char *field, const char **out, size_t cap) {
  size_t n = 0;
  if (lua_getfield(L, opts, field) != LUA_TNIL) {
    if (!lua_istable(L, -1)) lexis_misuse(L, "%s: opts.%s must be a list of strings", fn, field);
    for (lua_Integer i = 1;; i++) {
      if (lua_rawgeti(L, -1, i) == LUA_TNIL) {
        lua_pop(L, 1);
        break;
      }
      if (lua_type(L, -1) != LUA_TSTRING) lexis_misuse(L, "%s: opts.%s[%d] must be a string", fn, field, (int)i);
      if (n == cap) lexis_misuse(L, "%s: opts.%s has more than %d names", fn, field, (int)cap);
      out[n++] = lua_tostring(L, -1);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return n;
}

static void push_span(lua_State *L, lx_vrt_span s) { lua_pushlstring(L, s.p, s.n); }

static void push_event(lua_State *L, const lx_vrt *r, const lx_vrt_event *ev) {
  static const char *const kinds[] = { "end", "token", "open", "close", "warning" };
  lua_createtable(L, 0, 6);
  lua_pushstring(L, kinds[ev->kind]);
  lua_setfield(L, -2, "kind");
  lua_pushinteger(L, (lua_Integer)ev->line);
  lua_setfield(L, -2, "line");
  if (ev->kind == LX_VRT_WARNING) {
    lua_pushstring(L, ev->message);
    lua_setfield(L, -2, "message");
    return;
  }
  lua_pushinteger(L, (lua_Integer)ev->position);
  lua_setfield(L, -2, "position");
  if (ev->kind == LX_VRT_TOKEN) {
    size_t n = lx_vrt_npattrs(r);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
      push_span(L, ev->value[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "values");
    return;
  }
  lua_pushstring(L, lx_vrt_structure(r, (size_t)ev->structure));
  lua_setfield(L, -2, "name");
  lua_pushinteger(L, ev->depth);
  lua_setfield(L, -2, "depth");
  if (ev->kind == LX_VRT_OPEN) {
    lua_createtable(L, (int)ev->nattrs, 0);
    for (size_t i = 0; i < ev->nattrs; i++) {
      lua_createtable(L, 2, 0);
      push_span(L, ev->key[i]);
      lua_rawseti(L, -2, 1);
      push_span(L, ev->val[i]);
      lua_rawseti(L, -2, 2);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "attrs");
  }
}

static void push_names(lua_State *L, size_t n, const char *(*name)(const lx_vrt *, size_t), const lx_vrt *r) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, name(r, i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* The reader's options from the table at arg (or none), for fn's messages:
** format, columns, undeclared, p (as -P), s (as -S); p and s hold the
** names, which stay referenced by the table. */
void lexis_check_vrt_opts(lua_State *L, int arg, const char *fn, lx_vrt_opts *o,
                          const char **p, const char **s) {
  memset(o, 0, sizeof *o);
  if (lua_isnoneornil(L, arg)) return;
  luaL_checktype(L, arg, LUA_TTABLE);
  static const char *const formats[] = { "auto", "vrt", "conllu", NULL };
  static const char *const columns[] = { "error", "pad", NULL };
  static const char *const undeclared[] = { "token", "skip", NULL };
  lua_getfield(L, arg, "format");
  o->format = luaL_checkoption(L, -1, "auto", formats);
  lua_getfield(L, arg, "columns");
  o->columns = luaL_checkoption(L, -1, "error", columns);
  lua_getfield(L, arg, "undeclared");
  o->undeclared = luaL_checkoption(L, -1, "token", undeclared);
  lua_pop(L, 3);
  o->pattrs = p;
  o->npattrs = string_list(L, arg, fn, "p", p, LX_VRT_MAX_COLUMNS - 1);
  o->sattrs = s;
  o->nsattrs = string_list(L, arg, fn, "s", s, LX_VRT_MAX_STRUCTS);
}

static int vrt_events(lua_State *L) {
  const char *path = lexis_checkpath(L, 1);
  lx_vrt_opts o;
  const char *p[LX_VRT_MAX_COLUMNS], *s[LX_VRT_MAX_STRUCTS];
  lexis_check_vrt_opts(L, 2, "vrt_events", &o, p, s);
  vbox *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->r = NULL;
  luaL_setmetatable(L, READER);
  char err[1024];
  int rc = lx_vrt_open(&b->r, path, &o, err, sizeof err);
  if (rc == LX_INPUT_SKIPPED) {
    lexis_input_skipped(L, err);
    lua_pushboolean(L, 0);
    lua_pushstring(L, err);
    return 2;
  }
  if (rc == EINVAL) return lexis_misuse(L, "vrt_events: %s", err);
  if (rc) return lexis_result(L, rc, path, err);
  lua_newtable(L);
  lua_Integer n = 0;
  for (;;) {
    lx_vrt_event ev;
    rc = lx_vrt_next(b->r, &ev);
    if (rc) {
      lua_pushstring(L, lx_vrt_error(b->r));  /* copied before the reader goes */
      lx_vrt_close(b->r);
      b->r = NULL;
      return lexis_result(L, rc, path, lua_tostring(L, -1));
    }
    if (ev.kind == LX_VRT_END) break;
    push_event(L, b->r, &ev);
    lua_rawseti(L, -2, ++n);
  }
  lua_createtable(L, 0, 3);
  lua_pushstring(L, lx_vrt_format(b->r) == LX_VRT_CONLLU ? "conllu" : "vrt");
  lua_setfield(L, -2, "format");
  push_names(L, lx_vrt_npattrs(b->r), lx_vrt_pattr, b->r);
  lua_setfield(L, -2, "pattrs");
  push_names(L, lx_vrt_nstructures(b->r), lx_vrt_structure, b->r);
  lua_setfield(L, -2, "structures");
  lx_vrt_close(b->r);
  b->r = NULL;
  return 2;
}

void lexis_open_vrt(lua_State *L) {
  static const luaL_Reg meta[] = {
    { "__gc", vbox_close },
    { "__close", vbox_close },
    { NULL, NULL },
  };
  luaL_newmetatable(L, READER);
  luaL_setfuncs(L, meta, 0);
  lua_pop(L, 1);
  lua_pushcfunction(L, vrt_events);
  lua_setfield(L, -2, "vrt_events");
}
