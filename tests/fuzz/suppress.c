/*
 * suppress.c: disclosure control on a small table derived from the
 * input: the first byte gives the rows (1 to 6), the second the columns
 * (1 to 6), the third k (0 to 11), and each further byte a cell: the
 * byte's low 5 bits when its top bits are 0, else the byte times 4 (so
 * that most counts are small, some large).  When enas_suppress()
 * protects the table, no cell of 1 to k-1 is shown, no zero cell is
 * withheld, the audit finds no withheld cell that can be worked out,
 * and the totals add up whichever way they are summed.
 */
#include "fuzz.h"
#include "suppress.h"

#define MAXD 6

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long long v[MAXD * MAXD], k, rows = 0, cols = 0, t;
	unsigned char mark[MAXD * MAXD], pinned[MAXD * MAXD];
	size_t nr, nc, i, r, c;
	int rc;

	if (size < 3)
		return 0;
	nr = 1 + data[0] % MAXD;
	nc = 1 + data[1] % MAXD;
	k = data[2] % 12;
	for (i = 0; i < nr * nc; i++) {
		uint8_t b = 3 + i < size ? data[3 + i] : 0;

		v[i] = b < 0x40 ? b & 31 : (long long)b * 4;
	}
	memset(mark, 0xff, sizeof(mark));
	rc = enas_suppress(mark, v, nr, nc, k);
	if (rc == ENAS_ENOMEM)
		return 0;
	if (rc != 0 && rc != ENAS_EDATA)
		fuzz_fail("an unknown status");
	if (rc == ENAS_EDATA && k < 2)
		fuzz_fail("a table refused with k < 2");
	if (rc == ENAS_EDATA)
		return 0;
	for (i = 0; i < nr * nc; i++) {
		if (mark[i] > ENAS_CELL_SECONDARY)
			fuzz_fail("a cell left unmarked");
		if (k < 2 && mark[i] != ENAS_CELL_SHOWN)
			fuzz_fail("a cell withheld with k < 2");
		if (k >= 2 && v[i] > 0 && v[i] < k &&
		    mark[i] != ENAS_CELL_PRIMARY)
			fuzz_fail("a cell of 1 to k-1 that is not primary");
		if (mark[i] == ENAS_CELL_PRIMARY && !(v[i] > 0 && v[i] < k))
			fuzz_fail("a primary cell outside 1 to k-1");
		if (v[i] == 0 && mark[i] != ENAS_CELL_SHOWN)
			fuzz_fail("a zero cell withheld");
	}
	memset(pinned, 0, sizeof(pinned));
	t = enas_suppress_audit(pinned, mark, v, nr, nc, k);
	if (t == ENAS_ENOMEM)
		return 0;
	if (t != 0)
		fuzz_fail("a withheld cell can be worked out");
	for (i = 0; i < nr * nc; i++)
		if (pinned[i])
			fuzz_fail("the audit pins a cell but counts none");
	for (r = 0; r < nr; r++)
		rows += enas_suppress_total(v, nr, nc, 0, r);
	for (c = 0; c < nc; c++)
		cols += enas_suppress_total(v, nr, nc, 1, c);
	t = enas_suppress_total(v, nr, nc, -1, 0);
	if (rows != t || cols != t)
		fuzz_fail("the row, column and grand totals disagree");
	return 0;
}
