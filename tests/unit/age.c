/*
 * age.c: unit tests of lib/age.c, printing TAP.
 *
 * Known answers: HKDF-SHA-256 from RFC 5869's test cases, the STREAM
 * nonces, Bech32 keys against age-keygen's output, and the C2SP CCTV
 * age test vectors in tests/fixtures/age/ (the header MAC, the X25519
 * and scrypt stanzas, the STREAM chunks; found through $ENAS_SRC).
 * Then round trips of every size around the chunk boundaries, and
 * tampering.
 *
 * "age vectors DIR" runs only the vectors of DIR, compressed ones
 * included (tests/id-age.t inflates them first).
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age.h"
#include "enas.h"
#include "tap.h"

static void
tohex(char *out, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void
test_hkdf(void)
{
	unsigned char ikm[80], salt[80], out[82];
	char info[81], hex[165];
	int i;

	/* RFC 5869 A.1 */
	memset(ikm, 0x0b, 22);
	for (i = 0; i < 13; i++)
		salt[i] = (unsigned char)i;
	for (i = 0; i < 10; i++)
		info[i] = (char)(0xf0 + i);
	info[10] = '\0';
	enas_age_hkdf(out, 42, salt, 13, ikm, 22, info);
	tohex(hex, out, 42);
	ok(!strcmp(hex, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db0"
	    "2d56ecc4c5bf34007208d5b887185865"), "hkdf: RFC 5869 A.1");
	/* RFC 5869 A.2: longer inputs, three blocks of output. */
	for (i = 0; i < 80; i++) {
		ikm[i] = (unsigned char)i;
		salt[i] = (unsigned char)(0x60 + i);
		info[i] = (char)(0xb0 + i);
	}
	info[80] = '\0';
	enas_age_hkdf(out, 82, salt, 80, ikm, 80, info);
	tohex(hex, out, 82);
	ok(!strcmp(hex, "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050"
	    "cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b836779"
	    "3a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"),
	    "hkdf: RFC 5869 A.2");
	/* RFC 5869 A.3: no salt, no info (age's header key has no salt). */
	memset(ikm, 0x0b, 22);
	enas_age_hkdf(out, 42, NULL, 0, ikm, 22, "");
	tohex(hex, out, 42);
	ok(!strcmp(hex, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec345"
	    "4e5f3c738d2d9d201395faa4b61a96c8"), "hkdf: RFC 5869 A.3");
	ok(enas_age_hkdf(out, 255 * 32 + 1, NULL, 0, ikm, 22, "") ==
	    ENAS_EUSAGE, "hkdf: more than 255 blocks refused");
}

static void
test_nonce(void)
{
	unsigned char n[12];
	char hex[25];

	enas_age_stream_nonce(n, 0, 0);
	tohex(hex, n, 12);
	ok(!strcmp(hex, "000000000000000000000000"), "stream nonce: first");
	enas_age_stream_nonce(n, 0, 1);
	tohex(hex, n, 12);
	ok(!strcmp(hex, "000000000000000000000001"), "stream nonce: only");
	enas_age_stream_nonce(n, 256, 0);
	tohex(hex, n, 12);
	ok(!strcmp(hex, "000000000000000000010000"),
	    "stream nonce: 257th chunk, big endian");
	enas_age_stream_nonce(n, 0x0102030405ULL, 1);
	tohex(hex, n, 12);
	ok(!strcmp(hex, "000000000000010203040501"), "stream nonce: last");
}

