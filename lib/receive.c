/*
 * receive.c: the server's check of a push.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "receive.h"

int
enas_receive_parse(struct enas_update *u, const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	size_t n;
	int i;

	for (i = 0; i < 2; i++) {
		for (n = 0; p + n < end && isxdigit((unsigned char)p[n]); n++)
			;
		if (n != GIT_OID_HEXSZ || p + n >= end || p[n] != ' ')
			return enas_error_set(ENAS_EDATA, "bad pre-receive "
			    "line: expected '<old-id> <new-id> <ref>'");
		if (git_oid_fromstrn(i ? &u->new : &u->old, p, n) < 0)
			return enas_error_set(ENAS_EDATA, "bad pre-receive "
			    "line: not an object id");
		p += n + 1;
	}
	n = (size_t)(end - p);
	if (n == 0 || n >= sizeof(u->ref) || memchr(p, '\0', n) ||
	    memchr(p, ' ', n))
		return enas_error_set(ENAS_EDATA, "bad pre-receive line: "
		    "expected a ref name after the ids");
	memcpy(u->ref, p, n);
	u->ref[n] = '\0';
	return 0;
}

static int
hide_ref(git_reference *ref, void *payload)
{
	git_revwalk *walk = payload;
	git_object *obj = NULL;

	if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0)
		git_revwalk_hide(walk, git_object_id(obj));
	git_object_free(obj);
	git_reference_free(ref);
	return 0;
}

static int
check_commit(struct enas_repo *repo, const git_oid *id, enas_diag_fn fn,
    void *ctx)
{
	struct enas_snapshot *snap = NULL, *base = NULL;
	struct enas_checker *c = NULL;
	git_commit *commit = NULL;
	int rc;

	if (git_commit_lookup(&commit, enas_repo_git(repo), id) < 0)
		return enas_repo_error("cannot read a pushed commit");
	if ((rc = enas_snapshot_commit(&snap, repo, id)) < 0)
		goto out;
	if (git_commit_parentcount(commit) > 0 && (rc =
	    enas_snapshot_commit(&base, repo, git_commit_parent_id(commit,
	    0))) < 0)
		goto out;
	rc = enas_checker_new(&c, snap, fn, ctx);
	if (rc == ENAS_ERULES) {
		rc = 1;
		goto out;
	}
	if (rc < 0 || (rc = enas_checker_changes(c, base)) < 0 ||
	    (rc = enas_checker_finish(c)) < 0)
		goto out;
	rc = enas_checker_errors(c) > 0;
out:
	enas_checker_free(c);
	enas_snapshot_free(base);
	enas_snapshot_free(snap);
	git_commit_free(commit);
	return rc;
}

int
enas_receive_check(struct enas_repo *repo, const struct enas_update *u,
    size_t n, enas_diag_fn fn, void *ctx)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i;
	int rc, bad = 0, any = 0;

	if (git_revwalk_new(&walk, enas_repo_git(repo)) < 0)
		return enas_repo_error("cannot walk the pushed commits");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	for (i = 0; i < n; i++) {
		if (git_oid_is_zero(&u[i].new))
			continue;
		if (git_revwalk_push(walk, &u[i].new) < 0) {
			rc = enas_repo_error(u[i].ref);
			goto out;
		}
		any = 1;
	}
	if (!any) {
		rc = 0;
		goto out;
	}
	if (git_reference_foreach(enas_repo_git(repo), hide_ref, walk) < 0) {
		rc = enas_repo_error("cannot read the refs");
		goto out;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		if ((rc = check_commit(repo, &id, fn, ctx)) < 0)
			goto out;
		bad += rc;
	}
	/* libgit2 1.5 ends a walk early, as if done, when memory runs out. */
	rc = rc == GIT_ITEROVER && !enas_alloc_failed() ? bad :
	    enas_repo_error("cannot walk the pushed commits");
out:
	git_revwalk_free(walk);
	return rc;
}
