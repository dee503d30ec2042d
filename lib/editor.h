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

/*
 * The diagnostics of one check, kept to be shown in the editor: add
 * them with enas_diags_add (an enas_diag_fn whose ctx is the list).
 * Copies that fail for want of memory set nomem.
 */
struct enas_diags {
	struct enas_diag *d;
	size_t n, cap;
	int nomem;
};
#define ENAS_DIAGS_INIT { NULL, 0, 0, 0 }

void enas_diags_add(void *ctx, const struct enas_diag *d);
void enas_diags_clear(struct enas_diags *l);	/* empty, and free */

/* Flags for enas_editor_strip(). */
#define ENAS_STRIP_BLANK 0x1	/* comment lines left empty: lines kept */

/*
 * The record in buf (len bytes) without its YAML comments, into out
 * (replaced): lines that hold only a comment are removed (left empty
 * with ENAS_STRIP_BLANK, so that every other line keeps its number)
 * and a comment after a value ("age: 15  # guess") is cut with the
 * spaces before it.  A '#' inside a quoted scalar or a block scalar
 * (| or >) is content, and stays.  Records hold no comments (SPEC §9):
 * this is what enas new and enas edit write.  0 or ENAS_ENOMEM.
 */
int enas_editor_strip(struct enas_buf *out, const char *buf, size_t len,
    unsigned flags);

/*
 * The number that line of text (len bytes) has once its comment lines
 * are removed, given blanked (blen bytes): text through
 * enas_editor_strip() with ENAS_STRIP_BLANK.
 */
int enas_editor_line(const char *text, size_t len, const char *blanked,
    size_t blen, int line);

/* 1 when buf (len bytes) holds nothing but blank lines and comments. */
int enas_editor_blank(const char *buf, size_t len);

/*
 * The errors shown at the top of the editor's copy are comment lines
 * that start with ENAS_EDITOR_MARK; they come and go with each check.
 * enas_editor_unmark() returns the length of that block at the start
 * of buf (0 when there is none).
 */
#define ENAS_EDITOR_MARK "#! "
size_t enas_editor_unmark(const char *buf, size_t len);

/*
 * out (replaced) = a block of comment lines that says the record was
 * not written and lists the diagnostics of l, then text (len bytes,
 * without a block of its own).  Each diagnostic is "line N: FIELD:
 * message (hint)", N counted in out, so the line it names is the line
 * the editor shows (a diagnostic's line is taken as counted in text).
 * 0 or ENAS_ENOMEM.
 */
int enas_editor_mark(struct enas_buf *out, const char *text, size_t len,
    const struct enas_diags *l);

#endif
