/*
 * expr.h: where-expressions (SPEC §6), shared by enas-ls -w, enas-stats
 * -w and the rules' required_if and forbidden_if: one parser, one
 * checker against the kind's rules.
 *
 *	FIELD=V[,V...]	FIELD!=V[,V...]	FIELD~REGEX	FIELD!~REGEX
 *	FIELD<V	FIELD<=V	FIELD>V	FIELD>=V	FIELD	!FIELD
 */
#ifndef ENAS_EXPR_H
#define ENAS_EXPR_H

#include "enas.h"
#include "record.h"
#include "rules.h"

struct enas_expr;

/*
 * Parse text (NUL-terminated) and check it against rules, the rules of
 * the kind it will be evaluated on: the field must be declared, every
 * value must be of the field's type (an int, a date that exists, true
 * or false) and in its enum, a regex must compile (lib/pattern) and,
 * on an enum field, match one of its values.  On success *out is the
 * expression, which the caller frees with enas_expr_free().
 *
 * On a refusal returns ENAS_EUSAGE, *out is NULL, and enas_error_last()
 * says "'TEXT': column N: what was expected" (N counts characters from
 * 1); when col is not NULL, *col is N.  ENAS_ENOMEM when memory ran
 * out.  With rules NULL only the syntax is checked, and comparisons
 * are numeric when both sides are integers: for tests and fuzzing.
 */
int enas_expr_compile_at(struct enas_expr **out, const char *text,
    const struct enas_rules *rules, int *col);

/* enas_expr_compile_at() without the column. */
int enas_expr_compile(struct enas_expr **out, const char *text,
    const struct enas_rules *rules);

void enas_expr_free(struct enas_expr *e);

/* The field path the expression tests, as the rules write it. */
const char *enas_expr_field(const struct enas_expr *e);

/*
 * Evaluate against a record's root mapping (NULL: a record without
 * fields).  A field path may contain "." and "[]"; a sequence (or a
 * path through one) satisfies = and ~ when any item does, and != and
 * !~ when no item does.  Ints compare numerically, dates as dates; a
 * record value that is not of the field's type never compares.
 * Returns 1 (true), 0 (false), or a negative status when a regex limit
 * was hit (with a message for enas_error_last()).  Never allocates.
 */
int enas_expr_eval(const struct enas_expr *e, const struct enas_node *root);

/*
 * Evaluate e on one item of a sequence, for filters that select items
 * rather than records: item is one item of the sequence, and e's field
 * path below the sequence begins at byte skip of enas_expr_field(e)
 * ("referrals[].service" with skip 12 tests "service" of a referral;
 * "concerns" with skip 8 tests a list item itself, the empty path).
 * Results as enas_expr_eval().
 */
int enas_expr_eval_item(const struct enas_expr *e,
    const struct enas_node *item, size_t skip);

#endif
