/*
 * enas-edit: edit one record like visudo: a temporary copy, the user's
 * editor, the checks, an atomic write back and a commit.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commit.h"
#include "editor.h"
#include "find.h"
#include "i18n.h"
#include "kinds.h"
#include "record.h"
#include "repo.h"
#include "template.h"
#include "write.h"
#include "tool.h"


/* The draft the editor opens (cmd/tool.h). */
static struct tool_draft *const dr = &tool_draft;

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-edit [-f] [-C dir] id\n"), fp);
	exit(status);
}

/* Exit 2 keeping the user's edited copy, and say where it is. */
static void
fail_keep(int rc, const char *why)
{
	if (why)
		warnx("%s", why);
	else if (rc != ENAS_ERULES)
		warnx("%s", enas_error_last());
	fprintf(stderr, _("enas-edit: your version is kept in %s\n"),
	    dr->copy.data);
	exit(2);
}

/*
 * The changes that writing text means: the record at its place, and
 * the old file gone when its place changed (registered in another
 * year).  Returns the number of changes (1 or 2).
 */
static size_t
changes(struct enas_file_change *ch, struct enas_buf *path, char *newid,
    const struct enas_rules *r, const struct enas_buf *text,
    const char *oldpath, const char *id)
{
	int rc;

	if ((rc = enas_find_place(path, newid, r, text->data, text->len,
	    id)) < 0)
		tool_fail(rc);
	ch[0].path = path->data;
	ch[0].buf = text->data;
	ch[0].len = text->len;
	ch[0].mode = 0;
	if (strcmp(path->data, oldpath) == 0)
		return 1;
	ch[1].path = oldpath;
	ch[1].buf = NULL;
	ch[1].len = 0;
	ch[1].mode = 0;
	return 2;
}

