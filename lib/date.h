/*
 * date.h: calendar dates as the records hold them, YYYY-MM-DD in the
 * proleptic Gregorian calendar, counted as days since 1970-01-01 (so
 * that dates compare and subtract as numbers).  The one home of the
 * calendar arithmetic: the rules' bounds, the periods of statistics and
 * the dates of new records all go through it.
 */
#ifndef ENAS_DATE_H
#define ENAS_DATE_H

#include <stddef.h>

/*
 * Days since 1970 of the date s (len bytes, not NUL-terminated) written
 * exactly YYYY-MM-DD, a year from 1900 and a day that exists in the
 * calendar; -1 otherwise.
 */
long long enas_date_parse(const char *s, size_t len);

/* Write days since 1970 as YYYY-MM-DD into buf[11]. */
void enas_date_format(char buf[11], long long days);

/* Today's date in days since 1970, in local time. */
long long enas_date_today(void);

/* Days since 1970 of year y, month m (1-12), day d (1-31): a valid date. */
long long enas_date_from_ymd(long long y, int m, int d);

/* The year, month (1-12) and day of days since 1970. */
void enas_date_to_ymd(long long days, int *y, int *m, int *d);

/* The day of the week: 0 for Monday to 6 for Sunday. */
int enas_date_weekday(long long days);

#endif
