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
#include "commit.h"
#include "enas.h"
#include "record.h"
#include "rules.h"

#define ENAS_IDENTITY_MAX (64 * 1024)	/* the largest padded payload */
#define ENAS_IDENTITY_TOKEN_LEN 24	/* base32 characters */
#define ENAS_IDENTITY_TOKEN_KEY 32	/* bytes */
#define ENAS_IDENTITY_KEYS_MAX 16	/* identities in one key file */
#define ENAS_IDENTITY_RECIPIENTS_MAX 256
#define ENAS_IDENTITY_OFFICE_MAX 16	/* bytes in an office code, NUL included */

/* What a path of the identity repository is. */
enum {
	ENAS_IDPATH_OTHER = 0,		/* nothing the layout allows */
	ENAS_IDPATH_IDENTITY = 1,	/* ids/<OFFICE>/<token>.age */
	ENAS_IDPATH_RECIPIENTS = 2	/* ids/<OFFICE>/.recipients */
};

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

/*
 * The rules of the identity kind (compiled in: the server cannot read
 * payloads, so no committed rules file could be enforced), loaded into
 * *out, and their text.
 */
int enas_identity_rules(struct enas_rules **out, enas_diag_fn fn, void *ctx);
const char *enas_identity_rules_text(void);

/* The token of case_id under key, 24 characters a-z2-7 and a NUL. */
int enas_identity_token(char out[ENAS_IDENTITY_TOKEN_LEN + 1],
    const unsigned char key[ENAS_IDENTITY_TOKEN_KEY], const char *case_id);

/* The token key as .token.age holds it: 64 hex digits and a newline. */
int enas_identity_token_key_parse(unsigned char key[ENAS_IDENTITY_TOKEN_KEY],
    const char *buf, size_t len);
int enas_identity_token_key_format(struct enas_buf *b,
    const unsigned char key[ENAS_IDENTITY_TOKEN_KEY]);

/* The padded size for len bytes: 1024, 2048, ... */
size_t enas_identity_bucket(size_t len);

/*
 * yaml (len bytes, no NUL, at most ENAS_IDENTITY_MAX) padded with NUL
 * bytes to its bucket, into out (wiped and replaced).
 */
int enas_identity_pad(struct enas_buf *out, const char *yaml, size_t len);

/* The length of the text before the padding; ENAS_EDATA if not padding. */
int enas_identity_unpad(size_t *out, const char *buf, size_t len);

/*
 * What path (from the top of the identity repository) is: an
 * ENAS_IDPATH_ value, with the office code and the token copied out
 * (either may be NULL).
 */
int enas_identity_path(const char *path, char office[ENAS_IDENTITY_OFFICE_MAX],
    char token[ENAS_IDENTITY_TOKEN_LEN + 1]);

/* 1 if office is an office code: 2 to 15 upper-case letters or digits. */
int enas_identity_office_ok(const char *office);

/*
 * The decrypted payload clear (len bytes, padding included) of the file
 * named file, as a checked identity record in *out: the YAML subset,
 * the identity rules r, and, when key and token are given, that the
 * token of its id is token (the file's name), and, when want_id is
 * given, that its id is want_id.  Problems go to fn; ENAS_EDATA then.
 */
int enas_identity_open(struct enas_record **out, const struct enas_rules *r,
    const char *clear, size_t len, const char *file,
    const unsigned char key[ENAS_IDENTITY_TOKEN_KEY], const char *token,
    const char *want_id, enas_diag_fn fn, void *ctx);

/* The working tree (top ends in '/'). */

/* Free a list of names of the functions below; NULL is allowed. */
void enas_identity_list_free(char **list, size_t n);

/* The office codes that have a directory under ids/, sorted. */
int enas_identity_offices(char ***out, size_t *n, const char *top);

/* The identity file names ("<token>.age") of ids/<office>/, sorted. */
int enas_identity_files(char ***out, size_t *n, const char *top,
    const char *office);

/*
 * The recipients of office, from ids/<office>/.recipients, as
 * enas_identity_recipients_parse() gives them.  ENAS_EUSAGE with a
 * message when the file is missing.
 */
int enas_identity_recipients(struct enas_age_recipient **out, size_t *n,
    const char *top, const char *office);

/* Every office's recipients, each once: who may read .token.age. */
int enas_identity_all_recipients(struct enas_age_recipient **out, size_t *n,
    const char *top);

/* The token key, decrypted from .token.age with keys. */
int enas_identity_token_key(unsigned char key[ENAS_IDENTITY_TOKEN_KEY],
    const char *top, const struct enas_age_keys *keys);

/*
 * The path ("ids/<OFFICE>/<token>.age") of the identity whose token is
 * token, into path: 1 when found, 0 when no office holds it.
 * ENAS_EDATA when two offices do.
 */
int enas_identity_find(struct enas_buf *path, const char *top,
    const char *token);

/*
 * Write the n changes to the working tree (atomically) and commit them
 * with message, which must name no case id and no value.
 */
int enas_identity_commit(struct enas_repo *repo,
    const struct enas_file_change *ch, size_t n, const char *message);

#endif
