/*
 * identity_keys.c: key files and recipients files (see identity.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "i18n.h"
#include "identity.h"

/* The next line of buf from *pos, without its newline; 0 at the end. */
static int
next_line(const char *buf, size_t len, size_t *pos, const char **line,
    size_t *n)
{
	const char *nl;

	if (*pos >= len)
		return 0;
	*line = buf + *pos;
	nl = memchr(*line, '\n', len - *pos);
	*n = nl ? (size_t)(nl - *line) : len - *pos;
	*pos += *n + (nl != NULL);
	/* Trailing blanks and a CR are not part of a key. */
	while (*n && ((*line)[*n - 1] == '\r' || (*line)[*n - 1] == ' ' ||
	    (*line)[*n - 1] == '\t'))
		(*n)--;
	return 1;
}

static int
parse_keys(struct enas_identity_keys *out, const char *buf, size_t len)
{
	const char *line;
	size_t pos = 0, n, lineno = 0;

	while (next_line(buf, len, &pos, &line, &n)) {
		lineno++;
		if (n == 0 || line[0] == '#')
			continue;
		if (out->n == ENAS_IDENTITY_KEYS_MAX)
			return enas_error_set(ENAS_EDATA, _("key file: more than "
			    "%d identities"), ENAS_IDENTITY_KEYS_MAX);
		if (enas_age_identity_parse(&out->ids[out->n], line, n) < 0)
			return enas_error_set(ENAS_EDATA, _("key file: line "
			    "%zu is not an age identity (AGE-SECRET-KEY-1...)"),
			    lineno);
		out->n++;
	}
	if (out->n == 0)
		return enas_error_set(ENAS_EDATA, "%s",
		    _("key file: no identity in it"));
	return 0;
}

int
enas_identity_keys_load(struct enas_identity_keys *out, const void *buf,
    size_t len, const char *pass, size_t passlen, int *need_pass)
{
	static const char magic[] = "age-encryption.org/v1\n";
	struct enas_buf clear = ENAS_BUF_INIT;
	struct enas_age_keys k;
	enum enas_age_fail why;
	int rc;

	memset(out, 0, sizeof(*out));
	if (need_pass)
		*need_pass = 0;
	if (len < sizeof(magic) - 1 || memcmp(buf, magic, sizeof(magic) - 1) != 0) {
		out->plain = 1;
		if ((rc = parse_keys(out, buf, len)) < 0)
			enas_identity_keys_wipe(out);
		return rc;
	}
	if (!pass) {
		if (need_pass)
			*need_pass = 1;
		return enas_error_set(ENAS_EUSAGE, "%s",
		    _("the key file is protected by a passphrase"));
	}
	memset(&k, 0, sizeof(k));
	k.pass = pass;
	k.passlen = passlen;
	if ((rc = enas_age_decrypt(&clear, buf, len, &k, &why)) < 0) {
		if (why == ENAS_AGE_NOMATCH)
			rc = enas_error_set(ENAS_EDATA, "%s",
			    _("wrong passphrase for the key file"));
		return rc;
	}
	if ((rc = parse_keys(out, clear.data, clear.len)) < 0)
		enas_identity_keys_wipe(out);
	enas_age_buf_wipe(&clear);
	return rc;
}

void
enas_identity_keys_wipe(struct enas_identity_keys *k)
{
	sodium_memzero(k, sizeof(*k));
}

void
enas_identity_keys_age(struct enas_age_keys *out,
    const struct enas_identity_keys *k)
{
	memset(out, 0, sizeof(*out));
	out->ids = k->ids;
	out->nids = k->n;
}

int
enas_identity_recipients_parse(struct enas_age_recipient **out, size_t *n,
    const char *buf, size_t len, const char *file)
{
	struct enas_age_recipient *r;
	const char *line;
	size_t pos = 0, ln, lineno = 0;

	*out = NULL;
	*n = 0;
	if (!(r = enas_calloc(ENAS_IDENTITY_RECIPIENTS_MAX, sizeof(*r))))
		return ENAS_ENOMEM;
	while (next_line(buf, len, &pos, &line, &ln)) {
		lineno++;
		if (ln == 0 || line[0] == '#')
			continue;
		if (*n == ENAS_IDENTITY_RECIPIENTS_MAX) {
			free(r);
			*n = 0;
			return enas_error_set(ENAS_EDATA, _("%s:%zu: more than "
			    "%d recipients"), file, lineno,
			    ENAS_IDENTITY_RECIPIENTS_MAX);
		}
		if (enas_age_recipient_parse(&r[*n], line, ln) < 0) {
			free(r);
			*n = 0;
			return enas_error_set(ENAS_EDATA, _("%s:%zu: not an age "
			    "recipient (age1...)"), file, lineno);
		}
		(*n)++;
	}
	if (*n == 0) {
		free(r);
		return enas_error_set(ENAS_EDATA, _("%s: no recipient in it"),
		    file);
	}
	*out = r;
	return 0;
}
