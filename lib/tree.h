/*
 * tree.h: reading committed records fast, for statistics: every blob
 * below a tree, the differences between two trees (descending only
 * into subtrees whose ids differ), and the first-parent line of
 * commits with the day each was made.
 */
#ifndef ENAS_TREE_H
#define ENAS_TREE_H

#include <git2.h>

#include "enas.h"

/*
 * Called for a file below a tree: path is relative to the tree walked
 * (valid only during the call), oid and mode are its tree entry's.
 * For a difference, old is NULL for an added file and new NULL for a
 * removed one.  A non-zero return stops the walk and is returned.
 */
typedef int (*enas_tree_fn)(void *ctx, const char *path,
    const git_oid *old, const git_oid *new, unsigned mode);

/*
 * Call fn (with old NULL) for every file below the tree tree, in git's
 * order.  A missing or corrupt tree is ENAS_EGIT with a message.
 */
int enas_tree_each(git_repository *repo, const git_oid *tree,
    enas_tree_fn fn, void *ctx);

/*
 * Call fn for every file that differs between trees a and b, either
 * of which may be NULL for an empty tree: a changed file once, with
 * both ids.  Subtrees with equal ids are not read.
 */
int enas_tree_diff(git_repository *repo, const git_oid *a,
    const git_oid *b, enas_tree_fn fn, void *ctx);

/*
 * The id of the tree at path (a/b, no slashes at the ends) below the
 * root tree of commit, into *out.  Returns 1 when found, 0 when the
 * path is absent, ENAS_EGIT when it is not a tree or an object cannot
 * be read.
 */
int enas_tree_at(git_oid *out, git_repository *repo, const git_oid *commit,
    const char *path);

/* A commit of a first-parent line, and the day it was made. */
struct enas_line {
	git_oid id;
	long long day;	/* committer date in its own zone, days since 1970 */
};

/*
 * The first-parent line from tip back to its root, tip first, into
 * *out (n entries; the caller frees it).  A commit that cannot be read
 * is ENAS_EGIT.
 */
int enas_tree_line(struct enas_line **out, size_t *n, git_repository *repo,
    const git_oid *tip);

#endif
