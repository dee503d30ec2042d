/*
 * receive.c: the server's check of a push.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "kinds.h"
#include "receive.h"
#include "record.h"

int
enas_receive_parse(struct enas_update *u, const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	size_t n;
	int i;

	for (i = 0; i < 2; i++) {
		for (n = 0; p + n < end && isxdigit((unsigned char)p[n]); n++)
			;
		if (n != GIT_OID_HEXSZ || p + n >= end || p[n] != ' ')
			return enas_error_set(ENAS_EDATA, _("bad pre-receive "
			    "line: expected '<old-id> <new-id> <ref>'"));
		if (git_oid_fromstrn(i ? &u->new : &u->old, p, n) < 0)
			return enas_error_set(ENAS_EDATA, _("bad pre-receive "
			    "line: not an object id"));
		p += n + 1;
	}
	n = (size_t)(end - p);
	if (n == 0 || n >= sizeof(u->ref) || memchr(p, '\0', n) ||
	    memchr(p, ' ', n))
		return enas_error_set(ENAS_EDATA, _("bad pre-receive line: "
		    "expected a ref name after the ids"));
	memcpy(u->ref, p, n);
	u->ref[n] = '\0';
	return 0;
}

/* Hide the commit that obj peels to, if any, from walk. */
static int
hide_object(git_revwalk *walk, git_object *obj)
{
	git_object *commit = NULL;
	int rc = 0;

	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0)
		rc = git_revwalk_hide(walk, git_object_id(commit));
	git_object_free(commit);
	return rc;
}

/*
 * Hide what the server has already checked: the tips of the refs a
 * push may update, each looked up by its name (no directory of refs is
 * listed), and the old value of each update.
 */
