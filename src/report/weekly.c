/*
 * The weekly report (`agentcost report weekly`): what an ISO week cost and
 * why, for the people who pay for it. It reads the store with the same
 * queries and the same analysis code as the single-purpose commands, so every
 * figure here can be reproduced with one of them:
 *
 *   1 headline          src/analysis/compare.h (summary_spans.sql,
 *                       summary_tasks.sql, tasks.sql, unpriced_models.sql);
 *                       this week and the one before
 *   2 per task type     tasks.sql + src/analysis/stats.h   (`agentcost tasks`)
 *   3 hidden costs      src/analysis/compare.h over hidden.sql,
 *                       hidden_retries.sql                 (`agentcost hidden`)
 *   4 daily spend       spc_daily.sql + src/analysis/spc.h (`agentcost spc`):
 *                       the band of each day from the 30 days before it, as
 *                       `agentcost spc` computes it over the whole store
 *   5 model selection   models.sql, models_scores.sql + accuracy.h
 *                       (`agentcost models --week`), and the cost-accuracy
 *                       frontier of src/router (`agentcost recommend --frontier`)
 *   6 recommendations   src/router ac_router_recommend over the four weeks
 *                       ending with this one (`agentcost recommend`)
 *   7 outliers          outliers.sql, outlier_task.sql  (`agentcost outliers`)
 *
 * Also here: helpers incident.c shares (queries; the guardrail judge is src/analysis/guard.c).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "../analysis/accuracy.h"
#include "../analysis/compare.h"
#include "../analysis/dims.h"
#include "../analysis/hidden.h"
#include "../analysis/models.h"
#include "../analysis/task_costs.h"
#include "../analysis/spc.h"
#include "../analysis/spend.h"
#include "../analysis/summary.h"
#include "../analysis/stats.h"
#include "../pricing/pricing.h"
#include "../router/router.h"
#include "../util/cmp.h"
#include "../util/map.h"
#include "../util/timeutil.h"
#include "report.h"

#define CONTEXT_WEEKS 3      /* weeks shown before the report week in the daily chart */
#define RECOMMEND_WEEKS 4    /* the router's window: this week and the three before */
#define CCDF_MAX_POINTS 600  /* per task type in the chart data */

/* ---- shared helpers ----------------------------------------------------- */

void ac_report_when(int64_t ns, char out[32])
{
	char day[11];
	int64_t d = ac_day_of_ns(ns);
	int64_t sec = (ns - d * AC_NS_PER_DAY) / AC_NS_PER_SEC;
	ac_format_day(d, day);
	snprintf(out, 32, "%s %02d:%02d UTC", day, (int)(sec / 3600), (int)(sec / 60 % 60));
}

/* Shown name of something that may be absent. */
static const char *shown(const char *s, const char *none)
{
	return s ? s : none;
}

/* ---- the guardrail judge's tables (the judge: src/analysis/guard.c) ------ */

static const char *reasons_text(const ac_gtask *t)
{
	if (t->by_calls && t->by_repeat)
		return "call_count;repeated_step";
	return t->by_calls ? "call_count" : "repeated_step";
}

void ac_guard_tables(ac_doc *d, const ac_guard *g, const char *prefix)
{
	static const char *const oc[] = { "task_id", "system", "task_type", "cost", "llm_calls",
		                          "type_median", "threshold", "guardrail_savings",
		                          "top_model", "top_purpose", "repeated_tool",
		                          "repeated_tool_calls" };
	static const char *const rc[] = { "task_id", "system", "task_type", "llm_calls",
		                          "calls_p999", "max_repeat", "cost", "reasons" };
	char name[64], cap[160];
	snprintf(name, sizeof(name), "%soutliers", prefix);
	snprintf(cap, sizeof(cap), "Tasks over %g x the median cost of their type, dearest first",
	         AC_GUARD_FACTOR);
	ac_tbl *t = ac_doc_table(d, name, cap, oc, 12, 15);
	for (size_t i = 0; i < g->nout; i++) {
		const ac_gtask *x = g->out[i];
		ac_tbl_text(t, x->task_id);
		ac_tbl_text(t, x->system);
		ac_tbl_text(t, x->task_type);
		ac_tbl_num(t, AC_CELL_USD, x->cost);
		ac_tbl_int(t, x->calls);
		ac_tbl_num(t, AC_CELL_USD, x->median);
		ac_tbl_num(t, AC_CELL_USD, x->threshold);
		ac_tbl_num(t, AC_CELL_USD, x->excess);
		ac_tbl_text(t, x->top_model);
		ac_tbl_text(t, x->top_purpose);
		ac_tbl_text(t, x->tool);
		ac_tbl_int(t, x->tool_calls);
	}
	snprintf(name, sizeof(name), "%srunaways", prefix);
	snprintf(cap, sizeof(cap),
	         "Runaway loops: more LLM calls than the p99.9 of their type, or the same step "
	         "more than %d times in a row",
	         AC_GUARD_REPEAT);
	t = ac_doc_table(d, name, cap, rc, 8, 15);
	for (size_t i = 0; i < g->nrun; i++) {
		const ac_gtask *x = g->run[i];
		ac_tbl_text(t, x->task_id);
		ac_tbl_text(t, x->system);
		ac_tbl_text(t, x->task_type);
		ac_tbl_int(t, x->calls);
		ac_tbl_num(t, AC_CELL_NUM, x->calls_p999);
		ac_tbl_int(t, x->max_repeat);
		ac_tbl_num(t, AC_CELL_USD, x->cost);
		ac_tbl_text(t, reasons_text(x));
	}
}

/* ---- the weekly report --------------------------------------------------- */

typedef struct wk {
	ac_store *s;
	ac_doc *doc;
	ac_plotter *plot;
	const ac_report_opts *o;
	ac_report_info *info;
	ac_err *err;
	int64_t since, until, prev_since; /* the week, and the one before from prev_since */
	int64_t first_ns, last_ns;        /* the store's first and newest span start */
	int64_t data_end;                 /* exclusive: the end of what can be known */
	char week[16], prev_week[16];
} wk;

