/*
 * fastrec.c: the fast reader (lib/fastrec.c) against the full parser
 * (lib/record.c), on any input: whatever the fast reader accepts, the
 * full parser accepts too, as the same tree, every position included.
 * The fast reader may decline anything; it may never read a record
 * otherwise than the parser that gives the diagnostics.
 */
#include "fuzz.h"
#include "fastrec.h"
#include "record.h"

#include "../unit/nodes.h"

static struct enas_fastrec *fast;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!fast && enas_fastrec_new(&fast) < 0)
		fuzz_fail("no memory for the fast reader");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct enas_node *tree;
	struct enas_record *full = NULL;
	char why[512];
	int rc = 0;

	if (!fast)
		LLVMFuzzerInitialize(NULL, NULL);
	tree = enas_fastrec_parse(fast, (const char *)data, size, &rc);
	if (rc < 0)
		fuzz_fail("the fast reader ran out of memory");
	if (!tree)
		return 0;
	if (enas_record_parse(&full, (const char *)data, size, "x.yaml", 0,
	    NULL, NULL) < 0 || !full)
		fuzz_fail("the fast reader accepted what the parser refuses");
	if (!nodes_same(tree, full->root, why, sizeof(why))) {
		fprintf(stderr, "fuzz: %s\n", why);
		fuzz_fail("the fast reader read another tree than the parser");
	}
	enas_record_free(full);
	return 0;
}
