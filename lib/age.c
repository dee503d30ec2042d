/*
 * age.c: the age v1 file format over libsodium (see age.h).
 *
 * Written from the C2SP age specification (age-encryption.org/v1):
 *
 *   header  = "age-encryption.org/v1" LF 1*stanza "---" SP mac LF
 *   stanza  = "->" 1*(SP arg) LF *(64 base64 LF) (0-63 base64) LF
 *   payload = nonce(16) 1*chunk, STREAM over ChaCha20-Poly1305
 *
 * base64 is the standard alphabet without padding, and must be
 * canonical.  The file key (16 random bytes) is wrapped once per
 * recipient; the header MAC is HMAC-SHA-256 under HKDF(file key,
 * "header") over the header up to "---"; the payload key is HKDF(file
 * key, salt nonce, "payload"); chunk i has the nonce i (11 bytes, big
 * endian) then 1 for the last chunk, 0 otherwise.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age.h"
#include "i18n.h"

#define VERSION_LINE "age-encryption.org/v1"
#define X25519_LABEL "age-encryption.org/v1/X25519"
#define SCRYPT_LABEL "age-encryption.org/v1/scrypt"
#define SCRYPT_SALT_LEN 16
#define MAX_ARGS 16		/* arguments of one stanza, type included */
#define WRAPPED_LEN (ENAS_AGE_FILE_KEY_LEN + ENAS_AGE_TAG_LEN)
#define NONCE_LEN 16
#define SEALED_CHUNK (ENAS_AGE_CHUNK + ENAS_AGE_TAG_LEN)

struct stanza {
	const char *arg[MAX_ARGS];
	size_t arglen[MAX_ARGS];
	int nargs;
	unsigned char *body;
	size_t bodylen;
};

struct header {
	struct stanza *st;
	size_t n, cap;
	size_t mac_off;		/* bytes the MAC covers: up to "---" */
	size_t end;		/* the payload starts here */
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
};

int
enas_age_init(void)
{
	if (sodium_init() < 0)
		return enas_error_set(ENAS_EIO, "%s",
		    _("age: libsodium cannot start"));
	return 0;
}

void
enas_age_buf_wipe(struct enas_buf *b)
{
	if (b->data)
		sodium_memzero(b->data, b->cap);
	enas_buf_free(b);
}

void
enas_age_identity_wipe(struct enas_age_identity *id)
{
	sodium_memzero(id, sizeof(*id));
}

/* HKDF-SHA-256 (RFC 5869): extract with salt, then expand with info. */
int
enas_age_hkdf(unsigned char *out, size_t outlen, const unsigned char *salt,
    size_t saltlen, const unsigned char *ikm, size_t ikmlen,
    const char *info)
{
	crypto_auth_hmacsha256_state st;
	unsigned char prk[crypto_auth_hmacsha256_BYTES];
	unsigned char t[crypto_auth_hmacsha256_BYTES];
	unsigned char ctr;
	size_t done = 0, n, tlen = 0;

	if (outlen > 255 * sizeof(t))
		return enas_error_set(ENAS_EUSAGE, "hkdf: output too long");
	/* An empty salt is HashLen zeros: HMAC pads its key with zeros. */
	crypto_auth_hmacsha256_init(&st, salt ? salt : prk,
	    salt ? saltlen : 0);
	crypto_auth_hmacsha256_update(&st, ikm, ikmlen);
	crypto_auth_hmacsha256_final(&st, prk);
	for (ctr = 1; done < outlen; ctr++) {
		crypto_auth_hmacsha256_init(&st, prk, sizeof(prk));
		crypto_auth_hmacsha256_update(&st, t, tlen);
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)info,
		    strlen(info));
		crypto_auth_hmacsha256_update(&st, &ctr, 1);
		crypto_auth_hmacsha256_final(&st, t);
		tlen = sizeof(t);
		n = outlen - done < sizeof(t) ? outlen - done : sizeof(t);
		memcpy(out + done, t, n);
		done += n;
	}
	sodium_memzero(prk, sizeof(prk));
	sodium_memzero(t, sizeof(t));
	sodium_memzero(&st, sizeof(st));
	return 0;
}

void
enas_age_stream_nonce(unsigned char nonce[12], unsigned long long counter,
    int last)
{
	int i;

	memset(nonce, 0, 12);
	for (i = 10; i >= 0 && counter; i--, counter >>= 8)
		nonce[i] = (unsigned char)(counter & 0xff);
	nonce[11] = last ? 1 : 0;
}

