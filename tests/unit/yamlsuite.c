/*
 * yamlsuite.c: the record parser (lib/record.c) over the YAML
 * maintainers' own test suite, printing TAP.
 *
 * The suite (the yaml-test-suite data release, MIT) is one directory
 * per test, or per test case in subdirectories 00, 01...: in.yaml the
 * input, test.event the events a conforming parser yields, in.json the
 * data where JSON can hold it, and a file named error when the input is
 * not valid YAML.  It is found as $ENAS_YAML_SUITE, else as
 * $ENAS_SRC/../shared/yaml-test-suite; without it the test says why and
 * skips.
 *
 * Every input must be either refused with a located diagnostic (each
 * diagnostic at line >= 1 and column >= 1), or accepted as exactly the
 * data the suite expects; an input marked error must never be accepted.
 *
 * The comparison.  The subset keeps every scalar as the string that was
 * written (SPEC §3: a rule gives it a type later), so the fair yardstick
 * is the scalar's text, which test.event holds exactly for every test:
 * in.json would turn 1.0 into 1, and "true" and true into the same
 * thing, and is absent for the tests that JSON cannot hold.  The
 * accepted tree is written as the suite's node events, +MAP, -MAP, +SEQ,
 * -SEQ and =VAL with the scalar's text escaped as test.event escapes it
 * (\\, \b, \n, \r, \t), and compared line by line with test.event's node
 * events; what the subset refuses anyway (anchors, tags) or does not
 * keep (the stream and document markers, the flow or block style of a
 * collection, which quote a scalar had) is left out of both.  A quoted
 * scalar must still have been read as quoted ('...' or "..." in the
 * event), and a plain one as not.
 *
 * Known deviations, inputs on which the parser is still wrong, are
 * listed in deviations[] with the reason, and reported as TAP TODO
 * tests: never skipped silently.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "enas.h"
#include "record.h"

#include "tap.h"

/* Inputs the parser still gets wrong, each with why. */
static const struct {
	const char *id;
	const char *why;
} deviations[] = {
	/* None remain: the five the suite found are fixed in record.c. */
	{ NULL, NULL }
};

struct result {
	int ndiag;
	int unlocated;		/* diagnostics without line and column */
	char first[512];	/* the first diagnostic, "LINE:COL: msg" */
};

static void
collect(void *ctx, const struct enas_diag *d)
{
	struct result *res = ctx;

	if (res->ndiag++ == 0)
		snprintf(res->first, sizeof(res->first), "%d:%d: %s",
		    d->line, d->col, d->msg);
	if (d->line < 1 || d->col < 1)
		res->unlocated++;
}

