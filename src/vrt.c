/*
** vrt.c: the reader of annotated corpora (src/vrt.h): lines from the input
** layer, the region bookkeeping both formats share, and the VRT format.
** CoNLL-U's lines are read by src/vrt_conllu.c over the same reader.
**
** CWB's rules, as cwb-encode applies them, are kept where a builder that
** must give the same positions as cqp depends on them:
**   - each region name is its own attribute, so regions of different names
**     may cross (<a><b></a></b>);
**   - a name declared flat ("s") cannot nest: an open tag while one is open
**     closes it first (the idiom of empty tags such as <pb/>);
**   - a name declared with a depth ("s:2") nests up to that many levels
**     inside itself; deeper regions are dropped, with their close tags;
**   - a close tag with nothing open is dropped; regions still open at the
**     end are closed there.
** Each of those repairs is said (a WARNING event), once per kind with its
** line, then counted at the end.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistr.h>

#include "alloc.h"
#include "progress.h"
#include "vrt_impl.h"

/* ------------------------------------------------------------ messages */

/* What each warning kind says: first with its line, then counted at the end. */
static const char *const warn_text[W_NKINDS] = {
  [W_UNDECLARED]     = "tag of an undeclared region name",
  [W_ATTRS_NOT_KEPT] = "attributes of a region declared without them not kept",
  [W_UNDECLARED_KEY] = "undeclared attribute of a region dropped",
  [W_IMPLICIT_CLOSE] = "region opened while one of its flat name was open: that one closed first",
  [W_UNOPENED_CLOSE] = "close tag with no region of its name open, dropped",
  [W_TOO_DEEP]       = "region nested deeper than its declaration allows, dropped",
  [W_UNCLOSED]       = "region still open at the end of the input, closed there",
  [W_COLUMNS]        = "token line with a column count unlike the attributes', repaired",
  [W_ENTITY]         = "entity other than &amp; &lt; &gt; &quot; &apos; kept as it is, as cwb-encode keeps it",
  [W_EMPTY_NODE]     = "empty node (an id such as 8.1) skipped: it is no word of the text",
  [W_CLOSE_ATTRS]    = "attributes on a close tag ignored",
  [W_EXTRA]          = "text after a tag's '>' ignored",
  [W_NO_BLANK]       = "sentence not ended by a blank line at the end of the input, closed there",
};

int vrt_fail(lx_vrt *r, int code, const char *fmt, ...) {
  int n = r->line ? snprintf(r->err, sizeof r->err, "%s:%llu: ", r->name, (unsigned long long)r->line)
                  : snprintf(r->err, sizeof r->err, "%s: ", r->name);
  if (n < 0 || (size_t)n >= sizeof r->err) n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
  va_end(ap);
  r->failed = code;
  return code;
}

/* The next free slot of the queue of events a line gives (emptied before
** the next line is read, so spans into the line stay valid). */
static lx_vrt_event *push(lx_vrt *r, int kind) {
  /* VRT_QUEUE is more than one line ever needs: a warning or two, an
  ** implicit close, an open and a token. */
  if (r->qn == VRT_QUEUE) return NULL;
  size_t i = (r->qhead + r->qn++) % VRT_QUEUE;
  lx_vrt_event *ev = &r->q[i];
  memset(ev, 0, sizeof *ev);
  ev->kind = kind;
  ev->line = r->line;
  ev->position = r->position;
  ev->structure = -1;
  return ev;
}

void vrt_warn(lx_vrt *r, int kind, const char *fmt, ...) {
  if (r->warned[kind]++ > 0) return;
  size_t i = (r->qhead + r->qn) % VRT_QUEUE;
  lx_vrt_event *ev = push(r, LX_VRT_WARNING);
  if (!ev) return;
  char *m = r->qmsg[i];
  int n = snprintf(m, VRT_MSG, "%s:%llu: %s", r->name, (unsigned long long)r->line, warn_text[kind]);
  if (n < 0 || n >= VRT_MSG) n = VRT_MSG - 1;
  if (fmt && n < VRT_MSG - 4) {
    memcpy(m + n, " (", 2);
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(m + n + 2, (size_t)(VRT_MSG - n - 2), fmt, ap);
    va_end(ap);
    if (k >= 0 && n + 2 + k < VRT_MSG - 1) strcpy(m + n + 2 + k, ")");
  }
  ev->message = m;
}

/* ------------------------------------------------------------ regions */

int vrt_add_structure(lx_vrt *r, const char *name, size_t n, int depth) {
  if (r->nstructs == LX_VRT_MAX_STRUCTS)
    return vrt_fail(r, EILSEQ, "more than %d region names (the cap)", LX_VRT_MAX_STRUCTS);
  if (n == 0 || n > LX_VRT_MAX_NAME)
    return vrt_fail(r, EINVAL, "region name of %zu bytes (1 to %d)", n, LX_VRT_MAX_NAME);
  vrt_struct *s = &r->structs[r->nstructs++];
  memset(s, 0, sizeof *s);
  memcpy(s->name, name, n);
  s->name[n] = '\0';
  s->max_depth = depth;
  return 0;
}

