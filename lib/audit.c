/*
 * audit.c: what a reader can work out from published cells, as linear
 * programs over the atoms (GLPK).
 *
 * Why GLPK: a table with all its margins, or several tables published
 * from the same records, is no longer a network (as one two-way table
 * is, lib/suppress.c), and the exact question, "can this withheld
 * figure take another whole value?", is an integer program.  GLPK is
 * the solver Debian ships as a library (libglpk-dev), small, stable
 * since 2008 in its API, and what sdcTable uses too.  Each bound is
 * found by the simplex method from the basis of the previous one, so a
 * few hundred bounds cost a few pivots each; the integer program is
 * run only when the relaxation's bound is not attained by a whole
 * solution.
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "enas.h"
#include "i18n.h"

#define KIND_CELL 0
#define KIND_COUNT 1
#define MIP_MS 5000		/* an integer program's time limit */

struct acell {
	size_t off, n;
	int mark;
	int kind;
	long long value;
	long long k;		/* the k it was published with */
};

struct enas_audit {
	size_t natoms;
	long long *x;
	long long k;
	struct acell *cells;
	size_t ncells, cap;
	size_t *idx;
	size_t nidx, capidx;
	/* One run. */
	glp_prob *lp;
	int *objcols;
	size_t nobj;
};

int
enas_audit_new(struct enas_audit **out, size_t natoms, const long long *x,
    long long k)
{
	struct enas_audit *a;

	*out = NULL;
	if (!(a = enas_calloc(1, sizeof(*a))) ||
	    !(a->x = enas_malloc((natoms + 1) * sizeof(*a->x)))) {
		free(a);
		return ENAS_ENOMEM;
	}
	if (natoms)
		memcpy(a->x, x, natoms * sizeof(*x));
	a->natoms = natoms;
	a->k = k;
	*out = a;
	return 0;
}

static int
add(struct enas_audit *a, size_t *id, const size_t *idx, size_t n, int mark,
    int kind)
{
	struct acell *c;
	size_t i, cap;
	void *p;

	if (a->ncells == a->cap) {
		cap = a->cap ? a->cap * 2 : 64;
		if (!(p = enas_realloc(a->cells, cap * sizeof(*a->cells))))
			return ENAS_ENOMEM;
		a->cells = p;
		a->cap = cap;
	}
	if (a->nidx + n > a->capidx) {
		cap = a->capidx ? a->capidx : 256;
		while (cap < a->nidx + n)
			cap *= 2;
		if (!(p = enas_realloc(a->idx, cap * sizeof(*a->idx))))
			return ENAS_ENOMEM;
		a->idx = p;
		a->capidx = cap;
	}
	c = &a->cells[a->ncells];
	c->off = a->nidx;
	c->n = n;
	c->mark = mark;
	c->kind = kind;
	c->value = 0;
	c->k = a->k;
	for (i = 0; i < n; i++) {
		if (idx[i] >= a->natoms)
			return enas_error_set(ENAS_EUSAGE, "audit: atom %zu of "
			    "%zu", idx[i], a->natoms);
		a->idx[a->nidx++] = idx[i];
		c->value += a->x[idx[i]];
	}
	if (id)
		*id = a->ncells;
	a->ncells++;
	return 0;
}

int
enas_audit_cell(struct enas_audit *a, size_t *id, const size_t *idx,
    size_t n, int mark)
{
	return add(a, id, idx, n, mark, KIND_CELL);
}

int
enas_audit_cell_k(struct enas_audit *a, size_t *id, const size_t *idx,
    size_t n, int mark, long long k)
{
	int rc;

	if ((rc = add(a, id, idx, n, mark, KIND_CELL)) == 0)
		a->cells[a->ncells - 1].k = k;
	return rc;
}

int
enas_audit_count(struct enas_audit *a, size_t *id, const size_t *idx,
    size_t n)
{
	return add(a, id, idx, n, ENAS_CELL_SHOWN, KIND_COUNT);
}

void
enas_audit_mark(struct enas_audit *a, size_t id, int mark)
{
	if (id < a->ncells)
		a->cells[id].mark = mark;
}

