/*
 * record.c: unit tests of lib/record.c, printing TAP.
 *
 * Every refusal of SPEC §3 is checked with its exact message and
 * position, from a fixture in tests/fixtures/yaml/ (found through
 * $ENAS_SRC, the top of the checkout) or, for the huge inputs, built in
 * memory.
 *
 * "record parse FILE [rules]" parses one file and exits 0 (accepted),
 * 1 (refused) or 2 (other error): tests/record.t uses it to make each
 * allocation fail in turn.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enas.h"
#include "record.h"

#include "tap.h"

#define MAXDIAG 64

static char diags[MAXDIAG][512];
static char diagfile[256];	/* the file of the first diagnostic */
static int ndiag;
static void
collect(void *ctx, const struct enas_diag *d)
{
	(void)ctx;
	if (ndiag == 0)
		snprintf(diagfile, sizeof(diagfile), "%s", d->file);
	if (ndiag < MAXDIAG)
		snprintf(diags[ndiag], sizeof(diags[0]), "%d:%d: %s",
		    d->line, d->col, d->msg);
	ndiag++;
}

static void
show_diags(void)
{
	int i;

	for (i = 0; i < ndiag && i < MAXDIAG; i++)
		printf("#   got %s\n", diags[i]);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Parse buf, collecting diagnostics afresh. */
static int
parse(struct enas_record **r, const char *buf, size_t len, unsigned flags)
{
	ndiag = 0;
	return enas_record_parse(r, buf, len, "test.yaml", flags, collect,
	    NULL);
}

/* Read a fixture into b; exits the test run if it is missing. */
static void
fixture(struct enas_buf *b, const char *name)
{
	const char *src = getenv("ENAS_SRC");
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/fixtures/yaml/%s",
	    src && *src ? src : ".", name);
	if (enas_file_read(b, path, 1 << 20) < 0) {
		printf("Bail out! %s\n", enas_error_last());
		exit(1);
	}
}

/*
 * Check that buf is refused, with want ("LINE:COL: message") as its
 * first diagnostic and nwant diagnostics in all (any number if 0).
 */
static void
refused(const char *what, const char *buf, size_t len, unsigned flags,
    const char *want, int nwant)
{
	struct enas_record *r = (void *)1;
	int rc;

	rc = parse(&r, buf, len, flags);
	ok(rc == ENAS_EDATA && !r && ndiag > 0 && strcmp(diags[0], want) ==
	    0 && (!nwant || ndiag == nwant), "%s: %s", what, want);
	if (rc != ENAS_EDATA || ndiag == 0 || strcmp(diags[0], want) != 0 ||
	    (nwant && ndiag != nwant)) {
		printf("#   rc %d, %d diagnostics\n", rc, ndiag);
		show_diags();
	}
	enas_record_free(r == (void *)1 ? NULL : r);
}

static void
refused_str(const char *what, const char *s, const char *want)
{
	refused(what, s, strlen(s), 0, want, 0);
}

static void
refused_fixture(const char *name, const char *want, int nwant)
{
	struct enas_buf b = ENAS_BUF_INIT;

	fixture(&b, name);
	refused(name, b.data, b.len, 0, want, nwant);
	enas_buf_free(&b);
}

/* Parse s, which must be accepted; NULL (and a failed test) if not. */
static struct enas_record *
accepted(const char *what, const char *s, size_t len, unsigned flags)
{
	struct enas_record *r = NULL;
	int rc;

	rc = parse(&r, s, len, flags);
	ok(rc == 0 && r && r->root && r->root->type == ENAS_MAP,
	    "%s is accepted", what);
	if (rc != 0)
		show_diags();
	return r;
}

static int
scalar_is(const struct enas_node *n, const char *v, int line, int col)
{
	return n && n->type == ENAS_SCALAR && strcmp(n->value, v) == 0 &&
	    n->len == strlen(v) && n->line == line && n->col == col;
}

static int
key_at(const struct enas_node *n, const char *k, int line, int col)
{
	return n && n->key && strcmp(n->key, k) == 0 && n->key_line == line &&
	    n->key_col == col;
}

/* enas_node_each callback: append the value or type to a buffer. */
static int
gather(void *ctx, const struct enas_node *n)
{
	struct enas_buf *b = ctx;

	if (b->len)
		enas_buf_puts(b, ",");
	if (n->type == ENAS_SCALAR)
		enas_buf_puts(b, n->value);
	else
		enas_buf_printf(b, "%s@%d", n->type == ENAS_MAP ? "map" :
		    "seq", n->line);
	return 0;
}

static int
stop_at_first(void *ctx, const struct enas_node *n)
{
	(void)ctx;
	(void)n;
	return 42;
}

