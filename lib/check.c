/*
 * check.c: validate a snapshot's records, one by one and across them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comment.h"
#include "find.h"
#include "i18n.h"
#include "layout.h"
#include "record.h"

/* A value of a unique field, and where it stands. */
struct uval {
	const struct enas_field *f;
	char *value;
	char *file;
	int line, col;
	int checked;
};

struct kind {
	const struct enas_rules *rules;
	char *prefix;		/* "records/cases/" */
	int has_unique;
	int checked;		/* some record of it was checked */
	int full;		/* every record of it was checked */
};

struct enas_checker {
	const struct enas_snapshot *snap;
	struct enas_diag_count count;	/* the caller's fn, and errors */
	struct enas_kinds *set;	/* the snapshot's kinds (lib/kinds) */
	struct kind *kinds;	/* what the checker keeps of each */
	size_t nkinds;
	char *done;		/* per entry: checked already */
	struct uval *uvals;
	size_t nuvals, cap;
	struct enas_buf buf;
	char **dirs;		/* every directory of the snapshot, sorted */
	size_t ndirs;
	int dirs_built;
	const struct enas_rules **kv;	/* the kinds' rules, for the layout */
	struct enas_layout_kinds lk;
	const struct enas_snapshot *base;	/* of enas_checker_changes() */
	int layout_done;	/* the whole snapshot's layout was checked */
};

/*
 * The kinds of the snapshot, and for each what the checker keeps: its
 * directory's prefix, whether it has unique fields.  Rules that are not
 * all sound are ENAS_ERULES: no record is checked against half a set.
 */
static int
load_kinds(struct enas_checker *c)
{
	const struct enas_rules *r;
	struct enas_buf name = ENAS_BUF_INIT;
	size_t i, j, n;
	int rc;

	if ((rc = enas_kinds_load(&c->set, c->snap, enas_diag_counting,
	    &c->count)) < 0)
		return rc;
	if (enas_kinds_errors(c->set))
		return ENAS_ERULES;
	n = enas_kinds_count(c->set);
	if (!(c->kinds = enas_calloc(n + 1, sizeof(*c->kinds))))
		return ENAS_ENOMEM;
	for (i = 0; i < n; i++, c->nkinds++) {
		r = c->kinds[i].rules = enas_kinds_at(c->set, i);
		enas_rules_lint(r, enas_diag_counting, &c->count);
		name.len = 0;
		if ((rc = enas_buf_printf(&name, ENAS_RECORDS_DIR "/%s/",
		    r->dir)) < 0)
			break;
		if (!(c->kinds[i].prefix = enas_strdup(name.data))) {
			rc = ENAS_ENOMEM;
			break;
		}
		for (j = 0; j < r->nfields; j++)
			c->kinds[i].has_unique |= r->fields[j].unique &&
			    strcmp(r->fields[j].path, "id") != 0;
	}
	enas_buf_free(&name);
	return rc;
}

int
enas_checker_new(struct enas_checker **out, const struct enas_snapshot *snap,
    enas_diag_fn fn, void *ctx)
{
	struct enas_checker *c;
	size_t i;
	int rc;

	*out = NULL;
	if (!(c = enas_calloc(1, sizeof(*c))))
		return ENAS_ENOMEM;
	c->snap = snap;
	c->count.fn = fn;
	c->count.ctx = ctx;
	if (!(c->done = enas_calloc(snap->n + 1, 1))) {
		enas_checker_free(c);
		return ENAS_ENOMEM;
	}
	if ((rc = load_kinds(c)) < 0) {
		enas_checker_free(c);
		return rc;
	}
	if (!(c->kv = enas_calloc(c->nkinds + 1,
	    sizeof(const struct enas_rules *)))) {
		enas_checker_free(c);
		return ENAS_ENOMEM;
	}
	for (i = 0; i < c->nkinds; i++)
		c->kv[i] = c->kinds[i].rules;
	c->lk.rules = c->kv;
	c->lk.n = c->nkinds;
	*out = c;
	return 0;
}

