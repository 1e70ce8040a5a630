/*
 * yajl: streaming callbacks over the raw read() chunks (yajl_allow_multiple_values
 * for JSON lines), no tree. A small stack says where the parser is in the OTLP
 * structure; scalars are copied into the span as they arrive and the span is
 * emitted when its object closes. Like any one-pass reader it relies on the
 * resource object preceding scopeSpans, which is how the Collector writes it;
 * an attribute's "value" before its "key" is handled (stashed until the key).
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* Keys that matter; K_OTHER for the rest. */
enum { K_OTHER, K_RS, K_RESOURCE, K_ATTRS, K_SS, K_SPANS, K_KEY, K_VALUE, K_STRV, K_INTV,
       K_TRACE, K_SPAN, K_PARENT, K_NAME, K_KIND, K_START, K_END, K_STATUS, K_CODE };

/* Where a container sits in the OTLP tree. */
enum { W_OTHER, W_ROOT, W_RS_ARR, W_RS, W_RES, W_ATTR_ARR, W_KV, W_VAL, W_SS_ARR, W_SS,
       W_SPAN_ARR, W_SPAN, W_STATUS };

#define MAXD 64

struct st {
	yajl_handle h;
	int depth;
	unsigned char where[MAXD];
	unsigned char key[MAXD]; /* last key seen in the map at this depth */
	int kv_res;              /* attributes of the resource (1) or of a span (0) */
	int kv_id;               /* attr id of the current pair: -1 not wanted, -2 key not seen yet */
	int stash_kind;          /* value seen before its key: K_STRV/K_INTV or 0 */
	char *stash;
	size_t stash_n, stash_cap;
	struct span res, sp;
};

static int kw(const unsigned char *s, size_t n)
{
	static const struct {
		const char *k;
		size_t n;
		int id;
	} t[] = {
#define K(s, id) { s, sizeof(s) - 1, id }
		K("resourceSpans", K_RS), K("resource", K_RESOURCE), K("attributes", K_ATTRS),
		K("scopeSpans", K_SS), K("spans", K_SPANS), K("key", K_KEY), K("value", K_VALUE),
		K("stringValue", K_STRV), K("intValue", K_INTV), K("traceId", K_TRACE),
		K("spanId", K_SPAN), K("parentSpanId", K_PARENT), K("name", K_NAME), K("kind", K_KIND),
		K("startTimeUnixNano", K_START), K("endTimeUnixNano", K_END), K("status", K_STATUS),
		K("code", K_CODE),
#undef K
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].n == n && memcmp(t[i].k, s, n) == 0)
			return t[i].id;
	return K_OTHER;
}

static int push(struct st *c, int is_map)
{
	int w = W_OTHER;
	if (c->depth == 0) {
		w = is_map ? W_ROOT : W_OTHER;
	} else {
		int pw = c->where[c->depth - 1], k = c->key[c->depth - 1];
		switch (pw) {
		case W_ROOT: w = !is_map && k == K_RS ? W_RS_ARR : W_OTHER; break;
		case W_RS_ARR: w = is_map ? W_RS : W_OTHER; break;
		case W_RS:
			w = is_map && k == K_RESOURCE ? W_RES : !is_map && k == K_SS ? W_SS_ARR : W_OTHER;
			break;
		case W_RES:
		case W_SPAN:
			if (!is_map && k == K_ATTRS) {
				w = W_ATTR_ARR;
				c->kv_res = pw == W_RES;
			} else if (is_map && pw == W_SPAN && k == K_STATUS) {
				w = W_STATUS;
			}
			break;
		case W_ATTR_ARR:
			if (is_map) {
				w = W_KV;
				c->kv_id = -2;
				c->stash_kind = 0;
			}
			break;
		case W_KV: w = is_map && k == K_VALUE ? W_VAL : W_OTHER; break;
		case W_SS_ARR: w = is_map ? W_SS : W_OTHER; break;
		case W_SS: w = !is_map && k == K_SPANS ? W_SPAN_ARR : W_OTHER; break;
		case W_SPAN_ARR:
			if (is_map) {
				w = W_SPAN;
				span_begin(&c->sp, &c->res);
			}
			break;
		}
	}
	if (c->depth >= MAXD)
		return 0;
	c->where[c->depth] = (unsigned char)w;
	c->key[c->depth] = K_OTHER;
	c->depth++;
	return 1;
}

