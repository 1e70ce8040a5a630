/*
 * jsmn: tokenize a line into a flat token array (grown on JSMN_ERROR_NOMEM),
 * then walk it by hand the way src/ingest/otlp.c does: find keys by comparing
 * raw bytes, step over subtrees with a counter, decode escapes only in the
 * strings that are extracted.
 *
 * Built twice: plain jsmn (bench_jsmn), and with -DAC_JSON through agentcost's
 * own wrapper ac_json_parse() (src/ingest/json.c: jsmn plus UTF-8 and strict
 * JSON grammar checks), which is what ingest really runs (bench_jsmn_ac).
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef AC_JSON
#include "ingest/json.h"
#else
#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#define JSMN_STRICT
#include <jsmn.h>
#endif

struct st {
#ifdef AC_JSON
	ac_json j;
#endif
	const char *js;
	jsmntok_t *tok;
	unsigned cap;
	char *scratch; /* decoded strings */
	size_t scratch_cap;
};

static int skip(const jsmntok_t *t, int i)
{
	int left = 1;
	while (left > 0) {
		left += t[i].size;
		left--;
		i++;
	}
	return i;
}

static int eq(const struct st *c, int i, const char *s, size_t n)
{
	const jsmntok_t *t = &c->tok[i];
	return t->type == JSMN_STRING && (size_t)(t->end - t->start) == n &&
	       memcmp(c->js + t->start, s, n) == 0;
}
#define EQ(c, i, lit) eq(c, i, lit, sizeof(lit) - 1)

/* Value token of key (a literal) in object obj, or -1. */
#define FIND(c, obj, lit) find(c, obj, lit, sizeof(lit) - 1)
static int find(const struct st *c, int obj, const char *k, size_t n)
{
	if (obj < 0 || c->tok[obj].type != JSMN_OBJECT)
		return -1;
	int i = obj + 1;
	for (int m = 0; m < c->tok[obj].size; m++, i = skip(c->tok, i + 1))
		if (eq(c, i, k, n))
			return i + 1;
	return -1;
}

/* Decoded text of string token i (points into the line when unescaped). */
static int str(struct st *c, int i, const char **s, size_t *n)
{
	if (i < 0 || c->tok[i].type != JSMN_STRING)
		return -1;
	const char *p = c->js + c->tok[i].start;
	size_t len = (size_t)(c->tok[i].end - c->tok[i].start);
	if (!memchr(p, '\\', len)) {
		*s = p;
		*n = len;
		return 0;
	}
	if (len > c->scratch_cap) {
		c->scratch_cap = len * 2;
		c->scratch = realloc(c->scratch, c->scratch_cap);
	}
	*n = json_unescape(p, len, c->scratch);
	*s = c->scratch;
	return 0;
}

static void sval(struct st *c, int i, char *dst, size_t cap)
{
	const char *s;
	size_t n;
	if (str(c, i, &s, &n) == 0)
		set_str(dst, cap, s, n);
}

/* Integer from a number token or a decimal string. */
static int64_t ival(struct st *c, int i)
{
	if (i < 0 || (c->tok[i].type != JSMN_STRING && c->tok[i].type != JSMN_PRIMITIVE))
		return 0;
	return to_i64(c->js + c->tok[i].start, (size_t)(c->tok[i].end - c->tok[i].start));
}

static void attrs(struct st *c, int arr, struct span *sp)
{
	if (arr < 0 || c->tok[arr].type != JSMN_ARRAY)
		return;
	int e = arr + 1;
	for (int m = 0; m < c->tok[arr].size; m++, e = skip(c->tok, e)) {
		const char *k, *s;
		size_t kn, n;
		if (str(c, FIND(c, e, "key"), &k, &kn))
			continue;
		int id = attr_id(k, kn);
		if (id < 0)
			continue;
		int val = FIND(c, e, "value");
		int v = attr_is_int(id) ? FIND(c, val, "intValue") : FIND(c, val, "stringValue");
		if (str(c, v, &s, &n) == 0)
			attr_str(sp, id, s, n);
		else if (v >= 0 && c->tok[v].type == JSMN_PRIMITIVE && attr_is_int(id))
			attr_int(sp, id, ival(c, v));
	}
}

