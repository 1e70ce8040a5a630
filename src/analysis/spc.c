/* Control band and Western Electric run rules on a cost series: see spc.h. */
#include "spc.h"

#include <math.h>

#include "stats.h"
#include "../util/err.h"

/* x > lim, up to rounding: sums of costs that land on a limit (a day equal to
 * a constant history, say) must not flag on the last bit. */
static int above(double x, double lim)
{
	return x - lim > 1e-12 * fmax(fabs(x), fabs(lim));
}

/* Beyond mean + k sd of the point's own band; never without a band. */
static int beyond(const ac_spc_point *p, double x, double k)
{
	return p->has_band && above(x, p->mean + k * p->sd);
}

static void band(ac_spc_point *p, const double *h, size_t n, double sigma)
{
	size_t same = 1;
	while (same < n && h[same] == h[0])
		same++;
	if (same == n) {
		/* identical history: exactly that value and no spread, so a point
		 * equal to it is not "above" by a rounding error in the mean */
		p->mean = h[0];
		p->sd = 0;
	} else {
		p->mean = ac_mean(h, n);
		p->sd = ac_sd(h, n, p->mean);
	}
	p->ucl = p->mean + sigma * p->sd;
	p->has_band = 1;
}

int ac_spc_run(ac_spc_point *out, const double *x, size_t n, const ac_spc_opts *o)
{
	if (o->min_history < 2 || o->window < o->min_history || !(o->sigma >= 0) ||
	    isinf(o->sigma))
		return AC_EINVAL;
	for (size_t i = 0; i < n; i++) {
		ac_spc_point *p = &out[i];
		size_t h = i < o->window ? i : o->window;
		p->mean = p->sd = p->ucl = NAN;
		p->has_band = 0;
		p->alert = 0;
		p->rules = 0;
		if (h >= o->min_history) {
			band(p, x + i - h, h, o->sigma);
			p->alert = above(x[i], p->ucl);
		}
	}
	/* the run rules look back over points whose bands are all known now */
	for (size_t i = 0; i < n; i++) {
		ac_spc_point *p = &out[i];
		if (i >= 2 && beyond(p, x[i], 2)) {
			int k = 0;
			for (size_t j = i - 2; j <= i; j++)
				k += beyond(&out[j], x[j], 2);
			if (k >= 2)
				p->rules |= AC_SPC_WE2OF3;
		}
		if (i >= 4 && beyond(p, x[i], 1)) {
			int k = 0;
			for (size_t j = i - 4; j <= i; j++)
				k += beyond(&out[j], x[j], 1);
			if (k >= 4)
				p->rules |= AC_SPC_WE4OF5;
		}
		if (i >= 7) {
			int k = 0;
			for (size_t j = i - 7; j <= i; j++)
				k += beyond(&out[j], x[j], 0);
			if (k == 8)
				p->rules |= AC_SPC_WE8ABOVE;
		}
	}
	return 0;
}

const char *ac_spc_rule_name(unsigned rule)
{
	switch (rule) {
	case AC_SPC_WE2OF3: return "we2of3";
	case AC_SPC_WE4OF5: return "we4of5";
	case AC_SPC_WE8ABOVE: return "we8above";
	default: return NULL;
	}
}
