#include "callpack.h"

#include <string.h>

static unsigned char *put_varint(unsigned char *o, int64_t v)
{
	uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); /* zigzag */
	while (z >= 0x80) {
		*o++ = (unsigned char)(z | 0x80);
		z >>= 7;
	}
	*o++ = (unsigned char)z;
	return o;
}

static int get_varint(const unsigned char *p, size_t len, size_t *at, int64_t *v)
{
	uint64_t z = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*at >= len)
			return -1;
		unsigned char b = p[(*at)++];
		z |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
			return 0;
		}
	}
	return -1;
}

const int64_t AC_PROMPT_BOUNDS[AC_PROMPT_NBOUNDS] = { 32000, 128000, 200000, 256000, 272000 };

int ac_prompt_bucket(int64_t prompt)
{
	int b = 0;
	while (b < AC_PROMPT_NBOUNDS && prompt > AC_PROMPT_BOUNDS[b])
		b++;
	return b;
}

int64_t ac_bucket_prompt(int b)
{
	if (b <= 0)
		return 0;
	if (b > AC_PROMPT_NBOUNDS)
		b = AC_PROMPT_NBOUNDS;
	return AC_PROMPT_BOUNDS[b - 1] + 1;
}

size_t ac_callpack_encode(const ac_call_group *g, size_t n, unsigned char *out)
{
	unsigned char *o = out;
	*o++ = AC_CALLPACK_FORMAT;
	for (size_t i = 0; i < n; i++) {
		const int64_t f[14] = { g[i].complexity, g[i].model, g[i].day,  g[i].grp,
			                g[i].calls,      g[i].tin,   g[i].tout, g[i].tcr,
			                g[i].tcw,        g[i].trs,   g[i].tcw1h, g[i].tain,
			                g[i].taout,      g[i].tier };
		for (int k = 0; k < 14; k++)
			o = put_varint(o, f[k]);
		uint64_t bits;
		memcpy(&bits, &g[i].cost, 8);
		for (int k = 0; k < 8; k++)
			*o++ = (unsigned char)(bits >> (8 * k));
	}
	return (size_t)(o - out);
}

int ac_callpack_next(const unsigned char *p, size_t len, size_t *at, ac_call_group *g)
{
	if (*at == 0) {
		if (len == 0 || (p[0] != 1 && p[0] != AC_CALLPACK_FORMAT))
			return -1;
		*at = 1;
	}
	if (*at == len)
		return 0;
	int nf = p[0] == 1 ? 10 : 14;
	int64_t f[14] = { 0 };
	for (int k = 0; k < nf; k++)
		if (get_varint(p, len, at, &f[k]))
			return -1;
	if (len - *at < 8)
		return -1;
	uint64_t bits = 0;
	for (int k = 0; k < 8; k++)
		bits |= (uint64_t)p[*at + (size_t)k] << (8 * k);
	*at += 8;
	g->complexity = f[0];
	g->model = f[1];
	g->day = f[2];
	g->grp = f[3];
	g->calls = f[4];
	g->tin = f[5];
	g->tout = f[6];
	g->tcr = f[7];
	g->tcw = f[8];
	g->trs = f[9];
	g->tcw1h = f[10];
	g->tain = f[11];
	g->taout = f[12];
	g->tier = f[13];
	if (nf == 10 && (g->grp == 0 || g->grp == 1))
		g->grp = g->grp ? ac_prompt_bucket(200001) : 0; /* format 1 */
	memcpy(&g->cost, &bits, 8);
	return 1;
}