/* The values a path reaches, comma-separated, into b. */
static const char *
each(struct enas_buf *b, const struct enas_node *map, const char *path,
    int *rc)
{
	b->len = 0;
	enas_buf_puts(b, "");
	*rc = enas_node_each(map, path, gather, b);
	return b->data;
}

static void
test_example(void)
{
	struct enas_buf b = ENAS_BUF_INIT, e = ENAS_BUF_INIT;
	const struct enas_node *root, *n, *m;
	struct enas_record *r;
	int rc;

	fixture(&b, "case.yaml");
	if (!(r = accepted("the SPEC §3 example", b.data, b.len, 0))) {
		enas_buf_free(&b);
		return;
	}
	root = r->root;
	ok(root->nchild == 18 && root->line == 1 && root->col == 1,
	    "the example has 18 top-level fields");
	ok(strcmp(r->file, "test.yaml") == 0, "the record keeps its file name");
	n = enas_node_get(root, "id");
	ok(key_at(n, "id", 1, 1) && scalar_is(n, "NDR-2024-7K3QP", 1, 5) &&
	    !n->quoted, "id: key at 1:1, value at 1:5");
	n = enas_node_get(root, "age");
	ok(key_at(n, "age", 7, 1) && scalar_is(n, "15", 7, 6),
	    "age: key at 7:1, value 15 at 7:6");
	n = enas_node_get(root, "age_estimated");
	ok(scalar_is(n, "true", 8, 16), "age_estimated: true is a string");
	n = enas_node_get(root, "concerns");
	ok(n && n->type == ENAS_SEQ && n->nchild == 2 && n->line == 11 &&
	    n->col == 11 && key_at(n, "concerns", 11, 1),
	    "concerns: a flow sequence at 11:11 of 2 items");
	ok(n && scalar_is(n->child, "trafficked_smuggled", 11, 12) &&
	    scalar_is(n->child->next, "street_child", 11, 33) &&
	    !n->child->key && !n->child->next->next,
	    "concerns items at 11:12 and 11:33, without keys");
	n = enas_node_get(root, "consent");
	ok(n && n->type == ENAS_MAP && n->nchild == 5 &&
	    key_at(n, "consent", 14, 1) && n->line == 15 && n->col == 3,
	    "consent: a mapping of 5 at 15:3, key at 14:1");
	n = enas_node_path(root, "consent.reporting");
	ok(key_at(n, "reporting", 18, 3) && scalar_is(n, "true", 18, 14),
	    "consent.reporting: key at 18:3, value at 18:14");
	ok(!enas_node_path(root, "consent.nothing") &&
	    !enas_node_path(root, "age.x") && !enas_node_path(root, "nothing"),
	    "enas_node_path of absent paths is NULL");
	n = enas_node_get(root, "referrals");
	ok(n && n->type == ENAS_SEQ && n->nchild == 1 && n->line == 22 &&
	    n->col == 3, "referrals: a sequence at 22:3");
	m = n ? n->child : NULL;
	ok(m && m->type == ENAS_MAP && m->nchild == 4 && m->line == 22 &&
	    m->col == 5 && !m->key, "referrals[0]: a mapping of 4 at 22:5");
	n = enas_node_get(m, "to");
	ok(key_at(n, "to", 23, 5) && scalar_is(n, "bayti", 23, 9),
	    "referrals[0].to: key at 23:5, value at 23:9");
	ok(strcmp(each(&e, root, "referrals[].to", &rc), "bayti") == 0 &&
	    rc == 0, "enas_node_each referrals[].to: %s", e.data);
	ok(strcmp(each(&e, root, "closure.reason", &rc), "reunified") == 0,
	    "enas_node_each closure.reason: %s", e.data);
	enas_record_free(r);
	enas_buf_free(&b);
	enas_buf_free(&e);
}

