/*
 * enas-stats: statistics from the committed records (SPEC §7).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "period.h"
#include "repo.h"
#include "rules.h"
#include "stats.h"
#include "suppress.h"

enum format { TSV, CSV, JSON, TABLE };

static struct enas_buf out = ENAS_BUF_INIT;

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: enas-stats [-C dir] kind [-g field[:t][,...]] "
	    "[-s field[,...]] [-w expr]...\n"
	    "                  [-D | -W | -M | -Q | -Y] [-b date] [-e date] "
	    "[-p period]\n"
	    "                  [-r rev | -a date] [--history] [-k n] "
	    "[--publish]\n"
	    "                  [-O tsv|csv|json|table] [--no-header] [-v]\n");
	exit(status);
}

static void
print_diag(void *ctx, const struct enas_diag *d)
{
	char line[4096];

	(void)ctx;
	enas_diag_format(line, sizeof(line), d);
	fprintf(stderr, "%s\n", line);
}

static void
nomem(void)
{
	errx(2, "out of memory");
}

/* Add each comma-separated item of arg to *v. */
static void
split(const char ***v, size_t *n, char *arg, const char *opt)
{
	const char **more;
	char *item, *save = NULL;

	for (item = strtok_r(arg, ",", &save); item;
	    item = strtok_r(NULL, ",", &save)) {
		if (!(more = realloc(*v, (*n + 1) * sizeof(**v))))
			nomem();
		*v = more;
		(*v)[(*n)++] = item;
	}
	if (!*n)
		errx(2, "%s: no field named", opt);
}

/* A date or a period: its first day, or the day after it with end. */
static long long
when(const char *s, const char *opt, int end)
{
	long long b, e;

	if (enas_period_parse(&b, &e, NULL, s) < 0)
		errx(2, "%s %s: not a date (YYYY-MM-DD) or a period (2024, "
		    "2024Q4, 2024-11, 2024-W07)", opt, s);
	return end ? e : b;
}

static long long
number(const char *s, const char *opt, long long max)
{
	char *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0 || v > max)
		errx(2, "%s %s: not a whole number from 0 to %lld", opt, s,
		    max);
	return v;
}

/* --- cells as text --- */

static const char *
figure(char *buf, size_t size, const struct enas_stats *st,
    const struct enas_stats_cell *c, size_t i)
{
	long long v = i == 0 ? c->count : c->sums[i - 1];

	if (c->mark == ENAS_CELL_PRIMARY)
		snprintf(buf, size, "<%lld", st->min_cell);
	else if (c->mark == ENAS_CELL_SECONDARY)
		snprintf(buf, size, "x");
	else
		snprintf(buf, size, "%lld", v);
	return buf;
}

/* The figures of a row: the count, then each sum. */
static size_t
nfigures(const struct enas_stats *st)
{
	return 1 + st->nsums;
}

static const char *
figure_name(const struct enas_stats *st, size_t i)
{
	return i == 0 ? "count" : st->sum_names[i - 1];
}

static const char *
period_name(char buf[ENAS_PERIOD_NAME], const struct enas_stats *st,
    size_t i)
{
	enas_period_name(buf, st->interval, st->periods[i]);
	return buf;
}

/* TSV: tabs, newlines and backslashes in values are escaped. */
static void
tsv_cell(const char *s, int first)
{
	if (!first && enas_buf_add(&out, "\t", 1) < 0)
		nomem();
	for (; s && *s; s++) {
		const char *esc = *s == '\t' ? "\\t" : *s == '\n' ? "\\n" :
		    *s == '\r' ? "\\r" : *s == '\\' ? "\\\\" : NULL;

		if (esc ? enas_buf_puts(&out, esc) < 0 :
		    enas_buf_add(&out, s, 1) < 0)
			nomem();
	}
}

/*
 * CSV (RFC 4180): quoted when it holds a comma, a quote or a line
 * break; a value that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a carriage return) is neutralised with a
 * leading apostrophe, unless it is a plain number.
 */
static void
csv_cell(const char *s, int first)
{
	int formula, quote, number = 1;
	const char *p;

	if (!s)
		s = "";
	if (!first && enas_buf_add(&out, ",", 1) < 0)
		nomem();
	for (p = *s == '-' ? s + 1 : s; *p; p++)
		if (*p < '0' || *p > '9')
			number = 0;
	if (!*s || (*s == '-' && !s[1]))
		number = 0;
	formula = !number && strchr("=+-@\t\r", *s) && *s;
	quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote && enas_buf_add(&out, "\"", 1) < 0)
		nomem();
	if (formula && enas_buf_add(&out, "'", 1) < 0)
		nomem();
	for (p = s; *p; p++)
		if ((*p == '"' && enas_buf_add(&out, "\"", 1) < 0) ||
		    enas_buf_add(&out, p, 1) < 0)
			nomem();
	if (quote && enas_buf_add(&out, "\"", 1) < 0)
		nomem();
}

