/*
 * The router simulator and recommender (router.h says what is computed; its
 * files and their shared types: router_int.h). This file: the strings (an
 * interner, so calls and eval cells hold small integer ids) and the data,
 * the window read from queries/router_*.sql into arrays.
 */
#include "router_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../pricing/convention.h"
#include "../store/store.h"
#include "../tasks/callpack.h"
#include "../util/cmp.h"
#include "../util/map.h"
#include "../util/timeutil.h"

/* ---- strings ------------------------------------------------------------ */

static int32_t st_find(const strtab *t, const char *s)
{
	int64_t v;
	if (!s)
		return -1;
	return ac_map_get(&t->idx, s, strlen(s), &v) ? (int32_t)v : -1;
}

/* Id of s, added when new; -1 for NULL. Returns 0 or AC_ENOMEM. */
static int st_intern(strtab *t, const char *s, int32_t *id)
{
	*id = -1;
	if (!s)
		return 0;
	if ((*id = st_find(t, s)) >= 0)
		return 0;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		char **ns = realloc(t->s, nc * sizeof(*ns));
		if (!ns)
			return AC_ENOMEM;
		t->s = ns;
		t->cap = nc;
	}
	char *d = strdup(s);
	if (!d || ac_map_put(&t->idx, s, strlen(s), (int64_t)t->n)) {
		free(d);
		return AC_ENOMEM;
	}
	t->s[t->n] = d;
	*id = (int32_t)t->n++;
	return 0;
}

const char *rt_st_str(const strtab *t, int32_t id)
{
	return id >= 0 ? t->s[id] : NULL;
}

static void st_release(strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	ac_map_release(&t->idx);
}

int rt_same_opt(const char *a, const char *b)
{
	return ac_cmp_opt(a, b) == 0;
}

/* ---- data --------------------------------------------------------------- */

/*
 * The identity of a model name: the price-table entry it resolves to, else
 * the name in lower case. Malloc'd; NULL on allocation failure.
 */
