/*
 * expr.h: where-expressions (SPEC §6), shared by enas-ls -w, enas-stats
 * -w and the rules' required_if and forbidden_if.
 *
 *	FIELD=V[,V...]	FIELD!=V[,V...]	FIELD~REGEX	FIELD!~REGEX
 *	FIELD<V	FIELD<=V	FIELD>V	FIELD>=V	FIELD	!FIELD
 */
#ifndef ENAS_EXPR_H
#define ENAS_EXPR_H

#include "enas.h"
#include "record.h"

struct enas_expr;

/*
 * Parse text (NUL-terminated).  On a syntax error returns ENAS_EDATA
 * with a message (lower case, saying what is wrong and where) for
 * enas_error_last().
 */
int enas_expr_parse(struct enas_expr **out, const char *text);

void enas_expr_free(struct enas_expr *e);

/* The field path the expression tests. */
const char *enas_expr_field(const struct enas_expr *e);

/*
 * Evaluate against a record's root mapping.  A field path may contain
 * "." and "[]"; a sequence (or a path through one) satisfies = and ~ when
 * any item does, and != and !~ when no item does.  Comparisons are
 * numeric when both sides are integers, by date when both are dates,
 * and byte-wise otherwise.  Returns 1 (true), 0 (false), or a negative
 * status when a regex limit was hit.
 */
int enas_expr_eval(const struct enas_expr *e, const struct enas_node *root);

#endif
