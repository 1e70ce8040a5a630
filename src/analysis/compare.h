/*
 * A window against the window before it: the weekly report's headline (the
 * figures of `agentcost summary`, production tasks apart) and its hidden
 * costs (`agentcost hidden`: retries, summarization, evaluation runs), each
 * figure with its change. src/report/weekly.c lays them out.
 */
#ifndef AC_COMPARE_H
#define AC_COMPARE_H

#include "../store/store.h"
#include "../util/err.h"
#include "query.h"
#include "summary.h"

/* One figure in a window against the window before. */
typedef struct ac_change {
	double now, prev;
	double change;       /* now - prev */
	double change_share; /* (now - prev) / prev; NaN when prev is 0 */
} ac_change;

enum {
	AC_HEADLINE_SPEND,
	AC_HEADLINE_TASKS,         /* production tasks */
	AC_HEADLINE_COST_PER_TASK, /* production task cost / tasks; NaN without tasks */
	AC_HEADLINE_LLM_CALLS,
	AC_HEADLINE_TOOL_CALLS,
	AC_HEADLINE_EVAL_TASKS,
	AC_HEADLINE_UNPRICED,      /* unpriced LLM calls */
	AC_HEADLINE_N
};

typedef struct ac_headline {
	ac_summary cur;        /* the window's summary (AC_SUMMARY_TASK_COST): its unpriced models */
	long long tasks;       /* production tasks in the window */
	ac_change fig[AC_HEADLINE_N];
	double spend_change_pct; /* |spend change| / previous spend x 100; NaN unless
	                          * the previous spend is > 0 */
} ac_headline;

/* cur's window against the window of its length just before it
 * (ac_query_previous). Returns 0, AC_EINVAL (an open window, a grouping or
 * filter), AC_ESQL or AC_ENOMEM; free *out with ac_headline_free either way. */
int ac_headline_run(ac_store *s, const ac_query *cur, ac_headline *out, ac_err *err);
void ac_headline_free(ac_headline *h);

enum { AC_HIDDEN_RETRY, AC_HIDDEN_SUMMARIZE, AC_HIDDEN_EVAL, AC_HIDDEN_N };

typedef struct ac_hidden_change {
	const char *purpose;  /* retry | summarize | eval */
	double cost, share;   /* share: of the window's whole spend; NaN when nothing was spent */
	double prev_cost, prev_share;
	double share_change;  /* share - prev_share */
	double cost_change;   /* cost - prev_cost */
} ac_hidden_change;

typedef struct ac_hidden_compare {
	double total, prev_total;   /* the whole spend */
	double hidden;              /* retry + summarize + eval in the window */
	double share, prev_share;   /* of the whole spend; NaN when nothing was spent */
	double share_change;        /* share - prev_share */
	long long tool_calls, tool_failures, episodes, attempts; /* the window's */
	double failure_pct;         /* 100 x tool_failures / tool_calls; NaN without tool calls */
	double attempts_per_episode; /* NaN without episodes */
	ac_hidden_change v[AC_HIDDEN_N];
} ac_hidden_compare;

/* cur's window against the one of its length just before it. Returns 0,
 * AC_EINVAL (an open window), AC_ESQL or AC_ENOMEM. */
int ac_hidden_compare_run(ac_store *s, const ac_query *cur, ac_hidden_compare *out,
                          ac_err *err);

#endif
