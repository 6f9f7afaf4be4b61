/*
** office.c: the text of DOCX, ODT, EPUB and PDF documents (office.h).
** The archive is zip.c's, the XML is markup.c's, the PDF is pdf.c's; this
** file decides which document a zip archive is, finds the parts that hold
** its text, in reading order, and hands out their text one after another.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "markup.h"
#include "office.h"
#include "pdf.h"
#include "zip.h"

#define TOTAL_MAX_PARTS 4        /* all members inflated at most this many times the one-member cap */

typedef struct part {
  const lx_zip_member *mb;
  int kind;                      /* enum lx_markup_kind */
} part;

struct lx_office {
  const char *name;              /* "DOCX", "ODT", "EPUB", "PDF" */
  char *data;                    /* the file */
  size_t n;
  lx_zip zip;
  part *parts;
  size_t nparts, next;           /* the parts, and the next to open */
  lx_markup *mk;                 /* the open part's reader */
  size_t inflated;               /* bytes inflated so far, all parts */
  int wrote;                     /* some text is out: a paragraph break before the next part's */
  int pending;                   /* that break is owed before the open part's first byte */
  int stash;                     /* a byte held back when the break took the room (or -1) */
  char *text;                    /* a PDF's text, handed out from tpos */
  size_t tlen, tpos;
  int err;
  char why[512];
  char note[400], taken[400];
};

int lx_office_sniff(const char *head, size_t n) {
  if (n >= 4 && (memcmp(head, "PK\3\4", 4) == 0 || memcmp(head, "PK\5\6", 4) == 0)) return LX_OFFICE_ZIP;
  if (n >= 5 && memcmp(head, "%PDF-", 5) == 0) return LX_OFFICE_PDF;
  return LX_OFFICE_NONE;
}

static int fail(lx_office *o, int e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(o->why, sizeof o->why, fmt, ap);
  va_end(ap);
  o->err = e;
  return e;
}

static const lx_zip_member *member(const lx_office *o, const char *name) {
  return lx_zip_find(&o->zip, name, strlen(name));
}

static int add_part(lx_office *o, const lx_zip_member *mb, int kind, size_t *cap) {
  if (o->nparts == *cap) {
    size_t c = *cap ? *cap * 2 : 8;
    part *p = lx_realloc(o->parts, c * sizeof *p);
    if (!p) return fail(o, ENOMEM, "out of memory");
    o->parts = p;
    *cap = c;
  }
  o->parts[o->nparts].mb = mb;
  o->parts[o->nparts++].kind = kind;
  return 0;
}

/* A small member's bytes (the mimetype, the EPUB's XML files), or NULL with o->err set. */
static char *small_member(lx_office *o, const lx_zip_member *mb, size_t *len) {
  char *s, why[400];
  int rc = lx_zip_extract(&o->zip, mb, &s, len, why, sizeof why);
  if (rc) {
    fail(o, rc, "%s", why);
    return NULL;
  }
  o->inflated += *len;
  return s;
}

/* ---------------------------------------------------------------- EPUB */

typedef struct item {
  char *id, *href, *type;
} item;

typedef struct epub_walk {
  char rootfile[1024];           /* container.xml: the package file's path */
  item *items;                   /* the package's manifest */
  size_t nitems, icap;
  char **spine;                  /* its spine: the items' ids in reading order */
  size_t nspine, scap;
  int oom;
} epub_walk;

static const char *attr(const char *const *attrs, const char *name) {
  for (size_t i = 0; attrs[i]; i += 2)
    if (!strcmp(attrs[i], name)) return attrs[i + 1];
  return NULL;
}

static void on_container(void *ud, const char *name, const char *const *attrs) {
  epub_walk *w = ud;
  const char *path = attr(attrs, "full-path");
  if (strcmp(name, "rootfile") || !path || w->rootfile[0]) return;
  const char *type = attr(attrs, "media-type");
  if (type && strcmp(type, "application/oebps-package+xml")) return;
  snprintf(w->rootfile, sizeof w->rootfile, "%s", path);
}

