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
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/models.h"
#include "cli.h"
#include "util/timeutil.h"

static void usage(void)
{
	fprintf(stderr, "usage: agentcost models [--week YYYY-Www] [--compare-previous] "
	                "[--since DATE] [--until DATE] [--system NAME] [--format table|csv|json]\n");
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

int cmd_models(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
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
	q.since_ns = since;
	q.until_ns = until;
	pq.since_ns = prev_since;
	pq.until_ns = prev_until;
	ac_models_result r;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_FAIL;
	if (ac_models_run(s, &q, compare ? &pq : NULL, &r, &err)) {
		cli_error("models: %s", err.msg);
		goto done;
	}
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
	ac_models_table_fill(t, &r, names, NULL, compare ? 20 : 14);
	out_table_print(t, stdout, co.format, "rows");
	status = EXIT_OK;
done:
	ac_models_result_free(&r);
	ac_store_close(s);
	return status;
}
