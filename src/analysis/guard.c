/* Task-level guardrails: see guard.h. */
#include "guard.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dims.h"
#include "stats.h"
#include "../util/cmp.h"
#include "../util/map.h"

static int by_cost_desc(const void *pa, const void *pb)
{
	const ac_gtask *a = *(const ac_gtask *const *)pa, *b = *(const ac_gtask *const *)pb;
	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	return strcmp(a->task_id, b->task_id);
}


static ac_rows *window_query(ac_store *s, int64_t since, int64_t until, const char *system,
                             ac_err *err)
{
	ac_rows *r;
	return ac_store_rows(s, "outliers.sql", since, until, system, 0, &r, err) ? NULL : r;
}

/* Per task type (label.id, 0 none) of a window: the median cost and the
 * p99.9 of LLM calls of its tasks. */
typedef struct tstat {
	int64_t type;
	double *cost, *calls;
	size_t n, cap;
	double median, p999;
} tstat;

typedef struct stats {
	tstat *v;
	size_t n;
	ac_map idx; /* type -> index into v */
} stats;

static void stats_release(stats *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->v[i].cost);
		free(st->v[i].calls);
	}
	free(st->v);
	ac_map_release(&st->idx);
	memset(st, 0, sizeof(*st));
}

static const tstat *stats_find(const stats *st, int64_t type)
{
	int64_t i;
	return st->n && ac_map_get(&st->idx, &type, sizeof(type), &i) ? &st->v[i] : NULL;
}

/* One pass over the window's tasks (outliers.sql): costs and calls per type,
 * then their order statistics by selection; the arrays are freed after. */
