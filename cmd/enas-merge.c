/*
 * enas-merge: git's merge driver for records, a three-way merge field
 * by field.  git runs it as "enas-merge %O %A %B %P" from the top of
 * the working tree, and takes what it leaves in %A.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "kinds.h"
#include "merge.h"
#include "repo.h"
#include "rules.h"
#include "tool.h"
#include "write.h"

/* The largest file merged, as text when it is not a record. */
#define INPUT_MAX (64 * 1024 * 1024)

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-merge [-p] base ours theirs [path]\n"), fp);
	exit(status);
}

static void
read_input(struct enas_buf *b, const char *path)
{
	if (enas_file_read(b, path, INPUT_MAX + 1) < 0)
		errx(2, "%s", enas_error_last());
	if (b->len > INPUT_MAX)
		errx(2, _("%s: larger than %d MiB"), path, INPUT_MAX >> 20);
}

/*
 * Replace the file at path with b's bytes, keeping its mode, atomically
 * (lib/write): git reads the result from there.
 */
static void
write_file(const char *path, const struct enas_buf *b)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

	if (!slash)
		rc = enas_write_atomic(".", path, b->data ? b->data : "",
		    b->len, ENAS_WRITE_KEEP_MODE);
	else {
		if (!(dir = strndup(path, (size_t)(slash - path))))
			err(2, NULL);
		rc = enas_write_atomic(*dir ? dir : "/", slash + 1,
		    b->data ? b->data : "", b->len, ENAS_WRITE_KEEP_MODE);
		free(dir);
	}
	if (rc < 0)
		errx(2, "%s", enas_error_last());
}

/*
 * Check a clean merge against the rules of the repository we run in.
 * Returns 0 when it passes, 1 when it breaks them (reported), 2 when it
 * cannot be checked (said).
 */
static int
check_result(const char *path, const struct enas_buf *b)
{
	struct enas_snapshot *snap = NULL;
	struct enas_kinds *kinds = NULL;
	struct enas_repo *repo = NULL;
	const struct enas_rules *r = NULL;
	int rc;

	/* The rules as they stand: the working tree's, or HEAD's if bare. */
	if ((rc = enas_repo_open(&repo, NULL, 0)) < 0 ||
	    (rc = enas_snapshot_under(&snap, repo, enas_repo_workdir(repo) ?
	    ENAS_WORKTREE : ENAS_COMMIT, NULL, ENAS_RULES_DIR)) < 0 ||
	    (rc = enas_kinds_load(&kinds, snap, NULL, NULL)) < 0)
		goto out;
	r = enas_kinds_of_path(kinds, path);
	if (!r && enas_kinds_errors(kinds) && strncmp(path, ENAS_RULES_DIR "/",
	    strlen(ENAS_RULES_DIR "/")) != 0 && strncmp(path,
	    ENAS_RECORDS_DIR "/", strlen(ENAS_RECORDS_DIR "/")) == 0) {
		/* Say what is broken: the record's kind may be in it. */
		enas_kinds_free(kinds);
		if ((rc = enas_kinds_load(&kinds, snap, tool_print_diag,
		    NULL)) == 0)
			rc = ENAS_ERULES;
		goto out;
	}
	rc = enas_merge_check(r, path, b->data, b->len, tool_print_diag, NULL);
	if (rc > 0)
		fprintf(stderr, _("enas-merge: %s: the merged record breaks "
		    "the rules; fix it, then git add it\n"), path);
out:
	if (rc < 0 && rc != ENAS_ERULES)
		warnx(_("%s: cannot check the merged record: %s"), path,
		    enas_error_last());
	enas_kinds_free(kinds);
	enas_snapshot_free(snap);
	enas_repo_free(repo);
	return rc < 0 ? 2 : rc > 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "stdout", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_buf in[3] = { ENAS_BUF_INIT, ENAS_BUF_INIT, ENAS_BUF_INIT };
	struct enas_buf out = ENAS_BUF_INIT;
	struct enas_merge_input b, o, t;
	const char *path;
	int ch, to_stdout = 0, rc, status;

	tool_init("enas-merge", argc, argv);
	while ((ch = getopt_long(argc, argv, "hp", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			to_stdout = 1;
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
	if (argc != 3 && argc != 4)
		usage(stderr, 2);
	path = argc == 4 ? argv[3] : argv[1];
	read_input(&in[0], argv[0]);
	read_input(&in[1], argv[1]);
	read_input(&in[2], argv[2]);
	b.buf = in[0].data;
	b.len = in[0].len;
	o.buf = in[1].data;
	o.len = in[1].len;
	t.buf = in[2].data;
	t.len = in[2].len;

	rc = enas_merge_records(&out, path, &b, &o, &t, tool_print_diag, NULL);
	if (rc == ENAS_ENOMEM)
		errx(2, "%s: %s", path, enas_error_last());
	if (rc < 0) {
		/* TRANSLATORS: %s says why the file is not a record. */
		warnx(_("%s; merging it as text"), enas_error_last());
		rc = ENAS_MERGE_NOT_RECORD;
	}
	if (rc == ENAS_MERGE_NOT_RECORD) {
		if ((rc = enas_merge_text(&out, &b, &o, &t)) < 0)
			errx(2, "%s: %s", path, enas_error_last());
		status = rc == ENAS_MERGE_CONFLICT ? 1 :
		    check_result(path, &out);
	} else if (rc == ENAS_MERGE_CLEAN)
		status = check_result(path, &out);
	else
		status = 1;

	if (to_stdout) {
		if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
			err(2, "%s", _("standard output"));

		tool_flush_stdout();
	} else
		write_file(argv[1], &out);
	enas_buf_free(&in[0]);
	enas_buf_free(&in[1]);
	enas_buf_free(&in[2]);
	enas_buf_free(&out);
	return status;
}
