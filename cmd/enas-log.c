/*
 * enas-log: the history of one record, commit by commit, with the
 * fields that changed, following the record when its file moved.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "find.h"
#include "i18n.h"
#include "kinds.h"
#include "log.h"
#include "record.h"
#include "repo.h"
#include "tool.h"

static int oneline, patch;
static git_repository *git;
static struct enas_repo *repo;
static const struct enas_rules *rules;
static const char *id;

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-log [--oneline] [-p] [-C dir] [-r rev] "
	    "id\n"), fp);
	exit(status);
}

/* A blob's record, or NULL when it does not parse. */
static struct enas_record *
load(const struct enas_log_version *v, struct enas_buf *buf)
{
	struct enas_record *rec = NULL;
	git_blob *blob;
	int rc;

	if (!v->found || v->mode == GIT_FILEMODE_LINK)
		return NULL;
	if (git_blob_lookup(&blob, git, &v->blob) < 0)
		tool_fail(enas_repo_error(v->path.data));
	buf->len = 0;
	if (enas_buf_add(buf, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob)) < 0)
		tool_fail(ENAS_ENOMEM);
	git_blob_free(blob);
	rc = enas_record_parse(&rec, buf->data, buf->len, v->path.data, 0,
	    NULL, NULL);
	if (rc == ENAS_ENOMEM)
		tool_fail(rc);
	return rec;
}

/*
 * What changed from old to new, one line each, into lines.  Like git
 * log's, this output is the same in every language: field names,
 * values and these few words ("created", "deleted", "moved from",
 * "layout", and lib/diff.c's "added", "removed") are what scripts grep.
 */
static void
changes(struct enas_buf *lines, const struct enas_log_version *old,
    const struct enas_log_version *new)
{
	struct enas_buf a = ENAS_BUF_INIT, b = ENAS_BUF_INIT;
	struct enas_record *x, *y;
	struct enas_diff d = ENAS_DIFF_INIT;
	size_t i;

	lines->len = 0;
	if (lines->data)
		lines->data[0] = '\0';
	if (!new->found) {
		if (enas_buf_puts(lines, "deleted\n") < 0)
			tool_fail(ENAS_ENOMEM);
		return;
	}
	if (!old->found) {
		if (enas_buf_puts(lines, "created\n") < 0)
			tool_fail(ENAS_ENOMEM);
		return;
	}
	if (strcmp(old->path.data, new->path.data) != 0 &&
	    enas_buf_printf(lines, "moved from %s\n", old->path.data) < 0)
		tool_fail(ENAS_ENOMEM);
	x = load(old, &a);
	y = load(new, &b);
	if (!x || !y) {
		if (enas_buf_printf(lines, "%s\n", y ? "(the version before "
		    "does not parse)" : "(this version does not parse)") < 0)
			tool_fail(ENAS_ENOMEM);
	} else {
		if (enas_diff_records(&d, x->root, y->root) < 0)
			tool_fail(ENAS_ENOMEM);
		for (i = 0; i < d.n; i++)
			if (enas_change_text(lines, &d.changes[i]) < 0 ||
			    enas_buf_puts(lines, "\n") < 0)
				tool_fail(ENAS_ENOMEM);
		if (d.n == 0 && !git_oid_equal(&old->blob, &new->blob) &&
		    enas_buf_puts(lines, "layout\n") < 0)
			tool_fail(ENAS_ENOMEM);
	}
	enas_diff_free(&d);
	enas_record_free(x);
	enas_record_free(y);
	enas_buf_free(&a);
	enas_buf_free(&b);
}

static int
print_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
    const git_diff_line *line, void *payload)
{
	(void)delta;
	(void)hunk;
	(void)payload;
	if (line->origin == GIT_DIFF_LINE_CONTEXT ||
	    line->origin == GIT_DIFF_LINE_ADDITION ||
	    line->origin == GIT_DIFF_LINE_DELETION)
		putchar(line->origin);
	fwrite(line->content, 1, line->content_len, stdout);
	return 0;
}

