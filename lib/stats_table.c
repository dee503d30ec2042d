/*
 * stats_table.c: the result of a run: its periods, its rows in order
 * (by period, then by each group's values: bands in their order, whole
 * numbers as numbers, other values as bytes), and its tables, with
 * suppression and the totals a table prints.
 */
#include <stdlib.h>
#include <string.h>

#include "suppress.h"
#include "stats_int.h"

/* --- the result --- */

/* Order of the values of group i, by id: qsort_r's argument. */
struct rank_ctx {
	const struct gcol *g;
	const struct strtab *t;
};

static int
band_index(const struct enas_field *f, const char *s)
{
	size_t i;

	for (i = 0; i < f->nbands; i++)
		if (strcmp(f->bands[i].name, s) == 0)
			return (int)i;
	return (int)f->nbands;
}

static int
cmp_value(const void *a, const void *b, void *arg)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct rank_ctx *rc = arg;
	const char *sx, *sy;
	long long ix, iy;
	int bx, by;

	if (!x || !y)
		return (x == 0) - (y == 0);
	sx = rc->t->v[x - 1];
	sy = rc->t->v[y - 1];
	if (rc->g->t == T_BAND) {
		bx = band_index(rc->g->f, sx);
		by = band_index(rc->g->f, sy);
		if (bx != by)
			return bx < by ? -1 : 1;
	} else if (rc->g->t == T_NONE && rc->g->f->type == ENAS_INT &&
	    enas_int_parse(&ix, sx, strlen(sx)) == 0 &&
	    enas_int_parse(&iy, sy, strlen(sy)) == 0 && ix != iy)
		return ix < iy ? -1 : 1;
	return strcmp(sx, sy);
}

static int
ranks(struct run *s, struct priv *pv)
{
	struct rank_ctx ctx;
	uint32_t *order;
	size_t i, j;

	if (s->c.ng && !(pv->ranks = enas_calloc(s->c.ng,
	    sizeof(*pv->ranks))))
		return ENAS_ENOMEM;
	for (i = 0; i < s->c.ng; i++) {
		if (!(order = enas_malloc((s->tabs[i].n + 1) *
		    sizeof(*order))) || !(pv->ranks[i] = enas_malloc(
		    (s->tabs[i].n + 1) * sizeof(*pv->ranks[i])))) {
			free(order);
			return ENAS_ENOMEM;
		}
		for (j = 0; j <= s->tabs[i].n; j++)
			order[j] = (uint32_t)j;
		ctx.g = &s->c.g[i];
		ctx.t = &s->tabs[i];
		qsort_r(order, s->tabs[i].n + 1, sizeof(*order), cmp_value,
		    &ctx);
		for (j = 0; j <= s->tabs[i].n; j++)
			pv->ranks[i][order[j]] = (uint32_t)j;
		free(order);
	}
	return 0;
}

/* Order of rows' group keys, by rank: qsort_r's argument. */
struct key_ctx {
	const struct priv *pv;
	size_t n;
};

static int
cmp_key(const void *a, const void *b, void *arg)
{
	const struct key_ctx *k = arg;
	const uint32_t *x = a, *y = b;
	uint32_t *const *rk = k->pv->ranks;
	size_t i;

	for (i = 0; i < k->n; i++)
		if (rk[i][x[i]] != rk[i][y[i]])
			return rk[i][x[i]] < rk[i][y[i]] ? -1 : 1;
	return 0;
}

/*
 * Add to st the periods from the one holding day b up to day e
 * (exclusive), but only those over by q->today when q->complete.
 */
int
stats_periods(struct enas_stats *st, const struct enas_stats_query *q,
    long long b, long long e)
{
	long long p, *nv;
	size_t cap = st->nperiods;

	for (p = enas_period_start(q->interval, b); p < e;
	    p = enas_period_next(q->interval, p)) {
		if (q->complete && enas_period_next(q->interval, p) > q->today)
			break;
		if (st->nperiods == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nv = enas_realloc(st->periods, cap *
			    sizeof(*nv))))
				return ENAS_ENOMEM;
			st->periods = nv;
		}
		st->periods[st->nperiods++] = p;
	}
	return 0;
}

