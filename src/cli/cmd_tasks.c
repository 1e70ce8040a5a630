/*
 * agentcost tasks [--each] [--by system|task_type|both] [--histogram] [--include-eval]
 *
 * Per group: the per-task cost distribution down to p99.9 and the fat-tail
 * view (bottom and top decile means, their ratio, spend share of the top 1%
 * and 10%, Hill tail index); LLM calls per task. --each lists the tasks.
 * Evaluation tasks are left out of distributions unless --include-eval.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "cli.h"
#include "util/map.h"
#include "util/timeutil.h"

typedef struct group {
	char *system, *task_type;
	double *cost, *calls;
	size_t n, cap;
} group;

typedef enum { BY_TYPE, BY_SYSTEM, BY_BOTH } by_kind;

static int group_cmp(const void *a, const void *b)
{
	const group *x = a, *y = b;
	int c = strcmp(x->task_type ? x->task_type : "", y->task_type ? y->task_type : "");
	if (c)
		return c;
	return strcmp(x->system ? x->system : "", y->system ? y->system : "");
}

static void bind_common(sqlite3_stmt *st, const common_opts *co, int include_eval)
{
	sqlite3_bind_int64(st, 1, co->since_ns);
	sqlite3_bind_int64(st, 2, co->until_ns);
	if (co->system)
		sqlite3_bind_text(st, 3, co->system, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int(st, 4, include_eval);
}

static const char *col_text(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

static int list_each(sqlite3_stmt *st, const common_opts *co)
{
	static const char *const names[] = { "task_id", "system", "task_type", "start", "end",
		                             "spans", "llm_calls", "tool_calls", "tokens_in",
		                             "tokens_out", "cost", "unpriced_calls", "eval" };
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_STR, COL_STR,
		                          COL_INT, COL_INT, COL_INT, COL_INT,
		                          COL_INT, COL_USD, COL_INT, COL_INT };
	out_table *t = out_table_new(names, types, 13);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char s[40], e[40];
		ac_format_iso_ms(sqlite3_column_int64(st, 3), s);
		ac_format_iso_ms(sqlite3_column_int64(st, 4), e);
		out_str(t, col_text(st, 0));
		out_str(t, col_text(st, 1));
		out_str(t, col_text(st, 2));
		out_str(t, s);
		out_str(t, e);
		for (int c = 5; c <= 9; c++)
			out_int(t, sqlite3_column_int64(st, c));
		out_num(t, sqlite3_column_double(st, 10));
		out_int(t, sqlite3_column_int64(st, 11));
		out_int(t, sqlite3_column_int64(st, 12));
	}
	out_table_print(t, stdout, co->format, "tasks");
	return rc == SQLITE_DONE ? EXIT_OK : EXIT_FAIL;
}

static int push(group *g, double cost, double calls)
{
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 64;
		double *a = realloc(g->cost, nc * sizeof(double));
		if (!a)
			return -1;
		g->cost = a;
		double *b = realloc(g->calls, nc * sizeof(double));
		if (!b)
			return -1;
		g->calls = b;
		g->cap = nc;
	}
	g->cost[g->n] = cost;
	g->calls[g->n++] = calls;
	return 0;
}

/* Log-binned histogram, five bins per decade, and the complementary CDF at
 * each bin's lower edge (share of tasks costing at least that). */
static void histogram(out_table *t, const group *g, by_kind by)
{
	const double *x = g->cost;
	size_t n = g->n, first = 0;
	while (first < n && !(x[first] > 0))
		first++;
	if (first > 0) { /* tasks that cost nothing get a bin of their own */
		if (by != BY_SYSTEM)
			out_str(t, g->task_type);
		if (by != BY_TYPE)
			out_str(t, g->system);
		out_num(t, 0);
		out_num(t, 0);
		out_int(t, (long long)first);
		out_num(t, 1.0);
	}
	if (first == n)
		return;
	int lo = (int)floor(log10(x[first]) * 5 + 1e-9), hi = (int)floor(log10(x[n - 1]) * 5 + 1e-9);
	size_t i = first;
	for (int b = lo; b <= hi; b++) {
		double a = pow(10, b / 5.0), z = pow(10, (b + 1) / 5.0);
		size_t cnt = 0, at_least = n - i;
		while (i < n && (x[i] < z || b == hi)) {
			cnt++;
			i++;
		}
		if (by != BY_SYSTEM)
			out_str(t, g->task_type);
		if (by != BY_TYPE)
			out_str(t, g->system);
		out_num(t, a);
		out_num(t, z);
		out_int(t, (long long)cnt);
		out_num(t, (double)at_least / (double)n);
	}
}

