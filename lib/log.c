/*
 * log.c: the history of one record, as git log walks a path.
 *
 * The commits come from git itself: git rev-list START -- PATH gives,
 * at git's speed (its delta cache, its commit-graph), every commit that
 * changed the record's path, with git log's history simplification.
 * Each is then read here: the record's version in it and in its
 * parents, at the path.  When a commit has the record and its parent has not
 * at that path, the parent is searched wherever the kind keeps it: if
 * the record is there, it moved, and the walk goes on from that parent
 * with git rev-list of the other path (a segment); if not, it was
 * created there.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "find.h"
#include "i18n.h"
#include "log.h"

struct enas_log {
	struct enas_repo *repo;
	git_repository *git;
	const struct enas_rules *rules;
	char *id;
	git_oid *list;			/* this segment's commits */
	size_t nlist, next;
	struct enas_buf out;		/* git rev-list's output */
	int moved;			/* a new segment is due: */
	git_oid from;			/* from this commit */
	struct enas_buf path;		/* at this path */
	struct enas_buf hint;		/* the path seen last */
	struct enas_log_version cur, par, old;
	git_commit *commit, *parent;
};

static void
version_copy(struct enas_log_version *to, const struct enas_log_version *from,
    int *rc)
{
	to->found = from->found;
	to->blob = from->blob;
	to->mode = from->mode;
	to->path.len = 0;
	if (enas_buf_add(&to->path, from->path.data ? from->path.data : "",
	    from->path.len) < 0)
		*rc = ENAS_ENOMEM;
}

/* The version at path in commit c. */
static int
at_path(git_commit *c, const char *path, struct enas_log_version *v)
{
	git_tree_entry *te = NULL;
	git_tree *tree = NULL;
	int rc;

	v->found = 0;
	v->path.len = 0;
	if (enas_buf_puts(&v->path, path) < 0)
		return ENAS_ENOMEM;
	if (git_commit_tree(&tree, c) < 0)
		return enas_repo_error(_("cannot read a commit's tree"));
	rc = *path ? git_tree_entry_bypath(&te, tree, path) : GIT_ENOTFOUND;
	if (rc == 0 && git_tree_entry_type(te) == GIT_OBJECT_BLOB) {
		v->found = 1;
		v->blob = *git_tree_entry_id(te);
		v->mode = git_tree_entry_filemode(te);
	}
	git_tree_entry_free(te);
	git_tree_free(tree);
	return rc == 0 || rc == GIT_ENOTFOUND ? 0 :
	    enas_repo_error(_("cannot read a tree"));
}

/* Wherever the record's kind keeps it in commit c. */
static int
search(struct enas_log *l, git_commit *c, struct enas_log_version *v)
{
	git_tree *tree = NULL;
	unsigned mode = 0;
	int rc;

	if (git_commit_tree(&tree, c) < 0)
		return enas_repo_error(_("cannot read a commit's tree"));
	rc = enas_find(&v->path, &mode, &v->blob, l->repo, tree, l->rules,
	    l->id);
	git_tree_free(tree);
	if (rc < 0)
		return rc;
	v->found = rc == 1 && mode != GIT_FILEMODE_TREE;
	v->mode = mode;
	return 0;
}

/*
 * The version of the record in commit c: at path when it is there;
 * else, when look_elsewhere, wherever its kind keeps it.
 */
static int
version(struct enas_log *l, git_commit *c, const char *path,
    int look_elsewhere, struct enas_log_version *v)
{
	int rc;

	if ((rc = at_path(c, path, v)) < 0 || v->found || !look_elsewhere)
		return rc;
	if ((rc = search(l, c, v)) < 0)
		return rc;
	if (!v->found) {
		v->path.len = 0;
		if (enas_buf_puts(&v->path, path) < 0)
			return ENAS_ENOMEM;
	}
	return 0;
}

static int
same(const struct enas_log_version *a, const struct enas_log_version *b)
{
	return a->found == b->found && (!a->found ||
	    (git_oid_equal(&a->blob, &b->blob) &&
	    strcmp(a->path.data, b->path.data) == 0));
}

extern char **environ;

/*
 * The commits of git rev-list from -- path, newest first, into l->list:
 * 0 or a negative status.
 */
static int
rev_list(struct enas_log *l, const git_oid *from, const char *path)
{
	posix_spawn_file_actions_t fa;
	struct enas_buf gitdir = ENAS_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], buf[65536];
	char *argv[] = { "git", NULL, "rev-list", hex, "--", NULL, NULL };
	const char *p, *end;
	int fd[2] = { -1, -1 }, rc, status;
	size_t cap = 0;
	ssize_t n;
	pid_t pid = -1;
	void *q;

	l->nlist = l->next = 0;
	l->out.len = 0;
	git_oid_tostr(hex, sizeof(hex), from);
	if (enas_buf_printf(&gitdir, "--git-dir=%s",
	    git_repository_path(l->git)) < 0)
		return ENAS_ENOMEM;
	argv[1] = gitdir.data;
	argv[5] = (char *)path;
	if (pipe2(fd, O_CLOEXEC) < 0) {
		enas_buf_free(&gitdir);
		return enas_error_set(ENAS_EIO, "pipe: %s", strerror(errno));
	}
	if (posix_spawn_file_actions_init(&fa) != 0) {
		rc = enas_error_nomem();
		goto out;
	}
	if (posix_spawn_file_actions_adddup2(&fa, fd[1], 1) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
	    0) != 0)
		rc = enas_error_nomem();
	else if ((rc = posix_spawnp(&pid, "git", &fa, NULL, argv,
	    environ)) != 0)
		rc = enas_error_set(ENAS_EIO, _("cannot run git rev-list: %s"),
		    strerror(rc));
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	fd[1] = -1;
	if (rc != 0)
		goto out;
	while ((n = read(fd[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || enas_buf_add(&l->out, buf, (size_t)n) < 0) {
			rc = n < 0 ? enas_error_set(ENAS_EIO, "git rev-list: %s",
			    strerror(errno)) : ENAS_ENOMEM;
			break;
		}
	}
	status = -1;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && (status == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0))
		rc = enas_error_set(ENAS_EIO, _("git rev-list of %s failed"),
		    path);
	for (p = l->out.data, end = p + l->out.len; rc == 0 && p &&
	    p + GIT_OID_HEXSZ < end + 1; p += GIT_OID_HEXSZ + 1) {
		if (l->nlist == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(q = enas_realloc(l->list, cap * sizeof(*l->list)))) {
				rc = ENAS_ENOMEM;
				break;
			}
			l->list = q;
		}
		if (git_oid_fromstrn(&l->list[l->nlist], p,
		    GIT_OID_HEXSZ) < 0 || (p + GIT_OID_HEXSZ < end &&
		    p[GIT_OID_HEXSZ] != '\n')) {
			rc = enas_error_set(ENAS_EIO, _("git rev-list: not a "
			    "commit id"));
			break;
		}
		l->nlist++;
	}
