/*
 * enas-sync: an office's daily exchange with the shared remote.  Fetch
 * the remote's branch, rebase the office's commits onto it (or merge,
 * with enas.sync = merge) through the enas merge driver, check the
 * result, push, and fetch again: the sync is done only when the
 * remote's branch holds the commit pushed, whatever git push said.
 * When another office pushed first, wait a random while and go round
 * again, a bounded number of times.  Git does the work
 * (libgit2 1.5 has no rebase through merge drivers, and git speaks ssh
 * as the office has set it up); this program decides what to run, and
 * reads the outcome from the repository, never from git's messages.
 *
 * The local branch never loses a commit: a fetch, a check or a push
 * does not move it; a rebase or a merge moves it only when it
 * finishes, and a stopped one is left for the user to finish or abort.
 */
#include <sys/random.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commit.h"
#include "i18n.h"
#include "repo.h"
#include "tool.h"
#include "tree.h"

#define SYNC_RETRIES 10		/* default for enas.syncRetries */
#define SYNC_RETRIES_MAX 1000
#define BACKOFF_MS 250		/* the first retry waits at least up to this */
#define BACKOFF_MAX_MS 30000	/* no retry waits longer */

struct sync {
	struct enas_repo *repo;
	git_repository *git;
	char branch[256];	/* the local branch, short: "main" */
	char remote[256];	/* its remote: "origin" */
	char merge[512];	/* the remote's branch: "refs/heads/main" */
	int use_merge;		/* merge instead of rebase */
	int quiet;
	long retries;		/* how many times to go round at most */
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "%s", _("usage: enas-sync [-C dir] [-q] [--merge | "
	    "--rebase] [-n retries]\n"));
	exit(status);
}

/*
 * Run git (or another program found on PATH) with the arguments given,
 * NULL-terminated.  Its standard output goes to our standard error, so
 * that ours holds only the final sentence; its standard error goes to
 * errfd when that is not -1.  Returns its exit status, or -1 when it
 * could not run or was killed.
 */
static int
run(int errfd, const char *prog, ...)
{
	const char *argv[32];
	va_list ap;
	pid_t pid;
	int n = 0, status;

	argv[n++] = prog;
	va_start(ap, prog);
	while (n < 31 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		warn("fork");
		return -1;
	}
	if (pid == 0) {
		if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0 ||
		    (errfd >= 0 && dup2(errfd, STDERR_FILENO) < 0))
			_exit(127);
		execvp(prog, (char *const *)argv);
		warn("%s", prog);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			warn("waitpid");
			return -1;
		}
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static _Noreturn void
fail(int rc)
{
	(void)rc;
	errx(2, "%s", enas_error_last());
}

/* The commit a reference name resolves to, into *out: 1, or 0 if none. */
static int
resolve(git_oid *out, git_repository *git, const char *name)
{
	return git_reference_name_to_id(out, git, name) == 0;
}

/*
 * What the last fetch brought: the id FETCH_HEAD records for the one
 * branch fetched.  libgit2 reads the file; nothing is parsed here.
 */
static int
fetched_cb(const char *ref, const char *url, const git_oid *oid,
    unsigned int is_merge, void *payload)
{
	(void)ref;
	(void)url;
	(void)is_merge;
	git_oid_cpy(payload, oid);
	return 1;	/* the first entry is the branch asked for */
}

/*
 * Fetch the remote's branch.  Returns 1 with *up set, 0 when the remote
 * has no such branch yet (a new server), -1 when it cannot be reached.
 */
static int
fetch(struct sync *s, git_oid *up)
{
	int rc;

	rc = run(-1, "git", "fetch", "-q", "--no-tags", s->remote, s->merge,
	    (char *)NULL);
	if (rc == 0) {
		memset(up, 0, sizeof(*up));
		git_repository_fetchhead_foreach(s->git, fetched_cb, up);
		if (git_oid_is_zero(up)) {
			warnx("%s", _("the fetch recorded no commit in "
			    "FETCH_HEAD"));
			return -1;
		}
		return 1;
	}
	/* git ls-remote --exit-code says 2 for "no such ref". */
	if (run(-1, "git", "ls-remote", "-q", "--exit-code", s->remote,
	    s->merge, (char *)NULL) == 2)
		return 0;
	return -1;
}

