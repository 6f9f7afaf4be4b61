/*
** partial.c: writing and reading mergeable counts (see partial.h).
** Reading goes line by line with getline, so a line of any length is
** fine and memory is the table, not the file.
*/
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "alloc.h"
#include "encode.h"
#include "partial.h"

void lx_partial_header(FILE *f, const char *kind, uint64_t tokens, uint64_t docs) {
  fprintf(f, "#lexis-partial 1 %s tokens=%" PRIu64 " docs=%" PRIu64 "\n", kind, tokens, docs);
}

void lx_partial_row(FILE *f, const char *item, size_t len, uint64_t count, uint64_t range) {
  fprintf(f, "%" PRIu64 "\t%" PRIu64 "\t", count, range);
  fwrite(item, 1, len, f);
  putc('\n', f);
}

int lx_partial_write_counts(FILE *f, const lx_counts *c, const lx_counts *range, const char *kind,
                            uint64_t docs) {
  lx_partial_header(f, kind, lx_counts_total(c), docs);
  for (size_t i = 0, n = lx_counts_size(c); i < n; i++) {
    const char *w;
    size_t len;
    uint64_t cnt = lx_counts_entry(c, i, &w, &len);
    if (!w || cnt == 0) continue;
    lx_partial_row(f, w, len, cnt, range ? lx_counts_get(range, w, len) : 0);
  }
  return ferror(f) ? (errno ? errno : EIO) : 0;   /* ENOSPC says more than EIO */
}

/* A decimal number of s[0..len) into *v; 0 if it is not one. */
static int parse_u64(const char *s, size_t len, uint64_t *v) {
  if (len == 0 || len > 19) return 0;
  uint64_t x = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    x = x * 10 + (uint64_t)(s[i] - '0');
  }
  *v = x;
  return 1;
}

/* Parses "key=NUMBER" out of the header's words. */
static uint64_t header_field(const char *line, const char *key) {
  const char *p = strstr(line, key);
  if (!p) return 0;
  return strtoull(p + strlen(key), NULL, 10);
}

int lx_partial_read(FILE *f, const char *name, lx_counts *counts, lx_counts *range,
                    lx_partial_info *info, char *err, size_t errlen) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  uint64_t lineno = 0, sum = 0;
  int partial = -1, rc = 0;
  memset(info, 0, sizeof *info);
  while ((got = getline(&line, &cap, f)) >= 0) {
    size_t len = (size_t)got;
    lineno++;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    if (partial < 0) {
      partial = strncmp(line, "#lexis-partial ", 15) == 0;
      if (partial) {
        char kind[32] = "";
        if (sscanf(line, "#lexis-partial 1 %31s", kind) != 1) {
          snprintf(err, errlen, "%s:1: a partial-counts header of an unknown version", name);
          rc = -1;
          break;
        }
        snprintf(info->kind, sizeof info->kind, "%s", kind);
        info->tokens = header_field(line, "tokens=");
        info->docs = header_field(line, "docs=");
        if (info->tokens > LX_COUNT_MAX || info->docs > LX_COUNT_MAX) {
          snprintf(err, errlen, "%s:1: tokens= or docs= is past 2^63-1", name);
          rc = -1;
          break;
        }
        continue;
      }
      snprintf(info->kind, sizeof info->kind, "list");
    }
    if (len == 0 || line[0] == '#') continue;
    char *t1 = memchr(line, '\t', len);
    uint64_t count, rg = 0;
    const char *item;
    size_t ilen;
    if (partial) {
      char *t2 = t1 ? memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line)) : NULL;
      if (!t2 || !parse_u64(line, (size_t)(t1 - line), &count) ||
          !parse_u64(t1 + 1, (size_t)(t2 - t1 - 1), &rg)) {
        snprintf(err, errlen, "%s:%" PRIu64 ": expected COUNT<TAB>RANGE<TAB>ITEM", name, lineno);
        rc = -1;
        break;
      }
      item = t2 + 1;
      ilen = len - (size_t)(t2 + 1 - line);
    } else {
      char *t2 = t1 ? memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line)) : NULL;
      size_t clen = t1 ? (size_t)((t2 ? t2 : line + len) - t1 - 1) : 0;
      if (!t1 || !parse_u64(t1 + 1, clen, &count)) {
        if (lineno == 1) continue;   /* a header line */
        snprintf(err, errlen, "%s:%" PRIu64 ": expected WORD<TAB>COUNT", name, lineno);
        rc = -1;
        break;
      }
      item = line;
      ilen = (size_t)(t1 - line);
    }
    int arc = lx_counts_add(counts, item, ilen, count);
    if (arc == 0 && range && rg) arc = lx_counts_add(range, item, ilen, rg);
    if (arc == LX_COUNTS_OVERFLOW) {
      snprintf(err, errlen, "%s:%" PRIu64 ": count of '%.*s' would overflow", name, lineno,
               ilen > 60 ? 60 : (int)ilen, item);
      rc = -1;
      break;
    }
    if (arc) {
      snprintf(err, errlen, "%s: not enough memory", name);
      rc = -1;
      break;
    }
    sum += count;
  }
  if (rc == 0 && ferror(f)) {
    snprintf(err, errlen, "%s: %s", name, strerror(errno));
    rc = -1;
  }
  free(line);
  if (rc == 0 && partial != 1) info->tokens = sum;
  return rc;
}

