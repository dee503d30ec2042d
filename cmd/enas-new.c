/*
 * enas-new: a new record with a fresh id, filled from the command line
 * and the user's editor, checked, written and committed.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commit.h"
#include "date.h"
#include "editor.h"
#include "find.h"
#include "i18n.h"
#include "kinds.h"
#include "record.h"
#include "remote.h"
#include "repo.h"
#include "template.h"
#include "write.h"
#include "tool.h"

#define DRAWS 20	/* ids drawn before giving up */

/* The editor's copy of a new record, in its private directory. */

/* The draft the editor opens (cmd/tool.h). */
static struct tool_draft *const dr = &tool_draft;

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-new [-n] [-C dir] [-s site] kind "
	    "[field=value ...]\n"), fp);
	exit(status);
}

/*
 * A field given as a long option (--sex male, --sex=male) is not one:
 * say what to write instead, before getopt says less.
 */
static void
not_fields(int argc, char **argv, const struct option *opts)
{
	const struct option *o;
	const char *name, *eq;
	size_t len;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		name = argv[i] + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		for (o = opts; o->name; o++)
			if (strlen(o->name) == len &&
			    strncmp(o->name, name, len) == 0)
				break;
		if (o->name || len == 0)
			continue;
		if (eq)
			/* TRANSLATORS: the argument, then FIELD=VALUE. */
			warnx(_("'%s' is not an option; fields are given as "
			    "FIELD=VALUE: %.*s=%s"), argv[i], (int)len, name,
			    eq + 1);
		else
			/* TRANSLATORS: the argument, then FIELD=VALUE. */
			warnx(_("'%s' is not an option; fields are given as "
			    "FIELD=VALUE: %s=%s"), argv[i], name,
			    i + 1 < argc ? argv[i + 1] : "VALUE");
		usage(stderr, 2);
	}
}

/* The value set for path, or NULL. */
static const char *
setting_of(const struct enas_setting *set, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(set[i].path, path) == 0)
			return set[i].value;
	return NULL;
}

/* Whether a record with this id exists in HEAD or the working tree. */
static int
taken(struct enas_repo *repo, const struct enas_rules *r, const char *id)
{
	struct enas_buf path = ENAS_BUF_INIT;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_oid head;
	unsigned mode;
	int rc;

	rc = enas_find(&path, &mode, NULL, repo, NULL, r, id);
	if (rc == 0 && git_repository_head_unborn(enas_repo_git(repo)) != 1) {
		if (git_reference_name_to_id(&head, enas_repo_git(repo),
		    "HEAD") < 0 || git_commit_lookup(&commit,
		    enas_repo_git(repo), &head) < 0 ||
		    git_commit_tree(&tree, commit) < 0)
			rc = enas_repo_error(_("cannot read HEAD"));
		else
			rc = enas_find(&path, &mode, NULL, repo, tree, r, id);
	}
	git_tree_free(tree);
	git_commit_free(commit);
	enas_buf_free(&path);
	if (rc < 0)
		tool_fail(rc);
	return rc;
}

/* The year for a new id: the dating field's, if given, or this year. */
/* The year of a date already checked by enas_date_parse. */
static int
date_year(const char *s)
{
	return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
}

static int
id_year(const struct enas_rules *r, const struct enas_setting *set,
    size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	size_t i;

	for (i = 0; r->date && i < n; i++)
		if (strcmp(set[i].path, r->date) == 0 &&
		    enas_date_parse(set[i].value, strlen(set[i].value)) >= 0)
			return date_year(set[i].value);
	if (!localtime_r(&t, &tm))
		return 1970;
	return tm.tm_year + 1900;
}

/* Draw ids until one is free. */
static char whynot[512];	/* why the office code could not be had */

static void
draw(char *id, struct enas_repo *repo, const struct enas_rules *r,
    const char *office, int year)
{
	int i;

	for (i = 0; i < DRAWS; i++) {
		if (enas_id_new(id, ENAS_ID_MAX + 1, r, office, year) < 0)
			errx(2, "%s", whynot[0] ? whynot : enas_error_last());
		if (!taken(repo, r, id))
			return;
	}
	/* TRANSLATORS: the kind, the number of draws, its directory. */
	errx(2, _("no free %s id in %d draws; is records/%s full?"), r->kind,
	    DRAWS, r->dir);
}