static int stats_of(ac_store *s, int64_t since, int64_t until, const char *system, stats *st,
                    ac_err *err)
{
	memset(st, 0, sizeof(*st));
	ac_map_init(&st->idx, 0);
	ac_rows *q = window_query(s, since, until, system, err);
	if (!q)
		return AC_ESQL;
	int rc, out = 0;
	while ((rc = ac_rows_next(q, err)) == 1) {
		int64_t type = ac_rows_int(q, 1), i;
		if (!ac_map_get(&st->idx, &type, sizeof(type), &i)) {
			if (st->n % 16 == 0) {
				tstat *nv = realloc(st->v, (st->n + 16) * sizeof(*nv));
				if (!nv) {
					out = ac_err_set(err, AC_ENOMEM, "out of memory");
					break;
				}
				st->v = nv;
			}
			i = (int64_t)st->n;
			memset(&st->v[i], 0, sizeof(st->v[i]));
			st->v[i].type = type;
			st->n++;
			if (ac_map_put(&st->idx, &type, sizeof(type), i)) {
				out = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
		}
		tstat *t = &st->v[i];
		if (t->n == t->cap) {
			size_t nc = t->cap ? t->cap * 2 : 256;
			double *a = realloc(t->cost, nc * sizeof(*a));
			if (a)
				t->cost = a;
			double *b = a ? realloc(t->calls, nc * sizeof(*b)) : NULL;
			if (!b) {
				out = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			t->calls = b;
			t->cap = nc;
		}
		t->cost[t->n] = ac_rows_double(q, 2);
		t->calls[t->n++] = (double)ac_rows_int(q, 3);
	}
	if (!out && rc < 0)
		out = rc;
	ac_rows_free(q);
	for (size_t i = 0; i < st->n; i++) {
		tstat *t = &st->v[i];
		if (!out) {
			t->median = ac_quantile_select(t->cost, t->n, 0.5);
			t->p999 = ac_quantile_select(t->calls, t->n, 0.999);
		}
		free(t->cost);
		free(t->calls);
		t->cost = t->calls = NULL;
	}
	return out;
}

/* A group (a task type, or the tasks of equal --by values) with its
 * figures, found by its key in st. Returns 0, AC_ESQL when the key is there
 * already (two groups with one hash in the server), or AC_ENOMEM. */
static int stats_add(stats *st, int64_t key, double median, double p999, ac_err *err)
{
	int64_t at;
	if (st->n && ac_map_get(&st->idx, &key, sizeof(key), &at))
		return ac_err_set(err, AC_ESQL,
		                  "two groups of the judge hash to one key (%" PRIu64 ") in the "
		                  "server: they cannot be judged apart",
		                  (uint64_t)key);
	if (st->n % 16 == 0) {
		tstat *nv = realloc(st->v, (st->n + 16) * sizeof(*nv));
		if (!nv)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		st->v = nv;
	}
	tstat *t = &st->v[st->n];
	memset(t, 0, sizeof(*t));
	t->type = key;
	t->median = median;
	t->p999 = p999;
	if (ac_map_put(&st->idx, &key, sizeof(key), (int64_t)st->n))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	st->n++;
	return 0;
}

/* A group's key in a ClickHouse answer: a type's id (Int64) or a hash of
 * --by values (UInt64), kept as its 64 bits. */
static int64_t key_of(ac_rows *q, int col)
{
	const char *t = ac_rows_text(q, col);
	return t ? (int64_t)strtoull(t, NULL, 10) : 0;
}

/* stats_of in the server (ClickHouse: outliers_stats.sql and the --by
 * twins, q open): per group its key, its task count and the order
 * statistics of the median and the p99.9, which ac_quantile_of turns into
 * the doubles ac_quantile_select gives over the tasks themselves. No row
 * per task crosses. */
static int stats_read(ac_rows *q, stats *st, ac_err *err)
{
	memset(st, 0, sizeof(*st));
	ac_map_init(&st->idx, 0);
	int rc;
	while ((rc = ac_rows_next(q, err)) == 1) {
		size_t n = (size_t)ac_rows_int(q, 1);
		double median = ac_quantile_of(ac_rows_double(q, 2), ac_rows_double(q, 3), n, 0.5);
		double p999 = ac_quantile_of(ac_rows_double(q, 4), ac_rows_double(q, 5), n, 0.999);
		if ((rc = stats_add(st, key_of(q, 0), median, p999, err)))
			break;
	}
	return rc < 0 ? rc : 0;
}

/* The per-type statistics of [since, until) from the server. */
static int stats_server(ac_store *s, int64_t since, int64_t until, const char *system,
                        stats *st, ac_err *err)
{
	ac_rows *q;
	memset(st, 0, sizeof(*st));
	int rc = ac_store_rows(s, "outliers_stats.sql", since, until, system, 0, &q, err);
	if (!rc) {
		rc = stats_read(q, st, err);
		ac_rows_free(q);
	}
	return rc;
}

/* Names of dictionary rows, looked up once each: the judge prints few. */
typedef struct names {
	ac_store *s;
	ac_map idx;         /* (kind, id) -> index into v */
	char **v;
	size_t n, cap;
} names;

enum { N_SERVICE, N_LABEL, N_MODEL, N_TOOL };

static void names_open(names *nm, ac_store *s)
{
	memset(nm, 0, sizeof(*nm));
	ac_map_init(&nm->idx, 0);
	nm->s = s;
}

/* Done looking names up: the names found pass to the guard (g->names), which
 * its tasks point into. */
static void names_close(names *nm, ac_guard *g)
{
	g->names = nm->v;
	g->nnames = nm->n;
	ac_map_release(&nm->idx);
}

/* The name of row id of a dictionary (NULL for id 0 or a dangling id), read
 * once and shared; *oom on allocation failure. */
static const char *name_of(names *nm, int kind, int64_t id, int *oom)
{
	if (!id)
		return NULL;
	int64_t key[2] = { kind, id }, at;
	if (!ac_map_get(&nm->idx, key, sizeof(key), &at)) {
		static const int dict[] = { AC_DICT_SERVICE, AC_DICT_LABEL, AC_DICT_MODEL, AC_DICT_TOOL };
		char *copy;
		ac_err e = AC_ERR_INIT;
		if (ac_store_name(nm->s, dict[kind], id, &copy, &e) == AC_ENOMEM)
			*oom = 1;
		if (!copy)
			return NULL; /* a dangling id names nothing */
		if (nm->n == nm->cap) {
			size_t nc = nm->cap ? nm->cap * 2 : 32;
			char **nv = realloc(nm->v, nc * sizeof(*nv));
			if (!nv) {
				free(copy);
				*oom = 1;
				return NULL;
			}
			nm->v = nv;
			nm->cap = nc;
		}
		if (ac_map_put(&nm->idx, key, sizeof(key), (int64_t)nm->n)) {
			free(copy);
			*oom = 1;
			return NULL;
		}
		nm->v[nm->n++] = copy;
		at = (int64_t)nm->n - 1;
	}
	return nm->v[at];
}

/* The judged task's names and what dominated it (outliers.sql columns 5..10). */
static int fill_names(names *nm, ac_rows *q, ac_gtask *t, int64_t type, ac_err *err)
{
	int oom = 0;
	t->task_id = ac_rows_task_id_dup(q, 5);
	t->system = name_of(nm, N_SERVICE, ac_rows_int(q, 6), &oom);
	t->task_type = name_of(nm, N_LABEL, type, &oom);
	if (t->outlier) {
		t->top_model = name_of(nm, N_MODEL, ac_rows_int(q, 7), &oom);
		t->top_purpose = name_of(nm, N_LABEL, ac_rows_int(q, 8), &oom);
		t->tool = name_of(nm, N_TOOL, ac_rows_int(q, 9), &oom);
		t->tool_calls = ac_rows_int(q, 10);
	}
	if (oom || !t->task_id)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	return 0;
}

static void free_tasks(ac_gtask *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].task_id);
		free(t[i].key[0]);
		free(t[i].key[1]);
	}
	free(t);
}

