/*
 * pattern.h: PCRE2 patterns as the rules and expressions use them:
 * UTF mode, compiled once, JIT where available, with match and depth
 * limits that the pattern itself cannot raise.  A limit hit is an error,
 * never a non-match.
 */
#ifndef ENAS_PATTERN_H
#define ENAS_PATTERN_H

#include "enas.h"

#define ENAS_PATTERN_MAX 4096		/* bytes of pattern source */
#define ENAS_MATCH_LIMIT 100000		/* backtracking steps per match */
#define ENAS_DEPTH_LIMIT 1000		/* nested backtracking frames */

struct enas_pattern;

/* Flags for enas_pattern_compile(). */
#define ENAS_PATTERN_WHOLE 0x1	/* the whole subject: \A(?:...)\z */

/*
 * Compile src (len bytes).  On failure returns ENAS_EDATA with the
 * offset into src where PCRE2 stopped in *erroff, and a message in buf
 * (size bytes).
 */
int enas_pattern_compile(struct enas_pattern **out, const char *src,
    size_t len, unsigned flags, size_t *erroff, char *buf, size_t size);

void enas_pattern_free(struct enas_pattern *p);

/*
 * Match subject (len bytes).  A pattern keeps its match data, so one
 * pattern serves one thread at a time.  Returns 1 on a match, 0 on none, and
 * ENAS_EDATA when a limit was hit or the subject is not valid UTF-8
 * (with a message for enas_error_last()), ENAS_ENOMEM on failure.
 */
int enas_pattern_match(const struct enas_pattern *p, const char *subject,
    size_t len);

#endif
