/*
 * agentcost task ID
 * One task as a tree: each step's purpose, model, complexity, tokens, cost and
 * status, children under their parent in start order, with totals. ID is the
 * task id as `tasks --each` prints it (the trace id, or the agentcost.task.id).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/tasktree.h"
#include "cli.h"
#include "util/hex.h"
#include "util/timeutil.h"

int cmd_task(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "usage: agentcost task ID [--format table|csv|json]\n");
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *tq = NULL;
	ac_task_tree tree = { NULL, 0, NULL };
	int status = EXIT_OK;
	if (sqlite3_prepare_v2(db,
	                       "SELECT t.id, t.task_id, sv.name, tt.name, t.start_ns, t.end_ns, t.cost_usd,"
	                       " t.llm_calls, t.tool_calls, t.tokens_in, t.tokens_out, t.eval,"
	                       " t.unpriced_calls FROM task t LEFT JOIN service sv ON sv.id = t.system"
	                       " LEFT JOIN label tt ON tt.id = t.task_type"
	                       /* by key, no scan: a trace's id (?2, its 16 bytes), or an
	                        * agentcost.task.id as given or in lower case */
	                       " WHERE t.id IN ((SELECT id FROM trace WHERE trace_id = ?2),"
	                       " (SELECT id + 1099511627776 FROM task_ref WHERE name = ?1),"
	                       " (SELECT id + 1099511627776 FROM task_ref WHERE name = lower(?1)))"
	                       " ORDER BY t.task_id = ?1 DESC LIMIT 1",
	                       -1, &tq, NULL) != SQLITE_OK) {
		cli_error("task: %s", sqlite3_errmsg(db));
		status = EXIT_FAIL;
		goto done;
	}
	sqlite3_bind_text(tq, 1, argv[1], -1, SQLITE_STATIC);
	uint8_t tid[16];
	if (ac_unhex(argv[1], strlen(argv[1]), tid, 16) == 0)
		sqlite3_bind_blob(tq, 2, tid, 16, SQLITE_STATIC);
	if (sqlite3_step(tq) != SQLITE_ROW) {
		cli_error("task: no task %s in %s", argv[1], co.db);
		status = EXIT_FAIL;
		goto done;
	}
	int64_t task = sqlite3_column_int64(tq, 0);
	ac_err err = AC_ERR_INIT;
	if (ac_task_tree_load(&tree, db, ac_store_query("task_spans.sql"), task, &err)) {
		cli_error("task: %s", err.msg);
		status = EXIT_FAIL;
		goto done;
	}

	static const char *const names[] = { "span", "parent", "depth", "name", "step", "purpose",
		                             "model", "complexity", "tool", "start", "duration_ms",
		                             "tokens_in", "tokens_out", "cost", "status" };
	static const col_type types[] = { COL_STR, COL_STR, COL_INT, COL_STR, COL_STR, COL_STR,
		                          COL_STR, COL_STR, COL_STR, COL_STR, COL_NUM,
		                          COL_INT, COL_INT, COL_USD, COL_STR };
	out_table *t = out_table_new(names, types, 15);
	for (size_t k = 0; k < tree.n; k++) {
		const ac_tree_node *x = &tree.v[tree.order[k]];
		char sid[17], pid[17], when[40], label[600];
		ac_tree_hex8(x->sid, sid);
		ac_tree_hex8(x->pid, pid);
		ac_format_iso_ms(x->start_ns, when);
		/* the table shows the tree by indenting names */
		snprintf(label, sizeof(label), "%*s%s", co.format == FMT_TABLE ? 2 * x->depth : 0, "",
		         x->name ? x->name : "");
		out_str(t, sid);
		out_str(t, x->has_parent ? pid : NULL);
		out_int(t, x->depth);
		out_str(t, label);
		out_str(t, x->step >= 0 && x->step <= 5 ? AC_STEP_NAME[x->step] : "other");
		out_str(t, x->purpose);
		out_str(t, x->model);
		out_str(t, x->complexity);
		out_str(t, x->tool);
		out_str(t, when);
		out_num(t, (double)(x->end_ns - x->start_ns) / 1e6);
		out_int(t, x->tin);
		out_int(t, x->tout);
		out_num(t, x->has_cost ? x->cost : NAN);
		out_str(t, x->status == 2 ? "error" : x->status == 1 ? "ok" : "unset");
	}
	if (co.format == FMT_TABLE) {
		char st0[40];
		ac_format_iso_ms(sqlite3_column_int64(tq, 4), st0);
		printf("task %s  system %s  type %s  start %s%s\n", sqlite3_column_text(tq, 1),
		       sqlite3_column_text(tq, 2) ? (const char *)sqlite3_column_text(tq, 2) : "-",
		       sqlite3_column_text(tq, 3) ? (const char *)sqlite3_column_text(tq, 3) : "-", st0,
		       sqlite3_column_int(tq, 11) ? "  (evaluation run)" : "");
	}
	out_table_print(t, stdout, co.format, "spans");
	if (co.format == FMT_TABLE)
		printf("total: %lld LLM calls, %lld tool calls, %lld tokens in, %lld out, cost $%.6f%s\n",
		       (long long)sqlite3_column_int64(tq, 7), (long long)sqlite3_column_int64(tq, 8),
		       (long long)sqlite3_column_int64(tq, 9), (long long)sqlite3_column_int64(tq, 10),
		       sqlite3_column_double(tq, 6),
		       sqlite3_column_int64(tq, 12) ? "  (some calls unpriced)" : "");
done:
	ac_task_tree_release(&tree);
	sqlite3_finalize(tq);
	ac_store_close(s);
	return status;
}
