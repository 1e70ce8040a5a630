/*
 * Task-level guardrails, after the fact: the judge behind `agentcost
 * outliers` and the reports' outlier and runaway sections (one code path).
 *
 * Over the production tasks starting in [since, until) (queries/outliers.sql):
 *   outlier   cost > factor x the median cost (type 7) of its task type; with
 *             what dominated it (task.top_model, top_purpose, top_tool, kept
 *             by the derivation; queries/outlier_task.sql) and what halting it
 *             at the threshold would have saved (cost - threshold)
 *   runaway   LLM calls > the type's p99.9 (type 7), or the same step more than
 *             `repeat` times in a row (task.max_repeat)
 * The type's median and p99.9 come from the tasks of [ref_since, ref_until)
 * when that window has tasks of the type, else from the judged tasks
 * themselves (always, when the two windows are the same). "Greater than" the
 * cost threshold has a relative tolerance of 1e-12, so a sum of costs landing
 * on it up to rounding does not count.
 *
 * On a store that answers queries/clickhouse/outliers_stats.sql (ClickHouse)
 * ac_guard_run judges in the server: the types' order statistics come from
 * there (the medians and p99.9s are computed here from them, the same
 * doubles), the rules run there over every task with the figures sent back
 * as lists, and only the totals and the listed tasks come back. So does
 * ac_guard_by_run (outliers_by_stats.sql), per group of --by values. Two
 * groups whose keys hash alike in the server are refused (AC_ESQL).
 */
#ifndef AC_GUARD_H
#define AC_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"
#include "../util/err.h"
#include "query.h"

#define AC_GUARD_FACTOR 3.0 /* the guardrail halts a task at 3 x its type's median */
#define AC_GUARD_REPEAT 5   /* the same step more than 5 times in a row: a loop */

/* Which judged tasks come back as a list (the others are only counted). */
enum { AC_GUARD_LIST_OUTLIERS = 1, AC_GUARD_LIST_RUNAWAYS = 2 };

typedef struct ac_guard_opts {
	double factor;
	long long repeat;
	const char *system; /* only tasks of this system; NULL = all */
	int list;           /* AC_GUARD_LIST_* */
} ac_guard_opts;

#define AC_GUARD_OPTS_INIT                                                                       \
	{ AC_GUARD_FACTOR, AC_GUARD_REPEAT, NULL, AC_GUARD_LIST_OUTLIERS | AC_GUARD_LIST_RUNAWAYS }

/* A task judged by the guardrail and the runaway rules. */
typedef struct ac_gtask {
	int64_t id;
	char *task_id;                      /* owned */
	const char *system, *task_type;     /* the guard's names; may be NULL */
	double cost;
	long long calls, max_repeat;
	double median, threshold, calls_p999; /* of its type */
	double excess;                      /* cost - threshold: what a guardrail there saves */
	int outlier, by_calls, by_repeat;
	const char *top_model, *top_purpose, *tool; /* what dominated an outlier (the guard's
	                                             * names); may be NULL */
	long long tool_calls;
	char *key[2];                       /* ac_guard_by_run: the task's --by values
	                                     * (owned; NULL past nkeys) */
} ac_gtask;

typedef struct ac_guard {
	ac_gtask *tasks;   /* the tasks judged outliers or runaways (or both) */
	size_t n;
	size_t judged;     /* production tasks of the window */
	double spend;      /* their cost */
	ac_gtask **out;    /* outliers, by cost descending, ties by task_id (when listed) */
	size_t nout;
	ac_gtask **run;    /* runaways, by task type then task_id (when listed) */
	size_t nrun;
	size_t outliers;   /* how many outliers, listed or not */
	size_t runaways;   /* how many runaways, listed or not */
	double savings;    /* sum of cost - threshold over the outliers */
	double savings_pct; /* 100 x savings / spend; 0 when nothing was spent */
	int own_reference; /* task types judged against their own tasks (no reference) */
	char **names;      /* the dictionary names the tasks point to */
	size_t nnames;
	size_t nkeys;      /* ac_guard_by_run: how many --by values each task has */
} ac_guard;

/* opts NULL = AC_GUARD_OPTS_INIT. Returns 0, AC_ESQL or AC_ENOMEM; release
 * with ac_guard_release (also after a failure). */
int ac_guard_run(ac_guard *g, ac_store *s, const ac_guard_opts *opts, int64_t since,
                 int64_t until, int64_t ref_since, int64_t ref_until, ac_err *err);
void ac_guard_release(ac_guard *g);

/*
 * The same judge per group of a question with dimensions (q->dims: --by any
 * dimension or pair, --where filters; dims.h) instead of per task type:
 * the production tasks starting in q's window (with model among --by or
 * --where, a task's calls to one model: their cost and LLM calls), each
 * against the median cost and the p99.9 of LLM calls of its group (the
 * tasks with the same --by values), over the same window (no reference
 * window). Without --by (--where alone) the groups are the task types, as
 * ac_guard_run's, over the tasks the filters keep: the tasks carry no key
 * (nkeys 0) and runaways are listed as ac_guard_run lists them. opts->system
 * is not read: q->system is. Runaways are listed by group, then task_id. On
 * SQLite groups stream in key order (queries/outliers_by.sql): one group's
 * figures are held at a time, the listed tasks beside; on ClickHouse the
 * server judges (above). Returns 0, AC_EINVAL, AC_ESQL or AC_ENOMEM; release
 * with ac_guard_release.
 */
int ac_guard_by_run(ac_guard *g, ac_store *s, const ac_query *q, const ac_guard_opts *opts,
                    ac_err *err);

#endif