static char *model_key_dup(ac_pricebook *pb, const char *name)
{
	const ac_price *rows;
	const char *matched = NULL;
	if (pb && ac_pricebook_model(pb, name, &rows, &matched, NULL) > 0 && matched)
		return strdup(matched);
	char *k = strdup(name);
	if (k)
		for (char *p = k; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return k;
}

/* Key id of a stored name id (interning the key). */
static int key_of(ac_router_data *d, int32_t name, int32_t *out)
{
	int64_t v;
	*out = -1;
	if (name < 0)
		return 0;
	if (ac_map_get(&d->key_of_name, &name, sizeof(name), &v)) {
		*out = (int32_t)v;
		return 0;
	}
	char *k = model_key_dup(d->pb, d->str.s[name]);
	if (!k)
		return AC_ENOMEM;
	int rc = st_intern(&d->str, k, out);
	free(k);
	if (!rc && ac_map_put(&d->key_of_name, &name, sizeof(name), *out))
		rc = AC_ENOMEM;
	return rc;
}

/* Key id of any model name, without adding it: -1 when no call or eval
 * score has that identity. */
int32_t rt_key_find(const ac_router_data *d, const char *name)
{
	if (!name)
		return -1;
	char *k = model_key_dup(d->pb, name);
	if (!k)
		return -1;
	int32_t id = st_find(&d->str, k);
	free(k);
	return id;
}

/* Key id of any model name, added when no call or eval score has it yet (a
 * model the store never saw, named by a map or an output ratio): -1 for
 * NULL; AC_ENOMEM into *rc. */
int32_t rt_key_intern(ac_router_data *d, const char *name, int *rc)
{
	int32_t id = -1;
	*rc = 0;
	if (!name)
		return -1;
	char *k = model_key_dup(d->pb, name);
	if (!k || st_intern(&d->str, k, &id))
		*rc = AC_ENOMEM;
	free(k);
	return *rc ? -1 : id;
}

ecell *rt_cell_find(const ac_router_data *d, int32_t tt, int32_t cx, int32_t key)
{
	int32_t k[3] = { tt, cx, key };
	int64_t v;
	if (cx < 0 || key < 0)
		return NULL;
	return ac_map_get(&d->cell_idx, k, sizeof(k), &v) ? &d->cells[v] : NULL;
}

static int cell_add(ac_router_data *d, int32_t tt, int32_t cx, int32_t key,
                    const ac_score_sums *sc, double out_tokens)
{
	int32_t k[3] = { tt, cx, key };
	int64_t v;
	ecell *c;
	if (ac_map_get(&d->cell_idx, k, sizeof(k), &v)) {
		c = &d->cells[v];
	} else {
		if (d->ncells == d->capcells) {
			size_t nc = d->capcells ? d->capcells * 2 : 64;
			ecell *ncs = realloc(d->cells, nc * sizeof(*ncs));
			if (!ncs)
				return AC_ENOMEM;
			d->cells = ncs;
			d->capcells = nc;
		}
		if (ac_map_put(&d->cell_idx, k, sizeof(k), (int64_t)d->ncells))
			return AC_ENOMEM;
		c = &d->cells[d->ncells++];
		memset(c, 0, sizeof(*c));
		c->tt = tt;
		c->cx = cx;
		c->key = key;
	}
	c->sc.n += sc->n;
	c->sc.sum += sc->sum;
	c->sc.sq += sc->sq;
	c->sc.partial += sc->partial;
	c->out_sum += out_tokens;
	return 0;
}

static int class_of(ac_router_data *d, int32_t tt, int32_t cx, int32_t *out)
{
	int32_t k[2] = { tt, cx };
	int64_t v;
	if (ac_map_get(&d->class_idx, k, sizeof(k), &v)) {
		*out = (int32_t)v;
		return 0;
	}
	if (d->nclasses == d->capclasses) {
		size_t nc = d->capclasses ? d->capclasses * 2 : 32;
		rclass *ns = realloc(d->classes, nc * sizeof(*ns));
		if (!ns)
			return AC_ENOMEM;
		d->classes = ns;
		d->capclasses = nc;
	}
	if (ac_map_put(&d->class_idx, k, sizeof(k), (int64_t)d->nclasses))
		return AC_ENOMEM;
	rclass *c = &d->classes[d->nclasses];
	memset(c, 0, sizeof(*c));
	c->tt = tt;
	c->cx = cx;
	c->top = c->top_key = -1;
	*out = (int32_t)d->nclasses++;
	return 0;
}

static const char *col_text(ac_rows *st, int c)
{
	return ac_rows_text(st, c);
}

static int prepare(ac_store *s, const char *name, const ac_router_window *w, ac_rows **st,
                   ac_err *err)
{
	return ac_store_rows(s, name, w->since_ns, w->until_ns, w->system, 0, st, err);
}

/* The interned name of label (kind 0) or model (kind 1) row id; -1 for id 0
 * or a dangling id. Looked up once per id. -1 on allocation failure. */
static int name_of(ac_router_data *d, ac_store *s, int kind, int64_t id, int32_t *out)
{
	int64_t key[2] = { kind, id }, v;
	*out = -1;
	if (!id)
		return 0;
	if (ac_map_get(&d->name_ids, key, sizeof(key), &v)) {
		*out = (int32_t)v;
		return 0;
	}
	char *name;
	ac_err e = AC_ERR_INIT;
	if (ac_store_name(s, kind ? AC_DICT_MODEL : AC_DICT_LABEL, id, &name, &e) == AC_ENOMEM)
		return -1;
	int rc = name ? st_intern(&d->str, name, out) : 0;
	free(name);
	if (rc || ac_map_put(&d->name_ids, key, sizeof(key), *out))
		return -1;
	return 0;
}

static int read_tasks(ac_router_data *d, ac_store *s, ac_err *err)
{
	ac_rows *st = NULL;
	size_t cap = 0;
	int rc, src;
	if ((rc = prepare(s, "router_tasks.sql", &d->w, &st, err)))
		return rc;
	while ((src = ac_rows_next(st, err)) == 1) {
		if (d->ntasks == cap) {
			size_t nc = cap ? cap * 2 : 256;
			rtask *nt = realloc(d->tasks, nc * sizeof(*nt));
			if (!nt) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory reading tasks");
				goto done;
			}
			d->tasks = nt;
			cap = nc;
		}
		rtask *t = &d->tasks[d->ntasks];
		t->id = ac_rows_int(st, 0);
		t->start_ns = ac_rows_int(st, 1);
		t->cost = ac_rows_double(st, 3);
		if ((rc = name_of(d, s, 0, ac_rows_int(st, 2), &t->tt))) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory reading tasks");
			goto done;
		}
		d->ntasks++;
	}
	if (src < 0)
		rc = src;
