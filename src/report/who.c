/*
 * "Who spent it" (issue #17, item 7): a dimension's values by spend in a
 * report's window, laid out from ac_top_run (src/analysis/top.h): the
 * weekly report's section (users, or the --by dimension) and the incident
 * report's users and sessions.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../analysis/dims.h"
#include "../analysis/top.h"
#include "report.h"

/* The share of the window's cost held by the tasks without a value. */
static int none_cost(ac_store *s, const ac_query *win, const ac_dim *dim, int flags,
                     double *cost, long long *tasks, ac_err *err)
{
	ac_filter f = { *dim, "(none)" };
	ac_query q = *win;
	q.by = dim;
	q.nby = 1;
	q.where = &f;
	q.nwhere = 1;
	q.dims = 1;
	q.since_ns = win->since_ns;
	ac_top_result r;
	int rc = ac_top_run(s, &q, 1, flags, &r, err);
	if (rc)
		return rc;
	*cost = r.n ? r.rows[0].cost : 0;
	*tasks = r.n ? r.rows[0].tasks : 0;
	ac_top_result_free(&r);
	return 0;
}

int ac_report_who(ac_doc *d, ac_store *s, const ac_query *win, const char *dim_text,
                  size_t limit, int flags, const char *table, const char *period, ac_err *err)
{
	ac_dim dim;
	int rc = ac_dim_parse(dim_text, &dim, err);
	if (rc)
		return rc;
	const char *col = ac_dim_column(&dim);
	ac_query q = *win;
	q.by = &dim;
	q.nby = 1;
	q.dims = 1;
	ac_top_result r;
	if ((rc = ac_top_run(s, &q, limit, flags, &r, err)))
		return rc;
	double none = 0;
	long long none_tasks = 0;
	if (r.values && (rc = none_cost(s, win, &dim, flags, &none, &none_tasks, err))) {
		ac_top_result_free(&r);
		return rc;
	}
	int spans = (flags & AC_UNITS_SPANS) != 0;
	const char *what = spans ? (flags & AC_UNITS_EVAL ? "tasks (evaluation included) had spans "
	                                                  "starting in"
	                                                : "production tasks had spans starting in")
	                         : (flags & AC_UNITS_EVAL ? "tasks (evaluation included) started in"
	                                                  : "production tasks started in");
	if (!r.values) {
		ac_doc_para(d, "No %s %s.", what, period);
	} else {
		double top1 = r.n ? r.rows[0].cost : 0, topn = 0;
		for (size_t i = 0; i < r.n; i++)
			topn += r.rows[i].cost;
		char usd[32], first[32];
		ac_cell_format(usd, sizeof(usd), AC_CELL_USD, r.total_cost);
		ac_cell_format(first, sizeof(first), AC_CELL_USD, top1);
		ac_doc_para(d, "%lld %s %s and cost %s there, over %lld distinct "
		               "values of %s. The costliest, %.120s, spent %s (%.1f%%); the top %zu "
		               "spent %.1f%% together. Tasks without a %s: %lld (%.1f%% of the cost). "
		               "p50 and p99 are per task; the previous period is the one of the same "
		               "length just before.",
		            r.total_tasks, what, period, usd, r.values, col, r.rows[0].value, first,
		            r.total_cost > 0 ? 100 * top1 / r.total_cost : 0, r.n,
		            r.total_cost > 0 ? 100 * topn / r.total_cost : 0, col, none_tasks,
		            r.total_cost > 0 ? 100 * none / r.total_cost : 0);
	}
	const char *cols[] = { col, "tasks", "cost", "share", "p50", "p99", "previous_cost",
		               "change" };
	char caption[160];
	snprintf(caption, sizeof(caption), "The %zu costliest values of %s", limit, col);
	ac_tbl *t = ac_doc_table(d, table, caption, cols, 8, 0);
	for (size_t i = 0; i < r.n; i++) {
		const ac_top_row *w = &r.rows[i];
		ac_tbl_text(t, w->value);
		ac_tbl_int(t, w->tasks);
		ac_tbl_num(t, AC_CELL_USD, w->cost);
		ac_tbl_num(t, AC_CELL_SHARE, w->share);
		ac_tbl_num(t, AC_CELL_USD, w->p50);
		ac_tbl_num(t, AC_CELL_USD, w->p99);
		ac_tbl_num(t, AC_CELL_USD, w->previous_cost);
		ac_tbl_num(t, AC_CELL_SHARE, w->change);
	}
	ac_top_result_free(&r);
	return 0;
}
