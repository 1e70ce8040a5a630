/*
 * Unit tests of the attribute table (src/ingest/attrmap.c) for the names of
 * Sentry's AI agent conventions, pydantic-ai / Logfire usage details
 * (gen_ai.usage.details.*), the Vercel AI SDK's ai.* telemetry and
 * OpenInference's cost parts: each name maps to its field at the precedence
 * the table gives it, the precedence holds in both orders of arrival, the
 * Vercel ai.operationId decides the step kind (the do* provider calls are LLM
 * calls, the functions around them chains, ai.toolCall a tool), and producer
 * cost parts add up. Spans are built with ac_attr_apply directly (the parsers
 * hand every attribute to it; test_otlp.c covers the parsers).
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

#include "ingest/attrmap.h"
#include "pricing/pricing.h"

static void assert_close_at(double a, double b, double tol, const char *what, const char *file,
                            int line)
{
	if (fabs(a - b) <= tol)
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}
#define assert_close(a, b) assert_close_at((a), (b), 1e-12, #a, __FILE__, __LINE__)

static ac_value num(const char *text)
{
	ac_value v;
	memset(&v, 0, sizeof(v));
	v.kind = AC_V_INT;
	v.s.p = text;
	v.s.n = strlen(text);
	v.i = strtoll(text, NULL, 10);
	v.d = (double)v.i;
	v.int_ok = 1;
	return v;
}

static ac_value dbl(const char *text)
{
	ac_value v;
	memset(&v, 0, sizeof(v));
	v.kind = AC_V_DBL;
	v.s.p = text;
	v.s.n = strlen(text);
	v.d = strtod(text, NULL);
	return v;
}

static ac_value str(const char *text)
{
	ac_value v;
	memset(&v, 0, sizeof(v));
	v.kind = AC_V_STR;
	v.s.p = text;
	v.s.n = strlen(text);
	return v;
}

static void put(ac_span *sp, const char *key, ac_value v)
{
	ac_attr_apply(sp, key, strlen(key), &v, 0);
}

static int str_is(ac_str s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

/* Every new name: its field and precedence (the table, written out again
 * here from the README's attribute conventions). */
static const struct {
	const char *key;
	int field, prio;
} NEW[] = {
	{ "ai.response.model", AC_F_MODEL, 7 },
	{ "ai.model.id", AC_F_MODEL, 8 },
	{ "ai.model.provider", AC_F_PROVIDER, 5 },
	{ "ai.usage.inputTokens", AC_F_TOK_IN, 4 },
	{ "ai.usage.promptTokens", AC_F_TOK_IN, 5 },
	{ "ai.usage.tokens", AC_F_TOK_IN, 6 },
	{ "ai.usage.outputTokens", AC_F_TOK_OUT, 4 },
	{ "ai.usage.completionTokens", AC_F_TOK_OUT, 5 },
	{ "gen_ai.usage.input_tokens.cached", AC_F_TOK_CACHE_READ, 4 },
	{ "gen_ai.usage.details.cache_read_tokens", AC_F_TOK_CACHE_READ, 5 },
	{ "gen_ai.usage.details.cache_read_input_tokens", AC_F_TOK_CACHE_READ, 6 },
	{ "gen_ai.usage.details.cached_content_tokens", AC_F_TOK_CACHE_READ, 7 },
	{ "ai.usage.cachedInputTokens", AC_F_TOK_CACHE_READ, 8 },
	{ "gen_ai.usage.input_tokens.cache_write", AC_F_TOK_CACHE_WRITE, 5 },
	{ "gen_ai.usage.details.cache_write_tokens", AC_F_TOK_CACHE_WRITE, 6 },
	{ "gen_ai.usage.details.cache_creation_input_tokens", AC_F_TOK_CACHE_WRITE, 7 },
	{ "gen_ai.usage.output_tokens.reasoning", AC_F_TOK_REASONING, 5 },
	{ "gen_ai.usage.details.reasoning_tokens", AC_F_TOK_REASONING, 6 },
	{ "gen_ai.usage.details.thoughts_tokens", AC_F_TOK_REASONING, 7 },
	{ "ai.usage.reasoningTokens", AC_F_TOK_REASONING, 8 },
	{ "ai.operationId", AC_F_VERCEL_OP, 1 },
	{ "ai.toolCall.name", AC_F_TOOL, 3 },
	{ "llm.cost.prompt", AC_F_PCOST_PART, 1 },
	{ "llm.cost.completion", AC_F_PCOST_PART, 1 },
	{ "llm.cost.total", AC_F_PCOST_TOTAL, 1 },
};
#define NNEW (sizeof(NEW) / sizeof(NEW[0]))