/*
 * Check a record's text as it would be written at its place (into
 * path): against HEAD plus it when committing, against the working
 * tree otherwise.  Returns the number of errors.
 */
static int
check_text(struct enas_buf *path, char *id, struct enas_repo *repo,
    const struct enas_rules *r, const struct enas_buf *text,
    const char *drawn, int commit, git_oid *tree, git_oid *head)
{
	struct enas_file_change ch;
	int rc;

	if ((rc = enas_find_place(path, id, r, text->data, text->len,
	    drawn)) < 0)
		tool_fail(rc);
	ch.path = path->data;
	ch.buf = text->data;
	ch.len = text->len;
	ch.mode = 0;
	enas_diags_clear(&dr->shown);
	rc = commit ? enas_commit_check(tree, head, repo, &ch, 1,
	    tool_draft_diag, NULL) : enas_worktree_check(repo, &ch, 1,
	    tool_draft_diag, NULL);
	if (rc < 0)
		tool_fail(rc);
	if (rc == 0 && strcmp(id, drawn) != 0 && taken(repo, r, id)) {
		enas_diag_report(tool_draft_diag, NULL, path->data, 1, 1,
		    ENAS_ERROR, "id", NULL, _("a %s record with the id %s "
		    "exists already"), r->kind, id);
		rc = 1;
	}
	return rc;
}

/*
 * A drawn id carries the year of the record's date field (registered):
 * when the editor gave another year, draw again for that year and put
 * the new id in the text.
 */
static void
realign(struct enas_buf *text, char *drawn, struct enas_repo *repo,
    const struct enas_rules *r, const char *office)
{
	struct enas_record *rec = NULL;
	struct enas_buf out = ENAS_BUF_INIT;
	const struct enas_node *idn, *date;
	const char *s;
	size_t off;
	int line, year;

	if (!r->date || enas_record_parse(&rec, text->data, text->len, "", 0,
	    NULL, NULL) < 0)
		return;
	idn = enas_node_get(rec->root, "id");
	date = enas_node_path(rec->root, r->date);
	if (!idn || !date || idn->type != ENAS_SCALAR || idn->quoted ||
	    date->type != ENAS_SCALAR || idn->len != strlen(drawn) ||
	    memcmp(idn->value, drawn, idn->len) != 0 ||
	    enas_date_parse(date->value, date->len) < 0 ||
	    (year = date_year(date->value)) == enas_id_year(drawn)) {
		enas_record_free(rec);
		return;
	}
	for (s = text->data, line = 1; line < idn->line && s; line++)
		if ((s = memchr(s, '\n', text->len - (size_t)(s -
		    text->data))))
			s++;
	off = s ? (size_t)(s - text->data) + (size_t)idn->col - 1 : text->len;
	if (s && off + idn->len <= text->len &&
	    memcmp(text->data + off, drawn, idn->len) == 0) {
		draw(drawn, repo, r, office, year);
		if (enas_buf_add(&out, text->data, off) < 0 ||
		    enas_buf_puts(&out, drawn) < 0 ||
		    enas_buf_add(&out, text->data + off + idn->len,
		    text->len - off - idn->len) < 0)
			tool_fail(ENAS_ENOMEM);
		enas_buf_free(text);
		*text = out;
	}
	enas_record_free(rec);
}

/*
 * The settings a new record starts from, beside the command line's:
 * its date field (registered) today, and its site the office's
 * (office: --site, or enas.office: a site's name, or the code of its
 * ids, NDR for nador).  set has room for two more; the new count.
 */
static size_t
defaults(struct enas_setting *set, size_t n, char *today,
    const struct enas_rules *r, const char *office)
{
	const struct enas_field *f;
	char code[32], want[32];
	time_t t = time(NULL);
	struct tm tm;
	size_t i, hits = 0;
	const char *site = NULL;

	if (r->date && (f = enas_rules_field(r, r->date)) &&
	    f->type == ENAS_DATE && setting_of(set, n, r->date) == NULL &&
	    localtime_r(&t, &tm) && strftime(today, 16, "%Y-%m-%d", &tm)) {
		set[n].path = r->date;
		set[n++].value = today;
	}
	if (!office || !*office || setting_of(set, n, "site") ||
	    !(f = enas_rules_field(r, "site")) || !f->nenums)
		return n;
	/* a site's name, or the code its name gives */
	for (i = 0; i < f->nenums; i++)
		if (strcmp(f->enums[i], office) == 0)
			site = f->enums[i];
	if (!site && enas_id_office(want, sizeof(want), r, office) == 0)
		for (i = 0; i < f->nenums; i++)
			if (enas_id_office(code, sizeof(code), r,
			    f->enums[i]) == 0 && strcmp(code, want) == 0 &&
			    hits++ == 0)
				site = f->enums[i];
	if (site && hits <= 1) {
		set[n].path = "site";
		set[n++].value = site;
	}
	return n;
}

