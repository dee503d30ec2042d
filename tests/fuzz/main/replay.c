/*
 * replay.c: a main() for the fuzz targets without a fuzzing engine.
 *
 *	NAME-replay FILE|DIR...
 *
 * feeds each file, and each file of each directory (sorted by name), to
 * LLVMFuzzerTestOneInput() once, in a buffer of exactly its size so that
 * a sanitizer or valgrind sees any read past its end.  With no operands
 * it reads one input from standard input, so that AFL++ can run it
 * (persistently, when built with afl-clang-fast).  Exits 0 when every
 * input ran, 2 when one could not be read; a crash is a crash.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

static long nrun;

/* Read all of fp into a new buffer of exactly its size. */
static uint8_t *
slurp(FILE *fp, size_t *size)
{
	uint8_t *buf = NULL, *p, chunk[65536];
	size_t n, len = 0;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (!(p = realloc(buf, len + n))) {
			free(buf);
			return NULL;
		}
		buf = p;
		memcpy(buf + len, chunk, n);
		len += n;
	}
	if (ferror(fp)) {
		free(buf);
		return NULL;
	}
	*size = len;
	return buf ? buf : malloc(1);
}

static int
run_file(const char *path)
{
	uint8_t *data;
	size_t size;
	FILE *fp;

	if (!(fp = fopen(path, "rb"))) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	data = slurp(fp, &size);
	fclose(fp);
	if (!data) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	nrun++;
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_dir(const char *dir)
{
	char **names = NULL, **p, *name, path[4096];
	size_t n = 0, cap = 0, i;
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	if (!(dp = opendir(dir))) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(p = realloc(names, cap * sizeof(*names)))) {
				rc = -1;
				break;
			}
			names = p;
		}
		if (!(name = strdup(d->d_name))) {
			rc = -1;
			break;
		}
		names[n++] = name;
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (rc == 0 && run_file(path) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct stat st;
	uint8_t *data;
	size_t size;
	int i, rc = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
#ifdef __AFL_FUZZ_TESTCASE_LEN
		__AFL_INIT();
		while (__AFL_LOOP(10000)) {
			size = (size_t)__AFL_FUZZ_TESTCASE_LEN;
			if (!(data = malloc(size ? size : 1)))
				return 2;
			memcpy(data, __AFL_FUZZ_TESTCASE_BUF, size);
			LLVMFuzzerTestOneInput(data, size);
			free(data);
		}
		return 0;
#else
		if (!(data = slurp(stdin, &size)))
			return 2;
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		return 0;
#endif
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc |= run_dir(argv[i]) < 0;
		else
			rc |= run_file(argv[i]) < 0;
	}
	printf("replay: %ld inputs\n", nrun);
	return rc ? 2 : 0;
}
