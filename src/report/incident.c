/*
 * The incident report (`agentcost report incident --from T --to T`): cost
 * forensics of a time window, after the fact. Sections:
 *
 *   1 summary         the window's spend against the same minutes (hours) of
 *                     the previous 7 days, and what the sections below found
 *   2 spend over time per minute when the window is at most 6 hours, else per
 *                     hour (spc_daily.sql with that period), each minute
 *                     (hour) beside the same one on each of the 7 days before:
 *                     their mean, least and most
 *   3 tasks           the tasks whose spans in the window cost the most
 *                     (report_window_tasks.sql), and the trees of the first
 *                     three as `agentcost task` shows them (task_spans.sql)
 *   4 runaways and    the production tasks starting in the window judged as
 *     guardrail       `agentcost outliers` judges them, but against their task
 *                     type's median cost and p99.9 of LLM calls over the 7 days
 *                     before the window (what a guardrail could have known);
 *                     types without tasks then are judged against themselves
 *   5 system / model  report_breakdown.sql over the window and over the same
 *     / tool          window on each of the 7 days before (their mean)
 *   6 control band    hourly spend against the band of `agentcost spc --hourly`
 *                     (the 30 hours before each hour, mean + 2 sd once 7 exist),
 *                     and the first moment it would have alerted: the start of
 *                     the span that took the running spend of the first
 *                     alerting hour past that hour's UCL (report_span_costs.sql)
 *
 * Minutes and hours are whole UTC minutes and hours: those overlapping the
 * window, so an unaligned window's first bucket holds spend from before it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/dims.h"
#include "../analysis/incident.h"
#include "../analysis/spc.h"
#include "../analysis/spend.h"
#include "../analysis/tasktree.h"
#include "../util/map.h"
#include "../util/timeutil.h"
#include "report.h"

#define NS_PER_MIN (60LL * AC_NS_PER_SEC)
#define NS_PER_HOUR (3600LL * AC_NS_PER_SEC)
#define MINUTE_WINDOW_MAX (6 * NS_PER_HOUR) /* longer windows go by the hour */
#define WINDOW_MAX (31 * AC_NS_PER_DAY)
#define BASELINE_DAYS 7
#define TOP_TASKS 10
#define TREES 3
#define TREE_ROWS_SHOWN 60
#define BAND_CONTEXT_HOURS 24 /* hours shown before the window in the band chart */

typedef struct inc {
	ac_store *s;
	ac_doc *doc;
	ac_plotter *plot;
	ac_err *err;
	int64_t from, to;        /* the window */
	int64_t bucket;          /* NS_PER_MIN or NS_PER_HOUR */
	int64_t first_ns, last_ns;
	const char *unit;        /* "minute" | "hour" */
	/* found before writing, for the summary */
	int days;                /* the days before compared with: BASELINE_DAYS, fewer when
	                          * the store begins later (baseline_days) */
	ac_incident_timeline tl; /* the window against the same window on those days */
	ac_incident_alert alert;  /* the hourly band's first alert */
} inc;

static const char *shown(const char *s, const char *none)
{
	return s ? s : none;
}

/* ---- 2. spend over time -------------------------------------------------- */

