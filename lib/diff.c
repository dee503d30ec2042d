/*
 * diff.c: field-level differences between two versions of a record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "yamlout.h"

#define PATH_MAX_LEN 256

static int
add(struct enas_diff *d, enum enas_change_type type, const char *path,
    const struct enas_node *old, const struct enas_node *new)
{
	struct enas_change *c;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		if (!(c = enas_realloc(d->changes, d->cap * sizeof(*c))))
			return ENAS_ENOMEM;
		d->changes = c;
	}
	c = &d->changes[d->n];
	if (!(c->path = enas_strdup(path)))
		return ENAS_ENOMEM;
	c->type = type;
	c->old = old;
	c->new = new;
	d->n++;
	return 0;
}

static int
scalar_eq(const struct enas_node *a, const struct enas_node *b)
{
	return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

/* Whether a sequence holds a mapping: then it is compared by items. */
static int
has_maps(const struct enas_node *seq)
{
	const struct enas_node *c;

	for (c = seq->child; c; c = c->next)
		if (c->type == ENAS_MAP)
			return 1;
	return 0;
}

static int
value_eq(const struct enas_node *a, const struct enas_node *b)
{
	const struct enas_node *x, *y;

	if (a->type != b->type)
		return 0;
	if (a->type == ENAS_SCALAR)
		return scalar_eq(a, b);
	if (a->nchild != b->nchild)
		return 0;
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next) {
		if (a->type == ENAS_MAP && strcmp(x->key, y->key) != 0)
			return 0;
		if (!value_eq(x, y))
			return 0;
	}
	return 1;
}

static int diff_node(struct enas_diff *d, char *path, size_t plen,
    const struct enas_node *a, const struct enas_node *b);

/* The members of two mappings (either may be NULL), by key. */
static int
diff_map(struct enas_diff *d, char *path, size_t plen,
    const struct enas_node *a, const struct enas_node *b)
{
	const struct enas_node *m;
	size_t len;
	int rc;

	for (m = b ? b->child : NULL; m; m = m->next) {
		len = plen + (plen ? 1 : 0) + strlen(m->key);
		if (len >= PATH_MAX_LEN)
			continue;
		snprintf(path + plen, PATH_MAX_LEN - plen, "%s%s",
		    plen ? "." : "", m->key);
		if ((rc = diff_node(d, path, len, enas_node_get(a, m->key),
		    m)) < 0)
			return rc;
	}
	for (m = a ? a->child : NULL; m; m = m->next) {
		if (enas_node_get(b, m->key))
			continue;
		len = plen + (plen ? 1 : 0) + strlen(m->key);
		if (len >= PATH_MAX_LEN)
			continue;
		snprintf(path + plen, PATH_MAX_LEN - plen, "%s%s",
		    plen ? "." : "", m->key);
		if ((rc = diff_node(d, path, len, m, NULL)) < 0)
			return rc;
	}
	path[plen] = '\0';
	return 0;
}

/* Two sequences of mappings, item by item. */
static int
diff_items(struct enas_diff *d, char *path, size_t plen,
    const struct enas_node *a, const struct enas_node *b)
{
	const struct enas_node *x = a ? a->child : NULL;
	const struct enas_node *y = b ? b->child : NULL;
	size_t i, len;
	int rc = 0, n;

	for (i = 0; x || y; i++) {
		n = snprintf(path + plen, PATH_MAX_LEN - plen, "[%zu]", i);
		if (n < 0 || (size_t)n >= PATH_MAX_LEN - plen)
			break;
		len = plen + (size_t)n;
		if (x && y && x->type == ENAS_MAP && y->type == ENAS_MAP)
			rc = diff_map(d, path, len, x, y);
		else if (x && y) {
			if (!value_eq(x, y))
				rc = add(d, ENAS_CHANGED, path, x, y);
		} else
			rc = add(d, x ? ENAS_REMOVED : ENAS_ADDED, path, x, y);
		if (rc < 0)
			return rc;
		x = x ? x->next : NULL;
		y = y ? y->next : NULL;
	}
	path[plen] = '\0';
	return 0;
}

