/*
** cqlrun_write.c: the hits of a CQL query as a concordance (src/cqlrun.h):
** left context, match, right context, tokens joined by one space, each
** token as the attributes asked for joined by '/' (cqp's show +lemma).
** Text is aligned on the match as lexis kwic aligns it; every other format
** goes through lx_table (src/encode.c), so its bytes are kwic's.
*/
#include "cqlrun_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "display.h"
#include "encode.h"
#include "progress.h"

/* Tokens [from, to) into b, one space apart. */
static int tokens(cqlr_buf *b, const lx_cview *v, const int *attrs, size_t na, uint64_t from, uint64_t to,
                  char *err, size_t errlen) {
  b->n = 0;
  if (b->p) b->p[0] = '\0';
  for (uint64_t i = from; i < to; i++) {
    if (i > from && cqlr_put(b, " ", 1)) return ENOMEM;
    for (size_t k = 0; k < na; k++) {
      uint32_t id;
      const char *s;
      size_t n;
      if (v->ids(v->ctx, attrs[k], i, 1, &id) != 0 || v->lexicon_str(v->ctx, attrs[k], id, &s, &n) != 0) {
        snprintf(err, errlen, "%s", v->error(v->ctx));
        return EIO;
      }
      if ((k > 0 && cqlr_put(b, "/", 1)) || cqlr_put(b, s, n)) return ENOMEM;
    }
  }
  return 0;
}

/* The tokens shown around h: o->left before, o->right after, within the
** text region holding it when the corpus has texts (-1: none). */
static void context(const lx_cview *v, int text, const lx_cql_hit *h, const lx_cql_write_opts *o,
                    uint64_t *from, uint64_t *to) {
  *from = h->start > o->left ? h->start - o->left : 0;
  *to = h->end + o->right < v->ntokens ? h->end + o->right : v->ntokens;
  uint64_t ti = UINT64_MAX, ta, tz;
  if (text >= 0 && v->region_at(v->ctx, text, h->start, &ti) == 0 && ti != UINT64_MAX &&
      v->region(v->ctx, text, ti, &ta, &tz) == 0) {
    if (*from < ta) *from = ta;
    if (*to > tz && tz >= h->end) *to = tz;
  }
}

/* The doc column of hit h: the name given, else its text's id (or the
** metadata field asked for: text_id is then that field's region). */
static void hit_doc(const lx_cview *v, const lx_cql_write_opts *o, int text_id, const lx_cql_hit *h,
                    const char **doc, size_t *doclen) {
  *doc = o->doc && !o->doc_attr ? o->doc : "";
  *doclen = strlen(*doc);
  uint64_t di;
  if (!*doclen && text_id >= 0 && v->region_at(v->ctx, text_id, h->start, &di) == 0 &&
      di != UINT64_MAX && v->region_value(v->ctx, text_id, di, doc, doclen) != 0) {
    *doc = "";
    *doclen = 0;
  }
}

