/*
 * enas-ls: the ids of the records of a kind that match where-
 * expressions, or a TSV table of chosen fields.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "expr.h"
#include "find.h"
#include "i18n.h"
#include "kinds.h"
#include "layout.h"
#include "record.h"
#include "repo.h"
#include "tool.h"

static int bad;		/* records that could not be read or parsed */

struct row {
	char *id;
	char *line;	/* the fields after the id, tab-separated, or NULL */
};

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-ls [-0] [-C dir] [-f fields] [-r rev] "
	    "[-w expr]... kind\n"), fp);

	exit(status);
}

struct collect {
	struct enas_buf *b;
	int n;		/* values written so far in this cell */
};

/* One value of a field: scalars as they are, items joined by ','. */
static int
each_value(void *ctx, const struct enas_node *n)
{
	struct collect *cl = ctx;
	struct enas_buf text = ENAS_BUF_INIT;
	const struct enas_node *c;
	int rc = 0;

	if (n->type == ENAS_SEQ) {
		for (c = n->child; c && rc == 0; c = c->next)
			rc = each_value(ctx, c);
		return rc;
	}
	if (enas_node_empty(n))
		return 0;
	if (cl->n++ && enas_buf_add(cl->b, ",", 1) < 0)
		return 1;
	if (n->type == ENAS_SCALAR)
		return tool_tsv_cell(cl->b, n->value, n->len) < 0;
	rc = enas_node_text(&text, n) < 0 || tool_tsv_cell(cl->b, text.data,
	    text.len) < 0;
	enas_buf_free(&text);
	return rc;
}

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return strcmp(x->id, y->id);
}