static void
test_bech32(void)
{
	static const char sk[] = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2V"
	    "KNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
	/* age-keygen -y of sk (age 1.1.1). */
	static const char pk[] = "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypd"
	    "rwsvlul66mv4q47ryef";
	struct enas_age_identity id;
	struct enas_age_recipient r, r2;
	struct enas_buf b = ENAS_BUF_INIT;
	char bad[sizeof(sk)];

	ok(enas_age_identity_parse(&id, sk, strlen(sk)) == 0,
	    "identity parses");
	enas_age_identity_recipient(&r, &id);
	enas_age_recipient_format(&b, &r);
	ok(b.data && !strcmp(b.data, pk), "recipient as age-keygen -y: %s",
	    b.data ? b.data : "(null)");
	b.len = 0;
	enas_age_identity_format(&b, &id);
	ok(b.data && !strcmp(b.data, sk), "identity formats back");
	ok(enas_age_recipient_parse(&r2, pk, strlen(pk)) == 0 &&
	    !memcmp(r.public, r2.public, 32), "recipient parses");
	memcpy(bad, sk, sizeof(sk));
	bad[20] = bad[20] == 'Q' ? 'P' : 'Q';
	ok(enas_age_identity_parse(&id, bad, strlen(bad)) == ENAS_EDATA,
	    "identity with a wrong checksum refused");
	memcpy(bad, sk, sizeof(sk));
	bad[30] = (char)(bad[30] - 'A' + 'a');
	ok(enas_age_identity_parse(&id, bad, strlen(bad)) == ENAS_EDATA,
	    "identity in mixed case refused");
	ok(enas_age_recipient_parse(&r2, pk, strlen(pk) - 1) == ENAS_EDATA,
	    "recipient cut short refused");
	ok(enas_age_recipient_parse(&r2, sk, strlen(sk)) == ENAS_EDATA,
	    "identity given as a recipient refused");
	enas_buf_free(&b);
	enas_age_identity_wipe(&id);
}

/* A CCTV vector: its header lines, and the age file after them. */
struct vector {
	char expect[32];
	char payload[65];
	char ids[4][128];
	int nids;
	char pass[64];
	int compressed;
	const unsigned char *file;
	size_t len;
};

static int
vector_parse(struct vector *v, const struct enas_buf *b)
{
	const char *s = b->data, *end = b->data + b->len, *nl;

	memset(v, 0, sizeof(*v));
	while (s < end && *s != '\n') {
		if (!(nl = memchr(s, '\n', (size_t)(end - s))))
			return -1;
		if (!strncmp(s, "expect: ", 8))
			snprintf(v->expect, sizeof(v->expect), "%.*s",
			    (int)(nl - s - 8), s + 8);
		else if (!strncmp(s, "payload: ", 9))
			snprintf(v->payload, sizeof(v->payload), "%.*s",
			    (int)(nl - s - 9), s + 9);
		else if (!strncmp(s, "identity: ", 10) && v->nids < 4)
			snprintf(v->ids[v->nids++], sizeof(v->ids[0]), "%.*s",
			    (int)(nl - s - 10), s + 10);
		else if (!strncmp(s, "passphrase: ", 12))
			snprintf(v->pass, sizeof(v->pass), "%.*s",
			    (int)(nl - s - 12), s + 12);
		else if (!strncmp(s, "compressed: ", 12))
			v->compressed = 1;
		s = nl + 1;
	}
	if (s >= end)
		return -1;
	v->file = (const unsigned char *)s + 1;
	v->len = (size_t)(end - s - 1);
	return 0;
}

