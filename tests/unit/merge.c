/*
 * merge.c: unit tests of lib/merge.c, printing TAP.
 *
 * The heart is a seeded fuzz: a model of a case record, random edits of
 * it on two sides (fields set or removed, consent changed, concerns
 * added or removed, referrals and follow-ups appended, changed or
 * removed, the case closed), each version written in its own layout
 * (indentation, flow or block style, comments).  The model predicts the
 * merge: the value of every field, and which fields conflict.  For each
 * case, the fields the merge reports in conflict must be exactly the
 * predicted ones; and when the merge is clean the result must pass the
 * rules and hold every change of both sides.
 *
 * The rules are $ENAS_SRC/records/rules/case.yaml.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enas.h"
#include "merge.h"
#include "record.h"
#include "rules.h"

#include "tap.h"

/* ENAS_FUZZ_CASES and ENAS_FUZZ_SEED change the run. */
#define CASES 1000
#define PATH "records/cases/2024/NDR-2024-7K3QP.yaml"

/* splitmix64: a small seeded generator, the same on every machine. */
static uint64_t rng;

static unsigned
rnd(unsigned n)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return n ? (unsigned)(z % n) : 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The top-level fields the model holds as text, in file order. */
static const char *scal_names[] = {
	"site", "sex", "age", "age_estimated", "nationality",
	"protection_status", "risk_level", "status", "care", "source"
};
enum { S_SITE, S_SEX, S_AGE, S_AGE_EST, S_NAT, S_PROT, S_RISK, S_STATUS,
	S_CARE, S_SOURCE, NSCAL };
static const int scal_optional[NSCAL] = { 0, 0, 0, 1, 0, 0, 0, 0, 1, 1 };

static const char *sites[] = { "casablanca", "marrakech", "nador", "oujda" };
static const char *sexes[] = { "male", "female", "unknown" };
static const char *ages[] = { "3", "9", "12", "14", "15", "16", "17" };
static const char *bools[] = { "true", "false" };
static const char *nats[] = { "GN", "CI", "ML", "SN", "XX", "MA", "NO" };
static const char *prots[] = { "unaccompanied", "separated",
	"other_vulnerable" };
static const char *risks[] = { "low", "medium", "high" };
static const char *cares[] = { "residential_care", "safehouse", "kafala",
	"street", "relatives" };
static const char *sources[] = { "outreach", "police", "hotline",
	"border" };
static const char *concerns[] = { "trafficked_smuggled", "street_child",
	"forced_begging", "child_labour", "psychosocial_distress",
	"without_documentation" };
static const char *consent_names[] = { "given_by", "services",
	"share_with_orgs", "reporting", "tracing" };
static const char *givers[] = { "child", "guardian", "caregiver" };
static const char *partners[] = { "bayti", "iom", "unhcr", "asticude",
	"omdh" };
static const char *services[] = { "safehouse", "health", "legal",
	"psychosocial", "education" };
static const char *rstatus[] = { "pending", "accepted", "rejected",
	"completed" };
static const char *futypes[] = { "in_care", "phone", "home_visit",
	"case_review" };
static const char *reasons[] = { "reunified", "transferred",
	"lost_contact" };

static const char **scal_values[NSCAL] = { sites, sexes, ages, bools, nats,
	prots, risks, NULL, cares, sources };
static const size_t scal_nvalues[NSCAL] = { NELEM(sites), NELEM(sexes),
	NELEM(ages), NELEM(bools), NELEM(nats), NELEM(prots), NELEM(risks), 0,
	NELEM(cares), NELEM(sources) };

/* A list item: a referral (to, service, status) or a follow-up (type). */
struct item {
	int uid;
	char date[11];
	const char *f[3];
};

#define MAXITEMS 16

struct model {
	const char *scal[NSCAL];
	const char *consent[5];
	int has_concerns;
	unsigned concerns;	/* a bit per concerns[] */
	struct item ref[MAXITEMS];
	int nref;
	struct item fu[MAXITEMS];
	int nfu;
	int closed;
	char cdate[11];
	const char *creason;
};