int vrt_find_structure(const lx_vrt *r, const char *name, size_t n) {
  for (size_t i = 0; i < r->nstructs; i++)
    if (strlen(r->structs[i].name) == n && memcmp(r->structs[i].name, name, n) == 0)
      return (int)i;
  return -1;
}

/* Closes the open region at index k of the open list. */
static void close_at(lx_vrt *r, size_t k) {
  vrt_region o = r->open[k];
  memmove(&r->open[k], &r->open[k + 1], (r->nopen - k - 1) * sizeof *r->open);
  r->nopen--;
  lx_vrt_event *ev = push(r, LX_VRT_CLOSE);
  if (ev) {
    ev->structure = o.structure;
    ev->depth = o.depth;
  }
}

/* The innermost open region of structure si, or -1. */
static long innermost(const lx_vrt *r, int si) {
  for (size_t k = r->nopen; k-- > 0;)
    if (r->open[k].structure == si) return (long)k;
  return -1;
}

int vrt_open_region(lx_vrt *r, int si, int empty_tag, size_t nattrs) {
  vrt_struct *s = &r->structs[si];
  int depth = 0;
  if (s->max_depth < 0) {                    /* flat */
    long k = innermost(r, si);
    if (k >= 0) {
      if (!r->open[k].empty_tag) vrt_warn(r, W_IMPLICIT_CLOSE, "<%s>", s->name);
      close_at(r, (size_t)k);
    }
  } else {
    depth = s->level++;
    if (depth > s->max_depth) {
      vrt_warn(r, W_TOO_DEEP, "<%s> declared %s:%d", s->name, s->name, s->max_depth);
      return 0;
    }
  }
  if (r->nopen == LX_VRT_MAX_DEPTH)
    return vrt_fail(r, EILSEQ, "more than %d regions open at once (the cap)", LX_VRT_MAX_DEPTH);
  r->open[r->nopen++] = (vrt_region){ si, depth, empty_tag };
  lx_vrt_event *ev = push(r, LX_VRT_OPEN);
  if (ev) {
    ev->structure = si;
    ev->depth = depth;
    ev->nattrs = nattrs;
    ev->key = r->key;
    ev->val = r->val;
  }
  return 0;
}

void vrt_close_region(lx_vrt *r, int si) {
  vrt_struct *s = &r->structs[si];
  if (s->max_depth >= 0) {
    if (s->level == 0) {
      vrt_warn(r, W_UNOPENED_CLOSE, "</%s>", s->name);
      return;
    }
    if (--s->level > s->max_depth) return;   /* the close of a dropped region */
  }
  long k = innermost(r, si);
  if (k < 0) {
    vrt_warn(r, W_UNOPENED_CLOSE, "</%s>", s->name);
    return;
  }
  close_at(r, (size_t)k);
}

/* ------------------------------------------------------------ values */

int vrt_check_utf8(lx_vrt *r, const char *p, size_t n) {
  /* Most lines are ASCII: eight bytes at a time up to the first high bit,
  ** libunistring's check from there. */
  const uint8_t *s = (const uint8_t *)p, *e = s + n;
  for (uint64_t w; s + 8 <= e; s += 8) {
    memcpy(&w, s, 8);
    if (w & 0x8080808080808080ull) break;
  }
  while (s < e && *s < 0x80) s++;
  if (s == e) return 0;
  const uint8_t *bad = u8_check(s, (size_t)(e - s));
  if (!bad) return 0;
  return vrt_fail(r, EILSEQ, "invalid UTF-8 at byte offset %llu (byte 0x%02X)",
                  (unsigned long long)(r->line_offset + (uint64_t)((const char *)bad - r->cur)),
                  (unsigned)*bad);
}

/*
** Decodes XML's five entities in place (the text only shrinks): "&amp;"
** -> "&", as cwb-encode -x does. Anything else after a '&' stays as it is:
** a lone '&' is a character; "&name;" and numeric references ("&#9731;"),
** which cwb-encode keeps too, are warned about.
*/
size_t vrt_decode_entities(lx_vrt *r, char *p, size_t n) {
  char *amp = memchr(p, '&', n);
  if (!amp) return n;
  static const struct { const char *name; size_t len; char c; } named[] = {
    { "amp", 3, '&' }, { "lt", 2, '<' }, { "gt", 2, '>' }, { "quot", 4, '"' }, { "apos", 4, '\'' },
  };
  size_t i = (size_t)(amp - p), o = i;
  while (i < n) {
    if (p[i] != '&') { p[o++] = p[i++]; continue; }
    const char *semi = memchr(p + i + 1, ';', n - i - 1 < 12 ? n - i - 1 : 12);
    if (!semi) { p[o++] = p[i++]; continue; }
    const char *nm = p + i + 1;
    size_t len = (size_t)(semi - nm);
    int done = 0;
    for (size_t k = 0; k < sizeof named / sizeof *named; k++)
      if (len == named[k].len && memcmp(nm, named[k].name, len) == 0) {
        p[o++] = named[k].c;
        done = 1;
        break;
      }
    if (!done) {
      int plausible = len > 0;
      for (size_t k = 0; k < len; k++)
        if (!vrt_name_char((unsigned char)nm[k]) && nm[k] != '#') plausible = 0;
      if (plausible) vrt_warn(r, W_ENTITY, "&%.*s;", (int)len, nm);
      memmove(p + o, p + i, len + 2);
      o += len + 2;
    }
    i += len + 2;
  }
  return o;
}

