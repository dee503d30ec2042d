/*
 * pattern.c: a pattern and a subject through the rule matcher.  The
 * input is a flags byte, the pattern up to the first NUL, and the
 * subject after it.  Flag bit 0 anchors the pattern (match:), bit 1
 * turns PCRE2's JIT off, as valgrind runs do.
 */
#include "fuzz.h"
#include "pattern.h"

static int no_jit_env = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enas_pattern *p;
	const char *src, *subject, *nul;
	size_t len, slen, erroff;
	unsigned flags;
	char msg[256];
	int rc;

	if (size < 1)
		return 0;
	flags = data[0];
	src = (const char *)data + 1;
	size--;
	if ((nul = memchr(src, '\0', size))) {
		len = (size_t)(nul - src);
		subject = nul + 1;
		slen = size - len - 1;
	} else {
		len = size;
		subject = src;
		slen = size;
	}
	/* When the environment turns JIT off (valgrind), it stays off. */
	if (no_jit_env < 0)
		no_jit_env = getenv("ENAS_NO_JIT") != NULL;
	if ((flags & 2) && !no_jit_env)
		setenv("ENAS_NO_JIT", "1", 1);
	rc = enas_pattern_compile(&p, src, len, flags & 1 ?
	    ENAS_PATTERN_WHOLE : 0, &erroff, msg, sizeof(msg));
	if ((flags & 2) && !no_jit_env)
		unsetenv("ENAS_NO_JIT");
	if (rc < 0) {
		if (p)
			fuzz_fail("a failed compile returned a pattern");
		if (rc == ENAS_EDATA && (erroff > len || !msg[0]))
			fuzz_fail("a refused pattern without a message or "
			    "with an offset past its end");
		return 0;
	}
	rc = enas_pattern_match(p, subject, slen);
	if (rc != 0 && rc != 1 && rc != ENAS_EDATA && rc != ENAS_ENOMEM)
		fuzz_fail("a match that is not 0, 1 or an error");
	/* The same pattern twice gives the same answer. */
	if (rc >= 0 && enas_pattern_match(p, subject, slen) != rc)
		fuzz_fail("a pattern that matches differently the second time");
	enas_pattern_free(p);
	return 0;
}
