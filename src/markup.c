/*
** markup.c: the text of HTML and XML documents through libxml2's push
** parsers, loaded on first use (markup.h).
**
** libxml2 is reached through dlopen rather than linked, as ICU is in
** dictseg.c: only a file that needs it pays for loading it. Its headers
** give the types (pkg-config --cflags), and __typeof__ gives each pointer
** the exact type of the function it holds.
**
** The parser calls back with elements and text; the callbacks append the
** text to `out`, which lx_markup_read hands out. Separators are decided
** lazily: a white space run or a block boundary only sets what is owed,
** and the owed separator (a paragraph break over a line break over a
** space) is written before the next text, so runs of them collapse and
** none starts or ends the text.
*/
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "alloc.h"
#include "decompress.h"
#include "markup.h"
#include "recode.h"

#define IN_BUF (64u << 10)       /* the bytes given to the parser at a time */
#define DEPTH_MAX 1024           /* elements followed for the XML block rule (libxml2 stops at 256) */

/* ================================================================ the rule */

static int blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* s[i..n) after white space and comments; n when a comment is cut by the end. */
static size_t skip_blank(const char *s, size_t i, size_t n) {
  for (;;) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f')) i++;
    if (n - i < 4 || memcmp(s + i, "<!--", 4) != 0) return i;
    const char *end = memmem(s + i + 4, n - i - 4, "-->", 3);
    if (!end) return n;
    i = (size_t)(end - s) + 3;
  }
}

/* s[i..n) starts with word (ASCII, any case) followed by a byte that ends a name. */
static int starts(const char *s, size_t i, size_t n, const char *word) {
  size_t k = strlen(word);
  if (n - i < k || strncasecmp(s + i, word, k) != 0) return 0;
  if (i + k == n) return 1;
  char c = s[i + k];
  return c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/';
}

static int html_start(const char *s, size_t i, size_t n) {
  if (n - i >= 14 && strncasecmp(s + i, "<!DOCTYPE", 9) == 0) {
    size_t j = skip_blank(s, i + 9, n);               /* comments cannot be here, blanks can */
    return starts(s, j, n, "html");
  }
  return starts(s, i, n, "<html") || starts(s, i, n, "<head") || starts(s, i, n, "<body");
}

/*
** A vertical file (VRT, the Corpus Workbench's: `<?xml`, then a token a line
** with tab-separated columns between tag lines) is no XML document: often
** not well-formed (several <text> at the top), and its own reader (vrt.c)
** reads the tags. Told by a line that starts with neither `<` nor white
** space and holds a tab.
*/
static int vertical(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    const char *nl = memchr(s + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - s) : n;
    if (end > i && s[i] != '<' && !blank(s[i]) && memchr(s + i, '\t', end - i)) return 1;
    i = end + 1;
  }
  return 0;
}

int lx_markup_sniff(const char *head, size_t n) {
  size_t i = n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  i = skip_blank(head, i, n);
  if (starts(head, i, n, "<?xml")) {
    const char *end = memmem(head + i, n - i, "?>", 2);
    if (end && html_start(head, skip_blank(head, (size_t)(end - head) + 2, n), n)) return LX_MARKUP_HTML;
    return vertical(head, n) ? LX_MARKUP_NONE : LX_MARKUP_XML;
  }
  return html_start(head, i, n) ? LX_MARKUP_HTML : LX_MARKUP_NONE;
}

const char *lx_markup_name(int kind) {
  static const char *const names[] = { "text", "HTML", "XML", "DOCX", "ODT", "EPUB" };
  return kind > 0 && kind <= LX_MARKUP_EPUB ? names[kind] : "HTML";
}

/* The kinds read by libxml2's XML parser (the others by its HTML parser). */
static int xml_family(int kind) {
  return kind == LX_MARKUP_XML || kind == LX_MARKUP_DOCX || kind == LX_MARKUP_ODT;
}

