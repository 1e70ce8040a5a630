/*
 * JSON parser benchmark for agentcost ingest: shared declarations.
 *
 * Each p_*.c file walks OTLP JSON with one library and fills `struct span`
 * through the helpers below; bench.c reads the file, times the runs and folds
 * every emitted span into a checksum. The checksum must be the same for every
 * parser: that proves each one extracted (and decoded) the same fields.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* The fields extracted per span (service comes from the resource). */
struct span {
	char trace_id[33], span_id[17], parent_id[17];
	char name[96];
	int64_t start_ns, end_ns, kind, status;
	char service[64], provider[32], model[64], operation[32], tool[64];
	int64_t in_tok, out_tok, cache_tok;
	uint64_t msg_len, msg_hash; /* gen_ai.input.messages, decoded */
};

/* How the driver feeds a parser. */
enum { FEED_LINES, FEED_CHUNKS, FEED_NONE };

struct parser {
	const char *name;
	int feed;
	void *(*init)(void);
	/* FEED_LINES: one whole line (no newline, not NUL-terminated). */
	int (*line)(void *st, const char *p, size_t n);
	/* FEED_CHUNKS: raw bytes as read(); last=1 once at the end (p may be NULL). */
	int (*chunk)(void *st, const char *p, size_t n, int last);
	void (*fini)(void *st);
};

extern const struct parser bench_parser; /* defined by each p_*.c */

/* Attribute keys we extract; -1 for any other key. */
enum { A_SERVICE, A_PROVIDER, A_MODEL, A_OPERATION, A_TOOL, A_IN, A_OUT, A_CACHE, A_MSG };
int attr_id(const char *key, size_t n);
static inline int attr_is_int(int id)
{
	return id == A_IN || id == A_OUT || id == A_CACHE;
}
void attr_str(struct span *sp, int id, const char *s, size_t n);
void attr_int(struct span *sp, int id, int64_t v);

/* Start a span from the resource-level fields in res. */
void span_begin(struct span *sp, const struct span *res);
void span_emit(const struct span *sp);
void set_str(char *dst, size_t cap, const char *s, size_t n);
/* Decimal integer from text (OTLP writes int64/fixed64 as strings). */
int64_t to_i64(const char *s, size_t n);
/* Decode JSON string escapes of s[0..n) into out (n bytes suffice); returns
 * the decoded length. Used by jsmn, the only parser that does not decode. */
size_t json_unescape(const char *s, size_t n, char *out);

#endif
