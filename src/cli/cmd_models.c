/*
 * agentcost models [--week YYYY-Www] [--compare-previous]
 *
 * Model-selection analytics, printed; the analysis is src/analysis/models.h.
 *
 * --week takes an ISO week (Monday 00:00 to the next Monday 00:00 UTC) and
 * overrides --since/--until. --compare-previous adds the window of the same
 * length just before (the previous ISO week with --week): prev_calls,
 * prev_cost, prev_accuracy and the changes current - previous (null when
 * either side is); rows present only in the previous window are listed too.
 * It needs a bounded window (--week, or both --since and --until).
 *
 * --by DIM[,DIM] and --where DIM=VALUE (issue #17): rows per value (pair)
 * of the dimensions x task type x complexity x model, the dimension columns
 * first (named ac_dim_column: "user", "team" for attr:team; tasks without a
 * value: "(none)"); a dimension that is task_type or model takes the place
 * of that column (not repeated). The calls are the production calls of the
 * value's tasks; accuracy, its interval and cost_per_success are the class's
 * over all the window's eval runs (src/analysis/models.h says why). JSON:
 * {"rows":[{"<DIM>":..., "task_type", ..., "cost_per_success"}]}. A
 * dimension whose column would repeat one of the others (attr:cost) is
 * refused. Without --compare-previous the rows come one at a time
 * (ac_models_by_next), written as they come in CSV and JSON (a million
 * users in bounded memory); with it, both windows' rows are held to be
 * merged.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dims.h"
#include "analysis/models.h"
#include "cli.h"
#include "util/timeutil.h"

static void usage(void)
{
	fprintf(stderr, "usage: agentcost models [--week YYYY-Www] [--compare-previous] "
	                "[--by DIM[,DIM]] [--where DIM=VALUE]... [--since DATE] [--until DATE] "
	                "[--system NAME] [--format table|csv|json]\n");
}

/* models' own options: -1 to go on, else EXIT_USAGE (said why). */
static int parse_args(int argc, char **argv, const char **week, int *compare)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--compare-previous"))
			*compare = 1;
		else if (!strcmp(argv[i], "--week"))
			*week = i + 1 < argc ? argv[++i] : "";
		else if (!strncmp(argv[i], "--week=", 7))
			*week = argv[i] + 7;
		else {
			cli_error("models: unknown option '%s'", argv[i]);
			usage();
			return EXIT_USAGE;
		}
	}
	return -1;
}

static const char *const NAMES[] = {
	"task_type", "complexity", "model", "calls", "tokens_in", "tokens_out", "cost",
	"cost_share", "cost_per_call", "accuracy", "accuracy_n", "accuracy_lo", "accuracy_hi",
	"cost_per_success", "prev_calls", "prev_cost", "prev_accuracy", "calls_change",
	"cost_change", "accuracy_change"
};
static const col_type TYPES[] = { COL_STR, COL_STR, COL_STR, COL_INT, COL_INT, COL_INT,
	                          COL_USD, COL_NUM, COL_USD, COL_NUM, COL_INT, COL_NUM,
	                          COL_NUM, COL_USD, COL_INT, COL_USD, COL_NUM, COL_INT,
	                          COL_USD, COL_NUM };

/* The columns with --by: the dimensions', then models' own but task_type and
 * model when they are dimensions. Their number, or -1 (said why) when a
 * dimension's column repeats another. */
static int by_columns(const ac_query *q, int ncol, const char **names, col_type *types)
{
	int n = 0;
	for (size_t i = 0; i < q->nby; i++) {
		names[n] = ac_dim_column(&q->by[i]);
		types[n++] = COL_STR;
	}
	for (int c = 0; c < ncol; c++) {
		int dup = 0;
		for (size_t i = 0; i < q->nby; i++)
			dup |= (c == 0 && q->by[i].kind == AC_DIM_TASK_TYPE) ||
			       (c == 2 && q->by[i].kind == AC_DIM_MODEL);
		if (dup)
			continue;
		for (int k = 0; k < n; k++)
			if (!strcmp(names[k], NAMES[c])) {
				cli_error("models: --by: the column '%s' is one of models' own", NAMES[c]);
				return -1;
			}
		names[n] = NAMES[c];
		types[n++] = TYPES[c];
	}
	for (size_t i = 1; i < q->nby; i++)
		if (!strcmp(names[0], names[i])) {
			cli_error("models: --by: '%s' twice", names[0]);
			return -1;
		}
	return n;
}

