/*
 * Time helpers. All times in agentcost are UTC nanoseconds since the Unix
 * epoch (int64, good until 2262) and days since the epoch (int32).
 */
#ifndef AC_TIMEUTIL_H
#define AC_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define AC_NS_PER_SEC 1000000000LL
#define AC_NS_PER_DAY (86400LL * AC_NS_PER_SEC)

/* Days since 1970-01-01 for a proleptic Gregorian civil date. */
int64_t ac_days_from_civil(int64_t y, unsigned m, unsigned d);
void ac_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/*
 * Parse ISO-8601 / RFC 3339: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" with
 * "Z", "+HH:MM", "-HHMM" or no zone (taken as UTC); ' ' may replace 'T'.
 * Returns 0 and sets *out_ns, or -1 when the text is not such a time.
 */
int ac_time_parse_iso(const char *s, size_t n, int64_t *out_ns);

/* Parse "YYYY-MM-DD" only; -1 if not exactly a valid date. */
int ac_date_parse(const char *s, int64_t *out_day);

/* Day index of a time: floor(ns / day). */
int64_t ac_day_of_ns(int64_t ns);

/* Format "YYYY-MM-DD" (11 bytes with NUL). */
void ac_format_day(int64_t day, char out[11]);

/* Format "YYYY-MM-DDTHH:MM:SS.mmmZ" (25 bytes with NUL). */
void ac_format_iso_ms(int64_t ns, char out[40]);

#endif
