/*
 * 64-bit hash: 8-byte little-endian words folded with a 128-bit multiply
 * (the wyhash/mum mixing idea), then a final avalanche (splitmix64). The
 * streaming form gives the same value as the one-shot form for any split.
 */
#include "hash.h"

#include <string.h>

#define P0 0xa0761d6478bd642fULL
#define P1 0xe7037ed1a0b428dbULL

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t fold(uint64_t h, uint64_t w)
{
	return mix(h ^ w ^ P0, P1) + w;
}

static inline uint64_t avalanche(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

void ac_hash_init(ac_hash_state *s, uint64_t seed)
{
	s->h = seed ^ P1;
	s->total = 0;
	s->ntail = 0;
}

void ac_hash_update(ac_hash_state *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->total += n;
	if (s->ntail) {
		while (n && s->ntail < 8) {
			s->tail[s->ntail++] = *p++;
			n--;
		}
		if (s->ntail < 8)
			return;
		s->h = fold(s->h, load64(s->tail));
		s->ntail = 0;
	}
	uint64_t h = s->h;
	while (n >= 8) {
		h = fold(h, load64(p));
		p += 8;
		n -= 8;
	}
	s->h = h;
	memcpy(s->tail, p, n);
	s->ntail = (unsigned)n;
}

uint64_t ac_hash_final(const ac_hash_state *s)
{
	unsigned char last[8] = { 0 };
	memcpy(last, s->tail, s->ntail);
	uint64_t h = fold(s->h, load64(last) ^ ((uint64_t)s->ntail << 56));
	return avalanche(h ^ s->total);
}

/* The one-shot form of init + update + final, without the streaming
 * state: the same value (tests/unit/test_util.c checks every split). */
uint64_t ac_hash64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ P1;
	size_t left = n;
	for (; left >= 8; left -= 8, p += 8)
		h = fold(h, load64(p));
	unsigned char last[8] = { 0 };
	memcpy(last, p, left);
	h = fold(h, load64(last) ^ ((uint64_t)left << 56));
	return avalanche(h ^ n);
}

void ac_fhash_init(ac_fhash_state *s)
{
	for (int k = 0; k < 4; k++)
		s->lane[k] = P1 ^ ((uint64_t)(k + 1) * P0);
	s->total = 0;
	s->nbuf = 0;
}

static inline void stripe(uint64_t lane[4], const unsigned char *p)
{
	lane[0] = fold(lane[0], load64(p));
	lane[1] = fold(lane[1], load64(p + 8));
	lane[2] = fold(lane[2], load64(p + 16));
	lane[3] = fold(lane[3], load64(p + 24));
}

void ac_fhash_update(ac_fhash_state *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->total += n;
	if (s->nbuf) {
		size_t take = 32 - s->nbuf < n ? 32 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += (unsigned)take;
		p += take;
		n -= take;
		if (s->nbuf < 32)
			return;
		stripe(s->lane, s->buf);
		s->nbuf = 0;
	}
	uint64_t lane[4] = { s->lane[0], s->lane[1], s->lane[2], s->lane[3] };
	for (; n >= 32; n -= 32, p += 32)
		stripe(lane, p);
	memcpy(s->lane, lane, sizeof(lane));
	memcpy(s->buf, p, n);
	s->nbuf = (unsigned)n;
}

uint64_t ac_fhash_final(const ac_fhash_state *s)
{
	uint64_t h = P1;
	for (int k = 0; k < 4; k++)
		h = fold(h, s->lane[k]);
	/* the last partial stripe, 8 bytes at a time, zero-padded, its length
	 * in the top byte of the last word */
	unsigned char last[32] = { 0 };
	memcpy(last, s->buf, s->nbuf);
	size_t words = (s->nbuf + 7) / 8;
	for (size_t w = 0; w + 1 < words; w++)
		h = fold(h, load64(last + 8 * w));
	uint64_t tail = words ? load64(last + 8 * (words - 1)) : 0;
	h = fold(h, tail ^ ((uint64_t)s->nbuf << 56));
	return avalanche(h ^ s->total);
}
