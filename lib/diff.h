/*
 * diff.h: the field-level differences between two versions of a
 * record, for enas-edit's commit messages, enas-log, and merges.
 */
#ifndef ENAS_DIFF_H
#define ENAS_DIFF_H

#include "enas.h"
#include "record.h"

enum enas_change_type {
	ENAS_ADDED,
	ENAS_REMOVED,
	ENAS_CHANGED
};

/*
 * One change.  path names the field as the rules do, with the position
 * of an item in a sequence of mappings counted from 0 ("status",
 * "closure.date", "referrals[1]", "referrals[0].status").  old and new
 * are the two values (old NULL when added, new NULL when removed),
 * borrowed from the records compared.
 */
struct enas_change {
	enum enas_change_type type;
	char *path;
	const struct enas_node *old;
	const struct enas_node *new;
};

struct enas_diff {
	struct enas_change *changes;
	size_t n;
	size_t cap;
};
#define ENAS_DIFF_INIT { NULL, 0, 0 }

/*
 * The changes from mapping a to mapping b (root mappings of records;
 * either may be NULL, meaning empty) into out, which the caller frees
 * with enas_diff_free() and which borrows from a and b.  Empty values
 * count as absent.  Mappings are compared key by key, whatever their
 * order; sequences of mappings item by item, by position; scalars and
 * lists of scalars as whole values.  The changes come in b's order,
 * then what only a had, in a's order.  Returns 0 or ENAS_ENOMEM.
 */
int enas_diff_records(struct enas_diff *out, const struct enas_node *a,
    const struct enas_node *b);

void enas_diff_free(struct enas_diff *d);

/*
 * Append n as one line of flow YAML to b: a scalar plain when it can
 * be read back as the same string, else double-quoted with escapes; a
 * sequence as [a, b]; a mapping as {k: v}.  NULL appends nothing.
 */
int enas_node_text(struct enas_buf *b, const struct enas_node *n);

/*
 * Append the changed fields' paths, each once, in order, joined by
 * ", ", to b: what a commit message may say (never a value).
 */
int enas_diff_fields(struct enas_buf *b, const struct enas_diff *d);

/*
 * Append one change as a line without its newline to b:
 * "status: open -> closed", "closure.date: added 2024-11-02",
 * "referrals[1]: added", "age_estimated: removed true".
 */
int enas_change_text(struct enas_buf *b, const struct enas_change *c);

#endif
