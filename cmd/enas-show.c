/*
 * enas-show: print one record, as it is in the working tree or as it
 * was committed at a revision.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "find.h"
#include "i18n.h"
#include "kinds.h"
#include "record.h"
#include "repo.h"
#include "rules.h"
#include "tool.h"

#define SHOW_MAX (64 * 1024 * 1024)	/* bytes: far above any record */

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-show [-C dir] [-r rev] [--labels] id\n"), fp);
	exit(status);
}

/*
 * With --labels: the record in data, with each enum value's label in
 * the user's language after it.  A record that does not parse is left
 * as it is, its problems said: 1; else 0.
 */
static int
with_labels(struct enas_buf *data, const struct enas_rules *r,
    const char *prefix, const char *path)
{
	struct enas_buf shown = ENAS_BUF_INIT, name = ENAS_BUF_INIT;
	struct enas_record *rec = NULL;
	int rc;

	if (enas_buf_printf(&name, "%s%s", prefix, path) < 0)
		tool_fail(ENAS_ENOMEM);
	rc = enas_record_parse(&rec, data->data ? data->data : "", data->len,
	    name.data, 0, tool_print_diag, NULL);
	enas_buf_free(&name);
	if (rc == ENAS_EDATA)
		return 1;
	if (rc < 0 || enas_rules_annotate(&shown, r, rec, data->data,
	    data->len) < 0)
		tool_fail(ENAS_ENOMEM);
	enas_record_free(rec);
	enas_buf_free(data);
	*data = shown;
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "rev", required_argument, NULL, 'r' },
		{ "labels", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_buf path = ENAS_BUF_INIT, full = ENAS_BUF_INIT;
	struct enas_buf data = ENAS_BUF_INIT;
	struct enas_snapshot *rsnap = NULL;
	struct enas_kinds *kinds = NULL;
	struct enas_repo *repo = NULL;
	const struct enas_rules *r;
	const char *dir = NULL, *rev = NULL, *id;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_blob *blob = NULL;
	git_oid oid;
	unsigned mode;
	int ch, rc, labels = 0;

	tool_init("enas-show", argc, argv);
	while ((ch = getopt_long(argc, argv, "C:hr:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'r':
			rev = optarg;
			break;
		case 'L':
			labels = 1;
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
	id = argv[0];
	if (!enas_id_safe(id))
		errx(2, _("'%.64s' is not a record id"), id);
	if (dir && chdir(dir) < 0)
		err(2, "%s", dir);

	if ((rc = enas_repo_open(&repo, NULL, 0)) < 0)
		tool_fail(rc);
	if (!rev && !enas_repo_workdir(repo))
		rev = "HEAD";	/* a bare repository: what it holds */
	if ((rc = enas_snapshot_under(&rsnap, repo, rev ? ENAS_COMMIT :
	    ENAS_WORKTREE, rev, ENAS_RULES_DIR)) < 0 ||
	    (rc = tool_kinds(&kinds, rsnap)) < 0)
		tool_fail(rc);
	if (!(r = enas_kinds_of_id(kinds, id, strlen(id))))
		errx(2, _("'%s' is not the id of any kind in %s%s"), id,
		    rsnap->prefix, ENAS_RULES_DIR);
	if (rev) {
		if (git_commit_lookup(&commit, enas_repo_git(repo),
		    &rsnap->commit) < 0 || git_commit_tree(&tree, commit) < 0)
			tool_fail(enas_repo_error(_("cannot read the commit")));
	}
	if ((rc = enas_find(&path, &mode, &oid, repo, tree, r, id)) < 0)
		tool_fail(rc);
	if (rc == 0 && rev)
		errx(1, _("no %s record has the id %s at %s"), r->kind, id,
		    rev);
	if (rc == 0)
		errx(1, _("no %s record has the id %s"), r->kind, id);
	if (mode == GIT_FILEMODE_LINK)
		errx(2, _("%s%s: is a symbolic link; records are regular "
		    "files"), rsnap->prefix, path.data);

	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		errx(2, _("%s%s: is not a regular file"), rsnap->prefix,
		    path.data);
	if (rev) {
		if (git_blob_lookup(&blob, enas_repo_git(repo), &oid) < 0)
			tool_fail(enas_repo_error(path.data));
		if (enas_buf_add(&data, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob)) < 0)
			tool_fail(ENAS_ENOMEM);
	} else {
		if (enas_buf_printf(&full, "%s%s", enas_repo_workdir(repo),
		    path.data) < 0)
			tool_fail(ENAS_ENOMEM);
		if (enas_file_read(&data, full.data, SHOW_MAX) < 0)
			errx(2, "%s", enas_error_last());
	}
	if (labels)
		rc = with_labels(&data, r, rsnap->prefix, path.data);
	else
		rc = 0;
	if (fwrite(data.data, 1, data.len, stdout) != data.len)
		err(2, "%s", _("standard output"));
	git_blob_free(blob);
	git_tree_free(tree);
	git_commit_free(commit);
	enas_kinds_free(kinds);
	enas_snapshot_free(rsnap);
	enas_repo_free(repo);
	enas_buf_free(&path);
	enas_buf_free(&full);
	enas_buf_free(&data);
	tool_flush_stdout();
	return rc;
}
