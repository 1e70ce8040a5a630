/*
 * agentcost models [--week YYYY-Www] [--compare-previous]
 *
 * Model-selection analytics, the weekly question: per task type x complexity
 * class x model, the production LLM calls (calls, tokens, cost, share of all
 * production LLM cost in the window, mean cost per call) next to the model's
 * accuracy on that class of work from the eval runs (mean agentcost.eval.score,
 * n, a 95% interval: Wilson for 0/1 scores, t otherwise, clamped to [0, 1]),
 * and the cost per successful outcome = cost per call / accuracy. A row exists
 * when the class has production calls, eval scores, or both.
 *
 * --week takes an ISO week (Monday 00:00 to the next Monday 00:00 UTC) and
 * overrides --since/--until. --compare-previous adds the window of the same
 * length just before (the previous ISO week with --week): prev_calls,
 * prev_cost, prev_accuracy and the changes current - previous (null when
 * either side is); rows present only in the previous window are listed too.
 * It needs a bounded window (--week, or both --since and --until).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/accuracy.h"
#include "cli.h"
#include "util/map.h"
#include "util/timeutil.h"

#define CONFIDENCE 0.95

typedef struct mrow {
	char *task_type, *complexity, *model; /* owned; task_type/model may be NULL */
	/* [0] the window, [1] the previous window */
	long long calls[2], tokens_in[2], tokens_out[2];
	double cost[2];
	ac_score_sums sc[2];
} mrow;

typedef struct rows {
	mrow *v;
	size_t n, cap;
	ac_map index;
} rows;

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The row of (task_type, complexity, model), created when new; NULL on OOM. */
static mrow *row_of(rows *r, const char *tt, const char *cx, const char *model)
{
	/* key: a presence flag and the text of each part, NUL-separated */
	size_t ntt = tt ? strlen(tt) : 0, ncx = strlen(cx), nm = model ? strlen(model) : 0;
	size_t kn = ntt + ncx + nm + 5;
	char *key = malloc(kn);
	if (!key)
		return NULL;
	char *p = key;
	*p++ = tt ? 'T' : 'N';
	memcpy(p, tt ? tt : "", ntt);
	p += ntt;
	*p++ = 0;
	memcpy(p, cx, ncx);
	p += ncx;
	*p++ = 0;
	*p++ = model ? 'M' : 'N';
	memcpy(p, model ? model : "", nm);
	p += nm;
	*p++ = 0;
	int64_t i;
	if (ac_map_get(&r->index, key, kn, &i)) {
		free(key);
		return &r->v[i];
	}
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		mrow *v = realloc(r->v, nc * sizeof(*v));
		if (!v) {
			free(key);
			return NULL;
		}
		r->v = v;
		r->cap = nc;
	}
	mrow *x = &r->v[r->n];
	memset(x, 0, sizeof(*x));
	x->task_type = dup_opt(tt);
	x->complexity = strdup(cx);
	x->model = dup_opt(model);
	if ((tt && !x->task_type) || !x->complexity || (model && !x->model) ||
	    ac_map_put(&r->index, key, kn, (int64_t)r->n)) {
		free(x->task_type);
		free(x->complexity);
		free(x->model);
		free(key);
		return NULL;
	}
	free(key);
	r->n++;
	return x;
}

static void rows_release(rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].task_type);
		free(r->v[i].complexity);
		free(r->v[i].model);
	}
	free(r->v);
	ac_map_release(&r->index);
}

