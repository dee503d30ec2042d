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

	if ((rc = enas_expr_parse(&e, src)) < 0) {
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

	rc = enas_expr_parse(&e, src);
	ok(rc == ENAS_EDATA && e == NULL &&
	    strcmp(enas_error_last(), msg) == 0, "'%.60s' is refused: "
	    "%.120s%s%s", src, msg, rc == ENAS_EDATA ? "" : " (it was not)",
	    rc == ENAS_EDATA && strcmp(enas_error_last(), msg) ?
	    " (got another message)" : "");
	if (rc == ENAS_EDATA && strcmp(enas_error_last(), msg))
		printf("#   got: %s\n", enas_error_last());
	if (rc == 0)
		enas_expr_free(e);
}

/* Expect src to parse, with the field path field. */
static void
field_is(const char *src, const char *field)
{
	struct enas_expr *e;

	if (enas_expr_parse(&e, src) < 0) {
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
	/* Values are literal: a space is part of the value. */
	expect(a, "site=nador ", 0);
	expect(a, "site= nador", 0);

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

	if (enas_expr_parse(&e, "x~(a+)+$") < 0) {
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

	if (enas_expr_parse(&e, "x!~(a+)+$") < 0) {
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
	refused("", "empty expression");
	refused("Site=x", "bad field name 'Site' in 'Site=x': fields are "
	    "lower-case words joined by '.'");
	refused("site =x", "bad field name 'site ' in 'site =x': fields "
	    "are lower-case words joined by '.'");
	refused(" site=x", "bad field name ' site' in ' site=x': fields "
	    "are lower-case words joined by '.'");
	refused("1site", "bad field name '1site' in '1site': fields are "
	    "lower-case words joined by '.'");
	refused("_site", "bad field name '_site' in '_site': fields are "
	    "lower-case words joined by '.'");
	refused("a..b=x", "bad field name 'a..b' in 'a..b=x': fields are "
	    "lower-case words joined by '.'");
	refused(".a=x", "bad field name '.a' in '.a=x': fields are "
	    "lower-case words joined by '.'");
	refused("a.=x", "bad field name 'a.' in 'a.=x': fields are "
	    "lower-case words joined by '.'");
	refused("a[=x", "bad field name 'a[' in 'a[=x': fields are "
	    "lower-case words joined by '.'");
	refused("a[][]=x", "bad field name 'a[][]' in 'a[][]=x': fields "
	    "are lower-case words joined by '.'");
	refused("a[]b=x", "bad field name 'a[]b' in 'a[]b=x': fields are "
	    "lower-case words joined by '.'");
	refused("[]=x", "bad field name '[]' in '[]=x': fields are "
	    "lower-case words joined by '.'");
	refused("sité=x", "bad field name 'sité' in 'sité=x': fields are "
	    "lower-case words joined by '.'");
	refused("=x", "missing field name in '=x'");
	refused("<5", "missing field name in '<5'");
	refused("!", "missing field name after '!' in '!'");
	refused("!=x", "missing field name in '!=x'");
	refused("!~x", "missing field name in '!~x'");
	refused("!site=x", "'!FIELD' takes no operator or value in "
	    "'!site=x'");
	refused("!!site", "'!FIELD' takes no operator or value in "
	    "'!!site'");
	refused("site!", "unknown operator '!' in 'site!': use != or !~");
	refused("site!x", "unknown operator '!' in 'site!x': use != or !~");
	refused("status==open", "unknown operator '==' in 'status==open'");
	refused("status!==open", "unknown operator '!==' in "
	    "'status!==open'");
	refused("age=<5", "unknown operator '=<' in 'age=<5'");
	refused("age=>5", "unknown operator '=>' in 'age=>5'");
	refused("site=!x", "unknown operator '=!' in 'site=!x'");
	refused("site=~x", "unknown operator '=~' in 'site=~x'");
	refused("age<==5", "unknown operator '<==' in 'age<==5'");
	refused("age<<5", "unknown operator '<<' in 'age<<5'");
	refused("age><5", "unknown operator '><' in 'age><5'");
	refused("age>=>5", "unknown operator '>=>' in 'age>=>5'");
	refused("age<", "missing value after '<' in 'age<'");
	refused("age<=", "missing value after '<=' in 'age<='");
	refused("age>", "missing value after '>' in 'age>'");
	refused("age>=", "missing value after '>=' in 'age>='");
	refused("consent>", "missing value after '>' in 'consent>'");
	refused("age<5,6", "'<' takes one value, not a list, in 'age<5,6'");
	refused("age>=,", "'>=' takes one value, not a list, in 'age>=,'");
	refused("x~", "missing regex after '~' in 'x~'");
	refused("x!~", "missing regex after '!~' in 'x!~'");
	refused("x~(", "bad regex in 'x~(': missing closing parenthesis "
	    "at offset 1");
	refused("x!~ab)", "bad regex in 'x!~ab)': unmatched closing "
	    "parenthesis at offset 2");
	refused("x~a{2,1}", "bad regex in 'x~a{2,1}': numbers out of order "
	    "in {} quantifier at offset 5");
	refused("x~(*LIMIT_MATCH=1)a", "bad regex in "
	    "'x~(*LIMIT_MATCH=1)a': pattern options (*LIMIT_…) and (*NO_…) "
	    "are not allowed at offset 0");
	refused("x~\xff", "bad regex in 'x~\xff': UTF-8 error: illegal "
	    "byte (0xfe or 0xff) at offset 0");
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
		if (enas_expr_parse(&e, t[i].src) < 0) {
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
		rc = enas_expr_parse(&e, "site~^a,b");
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

/* A pattern over the length limit is refused without being quoted. */
static void
test_long_regex(void)
{
	char src[ENAS_PATTERN_MAX + 8], want[256];

	memcpy(src, "x~", 2);
	memset(src + 2, 'a', ENAS_PATTERN_MAX + 1);
	src[ENAS_PATTERN_MAX + 3] = '\0';
	snprintf(want, sizeof(want), "bad regex for 'x': pattern is %d "
	    "bytes, longer than the %d-byte limit", ENAS_PATTERN_MAX + 1,
	    ENAS_PATTERN_MAX);
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
	enas_record_free(a);
	enas_record_free(b);
	enas_record_free(c);
	return tap_done();
}
