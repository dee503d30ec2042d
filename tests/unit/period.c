/*
 * tests/unit/period.c: the calendar (lib/date.c) and the periods of
 * statistics (lib/period.c): leap years, ISO weeks at year ends,
 * quarters, and every day of four centuries there and back.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "period.h"

#include "tap.h"

static long long
day(const char *s)
{
	return enas_date_parse(s, strlen(s));
}

static const char *
name(enum enas_interval iv, const char *date)
{
	static char buf[ENAS_PERIOD_NAME];

	enas_period_name(buf, iv, day(date));
	return buf;
}

static const char *
fmt(long long d)
{
	static char buf[11];

	enas_date_format(buf, d);
	return buf;
}

int
main(void)
{
	static const char *bad[] = {
		"2024-02-30", "2023-02-29", "1900-02-29", "2024-13-01",
		"2024-00-10", "2024-04-31", "1899-12-31", "2024-1-01",
		"2024/01/01", "24-01-01", " 2024-01-1", "2024-01-0x", NULL
	};
	long long b, e, d, first, last;
	enum enas_interval iv;
	int y, m, dd, i, bad_round = 0;

	ok(day("1970-01-01") == 0, "1970-01-01 is day 0");
	ok(day("2024-03-14") == 19796, "2024-03-14 is day 19796");
	ok(day("2000-02-29") > 0, "2000 is a leap year");
	for (i = 0; bad[i]; i++)
		ok(day(bad[i]) == -1, "'%s' is no date", bad[i]);
	is("2024-02-29", fmt(day("2024-02-29")), "format: a leap day");
	is("1900-03-01", fmt(day("1900-02-28") + 1), "1900 had no leap day");
	ok(enas_date_weekday(day("2024-03-14")) == 3,
	    "2024-03-14 was a Thursday");
	ok(enas_date_weekday(day("1969-12-29")) == 0, "before 1970: a Monday");

	/* Every day from 1900 to 2299, to the calendar and back. */
	first = day("1900-01-01");
	last = day("2299-12-31");
	for (d = first; d <= last; d++) {
		enas_date_to_ymd(d, &y, &m, &dd);
		if (enas_date_from_ymd(y, m, dd) != d ||
		    day(fmt(d)) != d)
			bad_round++;
	}
	ok(bad_round == 0 && last - first + 1 == 146097,
	    "400 years of days round-trip (%d wrong)", bad_round);

	is("2024-W01", name(ENAS_WEEK, "2024-01-01"),
	    "2024 starts in its week 1");
	is("2020-W53", name(ENAS_WEEK, "2021-01-03"),
	    "2021-01-03: 2020's week 53");
	is("2025-W01", name(ENAS_WEEK, "2024-12-30"),
	    "2024-12-30: 2025's week 1");
	is("2024-11", name(ENAS_MONTH, "2024-11-29"), "a month");
	is("2024Q4", name(ENAS_QUARTER, "2024-11-29"), "a quarter");
	is("2024", name(ENAS_YEAR, "2024-11-29"), "a year");
	is("2024-11-29", name(ENAS_DAY, "2024-11-29"), "a day");

	ok(enas_period_start(ENAS_WEEK, day("2024-03-14")) == day("2024-03-11"),
	    "a week starts on Monday");
	ok(enas_period_start(ENAS_QUARTER, day("2024-03-14")) ==
	    day("2024-01-01"), "Q1 starts in January");
	ok(enas_period_next(ENAS_QUARTER, day("2024-10-01")) ==
	    day("2025-01-01"), "Q4's next is next year's Q1");
	ok(enas_period_next(ENAS_MONTH, day("2024-12-01")) == day("2025-01-01"),
	    "December's next is January");

	ok(enas_period_parse(&b, &e, &iv, "2024Q4") == 0 &&
	    b == day("2024-10-01") && e == day("2025-01-01") &&
	    iv == ENAS_QUARTER, "parse 2024Q4");
	ok(enas_period_parse(&b, &e, &iv, "2020-W53") == 0 &&
	    b == day("2020-12-28") && e == day("2021-01-04") &&
	    iv == ENAS_WEEK, "parse 2020-W53");
	ok(enas_period_parse(&b, &e, &iv, "2024-W53") == -1,
	    "2024 has no week 53");
	ok(enas_period_parse(&b, &e, &iv, "2024-02") == 0 &&
	    e - b == 29, "February 2024 has 29 days");
	ok(enas_period_parse(&b, &e, &iv, "2024") == 0 && e - b == 366 &&
	    iv == ENAS_YEAR, "2024 has 366 days");
	ok(enas_period_parse(NULL, NULL, NULL, "2024Q5") == -1,
	    "there is no fifth quarter");
	ok(enas_period_parse(NULL, NULL, NULL, "1899") == -1,
	    "no year before 1900");
	return tap_done();
}