/*
** The HTML elements that start and end a paragraph: what browsers lay out
** as blocks, plus title, td and th (a table's cells are separate texts).
** Sorted for bsearch.
*/
static const char *const html_blocks[] = {
  "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
  "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
  "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend",
  "li", "main", "menu", "nav", "noscript", "ol", "option", "p", "pre", "section", "summary",
  "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
};
/* TEI's blocks (and a few of DocBook's and JATS's names that are the same). Sorted. */
static const char *const xml_blocks[] = {
  "ab", "argument", "back", "body", "byline", "caption", "cell", "closer", "div", "div1", "div2",
  "div3", "div4", "div5", "div6", "div7", "docTitle", "epigraph", "figure", "front", "head",
  "item", "l", "lg", "list", "opener", "p", "para", "row", "salute", "section", "signed", "sp",
  "speaker", "stage", "table", "text", "title", "titlePage", "titlePart", "trailer",
};

static int cmp_name(const void *key, const void *elem) {
  return strcmp((const char *)key, *(const char *const *)elem);
}

static int listed(const char *name, const char *const *list, size_t n) {
  return bsearch(name, list, n, sizeof *list, cmp_name) != NULL;
}

/*
** Whether an HTML page says its charset before its body (a meta charset or
** a Content-Type with charset=). Without one libxml2 would read Latin-1;
** lexis reads UTF-8, as it reads a plain file.
*/
static int declares_charset(const char *s, size_t n) {
  for (size_t i = 0; i + 7 <= n; i++) {
    if ((s[i] | 0x20) == 'c' && strncasecmp(s + i, "charset", 7) == 0) return 1;
    if (s[i] == '<' && n - i >= 5 && strncasecmp(s + i, "<body", 5) == 0) return 0;
  }
  return 0;
}

/* ================================================================ libxml2 */

static struct {
  __typeof__(xmlInitParser) *init;
  __typeof__(htmlCreatePushParserCtxt) *html_new;
  __typeof__(htmlCtxtUseOptions) *html_options;
  __typeof__(htmlParseChunk) *html_chunk;
  __typeof__(htmlFreeParserCtxt) *html_free;
  __typeof__(xmlCreatePushParserCtxt) *xml_new;
  __typeof__(xmlCtxtUseOptions) *xml_options;
  __typeof__(xmlParseChunk) *xml_chunk;
  __typeof__(xmlFreeParserCtxt) *xml_free;
  __typeof__(xmlSAXVersion) *sax_version;
  __typeof__(xmlFreeDoc) *free_doc;
  __typeof__(xmlStopParser) *stop;
  int loaded;
  char why[256];
} xml;

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

#define BIND(field, name) (*(void **)&xml.field = dlsym(lib, name)) != NULL

static void load_xml(void) {
  if (getenv("LEXIS_TEST_NO_XML")) {          /* the specs: a machine without libxml2 */
    snprintf(xml.why, sizeof xml.why, "LEXIS_TEST_NO_XML is set");
    return;
  }
  void *lib = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(xml.why, sizeof xml.why, "%s", dlerror());
    return;
  }
  if (!(BIND(init, "xmlInitParser") && BIND(html_new, "htmlCreatePushParserCtxt") &&
        BIND(html_options, "htmlCtxtUseOptions") && BIND(html_chunk, "htmlParseChunk") &&
        BIND(html_free, "htmlFreeParserCtxt") && BIND(xml_new, "xmlCreatePushParserCtxt") &&
        BIND(xml_options, "xmlCtxtUseOptions") && BIND(xml_chunk, "xmlParseChunk") &&
        BIND(xml_free, "xmlFreeParserCtxt") && BIND(sax_version, "xmlSAXVersion") &&
        BIND(free_doc, "xmlFreeDoc") &&
        BIND(stop, "xmlStopParser"))) {
    snprintf(xml.why, sizeof xml.why, "libxml2.so.2: no push parser in it");
    dlclose(lib);
    return;
  }
  xml.init();                                 /* once, before any thread parses */
  xml.loaded = 1;
}

const char *lx_markup_missing(void) {
  return xml.why[0] ? xml.why : NULL;
}

/* ================================================================ the reader */

