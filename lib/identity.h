/*
 * identity.h: children's identities, kept encrypted with age in a
 * repository of their own (issue 14).
 *
 *   .gitattributes              the textconv and merge drivers
 *   .token.age                  the token key, encrypted to every office
 *   ids/<OFFICE>/.recipients    the office's age recipients, one a line
 *   ids/<OFFICE>/<token>.age    one child's identity, for that office
 *
 * The token is HMAC-SHA-256 of the case id under the token key,
 * truncated to 15 bytes and written in base32 (24 characters, a-z2-7),
 * so neither repository names the other's files without the key.  The
 * payload is a record of the identity kind (names, dob or
 * dob_estimated, parents, relative, photo_ref) whose id is the case id,
 * padded with NUL bytes to a bucket of 1, 2, 4, ... 64 KiB.
 */
#ifndef ENAS_IDENTITY_H
#define ENAS_IDENTITY_H

#include <stddef.h>

#include "age.h"
#include "enas.h"
#include "record.h"
#include "rules.h"

#define ENAS_IDENTITY_MAX (64 * 1024)	/* the largest padded payload */
#define ENAS_IDENTITY_TOKEN_LEN 24	/* base32 characters */
#define ENAS_IDENTITY_TOKEN_KEY 32	/* bytes */
#define ENAS_IDENTITY_KEYS_MAX 16	/* identities in one key file */
#define ENAS_IDENTITY_RECIPIENTS_MAX 256

/* The identities of one key file. */
struct enas_identity_keys {
	struct enas_age_identity ids[ENAS_IDENTITY_KEYS_MAX];
	size_t n;
	int plain;	/* the file held them in clear */
};

/*
 * Read the identities of a key file (len bytes): age-keygen's format,
 * one AGE-SECRET-KEY-1... a line, '#' comments and empty lines, either
 * in clear or encrypted with a passphrase (an age file with one scrypt
 * stanza, as enas id keygen and age -p write it).  pass may be NULL
 * when the file is in clear; ENAS_EUSAGE with *need_pass set when it
 * is encrypted and no passphrase was given.  ENAS_EDATA with a message
 * for a wrong passphrase or a malformed file.
 */
int enas_identity_keys_load(struct enas_identity_keys *out, const void *buf,
    size_t len, const char *pass, size_t passlen, int *need_pass);

void enas_identity_keys_wipe(struct enas_identity_keys *k);

/* The keys as enas_age_decrypt() wants them. */
void enas_identity_keys_age(struct enas_age_keys *out,
    const struct enas_identity_keys *k);

/*
 * Parse a recipients file (len bytes): one age1... a line, '#'
 * comments and empty lines.  *out is a new array of *n recipients the
 * caller frees with free().  ENAS_EDATA with "FILE:LINE: message" when
 * a line is not a recipient, or the file names none.
 */
int enas_identity_recipients_parse(struct enas_age_recipient **out,
    size_t *n, const char *buf, size_t len, const char *file);

#endif