static void test_lookup(void **state)
{
	(void)state;
	for (size_t k = 0; k < NNEW; k++) {
		int prio = -1;
		int f = ac_attr_lookup(NEW[k].key, strlen(NEW[k].key), &prio);
		if (f != NEW[k].field || prio != NEW[k].prio) {
			print_error("%s: field %d prio %d, expected %d %d\n", NEW[k].key, f, prio,
			            NEW[k].field, NEW[k].prio);
			fail();
		}
	}
	/* near misses are not mapped: a prefix, a longer name, another case,
	 * the breakdown of llm.cost.prompt (it would count the prompt twice),
	 * names outside the early out's 9..48 bytes */
	static const char *const miss[] = { "ai.model", "ai.model.idx", "AI.MODEL.ID",
		                            "llm.cost.prompt_details.cache_read",
		                            "gen_ai.usage.details.", "ai.usage.totalTokens",
		                            "gen_ai.usage.details.cache_creation_input_tokensX", NULL };
	for (const char *const *m = miss; *m; m++) {
		int prio;
		if (ac_attr_lookup(*m, strlen(*m), &prio) != AC_F_NONE) {
			print_error("%s: mapped\n", *m);
			fail();
		}
	}
}

/* Two names of one field in both orders: the lower precedence number wins,
 * with its value. Each name of NEW against every other of the same field
 * (the older names of the field included through a few fixed rivals). */
static void test_precedence(void **state)
{
	(void)state;
	static const struct {
		const char *key;
		int field, prio;
	} OLD[] = {
		{ "gen_ai.response.model", AC_F_MODEL, 1 },
		{ "embedding.model_name", AC_F_MODEL, 6 },
		{ "llm.system", AC_F_PROVIDER, 4 },
		{ "gen_ai.usage.input_tokens", AC_F_TOK_IN, 1 },
		{ "llm.token_count.prompt", AC_F_TOK_IN, 3 },
		{ "gen_ai.usage.output_tokens", AC_F_TOK_OUT, 1 },
		{ "llm.token_count.completion", AC_F_TOK_OUT, 3 },
		{ "llm.token_count.prompt_details.cache_read", AC_F_TOK_CACHE_READ, 3 },
		{ "llm.token_count.prompt_details.cache_write", AC_F_TOK_CACHE_WRITE, 4 },
		{ "llm.usage.reasoning_tokens", AC_F_TOK_REASONING, 4 },
		{ "tool.name", AC_F_TOOL, 2 },
	};
	struct cand {
		const char *key;
		int field, prio;
	} all[NNEW + sizeof(OLD) / sizeof(OLD[0])];
	size_t n = 0;
	for (size_t k = 0; k < NNEW; k++)
		all[n++] = (struct cand){ NEW[k].key, NEW[k].field, NEW[k].prio };
	for (size_t k = 0; k < sizeof(OLD) / sizeof(OLD[0]); k++)
		all[n++] = (struct cand){ OLD[k].key, OLD[k].field, OLD[k].prio };
	int pairs = 0;
	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			if (a == b || all[a].field != all[b].field || all[a].prio >= all[b].prio)
				continue;
			int f = all[a].field;
			if (f == AC_F_PCOST_PART || f == AC_F_PCOST_TOTAL || f == AC_F_VERCEL_OP)
				continue;
			int is_tok = f >= AC_F_TOK_IN && f <= AC_F_TOK_REASONING;
			for (int order = 0; order < 2; order++) {
				ac_span sp;
				ac_span_reset(&sp);
				/* a wins with value "11" (or "win"), b has "22" ("lose") */
				ac_value va = is_tok ? num("11") : str("win");
				ac_value vb = is_tok ? num("22") : str("lose");
				if (order == 0) {
					put(&sp, all[a].key, va);
					put(&sp, all[b].key, vb);
				} else {
					put(&sp, all[b].key, vb);
					put(&sp, all[a].key, va);
				}
				assert_string_equal(sp.err, "");
				int ok = is_tok ? sp.tok[f - AC_F_TOK_IN] == 11 : str_is(sp.str[f], "win");
				if (!ok) {
					print_error("%s should beat %s (order %d)\n", all[a].key, all[b].key,
					            order);
					fail();
				}
				pairs++;
			}
		}
	}
	assert_true(pairs > 40);
}

