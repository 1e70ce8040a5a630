/*
 * Pricing: what a span cost.
 *
 * A pricebook holds the imported price rows (tables `price`, `tool_price` of
 * the store, see schema/001_init.sql), the model aliases (table
 * `model_alias`, schema/006_model_alias.sql) and the built-in table compiled
 * into the binary. No fuzzy matching: a wrong price is worse than none.
 * Comparison ignores ASCII case. A span's model name M, with the span's
 * provider attribute P (gen_ai.provider.name, gen_ai.system, llm.provider,
 * ai.model.provider; may be absent), resolves in these steps (the string
 * rules are in names.c):
 *
 *   1. Alias: an imported alias for M (or for M's last path segment) replaces
 *      M by the alias's model, which then goes through steps 1b-4 (an alias
 *      is never followed through another alias). An alias is the user's word
 *      about that very name, so it beats every price row, even one for M
 *      itself; when the model it names has no price the span is unpriced.
 *   1b. Pattern: unless M is exactly an imported name, the first imported
 *      model (by name) whose name pattern matches M (Langfuse's
 *      matchPattern, table price_pattern of schema/007, run with regcomp).
 *   2. Candidates, in order, each kept with any date suffix it has:
 *      a. M exactly;
 *      b. LiteLLM's provider-prefixed key prefix(P)/M, unless M already
 *         starts with it (P "xai", M "grok-3-mini" -> "xai/grok-3-mini";
 *         "aws.bedrock" -> bedrock/, "gcp.vertex_ai" -> vertex_ai/,
 *         "azure.ai.openai" -> azure/, "x_ai" -> xai/, "mistral_ai" ->
 *         mistral/; other values give their first dotted part: "groq",
 *         "openai.responses" -> openai/);
 *      c. M's last path segment: drops an ARN's
 *         "arn:aws:bedrock:...:foundation-model/" or
 *         ":inference-profile/", Vertex's "projects/.../publishers/anthropic/
 *         models/", OpenRouter's or LiteLLM's "provider/";
 *      d. an OpenRouter provider in LiteLLM's spelling ("x-ai/grok-3" ->
 *         "xai/grok-3");
 *      e. a Bedrock inference profile's model id, without the region prefix
 *         "us." "eu." "apac." "global." "us-gov." "jp." "au." "ca." (only
 *         before a Bedrock vendor prefix): "us.meta.llama3-1-70b-instruct-v1:0"
 *         -> "meta.llama3-1-70b-instruct-v1:0";
 *      f. the model name: without the Bedrock vendor prefix ("anthropic."
 *         "meta." "amazon." "mistral." "cohere." "ai21." "deepseek."
 *         "openai." "qwen." "writer." ...) and version suffix ("-v1:0",
 *         "-v2:0", "-1:0", a ":200k" variant; "-v1" only after a vendor
 *         prefix); Vertex's "@YYYYMMDD" as "-YYYYMMDD", and "-vN@YYYYMMDD"
 *         as "-YYYYMMDD" (Vertex's claude-3-5-sonnet-v2@20241022 is
 *         Anthropic's claude-3-5-sonnet-20241022); Anthropic's dotted
 *         versions as dashes (OpenRouter's claude-3.5-sonnet ->
 *         claude-3-5-sonnet).
 *   3. The same candidates without a date suffix ("-2024-07-18",
 *      "-20241022", "@20241022"), in the same order.
 *   4. Steps 2 and 3 look in the imported rows first and only then in the
 *      built-in rows: a dated name reaches an imported dated row before any
 *      undated or built-in row; an imported undated row beats a built-in
 *      dated one. Exception: a Bedrock id or Vertex @-name of a Claude model
 *      dated 2025-09-29 or later (Sonnet 4.5 on) never reaches the built-in
 *      rows -- both clouds bill regional endpoints of those models 10%
 *      above Anthropic's list price, which is what the built-in rows hold;
 *      they are priced by imported rows (LiteLLM's table has them) or not.
 *
 * The first candidate with rows wins. Nothing else is tried: "gpt-4o" never
 * becomes "gpt-4o-mini", a suffix that is not a date or a Bedrock version
 * ("gpt-4o-mini-v2") is kept. ac_pricebook_hint() is the only fuzzy thing
 * here, and it prices nothing.
 *
 * The row in force for a span is the one of its model with the latest
 * effective_from <= the span's start day (UTC); a row without effective_from is
 * always in force (it sorts before every dated row).
 *
 * Cost of an LLM span, prices in USD per million tokens (ac_cost_llm_at):
 *   fresh   = the fresh (uncached, non-audio) input, by the token convention
 *   cost    = fresh * P(input) + audio_in * P(audio_in)
 *           + cache_read * P(cache_read)
 *           + (cache_write - cache_write_1h) * P(cache_write)
 *           + cache_write_1h * P(cache_write_1h)
 *           + (output - reasoning - audio_out) * P(output)   (negative counts 0)
 *           + reasoning * P(reasoning) + audio_out * P(audio_out)
 * Token convention (convention.h, issue #18 item 7), with
 * cache = cache_read + cache_write: the call's input either includes the
 * cache or excludes it (stated for the call's system or scope, or
 * input < cache: the
 * numbers admit no other reading). Audio is a part of the input under both:
 *   includes: fresh = input - cache - audio_in,  prompt = input
 *   excludes: fresh = input - audio_in,          prompt = input + cache
 * Nothing is clamped to hide the convention: under includes input >= cache
 * (else the call is excludes), so fresh >= 0 whenever audio_in fits in the
 * input left beside the cache. audio_in, like cache_write_1h, is a part:
 * it counts at most its whole (input - cache under includes, input under
 * excludes), as cache_write_1h counts at most cache_write.
 * cache_write_1h is the part of cache_write written with the 1-hour
 * lifetime; audio_in / audio_out are the parts of input / output that are
 * audio (OpenAI's and OpenInference's usage counts include them).
 * P(kind) is the most specific price the row in force has for that kind,
 * given the call's service tier S and context tier C:
 *   1. the price of tier S above C (a stacked key such as LiteLLM's
 *      input_cost_per_token_above_200k_tokens_priority);
 *   2. the standard price above C;
 *   3. the price of tier S;
 *   4. the standard price;
 * and, when none of the four is present, the fallback kind's P(): cache
 * read, cache write and audio in fall back to input, the 1-hour cache write
 * to the cache write, reasoning and audio out to output.
 * Service tier S (ac_service_tier): standard, flex, priority or batch. A
 * call of tier flex/priority/batch whose row holds no price at all of that
 * tier (at any context tier) is priced as standard: a tier fallback
 * (*fellback set, span.price_note bit 1, summary's tier_fallback_calls).
 * Context tier C: the row's thresholds are data (LiteLLM's
 * *_above_128k_tokens, *_above_200k_tokens, *_above_272k_tokens, the lower
 * bounds of its tiered_pricing ranges, a CSV's input_above_<N>_per_mtok
 * columns); C is the highest threshold the call's whole prompt exceeds
 * (strictly: "above 128k" is more than 128,000), the prompt being the input
 * tokens with the cache included (ac_prompt_tokens, by the convention above:
 * input, or input + cache where it excludes the cache); no threshold exceeded
 * = the base tier. The columns input_above_200k / output_above_200k of a
 * row are its standard input and output prices above 200,000.
 * Without a service tier, 1-hour writes or audio the formula is the one of
 * earlier versions: fresh input, cache, output and reasoning at their
 * prices, the above-200k prices for prompts over 200,000 tokens.
 */