static void on_package(void *ud, const char *name, const char *const *attrs) {
  epub_walk *w = ud;
  if (w->oom) return;
  if (!strcmp(name, "item")) {
    const char *id = attr(attrs, "id"), *href = attr(attrs, "href"), *type = attr(attrs, "media-type");
    if (!id || !href) return;
    if (w->nitems == w->icap) {
      size_t c = w->icap ? w->icap * 2 : 32;
      item *it = lx_realloc(w->items, c * sizeof *it);
      if (!it) { w->oom = 1; return; }
      w->items = it;
      w->icap = c;
    }
    item *it = &w->items[w->nitems];
    it->id = lx_strdup(id);
    it->href = lx_strdup(href);
    it->type = lx_strdup(type ? type : "");
    if (!it->id || !it->href || !it->type) {
      free(it->id), free(it->href), free(it->type);
      w->oom = 1;
      return;
    }
    w->nitems++;
  } else if (!strcmp(name, "itemref")) {
    const char *idref = attr(attrs, "idref");
    if (!idref) return;
    if (w->nspine == w->scap) {
      size_t c = w->scap ? w->scap * 2 : 32;
      char **s = lx_realloc(w->spine, c * sizeof *s);
      if (!s) { w->oom = 1; return; }
      w->spine = s;
      w->scap = c;
    }
    if (!(w->spine[w->nspine] = lx_strdup(idref))) { w->oom = 1; return; }
    w->nspine++;
  }
}

