/*
 * record.c: a record file, parsed and checked against the rules of the
 * kind its id names (cases when it names none), as enas-check would:
 * the YAML subset, types, enums, bounds, patterns, conditions and the
 * path the record belongs at.
 */
#include "fuzz.h"
#include "record.h"

static struct enas_rules *kinds[3];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	kinds[0] = fuzz_rules("case");
	kinds[1] = fuzz_rules("session");
	kinds[2] = fuzz_rules("partner");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enas_buf path = ENAS_BUF_INIT;
	struct enas_record *rec = NULL;
	const struct enas_rules *r = kinds[0];
	const struct enas_node *id;
	int rc, ndiag = 0, errors;
	size_t i;

	if (!kinds[0])
		LLVMFuzzerInitialize(NULL, NULL);
	rc = enas_record_parse(&rec, (const char *)data, size,
	    "records/cases/2024/NDR-2024-7K3QP.yaml", 0, fuzz_diag, &ndiag);
	if (rc == ENAS_EDATA) {
		if (rec || ndiag == 0)
			fuzz_fail("a refused record without a diagnostic");
		return 0;
	}
	if (rc < 0 || !rec || !rec->root || rec->root->type != ENAS_MAP)
		fuzz_fail("an accepted record that is not a mapping");
	if ((id = enas_node_get(rec->root, "id")) && id->type == ENAS_SCALAR)
		for (i = 0; i < 3; i++)
			if (enas_rules_id_ok(kinds[i], id->value, id->len)) {
				r = kinds[i];
				break;
			}
	ndiag = 0;
	errors = enas_rules_check(r, rec, fuzz_diag, &ndiag);
	if (errors > ndiag)
		fuzz_fail("more errors than diagnostics");
	rc = enas_rules_record_path(&path, r, rec);
	if (rc == 0 && fuzz_path_escapes(path.data))
		fuzz_fail("a record path that leaves its directory");
	enas_buf_free(&path);
	enas_record_free(rec);
	return 0;
}
