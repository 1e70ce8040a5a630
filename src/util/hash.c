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

uint64_t ac_hash64(const void *p, size_t n, uint64_t seed)
{
	ac_hash_state s;
	ac_hash_init(&s, seed);
	ac_hash_update(&s, p, n);
	return ac_hash_final(&s);
}
