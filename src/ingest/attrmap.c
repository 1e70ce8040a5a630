/*
 * Attribute mapping table. Every attribute name agentcost understands is one
 * row below: the field it fills and its precedence among names for the same
 * field (1 wins over 2, ...). Sources, per convention:
 *   OpenTelemetry GenAI semantic conventions (current and deprecated names),
 *   OpenInference (Arize), OpenLLMetry (Traceloop), Sentry's AI agent
 *   conventions, pydantic-ai / Logfire usage details, the Vercel AI SDK's
 *   ai.* telemetry, any-agent's cost attributes, and agentcost's own
 *   agentcost.* attributes.
 * Precedence among conventions for one field: the OpenTelemetry GenAI names
 * first (the standard, and what most producers write beside their own),
 * then OpenInference, OpenLLMetry, Sentry, pydantic-ai details, and the
 * Vercel AI SDK's ai.* names last (its inner call spans carry the gen_ai.*
 * names too). Every name is 7..48 bytes long (ac_attr_lookup's early out;
 * build() aborts on a longer or shorter one).
 * See ../shared/reference/FORMATS.md sections c-f.
 */
#include "attrmap.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pricing/pricing.h"
#include "../util/hash.h"

static const struct {
	const char *key;
	unsigned char field;
	unsigned char prio;
} MAP[] = {
	/* model: response beats request; GenAI beats OpenInference */
	{ "gen_ai.response.model", AC_F_MODEL, 1 },
	{ "gen_ai.request.model", AC_F_MODEL, 2 },
	{ "llm.response.model_name", AC_F_MODEL, 3 },
	{ "llm.model_name", AC_F_MODEL, 4 },
	{ "llm.request.model_name", AC_F_MODEL, 5 },
	{ "embedding.model_name", AC_F_MODEL, 6 },
	{ "ai.response.model", AC_F_MODEL, 7 }, /* Vercel AI SDK: the model that answered */
	{ "ai.model.id", AC_F_MODEL, 8 },       /* Vercel AI SDK: the model asked */
	/* provider */
	{ "gen_ai.provider.name", AC_F_PROVIDER, 1 },
	{ "gen_ai.system", AC_F_PROVIDER, 2 },
	{ "llm.provider", AC_F_PROVIDER, 3 },
	{ "llm.system", AC_F_PROVIDER, 4 },
	{ "ai.model.provider", AC_F_PROVIDER, 5 }, /* Vercel: "openai.responses", ... */
	/* input tokens: include cache read and cache write */
	{ "gen_ai.usage.input_tokens", AC_F_TOK_IN, 1 },
	{ "gen_ai.usage.prompt_tokens", AC_F_TOK_IN, 2 },
	{ "llm.token_count.prompt", AC_F_TOK_IN, 3 },
	{ "ai.usage.inputTokens", AC_F_TOK_IN, 4 },  /* Vercel AI SDK >= 5 */
	{ "ai.usage.promptTokens", AC_F_TOK_IN, 5 }, /* Vercel AI SDK < 5 */
	{ "ai.usage.tokens", AC_F_TOK_IN, 6 },       /* Vercel embed / embedMany: input only */
	/* output tokens: include reasoning */
	{ "gen_ai.usage.output_tokens", AC_F_TOK_OUT, 1 },
	{ "gen_ai.usage.completion_tokens", AC_F_TOK_OUT, 2 },
	{ "llm.token_count.completion", AC_F_TOK_OUT, 3 },
	{ "ai.usage.outputTokens", AC_F_TOK_OUT, 4 },     /* Vercel AI SDK >= 5 */
	{ "ai.usage.completionTokens", AC_F_TOK_OUT, 5 }, /* Vercel AI SDK < 5 */
	/* cache read */
	{ "gen_ai.usage.cache_read.input_tokens", AC_F_TOK_CACHE_READ, 1 },
	{ "gen_ai.usage.cache_read_input_tokens", AC_F_TOK_CACHE_READ, 2 },
	{ "llm.token_count.prompt_details.cache_read", AC_F_TOK_CACHE_READ, 3 },
	{ "gen_ai.usage.input_tokens.cached", AC_F_TOK_CACHE_READ, 4 },        /* Sentry */
	{ "gen_ai.usage.details.cache_read_tokens", AC_F_TOK_CACHE_READ, 5 },  /* pydantic-ai */
	{ "gen_ai.usage.details.cache_read_input_tokens", AC_F_TOK_CACHE_READ, 6 }, /* pydantic-ai, Anthropic's key */
	{ "gen_ai.usage.details.cached_content_tokens", AC_F_TOK_CACHE_READ, 7 },   /* pydantic-ai, Gemini's key */
	{ "ai.usage.cachedInputTokens", AC_F_TOK_CACHE_READ, 8 }, /* Vercel AI SDK >= 5 */
	/* cache write (renamed from cache_creation in semantic-conventions-genai) */
	{ "gen_ai.usage.cache_creation.input_tokens", AC_F_TOK_CACHE_WRITE, 1 },
	{ "gen_ai.usage.cache_write.input_tokens", AC_F_TOK_CACHE_WRITE, 2 },
	{ "gen_ai.usage.cache_creation_input_tokens", AC_F_TOK_CACHE_WRITE, 3 },
	{ "llm.token_count.prompt_details.cache_write", AC_F_TOK_CACHE_WRITE, 4 },
	{ "gen_ai.usage.input_tokens.cache_write", AC_F_TOK_CACHE_WRITE, 5 },       /* Sentry */
	{ "gen_ai.usage.details.cache_write_tokens", AC_F_TOK_CACHE_WRITE, 6 },     /* pydantic-ai */
	{ "gen_ai.usage.details.cache_creation_input_tokens", AC_F_TOK_CACHE_WRITE, 7 }, /* pydantic-ai, Anthropic's key */
	/* reasoning */
	{ "gen_ai.usage.reasoning.output_tokens", AC_F_TOK_REASONING, 1 },
	{ "llm.token_count.completion_details.reasoning", AC_F_TOK_REASONING, 2 },
	{ "gen_ai.usage.reasoning_tokens", AC_F_TOK_REASONING, 3 }, /* OpenLLMetry >= 0.5 */
	{ "llm.usage.reasoning_tokens", AC_F_TOK_REASONING, 4 },    /* OpenLLMetry < 0.5 */
	{ "gen_ai.usage.output_tokens.reasoning", AC_F_TOK_REASONING, 5 },  /* Sentry */
	{ "gen_ai.usage.details.reasoning_tokens", AC_F_TOK_REASONING, 6 }, /* pydantic-ai, OpenAI's key */
	{ "gen_ai.usage.details.thoughts_tokens", AC_F_TOK_REASONING, 7 },  /* pydantic-ai, Gemini's key */
	{ "ai.usage.reasoningTokens", AC_F_TOK_REASONING, 8 }, /* Vercel AI SDK >= 5 */
	/* 1-hour cache writes (part of the cache writes; Anthropic's
	 * usage.cache_creation.ephemeral_1h_input_tokens) */
	{ "agentcost.usage.cache_write_1h_tokens", AC_F_TOK_CACHE_WRITE_1H, 1 },
	/* audio tokens: part of input / output (OpenAI's usage, OpenInference) */
	{ "llm.token_count.prompt_details.audio", AC_F_TOK_AUDIO_IN, 2 },
	{ "gen_ai.usage.input_tokens.audio", AC_F_TOK_AUDIO_IN, 1 }, /* Sentry-style GenAI */
	{ "llm.token_count.completion_details.audio", AC_F_TOK_AUDIO_OUT, 2 },
	/* service tier: an explicit statement wins, then the tier served, then
	 * the tier asked for */
	{ "agentcost.service_tier", AC_F_SERVICE_TIER, 1 },
	{ "openai.response.service_tier", AC_F_SERVICE_TIER, 2 },
	{ "gen_ai.openai.response.service_tier", AC_F_SERVICE_TIER, 3 }, /* deprecated name */
	{ "openai.request.service_tier", AC_F_SERVICE_TIER, 4 },
	{ "gen_ai.openai.request.service_tier", AC_F_SERVICE_TIER, 5 },  /* deprecated name */
	/* step kind signals */
	{ "gen_ai.operation.name", AC_F_OPERATION, 1 },
	{ "llm.request.type", AC_F_OPERATION, 2 }, /* OpenLLMetry < 0.5 */
	{ "openinference.span.kind", AC_F_OI_KIND, 1 },
	{ "traceloop.span.kind", AC_F_TL_KIND, 1 },
	{ "ai.operationId", AC_F_VERCEL_OP, 1 }, /* Vercel AI SDK: ai.generateText.doGenerate, ... */
	/* tools */
	{ "gen_ai.tool.name", AC_F_TOOL, 1 },
	{ "tool.name", AC_F_TOOL, 2 },
	{ "ai.toolCall.name", AC_F_TOOL, 3 }, /* Vercel AI SDK */
	/* status detail */
	{ "error.type", AC_F_ERROR_TYPE, 1 },
	/* resource */
	{ "service.name", AC_F_SERVICE, 1 },
	/* instrumentation scope, for exporters without OTLP's scope (OTel spec) */
	{ "otel.scope.name", AC_F_SCOPE, 2 },
	{ "otel.library.name", AC_F_SCOPE, 3 }, /* deprecated name */
	{ "deployment.environment.name", AC_F_ENV, 1 },
	{ "deployment.environment", AC_F_ENV, 2 },
	/* agentcost's own */
	{ "agentcost.task.id", AC_F_TASK_ID, 1 },
	{ "agentcost.task.type", AC_F_TASK_TYPE, 1 },
	{ "agentcost.complexity", AC_F_COMPLEXITY, 1 },
	{ "agentcost.purpose", AC_F_PURPOSE, 1 },
	{ "agentcost.eval.score", AC_F_EVAL_SCORE, 1 },
	/* agent name (task type fallback) */
	{ "gen_ai.agent.name", AC_F_AGENT_NAME, 1 },
	{ "agent.name", AC_F_AGENT_NAME, 2 },
	/* who: the dimensions user and session of issue #17, in its order */
	{ "user.id", AC_F_USER, 1 },
	{ "enduser.id", AC_F_USER, 2 },
	{ "langfuse.user.id", AC_F_USER, 3 },
	{ "user_id", AC_F_USER, 4 },
	{ "session.id", AC_F_SESSION, 1 },
	{ "gen_ai.conversation.id", AC_F_SESSION, 2 },
	{ "langfuse.session.id", AC_F_SESSION, 3 },
	{ "session_id", AC_F_SESSION, 4 },
	/* cost the producer computed: kept for reconciliation */
	{ "llm.cost.total", AC_F_PCOST_TOTAL, 1 },
	{ "gen_ai.usage.cost", AC_F_PCOST_TOTAL, 2 },
	{ "gen_ai.usage.input_cost", AC_F_PCOST_PART, 1 },  /* any-agent */
	{ "gen_ai.usage.output_cost", AC_F_PCOST_PART, 1 }, /* any-agent */
	/* OpenInference's parts; not llm.cost.prompt_details.*, which split
	 * llm.cost.prompt itself and would count it twice */
	{ "llm.cost.prompt", AC_F_PCOST_PART, 1 },
	{ "llm.cost.completion", AC_F_PCOST_PART, 1 },
};

