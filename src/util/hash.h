/*
 * 64-bit non-cryptographic hash used for span identity keys, dictionary
 * caches and file content fingerprints. Deterministic across runs and
 * machines (little-endian loads), so values stored in the database stay valid.
 */
#ifndef AC_HASH_H
#define AC_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Incremental state for hashing a stream in pieces of any size. */
typedef struct ac_hash_state {
	uint64_t h;
	uint64_t total;
	unsigned char tail[8];
	unsigned ntail;
} ac_hash_state;

uint64_t ac_hash64(const void *p, size_t n, uint64_t seed);

void ac_hash_init(ac_hash_state *s, uint64_t seed);
void ac_hash_update(ac_hash_state *s, const void *p, size_t n);
uint64_t ac_hash_final(const ac_hash_state *s);

#endif
