/*
 * record.h: a record is one YAML file in the strict subset of SPEC §3,
 * loaded with libyaml's event API into an ordered tree of nodes that
 * remember where each key and value stood (lines and columns from 1).
 */
#ifndef ENAS_RECORD_H
#define ENAS_RECORD_H

#include "enas.h"

#define ENAS_RECORD_MAX (256 * 1024)	/* bytes in one record */
#define ENAS_RECORD_DEPTH 8		/* nested collections below the top */

enum enas_node_type {
	ENAS_SCALAR,
	ENAS_MAP,
	ENAS_SEQ
};

/*
 * A node.  A mapping's members and a sequence's items are its children,
 * in file order, linked through next.  A member of a mapping has key set
 * (NUL-terminated, matching the key syntax) with the key's position;
 * line and col are where the value starts.  A scalar's text is value, of
 * len bytes, NUL-terminated; it is always a string, whatever it looks
 * like: rules give it a type.  quoted is set for '...' and "..." scalars.
 * Everything is owned by the record.
 */
struct enas_node {
	enum enas_node_type type;
	const char *key;
	int key_line, key_col;
	int line, col;
	const char *value;
	size_t len;
	int quoted;
	struct enas_node *child;
	struct enas_node *next;
	size_t nchild;
};

struct enas_record {
	struct enas_node *root;	/* a mapping */
	char *file;		/* as given to enas_record_parse() */
	void *arena;		/* private */
};

/* Flags for enas_record_parse(). */
#define ENAS_PARSE_RULES 0x1	/* keys may be field paths: a.b, a[].b */

/*
 * Parse buf (len bytes, not necessarily NUL-terminated) as a record
 * named file.  On success *out is a new record the caller frees with
 * enas_record_free().  On refusal every problem found is reported
 * through fn (at least one) and ENAS_EDATA is returned with *out NULL;
 * ENAS_ENOMEM on allocation failure.  Parsing stops at the first
 * problem of YAML structure, but the byte-level checks (encoding,
 * control characters, conflict markers, tabs, line ends) report every
 * offending line first.
 */
int enas_record_parse(struct enas_record **out, const char *buf,
    size_t len, const char *file, unsigned flags, enas_diag_fn fn,
    void *ctx);

void enas_record_free(struct enas_record *r);

/*
 * The member of mapping map named key, or NULL (also when map is NULL
 * or not a mapping).
 */
const struct enas_node *enas_node_get(const struct enas_node *map,
    const char *key);

/*
 * The node at a dotted path without [] ("consent.reporting") below
 * map, or NULL.
 */
const struct enas_node *enas_node_path(const struct enas_node *map,
    const char *path);

/*
 * Call fn for every node a field path reaches below map, in file order:
 * "a.b" reaches one node, "a[].b" the b of every item of a, and "a[]"
 * every item of a.  The path "concerns" on a sequence reaches the
 * sequence itself.  Stops and returns fn's value when it is non-zero;
 * returns 0 otherwise.
 */
int enas_node_each(const struct enas_node *map, const char *path,
    int (*fn)(void *ctx, const struct enas_node *n), void *ctx);

/* 1 if n is absent, an empty scalar or an empty collection. */
int enas_node_empty(const struct enas_node *n);

#endif
