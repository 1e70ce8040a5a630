/*
 * The reference for tests/unit/test_json_diff.c, tests/fuzz/fuzz_json_diff.c
 * and bench/json_parse.c: ac_json_parse as it was before the single-pass
 * tokenizer (commit 7adbfeb), moved here unchanged but for the names --
 * prescan (UTF-8, NUL, depth), jsmn (strict, parent links), then validate
 * (the grammar jsmn does not check). Never compiled into the product: the
 * tests #include this file.
 *
 * ac_json_parse_ref() must give the same rc, error and tokens as
 * ac_json_parse() for every input; it does not reset the string arena (the
 * tests never decode strings with it).
 */
#ifndef AC_JSON_REF_C
#define AC_JSON_REF_C

#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#define JSMN_STRICT
#include <jsmn.h>

#include "ingest/json.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One pass over the record before jsmn sees it: UTF-8 validity, NUL bytes,
 * and the nesting depth outside strings (jsmn climbs the parent chain at
 * every closing bracket, so depth must be bounded before it runs). Returns
 * 0, or the problem (1 bad UTF-8, 2 NUL, 3 too deep) with *at its offset.
 */
static int ref_prescan(const unsigned char *s, size_t len, size_t *at)
{
	size_t i = 0;
	int in_str = 0, depth = 0;
	while (i < len) {
		if (in_str) {
			/* inside a string: skip plain bytes (no quote, backslash, NUL
			 * or high bit), 16 at a time to the first other one */
#ifdef __SSE2__
			const __m128i vq = _mm_set1_epi8('"'), vb = _mm_set1_epi8('\\');
			const __m128i vz = _mm_setzero_si128();
			while (i + 16 <= len) {
				__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
				__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vb)),
				                         _mm_or_si128(_mm_cmpeq_epi8(v, vz), v));
				unsigned mask = (unsigned)_mm_movemask_epi8(m);
				if (mask) {
					i += (size_t)__builtin_ctz(mask);
					break;
				}
				i += 16;
			}
#endif
			/* ... and 8 at a time */
			while (i + 8 <= len) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				uint64_t q = w ^ 0x2222222222222222ULL, b = w ^ 0x5c5c5c5c5c5c5c5cULL;
				uint64_t zq = (q - 0x0101010101010101ULL) & ~q;
				uint64_t zb = (b - 0x0101010101010101ULL) & ~b;
				uint64_t zn = (w - 0x0101010101010101ULL) & ~w;
				if ((zq | zb | zn | w) & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			if (i >= len)
				break;
		}
		unsigned c = s[i];
		if (c < 0x80) {
			if (c == 0) {
				*at = i;
				return 2;
			}
			if (in_str) {
				if (c == '\\')
					i++; /* the escaped byte is never a quote that ends the string */
				else if (c == '"')
					in_str = 0;
			} else if (c == '"') {
				in_str = 1;
			} else if (c == '{' || c == '[') {
				if (++depth > AC_JSON_MAX_DEPTH) {
					*at = i;
					return 3;
				}
			} else if (c == '}' || c == ']') {
				depth--;
			}
			i++;
			continue;
		}
		size_t need;
		unsigned min;
		if ((c & 0xE0) == 0xC0) {
			need = 1;
			min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2;
			min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3;
			min = 0x10000;
		} else {
			*at = i;
			return 1;
		}
		if (i + need >= len) {
			*at = i;
			return 1;
		}
		unsigned cp = c & (0x3F >> need);
		for (size_t k = 1; k <= need; k++) {
			unsigned cc = s[i + k];
			if ((cc & 0xC0) != 0x80) {
				*at = i;
				return 1;
			}
			cp = (cp << 6) | (cc & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			*at = i;
			return 1;
		}
		i += need + 1;
	}
	return 0;
}

