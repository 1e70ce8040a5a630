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
	ac_rows *tq = NULL;
	ac_task_tree tree = { NULL, 0, NULL };
	int status = EXIT_OK;
	ac_err err = AC_ERR_INIT;
	if (ac_store_rows(s, "task_find.sql", 0, 0, NULL, AC_ROWS_PLAIN, &tq, &err)) {
		cli_error("task: %s", err.msg);
		status = EXIT_FAIL;
		goto done;
	}
	ac_rows_bind_text(tq, 1, argv[1]);
	uint8_t tid[16];
	if (ac_unhex(argv[1], strlen(argv[1]), tid, 16) == 0)
		ac_rows_bind_blob(tq, 2, tid, 16);
	if (ac_rows_next(tq, &err) != 1) {
		cli_error("task: no task %s in %s", argv[1], co.db);
		status = EXIT_FAIL;
		goto done;
	}
	int64_t task = ac_rows_int(tq, 0);
	if (ac_task_tree_load(&tree, s, task, &err)) {
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
		ac_format_iso_ms(ac_rows_int(tq, 4), st0);
		ac_term_printf(stdout, "task %s  system %s  type %s  start %s%s\n", ac_rows_text(tq, 1),
		       ac_rows_text(tq, 2) ? ac_rows_text(tq, 2) : "-",
		       ac_rows_text(tq, 3) ? ac_rows_text(tq, 3) : "-", st0,
		       ac_rows_int(tq, 11) ? "  (evaluation run)" : "");
	}
	out_table_print(t, stdout, co.format, "spans");
	if (co.format == FMT_TABLE)
		printf("total: %lld LLM calls, %lld tool calls, %lld tokens in, %lld out, cost $%.6f%s\n",
		       (long long)ac_rows_int(tq, 7), (long long)ac_rows_int(tq, 8),
		       (long long)ac_rows_int(tq, 9), (long long)ac_rows_int(tq, 10),
		       ac_rows_double(tq, 6), ac_rows_int(tq, 12) ? "  (some calls unpriced)" : "");
done:
	ac_task_tree_release(&tree);
	ac_rows_free(tq);
	ac_store_close(s);
	return status;
}
