/*
 * receive.h: what a server's pre-receive hook checks: every commit that
 * a push adds, on every ref it updates.
 */
#ifndef ENAS_RECEIVE_H
#define ENAS_RECEIVE_H

#include "check.h"
#include "repo.h"

/* One line of pre-receive's input: "<old> <new> <ref>". */
struct enas_update {
	git_oid old;
	git_oid new;
	char ref[1024];
};

/*
 * Parse one line (len bytes, without its newline).  ENAS_EDATA with a
 * message when it is not two full hexadecimal ids and a ref name.
 */
int enas_receive_parse(struct enas_update *u, const char *line, size_t len);

/*
 * Check every commit that the updates bring and no existing ref
 * already reaches, oldest first: each commit's records that differ from
 * its first parent, against that commit's own rules.  Deletions (a new
 * id of zeros) pass.  Problems go to fn, named "<commit>:<path>".
 * Returns the number of commits with errors, or a negative status.
 */
int enas_receive_check(struct enas_repo *repo, const struct enas_update *u,
    size_t n, enas_diag_fn fn, void *ctx);

#endif