static void
cell(enum format f, const char *s, int first)
{
	if (f == CSV)
		csv_cell(s, first);
	else
		tsv_cell(s, first);
}

static void
end_line(enum format f)
{
	if (enas_buf_puts(&out, f == CSV ? "\r\n" : "\n") < 0)
		nomem();
	if (out.len > 65536) {
		if (fwrite(out.data, 1, out.len, stdout) != out.len)
			err(2, "standard output");
		out.len = 0;
	}
}

static void
print_delimited(const struct enas_stats *st, enum format f, int header)
{
	char pbuf[ENAS_PERIOD_NAME], fbuf[32];
	size_t r, i;
	int first;

	if (header) {
		first = 1;
		if (st->interval) {
			cell(f, "period", first);
			first = 0;
		}
		for (i = 0; i < st->ngroups; i++, first = 0)
			cell(f, st->group_names[i], first);
		for (i = 0; i < nfigures(st); i++, first = 0)
			cell(f, figure_name(st, i), first);
		end_line(f);
	}
	for (r = 0; r < st->nrows; r++) {
		const struct enas_stats_row *row = &st->rows[r];

		first = 1;
		if (st->interval) {
			cell(f, period_name(pbuf, st, row->period), first);
			first = 0;
		}
		for (i = 0; i < st->ngroups; i++, first = 0)
			cell(f, row->keys[i], first);
		for (i = 0; i < nfigures(st); i++, first = 0)
			cell(f, figure(fbuf, sizeof(fbuf), st, &row->cell, i),
			    first);
		end_line(f);
	}
}

static void
json_str(const char *s)
{
	if (!s) {
		if (enas_buf_puts(&out, "null") < 0)
			nomem();
	} else if (enas_buf_json(&out, s, strlen(s)) < 0)
		nomem();
}

static void
print_json(const struct enas_stats *st)
{
	char pbuf[ENAS_PERIOD_NAME];
	size_t r, i;

	if (enas_buf_puts(&out, st->nrows ? "[\n" : "[") < 0)
		nomem();
	for (r = 0; r < st->nrows; r++) {
		const struct enas_stats_row *row = &st->rows[r];

		if (enas_buf_puts(&out, "{") < 0)
			nomem();
		if (st->interval) {
			json_str("period");
			if (enas_buf_puts(&out, ": ") < 0)
				nomem();
			json_str(period_name(pbuf, st, row->period));
			if (enas_buf_puts(&out, ", ") < 0)
				nomem();
		}
		for (i = 0; i < st->ngroups; i++) {
			json_str(st->group_names[i]);
			if (enas_buf_puts(&out, ": ") < 0)
				nomem();
			json_str(row->keys[i]);
			if (enas_buf_puts(&out, ", ") < 0)
				nomem();
		}
		for (i = 0; i < nfigures(st); i++) {
			json_str(figure_name(st, i));
			if (row->cell.mark ? enas_buf_puts(&out, ": null") < 0 :
			    enas_buf_printf(&out, ": %lld", i == 0 ?
			    row->cell.count : row->cell.sums[i - 1]) < 0)
				nomem();
			if (i + 1 < nfigures(st) && enas_buf_puts(&out,
			    ", ") < 0)
				nomem();
		}
		if ((row->cell.mark && enas_buf_puts(&out,
		    ", \"suppressed\": true") < 0) ||
		    (row->cell.mark == ENAS_CELL_SECONDARY &&
		    enas_buf_puts(&out, ", \"secondary\": true") < 0) ||
		    enas_buf_puts(&out, r + 1 < st->nrows ? "}," : "}") < 0)
			nomem();
		end_line(JSON);
	}
	if (enas_buf_puts(&out, "]\n") < 0)
		nomem();
}

/* --- an aligned table with totals --- */

struct tline {
	const char **cells;
	char (*own)[32];
};

