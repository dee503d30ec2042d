/*
 * expr.c: where-expressions (SPEC §6).
 *
 * One expression is one string, read left to right with no whitespace
 * trimmed anywhere:
 *
 *	[!]FIELD [OP VALUE]
 *
 * FIELD is a field path: words [a-z][a-z0-9_]*, each optionally
 * followed by [], joined by '.'.  It ends at the first of = ! ~ < >,
 * and the operator is the longest of = != ~ !~ < <= > >= found there.
 * Everything after the operator is the value, taken literally to the
 * end of the string, spaces and all.
 *
 * - FIELD=V,W and FIELD!=V,W split their value on commas; an empty
 *   value (FIELD=, FIELD=a,) stands for "absent or empty", so FIELD=
 *   is !FIELD and FIELD!= is FIELD.  != is the negation of =.
 * - FIELD<V and its kin take exactly one non-empty value, without
 *   commas.  They compare numerically when both sides are canonical
 *   integers, -?(0|[1-9][0-9]*) of any length; otherwise byte-wise,
 *   which orders two YYYY-MM-DD dates as dates.
 * - FIELD~RE and FIELD!~RE take a non-empty PCRE2 pattern, unanchored;
 *   !~ is the negation of ~.
 * - After = != < <= > >= a value may not start with = < > ! or ~:
 *   "status==open" and "age=<5" are typing mistakes, not values (a
 *   value that really starts so can be found with ~).
 * - !FIELD is a bare field: no operator may follow it.
 *
 * Evaluation collects what the path reaches with enas_node_each(); a
 * sequence reached as a whole ("concerns") stands for its items.  =, ~
 * and the comparisons hold when any value does.  Only
 * scalars have values; a mapping never equals, matches or compares,
 * but it is present when it is not empty.  Evaluation never allocates
 * (matching a pattern is up to pattern.c).
 */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "pattern.h"

enum op {
	OP_EQ,
	OP_NE,
	OP_MATCH,
	OP_NMATCH,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_PRESENT,
	OP_ABSENT
};

struct value {
	const char *p;
	size_t len;
};

struct enas_expr {
	enum op op;
	char *src;		/* a copy of the text, split in place */
	const char *field;	/* into src */
	struct enas_pattern *re;	/* for ~ and !~ */
	int has_empty;		/* = or != lists an empty value */
	int numeric;		/* vals[0] is an integer (is_int) */
	size_t nvals;
	struct value vals[];	/* into src */
};