#ifndef AC_PRICING_H
#define AC_PRICING_H

#include <stdint.h>

#include <sqlite3.h>

#include "../util/err.h"

#define AC_DAY_ALWAYS INT64_MIN

typedef struct ac_price {
	int64_t from_day;   /* effective_from as days since 1970-01-01; AC_DAY_ALWAYS = always */
	double input;       /* USD per million tokens */
	double output;
	double cache_read;  /* NAN when absent (falls back to input) */
	double cache_write; /* NAN when absent (falls back to input) */
	double reasoning;   /* NAN when absent (falls back to output) */
	double input_above_200k;  /* NAN when absent */
	double output_above_200k; /* NAN when absent */
	/* Prices by service tier, context tier, 1-hour cache write and audio
	 * (formula above); nvar = 0 when the row has none. Last, so the
	 * positional initialisers of older rows leave them empty. */
	int nvar;
	const struct ac_price_var *var;
} ac_price;

/* Service tiers (span.service_tier holds the value as given; this is what
 * it prices as). */
enum {
	AC_TIER_STANDARD = 0,
	AC_TIER_FLEX = 1,
	AC_TIER_PRIORITY = 2,
	AC_TIER_BATCH = 3,
	AC_TIER_N = 4,
};

/* Token kinds with a price of their own. */
enum {
	AC_PK_INPUT = 0,
	AC_PK_OUTPUT,
	AC_PK_CACHE_READ,
	AC_PK_CACHE_WRITE,
	AC_PK_CACHE_WRITE_1H,
	AC_PK_REASONING,
	AC_PK_AUDIO_IN,
	AC_PK_AUDIO_OUT,
	AC_PK_N,
};

