/*
 * Synthetic workload generator (see gen.h for what it models and why).
 *
 * Shape of the code, in the order data flows:
 *   rng        xoshiro256** seeded through splitmix64; every task has its own
 *              stream, derived from (seed, day, task index), so a task's spans
 *              do not depend on the tasks generated before it
 *   prices     the generator's own copy of the list prices it uses
 *   task       one trace being built: spans, attributes, a fixed text arena
 *   systems    doc-agent, research-agent, support-agent, eval, the incident
 *   writer     OTLP JSON batches or flat JSONL spans, formatted by hand
 *   sink       plain lines, a native zstd stream or the Collector framing
 *   layouts    trace: a few whole tasks a record; collector: every span
 *              queued by its end time until no task yet to run can end one
 *              before it, then batched as the Collector's batch processor does
 *   run        day plans (weekday rhythm, intraday profile), batches, truth
 *
 * Formatting is by hand into a buffer reserved once per span (no snprintf on
 * the output path); the only text that needs escaping is generated here and
 * is written already escaped.
 */
#include "gen.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "../util/timeutil.h"

/* ---- random numbers ----------------------------------------------------- */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna) */
static inline uint64_t next64(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* uniform in [0, 1) */
static inline double uni(rng *r)
{
	return (double)(next64(r) >> 11) * 0x1.0p-53;
}

/* uniform integer in [0, n) */
static inline uint32_t below(rng *r, uint32_t n)
{
	return (uint32_t)(((next64(r) >> 32) * (uint64_t)n) >> 32);
}

/* uniform integer in [lo, hi] */
static inline int64_t irange(rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)below(r, (uint32_t)(hi - lo + 1));
}