struct lx_markup {
  int kind;                /* LX_MARKUP_HTML or LX_MARKUP_XML */
  xmlParserCtxtPtr ctxt;
  /* the source: the head first, then rec, dec or fd */
  int fd;
  struct lx_decomp *dec;
  struct lx_recode *rec;
  char *in;                /* IN_BUF bytes; the head's copy at first */
  size_t hoff, nhead;      /* where the head bytes in `in` still to give the parser start; how many */
  int ended;               /* the parser has had the last chunk */
  /* the text made, handed out from opos */
  char *out;
  size_t opos, olen, ocap;
  /* where the parser is */
  int skip;                /* inside script, style, template, teiHeader: no text */
  int head, title, pre;    /* inside HTML's head, title, pre */
  int body;                /* DOCX: inside w:t; ODT: inside office:body (where text is) */
  int depth;               /* open XML elements */
  unsigned char mixed[DEPTH_MAX];   /* XML: the open element has text of its own */
  unsigned char block[DEPTH_MAX];   /* XML: the open element is listed in xml_blocks */
  unsigned char skipper[DEPTH_MAX]; /* XML: the open element is teiHeader */
  int soft, soft_depth;    /* XML: a break owed unless text comes at depth soft_depth */
  /* the separator owed before the next text */
  int owed;                /* 0 none, 1 space, 2 line break, 3 paragraph break */
  int wrote;               /* some text is out: separators are owed from now on */
  int err;                 /* errno of the failure, once failed */
  int fatal_line;          /* XML: the line of the first fatal error, or 0 */
  int noted;               /* note was set (once per document) */
  lx_markup_el_fn on_el;   /* lx_markup_elements: called at each element */
  void *el_ud;
  char note[200];          /* for the user, not an error: "" or what lx_markup_note hands out */
  char taken[200];         /* the note handed out */
  char why[300];
};

static void owe(lx_markup *m, int sep) {
  if (sep > m->owed) m->owed = sep;
}

static void append(lx_markup *m, const char *s, size_t n) {
  if (m->err) return;
  if (m->olen + n > m->ocap) {
    size_t cap = m->ocap * 2;
    while (cap < m->olen + n) cap *= 2;
    char *o = lx_realloc(m->out, cap);
    if (!o) {
      m->err = ENOMEM;
      snprintf(m->why, sizeof m->why, "out of memory");
      xml.stop(m->ctxt);
      return;
    }
    m->out = o;
    m->ocap = cap;
  }
  memcpy(m->out + m->olen, s, n);
  m->olen += n;
}

/* Before text: the XML block rule's owed break settled, then the separator written. */
static void text_begins(lx_markup *m) {
  if (m->kind == LX_MARKUP_XML) {
    if (m->soft) {
      if (m->depth != m->soft_depth) owe(m, 3);   /* the parent has no text of its own */
      m->soft = 0;
    }
    if (m->depth > 0 && m->depth <= DEPTH_MAX) m->mixed[m->depth - 1] = 1;
  }
  if (m->wrote) {
    static const char *const sep[] = { "", " ", "\n", "\n\n" };
    append(m, sep[m->owed], strlen(sep[m->owed]));
  }
  m->owed = 0;
  m->wrote = 1;
}

static void on_text(void *ctx, const xmlChar *ch, int len) {
  lx_markup *m = ((xmlParserCtxtPtr)ctx)->_private;
  const char *s = (const char *)ch;
  size_t n = len > 0 ? (size_t)len : 0, i = 0;
  if (m->skip || (m->head && (!m->title || m->kind == LX_MARKUP_EPUB))) return;
  if ((m->kind == LX_MARKUP_DOCX || m->kind == LX_MARKUP_ODT) && !m->body) return;
  while (i < n) {
    if (!m->pre && blank(s[i])) {
      while (i < n && blank(s[i])) i++;
      owe(m, 1);
      continue;
    }
    size_t j = i;
    if (m->pre) j = n;
    else while (j < n && !blank(s[j])) j++;
    text_begins(m);
    append(m, s + i, j - i);
    i = j;
  }
}

/* ---------------------------------------------------------------- HTML */