/* ---------------------------------------------------------------- list output */

/* Item i of src in a scratch buffer that grows to fit it; in text, control
** characters as spaces (they would break the line). NULL if out of memory. */
static const char *item_of(const lx_listsrc *src, int fmt, size_t i, char **buf, size_t *cap,
                           size_t *len) {
  *len = src->item(src->ctx, i, *buf, *cap);
  if (*len > *cap) {
    char *b = lx_realloc(*buf, *len);
    if (!b) return NULL;
    *buf = b, *cap = *len;
    src->item(src->ctx, i, *buf, *cap);
  }
  if (fmt == LX_FMT_TEXT)
    for (size_t j = 0; j < *len; j++)
      if ((unsigned char)(*buf)[j] < 0x20 || (*buf)[j] == 0x7F) (*buf)[j] = ' ';
  return *buf;
}

#define CELL_MAX 40   /* a text cell's widest, as lexis.report cuts it */

/* The list in a format of lx_table (encode.h): tsv, csv, json, jsonl,
** markdown, html. */
static int write_table(const lx_listsrc *src, lx_obuf *ob, int fmt, int header, char **buf,
                       size_t *cap) {
  const char *names[] = { "rank", src->column, "count", "range", "per_million" };
  lx_table t;
  size_t len;
  lx_table_begin(&t, ob, fmt, 5, names, "isiin", header, NULL);
  for (size_t k = 0; k < src->n; k++) {
    uint64_t c = src->count(src->ctx, k);
    const char *s = item_of(src, fmt, k, buf, cap, &len);
    if (!s) return ENOMEM;
    lx_table_uint(&t, k + 1);
    lx_table_str(&t, s, len);
    lx_table_uint(&t, c);
    lx_table_uint(&t, src->range(src->ctx, k));
    lx_table_num(&t, src->tokens > 0 ? (double)c * 1e6 / src->tokens : 0);
    lx_table_end_row(&t);
  }
  lx_table_end(&t);
  return 0;
}