/* Is a a descendant of b, or b itself? */
static int
contains(git_repository *git, const git_oid *a, const git_oid *b)
{
	return git_oid_equal(a, b) || git_graph_descendant_of(git, a, b) == 1;
}

struct counter {
	size_t n;
};

/* Count the records below records/: not the rules, only YAML files. */
static int
count_record(void *ctx, const char *path, const git_oid *old,
    const git_oid *new, unsigned mode)
{
	struct counter *c = ctx;
	size_t len = strlen(path);

	(void)old;
	(void)new;
	(void)mode;
	if (strncmp(path, "rules/", 6) != 0 && len > 5 &&
	    strcmp(path + len - 5, ".yaml") == 0)
		c->n++;
	return 0;
}

/* How many records differ between commits a (zero: none) and b. */
static size_t
records_between(git_repository *git, const git_oid *a, const git_oid *b)
{
	struct counter c = { 0 };
	git_oid ta, tb;
	int ha = 0, hb;

	if (a && !git_oid_is_zero(a) &&
	    (ha = enas_tree_at(&ta, git, a, ENAS_RECORDS_DIR)) < 0)
		fail(ha);
	if ((hb = enas_tree_at(&tb, git, b, ENAS_RECORDS_DIR)) < 0)
		fail(hb);
	if (!ha && !hb)
		return 0;
	if (enas_tree_diff(git, ha ? &ta : NULL, hb ? &tb : NULL,
	    count_record, &c) < 0)
		fail(ENAS_EGIT);
	return c.n;
}

/*
 * After a rebase or merge that stopped: name the records in conflict
 * (their ids: the only identifier a message may hold) and say how to
 * finish.  Returns the number of paths in conflict.
 */
static size_t
report_conflicts(struct sync *s)
{
	const git_index_entry *anc, *ours, *theirs;
	git_index_conflict_iterator *it = NULL;
	git_index *index = NULL;
	struct enas_buf list = ENAS_BUF_INIT;
	const char *path, *base;
	size_t n = 0, len;

	if (git_repository_index(&index, s->git) < 0 ||
	    git_index_read(index, 1) < 0 ||
	    git_index_conflict_iterator_new(&it, index) < 0)
		fail(enas_repo_error(_("cannot read the index")));
	while (git_index_conflict_next(&anc, &ours, &theirs, it) == 0) {
		path = ours ? ours->path : theirs ? theirs->path : anc->path;
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		len = strlen(base);
		if (strncmp(path, "records/", 8) == 0 && len > 5 &&
		    strcmp(base + len - 5, ".yaml") == 0)
			len -= 5;
		else {
			base = path;
			len = strlen(path);
		}
		if ((n && enas_buf_puts(&list, ", ") < 0) ||
		    enas_buf_add(&list, base, len) < 0)
			fail(ENAS_ENOMEM);
		n++;
	}
	git_index_conflict_iterator_free(it);
	git_index_free(index);
	if (n == 0)
		return 0;
	if (s->use_merge)
		/* TRANSLATORS: %s is the files' list, comma-separated. */
		fprintf(stderr, dngettext(ENAS_TEXTDOMAIN, "enas-sync: %s "

		    "changed on both sides and conflicts (above, the fields); "
		    "agree on each value with the other office, keep it "
		    "between the conflict markers, git add the file, git "
		    "commit, then enas sync again (or git merge --abort to "
		    "undo the merge)\n", "enas-sync: %s changed on both sides "
		    "and conflict (above, the fields); agree on each value "
		    "with the other office, keep it between the conflict "
		    "markers, git add the file, git commit, then enas sync "
		    "again (or git merge --abort to undo the merge)\n", n),
		    list.data);
	else
		/* TRANSLATORS: %s is the files' list, comma-separated. */
		fprintf(stderr, dngettext(ENAS_TEXTDOMAIN, "enas-sync: %s "
		    "changed on both sides and conflicts (above, the fields); "
		    "agree on each value with the other office, keep it "
		    "between the conflict markers, git add the file, git "
		    "rebase --continue, then enas sync again (or git rebase "
		    "--abort to undo the rebase)\n", "enas-sync: %s changed "
		    "on both sides and conflict (above, the fields); agree on "
		    "each value with the other office, keep it between the "
		    "conflict markers, git add the file, git rebase "
		    "--continue, then enas sync again (or git rebase --abort "
		    "to undo the rebase)\n", n), list.data);
	enas_buf_free(&list);
	return n;
}

