/*
 * comment.h: records hold no comments (SPEC §9).  A comment is where a
 * name, a birth date or a note could hide from every rule, so a record
 * that has one is refused.
 */
#ifndef ENAS_COMMENT_H
#define ENAS_COMMENT_H

#include "enas.h"

/*
 * Report each comment of buf (len bytes, a record that parses) through
 * fn as an error at its line and column, named file.  libyaml's events
 * do not show comments; its tokens do show where every scalar stands,
 * so a '#' outside them (and outside a block scalar's text) is a
 * comment.  Returns the number reported, or a negative status.
 */
int enas_comment_check(const char *buf, size_t len, const char *file,
    enas_diag_fn fn, void *ctx);

#endif
