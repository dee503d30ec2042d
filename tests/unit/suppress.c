/*
 * tests/unit/suppress.c: cell suppression (lib/suppress.c) against an
 * attacker that tries every table.
 *
 * For hundreds of small random tables: the attacker enumerates every
 * table of non-negative integers that agrees with what a reader is
 * told (shown cells; withheld primary cells 1 to k-1, complementary
 * ones k or more; each row, column and grand total exactly when it is k
 * or more, as 1 to k-1 when smaller) and collects the values each
 * withheld cell takes.  enas_suppress() must leave no cell with a
 * single value, and enas_suppress_audit() must name exactly the cells
 * the attacker pins, for any marking.  Prints TAP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enas.h"
#include "suppress.h"

#include "tap.h"

#define MAXC 16

/* A deterministic generator, the same everywhere. */
static unsigned long long seed = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

struct attack {
	size_t nr, nc;
	long long k;
	const long long *v;
	const unsigned char *mark;
	long long lo[MAXC], hi[MAXC], val[MAXC];
	int var[MAXC], nvar;
	int seen[MAXC][64];
};

/* A line's total bounds: exact, 1..k-1, or none (-1). */
static void
line_bounds(const struct attack *a, int col, size_t i, long long *lo,
    long long *hi)
{
	long long t = enas_suppress_total(a->v, a->nr, a->nc, col, i);
	int line = col < 0 ? a->nr * a->nc >= 2 : col ? a->nr >= 2 :
	    a->nc >= 2;

	if (!line) {
		*lo = 0;
		*hi = -1;
	} else if (t == 0 || t >= a->k)
		*lo = *hi = t;
	else {
		*lo = 1;
		*hi = a->k - 1;
	}
}

static int
in_line(const struct attack *a, int col, size_t i, size_t cell)
{
	return col < 0 || (col ? cell % a->nc == i : cell / a->nc == i);
}

/* Whether some completion of the assigned cells can fit every line. */
static int
feasible(const struct attack *a, const int *set)
{
	long long lo, hi, min, max;
	size_t i, c, n;
	int col;

	for (col = -1; col < 2; col++) {
		n = col < 0 ? 1 : col ? a->nc : a->nr;
		for (i = 0; i < n; i++) {
			line_bounds(a, col, i, &lo, &hi);
			if (hi < 0)
				continue;
			min = max = 0;
			for (c = 0; c < a->nr * a->nc; c++) {
				if (!in_line(a, col, i, c))
					continue;
				if (!a->mark[c] || set[c]) {
					long long x = a->mark[c] ? a->val[c] :
					    a->v[c];

					min += x;
					max += x;
				} else {
					min += a->lo[c];
					max += a->hi[c];
				}
			}
			if (min > hi || max < lo)
				return 0;
		}
	}
	return 1;
}

static void
search(struct attack *a, int *set, int j)
{
	long long x;
	int c, i;

	if (j == a->nvar) {
		for (i = 0; i < a->nvar; i++)
			a->seen[a->var[i]][a->val[a->var[i]]] = 1;
		return;
	}
	c = a->var[j];
	set[c] = 1;
	for (x = a->lo[c]; x <= a->hi[c]; x++) {
		a->val[c] = x;
		if (feasible(a, set))
			search(a, set, j + 1);
	}
	set[c] = 0;
}

/* Cells the attacker pins, into pinned[]; returns how many. */
static int
attack(const long long *v, const unsigned char *mark, size_t nr, size_t nc,
    long long k, unsigned char *pinned)
{
	struct attack a;
	int set[MAXC], n = 0, nv, x;
	size_t c;
	long long lo, hi, cap;

	memset(&a, 0, sizeof(a));
	memset(set, 0, sizeof(set));
	a.nr = nr;
	a.nc = nc;
	a.k = k;
	a.v = v;
	a.mark = mark;
	for (c = 0; c < nr * nc; c++) {
		if (!mark[c])
			continue;
		a.var[a.nvar++] = (int)c;
		a.lo[c] = mark[c] == ENAS_CELL_PRIMARY ? 1 : k;
		/* No more than any exact total that holds it. */
		cap = v[c] + 3;
		line_bounds(&a, 0, c / nc, &lo, &hi);
		if (hi >= 0 && lo == hi && hi < cap)
			cap = hi;
		line_bounds(&a, 1, c % nc, &lo, &hi);
		if (hi >= 0 && lo == hi && hi < cap)
			cap = hi;
		a.hi[c] = mark[c] == ENAS_CELL_PRIMARY ? k - 1 : cap;
		if (a.hi[c] > 63)
			a.hi[c] = 63;
	}
	search(&a, set, 0);
	for (c = 0; c < nr * nc; c++) {
		pinned[c] = 0;
		if (!mark[c])
			continue;
		for (nv = 0, x = 0; x < 64; x++)
			nv += a.seen[c][x];
		if (nv == 1) {
			pinned[c] = 1;
			n++;
		}
	}
	return n;
}