/* A Vercel inner call with both its own and the gen_ai names (what the SDK
 * writes on doGenerate), and the values each field ends with. */
static void test_vercel_call(void **state)
{
	(void)state;
	ac_span sp;
	ac_span_reset(&sp);
	put(&sp, "ai.operationId", str("ai.streamText.doStream"));
	put(&sp, "ai.model.id", str("gpt-4o-mini"));
	put(&sp, "ai.response.model", str("gpt-4o-mini-2024-07-18"));
	put(&sp, "ai.model.provider", str("openai.responses"));
	put(&sp, "ai.usage.inputTokens", num("15"));
	put(&sp, "ai.usage.outputTokens", num("112"));
	put(&sp, "ai.usage.cachedInputTokens", num("4"));
	put(&sp, "ai.usage.reasoningTokens", num("7"));
	ac_span_finish(&sp);
	assert_int_equal(sp.step, AC_STEP_LLM);
	assert_true(str_is(sp.str[AC_F_MODEL], "gpt-4o-mini-2024-07-18"));
	assert_true(str_is(sp.str[AC_F_PROVIDER], "openai.responses"));
	assert_int_equal(sp.tok[AC_TOK_IN], 15);
	assert_int_equal(sp.tok[AC_TOK_OUT], 112);
	assert_int_equal(sp.tok[AC_TOK_CACHE_READ], 4);
	assert_int_equal(sp.tok[AC_TOK_REASONING], 7);
	assert_int_equal(sp.tok_mask, 1u | 2u | 4u | 16u);
	/* the gen_ai names on the same span win */
	put(&sp, "gen_ai.usage.input_tokens", num("16"));
	put(&sp, "gen_ai.request.model", str("gpt-4o"));
	assert_int_equal(sp.tok[AC_TOK_IN], 16);
	assert_true(str_is(sp.str[AC_F_MODEL], "gpt-4o"));
	/* an absurd Vercel count rejects the span like any other */
	ac_span_reset(&sp);
	put(&sp, "ai.usage.promptTokens", num("100000001"));
	assert_non_null(strstr(sp.err, "ai.usage.promptTokens: token count is absurd"));
	ac_span_reset(&sp);
	put(&sp, "gen_ai.usage.details.cache_read_tokens", num("-1"));
	assert_non_null(strstr(sp.err, "token count is negative"));
}

static int step_of(const char *op, const char *oi_kind, int with_model)
{
	ac_span sp;
	ac_span_reset(&sp);
	if (op)
		put(&sp, "ai.operationId", str(op));
	if (oi_kind)
		put(&sp, "openinference.span.kind", str(oi_kind));
	if (with_model) {
		put(&sp, "ai.model.id", str("gpt-4o-mini"));
		put(&sp, "ai.usage.promptTokens", num("10"));
		put(&sp, "ai.usage.completionTokens", num("5"));
	}
	ac_span_finish(&sp);
	return sp.step;
}

