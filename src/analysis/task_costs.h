/*
 * What tasks cost, per group: the per-task cost distribution down to p99.9
 * and the fat-tail view (bottom and top decile means, their ratio, spend
 * share of the top 1% and 10%, Hill tail index), LLM calls per task, and the
 * log-binned histogram. `agentcost tasks` prints it per task type, system or
 * both; the weekly report lays it out per task type.
 *
 * Rows from queries/task_costs.sql (ids and numbers only); the few group
 * names are looked up afterwards (ac_store_name). A task is in the window
 * when it starts in it. Evaluation tasks are left out unless include_eval.
 */
#ifndef AC_TASK_COSTS_H
#define AC_TASK_COSTS_H

#include "../store/store.h"
#include "../util/err.h"
#include "query.h"
#include "sketch.h"

typedef struct ac_task_group {
	char *system, *task_type; /* NULL: not grouped by it, or the task has none */
	double *cost, *calls;     /* per task, each sorted ascending (exact runs) */
	size_t n, cap;
	ac_sketch *sketch;        /* AC_UNITS_APPROX runs: the group's sketch (n its
	                           * count; cost and calls unused); NULL: exact */
} ac_task_group;

typedef struct ac_task_costs {
	ac_task_group *v; /* by task type, then system (none first) */
	size_t n;
	/* The fattest tail: the group of at least 10 tasks with the largest
	 * positive tail ratio (ac_task_dist; the first of equal ones), NULL when
	 * none has one; its tail ratio and top-10% spend share. */
	const ac_task_group *fattest;
	double fattest_tail_ratio, fattest_top10_share;
} ac_task_costs;

/*
 * The tasks of q's window grouped by q->by: AC_DIM_TASK_TYPE and/or
 * AC_DIM_SYSTEM (none given: by task type). flags (dims.h): AC_UNITS_EVAL
 * keeps evaluation tasks; AC_UNITS_APPROX reads each group as a sketch
 * (queries/task_costs_approx.sql: bounded by the groups' occupied cost bins,
 * not the tasks; each group's `sketch` set, its figures within the bounds
 * of sketch.h). q->where (--where, any dimension: dims.h) keeps only the
 * tasks the filters keep, grouped the same way (through
 * ac_task_costs_each; with model among the filters a task's unit is its
 * calls to that model). Returns 0, AC_EINVAL (another dimension to group
 * by, or a bad filter), AC_ESQL or AC_ENOMEM; free *out with
 * ac_task_costs_free either way.
 */
int ac_task_costs_run(ac_store *s, const ac_query *q, int flags, ac_task_costs *out,
                      ac_err *err);
void ac_task_costs_free(ac_task_costs *r);
/* Sets tc->fattest and its figures from tc's groups (ac_task_costs_run does;
 * each group's costs sorted ascending). */
void ac_task_costs_find_fattest(ac_task_costs *tc);

/*
 * The same groups for a question with dimensions (q->dims: --by any
 * dimension or pair, --where filters; dims.h): the units of ac_units (tasks
 * starting in the window, or a task's calls to one model) grouped by their
 * --by values, in key order. Streaming: fn gets each group as soon as its
 * units are read (keys[i] the value at --by position i, "(none)" for tasks
 * without one; g's costs and calls sorted ascending, g->system and
 * g->task_type NULL), so only one group's arrays are held however many
 * groups there are. fn returns 0 to go on, else that code stops the run.
 * Returns 0, fn's code, AC_EINVAL, AC_ESQL or AC_ENOMEM.
 */
typedef int (*ac_task_group_fn)(void *ctx, const char *const *keys, size_t nkeys,
                                const ac_task_group *g);
/* flags: AC_UNITS_EVAL, AC_UNITS_APPROX (the groups as sketches, from
 * queries/dims_units*_approx.sql) */
int ac_task_costs_each(ac_store *s, const ac_query *q, int flags, ac_task_group_fn fn,
                       void *ctx, ac_err *err);

/* A group's distribution (NAN where undefined, e.g. the tail ratio when the
 * bottom decile costs nothing). Percentiles are type 7 (stats.h). */
typedef struct ac_task_dist {
	double total, mean, p50, p90, p95, p99, p999, max;
	double bottom10_mean, top10_mean, tail_ratio, top1_share, top10_share;
	double calls_p50, calls_p99, calls_max;
	double tail_index, tail_index_se; /* Hill, over the top 10% */
} ac_task_dist;

/* g->n must be at least 1. From g's sketch when it has one (each figure
 * within sketch.h's bound of the exact one). */
void ac_task_dist_of(ac_task_dist *out, const ac_task_group *g);

/* The group's largest cost (NAN when it has no task). */
double ac_task_group_max(const ac_task_group *g);

/* Cost bins: five per decade, bin b = [10^(b/5), 10^((b+1)/5)). */
int ac_cost_bin_of(double cost_usd); /* cost_usd > 0 */
double ac_cost_bin_lo(int b);

typedef struct ac_cost_bin {
	double lo, hi;   /* [lo, hi); the bin of tasks that cost nothing is [0, 0] */
	long long tasks;
	double ccdf;     /* share of the group's tasks costing at least lo */
} ac_cost_bin;

/*
 * The group's histogram: a [0, 0] bin first when some tasks cost nothing,
 * then every bin from the cheapest positive cost's to the dearest's, empty
 * ones too (the last bin takes the dearest task). *out malloc'd (NULL when
 * *n is 0). Returns 0 or AC_ENOMEM.
 *
 * For a sketch's group (AC_UNITS_APPROX) this, ac_task_costs_bin_range,
 * ac_task_bin_counts and ac_task_ccdf read its order statistics (sketch.h)
 * as the tasks' costs: a task within 2^-8 of a bin's edge may be counted in
 * the bin beside it, and a CCDF point is within 2^-8 of its cost.
 */
int ac_task_histogram(const ac_task_group *g, ac_cost_bin **out, size_t *n);

/*
 * The bins of several groups on one axis (the weekly report's stacked
 * histogram): *lo and *hi, the bins of the cheapest and the dearest positive
 * cost over all of tc's groups. Returns 0 when no task has a positive cost.
 */
int ac_task_costs_bin_range(const ac_task_costs *tc, int *lo, int *hi);
/* g's tasks with a positive cost per bin lo..hi (counts[b - lo]; the last
 * bin takes the rest); returns how many cost nothing (counted in no bin). */
size_t ac_task_bin_counts(const ac_task_group *g, int lo, int hi, size_t *counts);

/*
 * The CCDF of g's positive costs, for a chart: at each distinct positive
 * cost (the first of equal costs, which has the largest share), the share of
 * g's tasks costing at least it. Above max_points points the body is thinned
 * to every (m / (max_points / 2))th, the tail (the last max_points / 2 tasks)
 * kept whole. cost and share hold g->n each; *zero gets how many tasks cost
 * nothing. Returns the number of points.
 */
size_t ac_task_ccdf(const ac_task_group *g, size_t max_points, double *cost, double *share,
                    size_t *zero);

#endif