static double normal(rng *r)
{
	double u = uni(r), v = uni(r);
	return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

static double lognorm(rng *r, double median, double sigma)
{
	return median * exp(sigma * normal(r));
}

/* index drawn from weights w[0..n) */
static int pick(rng *r, const double *w, int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += w[i];
	double x = uni(r) * sum;
	for (int i = 0; i < n - 1; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Seed of a stream from (run seed, day, index): distinct (day, index) pairs
 * give distinct inputs to two rounds of splitmix64. */
static uint64_t mix3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ (b << 32 | (c & 0xffffffffULL)) ^ (c >> 32) * 0xd6e8feb86659fd93ULL;
	splitmix64(&x);
	return splitmix64(&x);
}

/*
 * Zipf over 1..n with exponent q > 0, q != 1 (P(k) ~ k^-q) by
 * rejection-inversion (Hörmann and Derflinger, "Rejection-inversion to
 * generate variates from monotone discrete distributions", 1996): a few
 * doubles of state whatever n is, about one uniform draw per variate.
 */
typedef struct zipf {
	double n, q;
	double hx1, hn, sc; /* H(1.5) - 1, H(n + 0.5), the squeeze bound */
} zipf;

/* (exp(x) - 1) / x and log(1 + x) / x, continuous at 0 */
static double expm1_x(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1.0 + x / 2.0;
}

static double log1p_x(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1.0 - x / 2.0;
}

/* H(x): an antiderivative of h(x) = x^-q, H(1) = 0 */
static double zipf_H(const zipf *z, double x)
{
	double lx = log(x);
	return expm1_x((1.0 - z->q) * lx) * lx;
}

static double zipf_h(const zipf *z, double x)
{
	return exp(-z->q * log(x));
}

static double zipf_Hinv(const zipf *z, double y)
{
	double t = y * (1.0 - z->q);
	if (t < -1.0)
		t = -1.0; /* only rounding gets here */
	return exp(log1p_x(t) * y);
}

static void zipf_init(zipf *z, long long n, double q)
{
	z->n = (double)n;
	z->q = q;
	z->hx1 = zipf_H(z, 1.5) - 1.0;
	z->hn = zipf_H(z, z->n + 0.5);
	z->sc = 2.0 - zipf_Hinv(z, zipf_H(z, 2.5) - zipf_h(z, 2.0));
}

/* a rank in 1..n, 1 the most frequent */
static long long zipf_draw(const zipf *z, rng *r)
{
	for (;;) {
		double u = z->hn + uni(r) * (z->hx1 - z->hn);
		double x = zipf_Hinv(z, u);
		double k = floor(x + 0.5);
		if (k < 1)
			k = 1;
		else if (k > z->n)
			k = z->n;
		if (k - x <= z->sc || u >= zipf_H(z, k + 0.5) - zipf_h(z, k))
			return (long long)k;
	}
}

/* ---- prices (the generator's own copy) --------------------------------- */

/*
 * USD per million tokens: input, output, cache read. The same list prices as
 * src/pricing/builtin_prices.c (OpenAI and Anthropic pricing pages), typed in
 * again on purpose: the truth is an independent computation of the cost that
 * agentcost's pricing must reproduce.
 */
enum { M_MINI, M_HAIKU, M_SONNET, M_4O, NMODEL };

static const struct model {
	const char *req;      /* gen_ai.request.model */
	const char *resp;     /* gen_ai.response.model / llm.model_name (dated snapshot) */
	const char *provider; /* gen_ai.provider.name, gen_ai.system, llm.provider */
	const char *chat_name; /* GenAI span name "chat {gen_ai.request.model}" */
	double in, out, cache_read;
	double ms_per_out; /* decoding speed, for span durations */
} MODELS[NMODEL] = {
	{ "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "openai", "chat gpt-4o-mini", 0.15, 0.60, 0.075, 9 },
	{ "claude-3-5-haiku-latest", "claude-3-5-haiku-20241022", "anthropic",
	  "chat claude-3-5-haiku-latest", 0.80, 4.00, 0.08, 11 },
	{ "claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022", "anthropic",
	  "chat claude-3-5-sonnet-latest", 3.00, 15.00, 0.30, 16 },
	{ "gpt-4o", "gpt-4o-2024-08-06", "openai", "chat gpt-4o", 2.50, 10.00, 1.25, 12 },
};

/* (input - cache_read) * input + cache_read * cache_read_price + output * output, per 1e6 */
static double price_call(int m, int64_t in, int64_t out, int64_t cr)
{
	const struct model *p = &MODELS[m];
	return ((double)(in - cr) * p->in + (double)cr * p->cache_read + (double)out * p->out) / 1e6;
}

/* ---- price dimensions (the generator's own copy) -------------------------- */

/*
 * The models of the price-dimension tasks (gen.h) with every price they are
 * billed at, USD per million tokens, typed in again from the providers'
 * pages as LiteLLM's table records them (the same numbers as
 * src/pricing/builtin_prices.c, kept apart on purpose: the truth is an
 * independent computation). A 0 is "no such price": the generator never
 * makes a call that would need it (dim_cost() asserts so).
 */
enum { DT_STANDARD, DT_FLEX, DT_PRIORITY, DT_BATCH, NDTIER };
enum { DM_SONNET4, DM_4O, DM_MINI, DM_5_MINI, DM_MINI_AUDIO, NDMODEL };

static const struct dmodel {
	const char *req, *resp, *provider, *chat_name;
	double ms_per_out;
	double tier[NDTIER][3];  /* by service tier: input, output, cache read */
	double cw, cw1h;         /* cache write (5-minute), 1-hour cache write */
	double audio_in, audio_out;
	int64_t above;           /* context threshold (prompt tokens), 0 = none */
	double hi[4];            /* above it: input, output, cache read, cache write */
} DMODELS[NDMODEL] = {
	/* Anthropic: 1-hour write 2 x input; the 1M-context beta above 200k */
	{ "claude-sonnet-4-20250514", "claude-sonnet-4-20250514", "anthropic", "chat claude-sonnet-4-20250514", 14,
	  { { 3.00, 15.00, 0.30 } }, 3.75, 6.00, 0, 0, 200000, { 6.00, 22.50, 0.60, 7.50 } },
	/* OpenAI: priority and Batch API prices */
	{ "gpt-4o", "gpt-4o-2024-08-06", "openai", "chat gpt-4o", 12,
	  { { 2.50, 10.00, 1.25 }, { 0 }, { 4.25, 17.00, 2.125 }, { 1.25, 5.00, 0 } }, 0, 0, 0, 0, 0, { 0 } },
	{ "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "openai", "chat gpt-4o-mini", 9,
	  { { 0.15, 0.60, 0.075 }, { 0 }, { 0.25, 1.00, 0.125 }, { 0.075, 0.30, 0 } }, 0, 0, 0, 0, 0, { 0 } },
	{ "gpt-5-mini", "gpt-5-mini-2025-08-07", "openai", "chat gpt-5-mini", 8,
	  { { 0.25, 2.00, 0.025 }, { 0.125, 1.00, 0.0125 }, { 0.45, 3.60, 0.045 } }, 0, 0, 0, 0, 0, { 0 } },
	/* audio tokens 10.00 in, 20.00 out; text at gpt-4o-mini's prices */
	{ "gpt-4o-mini-audio-preview", "gpt-4o-mini-audio-preview-2024-12-17", "openai",
	  "chat gpt-4o-mini-audio-preview", 9, { { 0.15, 0.60, 0 } }, 0, 0, 10.00, 20.00, 0, { 0 } },
};

/* The service tier values the spans state (ac_gen_tier_value) and what each
 * is billed as: "provisioned" is no tier agentcost knows, so standard. */
static const char *const TIER_VALUE[AC_GEN_NTIERVAL] = { "default", "flex", "priority", "batch", "provisioned" };
static const int TIER_BILLED[AC_GEN_NTIERVAL] = { DT_STANDARD, DT_FLEX, DT_PRIORITY, DT_BATCH, DT_STANDARD };
enum { TV_NONE = -1, TV_DEFAULT, TV_FLEX, TV_PRIORITY, TV_BATCH, TV_PROVISIONED };

/* How a price-dimension call is reported and what it holds besides the
 * call's in / out / cache read (input reported per `excludes`). */
typedef struct dimx {
	int model;                /* DM_* */
	int64_t cw, cw1h;         /* cache write tokens, the 1-hour part of them */
	int64_t audio_in, audio_out; /* parts of input / output */
	int tier_stated;          /* agentcost.service_tier: TV_*, TV_NONE = absent */
	int tier_req, tier_resp;  /* the request's / response's service tier: TV_* */
	int excludes;             /* input reported without the cache (Anthropic's raw usage) */
	int oi;                   /* OpenInference attributes (the voice channel) */
} dimx;

/* The tier value a span states: the explicit one, the response's, the request's. */
static int dim_tier_value(const dimx *x)
{
	return x->tier_stated != TV_NONE ? x->tier_stated : (x->tier_resp != TV_NONE ? x->tier_resp : x->tier_req);
}

/*
 * Cost of a price-dimension call (README "The formula"), own implementation:
 *   C      = cache read + cache write
 *   fresh  = in - C - audio_in (input includes the cache) or in - audio_in
 *            (excludes); prompt = in, or in + C
 *   prices = the tier's row (service tier S); above the model's threshold
 *            (prompt > above) the above-threshold input, output, cache read
 *            and cache write prices
 *   cost   = fresh x in + audio_in x audio in + cr x cache read
 *          + (cw - cw1h) x cache write + cw1h x 1-hour write
 *          + (out - audio_out) x out + audio_out x audio out, / 1e6
 * The generator makes only calls these prices cover: a tier other than
 * standard never above the threshold nor with cache writes or audio, no
 * cache read at tier batch, no 1-hour write above the threshold.
 */
static double dim_cost(int64_t in, int64_t out, int64_t cr, const dimx *x, int *above)
{
	const struct dmodel *m = &DMODELS[x->model];
	int tv = dim_tier_value(x);
	int tier = tv == TV_NONE ? DT_STANDARD : TIER_BILLED[tv];
	const double *p = m->tier[tier];
	int64_t c = cr + x->cw;
	int64_t fresh = x->excludes ? in - x->audio_in : in - c - x->audio_in;
	int64_t prompt = x->excludes ? in + c : in;
	*above = m->above > 0 && prompt > m->above;
	assert(p[0] > 0 && fresh >= 0 && x->cw1h <= x->cw && x->audio_out <= out);
	assert(tier == DT_STANDARD || (!*above && x->cw == 0 && x->audio_in == 0 && x->audio_out == 0));
	assert(cr == 0 || (*above ? m->hi[2] : p[2]) > 0);
	assert(x->cw == 0 || m->cw > 0);
	assert(x->cw1h == 0 || (!*above && m->cw1h > 0));
	assert((x->audio_in == 0 && x->audio_out == 0) || m->audio_in > 0);
	double pin = *above ? m->hi[0] : p[0], pout = *above ? m->hi[1] : p[1];
	double pcr = *above ? m->hi[2] : p[2], pcw = *above ? m->hi[3] : m->cw;
	double usd = (double)fresh * pin + (double)x->audio_in * m->audio_in + (double)cr * pcr +
	             (double)(x->cw - x->cw1h) * pcw + (double)x->cw1h * m->cw1h +
	             (double)(out - x->audio_out) * pout + (double)x->audio_out * m->audio_out;
	return usd / 1e6;
}

double ac_gen_dim_cost(const ac_gen_dim_call *c, int *above)
{
	int m = 0, tv = TV_NONE;
	while (m < NDMODEL && strcmp(DMODELS[m].req, c->model) != 0)
		m++;
	if (m == NDMODEL)
		return NAN;
	if (c->tier) {
		tv = TV_PROVISIONED; /* any value the generator does not know prices as standard */
		for (int i = 0; i < AC_GEN_NTIERVAL; i++)
			if (!strcmp(TIER_VALUE[i], c->tier))
				tv = i;
	}
	dimx x = { m, c->cache_write, c->cache_write_1h, c->audio_in, c->audio_out, tv, TV_NONE, TV_NONE,
		   c->excludes, 0 };
	return dim_cost(c->in, c->out, c->cache_read, &x, above);
}

const char *ac_gen_tier_value(int i)
{
	return i >= 0 && i < AC_GEN_NTIERVAL ? TIER_VALUE[i] : NULL;
}

/* ---- the modelled world ------------------------------------------------- */

static const char *const SYS_NAME[AC_GEN_NSYS] = { "doc-agent", "research-agent", "support-agent" };
static const double SYS_SHARE[AC_GEN_NSYS] = { 0.40, 0.17, 0.43 };

static const char *const CPLX_NAME[AC_GEN_NCPLX] = { "simple", "moderate", "complex" };
static const double CPLX_SHARE[AC_GEN_NCPLX] = { 0.78, 0.16, 0.06 };
static const int ROUTE[AC_GEN_NCPLX] = { M_MINI, M_HAIKU, M_SONNET };

enum {
	T_READ_DOCUMENT, T_VECTOR_SEARCH, T_LOOKUP_TAXONOMY, T_FETCH_URL, T_WEB_SEARCH, T_READ_PDF,
	T_LOOKUP_ORDER, T_SEARCH_KB, T_GET_ACCOUNT, T_CREATE_TICKET, NTOOL
};

static const struct tool {
	const char *name;
	const char *genai_name; /* "execute_tool {gen_ai.tool.name}" */
	const char *tl_name;    /* OpenLLMetry "{name}.tool" */
	int res_lo, res_hi;     /* tokens the result adds to the context */
	int ms_lo, ms_hi;
	double fail;            /* chance that a use at a 10k-token context fails (see fail_q) */
} TOOLS[NTOOL] = {
	{ "read_document", "execute_tool read_document", "read_document.tool", 150, 500, 300, 2500, 0.00260 },
	{ "vector_search", "execute_tool vector_search", "vector_search.tool", 600, 1500, 80, 400, 0.00218 },
	{ "lookup_taxonomy", "execute_tool lookup_taxonomy", "lookup_taxonomy.tool", 150, 400, 30, 200, 0.00130 },
	{ "fetch_url", "execute_tool fetch_url", "fetch_url.tool", 1500, 5000, 400, 3000, 0.00435 },
	{ "web_search", "execute_tool web_search", "web_search.tool", 700, 1500, 300, 1500, 0.00260 },
	{ "read_pdf", "execute_tool read_pdf", "read_pdf.tool", 3000, 9000, 800, 4000, 0.00565 },
	{ "lookup_order", "execute_tool lookup_order", "lookup_order.tool", 150, 500, 40, 250, 0.00130 },
	{ "search_kb", "execute_tool search_kb", "search_kb.tool", 300, 900, 60, 400, 0.00174 },
	{ "get_account", "execute_tool get_account", "get_account.tool", 100, 300, 30, 200, 0.00130 },
	{ "create_ticket", "execute_tool create_ticket", "create_ticket.tool", 50, 150, 80, 500, 0.00174 },
};

/* doc-agent task types (agentcost.task.type on the root span) */
enum { D_EXTRACTION, D_CLASSIFICATION, D_SUMMARIZATION, D_COMPARISON, D_QA };

static const struct doctype {
	const char *name;
	double d_median, d_sigma; /* document size in tokens, lognormal */
	double part;              /* share of the document one subtask reads; 0 = D / subtasks */
	int tool;
	double p_tool;            /* chance a subtask uses the tool first */
	const char *chain_name;   /* subtask span name */
} DOCT[AC_GEN_NDOCTYPE] = {
	{ "extraction", 8300, 0.7, 1.0, T_READ_DOCUMENT, 0.5, "subtask extract_fields" },
	{ "classification", 6400, 0.7, 1.0, T_LOOKUP_TAXONOMY, 0.35, "subtask classify_section" },
	{ "summarization", 37200, 1.1, 0.0, T_READ_DOCUMENT, 0.6, "subtask summarize_chunk" },
	{ "comparison", 53800, 1.1, 0.6, T_READ_DOCUMENT, 0.8, "subtask compare_clauses" },
	{ "qa", 30400, 1.2, 0.5, T_VECTOR_SEARCH, 0.85, "subtask answer_question" },
};

static const double DOC_SHARE[AC_GEN_NDOCTYPE] = { 0.30, 0.25, 0.20, 0.10, 0.15 };

/* True accuracy of (task type, complexity, model) -- the eval scores are
 * Bernoulli draws from it. Simple work: the cheap model is as good; complex
 * comparison: it is clearly worse; moderate extraction and complex qa: a
 * cheaper model than the one the router uses is as good or better (what
 * `agentcost recommend` should find). */
static const double ACCURACY[AC_GEN_NDOCTYPE][AC_GEN_NCPLX][AC_GEN_NEVALMODEL] = {
	/* mini, haiku, sonnet */
	{ { 0.97, 0.97, 0.97 }, { 0.99, 0.94, 0.95 }, { 0.74, 0.84, 0.93 } }, /* extraction */
	{ { 0.94, 0.95, 0.96 }, { 0.83, 0.89, 0.94 }, { 0.66, 0.79, 0.91 } }, /* classification */
	{ { 0.95, 0.96, 0.96 }, { 0.86, 0.90, 0.94 }, { 0.70, 0.82, 0.92 } }, /* summarization */
	{ { 0.92, 0.94, 0.96 }, { 0.80, 0.87, 0.94 }, { 0.62, 0.78, 0.93 } }, /* comparison */
	{ { 0.96, 0.96, 0.97 }, { 0.87, 0.91, 0.95 }, { 0.72, 0.97, 0.93 } }, /* qa */
};

static const char *const RESEARCH_TYPE[] = { "literature_review", "market_scan", "competitor_analysis",
	                                     "fact_check" };
static const double RESEARCH_SHARE[] = { 0.30, 0.30, 0.25, 0.15 };
static const char *const SUPPORT_TYPE[] = { "order_status", "refund_request", "technical_issue",
	                                    "account_change" };
static const double SUPPORT_SHARE[] = { 0.35, 0.20, 0.30, 0.15 };

/* Retry attempts per failure episode (calls of the tool after its first
 * failure, the successful one included): mean 3.23. */
static const double ATTEMPTS_PMF[8] = { 0.22, 0.22, 0.18, 0.13, 0.10, 0.07, 0.05, 0.03 };

static const char *const ERROR_TYPE[] = { "timeout", "503", "429", "ConnectionResetError" };
static const char *const ERROR_MSG[] = { "tool call timed out after 30s", "service unavailable",
	                                 "rate limited", "connection reset by peer" };
static const double ERROR_SHARE[] = { 0.45, 0.25, 0.18, 0.12 };

/* Start-of-task profile over the UTC hours of a day. */
static const double HOUR_WEIGHT[24] = { 2.0, 1.5, 1.2, 1.0, 1.0, 1.2, 2.0, 3.5, 6.0, 8.0, 9.0, 9.5,
	                                9.0, 9.0, 9.5, 9.0, 8.0, 6.5, 5.0, 4.0, 3.5, 3.0, 2.5, 2.0 };

/*
 * Calibration. The constants below were tuned at 12,000 tasks a day over 60
 * days, where sampling noise is small, to reproduce the study's figures (at
 * the default 500 a day the fat tails make a run's figures vary by 10-20%
 * from seed to seed). What each mainly sets:
 *   document sizes (DOCT), TURN_TOKENS, CPLX_TILT  doc-agent mean task cost
 *     ~$0.115, cheapest tenth ~$0.003, dearest tenth ~$0.89 (~296x);
 *   DOC_SYS_TOKENS, planner tokens                  the cheapest tenth;
 *   TOOLS[].fail, FAIL_CTX_EXP, ATTEMPTS_PMF, the reasoning calls per
 *     attempt                                       ~4% failed tool calls,
 *     ~3.2 attempts per failure, retries ~23% of tokens;
 *   RESEARCH_SUMMARY_AT                             summarization ~18% of
 *     research-agent cost;
 *   EVAL_RATE, EVAL_PART_MAX                        eval ~8% of spend with
 *     >= 30 scores per (type, complexity, model) at 500 tasks a day;
 *   INCIDENT_*, LOOP_*                              ~$340 at 12,000 tasks a day.
 * The truth reports what a run realized, never these targets.
 */
#define MAX_LLM_CALLS 47          /* per task: the framework's iteration limit */
#define WEEKEND_FACTOR 0.4        /* weekend volume relative to a weekday */
#define DAY_NOISE 0.03            /* day-to-day volume noise (relative sd) */
#define EVAL_RATE 0.15            /* eval replays per production task: >= 30 per cell at 500/day */
#define EVAL_PART_MAX 12000.0     /* eval set excerpts are at most this long: ~8% of spend */
#define RESEARCH_SUMMARY_AT 22500 /* research context (tokens) that triggers a summary: ~18% */
#define DOC_SYS_TOKENS 2000       /* doc-agent subtask system prompt */
#define PAGE_TOKENS 8000.0        /* read_document returns a page of about this size */
#define TURN_TOKENS 12000.0       /* one more turn per this many tokens of a subtask's part */
#define CPLX_TILT 0.45            /* complex work concentrates in big documents */
#define FAIL_CTX_EXP 2.6          /* see fail_q() */
#define INCIDENT_TYPE D_SUMMARIZATION
#define INCIDENT_START_H 13
#define INCIDENT_HOURS 2
#define INCIDENT_USD_AT_12K 340.0
#define LOOP_IN 14000 /* the runaway tasks resend the same prompt ... */
#define LOOP_OUT 220  /* ... and get the same answer */
#define PLAN_USD_MEAN 0.00202     /* expected planner cost: see doc_plan() */

/* ---- a task being built ------------------------------------------------ */

enum { A_STR, A_RAW, A_INT, A_DBL, A_ARR1 }; /* A_RAW: already JSON-escaped; A_ARR1: one-string array */

typedef struct gattr {
	const char *key;
	const char *s; /* A_STR, A_RAW, A_ARR1 text; A_DBL number text */
	uint32_t klen, slen;
	int kind;
	int64_t i;
} gattr;

typedef struct gspan {
	uint8_t id[8];
	int parent; /* span index, -1 for the root */
	int64_t start_ns, end_ns;
	const char *name;
	uint32_t nlen;
	uint8_t kind;   /* OTLP SpanKind: 1 internal, 3 client */
	uint8_t status; /* 0 unset, 1 ok, 2 error */
	const char *status_msg;
	uint32_t attr0, nattr;
} gspan;

#define TXT_CAP (1u << 20)

typedef struct gtask {
	int sys, eval;
	int64_t start_ns, now;
	uint8_t trace_id[16];
	rng r;
	gspan *spans;
	int nspans, capspans;
	gattr *attrs;
	uint32_t nattrs, capattrs;
	char *txt; /* fixed arena: attribute values point into it */
	size_t used;
	int oom;
	/* accounting */
	double cost, sonnet_cost;
	int llm, tools;
	int dims; /* a price-dimension task */
	/* opts.users: where the task's user goes (UM_*), its team, and the
	 * texts of its user.id, session.id and decoy user.id attributes */
	int umode, team;
	long long user;
	char uid[24], sid[24], did[24];
	uint32_t uidn, sidn, didn;
} gtask;

/* Where a task's user.id is: nowhere (users off), on the root, on its first
 * LLM span (child), on no span at all ("(none)"). */
enum { UM_OFF, UM_ROOT, UM_CHILD, UM_NONE };

static int task_init(gtask *t)
{
	memset(t, 0, sizeof(*t));
	t->capspans = 128;
	t->capattrs = 2048;
	t->spans = malloc(sizeof(gspan) * (size_t)t->capspans);
	t->attrs = malloc(sizeof(gattr) * t->capattrs);
	t->txt = malloc(TXT_CAP);
	return t->spans && t->attrs && t->txt ? 0 : AC_ENOMEM;
}

static void task_release(gtask *t)
{
	free(t->spans);
	free(t->attrs);
	free(t->txt);
	memset(t, 0, sizeof(*t));
}

static void task_reset(gtask *t, int sys, int eval, int64_t start_ns, uint64_t seed)
{
	t->sys = sys;
	t->eval = eval;
	t->start_ns = t->now = start_ns;
	rng_seed(&t->r, seed);
	for (int i = 0; i < 2; i++) {
		uint64_t x = next64(&t->r);
		memcpy(t->trace_id + 8 * i, &x, 8);
	}
	t->trace_id[0] |= 1; /* never all zeros */
	t->nspans = 0;
	t->nattrs = 0;
	t->used = 0;
	t->cost = t->sonnet_cost = 0;
	t->llm = t->tools = 0;
	t->dims = 0;
	t->umode = UM_OFF;
	t->team = 0;
	t->user = -1;
	t->uidn = t->sidn = t->didn = 0;
}

/* Start a span; its attributes must be added before the next span starts. */
static int span_new(gtask *t, int parent, const char *name, size_t nlen, int kind, int64_t start)
{
	if (t->nspans == t->capspans) {
		int cap = t->capspans * 2;
		gspan *p = realloc(t->spans, sizeof(gspan) * (size_t)cap);
		if (!p) {
			t->oom = 1;
			return t->nspans - 1; /* keeps the caller going; the run fails at the end */
		}
		t->spans = p;
		t->capspans = cap;
	}
	gspan *s = &t->spans[t->nspans];
	uint64_t x = next64(&t->r) | 1; /* never all zeros */
	memcpy(s->id, &x, 8);
	s->parent = parent;
	s->start_ns = s->end_ns = start;
	s->name = name;
	s->nlen = (uint32_t)nlen;
	s->kind = (uint8_t)kind;
	s->status = 0;
	s->status_msg = NULL;
	s->attr0 = t->nattrs;
	s->nattr = 0;
	return t->nspans++;
}

static gattr *attr_new(gtask *t, const char *key, size_t klen, int kind)
{
	if (t->nattrs == t->capattrs) {
		uint32_t cap = t->capattrs * 2;
		gattr *p = realloc(t->attrs, sizeof(gattr) * cap);
		if (!p) {
			t->oom = 1;
			return NULL;
		}
		t->attrs = p;
		t->capattrs = cap;
	}
	gattr *a = &t->attrs[t->nattrs++];
	t->spans[t->nspans - 1].nattr++;
	a->key = key;
	a->klen = (uint32_t)klen;
	a->kind = kind;
	a->s = NULL;
	a->slen = 0;
	a->i = 0;
	return a;
}

static void a_strn(gtask *t, const char *key, size_t klen, int kind, const char *s, size_t n)
{
	gattr *a = attr_new(t, key, klen, kind);
	if (a) {
		a->s = s;
		a->slen = (uint32_t)n;
	}
}

static void a_int(gtask *t, const char *key, size_t klen, int64_t v)
{
	gattr *a = attr_new(t, key, klen, A_INT);
	if (a)
		a->i = v;
}

/* Keys and values known at compile time. */
#define KEY(k) (k), (sizeof(k) - 1)
#define A_LIT(t, k, v) a_strn((t), KEY(k), A_STR, (v), sizeof(v) - 1)
#define A_S(t, k, v) a_strn((t), KEY(k), A_STR, (v), strlen(v))
#define A_I(t, k, v) a_int((t), KEY(k), (v))
#define A_D(t, k, v) a_strn((t), KEY(k), A_DBL, (v), sizeof(v) - 1)

/* The root's user.id and session.id (root_span). */
static void user_root_attrs(gtask *t)
{
	if (t->umode == UM_ROOT)
		a_strn(t, KEY("user.id"), A_STR, t->uid, t->uidn);
	if (t->umode == UM_ROOT || t->umode == UM_CHILD)
		a_strn(t, KEY("session.id"), A_STR, t->sid, t->sidn);
}

/* An LLM span's user.id (llm(), the span just started): the task's user on
 * the first, the decoy on the second. */
static void user_llm_attrs(gtask *t)
{
	if (t->umode != UM_CHILD)
		return;
	if (t->llm == 0)
		a_strn(t, KEY("user.id"), A_STR, t->uid, t->uidn);
	else if (t->llm == 1 && t->didn)
		a_strn(t, KEY("user.id"), A_STR, t->did, t->didn);
}

/* ---- generated text (already JSON-escaped, ASCII only) ------------------- */

/* Vocabulary of the generated text: plain ASCII, nothing to escape. */
#define W(s) { s, sizeof(s) - 1 }
static const struct word {
	const char *s;
	size_t n;
} WORDS[64] = {
	W("the"), W("contract"), W("clause"), W("invoice"), W("total"), W("party"), W("shall"),
	W("within"), W("days"), W("of"), W("receipt"), W("payment"), W("term"), W("section"),
	W("amount"), W("due"), W("date"), W("supplier"), W("customer"), W("and"), W("renewal"),
	W("notice"), W("liability"), W("limited"), W("to"), W("report"), W("revenue"),
	W("quarter"), W("growth"), W("risk"), W("summary"), W("table"), W("page"), W("figure"),
	W("policy"), W("coverage"), W("claim"), W("order"), W("shipping"), W("refund"),
	W("account"), W("address"), W("number"), W("status"), W("pending"), W("approved"),
	W("market"), W("share"), W("competitor"), W("pricing"), W("source"), W("study"),
	W("result"), W("evidence"), W("question"), W("answer"), W("field"), W("value"), W("name"),
	W("signed"), W("by"), W("on"), W("for"), W("with"),
};
#undef W

/* Text arena: reserve n bytes, NULL (and nothing written) when full. */
static char *tx_reserve(gtask *t, size_t n)
{
	if (t->used + n > TXT_CAP)
		return NULL;
	return t->txt + t->used;
}

static size_t put_words(char *p, rng *r, int n)
{
	char *q = p;
	uint64_t bits = 0;
	int left = 0;
	for (int i = 0; i < n; i++) {
		if (left == 0) {
			bits = next64(r);
			left = 10;
		}
		int w = (int)(bits & 63);
		bits >>= 6;
		left--;
		if (i)
			*q++ = (i % 11 == 10) ? ',' : ' ';
		if (i % 11 == 10)
			*q++ = ' ';
		memcpy(q, WORDS[w].s, WORDS[w].n);
		q += WORDS[w].n;
	}
	return (size_t)(q - p);
}

/* prefix, n words, suffix -> arena; the attribute gets it raw (pre-escaped). */
static void a_text(gtask *t, const char *key, size_t klen, const char *pre, const char *suf, int n)
{
	size_t lp = strlen(pre), ls = strlen(suf);
	char *p = tx_reserve(t, lp + ls + (size_t)n * 13 + 8);
	if (!p) {
		a_strn(t, key, klen, A_RAW, "", 0);
		return;
	}
	char *q = p;
	memcpy(q, pre, lp);
	q += lp;
	q += put_words(q, &t->r, n);
	memcpy(q, suf, ls);
	q += ls;
	t->used += (size_t)(q - p);
	a_strn(t, key, klen, A_RAW, p, (size_t)(q - p));
}

/* A short id: prefix + n base36 chars, in the arena. */
static const char *tx_id(gtask *t, const char *pre, int n, size_t *len)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	size_t lp = strlen(pre);
	char *p = tx_reserve(t, lp + (size_t)n);
	if (!p) {
		*len = 0;
		return "";
	}
	memcpy(p, pre, lp);
	for (int i = 0; i < n; i++)
		p[lp + (size_t)i] = digits[below(&t->r, 36)];
	*len = lp + (size_t)n;
	t->used += *len;
	return p;
}

/* ---- the generator state ------------------------------------------------ */

typedef struct sink {
	ac_gen_write_fn write;
	void *payload;
	ac_gen_container cont;
	int level;
	ZSTD_CCtx *cc;
	ac_buf out;      /* bytes waiting for the callback */
	size_t frame_in; /* native zstd: input bytes in the open frame */
	int rc;
	ac_err *err;
	ac_gen_truth *truth;
} sink;

#define BATCH_MAX 6
#define FLUSH_AT (1u << 20)
#define NGROUP (2 * AC_GEN_NSYS * AC_GEN_NTEAM) /* resources: (system, eval, team) */

/* Collector layout: the rendered spans of one task, freed when the last is sent. */
typedef struct pblock {
	size_t refs;
	char text[];
} pblock;

/* Collector layout: one ended span waiting for its turn (heap ordered by
 * end, then task sequence, then span index descending: a child ending at the
 * same nanosecond as its parent goes first). */
typedef struct pend {
	int64_t end_ns;
	uint64_t seq;
	int32_t idx;
	uint32_t off, len;
	uint8_t grp;
	pblock *blk;
} pend;

typedef struct gen {
	ac_gen_opts o;
	ac_gen_truth *t;
	sink sk;
	ac_buf line;
	gtask pool[BATCH_MAX];
	int nbatch;
	long long eval_rr;       /* round robin over the eval strata */
	long long dim_rr[4];     /* round robin over each price-dimension kind's variants */
	int64_t inc_start, inc_end; /* incident window */
	/* resource texts per (system, eval, team): OTLP prefix and flat object
	 * (team 0 only, and no team attribute, without opts.users) */
	ac_buf res_otlp[AC_GEN_NSYS][2][AC_GEN_NTEAM], res_flat[AC_GEN_NSYS][2][AC_GEN_NTEAM];
	/* collector layout: ended spans not yet sent, and the open batch */
	pend *heap;
	size_t nheap, capheap;
	uint64_t seq;                /* tasks run so far */
	ac_buf grp[NGROUP];          /* the batch's span texts per resource */
	int gorder[NGROUP], ngorder; /* resources in the order they joined the batch */
	long long bcount;            /* spans in the batch */
	int64_t bfirst;              /* end time of its first span */
	uint32_t *span_end;          /* a task's rendered spans: end offset of each */
	size_t capend;
	/* opts.users: their own stream, the sampler, the users seen so far */
	rng ur;
	zipf uz;
	struct urec *utab;
	size_t ucap, uused;
} gen;

/* ---- LLM calls, tool calls, failure episodes ----------------------------- */

enum { PUR_NONE, PUR_PLAN, PUR_EXECUTE, PUR_AGGREGATE, PUR_SUMMARIZE };
static const char *const PURPOSE[] = { NULL, "plan", "execute", "aggregate", "summarize" };

typedef struct call {
	int model;
	int64_t in, out, cr; /* input includes the cache reads */
	int purpose;
	int cplx;  /* agentcost.complexity on the span, -1 none */
	int ttype; /* agentcost.task.type on the span (eval replays), -1 none */
	int score; /* agentcost.eval.score, -1 none */
	int retry; /* inside a failure episode: truth only, never tagged */
	int route_cplx; /* doc-agent execute call of this complexity (truth), -1 none */
	const char *name; /* span name; NULL = the convention's default */
	const dimx *x;    /* a price-dimension call (DMODELS[x->model]); NULL = MODELS[model] */
} call;

static int64_t jitter_ns(rng *r, double ms_lo, double ms_hi)
{
	return (int64_t)((ms_lo + (ms_hi - ms_lo) * uni(r)) * 1e6);
}

/* The price dimensions of a call in each convention (attrmap.c reads
 * these keys). Current GenAI (doc-agent): Anthropic's cache creation, the
 * 1-hour part, OpenAI's service tier as the semantic conventions name it. */
static void dim_attrs_genai(gtask *t, const call *c)
{
	const dimx *x = c->x;
	if (x->cw)
		A_I(t, "gen_ai.usage.cache_creation.input_tokens", x->cw);
	if (x->cw1h)
		A_I(t, "agentcost.usage.cache_write_1h_tokens", x->cw1h);
	if (x->tier_req != TV_NONE)
		A_S(t, "openai.request.service_tier", TIER_VALUE[x->tier_req]);
	if (x->tier_resp != TV_NONE)
		A_S(t, "openai.response.service_tier", TIER_VALUE[x->tier_resp]);
	if (x->tier_stated != TV_NONE)
		A_S(t, "agentcost.service_tier", TIER_VALUE[x->tier_stated]);
}

/* OpenLLMetry (support-agent): its cache read key and the deprecated
 * gen_ai.openai.* service tier names. */
static void dim_attrs_openllmetry(gtask *t, const call *c)
{
	const dimx *x = c->x;
	if (c->cr)
		A_I(t, "gen_ai.usage.cache_read_input_tokens", c->cr);
	if (x->tier_req != TV_NONE)
		A_S(t, "gen_ai.openai.request.service_tier", TIER_VALUE[x->tier_req]);
	if (x->tier_resp != TV_NONE)
		A_S(t, "gen_ai.openai.response.service_tier", TIER_VALUE[x->tier_resp]);
	if (x->tier_stated != TV_NONE)
		A_S(t, "agentcost.service_tier", TIER_VALUE[x->tier_stated]);
}

/* OpenInference (the voice channel): its audio token counts. */
static void dim_attrs_oi(gtask *t, const call *c)
{
	const dimx *x = c->x;
	if (c->cr)
		A_I(t, "llm.token_count.prompt_details.cache_read", c->cr);
	if (x->audio_in)
		A_I(t, "llm.token_count.prompt_details.audio", x->audio_in);
	if (x->audio_out)
		A_I(t, "llm.token_count.completion_details.audio", x->audio_out);
}

/* Price a price-dimension call and count its dimensions; its cost. */
static double dim_truth(ac_gen_truth *T, const call *c)
{
	const dimx *x = c->x;
	ac_gen_dims_truth *D = &T->dims;
	int above;
	double cost = dim_cost(c->in, c->out, c->cr, x, &above);
	int tv = dim_tier_value(x);
	D->llm_calls++;
	D->cost += cost;
	if (tv != TV_NONE) {
		D->tier_calls[tv]++;
		D->tier_cost[tv] += cost;
		D->unknown_tier_calls += tv == TV_PROVISIONED;
	}
	D->cache_write_tokens += x->cw;
	D->cache_write_1h_tokens += x->cw1h;
	D->audio_in_tokens += x->audio_in;
	D->audio_out_tokens += x->audio_out;
	D->above_threshold_calls += above;
	D->above_threshold_cache_read_calls += above && c->cr > 0;
	D->input_excludes_cache_calls += x->excludes && c->cr + x->cw > 0;
	return cost;
}

/* One LLM span under parent, starting at t->now; advances t->now. Over 100
 * lines: one branch per attribute convention, kept side by side so that the
 * three can be compared key by key. */
/* llm(): the span in OpenInference (LangChain instrumentation) names. */
static int llm_span_oi(gtask *t, int parent, const call *c, const char *provider, const char *resp, int64_t start)
{
	const dimx *x = c->x;
	rng *r = &t->r;
	int s;
	/* OpenInference (LangChain instrumentation) */
	const char *name = c->name ? c->name : "ChatOpenAI";
	s = span_new(t, parent, name, strlen(name), 1, start);
	A_LIT(t, "openinference.span.kind", "LLM");
	A_S(t, "llm.model_name", resp);
	A_S(t, "llm.provider", provider);
	A_S(t, "llm.system", provider);
	A_I(t, "llm.token_count.prompt", c->in);
	A_I(t, "llm.token_count.completion", c->out);
	A_I(t, "llm.token_count.total", c->in + c->out);
	if (x)
		dim_attrs_oi(t, c);
	A_LIT(t, "llm.invocation_parameters", "{\\\"temperature\\\":0.2,\\\"max_tokens\\\":2048}");
	A_LIT(t, "input.mime_type", "text/plain");
	a_text(t, KEY("input.value"), "", "", 22 + (int)below(r, 20));
	a_text(t, KEY("output.value"), "", "", 10 + (int)below(r, 12));
	return s;
}

/* llm(): the span in deprecated GenAI names, OpenLLMetry span name and request type. */
static int llm_span_openllmetry(gtask *t, int parent, const call *c, const char *provider, const char *req,
                                const char *resp, int64_t start)
{
	const dimx *x = c->x;
	rng *r = &t->r;
	int s;
	/* deprecated GenAI names, OpenLLMetry span name and request type */
	s = span_new(t, parent, KEY("openai.chat"), 3, start);
	A_S(t, "gen_ai.system", provider);
	A_LIT(t, "llm.request.type", "chat");
	A_S(t, "gen_ai.request.model", req);
	A_S(t, "gen_ai.response.model", resp);
	A_I(t, "gen_ai.usage.prompt_tokens", c->in);
	A_I(t, "gen_ai.usage.completion_tokens", c->out);
	A_I(t, "llm.usage.total_tokens", c->in + c->out);
	if (x)
		dim_attrs_openllmetry(t, c);
	A_LIT(t, "gen_ai.prompt.0.role", "system");
	a_text(t, KEY("gen_ai.prompt.0.content"), "You are a support agent. ", "", 12 + (int)below(r, 8));
	A_LIT(t, "gen_ai.prompt.1.role", "user");
	a_text(t, KEY("gen_ai.prompt.1.content"), "", "", 16 + (int)below(r, 20));
	A_LIT(t, "gen_ai.completion.0.role", "assistant");
	a_text(t, KEY("gen_ai.completion.0.content"), "", "", 12 + (int)below(r, 18));
	A_LIT(t, "gen_ai.completion.0.finish_reason", "stop");
	return s;
}

/* llm(): the span in the current GenAI semantic conventions. */
static int llm_span_genai(gtask *t, int parent, const call *c, const char *chat_name, const char *provider,
                          const char *req, const char *resp, int openai, int64_t start)
{
	const dimx *x = c->x;
	rng *r = &t->r;
	int s;
	/* current GenAI semantic conventions */
	const char *name = c->name ? c->name : chat_name;
	s = span_new(t, parent, name, strlen(name), 3, start);
	A_LIT(t, "gen_ai.operation.name", "chat");
	A_S(t, "gen_ai.provider.name", provider);
	A_S(t, "gen_ai.request.model", req);
	A_S(t, "gen_ai.response.model", resp);
	size_t idn;
	const char *id = openai ? tx_id(t, "chatcmpl-", 24, &idn) : tx_id(t, "msg_01", 22, &idn);
	a_strn(t, KEY("gen_ai.response.id"), A_STR, id, idn);
	A_I(t, "gen_ai.request.max_tokens", c->out > 1024 ? 4096 : 1024);
	A_D(t, "gen_ai.request.temperature", "0.2");
	A_I(t, "gen_ai.usage.input_tokens", c->in);
	A_I(t, "gen_ai.usage.output_tokens", c->out);
	if (c->cr)
		A_I(t, "gen_ai.usage.cache_read.input_tokens", c->cr);
	if (x)
		dim_attrs_genai(t, c);
	a_strn(t, KEY("gen_ai.response.finish_reasons"), A_ARR1, "stop", 4);
	if (c->purpose)
		A_S(t, "agentcost.purpose", PURPOSE[c->purpose]);
	if (c->cplx >= 0)
		A_S(t, "agentcost.complexity", CPLX_NAME[c->cplx]);
	if (c->ttype >= 0)
		A_S(t, "agentcost.task.type", DOCT[c->ttype].name);
	if (c->score >= 0)
		a_strn(t, KEY("agentcost.eval.score"), A_DBL, c->score ? "1" : "0", 1);
	a_text(t, KEY("gen_ai.input.messages"),
	       "[{\\\"role\\\":\\\"user\\\",\\\"parts\\\":[{\\\"type\\\":\\\"text\\\",\\\"content\\\":\\\"",
	       "\\\"}]}]", 18 + (int)below(r, 20));
	a_text(t, KEY("gen_ai.output.messages"),
	       "[{\\\"role\\\":\\\"assistant\\\",\\\"parts\\\":[{\\\"type\\\":\\\"text\\\",\\\"content\\\":\\\"",
	       "\\\"}],\\\"finish_reason\\\":\\\"stop\\\"}]", 8 + (int)below(r, 10));
	return s;
}

/* llm(): the call's share of the ground truth. */
static void llm_truth(gen *g, gtask *t, const call *c)
{
	const dimx *x = c->x;
	ac_gen_truth *T = g->t;
	double cost = x ? dim_truth(T, c) : price_call(c->model, c->in, c->out, c->cr);
	t->cost += cost;
	if (!x)
		t->sonnet_cost += price_call(M_SONNET, c->in, c->out, c->cr);
	t->llm++;
	T->tokens_in += c->in;
	T->tokens_out += c->out;
	T->tokens_cache_read += c->cr;
	if (c->retry) {
		T->retry_llm_calls++;
		T->retry_tokens += c->in + c->out;
		T->retry_cost += cost;
	}
	if (c->purpose == PUR_SUMMARIZE)
		T->summarize_cost += cost;
	if (c->route_cplx >= 0 && !t->eval)
		T->route_calls[c->route_cplx][c->model]++;
	if (c->score >= 0) {
		T->scored[c->ttype][c->cplx][c->model]++;
		T->correct[c->ttype][c->cplx][c->model] += c->score;
	}
}

static int llm(gen *g, gtask *t, int parent, const call *c)
{
	const dimx *x = c->x;
	const struct dmodel *dm = x ? &DMODELS[x->model] : NULL;
	const struct model *m = x ? NULL : &MODELS[c->model];
	const char *req = x ? dm->req : m->req, *resp = x ? dm->resp : m->resp;
	const char *provider = x ? dm->provider : m->provider;
	int openai = x ? !strcmp(provider, "openai") : c->model == M_MINI || c->model == M_4O;
	rng *r = &t->r;
	double ms = 220 + (double)c->in * 0.012 + (double)c->out * (x ? dm->ms_per_out : m->ms_per_out) * (0.8 + 0.5 * uni(r));
	int64_t start = t->now, end = start + (int64_t)(ms * 1e6);
	int s;

	if (t->sys == AC_GEN_RESEARCH || (x && x->oi))
		s = llm_span_oi(t, parent, c, provider, resp, start);
	else if (t->sys == AC_GEN_SUPPORT)
		s = llm_span_openllmetry(t, parent, c, provider, req, resp, start);
	else
		s = llm_span_genai(t, parent, c, x ? dm->chat_name : m->chat_name, provider, req, resp, openai, start);
	/* purpose and complexity ride on the span in every convention */
	if (t->sys != AC_GEN_DOC) {
		if (c->purpose)
			A_S(t, "agentcost.purpose", PURPOSE[c->purpose]);
		if (c->cplx >= 0)
			A_S(t, "agentcost.complexity", CPLX_NAME[c->cplx]);
	}
	user_llm_attrs(t);
	t->spans[s].end_ns = end;
	t->spans[s].status = t->sys == AC_GEN_SUPPORT ? 0 : 1; /* OpenLLMetry leaves it unset */
	t->now = end + jitter_ns(r, 2, 40);
	llm_truth(g, t, c);
	return s;
}

/* One tool span; fail: 0 ok, else index into ERROR_TYPE + 1. */
static int tool_span(gen *g, gtask *t, int parent, int tool, int fail, int same_args)
{
	const struct tool *tl = &TOOLS[tool];
	rng *r = &t->r;
	int64_t start = t->now;
	double ms = fail == 1 ? 30000 + 50 * uni(r) /* a timeout */
	                      : (fail ? tl->ms_lo * 0.3 : tl->ms_lo + (tl->ms_hi - tl->ms_lo) * uni(r));
	int64_t end = start + (int64_t)(ms * 1e6);
	int s;
	if (t->sys == AC_GEN_RESEARCH) {
		s = span_new(t, parent, tl->name, strlen(tl->name), 1, start);
		A_LIT(t, "openinference.span.kind", "TOOL");
		A_S(t, "tool.name", tl->name);
		a_text(t, KEY("input.value"), "{\\\"query\\\":\\\"", "\\\"}", same_args ? 6 : 4 + (int)below(r, 6));
		if (!fail)
			a_text(t, KEY("output.value"), "", "", 12 + (int)below(r, 14));
	} else if (t->sys == AC_GEN_SUPPORT) {
		s = span_new(t, parent, tl->tl_name, strlen(tl->tl_name), 1, start);
		A_LIT(t, "traceloop.span.kind", "tool");
		A_S(t, "traceloop.entity.name", tl->name);
		A_S(t, "tool.name", tl->name);
		a_text(t, KEY("traceloop.entity.input"), "{\\\"args\\\":[\\\"", "\\\"]}", 3);
		if (!fail)
			a_text(t, KEY("traceloop.entity.output"), "{\\\"result\\\":\\\"", "\\\"}",
			       8 + (int)below(r, 12));
	} else {
		s = span_new(t, parent, tl->genai_name, strlen(tl->genai_name), 1, start);
		A_LIT(t, "gen_ai.operation.name", "execute_tool");
		A_S(t, "gen_ai.tool.name", tl->name);
		A_LIT(t, "gen_ai.tool.type", "function");
		size_t idn;
		const char *id = tx_id(t, "call_", 24, &idn);
		a_strn(t, KEY("gen_ai.tool.call.id"), A_STR, id, idn);
		if (same_args)
			A_LIT(t, "gen_ai.tool.call.arguments",
			      "{\\\"url\\\":\\\"https://docs.example.com/shared/q3-terms.html\\\"}");
		else
			a_text(t, KEY("gen_ai.tool.call.arguments"), "{\\\"query\\\":\\\"", "\\\"}",
			       4 + (int)below(r, 6));
		if (!fail)
			a_text(t, KEY("gen_ai.tool.call.result"), "", "", 10 + (int)below(r, 12));
	}
	if (fail) {
		A_S(t, "error.type", ERROR_TYPE[fail - 1]);
		t->spans[s].status = 2;
		t->spans[s].status_msg = ERROR_MSG[fail - 1];
		g->t->tool_failed++;
	} else {
		t->spans[s].status = t->sys == AC_GEN_SUPPORT ? 0 : 1;
	}
	t->spans[s].end_ns = end;
	t->now = end + jitter_ns(r, 2, 30);
	t->tools++;
	return s;
}

/*
 * One use of a tool. With probability q (while the task has LLM calls left
 * besides `reserve`) it fails, and a failure episode follows: for each
 * attempt three or four LLM calls reason about the error, each re-sending the
 * whole context, then the SAME tool is called again; the last attempt
 * succeeds. Nothing in the spans says "retry" (no agentcost.purpose=retry):
 * agentcost must find the episode from this structure. Returns the tokens the
 * result adds to the context; *ctx grows by the episode's error texts and
 * reasoning.
 */
static int64_t tool_use(gen *g, gtask *t, int parent, int tool, double q, int model, int64_t *ctx,
                        int reserve)
{
	rng *r = &t->r;
	const struct tool *tl = &TOOLS[tool];
	int budget = MAX_LLM_CALLS - t->llm - reserve;
	if (q > 0 && budget >= 1 && uni(r) < q) {
		int attempts = 1 + pick(r, ATTEMPTS_PMF, 8);
		if (attempts > budget)
			attempts = budget;
		int err = 1 + pick(r, ERROR_SHARE, 4);
		tool_span(g, t, parent, tool, err, 0);
		g->t->episodes++;
		g->t->attempts += attempts;
		for (int a = 1; a <= attempts; a++) {
			int64_t errtok = irange(r, 150, 400);
			call c = { model, *ctx + errtok, irange(r, 60, 220), 0, PUR_NONE, -1, -1, -1, 1, -1, NULL, NULL };
			llm(g, t, parent, &c);
			*ctx += errtok + c.out;
			int extra = 2 + (uni(r) < 0.6); /* 3.6 reasoning calls per attempt on average */
			/* extra reasoning calls only while the remaining attempts keep their call */
			for (int e = 0; e < extra && t->llm + (attempts - a) < MAX_LLM_CALLS - reserve; e++) {
				call c2 = { model, *ctx, irange(r, 60, 220), 0, PUR_NONE, -1, -1, -1, 1, -1, NULL, NULL };
				llm(g, t, parent, &c2);
				*ctx += c2.out;
			}
			tool_span(g, t, parent, tool, a < attempts ? err : 0, 0);
		}
	} else {
		tool_span(g, t, parent, tool, 0, 0);
	}
	return irange(r, tl->res_lo, tl->res_hi);
}

/* Root span of a task (every convention: gen_ai.operation.name=invoke_agent). */
static int root_span(gtask *t, const char *type)
{
	int s;
	if (t->sys == AC_GEN_RESEARCH) {
		s = span_new(t, -1, KEY("research-agent"), 1, t->now);
		A_LIT(t, "openinference.span.kind", "AGENT");
		A_LIT(t, "gen_ai.operation.name", "invoke_agent");
		A_LIT(t, "gen_ai.agent.name", "research-agent");
		A_S(t, "agentcost.task.type", type);
		a_text(t, KEY("input.value"), "", "?", 10 + (int)below(&t->r, 10));
	} else if (t->sys == AC_GEN_SUPPORT) {
		s = span_new(t, -1, KEY("invoke_agent support-agent"), 1, t->now);
		A_LIT(t, "gen_ai.operation.name", "invoke_agent");
		A_LIT(t, "traceloop.span.kind", "agent");
		A_LIT(t, "gen_ai.agent.name", "support-agent");
		A_S(t, "agentcost.task.type", type);
		size_t idn;
		const char *id = tx_id(t, "conv_", 16, &idn);
		a_strn(t, KEY("gen_ai.conversation.id"), A_STR, id, idn);
	} else {
		s = span_new(t, -1, KEY("invoke_agent doc-agent"), 1, t->now);
		A_LIT(t, "gen_ai.operation.name", "invoke_agent");
		A_LIT(t, "gen_ai.agent.name", "doc-agent");
		A_LIT(t, "gen_ai.agent.id", "asst_doc_7f3k");
		A_S(t, "agentcost.task.type", type);
		size_t idn;
		const char *id = tx_id(t, "doc-", 12, &idn);
		a_strn(t, KEY("doc.id"), A_STR, id, idn);
	}
	user_root_attrs(t);
	t->spans[s].status = 1;
	t->now += jitter_ns(&t->r, 5, 60);
	return s;
}

static int chain_span(gtask *t, int parent, const char *name, int cplx)
{
	int s = span_new(t, parent, name, strlen(name), 1, t->now);
	if (t->sys == AC_GEN_RESEARCH) {
		A_LIT(t, "openinference.span.kind", "CHAIN");
	} else {
		A_LIT(t, "gen_ai.operation.name", "invoke_workflow");
	}
	if (cplx >= 0)
		A_S(t, "agentcost.complexity", CPLX_NAME[cplx]);
	t->spans[s].status = t->sys == AC_GEN_RESEARCH ? 1 : 0;
	t->now += jitter_ns(&t->r, 1, 10);
	return s;
}

static void span_end(gtask *t, int s)
{
	t->spans[s].end_ns = t->now;
	t->now += jitter_ns(&t->r, 1, 5);
}

/* ---- the systems -------------------------------------------------------- */

static int doc_subtasks(rng *r, int type, double dtok)
{
	switch (type) {
	case D_EXTRACTION: {
		static const double w[] = { 0.60, 0.25, 0.15 };
		return 1 + pick(r, w, 3);
	}
	case D_CLASSIFICATION: {
		/* clear cases take one pass; ambiguous ones one pass per candidate label */
		static const double w[] = { 0.45, 0.12, 0.10, 0.08, 0.07, 0.05, 0.05, 0.04, 0.04 };
		int k = 1 + pick(r, w, 9);
		return k == 9 ? 10 : k;
	}
	case D_SUMMARIZATION: {
		int n = (int)ceil(dtok / 7000.0);
		return n < 2 ? 2 : (n > 6 ? 6 : n);
	}
	case D_COMPARISON:
		return (int)irange(r, 2, 6);
	default:
		return (int)irange(r, 1, 3);
	}
}

static int64_t draw_out(rng *r, int cplx)
{
	static const int lo[] = { 200, 300, 500 }, hi[] = { 600, 700, 1300 };
	return irange(r, lo[cplx], hi[cplx]);
}

/* Document size in tokens; *z receives its standard score. */
static double doc_size(rng *r, int type, double *z)
{
	*z = normal(r);
	double d = DOCT[type].d_median * exp(DOCT[type].d_sigma * *z);
	return d < 300 ? 300 : (d > 110000 ? 110000 : d);
}

/* Complexity of a subtask: 78% / 16% / 6% on average, tilted towards
 * complex work in big documents (weights exp(a z - a^2 / 2) have mean 1 over
 * z ~ N(0, 1), so the average shares stay put). */
static int draw_cplx_tilted(rng *r, double z)
{
	double a = CPLX_TILT;
	double f = exp(a * z - a * a / 2), h = exp(0.5 * a * z - a * a / 8);
	/* big documents also have more subtasks (summarization chunks), which
	 * would lift the shares over subtasks: the factors bring them back */
	double pc = CPLX_SHARE[2] * 0.96 * f, pm = CPLX_SHARE[1] * 0.97 * h;
	if (pc > 0.6)
		pc = 0.6;
	if (pm > 0.35)
		pm = 0.35;
	double x = uni(r);
	return x < pc ? 2 : (x < pc + pm ? 1 : 0);
}

/* Chance that a use of a tool starts a failure episode. Big payloads (a
 * long document page, a page fetched deep into a research session) time out
 * far more often, so the chance grows steeply with the context the call
 * serves: fail * (ctx / 10000)^2.6, at most 0.35. This is what puts ~23% of
 * the tokens into retries at a ~4% tool failure rate. */
static double fail_q(int tool, int64_t ctx)
{
	double q = TOOLS[tool].fail * pow((double)ctx / 10000.0, FAIL_CTX_EXP);
	return q > 0.35 ? 0.35 : q;
}

/* Planner: claude-3-5-sonnet, about $0.002 (E[in] = 480, E[out] = 52:
 * 480 * 3 + 52 * 15 = 2220 per 1e6 before cache reads; one call in five reads
 * 384 cached tokens: -384 * 2.7 / 5 => about $0.00202). */
static void doc_plan(gen *g, gtask *t, int root)
{
	rng *r = &t->r;
	call c = { M_SONNET, irange(r, 420, 540), irange(r, 34, 70), 0, PUR_PLAN, -1, -1, -1, 0, -1, NULL, NULL };
	if (below(r, 5) == 0)
		c.cr = 384;
	llm(g, t, root, &c);
}

static void doc_task(gen *g, gtask *t, int type)
{
	rng *r = &t->r;
	const struct doctype *dt = &DOCT[type];
	int root = root_span(t, dt->name);
	double z;
	double dtok = doc_size(r, type, &z);
	int nsub = doc_subtasks(r, type, dtok);
	int reserve = nsub >= 2 ? 1 : 0;
	int64_t outs = 0;

	doc_plan(g, t, root);
	for (int j = 0; j < nsub; j++) {
		int cplx = draw_cplx_tilted(r, z);
		int model = ROUTE[cplx];
		int ch = chain_span(t, root, dt->chain_name, cplx);
		g->t->subtasks[cplx] += 1;
		double part = dt->part > 0 ? dtok * dt->part : dtok / nsub;
		int64_t ctx = DOC_SYS_TOKENS;
		int reserve_sub = reserve + (nsub - 1 - j); /* one execute call per later subtask */
		if (dt->tool == T_READ_DOCUMENT && uni(r) < dt->p_tool) {
			/* the document is read page by page into the context */
			int pages = (int)ceil(part / PAGE_TOKENS);
			pages = pages < 1 ? 1 : (pages > 6 ? 6 : pages);
			for (int p = 0; p < pages; p++) {
				tool_use(g, t, ch, dt->tool, fail_q(dt->tool, ctx), model, &ctx, reserve_sub + 1);
				ctx += (int64_t)(part / pages);
			}
		} else {
			ctx += (int64_t)part;
			if (uni(r) < dt->p_tool) {
				int64_t res = tool_use(g, t, ch, dt->tool, fail_q(dt->tool, ctx), model, &ctx,
				                       reserve_sub + 1);
				ctx += res;
			}
		}
		int ncalls = cplx == 0 ? 1 : (cplx == 1 ? 1 + (uni(r) < 0.3) : 2 + (uni(r) < 0.5));
		/* long parts take more turns, each re-sending the conversation so far */
		ncalls += (int)fmin(3, floor(part / TURN_TOKENS));
		int64_t prefix = 0;
		for (int k = 0; k < ncalls && t->llm < MAX_LLM_CALLS - reserve_sub; k++) {
			call c = { model, ctx, draw_out(r, cplx), 0, PUR_EXECUTE, uni(r) < 0.3 ? cplx : -1,
				   -1, -1, 0, cplx, NULL, NULL };
			if (k > 0 && uni(r) < 0.6)
				c.cr = prefix / 64 * 64; /* the previous prompt is a cached prefix */
			llm(g, t, ch, &c);
			prefix = ctx;
			ctx += c.out;
			outs += k == ncalls - 1 ? c.out : 0;
			if (cplx == 2 && k + 1 < ncalls && uni(r) < 0.5) { /* complex work looks things up */
				int64_t res = tool_use(g, t, ch, T_VECTOR_SEARCH,
				                       fail_q(T_VECTOR_SEARCH, ctx), model, &ctx, reserve_sub + 1);
				ctx += res;
			}
		}
		span_end(t, ch);
	}
	if (nsub >= 2) {
		call c = { M_MINI, 450 + outs, irange(r, 150, 450), 0, PUR_AGGREGATE, -1, -1, -1, 0, -1, NULL, NULL };
		llm(g, t, root, &c);
	}
	span_end(t, root);
}

/* Cost of one runaway task of the incident, for sizing it: planner plus
 * (MAX_LLM_CALLS - 1) identical claude-3-5-sonnet calls. */
static double loop_task_cost(void)
{
	return PLAN_USD_MEAN + (MAX_LLM_CALLS - 1) * price_call(M_SONNET, LOOP_IN, LOOP_OUT, 0);
}

/* The prompt-injection incident: a document tells the agent to fetch a page
 * again and again; it repeats the same tool call and the same LLM call until
 * the framework's iteration limit stops it. */
static void loop_task(gen *g, gtask *t)
{
	int root = root_span(t, DOCT[INCIDENT_TYPE].name);
	A_LIT(t, "error.type", "max_iterations_exceeded"); /* still the root's attributes */
	doc_plan(g, t, root);
	int ch = chain_span(t, root, DOCT[INCIDENT_TYPE].chain_name, 2);
	g->t->subtasks[2] += 1;
	while (t->llm < MAX_LLM_CALLS) {
		tool_span(g, t, ch, T_FETCH_URL, 0, 1);
		call c = { M_SONNET, LOOP_IN, LOOP_OUT, 0, PUR_EXECUTE, -1, -1, -1, 0, 2, NULL, NULL };
		llm(g, t, ch, &c);
	}
	span_end(t, ch);
	span_end(t, root);
	t->spans[root].status = 2;
	t->spans[root].status_msg = "agent stopped: iteration limit reached";
}

static void research_task(gen *g, gtask *t, int type)
{
	rng *r = &t->r;
	int root = root_span(t, RESEARCH_TYPE[type]);
	int gather = chain_span(t, root, "gather_sources", -1);
	int64_t base = 1400 + irange(r, 40, 200);
	int64_t ctx = base;
	int steps = 2 + (int)fmin(18, floor(lognorm(r, 4.0, 0.5)));
	for (int i = 0; i < steps; i++) {
		/* keep room for the report and a possible summary */
		if (t->llm >= MAX_LLM_CALLS - 3)
			break;
		call c = { M_4O, ctx, irange(r, 120, 350), 0, PUR_NONE, -1, -1, -1, 0, -1, NULL, NULL };
		llm(g, t, gather, &c);
		ctx += c.out;
		static const double tw[] = { 0.50, 0.35, 0.15 };
		static const int tools[] = { T_WEB_SEARCH, T_FETCH_URL, T_READ_PDF };
		int tool = tools[pick(r, tw, 3)];
		int64_t res = tool_use(g, t, gather, tool, fail_q(tool, ctx), M_4O, &ctx, 2);
		ctx += res;
		if (tool == T_WEB_SEARCH && uni(r) < 0.6) { /* a search is often followed by reading a hit */
			int t2 = uni(r) < 0.7 ? T_FETCH_URL : T_READ_PDF;
			res = tool_use(g, t, gather, t2, fail_q(t2, ctx), M_4O, &ctx, 2);
			ctx += res;
		}
		if (ctx > RESEARCH_SUMMARY_AT && t->llm < MAX_LLM_CALLS - 1) {
			call sm = { M_4O, ctx, irange(r, 1100, 1800), 0, PUR_SUMMARIZE, -1, -1, -1, 0, -1,
				    "summarize context", NULL };
			llm(g, t, gather, &sm);
			ctx = base + sm.out;
		}
	}
	span_end(t, gather);
	int rep = chain_span(t, root, "write_report", -1);
	call c = { M_4O, ctx, irange(r, 600, 1600), 0, PUR_NONE, -1, -1, -1, 0, -1, NULL, NULL };
	llm(g, t, rep, &c);
	span_end(t, rep);
	span_end(t, root);
}

static void support_task(gen *g, gtask *t, int type)
{
	rng *r = &t->r;
	static const double turns_w[] = { 0.25, 0.30, 0.25, 0.12, 0.08 };
	static const int tools[][2] = { { T_LOOKUP_ORDER, T_SEARCH_KB },
		                        { T_LOOKUP_ORDER, T_CREATE_TICKET },
		                        { T_SEARCH_KB, T_CREATE_TICKET },
		                        { T_GET_ACCOUNT, T_SEARCH_KB } };
	int root = root_span(t, SUPPORT_TYPE[type]);
	int model = uni(r) < 0.12 ? M_4O : M_MINI; /* escalations go to the bigger model */
	int turns = 1 + pick(r, turns_w, 5);
	int64_t ctx = 900 + irange(r, 40, 200);
	for (int i = 0; i < turns; i++) {
		if (uni(r) < 0.55) {
			int tool = tools[type][below(r, 2)];
			int64_t res = tool_use(g, t, root, tool, fail_q(tool, ctx), model, &ctx, turns - i);
			ctx += res;
		}
		call c = { model, ctx, irange(r, 60, 260), 0, PUR_NONE, -1, -1, -1, 0, -1, NULL, NULL };
		llm(g, t, root, &c);
		ctx += c.out + irange(r, 30, 150);
		t->now += jitter_ns(r, 5000, 40000); /* the customer types */
	}
	span_end(t, root);
}

/* An eval task: one sampled doc-agent subtask of stratum (type, cplx),
 * replayed on the three models and scored against the true accuracy. */
static void eval_task(gen *g, gtask *t, int type, int cplx)
{
	rng *r = &t->r;
	int root = root_span(t, DOCT[type].name);
	int ch = chain_span(t, root, "eval replay", cplx);
	double z;
	double dtok = doc_size(r, type, &z);
	int nsub = doc_subtasks(r, type, dtok);
	double part = DOCT[type].part > 0 ? dtok * DOCT[type].part : dtok / nsub;
	int64_t in = DOC_SYS_TOKENS + (int64_t)fmin(part, EVAL_PART_MAX);
	int64_t out = draw_out(r, cplx);
	for (int m = 0; m < AC_GEN_NEVALMODEL; m++) {
		double acc = ACCURACY[type][cplx][m];
		call c = { m, in, out + irange(r, -40, 40), 0, PUR_NONE, cplx, type, uni(r) < acc, 0, -1, NULL, NULL };
		llm(g, t, ch, &c);
	}
	span_end(t, ch);
	span_end(t, root);
}


/* ---- the price-dimension tasks (--price-dimensions; gen.h) ---------------- */

#define DIM_RATE 0.08 /* price-dimension tasks per production task */
enum { DK_LONGDOC, DK_BATCH, DK_FLEX, DK_VOICE, NDK };

/*
 * Long-document review on claude-sonnet-4 (doc-agent): the first question
 * writes the system prompt and the document to the prompt cache, every
 * later one reads them and writes the previous turn (a cache breakpoint on
 * the last message). Documents are ~210k tokens (lognormal), so about half
 * the prompts pass 200k. variant (round robin over the run): 0 and 3 the
 * 5-minute cache, input reported with the cache; 1 the instrumentation
 * reports Anthropic's raw input_tokens (without the cache: input is the new
 * question only); 2 a 1-hour cache (the reviewer comes back within the hour),
 * on documents small enough that every prompt stays within 200k.
 */
static void dim_longdoc(gen *g, gtask *t, int variant)
{
	rng *r = &t->r;
	variant %= 4;
	int h1 = variant == 2;
	int root = root_span(t, "long_document_review");
	int ch = chain_span(t, root, "subtask review_document", -1);
	double d = lognorm(r, 210000, 0.45);
	double dmax = h1 ? 170000 : 850000; /* 1h: 2,200 + 170,000 + 6 x 2,400 < 200,000 */
	int64_t doc = (int64_t)(d < 40000 ? 40000 : (d > dmax ? dmax : d));
	int64_t cached = 0, pending = 1800 + irange(r, 0, 400) + doc; /* to write at the next call */
	int nq = 2 + (int)below(r, 5);
	for (int k = 0; k < nq; k++) {
		int64_t q = irange(r, 120, 600);
		dimx x = { DM_SONNET4, pending, h1 ? pending : 0, 0, 0, TV_NONE, TV_NONE, TV_NONE, variant == 1, 0 };
		int64_t in = x.excludes ? q : cached + pending + q;
		call c = { M_SONNET, in, irange(r, 300, 1800), cached, PUR_EXECUTE, -1, -1, -1, 0, -1, NULL, &x };
		llm(g, t, ch, &c);
		cached += pending;
		pending = q + c.out;
		t->now += jitter_ns(r, 2000, 30000); /* the reviewer reads the answer */
	}
	span_end(t, ch);
	span_end(t, root);
}

/* A nightly Batch API job (doc-agent): extractions on gpt-4o-mini, some on
 * gpt-4o, all at tier batch as the job states it (agentcost.service_tier:
 * OpenAI's responses carry no tier for batch). No cache reads. */
static void dim_batch(gen *g, gtask *t)
{
	rng *r = &t->r;
	int root = root_span(t, "bulk_extraction");
	int n = 3 + (int)below(r, 6);
	for (int k = 0; k < n; k++) {
		dimx x = { uni(r) < 0.8 ? DM_MINI : DM_4O, 0, 0, 0, 0, TV_BATCH, TV_NONE, TV_NONE, 0, 0 };
		call c = { M_MINI, irange(r, 1500, 12000), irange(r, 150, 700), 0, PUR_EXECUTE, -1, -1, -1, 0, -1,
			   NULL, &x };
		llm(g, t, root, &c);
	}
	span_end(t, root);
}

/* Re-classifying an archive on gpt-5-mini (doc-agent) at tier flex, asked
 * and served (openai.request/response.service_tier); one task in four
 * (variant 3) asks for "default". A growing conversation whose previous
 * prompt is a cached prefix (OpenAI caches prefixes of 1,024 tokens and
 * more, by 128). */
static void dim_flex(gen *g, gtask *t, int variant)
{
	rng *r = &t->r;
	int tv = variant % 4 == 3 ? TV_DEFAULT : TV_FLEX;
	int root = root_span(t, "archive_reclassification");
	int64_t ctx = 2500 + irange(r, 0, 6000), prefix = 0;
	int n = 2 + (int)below(r, 4);
	for (int k = 0; k < n; k++) {
		dimx x = { DM_5_MINI, 0, 0, 0, 0, TV_NONE, tv, tv, 0, 0 };
		int64_t cr = k > 0 && uni(r) < 0.7 ? prefix / 128 * 128 : 0;
		call c = { M_MINI, ctx, irange(r, 200, 900), cr, PUR_EXECUTE, -1, -1, -1, 0, -1, NULL, &x };
		llm(g, t, root, &c);
		prefix = ctx;
		ctx += c.out + irange(r, 100, 400);
	}
	span_end(t, root);
}

/*
 * A voice support call (support-agent) on gpt-4o-mini-audio-preview, its
 * voice channel instrumented with OpenInference: each turn re-sends the
 * caller's audio so far and the text (system prompt, transcripts of the
 * answers); the answer is speech plus its transcript. Six calls in eight
 * (variant 0-5) are escalated to gpt-4o (OpenLLMetry): three ask for tier
 * priority and get it, one asks for it and is served at "default", one asks
 * "default", one goes through a gateway that states a tier of its own
 * ("provisioned", unknown to agentcost: priced as standard).
 */
static void dim_voice(gen *g, gtask *t, int variant)
{
	rng *r = &t->r;
	int root = root_span(t, "voice_call");
	int turns = 2 + (int)below(r, 5);
	int64_t text = 700 + irange(r, 0, 300), audio = 0;
	for (int i = 0; i < turns; i++) {
		audio += irange(r, 80, 600);
		int64_t aout = irange(r, 100, 700), tout = irange(r, 25, 140);
		dimx x = { DM_MINI_AUDIO, 0, 0, audio, aout, TV_NONE, TV_NONE, TV_NONE, 0, 1 };
		call c = { M_MINI, text + audio, tout + aout, 0, PUR_NONE, -1, -1, -1, 0, -1, NULL, &x };
		llm(g, t, root, &c);
		text += tout;
		t->now += jitter_ns(r, 3000, 15000); /* the caller speaks */
	}
	if (variant < 6) {
		static const int req[] = { TV_PRIORITY, TV_PRIORITY, TV_PRIORITY, TV_PRIORITY, TV_DEFAULT, TV_NONE };
		static const int resp[] = { TV_PRIORITY, TV_PRIORITY, TV_PRIORITY, TV_DEFAULT, TV_DEFAULT, TV_NONE };
		dimx x = { DM_4O, 0, 0, 0, 0, variant == 5 ? TV_PROVISIONED : TV_NONE, req[variant], resp[variant], 0, 0 };
		int64_t in = text + irange(r, 300, 800);
		call c = { M_4O, in, irange(r, 150, 500), uni(r) < 0.5 ? 1024 : 0, PUR_NONE, -1, -1, -1, 0, -1,
			   NULL, &x };
		llm(g, t, root, &c);
	}
	span_end(t, root);
}

static void dim_task(gen *g, gtask *t, int kind, int variant)
{
	t->dims = 1;
	g->t->dims.tasks++;
	switch (kind) {
	case DK_LONGDOC: dim_longdoc(g, t, variant); break;
	case DK_BATCH: dim_batch(g, t); break;
	case DK_FLEX: dim_flex(g, t, variant); break;
	default: dim_voice(g, t, variant); break;
	}
}

/* ---- output: hand-formatted JSON ---------------------------------------- */

static inline void put(ac_buf *b, const char *s, size_t n)
{
	memcpy(b->data + b->len, s, n);
	b->len += n;
}
#define PUTL(b, lit) put((b), (lit), sizeof(lit) - 1)

static inline void putc1(ac_buf *b, char c)
{
	b->data[b->len++] = c;
}

static void put_u64(ac_buf *b, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		b->data[b->len++] = tmp[--n];
}

static void put_i64(ac_buf *b, int64_t v)
{
	if (v < 0) {
		putc1(b, '-');
		put_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		put_u64(b, (uint64_t)v);
	}
}

static void put_hex(ac_buf *b, const uint8_t *id, int n)
{
	static const char d[] = "0123456789abcdef";
	char *p = b->data + b->len;
	for (int i = 0; i < n; i++) {
		p[2 * i] = d[id[i] >> 4];
		p[2 * i + 1] = d[id[i] & 15];
	}
	b->len += (size_t)(2 * n);
}

/* Escaped JSON string body. Generated names and values are plain ASCII; the
 * escaping is here for safety, sized 6x in span_bound(). */
static void put_esc(ac_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			b->data[b->len++] = (char)c;
		} else if (c == '"' || c == '\\') {
			b->data[b->len++] = '\\';
			b->data[b->len++] = (char)c;
		} else {
			static const char d[] = "0123456789abcdef";
			put(b, "\\u00", 4);
			b->data[b->len++] = d[c >> 4];
			b->data[b->len++] = d[c & 15];
		}
	}
}

