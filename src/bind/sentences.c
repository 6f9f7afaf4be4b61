/*
** Binding of the sentence splitter (src/sentences.c) into lexis.core:
**
**   splitter(config) -> lexis.Splitter      compile abbreviations and options
**   sentences(splitter, text [, strings])   iterator: sentence, start, stop
**   split_state() -> lexis.SplitState       what carries between chunks
**   split_chunk(splitter, state, text, eof) -> settled, {start, stop, ...}
**   split_file(splitter, infile, outfile, mode [, prefix [, chunk [, threads]]])
**   learner() -> lexis.Learner              feed(text, eof), finish(min, score)
**
** Offsets given to Lua are 1-based and inclusive, like string.sub's.
** lua/lexis/sentences.lua composes these into the public API.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "../input.h"
#include "progress_bind.h"
#include "../sentences.h"

#define SPLITTER "lexis.Splitter"
#define STATE "lexis.SplitState"
#define LEARNER "lexis.Learner"
#define BATCH 256 /* spans found per call of lx_split */

/* ====================================================================
** lexis.Splitter
** ==================================================================== */

typedef struct Splitter {
  lx_splitter *sp; /* NULL once closed */
} Splitter;

static lx_splitter *check_splitter(lua_State *L, int arg) {
  Splitter *s = luaL_checkudata(L, arg, SPLITTER);
  luaL_argcheck(L, s->sp != NULL, arg, "splitter is closed");
  return s->sp;
}

const lx_splitter *lexis_check_splitter(lua_State *L, int arg) {
  return check_splitter(L, arg);
}

static int splitter_close(lua_State *L) {
  Splitter *s = luaL_checkudata(L, 1, SPLITTER);
  lx_splitter_free(s->sp);
  s->sp = NULL;
  return 0;
}

static int splitter_tostring(lua_State *L) {
  Splitter *s = luaL_checkudata(L, 1, SPLITTER);
  if (s->sp == NULL)
    lua_pushliteral(L, "lexis.Splitter (closed)");
  else
    lua_pushfstring(L, "lexis.Splitter (%d words)", (int)lx_splitter_count(s->sp));
  return 1;
}

