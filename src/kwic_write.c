/*
** kwic_write.c: a hit's three parts as display text (white space
** flattened, cut to column widths on grapheme clusters, an ASCII fast path)
** and the writers of the aligned view, TSV, CSV, JSON Lines and HTML.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unigbrk.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <unistr.h>

#include "alloc.h"
#include "display.h"
#include "encode.h"
#include "kwic_private.h"

/* ================================================================ layout */

static char *scratch(lx_conc *c, int b, size_t n) {
  if (n > c->bcap[b]) {
    size_t cap = c->bcap[b] ? c->bcap[b] : 256;
    while (cap < n) cap *= 2;
    char *p = lx_realloc(c->buf[b], cap);
    if (!p) return NULL;
    c->buf[b] = p;
    c->bcap[b] = cap;
  }
  return c->buf[b];
}

static inline unsigned is_blank(unsigned char ch) {
  return ch <= ' ' || ch == 0x7F;
}

/* Copies s[0..n) to out with each run of white space or control characters
** as one space, and none at either end. Returns the length. Without
** branches: every byte is stored, and the output moves on unless the byte
** continues a run (or starts the text), so words and spaces do not cost a
** mispredicted branch each. */
static size_t flatten(const char *s, size_t n, char *out) {
  size_t o = 0;
  unsigned prev = 1;                  /* after white space: none at the start */
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    unsigned ws = is_blank(ch);
    out[o] = ws ? ' ' : (char)ch;
    o += !(ws & prev);
    prev = ws;
  }
  return o - (o && prev);             /* a run at the end stored one space */
}

/* The longest tail of s[0..n) that fits in w columns, cut between grapheme
** clusters; returns its offset, or SIZE_MAX if out of memory. */
static size_t tail_fitting(lx_conc *c, const char *s, size_t n, size_t w) {
  /* ASCII fast path: after flatten, each ASCII byte followed by ASCII is a
  ** cluster of width 1 */
  while (n > 0 && w > 0 && (unsigned char)s[n - 1] < 0x80) { n--; w--; }
  if (w == 0 || n == 0) return n;
  size_t nc = 0;
  const uint8_t *p = (const uint8_t *)s, *e = p + n;
  while (p < e) {                       /* cluster starts, then walk back */
    if (nc + 1 >= c->clcap) {
      size_t cap = c->clcap ? c->clcap * 2 : 256;
      size_t *q = lx_realloc(c->cl, cap * sizeof *q);
      if (!q) return SIZE_MAX;
      c->cl = q;
      c->clcap = cap;
    }
    c->cl[nc++] = (size_t)(p - (const uint8_t *)s);
    const uint8_t *q = u8_grapheme_next(p, e);
    p = (!q || q <= p) ? p + 1 : q;
  }
  size_t used = 0, cut = n;
  for (size_t i = nc; i-- > 0;) {
    size_t cw = lx_cluster_width((const uint8_t *)s + c->cl[i], (const uint8_t *)s + cut);
    if (used + cw > w) break;
    used += cw;
    cut = c->cl[i];
  }
  return cut;
}

/* The longest head of s[0..n) that fits in w columns; returns its length. */
static size_t head_fitting(const char *s, size_t n, size_t w) {
  const uint8_t *p = (const uint8_t *)s, *e = p + n;
  size_t used = 0;
  while (used < w && p + 1 < e && p[0] < 0x80 && p[1] < 0x80) { p++; used++; }
  if (used < w && p + 1 == e && *p < 0x80) { p++; used++; }
  while (p < e) {
    const uint8_t *q = u8_grapheme_next(p, e);
    if (!q || q <= p) q = p + 1;
    size_t cw = lx_cluster_width(p, q);
    if (used + cw > w) break;
    used += cw;
    p = q;
  }
  return (size_t)(p - (const uint8_t *)s);
}

/* Steps back from offset i to the start of a UTF-8 character.
** At most three steps: a run of stray continuation bytes must not carry
** it back past the node. */
static size_t char_start(const char *s, size_t i) {
  for (int k = 0; k < 3 && i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80; k++) i--;
  return i;
}

#ifdef __SSE2__
/* The blank bytes of v (white space and controls: <= ' ', 0x7F) as 0xFF. */
static inline __m128i blanks16(__m128i v) {
  __m128i le = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v);
  return _mm_or_si128(le, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
}

