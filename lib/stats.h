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
 * A total: a margin of the table, the sum over some of its dimensions.
 * Totals are cells: withheld and protected like rows.  mask says which
 * dimensions are summed over: ENAS_TOTAL_PERIOD for the periods (never
 * with --history, whose snapshots do not add up), ENAS_TOTAL_GROUP(i)
 * for group i.  The others take the values of row rows[row] (its period
 * and keys).  Totals come in order of mask, then of their values.
 */
#define ENAS_TOTAL_PERIOD 0x1u
#define ENAS_TOTAL_GROUP(i) (0x2u << (i))

struct enas_stats_total {
	unsigned mask;
	size_t row;		/* an index into rows, for its other values */
	struct enas_stats_cell cell;
};

struct enas_stats {
	const char *kind;		/* the kind's name */
	const char *dir;		/* its directory, a plural */
	const char *date;		/* its date field, or NULL */
	const char *unit;		/* what is counted: "" records, or
					   the lists iterated, by commas */
	size_t ngroups, nsums;
	const char **group_names;	/* as asked: "age:band" */
	const char **sum_names;
	const char ***values;		/* per group: its values in order */
	size_t *nvalues;		/* (NULL for records without one) */
	enum enas_interval interval;
	size_t nperiods;		/* 0 without an interval */
	long long *periods;		/* each period's first day */
	struct enas_stats_row *rows;	/* sorted: period, then groups */
	size_t nrows;
	struct enas_stats_total *totals;	/* every margin */
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

struct enas_pub;

/*
 * Audit st, as the publication of query q would print it, jointly with
 * every earlier publication in pubs (lib/ledger.h) of the same kind and
 * unit, counted again at st's commit: withhold more of st's cells when
 * together they would let a reader work out a withheld count, or an
 * unpublished count of 1 to k-1.  ENAS_EDATA, naming the earlier
 * publications, when no more withholding can help.  An earlier
 * publication whose figures do not recount the same (its records
 * changed) is reported through fn as a warning and left out.
 */
int enas_stats_audit(struct enas_stats *st, const struct enas_stats_query *q,
    struct enas_repo *repo, struct enas_pub *const *pubs, size_t npubs,
    enas_diag_fn fn, void *ctx);

/*
 * The minimum cell count for --publish: git config enas.minCell, or 11
 * when unset.  ENAS_EUSAGE with a message when it is not a whole number
 * from 3 to 1000000 (a minimum of 2 would print "<2", which says 1).
 */
int enas_stats_min_cell(long long *out, struct enas_repo *repo);

#endif
