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
  fprintf(f, "#lexis-partial %d %s tokens=%" PRIu64 " docs=%" PRIu64 "\n", LX_PARTIAL_VERSION, kind,
          tokens, docs);
}

static void edge_line(FILE *f, const char *tag, const lx_edge *e) {
  const char *piece = e->piece && e->piece[0] && !strpbrk(e->piece, "\t\n\r") ? e->piece : "-";
  fprintf(f, "#%s\t%s\t%s\t%s\t%s", tag, e->doc, piece, e->open ? "open" : "closed",
          e->glued ? "glued" : "space");
  for (int i = 0; i < e->n; i++) {
    putc('\t', f);
    fwrite(e->w[i], 1, e->len[i], f);
  }
  putc('\n', f);
}

void lx_partial_edges(FILE *f, const lx_edge *first, const lx_edge *last, int run) {
  if (first && first->doc) edge_line(f, "first", first);
  if (last && last->doc) edge_line(f, "last", last);
  if (run && first && first->doc && last && last->doc) fputs("#run\n", f);
}

void lx_partial_row(FILE *f, const char *item, size_t len, uint64_t count, uint64_t range) {
  fprintf(f, "%" PRIu64 "\t%" PRIu64 "\t", count, range);
  fwrite(item, 1, len, f);
  putc('\n', f);
}

