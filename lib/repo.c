/*
 * repo.c: open a records repository and take snapshots of its records.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gitalloc.h"
#include "i18n.h"
#include "repo.h"
#include "write.h"

struct enas_repo {
	git_repository *git;
};

int
enas_repo_error(const char *what)
{
	const git_error *e;

	if (enas_alloc_failed())
		return enas_error_set(ENAS_ENOMEM, _("%s: out of memory"),
		    what);
	e = git_error_last();
	return enas_error_set(ENAS_EGIT, "%s: %s", what,
	    e && e->message ? e->message : _("unknown libgit2 error"));
}

int
enas_repo_open(struct enas_repo **out, const char *dir, unsigned flags)
{
	struct enas_repo *r;
	int rc;

	*out = NULL;
	if (!(r = enas_calloc(1, sizeof(*r))))
		return ENAS_ENOMEM;
	/* The allocator is set before libgit2 starts, which keeps it. */
	enas_gitalloc_spare(1);
	if (enas_gitalloc_install() < 0 || git_libgit2_init() < 0) {
		enas_gitalloc_spare(0);
		free(r);
		return enas_error_set(ENAS_EGIT, _("cannot start libgit2"));
	}
	if (flags & ENAS_REPO_FROM_ENV)
		rc = git_repository_open_ext(&r->git, NULL,
		    GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	else
		rc = git_repository_open_ext(&r->git, dir ? dir : ".", 0,
		    NULL);
	(void)git_error_last();	/* its thread state, while we spare it */
	enas_gitalloc_spare(0);
	if (rc < 0) {
		if (rc != GIT_ENOTFOUND)
			rc = enas_repo_error(_("cannot open the repository"));
		else if (dir)
			/* TRANSLATORS: %s is a directory */
			rc = enas_error_set(ENAS_EGIT, _("not in a git "
			    "repository (%s); run 'enas init' or cd into one"),
			    dir);
		else
			rc = enas_error_set(ENAS_EGIT, _("not in a git "
			    "repository (or any parent); run 'enas init' or cd "
			    "into one"));
		enas_repo_free(r);
		return rc;
	}
	/*
	 * libgit2 1.5 cannot walk past a shallow boundary, and a figure or
	 * a check over history that is not all there would be wrong.
	 */
	if (git_repository_is_shallow(r->git) == 1) {
		enas_repo_free(r);
		return enas_error_set(ENAS_EGIT, _("shallow clone: its "
		    "history is incomplete, which enas cannot work with; run "
		    "'git fetch --unshallow'"));
	}
	*out = r;
	return 0;
}

void
enas_repo_free(struct enas_repo *r)
{
	if (!r)
		return;
	git_repository_free(r->git);
	free(r);
	git_libgit2_shutdown();
}

git_repository *
enas_repo_git(const struct enas_repo *r)
{
	return r->git;
}

const char *
enas_repo_workdir(const struct enas_repo *r)
{
	return git_repository_workdir(r->git);
}

static int
add_to(struct enas_entry **v, size_t *n, size_t *cap, const char *path,
    const git_oid *oid, unsigned mode, int conflict)
{
	struct enas_entry *e;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		if (!(e = enas_realloc(*v, *cap * sizeof(*e))))
			return ENAS_ENOMEM;
		*v = e;
	}
	e = &(*v)[*n];
	if (!(e->path = enas_strdup(path)))
		return ENAS_ENOMEM;
	if (oid)
		git_oid_cpy(&e->oid, oid);
	else
		memset(&e->oid, 0, sizeof(e->oid));
	e->mode = mode;
	e->conflict = conflict;
	(*n)++;
	return 0;
}

static int
add_entry(struct enas_snapshot *s, size_t *cap, const char *path,
    const git_oid *oid, unsigned mode, int conflict)
{
	return add_to(&s->entries, &s->n, cap, path, oid, mode, conflict);
}

/* Walk the working tree below rel (a path from the top, no slash). */
static int
walk_dir(struct enas_snapshot *s, size_t *cap, const char *top,
    struct enas_buf *rel)
{
	struct enas_buf full = ENAS_BUF_INIT;
	struct dirent *d;
	struct stat st;
	size_t len = rel->len;
	DIR *dir;
	unsigned mode;
	int rc = 0;

