/*
 * editor.h: the user's editor on a private temporary copy.
 */
#ifndef ENAS_EDITOR_H
#define ENAS_EDITOR_H

#include "enas.h"
#include "repo.h"

/*
 * Run $VISUAL, else $EDITOR, else vi on file, through /bin/sh so that
 * the setting may carry arguments ("emacs -nw"), and wait for it, with
 * SIGINT and SIGQUIT ignored meanwhile (the terminal's ^C is the
 * editor's).  0 when it exits 0; ENAS_EIO with a message otherwise.
 */
int enas_editor_run(const char *file);

/*
 * Make a private directory (mode 0700) for temporary copies of records
 * inside the repository's git directory, so that a child's data never
 * leaves the repository's disk for a shared /tmp; its path into b.
 */
int enas_tmpdir_make(struct enas_buf *b, struct enas_repo *repo);

/* Remove file (may be NULL) and then the directory dir. */
void enas_tmpdir_remove(const char *dir, const char *file);

#endif
