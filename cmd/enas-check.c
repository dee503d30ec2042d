/*
 * enas-check: validate records against the rules of their repository.
 */
#include <err.h>
#include <getopt.h>
#include <locale.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "find.h"
#include "i18n.h"
#include "policy.h"
#include "receive.h"
#include "record.h"
#include "repo.h"
#include "tool.h"

static int json;
static int nprinted;	/* JSON diagnostics so far */
static int file_errors;
static struct enas_buf out = ENAS_BUF_INIT;

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-check [-0] [-C dir] [-O text|json] "
	    "file ... | -\n"
	    "       enas-check [-C dir] [-O text|json] --all | --staged "
	    "| -r rev\n"
	    "       enas-check --pre-receive\n"), fp);
	exit(status);
}

/* Diagnostics as a JSON array with --format=json, else the tools' lines. */
static void
print_diag(void *ctx, const struct enas_diag *d)
{
	if (!json) {
		tool_print_diag(ctx, d);
		return;
	}
	if (enas_buf_puts(&out, nprinted ? ",\n  " : "[\n  ") < 0 ||
	    enas_diag_json(&out, d) < 0)
		errx(2, "%s", enas_error_last());
	nprinted++;
}

/*
 * A file named on the command line: its path from the top of the
 * repository when it is inside the working tree, else NULL.
 */
static char *
relative(const char *workdir, const char *arg)
{
	char dir[PATH_MAX], *slash, *res, *copy;
	const char *base;
	size_t n;

	if (!workdir || !(copy = strdup(arg)))
		return NULL;
	slash = strrchr(copy, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		res = realpath(*copy ? copy : "/", dir);
	} else {
		base = copy;
		res = realpath(".", dir);
	}
	n = strlen(workdir);
	if (!res || strncmp(dir, workdir, n - 1) != 0 ||
	    (dir[n - 1] != '/' && dir[n - 1] != '\0')) {
		free(copy);
		return NULL;
	}
	if (asprintf(&res, "%s%s%s", dir[n - 1] ? dir + n : "",
	    dir[n - 1] ? "/" : "", base) < 0)
		res = NULL;
	free(copy);
	return res;
}

/*
 * Check the record whose id arg is, when arg is no file: 1 when it was
 * one, 0 when not, or a negative status.
 */
static int
by_id(struct enas_checker *c, const struct enas_snapshot *snap,
    const char *arg)
{
	struct enas_buf path = ENAS_BUF_INIT;
	const struct enas_rules *r;
	const struct enas_entry *e;
	unsigned mode;
	int rc;

	if (access(arg, F_OK) == 0 || snap->source != ENAS_WORKTREE ||
	    !enas_id_safe(arg) || !(r = enas_kinds_of_id(enas_checker_kinds(c),
	    arg, strlen(arg))))
		return 0;
	rc = enas_find(&path, &mode, NULL, snap->repo, NULL, r, arg);
	if (rc == 1 && (e = enas_snapshot_find(snap, path.data)) &&
	    (rc = enas_checker_entry(c, e)) == 0)
		rc = 1;
	else if (rc == 1)
		rc = 0;
	enas_buf_free(&path);
	return rc;
}

static int
check_file(struct enas_checker *c, const struct enas_snapshot *snap,
    const char *workdir, const char *arg)
{
	struct enas_buf buf = ENAS_BUF_INIT;
	const struct enas_entry *e;
	char *rel = relative(workdir, arg);
	struct enas_diag d = { arg, 0, 0, ENAS_ERROR, NULL, NULL, NULL };
	int rc;

	if (rel && (e = enas_snapshot_find(snap, rel)) && e->mode !=
	    GIT_FILEMODE_LINK && e->mode) {
		rc = enas_checker_entry(c, e);
		free(rel);
		return rc;
	}
	/* Not a file here, but a record's id ("enas-ls case | enas-check -") */
	if ((rc = by_id(c, snap, arg)) != 0) {
		free(rel);
		return rc < 0 ? rc : 0;
	}
	rc = enas_file_read(&buf, arg, ENAS_RECORD_MAX + 1);
	if (rc == 0)
		rc = enas_checker_buffer(c, arg, NULL, buf.data, buf.len);
	else if (rc == ENAS_EDATA || rc == ENAS_EIO) {
		d.msg = enas_error_last();
		if (strncmp(d.msg, arg, strlen(arg)) == 0 &&
		    d.msg[strlen(arg)] == ':')
			d.msg += strlen(arg) + 2;
		print_diag(NULL, &d);
		file_errors++;
		rc = 0;
	}
	free(rel);
	enas_buf_free(&buf);
	return rc;
}