static int
hide_known(git_revwalk *walk, git_repository *git,
    const struct enas_policy *pol, const struct enas_update *u, size_t n)
{
	git_reference *ref;
	git_object *obj;
	size_t i;
	int rc;

	for (i = 0; i < pol->nrefs; i++) {
		if ((rc = git_reference_lookup(&ref, git, pol->refs[i])) ==
		    GIT_ENOTFOUND)
			continue;
		if (rc < 0)
			return rc;
		obj = NULL;
		rc = git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT);
		if (rc == 0)
			rc = git_revwalk_hide(walk, git_object_id(obj));
		git_object_free(obj);
		git_reference_free(ref);
		if (rc < 0 && rc != GIT_EPEEL && rc != GIT_ENOTFOUND)
			return rc;
	}
	for (i = 0; i < n; i++) {
		if (git_oid_is_zero(&u[i].old) ||
		    git_object_lookup(&obj, git, &u[i].old, GIT_OBJECT_ANY) < 0)
			continue;
		rc = hide_object(walk, obj);
		git_object_free(obj);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The diagnostics of one push: counted, then passed on. */
struct reporter {
	enas_diag_fn fn;
	void *ctx;
	int errors;
};

static void
counting(void *ctx, const struct enas_diag *d)
{
	struct reporter *rp = ctx;

	if (d->level == ENAS_ERROR)
		rp->errors++;
	if (rp->fn)
		rp->fn(rp->ctx, d);
}

/*
 * A path that governs the repository rather than holding a record:
 * the rules, and the top-level dotfiles that git itself obeys
 * (.gitattributes turns line ends and merge drivers; .gitmodules...).
 */
static int
governs(const char *path)
{
	return strncmp(path, ENAS_RULES_DIR "/", strlen(ENAS_RULES_DIR) + 1)
	    == 0 || strcmp(path, ENAS_RULES_DIR) == 0 ||
	    (path[0] == '.' && !strchr(path, '/'));
}

/* Whether a and b (NULL: empty) have the same rules and dotfiles. */
static int
same_governance(git_tree *a, git_tree *b)
{
	git_tree_entry *ea = NULL, *eb = NULL;
	const git_tree_entry *x, *y;
	size_t i, na = 0, nb = 0;
	int same;

	if (a)
		git_tree_entry_bypath(&ea, a, ENAS_RULES_DIR);
	if (b)
		git_tree_entry_bypath(&eb, b, ENAS_RULES_DIR);
	same = (!ea && !eb) || (ea && eb && git_oid_equal(
	    git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
	    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb));
	git_tree_entry_free(ea);
	git_tree_entry_free(eb);
	for (i = 0; same && a && i < git_tree_entrycount(a); i++) {
		x = git_tree_entry_byindex(a, i);
		if (git_tree_entry_name(x)[0] != '.')
			continue;
		na++;
		y = b ? git_tree_entry_byname(b, git_tree_entry_name(x)) :
		    NULL;
		same = y && git_oid_equal(git_tree_entry_id(x),
		    git_tree_entry_id(y)) && git_tree_entry_filemode(x) ==
		    git_tree_entry_filemode(y);
	}
	for (i = 0; same && b && i < git_tree_entrycount(b); i++)
		nb += git_tree_entry_name(git_tree_entry_byindex(b, i))[0] ==
		    '.';
	return same && na == nb;
}

/* One commit under check. */
struct commit_check {
	struct enas_repo *repo;
	const struct enas_policy *pol;
	struct reporter *rp;
	git_commit *commit;
	git_tree *tree;
	git_tree *parents[16];	/* the first ones; a merge of more is odd */
	size_t nparents;
	char hex[1024];		/* the abbreviated id, or a tag's ref */
	git_diff *diff;		/* from the first parent */
	int toobig;
	int governance;		/* a path of the diff governs */
	const char *gov_path;
	const char *other_path;	/* a path of the diff that does not */
};

static void
report(struct commit_check *cc, const char *path, const char *field,
    const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
report(struct commit_check *cc, const char *path, const char *field,
    const char *hint, const char *fmt, ...)
{
	char name[GIT_OID_HEXSZ + 4096 + 2], msg[1024];
	struct enas_diag d;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(name, sizeof(name), "%s%s%s", cc->hex, path ? ":" : "",
	    path ? path : "");
	d.file = name;
	d.line = 0;
	d.col = 0;
	d.level = ENAS_ERROR;
	d.field = field;
	d.msg = msg;
	d.hint = hint;
	counting(cc->rp, &d);
}

/*
 * Each file the commit adds or changes against its first parent: its
 * size from the object header (nothing is read when it is too big),
 * and whether it governs.
 */
static int
scan_diff(struct commit_check *cc)
{
	git_diff_options opts;
	const git_diff_delta *dd;
	git_odb *odb = NULL;
	git_object_t type;
	size_t i, size;
	int rc = 0;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&cc->diff, enas_repo_git(cc->repo),
	    cc->nparents ? cc->parents[0] : NULL, cc->tree, &opts) < 0 ||
	    git_repository_odb(&odb, enas_repo_git(cc->repo)) < 0)
		return enas_repo_error(_("cannot compare a pushed commit with "
		    "its parent"));
	for (i = 0; i < git_diff_num_deltas(cc->diff); i++) {
		dd = git_diff_get_delta(cc->diff, i);
		if (governs(dd->new_file.path) || governs(dd->old_file.path)) {
			if (!cc->gov_path)
				cc->gov_path = governs(dd->new_file.path) ?
				    dd->new_file.path : dd->old_file.path;
			cc->governance = 1;
		} else if (!cc->other_path)
			cc->other_path = dd->new_file.path;
		if (dd->status == GIT_DELTA_DELETED ||
		    dd->new_file.mode == GIT_FILEMODE_COMMIT)
			continue;
		if (git_odb_read_header(&size, &type, odb,
		    &dd->new_file.id) < 0) {
			rc = enas_repo_error(_("cannot read a pushed object"));
			break;
		}
		if (size > ENAS_RECORD_MAX) {
			report(cc, dd->new_file.path, NULL, NULL, _("is %zu "
			    "bytes; no file of a records repository may be "
			    "over %d bytes (it was not read)"), size,
			    ENAS_RECORD_MAX);
			cc->toobig = 1;
		}
	}
	git_odb_free(odb);
	return rc;
}

/* The rules may change only with authority, and alone. */
static int
check_governance(struct commit_check *cc)
{
	struct enas_buf why = ENAS_BUF_INIT;
	size_t i;
	int rc;

	if (cc->nparents == 0)
		cc->governance = !same_governance(cc->tree, NULL);
	else if (cc->nparents > 1) {
		/* A merge that takes one side's rules as they are: no change. */
		cc->governance = 1;
		for (i = 0; i < cc->nparents && cc->governance; i++)
			cc->governance = !same_governance(cc->tree,
			    cc->parents[i]);
	}
	if (!cc->governance)
		return 0;
	rc = enas_policy_authority(cc->pol, cc->repo,
	    git_commit_id(cc->commit), &why);
	if (rc == 0)
		report(cc, cc->gov_path ? cc->gov_path : ENAS_RULES_DIR, NULL,
		    NULL, "%s", why.data);
	enas_buf_free(&why);
	if (rc < 0)
		return rc;
	if (cc->nparents == 1 && cc->other_path)
		report(cc, cc->other_path, NULL, NULL, _("the commit also "
		    "changes %s: a change of the rules or of a repository "
		    "file is a commit of its own"), cc->gov_path ?
		    cc->gov_path : ENAS_RULES_DIR);
	return 0;
}

