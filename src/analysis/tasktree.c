/* One task as a tree: see tasktree.h. */
#include "tasktree.h"

#include <stdlib.h>
#include <string.h>

#include "../util/hex.h"

const char *const AC_STEP_NAME[6] = { "other", "llm", "tool", "agent", "chain", "evaluator" };

void ac_tree_hex8(const unsigned char id[8], char out[17])
{
	ac_hex(id, 8, out);
}

static char *dup_col(ac_rows *st, int c)
{
	const char *t = ac_rows_text(st, c);
	return t ? strdup(t) : NULL;
}

/* Start order; spans that start together by span id (the data's own order,
 * the same on every backend and whatever order the spans were stored in),
 * then by the store's id (the same span id in two traces of a task). */
static int by_start(const void *a, const void *b)
{
	const ac_tree_node *x = a, *y = b;
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	int c = memcmp(x->sid, y->sid, 8);
	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static const ac_tree_node *sort_base;

static int by_sid(const void *a, const void *b)
{
	return memcmp(sort_base[*(const int *)a].sid, sort_base[*(const int *)b].sid, 8);
}

void ac_task_tree_release(ac_task_tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].purpose);
		free(t->v[i].model);
		free(t->v[i].complexity);
		free(t->v[i].tool);
	}
	free(t->v);
	free(t->order);
	memset(t, 0, sizeof(*t));
}

/* One row of task_spans.sql into a node. 0 or AC_ENOMEM. */
static int read_node(ac_tree_node *x, ac_rows *st)
{
	size_t nb;
	const void *b;
	memset(x, 0, sizeof(*x));
	x->id = ac_rows_int(st, 0);
	if ((b = ac_rows_blob(st, 1, &nb)) && nb == 8)
		memcpy(x->sid, b, 8);
	if ((b = ac_rows_blob(st, 2, &nb)) && nb == 8) {
		memcpy(x->pid, b, 8);
		x->has_parent = 1;
	}
	x->start_ns = ac_rows_int(st, 3);
	x->end_ns = ac_rows_int(st, 4);
	x->step = (int)ac_rows_int(st, 5);
	x->status = (int)ac_rows_int(st, 6);
	x->name = dup_col(st, 7);
	x->purpose = dup_col(st, 8);
	x->model = dup_col(st, 9);
	x->complexity = dup_col(st, 10);
	x->tool = dup_col(st, 11);
	x->tin = ac_rows_int(st, 12);
	x->tout = ac_rows_int(st, 13);
	x->has_cost = !ac_rows_null(st, 14);
	x->cost = ac_rows_double(st, 14);
	x->cost_src = (int)ac_rows_int(st, 15);
	if ((ac_rows_text(st, 7) && !x->name) || (ac_rows_text(st, 8) && !x->purpose) ||
	    (ac_rows_text(st, 9) && !x->model) || (ac_rows_text(st, 10) && !x->complexity) ||
	    (ac_rows_text(st, 11) && !x->tool))
		return AC_ENOMEM;
	return 0;
}

/* task_spans.sql's rows of task into t->v, in the query's order. */
static int read_nodes(ac_task_tree *t, ac_store *s, int64_t task, ac_err *err)
{
	ac_rows *st = NULL;
	size_t cap = 0;
	int rc;
	if ((rc = ac_store_rows(s, "task_spans.sql", 0, 0, NULL, AC_ROWS_PLAIN, &st, err)))
		return rc;
	ac_rows_bind_int(st, 1, task);
	int step;
	while ((step = ac_rows_next(st, err)) == 1) {
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			ac_tree_node *nv = realloc(t->v, cap * sizeof(*nv));
			if (!nv) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				goto done;
			}
			t->v = nv;
		}
		if (read_node(&t->v[t->n++], st)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			goto done;
		}
	}
	rc = step;
done:
	ac_rows_free(st);
	return rc;
}

/* Each span's parent (-1: none or not in the task) through byid, an index
 * of v[0..n) sorted by span id (n ints, the caller's). */
static void link_parents(ac_tree_node *v, size_t n, int *byid)
{
	for (size_t i = 0; i < n; i++) {
		byid[i] = (int)i;
		v[i].parent = -1;
	}
	sort_base = v;
	if (n)
		qsort(byid, n, sizeof(int), by_sid);
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
}

/* Cut cycles: walk up from each span once, colouring the walk (mark: n
 * ints, zeroed here); meeting the walk's own colour closes a cycle, cut
 * above its earliest span. */
static void cut_cycles(ac_tree_node *v, size_t n, int *mark)
{
	memset(mark, 0, (n ? n : 1) * sizeof(int));
	for (size_t i = 0; i < n; i++) {
		int x = (int)i, colour = (int)i + 1;
		while (x >= 0 && !mark[x]) {
			mark[x] = colour;
			if (v[x].parent >= 0 && mark[v[x].parent] == colour) {
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
}

/* Children in start order, then depth-first without recursion into order;
 * sets each node's depth. first_child, next_sibling and stack: n ints each. */
static void depth_first(ac_tree_node *v, size_t n, int *first_child, int *next_sibling,
                        int *stack, int *order)
{
	for (size_t i = 0; i < n; i++)
		first_child[i] = next_sibling[i] = -1;
	for (size_t i = n; i-- > 0;)
		if (v[i].parent >= 0) {
			next_sibling[i] = first_child[v[i].parent];
			first_child[v[i].parent] = (int)i;
		}
	size_t no = 0, sp = 0;
	for (size_t r = n; r-- > 0;)
		if (v[r].parent < 0)
			stack[sp++] = (int)r;
	while (sp) {
		int i = stack[--sp];
		order[no++] = i;
		/* push the children last-first so the earliest comes out first:
		 * they are a linked list in start order, so reverse onto the stack */
		size_t mark_sp = sp;
		for (int ch = first_child[i]; ch >= 0; ch = next_sibling[ch]) {
			v[ch].depth = v[i].depth + 1;
			stack[sp++] = ch;
		}
		for (size_t a = mark_sp, b = sp; b > a + 1; a++, b--) {
			int tmp = stack[a];
			stack[a] = stack[b - 1];
			stack[b - 1] = tmp;
		}
	}
}

int ac_task_tree_load(ac_task_tree *t, ac_store *s, int64_t task, ac_err *err)
{
	int *byid = NULL, *first_child = NULL, *next_sibling = NULL, *stack = NULL;
	memset(t, 0, sizeof(*t));
	int rc = read_nodes(t, s, task, err);
	if (rc)
		goto done;
	size_t n = t->n;
	if (n)
		qsort(t->v, n, sizeof(*t->v), by_start);
	size_t m = n ? n : 1;
	byid = malloc(m * sizeof(int));
	first_child = malloc(m * sizeof(int));
	next_sibling = malloc(m * sizeof(int));
	stack = malloc(m * sizeof(int));
	t->order = malloc(m * sizeof(int));
	if (!byid || !first_child || !next_sibling || !stack || !t->order) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	link_parents(t->v, n, byid);
	cut_cycles(t->v, n, byid); /* byid reused: the id index is no longer needed */
	depth_first(t->v, n, first_child, next_sibling, stack, t->order);
done:
	free(byid);
	free(first_child);
	free(next_sibling);
	free(stack);
	if (rc)
		ac_task_tree_release(t);
	return rc;
}
