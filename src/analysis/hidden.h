/*
 * Hidden costs: what retries, context summarization, evaluation runs and the
 * other step purposes cost, and how often tools fail. `agentcost hidden`
 * prints the result; the weekly report lays out its retry, summarize and eval
 * rows beside the previous week's.
 *
 * Per step purpose (span.purpose_eff, src/tasks/tasks.h): its cost, its share
 * of all spend in the window and its share of all tokens (tokens_in +
 * tokens_out), overall and per system; retry, summarize and eval always,
 * every other purpose when it has spans. Eval spans count as eval, all of
 * their cost. Also the tool failure rate (failed tool calls / tool calls,
 * over tool spans starting in the window) and retries per failure episode
 * (sum of task.retry_attempts / sum of task.retry_episodes, over tasks
 * starting in the window). Shares and rates are within their scope: the whole
 * window, or one system's part of it. A span belongs to the system of its
 * task. A ratio with a zero denominator is NAN.
 *
 * Rows from queries/hidden.sql (per system and purpose) and
 * queries/hidden_retries.sql (per system); the scopes are summed here.
 *
 * With --by/--where (q->dims, issue #17): the scopes are the values (pairs)
 * of the --by dimensions instead of the systems, "all" being every task kept
 * by --where; a span counts for its task's values (queries/hidden_by.sql,
 * hidden_retries_by.sql over dims.h's q_task). --where alone keeps the
 * plain scopes: "all" and each system, over the tasks the filters keep (the
 * values of the dimension system, read back as the systems). Model is each span's own:
 * agent and tool spans (so every tool call) count under "(none)", and a task's
 * retry episodes count for each model it called (so the model rows' retries
 * add up to more than "all", which counts each task once).
 */
#ifndef AC_HIDDEN_H
#define AC_HIDDEN_H

#include "../store/store.h"
#include "../util/err.h"
#include "query.h"

typedef struct ac_hidden_purpose {
	char *name;
	double cost_usd;
	long long tokens, spans;
	double share, token_share; /* of the scope's cost and tokens; NAN when it has none */
} ac_hidden_purpose;

/* One scope: the whole window, or one system's (or --by value's) part of it. */
typedef struct ac_hidden_scope {
	char *system; /* NULL: the task has no system (or the "all" scope) */
	char *k[2];   /* with --by: the values of the dimensions (NULL past nkeys) */
	ac_hidden_purpose *p; /* retry, summarize, eval, plan, execute, aggregate,
	                       * tool, then the others by name */
	size_t np, cap;
	double cost_usd;
	long long tokens, tool_calls, tool_failures, episodes, attempts;
	double tool_failure_rate;   /* tool_failures / tool_calls; NAN without tool calls */
	double retries_per_failure; /* attempts / episodes; NAN without failure episodes */
} ac_hidden_scope;

typedef struct ac_hidden_result {
	ac_hidden_scope all;
	ac_hidden_scope *sys; /* by system name, no system first (also with
	                       * --where alone); with --by: one per value
	                       * (pair), in key order */
	size_t n, cap;
	size_t nkeys;         /* with --by: q->nby; else 0 */
} ac_hidden_result;

/* Compute the hidden costs of q's window (q->system: that system only).
 * Returns 0, AC_EINVAL (a bad --by/--where), AC_ESQL or AC_ENOMEM; free *out with ac_hidden_result_free
 * either way. */
int ac_hidden_run(ac_store *s, const ac_query *q, ac_hidden_result *out, ac_err *err);
void ac_hidden_result_free(ac_hidden_result *r);

/*
 * With --by/--where (q->dims): the scopes one value (pair) at a time, in
 * value order, so that memory does not grow with the number of values (a
 * million users); ac_hidden_run's --by result is these scopes collected.
 * Without --by there is no value: only ac_hidden_by_all.
 * ac_hidden_by_next: 1 and *out (the caller's: ac_hidden_scope_release),
 * 0 at the end (then ac_hidden_by_all is complete), or an error code.
 */
typedef struct ac_hidden_iter ac_hidden_iter;
int ac_hidden_by_open(ac_store *s, const ac_query *q, ac_hidden_iter **out, ac_err *err);
int ac_hidden_by_next(ac_hidden_iter *it, ac_hidden_scope *out, ac_err *err);
/* "all": every task kept by --where; complete once ac_hidden_by_next has
 * returned 0. Owned by the iterator. */
const ac_hidden_scope *ac_hidden_by_all(const ac_hidden_iter *it);
void ac_hidden_by_close(ac_hidden_iter *it);
void ac_hidden_scope_release(ac_hidden_scope *sc);

/* The purpose of that name in a scope, NULL when absent. */
const ac_hidden_purpose *ac_hidden_purpose_of(const ac_hidden_scope *sc, const char *name);

#endif
