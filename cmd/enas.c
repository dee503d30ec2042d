/*
 * enas: the front command.  "enas TOOL ARGS" runs enas-TOOL, as git
 * runs its commands; "enas help" lists the tools, "enas help TOOL"
 * opens a tool's manual.  "--complete" answers the bash completion.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "kinds.h"
#include "repo.h"
#include "suggest.h"
#include "tool.h"

#ifndef ENAS_LIBEXECDIR
#define ENAS_LIBEXECDIR "/usr/local/libexec/enas"
#endif

static const struct {
	const char *name;
	const char *what;
} known[] = {
	{ "check", N_("validate records against the rules") },
	{ "edit", N_("edit a record in your editor, checked and "
	    "committed") },
	{ "id", N_("children's identities, encrypted for their office "
	    "(age)") },
	{ "init", N_("make or upgrade a records repository") },
	{ "log", N_("the history of a record, field by field") },
	{ "ls", N_("list the records that match, or a table of their "
	    "fields") },
	{ "merge", N_("git's merge driver: two versions of a record, field "
	    "by field") },
	{ "new", N_("a new record with a fresh id, checked and committed") },
	{ "show", N_("print a record, as it is or as committed") },
	{ "stats", N_("aggregate records into tidy tables") },
	{ "sync", N_("exchange with the shared remote: fetch, rebase, "
	    "check, push") },
};

static char self[PATH_MAX];	/* the directory this program is in */

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas [-C dir] tool [arg ...]\n"
	    "       enas help [tool]\n"), fp);
	exit(status);
}

/* A tool's name is a word: no path, no option. */
static int
name_ok(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

static const char *
libexecdir(void)
{
	const char *env = getenv("ENAS_LIBEXECDIR");

	return env && *env ? env : ENAS_LIBEXECDIR;
}

/* dir/enas-name if it is an executable file, into buf. */
static int
executable(char *buf, size_t size, const char *dir, const char *name)
{
	struct stat st;

	if (!dir || !*dir || (size_t)snprintf(buf, size, "%s/enas-%s", dir,
	    name) >= size)
		return 0;
	return stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(buf, X_OK) == 0;
}

static _Noreturn void not_a_tool(const char *name);

/*
 * Run enas-name: from this program's directory (an installation's bin,
 * or build/), then ENAS_LIBEXECDIR, then the PATH.
 */
static void
run(const char *name, char **argv)
{
	char path[PATH_MAX + 64], prog[80];

	if (!name_ok(name) || strlen(name) > 64)
		errx(2, _("'%.64s' is not a tool; see enas help"), name);
	snprintf(prog, sizeof(prog), "enas-%s", name);
	argv[0] = prog;
	if (executable(path, sizeof(path), self, name) ||
	    executable(path, sizeof(path), libexecdir(), name))
		execv(path, argv);
	else
		execvp(prog, argv);
	not_a_tool(name);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the names of the enas-* programs in dir to names. */
static void
scan(const char *dir, char ***names, size_t *n)
{
	char path[PATH_MAX + 64];
	struct dirent *d;
	DIR *dp;
	size_t i;

	if (!dir || !*dir || !(dp = opendir(dir)))
		return;
	while ((d = readdir(dp))) {
		if (strncmp(d->d_name, "enas-", 5) != 0 ||
		    !name_ok(d->d_name + 5) ||
		    !executable(path, sizeof(path), dir, d->d_name + 5))
			continue;
		for (i = 0; i < *n; i++)
			if (strcmp((*names)[i], d->d_name + 5) == 0)
				break;
		if (i < *n)
			continue;
		if (!(*names = realloc(*names, (*n + 1) * sizeof(**names))) ||
		    !((*names)[(*n)++] = strdup(d->d_name + 5)))
			err(2, NULL);
	}
	closedir(dp);
}

/* The tools there are, sorted. */
static char **
tools(size_t *n)
{
	char **names = NULL, *path, *dir, *save = NULL;
	const char *env = getenv("PATH");

	*n = 0;
	scan(self, &names, n);
	scan(libexecdir(), &names, n);
	if (env && (path = strdup(env))) {
		for (dir = strtok_r(path, ":", &save); dir;
		    dir = strtok_r(NULL, ":", &save))
			scan(dir, &names, n);
		free(path);
	}
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

/* Exit 2: name is no tool; the one it is a slip for, if any. */
static _Noreturn void
not_a_tool(const char *name)
{
	const char *near;
	char **names;
	size_t i, n;

	names = tools(&n);
	near = enas_suggest(name, strlen(name), (const char *const *)names, n);
	if (near)
		warnx(_("'%.64s' is not a tool; did you mean '%s'?"), name,
		    near);
	else
		warnx(_("'%.64s' is not a tool (no enas-%.64s next to enas, in "
		    "%s or on the PATH); see enas help"), name, name,
		    libexecdir());
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	exit(2);
}

/* Whether name is one of the tools there are. */
static int
is_tool(const char *name)
{
	char **names;
	size_t i, n;
	int found = 0;

	names = tools(&n);
	for (i = 0; i < n; i++) {
		found |= strcmp(names[i], name) == 0;
		free(names[i]);
	}
	free(names);
	return found;
}

static void
list(FILE *fp)
{
	char **names;
	size_t n, i, k;

	names = tools(&n);
	fputs(_("usage: enas [-C dir] tool [arg ...]\n\nThe tools:\n"), fp);
	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(known[k].name, names[i]) == 0)
				break;
		fprintf(fp, "  %-7s %s\n", names[i], k < sizeof(known) /
		    sizeof(known[0]) ? _(known[k].what) : "");
		free(names[i]);
	}
	free(names);
	fputs(_("\nenas help TOOL opens a tool's manual.\n"), fp);

}

/*
 * Run man with args and exit: 0 when it showed the page, 2 when it
 * could not (its own exit codes say more than ours may: 0, 1, 2 only).
 */
static _Noreturn void
man(char *const args[])
{
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) < 0)
		err(2, "fork");
	if (pid == 0) {
		execvp("man", args);
		warn("man");
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(2, "man");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		exit(0);
	exit(2);
}

