/*
 * i18n.h: translation of the messages a person reads (GNU gettext, as
 * glibc provides it: no extra library to link).
 *
 * _() marks and translates a message; N_() marks a message that is
 * translated later, where it is used.  Machine output is never passed
 * through them: TSV, CSV, JSON, the "FILE:LINE:COL: error:" prefix,
 * field names, enum codes and numbers stay as they are in every locale.
 * The text domain is "enas"; the tools bind it at start-up.
 */
#ifndef ENAS_I18N_H
#define ENAS_I18N_H

#include <libintl.h>

#define ENAS_TEXTDOMAIN "enas"
#define _(s) dgettext(ENAS_TEXTDOMAIN, s)
#define N_(s) (s)

#endif
