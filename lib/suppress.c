/*
 * suppress.c: primary and complementary cell suppression, and the
 * audit that proves it.
 *
 * The audit is a residual network.  Nodes: one per row, one per column,
 * and two for the margins (TR on the rows' side, TC on the columns').
 * Moving a withheld cell (r, c) up by one is an arc r -> c, down by one
 * an arc c -> r, each present only when the cell's bounds allow it.  A
 * row whose total is not known exactly can move too: up is TR -> r,
 * down r -> TR; a column: up c -> TC, down TC -> c; the grand total: up
 * TC -> TR, down TR -> TC.  Every other alternative table that fits
 * what the reader knows differs from the true one by a circulation in
 * this network, and a circulation is a sum of simple cycles each of
 * which is itself a feasible move (the margins form a network matrix,
 * totally unimodular, so integers lose nothing).  Hence a withheld cell
 * can take another value exactly when it lies on a cycle: up when its
 * column reaches its row without using the cell's own arcs, down when
 * its row reaches its column.
 */
#include <stdlib.h>
#include <string.h>

#include "enas.h"
#include "i18n.h"
#include "suppress.h"

struct net {
	size_t nnodes;
	size_t *start;	/* CSR: arcs of node i are start[i] .. start[i+1] */
	size_t *to;
	long *cell;	/* the cell an arc moves, or -1 */
	size_t *queue;
	unsigned char *seen;
};

long long
enas_suppress_total(const long long *v, size_t nrows, size_t ncols, int col,
    size_t i)
{
	long long t = 0;
	size_t r, c;

	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++)
			if (col < 0 || (col ? c == i : r == i))
				t += v[r * ncols + c];
	return t;
}

/* Lines with a known total may not change; loose ones within 1..k-1. */
static int
may_rise(long long t, long long k, int free)
{
	return free || (t > 0 && t < k && t + 1 <= k - 1);
}

static int
may_fall(long long t, long long k, int free)
{
	return free || (t > 0 && t < k && t - 1 >= 1);
}

struct arc {
	size_t from, to;
	long cell;
};

static void
net_free(struct net *n)
{
	free(n->start);
	free(n->to);
	free(n->cell);
	free(n->queue);
	free(n->seen);
}

static int
net_build(struct net *n, const unsigned char *mark, const long long *v,
    size_t nrows, size_t ncols, long long k)
{
	struct arc *a = NULL;
	size_t na = 0, cap, r, c, i, tr = nrows + ncols, tc = tr + 1;
	long long t, lb, ub, x;
	int rc = ENAS_ENOMEM;

	memset(n, 0, sizeof(*n));
	n->nnodes = nrows + ncols + 2;
	cap = 2 * nrows * ncols + 2 * (nrows + ncols) + 2;
	if (!(a = enas_malloc(cap * sizeof(*a))))
		goto out;
#define ARC(f, t_, cl) do { a[na].from = (f); a[na].to = (t_); \
	a[na].cell = (cl); na++; } while (0)
	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			i = r * ncols + c;
			if (!mark[i])
				continue;
			x = v[i];
			lb = mark[i] == ENAS_CELL_PRIMARY ? 1 : k;
			ub = mark[i] == ENAS_CELL_PRIMARY ? k - 1 : -1;
			if (ub < 0 || x + 1 <= ub)
				ARC(r, nrows + c, (long)i);
			if (x - 1 >= lb)
				ARC(nrows + c, r, (long)i);
		}
	for (r = 0; r < nrows; r++) {
		t = enas_suppress_total(v, nrows, ncols, 0, r);
		if (may_rise(t, k, ncols < 2))
			ARC(tr, r, -1);
		if (may_fall(t, k, ncols < 2))
			ARC(r, tr, -1);
	}
	for (c = 0; c < ncols; c++) {
		t = enas_suppress_total(v, nrows, ncols, 1, c);
		if (may_rise(t, k, nrows < 2))
			ARC(nrows + c, tc, -1);
		if (may_fall(t, k, nrows < 2))
			ARC(tc, nrows + c, -1);
	}
	t = enas_suppress_total(v, nrows, ncols, -1, 0);
	if (may_rise(t, k, nrows * ncols < 2))
		ARC(tc, tr, -1);
	if (may_fall(t, k, nrows * ncols < 2))
		ARC(tr, tc, -1);
#undef ARC
	if (!(n->start = enas_calloc(n->nnodes + 1, sizeof(*n->start))) ||
	    !(n->to = enas_malloc((na + 1) * sizeof(*n->to))) ||
	    !(n->cell = enas_malloc((na + 1) * sizeof(*n->cell))) ||
	    !(n->queue = enas_malloc(n->nnodes * sizeof(*n->queue))) ||
	    !(n->seen = enas_malloc(n->nnodes)))
		goto out;
	for (i = 0; i < na; i++)
		n->start[a[i].from + 1]++;
	for (i = 0; i < n->nnodes; i++)
		n->start[i + 1] += n->start[i];
	for (i = 0; i < na; i++) {
		/* start[from] walks forward while filling; mended below. */
		r = n->start[a[i].from]++;
		n->to[r] = a[i].to;
		n->cell[r] = a[i].cell;
	}
	for (i = n->nnodes; i > 0; i--)
		n->start[i] = n->start[i - 1];
	n->start[0] = 0;
	rc = 0;
