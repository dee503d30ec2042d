/*
 * enas-init: make a directory a records repository, or upgrade one:
 * the default rules and partners, the hooks, .gitattributes and the
 * merge driver; or prepare a server's bare repository.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commit.h"
#include "i18n.h"
#include "record.h"
#include "repo.h"
#include "write.h"
#include "tool.h"

#ifndef ENAS_DATADIR
#define ENAS_DATADIR "/usr/local/share/enas"
#endif

#define ATTRIBUTES "records/**/*.yaml eol=lf merge=enas"
#define MERGE_NAME "enas field-level merge"
#define MERGE_DRIVER "enas-merge %O %A %B %P"
#define FILE_MAX (1024 * 1024)

/* Where the defaults are: an installed data directory or a source tree. */
static struct {
	char rules[PATH_MAX];
	char partners[PATH_MAX];
	char hooks[PATH_MAX];
} data;

/* The files this run wrote or found untracked, to commit. */
static struct enas_file_change *changes;
static struct enas_buf *contents;
static size_t nchanges;

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-init [dir]\n"
	    "       enas-init --bare dir\n"), fp);
	exit(status);
}

/*
 * The defaults below top, in the installed layout (rules/, partners/,
 * hooks/) or a source tree's (records/rules/, records/partners/,
 * hooks/).  1 when they are there.
 */
static int
try_datadir(const char *top)
{
	char probe[PATH_MAX];

	snprintf(probe, sizeof(probe), "%s/records/rules", top);
	if (tool_is_dir(probe)) {
		snprintf(data.rules, sizeof(data.rules), "%s/records/rules",
		    top);
		snprintf(data.partners, sizeof(data.partners),
		    "%s/records/partners", top);
	} else {
		snprintf(data.rules, sizeof(data.rules), "%s/rules", top);
		snprintf(data.partners, sizeof(data.partners), "%s/partners",
		    top);
	}
	snprintf(data.hooks, sizeof(data.hooks), "%s/hooks", top);
	if (!tool_is_dir(data.rules) || !tool_is_dir(data.hooks))
		return 0;
	/* git runs the hooks from wherever it is: an absolute path. */
	if (realpath(data.hooks, probe))
		snprintf(data.hooks, sizeof(data.hooks), "%s", probe);
	return 1;
}

/*
 * $ENAS_DATADIR; else a source tree above the program (run from
 * build/ or build/san/); else the data directory it was built for.
 */
static void
find_datadir(void)
{
	char exe[PATH_MAX + 32], *slash;
	const char *env = getenv("ENAS_DATADIR"), *dir;
	int up;

	if (env && *env) {
		if (!try_datadir(env))
			errx(2, _("ENAS_DATADIR=%s holds no rules/ and hooks/"),
			    env);
		return;
	}
	if ((dir = tool_exe_dir())) {
		snprintf(exe, sizeof(exe), "%s", dir);
		for (up = 0; up < 3; up++) {
			if (up > 0 && try_datadir(exe) &&
			    tool_is_dir(data.partners))
				return;
			if (!(slash = strrchr(exe, '/')))
				break;
			*slash = '\0';
		}
		/* installed elsewhere than built for: PREFIX/bin/../share/enas */
		if (snprintf(exe, sizeof(exe), "%s/../share/enas", dir) <
		    (int)sizeof(exe) && try_datadir(exe) &&
		    tool_is_dir(data.partners))
			return;
	}
	if (!try_datadir(ENAS_DATADIR))
		errx(2, _("no default rules in %s (set ENAS_DATADIR, or run "
		    "make install)"), ENAS_DATADIR);
}

/* The blob HEAD has at path equals these bytes. */
static int
in_head(struct enas_repo *repo, const char *path, const struct enas_buf *b)
{
	git_repository *git = enas_repo_git(repo);
	git_object *obj = NULL;
	git_oid oid;
	char spec[PATH_MAX + 8];
	int same;

	if (git_repository_head_unborn(git) == 1)
		return 0;
	snprintf(spec, sizeof(spec), "HEAD:%s", path);
	if (git_revparse_single(&obj, git, spec) < 0)
		return 0;
	if (git_odb_hash(&oid, b->data ? b->data : "", b->len,
	    GIT_OBJECT_BLOB) < 0)
		tool_fail(enas_repo_error(path));
	same = git_oid_equal(&oid, git_object_id(obj));
	git_object_free(obj);
	return same;
}

