/*
 * tests/unit/expr.c: where-expressions (lib/expr.c), over records read
 * by the real parser.  Prints TAP; exits 0 when every test passed.
 */
#include <sys/wait.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "enas.h"
#include "expr.h"
#include "pattern.h"
#include "record.h"
#include "rules.h"

#include "tap.h"

static void
diag_print(void *ctx, const struct enas_diag *d)
{
	char buf[1024];

	(void)ctx;
	enas_diag_format(buf, sizeof(buf), d);
	printf("# %s\n", buf);
}

/* Parse a record from a string, or exit: nothing else can be tested. */
static struct enas_record *
record(const char *name, const char *text)
{
	struct enas_record *r;

	if (enas_record_parse(&r, text, strlen(text), name, 0, diag_print,
	    NULL) < 0) {
		printf("Bail out! cannot parse %s: %s\n", name,
		    enas_error_last());
		exit(2);
	}
	return r;
}

/* Parse src, evaluate it against r, and expect want. */
static void
expect(const struct enas_record *r, const char *src, int want)
{
	struct enas_expr *e;
	int rc;

	if ((rc = enas_expr_compile(&e, src, NULL)) < 0) {
		ok(0, "%s: %s: parse failed: %s", r->file, src,
		    enas_error_last());
		return;
	}
	rc = enas_expr_eval(e, r->root);
	ok(rc == want, "%s: %s is %d (got %d)", r->file, src, want, rc);
	enas_expr_free(e);
}

/* Expect src to be refused with exactly msg. */
static void
refused(const char *src, const char *msg)
{
	struct enas_expr *e = (struct enas_expr *)1;
	int rc;

	rc = enas_expr_compile(&e, src, NULL);
	ok(rc == ENAS_EUSAGE && e == NULL &&
	    strcmp(enas_error_last(), msg) == 0, "'%.60s' is refused: "
	    "%.120s%s%s", src, msg, rc == ENAS_EUSAGE ? "" : " (it was not)",
	    rc == ENAS_EUSAGE && strcmp(enas_error_last(), msg) ?
	    " (got another message)" : "");
	if (rc == ENAS_EUSAGE && strcmp(enas_error_last(), msg))
		printf("#   got: %s\n", enas_error_last());
	if (rc == 0)
		enas_expr_free(e);
}

/* Expect src to parse, with the field path field. */
static void
field_is(const char *src, const char *field)
{
	struct enas_expr *e;

	if (enas_expr_compile(&e, src, NULL) < 0) {
		ok(0, "'%.60s' parses: %s", src, enas_error_last());
		return;
	}
	ok(strcmp(enas_expr_field(e), field) == 0, "'%.60s' tests field %s",
	    src, field);
	enas_expr_free(e);
}

static const char case_a[] =
    "id: NDR-2024-7K3QP\n"
    "registered: 2024-03-14\n"
    "site: nador\n"
    "sex: male\n"
    "age: 15\n"
    "concerns: [trafficked_smuggled, street_child]\n"
    "status: open\n"
    "consent:\n"
    "  given_by: child\n"
    "  reporting: true\n"
    "referrals:\n"
    "  - date: 2024-03-15\n"
    "    to: bayti\n"
    "    service: safehouse\n"
    "  - date: 2024-04-20\n"
    "    to: amane\n"
    "    service: legal\n";

static const char case_b[] =
    "id: CAS-2024-0AB12\n"
    "registered: 2024-07-01\n"
    "site: casablanca\n"
    "age: 10\n"
    "status: ''\n"
    "code: 2024-13-01\n"
    "big: 5\n";

static const char case_c[] =
    "id: MRK-2024-ZZZZ9\n"
    "site: marrakech\n"
    "x: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n"
    "concerns:\n"
    "  - street_child\n";

