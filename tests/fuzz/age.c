/*
 * age.c: an age file, parsed for its shape (as the identity server
 * does) and decrypted with a fixed X25519 identity and passphrase (as
 * enas id does).  Invariants: a file whose header the shape check
 * refuses never decrypts; a file that does not decrypt releases
 * nothing; what decrypts re-encrypts and decrypts to the same bytes.
 */
#include "fuzz.h"
#include "age.h"

/* The identity of the C2SP CCTV age test vectors. */
static const char secret[] = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2V"
    "KNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
static struct enas_age_identity id;
static int ready;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (enas_age_identity_parse(&id, secret, sizeof(secret) - 1) < 0)
		fuzz_fail("the fixed identity does not parse");
	ready = 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A small scrypt work factor: the fuzzer must stay fast. */
	struct enas_age_keys keys = { &id, 1, "password", 8, 8 };
	struct enas_buf out = ENAS_BUF_INIT, again = ENAS_BUF_INIT;
	struct enas_buf back = ENAS_BUF_INIT;
	struct enas_age_recipient r;
	struct enas_age_shape shape;
	enum enas_age_fail why;
	int src, rc;

	if (!ready)
		LLVMFuzzerInitialize(NULL, NULL);
	src = enas_age_shape(&shape, data, size);
	if (src == 0 && (shape.header_len > size || shape.nx25519 +
	    shape.nscrypt > shape.nstanzas || shape.header_len +
	    shape.payload_len != size))
		fuzz_fail("a shape that does not add up");
	rc = enas_age_decrypt(&out, data, size, &keys, &why);
	if (rc == 0 && src != 0)
		fuzz_fail("a file decrypts whose header the shape refused");
	if (rc != 0 && (out.len != 0 || why == ENAS_AGE_OK))
		fuzz_fail("a refused file released clear text");
	if (rc == 0) {
		enas_age_identity_recipient(&r, &id);
		if (enas_age_encrypt(&again, out.data, out.len, &r, 1) < 0 ||
		    enas_age_decrypt(&back, again.data, again.len, &keys,
		    NULL) < 0 || back.len != out.len ||
		    memcmp(back.data, out.data, out.len) != 0)
			fuzz_fail("a decrypted file does not round-trip");
	}
	enas_age_buf_wipe(&out);
	enas_age_buf_wipe(&back);
	enas_buf_free(&again);
	return 0;
}
