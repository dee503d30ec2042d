/*
 * gitalloc.c: libgit2's allocator, so that its allocations go through
 * the same accounting (and failure injection) as enas's own.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/alloc.h>

#include "gitalloc.h"
#include "i18n.h"

/*
 * libgit2 allocates through here.  A failure is noted (libgit2 1.5 takes
 * some for "nothing found", and enas_alloc_failed() lets a caller know),
 * and like libgit2's own allocator these only return NULL: its callers
 * set the error, which allocates too, so enas_repo_error() does not ask
 * libgit2 for it once memory ran out.
 *
 * With ENAS_FAIL_ALLOC_GIT=1, libgit2's allocations also count towards
 * ENAS_FAIL_ALLOC and fail with it; not while libgit2 starts and opens
 * the repository, which it does not survive.  libgit2 1.5 crashes on a
 * failed allocation in more places (its reference database and tree
 * walk), so make check fails only enas's and PCRE2's allocations.
 * repo.c spares libgit2 while it starts (enas_gitalloc_spare()).
 */
static int spare;
static int git_fails = -1;

static void *
ga_resize(void *p, size_t n)
{
	void *q;

	if (git_fails < 0)
		git_fails = getenv("ENAS_FAIL_ALLOC_GIT") != NULL;
	if (git_fails && !spare)
		return enas_realloc(p, n);
	if (!(q = realloc(p, n ? n : 1)))
		enas_error_nomem();
	return q;
}

static void *
ga_reallocarray(void *p, size_t n, size_t size, const char *file, int line)
{
	(void)file;
	(void)line;
	if (size && n > (size_t)-1 / size) {
		enas_error_nomem();
		return NULL;
	}
	return ga_resize(p, n * size);
}

static void *
ga_mallocarray(size_t n, size_t size, const char *file, int line)
{
	return ga_reallocarray(NULL, n, size, file, line);
}

static void *
ga_malloc(size_t n, const char *file, int line)
{
	return ga_reallocarray(NULL, n, 1, file, line);
}

static void *
ga_calloc(size_t n, size_t size, const char *file, int line)
{
	void *p = ga_reallocarray(NULL, n, size, file, line);

	if (p)
		memset(p, 0, n * size);
	return p;
}

static void *
ga_realloc(void *p, size_t n, const char *file, int line)
{
	return ga_reallocarray(p, n, 1, file, line);
}

static char *
ga_substrdup(const char *s, size_t n, const char *file, int line)
{
	char *p;

	if (n == (size_t)-1 || !(p = ga_malloc(n + 1, file, line)))
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *
ga_strndup(const char *s, size_t n, const char *file, int line)
{
	return ga_substrdup(s, strnlen(s, n), file, line);
}

static char *
ga_strdup(const char *s, const char *file, int line)
{
	return ga_substrdup(s, strlen(s), file, line);
}

static void
ga_free(void *p)
{
	free(p);
}

static git_allocator allocator = {
	ga_malloc, ga_calloc, ga_strdup, ga_strndup, ga_substrdup,
	ga_realloc, ga_reallocarray, ga_mallocarray, ga_free
};

int
enas_gitalloc_install(void)
{
	return git_libgit2_opts(GIT_OPT_SET_ALLOCATOR, &allocator) < 0 ?
	    enas_error_set(ENAS_EGIT, _("cannot set libgit2's allocator")) : 0;
}

void
enas_gitalloc_spare(int on)
{
	spare = on;
}
