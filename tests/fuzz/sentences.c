/*
** sentences.c: fuzzes the sentence splitter (src/sentences.c).
**
** Input: three option bytes, then the text. The options pick the newline
** policy, ordinal numbers, a small max_sentence, the chunk size and the
** thread count. Checks: the sentences of the whole text equal those of the
** text fed in chunks (each chunk copied to a buffer of exactly its size, so
** AddressSanitizer sees a read past its end), carrying the unsettled rest
** as a streaming caller does; spans are non-empty, ordered, inside the text
** and trimmed; lx_split_stream gives the same lines on one thread and on
** several; lx_collapse_space matches a plain loop.
*/
#include <string.h>

#include "fuzz.h"
#include "sentences.h"

typedef struct spans {
  lx_span *s;
  size_t n, cap;
} spans;

static void push(spans *v, size_t a, size_t b) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 64;
    v->s = realloc(v->s, v->cap * sizeof *v->s);
    FZ_CHECK(v->s != NULL, "out of memory");
  }
  v->s[v->n].start = a;
  v->s[v->n].stop = b;
  v->n++;
}

/* Splits text[0, n) fed `chunk` bytes at a time (n at once if chunk is 0). */
static void split(const lx_splitter *sp, const char *text, size_t n, size_t chunk, spans *out) {
  lx_split_state st;
  memset(&st, 0, sizeof st);
  lx_span batch[LX_SPLIT_MIN_SPANS + 3];
  char *carry = NULL;
  size_t clen = 0, fed = 0, base = 0;
  for (;;) {
    size_t add = chunk == 0 || n - fed < chunk ? n - fed : chunk;
    char *buf = malloc(clen + add + 1); /* exactly the bytes there are (+1 for malloc(0)) */
    FZ_CHECK(buf != NULL, "out of memory");
    if (clen) memcpy(buf, carry, clen);
    memcpy(buf + clen, text + fed, add);
    free(carry);
    fed += add;
    size_t len = clen + add, done = 0;
    int eof = fed == n;
    for (;;) {
      size_t settled;
      size_t k = lx_split(sp, &st, buf + done, len - done, eof, batch,
                          sizeof batch / sizeof batch[0], &settled);
      for (size_t i = 0; i < k; i++)
        push(out, base + done + batch[i].start, base + done + batch[i].stop);
      done += settled;
      if (settled == 0 || done == len)
        break;
    }
    FZ_CHECK(!eof || done == len, "eof left %zu bytes unsettled", len - done);
    base += done;
    clen = len - done;
    carry = malloc(clen + 1);
    FZ_CHECK(carry != NULL, "out of memory");
    memcpy(carry, buf + done, clen);
    free(buf);
    if (eof)
      break;
  }
  free(carry);
}

static int space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* lx_split_stream's output on `threads` threads, in a malloced buffer. */
static char *stream(const lx_splitter *sp, const char *text, size_t n, int threads, size_t chunk,
                    size_t *olen) {
  static char empty[1];
  FILE *in = fmemopen(n ? (void *)text : empty, n ? n : 1, "rb");
  char *out = NULL;
  FILE *o = open_memstream(&out, olen);
  FZ_CHECK(in != NULL && o != NULL, "no memory stream");
  if (n == 0) fgetc(in); /* fmemopen wants a size: read the one byte away */
  lx_stream_opts opts = { .mode = LX_OUT_OFFSETS, .chunk = chunk, .threads = threads };
  lx_stream_result res;
  FZ_CHECK(lx_split_stream(sp, in, o, &opts, &res) == LX_STREAM_OK, "stream failed");
  fclose(in);
  fclose(o);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input in = { data, size };
  unsigned o1 = fz_byte(&in), o2 = fz_byte(&in), o3 = fz_byte(&in);
  const char *text = (const char *)in.p;
  size_t n = in.n;

  lx_splitter *sp = lx_splitter_new();
  FZ_CHECK(sp != NULL, "out of memory");
  lx_splitter_set_newlines(sp, (int)(o1 % 3));
  lx_splitter_set_ordinals(sp, (o1 >> 2) & 1);
  if ((o1 >> 3) & 1) lx_splitter_set_max_sentence(sp, 1024);
  static const char *const prefix[] = { "Mr", "Dr", "e.g" }, *const suffix[] = { "etc", "Inc" };
  static const char *const other[] = { "a.m", "Jan" }, *const starters[] = { "The", "He", "Die" };
  for (size_t i = 0; i < 3; i++) lx_splitter_add_abbrev(sp, prefix[i], strlen(prefix[i]), LX_ABBR_PREFIX);
  for (size_t i = 0; i < 2; i++) lx_splitter_add_abbrev(sp, suffix[i], strlen(suffix[i]), LX_ABBR_SUFFIX);
  for (size_t i = 0; i < 2; i++) lx_splitter_add_abbrev(sp, other[i], strlen(other[i]), LX_ABBR_OTHER);
  lx_splitter_add_abbrev(sp, "No", 2, LX_ABBR_NUMBER);
  for (size_t i = 0; i < 3; i++) lx_splitter_add_starter(sp, starters[i], strlen(starters[i]));

  spans whole = { 0 }, parts = { 0 };
  split(sp, text, n, 0, &whole);
  size_t chunk = 1 + o2 % 64 + (size_t)(o2 >> 6) * 300;
  split(sp, text, n, chunk, &parts);
  FZ_CHECK(whole.n == parts.n, "%zu sentences whole, %zu in chunks of %zu", whole.n, parts.n, chunk);
  for (size_t i = 0; i < whole.n; i++) {
    lx_span a = whole.s[i], b = parts.s[i];
    FZ_CHECK(a.start == b.start && a.stop == b.stop, "sentence %zu: %zu-%zu whole, %zu-%zu in chunks",
             i, a.start, a.stop, b.start, b.stop);
    FZ_CHECK(a.start < a.stop && a.stop <= n, "sentence %zu: bad span %zu-%zu", i, a.start, a.stop);
    FZ_CHECK(i == 0 || whole.s[i - 1].stop <= a.start, "sentence %zu overlaps", i);
    FZ_CHECK(!space((unsigned char)text[a.start]) && !space((unsigned char)text[a.stop - 1]),
             "sentence %zu not trimmed", i);
  }

  /* Collapsing white space, against a plain loop. */
  if (whole.n > 0) {
    lx_span a = whole.s[0];
    size_t len = a.stop - a.start, k = 0;
    char *got = malloc(len + 1), *want = malloc(len + 1);
    FZ_CHECK(got && want, "out of memory");
    for (size_t i = a.start; i < a.stop;) {
      if (space((unsigned char)text[i])) {
        want[k++] = ' ';
        while (i < a.stop && space((unsigned char)text[i])) i++;
      } else {
        want[k++] = text[i++];
      }
    }
    size_t m = lx_collapse_space(got, text + a.start, len);
    FZ_CHECK(m == k && memcmp(got, want, k) == 0, "collapse differs");
    free(got);
    free(want);
  }

  /* One thread and several give the same lines (parts start at blank lines). */
  if ((o3 & 3) == 0) {
    size_t l1, l4;
    char *s1 = stream(sp, text, n, 1, 0, &l1);
    char *s4 = stream(sp, text, n, 2 + (int)(o3 >> 2) % 3, 1 + (o3 >> 4) * 97, &l4);
    FZ_CHECK(l1 == l4 && memcmp(s1, s4, l1) == 0, "threads change the output");
    free(s1);
    free(s4);
  }

  free(whole.s);
  free(parts.s);
  lx_splitter_free(sp);
  return 0;
}