static const char *ref_fields[] = { "to", "service", "status" };
static const char *fu_fields[] = { "type" };

static int next_uid;

static void
day(char buf[11], unsigned n)
{
	/* Day n of the period 2024-03-15 .. 2024-11-30 (from 0). */
	static const unsigned mdays[] = { 31, 30, 31, 30, 31, 31, 30, 31, 30 };
	unsigned m = 0, d = 15 + n % 260;

	while (m < 8 && d > mdays[m]) {
		d -= mdays[m];
		m++;
	}
	if (d > mdays[m])
		d = mdays[m];
	snprintf(buf, 11, "2024-%02u-%02u", (m + 3) % 100, d % 100);
}

static void
base_model(struct model *b)
{
	int i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < NSCAL; i++)
		if (i == S_STATUS)
			b->scal[i] = "open";
		else if (!scal_optional[i] || rnd(2))
			b->scal[i] = scal_values[i][rnd((unsigned)
			    scal_nvalues[i])];
	b->consent[3] = bools[rnd(2)];
	for (i = 0; i < 5; i++)
		if (i != 3 && rnd(3))
			b->consent[i] = i == 0 ? givers[rnd(NELEM(givers))] :
			    bools[rnd(2)];
	if ((b->has_concerns = rnd(4) != 0))
		b->concerns = rnd(1u << NELEM(concerns));
	b->nref = (int)rnd(4);
	for (i = 0; i < b->nref; i++) {
		b->ref[i].uid = ++next_uid;
		day(b->ref[i].date, i * 6);
		b->ref[i].f[0] = partners[rnd(NELEM(partners))];
		b->ref[i].f[1] = services[rnd(NELEM(services))];
		b->ref[i].f[2] = rstatus[rnd(NELEM(rstatus))];
	}
	b->nfu = (int)rnd(4);
	for (i = 0; i < b->nfu; i++) {
		b->fu[i].uid = ++next_uid;
		day(b->fu[i].date, i * 7 + 2);
		b->fu[i].f[0] = futypes[rnd(NELEM(futypes))];
	}
}

/* The last date of a list, as a day number, or -1. */
static int
last_day(const struct item *v, int n)
{
	char buf[11];
	int d;

	for (d = 250; d >= 0; d--) {
		day(buf, d);
		if (n && strcmp(v[n - 1].date, buf) >= 0)
			return d;
	}
	return -1;
}

/*
 * An item appended by side (0 ours, 1 theirs): dated after the list's
 * last, on a day of the side's parity, so the two sides never append
 * equal items.
 */
static void
append(struct item *v, int *n, int nf, int side)
{
	const char **vals[3] = { partners, services, rstatus };
	size_t nvals[3] = { NELEM(partners), NELEM(services), NELEM(rstatus) };
	struct item *it;
	int d, i;

	if (*n >= MAXITEMS)
		return;
	d = last_day(v, *n) + 1 + (int)rnd(20);
	if ((d & 1) != side)
		d++;
	if (d > 250)
		return;
	it = &v[(*n)++];
	it->uid = ++next_uid;
	day(it->date, d);
	for (i = 0; i < 3; i++)
		it->f[i] = NULL;
	if (nf == 1)
		it->f[0] = futypes[rnd(NELEM(futypes))];
	else
		for (i = 0; i < 3; i++)
			it->f[i] = vals[i][rnd((unsigned)nvals[i])];
}

static void
remove_item(struct item *v, int *n, int i)
{
	memmove(v + i, v + i + 1, (size_t)(*n - i - 1) * sizeof(*v));
	(*n)--;
}

