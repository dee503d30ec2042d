/*
 * identity.c: tokens, padding, paths and the rules of identity records
 * (see identity.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "i18n.h"
#include "identity.h"

/*
 * The identity kind.  Compiled in, not read from the repository: the
 * identity server cannot read payloads, so a rules file committed there
 * would be checked by no one.
 */
static const char identity_rules[] =
    "# Rules for identity records: who one child is.  Kept only\n"
    "# encrypted, in the identity repository, never in the records one.\n"
    "kind: identity\n"
    "dir: ids\n"
    "path: '{id}.yaml'\n"
    "id: '[A-Z]{3}-20[0-9]{2}-[0-9A-HJKMNP-TV-Z]{5}'\n"
    "fields:\n"
    "  id:                {required: true,\n"
    "                      message: 'the id of the case this identity "
    "belongs to'}\n"
    "  names:             {required: true, type: list,\n"
    "                      message: 'the names the child gives, as "
    "written'}\n"
    "  dob:               {type: date, max: today, required_if: "
    "'!dob_estimated',\n"
    "                      message: 'date of birth, YYYY-MM-DD; or "
    "dob_estimated'}\n"
    "  dob_estimated:     {type: date, max: today, forbidden_if: 'dob',\n"
    "                      message: 'an estimated date of birth, when the "
    "exact one is unknown'}\n"
    "  parents:           {type: list}\n"
    "  relative:          {}\n"
    "  relative.relation: {required_if: 'relative.phone',\n"
    "                      enum: [mother, father, sibling, aunt_uncle, "
    "grandparent, cousin, other]}\n"
    "  relative.phone:    {match: '\\+?[0-9][0-9 ]{5,19}',\n"
    "                      message: 'digits and spaces, an optional "
    "leading +'}\n"
    "  photo_ref:         {match: '[A-Za-z0-9._/-]{1,128}',\n"
    "                      message: 'where the photo is kept: a "
    "reference, never the photo'}\n";

int
enas_identity_rules(struct enas_rules **out, enas_diag_fn fn, void *ctx)
{
	return enas_rules_load(out, identity_rules, sizeof(identity_rules) - 1,
	    "(identity rules)", fn, ctx);
}

const char *
enas_identity_rules_text(void)
{
	return identity_rules;
}

int
enas_identity_token(char out[ENAS_IDENTITY_TOKEN_LEN + 1],
    const unsigned char key[ENAS_IDENTITY_TOKEN_KEY], const char *case_id)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	unsigned acc = 0;
	int bits = 0, i, o = 0;

	if (enas_age_init() < 0)
		return ENAS_EIO;
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, ENAS_IDENTITY_TOKEN_KEY);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)case_id,
	    strlen(case_id));
	crypto_auth_hmacsha256_final(&st, mac);
	/* 15 bytes, 120 bits: 24 characters of base32. */
	for (i = 0; i < 15; i++) {
		acc = (acc << 8 | mac[i]) & 0xfff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32[acc >> bits & 31];
		}
	}
	out[o] = '\0';
	sodium_memzero(&st, sizeof(st));
	return 0;
}

int
enas_identity_token_key_parse(unsigned char key[ENAS_IDENTITY_TOKEN_KEY],
    const char *buf, size_t len)
{
	size_t bin;

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (len != 2 * ENAS_IDENTITY_TOKEN_KEY ||
	    sodium_hex2bin(key, ENAS_IDENTITY_TOKEN_KEY, buf, len, NULL, &bin,
	    NULL) != 0 || bin != ENAS_IDENTITY_TOKEN_KEY)
		return enas_error_set(ENAS_EDATA, "%s",
		    _(".token.age: not a token key"));
	return 0;
}

int
enas_identity_token_key_format(struct enas_buf *b,
    const unsigned char key[ENAS_IDENTITY_TOKEN_KEY])
{
	char hex[2 * ENAS_IDENTITY_TOKEN_KEY + 1];
	int rc;

	sodium_bin2hex(hex, sizeof(hex), key, ENAS_IDENTITY_TOKEN_KEY);
	rc = enas_buf_printf(b, "%s\n", hex);
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

size_t
enas_identity_bucket(size_t len)
{
	size_t b = 1024;

	while (b < len)
		b *= 2;
	return b;
}

int
enas_identity_pad(struct enas_buf *out, const char *yaml, size_t len)
{
	size_t b;

	if (len > ENAS_IDENTITY_MAX || memchr(yaml, '\0', len))
		return enas_error_set(ENAS_EDATA, _("an identity record must "
		    "be text of at most %d bytes"), ENAS_IDENTITY_MAX);
	b = enas_identity_bucket(len);
	enas_age_buf_wipe(out);
	/* Sized once: no copy of the clear text left behind by realloc. */
	if (enas_buf_grow(out, b) < 0)
		return ENAS_ENOMEM;
	memcpy(out->data, yaml, len);
	memset(out->data + len, 0, b - len + 1);
	out->len = b;
	return 0;
}

int
enas_identity_unpad(size_t *out, const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);
	size_t i;

	*out = nul ? (size_t)(nul - buf) : len;
	for (i = *out; i < len; i++)
		if (buf[i] != '\0')
			return enas_error_set(ENAS_EDATA, "%s", _("an identity "
			    "record holds a NUL byte"));
	return 0;
}

