/*
 * Langfuse exports (../shared/reference/FORMATS.md f and g): three shapes of
 * the same observations, all read by one observation walker (lf_obs).
 *
 *   API export  {"trace":{..., "observations":[...]}, "observations":[...]}
 *               (one per document, several concatenated, or a JSON array of
 *               them; also the bare trace of GET /api/public/traces/{id},
 *               {"id":..,"observations":[...]}). camelCase keys. An
 *               observation listed both at the top level and under
 *               trace.observations is read once (matched by its id text).
 *   rows        the blob-storage export of observations as JSONL, one object
 *               per line, snake_case keys (trace_id, id, parent_observation_id,
 *               type, start_time "YYYY-MM-DD HH:MM:SS.ffffff" UTC or ISO,
 *               usage_details, cost_details, total_cost, user_id, ...). A line
 *               holding one camelCase API observation is read the same way.
 *   CSV         the same rows with a header line (ac_parse_csv_record): each
 *               row is rewritten as the JSON row object (cells holding a JSON
 *               object or array go in as JSON, the others as strings) and
 *               walked like a JSONL row.
 *
 * Ids: Langfuse ids are arbitrary strings.
 *   trace id        32 hex digits, or a dashed UUID (8-4-4-4-12 hex) -> those
 *                   16 bytes; 16 hex digits -> 8 zero bytes, then those 8 (a
 *                   64-bit trace id, padded as Jaeger pads it); anything else
 *                   -> ac_hash64(id, SEED_TRACE_HI) then ac_hash64(id,
 *                   SEED_TRACE_LO), each big-endian.
 *   observation id  16 hex digits -> those 8 bytes; anything else (UUIDs,
 *   and parent id   32 hex, other strings) -> ac_hash64(id, SEED_OBS),
 *                   big-endian. The same rule for both, so parents resolve.
 *   Hex digits are read in either case; hashed ids use the decoded string
 *   byte for byte (case-sensitive). An id of zeros is missing (parent: root).
 *
 * Usage (usageDetails / usage_details, else the legacy usage object) replaces
 * any token counts found in the metadata attributes. Keys: input, output,
 * total; cache read input_cached_tokens / input_cache_read /
 * cache_read_input_tokens; cache creation input_cache_creation /
 * cache_creation_input_tokens; reasoning output_reasoning_tokens /
 * output_reasoning. Langfuse's input EXCLUDES cache reads and cache creation
 * (its ingestion subtracts them, FORMATS.md f), agentcost's includes them:
 *   agentcost input  = input + cache_read + cache_creation
 * Whether reasoning is inside output depends on the integration; total says:
 *   total == input + cache_read + cache_creation + output  -> inside:
 *       agentcost output = output
 *   otherwise (total == ... + output + reasoning, or no total: Langfuse's own
 *   parts are disjoint, its total their sum) -> outside:
 *       agentcost output = output + reasoning
 *
 * Cost: Langfuse's own cost is kept as the producer's cost (pcost_total, next
 * to agentcost's pricing): cost_details.total, else the sum of cost_details'
 * other keys, else totalCost / calculatedTotalCost / total_cost /
 * calculated_total_cost; a cost of 0 from any of them is no cost (Langfuse
 * writes 0 where it had no price: that is not "free").
 *
 * Step kind from type: GENERATION and EMBEDDING an LLM call, TOOL a tool call,
 * AGENT an agent step, CHAIN a chain, EVALUATOR an evaluator; SPAN, EVENT and
 * the rest other (unless they carry a model and tokens, like any span). The
 * type overrides the kind signals of the metadata attributes.
 * Model: providedModelName / provided_model_name, else model, else the
 * metadata attributes (gen_ai.response.model ...). level ERROR is an error
 * status. environment (other than "default", Langfuse's placeholder) is the
 * deployment environment unless the metadata names one.
 * metadata: a JSON string (or object) holding the original OTel attributes
 * ("attributes"), resource ("resourceAttributes" or "resource") and scope; the
 * attributes and resource go through the attribute table (service.name comes
 * from there: a trace's name or environment is not a service).
 * raw: a row's own text (user_id and session_id are in it); for the API
 * export {"trace":{id, name, userId, sessionId, environment, tags, release,
 * version},"observation":{...}}, so the trace's user and session stay with
 * each observation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/hash.h"
#include "../util/timeutil.h"
#include "pjson.h"

#define SEED_TRACE_HI 0x4c46545241434531ULL /* "LFTRACE1" */
#define SEED_TRACE_LO 0x4c46545241434532ULL /* "LFTRACE2" */
#define SEED_OBS 0x4c464f4253455256ULL      /* "LFOBSERV" */

/* One record being walked: the metadata parser and the raw-text buffer live
 * for the record, so their memory is reused from observation to observation. */
typedef struct lf_ctx {
	ac_pctx *c;
	ac_json mj[3]; /* metadata, its resource and its attributes when they are JSON text */
	ac_buf raw;  /* API export: the observation wrapped with its trace */
} lf_ctx;

