/*
 * stats.c: aggregate committed records (SPEC §7).
 *
 * A question is compiled against the rules of the commit it reads into
 * an extraction: what one record yields (stats_yield.c).  Counting is
 * adding up yields: over one tree (here), or, for --history, over the
 * differences between the trees at consecutive period ends
 * (stats_history.c).  stats_int.h says which file holds which idea.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commit.h"
#include "i18n.h"
#include "layout.h"
#include "stats_int.h"

/* --- one snapshot --- */

/*
 * A directory of the kind (a year), whose records yield, in the cache
 * under the tree's id, the concatenation of their yields (each after
 * its length): a second run reads neither the directory nor a record
 * of it when the directory has not changed.
 */
struct dir {
	git_oid id;
	size_t lo, hi;		/* its blobs in the listing, unless cached */
	int cached;
};

struct listing {
	struct run *s;
	git_oid *ids;
	size_t n, cap;
	struct dir *dirs;
	size_t ndirs, capdirs;
	const char *dir;	/* the directory being listed, or NULL */
};

int
stats_not_a_file(struct run *s, const char *path, unsigned mode)
{
	if (mode == GIT_FILEMODE_LINK)
		return enas_error_set(ENAS_EDATA, _("%s%s: is a symbolic link; "
		    "records are regular files (run enas-check)"), s->prefix,
		    path);
	if (mode == GIT_FILEMODE_COMMIT)
		return enas_error_set(ENAS_EDATA, _("%s%s: is a submodule; "
		    "records are regular files (run enas-check)"), s->prefix,
		    path);
	return enas_error_set(ENAS_EDATA, _("%s%s: is not a regular file; "
	    "records are regular files (run enas-check)"), s->prefix, path);
}

/* Whether dir/path (below the kind's directory) is a record's place. */
static int
in_layout(const struct run *s, const char *dir, const char *path)
{
	char rel[1024];

	if (dir && (size_t)snprintf(rel, sizeof(rel), "%s/%s", dir, path) >=
	    sizeof(rel))
		return 0;
	return enas_layout_kind_path(s->c.rules, dir ? rel : path);
}

static int
list_cb(void *ctx, const char *path, const git_oid *old, const git_oid *new,
    unsigned mode)
{
	struct listing *l = ctx;
	git_oid *nv;
	size_t cap;

	(void)old;
	/* Only what enas-check accepts is counted (lib/layout). */
	if (!in_layout(l->s, l->dir, path))
		return 0;
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return stats_not_a_file(l->s, path, mode);
	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 1024;
		if (!(nv = enas_realloc(l->ids, cap * sizeof(*nv))))
			return ENAS_ENOMEM;
		l->ids = nv;
		l->cap = cap;
	}
	git_oid_cpy(&l->ids[l->n++], new);
	return stats_need(l->s, new, path);
}

/* The records/<dir> tree of a commit; 0 when there is none. */
int
stats_kind_tree(struct run *s, git_oid *out, const git_oid *commit)
{
	struct enas_buf path = ENAS_BUF_INIT;
	int rc;

	if ((rc = enas_buf_printf(&path, ENAS_RECORDS_DIR "/%s",
	    s->c.rules->dir)) < 0)
		return rc;
	rc = enas_tree_at(out, s->git, commit, path.data);
	enas_buf_free(&path);
	return rc;
}

/*
 * What names the files of a commit in diagnostics: "records/DIR/", or
 * "3f2a9c1:records/DIR/" for a commit that is not HEAD; dir NULL for
 * the commit alone ("" or "3f2a9c1:").
 */
void
stats_set_prefix(struct run *s, const git_oid *commit, const char *dir)
{
	git_oid head;
	size_t n = 0;

	s->prefix[0] = '\0';
	if (git_reference_name_to_id(&head, s->git, "HEAD") < 0 ||
	    !git_oid_equal(&head, commit)) {
		git_oid_tostr(s->prefix, 8, commit);
		n = strlen(s->prefix);
		s->prefix[n++] = ':';
		s->prefix[n] = '\0';
	}
	if (dir)
		snprintf(s->prefix + n, sizeof(s->prefix) - n, "%s/%s/",
		    ENAS_RECORDS_DIR, dir);
}