	if (enas_buf_printf(&full, "%s%s", top, rel->data) < 0)
		return ENAS_ENOMEM;
	if (!(dir = opendir(full.data))) {
		rc = errno == ENOENT ? 0 : enas_error_set(ENAS_EIO, "%s: %s",
		    full.data, strerror(errno));
		enas_buf_free(&full);
		return rc;
	}
	while ((d = readdir(dir))) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		rel->len = len;
		if ((rc = enas_buf_printf(rel, "/%s", d->d_name)) < 0)
			break;
		full.len = 0;
		if ((rc = enas_buf_printf(&full, "%s%s", top, rel->data)) < 0)
			break;
		if (lstat(full.data, &st) < 0) {
			rc = enas_error_set(ENAS_EIO, "%s: %s", full.data,
			    strerror(errno));
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			if ((rc = walk_dir(s, cap, top, rel)) < 0)
				break;
			continue;
		}
		mode = S_ISREG(st.st_mode) ? (st.st_mode & 0111 ?
		    GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB) :
		    S_ISLNK(st.st_mode) ? GIT_FILEMODE_LINK : 0;
		if ((rc = add_entry(s, cap, rel->data, NULL, mode, 0)) < 0)
			break;
	}
	closedir(dir);
	rel->len = len;
	rel->data[len] = '\0';
	enas_buf_free(&full);
	return rc;
}

/*
 * records/ must be a directory of the working tree: a link would make
 * the tools read (and write) records somewhere else.  Absent is fine.
 */
static int
records_dir_ok(const char *top)
{
	struct enas_buf full = ENAS_BUF_INIT;
	struct stat st;
	int rc;

	if (enas_buf_printf(&full, "%s%s", top, ENAS_RECORDS_DIR) < 0)
		return ENAS_ENOMEM;
	rc = lstat(full.data, &st);
	enas_buf_free(&full);
	if (rc == 0 && S_ISLNK(st.st_mode))
		/* TRANSLATORS: %s is "records", twice */
		return enas_error_set(ENAS_EGIT, _("%s is a symbolic link; %s/ "
		    "must be a directory of the repository"), ENAS_RECORDS_DIR,
		    ENAS_RECORDS_DIR);
	return 0;
}

/*
 * The working tree's top-level names other than records and .git, for
 * the layout's check: a directory is one entry, not walked.
 */
static int
walk_top(struct enas_snapshot *s, const char *top)
{
	struct enas_buf full = ENAS_BUF_INIT;
	struct dirent *d;
	struct stat st;
	size_t cap = 0;
	unsigned mode;
	DIR *dir;
	int rc = 0;

	if (!(dir = opendir(top)))
		return enas_error_set(ENAS_EIO, "%s: %s", top, strerror(errno));
	while ((d = readdir(dir))) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") ==
		    0 || strcmp(d->d_name, ".git") == 0 ||
		    strcmp(d->d_name, ENAS_RECORDS_DIR) == 0)
			continue;
		full.len = 0;
		if ((rc = enas_buf_printf(&full, "%s%s", top, d->d_name)) < 0)
			break;
		if (lstat(full.data, &st) < 0) {
			rc = enas_error_set(ENAS_EIO, "%s: %s", full.data,
			    strerror(errno));
			break;
		}
		mode = S_ISDIR(st.st_mode) ? GIT_FILEMODE_TREE :
		    S_ISREG(st.st_mode) ? (st.st_mode & 0111 ?
		    GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB) :
		    S_ISLNK(st.st_mode) ? GIT_FILEMODE_LINK : 0;
		if ((rc = add_to(&s->others, &s->nothers, &cap, d->d_name,
		    NULL, mode, 0)) < 0)
			break;
	}
	closedir(dir);
	enas_buf_free(&full);
	return rc;
}

struct tree_walk {
	struct enas_snapshot *s;
	size_t *cap;
	const char *under;
	struct enas_buf path;
	int rc;
};

