/*
** The tokenizer (src/tokenize.c) and the chunked file scans
** (src/textfile.c) as the userdata "lexis.Tokenizer":
**   tokenizer([opts])          -> tok
**   tok:gmatch(text [, init])  -> iterator of token, start, stop, kind
**   tok:words(text)            -> { token, ... }
**   tok:scantext(text, how)    -> stats          | nil, message, errno
**   tok:scanfile(path, how)    -> stats          | nil, "path: reason", errno
** how = { counts = lexis.Counts, out = file, offsets = bool, chunk = n,
** threads = n, progress = fn }; stats = { bytes, tokens, invalid,
** first_invalid }. scanfile calls progress(bytes_done) a few times a second.
** Counting and writing happen in C: no Lua string is made per token.
*/
#include <string.h>

#include "bind.h"
#include "counts.h"
#include "progress_bind.h"
#include "../textfile.h"
#include "../tokenize.h"

#define LEXIS_TOKENIZER "lexis.Tokenizer"

typedef struct {
  lx_tokenizer *t;         /* NULL once closed */
} tok_box;

static lx_tokenizer *check_tok(lua_State *L, int arg) {
  tok_box *b = luaL_checkudata(L, arg, LEXIS_TOKENIZER);
  if (!b->t) luaL_error(L, "attempt to use a closed " LEXIS_TOKENIZER);
  return b->t;
}

static int tok_close(lua_State *L) {
  tok_box *b = luaL_checkudata(L, 1, LEXIS_TOKENIZER);
  lx_tok_free(b->t);
  b->t = NULL;
  return 0;
}

/* A kind list: "word,number", "all", or { "word", "number" }. */
static unsigned check_kinds(lua_State *L, int idx) {
  unsigned kinds = 0;
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len), *end = s + len;
    if (len == 3 && memcmp(s, "all", 3) == 0) return LX_KINDS_ALL;
    while (s < end) {
      const char *e = s;
      while (e < end && *e != ',' && *e != ' ') e++;
      if (e > s) {
        int k = lx_kind_parse(s, (size_t)(e - s));
        if (k < 0) luaL_error(L, "unknown token kind '%s' (word, number, punct, symbol, space, invalid, all)",
                              lua_pushlstring(L, s, (size_t)(e - s)));
        kinds |= LX_KIND_BIT(k);
      }
      s = e + 1;
    }
  } else if (lua_istable(L, idx)) {
    lua_Integer n = luaL_len(L, idx);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_geti(L, idx, i);
      size_t len;
      const char *s = luaL_checklstring(L, -1, &len);
      int k = lx_kind_parse(s, len);
      if (k < 0) luaL_error(L, "unknown token kind '%s'", s);
      kinds |= LX_KIND_BIT(k);
      lua_pop(L, 1);
    }
  } else {
    luaL_error(L, "kinds must be a string or a list of strings");
  }
  if (!kinds) luaL_error(L, "no token kinds given");
  return kinds;
}

static int opt_bool(lua_State *L, int t, const char *field, int dflt) {
  int ty = lua_getfield(L, t, field);
  int v = ty == LUA_TNIL ? dflt : lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

static const char *const norm_names[] = { "none", "nfc", "nfkc", NULL };

/*
** tokenizer([opts]) -> tok. opts: kinds, lower, fold, normalize ("nfc",
** "nfkc"), hyphens, apostrophes (false splits don't), pattern, general.
** The options are read before anything is allocated, so a bad one raises
** with nothing to free.
*/
static int tok_new(lua_State *L) {
  lx_tokopts o;
  memset(&o, 0, sizeof o);
  if (!lua_isnoneornil(L, 1)) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_getfield(L, 1, "kinds") != LUA_TNIL) o.kinds = check_kinds(L, lua_gettop(L));
    lua_pop(L, 1);
    if (opt_bool(L, 1, "lower", 0)) o.casing = LX_CASE_LOWER;
    if (opt_bool(L, 1, "fold", 0)) o.casing = LX_CASE_FOLD;
    lua_getfield(L, 1, "normalize");
    o.norm = luaL_checkoption(L, -1, "none", norm_names);
    lua_pop(L, 1);
    o.join_hyphens = opt_bool(L, 1, "hyphens", 0);
    o.split_apostrophes = !opt_bool(L, 1, "apostrophes", 1);
    o.general = opt_bool(L, 1, "general", 0);
    if (lua_getfield(L, 1, "pattern") != LUA_TNIL) {
      size_t len;
      o.pattern = luaL_checklstring(L, -1, &len);   /* stays on the stack while used */
      o.patlen = len;
    }
  }
  tok_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->t = NULL;
  luaL_setmetatable(L, LEXIS_TOKENIZER);
  char err[256];
  if (!(b->t = lx_tok_new(&o, err, sizeof err))) lexis_core_misuse(L, err);
  return 1;
}