/* Read a directory's entry from the cache, or list its records. */
static int
list_dir(struct listing *l, const git_tree_entry *e)
{
	struct run *s = l->s;
	struct dir *d;
	size_t len = strlen(s->prefix), cap;
	int rc;

	if (l->ndirs == l->capdirs) {
		cap = l->capdirs ? l->capdirs * 2 : 16;
		if (!(d = enas_realloc(l->dirs, cap * sizeof(*d))))
			return ENAS_ENOMEM;
		l->dirs = d;
		l->capdirs = cap;
	}
	d = &l->dirs[l->ndirs++];
	git_oid_cpy(&d->id, git_tree_entry_id(e));
	d->lo = d->hi = l->n;
	if ((d->cached = enas_blobcache_get(s->cache, &d->id, &cap) != NULL))
		return 0;
	if (len + strlen(git_tree_entry_name(e)) + 2 > sizeof(s->prefix))
		return enas_error_set(ENAS_EDATA, _("%s%s: a path too long"),
		    s->prefix, git_tree_entry_name(e));
	snprintf(s->prefix + len, sizeof(s->prefix) - len, "%s/",
	    git_tree_entry_name(e));
	l->dir = git_tree_entry_name(e);
	rc = enas_tree_each(s->git, &d->id, list_cb, l);
	l->dir = NULL;
	s->prefix[len] = '\0';
	l->dirs[l->ndirs - 1].hi = l->n;
	return rc;
}

/* Put what a directory yields, from its records', in the cache. */
static int
cache_dir(struct run *s, const struct listing *l, const struct dir *d)
{
	struct enas_buf b = ENAS_BUF_INIT;
	const unsigned char *p;
	size_t i, len;
	int rc = 0;

	for (i = d->lo; i < d->hi && rc == 0; i++) {
		if (!(p = enas_blobcache_get(s->cache, &l->ids[i], &len)))
			rc = enas_error_set(ENAS_EGIT,
			    _("a blob was not read"));
		else if ((rc = stats_put_varint(&b, len)) == 0)
			rc = enas_buf_add(&b, p, len);
	}
	if (rc == 0)
		rc = enas_blobcache_put(s->cache, &d->id, b.data ? b.data : "",
		    b.len);
	enas_buf_free(&b);
	return rc;
}

static int
apply_dir(struct run *s, struct cells *t, const struct dir *d)
{
	struct rd r;
	size_t len;
	unsigned long long n;
	int rc;

	if (!(r.p = enas_blobcache_get(s->cache, &d->id, &len)))
		return enas_error_set(ENAS_EGIT, _("a directory was not read"));
	r.end = r.p + len;
	r.bad = 0;
	while (r.p < r.end) {
		n = stats_get_varint(&r);
		if (r.bad || n > (unsigned long long)(r.end - r.p))
			return enas_error_set(ENAS_EIO, _("a damaged entry in "
			    "the statistics cache; remove "
			    ".git/enas/stats-cache"));
		if ((rc = stats_apply_yield(s, t, r.p, (size_t)n, 1, 1, 0)) < 0)
			return rc;
		r.p += n;
		s->cached += d->cached;
	}
	return 0;
}

static int
snapshot(struct run *s, struct cells *t, const git_oid *commit)
{
	struct listing l;
	const git_tree_entry *e;
	git_tree *top = NULL;
	git_oid tree;
	size_t i, n, blobs;
	int rc;

	memset(&l, 0, sizeof(l));
	l.s = s;
	if ((rc = stats_kind_tree(s, &tree, commit)) <= 0)
		return rc;
	stats_set_prefix(s, commit, s->c.rules->dir);
	if (git_tree_lookup(&top, s->git, &tree) < 0)
		return enas_repo_error(s->prefix);
	n = git_tree_entrycount(top);
	rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		e = git_tree_entry_byindex(top, i);
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
			rc = list_dir(&l, e);
		else
			rc = list_cb(&l, git_tree_entry_name(e), NULL,
			    git_tree_entry_id(e), git_tree_entry_filemode(e));
	}
	/* The records not in a directory. */
	blobs = l.n;
	for (i = 0; i < l.ndirs; i++)
		blobs -= l.dirs[i].hi - l.dirs[i].lo;
	if (rc < 0 || (rc = stats_read_jobs(s)) < 0)
		goto out;
	for (i = 0; i < l.ndirs && rc == 0; i++)
		if (!l.dirs[i].cached)
			rc = cache_dir(s, &l, &l.dirs[i]);
	for (i = 0; i < l.ndirs && rc == 0; i++)
		rc = apply_dir(s, t, &l.dirs[i]);
	for (i = 0; i < l.n && rc == 0 && blobs; i++) {
		size_t k;
		int inside = 0;

		for (k = 0; k < l.ndirs && !inside; k++)
			inside = i >= l.dirs[k].lo && i < l.dirs[k].hi;
		if (!inside)
			rc = stats_apply(s, t, &l.ids[i], 1, 1, 0);
	}
