/*
 * Synthetic workload: a seeded generator of agent traces whose cost figures
 * are known in advance (`agentcost gen`). It sits before the pipeline: its
 * output is what `agentcost ingest` reads, and the ground truth it keeps is
 * what the analyses are tested against.
 *
 * Three production systems are modelled on a 2025 study of agent costs, each
 * in one of the conventions the ingester reads (FORMATS.md c-e):
 *   doc-agent       document analysis, plan-and-execute, a complexity router;
 *                   current OpenTelemetry GenAI attributes
 *   research-agent  a context that grows call by call and is summarized past a
 *                   threshold; OpenInference attributes
 *   support-agent   short conversations with tool lookups; the deprecated GenAI
 *                   names (gen_ai.system, gen_ai.usage.prompt_tokens) with
 *                   OpenLLMetry span kinds
 * plus eval tasks (deployment.environment.name=eval) that replay doc-agent
 * subtasks on three models and score them, tool failures with retry episodes,
 * a weekday/weekend rhythm and one prompt-injection incident.
 *
 * Output is OTLP JSON lines as the Collector file exporter writes them
 * (FORMATS.md a, b.4) or flat JSONL, optionally as a native zstd stream or in
 * the exporter's [u32 big-endian length][zstd frame] framing. It is streamed
 * through a callback with bounded memory; the same options always give the
 * same bytes (own PRNG, no clock).
 *
 * The ground truth counts every span as it is written and prices every LLM
 * call with the generator's own copy of the list prices (the same numbers as
 * src/pricing/builtin_prices.c, computed independently of it).
 */
#ifndef AC_GEN_H
#define AC_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/err.h"

typedef enum { AC_GEN_OTLP = 0, AC_GEN_JSONL = 1 } ac_gen_format;

typedef enum {
	AC_GEN_PLAIN = 0,       /* JSON lines */
	AC_GEN_ZSTD = 1,        /* one zstd stream, frames of about 1 MB ending at line ends */
	AC_GEN_ZSTD_FRAMED = 2, /* per record: u32 big-endian length, one zstd frame, no newline */
} ac_gen_container;

/*
 * How spans become records (OTLP; flat JSONL is one span a line either way):
 *   collector  as the Collector's batch processor sends them: every span when
 *              it ends (children before their parent, the root last), in end
 *              order across all running tasks, a record per batch of up to
 *              batch_size spans or batch_timeout_ms after the batch's first
 *              span, spans grouped by resource and scope within a record
 *   trace      a few whole traces a record (the generator's first layout)
 */
typedef enum { AC_GEN_LAYOUT_COLLECTOR = 0, AC_GEN_LAYOUT_TRACE = 1 } ac_gen_layout;

typedef struct ac_gen_opts {
	int days;              /* 1 .. AC_GEN_MAX_DAYS */
	int64_t start_day;     /* first day, days since 1970-01-01 (UTC) */
	int tasks_per_day;     /* mean production tasks per day over a week */
	uint64_t seed;
	ac_gen_format format;
	ac_gen_container container;
	int zstd_level;        /* 1 .. 19 */
	double incident_usd;   /* the incident's cost; < 0: $340 x tasks_per_day / 12000; 0: none */
	int price_dimensions;  /* add the price-dimension tasks (--price-dimensions; see below) */
	ac_gen_layout layout;
	int batch_size;        /* collector layout: spans a batch, 1 .. AC_GEN_MAX_BATCH_SIZE */
	int batch_timeout_ms;  /* collector layout: 0 .. AC_GEN_MAX_BATCH_TIMEOUT_MS */
	int users;             /* --users: a population of users, sessions and teams (see
	                        * below); 0 = none, the output as it was before users existed */
} ac_gen_opts;

