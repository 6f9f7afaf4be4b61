/*
** zip.h: the members of a zip archive held in memory (the container of
** DOCX, ODT and EPUB documents, office.h), read through its central
** directory and inflated with zlib.
**
**   lx_zip_open     the central directory of data[0..n): each member's
**                   name, method, sizes and where its data starts
**   lx_zip_find     a member by its exact name
**   lx_zip_extract  a member's bytes, inflated and checked (CRC-32)
**
** Why by hand and not libzip or libarchive: an office document needs two
** things of its archive, a member found by name and its bytes inflated,
** which the central directory and zlib's raw inflate (linked already, for
** gzip) give in a few hundred lines. A library would be one more dlopen'd
** table of functions (linking it would load it at every start) and a
** Debian package for users to install, for the same two calls; libarchive
** streams members in archive order, so a member needed first but stored
** last (EPUB's container.xml often is) means reading the archive twice.
**
** Bounded, since an archive is input from anyone: no name is ever used
** as a path on disk; a member's declared size must not pass
** LX_ZIP_MEMBER_MAX (256 MiB; LEXIS_TEST_ZIP_MAX lowers it for the
** specs), and inflating stops with an error the moment the output would
** pass the declared size (a zip bomb that lies about its size) or the
** input ends before it is reached. ZIP64 archives, encrypted members and
** methods other than stored and deflated are refused in words.
** Pure C: no Lua here.
*/
#ifndef LEXIS_ZIP_H
#define LEXIS_ZIP_H

#include <stddef.h>
#include <stdint.h>

#define LX_ZIP_MEMBER_MAX ((size_t)256 << 20)   /* the inflated bytes of one member at most */

typedef struct lx_zip_member {
  const char *name;         /* not NUL-terminated: name[0..nlen) */
  size_t nlen;
  unsigned method;          /* 0 stored, 8 deflated */
  unsigned flags;           /* bit 0: encrypted */
  uint32_t crc;
  uint64_t csize, usize;    /* compressed and declared inflated size */
  uint64_t local;           /* offset of its local header */
} lx_zip_member;

typedef struct lx_zip {
  const char *data;         /* the archive (the caller's, kept while the zip is used) */
  size_t n;
  lx_zip_member *m;
  size_t count;
} lx_zip;

/* Reads the central directory. 0, or an errno value (EBADMSG: not a
** readable zip, ENOMEM) with why set ("no central directory (truncated?)"). */
int lx_zip_open(lx_zip *z, const char *data, size_t n, char *why, size_t whylen);
/* The member named name[0..len), or NULL. */
const lx_zip_member *lx_zip_find(const lx_zip *z, const char *name, size_t len);
/* The member's bytes in a new buffer (NUL-terminated, *len without it).
** 0, or an errno value with why set: EBADMSG damaged or refused, EFBIG
** past the cap, ENOMEM, ECANCELED on Ctrl-C. */
int lx_zip_extract(const lx_zip *z, const lx_zip_member *mb, char **out, size_t *len, char *why, size_t whylen);
/* The cap in force (LX_ZIP_MEMBER_MAX unless the test hook lowers it). */
size_t lx_zip_member_max(void);
void lx_zip_close(lx_zip *z);

#endif
