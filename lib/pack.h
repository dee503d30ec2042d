/*
 * pack.h: where objects lie in a repository's packs, so that many can
 * be read in the order git wrote them.
 *
 * libgit2 1.5 rebuilds a deltified object by walking its chain of
 * deltas (up to 50 after git gc) down to a base, keeping what it builds
 * in a delta base cache of 16 MiB that it empties when full.  Read in
 * the order of a tree, or of object ids, objects jump about the pack and
 * most chains are rebuilt from far down; read in pack order, the base of
 * each delta was built a moment ago and is still in the cache.
 */
#ifndef ENAS_PACK_H
#define ENAS_PACK_H

#include <stdint.h>

#include <git2.h>

#include "enas.h"

struct enas_packs;

/*
 * The pack indexes (version 2) of the object directory objdir, mapped.
 * A missing directory is no packs; an index that is not one is ignored.
 */
int enas_packs_open(struct enas_packs **out, const char *objdir);

void enas_packs_free(struct enas_packs *p);

/*
 * A key to sort ids by: the pack's number in the high bits and the
 * object's offset in the low, or UINT64_MAX when id is in no pack.
 */
uint64_t enas_packs_where(const struct enas_packs *p, const git_oid *id);

#endif