static void
test_each(void)
{
	static const char s[] =
	    "id: x\n"
	    "concerns: [street_child, forced_begging]\n"
	    "referrals:\n"
	    "  - to: bayti\n"
	    "    services: [safehouse, health]\n"
	    "  - service: legal\n"
	    "  - to: cnclt\n"
	    "    services: [legal]\n"
	    "consent:\n"
	    "  reporting: true\n"
	    "empty_list: []\n"
	    "empty_map: {}\n"
	    "empty:\n";
	struct enas_buf e = ENAS_BUF_INIT;
	struct enas_record *r;
	const struct enas_node *root;
	int rc;

	if (!(r = accepted("a record for enas_node_each", s, strlen(s), 0)))
		return;
	root = r->root;
	ok(strcmp(each(&e, root, "referrals[].to", &rc), "bayti,cnclt") == 0,
	    "referrals[].to reaches each to, skipping an item without: %s",
	    e.data);
	ok(strcmp(each(&e, root, "referrals[]", &rc), "map@4,map@6,map@7") ==
	    0, "referrals[] reaches every item: %s", e.data);
	ok(strcmp(each(&e, root, "referrals[].services[]", &rc),
	    "safehouse,health,legal") == 0, "referrals[].services[]: %s",
	    e.data);
	ok(strcmp(each(&e, root, "referrals[].services", &rc),
	    "seq@5,seq@8") == 0, "referrals[].services: %s", e.data);
	ok(strcmp(each(&e, root, "concerns", &rc), "seq@2") == 0,
	    "concerns without [] reaches the sequence: %s", e.data);
	ok(strcmp(each(&e, root, "concerns[]", &rc),
	    "street_child,forced_begging") == 0, "concerns[]: %s", e.data);
	ok(strcmp(each(&e, root, "consent.reporting", &rc), "true") == 0,
	    "consent.reporting: %s", e.data);
	ok(strcmp(each(&e, root, "nothing[].to", &rc), "") == 0 &&
	    strcmp(each(&e, root, "consent[].x", &rc), "") == 0 &&
	    strcmp(each(&e, root, "id.x", &rc), "") == 0 &&
	    strcmp(each(&e, root, "concerns.", &rc), "") == 0 &&
	    strcmp(each(&e, root, "", &rc), "") == 0 && rc == 0,
	    "paths that reach nothing call nothing");
	ok(enas_node_each(root, "referrals[].to", stop_at_first, NULL) == 42,
	    "enas_node_each stops at the first non-zero return");
	ok(enas_node_empty(NULL) && enas_node_empty(enas_node_get(root,
	    "empty")) && enas_node_empty(enas_node_get(root, "empty_list")) &&
	    enas_node_empty(enas_node_get(root, "empty_map")) &&
	    !enas_node_empty(enas_node_get(root, "id")) &&
	    !enas_node_empty(enas_node_get(root, "concerns")) &&
	    !enas_node_empty(enas_node_get(root, "consent")),
	    "enas_node_empty");
	ok(!enas_node_get(NULL, "id") && !enas_node_get(enas_node_get(root,
	    "id"), "id") && !enas_node_get(root, NULL) &&
	    !enas_node_get(root, "i"), "enas_node_get of nothing is NULL");
	enas_record_free(r);
	enas_record_free(NULL);
	enas_buf_free(&e);
}

static void
test_strings(void)
{
	static const char s[] =
	    "a: NO\nb: yes\nc: 1.0\nd: ~\ne: null\nf:\ng: 'x'\nh: \"y\\tz\"\n"
	    "i: 0x1F\nj: 2024-03-14\nk: |\n  two\n  lines\nl: caf\xc3\xa9 "
	    "\xf0\x9f\x98\x80\nm: 'a\tb'\n";
	const struct enas_node *root, *n;
	struct enas_record *r;

	if (!(r = accepted("plain YAML 1.1 lookalikes", s, strlen(s), 0)))
		return;
	root = r->root;
	ok(scalar_is(enas_node_get(root, "a"), "NO", 1, 4),
	    "NO stays the string NO");
	ok(scalar_is(enas_node_get(root, "b"), "yes", 2, 4) &&
	    scalar_is(enas_node_get(root, "c"), "1.0", 3, 4) &&
	    scalar_is(enas_node_get(root, "d"), "~", 4, 4) &&
	    scalar_is(enas_node_get(root, "e"), "null", 5, 4) &&
	    scalar_is(enas_node_get(root, "i"), "0x1F", 9, 4) &&
	    scalar_is(enas_node_get(root, "j"), "2024-03-14", 10, 4),
	    "yes, 1.0, ~, null, 0x1F and a date stay strings");
	n = enas_node_get(root, "f");
	ok(n && n->type == ENAS_SCALAR && n->len == 0 && !*n->value &&
	    !n->quoted && key_at(n, "f", 6, 1),
	    "an empty value is the empty string");
	n = enas_node_get(root, "g");
	ok(scalar_is(n, "x", 7, 4) && n->quoted, "'x' is quoted");
	n = enas_node_get(root, "h");
	ok(scalar_is(n, "y\tz", 8, 4) && n->quoted,
	    "\"y\\tz\" is quoted, its escape decoded");
	n = enas_node_get(root, "k");
	ok(scalar_is(n, "two\nlines\n", 11, 4) && !n->quoted,
	    "a literal block scalar");
	n = enas_node_get(root, "l");
	ok(scalar_is(n, "caf\xc3\xa9 \xf0\x9f\x98\x80", 14, 4),
	    "UTF-8 text is kept as it is");
	ok(scalar_is(enas_node_get(root, "m"), "a\tb", 15, 4),
	    "a tab inside a quoted value is fine");
	enas_record_free(r);
	r = accepted("explicit --- and ...", "---\na: 1\n...\n", 13, 0);
	enas_record_free(r);
	r = accepted("a record without a final newline", "a: 1", 4, 0);
	ok(r && scalar_is(enas_node_get(r->root, "a"), "1", 1, 4),
	    "the buffer is read to len and no further");
	enas_record_free(r);
	/* The buffer is not NUL-terminated: the byte after len is junk. */
	r = accepted("a buffer cut short of its junk", "a: 1\x01\xff", 4, 0);
	enas_record_free(r);
	r = accepted("same keys in different mappings",
	    "a:\n  x: 1\nb:\n  x: 1\nx: [1]\n", 26, 0);
	enas_record_free(r);
}

