/*
 * enas.h: what every module of the library shares: status codes,
 * diagnostics and the last-error message.
 *
 * The library never prints and never exits.  Problems in the data are
 * handed to a caller's callback, one struct enas_diag each; failures of
 * the system (memory, I/O, git) are returned as a negative status with a
 * message kept for enas_error_last().
 */
#ifndef ENAS_H
#define ENAS_H

#include <stddef.h>

enum {
	ENAS_OK = 0,
	ENAS_EDATA = -1,	/* the data was refused; diagnostics were reported */
	ENAS_ENOMEM = -2,	/* out of memory */
	ENAS_EIO = -3,		/* a file could not be read or written */
	ENAS_EGIT = -4,		/* libgit2 failed, or the repository is unusable */
	ENAS_EUSAGE = -5,	/* the caller asked for something that cannot be */
	ENAS_ERULES = -6	/* a rules file is broken */
};

enum enas_level {
	ENAS_ERROR = 0,
	ENAS_WARNING = 1
};

/*
 * One problem in one file.  file is the path as the user knows it
 * (a working-tree path, or "rev:path" for a committed object); line and
 * col count from 1, and are 0 when the problem concerns the whole file.
 * field is the field path ("referrals[].to") or NULL; hint is the rule's
 * message or NULL.  All strings belong to the reporter and live only for
 * the duration of the callback.
 */
struct enas_diag {
	const char *file;
	int line;
	int col;
	enum enas_level level;
	const char *field;
	const char *msg;
	const char *hint;
};

typedef void (*enas_diag_fn)(void *ctx, const struct enas_diag *d);

/*
 * Report a problem through fn (which may be NULL).  The message is
 * formatted with printf conventions.
 */
void enas_diag_report(enas_diag_fn fn, void *ctx, const char *file,
    int line, int col, enum enas_level level, const char *field,
    const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

/*
 * A diagnostic function that counts the errors it is given and hands
 * every diagnostic on to fn (which may be NULL): pass
 * enas_diag_counting with a struct enas_diag_count as its ctx.
 */
struct enas_diag_count {
	enas_diag_fn fn;
	void *ctx;
	int errors;
};
void enas_diag_counting(void *ctx, const struct enas_diag *d);

/*
 * Format d in the one-line form of SPEC §5 into buf (always
 * NUL-terminated, truncated to size).  Returns the length it wanted.
 */
int enas_diag_format(char *buf, size_t size, const struct enas_diag *d);

/*
 * The message of the last negative status returned in this thread, or
 * "no error".  The pointer stays valid, and its text may change at the
 * next enas call in this thread.
 */
const char *enas_error_last(void);

/*
 * Set the last error to the formatted message and return status.  Any
 * argument may be enas_error_last() itself: the message is formatted
 * aside, then copied.
 */
int enas_error_set(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Put the formatted text in front of the last error ("-w age<3: " +
 * what the parser said) and return status.  The way to add context to
 * a message from below: it never formats from its own buffer.
 */
int enas_error_prefix(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int enas_error_nomem(void);

/*
 * 1 once memory has run out anywhere in the process (in enas, or in
 * libgit2 or PCRE2, which allocate through enas_malloc()).  Some
 * libgit2 calls treat a failed allocation as "nothing found"; a caller
 * about to report success asks this first.
 */
int enas_alloc_failed(void);

/*
 * Allocation, in one place so that a test build can make the N-th
 * allocation fail.  They return NULL on failure and set the last error.
 */
void *enas_malloc(size_t n);
void *enas_calloc(size_t n, size_t size);
void *enas_realloc(void *p, size_t n);
char *enas_strndup(const char *s, size_t n);
char *enas_strdup(const char *s);

/* A growable byte buffer; data is always NUL-terminated when non-NULL. */
struct enas_buf {
	char *data;
	size_t len;
	size_t cap;
};
#define ENAS_BUF_INIT { NULL, 0, 0 }

int enas_buf_grow(struct enas_buf *b, size_t extra);
int enas_buf_add(struct enas_buf *b, const void *p, size_t n);
int enas_buf_puts(struct enas_buf *b, const char *s);
int enas_buf_printf(struct enas_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void enas_buf_free(struct enas_buf *b);

/*
 * Read a regular file into b (replacing its contents), at most max bytes:
 * a caller that must refuse large files asks for one byte more than its
 * limit and looks at b->len.  A symbolic link, a directory or any other
 * non-regular file is refused with ENAS_EDATA and a message for
 * enas_error_last(); records are never links.
 */
int enas_file_read(struct enas_buf *b, const char *path, size_t max);



/* Append s (len bytes) to b as a JSON string, quotes included. */
int enas_buf_json(struct enas_buf *b, const char *s, size_t len);

/*
 * Append d to b as one JSON object: file, line, col, level, field,
 * message, hint (field and hint null when absent).
 */
int enas_diag_json(struct enas_buf *b, const struct enas_diag *d);

#endif