size_t
enas_audit_size(const struct enas_audit *a)
{
	return a->ncells;
}

void
enas_audit_free(struct enas_audit *a)
{
	if (!a)
		return;
	if (a->lp)
		glp_delete_prob(a->lp);
	free(a->x);
	free(a->cells);
	free(a->idx);
	free(a->objcols);
	free(a);
}

/* Whether cells c and d hold the same atoms (both sorted or not). */
static int
same_atoms(const struct enas_audit *a, const struct acell *c,
    const struct acell *d)
{
	size_t i, j;

	if (c->n != d->n || c->value != d->value)
		return 0;
	for (i = 0; i < c->n; i++) {
		for (j = 0; j < d->n; j++)
			if (a->idx[c->off + i] == a->idx[d->off + j])
				break;
		if (j == d->n)
			return 0;
	}
	return 1;
}

/* The linear program of the published cells; 0 or ENAS_ENOMEM. */
static int
build(struct enas_audit *a)
{
	int *ia = NULL, *ja = NULL, row = 0;
	double *ar = NULL;
	size_t i, j, ne = 0, nrows = 0;
	const struct acell *c;

	if (a->lp)
		glp_delete_prob(a->lp);
	a->lp = glp_create_prob();
	glp_set_obj_dir(a->lp, GLP_MIN);
	if (a->natoms) {
		glp_add_cols(a->lp, (int)a->natoms);
		for (i = 0; i < a->natoms; i++)
			glp_set_col_bnds(a->lp, (int)i + 1, GLP_LO, 0, 0);
	}
	for (i = 0; i < a->ncells; i++)
		if (a->cells[i].kind == KIND_CELL && a->cells[i].n &&
		    a->cells[i].mark != ENAS_AUDIT_IGNORE) {
			nrows++;
			ne += a->cells[i].n;
		}
	if (!(ia = enas_malloc((ne + 1) * sizeof(*ia))) ||
	    !(ja = enas_malloc((ne + 1) * sizeof(*ja))) ||
	    !(ar = enas_malloc((ne + 1) * sizeof(*ar))) ||
	    !(a->objcols = enas_realloc(a->objcols, (a->natoms + 1) *
	    sizeof(*a->objcols)))) {
		free(ia);
		free(ja);
		free(ar);
		return ENAS_ENOMEM;
	}
	a->nobj = 0;
	if (nrows)
		glp_add_rows(a->lp, (int)nrows);
	ne = 0;
	for (i = 0; i < a->ncells; i++) {
		double v, lo;

		c = &a->cells[i];
		if (c->kind != KIND_CELL || !c->n ||
		    c->mark == ENAS_AUDIT_IGNORE)
			continue;
		row++;
		v = (double)c->value;
		if (c->mark == ENAS_CELL_PRIMARY)
			glp_set_row_bnds(a->lp, row, GLP_DB, 1,
			    (double)(c->k - 1));
		else if (c->mark == ENAS_CELL_SECONDARY) {
			lo = c->value < c->k ? v : (double)c->k;
			glp_set_row_bnds(a->lp, row, GLP_LO, lo, 0);
		} else
			glp_set_row_bnds(a->lp, row, GLP_FX, v, v);
		for (j = 0; j < c->n; j++) {
			ne++;
			ia[ne] = row;
			ja[ne] = (int)a->idx[c->off + j] + 1;
			ar[ne] = 1;
		}
	}
	if (ne)
		glp_load_matrix(a->lp, (int)ne, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	return 0;
}

static int
integral(glp_prob *lp, int ncols)
{
	int j;
	double v;

	for (j = 1; j <= ncols; j++) {
		v = glp_get_col_prim(lp, j);
		if (fabs(v - floor(v + 0.5)) > 1e-6)
			return 0;
	}
	return 1;
}

/* Set the objective to the sum of cell c's atoms. */
static void
objective(struct enas_audit *a, const struct acell *c)
{
	size_t j;

	for (j = 0; j < a->nobj; j++)
		glp_set_obj_coef(a->lp, a->objcols[j], 0);
	a->nobj = 0;
	for (j = 0; j < c->n; j++) {
		int col = (int)a->idx[c->off + j] + 1;

		glp_set_obj_coef(a->lp, col, 1);
		a->objcols[a->nobj++] = col;
	}
}

/*
 * The linear bound of the objective in direction dir: 1 with *v set
 * and *whole telling whether a whole solution attains it, 2 when
 * unbounded, 0 when the solver failed (treated as not known).
 */
static int
lp_bound(struct enas_audit *a, int dir, double *v, int *whole)
{
	glp_smcp parm;
	int st;

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_OFF;
	glp_set_obj_dir(a->lp, dir);
	if (glp_simplex(a->lp, &parm) != 0) {
		/* A lost basis: start again from a fresh one. */
		glp_adv_basis(a->lp, 0);
		if (glp_simplex(a->lp, &parm) != 0)
			return 0;
	}
	st = glp_get_status(a->lp);
	if (st == GLP_UNBND)
		return 2;
	if (st != GLP_OPT)
		return 0;
	*v = glp_get_obj_val(a->lp);
	*whole = integral(a->lp, (int)a->natoms);
	return 1;
}

/* The whole bound, by the integer program: as lp_bound(). */
static int
mip_bound(struct enas_audit *a, int dir, double *v)
{
	glp_prob *mip = glp_create_prob();
	glp_iocp parm;
	int j, rc = 0, st;

	glp_copy_prob(mip, a->lp, GLP_OFF);
	glp_set_obj_dir(mip, dir);
	for (j = 1; j <= (int)a->natoms; j++)
		glp_set_col_kind(mip, j, GLP_IV);
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	parm.tm_lim = MIP_MS;
	if (glp_intopt(mip, &parm) == 0) {
		st = glp_mip_status(mip);
		if (st == GLP_OPT) {
			*v = glp_mip_obj_val(mip);
			rc = 1;
		}
	} else if (glp_get_status(mip) == GLP_UNBND)
		rc = 2;
	glp_delete_prob(mip);
	return rc;
}

/*
 * Whether cell c can take a whole value in [lo, hi] (one of lo, hi may
 * be infinite: LLONG_MIN, LLONG_MAX): its lowest whole value no more
 * than hi, or its highest no less than lo.  1 yes, 0 no (or not known).
 */
static int
reaches(struct enas_audit *a, const struct acell *c, double below,
    double above)
{
	double v;
	int whole, r;

	objective(a, c);
	/* Down to below or under. */
	r = lp_bound(a, GLP_MIN, &v, &whole);
	if (r == 2 || (r == 1 && v <= below + 1e-6 && whole))
		return 1;
	if (r == 1 && v <= below + 1e-6) {
		r = mip_bound(a, GLP_MIN, &v);
		if (r == 2 || (r == 1 && v <= below + 1e-6))
			return 1;
	}
	/* Up to above or over. */
	r = lp_bound(a, GLP_MAX, &v, &whole);
	if (r == 2 || (r == 1 && v >= above - 1e-6 && whole))
		return 1;
	if (r == 1 && v >= above - 1e-6) {
		r = mip_bound(a, GLP_MAX, &v);
		if (r == 2 || (r == 1 && v >= above - 1e-6))
			return 1;
	}
	return 0;
}

/* Whether count c (1..k-1) equals a withheld primary cell. */
static int
is_primary(const struct enas_audit *a, const struct acell *c)
{
	size_t i;

	for (i = 0; i < a->ncells; i++)
		if (a->cells[i].kind == KIND_CELL &&
		    a->cells[i].mark == ENAS_CELL_PRIMARY &&
		    same_atoms(a, c, &a->cells[i]))
			return 1;
	return 0;
}

long long
enas_audit_run(struct enas_audit *a, unsigned char *exposed,
    const unsigned char *check, int first)
{
	glp_smcp parm;
	const struct acell *c;
	long long n = 0;
	size_t i;
	int bad, rc;

	if (exposed)
		memset(exposed, 0, a->ncells);
	glp_term_out(GLP_OFF);
	if ((rc = build(a)) < 0)
		return rc;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	glp_adv_basis(a->lp, 0);
	if (glp_simplex(a->lp, &parm) != 0 ||
	    glp_get_status(a->lp) != GLP_OPT)
		return enas_error_set(ENAS_EDATA, _("the published figures do "
		    "not fit together (the audit finds no solution)"));
	for (i = 0; i < a->ncells; i++) {
		c = &a->cells[i];
		if (check && !check[i])
			continue;
		if (c->kind == KIND_CELL) {
			if (c->mark == ENAS_CELL_SHOWN ||
			    c->mark == ENAS_AUDIT_IGNORE)
				continue;
			/* Another whole value, below or above. */
			bad = !reaches(a, c, (double)c->value - 1,
			    (double)c->value + 1);
		} else {
			if (c->value <= 0 || c->value >= a->k ||
			    is_primary(a, c))
				continue;
			bad = !reaches(a, c, 0, (double)a->k);
		}
		if (bad) {
			n++;
			if (exposed)
				exposed[i] = 1;
			if (first)
				break;
		}
	}
	return n;
}

long
enas_audit_budget(const struct enas_audit *a)
{
	long b = (long)(48000 / (enas_audit_size(a) + 1));

	return b < 50 ? 50 : b;
}

struct search {
	struct enas_audit *a;
	const size_t *ids;
	const long long *val;
	const unsigned char *check;
	size_t ncand;
	size_t *pick, *best;
	size_t nbest;
	long long bestsum;	/* of best; -1 while none */
	long *budget;
	int rc;
};

/* Whether withholding the picked candidates protects everything. */
static long long
safe_set(struct search *sr, size_t n)
{
	long long r;
	size_t i;

	for (i = 0; i < n; i++)
		enas_audit_mark(sr->a, sr->ids[sr->pick[i]],
		    ENAS_CELL_SECONDARY);
	r = enas_audit_run(sr->a, NULL, sr->check, 1);
	for (i = 0; i < n; i++)
		enas_audit_mark(sr->a, sr->ids[sr->pick[i]], ENAS_CELL_SHOWN);
	return r;
}

/* Sets of n candidates from index from on, cheaper than the best. */
static int
search_sets(struct search *sr, size_t depth, size_t n, size_t from,
    long long sum)
{
	size_t i;
	long long v, r;

	if (depth == n) {
		if ((*sr->budget)-- <= 0)
			return -1;
		if ((r = safe_set(sr, n)) < 0) {
			sr->rc = (int)r;
			return -1;
		}
		if (r > 0)
			return 0;
		memcpy(sr->best, sr->pick, n * sizeof(*sr->pick));
		sr->nbest = n;
		sr->bestsum = sum;
		return 0;
	}
	for (i = from; i + (n - depth) <= sr->ncand; i++) {
		v = sr->val[i];
		/* The rest cost at least v each: no cheaper set from here. */
		if (sr->bestsum >= 0 && sum + v * (long long)(n - depth) >=
		    sr->bestsum)
			break;
		sr->pick[depth] = i;
		if (search_sets(sr, depth + 1, n, i + 1, sum + v) < 0)
			return -1;
	}
	return 0;
}

int
enas_audit_search(struct enas_audit *a, size_t *best, const size_t *ids,
    const long long *val, size_t ncand, size_t max, long long limit,
    const unsigned char *check, long *budget)
{
	struct search sr;
	size_t n;
	int rc = 0;

	memset(&sr, 0, sizeof(sr));
	sr.a = a;
	sr.ids = ids;
	sr.val = val;
	sr.check = check;
	sr.ncand = ncand;
	sr.best = best;
	sr.bestsum = -1;
	sr.budget = budget;
	if (!(sr.pick = enas_calloc(max + 1, sizeof(*sr.pick))))
		return ENAS_ENOMEM;
	for (n = 1; n <= max && n <= ncand; n++) {
		if (n == max && limit >= 0)
			sr.bestsum = limit;
		if (search_sets(&sr, 0, n, 0, 0) < 0 && sr.rc < 0) {
			rc = sr.rc;
			break;
		}
		if (sr.nbest == n) {
			rc = (int)n;
			break;
		}
		if (*budget <= 0)
			break;
	}
	free(sr.pick);
	return rc;
}
