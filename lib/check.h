/*
 * check.h: validate the records of one snapshot (the working tree, the
 * index or a commit) against the rules that the same snapshot holds,
 * including the rules that span records: ref, unique, ids that are
 * unique and equal to their file names, records in the right place.
 */
#ifndef ENAS_CHECK_H
#define ENAS_CHECK_H

#include "enas.h"
#include "kinds.h"
#include "repo.h"
#include "rules.h"

struct enas_checker;

/*
 * A checker for snap, which it borrows.  It loads the kinds of the
 * snapshot (lib/kinds); any problem there is reported through fn and
 * ENAS_ERULES is returned with *out NULL.
 */
int enas_checker_new(struct enas_checker **out,
    const struct enas_snapshot *snap, enas_diag_fn fn, void *ctx);

void enas_checker_free(struct enas_checker *c);

/* The kinds the checker checks against; they live as long as c. */
const struct enas_kinds *enas_checker_kinds(const struct enas_checker *c);

/*
 * Check one file of the snapshot.  Problems are reported; the return is
 * 0, or a negative status for a failure that is not the data's (a
 * missing object, memory).
 */
int enas_checker_entry(struct enas_checker *c, const struct enas_entry *e);

/*
 * Check the bytes of a file that is not (or not yet) in the snapshot,
 * named name in diagnostics.  relpath is where it would stand in the
 * repository ("records/cases/2024/X.yaml"), or NULL when it stands
 * elsewhere: then its kind is the one whose id pattern its id matches,
 * and its place is not checked.
 */
int enas_checker_buffer(struct enas_checker *c, const char *name,
    const char *relpath, const char *buf, size_t len);

/* Check every file of the snapshot. */
int enas_checker_all(struct enas_checker *c);

/*
 * Check what differs from base: added and changed files; every record
 * of a kind whose rules changed; every record of a kind that refers to
 * a kind that lost records.  base may be NULL (then: everything).
 */
int enas_checker_changes(struct enas_checker *c,
    const struct enas_snapshot *base);

/* Check what a delta (lib/repo) names, with the same escalations. */
int enas_checker_delta(struct enas_checker *c, const struct enas_delta *d);

/*
 * The checks that need every record at once (unique: true), for the
 * records checked so far.  Call once, last.
 */
int enas_checker_finish(struct enas_checker *c);

/* Errors reported so far (not warnings). */
int enas_checker_errors(const struct enas_checker *c);

#endif