/* One to four random edits of a side. */
static void
edit(struct model *m, int side)
{
	int k, nedits = 1 + (int)rnd(4), i, what;
	int ref_grow = 0, ref_shrink = 0, fu_grow = 0, fu_shrink = 0;

	for (k = 0; k < nedits; k++) {
		what = (int)rnd(10);
		switch (what) {
		case 0:
		case 1:
			/* Half the time a field the other side may edit too. */
			i = rnd(2) ? (int)rnd(NSCAL) : rnd(2) ? S_RISK : S_CARE;
			if (i == S_STATUS)
				break;
			if (scal_optional[i] && m->scal[i] && rnd(3) == 0)
				m->scal[i] = NULL;
			else
				m->scal[i] = scal_values[i][rnd((unsigned)
				    scal_nvalues[i])];
			break;
		case 2:
			i = (int)rnd(5);
			if (i != 3 && m->consent[i] && rnd(3) == 0)
				m->consent[i] = NULL;
			else
				m->consent[i] = i == 0 ?
				    givers[rnd(NELEM(givers))] : bools[rnd(2)];
			break;
		case 3:
			if (m->has_concerns && rnd(5) == 0)
				m->has_concerns = 0;
			else {
				m->has_concerns = 1;
				m->concerns ^= 1u << rnd(NELEM(concerns));
			}
			break;
		case 4:
			/*
			 * A side either adds items to a list or removes
			 * some: both at once is ambiguous (an item removed
			 * and one added may be the same item changed).
			 */
			if (!ref_shrink) {
				append(m->ref, &m->nref, 3, side);
				ref_grow = 1;
			}
			break;
		case 5:
			if (m->nref)
				m->ref[rnd((unsigned)m->nref)].f[2] =
				    rstatus[rnd(NELEM(rstatus))];
			break;
		case 6:
			if (m->nref && !ref_grow) {
				remove_item(m->ref, &m->nref,
				    (int)rnd((unsigned)m->nref));
				ref_shrink = 1;
			}
			break;
		case 7:
			if (!fu_shrink) {
				append(m->fu, &m->nfu, 1, side);
				fu_grow = 1;
			}
			break;
		case 8:
			if (m->nfu && !fu_grow) {
				remove_item(m->fu, &m->nfu,
				    (int)rnd((unsigned)m->nfu));
				fu_shrink = 1;
			}
			break;
		case 9:
			m->closed = 1;
			m->scal[S_STATUS] = "closed";
			day(m->cdate, 200 + (int)rnd(40));
			m->creason = reasons[rnd(NELEM(reasons))];
			break;
		}
	}
}

/* How one version is written. */
struct layout {
	int indent;		/* of nested mappings: 2 or 4 */
	int dash;		/* the dash of list items: column 0, 2 or 4 */
	int flow_consent;
	int block_concerns;
	int comments;
};

static void
random_layout(struct layout *l)
{
	static const int dashes[] = { 2, 2, 2, 0, 4 };

	l->indent = rnd(4) ? 2 : 4;
	l->dash = dashes[rnd(NELEM(dashes))];
	l->flow_consent = rnd(6) == 0;
	l->block_concerns = rnd(4) == 0;
	l->comments = rnd(3) == 0;
}

static void
write_items(struct enas_buf *b, const char *key, const struct item *v,
    int n, const char **names, int nf, const struct layout *l)
{
	int i, j;

	if (!n)
		return;
	enas_buf_printf(b, "%s:\n", key);
	for (i = 0; i < n; i++) {
		enas_buf_printf(b, "%*s- date: %s\n", l->dash, "", v[i].date);
		for (j = 0; j < nf; j++)
			enas_buf_printf(b, "%*s%s: %s\n", l->dash + 2, "",
			    names[j], v[i].f[j]);
	}
}