static int by_type_then_id(const void *pa, const void *pb)
{
	const ac_gtask *a = *(const ac_gtask *const *)pa, *b = *(const ac_gtask *const *)pb;
	int c = ac_cmp_opt(a->task_type, b->task_type);
	return c ? c : strcmp(a->task_id, b->task_id);
}

static int by_keys_then_id(const void *pa, const void *pb)
{
	const ac_gtask *a = *(const ac_gtask *const *)pa, *b = *(const ac_gtask *const *)pb;
	for (int k = 0; k < 2; k++) {
		int c = ac_cmp_opt(a->key[k], b->key[k]);
		if (c)
			return c;
	}
	return strcmp(a->task_id, b->task_id);
}

/* The outliers and the runaways of g->tasks that `list` asks for, in their
 * orders (guard.h). Returns 0 or AC_ENOMEM. */
static int list_tasks(ac_guard *g, int list, ac_err *err)
{
	g->out = malloc((g->n ? g->n : 1) * sizeof(*g->out));
	g->run = malloc((g->n ? g->n : 1) * sizeof(*g->run));
	if (!g->out || !g->run)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t i = 0; i < g->n; i++) {
		if (g->tasks[i].outlier && (list & AC_GUARD_LIST_OUTLIERS))
			g->out[g->nout++] = &g->tasks[i];
		if ((g->tasks[i].by_calls || g->tasks[i].by_repeat) && (list & AC_GUARD_LIST_RUNAWAYS))
			g->run[g->nrun++] = &g->tasks[i];
	}
	if (g->nout)
		qsort(g->out, g->nout, sizeof(*g->out), by_cost_desc);
	if (g->nrun)
		qsort(g->run, g->nrun, sizeof(*g->run), g->nkeys ? by_keys_then_id : by_type_then_id);
	return 0;
}

/* The cost a task must exceed to be an outlier: "greater than" the
 * threshold with a relative tolerance of 1e-12 (guard.h). */
static double cost_limit(double threshold)
{
	return threshold + 1e-12 * fabs(threshold);
}

/* The rules applied to the task at q's row (outliers.sql's columns). */
typedef struct verdict {
	double cost, threshold;
	long long calls, max_repeat;
	int outlier, by_calls, by_repeat;
} verdict;

static verdict rule(ac_rows *q, double median, double p999, const ac_guard_opts *o)
{
	verdict v;
	v.cost = ac_rows_double(q, 2);
	v.threshold = o->factor * median;
	v.calls = ac_rows_int(q, 3);
	v.max_repeat = ac_rows_int(q, 4);
	v.outlier = v.cost > cost_limit(v.threshold);
	v.by_calls = (double)v.calls > p999;
	v.by_repeat = v.max_repeat > o->repeat;
	return v;
}