/* Flow periods: the span, or the periods that have records. */
int
stats_flow_periods(struct run *s, struct enas_stats *st, struct cells *t)
{
	const struct enas_stats_query *q = s->c.q;
	long long b = -1, e = -1, p;
	size_t i;

	if (!q->interval)
		return 0;
	for (i = 0; i < t->n; i++) {
		p = (long long)t->keys[i * t->klen] - BIAS;
		if (!t->vals[i * t->vlen])
			continue;
		if (b < 0 || p < b)
			b = p;
		if (e < 0 || p >= e)
			e = enas_period_next(q->interval, p);
	}
	if (q->begin >= 0)
		b = enas_period_start(q->interval, q->begin);
	if (q->end >= 0)
		e = q->end;
	if (b < 0 || e < 0)
		return 0;
	return stats_periods(st, q, b, e);
}

/* The key of a cell for period index i (history) or its day (flow). */
static uint32_t
period_key(const struct enas_stats *st, size_t i)
{
	if (st->history)
		return (uint32_t)i + 1;
	return st->nperiods ? (uint32_t)(st->periods[i] + BIAS) : 0;
}

/* Whether a cell's period key is one of the periods kept. */
static int
kept(const struct enas_stats *st, uint32_t pk)
{
	if (st->history)
		return pk >= 1 && pk <= st->nperiods;
	if (!st->interval)
		return 1;
	return st->nperiods && pk >= period_key(st, 0) &&
	    pk <= period_key(st, st->nperiods - 1);
}

int
stats_build_rows(struct run *s, struct enas_stats *st, struct cells *t)
{
	struct priv *pv = st->priv;
	size_t ng = s->c.ng, nkeys = 0, cap = 0, i, j, np, r;
	uint32_t *keys = NULL, *nk;
	long long *v;
	int rc = 0;

	if ((rc = ranks(s, pv)) < 0)
		return rc;
	/* The distinct group keys with records in a kept period. */
	if (ng == 0) {
		if (!(keys = enas_calloc(1, sizeof(*keys))))
			return ENAS_ENOMEM;
		nkeys = 1;
	}
	for (i = 0; ng && i < t->n; i++) {
		if (t->vals[i * t->vlen] == 0 || !kept(st, t->keys[i *
		    t->klen]))
			continue;
		if (nkeys == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nk = enas_realloc(keys, cap * ng *
			    sizeof(*keys)))) {
				free(keys);
				return ENAS_ENOMEM;
			}
			keys = nk;
		}
		memcpy(keys + nkeys * ng, t->keys + i * t->klen + 1,
		    ng * sizeof(*keys));
		nkeys++;
	}
	if (ng && nkeys > 0) {
		struct key_ctx kc = { pv, ng };

		qsort_r(keys, nkeys, ng * sizeof(*keys), cmp_key, &kc);
		for (i = 0, j = 0; i < nkeys; i++)
			if (j == 0 || memcmp(keys + (j - 1) * ng, keys + i * ng,
			    ng * sizeof(*keys)) != 0)
				memmove(keys + j++ * ng, keys + i * ng,
				    ng * sizeof(*keys));
		nkeys = j;
	}
	np = st->interval ? st->nperiods : 1;
	st->nrows = np * nkeys;
	pv->keys = keys;
	pv->nkeys = nkeys ? nkeys : 1;
	if (!(st->rows = enas_calloc(st->nrows ? st->nrows : 1,
	    sizeof(*st->rows))) || !(pv->keyp = enas_calloc(st->nrows *
	    ng + 1, sizeof(*pv->keyp))) || !(pv->sums = enas_calloc(
	    (4 * st->nrows + 2) * s->c.ns + 1,
	    sizeof(*pv->sums))))
		return ENAS_ENOMEM;
	for (i = 0, r = 0; i < np; i++)
		for (j = 0; j < nkeys; j++, r++) {
			struct enas_stats_row *row = &st->rows[r];
			size_t g;

			row->period = i;
			row->keys = pv->keyp + r * ng;
			for (g = 0; g < ng; g++) {
				uint32_t id = keys[j * ng + g];

				row->keys[g] = id ? s->tabs[g].v[id - 1] : NULL;
			}
			if (s->c.ns)
				row->cell.sums = pv->sums + r * s->c.ns;
			s->key[0] = period_key(st, i);
			memcpy(s->key + 1, keys + j * ng, ng * sizeof(*keys));
			if (!(v = stats_cells_get(t, s->key, 0)))
				continue;
			row->cell.count = v[0];
			for (g = 0; g < s->c.ns; g++)
				row->cell.sums[g] = v[1 + g];
			st->matched += v[0];
		}
	return 0;
}