static void span(struct st *c, int t, const struct span *res)
{
	struct span sp;
	span_begin(&sp, res);
	int k = t + 1;
	for (int m = 0; m < c->tok[t].size; m++, k = skip(c->tok, k + 1)) {
		int v = k + 1;
		if (EQ(c, k, "traceId"))
			sval(c, v, sp.trace_id, sizeof sp.trace_id);
		else if (EQ(c, k, "spanId"))
			sval(c, v, sp.span_id, sizeof sp.span_id);
		else if (EQ(c, k, "parentSpanId"))
			sval(c, v, sp.parent_id, sizeof sp.parent_id);
		else if (EQ(c, k, "name"))
			sval(c, v, sp.name, sizeof sp.name);
		else if (EQ(c, k, "kind"))
			sp.kind = ival(c, v);
		else if (EQ(c, k, "startTimeUnixNano"))
			sp.start_ns = ival(c, v);
		else if (EQ(c, k, "endTimeUnixNano"))
			sp.end_ns = ival(c, v);
		else if (EQ(c, k, "status"))
			sp.status = ival(c, FIND(c, v, "code"));
		else if (EQ(c, k, "attributes"))
			attrs(c, v, &sp);
	}
	span_emit(&sp);
}

static void *init(void)
{
	struct st *c = calloc(1, sizeof *c);
#ifdef AC_JSON
	c->j = (ac_json)AC_JSON_INIT;
#else
	c->cap = 16384;
	c->tok = malloc(c->cap * sizeof *c->tok);
#endif
	return c;
}

static void fini(void *st)
{
	struct st *c = st;
#ifdef AC_JSON
	ac_json_release(&c->j);
#else
	free(c->tok);
#endif
	free(c->scratch);
	free(c);
}

static int line(void *st, const char *p, size_t n)
{
	struct st *c = st;
	c->js = p;
#ifdef AC_JSON
	ac_err err = AC_ERR_INIT;
	if (ac_json_parse(&c->j, p, n, &err)) {
		fprintf(stderr, "ac_json: %s\n", err.msg);
		return -1;
	}
	c->tok = c->j.tok;
#else
	jsmn_parser jp;
	jsmn_init(&jp);
	int r;
	while ((r = jsmn_parse(&jp, p, n, c->tok, c->cap)) == JSMN_ERROR_NOMEM) {
		c->cap *= 2; /* jsmn resumes where it stopped */
		c->tok = realloc(c->tok, c->cap * sizeof *c->tok);
	}
	if (r < 1) {
		fprintf(stderr, "jsmn: error %d\n", r);
		return -1;
	}
#endif
	int rsa = FIND(c, 0, "resourceSpans");
	if (rsa < 0 || c->tok[rsa].type != JSMN_ARRAY)
		return 0;
	int rs = rsa + 1;
	for (int i = 0; i < c->tok[rsa].size; i++, rs = skip(c->tok, rs)) {
		struct span res = { 0 };
		attrs(c, FIND(c, FIND(c, rs, "resource"), "attributes"), &res);
		int ssa = FIND(c, rs, "scopeSpans");
		if (ssa < 0 || c->tok[ssa].type != JSMN_ARRAY)
			continue;
		int ss = ssa + 1;
		for (int j = 0; j < c->tok[ssa].size; j++, ss = skip(c->tok, ss)) {
			int spans = FIND(c, ss, "spans");
			if (spans < 0 || c->tok[spans].type != JSMN_ARRAY)
				continue;
			int s = spans + 1;
			for (int k = 0; k < c->tok[spans].size; k++, s = skip(c->tok, s))
				if (c->tok[s].type == JSMN_OBJECT)
					span(c, s, &res);
		}
	}
	return 0;
}

#ifdef AC_JSON
const struct parser bench_parser = { "jsmn+ac_json", FEED_LINES, init, line, NULL, fini };
#else
const struct parser bench_parser = { "jsmn", FEED_LINES, init, line, NULL, fini };
#endif
