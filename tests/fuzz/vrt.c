/*
** vrt.c: fuzzes the readers of annotated corpora (src/vrt.c, src/conllu.c).
**
** Input: one option byte (bit 0 CoNLL-U, 1 pad columns, 2 skip undeclared
** tags, 3 declare -P pos lemma, 4 declare -S text:1+id+year s p:0, 5 read
** from a pipe), then the document. Checks: reading ends, in an END or an
** error that names the file and its line (and repeats at the next call);
** every token has one valid UTF-8 value per positional attribute and the
** next position; regions close in a way that matches an open one (name,
** depth), none is left open at the END, positions never go back; every
** warning names the file. A pipe is opened by the caller (lx_vrt_open_input).
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <unistr.h>

#include "fuzz.h"
#include "vrt.h"

#define MAXOPEN 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_input fz = { data, size };
  unsigned opt = fz_byte(&fz);
  const uint8_t *doc = fz.p;
  size_t n = fz.n;

  static const char *const pattrs[] = { "pos", "lemma" };
  static const char *const sattrs[] = { "text:1+id+year", "s", "p:0" };
  lx_vrt_opts o = { 0 };
  o.format = opt & 1 ? LX_VRT_CONLLU : LX_VRT_VRT;
  o.columns = opt & 2 ? LX_VRT_COLUMNS_PAD : LX_VRT_COLUMNS_ERROR;
  o.undeclared = opt & 4 ? LX_VRT_TAG_SKIP : LX_VRT_TAG_TOKEN;
  if (opt & 8) { o.pattrs = pattrs; o.npattrs = 2; }
  if (opt & 16) { o.sattrs = sattrs; o.nsattrs = 3; }

  char path[64];
  int fds[2] = { -1, -1 };
  int piped = (opt & 32) && n <= 60000 && pipe(fds) == 0;
  if (piped) {
    FZ_CHECK(write(fds[1], doc, n) == (ssize_t)n, "pipe write");
    close(fds[1]);
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
  } else {
    snprintf(path, sizeof path, "/tmp/lexis-fuzz-vrt-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    FZ_CHECK(fwrite(doc, 1, n, f) == n, "file write");
    fclose(f);
  }

  lx_vrt *r;
  char err[1024];
  int rc;
  if (piped) {                      /* a pipe through lx_vrt_open_input, a file through lx_vrt_open */
    lx_input in;
    int code;
    int k = lx_input_open(&in, path, err, sizeof err, &code);
    if (k != 0) {
      lx_input_close(&in);
      rc = k > 0 ? LX_INPUT_SKIPPED : code;
    } else {
      rc = lx_vrt_open_input(&r, &in, &o, err, sizeof err);
      FZ_CHECK(in.fd < 0, "the input left open");
    }
  } else {
    rc = lx_vrt_open(&r, path, &o, err, sizeof err);
  }
  if (rc != 0) {
    FZ_CHECK(strncmp(err, path, strlen(path)) == 0, "open error '%s'", err);
    /* EBADMSG: compressed data (read by content) that is damaged or cut */
    FZ_CHECK(rc == LX_INPUT_SKIPPED || rc == EILSEQ || rc == EBADMSG, "open %d: %s", rc, err);
  } else {
    struct { int s, d; } open[MAXOPEN];
    size_t nopen = 0;
    uint64_t tokens = 0, last = 0, events = 0;
    lx_vrt_event ev;
    for (;;) {
      rc = lx_vrt_next(r, &ev);
      if (rc) {
        const char *m = lx_vrt_error(r);
        /* EILSEQ names the line; EBADMSG (compressed data damaged or cut
        ** later in the stream) names the compressed byte */
        FZ_CHECK(rc == EILSEQ || rc == EBADMSG, "error %d: %s", rc, m);
        FZ_CHECK(strncmp(m, path, strlen(path)) == 0 && m[strlen(path)] == ':', "message '%s'", m);
        FZ_CHECK(rc == EBADMSG || (m[strlen(path) + 1] >= '1' && m[strlen(path) + 1] <= '9'),
                 "no line in '%s'", m);
        FZ_CHECK(lx_vrt_next(r, &ev) == rc, "error not repeated");
        break;
      }
      FZ_CHECK(++events < 10 * (uint64_t)n + 1000, "%llu events from %zu bytes", (unsigned long long)events, n);
      if (ev.kind != LX_VRT_WARNING) {
        FZ_CHECK(ev.position >= last, "position %llu after %llu", (unsigned long long)ev.position, (unsigned long long)last);
        last = ev.position;
      }
      if (ev.kind == LX_VRT_END) {
        FZ_CHECK(nopen == 0, "%zu regions open at the end", nopen);
        FZ_CHECK(ev.position == tokens, "end at %llu after %llu tokens", (unsigned long long)ev.position, (unsigned long long)tokens);
        FZ_CHECK(lx_vrt_next(r, &ev) == 0 && ev.kind == LX_VRT_END, "end not repeated");
        break;
      }
      switch (ev.kind) {
      case LX_VRT_TOKEN:
        FZ_CHECK(ev.position == tokens, "token at %llu, expected %llu", (unsigned long long)ev.position, (unsigned long long)tokens);
        tokens++;
        FZ_CHECK(lx_vrt_npattrs(r) >= 1 && lx_vrt_npattrs(r) <= LX_VRT_MAX_COLUMNS, "%zu attributes", lx_vrt_npattrs(r));
        for (size_t i = 0; i < lx_vrt_npattrs(r); i++) {
          FZ_CHECK(ev.value[i].n <= LX_VRT_MAX_LINE, "value of %zu bytes", ev.value[i].n);
          FZ_CHECK(u8_check((const uint8_t *)ev.value[i].p, ev.value[i].n) == NULL, "invalid UTF-8 in a value");
        }
        if (o.format == LX_VRT_CONLLU) FZ_CHECK(ev.value[0].n > 0, "an empty word");
        break;
      case LX_VRT_OPEN:
        FZ_CHECK(ev.structure >= 0 && (size_t)ev.structure < lx_vrt_nstructures(r), "structure %d", ev.structure);
        FZ_CHECK(nopen < MAXOPEN && nopen < LX_VRT_MAX_DEPTH, "%zu open", nopen);
        FZ_CHECK(ev.nattrs <= LX_VRT_MAX_KEYS, "%zu attributes", ev.nattrs);
        for (size_t i = 0; i < ev.nattrs; i++) {
          FZ_CHECK(ev.key[i].n > 0, "an empty key");
          FZ_CHECK(u8_check((const uint8_t *)ev.val[i].p, ev.val[i].n) == NULL, "invalid UTF-8 in an attribute");
        }
        for (size_t k = 0; k < nopen; k++)
          FZ_CHECK(!(open[k].s == ev.structure && open[k].d == ev.depth), "<%s> depth %d open twice",
                   lx_vrt_structure(r, (size_t)ev.structure), ev.depth);
        open[nopen].s = ev.structure;
        open[nopen++].d = ev.depth;
        break;
      case LX_VRT_CLOSE: {
        size_t k = nopen;
        while (k > 0 && !(open[k - 1].s == ev.structure && open[k - 1].d == ev.depth)) k--;
        FZ_CHECK(k > 0, "close of <%s> depth %d, not open", lx_vrt_structure(r, (size_t)ev.structure), ev.depth);
        memmove(&open[k - 1], &open[k], (nopen - k) * sizeof *open);
        nopen--;
        break;
      }
      case LX_VRT_WARNING:
        FZ_CHECK(ev.message && strncmp(ev.message, path, strlen(path)) == 0, "warning '%s'", ev.message);
        break;
      default:
        FZ_CHECK(0, "event kind %d", ev.kind);
      }
    }
    lx_vrt_close(r);
  }
  if (piped) close(fds[0]);
  else unlink(path);
  return 0;
}