static void test_vercel_steps(void **state)
{
	(void)state;
	static const char *const calls[] = { "ai.generateText.doGenerate", "ai.streamText.doStream",
		                             "ai.generateObject.doGenerate", "ai.streamObject.doStream",
		                             "ai.embed.doEmbed", "ai.embedMany.doEmbed", NULL };
	static const char *const outer[] = { "ai.generateText", "ai.streamText", "ai.generateObject",
		                             "ai.streamObject", "ai.embed", "ai.embedMany", NULL };
	for (const char *const *p = calls; *p; p++) {
		assert_int_equal(step_of(*p, NULL, 1), AC_STEP_LLM);
		assert_int_equal(step_of(*p, NULL, 0), AC_STEP_LLM); /* the op alone says so */
	}
	for (const char *const *p = outer; *p; p++) {
		/* a model and totals do not make it a call */
		assert_int_equal(step_of(*p, NULL, 1), AC_STEP_CHAIN);
		/* nor does OpenInference's LLM kind (openinference-vercel marks both) */
		assert_int_equal(step_of(*p, "LLM", 1), AC_STEP_CHAIN);
	}
	assert_int_equal(step_of("ai.toolCall", NULL, 0), AC_STEP_TOOL);
	/* unknown operations fall through to the other signals */
	assert_int_equal(step_of("ai.somethingNew", NULL, 1), AC_STEP_LLM);
	assert_int_equal(step_of("ai.somethingNew", NULL, 0), AC_STEP_OTHER);
	assert_int_equal(step_of("ai.somethingNew", "AGENT", 1), AC_STEP_AGENT);

	/* the tool's name */
	ac_span sp;
	ac_span_reset(&sp);
	sp.name.p = "ai.toolCall";
	sp.name.n = strlen(sp.name.p);
	put(&sp, "ai.operationId", str("ai.toolCall"));
	put(&sp, "ai.toolCall.name", str("weather"));
	ac_span_finish(&sp);
	assert_int_equal(sp.step, AC_STEP_TOOL);
	assert_true(str_is(sp.str[AC_F_TOOL], "weather"));
}

/* Sentry and pydantic-ai details on one call: cache read, cache write and
 * reasoning filled, the OpenTelemetry names winning where both are given. */
static void test_sentry_pydantic(void **state)
{
	(void)state;
	ac_span sp;
	ac_span_reset(&sp);
	put(&sp, "gen_ai.usage.input_tokens", num("1000"));
	put(&sp, "gen_ai.usage.output_tokens", num("300"));
	put(&sp, "gen_ai.usage.input_tokens.cached", num("400"));
	put(&sp, "gen_ai.usage.input_tokens.cache_write", num("100"));
	put(&sp, "gen_ai.usage.output_tokens.reasoning", num("50"));
	assert_int_equal(sp.tok[AC_TOK_CACHE_READ], 400);
	assert_int_equal(sp.tok[AC_TOK_CACHE_WRITE], 100);
	assert_int_equal(sp.tok[AC_TOK_REASONING], 50);

	ac_span_reset(&sp);
	put(&sp, "gen_ai.usage.details.reasoning_tokens", num("30"));
	put(&sp, "gen_ai.usage.details.cache_write_tokens", num("10"));
	put(&sp, "gen_ai.usage.details.cache_read_tokens", num("20"));
	put(&sp, "gen_ai.usage.details.input_audio_tokens", num("99")); /* not a kind we price */
	assert_int_equal(sp.tok[AC_TOK_CACHE_READ], 20);
	assert_int_equal(sp.tok[AC_TOK_CACHE_WRITE], 10);
	assert_int_equal(sp.tok[AC_TOK_REASONING], 30);
	assert_int_equal(sp.tok_mask, 4u | 8u | 16u);
	/* pydantic-ai writes the GenAI cache names beside its details: those win */
	put(&sp, "gen_ai.usage.cache_read.input_tokens", num("21"));
	put(&sp, "gen_ai.usage.cache_creation.input_tokens", num("11"));
	assert_int_equal(sp.tok[AC_TOK_CACHE_READ], 21);
	assert_int_equal(sp.tok[AC_TOK_CACHE_WRITE], 11);
}

/* OpenInference's cost parts add up; llm.cost.total wins over them. */
static void test_cost_parts(void **state)
{
	(void)state;
	ac_span sp;
	ac_span_reset(&sp);
	put(&sp, "llm.cost.prompt", dbl("0.0075"));
	put(&sp, "llm.cost.completion", dbl("0.006"));
	ac_span_finish(&sp);
	assert_true(sp.num_mask & 2);
	assert_close(sp.pcost_total, 0.0135);

	ac_span_reset(&sp);
	put(&sp, "llm.cost.prompt", dbl("0.0075"));
	put(&sp, "llm.cost.total", dbl("0.02"));
	put(&sp, "llm.cost.completion", dbl("0.006"));
	ac_span_finish(&sp);
	assert_close(sp.pcost_total, 0.02);

	ac_span_reset(&sp);
	put(&sp, "llm.cost.completion", dbl("-0.5"));
	assert_non_null(strstr(sp.err, "cost is negative"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),       cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_vercel_call),  cmocka_unit_test(test_vercel_steps),
		cmocka_unit_test(test_sentry_pydantic), cmocka_unit_test(test_cost_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