static void html_start_el(void *ctx, const xmlChar *el, const xmlChar **attrs) {
  lx_markup *m = ((xmlParserCtxtPtr)ctx)->_private;
  const char *name = (const char *)el;
  (void)attrs;
  if (!strcmp(name, "script") || !strcmp(name, "style") || !strcmp(name, "template")) m->skip++;
  else if (!strcmp(name, "head")) m->head++;
  else if (!strcmp(name, "title")) m->title++;
  else if (!strcmp(name, "pre")) m->pre++;
  if (!strcmp(name, "br")) owe(m, 2);
  else if (listed(name, html_blocks, sizeof html_blocks / sizeof *html_blocks)) owe(m, 3);
}

static void html_end_el(void *ctx, const xmlChar *el) {
  lx_markup *m = ((xmlParserCtxtPtr)ctx)->_private;
  const char *name = (const char *)el;
  if (!strcmp(name, "script") || !strcmp(name, "style") || !strcmp(name, "template")) {
    if (m->skip > 0) m->skip--;
  } else if (!strcmp(name, "head")) {
    if (m->head > 0) m->head--;
  } else if (!strcmp(name, "title")) {
    if (m->title > 0) m->title--;
  } else if (!strcmp(name, "pre")) {
    if (m->pre > 0) m->pre--;
  }
  if (listed(name, html_blocks, sizeof html_blocks / sizeof *html_blocks)) owe(m, 3);
}

/* ---------------------------------------------------------------- XML */

static void xml_start_el(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                         int nns, const xmlChar **ns, int nattr, int ndefaulted, const xmlChar **attrs) {
  lx_markup *m = ((xmlParserCtxtPtr)ctx)->_private;
  const char *name = (const char *)local;
  (void)prefix, (void)uri, (void)nns, (void)ns, (void)nattr, (void)ndefaulted, (void)attrs;
  int d = m->depth++;
  int blk = listed(name, xml_blocks, sizeof xml_blocks / sizeof *xml_blocks);
  int hdr = !strcmp(name, "teiHeader");
  if (d < DEPTH_MAX) {
    m->mixed[d] = 0;
    m->block[d] = (unsigned char)blk;
    m->skipper[d] = (unsigned char)hdr;
  }
  if (hdr) m->skip++;
  if (blk) owe(m, 3);
}

static void xml_end_el(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri) {
  lx_markup *m = ((xmlParserCtxtPtr)ctx)->_private;
  (void)local, (void)prefix, (void)uri;
  if (m->depth == 0) return;
  int d = --m->depth;
  if (d >= DEPTH_MAX) return;
  if (m->skipper[d] && m->skip > 0) m->skip--;
  if (m->block[d]) owe(m, 3);
  else if (d > 0 && !m->mixed[d - 1]) {     /* in element-only content so far: a break, unless text follows */
    m->soft = 1;
    m->soft_depth = d;
  }
}

/* ---------------------------------------------------------------- DOCX, ODT */

/*
** WordprocessingML (DOCX's word/document.xml): text only inside w:t (so
** w:delText, deleted, and w:instrText, field codes, are not text); runs
** of one paragraph join without a space (Word splits words into runs);
** w:p is a paragraph, w:tab a space, w:br and w:cr a line break.
** ODF (ODT's content.xml): text only inside office:body (the styles hold
** none); text:p and text:h are paragraphs, text:s and text:tab spaces,
** text:line-break a line break; the content of tracked changes (deleted
** text), annotations (comments) and a note's citation mark is skipped.
*/
static int office_skipped(const lx_markup *m, const char *name) {
  return m->kind == LX_MARKUP_ODT &&
         (!strcmp(name, "tracked-changes") || !strcmp(name, "annotation") || !strcmp(name, "note-citation"));
}

static void office_start_el(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                            int nns, const xmlChar **ns, int nattr, int ndefaulted, const xmlChar **attrs) {
  lx_markup *m = ((xmlParserCtxtPtr)ctx)->_private;
  const char *name = (const char *)local;
  (void)prefix, (void)uri, (void)nns, (void)ns, (void)nattr, (void)ndefaulted, (void)attrs;
  if (office_skipped(m, name)) m->skip++;
  else if (!strcmp(name, m->kind == LX_MARKUP_DOCX ? "t" : "body")) m->body++;
  else if (!strcmp(name, "p") || (m->kind == LX_MARKUP_ODT && !strcmp(name, "h"))) owe(m, 3);
  else if (!strcmp(name, "tab") || (m->kind == LX_MARKUP_ODT && !strcmp(name, "s"))) owe(m, 1);
  else if (!strcmp(name, m->kind == LX_MARKUP_DOCX ? "br" : "line-break") ||
           (m->kind == LX_MARKUP_DOCX && !strcmp(name, "cr"))) owe(m, 2);
}