#define AC_GEN_START_DEFAULT 20241 /* 2025-06-02, a Monday */
#define AC_GEN_MAX_DAYS 3660
#define AC_GEN_MAX_TASKS_PER_DAY 10000000
#define AC_GEN_MAX_BATCH_SIZE 1000000
#define AC_GEN_MAX_BATCH_TIMEOUT_MS 3600000
#define AC_GEN_MAX_USERS 100000000
/* the batch processor's defaults: send_batch_size 8192, timeout 200ms */
#define AC_GEN_OPTS_INIT \
	{ 7, AC_GEN_START_DEFAULT, 500, 1, AC_GEN_OTLP, AC_GEN_PLAIN, 3, -1.0, 0, \
	  AC_GEN_LAYOUT_COLLECTOR, 8192, 200, 0 }

/* The systems, task types, complexity classes and models of the truth. */
enum { AC_GEN_DOC, AC_GEN_RESEARCH, AC_GEN_SUPPORT, AC_GEN_NSYS };
enum { AC_GEN_NDOCTYPE = 5, AC_GEN_NCPLX = 3, AC_GEN_NEVALMODEL = 3 };

const char *ac_gen_system_name(int sys);        /* "doc-agent", ... */
const char *ac_gen_doc_type_name(int type);     /* "extraction", ... */
const char *ac_gen_complexity_name(int cplx);   /* "simple", "moderate", "complex" */
const char *ac_gen_eval_model_name(int model);  /* "gpt-4o-mini", "claude-3-5-haiku", "claude-3-5-sonnet" */

/* Per system. Production and eval are kept apart; eval exists for doc-agent only. */
typedef struct ac_gen_sys_truth {
	long long tasks, eval_tasks;
	long long spans, llm_calls, tool_calls;
	double cost, eval_cost; /* cost is production only */
} ac_gen_sys_truth;

/*
 * The price dimensions of issue #18 (opts.price_dimensions): about 8% more
 * production tasks a day, of four kinds, each priced by the generator's own
 * copy of the list prices and formula (gen.c, "price dimensions"):
 *   doc-agent long_document_review  claude-sonnet-4 over a cached document:
 *     cache writes (5-minute, or 1-hour), cache reads, prompts above 200k
 *     tokens (cache reads there too), and tasks whose instrumentation reports
 *     Anthropic's raw input (without the cache: input < cache read + write);
 *   doc-agent bulk_extraction       a nightly batch job, gpt-4o-mini and
 *     gpt-4o at tier batch (agentcost.service_tier);
 *   doc-agent archive_reclassification  gpt-5-mini at tier flex
 *     (openai.request/response.service_tier), with cache reads;
 *   support-agent voice_call        gpt-4o-mini-audio-preview with audio in
 *     and out (OpenInference token counts), escalated to gpt-4o at tier
 *     priority (gen_ai.openai.request/response.service_tier; sometimes served
 *     at "default"), a few through a gateway stating an unknown tier.
 * Service tiers are counted by the value a span states (the first present of
 * agentcost.service_tier, the response's, the request's): these values.
 */
enum { AC_GEN_NTIERVAL = 5 };
const char *ac_gen_tier_value(int i); /* "default", "flex", "priority", "batch", "provisioned" */

/* One call as the price-dimension tasks make it, for tests of the truth's
 * own prices and formula (not agentcost's: src/pricing is not used). */
typedef struct ac_gen_dim_call {
	const char *model; /* request name: "claude-sonnet-4-20250514", "gpt-4o", "gpt-4o-mini",
	                    * "gpt-5-mini", "gpt-4o-mini-audio-preview" */
	const char *tier;  /* the stated service tier value, NULL = none; an unknown one is standard */
	int64_t in, out, cache_read, cache_write, cache_write_1h, audio_in, audio_out;
	int excludes;      /* in is reported without the cache */
} ac_gen_dim_call;

/* Its cost in USD; *above set when its prompt passes the model's context
 * threshold. NAN for a model the generator does not have. The call must be
 * of a shape the generator makes (gen.c, dim_cost). */
double ac_gen_dim_cost(const ac_gen_dim_call *c, int *above);

