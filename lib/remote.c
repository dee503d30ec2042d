/*
 * remote.c: a clone against its upstream, from what it last fetched.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "remote.h"

/* The modification time of dir/FETCH_HEAD, or -1. */
static long long
fetch_head_time(const char *dir)
{
	struct enas_buf path = ENAS_BUF_INIT;
	struct stat st;
	long long t = -1;

	if (dir && enas_buf_printf(&path, "%sFETCH_HEAD", dir) == 0 &&
	    stat(path.data, &st) == 0)
		t = (long long)st.st_mtime;
	enas_buf_free(&path);
	return t;
}

/*
 * The time of the newest reflog entry of ref, or with clone set the
 * time of its oldest if that is the clone's, or -1.
 */
static long long
reflog_time(git_repository *git, const char *ref, int clone)
{
	const git_reflog_entry *e;
	const git_signature *sig;
	git_reflog *log = NULL;
	const char *msg;
	size_t n;
	long long t = -1;

	if (git_reflog_read(&log, git, ref) < 0)
		return -1;
	n = git_reflog_entrycount(log);
	if (n > 0 && (e = git_reflog_entry_byindex(log, clone ? n - 1 : 0)) &&
	    (sig = git_reflog_entry_committer(e)) && (!clone ||
	    ((msg = git_reflog_entry_message(e)) &&
	    strncmp(msg, "clone: ", 7) == 0)))
		t = (long long)sig->when.time;
	git_reflog_free(log);
	return t;
}

/*
 * The upstream of branch (a short name) as git's configuration names
 * it, branch.<name>.remote and branch.<name>.merge, mapped as a clone's
 * default refspec maps it: refs/remotes/<remote>/<branch>, or the local
 * branch itself for the remote ".".  (libgit2 1.5's git_branch_upstream
 * looks the remote up, which leaks PCRE2 match data.)  Returns 1 with
 * ref and name set, 0 when the branch tracks nothing, or a negative
 * status.
 */
static int
upstream_of(struct enas_buf *ref, char *name, size_t size,
    git_repository *git, const char *branch)
{
	struct enas_buf key = ENAS_BUF_INIT;
	git_config *cfg = NULL;
	const char *remote, *merge;
	int rc;

	if (git_repository_config_snapshot(&cfg, git) < 0)
		return enas_repo_error(_("cannot read the configuration"));
	if ((rc = enas_buf_printf(&key, "branch.%s.remote", branch)) < 0)
		goto out;
	if (git_config_get_string(&remote, cfg, key.data) < 0) {
		rc = 0;
		goto out;
	}
	key.len = 0;
	if ((rc = enas_buf_printf(&key, "branch.%s.merge", branch)) < 0)
		goto out;
	if (git_config_get_string(&merge, cfg, key.data) < 0 ||
	    strncmp(merge, "refs/heads/", 11) != 0) {
		rc = 0;
		goto out;
	}
	ref->len = 0;
	if (strcmp(remote, ".") == 0) {
		rc = enas_buf_puts(ref, merge);
		snprintf(name, size, "%s", merge + 11);
	} else {
		rc = enas_buf_printf(ref, "refs/remotes/%s/%s", remote,
		    merge + 11);
		snprintf(name, size, "%s/%s", remote, merge + 11);
	}
	if (rc == 0)
		rc = 1;
out:
	enas_buf_free(&key);
	git_config_free(cfg);
	return rc;
}

int
enas_remote_state(struct enas_remote_state *out, struct enas_repo *repo)
{
	git_repository *git = enas_repo_git(repo);
	git_reference *head = NULL, *up = NULL;
	struct enas_buf ref = ENAS_BUF_INIT;
	const char *branch;
	long long t;
	int rc;

	memset(out, 0, sizeof(*out));
	out->fetched = -1;
	rc = git_repository_head(&head, git);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND ||
	    (rc == 0 && !git_reference_is_branch(head))) {
		git_reference_free(head);
		return 0;
	}
	if (rc < 0)
		return enas_repo_error(_("cannot read HEAD"));
	if (git_branch_name(&branch, head) < 0) {
		rc = enas_repo_error(_("cannot name the branch of HEAD"));
		goto out;
	}
	if ((rc = upstream_of(&ref, out->upstream, sizeof(out->upstream), git,
	    branch)) <= 0)
		goto out;
	/* An upstream never fetched has no ref yet: all of it is unknown. */
	rc = git_reference_lookup(&up, git, ref.data);
	if (rc == GIT_ENOTFOUND) {
		out->has_upstream = 1;
		rc = 0;
		goto out;
	}
	if (rc == 0 && git_reference_type(up) == GIT_REFERENCE_SYMBOLIC) {
		git_reference *direct = NULL;

		rc = git_reference_resolve(&direct, up);
		git_reference_free(up);
		up = direct;
	}
	if (rc < 0) {
		rc = enas_repo_error(_("cannot read the upstream of HEAD"));
		goto out;
	}
	out->has_upstream = 1;
	if (git_reference_target(head) && git_reference_target(up) &&
	    git_graph_ahead_behind(&out->ahead, &out->behind, git,
	    git_reference_target(head), git_reference_target(up)) < 0) {
		rc = enas_repo_error(_("cannot compare HEAD with its "
		    "upstream"));
		goto out;
	}
	/* A fetch, a pull, or the clone itself (which logs no fetch). */
	out->fetched = reflog_time(git, ref.data, 0);
	if ((t = reflog_time(git, "HEAD", 1)) > out->fetched)
		out->fetched = t;
	if ((t = fetch_head_time(git_repository_path(git))) > out->fetched)
		out->fetched = t;
	if ((t = fetch_head_time(git_repository_commondir(git))) >
	    out->fetched)
		out->fetched = t;
	rc = 0;