/* base64, standard alphabet, no padding, canonical only. */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int
b64_add(struct enas_buf *b, const unsigned char *p, size_t n)
{
	char q[4];
	size_t i;
	unsigned v;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		q[0] = b64chars[v >> 18 & 63];
		q[1] = b64chars[v >> 12 & 63];
		q[2] = b64chars[v >> 6 & 63];
		q[3] = b64chars[v & 63];
		if (enas_buf_add(b, q, 4) < 0)
			return ENAS_ENOMEM;
	}
	if (n - i == 1) {
		v = (unsigned)p[i] << 16;
		q[0] = b64chars[v >> 18 & 63];
		q[1] = b64chars[v >> 12 & 63];
		return enas_buf_add(b, q, 2);
	}
	if (n - i == 2) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		q[0] = b64chars[v >> 18 & 63];
		q[1] = b64chars[v >> 12 & 63];
		q[2] = b64chars[v >> 6 & 63];
		return enas_buf_add(b, q, 3);
	}
	return 0;
}

/* The length s (n characters) decodes to, or -1 if it cannot be base64. */
static long
b64_len(size_t n)
{
	if (n % 4 == 1 || n > LONG_MAX / 3)
		return -1;
	return (long)(n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0));
}

/*
 * Decode s (n characters) into out, which holds b64_len(n) bytes.
 * -1 if a character is not base64 or the encoding is not canonical
 * (bits left over that are not zero).
 */
static int
b64_decode(unsigned char *out, const char *s, size_t n)
{
	unsigned v = 0;
	size_t i, o = 0;
	int bits = 0, d;

	if (b64_len(n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = b64val((unsigned char)s[i])) < 0)
			return -1;
		v = (v << 6 | (unsigned)d) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits & 0xff);
		}
	}
	if (bits && (v & ((1u << bits) - 1)))
		return -1;
	return 0;
}

/* Decode an argument that must be exactly want bytes. */
static int
b64_exact(unsigned char *out, size_t want, const char *s, size_t n)
{
	if (b64_len(n) != (long)want)
		return -1;
	return b64_decode(out, s, n);
}

/* A stanza body: base64 in lines of 64, the last one shorter. */
static int
b64_body(struct enas_buf *b, const unsigned char *p, size_t n)
{
	struct enas_buf t = ENAS_BUF_INIT;
	size_t i;
	int rc;

	if ((rc = b64_add(&t, p, n)) < 0)
		goto out;
	for (i = 0; i + 64 <= t.len; i += 64)
		if ((rc = enas_buf_add(b, t.data + i, 64)) < 0 ||
		    (rc = enas_buf_add(b, "\n", 1)) < 0)
			goto out;
	if ((rc = enas_buf_add(b, t.data + i, t.len - i)) < 0 ||
	    (rc = enas_buf_add(b, "\n", 1)) < 0)
		goto out;
out:
	enas_buf_free(&t);
	return rc;
}

/* Bech32 (BIP 173). */

