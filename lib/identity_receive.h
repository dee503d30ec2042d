/*
 * identity_receive.h: the identity server's checks of a pushed commit,
 * which need no key (see identity_receive.c).
 */
#ifndef ENAS_IDENTITY_RECEIVE_H
#define ENAS_IDENTITY_RECEIVE_H

#include <git2.h>

#include "enas.h"

/*
 * Check the tree of commit c (named name in messages, "3f2a9c1"): the
 * closed layout (.gitattributes, .token.age, ids/<OFFICE>/.recipients,
 * ids/<OFFICE>/<token>.age, regular files only), every .age file an age
 * file with at least one X25519 stanza and no scrypt stanza, every
 * recipients file one that parses; blobs over 1 MiB refused by their
 * size before they are read.  Each problem goes to fn as
 * "name:path: message".  Returns the number of problems, or a negative
 * status.
 */
int enas_identity_check_commit(git_repository *git, const git_commit *c,
    const char *name, enas_diag_fn fn, void *ctx);

/*
 * *out = 1 when c changes, against its first parent (or from nothing),
 * a file only an administrator may change: a recipients file, the
 * token key, .gitattributes.
 */
int enas_identity_admin_change(int *out, git_repository *git,
    const git_commit *c);

#endif