int
enas_identity_path(const char *path, char office[ENAS_IDENTITY_OFFICE_MAX],
    char token[ENAS_IDENTITY_TOKEN_LEN + 1])
{
	const char *p, *slash;
	size_t n, i;

	if (strncmp(path, "ids/", 4) != 0)
		return ENAS_IDPATH_OTHER;
	p = path + 4;
	if (!(slash = strchr(p, '/')))
		return ENAS_IDPATH_OTHER;
	n = (size_t)(slash - p);
	if (n < 2 || n >= ENAS_IDENTITY_OFFICE_MAX)
		return ENAS_IDPATH_OTHER;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9')))
			return ENAS_IDPATH_OTHER;
	if (office) {
		memcpy(office, p, n);
		office[n] = '\0';
	}
	p = slash + 1;
	if (strcmp(p, ".recipients") == 0)
		return ENAS_IDPATH_RECIPIENTS;
	if (strlen(p) != ENAS_IDENTITY_TOKEN_LEN + 4 ||
	    strcmp(p + ENAS_IDENTITY_TOKEN_LEN, ".age") != 0)
		return ENAS_IDPATH_OTHER;
	for (i = 0; i < ENAS_IDENTITY_TOKEN_LEN; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '2' && p[i] <= '7')))
			return ENAS_IDPATH_OTHER;
	if (token) {
		memcpy(token, p, ENAS_IDENTITY_TOKEN_LEN);
		token[ENAS_IDENTITY_TOKEN_LEN] = '\0';
	}
	return ENAS_IDPATH_IDENTITY;
}

int
enas_identity_office_ok(const char *office)
{
	size_t i, n = strlen(office);

	if (n < 2 || n >= ENAS_IDENTITY_OFFICE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((office[i] >= 'A' && office[i] <= 'Z') ||
		    (office[i] >= '0' && office[i] <= '9')))
			return 0;
	return 1;
}

int
enas_identity_open(struct enas_record **out, const struct enas_rules *r,
    const char *clear, size_t len, const char *file,
    const unsigned char key[ENAS_IDENTITY_TOKEN_KEY], const char *token,
    const char *want_id, enas_diag_fn fn, void *ctx)
{
	struct enas_record *rec = NULL;
	const struct enas_node *id;
	char tok[ENAS_IDENTITY_TOKEN_LEN + 1];
	size_t n;
	int rc, errors;

	*out = NULL;
	if (enas_identity_unpad(&n, clear, len) < 0) {
		enas_diag_report(fn, ctx, file, 0, 0, ENAS_ERROR, NULL, NULL,
		    "%s", enas_error_last());
		return ENAS_EDATA;
	}
	if ((rc = enas_record_parse(&rec, clear, n, file, 0, fn, ctx)) < 0)
		return rc;
	if ((errors = enas_rules_check(r, rec, fn, ctx)) < 0) {
		enas_record_free(rec);
		return errors;
	}
	id = enas_node_get(rec->root, "id");
	if (errors == 0 && id && id->type == ENAS_SCALAR) {
		/* The id is inside the encryption: the file's name must be
		 * its token, or the file was put in another's place. */
		if (token && key && (enas_identity_token(tok, key,
		    id->value) < 0 || strcmp(tok, token) != 0)) {
			enas_diag_report(fn, ctx, file, id->line, id->col,
			    ENAS_ERROR, "id", NULL, "%s", _("this file holds "
			    "the identity of another case: it was moved or "
			    "swapped, and is refused"));
			errors++;
		} else if (want_id && strcmp(id->value, want_id) != 0) {
			enas_diag_report(fn, ctx, file, id->line, id->col,
			    ENAS_ERROR, "id", NULL, _("is not %s: this file "
			    "holds another case's identity, and is refused"),
			    want_id);
			errors++;
		}
	}
	if (errors) {
		enas_record_free(rec);
		return ENAS_EDATA;
	}
	*out = rec;
	return 0;
}