/* --- tables: suppression and totals --- */

/* The group ids of output row i. */
static const uint32_t *
row_ids(const struct enas_stats *st, size_t i)
{
	const struct priv *pv = st->priv;

	return pv->keys + (i % pv->nkeys) * st->ngroups;
}

static int
add_total(struct enas_stats *st, int col, size_t row, size_t after,
    size_t period, const long long *v, size_t nsums)
{
	struct priv *pv = st->priv;
	struct enas_stats_total *t = &st->totals[st->ntotals];
	size_t i;

	t->col = col;
	t->row = row;
	t->after = after;
	t->period = period;
	t->cell.count = v[0];
	if (nsums) {
		t->cell.sums = pv->sums + (st->nrows + st->ntotals) * nsums;
		for (i = 0; i < nsums; i++)
			t->cell.sums[i] = v[1 + i];
	}
	t->cell.mark = st->min_cell >= 2 && v[0] > 0 && v[0] < st->min_cell ?
	    ENAS_CELL_PRIMARY : ENAS_CELL_SHOWN;
	st->ntotals++;
	return 0;
}

/*
 * One table: rows [lo, hi) of the output, seen two-way: a row of the
 * table for each period (unless history) and values of every group but
 * the last, a column for each value of the last group.
 */
static int
table(struct run *s, struct enas_stats *st, size_t lo, size_t hi)
{
	struct priv *pv = st->priv;
	size_t ng = s->c.ng, ns = s->c.ns, nr = 0, nc = 0, i, j, r, c;
	size_t *rowof = NULL, *colof = NULL, *first = NULL, *lastr = NULL;
	uint32_t *cols = NULL, last;
	unsigned char *mark = NULL;
	long long *v = NULL, *acc = NULL;
	int rc = ENAS_ENOMEM;

	if (hi <= lo)
		return 0;
	if (!(rowof = enas_calloc(hi - lo, sizeof(*rowof))) ||
	    !(colof = enas_calloc(hi - lo, sizeof(*colof))) ||
	    !(cols = enas_calloc(hi - lo, sizeof(*cols))) ||
	    !(first = enas_calloc(hi - lo, sizeof(*first))) ||
	    !(lastr = enas_calloc(hi - lo, sizeof(*lastr))))
		goto out;
	/* Rows: runs of equal period and leading groups (rows are sorted). */
	for (i = lo; i < hi; i++) {
		if (i > lo && st->rows[i].period == st->rows[i - 1].period &&
		    (ng < 2 || memcmp(row_ids(st, i), row_ids(st, i - 1),
		    (ng - 1) * sizeof(uint32_t)) == 0))
			rowof[i - lo] = nr - 1;
		else {
			first[nr] = i;
			rowof[i - lo] = nr++;
		}
		lastr[rowof[i - lo]] = i;
	}
	/* Columns: the distinct values of the last group, in rank order. */
	for (i = lo; i < hi; i++) {
		last = ng ? row_ids(st, i)[ng - 1] : 0;
		for (j = 0; j < nc && cols[j] != last; j++)
			;
		if (j == nc)
			cols[nc++] = last;
	}
	if (ng) {
		uint32_t *rk = pv->ranks[ng - 1];
		size_t a, b2;

		/* Few columns: insertion sort by rank. */
		for (a = 1; a < nc; a++)
			for (b2 = a; b2 > 0 && rk[cols[b2 - 1]] > rk[cols[b2]];
			    b2--) {
				uint32_t tmp = cols[b2];

				cols[b2] = cols[b2 - 1];
				cols[b2 - 1] = tmp;
			}
	}
	for (i = lo; i < hi; i++) {
		last = ng ? row_ids(st, i)[ng - 1] : 0;
		for (j = 0; cols[j] != last; j++)
			;
		colof[i - lo] = j;
	}
	if (!(v = enas_calloc(nr * nc, sizeof(*v))) ||
	    !(mark = enas_calloc(nr * nc, 1)) ||
	    !(acc = enas_calloc(1 + ns, sizeof(*acc))))
		goto out;
	for (i = lo; i < hi; i++)
		v[rowof[i - lo] * nc + colof[i - lo]] = st->rows[i].cell.count;
	if (st->min_cell >= 2 && (rc = enas_suppress(mark, v, nr, nc,
	    st->min_cell)) < 0)
		goto out;
	for (i = lo; i < hi; i++)
		st->rows[i].cell.mark = mark[rowof[i - lo] * nc +
		    colof[i - lo]];
	/* Totals, as a table prints them. */
	if (nc >= 2)
		for (r = 0; r < nr && nr >= 2; r++) {
			memset(acc, 0, (1 + ns) * sizeof(*acc));
			for (i = lo; i < hi; i++) {
				if (rowof[i - lo] != r)
					continue;
				acc[0] += st->rows[i].cell.count;
				for (j = 0; j < ns; j++)
					acc[1 + j] += st->rows[i].cell.sums[j];
			}
			add_total(st, 0, first[r], lastr[r],
			    st->rows[first[r]].period, acc, ns);
		}
	if (nc >= 2 && nr >= 2)
		for (c = 0; c < nc; c++) {
			size_t rep = hi;

			memset(acc, 0, (1 + ns) * sizeof(*acc));
			for (i = lo; i < hi; i++) {
				if (colof[i - lo] != c)
					continue;
				if (rep == hi)
					rep = i;
				acc[0] += st->rows[i].cell.count;
				for (j = 0; j < ns; j++)
					acc[1 + j] += st->rows[i].cell.sums[j];
			}
			add_total(st, 1, rep, hi - 1, st->rows[lo].period,
			    acc, ns);
		}
	if (nr * nc >= 2) {
		memset(acc, 0, (1 + ns) * sizeof(*acc));
		for (i = lo; i < hi; i++) {
			acc[0] += st->rows[i].cell.count;
			for (j = 0; j < ns; j++)
				acc[1 + j] += st->rows[i].cell.sums[j];
		}
		add_total(st, -1, lo, hi - 1, st->rows[lo].period, acc, ns);
	}
	rc = 0;
out:
	free(rowof);
	free(colof);
	free(cols);
	free(first);
	free(lastr);
	free(v);
	free(mark);
	free(acc);
	return rc;
}

int
stats_tables(struct run *s, struct enas_stats *st)
{
	size_t lo, hi;
	int rc;

	if (!(st->totals = enas_calloc(3 * st->nrows + 2,
	    sizeof(*st->totals))))
		return ENAS_ENOMEM;
	if (!st->history)
		return table(s, st, 0, st->nrows);
	for (lo = 0; lo < st->nrows; lo = hi) {
		for (hi = lo; hi < st->nrows &&
		    st->rows[hi].period == st->rows[lo].period; hi++)
			;
		if ((rc = table(s, st, lo, hi)) < 0)
			return rc;
	}
	return 0;
}

void
stats_priv_free(struct priv *pv)
{
	size_t i;

	if (!pv)
		return;
	for (i = 0; pv->tabs && i < pv->ntabs; i++)
		stats_strtab_free(&pv->tabs[i]);
	free(pv->tabs);
	for (i = 0; pv->ranks && i < pv->ntabs; i++)
		free(pv->ranks[i]);
	free(pv->ranks);
	free(pv->keys);
	free(pv->sums);
	free(pv->keyp);
	free(pv);
}
