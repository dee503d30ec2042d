/*
 * tool.h: what every enas tool shares, linked into each of them: the
 * start-up (program name, locale, message catalogue, colour, --version),
 * the one printer of diagnostics, the exit on a failure that is not the
 * data's, the one TSV cell escaping and the check that standard output
 * was really written.
 *
 * This is cmd/ code: it prints and exits, which lib/ never does.
 */
#ifndef ENAS_TOOL_H
#define ENAS_TOOL_H

#include <stddef.h>

#include "editor.h"
#include "enas.h"
#include "kinds.h"

/* The program's name ("enas-check"), as tool_init() was given it. */
extern const char *tool_progname;

/* 1 when diagnostics on stderr are coloured: a terminal, no NO_COLOR. */
extern int tool_colour;

/* The errors and warnings tool_print_diag() has printed so far. */
extern int tool_nerrors;
extern int tool_nwarnings;

/*
 * Start a tool: remember prog (used before every message, as err(3)
 * does), set the locale for messages and character types only (never
 * numbers or collation: machine output and sorting stay the same in
 * every locale), bind the "enas" text domain, decide on colour, and
 * answer --version: when an argument before "--" is exactly
 * "--version", print "prog VERSION" and exit 0.
 */
void tool_init(const char *prog, int argc, char **argv);

/*
 * The one printer of diagnostics, an enas_diag_fn: one line on stderr
 * in the form of SPEC §5, the level word coloured when tool_colour is
 * set.  ctx is unused.  Counts into tool_nerrors and tool_nwarnings.
 */
void tool_print_diag(void *ctx, const struct enas_diag *d);

/*
 * Exit 2 on a failure that is not the data's: print "prog: " and
 * enas_error_last(), unless rc is ENAS_ERULES (the rules' diagnostics
 * were printed already).  The function set with tool_at_fail() runs
 * first.
 */
_Noreturn void tool_fail(int rc);

/*
 * fn(arg) runs before tool_fail() exits, and when SIGINT, SIGTERM or
 * SIGHUP ends the tool, to remove what the tool must not leave behind
 * (a temporary copy); fn must then be safe in a signal handler.  One
 * at a time; NULL removes it and restores the signals' defaults.
 */
void tool_at_fail(void (*fn)(void *), void *arg);

/*
 * After a refused edit: ask "(e)dit again or (a)bandon?" on the
 * terminal; 1 to edit again, 0 to give up (also when standard input
 * is not a terminal, or at its end).
 */
int tool_again(void);

/*
 * The draft of enas new and enas edit: its temporary directory and the
 * copy the editor opens (tool_draft_remove, given to tool_at_fail, takes
 * them away on a failure or a signal); the last check's diagnostics,
 * shown in the copy when it is edited again; and the copy as that
 * check saw it (seen, with its error block left out, and blanked, its
 * comment lines left empty), so that a diagnostic names the line as
 * the person wrote it.
 */
struct tool_draft {
	struct enas_buf dir, copy;
	struct enas_diags shown;
	struct enas_buf *seen, *blanked;
};
extern struct tool_draft tool_draft;

/* Print a diagnostic at its line in the copy, and keep it to show. */
void tool_draft_diag(void *ctx, const struct enas_diag *d);

/*
 * Remove the draft's copy and directory (.git/enas-tmp-*), if any: given
 * to tool_at_fail(), tool_fail() and Ctrl-C, a hang-up or a kill leave
 * no draft behind.  While the editor runs, Ctrl-C is the editor's.
 */
void tool_draft_remove(void *arg);

/*
 * The kinds of snap (lib/kinds), the rules' problems printed with
 * tool_print_diag(): 0 with *out, or ENAS_ERULES when some rules file
 * is not sound (a tool works only with a sound set), or another
 * negative status.
 */
int tool_kinds(struct enas_kinds **out, const struct enas_snapshot *snap);

/*
 * Append s (n bytes, NUL bytes included) to b as one TSV cell: tab,
 * newline, carriage return, backslash and NUL written as \t \n \r \\
 * and \0, so that a cell never splits a row or a column.  Returns 0 or
 * ENAS_ENOMEM.
 */
int tool_tsv_cell(struct enas_buf *b, const char *s, size_t n);

/* Whether path is a directory. */
int tool_is_dir(const char *path);

/*
 * The directory of the running program (from /proc/self/exe), or NULL
 * when it cannot be known.  Kept: the same string at every call.
 */
const char *tool_exe_dir(void);

/*
 * Flush standard output and check that everything written to it was
 * written (a full disk, a closed pipe): exit 2 with a message if not.
 */
void tool_flush_stdout(void);

#endif
