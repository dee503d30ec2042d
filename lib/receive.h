/*
 * receive.h: what a server's pre-receive hook checks: every commit that
 * a push adds, on every ref it updates.
 */
#ifndef ENAS_RECEIVE_H
#define ENAS_RECEIVE_H

#include "check.h"
#include "policy.h"
#include "repo.h"

/* One line of pre-receive's input: "<old> <new> <ref>". */
struct enas_update {
	git_oid old;
	git_oid new;
	char ref[1024];
};

/*
 * Parse one line (len bytes, without its newline).  ENAS_EDATA with a
 * message when it is not two full hexadecimal ids and a ref name.
 */
int enas_receive_parse(struct enas_update *u, const char *line, size_t len);

/* What a push's check found. */
struct enas_receive_result {
	int bad_refs;		/* ref updates refused */
	int bad_commits;	/* commits refused */
	int stopped;		/* 1: too many commits, 2: out of time */
};

/*
 * Check a push against the server's policy (SPEC §9), reporting each
 * refusal through fn:
 *
 * - each ref update: a ref that enas.allowRef does not list, a
 *   deletion, a non-fast-forward, a ref to anything but a commit or an
 *   annotated tag of one (whose message and tagger are checked as a
 *   commit's);
 * - every commit that the updates bring and no existing ref reaches,
 *   oldest first, at most enas.maxCommits of them within
 *   enas.maxSeconds: the size of each new blob from its object header
 *   before anything reads it; a change of the rules or of a repository
 *   file (a top-level dotfile) without authority, or with other
 *   changes; a new record of another office's code; a message, author
 *   or committer that breaks the rules' commit: section; and the
 *   records that differ from its first parent, against that commit's
 *   own rules;
 * - the commits of a ledger ref (refs/enas/..., enas-stats's
 *   publications, when enas.allowRef lists it): plain files at the top
 *   of the tree, none hidden or over 256 KiB.
 *
 * Problems are named "<ref>" or "<commit>:<path>".  Returns 0 with the
 * counts in *res, or a negative status (ENAS_EIO when the pusher is
 * gone: nobody is left to tell).
 */
int enas_receive_check(struct enas_repo *repo, const struct enas_policy *pol,
    const struct enas_update *u, size_t n, struct enas_receive_result *res,
    enas_diag_fn fn, void *ctx);

#endif
