/*
 * lang.h: the languages a person reads, for the texts that rules carry
 * (a rule's message: and its enum labels: in several languages).
 * gettext translates the tools' own messages; these texts are in the
 * data, so enas picks among them the way gettext picks a catalogue.
 */
#ifndef ENAS_LANG_H
#define ENAS_LANG_H

#include <stddef.h>

#define ENAS_LANG_MAX 8		/* languages in a list, "en" included */
#define ENAS_LANG_LEN 4		/* a code and its NUL: "fr", "ber" */

/*
 * The user's languages, best first, as lower-case ISO 639 codes ("fr"),
 * into langs (room for ENAS_LANG_MAX); returns how many.  The list
 * always ends with "en", the fallback.  Like gettext: in the C or POSIX
 * locale of LC_MESSAGES only "en"; else the languages of LANGUAGE
 * ("fr_MA:ar") when it is set, or else the locale's ("fr_FR.UTF-8" is
 * "fr").  Call it after setlocale(LC_MESSAGES, "").
 */
size_t enas_lang_user(char langs[][ENAS_LANG_LEN]);

/* 1 if s is a language code as rules write them: 2 or 3 a-z letters. */
int enas_lang_code_ok(const char *s);

#endif
