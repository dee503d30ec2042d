/*
 * stats_table.c: the result of a run: its periods, its rows in order
 * (by period, then by each group's values: bands in their order, whole
 * numbers as numbers, other values as bytes), and its tables, with
 * suppression and the totals a table prints.
 */
#include <stdlib.h>
#include <string.h>

#include "suppress.h"
#include "audit.h"
#include "i18n.h"
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
	size_t ng = s->c.ng, nkeys = 0, cap = 0, i, j, np, r, g;
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
	/* st's from here: enas_stats_free() frees them on any failure */
	pv->keys = keys;
	pv->nkeys = nkeys ? nkeys : 1;
	if (ng && (!(st->values = enas_calloc(ng, sizeof(*st->values))) ||
	    !(st->nvalues = enas_calloc(ng, sizeof(*st->nvalues)))))
		return ENAS_ENOMEM;
	for (g = 0; g < ng; g++) {
		size_t nv = s->tabs[g].n + 1;

		if (!(st->values[g] = enas_calloc(nv, sizeof(**st->values))))
			return ENAS_ENOMEM;
		/* Only the values some row has, in rank order. */
		for (i = 0; i < nkeys; i++) {
			uint32_t id = keys[i * ng + g];

			st->values[g][pv->ranks[g][id]] = id ?
			    s->tabs[g].v[id - 1] : "";
		}
		for (i = 0, j = 0; i < nv; i++)
			if (st->values[g][i]) {
				st->values[g][j++] = *st->values[g][i] ?
				    st->values[g][i] : NULL;
			}
		st->nvalues[g] = j;
	}
	np = st->interval ? st->nperiods : 1;
	st->nrows = np * nkeys;
	if (!(st->rows = enas_calloc(st->nrows ? st->nrows : 1,
	    sizeof(*st->rows))) || !(pv->keyp = enas_calloc(st->nrows *
	    ng + 1, sizeof(*pv->keyp))) || !(pv->sums = enas_calloc(
	    (4 * st->nrows + 2) * s->c.ns + 1,
	    sizeof(*pv->sums))))
		return ENAS_ENOMEM;
	for (i = 0, r = 0; i < np; i++)
		for (j = 0; j < nkeys; j++, r++) {
			struct enas_stats_row *row = &st->rows[r];

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

/*
 * A table seen as a cube: its rows (the atoms) have a value on each
 * dimension (the period, when periods add up, then each group); every
 * margin, the sum over any set of dimensions, is a cell too.  Two cells
 * that hold the same atoms (a margin over a dimension with one value
 * there) are one cell, printed twice: the second is a twin.
 */
struct ccell {
	unsigned mask;		/* dimensions summed over */
	size_t rep;		/* an atom of it, for its other values */
	size_t off, n;		/* its atoms, in cube.idx */
	long long value;
	size_t twin;		/* the cell it repeats, or itself */
	size_t id;		/* in the audit */
	int mark;
	int spent;		/* shown since worked out: no complement */
};

struct cube {
	struct enas_stats *st;
	size_t lo, na;		/* atoms: rows lo .. lo + na */
	size_t nd;
	int pdim;		/* dimension 0 is the period */
	uint32_t *val;		/* na * nd: each atom's value's rank */
	unsigned mask;		/* what cmp_proj ignores */
	struct ccell *c;
	size_t nc, capc;
	size_t *idx;
	size_t nidx, capidx;
};

/* The group ids of output row i. */
static const uint32_t *
row_ids(const struct enas_stats *st, size_t i)
{
	const struct priv *pv = st->priv;

	return pv->keys + (i % pv->nkeys) * st->ngroups;
}

/* Order of atoms by their values on the dimensions not in mask. */
static int
cmp_proj(const void *a, const void *b, void *arg)
{
	const struct cube *q = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b, d;

	for (d = 0; d < q->nd; d++) {
		uint32_t u = q->val[x * q->nd + d], v = q->val[y * q->nd + d];

		if (q->mask & (1u << d))
			continue;
		if (u != v)
			return u < v ? -1 : 1;
	}
	return x < y ? -1 : x > y;
}

/* Whether atoms a and b have the same values outside q->mask. */
static int
same_proj(const struct cube *q, size_t a, size_t b)
{
	size_t d;

	for (d = 0; d < q->nd; d++)
		if (!(q->mask & (1u << d)) &&
		    q->val[a * q->nd + d] != q->val[b * q->nd + d])
			return 0;
	return 1;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static int
add_cell(struct cube *q, unsigned mask, const size_t *atoms, size_t n)
{
	struct ccell *c;
	size_t i, cap;
	void *p;

	if (q->nc == q->capc) {
		cap = q->capc ? q->capc * 2 : 64;
		if (!(p = enas_realloc(q->c, cap * sizeof(*q->c))))
			return ENAS_ENOMEM;
		q->c = p;
		q->capc = cap;
	}
	if (q->nidx + n > q->capidx) {
		cap = q->capidx ? q->capidx : 256;
		while (cap < q->nidx + n)
			cap *= 2;
		if (!(p = enas_realloc(q->idx, cap * sizeof(*q->idx))))
			return ENAS_ENOMEM;
		q->idx = p;
		q->capidx = cap;
	}
	c = &q->c[q->nc];
	memset(c, 0, sizeof(*c));
	c->mask = mask;
	c->rep = atoms[0];
	c->off = q->nidx;
	c->n = n;
	for (i = 0; i < n; i++) {
		q->idx[q->nidx++] = atoms[i];
		c->value += q->st->rows[q->lo + atoms[i]].cell.count;
	}
	/* Sorted by atom, so that twins compare equal. */
	qsort(q->idx + c->off, n, sizeof(*q->idx), cmp_size);
	c->twin = q->nc;
	for (i = 0; i < q->nc; i++)
		if (q->c[i].twin == i && q->c[i].n == n &&
		    q->c[i].value == c->value && memcmp(q->idx + q->c[i].off,
		    q->idx + c->off, n * sizeof(*q->idx)) == 0) {
			c->twin = i;
			break;
		}
	q->nc++;
	return 0;
}

/* Every cell of the cube: the atoms, then each margin by mask. */
static int
cube_cells(struct cube *q)
{
	size_t *order, i, j;
	unsigned m;
	int rc = 0;

	if (!(order = enas_malloc((q->na + 1) * sizeof(*order))))
		return ENAS_ENOMEM;
	for (m = 0; m < (1u << q->nd) && rc == 0; m++) {
		for (i = 0; i < q->na; i++)
			order[i] = i;
		q->mask = m;
		qsort_r(order, q->na, sizeof(*order), cmp_proj, q);
		for (i = 0; i < q->na && rc == 0; i = j) {
			for (j = i + 1; j < q->na && same_proj(q, order[i],
			    order[j]); j++)
				;
			rc = add_cell(q, m, order + i, j - i);
		}
	}
	free(order);
	return rc;
}

/* Whether cells a and b differ on exactly one dimension, not summed. */
static int
siblings(const struct cube *q, const struct ccell *a, const struct ccell *b)
{
	size_t d, diff = 0;

	if (a->mask != b->mask)
		return 0;
	for (d = 0; d < q->nd; d++)
		if (!(a->mask & (1u << d)) && q->val[a->rep * q->nd + d] !=
		    q->val[b->rep * q->nd + d])
			diff++;
	return diff == 1;
}

/* Whether b is a margin of a over one more dimension. */
static int
parent(const struct cube *q, const struct ccell *a, const struct ccell *b)
{
	size_t d;
	unsigned extra = b->mask & ~a->mask;

	if ((a->mask & ~b->mask) || !extra || (extra & (extra - 1)))
		return 0;
	for (d = 0; d < q->nd; d++)
		if (!(b->mask & (1u << d)) && q->val[a->rep * q->nd + d] !=
		    q->val[b->rep * q->nd + d])
			return 0;
	return 1;
}

static int
shares_atom(const struct cube *q, const struct ccell *a,
    const struct ccell *b)
{
	size_t i, j;

	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			if (q->idx[a->off + i] == q->idx[b->off + j])
				return 1;
	return 0;
}

/*
 * The cells that could protect exposed cell e, best first: shown
 * non-zero cells beside it (siblings), then its margins, then any cell
 * sharing an atom with it; smaller first within each.  Into out (q->nc
 * long); returns how many.
 */
static size_t
candidates(const struct cube *q, size_t e, size_t *out)
{
	const struct ccell *ce = &q->c[e];
	size_t i, j, n = 0, start, pass;

	for (pass = 0; pass < 3; pass++) {
		start = n;
		for (i = 0; i < q->nc; i++) {
			size_t tw = q->c[i].twin;
			const struct ccell *c = &q->c[tw];

			if (c->mark != ENAS_CELL_SHOWN || c->value <= 0 ||
			    c->spent)
				continue;
			if (pass == 0 ? !siblings(q, ce, &q->c[i]) :
			    pass == 1 ? !parent(q, ce, &q->c[i]) :
			    !shares_atom(q, ce, c))
				continue;
			for (j = 0; j < n && out[j] != tw; j++)
				;
			if (j < n)
				continue;
			/* Insertion by value inside this pass. */
			for (j = n++; j > start && q->c[out[j - 1]].value >
			    c->value; j--)
				out[j] = out[j - 1];
			out[j] = tw;
		}
	}
	return n;
}

static void
set_mark(struct cube *q, struct enas_audit *au, size_t i, int mark)
{
	if (i >= q->nc)
		return;
	q->c[i].mark = mark;
	enas_audit_mark(au, q->c[i].id, mark);
}

static int
cmp_desc(const void *a, const void *b, void *arg)
{
	const struct cube *q = arg;
	long long x = q->c[*(const size_t *)a].value;
	long long y = q->c[*(const size_t *)b].value;

	return x > y ? -1 : x < y;
}

/*
 * The fewest complements, by search.  protect() finds a pattern one
 * complement at a time, which can take more cells than needed (a cell
 * that protects one figure when another would have protected two).
 * The search tries every set of shown non-zero cells, smaller sets
 * first and, within a size, the smaller total first, each audited
 * whole; the first size with a safe set gives the set of that size with
 * the smallest total.  It is bounded (enas_audit_budget()): a large
 * table keeps what protect() found.
 */
static int
cmp_asc(const void *a, const void *b, void *arg)
{
	return cmp_desc(b, a, arg);
}

/*
 * Search for a cheaper pattern than the current one (nsec complements;
 * none when the table was refused, then any size will do).  Returns 1
 * and leaves the cheaper pattern marked, 0 when none was found within
 * the budget (marks unchanged), or a negative status.
 */
static int
search(struct cube *q, struct enas_audit *au, int refused)
{
	size_t i, ncand = 0, nsec = 0, *cand = NULL, *ids = NULL, *best = NULL;
	long long secsum = 0, *val = NULL;
	unsigned char *was = NULL;
	long budget = enas_audit_budget(au);
	int rc = ENAS_ENOMEM, n;

	if (!(cand = enas_calloc(q->nc + 1, sizeof(*cand))) ||
	    !(ids = enas_calloc(q->nc + 1, sizeof(*ids))) ||
	    !(best = enas_calloc(q->nc + 1, sizeof(*best))) ||
	    !(val = enas_calloc(q->nc + 1, sizeof(*val))) ||
	    !(was = enas_calloc(q->nc + 1, 1)))
		goto out;
	for (i = 0; i < q->nc; i++) {
		struct ccell *c = &q->c[i];

		if (c->twin != i)
			continue;
		was[i] = (unsigned char)c->mark;
		if (c->mark == ENAS_CELL_SECONDARY) {
			nsec++;
			secsum += c->value;
		}
		if (c->mark != ENAS_CELL_PRIMARY && c->value > 0)
			cand[ncand++] = i;
	}
	qsort_r(cand, ncand, sizeof(*cand), cmp_asc, q);
	for (i = 0; i < ncand; i++) {
		val[i] = q->c[cand[i]].value;
		ids[i] = q->c[cand[i]].id;
		set_mark(q, au, cand[i], ENAS_CELL_SHOWN);
	}
	/* At the size protect() found, only a smaller total. */
	n = enas_audit_search(au, best, ids, val, ncand, refused ? ncand :
	    nsec, refused ? -1 : secsum, NULL, &budget);
	if (n < 0) {
		rc = n;
		goto out;
	}
	if (n > 0)
		for (i = 0; i < (size_t)n; i++)
			set_mark(q, au, cand[best[i]], ENAS_CELL_SECONDARY);
	else
		for (i = 0; i < q->nc; i++)
			if (q->c[i].twin == i && q->c[i].mark != was[i])
				set_mark(q, au, i, was[i]);
	rc = n > 0;
out:
	free(cand);
	free(ids);
	free(best);
	free(val);
	free(was);
	return rc;
}

/*
 * Withhold the small cells of the cube, and complements until no
 * withheld cell can be worked out; then give back every complement
 * that is not needed, the largest first.
 */
static int
protect(struct cube *q, long long k)
{
	struct enas_audit *au = NULL;
	unsigned char *check = NULL, *exposed = NULL;
	long long *x = NULL, n;
	unsigned char *one = NULL;
	size_t *sec = NULL, *cand = NULL, nsec = 0, i, j, nc, ncand;
	int rc = ENAS_ENOMEM;

	if (!(x = enas_malloc((q->na + 1) * sizeof(*x))))
		goto out;
	for (i = 0; i < q->na; i++)
		x[i] = q->st->rows[q->lo + i].cell.count;
	if ((rc = enas_audit_new(&au, q->na, x, k)) < 0)
		goto out;
	for (i = 0; i < q->nc; i++) {
		struct ccell *c = &q->c[i];

		if (c->twin != i)
			continue;
		c->mark = c->value > 0 && c->value < k ? ENAS_CELL_PRIMARY :
		    ENAS_CELL_SHOWN;
		if ((rc = enas_audit_cell(au, &c->id, q->idx + c->off, c->n,
		    c->mark)) < 0)
			goto out;
	}
	nc = enas_audit_size(au);
	rc = ENAS_ENOMEM;
	if (!(check = enas_calloc(nc + 1, 1)) ||
	    !(exposed = enas_calloc(nc + 1, 1)) ||
	    !(one = enas_calloc(nc + 1, 1)) ||
	    !(cand = enas_calloc(q->nc + 1, sizeof(*cand))) ||
	    !(sec = enas_calloc(q->nc + 1, sizeof(*sec))))
		goto out;
	for (i = 0; i < q->nc; i++)
		if (q->c[i].twin == i && q->c[i].mark)
			check[q->c[i].id] = 1;
	for (;;) {
		if ((n = enas_audit_run(au, exposed, check, 0)) < 0) {
			rc = (int)n;
			goto out;
		}
		if (n == 0)
			break;
		/*
		 * Protect the first exposed cell with the first candidate
		 * that protects it alone (else the first candidate); then
		 * audit it, the complement and the other exposed cells
		 * again: withholding more never exposes a cell that was
		 * safe.
		 */
		/* The newest exposed complement first: a cycle grows. */
		for (j = nsec; j-- > 0;)
			if (exposed[q->c[sec[j]].id])
				break;
		if (j != (size_t)-1)
			i = sec[j];
		else
			for (i = 0; i < q->nc; i++)
				if (q->c[i].twin == i && exposed[q->c[i].id])
					break;
		if (i == q->nc)
			break;
		if ((ncand = candidates(q, i, cand)) == 0 &&
		    q->c[i].mark == ENAS_CELL_SECONDARY) {
			/*
			 * A complement that a reader can work out anyway,
			 * and nothing can hide, is shown: that tells
			 * nothing more.
			 */
			set_mark(q, au, i, ENAS_CELL_SHOWN);
			q->c[i].spent = 1;
			memcpy(check, exposed, nc);
			check[q->c[i].id] = 0;
			continue;
		}
		if (ncand == 0) {
			goto refused;
		}
		memset(one, 0, nc);
		one[q->c[i].id] = 1;
		for (j = 0; j < ncand; j++) {
			set_mark(q, au, cand[j], ENAS_CELL_SECONDARY);
			if ((n = enas_audit_run(au, NULL, one, 1)) < 0) {
				rc = (int)n;
				goto out;
			}
			if (n == 0)
				break;
			set_mark(q, au, cand[j], ENAS_CELL_SHOWN);
		}
		if (j == ncand)
			j = 0;
		set_mark(q, au, cand[j], ENAS_CELL_SECONDARY);
		if (nsec == q->nc) {
			goto refused;
		}
		sec[nsec++] = cand[j];
		memcpy(check, exposed, nc);
		check[q->c[cand[j]].id] = 1;
	}
	/* Give back what is not needed, the largest first. */
	qsort_r(sec, nsec, sizeof(*sec), cmp_desc, q);
	for (i = 0; i < nsec; i++) {
		if (q->c[sec[i]].mark != ENAS_CELL_SECONDARY)
			continue;
		set_mark(q, au, sec[i], ENAS_CELL_SHOWN);
		if ((n = enas_audit_run(au, NULL, NULL, 1)) < 0) {
			rc = (int)n;
			goto out;
		}
		if (n > 0)
			set_mark(q, au, sec[i], ENAS_CELL_SECONDARY);
	}
	rc = search(q, au, 0);
	if (rc > 0)
		rc = 0;
	goto out;
refused:
	/* Refuse only when no set of cells found by search protects it. */
	if ((rc = search(q, au, 1)) == 0)
		rc = enas_error_set(ENAS_EDATA, _("the small counts of this "
		    "table cannot be hidden: its totals would give them away; "
		    "group by fewer fields or by a longer period"));
	else if (rc > 0)
		rc = 0;
out:
	enas_audit_free(au);
	free(x);
	free(check);
	free(exposed);
	free(one);
	free(cand);
	free(sec);
	return rc;
}

static int
add_total(struct enas_stats *st, const struct cube *q, const struct ccell *c,
    int mark, size_t *cap)
{
	struct priv *pv = st->priv;
	struct enas_stats_total *t;
	size_t i, j, ns = st->nsums;
	void *p;

	if (st->ntotals == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if (!(p = enas_realloc(st->totals, *cap * sizeof(*t))))
			return ENAS_ENOMEM;
		st->totals = p;
		if (ns) {
			if (!(p = enas_realloc(pv->tsums, *cap * ns *
			    sizeof(*pv->tsums))))
				return ENAS_ENOMEM;
			pv->tsums = p;
		}
	}
	t = &st->totals[st->ntotals++];
	memset(t, 0, sizeof(*t));
	t->mask = 0;
	for (j = 0; j < q->nd; j++)
		if (c->mask & (1u << j))
			t->mask |= q->pdim ? 1u << j : 2u << j;
	t->row = q->lo + c->rep;
	t->cell.count = c->value;
	t->cell.mark = mark;
	if (ns) {
		/* t->cell.sums is set at the end: tsums may move. */
		for (i = 0; i < ns; i++) {
			long long sum = 0;

			for (j = 0; j < c->n; j++)
				sum += st->rows[q->lo + q->idx[c->off + j]].
				    cell.sums[i];
			pv->tsums[(st->ntotals - 1) * ns + i] = sum;
		}
	}
	return 0;
}

/*
 * One table: rows [lo, hi) of the output, with its margins.  Its
 * dimensions: the period unless history makes each period its own
 * table, then each group.
 */
static int
table(struct run *s, struct enas_stats *st, size_t lo, size_t hi,
    size_t *cap)
{
	struct priv *pv = st->priv;
	struct cube q;
	size_t i, d, g;
	int rc = ENAS_ENOMEM;

	if (hi <= lo)
		return 0;
	memset(&q, 0, sizeof(q));
	q.st = st;
	q.lo = lo;
	q.na = hi - lo;
	q.pdim = st->interval && !st->history;
	q.nd = (size_t)q.pdim + s->c.ng;
	if (!(q.val = enas_calloc(q.na * q.nd + 1, sizeof(*q.val))))
		goto out;
	for (i = 0; i < q.na; i++) {
		d = 0;
		if (q.pdim)
			q.val[i * q.nd + d++] = (uint32_t)st->rows[lo + i].period;
		for (g = 0; g < s->c.ng; g++)
			q.val[i * q.nd + d++] = pv->ranks[g][row_ids(st,
			    lo + i)[g]];
	}
	if ((rc = cube_cells(&q)) < 0)
		goto out;
	if (st->min_cell >= 2 && (rc = protect(&q, st->min_cell)) < 0)
		goto out;
	for (i = 0; i < q.nc; i++) {
		int mark = q.c[q.c[i].twin].mark;

		if (q.c[i].mask == 0)
			st->rows[lo + q.c[i].rep].cell.mark = mark;
		else if ((rc = add_total(st, &q, &q.c[i], mark, cap)) < 0)
			goto out;
	}
	rc = 0;
out:
	free(q.val);
	free(q.c);
	free(q.idx);
	return rc;
}

int
stats_tables(struct run *s, struct enas_stats *st)
{
	struct priv *pv = st->priv;
	size_t lo, hi, cap = 0, i;
	int rc;

	if (!st->history)
		rc = table(s, st, 0, st->nrows, &cap);
	else
		for (rc = 0, lo = 0; lo < st->nrows && rc == 0; lo = hi) {
			for (hi = lo; hi < st->nrows &&
			    st->rows[hi].period == st->rows[lo].period; hi++)
				;
			rc = table(s, st, lo, hi, &cap);
		}
	if (rc < 0)
		return rc;
	for (i = 0; st->nsums && i < st->ntotals; i++)
		st->totals[i].cell.sums = pv->tsums + i * st->nsums;
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
	free(pv->tsums);
	free(pv->keyp);
	free(pv);
}