static void
random_table(long long *v, size_t *nr, size_t *nc, long long k)
{
	size_t i;

	*nr = 1 + rnd(4);
	*nc = 1 + rnd(4);
	while (*nr * *nc > 12)
		*nc -= 1;
	for (i = 0; i < *nr * *nc; i++)
		v[i] = rnd(4) == 0 ? 0 : rnd(3) == 0 ?
		    1 + rnd((unsigned)k - 1) : k + rnd(3 * (unsigned)k);
}

int
main(void)
{
	long long v[MAXC], k;
	unsigned char mark[MAXC], pinned[MAXC], apinned[MAXC];
	size_t nr, nc, i;
	int t, bad, rc, refused = 0, complements = 0, agree = 1;
	int safe = 1, primary_ok = 1, refusal_ok = 1;

	/* The examples of the man page. */
	{
		long long row[] = { 3, 12, 40 };

		enas_suppress(mark, row, 1, 3, 5);
		ok(mark[0] == ENAS_CELL_PRIMARY && mark[1] ==
		    ENAS_CELL_SECONDARY && mark[2] == ENAS_CELL_SHOWN,
		    "a cell of 3 is withheld with the smallest other cell");
	}
	{
		long long row[] = { 1, 5 };

		rc = enas_suppress(mark, row, 1, 2, 5);
		ok(rc == ENAS_EDATA, "1 and 5 of a known 6 cannot be hidden "
		    "at k = 5: refused");
	}
	for (t = 0; t < 600; t++) {
		k = 3 + rnd(4);
		random_table(v, &nr, &nc, k);
		rc = enas_suppress(mark, v, nr, nc, k);
		for (i = 0; i < nr * nc; i++) {
			if ((v[i] > 0 && v[i] < k) !=
			    (mark[i] == ENAS_CELL_PRIMARY))
				primary_ok = 0;
			complements += mark[i] == ENAS_CELL_SECONDARY;
		}
		if (rc < 0) {
			/* Refused: even withholding everything fails. */
			refused++;
			for (i = 0; i < nr * nc; i++)
				mark[i] = v[i] == 0 ? 0 : v[i] < k ?
				    ENAS_CELL_PRIMARY : ENAS_CELL_SECONDARY;
			if (attack(v, mark, nr, nc, k, pinned) == 0)
				refusal_ok = 0;
			continue;
		}
		bad = attack(v, mark, nr, nc, k, pinned);
		if (bad) {
			safe = 0;
			printf("# pinned in a %zux%zu table at k=%lld:", nr,
			    nc, k);
			for (i = 0; i < nr * nc; i++)
				printf(" %lld%s", v[i], mark[i] ? "*" : "");
			printf("\n");
		}
		/* The audit must agree with the attacker on any marking. */
		for (i = 0; i < nr * nc; i++)
			if (v[i] >= k && rnd(3) == 0)
				mark[i] = ENAS_CELL_SECONDARY;
		if (enas_suppress_audit(apinned, mark, v, nr, nc, k) < 0 ||
		    (attack(v, mark, nr, nc, k, pinned), memcmp(pinned,
		    apinned, nr * nc) != 0))
			agree = 0;
	}
	ok(primary_ok, "every cell of 1 to k-1, and no other, is primary");
	ok(safe, "no withheld cell of 600 random tables can be worked out");
	ok(agree, "the audit pins exactly the cells the attacker pins");
	ok(refusal_ok, "a refused table is one that cannot be protected "
	    "(%d of 600)", refused);
	ok(complements > 0, "complementary cells were needed (%d)",
	    complements);
	return tap_done();
}