static void
test_equal(const struct enas_record *a, const struct enas_record *b)
{
	expect(a, "site=nador", 1);
	expect(a, "site=casablanca,nador", 1);
	expect(a, "site=oujda", 0);
	expect(a, "site=nado", 0);
	expect(a, "site=nadorx", 0);
	expect(b, "site=casablanca", 1);
	expect(a, "concerns=street_child", 1);
	expect(a, "concerns=forced_begging,trafficked_smuggled", 1);
	expect(a, "concerns=forced_begging", 0);
	expect(a, "concerns[]=street_child", 1);
	expect(a, "referrals[].to=bayti", 1);
	expect(a, "referrals[].to=amane", 1);
	expect(a, "referrals[].to=oujda", 0);
	expect(a, "consent.reporting=true", 1);
	expect(a, "consent.reporting=false", 0);
	expect(a, "consent=true", 0);
	expect(a, "referrals=bayti", 0);
	expect(a, "missing=x", 0);
	expect(b, "concerns=street_child", 0);
	/* Spaces around the parts are not part of the value. */
	expect(a, "site=nador ", 1);
	expect(a, "site= nador", 1);
	expect(a, " site = nador ", 1);
	expect(a, "site = oujda , nador", 1);
	expect(a, "site='nador'", 1);
	expect(a, "site=\"nad or\"", 0);
	expect(a, "site='oujda,nador'", 0);
	expect(a, "site=a=b", 0);

	expect(a, "site!=oujda", 1);
	expect(a, "site!=oujda,nador", 0);
	expect(a, "concerns!=street_child", 0);
	expect(a, "concerns!=forced_begging", 1);
	expect(a, "referrals[].to!=bayti", 0);
	expect(a, "referrals[].to!=oujda", 1);
	expect(a, "missing!=x", 1);
	expect(b, "concerns!=street_child", 1);
	expect(a, "consent!=true", 1);
}

/* An empty listed value stands for "absent or empty". */
static void
test_empty(const struct enas_record *a, const struct enas_record *b)
{
	expect(b, "status=", 1);
	expect(a, "status=", 0);
	expect(a, "missing=", 1);
	expect(a, "missing=x,", 1);
	expect(a, "site=oujda,", 0);
	expect(a, "site=,nador", 1);
	expect(b, "status!=", 0);
	expect(a, "status!=", 1);
	expect(a, "missing!=", 0);
	expect(a, "consent=", 0);
	expect(a, "concerns=", 0);
}

static void
test_match(const struct enas_record *a, const struct enas_record *b)
{
	expect(a, "site~^na", 1);
	expect(a, "site~dor$", 1);
	expect(a, "site~ado", 1);
	expect(a, "site~^ado", 0);
	expect(a, "site~NADOR", 0);
	expect(a, "site~(?i)NADOR", 1);
	expect(a, "concerns~^street", 1);
	expect(a, "concerns~begging", 0);
	expect(a, "referrals[].to~^am", 1);
	expect(a, "referrals[].service~^(legal|medical)$", 1);
	expect(a, "missing~.", 0);
	expect(a, "consent~.", 0);
	expect(b, "status~^$", 1);
	/* Values are taken to the end: commas belong to the pattern. */
	expect(a, "site~^(nador|x,y)$", 1);

	expect(a, "site!~^na", 0);
	expect(a, "site!~x", 1);
	expect(a, "concerns!~street", 0);
	expect(a, "concerns!~begging", 1);
	expect(a, "referrals[].to!~bayti", 0);
	expect(a, "missing!~x", 1);
}

static void
test_compare(const struct enas_record *a, const struct enas_record *b,
    const struct enas_record *c)
{
	/* Integers, numerically. */
	expect(a, "age>=15", 1);
	expect(a, "age>15", 0);
	expect(a, "age<=15", 1);
	expect(a, "age<15", 0);
	expect(a, "age<16", 1);
	expect(a, "age>14", 1);
	expect(a, "age<100", 1);	/* byte-wise "15" > "100" */
	expect(b, "age<9", 0);		/* byte-wise "10" < "9" */
	expect(b, "age>9", 1);
	expect(b, "age>=10", 1);
	expect(b, "age>-1", 1);
	expect(b, "age<-1", 0);
	expect(b, "age>0", 1);
	expect(b, "big<99999999999999999999999", 1);
	expect(b, "big>-99999999999999999999999", 1);
	/* Not canonical integers: byte-wise. */
	expect(b, "age>=010", 1);
	expect(b, "age<+11", 0);

	/* Dates. */
	expect(a, "registered<2024-06-01", 1);
	expect(b, "registered<2024-06-01", 0);
	expect(a, "registered>=2024-03-14", 1);
	expect(a, "registered>2024-03-14", 0);
	expect(a, "registered<=2024-03-14", 1);
	expect(b, "registered>2023-12-31", 1);
	expect(a, "referrals[].date>2024-04-01", 1);
	expect(a, "referrals[].date>2024-05-01", 0);
	expect(a, "referrals[].date<2024-03-16", 1);
	/* Not a date in the calendar: byte-wise, still in order here. */
	expect(b, "code>2024-12-31", 1);

	/* Strings, byte-wise. */
	expect(a, "site<o", 1);
	expect(a, "site>o", 0);
	expect(a, "site>=nador", 1);
	expect(a, "site<nador", 0);
	expect(a, "site<nadora", 1);
	expect(a, "age<abc", 1);
	expect(a, "concerns>t", 1);
	expect(a, "concerns>u", 0);
	expect(c, "concerns<t", 1);

	/* Nothing to compare: absent fields and mappings. */
	expect(a, "missing<z", 0);
	expect(a, "missing>0", 0);
	expect(a, "consent<z", 0);
}