static void put_val(ac_buf *b, const gattr *a)
{
	if (a->kind == A_RAW)
		put(b, a->s, a->slen);
	else
		put_esc(b, a->s, a->slen);
}

/* Upper bound of the bytes one span takes in either format (plus resource). */
static size_t span_bound(const gtask *t, const gspan *s)
{
	size_t n = 512 + 6 * (size_t)s->nlen + (s->status_msg ? 6 * strlen(s->status_msg) : 0);
	for (uint32_t k = 0; k < s->nattr; k++) {
		const gattr *a = &t->attrs[s->attr0 + k];
		n += 96 + a->klen + 6 * (size_t)a->slen;
	}
	return n;
}

static int ensure(ac_buf *b, size_t n)
{
	return ac_buf_grow(b, n) ? AC_ENOMEM : 0;
}

static int write_span_otlp(ac_buf *b, const gtask *t, const gspan *s)
{
	if (ensure(b, span_bound(t, s)))
		return AC_ENOMEM;
	PUTL(b, "{\"traceId\":\"");
	put_hex(b, t->trace_id, 16);
	PUTL(b, "\",\"spanId\":\"");
	put_hex(b, s->id, 8);
	if (s->parent >= 0) {
		PUTL(b, "\",\"parentSpanId\":\"");
		put_hex(b, t->spans[s->parent].id, 8);
	}
	PUTL(b, "\",\"name\":\"");
	put_esc(b, s->name, s->nlen);
	PUTL(b, "\",\"kind\":");
	putc1(b, (char)('0' + s->kind));
	PUTL(b, ",\"startTimeUnixNano\":\"");
	put_i64(b, s->start_ns);
	PUTL(b, "\",\"endTimeUnixNano\":\"");
	put_i64(b, s->end_ns);
	PUTL(b, "\",\"attributes\":[");
	for (uint32_t k = 0; k < s->nattr; k++) {
		const gattr *a = &t->attrs[s->attr0 + k];
		if (k)
			putc1(b, ',');
		PUTL(b, "{\"key\":\"");
		put(b, a->key, a->klen);
		switch (a->kind) {
		case A_INT:
			PUTL(b, "\",\"value\":{\"intValue\":\"");
			put_i64(b, a->i);
			PUTL(b, "\"}}");
			break;
		case A_DBL:
			PUTL(b, "\",\"value\":{\"doubleValue\":");
			put(b, a->s, a->slen);
			PUTL(b, "}}");
			break;
		case A_ARR1:
			PUTL(b, "\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"");
			put_val(b, a);
			PUTL(b, "\"}]}}}");
			break;
		default:
			PUTL(b, "\",\"value\":{\"stringValue\":\"");
			put_val(b, a);
			PUTL(b, "\"}}");
		}
	}
	PUTL(b, "],\"status\":{");
	if (s->status == 2) {
		if (s->status_msg) {
			PUTL(b, "\"message\":\"");
			put_esc(b, s->status_msg, strlen(s->status_msg));
			PUTL(b, "\",");
		}
		PUTL(b, "\"code\":2");
	} else if (s->status == 1) {
		PUTL(b, "\"code\":1");
	}
	PUTL(b, "}}");
	return 0;
}

static int write_span_flat(ac_buf *b, const gtask *t, const gspan *s, const ac_buf *res)
{
	if (ensure(b, span_bound(t, s) + res->len))
		return AC_ENOMEM;
	PUTL(b, "{\"trace_id\":\"");
	put_hex(b, t->trace_id, 16);
	PUTL(b, "\",\"span_id\":\"");
	put_hex(b, s->id, 8);
	if (s->parent >= 0) {
		PUTL(b, "\",\"parent_span_id\":\"");
		put_hex(b, t->spans[s->parent].id, 8);
		PUTL(b, "\",\"name\":\"");
	} else {
		PUTL(b, "\",\"parent_span_id\":null,\"name\":\"");
	}
	put_esc(b, s->name, s->nlen);
	PUTL(b, "\",\"start_time_unix_nano\":");
	put_i64(b, s->start_ns);
	PUTL(b, ",\"end_time_unix_nano\":");
	put_i64(b, s->end_ns);
	if (s->status == 2)
		PUTL(b, ",\"status\":\"ERROR\",\"attributes\":{");
	else if (s->status == 1)
		PUTL(b, ",\"status\":\"OK\",\"attributes\":{");
	else
		PUTL(b, ",\"status\":\"UNSET\",\"attributes\":{");
	for (uint32_t k = 0; k < s->nattr; k++) {
		const gattr *a = &t->attrs[s->attr0 + k];
		if (k)
			putc1(b, ',');
		putc1(b, '"');
		put(b, a->key, a->klen);
		PUTL(b, "\":");
		switch (a->kind) {
		case A_INT:
			put_i64(b, a->i);
			break;
		case A_DBL:
			put(b, a->s, a->slen);
			break;
		case A_ARR1:
			PUTL(b, "[\"");
			put_val(b, a);
			PUTL(b, "\"]");
			break;
		default:
			putc1(b, '"');
			put_val(b, a);
			putc1(b, '"');
		}
	}
	PUTL(b, "},\"resource\":");
	put(b, res->data, res->len);
	putc1(b, '}');
	return 0;
}

/* ---- sink: plain lines, native zstd, Collector framing ------------------- */

static int sink_flush(sink *k)
{
	if (k->out.len == 0 || k->rc)
		return k->rc;
	if (k->write(k->out.data, k->out.len, k->payload)) {
		k->rc = ac_err_set(k->err, AC_EIO, "cannot write the output");
		return k->rc;
	}
	k->truth->bytes_out += k->out.len;
	k->out.len = 0;
	return 0;
}

static int zfail(sink *k, size_t z)
{
	k->rc = ac_err_set(k->err, AC_EZSTD, "zstd: %s", ZSTD_getErrorName(z));
	return k->rc;
}

/* Native stream: compress in with the given end directive. */
static int zstream(sink *k, const void *p, size_t n, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { p, n, 0 };
	for (;;) {
		if (ac_buf_grow(&k->out, ZSTD_CStreamOutSize()))
			return k->rc = ac_err_set(k->err, AC_ENOMEM, "out of memory");
		ZSTD_outBuffer ob = { k->out.data + k->out.len, k->out.cap - k->out.len - 1, 0 };
		size_t left = ZSTD_compressStream2(k->cc, &ob, &in, mode);
		if (ZSTD_isError(left))
			return zfail(k, left);
		k->out.len += ob.pos;
		if (k->out.len >= FLUSH_AT && sink_flush(k))
			return k->rc;
		if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0)
			return 0;
	}
}