/* Milliseconds on a clock that only goes forward. */
static unsigned long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000UL +
	    (unsigned long)(ts.tv_nsec / 1000000L);
}

/*
 * Sleep a random while before the retry-th retry: up to the time the
 * last round took (fetch to refused push, at least BACKOFF_MS), doubled
 * after each retry, never more than BACKOFF_MAX_MS.  A round is how
 * long another office holds the remote's branch busy, so on a slow
 * server or link the offices spread out as much as they need to, and
 * the random part (full jitter) keeps them from meeting again.
 */
static void
back_off(long retry, unsigned long round_ms)
{
	struct timespec ts;
	unsigned long ms, r = 0;
	long i;

	ms = round_ms < BACKOFF_MS ? BACKOFF_MS : round_ms;
	for (i = 1; i < retry && ms < BACKOFF_MAX_MS; i++)
		ms *= 2;
	if (ms > BACKOFF_MAX_MS)
		ms = BACKOFF_MAX_MS;
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (unsigned long)time(NULL) ^ (unsigned long)getpid() *
		    2654435761UL;
	ms = r % (ms + 1);
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Show what git said on the push that the server refused. */
static void
show_file(FILE *f)
{
	char buf[4096];
	size_t n;

	rewind(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
}

/*
 * The branch, its remote and the remote's branch, as git's
 * configuration says (branch.<name>.remote and .merge), or origin and
 * the branch of the same name.
 */
static void
find_upstream(struct sync *s)
{
	struct enas_buf key = ENAS_BUF_INIT, val = ENAS_BUF_INIT;
	git_reference *head = NULL;
	const char *name;
	int rc;

	if (git_repository_head_unborn(s->git) == 1)
		errx(2, "%s", _("the branch has no commit yet: clone the "
		    "shared repository, or make the first commit with enas "
		    "init"));
	if (git_reference_lookup(&head, s->git, "HEAD") < 0)
		fail(enas_repo_error(_("cannot read HEAD")));
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC ||
	    strncmp(git_reference_symbolic_target(head), "refs/heads/",
	    11) != 0)
		errx(2, "%s", _("HEAD is not on a branch: git switch main "
		    "first"));
	name = git_reference_symbolic_target(head) + 11;
	if (strlen(name) >= sizeof(s->branch))
		errx(2, "%s", _("the branch name is too long"));
	memcpy(s->branch, name, strlen(name) + 1);
	git_reference_free(head);

	snprintf(s->remote, sizeof(s->remote), "origin");
	if (enas_buf_printf(&key, "branch.%s.remote", s->branch) < 0)
		fail(ENAS_ENOMEM);
	if ((rc = enas_config_string(&val, s->repo, key.data)) < 0)
		fail(rc);
	if (rc == 1) {
		if (val.len >= sizeof(s->remote))
			errx(2, "%s", _("the remote's name is too long"));
		memcpy(s->remote, val.data, val.len + 1);
	}
	snprintf(s->merge, sizeof(s->merge), "refs/heads/%s", s->branch);
	key.len = 0;
	if (enas_buf_printf(&key, "branch.%s.merge", s->branch) < 0)
		fail(ENAS_ENOMEM);
	if ((rc = enas_config_string(&val, s->repo, key.data)) < 0)
		fail(rc);
	if (rc == 1) {
		if (val.len >= sizeof(s->merge))
			errx(2, "%s", _("the upstream branch's name is too "
			    "long"));
		memcpy(s->merge, val.data, val.len + 1);
	}
	/*
	 * "." is the repository itself; otherwise the remote must exist:
	 * it has a url (read as config: libgit2 1.5's git_remote_lookup
	 * leaks PCRE2 match data, which SAN=1 and valgrind would refuse).
	 */
	if (strcmp(s->remote, ".") != 0) {
		key.len = 0;
		if (enas_buf_printf(&key, "remote.%s.url", s->remote) < 0)
			fail(ENAS_ENOMEM);
		if ((rc = enas_config_string(&val, s->repo, key.data)) < 0)
			fail(rc);
		if (rc == 0)
			errx(2, _("no remote '%s': git remote add %s URL "
			    "first"), s->remote, s->remote);
	}
	enas_buf_free(&key);
	enas_buf_free(&val);
}

/* Refuse to start where git would stop half-way. */
static void
preflight(struct sync *s)
{
	git_status_options opts;
	git_status_list *st = NULL;
	struct enas_buf val = ENAS_BUF_INIT;
	const git_status_entry *e;
	const char *path;
	int rc;

	if (!enas_repo_workdir(s->repo))
		errx(2, "%s", _("a bare repository: enas sync runs in an "
		    "office's clone"));
	if (git_repository_state(s->git) != GIT_REPOSITORY_STATE_NONE)
		errx(2, "%s", _("a merge or rebase is in progress: finish "
		    "it (git commit, or git rebase --continue) or abort it "
		    "(git merge --abort, git rebase --abort) first"));
	if ((rc = enas_config_string(&val, s->repo, "merge.enas.driver")) < 0)
		fail(rc);
	if (rc == 0)
		errx(2, "%s", _("the enas merge driver is not set up in this "
		    "clone: run enas init first"));
	enas_buf_free(&val);

	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&st, s->git, &opts) < 0)
		fail(enas_repo_error(_("cannot read the working tree")));
	if (git_status_list_entrycount(st) > 0) {
		e = git_status_byindex(st, 0);
		path = e->head_to_index ? e->head_to_index->new_file.path :
		    e->index_to_workdir->new_file.path;
		errx(2, _("uncommitted changes (%s): commit them, or put "
		    "them aside with git stash, before enas sync"), path);
	}
	git_status_list_free(st);
}