/* The prices of one (service tier, context tier) of a row; NAN = absent.
 * (AC_TIER_STANDARD, 0) carries the standard prices the base columns
 * have no room for (1-hour cache write, audio). */
typedef struct ac_price_var {
	int tier;          /* AC_TIER_* */
	int64_t above;     /* context tier: prompts of more than `above` tokens; 0 = base */
	double v[AC_PK_N]; /* USD per million tokens */
} ac_price_var;

/* Token conventions (convention.h): does `in` include the cache tokens? */
enum { AC_CONV_AUTO = 0, AC_CONV_INCLUDES = 1, AC_CONV_EXCLUDES = 2 };

typedef struct ac_tokens {
	int64_t in, out, cache_read, cache_write, reasoning;
	int64_t cache_write_1h; /* part of cache_write (1-hour lifetime) */
	int64_t audio_in;       /* part of in */
	int64_t audio_out;      /* part of out */
	int conv; /* AC_CONV_* stated for the call; 0 (auto) when none (last: positional
	           * initialisers leave it auto) */
} ac_tokens;

/*
 * A service tier attribute's value -> AC_TIER_*: NULL or "" (none),
 * "default", "auto", "scale", "standard" -> standard; "flex", "priority",
 * "batch" -> their tier (ASCII case ignored); any other value -> -1
 * (priced as standard, counted as unknown_tier_calls).
 */
int ac_service_tier(const char *value);

/* The prompt that chooses the context tier: input tokens, cache included,
 * by the call's token convention (t->conv, else the numbers; above). */
int64_t ac_prompt_tokens(const ac_tokens *t);

/* The context tier of a prompt of `prompt` tokens under row p: the highest
 * threshold of p it exceeds, 0 when none. */
int64_t ac_price_context(const ac_price *p, int64_t prompt);

/* P(kind) of the formula above for tier and context tier `above`. */
double ac_price_of(const ac_price *p, int kind, int tier, int64_t above);

/* 1 when row p holds some price of service tier `tier` (standard: always). */
int ac_price_has_tier(const ac_price *p, int tier);

/*
 * Cost in USD of the tokens at price p for service tier `tier` (AC_TIER_*;
 * -1 counts as standard) and a context tier chosen by a prompt of `prompt`
 * tokens. *fellback (may be NULL) is set to 1 when the tier had no price of
 * its own in p and standard was used, else 0.
 */
double ac_cost_llm_at(const ac_price *p, const ac_tokens *t, int tier, int64_t prompt,
                      int *fellback);