/* v with its blank bytes (b) made spaces. */
static inline __m128i spaced16(__m128i v, __m128i b) {
  return _mm_or_si128(_mm_and_si128(b, _mm_set1_epi8(' ')), _mm_andnot_si128(b, v));
}
#endif

/*
** Character context when it is ASCII: after flattening, each ASCII byte is a
** cluster one column wide, so the left part is the last lw bytes of the
** flattened text in [lo, start) and the right part the first rw of
** [end, hi), gathered walking away from the node, with no window to guess,
** widen and measure. The walk stores every byte and flattens as it goes (a
** run of white space stores one space where it meets the text already
** gathered). Sixteen bytes go at once when none is a second blank in a row:
** they flatten to themselves with blanks as spaces. The walks may gather up
** to 15 bytes more than needed: L has room for lw + 16 bytes, R for rw + 17
** (the right walk looks one byte past rw, where the general path would find
** a combining mark that joins the last one). 0, or 1 at a byte that is not
** ASCII (the general path then decides).
*/
static int ascii_context(const char *t, uint64_t lo, uint64_t start, uint64_t end, uint64_t hi,
                         int soft, size_t lw, size_t rw, char *L, const char **left, size_t *ll,
                         char *R, size_t *rl) {
  const unsigned char *u = (const unsigned char *)t;
  char *e = L + lw + 16;              /* the left part grows down from here */
  size_t o = 0;
  unsigned prev = 1;                  /* none next to the node: */
  uint64_t p = start;
  while (p > lo && is_blank(u[p - 1])) p--;   /* skipped, so a block can follow */
  for (; o < lw && p > lo;) {
    size_t n = 1;                     /* bytes to take one at a time */
#ifdef __SSE2__
    if (p - lo >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(t + p - 16));
      if (_mm_movemask_epi8(v)) return 1;
      __m128i b = blanks16(v);
      unsigned m = (unsigned)_mm_movemask_epi8(b);
      if ((m & ((m >> 1) | (prev << 15))) == 0) {   /* no blank with a blank on its right */
        _mm_storeu_si128((__m128i *)(e - o - 16), spaced16(v, b));
        o += 16;
        prev = m & 1;
        p -= 16;
        continue;
      }
      n = 16;
    }
#endif
    for (; n && o < lw && p > lo; n--) {
      unsigned char ch = u[--p];
      if (ch >= 0x80) return 1;
      unsigned ws = is_blank(ch);
      e[-1 - (ptrdiff_t)o] = ws ? ' ' : (char)ch;
      o += !(ws & prev);
      prev = ws;
    }
  }
  if ((soft & 1) && o < lw && p == lo) return 1;   /* the walk met the window, not the text's edge */
  if (o > lw) o = lw;
  if (o && e[-(ptrdiff_t)o] == ' ') o--;   /* a space at the cut or at the text's start */
  *left = e - o;
  *ll = o;
  o = 0;
  prev = 1;
  p = end;
  while (p < hi && is_blank(u[p])) p++;
  for (; o <= rw && p < hi;) {
    size_t n = 1;
#ifdef __SSE2__
    if (hi - p >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(t + p));
      if (_mm_movemask_epi8(v)) return 1;
      __m128i b = blanks16(v);
      unsigned m = (unsigned)_mm_movemask_epi8(b);
      if ((m & ((m << 1) | prev)) == 0) {           /* no blank with a blank on its left */
        _mm_storeu_si128((__m128i *)(R + o), spaced16(v, b));
        o += 16;
        prev = m >> 15;
        p += 16;
        continue;
      }
      n = 16;
    }
#endif
    for (; n && o <= rw && p < hi; n--) {
      unsigned char ch = u[p++];
      if (ch >= 0x80) return 1;
      unsigned ws = is_blank(ch);
      R[o] = ws ? ' ' : (char)ch;
      o += !(ws & prev);
      prev = ws;
    }
  }
  if ((soft & 2) && o <= rw && p == hi) return 1;
  if (o > rw) o = rw;
  if (o && R[o - 1] == ' ') o--;
  *rl = o;
  return 0;
}