static int
diff_node(struct enas_diff *d, char *path, size_t plen,
    const struct enas_node *a, const struct enas_node *b)
{
	if (enas_node_empty(a))
		a = NULL;
	if (enas_node_empty(b))
		b = NULL;
	if (!a && !b)
		return 0;
	if ((!a || a->type == ENAS_MAP) && (!b || b->type == ENAS_MAP))
		return diff_map(d, path, plen, a, b);
	if ((!a || (a->type == ENAS_SEQ && has_maps(a))) &&
	    (!b || (b->type == ENAS_SEQ && has_maps(b))))
		return diff_items(d, path, plen, a, b);
	if (!a)
		return add(d, ENAS_ADDED, path, NULL, b);
	if (!b)
		return add(d, ENAS_REMOVED, path, a, NULL);
	if (value_eq(a, b))
		return 0;
	return add(d, ENAS_CHANGED, path, a, b);
}

int
enas_diff_records(struct enas_diff *out, const struct enas_node *a,
    const struct enas_node *b)
{
	char path[PATH_MAX_LEN] = "";
	int rc;

	out->changes = NULL;
	out->n = out->cap = 0;
	if ((rc = diff_map(out, path, 0, a, b)) < 0)
		enas_diff_free(out);
	return rc;
}

void
enas_diff_free(struct enas_diff *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		free(d->changes[i].path);
	free(d->changes);
	d->changes = NULL;
	d->n = d->cap = 0;
}

int
enas_node_text(struct enas_buf *b, const struct enas_node *n)
{
	const struct enas_node *c;

	if (!n)
		return 0;
	if (n->type == ENAS_SCALAR)
		return enas_yamlout_scalar(b, n->value, n->len);
	if (enas_buf_puts(b, n->type == ENAS_MAP ? "{" : "[") < 0)
		return ENAS_ENOMEM;
	for (c = n->child; c; c = c->next) {
		if (c != n->child && enas_buf_puts(b, ", ") < 0)
			return ENAS_ENOMEM;
		if (n->type == ENAS_MAP && enas_buf_printf(b, "%s: ",
		    c->key) < 0)
			return ENAS_ENOMEM;
		if (enas_node_text(b, c) < 0)
			return ENAS_ENOMEM;
	}
	return enas_buf_puts(b, n->type == ENAS_MAP ? "}" : "]");
}

int
enas_diff_fields(struct enas_buf *b, const struct enas_diff *d)
{
	size_t i, j;
	int first = 1;

	for (i = 0; i < d->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(d->changes[j].path, d->changes[i].path) == 0)
				break;
		if (j < i)
			continue;
		if (enas_buf_printf(b, "%s%s", first ? "" : ", ",
		    d->changes[i].path) < 0)
			return ENAS_ENOMEM;
		first = 0;
	}
	return 0;
}

int
enas_change_text(struct enas_buf *b, const struct enas_change *c)
{
	const struct enas_node *v = c->type == ENAS_REMOVED ? c->old : c->new;

	if (enas_buf_printf(b, "%s: ", c->path) < 0)
		return ENAS_ENOMEM;
	if (c->type == ENAS_CHANGED) {
		if (enas_node_text(b, c->old) < 0 ||
		    enas_buf_puts(b, " -> ") < 0 ||
		    enas_node_text(b, c->new) < 0)
			return ENAS_ENOMEM;
		return 0;
	}
	if (enas_buf_puts(b, c->type == ENAS_ADDED ? "added" : "removed") < 0)
		return ENAS_ENOMEM;
	/* An item of a sequence of mappings is named, not spelled out. */
	if (v->type == ENAS_MAP)
		return 0;
	if (enas_buf_puts(b, " ") < 0 || enas_node_text(b, v) < 0)
		return ENAS_ENOMEM;
	return 0;
}
