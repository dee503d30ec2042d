/*
 * suppress.h: statistical disclosure control for a table of counts:
 * which cells to withhold so that no small count can be printed or
 * worked out from what is printed.
 *
 * The table has nrows × ncols cells (row-major).  What a reader is
 * assumed to know: every shown cell; that a withheld primary cell is
 * 1 to k-1 and a withheld complementary ("secondary") cell at least k,
 * since both are told apart in the output; every row total (when the
 * table has two columns or more), every column total (two rows or
 * more) and the grand total, exactly when it is k or more and as "1 to
 * k-1" when it is smaller.  A withheld cell is safe when at least two
 * values of it fit all of that.  For such two-way tables with margins
 * the question is one of flows in a network, and enas_suppress_audit()
 * answers it exactly: a cell can move by one when a cycle of other
 * withheld cells and loose totals can move with it.
 */
#ifndef ENAS_SUPPRESS_H
#define ENAS_SUPPRESS_H

#include <stddef.h>

enum {
	ENAS_CELL_SHOWN = 0,
	ENAS_CELL_PRIMARY = 1,		/* 0 < count < k */
	ENAS_CELL_SECONDARY = 2		/* withheld to protect another */
};

/*
 * Mark in mark[] (nrows * ncols, written) the cells of v to withhold
 * for a minimum cell count k: every cell with 0 < v < k, then, as
 * complements, the smallest non-zero cells that the audit needs, until
 * no withheld cell can be worked out.  Zero cells are never withheld
 * (and protect nothing).  Returns 0, or ENAS_EDATA with a message when
 * no choice of cells protects the table.  k < 2 withholds nothing.
 */
int enas_suppress(unsigned char *mark, const long long *v, size_t nrows,
    size_t ncols, long long k);

/*
 * The number of withheld cells of a marked table that can be worked
 * out exactly; pinned[] (may be NULL) is set to 1 for each.  A
 * negative status on allocation failure.
 */
long long enas_suppress_audit(unsigned char *pinned,
    const unsigned char *mark, const long long *v, size_t nrows,
    size_t ncols, long long k);

/* The total of row or column i, or of everything. */
long long enas_suppress_total(const long long *v, size_t nrows,
    size_t ncols, int col, size_t i);

#endif
