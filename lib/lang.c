/*
 * lang.c: the user's languages for the texts that rules carry.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"

int
enas_lang_code_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");

	return s[n] == '\0' && (n == 2 || n == 3);
}

/* Add the language of locale name s (up to its _ . @ or :) if new. */
static size_t
add(char langs[][ENAS_LANG_LEN], size_t n, const char *s, size_t len)
{
	char code[ENAS_LANG_LEN];
	size_t i, k;

	k = strcspn(s, "_.@:");
	if (k > len)
		k = len;
	if (k < 2 || k >= ENAS_LANG_LEN || n + 1 >= ENAS_LANG_MAX)
		return n;
	for (i = 0; i < k; i++) {
		if (s[i] < 'a' || s[i] > 'z')
			return n;
		code[i] = s[i];
	}
	code[k] = '\0';
	for (i = 0; i < n; i++)
		if (strcmp(langs[i], code) == 0)
			return n;
	memcpy(langs[n], code, k + 1);
	return n + 1;
}

/* The C locale, by any of its names: gettext reads no LANGUAGE then. */
static int
c_locale(const char *loc)
{
	return !loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0 ||
	    strncmp(loc, "C.", 2) == 0;
}

size_t
enas_lang_user(char langs[][ENAS_LANG_LEN])
{
	const char *loc = setlocale(LC_MESSAGES, NULL), *env, *s;
	size_t n = 0, len;

	if (!c_locale(loc)) {
		if ((env = getenv("LANGUAGE")) && *env)
			for (s = env; *s; s += len + (s[len] == ':')) {
				len = strcspn(s, ":");
				n = add(langs, n, s, len);
			}
		else
			n = add(langs, n, loc, strlen(loc));
	}
	for (len = 0; len < n; len++)
		if (strcmp(langs[len], "en") == 0)
			return n;
	memcpy(langs[n], "en", 3);
	return n + 1;
}
