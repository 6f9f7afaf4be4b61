/*
** cqlrun.c: fuzzes the CQL evaluator (src/cqlrun.h) with random queries
** over a small corpus in the in-memory view (src/cqlmem.c), made once.
**
** Input: the query (all of it). Checks: a refused query says why ("cql:
** ..."); every hit lies in the corpus (start < end <= tokens), hits come
** sorted by start then end, one per (start, end); a target, keyword or
** label lies inside its hit; cut N gives at most N; and each strategy's
** promise holds: shortest keeps no hit that contains another, longest none
** that another contains, standard none that shares a start or an end with
** another.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cql.h"
#include "cqlrun.h"
#include "fuzz.h"

static const char corpus[] =
  "<!-- #vrt positional-attributes: word lemma pos -->\n"
  "<text id=\"t1\" year=\"1936\">\n<p>\n<s>\nThe\tthe\tDT\nold\told\tJJ\nman\tman\tNN\nand\tand\tCC\n"
  "the\tthe\tDT\nbig\tbig\tJJ\nbig\tbig\tJJ\ndog\tdog\tNN\n.\t.\tSENT\n</s>\n<s>\na\ta\tDT\nb\tb\tNN\n"
  "<s>\nb\tb\tNN\na\ta\tDT\n</s>\nCafé\tcafé\tNN\n</s>\n</p>\n</text>\n<text id=\"t2\" year=\"1920\">\n</text>\n"
  "<text id=\"t3\" year=\"1921\">\n<s>\nthe\tthe\tDT\ndog\tdog\tNN\nsaw\tsee\tVBD\na\ta\tDT\ncat\tcat\tNN\n</s>\n</text>\n";

static lx_cqlmem *mem;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char path[] = "/tmp/fuzz-cqlrun-XXXXXX.vrt";
  int fd = mkstemps(path, 4);
  if (fd < 0 || write(fd, corpus, sizeof corpus - 1) != (ssize_t)(sizeof corpus - 1)) abort();
  close(fd);
  static const char *const s[] = { "text:0+id+year", "p:0", "s:1" };
  static const char *const p[] = { "lemma", "pos" };
  lx_vrt_opts o = { 0 };
  o.pattrs = p;
  o.npattrs = 2;
  o.sattrs = s;
  o.nsattrs = 3;
  char err[512];
  if (lx_cqlmem_open(&mem, path, &o, NULL, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "fuzz: %s\n", err);
    abort();
  }
  unlink(path);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  const lx_cview *v = lx_cqlmem_view(mem);
  lx_cql_result r;
  lx_cql_opts o = { 100000 };
  char err[512];
  if (lx_cql_run(v, (const char *)data, size, &o, &r, err, sizeof err) != 0) {
    FZ_CHECK(strncmp(err, "cql: ", 5) == 0, "%s", err);
    return 0;
  }
  char e2[256];
  cql_query *q = cql_parse((const char *)data, size, e2, sizeof e2);
  FZ_CHECK(q != NULL, "ran but does not parse: %s", e2);
  for (size_t i = 0; i < r.n; i++) {
    const lx_cql_hit *h = &r.hits[i];
    FZ_CHECK(h->start < h->end && h->end <= v->ntokens, "hit %zu: [%llu, %llu)", i,
             (unsigned long long)h->start, (unsigned long long)h->end);
    FZ_CHECK(h->target < 0 || ((uint64_t)h->target >= h->start && (uint64_t)h->target < h->end), "target");
    FZ_CHECK(h->keyword < 0 || ((uint64_t)h->keyword >= h->start && (uint64_t)h->keyword < h->end), "keyword");
    for (size_t k = 0; k < r.nlabels; k++) {
      int64_t l = r.labels[i * r.nlabels + k];
      FZ_CHECK(l < 0 || ((uint64_t)l >= h->start && (uint64_t)l < h->end), "label %s", r.label_names[k]);
    }
    if (i > 0) {
      const lx_cql_hit *g = &r.hits[i - 1];
      FZ_CHECK(g->start < h->start || (g->start == h->start && g->end < h->end), "order at %zu", i);
    }
    for (size_t j = 0; j < i; j++) {
      const lx_cql_hit *g = &r.hits[j];
      int contains = g->start <= h->start && h->end <= g->end, inside = h->start <= g->start && g->end <= h->end;
      if (q->strategy == CQL_SHORTEST) FZ_CHECK(!contains && !inside, "shortest: nested hits");
      if (q->strategy == CQL_LONGEST) FZ_CHECK(!contains && !inside, "longest: nested hits");
      if (q->strategy == CQL_STANDARD) FZ_CHECK(g->start != h->start && g->end != h->end, "standard: shared edge");
    }
  }
  if (q->cut > 0) FZ_CHECK(r.n <= (size_t)q->cut, "cut %ld gave %zu", q->cut, r.n);
  cql_free(q);
  lx_cql_result_free(&r);
  return 0;
}
