/*
** conllu.c: CoNLL-U over the reader of src/vrt.c (Universal Dependencies:
** ten tab-separated columns a word, "#" comments before a sentence, a
** blank line after it).
**
** What becomes of each part (docs/formats.md):
**   - positional attributes: word (FORM) id lemma upos xpos feats head
**     deprel deps misc, then mwt: word first, as in a VRT file;
**   - "_" is an empty value, except as FORM (a word that is an underscore)
**     and as the LEMMA of such a word;
**   - a multiword-token range ("3-4 don't") gives no token: its words do,
**     and each carries the range's surface form as mwt (empty elsewhere);
**   - an empty node ("8.1") is skipped, warned: it is no word of the text;
**   - "# newdoc [id = X]" opens a <text id="X"> region, "# newpar [id = X]"
**     a <p id="X">, each closing the previous one; a sentence is an <s>
**     region with sent_id and text first, then its other "# key = value"
**     comments in their order. Comments of another shape are comments.
*/
#include <errno.h>
#include <string.h>

#include "alloc.h"
#include "vrt_impl.h"

enum { TEXT, PARA, SENT };               /* the structures, in declaration order */
#define NCOLS 10
#define MWT 10                           /* the value index of mwt */

int vrt_conllu_declare(lx_vrt *r) {
  static const char *const names[] = { "id", "lemma", "upos", "xpos", "feats", "head",
                                       "deprel", "deps", "misc", "mwt" };
  size_t lens[10];
  for (size_t i = 0; i < 10; i++) lens[i] = strlen(names[i]);
  if (vrt_set_pattrs(r, names, lens, 10)) return r->failed;
  if (vrt_add_structure(r, "text", 4, -1) || vrt_add_structure(r, "p", 1, -1) ||
      vrt_add_structure(r, "s", 1, -1))
    return r->failed;
  r->structs[TEXT].nkeys = r->structs[PARA].nkeys = 1;
  strcpy(r->structs[TEXT].keys[0], "id");
  strcpy(r->structs[PARA].keys[0], "id");
  r->next_id = 1;
  return 0;
}

static void close_if_open(lx_vrt *r, int si) {
  for (size_t k = 0; k < r->nopen; k++)
    if (r->open[k].structure == si) {
      vrt_close_region(r, si);
      return;
    }
}

/* The blank line after a sentence (or the end of the input). */
static int end_sentence(lx_vrt *r) {
  if (r->mwt_end >= r->next_id)
    return vrt_fail(r, EILSEQ, "the multiword token '%.*s' ends at word %llu, the sentence at word %llu",
                    (int)(r->mwt_len > 60 ? 60 : r->mwt_len), r->mwt, (unsigned long long)r->mwt_end,
                    (unsigned long long)(r->next_id - 1));
  close_if_open(r, SENT);
  r->in_sentence = 0;
  r->next_id = 1;
  r->mwt_end = 0;
  r->npending = 0;
  r->store_len = 0;
  return 0;
}

int vrt_conllu_finish(lx_vrt *r) {
  if (!r->in_sentence) return 0;
  vrt_warn(r, W_NO_BLANK, NULL);
  return end_sentence(r);
}

/* Copies p[0..n) to the end of the store; its offset, or (size_t)-1. */
static size_t keep(lx_vrt *r, const char *p, size_t n) {
  if (r->store_cap - r->store_len < n + 1) {
    size_t cap = r->store_cap ? r->store_cap : 256;
    while (cap - r->store_len < n + 1) cap *= 2;
    char *s = lx_realloc(r->store, cap);
    if (!s) return (size_t)-1;
    r->store = s;
    r->store_cap = cap;
  }
  memcpy(r->store + r->store_len, p, n);
  r->store_len += n;
  return r->store_len - n;
}

static size_t trim_end(const char *p, size_t n) {
  while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
  return n;
}

/* "# newdoc id = X" / "# newpar": closes what it ends and opens its region. */
static int division(lx_vrt *r, int si, const char *val, size_t vn) {
  if (si == TEXT) close_if_open(r, PARA);
  close_if_open(r, si);
  r->key[0] = (lx_vrt_span){ "id", 2 };
  r->val[0] = (lx_vrt_span){ val, vn };
  return vrt_open_region(r, si, 0, 1);
}