static const char b32chars[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static unsigned long
polymod_step(unsigned long chk, unsigned v)
{
	static const unsigned long gen[5] = {
		0x3b6a57b2UL, 0x26508e6dUL, 0x1ea119faUL, 0x3d4233ddUL,
		0x2a1462b3UL
	};
	unsigned long top = chk >> 25;
	int i;

	chk = ((chk & 0x1ffffffUL) << 5) ^ v;
	for (i = 0; i < 5; i++)
		if (top >> i & 1)
			chk ^= gen[i];
	return chk;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static unsigned long
hrp_checksum(const char *hrp, size_t n)
{
	unsigned long chk = 1;
	size_t i;

	for (i = 0; i < n; i++)
		chk = polymod_step(chk, (unsigned)lower(hrp[i]) >> 5);
	chk = polymod_step(chk, 0);
	for (i = 0; i < n; i++)
		chk = polymod_step(chk, (unsigned)lower(hrp[i]) & 31);
	return chk;
}

int
enas_age_bech32_encode(struct enas_buf *b, const char *hrp,
    const unsigned char *data, size_t len, int upper)
{
	size_t hlen = strlen(hrp), i, start = b->len;
	unsigned long chk = hrp_checksum(hrp, hlen);
	unsigned acc = 0;
	int bits = 0, rc;
	char c;

	for (i = 0; i < hlen; i++) {
		c = (char)lower(hrp[i]);
		if ((rc = enas_buf_add(b, &c, 1)) < 0)
			return rc;
	}
	if ((rc = enas_buf_add(b, "1", 1)) < 0)
		return rc;
	for (i = 0; i < len || bits > 0;) {
		unsigned v;

		if (bits < 5 && i < len) {
			acc = (acc << 8 | data[i++]) & 0xfff;
			bits += 8;
		}
		if (bits >= 5) {
			v = acc >> (bits - 5) & 31;
			bits -= 5;
		} else {
			v = acc << (5 - bits) & 31;
			bits = 0;
		}
		chk = polymod_step(chk, v);
		if ((rc = enas_buf_add(b, &b32chars[v], 1)) < 0)
			return rc;
	}
	for (i = 0; i < 6; i++)
		chk = polymod_step(chk, 0);
	chk ^= 1;
	for (i = 0; i < 6; i++)
		if ((rc = enas_buf_add(b, &b32chars[chk >> (5 * (5 - i)) & 31],
		    1)) < 0)
			return rc;
	if (upper)
		for (i = start; i < b->len; i++)
			if (b->data[i] >= 'a' && b->data[i] <= 'z')
				b->data[i] = (char)(b->data[i] - 'a' + 'A');
	return 0;
}

int
enas_age_bech32_decode(unsigned char *out, size_t cap, size_t *outlen,
    const char *hrp, const char *s, size_t len)
{
	size_t hlen = strlen(hrp), i, o = 0;
	unsigned long chk;
	unsigned acc = 0;
	int bits = 0, up = 0, low = 0;
	const char *p;

	*outlen = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < 33 || s[i] > 126)
			return -1;
		if (s[i] >= 'a' && s[i] <= 'z')
			low = 1;
		if (s[i] >= 'A' && s[i] <= 'Z')
			up = 1;
	}
	if (up && low)
		return -1;
	if (len < hlen + 1 + 6 || s[hlen] != '1')
		return -1;
	for (i = 0; i < hlen; i++)
		if (lower(s[i]) != lower(hrp[i]))
			return -1;
	chk = hrp_checksum(hrp, hlen);
	for (i = hlen + 1; i < len; i++) {
		unsigned v;

		if (!(p = strchr(b32chars, lower(s[i]))) || !*p)
			return -1;
		v = (unsigned)(p - b32chars);
		chk = polymod_step(chk, v);
		if (i >= len - 6)
			continue;
		acc = (acc << 5 | v) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap)
				return -1;
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	/* Padding: fewer than 5 bits, all zero. */
	if (chk != 1 || bits >= 5 || (acc & ((1u << bits) - 1)))
		return -1;
	*outlen = o;
	return 0;
}

void
enas_age_identity_recipient(struct enas_age_recipient *out,
    const struct enas_age_identity *id)
{
	memcpy(out->public, id->public, sizeof(out->public));
}

int
enas_age_keygen(struct enas_age_identity *out)
{
	int rc;

	if ((rc = enas_age_init()) < 0)
		return rc;
	randombytes_buf(out->secret, sizeof(out->secret));
	crypto_scalarmult_base(out->public, out->secret);
	return 0;
}

int
enas_age_identity_parse(struct enas_age_identity *out, const char *s,
    size_t len)
{
	size_t n;
	int rc;

	if ((rc = enas_age_init()) < 0)
		return rc;
	/* Upper case, as age writes it and wants it. */
	if (len < 16 || strncmp(s, "AGE-SECRET-KEY-1", 16) != 0 ||
	    enas_age_bech32_decode(out->secret, sizeof(out->secret), &n,
	    "AGE-SECRET-KEY-", s, len) < 0 || n != sizeof(out->secret)) {
		sodium_memzero(out, sizeof(*out));
		return enas_error_set(ENAS_EDATA, "%s",
		    _("not an age identity (AGE-SECRET-KEY-1...)"));
	}
	crypto_scalarmult_base(out->public, out->secret);
	return 0;
}

int
enas_age_recipient_parse(struct enas_age_recipient *out, const char *s,
    size_t len)
{
	size_t n;

	if (len < 4 || strncmp(s, "age1", 4) != 0 ||
	    enas_age_bech32_decode(out->public, sizeof(out->public), &n,
	    "age", s, len) < 0 || n != sizeof(out->public))
		return enas_error_set(ENAS_EDATA, "%s",
		    _("not an age recipient (age1...)"));
	return 0;
}