/* NULL sorts first, as in SQLite; text compares bytewise (BINARY collation). */
static int cmp_opt(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int row_cmp(const void *pa, const void *pb)
{
	const mrow *a = pa, *b = pb;
	int c = cmp_opt(a->task_type, b->task_type);
	if (!c)
		c = strcmp(a->complexity, b->complexity);
	if (!c)
		c = cmp_opt(a->model, b->model);
	return c;
}

static const char *text(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

/* Read models.sql (scored = 0) or models_scores.sql (scored = 1) over
 * [since, until) into window w. Returns 0, or -1 after printing the error. */
static int read_window(sqlite3 *db, rows *r, int scored, int w, int64_t since, int64_t until,
                       const char *system)
{
	sqlite3_stmt *st = NULL;
	const char *name = scored ? "models_scores.sql" : "models.sql";
	if (sqlite3_prepare_v2(db, ac_store_query_window(name, since, until), -1, &st, NULL) !=
	    SQLITE_OK) {
		cli_error("models: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	if (system)
		sqlite3_bind_text(st, 3, system, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cx = text(st, 1);
		mrow *x = row_of(r, text(st, 0), cx ? cx : "", text(st, 2));
		if (!x) {
			cli_error("models: out of memory");
			sqlite3_finalize(st);
			return -1;
		}
		if (scored) {
			x->sc[w].n += sqlite3_column_int64(st, 3);
			x->sc[w].sum += sqlite3_column_double(st, 4);
			x->sc[w].sq += sqlite3_column_double(st, 5);
			x->sc[w].partial += sqlite3_column_int64(st, 6);
		} else {
			x->calls[w] += sqlite3_column_int64(st, 3);
			x->tokens_in[w] += sqlite3_column_int64(st, 4);
			x->tokens_out[w] += sqlite3_column_int64(st, 5);
			x->cost[w] += sqlite3_column_double(st, 6);
		}
	}
	if (rc != SQLITE_DONE)
		cli_error("models: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: agentcost models [--week YYYY-Www] [--compare-previous] "
	                "[--since DATE] [--until DATE] [--system NAME] [--format table|csv|json]\n");
}

static double diff_or_nan(double a, double b)
{
	return isnan(a) || isnan(b) ? NAN : a - b;
}

int cmd_models(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	const char *week = NULL;
	int compare = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--compare-previous"))
			compare = 1;
		else if (!strcmp(argv[i], "--week"))
			week = i + 1 < argc ? argv[++i] : "";
		else if (!strncmp(argv[i], "--week=", 7))
			week = argv[i] + 7;
		else {
			cli_error("models: unknown option '%s'", argv[i]);
			usage();
			return EXIT_USAGE;
		}
	}
	int64_t since = co.since_ns, until = co.until_ns;
	if (week && ac_iso_week_parse(week, &since, &until)) {
		cli_error("models: --week takes an ISO week YYYY-Www (e.g. 2025-W23), not '%s'", week);
		return EXIT_USAGE;
	}
	int64_t prev_since = 0, prev_until = 0;
	if (compare) {
		if (since == INT64_MIN || until == INT64_MAX || until <= since) {
			cli_error("models: --compare-previous needs a bounded window: --week, or --since "
			          "and --until");
			return EXIT_USAGE;
		}
		prev_until = since;
		prev_since = since - (until - since);
	}

	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	sqlite3 *db = ac_store_db(s);
	rows r;
	memset(&r, 0, sizeof(r));
	ac_map_init(&r.index, 0);
	int status = EXIT_FAIL;
	if (read_window(db, &r, 0, 0, since, until, co.system) ||
	    read_window(db, &r, 1, 0, since, until, co.system))
		goto done;
	if (compare && (read_window(db, &r, 0, 1, prev_since, prev_until, co.system) ||
	                read_window(db, &r, 1, 1, prev_since, prev_until, co.system)))
		goto done;
	if (r.n)
		qsort(r.v, r.n, sizeof(*r.v), row_cmp);

	double total = 0; /* all production LLM cost in the window */
	for (size_t i = 0; i < r.n; i++)
		total += r.v[i].cost[0];

	static const char *const names[] = {
		"task_type", "complexity", "model", "calls", "tokens_in", "tokens_out", "cost",
		"cost_share", "cost_per_call", "accuracy", "accuracy_n", "accuracy_lo", "accuracy_hi",
		"cost_per_success", "prev_calls", "prev_cost", "prev_accuracy", "calls_change",
		"cost_change", "accuracy_change"
	};
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_INT, COL_INT, COL_INT,
		                          COL_USD, COL_NUM, COL_USD, COL_NUM, COL_INT, COL_NUM,
		                          COL_NUM, COL_USD, COL_INT, COL_USD, COL_NUM, COL_INT,
		                          COL_USD, COL_NUM };
	out_table *t = out_table_new(names, types, compare ? 20 : 14);
	if (!t) {
		cli_error("models: out of memory");
		goto done;
	}
	for (size_t i = 0; i < r.n; i++) {
		const mrow *x = &r.v[i];
		ac_accuracy acc, prev;
		ac_accuracy_of_sums(&acc, &x->sc[0], CONFIDENCE);
		double per_call = x->calls[0] ? x->cost[0] / (double)x->calls[0] : NAN;
		out_str(t, x->task_type);
		out_str(t, x->complexity);
		out_str(t, x->model);
		out_int(t, x->calls[0]);
		out_int(t, x->tokens_in[0]);
		out_int(t, x->tokens_out[0]);
		out_num(t, x->cost[0]);
		out_num(t, total > 0 ? x->cost[0] / total : NAN);
		out_num(t, per_call);
		out_num(t, acc.mean);
		out_int(t, (long long)acc.n);
		out_num(t, acc.lo);
		out_num(t, acc.hi);
		out_num(t, acc.mean > 0 ? per_call / acc.mean : NAN);
		if (!compare)
			continue;
		ac_accuracy_of_sums(&prev, &x->sc[1], CONFIDENCE);
		out_int(t, x->calls[1]);
		out_num(t, x->cost[1]);
		out_num(t, prev.mean);
		out_int(t, x->calls[0] - x->calls[1]);
		out_num(t, x->cost[0] - x->cost[1]);
		out_num(t, diff_or_nan(acc.mean, prev.mean));
	}
	out_table_print(t, stdout, co.format, "rows");
	status = EXIT_OK;
done:
	rows_release(&r);
	ac_store_close(s);
	return status;
}