/* One record: a JSON object without its newline. */
static int sink_record(sink *k, const char *p, size_t n)
{
	if (k->rc)
		return k->rc;
	k->truth->records++;
	k->truth->bytes_json += n + (k->cont == AC_GEN_ZSTD_FRAMED ? 0 : 1);
	switch (k->cont) {
	case AC_GEN_PLAIN:
		if (ac_buf_grow(&k->out, n + 1))
			return k->rc = ac_err_set(k->err, AC_ENOMEM, "out of memory");
		put(&k->out, p, n);
		putc1(&k->out, '\n');
		break;
	case AC_GEN_ZSTD:
		if (zstream(k, p, n, ZSTD_e_continue) || zstream(k, "\n", 1, ZSTD_e_continue))
			return k->rc;
		k->frame_in += n + 1;
		if (k->frame_in >= FLUSH_AT) { /* close the frame at a line end */
			if (zstream(k, NULL, 0, ZSTD_e_end))
				return k->rc;
			k->frame_in = 0;
		}
		break;
	case AC_GEN_ZSTD_FRAMED: {
		size_t bound = ZSTD_compressBound(n);
		if (ac_buf_grow(&k->out, bound + 4))
			return k->rc = ac_err_set(k->err, AC_ENOMEM, "out of memory");
		unsigned char *hdr = (unsigned char *)k->out.data + k->out.len;
		size_t z = ZSTD_compress2(k->cc, hdr + 4, bound, p, n);
		if (ZSTD_isError(z))
			return zfail(k, z);
		if (z > 0xffffffffu)
			return k->rc = ac_err_set(k->err, AC_ELIMIT, "record too large for the framing");
		hdr[0] = (unsigned char)(z >> 24);
		hdr[1] = (unsigned char)(z >> 16);
		hdr[2] = (unsigned char)(z >> 8);
		hdr[3] = (unsigned char)z;
		k->out.len += 4 + z;
		break;
	}
	}
	if (k->out.len >= FLUSH_AT)
		return sink_flush(k);
	return 0;
}

