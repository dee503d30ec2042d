/*
 * yamlout.c: YAML scalars written so that they read back as written.
 */
#include <stdio.h>
#include <string.h>

#include "yamlout.h"

int
enas_yamlout_plain(const char *s, size_t n)
{
	size_t i;
	unsigned char ch;

	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' ||
	    strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return 0;
	for (i = 0; i < n; i++) {
		ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f || strchr(",[]{}", ch) ||
		    (ch == ':' && (i + 1 == n || s[i + 1] == ' ')) ||
		    (ch == '#' && s[i - 1] == ' '))
			return 0;
	}
	return 1;
}

/* 1 if s holds no control character: it fits in single quotes. */
static int
printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int
enas_yamlout_scalar(struct enas_buf *b, const char *s, size_t n)
{
	unsigned char ch;
	char esc[8];
	size_t i;

	if (enas_yamlout_plain(s, n))
		return enas_buf_add(b, s, n);
	if (printable(s, n)) {
		if (enas_buf_add(b, "'", 1) < 0)
			return ENAS_ENOMEM;
		for (i = 0; i < n; i++)
			if (enas_buf_add(b, s + i, 1) < 0 ||
			    (s[i] == '\'' && enas_buf_add(b, "'", 1) < 0))
				return ENAS_ENOMEM;
		return enas_buf_add(b, "'", 1);
	}
	if (enas_buf_add(b, "\"", 1) < 0)
		return ENAS_ENOMEM;
	for (i = 0; i < n; i++) {
		ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			snprintf(esc, sizeof(esc), "\\%c", ch);
		else if (ch == '\n')
			snprintf(esc, sizeof(esc), "\\n");
		else if (ch == '\t')
			snprintf(esc, sizeof(esc), "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", ch);
		else {
			esc[0] = (char)ch;
			esc[1] = '\0';
		}
		if (enas_buf_puts(b, esc) < 0)
			return ENAS_ENOMEM;
	}
	return enas_buf_add(b, "\"", 1);
}
