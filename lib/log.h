/*
 * log.h: the history of one record, as git log walks a path.
 *
 * The walk visits the commits reachable from a start, newest first, and
 * yields each commit whose version of the record differs from each of
 * its parents' (git log's history simplification).  A version is read
 * as git does: the tree ids down the record's path are compared, and a
 * directory whose tree did not change is not read again, so the cost of
 * a commit is the trees that changed on the path, not the size of the
 * repository.  When the record is gone from its path between a commit
 * and its parent, the parent is searched wherever the record's kind
 * keeps it (it moved, or was created there); a commit older than the
 * record's creation is looked at on the last path only.  Memory is
 * bounded: a few versions and a few trees per level of the path.
 */
#ifndef ENAS_LOG_H
#define ENAS_LOG_H

#include <git2.h>

#include "enas.h"
#include "repo.h"
#include "rules.h"

/* The record in one commit: its path and blob, when it has one. */
struct enas_log_version {
	int found;
	git_oid blob;
	struct enas_buf path;
	unsigned mode;
};

/* One commit that changed the record. */
struct enas_log_step {
	git_commit *commit;	/* the commit (the walk's, until the next) */
	git_commit *parent;	/* the parent compared with, or NULL */
	const struct enas_log_version *old;	/* at parent: may be absent */
	const struct enas_log_version *new;	/* at commit: may be absent */
};

struct enas_log;

/*
 * A walk of the history of the record id, of kind r, from the commit
 * start.  *first (may be NULL) is set to the record's version at start,
 * which the caller checks (found, a regular file) before walking.
 * 0 or a negative status.
 */
int enas_log_new(struct enas_log **out, const struct enas_log_version **first,
    struct enas_repo *repo, const struct enas_rules *r, const char *id,
    const git_oid *start);

/* The next commit that changed the record: 1, 0 at the end, or < 0. */
int enas_log_next(struct enas_log *l, struct enas_log_step *step);

void enas_log_free(struct enas_log *l);

#endif