/* Raises if the last lx_tokenize call stopped on a failing pattern (at
** offset `base` + where it stopped): a short list of tokens would pass for
** the whole. */
static void check_failed(lua_State *L, lx_tokenizer *t, size_t base) {
  size_t at;
  char msg[160];
  if (lx_tok_failed(t, &at, msg, sizeof msg))
    luaL_error(L, "%s at byte %I", msg, (lua_Integer)(base + at));
}

/* Pushes the token's text after the case and normal-form options. */
static void push_text(lua_State *L, lx_tokenizer *t, const char *s, const lx_token *tk) {
  size_t len;
  const char *text = lx_tok_text(t, s, tk->len, tk->kind, &len);
  if (!text) lexis_nomem(L);
  lua_pushlstring(L, text, len);
}

/* The iterator: upvalues tokenizer, text, byte offset of the next scan. */
static int tok_step(lua_State *L) {
  lx_tokenizer *t = check_tok(L, lua_upvalueindex(1));
  size_t len;
  const char *s = lua_tolstring(L, lua_upvalueindex(2), &len);
  size_t pos = (size_t)lua_tointeger(L, lua_upvalueindex(3));
  if (pos >= len) return 0;
  lx_token tk;
  size_t used;
  size_t got = lx_tokenize(t, s + pos, len - pos, 1, &tk, 1, &used);
  check_failed(L, t, pos);
  if (got == 0) {
    lua_pushinteger(L, (lua_Integer)len);
    lua_replace(L, lua_upvalueindex(3));
    return 0;
  }
  size_t start = pos + tk.start;
  lua_pushinteger(L, (lua_Integer)(start + tk.len));
  lua_replace(L, lua_upvalueindex(3));
  push_text(L, t, s + start, &tk);
  lua_pushinteger(L, (lua_Integer)start + 1);
  lua_pushinteger(L, (lua_Integer)(start + tk.len));
  lua_pushstring(L, lx_kind_name(tk.kind));
  return 4;
}

/* tok:gmatch(text [, init]) -> iterator: token, start, stop (1-based, inclusive), kind */
static int tok_gmatch(lua_State *L) {
  check_tok(L, 1);
  size_t len;
  luaL_checklstring(L, 2, &len);
  lua_Integer init = luaL_optinteger(L, 3, 1);
  luaL_argcheck(L, init >= 1, 3, "must be positive");
  lua_settop(L, 2);
  lua_pushinteger(L, init - 1);
  lua_pushcclosure(L, tok_step, 3);
  return 1;
}

