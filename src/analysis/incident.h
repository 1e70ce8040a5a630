/*
 * The incident report's figures (src/report/incident.c lays them out): a
 * window's spend per bucket (minute or hour) against the same bucket on each
 * of the days before; spend, calls and tool failures per system, model and
 * tool against the mean of the same window on the days before; and the first
 * moment the hourly control band would have alerted.
 */
#ifndef AC_INCIDENT_H
#define AC_INCIDENT_H

#include "../store/store.h"
#include "../util/err.h"
#include "query.h"
#include "spc.h"

typedef struct ac_incident_bucket {
	int64_t start_ns;       /* the bucket's start */
	double spend;           /* its spend */
	double mean, lo, hi;    /* the same bucket on each of the days before */
	double excess;          /* spend - mean */
} ac_incident_bucket;

typedef struct ac_incident_peak {
	size_t i;    /* the bucket */
	double mean; /* spend - excess, as the peaks table shows it */
} ac_incident_peak;

typedef struct ac_incident_timeline {
	ac_incident_bucket *v; /* the buckets overlapping the window, in time order */
	size_t n;
	ac_incident_peak *peak; /* buckets above every day before (spend > hi),
	                         * largest excess first, ties in time order */
	size_t npeak;
	double spend, base_mean; /* sums over the buckets of spend and of mean */
	double excess, ratio;    /* spend - base_mean; spend / base_mean (0 when base_mean <= 0) */
} ac_incident_timeline;

/* The three window analyses take q's window [since_ns, until_ns) over every
 * system: q->system, q->by and q->where must be empty (else AC_EINVAL). */

/* The buckets of bucket_ns overlapping q's window, each against the same
 * bucket on each of the `days` days before (spc_daily.sql, every system).
 * Returns 0, AC_ESQL or AC_ENOMEM; free with ac_incident_timeline_free
 * either way. */
int ac_incident_timeline_run(ac_store *s, const ac_query *q, int64_t bucket_ns, int days,
                             ac_incident_timeline *out, ac_err *err);
void ac_incident_timeline_free(ac_incident_timeline *t);

typedef struct ac_incident_brow {
	char *kind, *name;          /* kind: system | model | tool; name NULL: none */
	double cost, base_cost;     /* the window; the mean of the days before */
	double excess;              /* cost - base_cost */
	double calls, base_calls, failures;
} ac_incident_brow;

typedef struct ac_incident_breakdown {
	ac_incident_brow *v; /* by kind, then largest excess first, then name (none first) */
	size_t n;
} ac_incident_breakdown;

/* report_breakdown.sql over q's window and over the same window on each of
 * the `days` days before (their mean). Returns 0, AC_ESQL or AC_ENOMEM; free
 * with ac_incident_breakdown_free either way. */
int ac_incident_breakdown_run(ac_store *s, const ac_query *q, int days,
                              ac_incident_breakdown *out, ac_err *err);
void ac_incident_breakdown_free(ac_incident_breakdown *b);

typedef struct ac_incident_task {
	int64_t id;                      /* task.id */
	char *task_id, *system, *task_type; /* may be NULL */
	int eval;                        /* 1: an evaluation task */
	int64_t start_ns;
	double task_cost;                /* the whole task */
	double window_cost;              /* its spans starting in the window */
	double window_share;             /* window_cost / the window's spend (NaN unless > 0) */
	long long llm_calls, tool_calls, max_repeat; /* the whole task */
} ac_incident_task;

typedef struct ac_incident_tasks {
	ac_incident_task *v; /* by window_cost descending, then task_id */
	size_t n;
} ac_incident_tasks;

/* The `limit` tasks whose spans starting in q's window cost the most
 * (report_window_tasks.sql), evaluation tasks included; spend is the
 * window's, for their shares. Returns 0, AC_ESQL or AC_ENOMEM; free with
 * ac_incident_tasks_free either way. */
int ac_incident_tasks_run(ac_store *s, const ac_query *q, int limit, double spend,
                          ac_incident_tasks *out, ac_err *err);
void ac_incident_tasks_free(ac_incident_tasks *t);

typedef struct ac_incident_alert {
	int have;             /* 1: the band alerted at an hour >= h0 */
	int64_t hour;         /* that hour (ns / hour) */
	double ucl, hour_cost;
	int64_t ns;           /* the start of the span that took the hour's running
	                       * spend past its UCL (the hour's start when none did) */
} ac_incident_alert;

/* The first hour >= h0 among the n hours from `start` whose band point in pt
 * alerts (x: their spend), and the span that took its running spend past its
 * UCL (report_span_costs.sql), before until_ns: an hour whose spend passed
 * its UCL only at or after until_ns did not alert in the window. Returns 0
 * or AC_ESQL. */
int ac_incident_alert_run(ac_store *s, int64_t start, size_t n, int64_t h0, int64_t until_ns,
                          const double *x,
                          const ac_spc_point *pt, ac_incident_alert *out, ac_err *err);

#endif