typedef struct ac_gen_dims_truth {
	long long tasks, llm_calls;
	long long tier_calls[AC_GEN_NTIERVAL]; /* LLM calls stating each tier value */
	double tier_cost[AC_GEN_NTIERVAL];
	long long unknown_tier_calls;  /* a value agentcost does not know: priced as standard */
	long long tier_fallback_calls; /* a tier the model has no price for (none generated) */
	long long cache_write_tokens, cache_write_1h_tokens, audio_in_tokens, audio_out_tokens;
	long long above_threshold_calls;            /* prompt above the model's context threshold */
	long long above_threshold_cache_read_calls; /* ... with cache reads */
	long long input_excludes_cache_calls;       /* input reported without the cache */
	double cost;
} ac_gen_dims_truth;

/*
 * Users, sessions and teams (opts.users = N > 0; issue #17, "who spent it").
 * Drawn from their own random stream, so every other byte of a span, every
 * cost and every other truth figure is what it is without them: the spans
 * only gain attributes, the resources a `team`.
 *   user     "u" + the user's index, zero-padded to max(6, digits of N - 1)
 *            ("u000000" is the heaviest). Per task (trace), in the order
 *            tasks start: about 2% have no user anywhere (the task's value is
 *            "(none)"); about 3% carry user.id only on child LLM spans: the
 *            task's user on the first LLM span (the earliest span with a
 *            user.id: spans start one after another), and in a third of them
 *            another user's id on the second LLM span (a decoy that the
 *            earliest-span rule must pass over); the rest carry user.id on
 *            the root span. The user is Zipf-distributed over the N users
 *            (exponent AC_GEN_ZIPF_S, rejection-inversion sampling: no table).
 *   session  session.id on the root span of every task with a user: "s" +
 *            a run-wide counter zero-padded to max(7, ...); a user's tasks
 *            form sessions of 1..6 consecutive tasks of that user (length
 *            drawn when the session opens). Tasks with no user have no
 *            session.id (support-agent roots still carry
 *            gen_ai.conversation.id).
 *   team     a resource attribute on every resource: a function of the
 *            task's user (ac_gen_user_team), "platform" for tasks with no
 *            user. A team runs its own deployment of each system, so the
 *            resources are (system, environment, team) and teams split
 *            across systems.
 * Eval tasks get users, sessions and teams the same way; the truth keeps
 * them apart from production (the analyses' default leaves eval out).
 */
enum { AC_GEN_NTEAM = 4 };
#define AC_GEN_ZIPF_S 1.1
const char *ac_gen_team_name(int team); /* "search", "billing", "growth", "platform" */
int ac_gen_user_team(long long user);  /* team of user index */
/* The id of user index `user` under opts o into buf (>= 24 bytes). */
void ac_gen_user_id(const ac_gen_opts *o, long long user, char *buf, size_t n);

/* Tasks and cost of one user, team, or of the tasks with no user. */
typedef struct ac_gen_user_truth {
	long long user; /* index; -1 for the tasks with no user */
	long long tasks, eval_tasks;
	double cost, eval_cost; /* cost: production only */
} ac_gen_user_truth;

/*
 * Ground truth of one run. Every count is of what was written. Costs are USD.
 * "Tokens" are input + output tokens of LLM calls (input includes cache reads).
 */
