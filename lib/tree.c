/*
 * tree.c: walks and differences of git trees, and the first-parent line.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "repo.h"
#include "tree.h"

static int
lookup(git_tree **out, git_repository *repo, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (git_tree_lookup(out, repo, id) < 0) {
		git_oid_tostr(hex, sizeof(hex), id);
		return enas_repo_error(hex);
	}
	return 0;
}

/* Append name to path (a directory, empty or ending in '/'). */
static int
push(struct enas_buf *path, const char *name, int dir)
{
	if (enas_buf_puts(path, name) < 0)
		return ENAS_ENOMEM;
	return dir ? enas_buf_add(path, "/", 1) : 0;
}

static int
each(git_repository *repo, const git_oid *id, struct enas_buf *path,
    enas_tree_fn fn, void *ctx, int removed)
{
	const git_tree_entry *e;
	git_tree *tree;
	size_t i, n, len = path->len;
	int rc = 0;

	if ((rc = lookup(&tree, repo, id)) < 0)
		return rc;
	n = git_tree_entrycount(tree);
	for (i = 0; i < n && rc == 0; i++) {
		e = git_tree_entry_byindex(tree, i);
		path->len = len;
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			if ((rc = push(path, git_tree_entry_name(e), 1)) == 0)
				rc = each(repo, git_tree_entry_id(e), path, fn,
				    ctx, removed);
		} else if ((rc = push(path, git_tree_entry_name(e), 0)) == 0)
			rc = removed ? fn(ctx, path->data,
			    git_tree_entry_id(e), NULL,
			    git_tree_entry_filemode(e)) : fn(ctx, path->data,
			    NULL, git_tree_entry_id(e),
			    git_tree_entry_filemode(e));
	}
	path->len = len;
	if (path->data)
		path->data[len] = '\0';
	git_tree_free(tree);
	return rc;
}

int
enas_tree_each(git_repository *repo, const git_oid *tree, enas_tree_fn fn,
    void *ctx)
{
	struct enas_buf path = ENAS_BUF_INIT;
	int rc;

	if ((rc = enas_buf_puts(&path, "")) < 0)
		return rc;
	rc = each(repo, tree, &path, fn, ctx, 0);
	enas_buf_free(&path);
	return rc;
}

/* One side of a difference: everything below entry e, added or removed. */
static int
side(git_repository *repo, const git_tree_entry *e, struct enas_buf *path,
    enas_tree_fn fn, void *ctx, int removed)
{
	size_t len = path->len;
	int rc;

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		if ((rc = push(path, git_tree_entry_name(e), 1)) == 0)
			rc = each(repo, git_tree_entry_id(e), path, fn, ctx,
			    removed);
	} else if ((rc = push(path, git_tree_entry_name(e), 0)) == 0)
		rc = fn(ctx, path->data, removed ? git_tree_entry_id(e) : NULL,
		    removed ? NULL : git_tree_entry_id(e),
		    git_tree_entry_filemode(e));
	path->len = len;
	path->data[len] = '\0';
	return rc;
}

static int
diff(git_repository *repo, const git_oid *a, const git_oid *b,
    struct enas_buf *path, enas_tree_fn fn, void *ctx)
{
	const git_tree_entry *x, *y;
	git_tree *ta = NULL, *tb = NULL;
	size_t i = 0, j = 0, na, nb, len = path->len;
	int rc = 0, c, tx, ty;

