/*
 * A task's LLM calls, grouped for the router's replay and packed into one
 * blob (table task_calls, schema/005_task_keys.sql).
 *
 * A group is the task's calls of one complexity class, model, UTC day and
 * price tier (grp: 0 regular, 1 above 200,000 input tokens a call, else the
 * span id of one call whose token counts the price formula clamps), with the
 * sums of their tokens and of their recorded cost (unpriced counts 0).
 *
 * Format: one byte 1 (the format), then per group ten integers (complexity,
 * model, day, grp, calls, tokens in, out, cache read, cache write, reasoning)
 * as zigzag LEB128 varints, then the cost as an 8-byte little-endian IEEE
 * double. About 25 bytes a group; a row per group took about 40.
 */
#ifndef AC_CALLPACK_H
#define AC_CALLPACK_H

#include <stddef.h>
#include <stdint.h>

typedef struct ac_call_group {
	int64_t complexity, model, day, grp;
	int64_t calls, tin, tout, tcr, tcw, trs;
	double cost;
} ac_call_group;

/* Bytes one group can take at most, and the format byte. */
#define AC_CALLPACK_GROUP_MAX (10 * 10 + 8)
#define AC_CALLPACK_FORMAT 1

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