static void
write_model(struct enas_buf *b, const struct model *m, const struct layout *l)
{
	size_t i;
	int first;

	b->len = 0;
	if (l->comments)
		enas_buf_puts(b, "# a synthetic case\n");
	enas_buf_puts(b, "id: NDR-2024-7K3QP\nregistered: 2024-03-14\n"
	    "partner: asticude\n");
	for (i = 0; i < NSCAL; i++) {
		if (!m->scal[i])
			continue;
		if (l->comments && i == S_RISK)
			enas_buf_puts(b, "# assessed by the office\n");
		enas_buf_printf(b, "%s: %s\n", scal_names[i], m->scal[i]);
	}
	if (l->flow_consent) {
		enas_buf_puts(b, "consent: {");
		for (first = 1, i = 0; i < 5; i++)
			if (m->consent[i]) {
				enas_buf_printf(b, "%s%s: %s", first ? "" :
				    ", ", consent_names[i], m->consent[i]);
				first = 0;
			}
		enas_buf_puts(b, "}\n");
	} else {
		enas_buf_puts(b, "consent:\n");
		for (i = 0; i < 5; i++)
			if (m->consent[i])
				enas_buf_printf(b, "%*s%s: %s\n", l->indent, "",
				    consent_names[i], m->consent[i]);
	}
	if (m->has_concerns) {
		if (!m->concerns)
			enas_buf_puts(b, "concerns: []\n");
		else if (l->block_concerns) {
			enas_buf_puts(b, "concerns:\n");
			for (i = 0; i < NELEM(concerns); i++)
				if (m->concerns & 1u << i)
					enas_buf_printf(b, "%*s- %s\n",
					    l->dash, "", concerns[i]);
		} else {
			enas_buf_puts(b, "concerns: [");
			for (first = 1, i = 0; i < NELEM(concerns); i++)
				if (m->concerns & 1u << i) {
					enas_buf_printf(b, "%s%s", first ? "" :
					    ", ", concerns[i]);
					first = 0;
				}
			enas_buf_puts(b, "]\n");
		}
	}
	write_items(b, "referrals", m->ref, m->nref, ref_fields, 3, l);
	if (l->comments)
		enas_buf_puts(b, "\n");
	write_items(b, "follow_ups", m->fu, m->nfu, fu_fields, 1, l);
	if (m->closed)
		enas_buf_printf(b, "closure:\n%*sdate: %s\n%*sreason: %s\n",
		    l->indent, "", m->cdate, l->indent, "", m->creason);
}

/* The predicted conflicts: field paths, NUL-separated. */
struct predicted {
	char fields[1024];
	size_t len;
};

static void
predict(struct predicted *p, const char *field)
{
	size_t n = strlen(field) + 1;

	if (p->len + n < sizeof(p->fields)) {
		memcpy(p->fields + p->len, field, n);
		p->len += n;
	}
}

static int
streq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/*
 * The three-way rule for one value: the merged value into *e, or a
 * conflict predicted on field.
 */
static void
merge_text(const char **e, const char *b, const char *o, const char *t,
    struct predicted *p, const char *field)
{
	if (streq(o, t) || streq(b, t))
		*e = o;
	else if (streq(b, o))
		*e = t;
	else {
		*e = o;
		predict(p, field);
	}
}

static int
item_eq(const struct item *a, const struct item *b)
{
	int i;

	if (strcmp(a->date, b->date) != 0)
		return 0;
	for (i = 0; i < 3; i++)
		if (!streq(a->f[i], b->f[i]))
			return 0;
	return 1;
}

static int
list_eq(const struct item *a, int na, const struct item *b, int nb)
{
	int i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (!item_eq(&a[i], &b[i]))
			return 0;
	return 1;
}

static const struct item *
by_uid(const struct item *v, int n, int uid)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].uid == uid)
			return &v[i];
	return NULL;
}

