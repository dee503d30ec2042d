/*
 * tests/unit/yamlout.c: every scalar lib/yamlout writes reads back, with
 * the record parser, as exactly the string it was given, and is plain
 * only where plain is safe.
 */
#include <stdio.h>
#include <string.h>

#include "enas.h"
#include "record.h"
#include "yamlout.h"

#include "tap.h"

/* Write s as "k: S" and as "k: [S]", read both back, compare. */
static void
round_trip(const char *s, size_t n, const char *want)
{
	struct enas_buf b = ENAS_BUF_INIT, f = ENAS_BUF_INIT;
	struct enas_record *rec = NULL, *frec = NULL;
	const struct enas_node *v, *fv;
	int same;

	if (enas_buf_puts(&b, "k: ") < 0 ||
	    enas_yamlout_scalar(&b, s, n) < 0 ||
	    enas_buf_puts(&b, "\n") < 0 || enas_buf_puts(&f, "k: [") < 0 ||
	    enas_yamlout_scalar(&f, s, n) < 0 ||
	    enas_buf_puts(&f, "]\n") < 0) {
		ok(0, "out of memory");
		return;
	}
	same = enas_record_parse(&rec, b.data, b.len, "t", 0, NULL,
	    NULL) == 0 && (v = enas_node_get(rec->root, "k")) && v->len == n &&
	    memcmp(v->value, s, n) == 0;
	same = same && enas_record_parse(&frec, f.data, f.len, "t", 0, NULL,
	    NULL) == 0 && (fv = enas_node_get(frec->root, "k")) &&
	    fv->child && fv->child->len == n &&
	    memcmp(fv->child->value, s, n) == 0;
	ok(same, "reads back: %.*s", (int)b.len - 1, b.data);
	if (want)
		is(want, b.data + 3, "written as expected");
	enas_record_free(rec);
	enas_record_free(frec);
	enas_buf_free(&b);
	enas_buf_free(&f);
}

int
main(void)
{
	static const struct {
		const char *s, *want;
	} t[] = {
		{ "nador", "nador\n" },
		{ "NO", "NO\n" },
		{ "a: b", "'a: b'\n" },
		{ "it's", "it's\n" },
		{ "'quoted'", "'''quoted'''\n" },
		{ "x # y", "'x # y'\n" },
		{ "x#y", "x#y\n" },
		{ "- item", "'- item'\n" },
		{ "[list]", "'[list]'\n" },
		{ "a,b", "'a,b'\n" },
		{ " lead", "' lead'\n" },
		{ "trail ", "'trail '\n" },
		{ "key:", "'key:'\n" },
		{ "%directive", "'%directive'\n" },
		{ "&anchor", "'&anchor'\n" },
		{ "*alias", "'*alias'\n" },
		{ "!tag", "'!tag'\n" },
		{ "@at", "'@at'\n" },
		{ "two\nlines", "\"two\\nlines\"\n" },
		{ "tab\there", "\"tab\\there\"\n" },
		{ "back\\slash\n", "\"back\\\\slash\\n\"\n" },
		{ "caf\xc3\xa9", "caf\xc3\xa9\n" },
		{ NULL, NULL }
	};
	size_t i;

	for (i = 0; t[i].s; i++)
		round_trip(t[i].s, strlen(t[i].s), t[i].want);
	ok(!enas_yamlout_plain("", 0), "the empty string is not plain");
	return tap_done();
}
