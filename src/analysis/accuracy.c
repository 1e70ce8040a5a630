/* Accuracy intervals and ISO weeks: see accuracy.h. */
#include "accuracy.h"

#include <math.h>
#include <string.h>

#include "../util/timeutil.h"

/* ---- normal ------------------------------------------------------------- */

double ac_normal_quantile(double p)
{
	/* P. J. Acklam's rational approximation (relative error < 1.15e-9),
	 * then Halley steps on Phi(x) - p, Phi from erfc, to full precision */
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		                    -2.759285104469687e+02, 1.383577518672690e+02,
		                    -3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		                    -1.556989798598866e+02, 6.680131188771972e+01,
		                    -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		                    -2.400758277161838e+00, -2.549732539343734e+00,
		                    4.374664141464968e+00, 2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		                    2.445134137142996e+00, 3.754408661907416e+00 };
	const double plow = 0.02425;
	if (!(p > 0 && p < 1))
		return NAN;
	double x;
	if (p < plow) {
		double q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p <= 1 - plow) {
		double q = p - 0.5, r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	} else {
		double q = sqrt(-2 * log1p(-p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	for (int i = 0; i < 2; i++) {
		double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
		double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
		x = x - u / (1 + x * u / 2);
	}
	return x;
}

/* ---- Student t ---------------------------------------------------------- */

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double betacf(double a, double b, double x)
{
	const double tiny = 1e-300, eps = 1e-16;
	double qab = a + b, qap = a + 1, qam = a - 1;
	double c = 1, d = 1 - qab * x / qap;
	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 100000; m++) {
		double m2 = 2.0 * m;
		double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1) < eps)
			break;
	}
	return h;
}

/* Regularized incomplete beta I_x(a, b). */
static double ibeta(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	double bt = exp(lbt);
	if (x < (a + 1) / (a + b + 2))
		return bt * betacf(a, b, x) / a;
	return 1 - bt * betacf(b, a, 1 - x) / b;
}

/* Upper tail P(T > t) for t >= 0: I_{df/(df+t^2)}(df/2, 1/2) / 2. */
static double t_upper(double t, double df)
{
	return 0.5 * ibeta(df / 2, 0.5, df / (df + t * t));
}

double ac_t_cdf(double t, double df)
{
	if (!(df > 0) || isnan(t))
		return NAN;
	return t >= 0 ? 1 - t_upper(t, df) : t_upper(-t, df);
}