static int section_timeline(inc *c)
{
	ac_query q = ac_query_window(c->from, c->to);
	int rc = ac_incident_timeline_run(c->s, &q, c->bucket, c->days, &c->tl,
	                                  c->err);
	if (rc)
		return rc;
	const ac_incident_timeline *tl = &c->tl;
	ac_doc *d = c->doc;
	ac_doc_section(d, "timeline", "Spend over time");
	ac_doc_para(d, "Spend per %s (every call, evaluation runs included; a call counts in the %s "
	               "it starts), beside the same %s on each of the %d days before: their mean, "
	               "least and most.",
	            c->unit, c->unit, c->unit, c->days);
	static const char *const cols[] = { "time", "spend", "baseline_mean", "baseline_min",
		                            "baseline_max", "excess" };
	char cap[96];
	snprintf(cap, sizeof(cap), "Spend per %s against the previous %d days", c->unit,
	         c->days);
	ac_doc *aside = ac_doc_new("", "");
	if (!aside)
		return ac_err_set(c->err, AC_ENOMEM, "out of memory");
	ac_tbl *t = ac_doc_table(aside, "timeline", cap, cols, 6, 12);
	ac_buf data = AC_BUF_INIT;
	for (size_t i = 0; i < tl->n; i++) {
		const ac_incident_bucket *e = &tl->v[i];
		char when[20];
		ac_report_iso_minute(e->start_ns, when);
		ac_tbl_text(t, when);
		ac_tbl_num(t, AC_CELL_USD, e->spend);
		ac_tbl_num(t, AC_CELL_USD, e->mean);
		ac_tbl_num(t, AC_CELL_USD, e->lo);
		ac_tbl_num(t, AC_CELL_USD, e->hi);
		ac_tbl_num(t, AC_CELL_USD, e->excess);
		ac_buf_printf(&data, "%s %.10g %.10g %.10g %.10g\n", when, e->spend, e->mean, e->lo,
		              e->hi);
	}
	const char *args[] = { c->unit, NULL };
	snprintf(cap, sizeof(cap), "Spend per %s in the window (red) and the same %s of the "
	                           "previous %d days",
	         c->unit, c->unit, c->days);
	ac_report_chart(d, c->plot, "incident_timeline", cap, &data, args, "an empty window");
	/* the peaks: above the range of the days before, largest excess first */
	snprintf(cap, sizeof(cap), "The %ss above the range of the previous %d days, largest "
	                           "excess first",
	         c->unit, c->days);
	static const char *const pc[] = { "time", "spend", "baseline_mean", "baseline_max", "excess" };
	ac_tbl *pt = ac_doc_table(d, "timeline_peaks", cap, pc, 5, 15);
	for (size_t k = 0; k < tl->npeak; k++) {
		const ac_incident_bucket *e = &tl->v[tl->peak[k].i];
		char when[20];
		ac_report_iso_minute(e->start_ns, when);
		ac_tbl_text(pt, when);
		ac_tbl_num(pt, AC_CELL_USD, e->spend);
		ac_tbl_num(pt, AC_CELL_USD, tl->peak[k].mean);
		ac_tbl_num(pt, AC_CELL_USD, e->hi);
		ac_tbl_num(pt, AC_CELL_USD, e->excess);
	}
	rc = ac_doc_append(d, aside) ? ac_err_set(c->err, AC_ENOMEM, "out of memory") : 0;
	ac_doc_free(aside);
	ac_buf_release(&data);
	return rc;
}

/* ---- 3. the tasks that drove it ------------------------------------------ */

/* One task's spans as a tree table named tree_<k> (the layout of `agentcost
 * task`: children under their parent in start order; src/analysis/tasktree.c). */
static int task_tree(inc *c, int64_t task, int k)
{
	ac_task_tree tree;
	int out = ac_task_tree_load(&tree, c->s, task, c->err);
	if (out)
		return out;
	char name[32];
	snprintf(name, sizeof(name), "tree_%d", k);
	static const char *const cols[] = { "span", "parent", "depth", "name", "step", "purpose",
		                            "model", "tool", "start", "duration_ms", "tokens_in",
		                            "tokens_out", "cost", "status" };
	ac_tbl *t = ac_doc_table(c->doc, name, "Spans of the task, children under their parent",
	                         cols, 14, TREE_ROWS_SHOWN);
	ac_buf label = AC_BUF_INIT;
	for (size_t q = 0; q < tree.n; q++) {
		const ac_tree_node *x = &tree.v[tree.order[q]];
		char sid[17], pid[17], when[40];
		ac_tree_hex8(x->sid, sid);
		ac_tree_hex8(x->pid, pid);
		ac_format_iso_ms(x->start_ns, when);
		ac_buf_reset(&label);
		for (int dd = 0; dd < x->depth && dd < 40; dd++)
			ac_buf_adds(&label, "\xC2\xB7 "); /* "· " per level */
		ac_buf_adds(&label, x->name ? x->name : "");
		ac_tbl_text(t, sid);
		ac_tbl_text(t, x->has_parent ? pid : NULL);
		ac_tbl_int(t, x->depth);
		ac_tbl_text(t, ac_buf_cstr(&label));
		ac_tbl_text(t, x->step >= 0 && x->step <= 5 ? AC_STEP_NAME[x->step] : "other");
		ac_tbl_text(t, x->purpose);
		ac_tbl_text(t, x->model);
		ac_tbl_text(t, x->tool);
		ac_tbl_text(t, when);
		ac_tbl_num(t, AC_CELL_NUM, (double)(x->end_ns - x->start_ns) / 1e6);
		ac_tbl_int(t, x->tin);
		ac_tbl_int(t, x->tout);
		ac_tbl_num(t, AC_CELL_USD, x->has_cost ? x->cost : NAN);
		ac_tbl_text(t, x->status == 2 ? "error" : x->status == 1 ? "ok" : "unset");
	}
	ac_buf_release(&label);
	ac_task_tree_release(&tree);
	return 0;
}