int lx_cql_write(FILE *f, const lx_cview *v, const lx_cql_result *r, const lx_cql_write_opts *o,
                 char *err, size_t errlen) {
  int attrs[64];
  size_t na = o->nshow ? (o->nshow < 64 ? o->nshow : 64) : 1;
  for (size_t k = 0; k < na; k++) {
    const char *name = o->nshow ? o->show[k] : "word";
    attrs[k] = v->pattr(v->ctx, name);
    if (attrs[k] == -2) return cqlr_view_error(v, err, errlen);
    if (attrs[k] < 0 && !o->nshow && v->npattrs(v->ctx) > 0) attrs[k] = 0;   /* the first column */
    if (attrs[k] < 0) {
      size_t at = 0, np = v->npattrs(v->ctx);
      at = (size_t)snprintf(err, errlen, "--show: no attribute %s: the corpus has ", name);
      for (size_t i = 0; i < np && at < errlen; i++)
        at += (size_t)snprintf(err + at, errlen - at, "%s%s", i ? ", " : "", v->pattr_name(v->ctx, (int)i));
      return EINVAL;
    }
  }
  lx_obuf *ob = lx_malloc(sizeof *ob);
  cqlr_buf L = { 0 }, M = { 0 }, R = { 0 };
  size_t *lw = NULL;
  int rc = 0;
  if (!ob) return ENOMEM;
  ob->f = f;
  ob->n = 0;
  ob->err = 0;
  /* a corpus of several texts (an index of many files, a .vrt of many
  ** <text>s): context stays within the hit's text, and without a doc name
  ** given (an index) the doc column is the text's id (a plain index's: the
  ** file) */
  int hv, text = v->sattr(v->ctx, "text", &hv), text_id = v->sattr(v->ctx, "text_id", &hv);
  if (!hv) text_id = -1;
  if (o->doc_attr) {                  /* --show-meta: a text annotation instead */
    text_id = v->sattr(v->ctx, o->doc_attr, &hv);
    if (text_id < 0 || !hv || strncmp(o->doc_attr, "text_", 5) != 0) {
      size_t at = (size_t)snprintf(err, errlen, "--show-meta: no metadata field %s: the corpus has",
                                   o->doc_attr + (strncmp(o->doc_attr, "text_", 5) == 0 ? 5 : 0));
      int any = 0;
      for (size_t k = 0; k < v->nsattrs(v->ctx) && at < errlen; k++) {
        const char *name = v->sattr_name(v->ctx, (int)k);
        if (strncmp(name, "text_", 5) == 0 && v->sattr(v->ctx, name, &hv) >= 0 && hv) {
          at += (size_t)snprintf(err + at, errlen - at, "%s %s", any ? "," : "", name + 5);
          any = 1;
        }
      }
      if (!any && at < errlen) snprintf(err + at, errlen - at, " none");
      rc = EINVAL;
      goto out;
    }
  }
  size_t width = 0, dcol = 0, dskip = 0;
  if (o->format == LX_FMT_TEXT) {     /* the widest left context, to align on the match */
    lw = lx_malloc((r->n + 1) * sizeof *lw);
    if (!lw) {
      rc = ENOMEM;
      goto out;
    }
    /* the text view names the text, as plain kwic names the document, when
    ** the hits are in more than one (or a metadata field is asked for) */
    const char *d0 = NULL;
    size_t d0len = 0;
    int several = o->doc_attr != NULL;
    for (size_t i = 0; i < r->n; i++) {     /* the directories all the names share */
      const char *doc;
      size_t doclen;
      hit_doc(v, o, text_id, &r->hits[i], &doc, &doclen);
      if (i == 0) {
        d0 = doc, d0len = doclen;
        while (!o->doc_attr && dskip < d0len && memchr(d0 + dskip, '/', d0len - dskip))
          dskip = (size_t)((const char *)memchr(d0 + dskip, '/', d0len - dskip) - d0) + 1;
      } else {
        if (doclen != d0len || memcmp(doc, d0, doclen) != 0) several = 1;
        dskip = lx_shared_dirs(d0, dskip, doc, doclen);
      }
    }
    for (size_t i = 0; i < r->n; i++) {
      const lx_cql_hit *h = &r->hits[i];
      uint64_t from, to;
      context(v, text, h, o, &from, &to);
      if ((rc = tokens(&L, v, attrs, na, from, h->start, err, errlen))) goto out;
      lw[i] = lx_display_width(L.p ? L.p : "", L.n);
      if (lw[i] > width) width = lw[i];
      const char *doc;
      size_t doclen, dw;
      hit_doc(v, o, text_id, h, &doc, &doclen);
      dw = lx_display_width(doc + dskip, doclen - dskip);
      if (dw > dcol) dcol = dw > LX_DOC_COLS ? LX_DOC_COLS : dw;
    }
    if (!several) dcol = 0;
  }
  lx_table t;
  static const char *const names[] = { "doc", "position", "left", "node", "right" };
  if (o->format != LX_FMT_TEXT) lx_table_begin(&t, ob, o->format, 5, names, "silss", o->header, o->title);
  for (size_t i = 0; i < r->n; i++) {
    if ((i & 0xfff) == 0 && lx_interrupted()) {
      rc = ECANCELED;
      snprintf(err, errlen, "interrupted");
      goto out;
    }
    const lx_cql_hit *h = &r->hits[i];
    uint64_t from, to;
    context(v, text, h, o, &from, &to);
    const char *doc;
    size_t doclen;
    hit_doc(v, o, text_id, h, &doc, &doclen);
    if ((rc = tokens(&L, v, attrs, na, from, h->start, err, errlen)) ||
        (rc = tokens(&M, v, attrs, na, h->start, h->end, err, errlen)) ||
        (rc = tokens(&R, v, attrs, na, h->end, to, err, errlen)))
      goto out;
    if (o->format == LX_FMT_TEXT) {
      if (dcol) {                     /* the name's end when long */
        int cut;
        size_t dw, at = dskip + lx_display_name_cut(doc + dskip, doclen - dskip, dcol, &cut, &dw);
        if (cut) lx_ob_str(ob, "\xE2\x80\xA6");
        lx_ob_put(ob, doc + at, doclen - at);
        lx_ob_pad(ob, (dcol > dw ? dcol - dw : 0) + 2);
      }
      lx_ob_pad(ob, width - lw[i]);
      lx_ob_put(ob, L.p ? L.p : "", L.n);
      lx_ob_str(ob, "  ");
      lx_ob_put(ob, M.p ? M.p : "", M.n);
      if (R.n) {
        lx_ob_str(ob, "  ");
        lx_ob_put(ob, R.p, R.n);
      }
      lx_ob_str(ob, "\n");
    } else {
      lx_table_str(&t, doc, doclen);
      lx_table_uint(&t, h->start);
      lx_table_str(&t, L.p ? L.p : "", L.n);
      lx_table_str(&t, M.p ? M.p : "", M.n);
      lx_table_str(&t, R.p ? R.p : "", R.n);
      lx_table_end_row(&t);
    }
  }
  if (o->format != LX_FMT_TEXT) lx_table_end(&t);
  lx_ob_flush(ob);
  if (ob->err) rc = ob->err;
  else if (ferror(f)) rc = EIO;
  if (rc) snprintf(err, errlen, "%s", strerror(rc));
out:
  free(lw);
  free(L.p);
  free(M.p);
  free(R.p);
  free(ob);
  return rc;
}
