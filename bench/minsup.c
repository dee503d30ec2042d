/*
 * bench/minsup.c: the fewest complements that protect a table, by
 * search (for make bench: the over-suppression of enas-stats -k).
 *
 *	minsup K MAX < TABLE
 *
 * TABLE is enas-stats -k 0 --totals output (TSV, a header, a "total"
 * in summed columns).  Every cell with 0 < count < K is withheld; the
 * search tries every set of other non-zero cells, smallest sets first,
 * up to MAX cells, and prints the size of the first set with which no
 * withheld figure can be worked out (lib/audit.c), or "MAX+" when none
 * of at most MAX cells does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

#define MAXC 128
#define MAXD 8

static char *key[MAXC][MAXD];
static long long val[MAXC];
static size_t ncells, ndims;
static size_t atom[MAXC], natoms;	/* cells that are atoms */
static size_t id[MAXC];
static size_t cand[MAXC], ncand;

static int
is_atom(size_t c)
{
	size_t d;

	for (d = 0; d < ndims; d++)
		if (strcmp(key[c][d], "total") == 0)
			return 0;
	return 1;
}

static int
holds(size_t c, size_t a)
{
	size_t d;

	for (d = 0; d < ndims; d++)
		if (strcmp(key[c][d], "total") != 0 &&
		    strcmp(key[c][d], key[atom[a]][d]) != 0)
			return 0;
	return 1;
}

/* Whether choosing the n candidates in pick protects the table. */
static int
safe(struct enas_audit *au, const size_t *pick, size_t n, long long k)
{
	size_t i;
	long long r;

	for (i = 0; i < ncand; i++)
		enas_audit_mark(au, id[cand[i]], ENAS_CELL_SHOWN);
	for (i = 0; i < n; i++)
		enas_audit_mark(au, id[cand[pick[i]]], ENAS_CELL_SECONDARY);
	r = enas_audit_run(au, NULL, NULL, 1);
	(void)k;
	return r == 0;
}

/* Every set of n of the candidates, from index from on. */
static int
search(struct enas_audit *au, size_t *pick, size_t depth, size_t n,
    size_t from, long long k)
{
	size_t i;

	if (depth == n)
		return safe(au, pick, n, k);
	for (i = from; i < ncand; i++) {
		pick[depth] = i;
		if (search(au, pick, depth + 1, n, i + 1, k))
			return 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct enas_audit *au;
	char line[4096], *f, *save;
	long long k, x[MAXC];
	size_t max, c, a, n, idx[MAXC], pick[MAXC];

	if (argc != 3)
		return 2;
	k = atoll(argv[1]);
	max = (size_t)atol(argv[2]);
	if (!fgets(line, sizeof(line), stdin))
		return 2;
	while (ncells < MAXC && fgets(line, sizeof(line), stdin)) {
		size_t d = 0;
		char *fields[MAXD + 1];

		line[strcspn(line, "\n")] = '\0';
		for (f = strtok_r(line, "\t", &save); f && d <= MAXD;
		    f = strtok_r(NULL, "\t", &save))
			fields[d++] = f;
		if (d < 2)
			return 2;
		ndims = d - 1;
		for (d = 0; d < ndims; d++)
			key[ncells][d] = strdup(fields[d]);
		val[ncells++] = atoll(fields[ndims]);
	}
	for (c = 0; c < ncells; c++)
		if (is_atom(c)) {
			x[natoms] = val[c];
			atom[natoms++] = c;
		}
	if (enas_audit_new(&au, natoms, x, k) < 0)
		return 2;
	for (c = 0; c < ncells; c++) {
		n = 0;
		for (a = 0; a < natoms; a++)
			if (holds(c, a))
				idx[n++] = a;
		if (enas_audit_cell(au, &id[c], idx, n, val[c] > 0 &&
		    val[c] < k ? ENAS_CELL_PRIMARY : ENAS_CELL_SHOWN) < 0)
			return 2;
		if (val[c] >= k)
			cand[ncand++] = c;
	}
	for (n = 0; n <= max && n <= ncand; n++)
		if (search(au, pick, 0, n, 0, k)) {
			printf("%zu\n", n);
			enas_audit_free(au);
			return 0;
		}
	printf("%zu+\n", max);
	enas_audit_free(au);
	return 0;
}
