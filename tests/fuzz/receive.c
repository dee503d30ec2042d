/*
 * receive.c: the "<old> <new> <ref>" lines that git gives the
 * pre-receive hook, one per input line, as enas-check --pre-receive
 * reads them.
 */
#include "fuzz.h"
#include "receive.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct enas_update u;
	size_t len;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (enas_receive_parse(&u, p, len) == 0) {
			if (strlen(u.ref) == 0 || strlen(u.ref) >= sizeof(u.ref)
			    || strchr(u.ref, ' '))
				fuzz_fail("an accepted line with a bad ref");
			if (len < 2 * GIT_OID_HEXSZ + 3)
				fuzz_fail("an accepted line that is too short");
		}
		p += len + 1;
	}
	return 0;
}