/* What the observations of one API export share. */
typedef struct lf_trace {
	int tok; /* the trace object, or -1 (rows) */
	int id;  /* its id token, or -1 */
	int env; /* its environment token, or -1 */
} lf_trace;

static void lf_release(lf_ctx *x)
{
	for (int i = 0; i < 3; i++)
		ac_json_release(&x->mj[i]);
	ac_buf_release(&x->raw);
}

static int is_null(const ac_json *j, int t)
{
	size_t n;
	return t < 0 || (ac_json_type(j, t) == JSMN_PRIMITIVE && ac_json_raw(j, t, &n)[0] == 'n');
}

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

static int all_zero(const uint8_t *p, size_t n)
{
	unsigned any = 0;
	for (size_t i = 0; i < n; i++)
		any |= p[i];
	return !any;
}

static void put_be64(uint8_t *out, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

/* A dashed UUID 8-4-4-4-12 as its 32 hex digits in hex32. 1 when it is one. */
static int uuid_hex(const char *s, size_t n, char hex32[32])
{
	if (n != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '-')
			hex32[k++] = s[i];
	return k == 32 && all_hex(hex32, 32);
}

/* Id string of token t: 0 and (*s, *n), 1 when absent (null, missing, ""),
 * -1 when not a string. */
static int id_text(ac_json *j, int t, const char **s, size_t *n)
{
	if (is_null(j, t))
		return 1;
	if (ac_json_type(j, t) != JSMN_STRING || ac_json_str(j, t, s, n))
		return -1;
	return *n == 0;
}

/* Trace id by the rule at the top. 0 ok, 1 absent (or zeros), -1 not a string. */
int ac_lf_trace_id(const char *s, size_t n, uint8_t out[16])
{
	char hex[32];
	memset(out, 0, 16);
	if (n == 0)
		return 1;
	if (n == 32 && all_hex(s, 32))
		ac_unhex(s, 32, out, 16);
	else if (uuid_hex(s, n, hex))
		ac_unhex(hex, 32, out, 16);
	else if (n == 16 && all_hex(s, 16))
		ac_unhex(s, 16, out + 8, 8);
	else {
		put_be64(out, ac_hash64(s, n, SEED_TRACE_HI));
		put_be64(out + 8, ac_hash64(s, n, SEED_TRACE_LO));
	}
	return all_zero(out, 16);
}

/* Observation id by the rule at the top. 0 ok, 1 absent (or zeros). */
int ac_lf_obs_id(const char *s, size_t n, uint8_t out[8])
{
	memset(out, 0, 8);
	if (n == 0)
		return 1;
	if (n == 16 && all_hex(s, 16))
		ac_unhex(s, 16, out, 8);
	else
		put_be64(out, ac_hash64(s, n, SEED_OBS));
	return all_zero(out, 8);
}

/* A token count of the usage object: 1 and *out when present, 0 absent
 * (missing or null), -1 rejected (sp->err set). */
static int usage_count(ac_json *j, int obj, const char *const *keys, ac_span *sp, int64_t *out)
{
	int t = -1;
	const char *key = keys[0];
	for (; *keys && t < 0; keys++) {
		t = ac_pj_find_key(j, obj, *keys, NULL);
		key = *keys;
	}
	if (is_null(j, t))
		return 0;
	double d;
	if (ac_json_f64(j, t, &d) || d != d) {
		ac_pj_span_fail(sp, "usage %s: token count is not a number", key);
		return -1;
	}
	if (d < 0) {
		ac_pj_span_fail(sp, "usage %s: token count is negative", key);
		return -1;
	}
	if (d > (double)AC_MAX_TOKENS) {
		ac_pj_span_fail(sp, "usage %s: token count is absurd (over 100000000)", key);
		return -1;
	}
	if (d != (double)(int64_t)d) {
		ac_pj_span_fail(sp, "usage %s: token count is not a whole number", key);
		return -1;
	}
	*out = (int64_t)d;
	return 1;
}

static void set_tok(ac_span *sp, int k, int64_t v)
{
	sp->tok[k] = v;
	sp->tok_mask |= 1u << k;
	sp->prio[AC_F_TOK_IN + k] = 0;
}

/*
 * Apply a Langfuse usage object (the rule at the top). Nothing happens when it
 * holds none of the keys (the metadata's counts stay).
 */
static void apply_usage(ac_json *j, int u, ac_span *sp)
{
	static const char *const K_IN[] = { "input", NULL };
	static const char *const K_OUT[] = { "output", NULL };
	static const char *const K_TOTAL[] = { "total", NULL };
	static const char *const K_CR[] = { "input_cached_tokens", "input_cache_read",
		                            "cache_read_input_tokens", NULL };
	static const char *const K_CW[] = { "input_cache_creation", "cache_creation_input_tokens", NULL };
	static const char *const K_R[] = { "output_reasoning_tokens", "output_reasoning", NULL };
	if (u < 0 || ac_json_type(j, u) != JSMN_OBJECT)
		return;
	int64_t in = 0, out = 0, total = 0, cr = 0, cw = 0, r = 0;
	int h_in = usage_count(j, u, K_IN, sp, &in), h_out = usage_count(j, u, K_OUT, sp, &out);
	int h_total = usage_count(j, u, K_TOTAL, sp, &total), h_cr = usage_count(j, u, K_CR, sp, &cr);
	int h_cw = usage_count(j, u, K_CW, sp, &cw), h_r = usage_count(j, u, K_R, sp, &r);
	if (h_in < 0 || h_out < 0 || h_total < 0 || h_cr < 0 || h_cw < 0 || h_r < 0)
		return;
	if (!(h_in | h_out | h_cr | h_cw | h_r))
		return;
	int64_t in_side = in + cr + cw;
	int inside = h_total && total == in_side + out;
	int64_t out_all = inside ? out : out + r;
	if (in_side > AC_MAX_TOKENS || out_all > AC_MAX_TOKENS) {
		ac_pj_span_fail(sp, "%s", "usage: token count is absurd (over 100000000)");
		return;
	}
	sp->tok_mask = 0;
	memset(sp->tok, 0, sizeof(sp->tok));
	if (h_in | h_cr | h_cw)
		set_tok(sp, AC_TOK_IN, in_side);
	if (h_out | h_r)
		set_tok(sp, AC_TOK_OUT, out_all);
	if (h_cr)
		set_tok(sp, AC_TOK_CACHE_READ, cr);
	if (h_cw)
		set_tok(sp, AC_TOK_CACHE_WRITE, cw);
	if (h_r)
		set_tok(sp, AC_TOK_REASONING, r);
}

/* A cost value: 1 and *d, 0 absent, -1 rejected. */
static int cost_value(ac_json *j, int t, const char *key, ac_span *sp, double *d)
{
	if (is_null(j, t))
		return 0;
	if (ac_json_f64(j, t, d) || *d != *d || *d > 1e12) {
		ac_pj_span_fail(sp, "%s is not a number", key);
		return -1;
	}
	if (*d < 0) {
		ac_pj_span_fail(sp, "%s is negative", key);
		return -1;
	}
	return 1;
}

/* Langfuse's cost as the producer's cost (the rule at the top). */
static void apply_cost(ac_json *j, int details, const int *totals, const char *const *names, int ntotals,
                       ac_span *sp)
{
	double d = 0, sum = 0;
	int have = 0;
	if (details >= 0 && ac_json_type(j, details) == JSMN_OBJECT) {
		int t = ac_pj_find_key(j, details, "total", NULL);
		int r = cost_value(j, t, "cost_details.total", sp, &d);
		if (r < 0)
			return;
		if (r > 0) {
			sum = d;
			have = 1;
		} else {
			int k = details + 1;
			for (int n = 0; n < j->tok[details].size; n++, k = ac_json_skip(j, k + 1)) {
				r = cost_value(j, k + 1, "cost_details value", sp, &d);
				if (r < 0)
					return;
				if (r > 0) {
					sum += d;
					have = 1;
				}
			}
		}
	}
	if (have && sum == 0)
		have = 0; /* all zeros: Langfuse had no price (as for totalCost 0) */
	for (int i = 0; i < ntotals && !have; i++) {
		int r = cost_value(j, totals[i], names[i], sp, &d);
		if (r < 0)
			return;
		if (r > 0 && d > 0) {
			sum = d;
			have = 1;
		}
	}
	if (have) {
		sp->pcost_total = sum;
		sp->num_mask |= 2;
		sp->prio[AC_F_PCOST_TOTAL] = 0;
	}
}

/* The step signal of a Langfuse type (as an OpenInference kind the step
 * decision knows), or "OTHER". */
static const char *type_kind(ac_str t)
{
	static const char *const MAP[][2] = {
		{ "GENERATION", "LLM" }, { "EMBEDDING", "EMBEDDING" }, { "TOOL", "TOOL" },
		{ "AGENT", "AGENT" },    { "CHAIN", "CHAIN" },         { "EVALUATOR", "EVALUATOR" },
	};
	for (size_t i = 0; i < sizeof(MAP) / sizeof(MAP[0]); i++)
		if (ac_str_ieq(t, MAP[i][0]))
			return MAP[i][1];
	return "OTHER";
}

static void set_str(ac_span *sp, int f, const char *p, size_t n, int prio)
{
	sp->str[f].p = p;
	sp->str[f].n = n;
	sp->prio[f] = (unsigned char)prio;
}

/*
 * Token t of *m as a JSON object: itself, or a string holding one, parsed into
 * scratch (the blob-storage export writes metadata as a map of strings, so
 * each of its values may be JSON text again). 1 and (*out, *root), or 0.
 */
static int as_object(ac_json *m, int t, ac_json *scratch, ac_json **out, int *root)
{
	if (t < 0)
		return 0;
	if (ac_json_type(m, t) == JSMN_OBJECT) {
		*out = m;
		*root = t;
		return 1;
	}
	const char *s;
	size_t n;
	ac_err e = AC_ERR_INIT;
	if (ac_json_type(m, t) != JSMN_STRING || ac_json_str(m, t, &s, &n))
		return 0;
	while (n && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
		s++, n--;
	if (n == 0 || *s != '{' || ac_json_parse(scratch, s, n, &e))
		return 0; /* not JSON: plain user metadata */
	*out = scratch;
	*root = 0;
	return ac_json_type(scratch, 0) == JSMN_OBJECT;
}

/* metadata: a JSON string or object with the original OTel attributes,
 * resource and scope. The strings it yields live in x->mj until the next
 * observation. */
static void apply_metadata(lf_ctx *x, int t, ac_span *sp)
{
	ac_json *m, *a;
	int root, at;
	if (!as_object(x->c->j, t, &x->mj[0], &m, &root))
		return;
	int res = ac_pj_find_key(m, root, "resourceAttributes", "resource_attributes");
	if (res < 0) {
		res = ac_pj_find_key(m, root, "resource", NULL);
		int ra = ac_pj_find_key(m, res, "attributes", NULL);
		if (ra >= 0)
			res = ra;
	}
	if (as_object(m, res, &x->mj[1], &a, &at))
		ac_pj_flat_attrs(a, at, sp, 1);
	if (as_object(m, ac_pj_find_key(m, root, "attributes", NULL), &x->mj[2], &a, &at))
		ac_pj_flat_attrs(a, at, sp, 0);
	ac_pj_flat_attrs(m, root, sp, 0); /* user metadata with attribute names */
}

/* Token t's text with a string's quotes. */
static const char *tok_text(const ac_json *j, int t, size_t *n)
{
	const char *p = ac_json_raw(j, t, n);
	if (ac_json_type(j, t) == JSMN_STRING) {
		p--;
		*n += 2;
	}
	return p;
}

/* raw for an API export observation: {"trace":{...},"observation":{...}}. */
static void wrap_raw(lf_ctx *x, int o, const lf_trace *tr, ac_span *sp)
{
	static const char *const KEYS[] = { "id", "name", "userId", "sessionId", "environment",
		                            "tags", "release", "version" };
	ac_json *j = x->c->j;
	size_t n;
	const char *p;
	ac_buf_reset(&x->raw);
	ac_buf_adds(&x->raw, "{\"trace\":{");
	int first = 1;
	for (size_t i = 0; i < sizeof(KEYS) / sizeof(KEYS[0]); i++) {
		int v = ac_pj_find_key(j, tr->tok, KEYS[i], NULL);
		if (v < 0)
			continue;
		ac_buf_printf(&x->raw, "%s\"%s\":", first ? "" : ",", KEYS[i]);
		p = tok_text(j, v, &n);
		ac_buf_add(&x->raw, p, n);
		first = 0;
	}
	ac_buf_adds(&x->raw, "},\"observation\":");
	p = tok_text(j, o, &n);
	ac_buf_add(&x->raw, p, n);
	ac_buf_addc(&x->raw, '}');
	if (!x->raw.oom) {
		sp->raw.p = x->raw.data;
		sp->raw.n = x->raw.len;
	}
}

static int time_field(ac_json *j, int t, int64_t *ns)
{
	const char *s;
	size_t n;
	if (is_null(j, t))
		return 0;
	if (ac_json_str(j, t, &s, &n) || ac_time_parse_iso(s, n, ns))
		return -1;
	return 0;
}

/* lf_obs(): the trace, observation and parent ids (token indexes, -1 when absent). */
static void lf_obs_ids(ac_json *j, int trace, int id, int parent, const lf_trace *tr, ac_span *sp, int *have_trace,
                       int *have_span)
{
	const char *s;
	size_t sn;
	int r;

	int tid = !is_null(j, trace) ? trace : tr->id;
	r = id_text(j, tid, &s, &sn);
	if (r < 0)
		ac_pj_span_fail(sp, "%s", "trace id is not a string");
	else if (r == 0)
		*have_trace = ac_lf_trace_id(s, sn, sp->trace_id) == 0;
	r = id_text(j, id, &s, &sn);
	if (r < 0)
		ac_pj_span_fail(sp, "%s", "observation id is not a string");
	else if (r == 0)
		*have_span = ac_lf_obs_id(s, sn, sp->span_id) == 0;
	r = id_text(j, parent, &s, &sn);
	if (r < 0)
		ac_pj_span_fail(sp, "%s", "parent observation id is not a string");
	else if (r == 0)
		sp->has_parent = ac_lf_obs_id(s, sn, sp->parent_id) == 0;
}

/* lf_obs(): the level, the type (it decides the step kind over the metadata's signals) and the model. */
static void lf_obs_kind(ac_json *j, int level, int type, int model, int pmodel, ac_span *sp)
{
	const char *s;
	size_t sn;

	if (!is_null(j, level) && ac_json_str(j, level, &s, &sn) == 0 &&
	    ac_str_ieq((ac_str){ s, sn }, "ERROR"))
		sp->status = 2;

	/* the type decides the step kind over the metadata's signals */
	if (!is_null(j, type)) {
		if (ac_json_str(j, type, &s, &sn)) {
			ac_pj_span_fail(sp, "%s", "type is not a string");
		} else {
			const char *kind = type_kind((ac_str){ s, sn });
			set_str(sp, AC_F_OI_KIND, kind, strlen(kind), 0);
			set_str(sp, AC_F_OPERATION, NULL, 0, AC_PRIO_UNSET);
			set_str(sp, AC_F_TL_KIND, NULL, 0, AC_PRIO_UNSET);
		}
	}

	int mt = !is_null(j, pmodel) ? pmodel : model;
	if (!is_null(j, mt) && ac_json_str(j, mt, &s, &sn) == 0 && sn > 0)
		set_str(sp, AC_F_MODEL, s, sn, 0);
	else if (mt >= 0 && !is_null(j, mt) && ac_json_type(j, mt) != JSMN_STRING)
		ac_pj_span_fail(sp, "%s", "model is not a string");
}

/* One observation (API export, row or CSV row) to one span. */
static int lf_obs(lf_ctx *x, int o, const lf_trace *tr)
{
	ac_json *j = x->c->j;
	ac_span sp;
	ac_span_reset(&sp);
	sp.raw.p = j->js + j->tok[o].start;
	sp.raw.n = (size_t)(j->tok[o].end - j->tok[o].start);
	if (ac_json_type(j, o) != JSMN_OBJECT) {
		ac_pj_span_fail(&sp, "%s", "observation is not a JSON object");
		sp.line = x->c->line;
		return x->c->emit(&sp, x->c->payload);
	}
	enum { F_ID, F_TRACE, F_PARENT, F_TYPE, F_NAME, F_START, F_END, F_LEVEL, F_MODEL, F_PMODEL,
	       F_USAGE, F_USAGE_OLD, F_COST, F_TOTAL, F_CALC, F_META, F_ENV, F_N };
	static const char *const FIELDS[F_N][2] = {
		{ "id", NULL },
		{ "traceId", "trace_id" },
		{ "parentObservationId", "parent_observation_id" },
		{ "type", NULL },
		{ "name", NULL },
		{ "startTime", "start_time" },
		{ "endTime", "end_time" },
		{ "level", NULL },
		{ "model", NULL },
		{ "providedModelName", "provided_model_name" },
		{ "usageDetails", "usage_details" },
		{ "usage", NULL },
		{ "costDetails", "cost_details" },
		{ "totalCost", "total_cost" },
		{ "calculatedTotalCost", "calculated_total_cost" },
		{ "metadata", NULL },
		{ "environment", NULL },
	};
	int v[F_N];
	for (int f = 0; f < F_N; f++)
		v[f] = -1;
	int k = o + 1;
	for (int n = 0; n < j->tok[o].size; n++, k = ac_json_skip(j, k + 1)) {
		for (int f = 0; f < F_N; f++) {
			if (ac_json_eq(j, k, FIELDS[f][0]) || (FIELDS[f][1] && ac_json_eq(j, k, FIELDS[f][1]))) {
				if (v[f] >= 0)
					ac_pj_span_fail(&sp, "duplicate key \"%s\"", FIELDS[f][0]);
				v[f] = k + 1;
				break;
			}
		}
	}
	const char *s;
	size_t sn;
	int have_trace = 0, have_span = 0;

	/* metadata first: Langfuse's own fields below override what it says */
	if (!is_null(j, v[F_META]))
		apply_metadata(x, v[F_META], &sp);

	lf_obs_ids(j, v[F_TRACE], v[F_ID], v[F_PARENT], tr, &sp, &have_trace, &have_span);

	if (!is_null(j, v[F_NAME]) && ac_json_str(j, v[F_NAME], &sp.name.p, &sp.name.n))
		ac_pj_span_fail(&sp, "%s", "name is not a string");
	if (time_field(j, v[F_START], &sp.start_ns))
		ac_pj_span_fail(&sp, "%s", "start time is not an ISO-8601 time");
	if (time_field(j, v[F_END], &sp.end_ns))
		ac_pj_span_fail(&sp, "%s", "end time is not an ISO-8601 time");

	lf_obs_kind(j, v[F_LEVEL], v[F_TYPE], v[F_MODEL], v[F_PMODEL], &sp);

	apply_usage(j, v[F_USAGE] >= 0 && !is_null(j, v[F_USAGE]) ? v[F_USAGE] : v[F_USAGE_OLD], &sp);

	static const char *const TOTAL_NAMES[] = { "totalCost", "calculatedTotalCost" };
	int totals[2] = { v[F_TOTAL], v[F_CALC] };
	apply_cost(j, v[F_COST], totals, TOTAL_NAMES, 2, &sp);

	int env = !is_null(j, v[F_ENV]) ? v[F_ENV] : tr->env;
	if (sp.prio[AC_F_ENV] == AC_PRIO_UNSET && !is_null(j, env) && ac_json_str(j, env, &s, &sn) == 0 &&
	    sn > 0 && !(sn == 7 && memcmp(s, "default", 7) == 0))
		set_str(&sp, AC_F_ENV, s, sn, AC_PRIO_RESOURCE + 50);

	if (tr->tok >= 0)
		wrap_raw(x, o, tr, &sp);
	return ac_pj_finish_and_emit(x->c, &sp, have_trace, have_span);
}

/* ---- API export ------------------------------------------------------------ */

/* Ids already read from the top-level list: token indices hashed by id text. */
typedef struct idset {
	int *slot; /* token + 1, 0 empty */
	size_t cap;
} idset;

static uint64_t id_hash(const ac_json *j, int t)
{
	size_t n;
	const char *p = ac_json_raw(j, t, &n);
	return ac_hash64(p, n, 7);
}

static int id_same(const ac_json *j, int a, int b)
{
	size_t na, nb;
	const char *pa = ac_json_raw(j, a, &na), *pb = ac_json_raw(j, b, &nb);
	return na == nb && memcmp(pa, pb, na) == 0;
}

/* 1 when an id equal to token t is in the set (added otherwise, if add). */
static int idset_has(idset *s, const ac_json *j, int t, int add)
{
	if (!s->slot)
		return 0;
	size_t i = id_hash(j, t) & (s->cap - 1);
	while (s->slot[i]) {
		if (id_same(j, s->slot[i] - 1, t))
			return 1;
		i = (i + 1) & (s->cap - 1);
	}
	if (add)
		s->slot[i] = t + 1;
	return 0;
}

static int walk_list(lf_ctx *x, int arr, const lf_trace *tr, idset *seen, int add)
{
	ac_json *j = x->c->j;
	int e = arr + 1;
	for (int n = 0; n < j->tok[arr].size; n++, e = ac_json_skip(j, e)) {
		if (ac_json_type(j, e) == JSMN_STRING)
			continue; /* an observation listed by id only */
		int id = ac_pj_find_key(j, e, "id", NULL);
		if (id >= 0 && ac_json_type(j, id) == JSMN_STRING && idset_has(seen, j, id, add))
			continue;
		int rc = lf_obs(x, e, tr);
		if (rc)
			return rc;
	}
	return 0;
}

/* One {trace, observations} object (or a bare trace with its observations). */
static int walk_export(lf_ctx *x, int root)
{
	ac_json *j = x->c->j;
	lf_trace tr = { -1, -1, -1 };
	int top = -1, nested = -1;
	int t = ac_pj_find_key(j, root, "trace", NULL);
	if (t >= 0) {
		top = ac_pj_find_key(j, root, "observations", NULL);
	} else {
		t = root; /* GET /api/public/traces/{id} */
	}
	if (ac_json_type(j, t) != JSMN_OBJECT)
		return ac_pj_structure_error(x->c, "\"trace\" is not an object; its observations are skipped");
	tr.tok = t;
	tr.id = ac_pj_find_key(j, t, "id", NULL);
	tr.env = ac_pj_find_key(j, t, "environment", NULL);
	nested = ac_pj_find_key(j, t, "observations", NULL);
	if (top >= 0 && ac_json_type(j, top) != JSMN_ARRAY) {
		int rc = ac_pj_structure_error(x->c, "\"observations\" is not an array; its content is skipped");
		if (rc)
			return rc;
		top = -1;
	}
	if (nested >= 0 && ac_json_type(j, nested) != JSMN_ARRAY) {
		int rc = ac_pj_structure_error(x->c,
		                               "\"trace.observations\" is not an array; its content is skipped");
		if (rc)
			return rc;
		nested = -1;
	}
	idset seen = { NULL, 0 };
	int rc = 0;
	if (top >= 0 && nested >= 0 && j->tok[nested].size > 0) {
		size_t cap = 16;
		while (cap < 2 * (size_t)j->tok[top].size + 2)
			cap *= 2;
		seen.slot = calloc(cap, sizeof(*seen.slot));
		seen.cap = cap;
		if (!seen.slot)
			return AC_ENOMEM;
	}
	if (top >= 0)
		rc = walk_list(x, top, &tr, &seen, 1);
	if (!rc && nested >= 0)
		rc = walk_list(x, nested, &tr, &seen, 0);
	free(seen.slot);
	return rc;
}

static int is_export(ac_json *j, int o)
{
	if (ac_json_type(j, o) != JSMN_OBJECT)
		return 0;
	int t = ac_pj_find_key(j, o, "trace", NULL);
	if (t >= 0)
		return ac_json_type(j, t) == JSMN_OBJECT &&
		       (ac_pj_find_key(j, o, "observations", NULL) >= 0 ||
		        ac_pj_find_key(j, t, "observations", NULL) >= 0);
	int obs = ac_pj_find_key(j, o, "observations", NULL);
	return obs >= 0 && ac_json_type(j, obs) == JSMN_ARRAY && ac_pj_find_key(j, o, "id", NULL) >= 0 &&
	       (ac_pj_find_key(j, o, "projectId", NULL) >= 0 || ac_pj_find_key(j, o, "timestamp", NULL) >= 0);
}

static int langfuse_detect(ac_json *j, int root)
{
	if (ac_json_type(j, root) == JSMN_ARRAY)
		return j->tok[root].size > 0 && is_export(j, root + 1);
	return is_export(j, root);
}

static int langfuse_walk(ac_pctx *c, int root)
{
	ac_json *j = c->j;
	lf_ctx x = { c, { AC_JSON_INIT, AC_JSON_INIT, AC_JSON_INIT }, AC_BUF_INIT };
	int rc = 0;
	if (ac_json_type(j, root) == JSMN_ARRAY) {
		int e = root + 1;
		for (int n = 0; n < j->tok[root].size && !rc; n++, e = ac_json_skip(j, e)) {
			if (is_export(j, e))
				rc = walk_export(&x, e);
			else
				rc = ac_pj_structure_error(c, "an array element is not a Langfuse "
				                              "{trace, observations} object; skipped");
		}
	} else {
		rc = walk_export(&x, root);
	}
	lf_release(&x);
	return rc;
}

const ac_json_format ac_fmt_langfuse = { AC_REC_LANGFUSE, langfuse_detect, langfuse_walk };

/* ---- rows (JSONL) ----------------------------------------------------------- */

/* An observation row: a trace id, an id and a type, and no span_id (flat spans). */
static int langfuse_row_detect(ac_json *j, int root)
{
	if (ac_json_type(j, root) != JSMN_OBJECT)
		return 0;
	return ac_pj_find_key(j, root, "type", NULL) >= 0 &&
	       ac_pj_find_key(j, root, "trace_id", "traceId") >= 0 &&
	       ac_pj_find_key(j, root, "id", NULL) >= 0 &&
	       ac_pj_find_key(j, root, "span_id", "spanId") < 0;
}

static int langfuse_row_walk(ac_pctx *c, int root)
{
	lf_ctx x = { c, { AC_JSON_INIT, AC_JSON_INIT, AC_JSON_INIT }, AC_BUF_INIT };
	lf_trace tr = { -1, -1, -1 };
	int rc = lf_obs(&x, root, &tr);
	lf_release(&x);
	return rc;
}

const ac_json_format ac_fmt_langfuse_row = { AC_REC_LANGFUSE_ROW, langfuse_row_detect, langfuse_row_walk };

/* ---- rows (CSV) ------------------------------------------------------------- */

struct ac_csv_rows {
	int state;   /* 0 before the header, 1 header read, -1 not a Langfuse header */
	char **col;  /* header names */
	int ncol;
	ac_buf cells;          /* this row's cells, one after another */
	size_t *off, *len;
	int n, cap;
	ac_buf out;            /* the row as a JSON object */
};

void ac_csv_rows_free(ac_csv_rows *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->ncol; i++)
		free(st->col[i]);
	free(st->col);
	free(st->off);
	free(st->len);
	ac_buf_release(&st->cells);
	ac_buf_release(&st->out);
	free(st);
}

/* Add one cell (its text already unquoted in st->cells from `at`). */
static int add_cell(ac_csv_rows *st, size_t at)
{
	if (st->n == st->cap) {
		int nc = st->cap ? st->cap * 2 : 32;
		size_t *no = realloc(st->off, (size_t)nc * sizeof(*no));
		if (no)
			st->off = no;
		size_t *nl = no ? realloc(st->len, (size_t)nc * sizeof(*nl)) : NULL;
		if (!no || !nl)
			return -1;
		st->len = nl;
		st->cap = nc;
	}
	st->off[st->n] = at;
	st->len[st->n] = st->cells.len - at;
	st->n++;
	return 0;
}

static int csv_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Split one row (RFC 4180, strict; the reader has already cut the row at a
 * newline outside quotes) into st->cells: cells separated by ','; a quoted
 * cell may hold ',', newlines and doubled quotes ("" = "). Spaces and tabs
 * around a cell are dropped (as libcsv does). A quote inside an unquoted cell,
 * text after a closing quote, or an unterminated quote is an error: returns
 * its reason, else NULL ("" on out of memory).
 */
static const char *split_row(ac_csv_rows *st, const char *p, size_t n)
{
	size_t i = 0;
	st->n = 0;
	ac_buf_reset(&st->cells);
	for (;;) {
		while (i < n && csv_space(p[i]))
			i++;
		size_t at = st->cells.len;
		if (i < n && p[i] == '"') {
			i++;
			for (;;) {
				const char *q = memchr(p + i, '"', n - i);
				if (!q)
					return "unterminated quoted cell";
				ac_buf_add(&st->cells, p + i, (size_t)(q - (p + i)));
				i = (size_t)(q - p) + 1;
				if (i < n && p[i] == '"') {
					ac_buf_addc(&st->cells, '"');
					i++;
					continue;
				}
				break;
			}
			while (i < n && csv_space(p[i]))
				i++;
			if (i < n && p[i] != ',')
				return "text after a closing quote";
		} else {
			size_t j = i;
			while (j < n && p[j] != ',') {
				if (p[j] == '"')
					return "a quote inside an unquoted cell";
				j++;
			}
			size_t e = j;
			while (e > i && csv_space(p[e - 1]))
				e--;
			ac_buf_add(&st->cells, p + i, e - i);
			i = j;
		}
		if (st->cells.oom || add_cell(st, at))
			return "";
		if (i >= n)
			return NULL;
		i++; /* the ',' */
	}
}

static void json_string(ac_buf *b, const char *s, size_t n)
{
	ac_buf_addc(b, '"');
	size_t run = 0; /* s[run, i) is plain text not yet added */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		ac_buf_add(b, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			ac_buf_addc(b, '\\');
			ac_buf_addc(b, (char)c);
		} else if (c == '\n') {
			ac_buf_adds(b, "\\n");
		} else if (c == '\r') {
			ac_buf_adds(b, "\\r");
		} else if (c == '\t') {
			ac_buf_adds(b, "\\t");
		} else {
			ac_buf_printf(b, "\\u%04x", c);
		}
	}
	ac_buf_add(b, s + run, n - run);
	ac_buf_addc(b, '"');
}

static int has_col(const ac_csv_rows *st, const char *name)
{
	for (int i = 0; i < st->ncol; i++)
		if (strcmp(st->col[i], name) == 0)
			return 1;
	return 0;
}

#define CSV_REFUSAL                                                                                \
	"a CSV file, but not a Langfuse observations export: its header names no id, trace_id and " \
	"type columns"

int ac_parse_csv_record(ac_csv_rows **pst, ac_json *j, const char *rec, size_t len, long long line,
                        int *kind, ac_span_fn emit, void *payload, ac_err *err)
{
	ac_csv_rows *st = *pst;
	*kind = AC_REC_LANGFUSE_CSV;
	err->line = line;
	if (!st) {
		st = *pst = calloc(1, sizeof(*st));
		if (!st)
			return ac_err_setpos(err, AC_ENOMEM, line, 0, "out of memory");
	}
	if (st->state < 0)
		return ac_err_setpos(err, AC_EFORMAT, line, 1, CSV_REFUSAL);

	/* split the record into cells */
	const char *why = split_row(st, rec, len);
	if (why && !*why)
		return ac_err_setpos(err, AC_ENOMEM, line, 0, "out of memory");
	if (why)
		return ac_err_setpos(err, AC_EPARSE, line, 1, "malformed csv row: %s", why);

	if (st->state == 0) {
		st->col = calloc((size_t)st->n, sizeof(*st->col));
		if (!st->col)
			return ac_err_setpos(err, AC_ENOMEM, line, 0, "out of memory");
		for (int i = 0; i < st->n; i++) {
			char *name = malloc(st->len[i] + 1);
			if (!name)
				return ac_err_setpos(err, AC_ENOMEM, line, 0, "out of memory");
			memcpy(name, st->cells.data + st->off[i], st->len[i]);
			name[st->len[i]] = '\0';
			st->col[st->ncol++] = name;
		}
		if (!has_col(st, "id") || !has_col(st, "trace_id") || !has_col(st, "type")) {
			st->state = -1;
			return ac_err_setpos(err, AC_EFORMAT, line, 1, CSV_REFUSAL);
		}
		st->state = 1;
		return 0;
	}
	if (st->n != st->ncol)
		return ac_err_setpos(err, AC_EPARSE, line, 1, "csv row has %d cells, the header names %d columns",
		                     st->n, st->ncol);

	/* the row as the JSON object of the JSONL export: a cell opening with
	 * '{' or '[' goes in as JSON. First optimistically, without checking
	 * each such cell (one tokenization of the row in all); only when the row
	 * then does not parse is it built again, checking each cell on its own,
	 * so a cell that only looks like JSON goes in as a string. */
	int rc = 0;
	ac_err e = AC_ERR_INIT;
	for (int check = 0; check < 2; check++) {
		ac_buf_reset(&st->out);
		ac_buf_addc(&st->out, '{');
		int first = 1;
		for (int i = 0; i < st->n; i++) {
			const char *s = st->cells.data + st->off[i];
			size_t n = st->len[i];
			if (n == 0)
				continue; /* an empty cell: null */
			if (!first)
				ac_buf_addc(&st->out, ',');
			first = 0;
			json_string(&st->out, st->col[i], strlen(st->col[i]));
			ac_buf_addc(&st->out, ':');
			ac_err ce = AC_ERR_INIT;
			if ((s[0] == '{' || s[0] == '[') && (!check || ac_json_parse(j, s, n, &ce) == 0))
				ac_buf_add(&st->out, s, n);
			else
				json_string(&st->out, s, n);
		}
		ac_buf_addc(&st->out, '}');
		if (st->out.oom)
			return ac_err_setpos(err, AC_ENOMEM, line, 0, "out of memory");
		e = (ac_err)AC_ERR_INIT;
		rc = ac_json_parse(j, st->out.data, st->out.len, &e);
		if (rc != AC_EPARSE)
			break;
	}
	if (rc)
		return ac_err_setpos(err, rc, line, 1, "csv row: %s", e.msg);
	ac_pctx c = { j, line, emit, payload };
	return langfuse_row_walk(&c, 0);
}