/* A "#" line: before a sentence only. */
static int comment(lx_vrt *r, const char *p, size_t n) {
  if (r->in_sentence)
    return vrt_fail(r, EILSEQ, "a comment inside a sentence: expected a word line, or a blank line to end the sentence first");
  size_t i = 1;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  const char *eq = memchr(p + i, '=', n - i);
  size_t kn = trim_end(p + i, (eq ? (size_t)(eq - p) : n) - i);
  const char *key = p + i;
  const char *val = "";
  size_t vn = 0;
  if (eq) {
    size_t j = (size_t)(eq - p) + 1;
    while (j < n && (p[j] == ' ' || p[j] == '\t')) j++;
    val = p + j;
    vn = trim_end(val, n - j);
  }
  for (int si = TEXT; si <= PARA; si++) {
    const char *word = si == TEXT ? "newdoc" : "newpar";
    if (kn >= 6 && memcmp(key, word, 6) == 0 && (kn == 6 || key[6] == ' ')) {
      size_t rest = 6;
      while (rest < kn && key[rest] == ' ') rest++;
      if (rest < kn && !(kn - rest == 2 && memcmp(key + rest, "id", 2) == 0))
        return vrt_fail(r, EILSEQ, "expected '# %s' or '# %s id = ...'", word, word);
      if (rest == kn && eq)
        return vrt_fail(r, EILSEQ, "expected '# %s' or '# %s id = ...'", word, word);
      return division(r, si, val, vn);
    }
  }
  if (!eq || kn == 0) return 0;                  /* a comment of no key = value shape */
  for (size_t k = 0; k < kn; k++)
    if (!vrt_name_char((unsigned char)key[k])) return 0;
  if (kn > 7 && memcmp(key, "global.", 7) == 0) return 0;   /* CoNLL-U Plus file comments */
  if (kn > LX_VRT_MAX_NAME)
    return vrt_fail(r, EILSEQ, "sentence attribute name of %zu bytes, longer than the cap of %d", kn, LX_VRT_MAX_NAME);
  size_t first = (kn == 7 && memcmp(key, "sent_id", 7) == 0) ? 0 : (kn == 4 && memcmp(key, "text", 4) == 0) ? 1 : 2;
  size_t others = 0;                     /* besides sent_id and text, which come first */
  for (size_t k = 0; k < r->npending; k++) {
    if (r->pkeylen[k] == kn && memcmp(r->store + r->pkey[k], key, kn) == 0)
      return vrt_fail(r, EILSEQ, "'# %.*s' given twice for one sentence", (int)kn, key);
    if (!((r->pkeylen[k] == 7 && memcmp(r->store + r->pkey[k], "sent_id", 7) == 0) ||
          (r->pkeylen[k] == 4 && memcmp(r->store + r->pkey[k], "text", 4) == 0)))
      others++;
  }
  if (first == 2 && others == LX_VRT_MAX_KEYS - 2)
    return vrt_fail(r, EILSEQ, "more than %d comment attributes for one sentence (the cap)", LX_VRT_MAX_KEYS - 2);
  size_t ko = keep(r, key, kn), vo = ko == (size_t)-1 ? ko : keep(r, val, vn);
  if (vo == (size_t)-1) return vrt_fail(r, ENOMEM, "out of memory");
  size_t k = r->npending++;
  r->pkey[k] = ko;
  r->pkeylen[k] = kn;
  r->pval[k] = vo;
  r->pvallen[k] = vn;
  return 0;
}

/* Opens the <s> region before the sentence's first line of words. */
static int open_sentence(lx_vrt *r) {
  r->in_sentence = 1;
  r->key[0] = (lx_vrt_span){ "sent_id", 7 };
  r->key[1] = (lx_vrt_span){ "text", 4 };
  r->val[0] = r->val[1] = (lx_vrt_span){ "", 0 };
  size_t n = 2;
  for (size_t k = 0; k < r->npending; k++) {
    lx_vrt_span key = { r->store + r->pkey[k], r->pkeylen[k] };
    lx_vrt_span val = { r->store + r->pval[k], r->pvallen[k] };
    size_t at = key.n == 7 && memcmp(key.p, "sent_id", 7) == 0 ? 0
              : key.n == 4 && memcmp(key.p, "text", 4) == 0 ? 1 : n++;
    r->key[at] = key;
    r->val[at] = val;
  }
  return vrt_open_region(r, SENT, 0, n);
}

