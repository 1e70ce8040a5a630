/*
 * Unit tests of the synthetic workload generator (src/gen/gen.h): same
 * options give the same bytes and another seed other bytes; every line is
 * one JSON value that jsmn (src/ingest/json.h) tokenizes; the OTLP lines are
 * ExportTraceServiceRequest objects holding the spans of a few tasks, the
 * flat lines one span each; the counts of the truth (spans, tasks, LLM and
 * tool calls, failed tool calls, records) match what is in the output,
 * counted here by walking the JSON and, separately, by the record parser of
 * ingest (src/ingest/parse.h); the native zstd stream and the Collector's
 * [u32 length][zstd frame] framing decompress to the plain lines; the
 * published shape of the defaults (weekend volume, the incident, eval
 * coverage, LLM calls per task); option validation and write errors.
 *
 * Workloads are generated into memory; nothing touches the disk.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zstd.h>

#include "gen/gen.h"
#include "ingest/attrmap.h"
#include "ingest/json.h"
#include "ingest/parse.h"
#include "pricing/pricing.h"
#include "util/buf.h"
#include "util/err.h"

/* Helpers ---------------------------------------------------------------- */

/* Debian 12's cmocka compares floats as float: compare doubles here. */
#define assert_close(a, b, rel, abs_) assert_close_at((a), (b), (rel), (abs_), #a, __FILE__, __LINE__)