/* The manual: the one beside the sources when run from a build tree. */
static _Noreturn void
help(const char *name)
{
	char page[PATH_MAX + 256], prog[80];
	char *args[4] = { "man", NULL, NULL, NULL };
	/* a build tree's sources, or an installation's share/man */
	const char *up[] = { "/../cmd", "/../../cmd", "/../share/man/man1" };
	struct stat st;
	size_t i;

	if (!name_ok(name) || strlen(name) > 64)
		errx(2, _("'%.64s' is not a tool; see enas help"), name);
	if (!is_tool(name))
		not_a_tool(name);
	snprintf(prog, sizeof(prog), "enas-%s", name);
	for (i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		snprintf(page, sizeof(page), "%s%s/%s.1", self, up[i], prog);
		if (stat(page, &st) == 0 && S_ISREG(st.st_mode)) {
			args[1] = "-l";
			args[2] = page;
			man(args);
		}
	}
	args[1] = prog;
	man(args);
}

/*
 * The answers the bash completion asks for, one a line: tools, kinds,
 * fields KIND, values KIND FIELD, ids [KIND].  Quietly nothing when
 * there is no repository.
 */
static int
complete(int argc, char **argv)
{
	struct enas_snapshot *rsnap = NULL, *snap = NULL;
	struct enas_kinds *kinds = NULL;
	struct enas_repo *repo = NULL;
	const struct enas_rules *r = NULL;
	const struct enas_field *f;
	struct enas_buf under = ENAS_BUF_INIT;
	const char *base;
	char **names;
	size_t i, k, n, len;

	if (argc < 1)
		return 2;
	if (strcmp(argv[0], "tools") == 0) {
		names = tools(&n);
		for (i = 0; i < n; i++) {
			printf("%s\n", names[i]);
			free(names[i]);
		}
		free(names);
		return 0;
	}
	if (enas_repo_open(&repo, NULL, 0) < 0 ||
	    enas_snapshot_under(&rsnap, repo, enas_repo_workdir(repo) ?
	    ENAS_WORKTREE : ENAS_COMMIT, NULL, ENAS_RULES_DIR) < 0 ||
	    enas_kinds_load(&kinds, rsnap, NULL, NULL) < 0)
		goto out;
	if (argc > 1)
		r = enas_kinds_find(kinds, argv[1]);
	if (strcmp(argv[0], "kinds") == 0) {
		for (k = 0; k < enas_kinds_count(kinds); k++)
			printf("%s\n", enas_kinds_at(kinds, k)->kind);
	} else if (strcmp(argv[0], "fields") == 0 && r) {
		for (i = 0; i < r->nfields; i++)
			printf("%s\n", r->fields[i].path);
	} else if (strcmp(argv[0], "values") == 0 && r && argc > 2 &&
	    (f = enas_rules_field(r, argv[2]))) {
		for (i = 0; i < f->nenums; i++)
			printf("%s\n", f->enums[i]);
		if (f->type == ENAS_BOOL)
			printf("true\nfalse\n");
	} else if (strcmp(argv[0], "ids") == 0) {
		for (k = 0; k < enas_kinds_count(kinds); k++) {
			if (r && enas_kinds_at(kinds, k) != r)
				continue;
			under.len = 0;
			if (enas_buf_printf(&under, "%s/%s", ENAS_RECORDS_DIR,
			    enas_kinds_at(kinds, k)->dir) < 0 ||
			    enas_snapshot_under(&snap, repo,
			    enas_repo_workdir(repo) ? ENAS_WORKTREE :
			    ENAS_COMMIT, NULL, under.data) < 0)
				goto out;
			for (i = 0; i < snap->n; i++) {
				base = strrchr(snap->entries[i].path, '/') + 1;
				len = strlen(base);
				if (base[0] != '.' && len > 5 &&
				    strcmp(base + len - 5, ".yaml") == 0)
					printf("%.*s\n", (int)(len - 5), base);
			}
			enas_snapshot_free(snap);
			snap = NULL;
		}
	}
out:
	enas_buf_free(&under);
	enas_snapshot_free(snap);
	enas_kinds_free(kinds);
	enas_snapshot_free(rsnap);
	enas_repo_free(repo);
	return fflush(stdout) == EOF ? 2 : 0;
}

int
main(int argc, char *argv[])
{
	const char *dir;

	/* "enas --version" is ours; "enas check --version" is the tool's. */
	tool_init("enas", argc > 1 ? 2 : 1, argv);
	if ((dir = tool_exe_dir()))
		snprintf(self, sizeof(self), "%s", dir);
	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		if (strcmp(argv[0], "-C") == 0 && argc > 1) {
			if (chdir(argv[1]) < 0)
				err(2, "%s", argv[1]);
			argc -= 2;
			argv += 2;
		} else if (strcmp(argv[0], "-h") == 0 ||
		    strcmp(argv[0], "--help") == 0) {
			list(stdout);
			return 0;
		} else if (strcmp(argv[0], "--complete") == 0)
			return complete(argc - 1, argv + 1);
		else
			usage(stderr, 2);
	}
	if (argc == 0) {
		list(stderr);
		return 2;
	}
	if (strcmp(argv[0], "help") == 0) {
		if (argc == 1) {
			list(stdout);
			return fflush(stdout) == EOF ? 2 : 0;
		}
		help(argv[1]);
	}
	run(argv[0], argv);
	return 2;
}
