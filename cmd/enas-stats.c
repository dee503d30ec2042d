/*
 * enas-stats: statistics from the committed records (SPEC §7).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "date.h"
#include "i18n.h"
#include "kinds.h"
#include "ledger.h"
#include "period.h"
#include "repo.h"
#include "rules.h"
#include "stats.h"
#include "suppress.h"
#include "tool.h"

enum format { TSV, CSV, JSON, TABLE };

#define OPT_LABELS 256	/* --labels: no short option */

static struct enas_buf out = ENAS_BUF_INIT;

static void
usage(FILE *fp, int status)
{
	fputs(_("usage: enas-stats [-C dir] kind [-g field[:t][,...]] "
	    "[-s field[,...]] [-w expr]...\n"
	    "                  [-D | -W | -M | -Q | -Y] [-b date] [-e date] "
	    "[-p period]\n"
	    "                  [-r rev | -a date] [--history] [-k n] "
	    "[--publish]\n"
	    "                  [-O tsv|csv|json|table] [--totals] "
	    "[--no-header] [--labels]\n"
	    "                  [-v]\n"), fp);
	exit(status);
}

_Noreturn static void
nomem(void)
{
	errx(2, "%s", _("out of memory"));
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
		/* TRANSLATORS: %s is an option: -g or -s. */
		errx(2, _("%s: no field named"), opt);
}

/* A date or a period: its first day, or the day after it with end. */
static long long
when(const char *s, const char *opt, int end)
{
	long long b, e;

	if (enas_period_parse(&b, &e, NULL, s) < 0)
		/* TRANSLATORS: an option (-b, -e, -p, -a), then its value. */
		errx(2, _("%s %s: not a date (YYYY-MM-DD) or a period (2024, "
		    "2024Q4, 2024-11, 2024-W07)"), opt, s);
	return end ? e : b;
}

static long long
number(const char *s, const char *opt, long long max)
{
	char *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0 || v > max)
		/* TRANSLATORS: an option or variable, then its value. */
		errx(2, _("%s %s: not a whole number from 0 to %lld"), opt, s,
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

static void
tsv_cell(const char *s, int first)
{
	if (!first && enas_buf_add(&out, "\t", 1) < 0)
		nomem();
	if (s && tool_tsv_cell(&out, s, strlen(s)) < 0)
		nomem();
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
			err(2, "%s", _("standard output"));
		out.len = 0;
	}
}

/* Whether a total sums over the period, or over group i. */
static int
summed_period(const struct enas_stats_total *t)
{
	return (t->mask & ENAS_TOTAL_PERIOD) != 0;
}

static int
summed_group(const struct enas_stats_total *t, size_t i)
{
	return (t->mask & ENAS_TOTAL_GROUP(i)) != 0;
}

/*
 * One line of delimited output: a row (t NULL) or a total, whose
 * summed columns say "total".
 */
static void
delimited_line(const struct enas_stats *st, enum format f,
    const struct enas_stats_row *row, const struct enas_stats_total *t)
{
	const struct enas_stats_cell *c = t ? &t->cell : &row->cell;
	char pbuf[ENAS_PERIOD_NAME], fbuf[32];
	size_t i;
	int first = 1;

	if (st->interval) {
		cell(f, t && summed_period(t) ? "total" :
		    period_name(pbuf, st, row->period), first);
		first = 0;
	}
	for (i = 0; i < st->ngroups; i++, first = 0)
		cell(f, t && summed_group(t, i) ? "total" : row->keys[i],
		    first);
	for (i = 0; i < nfigures(st); i++, first = 0)
		cell(f, figure(fbuf, sizeof(fbuf), st, c, i), first);
	end_line(f);
}