/* A new record of another office's code. */
static int
check_offices(struct commit_check *cc, const struct enas_checker *c)
{
	const git_diff_delta *dd;
	const struct enas_rules *r;
	git_tree_entry *te;
	const char *path, *base;
	size_t i, j, blen;
	int other;

	if (!cc->pol->office)
		return 0;
	for (i = 0; i < git_diff_num_deltas(cc->diff); i++) {
		dd = git_diff_get_delta(cc->diff, i);
		if (dd->status != GIT_DELTA_ADDED)
			continue;
		path = dd->new_file.path;
		/* a record of some kind: below records/<dir>/, *.yaml */
		if (!(r = enas_kinds_of_path(enas_checker_kinds(c), path)))
			continue;
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		blen = strlen(base);
		if (blen <= 5 || strcmp(base + blen - 5, ".yaml") != 0)
			continue;
		/* A merge brings records of the other side: not new. */
		for (j = 1, other = 0; j < cc->nparents && !other; j++) {
			if (git_tree_entry_bypath(&te, cc->parents[j],
			    path) == 0)
				other = 1;
			git_tree_entry_free(other ? te : NULL);
		}
		if (other || enas_policy_new_id_ok(cc->pol, r, base, blen - 5))
			continue;
		report(cc, path, "id", NULL, _("office %s (pusher '%s') may "
		    "add only records whose ids begin with %s; another "
		    "office's records can be changed, not created"),
		    cc->pol->office, cc->pol->pusher, cc->pol->office);
	}
	return 0;
}

/* A rules file's name without the snapshot's "3f2a9c1:" prefix. */
static const char *
rules_file(const struct enas_rules *r)
{
	const char *s = strstr(r->file, ENAS_RULES_DIR "/");

	return s ? s : r->file;
}

/* One text of the commit against every kind's commit: section. */
static int
check_text(struct commit_check *cc, const struct enas_checker *c,
    const char *field, const char *text, int name)
{
	const struct enas_rules *r;
	const char *hit;
	size_t k;
	int status;

	if (!text)
		return 0;
	for (k = 0; k < enas_kinds_count(enas_checker_kinds(c)); k++) {
		r = enas_kinds_at(enas_checker_kinds(c), k);
		if (!(hit = enas_policy_text(r, text, strlen(text), name,
		    &status)))
			continue;
		if (status == ENAS_ENOMEM)
			return status;
		if (status < 0)
			report(cc, NULL, field, r->commit.message, _("cannot "
			    "be checked against %s's commit.deny.%s: %s"),
			    rules_file(r), hit, enas_error_last());
		else if (strncmp(hit, "max_", 4) == 0)
			report(cc, NULL, field, r->commit.message, _("is "
			    "longer than %zu bytes (%s's commit.%s)"), name ?
			    r->commit.max_name : r->commit.max_length,
			    rules_file(r), hit);
		else
			report(cc, NULL, field, r->commit.message, _("holds "
			    "what looks like a %s (%s's commit.deny.%s)"), hit,
			    rules_file(r), hit);
		return 0;
	}
	return 0;
}

/* Message, author and committer against the commit's own rules. */
static int
check_metadata(struct commit_check *cc, const struct enas_checker *c,
    const char *message, const git_signature *author,
    const git_signature *committer)
{
	int rc;

	if ((rc = check_text(cc, c, "message", message, 0)) < 0)
		return rc;
	if (author && ((rc = check_text(cc, c, "author", author->name,
	    1)) < 0 || (rc = check_text(cc, c, "author", author->email,
	    1)) < 0))
		return rc;
	if (committer && ((rc = check_text(cc, c, committer == author ?
	    "tagger" : "committer", committer->name, 1)) < 0 ||
	    (rc = check_text(cc, c, committer == author ? "tagger" :
	    "committer", committer->email, 1)) < 0))
		return rc;
	return 0;
}