/* One term of the formula: tokens of one kind at their price. */
typedef struct ac_cost_term {
	int kind;        /* AC_PK_* */
	double tokens;   /* as the formula counts them (negative counts 0, a part at
	                  * most its whole, fresh input by the token convention) */
	double per_mtok; /* P(kind): USD per million tokens */
} ac_cost_term;

/* A call's cost as the formula's terms (what `export focus` bills per
 * token kind). */
typedef struct ac_cost_split {
	ac_cost_term term[AC_PK_N]; /* in the formula's order: input, audio in, cache
	                             * read, cache write (5 min), cache write (1 h),
	                             * output, reasoning, audio out */
	int tier;                   /* the service tier priced: AC_TIER_*, standard after
	                             * a fallback or for an unknown tier */
	int64_t above;              /* the context tier, 0 = base */
	int fellback;               /* the tier had no price of its own */
} ac_cost_split;

/*
 * ac_cost_llm_at() with its terms in *out: returns the same cost, bit for
 * bit (ac_cost_llm_at is this, summing tokens x per_mtok in term order and
 * dividing by 1e6), so the terms of a call sum to what it was charged.
 */
double ac_cost_llm_split(const ac_price *p, const ac_tokens *t, int tier, int64_t prompt,
                         ac_cost_split *out);

/* How a span's cost_usd was obtained (span.cost_src). */
enum {
	AC_COST_NONE = 0,     /* not billable: not an LLM call, or a tool without a price (cost 0) */
	AC_COST_TABLE = 1,    /* priced from the price table (imported or built-in) */
	AC_COST_PRODUCER = 2, /* model unpriced; the producer's own cost is used */
	AC_COST_UNPRICED = 3, /* model unpriced, no producer cost: cost is NULL */
};

/* Step kinds (span.step). */
enum {
	AC_STEP_OTHER = 0,
	AC_STEP_LLM = 1,
	AC_STEP_TOOL = 2,
	AC_STEP_AGENT = 3,
	AC_STEP_CHAIN = 4,
	AC_STEP_EVALUATOR = 5,
};

typedef struct ac_pricebook ac_pricebook;

/*
 * Load imported rows from db (may be NULL: built-ins only) plus the built-in
 * table. Returns 0, AC_ESQL or AC_ENOMEM. Free with ac_pricebook_free().
 */
int ac_pricebook_load(ac_pricebook **out, sqlite3 *db, ac_err *err);
void ac_pricebook_free(ac_pricebook *pb);

/*
 * Resolve a model name. Returns the number of price rows (0 = unpriced);
 * *rows points at them sorted by from_day ascending, owned by pb. When
 * matched is not NULL it receives the table key that matched; when imported
 * is not NULL it receives 1 if the rows came from the imported table.
 * Results are cached per name inside pb.
 */
int ac_pricebook_model(ac_pricebook *pb, const char *model, const ac_price **rows,
                       const char **matched, int *imported);

/* The same for a span whose provider attribute is provider (NULL or "" when
 * it has none): step 2b above needs it. ac_pricebook_model() is this with
 * provider NULL. */
int ac_pricebook_resolve(ac_pricebook *pb, const char *model, const char *provider,
                         const ac_price **rows, const char **matched, int *imported);

/*
 * A hint for a model that resolves to nothing: the known model name (of the
 * imported and built-in rows) nearest to it, or NULL when none is near.
 * Nearest: the smallest Levenshtein distance from the model name or one of
 * its step 2 and 3 candidates, among the known names that occur in it as a
 * whole part, or it in them (bounded by the ends or by one of - _ . : / @ or
 * a space: "prod-gpt-4o-eastus" -> gpt-4o, "grok-3-mini" -> xai/grok-3-mini),
 * or that lie within a quarter of the longer name's length ("gpt-4o-min" ->
 * gpt-4o-mini); ties go to the shorter name, then byte order. Only a hint:
 * pricing never uses it.
 * The string is owned by pb.
 */
