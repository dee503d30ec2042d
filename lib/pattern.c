/*
 * pattern.c: PCRE2 with our limits.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pattern.h"

/*
 * PCRE2 allocates through enas_malloc(), so that ENAS_FAIL_ALLOC makes
 * its allocations fail too.
 */
static void *
pcre_malloc(PCRE2_SIZE n, void *data)
{
	(void)data;
	return enas_malloc(n);
}

static void
pcre_free(void *p, void *data)
{
	(void)data;
	free(p);
}

struct enas_pattern {
	pcre2_code *code;
	pcre2_match_context *mctx;
	pcre2_match_data *md;	/* reused: a pattern serves one thread */
	int jit;
};

int
enas_pattern_compile(struct enas_pattern **out, const char *src,
    size_t len, unsigned flags, size_t *erroff, char *buf, size_t size)
{
	struct enas_pattern *p;
	struct enas_buf wrapped = ENAS_BUF_INIT;
	pcre2_general_context *gctx;
	pcre2_compile_context *cctx;
	PCRE2_SIZE off = 0;
	const char *s = src;
	size_t n = len;
	int code;

	*out = NULL;
	*erroff = 0;
	if (len > ENAS_PATTERN_MAX) {
		snprintf(buf, size, _("pattern is %zu bytes, longer than the "
		    "%d-byte limit"), len, ENAS_PATTERN_MAX);
		return ENAS_EDATA;
	}
	/*
	 * (*LIMIT_MATCH=...) and its kin at the start of a pattern can only
	 * lower the limits set by the match context, never raise them, but
	 * a pattern that tries is refused anyway: it is never what a rule
	 * needs, and saying so is clearer than silently capping it.
	 */
	if (memmem(src, len, "(*LIMIT_", 8) || memmem(src, len, "(*NO_", 5)) {
		snprintf(buf, size, "%s", _("pattern options (*LIMIT_…) and "
		    "(*NO_…) are not allowed"));
		*erroff = (size_t)((const char *)memmem(src, len, "(*", 2) -
		    src);
		return ENAS_EDATA;
	}
	if (flags & ENAS_PATTERN_WHOLE) {
		if (enas_buf_puts(&wrapped, "\\A(?:") < 0 ||
		    enas_buf_add(&wrapped, src, len) < 0 ||
		    enas_buf_puts(&wrapped, ")\\z") < 0)
			return ENAS_ENOMEM;
		s = wrapped.data;
		n = wrapped.len;
	}
	gctx = pcre2_general_context_create(pcre_malloc, pcre_free, NULL);
	cctx = gctx ? pcre2_compile_context_create(gctx) : NULL;
	if (!cctx || !(p = enas_calloc(1, sizeof(*p)))) {
		pcre2_compile_context_free(cctx);
		pcre2_general_context_free(gctx);
		enas_buf_free(&wrapped);
		return enas_error_nomem();
	}
	/* \C would let a match split a UTF-8 character: PCRE2_NEVER_BACKSLASH_C. */
	p->code = pcre2_compile((PCRE2_SPTR)s, n, PCRE2_UTF |
	    PCRE2_NEVER_BACKSLASH_C, &code, &off, cctx);
	pcre2_compile_context_free(cctx);
	enas_buf_free(&wrapped);
	if (!p->code && code == PCRE2_ERROR_HEAP_FAILED) {
		pcre2_general_context_free(gctx);
		free(p);
		return enas_error_nomem();
	}
	if (!p->code) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, size);
		if (flags & ENAS_PATTERN_WHOLE)
			off = off >= 5 ? off - 5 : 0;
		*erroff = off > len ? len : off;
		pcre2_general_context_free(gctx);
		free(p);
		return ENAS_EDATA;
	}
	p->mctx = pcre2_match_context_create(gctx);
	p->md = pcre2_match_data_create_from_pattern(p->code, gctx);
	pcre2_general_context_free(gctx);
	if (!p->mctx || !p->md) {
		pcre2_match_data_free(p->md);
		pcre2_match_context_free(p->mctx);
		pcre2_code_free(p->code);
		free(p);
		return enas_error_nomem();
	}
	pcre2_set_match_limit(p->mctx, ENAS_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mctx, ENAS_DEPTH_LIMIT);
	/*
	 * ENAS_NO_JIT=1 is for valgrind, which cannot follow JIT code and
	 * reports its reads as uninitialised.
	 */
	if (!getenv("ENAS_NO_JIT"))
		p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0;
	*out = p;
	return 0;
}

void
enas_pattern_free(struct enas_pattern *p)
{
	if (!p)
		return;
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mctx);
	pcre2_code_free(p->code);
	free(p);
}

int
enas_pattern_match(const struct enas_pattern *p, const char *subject,
    size_t len)
{
	int rc;

	rc = pcre2_match(p->code, (PCRE2_SPTR)subject, len, 0, 0, p->md,
	    p->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	/*
	 * A pattern that recurses without end runs out of JIT stack with
	 * the JIT and is caught as a loop without it: the same to a user.
	 */
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
	    rc == PCRE2_ERROR_RECURSELOOP)
		return enas_error_set(ENAS_EDATA, _("hit the matching limit "
		    "(the pattern backtracks too much)"));
	if (rc == PCRE2_ERROR_NOMEMORY)
		return enas_error_nomem();
	if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
		return enas_error_set(ENAS_EDATA,
		    _("value is not valid UTF-8"));
	return enas_error_set(ENAS_EDATA, _("pattern match failed (PCRE2 "
	    "error %d)"), rc);
}