/* Monday (days since epoch) and "YYYY-Www" of the ISO week holding day. */
static int64_t iso_week_of(int64_t day, char label[16])
{
	int64_t wd = ((day + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; Monday = 0 */
	int64_t mon = day - wd, thu = mon + 3;
	int y;
	unsigned m, dd;
	ac_civil_from_days(thu, &y, &m, &dd);
	int wno = (int)((thu - ac_days_from_civil(y, 1, 1)) / 7) + 1;
	snprintf(label, 16, "%04d-W%02d", y % 10000, wno % 100);
	return mon;
}

void ac_report_iso_minute(int64_t ns, char out[20])
{
	char day[16];
	int64_t d = ac_day_of_ns(ns);
	int64_t sec = (ns - d * AC_NS_PER_DAY) / AC_NS_PER_SEC;
	ac_format_day(d, day);
	snprintf(out, 20, "%.10sT%02d:%02d", day, (int)(sec / 3600) % 24, (int)(sec / 60 % 60));
}

void ac_report_spc_rules(const ac_spc_point *p, char rules[64])
{
	rules[0] = 0;
	for (unsigned bit = 0; bit < AC_SPC_RULE_COUNT; bit++)
		if (p->rules & (1u << bit))
			snprintf(rules + strlen(rules), 64 - strlen(rules), "%s%s", rules[0] ? ";" : "",
			         ac_spc_rule_name(1u << bit));
}

void ac_report_band_line(ac_buf *data, const char *when, double cost, const ac_spc_point *p)
{
	ac_buf_printf(data, "%s %.10g", when, cost);
	if (p->has_band)
		ac_buf_printf(data, " %.10g %.10g", p->mean, p->ucl);
	else
		ac_buf_adds(data, " ? ?");
	if (p->alert)
		ac_buf_printf(data, " %.10g\n", cost);
	else
		ac_buf_adds(data, " ?\n");
}

void ac_report_chart(ac_doc *d, ac_plotter *p, const char *name, const char *caption,
                     const ac_buf *data, const char *const *args, const char *empty_note)
{
	char note[300];
	char *svg = NULL;
	if (data->oom) {
		snprintf(note, sizeof(note), "out of memory");
	} else if (!data->len) {
		snprintf(note, sizeof(note), "%s", empty_note);
	} else {
		char script[64];
		snprintf(script, sizeof(script), "%s.gp", name);
		svg = ac_plot(p, script, data->data, data->len, args, name, note, sizeof(note));
	}
	ac_doc_chart(d, name, caption, svg, note);
}

static void chart(wk *w, const char *name, const char *caption, const ac_buf *data,
                  const char *const *args, const char *empty_note)
{
	ac_report_chart(w->doc, w->plot, name, caption, data, args, empty_note);
}

static void headline_row(ac_tbl *t, const char *metric, ac_cell_type type, const ac_change *c)
{
	ac_tbl_text(t, metric);
	ac_tbl_num(t, type, c->now);
	ac_tbl_num(t, type, c->prev);
	ac_tbl_num(t, type, c->change);
	ac_tbl_num(t, AC_CELL_SHARE, c->change_share);
}

static int section_headline(wk *w)
{
	ac_headline h;
	ac_query q = ac_query_window(w->since, w->until);
	int rc = ac_headline_run(w->s, &q, &h, w->err);
	if (rc) {
		ac_headline_free(&h);
		return rc;
	}
	const ac_summary *cs = &h.cur;
	const ac_change *f = h.fig;
	long long unpriced = cs->unpriced_spans;
	w->info->unpriced_calls = (int)unpriced;
	ac_doc *d = w->doc;
	ac_doc_section(d, "headline", "Headline");
	const ac_unpriced_model *v = cs->unpriced;
	size_t n = unpriced ? cs->nunpriced : 0;
	if (unpriced) {
		/* loudly, first: spend without a price is spend nobody sees */
		ac_buf names = AC_BUF_INIT;
		for (size_t i = 0; i < n && i < 8; i++)
			ac_buf_printf(&names, "%s%s (%lld call%s)", i ? ", " : "",
			              shown(v[i].model, "(no model name)"), v[i].calls,
			              v[i].calls == 1 ? "" : "s");
		if (n > 8)
			ac_buf_printf(&names, " and %zu more", n - 8);
		ac_doc_warn(d, "%lld LLM call%s in %s had no price: %s. Their cost is not in these "
		               "figures%s. Import prices with: agentcost prices import FILE.",
		            unpriced, unpriced == 1 ? "" : "s", w->week, ac_buf_cstr(&names),
		            cs->producer_costed_spans ? ", except what their producers reported themselves"
		                                      : "");
		ac_buf_release(&names);
	}
	const ac_change *spend = &f[AC_HEADLINE_SPEND];
	char a[64], b[64], c[64];
	ac_cell_format(a, sizeof(a), AC_CELL_USD, spend->now);
	ac_cell_format(b, sizeof(b), AC_CELL_USD, spend->prev);
	if (spend->prev > 0)
		snprintf(c, sizeof(c), "%s %.1f%% from", spend->now >= spend->prev ? "up" : "down",
		         h.spend_change_pct);
	else
		snprintf(c, sizeof(c), "against");
	ac_doc_para(d, "In %s the agents spent %s, %s %s in %s (every LLM and paid tool call "
	               "that started in the week, evaluation runs included).",
	            w->week, a, c, b, w->prev_week);
	if (h.tasks) {
		ac_cell_format(a, sizeof(a), AC_CELL_USD, f[AC_HEADLINE_COST_PER_TASK].now);
		ac_doc_para(d, "%lld production tasks cost %s each on average; the week saw %lld LLM "
		               "calls and %lld tool calls in all, and %lld evaluation tasks.",
		            h.tasks, a, cs->llm_calls, cs->tool_calls, cs->eval_tasks);
	} else {
		ac_doc_para(d, "No production task started in %s.", w->week);
	}
	static const char *const hc[] = { "metric", "this_week", "previous_week", "change",
		                          "change_share" };
	ac_tbl *t = ac_doc_table(d, "headline", "This week against the previous week", hc, 5, 0);
	headline_row(t, "spend", AC_CELL_USD, &f[AC_HEADLINE_SPEND]);
	headline_row(t, "production tasks", AC_CELL_INT, &f[AC_HEADLINE_TASKS]);
	headline_row(t, "cost per task", AC_CELL_USD, &f[AC_HEADLINE_COST_PER_TASK]);
	headline_row(t, "LLM calls", AC_CELL_INT, &f[AC_HEADLINE_LLM_CALLS]);
	headline_row(t, "tool calls", AC_CELL_INT, &f[AC_HEADLINE_TOOL_CALLS]);
	headline_row(t, "evaluation tasks", AC_CELL_INT, &f[AC_HEADLINE_EVAL_TASKS]);
	headline_row(t, "unpriced LLM calls", AC_CELL_INT, &f[AC_HEADLINE_UNPRICED]);
	if (n) {
		static const char *const uc[] = { "model", "calls", "producer_cost" };
		ac_tbl *u = ac_doc_table(d, "unpriced_models", "Models without a price this week", uc,
		                         3, 0);
		for (size_t i = 0; i < n; i++) {
			ac_tbl_text(u, v[i].model);
			ac_tbl_int(u, v[i].calls);
			ac_tbl_num(u, AC_CELL_USD, v[i].producer_cost_usd);
		}
	}
	ac_headline_free(&h);
	return 0;
}

/* ---- 2. per task type ---------------------------------------------------- */

/* The per-type distribution table and the fattest tail named below it. */
static void types_table(wk *w, const ac_task_costs *tc)
{
	ac_doc *d = w->doc;
	static const char *const cols[] = { "task_type", "tasks", "cost_total", "mean", "p50",
		                            "p90", "p99", "max", "bottom10_mean", "top10_mean",
		                            "tail_ratio", "top10_share", "tail_index" };
	ac_tbl *t = ac_doc_table(d, "task_types", "Cost per task by task type", cols, 13, 0);
	for (size_t i = 0; i < tc->n; i++) {
		const ac_task_group *x = &tc->v[i];
		ac_task_dist dist;
		ac_task_dist_of(&dist, x);
		ac_tbl_text(t, x->task_type);
		ac_tbl_int(t, (long long)x->n);
		ac_tbl_num(t, AC_CELL_USD, dist.total);
		ac_tbl_num(t, AC_CELL_USD, dist.mean);
		ac_tbl_num(t, AC_CELL_USD, dist.p50);
		ac_tbl_num(t, AC_CELL_USD, dist.p90);
		ac_tbl_num(t, AC_CELL_USD, dist.p99);
		ac_tbl_num(t, AC_CELL_USD, dist.max);
		ac_tbl_num(t, AC_CELL_USD, dist.bottom10_mean);
		ac_tbl_num(t, AC_CELL_USD, dist.top10_mean);
		ac_tbl_num(t, AC_CELL_RATIO, dist.tail_ratio);
		ac_tbl_num(t, AC_CELL_SHARE, dist.top10_share);
		ac_tbl_num(t, AC_CELL_NUM, dist.tail_index);
	}
	if (tc->fattest) {
		char r[32];
		ac_cell_format(r, sizeof(r), AC_CELL_RATIO, tc->fattest_tail_ratio);
		ac_doc_para(d, "The fattest tail is in %s: its dearest tenth of tasks cost %s its "
		               "cheapest tenth on average, and hold %.1f%% of its spend.",
		            shown(tc->fattest->task_type, "tasks without a type"), r,
		            100 * tc->fattest_top10_share);
	}

}

/* CCDF chart data: P(cost >= x) at each distinct positive cost, per type.
 * Returns how many tasks cost nothing (not on log axes). */
static long long types_ccdf(wk *w, const ac_task_costs *tc)
{
	ac_buf data = AC_BUF_INIT;
	int blocks = 0;
	long long zero = 0;
	for (size_t i = 0; i < tc->n; i++) {
		const ac_task_group *x = &tc->v[i];
		double *cost = malloc((x->n ? x->n : 1) * sizeof(double));
		double *share = malloc((x->n ? x->n : 1) * sizeof(double));
		size_t first, np = cost && share ? ac_task_ccdf(x, CCDF_MAX_POINTS, cost, share, &first) : 0;
		if (!cost || !share) {
			data.oom = 1;
			first = 0;
		}
		zero += (long long)first;
		if (np) {
			char label[64];
			ac_plot_label(label, sizeof(label), shown(x->task_type, "(no type)"));
			ac_buf_printf(&data, "%s\"%s\" \"ccdf\"\n", blocks ? "\n\n" : "", label);
			blocks++;
		}
		for (size_t k = 0; k < np; k++)
			ac_buf_printf(&data, "%.10g %.10g\n", cost[k], share[k]);
		free(cost);
		free(share);
	}
	char nb[16];
	snprintf(nb, sizeof(nb), "%d", blocks);
	const char *args[] = { nb, NULL };
	char cap[256];
	snprintf(cap, sizeof(cap),
	         "Share of tasks costing at least x, per task type, log-log axes%s",
	         zero ? " (tasks that cost nothing are not on log axes)" : "");
	chart(w, "ccdf", cap, &data, args, "no production task with a cost this week");
	ac_buf_release(&data);
	return zero;
}

/* Histogram: 5 log bins per decade over all types, stacked by type; a table
 * of the bins beside it. */
static void types_histogram(wk *w, const ac_task_costs *tc, long long zero)
{
	ac_doc *d = w->doc;
	ac_buf data = AC_BUF_INIT;
	int blocks = 0;
	char nb[16], cap[256];
	const char *args[] = { nb, NULL };
	static const char *const hcols[] = { "task_type", "bin_lo", "bin_hi", "tasks" };
	ac_tbl *ht = ac_doc_table(d, "histogram", "Tasks per cost bin (5 bins per decade)", hcols, 4,
	                          12);
	int lo, hi;
	if (ac_task_costs_bin_range(tc, &lo, &hi)) {
		int nbins = hi - lo + 1;
		double *stack = calloc((size_t)nbins, sizeof(double));
		size_t *counts = calloc((size_t)nbins, sizeof(size_t));
		if (!stack || !counts) {
			free(stack);
			stack = NULL;
			data.oom = 1;
		}
		for (size_t i = 0; stack && i < tc->n; i++) {
			const ac_task_group *x = &tc->v[i];
			if (!x->n || !(ac_task_group_max(x) > 0))
				continue;
			char label[64];
			ac_plot_label(label, sizeof(label), shown(x->task_type, "(no type)"));
			ac_buf_printf(&data, "%s\"%s\" \"lo\" \"hi\" \"y0\" \"y1\"\n", blocks ? "\n\n" : "",
			              label);
			blocks++;
			size_t k = ac_task_bin_counts(x, lo, hi, counts);
			if (k) {
				ac_tbl_text(ht, x->task_type);
				ac_tbl_num(ht, AC_CELL_USD, 0);
				ac_tbl_num(ht, AC_CELL_USD, 0);
				ac_tbl_int(ht, (long long)k);
			}
			for (int b = lo; b <= hi; b++) {
				double a = ac_cost_bin_lo(b), z = ac_cost_bin_lo(b + 1);
				size_t cnt = counts[b - lo];
				if (!cnt)
					continue;
				double *y = &stack[b - lo];
				ac_buf_printf(&data, "%.10g %.10g %.10g %.10g\n", a, z, *y, *y + (double)cnt);
				*y += (double)cnt;
				ac_tbl_text(ht, x->task_type);
				ac_tbl_num(ht, AC_CELL_USD, a);
				ac_tbl_num(ht, AC_CELL_USD, z);
				ac_tbl_int(ht, (long long)cnt);
			}
		}
		free(stack);
		free(counts);
	}
	snprintf(nb, sizeof(nb), "%d", blocks);
	snprintf(cap, sizeof(cap), "Tasks per cost bin on a log cost axis, stacked by task type%s",
	         zero ? "; tasks that cost nothing are counted in the table only" : "");
	chart(w, "histogram", cap, &data, args, "no production task with a cost this week");
	ac_buf_release(&data);
}

static int section_types(wk *w)
{
	/* production tasks of the week by type, as `agentcost tasks` */
	ac_task_costs g;
	ac_query q = ac_query_window(w->since, w->until);
	int rc = ac_task_costs_run(w->s, &q, w->o->approx ? AC_UNITS_APPROX : 0, &g, w->err);
	if (rc) {
		ac_task_costs_free(&g);
		return rc;
	}
	ac_doc_section(w->doc, "task-types", "Cost per task, by task type");
	ac_doc_para(w->doc, "Production tasks that started in %s, per task type: the cost distribution "
	               "(type-7 percentiles), the mean of the dearest tenth over the cheapest tenth "
	               "(tail ratio), the dearest tenth's share of the type's spend, and the Hill "
	               "tail index (a small index is a heavy tail; 2 or less: infinite variance).",
	            w->week);
	if (w->o->approx)
		ac_doc_para(w->doc, "Approximate (--approx): each type's costs were counted per bin of "
		                    "2^-7 relative width; every percentile is within 0.39%% of the exact "
		                    "one, the decile means and the share within 0.39%%, the tail ratio "
		                    "within 0.78%%; tasks, totals, means and max are exact, and a task "
		                    "within 0.39%% of a histogram bin's edge may be counted beside it.");
	types_table(w, &g);
	long long zero = types_ccdf(w, &g);
	types_histogram(w, &g, zero);
	ac_task_costs_free(&g);
	return 0;
}

/* ---- 3. hidden costs ----------------------------------------------------- */

static int section_hidden(wk *w)
{
	ac_hidden_compare h;
	ac_query q = ac_query_window(w->since, w->until);
	int rc = ac_hidden_compare_run(w->s, &q, &h, w->err);
	if (rc)
		return rc;
	ac_doc *d = w->doc;
	ac_doc_section(d, "hidden", "Hidden costs: retries, summarization, evaluation");
	char a[64], b[64];
	ac_cell_format(a, sizeof(a), AC_CELL_USD, h.hidden);
	if (isnan(h.share))
		ac_doc_para(d, "Nothing was spent in %s.", w->week);
	else if (isnan(h.prev_share))
		ac_doc_para(d, "Retries, context summarization and evaluation runs took %.1f%% of the "
		               "week's spend (%s); the week before had no spend to compare with.",
		            h.share * 100, a);
	else
		ac_doc_para(d, "Retries, context summarization and evaluation runs took %.1f%% of the "
		               "week's spend (%s), against %.1f%% the week before (%+.1f percentage "
		               "points).",
		            h.share * 100, a, h.prev_share * 100, h.share_change * 100);
	if (h.tool_calls) {
		ac_cell_format(b, sizeof(b), AC_CELL_NUM, h.attempts_per_episode);
		ac_doc_para(d, "Tool calls failed %.1f%% of the time (%lld of %lld); %lld failure "
		               "episode%s took %s retries each on average.",
		            h.failure_pct, h.tool_failures, h.tool_calls, h.episodes,
		            h.episodes == 1 ? "" : "s", h.episodes ? b : "no");
	}
	static const char *const cols[] = { "purpose", "cost", "share", "previous_cost",
		                            "previous_share", "share_change", "cost_change" };
	ac_tbl *t = ac_doc_table(d, "hidden", "Hidden costs, this week against the previous week",
	                         cols, 7, 0);
	ac_buf data = AC_BUF_INIT;
	ac_buf_adds(&data, "\"purpose\" \"previous week\" \"this week\"\n");
	for (int i = 0; i < AC_HIDDEN_N; i++) {
		const ac_hidden_change *x = &h.v[i];
		ac_tbl_text(t, x->purpose);
		ac_tbl_num(t, AC_CELL_USD, x->cost);
		ac_tbl_num(t, AC_CELL_SHARE, x->share);
		ac_tbl_num(t, AC_CELL_USD, x->prev_cost);
		ac_tbl_num(t, AC_CELL_SHARE, x->prev_share);
		ac_tbl_num(t, AC_CELL_PP, x->share_change);
		ac_tbl_num(t, AC_CELL_USD, x->cost_change);
		ac_buf_printf(&data, "\"%s\" %.6f %.6f\n", x->purpose,
		              isnan(x->prev_share) ? 0 : x->prev_share * 100,
		              isnan(x->share) ? 0 : x->share * 100);
	}
	chart(w, "hidden_bars", "Share of all spend: retries, summarization, evaluation runs; "
	                        "previous week beside this week",
	      &data, NULL, "no spend");
	ac_buf_release(&data);
	return 0;
}

/* ---- who spent it ---------------------------------------------------------- */

static int section_who(wk *w)
{
	const char *dim = w->o->by ? w->o->by : "user";
	char title[160];
	snprintf(title, sizeof(title), "Who spent it: by %.100s", dim);
	ac_doc_section(w->doc, "who", title);
	ac_query q = ac_query_window(w->since, w->until);
	return ac_report_who(w->doc, w->s, &q, dim, 10, w->o->approx ? AC_UNITS_APPROX : 0, "who",
	                     w->week, w->err);
}

/* ---- 4. daily spend and its control band --------------------------------- */

static int section_daily(wk *w)
{
	ac_doc *d = w->doc;
	ac_doc_section(d, "daily", "Daily spend and its control band");
	int64_t shown_day = ac_day_of_ns(w->since) - 7 * CONTEXT_WEEKS;
	int64_t fetch_day = shown_day - 30; /* the band of the first shown day needs 30 days */
	int64_t first_day = ac_day_of_ns(w->first_ns);
	int64_t start_day = fetch_day > first_day ? fetch_day : first_day;
	int64_t end_day = ac_day_of_ns(w->until - 1) + 1;
	int64_t known = ac_day_of_ns(w->data_end - 1) + 1;
	if (known < end_day)
		end_day = known;
	ac_spc_opts opts = AC_SPC_OPTS_INIT;
	ac_doc_para(d, "Spend per UTC day (every call, evaluation runs included) from %d weeks "
	               "before %s to its end. The band of each day is computed from the %zu days "
	               "before it: mean + %g standard deviations is its upper control limit (UCL), "
	               "once %zu days of history exist; a day above its UCL is an alert, and the "
	               "Western Electric run rules are named where they fire. The same figures as "
	               "\"agentcost spc\".",
	            CONTEXT_WEEKS, w->week, opts.window, opts.sigma, opts.min_history);
	if (end_day <= start_day) {
		ac_doc_para(d, "No spend to show.");
		return 0;
	}
	size_t n = (size_t)(end_day - start_day);
	double *x;
	ac_spc_point *pt;
	int rc = ac_spend_band(w->s, AC_NS_PER_DAY, start_day, n, &opts, &x, &pt, w->err);
	if (rc)
		return rc;
	static const char *const cols[] = { "day", "cost", "mean", "sd", "ucl", "alert", "rules",
		                            "report_week" };
	/* the table goes below the chart: built aside, appended last */
	ac_doc *aside = ac_doc_new("", "");
	if (!aside) {
		free(x);
		free(pt);
		return ac_err_set(w->err, AC_ENOMEM, "out of memory");
	}
	ac_tbl *t = ac_doc_table(aside, "daily", "Spend per day against its control band", cols, 8, 0);
	ac_buf data = AC_BUF_INIT, alerts = AC_BUF_INIT;
	int64_t week_day = ac_day_of_ns(w->since);
	int nalerts = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t day = start_day + (int64_t)i;
		if (day < shown_day)
			continue;
		char ds[11], dt[20], rules[64];
		ac_format_day(day, ds);
		ac_report_spc_rules(&pt[i], rules);
		int in_week = day >= week_day;
		ac_tbl_text(t, ds);
		ac_tbl_num(t, AC_CELL_USD, x[i]);
		ac_tbl_num(t, AC_CELL_USD, pt[i].mean);
		ac_tbl_num(t, AC_CELL_USD, pt[i].sd);
		ac_tbl_num(t, AC_CELL_USD, pt[i].ucl);
		ac_tbl_text(t, pt[i].alert ? "yes" : "");
		ac_tbl_text(t, rules);
		ac_tbl_text(t, in_week ? "yes" : "");
		snprintf(dt, sizeof(dt), "%sT00:00", ds);
		ac_report_band_line(&data, dt, x[i], &pt[i]);
		if (in_week && (pt[i].alert || pt[i].rules)) {
			char c1[32], c2[32], c3[32];
			ac_cell_format(c1, sizeof(c1), AC_CELL_USD, x[i]);
			ac_cell_format(c2, sizeof(c2), AC_CELL_USD, pt[i].ucl);
			ac_cell_format(c3, sizeof(c3), AC_CELL_USD, pt[i].mean);
			ac_buf_printf(&alerts, "%s%s: %s %s its UCL of %s (mean %s)%s%s", nalerts ? "; " : "",
			              ds, c1, pt[i].alert ? "above" : "within", c2, c3,
			              rules[0] ? ", rules " : "", rules);
			nalerts++;
		}
	}
	if (nalerts)
		ac_doc_para(d, "Alerts in %s: %s.", w->week, ac_buf_cstr(&alerts));
	else
		ac_doc_para(d, "No day of %s broke its control band.", w->week);
	char from[20], to[20];
	ac_report_iso_minute(w->since, from);
	ac_report_iso_minute(end_day * AC_NS_PER_DAY > w->since ? end_day * AC_NS_PER_DAY : w->until, to);
	const char *args[] = { from, to, "day", NULL };
	chart(w, "spc_band", "Daily spend (dots), its band from the mean to the UCL, alerts in red; "
	                     "the report week shaded",
	      &data, args, "no spend");
	rc = ac_doc_append(d, aside) ? ac_err_set(w->err, AC_ENOMEM, "out of memory") : 0;
	ac_doc_free(aside);
	ac_buf_release(&data);
	ac_buf_release(&alerts);
	free(x);
	free(pt);
	return rc;
}

/* ---- 5. model selection --------------------------------------------------- */

/* The cost-accuracy frontier of each class, from the router's recommendation
 * (NULL: none, rec_note says why): a table and a chart. */
static void models_frontier(wk *w, const ac_recommendation *rec, const char *rec_note)
{
	ac_doc *d = w->doc;
	ac_doc_heading(d, "Cost-accuracy frontier per class");
	if (!rec) {
		ac_doc_para(d, "No frontier: %s.", rec_note);
		return;
	}
	ac_doc_para(d, "For each class of work, the models no other model beats on both cost and "
	               "accuracy, from the router over the %g days ending with %s (models with at "
	               "least %d scored calls on the class): the cost is what the class's production "
	               "calls would have cost on that model (simulated, per month), relative to the "
	               "model serving most of them now.",
	            rec->window_days, w->week, rec->min_samples);
	static const char *const fc[] = { "task_type", "complexity", "model", "current", "calls",
		                          "monthly_cost", "relative_cost", "accuracy", "accuracy_n",
		                          "accuracy_lo", "accuracy_hi" };
	ac_tbl *ft = ac_doc_table(d, "frontier", "Non-dominated models per class", fc, 11, 40);
	ac_buf data = AC_BUF_INIT;
	int blocks = 0;
	const char *pt = NULL, *pc = NULL;
	int started = 0;
	for (size_t i = 0; i < rec->nfrontier; i++) {
		const ac_frontier_point *p = &rec->frontier[i];
		double rel = p->relative_cost;
		ac_tbl_text(ft, p->task_type);
		ac_tbl_text(ft, p->complexity);
		ac_tbl_text(ft, p->model);
		ac_tbl_text(ft, p->current ? "yes" : "");
		ac_tbl_int(ft, p->calls);
		ac_tbl_num(ft, AC_CELL_USD, p->monthly_cost);
		ac_tbl_num(ft, AC_CELL_RATIO, rel);
		ac_tbl_num(ft, AC_CELL_SHARE, p->acc.mean);
		ac_tbl_int(ft, (long long)p->acc.n);
		ac_tbl_num(ft, AC_CELL_SHARE, p->acc.lo);
		ac_tbl_num(ft, AC_CELL_SHARE, p->acc.hi);
		if (isnan(rel) || !(rel > 0) || isnan(p->acc.mean))
			continue;
		if (!started || ac_cmp_opt(pt, p->task_type) || ac_cmp_opt(pc, p->complexity)) {
			char l1[64], l2[64];
			ac_plot_label(l1, sizeof(l1), shown(p->task_type, "(no type)"));
			ac_plot_label(l2, sizeof(l2), p->complexity);
			ac_buf_printf(&data, "%s\"%s / %s\" \"acc\" \"lo\" \"hi\" \"model\" \"cur\"\n",
			              blocks ? "\n\n" : "", l1, l2);
			blocks++;
			pt = p->task_type;
			pc = p->complexity;
			started = 1;
		}
		char ml[64];
		ac_plot_label(ml, sizeof(ml), p->model);
		double lo = isnan(p->acc.lo) ? p->acc.mean : p->acc.lo;
		double hi = isnan(p->acc.hi) ? p->acc.mean : p->acc.hi;
		ac_buf_printf(&data, "%.10g %.6f %.6f %.6f \"%s\" %d\n", rel, p->acc.mean * 100, lo * 100,
		              hi * 100, ml, p->current);
	}
	char nb[16];
	snprintf(nb, sizeof(nb), "%d", blocks);
	const char *args[] = { nb, NULL };
	chart(w, "frontier", "Cost-accuracy frontier per class: cost relative to the current model "
	                     "(log scale), accuracy with its 95% interval; circled: the current model",
	      &data, args, "no class has enough scored calls for a frontier");
	ac_buf_release(&data);
}

static int section_models(wk *w, const ac_recommendation *rec, const char *rec_note)
{
	ac_doc *d = w->doc;
	ac_models_result r;
	ac_query q = ac_query_window(w->since, w->until);
	int rc = ac_models_run(w->s, &q, NULL, &r, w->err);
	if (rc) {
		ac_models_result_free(&r);
		return rc;
	}
	ac_doc_section(d, "models", "Model selection");
	ac_doc_para(d, "Production LLM calls of %s per task type, complexity class "
	               "(agentcost.complexity) and model, beside the model's accuracy on that class "
	               "from the evaluation runs of the same week: the mean agentcost.eval.score "
	               "with a 95%% interval (Wilson for 0/1 scores, t otherwise). Cost per success "
	               "is the cost per call over the accuracy. As \"agentcost models --week %s\".",
	            w->week, w->week);
	static const char *const cols[] = { "task_type", "complexity", "model", "calls", "cost",
		                            "cost_share", "cost_per_call", "accuracy", "accuracy_n",
		                            "accuracy_lo", "accuracy_hi", "cost_per_success" };
	ac_tbl *t = ac_doc_table(d, "models", "Calls, cost and accuracy per task type x complexity x "
	                                      "model",
	                         cols, 12, 40);
	static const ac_cell_type shows[] = { AC_CELL_TEXT,  AC_CELL_TEXT,  AC_CELL_TEXT,
		                              AC_CELL_INT,   AC_CELL_USD,   AC_CELL_SHARE,
		                              AC_CELL_USD,   AC_CELL_SHARE, AC_CELL_INT,
		                              AC_CELL_SHARE, AC_CELL_SHARE, AC_CELL_USD };
	ac_models_table_fill(ac_tbl_table(t), &r, cols, shows, 12);
	ac_models_result_free(&r);
	models_frontier(w, rec, rec_note);
	return 0;
}

/* ---- 6. recommendations ------------------------------------------------- */

/* The recommended map as a table: its CSV is the map file `recommend
 * --write-map` writes, with the formula guard. */
static int map_table(wk *w, const ac_router_map *map)
{
	static const char *const cols[] = { "task_type", "complexity", "model" };
	ac_tbl *t = ac_doc_table(w->doc, "recommended_map",
	                         "The routing map to apply (agentcost simulate --map "
	                         "recommended_map.csv)",
	                         cols, 3, 0);
	if (!t || ac_router_map_table(map, ac_tbl_table(t)))
		return ac_err_set(w->err, AC_ENOMEM, "out of memory");
	return 0;
}

static int section_recommend(wk *w, const ac_recommendation *rec, const char *rec_note)
{
	ac_doc *d = w->doc;
	ac_doc_section(d, "recommendations", "Recommendations: routing");
	if (!rec) {
		ac_doc_para(d, "No recommendation: %s.", rec_note);
		return 0;
	}
	char a[64];
	ac_cell_format(a, sizeof(a), AC_CELL_USD, rec->monthly_savings);
	ac_doc_para(d, "From the router (\"agentcost recommend\") over the %g days ending with %s: "
	               "for each class of work served now by model M, the cheapest model whose "
	               "accuracy's lower 95%% bound is within %g of M's, on at least %d scored "
	               "calls. The savings are those of replaying the production traffic of "
	               "those days under the recommended map (\"agentcost simulate\"), per month: "
	               "%s.",
	            rec->window_days, w->week, rec->tolerance, rec->min_samples, a);
	for (size_t i = 0; i < rec->nsummary; i++) {
		const char *x = rec->summary[i];
		char first = x[0] >= 'a' && x[0] <= 'z' ? (char)(x[0] - 32) : x[0];
		ac_doc_para(d, "%c%s.", first, x[0] ? x + 1 : "");
	}
	static const char *const cols[] = {
		"task_type", "complexity", "current_model", "recommended_model", "moved",
		"class_calls", "calls_moved", "current_accuracy", "current_n", "recommended_accuracy",
		"recommended_lo", "recommended_hi", "recommended_n", "current_cost",
		"recommended_cost", "monthly_savings", "reason"
	};
	ac_tbl *t = ac_doc_table(d, "recommendations", "What to move, and the evidence", cols, 17, 40);
	static const ac_cell_type shows[] = {
		AC_CELL_TEXT,  AC_CELL_TEXT,  AC_CELL_TEXT, AC_CELL_TEXT, AC_CELL_TEXT, AC_CELL_INT,
		AC_CELL_INT,   AC_CELL_SHARE, AC_CELL_INT,  AC_CELL_SHARE, AC_CELL_SHARE,
		AC_CELL_SHARE, AC_CELL_INT,   AC_CELL_USD,  AC_CELL_USD,  AC_CELL_USD, AC_CELL_TEXT
	};
	ac_recommend_table_fill(ac_tbl_table(t), rec, cols, shows, 17);
	ac_doc_heading(d, "The map to apply");
	ac_doc_para(d, "The recommended routing map (task_type, complexity, model), as "
	               "recommended_map.csv beside this report: replay it with \"agentcost simulate "
	               "--map recommended_map.csv\", or load it into the router of the agents.");
	return map_table(w, rec->map);
}

/* ---- 7. outliers -------------------------------------------------------- */

static int section_outliers(wk *w)
{
	ac_guard g;
	int rc = ac_guard_run(&g, w->s, NULL, w->since, w->until, w->since, w->until, w->err);
	if (rc) {
		ac_guard_release(&g);
		return rc;
	}
	ac_doc *d = w->doc;
	ac_doc_section(d, "outliers", "Outliers, guardrail savings and runaway loops");
	char a[64];
	ac_cell_format(a, sizeof(a), AC_CELL_USD, g.savings);
	ac_doc_para(d, "%zu production task%s of %s cost more than %g x the median of their type. "
	               "A guardrail halting each task at that threshold would have saved %s "
	               "(%.1f%% of the week's production task spend). As \"agentcost outliers\".",
	            g.nout, g.nout == 1 ? "" : "s", w->week, AC_GUARD_FACTOR, a,
	            g.savings_pct);
	ac_doc_para(d, "%zu runaway loop%s: tasks with more LLM calls than the p99.9 of their type, "
	               "or the same step (tool, or LLM span name) more than %d times in a row.",
	            g.nrun, g.nrun == 1 ? "" : "s", AC_GUARD_REPEAT);
	ac_guard_tables(d, &g, "");
	ac_guard_release(&g);
	return 0;
}

/* ---- the whole report ---------------------------------------------------- */

int ac_report_store_range(ac_store *s, int64_t *first, int64_t *last, ac_err *err)
{
	ac_query all = AC_QUERY_INIT;
	ac_summary sm;
	int rc = ac_summary_run(s, &all, AC_SUMMARY_SPANS, &sm, err);
	int empty = !sm.have_days;
	if (!rc && !empty) {
		/* the rollup knows the hours of the oldest and the newest span, not
		 * their minutes: both store paths give those hours' starts, so the
		 * reports say "in the hour from" (an exact start would read every
		 * span) */
		const int64_t hour = INT64_C(3600000000000);
		*first = sm.first_ns - ((sm.first_ns % hour) + hour) % hour;
		*last = sm.last_ns - ((sm.last_ns % hour) + hour) % hour;
	}
	ac_summary_free(&sm);
	if (rc)
		return rc;
	return empty ? ac_err_set(err, AC_EINVAL, "the store holds no spans: nothing to report") : 0;
}

/* The router's recommendation over the four weeks ending with the report
 * week; NULL with note when there is none (not an error of the report). */
static int recommend(wk *w, ac_pricebook **pb, ac_router_data **rd, ac_recommendation **rec,
                     char *note, size_t nnote)
{
	ac_err e = AC_ERR_INIT;
	*rec = NULL;
	int rc = ac_pricebook_load(pb, ac_store_db(w->s), &e);
	/* this week and the three before, from the store's first day at most
	 * (monthly savings divide by the window's days: days before the store
	 * began are not days without spend) */
	int64_t since = w->since - (RECOMMEND_WEEKS - 1) * 7 * AC_NS_PER_DAY;
	int64_t first_day = ac_day_of_ns(w->first_ns) * AC_NS_PER_DAY;
	if (since < first_day && first_day < w->until)
		since = first_day;
	ac_router_window rw = { since, w->until, NULL };
	if (!rc)
		rc = ac_router_data_load(rd, w->s, *pb, &rw, &e);
	if (!rc) {
		ac_recommend_opts ro = AC_RECOMMEND_OPTS_INIT;
		rc = ac_router_recommend(rec, *rd, NULL, &ro, &e);
	}
	if (rc == AC_ENOMEM)
		return ac_err_set(w->err, AC_ENOMEM, "out of memory");
	if (rc) {
		*rec = NULL;
		snprintf(note, nnote, "%s", e.msg[0] ? e.msg : "the router found nothing to recommend");
	}
	return 0;
}

int ac_report_weekly(ac_store *s, const ac_report_opts *o, ac_report_info *info, ac_err *err)
{
	wk w;
	memset(&w, 0, sizeof(w));
	memset(info, 0, sizeof(*info));
	w.s = s;
	w.o = o;
	w.info = info;
	w.err = err;
	int rc = ac_report_store_range(s, &w.first_ns, &w.last_ns, err);
	if (rc)
		return rc;
	int has_now = o->now_ns != INT64_MIN;
	if (o->week) {
		int64_t a, b;
		if (ac_iso_week_parse(o->week, &a, &b))
			return ac_err_set(err, AC_EINVAL,
			                  "--week takes an ISO week YYYY-Www (e.g. 2025-W23), not '%s'",
			                  o->week);
		w.since = a;
		w.until = b;
	} else if (has_now) {
		char tmp[16];
		int64_t mon = iso_week_of(ac_day_of_ns(o->now_ns), tmp);
		w.since = (mon - 7) * AC_NS_PER_DAY; /* the last week that ended by now */
		w.until = mon * AC_NS_PER_DAY;
	} else {
		char tmp[16];
		int64_t mon = iso_week_of(ac_day_of_ns(w.last_ns), tmp);
		w.since = mon * AC_NS_PER_DAY;
		w.until = (mon + 7) * AC_NS_PER_DAY;
	}
	w.prev_since = w.since - 7 * AC_NS_PER_DAY;
	iso_week_of(ac_day_of_ns(w.since), w.week);
	iso_week_of(ac_day_of_ns(w.prev_since), w.prev_week);
	w.data_end = has_now ? o->now_ns : w.last_ns + 1;
	snprintf(info->label, sizeof(info->label), "%s", w.week);
	info->since_ns = w.since;
	info->until_ns = w.until;

	char title[96], sub[512], d0[11], d1[11], last[32], now[32];
	snprintf(title, sizeof(title), "Agent cost report, week %s", w.week);
	ac_format_day(ac_day_of_ns(w.since), d0);
	ac_format_day(ac_day_of_ns(w.until) - 1, d1);
	ac_report_when(w.last_ns, last);
	if (has_now)
		ac_report_when(o->now_ns, now);
	snprintf(sub, sizeof(sub), "ISO week %s: Monday %s to Sunday %s (UTC), against %s. Newest span "
	                          "in the store: in the hour from %s.%s%s%s",
	         w.week, d0, d1, w.prev_week, last, has_now ? " Report date: " : "",
	         has_now ? now : "",
	         w.data_end >= w.until ? ""
	         : has_now ? " The week is not over at the report date: its figures are partial."
	                   : " Spans of the week after that, if any, are not in these figures.");

	ac_pricebook *pb = NULL;
	ac_router_data *rd = NULL;
	ac_recommendation *rec = NULL;
	char rec_note[600] = "";
	w.doc = ac_doc_new(title, sub);
	if (!w.doc)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	if ((rc = ac_plotter_new(&w.plot, o, err)))
		goto done;
	snprintf(info->chart_note, sizeof(info->chart_note), "%s", ac_plotter_note(w.plot));
	if ((rc = recommend(&w, &pb, &rd, &rec, rec_note, sizeof(rec_note))))
		goto done;
	if ((rc = section_headline(&w)) || (rc = section_types(&w)) || (rc = section_who(&w)) ||
	    (rc = section_hidden(&w)) ||
	    (rc = section_daily(&w)) || (rc = section_models(&w, rec, rec_note)) ||
	    (rc = section_recommend(&w, rec, rec_note)) || (rc = section_outliers(&w)))
		goto done;
	rc = ac_doc_write(w.doc, o->out_dir, info, err);
done:
	ac_recommendation_free(rec);
	ac_router_data_free(rd);
	ac_pricebook_free(pb);
	ac_plotter_free(w.plot);
	ac_doc_free(w.doc);
	return rc;
}