static void
print_delimited(const struct enas_stats *st, enum format f, int header,
    int totals)
{
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
	for (r = 0; r < st->nrows; r++)
		delimited_line(st, f, &st->rows[r], NULL);
	for (r = 0; totals && r < st->ntotals; r++)
		delimited_line(st, f, &st->rows[st->totals[r].row],
		    &st->totals[r]);
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
json_key(const char *k, const char *v)
{
	json_str(k);
	if (enas_buf_puts(&out, ": ") < 0)
		nomem();
	json_str(v);
	if (enas_buf_puts(&out, ", ") < 0)
		nomem();
}

/* One object: a row, or a total without its summed fields. */
static void
json_line(const struct enas_stats *st, const struct enas_stats_row *row,
    const struct enas_stats_total *t, int last)
{
	const struct enas_stats_cell *c = t ? &t->cell : &row->cell;
	char pbuf[ENAS_PERIOD_NAME];
	size_t i;

	if (enas_buf_puts(&out, "{") < 0)
		nomem();
	if (t && enas_buf_puts(&out, "\"total\": true, ") < 0)
		nomem();
	if (st->interval && !(t && summed_period(t)))
		json_key("period", period_name(pbuf, st, row->period));
	for (i = 0; i < st->ngroups; i++)
		if (!(t && summed_group(t, i)))
			json_key(st->group_names[i], row->keys[i]);
	for (i = 0; i < nfigures(st); i++) {
		json_str(figure_name(st, i));
		if (c->mark ? enas_buf_puts(&out, ": null") < 0 :
		    enas_buf_printf(&out, ": %lld", i == 0 ? c->count :
		    c->sums[i - 1]) < 0)
			nomem();
		if (i + 1 < nfigures(st) && enas_buf_puts(&out, ", ") < 0)
			nomem();
	}
	if ((c->mark && enas_buf_puts(&out, ", \"suppressed\": true") < 0) ||
	    (c->mark == ENAS_CELL_SECONDARY &&
	    enas_buf_puts(&out, ", \"secondary\": true") < 0) ||
	    enas_buf_puts(&out, last ? "}" : "},") < 0)
		nomem();
	end_line(JSON);
}

static void
print_json(const struct enas_stats *st, int totals)
{
	size_t r, n = st->nrows + (totals ? st->ntotals : 0);

	if (enas_buf_puts(&out, n ? "[\n" : "[") < 0)
		nomem();
	for (r = 0; r < st->nrows; r++)
		json_line(st, &st->rows[r], NULL, r + 1 == n);
	for (r = 0; totals && r < st->ntotals; r++)
		json_line(st, &st->rows[st->totals[r].row], &st->totals[r],
		    st->nrows + r + 1 == n);
	if (enas_buf_puts(&out, "]\n") < 0)
		nomem();
}

/* --- labels: what the table shows for each group's values --- */

/* With --labels: the rules of the commit read, and each group's field. */
static struct enas_kinds *label_kinds;
static const struct enas_field **label_field;

/*
 * Load the rules of st's commit, for the labels of the groups that are
 * enum fields, untransformed.  A problem here costs only the labels.
 */
static void
labels_load(const struct enas_stats *st, struct enas_repo *repo)
{
	struct enas_snapshot *snap = NULL;
	const struct enas_rules *r;
	size_t g;

	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	if (!(label_field = calloc(st->ngroups + 1, sizeof(*label_field))))
		nomem();
	if (enas_snapshot_under(&snap, repo, ENAS_COMMIT, st->commit,
	    ENAS_RULES_DIR) < 0 ||
	    enas_kinds_load(&label_kinds, snap, NULL, NULL) < 0 ||
	    !(r = enas_kinds_find(label_kinds, st->kind))) {
		enas_snapshot_free(snap);
		return;
	}
	for (g = 0; g < st->ngroups; g++)
		if (!strchr(st->group_names[g], ':'))
			label_field[g] = enas_rules_field(r,
			    st->group_names[g]);
	enas_snapshot_free(snap);
}

/* What the table shows for value v of group g: its label, or v. */
static const char *
shown(size_t g, const char *v)
{
	const char *l;

	if (!label_field || !label_field[g] || !v || !(l =
	    enas_rules_label(label_field[g], v)))
		return v;
	return l;
}

/* The columns s takes on a terminal (its bytes if not text here). */
static size_t
columns(const char *s)
{
	wchar_t wc;
	mbstate_t ps;
	size_t n, len = strlen(s), cols = 0;
	int w;

	memset(&ps, 0, sizeof(ps));
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &ps);
		if (n == (size_t)-1 || n == (size_t)-2)
			return strlen(s);
		if (n == 0)
			break;
		cols += (w = wcwidth(wc)) > 0 ? (size_t)w : 0;
		s += n;
		len -= n;
	}
	return cols;
}