/* Adds the strings of config[field] with `add`. */
static void add_words(lua_State *L, lx_splitter *sp, const char *field, int kind) {
  if (lua_getfield(L, 1, field) == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  luaL_argexpected(L, lua_istable(L, -1), 1, "table of word lists");
  lua_Integer n = luaL_len(L, -1);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, -1, i);
    size_t len;
    const char *w = lua_tolstring(L, -1, &len);
    if (w == NULL)
      luaL_error(L, "splitter: %s[%d] is not a string", field, (int)i);
    int rc = kind ? lx_splitter_add_abbrev(sp, w, len, kind) : lx_splitter_add_starter(sp, w, len);
    if (rc != 0)
      lexis_nomem(L);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/*
** splitter{prefix=, number=, suffix=, other= (abbreviation lists),
**          starters=, ordinals=, newlines=, max_sentence=}
** The userdata exists (closed) before the C splitter, so an error while
** reading the lists leaks nothing: __gc frees what was built.
*/
static int l_splitter(lua_State *L) {
  static const char *const policies[] = { "paragraph", "line", "ignore", NULL };
  luaL_checktype(L, 1, LUA_TTABLE);
  Splitter *s = lua_newuserdatauv(L, sizeof *s, 0);
  s->sp = NULL;
  luaL_setmetatable(L, SPLITTER);
  s->sp = lx_splitter_new();
  if (s->sp == NULL)
    return lexis_nomem(L);
  add_words(L, s->sp, "other", LX_ABBR_OTHER);
  add_words(L, s->sp, "prefix", LX_ABBR_PREFIX);
  add_words(L, s->sp, "number", LX_ABBR_NUMBER);
  add_words(L, s->sp, "suffix", LX_ABBR_SUFFIX);
  add_words(L, s->sp, "starters", 0);
  lua_getfield(L, 1, "ordinals");
  lx_splitter_set_ordinals(s->sp, lua_toboolean(L, -1));
  lua_pop(L, 1);
  lua_getfield(L, 1, "newlines");
  if (!lua_isnil(L, -1))
    lx_splitter_set_newlines(s->sp, luaL_checkoption(L, -1, NULL, policies));
  lua_pop(L, 1);
  lua_getfield(L, 1, "max_sentence");
  if (!lua_isnil(L, -1)) {
    lua_Integer max = luaL_checkinteger(L, -1);
    luaL_argcheck(L, max > 0, 1, "max_sentence must be positive");
    lx_splitter_set_max_sentence(s->sp, (size_t)max);
  }
  lua_pop(L, 1);
  lua_pushvalue(L, 2);
  return 1;
}

/* ====================================================================
** Iterating over the sentences of a string
** ==================================================================== */

typedef struct Iter {
  lx_split_state st;
  size_t base;     /* where the next lx_split call starts */
  size_t batch;    /* where the spans of this batch are relative to */
  size_t i, n;     /* next span, spans in the batch */
  int done;        /* the whole text is split */
  lx_span spans[BATCH];
} Iter;

/* The iterator: upvalues splitter, text, Iter, strings flag. */
static int iter_next(lua_State *L) {
  lx_splitter *sp = check_splitter(L, lua_upvalueindex(1));
  size_t len;
  const char *text = lua_tolstring(L, lua_upvalueindex(2), &len);
  Iter *it = lua_touserdata(L, lua_upvalueindex(3));
  while (it->i == it->n) {
    if (it->done)
      return 0;
    size_t settled;
    it->n = lx_split(sp, &it->st, text + it->base, len - it->base, 1, it->spans, BATCH, &settled);
    it->i = 0;
    it->batch = it->base;
    it->base += settled;
    if (it->base >= len)
      it->done = 1;
  }
  lx_span *s = &it->spans[it->i++];
  size_t a = it->batch + s->start, b = it->batch + s->stop;
  if (lua_toboolean(L, lua_upvalueindex(4))) {
    lua_pushlstring(L, text + a, b - a);
    lua_pushinteger(L, (lua_Integer)a + 1);
    lua_pushinteger(L, (lua_Integer)b);
    return 3;
  }
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_pushinteger(L, (lua_Integer)b);
  return 2;
}

/* sentences(splitter, text [, strings = true]) -> iterator */
static int l_sentences(lua_State *L) {
  check_splitter(L, 1);
  luaL_checkstring(L, 2);
  int strings = lua_isnoneornil(L, 3) || lua_toboolean(L, 3);
  lua_settop(L, 2);
  Iter *it = lua_newuserdatauv(L, sizeof *it, 0);
  memset(it, 0, sizeof *it);
  lua_pushboolean(L, strings);
  lua_pushcclosure(L, iter_next, 4);
  return 1;
}

/* ====================================================================
** Splitting a stream chunk by chunk (for Lua) or a whole file (for C)
** ==================================================================== */

static int l_split_state(lua_State *L) {
  lx_split_state *st = lua_newuserdatauv(L, sizeof *st, 0);
  memset(st, 0, sizeof *st);
  luaL_setmetatable(L, STATE);
  return 1;
}

/*
** split_chunk(splitter, state, text, eof) -> settled, spans
** spans = {start1, stop1, start2, stop2, ...} (1-based, inclusive, within
** text). The caller keeps text:sub(settled + 1) for the next call.
*/
static int l_split_chunk(lua_State *L) {
  lx_splitter *sp = check_splitter(L, 1);
  lx_split_state *st = luaL_checkudata(L, 2, STATE);
  size_t len, base = 0, k = 0;
  const char *text = luaL_checklstring(L, 3, &len);
  int eof = lua_toboolean(L, 4);
  lx_span *spans = lua_newuserdatauv(L, BATCH * sizeof *spans, 0);
  lua_newtable(L);
  for (;;) {
    size_t settled;
    size_t n = lx_split(sp, st, text + base, len - base, eof, spans, BATCH, &settled);
    for (size_t i = 0; i < n; i++) {
      lua_pushinteger(L, (lua_Integer)(base + spans[i].start) + 1);
      lua_rawseti(L, -2, (lua_Integer)++k);
      lua_pushinteger(L, (lua_Integer)(base + spans[i].stop));
      lua_rawseti(L, -2, (lua_Integer)++k);
    }
    base += settled;
    if (settled == 0 || base >= len)
      break;
  }
  lua_pushinteger(L, (lua_Integer)base);
  lua_insert(L, -2);
  return 2;
}

static FILE *check_file(lua_State *L, int arg) {
  luaL_Stream *p = luaL_checkudata(L, arg, LUA_FILEHANDLE);
  luaL_argcheck(L, p->closef != NULL, arg, "file is closed");
  return p->f;
}

/*
** split_file(splitter, infile, outfile, mode [, prefix [, chunk [, threads [, progress]]]])
**   -> sentences, bytes
** infile is a path ("-": standard input), opened and sniffed by the input
** layer (a binary file is skipped, saying so: 0, 0), or an open file.
** Reads infile to its end and writes its sentences to outfile, inner white
** space collapsed: mode "lines" one per line, "offsets" as
** "start<TAB>stop<TAB>sentence" (1-based byte offsets in the file), "count"
** nothing. prefix (a file name) starts each line with "prefix:". chunk
** splits after every chunk bytes read (tests); threads (0: one per CPU).
** The core holds its buffers only while it runs, and calls no Lua.
** progress(bytes_done) as progress_bind.h says; Ctrl-C stops the split.
** Returns nil, message, errno on a read or write error.
*/
static int l_split_file(lua_State *L) {
  static const char *const modes[] = { "lines", "offsets", "count", NULL };
  static const int mode_of[] = { LX_OUT_LINES, LX_OUT_OFFSETS, LX_OUT_COUNT };
  lx_splitter *sp = check_splitter(L, 1);
  const char *path = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  FILE *in = path ? NULL : check_file(L, 2);
  FILE *out = lexis_checkstream(L, 3);      /* an io file or a lexis.AtomicFile (-o) */
  lx_stream_opts opts;
  memset(&opts, 0, sizeof opts);
  opts.mode = mode_of[luaL_checkoption(L, 4, "lines", modes)];
  opts.prefix = luaL_optlstring(L, 5, NULL, &opts.prefix_len);
  lua_Integer chunk = luaL_optinteger(L, 6, 0);
  lua_Integer threads = luaL_optinteger(L, 7, 0);
  luaL_argcheck(L, chunk >= 0, 6, "chunk must not be negative");
  luaL_argcheck(L, threads >= 0 && threads <= 64, 7, "threads out of range");
  opts.chunk = (size_t)chunk;
  opts.threads = (int)threads;
  lx_stream_result res;
  lx_input input;
  if (path) {                         /* opened and sniffed by the input layer */
    char err[1024];
    int code;
    int r = lx_input_open(&input, path, err, sizeof err, &code);
    if (r != 0) {
      lx_input_close(&input);
      if (r > 0) {                    /* binary: said on stderr, no sentences */
        lexis_input_skipped(L, err);
        lua_pushinteger(L, 0);
        lua_pushinteger(L, 0);
        return 2;
      }
      lua_pushnil(L);
      lua_pushstring(L, err);
      lua_pushinteger(L, code);
      return 3;
    }
    opts.input = &input;
  }
  lua_settop(L, 8);
  lexis_progress hook;
  opts.progress = lexis_opt_progress(L, 8, &hook);
  int rc = lx_split_stream(sp, in, out, &opts, &res);
  lexis_progress_done(L, &hook);
  if (path) lx_input_close(&input);
  if (rc == LX_STREAM_CANCEL) {
    errno = ECANCELED;
    return luaL_fileresult(L, 0, NULL);
  }
  if (rc == LX_STREAM_NOMEM)
    return lexis_nomem(L);
  if (rc == LX_STREAM_READ && path && input.why[0]) {   /* damaged compressed data: what and where */
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", input.name, input.why);
    lua_pushinteger(L, res.error);
    return 3;
  }
  if (rc != LX_STREAM_OK) {
    errno = res.error;                /* a write error names the output, not the input */
    return luaL_fileresult(L, 0, rc == LX_STREAM_WRITE ? "output" : path ? input.name : NULL);
  }
  lua_pushinteger(L, (lua_Integer)res.sentences);
  lua_pushinteger(L, (lua_Integer)res.bytes);
  return 2;
}

/* ====================================================================
** lexis.Learner
** ==================================================================== */

typedef struct Learner {
  lx_learner *ln; /* NULL once closed */
} Learner;

static lx_learner *check_learner(lua_State *L, int arg) {
  Learner *l = luaL_checkudata(L, arg, LEARNER);
  luaL_argcheck(L, l->ln != NULL, arg, "learner is closed");
  return l->ln;
}

static int learner_close(lua_State *L) {
  Learner *l = luaL_checkudata(L, 1, LEARNER);
  lx_learner_free(l->ln);
  l->ln = NULL;
  return 0;
}

static int l_learner(lua_State *L) {
  Learner *l = lua_newuserdatauv(L, sizeof *l, 0);
  l->ln = NULL;
  luaL_setmetatable(L, LEARNER);
  l->ln = lx_learner_new();
  if (l->ln == NULL)
    return lexis_nomem(L);
  return 1;
}

/* learner:feed(text, eof) -> bytes consumed (the rest goes with the next chunk) */
static int learner_feed(lua_State *L) {
  lx_learner *ln = check_learner(L, 1);
  size_t len;
  const char *text = luaL_checklstring(L, 2, &len);
  size_t used = lx_learner_feed(ln, text, len, lua_toboolean(L, 3));
  if (used == (size_t)-1)
    return lexis_nomem(L);
  lua_pushinteger(L, (lua_Integer)used);
  return 1;
}

/* learner:finish(min_count, min_score) -> {{word=, score=, count=, ...}, ...} */
static int learner_finish(lua_State *L) {
  lx_learner *ln = check_learner(L, 1);
  lua_Integer min = luaL_optinteger(L, 2, 2);
  lua_Number score = luaL_optnumber(L, 3, 0.25);
  luaL_argcheck(L, min >= 1, 2, "must be at least 1");
  size_t n = lx_learner_finish(ln, (uint32_t)min, score);
  if (n == (size_t)-1)
    return lexis_nomem(L);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    const lx_learned *r = lx_learner_result(ln, i);
    lua_createtable(L, 0, 6);
    lua_pushlstring(L, r->word, r->len);
    lua_setfield(L, -2, "word");
    lua_pushnumber(L, r->score);
    lua_setfield(L, -2, "score");
    lua_pushinteger(L, r->with_period);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, r->without);
    lua_setfield(L, -2, "without_period");
    lua_pushinteger(L, r->lower_after);
    lua_setfield(L, -2, "lower_after");
    lua_pushinteger(L, r->upper_after);
    lua_setfield(L, -2, "upper_after");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int learner_tostring(lua_State *L) {
  Learner *l = luaL_checkudata(L, 1, LEARNER);
  lua_pushstring(L, l->ln ? "lexis.Learner" : "lexis.Learner (closed)");
  return 1;
}

/* ====================================================================
** Registration
** ==================================================================== */

void lexis_open_sentences(lua_State *L) {
  static const luaL_Reg splitter_meta[] = {
    { "__gc", splitter_close }, { "__close", splitter_close },
    { "__tostring", splitter_tostring }, { NULL, NULL }
  };
  static const luaL_Reg splitter_methods[] = { { "close", splitter_close }, { NULL, NULL } };
  static const luaL_Reg learner_meta[] = {
    { "__gc", learner_close }, { "__close", learner_close },
    { "__tostring", learner_tostring }, { NULL, NULL }
  };
  static const luaL_Reg learner_methods[] = {
    { "feed", learner_feed }, { "finish", learner_finish }, { "close", learner_close },
    { NULL, NULL }
  };
  static const luaL_Reg state_meta[] = { { NULL, NULL } };
  static const luaL_Reg funcs[] = {
    { "splitter", l_splitter },
    { "sentences", l_sentences },
    { "split_state", l_split_state },
    { "split_chunk", l_split_chunk },
    { "split_file", l_split_file },
    { "learner", l_learner },
    { NULL, NULL }
  };
  lexis_createmeta(L, SPLITTER, splitter_meta, splitter_methods);
  lexis_createmeta(L, LEARNER, learner_meta, learner_methods);
  lexis_createmeta(L, STATE, state_meta, NULL);
  luaL_setfuncs(L, funcs, 0);
}
