/*
 * Relative-error bins of a double (`--approx`, issue #16): the bins both
 * backends compute from a value's IEEE-754 bits, so a ClickHouse server and
 * SQLite (the SQL function ac_rbin, registered by src/store/store.c) put
 * every value in the same bin.
 *
 * A positive double is 2^e (1 + f / 2^52); its bin keeps the sign, the
 * exponent and the top AC_RBIN_BITS bits of f: the bits shifted right by
 * 52 - AC_RBIN_BITS. In ClickHouse (18.16 and current releases):
 *   bitShiftRight(reinterpretAsUInt64(reinterpretAsString(toFloat64(x))), 45)
 * A bin is [m 2^k, (m + 1) 2^k) with 2^B <= m < 2^(B+1) (B = AC_RBIN_BITS),
 * so its width is at most 2^-B of any value in it, and its midpoint is
 * within 2^-(B+1) of every value in it, relative to that value. Bins are in
 * value order: the bits of positive doubles order as the doubles do.
 * Zero, negative values and NaN get bin 0 (kept exactly by the callers).
 * Allocates nothing.
 */
#ifndef AC_RBIN_H
#define AC_RBIN_H

#include <stdint.h>

#define AC_RBIN_BITS 7
/* 2^-(AC_RBIN_BITS + 1): the largest relative distance of a value from its
 * bin's midpoint */
#define AC_RBIN_REL_ERR (1.0 / (double)(2 << AC_RBIN_BITS))

/* x's bin: > 0 for x > 0 (a positive double's bits, shifted), else 0. */
int64_t ac_rbin_of(double x);

/* Bin b's (> 0) lower edge (in it), upper edge (the next bin's lower
 * edge) and midpoint. */
double ac_rbin_lo(int64_t b);
double ac_rbin_hi(int64_t b);
double ac_rbin_mid(int64_t b);

#endif