int lx_partial_write_counts(FILE *f, const lx_counts *c, const lx_counts *range, const char *kind,
                            uint64_t docs, const lx_edge *first, const lx_edge *last) {
  lx_partial_header(f, kind, lx_counts_total(c), docs);
  lx_partial_edges(f, first, last, 0);
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

/* A range: a number, then "f" (in the first document), "l" (in the
** last) or "fl"; *flags gets 1 for f, 2 for l. */
static int parse_range(const char *s, size_t len, uint64_t *v, int *flags) {
  *flags = 0;
  if (len && s[len - 1] == 'l') *flags |= 2, len--;
  if (len && s[len - 1] == 'f') *flags |= 1, len--;
  return parse_u64(s, len, v);
}

/* Parses "key=NUMBER" out of the header's words. */
static uint64_t header_field(const char *line, const char *key) {
  const char *p = strstr(line, key);
  if (!p) return 0;
  return strtoull(p + strlen(key), NULL, 10);
}

/* ---------------------------------------------------------------- merging */

/* Words owned by the merge (edge words and the words carried over a cut). */
typedef struct words {
  char *w[2 * LX_EDGE_WORDS];
  size_t len[2 * LX_EDGE_WORDS];
  int n;
} words;

static void words_clear(words *x) {
  for (int i = 0; i < x->n; i++) free(x->w[i]);
  x->n = 0;
}

/* Appends s[0..len); -1 if out of memory. */
static int words_add(words *x, const char *s, size_t len) {
  char *c = lx_malloc(len + 1);
  if (!c) return -1;
  memcpy(c, s, len);
  c[len] = 0;
  x->w[x->n] = c, x->len[x->n] = len, x->n++;
  return 0;
}

/* Keeps the first (front) or last k words. */
static void words_keep(words *x, int k, int front) {
  if (x->n <= k) return;
  int drop = x->n - k;
  if (front) {
    for (int i = k; i < x->n; i++) free(x->w[i]);
  } else {
    for (int i = 0; i < drop; i++) free(x->w[i]);
    memmove(x->w, x->w + drop, (size_t)k * sizeof *x->w);
    memmove(x->len, x->len + drop, (size_t)k * sizeof *x->len);
  }
  x->n = k;
}

/* One side of a part as read: #first or #last. */
typedef struct side {
  int named;
  char *doc;
  char *piece;             /* the file it was read from, or "-" */
  int open, glued;
  words w;
} side;

static void side_clear(side *e) {
  free(e->doc);
  free(e->piece);
  words_clear(&e->w);
  memset(e, 0, sizeof *e);
}

struct lx_merge {
  lx_counts *counts, *range;
  /* While the parts so far are all of the first document (the pieces of
  ** one file), every item counted is in it and the two tables stay empty;
  ** they are filled once a second document comes. */
  lx_counts *seen;         /* item -> number of the last document holding it (pieces only) */
  lx_counts *infirst;      /* items of the first document, when it is a piece */
  int snapped;             /* infirst holds them (a second document came) */
  char kind[32];
  int n;                   /* words per n-gram; 1 for word counts */
  uint64_t tokens, docs;   /* docs: documents so far, so also the last one's number */
  int parts;
  side first;              /* the first part's first side, with the head of the sum */
  side last;               /* the last part's last side, its words those carried on */
  int run;                 /* the parts so far are one run of words */
  char **names;            /* documents that had pieces, to refuse pieces out of order */
  size_t nnames;
};

lx_merge *lx_merge_new(lx_counts *counts, lx_counts *range) {
  lx_merge *m = lx_calloc(1, sizeof *m);
  if (!m) return NULL;
  m->counts = counts, m->range = range;
  if (!(m->seen = lx_counts_new()) || !(m->infirst = lx_counts_new())) {
    lx_merge_free(m);
    return NULL;
  }
  return m;
}

void lx_merge_free(lx_merge *m) {
  if (!m) return;
  lx_counts_free(m->seen);
  lx_counts_free(m->infirst);
  side_clear(&m->first);
  side_clear(&m->last);
  for (size_t i = 0; i < m->nnames; i++) free(m->names[i]);
  free(m->names);
  free(m);
}

const char *lx_merge_kind(const lx_merge *m) { return m->kind; }
uint64_t lx_merge_tokens(const lx_merge *m) { return m->tokens; }
uint64_t lx_merge_docs(const lx_merge *m) { return m->docs; }

/* Parses an edge line's fields after the tag into e; 0, or -1 (malformed,
** or no memory: *nomem). */
static int parse_side(const char *s, size_t len, side *e, int *nomem) {
  enum { FIXED = 4 };       /* document, piece, open|closed, space|glued */
  const char *end = s + len, *f[FIXED + LX_EDGE_WORDS];
  size_t fl[FIXED + LX_EDGE_WORDS];
  int k = 0;
  while (s <= end && k < FIXED + LX_EDGE_WORDS) {
    const char *t = memchr(s, '\t', (size_t)(end - s));
    if (!t) t = end;
    f[k] = s, fl[k] = (size_t)(t - s), k++;
    s = t + 1;
  }
  if (s <= end || k < FIXED || fl[0] == 0 || fl[1] == 0) return -1;   /* too many words, or too few fields */
  side_clear(e);
  e->named = 1;
  e->open = fl[2] == 4 && memcmp(f[2], "open", 4) == 0;
  e->glued = fl[3] == 5 && memcmp(f[3], "glued", 5) == 0;
  if ((!e->open && !(fl[2] == 6 && memcmp(f[2], "closed", 6) == 0)) ||
      (!e->glued && !(fl[3] == 5 && memcmp(f[3], "space", 5) == 0)))
    return -1;
  if (!(e->doc = lx_malloc(fl[0] + 1)) || !(e->piece = lx_malloc(fl[1] + 1))) goto nomem;
  memcpy(e->doc, f[0], fl[0]);
  e->doc[fl[0]] = 0;
  memcpy(e->piece, f[1], fl[1]);
  e->piece[fl[1]] = 0;
  for (int i = FIXED; i < k; i++)
    if (words_add(&e->w, f[i], fl[i])) goto nomem;
  return 0;
nomem:
  *nomem = 1;
  return -1;
}

/* Sets the document number of an item (a piece's) to d. */
static int set_seen(lx_counts *seen, const char *item, size_t len, uint64_t d) {
  uint64_t old = lx_counts_get(seen, item, len);
  return d > old ? lx_counts_add(seen, item, len, d - old) : 0;
}

/* What a part adds, once its edges are read: which documents its first and
** last are (continuing the last one so far or not), and the n-grams across
** the cut before it. */
typedef struct partctx {
  side first, last;
  int run;
  uint64_t docs;
  int cont;                /* its first document continues the last one so far */
  int solo;                /* the documents before it were the first alone (or none) */
  uint64_t dfirst, dlast;  /* the numbers of its first and last documents */
} partctx;

/* Did document d, the first document of part p (which continues it), hold
** item already? */
static int held(const lx_merge *m, const partctx *p, const char *item, size_t len, uint64_t d) {
  return p->solo ? lx_counts_get(m->counts, item, len) > 0 : lx_counts_get(m->seen, item, len) == d;
}

/* Item is in document d of part p: the tables that say so (see lx_merge). */
static int note_doc(lx_merge *m, const char *item, size_t len, uint64_t d) {
  int rc = d > 1 ? set_seen(m->seen, item, len, d) : 0;
  if (!rc && d == 1 && m->snapped) rc = lx_counts_add(m->infirst, item, len, 1);
  return rc;
}

/* Every item so far is in the first document: infirst gets them all, as a
** second document comes. */
static int snapshot(lx_merge *m) {
  m->snapped = 1;
  for (size_t i = 0, n = lx_counts_size(m->counts); i < n; i++) {
    const char *w;
    size_t len;
    uint64_t cnt = lx_counts_entry(m->counts, i, &w, &len);
    int rc = w && cnt ? lx_counts_add(m->infirst, w, len, 1) : 0;
    if (rc) return rc;
  }
  return 0;
}

/* Counts one occurrence of item (an n-gram across a cut) in document d,
** the first of part p. */
static int add_in_doc(lx_merge *m, const partctx *p, const char *item, size_t len, uint64_t d) {
  int again = held(m, p, item, len, d);
  int rc = lx_counts_add(m->counts, item, len, 1);
  if (!rc && !again && m->range) rc = lx_counts_add(m->range, item, len, 1);
  if (!rc) rc = note_doc(m, item, len, d);
  return rc;
}

/* The part's place among the documents, and the n-grams across the cut:
** the carried words and the part's head, each n-gram that starts in the
** first and ends in the second. 0, or a counts error; warn set for a cut
** that may fall in a word. */
static int begin_part(lx_merge *m, partctx *p, const char *name, char *warn, size_t warnlen,
                      char *err, size_t errlen) {
  p->cont = m->last.named && p->first.named && strcmp(m->last.doc, p->first.doc) == 0;
  words_keep(&p->first.w, m->n - 1, 1);   /* n-1 words are all a join uses */
  words_keep(&p->last.w, m->n - 1, 0);
  if (p->first.named && !p->cont) {
    for (size_t i = 0; i < m->nnames; i++)
      if (strcmp(m->names[i], p->first.doc) == 0) {
        snprintf(err, errlen, "%s: a piece of '%s' that does not follow the piece before it "
                 "(give the pieces of a document in order, one after the other)", name, p->first.doc);
        return 1;
      }
  }
  if (p->cont && strcmp(m->last.piece, "-") != 0 && strcmp(p->first.piece, "-") != 0 &&
      strverscmp(m->last.piece, p->first.piece) >= 0) {
    snprintf(err, errlen, "%s: the piece '%s' of '%s' comes after '%s': pieces are joined in the "
             "order given, and their names must sort in that order (split's names do)", name,
             p->first.piece, p->first.doc, m->last.piece);
    return 1;
  }
  uint64_t more = p->docs - (p->cont && p->docs ? 1 : 0);   /* documents it adds */
  if (more > LX_COUNT_MAX - m->docs) {
    snprintf(err, errlen, "%s: the total of documents would overflow", name);
    return 1;
  }
  p->solo = m->docs <= 1;
  p->dfirst = p->cont ? m->docs : m->docs + 1;
  m->docs += more;
  p->dlast = m->docs > p->dfirst ? m->docs : p->dfirst;
  if (m->docs > 1 && m->first.named && !m->snapped) {
    int rc = snapshot(m);
    if (rc) return rc;
  }
  int joined = p->cont && m->last.open && p->first.open;
  if (p->cont && m->last.glued && p->first.glued)
    snprintf(warn, warnlen, "%s: the cut before it may fall inside a word (no white space on "
             "either side); the counts around it are not exact: cut at line ends (split -n l/K)", name);
  if (joined && m->n > 1) {
    words seq = { { 0 }, { 0 }, 0 };
    for (int i = 0; i < m->last.w.n; i++) seq.w[seq.n] = m->last.w.w[i], seq.len[seq.n++] = m->last.w.len[i];
    for (int i = 0; i < p->first.w.n; i++) seq.w[seq.n] = p->first.w.w[i], seq.len[seq.n++] = p->first.w.len[i];
    char buf[4096];
    for (int j = 0; j < m->last.w.n && j + m->n <= seq.n; j++) {
      size_t at = 0;
      char *item = buf;
      size_t need = 0;
      for (int q = 0; q < m->n; q++) need += seq.len[j + q] + 1;
      if (need > sizeof buf && !(item = lx_malloc(need))) return LX_COUNTS_NOMEM;
      for (int q = 0; q < m->n; q++) {
        if (q) item[at++] = ' ';
        memcpy(item + at, seq.w[j + q], seq.len[j + q]);
        at += seq.len[j + q];
      }
      int rc = add_in_doc(m, p, item, at, p->dfirst);
      if (item != buf) free(item);
      if (rc) return rc;
    }
  }
  /* the head of the sum grows while the parts are one run */
  if (joined && m->run && m->first.named && m->first.w.n < m->n - 1)
    for (int i = 0; i < p->first.w.n; i++)
      if (words_add(&m->first.w, p->first.w.w[i], p->first.w.len[i])) return LX_COUNTS_NOMEM;
  if (m->first.w.n > m->n - 1) words_keep(&m->first.w, m->n - 1, 1);
  m->run = m->parts == 0 ? p->run : m->run && joined && p->run;
  return 0;
}

/* After the part: its last side is the last so far; the words carried on
** are its tail, after the carried words when it was one run they ran into. */
static int end_part(lx_merge *m, partctx *p) {
  int through = p->cont && m->last.open && p->first.open && p->run;
  const char *fresh[2] = { p->first.named && !p->cont ? p->first.doc : NULL,
                           p->last.named && !(p->first.named && strcmp(p->first.doc, p->last.doc) == 0)
                             ? p->last.doc : NULL };
  for (int k = 0; k < 2; k++) {   /* documents met for the first time */
    if (!fresh[k]) continue;
    char **nn = lx_realloc(m->names, (m->nnames + 1) * sizeof *nn);
    if (!nn) return -1;
    m->names = nn;
    if (!(nn[m->nnames] = lx_strdup(fresh[k]))) return -1;
    m->nnames++;
  }
  words carry = m->last.w;
  m->last.w.n = 0;
  free(m->last.doc);
  free(m->last.piece);
  m->last = p->last;
  memset(&p->last, 0, sizeof p->last);
  if (through && m->last.open) {
    words tail = m->last.w;
    m->last.w = carry;
    for (int i = 0; i < tail.n; i++) {
      m->last.w.w[m->last.w.n] = tail.w[i], m->last.w.len[m->last.w.n++] = tail.len[i];
      if (m->last.w.n > m->n - 1) words_keep(&m->last.w, m->n > 1 ? m->n - 1 : 0, 0);
    }
  } else {
    words_clear(&carry);
  }
  if (!m->last.open) words_clear(&m->last.w);
  return 0;
}

/*
** Reads one file of partial counts (or a word list, without merge state m)
** into counts and range. With m, edges are taken into account.
*/
static int read_part(FILE *f, const char *name, lx_counts *counts, lx_counts *range, lx_merge *m,
                     lx_partial_info *info, char *warn, size_t warnlen, char *err, size_t errlen) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  uint64_t lineno = 0, sum = 0;
  int partial = -1, rc = 0, begun = 0;
  partctx p;
  memset(&p, 0, sizeof p);
  memset(info, 0, sizeof *info);
  if (warn && warnlen) warn[0] = 0;
  for (;;) {
    got = getline(&line, &cap, f);
    size_t len = got > 0 ? (size_t)got : 0;
    lineno += got >= 0;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    if (got >= 0 && partial < 0) {
      partial = strncmp(line, "#lexis-partial ", 15) == 0;
      if (partial) {
        char kind[32] = "";
        int version = 0;
        if (sscanf(line, "#lexis-partial %d %31s", &version, kind) != 2 || version < 1 ||
            version > LX_PARTIAL_VERSION) {
          snprintf(err, errlen, "%s:1: a partial-counts header of an unknown version (this lexis "
                   "reads versions 1 to %d)", name, LX_PARTIAL_VERSION);
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
      if (m) {
        snprintf(err, errlen, "%s: not partial counts (no #lexis-partial line)", name);
        rc = -1;
        break;
      }
    }
    if (m && partial == 1 && got >= 0 && !begun && line[0] == '#') {   /* the edges */
      int nomem = 0, bad = 0;
      if (len >= 7 && memcmp(line, "#first\t", 7) == 0) bad = parse_side(line + 7, len - 7, &p.first, &nomem);
      else if (len >= 6 && memcmp(line, "#last\t", 6) == 0) bad = parse_side(line + 6, len - 6, &p.last, &nomem);
      else if (len == 4 && memcmp(line, "#run", 4) == 0) p.run = 1;
      if (bad) {
        if (nomem) snprintf(err, errlen, "%s: not enough memory", name);
        else snprintf(err, errlen, "%s:%" PRIu64 ": expected #first or #last, TAB, document, "
                      "TAB, open or closed, TAB, space or glued, then up to %d words", name, lineno,
                      LX_EDGE_WORDS);
        rc = -1;
        break;
      }
      continue;
    }
    if (m && partial == 1 && !begun && (got < 0 || (len && line[0] != '#'))) {
      begun = 1;
      p.docs = info->docs;
      if (m->parts == 0) {
        snprintf(m->kind, sizeof m->kind, "%s", info->kind);
        m->n = strncmp(info->kind, "ngrams-", 7) == 0 ? atoi(info->kind + 7) : 1;
        if (m->n < 1 || m->n > LX_EDGE_WORDS) m->n = 1;
        if (p.first.named) {
          m->first.named = 1;
          m->first.open = p.first.open, m->first.glued = p.first.glued;
          if (!(m->first.doc = lx_strdup(p.first.doc)) || !(m->first.piece = lx_strdup(p.first.piece)))
            goto nomem;
          for (int i = 0; i < p.first.w.n; i++)
            if (words_add(&m->first.w, p.first.w.w[i], p.first.w.len[i])) goto nomem;
        }
      } else if (strcmp(m->kind, info->kind) != 0) {
        snprintf(err, errlen, "%s: holds %s counts, the parts before it %s", name, info->kind, m->kind);
        rc = -1;
        break;
      }
      if (info->tokens > LX_COUNT_MAX - m->tokens) {
        snprintf(err, errlen, "%s: the total of tokens would overflow", name);
        rc = -1;
        break;
      }
      int brc = begin_part(m, &p, name, warn, warnlen, err, errlen);
      if (brc == 1) {
        rc = -1;
        break;
      }
      if (brc == LX_COUNTS_OVERFLOW) {
        snprintf(err, errlen, "%s: the count of an n-gram across the cut before it would overflow", name);
        rc = -1;
        break;
      }
      if (brc) goto nomem;
    }
    if (got < 0) break;
    if (len == 0 || line[0] == '#') continue;
    char *t1 = memchr(line, '\t', len);
    uint64_t count, rg = 0;
    int flags = 0;
    const char *item;
    size_t ilen;
    if (partial) {
      char *t2 = t1 ? memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line)) : NULL;
      if (!t2 || !parse_u64(line, (size_t)(t1 - line), &count) ||
          !parse_range(t1 + 1, (size_t)(t2 - t1 - 1), &rg, &flags)) {
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
    int arc = 0;
    if (m && (p.first.named || p.last.named)) {
      /* a piece: the documents it shares with its neighbours count once */
      if (p.docs <= 1) flags = 3;
      int inf = (flags & 1) && p.first.named, inl = (flags & 2) && p.last.named;
      if (p.cont && inf && rg > 0 && held(m, &p, item, ilen, p.dfirst)) rg--;
      if (inf) arc = note_doc(m, item, ilen, p.dfirst);
      if (!arc && inl && p.dlast != p.dfirst) arc = note_doc(m, item, ilen, p.dlast);
    }
    if (!arc) arc = lx_counts_add(counts, item, ilen, count);
    if (arc == 0 && range && rg) arc = lx_counts_add(range, item, ilen, rg);
    if (arc == LX_COUNTS_OVERFLOW) {
      snprintf(err, errlen, "%s:%" PRIu64 ": count of '%.*s' would overflow", name, lineno,
               ilen > 60 ? 60 : (int)ilen, item);
      rc = -1;
      break;
    }
    if (arc) goto nomem;
    sum += count;
  }
  if (0) {
  nomem:
    snprintf(err, errlen, "%s: not enough memory", name);
    rc = -1;
  }
  if (rc == 0 && ferror(f)) {
    snprintf(err, errlen, "%s: %s", name, strerror(errno));
    rc = -1;
  }
  if (rc == 0 && m && partial != 1) {
    snprintf(err, errlen, "%s: not partial counts (no #lexis-partial line)", name);
    rc = -1;
  }
  if (rc == 0 && m) {
    m->tokens += info->tokens;
    if (end_part(m, &p)) {
      snprintf(err, errlen, "%s: not enough memory", name);
      rc = -1;
    }
    m->parts++;
  }
  side_clear(&p.first);
  side_clear(&p.last);
  free(line);
  if (rc == 0 && partial != 1) info->tokens = sum;
  return rc;
}

int lx_partial_read(FILE *f, const char *name, lx_counts *counts, lx_counts *range,
                    lx_partial_info *info, char *err, size_t errlen) {
  return read_part(f, name, counts, range, NULL, info, NULL, 0, err, errlen);
}

int lx_merge_read(lx_merge *m, FILE *f, const char *name, char *warn, size_t warnlen, char *err,
                  size_t errlen) {
  lx_partial_info info;
  return read_part(f, name, m->counts, m->range, m, &info, warn, warnlen, err, errlen);
}

int lx_merge_write(const lx_merge *m, FILE *f) {
  const lx_counts *c = m->counts;
  lx_partial_header(f, m->kind[0] ? m->kind : "freq", m->tokens, m->docs);
  lx_edge e[2];
  const side *s[2] = { &m->first, &m->last };
  for (int k = 0; k < 2; k++) {
    int nw = s[k]->w.n < LX_EDGE_WORDS ? s[k]->w.n : LX_EDGE_WORDS;
    e[k] = (lx_edge){ s[k]->named ? s[k]->doc : NULL, s[k]->piece, s[k]->open, s[k]->glued, nw,
                      { 0 }, { 0 } };
    for (int i = 0; i < s[k]->w.n && i < LX_EDGE_WORDS; i++) e[k].w[i] = s[k]->w.w[i], e[k].len[i] = s[k]->w.len[i];
  }
  lx_partial_edges(f, &e[0], &e[1], m->run);
  int flagged = m->docs > 1 && (m->first.named || m->last.named);
  for (size_t i = 0, n = lx_counts_size(c); i < n; i++) {
    const char *w;
    size_t len;
    uint64_t cnt = lx_counts_entry(c, i, &w, &len);
    if (!w || cnt == 0) continue;
    fprintf(f, "%" PRIu64 "\t%" PRIu64 "%s%s\t", cnt, m->range ? lx_counts_get(m->range, w, len) : 0,
            flagged && m->first.named && lx_counts_get(m->infirst, w, len) ? "f" : "",
            flagged && m->last.named && lx_counts_get(m->seen, w, len) == m->docs ? "l" : "");
    fwrite(w, 1, len, f);
    putc('\n', f);
  }
  return ferror(f) ? (errno ? errno : EIO) : 0;   /* ENOSPC says more than EIO */
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
