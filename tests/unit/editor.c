/*
 * tests/unit/editor.c: what enas new and enas edit write and show
 * (lib/editor.c): comments stripped, the error block at the top.
 * Prints TAP; exits 0 when every test passed.
 */
#include <stdio.h>
#include <string.h>

#include "editor.h"
#include "tap.h"

static void
strip(const char *in, unsigned flags, const char *want, const char *what)
{
	struct enas_buf b = ENAS_BUF_INIT;

	if (enas_editor_strip(&b, in, strlen(in), flags) < 0)
		printf("Bail out! out of memory\n");
	is(want, b.data, what);
	enas_buf_free(&b);
}

int
main(void)
{
	struct enas_diags l = ENAS_DIAGS_INIT;
	struct enas_diag d = { NULL, 2, 6, ENAS_ERROR, "age",
	    "19 is above 17", "ENAS are minors" };
	struct enas_buf b = ENAS_BUF_INIT;
	const char *text = "id: X\nage: 19\n";
	char n[8];

	strip("a: 1 # c\n# only\n  # indented\nb: 2\n", 0, "a: 1\nb: 2\n",
	    "comment lines and trailing comments go");
	strip("# x\na: 1   # c\n", ENAS_STRIP_BLANK, "\na: 1\n",
	    "ENAS_STRIP_BLANK keeps the line numbers");
	strip("b: '# not' # yes\nc: \"x # y\" # z\n", 0,
	    "b: '# not'\nc: \"x # y\"\n", "a # inside quotes stays");
	strip("e: 'it''s # in' # out\nf: \"a\\\" # in\" # out\n", 0,
	    "e: 'it''s # in'\nf: \"a\\\" # in\"\n", "escaped quotes");
	strip("g: don't # c\nh: a#b\n", 0, "g: don't\nh: a#b\n",
	    "a quote inside a plain scalar, a # without a space before it");
	strip("d: |\n  # content\n  x\ne: 2 # c\n", 0,
	    "d: |\n  # content\n  x\ne: 2\n", "a block scalar's lines stay");
	strip("l:\n  - x # c\n  - [a, 'b # c'] # d\n", 0,
	    "l:\n  - x\n  - [a, 'b # c']\n", "items and flow sequences");
	strip("m: 'two\n  # lines' # c\n", 0, "m: 'two\n  # lines'\n",
	    "a quoted scalar over two lines");
	strip("a: 1\nb: 2", 0, "a: 1\nb: 2", "no final newline");
	is(enas_editor_blank("# a\n\n  # b\n", 11) ? "1" : "0", "1",
	    "only comments is blank");
	is(enas_editor_blank("# a\nx: 1\n", 9) ? "1" : "0", "0",
	    "a field is not blank");

	enas_diags_add(&l, &d);
	if (enas_editor_mark(&b, text, strlen(text), &l) < 0)
		printf("Bail out! out of memory\n");
	is("#! Not written yet: the error below. Fix it, then save and quit; quit\n"
	    "#!   without saving to give up.\n"
	    "#! line 7: age: 19 is above 17 (ENAS are minors)\n"
	    "#! Lines that start with # are never written.\n"
	    "#!\n"
	    "id: X\nage: 19\n", b.data, "the error block, its line numbers "
	    "counted in the editor's copy");
	snprintf(n, sizeof(n), "%d", enas_editor_unmark(b.data, b.len) ==
	    b.len - strlen(text));
	is("1", n, "unmark: the length of the block");
	snprintf(n, sizeof(n), "%zu", enas_editor_unmark(text, strlen(text)));
	is("0", n, "unmark: no block");
	enas_diags_clear(&l);
	enas_buf_free(&b);
	return tap_done();
}
