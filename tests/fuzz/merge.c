/*
 * merge.c: git's merge driver on three versions of a record.  The input
 * is base, ours and theirs, split at the first two NUL bytes (a record
 * never holds one; missing parts are empty).  A clean merge must parse
 * as the merge parses (keys may be field paths, as in rules files), and
 * as a record when all three sides do (what enas-merge then checks); a
 * conflict must come with a diagnostic and conflict markers.
 */
#include "fuzz.h"
#include "merge.h"
#include "record.h"

#define NAME "records/cases/2024/NDR-2024-7K3QP.yaml"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* 1 if buf, len bytes, parses with flags (ENAS_PARSE_*). */
static int
parses(const char *buf, size_t len, int flags)
{
	struct enas_record *rec = NULL;
	int rc;

	rc = enas_record_parse(&rec, buf, len, NAME, flags, fuzz_diag, NULL);
	enas_record_free(rec);
	return rc >= 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enas_merge_input in[3];
	struct enas_buf out = ENAS_BUF_INIT;
	const char *p = (const char *)data, *end = p + size, *nul;
	int i, rc, ndiag = 0;

	for (i = 0; i < 3; i++) {
		nul = i < 2 ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		in[i].buf = p;
		in[i].len = (size_t)((nul ? nul : end) - p);
		p = nul ? nul + 1 : end;
	}
	rc = enas_merge_records(&out, NAME, &in[0], &in[1], &in[2],
	    fuzz_diag, &ndiag);
	/*
	 * ENAS_EDATA: a merged tree the text cannot say ("cannot be
	 * written back"); enas-merge then leaves the file to the user.
	 */
	if (rc == ENAS_ENOMEM || rc == ENAS_EDATA)
		goto done;
	if (rc < 0 || rc > ENAS_MERGE_NOT_RECORD)
		fuzz_fail("an unknown merge status");
	if (rc == ENAS_MERGE_CLEAN) {
		const char *o = out.data ? out.data : "";

		if (!parses(o, out.len, ENAS_PARSE_RULES))
			fuzz_fail("a clean merge that does not parse");
		if (parses(in[0].buf, in[0].len, 0) &&
		    parses(in[1].buf, in[1].len, 0) &&
		    parses(in[2].buf, in[2].len, 0) && !parses(o, out.len, 0))
			fuzz_fail("a clean merge of records that is no "
			    "record");
	}
	if (rc == ENAS_MERGE_CONFLICT && ndiag == 0)
		fuzz_fail("a conflict without a diagnostic");
	if (rc == ENAS_MERGE_CONFLICT && (!out.data ||
	    !strstr(out.data, "<<<<<<< ours")))
		fuzz_fail("a conflict without conflict markers");

done:
	enas_buf_free(&out);
	return 0;
}
