/*
 * fuzz.h: what the fuzz targets in tests/fuzz/ share.
 *
 * A target is one file, tests/fuzz/NAME.c, that defines
 * LLVMFuzzerTestOneInput() (and, if it needs set-up, LLVMFuzzerInitialize())
 * and includes this header; its seed corpus is tests/fuzz/corpus/NAME/,
 * its crashes kept for ever in tests/fuzz/regress/NAME/, and an optional
 * tests/fuzz/NAME.dict adds tokens to tests/fuzz/yaml.dict.  The same file
 * links with libFuzzer (make fuzz), with tests/fuzz/main/replay.c (make
 * check replays the corpus, with gcc or clang, under SAN=1 and valgrind
 * too) and with AFL++ (make fuzz-afl).
 *
 * A target must be deterministic, must not leak between inputs, and
 * calls fuzz_fail() (which aborts) when an invariant of the library
 * does not hold, so that the fuzzer keeps the input.
 */
#ifndef ENAS_FUZZ_H
#define ENAS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enas.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#ifndef ENAS_FUZZ_SRC
#define ENAS_FUZZ_SRC "."
#endif

#define FUZZ_UNUSED __attribute__((unused))

/* Stop with a message: the fuzzer keeps the input that led here. */
static FUZZ_UNUSED void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: invariant broken: %s\n", what);
	abort();
}

/* The top of the source tree: $ENAS_SRC, or where it was built. */
static FUZZ_UNUSED const char *
fuzz_src(void)
{
	const char *s = getenv("ENAS_SRC");

	return s && *s ? s : ENAS_FUZZ_SRC;
}

/*
 * Every diagnostic must name a file, have a message and sane positions;
 * it is formatted as text and as JSON, as the tools would print it.
 */
static FUZZ_UNUSED void
fuzz_diag(void *ctx, const struct enas_diag *d)
{
	struct enas_buf b = ENAS_BUF_INIT;
	char line[4096];
	int *count = ctx;

	if (!d->file || !d->msg || !*d->msg)
		fuzz_fail("a diagnostic without a file or a message");
	if (d->line < 0 || d->col < 0 || (d->line == 0 && d->col != 0))
		fuzz_fail("a diagnostic at an impossible position");
	if (enas_diag_format(line, sizeof(line), d) < 0)
		fuzz_fail("a diagnostic that cannot be formatted");
	if (memchr(line, '\n', strlen(line)))
		fuzz_fail("a diagnostic on more than one line");
	(void)enas_diag_json(&b, d);
	enas_buf_free(&b);
	if (count)
		(*count)++;
}

/*
 * 1 if path, made from a record's fields, could leave the directory it
 * is meant for: absolute, or with an empty, "." or ".." segment.
 */
static FUZZ_UNUSED int
fuzz_path_escapes(const char *path)
{
	const char *s = path, *e;
	size_t n;

	if (*s == '/' || *s == '\0')
		return 1;
	for (;;) {
		e = strchr(s, '/');
		n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return 1;
		if (!e)
			return 0;
		s = e + 1;
	}
}

/* A rules file of the source tree, loaded once; exits if it is broken. */
static FUZZ_UNUSED struct enas_rules *
fuzz_rules(const char *kind)
{
	struct enas_buf b = ENAS_BUF_INIT;
	struct enas_rules *r;
	char path[4096];

	snprintf(path, sizeof(path), "%s/records/rules/%s.yaml", fuzz_src(),
	    kind);
	if (enas_file_read(&b, path, 1 << 20) < 0 ||
	    enas_rules_load(&r, b.data, b.len, path, NULL, NULL) < 0) {
		fprintf(stderr, "fuzz: cannot load %s (set ENAS_SRC): %s\n",
		    path, enas_error_last());
		exit(2);
	}
	enas_buf_free(&b);
	return r;
}

#endif
