/*
 * period.h: calendar periods for statistics (SPEC §7): days, ISO weeks,
 * months, quarters and years, named as 2024-11-29, 2024-W07, 2024-11,
 * 2024Q4 and 2024.  A date is a count of days since 1970-01-01, as
 * enas_date_parse() returns it.
 */
#ifndef ENAS_PERIOD_H
#define ENAS_PERIOD_H

enum enas_interval {
	ENAS_NO_INTERVAL = 0,
	ENAS_DAY,
	ENAS_WEEK,
	ENAS_MONTH,
	ENAS_QUARTER,
	ENAS_YEAR
};

#define ENAS_PERIOD_NAME 16	/* bytes for a period's name, with NUL */

/* The first day of the period of interval iv that contains day. */
long long enas_period_start(enum enas_interval iv, long long day);

/* The first day of the period after the one that starts at start. */
long long enas_period_next(enum enas_interval iv, long long start);

/*
 * The name of the period of interval iv that contains day, into buf
 * (always NUL-terminated).
 */
void enas_period_name(char buf[ENAS_PERIOD_NAME], enum enas_interval iv,
    long long day);

/*
 * Parse a period name of any interval ("2024", "2024Q4", "2024-11",
 * "2024-W07", "2024-11-29"): its first day into *begin, the day after
 * its last into *end, and its interval into *iv (any may be NULL).
 * Returns 0, or -1 when s names no period.
 */
int enas_period_parse(long long *begin, long long *end,
    enum enas_interval *iv, const char *s);

#endif
