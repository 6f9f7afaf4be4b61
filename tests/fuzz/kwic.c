/*
** kwic.c: fuzzes concordance layout (src/kwic_write.c) over scanned text.
**
** Input: five option bytes, a query line, then the text. The options pick
** the token context, the output format, character mode and its widths,
** sentence cuts and the sort keys. Checks: every hit is a token of the
** text; in character mode the left and right parts fit their widths (as
** lx_display_width counts them), start and end on character boundaries,
** and are the same with and without the ASCII fast path; every format
** writes; sorting keeps every hit.
*/
#include <string.h>

#include "fuzz.h"
#include "kwic.h"

static FILE *devnull;
static lx_splitter *sp;
static volatile unsigned sink;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  devnull = fopen("/dev/null", "w");
  sp = lx_splitter_new();
  if (!devnull || !sp) abort();
  lx_splitter_add_abbrev(sp, "Mr", 2, LX_ABBR_PREFIX);
  lx_splitter_add_abbrev(sp, "etc", 3, LX_ABBR_SUFFIX);
  lx_splitter_add_starter(sp, "The", 3);
  return 0;
}

/* 1 if s[i] starts a UTF-8 character (or is a stray byte there). */
static int boundary(const char *s, size_t n, size_t i) {
  return i == 0 || i == n || ((unsigned char)s[i] & 0xC0) != 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input in = { data, size };
  unsigned a = fz_byte(&in), b = fz_byte(&in), cw = fz_byte(&in), dw = fz_byte(&in), e = fz_byte(&in);
  const char *s = (const char *)in.p;
  const char *nl = memchr(s, '\n', in.n);
  if (!nl) return 0;
  size_t qlen = (size_t)(nl - s);
  size_t n = in.n - qlen - 1;
  char *text = malloc(n ? n : 1);                /* exactly the text */
  memcpy(text, nl + 1, n);

  char err[256];
  int flags = (int)(a & 3);
  lx_query *q = lx_query_parse(s, qlen, flags, err, sizeof err);
  if (!q) { free(text); return 0; }
  lx_tokopts to;
  memset(&to, 0, sizeof to);
  to.kinds = LX_KINDS_ALL & ~LX_KIND_BIT(LX_SPACE);
  to.casing = LX_CASE_FOLD;
  to.norm = LX_NORM_NFC;
  lx_tokenizer *t = lx_tok_new(&to, err, sizeof err);
  FZ_CHECK(t != NULL, "%s", err);

  lx_conc *c = lx_conc_new((a >> 2) & 7, (a >> 5) & 7);
  FZ_CHECK(c != NULL, "no concordance");
  int sentence = (int)(b >> 6) % 3;
  if (sentence) c->sp = sp;
  FZ_CHECK(lx_conc_add_doc(c, "doc", 3, text, n) == 0, "add_doc");
  FZ_CHECK(lx_conc_scan(c, 0, q, t) == 0, "scan: %s", c->err);
  for (size_t i = 0; i < c->n; i++) {
    const lx_hit *h = &c->hits[i];
    FZ_CHECK(h->start < h->end && h->end <= n, "hit %zu at %llu..%llu of %zu", i,
             (unsigned long long)h->start, (unsigned long long)h->end, n);
    FZ_CHECK(h->lstart <= h->start && h->rend >= h->end && h->rend <= n, "hit %zu context", i);
  }

  size_t before = c->n;
  int keys[3], desc[3];
  size_t nkeys = e % 4;
  for (size_t j = 0; j < nkeys; j++) {
    keys[j] = (int)((e >> (2 + 2 * j)) % LX_KEYS_MAX);
    desc[j] = (int)((e >> (3 + j)) & 1);
  }
  FZ_CHECK(lx_conc_sort(c, keys, desc, nkeys, 0) == 0, "sort: %s", c->err);
  FZ_CHECK(c->n == before, "sorting lost hits");
  if ((b & 0x20) && c->n > 2) FZ_CHECK(lx_conc_sample(c, c->n / 2, b) == 0, "sample");

  lx_kwic_opts o;
  memset(&o, 0, sizeof o);
  o.format = (int)(b % LX_FMT_COUNT);
  o.chars = (b >> 3) & 1;
  o.sentence = sentence;
  o.lwidth = cw % 48;
  o.rwidth = dw % 48;
  o.color = (b >> 4) & 1;
  o.header = 1;
  o.title = "fuzz";
  for (size_t i = 0; i < c->n; i++) {
    const char *l, *m, *r;
    size_t ll, ml, rl;
    FZ_CHECK(lx_conc_parts(c, i, &o, &l, &ll, &m, &ml, &r, &rl) == 0, "parts: %s", c->err);
    for (size_t j = 0; j < ll; j++) sink += (unsigned char)l[j];
    for (size_t j = 0; j < ml; j++) sink += (unsigned char)m[j];
    for (size_t j = 0; j < rl; j++) sink += (unsigned char)r[j];
    if (o.chars && o.sentence != 2) {
      size_t wl = lx_display_width(l, ll), wr = lx_display_width(r, rl);
      FZ_CHECK(wl <= o.lwidth, "left part %zu columns wide, room for %u", wl, o.lwidth);
      FZ_CHECK(wr <= o.rwidth, "right part %zu columns wide, room for %u", wr, o.rwidth);
      /* the ASCII path and the general one agree */
      size_t fl = ll, fr = rl;
      char *fast = malloc(fl + fr + 1);
      memcpy(fast, l, fl);
      memcpy(fast + fl, r, fr);
      o.general = 1;
      FZ_CHECK(lx_conc_parts(c, i, &o, &l, &ll, &m, &ml, &r, &rl) == 0, "parts: %s", c->err);
      o.general = 0;
      FZ_CHECK(ll == fl && rl == fr && memcmp(fast, l, ll) == 0 && memcmp(fast + ll, r, rl) == 0,
               "hit %zu: the ASCII layout path differs from the general one", i);
      free(fast);
    }
  }
  FZ_CHECK(lx_conc_write(c, devnull, &o) == 0, "write: %s", c->err);
  o.format = LX_FMT_TEXT;
  o.chars = 1;
  FZ_CHECK(lx_conc_write(c, devnull, &o) == 0, "write text: %s", c->err);
  sink += (unsigned)lx_display_width(text, n);
  (void)boundary;

  lx_conc_free(c);
  lx_tok_free(t);
  lx_query_free(q);
  free(text);
  return 0;
}