static int sink_finish(sink *k)
{
	if (k->rc)
		return k->rc;
	if (k->cont == AC_GEN_ZSTD && k->frame_in > 0 && zstream(k, NULL, 0, ZSTD_e_end))
		return k->rc;
	return sink_flush(k);
}

/* ---- batches ------------------------------------------------------------- */

static const char *const TEAM_NAME[AC_GEN_NTEAM] = { "search", "billing", "growth", "platform" };
#define TEAM_NO_USER 3 /* the tasks with no user run in platform's deployments */

/* One resource: the OTLP prefix up to its spans, and the flat object; a
 * team attribute last when team >= 0. */
static void build_resource(gen *g, int s, int e, int team)
{
	static const char *const version[] = { "2.4.1", "1.9.0", "3.2.7" };
	static const char *const scope[] = { "doc_agent.tracing", "openinference.instrumentation.langchain",
		                             "opentelemetry.instrumentation.openai" };
	static const char *const scope_ver[] = { "2.4.1", "0.1.29", "0.33.9" };
	const char *env = e ? "eval" : "prod";
	ac_buf *o = &g->res_otlp[s][e][team < 0 ? 0 : team], *f = &g->res_flat[s][e][team < 0 ? 0 : team];
	ac_buf_printf(o,
	              "{\"resource\":{\"attributes\":["
	              "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"%s\"}},"
	              "{\"key\":\"service.version\",\"value\":{\"stringValue\":\"%s\"}},"
	              "{\"key\":\"deployment.environment.name\",\"value\":{\"stringValue\":\"%s\"}},"
	              "{\"key\":\"telemetry.sdk.name\",\"value\":{\"stringValue\":\"opentelemetry\"}},"
	              "{\"key\":\"telemetry.sdk.language\",\"value\":{\"stringValue\":\"python\"}},"
	              "{\"key\":\"telemetry.sdk.version\",\"value\":{\"stringValue\":\"1.27.0\"}}",
	              SYS_NAME[s], version[s], env);
	if (team >= 0)
		ac_buf_printf(o, ",{\"key\":\"team\",\"value\":{\"stringValue\":\"%s\"}}", TEAM_NAME[team]);
	ac_buf_printf(o, "]},\"scopeSpans\":[{\"scope\":{\"name\":\"%s\",\"version\":\"%s\"},\"spans\":[",
	              scope[s], scope_ver[s]);
	ac_buf_printf(f,
	              "{\"service.name\":\"%s\",\"service.version\":\"%s\","
	              "\"deployment.environment.name\":\"%s\",\"telemetry.sdk.language\":\"python\"",
	              SYS_NAME[s], version[s], env);
	if (team >= 0)
		ac_buf_printf(f, ",\"team\":\"%s\"", TEAM_NAME[team]);
	ac_buf_adds(f, "}");
}

