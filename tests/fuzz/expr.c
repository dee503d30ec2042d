/*
 * expr.c: a where-expression, parsed, then evaluated against a record.
 * The input is the expression up to the first newline, and the record
 * after it (the example case when that is not a record).
 */
#include "fuzz.h"
#include "expr.h"
#include "record.h"

static const char example[] =
    "id: NDR-2024-7K3QP\nregistered: 2024-03-14\nsite: nador\n"
    "age: 15\nconcerns: [trafficked_smuggled, street_child]\n"
    "consent:\n  reporting: true\nreferrals:\n  - date: 2024-03-15\n"
    "    to: bayti\n  - to: ''\nstatus: open\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enas_record *rec = NULL;
	struct enas_expr *e = NULL;
	const char *nl;
	char *text;
	size_t len;
	int rc;

	nl = memchr(data, '\n', size);
	len = nl ? (size_t)(nl - (const char *)data) : size;
	if (memchr(data, '\0', len))
		return 0;	/* a C string cannot hold it: not an input */
	if (!(text = malloc(len + 1)))
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	rc = enas_expr_parse(&e, text);
	if (rc < 0) {
		if (e)
			fuzz_fail("a refused expression was returned");
		if (rc == ENAS_EDATA && !strcmp(enas_error_last(), "no error"))
			fuzz_fail("a refused expression without a message");
		free(text);
		return 0;
	}
	if (!enas_expr_field(e) || !*enas_expr_field(e))
		fuzz_fail("an expression without a field");
	if (!nl || enas_record_parse(&rec, nl + 1, size - len - 1, "r.yaml",
	    0, NULL, NULL) < 0)
		(void)enas_record_parse(&rec, example, sizeof(example) - 1,
		    "r.yaml", 0, NULL, NULL);
	rc = enas_expr_eval(e, rec ? rec->root : NULL);
	if (rc != 0 && rc != 1 && rc != ENAS_EDATA && rc != ENAS_ENOMEM)
		fuzz_fail("an evaluation that is not 0, 1 or an error");
	rc = enas_expr_eval(e, NULL);
	if (rc != 0 && rc != 1)
		fuzz_fail("an evaluation without a record that fails");
	enas_record_free(rec);
	enas_expr_free(e);
	free(text);
	return 0;
}