static int section_tasks(inc *c, char *top_note, size_t nnote)
{
	ac_doc *d = c->doc;
	ac_doc_section(d, "tasks", "The tasks that drove it");
	ac_incident_tasks r;
	ac_query q = ac_query_window(c->from, c->to);
	int rc = ac_incident_tasks_run(c->s, &q, TOP_TASKS, c->tl.spend, &r, c->err);
	if (rc) {
		ac_incident_tasks_free(&r);
		return rc;
	}
	static const char *const cols[] = { "task_id", "system", "task_type", "eval", "start",
		                            "window_cost", "window_share", "task_cost", "llm_calls",
		                            "tool_calls", "max_repeat" };
	ac_doc_para(d, "The %d tasks whose spans in the window cost the most (evaluation tasks "
	               "included and flagged), and below, the first %d as trees: each step's "
	               "purpose, model, tool, tokens and cost, as \"agentcost task\" shows them.",
	            TOP_TASKS, TREES);
	ac_tbl *t = ac_doc_table(d, "top_tasks", "Top tasks by their spend in the window", cols, 11, 0);
	top_note[0] = '\0';
	for (size_t i = 0; i < r.n; i++) {
		const ac_incident_task *x = &r.v[i];
		char when[40];
		ac_format_iso_ms(x->start_ns, when);
		ac_tbl_text(t, x->task_id);
		ac_tbl_text(t, x->system);
		ac_tbl_text(t, x->task_type);
		ac_tbl_text(t, x->eval ? "yes" : "");
		ac_tbl_text(t, when);
		ac_tbl_num(t, AC_CELL_USD, x->window_cost);
		ac_tbl_num(t, AC_CELL_SHARE, x->window_share);
		ac_tbl_num(t, AC_CELL_USD, x->task_cost);
		ac_tbl_int(t, x->llm_calls);
		ac_tbl_int(t, x->tool_calls);
		ac_tbl_int(t, x->max_repeat);
	}
	if (r.n) {
		char usd[32];
		ac_cell_format(usd, sizeof(usd), AC_CELL_USD, r.v[0].window_cost);
		snprintf(top_note, nnote, "The dearest task in the window, %.120s (%.120s), "
		                          "spent %s there",
		         shown(r.v[0].task_id, "?"), shown(r.v[0].task_type, "no type"), usd);
	}
	for (size_t i = 0; !rc && i < r.n && i < TREES; i++) {
		const ac_incident_task *x = &r.v[i];
		char h[400], usd[32];
		ac_cell_format(usd, sizeof(usd), AC_CELL_USD, x->window_cost);
		snprintf(h, sizeof(h), "Task %zu: %.150s (%.150s), %s in the window", i + 1,
		         shown(x->task_id, "?"), shown(x->task_type, "no type"), usd);
		ac_doc_heading(d, h);
		rc = task_tree(c, x->id, (int)i + 1);
	}
	ac_incident_tasks_free(&r);
	return rc;
}

/* ---- who drove it ------------------------------------------------------------ */

static int section_who(inc *c)
{
	ac_doc *d = c->doc;
	ac_doc_section(d, "who", "The users and sessions that drove it");
	ac_query q = ac_query_window(c->from, c->to);
	/* the spend of the window, tasks that began before it included, as the
	 * rest of the incident report counts it */
	const int flags = AC_UNITS_SPANS | AC_UNITS_EVAL;
	int rc = ac_report_who(d, c->s, &q, "user", 5, flags, "who_users", "the window", c->err);
	if (!rc)
		rc = ac_report_who(d, c->s, &q, "session", 5, flags, "who_sessions", "the window",
		                   c->err);
	return rc;
}

/* ---- 4. runaways and the guardrail ---------------------------------------- */