/* tok:words(text) -> array of the tokens' texts */
static int tok_words(lua_State *L) {
  lx_tokenizer *t = check_tok(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  lua_newtable(L);
  lua_Integer n = 0;
  size_t pos = 0;
  lx_token tk[256];
  while (pos < len) {
    size_t used;
    size_t k = lx_tokenize(t, s + pos, len - pos, 1, tk, 256, &used);
    check_failed(L, t, pos);
    for (size_t q = 0; q < k; q++) {
      push_text(L, t, s + pos + tk[q].start, &tk[q]);
      lua_rawseti(L, -2, ++n);
    }
    if (used == 0) break;
    pos += used;
  }
  return 1;
}

/* Fills sc from the `how` table at idx (counts, out, offsets, chunk, threads). */
static void check_how(lua_State *L, int idx, lx_tokenizer *t, lx_scan *sc) {
  lx_scan_init(sc);
  sc->opts = *lx_tok_opts(t);
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  if (lua_getfield(L, idx, "counts") != LUA_TNIL) sc->counts = lexis_checkcounts(L, lua_gettop(L));
  if (lua_getfield(L, idx, "out") != LUA_TNIL) sc->out = lexis_checkstream(L, lua_gettop(L));
  sc->outflags = opt_bool(L, idx, "offsets", 0) ? LX_OUT_OFFSETS : 0;
  lua_getfield(L, idx, "chunk");
  lua_Integer chunk = luaL_optinteger(L, -1, 0);
  lua_getfield(L, idx, "threads");
  lua_Integer threads = luaL_optinteger(L, -1, 0);
  luaL_argcheck(L, chunk >= 0 && threads >= 0, idx, "chunk and threads must not be negative");
  sc->chunk = (size_t)chunk;
  sc->threads = (int)threads;
  lua_pop(L, 4);   /* the userdata and stream stay referenced by `how` */
}

static int push_stats(lua_State *L, const lx_scan *sc, int rc, const char *err) {
  if (rc == ENOMEM || (rc && lexis_is_nomem(err))) return lexis_nomem(L);
  if (rc) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    lua_pushinteger(L, rc);
    return 3;
  }
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)sc->bytes);
  lua_setfield(L, -2, "bytes");
  lua_pushinteger(L, (lua_Integer)sc->tokens);
  lua_setfield(L, -2, "tokens");
  lua_pushinteger(L, (lua_Integer)sc->invalid);
  lua_setfield(L, -2, "invalid");
  if (sc->first_invalid != UINT64_MAX) {
    lua_pushinteger(L, (lua_Integer)sc->first_invalid + 1);   /* 1-based, as string.find */
    lua_setfield(L, -2, "first_invalid");
  }
  return 1;
}

/* tok:scantext(text [, how]) -> stats, or nil, message, errno */
static int tok_scantext(lua_State *L) {
  lx_tokenizer *t = check_tok(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  lx_scan sc;
  check_how(L, 3, t, &sc);
  char err[256] = "";
  int rc = lx_scan_buffer(&sc, s, len, err, sizeof err);
  return push_stats(L, &sc, rc, err);
}

/* tok:scanfile(path [, how]) -> stats, or nil, "path: reason", errno ("-" is stdin).
** A file the input layer skips (binary) is reported on stderr; stats.skipped. */
static int tok_scanfile(lua_State *L) {
  lx_tokenizer *t = check_tok(L, 1);
  const char *path = lexis_checkpath(L, 2);
  lx_scan sc;
  check_how(L, 3, t, &sc);
  lua_settop(L, 3);
  if (lua_istable(L, 3)) lua_getfield(L, 3, "progress");
  lexis_progress hook;
  sc.progress = lexis_opt_progress(L, 4, &hook);
  char err[512] = "";
  int rc = lx_scan_file(&sc, path, err, sizeof err);
  lexis_progress_done(L, &hook);
  if (rc == 0 && sc.skipped) lexis_input_skipped(L, err);
  int n = push_stats(L, &sc, rc, err);
  if (rc == 0 && sc.skipped) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "skipped");
  }
  return n;
}

static int tok_tostring(lua_State *L) {
  tok_box *b = luaL_checkudata(L, 1, LEXIS_TOKENIZER);
  lua_pushfstring(L, LEXIS_TOKENIZER " (%s)", b->t ? "UAX #29" : "closed");
  if (b->t && lx_tok_opts(b->t)->pattern) {
    lua_pop(L, 1);
    lua_pushfstring(L, LEXIS_TOKENIZER " (pattern %s)", lx_tok_opts(b->t)->pattern);
  }
  return 1;
}

static const luaL_Reg tok_meta[] = {
  {"__gc", tok_close},
  {"__close", tok_close},
  {"__tostring", tok_tostring},
  {"__index", NULL},
  {NULL, NULL}
};

static const luaL_Reg tok_methods[] = {
  {"gmatch", tok_gmatch},
  {"words", tok_words},
  {"scantext", tok_scantext},
  {"scanfile", tok_scanfile},
  {"close", tok_close},
  {NULL, NULL}
};

static const luaL_Reg tok_functions[] = {
  {"tokenizer", tok_new},
  {NULL, NULL}
};

void lexis_open_tokenize(lua_State *L) {
  luaL_newmetatable(L, LEXIS_TOKENIZER);
  luaL_setfuncs(L, tok_meta, 0);
  luaL_newlib(L, tok_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_setfuncs(L, tok_functions, 0);
}