/* Makes t[a, b) of document d readable: a stored text is decoded on demand
** (lx_conc_source.need). 0, or -1 damaged, with the message in c->err. */
static int need(lx_conc *c, uint32_t d, uint64_t a, uint64_t b) {
  if (!c->docs[d].filled || !c->src.need) return 0;
  if (c->src.need(c->src.ctx, d, &c->docs[d], a, b) == 0) return 0;
  if (c->src.damage) c->src.damage(c->src.ctx, c->err, sizeof c->err);
  else snprintf(c->err, sizeof c->err, "the index is damaged; rebuild it with 'lexis index'");
  return -1;
}

int lx_conc_parts(lx_conc *c, size_t i, const lx_kwic_opts *o, const char **left, size_t *ll,
                  const char **node, size_t *nl, const char **right, size_t *rl) {
  if (lx_conc_resolve(c, i)) return -1;
  const lx_hit *h = &c->hits[i];
  const char *t = c->docs[h->doc].text;
  size_t tlen = c->docs[h->doc].len;
  uint64_t a = h->lstart, b = h->rend;
  size_t lb = (size_t)o->lwidth * 5 / 4 + 16, rb = (size_t)o->rwidth * 5 / 4 + 16;
  uint64_t lo = 0, hi = tlen;         /* what the context may reach */
  if (o->sentence) {
    lx_hit *hw = &c->hits[i];
    if (lx_conc_sentence(c, i, 1)) return -1;
    /* sentences on demand may have read other files, and let this one go */
    if (lx_conc_resolve(c, i)) return -1;
    t = c->docs[h->doc].text;
    if (hw->have & LX_HAVE_SENT) {
      lo = hw->sstart;
      hi = hw->sstop;
    }
  }
  if (need(c, h->doc, h->start, h->end)) return -1;
  if (o->chars && o->sentence != 2 && !o->general) {
    char *L = scratch(c, 0, (size_t)o->lwidth + 16), *N = scratch(c, 1, h->end - h->start + 1),
         *R = scratch(c, 2, (size_t)o->rwidth + 17);
    if (!L || !N || !R) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
    /* a text decoded on demand: a window of it, and the general path when
    ** a run of white space reaches the window's edge */
    uint64_t wlo = lo, whi = hi;
    int soft = 0;
    if (c->docs[h->doc].filled) {
      enum { SLACK = 128 };
      uint64_t l = (uint64_t)o->lwidth + 16 + SLACK, r = (uint64_t)o->rwidth + 17 + SLACK;
      if (h->start - lo > l) { wlo = h->start - l; soft |= 1; }
      if (hi - h->end > r) { whi = h->end + r; soft |= 2; }
      if (need(c, h->doc, wlo, whi)) return -1;
    }
    if (ascii_context(t, wlo, h->start, h->end, whi, soft, o->lwidth, o->rwidth, L, left, ll, R, rl) == 0) {
      *nl = flatten(t + h->start, h->end - h->start, N);
      *node = N;
      *right = R;
      return 0;
    }
  }
  if (o->sentence == 2) {
    a = lo;
    b = hi;
  }
again:
  if (o->chars && o->sentence != 2) {
    /* a first guess of the bytes needed; more below when white space or
    ** combining marks made it too short */
    if (need(c, h->doc, h->start > lb + 4 ? h->start - lb - 4 : 0, h->end + rb + 4)) return -1;
    a = h->start > lb ? char_start(t, h->start - lb) : 0;
    b = tlen - h->end > rb ? char_start(t, h->end + rb) : tlen;
  }
  if (a < lo) a = lo;
  if (b > hi) b = hi;
  if (need(c, h->doc, a, b)) return -1;
  char *L = scratch(c, 0, h->start - a + 1), *N = scratch(c, 1, h->end - h->start + 1),
       *R = scratch(c, 2, b - h->end + 1);
  if (!L || !N || !R) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
  *ll = flatten(t + a, h->start - a, L);
  *rl = flatten(t + h->end, b - h->end, R);
  if (o->chars && o->sentence != 2 && ((a > lo && *ll < o->lwidth + 1 && lb < h->start) ||
                   (b < hi && *rl < o->rwidth + 1 && rb < tlen - h->end)) && lb < ((size_t)1 << 40)) {
    lb *= 4;                      /* fewer bytes than columns: look further */
    rb *= 4;
    goto again;
  }
  if (o->chars && o->sentence != 2 && a > lo && lx_display_width(L, *ll) <= o->lwidth && lb < h->start &&
      lb < ((size_t)1 << 40)) {
    lb *= 4;
    goto again;
  }
  *nl = flatten(t + h->start, h->end - h->start, N);
  *left = L;
  if (o->chars && o->sentence != 2) {
    size_t cut = tail_fitting(c, L, *ll, o->lwidth);
    if (cut == SIZE_MAX) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
    while (cut < *ll && L[cut] == ' ') cut++;
    *left = L + cut;
    *ll -= cut;
    *rl = head_fitting(R, *rl, o->rwidth);
    while (*rl && R[*rl - 1] == ' ') (*rl)--;
  }
  *node = N;
  *right = R;
  return 0;
}