done:
	ac_rows_free(st);
	return rc;
}

/* Index of the task with id (tasks ascend by id), -1 when absent. */
static int32_t task_index(const ac_router_data *d, int64_t id)
{
	size_t lo = 0, hi = d->ntasks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->tasks[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->ntasks && d->tasks[lo].id == id ? (int32_t)lo : -1;
}

/* A call group's numbers into c (the group's class and model set apart). */
static void fill_call(rcall *c, const ac_call_group *g)
{
	c->day = g->day;
	c->tier = (int)g->tier;
	c->n = g->calls;
	memset(&c->tok, 0, sizeof(c->tok));
	c->tok.in = g->tin;
	c->tok.out = g->tout;
	c->tok.cache_read = g->tcr;
	c->tok.cache_write = g->tcw;
	c->tok.reasoning = g->trs;
	c->tok.cache_write_1h = g->tcw1h;
	c->tok.audio_in = g->tain;
	c->tok.audio_out = g->taout;
	/* an irregular call (grp >= AC_GRP_SINGLE) alone: its numbers decide the
	 * token convention and the prompt (src/pricing/convention.h); a group's
	 * calls have their cache within their input (tasks.c irregular()) */
	c->tok.conv = AC_CONV_AUTO;
	c->single = g->grp >= AC_GRP_SINGLE;
	c->prompt = c->single ? ac_prompt_tokens(&c->tok) : ac_bucket_prompt((int)(g->grp & 15));
	c->cost = g->cost;
}

static int read_calls(ac_router_data *d, ac_store *s, ac_err *err)
{
	ac_rows *st = NULL;
	int rc, src;
	if ((rc = prepare(s, "router_calls.sql", &d->w, &st, err)))
		return rc;
	while ((src = ac_rows_next(st, err)) == 1) {
		int32_t task = task_index(d, ac_rows_int(st, 0));
		if (task < 0)
			continue; /* derived since the task list was read: not in this replay */
		size_t len, at = 0;
		const unsigned char *blob = ac_rows_blob(st, 1, &len);
		ac_call_group g;
		int got;
		while ((got = ac_callpack_next(blob, len, &at, &g)) == 1) {
			if (d->ncalls == d->capcalls) {
				size_t nc = d->capcalls ? d->capcalls * 2 : 1024;
				rcall *ncs = realloc(d->calls, nc * sizeof(*ncs));
				if (!ncs)
					goto oom;
				d->calls = ncs;
				d->capcalls = nc;
			}
			rcall *c = &d->calls[d->ncalls];
			int32_t cx;
			c->task = task;
			c->cls = -1;
			if (name_of(d, s, 0, g.complexity, &cx) || name_of(d, s, 1, g.model, &c->model) ||
			    key_of(d, c->model, &c->key))
				goto oom;
			if (cx >= 0 && class_of(d, d->tasks[task].tt, cx, &c->cls))
				goto oom;
			fill_call(c, &g);
			c->gkey = 0;
			d->ncalls++;
		}
		if (got < 0) {
			long long id = ac_rows_int(st, 0);
			ac_rows_free(st);
			return ac_err_set(err, AC_ESQL, "task %lld: damaged call groups in table task_calls",
			                  id);
		}
	}
	if (src < 0)
		rc = src;
	ac_rows_free(st);
	return rc;
oom:
	ac_rows_free(st);
	return ac_err_set(err, AC_ENOMEM, "out of memory reading LLM calls");
}

/* ---- replay in the server ------------------------------------------------ */

/* The lists a server query takes: ?4 and ?5 (n each), ?6 (ncf doubles). */
typedef struct lists {
	const uint64_t *a, *b;
	size_t n;
	const double *cf;
	size_t ncf;
} lists;

/* The one row of server query `name` (l: its lists, or NULL): columns
 * 0..ni-1 as integers into iv, the next nd as doubles into dv (zeros when
 * there is no row). */
static int one_row(ac_store *s, const ac_router_window *w, const char *name, const lists *l,
                   int64_t *iv, int ni, double *dv, int nd, ac_err *err)
{
	ac_rows *st = NULL;
	int rc, src;
	for (int i = 0; i < ni; i++)
		iv[i] = 0;
	for (int i = 0; i < nd; i++)
		dv[i] = 0;
	if ((rc = prepare(s, name, w, &st, err)))
		return rc;
	if (l) {
		ac_rows_bind_u64s(st, 4, l->a, l->n);
		ac_rows_bind_u64s(st, 5, l->b, l->n);
		if (l->cf)
			ac_rows_bind_doubles(st, 6, l->cf, l->ncf);
	}
	if ((src = ac_rows_next(st, err)) == 1) {
		for (int i = 0; i < ni; i++)
			iv[i] = ac_rows_int(st, i);
		for (int i = 0; i < nd; i++)
			dv[i] = ac_rows_double(st, ni + i);
	} else if (src < 0) {
		rc = src;
	}
	ac_rows_free(st);
	return rc;
}

/* The window's task count and first and last start (router_window.sql). */
static int read_window(ac_router_data *d, ac_store *s, ac_err *err)
{
	int64_t v[3];
	int rc = one_row(s, &d->w, "router_window.sql", NULL, v, 3, NULL, 0, err);
	d->srv_tasks = v[0];
	d->srv_first_ns = v[1];
	d->srv_last_ns = v[2];
	return rc;
}

/* The call groups summed over every task by key (router_groups.sql): the
 * calls of a replay in the server, each as an rcall of no task. */
static int read_groups(ac_router_data *d, ac_store *s, ac_err *err)
{
	ac_rows *st = NULL;
	int rc, src;
	if ((rc = prepare(s, "router_groups.sql", &d->w, &st, err)))
		return rc;
	while ((src = ac_rows_next(st, err)) == 1) {
		if (d->ncalls == d->capcalls) {
			size_t nc = d->capcalls ? d->capcalls * 2 : 1024;
			rcall *ncs = realloc(d->calls, nc * sizeof(*ncs));
			if (!ncs)
				goto oom;
			d->calls = ncs;
			d->capcalls = nc;
		}
		rcall *c = &d->calls[d->ncalls];
		int32_t tt, cx;
		memset(c, 0, sizeof(*c));
		c->task = -1;
		c->cls = -1;
		c->gkey = (uint64_t)strtoull(col_text(st, 0), NULL, 10);
		if (st_intern(&d->str, col_text(st, 1), &tt) || st_intern(&d->str, col_text(st, 2), &cx) ||
		    st_intern(&d->str, col_text(st, 3), &c->model) || key_of(d, c->model, &c->key))
			goto oom;
		if (cx >= 0 && class_of(d, tt, cx, &c->cls))
			goto oom;
		ac_call_group g;
		memset(&g, 0, sizeof(g));
		g.day = ac_rows_int(st, 4);
		g.tier = ac_rows_int(st, 5);
		g.grp = ac_rows_int(st, 6);
		g.calls = ac_rows_int(st, 7);
		g.tin = ac_rows_int(st, 8);
		g.tout = ac_rows_int(st, 9);
		g.tcr = ac_rows_int(st, 10);
		g.tcw = ac_rows_int(st, 11);
		g.trs = ac_rows_int(st, 12);
		g.tcw1h = ac_rows_int(st, 13);
		g.tain = ac_rows_int(st, 14);
		g.taout = ac_rows_int(st, 15);
		g.cost = ac_rows_double(st, 16);
		fill_call(c, &g);
		d->ncalls++;
	}
	if (src < 0)
		rc = src;
	ac_rows_free(st);
	return rc;
oom:
	ac_rows_free(st);
	return ac_err_set(err, AC_ENOMEM, "out of memory reading LLM call groups");
}

int rt_server_after(const ac_router_data *d, const uint64_t *keys, const uint64_t *rows, size_t n,
                    const double *coef, size_t ncoef, rt_server_dist *out, ac_err *err)
{
	lists l = { keys, rows, n, coef, ncoef };
	double v[10];
	int64_t tasks;
	int rc = one_row(d->server, &d->w, "router_after.sql", &l, &tasks, 1, v, 10, err);
	out->tasks = tasks;
	out->base = v[0];
	out->sim = v[1];
	memcpy(out->order, v + 2, sizeof(out->order));
	return rc;
}

int rt_server_marks(const ac_router_data *d, const uint64_t *keys, const uint64_t *marks,
                    size_t n, long long *routed, long long *moved, ac_err *err)
{
	lists l = { keys, marks, n, NULL, 0 };
	int64_t v[2];
	int rc = one_row(d->server, &d->w, "router_marks.sql", &l, v, 2, NULL, 0, err);
	*routed = v[0];
	*moved = v[1];
	return rc;
}

static int read_scores(ac_router_data *d, ac_store *s, ac_err *err)
{
	ac_rows *st = NULL;
	int rc, src;
	if ((rc = prepare(s, "models_scores.sql", &d->w, &st, err)))
		return rc;
	while ((src = ac_rows_next(st, err)) == 1) {
		int32_t tt, cx, model, key;
		if (!col_text(st, 1)[0] || ac_rows_null(st, 2))
			continue; /* no class or no model: says nothing about a routing choice */
		ac_score_sums sc = { ac_rows_int(st, 3), ac_rows_int(st, 6), ac_rows_double(st, 4),
			             ac_rows_double(st, 5) };
		if (st_intern(&d->str, col_text(st, 0), &tt) || st_intern(&d->str, col_text(st, 1), &cx) ||
		    st_intern(&d->str, col_text(st, 2), &model) || key_of(d, model, &key) ||
		    cell_add(d, tt, cx, key, &sc, (double)ac_rows_int(st, 7))) {
			ac_rows_free(st);
			return ac_err_set(err, AC_ENOMEM, "out of memory reading eval scores");
		}
	}
	if (src < 0)
		rc = src;
	ac_rows_free(st);
	return rc;
}

/* A class and its names, for sorting (qsort has no payload argument). */
typedef struct class_key {
	const char *tt, *cx;
	size_t k;
} class_key;

static int class_cmp(const void *pa, const void *pb)
{
	const class_key *a = pa, *b = pb;
	int c = ac_cmp_opt(a->tt, b->tt);
	return c ? c : strcmp(a->cx, b->cx);
}

/* Group call indices by class, find each class's top model, order classes. */
static int index_classes(ac_router_data *d, ac_err *err)
{
	size_t nc = d->nclasses;
	d->order = malloc((nc ? nc : 1) * sizeof(size_t));
	d->class_calls = malloc((d->ncalls ? d->ncalls : 1) * sizeof(size_t));
	size_t *fill = calloc(nc ? nc : 1, sizeof(size_t));
	if (!d->order || !d->class_calls || !fill) {
		free(fill);
		return ac_err_set(err, AC_ENOMEM, "out of memory indexing classes");
	}
	for (size_t i = 0; i < d->ncalls; i++)
		if (d->calls[i].cls >= 0) {
			d->classes[d->calls[i].cls].ngroups++;
			d->classes[d->calls[i].cls].ncalls += d->calls[i].n;
		}
	size_t at = 0;
	for (size_t k = 0; k < nc; k++) {
		d->classes[k].first = at;
		at += d->classes[k].ngroups;
	}
	for (size_t i = 0; i < d->ncalls; i++) {
		int32_t k = d->calls[i].cls;
		if (k >= 0)
			d->class_calls[d->classes[k].first + fill[k]++] = i;
	}
	free(fill);

	/* the model with most calls: count per name id in a small map */
	for (size_t k = 0; k < nc; k++) {
		rclass *c = &d->classes[k];
		ac_map count;
		long long best = 0;
		ac_map_init(&count, 0);
		for (size_t j = 0; j < c->ngroups; j++) {
			const rcall *x = &d->calls[d->class_calls[c->first + j]];
			int64_t v = 0;
			(void)ac_map_get(&count, &x->model, sizeof(x->model), &v);
			v += x->n;
			if (ac_map_put(&count, &x->model, sizeof(x->model), v)) {
				ac_map_release(&count);
				return ac_err_set(err, AC_ENOMEM, "out of memory indexing classes");
			}
			if (v > best || (v == best && ac_cmp_opt(rt_st_str(&d->str, x->model),
			                                      rt_st_str(&d->str, c->top)) < 0)) {
				best = v;
				c->top = x->model;
				c->top_key = x->key;
			}
		}
		ac_map_release(&count);
	}
	class_key *keys = malloc((nc ? nc : 1) * sizeof(*keys));
	if (!keys)
		return ac_err_set(err, AC_ENOMEM, "out of memory indexing classes");
	for (size_t k = 0; k < nc; k++)
		keys[k] = (class_key){ rt_st_str(&d->str, d->classes[k].tt), d->str.s[d->classes[k].cx], k };
	if (nc)
		qsort(keys, nc, sizeof(*keys), class_cmp);
	for (size_t k = 0; k < nc; k++)
		d->order[k] = keys[k].k;
	free(keys);

	for (size_t i = 0; i < d->ncells; i++)
		ac_accuracy_of_sums(&d->cells[i].acc, &d->cells[i].sc, AC_ROUTER_CONFIDENCE);
	return 0;
}

int ac_router_data_load(ac_router_data **out, ac_store *s, ac_pricebook *pb,
                        const ac_router_window *w, ac_err *err)
{
	ac_router_data *d = calloc(1, sizeof(*d));
	int rc;
	*out = NULL;
	if (!d)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	d->pb = pb;
	d->w = *w;
	ac_map_init(&d->str.idx, 0);
	ac_map_init(&d->class_idx, 0);
	ac_map_init(&d->cell_idx, 0);
	ac_map_init(&d->key_of_name, 0);
	ac_map_init(&d->name_ids, 0);
	if (ac_store_answers(s, "router_groups.sql")) {
		/* the groups summed in the server: no row per task crosses */
		d->server = s;
		rc = read_window(d, s, err);
		if (!rc)
			rc = read_groups(d, s, err);
	} else {
		rc = read_tasks(d, s, err);
		if (!rc)
			rc = read_calls(d, s, err);
	}
	if (rc || (rc = read_scores(d, s, err)) || (rc = index_classes(d, err))) {
		ac_router_data_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void ac_router_data_free(ac_router_data *d)
{
	if (!d)
		return;
	free(d->cells);
	free(d->tasks);
	free(d->calls);
	free(d->classes);
	free(d->order);
	free(d->class_calls);
	ac_map_release(&d->class_idx);
	ac_map_release(&d->cell_idx);
	ac_map_release(&d->key_of_name);
	ac_map_release(&d->name_ids);
	st_release(&d->str);
	free(d);
}

double ac_router_window_days(const ac_router_data *d)
{
	if (d->w.since_ns != INT64_MIN && d->w.until_ns != INT64_MAX)
		return (double)(d->w.until_ns - d->w.since_ns) / (double)AC_NS_PER_DAY;
	/* an open end: from the bound given to the day of the last (first) task */
	int64_t first = INT64_MAX, last = INT64_MIN;
	if (d->server) {
		if (!d->srv_tasks)
			return 0;
		first = ac_day_of_ns(d->srv_first_ns);
		last = ac_day_of_ns(d->srv_last_ns);
	} else {
		if (!d->ntasks)
			return 0;
		for (size_t i = 0; i < d->ntasks; i++) {
			int64_t day = ac_day_of_ns(d->tasks[i].start_ns);
			first = day < first ? day : first;
			last = day > last ? day : last;
		}
	}
	int64_t lo = d->w.since_ns != INT64_MIN ? d->w.since_ns : first * AC_NS_PER_DAY;
	int64_t hi = d->w.until_ns != INT64_MAX ? d->w.until_ns : (last + 1) * AC_NS_PER_DAY;
	return (double)(hi - lo) / (double)AC_NS_PER_DAY;
}

const ac_accuracy rt_no_accuracy = { NAN, 0, NAN, NAN, 0 };

void ac_router_accuracy(ac_accuracy *out, const ac_router_data *d, const char *task_type,
                        const char *complexity, const char *model)
{
	int32_t tt = st_find(&d->str, task_type), cx = st_find(&d->str, complexity);
	const ecell *c = (task_type && tt < 0) ? NULL : rt_cell_find(d, tt, cx, rt_key_find(d, model));
	*out = c ? c->acc : rt_no_accuracy;
}
