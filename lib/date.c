/*
 * date.c: days since 1970 to and from the civil calendar, with Howard
 * Hinnant's algorithms (eras of 400 years, years starting in March so
 * that the leap day comes last).
 */
#include <ctype.h>
#include <stdio.h>
#include <time.h>

#include "date.h"

long long
enas_date_from_ymd(long long y, int m, int d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

void
enas_date_to_ymd(long long days, int *y, int *m, int *d)
{
	long long z = days + 719468, era, yy;
	unsigned doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int
enas_date_weekday(long long days)
{
	/* 1970-01-01 was a Thursday. */
	return (int)(((days + 3) % 7 + 7) % 7);
}

long long
enas_date_parse(const char *s, size_t len)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int y, m, d, max;
	size_t i;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return -1;
	max = mdays[m - 1];
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		max = 29;
	if (d > max)
		return -1;
	return enas_date_from_ymd(y, m, d);
}

void
enas_date_format(char buf[11], long long days)
{
	int y, m, d;

	/* Unsigned and reduced: the compiler sees that 11 bytes hold it. */
	enas_date_to_ymd(days, &y, &m, &d);
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)(y % 10000 + 10000) %
	    10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

long long
enas_date_today(void)
{
	struct tm tm;
	time_t t = time(NULL);

	if (!localtime_r(&t, &tm))
		return 0;
	return enas_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}