static void
test_rules_keys(void)
{
	static const char s[] =
	    "fields:\n"
	    "  referrals[].to: {required: true, ref: partner}\n"
	    "  consent.reporting: {required: true, type: bool}\n"
	    "  concerns[]: {enum: [a, b]}\n"
	    "  a[].b[].c: {}\n";
	struct enas_record *r;

	r = accepted("field paths as keys with ENAS_PARSE_RULES", s,
	    strlen(s), ENAS_PARSE_RULES);
	ok(r && enas_node_path(r->root, "fields") &&
	    enas_node_get(enas_node_get(r->root, "fields"),
	    "referrals[].to"), "a field path key is kept as written");
	enas_record_free(r);
	refused("field paths without ENAS_PARSE_RULES", s, strlen(s), 0,
	    "2:3: key 'referrals[].to' is not lower-case letters, digits "
	    "and _ (starting with a letter)", 1);
	refused("a bad field path", "a..b: 1\n", 8, ENAS_PARSE_RULES,
	    "1:1: key 'a..b' is not a field path: words of lower-case "
	    "letters, digits and _ (starting with a letter), each perhaps "
	    "followed by [], joined by '.'", 1);
	refused("a field path ending in a dot", "a.: 1\n", 6, ENAS_PARSE_RULES,
	    "1:1: key 'a.' is not a field path: words of lower-case "
	    "letters, digits and _ (starting with a letter), each perhaps "
	    "followed by [], joined by '.'", 1);
}

static void
test_fixtures(void)
{
	refused_fixture("anchor.yaml",
	    "2:6: anchors (&name) are not allowed", 1);
	refused_fixture("alias.yaml",
	    "3:7: aliases (*name) are not allowed", 1);
	refused_fixture("tag.yaml", "2:6: tags (!x, !!x) are not allowed", 1);
	refused_fixture("two-documents.yaml",
	    "3:1: more than one document in the file", 1);
	refused_fixture("duplicate-key.yaml",
	    "4:1: duplicate key 'site' (first at line 2)", 1);
	refused_fixture("tab-indent.yaml",
	    "3:1: tab used for indentation; indent with spaces", 1);
	refused_fixture("bom.yaml", "1:1: file starts with a UTF-8 "
	    "byte-order mark; save it without one", 1);
	refused_fixture("crlf.yaml",
	    "1:6: CRLF line end; save the file with LF line ends", 1);
	refused_fixture("cr.yaml", "1:6: carriage return without a line "
	    "feed; save the file with LF line ends", 1);
	refused_fixture("utf16.yaml", "1:1: file is UTF-16; save it as UTF-8",
	    1);
	refused_fixture("utf32.yaml", "1:1: file is UTF-32; save it as UTF-8",
	    1);
	refused_fixture("invalid-utf8.yaml", "3:13: invalid UTF-8 (byte 0xE9)",
	    1);
	refused_fixture("nul.yaml", "2:9: NUL byte in the file", 1);
	refused_fixture("conflict.yaml", "2:1: git merge-conflict marker; "
	    "resolve the conflict first", 3);
	ok(ndiag == 3 && strcmp(diags[1], "4:1: git merge-conflict marker; "
	    "resolve the conflict first") == 0 && strcmp(diags[2], "6:1: git "
	    "merge-conflict marker; resolve the conflict first") == 0,
	    "every conflict marker is reported");
	refused_fixture("directive.yaml",
	    "1:1: directives (%YAML, %TAG) are not allowed", 1);
	refused_fixture("tag-directive.yaml",
	    "1:1: directives (%YAML, %TAG) are not allowed", 1);
	refused_fixture("complex-key.yaml",
	    "2:3: keys must be plain words, not mappings or sequences", 1);
	refused_fixture("control.yaml", "2:9: control character U+0001", 1);
	refused_fixture("control-del.yaml", "2:9: control character U+007F", 1);
	refused_fixture("control-c1.yaml", "2:9: control character U+0085", 1);
	refused_fixture("escaped-control.yaml",
	    "2:7: control character U+0001 in a value", 1);
	refused_fixture("line-separator.yaml",
	    "2:9: Unicode line separator U+2028; use LF line ends", 1);
	refused_fixture("list-in-list.yaml",
	    "3:5: a list inside a list is not allowed", 1);
	refused_fixture("mixed-list.yaml",
	    "4:5: a list mixes values and mappings", 1);
	refused_fixture("flow-top.yaml", "1:1: the top level must be a block "
	    "mapping, not a flow mapping {…}", 1);
	refused_fixture("not-mapping.yaml", "1:1: a record is a mapping of "
	    "fields, one per line (`field: value`)", 1);
	refused_fixture("empty.yaml", "1:1: a record is a mapping of fields, "
	    "one per line (`field: value`)", 1);
	refused_fixture("bad-key.yaml", "2:1: key 'Name' is not lower-case "
	    "letters, digits and _ (starting with a letter)", 1);
	refused_fixture("quoted-key.yaml",
	    "2:1: key 'age' is quoted; write keys without quotes", 1);
	refused_fixture("syntax.yaml", "2:12: syntax error: mapping values "
	    "are not allowed in this context", 1);
	refused_fixture("depth-9.yaml", "11:19: nesting deeper than 8 levels",
	    1);
}

