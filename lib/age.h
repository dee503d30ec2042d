/*
 * age.h: the age v1 file format (age-encryption.org/v1, as the C2SP age
 * specification describes it), written over libsodium: X25519
 * recipients and identities in their Bech32 forms, the scrypt recipient
 * for passphrases, the header and its HMAC, and the ChaCha20-Poly1305
 * STREAM payload in 64 KiB chunks.
 *
 * Files made here decrypt with the age tool and files made by age
 * decrypt here.  Everything works in memory: identity files are small.
 * Armor (PEM) and plugin recipients are not supported.
 */
#ifndef ENAS_AGE_H
#define ENAS_AGE_H

#include <stddef.h>

#include "enas.h"

#define ENAS_AGE_KEY_LEN 32		/* an X25519 key */
#define ENAS_AGE_FILE_KEY_LEN 16
#define ENAS_AGE_CHUNK 65536		/* plaintext bytes in a STREAM chunk */
#define ENAS_AGE_TAG_LEN 16
#define ENAS_AGE_SCRYPT_MAX 22		/* the largest scrypt work factor */

/* An X25519 identity: the secret scalar and its public key. */
struct enas_age_identity {
	unsigned char secret[ENAS_AGE_KEY_LEN];
	unsigned char public[ENAS_AGE_KEY_LEN];
};

/* An X25519 recipient: a public key. */
struct enas_age_recipient {
	unsigned char public[ENAS_AGE_KEY_LEN];
};

/* Why a decryption failed, in the classes of the C2SP test vectors. */
enum enas_age_fail {
	ENAS_AGE_OK = 0,
	ENAS_AGE_HEADER,	/* the header is malformed */
	ENAS_AGE_NOMATCH,	/* no identity or passphrase opens a stanza */
	ENAS_AGE_HMAC,		/* the header's MAC is wrong: tampered */
	ENAS_AGE_PAYLOAD	/* a chunk is missing, cut or tampered */
};

/* What decrypts: X25519 identities, and a passphrase for scrypt. */
struct enas_age_keys {
	const struct enas_age_identity *ids;
	size_t nids;
	const char *pass;	/* NULL: no scrypt stanza can open */
	size_t passlen;
	int max_work;		/* scrypt log2(N) allowed; 0: the default 22 */
};

/* The shape of a header, for a server that cannot decrypt. */
struct enas_age_shape {
	size_t nstanzas;
	size_t nx25519;		/* well-formed X25519 stanzas */
	size_t nscrypt;
	size_t header_len;	/* bytes up to and including the MAC line */
	size_t payload_len;	/* bytes after it */
};

/*
 * Initialise libsodium; every function below calls it, so callers
 * need not.  Returns 0, or ENAS_EIO if the library cannot start.
 */
int enas_age_init(void);

/* A fresh random identity in *out.  0, or ENAS_EIO. */
int enas_age_keygen(struct enas_age_identity *out);

/*
 * Parse an identity "AGE-SECRET-KEY-1..." (len bytes, upper case, no
 * surrounding space) into *out.  ENAS_EDATA with a message when it is
 * not one.
 */
int enas_age_identity_parse(struct enas_age_identity *out, const char *s,
    size_t len);

/* Parse a recipient "age1..." into *out.  ENAS_EDATA when it is not one. */
int enas_age_recipient_parse(struct enas_age_recipient *out, const char *s,
    size_t len);

/* Append id's Bech32 form (upper case, no newline) to b. */
int enas_age_identity_format(struct enas_buf *b,
    const struct enas_age_identity *id);

/* Append r's Bech32 form "age1..." (no newline) to b. */
int enas_age_recipient_format(struct enas_buf *b,
    const struct enas_age_recipient *r);

/* id's recipient. */
void enas_age_identity_recipient(struct enas_age_recipient *out,
    const struct enas_age_identity *id);

/* Wipe an identity. */
void enas_age_identity_wipe(struct enas_age_identity *id);

/*
 * Encrypt in (len bytes) to nr X25519 recipients (nr >= 1), appending
 * the age file to out.  0, ENAS_ENOMEM, ENAS_EUSAGE (no recipient),
 * ENAS_EIO (randomness).
 */
int enas_age_encrypt(struct enas_buf *out, const void *in, size_t len,
    const struct enas_age_recipient *r, size_t nr);

/*
 * Encrypt in to a passphrase with the scrypt recipient, work factor
 * log2(N) = work (1 to 22; age uses 18), appending to out.
 */
int enas_age_encrypt_scrypt(struct enas_buf *out, const void *in,
    size_t len, const char *pass, size_t passlen, int work);

/*
 * Decrypt the age file in (len bytes) with keys into out (replacing its
 * contents; out is sized once, so no copy of the clear text is left in
 * freed memory).  0 on success; ENAS_EDATA with a message and *why (if
 * why is not NULL) set when the file is refused, and then out is empty:
 * nothing of a file that fails is released.  ENAS_ENOMEM, ENAS_EIO.
 */
int enas_age_decrypt(struct enas_buf *out, const void *in, size_t len,
    const struct enas_age_keys *keys, enum enas_age_fail *why);

/*
 * Parse the header of the age file in without decrypting anything:
 * the checks a server makes.  0 with *out filled, or ENAS_EDATA with a
 * message when the header is malformed.
 */
int enas_age_shape(struct enas_age_shape *out, const void *in, size_t len);

/* Wipe b's bytes, then free it. */
void enas_age_buf_wipe(struct enas_buf *b);

/*
 * HKDF-SHA-256 (RFC 5869) of ikm with salt and info into out (outlen <=
 * 255 * 32 bytes), from libsodium's HMAC-SHA-256.  0, or ENAS_EUSAGE.
 * Exported for the known-answer tests.
 */
int enas_age_hkdf(unsigned char *out, size_t outlen,
    const unsigned char *salt, size_t saltlen, const unsigned char *ikm,
    size_t ikmlen, const char *info);

/* The 12-byte STREAM nonce of chunk counter, last or not. */
void enas_age_stream_nonce(unsigned char nonce[12], unsigned long long counter,
    int last);

/*
 * Bech32 (BIP 173, without its 90-character limit): encode data (len
 * bytes) under hrp, appending to b; upper selects upper case.  Decode
 * s into out (at most cap bytes, *outlen set), checking that its
 * human-readable part is hrp in any one case.
 */
int enas_age_bech32_encode(struct enas_buf *b, const char *hrp,
    const unsigned char *data, size_t len, int upper);
int enas_age_bech32_decode(unsigned char *out, size_t cap, size_t *outlen,
    const char *hrp, const char *s, size_t len);

#endif
