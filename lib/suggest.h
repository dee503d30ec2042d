/*
 * suggest.h: "did you mean ...?" for a word that is not one of a known
 * set (enum values, field names, tool names, where-expression values).
 * One edit distance for every tool and module, so that the same typo
 * gets the same suggestion everywhere.
 */
#ifndef ENAS_SUGGEST_H
#define ENAS_SUGGEST_H

#include <stddef.h>

#include "enas.h"
#include "rules.h"

/*
 * The optimal-string-alignment distance between a (alen bytes) and b
 * (blen bytes): insertions, deletions, substitutions and swaps of two
 * neighbours, each 1; ASCII letters compared without case.  Words of
 * more than ENAS_SUGGEST_MAX bytes are (size_t)-1: never near.
 */
#define ENAS_SUGGEST_MAX 64
size_t enas_suggest_distance(const char *a, size_t alen, const char *b,
    size_t blen);

/*
 * The one of the n candidates (NUL-terminated) nearest to word (len
 * bytes) when it is near enough to be a slip of the keyboard: at a
 * distance of at most 1 for words of up to 4 bytes, 2 up to 8, and 3
 * beyond, or a candidate that word starts ("sho" for "show", at
 * least 3 bytes of it).  NULL when none is near, or when two of the
 * nearest tie: a guess between two is no help.  The result points
 * into cands.
 */
const char *enas_suggest(const char *word, size_t len,
    const char *const *cands, size_t n);

/*
 * Why a field that r does not declare (path, "consent.sex" or
 * "referrals[].note") is refused, in words appended to b after "; ":
 * that names and other identifying details are never recorded (for
 * keys such as name, birth_date, phone), that free-text notes are not
 * either, that the indentation puts a declared field at the wrong
 * level (and where it belongs), or the declared field its key is
 * probably a slip for.  Returns 1 when something was appended, 0 when
 * there is nothing to say, or ENAS_ENOMEM.
 */
int enas_suggest_field(struct enas_buf *b, const struct enas_rules *r,
    const char *path);

#endif