static void office_end_el(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri) {
  lx_markup *m = ((xmlParserCtxtPtr)ctx)->_private;
  const char *name = (const char *)local;
  (void)prefix, (void)uri;
  if (office_skipped(m, name)) {
    if (m->skip > 0) m->skip--;
  } else if (!strcmp(name, m->kind == LX_MARKUP_DOCX ? "t" : "body")) {
    if (m->body > 0) m->body--;
  } else if (!strcmp(name, "p") || (m->kind == LX_MARKUP_ODT && !strcmp(name, "h"))) {
    owe(m, 3);
  }
}

/*
** libxml2's errors: silenced; an XML document's first fatal one is kept
** with its line. An HTML page that is not UTF-8 where it was read as UTF-8
** is read on as Latin-1 by libxml2: a note says so, once.
*/
static void on_error(void *ctx, xmlErrorPtr e) {
  xmlParserCtxtPtr c = ctx;
  lx_markup *m = c ? c->_private : NULL;
  if (m && e && m->kind == LX_MARKUP_HTML && e->code == XML_ERR_INVALID_ENCODING && !m->noted) {
    m->noted = 1;
    snprintf(m->note, sizeof m->note, "not UTF-8 at line %d, and the page declares no charset: read on "
             "as Latin-1 from there; if that is wrong, give --encoding", e->line > 0 ? e->line : 1);
  }
  if (!m || !xml_family(m->kind) || !e || e->level != XML_ERR_FATAL || m->fatal_line) return;
  m->fatal_line = e->line > 0 ? e->line : 1;
  const char *msg = e->message ? e->message : "not well-formed";
  size_t k = strlen(msg);
  while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' ')) k--;
  snprintf(m->why, sizeof m->why, "malformed XML at line %d: %.*s", m->fatal_line, (int)k, msg);
}

/* ---------------------------------------------------------------- reading */

