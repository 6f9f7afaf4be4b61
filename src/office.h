/*
** office.h: the input layer's reader of documents that are archives or
** page descriptions rather than text: DOCX, ODT and EPUB (zip archives of
** XML, zip.h) and PDF (pdf.h). Told apart by content, never by name:
** `PK\3\4` (or an empty archive's `PK\5\6`) is a zip archive, and its
** members decide which document it is; `%PDF-` is a PDF.
**
**   DOCX  word/document.xml (and [Content_Types].xml beside it)
**   ODT   a mimetype member "application/vnd.oasis.opendocument.text"
**         (or content.xml without one)
**   EPUB  a mimetype member "application/epub+zip" or
**         META-INF/container.xml: the package file it names, whose
**         spine gives the XHTML pages in reading order
** Their XML goes through markup.c (one home for libxml2): DOCX's and
** ODT's paragraphs, tabs and line breaks, each EPUB page as HTML, a
** paragraph break between pages. Any other zip archive is refused in
** words ("a zip archive, not a DOCX, ODT or EPUB document").
**
** Memory: the whole file is read (a zip's directory is at its end, and a
** PDF's cross-references too), so a document costs its size, plus one
** member inflated at a time (the parser reads it where it is), or a PDF's
** whole text. LX_OFFICE_MAX bounds the file, zip.h the
** inflated bytes. Pure C: no Lua here.
*/
#ifndef LEXIS_OFFICE_H
#define LEXIS_OFFICE_H

#include <stddef.h>

#define LX_OFFICE_MAX ((size_t)1 << 30)   /* the bytes of one document file at most */

enum lx_office_kind { LX_OFFICE_NONE = 0, LX_OFFICE_ZIP, LX_OFFICE_PDF };

/* LX_OFFICE_ZIP or LX_OFFICE_PDF when head[0..n) starts so, else NONE. */
int lx_office_sniff(const char *head, size_t n);

typedef struct lx_office lx_office;

/*
** A reader of the text of the document data[0..n) (malloced: the reader
** owns it from now on, even when it fails). NULL with *code and why set:
** EILSEQ a zip archive of another kind, EBADMSG damaged, EACCES an
** encrypted PDF, ENOENT a library missing (the Debian package named),
** EFBIG past a limit, ENOMEM.
*/
lx_office *lx_office_new(int kind, char *data, size_t n, int *code, char *why, size_t whylen);
/* Up to n bytes of the text; 0 at the end; -1 with errno (why in lx_office_why). */
long lx_office_read(lx_office *o, char *buf, size_t n);
const char *lx_office_why(const lx_office *o);
/* A note for the user once (a page of an EPUB skipped, and why), then NULL. */
const char *lx_office_note(lx_office *o);
/* "DOCX", "ODT", "EPUB", "PDF". */
const char *lx_office_name(const lx_office *o);
void lx_office_free(lx_office *o);

#endif
