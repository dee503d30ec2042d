/*
 * expr.c: a where-expression, compiled without rules and against the
 * case rules, then evaluated against a record.  The input is the
 * expression up to the first newline, and the record after it (the
 * example case when that is not a record).
 */
#include "fuzz.h"
#include "expr.h"
#include "record.h"

static const char example[] =
    "id: NDR-2024-7K3QP\nregistered: 2024-03-14\nsite: nador\n"
    "age: 15\nconcerns: [trafficked_smuggled, street_child]\n"
    "consent:\n  reporting: true\nreferrals:\n  - date: 2024-03-15\n"
    "    to: bayti\n  - to: ''\nstatus: open\n";

static struct enas_rules *cases;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cases = fuzz_rules("case");
	return 0;
}

/*
 * Compile text against r (or none), and check what a compile promises:
 * a refusal returns no expression and says where; an expression has a
 * field, and evaluates to 0, 1 or an error.
 */
static void
one(const char *text, const struct enas_rules *r,
    const struct enas_record *rec)
{
	struct enas_expr *e = NULL;
	int rc, col = -1;

	rc = enas_expr_compile_at(&e, text, r, &col);
	if (rc < 0) {
		if (e)
			fuzz_fail("a refused expression was returned");
		if (rc == ENAS_EUSAGE && (col < 1 ||
		    !strstr(enas_error_last(), ": column ")))
			fuzz_fail("a refused expression without a column");
		if (rc != ENAS_EUSAGE && rc != ENAS_ENOMEM)
			fuzz_fail("a refusal that is not ENAS_EUSAGE");
		return;
	}
	if (!enas_expr_field(e) || !*enas_expr_field(e))
		fuzz_fail("an expression without a field");
	if (r && strcmp(enas_expr_field(e), "id") != 0 &&
	    !enas_rules_field(r, enas_expr_field(e)))
		fuzz_fail("an expression on an undeclared field was accepted");
	rc = enas_expr_eval(e, rec ? rec->root : NULL);
	if (rc != 0 && rc != 1 && rc != ENAS_EDATA && rc != ENAS_ENOMEM)
		fuzz_fail("an evaluation that is not 0, 1 or an error");
	rc = enas_expr_eval(e, NULL);
	if (rc != 0 && rc != 1)
		fuzz_fail("an evaluation without a record that fails");
	enas_expr_free(e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enas_record *rec = NULL;
	const char *nl;
	char *text;
	size_t len;

	if (!cases)
		LLVMFuzzerInitialize(NULL, NULL);
	nl = memchr(data, '\n', size);
	len = nl ? (size_t)(nl - (const char *)data) : size;
	if (memchr(data, '\0', len))
		return 0;	/* a C string cannot hold it: not an input */
	if (!(text = malloc(len + 1)))
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	if (!nl || enas_record_parse(&rec, nl + 1, size - len - 1, "r.yaml",
	    0, NULL, NULL) < 0)
		(void)enas_record_parse(&rec, example, sizeof(example) - 1,
		    "r.yaml", 0, NULL, NULL);
	one(text, NULL, rec);
	one(text, cases, rec);
	enas_record_free(rec);
	free(text);
	return 0;
}
