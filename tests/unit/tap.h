/*
 * tap.h: the Test Anything Protocol for the C unit tests, one copy for
 * all of them.  A test calls ok() and is() as it goes, and ends main()
 * with "return tap_done();", which prints the plan and gives the exit
 * status (0 when every test passed); prove reads the output.
 */
#ifndef ENAS_TAP_H
#define ENAS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int ntest, nfail;

/* One test: "ok N - what" when cond holds, else "not ok N - what". */
static inline void ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/*
 * Two strings equal (or both NULL); both printed as a TAP comment when
 * they differ, NULL as "(none)".
 */
static inline void
is(const char *want, const char *got, const char *what)
{
	int same = want && got ? strcmp(want, got) == 0 : want == got;

	ok(same, "%s", what);
	if (!same)
		printf("#   want: %s\n#    got: %s\n", want ? want : "(none)",
		    got ? got : "(none)");
}

/* The plan, printed last; the exit status of the test. */
static inline int
tap_done(void)
{
	printf("1..%d\n", ntest);
	return nfail != 0;
}

#endif
