/*
 * stats_joint.c: a new publication audited with every earlier one of
 * the same kind (SPEC §7), as one linear program (lib/audit.c).
 *
 * The atoms are the records counted, classified as finely as any of
 * the publications classifies them: by every group any of them asked
 * for, by every period length, and by whether each of their
 * where-expressions (and -b, -e bounds) holds.  One run of the counting
 * gives them, of the commit the new publication reads.  Each
 * publication's cells, its rows and every margin, are sums of atoms;
 * their marks are what the ledger says was printed.  The counts a
 * reader might work out are the atoms themselves and each cell split
 * by each where-expression another publication used (the closed cases
 * between an "all" and an "open" table).
 *
 * An earlier publication whose figures, recounted at this commit, are
 * not what it printed (records changed since) cannot be put in the
 * same program: it is left out, with a warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "i18n.h"
#include "ledger.h"
#include "stats_int.h"

static const char *const inames[] = {
	"", "day", "week", "month", "quarter", "year"
};

/* A list of distinct strings. */
struct names {
	char **v;
	size_t n;
};

static int
name_index(struct names *l, const char *s, size_t *out)
{
	char **nv;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0) {
			*out = i;
			return 0;
		}
	if (!(nv = enas_realloc(l->v, (l->n + 1) * sizeof(*nv))))
		return ENAS_ENOMEM;
	l->v = nv;
	if (!(l->v[l->n] = enas_strdup(s)))
		return ENAS_ENOMEM;
	*out = l->n++;
	return 0;
}