static int ref_perr(ac_err *err, int code, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int ref_perr(ac_err *err, int code, size_t pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err->code = code;
	err->col = (long long)pos + 1;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static int ref_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A JSON number or literal, exactly (jsmn only checks the first byte). */
static int ref_valid_primitive(const char *p, size_t n)
{
	if ((n == 4 && !memcmp(p, "true", 4)) || (n == 5 && !memcmp(p, "false", 5)) ||
	    (n == 4 && !memcmp(p, "null", 4)))
		return 1;
	size_t i = 0;
	if (i < n && p[i] == '-')
		i++;
	if (i >= n)
		return 0;
	if (p[i] == '0') {
		i++;
	} else if (p[i] >= '1' && p[i] <= '9') {
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	} else {
		return 0;
	}
	if (i < n && p[i] == '.') {
		i++;
		size_t d = i;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		size_t d = i;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	return i == n;
}

/* Byte range of token t in the text: strings with their quotes. */
static void ref_tok_span(const jsmntok_t *t, size_t *s, size_t *e)
{
	if (t->type == JSMN_STRING) {
		*s = (size_t)t->start - 1;
		*e = (size_t)t->end + 1;
	} else {
		*s = (size_t)t->start;
		*e = (size_t)t->end;
	}
}

/* Check that [from, to) holds only whitespace, or whitespace around exactly
 * one `sep` (sep 0: whitespace only). Returns the offending position or -1. */
static long ref_gap_bad(const char *js, size_t from, size_t to, char sep)
{
	size_t i = from;
	while (i < to && ref_is_ws(js[i]))
		i++;
	if (sep) {
		if (i >= to || js[i] != sep)
			return (long)i;
		i++;
		while (i < to && ref_is_ws(js[i]))
			i++;
	}
	return i < to ? (long)i : -1;
}

typedef struct ref_frame {
	int idx;   /* container token */
	int total; /* children: keys + values for objects */
	int seen;
} ref_frame;

/*
 * jsmn accepts some text that is not JSON ("[1 2]", "[1,]", "{"a":tru}",
 * "01") and does not check what stands between tokens. One pass over the
 * tokens checks the separators, that object keys are strings, and every
 * primitive's grammar. Depth is bounded by AC_JSON_MAX_DEPTH already.
 */
static int ref_validate(ac_json *j, ac_err *err)
{
	ref_frame st[AC_JSON_MAX_DEPTH + 2];
	int top = -1;
	size_t pos = 0;
	const char *js = j->js;
	for (unsigned i = 0; i < j->ntok; i++) {
		const jsmntok_t *t = &j->tok[i];
		size_t s, e;
		ref_tok_span(t, &s, &e);
		char sep = 0;
		if (top < 0) {
			if (i > 0)
				return ref_perr(err, AC_EPARSE, s, "extra data after the JSON value");
		} else {
			ref_frame *f = &st[top];
			int in_obj = j->tok[f->idx].type == JSMN_OBJECT;
			if (f->seen > 0)
				sep = in_obj && (f->seen % 2) ? ':' : ',';
			if (in_obj && f->seen % 2 == 0 && t->type != JSMN_STRING)
				return ref_perr(err, AC_EPARSE, s, "object key is not a string");
			f->seen++;
		}
		long bad = ref_gap_bad(js, pos, s, sep);
		if (bad >= 0)
			return ref_perr(err, AC_EPARSE, (size_t)bad, sep ? "expected '%c'" : "unexpected '%c'",
			            sep ? sep : js[bad]);
		if (t->type == JSMN_PRIMITIVE && !ref_valid_primitive(js + s, e - s))
			return ref_perr(err, AC_EPARSE, s, "invalid JSON value '%.*s'",
			            (int)(e - s > 20 ? 20 : e - s), js + s);
		if (t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) {
			if (top + 1 > AC_JSON_MAX_DEPTH)
				return ref_perr(err, AC_ELIMIT, s, "nesting deeper than %d levels (a fixed limit: no trace nests so deep)",
				            AC_JSON_MAX_DEPTH);
			st[++top] = (ref_frame){ (int)i, t->type == JSMN_OBJECT ? 2 * t->size : t->size, 0 };
			pos = s + 1;
		} else {
			pos = e;
		}
		while (top >= 0 && st[top].seen == st[top].total) {
			const jsmntok_t *c = &j->tok[st[top].idx];
			size_t close = (size_t)c->end - 1;
			bad = ref_gap_bad(js, pos, close, 0);
			if (bad >= 0)
				return ref_perr(err, AC_EPARSE, (size_t)bad, "unexpected '%c'", js[bad]);
			pos = (size_t)c->end;
			top--;
		}
	}
	long bad = ref_gap_bad(js, pos, j->len, 0);
	if (bad >= 0)
		return ref_perr(err, AC_EPARSE, (size_t)bad, "extra data after the JSON value");
	return 0;
}

static int ac_json_parse_ref(ac_json *j, const char *js, size_t len, ac_err *err)
{
	jsmn_parser p;
	int r;

	j->js = js;
	j->len = len;
	j->ntok = 0;
	j->has_next = 0; /* added since: ac_json_skip() counts over these tokens */

	size_t at = 0;
	switch (ref_prescan((const unsigned char *)js, len, &at)) {
	case 1:
		return ref_perr(err, AC_EPARSE, at, "invalid UTF-8 (byte 0x%02x)", (unsigned char)js[at]);
	case 2:
		return ref_perr(err, AC_EPARSE, at, "NUL byte in the record");
	case 3:
		return ref_perr(err, AC_ELIMIT, at, "nesting deeper than %d levels (a fixed limit: no trace nests so deep)",
		            AC_JSON_MAX_DEPTH);
	}

	size_t first = 0;
	while (first < len && ref_is_ws(js[first]))
		first++;
	if (first == len)
		return ref_perr(err, AC_EPARSE, 0, "no JSON value");

	if (!j->tok) {
		j->cap = 1024;
		j->tok = malloc(j->cap * sizeof(jsmntok_t));
		if (!j->tok)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	if (js[first] != '{' && js[first] != '[' && js[first] != '"') {
		/* a bare number or literal: jsmn wants a delimiter after it */
		size_t e = len;
		while (e > first && ref_is_ws(js[e - 1]))
			e--;
		if (!ref_valid_primitive(js + first, e - first))
			return ref_perr(err, AC_EPARSE, first, "invalid JSON value");
		j->tok[0] = (jsmntok_t){ .type = JSMN_PRIMITIVE, .start = (int)first, .end = (int)e,
			                 .size = 0, .parent = -1 };
		j->ntok = 1;
		return 0;
	}
	if (len > (size_t)INT32_MAX)
		return ref_perr(err, AC_ELIMIT, 0, "record longer than 2 GiB (a fixed limit of the JSON tokenizer)");

	jsmn_init(&p);
	for (;;) {
		r = jsmn_parse(&p, js, len, j->tok, j->cap);
		if (r != JSMN_ERROR_NOMEM)
			break;
		size_t max = j->max_tok ? j->max_tok : AC_JSON_MAX_TOKENS;
		if (max > UINT_MAX / 2)
			max = UINT_MAX / 2;
		if (j->cap >= max)
			return ref_perr(err, AC_ELIMIT, p.pos, "record has more than %zu JSON values (limit; "
			            "raise it with --max-json-values)", max);
		unsigned ncap = j->cap * 2 > max ? (unsigned)max : j->cap * 2;
		jsmntok_t *nt = realloc(j->tok, ncap * sizeof(jsmntok_t));
		if (!nt)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		j->tok = nt;
		j->cap = ncap;
	}
	if (r == JSMN_ERROR_PART) {
		/* a complete first value followed by more text is "extra data" */
		if (p.toknext > 0 && j->tok[0].end != -1) {
			size_t e = (size_t)j->tok[0].end + (j->tok[0].type == JSMN_STRING);
			while (e < len && ref_is_ws(js[e]))
				e++;
			return ref_perr(err, AC_EPARSE, e, "extra data after the JSON value");
		}
		return ref_perr(err, AC_EPARSE, len, "truncated JSON: unexpected end of record");
	}
	if (r < 0) {
		unsigned char c = p.pos < len ? (unsigned char)js[p.pos] : 0;
		if (c >= 0x20 && c < 0x7f)
			return ref_perr(err, AC_EPARSE, p.pos, "invalid JSON at '%c'", c);
		return ref_perr(err, AC_EPARSE, p.pos, "invalid JSON (byte 0x%02x)", c);
	}
	if (r == 0)
		return ref_perr(err, AC_EPARSE, 0, "no JSON value");
	j->ntok = (unsigned)r;
	return ref_validate(j, err);
}

#endif