out:
	if (fd[0] >= 0)
		close(fd[0]);
	if (fd[1] >= 0)
		close(fd[1]);
	enas_buf_free(&gitdir);
	return rc;
}

int
enas_log_new(struct enas_log **out, const struct enas_log_version **first,
    struct enas_repo *repo, const struct enas_rules *r, const char *id,
    const git_oid *start)
{
	struct enas_log *l;
	git_commit *c = NULL;
	int rc = ENAS_ENOMEM;

	*out = NULL;
	if (!(l = enas_calloc(1, sizeof(*l))))
		return ENAS_ENOMEM;
	l->repo = repo;
	l->git = enas_repo_git(repo);
	l->rules = r;
	if (!(l->id = enas_strdup(id)))
		goto fail;
	if (git_commit_lookup(&c, l->git, start) < 0) {
		rc = enas_repo_error(_("cannot read the commit"));
		goto fail;
	}
	rc = search(l, c, &l->cur);
	git_commit_free(c);
	if (rc < 0)
		goto fail;
	rc = ENAS_ENOMEM;
	if (l->cur.found && enas_buf_puts(&l->hint, l->cur.path.data) < 0)
		goto fail;
	if (l->cur.found && (rc = rev_list(l, start, l->hint.data)) < 0)
		goto fail;
	if (first)
		*first = &l->cur;
	*out = l;
	return 0;
fail:
	enas_log_free(l);
	return rc;
}

int
enas_log_next(struct enas_log *l, struct enas_log_step *step)
{
	git_commit *parent = NULL;
	unsigned i, np;
	int rc, eq;

	for (;;) {
		git_commit_free(l->commit);
		git_commit_free(l->parent);
		l->commit = l->parent = NULL;
		if (l->next == l->nlist || l->moved) {
			if (!l->moved)
				return 0;
			/* It moved: the other path's history, from there. */
			l->moved = 0;
			l->hint.len = 0;
			if (enas_buf_puts(&l->hint, l->path.data) < 0)
				return ENAS_ENOMEM;
			if ((rc = rev_list(l, &l->from, l->hint.data)) < 0)
				return rc;
			continue;
		}
		if (git_commit_lookup(&l->commit, l->git,
		    &l->list[l->next++]) < 0)
			return enas_repo_error(_("cannot read a commit"));
		if ((rc = version(l, l->commit, l->hint.data, 0,
		    &l->cur)) < 0)
			return rc;
		np = git_commit_parentcount(l->commit);
		eq = 0;
		l->old.found = 0;
		l->par.found = 0;
		for (i = 0; i < np && !eq; i++) {
			if (git_commit_parent(&parent, l->commit, i) < 0)
				return enas_repo_error(_("cannot read a "
				    "parent; is the history complete?"));
			/*
			 * Gone from its path: moved, or created here; only
			 * then is the parent searched.
			 */
			rc = version(l, parent, l->hint.data, l->cur.found,
			    &l->par);
			if (rc < 0) {
				git_commit_free(parent);
				return rc;
			}
			eq = same(&l->par, &l->cur);
			if (i == 0 && !eq) {
				/* A merge is shown against its first parent. */
				l->parent = parent;
				parent = NULL;
				version_copy(&l->old, &l->par, &rc);
				if (rc < 0)
					return rc;
				if (l->old.found && l->cur.found &&
				    strcmp(l->old.path.data,
				    l->cur.path.data) != 0) {
					l->moved = 1;
					l->from = *git_commit_id(l->parent);
					l->path.len = 0;
					if (enas_buf_puts(&l->path,
					    l->old.path.data) < 0)
						return ENAS_ENOMEM;
				}
			}
			git_commit_free(parent);
			parent = NULL;
		}
		if (!eq && (l->cur.found || np > 0)) {
			step->commit = l->commit;
			step->parent = l->parent;
			step->old = &l->old;
			step->new = &l->cur;
			return 1;
		}
	}
}

void
enas_log_free(struct enas_log *l)
{
	if (!l)
		return;
	git_commit_free(l->commit);
	git_commit_free(l->parent);
	free(l->list);
	enas_buf_free(&l->out);
	enas_buf_free(&l->path);
	enas_buf_free(&l->cur.path);
	enas_buf_free(&l->par.path);
	enas_buf_free(&l->old.path);
	enas_buf_free(&l->hint);
	free(l->id);
	free(l);
}
