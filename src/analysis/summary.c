/*
 * What the store holds (summary.h): one row of each summary query, the
 * unpriced models and the cache conventions as lists.
 */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The queries of a run: the plain ones, or with --where alone their
 * *_where twins over q_task, with the --where model value as ?4. */
typedef struct src {
	const char *spans, *tasks, *tiers, *unpriced, *excl;
	int where;
	const char *model; /* --where model=VALUE; NULL: none */
} src;

static const src PLAIN = { "summary_spans.sql", "summary_tasks.sql", "summary_tiers.sql",
	                   "unpriced_models.sql", "input_excludes_cache.sql", 0, NULL };
static const src WHERE = { "summary_spans_where.sql", "summary_tasks_where.sql",
	                   "summary_tiers_where.sql", "unpriced_models_where.sql",
	                   "input_excludes_cache_where.sql", 1, NULL };

/* The rows of query name over q's window and system (?4: the model filter
 * of a *_where query). */
static int rows_of(ac_store *s, const char *name, const src *from, const ac_query *q,
                   ac_rows **out, ac_err *err)
{
	int rc = ac_store_rows(s, name, q->since_ns, q->until_ns, q->system, 0, out, err);
	if (!rc && from->where)
		ac_rows_bind_text(*out, 4, from->model); /* NULL: none */
	return rc;
}

/* The one row of a query over q (s_rows prepared and stepped). */
static int one_row(ac_store *s, const char *name, const src *from, const ac_query *q,
                   ac_rows **out, ac_err *err)
{
	int rc = rows_of(s, name, from, q, out, err);
	if (rc)
		return rc;
	if ((rc = ac_rows_next(*out, err)) == 1)
		return 0;
	if (!rc)
		rc = ac_err_set(err, AC_ESQL, "%s: no row", name);
	ac_rows_free(*out);
	*out = NULL;
	return rc;
}

static int read_spans(ac_store *s, const src *from, const ac_query *q, ac_summary *o,
                      ac_err *err)
{
	ac_rows *r;
	int rc = one_row(s, from->spans, from, q, &r, err);
	if (rc)
		return rc;
	o->spans = ac_rows_int(r, 0);
	o->llm_calls = ac_rows_int(r, 1);
	o->tool_calls = ac_rows_int(r, 2);
	o->cost_usd = ac_rows_double(r, 3);
	o->unpriced_spans = ac_rows_int(r, 4);
	o->producer_costed_spans = ac_rows_int(r, 5);
	o->have_days = !ac_rows_null(r, 6);
	o->first_ns = ac_rows_int(r, 6);
	o->last_ns = ac_rows_int(r, 7);
	o->traces = ac_rows_int(r, 8);
	ac_rows_free(r);
	return 0;
}

static int read_counts(ac_store *s, const src *from, const ac_query *q, ac_summary *o,
                       ac_err *err)
{
	ac_rows *r;
	int rc;
	if ((rc = one_row(s, from->tasks, from, q, &r, err)))
		return rc;
	o->tasks = ac_rows_int(r, 0);
	o->eval_tasks = ac_rows_int(r, 1);
	ac_rows_free(r);
	if ((rc = one_row(s, from->tiers, from, q, &r, err)))
		return rc;
	o->tier_fallback_calls = ac_rows_int(r, 0);
	o->unknown_tier_calls = ac_rows_int(r, 1);
	ac_rows_free(r);
	return 0;
}

static int read_unpriced(ac_store *s, const src *from, const ac_query *q, ac_summary *o,
                         ac_err *err)
{
	ac_rows *r;
	int rc = rows_of(s, from->unpriced, from, q, &r, err);
	if (rc)
		return rc;
	size_t cap = 0;
	while ((rc = ac_rows_next(r, err)) == 1) {
		if (o->nunpriced == cap) {
			cap = cap ? cap * 2 : 16;
			ac_unpriced_model *v = realloc(o->unpriced, cap * sizeof(*v));
			if (!v) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			o->unpriced = v;
		}
		ac_unpriced_model *u = &o->unpriced[o->nunpriced];
		const char *m = ac_rows_text(r, 0);
		u->model = dup_opt(m);
		u->calls = ac_rows_int(r, 1);
		u->producer_cost_usd = ac_rows_double(r, 2);
		if (m && !u->model) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		o->nunpriced++;
	}
	ac_rows_free(r);
	return rc;
}

