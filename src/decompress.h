/*
** decompress.h: the input layer's decompressing reader. gzip, bzip2, xz and
** zstd streams (told apart by their magic bytes, never by the name) become
** the bytes they hold, read like a file.
**
**   lx_codec_sniff   which codec the first bytes of a file are in, if any
**   lx_decomp_new    a reader over a stream whose first bytes were already
**                    read (the input layer's sniffed head) and whose rest
**                    comes from a descriptor; threaded, a thread decodes
**                    ahead into a few buffers while the caller works
**   lx_decomp_read   up to n decoded bytes; 0 at the end; -1 on damage
**                    (errno EBADMSG, the words and the compressed byte
**                    offset in lx_decomp_why) or a read error (errno)
**
** Concatenated streams (pigz, pbzip2, zstd -T, `cat a.gz b.gz`) are read as
** one text; zero bytes after the last stream are padding. Anything else
** after a stream, a stream that ends early or fails its checksum is an
** error: the reader never hands out bytes the stream does not hold, and
** the damage is reported after every good byte before it.
**
** Why these four libraries and not libarchive: libarchive decodes the same
** streams through these same libraries (zlib for gzip), behind a layer of
** its own that adds a copy and reports damage without the byte offset; what
** it adds, .tar and .zip collections, is many documents in one file, which
** is the names-to-documents step (input.h), not a stream. libdeflate
** inflates faster but only whole buffers: the compressed file and its whole
** text in memory, where a reader here keeps a few buffers. zlib's inflate
** outruns the tokenizer on the machine's other core, which is all the
** pipeline needs (docs/HACKING.md, "The input layer").
**
** Pure C: no Lua here.
*/
#ifndef LEXIS_DECOMPRESS_H
#define LEXIS_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum lx_codec { LX_CODEC_NONE = 0, LX_CODEC_GZIP, LX_CODEC_BZIP2, LX_CODEC_XZ, LX_CODEC_ZSTD };

/* The codec whose magic bytes start head[0..n), or LX_CODEC_NONE. */
int lx_codec_sniff(const char *head, size_t n);
/* "gzip", "bzip2", "xz", "zstd" (the tools' names). */
const char *lx_codec_name(int codec);

typedef struct lx_decomp lx_decomp;

/*
** A reader of the codec's stream made of head[0..nhead) (copied) and then
** whatever fd gives until its end (fd < 0: head is the whole stream).
** threaded: a thread decodes ahead of the reader. NULL when out of memory
** (or the thread cannot start: then use it unthreaded).
*/
lx_decomp *lx_decomp_new(int codec, const char *head, size_t nhead, int fd, int threaded);
long lx_decomp_read(lx_decomp *d, char *buf, size_t n);
/* After -1 with EBADMSG: what is wrong and where, e.g. "gzip data damaged
** (invalid distance too far back) near compressed byte 1234, after 5678
** bytes of text". "" otherwise. */
const char *lx_decomp_why(const lx_decomp *d);
/* Stops the thread (even one waiting on a pipe) and frees everything. */
void lx_decomp_free(lx_decomp *d);

#endif
