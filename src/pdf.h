/*
** pdf.h: the text of a PDF document through poppler's GLib API
** (libpoppler-glib8), loaded on first use like libxml2 in markup.c.
**
** A PDF is read whole: its cross-reference table is at its end and its
** objects anywhere, so the file is in memory (its size) while poppler
** parses it, plus the text made (about the text's size) and poppler's own
** structures for one page at a time. The text is each page's, as poppler
** lays it out in reading order (a line break per line), with a paragraph
** break between pages. Pure C: no Lua here.
*/
#ifndef LEXIS_PDF_H
#define LEXIS_PDF_H

#include <stddef.h>

#define LX_PDF_MAX ((size_t)1 << 30)   /* poppler takes an int length: files up to 1 GiB */

/* The text of the PDF data[0..n) in a new buffer (*text NULL when it has
** none). 0, or an errno value with why set: ENOENT poppler-glib cannot be
** loaded, EACCES encrypted, EBADMSG damaged, EFBIG too big, ENOMEM,
** ECANCELED on Ctrl-C. */
int lx_pdf_text(const char *data, size_t n, char **text, size_t *len, char *why, size_t whylen);

#endif
