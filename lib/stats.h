/*
 * stats.h: statistics from the commit tree (SPEC §7).
 *
 * Records are read as committed, through libgit2, never from the
 * working tree.  What each blob yields for a question (its filter
 * results, date and group values) is cached by the blob's id, in memory
 * and in .git/enas/stats-cache/, so that a second run, or a history of
 * snapshots, reads each distinct blob once.
 */
#ifndef ENAS_STATS_H
#define ENAS_STATS_H

#include "enas.h"
#include "period.h"
#include "repo.h"

/* What to count.  Fill with ENAS_STATS_QUERY_INIT, then set. */
struct enas_stats_query {
	const char *kind;		/* "case" or "cases" */
	const char **groups;		/* "site", "age:band", "a[].b" */
	size_t ngroups;
	const char **sums;		/* int fields, or mappings of ints */
	size_t nsums;
	const char **where;		/* where-expressions, ANDed */
	size_t nwhere;
	enum enas_interval interval;	/* buckets (or snapshots) */
	long long begin, end;		/* [begin, end) in days; -1: open */
	const char *rev;		/* the commit to read; NULL: HEAD */
	long long at;			/* -a: the last commit by this day */
	int history;			/* a snapshot at each period's end */
	long long min_cell;		/* -k: suppress 0 < count < min_cell */
	int consent;			/* leave out cases without consent */
	int complete;			/* only periods over by today */
	long long today;		/* days since 1970 */
	int cache;			/* use .git/enas/stats-cache */
	int threads;			/* readers for blobs; 0: one per CPU */
};
#define ENAS_STATS_QUERY_INIT { NULL, NULL, 0, NULL, 0, NULL, 0, \
	ENAS_NO_INTERVAL, -1, -1, NULL, -1, 0, 0, 0, 0, 0, 1, 0 }

/* A figure of a row, or of a total. */
struct enas_stats_cell {
	long long count;	/* records, or items when a list is grouped */
	long long *sums;	/* one per sum field; NULL without -s */
	int mark;		/* ENAS_CELL_SHOWN, _PRIMARY or _SECONDARY */
};

/*
 * One output row: a period (an index into periods, or 0 when there
 * are none) and one value per group column (NULL when the record has
 * none), and its figures.
 */
struct enas_stats_row {
	size_t period;
	const char **keys;
	struct enas_stats_cell cell;
};

/*
 * A total printed in a table: of one row of the table's two-way view
 * (col 0: every column of the last group, for a period and the other
 * groups' values of row), of one column (col 1: a value of the last
 * group, over every row; row names a row that has it), or of
 * everything (col -1), within one period when history makes each
 * period its own table.  mark is ENAS_CELL_PRIMARY when 0 < count < k.
 */
struct enas_stats_total {
	int col;
	size_t row;		/* an index into rows, for its keys */
	size_t after;		/* printed after this row */
	size_t period;
	struct enas_stats_cell cell;
};

struct enas_stats {
	const char *kind;		/* the kind's name */
	const char *dir;		/* its directory, a plural */
	size_t ngroups, nsums;
	const char **group_names;	/* as asked: "age:band" */
	const char **sum_names;
	enum enas_interval interval;
	size_t nperiods;		/* 0 without an interval */
	long long *periods;		/* each period's first day */
	struct enas_stats_row *rows;	/* sorted: period, then groups */
	size_t nrows;
	struct enas_stats_total *totals;	/* in the order to print */
	size_t ntotals;
	long long matched;		/* records counted, over everything */
	long long left_out;		/* left out for consent, or -1 */
	long long min_cell;
	int history;
	char commit[GIT_OID_HEXSZ + 1];	/* the commit read (the tip) */
	size_t blobs_read;		/* blobs parsed in this run */
	size_t blobs_cached;		/* answered by the cache */
	void *priv;
};

/*
 * Answer q over the repository.  On a refused question (an unknown
 * kind or field, a transform that does not fit the field's type)
 * ENAS_EUSAGE; on an unreadable commit, tree or blob, an unborn HEAD
 * or a record that does not parse, ENAS_EGIT or ENAS_EDATA with a
 * message naming the object or file (the latter also through fn); never
 * a partial result.
 */
int enas_stats_run(struct enas_stats **out, struct enas_repo *repo,
    const struct enas_stats_query *q, enas_diag_fn fn, void *ctx);

void enas_stats_free(struct enas_stats *s);

/*
 * The minimum cell count for --publish: git config enas.minCell, or 11
 * when unset.  ENAS_EUSAGE with a message when it is not a whole number
 * from 3 to 1000000 (a minimum of 2 would print "<2", which says 1).
 */
int enas_stats_min_cell(long long *out, struct enas_repo *repo);

#endif
