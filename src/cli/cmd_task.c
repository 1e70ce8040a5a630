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

#include "cli.h"
#include "util/timeutil.h"

typedef struct node {
	int64_t id;
	unsigned char sid[8], pid[8];
	int has_parent, parent, first_child, next_sibling, depth;
	int64_t start_ns, end_ns;
	int step, status, cost_src;
	char *name, *purpose, *model, *complexity, *tool;
	long long tin, tout, tcr, tcw, treason;
	int has_cost;
	double cost;
} node;

static const char *STEP[] = { "other", "llm", "tool", "agent", "chain", "evaluator" };

static char *dup_col(sqlite3_stmt *st, int c)
{
	const unsigned char *t = sqlite3_column_text(st, c);
	return t ? strdup((const char *)t) : NULL;
}

static const node *sort_base;

static int cmp_sid(const void *a, const void *b)
{
	return memcmp(sort_base[*(const int *)a].sid, sort_base[*(const int *)b].sid, 8);
}

static int cmp_start(const void *a, const void *b)
{
	const node *x = a, *y = b;
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

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
	sqlite3_stmt *tq = NULL, *sq = NULL;
	node *v = NULL;
	size_t n = 0, cap = 0;
	int status = EXIT_OK;
	if (sqlite3_prepare_v2(db, ac_store_query("task_spans.sql"), -1, &sq, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "SELECT t.id, t.task_id, sv.name, tt.name, t.start_ns, t.end_ns, t.cost_usd,"
	                       " t.llm_calls, t.tool_calls, t.tokens_in, t.tokens_out, t.eval,"
	                       " t.unpriced_calls FROM task t LEFT JOIN service sv ON sv.id = t.system"
	                       " LEFT JOIN label tt ON tt.id = t.task_type WHERE t.task_id = lower(?1)"
	                       " OR t.task_id = ?1 ORDER BY t.task_id = ?1 DESC LIMIT 1",
	                       -1, &tq, NULL) != SQLITE_OK) {
		cli_error("task: %s", sqlite3_errmsg(db));
		status = EXIT_FAIL;
		goto done;
	}
	sqlite3_bind_text(tq, 1, argv[1], -1, SQLITE_STATIC);
	if (sqlite3_step(tq) != SQLITE_ROW) {
		cli_error("task: no task %s in %s", argv[1], co.db);
		status = EXIT_FAIL;
		goto done;
	}
	int64_t task = sqlite3_column_int64(tq, 0);
	sqlite3_bind_int64(sq, 1, task);
	while (sqlite3_step(sq) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			node *nv = realloc(v, cap * sizeof(*nv));
			if (!nv) {
				status = EXIT_FAIL;
				goto done;
			}
			v = nv;
		}
		node *x = &v[n++];
		memset(x, 0, sizeof(*x));
		x->id = sqlite3_column_int64(sq, 0);
		if (sqlite3_column_bytes(sq, 1) == 8)
			memcpy(x->sid, sqlite3_column_blob(sq, 1), 8);
		if (sqlite3_column_bytes(sq, 2) == 8) {
			memcpy(x->pid, sqlite3_column_blob(sq, 2), 8);
			x->has_parent = 1;
		}
		x->start_ns = sqlite3_column_int64(sq, 3);
		x->end_ns = sqlite3_column_int64(sq, 4);
		x->step = sqlite3_column_int(sq, 5);
		x->status = sqlite3_column_int(sq, 6);
		x->name = dup_col(sq, 7);
		x->purpose = dup_col(sq, 8);
		x->model = dup_col(sq, 9);
		x->complexity = dup_col(sq, 10);
		x->tool = dup_col(sq, 11);
		x->tin = sqlite3_column_int64(sq, 12);
		x->tout = sqlite3_column_int64(sq, 13);
		x->has_cost = sqlite3_column_type(sq, 14) != SQLITE_NULL;
		x->cost = sqlite3_column_double(sq, 14);
		x->cost_src = sqlite3_column_int(sq, 15);
	}
	qsort(v, n, sizeof(*v), cmp_start);
	/* parent links (quadratic only in the size of one task) and child lists
	 * in start order; spans whose parent is not in the task are roots */
	for (size_t i = 0; i < n; i++) {
		v[i].parent = -1;
		v[i].first_child = v[i].next_sibling = -1;
	}
	/* parent lookup through an index sorted by span id */
	int *byid = malloc((n ? n : 1) * sizeof(int));
	if (!byid) {
		status = EXIT_FAIL;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		byid[i] = (int)i;
	sort_base = v;
	qsort(byid, n, sizeof(int), cmp_sid);
	for (size_t i = 0; i < n; i++) {
		if (!v[i].has_parent)
			continue;
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (memcmp(v[byid[mid]].sid, v[i].pid, 8) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && !memcmp(v[byid[lo]].sid, v[i].pid, 8) && byid[lo] != (int)i)
			v[i].parent = byid[lo];
	}
	free(byid);
	/* break parent cycles (a span may not descend from itself): walk up from
	 * each span once, colouring the walk; meeting the walk's own colour is a
	 * cycle, cut at the span where it closes. Linear in the spans. */
	{
		int *mark = calloc(n ? n : 1, sizeof(int));
		if (!mark) {
			status = EXIT_FAIL;
			goto done;
		}
		for (size_t i = 0; i < n; i++) {
			int x = (int)i, colour = (int)i + 1;
			while (x >= 0 && !mark[x]) {
				mark[x] = colour;
				if (v[x].parent >= 0 && mark[v[x].parent] == colour) {
					/* a cycle: cut it above its earliest span, which
					 * becomes a root (as task derivation chooses) */
					int best = x;
					for (int z = v[x].parent; z != x; z = v[z].parent)
						if (z < best)
							best = z;
					v[best].parent = -1;
					break;
				}
				x = v[x].parent;
			}
		}
		free(mark);
	}
	for (size_t i = n; i-- > 0;) {
		if (v[i].parent >= 0) {
			v[i].next_sibling = v[v[i].parent].first_child;
			v[v[i].parent].first_child = (int)i;
		}
	}
	/* depth-first order without recursion */
	int *order = malloc((n ? n : 1) * sizeof(int)), *stack = malloc((n ? n : 1) * sizeof(int));
	size_t no = 0, sp = 0;
	if (!order || !stack) {
		free(order);
		free(stack);
		status = EXIT_FAIL;
		goto done;
	}
	for (size_t r = n; r-- > 0;)
		if (v[r].parent < 0)
			stack[sp++] = (int)r;
	while (sp) {
		int i = stack[--sp];
		order[no++] = i;
		/* push children in reverse so the earliest comes out first */
		int kids[64], nk = 0;
		int *many = NULL;
		size_t nmany = 0;
		for (int c = v[i].first_child; c >= 0; c = v[c].next_sibling) {
			if (nk < 64)
				kids[nk++] = c;
			else {
				int *m2 = realloc(many, (nmany + 1) * sizeof(int));
				if (m2) {
					many = m2;
					many[nmany++] = c;
				}
			}
		}
		for (size_t k = nmany; k-- > 0;) {
			v[many[k]].depth = v[i].depth + 1;
			stack[sp++] = many[k];
		}
		for (int k = nk; k-- > 0;) {
			v[kids[k]].depth = v[i].depth + 1;
			stack[sp++] = kids[k];
		}
		free(many);
	}

	static const char *const names[] = { "span", "parent", "depth", "name", "step", "purpose",
		                             "model", "complexity", "tool", "start", "duration_ms",
		                             "tokens_in", "tokens_out", "cost", "status" };
	static const col_type types[] = { COL_STR, COL_STR, COL_INT, COL_STR, COL_STR, COL_STR,
		                          COL_STR, COL_STR, COL_STR, COL_STR, COL_NUM,
		                          COL_INT, COL_INT, COL_USD, COL_STR };
	out_table *t = out_table_new(names, types, 15);
	for (size_t k = 0; k < no; k++) {
		node *x = &v[order[k]];
		char sid[17], pid[17], when[40], label[600];
		static const char hexd[] = "0123456789abcdef";
		for (int b = 0; b < 8; b++) {
			sid[2 * b] = hexd[x->sid[b] >> 4];
			sid[2 * b + 1] = hexd[x->sid[b] & 15];
			pid[2 * b] = hexd[x->pid[b] >> 4];
			pid[2 * b + 1] = hexd[x->pid[b] & 15];
		}
		sid[16] = pid[16] = '\0';
		ac_format_iso_ms(x->start_ns, when);
		/* the table shows the tree by indenting names */
		snprintf(label, sizeof(label), "%*s%s", co.format == FMT_TABLE ? 2 * x->depth : 0, "",
		         x->name ? x->name : "");
		out_str(t, sid);
		out_str(t, x->has_parent ? pid : NULL);
		out_int(t, x->depth);
		out_str(t, label);
		out_str(t, x->step >= 0 && x->step <= 5 ? STEP[x->step] : "other");
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
	free(order);
	free(stack);
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
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].purpose);
		free(v[i].model);
		free(v[i].complexity);
		free(v[i].tool);
	}
	free(v);
	sqlite3_finalize(tq);
	sqlite3_finalize(sq);
	ac_store_close(s);
	return status;
}