/* git's patch of the record's file(s) between two commits. */
static void
print_patch(git_commit *parent, git_commit *c, const struct enas_log_version *old,
    const struct enas_log_version *new)
{
	git_diff_options opts;
	git_diff_find_options fopts;
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	char *paths[2];

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	paths[0] = new->found ? new->path.data : old->path.data;
	paths[1] = old->found ? old->path.data : paths[0];
	opts.pathspec.strings = paths;
	opts.pathspec.count = 2;
	opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	if ((parent && git_commit_tree(&a, parent) < 0) ||
	    git_commit_tree(&b, c) < 0 ||
	    git_diff_tree_to_tree(&diff, git, a, b, &opts) < 0 ||
	    git_diff_find_similar(diff, &fopts) < 0 ||
	    git_diff_print(diff, GIT_DIFF_FORMAT_PATCH, print_line,
	    NULL) < 0)
		tool_fail(enas_repo_error(_("cannot make the patch")));
	putchar('\n');
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
}

/* When, as git prints it in ISO form: 2024-06-01 12:00:00 +0000. */
static void
when(char *buf, size_t size, const git_time *t, int date_only)
{
	time_t secs = (time_t)(t->time + (git_time_t)t->offset * 60);
	struct tm tm;
	int off = t->offset < 0 ? -t->offset : t->offset;

	gmtime_r(&secs, &tm);
	if (date_only)
		strftime(buf, size, "%Y-%m-%d", &tm);
	else {
		strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(buf + strlen(buf), size - strlen(buf), " %c%02d%02d",
		    t->offset < 0 ? '-' : '+', off / 60, off % 60);
	}
}

static void
show(git_commit *c, git_commit *parent, const struct enas_log_version *old,
    const struct enas_log_version *new)
{
	const git_signature *a = git_commit_author(c);
	struct enas_buf lines = ENAS_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], date[64];
	char *s, *nl;

	changes(&lines, old, new);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	if (oneline) {
		when(date, sizeof(date), &a->when, 1);
		printf("%.7s %s <%s> ", hex, date, a->email);
		for (s = lines.data; s && (nl = strchr(s, '\n')); s = nl + 1)
			printf("%s%.*s", s == lines.data ? "" : "; ",
			    (int)(nl - s), s);
		putchar('\n');
	} else {
		when(date, sizeof(date), &a->when, 0);
		printf("commit %s\nAuthor: %s <%s>\nDate:   %s\n\n", hex,
		    a->name, a->email, date);
		for (s = lines.data; s && (nl = strchr(s, '\n')); s = nl + 1)
			printf("    %.*s\n", (int)(nl - s), s);
		putchar('\n');
	}
	if (patch)
		print_patch(parent, c, old, new);
	enas_buf_free(&lines);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "oneline", no_argument, &oneline, 1 },
		{ "patch", no_argument, NULL, 'p' },
		{ "rev", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct enas_log_version *first;
	struct enas_log_step step;
	struct enas_snapshot *rsnap = NULL;
	struct enas_kinds *kinds = NULL;
	struct enas_log *log = NULL;
	const char *dir = NULL, *rev = NULL;
	int ch, rc, shown = 0;

	tool_init("enas-log", argc, argv);
	while ((ch = getopt_long(argc, argv, "C:hpr:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 0:
			break;
		case 'C':
			dir = optarg;
			break;
		case 'p':
			patch = 1;
			break;
		case 'r':
			rev = optarg;
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
	git = enas_repo_git(repo);
	if ((rc = enas_snapshot_under(&rsnap, repo, ENAS_COMMIT, rev,
	    ENAS_RULES_DIR)) < 0 ||
	    (rc = tool_kinds(&kinds, rsnap)) < 0)
		tool_fail(rc);
	if (!(rules = enas_kinds_of_id(kinds, id, strlen(id))))
		errx(2, _("'%s' is not the id of any kind in %s%s"), id,
		    rsnap->prefix, ENAS_RULES_DIR);
	if ((rc = enas_log_new(&log, &first, repo, rules, id,
	    &rsnap->commit)) < 0)
		tool_fail(rc);
	if (!first->found)
		errx(1, _("no %s record has the id %s at %s"), rules->kind, id,
		    rev ? rev : "HEAD");
	if (first->mode == GIT_FILEMODE_LINK)
		errx(2, _("%s: is a symbolic link; records are regular files"),
		    first->path.data);
	/*
	 * Newest first, every commit whose version of the record differs
	 * from each of its parents' (git log's history simplification).
	 */
	while ((rc = enas_log_next(log, &step)) == 1) {
		show(step.commit, step.parent, step.old, step.new);
		shown++;
	}
	if (rc < 0)
		tool_fail(rc);
	enas_log_free(log);
	enas_kinds_free(kinds);
	enas_snapshot_free(rsnap);
	enas_repo_free(repo);
	tool_flush_stdout();
	return shown == 0;
}
