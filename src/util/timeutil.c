/* Time helpers: see timeutil.h. Civil-date arithmetic after H. Hinnant's
 * "chrono-compatible low-level date algorithms". */
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

int64_t ac_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void ac_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t yy = (int64_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static int digits(const char *s, size_t n, size_t at, size_t count, int *out)
{
	int v = 0;
	if (at + count > n)
		return -1;
	for (size_t i = 0; i < count; i++) {
		char c = s[at + i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int ac_time_parse_iso(const char *s, size_t n, int64_t *out_ns)
{
	int y, mo, d, hh = 0, mi = 0, ss = 0;
	int64_t frac_ns = 0, off_s = 0;
	size_t i = 0;
	if (digits(s, n, 0, 4, &y) || n < 10 || s[4] != '-' || digits(s, n, 5, 2, &mo) ||
	    s[7] != '-' || digits(s, n, 8, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	i = 10;
	if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
		i++;
		if (digits(s, n, i, 2, &hh) || i + 2 >= n || s[i + 2] != ':' ||
		    digits(s, n, i + 3, 2, &mi))
			return -1;
		i += 5;
		if (i < n && s[i] == ':') {
			if (digits(s, n, i + 1, 2, &ss))
				return -1;
			i += 3;
			if (i < n && (s[i] == '.' || s[i] == ',')) {
				i++;
				size_t nd = 0;
				int64_t scale = 100000000;
				while (i < n && s[i] >= '0' && s[i] <= '9') {
					if (nd < 9) {
						frac_ns += (s[i] - '0') * scale;
						scale /= 10;
					}
					nd++;
					i++;
				}
				if (nd == 0)
					return -1;
			}
		}
		if (hh > 23 || mi > 59 || ss > 60)
			return -1;
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
			if (digits(s, n, i + 1, 2, &oh))
				return -1;
			i += 3;
			if (i < n && s[i] == ':') {
				/* "+02:" must go on with the minutes */
				if (digits(s, n, i + 1, 2, &om))
					return -1;
				i += 3;
			} else if (i < n) {
				if (digits(s, n, i, 2, &om))
					return -1;
				i += 2;
			}
			if (oh > 23 || om > 59)
				return -1;
			off_s = sign * (oh * 3600 + om * 60);
		}
	}
	if (i != n)
		return -1;
	if (y < 1678 || y > 2261) /* int64 nanoseconds range */
		return -1;
	int64_t days = ac_days_from_civil(y, (unsigned)mo, (unsigned)d);
	int64_t secs = days * 86400 + hh * 3600 + mi * 60 + ss - off_s;
	*out_ns = secs * AC_NS_PER_SEC + frac_ns;
	return 0;
}

int ac_date_parse(const char *s, int64_t *out_day)
{
	size_t n = strlen(s);
	int64_t ns;
	if (n != 10 || ac_time_parse_iso(s, n, &ns))
		return -1;
	*out_day = ac_day_of_ns(ns);
	return 0;
}

int64_t ac_day_of_ns(int64_t ns)
{
	int64_t d = ns / AC_NS_PER_DAY;
	if (ns % AC_NS_PER_DAY < 0)
		d--;
	return d;
}

void ac_format_day(int64_t day, char out[11])
{
	int y;
	unsigned m, d;
	ac_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02u-%02u", y, m, d);
}

void ac_format_iso_ms(int64_t ns, char out[40])
{
	int64_t day = ac_day_of_ns(ns);
	int64_t rem = ns - day * AC_NS_PER_DAY;
	int y;
	unsigned m, d;
	ac_civil_from_days(day, &y, &m, &d);
	int64_t secs = rem / AC_NS_PER_SEC;
	int ms = (int)((rem % AC_NS_PER_SEC) / 1000000);
	snprintf(out, 40, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d, (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60), ms);
}
