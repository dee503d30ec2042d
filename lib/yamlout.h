/*
 * yamlout.h: writing YAML scalars, with one set of quoting rules for
 * every writer (a new record's template, the merge driver's result, the
 * values enas-log shows): plain when the text reads back as itself in
 * block and flow context, else single-quoted when it is one line of
 * printable characters, else double-quoted with escapes.
 */
#ifndef ENAS_YAMLOUT_H
#define ENAS_YAMLOUT_H

#include "enas.h"

/*
 * 1 if s (n bytes) can be written plain: it reads back as the same
 * string in block and in flow context (no indicator first, no ": " or
 * " #", no flow punctuation, no control character, no space at an end).
 */
int enas_yamlout_plain(const char *s, size_t n);

/*
 * Append s (n bytes, not NUL-terminated) to b as a YAML scalar that
 * reads back as exactly s.  0 or ENAS_ENOMEM.
 */
int enas_yamlout_scalar(struct enas_buf *b, const char *s, size_t n);

#endif
