/*
 * commit.h: committing the few files a tool changed, with libgit2.
 *
 * libgit2 runs no hooks, so a tool checks what it is about to commit
 * itself: it builds the tree (enas_commit_tree), validates that tree
 * with lib/check as the pre-commit hook would (enas_snapshot_tree,
 * enas_checker_changes against HEAD), writes the files, then commits
 * (enas_commit_create).  Only the tool's own paths are committed: what
 * else the index holds stays staged, as it was.
 */
#ifndef ENAS_COMMIT_H
#define ENAS_COMMIT_H

#include <git2.h>

#include "check.h"
#include "enas.h"
#include "repo.h"
#include "write.h"

/* One file to commit: new contents, or removal when buf is NULL. */
struct enas_file_change {
	const char *path;	/* from the top of the repository */
	const char *buf;
	size_t len;
	unsigned mode;		/* 0 means GIT_FILEMODE_BLOB */
};

/*
 * Whether a commit can be made now: a repository with a working tree
 * and no merge, rebase, cherry-pick or the like in progress.  ENAS_EGIT
 * with a message otherwise.
 */
int enas_commit_ready(struct enas_repo *repo);

/*
 * HEAD's tree (an empty tree when HEAD is unborn) with the n changes
 * applied, written to the object database; its id in *tree, and HEAD's
 * commit in *head (all zeros when unborn).
 */
int enas_commit_tree(git_oid *tree, git_oid *head, struct enas_repo *repo,
    const struct enas_file_change *ch, size_t n);

/*
 * Check what committing the n changes on top of HEAD would give, as
 * the pre-commit hook checks the index: the tree of enas_commit_tree()
 * (its id in *tree, HEAD's in *head), the changed records and what
 * depends on them, against that tree's rules.  Diagnostics go to fn,
 * named by path.  Returns the number of errors, or a negative status
 * (ENAS_ERULES when the rules are broken: reported too).
 */
int enas_commit_check(git_oid *tree, git_oid *head, struct enas_repo *repo,
    const struct enas_file_change *ch, size_t n, enas_diag_fn fn,
    void *ctx);

/*
 * The same check for changes that will only be written, not committed:
 * against the working tree as it will be (its other files as they are
 * now).
 */
int enas_worktree_check(struct enas_repo *repo,
    const struct enas_file_change *ch, size_t n, enas_diag_fn fn,
    void *ctx);

/*
 * Whether git's lock files let a commit be made now: .git/index.lock,
 * and the lock of HEAD or of the branch HEAD names.  Each is waited for
 * up to two seconds (git holds them for a moment); one that stays is
 * ENAS_EGIT with a message naming it and saying how to remove it.  A
 * tool asks this before it writes anything.
 */
int enas_commit_locks(struct enas_repo *repo);

/*
 * Commit tree with message on top of head (zeros: a first commit),
 * which must still be HEAD.  Author and committer are git's: the
 * GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_AUTHOR_DATE (and COMMITTER)
 * variables, else user.name and user.email, and now.  The index
 * entries of the n changed paths are first brought up to date from the
 * working tree (which must hold the changes), so that a commit is never
 * left with an index that would revert it; when the index or the branch
 * cannot be written (a lock left behind), ENAS_EGIT says what was done
 * (written; staged) and what is left to do.  The new commit's id in *out
 * (may be NULL).
 */
int enas_commit_create(git_oid *out, struct enas_repo *repo,
    const git_oid *tree, const git_oid *head, const char *message,
    const struct enas_file_change *ch, size_t n);

/*
 * Whether the record at path has changes that HEAD does not: work (len
 * bytes, the working tree's) differs from HEAD's blob, or the index
 * holds another.  1 or 0, or a negative status.
 */
int enas_commit_dirty(struct enas_repo *repo, const char *path,
    const char *work, size_t len);

/*
 * The message of a commit that changes record id of kind r at path
 * (as HEAD has it) to text (len bytes), into msg (replaced): "KIND ID:
 * FIELD, FIELD" with the names of the fields that changed and never
 * their values (a commit message is read by everyone who can clone:
 * no value of a record may be in it); "N fields" and one per line when
 * they do not fit 72 columns; "layout" when no field changed; "new"
 * when HEAD has no such file.  0 or a negative status.
 */
int enas_commit_message(struct enas_buf *msg, struct enas_repo *repo,
    const struct enas_rules *r, const char *id, const char *path,
    const char *text, size_t len);

#endif