int
enas_age_identity_format(struct enas_buf *b,
    const struct enas_age_identity *id)
{
	return enas_age_bech32_encode(b, "AGE-SECRET-KEY-", id->secret,
	    sizeof(id->secret), 1);
}

int
enas_age_recipient_format(struct enas_buf *b,
    const struct enas_age_recipient *r)
{
	return enas_age_bech32_encode(b, "age", r->public, sizeof(r->public),
	    0);
}

/* The header. */

static void
header_free(struct header *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		if (h->st[i].body)
			sodium_memzero(h->st[i].body, h->st[i].bodylen);
		free(h->st[i].body);
	}
	free(h->st);
	memset(h, 0, sizeof(*h));
}

static int
is_b64char(unsigned char c)
{
	return b64val(c) >= 0;
}

/* ENAS_EDATA with the message "age: malformed header: WHY". */
static int
bad_header(const char *why)
{
	return enas_error_set(ENAS_EDATA, _("age: malformed header: %s"), why);
}

/*
 * Parse the header of in into h: the version line, the stanzas (their
 * arguments point into in; their bodies decoded) and the MAC.  On
 * failure the caller still frees h.
 */
static int
header_parse(struct header *h, const unsigned char *in, size_t len)
{
	const char *s = (const char *)in, *nl, *p, *e, *c, *why = NULL;
	size_t pos, n, i, vlen = sizeof(VERSION_LINE) - 1;
	struct enas_buf body = ENAS_BUF_INIT;
	struct stanza *st, *q;
	long blen;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	if (len < vlen + 1 || memcmp(s, VERSION_LINE "\n", vlen + 1) != 0)
		return enas_error_set(ENAS_EDATA, "%s",
		    len > vlen && memcmp(s, VERSION_LINE, vlen) == 0 ?
		    _("age: malformed header: the version line") :
		    len >= 19 && memcmp(s, "age-encryption.org/", 19) == 0 ?
		    _("age: unsupported version") :
		    _("age: not an age file"));
	pos = vlen + 1;
	for (;;) {
		if (!(nl = memchr(s + pos, '\n', len - pos))) {
			why = _("the header has no end");
			goto out;
		}
		n = (size_t)(nl - (s + pos));
		if (n >= 3 && memcmp(s + pos, "---", 3) == 0)
			break;
		if (n < 3 || memcmp(s + pos, "-> ", 3) != 0) {
			why = _("a line is not a stanza");
			goto out;
		}
		if (h->n == h->cap) {
			if (h->cap >= 1024) {
				why = _("too many stanzas");
				goto out;
			}
			if (!(q = enas_realloc(h->st, (h->cap ? h->cap * 2 :
			    4) * sizeof(*q)))) {
				rc = ENAS_ENOMEM;
				goto out;
			}
			h->st = q;
			h->cap = h->cap ? h->cap * 2 : 4;
		}
		st = &h->st[h->n++];
		memset(st, 0, sizeof(*st));
		/* Arguments: one space before each, none empty. */
		for (p = s + pos + 3, e = nl;;) {
			const char *a = p;

			while (p < e && *p != ' ')
				p++;
			if (p == a)
				why = _("an empty stanza argument");
			else if (st->nargs == MAX_ARGS)
				why = _("too many stanza arguments");
			for (c = a; !why && c < p; c++)
				if (*c < 0x21 || *c > 0x7e)
					why = _("a stanza argument holds a "
					    "character outside ASCII 33 to 126");
			if (why)
				goto out;
			st->arg[st->nargs] = a;
			st->arglen[st->nargs++] = (size_t)(p - a);
			if (p == e)
				break;
			p++;
		}
		pos = (size_t)(nl - s) + 1;
		/* The body: full lines of 64, then a shorter last one. */
		body.len = 0;
		for (;;) {
			if (!(nl = memchr(s + pos, '\n', len - pos))) {
				why = _("a stanza has no final line");
				goto out;
			}
			n = (size_t)(nl - (s + pos));
			if (n > 64)
				why = _("a stanza line is longer than 64 "
				    "characters");
			for (i = 0; !why && i < n; i++)
				if (!is_b64char((unsigned char)s[pos + i]))
					why = _("a stanza body is not base64");
			if (why)
				goto out;
			if ((rc = enas_buf_add(&body, s + pos, n)) < 0)
				goto out;
			pos += n + 1;
			if (n < 64)
				break;
		}
		if ((blen = b64_len(body.len)) < 0) {
			why = _("a stanza body is not canonical base64");
			goto out;
		}
		if (!(st->body = enas_malloc((size_t)blen + 1))) {
			rc = ENAS_ENOMEM;
			goto out;
		}
		st->bodylen = (size_t)blen;
		if (b64_decode(st->body, body.data ? body.data : "",
		    body.len) < 0) {
			why = _("a stanza body is not canonical base64");
			goto out;
		}
	}
	h->mac_off = pos + 3;
	if (h->n == 0)
		why = _("no recipient stanza");
	else if (n != 4 + 43 || s[pos + 3] != ' ' ||
	    b64_exact(h->mac, sizeof(h->mac), s + pos + 4, 43) < 0)
		why = _("the MAC line is malformed");
	h->end = pos + n + 1;
out:
	enas_buf_free(&body);
	if (why)
		rc = bad_header(why);
	return rc;
}