	if ((a && (rc = lookup(&ta, repo, a)) < 0) ||
	    (b && (rc = lookup(&tb, repo, b)) < 0))
		goto out;
	na = ta ? git_tree_entrycount(ta) : 0;
	nb = tb ? git_tree_entrycount(tb) : 0;
	while (rc == 0 && (i < na || j < nb)) {
		x = i < na ? git_tree_entry_byindex(ta, i) : NULL;
		y = j < nb ? git_tree_entry_byindex(tb, j) : NULL;
		c = !x ? 1 : !y ? -1 : git_tree_entry_cmp(x, y);
		if (c < 0) {
			rc = side(repo, x, path, fn, ctx, 1);
			i++;
			continue;
		}
		if (c > 0) {
			rc = side(repo, y, path, fn, ctx, 0);
			j++;
			continue;
		}
		i++;
		j++;
		if (git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)) &&
		    git_tree_entry_filemode(x) == git_tree_entry_filemode(y))
			continue;
		tx = git_tree_entry_type(x) == GIT_OBJECT_TREE;
		ty = git_tree_entry_type(y) == GIT_OBJECT_TREE;
		if (tx && ty) {
			if ((rc = push(path, git_tree_entry_name(x), 1)) == 0)
				rc = diff(repo, git_tree_entry_id(x),
				    git_tree_entry_id(y), path, fn, ctx);
		} else if (!tx && !ty) {
			if ((rc = push(path, git_tree_entry_name(x), 0)) == 0)
				rc = fn(ctx, path->data, git_tree_entry_id(x),
				    git_tree_entry_id(y),
				    git_tree_entry_filemode(y));
		} else if ((rc = side(repo, x, path, fn, ctx, 1)) == 0)
			rc = side(repo, y, path, fn, ctx, 0);
		path->len = len;
		path->data[len] = '\0';
	}
out:
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

int
enas_tree_diff(git_repository *repo, const git_oid *a, const git_oid *b,
    enas_tree_fn fn, void *ctx)
{
	struct enas_buf path = ENAS_BUF_INIT;
	int rc;

	if (a && b && git_oid_equal(a, b))
		return 0;
	if ((rc = enas_buf_puts(&path, "")) < 0)
		return rc;
	rc = diff(repo, a, b, &path, fn, ctx);
	enas_buf_free(&path);
	return rc;
}

int
enas_tree_at(git_oid *out, git_repository *repo, const git_oid *commit,
    const char *path)
{
	git_commit *c = NULL;
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	if (git_commit_lookup(&c, repo, commit) < 0 ||
	    git_commit_tree(&root, c) < 0) {
		git_oid_tostr(hex, sizeof(hex), commit);
		rc = enas_repo_error(hex);
		goto out;
	}
	rc = git_tree_entry_bypath(&e, root, path);
	if (rc == GIT_ENOTFOUND) {
		rc = 0;
		goto out;
	}
	if (rc < 0) {
		rc = enas_repo_error(path);
		goto out;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		rc = enas_error_set(ENAS_EGIT, _("%s is not a directory in the "
		    "commit"), path);
		goto out;
	}
	git_oid_cpy(out, git_tree_entry_id(e));
	rc = 1;
out:
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(c);
	return rc;
}

int
enas_tree_line(struct enas_line **out, size_t *n, git_repository *repo,
    const git_oid *tip)
{
	struct enas_line *v = NULL, *nv;
	const git_signature *sig;
	git_commit *c = NULL;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];
	size_t cap = 0, len = 0;
	long long t;

	git_oid_cpy(&id, tip);
	for (;;) {
		if (git_commit_lookup(&c, repo, &id) < 0) {
			git_oid_tostr(hex, sizeof(hex), &id);
			free(v);
			return enas_repo_error(hex);
		}
		if (len == cap) {
			cap = cap ? cap * 2 : 256;
			if (!(nv = enas_realloc(v, cap * sizeof(*v)))) {
				git_commit_free(c);
				free(v);
				return ENAS_ENOMEM;
			}
			v = nv;
		}
		sig = git_commit_committer(c);
		t = (long long)sig->when.time + sig->when.offset * 60LL;
		git_oid_cpy(&v[len].id, &id);
		v[len].day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
		len++;
		if (git_commit_parentcount(c) == 0) {
			git_commit_free(c);
			break;
		}
		git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
	}
	*out = v;
	*n = len;
	return 0;
}
