/*
 * gitalloc.h: libgit2 allocates through enas_realloc(), so that
 * ENAS_FAIL_ALLOC (with ENAS_FAIL_ALLOC_GIT=1) reaches its allocations
 * and enas_alloc_failed() sees them fail.
 */
#ifndef ENAS_GITALLOC_H
#define ENAS_GITALLOC_H

#include "enas.h"

/* Give libgit2 our allocator; before git_libgit2_init(), which keeps it. */
int enas_gitalloc_install(void);

/*
 * While on is set, libgit2's allocations are not counted nor made to
 * fail (libgit2 1.5 does not survive that while it starts).
 */
void enas_gitalloc_spare(int on);

#endif
