/*
 * A window against the window before it (compare.h).
 */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hidden.h"

static double ratio(double a, double b)
{
	return b != 0 ? a / b : NAN;
}

static void change_of(ac_change *c, double now, double prev)
{
	c->now = now;
	c->prev = prev;
	c->change = now - prev;
	c->change_share = prev != 0 ? (now - prev) / prev : NAN;
}

/* cur's window closed and not so wide that the one before overflows. */
static int closed(const ac_query *q, ac_err *err)
{
	int64_t a = q->since_ns, b = q->until_ns;
	if (b == INT64_MAX || b <= a || (a < 0 && b > INT64_MAX + a) || a < INT64_MIN + (b - a))
		return ac_err_set(err, AC_EINVAL, "compare: needs a closed window");
	return 0;
}

int ac_headline_run(ac_store *s, const ac_query *cur, ac_headline *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (closed(cur, err))
		return AC_EINVAL;
	ac_query pq = ac_query_previous(cur);
	const ac_query *prev = &pq;
	ac_summary ps;
	int rc = ac_summary_run(s, cur, AC_SUMMARY_TASK_COST, &out->cur, err);
	if (!rc && (rc = ac_summary_run(s, prev, AC_SUMMARY_TASK_COST, &ps, err)))
		ac_summary_free(&ps);
	if (rc)
		return rc;
	const ac_summary *c = &out->cur;
	long long tasks = c->tasks - c->eval_tasks, ptasks = ps.tasks - ps.eval_tasks;
	out->tasks = tasks;
	change_of(&out->fig[AC_HEADLINE_SPEND], c->cost_usd, ps.cost_usd);
	change_of(&out->fig[AC_HEADLINE_TASKS], (double)tasks, (double)ptasks);
	change_of(&out->fig[AC_HEADLINE_COST_PER_TASK], ratio(c->production_task_cost, (double)tasks),
	          ratio(ps.production_task_cost, (double)ptasks));
	change_of(&out->fig[AC_HEADLINE_LLM_CALLS], (double)c->llm_calls, (double)ps.llm_calls);
	change_of(&out->fig[AC_HEADLINE_TOOL_CALLS], (double)c->tool_calls, (double)ps.tool_calls);
	change_of(&out->fig[AC_HEADLINE_EVAL_TASKS], (double)c->eval_tasks, (double)ps.eval_tasks);
	change_of(&out->fig[AC_HEADLINE_UNPRICED], (double)c->unpriced_spans,
	          (double)ps.unpriced_spans);
	out->spend_change_pct = ps.cost_usd > 0 ? fabs(c->cost_usd - ps.cost_usd) / ps.cost_usd * 100
	                                        : NAN;
	ac_summary_free(&ps);
	return 0;
}

void ac_headline_free(ac_headline *h)
{
	ac_summary_free(&h->cur);
}

/* The window's retry, summarize and eval costs and its tool figures. */
typedef struct hidden {
	double total, cost[AC_HIDDEN_N];
	long long tool_calls, tool_failures, episodes, attempts;
} hidden;

static const char *const PURPOSES[AC_HIDDEN_N] = { "retry", "summarize", "eval" };

static int read_hidden(ac_store *s, const ac_query *q, hidden *h, ac_err *err)
{
	memset(h, 0, sizeof(*h));
	ac_hidden_result r;
	int rc = ac_hidden_run(s, q, &r, err);
	if (!rc) {
		const ac_hidden_scope *all = &r.all;
		const ac_hidden_purpose *p;
		h->total = all->cost_usd;
		for (int i = 0; i < AC_HIDDEN_N; i++)
			h->cost[i] = (p = ac_hidden_purpose_of(all, PURPOSES[i])) ? p->cost_usd : 0;
		h->tool_calls = all->tool_calls;
		h->tool_failures = all->tool_failures;
		h->episodes = all->episodes;
		h->attempts = all->attempts;
	}
	ac_hidden_result_free(&r);
	return rc;
}

int ac_hidden_compare_run(ac_store *s, const ac_query *cur, ac_hidden_compare *out,
                          ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (closed(cur, err))
		return AC_EINVAL;
	ac_query pq = ac_query_previous(cur);
	const ac_query *prev = &pq;
	hidden c, p;
	int rc;
	if ((rc = read_hidden(s, cur, &c, err)) || (rc = read_hidden(s, prev, &p, err)))
		return rc;
	out->total = c.total;
	out->prev_total = p.total;
	out->hidden = c.cost[AC_HIDDEN_RETRY] + c.cost[AC_HIDDEN_SUMMARIZE] + c.cost[AC_HIDDEN_EVAL];
	out->share = ratio(out->hidden, c.total);
	out->prev_share = ratio(p.cost[AC_HIDDEN_RETRY] + p.cost[AC_HIDDEN_SUMMARIZE] +
	                                p.cost[AC_HIDDEN_EVAL],
	                        p.total);
	out->share_change = out->share - out->prev_share;
	out->tool_calls = c.tool_calls;
	out->tool_failures = c.tool_failures;
	out->episodes = c.episodes;
	out->attempts = c.attempts;
	out->failure_pct = c.tool_calls ? 100.0 * (double)c.tool_failures / (double)c.tool_calls : NAN;
	out->attempts_per_episode = ratio((double)c.attempts, (double)c.episodes);
	for (int i = 0; i < AC_HIDDEN_N; i++) {
		ac_hidden_change *x = &out->v[i];
		x->purpose = PURPOSES[i];
		x->cost = c.cost[i];
		x->prev_cost = p.cost[i];
		x->share = ratio(c.cost[i], c.total);
		x->prev_share = ratio(p.cost[i], p.total);
		x->share_change = x->share - x->prev_share;
		x->cost_change = c.cost[i] - p.cost[i];
	}
	return 0;
}