static void
test_more_refusals(void)
{
	struct enas_buf b = ENAS_BUF_INIT;
	struct enas_record *r;
	const char *s;
	int i;

	fixture(&b, "depth-8.yaml");
	r = accepted("nesting of 8 levels (depth-8.yaml)", b.data, b.len, 0);
	enas_record_free(r);
	enas_buf_free(&b);
	refused_str("nesting of 9 flow mappings",
	    "a: {b: {c: {d: {e: {f: {g: {h: {i: {j: 1}}}}}}}}}\n",
	    "1:36: nesting deeper than 8 levels");
	s = "a: {b: {c: {d: {e: {f: {g: {h: {i: 1}}}}}}}}\n";
	r = accepted("nesting of 8 flow mappings", s, strlen(s), 0);
	enas_record_free(r);
	s = "a: {b: {c: {d: {e: {f: {g: [{i: 1}]}}}}}}\n";
	r = accepted("a list of mappings at levels 7 and 8", s, strlen(s), 0);
	enas_record_free(r);
	refused_str("a list of mappings at levels 8 and 9",
	    "a: {b: {c: {d: {e: {f: {g: {h: [{i: 1}]}}}}}}}\n",
	    "1:33: nesting deeper than 8 levels");
	refused_str("an anchor on a mapping", "a: &m\n  b: 1\n",
	    "1:4: anchors (&name) are not allowed");
	refused_str("an anchor on a key", "&k a: 1\n",
	    "1:1: anchors (&name) are not allowed");
	refused_str("a local tag", "a: !x 1\n",
	    "1:4: tags (!x, !!x) are not allowed");
	refused_str("the non-specific tag !", "a: ! 1\n",
	    "1:4: tags (!x, !!x) are not allowed");
	refused_str("a tag on the top mapping", "--- !!map\na: 1\n",
	    "1:5: tags (!x, !!x) are not allowed");
	refused_str("!!str on a value", "a: !!str 1\n",
	    "1:4: tags (!x, !!x) are not allowed");
	refused_str("a flow mapping as a key", "{a: 1}: 2\n",
	    "1:1: keys must be plain words, not mappings or sequences");
	refused_str("a flow sequence as a key", "a: 1\n[b]: 2\n",
	    "2:1: keys must be plain words, not mappings or sequences");
	refused_str("a block list in a list", "a:\n  - - 1\n",
	    "2:5: a list inside a list is not allowed");
	refused_str("a flow list mixing values and mappings",
	    "a: [b, {c: 1}]\n", "1:8: a list mixes values and mappings");
	refused_str("a list of mappings then a value",
	    "a:\n  - b: 1\n  - c\n", "3:5: a list mixes values and mappings");
	refused_str("a duplicate key in a nested mapping",
	    "a:\n  b: 1\n  c: 2\n  b: 3\n",
	    "4:3: duplicate key 'b' (first at line 2)");
	refused_str("a duplicate key in a list item",
	    "a:\n  - b: 1\n    b: 2\n",
	    "3:5: duplicate key 'b' (first at line 2)");
	refused_str("a duplicate key in a flow mapping", "a: {b: 1, b: 2}\n",
	    "1:11: duplicate key 'b' (first at line 1)");
	refused_str("a key starting with a digit", "1a: x\n",
	    "1:1: key '1a' is not lower-case letters, digits and _ "
	    "(starting with a letter)");
	refused_str("a merge key", "a: 1\n<<: {b: 1}\n",
	    "2:1: key '<<' is not lower-case letters, digits and _ "
	    "(starting with a letter)");
	refused_str("a single-quoted key", "'a': 1\n",
	    "1:1: key 'a' is quoted; write keys without quotes");
	refused_str("a %YAML 1.2 directive", "%YAML 1.2\n---\na: 1\n",
	    "1:1: directives (%YAML, %TAG) are not allowed");
	refused_str("a second document after ...", "a: 1\n...\n---\nb: 2\n",
	    "3:1: more than one document in the file");
	refused("an empty file", "", 0, 0, "1:1: a record is a mapping of "
	    "fields, one per line (`field: value`)", 1);
	refused("no buffer at all", NULL, 0, 0, "1:1: a record is a mapping "
	    "of fields, one per line (`field: value`)", 1);
	refused_str("an empty document", "---\n", "2:1: a record is a "
	    "mapping of fields, one per line (`field: value`)");
	refused_str("a scalar document", "hello\n", "1:1: a record is a "
	    "mapping of fields, one per line (`field: value`)");
	refused_str("a tab on a blank line", "a: 1\n \t\nb: 2\n",
	    "2:2: tab on a blank line; remove it");
	refused_str("a syntax error", "a: [1, 2\n",
	    "2:1: syntax error: did not find expected ',' or ']' while "
	    "parsing a flow sequence");
	refused_str("an escaped NUL in a value", "a: \"x\\0y\"\n",
	    "1:4: control character U+0000 in a value");
	refused_str("an escaped C1 control in a value", "a: \"x\\N\"\n",
	    "1:4: control character U+0085 in a value");
	refused_str("U+FFFE", "a: \xef\xbf\xbe\n", "1:4: non-character U+FFFE");
	refused_str("a conflict marker at the end of the file",
	    "a: 1\n>>>>>>>", "2:1: git merge-conflict marker; resolve the "
	    "conflict first");
	refused_str("an ESC", "a: \x1b[31m\n", "1:4: control character U+001B");
	refused_str("a form feed", "a: 1\n\f\n", "2:1: control character "
	    "U+000C");
	r = accepted("seven = then text is no conflict marker",
	    "a: =======x\n", 12, 0);
	enas_record_free(r);

	/* Every kind of bad UTF-8 is reported where it is. */
	refused_str("an overlong NUL", "a: \xc0\x80\n",
	    "1:4: invalid UTF-8 (byte 0xC0)");
	refused_str("an overlong 3-byte /", "a: \xe0\x80\xaf\n",
	    "1:4: invalid UTF-8 (byte 0xE0)");
	refused_str("an overlong 4-byte", "a: \xf0\x80\x80\xaf\n",
	    "1:4: invalid UTF-8 (byte 0xF0)");
	refused_str("a surrogate", "a: \xed\xa0\x80\n",
	    "1:4: invalid UTF-8 (byte 0xED)");
	refused_str("above U+10FFFF", "a: \xf4\x90\x80\x80\n",
	    "1:4: invalid UTF-8 (byte 0xF4)");
	refused_str("a 5-byte lead", "a: \xf8\x88\x80\x80\x80\n",
	    "1:4: invalid UTF-8 (byte 0xF8)");
	refused_str("a lone continuation byte", "a: x\x80\n",
	    "1:5: invalid UTF-8 (byte 0x80)");
	refused_str("a sequence cut by a newline", "a: \xe2\x82\nb: 1\n",
	    "1:4: invalid UTF-8 (byte 0xE2)");
	refused("a sequence cut by the end of the buffer", "a: \xe2\x82\xac",
	    5, 0, "1:4: invalid UTF-8 (byte 0xE2)", 1);
	refused_str("columns count characters", "a: \xc3\xa9\xe2\x82\xac\xff\n",
	    "1:6: invalid UTF-8 (byte 0xFF)");
	refused_str("one report per line and kind",
	    "a: \xe9\xe9\xe9\nb: \xe9\n", "1:4: invalid UTF-8 (byte 0xE9)");
	ok(ndiag == 2 && strcmp(diags[1], "2:4: invalid UTF-8 (byte 0xE9)") ==
	    0, "  ... and the next line is reported too");

	/* Byte-level problems are all reported, to a cap. */
	enas_buf_puts(&b, "a: 1\r\n");
	for (i = 0; i < 30; i++)
		enas_buf_printf(&b, "k%d: \x01\n", i);
	refused("30 bad lines", b.data, b.len, 0,
	    "1:5: CRLF line end; save the file with LF line ends", 21);
	ok(ndiag == 21 && strcmp(diags[19], "20:6: control character U+0001")
	    == 0 && strcmp(diags[20], "0:0: too many problems; only the "
	    "first 20 are shown") == 0, "  ... 20 of them, then a last line");
	enas_buf_free(&b);
}