/* ---------------------------------------------------------------- writers */

/*
** Output gathers in a buffer of our own and goes to the FILE in big
** writes: a concordance line is a dozen small pieces, and each stdio call
** takes the stream's lock.
*/
typedef struct outbuf {
  FILE *f;
  size_t n;
  int failed;                /* a write to f fell short */
  char b[1 << 15];
} outbuf;

static void ob_flush(outbuf *w) {
  if (w->n && fwrite(w->b, 1, w->n, w->f) != w->n) w->failed = 1;
  w->n = 0;
}

static void ob_put(outbuf *w, const void *s, size_t n) {
  if (n > sizeof w->b - w->n) {
    ob_flush(w);
    if (n > sizeof w->b) {
      if (fwrite(s, 1, n, w->f) != n) w->failed = 1;
      return;
    }
  }
  memcpy(w->b + w->n, s, n);
  w->n += n;
}

static void ob_str(outbuf *w, const char *s) {
  ob_put(w, s, strlen(s));
}

static void ob_char(outbuf *w, char ch) {
  if (w->n == sizeof w->b) ob_flush(w);
  w->b[w->n++] = ch;
}

static void pad(outbuf *w, size_t n) {
  static const char spaces[64] = "                                                                ";
  for (; n > sizeof spaces; n -= sizeof spaces) ob_put(w, spaces, sizeof spaces);
  ob_put(w, spaces, n);
}

/* A field in format fmt (src/encode.c's rules, shared by every writer). */

/* The hits as the aligned text view, into w. 0, or -1 (c->err). */
static int write_text(lx_conc *c, outbuf *w, const lx_kwic_opts *o) {
  const char *l, *nd, *r;
  size_t ll, nl, rl;
  size_t lcol = o->lwidth;
  if (!o->chars) {                     /* token context: align on the widest left */
    lcol = 0;
    for (size_t i = 0; i < c->n; i++) {
      if (lx_conc_parts(c, i, o, &l, &ll, &nd, &nl, &r, &rl)) return -1;
      size_t wd = lx_display_width(l, ll);
      if (wd > lcol) lcol = wd;
    }
  }
  /* the text view names the document when the hits are in more than one */
  size_t dcol = 0, dskip = 0;           /* its width; the directories all names share */
  if (c->n > 1) {
    uint32_t first = c->hits[0].doc;
    int several = 0;
    for (size_t i = 1; i < c->n && !several; i++) several = c->hits[i].doc != first;
    if (several) {
      const char *d0 = c->docs[first].name;
      const char *slash = strrchr(d0, '/');
      dskip = slash ? (size_t)(slash - d0) + 1 : 0;
      for (size_t i = 1; i < c->n && dskip; i++) {
        const char *doc = c->docs[c->hits[i].doc].name;
        dskip = lx_shared_dirs(d0, dskip, doc, strlen(doc));
      }
    }
    for (size_t i = 0; i < c->n && several; i++) {
      const char *doc = c->docs[c->hits[i].doc].name + dskip;
      size_t wd = lx_display_width(doc, strlen(doc));
      if (wd > dcol) dcol = wd > LX_DOC_COLS ? LX_DOC_COLS : wd;
    }
  }
  for (size_t i = 0; i < c->n; i++) {
    if ((i & 0xFFF) == 0 && lx_interrupted()) {   /* Ctrl-C: millions of hits take seconds */
      snprintf(c->err, sizeof c->err, "interrupted");
      errno = ECANCELED;
      return -1;
    }
    if (lx_conc_parts(c, i, o, &l, &ll, &nd, &nl, &r, &rl)) return -1;
    const lx_hit *h = &c->hits[i];
    const char *doc = c->docs[h->doc].name;
    if (dcol) {                     /* the name past the shared directories; its end if long */
      const char *dn = doc + dskip;
      int cut;
      size_t dl = strlen(dn), dw, at = lx_display_name_cut(dn, dl, dcol, &cut, &dw);
      if (o->color) ob_str(w, "\x1b[2m");
      if (cut) ob_str(w, "\xE2\x80\xA6");
      ob_put(w, dn + at, dl - at);
      if (o->color) ob_str(w, "\x1b[0m");
      pad(w, (dcol > dw ? dcol - dw : 0) + 2);
    }
    size_t wd = lx_display_width(l, ll);
    pad(w, lcol > wd ? lcol - wd : 0);
    ob_put(w, l, ll);
    ob_str(w, o->color ? "  \x1b[1;31m" : "  ");
    ob_put(w, nd, nl);
    ob_str(w, o->color ? "\x1b[0m  " : "  ");
    ob_put(w, r, rl);
    ob_char(w, '\n');
  }
  return 0;
}

