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

/*
 * File content hash: the same folding on four independent lanes over 32-byte
 * stripes, so the multiplies overlap (about four times the speed of
 * ac_hash_update on long inputs), streamed in pieces of any size. A
 * different value from ac_hash64 of the same bytes.
 */
typedef struct ac_fhash_state {
	uint64_t lane[4];
	uint64_t total;
	unsigned char buf[32];
	unsigned nbuf;
} ac_fhash_state;

void ac_fhash_init(ac_fhash_state *s);
void ac_fhash_update(ac_fhash_state *s, const void *p, size_t n);
uint64_t ac_fhash_final(const ac_fhash_state *s);

#endif