/* The fields of -f, checked against the rules; "id" may be one. */
static char **
split_fields(const struct enas_rules *r, char *list, size_t *n)
{
	char **f, **more, *s, *save = NULL;
	size_t cap = 8;

	*n = 0;
	if (!(f = calloc(cap, sizeof(*f))))
		err(2, NULL);
	for (s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",",
	    &save)) {
		if (strcmp(s, "id") != 0 && !enas_rules_field(r, s)) {
			free(f);
			errx(2, _("-f %s: field not declared in %s"), s, r->file);
		}
		if (*n + 1 == cap) {
			if (!(more = realloc(f, (cap *= 2) * sizeof(*f))))
				err(2, NULL);
			f = more;
		}
		f[(*n)++] = s;
	}
	if (*n == 0)
		errx(2, _("-f: no fields given"));
	return f;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "where", required_argument, NULL, 'w' },
		{ "fields", required_argument, NULL, 'f' },
		{ "rev", required_argument, NULL, 'r' },
		{ "null", no_argument, NULL, '0' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_buf under = ENAS_BUF_INIT, buf = ENAS_BUF_INIT;
	struct enas_buf line = ENAS_BUF_INIT;
	struct enas_snapshot *rsnap = NULL, *snap = NULL;
	struct enas_kinds *kinds = NULL;
	struct enas_repo *repo = NULL;
	struct enas_record *rec;
	struct enas_expr **exprs;
	struct row *rows = NULL;
	const struct enas_rules *r;
	const struct enas_entry *e;
	const char *dir = NULL, *rev = NULL, *base;
	char *fieldlist = NULL, **fields = NULL, **wheres, name[512];
	size_t nw = 0, nf = 0, i, j, nrows = 0, len;
	int ch, zero = 0, parse, rc, keep;
	char term;

	tool_init("enas-ls", argc, argv);
	if (!(wheres = calloc((size_t)argc + 1, sizeof(*wheres))))
		err(2, NULL);
	while ((ch = getopt_long(argc, argv, "0C:f:hr:w:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case '0':
			zero = 1;
			break;
		case 'C':
			dir = optarg;
			break;
		case 'f':
			fieldlist = optarg;
			break;
		case 'r':
			rev = optarg;
			break;
		case 'w':
			wheres[nw++] = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(stderr, 2);
	term = zero ? '\0' : '\n';
	if (dir && chdir(dir) < 0)
		err(2, "%s", dir);

	if ((rc = enas_repo_open(&repo, NULL, 0)) < 0)
		tool_fail(rc);
	if (!rev && !enas_repo_workdir(repo))
		rev = "HEAD";
	if ((rc = enas_snapshot_under(&rsnap, repo, rev ? ENAS_COMMIT :
	    ENAS_WORKTREE, rev, ENAS_RULES_DIR)) < 0 ||
	    (rc = tool_kinds(&kinds, rsnap)) < 0)
		tool_fail(rc);
	if (!(r = enas_kinds_find(kinds, argv[0])))
		errx(2, _("no kind '%.64s' in %s%s"), argv[0], rsnap->prefix,
		    ENAS_RULES_DIR);
	/* sizeof(*p) of an array of pointers: a false positive. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (!(exprs = calloc(nw + 1, sizeof(*exprs))))
		err(2, NULL);
	for (i = 0; i < nw; i++)
		if ((rc = enas_expr_compile(&exprs[i], wheres[i], r)) < 0)
			tool_fail(rc == ENAS_ENOMEM ? rc : enas_error_prefix(rc,
			    "-w "));
	if (fieldlist)
		fields = split_fields(r, fieldlist, &nf);
	/* Only the file names are needed to list every id. */
	parse = nw > 0;
	for (i = 0; i < nf; i++)
		parse |= strcmp(fields[i], "id") != 0;

	if (enas_buf_printf(&under, "%s/%s", ENAS_RECORDS_DIR, r->dir) < 0 ||
	    (rc = enas_snapshot_under(&snap, repo, rev ? ENAS_COMMIT :
	    ENAS_WORKTREE, rev, under.data)) < 0)
		tool_fail(rc < 0 ? rc : ENAS_ENOMEM);
	if (!(rows = calloc(snap->n + 1, sizeof(*rows))))
		err(2, NULL);
	for (i = 0; i < snap->n; i++) {
		e = &snap->entries[i];
		/* Only what enas-check accepts is listed (lib/layout). */
		if (!enas_layout_kind_path(r, e->path + under.len + 1))
			continue;
		base = strrchr(e->path, '/') + 1;
		len = strlen(base);
		rec = NULL;
		if (parse) {
			snprintf(name, sizeof(name), "%s%s", snap->prefix,
			    e->path);
			if ((rc = enas_snapshot_read(snap, e, &buf,
			    1024 * 1024)) < 0) {
				if (rc != ENAS_EDATA)
					tool_fail(rc);
				fprintf(stderr, "%s: error: %s\n", name,
				    enas_error_last());
				bad++;
				continue;
			}
			rc = enas_record_parse(&rec, buf.data, buf.len, name,
			    0, tool_print_diag, NULL);
			if (rc == ENAS_EDATA)
				continue;
			if (rc < 0)
				tool_fail(rc);
		}
		for (j = 0, keep = 1; j < nw && keep; j++) {
			if ((rc = enas_expr_eval(exprs[j], rec->root)) < 0) {
				fprintf(stderr, "%s: error: -w %s: %s\n", name,
				    wheres[j], enas_error_last());
				bad++;
			}
			keep = rc == 1;
		}
		if (keep) {
			if (!(rows[nrows].id = strndup(base, len - 5)))
				err(2, NULL);
			line.len = 0;
			for (j = 0; j < nf; j++) {
				struct collect cl = { &line, 0 };

				if (j && enas_buf_add(&line, "\t", 1) < 0)
					tool_fail(ENAS_ENOMEM);
				if (strcmp(fields[j], "id") == 0) {
					if (tool_tsv_cell(&line, rows[nrows].id,
					    len - 5) < 0)
						tool_fail(ENAS_ENOMEM);
				} else if (rec && enas_node_each(rec->root,
				    fields[j], each_value, &cl) != 0)
					tool_fail(ENAS_ENOMEM);
			}
			if (nf && !(rows[nrows].line = strdup(line.data ?
			    line.data : "")))
				err(2, NULL);
			nrows++;
		}
		enas_record_free(rec);
	}
	qsort(rows, nrows, sizeof(*rows), cmp_row);
	if (nf && nrows) {
		for (j = 0; j < nf; j++)
			printf("%s%s", j ? "\t" : "", fields[j]);
		putchar(term);
	}
	for (i = 0; i < nrows; i++) {
		if (nf)
			printf("%s%c", rows[i].line, term);
		else
			printf("%s%c", rows[i].id, term);
		free(rows[i].id);
		free(rows[i].line);
	}
	for (i = 0; i < nw; i++)
		enas_expr_free(exprs[i]);
	free(exprs);
	free(wheres);
	free(fields);
	free(rows);
	enas_kinds_free(kinds);
	enas_snapshot_free(rsnap);
	enas_snapshot_free(snap);
	enas_repo_free(repo);
	enas_buf_free(&under);
	enas_buf_free(&buf);
	enas_buf_free(&line);
	tool_flush_stdout();
	return nrows == 0 || bad + tool_nerrors > 0;
}