/* The merge of a list of items, by the model's identities. */
static void
merge_list(struct item *e, int *ne, const struct item *b, int nb,
    const struct item *o, int no, const struct item *t, int nt,
    const char *key, const char **names, int nf, struct predicted *p)
{
	const struct item *x, *y;
	char field[64];
	int i, j;

	*ne = 0;
	if (list_eq(o, no, t, nt) || list_eq(b, nb, t, nt)) {
		memcpy(e, o, (size_t)no * sizeof(*o));
		*ne = no;
		return;
	}
	if (list_eq(b, nb, o, no)) {
		memcpy(e, t, (size_t)nt * sizeof(*t));
		*ne = nt;
		return;
	}
	for (i = 0; i < nb; i++) {
		x = by_uid(o, no, b[i].uid);
		y = by_uid(t, nt, b[i].uid);
		if (!x || !y) {
			if ((x && !item_eq(x, &b[i])) ||
			    (y && !item_eq(y, &b[i]))) {
				snprintf(field, sizeof(field), "%s[]", key);
				predict(p, field);
			}
			continue;
		}
		e[*ne] = *x;
		for (j = 0; j < nf; j++) {
			snprintf(field, sizeof(field), "%s[].%s", key,
			    names[j]);
			merge_text(&e[*ne].f[j], b[i].f[j], x->f[j], y->f[j], p,
			    field);
		}
		(*ne)++;
	}
	for (i = 0; i < no; i++)
		if (!by_uid(b, nb, o[i].uid))
			e[(*ne)++] = o[i];
	for (i = 0; i < nt; i++)
		if (!by_uid(b, nb, t[i].uid) && *ne < MAXITEMS * 2)
			e[(*ne)++] = t[i];
}

/* What the merge should give, and which fields conflict. */
static void
expect(struct model *e, struct item *eref, int *neref, struct item *efu,
    int *nefu, const struct model *b, const struct model *o,
    const struct model *t, struct predicted *p)
{
	char field[64];
	unsigned c;
	int i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < NSCAL; i++)
		merge_text(&e->scal[i], b->scal[i], o->scal[i], t->scal[i], p,
		    scal_names[i]);
	for (i = 0; i < 5; i++) {
		snprintf(field, sizeof(field), "consent.%s", consent_names[i]);
		merge_text(&e->consent[i], b->consent[i], o->consent[i],
		    t->consent[i], p, field);
	}
	/* concerns: as sets when both keep the field. */
#define SAME(x, y) ((x)->has_concerns == (y)->has_concerns && \
	(!(x)->has_concerns || (x)->concerns == (y)->concerns))
	if (SAME(o, t) || SAME(b, t)) {
		e->has_concerns = o->has_concerns;
		e->concerns = o->concerns;
	} else if (SAME(b, o)) {
		e->has_concerns = t->has_concerns;
		e->concerns = t->concerns;
	} else {
		/* Sets; an absent list is an empty one. */
		c = b->has_concerns ? b->concerns : 0;
		e->concerns = ((o->has_concerns ? o->concerns : 0) &
		    ~(c & ~(t->has_concerns ? t->concerns : 0))) |
		    ((t->has_concerns ? t->concerns : 0) & ~c);
		e->has_concerns = e->concerns || (o->has_concerns &&
		    t->has_concerns);
	}
#undef SAME
	merge_list(eref, neref, b->ref, b->nref, o->ref, o->nref, t->ref,
	    t->nref, "referrals", ref_fields, 3, p);
	merge_list(efu, nefu, b->fu, b->nfu, o->fu, o->nfu, t->fu, t->nfu,
	    "follow_ups", fu_fields, 1, p);
	/* closure: a mapping that only a side that closes the case adds. */
	if (o->closed && t->closed) {
		e->closed = 1;
		if (strcmp(o->cdate, t->cdate) != 0)
			predict(p, "closure.date");
		if (!streq(o->creason, t->creason))
			predict(p, "closure.reason");
		memcpy(e->cdate, o->cdate, 11);
		e->creason = o->creason;
	} else if (o->closed || t->closed) {
		e->closed = 1;
		memcpy(e->cdate, o->closed ? o->cdate : t->cdate, 11);
		e->creason = o->closed ? o->creason : t->creason;
	}
}

/* The fields reported in conflict, NUL-separated. */
static char reported[1024];
static size_t nreported;
static int ndiags;

