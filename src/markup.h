/*
** markup.h: the input layer's HTML and XML reader. A page's or a
** document's text, without its markup, read like a file.
**
**   lx_markup_sniff  whether the first bytes are HTML or XML (the rule below)
**   lx_markup_new    a reader over a document whose first bytes were already
**                    read (the input layer's head, UTF-8 or the page's own
**                    charset) and whose rest comes from a converter, a
**                    decoder or a descriptor, stacked as input.h says
**   lx_markup_read   up to n bytes of the text; 0 at the end; -1 on
**                    malformed XML (EBADMSG, the line in lx_markup_why)
**
** How a file is judged, from its first bytes after a UTF-8 byte-order mark,
** white space and comments: `<!DOCTYPE html`, `<html`, `<head` or `<body`
** (any case) is HTML; `<?xml` is XML, unless an HTML doctype or `<html`
** follows it (XHTML: HTML), or unless a line in the first bytes starts with
** neither `<` nor white space and holds a tab (a vertical file, VRT: text,
** for vrt.c to read). Nothing else is looked at: an XML file without the
** `<?xml` declaration is text, and so is a fragment of HTML.
**
** The parser is libxml2's (its HTML parser copes with broken pages), reached
** through dlopen on first use, like ICU in dictseg.c: linked, it would be
** loaded at every start. What the text is:
**   HTML  tags hidden, entities decoded, comments dropped; the content of
**         script, style and template skipped, and of head but its title;
**         white space runs are one space (pre keeps its own); a block
**         element (html_blocks in markup.c) starts and ends a paragraph
**         ("\n\n", so sentences end there), br ends a line. The charset
**         the page declares before its body (meta) is honoured unless the
**         text is known to be UTF-8 (--encoding, a byte-order mark); a page
**         that declares none is read as UTF-8 (libxml2 goes on in Latin-1
**         from a byte that is not, and lx_markup_note says so). Parse errors and warnings are
**         silenced: broken pages are normal.
**   XML   the text content of elements, white space runs as one space;
**         teiHeader (TEI's metadata) skipped; a paragraph break at the start
**         and end of TEI's blocks (xml_blocks in markup.c) and at the end of an
**         element whose parent holds elements but no text of its own.
**         Entities of the internal subset are expanded, external ones never
**         loaded. A malformed document is an error with libxml2's line.
**   DOCX, ODT (office.c gives their main XML part): only the text of
**         w:t (DOCX) or of office:body (ODT), runs joined as they are;
**         w:p, text:p, text:h paragraphs; tabs and text:s a space; w:br,
**         w:cr, text:line-break a line break; ODT's annotations, tracked
**         changes and note marks skipped. Malformed: as XML.
**   EPUB  a page of an EPUB's spine: as HTML, but its title left out (it
**         is the book's, repeated on every page).
** The text's offsets are in the extracted text, not in the file: the
** input is not `regular`, like a compressed one's. Pure C: no Lua here.
*/
#ifndef LEXIS_MARKUP_H
#define LEXIS_MARKUP_H

#include <stddef.h>

struct lx_decomp;
struct lx_recode;

/* DOCX, ODT and EPUB are never sniffed here: office.c opens their archive
** and gives this reader the part that holds the text (word/document.xml,
** content.xml, each XHTML page of an EPUB's spine). */
enum lx_markup_kind { LX_MARKUP_NONE = 0, LX_MARKUP_HTML, LX_MARKUP_XML, LX_MARKUP_DOCX, LX_MARKUP_ODT,
                      LX_MARKUP_EPUB };

/* LX_MARKUP_HTML or LX_MARKUP_XML when head[0..n) starts so, else NONE. */
int lx_markup_sniff(const char *head, size_t n);
/* "HTML", "XML", "DOCX", "ODT", "EPUB". */
const char *lx_markup_name(int kind);

typedef struct lx_markup lx_markup;

/*
** A reader of the text of a `kind` document made of head[0..nhead)
** (copied) and then of what rec, else dec, else fd gives (fd < 0: nothing
** more). utf8: the bytes are UTF-8 whatever the page declares. NULL with
** errno: ENOMEM, or ENOENT when libxml2 cannot be loaded
** (lx_markup_missing says why).
*/
lx_markup *lx_markup_new(int kind, int utf8, const char *head, size_t nhead, int fd,
                         struct lx_decomp *dec, struct lx_recode *rec);
/* The same over a whole document in memory, doc[0..n), malloced: the
** reader takes it over (and frees it, even when it fails). No copy: a
** member of a DOCX, ODT or EPUB is inflated once (office.c). */
lx_markup *lx_markup_over(int kind, char *doc, size_t n);
long lx_markup_read(lx_markup *m, char *buf, size_t n);
/* A note for the user once (what the parser guessed), then NULL; NULL when none. */
const char *lx_markup_note(lx_markup *m);
/* After -1: e.g. "malformed XML at line 12: Opening and ending tag
** mismatch: p and div"; "" before. */
const char *lx_markup_why(const lx_markup *m);
void lx_markup_free(lx_markup *m);

/*
** Calls on(ud, name, attrs) at the start of each element of the XML
** document doc[0..n) (office.c reads EPUB's container and package files
** so): name is the element's local name, attrs its attributes' local
** names and values in pairs, NULL-terminated (16 at most, values cut at
** 1,023 bytes). External entities are never loaded. 0, or an errno value
** with why set: EBADMSG "malformed XML at line N: ...", ENOENT without
** libxml2, ENOMEM.
*/
typedef void (*lx_markup_el_fn)(void *ud, const char *name, const char *const *attrs);
int lx_markup_elements(const char *doc, size_t n, lx_markup_el_fn on, void *ud, char *why, size_t whylen);
/* Why libxml2 could not be loaded ("libxml2.so.2: cannot open shared
** object file"), or NULL while it has not failed. */
const char *lx_markup_missing(void);

#endif