/* ------------------------------------------------------------ lines */

/*
** The next line into r->cur (without its '\n' or "\r\n"), r->curlen.
** 1: a line; 0: the end; or an errno value (r->failed set).
*/
static int next_line(lx_vrt *r) {
  for (;;) {
    char *nl = r->scan < r->end ? memchr(r->buf + r->scan, '\n', r->end - r->scan) : NULL;
    if (nl || (r->eof && r->pos < r->end)) {
      size_t stop = nl ? (size_t)(nl - r->buf) : r->end;
      r->cur = r->buf + r->pos;
      r->curlen = stop - r->pos;
      r->line_offset = r->consumed;
      size_t used = (nl ? stop + 1 : stop) - r->pos;
      r->consumed += used;
      r->pos = r->scan = nl ? stop + 1 : stop;
      r->line++;
      if (r->curlen > LX_VRT_MAX_LINE)
        return vrt_fail(r, EILSEQ, "line longer than the cap of %u bytes", LX_VRT_MAX_LINE);
      if (r->curlen && r->cur[r->curlen - 1] == '\r') r->curlen--;
      if (r->line == 1 && r->curlen >= 3 && memcmp(r->cur, "\xEF\xBB\xBF", 3) == 0) {
        r->cur += 3;                   /* a UTF-8 byte-order mark */
        r->curlen -= 3;
        r->line_offset += 3;
      }
      if ((r->line & 4095) == 0 && lx_interrupted())
        return vrt_fail(r, ECANCELED, "interrupted");
      return 1;
    }
    if (r->eof) return 0;
    r->scan = r->end;
    if (r->pos > 0) {                  /* keep the partial line, drop what was read */
      memmove(r->buf, r->buf + r->pos, r->end - r->pos);
      r->end -= r->pos;
      r->scan -= r->pos;
      r->pos = 0;
    }
    if (r->end - r->pos > LX_VRT_MAX_LINE) {
      r->line++;
      return vrt_fail(r, EILSEQ, "line longer than the cap of %u bytes", LX_VRT_MAX_LINE);
    }
    if (r->cap - r->end < VRT_CHUNK) {
      size_t cap = r->cap * 2;
      char *b = lx_realloc(r->buf, cap);
      if (!b) return vrt_fail(r, ENOMEM, "out of memory");
      r->buf = b;
      r->cap = cap;
    }
    long got = lx_input_read(&r->in, r->buf + r->end, r->cap - r->end);
    if (got < 0) {
      int e = errno ? errno : EIO;
      r->line++;
      return vrt_fail(r, e, "%s", lx_input_strerror(&r->in, e));
    }
    if (got == 0) r->eof = 1;
    r->end += (size_t)got;
    r->bytes += (uint64_t)got;
  }
}

/* Splits line[0..n) at tabs into r->value, noting in r->amp the columns
** holding a '&' (the only ones whose entities need decoding); returns the
** column count, which may exceed LX_VRT_MAX_COLUMNS (only the first ones
** are kept). A byte loop: the columns are short, and one pass beats a
** memchr for each tab and each '&'. */
size_t vrt_split_columns(lx_vrt *r, char *p, size_t n) {
  size_t k = 0, start = 0;
  unsigned char amp = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '\t') {
      if (k < LX_VRT_MAX_COLUMNS) {
        r->value[k] = (lx_vrt_span){ p + start, i - start };
        r->amp[k] = amp;
      }
      k++;
      start = i + 1;
      amp = 0;
    } else if (c == '&') {
      amp = 1;
    }
  }
  if (k < LX_VRT_MAX_COLUMNS) {
    r->value[k] = (lx_vrt_span){ p + start, n - start };
    r->amp[k] = amp;
  }
  return k + 1;
}