static void attr_value(struct st *c, int kind, const char *s, size_t n)
{
	struct span *sp = c->kv_res ? &c->res : &c->sp;
	if (c->kv_id == -1)
		return;
	if (c->kv_id >= 0) {
		if ((kind == K_INTV) == attr_is_int(c->kv_id))
			attr_str(sp, c->kv_id, s, n);
		return;
	}
	if (n > c->stash_cap) {
		c->stash_cap = n * 2;
		c->stash = realloc(c->stash, c->stash_cap);
	}
	memcpy(c->stash, s, n);
	c->stash_n = n;
	c->stash_kind = kind;
}

static int on_start_map(void *ctx)
{
	return push(ctx, 1);
}

static int on_start_array(void *ctx)
{
	return push(ctx, 0);
}

static int on_end(void *ctx)
{
	struct st *c = ctx;
	int w = c->where[--c->depth];
	if (w == W_SPAN) {
		span_emit(&c->sp);
	} else if (w == W_RS) {
		memset(&c->res, 0, sizeof c->res);
	}
	return 1;
}

static int on_key(void *ctx, const unsigned char *s, size_t n)
{
	struct st *c = ctx;
	c->key[c->depth - 1] = (unsigned char)kw(s, n);
	return 1;
}

static int on_string(void *ctx, const unsigned char *us, size_t n)
{
	struct st *c = ctx;
	if (c->depth == 0)
		return 1;
	const char *s = (const char *)us;
	int w = c->where[c->depth - 1], k = c->key[c->depth - 1];
	if (w == W_SPAN) {
		struct span *sp = &c->sp;
		switch (k) {
		case K_TRACE: set_str(sp->trace_id, sizeof sp->trace_id, s, n); break;
		case K_SPAN: set_str(sp->span_id, sizeof sp->span_id, s, n); break;
		case K_PARENT: set_str(sp->parent_id, sizeof sp->parent_id, s, n); break;
		case K_NAME: set_str(sp->name, sizeof sp->name, s, n); break;
		case K_START: sp->start_ns = to_i64(s, n); break;
		case K_END: sp->end_ns = to_i64(s, n); break;
		case K_KIND: sp->kind = to_i64(s, n); break;
		}
	} else if (w == W_KV && k == K_KEY) {
		c->kv_id = attr_id(s, n);
		if (c->kv_id >= 0 && c->stash_kind) { /* value came first */
			int kind = c->stash_kind;
			c->stash_kind = 0;
			attr_value(c, kind, c->stash, c->stash_n);
		}
	} else if (w == W_VAL && (k == K_STRV || k == K_INTV)) {
		attr_value(c, k, s, n);
	} else if (w == W_STATUS && k == K_CODE) {
		c->sp.status = to_i64(s, n);
	}
	return 1;
}

static int on_integer(void *ctx, long long v)
{
	struct st *c = ctx;
	if (c->depth == 0)
		return 1;
	int w = c->where[c->depth - 1], k = c->key[c->depth - 1];
	if (w == W_SPAN && k == K_KIND)
		c->sp.kind = v;
	else if (w == W_SPAN && k == K_START)
		c->sp.start_ns = v;
	else if (w == W_SPAN && k == K_END)
		c->sp.end_ns = v;
	else if (w == W_STATUS && k == K_CODE)
		c->sp.status = v;
	else if (w == W_VAL && k == K_INTV) {
		char b[24];
		attr_value(c, K_INTV, b, (size_t)snprintf(b, sizeof b, "%lld", v));
	}
	return 1;
}

static const yajl_callbacks cb = {
	.yajl_integer = on_integer,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

static void *init(void)
{
	struct st *c = calloc(1, sizeof *c);
	c->h = yajl_alloc(&cb, NULL, c);
	yajl_config(c->h, yajl_allow_multiple_values, 1);
	return c;
}

static int chunk(void *st, const char *p, size_t n, int last)
{
	struct st *c = st;
	yajl_status s = last ? yajl_complete_parse(c->h) : yajl_parse(c->h, (const unsigned char *)p, n);
	if (s != yajl_status_ok) {
		unsigned char *e = yajl_get_error(c->h, 0, NULL, 0);
		fprintf(stderr, "yajl: %s\n", (char *)e);
		yajl_free_error(c->h, e);
		return -1;
	}
	return 0;
}

static void fini(void *st)
{
	struct st *c = st;
	yajl_free(c->h);
	free(c->stash);
	free(c);
}

const struct parser bench_parser = { "yajl", FEED_CHUNKS, init, NULL, chunk, fini };
