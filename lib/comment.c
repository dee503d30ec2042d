/*
 * comment.c: find the comments of a record, which libyaml's event API
 * skips without a word.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "comment.h"
#include "i18n.h"

/* A scalar's place in characters from the start, as libyaml counts. */
struct span {
	size_t start, end;
	int block;		/* a literal or folded block scalar */
};

static void
report(const char *file, size_t line, size_t col, enas_diag_fn fn,
    void *ctx)
{
	enas_diag_report(fn, ctx, file, (int)line + 1, (int)col + 1,
	    ENAS_ERROR, NULL, NULL, "%s", _("a comment; records hold no "
	    "comments (a name or a note would escape every rule there): "
	    "remove it"));
}

int
enas_comment_check(const char *buf, size_t len, const char *file,
    enas_diag_fn fn, void *ctx)
{
	const unsigned char *u = (const unsigned char *)buf;
	struct span *v = NULL, *grown;
	yaml_parser_t p;
	yaml_token_t t;
	size_t n = 0, cap = 0, i, ci, line, col, s, reported = 0, last = 0;
	int rc = 0, done = 0, header = 0;

	/* Most records have no '#' at all: nothing to scan. */
	if (!memchr(buf, '#', len))
		return 0;
	if (!yaml_parser_initialize(&p))
		return enas_error_nomem();
	yaml_parser_set_input_string(&p, u, len);
	while (!done) {
		if (!yaml_parser_scan(&p, &t))
			goto out;	/* the parser reported it already */
		done = t.type == YAML_STREAM_END_TOKEN;
		if (t.type == YAML_SCALAR_TOKEN) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				if (!(grown = realloc(v, cap * sizeof(*v)))) {
					yaml_token_delete(&t);
					rc = enas_error_nomem();
					goto out;
				}
				v = grown;
			}
			v[n].start = t.start_mark.index;
			v[n].end = t.end_mark.index;
			v[n].block = t.data.scalar.style ==
			    YAML_LITERAL_SCALAR_STYLE || t.data.scalar.style ==
			    YAML_FOLDED_SCALAR_STYLE;
			n++;
		}
		yaml_token_delete(&t);
	}
	/*
	 * Walk the text by characters, as libyaml's marks count them.  A
	 * '#' outside every scalar is one that libyaml skipped as a
	 * comment; so is one on a block scalar's header line ("| # x").
	 */
	for (i = ci = line = col = s = 0; i < len; i++) {
		if ((u[i] & 0xc0) == 0x80)
			continue;	/* inside a character */
		while (s < n && v[s].end <= ci)
			s++;
		if (s < n && ci == v[s].start && v[s].block)
			header = 1;
		if (u[i] == '#' && (s == n || ci < v[s].start || header) &&
		    (reported == 0 || line != last)) {
			report(file, line, col, fn, ctx);
			reported++;
			last = line;
		}
		if (u[i] == '\n') {
			line++;
			col = 0;
			header = 0;
		} else
			col++;
		ci++;
	}
	rc = (int)reported;
out:
	free(v);
	yaml_parser_delete(&p);
	return rc;
}