/*
** Fits a token line of ncols columns to the positional attributes: an
** error, or padded with empty values and cut, warned (LX_VRT_COLUMNS_PAD).
*/
int vrt_fit_columns(lx_vrt *r, size_t ncols, size_t want) {
  if (ncols == want) return 0;
  if (r->columns != LX_VRT_COLUMNS_PAD)
    return vrt_fail(r, EILSEQ, "%zu tab-separated columns, expected %zu (%s)%s", ncols, want,
                    r->format == LX_VRT_VRT ? r->pattr_list : "the ten CoNLL-U columns",
                    r->format == LX_VRT_VRT && r->cur[0] == '<' ? "; a tag of an undeclared region name is read as a token" : "");
  vrt_warn(r, W_COLUMNS, "%zu columns, expected %zu", ncols, want);
  for (size_t k = ncols; k < want; k++) r->value[k] = (lx_vrt_span){ r->cur, 0 };
  return 0;
}

int vrt_token(lx_vrt *r) {
  lx_vrt_event *ev = push(r, LX_VRT_TOKEN);
  if (!ev) return vrt_fail(r, EILSEQ, "too many events from one line");
  ev->value = r->value;
  r->position++;
  return 0;
}

/* ------------------------------------------------------------ VRT */

int vrt_name_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '.';
}

static size_t skip_blanks(const char *p, size_t i, size_t n) {
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  return i;
}

/* Sets the positional attributes to word and names[0..n) (copied). */
int vrt_set_pattrs(lx_vrt *r, const char *const *names, const size_t *lens, size_t n) {
  if (n + 1 > LX_VRT_MAX_COLUMNS)
    return vrt_fail(r, EINVAL, "%zu positional attributes, more than the cap of %d", n + 1, LX_VRT_MAX_COLUMNS);
  r->npattrs = 0;
  size_t used = 0;
  for (size_t i = 0; i <= n; i++) {
    const char *nm = i == 0 ? "word" : names[i - 1];
    size_t len = i == 0 ? 4 : lens[i - 1];
    if (len == 0 || len > LX_VRT_MAX_NAME)
      return vrt_fail(r, EINVAL, "positional attribute name of %zu bytes (1 to %d)", len, LX_VRT_MAX_NAME);
    for (size_t k = 0; k < len; k++)
      if (!vrt_name_char((unsigned char)nm[k]))
        return vrt_fail(r, EINVAL, "positional attribute name '%.*s': letters, digits, '_', '-', '.' only", (int)len, nm);
    for (size_t j = 0; j < i; j++)
      if (strlen(r->pattr[j]) == len && memcmp(r->pattr[j], nm, len) == 0)
        return vrt_fail(r, EINVAL, "positional attribute '%.*s' declared twice", (int)len, nm);
    memcpy(r->pattr[i], nm, len);
    r->pattr[i][len] = '\0';
    if (used + len + 2 < sizeof r->pattr_list) {
      if (i) r->pattr_list[used++] = ' ';
      memcpy(r->pattr_list + used, nm, len);
      used += len;
      r->pattr_list[used] = '\0';
    }
    r->npattrs++;
  }
  return 0;
}

/* A "<!-- #vrt positional-attributes: word lemma pos -->" comment. */
static int header_comment(lx_vrt *r, const char *p, size_t n) {
  static const char tag[] = "#vrt positional-attributes:";
  const char *h = memmem(p, n, tag, sizeof tag - 1);
  if (!h || r->npattrs || r->position > 0) return 0;
  size_t i = (size_t)(h - p) + sizeof tag - 1;
  const char *names[LX_VRT_MAX_COLUMNS + 1];
  size_t lens[LX_VRT_MAX_COLUMNS + 1], k = 0;
  for (;;) {
    i = skip_blanks(p, i, n);
    if (i >= n || p[i] == '-') break;
    size_t s = i;
    while (i < n && p[i] != ' ' && p[i] != '\t') i++;
    if (k == LX_VRT_MAX_COLUMNS + 1)
      return vrt_fail(r, EILSEQ, "more than %d positional attributes (the cap)", LX_VRT_MAX_COLUMNS);
    names[k] = p + s;
    lens[k++] = i - s;
  }
  if (k == 0 || lens[0] != 4 || memcmp(names[0], "word", 4) != 0)
    return vrt_fail(r, EILSEQ, "expected 'word' first after '%s'", tag);
  if (vrt_set_pattrs(r, names + 1, lens + 1, k - 1)) r->failed = EILSEQ;
  return r->failed;
}