static void walk_free(epub_walk *w) {
  for (size_t i = 0; i < w->nitems; i++) free(w->items[i].id), free(w->items[i].href), free(w->items[i].type);
  for (size_t i = 0; i < w->nspine; i++) free(w->spine[i]);
  free(w->items);
  free(w->spine);
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
** The member an href names: relative to the package file's folder (base),
** its fragment dropped, %XX decoded, "." and ".." segments resolved (never
** above the archive's root). Only ever looked up among the members: no
** name here reaches the file system. 0, or -1 when it does not fit.
*/
static int resolve(const char *base, size_t blen, const char *href, char *out, size_t cap) {
  char joined[2048];
  size_t n = 0;
  if (href[0] != '/') {
    if (blen >= sizeof joined) return -1;
    memcpy(joined, base, blen);
    n = blen;
  }
  for (const char *p = href; *p && *p != '#'; p++) {
    char c = *p;
    if (c == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
      c = (char)(hexval(p[1]) * 16 + hexval(p[2]));
      p += 2;
    }
    if (n + 1 >= sizeof joined) return -1;
    joined[n++] = c;
  }
  joined[n] = '\0';
  size_t o = 0;
  for (char *seg = joined, *next; seg; seg = next) {
    char *slash = strchr(seg, '/');
    next = slash ? slash + 1 : NULL;
    size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
    if (len == 0 || (len == 1 && seg[0] == '.')) continue;
    if (len == 2 && seg[0] == '.' && seg[1] == '.') {
      while (o > 0 && out[o - 1] != '/') o--;
      if (o > 0) o--;
      continue;
    }
    if (o + (o > 0) + len + 1 > cap) return -1;
    if (o > 0) out[o++] = '/';
    memcpy(out + o, seg, len);
    o += len;
  }
  out[o] = '\0';
  return 0;
}

static void noted(lx_office *o, const char *fmt, const char *a, const char *b) {
  if (o->note[0]) return;                    /* the first is said; the rest are like it */
  snprintf(o->note, sizeof o->note, fmt, a, b);
}

static int epub(lx_office *o) {
  epub_walk w;
  memset(&w, 0, sizeof w);
  char why[400];
  size_t len;
  const lx_zip_member *c = member(o, "META-INF/container.xml");
  if (!c) return fail(o, EBADMSG, "a damaged EPUB document: no META-INF/container.xml");
  char *xml = small_member(o, c, &len);
  if (!xml) return o->err;
  int rc = lx_markup_elements(xml, len, on_container, &w, why, sizeof why);
  free(xml);
  if (rc) return fail(o, rc, "META-INF/container.xml: %s", why);
  if (!w.rootfile[0]) return fail(o, EBADMSG, "a damaged EPUB document: META-INF/container.xml names no package file");
  const lx_zip_member *pkg = member(o, w.rootfile);
  if (!pkg) return fail(o, EBADMSG, "a damaged EPUB document: its package file %s is not in the archive", w.rootfile);
  if (!(xml = small_member(o, pkg, &len))) return o->err;
  rc = lx_markup_elements(xml, len, on_package, &w, why, sizeof why);
  free(xml);
  if (!rc && w.oom) rc = fail(o, ENOMEM, "out of memory");
  else if (rc) fail(o, rc, "%s: %s", w.rootfile, why);
  const char *slash = strrchr(w.rootfile, '/');
  size_t blen = slash ? (size_t)(slash - w.rootfile) + 1 : 0, cap = 0;
  for (size_t i = 0; !rc && i < w.nspine; i++) {
    item *it = NULL;
    for (size_t k = 0; k < w.nitems && !it; k++)
      if (!strcmp(w.items[k].id, w.spine[i])) it = &w.items[k];
    if (!it) {
      noted(o, "its spine names %s, which its manifest lacks: skipped%s", w.spine[i], "");
      continue;
    }
    if (strcmp(it->type, "application/xhtml+xml") && strcmp(it->type, "text/html")) {
      noted(o, "its spine's page %s is %s, not XHTML: skipped", it->href, it->type);
      continue;
    }
    char path[1024];
    const lx_zip_member *mb = resolve(w.rootfile, blen, it->href, path, sizeof path) ? NULL : member(o, path);
    if (!mb) {
      noted(o, "its spine's page %s is not in the archive: skipped%s", it->href, "");
      continue;
    }
    rc = add_part(o, mb, LX_MARKUP_EPUB, &cap);
  }
  if (!rc && o->nparts == 0) rc = fail(o, EBADMSG, "an EPUB document without XHTML pages in its spine");
  walk_free(&w);
  return rc;
}

/* ---------------------------------------------------------------- which */

static int trimmed_is(const char *s, size_t n, const char *want) {
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) n--;
  return n == strlen(want) && memcmp(s, want, n) == 0;
}

/* Which document the archive is, and its parts. 0, or an errno value with o->why. */
static int classify(lx_office *o) {
  char why[400];
  int rc = lx_zip_open(&o->zip, o->data, o->n, why, sizeof why);
  if (rc) return fail(o, rc, "%s", why);
  char mimetype[128] = "";
  const lx_zip_member *mt = member(o, "mimetype");
  if (mt && mt->usize < sizeof mimetype) {
    size_t len;
    char *s = small_member(o, mt, &len);
    if (!s) return o->err;
    memcpy(mimetype, s, len);
    mimetype[len] = '\0';
    free(s);
  }
  size_t mlen = strlen(mimetype), cap = 0;
  if (trimmed_is(mimetype, mlen, "application/epub+zip") || (!mt && member(o, "META-INF/container.xml"))) {
    o->name = "EPUB";
    return epub(o);
  }
  if (trimmed_is(mimetype, mlen, "application/vnd.oasis.opendocument.text") || (!mt && member(o, "content.xml"))) {
    o->name = "ODT";
    const lx_zip_member *c = member(o, "content.xml");
    if (!c) return fail(o, EBADMSG, "a damaged ODT document: no content.xml");
    return add_part(o, c, LX_MARKUP_ODT, &cap);
  }
  if (mt && strncmp(mimetype, "application/vnd.oasis.opendocument.", 35) == 0)
    return fail(o, EILSEQ, "an OpenDocument file of type %.60s, not a text document (ODT; lexis reads "
                "the text of DOCX, ODT, EPUB and PDF documents)", mimetype);
  const lx_zip_member *w = member(o, "word/document.xml");
  if (w) {
    o->name = "DOCX";
    return add_part(o, w, LX_MARKUP_DOCX, &cap);
  }
  const char *what = member(o, "xl/workbook.xml") ? " (an XLSX workbook)"
                   : member(o, "ppt/presentation.xml") ? " (a PPTX presentation)" : "";
  if (o->zip.count == 0) return fail(o, EILSEQ, "an empty zip archive, not a DOCX, ODT or EPUB document");
  const lx_zip_member *first = &o->zip.m[0];
  char shown[80];
  size_t k = first->nlen < sizeof shown - 1 ? first->nlen : sizeof shown - 1;
  for (size_t i = 0; i < k; i++) shown[i] = (unsigned char)first->name[i] < 0x20 ? '?' : first->name[i];
  shown[k] = '\0';
  return fail(o, EILSEQ, "a zip archive%s, not a DOCX, ODT or EPUB document (its first member is %s; "
              "unzip it to read the text files in it)", what, shown);
}

/* ---------------------------------------------------------------- reading */

lx_office *lx_office_new(int kind, char *data, size_t n, int *code, char *why, size_t whylen) {
  lx_office *o = lx_calloc(1, sizeof *o);
  if (!o) {
    free(data);
    *code = ENOMEM;
    snprintf(why, whylen, "out of memory");
    return NULL;
  }
  o->data = data;
  o->n = n;
  o->stash = -1;
  int rc;
  if (kind == LX_OFFICE_PDF) {
    o->name = "PDF";
    rc = lx_pdf_text(data, n, &o->text, &o->tlen, o->why, sizeof o->why);
    free(o->data);                           /* the text is all a PDF needs from now on */
    o->data = NULL;
    if (!rc && !o->text) o->text = lx_strdup("");
    if (!rc && !o->text) rc = fail(o, ENOMEM, "out of memory");
  } else {
    rc = classify(o);
  }
  if (rc) {
    *code = rc;
    snprintf(why, whylen, "%s", o->why);
    lx_office_free(o);
    return NULL;
  }
  return o;
}

/* Opens the next part's reader. 0, or -1 with o->err set. */
static int open_part(lx_office *o) {
  const part *p = &o->parts[o->next++];
  char *xml, why[400];
  size_t len;
  int rc = lx_zip_extract(&o->zip, p->mb, &xml, &len, why, sizeof why);
  if (rc) return fail(o, rc, "%s", why), -1;
  o->inflated += len;
  if (o->inflated > TOTAL_MAX_PARTS * lx_zip_member_max()) {
    free(xml);
    return fail(o, EFBIG, "its members inflate past %zu bytes in all (a zip bomb?)",
                TOTAL_MAX_PARTS * lx_zip_member_max()), -1;
  }
  o->mk = lx_markup_over(p->kind, xml, len);   /* xml is the reader's now */
  if (!o->mk) {
    if (errno == ENOENT)
      return fail(o, ENOENT, "a %s document, whose XML lexis reads through libxml2, which could not be loaded "
                  "(%s): install the Debian package libxml2", o->name, lx_markup_missing()), -1;
    return fail(o, ENOMEM, "out of memory"), -1;
  }
  o->pending = o->wrote;
  return 0;
}

long lx_office_read(lx_office *o, char *buf, size_t n) {
  if (o->err) {
    errno = o->err;
    return -1;
  }
  if (n == 0) return 0;
  if (o->text) {
    size_t k = o->tlen - o->tpos < n ? o->tlen - o->tpos : n;
    memcpy(buf, o->text + o->tpos, k);
    o->tpos += k;
    return (long)k;
  }
  if (o->stash >= 0) {
    buf[0] = (char)o->stash;
    o->stash = -1;
    return 1;
  }
  for (;;) {
    if (!o->mk) {
      if (o->next == o->nparts) return 0;
      if (open_part(o)) {
        errno = o->err;
        return -1;
      }
    }
    char one;
    /* the break between parts is written only once the next part has text */
    char *to = o->pending ? (n > 1 ? buf + 1 : &one) : buf;
    size_t room = o->pending && n > 1 ? n - 1 : o->pending ? 1 : n;
    long r = lx_markup_read(o->mk, to, room);
    if (r < 0) {
      const part *p = &o->parts[o->next - 1];
      fail(o, errno, "%.*s: %s", (int)(p->mb->nlen < 200 ? p->mb->nlen : 200), p->mb->name, lx_markup_why(o->mk));
      errno = o->err;
      return -1;
    }
    if (r == 0) {
      lx_markup_free(o->mk);
      o->mk = NULL;
      continue;
    }
    o->wrote = 1;
    if (!o->pending) return r;
    o->pending = 0;
    buf[0] = '\n';
    if (n == 1) o->stash = (unsigned char)one;
    return n == 1 ? 1 : r + 1;
  }
}

const char *lx_office_why(const lx_office *o) {
  return o->err ? o->why : "";
}

const char *lx_office_note(lx_office *o) {
  if (!o->note[0]) return NULL;
  memcpy(o->taken, o->note, sizeof o->note);
  o->note[0] = '\0';
  return o->taken;
}

const char *lx_office_name(const lx_office *o) {
  return o->name;
}

void lx_office_free(lx_office *o) {
  if (!o) return;
  lx_markup_free(o->mk);
  lx_zip_close(&o->zip);
  free(o->parts);
  free(o->data);
  free(o->text);
  free(o);
}