static void
collect(void *ctx, const struct enas_diag *d)
{
	size_t n;

	(void)ctx;
	ndiags++;
	if (!d->field)
		return;
	n = strlen(d->field) + 1;
	if (nreported + n < sizeof(reported)) {
		memcpy(reported + nreported, d->field, n);
		nreported += n;
	}
}

/* 1 if the NUL-separated lists hold the same fields, in any order. */
static int
same_fields(const char *a, size_t na, const char *b, size_t nb)
{
	const char *x, *y;
	int found, ca = 0, cb = 0;

	for (x = a; x < a + na; x += strlen(x) + 1) {
		ca++;
		for (found = 0, y = b; y < b + nb; y += strlen(y) + 1)
			found |= strcmp(x, y) == 0;
		if (!found)
			return 0;
	}
	for (y = b; y < b + nb; y += strlen(y) + 1)
		cb++;
	return ca == cb;
}

static int
scalar_is(const struct enas_node *n, const char *want)
{
	if (!want)
		return n == NULL;
	return n && n->type == ENAS_SCALAR && strcmp(n->value, want) == 0;
}

/*
 * Whether the list at key holds exactly the items v (in any order,
 * each once), in date order.  Returns a reason, or NULL.
 */
static const char *
list_is(const struct enas_node *root, const char *key, const struct item *v,
    int n, const char **names, int nf)
{
	const struct enas_node *l = enas_node_get(root, key), *x;
	const char *prev = "";
	char used[MAXITEMS * 2 + 1] = { 0 };
	int i, j, hit;

	if (!n)
		return l && l->nchild ? "a list that should be empty" : NULL;
	if (!l || l->type != ENAS_SEQ || l->nchild != (size_t)n)
		return "the wrong number of items";
	for (x = l->child; x; x = x->next) {
		if (!scalar_is(enas_node_get(x, "date"),
		    enas_node_get(x, "date") ? enas_node_get(x, "date")->value :
		    ""))
			return "an item without a date";
		if (strcmp(enas_node_get(x, "date")->value, prev) < 0)
			return "items out of date order";
		prev = enas_node_get(x, "date")->value;
		for (hit = 0, i = 0; i < n && !hit; i++) {
			if (used[i] || !scalar_is(enas_node_get(x, "date"),
			    v[i].date) || x->nchild != (size_t)nf + 1)
				continue;
			for (hit = 1, j = 0; j < nf; j++)
				hit &= scalar_is(enas_node_get(x, names[j]),
				    v[i].f[j]);
			if (hit)
				used[i] = 1;
		}
		if (!hit)
			return "an item that should not be there";
	}
	return NULL;
}

/* Whether the merged record says what the model expects; NULL if so. */
static const char *
holds(const struct enas_record *r, const struct model *e,
    const struct item *eref, int neref, const struct item *efu, int nefu)
{
	const struct enas_node *c, *x;
	const char *why;
	size_t i, n = 4;	/* id, registered, partner, consent */
	unsigned got = 0;

	for (i = 0; i < NSCAL; i++) {
		if (!scalar_is(enas_node_get(r->root, scal_names[i]),
		    e->scal[i]))
			return scal_names[i];
		n += e->scal[i] != NULL;
	}
	c = enas_node_get(r->root, "consent");
	for (i = 0; i < 5; i++)
		if (!scalar_is(enas_node_get(c, consent_names[i]),
		    e->consent[i]))
			return consent_names[i];
	if (e->has_concerns) {
		n++;
		if (!(c = enas_node_get(r->root, "concerns")) ||
		    c->type != ENAS_SEQ)
			return "concerns missing";
		for (x = c->child; x; x = x->next)
			for (i = 0; i < NELEM(concerns); i++)
				if (scalar_is(x, concerns[i])) {
					if (got & 1u << i)
						return "a concern twice";
					got |= 1u << i;
				}
		if (got != e->concerns)
			return "concerns differ";
	} else if (enas_node_get(r->root, "concerns"))
		return "concerns should be absent";
	if ((why = list_is(r->root, "referrals", eref, neref, ref_fields, 3)))
		return why;
	if ((why = list_is(r->root, "follow_ups", efu, nefu, fu_fields, 1)))
		return why;
	n += enas_node_get(r->root, "referrals") != NULL;
	n += enas_node_get(r->root, "follow_ups") != NULL;
	if (e->closed) {
		n++;
		c = enas_node_get(r->root, "closure");
		if (!scalar_is(enas_node_get(c, "date"), e->cdate) ||
		    !scalar_is(enas_node_get(c, "reason"), e->creason))
			return "closure";
	}
	if (r->root->nchild != n)
		return "fields that should not be there";
	return NULL;
}