static int section_guard(inc *c, ac_guard *g)
{
	ac_doc *d = c->doc;
	ac_doc_section(d, "runaways", "Runaway loops, repeated steps and the guardrail");
	char usd[32];
	ac_cell_format(usd, sizeof(usd), AC_CELL_USD, g->savings);
	ac_doc_para(d, "Production tasks that started in the window, judged against their task "
	               "type over the %d days before it: a runaway makes more LLM calls than the "
	               "type's p99.9 there, or repeats the same step (tool, or LLM span name) more "
	               "than %d times in a row; a guardrail halting tasks at %g x the type's "
	               "median cost would have stopped %zu of them and saved %s.",
	            c->days, AC_GUARD_REPEAT, AC_GUARD_FACTOR, g->nout, usd);
	if (g->own_reference)
		ac_doc_para(d, "%d task type%s had no task in the %d days before the window and %s "
		               "judged against %s own tasks in it.",
		            g->own_reference, g->own_reference == 1 ? "" : "s", c->days,
		            g->own_reference == 1 ? "is" : "are", g->own_reference == 1 ? "its" : "their");
	ac_guard_tables(d, g, "");
	return 0;
}

/* ---- 5. system, model, tool ------------------------------------------------ */

static int section_breakdown(inc *c, char *note, size_t nnote)
{
	ac_incident_breakdown r;
	ac_query q = ac_query_window(c->from, c->to);
	int rc = ac_incident_breakdown_run(c->s, &q, c->days, &r, c->err);
	if (rc)
		goto done;
	ac_doc *d = c->doc;
	ac_doc_section(d, "breakdown", "Which system, model and tool");
	ac_doc_para(d, "Spend and calls in the window per system (the task's service.name), model "
	               "(LLM calls) and tool (tool calls), against the mean of the same window on "
	               "each of the %d days before; the largest excess first.",
	            c->days);
	static const char *const cols[] = { "kind", "name", "cost", "baseline_cost", "excess",
		                            "calls", "baseline_calls", "tool_failures" };
	ac_tbl *t = ac_doc_table(d, "breakdown", "Spend by system, model and tool", cols, 8, 0);
	ac_buf b = AC_BUF_INIT;
	const char *last_kind = "";
	for (size_t i = 0; i < r.n; i++) {
		const ac_incident_brow *x = &r.v[i];
		ac_tbl_text(t, x->kind);
		ac_tbl_text(t, x->name);
		ac_tbl_num(t, AC_CELL_USD, x->cost);
		ac_tbl_num(t, AC_CELL_USD, x->base_cost);
		ac_tbl_num(t, AC_CELL_USD, x->excess);
		ac_tbl_num(t, AC_CELL_INT, x->calls);
		ac_tbl_num(t, AC_CELL_NUM, x->base_calls);
		ac_tbl_num(t, AC_CELL_INT, x->failures);
		/* the first row of each kind is its largest excess */
		if (strcmp(last_kind, x->kind) && x->excess > 0) {
			char usd[32];
			ac_cell_format(usd, sizeof(usd), AC_CELL_USD, x->excess);
			ac_buf_printf(&b, "%s%s %s (+%s)", b.len ? ", " : "", x->kind,
			              shown(x->name, "(none)"), usd);
		}
		last_kind = x->kind;
	}
	snprintf(note, nnote, "%s", ac_buf_cstr(&b));
	ac_buf_release(&b);
done:
	ac_incident_breakdown_free(&r);
	return rc;
}

/* ---- 6. the hourly control band -------------------------------------------- */