/*
** Parses the attributes of an open tag, p[i..n) after its name, into
** r->tkey/r->tval (spans into the line, values decoded). Sets *empty_tag
** for "/>". 0 or an error naming what was expected.
*/
static int tag_attributes(lx_vrt *r, char *p, size_t i, size_t n, const char *name, int *empty_tag) {
  r->ntag = 0;
  *empty_tag = 0;
  for (;;) {
    i = skip_blanks(p, i, n);
    if (i >= n) return vrt_fail(r, EILSEQ, "expected '>' to end the tag <%s ...>", name);
    if (p[i] == '>' || (p[i] == '/' && i + 1 < n && p[i + 1] == '>')) {
      *empty_tag = p[i] == '/';
      i = skip_blanks(p, i + (*empty_tag ? 2 : 1), n);
      if (i < n) vrt_warn(r, W_EXTRA, "<%s>", name);
      return 0;
    }
    size_t ks = i;
    while (i < n && vrt_name_char((unsigned char)p[i])) i++;
    if (i == ks) return vrt_fail(r, EILSEQ, "expected an attribute name or '>' in <%s ...> at column %zu", name, i + 1);
    size_t ke = i;
    i = skip_blanks(p, i, n);
    if (i >= n || p[i] != '=')
      return vrt_fail(r, EILSEQ, "expected '=' after the attribute %.*s of <%s>", (int)(ke - ks), p + ks, name);
    i = skip_blanks(p, i + 1, n);
    size_t vs, ve;
    if (i < n && (p[i] == '"' || p[i] == '\'')) {
      char q = p[i];
      char *close = memchr(p + i + 1, q, n - i - 1);
      if (!close)
        return vrt_fail(r, EILSEQ, "expected a closing %c for the value of %.*s in <%s>", q, (int)(ke - ks), p + ks, name);
      vs = i + 1;
      ve = (size_t)(close - p);
      i = ve + 1;
    } else {                             /* attr=value without quotes, as cwb-encode takes */
      vs = i;
      while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '>' && !(p[i] == '/' && i + 1 < n && p[i + 1] == '>')) i++;
      ve = i;
      if (ve == vs)
        return vrt_fail(r, EILSEQ, "expected a value after %.*s= in <%s>", (int)(ke - ks), p + ks, name);
    }
    if (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '>' && p[i] != '/')
      return vrt_fail(r, EILSEQ, "expected a blank or '>' after the value of %.*s in <%s>", (int)(ke - ks), p + ks, name);
    for (size_t k = 0; k < r->ntag; k++)
      if (r->tkey[k].n == ke - ks && memcmp(r->tkey[k].p, p + ks, ke - ks) == 0)
        return vrt_fail(r, EILSEQ, "attribute %.*s given twice in <%s>", (int)(ke - ks), p + ks, name);
    if (r->ntag == LX_VRT_MAX_KEYS)
      return vrt_fail(r, EILSEQ, "more than %d attributes in <%s> (the cap)", LX_VRT_MAX_KEYS, name);
    size_t vn = vrt_decode_entities(r, p + vs, ve - vs);
    r->tkey[r->ntag] = (lx_vrt_span){ p + ks, ke - ks };
    r->tval[r->ntag++] = (lx_vrt_span){ p + vs, vn };
  }
}

/* Chooses the attributes an open event carries: the declared ones in their
** order (empty when the tag lacks one), or, discovered, all of the tag's. */
static size_t region_attributes(lx_vrt *r, vrt_struct *s) {
  if (s->discovered) {
    memcpy(r->key, r->tkey, r->ntag * sizeof *r->key);
    memcpy(r->val, r->tval, r->ntag * sizeof *r->val);
    return r->ntag;
  }
  if (s->nkeys == 0 && r->ntag > 0) vrt_warn(r, W_ATTRS_NOT_KEPT, "<%s %.*s=...>", s->name, (int)r->tkey[0].n, r->tkey[0].p);
  for (size_t j = 0; j < s->nkeys; j++) {
    r->key[j] = (lx_vrt_span){ s->keys[j], strlen(s->keys[j]) };
    r->val[j] = (lx_vrt_span){ "", 0 };
  }
  for (size_t k = 0; k < r->ntag && s->nkeys; k++) {
    size_t j = 0;
    while (j < s->nkeys && !(r->key[j].n == r->tkey[k].n && memcmp(r->key[j].p, r->tkey[k].p, r->tkey[k].n) == 0)) j++;
    if (j < s->nkeys) r->val[j] = r->tval[k];
    else vrt_warn(r, W_UNDECLARED_KEY, "<%s %.*s=...>", s->name, (int)r->tkey[k].n, r->tkey[k].p);
  }
  return s->nkeys;
}

/* Does the line look like a token with the declared columns (so a "<x>"
** word with its annotations is no tag), as cwb-encode judges it? */
static int looks_like_token(const lx_vrt *r, const char *p, size_t n) {
  size_t cols = 1;
  for (const char *t = p; (t = memchr(t, '\t', (size_t)(p + n - t))) != NULL; t++) cols++;
  return cols > 1 && (r->npattrs == 0 || cols == r->npattrs);
}

/*
** A line starting with '<': 1 when it was a tag or a declaration (handled),
** 0 when it is to be read as a token, or an error.
*/
#define FAIL(...) (vrt_fail(r, __VA_ARGS__), -1)