out:
	git_tree_free(top);
	free(l.ids);
	free(l.dirs);
	return rc;
}
/* --- the whole question --- */

/* The commit to read: q->rev or HEAD, then -a's day on its line. */
static int
resolve(struct run *s, git_oid *out)
{
	const struct enas_stats_query *q = s->c.q;
	struct enas_line *line = NULL;
	git_object *obj = NULL, *peeled = NULL;
	char day[11];
	size_t n, i;
	int rc;

	if (!q->rev && git_repository_head_unborn(s->git) == 1)
		return enas_error_set(ENAS_EGIT, _("the repository has no "
		    "commits yet: there is nothing to count"));
	if (git_revparse_single(&obj, s->git, q->rev ? q->rev : "HEAD") < 0)
		return enas_error_set(ENAS_EGIT, _("'%s' names no commit in "
		    "this repository"), q->rev ? q->rev : "HEAD");
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return enas_error_set(ENAS_EGIT, _("'%s' is not a commit"),
		    q->rev ? q->rev : "HEAD");
	git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	if (q->at < 0)
		return 0;
	if ((rc = enas_tree_line(&line, &n, s->git, out)) < 0)
		return rc;
	for (i = 0; i < n && line[i].day > q->at; i++)
		;
	if (i == n) {
		enas_date_format(day, q->at);
		free(line);
		return enas_error_set(ENAS_EGIT, _("no commit on the "
		    "first-parent line of %s was made by the end of %s"),
		    q->rev ? q->rev : "HEAD", day);
	}
	git_oid_cpy(out, &line[i].id);
	free(line);
	return 0;
}

static char *
cache_path(struct run *s)
{
	struct enas_buf p = ENAS_BUF_INIT;
	const char *dir = git_repository_commondir(s->git);

	if (enas_buf_printf(&p, "%s%senas/stats-cache/%s-%016llx", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", s->c.rules->dir,
	    (unsigned long long)stats_hash(s->c.sig.data, s->c.sig.len)) < 0)
		return NULL;
	return p.data;
}

