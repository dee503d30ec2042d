/*
 * stats_int.h: the parts of lib/stats shared by its files, private to
 * them.  One idea a file:
 *
 *	stats.c		the run: the commit, one snapshot, the result
 *	stats_cells.c	cell tables: interned strings, counters by key
 *	stats_query.c	the question compiled against the rules
 *	stats_yield.c	what a record yields, encoded; adding yields up
 *	stats_pool.c	the readers of blobs, on one thread or several
 *	stats_history.c	snapshots at each period's end, by tree diffs
 *	stats_table.c	the output: periods, rows, tables and totals
 */
#ifndef ENAS_STATS_INT_H
#define ENAS_STATS_INT_H

#include <stdint.h>

#include "blobcache.h"
#include "expr.h"
#include "fastrec.h"
#include "record.h"
#include "rules.h"
#include "stats.h"
#include "tree.h"

#define MAXITER 4		/* sequences iterated at once */
#define BIAS 1000000LL		/* days stored as unsigned keys */
#define CACHE_KEEP 16		/* cache files kept per repository */
#define MAXTHREADS 8

enum transform {
	T_NONE, T_DAY, T_WEEK, T_MONTH, T_QUARTER, T_YEAR, T_BAND,
	T_TAG			/* "?EXPR": 1 or 0, whether it holds */
};

/* Yield flags. */
#define Y_PASS 0x1
#define Y_CONSENT 0x2
#define Y_DATE 0x4

struct gcol {
	char *path;
	const struct enas_field *f;
	enum transform t;
	int iter;		/* its sequence, or -1 */
	const char *rest;	/* its path inside an item; NULL: the item */
	size_t skip;		/* a tag on an item: enas_expr_eval_item() */
};

struct scol {
	char *path;
	const struct enas_field *f;
	int iter;
	const char *rest;
};

/* A compiled question. */
struct cq {
	const struct enas_stats_query *q;
	struct enas_rules *rules;
	git_oid rules_tree;
	struct gcol *g;
	size_t ng;
	struct scol *s;
	size_t ns;
	char *iter[MAXITER];	/* the sequences iterated */
	size_t nit;
	const char *date;	/* the dating field, when needed */
	const char *consent;	/* "consent.reporting", when needed */
	int *witer;		/* per -w: the sequence whose items it
				   selects, or -1: it selects records */
	size_t *wskip;		/* per -w: enas_expr_eval_item()'s skip */
	struct enas_buf sig;
};

/* What a reader needs of its own: expressions hold match data. */
struct ex {
	struct enas_expr **w;
	size_t nw;
	struct enas_expr **tg;	/* per group: a tag's expression */
	size_t ntg;
	struct enas_fastrec *fast;
	const struct enas_node **items[MAXITER];
	size_t nitems[MAXITER], cap[MAXITER];
	struct enas_buf out;
};

/* A blob to read. */
struct job {
	git_oid id;
	size_t name;		/* in run.names, for diagnostics */
	int status;
	unsigned worker;
	uint32_t off, len;
};

/* Interned strings, id 1 up; 0 is "absent". */
struct strtab {
	char **v;
	size_t *len;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots;
};

/* Cells keyed by klen u32s, each with vlen counters. */
struct cells {
	size_t klen, vlen;
	uint32_t *keys;
	long long *vals;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots;
};

/* One run. */
struct run {
	struct cq c;
	git_repository *git;
	struct enas_blobcache *cache;
	enas_diag_fn fn;
	void *ctx;
	struct ex x;
	struct job *jobs;
	size_t njobs, capjobs;
	uint32_t *pending;	/* job index + 1, by id */
	size_t npending;
	struct strtab *tabs;	/* one per group */
	uint32_t *key;
	long long *sums;
	long long left_out;
	long long records;	/* records counted */
	size_t read, cached;
	char prefix[256];	/* of names in diagnostics */
	struct enas_buf names;	/* of the jobs' files, NUL-separated */
};

/* A reader over yield bytes; bad is set on running off the end. */
struct rd {
	const unsigned char *p, *end;
	int bad;
};

/* What the result keeps of the run, for its rows and totals. */
struct priv {
	struct strtab *tabs;
	size_t ntabs;
	uint32_t **ranks;	/* per group: id -> rank */
	uint32_t *keys;		/* per row: ngroups ids */
	long long *sums;	/* per row: nsums */
	long long *tsums;	/* per total: nsums */
	const char **keyp;	/* per row: ngroups pointers */
	size_t nkeys;		/* rows per period */
};

/* stats_cells.c */
uint64_t stats_hash(const void *p, size_t n);
void stats_strtab_free(struct strtab *t);
uint32_t stats_intern(struct strtab *t, const char *p, size_t n);
void stats_cells_init(struct cells *t, size_t klen, size_t vlen);
void stats_cells_free(struct cells *t);
long long *stats_cells_get(struct cells *t, const uint32_t *key, int add);

/* stats_query.c */
int stats_compile(struct run *s, const git_oid *commit);
void stats_cq_free(struct cq *c);
int stats_ex_init(struct ex *x, const struct cq *c);
void stats_ex_free(struct ex *x);

/* stats_yield.c */
int stats_put_varint(struct enas_buf *b, unsigned long long v);
unsigned long long stats_get_varint(struct rd *r);
int stats_yield(struct run *s, struct ex *x, const char *buf, size_t len,
    const char *file, int full);
int stats_apply_yield(struct run *s, struct cells *t, const unsigned char *p,
    size_t len, int sign, int flow, uint32_t period);
int stats_apply(struct run *s, struct cells *t, const git_oid *id, int sign,
    int flow, uint32_t period);

/* stats_pool.c */
int stats_need(struct run *s, const git_oid *id, const char *path);
int stats_read_jobs(struct run *s);

/* stats.c */
int stats_kind_tree(struct run *s, git_oid *out, const git_oid *commit);
void stats_set_prefix(struct run *s, const git_oid *commit, const char *dir);
int stats_not_a_file(struct run *s, const char *path, unsigned mode);

/* stats_history.c */
int stats_history(struct run *s, struct enas_stats *st, struct cells *res,
    const git_oid *tip);

/* stats_table.c */
int stats_periods(struct enas_stats *st, const struct enas_stats_query *q,
    long long b, long long e);
int stats_flow_periods(struct run *s, struct enas_stats *st,
    struct cells *t);
int stats_build_rows(struct run *s, struct enas_stats *st, struct cells *t);
int stats_tables(struct run *s, struct enas_stats *st);
void stats_priv_free(struct priv *pv);

#endif