static int vrt_tag_line(lx_vrt *r, char *p, size_t n) {
  if (n >= 2 && (p[1] == '?' || p[1] == '!')) {   /* <?xml ...?>, <!DOCTYPE, <!-- --> */
    if (n >= 4 && memcmp(p, "<!--", 4) == 0) {
      if (header_comment(r, p, n)) return -1;
      if (!(n >= 7 && memcmp(p + n - 3, "-->", 3) == 0)) {
        r->in_comment = 1;
        r->comment_line = r->line;
      }
    }
    return 1;
  }
  size_t k = p[1] == '/' ? 2 : 1, i = k;
  while (i < n && vrt_name_char((unsigned char)p[i])) i++;
  if (i == k || (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '>' && p[i] != '/')) return 0;
  const char *name = p + k;
  size_t len = i - k;
  if (i == n) {                  /* "<word" with no '>': a token, unless a declared name */
    if (vrt_find_structure(r, name, len) < 0) return 0;
    return FAIL(EILSEQ, "expected '>' to end the tag <%s%.*s", k == 2 ? "/" : "", (int)len, name);
  }
  char nm[LX_VRT_MAX_NAME + 1];
  if (len > LX_VRT_MAX_NAME) {
    if (looks_like_token(r, p, n)) return 0;
    return FAIL(EILSEQ, "tag name of %zu bytes, longer than the cap of %d", len, LX_VRT_MAX_NAME);
  }
  memcpy(nm, name, len);
  nm[len] = '\0';
  int si = vrt_find_structure(r, name, len);
  if (si < 0) {
    if (looks_like_token(r, p, n)) return 0;
    if (r->discover) {
      /* A new region name needs a line ending in '>', or one with an
      ** attribute: a broken tag is an error, "<grin and bear" a token. */
      size_t e = n;
      while (e > 0 && (p[e - 1] == ' ' || p[e - 1] == '\t')) e--;
      if (p[e - 1] != '>' && !memchr(p, '=', n)) return 0;
      if (vrt_add_structure(r, name, len, -1)) return -1;
      si = (int)r->nstructs - 1;
      r->structs[si].discovered = 1;
    } else if (r->undeclared == LX_VRT_TAG_SKIP) {
      vrt_warn(r, W_UNDECLARED, "<%s%s> skipped", k == 2 ? "/" : "", nm);
      return 1;
    } else {
      vrt_warn(r, W_UNDECLARED, "<%s%s> read as a token", k == 2 ? "/" : "", nm);
      return 0;
    }
  }
  if (k == 2) {                                   /* a close tag */
    size_t j = skip_blanks(p, i, n);
    if (j >= n || p[j] != '>') {
      char *gt = memchr(p + j, '>', n - j);
      if (!gt) return FAIL(EILSEQ, "expected '>' to end the tag </%s>", nm);
      vrt_warn(r, W_CLOSE_ATTRS, "</%s ...>", nm);
      j = (size_t)(gt - p);
    }
    if (skip_blanks(p, j + 1, n) < n) vrt_warn(r, W_EXTRA, "</%s>", nm);
    vrt_close_region(r, si);
    return r->failed ? -1 : 1;
  }
  int empty_tag;
  if (tag_attributes(r, p, i, n, nm, &empty_tag)) return -1;
  size_t na = region_attributes(r, &r->structs[si]);
  if (vrt_open_region(r, si, empty_tag, na)) return -1;
  return 1;
}

#undef FAIL

/* One VRT line: a tag, a declaration or comment, an empty line, a token. */
static int vrt_line(lx_vrt *r) {
  char *p = r->cur;
  size_t n = r->curlen;
  if (vrt_check_utf8(r, p, n)) return r->failed;
  if (r->in_comment) {
    const char *end = memmem(p, n, "-->", 3);
    if (end) {
      r->in_comment = 0;
      if (skip_blanks(p, (size_t)(end - p) + 3, n) < n) vrt_warn(r, W_EXTRA, "after a comment");
    }
    return 0;
  }
  if (skip_blanks(p, 0, n) == n) return 0;        /* an empty line: no token */
  if (p[0] == '<') {
    int h = vrt_tag_line(r, p, n);
    if (h < 0) return r->failed;
    if (h > 0) return 0;
  }
  size_t ncols = vrt_split_columns(r, p, n);
  if (r->npattrs == 0) {                          /* discovered: word, col2, col3 ... */
    if (ncols > LX_VRT_MAX_COLUMNS)
      return vrt_fail(r, EILSEQ, "%zu columns, more than the cap of %d", ncols, LX_VRT_MAX_COLUMNS);
    char names[LX_VRT_MAX_COLUMNS][16];
    const char *nm[LX_VRT_MAX_COLUMNS];
    size_t lens[LX_VRT_MAX_COLUMNS];
    for (size_t k = 1; k < ncols; k++) {
      snprintf(names[k], sizeof names[k], "col%zu", k + 1);
      nm[k - 1] = names[k];
      lens[k - 1] = strlen(names[k]);
    }
    if (vrt_set_pattrs(r, nm, lens, ncols - 1)) return r->failed;
  }
  if (vrt_fit_columns(r, ncols, r->npattrs)) return r->failed;
  for (size_t k = 0; k < r->npattrs && k < ncols; k++)
    if (r->amp[k]) r->value[k].n = vrt_decode_entities(r, (char *)r->value[k].p, r->value[k].n);
  return vrt_token(r);
}