double ac_t_quantile(double p, double df)
{
	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	if (p == 0.5)
		return 0;
	if (p < 0.5)
		return -ac_t_quantile(1 - p, df);
	/* solve P(T > t) = 1 - p: the tail is decreasing in t; bracket by
	 * doubling, then bisect (the tail is computed directly, so no
	 * cancellation near p = 1) */
	double q = 1 - p, lo = 0, hi = 1;
	while (t_upper(hi, df) > q && hi < 1e300)
		hi *= 2;
	for (int i = 0; i < 2000 && hi - lo > 1e-15 * hi; i++) {
		double mid = lo + (hi - lo) / 2;
		if (mid <= lo || mid >= hi)
			break;
		if (t_upper(mid, df) > q)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

/* ---- intervals ---------------------------------------------------------- */

void ac_wilson(double *out_lo, double *out_hi, double k, double n, double conf)
{
	*out_lo = *out_hi = NAN;
	if (!(n >= 1) || !(k >= 0) || k > n || !(conf > 0 && conf < 1))
		return;
	double z = ac_normal_quantile(1 - (1 - conf) / 2), z2 = z * z;
	double p = k / n, denom = 1 + z2 / n;
	double centre = (p + z2 / (2 * n)) / denom;
	double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
	double lo = centre - half, hi = centre + half;
	/* exact at the ends: k = 0 gives lo = 0, k = n gives hi = 1 */
	*out_lo = k == 0 || lo < 0 ? 0 : lo;
	*out_hi = k == n || hi > 1 ? 1 : hi;
}

void ac_t_interval(double *out_mean, double *out_lo, double *out_hi, const double *x, size_t n,
                   double conf)
{
	*out_mean = *out_lo = *out_hi = NAN;
	if (n == 0)
		return;
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	double mean = s / (double)n;
	*out_mean = mean;
	if (n < 2 || !(conf > 0 && conf < 1))
		return;
	double ss = 0; /* two passes: no cancellation */
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	double sd = sqrt(ss / (double)(n - 1));
	double t = ac_t_quantile(1 - (1 - conf) / 2, (double)(n - 1));
	double half = t * sd / sqrt((double)n);
	*out_lo = mean - half;
	*out_hi = mean + half;
}

void ac_accuracy_of(ac_accuracy *out, const double *scores, size_t n, double conf)
{
	out->n = n;
	out->mean = out->lo = out->hi = NAN;
	out->binary = 0;
	if (n == 0)
		return;
	int binary = 1;
	double k = 0;
	for (size_t i = 0; i < n; i++) {
		if (scores[i] == 1)
			k++;
		else if (scores[i] != 0)
			binary = 0;
	}
	out->binary = binary;
	if (binary) {
		out->mean = k / (double)n;
		ac_wilson(&out->lo, &out->hi, k, (double)n, conf);
		return;
	}
	ac_t_interval(&out->mean, &out->lo, &out->hi, scores, n, conf);
	if (out->lo < 0)
		out->lo = 0;
	if (out->hi > 1)
		out->hi = 1;
}

void ac_accuracy_of_sums(ac_accuracy *out, const ac_score_sums *s, double conf)
{
	out->n = s->n > 0 ? (size_t)s->n : 0;
	out->mean = out->lo = out->hi = NAN;
	out->binary = 0;
	if (s->n <= 0)
		return;
	double n = (double)s->n;
	if (!s->partial) {
		double k = round(s->sum); /* a sum of ones: a count */
		out->binary = 1;
		out->mean = k / n;
		ac_wilson(&out->lo, &out->hi, k, n, conf);
		return;
	}
	double mean = s->sum / n;
	out->mean = mean;
	if (s->n < 2 || !(conf > 0 && conf < 1))
		return;
	double ss = s->sq - n * mean * mean;
	if (ss < 0)
		ss = 0;
	double sd = sqrt(ss / (n - 1));
	double half = ac_t_quantile(1 - (1 - conf) / 2, n - 1) * sd / sqrt(n);
	out->lo = mean - half < 0 ? 0 : mean - half;
	out->hi = mean + half > 1 ? 1 : mean + half;
}

/* ---- ISO weeks ---------------------------------------------------------- */

/* Day index of the Monday of ISO week 1 of year y. */
static int64_t week1_monday(int64_t y)
{
	int64_t jan4 = ac_days_from_civil(y, 1, 4);
	/* 1970-01-01 (day 0) was a Thursday: Monday-based weekday 3 */
	int64_t wd = ((jan4 + 3) % 7 + 7) % 7;
	return jan4 - wd;
}

int ac_iso_week_parse(const char *s, int64_t *out_start_ns, int64_t *out_end_ns)
{
	if (!s || strlen(s) != 8 || s[4] != '-' || s[5] != 'W')
		return -1;
	for (int i = 0; i < 8; i++)
		if (i != 4 && i != 5 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int64_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int w = (s[6] - '0') * 10 + (s[7] - '0');
	int64_t first = week1_monday(y);
	int64_t weeks = (week1_monday(y + 1) - first) / 7; /* 52 or 53 */
	if (w < 1 || w > weeks)
		return -1;
	int64_t monday = first + 7 * (int64_t)(w - 1);
	*out_start_ns = monday * AC_NS_PER_DAY;
	*out_end_ns = (monday + 7) * AC_NS_PER_DAY;
	return 0;
}