static void
names_free(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* One publication's view of the atoms. */
struct view {
	struct enas_pub *p;
	size_t *gcol;		/* its groups' columns in the joint run */
	size_t pcol;		/* its period's column */
	size_t *tcol;		/* the tags it needs to hold */
	size_t ntcol;
	long *pidx;		/* per atom: its period index, -1 out */
	char **keys;		/* its cells' keys, sorted, for bsearch */
	size_t *kcell;		/* the ledger cell of each sorted key */
	int skip;
};

/* The key of a cell: mask, period day, then each key. */
static int
cell_key(struct enas_buf *b, unsigned mask, long long period,
    char *const *keys, const char *const *vals, size_t ng)
{
	size_t i;
	int rc;

	b->len = 0;
	if ((rc = enas_buf_printf(b, "%u\037%lld", mask, period)) < 0)
		return rc;
	for (i = 0; i < ng; i++) {
		const char *v = keys ? keys[i] : vals ? vals[i] : NULL;

		if (mask & ENAS_TOTAL_GROUP(i))
			rc = enas_buf_puts(b, "\037*");
		else if (v)
			rc = enas_buf_printf(b, "\037=%s", v);
		else
			rc = enas_buf_puts(b, "\037");
		if (rc < 0)
			return rc;
	}
	return enas_buf_add(b, "", 1);
}

struct kctx {
	char **keys;
};

static int
cmp_kidx(const void *a, const void *b, void *arg)
{
	const struct kctx *k = arg;

	return strcmp(k->keys[*(const size_t *)a], k->keys[*(const size_t *)b]);
}

/* Sort p's ledger cells by key. */
static int
view_index(struct view *v)
{
	struct enas_pub *p = v->p;
	struct enas_buf b = ENAS_BUF_INIT;
	struct kctx k;
	char **keys = NULL;
	size_t i;
	int rc = ENAS_ENOMEM;

	if (!(keys = enas_calloc(p->ncells + 1, sizeof(*keys))) ||
	    !(v->kcell = enas_calloc(p->ncells + 1, sizeof(*v->kcell))))
		goto out;
	for (i = 0; i < p->ncells; i++) {
		const struct enas_pub_cell *c = &p->cells[i];

		if ((rc = cell_key(&b, c->mask, c->period, c->keys, NULL,
		    p->ngroups)) < 0)
			goto out;
		if (!(keys[i] = enas_strdup(b.data))) {
			rc = ENAS_ENOMEM;
			goto out;
		}
		v->kcell[i] = i;
	}
	k.keys = keys;
	qsort_r(v->kcell, p->ncells, sizeof(*v->kcell), cmp_kidx, &k);
	v->keys = keys;
	keys = NULL;
	rc = 0;
out:
	if (keys) {
		for (i = 0; i < p->ncells; i++)
			free(keys[i]);
		free(keys);
	}
	enas_buf_free(&b);
	return rc;
}

/* The ledger cell of key s, or -1. */
static long
view_find(const struct view *v, const char *s)
{
	size_t lo = 0, hi = v->p->ncells, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(v->keys[v->kcell[mid]], s);
		if (c == 0)
			return (long)v->kcell[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void
view_free(struct view *v)
{
	size_t i;

	for (i = 0; v->keys && i < v->p->ncells; i++)
		free(v->keys[i]);
	free(v->keys);
	free(v->kcell);
	free(v->gcol);
	free(v->tcol);
	free(v->pidx);
}

/* An audit item and what it is. */
struct item {
	size_t view;		/* the publication, or (size_t)-1: a count */
	long cell;		/* its ledger cell */
	size_t off, n;		/* its atoms in joint.atoms */
	long long value;
};

struct joint {
	const struct enas_stats *j;	/* the joint run */
	size_t *live;		/* atoms: rows of j with a count */
	size_t na;
	struct view *v;
	size_t nv;
	struct item *it;
	size_t nit, capit;
	size_t *atoms;
	size_t natoms, capatoms;
	struct enas_audit *au;
};

static int
add_item(struct joint *J, size_t view, long cell, const size_t *atoms,
    size_t n, int mark)
{
	struct item *it;
	size_t id, i, cap;
	void *p;
	int rc;

	rc = view == (size_t)-1 ? enas_audit_count(J->au, &id, atoms, n) :
	    enas_audit_cell_k(J->au, &id, atoms, n, mark, J->v[view].p->k);
	if (rc < 0)
		return rc;
	if (id != J->nit)
		return enas_error_set(ENAS_EIO, _("audit: items out of step"));
	if (J->nit == J->capit) {
		cap = J->capit ? J->capit * 2 : 256;
		if (!(p = enas_realloc(J->it, cap * sizeof(*J->it))))
			return ENAS_ENOMEM;
		J->it = p;
		J->capit = cap;
	}
	if (J->natoms + n > J->capatoms) {
		cap = J->capatoms ? J->capatoms : 1024;
		while (cap < J->natoms + n)
			cap *= 2;
		if (!(p = enas_realloc(J->atoms, cap * sizeof(*J->atoms))))
			return ENAS_ENOMEM;
		J->atoms = p;
		J->capatoms = cap;
	}
	it = &J->it[J->nit++];
	it->view = view;
	it->cell = cell;
	it->off = J->natoms;
	it->n = n;
	it->value = 0;
	for (i = 0; i < n; i++) {
		J->atoms[J->natoms++] = atoms[i];
		it->value += J->j->rows[J->live[atoms[i]]].cell.count;
	}
	return 0;
}

/* The atoms' values on view v's dimensions, as cell keys. */
struct pk {
	struct enas_buf key;
	size_t atom;
};

static int
cmp_pk(const void *a, const void *b)
{
	return strcmp(((const struct pk *)a)->key.data,
	    ((const struct pk *)b)->key.data);
}

/*
 * Add view vi's cells: every mask over its dimensions, each a run of
 * atoms with one key.  A cell the ledger does not have, or whose count
 * differs, marks the view skipped (its records changed).
 */
static int
add_view(struct joint *J, size_t vi, int fixed)
{
	struct view *v = &J->v[vi];
	struct enas_pub *p = v->p;
	const struct enas_stats *j = J->j;
	struct pk *pk = NULL;
	const char **vals = NULL;
	size_t *run = NULL, a, i, k, n = 0, nd = p->ngroups + 1, first;
	unsigned m, dmask = 0;
	long long vv;
	long cell;
	int rc = ENAS_ENOMEM;

	if (!(pk = enas_calloc(J->na + 1, sizeof(*pk))) ||
	    !(vals = enas_calloc(p->ngroups + 1, sizeof(*vals))) ||
	    !(run = enas_calloc(J->na + 1, sizeof(*run))))
		goto out;
	if (p->interval)
		dmask |= ENAS_TOTAL_PERIOD;
	for (i = 0; i < p->ngroups; i++)
		dmask |= ENAS_TOTAL_GROUP(i);
	first = J->nit;
	for (m = 0; m < (1u << nd); m++) {
		if (m & ~dmask)
			continue;
		n = 0;
		for (a = 0; a < J->na; a++) {
			const struct enas_stats_row *r = &j->rows[J->live[a]];

			if (v->pidx[a] < 0)
				continue;
			for (i = 0; i < p->ngroups; i++)
				vals[i] = r->keys[v->gcol[i]];
			if ((rc = cell_key(&pk[n].key, m, p->interval &&
			    !(m & ENAS_TOTAL_PERIOD) ? p->periods[v->pidx[a]] :
			    -1, NULL, vals, p->ngroups)) < 0)
				goto out;
			pk[n++].atom = a;
		}
		qsort(pk, n, sizeof(*pk), cmp_pk);
		for (i = 0; i < n; i = k) {
			size_t c = 0;

			for (k = i; k < n && strcmp(pk[k].key.data,
			    pk[i].key.data) == 0; k++)
				run[c++] = pk[k].atom;
			cell = view_find(v, pk[i].key.data);
			if (cell < 0) {
				v->skip = 1;
				break;
			}
			if ((rc = add_item(J, vi, cell, run, c,
			    p->cells[cell].mark)) < 0)
				goto out;
			vv = J->it[J->nit - 1].value;
			if ((p->cells[cell].mark == ENAS_CELL_SHOWN &&
			    p->cells[cell].count != vv) ||
			    (p->cells[cell].mark == ENAS_CELL_PRIMARY &&
			    (vv < 1 || vv >= p->k)) ||
			    (p->cells[cell].mark == ENAS_CELL_SECONDARY &&
			    vv < p->k)) {
				v->skip = 1;
				break;
			}
		}
		if (v->skip)
			break;
	}
	/* Every cell the ledger has with a count must be found. */
	if (!v->skip) {
		size_t want = 0, got = J->nit - first;

		for (i = 0; i < p->ncells; i++)
			if (p->cells[i].mark || p->cells[i].count > 0)
				want++;
		if (got < want)
			v->skip = 1;
	}
	if (v->skip && !fixed) {
		/* Its items stay, but say nothing. */
		for (i = first; i < J->nit; i++)
			enas_audit_mark(J->au, i, ENAS_AUDIT_IGNORE);
	}
	rc = 0;
out:
	for (i = 0; pk && i < J->na; i++)
		enas_buf_free(&pk[i].key);
	free(pk);
	free(vals);
	free(run);
	return rc;
}

/* Map view v's needs to columns of the joint query's groups. */
static int
plan_view(struct view *v, struct names *g, const char *date)
{
	struct enas_pub *p = v->p;
	struct enas_buf b = ENAS_BUF_INIT;
	char day[11];
	size_t i;
	int rc = ENAS_ENOMEM;

	if (!(v->gcol = enas_calloc(p->ngroups + 1, sizeof(*v->gcol))) ||
	    !(v->tcol = enas_calloc(p->nwhere + 3, sizeof(*v->tcol))))
		goto out;
	for (i = 0; i < p->ngroups; i++)
		if ((rc = name_index(g, p->groups[i], &v->gcol[i])) < 0)
			goto out;
	if (p->interval) {
		if ((rc = enas_buf_printf(&b, "%s:%s", date,
		    inames[p->interval])) < 0 ||
		    (rc = name_index(g, b.data, &v->pcol)) < 0)
			goto out;
	}
	for (i = 0; i < p->nwhere; i++) {
		b.len = 0;
		if ((rc = enas_buf_printf(&b, "?%s", p->where[i])) < 0 ||
		    (rc = name_index(g, b.data, &v->tcol[v->ntcol++])) < 0)
			goto out;
	}
	if (p->begin >= 0) {
		enas_date_format(day, p->begin);
		b.len = 0;
		if ((rc = enas_buf_printf(&b, "?%s>=%s", date, day)) < 0 ||
		    (rc = name_index(g, b.data, &v->tcol[v->ntcol++])) < 0)
			goto out;
	}
	if (p->end >= 0) {
		enas_date_format(day, p->end);
		b.len = 0;
		if ((rc = enas_buf_printf(&b, "?%s<%s", date, day)) < 0 ||
		    (rc = name_index(g, b.data, &v->tcol[v->ntcol++])) < 0)
			goto out;
	}
	rc = 0;
out:
	enas_buf_free(&b);
	return rc;
}

/* Each atom's period index in view v, or -1 when v does not count it. */
static int
place_atoms(struct joint *J, struct view *v)
{
	struct enas_pub *p = v->p;
	size_t a, i;
	long long b;

	if (!(v->pidx = enas_calloc(J->na + 1, sizeof(*v->pidx))))
		return ENAS_ENOMEM;
	for (a = 0; a < J->na; a++) {
		const struct enas_stats_row *r = &J->j->rows[J->live[a]];

		v->pidx[a] = p->interval ? -1 : 0;
		for (i = 0; i < v->ntcol; i++)
			if (!r->keys[v->tcol[i]] ||
			    strcmp(r->keys[v->tcol[i]], "1") != 0)
				break;
		if (i < v->ntcol) {
			v->pidx[a] = -2;
			continue;
		}
		if (!p->interval)
			continue;
		if (!r->keys[v->pcol] || enas_period_parse(&b, NULL, NULL,
		    r->keys[v->pcol]) < 0) {
			v->pidx[a] = -2;
			continue;
		}
		for (i = 0; i < p->nperiods && p->periods[i] != b; i++)
			;
		v->pidx[a] = i < p->nperiods ? (long)i : -2;
	}
	return 0;
}

/* Whether items x and y share an atom. */
static int
overlap(const struct joint *J, const struct item *x, const struct item *y)
{
	size_t i, k;

	for (i = 0; i < x->n; i++)
		for (k = 0; k < y->n; k++)
			if (J->atoms[x->off + i] == J->atoms[y->off + k])
				return 1;
	return 0;
}

/*
 * Before a refusal: the cells this table's own pattern shows, in sets,
 * fewer first and the smaller total first, each audited with every
 * earlier publication (check: what they did not give away already);
 * the first safe set is withheld.  The table's marks start again from
 * its own pattern (orig).  1 when a set was found (marked in the audit
 * and in mine), 0 when none within the budget, or a negative status.
 */
static int
joint_search(struct joint *J, size_t nv, struct enas_pub *mine,
    const unsigned char *check, const unsigned char *orig)
{
	size_t i, k, ncand = 0, *cand = NULL, *best = NULL;
	long long *val = NULL;
	long budget = enas_audit_budget(J->au);
	int n = ENAS_ENOMEM;

	if (!(cand = enas_calloc(J->nit + 1, sizeof(*cand))) ||
	    !(best = enas_calloc(J->nit + 1, sizeof(*best))) ||
	    !(val = enas_calloc(J->nit + 1, sizeof(*val))))
		goto out;
	for (i = 0; i < J->nit; i++) {
		if (J->it[i].view != nv - 1)
			continue;
		enas_audit_mark(J->au, i, orig[i]);
		mine->cells[J->it[i].cell].mark = orig[i];
		if (orig[i] != ENAS_CELL_SHOWN || J->it[i].value <= 0)
			continue;
		/* By value, smallest first. */
		for (k = ncand++; k > 0 && val[k - 1] > J->it[i].value; k--) {
			cand[k] = cand[k - 1];
			val[k] = val[k - 1];
		}
		cand[k] = i;
		val[k] = J->it[i].value;
	}
	/* The audit's cell of an item is its index. */
	if ((n = enas_audit_search(J->au, best, cand, val, ncand, ncand, -1,
	    check, &budget)) > 0)
		for (i = 0; i < (size_t)n; i++) {
			k = cand[best[i]];
			enas_audit_mark(J->au, k, ENAS_CELL_SECONDARY);
			mine->cells[J->it[k].cell].mark = ENAS_CELL_SECONDARY;
		}
out:
	free(cand);
	free(best);
	free(val);
	return n < 0 ? n : n > 0;
}

static int
refuse(struct joint *J, size_t e, size_t nv)
{
	struct enas_buf b = ENAS_BUF_INIT;
	size_t i, v, named = 0;
	int rc;

	for (v = 0; v + 1 < nv && named < 3; v++) {
		if (J->v[v].skip)
			continue;
		for (i = 0; i < J->nit; i++)
			if (J->it[i].view == v && overlap(J, &J->it[e],
			    &J->it[i]))
				break;
		if (i == J->nit)
			continue;
		if (enas_buf_printf(&b, "%s%s (%s, %s)", named ? "; " : "",
		    J->v[v].p->name, J->v[v].p->date ? J->v[v].p->date : "?",
		    J->v[v].p->args ? J->v[v].p->args : "?") < 0) {
			enas_buf_free(&b);
			return ENAS_ENOMEM;
		}
		named++;
	}
	rc = enas_error_set(ENAS_EDATA, _("with what was published before, "
	    "this table would give away a small count that no pattern of "
	    "its own cells can hide; it conflicts with %s (see enas-stats "
	    "--ledger)"), named ? b.data : _("an earlier publication"));
	enas_buf_free(&b);
	return rc;
}

int
enas_stats_audit(struct enas_stats *st, const struct enas_stats_query *q,
    struct enas_repo *repo, struct enas_pub *const *pubs, size_t npubs,
    enas_diag_fn fn, void *ctx)
{
	struct enas_stats_query jq = ENAS_STATS_QUERY_INIT;
	struct enas_stats *js = NULL;
	struct enas_pub *mine = NULL;
	struct enas_buf text = ENAS_BUF_INIT;
	struct names g = { NULL, 0 };
	struct joint J;
	unsigned char *exposed = NULL, *check = NULL, *one = NULL;
	unsigned char *spent = NULL, *base = NULL, *orig = NULL;
	size_t *cand = NULL, *added = NULL, nadded = 0, i, k, v, nv = 0;
	size_t ncand, e, pass;
	long long n;
	int rc;

	memset(&J, 0, sizeof(J));
	if (st->history || !st->min_cell)
		return 0;
	if (!(J.v = enas_calloc(npubs + 1, sizeof(*J.v))))
		return ENAS_ENOMEM;
	for (i = 0; i < npubs; i++) {
		const struct enas_pub *p = pubs[i];

		if (p->history || strcmp(p->kind, st->kind) != 0 ||
		    strcmp(p->unit, st->unit) != 0)
			continue;
		J.v[nv++].p = pubs[i];
	}
	if (nv == 0) {
		free(J.v);
		return 0;
	}
	if (!st->date && (rc = enas_error_set(ENAS_EUSAGE, _("%s records "
	    "have no date field"), st->kind)) < 0)
		goto out;
	/* This publication as the ledger would have it, last. */
	if ((rc = enas_ledger_format(&text, st, q, "", 0)) < 0 ||
	    (rc = enas_ledger_parse(&mine, "this", text.data, text.len)) < 0)
		goto out;
	J.v[nv++].p = mine;
	for (v = 0; v < nv; v++)
		if ((rc = plan_view(&J.v[v], &g, st->date)) < 0)
			goto out;
	/* The atoms: one run, every classification at once. */
	jq.kind = st->kind;
	jq.rev = st->commit;
	jq.groups = (const char **)g.v;
	jq.ngroups = g.n;
	jq.consent = q->consent;
	jq.cache = q->cache;
	jq.threads = q->threads;
	jq.today = q->today;
	if ((rc = enas_stats_run(&js, repo, &jq, fn, ctx)) < 0)
		goto out;
	J.j = js;
	if (!(J.live = enas_calloc(js->nrows + 1, sizeof(*J.live))))
		goto nomem;
	for (i = 0; i < js->nrows; i++)
		if (js->rows[i].cell.count > 0)
			J.live[J.na++] = i;
	{
		long long *x = enas_calloc(J.na + 1, sizeof(*x));

		if (!x)
			goto nomem;
		for (i = 0; i < J.na; i++)
			x[i] = js->rows[J.live[i]].cell.count;
		rc = enas_audit_new(&J.au, J.na, x, st->min_cell);
		free(x);
		if (rc < 0)
			goto out;
	}
	for (v = 0; v < nv; v++) {
		if ((rc = place_atoms(&J, &J.v[v])) < 0 ||
		    (rc = view_index(&J.v[v])) < 0 ||
		    (rc = add_view(&J, v, v + 1 == nv)) < 0)
			goto out;
		if (J.v[v].skip && v + 1 == nv) {
			rc = enas_error_set(ENAS_EIO, _("the audit recounts "
			    "this table differently; nothing published"));
			goto out;
		}
		if (J.v[v].skip)
			enas_diag_report(fn, ctx, J.v[v].p->name, 0, 0,
			    ENAS_WARNING, NULL, NULL, _("published from records "
			    "that have changed since; not audited with this "
			    "table"));
	}
	/* The counts: atoms, and cells split by each tag. */
	{
		size_t ncells = J.nit, t, a, *in = NULL, *out1 = NULL;

		if (!(in = enas_calloc(J.na + 1, sizeof(*in))) ||
		    !(out1 = enas_calloc(J.na + 1, sizeof(*out1)))) {
			free(in);
			goto nomem;
		}
		for (a = 0; a < J.na && rc == 0; a++)
			rc = add_item(&J, (size_t)-1, -1, &a, 1, 0);
		for (t = 0; t < g.n && rc == 0; t++) {
			if (g.v[t][0] != '?')
				continue;
			for (i = 0; i < ncells && rc == 0; i++) {
				struct item it = J.it[i];
				size_t ni = 0, no = 0;

				if (J.v[it.view].skip || it.n < 2)
					continue;
				for (k = 0; k < it.n; k++) {
					a = J.atoms[it.off + k];
					if (js->rows[J.live[a]].keys[t] &&
					    strcmp(js->rows[J.live[a]].keys[t],
					    "1") == 0)
						in[ni++] = a;
					else
						out1[no++] = a;
				}
				if (ni && no)
					if ((rc = add_item(&J, (size_t)-1, -1,
					    in, ni, 0)) == 0)
						rc = add_item(&J, (size_t)-1,
						    -1, out1, no, 0);
			}
		}
		free(in);
		free(out1);
		if (rc < 0)
			goto out;
	}
	if (!(exposed = enas_calloc(J.nit + 1, 1)) ||
	    !(check = enas_calloc(J.nit + 1, 1)) ||
	    !(one = enas_calloc(J.nit + 1, 1)) ||
	    !(spent = enas_calloc(J.nit + 1, 1)) ||
	    !(cand = enas_calloc(J.nit + 1, sizeof(*cand))) ||
	    !(added = enas_calloc(J.nit + 1, sizeof(*added))) ||
	    !(base = enas_calloc(J.nit + 1, 1)) ||
	    !(orig = enas_calloc(J.nit + 1, 1)))
		goto nomem;
	/*
	 * What the earlier publications give away without this one is
	 * not this one's to mend (and cannot be): audit the rest.
	 */
	for (i = 0; i < J.nit; i++)
		if (J.it[i].view == nv - 1)
			enas_audit_mark(J.au, i, ENAS_AUDIT_IGNORE);
	if ((n = enas_audit_run(J.au, exposed, NULL, 0)) < 0) {
		rc = (int)n;
		goto out;
	}
	for (i = 0; i < J.nit; i++) {
		base[i] = check[i] = !exposed[i];
		if (J.it[i].view == nv - 1) {
			orig[i] = (unsigned char)mine->cells[J.it[i].cell].mark;
			enas_audit_mark(J.au, i, orig[i]);
		}
	}
	if (n > 0)
		enas_diag_report(fn, ctx, ENAS_LEDGER_REF, 0, 0, ENAS_WARNING,
		    NULL, NULL, _("earlier publications may give away %lld "
		    "figures together, to a reader who knows which "
		    "combinations have no records; this one adds nothing to "
		    "that"),
		    n);
	for (;;) {
		if ((n = enas_audit_run(J.au, exposed, check, 0)) < 0) {
			rc = (int)n;
			goto out;
		}
		if (n == 0)
			break;
		for (e = 0; e < J.nit && !exposed[e]; e++)
			;
		/* This table's shown cells that share an atom with it. */
		/* Then the others: the way may go round. */
		ncand = 0;
		for (pass = 0; pass < 2; pass++) {
			size_t start = ncand;

			for (i = 0; i < J.nit; i++) {
				const struct item *it = &J.it[i];
				const struct enas_pub_cell *c;

				if (it->view != nv - 1)
					continue;
				c = &mine->cells[it->cell];
				if (c->mark != ENAS_CELL_SHOWN ||
				    it->value <= 0 || spent[i] ||
				    overlap(&J, &J.it[e], it) != !pass)
					continue;
				for (k = ncand++; k > start &&
				    J.it[cand[k - 1]].value > it->value; k--)
					cand[k] = cand[k - 1];
				cand[k] = i;
			}
		}
		if (ncand == 0 && J.it[e].view == nv - 1 &&
		    mine->cells[J.it[e].cell].mark == ENAS_CELL_SECONDARY) {
			/*
			 * A complement of this table that a reader can work
			 * out anyway, and nothing can hide, is shown: that
			 * tells nothing more.
			 */
			enas_audit_mark(J.au, e, ENAS_CELL_SHOWN);
			mine->cells[J.it[e].cell].mark = ENAS_CELL_SHOWN;
			spent[e] = 1;
			memcpy(check, exposed, J.nit);
			check[e] = 0;
			continue;
		}
		if (ncand == 0)
			goto search;
		memset(one, 0, J.nit);
		one[e] = 1;
		for (k = 0; k < ncand; k++) {
			enas_audit_mark(J.au, cand[k], ENAS_CELL_SECONDARY);
			if ((n = enas_audit_run(J.au, NULL, one, 1)) < 0) {
				rc = (int)n;
				goto out;
			}
			if (n == 0)
				break;
			enas_audit_mark(J.au, cand[k], ENAS_CELL_SHOWN);
		}
		if (k == ncand)
			k = 0;
		enas_audit_mark(J.au, cand[k], ENAS_CELL_SECONDARY);
		mine->cells[J.it[cand[k]].cell].mark = ENAS_CELL_SECONDARY;
		if (nadded == J.nit)
			goto search;
		added[nadded++] = cand[k];
		for (i = 0; i < J.nit; i++)
			check[i] = exposed[i];
		check[cand[k]] = 1;
	}
	/* Give back what is not needed, the largest first. */
	for (i = 0; i < nadded; i++)
		for (k = i + 1; k < nadded; k++)
			if (J.it[added[k]].value > J.it[added[i]].value) {
				size_t tmp = added[i];

				added[i] = added[k];
				added[k] = tmp;
			}
	for (i = 0; i < nadded; i++) {
		if (mine->cells[J.it[added[i]].cell].mark !=
		    ENAS_CELL_SECONDARY)
			continue;
		enas_audit_mark(J.au, added[i], ENAS_CELL_SHOWN);
		if ((n = enas_audit_run(J.au, NULL, NULL, 1)) < 0) {
			rc = (int)n;
			goto out;
		}
		if (n > 0)
			enas_audit_mark(J.au, added[i], ENAS_CELL_SECONDARY);
		else
			mine->cells[J.it[added[i]].cell].mark =
			    ENAS_CELL_SHOWN;
	}
	goto marks;
search:
	/* Refuse only when no set of this table's cells protects it. */
	if ((rc = joint_search(&J, nv, mine, base, orig)) < 0)
		goto out;
	if (rc == 0) {
		rc = refuse(&J, e, nv);
		goto out;
	}
marks:
	/* The marks back into st: rows, then totals, as formatted. */
	for (i = 0; i < mine->ncells; i++) {
		struct enas_stats_cell *c = i < st->nrows ?
		    &st->rows[i].cell : &st->totals[i - st->nrows].cell;

		if (i < st->nrows + st->ntotals &&
		    c->mark != ENAS_CELL_PRIMARY)
			c->mark = mine->cells[i].mark;
	}
	rc = 0;
	goto out;
nomem:
	rc = ENAS_ENOMEM;
out:
	for (v = 0; v < nv; v++)
		view_free(&J.v[v]);
	free(J.v);
	free(J.live);
	free(J.it);
	free(J.atoms);
	enas_audit_free(J.au);
	enas_stats_free(js);
	enas_pub_free(mine);
	enas_buf_free(&text);
	names_free(&g);
	free(exposed);
	free(check);
	free(one);
	free(spent);
	free(cand);
	free(added);
	free(base);
	free(orig);
	return rc;
}