int cmd_tasks(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	int each = 0, hist = 0, include_eval = 0;
	by_kind by = BY_TYPE;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--each"))
			each = 1;
		else if (!strcmp(argv[i], "--histogram"))
			hist = 1;
		else if (!strcmp(argv[i], "--include-eval"))
			include_eval = 1;
		else if (!strcmp(argv[i], "--by") && i + 1 < argc) {
			const char *v = argv[++i];
			if (!strcmp(v, "system"))
				by = BY_SYSTEM;
			else if (!strcmp(v, "task_type"))
				by = BY_TYPE;
			else if (!strcmp(v, "both"))
				by = BY_BOTH;
			else {
				cli_error("tasks: --by takes system, task_type or both, not '%s'", v);
				return EXIT_USAGE;
			}
		} else {
			cli_error("tasks: unknown option '%s'", argv[i]);
			fprintf(stderr, "usage: agentcost tasks [--each] [--by system|task_type|both] "
			                "[--histogram] [--include-eval] [--format table|csv|json]\n");
			return EXIT_USAGE;
		}
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	sqlite3_stmt *st = NULL;
	int status = EXIT_OK;
	/* --each lists every task (tasks.sql), the eval flag in its own column;
	 * the distributions read ids and numbers only (task_costs.sql) */
	ac_err perr = AC_ERR_INIT;
	if (ac_store_prepare_window(ac_store_db(s), each ? "tasks.sql" : "task_costs.sql", co.since_ns,
	                            co.until_ns, &st, &perr)) {
		cli_error("tasks: %s", perr.msg);
		ac_store_close(s);
		return EXIT_FAIL;
	}
	bind_common(st, &co, each ? 1 : include_eval);
	if (each) {
		status = list_each(st, &co);
		goto done;
	}

	/* groups by (system id, type id) first, then by their names (an absent
	 * name and an empty one are the same group, as printed) */
	ac_map index, by_ids;
	ac_map_init(&index, 0);
	ac_map_init(&by_ids, 0);
	group *groups = NULL, *idg = NULL;
	int64_t (*ids)[2] = NULL;
	size_t ng = 0, capg = 0, nid = 0, capid = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t key[2] = { by == BY_TYPE ? 0 : sqlite3_column_int64(st, 0),
			           by == BY_SYSTEM ? 0 : sqlite3_column_int64(st, 1) };
		int64_t gi;
		if (!ac_map_get(&by_ids, key, sizeof(key), &gi)) {
			if (nid == capid) {
				capid = capid ? capid * 2 : 16;
				group *ng2 = realloc(idg, capid * sizeof(*ng2));
				int64_t(*ni)[2] = ng2 ? realloc(ids, capid * sizeof(*ni)) : NULL;
				if (ng2)
					idg = ng2;
				if (!ni) {
					rc = SQLITE_NOMEM;
					break;
				}
				ids = ni;
			}
			memset(&idg[nid], 0, sizeof(group));
			ids[nid][0] = key[0];
			ids[nid][1] = key[1];
			gi = (int64_t)nid++;
			if (ac_map_put(&by_ids, key, sizeof(key), gi)) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
		if (push(&idg[gi], sqlite3_column_double(st, 2), (double)sqlite3_column_int64(st, 3))) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	ac_map_release(&by_ids);
	if (rc != SQLITE_DONE) {
		cli_error("tasks: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(ac_store_db(s)));
		status = EXIT_FAIL;
	}
	sqlite3_stmt *nq[2] = { NULL, NULL };
	if (sqlite3_prepare_v2(ac_store_db(s), "SELECT name FROM service WHERE id = ?1", -1, &nq[0],
	                       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ac_store_db(s), "SELECT name FROM label WHERE id = ?1", -1, &nq[1],
	                       NULL) != SQLITE_OK) {
		cli_error("tasks: %s", sqlite3_errmsg(ac_store_db(s)));
		status = EXIT_FAIL;
	}
	for (size_t k = 0; k < nid && status == EXIT_OK; k++) {
		char name[2][512];
		for (int w = 0; w < 2; w++) {
			name[w][0] = '\0';
			if (!ids[k][w])
				continue;
			sqlite3_bind_int64(nq[w], 1, ids[k][w]);
			if (sqlite3_step(nq[w]) == SQLITE_ROW && sqlite3_column_text(nq[w], 0))
				snprintf(name[w], sizeof(name[w]), "%s", col_text(nq[w], 0));
			sqlite3_reset(nq[w]);
		}
		const char *sys = name[0], *tt = name[1];
		char key[1024];
		int kn = snprintf(key, sizeof(key), "%s%c%s", tt, 0, sys);
		if (kn >= (int)sizeof(key))
			kn = (int)sizeof(key) - 1;
		int64_t gi;
		if (!ac_map_get(&index, key, (size_t)kn, &gi)) {
			if (ng == capg) {
				capg = capg ? capg * 2 : 16;
				group *ngp = realloc(groups, capg * sizeof(*ngp));
				if (!ngp) {
					status = EXIT_FAIL;
					break;
				}
				groups = ngp;
			}
			memset(&groups[ng], 0, sizeof(group));
			groups[ng].system = by == BY_TYPE ? NULL : strdup(sys);
			groups[ng].task_type = by == BY_SYSTEM ? NULL : strdup(tt);
			gi = (int64_t)ng++;
			ac_map_put(&index, key, (size_t)kn, gi);
		}
		group *g = &groups[gi];
		for (size_t i = 0; i < idg[k].n; i++)
			if (push(g, idg[k].cost[i], idg[k].calls[i])) {
				status = EXIT_FAIL;
				break;
			}
	}
	if (status != EXIT_OK && rc == SQLITE_DONE)
		cli_error("tasks: out of memory");
	for (size_t k = 0; k < nid; k++) {
		free(idg[k].cost);
		free(idg[k].calls);
	}
	free(idg);
	free(ids);
	sqlite3_finalize(nq[0]);
	sqlite3_finalize(nq[1]);
	ac_map_release(&index);
	qsort(groups, ng, sizeof(*groups), group_cmp);

	if (status != EXIT_OK) {
		/* said above; print nothing half-read */
	} else if (hist) {
		static const char *const hn[] = { "task_type", "system", "bin_lo", "bin_hi", "tasks", "ccdf" };
		static const col_type ht[] = { COL_STR, COL_STR, COL_NUM, COL_NUM, COL_INT, COL_NUM };
		int off = by == BY_SYSTEM ? 1 : 0, nc = by == BY_BOTH ? 6 : 5;
		out_table *t = out_table_new(hn + off, ht + off, nc);
		if (by == BY_TYPE) { /* drop the system column */
			static const char *const hn2[] = { "task_type", "bin_lo", "bin_hi", "tasks", "ccdf" };
			static const col_type ht2[] = { COL_STR, COL_NUM, COL_NUM, COL_INT, COL_NUM };
			free(t);
			t = out_table_new(hn2, ht2, 5);
		}
		for (size_t g = 0; g < ng; g++) {
			ac_sort_doubles(groups[g].cost, groups[g].n);
			histogram(t, &groups[g], by);
		}
		out_table_print(t, stdout, co.format, "bins");
	} else {
		static const char *const names[] = {
			"task_type", "system", "tasks", "cost_total", "mean", "p50", "p90", "p95", "p99",
			"p999", "max", "bottom10_mean", "top10_mean", "tail_ratio", "top1_share",
			"top10_share", "llm_calls_p50", "llm_calls_p99", "llm_calls_max", "tail_index",
			"tail_index_se"
		};
		static const col_type types[] = { COL_STR, COL_STR, COL_INT, COL_USD, COL_USD, COL_USD,
			                          COL_USD, COL_USD, COL_USD, COL_USD, COL_USD, COL_USD,
			                          COL_USD, COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_NUM,
			                          COL_NUM, COL_NUM, COL_NUM };
		/* one key column for --by task_type / system, both for --by both */
		const char *nm[21];
		col_type ty[21];
		int nc = 0;
		for (int c = 0; c < 21; c++) {
			if ((c == 0 && by == BY_SYSTEM) || (c == 1 && by == BY_TYPE))
				continue;
			nm[nc] = names[c];
			ty[nc++] = types[c];
		}
		out_table *t = out_table_new(nm, ty, nc);
		for (size_t g = 0; g < ng; g++) {
			group *x = &groups[g];
			ac_sort_doubles(x->cost, x->n);
			ac_sort_doubles(x->calls, x->n);
			if (by != BY_SYSTEM)
				out_str(t, x->task_type);
			if (by != BY_TYPE)
				out_str(t, x->system);
			out_int(t, (long long)x->n);
			out_num(t, ac_sum(x->cost, x->n));
			out_num(t, ac_mean(x->cost, x->n));
			static const double ps[] = { 0.5, 0.9, 0.95, 0.99, 0.999 };
			for (int k = 0; k < 5; k++)
				out_num(t, ac_quantile(x->cost, x->n, ps[k]));
			out_num(t, x->cost[x->n - 1]);
			double b = ac_bottom_mean(x->cost, x->n, 0.1), top = ac_top_mean(x->cost, x->n, 0.1);
			out_num(t, b);
			out_num(t, top);
			out_num(t, b > 0 ? top / b : NAN);
			out_num(t, ac_top_share(x->cost, x->n, 0.01));
			out_num(t, ac_top_share(x->cost, x->n, 0.1));
			out_num(t, ac_quantile(x->calls, x->n, 0.5));
			out_num(t, ac_quantile(x->calls, x->n, 0.99));
			out_num(t, x->calls[x->n - 1]);
			double alpha, se;
			ac_hill(x->cost, x->n, 0.1, &alpha, &se);
			out_num(t, alpha);
			out_num(t, se);
		}
		out_table_print(t, stdout, co.format, "groups");
	}
	for (size_t g = 0; g < ng; g++) {
		free(groups[g].system);
		free(groups[g].task_type);
		free(groups[g].cost);
		free(groups[g].calls);
	}
	free(groups);
done:
	sqlite3_finalize(st);
	ac_store_close(s);
	return status;
}
