/*
 * commit.c: trees, commits and index entries for a tool's changes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commit.h"
#include "diff.h"
#include "i18n.h"

int
enas_commit_ready(struct enas_repo *repo)
{
	static const char *const what[] = {
		/* TRANSLATORS: what is in progress, as in "a merge is in
		   progress" */
		[GIT_REPOSITORY_STATE_MERGE] = N_("a merge"),
		[GIT_REPOSITORY_STATE_REVERT] = N_("a revert"),
		[GIT_REPOSITORY_STATE_REVERT_SEQUENCE] = N_("a revert"),
		[GIT_REPOSITORY_STATE_CHERRYPICK] = N_("a cherry-pick"),
		[GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE] =
		    N_("a cherry-pick"),
		[GIT_REPOSITORY_STATE_BISECT] = N_("a bisect"),
		[GIT_REPOSITORY_STATE_REBASE] = N_("a rebase"),
		[GIT_REPOSITORY_STATE_REBASE_INTERACTIVE] = N_("a rebase"),
		[GIT_REPOSITORY_STATE_REBASE_MERGE] = N_("a rebase"),
		[GIT_REPOSITORY_STATE_APPLY_MAILBOX] = "git am",
		[GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE] = "git am",
	};
	int st;

	if (!enas_repo_workdir(repo))
		return enas_error_set(ENAS_EGIT, _("a bare repository has no "
		    "working tree to change"));
	st = git_repository_state(enas_repo_git(repo));
	if (st != GIT_REPOSITORY_STATE_NONE)
		/* TRANSLATORS: %s is "a merge", "a rebase", "git am"... */
		return enas_error_set(ENAS_EGIT, _("%s is in progress; finish "
		    "it or abort it first (git status)"), st > 0 &&
		    (size_t)st < sizeof(what) / sizeof(what[0]) && what[st] ?
		    _(what[st]) : _("an operation"));
	return 0;
}