/* ------------------------------------------------------------ declarations */

/* One -S declaration: "name", "name:N", "name+key+key", "name:N+key". */
static int declare_structure(lx_vrt *r, const char *d) {
  size_t n = strcspn(d, ":+");
  int depth = -1;
  const char *q = d + n;
  if (*q == ':') {
    char *end;
    long v = strtol(q + 1, &end, 10);
    if (end == q + 1 || v < 0 || v >= LX_VRT_MAX_DEPTH || (*end && *end != '+'))
      return vrt_fail(r, EINVAL, "structural declaration '%s': expected a depth 0 to %d after ':'", d, LX_VRT_MAX_DEPTH - 1);
    depth = (int)v;
    q = end;
  }
  for (size_t k = 0; k < n; k++)
    if (!vrt_name_char((unsigned char)d[k]))
      return vrt_fail(r, EINVAL, "structural declaration '%s': letters, digits, '_', '-', '.' in names", d);
  if (vrt_find_structure(r, d, n) >= 0)
    return vrt_fail(r, EINVAL, "region <%.*s> declared twice", (int)n, d);
  if (vrt_add_structure(r, d, n, depth)) return r->failed = EINVAL;
  vrt_struct *s = &r->structs[r->nstructs - 1];
  while (*q == '+') {
    const char *k = q + 1;
    size_t kn = strcspn(k, "+");
    if (kn == 0 || kn > LX_VRT_MAX_NAME)
      return vrt_fail(r, EINVAL, "structural declaration '%s': an attribute name of 1 to %d bytes after '+'", d, LX_VRT_MAX_NAME);
    for (size_t j = 0; j < kn; j++)
      if (!vrt_name_char((unsigned char)k[j]))
        return vrt_fail(r, EINVAL, "structural declaration '%s': letters, digits, '_', '-', '.' in names", d);
    for (size_t j = 0; j < s->nkeys; j++)
      if (strlen(s->keys[j]) == kn && memcmp(s->keys[j], k, kn) == 0)
        return vrt_fail(r, EINVAL, "structural declaration '%s': attribute '%.*s' twice", d, (int)kn, k);
    if (s->nkeys == LX_VRT_MAX_KEYS)
      return vrt_fail(r, EINVAL, "structural declaration '%s': more than %d attributes", d, LX_VRT_MAX_KEYS);
    memcpy(s->keys[s->nkeys], k, kn);
    s->keys[s->nkeys++][kn] = '\0';
    q = k + kn;
  }
  return 0;
}

/* ------------------------------------------------------------ the reader */

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), t = strlen(tail);
  return n >= t && strcmp(s + n - t, tail) == 0;
}

/* A reader for the document name, its options checked, no input yet. */
static int vrt_new(lx_vrt **out, const char *name, const lx_vrt_opts *opts, char *err, size_t errlen) {
  static const lx_vrt_opts none;
  if (!opts) opts = &none;
  *out = NULL;
  lx_vrt *r = lx_calloc(1, sizeof *r);
  char *buf = lx_malloc(VRT_CHUNK * 2);
  if (!r || !buf) {
    free(r);
    free(buf);
    snprintf(err, errlen, "%s: out of memory", name);
    return ENOMEM;
  }
  r->in.fd = -1;
  r->buf = buf;
  r->cap = VRT_CHUNK * 2;
  snprintf(r->name, sizeof r->name, "%s", strcmp(name, "-") == 0 ? "stdin" : name);
  r->format = opts->format;
  if (r->format == LX_VRT_AUTO) r->format = ends_with(name, ".conllu") ? LX_VRT_CONLLU : LX_VRT_VRT;
  r->columns = opts->columns;
  r->undeclared = opts->undeclared;
  int rc = 0;
  if (r->format == LX_VRT_CONLLU) {
    rc = vrt_conllu_declare(r);
  } else {
    size_t lens[LX_VRT_MAX_COLUMNS];
    if (opts->npattrs + 1 > LX_VRT_MAX_COLUMNS)
      rc = vrt_fail(r, EINVAL, "%zu positional attributes, more than the cap of %d", opts->npattrs + 1, LX_VRT_MAX_COLUMNS);
    for (size_t i = 0; rc == 0 && i < opts->npattrs; i++) lens[i] = strlen(opts->pattrs[i]);
    if (rc == 0 && opts->npattrs) rc = vrt_set_pattrs(r, opts->pattrs, lens, opts->npattrs);
    for (size_t i = 0; rc == 0 && i < opts->nsattrs; i++) rc = declare_structure(r, opts->sattrs[i]);
    r->discover = opts->nsattrs == 0;
  }
  if (rc) {                                       /* misuse: "path: what" */
    snprintf(err, errlen, "%s", r->err);
    lx_vrt_close(r);
    return rc;
  }
  *out = r;
  return 0;
}