void
enas_checker_free(struct enas_checker *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; c->kinds && i < c->nkinds; i++)
		free(c->kinds[i].prefix);
	enas_kinds_free(c->set);
	for (i = 0; i < c->nuvals; i++) {
		free(c->uvals[i].value);
		free(c->uvals[i].file);
	}
	free(c->uvals);
	free(c->kinds);
	free(c->kv);
	free(c->done);
	enas_buf_free(&c->buf);
	for (i = 0; i < c->ndirs; i++)
		free(c->dirs[i]);
	free(c->dirs);
	free(c);
}

/* What the checker keeps of the kind r (NULL: none). */
static struct kind *
keep(const struct enas_checker *c, const struct enas_rules *r)
{
	size_t i;

	for (i = 0; r && i < c->nkinds; i++)
		if (c->kinds[i].rules == r)
			return &c->kinds[i];
	return NULL;
}

/* A kind by its name or its directory. */
static struct kind *
find_kind(const struct enas_checker *c, const char *name)
{
	return keep(c, enas_kinds_find(c->set, name));
}

const struct enas_kinds *
enas_checker_kinds(const struct enas_checker *c)
{
	return c->set;
}

int
enas_checker_errors(const struct enas_checker *c)
{
	return c->count.errors;
}

/* The kind whose directory holds path, or NULL. */
static struct kind *
kind_of_path(const struct enas_checker *c, const char *path)
{
	return keep(c, enas_kinds_of_path(c->set, path));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every directory that holds a file of the snapshot ("records/cases/
 * 2024/"), sorted and unique: one pass over the entries, once.
 */
static int
build_dirs(struct enas_checker *c)
{
	const struct enas_snapshot *s = c->snap;
	const char *last = NULL, *slash;
	size_t i, j, len, lastlen = 0, cap = 0;
	char **d;

	if (c->dirs_built)
		return 0;
	for (i = 0; i < s->n; i++) {
		if (!(slash = strrchr(s->entries[i].path, '/')))
			continue;
		len = (size_t)(slash - s->entries[i].path) + 1;
		if (last && len == lastlen && memcmp(last, s->entries[i].path,
		    len) == 0)
			continue;
		if (c->ndirs == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(d = enas_realloc(c->dirs, cap * sizeof(*d))))
				return ENAS_ENOMEM;
			c->dirs = d;
		}
		if (!(c->dirs[c->ndirs] = enas_strndup(s->entries[i].path,
		    len)))
			return ENAS_ENOMEM;
		c->ndirs++;
		last = s->entries[i].path;
		lastlen = len;
	}
	if (c->ndirs)
		qsort(c->dirs, c->ndirs, sizeof(*c->dirs), cmp_str);
	for (i = j = 0; i < c->ndirs; i++) {
		if (j && strcmp(c->dirs[j - 1], c->dirs[i]) == 0) {
			free(c->dirs[i]);
			continue;
		}
		c->dirs[j++] = c->dirs[i];
	}
	c->ndirs = j;
	c->dirs_built = 1;
	return 0;
}

/*
 * Call fn for each file of the snapshot below dir (ending in '/') named
 * name, at any depth: the places a record of an id can stand.  Each
 * directory below dir costs one binary search, whatever it holds.
 * Stops when fn returns non-zero, and returns that.
 */
static int
each_named(struct enas_checker *c, const char *dir, const char *name,
    int (*fn)(void *, const struct enas_entry *), void *ctx)
{
	struct enas_buf path = ENAS_BUF_INIT;
	const struct enas_entry *e;
	size_t i, dlen = strlen(dir);
	int rc;

	if ((rc = build_dirs(c)) < 0)
		return rc;
	for (i = 0, rc = 0; i < c->ndirs && rc == 0; i++) {
		if (strncmp(c->dirs[i], dir, dlen) != 0)
			continue;
		path.len = 0;
		if (enas_buf_puts(&path, c->dirs[i]) < 0 ||
		    enas_buf_puts(&path, name) < 0) {
			rc = ENAS_ENOMEM;
			break;
		}
		if ((e = enas_snapshot_find(c->snap, path.data)))
			rc = fn(ctx, e);
	}
	enas_buf_free(&path);
	return rc;
}

static int
found(void *ctx, const struct enas_entry *e)
{
	(void)ctx;
	(void)e;
	return 1;
}

/* Whether a record of kind k has the id (a file <id>.yaml in its dir). */
static int
has_id(struct enas_checker *c, const struct kind *k, const char *id,
    size_t len)
{
	struct enas_buf name = ENAS_BUF_INIT;
	int rc;

	if (memchr(id, '/', len))
		return 0;
	if (enas_buf_add(&name, id, len) < 0 ||
	    enas_buf_puts(&name, ".yaml") < 0)
		rc = ENAS_ENOMEM;
	else
		rc = each_named(c, k->prefix, name.data,
		    found, NULL);
	enas_buf_free(&name);
	return rc;
}

struct refcheck {
	struct enas_checker *c;
	struct kind *target;
	const struct enas_field *f;
	const char *file;
	int status;
};

static int
check_ref(void *ctx, const struct enas_node *n)
{
	struct refcheck *rc = ctx;
	const struct enas_node *item;

	if (n->type == ENAS_SEQ) {
		for (item = n->child; item; item = item->next)
			check_ref(ctx, item);
		return 0;
	}
	if (n->type != ENAS_SCALAR || n->len == 0 ||
	    memchr(n->value, '\0', n->len))
		return 0;
	if ((rc->status = has_id(rc->c, rc->target, n->value, n->len)) < 0)
		return 1;
	if (rc->status == 0)
		enas_diag_report(enas_diag_counting, &rc->c->count, rc->file,
		    n->line, n->col, rc->f->level, rc->f->path, rc->f->message,
		    /* TRANSLATORS: a kind of record, then an id */
		    _("no %s record has the id '%.*s'"),
		    rc->target->rules->kind, n->len > 40 ? 40 : (int)n->len,
		    n->value);
	return 0;
}

static int
collect_unique(struct enas_checker *c, const struct enas_field *f,
    const struct enas_node *n, const char *file, int checked)
{
	struct uval *u;

	if (n->type != ENAS_SCALAR || n->len == 0)
		return 0;
	if (c->nuvals == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		if (!(u = enas_realloc(c->uvals, c->cap * sizeof(*u))))
			return ENAS_ENOMEM;
		c->uvals = u;
	}
	u = &c->uvals[c->nuvals];
	u->f = f;
	u->line = n->line;
	u->col = n->col;
	u->checked = checked;
	if (!(u->value = enas_strndup(n->value, n->len)))
		return ENAS_ENOMEM;
	if (!(u->file = enas_strdup(file))) {
		free(u->value);
		return ENAS_ENOMEM;
	}
	c->nuvals++;
	return 0;
}

struct ucollect {
	struct enas_checker *c;
	const struct enas_field *f;
	const char *file;
	int checked;
	int status;
};

static int
each_unique(void *ctx, const struct enas_node *n)
{
	struct ucollect *u = ctx;

	if ((u->status = collect_unique(u->c, u->f, n, u->file,
	    u->checked)) < 0)
		return 1;
	return 0;
}

static int
unique_values(struct enas_checker *c, const struct enas_rules *r,
    const struct enas_record *rec, int checked)
{
	struct ucollect u = { c, NULL, rec->file, checked, 0 };
	size_t i;

	for (i = 0; i < r->nfields; i++) {
		if (!r->fields[i].unique || strcmp(r->fields[i].path,
		    "id") == 0)
			continue;
		u.f = &r->fields[i];
		enas_node_each(rec->root, u.f->path, each_unique, &u);
		if (u.status < 0)
			return u.status;
	}
	return 0;
}

/* Another file with a record's id: a duplicate, on the record's line. */
struct dupcheck {
	struct enas_checker *c;
	const struct enas_record *rec;
	const struct enas_node *id;
	const char *relpath;
	const char *stem;
};

static int
duplicate(void *ctx, const struct enas_entry *e)
{
	struct dupcheck *d = ctx;

	if (strcmp(e->path, d->relpath) != 0)
		enas_diag_report(enas_diag_counting, &d->c->count, d->rec->file,
		    d->id->line, d->id->col, ENAS_ERROR, "id", NULL,
		    /* TRANSLATORS: an id, then a file */
		    _("duplicate id: %s is also the id of %s; renumber one "
		    "of them (a new id, its file renamed to match)"), d->stem,
		    e->path);
	return 0;
}

/*
 * The checks of one parsed record: its rules, its id against its file
 * name and place, its refs, and duplicate ids.
 */
static int
check_record(struct enas_checker *c, struct kind *k,
    const struct enas_record *rec, const char *relpath)
{
	const struct enas_rules *r = k->rules;
	const struct enas_node *id;
	struct enas_buf want = ENAS_BUF_INIT;
	struct refcheck ref = { c, NULL, NULL, rec->file, 0 };
	struct dupcheck dup = { c, NULL, NULL, NULL, NULL };
	char sbuf[256];
	size_t i;
	int rc;

	if ((rc = enas_rules_check(r, rec, enas_diag_counting, &c->count)) < 0)
		return rc;
	id = enas_node_get(rec->root, "id");
	if (relpath && id && id->type == ENAS_SCALAR && id->len) {
		enas_id_of_path(sbuf, sizeof(sbuf), relpath);
		if (strlen(sbuf) != id->len || memcmp(sbuf, id->value,
		    id->len) != 0)
			enas_diag_report(enas_diag_counting, &c->count,
			    rec->file, id->line, id->col, ENAS_ERROR, "id",
			    /* TRANSLATORS: an id, then a file name */
			    NULL, _("'%.*s' differs from the file name "
			    "%s.yaml; a record's file is named by its id"),
			    id->len > 40 ? 40 : (int)id->len,
			    id->value, sbuf);
		else if (enas_rules_record_path(&want, r, rec) == 0 &&
		    (strncmp(relpath, k->prefix, strlen(k->prefix)) != 0 ||
		    strcmp(relpath + strlen(k->prefix), want.data) != 0))
			enas_diag_report(enas_diag_counting, &c->count,
			    rec->file, id->line, id->col, ENAS_ERROR, "id",
			    /* TRANSLATORS: a directory and a file name,
			       then the rules' path pattern */
			    NULL, _("the record belongs at %s%s (path: %s); "
			    "move it there with git mv"),
			    k->prefix, want.data, r->path);
		dup.rec = rec;
		dup.id = id;
		dup.relpath = relpath;
		dup.stem = sbuf;
		want.len = 0;
		if (enas_buf_printf(&want, "%s.yaml", sbuf) < 0 ||
		    (rc = each_named(c, k->prefix, want.data, duplicate,
		    &dup)) < 0) {
			rc = rc < 0 ? rc : ENAS_ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < r->nfields; i++) {
		if (!r->fields[i].ref)
			continue;
		ref.f = &r->fields[i];
		/* Rules whose refs name no kind were refused. */
		if (!(ref.target = find_kind(c, ref.f->ref)))
			continue;
		enas_node_each(rec->root, ref.f->path, check_ref, &ref);
		if ((rc = ref.status) < 0)
			goto out;
		rc = 0;
	}
	if (k->has_unique)
		rc = unique_values(c, r, rec, 1);
	k->checked = 1;
out:
	enas_buf_free(&want);
	return rc;
}

/* The kind whose id pattern a record's id matches, or NULL. */
static struct kind *
kind_of_record(const struct enas_checker *c, const struct enas_record *rec)
{
	const struct enas_node *id = enas_node_get(rec->root, "id");

	if (!id || id->type != ENAS_SCALAR)
		return NULL;
	return keep(c, enas_kinds_of_id(c->set, id->value, id->len));
}

int
enas_checker_buffer(struct enas_checker *c, const char *name,
    const char *relpath, const char *buf, size_t len)
{
	struct enas_record *rec = NULL;
	struct kind *k = NULL;
	int rc;

	if (relpath && !(k = kind_of_path(c, relpath)))
		return 0;	/* not a record: nothing to say */
	rc = enas_record_parse(&rec, buf, len, name, 0, enas_diag_counting,
	    &c->count);
	if (rc == ENAS_EDATA)
		return 0;
	if (rc < 0)
		return rc;
	/* No comments: a name or a note would escape every rule there. */
	if ((rc = enas_comment_check(buf, len, name, enas_diag_counting,
	    &c->count)) < 0) {
		enas_record_free(rec);
		return rc;
	}
	if (!k && !(k = kind_of_record(c, rec))) {
		enas_diag_report(enas_diag_counting, &c->count, name, 1, 1,
		    ENAS_ERROR, "id", NULL,
		    /* TRANSLATORS: %s is the rules directory */
		    _("cannot tell the record's kind: its id matches no "
		    "kind's id pattern in %s"), ENAS_RULES_DIR);
		rc = 0;
	} else
		rc = check_record(c, k, rec, relpath);
	enas_record_free(rec);
	return rc;
}

/* Whether path's file name is <id>.yaml for an id of kind k. */
static int
named_by_id(const struct kind *k, const char *path)
{
	const char *base = strrchr(path, '/') + 1;
	size_t n = strlen(base);

	return n > 5 && base[0] != '.' && strcmp(base + n - 5, ".yaml") == 0 &&
	    enas_rules_id_ok(k->rules, base, n - 5);
}

/* The layout of one entry on its own (a file named on the command line). */
static int
layout_one(struct enas_checker *c, const struct enas_entry *e)
{
	const struct enas_snapshot *s = c->snap;
	struct enas_layout_path p = { e->path, e->mode, NULL };

	if (s->source == ENAS_INDEX)
		p.oid = &e->oid;
	return enas_layout_check_paths(&p, 1, NULL, &c->lk,
	    s->source == ENAS_WORKTREE ? enas_repo_workdir(s->repo) : NULL,
	    s->prefix, enas_diag_counting, &c->count) < 0 ? ENAS_ENOMEM : 0;
}

/* Whether the rules files of a and b differ (then so may the kinds). */
static int
rules_differ(const struct enas_snapshot *a, const struct enas_snapshot *b)
{
	size_t i = 0, j = 0, plen = strlen(ENAS_RULES_DIR "/");

	while (i < a->n && strncmp(a->entries[i].path, ENAS_RULES_DIR "/",
	    plen) < 0)
		i++;
	while (j < b->n && strncmp(b->entries[j].path, ENAS_RULES_DIR "/",
	    plen) < 0)
		j++;
	for (;; i++, j++) {
		int ia = i < a->n && strncmp(a->entries[i].path,
		    ENAS_RULES_DIR "/", plen) == 0;
		int ib = j < b->n && strncmp(b->entries[j].path,
		    ENAS_RULES_DIR "/", plen) == 0;

		if (!ia || !ib)
			return ia != ib;
		if (strcmp(a->entries[i].path, b->entries[j].path) != 0 ||
		    !git_oid_equal(&a->entries[i].oid, &b->entries[j].oid) ||
		    a->entries[i].mode != b->entries[j].mode)
			return 1;
	}
}

/*
 * The layout of the snapshot (SPEC §9): a commit's whole tree, what
 * changed since c->base's when the kinds are the same; the index's or
 * the working tree's paths, or with changed (one flag per entry) only
 * those and every path outside records/.
 */
static int
check_layout(struct enas_checker *c, const char *changed)
{
	const struct enas_snapshot *s = c->snap, *b = c->base;
	struct enas_layout_path *v = NULL;
	char *only = NULL;
	size_t i, j, k, n;
	int rc;

	c->layout_done = 1;
	if (s->has_tree) {
		rc = enas_layout_check_tree(enas_repo_git(s->repo), &s->tree,
		    b && b->has_tree && !rules_differ(s, b) ? &b->tree : NULL,
		    &c->lk, s->prefix, enas_diag_counting, &c->count);
		return rc < 0 ? rc : 0;
	}
	if (s->source == ENAS_COMMIT)
		return 0;	/* a commit is checked through its tree */
	n = s->n + s->nothers;
	if (!(v = enas_calloc(n + 1, sizeof(*v))) || (changed &&
	    !(only = enas_calloc(n + 1, 1)))) {
		free(v);
		return ENAS_ENOMEM;
	}
	/* others below "records/" first, then records/, then the rest */
	for (i = j = k = 0; k < n; k++) {
		const struct enas_entry *e;
		int other;

		other = j == s->n || (i < s->nothers &&
		    strcmp(s->others[i].path, ENAS_RECORDS_DIR "/") < 0);
		e = other ? &s->others[i++] : &s->entries[j++];
		v[k].path = e->path;
		v[k].mode = e->mode;
		v[k].oid = s->source == ENAS_INDEX ? &e->oid : NULL;
		if (only)
			only[k] = (char)(other || changed[j - 1]);
	}
	rc = enas_layout_check_paths(v, n, only, &c->lk,
	    s->source == ENAS_WORKTREE ? enas_repo_workdir(s->repo) : NULL,
	    s->prefix, enas_diag_counting, &c->count);
	free(v);
	free(only);
	return rc < 0 ? rc : 0;
}

int
enas_checker_entry(struct enas_checker *c, const struct enas_entry *e)
{
	const struct enas_snapshot *s = c->snap;
	struct enas_buf name = ENAS_BUF_INIT;
	struct kind *k;
	int rc = 0;

	if (e >= s->entries && e < s->entries + s->n) {
		if (c->done[e - s->entries])
			return 0;
		c->done[e - s->entries] = 1;
	}
	if (!(k = kind_of_path(c, e->path)))
		return 0;
	/*
	 * Outside the layout: said by its check, once.  A file named by an
	 * id of its kind is read all the same, wherever it stands, so that
	 * its own errors come with it (and where it belongs).
	 */
	if (!enas_layout_record_path(&c->lk, e->path, NULL) ||
	    e->mode != GIT_FILEMODE_BLOB) {
		if (!c->layout_done && (rc = layout_one(c, e)) < 0)
			return rc;
		if (e->mode != GIT_FILEMODE_BLOB || !named_by_id(k, e->path))
			return 0;
	}
	if (enas_buf_printf(&name, "%s%s", s->prefix, e->path) < 0)
		return ENAS_ENOMEM;
	if (e->conflict) {
		enas_diag_report(enas_diag_counting, &c->count, name.data, 0, 0,
		    ENAS_ERROR, NULL, NULL,
		    _("unresolved merge conflict: resolve it, then git add "
		    "the file"));
		goto out;
	}
	if ((rc = enas_snapshot_read(s, e, &c->buf, ENAS_RECORD_MAX + 1)) < 0) {
		if (rc == ENAS_EDATA) {
			enas_diag_report(enas_diag_counting, &c->count,
			    name.data, 0, 0, ENAS_ERROR, NULL, NULL, "%s",
			    enas_error_last());
			rc = 0;
		}
		goto out;
	}
	rc = enas_checker_buffer(c, name.data, e->path, c->buf.data,
	    c->buf.len);
out:
	enas_buf_free(&name);
	return rc;
}

int
enas_checker_all(struct enas_checker *c)
{
	size_t i;
	int rc;

	for (i = 0; i < c->nkinds; i++)
		c->kinds[i].full = 1;
	if (!c->layout_done && (rc = check_layout(c, NULL)) < 0)
		return rc;
	for (i = 0; i < c->snap->n; i++)
		if ((rc = enas_checker_entry(c, &c->snap->entries[i])) < 0)
			return rc;
	return 0;
}

static int
check_kind(struct enas_checker *c, struct kind *k)
{
	size_t i, plen = strlen(k->prefix);
	int rc;

	k->full = 1;
	for (i = 0; i < c->snap->n; i++)
		if (strncmp(c->snap->entries[i].path, k->prefix, plen) == 0 &&
		    (rc = enas_checker_entry(c, &c->snap->entries[i])) < 0)
			return rc;
	return 0;
}

int
enas_checker_delta(struct enas_checker *c, const struct enas_delta *d)
{
	const struct enas_snapshot *s = c->snap;
	size_t rlen = strlen(ENAS_RULES_DIR "/"), i, x, y;
	struct kind *k, *t;
	char *lost = NULL;
	int rc = 0;

	if (d->all)
		return enas_checker_all(c);
	/* A change of rules: everything is checked against the new ones. */
	for (i = 0; i < d->nchanged; i++)
		if (strncmp(s->entries[d->changed[i]].path, ENAS_RULES_DIR "/",
		    rlen) == 0)
			return enas_checker_all(c);
	for (i = 0; i < d->ndeleted; i++)
		if (strncmp(d->deleted[i], ENAS_RULES_DIR "/", rlen) == 0)
			return enas_checker_all(c);
	if (!(lost = enas_calloc(c->nkinds + 1, 1)))
		return ENAS_ENOMEM;
	if (!c->layout_done) {
		char *changed = enas_calloc(s->n + 1, 1);

		if (!changed) {
			rc = ENAS_ENOMEM;
			goto out;
		}
		for (i = 0; i < d->nchanged; i++)
			changed[d->changed[i]] = 1;
		rc = check_layout(c, changed);
		free(changed);
		if (rc < 0)
			goto out;
	}
	for (i = 0; i < d->ndeleted; i++)
		if ((k = kind_of_path(c, d->deleted[i])))
			lost[k - c->kinds] = 1;
	for (i = 0; i < d->nchanged; i++)
		if ((rc = enas_checker_entry(c, &s->entries[d->changed[i]])) <
		    0)
			goto out;
	/* A kind that lost records: whoever refers to it is checked again. */
	for (x = 0; x < c->nkinds; x++) {
		if (!lost[x])
			continue;
		for (y = 0; y < c->nkinds; y++) {
			t = &c->kinds[y];
			for (i = 0; i < t->rules->nfields && !t->full; i++)
				if (t->rules->fields[i].ref && find_kind(c,
				    t->rules->fields[i].ref) == &c->kinds[x] &&
				    (rc = check_kind(c, t)) < 0)
					goto out;
		}
	}
out:
	free(lost);
	return rc;
}

int
enas_checker_changes(struct enas_checker *c, const struct enas_snapshot *base)
{
	struct enas_delta d;
	int rc;

	c->base = base;
	if ((rc = enas_delta_between(&d, c->snap, base)) == 0)
		rc = enas_checker_delta(c, &d);
	c->base = NULL;
	enas_delta_free(&d);
	return rc;
}

static int
cmp_uval(const void *a, const void *b)
{
	const struct uval *x = a, *y = b;
	int d;

	if (x->f != y->f)
		return x->f < y->f ? -1 : 1;
	if ((d = strcmp(x->value, y->value)))
		return d;
	return strcmp(x->file, y->file);
}

int
enas_checker_finish(struct enas_checker *c)
{
	const struct enas_snapshot *s = c->snap;
	struct enas_record *rec;
	struct enas_buf name = ENAS_BUF_INIT;
	struct kind *k;
	size_t i, j, n;
	int rc = 0;

	/* Values of records not checked, for the kinds that need them. */
	for (i = 0; i < s->n; i++) {
		if (c->done[i] || !(k = kind_of_path(c, s->entries[i].path)) ||
		    !k->has_unique || !k->checked || k->full ||
		    !enas_layout_record_path(&c->lk, s->entries[i].path, NULL))
			continue;
		name.len = 0;
		if ((rc = enas_buf_printf(&name, "%s%s", s->prefix,
		    s->entries[i].path)) < 0)
			goto out;
		rc = enas_snapshot_read(s, &s->entries[i], &c->buf,
		    ENAS_RECORD_MAX + 1);
		if (rc == ENAS_EDATA)
			continue;
		if (rc < 0)
			goto out;
		if (enas_record_parse(&rec, c->buf.data, c->buf.len,
		    name.data, 0, NULL, NULL) < 0)
			continue;
		rc = unique_values(c, k->rules, rec, 0);
		enas_record_free(rec);
		if (rc < 0)
			goto out;
	}
	if (c->nuvals)
		qsort(c->uvals, c->nuvals, sizeof(*c->uvals), cmp_uval);
	for (i = 0; i < c->nuvals; i = j) {
		for (j = i + 1; j < c->nuvals && c->uvals[j].f ==
		    c->uvals[i].f && strcmp(c->uvals[j].value,
		    c->uvals[i].value) == 0; j++)
			;
		if (j - i < 2)
			continue;
		for (n = i; n < j; n++)
			if (c->uvals[n].checked)
				enas_diag_report(enas_diag_counting, &c->count,
				    c->uvals[n].file, c->uvals[n].line,
				    c->uvals[n].col, c->uvals[n].f->level,
				    c->uvals[n].f->path, c->uvals[n].f->message,
				    /* TRANSLATORS: a value, then a file */
				    _("'%.40s' is not unique: %s has it too"),
				    c->uvals[n].value,
				    c->uvals[n == i ? i + 1 : i].file);
	}
	rc = 0;
out:
	enas_buf_free(&name);
	return rc;
}
