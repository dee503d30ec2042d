/*
 * stats_history.c: --history, a snapshot at each period's end.  The
 * trees of the kind at consecutive period ends are diffed, so each
 * distinct blob is read once; the counts are carried from period to
 * period, adding the new versions of records and taking away the old.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "stats_int.h"

/* --- history --- */

struct change {
	git_oid id;
	uint32_t period;
	int sign;
};

struct changes {
	struct run *s;
	struct change *v;
	size_t n, cap;
	uint32_t period;
};

static int
add_change(struct changes *c, const git_oid *id, int sign)
{
	struct change *nv;
	size_t cap;

	if (c->n == c->cap) {
		cap = c->cap ? c->cap * 2 : 1024;
		if (!(nv = enas_realloc(c->v, cap * sizeof(*nv))))
			return ENAS_ENOMEM;
		c->v = nv;
		c->cap = cap;
	}
	git_oid_cpy(&c->v[c->n].id, id);
	c->v[c->n].period = c->period;
	c->v[c->n].sign = sign;
	c->n++;
	return 0;
}

static int
diff_cb(void *ctx, const char *path, const git_oid *old, const git_oid *new,
    unsigned mode)
{
	struct changes *c = ctx;
	int rc;

	/* Only what enas-check accepts is counted (lib/layout). */
	if (!enas_layout_kind_path(c->s->c.rules, path))
		return 0;
	if (old && (rc = add_change(c, old, -1)) < 0)
		return rc;
	if (!new)
		return 0;
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return stats_not_a_file(c->s, path, mode);
	if ((rc = add_change(c, new, 1)) < 0)
		return rc;
	return stats_need(c->s, new, path);
}

/*
 * The periods of a history: the query's span, or from the first
 * commit's period to the tip's; complete ones only when asked.
 */
static int
history_periods(struct run *s, struct enas_stats *st,
    const struct enas_line *line, size_t nline)
{
	const struct enas_stats_query *q = s->c.q;
	long long b, e, lo = line[0].day, hi = line[0].day;
	size_t i;

	for (i = 1; i < nline; i++) {
		if (line[i].day < lo)
			lo = line[i].day;
		if (line[i].day > hi)
			hi = line[i].day;
	}
	b = q->begin >= 0 ? q->begin : lo;
	e = q->end >= 0 ? q->end : enas_period_next(q->interval,
	    enas_period_start(q->interval, hi));
	return stats_periods(st, q, b, e);
}

/* The result table of a history: period index + 1 and groups. */
int
stats_history(struct run *s, struct enas_stats *st, struct cells *res,
    const git_oid *tip)
{
	const struct enas_stats_query *q = s->c.q;
	struct enas_line *line = NULL;
	struct changes ch = { s, NULL, 0, 0, 0 };
	struct cells cur;
	git_oid *trees = NULL, *prev = NULL;
	size_t nline, i, j, k;
	long long last, *v, *w;
	size_t np;
	int rc, *has = NULL;

	stats_cells_init(&cur, 1 + s->c.ng, 1 + s->c.ns);
	if ((rc = enas_tree_line(&line, &nline, s->git, tip)) < 0 ||
	    (rc = history_periods(s, st, line, nline)) < 0)
		goto out;
	np = st->nperiods;
	/* one more than needed: never a zero-sized allocation */
	if (!(trees = enas_calloc(np + 1, sizeof(*trees))) ||
	    !(has = enas_calloc(np + 1, sizeof(*has)))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	stats_set_prefix(s, tip, s->c.rules->dir);
	for (i = 0; i < np; i++) {
		last = enas_period_next(q->interval, st->periods[i]) - 1;
		for (j = 0; j < nline && line[j].day > last; j++)
			;
		if (j < nline && (rc = stats_kind_tree(s, &trees[i],
		    &line[j].id)) < 0)
			goto out;
		has[i] = j < nline && rc == 1;
		if (j < nline)
			stats_set_prefix(s, &line[j].id, s->c.rules->dir);
		ch.period = (uint32_t)i;
		if ((rc = enas_tree_diff(s->git, prev, has[i] ? &trees[i] :
		    NULL, diff_cb, &ch)) < 0)
			goto out;
		prev = has[i] ? &trees[i] : NULL;
	}
	if ((rc = stats_read_jobs(s)) < 0)
		goto out;
	for (i = 0, k = 0; i < st->nperiods; i++) {
		for (; k < ch.n && ch.v[k].period == i; k++)
			if ((rc = stats_apply(s, &cur, &ch.v[k].id,
			    ch.v[k].sign, 0, 0)) < 0)
				goto out;
		for (j = 0; j < cur.n; j++) {
			v = cur.vals + j * cur.vlen;
			if (!v[0])
				continue;
			memcpy(s->key, cur.keys + j * cur.klen,
			    cur.klen * sizeof(*s->key));
			s->key[0] = (uint32_t)i + 1;
			if (!(w = stats_cells_get(res, s->key, 1))) {
				rc = ENAS_ENOMEM;
				goto out;
			}
			memcpy(w, v, cur.vlen * sizeof(*v));
		}
	}
out:
	stats_cells_free(&cur);
	free(line);
	free(ch.v);
	free(trees);
	free(has);
	return rc;
}
