/* Relative-error bins of a double: see rbin.h. */
#include "rbin.h"

#include <string.h>

#define SHIFT (52 - AC_RBIN_BITS)

static uint64_t bits_of(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof(u));
	return u;
}

static double double_of(uint64_t u)
{
	double x;
	memcpy(&x, &u, sizeof(x));
	return x;
}

int64_t ac_rbin_of(double x)
{
	if (!(x > 0))
		return 0;
	/* the smallest subnormals (below 2^-1067) would shift to 0: bin 1 */
	int64_t b = (int64_t)(bits_of(x) >> SHIFT);
	return b ? b : 1;
}

double ac_rbin_lo(int64_t b)
{
	return double_of((uint64_t)b << SHIFT);
}

double ac_rbin_hi(int64_t b)
{
	return double_of((uint64_t)(b + 1) << SHIFT);
}

double ac_rbin_mid(int64_t b)
{
	return double_of(((uint64_t)b << SHIFT) | ((uint64_t)1 << (SHIFT - 1)));
}