/*
 * A fresh id is checked only against the records this clone knows: say
 * so when the clone is behind its remote, or has not fetched for a day.
 */
static void
warn_behind(struct enas_repo *repo)
{
	struct enas_remote_state st;
	struct enas_buf msg = ENAS_BUF_INIT;

	if (enas_remote_state(&st, repo) == 0 &&
	    enas_remote_warning(&msg, &st, (long long)time(NULL),
	    ENAS_REMOTE_MAX_AGE) == 1)
		fprintf(stderr, "enas-new: warning: %s\n", msg.data);
	enas_buf_free(&msg);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "no-edit", no_argument, NULL, 'n' },
		{ "site", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_buf text = ENAS_BUF_INIT, final = ENAS_BUF_INIT;
	struct enas_buf path = ENAS_BUF_INIT, cfg = ENAS_BUF_INIT;
	struct enas_buf msg = ENAS_BUF_INIT, draft = ENAS_BUF_INIT;
	struct enas_buf checked = ENAS_BUF_INIT, body = ENAS_BUF_INIT;
	struct enas_setting *set;
	struct enas_template_refs *refs = NULL;
	struct enas_snapshot *rsnap = NULL;
	struct enas_kinds *kinds = NULL;
	struct enas_repo *repo = NULL;
	struct enas_lock *lock = NULL;
	const struct enas_rules *r;
	struct enas_file_change ch;
	const char *dir = NULL, *site = NULL, *given = NULL, *office = NULL;
	char drawn[ENAS_ID_MAX + 1], id[ENAS_ID_MAX + 1], code[32], *eq;
	char today[16];
	git_oid tree, head;
	size_t nset = 0, skip = 0;
	int ch_, noedit = 0, commit, rc, i, errors, tries, status = 0;

	tool_init("enas-new", argc, argv);
	not_fields(argc, argv, longopts);
	/* options before or after the kind: enas new case -n site=nador */
	while ((ch_ = getopt_long(argc, argv, "C:hns:", longopts,
	    NULL)) != -1) {
		switch (ch_) {
		case 'C':
			dir = optarg;
			break;
		case 'n':
			noedit = 1;
			break;
		case 's':
			site = optarg;
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
	if (argc < 1)
		usage(stderr, 2);
	/* room for the defaults: the date field and the site */
	if (!(set = calloc((size_t)argc + 2, sizeof(*set))))
		err(2, NULL);
	for (i = 1; i < argc; i++) {
		if (!(eq = strchr(argv[i], '=')) || eq == argv[i]) {
			warnx(_("'%s' is not FIELD=VALUE"), argv[i]);
			usage(stderr, 2);
		}
		*eq = '\0';
		if (strcmp(argv[i], "id") == 0) {
			given = eq + 1;
			continue;
		}
		set[nset].path = argv[i];
		set[nset++].value = eq + 1;
	}
	if (dir && chdir(dir) < 0)
		err(2, "%s", dir);

	if ((rc = enas_repo_open(&repo, NULL, 0)) < 0)
		tool_fail(rc);
	commit = enas_config_bool(repo, "enas.autoCommit", 1);
	if (commit && (rc = enas_commit_ready(repo)) < 0)
		tool_fail(rc);
	if (!enas_repo_workdir(repo))
		errx(2, "%s", _("a bare repository has no working tree"));
	if (commit && git_repository_head_unborn(enas_repo_git(repo)) == 1)
		errx(2, "%s", _("the repository has no commits yet; run "
		    "'enas init'"));
	/* The rules the commit will be checked against. */
	if ((rc = enas_snapshot_under(&rsnap, repo, commit ? ENAS_COMMIT :
	    ENAS_WORKTREE, NULL, ENAS_RULES_DIR)) < 0 ||
	    (rc = tool_kinds(&kinds, rsnap)) < 0)
		tool_fail(rc);
	if (!(r = enas_kinds_find(kinds, argv[0])))
		errx(2, _("no kind '%.64s' in %s"), argv[0], ENAS_RULES_DIR);
	if (enas_template_check(r, set, nset) < 0)
		errx(2, "%s", enas_error_last());

	if (!site && (rc = enas_config_string(&cfg, repo, "enas.office")) < 0)
		tool_fail(rc);
	nset = defaults(set, nset, today, r, site ? site : cfg.data);

	if (given) {
		if (!enas_id_safe(given) ||
		    !enas_rules_id_ok(r, given, strlen(given)))
			/* TRANSLATORS: the id, the kind, the id's pattern. */
			errx(2, _("'%.64s' is not a %s id (%s)"), given,
			    r->kind, r->id_src);

		if (taken(repo, r, given))
			errx(1, _("a %s record with the id %s exists already"),
			    r->kind, given);
		snprintf(drawn, sizeof(drawn), "%s", given);
	} else {
		office = site ? site : cfg.data;
		for (i = 0; !office && (size_t)i < nset; i++)
			if (strcmp(set[i].path, "site") == 0)
				office = set[i].value;
		if (office && enas_id_office(code, sizeof(code), r,
		    office) == 0)
			office = code;
		else if (office) {
			/* a kind whose ids need no office ("SES-...") */
			snprintf(whynot, sizeof(whynot), "%s",
			    enas_error_last());
			office = NULL;
		}
		warn_behind(repo);
		draw(drawn, repo, r, office, id_year(r, set, nset));
	}
	if ((rc = enas_template_refs(&refs, repo, kinds, r, commit ?
	    ENAS_COMMIT : ENAS_WORKTREE)) < 0)
		tool_fail(rc);
	if ((rc = enas_template(&text, r, drawn, set, nset, refs)) < 0)
		tool_fail(rc);
	/* Without the editor, the diagnostics are about the record alone. */
	if (noedit && ((rc = enas_template_tidy(&final, text.data,
	    text.len)) < 0 || (rc = enas_buf_add(&text, "", 0)) < 0))
		tool_fail(rc);
	if (noedit) {
		text.len = 0;
		if (enas_buf_add(&text, final.data, final.len) < 0)
			tool_fail(ENAS_ENOMEM);
	}

	/* The editor, until the record passes or the user gives up. */
	if (!noedit) {
		tool_at_fail(tool_draft_remove, NULL);
		if ((rc = enas_tmpdir_make(&dr->dir, repo)) < 0 ||
		    enas_buf_printf(&dr->copy, "%s/%s.yaml", dr->dir.data,
		    drawn) < 0)
			tool_fail(rc < 0 ? rc : ENAS_ENOMEM);
		if (enas_buf_add(&draft, text.data, text.len) < 0)
			tool_fail(ENAS_ENOMEM);
	}
	for (;;) {
		if (!noedit) {
			if ((rc = enas_write_atomic(dr->dir.data,
			    dr->copy.data + dr->dir.len + 1, draft.data,
			    draft.len, 0)) < 0) {
				tool_draft_remove(NULL);
				tool_fail(rc);
			}
			if (enas_editor_run(dr->copy.data) < 0 ||
			    enas_file_read(&text, dr->copy.data,
			    ENAS_RECORD_MAX + 1) < 0) {
				tool_draft_remove(NULL);
				/* TRANSLATORS: %s says what failed. */
				errx(2, _("%s; nothing written"),
				    enas_error_last());
			}
			/*
			 * Quit without saving (the template untouched, or
			 * the errors shown), or everything deleted: the
			 * user gives up.
			 */
			skip = enas_editor_unmark(text.data, text.len);
			if ((text.len == draft.len && memcmp(text.data,
			    draft.data, draft.len) == 0) ||
			    enas_editor_blank(text.data + skip,
			    text.len - skip)) {
				tool_draft_remove(NULL);
				fputs(_("enas-new: nothing written\n"),
				    stderr);
				status = 1;
				goto done;
			}
			/* comment lines left empty: the lines keep their
			 * numbers in the diagnostics */
			body.len = 0;
			if (enas_buf_add(&body, text.data + skip, text.len -
			    skip) < 0 || enas_editor_strip(&checked,
			    body.data, body.len, ENAS_STRIP_BLANK) < 0)
				tool_fail(ENAS_ENOMEM);
			dr->seen = &body;
			dr->blanked = &checked;
		} else if ((checked.len = 0, enas_buf_add(&checked, text.data,
		    text.len)) < 0)
			tool_fail(ENAS_ENOMEM);
		errors = check_text(&path, id, repo, r, &checked, drawn, commit,
		    &tree, &head);
		if (errors == 0)
			break;
		if (noedit || dr->shown.nomem || !tool_again()) {
			if (!noedit)
				tool_draft_remove(NULL);
			fputs(_("enas-new: nothing written\n"), stderr);
			status = 1;
			goto done;
		}
		if (enas_editor_mark(&draft, body.data, body.len,
		    &dr->shown) < 0)
			tool_fail(ENAS_ENOMEM);
	}
	/* What is written: no comment, no field left empty. */
	dr->seen = dr->blanked = NULL;
	if ((rc = enas_editor_strip(&checked, text.data + skip, text.len -
	    skip, 0)) < 0 || (rc = enas_template_tidy(&final, checked.data,
	    checked.len)) < 0)
		tool_fail(rc);
	if (!given)
		realign(&final, drawn, repo, r, office);

	/* Under the lock: check again against what HEAD is now, write. */
	for (tries = 0;; tries++) {
		if ((rc = enas_repo_lock(&lock, repo)) < 0) {
			if (!noedit)
				warnx(_("your record is kept in %s"),
				    dr->copy.data);
			tool_fail(rc);
		}
		if (strcmp(id, drawn) != 0 || !taken(repo, r, id))
			break;
		/* drawn meanwhile by another clone's tool in this one */
		enas_lock_release(lock);
		lock = NULL;
		if (!noedit || given || tries >= DRAWS)
			errx(2, _("the id %s was taken meanwhile; run again"),
			    id);
		draw(drawn, repo, r, office, id_year(r, set, nset));
		text.len = 0;
		if ((rc = enas_template(&text, r, drawn, set, nset,
		    refs)) < 0 ||
		    (rc = enas_template_tidy(&final, text.data,
		    text.len)) < 0)
			tool_fail(rc);
	}
	if (check_text(&path, id, repo, r, &final, drawn, commit, &tree,
	    &head) != 0) {
		enas_lock_release(lock);
		if (!noedit)
			warnx(_("your record is kept in %s"), dr->copy.data);
		status = 1;
		goto done;
	}
	/* git's own locks, before anything is written */
	if (commit && enas_commit_locks(repo) < 0) {
		warnx("%s", enas_error_last());
		if (!noedit)
			warnx(_("your record is kept in %s"), dr->copy.data);
		errx(2, "%s", _("nothing written"));

	}
	if ((rc = enas_write_atomic(enas_repo_workdir(repo), path.data,
	    final.data, final.len, ENAS_WRITE_NEW)) < 0)
		tool_fail(rc);
	if (commit) {
		ch.path = path.data;
		ch.buf = final.data;
		ch.len = final.len;
		ch.mode = 0;
		if (enas_buf_printf(&msg, "%s %s: new\n", r->kind, id) < 0 ||
		    (rc = enas_commit_create(NULL, repo, &tree, &head,
		    msg.data, &ch, 1)) < 0)
			tool_fail(rc < 0 ? rc : ENAS_ENOMEM);
	}
	enas_lock_release(lock);
	if (!noedit)
		tool_draft_remove(NULL);
	printf("%s\n", id);
done:
	enas_kinds_free(kinds);
	enas_snapshot_free(rsnap);
	enas_repo_free(repo);
	enas_buf_free(&text);
	enas_buf_free(&final);
	enas_buf_free(&path);
	enas_buf_free(&dr->dir);
	enas_buf_free(&dr->copy);
	enas_buf_free(&cfg);
	enas_buf_free(&msg);
	enas_buf_free(&draft);
	enas_buf_free(&checked);
	enas_buf_free(&body);
	enas_diags_clear(&dr->shown);
	enas_template_refs_free(refs);
	free(set);
	tool_flush_stdout();
	return status;
}
