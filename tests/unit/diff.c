/*
 * tests/unit/diff.c: field-level differences (lib/diff.c), the tidying
 * of a new record's template (lib/template.c) and ids (lib/find.c).
 * Prints TAP; exits 0 when every test passed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "enas.h"
#include "find.h"
#include "record.h"
#include "template.h"

#include "tap.h"

static struct enas_record *
record(const char *text)
{
	struct enas_record *r;

	if (enas_record_parse(&r, text, strlen(text), "t", 0, NULL,
	    NULL) < 0) {
		printf("Bail out! cannot parse: %s\n", text);
		exit(2);
	}
	return r;
}

/* The diff of two texts as "line; line; ...". */
static void
diff(const char *a, const char *b, const char *want, const char *what)
{
	struct enas_record *x = record(a), *y = record(b);
	struct enas_diff d = ENAS_DIFF_INIT;
	struct enas_buf out = ENAS_BUF_INIT;
	size_t i;

	if (enas_diff_records(&d, x->root, y->root) < 0) {
		printf("Bail out! %s\n", enas_error_last());
		exit(2);
	}
	enas_buf_add(&out, "", 0);
	for (i = 0; i < d.n; i++) {
		if (i)
			enas_buf_puts(&out, "; ");
		enas_change_text(&out, &d.changes[i]);
	}
	is(want, out.data, what);
	enas_buf_free(&out);
	enas_diff_free(&d);
	enas_record_free(x);
	enas_record_free(y);
}

static void
fields(const char *a, const char *b, const char *want)
{
	struct enas_record *x = record(a), *y = record(b);
	struct enas_diff d = ENAS_DIFF_INIT;
	struct enas_buf out = ENAS_BUF_INIT;

	enas_diff_records(&d, x->root, y->root);
	enas_buf_add(&out, "", 0);
	enas_diff_fields(&out, &d);
	is(want, out.data, "the changed fields' names, each once");
	enas_buf_free(&out);
	enas_diff_free(&d);
	enas_record_free(x);
	enas_record_free(y);
}

static void
tidy(const char *in, int want_rc, const char *want, const char *what)
{
	struct enas_buf out = ENAS_BUF_INIT;
	int rc = enas_template_tidy(&out, in, strlen(in));

	ok(rc == want_rc, "%s: returns %d", what, want_rc);
	is(want, out.data ? out.data : "", what);
	enas_buf_free(&out);
}

int
main(void)
{
	diff("a: 1\nb: x\n", "b: x\na: 1\n", "", "key order is no change");
	diff("status: open\n", "status: closed\n", "status: open -> closed",
	    "a changed scalar");
	diff("a: 1\n", "a: 1\nclosure:\n  date: 2024-11-02\n",
	    "closure.date: added 2024-11-02",
	    "an added mapping, by its leaves");
	diff("a: 1\nb: true\n", "a: 1\n", "b: removed true", "a removed field");
	diff("a: 1\nb:\n", "a: 1\n", "", "an empty value is absent");
	diff("c: [a, b]\n", "c: [a, b, c]\n", "c: [a, b] -> [a, b, c]",
	    "a list, as a whole");
	diff("r:\n  - to: x\n    s: p\n",
	    "r:\n  - to: x\n    s: a\n  - to: y\n",
	    "r[0].s: p -> a; r[1]: added", "sequences of mappings, by item");
	diff("r:\n  - to: x\n  - to: y\n", "r:\n  - to: x\n",
	    "r[1]: removed", "a removed item");
	diff("n: 'a: b'\n", "n: \"x\\ty\"\n", "n: 'a: b' -> \"x\\ty\"",
	    "values that need quotes are quoted");
	diff("n: a\n", "n:\n  m: b\n", "n: a -> {m: b}",
	    "a scalar become a mapping");
	fields("a: 1\nr:\n  - x: 1\n", "a: 2\nr:\n  - x: 2\n    y: 3\n",
	    "a, r[0].x, r[0].y");

	tidy("# c\nid: X\n# hint\nsite: nador\nage:\nlist: []\nm:\n"
	    "  # inner\n  k:\n  j: ''\nr:\n#  - a:\n", 1,
	    "id: X\nsite: nador\nm:\n  j: ''\n",
	    "comments, empty fields and emptied mappings go");
	tidy("id: X\nr:\n- a: 1\n", 1, "id: X\nr:\n- a: 1\n",
	    "a sequence at its key's column is its child");
	tidy("id: X\nt: \"a\n  # b\"\n", 0, "id: X\nt: \"a\n  # b\"\n",
	    "a comment-like line inside a quoted value: left as it was");
	tidy("id: [\n", 0, "id: [\n",
	    "text that does not parse: left as it was");

	ok(enas_id_safe("NDR-2024-7K3QP") && enas_id_safe("bayti_2"),
	    "ids of letters, digits, - and _ are safe");
	ok(!enas_id_safe("") && !enas_id_safe("-x") && !enas_id_safe("../x") &&
	    !enas_id_safe("a/b") && !enas_id_safe(".") &&
	    !enas_id_safe("NDR-2024-7K3Q\xc3\x89") && !enas_id_safe("a b"),
	    "empty, leading '-', dots, slashes, non-ASCII, spaces are not");
	ok(enas_id_year("NDR-2024-7K3QP") == 2024 &&
	    enas_id_year("SES-2023-A") == 2023 &&
	    enas_id_year("bayti") == -1 && enas_id_year("X-20245") == -1,
	    "the year of an id");

	return tap_done();
}