const char *ac_pricebook_hint(const ac_pricebook *pb, const char *model);

/* The row in force on `day` (days since epoch), or NULL when none is. */
const ac_price *ac_price_in_force(const ac_price *rows, int n, int64_t day);

/* Cost in USD of the tokens at price p (formula above), standard tier,
 * context tier chosen by ac_prompt_tokens(t). */
double ac_cost_llm(const ac_price *p, const ac_tokens *t);
/* The same, standard tier, with the above-200k tier given: for the summed
 * tokens of calls that were all above 200,000 input tokens (1) or all at
 * most that (0). Older form of ac_cost_llm_at(). */
double ac_cost_llm_tier(const ac_price *p, const ac_tokens *t, int above_200k);

/* Per-call price of a tool in force on `day`: 1 and *usd set, or 0 (no price). */
int ac_pricebook_tool(ac_pricebook *pb, const char *tool, int64_t day, double *usd);

/* Everything the cost decision needs about one span. */
typedef struct ac_cost_input {
	int step;            /* AC_STEP_* */
	const char *model;   /* NULL when none */
	const char *tool;    /* NULL when none */
	int64_t start_ns;
	ac_tokens tok;
	int has_producer_cost;
	double producer_cost;
	const char *provider; /* the span's provider attribute, NULL when none (last: older
	                       * positional initialisers leave it NULL) */
	const char *service;  /* service.name and instrumentation scope name, NULL when none: */
	const char *scope;    /* they find the token convention stated (convention.h) */
	int tier;             /* AC_TIER_* from ac_service_tier(); -1 = unknown (standard) */
} ac_cost_input;

/* Set in *note by ac_pricebook_cost_note() (span.price_note). */
#define AC_NOTE_TIER_FALLBACK 1

/*
 * The one cost decision, used at ingest and when re-pricing:
 *   LLM step: priced from the row in force, with tok.conv (when auto) the
 *     convention stated for the service or scope -> (cost, AC_COST_TABLE); no model
 *     row in force -> producer cost if any (AC_COST_PRODUCER) else
 *     (NAN, AC_COST_UNPRICED).
 *   tool step: per-call price in force -> (price, AC_COST_TABLE), else (0, AC_COST_NONE).
 *   anything else: (0, AC_COST_NONE).
 */
void ac_pricebook_cost(ac_pricebook *pb, const ac_cost_input *in, double *cost, int *src);
/* The same, with *note set to AC_NOTE_* bits (0 when nothing to note). */
void ac_pricebook_cost_note(ac_pricebook *pb, const ac_cost_input *in, double *cost, int *src,
                            int *note);
/* The same decision's terms for an LLM span priced from the table: 1, *cost
 * (what ac_pricebook_cost gives) and *out; 0 when the span is not an LLM
 * call with a price row in force (nothing set). */
int ac_pricebook_split(ac_pricebook *pb, const ac_cost_input *in, ac_cost_split *out,
                       double *cost);

/* Import --------------------------------------------------------------- */

/* A key (price dimension) of an imported file that the price model has no
 * column for, and how many entries carried a non-zero price under it. */
#define AC_IMPORT_UNUSED_MAX 128
typedef struct ac_import_unused {
	char key[96];
	int entries;
} ac_import_unused;

typedef struct ac_import_stats {
	const char *kind; /* "model-csv", "tool-csv", "alias-csv", "litellm", "openlit", "langfuse" */
	int rows;         /* price rows written */
	int names;        /* distinct models or tools replaced */
	int skipped;      /* rows skipped with a warning */
	/* JSON kinds: prices in the file that no price row holds. lost = entries
	 * with at least one such price; unused[] per key, sorted by key (bytes);
	 * unused_more = keys beyond AC_IMPORT_UNUSED_MAX, not listed. */
	int lost;
	int nunused;
	int unused_more;
	ac_import_unused unused[AC_IMPORT_UNUSED_MAX];
} ac_import_stats;

