/*
 * The comparison shared by tests/unit/test_json_diff.c and
 * tests/fuzz/fuzz_json_diff.c: one input through ac_json_parse and
 * ac_json_parse_ref (json_ref.c, included first), every observable result
 * compared, plus the seeded mutator and the hand-made edge cases.
 */
#ifndef AC_JSON_DIFF_H
#define AC_JSON_DIFF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/json.h"

/* not every includer uses every helper */
#define JD_FN static __attribute__((unused))

typedef struct jd_state {
	ac_json a, b;   /* new, reference: default limit, reused across inputs */
	ac_json la, lb; /* new, reference: max_tok changed between inputs */
	uint64_t rng;
	long compared, errors, limited, limit_hits;
	char why[4096 + 1400];
} jd_state;

JD_FN void jd_release(jd_state *s)
{
	ac_json_release(&s->a);
	ac_json_release(&s->b);
	ac_json_release(&s->la);
	ac_json_release(&s->lb);
}

JD_FN uint64_t jd_rand(jd_state *s)
{
	/* splitmix64 */
	uint64_t z = (s->rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

JD_FN void jd_init(jd_state *s, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->a = s->b = s->la = s->lb = (ac_json)AC_JSON_INIT;
	s->rng = seed;
	s->rng = jd_rand(s); /* mixed: nearby seeds give unrelated sequences */
}

/* The input, escaped and cut, for a failure message. */
JD_FN void jd_show(char *out, size_t cap, const char *p, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
	}
	out[o] = '\0';
}

/* 0 when both parsers agree on p; else 1 with s->why set. */
JD_FN int jd_compare_pair(jd_state *s, ac_json *a, ac_json *b, const char *p, size_t n)
{
	ac_err ea = AC_ERR_INIT, eb = AC_ERR_INIT;
	int ra = ac_json_parse(a, p, n, &ea);
	int rb = ac_json_parse_ref(b, p, n, &eb);
	char what[1400] = "";
	s->compared++;
	if (rb)
		s->errors++;
	if (rb == AC_ELIMIT && strstr(eb.msg, "JSON values"))
		s->limit_hits++;
	if (ra != rb)
		snprintf(what, sizeof(what), "rc %d, reference %d (%s)", ra, rb, rb ? eb.msg : ea.msg);
	else if (ea.code != eb.code || ea.col != eb.col || strcmp(ea.msg, eb.msg))
		snprintf(what, sizeof(what), "error %d col %lld '%s', reference %d col %lld '%s'", ea.code,
		         ea.col, ea.msg, eb.code, eb.col, eb.msg);
	else if (a->ntok != b->ntok)
		snprintf(what, sizeof(what), "ntok %u, reference %u", a->ntok, b->ntok);
	else
		for (unsigned i = 0; i < a->ntok; i++) {
			const jsmntok_t *x = &a->tok[i], *y = &b->tok[i];
			if (x->type != y->type || x->start != y->start || x->end != y->end ||
			    x->size != y->size || x->parent != y->parent) {
				snprintf(what, sizeof(what),
				         "token %u: type %d [%d,%d) size %d parent %d, reference type %d [%d,%d) "
				         "size %d parent %d", i, x->type, x->start, x->end, x->size, x->parent,
				         y->type, y->start, y->end, y->size, y->parent);
				break;
			}
		}
	if (!what[0])
		return 0;
	int o = snprintf(s->why, sizeof(s->why), "max_tok %zu: %s; input (%zu bytes): ", a->max_tok, what, n);
	jd_show(s->why + o, sizeof(s->why) - (size_t)o, p, n > 600 ? 600 : n);
	return 1;
}

JD_FN int jd_compare(jd_state *s, const char *p, size_t n)
{
	return jd_compare_pair(s, &s->a, &s->b, p, n);
}

/* One input in three with a small max_tok (0 to 4096), changed between
 * inputs on the same pair, so that the token array's size carries over. */
JD_FN int jd_compare_any_limit(jd_state *s, const char *p, size_t n)
{
	if (jd_rand(s) % 3)
		return jd_compare(s, p, n);
	size_t mt = (size_t)(jd_rand(s) % 4097);
	s->la.max_tok = s->lb.max_tok = mt;
	s->limited++;
	return jd_compare_pair(s, &s->la, &s->lb, p, n);
}

/* A copy of src with one to three random edits into *buf (grown). */
JD_FN size_t jd_mutate(jd_state *s, const char *src, size_t n, char **buf, size_t *cap)
{
	static const char special[] = "{}[]\":,\\\0\x80\xC0\xFF \n-.eEu0123456789tfn\x7f\x01\xE2\xF0";
	size_t need = 2 * n + 64;
	if (*cap < need) {
		*buf = realloc(*buf, need);
		*cap = need;
		if (!*buf)
			abort();
	}
	char *m = *buf;
	memcpy(m, src, n);
	int edits = 1 + (int)(jd_rand(s) % 3);
	for (int e = 0; e < edits; e++) {
		size_t at = n ? (size_t)(jd_rand(s) % (n + 1)) : 0;
		unsigned op = (unsigned)(jd_rand(s) % 6);
		if (op == 0 && at < n) { /* flip bits or set any byte */
			m[at] = jd_rand(s) % 2 ? (char)(m[at] ^ (1u << (jd_rand(s) % 8))) : (char)jd_rand(s);
		} else if (op == 1 && at < n) { /* delete 1..8 bytes */
			size_t k = 1 + (size_t)(jd_rand(s) % 8);
			if (k > n - at)
				k = n - at;
			memmove(m + at, m + at + k, n - at - k);
			n -= k;
		} else if (op == 2 && n + 1 < *cap) { /* insert a significant or invalid byte */
			memmove(m + at + 1, m + at, n - at);
			m[at] = special[jd_rand(s) % (sizeof(special) - 1)];
			n++;
		} else if (op == 3) { /* truncate */
			n = at;
		} else if (op == 4 && at < n) { /* duplicate a slice */
			size_t k = 1 + (size_t)(jd_rand(s) % 64);
			if (k > n - at)
				k = n - at;
			size_t to = (size_t)(jd_rand(s) % (n + 1));
			if (n + k <= *cap) {
				memmove(m + to + k, m + to, n - to);
				/* the slice may have moved */
				size_t from = at >= to ? at + k : at;
				if (from < to && from + k > to) {
					memcpy(m + to, m + from, to - from);
					memcpy(m + to + (to - from), m + to + k, k - (to - from));
				} else {
					memcpy(m + to, m + from, k);
				}
				n += k;
			}
		} else if (at < n) { /* overwrite with a significant byte */
			m[at] = special[jd_rand(s) % (sizeof(special) - 1)];
		}
	}
	return n;
}

JD_FN int jd_text(jd_state *s, ac_json *a, ac_json *b, const char *t)
{
	return jd_compare_pair(s, a, b, t, strlen(t));
}

/* Nesting around AC_JSON_MAX_DEPTH, arrays around the token array's sizes
 * with limits around them, and strings, numbers and separators by hand.
 * Returns 0, or 1 at the first disagreement (s->why). */
JD_FN int jd_edge_cases(jd_state *s)
{
	static const char *texts[] = {
		"", " ", "\n\t\r ", "{}", "[]", "{ }", "[ ]", " {} ", "{}x", "{} {}", "[] []", "\"\"", "\"a\"",
		"\"a\" ", "\"a\"x", "\"a\" \"b\"", "1", "-", "-0", "01", "1.", "1.5e", "1e+", "true", "tru",
		"nul", " null ", "false x", "1 2", "[1 2]", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{\"a\" 1}",
		"{\"a\":1,}", "{,}", "{1:2}", "{\"a\":1 \"b\":2}", "{\"a\"::1}", "[\"a\":1]", "{{}}", "{[]}",
		"[}", "{]", "]", "}", "[]]", "{}}", "[[]", "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}",
		"[\"\\u00e9\\ud83d\\ude00\"]", "[\"\\u00\"]", "[\"\\u00zz\"]", "[\"\\x\"]", "[\"\\", "[\"a\\\"]",
		"[\"\t\x01\x1f\"]", "[\"\xc3\xa9\"]", "[\"\xc3\"]", "[\"\xe2\x82\"]", "[\"\xed\xa0\x80\"]",
		"[\"\xf4\x90\x80\x80\"]", "[\"\xc0\x80\"]", "[\xc3\xa9]", "[1\xc3\xa9]", "[-1.5e-3,0,2E+9]",
		"[truex]", "[1\"a\"]", "[1:2]", "{\"a\":1:2}", "[\"a\",]", "{\"a\":[}", "[{]", "[1]x", "[1] ",
		"\"abc", "[\"abc", "{\"a\":\"b", "[1", "[1,", "{\"a\"", "{\"a\":", "[\x7f]", "[1\x7f]",
		"{\"a\":1}\n", "[\"a\"\"b\"]", "[[],[[]],{}]", "{\"\":\"\"}", "[0,-0,-0.0e0]", "[00]", "[-01]",
		"[.5]", "[+1]", "[1e5.5]", "[Infinity]", "[NaN]", "[\"a\"\n,\n\"b\"]",
		"[fals]", "[falsz]", "[falsee]", "[nulx]", "[nul]", "[trux]", "[tru]", "[fALSE]", "{\"a\":nulL}",
		"{\"a\":truE,\"b\":1}", "[true,false,null]", "[1E5,1e-0,-9.99E+99]", "[1eX]", "[-x]", "[\"\xc3(\"]",
		"[\"\xe2\x28\xa1\"]", "[\"\xf0\x9f\x98\"]", "[\"\xf0\x9f\x98\x80\"]", "[\"\xf8\x88\x80\x80\"]",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (jd_text(s, &s->a, &s->b, texts[i]))
			return 1;
	static const char nul[] = "[\"a\0b\"]", nul2[] = "[1,\0]";
	if (jd_compare(s, nul, sizeof(nul) - 1) || jd_compare(s, nul2, sizeof(nul2) - 1))
		return 1;

	char *buf = malloc(1 << 20);
	if (!buf)
		abort();
	for (int d = 120; d <= 135; d++) {
		for (int form = 0; form < 6; form++) {
			size_t n = 0;
			for (int k = 0; k < d; k++)
				n += (size_t)sprintf(buf + n, form % 2 ? "{\"k\":" : "[");
			if (form >= 2)
				n += (size_t)sprintf(buf + n, form >= 4 ? "\"[[[[\"" : "1");
			for (int k = 0; k < d && form != 5; k++)
				buf[n++] = form % 2 ? '}' : ']';
			if (jd_compare(s, buf, n))
				goto fail;
		}
	}
	/* arrays of N values, under limits around the array's sizes */
	static const size_t counts[] = { 1022, 1023, 1024, 1025, 2046, 2047, 2048, 2049, 4095, 4096, 4100 };
	static const size_t limits[] = { 0, 1, 10, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 5000 };
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		for (int form = 0; form < 4; form++) {
			size_t n = 0;
			buf[n++] = '[';
			for (size_t k = 1; k < counts[c]; k++)
				n += (size_t)sprintf(buf + n, form == 1 ? "\"s\"," : form == 2 ? "1 ," : "1,");
			n += (size_t)sprintf(buf + n, form == 3 ? "1,\xff]" : "1]");
			for (size_t l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
				ac_json a = AC_JSON_INIT, b = AC_JSON_INIT;
				a.max_tok = b.max_tok = limits[l];
				int bad = jd_compare_pair(s, &a, &b, buf, n);
				/* the same pair again after a lower limit: the array keeps its
				 * size (form 3 made valid: its bad byte stopped the original
				 * before the array grew) */
				if (!bad) {
					a.max_tok = b.max_tok = limits[l] / 3;
					if (form == 3)
						buf[n - 2] = '2';
					bad = jd_compare_pair(s, &a, &b, buf, n);
					if (form == 3)
						buf[n - 2] = '\xff';
				}
				ac_json_release(&a);
				ac_json_release(&b);
				if (bad)
					goto fail;
			}
		}
	}
	free(buf);
	return 0;
fail:
	free(buf);
	return 1;
}

#endif
