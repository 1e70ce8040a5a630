/*
 * JSON access for ingest: a tokenizer with no tree that fills a flat array of
 * jsmn's tokens (jsmntok_t, the layout chosen by measurement: see
 * bench/json_parsers and the README's design notes; since then parsed by a
 * single pass of our own, bench/json_parse.c), plus the helpers to walk the
 * array, decode strings and read numbers strictly.
 *
 * A parsed document is a pre-order array of tokens; an object's `size` is its
 * number of keys and each key token has size 1 (its value). Walking never
 * recurses: ac_json_skip() steps over a subtree with a counter, so input
 * nesting depth cannot overflow the C stack.
 */
#ifndef AC_JSON_H
#define AC_JSON_H

#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#define JSMN_STRICT
#include <jsmn.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../util/err.h"

/* Deepest nesting accepted (OTLP needs about 10; nested AnyValues a few more). */
#define AC_JSON_MAX_DEPTH 128

/* Most tokens one record may have (each is 20 bytes, and 4 of next[]):
 * bounds memory. The default scales with the record size limit: one value per
 * 16 bytes of it (256 MiB records: 16,777,216 values, 384 MiB of tokens at most; a span of
 * OTLP JSON takes about 8 bytes a value), never fewer than 4,194,304. */
#define AC_JSON_MAX_TOKENS (4u << 20)
#define AC_JSON_BYTES_PER_VALUE 16
size_t ac_json_values_limit(size_t max_record);

typedef struct ac_json {
	const char *js;
	size_t len;
	jsmntok_t *tok;
	unsigned ntok;
	unsigned cap;
	void *arena; /* decoded strings live here until the next parse */
	size_t max_tok; /* most tokens a record may have; 0 = AC_JSON_MAX_TOKENS */
	/* next[i]: the token after container i's subtree, so ac_json_skip() is
	 * one step (a walk over OTLP's ten levels stepped over every token once
	 * per enclosing container). Valid when has_next; next_cap entries. */
	unsigned *next;
	unsigned next_cap;
	int has_next;
} ac_json;

#define AC_JSON_INIT { NULL, 0, NULL, 0, 0, NULL, 0, NULL, 0, 0 }

void ac_json_release(ac_json *j);

/*
 * Tokenize one JSON text holding exactly one value (surrounding whitespace
 * allowed). Also checks UTF-8 validity. On failure returns AC_EPARSE or
 * AC_ELIMIT with err->col (1-based byte column within the text) and a reason.
 */
int ac_json_parse(ac_json *j, const char *js, size_t len, ac_err *err);

/* Index of the token after the subtree rooted at i (a key: the key and its
 * value). */
static inline int ac_json_skip(const ac_json *j, int i)
{
	if (j->has_next) {
		if (j->tok[i].type == JSMN_STRING && j->tok[i].size == 1)
			i++; /* a key: its value follows */
		int t = j->tok[i].type;
		return t == JSMN_OBJECT || t == JSMN_ARRAY ? (int)j->next[i] : i + 1;
	}
	int left = 1;
	while (left > 0) {
		left += j->tok[i].size;
		left--;
		i++;
	}
	return i;
}

static inline int ac_json_type(const ac_json *j, int i)
{
	return j->tok[i].type;
}

/* Raw bytes of token i (strings without their quotes). */
static inline const char *ac_json_raw(const ac_json *j, int i, size_t *n)
{
	*n = (size_t)(j->tok[i].end - j->tok[i].start);
	return j->js + j->tok[i].start;
}

/* 1 when token i is a string equal to s, byte for byte (no unescaping: keys
 * we look for never need it). Inline, so strlen of a literal folds away: the
 * walkers compare every key against a handful of names. */
static inline int ac_json_eq(const ac_json *j, int i, const char *s)
{
	const jsmntok_t *t = &j->tok[i];
	if (t->type != JSMN_STRING)
		return 0;
	size_t n = (size_t)(t->end - t->start);
	const char *p = j->js + t->start;
	for (size_t k = 0; k < n; k++)
		if (!s[k] || s[k] != p[k])
			return 0;
	return s[n] == '\0';
}

/* 1 when token i is a string equal to a or b. */
static inline int ac_json_eq2(const ac_json *j, int i, const char *a, const char *b)
{
	return ac_json_eq(j, i, a) || ac_json_eq(j, i, b);
}

/*
 * Decoded string value of token i (escapes resolved, \u surrogate pairs to
 * UTF-8). *s is NUL-terminated; it points into the input when no escape
 * occurs (then it is NOT NUL-terminated: use *n) -- so always use *n.
 * Returns 0, or AC_EPARSE for a non-string token or a bad escape.
 */
int ac_json_str(ac_json *j, int i, const char **s, size_t *n);

/* Decoded string copied into out (truncated to cap-1, NUL-terminated). */
int ac_json_strcpy(ac_json *j, int i, char *out, size_t cap);

/*
 * Integer from a number token or a string holding a decimal integer (OTLP's
 * int64-as-string). Fractions, exponents producing fractions, and values
 * outside int64 fail with AC_EINVAL; "1e3" and "97.0" are accepted as 1000
 * and 97 (integral values written as doubles).
 */
int ac_json_i64(const ac_json *j, int i, int64_t *out);

/* Unsigned 64-bit from a number token or decimal string (fixed64 times). */
int ac_json_u64(const ac_json *j, int i, uint64_t *out);

/* Double from a number token or a string ("1.5", "NaN", "Infinity"). */
int ac_json_f64(const ac_json *j, int i, double *out);

/* Offset of byte position `pos` in the text as 1-based line/column, given the
 * text's first line number. */
void ac_json_position(const char *js, size_t pos, long long first_line, long long *line,
                      long long *col);

#endif