static int
arg_is(const struct stanza *st, const char *type)
{
	return st->arglen[0] == strlen(type) &&
	    memcmp(st->arg[0], type, st->arglen[0]) == 0;
}

/* The work factor of an scrypt stanza: decimal, no leading zero. */
static int
scrypt_work(const struct stanza *st)
{
	const char *w = st->arg[2];
	size_t i, n = st->arglen[2];
	int v = 0;

	if (n == 0 || n > 2 || w[0] == '0')
		return -1;
	for (i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return -1;
		v = v * 10 + (w[i] - '0');
	}
	return v;
}

/* The checks of the stanzas this file knows, and of their mix. */
static int
header_check(struct enas_age_shape *shape, const struct header *h)
{
	unsigned char tmp[ENAS_AGE_KEY_LEN];
	size_t i;

	memset(shape, 0, sizeof(*shape));
	shape->nstanzas = h->n;
	for (i = 0; i < h->n; i++) {
		const struct stanza *st = &h->st[i];

		if (arg_is(st, "X25519")) {
			if (st->nargs != 2 || b64_exact(tmp, sizeof(tmp),
			    st->arg[1], st->arglen[1]) < 0 ||
			    st->bodylen != WRAPPED_LEN)
				return bad_header(_("a malformed X25519 "
				    "stanza"));
			shape->nx25519++;
		} else if (arg_is(st, "scrypt")) {
			if (st->nargs != 3 || b64_exact(tmp, SCRYPT_SALT_LEN,
			    st->arg[1], st->arglen[1]) < 0 ||
			    scrypt_work(st) < 1 || st->bodylen != WRAPPED_LEN)
				return bad_header(_("a malformed scrypt "
				    "stanza"));
			shape->nscrypt++;
		}
	}
	if (shape->nscrypt && h->n != 1)
		return bad_header(_("an scrypt stanza must be the only one"));
	shape->header_len = h->end;
	return 0;
}

int
enas_age_shape(struct enas_age_shape *out, const void *in, size_t len)
{
	struct header h;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = header_parse(&h, in, len)) == 0 &&
	    (rc = header_check(out, &h)) == 0)
		out->payload_len = len - h.end;
	header_free(&h);
	return rc;
}

/* Unwrap body with key and the zero nonce into file_key.  0 or -1. */
static int
unwrap(unsigned char *file_key, const unsigned char *body,
    const unsigned char *key)
{
	static const unsigned char zero[12];

	return crypto_aead_chacha20poly1305_ietf_decrypt(file_key, NULL, NULL,
	    body, WRAPPED_LEN, NULL, 0, zero, key);
}

/*
 * Try every stanza with keys.  1 with file_key set, 0 if none opens,
 * ENAS_EDATA for a header failure met on the way.
 */