static struct enas_rules *
load_rules(void)
{
	struct enas_buf b = ENAS_BUF_INIT, path = ENAS_BUF_INIT;
	struct enas_rules *r = NULL;
	const char *src = getenv("ENAS_SRC");

	enas_buf_printf(&path, "%s/records/rules/case.yaml", src ? src : ".");
	if (enas_file_read(&b, path.data, ENAS_RECORD_MAX) < 0 ||
	    enas_rules_load(&r, b.data, b.len, "case.yaml", NULL, NULL) < 0) {
		printf("Bail out! cannot load %s\n", path.data);
		exit(2);
	}
	enas_buf_free(&b);
	enas_buf_free(&path);
	return r;
}

/* A count from the environment, or def. */
static long
env_count(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return def;
	n = strtol(v, &end, 10);
	return *end || n < 0 || n > 100000000 ? def : n;
}

static void
fuzz(const struct enas_rules *rules)
{
	long ncases = env_count("ENAS_FUZZ_CASES", CASES);
	long seed = env_count("ENAS_FUZZ_SEED", 0);
	struct enas_buf bb = ENAS_BUF_INIT, ob = ENAS_BUF_INIT,
	    tb = ENAS_BUF_INIT, out = ENAS_BUF_INIT;
	struct enas_merge_input bi, oi, ti;
	struct model b, o, t, e;
	struct item eref[MAXITEMS * 3], efu[MAXITEMS * 3];
	struct layout lb, lo, lt;
	struct predicted p;
	struct enas_record *r;
	const char *why;
	long k;
	int rc, neref, nefu, clean = 0, conflicts = 0, bad = 0;
	int wrong_fields = 0, invalid = 0, missing = 0;
	long first_bad = -1;

	for (k = 0; k < ncases; k++) {
		rng = 0x656E6173ULL * (uint64_t)(seed + k + 1);
		base_model(&b);
		o = b;
		t = b;
		edit(&o, 0);
		edit(&t, 1);
		random_layout(&lb);
		random_layout(&lo);
		random_layout(&lt);
		write_model(&bb, &b, &lb);
		write_model(&ob, &o, &lo);
		write_model(&tb, &t, &lt);
		memset(&p, 0, sizeof(p));
		expect(&e, eref, &neref, efu, &nefu, &b, &o, &t, &p);

		bi.buf = bb.data;
		bi.len = bb.len;
		oi.buf = ob.data;
		oi.len = ob.len;
		ti.buf = tb.data;
		ti.len = tb.len;
		nreported = 0;
		ndiags = 0;
		rc = enas_merge_records(&out, PATH, &bi, &oi, &ti, collect,
		    NULL);
		why = NULL;
		if (rc == ENAS_MERGE_CONFLICT) {
			conflicts++;
			if (!same_fields(reported, nreported, p.fields,
			    p.len)) {
				wrong_fields++;
				why = "conflicts on other fields than "
				    "predicted";
			}
		} else if (rc == ENAS_MERGE_CLEAN) {
			clean++;
			if (p.len) {
				wrong_fields++;
				why = "clean, but a conflict was predicted";
			} else if (enas_record_parse(&r, out.data, out.len,
			    PATH, 0, NULL, NULL) < 0) {
				invalid++;
				why = "the result does not parse";
			} else {
				ndiags = 0;
				if (enas_rules_check(rules, r, collect,
				    NULL) != 0) {
					invalid++;
					why = "the result breaks the rules";
				} else if ((why = holds(r, &e, eref, neref, efu,
				    nefu))) {
					missing++;
				}
				enas_record_free(r);
			}
		} else
			why = "the merge failed";
		if (why) {
			bad++;
			if (first_bad < 0) {
				first_bad = k;
				printf("# case %ld: %s\n# --- base\n%s"
				    "# --- ours\n%s# --- theirs\n%s"
				    "# --- result (%d)\n%s",
				    k, why, bb.data, ob.data, tb.data, rc,
				    out.data ? out.data : "");
			}
		}
	}
	printf("# %ld cases from seed %ld: %d clean, %d in conflict\n", ncases,
	    seed, clean, conflicts);
	ok(bad == 0, "fuzz: %ld seeded merges behave (first bad: %ld)",
	    ncases, first_bad);
	ok(wrong_fields == 0, "fuzz: conflicts are reported on exactly the "
	    "fields both sides changed (%d wrong)", wrong_fields);
	ok(invalid == 0, "fuzz: every clean merge is a valid record (%d "
	    "not)", invalid);
	ok(missing == 0, "fuzz: every clean merge holds both sides' changes "
	    "(%d not)", missing);
	ok(clean > ncases / 3 && conflicts > ncases / 20, "fuzz: both clean "
	    "merges and conflicts are exercised");
	enas_buf_free(&bb);
	enas_buf_free(&ob);
	enas_buf_free(&tb);
	enas_buf_free(&out);
}

