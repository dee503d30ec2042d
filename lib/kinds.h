/*
 * kinds.h: the kinds of records that one snapshot defines, one per
 * rules file records/rules/<kind>.yaml, loaded once and checked as a
 * set.  Every reader that needs a kind (the checker, the merge driver,
 * the tools) gets it here, so all of them see the same kinds.
 */
#ifndef ENAS_KINDS_H
#define ENAS_KINDS_H

#include "enas.h"
#include "repo.h"
#include "rules.h"

struct enas_kinds;

/*
 * Load every rules file of snap (the files records/rules/NAME.yaml; snap
 * may hold only that directory).  Each problem is reported through fn
 * (which may be NULL): a file that is not a regular file, a broken
 * rules file, a kind that differs from its file name, two kinds that
 * share a directory, a ref to a kind that has no rules, no rules file
 * at all.  The kinds whose rules are good are kept all the same: the
 * return is 0 with *out set unless memory or the snapshot fails (then
 * a negative status and *out NULL).  A caller that needs every kind to
 * be sound asks enas_kinds_errors().  The kinds do not borrow snap.
 */
int enas_kinds_load(struct enas_kinds **out,
    const struct enas_snapshot *snap, enas_diag_fn fn, void *ctx);

void enas_kinds_free(struct enas_kinds *k);

/* The errors that loading reported; 0 when every rules file is sound. */
int enas_kinds_errors(const struct enas_kinds *k);

/*
 * Whether the rules file of the kind named name (its file name without
 * .yaml) was there but broken, so that the kind is missing from k.
 */
int enas_kinds_broken(const struct enas_kinds *k, const char *name);

/* The number of kinds, and the i-th in the order of their files. */
size_t enas_kinds_count(const struct enas_kinds *k);
const struct enas_rules *enas_kinds_at(const struct enas_kinds *k, size_t i);

/* A kind by its name or its directory ("case" or "cases"), or NULL. */
const struct enas_rules *enas_kinds_find(const struct enas_kinds *k,
    const char *name);

/*
 * The kind whose id pattern id (len bytes) matches, the first in the
 * order of the kinds, or NULL.  A tool that puts the id in a path
 * asks enas_id_safe() first.
 */
const struct enas_rules *enas_kinds_of_id(const struct enas_kinds *k,
    const char *id, size_t len);

/*
 * The kind whose directory a path from the top of the repository is
 * in ("records/cases/2024/X.yaml" is a case's), or NULL.
 */
const struct enas_rules *enas_kinds_of_path(const struct enas_kinds *k,
    const char *path);

#endif
