/*
 * log.h: the history of one record, as git log walks a path.
 *
 * The walk yields, newest first, each commit that changed the record:
 * the commits git rev-list START -- PATH gives (git log's history
 * simplification, at git's speed), the record read in each and in its
 * parents.  When a commit has the record and its parent has it at
 * another path (searched wherever the record's kind keeps it), it moved:
 * the walk goes on from the parent with that path.  A commit older than
 * the record's creation is looked at on the last path only.  Memory is
 * that of one segment's list of commits.  The walk runs git, which must
 * be on PATH.
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