static void
test_present(const struct enas_record *a, const struct enas_record *b)
{
	expect(a, "site", 1);
	expect(a, "missing", 0);
	expect(b, "status", 0);
	expect(a, "consent", 1);
	expect(a, "consent.reporting", 1);
	expect(a, "consent.missing", 0);
	expect(a, "concerns", 1);
	expect(b, "concerns", 0);
	expect(a, "concerns[]", 1);
	expect(a, "referrals", 1);
	expect(a, "referrals[].to", 1);
	expect(a, "referrals[].missing", 0);

	expect(a, "!site", 0);
	expect(a, "!missing", 1);
	expect(b, "!status", 1);
	expect(a, "!consent", 0);
	expect(a, "!concerns", 0);
	expect(b, "!concerns", 1);
	expect(a, "!referrals[].to", 0);
	expect(a, "!referrals[].missing", 1);
}

static void
test_limit(const struct enas_record *c)
{
	struct enas_expr *e;
	struct timespec t0, t1;
	double secs;
	int rc;

	if (enas_expr_compile(&e, "x~(a+)+$", NULL) < 0) {
		ok(0, "x~(a+)+$ parses: %s", enas_error_last());
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = enas_expr_eval(e, c->root);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(rc == ENAS_EDATA, "x~(a+)+$ on 30 a and ! hits the limit "
	    "(rc %d: %s)", rc, enas_error_last());
	ok(strstr(enas_error_last(), "limit") != NULL,
	    "the limit hit has a message: %s", enas_error_last());
	/* A generous bound, for valgrind: the point is that it stops. */
	ok(secs < 5.0, "the limit hit is quick (%.3f s)", secs);
	enas_expr_free(e);

	if (enas_expr_compile(&e, "x!~(a+)+$", NULL) < 0) {
		ok(0, "x!~(a+)+$ parses: %s", enas_error_last());
		return;
	}
	rc = enas_expr_eval(e, c->root);
	ok(rc == ENAS_EDATA, "x!~(a+)+$ hits the limit too, never a "
	    "silent true (rc %d)", rc);
	enas_expr_free(e);
}

static void
test_fields(void)
{
	field_is("site=nador", "site");
	field_is("consent.reporting=true", "consent.reporting");
	field_is("referrals[].to=bayti", "referrals[].to");
	field_is("concerns[]~x", "concerns[]");
	field_is("a_1.b2_[].c", "a_1.b2_[].c");
	field_is("age<=5", "age");
	field_is("age>=5", "age");
	field_is("site!=x", "site");
	field_is("site!~x", "site");
	field_is("!closure.date", "closure.date");
	field_is("status", "status");
	field_is("site=a=b", "site");
}

static void
test_errors(void)
{
	refused("", "'': column 1: expected a field name, found end of "
	    "expression");
	refused("   ", "'   ': column 4: expected a field name, found end of "
	    "expression");
	refused("Site=x", "'Site=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'Site'");
	refused("1site", "'1site': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'1site'");
	refused("_site", "'_site': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'_site'");
	refused("a..b=x", "'a..b=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'a..b'");
	refused(".a=x", "'.a=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'.a'");
	refused("a.=x", "'a.=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'a.'");
	refused("a[=x", "'a[=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'a['");
	refused("a[][]=x", "'a[][]=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'a[][]'");
	refused("a[]b=x", "'a[]b=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'a[]b'");
	refused("[]=x", "'[]=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'[]'");
	refused("sité=x", "'sité=x': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'sité'");
	refused("=x", "'=x': column 1: expected a field name, found '=x'");
	refused("<5", "'<5': column 1: expected a field name, found '<5'");
	refused("!", "'!': column 2: expected a field name, found end of "
	    "expression");
	refused("!=x", "'!=x': column 1: expected a field name, found "
	    "'!=x'");
	refused("!~x", "'!~x': column 1: expected a field name, found "
	    "'!~x'");
	refused("!site=x", "'!site=x': column 6: expected end of expression "
	    "after '!site' (it takes no operator), found '=x'");
	refused("!!site", "'!!site': column 2: expected a field name, found "
	    "'!site'");
	refused("site!", "'site!': column 5: expected != or !~, found '!'");
	refused("site!x", "'site!x': column 5: expected != or !~, found "
	    "'!x'");
	refused("age 15", "'age 15': column 5: expected an operator (= != ~ "
	    "!~ < <= > >=) or end of expression, found '15'");
	refused("status==open", "'status==open': column 8: expected a value "
	    "after '=', found '=open'");
	refused("status!==open", "'status!==open': column 9: expected a "
	    "value after '!=', found '=open'");
	refused("age=<5", "'age=<5': column 5: expected a value after '=', "
	    "found '<5'");
	refused("age=>5", "'age=>5': column 5: expected a value after '=', "
	    "found '>5'");
	refused("site=!x", "'site=!x': column 6: expected a value after '=', "
	    "found '!x'");
	refused("site=~x", "'site=~x': column 6: expected a value after '=', "
	    "found '~x'");
	refused("age<==5", "'age<==5': column 6: expected a value after "
	    "'<=', found '=5'");
	refused("age<<5", "'age<<5': column 5: expected a value after '<', "
	    "found '<5'");
	refused("age >< 5", "'age >< 5': column 6: expected a value after "
	    "'>', found '<'");
	refused("age<", "'age<': column 5: expected a value after '<', "
	    "found end of expression");
	refused("age<= ", "'age<= ': column 7: expected a value after '<=', "
	    "found end of expression");
	refused("age>''", "'age>''': column 5: expected a value after '>', "
	    "found ''");
	refused("age<5,6", "'age<5,6': column 6: expected end of "
	    "expression, found ',6'");
	refused("age>=15 and sex=male", "'age>=15 and sex=male': column 9: "
	    "expected end of expression, found 'and'");
	refused("site=nador oujda", "'site=nador oujda': column 12: "
	    "expected end of expression, found 'oujda'");
	refused("site=\"nador", "'site=\"nador': column 6: expected a "
	    "closing \", found end of expression");
	refused("site='a'b", "'site='a'b': column 9: expected end of "
	    "expression, found 'b'");
	refused("x~", "'x~': column 3: expected a regex after '~', found end "
	    "of expression");
	refused("x!~ ", "'x!~ ': column 5: expected a regex after '!~', "
	    "found end of expression");
	refused("x~(", "'x~(': column 4: bad regex: missing closing "
	    "parenthesis");
	refused("x!~ab)", "'x!~ab)': column 6: bad regex: unmatched closing "
	    "parenthesis");
	refused("x~'a{2,1}'", "'x~'a{2,1}'': column 9: bad regex: numbers "
	    "out of order in {} quantifier");
	refused("x~(*LIMIT_MATCH=1)a", "'x~(*LIMIT_MATCH=1)a': column 3: "
	    "bad regex: pattern options (*LIMIT_…) and (*NO_…) are not "
	    "allowed");
	refused("x~\xff", "'x~\xff': column 3: bad regex: UTF-8 error: "
	    "illegal byte (0xfe or 0xff)");
	refused("x~a b", "'x~a b': column 5: expected end of expression, "
	    "found 'b'");
	refused("é~a b", "'é~a b': column 1: expected a field name "
	    "(lower-case words joined by '.', as in referrals[].to), found "
	    "'é'");
	refused("site=x y z long long long long long long long long long "
	    "long long long long", "'site=x y z long long long long long "
	    "long long long long long ...': column 8: expected end of "
	    "expression, found 'y'");
}

/*
 * Checked against rules: the rules of a small kind, and the message of
 * every refusal, exactly.
 */
static const char rules_text[] =
    "kind: case\n"
    "dir: cases\n"
    "path: '{id}.yaml'\n"
    "id: '[A-Z]{3}-[0-9]{4}-[0-9A-Z]{5}'\n"
    "fields:\n"
    "  registered: {required: true, type: date}\n"
    "  site: {enum: [casablanca, marrakech, nador, oujda]}\n"
    "  sex: {enum: [male, female, unknown]}\n"
    "  age: {type: int}\n"
    "  big: {type: int}\n"
    "  code: {type: date}\n"
    "  status: {enum: [open, closed]}\n"
    "  concerns: {type: list, enum: [trafficked_smuggled, street_child,\n"
    "             forced_begging]}\n"
    "  consent.given_by: {enum: [child, guardian]}\n"
    "  consent.reporting: {type: bool}\n"
    "  referrals[].to: {}\n"
    "  referrals[].service: {enum: [safehouse, legal, health]}\n"
    "  referrals[].date: {type: date}\n"
    "  x: {}\n"
    "  nationality: {match: '[A-Z]{2}'}\n"
    "  closure.date: {type: date, required_if: 'status = closed'}\n";

static struct enas_rules *
load_rules(const char *text, const char *file, enas_diag_fn fn, void *ctx)
{
	struct enas_rules *r = NULL;

	if (enas_rules_load(&r, text, strlen(text), file, fn, ctx) < 0)
		return NULL;
	return r;
}

/* Expect src to be refused against r with exactly msg at column col. */
static void
refused_by(const struct enas_rules *r, const char *src, int col,
    const char *msg)
{
	struct enas_expr *e = (struct enas_expr *)1;
	int rc, got = -1;

	rc = enas_expr_compile_at(&e, src, r, &got);
	ok(rc == ENAS_EUSAGE && e == NULL && got == col &&
	    strcmp(enas_error_last(), msg) == 0, "'%.60s' is refused by the "
	    "rules at column %d: %.100s", src, col, msg);
	if (rc == ENAS_EUSAGE && (strcmp(enas_error_last(), msg) ||
	    got != col))
		printf("#   got column %d: %s\n", got, enas_error_last());
	if (rc == 0)
		enas_expr_free(e);
}

/* Compile src against r, evaluate it on rec, and expect want. */
static void
typed(const struct enas_rules *r, const struct enas_record *rec,
    const char *src, int want)
{
	struct enas_expr *e;
	int rc;

	if ((rc = enas_expr_compile(&e, src, r)) < 0) {
		ok(0, "%s: %s: refused: %s", rec->file, src,
		    enas_error_last());
		return;
	}
	rc = enas_expr_eval(e, rec->root);
	ok(rc == want, "%s: %s against the rules is %d (got %d)", rec->file,
	    src, want, rc);
	enas_expr_free(e);
}

static void
test_typed(const struct enas_record *a, const struct enas_record *b,
    const struct enas_record *c)
{
	struct enas_rules *r;

	if (!(r = load_rules(rules_text, "records/rules/case.yaml",
	    diag_print, NULL))) {
		ok(0, "the test rules load: %s", enas_error_last());
		return;
	}
	/* The malformed expressions of issue 11, and their kin. */
	refused_by(r, "age<twelve", 5, "'age<twelve': column 5: expected an "
	    "integer, found 'twelve'");
	refused_by(r, "registered>=01/07/2024", 13, "'registered>=01/07/2024'"
	    ": column 13: expected a date (YYYY-MM-DD), found '01/07/2024'");
	refused_by(r, "registered>=2024-02-30", 13, "'registered>=2024-02-30'"
	    ": column 13: '2024-02-30' is not a day of the calendar");
	refused_by(r, "registered < 2023-02-29", 14, "'registered < "
	    "2023-02-29': column 14: '2023-02-29' is not a day of the "
	    "calendar");
	refused_by(r, "age>=15 and sex=male", 9, "'age>=15 and sex=male': "
	    "column 9: expected end of expression, found 'and'");
	refused_by(r, "site=Nador", 6, "'site=Nador': column 6: 'Nador' is "
	    "not a value of site (did you mean nador?)");
	refused_by(r, "site=nador, Oujda", 13, "'site=nador, Oujda': column "
	    "13: 'Oujda' is not a value of site (did you mean oujda?)");
	refused_by(r, "site!=nadr", 7, "'site!=nadr': column 7: 'nadr' is "
	    "not a value of site (did you mean nador?)");
	refused_by(r, "site=rabat", 6, "'site=rabat': column 6: 'rabat' is "
	    "not a value of site: expected one of casablanca, marrakech, "
	    "nador, oujda");
	refused_by(r, "age<<3", 5, "'age<<3': column 5: expected an integer "
	    "after '<', found '<3'");
	refused_by(r, "stauts=closed", 1, "'stauts=closed': column 1: "
	    "'stauts' is not a field of case (did you mean status?)");
	refused_by(r, "name=x", 1, "'name=x': column 1: 'name' is not a "
	    "field of case (see records/rules/case.yaml)");
	refused_by(r, "concerns[]=street_child", 1, "'concerns[]=street_"
	    "child': column 1: 'concerns[]' is not a field of case (did you "
	    "mean concerns?)");
	refused_by(r, "concerns=street_childe", 10, "'concerns=street_"
	    "childe': column 10: 'street_childe' is not a value of concerns "
	    "(did you mean street_child?)");
	refused_by(r, "referrals[].service=medical", 21, "'referrals[]."
	    "service=medical': column 21: 'medical' is not a value of "
	    "referrals[].service: expected one of safehouse, legal, health");
	refused_by(r, "consent.reporting=yes", 19, "'consent.reporting=yes': "
	    "column 19: expected true or false, found 'yes'");
	refused_by(r, "consent.reporting<true", 18, "'consent.reporting<"
	    "true': column 18: '<' compares ints and dates, and "
	    "consent.reporting is a bool: use = or ~");
	refused_by(r, "site>=n", 5, "'site>=n': column 5: '>=' compares ints "
	    "and dates, and site is text: use = or ~");
	refused_by(r, "concerns>a", 9, "'concerns>a': column 9: '>' compares "
	    "ints and dates, and concerns is a list: use = or ~");
	refused_by(r, "consent=x", 8, "'consent=x': column 8: consent holds "
	    "fields, not a value: test one of them (such as "
	    "consent.given_by), or consent alone for its presence");
	refused_by(r, "referrals~a", 10, "'referrals~a': column 10: referrals "
	    "holds fields, not a value: test one of them (such as "
	    "referrals[].to), or referrals alone for its presence");
	refused_by(r, "site~Nador", 6, "'site~Nador': column 6: the regex "
	    "matches no value of site: expected one of casablanca, "
	    "marrakech, nador, oujda");
	refused_by(r, "age=15,x", 8, "'age=15,x': column 8: expected an "
	    "integer, found 'x'");
	refused_by(r, "age>=010", 6, "'age>=010': column 6: expected an "
	    "integer, found '010'");
	refused_by(r, "age<+11", 5, "'age<+11': column 5: expected an "
	    "integer, found '+11'");
	refused_by(r, "age>", 5, "'age>': column 5: expected an integer "
	    "after '>', found end of expression");
	refused_by(r, "registered>=", 13, "'registered>=': column 13: "
	    "expected a date (YYYY-MM-DD) after '>=', found end of "
	    "expression");
	refused_by(r, "nationality=gn", 13, "'nationality=gn': column 13: "
	    "'gn' does not match the pattern of nationality, [A-Z]{2} (did "
	    "you mean GN?)");
	refused_by(r, "nationality = GN,G1", 18, "'nationality = GN,G1': "
	    "column 18: 'G1' does not match the pattern of nationality, "
	    "[A-Z]{2}");
	refused_by(r, "id<X", 3, "'id<X': column 3: '<' compares ints and "
	    "dates, and id is text: use = or ~");

	/* Spaces, and what the checker accepts. */
	typed(r, a, "age>= 15", 1);
	typed(r, a, "age >=15 ", 1);
	typed(r, a, " age>=16", 0);
	typed(r, a, "age<100", 1);	/* numerically, as ints */
	typed(r, b, "age<9", 0);
	typed(r, b, "big<999999999999999", 1);
	typed(r, a, "site = nador", 1);
	typed(r, a, "site=casablanca, nador", 1);
	typed(r, a, "site~^na", 1);
	typed(r, a, "site!~^na", 0);
	typed(r, a, "concerns=street_child", 1);
	typed(r, a, "concerns!=forced_begging", 1);
	typed(r, a, "consent.reporting=true", 1);
	typed(r, a, "consent", 1);
	typed(r, a, "!referrals", 0);
	typed(r, a, "referrals[].service=legal", 1);
	typed(r, a, "referrals[].date>=2024-04-01", 1);
	typed(r, a, "registered<2024-06-01", 1);
	typed(r, a, "id=NDR-2024-7K3QP", 1);
	typed(r, a, "id~^NDR", 1);
	typed(r, a, "age~^1", 1);
	typed(r, a, "closure.date", 0);
	typed(r, a, "site=", 0);
	typed(r, a, "nationality=GN,XX", 0);
	typed(r, a, "nationality~^g", 0);
	/* A record value not of the field's type never compares. */
	typed(r, c, "age>0", 0);
	typed(r, c, "age<0", 0);
	typed(r, b, "code>2024-12-31", 0);
	typed(r, b, "code<2024-12-31", 0);
	enas_rules_free(r);
}

/* A diagnostic kept as text, for exact comparison. */
static void
diag_keep(void *ctx, const struct enas_diag *d)
{
	char *buf = ctx;
	size_t n = strlen(buf);

	enas_diag_format(buf + n, 2048 - n, d);
	n = strlen(buf);
	if (n + 1 < 2048) {
		buf[n] = '\n';
		buf[n + 1] = '\0';
	}
}

/*
 * A condition that names an undeclared field, or holds a value that
 * cannot be, is an error of the rules file, at its line and column.
 */
static void
test_conditions(void)
{
	char text[2048], got[2048];
	struct enas_rules *r;
	const char *want;

	snprintf(text, sizeof(text), "%s  closure.reason: {required_if: "
	    "'stauts=closed'}\n  other: {forbidden_if: \"site = Nador\"}\n"
	    "  more: {forbidden_if: age>=15 and site=nador}\n", rules_text);
	got[0] = '\0';
	r = load_rules(text, "records/rules/case.yaml", diag_keep, got);
	want = "records/rules/case.yaml:23:34: error: closure.reason: "
	    "required_if: 'stauts=closed': column 1: 'stauts' is not a field "
	    "of case (did you mean status?)\n"
	    "records/rules/case.yaml:24:33: error: other: forbidden_if: "
	    "'site = Nador': column 8: 'Nador' is not a value of site (did "
	    "you mean nador?)\n"
	    "records/rules/case.yaml:25:32: error: more: forbidden_if: "
	    "'age>=15 and site=nador': column 9: expected end of expression, "
	    "found 'and'\n";
	ok(r == NULL && strcmp(got, want) == 0, "conditions are checked "
	    "against the rules: rules errors at their line and column");
	if (strcmp(got, want))
		printf("# got:\n%s", got);
	enas_rules_free(r);
}

/*
 * The error API wraps a message from below without reading its own
 * buffer while it writes it (issue 11: "-w age<<3: -w age<<3: rator").
 */
static void
test_error_api(void)
{
	char big[2000];

	enas_error_set(ENAS_EDATA, "inner %d", 1);
	ok(enas_error_set(ENAS_EUSAGE, "-w x: %s", enas_error_last()) ==
	    ENAS_EUSAGE && strcmp(enas_error_last(), "-w x: inner 1") == 0,
	    "enas_error_set may take enas_error_last(): %s",
	    enas_error_last());
	ok(enas_error_prefix(ENAS_EUSAGE, "%s: ", "file") == ENAS_EUSAGE &&
	    strcmp(enas_error_last(), "file: -w x: inner 1") == 0,
	    "enas_error_prefix puts text in front: %s", enas_error_last());
	ok(enas_error_prefix(ENAS_EIO, "%s", enas_error_last()) == ENAS_EIO &&
	    strcmp(enas_error_last(), "file: -w x: inner 1file: -w x: "
	    "inner 1") == 0, "enas_error_prefix may take "
	    "enas_error_last() too");
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	enas_error_prefix(ENAS_EIO, "%s", big);
	ok(strlen(enas_error_last()) == 1023 &&
	    enas_error_last()[1022] == 'b', "a prefix too long is cut, "
	    "never overflows");
}

/* Item filters: an expression evaluated on one item of a sequence. */
static void
test_items(const struct enas_record *a)
{
	static const struct {
		const char *src;
		size_t skip;
		int want[2];	/* for the first and second referral */
	} t[] = {
		{ "referrals[].service=legal", 12, { 0, 1 } },
		{ "referrals[].service = safehouse,legal", 12, { 1, 1 } },
		{ "referrals[].to!=bayti", 12, { 0, 1 } },
		{ "referrals[].to~^b", 11, { 1, 0 } },
		{ "referrals[].date>=2024-04-01", 12, { 0, 1 } },
		{ "referrals[].missing", 12, { 0, 0 } },
		{ "!referrals[].missing", 12, { 1, 1 } },
	};
	const struct enas_node *refs, *item;
	struct enas_expr *e;
	size_t i, k;

	refs = enas_node_path(a->root, "referrals");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (enas_expr_compile(&e, t[i].src, NULL) < 0) {
			ok(0, "%s compiles: %s", t[i].src, enas_error_last());
			continue;
		}
		for (k = 0, item = refs ? refs->child : NULL; item && k < 2;
		    item = item->next, k++)
			ok(enas_expr_eval_item(e, item, t[i].skip) ==
			    t[i].want[k], "item %zu: %s is %d", k + 1,
			    t[i].src, t[i].want[k]);
		enas_expr_free(e);
	}
	refs = enas_node_path(a->root, "concerns");
	if (enas_expr_compile(&e, "concerns=street_child", NULL) == 0) {
		ok(refs && refs->child && enas_expr_eval_item(e, refs->child,
		    8) == 0 && enas_expr_eval_item(e, refs->child->next, 8) ==
		    1, "a list's items: the empty path is the item itself");
		enas_expr_free(e);
	}
}