static int
tree_cb(const char *root, const git_tree_entry *te, void *payload)
{
	struct tree_walk *tw = payload;
	git_filemode_t mode = git_tree_entry_filemode(te);

	if (mode == GIT_FILEMODE_TREE)
		return 0;
	tw->path.len = 0;
	if (enas_buf_printf(&tw->path, "%s/%s%s", tw->under, root,
	    git_tree_entry_name(te)) < 0 || add_entry(tw->s, tw->cap,
	    tw->path.data, git_tree_entry_id(te), (unsigned)mode, 0) < 0) {
		tw->rc = ENAS_ENOMEM;
		return -1;
	}
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct enas_entry *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/* The files of tree below under ("records"), into s. */
static int
snapshot_tree(struct enas_snapshot *s, git_tree *tree, const char *under)
{
	struct tree_walk tw = { s, NULL, under, ENAS_BUF_INIT, 0 };
	git_tree_entry *te = NULL;
	git_tree *sub = NULL;
	size_t cap = 0;
	int rc;

	tw.cap = &cap;
	rc = git_tree_entry_bypath(&te, tree, under);
	if (rc == GIT_ENOTFOUND && !enas_alloc_failed()) {
		rc = 0;
		goto out;
	}
	if (rc < 0 || git_tree_entry_type(te) != GIT_OBJECT_TREE) {
		rc = rc < 0 ? enas_repo_error(_("cannot read the tree")) :
		    enas_error_set(ENAS_EGIT, _("%s is not a directory in the "
		    "commit"), under);
		goto out;
	}
	if (git_tree_lookup(&sub, git_tree_owner(tree),
	    git_tree_entry_id(te)) < 0) {
		rc = enas_repo_error(under);
		goto out;
	}
	if (git_tree_walk(sub, GIT_TREEWALK_PRE, tree_cb, &tw) < 0)
		rc = tw.rc < 0 ? tw.rc :
		    enas_repo_error(_("cannot walk the tree"));
out:
	enas_buf_free(&tw.path);
	git_tree_free(sub);
	git_tree_entry_free(te);
	return rc;
}

static int
snapshot_index(struct enas_snapshot *s, const char *under)
{
	const git_index_entry *ie;
	const char *last = NULL;
	git_index *index = NULL;
	size_t i, n, cap = 0, ocap = 0, plen = strlen(under);
	size_t rlen = strlen(ENAS_RECORDS_DIR "/");
	int rc = 0, stage;

	if (git_repository_index(&index, s->repo->git) < 0)
		return enas_repo_error(_("cannot read the index"));
	if (git_index_read(index, 0) < 0) {
		rc = enas_repo_error(_("cannot read the index"));
		goto out;
	}
	n = git_index_entrycount(index);
	for (i = 0; i < n; i++) {
		ie = git_index_get_byindex(index, i);
		stage = git_index_entry_stage(ie);
		if (strncmp(ie->path, ENAS_RECORDS_DIR "/", rlen) != 0 &&
		    strcmp(under, ENAS_RECORDS_DIR) == 0) {
			if ((stage == 0 || !s->nothers || strcmp(s->others[
			    s->nothers - 1].path, ie->path) != 0) &&
			    (rc = add_to(&s->others, &s->nothers, &ocap,
			    ie->path, &ie->id, ie->mode, stage != 0)) < 0)
				goto out;
			continue;
		}
		if (strncmp(ie->path, under, plen) != 0 || ie->path[plen] != '/')
			continue;
		if (stage && last && strcmp(last, ie->path) == 0)
			continue;
		if ((rc = add_entry(s, &cap, ie->path, &ie->id, ie->mode,
		    stage != 0)) < 0)
			goto out;
		last = s->entries[s->n - 1].path;
	}
out:
	git_index_free(index);
	return rc;
}

static int
snapshot_new(struct enas_snapshot **out, struct enas_repo *repo,
    enum enas_source source)
{
	if (!(*out = enas_calloc(1, sizeof(**out))))
		return ENAS_ENOMEM;
	(*out)->repo = repo;
	(*out)->source = source;
	return 0;
}

/* A snapshot of commit id's files below under. */
static int
snapshot_commit(struct enas_snapshot **out, struct enas_repo *repo,
    const git_oid *id, const char *under)
{
	struct enas_snapshot *s;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_oid head;
	int rc;

	*out = NULL;
	if ((rc = snapshot_new(&s, repo, ENAS_COMMIT)) < 0)
		return rc;
	git_oid_cpy(&s->commit, id);
	if (git_reference_name_to_id(&head, repo->git, "HEAD") < 0 ||
	    !git_oid_equal(&head, id)) {
		git_oid_tostr(s->prefix, 8, id);
		s->prefix[7] = ':';
		s->prefix[8] = '\0';
	}
	if (git_commit_lookup(&commit, repo->git, id) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		rc = enas_repo_error(_("cannot read the commit"));
		goto fail;
	}
	git_oid_cpy(&s->tree, git_tree_id(tree));
	s->has_tree = 1;
	if ((rc = snapshot_tree(s, tree, under)) < 0)
		goto fail;
	git_tree_free(tree);
	git_commit_free(commit);
	if (s->n)	/* entries is NULL then, which qsort may not take */
		qsort(s->entries, s->n, sizeof(*s->entries), cmp_entry);
	*out = s;
	return 0;
fail:
	git_tree_free(tree);
	git_commit_free(commit);
	enas_snapshot_free(s);
	return rc;
}

int
enas_snapshot_commit(struct enas_snapshot **out, struct enas_repo *repo,
    const git_oid *id)
{
	return snapshot_commit(out, repo, id, ENAS_RECORDS_DIR);
}

int
enas_snapshot_tree(struct enas_snapshot **out, struct enas_repo *repo,
    const git_oid *id)
{
	struct enas_snapshot *s;
	git_tree *tree = NULL;
	int rc;

	*out = NULL;
	if ((rc = snapshot_new(&s, repo, ENAS_COMMIT)) < 0)
		return rc;
	git_oid_cpy(&s->tree, id);
	s->has_tree = 1;
	if (git_tree_lookup(&tree, repo->git, id) < 0)
		rc = enas_repo_error(_("cannot read the tree"));
	else
		rc = snapshot_tree(s, tree, ENAS_RECORDS_DIR);
	git_tree_free(tree);
	if (rc < 0) {
		enas_snapshot_free(s);
		return rc;
	}
	if (s->n)
		qsort(s->entries, s->n, sizeof(*s->entries), cmp_entry);
	*out = s;
	return 0;
}

int
enas_snapshot_under(struct enas_snapshot **out, struct enas_repo *repo,
    enum enas_source source, const char *rev, const char *under)
{
	struct enas_buf rel = ENAS_BUF_INIT;
	struct enas_snapshot *s;
	git_object *obj = NULL, *peeled = NULL;
	size_t cap = 0;
	git_oid id;
	int rc;

	*out = NULL;
	if (source == ENAS_COMMIT) {
		if (!rev && git_repository_head_unborn(repo->git) == 1)
			return enas_error_set(ENAS_EGIT, _("the repository has "
			    "no commits yet"));
		if (git_revparse_single(&obj, repo->git, rev ? rev : "HEAD") < 0)
			return enas_alloc_failed() ? enas_repo_error(rev ?
			    rev : "HEAD") : enas_error_set(ENAS_EGIT, _("'%s' "
			    "names no commit in this repository"), rev ? rev :
			    "HEAD");
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
		git_object_free(obj);
		if (rc < 0)
			return enas_alloc_failed() ? enas_repo_error(rev ?
			    rev : "HEAD") : enas_error_set(ENAS_EGIT,
			    _("'%s' is not a commit"), rev ? rev : "HEAD");
		git_oid_cpy(&id, git_object_id(peeled));
		git_object_free(peeled);
		return snapshot_commit(out, repo, &id, under);
	}
	if ((rc = snapshot_new(&s, repo, source)) < 0)
		return rc;
	if (source == ENAS_INDEX)
		rc = snapshot_index(s, under);
	else if (!enas_repo_workdir(repo))
		rc = enas_error_set(ENAS_EGIT, _("a bare repository has no "
		    "working tree; use -r REV"));
	else if ((rc = records_dir_ok(enas_repo_workdir(repo))) == 0 &&
	    (rc = enas_buf_puts(&rel, under)) == 0 &&
	    (rc = walk_dir(s, &cap, enas_repo_workdir(repo), &rel)) == 0 &&
	    strcmp(under, ENAS_RECORDS_DIR) == 0)
		rc = walk_top(s, enas_repo_workdir(repo));
	enas_buf_free(&rel);
	if (rc < 0) {
		enas_snapshot_free(s);
		return rc;
	}
	if (s->n)	/* entries is NULL then, which qsort may not take */
		qsort(s->entries, s->n, sizeof(*s->entries), cmp_entry);
	if (s->nothers)
		qsort(s->others, s->nothers, sizeof(*s->others), cmp_entry);
	*out = s;
	return 0;
}

int
enas_snapshot_open(struct enas_snapshot **out, struct enas_repo *repo,
    enum enas_source source, const char *rev)
{
	return enas_snapshot_under(out, repo, source, rev, ENAS_RECORDS_DIR);
}

void
enas_snapshot_free(struct enas_snapshot *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; !s->block && !s->map && i < s->n; i++)
		free(s->entries[i].path);
	for (i = 0; !s->map && i < s->nothers; i++)
		free(s->others[i].path);
	free(s->others);
	free(s->block);
	if (s->map)
		munmap(s->map, s->maplen);
	free(s->entries);
	free(s);
}

