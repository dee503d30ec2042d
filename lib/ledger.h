/*
 * ledger.h: the publication ledger: what enas-stats --publish printed,
 * kept with the data so that every later publication is audited with
 * it (SPEC §7).
 *
 * The ledger is a ref, refs/enas/published, to a line of commits whose
 * tree holds one text file per publication, named by its time and the
 * hash of its content (so two ledgers always merge without conflict).
 * It never touches the records' branch or the working tree, and travels
 * with plain git:
 *
 *	git push origin refs/enas/published
 *	git fetch origin '+refs/enas/published:refs/enas/remotes/origin/published'
 *
 * Every ref under refs/enas/ that ends in "published" is read, and the
 * ledger is the union of their files; a new publication is committed on
 * refs/enas/published with each of those tips as a parent.
 */
#ifndef ENAS_LEDGER_H
#define ENAS_LEDGER_H

#include "enas.h"
#include "repo.h"
#include "stats.h"

#define ENAS_LEDGER_REF "refs/enas/published"

/* A figure as published: a row or a total. */
struct enas_pub_cell {
	unsigned mask;		/* ENAS_TOTAL_* summed over */
	long long period;	/* its first day, or -1 */
	char **keys;		/* one per group; NULL: absent or summed */
	int mark;		/* ENAS_CELL_* */
	long long count;	/* when shown */
};

/* One publication. */
struct enas_pub {
	char *name;		/* its file in the ledger */
	char *text;		/* the whole entry */
	char *date;		/* when, UTC */
	char commit[GIT_OID_HEXSZ + 1];
	char *kind;
	char *unit;		/* what was counted: "" records, or lists */
	char *args;		/* the command line as asked */
	long long begin, end;	/* -b and -e (days), or -1 */
	long long k;
	char **groups;
	size_t ngroups;
	char **where;
	size_t nwhere;
	enum enas_interval interval;
	int history;
	long long *periods;	/* each period's first day */
	size_t nperiods;
	struct enas_pub_cell *cells;
	size_t ncells;
};

/*
 * The entry for a publication: st as printed, of query q, asked as args
 * (a command line), at time now (seconds since 1970), into b.
 */
int enas_ledger_format(struct enas_buf *b, const struct enas_stats *st,
    const struct enas_stats_query *q, const char *args, long long now);

/* Parse an entry's text (len bytes) named name. */
int enas_ledger_parse(struct enas_pub **out, const char *name,
    const char *text, size_t len);

/*
 * Every publication in the ledger refs of repo, in order of name (so of
 * time); none when there is no ledger.
 */
int enas_ledger_read(struct enas_pub ***out, size_t *n,
    struct enas_repo *repo);

/* Commit entry (len bytes) to the ledger; its file name into name. */
int enas_ledger_add(struct enas_buf *name, struct enas_repo *repo,
    const char *entry, size_t len, long long now);

void enas_pub_free(struct enas_pub *p);
void enas_ledger_free(struct enas_pub **v, size_t n);

#endif