static void
print_table(const struct enas_stats *st, int header)
{
	size_t ncols = (st->interval ? 1 : 0) + st->ngroups + nfigures(st);
	size_t nlines = st->nrows + st->ntotals + 1, l = 0, r, t, i, c;
	size_t *width;
	const char **cells;
	char (*text)[ENAS_PERIOD_NAME + 32];
	size_t fig0 = ncols - nfigures(st);

	if (!(width = calloc(ncols, sizeof(*width))) ||
	    !(cells = calloc(nlines * ncols, sizeof(*cells))) ||
	    !(text = calloc(nlines * ncols, sizeof(*text))))
		nomem();
	/* Fill the lines: header, rows, each followed by its totals. */
	c = 0;
	if (st->interval)
		cells[c++] = "period";
	for (i = 0; i < st->ngroups; i++)
		cells[c++] = st->group_names[i];
	for (i = 0; i < nfigures(st); i++)
		cells[c++] = figure_name(st, i);
	l = 1;
	for (r = 0; r < st->nrows; r++) {
		const struct enas_stats_row *row = &st->rows[r];
		const char **lc = cells + l * ncols;

		c = 0;
		if (st->interval)
			lc[c++] = period_name(text[l * ncols], st,
			    row->period);
		for (i = 0; i < st->ngroups; i++)
			lc[c++] = row->keys[i] ? row->keys[i] : "";
		for (i = 0; i < nfigures(st); i++, c++)
			lc[c] = figure(text[l * ncols + c], 32, st,
			    &row->cell, i);
		l++;
		for (t = 0; t < st->ntotals; t++) {
			const struct enas_stats_total *tt = &st->totals[t];
			const struct enas_stats_row *rep;

			if (tt->after != r)
				continue;
			rep = &st->rows[tt->row];
			lc = cells + l * ncols;
			c = 0;
			if (st->interval)
				lc[c++] = tt->col == 0 || st->history ?
				    period_name(text[l * ncols], st,
				    tt->period) : "total";
			for (i = 0; i < st->ngroups; i++)
				lc[c++] = i + 1 == st->ngroups ? (tt->col == 1 ?
				    (rep->keys[i] ? rep->keys[i] : "") :
				    "total") : tt->col == 0 ? (rep->keys[i] ?
				    rep->keys[i] : "") : "total";
			for (i = 0; i < nfigures(st); i++, c++)
				lc[c] = figure(text[l * ncols + c], 32, st,
				    &tt->cell, i);
			l++;
		}
	}
	for (r = header ? 0 : 1; r < l; r++)
		for (c = 0; c < ncols; c++)
			if (strlen(cells[r * ncols + c]) > width[c])
				width[c] = strlen(cells[r * ncols + c]);
	for (r = header ? 0 : 1; r < l; r++) {
		for (c = 0; c < ncols; c++) {
			const char *s = cells[r * ncols + c];
			int last = c + 1 == ncols;

			if ((c >= fig0 ? enas_buf_printf(&out, "%*s",
			    (int)width[c], s) : last ? enas_buf_puts(&out, s) :
			    enas_buf_printf(&out, "%-*s", (int)width[c],
			    s)) < 0 || (!last && enas_buf_puts(&out, "  ") < 0))
				nomem();
		}
		end_line(TABLE);
	}
	free(width);
	free(cells);
	free(text);
}

/*
 * libgit2's settings for reading much: map packs in windows of 16 MiB,
 * at most 64 MiB at once, rather than whole (a cold run reads most of a
 * pack, and every page it touched would count as ours).
 */