const struct enas_entry *
enas_snapshot_find(const struct enas_snapshot *s, const char *path)
{
	struct enas_entry key;

	if (!s->n)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.path = (char *)path;
	return bsearch(&key, s->entries, s->n, sizeof(*s->entries),
	    cmp_entry);
}

int
enas_snapshot_read(const struct enas_snapshot *s, const struct enas_entry *e,
    struct enas_buf *b, size_t max)
{
	struct enas_buf full = ENAS_BUF_INIT;
	git_blob *blob;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	b->len = 0;
	if (e->mode == GIT_FILEMODE_LINK)
		return enas_error_set(ENAS_EDATA, _("is a symbolic link; "
		    "records are regular files"));
	if (e->mode == GIT_FILEMODE_COMMIT)
		return enas_error_set(ENAS_EDATA, _("is a submodule; records "
		    "are regular files"));
	if (e->mode != GIT_FILEMODE_BLOB &&
	    e->mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return enas_error_set(ENAS_EDATA, _("is not a regular file"));
	if (s->source == ENAS_WORKTREE) {
		if (enas_buf_printf(&full, "%s%s", enas_repo_workdir(s->repo),
		    e->path) < 0)
			return ENAS_ENOMEM;
		rc = enas_file_read(b, full.data, max);
		enas_buf_free(&full);
		if (rc == ENAS_EDATA)
			enas_error_set(rc, _("is not a regular file"));
		return rc;
	}
	if (git_blob_lookup(&blob, s->repo->git, &e->oid) < 0) {
		const git_error *ge;

		if (enas_alloc_failed())
			return enas_repo_error(e->path);
		ge = git_error_last();
		git_oid_tostr(hex, sizeof(hex), &e->oid);
		/* TRANSLATORS: a directory and a file, an object id, then
		   libgit2's message */
		return enas_error_set(ENAS_EGIT, _("%s%s: cannot read object "
		    "%s: %s; the repository is damaged (see git fsck)"),
		    s->prefix, e->path, hex, ge && ge->message ? ge->message :
		    _("unknown"));
	}
	rc = enas_buf_add(b, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return rc;
}

int
enas_config_bool(struct enas_repo *repo, const char *name, int dflt)
{
	git_config *cfg = NULL;
	int v = dflt;

	if (git_repository_config_snapshot(&cfg, enas_repo_git(repo)) == 0 &&
	    git_config_get_bool(&v, cfg, name) < 0)
		v = dflt;
	git_config_free(cfg);
	return v;
}

int
enas_config_string(struct enas_buf *b, struct enas_repo *repo,
    const char *name)
{
	git_config *cfg = NULL;
	const char *v;
	int rc;

	b->len = 0;
	if (git_repository_config_snapshot(&cfg, enas_repo_git(repo)) < 0)
		return enas_repo_error(_("cannot read the git config"));
	rc = git_config_get_string(&v, cfg, name);
	if (rc == GIT_ENOTFOUND)
		rc = 0;
	else if (rc < 0)
		rc = enas_repo_error(name);
	else
		rc = enas_buf_puts(b, v) < 0 ? ENAS_ENOMEM : 1;
	git_config_free(cfg);
	return rc;
}

int
enas_repo_lock(struct enas_lock **out, struct enas_repo *repo)
{
	struct enas_buf path = ENAS_BUF_INIT;
	const char *s = getenv("ENAS_LOCK_TIMEOUT");
	long secs = 30;
	char *end;
	int rc;

	if (s && *s) {
		secs = strtol(s, &end, 10);
		if (*end || secs < 0 || secs > 86400)
			secs = 30;
	}
	if (enas_buf_printf(&path, "%senas.lock",
	    git_repository_commondir(enas_repo_git(repo))) < 0)
		return ENAS_ENOMEM;
	rc = enas_lock_take(out, path.data, secs * 1000);
	enas_buf_free(&path);
	return rc;
}
