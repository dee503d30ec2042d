/*
 * remote.h: how a clone stands against the shared remote, as far as
 * it knows without the network: how far its branch is behind what it
 * last fetched, and when it last fetched.  enas-new warns with it that
 * a fresh id is checked only against the records the clone knows.
 */
#ifndef ENAS_REMOTE_H
#define ENAS_REMOTE_H

#include "enas.h"
#include "repo.h"

struct enas_remote_state {
	int has_upstream;	/* HEAD is a branch with an upstream */
	char upstream[256];	/* its short name: "origin/main" */
	size_t ahead;		/* commits of HEAD the upstream lacks */
	size_t behind;		/* commits of the upstream HEAD lacks */
	long long fetched;	/* last fetch, seconds since 1970, or -1 */
};

/*
 * How HEAD stands against its upstream as last fetched.  No upstream
 * (a detached HEAD, a branch that tracks nothing, an unborn branch) is
 * has_upstream 0, not an error.  The last fetch is the newest of
 * FETCH_HEAD's time, the upstream ref's last reflog entry and the
 * clone's entry in HEAD's reflog.
 * ENAS_EGIT when the repository cannot be read.
 */
int enas_remote_state(struct enas_remote_state *out, struct enas_repo *repo);

/*
 * The warning for a clone in state s at time now (seconds since
 * 1970) into b (replaced): empty when it has no upstream, or is not
 * behind it and fetched less than max_age seconds ago.  Otherwise one
 * line, without a newline, saying how many commits behind and how long
 * since the last fetch, that ids are checked only against the records
 * this clone knows, and to run git pull.  Returns 1 when there is a
 * warning, 0 when not, or ENAS_ENOMEM.
 */
int enas_remote_warning(struct enas_buf *b,
    const struct enas_remote_state *s, long long now, long long max_age);

/* The default max_age of enas_remote_warning: one day. */
#define ENAS_REMOTE_MAX_AGE (24 * 60 * 60)

#endif
