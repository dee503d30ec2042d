/*
 * audit.h: a linear audit of everything published, with GLPK.
 *
 * The unknowns are atoms: counts that are never negative, whose true
 * values the audit is given.  A published cell is the sum of some atoms,
 * shown (the reader knows it), withheld as 1 to k-1 (primary) or as k or
 * more (secondary).  A count is a sum of atoms that was never published
 * but that a reader might work out (the closed cases between an "all"
 * and an "open" table, a cross-classified count).  A reader is assumed
 * to know every published cell as printed, that atoms are whole and
 * never negative, and nothing else.
 *
 * A withheld cell is exposed when every whole solution gives it one
 * value.  A count of 1 to k-1 (that is not itself a withheld primary
 * cell) is exposed when it is determined, or pinned inside 1..k-1: when
 * no whole solution makes it 0 or k or more.  Bounds come from the
 * linear relaxation (simplex, both directions); a bound is trusted only
 * when a whole solution attains it, else the integer program decides.
 */
#ifndef ENAS_AUDIT_H
#define ENAS_AUDIT_H

#include <stddef.h>

#include "suppress.h"

struct enas_audit;

/* A mark for a cell that takes no part (beside ENAS_CELL_*). */
#define ENAS_AUDIT_IGNORE 3

/* A new audit of natoms atoms with true values x (copied), for k. */
int enas_audit_new(struct enas_audit **out, size_t natoms,
    const long long *x, long long k);

/*
 * Add a published cell, the sum of the n atoms idx[] (copied), marked
 * mark (ENAS_CELL_*); its index is put in *id when id is not NULL.
 */
int enas_audit_cell(struct enas_audit *a, size_t *id, const size_t *idx,
    size_t n, int mark);

/* The same, for a cell published with another k. */
int enas_audit_cell_k(struct enas_audit *a, size_t *id, const size_t *idx,
    size_t n, int mark, long long k);

/* Add an unpublished count, the sum of the n atoms idx[]. */
int enas_audit_count(struct enas_audit *a, size_t *id, const size_t *idx,
    size_t n);

/* Change the mark of cell id. */
void enas_audit_mark(struct enas_audit *a, size_t id, int mark);

/* The number of cells and counts added so far. */
size_t enas_audit_size(const struct enas_audit *a);

/*
 * Audit: set exposed[i] (enas_audit_size() bytes, may be NULL) for
 * each cell and count that is exposed, and return their number, or a
 * negative status.  Only the entries with check[i] set are looked at
 * when check is not NULL.  first: stop at the first exposure.
 */
long long enas_audit_run(struct enas_audit *a, unsigned char *exposed,
    const unsigned char *check, int first);

void enas_audit_free(struct enas_audit *a);

/*
 * The audits a search may spend on a: an audit costs about as much as
 * the audit has cells, so 48 000 divided by them, at least 50; the
 * pattern found depends on the table only, never on the machine.
 */
long enas_audit_budget(const struct enas_audit *a);

/*
 * The fewest complements, by search: sets of the ncand candidates, cells
 * ids[] of a (shown; their values val[] sorted, smallest first), fewer
 * first and, within a size, the smaller total first.  Each set is
 * withheld in turn and a audited (the cells with check[i] set, or all
 * when check is NULL), then shown again.  Sizes from 1 to max; at size
 * max only a total below limit counts (limit < 0: any).  At most
 * *budget audits (decremented).  Returns the size of the first safe set
 * found, its indices into ids in best[] (max long), 0 when none was
 * found, or a negative status.
 */
int enas_audit_search(struct enas_audit *a, size_t *best, const size_t *ids,
    const long long *val, size_t ncand, size_t max, long long limit,
    const unsigned char *check, long *budget);

#endif