static void
to_commit(const char *path, const struct enas_buf *b, unsigned mode)
{
	struct enas_file_change *c;
	struct enas_buf *k;

	if (!(c = realloc(changes, (nchanges + 1) * sizeof(*c))))
		err(2, NULL);
	changes = c;
	if (!(k = realloc(contents, (nchanges + 1) * sizeof(*k))))
		err(2, NULL);
	contents = k;
	memset(&contents[nchanges], 0, sizeof(*k));
	if (enas_buf_add(&contents[nchanges], b->data ? b->data : "",
	    b->len) < 0)
		tool_fail(ENAS_ENOMEM);
	c[nchanges].path = strdup(path);
	c[nchanges].mode = mode;
	if (!c[nchanges].path)
		err(2, NULL);
	nchanges++;
}

/*
 * Install the default file src at path below top, unless a file is
 * there: one that differs is the user's, kept and said so.  Files that
 * match the default but HEAD lacks are committed.
 */
static void
install(struct enas_repo *repo, const char *top, const char *src,
    const char *path, int exec)
{
	struct enas_buf def = ENAS_BUF_INIT, cur = ENAS_BUF_INIT;
	struct enas_buf full = ENAS_BUF_INIT;
	struct stat st;
	int rc;

	if (enas_file_read(&def, src, FILE_MAX) < 0)
		errx(2, "%s", enas_error_last());
	if (enas_buf_printf(&full, "%s%s", top, path) < 0)
		tool_fail(ENAS_ENOMEM);
	if (lstat(full.data, &st) < 0 && errno == ENOENT) {
		if ((rc = enas_write_atomic(top, path, def.data, def.len,
		    ENAS_WRITE_NEW | (exec ? ENAS_WRITE_EXEC : 0))) < 0)
			tool_fail(rc);
	} else if ((rc = enas_file_read(&cur, full.data, FILE_MAX)) ==
	    ENAS_EDATA) {
		/* TRANSLATORS: the file kept, then why it was not read. */
		fprintf(stderr, _("enas-init: kept %s: %s\n"), path,
		    enas_error_last() + strlen(full.data) + 2);
		goto out;
	} else if (rc < 0)
		errx(2, "%s", enas_error_last());
	else if (cur.len != def.len ||
	    memcmp(cur.data, def.data, def.len) != 0) {
		fprintf(stderr, _("enas-init: kept %s: it differs from the "
		    "default (%s)\n"), path, src);
		goto out;
	}
	if (repo && !in_head(repo, path, &def))
		to_commit(path, &def, exec ? GIT_FILEMODE_BLOB_EXECUTABLE :
		    GIT_FILEMODE_BLOB);
out:
	enas_buf_free(&def);
	enas_buf_free(&cur);
	enas_buf_free(&full);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml names in the directory src, sorted, into *out. */
static size_t
list_yaml(const char *src, char ***out)
{
	char **names = NULL, **more;
	struct dirent *d;
	size_t n = 0, len;
	DIR *dir;

	if (!(dir = opendir(src)))
		err(2, "%s", src);
	while ((d = readdir(dir))) {
		len = strlen(d->d_name);
		if (d->d_name[0] == '.' || len <= 5 ||
		    strcmp(d->d_name + len - 5, ".yaml") != 0)
			continue;
		if (!(more = realloc(names, (n + 1) * sizeof(*names))))
			err(2, NULL);
		names = more;
		if (!(names[n++] = strdup(d->d_name)))
			err(2, NULL);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	*out = names;
	return n;
}

/* Every *.yaml of the default directory src into dst below top. */
static void
install_dir(struct enas_repo *repo, const char *top, const char *src,
    const char *dst)
{
	char from[2 * PATH_MAX], to[2 * PATH_MAX], **names;
	size_t n = list_yaml(src, &names), i;

	for (i = 0; i < n; i++) {
		snprintf(from, sizeof(from), "%s/%s", src, names[i]);
		snprintf(to, sizeof(to), "%s/%s", dst, names[i]);
		install(repo, top, from, to, 0);
		free(names[i]);
	}
	free(names);
}

/* Add our line to .gitattributes unless it has it. */
static void
attributes(struct enas_repo *repo, const char *top)
{
	struct enas_buf cur = ENAS_BUF_INIT, full = ENAS_BUF_INIT;
	const char *s, *nl;
	struct stat st;
	int rc, found = 0;

	if (enas_buf_printf(&full, "%s.gitattributes", top) < 0)
		tool_fail(ENAS_ENOMEM);
	if ((lstat(full.data, &st) == 0 || errno != ENOENT) &&
	    enas_file_read(&cur, full.data, FILE_MAX) < 0)
		errx(2, "%s", enas_error_last());
	for (s = cur.data; cur.len > 0 && s < cur.data + cur.len; s = nl + 1) {
		if (!(nl = memchr(s, '\n', (size_t)(cur.data + cur.len - s))))
			nl = cur.data + cur.len;
		if ((size_t)(nl - s) == strlen(ATTRIBUTES) &&
		    memcmp(s, ATTRIBUTES, strlen(ATTRIBUTES)) == 0)
			found = 1;
	}
	if (!found) {
		if ((cur.len && cur.data[cur.len - 1] != '\n' &&
		    enas_buf_add(&cur, "\n", 1) < 0) ||
		    enas_buf_puts(&cur, ATTRIBUTES "\n") < 0)
			tool_fail(ENAS_ENOMEM);
		if ((rc = enas_write_atomic(top, ".gitattributes", cur.data,
		    cur.len, 0)) < 0)
			tool_fail(rc);
	}
	if (!in_head(repo, ".gitattributes", &cur))
		to_commit(".gitattributes", &cur, GIT_FILEMODE_BLOB);
	enas_buf_free(&cur);
	enas_buf_free(&full);
}

/*
 * Set name to value in the repository's own config unless some scope
 * sets it already: to another value, which is kept and reported.
 */
static void
config(struct enas_repo *repo, const char *name, const char *value,
    const char *why)
{
	git_config *cfg = NULL, *local = NULL;
	struct enas_buf cur = ENAS_BUF_INIT;
	int rc;

	if ((rc = enas_config_string(&cur, repo, name)) < 0)
		tool_fail(rc);
	if (rc == 1) {
		if (strcmp(cur.data, value) != 0)
			/*
			 * TRANSLATORS: a git config name and its value, what
			 * that value means, then the command that sets
			 * enas's value.
			 */
			fprintf(stderr, _("enas-init: kept %s = %s; %s; to use "
			    "enas's: git config %s '%s'\n"), name, cur.data,
			    why, name, value);
		enas_buf_free(&cur);
		return;
	}
	if (git_repository_config(&cfg, enas_repo_git(repo)) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_set_string(local, name, value) < 0)
		tool_fail(enas_repo_error(_("cannot write the git config")));
	git_config_free(local);
	git_config_free(cfg);
	enas_buf_free(&cur);
}

/* Open dir's repository, or make one: a plain (or bare) directory. */
static struct enas_repo *
open_or_init(const char *dir, int bare)
{
	git_repository_init_options opts;
	git_repository *git = NULL, *found = NULL;
	struct enas_repo *repo;
	char real[PATH_MAX], top[PATH_MAX];
	const char *wd;
	int rc;

	if (git_libgit2_init() < 0)
		tool_fail(enas_repo_error(_("cannot start libgit2")));
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		err(2, "%s", dir);
	if (!realpath(dir, real))
		err(2, "%s", dir);
	/* A directory inside another repository's working tree: refuse. */
	if (git_repository_open_ext(&found, real, 0, NULL) == 0) {
		wd = git_repository_workdir(found);
		snprintf(top, sizeof(top), "%s", wd ? wd :
		    git_repository_path(found));
		if (top[0] && top[strlen(top) - 1] == '/')
			top[strlen(top) - 1] = '\0';
		if (strcmp(top, real) != 0) {
			git_repository_free(found);
			errx(2, _("%s is inside the repository %s; run enas "
			    "init at its top, or choose a directory outside "
			    "it"), dir, top);
		}
		if (git_repository_is_bare(found) != bare) {
			git_repository_free(found);
			if (bare)
				errx(2, _("%s is a non-bare repository"), dir);
			errx(2, _("%s is a bare repository"), dir);
		}
		git_repository_free(found);
	} else {
		git_repository_init_options_init(&opts,
		    GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		opts.flags = GIT_REPOSITORY_INIT_MKPATH |
		    (bare ? GIT_REPOSITORY_INIT_BARE : 0);
		opts.initial_head = "main";
		if (git_repository_init_ext(&git, real, &opts) < 0)
			tool_fail(enas_repo_error("git init"));
		git_repository_free(git);
	}
	git_libgit2_shutdown();
	if ((rc = enas_repo_open(&repo, real, 0)) < 0)
		tool_fail(rc);
	return repo;
}

/* Write buf as a blob, and add it to index at path. */
static void
seed_file(git_index *index, git_repository *git, const char *path,
    const char *buf, size_t len)
{
	git_index_entry e;

	memset(&e, 0, sizeof(e));
	e.path = path;
	e.mode = GIT_FILEMODE_BLOB;
	if (git_blob_create_from_buffer(&e.id, git, buf, len) < 0 ||
	    git_index_add(index, &e) < 0)
		tool_fail(enas_repo_error(path));
}

/* Add the default files of directory src, as dst/NAME, to index. */
static void
seed_dir(git_index *index, git_repository *git, const char *src,
    const char *dst)
{
	struct enas_buf b = ENAS_BUF_INIT;
	char from[2 * PATH_MAX], to[2 * PATH_MAX], **names;
	size_t n = list_yaml(src, &names), i;

	for (i = 0; i < n; i++) {
		snprintf(from, sizeof(from), "%s/%s", src, names[i]);
		snprintf(to, sizeof(to), "%s/%s", dst, names[i]);
		if (enas_file_read(&b, from, FILE_MAX) < 0)
			errx(2, "%s", enas_error_last());
		seed_file(index, git, to, b.data ? b.data : "", b.len);
		free(names[i]);
	}
	free(names);
	enas_buf_free(&b);
}

/* Who makes the server's first commit: git's identity, or enas init. */
static git_signature *
identity(git_repository *git, const char *who)
{
	git_signature *sig = NULL;
	char name[32], email[32];
	const char *n, *e;

	snprintf(name, sizeof(name), "GIT_%s_NAME", who);
	snprintf(email, sizeof(email), "GIT_%s_EMAIL", who);
	n = getenv(name);
	e = getenv(email);
	if (n && *n && e && git_signature_now(&sig, n, e) == 0)
		return sig;
	if (git_signature_default(&sig, git) == 0)
		return sig;
	if (git_signature_now(&sig, "enas init", "enas@localhost") < 0)
		tool_fail(enas_repo_error(_("cannot make a signature")));
	return sig;
}

/*
 * The server's first commit on main, made by whoever runs enas init
 * (the admin): the default rules, partners and .gitattributes.  Every
 * later push is checked against rules that an admin put there.
 */
static void
seed_bare(struct enas_repo *repo)
{
	git_repository *git = enas_repo_git(repo);
	git_index *index = NULL;
	git_signature *author, *committer;
	git_tree *tree = NULL;
	git_oid tid, cid;
	git_reference *ref = NULL;

	if (git_reference_lookup(&ref, git, "refs/heads/main") == 0) {
		git_reference_free(ref);
		return;
	}
	if (git_index_new(&index) < 0)
		tool_fail(enas_repo_error(_("cannot make an index")));
	seed_dir(index, git, data.rules, ENAS_RULES_DIR);
	seed_dir(index, git, data.partners, ENAS_RECORDS_DIR "/partners");
	seed_file(index, git, ".gitattributes", ATTRIBUTES "\n",
	    strlen(ATTRIBUTES "\n"));
	if (git_index_write_tree_to(&tid, index, git) < 0 ||
	    git_tree_lookup(&tree, git, &tid) < 0)
		tool_fail(enas_repo_error(_("cannot write the first tree")));
	author = identity(git, "AUTHOR");
	committer = identity(git, "COMMITTER");
	if (git_commit_create(&cid, git, "refs/heads/main", author, committer,
	    NULL, "records: rules, partners and attributes from enas init "
	    "--bare\n", tree, 0, NULL) < 0)
		tool_fail(enas_repo_error(_("cannot make the first commit")));
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tree);
	git_index_free(index);
}

/*
 * A server repository that is safe as made (SPEC §9): HEAD on main,
 * every pushed object checked by git, no deletion or forced push, the
 * pre-receive hook, and a first commit of the default rules.
 */
static int
init_bare(const char *dir)
{
	struct enas_repo *repo = open_or_init(dir, 1);
	git_repository *git = enas_repo_git(repo);
	struct enas_buf cur = ENAS_BUF_INIT;
	git_reference *head = NULL, *branch = NULL;
	char src[2 * PATH_MAX];
	const char *target;
	int rc;

	find_datadir();
	if ((rc = enas_config_string(&cur, repo, "core.hooksPath")) < 0)
		tool_fail(rc);
	if (rc == 1)
		fprintf(stderr, _("enas-init: core.hooksPath = %s: git runs the "
		    "hooks there, not in hooks/; install hooks/pre-receive "
		    "there too\n"), cur.data);
	snprintf(src, sizeof(src), "%s/pre-receive", data.hooks);
	install(NULL, git_repository_path(git), src, "hooks/pre-receive", 1);
	/* HEAD on main: what a clone checks out, where offices push. */
	if (git_reference_lookup(&head, git, "HEAD") < 0)
		tool_fail(enas_repo_error("HEAD"));
	target = git_reference_symbolic_target(head);
	if (target && strcmp(target, "refs/heads/main") != 0) {
		if (git_reference_lookup(&branch, git, target) == 0)
			fprintf(stderr, _("enas-init: kept HEAD on %s, which "
			    "has commits; offices push to main: git "
			    "symbolic-ref HEAD refs/heads/main\n"), target);
		else if (git_repository_set_head(git, "refs/heads/main") < 0)
			tool_fail(enas_repo_error("HEAD"));
		git_reference_free(branch);
	}
	git_reference_free(head);
	config(repo, "receive.fsckObjects", "true", _("git does not check "
	    "the objects of a push"));
	config(repo, "receive.denyNonFastForwards", "true", _("git allows "
	    "a forced push"));
	config(repo, "receive.denyDeletes", "true", _("git allows deleting "
	    "a branch"));
	seed_bare(repo);
	enas_buf_free(&cur);
	enas_repo_free(repo);
	return 0;
}

/*
 * Point git at the installed hooks.  A core.hooksPath of "hooks" is an
 * older enas's tracked hooks/ directory, which a pull could change:
 * moved, and said so.  Any other is the user's, kept and reported.
 */
static void
hooks_path(struct enas_repo *repo)
{
	struct enas_buf cur = ENAS_BUF_INIT;
	git_config *cfg = NULL, *local = NULL;
	int rc;

	if ((rc = enas_config_string(&cur, repo, "core.hooksPath")) < 0)
		tool_fail(rc);
	if (rc == 1 && (strcmp(cur.data, "hooks") == 0 ||
	    strcmp(cur.data, "hooks/") == 0)) {
		if (git_repository_config(&cfg, enas_repo_git(repo)) < 0 ||
		    git_config_open_level(&local, cfg,
		    GIT_CONFIG_LEVEL_LOCAL) < 0 ||
		    git_config_set_string(local, "core.hooksPath",
		    data.hooks) < 0)
			tool_fail(enas_repo_error(_("cannot write the git config")));
		git_config_free(local);
		git_config_free(cfg);
		fprintf(stderr, _("enas-init: core.hooksPath was hooks, a "
		    "directory of the repository that any pull may change; "
		    "now %s, the installed hooks\n"), data.hooks);
	} else
		config(repo, "core.hooksPath", data.hooks, _("the enas hooks "
		    "do not run"));
	enas_buf_free(&cur);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "bare", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_repo *repo;
	const char *dir = ".", *top;
	char src[2 * PATH_MAX];
	git_oid tree, head;
	size_t i;
	int ch, bare = 0, rc;

	tool_init("enas-init", argc, argv);
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			bare = 1;
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
	if (argc > 1 || (bare && argc != 1))
		usage(stderr, 2);
	if (argc == 1)
		dir = argv[0];
	if (bare)
		return init_bare(dir);

	find_datadir();
	repo = open_or_init(dir, 0);
	top = enas_repo_workdir(repo);
	install_dir(repo, top, data.rules, ENAS_RULES_DIR);
	/*
	 * Partners are seed data: only for a repository that has none, or
	 * whose first run stopped before its commit (no git identity).
	 */
	snprintf(src, sizeof(src), "%s%s/partners", top, ENAS_RECORDS_DIR);
	if (!tool_is_dir(src) ||
	    git_repository_head_unborn(enas_repo_git(repo)) == 1)
		install_dir(repo, top, data.partners, ENAS_RECORDS_DIR
		    "/partners");
	attributes(repo, top);
	hooks_path(repo);
	config(repo, "merge.enas.name", MERGE_NAME, _("records do not "
	    "merge field by field"));
	config(repo, "merge.enas.driver", MERGE_DRIVER, _("records do not "
	    "merge field by field"));


	if (nchanges) {
		for (i = 0; i < nchanges; i++) {
			changes[i].buf = contents[i].data ? contents[i].data :
			    "";
			changes[i].len = contents[i].len;
		}
		if ((rc = enas_commit_ready(repo)) < 0 ||
		    (rc = enas_commit_tree(&tree, &head, repo, changes,
		    nchanges)) < 0 ||
		    (rc = enas_commit_create(NULL, repo, &tree, &head,
		    "records: rules, partners and attributes from enas "
		    "init\n", changes, nchanges)) < 0)
			tool_fail(rc);
	}
	for (i = 0; i < nchanges; i++) {
		free((char *)changes[i].path);
		enas_buf_free(&contents[i]);
	}
	free(changes);
	free(contents);
	enas_repo_free(repo);
	return 0;
}