/* The retries allowed: -n, else enas.syncRetries, else the default. */
static long
parse_retries(const char *s, const char *what)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < 0 || n > SYNC_RETRIES_MAX)
		errx(2, _("%s: '%s' is not a number of retries from 0 to %d"),
		    what, s, SYNC_RETRIES_MAX);
	return n;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "merge", no_argument, NULL, 'm' },
		{ "rebase", no_argument, NULL, 'R' },
		{ "retries", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sync s;
	struct enas_buf val = ENAS_BUF_INIT;
	const char *dir = NULL, *nopt = NULL;
	char hex[GIT_OID_HEXSZ + 1], basehex[GIT_OID_HEXSZ + 1], dst[600];
	git_oid start, head, up, last, zero, base;
	size_t received, sent;
	unsigned long round_start = 0;
	long attempt, retried = 0;
	int ch, rc, mode = -1, have_up, pushed = 0, landed = 0;
	FILE *pusherr;

	tool_init("enas-sync", argc, argv);
	memset(&s, 0, sizeof(s));
	while ((ch = getopt_long(argc, argv, "C:hmn:q", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'm':
			mode = 1;
			break;
		case 'R':
			mode = 0;
			break;
		case 'n':
			nopt = optarg;
			break;
		case 'q':
			s.quiet = 1;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	if (dir && chdir(dir) < 0)
		err(2, "%s", dir);

	if ((rc = enas_repo_open(&s.repo, NULL, 0)) < 0)
		fail(rc);
	s.git = enas_repo_git(s.repo);
	preflight(&s);
	find_upstream(&s);

	if (mode < 0) {
		if ((rc = enas_config_string(&val, s.repo, "enas.sync")) < 0)
			fail(rc);
		if (rc == 1 && strcmp(val.data, "merge") == 0)
			mode = 1;
		else if (rc == 1 && strcmp(val.data, "rebase") != 0)
			errx(2, _("enas.sync is '%s': it is rebase or merge"),
			    val.data);
		else
			mode = 0;
	}
	s.use_merge = mode;
	s.retries = SYNC_RETRIES;
	if (nopt)
		s.retries = parse_retries(nopt, "-n");
	else {
		if ((rc = enas_config_string(&val, s.repo,
		    "enas.syncRetries")) < 0)
			fail(rc);
		if (rc == 1)
			s.retries = parse_retries(val.data,
			    "enas.syncRetries");
	}
	enas_buf_free(&val);
	snprintf(dst, sizeof(dst), "HEAD:%s", s.merge);

	if (!resolve(&start, s.git, "HEAD"))
		fail(enas_repo_error(_("cannot read HEAD")));
	memset(&zero, 0, sizeof(zero));
	memset(&last, 0, sizeof(last));
	if (!(pusherr = tmpfile()))
		err(2, "%s", _("a temporary file"));
	for (attempt = 0;; attempt++) {
		if (attempt == 0)
			round_start = now_ms();
		if ((have_up = fetch(&s, &up)) < 0)
			errx(2, _("cannot fetch %s from %s; your commits are "
			    "safe on %s"), s.merge, s.remote, s.branch);
		/*
		 * After a push, what the remote holds decides, not what
		 * git push said: done when the remote's branch has our
		 * commit (the server may have taken a push whose answer
		 * was lost).  Otherwise, if the branch did not move, the
		 * server refused the push (or said it took it and did
		 * not); show why.  If it moved, another office pushed
		 * first, or the server refused our commits while it
		 * moved: wait, then go round again.
		 */
		if (attempt > 0) {
			if (have_up && contains(s.git, &up, &head)) {
				landed = 1;
				break;
			}
			if (git_oid_equal(have_up ? &up : &zero, &last)) {
				show_file(pusherr);
				if (pushed)
					errx(2, _("git push said the server "
					    "took the push, but %s's %s does not "
					    "have it; your commits are safe on "
					    "%s: enas sync again"), s.remote,
					    s.merge, s.branch);
				errx(1, _("the server refused the push (its "
				    "reasons above); your commits are safe "
				    "on %s: fix what it names, then enas sync "
				    "again"), s.branch);
			}
			if (retried >= s.retries)
				errx(2, dngettext(ENAS_TEXTDOMAIN,
				    "other offices pushed first %ld time; "
				    "gave up: your commits are safe on %s, "
				    "run enas sync again",
				    "other offices pushed first %ld times; "
				    "gave up: your commits are safe on %s, "
				    "run enas sync again",
				    (unsigned long)retried), retried, s.branch);
			retried++;
			back_off(retried, now_ms() - round_start);
			round_start = now_ms();
			if ((have_up = fetch(&s, &up)) < 0)
				errx(2, _("cannot fetch %s from %s; your "
				    "commits are safe on %s"), s.merge,
				    s.remote, s.branch);
		}
		if (!resolve(&head, s.git, "HEAD"))
			fail(enas_repo_error(_("cannot read HEAD")));
		if (have_up && !contains(s.git, &head, &up)) {
			git_oid_tostr(hex, sizeof(hex), &up);
			if (contains(s.git, &up, &head))
				rc = run(-1, "git", "merge", "-q",
				    "--ff-only", hex, (char *)NULL);
			else if (s.use_merge)
				rc = run(-1, "git", "merge", "-q", "--no-edit",
				    "-m", "sync: merge the shared remote",
				    hex, (char *)NULL);
			else {
				/*
				 * Replay only the commits past the fork point,
				 * found here: git rebase UP computes UP..HEAD
				 * with rev-list, which orders its walk by
				 * commit date and may stop early when dates are
				 * equal or skewed between offices' clocks,
				 * replaying shared commits again.  The merge
				 * base is exact whatever the dates.
				 */
				if (git_merge_base(&base, s.git, &head,
				    &up) < 0)
					fail(enas_repo_error(_("cannot find "
					    "where the branches parted")));
				git_oid_tostr(basehex, sizeof(basehex), &base);
				rc = run(-1, "git", "rebase", "-q", "--onto",
				    hex, basehex, (char *)NULL);
			}
			if (rc != 0) {
				if (report_conflicts(&s) > 0)
					exit(1);
				if (git_repository_state(s.git) !=
				    GIT_REPOSITORY_STATE_NONE)
					errx(1, "%s", s.use_merge ?
					    _("the merge stopped (above): fix "
					    "it and git commit, or git merge "
					    "--abort; then enas sync again") :
					    _("the rebase stopped (above): fix "
					    "it and git rebase --continue, or "
					    "git rebase --abort; then enas "
					    "sync again"));
				errx(2, _("could not bring in %s's work "
				    "(above); your commits are safe on %s"),
				    s.remote, s.branch);
			}
			if (!resolve(&head, s.git, "HEAD"))
				fail(enas_repo_error(_("cannot read HEAD")));
		}
		/* Nothing of ours that the remote lacks: done. */
		if (have_up && contains(s.git, &up, &head))
			break;
		rc = run(-1, "enas-check", "-r", "HEAD", (char *)NULL);
		if (rc == 1)
			errx(1, "%s", _("the records as synced break the rules "
			    "(above): fix them, commit, then enas sync "
			    "again"));
		if (rc != 0)
			errx(2, "%s", _("cannot check the records (above)"));
		if (fflush(pusherr) == EOF || ftruncate(fileno(pusherr), 0) < 0)
			err(2, "%s", _("a temporary file"));
		rewind(pusherr);
		rc = run(fileno(pusherr), "git", "push", "-q", s.remote, dst,
		    (char *)NULL);
		pushed = rc == 0;
		git_oid_cpy(&last, have_up ? &up : &zero);
	}
	fclose(pusherr);

	/* Sent: what head has beyond the remote's branch before our push. */
	received = records_between(s.git, &start, &head);
	if (landed)
		sent = git_oid_is_zero(&last) ? records_between(s.git, NULL,
		    &head) : records_between(s.git, &last, &head);
	else
		sent = 0;
	if (!s.quiet) {
		/*
		 * One sentence: what came in, what went out, how hard.
		 * TRANSLATORS: the first part of one line; %s is the
		 * remote ("origin"); the line goes on with "%zu sent".
		 */
		printf(dngettext(ENAS_TEXTDOMAIN, "synced with %s: %zu record "
		    "received, ", "synced with %s: %zu records received, ",
		    received), s.remote, received);
		/* TRANSLATORS: the line's second part: records sent. */
		printf(dngettext(ENAS_TEXTDOMAIN, "%zu sent", "%zu sent",
		    sent), sent);
		if (retried)
			/* TRANSLATORS: the line's optional end. */
			printf(dngettext(ENAS_TEXTDOMAIN, " (after %ld retry: "

			    "another office pushed first)", " (after %ld "
			    "retries: other offices pushed first)",
			    (unsigned long)retried), retried);
		printf("\n");
	}
	enas_repo_free(s.repo);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(2, "%s", _("standard output"));
	return 0;
}
