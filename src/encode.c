/*
** encode.c: fields and numbers of every output format (encode.h says the
** rules). Writers call these per field, so they are written for speed: no
** allocation, and numbers take printf's path only near a rounding tie.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

#include "display.h"
#include "encode.h"
#include "alloc.h"

const char *const lx_fmt_names[] = { "text", "tsv", "csv", "json", "jsonl", "markdown", "html", NULL };

int lx_fmt_by_name(const char *name, size_t len) {
  for (int i = 0; lx_fmt_names[i]; i++)
    if (strlen(lx_fmt_names[i]) == len && strncasecmp(lx_fmt_names[i], name, len) == 0) return i;
  if (len == 2 && strncasecmp(name, "md", 2) == 0) return LX_FMT_MARKDOWN;
  if (len == 3 && strncasecmp(name, "htm", 3) == 0) return LX_FMT_HTML;
  if (len == 3 && strncasecmp(name, "txt", 3) == 0) return LX_FMT_TEXT;
  return -1;
}

int lx_fmt_by_path(const char *path) {
  const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
  if (!dot || (slash && dot < slash) || dot == path || dot[-1] == '/') return -1;
  return lx_fmt_by_name(dot + 1, strlen(dot + 1));
}

const char *lx_fmt_eol(int fmt) {
  return fmt == LX_FMT_CSV ? "\r\n" : "\n";
}

size_t lx_enc_max(int fmt, size_t n) {
  switch (fmt) {
  case LX_FMT_JSON: case LX_FMT_JSONL: case LX_FMT_HTML: return 6 * n + 2;
  case LX_FMT_TSV: case LX_FMT_CSV: case LX_FMT_MARKDOWN: return 2 * n + 2;
  default: return n;
  }
}

static size_t enc_tsv(char *d, const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    switch (c) {
    case '\t': d[k++] = '\\'; d[k++] = 't'; break;
    case '\n': d[k++] = '\\'; d[k++] = 'n'; break;
    case '\r': d[k++] = '\\'; d[k++] = 'r'; break;
    case '\\': d[k++] = '\\'; d[k++] = '\\'; break;
    default: d[k++] = c;
    }
  }
  return k;
}

static size_t enc_csv(char *d, const char *s, size_t n) {
  int quote = 0;
  for (size_t i = 0; i < n && !quote; i++) quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    memcpy(d, s, n);
    return n;
  }
  size_t k = 0;
  d[k++] = '"';
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') d[k++] = '"';
    d[k++] = s[i];
  }
  d[k++] = '"';
  return k;
}

static size_t enc_json(char *d, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const uint8_t *p = (const uint8_t *)s, *end = p + n;
  size_t k = 0;
  d[k++] = '"';
  while (p < end) {
    if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {   /* the common case */
      d[k++] = (char)*p++;
      continue;
    }
    ucs4_t cp;
    int l = u8_mbtouc(&cp, p, (size_t)(end - p));
    if (cp == 0xFFFD && !(l == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD)) {
      memcpy(d + k, "\\ufffd", 6);          /* a byte that is not UTF-8 */
      k += 6;
    } else if (cp == '"' || cp == '\\') {
      d[k++] = '\\';
      d[k++] = (char)cp;
    } else if (cp < 0x20) {
      const char *named = cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : cp == '\r' ? "\\r" : NULL;
      if (named) {
        memcpy(d + k, named, 2);
        k += 2;
      } else {
        memcpy(d + k, "\\u00", 4);
        d[k + 4] = hex[cp >> 4];
        d[k + 5] = hex[cp & 15];
        k += 6;
      }
    } else {
      memcpy(d + k, p, (size_t)l);
      k += (size_t)l;
    }
    p += l;
  }
  d[k++] = '"';
  return k;
}

static size_t enc_html(char *d, const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const char *e = NULL;
    switch (s[i]) {
    case '&': e = "&amp;"; break;
    case '<': e = "&lt;"; break;
    case '>': e = "&gt;"; break;
    case '"': e = "&quot;"; break;
    case '\'': e = "&#39;"; break;
    default: d[k++] = s[i]; continue;
    }
    size_t l = strlen(e);
    memcpy(d + k, e, l);
    k += l;
  }
  return k;
}