static int
find_file_key(unsigned char *file_key, const struct header *h,
    const struct enas_age_keys *keys)
{
	unsigned char share[ENAS_AGE_KEY_LEN], shared[ENAS_AGE_KEY_LEN];
	unsigned char salt[2 * ENAS_AGE_KEY_LEN], key[32];
	unsigned char ssalt[sizeof(SCRYPT_LABEL) - 1 + SCRYPT_SALT_LEN];
	size_t i, j;
	int rc = 0, work, max;

	for (i = 0; i < h->n && rc == 0; i++) {
		const struct stanza *st = &h->st[i];

		if (arg_is(st, "X25519")) {
			(void)b64_exact(share, sizeof(share), st->arg[1],
			    st->arglen[1]);
			for (j = 0; j < keys->nids && rc == 0; j++) {
				if (crypto_scalarmult(shared,
				    keys->ids[j].secret, share) != 0) {
					rc = bad_header(_("an X25519 share of "
					    "low order"));
					break;
				}
				memcpy(salt, share, sizeof(share));
				memcpy(salt + sizeof(share),
				    keys->ids[j].public, ENAS_AGE_KEY_LEN);
				(void)enas_age_hkdf(key, sizeof(key), salt,
				    sizeof(salt), shared, sizeof(shared),
				    X25519_LABEL);
				if (unwrap(file_key, st->body, key) == 0)
					rc = 1;
			}
		} else if (arg_is(st, "scrypt") && keys->pass) {
			max = keys->max_work > 0 ? keys->max_work :
			    ENAS_AGE_SCRYPT_MAX;
			if ((work = scrypt_work(st)) < 1 || work > max) {
				rc = enas_error_set(ENAS_EDATA, _("age: scrypt "
				    "work factor %d is above %d"), work, max);
				break;
			}
			memcpy(ssalt, SCRYPT_LABEL, sizeof(SCRYPT_LABEL) - 1);
			(void)b64_exact(ssalt + sizeof(SCRYPT_LABEL) - 1,
			    SCRYPT_SALT_LEN, st->arg[1], st->arglen[1]);
			if (crypto_pwhash_scryptsalsa208sha256_ll(
			    (const uint8_t *)keys->pass, keys->passlen, ssalt,
			    sizeof(ssalt), (uint64_t)1 << work, 8, 1, key,
			    sizeof(key)) != 0) {
				rc = enas_error_set(ENAS_ENOMEM, "%s",
				    _("age: scrypt failed (out of memory?)"));
				break;
			}
			if (unwrap(file_key, st->body, key) == 0)
				rc = 1;
		}
	}
	sodium_memzero(shared, sizeof(shared));
	sodium_memzero(key, sizeof(key));
	return rc;
}

static int
fail(enum enas_age_fail *why, enum enas_age_fail w, int rc)
{
	if (why)
		*why = w;
	return rc;
}

int
enas_age_decrypt(struct enas_buf *out, const void *in, size_t len,
    const struct enas_age_keys *keys, enum enas_age_fail *why)
{
	const unsigned char *p = in;
	unsigned char file_key[ENAS_AGE_FILE_KEY_LEN];
	unsigned char hkey[32], mac[crypto_auth_hmacsha256_BYTES];
	unsigned char pkey[32], nonce[12];
	struct enas_age_shape shape;
	struct header h;
	unsigned long long ctr, mlen;
	size_t pos, rest, nchunks, clear, chunk;
	char *buf = NULL;
	int rc, last;

	enas_age_buf_wipe(out);
	if (why)
		*why = ENAS_AGE_OK;
	if ((rc = enas_age_init()) < 0)
		return rc;
	if ((rc = header_parse(&h, p, len)) < 0 ||
	    (rc = header_check(&shape, &h)) < 0) {
		header_free(&h);
		return fail(why, ENAS_AGE_HEADER, rc);
	}
	if ((rc = find_file_key(file_key, &h, keys)) <= 0) {
		header_free(&h);
		if (rc < 0)
			return fail(why, ENAS_AGE_HEADER, rc);
		return fail(why, ENAS_AGE_NOMATCH, enas_error_set(ENAS_EDATA,
		    "%s", _("age: no identity matches: the file is not "
		    "encrypted to any of your keys")));
	}
	(void)enas_age_hkdf(hkey, sizeof(hkey), NULL, 0, file_key,
	    sizeof(file_key), "header");
	crypto_auth_hmacsha256(mac, p, h.mac_off, hkey);
	if (sodium_memcmp(mac, h.mac, sizeof(mac)) != 0) {
		rc = fail(why, ENAS_AGE_HMAC, enas_error_set(ENAS_EDATA, "%s",
		    _("age: the header's MAC does not match: the header was "
		    "changed")));
		goto out;
	}
	pos = h.end;
	if (len - pos < NONCE_LEN) {
		rc = fail(why, ENAS_AGE_HEADER, bad_header(_("the payload "
		    "nonce is missing")));
		goto out;
	}
	(void)enas_age_hkdf(pkey, sizeof(pkey), p + pos, NONCE_LEN, file_key,
	    sizeof(file_key), "payload");
	pos += NONCE_LEN;
	rest = len - pos;
	/* Every chunk but the last is full; the last holds 0 to 64 KiB. */
	nchunks = rest == 0 ? 0 : (rest + SEALED_CHUNK - 1) / SEALED_CHUNK;
	if (nchunks == 0 || rest - (nchunks - 1) * SEALED_CHUNK <
	    ENAS_AGE_TAG_LEN) {
		rc = fail(why, ENAS_AGE_PAYLOAD, enas_error_set(ENAS_EDATA,
		    "%s", _("age: the payload is cut short")));
		goto out;
	}
	clear = rest - nchunks * ENAS_AGE_TAG_LEN;
	if (!(buf = enas_malloc(clear + 1))) {
		rc = ENAS_ENOMEM;
		goto out;
	}
	for (ctr = 0; ctr < nchunks; ctr++) {
		last = ctr == nchunks - 1;
		chunk = last ? len - pos : SEALED_CHUNK;
		enas_age_stream_nonce(nonce, ctr, last);
		if ((last && ctr > 0 && chunk == ENAS_AGE_TAG_LEN) ||
		    crypto_aead_chacha20poly1305_ietf_decrypt(
		    (unsigned char *)buf + ctr * ENAS_AGE_CHUNK, &mlen, NULL,
		    p + pos, chunk, NULL, 0, nonce, pkey) != 0) {
			sodium_memzero(buf, clear + 1);
			rc = fail(why, ENAS_AGE_PAYLOAD, enas_error_set(
			    ENAS_EDATA, _("age: payload chunk %llu does not "
			    "decrypt: the file was changed or cut"), ctr + 1));
			goto out;
		}
		pos += chunk;
	}
	buf[clear] = '\0';
	out->data = buf;
	out->len = clear;
	out->cap = clear + 1;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	sodium_memzero(file_key, sizeof(file_key));
	sodium_memzero(hkey, sizeof(hkey));
	sodium_memzero(pkey, sizeof(pkey));
	header_free(&h);
	return rc;
}

