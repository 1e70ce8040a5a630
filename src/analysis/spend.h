/*
 * Spend over time and its control band: the cost of each UTC day (or hour,
 * or any period) and, per period, the SPC band of spc.h over the periods
 * before it. `agentcost spc` prints the series, per system with --by system;
 * the weekly report (days) and the incident report (hours) lay out a fixed
 * range of them.
 *
 * A span's cost counts in the period its span starts, eval spend included;
 * periods without spend between a series' first and last period count 0. The
 * window bounds the series and so its history too. A span belongs to the
 * system of its task. Rows from queries/spc_daily.sql.
 */
#ifndef AC_SPEND_H
#define AC_SPEND_H

#include "../store/store.h"
#include "../util/err.h"
#include "query.h"
#include "spc.h"

/* a series longer than this is a bogus timestamp, not history (hourly: 5700 years) */
#define AC_SPEND_MAX_PERIODS 50000000LL

typedef struct ac_spend_series {
	char *system;      /* by system: the system (NULL: none); else NULL */
	char *k[2];        /* ac_spend_by_next: the --by values (NULL past q->nby) */
	int64_t first;     /* period of cost[0]: start_ns / period_ns */
	double *cost;      /* n periods, first .. first + n - 1 */
	ac_spc_point *pt;  /* the band of each */
	size_t n;
} ac_spend_series;

typedef struct ac_spend_result {
	ac_spend_series *v; /* by system name (none first); one series unless by system */
	size_t n;
	int64_t keep;       /* (internal) the first period shown */
} ac_spend_result;

/*
 * The spend series of q's window in whole periods of period_ns (--since and
 * --until select the periods they fall in; each point's band and rules as
 * in the series without since: the periods before it are read, not listed),
 * one per system
 * when q->by holds AC_DIM_SYSTEM (a system without spend has no series),
 * else one (empty when nothing was spent). o must be valid (spc.h). Returns
 * 0, AC_EINVAL (another dimension, a filter), AC_ELIMIT (a series longer
 * than AC_SPEND_MAX_PERIODS), AC_ESQL or AC_ENOMEM; free *out with
 * ac_spend_result_free either way.
 */
int ac_spend_run(ac_store *s, const ac_query *q, int64_t period_ns, const ac_spc_opts *o,
                 ac_spend_result *out, ac_err *err);
void ac_spend_result_free(ac_spend_result *r);

/*
 * With --by/--where (q->dims, issue #17): the series of each value (pair) of
 * q's --by dimensions (one series with --where alone), one at a time in
 * value order, each with its band, from queries/spc_by.sql over dims.h's
 * q_task: a span counts for its task's values (model: each call's own). A
 * value without spend in the window has no series; a value with fewer
 * periods of history than o->min_history has no band (as a short series).
 * Memory is one series, however many values there are.
 */
typedef struct ac_spend_iter ac_spend_iter;

/* Returns 0 and *out (close with ac_spend_by_close), AC_EINVAL (a bad
 * --by/--where), AC_ESQL or AC_ENOMEM. */
int ac_spend_by_open(ac_store *s, const ac_query *q, int64_t period_ns, const ac_spc_opts *o,
                     ac_spend_iter **out, ac_err *err);
/* 1 and *x (owned by the iterator, valid until the next call), 0 at the
 * end, or AC_ELIMIT, AC_ESQL, AC_ENOMEM. */
int ac_spend_by_next(ac_spend_iter *it, const ac_spend_series **x, ac_err *err);
void ac_spend_by_close(ac_spend_iter *it);

/*
 * The spend of the n periods first .. first + n - 1 of period_ns into x
 * (zeros where nothing was spent) and, when pt is not NULL, their band over
 * those periods (opts o). Every system.
 */
int ac_spend_range(ac_store *s, int64_t period_ns, int64_t first, size_t n, double *x,
                   ac_spc_point *pt, const ac_spc_opts *o, ac_err *err);

/* ac_spend_range with the band, into *x and *pt allocated here (n >= 1; the
 * caller frees both). On failure both are NULL. Returns 0, AC_ESQL or
 * AC_ENOMEM. */
int ac_spend_band(ac_store *s, int64_t period_ns, int64_t first, size_t n,
                  const ac_spc_opts *o, double **x, ac_spc_point **pt, ac_err *err);

#endif