int
enas_commit_tree(git_oid *tree, git_oid *head, struct enas_repo *repo,
    const struct enas_file_change *ch, size_t n)
{
	git_repository *git = enas_repo_git(repo);
	git_tree_update *up = NULL;
	git_treebuilder *tb = NULL;
	git_commit *commit = NULL;
	git_tree *base = NULL;
	git_oid empty;
	size_t i;
	int rc = 0;

	memset(head, 0, sizeof(*head));
	if (git_repository_head_unborn(git) != 1) {
		if (git_reference_name_to_id(head, git, "HEAD") < 0 ||
		    git_commit_lookup(&commit, git, head) < 0 ||
		    git_commit_tree(&base, commit) < 0) {
			rc = enas_repo_error(_("cannot read HEAD"));
			goto out;
		}
	} else if (git_treebuilder_new(&tb, git, NULL) < 0 ||
	    git_treebuilder_write(&empty, tb) < 0 ||
	    git_tree_lookup(&base, git, &empty) < 0) {
		rc = enas_repo_error(_("cannot make an empty tree"));
		goto out;
	}
	if (!(up = enas_calloc(n, sizeof(*up)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		up[i].path = ch[i].path;
		if (!ch[i].buf) {
			up[i].action = GIT_TREE_UPDATE_REMOVE;
			continue;
		}
		up[i].action = GIT_TREE_UPDATE_UPSERT;
		up[i].filemode = ch[i].mode ? (git_filemode_t)ch[i].mode :
		    GIT_FILEMODE_BLOB;
		if (git_blob_create_from_buffer(&up[i].id, git, ch[i].buf,
		    ch[i].len) < 0) {
			rc = enas_repo_error(ch[i].path);
			goto out;
		}
	}
	if (git_tree_create_updated(tree, git, base, n, up) < 0)
		rc = enas_repo_error(_("cannot make the tree to commit"));
out:
	free(up);
	git_treebuilder_free(tb);
	git_tree_free(base);
	git_commit_free(commit);
	return rc;
}

int
enas_commit_check(git_oid *tree, git_oid *head, struct enas_repo *repo,
    const struct enas_file_change *ch, size_t n, enas_diag_fn fn, void *ctx)
{
	struct enas_snapshot *snap = NULL, *base = NULL;
	struct enas_checker *c = NULL;
	int rc;

	if ((rc = enas_commit_tree(tree, head, repo, ch, n)) < 0 ||
	    (rc = enas_snapshot_tree(&snap, repo, tree)) < 0)
		goto out;
	if (!git_oid_is_zero(head) &&
	    (rc = enas_snapshot_commit(&base, repo, head)) < 0)
		goto out;
	if ((rc = enas_checker_new(&c, snap, fn, ctx)) < 0 ||
	    (rc = enas_checker_changes(c, base)) < 0 ||
	    (rc = enas_checker_finish(c)) < 0)
		goto out;
	rc = enas_checker_errors(c);
out:
	enas_checker_free(c);
	enas_snapshot_free(base);
	enas_snapshot_free(snap);
	return rc;
}

int
enas_worktree_check(struct enas_repo *repo, const struct enas_file_change *ch,
    size_t n, enas_diag_fn fn, void *ctx)
{
	struct enas_snapshot *snap = NULL;
	struct enas_checker *c = NULL;
	size_t i, j, k;
	int rc;

	if ((rc = enas_snapshot_open(&snap, repo, ENAS_WORKTREE, NULL)) < 0)
		goto out;
	/* The changed paths are checked from their new bytes below. */
	for (i = j = 0; i < snap->n; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(snap->entries[i].path, ch[k].path) == 0)
				break;
		if (k < n) {
			free(snap->entries[i].path);
			continue;
		}
		snap->entries[j++] = snap->entries[i];
	}
	snap->n = j;
	if ((rc = enas_checker_new(&c, snap, fn, ctx)) < 0)
		goto out;
	for (k = 0; k < n && rc >= 0; k++)
		if (ch[k].buf)
			rc = enas_checker_buffer(c, ch[k].path, ch[k].path,
			    ch[k].buf, ch[k].len);
	if (rc >= 0)
		rc = enas_checker_finish(c);
	if (rc >= 0)
		rc = enas_checker_errors(c);
out:
	enas_checker_free(c);
	enas_snapshot_free(snap);
	return rc;
}

/*
 * Up to width decimal digits at *sp into *out, advancing *sp past them:
 * what sscanf's %Nd reads of a field of digits.  0, or -1 when *sp does
 * not start with a digit.
 */
static int
digits(const char **sp, int width, int *out)
{
	const char *p = *sp;
	int v = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (width-- > 0 && isdigit((unsigned char)*p))
		v = v * 10 + (*p++ - '0');
	*out = v;
	*sp = p;
	return 0;
}

/*
 * A date as git takes it in GIT_AUTHOR_DATE: "@SECONDS [+HHMM]",
 * "SECONDS +HHMM", or ISO 8601 "YYYY-MM-DD[T ]HH:MM[:SS][Z|+HH[:]MM]"
 * (local time without a zone).  0, or -1 when it is none of these.
 */
static int
parse_date(const char *s, git_time_t *when, int *offset)
{
	struct tm tm;
	long long secs;
	char *end;
	int y, mo, d, h, mi, sec = 0, zh, zm, sign;

	while (*s == ' ')
		s++;
	if (*s == '@' || (isdigit((unsigned char)*s) && strchr(s, ' ') &&
	    !strchr(s, '-') && !strchr(s, ':'))) {
		secs = strtoll(s + (*s == '@'), &end, 10);
		*when = (git_time_t)secs;
		*offset = 0;
		while (*end == ' ')
			end++;
		if (*end == '\0')
			return 0;
		if ((*end != '+' && *end != '-') || strlen(end) != 5 ||
		    !isdigit((unsigned char)end[1]))
			return -1;
		zh = (end[1] - '0') * 10 + (end[2] - '0');
		zm = (end[3] - '0') * 10 + (end[4] - '0');
		*offset = (*end == '-' ? -1 : 1) * (zh * 60 + zm);
		return 0;
	}
	if (digits(&s, 4, &y) < 0 || *s++ != '-' ||
	    digits(&s, 2, &mo) < 0 || *s++ != '-' ||
	    digits(&s, 2, &d) < 0 || (*s != 'T' && *s != ' '))
		return -1;
	s++;
	if (digits(&s, 2, &h) < 0 || *s++ != ':' || digits(&s, 2, &mi) < 0)
		return -1;
	if (*s == ':') {
		s++;
		if (digits(&s, 2, &sec) < 0)
			return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (*s == '\0') {
		tm.tm_isdst = -1;
		secs = (long long)mktime(&tm);
		*when = (git_time_t)secs;
		*offset = (int)(tm.tm_gmtoff / 60);
		return 0;
	}
	*when = (git_time_t)timegm(&tm);
	if (*s == 'Z' && s[1] == '\0') {
		*offset = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (digits(&s, 2, &zh) < 0)
		return -1;
	if (*s == ':')
		s++;
	if (digits(&s, 2, &zm) < 0 || *s != '\0')
		return -1;
	*offset = sign * (zh * 60 + zm);
	*when -= (git_time_t)*offset * 60;
	return 0;
}

/* "AUTHOR" or "COMMITTER": git's rules for who and when. */
static int
signature(git_signature **out, git_repository *git, const char *role)
{
	git_signature *dflt = NULL;
	char var[32];
	const char *name, *email, *date;
	git_time_t when;
	int offset, rc;

	snprintf(var, sizeof(var), "GIT_%s_NAME", role);
	name = getenv(var);
	snprintf(var, sizeof(var), "GIT_%s_EMAIL", role);
	email = getenv(var);
	snprintf(var, sizeof(var), "GIT_%s_DATE", role);
	date = getenv(var);
	if (!name || !email) {
		if (git_signature_default(&dflt, git) < 0)
			return enas_error_set(ENAS_EGIT, _("who are you? set "
			    "your name and e-mail for commits: git config "
			    "--global user.name 'Your Name'; git config "
			    "--global user.email you@example.org"));
		if (!name)
			name = dflt->name;
		if (!email)
			email = dflt->email;
	}
	if (date && *date) {
		if (parse_date(date, &when, &offset) < 0) {
			git_signature_free(dflt);
			/* TRANSLATORS: AUTHOR or COMMITTER, then a date */
			return enas_error_set(ENAS_EGIT, _("GIT_%s_DATE: "
			    "cannot read '%.40s'; use ISO 8601 "
			    "(2024-06-01T12:00:00Z) or @SECONDS"), role, date);
		}
		rc = git_signature_new(out, name, email, when, offset);
	} else if (dflt)
		rc = git_signature_new(out, name, email, dflt->when.time,
		    dflt->when.offset);
	else
		rc = git_signature_now(out, name, email);
	git_signature_free(dflt);
	if (rc < 0)
		return enas_repo_error(_("cannot make the commit's signature"));
	return 0;
}

/*
 * The lock file of git's that holds up a commit now, into b: the
 * index's, the branch's that HEAD names, or HEAD's.  1 when one is
 * there, 0 when none is, ENAS_ENOMEM.
 */
static int
held_lock(struct enas_buf *b, struct enas_repo *repo)
{
	git_repository *git = enas_repo_git(repo);
	git_reference *head = NULL;
	const char *target = NULL;
	struct stat st;
	int i, rc = 0;

	if (git_reference_lookup(&head, git, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		target = git_reference_symbolic_target(head);
	if (target && strncmp(target, "refs/", 5) != 0)
		target = NULL;
	for (i = 0; i < 3 && rc == 0; i++) {
		b->len = 0;
		if ((i == 0 && enas_buf_printf(b, "%sindex.lock",
		    git_repository_path(git)) < 0) ||
		    (i == 1 && enas_buf_printf(b, "%sHEAD.lock",
		    git_repository_path(git)) < 0) ||
		    (i == 2 && target && enas_buf_printf(b, "%s%s.lock",
		    git_repository_commondir(git), target) < 0))
			rc = ENAS_ENOMEM;
		else if (b->len && lstat(b->data, &st) == 0)
			rc = 1;
	}
	git_reference_free(head);
	return rc;
}

int
enas_commit_locks(struct enas_repo *repo)
{
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	struct enas_buf lock = ENAS_BUF_INIT;
	int rc, tries;

	/* git holds its locks for a moment: wait two seconds at most */
	for (tries = 0; (rc = held_lock(&lock, repo)) == 1 && tries < 40;
	    tries++)
		nanosleep(&nap, NULL);
	if (rc == 1)
		/* TRANSLATORS: a lock file, twice */
		rc = enas_error_set(ENAS_EGIT, _("%s exists: another git "
		    "command is running, or one stopped and left it behind; "
		    "if no git command is running, remove it (rm %s)"),
		    lock.data, lock.data);
	enas_buf_free(&lock);
	return rc;
}

/*
 * A commit that stopped half-way: what was done (done), why (git's
 * lock file when one is held, else git's message), and what is left to
 * do (todo).
 */
static int
commit_error(struct enas_repo *repo, const char *done, const char *todo)
{
	struct enas_buf lock = ENAS_BUF_INIT;
	const git_error *ge = git_error_last();
	char why[256];
	int rc;

	if (enas_alloc_failed())
		return enas_repo_error(done);
	snprintf(why, sizeof(why), "%s", ge && ge->message ? ge->message :
	    _("unknown error"));
	if ((rc = held_lock(&lock, repo)) == 1)
		/* TRANSLATORS: what was done, a lock file twice, then what
		   is left to do */
		rc = enas_error_set(ENAS_EGIT, _("%s: %s exists: another git "
		    "command is running, or one stopped and left it behind; "
		    "if no git command is running, remove it (rm %s), then "
		    "%s"), done, lock.data, lock.data, todo);
	else if (rc == 0)
		/* TRANSLATORS: what was done, git's message, what is left */
		rc = enas_error_set(ENAS_EGIT, _("%s: %s; then %s"), done, why,
		    todo);
	enas_buf_free(&lock);
	return rc;
}

/*
 * Bring the index entries of the changed paths up to date: 0, or
 * libgit2's negative code (its message in git_error_last()).
 */
static int
update_index(struct enas_repo *repo, const struct enas_file_change *ch,
    size_t n)
{
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	git_index *index = NULL;
	size_t i;
	int tries, e;

	if ((e = git_repository_index(&index, enas_repo_git(repo))) < 0)
		return e;
	for (tries = 0; tries < 40; tries++) {
		if ((e = git_index_read(index, 1)) < 0)
			break;
		for (i = 0; i < n && e >= 0; i++)
			e = ch[i].buf ?
			    git_index_add_bypath(index, ch[i].path) :
			    git_index_remove_bypath(index, ch[i].path);
		if (e < 0)
			break;
		/* git itself may hold index.lock for a moment */
		if ((e = git_index_write(index)) != GIT_ELOCKED)
			break;
		nanosleep(&nap, NULL);
	}
	git_index_free(index);
	return e;
}

int
enas_commit_create(git_oid *out, struct enas_repo *repo, const git_oid *tree,
    const git_oid *head, const char *message,
    const struct enas_file_change *ch, size_t n)
{
	git_repository *git = enas_repo_git(repo);
	git_signature *author = NULL, *committer = NULL;
	git_commit *parent = NULL;
	const git_commit *parents[1];
	struct enas_buf paths = ENAS_BUF_INIT, todo = ENAS_BUF_INIT;
	git_tree *t = NULL;
	git_oid id, now;
	size_t i;
	int rc, first = git_oid_is_zero(head);

	if ((rc = signature(&author, git, "AUTHOR")) < 0 ||
	    (rc = signature(&committer, git, "COMMITTER")) < 0)
		goto out;
	if (first ? git_repository_head_unborn(git) != 1 :
	    git_reference_name_to_id(&now, git, "HEAD") < 0 ||
	    !git_oid_equal(&now, head)) {
		rc = enas_error_set(ENAS_EGIT, _("HEAD moved while the record "
		    "was being written; the file is written but not committed "
		    "(git status)"));
		goto out;
	}
	if (git_tree_lookup(&t, git, tree) < 0 ||
	    (!first && git_commit_lookup(&parent, git, head) < 0)) {
		rc = enas_repo_error(_("cannot read the tree to commit"));
		goto out;
	}
	parents[0] = parent;
	/*
	 * The index first: a commit made while the index keeps the old
	 * entry would be undone by the next "git commit".  Staged but not
	 * committed, the change is only waiting.
	 */
	if (update_index(repo, ch, n) < 0) {
		for (i = 0; i < n && rc == 0; i++)
			rc = enas_buf_printf(&paths, " %s", ch[i].path);
		if (rc < 0 || enas_buf_printf(&todo, _("commit it: git add "
		    "--%s && git commit"), paths.data) < 0)
			rc = ENAS_ENOMEM;
		else
			rc = commit_error(repo, _("the record is written, but "
			    "neither staged nor committed"), todo.data);
		goto out;
	}
	if (git_commit_create(&id, git, "HEAD", author, committer, NULL,
	    message, t, first ? 0 : 1, parents) < 0) {
		rc = commit_error(repo, _("the record is written and staged, "
		    "but not committed"), _("commit it: git commit"));
		goto out;
	}
	if (out)
		git_oid_cpy(out, &id);
out:
	enas_buf_free(&paths);
	enas_buf_free(&todo);
	git_tree_free(t);
	git_commit_free(parent);
	git_signature_free(author);
	git_signature_free(committer);
	return rc;
}

/* The blob HEAD has at path into b: 1, or 0 when it has none. */
static int
head_blob(struct enas_buf *b, git_oid *oid, struct enas_repo *repo,
    const char *path)
{
	git_repository *git = enas_repo_git(repo);
	git_tree_entry *te = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_blob *blob = NULL;
	git_oid head;
	int rc = 0;

	b->len = 0;
	if (git_repository_head_unborn(git) == 1)
		return 0;
	if (git_reference_name_to_id(&head, git, "HEAD") < 0 ||
	    git_commit_lookup(&commit, git, &head) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		rc = enas_repo_error(_("cannot read HEAD"));
		goto out;
	}
	if (git_tree_entry_bypath(&te, tree, path) < 0)
		goto out;
	git_oid_cpy(oid, git_tree_entry_id(te));
	if (git_blob_lookup(&blob, git, oid) < 0) {
		rc = enas_repo_error(path);
		goto out;
	}
	rc = enas_buf_add(b, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob)) < 0 ? ENAS_ENOMEM : 1;
out:
	git_blob_free(blob);
	git_tree_free(tree);
	git_tree_entry_free(te);
	git_commit_free(commit);
	return rc;
}

int
enas_commit_dirty(struct enas_repo *repo, const char *path, const char *work,
    size_t len)
{
	struct enas_buf head = ENAS_BUF_INIT;
	const git_index_entry *ie;
	git_index *index = NULL;
	git_oid hid;
	int rc, dirty;

	if ((rc = head_blob(&head, &hid, repo, path)) < 0)
		return rc;
	dirty = rc == 0 || head.len != len || (len > 0 &&
	    memcmp(head.data, work, len) != 0);
	enas_buf_free(&head);
	if (dirty)
		return 1;
	if (git_repository_index(&index, enas_repo_git(repo)) < 0)
		return enas_repo_error(_("cannot read the index"));
	ie = git_index_get_bypath(index, path, 0);
	dirty = !ie || !git_oid_equal(&ie->id, &hid);
	git_index_free(index);
	return dirty;
}

#define SUBJECT_MAX 72	/* columns of a commit message's first line */

int
enas_commit_message(struct enas_buf *msg, struct enas_repo *repo,
    const struct enas_rules *r, const char *id, const char *path,
    const char *text, size_t len)
{
	struct enas_record *a = NULL, *b = NULL;
	struct enas_diff d = ENAS_DIFF_INIT;
	struct enas_buf fields = ENAS_BUF_INIT, base = ENAS_BUF_INIT;
	git_oid hid;
	size_t i, j;
	int rc;

	msg->len = 0;
	if ((rc = head_blob(&base, &hid, repo, path)) < 0)
		goto out;
	if (rc == 0) {
		/* a record HEAD does not have (enas edit -f) */
		rc = enas_buf_printf(msg, "%s %s: new\n", r->kind, id) < 0 ?
		    ENAS_ENOMEM : 0;
		goto out;
	}
	if (enas_record_parse(&a, base.data, base.len, "", 0, NULL,
	    NULL) == ENAS_ENOMEM) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	if ((rc = enas_record_parse(&b, text, len, "", 0, NULL, NULL)) < 0 ||
	    (rc = enas_diff_records(&d, a ? a->root : NULL, b->root)) < 0 ||
	    (rc = enas_diff_fields(&fields, &d)) < 0)
		goto out;
	if (d.n == 0)
		rc = enas_buf_printf(msg, "%s %s: layout\n", r->kind, id);
	else if (strlen(r->kind) + strlen(id) + 3 + fields.len <= SUBJECT_MAX)
		rc = enas_buf_printf(msg, "%s %s: %s\n", r->kind, id,
		    fields.data);
	else {
		rc = enas_buf_printf(msg, "%s %s: %zu fields\n\n", r->kind, id,
		    d.n);
		for (i = 0; i < d.n && rc == 0; i++) {
			for (j = 0; j < i; j++)
				if (strcmp(d.changes[j].path,
				    d.changes[i].path) == 0)
					break;
			if (j == i)
				rc = enas_buf_printf(msg, "%s\n",
				    d.changes[i].path);
		}
	}
	rc = rc < 0 ? ENAS_ENOMEM : 0;
out:
	enas_diff_free(&d);
	enas_buf_free(&fields);
	enas_buf_free(&base);
	enas_record_free(a);
	enas_record_free(b);
	return rc;
}