static void build_resources(gen *g)
{
	for (int s = 0; s < AC_GEN_NSYS; s++)
		for (int e = 0; e < 2; e++) {
			if (!g->o.users) {
				build_resource(g, s, e, -1);
				continue;
			}
			for (int k = 0; k < AC_GEN_NTEAM; k++)
				build_resource(g, s, e, k);
		}
}

/* The resource group of a task, and the resource of a group. */
static int task_grp(const gtask *t)
{
	return (t->sys * 2 + t->eval) * AC_GEN_NTEAM + t->team;
}

static const ac_buf *grp_otlp(const gen *g, int grp)
{
	return &g->res_otlp[grp / (2 * AC_GEN_NTEAM)][grp / AC_GEN_NTEAM % 2][grp % AC_GEN_NTEAM];
}

static const ac_buf *task_flat(const gen *g, const gtask *t)
{
	return &g->res_flat[t->sys][t->eval][t->team];
}

/* Write the pending batch: one OTLP line grouped by resource, or one flat
 * line per span. */
static int batch_flush(gen *g)
{
	ac_buf *b = &g->line;
	int rc = 0;
	if (g->nbatch == 0)
		return 0;
	if (g->o.format == AC_GEN_OTLP) {
		b->len = 0;
		if (ensure(b, 32))
			return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
		PUTL(b, "{\"resourceSpans\":[");
		int done[BATCH_MAX] = { 0 }, first = 1;
		for (int i = 0; i < g->nbatch; i++) {
			if (done[i])
				continue;
			const gtask *ti = &g->pool[i];
			const ac_buf *res = grp_otlp(g, task_grp(ti));
			if (ensure(b, res->len + 8))
				return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
			if (!first)
				putc1(b, ',');
			first = 0;
			put(b, res->data, res->len);
			int firstspan = 1;
			for (int j = i; j < g->nbatch; j++) {
				const gtask *tj = &g->pool[j];
				if (done[j] || task_grp(tj) != task_grp(ti))
					continue;
				done[j] = 1;
				for (int s = 0; s < tj->nspans; s++) {
					if (ensure(b, 1))
						return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
					if (!firstspan)
						putc1(b, ',');
					firstspan = 0;
					if (write_span_otlp(b, tj, &tj->spans[s]))
						return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
				}
			}
			if (ensure(b, 8))
				return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
			PUTL(b, "]}]}");
		}
		if (ensure(b, 4))
			return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
		PUTL(b, "]}");
		rc = sink_record(&g->sk, b->data, b->len);
	} else {
		for (int i = 0; i < g->nbatch && !rc; i++) {
			const gtask *t = &g->pool[i];
			for (int s = 0; s < t->nspans && !rc; s++) {
				b->len = 0;
				if (write_span_flat(b, t, &t->spans[s], task_flat(g, t)))
					return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
				rc = sink_record(&g->sk, b->data, b->len);
			}
		}
	}
	g->nbatch = 0;
	return rc;
}

/* ---- the collector layout ------------------------------------------------ */

static int oom(gen *g)
{
	return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
}

static int pend_less(const pend *a, const pend *b)
{
	if (a->end_ns != b->end_ns)
		return a->end_ns < b->end_ns;
	if (a->seq != b->seq)
		return a->seq < b->seq;
	return a->idx > b->idx;
}

static void heap_push(gen *g, const pend *e)
{
	size_t i = g->nheap++;
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (!pend_less(e, &g->heap[up]))
			break;
		g->heap[i] = g->heap[up];
		i = up;
	}
	g->heap[i] = *e;
}