static void
test_huge(void)
{
	struct enas_buf b = ENAS_BUF_INIT;
	struct enas_record *r;
	double t;
	int i;

	/* 300 KiB */
	enas_buf_grow(&b, 300 * 1024);
	memset(b.data, 'a', 300 * 1024);
	b.len = 300 * 1024;
	refused("a 300 KiB file", b.data, b.len, 0, "0:0: file is 307200 "
	    "bytes, larger than the 256 KiB limit for a record", 1);

	/* Exactly the limit is fine. */
	memcpy(b.data, "a: ", 3);
	b.data[ENAS_RECORD_MAX - 1] = '\n';
	r = accepted("a file of exactly 256 KiB", b.data, ENAS_RECORD_MAX, 0);
	ok(r && r->root->child->len == ENAS_RECORD_MAX - 4,
	    "  ... whose value is 262140 bytes");
	enas_record_free(r);
	refused("a file of 256 KiB and a byte", b.data, ENAS_RECORD_MAX + 1,
	    0, "0:0: file is 262145 bytes, larger than the 256 KiB limit for "
	    "a record", 1);

	/* 100 000 [ */
	memcpy(b.data, "a: ", 3);
	memset(b.data + 3, '[', 100000);
	t = now_ms();
	refused("100 000 nested [", b.data, 100003, 0,
	    "1:5: a list inside a list is not allowed", 1);
	t = now_ms() - t;
	printf("# 100 000 [ refused in %.2f ms\n", t);
	ok(t < 1000, "  ... in under 1 s");

	/* 60 000 nested flow mappings, just under the size limit */
	b.len = 0;
	enas_buf_puts(&b, "a: ");
	for (i = 0; i < 60000; i++)
		enas_buf_puts(&b, "{a: ");
	t = now_ms();
	refused("60 000 nested {a:", b.data, b.len, 0,
	    "1:36: nesting deeper than 8 levels", 1);
	t = now_ms() - t;
	printf("# 60 000 {a: refused in %.2f ms\n", t);
	ok(t < 1000, "  ... in under 1 s");

	/* 100 000 nested block mappings stop at the byte limit */
	b.len = 0;
	enas_buf_puts(&b, "a:\n");
	for (i = 1; b.len < 200000; i++)
		enas_buf_printf(&b, "%*sa:\n", i, "");
	t = now_ms();
	refused("deeply nested block mappings", b.data, b.len, 0,
	    "10:10: nesting deeper than 8 levels", 1);
	t = now_ms() - t;
	printf("# %d nested block mappings refused in %.2f ms\n", i, t);

	/* 20 000 keys: duplicates are found without a quadratic scan. */
	b.len = 0;
	for (i = 0; i < 20000; i++)
		enas_buf_printf(&b, "k%d: %d\n", i, i);
	t = now_ms();
	r = accepted("a mapping of 20 000 keys", b.data, b.len, 0);
	t = now_ms() - t;
	printf("# 20 000 keys parsed in %.2f ms\n", t);
	ok(r && r->root->nchild == 20000 && scalar_is(enas_node_get(r->root,
	    "k19999"), "19999", 20000, 9), "  ... all 20 000 of them");
	enas_record_free(r);
	enas_buf_puts(&b, "k5: again\n");
	t = now_ms();
	refused("a duplicate among 20 000 keys", b.data, b.len, 0,
	    "20001:1: duplicate key 'k5' (first at line 6)", 1);
	t = now_ms() - t;
	printf("# duplicate found in %.2f ms\n", t);

	/* Two large mappings with the same keys are not duplicates. */
	b.len = 0;
	enas_buf_puts(&b, "a:\n");
	for (i = 0; i < 100; i++)
		enas_buf_printf(&b, "  k%d: 1\n", i);
	enas_buf_puts(&b, "b:\n");
	for (i = 0; i < 100; i++)
		enas_buf_printf(&b, "  k%d: 1\n", i);
	r = accepted("two mappings of 100 equal keys", b.data, b.len, 0);
	enas_record_free(r);
	enas_buf_puts(&b, "  k99: 2\n");
	refused("a duplicate in the second of them", b.data, b.len, 0,
	    "203:3: duplicate key 'k99' (first at line 202)", 1);
	enas_buf_free(&b);
}

