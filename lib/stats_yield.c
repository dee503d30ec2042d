/*
 * stats_yield.c: what one record yields for a question, encoded in a
 * few bytes: whether it passes the where-expressions, its consent and
 * date, and one unit per item counted with its group values and
 * summands.  The yield depends on nothing but the blob's content and
 * the question, so it is cached by blob id (lib/blobcache).  Adding up
 * is decoding yields into a cell table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "stats_int.h"

static int
put_byte(struct enas_buf *b, unsigned char c)
{
	return enas_buf_add(b, &c, 1);
}

int
stats_put_varint(struct enas_buf *b, unsigned long long v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	return enas_buf_add(b, tmp, n);
}

static unsigned long long
zig(long long v)
{
	return v < 0 ? ((unsigned long long)(-(v + 1)) << 1) | 1 :
	    (unsigned long long)v << 1;
}

static long long
unzig(unsigned long long v)
{
	return v & 1 ? -(long long)(v >> 1) - 1 : (long long)(v >> 1);
}


unsigned long long
stats_get_varint(struct rd *r)
{
	unsigned long long v = 0;
	int shift = 0;

	while (r->p < r->end && shift < 64) {
		v |= (unsigned long long)(*r->p & 0x7f) << shift;
		if (!(*r->p++ & 0x80))
			return v;
		shift += 7;
	}
	r->bad = 1;
	return 0;
}
/* --- what a record yields --- */

struct sumctx {
	long long sum;
	const struct enas_node *bad;
};

static int
add_scalar(struct sumctx *sc, const struct enas_node *n)
{
	long long v;

	if (n->type != ENAS_SCALAR) {
		sc->bad = n;
		return 1;
	}
	if (n->len == 0)
		return 0;
	if (enas_int_parse(&v, n->value, n->len) < 0) {
		sc->bad = n;
		return 1;
	}
	sc->sum += v;
	return 0;
}

static int
sum_node(void *ctx, const struct enas_node *n)
{
	struct sumctx *sc = ctx;
	const struct enas_node *m;

	if (n->type != ENAS_MAP)
		return add_scalar(sc, n);
	for (m = n->child; m; m = m->next)
		if (add_scalar(sc, m))
			return 1;
	return 0;
}

static int
bad_value(struct run *s, const char *file, const struct enas_node *n,
    const char *field, const char *what)
{
	if (n->type == ENAS_SCALAR)
		enas_diag_report(s->fn, s->ctx, file, n->line, n->col,
		    ENAS_ERROR, field, _("run enas-check"),
		    /* TRANSLATORS: %s is "a date", "a list", ... */
		    _("'%.*s' is not %s"), (int)(n->len > 64 ? 64 : n->len),
		    n->value, what);
	else
		enas_diag_report(s->fn, s->ctx, file, n->line, n->col,
		    ENAS_ERROR, field, _("run enas-check"),
		    /* TRANSLATORS: %s is "a date", "a list", ... */
		    _("is not %s"), what);
	/* TRANSLATORS: file: field: not "a date", "a list", ... */
	return enas_error_set(ENAS_EDATA, _("%s: %s: not %s"), file, field,
	    what);
}

/* A group value into x->out: absent, or its bytes after the transform. */
static int
put_value(struct run *s, struct ex *x, const char *file,
    const struct gcol *g, const struct enas_node *n)
{
	char buf[ENAS_PERIOD_NAME];
	long long v;
	size_t i;
	int rc;

	if (!n || (n->type == ENAS_SCALAR && n->len == 0))
		return stats_put_varint(&x->out, 0);
	if (n->type != ENAS_SCALAR)
		return bad_value(s, file, n, g->path, _("a single value"));
	if (g->t == T_NONE) {
		if ((rc = stats_put_varint(&x->out, n->len + 1)) < 0)
			return rc;
		return enas_buf_add(&x->out, n->value, n->len);
	}
	if (g->t == T_BAND) {
		if (enas_int_parse(&v, n->value, n->len) < 0)
			return bad_value(s, file, n, g->path,
			    _("a whole number"));
		for (i = 0; i < g->f->nbands; i++)
			if (v >= g->f->bands[i].lo && v <= g->f->bands[i].hi)
				break;
		if (i == g->f->nbands)
			return stats_put_varint(&x->out, 0);
		if ((rc = stats_put_varint(&x->out,
		    strlen(g->f->bands[i].name) + 1)) < 0)
			return rc;
		return enas_buf_puts(&x->out, g->f->bands[i].name);
	}
	if ((v = enas_date_parse(n->value, n->len)) < 0)
		return bad_value(s, file, n, g->path, _("a date"));
	enas_period_name(buf, (enum enas_interval)g->t, v);
	if ((rc = stats_put_varint(&x->out, strlen(buf) + 1)) < 0)
		return rc;
	return enas_buf_puts(&x->out, buf);
}

/*
 * 1 when item, of sequence it, passes every -w that selects items of
 * that sequence, 0 when not, or a negative status.
 */
