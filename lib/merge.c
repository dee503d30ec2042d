/*
 * merge.c: the field-level three-way merge of two versions of a record.
 *
 * The merge runs in three steps.  First the three parsed trees are
 * merged into a tree of decisions (struct mnode): keep ours' member,
 * take theirs', merge a mapping member by member, merge a list of
 * mappings item by item, merge a list of values as a set, or a
 * conflict.  Then the decisions are written out as text: where ours is
 * laid out in block style, each member and each item is a range of
 * ours' lines (from its key, or its dash, to the next one), so keeping
 * ours is copying its lines, and taking theirs is copying theirs' lines
 * re-indented to ours' column.  Last, a clean result is parsed again
 * and compared with the decisions; if the text does not mean what was
 * decided (an odd layout, a flow collection), the whole record is
 * written again in the canonical layout, which is checked the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "i18n.h"
#include "merge.h"
#include "record.h"
#include "yamlout.h"

/* One version of the file, parsed, with the offset where each line starts. */
struct side {
	const char *buf;
	size_t len;
	struct enas_record *rec;
	size_t *lines;		/* where each line starts; then len */
	int nlines;
	int pline, pcol;	/* the last position pos_off() found */
	size_t poff;
};

enum mkind {
	M_KEEP,		/* ours' node */
	M_TAKE,		/* theirs' node */
	M_MAP,		/* a mapping both changed: its members merged */
	M_ITEMS,	/* a list of mappings both changed: its items merged */
	M_SET,		/* a list of values both changed: as a set */
	M_CONFLICT	/* ours' node (or none) against theirs' (or none) */
};

/* A value of a merged list of values, and the side it comes from. */
struct mval {
	const struct side *s;
	const struct enas_node *n;
};

/*
 * One decision.  A member of a mapping has key set; a list item has
 * key NULL.  b, o and t are the base's, ours' and theirs' versions, any
 * of which may be NULL.
 */
struct mnode {
	enum mkind kind;
	const char *key;
	const struct enas_node *b, *o, *t;
	struct mnode *child;	/* M_MAP members, M_ITEMS items, in order */
	struct mnode *next;
	struct mval *vals;	/* M_SET */
	size_t nvals;
	char *field;		/* M_CONFLICT: the field's path */
	const char *why;	/* M_CONFLICT: what happened */
	int line;		/* M_CONFLICT: its marker's line, as written */
	int theirs_only;	/* M_MAP, M_ITEMS: ours is the base's */
	struct mnode *pool;	/* every mnode, for freeing */
};

struct merge {
	struct side b, o, t;
	struct mnode *pool;
	struct enas_buf *out;
	int oline;		/* lines written to out */
	int status;		/* the first failure, negative, or 0 */
};

/*
 * The lead of a first line: col spaces, one of which (at dash, from 0)
 * is a '-' when dash >= 0.  The text that follows starts at column col
 * (from 0).
 */
struct lead {
	int col;
	int dash;
};

static const struct lead NO_LEAD = { 0, -1 };

#define PAIRS_MAX (1 << 16)	/* list items compared for changes */

#define MARK_OURS "<<<<<<< ours\n"
#define MARK_MID "=======\n"
#define MARK_THEIRS ">>>>>>> theirs\n"

/* Parse one side and index its lines.  ENAS_EDATA if not a record. */
static int
side_load(struct side *s, const struct enas_merge_input *in, const char *name)
{
	size_t i;
	int n = 0, rc;

	memset(s, 0, sizeof(*s));
	s->buf = in->buf ? in->buf : "";
	s->len = in->buf ? in->len : 0;
	if ((rc = enas_record_parse(&s->rec, s->buf, s->len, name,
	    ENAS_PARSE_RULES, NULL, NULL)) < 0)
		return rc;
	for (i = 0; i < s->len; i++)
		if (s->buf[i] == '\n')
			n++;
	if (s->len && s->buf[s->len - 1] != '\n')
		n++;
	if (!(s->lines = enas_calloc((size_t)n + 1, sizeof(*s->lines))))
		return ENAS_ENOMEM;
	s->nlines = n;
	n = 1;
	for (i = 0; i < s->len; i++)
		if (s->buf[i] == '\n' && n < s->nlines)
			s->lines[n++] = i + 1;
	s->lines[s->nlines] = s->len;
	return 0;
}

static void
side_free(struct side *s)
{
	enas_record_free(s->rec);
	free(s->lines);
}

/* The offset of line l (from 1); the end of the file past the last. */
static size_t
line_start(const struct side *s, int l)
{
	if (l < 1)
		l = 1;
	if (l > s->nlines)
		return s->len;
	return s->lines[l - 1];
}