out:
	enas_buf_free(&ref);
	git_reference_free(up);
	git_reference_free(head);
	return rc;
}

/* "3 days", "5 hours", "12 minutes": how long secs is, roughly. */
static int
add_age(struct enas_buf *b, long long secs)
{
	unsigned long n;

	if (secs >= 86400) {
		n = (unsigned long)(secs / 86400);
		return enas_buf_printf(b, dngettext(ENAS_TEXTDOMAIN, "%lu day",
		    "%lu days", n), n);
	}
	if (secs >= 3600) {
		n = (unsigned long)(secs / 3600);
		return enas_buf_printf(b, dngettext(ENAS_TEXTDOMAIN,
		    "%lu hour", "%lu hours", n), n);
	}
	n = secs > 0 ? (unsigned long)(secs / 60) : 0;
	return enas_buf_printf(b, dngettext(ENAS_TEXTDOMAIN, "%lu minute",
	    "%lu minutes", n), n);
}

/*
 * What the warning says of the clone: each case one whole sentence, so
 * that a translator sees it whole.
 */
static int
describe(struct enas_buf *b, const struct enas_remote_state *s, int old,
    const char *age)
{
	unsigned long n = (unsigned long)s->behind;

	if (s->behind && !old)
		return enas_buf_printf(b, dngettext(ENAS_TEXTDOMAIN,
		    "this clone is %lu commit behind %s",
		    "this clone is %lu commits behind %s", n), n, s->upstream);
	if (s->behind && s->fetched < 0)
		return enas_buf_printf(b, dngettext(ENAS_TEXTDOMAIN,
		    "this clone is %lu commit behind %s, and has never "
		    "fetched from %s",
		    "this clone is %lu commits behind %s, and has never "
		    "fetched from %s", n), n, s->upstream, s->upstream);
	if (s->behind)
		/* TRANSLATORS: the last %s is how long: "3 days", "1 hour". */
		return enas_buf_printf(b, dngettext(ENAS_TEXTDOMAIN,
		    "this clone is %lu commit behind %s, and was last fetched "
		    "from %s %s ago",
		    "this clone is %lu commits behind %s, and was last fetched "
		    "from %s %s ago", n), n, s->upstream, s->upstream, age);
	if (s->fetched < 0)
		return enas_buf_printf(b, _("this clone has never fetched from "
		    "%s"), s->upstream);
	/* TRANSLATORS: the second %s is how long: "3 days", "1 hour". */
	return enas_buf_printf(b, _("this clone was last fetched from %s %s "
	    "ago"), s->upstream, age);
}

int
enas_remote_warning(struct enas_buf *b, const struct enas_remote_state *s,
    long long now, long long max_age)
{
	struct enas_buf age = ENAS_BUF_INIT, what = ENAS_BUF_INIT;
	int old, rc = 0;

	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	if (!s->has_upstream)
		return 0;
	old = s->fetched < 0 || now - s->fetched >= max_age;
	if (!s->behind && !old)
		return 0;
	if (old && s->fetched >= 0)
		rc = add_age(&age, now - s->fetched);
	if (rc == 0)
		rc = describe(&what, s, old, age.data ? age.data : "");
	if (rc == 0)
		/* TRANSLATORS: %s says how far behind this clone is. */
		rc = enas_buf_printf(b, _("%s; a new id is checked only "
		    "against the records this clone knows: run 'git pull' "
		    "first"),
		    what.data);
	enas_buf_free(&age);
	enas_buf_free(&what);
	return rc < 0 ? rc : 1;
}