static int
check_commit(struct enas_repo *repo, const struct enas_policy *pol,
    struct reporter *rp, const git_oid *id)
{
	struct enas_snapshot *snap = NULL, *base = NULL;
	struct enas_checker *c = NULL;
	struct commit_check cc;
	int before = rp->errors, rc;
	size_t i;

	memset(&cc, 0, sizeof(cc));
	cc.repo = repo;
	cc.pol = pol;
	cc.rp = rp;
	git_oid_tostr(cc.hex, 8, id);
	if (git_commit_lookup(&cc.commit, enas_repo_git(repo), id) < 0 ||
	    git_commit_tree(&cc.tree, cc.commit) < 0) {
		rc = enas_repo_error(_("cannot read a pushed commit"));
		goto out;
	}
	cc.nparents = git_commit_parentcount(cc.commit);
	if (cc.nparents > sizeof(cc.parents) / sizeof(cc.parents[0])) {
		report(&cc, NULL, NULL, NULL, _("a merge of %zu parents; "
		    "merge two at a time"), cc.nparents);
		cc.nparents = 0;
		rc = 0;
		goto out;
	}
	for (i = 0; i < cc.nparents; i++) {
		git_commit *parent = NULL;

		rc = git_commit_parent(&parent, cc.commit, (unsigned)i);
		if (rc == 0)
			rc = git_commit_tree(&cc.parents[i], parent);
		git_commit_free(parent);
		if (rc < 0) {
			cc.nparents = i;
			rc = enas_repo_error(_("cannot read a pushed commit's "
			    "parent"));
			goto out;
		}
	}
	if ((rc = scan_diff(&cc)) < 0 || (rc = check_governance(&cc)) < 0)
		goto out;
	/* Nothing reads a blob that is too big, nor the records after it. */
	if (cc.toobig)
		goto out;
	if ((rc = enas_snapshot_commit(&snap, repo, id)) < 0)
		goto out;
	if (cc.nparents > 0 && (rc = enas_snapshot_commit(&base, repo,
	    git_commit_parent_id(cc.commit, 0))) < 0)
		goto out;
	rc = enas_checker_new(&c, snap, counting, rp);
	if (rc == ENAS_ERULES) {
		rc = 0;
		goto out;
	}
	if (rc < 0 || (rc = check_metadata(&cc, c,
	    git_commit_message(cc.commit), git_commit_author(cc.commit),
	    git_commit_committer(cc.commit))) < 0 ||
	    (rc = check_offices(&cc, c)) < 0 ||
	    (rc = enas_checker_changes(c, base)) < 0 ||
	    (rc = enas_checker_finish(c)) < 0)
		goto out;
out:
	enas_checker_free(c);
	enas_snapshot_free(base);
	enas_snapshot_free(snap);
	git_diff_free(cc.diff);
	for (i = 0; i < cc.nparents; i++)
		git_tree_free(cc.parents[i]);
	git_tree_free(cc.tree);
	git_commit_free(cc.commit);
	return rc < 0 ? rc : rp->errors > before;
}

/* An annotated tag: its message and tagger, as a commit's. */
static int
check_tag(struct enas_repo *repo, struct reporter *rp, git_tag *tag,
    const char *ref)
{
	struct enas_snapshot *snap = NULL;
	struct enas_checker *c = NULL;
	git_object *target = NULL;
	struct commit_check cc;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	memset(&cc, 0, sizeof(cc));
	cc.repo = repo;
	cc.rp = rp;
	snprintf(cc.hex, sizeof(cc.hex), "%s", ref);
	if (git_tag_peel(&target, tag) < 0)
		return enas_repo_error(ref);
	if (git_object_type(target) != GIT_OBJECT_COMMIT) {
		report(&cc, NULL, "ref", NULL, _("the tag names a %s, not a "
		    "commit"), git_object_type2string(git_object_type(
		    target)));
		git_object_free(target);
		return 0;
	}
	git_oid_tostr(hex, sizeof(hex), git_object_id(target));
	git_object_free(target);
	if ((rc = enas_snapshot_under(&snap, repo, ENAS_COMMIT, hex,
	    ENAS_RULES_DIR)) < 0)
		return rc;
	rc = enas_checker_new(&c, snap, counting, rp);
	if (rc == 0)
		rc = check_metadata(&cc, c, git_tag_message(tag),
		    git_tag_tagger(tag), git_tag_tagger(tag));
	else if (rc == ENAS_ERULES)
		rc = 0;
	enas_checker_free(c);
	enas_snapshot_free(snap);
	return rc;
}

