/*
 * A task's LLM calls, grouped for the router's replay and packed into one
 * blob (table task_calls, schema/005_task_keys.sql).
 *
 * A group is the task's calls of one complexity class, model, UTC day and
 * price tier, with the sums of their tokens and of their recorded cost
 * (unpriced counts 0). grp is the price tier: below 2^24 (AC_GRP_SINGLE) it
 * is service tier * 16 + prompt bucket (every call's whole prompt, input
 * tokens with the cache, exceeds exactly `bucket` of AC_PROMPT_BOUNDS: a
 * context tier at one of those thresholds prices the group's calls alike);
 * from 2^24 on it is the span id of one call priced alone (one whose token
 * counts the price formula clamps, or whose prompt a threshold outside
 * AC_PROMPT_BOUNDS might split from others: the replay then uses its own
 * prompt). tier is the service tier (AC_TIER_*) of every call of the group.
 *
 * Format 2: one byte 2, then per group fourteen integers (complexity, model,
 * day, grp, calls, tokens in, out, cache read, cache write, reasoning,
 * 1-hour cache write, audio in, audio out, tier) as zigzag LEB128 varints,
 * then the cost as an 8-byte little-endian IEEE double. Format 1 (written
 * before schema 8) has the first ten integers, and grp 0 (calls of at most
 * 200,000 input tokens) or 1 (more); it is read as bucket 0 or the bucket
 * above 200,000, standard tier.
 */
#ifndef AC_CALLPACK_H
#define AC_CALLPACK_H

#include <stddef.h>
#include <stdint.h>

typedef struct ac_call_group {
	int64_t complexity, model, day, grp;
	int64_t calls, tin, tout, tcr, tcw, trs;
	double cost;
	int64_t tcw1h, tain, taout, tier; /* format 2 */
} ac_call_group;

/* Bytes one group can take at most, and the format byte. */
#define AC_CALLPACK_GROUP_MAX (14 * 10 + 8)
#define AC_CALLPACK_FORMAT 2

/* grp values from AC_GRP_SINGLE on are span ids (one call). */
#define AC_GRP_SINGLE ((int64_t)1 << 24)
/* Prompt sizes the groups never straddle: the context-tier thresholds of
 * LiteLLM's table (its *_above_<N>k_tokens keys and tiered_pricing ranges). */
#define AC_PROMPT_NBOUNDS 5
extern const int64_t AC_PROMPT_BOUNDS[AC_PROMPT_NBOUNDS];

/* The bucket of a prompt of `prompt` tokens: how many bounds it exceeds. */
int ac_prompt_bucket(int64_t prompt);
/* A prompt size that stands for every prompt of bucket b (its least). */
int64_t ac_bucket_prompt(int b);

/* Pack n groups into out (room for 1 + n * AC_CALLPACK_GROUP_MAX bytes);
 * returns the bytes written. */
size_t ac_callpack_encode(const ac_call_group *g, size_t n, unsigned char *out);

/*
 * Read the next group of the blob p[*at .. len) into g, advancing *at.
 * Start with *at = 0 (the format byte is read then). Returns 1 when a group
 * was read, 0 at the end, -1 when the blob is damaged or of another format.
 */
int ac_callpack_next(const unsigned char *p, size_t len, size_t *at, ac_call_group *g);

#endif