/* The hits as a table (encode.h lx_table), lexis.report's bytes for the
** same concordance. 0, or -1 (c->err). */
static int write_table(lx_conc *c, lx_obuf *ob, const lx_kwic_opts *o) {
  static const char *const plain[] = { "doc", "position", "left", "node", "right" };
  static const char *const rich[] = { "doc", "position", "start", "end", "sentence", "left", "node", "right" };
  int json = o->format == LX_FMT_JSON || o->format == LX_FMT_JSONL;
  const char *title = o->title ? o->title : "concordance";
  if (lx_conc_positions(c)) return -1;
  if (o->format == LX_FMT_HTML) lx_html_page_begin(ob, title);
  lx_table t;
  if (json) lx_table_begin(&t, ob, o->format, 8, rich, "siiiilss", o->header, NULL);
  else lx_table_begin(&t, ob, o->format, 5, plain, "silss", o->header, title);   /* 'l': aligned right */
  for (size_t i = 0; i < c->n; i++) {
    if ((i & 0xFFF) == 0 && lx_interrupted()) {   /* Ctrl-C: millions of hits take seconds */
      snprintf(c->err, sizeof c->err, "interrupted");
      errno = ECANCELED;
      return -1;
    }
    const char *l, *nd, *r;
    size_t ll, nl, rl;
    if (json && lx_conc_sentence(c, i, 0)) return -1;
    if (lx_conc_parts(c, i, o, &l, &ll, &nd, &nl, &r, &rl)) return -1;
    const lx_hit *h = &c->hits[i];
    const char *doc = c->docs[h->doc].name;
    lx_table_str(&t, doc, strlen(doc));
    lx_table_uint(&t, (uint64_t)h->pos + 1);
    if (json) {
      lx_table_uint(&t, (uint64_t)h->start + 1);
      lx_table_uint(&t, (uint64_t)h->end);
      lx_table_uint(&t, (uint64_t)h->sent);
    }
    lx_table_str(&t, l, ll);
    lx_table_str(&t, nd, nl);
    lx_table_str(&t, r, rl);
    lx_table_end_row(&t);
    if (ob->err) break;
  }
  lx_table_end(&t);
  if (o->format == LX_FMT_HTML) lx_html_page_end(ob);
  return 0;
}

int lx_conc_write(lx_conc *c, FILE *f, const lx_kwic_opts *o) {
  if (o->format != LX_FMT_TEXT) {
    lx_obuf *ob = lx_malloc(sizeof *ob);
    if (!ob) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
    ob->f = f, ob->n = 0, ob->err = 0;
    int rc = write_table(c, ob, o);
    lx_ob_flush(ob);                  /* what came before an error, as stdio would have */
    if (rc == 0 && (ob->err || ferror(f))) {
      snprintf(c->err, sizeof c->err, "%s", strerror(ob->err ? ob->err : errno));
      rc = -1;
    }
    free(ob);
    return rc;
  }
  outbuf *w = lx_malloc(sizeof *w);
  if (!w) { snprintf(c->err, sizeof c->err, "out of memory"); return -1; }
  w->f = f;
  w->n = 0;
  w->failed = 0;
  int rc = write_text(c, w, o);
  ob_flush(w);                        /* what came before an error, as stdio would have */
  if (rc == 0 && (w->failed || ferror(f))) {
    snprintf(c->err, sizeof c->err, "%s", strerror(errno));
    rc = -1;
  }
  free(w);
  return rc;
}
