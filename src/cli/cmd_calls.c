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
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "tasks/callpack.h"

int cmd_calls(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (argc != 1) {
		fprintf(stderr, "usage: agentcost calls\n");
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *q = NULL;
	int status = EXIT_OK, rc;
	if (sqlite3_prepare_v2(db, "SELECT task, groups FROM task_calls ORDER BY task", -1, &q,
	                       NULL) != SQLITE_OK) {
		cli_error("calls: %s", sqlite3_errmsg(db));
		status = EXIT_FAIL;
		goto done;
	}
	printf("task,complexity,model,day,grp,calls,tokens_in,tokens_out,tokens_cache_read,"
	       "tokens_cache_write,tokens_reasoning,cost_usd\n");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t task = sqlite3_column_int64(q, 0);
		const unsigned char *p = sqlite3_column_blob(q, 1);
		size_t len = (size_t)sqlite3_column_bytes(q, 1), at = 0;
		ac_call_group g;
		int got;
		while ((got = ac_callpack_next(p, len, &at, &g)) == 1)
			printf("%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
			       ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%.17g\n",
			       task, g.complexity, g.model, g.day, g.grp, g.calls, g.tin, g.tout, g.tcr,
			       g.tcw, g.trs, g.cost);
		if (got < 0) {
			cli_error("calls: task %" PRId64 ": damaged call groups", task);
			status = EXIT_FAIL;
		}
	}
	if (rc != SQLITE_DONE) {
		cli_error("calls: %s", sqlite3_errmsg(db));
		status = EXIT_FAIL;
	}
done:
	sqlite3_finalize(q);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("calls: cannot write the output");
		status = EXIT_FAIL;
	}
	ac_store_close(s);
	return status;
}
