/*
 * expr.c: where-expressions (SPEC §6), parsed and checked against the
 * rules of a kind.
 *
 * One expression is one condition:
 *
 *	[!] FIELD [OP VALUE[,VALUE...]]
 *
 * with spaces allowed before and after every part.  FIELD is a field
 * path: words [a-z][a-z0-9_]*, each optionally followed by [], joined
 * by '.', exactly as the rules declare it.  OP is one of = != ~ !~ < <=
 * > >=.  A value is a word that ends at a space (or, after = != < <= >
 * >=, at a comma), or a text between single or double quotes, which may
 * hold spaces and commas.
 *
 * - FIELD=V,W and FIELD!=V,W list values; an empty value (FIELD=,
 *   FIELD=a,) stands for "absent or empty", so FIELD= is !FIELD and
 *   FIELD!= is FIELD.  != is the negation of =.
 * - FIELD<V and its kin take one value, and compare ints numerically
 *   and dates as dates; they are refused on any other field.
 * - FIELD~RE and FIELD!~RE take one PCRE2 pattern, unanchored; !~ is
 *   the negation of ~.
 * - After the operator a bare value may not start with = < > ! or ~:
 *   "status==open" and "age=<5" are typing mistakes, not values.
 * - Anything after the expression is refused ("expected end of
 *   expression"): "age>=15 and sex=male" is two conditions, which
 *   the tools take as two -w.
 *
 * Checked against the rules: the field is declared ("id" always is),
 * every value can be of the field's type and is in its enum (for a
 * list field, of each item), a regex on an enum field matches one of
 * its values, and comparisons are made only of ints and dates.  A
 * refusal names the expression, the column and what was expected.
 *
 * Evaluation collects what the path reaches with enas_node_each(); a
 * sequence reached as a whole ("concerns") stands for its items.  =, ~
 * and the comparisons hold when any value does.  Only scalars have
 * values; a mapping never equals, matches or compares, but it is
 * present when it is not empty.  Evaluation never allocates (matching
 * a pattern is up to pattern.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "i18n.h"
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

/* How comparisons read values. */
enum cmp {
	CMP_ANY,	/* unchecked: numeric when both sides are integers */
	CMP_INT,	/* an int field */
	CMP_DATE	/* a date field */
};

struct value {
	const char *p;
	size_t len;
};

struct enas_expr {
	enum op op;
	enum cmp cmp;
	char *src;		/* a copy of the text; values point into it */
	char *field;
	struct enas_pattern *re;	/* for ~ and !~ */
	int has_empty;		/* = or != lists an empty value */
	int numeric;		/* CMP_ANY: vals[0] is an integer */
	size_t nvals;
	struct value vals[];
};

