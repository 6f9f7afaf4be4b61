/*
** partial.c: writing and reading mergeable counts (see partial.h).
** Reading goes line by line with getline, so a line of any length is
** fine and memory is the table, not the file.
*/
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kwic.h"          /* lx_display_width */
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

void lx_put_quoted(FILE *f, const char *s, size_t len, int quote) {
  if (!quote) {
    fwrite(s, 1, len, f);
    return;
  }
  for (size_t j = 0; j < len; j++) {
    unsigned char c = (unsigned char)s[j];
    if (quote == 1 && c == '"') fputs("\"\"", f);
    else if (quote == 2 && (c == '"' || c == '\\')) putc('\\', f), putc(c, f);
    else if (quote == 2 && c < 0x20) fprintf(f, "\\u%04x", c);
    else putc(c, f);
  }
}

/* Most words are ASCII: one column a byte, without libunistring. */
size_t lx_text_width(const char *s, size_t len) {
  size_t j = 0;
  while (j < len && (unsigned char)s[j] < 0x80) j++;
  return j == len ? len : lx_display_width(s, len);
}

int lx_list_write(FILE *f, const lx_listsrc *src, int format, int header) {
  size_t n = src->n, width = 5;
  if (format == LX_LIST_TEXT)
    for (size_t k = 0; k < n; k++) {
      size_t w = src->width(src->ctx, k);
      if (w > width) width = w;
    }
  if (header) {
    if (format == LX_LIST_TEXT)
      fprintf(f, "%6s  %-*s  %10s  %6s  %12s\n", "rank", (int)width, src->column, "count", "range",
              "per_million");
    else if (format == LX_LIST_TSV) fprintf(f, "rank\t%s\tcount\trange\tper_million\n", src->column);
    else if (format == LX_LIST_CSV) fprintf(f, "rank,%s,count,range,per_million\n", src->column);
  }
  if (format == LX_LIST_JSON) fputs("[", f);
  for (size_t k = 0; k < n; k++) {
    uint64_t c = src->count(src->ctx, k), rg = src->range(src->ctx, k);
    double pm = src->tokens > 0 ? (double)c * 1e6 / src->tokens : 0;
    switch (format) {
    case LX_LIST_TEXT:
      fprintf(f, "%6zu  ", k + 1);
      src->put(src->ctx, f, k, 0);
      fprintf(f, "%*s  %10" PRIu64 "  %6" PRIu64 "  %12.2f\n",
              (int)(width - src->width(src->ctx, k)), "", c, rg, pm);
      break;
    case LX_LIST_TSV:
      fprintf(f, "%zu\t", k + 1);
      src->put(src->ctx, f, k, 0);
      fprintf(f, "\t%" PRIu64 "\t%" PRIu64 "\t%.2f\n", c, rg, pm);
      break;
    case LX_LIST_CSV:
      fprintf(f, "%zu,\"", k + 1);
      src->put(src->ctx, f, k, 1);
      fprintf(f, "\",%" PRIu64 ",%" PRIu64 ",%.2f\n", c, rg, pm);
      break;
    default:
      fprintf(f, "%s\n{\"rank\":%zu,\"%s\":\"", k ? "," : "", k + 1, src->column);
      src->put(src->ctx, f, k, 2);
      fprintf(f, "\",\"count\":%" PRIu64 ",\"range\":%" PRIu64 ",\"per_million\":%.2f}", c, rg, pm);
    }
  }
  if (format == LX_LIST_JSON) fputs(n ? "\n]\n" : "]\n", f);
  return ferror(f) ? (errno ? errno : EIO) : 0;   /* ENOSPC says more than EIO */
}

/* Merged counts as a list source: idx[i] is the table entry to print i-th. */
typedef struct mergedlist {
  const lx_counts *c, *range;
  const size_t *idx;
} mergedlist;

static void ml_put(void *ctx, FILE *f, size_t i, int quote) {
  const mergedlist *m = ctx;
  const char *w;
  size_t len;
  lx_counts_entry(m->c, m->idx[i], &w, &len);
  lx_put_quoted(f, w, len, quote);
}

static size_t ml_width(void *ctx, size_t i) {
  const mergedlist *m = ctx;
  const char *w;
  size_t len;
  lx_counts_entry(m->c, m->idx[i], &w, &len);
  return lx_text_width(w, len);
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
  lx_listsrc src = { n, column, (double)lx_counts_total(c), &m, ml_put, ml_width, ml_count, ml_range };
  int rc = lx_list_write(f, &src, format, header);
  free(idx);
  return rc;
}