/* A NULL root has no fields at all. */
static void
test_no_root(void)
{
	static const struct {
		const char *src;
		int want;
	} t[] = {
		{ "site=x", 0 }, { "site=", 1 }, { "site!=x", 1 },
		{ "site~x", 0 }, { "site!~x", 1 }, { "age<5", 0 },
		{ "site", 0 }, { "!site", 1 }
	};
	struct enas_expr *e;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (enas_expr_compile(&e, t[i].src, NULL) < 0) {
			ok(0, "%s parses: %s", t[i].src, enas_error_last());
			continue;
		}
		ok(enas_expr_eval(e, NULL) == t[i].want,
		    "no record: %s is %d", t[i].src, t[i].want);
		enas_expr_free(e);
	}
}

/*
 * Make the n-th allocation of a parse fail, in a child process: the
 * library reads ENAS_FAIL_ALLOC once, at its first allocation.  The
 * child exits 1 when the parse returned ENAS_ENOMEM and no expression,
 * 0 when it parsed, 2 otherwise; sanitizers and valgrind check it for
 * leaks as it exits.
 */
static int
nomem_child(int n)
{
	struct enas_expr *e;
	char num[16];
	pid_t pid;
	int st, rc;

	fflush(stdout);
	if ((pid = fork()) < 0)
		return 3;
	if (pid == 0) {
		snprintf(num, sizeof(num), "%d", n);
		setenv("ENAS_FAIL_ALLOC", num, 1);
		rc = enas_expr_compile(&e, "site~^a,b", NULL);
		enas_expr_free(e);
		exit(rc == 0 && e ? 0 : rc == ENAS_ENOMEM && !e ? 1 : 2);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 3;
	return WEXITSTATUS(st);
}

/*
 * Every allocation of a parse, the expression's and PCRE2's, failing
 * in turn gives ENAS_ENOMEM, until there are none left to fail.
 */
static void
test_nomem(void)
{
	int n, st = 1;

	for (n = 1; n < 100 && (st = nomem_child(n)) == 1; n++)
		;
	ok(st == 0 && n > 3, "allocations 1 to %d failing: ENAS_ENOMEM; "
	    "then the parse succeeds", n - 1);
}

/* A pattern over the length limit is refused, the text shortened. */
static void
test_long_regex(void)
{
	char src[ENAS_PATTERN_MAX + 8], want[256];

	memcpy(src, "x~", 2);
	memset(src + 2, 'a', ENAS_PATTERN_MAX + 1);
	src[ENAS_PATTERN_MAX + 3] = '\0';
	snprintf(want, sizeof(want), "'x~%.59s...': column 3: bad regex: "
	    "pattern is %d bytes, longer than the %d-byte limit", src + 2,
	    ENAS_PATTERN_MAX + 1, ENAS_PATTERN_MAX);
	refused(src, want);
	src[ENAS_PATTERN_MAX + 2] = '\0';
	field_is(src, "x");
}

int
main(void)
{
	struct enas_record *a, *b, *c;

	/* Before anything allocates, so the children read the variable. */
	test_nomem();

	a = record("case_a", case_a);
	b = record("case_b", case_b);
	c = record("case_c", case_c);
	test_equal(a, b);
	test_empty(a, b);
	test_match(a, b);
	test_compare(a, b, c);
	test_present(a, b);
	test_limit(c);
	test_fields();
	test_errors();
	test_long_regex();
	test_no_root();
	test_typed(a, b, c);
	test_items(a);
	test_conditions();
	test_error_api();
	enas_record_free(a);
	enas_record_free(b);
	enas_record_free(c);
	return tap_done();
}