static int listed(const verdict *v, int list)
{
	return (v->outlier && (list & AC_GUARD_LIST_OUTLIERS)) ||
	       ((v->by_calls || v->by_repeat) && (list & AC_GUARD_LIST_RUNAWAYS));
}

/* Add the task at q's row, judged v, to g->tasks (*added). Returns 0 or
 * AC_ENOMEM. */
static int add_task(ac_guard *g, size_t *cap, names *nm, ac_rows *q, const verdict *v,
                    double median, double p999, ac_gtask **added, ac_err *err)
{
	*added = NULL;
	if (g->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		ac_gtask *nt = realloc(g->tasks, nc * sizeof(*nt));
		if (!nt)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		g->tasks = nt;
		*cap = nc;
	}
	ac_gtask *x = &g->tasks[g->n++];
	memset(x, 0, sizeof(*x));
	x->id = ac_rows_int(q, 0);
	x->cost = v->cost;
	x->calls = v->calls;
	x->max_repeat = v->max_repeat;
	x->median = median;
	x->threshold = v->threshold;
	x->excess = v->cost - v->threshold;
	x->calls_p999 = p999;
	x->outlier = v->outlier;
	x->by_calls = v->by_calls;
	x->by_repeat = v->by_repeat;
	*added = x;
	return fill_names(nm, q, x, ac_rows_int(q, 1), err);
}

/* Judge the task at q's row (outliers.sql's columns) against its group's
 * median cost and p99.9 of LLM calls: counted into g, and added to g->tasks
 * (*added) when it is listed, else *added is NULL. Returns 0, AC_ENOMEM. */
static int judge(ac_guard *g, size_t *cap, names *nm, ac_rows *q, double median, double p999,
                 const ac_guard_opts *o, ac_gtask **added, ac_err *err)
{
	*added = NULL;
	verdict v = rule(q, median, p999, o);
	g->judged++;
	g->spend += v.cost;
	g->outliers += v.outlier;
	g->runaways += v.by_calls || v.by_repeat;
	if (v.outlier)
		g->savings += v.cost - v.threshold;
	if (!listed(&v, o->list))
		return 0; /* counted, not listed */
	return add_task(g, cap, nm, q, &v, median, p999, added, err);
}

/* A --by value of a row (column 11 + k; NULL, a position that is none, as
 * "(none)"). */
static const char *row_key(ac_rows *r, size_t k)
{
	const char *v = ac_rows_text(r, 11 + (int)k);
	return v ? v : "(none)";
}

/*
 * The judging pass in the server (ClickHouse: outliers_judge.sql, the --by
 * twins), q open with its window (and ?4, ?5 of the model twin) bound: the
 * groups of fig with their threshold, outlier limit and p99.9 as lists; the
 * server applies the rules to every task and answers with the totals and
 * the listed tasks only, which are judged again here (the same rule on the
 * same numbers, so they are listed alike) to fill their rows, with their
 * first g->nkeys --by values. Returns 0, AC_ESQL or AC_ENOMEM.
 */
static int judge_server(ac_guard *g, ac_store *s, ac_rows *q, const stats *fig,
                        const ac_guard_opts *o, ac_err *err)
{
	if (!fig->n)
		return 0; /* no task in the window */
	uint64_t *keys = malloc(fig->n * sizeof(*keys));
	double *f = malloc(3 * fig->n * sizeof(*f));
	names nm;
	names_open(&nm, s);
	size_t cap = 0;
	int rc = 0;
	if (!keys || !f) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < fig->n; i++) {
		keys[i] = (uint64_t)fig->v[i].type;
		f[3 * i] = o->factor * fig->v[i].median;
		f[3 * i + 1] = cost_limit(f[3 * i]);
		f[3 * i + 2] = fig->v[i].p999;
	}
	ac_rows_bind_u64s(q, 6, keys, fig->n);
	ac_rows_bind_doubles(q, 7, f, 3 * fig->n);
	ac_rows_bind_int(q, 8, o->repeat);
	ac_rows_bind_int(q, 9, o->list);
	while ((rc = ac_rows_next(q, err)) == 1) {
		if (ac_rows_int(q, 20) > 0) {
			rc = ac_err_set(err, AC_ESQL, "tasks changed while being judged");
			goto done;
		}
		g->judged = (size_t)ac_rows_int(q, 15);
		g->spend = ac_rows_double(q, 16);
		g->outliers = (size_t)ac_rows_int(q, 17);
		g->runaways = (size_t)ac_rows_int(q, 18);
		g->savings = ac_rows_double(q, 19);
		if (ac_rows_int(q, 14) == 0)
			continue; /* nothing listed: the totals' row only */
		const tstat *ts = stats_find(fig, key_of(q, 13));
		if (!ts) {
			rc = ac_err_set(err, AC_ESQL, "tasks changed while being judged");
			goto done;
		}
		verdict v = rule(q, ts->median, ts->p999, o);
		if (!listed(&v, o->list)) {
			/* (the task id is not named: text from traces) */
			rc = ac_err_set(err, AC_ESQL, "the server listed a task the judge does not");
			goto done;
		}
		ac_gtask *x;
		if ((rc = add_task(g, &cap, &nm, q, &v, ts->median, ts->p999, &x, err)))
			goto done;
		for (size_t k = 0; k < g->nkeys; k++)
			if (!(x->key[k] = strdup(row_key(q, k)))) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				goto done;
			}
	}
