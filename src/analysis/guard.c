/* Task-level guardrails: see guard.h. */
#include "guard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static char *dup_col(sqlite3_stmt *st, int c)
{
	const unsigned char *s = sqlite3_column_text(st, c);
	return s ? strdup((const char *)s) : NULL;
}

/* NULL first, then bytewise: SQLite's ORDER BY of outliers.sql. */
static int cmp_opt(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int by_cost_desc(const void *pa, const void *pb)
{
	const ac_gtask *a = *(const ac_gtask *const *)pa, *b = *(const ac_gtask *const *)pb;
	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	return strcmp(a->task_id, b->task_id);
}

static sqlite3_stmt *prepare(ac_store *s, const char *name, ac_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(ac_store_db(s), ac_store_query(name), -1, &st, NULL) != SQLITE_OK) {
		ac_store_fail(s, err, name);
		return NULL;
	}
	return st;
}

static void bind(sqlite3_stmt *st, int64_t since, int64_t until, const char *system)
{
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	if (system)
		sqlite3_bind_text(st, 3, system, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 3);
}

/* Read the tasks of a window (outliers.sql: ordered by type, then task_id). */
static int read_tasks(ac_store *s, int64_t since, int64_t until, const char *system,
                      ac_gtask **out, size_t *n, ac_err *err)
{
	sqlite3_stmt *st = prepare(s, "outliers.sql", err);
	if (!st)
		return AC_ESQL;
	bind(st, since, until, system);
	size_t cap = 0;
	int rc, out_rc = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			ac_gtask *nt = realloc(*out, nc * sizeof(*nt));
			if (!nt) {
				out_rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			*out = nt;
			cap = nc;
		}
		ac_gtask *t = &(*out)[(*n)++];
		memset(t, 0, sizeof(*t));
		t->id = sqlite3_column_int64(st, 0);
		t->task_id = dup_col(st, 1);
		t->system = dup_col(st, 2);
		t->task_type = dup_col(st, 3);
		t->cost = sqlite3_column_double(st, 4);
		t->calls = sqlite3_column_int64(st, 5);
		t->max_repeat = sqlite3_column_int64(st, 6);
		if (!t->task_id) {
			out_rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	if (!out_rc && rc != SQLITE_DONE)
		out_rc = ac_store_fail(s, err, "outliers.sql");
	sqlite3_finalize(st);
	return out_rc;
}

static void free_tasks(ac_gtask *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].task_id);
		free(t[i].system);
		free(t[i].task_type);
		free(t[i].top_model);
		free(t[i].top_purpose);
		free(t[i].tool);
	}
	free(t);
}

/* End of the run of tasks [from, ...) sharing from's task type. */
static size_t type_end(const ac_gtask *t, size_t n, size_t from)
{
	size_t to = from + 1;
	while (to < n && !cmp_opt(t[to].task_type, t[from].task_type))
		to++;
	return to;
}

/* What dominated a task (outlier_detail.sql: largest first per kind). */
static int detail(ac_store *s, sqlite3_stmt *q, ac_gtask *t, ac_err *err)
{
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, t->id);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 0);
		if (!kind)
			continue;
		if (!strcmp(kind, "model") && !t->top_model)
			t->top_model = dup_col(q, 1);
		else if (!strcmp(kind, "purpose") && !t->top_purpose)
			t->top_purpose = dup_col(q, 1);
		else if (!strcmp(kind, "tool") && !t->tool) {
			t->tool = dup_col(q, 1);
			t->tool_calls = sqlite3_column_int64(q, 2);
		}
	}
	return rc == SQLITE_DONE ? 0 : ac_store_fail(s, err, "outlier_detail.sql");
}

int ac_guard_run(ac_guard *g, ac_store *s, const ac_guard_opts *opts, int64_t since,
                 int64_t until, int64_t ref_since, int64_t ref_until, ac_err *err)
{
	ac_guard_opts o = AC_GUARD_OPTS_INIT;
	if (opts)
		o = *opts;
	memset(g, 0, sizeof(*g));
	ac_gtask *ref = NULL;
	size_t nref = 0;
	double *buf = NULL;
	sqlite3_stmt *q = NULL;
	int rc;
	int same = ref_since == since && ref_until == until;
	if ((rc = read_tasks(s, since, until, o.system, &g->tasks, &g->n, err)))
		goto done;
	if (!same && (rc = read_tasks(s, ref_since, ref_until, o.system, &ref, &nref, err)))
		goto done;
	size_t most = g->n > nref ? g->n : nref;
	buf = malloc(2 * (most ? most : 1) * sizeof(double));
	if (!buf) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	/* both lists come grouped by task type in the same order: walk them together */
	size_t rfrom = 0;
	for (size_t from = 0; from < g->n;) {
		size_t to = type_end(g->tasks, g->n, from);
		const char *type = g->tasks[from].task_type;
		while (rfrom < nref && cmp_opt(ref[rfrom].task_type, type) < 0)
			rfrom = type_end(ref, nref, rfrom);
		const ac_gtask *src = g->tasks + from;
		size_t n = to - from;
		if (rfrom < nref && !cmp_opt(ref[rfrom].task_type, type)) {
			src = ref + rfrom;
			n = type_end(ref, nref, rfrom) - rfrom;
		} else if (!same) {
			g->own_reference++;
		}
		double *cost = buf, *calls = buf + n;
		for (size_t i = 0; i < n; i++) {
			cost[i] = src[i].cost;
			calls[i] = (double)src[i].calls;
		}
		ac_sort_doubles(cost, n);
		ac_sort_doubles(calls, n);
		double median = ac_quantile(cost, n, 0.5), p999 = ac_quantile(calls, n, 0.999);
		double threshold = o.factor * median;
		for (size_t i = from; i < to; i++) {
			ac_gtask *t = &g->tasks[i];
			t->median = median;
			t->threshold = threshold;
			t->calls_p999 = p999;
			t->outlier = t->cost > threshold + 1e-12 * fabs(threshold);
			t->by_calls = (double)t->calls > p999;
			t->by_repeat = t->max_repeat > o.repeat;
		}
		from = to;
	}
	g->out = malloc((g->n ? g->n : 1) * sizeof(*g->out));
	g->run = malloc((g->n ? g->n : 1) * sizeof(*g->run));
	if (!g->out || !g->run) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < g->n; i++) {
		if (g->tasks[i].outlier)
			g->out[g->nout++] = &g->tasks[i];
		if (g->tasks[i].by_calls || g->tasks[i].by_repeat)
			g->run[g->nrun++] = &g->tasks[i]; /* already in type, task_id order */
	}
	if (g->nout)
		qsort(g->out, g->nout, sizeof(*g->out), by_cost_desc);
	if (!(q = prepare(s, "outlier_detail.sql", err))) {
		rc = AC_ESQL;
		goto done;
	}
	for (size_t i = 0; i < g->nout; i++) {
		g->savings += g->out[i]->cost - g->out[i]->threshold;
		if ((rc = detail(s, q, g->out[i], err)))
			goto done;
	}
done:
	sqlite3_finalize(q);
	free(buf);
	free_tasks(ref, nref);
	return rc;
}

void ac_guard_release(ac_guard *g)
{
	free_tasks(g->tasks, g->n);
	free(g->out);
	free(g->run);
	memset(g, 0, sizeof(*g));
}