int lx_vrt_open(lx_vrt **out, const char *path, const lx_vrt_opts *opts, char *err, size_t errlen) {
  lx_vrt *r;
  int rc = vrt_new(&r, path, opts, err, errlen);
  if (rc) return rc;
  int code = 0;
  int o = lx_input_open_annotated(&r->in, path, err, errlen, &code);
  if (o != 0) {
    lx_vrt_close(r);
    return o > 0 ? LX_INPUT_SKIPPED : (code ? code : EIO);
  }
  r->in.name = r->name;
  *out = r;
  return 0;
}

int lx_vrt_open_input(lx_vrt **out, lx_input *in, const lx_vrt_opts *opts, char *err, size_t errlen) {
  lx_vrt *r;
  int rc = vrt_new(&r, in->name, opts, err, errlen);
  if (rc) {
    lx_input_close(in);
    return rc;
  }
  r->in = *in;                                    /* the descriptor and the sniffed head */
  in->fd = -1;                                    /* closed for the caller: ours now */
  r->in.name = r->name;
  *out = r;
  return 0;
}

/* The events of the end of the input: open regions closed, then the
** warnings' counts. */
static int finish(lx_vrt *r) {
  if (r->in_comment) {
    r->line = r->comment_line;
    return vrt_fail(r, EILSEQ, "comment '<!--' not closed by '-->' before the end of the input");
  }
  if (r->format == LX_VRT_CONLLU && vrt_conllu_finish(r)) return r->failed;
  while (r->nopen > 0 && r->qn < VRT_QUEUE - 1) {
    vrt_region *o = &r->open[r->nopen - 1];
    if (r->format == LX_VRT_VRT && !o->empty_tag) vrt_warn(r, W_UNCLOSED, "</%s> missing", r->structs[o->structure].name);
    if (r->structs[o->structure].max_depth >= 0) r->structs[o->structure].level--;
    close_at(r, r->nopen - 1);
  }
  if (r->nopen > 0) return 0;
  for (; r->summary < W_NKINDS && r->qn < VRT_QUEUE; r->summary++) {
    uint64_t c = r->warned[r->summary];
    if (c < 2) continue;
    size_t i = (r->qhead + r->qn) % VRT_QUEUE;
    lx_vrt_event *ev = push(r, LX_VRT_WARNING);
    snprintf(r->qmsg[i], VRT_MSG, "%s: %s: %llu times in all", r->name, warn_text[r->summary], (unsigned long long)c);
    ev->message = r->qmsg[i];
  }
  if (r->summary == W_NKINDS) r->done = 1;
  return 0;
}

int lx_vrt_next(lx_vrt *r, lx_vrt_event *ev) {
  for (;;) {
    if (r->failed) return r->failed;   /* no event of a line or an end that failed */
    if (r->qn > 0) {
      *ev = r->q[r->qhead];
      r->qhead = (r->qhead + 1) % VRT_QUEUE;
      r->qn--;
      return 0;
    }
    if (r->done) {
      memset(ev, 0, sizeof *ev);
      ev->kind = LX_VRT_END;
      ev->line = r->line;
      ev->position = r->position;
      ev->structure = -1;
      return 0;
    }
    if (r->at_end) {
      if (finish(r)) return r->failed;
      continue;
    }
    int got = next_line(r);
    if (r->failed) return r->failed;
    if (got == 0) {
      r->at_end = 1;
      continue;
    }
    int e = r->format == LX_VRT_CONLLU ? vrt_conllu_line(r) : vrt_line(r);
    if (e && !r->failed) r->failed = e;
  }
}

const char *lx_vrt_error(const lx_vrt *r) { return r->err; }
int lx_vrt_format(const lx_vrt *r) { return r->format; }
size_t lx_vrt_npattrs(const lx_vrt *r) { return r->npattrs; }
const char *lx_vrt_pattr(const lx_vrt *r, size_t i) { return i < r->npattrs ? r->pattr[i] : NULL; }
size_t lx_vrt_nstructures(const lx_vrt *r) { return r->nstructs; }
const char *lx_vrt_structure(const lx_vrt *r, size_t i) { return i < r->nstructs ? r->structs[i].name : NULL; }
uint64_t lx_vrt_bytes(const lx_vrt *r) { return r->bytes; }

void lx_vrt_close(lx_vrt *r) {
  if (!r) return;
  lx_input_close(&r->in);
  free(r->buf);
  free(r->store);
  free(r->mwt);
  free(r);
}