/* s in a column of width w, right-aligned or left-aligned. */
static int
put_cell(const char *s, size_t w, int right)
{
	size_t c = columns(s), pad = w > c ? w - c : 0;

	if (right && enas_buf_printf(&out, "%*s", (int)pad, "") < 0)
		return -1;
	if (enas_buf_puts(&out, s) < 0)
		return -1;
	return right ? 0 : enas_buf_printf(&out, "%*s", (int)pad, "");
}

/* --- the wide table --- */

/*
 * The aligned table a terminal gets: one column for each period (or,
 * without periods, for each value of the last group) and a total
 * column, one line for each value of the other groups, then the lines
 * of their totals.  Each figure (the count, then each sum) is a block of
 * such columns.
 */
struct wide {
	const struct enas_stats *st;
	int coldim;		/* -1 the period, else a group */
	size_t ncols;		/* values of coldim, then "total" if any */
	int has_total;
	const char ***lines;	/* each line's labels: one per row dim */
	size_t nlines, cap;
	const struct enas_stats_cell **cells;	/* nlines * ncols */
};

/* Whether a row or total belongs to wide line labels. */
static int
same_line(const struct wide *w, const char **labels,
    const struct enas_stats_row *row, const struct enas_stats_total *t)
{
	const struct enas_stats *st = w->st;
	char pbuf[ENAS_PERIOD_NAME];
	size_t i, d = 0;
	const char *v;

	if (st->interval && w->coldim >= 0) {
		v = t && summed_period(t) ? "total" :
		    period_name(pbuf, st, row->period);
		if (strcmp(labels[d++], v) != 0)
			return 0;
	}
	for (i = 0; i < st->ngroups; i++) {
		if ((int)i == w->coldim)
			continue;
		v = t && summed_group(t, i) ? "\001" : row->keys[i];
		if ((v == NULL) != (labels[d] == NULL) ||
		    (v && strcmp(v, labels[d]) != 0))
			return 0;
		d++;
	}
	return 1;
}

/* The column of a row or total on its line. */
static size_t
wide_col(const struct wide *w, const struct enas_stats_row *row,
    const struct enas_stats_total *t)
{
	const struct enas_stats *st = w->st;
	size_t i, g;

	if (w->coldim < 0)
		return t && summed_period(t) ? st->nperiods : row->period;
	g = (size_t)w->coldim;
	if (t && summed_group(t, g))
		return st->nvalues[g];
	for (i = 0; i < st->nvalues[g]; i++)
		if ((st->values[g][i] == NULL) == (row->keys[g] == NULL) &&
		    (!row->keys[g] || strcmp(st->values[g][i],
		    row->keys[g]) == 0))
			return i;
	return 0;
}

static void
wide_place(struct wide *w, const struct enas_stats_row *row,
    const struct enas_stats_total *t)
{
	const struct enas_stats *st = w->st;
	char pbuf[ENAS_PERIOD_NAME];
	size_t l, i, d, nd = st->ngroups + (st->interval ? 1 : 0) - 1;
	const char **labels;
	void *p;

	for (l = w->nlines; l-- > 0;)
		if (same_line(w, w->lines[l], row, t))
			break;
	if (l == (size_t)-1) {
		if (w->nlines == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 64;
			if (!(p = realloc(w->lines, w->cap *
			    sizeof(*w->lines))))
				nomem();
			w->lines = p;
			/* An array of pointers: a false positive. */
			/* NOLINTBEGIN(bugprone-sizeof-expression) */
			if (!(p = realloc(w->cells, w->cap * w->ncols *
			    sizeof(*w->cells))))
				nomem();
			/* NOLINTEND(bugprone-sizeof-expression) */
			w->cells = p;
		}
		l = w->nlines++;
		/* NOLINTBEGIN(bugprone-sizeof-expression) */
		memset(w->cells + l * w->ncols, 0, w->ncols *
		    sizeof(*w->cells));
		/* NOLINTEND(bugprone-sizeof-expression) */
		if (!(labels = calloc(nd + 1, sizeof(*labels))))
			nomem();
		d = 0;
		if (st->interval && w->coldim >= 0 &&
		    !(labels[d++] = strdup(t && summed_period(t) ? "total" :
		    period_name(pbuf, st, row->period))))
			nomem();
		for (i = 0; i < st->ngroups; i++)
			if ((int)i != w->coldim)
				labels[d++] = t && summed_group(t, i) ? "\001" :
				    row->keys[i];
		w->lines[l] = labels;
	}
	w->cells[l * w->ncols + wide_col(w, row, t)] = t ? &t->cell :
	    &row->cell;
}

