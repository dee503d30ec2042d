/*
 * blobcache.h: what each blob yields for one kind of question, by the
 * blob's object id: in memory for a run, and in a file between runs.
 *
 * A blob's id names its content, so what a pure function of that
 * content yields never goes stale; the signature names the function
 * (the question, and the rules it was asked under).  The file is only
 * ever a cache: a missing, foreign, truncated or damaged file is
 * ignored and rebuilt, never trusted, and it is replaced atomically.
 */
#ifndef ENAS_BLOBCACHE_H
#define ENAS_BLOBCACHE_H

#include <git2.h>

#include "enas.h"

struct enas_blobcache;

/*
 * A cache for signature (len bytes), loaded from the file at path when
 * that holds a valid cache of the same signature; path NULL keeps it in
 * memory only.  Only ENAS_ENOMEM is an error.
 */
int enas_blobcache_open(struct enas_blobcache **out, const char *path,
    const void *signature, size_t len);

void enas_blobcache_free(struct enas_blobcache *c);

/*
 * What blob id yields, and its length in *len, or NULL when not known.
 * The bytes belong to the cache and move when something is added.
 */
const unsigned char *enas_blobcache_get(struct enas_blobcache *c,
    const git_oid *id, size_t *len);

/* Record that blob id yields the len bytes at p (copied). */
int enas_blobcache_put(struct enas_blobcache *c, const git_oid *id,
    const void *p, size_t len);

/* Entries known, and how many came from the file. */
size_t enas_blobcache_count(const struct enas_blobcache *c);
size_t enas_blobcache_loaded(const struct enas_blobcache *c);

/*
 * Write the cache to its file when something was added: a temporary
 * file, fsync, rename, fsync of the directory, which is made if
 * missing.  Then remove the oldest cache files of the directory beyond
 * keep.  Entries not asked for in this run are left out when the file
 * would pass 64 MiB.  Returns 0, or a negative status with a message
 * (callers may go on: the figures do not depend on it).
 */
int enas_blobcache_save(struct enas_blobcache *c, size_t keep);

#endif