/* The header MAC line and the payload, after the stanzas in out. */
static int
finish(struct enas_buf *out, size_t start, const unsigned char *file_key,
    const unsigned char *in, size_t len)
{
	unsigned char key[32], mac[crypto_auth_hmacsha256_BYTES];
	unsigned char nonce[NONCE_LEN], sn[12];
	unsigned long long ctr, clen, nchunks;
	size_t done = 0, n;
	int rc, last;

	if ((rc = enas_buf_add(out, "---", 3)) < 0)
		return rc;
	(void)enas_age_hkdf(key, sizeof(key), NULL, 0, file_key,
	    ENAS_AGE_FILE_KEY_LEN, "header");
	crypto_auth_hmacsha256(mac, (const unsigned char *)out->data + start,
	    out->len - start, key);
	if ((rc = enas_buf_add(out, " ", 1)) < 0 ||
	    (rc = b64_add(out, mac, sizeof(mac))) < 0 ||
	    (rc = enas_buf_add(out, "\n", 1)) < 0)
		goto out;
	randombytes_buf(nonce, sizeof(nonce));
	(void)enas_age_hkdf(key, sizeof(key), nonce, sizeof(nonce), file_key,
	    ENAS_AGE_FILE_KEY_LEN, "payload");
	/* Full chunks, then the rest; an empty file is one empty chunk. */
	nchunks = len == 0 ? 1 : (len + ENAS_AGE_CHUNK - 1) / ENAS_AGE_CHUNK;
	if ((rc = enas_buf_add(out, nonce, sizeof(nonce))) < 0 ||
	    (rc = enas_buf_grow(out, len + nchunks * ENAS_AGE_TAG_LEN)) < 0)
		goto out;
	for (ctr = 0; ctr < nchunks; ctr++) {
		last = ctr == nchunks - 1;
		n = last ? len - done : ENAS_AGE_CHUNK;
		enas_age_stream_nonce(sn, ctr, last);
		crypto_aead_chacha20poly1305_ietf_encrypt(
		    (unsigned char *)out->data + out->len, &clen,
		    in + done, n, NULL, 0, NULL, sn, key);
		out->len += (size_t)clen;
		done += n;
	}
	out->data[out->len] = '\0';
out:
	sodium_memzero(key, sizeof(key));
	return rc;
}

