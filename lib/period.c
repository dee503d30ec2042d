/*
 * period.c: calendar periods.  ISO weeks start on Monday and belong to
 * the year of their Thursday.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "period.h"

/* The Monday of ISO week 1 of year y. */
static long long
week1(int y)
{
	long long jan4 = enas_date_from_ymd(y, 1, 4);

	return jan4 - enas_date_weekday(jan4);
}

long long
enas_period_start(enum enas_interval iv, long long day)
{
	int y, m, d;

	switch (iv) {
	case ENAS_WEEK:
		return day - enas_date_weekday(day);
	case ENAS_MONTH:
		enas_date_to_ymd(day, &y, &m, &d);
		return enas_date_from_ymd(y, m, 1);
	case ENAS_QUARTER:
		enas_date_to_ymd(day, &y, &m, &d);
		return enas_date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
	case ENAS_YEAR:
		enas_date_to_ymd(day, &y, &m, &d);
		return enas_date_from_ymd(y, 1, 1);
	default:
		return day;
	}
}

long long
enas_period_next(enum enas_interval iv, long long start)
{
	int y, m, d;

	switch (iv) {
	case ENAS_WEEK:
		return start + 7;
	case ENAS_MONTH:
		enas_date_to_ymd(start, &y, &m, &d);
		return m == 12 ? enas_date_from_ymd(y + 1, 1, 1) :
		    enas_date_from_ymd(y, m + 1, 1);
	case ENAS_QUARTER:
		enas_date_to_ymd(start, &y, &m, &d);
		m = (m - 1) / 3 * 3 + 4;
		return m > 12 ? enas_date_from_ymd(y + 1, 1, 1) :
		    enas_date_from_ymd(y, m, 1);
	case ENAS_YEAR:
		enas_date_to_ymd(start, &y, &m, &d);
		return enas_date_from_ymd(y + 1, 1, 1);
	default:
		return start + 1;
	}
}

void
enas_period_name(char buf[ENAS_PERIOD_NAME], enum enas_interval iv,
    long long day)
{
	long long mon;
	int y, m, d;

	switch (iv) {
	case ENAS_WEEK:
		mon = day - enas_date_weekday(day);
		enas_date_to_ymd(mon + 3, &y, &m, &d);
		snprintf(buf, ENAS_PERIOD_NAME, "%04d-W%02d", y,
		    (int)((mon - week1(y)) / 7 + 1));
		return;
	case ENAS_MONTH:
		enas_date_to_ymd(day, &y, &m, &d);
		snprintf(buf, ENAS_PERIOD_NAME, "%04d-%02d", y, m);
		return;
	case ENAS_QUARTER:
		enas_date_to_ymd(day, &y, &m, &d);
		snprintf(buf, ENAS_PERIOD_NAME, "%04dQ%d", y, (m - 1) / 3 + 1);
		return;
	case ENAS_YEAR:
		enas_date_to_ymd(day, &y, &m, &d);
		snprintf(buf, ENAS_PERIOD_NAME, "%04d", y);
		return;
	default:
		enas_date_format(buf, day);
		return;
	}
}

/* n decimal digits at s, into *v; 0, or -1 if they are not digits. */
static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
enas_period_parse(long long *begin, long long *end, enum enas_interval *iv,
    const char *s)
{
	enum enas_interval kind;
	long long b;
	size_t len = strlen(s);
	int y, n;

	if (len < 4 || digits(s, 4, &y) < 0 || y < 1900)
		return -1;
	if (len == 4) {
		kind = ENAS_YEAR;
		b = enas_date_from_ymd(y, 1, 1);
	} else if (len == 6 && s[4] == 'Q' && digits(s + 5, 1, &n) == 0 &&
	    n >= 1 && n <= 4) {
		kind = ENAS_QUARTER;
		b = enas_date_from_ymd(y, (n - 1) * 3 + 1, 1);
	} else if (len == 7 && s[4] == '-' && digits(s + 5, 2, &n) == 0 &&
	    n >= 1 && n <= 12) {
		kind = ENAS_MONTH;
		b = enas_date_from_ymd(y, n, 1);
	} else if (len == 8 && s[4] == '-' && s[5] == 'W' &&
	    digits(s + 6, 2, &n) == 0 && n >= 1) {
		kind = ENAS_WEEK;
		b = week1(y) + 7LL * (n - 1);
		if (b >= week1(y + 1))
			return -1;
	} else if ((b = enas_date_parse(s, len)) >= 0)
		kind = ENAS_DAY;
	else
		return -1;
	if (begin)
		*begin = b;
	if (end)
		*end = enas_period_next(kind, b);
	if (iv)
		*iv = kind;
	return 0;
}
