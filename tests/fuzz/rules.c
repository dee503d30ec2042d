/*
 * rules.c: a rules file, loaded and compiled; when it loads, a few
 * records are checked against it, so that what the loader accepted is
 * also what the checker can use.
 */
#include "fuzz.h"
#include "record.h"

static const char *const samples[] = {
	"id: NDR-2024-7K3QP\nregistered: 2024-03-14\nsite: nador\n"
	"age: 15\nconcerns: [street_child, other]\nconsent:\n"
	"  reporting: true\nreferrals:\n  - date: 2024-03-15\n"
	"    to: bayti\nstatus: closed\nclosure:\n  date: 2024-11-02\n",
	"id: SES-2024-M4ZD2\ndate: 2024-11-20\nkind: awareness\n"
	"participants:\n  enas: 25\n  actors: 0\norganisers: [iom]\n",
	"id: x\nname: Association 0612345678\ntype: association\n"
	"a:\n  b:\n    c: 1\n",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enas_buf path = ENAS_BUF_INIT;
	struct enas_rules *r = NULL;
	struct enas_record *rec;
	int rc, ndiag = 0;
	size_t i;

	rc = enas_rules_load(&r, (const char *)data, size,
	    "records/rules/case.yaml", fuzz_diag, &ndiag);
	if (rc < 0) {
		if (r)
			fuzz_fail("a refused rules file returned rules");
		if (rc == ENAS_ERULES && ndiag == 0)
			fuzz_fail("a refused rules file without a diagnostic");
		return 0;
	}
	if (!r->kind || !r->dir || !r->path || !r->id_src)
		fuzz_fail("loaded rules without kind, dir, path or id");
	for (i = 0; i < r->nfields; i++)
		if (enas_rules_field(r, r->fields[i].path) == NULL)
			fuzz_fail("a declared field that cannot be found");
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		if (enas_record_parse(&rec, samples[i], strlen(samples[i]),
		    "sample.yaml", 0, NULL, NULL) < 0)
			fuzz_fail("a sample record does not parse");
		(void)enas_rules_check(r, rec, fuzz_diag, NULL);
		if (enas_rules_record_path(&path, r, rec) == 0 &&
		    fuzz_path_escapes(path.data))
			fuzz_fail("a record path that leaves its directory");
		enas_record_free(rec);
	}
	(void)enas_rules_id_ok(r, "NDR-2024-7K3QP", 14);
	enas_buf_free(&path);
	enas_rules_free(r);
	return 0;
}
