/*
 * One task as a tree: its spans (queries/task_spans.sql), each under its
 * parent, children in start order, in depth-first order with depths. Shared by
 * `agentcost task` and the incident report. Parent cycles are cut above their
 * earliest span (which becomes a root, as task derivation chooses); linear in
 * the spans apart from two sorts.
 */
#ifndef AC_TASKTREE_H
#define AC_TASKTREE_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"
#include "../util/err.h"

typedef struct ac_tree_node {
	int64_t id;
	unsigned char sid[8], pid[8];
	int has_parent;
	int parent; /* index in the tree's nodes, -1 for a root */
	int depth;
	int64_t start_ns, end_ns;
	int step, status, cost_src, has_cost;
	char *name, *purpose, *model, *complexity, *tool;
	long long tin, tout;
	double cost;
} ac_tree_node;

typedef struct ac_task_tree {
	ac_tree_node *v; /* sorted by start time */
	size_t n;
	int *order; /* depth-first order: indexes into v */
} ac_task_tree;

/* Load task `task` (task.id) from the store (queries/task_spans.sql).
 * Returns 0, AC_ESQL (err names the database's message) or AC_ENOMEM. */
int ac_task_tree_load(ac_task_tree *t, ac_store *s, int64_t task, ac_err *err);
void ac_task_tree_release(ac_task_tree *t);

/* Lowercase hex of an 8-byte span id (17 bytes with NUL). */
void ac_tree_hex8(const unsigned char id[8], char out[17]);

extern const char *const AC_STEP_NAME[6]; /* "other", "llm", "tool", "agent", "chain", "evaluator" */

#endif