static void assert_close_at(double a, double b, double rel, double abs_, const char *what,
                            const char *file, int line)
{
	double d = fabs(a - b);
	if (d <= abs_ || d <= rel * fmax(fabs(a), fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

static int to_buf(const void *data, size_t len, void *payload)
{
	ac_buf_add(payload, data, len);
	return ((ac_buf *)payload)->oom;
}

/* A small workload: two weekdays at 120 tasks a day (the incident on day 1). */
static ac_gen_opts small_opts(void)
{
	ac_gen_opts o = AC_GEN_OPTS_INIT;
	o.days = 2;
	o.tasks_per_day = 120;
	return o;
}

/* Generate o into out; returns the truth (caller frees). */
static ac_gen_truth *gen_into(const ac_gen_opts *o, ac_buf *out)
{
	ac_gen_truth *t = NULL;
	ac_err err = AC_ERR_INIT;
	int rc = ac_gen_run(o, to_buf, out, &t, &err);
	if (rc)
		print_error("ac_gen_run: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(t);
	assert_false(out->oom);
	assert_int_equal(t->bytes_out, out->len);
	return t;
}

/* Value token of key in object obj, or -1. */
static int find_key(const ac_json *j, int obj, const char *key)
{
	if (ac_json_type(j, obj) != JSMN_OBJECT)
		return -1;
	int k = obj + 1;
	for (int n = 0; n < j->tok[obj].size; n++) {
		if (ac_json_eq(j, k, key))
			return k + 1;
		k = ac_json_skip(j, k + 1);
	}
	return -1;
}

/* String value of key in obj copied into out ("" when absent). */
static void get_str(ac_json *j, int obj, const char *key, char *out, size_t cap)
{
	int v = find_key(j, obj, key);
	out[0] = '\0';
	if (v >= 0 && ac_json_type(j, v) == JSMN_STRING)
		ac_json_strcpy(j, v, out, cap);
}

/* What a walk over the output found. */
typedef struct seen {
	long long lines, spans, llm, tool, failed_tool, roots, eval_roots;
	int max_tasks_per_line;
	char (*traces)[33]; /* distinct trace ids of root spans */
	size_t ntraces, cap;
} seen;

static void seen_release(seen *s)
{
	free(s->traces);
}

/* OTLP AnyValue's string, or "". */
static void attr_str(ac_json *j, int kv, char *out, size_t cap)
{
	int v = find_key(j, kv, "value");
	out[0] = '\0';
	if (v >= 0)
		get_str(j, v, "stringValue", out, cap);
}

/* Walk one OTLP line with jsmn only (no otlp.c): count spans, kinds, roots. */
static void walk_otlp_line(ac_json *j, seen *s)
{
	int rs = find_key(j, 0, "resourceSpans");
	assert_true(rs > 0);
	assert_int_equal(ac_json_type(j, rs), JSMN_ARRAY);
	char traces[64][33];
	int ntr = 0;
	int e = rs + 1;
	for (int n = 0; n < j->tok[rs].size; n++, e = ac_json_skip(j, e)) {
		int res = find_key(j, e, "resource");
		assert_true(res > 0);
		int rattrs = find_key(j, res, "attributes");
		char env[16] = "", key[64];
		int a = rattrs + 1;
		for (int k = 0; k < j->tok[rattrs].size; k++, a = ac_json_skip(j, a)) {
			get_str(j, a, "key", key, sizeof(key));
			if (!strcmp(key, "deployment.environment.name"))
				attr_str(j, a, env, sizeof(env));
		}
		assert_true(!strcmp(env, "prod") || !strcmp(env, "eval"));
		int ss = find_key(j, e, "scopeSpans");
		assert_int_equal(j->tok[ss].size, 1);
		int spans = find_key(j, ss + 1, "spans");
		assert_int_equal(ac_json_type(j, spans), JSMN_ARRAY);
		int sp = spans + 1;
		for (int m = 0; m < j->tok[spans].size; m++, sp = ac_json_skip(j, sp)) {
			char tid[40], op[32] = "", kind[16] = "", tlkind[16] = "";
			s->spans++;
			get_str(j, sp, "traceId", tid, sizeof(tid));
			assert_int_equal(strlen(tid), 32);
			int known = 0;
			for (int x = 0; x < ntr; x++)
				known |= !strcmp(traces[x], tid);
			if (!known) {
				assert_true(ntr < 64);
				strcpy(traces[ntr++], tid);
			}
			int attrs = find_key(j, sp, "attributes");
			int kv = attrs + 1;
			for (int k = 0; k < j->tok[attrs].size; k++, kv = ac_json_skip(j, kv)) {
				get_str(j, kv, "key", key, sizeof(key));
				if (!strcmp(key, "gen_ai.operation.name") || !strcmp(key, "llm.request.type"))
					attr_str(j, kv, op, sizeof(op));
				else if (!strcmp(key, "openinference.span.kind"))
					attr_str(j, kv, kind, sizeof(kind));
				else if (!strcmp(key, "traceloop.span.kind"))
					attr_str(j, kv, tlkind, sizeof(tlkind));
			}
			int is_llm = !strcmp(op, "chat") || !strcmp(kind, "LLM");
			int is_tool = !strcmp(op, "execute_tool") || !strcmp(kind, "TOOL") || !strcmp(tlkind, "tool");
			s->llm += is_llm;
			s->tool += is_tool;
			int st = find_key(j, sp, "status");
			assert_true(st > 0); /* the Collector always writes status */
			int code = find_key(j, st, "code");
			int64_t c = 0;
			if (code >= 0)
				assert_int_equal(ac_json_i64(j, code, &c), 0);
			if (is_tool && c == 2)
				s->failed_tool++;
			if (find_key(j, sp, "parentSpanId") < 0) {
				s->roots++;
				s->eval_roots += !strcmp(env, "eval");
				if (s->ntraces == s->cap) {
					s->cap = s->cap ? 2 * s->cap : 1024;
					s->traces = realloc(s->traces, s->cap * sizeof(*s->traces));
					assert_non_null(s->traces);
				}
				strcpy(s->traces[s->ntraces++], tid);
			}
		}
	}
	if (ntr > s->max_tasks_per_line)
		s->max_tasks_per_line = ntr;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Split text into lines; tokenize each with jsmn; walk OTLP lines. */
static void walk_lines(const char *p, size_t n, int otlp, seen *s)
{
	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	size_t off = 0;
	assert_true(n > 0);
	assert_int_equal(p[n - 1], '\n');
	while (off < n) {
		const char *nl = memchr(p + off, '\n', n - off);
		assert_non_null(nl);
		size_t len = (size_t)(nl - (p + off));
		int rc = ac_json_parse(&j, p + off, len, &err);
		if (rc)
			print_error("line %lld: %s\n", s->lines + 1, err.msg);
		assert_int_equal(rc, 0);
		assert_int_equal(ac_json_type(&j, 0), JSMN_OBJECT);
		if (otlp) {
			walk_otlp_line(&j, s);
		} else {
			/* flat: one span, the documented keys */
			static const char *const keys[] = { "trace_id", "span_id", "parent_span_id", "name",
				                            "start_time_unix_nano", "end_time_unix_nano",
				                            "status", "attributes", "resource" };
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				assert_true(find_key(&j, 0, keys[k]) > 0);
			char st[16];
			get_str(&j, 0, "status", st, sizeof(st));
			assert_true(!strcmp(st, "OK") || !strcmp(st, "ERROR") || !strcmp(st, "UNSET"));
			s->spans++;
		}
		s->lines++;
		off += len + 1;
	}
	ac_json_release(&j);
}

/* Spans through ingest's own record parser: every span valid; step kinds. */
typedef struct parsed {
	long long spans, bad, llm, tool, failed_tool;
	double cost;
	ac_pricebook *pb;
} parsed;

static int on_span(ac_span *sp, void *payload)
{
	parsed *p = payload;
	p->spans++;
	if (sp->err[0]) {
		print_error("rejected span: %s\n", sp->err);
		p->bad++;
	}
	p->llm += sp->step == AC_STEP_LLM;
	p->tool += sp->step == AC_STEP_TOOL;
	p->failed_tool += sp->step == AC_STEP_TOOL && sp->status == 2;
	if (sp->step == AC_STEP_LLM) {
		char model[128];
		size_t n = sp->str[AC_F_MODEL].n < sizeof(model) - 1 ? sp->str[AC_F_MODEL].n : sizeof(model) - 1;
		memcpy(model, sp->str[AC_F_MODEL].p, n);
		model[n] = '\0';
		ac_cost_input in = { AC_STEP_LLM, model, NULL, sp->start_ns,
			             { sp->tok[AC_TOK_IN], sp->tok[AC_TOK_OUT], sp->tok[AC_TOK_CACHE_READ],
			               sp->tok[AC_TOK_CACHE_WRITE], sp->tok[AC_TOK_REASONING],
			               sp->tok[AC_TOK_CACHE_WRITE_1H], sp->tok[AC_TOK_AUDIO_IN],
			               sp->tok[AC_TOK_AUDIO_OUT], AC_CONV_AUTO },
			             0, 0, NULL, NULL, NULL, AC_TIER_STANDARD };
		double c;
		int src;
		ac_pricebook_cost(p->pb, &in, &c, &src);
		assert_int_equal(src, AC_COST_TABLE); /* every model the generator uses is priced */
		p->cost += c;
	}
	return 0;
}

static void parse_lines(const char *p, size_t n, parsed *out)
{
	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	size_t off = 0;
	long long line = 0;
	assert_int_equal(ac_pricebook_load(&out->pb, NULL, &err), 0);
	while (off < n) {
		const char *nl = memchr(p + off, '\n', n - off);
		size_t len = (size_t)(nl - (p + off));
		int kind;
		assert_int_equal(ac_parse_record(&j, p + off, len, ++line, &kind, on_span, out, &err), 0);
		off += len + 1;
	}
	ac_pricebook_free(out->pb);
	out->pb = NULL;
	ac_json_release(&j);
}

/* Tests ------------------------------------------------------------------ */

/* Same options, same bytes (and same truth); another seed, other bytes. */
static void test_deterministic(void **state)
{
	(void)state;
	ac_gen_opts o = small_opts();
	ac_buf a = AC_BUF_INIT, b = AC_BUF_INIT, c = AC_BUF_INIT, ta = AC_BUF_INIT, tb = AC_BUF_INIT;
	ac_gen_truth *t1 = gen_into(&o, &a), *t2 = gen_into(&o, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	ac_gen_truth_json(t1, &ta);
	ac_gen_truth_json(t2, &tb);
	assert_string_equal(ac_buf_cstr(&ta), ac_buf_cstr(&tb));

	o.seed = 2;
	ac_gen_truth *t3 = gen_into(&o, &c);
	assert_true(c.len != a.len || memcmp(a.data, c.data, a.len) != 0);
	assert_true(t3->cost != t1->cost);

	ac_gen_truth_free(t1);
	ac_gen_truth_free(t2);
	ac_gen_truth_free(t3);
	ac_buf_release(&a);
	ac_buf_release(&b);
	ac_buf_release(&c);
	ac_buf_release(&ta);
	ac_buf_release(&tb);
}

/* OTLP lines: JSON, counts equal to the truth's; the trace layout puts a
 * few whole tasks a line, the collector layout (the default) a few spans. */
static void otlp_counts(ac_gen_layout layout)
{
	ac_gen_opts o = small_opts();
	o.layout = layout;
	ac_buf out = AC_BUF_INIT;
	ac_gen_truth *t = gen_into(&o, &out);
	seen s = { 0 };
	walk_lines(out.data, out.len, 1, &s);
	assert_int_equal(s.lines, t->records);
	assert_int_equal(s.spans, t->spans);
	assert_int_equal(s.llm, t->llm_calls);
	assert_int_equal(s.tool, t->tool_calls);
	assert_int_equal(s.failed_tool, t->tool_failed);
	assert_int_equal(s.roots, t->tasks + t->eval_tasks);
	assert_int_equal(s.eval_roots, t->eval_tasks);
	if (layout == AC_GEN_LAYOUT_TRACE) {
		assert_true(s.max_tasks_per_line >= 2 && s.max_tasks_per_line <= 6);
		assert_true(t->records < t->tasks + t->eval_tasks); /* batched */
	} else {
		/* 120 tasks a day: a span every few seconds, batches of 200 ms hold one or two */
		assert_true(s.max_tasks_per_line >= 2);
		assert_true(t->records > t->tasks + t->eval_tasks && t->records <= t->spans);
	}
	assert_int_equal(t->bytes_json, out.len);

	/* one root per trace: tasks are traces */
	qsort(s.traces, s.ntraces, sizeof(*s.traces), cmp_id);
	for (size_t i = 1; i < s.ntraces; i++)
		assert_true(strcmp(s.traces[i - 1], s.traces[i]) != 0);

	/* per-system figures add up */
	long long spans = 0, tasks = 0, llm = 0, tool = 0;
	double cost = 0;
	for (int k = 0; k < AC_GEN_NSYS; k++) {
		spans += t->sys[k].spans;
		tasks += t->sys[k].tasks + t->sys[k].eval_tasks;
		llm += t->sys[k].llm_calls;
		tool += t->sys[k].tool_calls;
		cost += t->sys[k].cost + t->sys[k].eval_cost;
	}
	assert_int_equal(spans, t->spans);
	assert_int_equal(tasks, t->tasks + t->eval_tasks);
	assert_int_equal(llm, t->llm_calls);
	assert_int_equal(tool, t->tool_calls);
	assert_close(cost, t->cost, 1e-12, 0);
	assert_int_equal(t->sys[AC_GEN_RESEARCH].eval_tasks + t->sys[AC_GEN_SUPPORT].eval_tasks, 0);

	seen_release(&s);
	ac_gen_truth_free(t);
	ac_buf_release(&out);
}

static void test_otlp_counts(void **state)
{
	(void)state;
	otlp_counts(AC_GEN_LAYOUT_COLLECTOR);
	otlp_counts(AC_GEN_LAYOUT_TRACE);
}

/* The record parser of ingest accepts every span; its step kinds and the
 * built-in prices give the truth's counts and cost (the generator priced
 * with its own copy of the list prices). */
static void test_parser_agrees(void **state)
{
	(void)state;
	ac_gen_opts o = small_opts();
	for (int f = 0; f < 2; f++) {
		ac_buf out = AC_BUF_INIT;
		o.format = f ? AC_GEN_JSONL : AC_GEN_OTLP;
		ac_gen_truth *t = gen_into(&o, &out);
		parsed p = { 0 };
		parse_lines(out.data, out.len, &p);
		assert_int_equal(p.bad, 0);
		assert_int_equal(p.spans, t->spans);
		assert_int_equal(p.llm, t->llm_calls);
		assert_int_equal(p.tool, t->tool_calls);
		assert_int_equal(p.failed_tool, t->tool_failed);
		assert_close(p.cost, t->cost, 1e-9, 0);
		ac_gen_truth_free(t);
		ac_buf_release(&out);
	}
}

/* Flat JSONL: one span per line, the same spans and truth as OTLP. */
static void test_flat(void **state)
{
	(void)state;
	ac_gen_opts o = small_opts();
	ac_buf a = AC_BUF_INIT, b = AC_BUF_INIT;
	ac_gen_truth *to = gen_into(&o, &a);
	o.format = AC_GEN_JSONL;
	ac_gen_truth *tf = gen_into(&o, &b);
	seen s = { 0 };
	walk_lines(b.data, b.len, 0, &s);
	assert_int_equal(s.lines, tf->spans);
	assert_int_equal(tf->records, tf->spans);
	assert_int_equal(tf->spans, to->spans);
	assert_int_equal(tf->llm_calls, to->llm_calls);
	assert_true(tf->cost == to->cost); /* the same draws, the same sum */
	assert_true(strstr(b.data, "\"parent_span_id\":null") != NULL);
	seen_release(&s);
	ac_gen_truth_free(to);
	ac_gen_truth_free(tf);
	ac_buf_release(&a);
	ac_buf_release(&b);
}

/* Native zstd: a valid stream of several frames whose content is exactly
 * the plain output; framed: [u32be length][one frame] per line, no
 * newline inside. */
static void test_zstd_containers(void **state)
{
	(void)state;
	ac_gen_opts o = small_opts();
	o.days = 3; /* a few MB: more than one 1 MB frame */
	ac_buf plain = AC_BUF_INIT, z = AC_BUF_INIT, fr = AC_BUF_INIT, back = AC_BUF_INIT;
	ac_gen_truth *tp = gen_into(&o, &plain);
	o.container = AC_GEN_ZSTD;
	ac_gen_truth *tz = gen_into(&o, &z);
	o.container = AC_GEN_ZSTD_FRAMED;
	ac_gen_truth *tf = gen_into(&o, &fr);
	assert_true(plain.len > (2u << 20));
	assert_int_equal(tz->bytes_json, plain.len);
	assert_int_equal(tz->spans, tp->spans);

	/* native: frame by frame (streamed frames do not record their size) */
	size_t off = 0;
	int frames = 0;
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	assert_non_null(dc);
	while (off < z.len) {
		size_t fsz = ZSTD_findFrameCompressedSize(z.data + off, z.len - off);
		assert_false(ZSTD_isError(fsz));
		ZSTD_inBuffer in = { z.data + off, fsz, 0 };
		size_t left = 1;
		while (left != 0) {
			assert_int_equal(ac_buf_grow(&back, 1u << 20), 0);
			ZSTD_outBuffer ob = { back.data + back.len, back.cap - back.len - 1, 0 };
			left = ZSTD_decompressStream(dc, &ob, &in);
			assert_false(ZSTD_isError(left));
			back.len += ob.pos;
		}
		assert_int_equal(in.pos, fsz);
		/* frames end at line ends, at about 1 MB of content */
		assert_int_equal(back.data[back.len - 1], '\n');
		off += fsz;
		frames++;
	}
	ZSTD_freeDCtx(dc);
	assert_true(frames >= 2);
	assert_int_equal(back.len, plain.len);
	assert_memory_equal(back.data, plain.data, plain.len);

	/* framed: each message is one line */
	const unsigned char *p = (const unsigned char *)fr.data;
	off = 0;
	size_t lineoff = 0;
	long long msgs = 0;
	while (off < fr.len) {
		assert_true(off + 4 <= fr.len);
		size_t len = (size_t)p[off] << 24 | (size_t)p[off + 1] << 16 | (size_t)p[off + 2] << 8 | p[off + 3];
		off += 4;
		assert_true(off + len <= fr.len);
		assert_int_equal(ZSTD_findFrameCompressedSize(p + off, len), len);
		unsigned long long n = ZSTD_getFrameContentSize(p + off, len);
		char *nl = memchr(plain.data + lineoff, '\n', plain.len - lineoff);
		assert_int_equal(n, (size_t)(nl - (plain.data + lineoff)));
		char *dst = malloc((size_t)n);
		assert_non_null(dst);
		assert_int_equal(ZSTD_decompress(dst, (size_t)n, p + off, len), n);
		assert_memory_equal(dst, plain.data + lineoff, (size_t)n);
		free(dst);
		lineoff += (size_t)n + 1;
		off += len;
		msgs++;
	}
	assert_int_equal(lineoff, plain.len);
	assert_int_equal(msgs, tf->records);
	assert_int_equal(tf->records, tp->records);

	ac_gen_truth_free(tp);
	ac_gen_truth_free(tz);
	ac_gen_truth_free(tf);
	ac_buf_release(&plain);
	ac_buf_release(&z);
	ac_buf_release(&fr);
	ac_buf_release(&back);
}

/* The truth as JSON: one object, tokenized by jsmn, with the documented keys. */
static void test_truth_json(void **state)
{
	(void)state;
	ac_gen_opts o = small_opts();
	ac_buf out = AC_BUF_INIT, tj = AC_BUF_INIT;
	ac_gen_truth *t = gen_into(&o, &out);
	ac_gen_truth_json(t, &tj);
	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_json_parse(&j, tj.data, tj.len, &err), 0);
	static const char *const keys[] = { "options", "output", "tasks", "spans", "llm_calls", "tool_calls",
		                            "tokens", "cost", "doc_tasks", "retries", "tools", "summarize",
		                            "eval", "routing", "incident", "accuracy", "days" };
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		assert_true(find_key(&j, 0, keys[k]) > 0);
	int64_t v;
	assert_int_equal(ac_json_i64(&j, find_key(&j, 0, "spans"), &v), 0);
	assert_int_equal(v, t->spans);
	int acc = find_key(&j, 0, "accuracy");
	assert_int_equal(j.tok[acc].size, AC_GEN_NDOCTYPE * AC_GEN_NCPLX * AC_GEN_NEVALMODEL);
	int days = find_key(&j, 0, "days");
	assert_int_equal(j.tok[days].size, o.days);
	double tail;
	int dt = find_key(&j, 0, "doc_tasks");
	assert_int_equal(ac_json_f64(&j, find_key(&j, dt, "tail_ratio"), &tail), 0);
	assert_close(tail, t->doc_tail_ratio, 1e-15, 0);
	ac_json_release(&j);
	ac_gen_truth_free(t);
	ac_buf_release(&out);
	ac_buf_release(&tj);
}

/* Per-trace cost of the production doc-agent traces, from the output. */
#define MAXDOC 4096
typedef struct doccost {
	ac_pricebook *pb;
	int n;
	uint8_t id[MAXDOC][16];
	double cost[MAXDOC];
} doccost;

static int on_doc_span(ac_span *sp, void *payload)
{
	doccost *d = payload;
	if (!ac_str_ieq(sp->str[AC_F_SERVICE], "doc-agent") || !ac_str_ieq(sp->str[AC_F_ENV], "prod"))
		return 0;
	int k = 0;
	while (k < d->n && memcmp(d->id[k], sp->trace_id, 16))
		k++;
	if (k == d->n) {
		assert_true(d->n < MAXDOC);
		memcpy(d->id[d->n], sp->trace_id, 16);
		d->cost[d->n++] = 0;
	}
	if (sp->step != AC_STEP_LLM)
		return 0;
	char model[128];
	size_t n = sp->str[AC_F_MODEL].n < sizeof(model) - 1 ? sp->str[AC_F_MODEL].n : sizeof(model) - 1;
	memcpy(model, sp->str[AC_F_MODEL].p, n);
	model[n] = '\0';
	ac_cost_input in = { AC_STEP_LLM, model, NULL, sp->start_ns,
		             { sp->tok[AC_TOK_IN], sp->tok[AC_TOK_OUT], sp->tok[AC_TOK_CACHE_READ],
		               sp->tok[AC_TOK_CACHE_WRITE], sp->tok[AC_TOK_REASONING],
		               sp->tok[AC_TOK_CACHE_WRITE_1H], sp->tok[AC_TOK_AUDIO_IN],
		               sp->tok[AC_TOK_AUDIO_OUT], AC_CONV_AUTO },
		             0, 0, NULL, NULL, NULL, AC_TIER_STANDARD };
	double c;
	int src;
	ac_pricebook_cost(d->pb, &in, &c, &src);
	d->cost[k] += c;
	return 0;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Deciles as defined: k = max(1, floor(n / 10)) cheapest and dearest
 * production doc-agent tasks, recomputed here from the spans written. */
static void test_deciles(void **state)
{
	(void)state;
	static const int per_day[] = { 9, 200 }; /* k = 1, then k = n / 10 */
	for (size_t r = 0; r < sizeof(per_day) / sizeof(per_day[0]); r++) {
		ac_gen_opts o = small_opts();
		o.days = 1;
		o.tasks_per_day = per_day[r];
		ac_buf out = AC_BUF_INIT;
		ac_gen_truth *t = gen_into(&o, &out);
		doccost *d = calloc(1, sizeof(*d));
		ac_json j = AC_JSON_INIT;
		ac_err err = AC_ERR_INIT;
		assert_non_null(d);
		assert_int_equal(ac_pricebook_load(&d->pb, NULL, &err), 0);
		size_t off = 0;
		long long line = 0;
		while (off < out.len) {
			const char *nl = memchr(out.data + off, '\n', out.len - off);
			size_t len = (size_t)(nl - (out.data + off));
			int kind;
			assert_int_equal(ac_parse_record(&j, out.data + off, len, ++line, &kind, on_doc_span, d, &err), 0);
			off += len + 1;
		}
		assert_int_equal(d->n, t->doc_tasks);
		qsort(d->cost, (size_t)d->n, sizeof(double), cmp_dbl);
		int k = d->n / 10 ? d->n / 10 : 1;
		double lo = 0, hi = 0, all = 0;
		for (int i = 0; i < k; i++) {
			lo += d->cost[i];
			hi += d->cost[d->n - 1 - i];
		}
		for (int i = 0; i < d->n; i++)
			all += d->cost[i];
		assert_int_equal(t->doc_decile_k, k);
		assert_close(t->doc_bottom10_mean, lo / k, 1e-9, 0);
		assert_close(t->doc_top10_mean, hi / k, 1e-9, 0);
		assert_close(t->doc_tail_ratio, hi / lo, 1e-9, 0);
		assert_close(t->doc_mean, all / d->n, 1e-9, 0);
		ac_pricebook_free(d->pb);
		ac_json_release(&j);
		free(d);
		ac_gen_truth_free(t);
		ac_buf_release(&out);
	}
}

/* The defaults (7 days from Monday 2025-06-02, 500 tasks a day): the shape
 * the study describes. Generated without keeping the bytes. */
static int discard(const void *data, size_t len, void *payload)
{
	(void)data;
	*(size_t *)payload += len;
	return 0;
}

static void test_defaults_shape(void **state)
{
	(void)state;
	ac_gen_opts o = AC_GEN_OPTS_INIT;
	ac_gen_truth *t = NULL;
	ac_err err = AC_ERR_INIT;
	size_t n = 0;
	assert_int_equal(ac_gen_run(&o, discard, &n, &t, &err), 0);
	assert_int_equal(n, t->bytes_out);

	/* ~500 production tasks a day on average, weekends ~40% of a weekday */
	assert_true(t->tasks > 3300 && t->tasks < 3700);
	double wk = 0, we = 0;
	for (int d = 0; d < 5; d++)
		wk += (double)t->day_tasks[d] / 5;
	for (int d = 5; d < 7; d++)
		we += (double)t->day_tasks[d] / 2;
	assert_true(we / wk > 0.33 && we / wk < 0.47);

	/* 1 to 47 LLM calls per task; the runaway tasks hit the limit */
	assert_int_equal(t->min_llm_calls_per_task, 1);
	assert_int_equal(t->max_llm_calls_per_task, 47);
	assert_int_equal(t->incident_llm_calls, 47 * t->incident_tasks);

	/* the incident: 2 hours on the middle day (Thursday 2025-06-05) */
	assert_int_equal(t->incident_end_ns - t->incident_start_ns, 2 * 3600LL * 1000000000LL);
	assert_int_equal(t->incident_start_ns / (86400LL * 1000000000LL), AC_GEN_START_DEFAULT + 3);
	/* ~$340 at 12,000 a day, so ~$14 at 500 */
	assert_true(t->incident_cost > 10 && t->incident_cost < 20);

	/* every (type, complexity, model) scored at least 30 times */
	for (int i = 0; i < AC_GEN_NDOCTYPE; i++)
		for (int c = 0; c < AC_GEN_NCPLX; c++)
			for (int m = 0; m < AC_GEN_NEVALMODEL; m++) {
				assert_true(t->scored[i][c][m] >= 30);
				assert_true(t->correct[i][c][m] <= t->scored[i][c][m]);
			}
	/* a class where the cheap model is as good, one where it is not */
	assert_close(t->accuracy[0][0][0], t->accuracy[0][0][2], 0, 0.011);
	assert_true(t->accuracy[3][2][2] - t->accuracy[3][2][0] > 0.25);

	/* routing: one model per complexity, shares near 78/16/6 */
	long long nsub = t->subtasks[0] + t->subtasks[1] + t->subtasks[2];
	assert_close((double)t->subtasks[0] / (double)nsub, 0.78, 0, 0.03);
	assert_close((double)t->subtasks[1] / (double)nsub, 0.16, 0, 0.03);
	assert_close((double)t->subtasks[2] / (double)nsub, 0.06, 0, 0.02);
	for (int c = 0; c < AC_GEN_NCPLX; c++)
		for (int m = 0; m < AC_GEN_NEVALMODEL; m++)
			if (m != c)
				assert_int_equal(t->route_calls[c][m], 0);

	/* the published figures, loosely (sampling noise at this scale) */
	assert_true(t->doc_bottom10_mean > 0.002 && t->doc_bottom10_mean < 0.004);
	assert_true(t->doc_tail_ratio > 150 && t->doc_tail_ratio < 600);
	assert_true(t->doc_mean > 0.07 && t->doc_mean < 0.18);
	double fail = (double)t->tool_failed / (double)t->tool_calls;
	assert_true(fail > 0.025 && fail < 0.055);
	double apf = (double)t->attempts / (double)t->episodes;
	assert_true(apf > 2.6 && apf < 3.8);
	double eval = t->eval_cost / t->cost;
	assert_true(eval > 0.05 && eval < 0.11);
	double summ = t->summarize_cost / t->sys[AC_GEN_RESEARCH].cost;
	assert_true(summ > 0.13 && summ < 0.23);
	double rtok = (double)t->retry_tokens / (double)(t->tokens_in + t->tokens_out);
	assert_true(rtok > 0.13 && rtok < 0.33);
	ac_gen_truth_free(t);
}

/* The incident's size: proportional by default, as asked, or none. */
static void test_incident_size(void **state)
{
	(void)state;
	static const double usd[] = { -1, 0, 45 };
	for (size_t i = 0; i < sizeof(usd) / sizeof(usd[0]); i++) {
		ac_gen_opts o = small_opts();
		o.incident_usd = usd[i];
		size_t n = 0;
		ac_gen_truth *t = NULL;
		ac_err err = AC_ERR_INIT;
		assert_int_equal(ac_gen_run(&o, discard, &n, &t, &err), 0);
		double want = usd[i] < 0 ? 340.0 * o.tasks_per_day / 12000 : usd[i];
		if (want == 0) {
			assert_int_equal(t->incident_tasks, 0);
			assert_int_equal(t->incident_start_ns, 0);
			assert_true(t->incident_cost == 0);
		} else {
			/* whole runaway tasks of ~$2.08 each, at least one */
			assert_true(t->incident_tasks >= 1);
			assert_close(t->incident_cost, want, 0, 2.1);
			assert_int_equal(t->incident_llm_calls, 47 * t->incident_tasks);
			/* the middle day of two is the second */
			assert_int_equal(t->incident_start_ns / (86400LL * 1000000000LL), o.start_day + 1);
		}
		ac_gen_truth_free(t);
	}
}

/* Options out of range are refused before anything is written. */
static void test_options(void **state)
{
	(void)state;
	static const struct {
		int days, tasks, level;
		int64_t start;
		int format, container;
	} bad[] = {
		{ 0, 500, 3, AC_GEN_START_DEFAULT, 0, 0 },
		{ AC_GEN_MAX_DAYS + 1, 500, 3, AC_GEN_START_DEFAULT, 0, 0 },
		{ 7, 0, 3, AC_GEN_START_DEFAULT, 0, 0 },
		{ 7, AC_GEN_MAX_TASKS_PER_DAY + 1, 3, AC_GEN_START_DEFAULT, 0, 0 },
		{ 7, 500, 0, AC_GEN_START_DEFAULT, 0, 0 },
		{ 7, 500, 20, AC_GEN_START_DEFAULT, 0, 0 },
		{ 7, 500, 3, 0, 0, 0 },             /* 1970: span times before 2000 */
		{ 7, 500, 3, 47480, 0, 0 },         /* 2100 */
		{ 7, 500, 3, AC_GEN_START_DEFAULT, 5, 0 },
		{ 7, 500, 3, AC_GEN_START_DEFAULT, 0, 9 },
		{ 7, 500, 3, AC_GEN_START_DEFAULT, 0, 0 }, /* incident_usd NAN, below */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ac_gen_opts o = AC_GEN_OPTS_INIT;
		o.days = bad[i].days;
		o.tasks_per_day = bad[i].tasks;
		o.zstd_level = bad[i].level;
		o.start_day = bad[i].start;
		o.format = (ac_gen_format)bad[i].format;
		o.container = (ac_gen_container)bad[i].container;
		if (i == sizeof(bad) / sizeof(bad[0]) - 1)
			o.incident_usd = NAN;
		ac_err err = AC_ERR_INIT;
		size_t n = 0;
		ac_gen_truth *t = NULL;
		assert_int_equal(ac_gen_opts_check(&o, &err), AC_EINVAL);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(ac_gen_run(&o, discard, &n, &t, &err), AC_EINVAL);
		assert_int_equal(n, 0);
		assert_null(t);
	}
	/* the layout and the batch processor's settings */
	for (int i = 0; i < 5; i++) {
		ac_gen_opts o = AC_GEN_OPTS_INIT;
		if (i == 0)
			o.layout = (ac_gen_layout)7;
		else if (i < 3)
			o.batch_size = i == 1 ? 0 : AC_GEN_MAX_BATCH_SIZE + 1;
		else
			o.batch_timeout_ms = i == 3 ? -1 : AC_GEN_MAX_BATCH_TIMEOUT_MS + 1;
		ac_err err = AC_ERR_INIT;
		assert_int_equal(ac_gen_opts_check(&o, &err), AC_EINVAL);
		assert_non_null(strstr(err.msg, i == 0 ? "layout" : (i < 3 ? "--batch-size" : "--batch-timeout-ms")));
	}
	ac_gen_opts ok = AC_GEN_OPTS_INIT;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_gen_opts_check(&ok, &err), 0);
	assert_int_equal(ok.layout, AC_GEN_LAYOUT_COLLECTOR);
	assert_int_equal(ok.batch_size, 8192);   /* the batch processor's send_batch_size */
	assert_int_equal(ok.batch_timeout_ms, 200); /* and its timeout */
}

/* A refusing write callback stops the run with AC_EIO, at once. */
static int refuse(const void *data, size_t len, void *payload)
{
	(void)data;
	(void)len;
	++*(int *)payload;
	return -1;
}

static void test_write_error(void **state)
{
	(void)state;
	ac_gen_opts o = small_opts();
	for (int c = 0; c < 3; c++) {
		o.container = (ac_gen_container)c;
		int calls = 0;
		ac_gen_truth *t = NULL;
		ac_err err = AC_ERR_INIT;
		assert_int_equal(ac_gen_run(&o, refuse, &calls, &t, &err), AC_EIO);
		assert_null(t);
		assert_int_equal(calls, 1);
		assert_true(err.msg[0] != '\0');
	}
}

/* Names for the truth's indexes. */
static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ac_gen_system_name(AC_GEN_DOC), "doc-agent");
	assert_string_equal(ac_gen_system_name(AC_GEN_RESEARCH), "research-agent");
	assert_string_equal(ac_gen_system_name(AC_GEN_SUPPORT), "support-agent");
	assert_null(ac_gen_system_name(3));
	assert_string_equal(ac_gen_doc_type_name(0), "extraction");
	assert_string_equal(ac_gen_doc_type_name(3), "comparison");
	assert_null(ac_gen_doc_type_name(5));
	assert_string_equal(ac_gen_complexity_name(2), "complex");
	assert_string_equal(ac_gen_eval_model_name(0), "gpt-4o-mini");
	assert_string_equal(ac_gen_eval_model_name(2), "claude-3-5-sonnet");
	assert_null(ac_gen_eval_model_name(-1));
}

/* The truth's own prices and formula (ac_gen_dim_cost), one call of each
 * shape the price-dimension tasks make, worked out by hand (USD per million
 * tokens, so the sum is divided by 1e6). */
static void test_dim_cost(void **state)
{
	(void)state;
	int above = -1;
	/* claude-sonnet-4, first question of a long document: writes 249,800
	 * tokens, asks 500; prompt 250,300 > 200,000, so the prices above 200k:
	 * 500 x 6.00 + 249,800 x 7.50 + 1,000 x 22.50
	 * = 3,000 + 1,873,500 + 22,500 = 1,899,000 -> 1.899 */
	ac_gen_dim_call a = { "claude-sonnet-4-20250514", NULL, 250300, 1000, 0, 249800, 0, 0, 0, 0 };
	assert_close(ac_gen_dim_cost(&a, &above), 1.899, 1e-12, 0);
	assert_int_equal(above, 1);
	/* a later question reported as Anthropic's raw input (400 < cache
	 * 249,800 + 1,500): fresh = 400, prompt = 400 + 251,300 = 251,700:
	 * 400 x 6.00 + 249,800 x 0.60 + 1,500 x 7.50 + 800 x 22.50
	 * = 2,400 + 149,880 + 11,250 + 18,000 = 181,530 -> 0.18153 */
	ac_gen_dim_call b = { "claude-sonnet-4-20250514", NULL, 400, 800, 249800, 1500, 0, 0, 0, 1 };
	assert_close(ac_gen_dim_cost(&b, &above), 0.18153, 1e-12, 0);
	assert_int_equal(above, 1);
	/* the same call reported with the cache (input 400 + 251,300 = 251,700)
	 * costs the same */
	ac_gen_dim_call b2 = { "claude-sonnet-4-20250514", NULL, 251700, 800, 249800, 1500, 0, 0, 0, 0 };
	assert_close(ac_gen_dim_cost(&b2, &above), 0.18153, 1e-12, 0);
	assert_int_equal(above, 1);
	/* a 1-hour write within 200k: 120,300 in, all 120,000 written for an hour:
	 * 300 x 3.00 + 120,000 x 6.00 + 500 x 15.00 = 900 + 720,000 + 7,500
	 * = 728,400 -> 0.7284 */
	ac_gen_dim_call c = { "claude-sonnet-4-20250514", NULL, 120300, 500, 0, 120000, 120000, 0, 0, 0 };
	assert_close(ac_gen_dim_cost(&c, &above), 0.7284, 1e-12, 0);
	assert_int_equal(above, 0);
	/* a voice turn: 900 text + 700 audio in, 100 text + 400 audio out:
	 * 900 x 0.15 + 700 x 10.00 + 100 x 0.60 + 400 x 20.00
	 * = 135 + 7,000 + 60 + 8,000 = 15,195 -> 0.015195 */
	ac_gen_dim_call d = { "gpt-4o-mini-audio-preview", NULL, 1600, 500, 0, 0, 0, 700, 400, 0 };
	assert_close(ac_gen_dim_cost(&d, &above), 0.015195, 1e-12, 0);
	/* gpt-5-mini at flex, 3,968 of 5,000 cached:
	 * 1,032 x 0.125 + 3,968 x 0.0125 + 600 x 1.00 = 129 + 49.6 + 600
	 * = 778.6 -> 0.0007786 */
	ac_gen_dim_call e = { "gpt-5-mini", "flex", 5000, 600, 3968, 0, 0, 0, 0, 0 };
	assert_close(ac_gen_dim_cost(&e, &above), 0.0007786, 1e-12, 0);
	/* gpt-4o at priority, 1,024 cached of 2,000:
	 * 976 x 4.25 + 1,024 x 2.125 + 300 x 17.00 = 4,148 + 2,176 + 5,100
	 * = 11,424 -> 0.011424; the same through the gateway ("provisioned",
	 * standard): 976 x 2.50 + 1,024 x 1.25 + 300 x 10.00
	 * = 2,440 + 1,280 + 3,000 = 6,720 -> 0.00672 */
	ac_gen_dim_call f = { "gpt-4o", "priority", 2000, 300, 1024, 0, 0, 0, 0, 0 };
	assert_close(ac_gen_dim_cost(&f, &above), 0.011424, 1e-12, 0);
	f.tier = "provisioned";
	assert_close(ac_gen_dim_cost(&f, &above), 0.00672, 1e-12, 0);
	f.tier = "default";
	assert_close(ac_gen_dim_cost(&f, &above), 0.00672, 1e-12, 0);
	/* gpt-4o-mini at batch: 10,000 x 0.075 + 500 x 0.30 = 750 + 150
	 * = 900 -> 0.0009 */
	ac_gen_dim_call g = { "gpt-4o-mini", "batch", 10000, 500, 0, 0, 0, 0, 0, 0 };
	assert_close(ac_gen_dim_cost(&g, &above), 0.0009, 1e-12, 0);
	ac_gen_dim_call h = { "gpt-4.1", NULL, 1000, 100, 0, 0, 0, 0, 0, 0 };
	assert_true(isnan(ac_gen_dim_cost(&h, &above)));
}

/* With --price-dimensions: the truth's counts against the output, walked
 * here (service tier values, audio and 1-hour tokens on the spans), and its
 * total is the plain workload's plus the new tasks. */
static long long count_int_attr(const char *text, const char *key)
{
	long long sum = 0;
	char pat[128];
	snprintf(pat, sizeof(pat), "{\"key\":\"%s\",\"value\":{\"intValue\":\"", key);
	for (const char *p = strstr(text, pat); p; p = strstr(p + 1, pat))
		sum += atoll(p + strlen(pat));
	return sum;
}

static long long count_str(const char *text, const char *s)
{
	long long n = 0;
	for (const char *p = strstr(text, s); p; p = strstr(p + 1, s))
		n++;
	return n;
}

static void test_price_dimensions(void **state)
{
	(void)state;
	ac_gen_opts o = small_opts();
	ac_buf plain = AC_BUF_INIT, dims = AC_BUF_INIT;
	ac_gen_truth *t0 = NULL, *t1 = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_gen_run(&o, to_buf, &plain, &t0, &err), 0);
	o.price_dimensions = 1;
	assert_int_equal(ac_gen_run(&o, to_buf, &dims, &t1, &err), 0);
	ac_buf_add(&dims, "", 1);
	const char *text = dims.data;
	const ac_gen_dims_truth *d = &t1->dims;
	assert_true(d->tasks >= 8 && d->llm_calls > d->tasks);
	for (int i = 0; i < 4; i++) /* default, flex, priority, batch */
		assert_true(d->tier_calls[i] > 0);
	assert_true(d->above_threshold_calls > 0 && d->input_excludes_cache_calls > 0);
	assert_int_equal(t1->tasks, t0->tasks + d->tasks);
	assert_int_equal(t1->llm_calls, t0->llm_calls + d->llm_calls);
	assert_close(t1->cost, t0->cost + d->cost, 1e-12, 0);
	assert_int_equal(d->cache_write_1h_tokens, count_int_attr(text, "agentcost.usage.cache_write_1h_tokens"));
	assert_int_equal(d->cache_write_tokens, count_int_attr(text, "gen_ai.usage.cache_creation.input_tokens"));
	assert_int_equal(d->audio_in_tokens, count_int_attr(text, "llm.token_count.prompt_details.audio"));
	assert_int_equal(d->audio_out_tokens, count_int_attr(text, "llm.token_count.completion_details.audio"));
	/* batch is stated by agentcost.service_tier, provisioned too; flex and
	 * default by the response (current or deprecated GenAI name) */
	assert_int_equal(d->tier_calls[3], count_str(text, "\"agentcost.service_tier\",\"value\":{\"stringValue\":\"batch\""));
	assert_int_equal(d->tier_calls[4],
	                 count_str(text, "\"agentcost.service_tier\",\"value\":{\"stringValue\":\"provisioned\""));
	assert_int_equal(d->tier_calls[1], count_str(text, "response.service_tier\",\"value\":{\"stringValue\":\"flex\""));
	assert_int_equal(d->tier_calls[2],
	                 count_str(text, "response.service_tier\",\"value\":{\"stringValue\":\"priority\""));
	assert_int_equal(d->tier_calls[0],
	                 count_str(text, "response.service_tier\",\"value\":{\"stringValue\":\"default\""));
	assert_int_equal(d->unknown_tier_calls, d->tier_calls[4]);
	assert_int_equal(d->tier_fallback_calls, 0);
	ac_buf sj = AC_BUF_INIT;
	ac_gen_truth_json(t1, &sj);
	ac_buf_add(&sj, "", 1);
	assert_non_null(strstr(sj.data, ",\"price_dimensions\":{\"tasks\":"));
	ac_buf_release(&sj);
	ac_buf_release(&plain);
	ac_buf_release(&dims);
	ac_gen_truth_free(t0);
	ac_gen_truth_free(t1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_otlp_counts),
		cmocka_unit_test(test_parser_agrees),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_zstd_containers),
		cmocka_unit_test(test_truth_json),
		cmocka_unit_test(test_deciles),
		cmocka_unit_test(test_defaults_shape),
		cmocka_unit_test(test_incident_size),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_dim_cost),
		cmocka_unit_test(test_price_dimensions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