static const char *const op_names[] = {
	[OP_EQ] = "=", [OP_NE] = "!=", [OP_MATCH] = "~", [OP_NMATCH] = "!~",
	[OP_LT] = "<", [OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=",
	[OP_PRESENT] = "", [OP_ABSENT] = ""
};

/*
 * 1 if p (len bytes) is a field path: [a-z][a-z0-9_]* words, each
 * optionally followed by [], joined by '.'.
 */
static int
field_valid(const char *p, size_t len)
{
	size_t i = 0;

	for (;;) {
		if (i >= len || p[i] < 'a' || p[i] > 'z')
			return 0;
		for (i++; i < len && ((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '_'); i++)
			;
		if (i + 1 < len && p[i] == '[' && p[i + 1] == ']')
			i += 2;
		if (i == len)
			return 1;
		if (p[i] != '.')
			return 0;
		i++;
	}
}

/*
 * 1 if p (len bytes) is an integer in canonical decimal form:
 * -?(0|[1-9][0-9]*), and not "-0".  Any length: comparison works on
 * the digits, so no value can overflow.
 */
static int
is_int(const char *p, size_t len)
{
	size_t i = 0;

	if (len > 0 && p[0] == '-')
		i = 1;
	if (i == len)
		return 0;
	if (p[i] == '0')
		return len == 1;
	for (; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* Byte-wise comparison of two (ptr, len) strings: <0, 0 or >0. */
static int
bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c;

	c = memcmp(a, b, alen < blen ? alen : blen);
	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/*
 * Numeric comparison of two canonical integers (is_int): the sign
 * first, then the number of digits, then the digits.
 */
static int
int_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int aneg = a[0] == '-', bneg = b[0] == '-';
	int c;

	if (aneg != bneg)
		return aneg ? -1 : 1;
	if (alen != blen)
		c = alen < blen ? -1 : 1;
	else
		c = memcmp(a, b, alen);
	return aneg ? -c : c;
}

/*
 * Test one scalar value (len bytes) against e.  Returns 1 when it
 * satisfies the positive form of the operator (= for != and ~ for !~:
 * the caller negates), 0 when not, or a negative status from
 * enas_pattern_match().
 */
static int
value_test(const struct enas_expr *e, const char *p, size_t len)
{
	size_t i;
	int c;

	switch (e->op) {
	case OP_EQ:
	case OP_NE:
		for (i = 0; i < e->nvals; i++)
			if (e->vals[i].len == len &&
			    memcmp(e->vals[i].p, p, len) == 0)
				return 1;
		return 0;
	case OP_MATCH:
	case OP_NMATCH:
		return enas_pattern_match(e->re, p, len);
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		/*
		 * Two valid YYYY-MM-DD dates compare as dates byte-wise, so
		 * only integers need their own comparison.
		 */
		if (e->numeric && is_int(p, len))
			c = int_cmp(p, len, e->vals[0].p, e->vals[0].len);
		else
			c = bytes_cmp(p, len, e->vals[0].p, e->vals[0].len);
		return e->op == OP_LT ? c < 0 : e->op == OP_LE ? c <= 0 :
		    e->op == OP_GT ? c > 0 : c >= 0;
	default:	/* FIELD and !FIELD use node_present() */
		return 0;
	}
}

/*
 * enas_node_each() callback: 1 when a value reached by the path passes
 * value_test(), stopping the walk; a negative status stops it too.
 */
static int
node_test(void *ctx, const struct enas_node *n)
{
	const struct enas_expr *e = ctx;
	const struct enas_node *c;
	int rc;

	if (n->type == ENAS_SCALAR)
		return value_test(e, n->value, n->len);
	if (n->type != ENAS_SEQ)
		return 0;
	for (c = n->child; c; c = c->next)
		if (c->type == ENAS_SCALAR &&
		    (rc = value_test(e, c->value, c->len)) != 0)
			return rc;
	return 0;
}

/*
 * enas_node_each() callback: 1 when a node reached by the path is
 * present and not empty; a sequence is when one of its items is.
 */
static int
node_present(void *ctx, const struct enas_node *n)
{
	const struct enas_node *c;

	(void)ctx;
	if (n->type != ENAS_SEQ)
		return !enas_node_empty(n);
	for (c = n->child; c; c = c->next)
		if (!enas_node_empty(c))
			return 1;
	return 0;
}

/*
 * Parse the value part of e, rest, for the operator e->op; text is the
 * whole expression, for messages.  Returns 0, ENAS_EDATA or
 * ENAS_ENOMEM.
 */
static int
parse_value(struct enas_expr *e, char *rest, const char *text)
{
	const char *opn = op_names[e->op];
	char msg[256];
	size_t erroff, len = strlen(rest), i;
	char *p;
	int rc;

	if (e->op == OP_MATCH || e->op == OP_NMATCH) {
		if (len == 0)
			return enas_error_set(ENAS_EDATA, "missing regex "
			    "after '%s' in '%s'", opn, text);
		rc = enas_pattern_compile(&e->re, rest, len, 0, &erroff, msg,
		    sizeof(msg));
		if (rc == ENAS_EDATA) {
			/* Too long to quote: name the field instead. */
			if (len > ENAS_PATTERN_MAX)
				return enas_error_set(ENAS_EDATA, "bad regex "
				    "for '%s': %s", e->field, msg);
			return enas_error_set(ENAS_EDATA, "bad regex in "
			    "'%s': %s at offset %zu", text, msg, erroff);
		}
		return rc;
	}
	if (len > 0 && strchr("=<>!~", rest[0]))
		return enas_error_set(ENAS_EDATA, "unknown operator '%s%c' "
		    "in '%s'", opn, rest[0], text);
	if (e->op == OP_EQ || e->op == OP_NE) {
		for (p = rest, i = 0;; i++) {
			e->vals[i].p = p;
			if (!(p = strchr(p, ','))) {
				e->vals[i].len = strlen(e->vals[i].p);
				break;
			}
			e->vals[i].len = (size_t)(p - e->vals[i].p);
			*p++ = '\0';
		}
		e->nvals = i + 1;
		for (i = 0; i < e->nvals; i++)
			if (e->vals[i].len == 0)
				e->has_empty = 1;
		return 0;
	}
	if (len == 0)
		return enas_error_set(ENAS_EDATA, "missing value after '%s' "
		    "in '%s'", opn, text);
	if (strchr(rest, ','))
		return enas_error_set(ENAS_EDATA, "'%s' takes one value, "
		    "not a list, in '%s'", opn, text);
	e->vals[0].p = rest;
	e->vals[0].len = len;
	e->nvals = 1;
	e->numeric = is_int(rest, len);
	return 0;
}

/*
 * Parse text into *out, which the caller frees with enas_expr_free().
 * On a syntax error, ENAS_EDATA with a message that quotes text; on
 * allocation failure ENAS_ENOMEM.  *out is NULL on failure.
 */
int
enas_expr_parse(struct enas_expr **out, const char *text)
{
	struct enas_expr *e = NULL;
	size_t nvals = 1, flen;
	const char *s, *body;
	char *op;
	int neg, rc;

	*out = NULL;
	if (text[0] == '\0')
		return enas_error_set(ENAS_EDATA, "empty expression");
	/* A value list has at most one more value than commas. */
	for (s = text; (s = strchr(s, ',')); s++)
		nvals++;
	if (!(e = enas_calloc(1, sizeof(*e) + nvals * sizeof(e->vals[0]))))
		return ENAS_ENOMEM;
	if (!(e->src = enas_strdup(text))) {
		rc = ENAS_ENOMEM;
		goto fail;
	}
	/* "!=x" and "!~x" lack a field; they are not "!FIELD". */
	neg = text[0] == '!' && text[1] != '=' && text[1] != '~';
	body = e->src + neg;
	flen = strcspn(body, "=!~<>");
	op = e->src + neg + flen;
	if (neg && *op) {
		rc = enas_error_set(ENAS_EDATA, "'!FIELD' takes no operator "
		    "or value in '%s'", text);
		goto fail;
	}
	if (flen == 0) {
		rc = enas_error_set(ENAS_EDATA, "missing field name %sin '%s'",
		    neg ? "after '!' " : "", text);
		goto fail;
	}
	if (!field_valid(body, flen)) {
		rc = enas_error_set(ENAS_EDATA, "bad field name '%.*s' in "
		    "'%s': fields are lower-case words joined by '.'",
		    (int)flen, body, text);
		goto fail;
	}
	e->field = body;
	switch (*op) {
	case '\0':
		e->op = neg ? OP_ABSENT : OP_PRESENT;
		*out = e;
		return 0;
	case '=':
		e->op = OP_EQ;
		break;
	case '~':
		e->op = OP_MATCH;
		break;
	case '<':
		e->op = op[1] == '=' ? OP_LE : OP_LT;
		break;
	case '>':
		e->op = op[1] == '=' ? OP_GE : OP_GT;
		break;
	default:	/* '!' */
		if (op[1] != '=' && op[1] != '~') {
			rc = enas_error_set(ENAS_EDATA, "unknown operator "
			    "'!' in '%s': use != or !~", text);
			goto fail;
		}
		e->op = op[1] == '=' ? OP_NE : OP_NMATCH;
		break;
	}
	*op = '\0';
	rc = parse_value(e, op + strlen(op_names[e->op]), text);
	if (rc < 0)
		goto fail;
	*out = e;
	return 0;
fail:
	enas_expr_free(e);
	return rc;
}

/* Free e and everything it owns; e may be NULL. */
void
enas_expr_free(struct enas_expr *e)
{
	if (!e)
		return;
	enas_pattern_free(e->re);
	free(e->src);
	free(e);
}

/* The field path of e, NUL-terminated, owned by e. */
const char *
enas_expr_field(const struct enas_expr *e)
{
	return e->field;
}

/*
 * Evaluate e against root, a record's root mapping (or NULL, which has
 * no fields).  Returns 1, 0, or the negative status of a pattern match
 * that failed (a limit hit), with its message for enas_error_last().
 * Never allocates.
 */
int
enas_expr_eval(const struct enas_expr *e, const struct enas_node *root)
{
	int rc;

	switch (e->op) {
	case OP_PRESENT:
	case OP_ABSENT:
		rc = root ? enas_node_each(root, e->field, node_present,
		    NULL) : 0;
		return e->op == OP_PRESENT ? rc : !rc;
	default:
		break;
	}
	rc = root ? enas_node_each(root, e->field, node_test, (void *)e) : 0;
	if (rc < 0)
		return rc;
	if (rc == 0 && e->has_empty)
		rc = !(root && enas_node_each(root, e->field, node_present,
		    NULL));
	if (e->op == OP_NE || e->op == OP_NMATCH)
		return !rc;
	return rc;
}
