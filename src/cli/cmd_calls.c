/*
 * agentcost calls
 * The router's call groups, as derivation keeps them (table task_calls,
 * packed per task: src/tasks/callpack.h), one CSV row per group, with ids as
 * stored: what `simulate` and `recommend` replay, for checking and for SQL
 * (`.import --csv` into sqlite3). Columns: task (task.id), complexity
 * (label.id, 0 none), model (model.id, 0 none), day (days since 1970-01-01,
 * UTC), grp (0 regular, 1 above 200,000 input tokens a call, else the span id
 * of a call the price formula clamps), calls, tokens_in, tokens_out,
 * tokens_cache_read, tokens_cache_write, tokens_reasoning, cost_usd (recorded;
 * unpriced counts 0). Ordered by task, then the group's key.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "analysis/calls.h"

int cmd_calls(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (argc != 1) {
		fprintf(stderr, "usage: agentcost calls\n");
		return EXIT_USAGE;
	}
	/* a dump of every task's call groups: no window, system or other format
	 * (refused rather than ignored) */
	if (co.since_ns != INT64_MIN || co.until_ns != INT64_MAX || co.system ||
	    co.format == FMT_JSON) {
		cli_error("calls: writes every task's call groups as CSV; it takes no --since, "
		          "--until, --system or --format json");
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	ac_calls *c = NULL;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK, rc;
	if (ac_calls_open(s, &c, &err)) {
		cli_error("calls: %s", err.msg);
		status = EXIT_FAIL;
		goto done;
	}
	printf("task,complexity,model,day,grp,calls,tokens_in,tokens_out,tokens_cache_read,"
	       "tokens_cache_write,tokens_reasoning,cost_usd\n");
	int64_t task;
	ac_call_group g;
	while ((rc = ac_calls_next(c, &task, &g, &err)) > 0) {
		if (rc == AC_CALLS_DAMAGED) {
			cli_error("calls: task %" PRId64 ": damaged call groups", task);
			status = EXIT_FAIL;
			continue;
		}
		printf("%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
		       ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%.17g\n",
		       task, g.complexity, g.model, g.day, g.grp, g.calls, g.tin, g.tout, g.tcr, g.tcw,
		       g.trs, g.cost);
	}
	if (rc) {
		cli_error("calls: %s", err.msg);
		status = EXIT_FAIL;
	}
done:
	ac_calls_close(c);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("calls: cannot write the output");
		status = EXIT_FAIL;
	}
	ac_store_close(s);
	return status;
}
