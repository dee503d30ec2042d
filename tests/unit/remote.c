/*
 * remote.c: unit tests of lib/remote.c, printing TAP.
 *
 * Without arguments: the warning for each kind of state.
 * "remote state DIR" prints the state of the repository at DIR, one
 * "name value" per line, for tests/remote.t, which makes real clones.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enas.h"
#include "remote.h"
#include "repo.h"

#include "tap.h"

static struct enas_buf b = ENAS_BUF_INIT;

static const char *
warning(size_t behind, long long fetched, long long now, int *rc)
{
	struct enas_remote_state s;

	memset(&s, 0, sizeof(s));
	s.has_upstream = 1;
	snprintf(s.upstream, sizeof(s.upstream), "origin/main");
	s.behind = behind;
	s.fetched = fetched;
	*rc = enas_remote_warning(&b, &s, now, ENAS_REMOTE_MAX_AGE);
	return b.data ? b.data : "";
}

static int
state(const char *dir)
{
	struct enas_remote_state s;
	struct enas_repo *repo;

	if (enas_repo_open(&repo, dir, 0) < 0 ||
	    enas_remote_state(&s, repo) < 0) {
		fprintf(stderr, "remote: %s\n", enas_error_last());
		return 2;
	}
	printf("upstream %s\nahead %zu\nbehind %zu\nfetched %s\n",
	    s.has_upstream ? s.upstream : "-", s.ahead, s.behind,
	    s.fetched < 0 ? "never" : (long long)time(NULL) - s.fetched <
	    3600 ? "recently" : "long ago");
	enas_repo_free(repo);
	return 0;
}

int
main(int argc, char *argv[])
{
	const long long now = 1733000000, day = 86400;
	struct enas_remote_state none;
	const char *w;
	int rc;

	if (argc == 3 && strcmp(argv[1], "state") == 0)
		return state(argv[2]);

	w = warning(0, now - 600, now, &rc);
	is("0:", rc == 0 && !*w ? "0:" : w, "up to date and fetched ten "
	    "minutes ago: no warning");
	w = warning(3, now - 600, now, &rc);
	is("this clone is 3 commits behind origin/main; a new id is checked "
	    "only against the records this clone knows: run 'git pull' first",
	    w, "behind what it fetched");
	is("1", rc == 1 ? "1" : "0", "returns 1 with a warning");
	w = warning(1, now - 600, now, &rc);
	is("this clone is 1 commit behind origin/main; a new id is checked "
	    "only against the records this clone knows: run 'git pull' first",
	    w, "one commit");
	w = warning(0, now - 3 * day - 5, now, &rc);
	is("this clone was last fetched from origin/main 3 days ago; a new id "
	    "is checked only against the records this clone knows: run 'git "
	    "pull' first", w, "a fetch older than a day");
	w = warning(2, now - day, now, &rc);
	is("this clone is 2 commits behind origin/main, and was last fetched "
	    "from origin/main 1 day ago; a new id is checked only against the "
	    "records this clone knows: run 'git pull' first", w, "both");
	w = warning(0, -1, now, &rc);
	is("this clone has never fetched from origin/main; a new id is "
	    "checked only against the records this clone knows: run 'git "
	    "pull' first", w, "never fetched");
	memset(&none, 0, sizeof(none));
	none.behind = 5;
	rc = enas_remote_warning(&b, &none, now, ENAS_REMOTE_MAX_AGE);
	is("0", rc == 0 && (!b.data || !*b.data) ? "0" : "1", "no upstream: "
	    "no warning");
	enas_buf_free(&b);
	return tap_done();
}