static int read_excl(ac_store *s, const src *from, const ac_query *q, ac_summary *o,
                     ac_err *err)
{
	ac_rows *r;
	int rc = rows_of(s, from->excl, from, q, &r, err);
	if (rc)
		return rc;
	size_t cap = 0;
	while ((rc = ac_rows_next(r, err)) == 1) {
		if (o->nexcl == cap) {
			cap = cap ? cap * 2 : 16;
			ac_cache_convention *v = realloc(o->excl, cap * sizeof(*v));
			if (!v) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			o->excl = v;
		}
		ac_cache_convention *c = &o->excl[o->nexcl];
		const char *sys = ac_rows_text(r, 0);
		c->system = dup_opt(sys);
		const char *scope = ac_rows_text(r, 1);
		c->scope = dup_opt(scope);
		c->calls = ac_rows_int(r, 2);
		o->nexcl++;
		if ((sys && !c->system) || (scope && !c->scope)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		o->excl_calls += c->calls;
	}
	ac_rows_free(r);
	return rc;
}

/* The production tasks' cost in tasks.sql's order (start, id). */
static int read_task_cost(ac_store *s, const ac_query *q, ac_summary *o, ac_err *err)
{
	ac_rows *r;
	int rc = ac_store_rows(s, "tasks.sql", q->since_ns, q->until_ns, q->system, 0, &r, err);
	if (rc)
		return rc;
	ac_rows_bind_int(r, 4, 0);
	while ((rc = ac_rows_next(r, err)) == 1)
		o->production_task_cost += ac_rows_double(r, 10);
	ac_rows_free(r);
	return rc;
}

int ac_summary_run(ac_store *s, const ac_query *q, int flags, ac_summary *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (q->nby)
		return ac_err_set(err, AC_EINVAL, "summary: a row per value is ac_summary_by's");
	src from = PLAIN;
	int rc;
	if (q->nwhere) {
		if (flags & AC_SUMMARY_TASK_COST)
			return ac_err_set(err, AC_EINVAL, "summary: no production task cost with --where");
		/* q_task for every system: the queries apply --system themselves,
		 * the task's system for spans and tasks alike (the plain summary's) */
		ac_query all = *q;
		all.system = NULL;
		ac_dims_info info;
		if ((rc = ac_dims_prepare(s, &all, &info, err)))
			return rc;
		from = WHERE;
		from.model = info.model_where;
	}
	if ((rc = read_spans(s, &from, q, out, err)) || (flags & AC_SUMMARY_SPANS))
		return rc;
	if ((rc = read_counts(s, &from, q, out, err)) || (rc = read_unpriced(s, &from, q, out, err)) ||
	    (rc = read_excl(s, &from, q, out, err)))
		return rc;
	if (flags & AC_SUMMARY_TASK_COST)
		return read_task_cost(s, q, out, err);
	return 0;
}

void ac_summary_free(ac_summary *r)
{
	for (size_t i = 0; i < r->nunpriced; i++)
		free(r->unpriced[i].model);
	free(r->unpriced);
	for (size_t i = 0; i < r->nexcl; i++) {
		free(r->excl[i].system);
		free(r->excl[i].scope);
	}
	free(r->excl);
	memset(r, 0, sizeof(*r));
}

int ac_summary_by(ac_store *s, const ac_query *q, ac_summary_row_fn fn, void *ctx, ac_err *err)
{
	ac_dims_info info;
	ac_rows *r;
	/* --system is each span's own service here, as in the plain summary
	 * (summary_by.sql): the tasks of every system are candidates */
	ac_query all = *q;
	all.system = NULL;
	int rc = ac_dims_prepare(s, &all, &info, err);
	if (rc || (rc = ac_store_rows(s, "summary_by.sql", q->since_ns, q->until_ns, q->system,
	                              AC_ROWS_SCAN, &r, err)))
		return rc;
	ac_rows_bind_int(r, 4, info.model_pos);
	ac_rows_bind_text(r, 5, info.model_where); /* NULL: none */
	ac_summary_row row;
	memset(&row, 0, sizeof(row));
	row.nk = q->nby < AC_DIMS_MAX_BY ? q->nby : AC_DIMS_MAX_BY;
	while ((rc = ac_rows_next(r, err)) > 0) {
		for (size_t i = 0; i < row.nk; i++) {
			const char *v = ac_rows_text(r, (int)i);
			row.k[i] = v ? v : "(none)";
		}
		row.spans = ac_rows_int(r, 2);
		row.tasks = ac_rows_int(r, 3);
		row.eval_tasks = ac_rows_int(r, 4);
		row.llm_calls = ac_rows_int(r, 5);
		row.tool_calls = ac_rows_int(r, 6);
		row.cost_usd = ac_rows_double(r, 7);
		row.unpriced_spans = ac_rows_int(r, 8);
		row.producer_costed_spans = ac_rows_int(r, 9);
		if ((rc = fn(ctx, &row)))
			break;
	}
	ac_rows_free(r);
	return rc;
}