/* What line label c of the wide table w shows for v. */
static const char *
shown_at(const struct wide *w, size_t c, const char *v)
{
	size_t g, d = w->st->interval && w->coldim >= 0 ? 1 : 0;

	if (c < d)
		return v;	/* the period */
	for (g = 0; g < w->st->ngroups; g++)
		if ((int)g != w->coldim && d++ == c)
			return shown(g, v);
	return v;
}

/*
 * A table of one dimension (or none): a line for each row, then one for
 * the total, aligned.
 */
static void
print_long(const struct enas_stats *st, int header)
{
	size_t nl = st->nrows + st->ntotals + 1, ncols = 1 + nfigures(st);
	size_t r, c, l, *width;
	const char **text;
	char (*own)[ENAS_PERIOD_NAME + 32];

	if (!(width = calloc(ncols, sizeof(*width))) ||
	    !(text = calloc(nl * ncols, sizeof(*text))) ||
	    !(own = calloc(nl * ncols, sizeof(*own))))
		nomem();
	text[0] = st->interval ? "period" : st->ngroups ? st->group_names[0] :
	    "";
	for (c = 1; c < ncols; c++)
		text[c] = figure_name(st, c - 1);
	for (l = 1, r = 0; r < st->nrows + st->ntotals; r++, l++) {
		const struct enas_stats_total *t = r < st->nrows ? NULL :
		    &st->totals[r - st->nrows];
		const struct enas_stats_row *row = t ? &st->rows[t->row] :
		    &st->rows[r];
		const struct enas_stats_cell *cl = t ? &t->cell : &row->cell;

		text[l * ncols] = t ? "total" : st->interval ?
		    period_name(own[l * ncols], st, row->period) :
		    st->ngroups ? (row->keys[0] ? shown(0, row->keys[0]) :
		    "-") : "";
		for (c = 1; c < ncols; c++)
			text[l * ncols + c] = figure(own[l * ncols + c],
			    sizeof(own[0]), st, cl, c - 1);
	}
	for (r = header ? 0 : 1; r < nl; r++)
		for (c = 0; c < ncols; c++)
			if (columns(text[r * ncols + c]) > width[c])
				width[c] = columns(text[r * ncols + c]);
	for (r = header ? 0 : 1; r < nl; r++) {
		for (c = 0; c < ncols; c++)
			if (put_cell(text[r * ncols + c], width[c],
			    c != 0) < 0 || (c + 1 < ncols &&
			    enas_buf_puts(&out, "  ") < 0))
				nomem();
		end_line(TABLE);
	}
	free(width);
	free(text);
	free(own);
}