/* A decimal number p[*i..) of at most 9 digits, or -1. */
static long number(const char *p, size_t n, size_t *i) {
  size_t s = *i;
  long v = 0;
  while (*i < n && p[*i] >= '0' && p[*i] <= '9' && *i - s < 9) v = v * 10 + (p[(*i)++] - '0');
  if (*i == s || (*i < n && p[*i] >= '0' && p[*i] <= '9')) return -1;
  return v;
}

static int is_underscore(lx_vrt_span v) { return v.n == 1 && v.p[0] == '_'; }

/* A line of a word, a multiword-token range or an empty node. */
static int word_line(lx_vrt *r, char *p, size_t n) {
  size_t ncols = vrt_split_columns(r, p, n);
  if (vrt_fit_columns(r, ncols, NCOLS)) return r->failed;
  lx_vrt_span id = r->value[0];
  size_t i = 0;
  long a = number(id.p, id.n, &i), b = -1;
  int sep = i < id.n ? id.p[i] : 0;
  if (a >= 0 && sep) {
    i++;
    b = number(id.p, id.n, &i);
  }
  if (a < 0 || (sep && (b < 0 || (sep != '-' && sep != '.'))) || i != id.n)
    return vrt_fail(r, EILSEQ, "expected a word id such as 4, 4-5 or 4.1 in the first column, found '%.*s'",
                    (int)(id.n > 40 ? 40 : id.n), id.p);
  if (!r->in_sentence && open_sentence(r)) return r->failed;
  if (sep == '.') {                      /* an empty node: after word a */
    if ((uint64_t)a != r->next_id - 1 || b == 0)
      return vrt_fail(r, EILSEQ, "empty node %ld.%ld: expected %llu.N after word %llu", a, b,
                      (unsigned long long)(r->next_id - 1), (unsigned long long)(r->next_id - 1));
    vrt_warn(r, W_EMPTY_NODE, "%ld.%ld", a, b);
    return 0;
  }
  if ((uint64_t)a != r->next_id)
    return vrt_fail(r, EILSEQ, "word id %ld, expected %llu", a, (unsigned long long)r->next_id);
  if (sep == '-') {                      /* a multiword token: its words follow */
    if (b <= a) return vrt_fail(r, EILSEQ, "multiword token range %ld-%ld: expected an end after its start", a, b);
    if (r->mwt_end >= r->next_id)
      return vrt_fail(r, EILSEQ, "multiword token range %ld-%ld inside the range ending at %llu", a, b,
                      (unsigned long long)r->mwt_end);
    lx_vrt_span form = r->value[1];
    if (r->mwt_cap < form.n) {
      char *m = lx_realloc(r->mwt, form.n);
      if (!m) return vrt_fail(r, ENOMEM, "out of memory");
      r->mwt = m;
      r->mwt_cap = form.n;
    }
    if (form.n) memcpy(r->mwt, form.p, form.n);
    r->mwt_len = form.n;
    r->mwt_end = (uint64_t)b;
    return 0;
  }
  if (r->value[1].n == 0) return vrt_fail(r, EILSEQ, "expected a word form in the second column");
  lx_vrt_span form = r->value[1];
  r->value[1] = r->value[0];             /* word first, then id */
  r->value[0] = form;
  for (size_t k = 1; k < NCOLS; k++)
    if (is_underscore(r->value[k]) && !(k == 2 && is_underscore(form))) r->value[k].n = 0;
  r->value[MWT] = r->mwt_end >= r->next_id ? (lx_vrt_span){ r->mwt, r->mwt_len } : (lx_vrt_span){ "", 0 };
  r->next_id++;
  return vrt_token(r);
}

int vrt_conllu_line(lx_vrt *r) {
  char *p = r->cur;
  size_t n = r->curlen;
  if (vrt_check_utf8(r, p, n)) return r->failed;
  if (trim_end(p, n) == 0) return r->in_sentence ? end_sentence(r) : 0;
  if (p[0] == '#') return comment(r, p, n);
  return word_line(r, p, n);
}