done:
	names_close(&nm, g);
	free(keys);
	free(f);
	return rc < 0 ? rc : 0;
}

/* ac_guard_run on a store that judges in the server (ClickHouse): the
 * types' figures there, of the reference window when it has tasks of the
 * type, else of the window; then the judging pass there. No row per task
 * crosses. */
static int guard_server(ac_guard *g, ac_store *s, const ac_guard_opts *o, int64_t since,
                        int64_t until, int64_t ref_since, int64_t ref_until, ac_err *err)
{
	stats cur, ref, fig;
	ac_rows *q = NULL;
	memset(&ref, 0, sizeof(ref));
	memset(&fig, 0, sizeof(fig));
	ac_map_init(&fig.idx, 0);
	int same = since == ref_since && until == ref_until;
	int rc = stats_server(s, since, until, o->system, &cur, err);
	if (!rc && !same)
		rc = stats_server(s, ref_since, ref_until, o->system, &ref, err);
	for (size_t i = 0; !rc && i < cur.n; i++) {
		const tstat *ts = same ? NULL : stats_find(&ref, cur.v[i].type);
		g->own_reference += !same && !ts;
		if (!ts)
			ts = &cur.v[i];
		rc = stats_add(&fig, cur.v[i].type, ts->median, ts->p999, err);
	}
	if (!rc)
		rc = ac_store_rows(s, "outliers_judge.sql", since, until, o->system, 0, &q, err);
	if (!rc)
		rc = judge_server(g, s, q, &fig, o, err);
	g->savings_pct = g->spend > 0 ? 100 * g->savings / g->spend : 0.0;
	if (!rc)
		rc = list_tasks(g, o->list, err);
	ac_rows_free(q);
	stats_release(&cur);
	stats_release(&ref);
	stats_release(&fig);
	return rc;
}

int ac_guard_run(ac_guard *g, ac_store *s, const ac_guard_opts *opts, int64_t since,
                 int64_t until, int64_t ref_since, int64_t ref_until, ac_err *err)
{
	ac_guard_opts o = AC_GUARD_OPTS_INIT;
	if (opts)
		o = *opts;
	memset(g, 0, sizeof(*g));
	stats cur, ref;
	names nm;
	memset(&cur, 0, sizeof(cur));
	memset(&ref, 0, sizeof(ref));
	memset(&nm, 0, sizeof(nm));
	ac_rows *q = NULL;
	size_t cap = 0;
	int rc, same = since == ref_since && until == ref_until;

	if (ac_store_answers(s, "outliers_stats.sql"))
		return guard_server(g, s, &o, since, until, ref_since, ref_until, err);
	/* the types' statistics: from the reference window, else the window */
	if ((rc = stats_of(s, since, until, o.system, &cur, err)))
		goto done;
	if (!same && (rc = stats_of(s, ref_since, ref_until, o.system, &ref, err)))
		goto done;
	for (size_t i = 0; !same && i < cur.n; i++)
		g->own_reference += !stats_find(&ref, cur.v[i].type);
	/* the judging pass */
	names_open(&nm, s);
	if (!(q = window_query(s, since, until, o.system, err))) {
		rc = AC_ESQL;
		goto done;
	}
	while ((rc = ac_rows_next(q, err)) == 1) {
		int64_t type = ac_rows_int(q, 1);
		const tstat *ts = same ? NULL : stats_find(&ref, type);
		if (!ts)
			ts = stats_find(&cur, type);
		if (!ts) {
			rc = ac_err_set(err, AC_ESQL, "tasks changed while being judged");
			goto done;
		}
		ac_gtask *x;
		if ((rc = judge(g, &cap, &nm, q, ts->median, ts->p999, &o, &x, err)))
			goto done;
	}
	g->savings_pct = g->spend > 0 ? 100 * g->savings / g->spend : 0.0;
	if (rc >= 0)
		rc = list_tasks(g, o.list, err);
done:
	ac_rows_free(q);
	names_close(&nm, g);
	stats_release(&cur);
	stats_release(&ref);
	return rc;
}