#define NMAP (sizeof(MAP) / sizeof(MAP[0]))
#define SLOTS 256 /* power of two, > 2 * NMAP */
_Static_assert(SLOTS > 2 * NMAP, "attribute table too large for its hash slots");

static short slot_of[SLOTS]; /* index into MAP + 1, 0 = empty */
static unsigned char key_len[NMAP];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* A name's slot hash: its first and last 8 bytes and its length, one
 * multiply (a full hash of every attribute name of every span cost more than
 * the lookup); a 7-byte name (user.id) is its 7 bytes twice. */
static uint64_t key_hash(const char *k, size_t n)
{
	uint64_t a = 0, b;
	if (n >= 8) {
		memcpy(&a, k, 8);
		memcpy(&b, k + n - 8, 8);
	} else {
		memcpy(&a, k, n);
		b = a;
	}
	uint64_t x = (a * 0x9e3779b97f4a7c15ULL) ^ b ^ n;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

static void build(void)
{
	for (size_t k = 0; k < NMAP; k++) {
		key_len[k] = (unsigned char)strlen(MAP[k].key);
		if (key_len[k] < 7 || key_len[k] > 48)
			abort(); /* a name ac_attr_lookup's early out would never find */
		uint64_t h = key_hash(MAP[k].key, key_len[k]);
		size_t s = h & (SLOTS - 1);
		while (slot_of[s])
			s = (s + 1) & (SLOTS - 1);
		slot_of[s] = (short)(k + 1);
	}
}

int ac_attr_lookup(const char *key, size_t n, int *prio)
{
	pthread_once(&once, build);
	/* mapped names are 7..48 bytes long (build() checks): a cheap early out
	 * for the rest */
	if (n < 7 || n > 48)
		return AC_F_NONE;
	uint64_t h = key_hash(key, n);
	size_t s = h & (SLOTS - 1);
	while (slot_of[s]) {
		size_t k = (size_t)slot_of[s] - 1;
		if (key_len[k] == n && memcmp(MAP[k].key, key, n) == 0) {
			*prio = MAP[k].prio;
			return MAP[k].field;
		}
		s = (s + 1) & (SLOTS - 1);
	}
	return AC_F_NONE;
}

void ac_span_reset(ac_span *sp)
{
	memset(sp, 0, sizeof(*sp));
	memset(sp->prio, AC_PRIO_UNSET, sizeof(sp->prio));
}

static void reject(ac_span *sp, const char *key, size_t n, const char *fmt, const ac_value *v)
{
	if (sp->err[0])
		return; /* keep the first problem */
	int kn = n > 80 ? 80 : (int)n;
	int vn = v->s.n > 40 ? 40 : (int)v->s.n;
	snprintf(sp->err, sizeof(sp->err), "%.*s: ", kn, key);
	size_t used = strlen(sp->err);
	snprintf(sp->err + used, sizeof(sp->err) - used, fmt, vn, v->s.p ? v->s.p : "");
}

/* A number written as text: decimal, optional sign, fraction and exponent
 * (no hex, inf or nan). 0 and *d, or -1. */
static int text_number(const char *p, size_t n, double *d)
{
	char buf[64];
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (strpbrk(buf, "xXiInN"))
		return -1;
	char *end;
	double x = strtod(buf, &end);
	if (*end != '\0')
		return -1;
	*d = x;
	return 0;
}

/* Numeric value as a double, or -1 when the value is not a number. Strings
 * holding a number are accepted (OTLP int64 travels as a string), and so is
 * an intValue out of int64 range (judged by the caller as absurd). */
static int as_number(const ac_value *v, double *d)
{
	switch (v->kind) {
	case AC_V_INT:
		if (v->int_ok) {
			*d = (double)v->i;
			return 0;
		}
		return text_number(v->s.p, v->s.n, d);
	case AC_V_DBL:
		*d = v->d;
		return 0;
	case AC_V_STR:
		return text_number(v->s.p, v->s.n, d);
	default:
		return -1;
	}
}

void ac_attr_apply(ac_span *sp, const char *key, size_t n, const ac_value *v, int resource)
{
	int prio;
	int f = ac_attr_lookup(key, n, &prio);
	if (f == AC_F_NONE)
		return;
	if (resource)
		prio += AC_PRIO_RESOURCE;

	if (f >= AC_F_TOK_IN && f <= AC_F_TOK_AUDIO_OUT) {
		double d;
		if (as_number(v, &d) || !isfinite(d)) {
			reject(sp, key, n, "token count is not a number: \"%.*s\"", v);
			return;
		}
		if (d < 0) {
			reject(sp, key, n, "token count is negative: %.*s", v);
			return;
		}
		if (d > (double)AC_MAX_TOKENS) {
			reject(sp, key, n, "token count is absurd (over 100000000): %.*s", v);
			return;
		}
		if (d != floor(d)) {
			reject(sp, key, n, "token count is not a whole number: %.*s", v);
			return;
		}
		int64_t i = (int64_t)d;
		if (prio >= sp->prio[f])
			return;
		sp->prio[f] = (unsigned char)prio;
		int k = f - AC_F_TOK_IN;
		sp->tok[k] = i;
		sp->tok_mask |= 1u << k;
		return;
	}
	if (f == AC_F_EVAL_SCORE || f == AC_F_PCOST_TOTAL || f == AC_F_PCOST_PART) {
		double d;
		if (as_number(v, &d) || !isfinite(d)) {
			reject(sp, key, n, "not a number: \"%.*s\"", v);
			return;
		}
		if (f == AC_F_EVAL_SCORE) {
			if (d < 0 || d > 1) {
				reject(sp, key, n, "score outside 0..1: %.*s", v);
				return;
			}
			if (prio < sp->prio[f]) {
				sp->prio[f] = (unsigned char)prio;
				sp->eval_score = d;
				sp->num_mask |= 1;
			}
			return;
		}
		if (d < 0) {
			reject(sp, key, n, "cost is negative: %.*s", v);
			return;
		}
		if (f == AC_F_PCOST_PART) {
			/* parts add up (input_cost + output_cost); span-level only */
			sp->pcost_part += d;
			sp->num_mask |= 4;
			return;
		}
		if (prio < sp->prio[f]) {
			sp->prio[f] = (unsigned char)prio;
			sp->pcost_total = d;
			sp->num_mask |= 2;
		}
		return;
	}
	/* string fields: numbers keep their text (agentcost.task.id = 42) */
	if (v->kind == AC_V_OTHER || v->kind == AC_V_BOOL || v->s.n == 0)
		return;
	if (prio >= sp->prio[f])
		return;
	sp->prio[f] = (unsigned char)prio;
	sp->str[f] = v->s;
}

int ac_str_ieq(ac_str a, const char *s)
{
	size_t n = strlen(s);
	if (a.n != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = a.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		char d = s[i];
		if (d >= 'A' && d <= 'Z')
			d = (char)(d - 'A' + 'a');
		if (c != d)
			return 0;
	}
	return 1;
}

static int any_of(ac_str s, const char *const *list)
{
	for (; *list; list++)
		if (ac_str_ieq(s, *list))
			return 1;
	return 0;
}

void ac_span_finish(ac_span *sp)
{
	static const char *const llm_ops[] = { "chat", "text_completion", "generate_content",
		                               "embeddings", "completion", "embedding", NULL };
	static const char *const tool_ops[] = { "execute_tool", NULL };
	static const char *const agent_ops[] = { "invoke_agent", "create_agent", NULL };
	static const char *const chain_ops[] = { "invoke_workflow", NULL };
	static const char *const oi_llm[] = { "LLM", "EMBEDDING", NULL };
	static const char *const tl_chain[] = { "workflow", "task", NULL };
	/* The Vercel AI SDK's ai.operationId: the provider calls (do*) are the
	 * LLM calls; the functions around them (ai.generateText, ...) carry the
	 * summed usage of all their calls (a tool loop makes several), so they
	 * are chains, never priced as one call. Checked before the other
	 * signals: @arizeai/openinference-vercel marks both levels LLM. */
	static const char *const vercel_llm[] = { "ai.generateText.doGenerate", "ai.streamText.doStream",
		                                  "ai.generateObject.doGenerate",
		                                  "ai.streamObject.doStream", "ai.embed.doEmbed",
		                                  "ai.embedMany.doEmbed", NULL };
	static const char *const vercel_chain[] = { "ai.generateText", "ai.streamText", "ai.generateObject",
		                                    "ai.streamObject", "ai.embed", "ai.embedMany", NULL };

	ac_str op = sp->str[AC_F_OPERATION], oi = sp->str[AC_F_OI_KIND], tl = sp->str[AC_F_TL_KIND];
	ac_str vop = sp->str[AC_F_VERCEL_OP];
	/* Step kind: explicit signals first (evaluator, LLM, tool, agent, chain), then
	 * "any span carrying a model and token counts" is an LLM call. */
	if (vop.n && any_of(vop, vercel_llm))
		sp->step = AC_STEP_LLM;
	else if (vop.n && any_of(vop, vercel_chain))
		sp->step = AC_STEP_CHAIN;
	else if (vop.n && ac_str_ieq(vop, "ai.toolCall"))
		sp->step = AC_STEP_TOOL;
	else if (ac_str_ieq(oi, "EVALUATOR"))
		sp->step = AC_STEP_EVALUATOR;
	else if (any_of(op, llm_ops) || any_of(oi, oi_llm))
		sp->step = AC_STEP_LLM;
	else if (any_of(op, tool_ops) || ac_str_ieq(oi, "TOOL") || ac_str_ieq(tl, "tool"))
		sp->step = AC_STEP_TOOL;
	else if (any_of(op, agent_ops) || ac_str_ieq(oi, "AGENT") || ac_str_ieq(tl, "agent"))
		sp->step = AC_STEP_AGENT;
	else if (any_of(op, chain_ops) || ac_str_ieq(oi, "CHAIN") || any_of(tl, tl_chain))
		sp->step = AC_STEP_CHAIN;
	else if (sp->str[AC_F_MODEL].n && (sp->tok_mask & 3))
		sp->step = AC_STEP_LLM;
	else
		sp->step = AC_STEP_OTHER;

	if (sp->step == AC_STEP_TOOL && sp->str[AC_F_TOOL].n == 0) {
		/* GenAI names tool spans "execute_tool {gen_ai.tool.name}" */
		static const char pfx[] = "execute_tool ";
		if (sp->name.n > sizeof(pfx) - 1 && memcmp(sp->name.p, pfx, sizeof(pfx) - 1) == 0) {
			sp->str[AC_F_TOOL].p = sp->name.p + sizeof(pfx) - 1;
			sp->str[AC_F_TOOL].n = sp->name.n - (sizeof(pfx) - 1);
		} else {
			sp->str[AC_F_TOOL] = sp->name;
		}
	}
	/* error.type says the operation failed (OTel semantic conventions: the
	 * span's status should then be Error): a span whose status was left
	 * unset is an error span; an explicit OK stays OK */
	if (sp->status == 0 && sp->str[AC_F_ERROR_TYPE].n)
		sp->status = 2;
	/* the producer's cost: a total wins over summed parts */
	if (!(sp->num_mask & 2) && (sp->num_mask & 4)) {
		sp->pcost_total = sp->pcost_part;
		sp->num_mask |= 2;
	}
}