static const char *const op_names[] = {
	[OP_EQ] = "=", [OP_NE] = "!=", [OP_MATCH] = "~", [OP_NMATCH] = "!~",
	[OP_LT] = "<", [OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=",
	[OP_PRESENT] = "", [OP_ABSENT] = ""
};

/* A parse in progress: the text, where we are, and what to check. */
struct parser {
	const char *text;
	size_t i;
	const struct enas_rules *rules;
	int *col;
};

/* Bytes of the expression a message quotes before it shortens it. */
#define QUOTE_MAX 64
/* Bytes of a found token a message quotes. */
#define FOUND_MAX 24

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static void
skip_space(struct parser *ps)
{
	while (is_space(ps->text[ps->i]))
		ps->i++;
}

/* The number of whole UTF-8 characters in the first n bytes of s. */
static size_t
chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* n, or less, so that s[0..n) does not end inside a UTF-8 character. */
static size_t
char_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * Refuse the expression: ENAS_EUSAGE, with "'TEXT': column N: " and
 * the formatted message, N the column of byte at of the text.
 */
static int
refuse(struct parser *ps, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
refuse(struct parser *ps, size_t at, const char *fmt, ...)
{
	char msg[768];
	size_t len = strlen(ps->text), show = len;
	int col = (int)chars(ps->text, at) + 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (len > QUOTE_MAX)
		show = char_cut(ps->text, QUOTE_MAX - 3);
	if (ps->col)
		*ps->col = col;
	return enas_error_set(ENAS_EUSAGE, _("'%.*s%s': column %d: %s"),
	    (int)show, ps->text, show < len ? "..." : "", col, msg);
}

/*
 * What is at byte at, for "found ...": the word there, quoted and
 * shortened, or "end of expression".  Written into buf.
 */
static const char *
found(char *buf, size_t size, const char *text, size_t at)
{
	size_t n;

	if (text[at] == '\0')
		return _("end of expression");
	for (n = 0; text[at + n] && !is_space(text[at + n]); n++)
		;
	if (n > FOUND_MAX)
		n = char_cut(text + at, FOUND_MAX);
	snprintf(buf, size, "'%.*s%s'", (int)n, text + at,
	    text[at + n] && !is_space(text[at + n]) ? "..." : "");
	return buf;
}

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

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * The optimal-string-alignment distance between a and b, ignoring
 * ASCII case: insertions, deletions, substitutions and swaps of two
 * neighbours count one each.  Strings over 63 bytes are "far".
 */
static size_t
distance(const char *a, size_t al, const char *b, size_t bl)
{
	size_t row[3][64], i, j, d, *prev2, *prev, *cur, *t;

	if (al >= 64 || bl >= 64)
		return (size_t)-1;
	prev2 = row[0];
	prev = row[1];
	cur = row[2];
	for (j = 0; j <= bl; j++)
		prev[j] = j;
	for (i = 1; i <= al; i++) {
		cur[0] = i;
		for (j = 1; j <= bl; j++) {
			d = prev[j - 1] + (lower(a[i - 1]) != lower(b[j - 1]));
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && lower(a[i - 1]) ==
			    lower(b[j - 2]) && lower(a[i - 2]) ==
			    lower(b[j - 1]) && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[bl];
}

/* 1 if v (len bytes, len > 0) begins cand, ignoring ASCII case. */
static int
is_prefix(const char *v, size_t len, const char *cand)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!cand[i] || lower(v[i]) != lower(cand[i]))
			return 0;
	return len > 0;
}

/* The closest candidate so far, for "did you mean". */
struct near {
	const char *best;
	size_t d;
	const char *prefix;	/* a candidate that the word begins */
	size_t prefixes;	/* how many do */
};

static void
near_try(struct near *nr, const char *v, size_t len, const char *cand)
{
	size_t d = distance(v, len, cand, strlen(cand));

	if (d < nr->d) {
		nr->d = d;
		nr->best = cand;
	}
	if (is_prefix(v, len, cand)) {
		nr->prefix = cand;
		nr->prefixes++;
	}
}

/*
 * The candidate close enough to v (len bytes) to be what was meant: the
 * same but for case, at most two edits that change at most a third of
 * the longer word, or else the one candidate that v begins; NULL when
 * none is.
 */
static const char *
near_pick(const struct near *nr, size_t len)
{
	size_t n;

	if (nr->best) {
		n = strlen(nr->best);
		if (len > n)
			n = len;
		if (nr->d == 0 || (nr->d <= 2 && nr->d * 3 <= n))
			return nr->best;
	}
	return nr->prefixes == 1 ? nr->prefix : NULL;
}

/* The rules' type of a field, as a message says it. */
static const char *
type_name(enum enas_type t)
{
	switch (t) {
	case ENAS_INT:
		return _("an int");
	case ENAS_DATE:
		return _("a date");
	case ENAS_BOOL:
		return _("a bool");
	case ENAS_LIST:
		return _("a list");
	default:
		return _("text");
	}
}

/* A field as compile() sees it: declared, or "id", which always is. */
struct ftype {
	const char *path;
	enum enas_type type;
	const char *const *enums;
	size_t nenums;
	const char *match;	/* the rules' match: pattern, or NULL */
};

/*
 * The enum of f written into buf as "a, b, c", or "" when it is too
 * long to be a useful message.
 */
static const char *
enum_list(char *buf, size_t size, const struct ftype *f)
{
	size_t i, n = 0;
	int w;

	buf[0] = '\0';
	if (f->nenums > 8)
		return buf;
	for (i = 0; i < f->nenums; i++) {
		w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
		    f->enums[i]);
		if (w < 0 || (size_t)w >= size - n) {
			buf[0] = '\0';
			return buf;
		}
		n += (size_t)w;
	}
	return buf;
}

/*
 * A value of a field with a match: pattern must match it whole, as a
 * record's value must: "nationality=gn" can count nothing.  The
 * pattern is compiled here, for this check only, so that the rules'
 * own compiled patterns are never shared between threads.  0,
 * ENAS_EUSAGE or ENAS_ENOMEM.
 */
static int
check_match(struct parser *ps, const struct ftype *f, const char *v,
    size_t len, size_t at)
{
	struct enas_pattern *pat = NULL;
	char msg[256], alt[64];
	size_t erroff, i;
	int rc, hint = 0;

	rc = enas_pattern_compile(&pat, f->match, strlen(f->match),
	    ENAS_PATTERN_WHOLE, &erroff, msg, sizeof(msg));
	if (rc < 0)	/* the rules compiled it: only memory can fail */
		return rc;
	rc = enas_pattern_match(pat, v, len);
	/* The same value in upper or lower case may be what was meant. */
	if (rc == 0 && len < sizeof(alt)) {
		for (i = 0; i < len; i++)
			alt[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ?
			    v[i] - 'a' + 'A' : v[i]);
		if ((hint = enas_pattern_match(pat, alt, len) == 1) == 0) {
			for (i = 0; i < len; i++)
				alt[i] = (char)lower(v[i]);
			hint = enas_pattern_match(pat, alt, len) == 1;
		}
	}
	enas_pattern_free(pat);
	if (rc == 1)
		return 0;
	if (rc == ENAS_ENOMEM)
		return rc;
	if (rc < 0)
		return refuse(ps, at, "%s", enas_error_last());
	if (hint)
		return refuse(ps, at, _("'%.*s' does not match the pattern of "
		    "%s, %s (did you mean %.*s?)"), (int)len, v, f->path,
		    f->match, (int)len, alt);
	return refuse(ps, at, _("'%.*s' does not match the pattern of %s, "
	    "%s"), (int)len, v, f->path, f->match);
}

/*
 * Check one value (len bytes at byte at of the text) against the
 * field's type and enum.  0 or ENAS_EUSAGE.
 */
static int
check_value(struct parser *ps, const struct ftype *f, const char *v,
    size_t len, size_t at)
{
	char fb[64], list[512];
	long long x;
	size_t i;
	int rc;
	const char *hint;
	struct near nr = { NULL, (size_t)-1, NULL, 0 };

	switch (f->type) {
	case ENAS_INT:
		if (enas_int_parse(&x, v, len) < 0)
			return refuse(ps, at, _("expected an integer, found "
			    "%s"), found(fb, sizeof(fb), ps->text, at));
		return 0;
	case ENAS_DATE:
		if (enas_date_parse(v, len) >= 0)
			return 0;
		if (len == 10 && strspn(v, "0123456789-") >= 10 &&
		    v[4] == '-' && v[7] == '-')
			return refuse(ps, at, _("'%.*s' is not a day of the "
			    "calendar"), (int)len, v);
		return refuse(ps, at, _("expected a date (YYYY-MM-DD), "
		    "found %s"), found(fb, sizeof(fb), ps->text, at));
	case ENAS_BOOL:
		if ((len == 4 && memcmp(v, "true", 4) == 0) ||
		    (len == 5 && memcmp(v, "false", 5) == 0))
			return 0;
		return refuse(ps, at, _("expected true or false, found %s"),
		    found(fb, sizeof(fb), ps->text, at));
	default:
		break;
	}
	if (f->match && (rc = check_match(ps, f, v, len, at)) < 0)
		return rc;
	if (!f->enums)
		return 0;
	for (i = 0; i < f->nenums; i++) {
		if (strlen(f->enums[i]) == len &&
		    memcmp(f->enums[i], v, len) == 0)
			return 0;
		near_try(&nr, v, len, f->enums[i]);
	}
	if ((hint = near_pick(&nr, len)))
		return refuse(ps, at, _("'%.*s' is not a value of %s (did you "
		    "mean %s?)"), (int)len, v, f->path, hint);
	if (*enum_list(list, sizeof(list), f))
		return refuse(ps, at, _("'%.*s' is not a value of %s: "
		    "expected one of %s"), (int)len, v, f->path, list);
	return refuse(ps, at, _("'%.*s' is not a value of %s (see %s)"),
	    (int)len, v, f->path, ps->rules->file);
}

/*
 * Find the field of the expression in the rules into *f, or refuse:
 * at is where the field starts in the text.
 */
static int
find_field(struct parser *ps, struct ftype *f, const char *path, size_t at)
{
	const struct enas_rules *r = ps->rules;
	const struct enas_field *fd;
	struct near nr = { NULL, (size_t)-1, NULL, 0 };
	const char *hint;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->type = ENAS_TEXT;
	if ((fd = enas_rules_field(r, path))) {
		f->type = fd->type;
		f->enums = fd->enums;
		f->nenums = fd->nenums;
		f->match = fd->match_src;
		return 0;
	}
	if (strcmp(path, "id") == 0)
		return 0;
	for (i = 0; i < r->nfields; i++)
		near_try(&nr, path, strlen(path), r->fields[i].path);
	if ((hint = near_pick(&nr, strlen(path))))
		return refuse(ps, at, _("'%s' is not a field of %s (did you "
		    "mean %s?)"), path, r->kind, hint);
	return refuse(ps, at, _("'%s' is not a field of %s (see %s)"), path,
	    r->kind, r->file);
}

/*
 * A group of fields (a mapping, or a sequence of mappings) has no value
 * of its own: only FIELD and !FIELD test it.
 */
static int
refuse_group(struct parser *ps, const struct ftype *f, size_t at)
{
	const struct enas_rules *r = ps->rules;
	size_t i, n = strlen(f->path);

	for (i = 0; i < r->nfields; i++)
		if (strncmp(r->fields[i].path, f->path, n) == 0 &&
		    (r->fields[i].path[n] == '.' ||
		    r->fields[i].path[n] == '[') &&
		    r->fields[i].type != ENAS_MAPPING &&
		    r->fields[i].type != ENAS_ITEMS)
			break;
	return refuse(ps, at, _("%s holds fields, not a value: test one of "
	    "them (such as %s), or %s alone for its presence"), f->path,
	    i < r->nfields ? r->fields[i].path : "?", f->path);
}

/*
 * A regex on an enum field that matches none of its values can only
 * count nothing: refuse it.
 */
static int
check_regex(struct parser *ps, const struct enas_expr *e,
    const struct ftype *f, size_t at)
{
	char list[512];
	size_t i;
	int rc;

	if (!f->enums)
		return 0;
	for (i = 0; i < f->nenums; i++) {
		rc = enas_pattern_match(e->re, f->enums[i],
		    strlen(f->enums[i]));
		if (rc == 1)
			return 0;
		if (rc == ENAS_ENOMEM)
			return rc;
		if (rc < 0)
			return refuse(ps, at, "%s", enas_error_last());
	}
	if (*enum_list(list, sizeof(list), f))
		return refuse(ps, at, _("the regex matches no value of %s: "
		    "expected one of %s"), f->path, list);
	return refuse(ps, at, _("the regex matches no value of %s (see %s)"),
	    f->path, ps->rules->file);
}

/*
 * Read one value at ps->i into *v: a quoted text, or a bare word that
 * ends at a space or, when stop_comma, a comma.  Empty bare values are
 * allowed (the caller decides).  0 or ENAS_EUSAGE.
 */
static int
read_value(struct parser *ps, struct value *v, int stop_comma)
{
	const char *t = ps->text;
	const char *close;
	char q = t[ps->i];
	size_t n;

	if (q == '\'' || q == '"') {
		if (!(close = strchr(t + ps->i + 1, q)))
			return refuse(ps, ps->i, _("expected a closing %c, "
			    "found end of expression"), q);
		v->p = t + ps->i + 1;
		v->len = (size_t)(close - v->p);
		ps->i = (size_t)(close - t) + 1;
		return 0;
	}
	for (n = 0; t[ps->i + n] && !is_space(t[ps->i + n]) &&
	    !(stop_comma && t[ps->i + n] == ','); n++)
		;
	v->p = t + ps->i;
	v->len = n;
	ps->i += n;
	return 0;
}

/*
 * What the operator op of field f expects, for messages: "a value",
 * "an integer", "a date (YYYY-MM-DD)", "true or false", "a regex".
 */
static const char *
expected(enum op op, const struct ftype *f)
{
	if (op == OP_MATCH || op == OP_NMATCH)
		return _("a regex");
	switch (f ? f->type : ENAS_TEXT) {
	case ENAS_INT:
		return _("an integer");
	case ENAS_DATE:
		return _("a date (YYYY-MM-DD)");
	case ENAS_BOOL:
		return _("true or false");
	default:
		return _("a value");
	}
}

/*
 * Read the operator at ps->i into *op; 0, or 1 when there is none.
 */
static int
read_op(struct parser *ps, enum op *op)
{
	const char *s = ps->text + ps->i;

	if (s[0] == '=')
		*op = OP_EQ;
	else if (s[0] == '!' && s[1] == '=')
		*op = OP_NE;
	else if (s[0] == '!' && s[1] == '~')
		*op = OP_NMATCH;
	else if (s[0] == '~')
		*op = OP_MATCH;
	else if (s[0] == '<')
		*op = s[1] == '=' ? OP_LE : OP_LT;
	else if (s[0] == '>')
		*op = s[1] == '=' ? OP_GE : OP_GT;
	else
		return 1;
	ps->i += strlen(op_names[*op]);
	return 0;
}

/*
 * Parse the values after the operator into e, checking them against
 * f when it is not NULL.  0, ENAS_EUSAGE or ENAS_ENOMEM.
 */
static int
parse_values(struct parser *ps, struct enas_expr *e, const struct ftype *f)
{
	const char *opn = op_names[e->op];
	char fb[64], msg[256];
	size_t at, erroff;
	struct value *v;
	int rc, list = e->op == OP_EQ || e->op == OP_NE;
	int regex = e->op == OP_MATCH || e->op == OP_NMATCH;

	for (;;) {
		skip_space(ps);
		at = ps->i;
		if (!strchr("'\"", ps->text[at]) && ps->text[at] &&
		    (!regex && strchr("=<>!~", ps->text[at])))
			return refuse(ps, at, _("expected %s after '%s', "
			    "found %s"), expected(e->op, f), opn,
			    found(fb, sizeof(fb), ps->text, at));
		v = &e->vals[e->nvals];
		if ((rc = read_value(ps, v, !regex)) < 0)
			return rc;
		/* Point into our copy, which outlives the text. */
		v->p = e->src + (v->p - ps->text);
		e->nvals++;
		if (v->len == 0 && ps->i == at) {
			if (!list)
				return refuse(ps, at, _("expected %s after "
				    "'%s', found %s"), expected(e->op, f), opn,
				    found(fb, sizeof(fb), ps->text, at));
			e->has_empty = 1;
		} else if (regex) {
			rc = enas_pattern_compile(&e->re, v->p, v->len, 0,
			    &erroff, msg, sizeof(msg));
			if (rc == ENAS_ENOMEM)
				return rc;
			/* The column where PCRE2 stopped, quotes skipped. */
			if (rc < 0)
				return refuse(ps, (size_t)(v->p - e->src) +
				    (erroff <= v->len ? erroff : 0),
				    _("bad regex: %s"), msg);
			if (f && (rc = check_regex(ps, e, f, at)) < 0)
				return rc;
		} else if (v->len == 0) {
			/* '' or "": an empty value, as FIELD= has. */
			if (!list)
				return refuse(ps, at, _("expected %s after "
				    "'%s', found ''"), expected(e->op, f),
				    opn);
			e->has_empty = 1;
		} else if (f && (rc = check_value(ps, f, v->p, v->len,
		    at)) < 0)
			return rc;
		skip_space(ps);
		if (!list || ps->text[ps->i] != ',')
			break;
		ps->i++;
	}
	if (!f && !list && !regex)
		e->numeric = is_int(e->vals[0].p, e->vals[0].len);
	return 0;
}

int
enas_expr_compile_at(struct enas_expr **out, const char *text,
    const struct enas_rules *rules, int *col)
{
	struct parser ps = { text, 0, rules, col };
	struct enas_expr *e = NULL;
	struct ftype ft, *f = NULL;
	size_t nvals = 1, fstart, flen, at;
	const char *s;
	char fb[64];
	int neg = 0, rc;

	*out = NULL;
	if (col)
		*col = 0;
	/* A value list has at most one more value than commas. */
	for (s = text; (s = strchr(s, ',')); s++)
		nvals++;
	if (!(e = enas_calloc(1, sizeof(*e) + nvals * sizeof(e->vals[0]))))
		return ENAS_ENOMEM;
	if (!(e->src = enas_strdup(text))) {
		rc = ENAS_ENOMEM;
		goto fail;
	}
	skip_space(&ps);
	/* "!=x" and "!~x" lack a field; they are not "!FIELD". */
	if (text[ps.i] == '!' && text[ps.i + 1] != '=' &&
	    text[ps.i + 1] != '~') {
		neg = 1;
		ps.i++;
		skip_space(&ps);
	}
	fstart = ps.i;
	for (flen = 0; text[fstart + flen] && !is_space(text[fstart + flen]) &&
	    !strchr("=!~<>,'\"", text[fstart + flen]); flen++)
		;
	if (flen == 0) {
		rc = refuse(&ps, fstart, _("expected a field name, found %s"),
		    found(fb, sizeof(fb), text, fstart));
		goto fail;
	}
	if (!field_valid(text + fstart, flen)) {
		rc = refuse(&ps, fstart, _("expected a field name (lower-case "
		    "words joined by '.', as in referrals[].to), found '%.*s'"),
		    (int)(flen > FOUND_MAX ? char_cut(text + fstart,
		    FOUND_MAX) : flen), text + fstart);
		goto fail;
	}
	if (!(e->field = enas_strndup(text + fstart, flen))) {
		rc = ENAS_ENOMEM;
		goto fail;
	}
	ps.i += flen;
	if (rules) {
		if ((rc = find_field(&ps, &ft, e->field, fstart)) < 0)
			goto fail;
		f = &ft;
		e->cmp = f->type == ENAS_INT ? CMP_INT : f->type == ENAS_DATE ?
		    CMP_DATE : CMP_ANY;
	}
	skip_space(&ps);
	at = ps.i;
	if (text[at] == '\0') {
		e->op = neg ? OP_ABSENT : OP_PRESENT;
		*out = e;
		return 0;
	}
	if (neg) {
		rc = refuse(&ps, at, _("expected end of expression after "
		    "'!%s' (it takes no operator), found %s"), e->field,
		    found(fb, sizeof(fb), text, at));
		goto fail;
	}
	if (read_op(&ps, &e->op) != 0) {
		rc = refuse(&ps, at, text[at] == '!' ? _("expected != or !~, "
		    "found %s") : _("expected an operator (= != ~ !~ < <= > "
		    ">=) or end of expression, found %s"),
		    found(fb, sizeof(fb), text, at));
		goto fail;
	}
	if (f && (f->type == ENAS_MAPPING || f->type == ENAS_ITEMS)) {
		rc = refuse_group(&ps, f, at);
		goto fail;
	}
	if (f && e->op >= OP_LT && e->op <= OP_GE && f->type != ENAS_INT &&
	    f->type != ENAS_DATE) {
		rc = refuse(&ps, at, _("'%s' compares ints and dates, and %s "
		    "is %s: use = or ~"), op_names[e->op], f->path,
		    type_name(f->type));
		goto fail;
	}
	if ((rc = parse_values(&ps, e, f)) < 0)
		goto fail;
	if (text[ps.i] != '\0') {
		rc = refuse(&ps, ps.i, _("expected end of expression, found "
		    "%s"), found(fb, sizeof(fb), text, ps.i));
		goto fail;
	}
	*out = e;
	return 0;
fail:
	enas_expr_free(e);
	return rc;
}

int
enas_expr_compile(struct enas_expr **out, const char *text,
    const struct enas_rules *rules)
{
	return enas_expr_compile_at(out, text, rules, NULL);
}

/* Free e and everything it owns; e may be NULL. */
void
enas_expr_free(struct enas_expr *e)
{
	if (!e)
		return;
	enas_pattern_free(e->re);
	free(e->field);
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
			if (e->vals[i].len == len && len > 0 &&
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
		 * only integers need their own comparison.  A value not of
		 * the field's type never compares.
		 */
		if (e->cmp == CMP_INT) {
			if (!is_int(p, len))
				return 0;
			c = int_cmp(p, len, e->vals[0].p, e->vals[0].len);
		} else if (e->cmp == CMP_DATE) {
			if (enas_date_parse(p, len) < 0)
				return 0;
			c = bytes_cmp(p, len, e->vals[0].p, e->vals[0].len);
		} else if (e->numeric && is_int(p, len))
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
 * Call fn on what path reaches from map, as enas_node_each() does; the
 * empty path reaches map itself (an item of a list).
 */
static int
each(const struct enas_node *map, const char *path,
    int (*fn)(void *ctx, const struct enas_node *n), void *ctx)
{
	if (!map)
		return 0;
	return *path ? enas_node_each(map, path, fn, ctx) : fn(ctx, map);
}

/* Evaluate e on the values that path reaches from map (or NULL). */
static int
eval_path(const struct enas_expr *e, const struct enas_node *map,
    const char *path)
{
	int rc;

	switch (e->op) {
	case OP_PRESENT:
	case OP_ABSENT:
		rc = each(map, path, node_present, NULL);
		return e->op == OP_PRESENT ? rc : !rc;
	default:
		break;
	}
	rc = each(map, path, node_test, (void *)e);
	if (rc < 0)
		return rc;
	if (rc == 0 && e->has_empty)
		rc = !each(map, path, node_present, NULL);
	if (e->op == OP_NE || e->op == OP_NMATCH)
		return !rc;
	return rc;
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
	return eval_path(e, root, e->field);
}

/*
 * Evaluate e on one item of a sequence: the field path below the
 * sequence starts at byte skip of e's field, and item is the item
 * (NULL: an item without fields).  As enas_expr_eval().
 */
int
enas_expr_eval_item(const struct enas_expr *e, const struct enas_node *item,
    size_t skip)
{
	const char *path;

	if (skip > strlen(e->field))
		skip = strlen(e->field);
	path = e->field + skip;
	if (*path == '.')
		path++;
	return eval_path(e, item, path);
}