static size_t enc_markdown(char *d, const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '|' || c == '\\') d[k++] = '\\';
    d[k++] = (c == '\n' || c == '\r') ? ' ' : c;
  }
  return k;
}

size_t lx_enc_field(int fmt, char *dst, const char *s, size_t n) {
  switch (fmt) {
  case LX_FMT_TSV: return enc_tsv(dst, s, n);
  case LX_FMT_CSV: return enc_csv(dst, s, n);
  case LX_FMT_JSON: case LX_FMT_JSONL: return enc_json(dst, s, n);
  case LX_FMT_HTML: return enc_html(dst, s, n);
  case LX_FMT_MARKDOWN: return enc_markdown(dst, s, n);
  default:
    memcpy(dst, s, n);
    return n;
  }
}

size_t lx_enc_uint(char *dst, uint64_t v) {
  char t[20];
  size_t k = 0;
  do {
    t[sizeof t - 1 - k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  memcpy(dst, t + sizeof t - k, k);
  return k;
}

/* Drops the zeros that end a decimal fraction, and a point left alone. */
static size_t trim_zeros(char *d, size_t k) {
  if (!memchr(d, '.', k) || memchr(d, 'e', k)) return k;
  while (k > 0 && d[k - 1] == '0') k--;
  if (k > 0 && d[k - 1] == '.') k--;
  return k;
}

static const double pow10s[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

size_t lx_enc_num(int fmt, char *dst, double x) {
  if (!isfinite(x)) {
    const char *s = (fmt == LX_FMT_JSON || fmt == LX_FMT_JSONL) ? "null" : isnan(x) ? "nan" : x > 0 ? "inf" : "-inf";
    size_t l = strlen(s);
    memcpy(dst, s, l);
    return l;
  }
  if (x == 0) {
    dst[0] = '0';
    return 1;
  }
  if (fmt == LX_FMT_TSV || fmt == LX_FMT_CSV || fmt == LX_FMT_JSON || fmt == LX_FMT_JSONL) {
    /* for programs: the shortest of 15, 16 or 17 digits that reads back exactly */
    int k = 0;
    for (int digits = 15; digits <= 17; digits++) {
      k = snprintf(dst, LX_NUM_MAX, "%.*g", digits, x);
      if (strtod(dst, NULL) == x) break;
    }
    return k > 0 ? (size_t)k : 0;
  }
  double a = fabs(x);
  if (a < 1e-4 || a >= 1e15) {
    int k = snprintf(dst, LX_NUM_MAX, "%.6g", x);
    return k > 0 ? (size_t)k : 0;
  }
  /* decimals for 6 significant digits: 6 less the digits before the point */
  /* e: a in [10^e, 10^(e+1)), by walking a table (log10 costs more) */
  static const double steps[] = { 1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
  int e = -4;
  while (e < 14 && a >= steps[e + 5]) e++;
  int dec = 5 - e;
  if (dec < 0) dec = 0;
  if (dec > 9) dec = 9;                       /* a >= 1e-4: at most 9 decimals needed */
  double y = a * pow10s[dec], r = floor(y), frac = y - r;
  size_t k = 0;
  if (y >= 1e15 || fabs(frac - 0.5) < 1e-6) {   /* near a tie: printf rounds the exact value */
    int n = snprintf(dst, LX_NUM_MAX, "%.*f", dec, x);
    return trim_zeros(dst, n > 0 ? (size_t)n : 0);
  }
  uint64_t q = (uint64_t)r + (frac > 0.5);
  char digits[24];
  size_t nd = lx_enc_uint(digits, q);
  if (x < 0) dst[k++] = '-';
  if (nd <= (size_t)dec) {                     /* 0.000ddd */
    dst[k++] = '0';
    dst[k++] = '.';
    for (size_t z = nd; z < (size_t)dec; z++) dst[k++] = '0';
    memcpy(dst + k, digits, nd);
    k += nd;
  } else {
    memcpy(dst + k, digits, nd - (size_t)dec);
    k += nd - (size_t)dec;
    if (dec) {
      dst[k++] = '.';
      memcpy(dst + k, digits + nd - (size_t)dec, (size_t)dec);
      k += (size_t)dec;
    }
  }
  return trim_zeros(dst, k);
}

/* ---------------------------------------------------------------- writing */

void lx_ob_flush(lx_obuf *o) {
  if (o->n) fwrite(o->b, 1, o->n, o->f);
  o->n = 0;
}

void lx_ob_pad(lx_obuf *o, size_t k) {
  static const char spaces[32] = "                                ";
  while (k) {
    size_t m = k < sizeof spaces ? k : sizeof spaces;
    lx_ob_put(o, spaces, m);
    k -= m;
  }
}

void lx_ob_uint(lx_obuf *o, uint64_t v, size_t width) {
  char d[24];
  size_t k = lx_enc_uint(d, v);
  if (width > k) lx_ob_pad(o, width - k);
  lx_ob_put(o, d, k);
}

void lx_ob_field(lx_obuf *o, int fmt, const char *s, size_t n) {
  /* long fields go in slices; a slice ends before a UTF-8 continuation
  ** byte, so JSON sees whole characters */
  if (n == 0) {                        /* JSON's "" */
    char *d = lx_ob_room(o, 2);
    o->n += lx_enc_field(fmt, d, s, 0);
    return;
  }
  while (n) {
    size_t take = n, cap = (sizeof o->b - 2) / 6;
    if (take > cap) {
      take = cap;
      while (take > 1 && ((unsigned char)s[take] & 0xC0) == 0x80) take--;
    }
    int quoted = fmt == LX_FMT_JSON || fmt == LX_FMT_JSONL || fmt == LX_FMT_CSV;
    if (take < n && quoted) {
      /* a quoted field cannot be cut into quoted slices: encode it whole */
      size_t max = lx_enc_max(fmt, n);
      char *t = lx_malloc(max);
      if (!t) {
        o->err = ENOMEM;
        return;
      }
      lx_ob_put(o, t, lx_enc_field(fmt, t, s, n));
      free(t);
      return;
    }
    char *d = lx_ob_room(o, lx_enc_max(fmt, take));
    o->n += lx_enc_field(fmt, d, s, take);
    s += take;
    n -= take;
  }
}

void lx_ob_num(lx_obuf *o, int fmt, double x, size_t width) {
  char d[LX_NUM_MAX];
  size_t k = lx_enc_num(fmt, d, x);
  if (width > k) lx_ob_pad(o, width - k);
  lx_ob_put(o, d, k);
}

/* ---------------------------------------------------------------- tables */

static int numeric_kind(char k) { return k == 'i' || k == 'n'; }

void lx_table_begin(lx_table *t, lx_obuf *ob, int fmt, int ncols, const char *const *names,
                    const char *kinds, int header, const char *title) {
  t->ob = ob, t->fmt = fmt, t->ncols = ncols < LX_TABLE_COLS ? ncols : LX_TABLE_COLS;
  t->col = 0, t->rows = 0, t->kinds = kinds, t->have_last = 0;
  for (int j = 0; j < t->ncols; j++) {       /* names are ours and short: "rank", "ngram" */
    char tmp[6 * 40 + 2];
    size_t n = strlen(names[j]);
    size_t k = n <= 40 ? lx_enc_field(LX_FMT_JSON, tmp, names[j], n) : sizeof tmp;
    if (k + 1 > sizeof t->key[j]) k = lx_enc_field(LX_FMT_JSON, tmp, "", 0);
    memcpy(t->key[j], tmp, k);
    t->key[j][k++] = ':';
    t->keylen[j] = k;
  }
  switch (fmt) {
  case LX_FMT_TSV: case LX_FMT_CSV:
    if (!header) break;
    for (int j = 0; j < t->ncols; j++) {
      if (j) lx_ob_put(ob, fmt == LX_FMT_CSV ? "," : "\t", 1);
      lx_ob_field(ob, fmt, names[j], strlen(names[j]));
    }
    lx_ob_str(ob, lx_fmt_eol(fmt));
    break;
  case LX_FMT_JSON:
    lx_ob_put(ob, "[", 1);
    break;
  case LX_FMT_MARKDOWN:
    lx_ob_put(ob, "| ", 2);
    for (int j = 0; j < t->ncols; j++) {
      if (j) lx_ob_put(ob, " | ", 3);
      lx_ob_field(ob, fmt, names[j], strlen(names[j]));
    }
    lx_ob_str(ob, " |\n|");
    for (int j = 0; j < t->ncols; j++)
      lx_ob_str(ob, numeric_kind(kinds[j]) || kinds[j] == 'l' ? (j ? "|---:" : "---:") : (j ? "|---" : "---"));
    lx_ob_str(ob, "|\n");
    break;
  case LX_FMT_HTML:
    lx_ob_str(ob, "<table class=\"lexis\">\n");
    if (title) {
      lx_ob_str(ob, "<caption>");
      lx_ob_field(ob, fmt, title, strlen(title));
      lx_ob_str(ob, "</caption>\n");
    }
    if (header) {
      lx_ob_str(ob, "<thead><tr>");
      for (int j = 0; j < t->ncols; j++) {
        lx_ob_str(ob, numeric_kind(kinds[j]) ? "<th class=\"num\">" : "<th>");
        lx_ob_field(ob, fmt, names[j], strlen(names[j]));
        lx_ob_str(ob, "</th>");
      }
      lx_ob_str(ob, "</tr></thead>\n");
    }
    lx_ob_str(ob, "<tbody>\n");
    break;
  default: break;
  }
}

/* What comes before cell t->col, and the row's opening before the first. */
static void cell_open(lx_table *t) {
  lx_obuf *ob = t->ob;
  int j = t->col;
  switch (t->fmt) {
  case LX_FMT_TSV: if (j) lx_ob_put(ob, "\t", 1); break;
  case LX_FMT_CSV: if (j) lx_ob_put(ob, ",", 1); break;
  case LX_FMT_JSON:
    if (!j) lx_ob_str(ob, t->rows ? ",\n{" : "\n{");
    /* fall through */
  case LX_FMT_JSONL:
    if (!j && t->fmt == LX_FMT_JSONL) lx_ob_put(ob, "{", 1);
    if (j) lx_ob_put(ob, ",", 1);
    if (j < LX_TABLE_COLS) lx_ob_put(ob, t->key[j], t->keylen[j]);
    break;
  case LX_FMT_MARKDOWN: lx_ob_str(ob, j ? " | " : "| "); break;
  case LX_FMT_HTML:
    if (!j) lx_ob_str(ob, "<tr>");
    break;
  default: break;
  }
}

void lx_table_str(lx_table *t, const char *s, size_t n) {
  cell_open(t);
  if (t->fmt == LX_FMT_HTML) {
    lx_ob_str(t->ob, t->col < t->ncols && t->kinds[t->col] == 'l' ? "<td class=\"left\">" : "<td>");
    lx_ob_field(t->ob, t->fmt, s, n);
    lx_ob_str(t->ob, "</td>");
  } else {
    lx_ob_field(t->ob, t->fmt == LX_FMT_JSONL ? LX_FMT_JSON : t->fmt, s, n);
  }
  t->col++;
}

/* A number cell whose exact and shown forms are ready. */
static void number_cell(lx_table *t, const char *exact, size_t el, const char *shown, size_t sl) {
  cell_open(t);
  lx_obuf *ob = t->ob;
  switch (t->fmt) {
  case LX_FMT_MARKDOWN: lx_ob_put(ob, shown, sl); break;
  case LX_FMT_HTML:
    lx_ob_str(ob, "<td class=\"num\" data-v=\"");
    lx_ob_put(ob, exact, el);
    lx_ob_str(ob, "\">");
    lx_ob_put(ob, shown, sl);
    lx_ob_str(ob, "</td>");
    break;
  default: lx_ob_put(ob, exact, el); break;
  }
  t->col++;
}

void lx_table_uint(lx_table *t, uint64_t v) {
  char d[24];
  size_t k = lx_enc_uint(d, v);
  number_cell(t, d, k, d, k);
}

void lx_table_num(lx_table *t, double x) {
  if (!t->have_last || t->last != x || isnan(x)) {
    int exact_fmt = t->fmt == LX_FMT_MARKDOWN || t->fmt == LX_FMT_HTML ? LX_FMT_JSON : t->fmt;
    t->last_exact_len = lx_enc_num(exact_fmt, t->last_exact, x);
    t->last_shown_len = lx_enc_num(LX_FMT_TEXT, t->last_shown, x);
    t->last = x, t->have_last = 1;
  }
  number_cell(t, t->last_exact, t->last_exact_len, t->last_shown, t->last_shown_len);
}

void lx_table_end_row(lx_table *t) {
  switch (t->fmt) {
  case LX_FMT_TSV: case LX_FMT_CSV: lx_ob_str(t->ob, lx_fmt_eol(t->fmt)); break;
  case LX_FMT_JSON: lx_ob_put(t->ob, "}", 1); break;
  case LX_FMT_JSONL: lx_ob_put(t->ob, "}\n", 2); break;
  case LX_FMT_MARKDOWN: lx_ob_put(t->ob, " |\n", 3); break;
  case LX_FMT_HTML: lx_ob_put(t->ob, "</tr>\n", 6); break;
  default: break;
  }
  t->col = 0;
  t->rows++;
}

void lx_table_end(lx_table *t) {
  if (t->fmt == LX_FMT_JSON) lx_ob_str(t->ob, t->rows ? "\n]\n" : "]\n");
  if (t->fmt == LX_FMT_HTML) lx_ob_str(t->ob, "</tbody></table>\n");
}

static const char page_css[] =
  "body{font:14px/1.4 sans-serif;margin:2em}table{border-collapse:collapse}"
  "th,td{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}"
  "caption{text-align:left;font-weight:bold}.num,.left{text-align:right}";

void lx_html_page_begin(lx_obuf *ob, const char *title) {
  if (!title) title = "lexis";
  lx_ob_str(ob, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
  lx_ob_field(ob, LX_FMT_HTML, title, strlen(title));
  lx_ob_str(ob, "</title>\n<style>");
  lx_ob_str(ob, page_css);
  lx_ob_str(ob, "</style></head><body>\n");
}

void lx_html_page_end(lx_obuf *ob) { lx_ob_str(ob, "</body></html>\n"); }

/* s[0..n) with control characters as spaces. */
static void put_spaced(lx_obuf *o, const char *s, size_t n) {
  while (n) {
    size_t k = n < sizeof o->b ? n : sizeof o->b;
    char *d = lx_ob_room(o, k);
    for (size_t i = 0; i < k; i++) d[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? ' ' : s[i];
    o->n += k;
    s += k;
    n -= k;
  }
}

void lx_ob_text_row(lx_obuf *o, const lx_tcell *cells, size_t n) {
  for (size_t j = 0; j < n; j++) {
    const lx_tcell *c = &cells[j];
    if (j) lx_ob_put(o, "  ", 2);
    if (!c->text) {
      if (c->width > c->n) lx_ob_pad(o, c->width - c->n);
      lx_ob_put(o, c->s, c->n);
      continue;
    }
    size_t w = c->w;
    if (w > c->width && c->width > 0) {   /* cut, with a mark */
      size_t cw, cut = lx_display_head(c->s, c->n, c->width - 1, &cw);
      put_spaced(o, c->s, cut);
      lx_ob_put(o, "\xE2\x80\xA6", 3);
      w = cw + 1;
    } else {
      put_spaced(o, c->s, c->n);
    }
    if (j + 1 < n && w < c->width) lx_ob_pad(o, c->width - w);
  }
  lx_ob_put(o, "\n", 1);
}