static const char *
fail_name(enum enas_age_fail f)
{
	switch (f) {
	case ENAS_AGE_OK:
		return "success";
	case ENAS_AGE_HEADER:
		return "header failure";
	case ENAS_AGE_NOMATCH:
		return "no match";
	case ENAS_AGE_HMAC:
		return "HMAC failure";
	case ENAS_AGE_PAYLOAD:
		return "payload failure";
	}
	return "?";
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each vector of dir; compressed ones only when with_compressed. */
static void
test_vectors(const char *dir, int with_compressed)
{
	struct enas_age_identity ids[4];
	struct enas_age_keys keys;
	struct enas_buf b = ENAS_BUF_INIT, out = ENAS_BUF_INIT;
	struct vector v;
	enum enas_age_fail why;
	unsigned char hash[32];
	char path[4096], hex[65], *names[256];
	struct dirent *de;
	DIR *d;
	int i, n = 0, rc;

	if (!(d = opendir(dir))) {
		ok(0, "vectors: cannot open %s", dir);
		return;
	}
	while ((de = readdir(d)) && n < 256)
		if (de->d_name[0] != '.' && strcmp(de->d_name, "README"))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (enas_file_read(&b, path, 64 << 20) < 0 ||
		    vector_parse(&v, &b) < 0) {
			ok(0, "vector %s: cannot read", names[i]);
			continue;
		}
		if (v.compressed && !with_compressed)
			continue;
		memset(&keys, 0, sizeof(keys));
		for (keys.nids = 0; keys.nids < (size_t)v.nids; keys.nids++)
			if (enas_age_identity_parse(&ids[keys.nids],
			    v.ids[keys.nids], strlen(v.ids[keys.nids])) < 0)
				break;
		keys.ids = ids;
		if (v.pass[0]) {
			keys.pass = v.pass;
			keys.passlen = strlen(v.pass);
		}
		rc = enas_age_decrypt(&out, v.file, v.len, &keys, &why);
		if (rc == 0 && v.payload[0]) {
			crypto_hash_sha256(hash, (unsigned char *)out.data,
			    out.len);
			tohex(hex, hash, 32);
		} else
			hex[0] = '\0';
		ok(!strcmp(fail_name(why), v.expect) && (rc != 0 ||
		    !strcmp(hex, v.payload)) && (rc == 0 || out.len == 0),
		    "vector %s: %s%s%s", names[i], fail_name(why),
		    rc ? ": " : "", rc ? enas_error_last() : "");
		enas_age_buf_wipe(&out);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	enas_buf_free(&b);
}

static void
test_round_trips(void)
{
	static const size_t sizes[] = { 0, 1, 100, 65535, 65536, 65537,
	    131072, 200000 };
	struct enas_age_identity a, c;
	struct enas_age_recipient r[2];
	struct enas_age_keys ka = { &a, 1, NULL, 0, 0 };
	struct enas_age_keys kc = { &c, 1, NULL, 0, 0 };
	struct enas_age_keys kp = { NULL, 0, "correct horse", 13, 0 };
	struct enas_age_shape shape;
	struct enas_buf enc = ENAS_BUF_INIT, dec = ENAS_BUF_INIT;
	enum enas_age_fail why;
	unsigned char *plain;
	size_t i, hdr;

	enas_age_keygen(&a);
	enas_age_keygen(&c);
	enas_age_identity_recipient(&r[0], &a);
	enas_age_identity_recipient(&r[1], &c);
	if (!(plain = malloc(200000)))
		abort();
	randombytes_buf(plain, 200000);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		enc.len = 0;
		ok(enas_age_encrypt(&enc, plain, sizes[i], r, 2) == 0 &&
		    enas_age_decrypt(&dec, enc.data, enc.len, &kc, &why) == 0 &&
		    dec.len == sizes[i] && !memcmp(dec.data, plain, sizes[i]),
		    "round trip of %zu bytes, second recipient", sizes[i]);
	}
	ok(enas_age_shape(&shape, enc.data, enc.len) == 0 &&
	    shape.nstanzas == 2 && shape.nx25519 == 2 &&
	    shape.payload_len == 16 + 200000 + 4 * 16,
	    "shape: two X25519 stanzas, 4 chunks");
	hdr = shape.header_len;

	/* Tampering: one byte of each part. */
	enc.data[30] ^= 1;
	ok(enas_age_decrypt(&dec, enc.data, enc.len, &ka, &why) ==
	    ENAS_EDATA && why != ENAS_AGE_OK && dec.len == 0,
	    "a changed stanza is refused: %s", enas_error_last());
	enc.data[30] ^= 1;
	enc.data[hdr - 5] ^= 1;
	ok(enas_age_decrypt(&dec, enc.data, enc.len, &ka, &why) ==
	    ENAS_EDATA && (why == ENAS_AGE_HMAC || why == ENAS_AGE_HEADER),
	    "a changed MAC is refused: %s", enas_error_last());
	enc.data[hdr - 5] ^= 1;
	enc.data[hdr + 3] ^= 1;
	ok(enas_age_decrypt(&dec, enc.data, enc.len, &ka, &why) ==
	    ENAS_EDATA && why == ENAS_AGE_PAYLOAD,
	    "a changed nonce is refused: %s", enas_error_last());
	enc.data[hdr + 3] ^= 1;
	enc.data[hdr + 16 + 65536 + 16 + 7] ^= 1;
	ok(enas_age_decrypt(&dec, enc.data, enc.len, &ka, &why) ==
	    ENAS_EDATA && why == ENAS_AGE_PAYLOAD && dec.len == 0,
	    "a changed second chunk is refused: %s", enas_error_last());
	enc.data[hdr + 16 + 65536 + 16 + 7] ^= 1;
	ok(enas_age_decrypt(&dec, enc.data, enc.len - 1, &ka, &why) ==
	    ENAS_EDATA && why == ENAS_AGE_PAYLOAD,
	    "a file cut short is refused");
	ok(enas_age_decrypt(&dec, enc.data, hdr + 16 + 2 * (65536 + 16), &ka,
	    &why) == ENAS_EDATA && why == ENAS_AGE_PAYLOAD,
	    "a file cut at a chunk boundary is refused");
	ok(enas_age_decrypt(&dec, enc.data, enc.len, &ka, &why) == 0 &&
	    dec.len == 200000, "the file untouched still decrypts");

	/* Not for us. */
	enc.len = 0;
	enas_age_encrypt(&enc, plain, 10, r, 1);
	ok(enas_age_decrypt(&dec, enc.data, enc.len, &kc, &why) ==
	    ENAS_EDATA && why == ENAS_AGE_NOMATCH,
	    "another office's key: %s", enas_error_last());

	/* scrypt, with a small work factor. */
	enc.len = 0;
	ok(enas_age_encrypt_scrypt(&enc, plain, 1000, "correct horse", 13,
	    10) == 0 && enas_age_decrypt(&dec, enc.data, enc.len, &kp,
	    &why) == 0 && dec.len == 1000 && !memcmp(dec.data, plain, 1000),
	    "scrypt round trip");
	kp.passlen = 12;
	ok(enas_age_decrypt(&dec, enc.data, enc.len, &kp, &why) ==
	    ENAS_EDATA && why == ENAS_AGE_NOMATCH, "wrong passphrase: %s",
	    enas_error_last());
	kp.passlen = 13;
	kp.max_work = 9;
	ok(enas_age_decrypt(&dec, enc.data, enc.len, &kp, &why) ==
	    ENAS_EDATA && why == ENAS_AGE_HEADER,
	    "work factor above the caller's limit: %s", enas_error_last());
	ok(enas_age_encrypt_scrypt(&enc, plain, 1, "x", 1, 23) == ENAS_EUSAGE,
	    "work factor 23 refused when encrypting");
	ok(enas_age_encrypt(&enc, plain, 1, r, 0) == ENAS_EUSAGE,
	    "no recipient refused");

	free(plain);
	enas_buf_free(&enc);
	enas_age_buf_wipe(&dec);
	enas_age_identity_wipe(&a);
	enas_age_identity_wipe(&c);
}

int
main(int argc, char **argv)
{
	const char *src = getenv("ENAS_SRC");
	char dir[4096];

	if (argc == 3 && !strcmp(argv[1], "vectors")) {
		test_vectors(argv[2], 1);
	} else {
		test_hkdf();
		test_nonce();
		test_bech32();
		snprintf(dir, sizeof(dir), "%s/tests/fixtures/age",
		    src && *src ? src : ".");
		test_vectors(dir, 0);
		test_round_trips();
	}
	return tap_done();
}