static int
item_selected(struct run *s, struct ex *x, size_t it,
    const struct enas_node *item, const char *file)
{
	const struct cq *c = &s->c;
	size_t i;
	int rc;

	for (i = 0; i < x->nw; i++) {
		if (c->witer[i] != (int)it)
			continue;
		if ((rc = enas_expr_eval_item(x->w[i], item,
		    c->wskip[i])) < 0)
			return enas_error_prefix(rc, "%s: -w %s: ", file,
			    c->q->where[i]);
		if (!rc)
			return 0;
	}
	return 1;
}

/*
 * The yield of a parsed record, into x->out:
 *	flags (Y_PASS, Y_CONSENT, Y_DATE); when Y_PASS:
 *	[zigzag date when Y_DATE] nunits, and per unit per group
 *	(varint length + 1, or 0 for absent, then the bytes) and per sum
 *	a zigzag varint.
 * A -w on the items of a sequence counted item by item leaves out the
 * items it does not hold for; the others select or leave out the
 * record.
 */
static int
extract(struct run *s, struct ex *x, const struct enas_node *root,
    const char *file)
{
	const struct cq *c = &s->c;
	const struct enas_node *n, *item;
	size_t idx[MAXITER], i, j, units = 1;
	struct sumctx sc;
	long long date = 0;
	unsigned flags = Y_PASS;
	int rc;

	x->out.len = 0;
	for (i = 0; i < x->nw; i++) {
		if (c->witer[i] >= 0)
			continue;	/* it selects items, below */
		if ((rc = enas_expr_eval(x->w[i], root)) < 0)
			return enas_error_prefix(rc, "%s: -w %s: ", file,
			    c->q->where[i]);
		if (!rc)
			return put_byte(&x->out, 0);
	}
	if (c->consent && (n = enas_node_path(root, c->consent)) &&
	    n->type == ENAS_SCALAR && n->len == 4 &&
	    memcmp(n->value, "true", 4) == 0)
		flags |= Y_CONSENT;
	if (c->date) {
		n = enas_node_path(root, c->date);
		if (!n || enas_node_empty(n)) {
			enas_diag_report(s->fn, s->ctx, file, 1, 1, ENAS_ERROR,
			    c->date, _("run enas-check"), _("required field is "
			    "missing"));
			return enas_error_set(ENAS_EDATA, _("%s: %s: missing"),
			    file, c->date);
		}
		if (n->type != ENAS_SCALAR ||
		    (date = enas_date_parse(n->value, n->len)) < 0)
			return bad_value(s, file, n, c->date, _("a date"));
		flags |= Y_DATE;
	}
	if ((rc = put_byte(&x->out, (unsigned char)flags)) < 0 ||
	    (c->date && (rc = stats_put_varint(&x->out, zig(date))) < 0))
		return rc;
	for (i = 0; i < c->nit; i++) {
		x->nitems[i] = 0;
		n = enas_node_path(root, c->iter[i]);
		if (!n || enas_node_empty(n))
			continue;
		if (n->type != ENAS_SEQ)
			return bad_value(s, file, n, c->iter[i], _("a list"));
		if (x->cap[i] < n->nchild) {
			/* An array of pointers: a false positive. */
			/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
			size_t sz = sizeof(*x->items[i]);
			void *p = enas_realloc(x->items[i], n->nchild * sz);

			if (!p)
				return ENAS_ENOMEM;
			x->items[i] = p;
			x->cap[i] = n->nchild;
		}
		for (item = n->child; item; item = item->next) {
			if ((rc = item_selected(s, x, i, item, file)) < 0)
				return rc;
			if (rc)
				x->items[i][x->nitems[i]++] = item;
		}
	}
	for (i = 0; i < c->nit; i++)
		units *= x->nitems[i];
	if ((rc = stats_put_varint(&x->out, units)) < 0)
		return rc;
	memset(idx, 0, sizeof(idx));
	for (j = 0; j < units; j++) {
		for (i = 0; i < c->ng; i++) {
			const struct gcol *g = &c->g[i];

			if (g->t == T_TAG) {
				int holds = g->iter < 0 ?
				    enas_expr_eval(x->tg[i], root) :
				    enas_expr_eval_item(x->tg[i],
				    x->items[g->iter][idx[g->iter]], g->skip);

				if (holds < 0)
					return enas_error_set(holds, "%s: -w %s: "
					    "%s", file, g->path,
					    enas_error_last());
				if ((rc = stats_put_varint(&x->out, 2)) < 0 ||
				    (rc = enas_buf_puts(&x->out, holds ? "1" :
				    "0")) < 0)
					return rc;
				continue;
			}
			if (g->iter < 0)
				n = enas_node_path(root, g->path);
			else {
				item = x->items[g->iter][idx[g->iter]];
				n = g->rest ? enas_node_path(item, g->rest) :
				    item;
			}
			if ((rc = put_value(s, x, file, g, n)) < 0)
				return rc;
		}
		for (i = 0; i < c->ns; i++) {
			const struct scol *sf = &c->s[i];

			sc.sum = 0;
			sc.bad = NULL;
			if (sf->iter >= 0) {
				item = x->items[sf->iter][idx[sf->iter]];
				if (sf->rest)
					enas_node_each(item, sf->rest,
					    sum_node, &sc);
				else
					sum_node(&sc, item);
			} else
				enas_node_each(root, sf->path, sum_node, &sc);
			if (sc.bad)
				return bad_value(s, file, sc.bad, sf->path,
				    _("a whole number"));
			if ((rc = stats_put_varint(&x->out, zig(sc.sum))) < 0)
				return rc;
		}
		/* The next unit: an odometer over the sequences. */
		for (i = c->nit; i-- > 0;) {
			if (++idx[i] < x->nitems[i])
				break;
			idx[i] = 0;
		}
	}
	return 0;
}