/* One group's cost and LLM calls, read ahead by the lead cursor. */
typedef struct group_acc {
	char *key[2];
	double *cost, *calls;
	size_t n, cap;
} group_acc;

static int group_push(group_acc *a, double cost, double calls)
{
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 256;
		double *x = realloc(a->cost, nc * sizeof(*x));
		if (!x)
			return AC_ENOMEM;
		a->cost = x;
		double *y = realloc(a->calls, nc * sizeof(*y));
		if (!y)
			return AC_ENOMEM;
		a->calls = y;
		a->cap = nc;
	}
	a->cost[a->n] = cost;
	a->calls[a->n++] = calls;
	return 0;
}

/* The lead cursor's row is in the group a holds. */
static int in_group(const group_acc *a, ac_rows *r, size_t nk)
{
	for (size_t k = 0; k < nk; k++)
		if (strcmp(a->key[k], row_key(r, k)) != 0)
			return 0;
	return 1;
}

/* The group starting at the lead's row: keys copied, then its units read up
 * to the first row of the next group (*more: the lead is on it). */
static int read_group(group_acc *a, ac_rows *lead, size_t nk, int *more, ac_err *err)
{
	a->n = 0;
	for (size_t k = 0; k < nk; k++) {
		free(a->key[k]);
		if (!(a->key[k] = strdup(row_key(lead, k))))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	int rc;
	do {
		if (group_push(a, ac_rows_double(lead, 2), (double)ac_rows_int(lead, 3)))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	} while ((rc = ac_rows_next(lead, err)) == 1 && in_group(a, lead, nk));
	if (rc < 0)
		return rc;
	*more = rc == 1;
	return 0;
}

/* Two cursors over the same ordered rows: the lead reads a group ahead for
 * its median and p99.9, the follower then judges the group's tasks. The
 * groups are keyed by the rows' first nk keys; the listed tasks keep
 * g->nkeys of them (0: none, a --where alone). */
static int judge_groups(ac_guard *g, names *nm, ac_rows *lead, ac_rows *follow, size_t nk,
                        const ac_guard_opts *o, ac_err *err)
{
	group_acc a;
	memset(&a, 0, sizeof(a));
	size_t cap = 0;
	int rc = ac_rows_next(lead, err), more = rc == 1;
	if (rc > 0)
		rc = 0;
	while (more && !rc) {
		if ((rc = read_group(&a, lead, nk, &more, err)))
			break;
		size_t n = a.n;
		double median = ac_quantile_select(a.cost, n, 0.5);
		double p999 = ac_quantile_select(a.calls, n, 0.999);
		for (size_t i = 0; i < n && !rc; i++) {
			ac_gtask *x;
			if ((rc = ac_rows_next(follow, err)) != 1) {
				rc = rc < 0 ? rc : ac_err_set(err, AC_ESQL, "tasks changed while being judged");
				break;
			}
			if ((rc = judge(g, &cap, nm, follow, median, p999, o, &x, err)) || !x)
				continue;
			for (size_t k = 0; k < g->nkeys && !rc; k++)
				if (!(x->key[k] = strdup(a.key[k])))
					rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		}
	}
	free(a.key[0]);
	free(a.key[1]);
	free(a.cost);
	free(a.calls);
	return rc < 0 ? rc : 0;
}

/* ac_guard_by_run on a store that judges in the server (ClickHouse): the
 * groups' figures there (outliers_by_stats.sql; outliers_by_model_stats.sql
 * when model is among --by or --where), then the judging pass there
 * (outliers_by_judge.sql, outliers_by_model_judge.sql). No row per task
 * crosses. */
static int guard_by_server(ac_guard *g, ac_store *s, const ac_query *q,
                           const ac_dims_info *info, const ac_guard_opts *o, ac_err *err)
{
	int model = info->model_pos || info->model_where;
	const char *name[2] = { model ? "outliers_by_model_stats.sql" : "outliers_by_stats.sql",
		                model ? "outliers_by_model_judge.sql" : "outliers_by_judge.sql" };
	ac_rows *r[2] = { NULL, NULL };
	stats fig;
	memset(&fig, 0, sizeof(fig));
	int rc = 0;
	for (int i = 0; i < 2 && !rc; i++) {
		if ((rc = ac_store_rows(s, name[i], q->since_ns, q->until_ns, q->system, AC_ROWS_SCAN,
		                        &r[i], err)))
			break;
		if (model) {
			ac_rows_bind_int(r[i], 4, info->model_pos);
			ac_rows_bind_text(r[i], 5, info->model_where); /* NULL: none */
		}
	}
	if (!rc)
		rc = stats_read(r[0], &fig, err);
	if (!rc)
		rc = judge_server(g, s, r[1], &fig, o, err);
	g->savings_pct = g->spend > 0 ? 100 * g->savings / g->spend : 0.0;
	if (!rc)
		rc = list_tasks(g, o->list, err);
	ac_rows_free(r[0]);
	ac_rows_free(r[1]);
	stats_release(&fig);
	return rc;
}

int ac_guard_by_run(ac_guard *g, ac_store *s, const ac_query *q, const ac_guard_opts *opts,
                    ac_err *err)
{
	ac_guard_opts o = AC_GUARD_OPTS_INIT;
	if (opts)
		o = *opts;
	memset(g, 0, sizeof(*g));
	/* --where alone keeps the plain judge's groups, the task types: grouped
	 * by task_type here, listed without a key, runaways by type then task_id */
	static const ac_dim by_type = { AC_DIM_TASK_TYPE, NULL, NULL };
	ac_query tq = *q;
	if (!q->nby) {
		tq.by = &by_type;
		tq.nby = 1;
	}
	ac_dims_info info;
	int rc = ac_dims_prepare(s, &tq, &info, err);
	if (rc)
		return rc;
	g->nkeys = q->nby < 2 ? q->nby : 2;
	if (ac_store_answers(s, "outliers_by_stats.sql"))
		return guard_by_server(g, s, q, &info, &o, err);
	int model = info.model_pos || info.model_where;
	const char *name = model ? "outliers_by_model.sql" : "outliers_by.sql";
	ac_rows *c[2] = { NULL, NULL };
	for (int i = 0; i < 2 && !rc; i++) {
		if ((rc = ac_store_rows(s, name, q->since_ns, q->until_ns, q->system, AC_ROWS_SCAN,
		                        &c[i], err)))
			break;
		if (model) {
			ac_rows_bind_int(c[i], 4, info.model_pos);
			ac_rows_bind_text(c[i], 5, info.model_where); /* NULL: none */
		}
	}
	names nm;
	names_open(&nm, s);
	if (!rc)
		rc = judge_groups(g, &nm, c[0], c[1], tq.nby < 2 ? tq.nby : 2, &o, err);
	names_close(&nm, g);
	ac_rows_free(c[0]);
	ac_rows_free(c[1]);
	if (rc)
		return rc;
	g->savings_pct = g->spend > 0 ? 100 * g->savings / g->spend : 0.0;
	return list_tasks(g, o.list, err);
}

void ac_guard_release(ac_guard *g)
{
	free_tasks(g->tasks, g->n);
	for (size_t i = 0; i < g->nnames; i++)
		free(g->names[i]);
	free(g->names);
	free(g->out);
	free(g->run);
	memset(g, 0, sizeof(*g));
}