static void
tune(void)
{
	if (git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)16 << 20) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT,
	    (size_t)64 << 20) < 0)
		errx(2, "cannot set libgit2's options: %s", git_error_last() ?
		    git_error_last()->message : "error");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "sum", required_argument, NULL, 's' },
		{ "where", required_argument, NULL, 'w' },
		{ "daily", no_argument, NULL, 'D' },
		{ "weekly", no_argument, NULL, 'W' },
		{ "monthly", no_argument, NULL, 'M' },
		{ "quarterly", no_argument, NULL, 'Q' },
		{ "yearly", no_argument, NULL, 'Y' },
		{ "begin", required_argument, NULL, 'b' },
		{ "end", required_argument, NULL, 'e' },
		{ "period", required_argument, NULL, 'p' },
		{ "rev", required_argument, NULL, 'r' },
		{ "at", required_argument, NULL, 'a' },
		{ "history", no_argument, NULL, 'H' },
		{ "min-cell", required_argument, NULL, 'k' },
		{ "publish", no_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'O' },
		{ "no-header", no_argument, NULL, 'N' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_stats_query q = ENAS_STATS_QUERY_INIT;
	struct enas_stats *st = NULL;
	struct enas_repo *repo = NULL;
	enum format fmt = isatty(1) ? TABLE : TSV;
	const char *dir = NULL, *period = NULL, *env, **where;
	long long k = -1;
	int ch, header = 1, publish = 0, verbose = 0, rc;

	while ((ch = getopt_long(argc, argv, "a:b:C:De:g:hk:MO:p:Qr:s:vWw:Y",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			split(&q.groups, &q.ngroups, optarg, "-g");
			break;
		case 's':
			split(&q.sums, &q.nsums, optarg, "-s");
			break;
		case 'w':
			if (!(where = realloc(q.where, (q.nwhere + 1) *
			    sizeof(*q.where))))
				nomem();
			q.where = where;
			q.where[q.nwhere++] = optarg;
			break;
		case 'D':
		case 'W':
		case 'M':
		case 'Q':
		case 'Y':
			if (q.interval)
				errx(2, "-D, -W, -M, -Q and -Y exclude each "
				    "other");
			q.interval = ch == 'D' ? ENAS_DAY : ch == 'W' ?
			    ENAS_WEEK : ch == 'M' ? ENAS_MONTH : ch == 'Q' ?
			    ENAS_QUARTER : ENAS_YEAR;
			break;
		case 'b':
			q.begin = when(optarg, "-b", 0);
			break;
		case 'e':
			q.end = when(optarg, "-e", 0);
			break;
		case 'p':
			period = optarg;
			break;
		case 'r':
			q.rev = optarg;
			break;
		case 'a':
			q.at = when(optarg, "-a", 1) - 1;
			break;
		case 'H':
			q.history = 1;
			break;
		case 'k':
			k = number(optarg, "-k", 1000000);
			if (k == 2)
				errx(2, "-k 2: <2 would say 1; use 3 or more "
				    "(or 0 for none)");
			break;
		case 'P':
			publish = 1;
			break;
		case 'O':
			if (strcmp(optarg, "tsv") == 0)
				fmt = TSV;
			else if (strcmp(optarg, "csv") == 0)
				fmt = CSV;
			else if (strcmp(optarg, "json") == 0)
				fmt = JSON;
			else if (strcmp(optarg, "table") == 0)
				fmt = TABLE;
			else
				errx(2, "-O %s: not tsv, csv, json or table",
				    optarg);
			break;
		case 'N':
			header = 0;
			break;
		case 'C':
			dir = optarg;
			break;
		case 'v':
			verbose = 1;
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
	q.kind = argv[0];
	if (period && (q.begin >= 0 || q.end >= 0))
		errx(2, "-p excludes -b and -e");
	if (period) {
		q.begin = when(period, "-p", 0);
		q.end = when(period, "-p", 1);
	}
	if (q.rev && q.at >= 0)
		errx(2, "-r and -a exclude each other; -a counts back from "
		    "HEAD");
	if (dir && chdir(dir) < 0)
		err(2, "%s", dir);
	if ((env = getenv("ENAS_STATS_THREADS")) && *env)
		q.threads = (int)number(env, "ENAS_STATS_THREADS", 64);
	q.today = enas_date_today();
	if (enas_repo_open(&repo, NULL, 0) < 0)
		errx(2, "%s", enas_error_last());
	tune();
	q.min_cell = k > 0 ? k : 0;
	if (publish) {
		long long m;

		if (enas_stats_min_cell(&m, repo) < 0)
			errx(2, "%s", enas_error_last());
		q.min_cell = k > m ? k : m;
		q.consent = 1;
		q.complete = 1;
		if (!q.interval && q.end > q.today)
			errx(2, "--publish: the period asked for is not over "
			    "yet");
	}
	/*
	 * Like git cat-file, trust zlib's checksums and the deltas' sizes
	 * to find damage, and do not hash every blob again: a sixth of the
	 * time of a cold run.  A choice for this process, so the tool's;
	 * libgit2's default comes back after the run.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	rc = enas_stats_run(&st, repo, &q, print_diag, NULL);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	if (rc < 0)
		errx(2, "%s", enas_error_last());
	if (verbose)
		fprintf(stderr, "enas-stats: commit %.7s; %zu blobs read, "
		    "%zu from the cache\n", st->commit, st->blobs_read,
		    st->blobs_cached);
	if (st->left_out > 0)
		fprintf(stderr, "enas-stats: left out %lld %s without "
		    "consent.reporting: true%s\n", st->left_out, st->left_out
		    == 1 ? st->kind : st->dir, st->history ?
		    " (at the last period's end)" : "");
	switch (fmt) {
	case TSV:
	case CSV:
		print_delimited(st, fmt, header);
		break;
	case JSON:
		print_json(st);
		break;
	case TABLE:
		print_table(st, header);
		break;
	}
	if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
		err(2, "standard output");
	rc = st->matched > 0 ? 0 : 1;
	enas_stats_free(st);
	enas_repo_free(repo);
	enas_buf_free(&out);
	free(q.groups);
	free(q.sums);
	free(q.where);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(2, "standard output");
	return rc;
}
