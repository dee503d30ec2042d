/*
 * identity_receive.c: what the identity server checks of a pushed
 * commit, without any key: the closed layout of the repository, that
 * every .age file is an age file with at least one X25519 stanza (and
 * no passphrase stanza), that recipients files parse, and whether the
 * commit changes what only an administrator may change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "identity.h"
#include "identity_receive.h"

#define BLOB_MAX (1024 * 1024)

struct walk {
	git_repository *git;
	const char *name;	/* the commit, for messages */
	enas_diag_fn fn;
	void *ctx;
	int errors;
};

static void
refuse(struct walk *w, const char *path, const char *msg)
{
	struct enas_buf f = ENAS_BUF_INIT;

	if (enas_buf_printf(&f, "%s:%s", w->name, path) < 0) {
		w->errors++;
		return;
	}
	enas_diag_report(w->fn, w->ctx, f.data, 0, 0, ENAS_ERROR, NULL, NULL,
	    "%s", msg);
	enas_buf_free(&f);
	w->errors++;
}

/* The blob's content, if it is not too large: its size is read first. */
static int
read_blob(git_blob **out, struct walk *w, const git_oid *oid,
    const char *path)
{
	git_odb *odb = NULL;
	git_object_t type;
	size_t size;

	*out = NULL;
	if (git_repository_odb(&odb, w->git) < 0 ||
	    git_odb_read_header(&size, &type, odb, oid) < 0) {
		git_odb_free(odb);
		return enas_repo_error(path);
	}
	git_odb_free(odb);
	if (size > BLOB_MAX) {
		refuse(w, path, _("larger than 1 MiB: not an identity file"));
		return 0;
	}
	if (git_blob_lookup(out, w->git, oid) < 0)
		return enas_repo_error(path);
	return 0;
}

static void
check_age(struct walk *w, const char *path, const git_blob *b)
{
	struct enas_age_shape shape;
	char msg[512];

	if (enas_age_shape(&shape, git_blob_rawcontent(b),
	    (size_t)git_blob_rawsize(b)) < 0) {
		snprintf(msg, sizeof(msg), _("not an age file: %s"),
		    enas_error_last());
		refuse(w, path, msg);
	} else if (shape.nx25519 == 0 || shape.nscrypt)
		refuse(w, path, _("an identity file must be encrypted to "
		    "X25519 recipients (age1...), never to a passphrase"));
}

static int
walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk *w = payload;
	struct enas_buf path = ENAS_BUF_INIT;
	const char *name = git_tree_entry_name(e);
	git_filemode_t mode = git_tree_entry_filemode(e);
	char office[ENAS_IDENTITY_OFFICE_MAX];
	git_blob *b = NULL;
	int depth = 0, kind, skip = 0;
	const char *p;

	for (p = root; *p; p++)
		depth += *p == '/';
	if (enas_buf_printf(&path, "%s%s", root, name) < 0)
		return -1;
	if (mode == GIT_FILEMODE_TREE) {
		if ((depth == 0 && strcmp(name, "ids") == 0) ||
		    (depth == 1 && strcmp(root, "ids/") == 0 &&
		    enas_identity_office_ok(name)))
			goto out;
		refuse(w, path.data, _("a directory the identity layout does "
		    "not allow (ids/<OFFICE>/ only)"));
		skip = 1;
		goto out;
	}
	if (mode != GIT_FILEMODE_BLOB) {
		refuse(w, path.data, _("not a regular file (a link, an "
		    "executable or a submodule)"));
		goto out;
	}
	kind = enas_identity_path(path.data, office, NULL);
	if (depth == 0 && (strcmp(name, ".gitattributes") == 0 ||
	    strcmp(name, ".token.age") == 0))
		kind = strcmp(name, ".token.age") == 0 ? ENAS_IDPATH_IDENTITY : 3;
	if (kind == ENAS_IDPATH_OTHER) {
		refuse(w, path.data, _("a file the identity layout does not "
		    "allow (ids/<OFFICE>/<token>.age, ids/<OFFICE>/.recipients, "
		    ".token.age, .gitattributes)"));
		goto out;
	}
	if (read_blob(&b, w, git_tree_entry_id(e), path.data) < 0) {
		enas_buf_free(&path);
		return -1;
	}
	if (!b)
		goto out;
	if (kind == ENAS_IDPATH_IDENTITY)
		check_age(w, path.data, b);
	else if (kind == ENAS_IDPATH_RECIPIENTS) {
		struct enas_age_recipient *r;
		size_t n;

		if (enas_identity_recipients_parse(&r, &n,
		    git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
		    path.data) < 0)
			refuse(w, path.data, enas_error_last());
		else
			free(r);
	}
out:
	git_blob_free(b);
	enas_buf_free(&path);
	return skip;	/* 1: do not enter a refused directory */
}

int
enas_identity_check_commit(git_repository *git, const git_commit *c,
    const char *name, enas_diag_fn fn, void *ctx)
{
	struct walk w = { git, name, fn, ctx, 0 };
	git_tree *tree = NULL;
	int rc;

	if (git_commit_tree(&tree, c) < 0)
		return enas_repo_error(name);
	rc = git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w);
	git_tree_free(tree);
	if (rc < 0 && rc != GIT_EUSER)
		return enas_repo_error(name);
	if (rc < 0)
		return ENAS_EGIT;
	return w.errors;
}

/* 1 if path is one only an administrator may change. */
static int
admin_path(const char *path)
{
	return strcmp(path, ".gitattributes") == 0 ||
	    strcmp(path, ".token.age") == 0 ||
	    enas_identity_path(path, NULL, NULL) == ENAS_IDPATH_RECIPIENTS;
}

int
enas_identity_admin_change(int *out, git_repository *git,
    const git_commit *c)
{
	git_tree *tree = NULL, *ptree = NULL;
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	size_t i, n;
	int rc = 0;

	*out = 0;
	if (git_commit_tree(&tree, c) < 0 ||
	    (git_commit_parentcount(c) > 0 &&
	    (git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&ptree, parent) < 0)) ||
	    git_diff_tree_to_tree(&diff, git, ptree, tree, NULL) < 0) {
		rc = enas_repo_error("diff");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !*out; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if ((d->old_file.path && admin_path(d->old_file.path)) ||
		    (d->new_file.path && admin_path(d->new_file.path)))
			*out = 1;
	}
out:
	git_diff_free(diff);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}