out:
	free(a);
	if (rc < 0) {
		net_free(n);
		enas_error_nomem();
	}
	return rc;
}

/* Whether dst can be reached from src without the arcs of cell skip. */
static int
reach(struct net *n, size_t src, size_t dst, long skip)
{
	size_t head = 0, tail = 0, u, j;

	memset(n->seen, 0, n->nnodes);
	n->seen[src] = 1;
	n->queue[tail++] = src;
	while (head < tail) {
		u = n->queue[head++];
		for (j = n->start[u]; j < n->start[u + 1]; j++) {
			if (n->cell[j] == skip || n->seen[n->to[j]])
				continue;
			if (n->to[j] == dst)
				return 1;
			n->seen[n->to[j]] = 1;
			n->queue[tail++] = n->to[j];
		}
	}
	return 0;
}

long long
enas_suppress_audit(unsigned char *pinned, const unsigned char *mark,
    const long long *v, size_t nrows, size_t ncols, long long k)
{
	struct net n;
	size_t r, c, i;
	long long npinned = 0, lb, ub;
	int up, down;

	if (pinned)
		memset(pinned, 0, nrows * ncols);
	if (net_build(&n, mark, v, nrows, ncols, k) < 0)
		return ENAS_ENOMEM;
	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			i = r * ncols + c;
			if (!mark[i])
				continue;
			lb = mark[i] == ENAS_CELL_PRIMARY ? 1 : k;
			ub = mark[i] == ENAS_CELL_PRIMARY ? k - 1 : -1;
			up = (ub < 0 || v[i] + 1 <= ub) &&
			    reach(&n, nrows + c, r, (long)i);
			down = !up && v[i] - 1 >= lb &&
			    reach(&n, r, nrows + c, (long)i);
			if (!up && !down) {
				npinned++;
				if (pinned)
					pinned[i] = 1;
			}
		}
	net_free(&n);
	return npinned;
}

/*
 * The smallest shown non-zero cell of row r (col 0) or column r
 * (col 1), or of the whole table (col -1); -1 if none.
 */
static long
smallest(const unsigned char *mark, const long long *v, size_t nrows,
    size_t ncols, int col, size_t line)
{
	size_t r, c, i;
	long best = -1;

	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			if (col >= 0 && (col ? c != line : r != line))
				continue;
			i = r * ncols + c;
			if (mark[i] || v[i] == 0)
				continue;
			if (best < 0 || v[i] < v[best])
				best = (long)i;
		}
	return best;
}

/* The classic rule: no known line total may have one withheld cell. */
static int
lines(unsigned char *mark, const long long *v, size_t nrows, size_t ncols,
    long long k)
{
	size_t r, c, n, i;
	long best;
	int changed = 0, col;

	for (col = 0; col < 2; col++) {
		if ((col ? nrows : ncols) < 2)
			continue;
		for (r = 0; r < (col ? ncols : nrows); r++) {
			if (enas_suppress_total(v, nrows, ncols, col, r) < k)
				continue;
			n = 0;
			for (c = 0; c < (col ? nrows : ncols); c++) {
				i = col ? c * ncols + r : r * ncols + c;
				n += mark[i] != 0;
			}
			if (n != 1)
				continue;
			if ((best = smallest(mark, v, nrows, ncols, col,
			    r)) >= 0) {
				mark[best] = ENAS_CELL_SECONDARY;
				changed = 1;
			}
		}
	}
	return changed;
}

int
enas_suppress(unsigned char *mark, const long long *v, size_t nrows,
    size_t ncols, long long k)
{
	unsigned char *pinned = NULL;
	size_t i, r, c, n = nrows * ncols;
	long best;
	long long np;
	int rc = 0;

	memset(mark, 0, n);
	if (k < 2)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] > 0 && v[i] < k)
			mark[i] = ENAS_CELL_PRIMARY;
	if (!(pinned = enas_malloc(n ? n : 1)))
		return ENAS_ENOMEM;
	for (;;) {
		while (lines(mark, v, nrows, ncols, k))
			;
		if ((np = enas_suppress_audit(pinned, mark, v, nrows, ncols,
		    k)) < 0) {
			rc = (int)np;
			break;
		}
		if (np == 0)
			break;
		/*
		 * One complement, for the first cell that can still be
		 * worked out and has a shown neighbour; then audit again,
		 * since one complement often protects several cells.
		 */
		best = -1;
		for (i = 0; i < n && best < 0; i++) {
			if (!pinned[i])
				continue;
			r = i / ncols;
			c = i % ncols;
			best = ncols > 1 ? smallest(mark, v, nrows, ncols, 0,
			    r) : -1;
			if (nrows > 1) {
				long b2 = smallest(mark, v, nrows, ncols, 1, c);

				if (best < 0 || (b2 >= 0 && v[b2] < v[best]))
					best = b2;
			}
		}
		if (best < 0)
			best = smallest(mark, v, nrows, ncols, -1, 0);
		if (best < 0) {
			rc = enas_error_set(ENAS_EDATA, _("the small counts of "
			    "this table cannot be hidden: its totals would "
			    "give them away; group by fewer fields or by a "
			    "longer period"));
			break;
		}
		mark[best] = ENAS_CELL_SECONDARY;
	}
	free(pinned);
	return rc;
}