/* a/b into out (n bytes); 0, or -1 when it does not fit. */
static int
join(char *out, size_t n, const char *a, const char *b)
{
	int w = snprintf(out, n, "%s/%s", a, b);

	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int
exists(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;

	return join(path, sizeof(path), dir, name) == 0 &&
	    stat(path, &st) == 0;
}

/* Append s (n bytes) to b escaped as test.event escapes a scalar. */
static void
put_escaped(struct enas_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (s[i]) {
		case '\\':
			enas_buf_puts(b, "\\\\");
			break;
		case '\b':
			enas_buf_puts(b, "\\b");
			break;
		case '\n':
			enas_buf_puts(b, "\\n");
			break;
		case '\r':
			enas_buf_puts(b, "\\r");
			break;
		case '\t':
			enas_buf_puts(b, "\\t");
			break;
		default:
			enas_buf_add(b, s + i, 1);
		}
}

/*
 * Write node n (and, for a member of a mapping, its key first) as
 * events into b, one per line.
 */
static void
put_node(struct enas_buf *b, const struct enas_node *n)
{
	const struct enas_node *c;

	if (n->key) {
		enas_buf_puts(b, "=VAL :");
		put_escaped(b, n->key, strlen(n->key));
		enas_buf_puts(b, "\n");
	}
	switch (n->type) {
	case ENAS_SCALAR:
		enas_buf_puts(b, n->quoted ? "=VAL \"" : "=VAL :");
		put_escaped(b, n->value, n->len);
		enas_buf_puts(b, "\n");
		break;
	case ENAS_MAP:
	case ENAS_SEQ:
		enas_buf_puts(b, n->type == ENAS_MAP ? "+MAP\n" : "+SEQ\n");
		for (c = n->child; c; c = c->next)
			put_node(b, c);
		enas_buf_puts(b, n->type == ENAS_MAP ? "-MAP\n" : "-SEQ\n");
		break;
	}
}

/*
 * The node events of a test.event text (n bytes) into b, as put_node()
 * writes them: collection styles, anchors and tags dropped, a quoted
 * scalar's style folded into '"', the other styles into ':'.
 */
static void
suite_events(struct enas_buf *b, const char *s, size_t n)
{
	const char *end = s + n, *nl, *v;
	size_t len;

	for (; s < end; s = nl + 1) {
		if (!(nl = memchr(s, '\n', (size_t)(end - s))))
			nl = end;
		len = (size_t)(nl - s);
		if (len >= 4 && (memcmp(s, "+MAP", 4) == 0 ||
		    memcmp(s, "-MAP", 4) == 0 || memcmp(s, "+SEQ", 4) == 0 ||
		    memcmp(s, "-SEQ", 4) == 0)) {
			enas_buf_add(b, s, 4);
			enas_buf_puts(b, "\n");
		} else if (len >= 5 && memcmp(s, "=VAL ", 5) == 0) {
			/* Skip the anchor and tag, to the style indicator. */
			for (v = s + 5; v < nl && (*v == '&' || *v == '<');) {
				while (v < nl && *v != ' ')
					v++;
				if (v < nl)
					v++;
			}
			if (v >= nl)
				continue;
			enas_buf_puts(b, *v == '\'' || *v == '"' ? "=VAL \"" :
			    "=VAL :");
			enas_buf_add(b, v + 1, (size_t)(nl - v - 1));
			enas_buf_puts(b, "\n");
		} else if (len >= 4 && memcmp(s, "=ALI", 4) == 0) {
			enas_buf_puts(b, "=ALI\n");
		}
		if (nl == end)
			break;
	}
}

static const char *
deviation(const char *id)
{
	size_t i;

	for (i = 0; deviations[i].id; i++)
		if (strcmp(deviations[i].id, id) == 0)
			return deviations[i].why;
	return NULL;
}

static int n_equal, n_refused, n_invalid, n_dev;

/*
 * A TAP test that may be a known deviation: reported as TODO, which
 * prove does not count as a failure.
 */
static void
check(int cond, const char *id, const char *fmt, const char *detail)
{
	const char *why = deviation(id);

	ntest++;
	if (!cond && !why)
		nfail++;
	printf("%sok %d - %s: ", cond ? "" : "not ", ntest, id);
	printf(fmt, detail);
	if (why) {
		printf(" # TODO %s", why);
		n_dev++;
	}
	putchar('\n');
}

/* Run one test case: the directory dir, named id. */
static void
run_case(const char *dir, const char *id)
{
	struct enas_buf in = ENAS_BUF_INIT, ev = ENAS_BUF_INIT;
	struct enas_buf want = ENAS_BUF_INIT, got = ENAS_BUF_INIT;
	struct enas_record *r = NULL;
	struct result res = { 0, 0, "" };
	char path[4096];
	int rc, invalid;

	invalid = exists(dir, "error");
	if (join(path, sizeof(path), dir, "in.yaml") < 0 ||
	    enas_file_read(&in, path, 1 << 20) < 0) {
		check(0, id, "in.yaml is read (%s)", enas_error_last());
		goto out;
	}
	rc = enas_record_parse(&r, in.data, in.len, "in.yaml", 0, collect,
	    &res);
	if (rc == ENAS_EDATA) {
		check(res.ndiag > 0 && res.unlocated == 0, id,
		    "refused at %s", res.first);
		if (invalid)
			n_invalid++;
		else
			n_refused++;
		goto out;
	}
	if (rc < 0) {
		check(0, id, "parsed (%s)", enas_error_last());
		goto out;
	}
	if (invalid) {
		check(0, id, "%s", "marked invalid, and refused");
		goto out;
	}
	if (join(path, sizeof(path), dir, "test.event") < 0 ||
	    enas_file_read(&ev, path, 1 << 20) < 0) {
		check(0, id, "test.event is read (%s)", enas_error_last());
		goto out;
	}
	suite_events(&want, ev.data, ev.len);
	enas_buf_puts(&want, "");
	put_node(&got, r->root);
	enas_buf_puts(&got, "");
	check(strcmp(want.data, got.data) == 0, id, "%s",
	    "accepted as the data the suite expects");
	if (strcmp(want.data, got.data) != 0)
		printf("# want:\n%s# got:\n%s", want.data, got.data);
	else
		n_equal++;
out:
	enas_record_free(r);
	enas_buf_free(&in);
	enas_buf_free(&ev);
	enas_buf_free(&want);
	enas_buf_free(&got);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names of the subdirectories of dir, sorted, in *out (n of them);
 * the caller frees each and the array.  Returns -1 if dir is unreadable.
 */
/*
 * gcc 12's -fanalyzer loses the names once they are stored in v and v
 * goes through qsort, and calls each one leaked; free_names() frees
 * them all.  Silenced for this function only, and only for gcc.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static int
subdirs(const char *dir, char ***out, size_t *n)
{
	char **v = NULL, **nv, *name, path[4096];
	struct dirent *de;
	struct stat st;
	size_t cap = 0, k = 0;
	DIR *d;

	*out = NULL;
	*n = 0;
	if (!(d = opendir(dir)))
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (join(path, sizeof(path), dir, de->d_name) < 0 ||
		    stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nv = realloc(v, cap * sizeof(*v))))
				break;
			v = nv;
		}
		if (!(name = strdup(de->d_name)))
			break;
		v[k++] = name;
	}
	closedir(d);
	if (k)
		qsort(v, k, sizeof(*v), cmp_name);
	*out = v;
	*n = k;
	return 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static void
free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
main(void)
{
	const char *suite = getenv("ENAS_YAML_SUITE"), *src;
	char top[4096], buf[4096], dir[4096], id[300], **tests, **cases;
	size_t ntests, ncases, i, j;

	if (!suite || !*suite) {
		src = getenv("ENAS_SRC");
		if (join(top, sizeof(top), src && *src ? src : ".",
		    "../shared/yaml-test-suite") < 0)
			top[0] = '\0';
		suite = top;
	}
	if (subdirs(suite, &tests, &ntests) < 0 || ntests == 0) {
		printf("1..0 # SKIP no YAML test suite at %s (set "
		    "ENAS_YAML_SUITE to its directory)\n", suite);
		free_names(tests, ntests);
		return 0;
	}
	for (i = 0; i < ntests; i++) {
		if (join(dir, sizeof(dir), suite, tests[i]) < 0)
			continue;
		if (exists(dir, "in.yaml")) {
			run_case(dir, tests[i]);
			continue;
		}
		if (subdirs(dir, &cases, &ncases) < 0)
			continue;
		for (j = 0; j < ncases; j++) {
			if (join(buf, sizeof(buf), dir, cases[j]) == 0 &&
			    join(id, sizeof(id), tests[i], cases[j]) == 0 &&
			    exists(buf, "in.yaml"))
				run_case(buf, id);
		}
		free_names(cases, ncases);
	}
	free_names(tests, ntests);
	for (i = 0; deviations[i].id; i++)
		;
	printf("# accepted and equal: %d\n", n_equal);
	printf("# refused (valid YAML outside the subset): %d\n", n_refused);
	printf("# invalid and refused: %d\n", n_invalid);
	printf("# known deviations (TODO): %d of %zu listed\n", n_dev, i);
	return tap_done();
}