static pend heap_pop(gen *g)
{
	pend top = g->heap[0], last = g->heap[--g->nheap];
	size_t i = 0, n = g->nheap;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && pend_less(&g->heap[c + 1], &g->heap[c]))
			c++;
		if (!pend_less(&g->heap[c], &last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (n)
		g->heap[i] = last;
	return top;
}

/* Send the open batch as one record: a resourceSpans per resource in the
 * order they joined it, each with its one scope's spans. */
static int collector_flush(gen *g)
{
	if (g->bcount == 0)
		return 0;
	ac_buf *b = &g->line;
	size_t need = 32;
	for (int k = 0; k < g->ngorder; k++) {
		int r = g->gorder[k];
		need += grp_otlp(g, r)->len + g->grp[r].len + 8;
	}
	b->len = 0;
	if (ensure(b, need))
		return oom(g);
	PUTL(b, "{\"resourceSpans\":[");
	for (int k = 0; k < g->ngorder; k++) {
		int r = g->gorder[k];
		const ac_buf *res = grp_otlp(g, r);
		if (k)
			putc1(b, ',');
		put(b, res->data, res->len);
		put(b, g->grp[r].data, g->grp[r].len);
		PUTL(b, "]}]}");
		g->grp[r].len = 0;
	}
	PUTL(b, "]}");
	g->ngorder = 0;
	g->bcount = 0;
	return sink_record(&g->sk, b->data, b->len);
}

/* Hand one ended span to the batch processor (OTLP) or write its line (flat). */
static int emit(gen *g, const pend *e)
{
	const char *text = e->blk->text + e->off;
	int rc = 0;
	if (g->o.format != AC_GEN_OTLP) {
		rc = sink_record(&g->sk, text, e->len);
	} else {
		/* the batch processor's timer: the batch went out timeout after its first span */
		if (g->bcount > 0 && e->end_ns - g->bfirst > (int64_t)g->o.batch_timeout_ms * 1000000)
			rc = collector_flush(g);
		ac_buf *gb = &g->grp[e->grp];
		if (!rc && ensure(gb, e->len + 1))
			rc = oom(g);
		if (!rc) {
			if (g->bcount++ == 0)
				g->bfirst = e->end_ns;
			if (gb->len)
				putc1(gb, ',');
			else
				g->gorder[g->ngorder++] = e->grp;
			put(gb, text, e->len);
			if (g->bcount >= g->o.batch_size)
				rc = collector_flush(g);
		}
	}
	if (--e->blk->refs == 0)
		free(e->blk);
	return rc;
}

/* Send every waiting span that ends at or before t (no later task can end a
 * span before it: tasks come in start order, their spans end after it). */
static int drain(gen *g, int64_t t)
{
	while (g->nheap && g->heap[0].end_ns <= t) {
		pend e = heap_pop(g);
		int rc = emit(g, &e);
		if (rc)
			return rc;
	}
	return 0;
}

/* Render the spans of the task just run (pool[0]) and queue them by end time. */
static int enqueue_task(gen *g)
{
	const gtask *t = &g->pool[0];
	ac_buf *b = &g->line;
	int grp = task_grp(t);
	g->nbatch = 0;
	g->seq++;
	if (t->nspans == 0)
		return 0;
	if ((size_t)t->nspans > g->capend) {
		uint32_t *p = realloc(g->span_end, (size_t)t->nspans * sizeof(uint32_t));
		if (!p)
			return oom(g);
		g->span_end = p;
		g->capend = (size_t)t->nspans;
	}
	b->len = 0;
	for (int s = 0; s < t->nspans; s++) {
		int rc = g->o.format == AC_GEN_OTLP ? write_span_otlp(b, t, &t->spans[s])
		                                    : write_span_flat(b, t, &t->spans[s], task_flat(g, t));
		if (rc || b->len > UINT32_MAX)
			return oom(g);
		g->span_end[s] = (uint32_t)b->len;
	}
	if (g->nheap + (size_t)t->nspans > g->capheap) {
		size_t cap = g->capheap ? 2 * g->capheap : 4096;
		while (cap < g->nheap + (size_t)t->nspans)
			cap *= 2;
		pend *p = realloc(g->heap, cap * sizeof(pend));
		if (!p)
			return oom(g);
		g->heap = p;
		g->capheap = cap;
	}
	pblock *blk = malloc(sizeof(pblock) + b->len);
	if (!blk)
		return oom(g);
	memcpy(blk->text, b->data, b->len);
	blk->refs = (size_t)t->nspans;
	uint32_t off = 0;
	for (int s = 0; s < t->nspans; s++) {
		pend e = { t->spans[s].end_ns, g->seq, s, off, 0, (uint8_t)grp, blk };
		e.len = g->span_end[s] - off;
		off = g->span_end[s];
		heap_push(g, &e);
	}
	return 0;
}

/* Free what is still queued (after an error). */
static void collector_release(gen *g)
{
	for (size_t i = 0; i < g->nheap; i++)
		if (--g->heap[i].blk->refs == 0)
			free(g->heap[i].blk);
	free(g->heap);
	free(g->span_end);
	for (int r = 0; r < NGROUP; r++)
		ac_buf_release(&g->grp[r]);
}

/* ---- users, sessions, teams (opts.users) --------------------------------- */

#define NO_USER_SHARE 0.02    /* tasks with no user.id on any span */
#define CHILD_USER_SHARE 0.03 /* tasks with user.id on child LLM spans only */
#define DECOY_ONE_IN 3        /* child-span tasks with another user's id on the second LLM span */
#define SESSION_MAX 6         /* tasks in a session: 1..SESSION_MAX */

/* A user seen so far: its truth and its open session. key = index + 1, 0 = a
 * free slot. */
struct urec {
	long long key;
	long long session;
	int left; /* tasks still to come in the open session */
	ac_gen_user_truth t;
};

static uint64_t user_hash(long long user)
{
	uint64_t x = (uint64_t)user;
	return splitmix64(&x);
}

static int utab_grow(gen *g)
{
	size_t cap = g->ucap ? 2 * g->ucap : 1024;
	struct urec *p = calloc(cap, sizeof(*p));
	if (!p)
		return AC_ENOMEM;
	for (size_t i = 0; i < g->ucap; i++) {
		if (!g->utab[i].key)
			continue;
		size_t j = user_hash(g->utab[i].key - 1) & (cap - 1);
		while (p[j].key)
			j = (j + 1) & (cap - 1);
		p[j] = g->utab[i];
	}
	free(g->utab);
	g->utab = p;
	g->ucap = cap;
	return 0;
}

/* The record of user (added when new), NULL when out of memory. Open
 * addressing, at most 3/4 full: memory follows the users seen, not N. */
static struct urec *utab_get(gen *g, long long user)
{
	if (4 * (g->uused + 1) > 3 * g->ucap && utab_grow(g))
		return NULL;
	size_t m = g->ucap - 1, i = user_hash(user) & m;
	while (g->utab[i].key && g->utab[i].key != user + 1)
		i = (i + 1) & m;
	struct urec *u = &g->utab[i];
	if (!u->key) {
		u->key = user + 1;
		u->t.user = user;
		g->uused++;
	}
	return u;
}

const char *ac_gen_team_name(int team)
{
	return team >= 0 && team < AC_GEN_NTEAM ? TEAM_NAME[team] : "?";
}

int ac_gen_user_team(long long user)
{
	uint64_t x = (uint64_t)user ^ 0x7465616dULL; /* "team" */
	return (int)(splitmix64(&x) % AC_GEN_NTEAM);
}

void ac_gen_user_id(const ac_gen_opts *o, long long user, char *buf, size_t n)
{
	int w = 1;
	for (long long x = o->users > 1 ? o->users - 1 : 0; x >= 10; x /= 10)
		w++;
	w = w < 6 ? 6 : (w > 18 ? 18 : w); /* N <= AC_GEN_MAX_USERS: 9 at most */
	snprintf(buf, n, "u%0*lld", w, user);
}

/* Draw the task's user (its own stream): where it goes, its session, team
 * and decoy. 0 or AC_ENOMEM. */
static int user_assign(gen *g, gtask *t)
{
	rng *r = &g->ur;
	double m = uni(r);
	if (m < NO_USER_SHARE) {
		t->umode = UM_NONE;
		t->team = TEAM_NO_USER;
		return 0;
	}
	t->umode = m < NO_USER_SHARE + CHILD_USER_SHARE ? UM_CHILD : UM_ROOT;
	t->user = zipf_draw(&g->uz, r) - 1;
	struct urec *u = utab_get(g, t->user);
	if (!u)
		return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
	if (u->left == 0) {
		u->session = g->t->sessions++;
		u->left = 1 + (int)below(r, SESSION_MAX);
	}
	u->left--;
	t->team = ac_gen_user_team(t->user);
	ac_gen_user_id(&g->o, t->user, t->uid, sizeof(t->uid));
	t->uidn = (uint32_t)strlen(t->uid);
	snprintf(t->sid, sizeof(t->sid), "s%07lld", u->session);
	t->sidn = (uint32_t)strlen(t->sid);
	if (t->umode == UM_CHILD && g->o.users > 1 && below(r, DECOY_ONE_IN) == 0) {
		long long d;
		do
			d = zipf_draw(&g->uz, r) - 1;
		while (d == t->user);
		ac_gen_user_id(&g->o, d, t->did, sizeof(t->did));
		t->didn = (uint32_t)strlen(t->did);
	}
	return 0;
}

static void user_add(ac_gen_user_truth *u, const gtask *t)
{
	if (t->eval) {
		u->eval_tasks++;
		u->eval_cost += t->cost;
	} else {
		u->tasks++;
		u->cost += t->cost;
	}
}

/* The task's share of the user, team and trace truth (commit_task). */
static int user_commit(gen *g, const gtask *t)
{
	ac_gen_truth *T = g->t;
	if (t->umode == UM_OFF)
		return 0;
	user_add(&T->teams[t->team], t);
	/* a child-span task without LLM calls would carry no user (none are made) */
	if (t->umode == UM_NONE || (t->umode == UM_CHILD && t->llm == 0)) {
		T->no_user_traces++;
		user_add(&T->no_user, t);
		return 0;
	}
	struct urec *u = utab_get(g, t->user);
	if (!u)
		return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
	user_add(&u->t, t);
	if (t->umode == UM_ROOT) {
		T->root_user_traces++;
	} else {
		T->child_user_traces++;
		T->decoy_traces += t->didn && t->llm >= 2;
	}
	return 0;
}

static int cmp_user(const void *a, const void *b)
{
	long long x = ((const ac_gen_user_truth *)a)->user, y = ((const ac_gen_user_truth *)b)->user;
	return (x > y) - (x < y);
}

/* The users seen into T->users, by index (finish_truth). */
static int user_finish(gen *g)
{
	ac_gen_truth *T = g->t;
	T->no_user.user = -1;
	for (int k = 0; k < AC_GEN_NTEAM; k++)
		T->teams[k].user = -1;
	if (!g->uused)
		return 0;
	T->users = malloc(g->uused * sizeof(*T->users));
	if (!T->users)
		return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
	for (size_t i = 0; i < g->ucap; i++)
		if (g->utab[i].key)
			T->users[T->nusers++] = g->utab[i].t;
	qsort(T->users, T->nusers, sizeof(*T->users), cmp_user);
	free(g->utab);
	g->utab = NULL;
	g->ucap = g->uused = 0;
	return 0;
}

/* ---- truth bookkeeping --------------------------------------------------- */

static int commit_task(gen *g, gtask *t, int day)
{
	ac_gen_truth *T = g->t;
	if (t->oom)
		return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
	ac_gen_sys_truth *st = &T->sys[t->sys];
	long long errs = 0;
	for (int i = 0; i < t->nspans; i++)
		errs += t->spans[i].status == 2;
	T->spans += t->nspans;
	T->llm_calls += t->llm;
	T->tool_calls += t->tools;
	T->error_spans += errs;
	st->spans += t->nspans;
	st->llm_calls += t->llm;
	st->tool_calls += t->tools;
	if (t->llm > T->max_llm_calls_per_task)
		T->max_llm_calls_per_task = t->llm;
	if (T->min_llm_calls_per_task == 0 || t->llm < T->min_llm_calls_per_task)
		T->min_llm_calls_per_task = t->llm;
	if (user_commit(g, t))
		return AC_ENOMEM;
	T->cost += t->cost;
	T->day_tasks[day]++;
	T->day_cost[day] += t->cost;
	if (t->eval) {
		T->eval_tasks++;
		T->eval_cost += t->cost;
		st->eval_tasks++;
		st->eval_cost += t->cost;
	} else {
		T->tasks++;
		st->tasks++;
		st->cost += t->cost;
		if (t->sys == AC_GEN_DOC && !t->dims) {
			if (T->ndoc == T->capdoc) {
				size_t cap = T->capdoc ? 2 * T->capdoc : 4096;
				double *p = realloc(T->doc_costs, cap * sizeof(double));
				if (!p)
					return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
				T->doc_costs = p;
				T->capdoc = cap;
			}
			T->doc_costs[T->ndoc++] = t->cost;
			T->doc_all_sonnet_cost += t->sonnet_cost;
		}
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void finish_truth(ac_gen_truth *T)
{
	T->doc_tasks = (long long)T->ndoc;
	if (T->ndoc == 0)
		return;
	qsort(T->doc_costs, T->ndoc, sizeof(double), cmp_double);
	size_t k = T->ndoc / 10 ? T->ndoc / 10 : 1;
	double lo = 0, hi = 0, all = 0;
	for (size_t i = 0; i < k; i++) {
		lo += T->doc_costs[i];
		hi += T->doc_costs[T->ndoc - 1 - i];
	}
	for (size_t i = 0; i < T->ndoc; i++)
		all += T->doc_costs[i];
	T->doc_decile_k = (long long)k;
	T->doc_bottom10_mean = lo / (double)k;
	T->doc_top10_mean = hi / (double)k;
	T->doc_tail_ratio = T->doc_bottom10_mean > 0 ? T->doc_top10_mean / T->doc_bottom10_mean : 0;
	T->doc_mean = all / (double)T->ndoc;
}

/* ---- day plans and the run ---------------------------------------------- */

enum { K_DOC, K_RESEARCH, K_SUPPORT, K_EVAL, K_LOOP, K_DIM };

typedef struct plan {
	int64_t start_ns;
	uint64_t seed;
	uint8_t kind, type, cplx;
} plan;

static int cmp_plan(const void *a, const void *b)
{
	const plan *x = a, *y = b;
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return (x->seed > y->seed) - (x->seed < y->seed);
}

/* Start of a task within its day: the hourly profile, squeezed into
 * 00:00-23:30 so that a task (minutes long at most) ends on its own day. */
static int64_t draw_time_of_day(rng *r)
{
	int h = pick(r, HOUR_WEIGHT, 24);
	return (int64_t)(((double)h + uni(r)) * 3600e9 * (23.5 / 24.0));
}

static const char *const DOW[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

/* 0 = Monday (1970-01-01 was a Thursday) */
static int weekday(int64_t day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

static int run_task(gen *g, const plan *p, int day)
{
	gtask *t = &g->pool[g->nbatch];
	int sys = p->kind == K_RESEARCH ? AC_GEN_RESEARCH : (p->kind == K_SUPPORT ? AC_GEN_SUPPORT : AC_GEN_DOC);
	if (p->kind == K_DIM && p->type == DK_VOICE)
		sys = AC_GEN_SUPPORT;
	task_reset(t, sys, p->kind == K_EVAL, p->start_ns, p->seed);
	if (g->o.users && user_assign(g, t))
		return AC_ENOMEM;
	switch (p->kind) {
	case K_DOC:
		doc_task(g, t, p->type);
		break;
	case K_RESEARCH:
		research_task(g, t, p->type);
		break;
	case K_SUPPORT:
		support_task(g, t, p->type);
		break;
	case K_EVAL:
		eval_task(g, t, p->type, p->cplx);
		break;
	case K_DIM:
		dim_task(g, t, p->type, p->cplx);
		break;
	case K_LOOP:
		loop_task(g, t);
		g->t->incident_tasks++;
		g->t->incident_llm_calls += t->llm;
		g->t->incident_cost += t->cost;
		break;
	}
	int rc = commit_task(g, t, day);
	if (rc)
		return rc;
	g->nbatch++;
	return 0;
}

int ac_gen_opts_check(const ac_gen_opts *o, ac_err *err)
{
	if (o->days < 1 || o->days > AC_GEN_MAX_DAYS)
		return ac_err_set(err, AC_EINVAL, "--days must be 1..%d, not %d", AC_GEN_MAX_DAYS, o->days);
	if (o->tasks_per_day < 1 || o->tasks_per_day > AC_GEN_MAX_TASKS_PER_DAY)
		return ac_err_set(err, AC_EINVAL, "--tasks-per-day must be 1..%d, not %d",
		                  AC_GEN_MAX_TASKS_PER_DAY, o->tasks_per_day);
	/* 2000-01-02 .. 2099-12-31 minus the range: span times must stay plausible */
	if (o->start_day < 10958 || o->start_day + o->days > 47480)
		return ac_err_set(err, AC_EINVAL, "--start and --days must stay within 2000..2099");
	if (o->format != AC_GEN_OTLP && o->format != AC_GEN_JSONL)
		return ac_err_set(err, AC_EINVAL, "unknown output format %d", (int)o->format);
	if (o->container != AC_GEN_PLAIN && o->container != AC_GEN_ZSTD && o->container != AC_GEN_ZSTD_FRAMED)
		return ac_err_set(err, AC_EINVAL, "unknown container %d", (int)o->container);
	if (o->zstd_level < 1 || o->zstd_level > 19)
		return ac_err_set(err, AC_EINVAL, "zstd level must be 1..19, not %d", o->zstd_level);
	if (!(o->incident_usd < 1e7)) /* also NAN */
		return ac_err_set(err, AC_EINVAL, "--incident-usd must be below 10000000");
	if (o->layout != AC_GEN_LAYOUT_COLLECTOR && o->layout != AC_GEN_LAYOUT_TRACE)
		return ac_err_set(err, AC_EINVAL, "unknown layout %d", (int)o->layout);
	if (o->batch_size < 1 || o->batch_size > AC_GEN_MAX_BATCH_SIZE)
		return ac_err_set(err, AC_EINVAL, "--batch-size must be 1..%d, not %d", AC_GEN_MAX_BATCH_SIZE,
		                  o->batch_size);
	if (o->batch_timeout_ms < 0 || o->batch_timeout_ms > AC_GEN_MAX_BATCH_TIMEOUT_MS)
		return ac_err_set(err, AC_EINVAL, "--batch-timeout-ms must be 0..%d, not %d",
		                  AC_GEN_MAX_BATCH_TIMEOUT_MS, o->batch_timeout_ms);
	if (o->users < 0 || o->users > AC_GEN_MAX_USERS)
		return ac_err_set(err, AC_EINVAL, "--users must be 1..%d, not %d", AC_GEN_MAX_USERS, o->users);
	return 0;
}

/* Collector layout: before each task starts, send the spans that ended
 * before it; then run it and queue its spans. */
static int run_day_collector(gen *g, const plan *P, size_t n, int d)
{
	for (size_t i = 0; i < n; i++) {
		int rc = drain(g, P[i].start_ns);
		if (!rc)
			rc = run_task(g, &P[i], d);
		if (!rc)
			rc = enqueue_task(g);
		if (rc)
			return rc;
	}
	return 0;
}

/* Trace layout: a few tasks per line, as the batch processor would group
 * them if every trace arrived whole. */
static int run_day_trace(gen *g, const plan *P, size_t n, int d, rng *dr)
{
	size_t i = 0;
	while (i < n) {
		int b = 2 + (int)below(dr, 4);
		for (int j = 0; j < b && i < n; j++, i++) {
			int rc = run_task(g, &P[i], d);
			if (rc)
				return rc;
		}
		int rc = batch_flush(g);
		if (rc)
			return rc;
	}
	return 0;
}

/* gen_day(): the day's production tasks, P[0] to P[nprod - 1]. */
static void plan_prod(gen *g, plan *P, long long nprod, int64_t day, int incident, rng *dr)
{
	const ac_gen_opts *o = &g->o;
	int64_t day_ns = day * AC_NS_PER_DAY;
	size_t k = 0;
	for (long long i = 0; i < nprod; i++, k++) {
		plan *p = &P[k];
		int sys = pick(dr, SYS_SHARE, AC_GEN_NSYS);
		p->kind = (uint8_t)(sys == AC_GEN_DOC ? K_DOC : (sys == AC_GEN_RESEARCH ? K_RESEARCH : K_SUPPORT));
		p->start_ns = day_ns + draw_time_of_day(dr);
		if (sys == AC_GEN_DOC) {
			p->type = (uint8_t)pick(dr, DOC_SHARE, AC_GEN_NDOCTYPE);
			/* during the incident every task of its type is a runaway one:
			 * the regular ones of that type move out of the window */
			while (incident && p->type == INCIDENT_TYPE && p->start_ns >= g->inc_start &&
			       p->start_ns < g->inc_end)
				p->start_ns = day_ns + draw_time_of_day(dr);
		} else if (sys == AC_GEN_RESEARCH) {
			p->type = (uint8_t)pick(dr, RESEARCH_SHARE, 4);
		} else {
			p->type = (uint8_t)pick(dr, SUPPORT_SHARE, 4);
		}
		p->cplx = 0;
		p->seed = mix3(o->seed, (uint64_t)day, (uint64_t)k + 1);
	}
}

static int gen_day(gen *g, int d, plan **plans, size_t *cap, double *eval_carry)
{
	const ac_gen_opts *o = &g->o;
	int64_t day = o->start_day + d;
	int64_t day_ns = day * AC_NS_PER_DAY;
	rng dr;
	rng_seed(&dr, mix3(o->seed, (uint64_t)day, 0x646179ULL));

	/* volume: weekday/weekend rhythm with a little noise; mean = tasks_per_day */
	double w = weekday(day) < 5 ? 1.0 : WEEKEND_FACTOR;
	double mean_w = (5.0 + 2.0 * WEEKEND_FACTOR) / 7.0;
	double v = o->tasks_per_day * w / mean_w * (1.0 + DAY_NOISE * normal(&dr));
	long long nprod = v < 0 ? 0 : (long long)(v + 0.5);
	*eval_carry += EVAL_RATE * (double)nprod;
	long long neval = (long long)*eval_carry;
	*eval_carry -= (double)neval;

	double target = o->incident_usd >= 0 ? o->incident_usd
	                                     : INCIDENT_USD_AT_12K * o->tasks_per_day / 12000.0;
	int incident = d == o->days / 2 && target > 0;
	long long nloop = 0;
	if (incident) {
		nloop = (long long)(target / loop_task_cost() + 0.5);
		if (nloop < 1)
			nloop = 1;
		g->inc_start = day_ns + INCIDENT_START_H * 3600LL * AC_NS_PER_SEC;
		g->inc_end = g->inc_start + INCIDENT_HOURS * 3600LL * AC_NS_PER_SEC;
		g->t->incident_start_ns = g->inc_start;
		g->t->incident_end_ns = g->inc_end;
	}
	/* the price-dimension tasks: their own stream, so that without them
	 * every other draw (and byte) stays as it was */
	long long ndim = 0;
	rng mr;
	if (o->price_dimensions) {
		rng_seed(&mr, mix3(o->seed, (uint64_t)day, 0x64696d73ULL));
		ndim = (long long)(DIM_RATE * (double)nprod + 0.5);
		ndim = ndim < NDK ? NDK : ndim; /* every kind every day */
	}
	size_t n = (size_t)(nprod + neval + nloop + ndim);
	if (n > *cap) {
		plan *p = realloc(*plans, n * sizeof(plan));
		if (!p)
			return ac_err_set(g->sk.err, AC_ENOMEM, "out of memory");
		*plans = p;
		*cap = n;
	}
	plan *P = *plans;
	plan_prod(g, P, nprod, day, incident, &dr);
	size_t k = (size_t)nprod;
	for (long long i = 0; i < neval; i++, k++) {
		/* eval batch at night, strata in round robin: every (type,
		 * complexity) gets the same number of replays */
		plan *p = &P[k];
		int stratum = (int)(g->eval_rr++ % (AC_GEN_NDOCTYPE * AC_GEN_NCPLX));
		p->kind = K_EVAL;
		p->type = (uint8_t)(stratum / AC_GEN_NCPLX);
		p->cplx = (uint8_t)(stratum % AC_GEN_NCPLX);
		p->start_ns = day_ns + (int64_t)((1.0 + 4.0 * uni(&dr)) * 3600e9);
		p->seed = mix3(o->seed, (uint64_t)day, (uint64_t)k + 1);
	}
	for (long long i = 0; i < nloop; i++, k++) {
		plan *p = &P[k];
		p->kind = K_LOOP;
		p->type = INCIDENT_TYPE;
		p->cplx = 2;
		p->start_ns = g->inc_start + (int64_t)(((double)i + uni(&dr)) * (double)(g->inc_end - g->inc_start) /
		                                       (double)nloop);
		p->seed = mix3(o->seed, (uint64_t)day, (uint64_t)k + 1);
	}
	for (long long i = 0; i < ndim; i++, k++) {
		plan *p = &P[k];
		p->kind = K_DIM;
		p->type = (uint8_t)(i % NDK);
		p->cplx = (uint8_t)(g->dim_rr[p->type]++ % 8); /* the task's variant */
		/* the batch job runs at night, the others in office hours */
		p->start_ns = day_ns + (p->type == DK_BATCH ? (int64_t)((1.0 + 4.0 * uni(&mr)) * 3600e9)
		                                            : draw_time_of_day(&mr));
		p->seed = mix3(o->seed, (uint64_t)day, (uint64_t)k + 1);
	}
	qsort(P, n, sizeof(plan), cmp_plan);

	return o->layout == AC_GEN_LAYOUT_COLLECTOR ? run_day_collector(g, P, n, d) : run_day_trace(g, P, n, d, &dr);
}

int ac_gen_run(const ac_gen_opts *o, ac_gen_write_fn write, void *payload, ac_gen_truth **out,
               ac_err *err)
{
	int rc = ac_gen_opts_check(o, err);
	if (rc)
		return rc;

	gen *g = calloc(1, sizeof(*g));
	ac_gen_truth *T = calloc(1, sizeof(*T));
	plan *plans = NULL;
	size_t cap = 0;
	double eval_carry = 0;
	if (!g || !T) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	g->o = *o;
	g->t = T;
	T->opts = *o;
	T->incident_type = INCIDENT_TYPE;
	memcpy(T->accuracy, ACCURACY, sizeof(ACCURACY));
	T->day_tasks = calloc((size_t)o->days, sizeof(long long));
	T->day_cost = calloc((size_t)o->days, sizeof(double));
	if (!T->day_tasks || !T->day_cost) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (int i = 0; i < BATCH_MAX; i++)
		if (task_init(&g->pool[i])) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			goto done;
		}
	g->sk.write = write;
	g->sk.payload = payload;
	g->sk.cont = o->container;
	g->sk.err = err;
	g->sk.truth = T;
	if (o->container != AC_GEN_PLAIN) {
		g->sk.cc = ZSTD_createCCtx();
		if (!g->sk.cc) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			goto done;
		}
		size_t z = ZSTD_CCtx_setParameter(g->sk.cc, ZSTD_c_compressionLevel, o->zstd_level);
		if (!ZSTD_isError(z))
			z = ZSTD_CCtx_setParameter(g->sk.cc, ZSTD_c_checksumFlag, 1);
		if (ZSTD_isError(z)) {
			rc = ac_err_set(err, AC_EZSTD, "zstd: %s", ZSTD_getErrorName(z));
			goto done;
		}
	}
	if (o->users) {
		/* the users' own stream: without them every other draw is as it was */
		rng_seed(&g->ur, mix3(o->seed, 0x7573657273ULL, 0x736573ULL));
		zipf_init(&g->uz, o->users, AC_GEN_ZIPF_S);
	}
	build_resources(g);
	for (int s = 0; s < AC_GEN_NSYS; s++)
		for (int e = 0; e < 2; e++)
			for (int k = 0; k < AC_GEN_NTEAM; k++)
				if (g->res_otlp[s][e][k].oom || g->res_flat[s][e][k].oom) {
					rc = ac_err_set(err, AC_ENOMEM, "out of memory");
					goto done;
				}

	for (int d = 0; d < o->days; d++)
		if ((rc = gen_day(g, d, &plans, &cap, &eval_carry)))
			goto done;
	if (o->layout == AC_GEN_LAYOUT_COLLECTOR && ((rc = drain(g, INT64_MAX)) || (rc = collector_flush(g))))
		goto done;
	if ((rc = sink_finish(&g->sk)) || (rc = user_finish(g)))
		goto done;
	finish_truth(T);
	if (out) {
		*out = T;
		T = NULL;
	}
done:
	if (g) {
		for (int i = 0; i < BATCH_MAX; i++)
			task_release(&g->pool[i]);
		for (int s = 0; s < AC_GEN_NSYS; s++)
			for (int e = 0; e < 2; e++)
				for (int k = 0; k < AC_GEN_NTEAM; k++) {
					ac_buf_release(&g->res_otlp[s][e][k]);
					ac_buf_release(&g->res_flat[s][e][k]);
				}
		collector_release(g);
		free(g->utab);
		ac_buf_release(&g->line);
		ac_buf_release(&g->sk.out);
		ZSTD_freeCCtx(g->sk.cc);
		free(g);
	}
	free(plans);
	ac_gen_truth_free(T);
	return rc;
}

void ac_gen_truth_free(ac_gen_truth *t)
{
	if (!t)
		return;
	free(t->day_tasks);
	free(t->day_cost);
	free(t->doc_costs);
	free(t->users);
	free(t);
}

/* ---- names --------------------------------------------------------------- */

const char *ac_gen_system_name(int sys)
{
	return sys >= 0 && sys < AC_GEN_NSYS ? SYS_NAME[sys] : NULL;
}

const char *ac_gen_doc_type_name(int type)
{
	return type >= 0 && type < AC_GEN_NDOCTYPE ? DOCT[type].name : NULL;
}

const char *ac_gen_complexity_name(int cplx)
{
	return cplx >= 0 && cplx < AC_GEN_NCPLX ? CPLX_NAME[cplx] : NULL;
}

const char *ac_gen_eval_model_name(int model)
{
	static const char *const names[] = { "gpt-4o-mini", "claude-3-5-haiku", "claude-3-5-sonnet" };
	return model >= 0 && model < AC_GEN_NEVALMODEL ? names[model] : NULL;
}

/* ---- the truth as JSON ----------------------------------------------------- */

static void jnum(ac_buf *b, double v)
{
	if (!isfinite(v))
		ac_buf_adds(b, "null");
	else
		ac_buf_printf(b, "%.17g", v);
}

static double ratio(double a, double b)
{
	return b != 0 ? a / b : 0;
}

/* price_dimensions {tasks, llm_calls, service_tiers {value: {calls, cost}},
 * unknown_tier_calls, tier_fallback_calls, cache_write_tokens,
 * cache_write_1h_tokens, audio_in_tokens, audio_out_tokens,
 * above_threshold_calls, above_threshold_cache_read_calls,
 * input_excludes_cache_calls, cost} */
static void dims_json(const ac_gen_dims_truth *d, ac_buf *b)
{
	ac_buf_printf(b, ",\"price_dimensions\":{\"tasks\":%lld,\"llm_calls\":%lld,\"service_tiers\":{", d->tasks,
	              d->llm_calls);
	for (int i = 0; i < AC_GEN_NTIERVAL; i++) {
		ac_buf_printf(b, "%s\"%s\":{\"calls\":%lld,\"cost\":", i ? "," : "", TIER_VALUE[i], d->tier_calls[i]);
		jnum(b, d->tier_cost[i]);
		ac_buf_adds(b, "}");
	}
	ac_buf_printf(b,
	              "},\"unknown_tier_calls\":%lld,\"tier_fallback_calls\":%lld,\"cache_write_tokens\":%lld,"
	              "\"cache_write_1h_tokens\":%lld,\"audio_in_tokens\":%lld,\"audio_out_tokens\":%lld,"
	              "\"above_threshold_calls\":%lld,\"above_threshold_cache_read_calls\":%lld,"
	              "\"input_excludes_cache_calls\":%lld,\"cost\":",
	              d->unknown_tier_calls, d->tier_fallback_calls, d->cache_write_tokens, d->cache_write_1h_tokens,
	              d->audio_in_tokens, d->audio_out_tokens, d->above_threshold_calls,
	              d->above_threshold_cache_read_calls, d->input_excludes_cache_calls);
	jnum(b, d->cost);
	ac_buf_adds(b, "}");
}

/* {tasks, cost, eval_tasks, eval_cost} */
static void user_truth_json(const ac_gen_user_truth *u, ac_buf *b)
{
	ac_buf_printf(b, "{\"tasks\":%lld,\"cost\":", u->tasks);
	jnum(b, u->cost);
	ac_buf_printf(b, ",\"eval_tasks\":%lld,\"eval_cost\":", u->eval_tasks);
	jnum(b, u->eval_cost);
	ac_buf_adds(b, "}");
}

/* users {population, zipf_exponent, with_tasks, with_prod_tasks, sessions,
 * traces {root, child, decoy, none}, none {tasks, cost, eval_tasks,
 * eval_cost}}; teams {name: {tasks, cost, eval_tasks, eval_cost}}. tasks and
 * cost are production, eval_* the eval tasks; traces counts both. The
 * per-user figures are too many for this object: ac_gen_truth.users (the CLI
 * writes them with --truth-users). */
static void users_json(const ac_gen_truth *t, ac_buf *b)
{
	long long prod = 0;
	for (size_t i = 0; i < t->nusers; i++)
		prod += t->users[i].tasks > 0;
	ac_buf_printf(b, ",\"users\":{\"population\":%d,\"zipf_exponent\":", t->opts.users);
	jnum(b, AC_GEN_ZIPF_S);
	ac_buf_printf(b,
	              ",\"with_tasks\":%zu,\"with_prod_tasks\":%lld,\"sessions\":%lld,"
	              "\"traces\":{\"root\":%lld,\"child\":%lld,\"decoy\":%lld,\"none\":%lld},\"none\":",
	              t->nusers, prod, t->sessions, t->root_user_traces, t->child_user_traces, t->decoy_traces,
	              t->no_user_traces);
	user_truth_json(&t->no_user, b);
	ac_buf_adds(b, "},\"teams\":{");
	for (int k = 0; k < AC_GEN_NTEAM; k++) {
		ac_buf_printf(b, "%s\"%s\":", k ? "," : "", TEAM_NAME[k]);
		user_truth_json(&t->teams[k], b);
	}
	ac_buf_adds(b, "}");
}

/* ac_gen_truth_json, part: output, tasks, spans, tokens, cost. */
static void truth_counts_json(const ac_gen_truth *t, ac_buf *b)
{
	ac_buf_printf(b, "\"output\":{\"records\":%lld,\"bytes_json\":%llu,\"bytes_out\":%llu},", t->records,
	              t->bytes_json, t->bytes_out);
	ac_buf_printf(b, "\"tasks\":{\"all\":%lld,\"prod\":%lld,\"eval\":%lld,\"per_system\":{",
	              t->tasks + t->eval_tasks, t->tasks, t->eval_tasks);
	for (int s = 0; s < AC_GEN_NSYS; s++)
		ac_buf_printf(b, "%s\"%s\":{\"prod\":%lld,\"eval\":%lld}", s ? "," : "", SYS_NAME[s],
		              t->sys[s].tasks, t->sys[s].eval_tasks);
	ac_buf_printf(b,
	              "}},\"spans\":%lld,\"llm_calls\":%lld,\"tool_calls\":%lld,\"error_spans\":%lld,"
	              "\"llm_calls_per_task\":{\"min\":%d,\"max\":%d},",
	              t->spans, t->llm_calls, t->tool_calls, t->error_spans, t->min_llm_calls_per_task,
	              t->max_llm_calls_per_task);
	ac_buf_printf(b, "\"tokens\":{\"input\":%lld,\"output\":%lld,\"cache_read\":%lld,\"total\":%lld},",
	              t->tokens_in, t->tokens_out, t->tokens_cache_read, t->tokens_in + t->tokens_out);
	ac_buf_adds(b, "\"cost\":{\"total\":");
	jnum(b, t->cost);
	ac_buf_adds(b, ",\"prod\":");
	jnum(b, t->cost - t->eval_cost);
	ac_buf_adds(b, ",\"eval\":");
	jnum(b, t->eval_cost);
	ac_buf_adds(b, ",\"per_system\":{");
	for (int s = 0; s < AC_GEN_NSYS; s++) {
		ac_buf_printf(b, "%s\"%s\":{\"total\":", s ? "," : "", SYS_NAME[s]);
		jnum(b, t->sys[s].cost + t->sys[s].eval_cost);
		ac_buf_adds(b, ",\"prod\":");
		jnum(b, t->sys[s].cost);
		ac_buf_adds(b, ",\"eval\":");
		jnum(b, t->sys[s].eval_cost);
		ac_buf_printf(b, ",\"spans\":%lld,\"llm_calls\":%lld,\"tool_calls\":%lld}", t->sys[s].spans,
		              t->sys[s].llm_calls, t->sys[s].tool_calls);
	}
}

/* ac_gen_truth_json, part: doc_tasks, retries, tools, summarize. */
static void truth_shares_json(const ac_gen_truth *t, ac_buf *b)
{
	ac_buf_printf(b, "}},\"doc_tasks\":{\"n\":%lld,\"k\":%lld,\"mean_cost\":", t->doc_tasks, t->doc_decile_k);
	jnum(b, t->doc_mean);
	ac_buf_adds(b, ",\"bottom10_mean\":");
	jnum(b, t->doc_bottom10_mean);
	ac_buf_adds(b, ",\"top10_mean\":");
	jnum(b, t->doc_top10_mean);
	ac_buf_adds(b, ",\"tail_ratio\":");
	jnum(b, t->doc_tail_ratio);
	ac_buf_adds(b, ",\"all_sonnet_cost_ratio\":");
	jnum(b, ratio(t->doc_all_sonnet_cost, t->sys[AC_GEN_DOC].cost));
	ac_buf_printf(b, "},\"retries\":{\"episodes\":%lld,\"attempts\":%lld,\"retries_per_failure\":", t->episodes,
	              t->attempts);
	jnum(b, ratio((double)t->attempts, (double)t->episodes));
	ac_buf_printf(b, ",\"llm_calls\":%lld,\"tokens\":%lld,\"token_share\":", t->retry_llm_calls,
	              t->retry_tokens);
	jnum(b, ratio((double)t->retry_tokens, (double)(t->tokens_in + t->tokens_out)));
	ac_buf_adds(b, ",\"cost\":");
	jnum(b, t->retry_cost);
	ac_buf_adds(b, ",\"cost_share\":");
	jnum(b, ratio(t->retry_cost, t->cost));
	ac_buf_printf(b, "},\"tools\":{\"calls\":%lld,\"failed\":%lld,\"failure_rate\":", t->tool_calls,
	              t->tool_failed);
	jnum(b, ratio((double)t->tool_failed, (double)t->tool_calls));
	ac_buf_adds(b, "},\"summarize\":{\"cost\":");
	jnum(b, t->summarize_cost);
	ac_buf_adds(b, ",\"share_of_research\":");
	jnum(b, ratio(t->summarize_cost, t->sys[AC_GEN_RESEARCH].cost));
}

/* ac_gen_truth_json, part: eval, routing. */
static void truth_routing_json(const ac_gen_truth *t, ac_buf *b)
{
	long long scored = 0;
	for (int i = 0; i < AC_GEN_NDOCTYPE; i++)
		for (int j = 0; j < AC_GEN_NCPLX; j++)
			for (int m = 0; m < AC_GEN_NEVALMODEL; m++)
				scored += t->scored[i][j][m];
	ac_buf_printf(b, "},\"eval\":{\"tasks\":%lld,\"cost\":", t->eval_tasks);
	jnum(b, t->eval_cost);
	ac_buf_adds(b, ",\"share_of_spend\":");
	jnum(b, ratio(t->eval_cost, t->cost));
	ac_buf_printf(b, ",\"scored_calls\":%lld},\"routing\":{", scored);
	long long nsub = t->subtasks[0] + t->subtasks[1] + t->subtasks[2];
	for (int c = 0; c < AC_GEN_NCPLX; c++) {
		long long calls = 0;
		for (int m = 0; m < AC_GEN_NEVALMODEL; m++)
			calls += t->route_calls[c][m];
		ac_buf_printf(b, "%s\"%s\":{\"subtasks\":%lld,\"share\":", c ? "," : "", CPLX_NAME[c], t->subtasks[c]);
		jnum(b, ratio((double)t->subtasks[c], (double)nsub));
		ac_buf_adds(b, ",\"calls\":{");
		for (int m = 0; m < AC_GEN_NEVALMODEL; m++)
			ac_buf_printf(b, "%s\"%s\":%lld", m ? "," : "", ac_gen_eval_model_name(m), t->route_calls[c][m]);
		ac_buf_adds(b, "},\"model_share\":{");
		for (int m = 0; m < AC_GEN_NEVALMODEL; m++) {
			ac_buf_printf(b, "%s\"%s\":", m ? "," : "", ac_gen_eval_model_name(m));
			jnum(b, ratio((double)t->route_calls[c][m], (double)calls));
		}
		ac_buf_adds(b, "}}");
	}
}

/* ac_gen_truth_json, part: incident, accuracy, days. */
static void truth_tail_json(const ac_gen_truth *t, ac_buf *b)
{
	char day[11], when[40];
	const ac_gen_opts *o = &t->opts;
	if (t->incident_tasks) {
		ac_format_iso_ms(t->incident_start_ns, when);
		ac_buf_printf(b, "},\"incident\":{\"start\":\"%s\",", when);
		ac_format_iso_ms(t->incident_end_ns, when);
		ac_format_day(ac_day_of_ns(t->incident_start_ns), day);
		ac_buf_printf(b, "\"end\":\"%s\",\"start_ns\":%lld,\"end_ns\":%lld,\"day\":\"%s\",", when,
		              (long long)t->incident_start_ns, (long long)t->incident_end_ns, day);
	} else {
		ac_buf_adds(b, "},\"incident\":{\"start\":null,\"end\":null,\"start_ns\":null,\"end_ns\":null,"
		               "\"day\":null,");
	}
	ac_buf_printf(b, "\"system\":\"doc-agent\",\"task_type\":\"%s\",\"tasks\":%lld,\"llm_calls\":%lld,"
	              "\"cost\":",
	              DOCT[t->incident_type].name, t->incident_tasks, t->incident_llm_calls);
	jnum(b, t->incident_cost);
	ac_buf_adds(b, "},\"accuracy\":[");
	int first = 1;
	for (int i = 0; i < AC_GEN_NDOCTYPE; i++)
		for (int j = 0; j < AC_GEN_NCPLX; j++)
			for (int m = 0; m < AC_GEN_NEVALMODEL; m++) {
				ac_buf_printf(b, "%s{\"task_type\":\"%s\",\"complexity\":\"%s\",\"model\":\"%s\",\"true_accuracy\":",
				              first ? "" : ",", DOCT[i].name, CPLX_NAME[j], ac_gen_eval_model_name(m));
				jnum(b, t->accuracy[i][j][m]);
				ac_buf_printf(b, ",\"scored\":%lld,\"correct\":%lld}", t->scored[i][j][m], t->correct[i][j][m]);
				first = 0;
			}
	ac_buf_adds(b, "],\"days\":[");
	for (int d = 0; d < o->days; d++) {
		ac_format_day(o->start_day + d, day);
		ac_buf_printf(b, "%s{\"date\":\"%s\",\"weekday\":\"%s\",\"tasks\":%lld,\"cost\":", d ? "," : "", day,
		              DOW[weekday(o->start_day + d)], t->day_tasks[d]);
		jnum(b, t->day_cost[d]);
		ac_buf_adds(b, "}");
	}
	ac_buf_adds(b, "]");
}

/*
 * Keys: options; output {records, bytes_json, bytes_out}; tasks {all, prod,
 * eval, per_system {name: {prod, eval}}}; spans, llm_calls, tool_calls,
 * error_spans, llm_calls_per_task {min, max}; tokens {input, output,
 * cache_read, total}; cost {total, prod, eval, per_system {name: {prod,
 * eval, spans, llm_calls, tool_calls}}}; doc_tasks {n, k, mean_cost,
 * bottom10_mean, top10_mean, tail_ratio, all_sonnet_cost_ratio}; retries
 * {episodes, attempts, retries_per_failure, llm_calls, tokens, token_share,
 * cost, cost_share}; tools {calls, failed, failure_rate}; summarize {cost,
 * share_of_research}; eval {tasks, cost, share_of_spend, scored_calls};
 * routing {simple|moderate|complex: {subtasks, share, calls {model: n},
 * model_share {model: x}}}; incident {start, end, start_ns, end_ns, day,
 * system, task_type, tasks, llm_calls, cost}; accuracy [{task_type,
 * complexity, model, true_accuracy, scored, correct}]; days [{date, weekday,
 * tasks, cost}]; with opts.price_dimensions also price_dimensions (above);
 * with opts.users, options.users and users, teams (users_json).
 * Shares: token_share = retry tokens / all tokens; cost_share = retry cost /
 * total cost; share_of_research = summarize cost / research-agent cost;
 * share_of_spend = eval cost / total cost.
 */
void ac_gen_truth_json(const ac_gen_truth *t, ac_buf *b)
{
	char day[11];
	const ac_gen_opts *o = &t->opts;
	ac_format_day(o->start_day, day);
	ac_buf_printf(b,
	              "{\"generator\":\"agentcost gen\",\"options\":{\"days\":%d,\"start\":\"%s\","
	              "\"tasks_per_day\":%d,\"seed\":%llu,\"format\":\"%s\",\"container\":\"%s\",",
	              o->days, day, o->tasks_per_day, (unsigned long long)o->seed,
	              o->format == AC_GEN_OTLP ? "otlp" : "jsonl",
	              o->container == AC_GEN_PLAIN ? "plain"
	                                           : (o->container == AC_GEN_ZSTD ? "zstd" : "zstd-framed"));
	ac_buf_printf(b, "\"layout\":\"%s\",\"batch_size\":%d,\"batch_timeout_ms\":%d,\"incident_usd\":",
	              o->layout == AC_GEN_LAYOUT_TRACE ? "trace" : "collector", o->batch_size, o->batch_timeout_ms);
	jnum(b, o->incident_usd >= 0 ? o->incident_usd : INCIDENT_USD_AT_12K * o->tasks_per_day / 12000.0);
	if (o->users)
		ac_buf_printf(b, ",\"users\":%d", o->users);
	ac_buf_adds(b, "},");
	truth_counts_json(t, b);
	truth_shares_json(t, b);
	truth_routing_json(t, b);
	truth_tail_json(t, b);
	if (o->price_dimensions)
		dims_json(&t->dims, b);
	if (o->users)
		users_json(t, b);
	ac_buf_adds(b, "}\n");
}
