/*
 * What the store holds in a window: spans, traces, tasks, LLM and tool calls,
 * cost, the unpriced models, the calls priced at another tier than asked, and
 * the calls whose input tokens exclude the cached ones. `agentcost summary`
 * prints it; the weekly report's headline compares two weeks of it.
 *
 * Rows from queries/summary_spans.sql, summary_tasks.sql, summary_tiers.sql,
 * unpriced_models.sql and input_excludes_cache.sql (and tasks.sql for
 * AC_SUMMARY_TASK_COST).
 *
 * With --where alone (q->where, issue #17) the same figures over the tasks
 * the filters keep (dims.h's q_task): the spans starting in the window whose
 * task passes (a span counts for its task's value, as ac_summary_by; with
 * --where model=VALUE only the spans of that model), the tasks starting in
 * it that pass; from the *_where twins of those queries. traces: the traces
 * whose earliest span starts in the window and is one of those spans.
 */
#ifndef AC_SUMMARY_H
#define AC_SUMMARY_H

#include "../store/store.h"
#include "../util/err.h"
#include "dims.h"
#include "query.h"

/* A model whose calls had no price: NULL when the spans named none. */
typedef struct ac_unpriced_model {
	char *model;
	long long calls;
	double producer_cost_usd; /* what the producers reported for them */
} ac_unpriced_model;

/* Calls counted as excluding the cache from their input tokens, per
 * system x instrumentation scope (either NULL). */
typedef struct ac_cache_convention {
	char *system, *scope;
	long long calls;
} ac_cache_convention;

typedef struct ac_summary {
	long long spans, traces, llm_calls, tool_calls;
	double cost_usd;
	long long unpriced_spans, producer_costed_spans;
	int have_days;               /* 0: no span in the window */
	int64_t first_ns, last_ns;   /* first and last span start */
	long long tasks, eval_tasks; /* tasks counts the eval tasks too */
	long long tier_fallback_calls, unknown_tier_calls;
	ac_unpriced_model *unpriced; /* most calls first */
	size_t nunpriced;
	ac_cache_convention *excl;   /* most calls first */
	size_t nexcl;
	long long excl_calls;        /* their sum */
	double production_task_cost; /* AC_SUMMARY_TASK_COST: the cost of the
	                              * production tasks starting in the window,
	                              * summed in start order */
} ac_summary;

/* AC_SUMMARY_SPANS: only the span counts, cost and have_days, first_ns,
 * last_ns (one query; the report's range of the store). */
enum { AC_SUMMARY_TASK_COST = 1, AC_SUMMARY_SPANS = 2 };

/* Returns 0, AC_EINVAL (a grouping: ac_summary_by; a bad filter;
 * AC_SUMMARY_TASK_COST with a filter), AC_ESQL or AC_ENOMEM; free *out with
 * ac_summary_free either way. */
int ac_summary_run(ac_store *s, const ac_query *q, int flags, ac_summary *out, ac_err *err);
void ac_summary_free(ac_summary *r);

/*
 * summary with dimensions (q->dims: --by, --where; dims.h): per value of the
 * --by dimensions (one row without --by), the spans starting in the window
 * attributed to their task's values (model: each span's own, "(none)" for
 * spans without one), queries/summary_by.sql. Over the same window the
 * rows' spans, calls and cost add up to ac_summary_run's (--system: the
 * task's system, where the plain summary takes each span's service).
 * Streaming, in key order: fn gets each row (k valid during the call);
 * returns 0 to go on, else that code stops the run. Returns 0, fn's code,
 * AC_EINVAL, AC_ESQL or AC_ENOMEM.
 */
typedef struct ac_summary_row {
	const char *k[AC_DIMS_MAX_BY]; /* the values at the --by positions */
	size_t nk;
	long long spans, tasks, eval_tasks, llm_calls, tool_calls;
	double cost_usd;
	long long unpriced_spans, producer_costed_spans;
} ac_summary_row;

typedef int (*ac_summary_row_fn)(void *ctx, const ac_summary_row *row);
int ac_summary_by(ac_store *s, const ac_query *q, ac_summary_row_fn fn, void *ctx, ac_err *err);

#endif