/* --by without --compare-previous: the rows one at a time (a million users:
 * CSV and JSON written as they come; the aligned table holds its rows).
 * Returns the exit status. */
static int stream_by(ac_store *s, const ac_query *q, const char *const *names,
                     const col_type *types, int ncol, out_format fmt)
{
	ac_err err = AC_ERR_INIT;
	ac_models_iter *it;
	if (ac_models_by_open(s, q, &it, &err)) {
		cli_error("models: %s", err.msg);
		return err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	out_table *t = NULL;
	if (fmt == FMT_JSON) {
		printf("{\"rows\":[");
	} else if (fmt == FMT_CSV) {
		for (int c = 0; c < ncol; c++) {
			if (c)
				putchar(',');
			csv_cell(stdout, names[c], 0);
		}
		putchar('\n');
	} else if (!(t = out_table_new(names, types, ncol))) {
		ac_models_by_close(it);
		cli_error("models: out of memory");
		return EXIT_FAIL;
	}
	const ac_models_result *one;
	size_t written = 0;
	int rc;
	while ((rc = ac_models_by_next(it, &one, &err)) == 1) {
		if (t) {
			ac_models_table_fill_by(t, one, names, NULL, ncol);
			continue;
		}
		out_table *row = out_table_new(names, types, ncol);
		ac_models_table_fill_by(row, one, names, NULL, ncol);
		if (fmt == FMT_JSON)
			ac_table_write_json_rows(stdout, row, &written);
		else
			ac_table_write_csv_rows(stdout, row);
		ac_table_free(row);
	}
	ac_models_by_close(it);
	if (fmt == FMT_JSON)
		printf("\n]}\n");
	if (t)
		out_table_print(t, stdout, fmt, "rows");
	if (rc) {
		cli_error("models: %s", err.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_models(int argc, char **argv)
{
	common_opts co;
	cli_dims d;
	if (cli_common(&argc, argv, &co) || cli_dims_parse(&argc, argv, "models", &d))
		return EXIT_USAGE;
	const char *week = NULL;
	int compare = 0;
	int rc = parse_args(argc, argv, &week, &compare);
	if (rc >= 0)
		return rc;
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
	ac_query q = cli_query(&co), pq = cli_query(&co);
	cli_dims_apply(&d, &q);
	cli_dims_apply(&d, &pq);
	const char *bnames[2 + 20];
	col_type btypes[2 + 20];
	int ncol = compare ? 20 : 14;
	if (q.dims && (ncol = by_columns(&q, ncol, bnames, btypes)) < 0) {
		ac_store_close(s);
		return EXIT_USAGE;
	}
	q.since_ns = since;
	q.until_ns = until;
	pq.since_ns = prev_since;
	pq.until_ns = prev_until;
	if (q.dims && !compare) {
		int st = stream_by(s, &q, bnames, btypes, ncol, co.format);
		ac_store_close(s);
		return st;
	}
	ac_models_result r;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_FAIL;
	if (ac_models_run(s, &q, compare ? &pq : NULL, &r, &err)) {
		cli_error("models: %s", err.msg);
		if (err.code == AC_EINVAL)
			status = EXIT_USAGE;
		goto done;
	}
	out_table *t = q.dims ? out_table_new(bnames, btypes, ncol)
	                      : out_table_new(NAMES, TYPES, ncol);
	if (!t) {
		cli_error("models: out of memory");
		goto done;
	}
	if (q.dims)
		ac_models_table_fill_by(t, &r, bnames, NULL, ncol);
	else
		ac_models_table_fill(t, &r, NAMES, NULL, ncol);
	out_table_print(t, stdout, co.format, "rows");
	status = EXIT_OK;
done:
	ac_models_result_free(&r);
	ac_store_close(s);
	return status;
}