typedef struct ac_gen_truth {
	ac_gen_opts opts;

	/* output */
	long long records;          /* lines, or framed messages */
	unsigned long long bytes_json; /* JSON text produced, before compression */
	unsigned long long bytes_out;  /* bytes handed to the write callback */

	/* totals over production and eval */
	long long tasks, eval_tasks, spans, llm_calls, tool_calls, error_spans;
	long long tokens_in, tokens_out, tokens_cache_read;
	int max_llm_calls_per_task, min_llm_calls_per_task;
	double cost, eval_cost;
	ac_gen_sys_truth sys[AC_GEN_NSYS];

	/* per-task cost of the production doc-agent tasks (incident included) */
	long long doc_tasks;
	double doc_mean, doc_bottom10_mean, doc_top10_mean, doc_tail_ratio;
	long long doc_decile_k;            /* max(1, floor(n / 10)) */
	double doc_all_sonnet_cost;        /* the same calls priced as claude-3-5-sonnet */

	/* tool failures and retry episodes (structure: failed call, LLM calls,
	 * re-invocations of the same tool until one succeeds) */
	long long tool_failed;       /* tool calls with status ERROR */
	long long episodes;          /* failure episodes */
	long long attempts;          /* calls of the tool after its first failure */
	long long retry_llm_calls;   /* LLM calls inside episodes */
	long long retry_tokens;
	double retry_cost;           /* LLM calls inside episodes (tools are unpriced) */

	double summarize_cost;       /* research-agent calls with agentcost.purpose=summarize */

	/* doc-agent routing, production: subtasks and execute LLM calls per
	 * complexity (simple, moderate, complex) and model (eval model order) */
	long long subtasks[AC_GEN_NCPLX];
	long long route_calls[AC_GEN_NCPLX][AC_GEN_NEVALMODEL];

	/* the prompt-injection incident (all zero with incident_usd = 0) */
	int64_t incident_start_ns, incident_end_ns;
	int incident_type; /* doc type index */
	long long incident_tasks, incident_llm_calls;
	double incident_cost;

	/* eval: true accuracy used to draw agentcost.eval.score, and the draws */
	double accuracy[AC_GEN_NDOCTYPE][AC_GEN_NCPLX][AC_GEN_NEVALMODEL];
	long long scored[AC_GEN_NDOCTYPE][AC_GEN_NCPLX][AC_GEN_NEVALMODEL];
	long long correct[AC_GEN_NDOCTYPE][AC_GEN_NCPLX][AC_GEN_NEVALMODEL];

	/* the price-dimension tasks (all zero without opts.price_dimensions);
	 * their calls are in every total above as well, but not in doc_tasks */
	ac_gen_dims_truth dims;

	/* users (all zero without opts.users): every user with a task, by
	 * index; the tasks with no user; per team; the sessions opened; traces
	 * by where their user is (root, child LLM span (with a decoy), none) */
	ac_gen_user_truth *users;
	size_t nusers;
	ac_gen_user_truth no_user;
	ac_gen_user_truth teams[AC_GEN_NTEAM];
	long long sessions;
	long long root_user_traces, child_user_traces, decoy_traces, no_user_traces;

	/* per day (index 0 = opts.start_day), by the start of each task's root span */
	long long *day_tasks;   /* production + eval */
	double *day_cost;

	/* internal: production doc-agent task costs, for the deciles */
	double *doc_costs;
	size_t ndoc, capdoc;
} ac_gen_truth;

/* Output callback: write len bytes; return 0, or nonzero to stop (AC_EIO). */
typedef int (*ac_gen_write_fn)(const void *data, size_t len, void *payload);

/* Check options: 0, or AC_EINVAL with a message naming the option. */
int ac_gen_opts_check(const ac_gen_opts *o, ac_err *err);

/*
 * Generate the workload of o, handing the output to write. On success *out
 * receives the ground truth (free with ac_gen_truth_free); out may be NULL.
 * Returns 0, AC_EINVAL (bad options), AC_ENOMEM, AC_EZSTD (compressor
 * failure) or AC_EIO (the callback refused). Memory is bounded by one day's
 * task list and one output batch, plus 8 bytes per production doc-agent task
 * for the deciles; under the collector layout, plus the text of the spans
 * that have ended but wait for a later span's end (bounded by the tasks
 * running at the same time) and one batch of up to batch_size spans.
 */
int ac_gen_run(const ac_gen_opts *o, ac_gen_write_fn write, void *payload, ac_gen_truth **out,
               ac_err *err);

/* The truth as one JSON object (keys documented in the function). Appends to out. */
void ac_gen_truth_json(const ac_gen_truth *t, ac_buf *out);

void ac_gen_truth_free(ac_gen_truth *t);

#endif