/* The reader over head (copied, or `owned`: head itself, malloced, taken over). */
static lx_markup *make(int kind, int utf8, const char *head, size_t nhead, int fd,
                       struct lx_decomp *dec, struct lx_recode *rec, char *owned) {
  pthread_once(&xml_once, load_xml);
  if (!xml.loaded) {
    free(owned);
    errno = ENOENT;
    return NULL;
  }
  lx_markup *m = lx_calloc(1, sizeof *m);
  if (!m) {
    free(owned);
    return NULL;
  }
  m->kind = kind;
  m->fd = fd;
  m->dec = dec;
  m->rec = rec;
  if (nhead >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {   /* a UTF-8 mark: the text is UTF-8 */
    head += 3;
    nhead -= 3;
    m->hoff = owned ? 3 : 0;
    utf8 = 1;
  }
  if (!xml_family(kind) && !declares_charset(head, nhead)) utf8 = 1;
  m->ocap = IN_BUF;
  if (owned) m->in = owned;
  else if ((m->in = lx_malloc(nhead > IN_BUF ? nhead : IN_BUF)) != NULL) memcpy(m->in, head, nhead);
  if (!m->in || !(m->out = lx_malloc(m->ocap))) goto oom;
  m->nhead = nhead;

  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  if (xml_family(kind)) {
    xml.sax_version(&sax, 2);                 /* SAX2's own DTD callbacks keep the entities */
    sax.startElement = NULL;
    sax.endElement = NULL;
    sax.startElementNs = kind == LX_MARKUP_XML ? xml_start_el : office_start_el;
    sax.endElementNs = kind == LX_MARKUP_XML ? xml_end_el : office_end_el;
    sax.reference = NULL;
    sax.comment = NULL;
    sax.processingInstruction = NULL;
  } else {
    sax.startElement = html_start_el;
    sax.endElement = html_end_el;
  }
  sax.characters = on_text;
  sax.ignorableWhitespace = on_text;
  sax.cdataBlock = on_text;
  sax.serror = on_error;
  sax.warning = NULL;
  sax.error = NULL;
  sax.fatalError = NULL;
  sax.initialized = XML_SAX2_MAGIC;

  int opts;
  if (xml_family(kind)) {
    m->ctxt = xml.xml_new(&sax, NULL, NULL, 0, NULL);
    /* no XML_PARSE_NOENT: with it libxml2 would read external entities
    ** (another file); without it, in SAX mode, it still gives the text of
    ** the internal subset's entities through the callbacks */
    opts = XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET | (utf8 ? XML_PARSE_IGNORE_ENC : 0);
    if (m->ctxt) xml.xml_options(m->ctxt, opts);
  } else {
    m->ctxt = xml.html_new(&sax, NULL, NULL, 0, NULL, utf8 ? XML_CHAR_ENCODING_UTF8 : XML_CHAR_ENCODING_NONE);
    opts = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | (utf8 ? HTML_PARSE_IGNORE_ENC : 0);
    if (m->ctxt) xml.html_options(m->ctxt, opts);
  }
  if (!m->ctxt) goto oom;
  m->ctxt->_private = m;
  return m;
oom:
  lx_markup_free(m);
  errno = ENOMEM;
  return NULL;
}

lx_markup *lx_markup_new(int kind, int utf8, const char *head, size_t nhead, int fd,
                         struct lx_decomp *dec, struct lx_recode *rec) {
  return make(kind, utf8, head, nhead, fd, dec, rec, NULL);
}

lx_markup *lx_markup_over(int kind, char *doc, size_t n) {
  return make(kind, 0, doc, n, -1, NULL, NULL, doc);
}

/*
** The next bytes for the parser at *chunk: the head, IN_BUF at a time
** (libxml2 refuses a chunk that holds a text node past 10 MB), then the
** layer below.
*/
static long source(lx_markup *m, const char **chunk) {
  if (m->nhead) {
    size_t k = m->nhead < IN_BUF ? m->nhead : IN_BUF;
    *chunk = m->in + m->hoff;
    m->hoff += k;
    m->nhead -= k;
    return (long)k;
  }
  *chunk = m->in;
  for (;;) {
    long got;
    if (m->rec) got = lx_recode_read(m->rec, m->in, IN_BUF);
    else if (m->dec) got = lx_decomp_read(m->dec, m->in, IN_BUF);
    else if (m->fd >= 0) got = (long)read(m->fd, m->in, IN_BUF);
    else got = 0;
    if (got < 0 && errno == EINTR && !m->rec && !m->dec) continue;
    if (got < 0) {
      int e = errno;
      const char *below = m->rec ? lx_recode_why(m->rec) : m->dec && e == EBADMSG ? lx_decomp_why(m->dec) : "";
      snprintf(m->why, sizeof m->why, "%s", below[0] ? below : strerror(e));
      m->err = e;
    }
    return got;
  }
}

/* Gives the parser one more chunk (the last one when the source ends). 0, or -1 with m->err. */
static int feed(lx_markup *m) {
  const char *chunk;
  long got = source(m, &chunk);
  if (got < 0) return -1;
  int last = got == 0;
  if (xml_family(m->kind)) xml.xml_chunk(m->ctxt, chunk, (int)got, last);
  else xml.html_chunk(m->ctxt, chunk, (int)got, last);
  if (m->err) return -1;
  if (m->fatal_line) {
    m->err = EBADMSG;
    m->olen = m->opos = 0;                    /* nothing of the chunk that failed */
    return -1;
  }
  if (last) {
    m->ended = 1;
    if (m->wrote) append(m, "\n", 1);         /* a text file's last line ends */
    if (m->err) return -1;
  }
  return 0;
}

long lx_markup_read(lx_markup *m, char *buf, size_t n) {
  while (m->opos == m->olen) {
    if (m->err) {
      errno = m->err;
      return -1;
    }
    if (m->ended) return 0;
    m->opos = m->olen = 0;
    if (feed(m)) {
      errno = m->err;
      return -1;
    }
  }
  size_t k = m->olen - m->opos < n ? m->olen - m->opos : n;
  memcpy(buf, m->out + m->opos, k);
  m->opos += k;
  return (long)k;
}

const char *lx_markup_note(lx_markup *m) {
  if (!m->note[0]) return NULL;
  memcpy(m->taken, m->note, sizeof m->note);
  m->note[0] = '\0';
  return m->taken;
}

const char *lx_markup_why(const lx_markup *m) {
  return m->err ? m->why : "";
}

void lx_markup_free(lx_markup *m) {
  if (!m) return;
  if (m->ctxt) {
    if (m->ctxt->myDoc) xml.free_doc(m->ctxt->myDoc);   /* SAX2's start of document made one for the DTD */
    m->ctxt->myDoc = NULL;
    if (xml_family(m->kind)) xml.xml_free(m->ctxt);
    else xml.html_free(m->ctxt);
  }
  free(m->in);
  free(m->out);
  free(m);
}

/* ---------------------------------------------------------------- elements */

#define ATTR_MAX 16              /* attributes passed to the callback at most */
#define VALUE_MAX 1024           /* bytes of one attribute's value passed at most */

static void walk_start_el(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                          int nns, const xmlChar **ns, int nattr, int ndefaulted, const xmlChar **attrs) {
  lx_markup *m = ((xmlParserCtxtPtr)ctx)->_private;
  (void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
  char values[ATTR_MAX][VALUE_MAX];
  const char *pairs[2 * ATTR_MAX + 1];
  int k = 0;
  for (int i = 0; i < nattr && i < ATTR_MAX; i++) {
    const xmlChar *const *a = attrs + 5 * i;     /* local name, prefix, URI, value, its end */
    size_t len = (size_t)(a[4] - a[3]);
    if (len >= VALUE_MAX) len = VALUE_MAX - 1;
    memcpy(values[i], a[3], len);
    values[i][len] = '\0';
    pairs[k++] = (const char *)a[0];
    pairs[k++] = values[i];
  }
  pairs[k] = NULL;
  m->on_el(m->el_ud, (const char *)local, pairs);
}

int lx_markup_elements(const char *doc, size_t n, lx_markup_el_fn on, void *ud, char *why, size_t whylen) {
  pthread_once(&xml_once, load_xml);
  if (!xml.loaded) {
    snprintf(why, whylen, "libxml2 could not be loaded (%s): install the Debian package libxml2", xml.why);
    return ENOENT;
  }
  if (n > (size_t)1 << 30) {
    snprintf(why, whylen, "an XML part of %zu bytes, too big to be read", n);
    return EFBIG;
  }
  lx_markup *m = lx_calloc(1, sizeof *m);
  if (!m) {
    snprintf(why, whylen, "out of memory");
    return ENOMEM;
  }
  m->kind = LX_MARKUP_XML;
  m->on_el = on;
  m->el_ud = ud;
  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  xml.sax_version(&sax, 2);
  sax.startElement = NULL;
  sax.endElement = NULL;
  sax.startElementNs = walk_start_el;
  sax.endElementNs = NULL;
  sax.characters = NULL;
  sax.ignorableWhitespace = NULL;
  sax.cdataBlock = NULL;
  sax.reference = NULL;
  sax.comment = NULL;
  sax.processingInstruction = NULL;
  sax.serror = on_error;
  sax.warning = NULL;
  sax.error = NULL;
  sax.fatalError = NULL;
  sax.initialized = XML_SAX2_MAGIC;
  int rc = 0;
  m->ctxt = xml.xml_new(&sax, NULL, NULL, 0, NULL);
  if (!m->ctxt) {
    snprintf(why, whylen, "out of memory");
    rc = ENOMEM;
  } else {
    m->ctxt->_private = m;
    xml.xml_options(m->ctxt, XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET);
    xml.xml_chunk(m->ctxt, doc, (int)n, 1);
    if (m->fatal_line) {
      snprintf(why, whylen, "%s", m->why);
      rc = EBADMSG;
    }
  }
  lx_markup_free(m);
  return rc;
}