/* "record parse FILE [rules]": exit 0 accepted, 1 refused, 2 error. */
static int
parse_one(const char *path, unsigned flags)
{
	struct enas_buf b = ENAS_BUF_INIT;
	struct enas_record *r = NULL;
	int rc;

	if ((rc = enas_file_read(&b, path, ENAS_RECORD_MAX + 1)) == 0)
		rc = enas_record_parse(&r, b.data, b.len, path, flags, NULL,
		    NULL);
	enas_record_free(r);
	enas_buf_free(&b);
	if (rc == ENAS_ENOMEM)
		fprintf(stderr, "record: %s\n", enas_error_last());
	return rc == 0 ? 0 : rc == ENAS_EDATA ? 1 : 2;
}

/*
 * Check that s is refused with want, "FILE:LINE:COL: message", as its
 * first diagnostic.
 */
static void
refused_at(const char *what, const char *s, const char *want)
{
	struct enas_record *r = NULL;
	char got[1024];
	int rc;

	rc = parse(&r, s, strlen(s), 0);
	snprintf(got, sizeof(got), "%s:%s", diagfile, ndiag ? diags[0] : "");
	ok(rc == ENAS_EDATA && !r && ndiag > 0 && strcmp(got, want) == 0,
	    "%s: %s", what, want);
	if (rc != ENAS_EDATA || strcmp(got, want) != 0) {
		printf("#   rc %d, got %s\n", rc, ndiag ? got : "nothing");
		show_diags();
	}
	enas_record_free(r);
}