/* Check the changes; the number of errors. */
static int
check(struct enas_repo *repo, const struct enas_rules *r,
    const struct enas_file_change *ch, size_t n, const char *id,
    const char *newid, int commit, git_oid *tree, git_oid *head)
{
	int rc;

	enas_diags_clear(&dr->shown);
	rc = commit ? enas_commit_check(tree, head, repo, ch, n,
	    tool_draft_diag, NULL) : enas_worktree_check(repo, ch, n,
	    tool_draft_diag, NULL);
	if (rc < 0)
		tool_fail(rc);
	if (strcmp(id, newid) != 0) {
		enas_diag_report(tool_draft_diag, NULL, ch[0].path, 1, 1,
		    /* TRANSLATORS: the old id, then the record's kind. */
		    ENAS_ERROR, "id", NULL, _("a record keeps its id; put "
		    "back %s (a new %s is made with enas new)"), id, r->kind);
		rc++;
	}
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_buf orig = ENAS_BUF_INIT, text = ENAS_BUF_INIT;
	struct enas_buf now = ENAS_BUF_INIT, path = ENAS_BUF_INIT;
	struct enas_buf full = ENAS_BUF_INIT;
	struct enas_buf msg = ENAS_BUF_INIT, draft = ENAS_BUF_INIT;
	struct enas_buf checked = ENAS_BUF_INIT, final = ENAS_BUF_INIT;
	struct enas_buf body = ENAS_BUF_INIT;
	struct enas_snapshot *rsnap = NULL;
	struct enas_template_refs *refs = NULL;
	struct enas_kinds *kinds = NULL;
	struct enas_repo *repo = NULL;
	struct enas_lock *lock = NULL;
	struct enas_file_change ch[2];
	const struct enas_rules *r;
	const char *dir = NULL, *id;
	char newid[ENAS_ID_MAX + 1], given[ENAS_ID_MAX + 1], *oldpath;
	git_oid tree, head;
	unsigned mode;
	size_t n, skip;
	int opt, force = 0, commit, rc, status = 0, round;

	tool_init("enas-edit", argc, argv);
	tool_at_fail(tool_draft_remove, NULL);
	while ((opt = getopt_long(argc, argv, "C:fh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'C':
			dir = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(stderr, 2);
	if (dir && chdir(dir) < 0)
		err(2, "%s", dir);

	if ((rc = enas_repo_open(&repo, NULL, 0)) < 0)
		tool_fail(rc);
	commit = enas_config_bool(repo, "enas.autoCommit", 1);
	if (commit && (rc = enas_commit_ready(repo)) < 0)
		tool_fail(rc);
	if (!enas_repo_workdir(repo))
		errx(2, "%s", _("a bare repository has no working tree"));
	if (commit && git_repository_head_unborn(enas_repo_git(repo)) == 1)
		errx(2, "%s", _("the repository has no commits yet; run "
		    "'enas init'"));
	if ((rc = enas_snapshot_under(&rsnap, repo, commit ? ENAS_COMMIT :
	    ENAS_WORKTREE, NULL, ENAS_RULES_DIR)) < 0 ||
	    (rc = tool_kinds(&kinds, rsnap)) < 0)
		tool_fail(rc);
	/* An id, in any case, a path, or the end of one id: which? */
	if ((rc = enas_find_resolve(given, sizeof(given), &r, kinds, repo,
	    argv[0])) < 0)
		tool_fail(rc);
	id = given;
	if ((rc = enas_find(&path, &mode, NULL, repo, NULL, r, id)) < 0)
		tool_fail(rc);
	if (rc == 0)
		errx(1, _("no %s record has the id %s"), r->kind, id);
	if (mode == GIT_FILEMODE_LINK)
		errx(2, _("%s: is a symbolic link; records are regular files"),
		    path.data);
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		errx(2, _("%s: is not a regular file"), path.data);
	if (!(oldpath = strdup(path.data)))
		err(2, NULL);
	if (enas_buf_printf(&full, "%s%s", enas_repo_workdir(repo),
	    oldpath) < 0 || (rc = enas_file_read(&orig, full.data,
	    ENAS_RECORD_MAX + 1)) < 0)
		tool_fail(rc < 0 ? rc : ENAS_ENOMEM);
	if (commit && !force && (rc = enas_commit_dirty(repo, oldpath,
	    orig.data, orig.len)) < 0)
		tool_fail(rc);
	if (commit && !force && rc == 1)
		errx(2, _("%s has changes that are not committed (git diff "
		    "HEAD -- %s); commit or undo them first, or give -f to "
		    "edit and commit them too"), oldpath, oldpath);

	if ((rc = enas_tmpdir_make(&dr->dir, repo)) < 0 ||
	    (rc = enas_buf_printf(&dr->copy, "%s/%s.yaml", dr->dir.data,
	    id)) < 0)
		tool_fail(rc);
	/* The editor's copy: the record with guidance as comments. */
	if ((rc = enas_template_refs(&refs, repo, kinds, r, commit ? ENAS_COMMIT :
	    ENAS_WORKTREE)) < 0 || (rc = enas_template_annotate(&draft, r, id,
	    orig.data, orig.len, refs)) < 0)
		tool_fail(rc);
	for (round = 0;; round++) {
		if ((rc = enas_write_atomic(dr->dir.data, dr->copy.data +
		    dr->dir.len + 1, draft.data, draft.len, 0)) < 0)
			tool_fail(rc);
		if (enas_editor_run(dr->copy.data) < 0 ||
		    enas_file_read(&text, dr->copy.data,
		    ENAS_RECORD_MAX + 1) < 0) {
			/* TRANSLATORS: %s says what failed. */
			warnx(_("%s; the record is unchanged"),
			    enas_error_last());
			tool_fail(ENAS_ERULES);
		}
		/* Quit without saving: unchanged, or given up after errors. */
		if (text.len == draft.len && memcmp(text.data, draft.data,
		    draft.len) == 0) {
			tool_draft_remove(NULL);
			if (round == 0)
				goto done;	/* nothing to do */
			fputs(_("enas-edit: the record is unchanged\n"),
			    stderr);
			status = 1;
			goto done;
		}
		skip = enas_editor_unmark(text.data, text.len);
		if (enas_editor_blank(text.data + skip, text.len - skip)) {
			tool_draft_remove(NULL);
			fputs(_("enas-edit: the file was emptied; the record "
			    "is unchanged\n"), stderr);
			status = 1;
			goto done;
		}
		/*
		 * Checked with comment lines left empty, so that the lines
		 * the diagnostics name are the lines of the editor's copy;
		 * written without comments.
		 */
		body.len = 0;
		if (enas_buf_add(&body, text.data + skip, text.len - skip) < 0 ||
		    enas_editor_strip(&checked, body.data, body.len,
		    ENAS_STRIP_BLANK) < 0 ||
		    enas_editor_strip(&final, body.data, body.len, 0) < 0)
			tool_fail(ENAS_ENOMEM);
		dr->seen = &body;
		dr->blanked = &checked;
		if (final.len == orig.len && memcmp(final.data, orig.data,
		    orig.len) == 0) {
			tool_draft_remove(NULL);
			goto done;	/* comments alone: unchanged */
		}
		n = changes(ch, &path, newid, r, &checked, oldpath, id);
		if (check(repo, r, ch, n, id, newid, commit, &tree,
		    &head) == 0)
			break;
		if (dr->shown.nomem || !tool_again()) {
			tool_draft_remove(NULL);
			fputs(_("enas-edit: the record is unchanged\n"),
			    stderr);
			status = 1;
			goto done;
		}
		if (enas_editor_mark(&draft, body.data, body.len,
		    &dr->shown) < 0)
			tool_fail(ENAS_ENOMEM);
	}
	n = changes(ch, &path, newid, r, &final, oldpath, id);
	dr->seen = dr->blanked = NULL;	/* the lines are final's now */
	/* the copy kept if writing fails: the record, without comments */
	if ((rc = enas_write_atomic(dr->dir.data, dr->copy.data + dr->dir.len +
	    1, final.data, final.len, 0)) < 0)
		tool_fail(rc);

	/* Under the lock: nobody changed it meanwhile; check again; write. */
	if ((rc = enas_repo_lock(&lock, repo)) < 0)
		fail_keep(rc, NULL);
	if (enas_file_read(&now, full.data, ENAS_RECORD_MAX + 1) < 0 ||
	    now.len != orig.len || memcmp(now.data, orig.data, orig.len) != 0)
		fail_keep(0, _("the record changed while you were editing "
		    "it"));
	if (check(repo, r, ch, n, id, newid, commit, &tree, &head) != 0) {
		fprintf(stderr, _("enas-edit: your version is kept in %s\n"),
		    dr->copy.data);
		enas_lock_release(lock);
		status = 1;
		goto done;
	}
	/* git's own locks, before anything is written */
	if (commit && (rc = enas_commit_locks(repo)) < 0) {
		warnx("%s", enas_error_last());
		fail_keep(rc, _("the record is unchanged"));

	}
	if ((rc = enas_write_atomic(enas_repo_workdir(repo), ch[0].path,
	    ch[0].buf, ch[0].len, n > 1 ? ENAS_WRITE_NEW : 0)) < 0)
		fail_keep(rc, NULL);
	if (n > 1 && (rc = enas_write_remove(enas_repo_workdir(repo),
	    oldpath)) < 0)
		tool_fail(rc);
	if (commit) {
		if ((rc = enas_commit_message(&msg, repo, r, id, oldpath,
		    final.data, final.len)) < 0)
			tool_fail(rc);
		if ((rc = enas_commit_create(NULL, repo, &tree, &head,
		    msg.data, ch, n)) < 0)
			tool_fail(rc);
	}
	enas_lock_release(lock);
	tool_draft_remove(NULL);
done:
	free(oldpath);
	enas_kinds_free(kinds);
	enas_snapshot_free(rsnap);
	enas_repo_free(repo);
	enas_buf_free(&orig);
	enas_buf_free(&text);
	enas_buf_free(&now);
	enas_buf_free(&path);
	enas_buf_free(&full);
	enas_buf_free(&msg);
	enas_buf_free(&draft);
	enas_buf_free(&checked);
	enas_buf_free(&final);
	enas_buf_free(&body);
	enas_diags_clear(&dr->shown);
	enas_template_refs_free(refs);
	enas_buf_free(&dr->dir);
	enas_buf_free(&dr->copy);
	return status;
}