/* One ref update: allowed, not a deletion, a fast-forward. */
static int
check_update(struct enas_repo *repo, const struct enas_policy *pol,
    struct reporter *rp, const struct enas_update *u)
{
	git_repository *git = enas_repo_git(repo);
	struct enas_diag d = { u->ref, 0, 0, ENAS_ERROR, "ref", NULL, NULL };
	struct enas_buf refs = ENAS_BUF_INIT, msg = ENAS_BUF_INIT;
	git_object *obj = NULL;
	size_t i;
	int rc = 0, before = rp->errors;

	if (!enas_policy_ref_ok(pol, u->ref)) {
		for (i = 0; i < pol->nrefs && rc == 0; i++)
			rc = enas_buf_printf(&refs, "%s%s", i ? ", " : "",
			    pol->refs[i]);
		if (rc == 0)
			rc = enas_buf_printf(&msg, _("this server takes pushes "
			    "to %s only (enas.allowRef)"), refs.data);
		d.msg = msg.data;
		if (rc == 0)
			counting(rp, &d);
		enas_buf_free(&refs);
		enas_buf_free(&msg);
		return rc < 0 ? rc : 1;
	}
	if (git_oid_is_zero(&u->new)) {
		d.msg = _("deleting a ref is refused");
		counting(rp, &d);
		return 1;
	}
	if (git_object_lookup(&obj, git, &u->new, GIT_OBJECT_ANY) < 0)
		return enas_repo_error(u->ref);
	if (git_object_type(obj) == GIT_OBJECT_TAG)
		rc = check_tag(repo, rp, (git_tag *)obj, u->ref);
	else if (git_object_type(obj) != GIT_OBJECT_COMMIT) {
		d.msg = _("a ref names a commit or a tag, nothing else");
		counting(rp, &d);
	} else if (!git_oid_is_zero(&u->old) && !git_oid_equal(&u->old,
	    &u->new) && git_graph_descendant_of(git, &u->new, &u->old) != 1) {
		d.msg = _("not a fast-forward: the push would drop commits "
		    "that the server has; fetch, rebase or merge, and push "
		    "again");
		counting(rp, &d);
	}
	git_object_free(obj);
	return rc < 0 ? rc : rp->errors > before;
}

/*
 * Whether ref is a ledger's (refs/enas/...: enas-stats's publications),
 * whose commits hold publications, not records.
 */
static int
is_ledger(const char *ref)
{
	return strncmp(ref, "refs/enas/", 10) == 0;
}

/*
 * A ledger commit: a tree of plain files at its top (one publication
 * each), none over 256 KiB (by its header), none hidden, with a
 * message and identities as a commit's of main.
 */
static int
check_ledger(struct enas_repo *repo, const struct enas_policy *pol,
    struct reporter *rp, const git_oid *id)
{
	git_repository *git = enas_repo_git(repo);
	const git_tree_entry *e;
	struct commit_check cc;
	git_odb *odb = NULL;
	git_object_t type;
	const char *name;
	size_t i, size;
	int before = rp->errors, rc = 0;

	memset(&cc, 0, sizeof(cc));
	cc.repo = repo;
	cc.pol = pol;
	cc.rp = rp;
	git_oid_tostr(cc.hex, 8, id);
	if (git_commit_lookup(&cc.commit, git, id) < 0 ||
	    git_commit_tree(&cc.tree, cc.commit) < 0 ||
	    git_repository_odb(&odb, git) < 0) {
		rc = enas_repo_error(_("cannot read a pushed commit"));
		goto out;
	}
	for (i = 0; i < git_tree_entrycount(cc.tree); i++) {
		e = git_tree_entry_byindex(cc.tree, i);
		name = git_tree_entry_name(e);
		if (git_tree_entry_filemode(e) != GIT_FILEMODE_BLOB ||
		    name[0] == '.' || name[strspn(name, "abcdefghijklmnopqrstu"
		    "vwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+:")]) {
			report(&cc, name, NULL, NULL, "%s", _("a ledger holds "
			    "only publications: plain files at its top, named "
			    "with letters, digits and ._-+:"));
			continue;
		}
		if (git_odb_read_header(&size, &type, odb,
		    git_tree_entry_id(e)) < 0) {
			rc = enas_repo_error(_("cannot read a pushed object"));
			goto out;
		}
		if (size > ENAS_RECORD_MAX)
			report(&cc, name, NULL, NULL, _("is %zu bytes; no file "
			    "of a records repository may be over %d bytes (it "
			    "was not read)"), size, ENAS_RECORD_MAX);
	}
out:
	git_odb_free(odb);
	git_tree_free(cc.tree);
	git_commit_free(cc.commit);
	return rc < 0 ? rc : rp->errors > before;
}