/*
 * What the YAML test suite found (tests/unit/yamlsuite.c): inputs that
 * libyaml accepts although they are invalid, a line break it loses, and
 * the tab messages, which say what the tab is.
 */
static void
test_suite_fixes(void)
{
	struct enas_record *r;
	const struct enas_node *n;

	/* 9C9N, QB6E: continuation lines indented no more than the key. */
	refused_at("a flow list continued at column 1",
	    "flow: [a,\nb,\nc]\n", "test.yaml:2:1: this line continues "
	    "the value that starts on line 1: indent it by at least 1 space");
	refused_at("a quoted value continued at column 1",
	    "quoted: \"a\nb\nc\"\n", "test.yaml:2:1: this line continues "
	    "the value that starts on line 1: indent it by at least 1 space");
	refused_at("a nested quoted value continued under its key",
	    "a:\n  b: 'x\n  y'\n", "test.yaml:3:3: this line continues "
	    "the value that starts on line 2: indent it by at least 3 "
	    "spaces");
	refused_at("a list item's flow mapping continued under its '-'",
	    "l:\n  - {a: 1,\n  b: 2}\n", "test.yaml:3:3: this line continues "
	    "the value that starts on line 2: indent it by at least 3 "
	    "spaces");
	r = accepted("continuation lines indented more than the key",
	    "a:\n  b: 'x\n   y'\n  c: [1,\n   2]\n  d: \"p\n\n   q\"\n",
	    strlen("a:\n  b: 'x\n   y'\n  c: [1,\n   2]\n  d: \"p\n\n   "
	    "q\"\n"), 0);
	n = r ? enas_node_path(r->root, "a.c") : NULL;
	ok(r && scalar_is(enas_node_path(r->root, "a.b"), "x y", 2, 6) &&
	    n && n->type == ENAS_SEQ && n->nchild == 2 &&
	    scalar_is(enas_node_path(r->root, "a.d"), "p\nq", 6, 6),
	    "and read as YAML reads them");
	enas_record_free(r);

	/* SU5Z, X4QW: a '#' with no space before it is no comment. */
	refused_at("a comment right after a quoted value",
	    "key: \"value\"# invalid comment\n", "test.yaml:1:13: '#' right "
	    "after a quoted value: a comment needs a space before it");
	refused_at("a comment right after '>'", "block: ># comment\n  x\n",
	    "test.yaml:1:9: '#' right after '>': a comment needs a space "
	    "before it");
	refused_at("a comment right after '|-'", "block: |-# comment\n  x\n",
	    "test.yaml:1:10: '#' right after '|': a comment needs a space "
	    "before it");

	/* L24T/01: the last line break of a literal block is kept. */
	r = accepted("a literal block ending in a line of spaces",
	    "foo: |\n  x\n   ", 14, 0);
	ok(r && scalar_is(enas_node_get(r->root, "foo"), "x\n \n", 1, 6),
	    "keeps its last line break");
	enas_record_free(r);
	r = accepted("the same block with '-'", "foo: |-\n  x\n   ", 15, 0);
	ok(r && scalar_is(enas_node_get(r->root, "foo"), "x\n ", 1, 6),
	    "strips it");
	enas_record_free(r);

	/* The tab messages say what the tab is. */
	refused_at("a tab as indentation", "a:\n\tb: 1\n",
	    "test.yaml:2:1: tab used for indentation; indent with spaces");
	refused_at("a tab after the indentation", "a:\n \tb\n",
	    "test.yaml:2:2: tab after the indentation, at the start of the "
	    "text; write spaces there");
	refused_at("a tab as content of a literal block",
	    "a: |\n  \tx\n", "test.yaml:2:3: tab after the indentation, at "
	    "the start of the text; write spaces there");
	refused_at("a tab alone on a line", "a: 1\n\t\nb: 2\n",
	    "test.yaml:2:1: tab on a blank line; remove it");
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "parse") == 0)
		return parse_one(argv[2], argc > 3 ? ENAS_PARSE_RULES : 0);
	test_example();
	test_each();
	test_strings();
	test_rules_keys();
	test_fixtures();
	test_more_refusals();
	test_huge();
	test_suite_fixes();
	return tap_done();
}