static int
pre_receive(void)
{
	struct enas_update *u = NULL, *grown;
	struct enas_receive_result res;
	struct enas_policy *pol = NULL;
	struct enas_repo *repo;
	char *line = NULL;
	size_t cap = 0, n = 0, ucap = 0;
	ssize_t len;
	int rc;

	if ((rc = enas_repo_open(&repo, NULL, ENAS_REPO_FROM_ENV)) < 0)
		tool_fail(rc);
	if (enas_policy_load(&pol, repo) < 0) {
		enas_repo_free(repo);
		errx(2, _("push refused: %s"), enas_error_last());
	}
	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		/* A line that came through a CRLF text channel. */
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (n == ucap) {
			ucap = ucap ? ucap * 2 : 16;
			if (!(grown = realloc(u, ucap * sizeof(*u))))
				err(2, "pre-receive");
			u = grown;
		}
		if (enas_receive_parse(&u[n], line, (size_t)len) < 0) {
			/* free first: LeakSanitizer watches this exit too */
			free(u);
			free(line);
			enas_policy_free(pol);
			enas_repo_free(repo);
			errx(2, "%s", enas_error_last());
		}
		n++;
	}
	if (ferror(stdin))
		err(2, "%s", _("standard input"));
	rc = enas_receive_check(repo, pol, u, n, &res, print_diag, NULL);
	if (rc < 0)
		tool_fail(rc);
	if (enas_alloc_failed())
		errx(2, "%s", _("out of memory"));
	if (res.bad_commits > 0)
		fprintf(stderr, dngettext(ENAS_TEXTDOMAIN, "enas-check: push "
		    "refused: %d commit breaks the rules; fix it (git rebase "
		    "-i, or a new commit on top that mends it cannot help: "
		    "every commit is checked) and push again\n",
		    "enas-check: push refused: %d commits break the rules; "
		    "fix them (git rebase -i, or a new commit on top that "
		    "mends it cannot help: every commit is checked) and push "
		    "again\n", (unsigned long)res.bad_commits),
		    res.bad_commits);
	else if (res.bad_refs > 0 || res.stopped)
		fprintf(stderr, "%s\n", _("enas-check: push refused"));
	rc = res.bad_commits > 0 || res.bad_refs > 0 || res.stopped;
	free(u);
	free(line);
	enas_policy_free(pol);
	enas_repo_free(repo);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "staged", no_argument, NULL, 's' },
		{ "rev", required_argument, NULL, 'r' },
		{ "pre-receive", no_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'O' },
		{ "format", required_argument, NULL, 'O' },
		{ "null", no_argument, NULL, '0' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_snapshot *snap = NULL;
	struct enas_delta delta = { NULL, 0, NULL, 0, 0 };
	struct enas_checker *c = NULL;
	struct enas_repo *repo = NULL;
	enum enas_source src = ENAS_WORKTREE;
	const char *rev = NULL, *dir = NULL;
	int ch, all = 0, staged = 0, receive = 0, zero = 0, rc, i;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	tool_init("enas-check", argc, argv);
	while ((ch = getopt_long(argc, argv, "0aC:hO:r:sz", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'C':
			dir = optarg;
			break;
		case 'r':
			rev = optarg;
			break;
		case 's':
			staged = 1;
			break;
		case 'P':
			receive = 1;
			break;
		case '0':
		case 'z':	/* the old name of -0 */
			zero = 1;
			break;
		case 'O':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				usage(stderr, 2);
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
	if (all + staged + receive + (rev != NULL) > 1 ||
	    ((all || staged || receive || rev) && argc > 0) ||
	    (!all && !staged && !receive && !rev && argc == 0))
		usage(stderr, 2);
	if (dir && chdir(dir) < 0)
		err(2, "%s", dir);
	/*
	 * JSON is for programs: its messages are the same in every
	 * language (gettext and the rules' messages read LC_MESSAGES).
	 */
	if (json) {
		tool_colour = 0;
		setlocale(LC_MESSAGES, "C");
	}
	if (receive)
		return pre_receive();

	if ((rc = enas_repo_open(&repo, NULL, staged ? ENAS_REPO_FROM_ENV :
	    0)) < 0)
		tool_fail(rc);
	if (rev)
		src = ENAS_COMMIT;
	if (staged)
		rc = enas_snapshot_staged(&snap, &delta, repo);
	else
		rc = enas_snapshot_open(&snap, repo, src, rev);
	if (rc < 0)
		tool_fail(rc);
	if ((rc = enas_checker_new(&c, snap, print_diag, NULL)) < 0) {
		if (json)
			printf("%s\n]\n", out.data ? out.data : "[");
		tool_fail(rc);
	}
	if (staged)
		rc = enas_checker_delta(c, &delta);
	else if (all || rev)
		rc = enas_checker_all(c);
	else {
		rc = 0;
		for (i = 0; i < argc && rc >= 0; i++) {
			if (strcmp(argv[i], "-") != 0) {
				rc = check_file(c, snap,
				    enas_repo_workdir(repo), argv[i]);
				continue;
			}
			while (rc >= 0 && (len = getdelim(&line, &cap,
			    zero ? '\0' : '\n', stdin)) > 0) {
				if (line[len - 1] == (zero ? '\0' : '\n'))
					line[--len] = '\0';
				if (len)
					rc = check_file(c, snap,
					    enas_repo_workdir(repo), line);
			}
			if (ferror(stdin))
				err(2, "%s", _("standard input"));
		}
		free(line);
	}
	if (rc >= 0)
		rc = enas_checker_finish(c);
	if (rc < 0)
		tool_fail(rc);
	/* A result reached after memory ran out may be missing something. */
	if (enas_alloc_failed())
		errx(2, "%s", _("out of memory"));
	if (json)
		printf("%s\n", out.data ? out.data : "[");
	if (json)
		printf("]\n");
	rc = enas_checker_errors(c) + file_errors > 0;
	enas_checker_free(c);
	enas_delta_free(&delta);
	enas_snapshot_free(snap);
	enas_repo_free(repo);
	enas_buf_free(&out);
	tool_flush_stdout();
	return rc;
}