/*
 * Parse a record's bytes and extract its yield into x->out: with the
 * fast reader when the record is plain (and full is 0), else with the
 * full parser, which reports every problem through s->fn.  An error of
 * extraction found on the fast path is found again on the full one,
 * with its diagnostics, by the caller's redo().
 */
int
stats_yield(struct run *s, struct ex *x, const char *buf, size_t len,
    const char *file, int full)
{
	const struct enas_node *root;
	struct enas_record *rec;
	int rc = 0;

	if (!full && (root = enas_fastrec_parse(x->fast, buf, len, &rc)))
		return extract(s, x, root, file);
	if (rc < 0)
		return rc;

	if ((rc = enas_record_parse(&rec, buf, len, file, 0, s->fn,
	    s->ctx)) < 0)
		return rc == ENAS_EDATA ? enas_error_set(rc, _("%s: not a "
		    "valid record; run enas-check"), file) : rc;
	rc = extract(s, x, rec->root, file);
	enas_record_free(rec);
	return rc;
}
/* --- adding up --- */

/*
 * Add (sign 1) or take away (sign -1) the yield of blob id into t,
 * keyed by the period of its date when flow is set, else by period.
 */
int
stats_apply_yield(struct run *s, struct cells *t, const unsigned char *p,
    size_t len, int sign, int flow, uint32_t period)
{
	const struct enas_stats_query *q = s->c.q;
	struct rd r;
	size_t i, u, units, n;
	unsigned long long v;
	long long date = 0, *cell;
	unsigned flags;

	r.p = p;
	r.end = p + len;
	r.bad = 0;
	if (len < 1)
		goto bad;
	flags = *r.p++;
	if (!(flags & Y_PASS))
		return 0;
	if (flags & Y_DATE)
		date = unzig(stats_get_varint(&r));
	if (s->c.consent && !(flags & Y_CONSENT)) {
		s->left_out += sign;
		return 0;
	}
	if (flow && s->c.date) {
		if (!(flags & Y_DATE) || (q->begin >= 0 && date < q->begin) ||
		    (q->end >= 0 && date >= q->end))
			return 0;
		if (q->interval)
			period = (uint32_t)(enas_period_start(q->interval,
			    date) + BIAS);
	}
	s->records += sign;
	s->key[0] = period;
	units = (size_t)stats_get_varint(&r);
	if (r.bad || units > len)
		goto bad;
	for (u = 0; u < units; u++) {
		for (i = 0; i < s->c.ng; i++) {
			v = stats_get_varint(&r);
			if (r.bad || v > (unsigned long long)(r.end - r.p) + 1)
				goto bad;
			n = (size_t)v;
			if (n == 0)
				s->key[1 + i] = 0;
			else if (!(s->key[1 + i] = stats_intern(&s->tabs[i],
			    (const char *)r.p, n - 1)))
				return ENAS_ENOMEM;
			if (n)
				r.p += n - 1;
		}
		for (i = 0; i < s->c.ns; i++)
			s->sums[i] = unzig(stats_get_varint(&r));
		if (r.bad)
			goto bad;
		if (!(cell = stats_cells_get(t, s->key, 1)))
			return ENAS_ENOMEM;
		cell[0] += sign;
		for (i = 0; i < s->c.ns; i++)
			cell[1 + i] += sign * s->sums[i];
	}
	return 0;
bad:
	return enas_error_set(ENAS_EIO, _("a damaged entry in the statistics "
	    "cache; remove .git/enas/stats-cache"));
}

/* stats_apply_yield() of what blob id yields. */
int
stats_apply(struct run *s, struct cells *t, const git_oid *id, int sign,
    int flow, uint32_t period)
{
	const unsigned char *p;
	char hex[GIT_OID_HEXSZ + 1];
	size_t len;

	if (!(p = enas_blobcache_get(s->cache, id, &len))) {
		git_oid_tostr(hex, sizeof(hex), id);
		return enas_error_set(ENAS_EGIT, _("blob %s was not read"),
		    hex);
	}
	return stats_apply_yield(s, t, p, len, sign, flow, period);
}