static int section_band(inc *c)
{
	ac_spc_opts opts = AC_SPC_OPTS_INIT;
	int64_t h0 = c->from / NS_PER_HOUR, h1 = (c->to - 1) / NS_PER_HOUR + 1;
	int64_t shown0 = h0 - BAND_CONTEXT_HOURS;
	int64_t fetch = shown0 - (int64_t)opts.window, first = c->first_ns / NS_PER_HOUR;
	int64_t start = fetch > first ? fetch : first;
	if (start > shown0)
		shown0 = start;
	ac_doc *d = c->doc;
	ac_doc_section(d, "band", "When the control band would have alerted");
	ac_doc_para(d, "Spend per UTC hour against the band of \"agentcost spc --hourly\": the mean "
	               "+ %g standard deviations of the %zu hours before each hour (once %zu exist) "
	               "is its upper control limit (UCL). The first moment of the alert is when the "
	               "running spend of the first hour above its UCL passed it.",
	            opts.sigma, opts.window, opts.min_history);
	if (h1 <= start) {
		ac_doc_para(d, "No spend to show.");
		return 0;
	}
	size_t n = (size_t)(h1 - start);
	double *x;
	ac_spc_point *pt;
	int rc = ac_spend_band(c->s, NS_PER_HOUR, start, n, &opts, &x, &pt, c->err);
	if (rc)
		return rc;
	rc = ac_incident_alert_run(c->s, start, n, h0, c->to, x, pt, &c->alert, c->err);
	if (rc) {
		free(x);
		free(pt);
		return rc;
	}
	if (c->alert.have) {
		char when[40], hour[20], a[32], b[32];
		ac_format_iso_ms(c->alert.ns, when);
		ac_report_iso_minute(c->alert.hour * NS_PER_HOUR, hour);
		ac_cell_format(a, sizeof(a), AC_CELL_USD, c->alert.ucl);
		ac_cell_format(b, sizeof(b), AC_CELL_USD, c->alert.hour_cost);
		ac_doc_para(d, "First alert: %s, when the running spend of the hour from %s passed its "
		               "UCL of %s (the hour spent %s in all).",
		            when, hour, a, b);
	} else {
		ac_doc_para(d, "The hourly band would not have alerted during the window.");
	}
	static const char *const cols[] = { "hour", "cost", "mean", "sd", "ucl", "alert", "rules",
		                            "in_window" };
	/* the table goes below the chart: built aside, appended last */
	ac_doc *aside = ac_doc_new("", "");
	if (!aside) {
		free(x);
		free(pt);
		return ac_err_set(c->err, AC_ENOMEM, "out of memory");
	}
	ac_tbl *t = ac_doc_table(aside, "hourly_band", "Spend per hour against its control band",
	                         cols, 8, 0);
	ac_buf data = AC_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		int64_t h = start + (int64_t)i;
		if (h < shown0)
			continue;
		char when[20], rules[64];
		ac_report_iso_minute(h * NS_PER_HOUR, when);
		ac_report_spc_rules(&pt[i], rules);
		ac_tbl_text(t, when);
		ac_tbl_num(t, AC_CELL_USD, x[i]);
		ac_tbl_num(t, AC_CELL_USD, pt[i].mean);
		ac_tbl_num(t, AC_CELL_USD, pt[i].sd);
		ac_tbl_num(t, AC_CELL_USD, pt[i].ucl);
		ac_tbl_text(t, pt[i].alert ? "yes" : "");
		ac_tbl_text(t, rules);
		ac_tbl_text(t, h >= h0 ? "yes" : "");
		ac_report_band_line(&data, when, x[i], &pt[i]);
	}
	char from[20], to[20];
	ac_report_iso_minute(c->from, from);
	ac_report_iso_minute(c->to, to);
	const char *args[] = { from, to, "hour", NULL };
	ac_report_chart(d, c->plot, "spc_band", "Hourly spend (dots), its band from the mean to the "
	                                        "UCL, alerts in red; the window shaded",
	                &data, args, "no spend");
	rc = ac_doc_append(d, aside) ? ac_err_set(c->err, AC_ENOMEM, "out of memory") : 0;
	ac_doc_free(aside);
	ac_buf_release(&data);
	free(x);
	free(pt);
	return rc;
}

/* ---- 1. the summary: what the sections found ------------------------------ */

static void section_summary(const inc *c, ac_doc *top, const ac_guard *g, const char *top_note,
                            const char *who)
{
	char a[32], b[32], e[32];
	ac_cell_format(a, sizeof(a), AC_CELL_USD, c->tl.spend);
	ac_cell_format(b, sizeof(b), AC_CELL_USD, c->tl.base_mean);
	ac_cell_format(e, sizeof(e), AC_CELL_USD, c->tl.excess);
	ac_doc_section(top, "summary", "Summary");
	if (c->tl.base_mean > 0)
		ac_doc_para(top, "In the window the agents spent %s; the same %ss of the %d days "
		                 "before averaged %s: %s %s usual (%.1fx).",
		            a, c->unit, c->days, b, e,
		            c->tl.spend >= c->tl.base_mean ? "over" : "against", c->tl.ratio);
	else
		ac_doc_para(top, "In the window the agents spent %s; the same %ss of the %d days "
		                 "before had no spend.",
		            a, c->unit, c->days);
	if (top_note[0])
		ac_doc_para(top, "%s.", top_note);
	if (who[0])
		ac_doc_para(top, "The largest excess over the days before, per kind: %s.", who);
	char sv[32];
	ac_cell_format(sv, sizeof(sv), AC_CELL_USD, g->savings);
	ac_doc_para(top, "%zu runaway task%s started in the window; a guardrail at %g x the "
	                 "median cost of each task type would have stopped %zu task%s and saved "
	                 "%s.",
	            g->nrun, g->nrun == 1 ? "" : "s", AC_GUARD_FACTOR, g->nout,
	            g->nout == 1 ? "" : "s", sv);
	if (c->alert.have) {
		char when[40];
		ac_format_iso_ms(c->alert.ns, when);
		ac_doc_para(top, "The hourly control band would first have alerted at %s.", when);
	} else {
		ac_doc_para(top, "The hourly control band would not have alerted during the window.");
	}
}