/* Called once per skipped row with err->line and err->msg set. */
typedef void (*ac_warn_fn)(const ac_err *err, void *payload);

/*
 * Import a price file into db, detecting its kind from content:
 *   CSV whose header starts "model,input_per_mtok,output_per_mtok" (optional
 *     columns cache_read_per_mtok, cache_write_per_mtok, reasoning_per_mtok,
 *     input_above_200k_per_mtok, output_above_200k_per_mtok, effective_from,
 *     cache_write_1h_per_mtok, audio_input_per_mtok, audio_output_per_mtok,
 *     service_tier, above_tokens, in any order after the first three),
 *     parsed with libcsv. A row whose service_tier (standard, flex,
 *     priority, batch) and above_tokens (a whole number >= 0) are empty,
 *     "standard" or 0 is the model's standard row (input and output
 *     required); any other row is a tier row: it joins the standard row of
 *     the same model and effective_from in the same file (else it is
 *     skipped with a warning), states only the prices it changes (the
 *     above-200k columns are refused there: write above_tokens 200000) and
 *     goes to table price_tier, as do a standard row's 1-hour and audio
 *     prices;
 *   CSV "tool,per_call[,effective_from]";
 *   CSV "alias,model" (header exactly that): model aliases (table
 *     model_alias); each alias the file names is replaced, kind "alias-csv",
 *     rows and names count the aliases written;
 *   LiteLLM's model_prices_and_context_window.json (USD per token -> per MTok);
 *   OpenLIT's pricing.json (sections chat / embeddings, USD per 1k tokens);
 *   Langfuse model definitions (a JSON array of objects with modelName, or
 *     the models API's {"data": [...]}; USD per token), named by modelName,
 *     effective_from = startDate's day; a matchPattern that translates to
 *     POSIX ERE (pattern.h) is stored in price_pattern when the store has
 *     that table, others are reported through warn without skipping the row.
 * LiteLLM: the keys of the formula's kinds (input_cost_per_token,
 * output_cost_per_token, cache_read_input_token_cost,
 * cache_creation_input_token_cost, cache_creation_input_token_cost_above_1hr,
 * output_cost_per_reasoning_token, input_cost_per_audio_token,
 * output_cost_per_audio_token), each optionally followed by
 * _above_<N>k_tokens and then _flex, _priority or _batches, and a
 * tiered_pricing list whose every range is usable (range [lo, hi]: the
 * prices above lo; the range from 0 gives the base prices, and makes the
 * list unusable when it contradicts the entry's own).
 * For the JSON kinds, every price the file carries that no row holds (a key
 * without a column, an entry without both token prices, a non-default
 * pricing tier) is counted per key in st->unused (see ac_import_stats).
 * Every price row (and pattern) of each model (tool) the file names is
 * replaced; others keep theirs. One transaction: on a fatal error (unreadable file, missing required
 * column, no valid row) nothing changes. Bad rows (non-numeric or negative
 * price, bad date, a cell starting with = + - @ that is not a number) are
 * skipped and reported through warn.
 * Returns 0, AC_EIO, AC_EFORMAT, AC_EPARSE, AC_ESQL.
 */
int ac_prices_import(sqlite3 *db, const char *path, ac_import_stats *st, ac_warn_fn warn,
                     void *payload, ac_err *err);

/*
 * Recompute cost_usd and cost_src of every stored LLM and tool span with pb
 * (after an import). Only rows whose values change are written. Sets
 * *changed to the number of rows updated. Runs in the caller's transaction
 * if one is open, else in its own.
 */
int ac_pricing_reprice(sqlite3 *db, ac_pricebook *pb, long long *changed, ac_err *err);

/* Built-in table, for `prices list`. */
typedef struct ac_builtin_price {
	const char *model;
	ac_price price;
} ac_builtin_price;
const ac_builtin_price *ac_pricing_builtins(int *n);

#endif
