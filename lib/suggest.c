/*
 * suggest.c: the nearest known word to a mistyped one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "suggest.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t
enas_suggest_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	/* three rows of the table: i - 2, i - 1 and i */
	size_t rows[3][ENAS_SUGGEST_MAX + 1];
	size_t *two = rows[0], *one = rows[1], *cur = rows[2], *t;
	size_t i, j, cost;

	if (alen > ENAS_SUGGEST_MAX || blen > ENAS_SUGGEST_MAX)
		return (size_t)-1;
	for (j = 0; j <= blen; j++)
		one[j] = j;
	for (i = 1; i <= alen; i++) {
		cur[0] = i;
		for (j = 1; j <= blen; j++) {
			cost = lower((unsigned char)a[i - 1]) !=
			    lower((unsigned char)b[j - 1]);
			cur[j] = min3(one[j] + 1, cur[j - 1] + 1,
			    one[j - 1] + cost);
			if (i > 1 && j > 1 &&
			    lower((unsigned char)a[i - 1]) ==
			    lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) ==
			    lower((unsigned char)b[j - 1]) &&
			    two[j - 2] + 1 < cur[j])
				cur[j] = two[j - 2] + 1;
		}
		t = two;
		two = one;
		one = cur;
		cur = t;
	}
	return one[blen];
}

/* The distance a slip of the keyboard makes in a word of len bytes. */
static size_t
near(size_t len)
{
	return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

const char *
enas_suggest(const char *word, size_t len, const char *const *cands,
    size_t n)
{
	const char *best = NULL;
	size_t i, d, bestd = (size_t)-1, clen;
	int tie = 0;

	for (i = 0; i < n; i++) {
		clen = strlen(cands[i]);
		d = enas_suggest_distance(word, len, cands[i], clen);
		/* a prefix typed short: "sho" for "show" */
		if (d > near(len) && len >= 3 && len < clen &&
		    enas_suggest_distance(word, len, cands[i], len) == 0)
			d = near(len);
		if (d > near(len))
			continue;
		if (d < bestd) {
			best = cands[i];
			bestd = d;
			tie = 0;
		} else if (d == bestd && strcmp(best, cands[i]) != 0)
			tie = 1;
	}
	return tie ? NULL : best;
}

/* Keys that name or locate a person: never recorded. */
static const char *const identity_words[] = {
	"name", "surname", "prenom", "birth", "born", "dob", "phone",
	"mobile", "gsm", "whatsapp", "email", "mail", "address", "adresse",
	"street", "passport", "cin", "national_id", "id_number", "document",
	"photo", "picture", "father", "mother", "parent", "guardian",
	"contact", "nom",
};

/* Keys of free text: never recorded either. */
static const char *const note_words[] = {
	"note", "comment", "remark", "description", "observation", "detail",
	"story", "text", "info",
};

/*
 * Whether key holds one of the words as a whole part: the key itself,
 * or a part between '_' ("first_name", "name_of_father").
 */
static int
has_word(const char *key, const char *const *words, size_t n)
{
	size_t i, wl, kl = strlen(key);
	const char *p;

	for (i = 0; i < n; i++) {
		wl = strlen(words[i]);
		for (p = key; (p = strstr(p, words[i])); p++) {
			if ((p == key || p[-1] == '_') &&
			    (p[wl] == '\0' || p[wl] == '_' ||
			    (p[wl] == 's' && (p[wl + 1] == '\0' ||
			    p[wl + 1] == '_'))))
				return 1;
			if ((size_t)(p - key) + wl >= kl)
				break;
		}
	}
	return 0;
}

/* The parent of a field path into buf: "consent", "referrals", "". */
static void
parent_of(char *buf, size_t size, const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t n = dot ? (size_t)(dot - path) : 0;

	if (n >= size)
		n = size - 1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	if (n >= 2 && strcmp(buf + n - 2, "[]") == 0)
		buf[n - 2] = '\0';
}

static const char *
last_key(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

int
enas_suggest_field(struct enas_buf *b, const struct enas_rules *r,
    const char *path)
{
	const struct enas_field *f, *at = NULL;
	const char *key = last_key(path), **cands = NULL, *best;
	char parent[256], fparent[256], prefix[256];
	size_t i, n = 0, nat = 0, plen;
	int rc;

	if (has_word(key, identity_words, sizeof(identity_words) /
	    sizeof(identity_words[0])))
		return enas_buf_puts(b, _("; names and other details that "
		    "identify a child are never recorded: records are shared "
		    "with every office and stay in git's history for good, "
		    "so they hold coded facts only")) < 0 ? ENAS_ENOMEM : 1;
	if (has_word(key, note_words, sizeof(note_words) /
	    sizeof(note_words[0])))
		return enas_buf_puts(b, _("; free-text notes are never "
		    "recorded (they end up holding names); use the coded "
		    "fields")) < 0 ? ENAS_ENOMEM : 1;
	parent_of(parent, sizeof(parent), path);
	/* The same key declared at another level: the indentation. */
	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (strcmp(last_key(f->path), key) == 0 &&
		    strcmp(f->path, path) != 0) {
			at = f;
			nat++;
		}
	}
	if (nat == 1) {
		parent_of(fparent, sizeof(fparent), at->path);
		if (!fparent[0])
			rc = enas_buf_printf(b, _("; check the indentation: "
			    "%s is a top-level field, written at the start of "
			    "its line, not under %s"), key, parent);
		else if (strchr(at->path, '['))
			rc = enas_buf_printf(b, _("; check the indentation: "
			    "%s belongs in an item of %s (- %s: ...)"), key,
			    fparent, key);
		else
			rc = enas_buf_printf(b, _("; check the indentation: "
			    "%s belongs under %s:, indented by two more spaces"),
			    key, fparent);
		return rc < 0 ? ENAS_ENOMEM : 1;
	}
	/* A slip of the keyboard among the fields of the same level. */
	plen = (size_t)(key - path);
	if (plen >= sizeof(prefix))
		return 0;
	memcpy(prefix, path, plen);
	prefix[plen] = '\0';
	/* sizeof(*p) of an array of pointers: a false positive. */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if (!(cands = enas_calloc(r->nfields + 1, sizeof(*cands))))
		return ENAS_ENOMEM;
	for (i = 0; i < r->nfields; i++)
		if (strncmp(r->fields[i].path, prefix, plen) == 0 &&
		    !strpbrk(r->fields[i].path + plen, ".["))
			cands[n++] = r->fields[i].path + plen;
	best = enas_suggest(key, strlen(key), cands, n);
	rc = best ? (enas_buf_printf(b, _("; did you mean %s?"), best) < 0 ?
	    ENAS_ENOMEM : 1) : 0;
	free(cands);
	return rc;
}
