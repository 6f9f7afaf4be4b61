/*
** encode.h: the rules of every output format, in one place.
**
** Every writer of results (word lists, n-grams, partial counts, KWIC lines,
** and lexis.report in Lua through src/bind/encode.c) encodes its fields and
** numbers here, so one result gives the same bytes whichever writer wrote
** it:
**   text, markdown, html  for people; tsv, csv, json, jsonl for programs
**   TSV    a tab, newline, carriage return or backslash in a field is
**          written \t \n \r \\ (the escapes of PostgreSQL's text format)
**   CSV    RFC 4180: a field holding a comma, a quote, CR or LF is quoted,
**          quotes doubled; every line ends in CRLF
**   JSON   always valid: bytes that are not UTF-8 become U+FFFD, control
**          characters \u00XX; numbers that are not finite are null
**   HTML   & < > " ' as entities;  Markdown: | and \ escaped, line breaks
**          as spaces
**   numbers  integers whole. For people (text, markdown, html cells): 6
**          significant digits, in plain decimals from 1e-4 to 1e15 and in
**          e-notation outside, trailing zeros dropped (printf's %.6g,
**          without its exponent between 1e6 and 1e15), p-values too. For
**          programs (tsv, csv, json, jsonl): every digit, the shortest
**          form that reads back as the same double.
** Pure C: no Lua here.
*/
#ifndef LEXIS_ENCODE_H
#define LEXIS_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum lx_fmt {
  LX_FMT_TEXT, LX_FMT_TSV, LX_FMT_CSV, LX_FMT_JSON, LX_FMT_JSONL, LX_FMT_MARKDOWN, LX_FMT_HTML,
  LX_FMT_COUNT
};

/* "text", "tsv", ... by enum lx_fmt; NULL-terminated. */
extern const char *const lx_fmt_names[];
/* The format named name[0..len) ("md" is markdown), or -1. */
int lx_fmt_by_name(const char *name, size_t len);
/* The format a path's extension names (out.csv, OUT.TSV, x.jsonl, x.htm), or -1. */
int lx_fmt_by_path(const char *path);
/* What ends a line (a row) in fmt: "\r\n" in CSV, else "\n". */
const char *lx_fmt_eol(int fmt);

/* The most bytes lx_enc_field can write for a field of n bytes. */
size_t lx_enc_max(int fmt, size_t n);
/* Field s[0..n) as fmt writes it, into dst (room for lx_enc_max bytes):
** JSON fields are quoted strings; CSV fields quoted only when they must be;
** text fields as they are. Returns the bytes written. */
size_t lx_enc_field(int fmt, char *dst, const char *s, size_t n);

#define LX_NUM_MAX 32
/* x by the number rule of fmt above (JSON: null if not finite), into dst
** (room for LX_NUM_MAX bytes). Returns the bytes written. */
size_t lx_enc_num(int fmt, char *dst, double x);
/* v in decimal. Returns the bytes written (at most 20). */
size_t lx_enc_uint(char *dst, uint64_t v);

/* ---------------------------------------------------------------- writing */

/*
** Output through a buffer of our own that leaves in large fwrites: a word
** list is hundreds of thousands of short lines, and stdio's per-call
** locking and printf's format parsing would cost more than sorting them.
*/
typedef struct lx_obuf {
  FILE *f;
  size_t n;
  int err;               /* an errno value once a field could not be encoded (memory) */
  char b[1 << 16];
} lx_obuf;

void lx_ob_flush(lx_obuf *o);
/* Makes room for k bytes at o->b + o->n (k <= sizeof o->b); flushes if need be. */
static inline char *lx_ob_room(lx_obuf *o, size_t k) {
  if (o->n + k > sizeof o->b) lx_ob_flush(o);
  return o->b + o->n;
}
static inline void lx_ob_put(lx_obuf *o, const void *s, size_t len) {
  if (o->n + len > sizeof o->b) {
    lx_ob_flush(o);
    if (len > sizeof o->b) {
      fwrite(s, 1, len, o->f);
      return;
    }
  }
  memcpy(o->b + o->n, s, len);
  o->n += len;
}
static inline void lx_ob_str(lx_obuf *o, const char *s) { lx_ob_put(o, s, strlen(s)); }
/* k spaces. */
void lx_ob_pad(lx_obuf *o, size_t k);
/* v right-aligned in width columns (0: as it is). */
void lx_ob_uint(lx_obuf *o, uint64_t v, size_t width);
/* A field, encoded for fmt (any length). */
void lx_ob_field(lx_obuf *o, int fmt, const char *s, size_t n);
/* x by fmt's number rule, right-aligned in width columns (0: as it is). */
void lx_ob_num(lx_obuf *o, int fmt, double x, size_t width);

/* ---------------------------------------------------------------- tables */

/*
** A table in the formats whose rows need no widths: tsv, csv, json, jsonl,
** markdown and html, framed exactly as lexis.report frames them (its
** headers, separators, JSON objects keyed by column name, Markdown rules,
** HTML classes and data-v values), so a C writer and lexis.report give the
** same bytes. The text format needs every row's width first and is drawn by
** each writer with the helpers above. Cells go left to right, one call
** each; kinds[j] is 's' text, 'l' text aligned right (a left context),
** 'i' an integer, 'n' a number.
*/
#define LX_TABLE_COLS 16
typedef struct lx_table {
  lx_obuf *ob;
  int fmt, ncols, col;
  size_t rows;
  const char *kinds;
  char key[LX_TABLE_COLS][48];      /* JSON: "name": encoded once */
  size_t keylen[LX_TABLE_COLS];
  double last;                      /* the last number, encoded once (a run of equal counts) */
  int have_last;
  char last_exact[LX_NUM_MAX], last_shown[LX_NUM_MAX];
  size_t last_exact_len, last_shown_len;
} lx_table;

/* Starts the table: header (tsv, csv, html; markdown always has one),
** title (html: a caption; NULL for none), the opening of a JSON array.
** ncols <= LX_TABLE_COLS. */
void lx_table_begin(lx_table *t, lx_obuf *ob, int fmt, int ncols, const char *const *names,
                    const char *kinds, int header, const char *title);
void lx_table_str(lx_table *t, const char *s, size_t n);
void lx_table_uint(lx_table *t, uint64_t v);
void lx_table_num(lx_table *t, double x);
void lx_table_end_row(lx_table *t);
void lx_table_end(lx_table *t);

/* An HTML page around a table, as lexis.report.write makes for a .html file. */
void lx_html_page_begin(lx_obuf *ob, const char *title);
void lx_html_page_end(lx_obuf *ob);

/* A cell of a row of an aligned text table (lx_ob_text_row). */
typedef struct lx_tcell {
  const char *s;         /* its text */
  size_t n;
  size_t w;              /* its display width (a text cell's; a figure's is n) */
  size_t width;          /* the column's width */
  int text;              /* 1: text, left-aligned and cut with "…" past the width; 0: a figure, right-aligned */
} lx_tcell;
/* One row of an aligned text table, as lexis.report lays it out: cells two
** spaces apart, control characters in text shown as spaces (they would
** break the line), nothing after the last cell but "\n". */
void lx_ob_text_row(lx_obuf *o, const lx_tcell *cells, size_t n);

#endif