static void
print_table(const struct enas_stats *st, int header)
{
	struct wide w;
	size_t nrd, ncols, nl, l, i, c, f, r, *width, fig0;
	const char **text;
	char (*own)[ENAS_PERIOD_NAME + 32];
	int pdim = st->interval && st->ngroups == 0 ? 1 : st->interval != 0;

	memset(&w, 0, sizeof(w));
	w.st = st;
	w.coldim = st->interval ? -1 : (int)st->ngroups - 1;
	if ((st->interval ? 1 : 0) + st->ngroups < 2) {
		print_long(st, header);
		return;
	}
	w.has_total = !(st->history && w.coldim < 0);
	w.ncols = (w.coldim < 0 ? st->nperiods :
	    st->nvalues[w.coldim]) + (size_t)w.has_total;
	for (r = 0; r < st->nrows; r++)
		wide_place(&w, &st->rows[r], NULL);
	for (r = 0; r < st->ntotals; r++)
		wide_place(&w, &st->rows[st->totals[r].row], &st->totals[r]);
	nrd = st->ngroups + (size_t)pdim - 1;
	fig0 = nrd;
	ncols = nrd + w.ncols * nfigures(st);
	nl = w.nlines + 1;
	if (!(width = calloc(ncols, sizeof(*width))) ||
	    !(text = calloc(nl * ncols, sizeof(*text))) ||
	    !(own = calloc(nl * ncols, sizeof(*own))))
		nomem();
	/* The header: the row dimensions' names, then the columns'. */
	c = 0;
	if (st->interval && w.coldim >= 0)
		text[c++] = "period";
	for (i = 0; i < st->ngroups; i++)
		if ((int)i != w.coldim)
			text[c++] = st->group_names[i];
	for (f = 0; f < nfigures(st); f++)
		for (i = 0; i < w.ncols; i++, c++) {
			const char *v = i + 1 == w.ncols && w.has_total ?
			    "total" : w.coldim < 0 ? period_name(own[c], st,
			    i) : st->values[w.coldim][i] ?
			    shown((size_t)w.coldim, st->values[w.coldim][i]) :
			    "-";

			if (f == 0)
				text[c] = v;
			else {
				snprintf(own[c], sizeof(own[c]), "%s:%s",
				    figure_name(st, f), v);
				text[c] = own[c];
			}
		}
	for (l = 0; l < w.nlines; l++) {
		const char **lc = text + (l + 1) * ncols;

		for (c = 0; c < nrd; c++)
			lc[c] = !w.lines[l][c] ? "-" :
			    strcmp(w.lines[l][c], "\001") == 0 ? "total" :
			    shown_at(&w, c, w.lines[l][c]);
		for (f = 0; f < nfigures(st); f++)
			for (i = 0; i < w.ncols; i++, c++) {
				const struct enas_stats_cell *cl =
				    w.cells[l * w.ncols + i];

				lc[c] = cl ? figure(own[(l + 1) * ncols + c],
				    sizeof(own[0]), st, cl, f) : "";
			}
	}
	for (r = header ? 0 : 1; r < nl; r++)
		for (c = 0; c < ncols; c++)
			if (text[r * ncols + c] &&
			    columns(text[r * ncols + c]) > width[c])
				width[c] = columns(text[r * ncols + c]);
	for (r = header ? 0 : 1; r < nl; r++) {
		for (c = 0; c < ncols; c++) {
			const char *s = text[r * ncols + c] ?
			    text[r * ncols + c] : "";
			int last = c + 1 == ncols;

			if ((c >= fig0 ? put_cell(s, width[c], 1) : last ?
			    enas_buf_puts(&out, s) : put_cell(s, width[c],
			    0)) < 0 || (!last && enas_buf_puts(&out, "  ") < 0))
				nomem();
		}
		end_line(TABLE);
	}
	for (l = 0; l < w.nlines; l++) {
		if (st->interval && w.coldim >= 0)
			free((char *)w.lines[l][0]);
		free(w.lines[l]);
	}
	free(w.lines);
	free(w.cells);
	free(width);
	free(text);
	free(own);
}

/* --- the publication ledger --- */

/* The command line, for the ledger: words quoted when they need it. */
static void
command_line(struct enas_buf *b, int argc, char **argv)
{
	int i;
	const char *p;

	for (i = 0; i < argc; i++) {
		const char *w = i == 0 ? "enas-stats" : argv[i];
		int plain = *w != '\0';

		for (p = w; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
			    "QRSTUVWXYZ0123456789-_=.,:/+@%", *p))
				plain = 0;
		if (i && enas_buf_puts(b, " ") < 0)
			nomem();
		if (plain ? enas_buf_puts(b, w) < 0 : enas_buf_puts(b, "'") <
		    0)
			nomem();
		for (p = w; !plain && *p; p++)
			if ((*p == '\'' ? enas_buf_puts(b, "'\\''") :
			    enas_buf_add(b, p, 1)) < 0)
				nomem();
		if (!plain && enas_buf_puts(b, "'") < 0)
			nomem();
	}
}

/*
 * --publish: audit st with every earlier publication in the ledger,
 * withholding more or refusing, then record it in the ledger before a
 * figure is printed.
 */
