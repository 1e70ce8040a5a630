/*
 * `agentcost top DIM` (issue #17): a dimension's values by spend. The unit
 * is a task starting in the window (ac_units, dims.h: with DIM model, a
 * task's calls to one model); a value's cost is the sum of its units' cost,
 * p50 and p99 are type-7 quantiles of its per-unit costs; the previous
 * period is the window of the same length just before (an open window has
 * none: previous_cost and change are NaN).
 */
#ifndef AC_TOP_H
#define AC_TOP_H

#include <stddef.h>

#include "../store/store.h"
#include "../util/err.h"
#include "query.h"

typedef struct ac_top_row {
	char *value;          /* the dimension's value ("(none)": tasks without one) */
	long long tasks;
	double cost, share;   /* share of the whole window's cost (NaN when it is 0) */
	double p50, p99;      /* per task */
	double previous_cost; /* NaN: no previous period */
	double change;        /* (cost - previous_cost) / previous_cost; NaN when
	                       * previous_cost is 0 or NaN */
} ac_top_row;

typedef struct ac_top_result {
	ac_top_row *rows;     /* by cost, highest first; ties by value */
	size_t n;
	long long values;     /* distinct values in the window (rows may be fewer) */
	double total_cost;    /* of every value */
	long long total_tasks;
} ac_top_result;

/* q->by[0] is the dimension (q->nby == 1); limit 0: every value; flags
 * AC_UNITS_* (dims.h): eval tasks too, and/or the spans starting in the
 * window instead of the tasks starting in it (the incident report), or
 * AC_UNITS_APPROX: each value's units as a sketch (sketch.h: tasks, cost
 * and previous cost exact, p50 and p99 within AC_RBIN_REL_ERR). */
int ac_top_run(ac_store *s, const ac_query *q, size_t limit, int flags,
               ac_top_result *out, ac_err *err);
void ac_top_result_free(ac_top_result *r);

#endif