int
enas_stats_run(struct enas_stats **out, struct enas_repo *repo,
    const struct enas_stats_query *q, enas_diag_fn fn, void *ctx)
{
	struct enas_stats *st = NULL;
	struct run s;
	struct cells t;
	struct priv *pv;
	git_oid commit;
	struct enas_buf unit = ENAS_BUF_INIT;
	char *path = NULL;
	size_t i;
	int rc;

	*out = NULL;
	memset(&s, 0, sizeof(s));
	s.c.q = q;
	s.git = enas_repo_git(repo);
	s.fn = fn;
	s.ctx = ctx;
	stats_cells_init(&t, 1, 1);
	if (q->history && !q->interval)
		return enas_error_set(ENAS_EUSAGE, _("--history needs a "
		    "period: -D, -W, -M, -Q or -Y"));
	if (q->history && q->at >= 0)
		return enas_error_set(ENAS_EUSAGE, _("--history and -a exclude "
		    "each other"));
	if (q->begin >= 0 && q->end >= 0 && q->begin >= q->end)
		return enas_error_set(ENAS_EUSAGE, _("the period is empty: -b "
		    "is not before -e"));
	if ((rc = resolve(&s, &commit)) < 0)
		return rc;
	stats_set_prefix(&s, &commit, NULL);
	if ((rc = stats_compile(&s, &commit)) < 0 ||
	    (rc = stats_ex_init(&s.x, &s.c)) < 0)
		goto out;
	if (q->cache && !(path = cache_path(&s))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	if ((rc = enas_blobcache_open(&s.cache, path, s.c.sig.data,
	    s.c.sig.len)) < 0)
		goto out;
	if (!(st = enas_calloc(1, sizeof(*st))) ||
	    !(pv = st->priv = enas_calloc(1, sizeof(*pv))) ||
	    !(s.tabs = enas_calloc(s.c.ng + 1, sizeof(*s.tabs)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	pv->tabs = s.tabs;	/* the result owns them from here */
	pv->ntabs = s.c.ng;
	if (!(s.key = enas_calloc(s.c.ng + 1, sizeof(*s.key))) ||
	    !(s.sums = enas_calloc(s.c.ns + 1, sizeof(*s.sums)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	st->interval = q->interval;
	st->history = q->history;
	st->min_cell = q->min_cell;
	st->ngroups = s.c.ng;
	st->nsums = s.c.ns;
	st->group_names = (const char **)q->groups;
	st->sum_names = (const char **)q->sums;
	git_oid_tostr(st->commit, sizeof(st->commit), &commit);
	stats_cells_init(&t, 1 + s.c.ng, 1 + s.c.ns);
	if (q->history)
		rc = stats_history(&s, st, &t, &commit);
	else if ((rc = snapshot(&s, &t, &commit)) == 0)
		rc = stats_flow_periods(&s, st, &t);
	if (rc < 0)
		goto out;
	if (q->cache)
		enas_blobcache_save(s.cache, CACHE_KEEP);
	if ((rc = stats_build_rows(&s, st, &t)) < 0 ||
	    (rc = stats_tables(&s, st)) < 0)
		goto out;
	st->left_out = s.c.consent ? s.left_out : -1;
	st->blobs_read = s.read;
	st->blobs_cached = s.cached;
	for (i = 0; i < s.c.nit; i++)
		if (enas_buf_printf(&unit, "%s%s", i ? "," : "",
		    s.c.iter[i]) < 0) {
			rc = ENAS_ENOMEM;
			goto out;
		}
	if (!(st->kind = enas_strdup(s.c.rules->kind)) ||
	    !(st->dir = enas_strdup(s.c.rules->dir)) ||
	    !(st->unit = enas_strdup(unit.data ? unit.data : "")) ||
	    (s.c.rules->date && !(st->date = enas_strdup(s.c.rules->date)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	*out = st;
	st = NULL;
	s.tabs = NULL;
out:
	if (st) {
		enas_stats_free(st);
		s.tabs = NULL;
	}
	if (s.tabs) {
		for (i = 0; i < s.c.ng; i++)
			stats_strtab_free(&s.tabs[i]);
		free(s.tabs);
	}
	enas_buf_free(&unit);
	enas_buf_free(&s.names);
	free(s.jobs);
	free(s.pending);
	free(s.key);
	free(s.sums);
	free(path);
	stats_cells_free(&t);
	stats_ex_free(&s.x);
	enas_blobcache_free(s.cache);
	stats_cq_free(&s.c);
	return rc;
}

void
enas_stats_free(struct enas_stats *st)
{
	size_t i;

	if (!st)
		return;
	stats_priv_free(st->priv);
	free((char *)st->kind);
	free((char *)st->dir);
	free((char *)st->date);
	free((char *)st->unit);
	free(st->periods);
	free(st->rows);
	free(st->totals);
	for (i = 0; st->values && i < st->ngroups; i++)
		free(st->values[i]);
	free(st->values);
	free(st->nvalues);
	free(st);
}

int
enas_stats_min_cell(long long *out, struct enas_repo *repo)
{
	struct enas_buf b = ENAS_BUF_INIT;
	int rc;

	*out = 11;
	if ((rc = enas_config_string(&b, repo, "enas.minCell")) <= 0)
		return rc;
	if (enas_int_parse(out, b.data, b.len) < 0 || *out < 3 ||
	    *out > 1000000)
		rc = enas_error_set(ENAS_EUSAGE, _("git config enas.minCell: "
		    "'%s' is not a whole number from 3 to 1000000"), b.data);
	else
		rc = 0;
	enas_buf_free(&b);
	return rc;
}
