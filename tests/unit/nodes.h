/*
 * nodes.h: whether two trees of record nodes are the same, positions
 * included: the fast reader (lib/fastrec.c) is held to the full parser
 * (lib/record.c) by tests/unit/fastrec.c and tests/fuzz/fastrec.c.
 */
#ifndef ENAS_TEST_NODES_H
#define ENAS_TEST_NODES_H

#include <stdio.h>
#include <string.h>

#include "record.h"

#define NODES_UNUSED __attribute__((unused))

/* 1 if a and b are the same tree; else 0, with the first difference. */
static NODES_UNUSED int
nodes_same(const struct enas_node *a, const struct enas_node *b, char *why,
    size_t size)
{
	const struct enas_node *x, *y;

	if (a->type != b->type || a->line != b->line || a->col != b->col ||
	    a->key_line != b->key_line || a->key_col != b->key_col ||
	    a->nchild != b->nchild || a->quoted != b->quoted ||
	    (a->key == NULL) != (b->key == NULL) ||
	    (a->key && strcmp(a->key, b->key) != 0) ||
	    a->len != b->len || (a->type == ENAS_SCALAR &&
	    memcmp(a->value, b->value, a->len) != 0)) {
		snprintf(why, size, "%d:%d %s (type %d/%d at %d:%d/%d:%d, "
		    "key %d:%d/%d:%d, '%.*s'/'%.*s')", a->line, a->col,
		    a->key ? a->key : "-", a->type, b->type, a->line, a->col,
		    b->line, b->col, a->key_line, a->key_col, b->key_line,
		    b->key_col, (int)a->len, a->value ? a->value : "",
		    (int)b->len, b->value ? b->value : "");
		return 0;
	}
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
		if (!nodes_same(x, y, why, size))
			return 0;
	return 1;
}

#endif