/* ---- the whole report ------------------------------------------------------ */

int ac_report_incident(ac_store *s, const ac_report_opts *o, ac_report_info *info, ac_err *err)
{
	inc c;
	memset(&c, 0, sizeof(c));
	memset(info, 0, sizeof(*info));
	c.s = s;
	c.err = err;
	c.from = o->from_ns;
	c.to = o->to_ns;
	if (c.to <= c.from)
		return ac_err_set(err, AC_EINVAL, "--to must be after --from");
	if (c.to - c.from > WINDOW_MAX)
		return ac_err_set(err, AC_EINVAL, "the window is longer than 31 days: use the weekly "
		                                  "report for long periods");
	int rc = ac_report_store_range(s, &c.first_ns, &c.last_ns, err);
	if (rc)
		return rc;
	/* the days before the window the store holds: a day before its first
	 * span is not a day of no spend, it is a day not known (at least one,
	 * all zero, when nothing comes before the window) */
	int64_t avail = ac_day_of_ns(c.from) - ac_day_of_ns(c.first_ns);
	c.days = avail >= BASELINE_DAYS ? BASELINE_DAYS : avail >= 1 ? (int)avail : 1;
	c.bucket = c.to - c.from <= MINUTE_WINDOW_MAX ? NS_PER_MIN : NS_PER_HOUR;
	c.unit = c.bucket == NS_PER_MIN ? "minute" : "hour";
	char f[40], t[40], last[32], now[32];
	ac_report_when(c.from, f);
	ac_report_when(c.to, t);
	ac_report_when(c.last_ns, last);
	snprintf(info->label, sizeof(info->label), "%.16s to %.16s", f, t);
	info->since_ns = c.from;
	info->until_ns = c.to;
	int has_now = o->now_ns != INT64_MIN;
	if (has_now)
		ac_report_when(o->now_ns, now);
	int64_t known = has_now ? o->now_ns : c.last_ns + 1;
	char sub[640], begins[160] = "";
	if (c.days < BASELINE_DAYS) {
		char fd[40];
		ac_report_when(c.first_ns, fd);
		snprintf(begins, sizeof(begins), " (not %d: the store's first span is in the hour from %s)",
		         BASELINE_DAYS, fd);
	}
	snprintf(sub, sizeof(sub), "From %s to %s, per %s, against the same %ss of the %d day%s "
	                           "before%s. Newest span in the store: in the hour from %s.%s%s%s",
	         f, t, c.unit, c.unit, c.days, c.days == 1 ? "" : "s", begins, last,
	         has_now ? " Report date: " : "",
	         has_now ? now : "",
	         known < c.to ? " The window reaches past what the store knows: figures are partial."
	                      : "");
	c.doc = ac_doc_new("Agent cost incident report", sub);
	if (!c.doc)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	ac_guard g;
	memset(&g, 0, sizeof(g));
	char top_note[400] = "", who[600] = "";
	if ((rc = ac_plotter_new(&c.plot, o, err)))
		goto done;
	snprintf(info->chart_note, sizeof(info->chart_note), "%s", ac_plotter_note(c.plot));
	if ((rc = ac_guard_run(&g, s, NULL, c.from, c.to, c.from - c.days * AC_NS_PER_DAY, c.from,
	                       err)))
		goto done;

	/* the summary is written first but reads what the sections find: the
	 * sections go into a second document whose blocks are appended after */
	ac_doc *body = ac_doc_new("", "");
	if (!body) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	ac_doc *top = c.doc;
	c.doc = body;
	if (!(rc = section_timeline(&c)) && !(rc = section_tasks(&c, top_note, sizeof(top_note))) &&
	    !(rc = section_who(&c)) &&
	    !(rc = section_guard(&c, &g)) && !(rc = section_breakdown(&c, who, sizeof(who))))
		rc = section_band(&c);
	c.doc = top;
	if (!rc) {
		section_summary(&c, top, &g, top_note, who);
		if (ac_doc_append(top, body))
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	ac_doc_free(body);
	if (!rc)
		rc = ac_doc_write(c.doc, o->out_dir, info, err);
done:
	ac_incident_timeline_free(&c.tl);
	ac_guard_release(&g);
	ac_plotter_free(c.plot);
	ac_doc_free(c.doc);
	return rc;
}