/*
 * Walk the commits that the updates of one class (ledger refs or not)
 * bring, oldest first, and check each; *count counts them across the
 * classes.  1 when the walk was stopped (reported), else 0, or a
 * negative status.
 */
static int
walk_class(struct enas_repo *repo, const struct enas_policy *pol,
    const struct enas_update *u, size_t n, int ledger, unsigned long *count,
    struct reporter *rp, struct enas_receive_result *res)
{
	struct enas_diag d = { "push", 0, 0, ENAS_ERROR, NULL, NULL, NULL };
	git_repository *git = enas_repo_git(repo);
	git_revwalk *walk = NULL;
	git_object *obj, *peeled;
	char msg[256];
	git_oid id;
	size_t i;
	int rc, any = 0, gone;

	if (git_revwalk_new(&walk, git) < 0)
		return enas_repo_error(_("cannot walk the pushed commits"));
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	for (i = 0; i < n; i++) {
		if (git_oid_is_zero(&u[i].new) || is_ledger(u[i].ref) != ledger)
			continue;
		/* A tag's commit: peeled, as git push --follow-tags sends. */
		if (git_object_lookup(&obj, git, &u[i].new,
		    GIT_OBJECT_ANY) < 0) {
			rc = enas_repo_error(u[i].ref);
			goto out;
		}
		peeled = NULL;
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0 ?
		    git_revwalk_push(walk, git_object_id(peeled)) : 1;
		git_object_free(peeled);
		git_object_free(obj);
		if (rc < 0) {
			rc = enas_repo_error(u[i].ref);
			goto out;
		}
		any |= rc == 0;
	}
	if (!any) {
		rc = 0;
		goto out;
	}
	if (hide_known(walk, git, pol, u, n) < 0) {
		rc = enas_repo_error(_("cannot read the refs"));
		goto out;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		if ((gone = enas_policy_expired(pol)) == 2) {
			rc = enas_error_set(ENAS_EIO, _("the pusher is gone; "
			    "check abandoned"));
			goto out;
		}
		if (gone == 1 || ++*count > pol->max_commits) {
			res->stopped = gone ? 2 : 1;
			if (gone)
				snprintf(msg, sizeof(msg), _("checking took "
				    "more than %lu seconds (enas.maxSeconds): "
				    "push fewer commits at a time"),
				    pol->max_seconds);
			else
				snprintf(msg, sizeof(msg), _("more than %lu new "
				    "commits (enas.maxCommits): push fewer at a "
				    "time"), pol->max_commits);
			d.msg = msg;
			counting(rp, &d);
			rc = 1;
			goto out;
		}
		rc = ledger ? check_ledger(repo, pol, rp, &id) :
		    check_commit(repo, pol, rp, &id);
		if (rc < 0)
			goto out;
		res->bad_commits += rc;
	}
	/* libgit2 1.5 ends a walk early, as if done, when memory runs out. */
	rc = rc == GIT_ITEROVER && !enas_alloc_failed() ? 0 :
	    enas_repo_error(_("cannot walk the pushed commits"));
out:
	git_revwalk_free(walk);
	return rc;
}

int
enas_receive_check(struct enas_repo *repo, const struct enas_policy *pol,
    const struct enas_update *u, size_t n, struct enas_receive_result *res,
    enas_diag_fn fn, void *ctx)
{
	struct reporter rp = { fn, ctx, 0 };
	unsigned long count = 0;
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < n; i++) {
		if ((rc = check_update(repo, pol, &rp, &u[i])) < 0)
			return rc;
		res->bad_refs += rc;
	}
	if ((rc = walk_class(repo, pol, u, n, 0, &count, &rp, res)) != 0)
		return rc < 0 ? rc : 0;
	rc = walk_class(repo, pol, u, n, 1, &count, &rp, res);
	return rc < 0 ? rc : 0;
}