/* The line (from 1) that holds offset off. */
static int
line_of(const struct side *s, size_t off)
{
	int lo = 0, hi = s->nlines, mid;

	/* The last line whose start is <= off. */
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (s->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo + 1;
}

/*
 * The offset of line l, column col (both from 1, columns counting
 * characters as libyaml does), not past the end of that line.
 */
static size_t
pos_off(const struct side *cs, int l, int col)
{
	struct side *s = (struct side *)cs;	/* for the memo only */
	size_t off = line_start(s, l);
	int c = 1;

	/* Values of one long line (a flow list) are asked in order. */
	if (s->pline == l && s->pcol <= col && s->pcol > 0) {
		off = s->poff;
		c = s->pcol;
	}
	for (; c < col && off < s->len && s->buf[off] != '\n'; c++) {
		off++;
		while (off < s->len && ((unsigned char)s->buf[off] & 0xC0) ==
		    0x80)
			off++;
	}
	s->pline = l;
	s->pcol = c;
	s->poff = off;
	return off;
}

/*
 * The offset of the '-' that introduces list item n, or -1 when no dash
 * stands before it (an item of a flow list).
 */
static long
dash_off(const struct side *s, const struct enas_node *n)
{
	size_t off = pos_off(s, n->line, n->col);

	while (off > 0 && (s->buf[off - 1] == ' ' || s->buf[off - 1] == '\n'))
		off--;
	if (off == 0 || s->buf[off - 1] != '-')
		return -1;
	return (long)(off - 1);
}

/* The column (from 0) of offset off in its line. */
static int
col_of(const struct side *s, size_t off)
{
	return (int)(off - line_start(s, line_of(s, off)));
}

/* The line of a member's key, or of a list item's dash. */
static int
head_line(const struct side *s, const struct enas_node *n)
{
	long d;

	if (n->key)
		return n->key_line;
	d = dash_off(s, n);
	return d < 0 ? n->line : line_of(s, (size_t)d);
}

/* 1 if line l is blank or a comment. */
static int
comment_line(const struct side *s, int l)
{
	size_t a = line_start(s, l), e = line_start(s, l + 1);

	while (a < e && s->buf[a] == ' ')
		a++;
	return a == e || s->buf[a] == '\n' || s->buf[a] == '#';
}

/*
 * The first line of a member or an item: its head line, after the
 * comments and blank lines just above it, which speak of it.
 */
static int
start_line(const struct side *s, const struct enas_node *n)
{
	int l = head_line(s, n);

	while (l > 1 && comment_line(s, l - 1))
		l--;
	return l;
}

/*
 * Where the text of a member (its key) or an item (its dash) starts in
 * its first line, from 0.
 */
static int
start_col(const struct side *s, const struct enas_node *n)
{
	long d;

	if (n->key)
		return n->key_col - 1;
	d = dash_off(s, n);
	return d < 0 ? n->col - 1 : col_of(s, (size_t)d);
}

/* The line after the last of n's range, within a parent ending at end. */
static int
end_line(const struct side *s, const struct enas_node *n, int end)
{
	return n->next ? start_line(s, n->next) : end;
}

/* The first character of a collection's text: '{' or '[' for flow. */
static char
first_char(const struct side *s, const struct enas_node *n)
{
	size_t off = pos_off(s, n->line, n->col);

	if (off >= s->len)
		return '\0';
	return s->buf[off];
}

/*
 * Whether a mapping's members each stand on lines of their own, in
 * block style, all at one column, the first on line first (item
 * mappings, after their dash) or after line after (other mappings).
 */
static int
map_block(const struct side *s, const struct enas_node *map, int first,
    int after)
{
	const struct enas_node *c = map->child;
	int line;

	if (!c || first_char(s, map) == '{')
		return 0;
	if (first ? c->key_line != first : c->key_line <= after)
		return 0;
	for (line = 0; c; c = c->next) {
		if (c->key_line <= line || c->key_col != map->child->key_col)
			return 0;
		line = c->key_line;
	}
	return 1;
}

/*
 * Whether a list's items each start with a dash on a line of their own,
 * all at one column, after line after.
 */
static int
seq_block(const struct side *s, const struct enas_node *seq, int after)
{
	const struct enas_node *c;
	int line = after, col = -1;
	long d;

	if (!seq->child || first_char(s, seq) != '-')
		return 0;
	for (c = seq->child; c; c = c->next) {
		if ((d = dash_off(s, c)) < 0 || line_of(s, (size_t)d) <= line ||
		    (col >= 0 && col_of(s, (size_t)d) != col))
			return 0;
		line = line_of(s, (size_t)d);
		col = col_of(s, (size_t)d);
	}
	return 1;
}

/* 1 if two nodes hold the same data (mapping members in any order). */
static int
node_eq(const struct enas_node *a, const struct enas_node *b)
{
	const struct enas_node *x, *y;

	if (!a || !b)
		return a == b;
	if (a->type != b->type)
		return 0;
	if (a->type == ENAS_SCALAR)
		return a->len == b->len && memcmp(a->value, b->value,
		    a->len) == 0;
	if (a->nchild != b->nchild)
		return 0;
	if (a->type == ENAS_SEQ) {
		for (x = a->child, y = b->child; x && y; x = x->next,
		    y = y->next)
			if (!node_eq(x, y))
				return 0;
		return 1;
	}
	for (x = a->child; x; x = x->next)
		if (!node_eq(x, enas_node_get(b, x->key)))
			return 0;
	return 1;
}

/* What a list holds: 0 nothing (yet), 1 values, 2 mappings. */
static int
seq_holds(const struct enas_node *n)
{
	if (!n || n->type != ENAS_SEQ || !n->child)
		return 0;
	return n->child->type == ENAS_MAP ? 2 : 1;
}

static struct mnode *
mk(struct merge *m, enum mkind kind, const char *key,
    const struct enas_node *b, const struct enas_node *o,
    const struct enas_node *t)
{
	struct mnode *c;

	if (!(c = enas_calloc(1, sizeof(*c)))) {
		m->status = ENAS_ENOMEM;
		return NULL;
	}
	c->kind = kind;
	c->key = key;
	c->b = b;
	c->o = o;
	c->t = t;
	c->pool = m->pool;
	m->pool = c;
	return c;
}

static struct mnode *
conflict(struct merge *m, const char *key, const struct enas_node *b,
    const struct enas_node *o, const struct enas_node *t,
    const char *field, const char *why)
{
	struct mnode *c;

	if (!(c = mk(m, M_CONFLICT, key, b, o, t)))
		return NULL;
	if (!(c->field = enas_strdup(*field ? field : "(record)"))) {
		m->status = ENAS_ENOMEM;
		return NULL;
	}
	c->why = why;
	return c;
}

static struct mnode *merge_value(struct merge *, const char *,
    const struct enas_node *, const struct enas_node *,
    const struct enas_node *, const char *);

/* field.key, or key at the top. */
static void
subfield(char *buf, size_t size, const char *field, const char *key)
{
	snprintf(buf, size, "%s%s%s", field, *field ? "." : "", key);
}

/*
 * An index of members by key, so that merging two mappings of n
 * members costs n lookups, not n * n comparisons.  Small mappings are
 * not indexed (cap 0): a scan is as quick.
 */
struct kidx {
	const char **key;
	const void **val;
	size_t cap;		/* a power of 2, or 0 */
};

#define KIDX_MIN 16		/* members below which a scan is used */
#define KIDX_INIT { NULL, NULL, 0 }

static size_t
khash(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int
kidx_init(struct kidx *x, size_t n)
{
	x->key = NULL;
	x->val = NULL;
	x->cap = 0;
	if (n < KIDX_MIN)
		return 0;
	for (x->cap = 32; x->cap < 2 * n; x->cap *= 2)
		;
	x->key = enas_calloc(x->cap, sizeof(*x->key));
	x->val = enas_calloc(x->cap, sizeof(*x->val));
	return x->key && x->val ? 0 : ENAS_ENOMEM;
}

static void
kidx_free(struct kidx *x)
{
	free(x->key);
	free(x->val);
}

/* Add key (kept, not copied); the first value of a key stays. */
static void
kidx_add(struct kidx *x, const char *key, const void *val)
{
	size_t i;

	if (!x->cap)
		return;
	for (i = khash(key) & (x->cap - 1); x->key[i]; i = (i + 1) &
	    (x->cap - 1))
		if (strcmp(x->key[i], key) == 0)
			return;
	x->key[i] = key;
	x->val[i] = val;
}

static const void *
kidx_get(const struct kidx *x, const char *key)
{
	size_t i;

	for (i = khash(key) & (x->cap - 1); x->key[i]; i = (i + 1) &
	    (x->cap - 1))
		if (strcmp(x->key[i], key) == 0)
			return x->val[i];
	return NULL;
}

/* An index of a mapping's members (map may be NULL). */
static int
kidx_map(struct kidx *x, const struct enas_node *map)
{
	const struct enas_node *c;
	int rc;

	if ((rc = kidx_init(x, map ? map->nchild : 0)) < 0)
		return rc;
	for (c = map && x->cap ? map->child : NULL; c; c = c->next)
		kidx_add(x, c->key, c);
	return 0;
}

/* The member of map at key, through its index when it has one. */
static const struct enas_node *
member(const struct kidx *x, const struct enas_node *map, const char *key)
{
	return x->cap ? kidx_get(x, key) : enas_node_get(map, key);
}

/*
 * Merge two mappings member by member: ours' members in ours' order,
 * then theirs' new members, each after the member that precedes it in
 * theirs.
 */
static struct mnode *
merge_map(struct merge *m, const char *key, const struct enas_node *b,
    const struct enas_node *o, const struct enas_node *t, const char *field)
{
	struct kidx bx = KIDX_INIT, ox = KIDX_INIT, tx = KIDX_INIT,
	    rx = KIDX_INIT;
	const struct enas_node *x;
	struct mnode *res = NULL, *c, **tail, *at, *y;
	char sub[512];

	if (kidx_map(&bx, b) < 0 || kidx_map(&ox, o) < 0 ||
	    kidx_map(&tx, t) < 0 || kidx_init(&rx, o->nchild) < 0) {
		m->status = ENAS_ENOMEM;
		goto out;
	}
	if (!(res = mk(m, M_MAP, key, b, o, t)))
		goto out;
	tail = &res->child;
	for (x = o->child; x; x = x->next) {
		subfield(sub, sizeof(sub), field, x->key);
		c = merge_value(m, x->key, member(&bx, b, x->key), x,
		    member(&tx, t, x->key), sub);
		if (m->status < 0)
			goto out;
		if (c) {
			*tail = c;
			tail = &c->next;
			kidx_add(&rx, c->key, c);
		}
	}
	/*
	 * Theirs' members in theirs' order: at is the last one the result
	 * has, after which a new one goes (at the top when none).
	 */
	at = NULL;
	for (x = t->child; x; x = x->next) {
		if (member(&ox, o, x->key)) {
			if (rx.cap)
				y = (struct mnode *)kidx_get(&rx, x->key);
			else
				for (y = res->child; y &&
				    strcmp(y->key, x->key) != 0; y = y->next)
					;
			if (y)
				at = y;
			continue;
		}
		subfield(sub, sizeof(sub), field, x->key);
		c = merge_value(m, x->key, member(&bx, b, x->key), NULL, x,
		    sub);
		if (m->status < 0)
			goto out;
		if (!c)
			continue;
		if (at) {
			c->next = at->next;
			at->next = c;
		} else {
			c->next = res->child;
			res->child = c;
		}
		at = c;
	}
out:
	kidx_free(&bx);
	kidx_free(&ox);
	kidx_free(&tx);
	kidx_free(&rx);
	return m->status < 0 ? NULL : res;
}

/* An index of the values of a list of values (seq may be NULL). */
static int
kidx_values(struct kidx *x, const struct enas_node *seq)
{
	const struct enas_node *c;
	int rc;

	if ((rc = kidx_init(x, seq ? seq->nchild : 0)) < 0)
		return rc;
	for (c = seq && x->cap ? seq->child : NULL; c; c = c->next)
		kidx_add(x, c->value, c);
	return 0;
}

/*
 * 1 if the list of values seq (indexed by x) holds a value equal to v.
 * Values hold no NUL (the parser refuses control characters), so equal
 * strings are equal values.
 */
static int
has_value(const struct kidx *x, const struct enas_node *seq,
    const struct enas_node *v)
{
	const struct enas_node *c;

	if (x->cap)
		return kidx_get(x, v->value) != NULL;
	for (c = seq ? seq->child : NULL; c; c = c->next)
		if (node_eq(c, v))
			return 1;
	return 0;
}

/*
 * Merge two lists of values as sets: ours' values but those theirs
 * removed, then the values theirs added.
 */
static struct mnode *
merge_set(struct merge *m, const char *key, const struct enas_node *b,
    const struct enas_node *o, const struct enas_node *t)
{
	struct kidx bx = KIDX_INIT, ox = KIDX_INIT, tx = KIDX_INIT,
	    rx = KIDX_INIT;
	const struct enas_node *x;
	struct mnode *res = NULL;
	size_t i, n = (o ? o->nchild : 0) + (t ? t->nchild : 0);
	int dup;

	if (kidx_values(&bx, b) < 0 || kidx_values(&ox, o) < 0 ||
	    kidx_values(&tx, t) < 0 || kidx_init(&rx, n) < 0) {
		m->status = ENAS_ENOMEM;
		goto out;
	}
	if (!(res = mk(m, M_SET, key, b, o, t)))
		goto out;
	if (!(res->vals = enas_calloc(n + 1, sizeof(*res->vals)))) {
		m->status = ENAS_ENOMEM;
		goto out;
	}
	for (x = o ? o->child : NULL; x; x = x->next)
		if (!has_value(&bx, b, x) || has_value(&tx, t, x)) {
			res->vals[res->nvals].s = &m->o;
			res->vals[res->nvals++].n = x;
			kidx_add(&rx, x->value, x);
		}
	for (x = t ? t->child : NULL; x; x = x->next) {
		if (has_value(&bx, b, x) || has_value(&ox, o, x))
			continue;
		if (rx.cap)
			dup = kidx_get(&rx, x->value) != NULL;
		else
			for (dup = 0, i = 0; i < res->nvals; i++)
				dup |= node_eq(res->vals[i].n, x);
		if (!dup) {
			res->vals[res->nvals].s = &m->t;
			res->vals[res->nvals++].n = x;
			kidx_add(&rx, x->value, x);
		}
	}
out:
	kidx_free(&bx);
	kidx_free(&ox);
	kidx_free(&tx);
	kidx_free(&rx);
	return m->status < 0 ? NULL : res;
}

/*
 * How one side changed the items of a list.  match[i] is the side's
 * item equal to base item i, changed[i] the side's item that is base
 * item i changed, or -1; from[j] is the base item that side item j
 * keeps or changes, or -1 for an item of its own.
 */
struct itemfate {
	long *match;
	long *changed;
	long *from;
};

/* The number of members of base item x that y has equal. */
static size_t
similarity(const struct enas_node *x, const struct enas_node *y)
{
	const struct enas_node *c;
	size_t n = 0;

	if (x->type != ENAS_MAP || y->type != ENAS_MAP)
		return 0;
	for (c = x->child; c; c = c->next)
		n += node_eq(c, enas_node_get(y, c->key));
	return n;
}

/* A candidate pair of a base item and a side item, and how alike. */
struct pair {
	size_t i, j;
	size_t score;
};

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/*
 * Match the items of a side against the base's: equal items first, in
 * order; then the base items left are paired with the side items left
 * as the same item changed, when at least half the base item's members
 * are equal: the most alike pairs first, an equal date breaking ties.
 */
static int
item_fate(struct itemfate *f, const struct enas_node **bi, size_t nb,
    const struct enas_node **si, size_t ns)
{
	struct pair *p = NULL;
	size_t i, j, k, np = 0, sim;

	f->match = enas_calloc(nb + 1, sizeof(long));
	f->changed = enas_calloc(nb + 1, sizeof(long));
	f->from = enas_calloc(ns + 1, sizeof(long));
	if (!f->match || !f->changed || !f->from)
		return ENAS_ENOMEM;
	for (i = 0; i < nb; i++)
		f->match[i] = f->changed[i] = -1;
	for (j = 0; j < ns; j++)
		f->from[j] = -1;
	for (i = 0; i < nb; i++)
		for (j = 0; j < ns; j++)
			if (f->from[j] < 0 && node_eq(bi[i], si[j])) {
				f->match[i] = (long)j;
				f->from[j] = (long)i;
				break;
			}
	/* Lists too long to pair: their changes are removals and additions. */
	for (i = 0; i < nb && nb * ns <= PAIRS_MAX; i++) {
		if (f->match[i] >= 0)
			continue;
		for (j = 0; j < ns; j++) {
			if (f->from[j] >= 0)
				continue;
			sim = similarity(bi[i], si[j]);
			if (sim == 0 || sim * 2 < bi[i]->nchild)
				continue;
			if (!p && !(p = enas_calloc(nb * ns + 1, sizeof(*p))))
				return ENAS_ENOMEM;
			p[np].i = i;
			p[np].j = j;
			p[np++].score = sim * 2 + node_eq(enas_node_get(bi[i],
			    "date"), enas_node_get(si[j], "date"));
		}
	}
	if (np)
		qsort(p, np, sizeof(*p), cmp_pair);
	for (k = 0; k < np; k++) {
		if (f->changed[p[k].i] >= 0 || f->from[p[k].j] >= 0)
			continue;
		f->changed[p[k].i] = (long)p[k].j;
		f->from[p[k].j] = (long)p[k].i;
	}
	free(p);
	return 0;
}

static void
item_fate_free(struct itemfate *f)
{
	free(f->match);
	free(f->changed);
	free(f->from);
}

/* The items of a list (NULL: none) into a new array; *n their number. */
static const struct enas_node **
items_of(const struct enas_node *seq, size_t *n)
{
	const struct enas_node **a, *x;

	*n = 0;
	/* sizeof(*p) of an array of pointers: a false positive. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (!(a = enas_calloc((seq ? seq->nchild : 0) + 1, sizeof(*a))))
		return NULL;
	for (x = seq ? seq->child : NULL; x; x = x->next)
		a[(*n)++] = x;
	return a;
}

/* An item's date: member, or NULL. */
static const struct enas_node *
item_date(const struct mnode *c)
{
	const struct enas_node *n = c->o ? c->o : c->t, *d;

	if (c->kind == M_TAKE)
		n = c->t;
	d = enas_node_get(n, "date");
	return d && d->type == ENAS_SCALAR ? d : NULL;
}

/* Put item c into res's items before the first with a later date. */
static void
insert_by_date(struct mnode *res, struct mnode *c)
{
	const struct enas_node *d = item_date(c), *e;
	struct mnode **at;

	for (at = &res->child; *at; at = &(*at)->next) {
		if (!d || !(e = item_date(*at)))
			continue;
		if (strcmp(e->value, d->value) > 0)
			break;
	}
	c->next = *at;
	*at = c;
}

/*
 * Merge two lists of mappings item by item.  Ours' items in ours'
 * order, each kept, changed as theirs changed it, merged field by field
 * when both changed it, or dropped when theirs removed it; then theirs'
 * new items, each before the first item of a later date.
 */
static struct mnode *
merge_items(struct merge *m, const char *key, const struct enas_node *b,
    const struct enas_node *o, const struct enas_node *t, const char *field)
{
	const struct enas_node **bi = NULL, **oi = NULL, **ti = NULL;
	struct itemfate fo = { NULL, NULL, NULL }, ft = { NULL, NULL, NULL };
	struct mnode *res = NULL, *c, **tail;
	size_t nb, no, nt, i, j;
	char *used = NULL;
	char sub[512];
	long k;

	snprintf(sub, sizeof(sub), "%s[]", field);
	if (!(res = mk(m, M_ITEMS, key, b, o, t)))
		goto out;
	if (!(bi = items_of(b, &nb)) || !(oi = items_of(o, &no)) ||
	    !(ti = items_of(t, &nt)) || !(used = enas_calloc(nt + 1, 1)) ||
	    item_fate(&fo, bi, nb, oi, no) < 0 ||
	    item_fate(&ft, bi, nb, ti, nt) < 0) {
		m->status = ENAS_ENOMEM;
		goto out;
	}
	tail = &res->child;
	for (j = 0; j < no; j++) {
		c = NULL;
		if ((k = fo.from[j]) < 0) {
			/* Ours' own item; theirs may have added it too. */
			for (i = 0; i < nt; i++)
				if (ft.from[i] < 0 && !used[i] &&
				    node_eq(oi[j], ti[i])) {
					used[i] = 1;
					break;
				}
			c = mk(m, M_KEEP, NULL, NULL, oi[j], NULL);
		} else if (fo.match[k] == (long)j) {
			/* Ours kept base item k: theirs decides. */
			if (ft.match[k] >= 0)
				c = mk(m, M_KEEP, NULL, bi[k], oi[j],
				    ti[ft.match[k]]);
			else if (ft.changed[k] >= 0)
				c = mk(m, M_TAKE, NULL, bi[k], oi[j],
				    ti[ft.changed[k]]);
		} else if (ft.match[k] >= 0)
			c = mk(m, M_KEEP, NULL, bi[k], oi[j], ti[ft.match[k]]);
		else if (ft.changed[k] >= 0) {
			i = (size_t)ft.changed[k];
			if (node_eq(oi[j], ti[i]))
				c = mk(m, M_KEEP, NULL, bi[k], oi[j], ti[i]);
			else
				c = merge_map(m, NULL, bi[k], oi[j], ti[i],
				    sub);
		} else
			c = conflict(m, NULL, bi[k], oi[j], NULL, sub,
			    _("a list item changed on one side was removed on "
			    "the other"));
		if (m->status < 0)
			goto out;
		if (c) {
			*tail = c;
			tail = &c->next;
		}
	}
	/* Base items ours removed and theirs changed. */
	for (k = 0; k < (long)nb; k++) {
		if (fo.match[k] >= 0 || fo.changed[k] >= 0 ||
		    ft.changed[k] < 0)
			continue;
		if (!(c = conflict(m, NULL, bi[k], NULL, ti[ft.changed[k]],
		    sub, _("a list item changed on one side was removed on the "
		    "other"))))
			goto out;
		insert_by_date(res, c);
	}
	for (i = 0; i < nt; i++) {
		if (ft.from[i] >= 0 || used[i])
			continue;
		if (!(c = mk(m, M_TAKE, NULL, NULL, NULL, ti[i])))
			goto out;
		insert_by_date(res, c);
	}
out:
	item_fate_free(&fo);
	item_fate_free(&ft);
	free(bi);
	free(oi);
	free(ti);
	free(used);
	return m->status < 0 ? NULL : res;
}

/*
 * The merge of one member (or item): NULL when it is absent from the
 * result (or on failure, with m->status set).
 */
static struct mnode *
merge_value(struct merge *m, const char *key, const struct enas_node *b,
    const struct enas_node *o, const struct enas_node *t, const char *field)
{
	const struct enas_node *bb;
	struct mnode *res;
	int ho, ht, hb;

	if (node_eq(o, t))
		return o ? mk(m, M_KEEP, key, b, o, t) : NULL;
	if (node_eq(b, t))
		return o ? mk(m, M_KEEP, key, b, o, t) : NULL;
	/*
	 * Only theirs changed it: a mapping or a list of mappings still
	 * merges member by member, so ours' lines stay where theirs did not
	 * change them.
	 */
	if (node_eq(b, o) && (!o || !t || o->type != t->type ||
	    o->type == ENAS_SCALAR || (o->type == ENAS_SEQ &&
	    (seq_holds(o) != 2 || seq_holds(t) != 2))))
		return t ? mk(m, M_TAKE, key, b, o, t) : NULL;
	if (o && t && o->type == t->type && o->type == ENAS_MAP) {
		res = merge_map(m, key, b && b->type == ENAS_MAP ? b : NULL, o,
		    t, field);
		if (res)
			res->theirs_only = node_eq(b, o);
		return res;
	}
	/*
	 * A list: absent is empty, so a list that lost its last item (and
	 * its key) still merges item by item with one that gained some.
	 */
	if ((o || t) && (!o || o->type == ENAS_SEQ) &&
	    (!t || t->type == ENAS_SEQ)) {
		bb = b && b->type == ENAS_SEQ ? b : NULL;
		ho = seq_holds(o);
		ht = seq_holds(t);
		hb = seq_holds(bb);
		if (ho != 1 && ht != 1 && hb != 1 && (ho || ht))
			res = merge_items(m, key, bb, o, t, field);
		else if (ho != 2 && ht != 2 && hb != 2)
			res = merge_set(m, key, bb, o, t);
		else
			goto clash;
		/* Empty, and a side removed it: it goes. */
		if (res && (!o || !t) && !res->child && !res->nvals)
			return NULL;
		if (res)
			res->theirs_only = node_eq(b, o);
		return res;
	}
clash:
	return conflict(m, key, b, o, t, field, o && t ?
	    _("changed differently on both sides") :
	    _("removed on one side, changed on the other"));
}

/* Output. */

static void
put(struct merge *m, const char *p, size_t n)
{
	size_t i;

	if (m->status < 0)
		return;
	if (enas_buf_add(m->out, p, n) < 0) {
		m->status = ENAS_ENOMEM;
		return;
	}
	for (i = 0; i < n; i++)
		m->oline += p[i] == '\n';
}

static void
puts_(struct merge *m, const char *s)
{
	put(m, s, strlen(s));
}

static void
spaces(struct merge *m, int n)
{
	static const char sp[] = "                                ";

	for (; n > 0; n -= 32)
		put(m, sp, n > 32 ? 32 : (size_t)n);
}

static void
put_lead(struct merge *m, struct lead l)
{
	if (l.dash < 0) {
		spaces(m, l.col);
		return;
	}
	spaces(m, l.dash);
	puts_(m, "-");
	spaces(m, l.col - l.dash - 1);
}

/*
 * Copy lines [from, to) of side s.  Line head (a member's key, an
 * item's dash; 0 for none) is written from column col (from 0, after
 * its lead of spaces and dashes) behind lead l; the others are moved by
 * as many columns.  Returns 1 when a line cannot move left that far.
 */
static int
copy_lines(struct merge *m, const struct side *s, int from, int head,
    int to, int col, struct lead l)
{
	size_t a, e, i;
	int line, delta = l.col - col, lead;

	for (line = from; line < to && line <= s->nlines; line++) {
		a = line_start(s, line);
		e = line_start(s, line + 1);
		while (e > a && s->buf[e - 1] == '\n')
			e--;
		if (line == head) {
			for (i = a; i < a + (size_t)col; i++)
				if (i >= e || (s->buf[i] != ' ' &&
				    s->buf[i] != '-'))
					return 1;
			put_lead(m, l);
			put(m, s->buf + a + col, e - a - (size_t)col);
			puts_(m, "\n");
			continue;
		}
		for (lead = 0; a + (size_t)lead < e &&
		    s->buf[a + lead] == ' '; lead++)
			;
		if (a + (size_t)lead == e) {
			puts_(m, "\n");
			continue;
		}
		if (delta >= 0)
			spaces(m, delta);
		else if (lead >= -delta)
			a += (size_t)-delta;
		else if (s->buf[a + lead] == '#')
			a += (size_t)lead;
		else
			return 1;
		put(m, s->buf + a, e - a);
		puts_(m, "\n");
	}
	return 0;
}

/* Copy the whole range of member or item n of side s, behind lead l. */
static int
copy_node(struct merge *m, const struct side *s, const struct enas_node *n,
    int end, struct lead l)
{
	return copy_lines(m, s, start_line(s, n), head_line(s, n),
	    end_line(s, n, end), start_col(s, n), l);
}

/* The end of the quoted scalar at off, or 0 if it runs past its line. */
static size_t
quoted_end(const struct side *s, size_t off)
{
	char q = s->buf[off];
	size_t i;

	for (i = off + 1; i < s->len && s->buf[i] != '\n'; i++) {
		if (q == '"' && s->buf[i] == '\\') {
			i++;
			continue;
		}
		if (s->buf[i] != q)
			continue;
		if (q == '\'' && i + 1 < s->len && s->buf[i + 1] == '\'') {
			i++;
			continue;
		}
		return i + 1;
	}
	return 0;
}

/*
 * Write a scalar: as it is spelt in its side when that spelling is on
 * one line and safe anywhere, else as lib/yamlout writes it.
 */
static void
put_scalar(struct merge *m, const struct side *s, const struct enas_node *n)
{
	size_t off, end;

	if (n->len && !memchr(n->value, '\n', n->len)) {
		off = pos_off(s, n->line, n->col);
		if (!n->quoted && enas_yamlout_plain(n->value, n->len) &&
		    off + n->len <= s->len && memcmp(s->buf + off, n->value,
		    n->len) == 0) {
			put(m, n->value, n->len);
			return;
		}
		if (n->quoted && off < s->len && (s->buf[off] == '\'' ||
		    s->buf[off] == '"') && (end = quoted_end(s, off))) {
			put(m, s->buf + off, end - off);
			return;
		}
	}
	/* No newline: the lines written so far stay counted. */
	if (m->status >= 0 && enas_yamlout_scalar(m->out, n->value,
	    n->len) < 0)
		m->status = ENAS_ENOMEM;
}

/* The canonical layout. */

static void canon_node(struct merge *, const struct side *, const char *,
    const struct enas_node *, struct lead);
static void canon_mnode(struct merge *, struct mnode *, struct lead);

/* "key:" behind its lead, or the lead alone for an item. */
static void
put_key(struct merge *m, const char *key, struct lead l)
{
	put_lead(m, l);
	if (key) {
		puts_(m, key);
		puts_(m, ":");
	}
}

/* The lead of the first member of an item whose dash is at col. */
static struct lead
item_lead(int col)
{
	struct lead l = { col + 2, col };

	return l;
}

/*
 * A member (key) or a list item (no key; its lead puts the dash) of a
 * side, in the canonical layout.
 */
static void
canon_node(struct merge *m, const struct side *s, const char *key,
    const struct enas_node *n, struct lead l)
{
	const struct enas_node *c;
	struct lead first, rest;
	int col = l.col;

	if (!key && n->type == ENAS_MAP && n->child) {
		/* An item: its members after the dash. */
		first = item_lead(l.col);
		rest.col = l.col + 2;
		rest.dash = -1;
		for (c = n->child; c; c = c->next)
			canon_node(m, s, c->key, c, c == n->child ? first :
			    rest);
		return;
	}
	put_key(m, key, l);
	if (!key) {
		puts_(m, "- ");
		if (n->type == ENAS_SCALAR)
			put_scalar(m, s, n);
		else
			puts_(m, n->type == ENAS_MAP ? "{}" : "[]");
		puts_(m, "\n");
		return;
	}
	if (n->type == ENAS_SCALAR) {
		puts_(m, " ");
		put_scalar(m, s, n);
		puts_(m, "\n");
		return;
	}
	if (!n->child) {
		puts_(m, n->type == ENAS_MAP ? " {}\n" : " []\n");
		return;
	}
	if (n->type == ENAS_SEQ && n->child->type == ENAS_SCALAR) {
		puts_(m, " [");
		for (c = n->child; c; c = c->next) {
			put_scalar(m, s, c);
			puts_(m, c->next ? ", " : "");
		}
		puts_(m, "]\n");
		return;
	}
	puts_(m, "\n");
	rest.dash = -1;
	rest.col = col + 2;
	for (c = n->child; c; c = c->next)
		canon_node(m, s, n->type == ENAS_MAP ? c->key : NULL, c, rest);
}

/* Markers around ours' and theirs' versions, however written. */
static void
canon_conflict(struct merge *m, struct mnode *c, struct lead l)
{
	c->line = m->oline + 1;
	puts_(m, MARK_OURS);
	if (c->o)
		canon_node(m, &m->o, c->key, c->o, l);
	puts_(m, MARK_MID);
	if (c->t)
		canon_node(m, &m->t, c->key, c->t, l);
	puts_(m, MARK_THEIRS);
}

/* A merged list of values, canonical: "key: [a, b]". */
static void
canon_set(struct merge *m, const struct mnode *c, struct lead l)
{
	size_t i;

	put_key(m, c->key, l);
	puts_(m, " [");
	for (i = 0; i < c->nvals; i++) {
		put_scalar(m, c->vals[i].s, c->vals[i].n);
		puts_(m, i + 1 < c->nvals ? ", " : "");
	}
	puts_(m, "]\n");
}

static void
canon_mnode(struct merge *m, struct mnode *c, struct lead l)
{
	struct mnode *x;
	struct lead rest = { l.col + 2, -1 };

	switch (c->kind) {
	case M_KEEP:
		canon_node(m, &m->o, c->key, c->o, l);
		return;
	case M_TAKE:
		canon_node(m, &m->t, c->key, c->t, l);
		return;
	case M_CONFLICT:
		canon_conflict(m, c, l);
		return;
	case M_SET:
		canon_set(m, c, l);
		return;
	case M_MAP:
		if (!c->child) {
			put_key(m, c->key, l);
			puts_(m, c->key ? " {}\n" : "- {}\n");
			return;
		}
		if (!c->key) {
			for (x = c->child; x; x = x->next)
				canon_mnode(m, x, x == c->child ?
				    item_lead(l.col) : rest);
			return;
		}
		put_key(m, c->key, l);
		puts_(m, "\n");
		for (x = c->child; x; x = x->next)
			canon_mnode(m, x, rest);
		return;
	case M_ITEMS:
		put_key(m, c->key, l);
		puts_(m, c->child ? "\n" : " []\n");
		for (x = c->child; x; x = x->next)
			canon_mnode(m, x, rest);
		return;
	}
}

/* The layout that keeps ours' lines. */

static int splice_mnode(struct merge *, struct mnode *, struct lead, int,
    int);

/*
 * The members or items of c, the first behind lead first, the others
 * behind rest.  oend and tend end the ranges of ours' and theirs'
 * versions of c.
 */
static int
splice_children(struct merge *m, struct mnode *c, struct lead first,
    struct lead rest, int oend, int tend)
{
	struct mnode *x;

	for (x = c->child; x; x = x->next)
		if (splice_mnode(m, x, x == c->child ? first : rest, oend,
		    tend))
			return 1;
	return 0;
}

/*
 * Write one decision behind lead l, keeping ours' lines; oend and tend
 * end the ranges of the parents of its ours' and theirs' versions.
 * Returns 1 when ours' layout does not allow it (the caller writes the
 * whole record in the canonical layout instead).
 */
static int
splice_mnode(struct merge *m, struct mnode *c, struct lead l, int oend,
    int tend)
{
	const struct side *o = &m->o, *t = &m->t;
	const struct enas_node *on = c->o, *tn = c->t;
	struct lead first, rest;
	int shift, end;
	long d;

	switch (c->kind) {
	case M_KEEP:
		return copy_node(m, o, on, oend, l);
	case M_TAKE:
		return copy_node(m, t, tn, tend, l);
	case M_CONFLICT:
		c->line = m->oline + 1;
		puts_(m, MARK_OURS);
		if (on && copy_node(m, o, on, oend, l))
			return 1;
		puts_(m, MARK_MID);
		if (tn && copy_node(m, t, tn, tend, l))
			return 1;
		puts_(m, MARK_THEIRS);
		return 0;
	case M_SET:
		/* Ours' layout of the list: block, or [...] on one line. */
		if (on && on->child && first_char(o, on) == '-' &&
		    seq_block(o, on, on->key_line) && c->nvals) {
			size_t i;

			d = dash_off(o, on->child);
			put_key(m, c->key, l);
			puts_(m, "\n");
			for (i = 0; i < c->nvals; i++) {
				spaces(m, col_of(o, (size_t)d) + l.col -
				    start_col(o, on));
				puts_(m, "- ");
				put_scalar(m, c->vals[i].s, c->vals[i].n);
				puts_(m, "\n");
			}
		} else
			canon_set(m, c, l);
		return 0;
	case M_MAP:
		shift = l.col - start_col(o, on);
		end = end_line(o, on, oend);
		if (!c->child)
			break;
		if (c->key) {
			if (!map_block(o, on, 0, on->key_line))
				break;
			/* The key's own line(s), then the members. */
			if (copy_lines(m, o, start_line(o, on), on->key_line,
			    start_line(o, on->child), start_col(o, on), l))
				return 1;
			rest.col = on->child->key_col - 1 + shift;
			rest.dash = -1;
			return splice_children(m, c, rest, rest, end,
			    tn ? end_line(t, tn, tend) : tend);
		}
		/* A list item: its members after the dash. */
		if ((d = dash_off(o, on)) < 0 || !map_block(o, on,
		    line_of(o, (size_t)d), 0))
			break;
		rest.col = on->child->key_col - 1 + shift;
		rest.dash = -1;
		first.col = rest.col;
		first.dash = l.col;
		return splice_children(m, c, first, rest, end,
		    tn ? end_line(t, tn, tend) : tend);
	case M_ITEMS:
		if (!on || !c->child || !seq_block(o, on, on->key_line))
			break;
		shift = l.col - start_col(o, on);
		d = dash_off(o, on->child);
		if (copy_lines(m, o, start_line(o, on), on->key_line,
		    start_line(o, on->child), start_col(o, on), l))
			return 1;
		rest.col = col_of(o, (size_t)d) + shift;
		rest.dash = -1;
		return splice_children(m, c, rest, rest, end_line(o, on, oend),
		    tn ? end_line(t, tn, tend) : tend);
	}
	/* Ours' layout cannot hold it: theirs' lines if they are the change. */
	if (c->theirs_only && tn)
		return copy_node(m, t, tn, tend, l);
	canon_mnode(m, c, l);
	return 0;
}

/* The whole record keeping ours' lines: 0, or 1 if it cannot. */
static int
splice_doc(struct merge *m, struct mnode *root)
{
	const struct enas_node *on = m->o.rec->root;
	struct lead l;

	if (!map_block(&m->o, on, 0, 0))
		return 1;
	if (copy_lines(m, &m->o, 1, 0, start_line(&m->o, on->child), 0,
	    NO_LEAD))
		return 1;
	l.col = on->child->key_col - 1;
	l.dash = -1;
	return splice_children(m, root, l, l, m->o.nlines + 1,
	    m->t.nlines + 1);
}

/* The whole record in the canonical layout, after ours' leading lines. */
static void
canon_doc(struct merge *m, struct mnode *root)
{
	const struct enas_node *on = m->o.rec->root;
	struct mnode *x;

	if (on->child)
		copy_lines(m, &m->o, 1, 0, start_line(&m->o, on->child), 0,
		    NO_LEAD);
	for (x = root->child; x; x = x->next)
		canon_mnode(m, x, NO_LEAD);
}

/*
 * Whether conflict c is absent from the record when resolved as mode
 * says: 1 ours' side, 2 theirs'.
 */
static int
resolved_absent(const struct mnode *c, int mode)
{
	return c->kind == M_CONFLICT && ((mode == 1 && !c->o) ||
	    (mode == 2 && !c->t));
}

/*
 * 1 if the parsed node n says what decision c decided; conflicts
 * resolved as mode says (0: none may be there, 1: ours, 2: theirs).
 */
static int
verify(const struct mnode *c, const struct enas_node *n, int mode)
{
	const struct mnode *x;
	const struct enas_node *y;
	size_t i;

	switch (c->kind) {
	case M_KEEP:
		return node_eq(c->o, n);
	case M_TAKE:
		return node_eq(c->t, n);
	case M_CONFLICT:
		return mode && node_eq(mode == 1 ? c->o : c->t, n);
	case M_SET:
		if (n->type != ENAS_SEQ || n->nchild != c->nvals)
			return 0;
		for (i = 0, y = n->child; y; y = y->next, i++)
			if (!node_eq(c->vals[i].n, y))
				return 0;
		return 1;
	case M_MAP:
	case M_ITEMS:
		if (c->theirs_only && node_eq(c->t, n))
			return 1;
		if (mode && n->type == ENAS_SCALAR && n->len == 0) {
			/* "key:" with every member resolved away. */
			for (x = c->child; x && resolved_absent(x, mode);
			    x = x->next)
				;
			return c->child && !x;
		}
		if (n->type != (c->kind == M_MAP ? ENAS_MAP : ENAS_SEQ))
			return 0;
		for (x = c->child, y = n->child; ; x = x->next, y = y->next) {
			while (x && resolved_absent(x, mode))
				x = x->next;
			if (!x || !y)
				return !x && !y;
			if ((x->key && strcmp(x->key, y->key) != 0) ||
			    !verify(x, y, mode))
				return 0;
		}
	}
	return 0;
}

static int
has_conflict(const struct mnode *c)
{
	const struct mnode *x;

	if (c->kind == M_CONFLICT)
		return 1;
	for (x = c->child; x; x = x->next)
		if (has_conflict(x))
			return 1;
	return 0;
}

/* Report each conflict, in the order written. */
static void
report_conflicts(const struct mnode *c, const char *name, enas_diag_fn fn,
    void *ctx, int *n)
{
	const struct mnode *x;

	if (c->kind == M_CONFLICT) {
		enas_diag_report(fn, ctx, name, c->line, 1, ENAS_ERROR,
		    c->field, _("keep one version between the conflict "
		    "markers, then git add the file"), _("conflict: %s"),
		    c->why);
		(*n)++;
	}
	for (x = c->child; x; x = x->next)
		report_conflicts(x, name, fn, ctx, n);
}

/*
 * The text in out with each conflict resolved as mode says (1: ours'
 * half, 2: theirs'), into b.
 */
static int
resolve(const struct enas_buf *out, int mode, struct enas_buf *b)
{
	const char *p = out->data ? out->data : "", *end = p + out->len, *nl;
	int half = 0;	/* 0 outside a conflict, 1 ours' half, 2 theirs' */
	size_t n;

	b->len = 0;
	for (; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		n = (size_t)(nl - p);
		if (n == strlen(MARK_OURS) && memcmp(p, MARK_OURS, n) == 0)
			half = 1;
		else if (half && n == strlen(MARK_MID) && memcmp(p, MARK_MID,
		    n) == 0)
			half = 2;
		else if (half && n == strlen(MARK_THEIRS) && memcmp(p,
		    MARK_THEIRS, n) == 0)
			half = 0;
		else if ((!half || half == mode) && enas_buf_add(b, p, n) < 0)
			return ENAS_ENOMEM;
	}
	return 0;
}

/*
 * 1 if the text in out says what root decided: parsed, it is the
 * merged record; with conflicts, it is the merged record with each
 * conflict resolved either way.
 */
static int
out_verified(struct merge *m, struct mnode *root, const char *name)
{
	struct enas_buf b = ENAS_BUF_INIT;
	struct enas_record *r;
	int rc, ok = 1, mode, conflicts = has_conflict(root);

	for (mode = conflicts ? 1 : 0; ok && mode <= (conflicts ? 2 : 0);
	    mode++) {
		if (conflicts && (rc = resolve(m->out, mode, &b)) < 0) {
			m->status = rc;
			ok = 0;
			break;
		}
		rc = enas_record_parse(&r, conflicts ? (b.data ? b.data : "") :
		    (m->out->data ? m->out->data : ""), conflicts ? b.len :
		    m->out->len, name, ENAS_PARSE_RULES, NULL, NULL);
		if (rc == ENAS_ENOMEM)
			m->status = rc;
		if (rc < 0) {
			ok = 0;
			break;
		}
		ok = verify(root, r->root, mode);
		enas_record_free(r);
	}
	enas_buf_free(&b);
	return ok;
}

/* Two records created under one id: the whole file is the conflict. */
static int
both_created(struct merge *m, const char *name, enas_diag_fn fn, void *ctx)
{
	m->out->len = 0;
	puts_(m, MARK_OURS);
	put(m, m->o.buf, m->o.len);
	if (m->o.len && m->o.buf[m->o.len - 1] != '\n')
		puts_(m, "\n");
	puts_(m, MARK_MID);
	put(m, m->t.buf, m->t.len);
	if (m->t.len && m->t.buf[m->t.len - 1] != '\n')
		puts_(m, "\n");
	puts_(m, MARK_THEIRS);
	if (m->status < 0)
		return m->status;
	enas_diag_report(fn, ctx, name, 1, 1, ENAS_ERROR, "id", _("two records "
	    "share one id: keep one here, and give the other a new id, in a "
	    "new file named by it"), _("conflict: both sides created a record "
	    "with this id"));
	return ENAS_MERGE_CONFLICT;
}

int
enas_merge_records(struct enas_buf *out, const char *name,
    const struct enas_merge_input *base, const struct enas_merge_input *ours,
    const struct enas_merge_input *theirs, enas_diag_fn fn, void *ctx)
{
	struct merge m;
	struct mnode *root = NULL, *x;
	int rc, n = 0, added;

	memset(&m, 0, sizeof(m));
	m.out = out;
	out->len = 0;
	if (out->data)
		out->data[0] = '\0';
	added = !base->buf || base->len == 0;
	if ((!added && (rc = side_load(&m.b, base, name)) < 0) ||
	    (rc = side_load(&m.o, ours, name)) < 0 ||
	    (rc = side_load(&m.t, theirs, name)) < 0) {
		if (rc == ENAS_EDATA)
			rc = ENAS_MERGE_NOT_RECORD;
		goto out;
	}
	if (added && !node_eq(m.o.rec->root, m.t.rec->root)) {
		rc = both_created(&m, name, fn, ctx);
		goto out;
	}
	if (!(root = merge_map(&m, NULL, added ? NULL : m.b.rec->root,
	    m.o.rec->root, m.t.rec->root, "")))
		goto fail;
	if (splice_doc(&m, root) || m.status < 0 ||
	    !out_verified(&m, root, name)) {
		if (m.status < 0)
			goto fail;
		out->len = 0;
		m.oline = 0;
		canon_doc(&m, root);
		if (m.status < 0)
			goto fail;
		if (!out_verified(&m, root, name)) {
			rc = m.status < 0 ? m.status : enas_error_set(
			    ENAS_EDATA, _("%s: the merged record cannot be "
			    "written back"), name);
			goto out;
		}
	}
	report_conflicts(root, name, fn, ctx, &n);
	rc = n ? ENAS_MERGE_CONFLICT : ENAS_MERGE_CLEAN;
	goto out;
fail:
	rc = m.status < 0 ? m.status : ENAS_ENOMEM;
out:
	while ((x = m.pool)) {
		m.pool = x->pool;
		free(x->vals);
		free(x->field);
		free(x);
	}
	side_free(&m.b);
	side_free(&m.o);
	side_free(&m.t);
	return rc;
}

int
enas_merge_text(struct enas_buf *out, const struct enas_merge_input *base,
    const struct enas_merge_input *ours,
    const struct enas_merge_input *theirs)
{
	const struct enas_merge_input *sides[3] = { base, ours, theirs };
	git_merge_file_input in[3];
	git_merge_file_options opts;
	git_merge_file_result res;
	int i, rc;

	if (git_libgit2_init() < 0)
		return enas_error_set(ENAS_EGIT, _("cannot start libgit2"));
	for (i = 0; i < 3; i++) {
		git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
		in[i].ptr = sides[i]->buf ? sides[i]->buf : "";
		in[i].size = sides[i]->buf ? sides[i]->len : 0;
	}
	git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION);
	opts.ancestor_label = "base";
	opts.our_label = "ours";
	opts.their_label = "theirs";
	memset(&res, 0, sizeof(res));
	if (git_merge_file(&res, &in[0], &in[1], &in[2], &opts) < 0) {
		rc = enas_error_set(ENAS_EGIT, _("text merge: %s"),
		    git_error_last() ? git_error_last()->message : _("failed"));
		goto out;
	}
	out->len = 0;
	if ((rc = enas_buf_add(out, res.ptr ? res.ptr : "", res.len)) < 0)
		goto out;
	rc = res.automergeable ? ENAS_MERGE_CLEAN : ENAS_MERGE_CONFLICT;
out:
	git_merge_file_result_free(&res);
	git_libgit2_shutdown();
	return rc;
}

/* The kind directory of a record's path: "cases" in records/cases/..., */
static int
kind_dir(const char *path, char *dir, size_t size)
{
	const char *p = path, *slash;
	size_t n = strlen(ENAS_RECORDS_DIR "/");

	if (strncmp(p, ENAS_RECORDS_DIR "/", n) != 0)
		return 0;
	p += n;
	if (!(slash = strchr(p, '/')) || (size_t)(slash - p) >= size)
		return 0;
	memcpy(dir, p, (size_t)(slash - p));
	dir[slash - p] = '\0';
	return 1;
}

int
enas_merge_check(const struct enas_rules *r, const char *path,
    const char *buf, size_t len, enas_diag_fn fn, void *ctx)
{
	struct enas_diag_count c = { fn, ctx, 0 };
	struct enas_record *rec = NULL;
	struct enas_rules *rr;
	const struct enas_node *id;
	const char *base, *stem;
	char dir[256];
	size_t n;
	int rc;

	if (kind_dir(path, dir, sizeof(dir)) && strcmp(dir, "rules") == 0) {
		rc = enas_rules_load(&rr, buf, len, path, enas_diag_counting,
		    &c);
		if (rc == ENAS_ENOMEM)
			return rc;
		enas_rules_free(rr);
		return c.errors;
	}
	rc = enas_record_parse(&rec, buf, len, path, 0, enas_diag_counting, &c);
	if (rc == ENAS_EDATA)
		return c.errors;
	if (rc < 0)
		return rc;
	if (r && (rc = enas_rules_check(r, rec, enas_diag_counting, &c)) < 0)
		goto out;
	id = enas_node_get(rec->root, "id");
	base = strrchr(path, '/');
	stem = base ? base + 1 : path;
	n = strlen(stem);
	if (n > 5 && strcmp(stem + n - 5, ".yaml") == 0)
		n -= 5;
	if (r && id && id->type == ENAS_SCALAR && id->len &&
	    (id->len != n || memcmp(id->value, stem, n) != 0))
		enas_diag_report(enas_diag_counting, &c, path, id->line,
		    id->col, ENAS_ERROR, "id", NULL,
		    _("'%.*s' differs from the file name "
		    "%.*s.yaml; a record's file is named by its id"),
		    id->len > 40 ? 40 : (int)id->len, id->value, (int)n, stem);
	rc = c.errors;
out:
	enas_record_free(rec);
	return rc;
}