/* The smaller contracts. */
static void
contracts(const struct enas_rules *rules)
{
	struct enas_buf out = ENAS_BUF_INIT;
	struct enas_merge_input b, o, t;
	static const char rec[] = "id: NDR-2024-7K3QP\nage: 15\n";
	static const char bad[] = "id: NDR-2024-7K3QP\nage: 15\n\tx: 1\n";
	int rc;

	b.buf = rec;
	b.len = sizeof(rec) - 1;
	o = b;
	t.buf = bad;
	t.len = sizeof(bad) - 1;
	rc = enas_merge_records(&out, PATH, &b, &o, &t, collect, NULL);
	ok(rc == ENAS_MERGE_NOT_RECORD, "a side that is not a record: merge "
	    "as text");
	rc = enas_merge_text(&out, &b, &o, &t);
	ok(rc == ENAS_MERGE_CLEAN && out.len == t.len &&
	    memcmp(out.data, bad, t.len) == 0, "the text merge takes the one "
	    "side that changed");

	b.len = 0;
	ndiags = 0;
	nreported = 0;
	t.buf = "id: NDR-2024-7K3QP\nage: 16\n";
	t.len = strlen(t.buf);
	rc = enas_merge_records(&out, PATH, &b, &o, &t, collect, NULL);
	ok(rc == ENAS_MERGE_CONFLICT && ndiags == 1 && nreported == 3 &&
	    strcmp(reported, "id") == 0, "two records created with one id "
	    "are a conflict on id");
	ok(out.len > 0 && strncmp(out.data, "<<<<<<< ours\nid: NDR", 20) == 0,
	    "of the whole file");

	ndiags = 0;
	rc = enas_merge_check(rules, "records/cases/2024/NDR-2024-AAAAA.yaml",
	    "id: NDR-2024-7K3QP\n", 19, collect, NULL);
	ok(rc > 0 && ndiags == rc, "the check reports a missing field and an "
	    "id that is not the file name (%d)", rc);
	ndiags = 0;
	rc = enas_merge_check(NULL, "records/rules/case.yaml", "kind: [\n", 8,
	    collect, NULL);
	ok(rc == 1 && ndiags == 1, "a merged rules file is checked as rules");
	enas_buf_free(&out);
}

int
main(void)
{
	struct enas_rules *rules = load_rules();

	contracts(rules);
	fuzz(rules);
	enas_rules_free(rules);
	return tap_done();
}