int
enas_age_encrypt(struct enas_buf *out, const void *in, size_t len,
    const struct enas_age_recipient *r, size_t nr)
{
	static const unsigned char zero[12];
	unsigned char file_key[ENAS_AGE_FILE_KEY_LEN], e[32], E[32];
	unsigned char shared[32], salt[64], key[32], body[WRAPPED_LEN];
	size_t i, start = out->len;
	int rc;

	if ((rc = enas_age_init()) < 0)
		return rc;
	if (nr == 0)
		return enas_error_set(ENAS_EUSAGE, "%s",
		    _("age: no recipient to encrypt to"));
	randombytes_buf(file_key, sizeof(file_key));
	if ((rc = enas_buf_puts(out, VERSION_LINE "\n")) < 0)
		goto out;
	for (i = 0; i < nr; i++) {
		randombytes_buf(e, sizeof(e));
		crypto_scalarmult_base(E, e);
		if (crypto_scalarmult(shared, e, r[i].public) != 0) {
			rc = enas_error_set(ENAS_EUSAGE, "%s",
			    _("age: a recipient is a low-order point"));
			goto out;
		}
		memcpy(salt, E, 32);
		memcpy(salt + 32, r[i].public, 32);
		(void)enas_age_hkdf(key, sizeof(key), salt, sizeof(salt),
		    shared, sizeof(shared), X25519_LABEL);
		crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL,
		    file_key, sizeof(file_key), NULL, 0, NULL, zero, key);
		if ((rc = enas_buf_puts(out, "-> X25519 ")) < 0 ||
		    (rc = b64_add(out, E, sizeof(E))) < 0 ||
		    (rc = enas_buf_add(out, "\n", 1)) < 0 ||
		    (rc = b64_body(out, body, sizeof(body))) < 0)
			goto out;
	}
	rc = finish(out, start, file_key, in, len);
out:
	sodium_memzero(file_key, sizeof(file_key));
	sodium_memzero(e, sizeof(e));
	sodium_memzero(shared, sizeof(shared));
	sodium_memzero(key, sizeof(key));
	if (rc < 0) {
		sodium_memzero(out->data + start, out->len - start);
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return rc;
}

int
enas_age_encrypt_scrypt(struct enas_buf *out, const void *in, size_t len,
    const char *pass, size_t passlen, int work)
{
	static const unsigned char zero[12];
	unsigned char file_key[ENAS_AGE_FILE_KEY_LEN], key[32];
	unsigned char ssalt[sizeof(SCRYPT_LABEL) - 1 + SCRYPT_SALT_LEN];
	unsigned char body[WRAPPED_LEN];
	size_t start = out->len, lab = sizeof(SCRYPT_LABEL) - 1;
	int rc;

	if ((rc = enas_age_init()) < 0)
		return rc;
	if (work < 1 || work > ENAS_AGE_SCRYPT_MAX)
		return enas_error_set(ENAS_EUSAGE, _("age: scrypt work factor "
		    "%d is not between 1 and %d"), work, ENAS_AGE_SCRYPT_MAX);
	randombytes_buf(file_key, sizeof(file_key));
	memcpy(ssalt, SCRYPT_LABEL, lab);
	randombytes_buf(ssalt + lab, SCRYPT_SALT_LEN);
	if (crypto_pwhash_scryptsalsa208sha256_ll((const uint8_t *)pass,
	    passlen, ssalt, sizeof(ssalt), (uint64_t)1 << work, 8, 1, key,
	    sizeof(key)) != 0) {
		rc = enas_error_set(ENAS_ENOMEM, "%s",
		    _("age: scrypt failed (out of memory?)"));
		goto out;
	}
	crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, file_key,
	    sizeof(file_key), NULL, 0, NULL, zero, key);
	if ((rc = enas_buf_puts(out, VERSION_LINE "\n-> scrypt ")) < 0 ||
	    (rc = b64_add(out, ssalt + lab, SCRYPT_SALT_LEN)) < 0 ||
	    (rc = enas_buf_printf(out, " %d\n", work)) < 0 ||
	    (rc = b64_body(out, body, sizeof(body))) < 0)
		goto out;
	rc = finish(out, start, file_key, in, len);
out:
	sodium_memzero(file_key, sizeof(file_key));
	sodium_memzero(key, sizeof(key));
	if (rc < 0 && out->data) {
		sodium_memzero(out->data + start, out->len - start);
		out->len = start;
		out->data[start] = '\0';
	}
	return rc;
}