/*
** The list as lexis.report writes the same rows (src/encode.c's rules, the
** same columns and widths), byte for byte.
*/
int lx_list_write(FILE *f, const lx_listsrc *src, int fmt, int header) {
  size_t n = src->n, cap = 256, len;
  char *buf = lx_malloc(cap);
  lx_obuf *ob = lx_malloc(sizeof *ob);
  int rc = ENOMEM;
  if (!buf || !ob) goto done;
  ob->f = f, ob->n = 0, ob->err = 0;
  if (fmt != LX_FMT_TEXT) {
    rc = write_table(src, ob, fmt, header, &buf, &cap);
    if (rc) goto done;
    lx_ob_flush(ob);
    rc = ob->err ? ob->err : ferror(f) ? (errno ? errno : EIO) : 0;
    goto done;
  }
  size_t wrank = 4, witem = strlen(src->column), wcount = 5, wrange = 5, wpm = 11;
  char t[LX_NUM_MAX];
  if (witem < 4) witem = 4;
  size_t k0 = lx_enc_uint(t, n);
  if (k0 > wrank) wrank = k0;
  for (size_t k = 0; k < n; k++) {
    const char *s = item_of(src, fmt, k, &buf, &cap, &len);
    if (!s) goto done;
    size_t w = lx_display_width(s, len);
    if (w > CELL_MAX) w = CELL_MAX;
    if (w > witem) witem = w;
    uint64_t c = src->count(src->ctx, k), rg = src->range(src->ctx, k);
    if ((k0 = lx_enc_uint(t, c)) > wcount) wcount = k0;
    if ((k0 = lx_enc_uint(t, rg)) > wrange) wrange = k0;
    double pm = src->tokens > 0 ? (double)c * 1e6 / src->tokens : 0;
    if ((k0 = lx_enc_num(fmt, t, pm)) > wpm) wpm = k0;
  }
  if (header) {
    size_t cl = strlen(src->column);
    const lx_tcell head[] = { { "rank", 4, 4, wrank, 0 }, { src->column, cl, cl, witem, 1 },
                              { "count", 5, 5, wcount, 0 }, { "range", 5, 5, wrange, 0 },
                              { "per_million", 11, 11, wpm, 0 } };
    lx_ob_text_row(ob, head, 5);
  }
  for (size_t k = 0; k < n; k++) {
    uint64_t c = src->count(src->ctx, k), rg = src->range(src->ctx, k);
    double pm = src->tokens > 0 ? (double)c * 1e6 / src->tokens : 0;
    const char *s = item_of(src, fmt, k, &buf, &cap, &len);
    if (!s) goto done;
    char rk[24], cn[24], rn[24], pn[LX_NUM_MAX];
    const lx_tcell row[] = { { rk, lx_enc_uint(rk, k + 1), 0, wrank, 0 },
                             { s, len, lx_display_width(s, len), witem, 1 },
                             { cn, lx_enc_uint(cn, c), 0, wcount, 0 }, { rn, lx_enc_uint(rn, rg), 0, wrange, 0 },
                             { pn, lx_enc_num(fmt, pn, pm), 0, wpm, 0 } };
    lx_ob_text_row(ob, row, 5);
  }
  lx_ob_flush(ob);
  rc = ob->err ? ob->err : ferror(f) ? (errno ? errno : EIO) : 0;   /* ENOSPC says more than EIO */
done:
  free(buf);
  free(ob);
  return rc;
}

/* Merged counts as a list source: idx[i] is the table entry to print i-th. */
typedef struct mergedlist {
  const lx_counts *c, *range;
  const size_t *idx;
} mergedlist;

static size_t ml_item(void *ctx, size_t i, char *buf, size_t cap) {
  const mergedlist *m = ctx;
  const char *w;
  size_t len;
  lx_counts_entry(m->c, m->idx[i], &w, &len);
  memcpy(buf, w, len < cap ? len : cap);
  return len;
}

static uint64_t ml_count(void *ctx, size_t i) {
  const mergedlist *m = ctx;
  const char *w;
  size_t len;
  return lx_counts_entry(m->c, m->idx[i], &w, &len);
}

static uint64_t ml_range(void *ctx, size_t i) {
  const mergedlist *m = ctx;
  const char *w;
  size_t len;
  lx_counts_entry(m->c, m->idx[i], &w, &len);
  return m->range ? lx_counts_get(m->range, w, len) : 0;
}

int lx_partial_write_list(FILE *f, const lx_counts *c, const lx_counts *range, const char *column,
                          int format, uint64_t min, size_t limit, int header) {
  size_t n = 0;
  size_t *idx = lx_counts_sorted(c, limit, min, &n);
  if (!idx && n == 0 && lx_counts_types(c) > 0 && min <= 1) return ENOMEM;
  mergedlist m = { c, range, idx };
  lx_listsrc src = { n, column, (double)lx_counts_total(c), &m, ml_item, ml_count, ml_range };
  int rc = lx_list_write(f, &src, format, header);
  free(idx);
  return rc;
}