static int
publish_audit(struct enas_stats *st, const struct enas_stats_query *q,
    struct enas_repo *repo, const char *args)
{
	struct enas_pub **pubs = NULL;
	struct enas_buf entry = ENAS_BUF_INIT;
	struct enas_buf name = ENAS_BUF_INIT;
	size_t n = 0;
	int rc;

	if ((rc = enas_ledger_read(&pubs, &n, repo)) == 0 &&
	    (rc = enas_stats_audit(st, q, repo, pubs, n, tool_print_diag,
	    NULL)) == 0 &&
	    (rc = enas_ledger_format(&entry, st, q, args,
	    (long long)time(NULL))) == 0)
		rc = enas_ledger_add(&name, repo, entry.data, entry.len,
		    (long long)time(NULL));
	enas_ledger_free(pubs, n);
	enas_buf_free(&entry);
	enas_buf_free(&name);
	return rc;
}

/*
 * --ledger [kind]: what was published, oldest first.  The kind is named
 * as everywhere else, by its name or its directory ("case" or "cases"),
 * as the rules of HEAD define it; a kind that HEAD no longer has is
 * matched by the name the ledger recorded.
 */
static int
list_ledger(const char *kind, int verbose)
{
	struct enas_repo *repo = NULL;
	struct enas_snapshot *rsnap = NULL;
	struct enas_kinds *kinds = NULL;
	const struct enas_rules *r;
	struct enas_pub **pubs = NULL;
	size_t n = 0, i, shown = 0;
	int rc, known = 0;

	if (enas_repo_open(&repo, NULL, 0) < 0 ||
	    enas_ledger_read(&pubs, &n, repo) < 0)
		errx(2, "%s", enas_error_last());
	if (kind) {
		if ((rc = enas_snapshot_under(&rsnap, repo, ENAS_COMMIT,
		    "HEAD", ENAS_RULES_DIR)) < 0 ||
		    (rc = tool_kinds(&kinds, rsnap)) < 0)
			tool_fail(rc);
		if ((r = enas_kinds_find(kinds, kind)))
			kind = r->kind;
		for (i = 0; i < n && !known; i++)
			known = strcmp(pubs[i]->kind, kind) == 0;
		if (!r && !known)
			errx(2, _("no kind '%.64s' in %s%s"), kind,
			    rsnap->prefix, ENAS_RULES_DIR);
	}
	for (i = 0; i < n; i++) {
		const struct enas_pub *p = pubs[i];

		if (kind && strcmp(p->kind, kind) != 0)
			continue;
		shown++;
		if (verbose) {
			if (enas_buf_printf(&out, "%s%s", shown > 1 ? "\n" :
			    "", p->text) < 0)
				nomem();
			continue;
		}
		tsv_cell(p->date ? p->date : "", 1);
		tsv_cell(p->name, 0);
		tsv_cell(p->commit, 0);
		tsv_cell(p->kind, 0);
		tsv_cell(p->args ? p->args : "", 0);
		end_line(TSV);
	}
	if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
		err(2, "%s", _("standard output"));
	enas_ledger_free(pubs, n);
	enas_kinds_free(kinds);
	enas_snapshot_free(rsnap);
	enas_repo_free(repo);
	enas_buf_free(&out);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(2, "%s", _("standard output"));
	return shown ? 0 : 1;
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
		errx(2, _("cannot set libgit2's options: %s"),
		    git_error_last() ? git_error_last()->message : "error");
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
		{ "totals", no_argument, NULL, 'T' },
		{ "ledger", no_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "labels", no_argument, NULL, OPT_LABELS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct enas_stats_query q = ENAS_STATS_QUERY_INIT;
	struct enas_stats *st = NULL;
	struct enas_repo *repo = NULL;
	enum format fmt = isatty(1) ? TABLE : TSV;
	const char *dir = NULL, *period = NULL, *env, **where;
	long long k = -1;
	int ch, header = 1, publish = 0, verbose = 0, totals = 0, rc;
	int ledger = 0, labels = 0;
	/* The command as asked, for the ledger, before -g and -s split
	 * their arguments in place. */
	struct enas_buf asked = ENAS_BUF_INIT;

	tool_init("enas-stats", argc, argv);
	command_line(&asked, argc, argv);
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
				errx(2, "%s", _("-D, -W, -M, -Q and -Y exclude "
				    "each other"));
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
				errx(2, "%s", _("-k 2: <2 would say 1; use 3 "
				    "or more (or 0 for none)"));

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
				errx(2, _("-O %s: not tsv, csv, json or table"),
				    optarg);
			break;
		case 'N':
			header = 0;
			break;
		case 'T':
			totals = 1;
			break;
		case 'L':
			ledger = 1;
			break;
		case 'C':
			dir = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_LABELS:
			labels = 1;
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
	if (ledger) {
		free(q.groups);
		free(q.sums);
		free(q.where);
		if (argc > 1 || publish)
			usage(stderr, 2);
		if (dir && chdir(dir) < 0)
			err(2, "%s", dir);
		enas_buf_free(&asked);
		return list_ledger(argc ? argv[0] : NULL, verbose);
	}
	if (argc != 1)
		usage(stderr, 2);
	q.kind = argv[0];
	if (period && (q.begin >= 0 || q.end >= 0))
		errx(2, "%s", _("-p excludes -b and -e"));
	if (period) {
		q.begin = when(period, "-p", 0);
		q.end = when(period, "-p", 1);
	}
	if (q.rev && q.at >= 0)
		errx(2, "%s", _("-r and -a exclude each other; -a counts back "
		    "from HEAD"));
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
			errx(2, "%s", _("--publish: the period asked for is "
			    "not over yet"));
	}
	/*
	 * Like git cat-file, trust zlib's checksums and the deltas' sizes
	 * to find damage, and do not hash every blob again: a sixth of the
	 * time of a cold run.  A choice for this process, so the tool's;
	 * libgit2's default comes back after the run.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	rc = enas_stats_run(&st, repo, &q, tool_print_diag, NULL);
	if (rc == 0 && publish)
		rc = publish_audit(st, &q, repo, asked.data);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	if (rc < 0)
		errx(2, "%s", enas_error_last());
	if (verbose)
		fprintf(stderr, _("enas-stats: commit %.7s; %zu blobs read, "
		    "%zu from the cache\n"), st->commit, st->blobs_read,
		    st->blobs_cached);
	if (st->left_out > 0 && st->history)
		/*
		 * TRANSLATORS: a number, then the kind (case) or its
		 * directory (cases); consent.reporting: true is a field
		 * and its value.
		 */
		fprintf(stderr, dngettext(ENAS_TEXTDOMAIN, "enas-stats: left "
		    "out %lld %s without consent.reporting: true (at the last "
		    "period's end)\n", "enas-stats: left out %lld %s without "
		    "consent.reporting: true (at the last period's end)\n",
		    (unsigned long)st->left_out), st->left_out,
		    st->left_out == 1 ? st->kind : st->dir);
	else if (st->left_out > 0)
		/*
		 * TRANSLATORS: a number, then the kind (case) or its
		 * directory (cases); consent.reporting: true is a field
		 * and its value.
		 */
		fprintf(stderr, dngettext(ENAS_TEXTDOMAIN, "enas-stats: left "
		    "out %lld %s without consent.reporting: true\n",
		    "enas-stats: left out %lld %s without consent.reporting: "
		    "true\n", (unsigned long)st->left_out), st->left_out,
		    st->left_out == 1 ? st->kind : st->dir);

	switch (fmt) {
	case TSV:
	case CSV:
		print_delimited(st, fmt, header, totals);
		break;
	case JSON:
		print_json(st, totals);
		break;
	case TABLE:
		/* Labels are for a person: only the table shows them. */
		if (labels)
			labels_load(st, repo);
		print_table(st, header);
		break;
	}
	if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
		err(2, "%s", _("standard output"));
	rc = st->matched > 0 ? 0 : 1;
	free(label_field);
	enas_kinds_free(label_kinds);
	enas_stats_free(st);
	enas_repo_free(repo);
	enas_buf_free(&out);
	enas_buf_free(&asked);
	free(q.groups);
	free(q.sums);
	free(q.where);
	tool_flush_stdout();
	return rc;
}
