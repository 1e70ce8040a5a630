/*
 * The router simulator and recommender: see router.h for what is computed.
 * Layout of this file, in the order data flows:
 *   strings   an interner, so calls and eval cells hold small integer ids
 *   data      reading the window (queries/router_*.sql) into arrays
 *   maps      CSV in (libcsv) and out
 *   options   --output-ratio and --cascade specs
 *   replay    re-pricing calls (pricing.h), per-task and per-class totals
 *   floor     the exact cost-minimal search under an accuracy floor
 *   recommend the tolerance rule, the floor map, the summary sentences
 */
#include "router.h"
#include "../tasks/callpack.h"
#include "../util/csvrec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "../analysis/stats.h"
#include "../pricing/convention.h"
#include "../store/store.h"
#include "../util/cmp.h"
#include "../util/map.h"
#include "../util/table.h"
#include "../util/timeutil.h"

#define MAX_STEPS 8                /* models of one cascade */
#define FLOOR_MAX_STATES 4000000u  /* partial choices the floor search may hold */
#define MAP_MAX_BYTES (16u << 20)

/* ---- strings ------------------------------------------------------------ */

typedef struct strtab {
	char **s;
	size_t n, cap;
	ac_map idx;
} strtab;

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

static const char *st_str(const strtab *t, int32_t id)
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

static int same_opt(const char *a, const char *b)
{
	return ac_cmp_opt(a, b) == 0;
}

/* ---- data --------------------------------------------------------------- */

typedef struct rtask {
	int64_t id, start_ns;
	int32_t tt; /* task type, -1 none */
	double cost;
} rtask;

/* A group of one task's LLM calls with the same class, model, day and price
 * tier (table task_call): prices are linear in tokens within a tier, so the
 * group prices as the sum of its calls. */
typedef struct rcall {
	int32_t task;  /* index into tasks */
	int tier;      /* service tier, AC_TIER_* */
	int64_t prompt; /* a prompt size of the group's context tier (callpack.h) */
	long long n;   /* calls in the group */
	int32_t cls;   /* class index, -1: no complexity class */
	int32_t model; /* string id of the stored name, -1 none */
	int32_t key;   /* string id of the model's identity (see model_key), -1 none */
	int64_t day;
	ac_tokens tok;
	double cost;   /* recorded; unpriced counts 0, as in task.cost_usd */
} rcall;

typedef struct rclass {
	int32_t tt, cx;
	long long ncalls; /* LLM calls */
	size_t ngroups;   /* call groups: d->class_calls[first .. first + ngroups) */
	size_t first;
	int32_t top;   /* name id of the model with most calls, -1 none */
	int32_t top_key;
} rclass;

typedef struct ecell {
	int32_t tt, cx, key;
	ac_score_sums sc;
	double out_sum; /* output tokens of the scored calls */
	ac_accuracy acc;
} ecell;

struct ac_router_data {
	ac_pricebook *pb;
	ac_router_window w;
	strtab str;
	rtask *tasks;
	size_t ntasks;
	rcall *calls;
	size_t ncalls, capcalls;
	rclass *classes;
	size_t nclasses, capclasses;
	size_t *order;       /* classes by (task type, complexity) */
	size_t *class_calls; /* call indices grouped by class */
	ac_map class_idx;
	ecell *cells;
	size_t ncells, capcells;
	ac_map cell_idx;
	ac_map key_of_name;  /* name id -> key id */
	ac_map name_ids;     /* (kind, row id) -> name id, for router_calls.sql */
};

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
static int32_t key_find(const ac_router_data *d, const char *name)
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

static ecell *cell_find(const ac_router_data *d, int32_t tt, int32_t cx, int32_t key)
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
			c->day = g.day;
			c->tier = (int)g.tier;
			c->n = g.calls;
			memset(&c->tok, 0, sizeof(c->tok));
			c->tok.in = g.tin;
			c->tok.out = g.tout;
			c->tok.cache_read = g.tcr;
			c->tok.cache_write = g.tcw;
			c->tok.reasoning = g.trs;
			c->tok.cache_write_1h = g.tcw1h;
			c->tok.audio_in = g.tain;
			c->tok.audio_out = g.taout;
			/* an irregular call (grp >= AC_GRP_SINGLE) alone: its numbers decide the
			 * token convention and the prompt (src/pricing/convention.h); a group's
			 * calls have their cache within their input (tasks.c irregular()) */
			c->tok.conv = AC_CONV_AUTO;
			c->prompt = g.grp >= AC_GRP_SINGLE ? ac_prompt_tokens(&c->tok)
			                                   : ac_bucket_prompt((int)(g.grp & 15));
			c->cost = g.cost;
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
			if (v > best || (v == best && ac_cmp_opt(st_str(&d->str, x->model),
			                                      st_str(&d->str, c->top)) < 0)) {
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
		keys[k] = (class_key){ st_str(&d->str, d->classes[k].tt), d->str.s[d->classes[k].cx], k };
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
	if ((rc = read_tasks(d, s, err)) || (rc = read_calls(d, s, err)) ||
	    (rc = read_scores(d, s, err)) || (rc = index_classes(d, err))) {
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
	if (!d->ntasks)
		return 0;
	int64_t first = INT64_MAX, last = INT64_MIN;
	for (size_t i = 0; i < d->ntasks; i++) {
		int64_t day = ac_day_of_ns(d->tasks[i].start_ns);
		first = day < first ? day : first;
		last = day > last ? day : last;
	}
	return (double)(last - first + 1);
}

static const ac_accuracy NO_ACCURACY = { NAN, 0, NAN, NAN, 0 };

void ac_router_accuracy(ac_accuracy *out, const ac_router_data *d, const char *task_type,
                        const char *complexity, const char *model)
{
	int32_t tt = st_find(&d->str, task_type), cx = st_find(&d->str, complexity);
	const ecell *c = (task_type && tt < 0) ? NULL : cell_find(d, tt, cx, key_find(d, model));
	*out = c ? c->acc : NO_ACCURACY;
}

/* ---- maps --------------------------------------------------------------- */

typedef struct mrow {
	char *task_type; /* NULL: the class's default */
	char *complexity, *model;
	long long line;
} mrow;

struct ac_router_map {
	mrow *r;
	size_t n, cap;
};

int ac_router_map_new(ac_router_map **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : AC_ENOMEM;
}

void ac_router_map_free(ac_router_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->r[i].task_type);
		free(m->r[i].complexity);
		free(m->r[i].model);
	}
	free(m->r);
	free(m);
}

static const mrow *map_row(const ac_router_map *m, const char *task_type, const char *complexity)
{
	for (size_t i = 0; i < m->n; i++)
		if (same_opt(m->r[i].task_type, task_type) && !strcmp(m->r[i].complexity, complexity))
			return &m->r[i];
	return NULL;
}

static int map_add(ac_router_map *m, const char *task_type, const char *complexity,
                   const char *model, long long line)
{
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 16;
		mrow *nr = realloc(m->r, nc * sizeof(*nr));
		if (!nr)
			return AC_ENOMEM;
		m->r = nr;
		m->cap = nc;
	}
	mrow *r = &m->r[m->n];
	r->task_type = task_type ? strdup(task_type) : NULL;
	r->complexity = strdup(complexity);
	r->model = strdup(model);
	r->line = line;
	if ((task_type && !r->task_type) || !r->complexity || !r->model) {
		free(r->task_type);
		free(r->complexity);
		free(r->model);
		return AC_ENOMEM;
	}
	m->n++;
	return 0;
}

int ac_router_map_set(ac_router_map *m, const char *task_type, const char *complexity,
                      const char *model, ac_err *err)
{
	if (task_type && !*task_type)
		task_type = NULL;
	if (map_row(m, task_type, complexity))
		return ac_err_set(err, AC_EINVAL, "the map has a row for complexity %s%s%s", complexity,
		                  task_type ? ", task type " : "", task_type ? task_type : "");
	if (map_add(m, task_type, complexity, model, 0))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	return 0;
}

const char *ac_router_map_lookup(const ac_router_map *m, const char *task_type,
                                 const char *complexity)
{
	const mrow *r = task_type ? map_row(m, task_type, complexity) : NULL;
	if (!r)
		r = map_row(m, NULL, complexity);
	return r ? r->model : NULL;
}

size_t ac_router_map_rows(const ac_router_map *m)
{
	return m ? m->n : 0;
}

typedef ac_csv_rec crec;


static int read_all(const char *path, char **out, size_t *len, ac_err *err)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (!f)
		return ac_err_set(err, AC_EIO, "cannot open %s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 4096) {
			if (cap >= MAP_MAX_BYTES) {
				fclose(f);
				free(data);
				return ac_err_set(err, AC_EFORMAT, "%s: too large for a routing map", path);
			}
			size_t nc = cap ? cap * 2 : 8192;
			char *nd = realloc(data, nc + 1);
			if (!nd) {
				fclose(f);
				free(data);
				return ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
			}
			data = nd;
			cap = nc;
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(data);
		return ac_err_set(err, AC_EIO, "cannot read %s", path);
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return 0;
}


enum { COL_TYPE, COL_CPLX, COL_MODEL, NCOL };
static const char *const MAP_COLS[NCOL] = { "task_type", "complexity", "model" };

int ac_router_map_load(ac_router_map **out, const char *path, ac_pricebook *pb, ac_err *err)
{
	char *text = NULL;
	size_t len = 0;
	ac_csv_doc cs = AC_CSV_DOC_INIT;
	ac_router_map *m = NULL;
	int rc, col[NCOL] = { -1, -1, -1 };
	size_t h;

	*out = NULL;

	if ((rc = read_all(path, &text, &len, err)))
		return rc;
	if ((rc = ac_csv_split(&cs, text, len, path, err)))
		goto done;
	for (h = 0; h < cs.n && ac_csv_blank(&cs.rec[h]); h++)
		;
	if (h == cs.n) {
		rc = ac_err_set(err, AC_EFORMAT, "%s: empty: a map needs the header complexity,model", path);
		goto done;
	}
	const crec *hr = &cs.rec[h];
	for (int i = 0; i < hr->n; i++) {
		int k;
		for (k = 0; k < NCOL && strcasecmp(hr->cell[i], MAP_COLS[k]); k++)
			;
		if (k == NCOL) {
			rc = ac_err_setpos(err, AC_EFORMAT, hr->line, i + 1,
			                   "%s:%lld: unknown column \"%.60s\" (a map has task_type, "
			                   "complexity, model)",
			                   path, hr->line, hr->cell[i]);
			goto done;
		}
		if (col[k] >= 0) {
			rc = ac_err_setpos(err, AC_EFORMAT, hr->line, i + 1, "%s:%lld: duplicate column %s",
			                   path, hr->line, MAP_COLS[k]);
			goto done;
		}
		col[k] = i;
	}
	for (int k = COL_CPLX; k < NCOL; k++) {
		if (col[k] < 0) {
			rc = ac_err_setpos(err, AC_EFORMAT, hr->line, 0, "%s:%lld: missing column %s", path,
			                   hr->line, MAP_COLS[k]);
			goto done;
		}
	}
	if (ac_router_map_new(&m)) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = h + 1; i < cs.n; i++) {
		const crec *r = &cs.rec[i];
		if (ac_csv_blank(r))
			continue;
		if (r->n != hr->n) {
			rc = ac_err_setpos(err, AC_EPARSE, r->line, 0,
			                   "%s:%lld: row has %d cells, the header has %d", path, r->line,
			                   r->n, hr->n);
			goto done;
		}
		for (int c = 0; c < r->n; c++) {
			/* names go back out into CSV reports: a cell a spreadsheet
			 * would run as a formula is refused (CSV injection) */
			if (r->cell[c][0] && strchr("=+-@", r->cell[c][0])) {
				rc = ac_err_setpos(err, AC_EPARSE, r->line, c + 1,
				                   "%s:%lld: cell \"%.60s\" looks like a spreadsheet formula",
				                   path, r->line, r->cell[c]);
				goto done;
			}
		}
		const char *tt = col[COL_TYPE] >= 0 ? r->cell[col[COL_TYPE]] : "";
		const char *cx = r->cell[col[COL_CPLX]], *model = r->cell[col[COL_MODEL]];
		if (!*cx || !*model) {
			rc = ac_err_setpos(err, AC_EPARSE, r->line, 0, "%s:%lld: empty %s", path, r->line,
			                   *cx ? "model" : "complexity");
			goto done;
		}
		const mrow *prev = map_row(m, *tt ? tt : NULL, cx);
		if (prev) {
			rc = ac_err_setpos(err, AC_EINVAL, r->line, 0,
			                   "%s:%lld: duplicate row for complexity %.60s%s%.60s (first on line "
			                   "%lld)",
			                   path, r->line, cx, *tt ? ", task type " : "", tt, prev->line);
			goto done;
		}
		const ac_price *rows;
		if (pb && ac_pricebook_model(pb, model, &rows, NULL, NULL) <= 0) {
			rc = ac_err_setpos(err, AC_EINVAL, r->line, 0,
			                   "%s:%lld: model %.100s has no price in the price table (import "
			                   "one with `agentcost prices import`)",
			                   path, r->line, model);
			goto done;
		}
		if (map_add(m, *tt ? tt : NULL, cx, model, r->line)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (!m->n) {
		rc = ac_err_setpos(err, AC_EFORMAT, hr->line, 0, "%s:%lld: the map has no rows", path,
		                   hr->line);
		goto done;
	}
	*out = m;
	m = NULL;
done:
	ac_router_map_free(m);
	ac_csv_doc_release(&cs);
	free(text);
	return rc;
}

static int mrow_cmp(const void *pa, const void *pb)
{
	const mrow *a = pa, *b = pb;
	int c = ac_cmp_opt(a->task_type, b->task_type);
	return c ? c : strcmp(a->complexity, b->complexity);
}

static void put_cell(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' ')))
		csv_fwrite(f, s, strlen(s));
	else
		fputs(s, f);
}

/* The map's rows in file order (malloc'd copy; the strings are m's), NULL on OOM. */
static mrow *sorted_rows(const ac_router_map *m)
{
	mrow *rows = malloc((m->n ? m->n : 1) * sizeof(*rows));
	if (rows && m->n) {
		memcpy(rows, m->r, m->n * sizeof(*rows));
		qsort(rows, m->n, sizeof(*rows), mrow_cmp);
	}
	return rows;
}

int ac_router_map_table(const ac_router_map *m, ac_table *t)
{
	mrow *rows = sorted_rows(m);
	if (!rows)
		return AC_ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		ac_table_text(t, rows[i].task_type ? rows[i].task_type : "");
		ac_table_text(t, rows[i].complexity);
		ac_table_text(t, rows[i].model);
	}
	free(rows);
	return ac_table_oom(t) ? AC_ENOMEM : 0;
}

int ac_router_map_write(const ac_router_map *m, const char *path, ac_err *err)
{
	mrow *rows = sorted_rows(m);
	if (!rows)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	FILE *f = fopen(path, "w");
	if (!f) {
		free(rows);
		return ac_err_set(err, AC_EIO, "cannot write %s: %s", path, strerror(errno));
	}
	fputs("task_type,complexity,model\n", f);
	for (size_t i = 0; i < m->n; i++) {
		put_cell(f, rows[i].task_type ? rows[i].task_type : "");
		fputc(',', f);
		put_cell(f, rows[i].complexity);
		fputc(',', f);
		put_cell(f, rows[i].model);
		fputc('\n', f);
	}
	free(rows);
	int bad = ferror(f);
	if (fclose(f) || bad)
		return ac_err_set(err, AC_EIO, "cannot write %s", path);
	return 0;
}

/* ---- options ------------------------------------------------------------ */

static int priced(ac_pricebook *pb, const char *name)
{
	const ac_price *rows;
	return pb && ac_pricebook_model(pb, name, &rows, NULL, NULL) > 0;
}

int ac_router_opts_ratio(ac_router_opts *o, const char *spec, ac_pricebook *pb, ac_err *err)
{
	if (!strcmp(spec, "measured")) {
		o->measured = 1;
		return 0;
	}
	const char *eq = strrchr(spec, '=');
	char *end;
	if (!eq)
		return ac_err_set(err, AC_EINVAL,
		                  "--output-ratio takes FROM:TO=R or measured, not '%.100s'", spec);
	errno = 0;
	double r = strtod(eq + 1, &end);
	if (!eq[1] || *end || errno || !isfinite(r) || r <= 0)
		return ac_err_set(err, AC_EINVAL, "--output-ratio %.100s: R must be a number > 0", spec);
	size_t left = (size_t)(eq - spec);
	/* the split: the first ':' unless another one leaves two priced names */
	const char *split = NULL;
	for (const char *p = spec; p < eq; p++) {
		if (*p != ':')
			continue;
		if (!split)
			split = p;
		char *a = ac_strdup_trim(spec, (size_t)(p - spec));
		char *b = ac_strdup_trim(p + 1, (size_t)(eq - p - 1));
		int both = a && b && priced(pb, a) && priced(pb, b);
		free(a);
		free(b);
		if (both) {
			split = p;
			break;
		}
	}
	if (!split || split == spec || split + 1 == eq)
		return ac_err_set(err, AC_EINVAL,
		                  "--output-ratio takes FROM:TO=R (two model names), not '%.100s'", spec);
	ac_router_ratio *nr = realloc(o->ratios, (o->nratios + 1) * sizeof(*nr));
	if (!nr)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	o->ratios = nr;
	ac_router_ratio *x = &o->ratios[o->nratios];
	x->from = ac_strdup_trim(spec, (size_t)(split - spec));
	x->to = ac_strdup_trim(split + 1, left - (size_t)(split - spec) - 1);
	x->ratio = r;
	if (!x->from || !x->to) {
		free(x->from);
		free(x->to);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	o->nratios++;
	return 0;
}

static void cascade_release(ac_router_cascade *c)
{
	free(c->task_type);
	free(c->complexity);
	for (int i = 0; i < c->n; i++)
		free(c->models[i]);
	free(c->models);
}

int ac_router_opts_cascade(ac_router_opts *o, const char *spec, ac_err *err)
{
	ac_router_cascade c;
	const char *eq = strchr(spec, '=');
	memset(&c, 0, sizeof(c));
	if (!eq || eq == spec || !eq[1])
		return ac_err_set(err, AC_EINVAL,
		                  "--cascade takes [TYPE/]CLASS=M1>M2[>M3...], not '%.100s'", spec);
	const char *slash = NULL;
	for (const char *p = spec; p < eq; p++)
		if (*p == '/')
			slash = p;
	if (slash) {
		c.task_type = ac_strdup_trim(spec, (size_t)(slash - spec));
		c.complexity = ac_strdup_trim(slash + 1, (size_t)(eq - slash - 1));
	} else {
		c.complexity = ac_strdup_trim(spec, (size_t)(eq - spec));
	}
	if ((slash && !c.task_type) || !c.complexity)
		goto oom;
	if (!c.complexity[0] || (c.task_type && !c.task_type[0])) {
		cascade_release(&c);
		return ac_err_set(err, AC_EINVAL, "--cascade %.100s: empty task type or class", spec);
	}
	for (const char *p = eq + 1;;) {
		const char *gt = strchr(p, '>');
		size_t n = gt ? (size_t)(gt - p) : strlen(p);
		char *name = ac_strdup_trim(p, n);
		if (!name)
			goto oom;
		if (!*name || c.n == MAX_STEPS) {
			free(name);
			cascade_release(&c);
			return ac_err_set(err, AC_EINVAL, "--cascade %.100s: %s", spec,
			                  c.n == MAX_STEPS ? "at most 8 models" : "empty model name");
		}
		for (int i = 0; i < c.n; i++) {
			if (!strcasecmp(c.models[i], name)) {
				free(name);
				cascade_release(&c);
				return ac_err_set(err, AC_EINVAL, "--cascade %.100s: a model appears twice",
				                  spec);
			}
		}
		char **nm = realloc(c.models, (size_t)(c.n + 1) * sizeof(*nm));
		if (!nm) {
			free(name);
			goto oom;
		}
		c.models = nm;
		c.models[c.n++] = name;
		if (!gt)
			break;
		p = gt + 1;
	}
	if (c.n < 2) {
		cascade_release(&c);
		return ac_err_set(err, AC_EINVAL, "--cascade %.100s: a cascade needs two models or more",
		                  spec);
	}
	for (size_t i = 0; i < o->ncascades; i++) {
		if (same_opt(o->cascades[i].task_type, c.task_type) &&
		    !strcmp(o->cascades[i].complexity, c.complexity)) {
			cascade_release(&c);
			return ac_err_set(err, AC_EINVAL, "--cascade %.100s: a second cascade for that class",
			                  spec);
		}
	}
	ac_router_cascade *nc = realloc(o->cascades, (o->ncascades + 1) * sizeof(*nc));
	if (!nc)
		goto oom;
	o->cascades = nc;
	o->cascades[o->ncascades++] = c;
	return 0;
oom:
	cascade_release(&c);
	return ac_err_set(err, AC_ENOMEM, "out of memory");
}

void ac_router_opts_release(ac_router_opts *o)
{
	for (size_t i = 0; i < o->nratios; i++) {
		free(o->ratios[i].from);
		free(o->ratios[i].to);
	}
	free(o->ratios);
	for (size_t i = 0; i < o->ncascades; i++)
		cascade_release(&o->cascades[i]);
	free(o->cascades);
	memset(o, 0, sizeof(*o));
}

/* ---- replay ------------------------------------------------------------- */

/* One model a class is served by (a cascade has several). */
typedef struct step {
	const char *name;
	int32_t key;           /* -1: no call or score has this identity */
	const ac_price *rows;  /* owned by the pricebook */
	int nrows;
	double fail;           /* cascade: 1 - accuracy */
	ac_accuracy acc;
} step;

/* The explicit ratios with their identities resolved. */
typedef struct ratio_key {
	int32_t from, to;
	double r;
} ratio_key;

typedef struct sim_ctx {
	ac_router_data *d;
	const ac_router_opts *o;
	ratio_key *rk;
	size_t nrk;
} sim_ctx;

static double ratio_for(const sim_ctx *x, const rcall *c, const rclass *k, int32_t to)
{
	if (c->key < 0 || to < 0 || c->key == to)
		return 1;
	for (size_t i = 0; i < x->nrk; i++)
		if (x->rk[i].from == c->key && x->rk[i].to == to)
			return x->rk[i].r;
	if (x->o && x->o->measured) {
		const ecell *a = cell_find(x->d, k->tt, k->cx, c->key);
		const ecell *b = cell_find(x->d, k->tt, k->cx, to);
		if (a && b && a->acc.n >= AC_ROUTER_MEASURED_MIN && b->acc.n >= AC_ROUTER_MEASURED_MIN &&
		    a->out_sum > 0)
			return (b->out_sum / (double)b->acc.n) / (a->out_sum / (double)a->acc.n);
	}
	return 1;
}

/* Cost of call c had step s served it, with output ratio r. */
static int cost_as(double *out, const rcall *c, const step *s, double r, ac_err *err)
{
	if (c->key >= 0 && c->key == s->key) {
		*out = c->cost; /* already that model: its recorded cost */
		return 0;
	}
	const ac_price *p = ac_price_in_force(s->rows, s->nrows, c->day);
	if (!p) {
		char day[11];
		ac_format_day(c->day, day);
		return ac_err_set(err, AC_EINVAL, "model %.100s has no price in force on %s", s->name,
		                  day);
	}
	double full = ac_cost_llm_at(p, &c->tok, c->tier, c->prompt, NULL);
	if (r == 1) {
		*out = full;
		return 0;
	}
	/* the price is linear in output (and reasoning) tokens */
	ac_tokens t = c->tok;
	t.out = 0;
	t.reasoning = 0;
	t.audio_out = 0;
	double base = ac_cost_llm_at(p, &t, c->tier, c->prompt, NULL);
	*out = base + r * (full - base);
	return 0;
}

/* Expected cost of call c of class k served by steps[0..n). */
static int call_cost(double *out, const sim_ctx *x, const rcall *c, const rclass *k,
                     const step *steps, int n, ac_err *err)
{
	double total = 0, reach = 1;
	for (int i = 0; i < n; i++) {
		double ci = 0;
		int rc = cost_as(&ci, c, &steps[i], ratio_for(x, c, k, steps[i].key), err);
		if (rc)
			return rc;
		total += reach * ci;
		reach *= steps[i].fail;
	}
	*out = total;
	return 0;
}

static int step_init(step *s, const ac_router_data *d, const char *name, ac_err *err)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->key = key_find(d, name);
	s->nrows = ac_pricebook_model(d->pb, name, &s->rows, NULL, NULL);
	if (s->nrows <= 0)
		return ac_err_set(err, AC_EINVAL,
		                  "model %.100s has no price in the price table (import one with "
		                  "`agentcost prices import`)",
		                  name);
	return 0;
}

static const ac_router_cascade *cascade_for(const ac_router_opts *o, const char *tt,
                                            const char *cx)
{
	const ac_router_cascade *dflt = NULL;
	for (size_t i = 0; o && i < o->ncascades; i++) {
		const ac_router_cascade *c = &o->cascades[i];
		if (strcmp(c->complexity, cx))
			continue;
		if (!c->task_type)
			dflt = c;
		else if (tt && !strcmp(c->task_type, tt))
			return c;
	}
	return dflt;
}

/*
 * The steps serving class k: a cascade, else the map's model; *n = 0 when
 * neither names the class. *label receives the to_model text (malloc'd).
 */
static int class_steps(step *steps, int *n, char **label, const sim_ctx *x, const rclass *k,
                       const ac_router_map *m, ac_err *err)
{
	const ac_router_data *d = x->d;
	const char *tt = st_str(&d->str, k->tt), *cx = d->str.s[k->cx];
	const ac_router_cascade *cas = cascade_for(x->o, tt, cx);
	int rc;
	*n = 0;
	*label = NULL;
	if (!cas) {
		const char *model = m ? ac_router_map_lookup(m, tt, cx) : NULL;
		if (!model)
			return 0;
		if ((rc = step_init(&steps[0], d, model, err)))
			return rc;
		const ecell *e = cell_find(d, k->tt, k->cx, steps[0].key);
		steps[0].acc = e ? e->acc : NO_ACCURACY;
		*n = 1;
		*label = strdup(model);
		return *label ? 0 : ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	size_t len = 0;
	for (int i = 0; i < cas->n; i++) {
		if ((rc = step_init(&steps[i], d, cas->models[i], err))) {
			char why[sizeof(err->msg)];
			memcpy(why, err->msg, sizeof(why)); /* the message is rewritten in place */
			return ac_err_set(err, rc, "cascade %s%s%s: %.400s",
			                  cas->task_type ? cas->task_type : "", cas->task_type ? "/" : "",
			                  cas->complexity, why);
		}
		const ecell *e = cell_find(d, k->tt, k->cx, steps[i].key);
		if (!e || !e->acc.n)
			return ac_err_set(err, AC_EINVAL,
			                  "cascade %s%s%s: no eval data for %.100s on task type %s, "
			                  "complexity %s: its failure rate is unknown",
			                  cas->task_type ? cas->task_type : "", cas->task_type ? "/" : "",
			                  cas->complexity, cas->models[i], tt ? tt : "(none)", cx);
		steps[i].acc = e->acc;
		steps[i].fail = 1 - e->acc.mean;
		len += strlen(cas->models[i]) + 1;
	}
	*n = cas->n;
	*label = malloc(len);
	if (!*label)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	(*label)[0] = '\0';
	for (int i = 0; i < cas->n; i++) {
		if (i)
			strcat(*label, ">");
		strcat(*label, cas->models[i]);
	}
	return 0;
}

/* Expected accuracy of a cascade, 1 - prod(1 - a_i), with bounds from the
 * steps' bounds (the expression is increasing in every a_i). */
static void cascade_accuracy(ac_accuracy *out, const step *steps, int n)
{
	double fm = 1, flo = 1, fhi = 1;
	size_t nmin = SIZE_MAX;
	for (int i = 0; i < n; i++) {
		fm *= 1 - steps[i].acc.mean;
		flo *= 1 - steps[i].acc.lo;
		fhi *= 1 - steps[i].acc.hi;
		if (steps[i].acc.n < nmin)
			nmin = steps[i].acc.n;
	}
	out->mean = 1 - fm;
	out->lo = 1 - flo;
	out->hi = 1 - fhi;
	out->n = nmin;
	out->binary = 0;
}

static int resolve_ratios(sim_ctx *x, ac_err *err)
{
	size_t n = x->o ? x->o->nratios : 0;
	x->rk = calloc(n ? n : 1, sizeof(*x->rk));
	if (!x->rk)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		x->rk[i].from = key_find(x->d, x->o->ratios[i].from);
		x->rk[i].to = key_find(x->d, x->o->ratios[i].to);
		x->rk[i].r = x->o->ratios[i].ratio;
		if (x->rk[i].from < 0 || x->rk[i].to < 0)
			x->rk[i].from = x->rk[i].to = -2; /* matches no call */
	}
	x->nrk = n;
	return 0;
}

static void dist_of(ac_router_dist *out, double *v, size_t n)
{
	if (!n) {
		out->mean = out->p50 = out->p99 = NAN;
		return;
	}
	out->mean = ac_mean(v, n);
	out->p50 = ac_quantile_select(v, n, 0.50);
	out->p99 = ac_quantile_select(v, n, 0.99);
}

static double diff_or_nan(double a, double b)
{
	return isnan(a) || isnan(b) ? NAN : a - b;
}

/* Cost of the calls of class k served by steps, into *out; calls not served by
 * the (single) step counted in *moved. */
static int class_cost(double *out, long long *moved, const sim_ctx *x, const rclass *k,
                      const step *steps, int n, double *delta, ac_err *err)
{
	double sum = 0;
	long long mv = 0;
	for (size_t j = 0; j < k->ngroups; j++) {
		const rcall *c = &x->d->calls[x->d->class_calls[k->first + j]];
		double v;
		int rc = call_cost(&v, x, c, k, steps, n, err);
		if (rc)
			return rc;
		sum += v;
		if (n > 1 || c->key < 0 || c->key != steps[0].key)
			mv += c->n;
		if (delta)
			delta[c->task] += v - c->cost;
	}
	*out = sum;
	if (moved)
		*moved = mv;
	return 0;
}

int ac_router_simulate(ac_router_result **out, ac_router_data *d, const ac_router_map *m,
                       const ac_router_opts *o, ac_err *err)
{
	sim_ctx x = { d, o, NULL, 0 };
	ac_router_result *r = calloc(1, sizeof(*r));
	double *delta = calloc(d->ntasks ? d->ntasks : 1, sizeof(double));
	double *before = malloc((d->ntasks ? d->ntasks : 1) * sizeof(double));
	double *after = malloc((d->ntasks ? d->ntasks : 1) * sizeof(double));
	int rc = 0;

	*out = NULL;
	if (!r || !delta || !before || !after ||
	    !(r->classes = calloc(d->nclasses ? d->nclasses : 1, sizeof(*r->classes)))) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = resolve_ratios(&x, err)))
		goto done;
	for (size_t i = 0; i < d->nclasses; i++) {
		const rclass *k = &d->classes[d->order[i]];
		ac_router_class *cl = &r->classes[r->nclasses++];
		step steps[MAX_STEPS];
		int n;
		cl->task_type = st_str(&d->str, k->tt);
		cl->complexity = d->str.s[k->cx];
		cl->from_model = st_str(&d->str, k->top);
		cl->calls = k->ncalls;
		const ecell *e = cell_find(d, k->tt, k->cx, k->top_key);
		cl->acc_from = e ? e->acc : NO_ACCURACY;
		if ((rc = class_steps(steps, &n, &cl->to_model, &x, k, m, err)))
			goto done;
		for (size_t j = 0; j < k->ngroups; j++)
			cl->baseline_cost += d->calls[d->class_calls[k->first + j]].cost;
		if (!n) {
			cl->simulated_cost = cl->baseline_cost;
			cl->acc_to = NO_ACCURACY;
			cl->accuracy_change = NAN;
			continue;
		}
		cl->cascade = n > 1;
		if ((rc = class_cost(&cl->simulated_cost, &cl->calls_moved, &x, k, steps, n, delta,
		                     err)))
			goto done;
		if (n > 1)
			cascade_accuracy(&cl->acc_to, steps, n);
		else
			cl->acc_to = steps[0].acc;
		cl->accuracy_change = diff_or_nan(cl->acc_to.mean, cl->acc_from.mean);
	}
	r->tasks = (long long)d->ntasks;
	for (size_t i = 0; i < d->ntasks; i++) {
		before[i] = d->tasks[i].cost;
		after[i] = d->tasks[i].cost + delta[i];
		r->baseline_cost += before[i];
		r->simulated_cost += after[i];
	}
	r->savings = r->baseline_cost - r->simulated_cost;
	r->savings_share = r->baseline_cost != 0 ? r->savings / r->baseline_cost : NAN;
	r->window_days = ac_router_window_days(d);
	r->monthly_savings = r->window_days > 0 ? r->savings * 30 / r->window_days
	                     : (r->savings == 0 ? 0 : NAN);
	dist_of(&r->per_task_baseline, before, d->ntasks);
	dist_of(&r->per_task_simulated, after, d->ntasks);
	*out = r;
	r = NULL;
done:
	ac_router_result_free(r);
	free(x.rk);
	free(delta);
	free(before);
	free(after);
	return rc;
}

void ac_router_result_free(ac_router_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->classes && i < r->nclasses; i++)
		free(r->classes[i].to_model);
	free(r->classes);
	free(r);
}

/* ---- floor -------------------------------------------------------------- */

typedef struct fstate {
	double cost, acc; /* acc: sum of weight x accuracy so far */
	int32_t parent;   /* index into the previous layer's states */
	int32_t choice;
} fstate;

static int fstate_cmp(const void *pa, const void *pb)
{
	const fstate *a = pa, *b = pb;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->acc != b->acc)
		return a->acc > b->acc ? -1 : 1;
	return 0;
}

int ac_router_floor_search(int *choice, double *out_cost, double *out_acc,
                           const ac_floor_class *cls, size_t ncls, double floor, ac_err *err)
{
	double wsum = 0, best = 0;
	for (size_t i = 0; i < ncls; i++) {
		double mx = -INFINITY;
		if (cls[i].n <= 0)
			return ac_err_set(err, AC_EINVAL, "floor search: a class without options");
		for (int k = 0; k < cls[i].n; k++)
			mx = cls[i].acc[k] > mx ? cls[i].acc[k] : mx;
		wsum += cls[i].weight;
		best += cls[i].weight * mx;
	}
	if (!(wsum > 0))
		return ac_err_set(err, AC_EINVAL, "floor search: no production calls to weigh");
	double target = floor * wsum, tol = 1e-12 * wsum;
	if (best < target - tol)
		return ac_err_set(err, AC_EINVAL,
		                  "no map reaches an expected accuracy of %.6g: the most accurate one "
		                  "reaches %.6g",
		                  floor, best / wsum);

	/* rest[i]: the most weighted accuracy classes i.. can still add */
	double *rest = calloc(ncls + 1, sizeof(double));
	size_t *layer = calloc(ncls + 2, sizeof(size_t)); /* layer i: states[layer[i] .. layer[i+1]) */
	fstate *st = malloc(sizeof(fstate) * 1024);
	size_t nst = 1, cap = 1024;
	int rc = 0;
	if (!rest || !layer || !st) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = ncls; i-- > 0;) {
		double mx = -INFINITY;
		for (int k = 0; k < cls[i].n; k++)
			mx = cls[i].acc[k] > mx ? cls[i].acc[k] : mx;
		rest[i] = rest[i + 1] + cls[i].weight * mx;
	}
	st[0] = (fstate){ 0, 0, -1, -1 };
	layer[0] = 0;
	layer[1] = 1;
	for (size_t i = 0; i < ncls; i++) {
		size_t from = layer[i], to = layer[i + 1], start = nst;
		for (size_t s = from; s < to; s++) {
			for (int k = 0; k < cls[i].n; k++) {
				fstate nsv = { st[s].cost + cls[i].cost[k],
					       st[s].acc + cls[i].weight * cls[i].acc[k], (int32_t)s, k };
				if (nsv.acc + rest[i + 1] < target - tol)
					continue; /* cannot reach the floor any more */
				if (nst == cap) {
					if (cap >= FLOOR_MAX_STATES) {
						rc = ac_err_set(err, AC_ELIMIT,
						                "floor search: more than %u partial maps",
						                FLOOR_MAX_STATES);
						goto done;
					}
					fstate *ns = realloc(st, 2 * cap * sizeof(*ns));
					if (!ns) {
						rc = ac_err_set(err, AC_ENOMEM, "out of memory");
						goto done;
					}
					st = ns;
					cap *= 2;
				}
				st[nst++] = nsv;
			}
		}
		/* keep the Pareto set: by cost ascending, each kept state more
		 * accurate than every cheaper one */
		qsort(st + start, nst - start, sizeof(fstate), fstate_cmp);
		size_t keep = start;
		double top = -INFINITY;
		for (size_t s = start; s < nst; s++) {
			if (st[s].acc > top + tol) {
				top = st[s].acc;
				st[keep++] = st[s];
			}
		}
		nst = keep;
		layer[i + 2] = nst;
		if (nst == start) {
			rc = ac_err_set(err, AC_EINVAL, "floor search: no partial map reaches the floor");
			goto done;
		}
	}
	/* the cheapest final state reaching the floor (the layer ascends in cost) */
	size_t pick = SIZE_MAX;
	for (size_t s = layer[ncls]; s < layer[ncls + 1] && pick == SIZE_MAX; s++)
		if (st[s].acc >= target - tol)
			pick = s;
	if (pick == SIZE_MAX) {
		rc = ac_err_set(err, AC_EINVAL, "no map reaches an expected accuracy of %.6g", floor);
		goto done;
	}
	*out_cost = st[pick].cost;
	*out_acc = st[pick].acc / wsum;
	for (size_t i = ncls, s = pick; i-- > 0;) {
		choice[i] = st[s].choice;
		s = (size_t)st[s].parent;
	}
done:
	free(rest);
	free(layer);
	free(st);
	return rc;
}

/* ---- recommend ---------------------------------------------------------- */

/* A candidate model of one class. */
typedef struct cand {
	const ecell *cell;
	const char *name; /* the identity (price-table name): what the map says */
	double cost;      /* the class's calls served by it */
	int ok;           /* its cost could be computed (priced on every call day) */
} cand;

static int cand_cmp(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->cell->acc.mean != b->cell->acc.mean)
		return a->cell->acc.mean > b->cell->acc.mean ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Cost of class k served by model name (error text dropped: a candidate that
 * cannot be priced on every call day is not a candidate). */
static int try_cost(double *out, const sim_ctx *x, const rclass *k, const char *name)
{
	ac_err e = AC_ERR_INIT;
	step s;
	if (step_init(&s, x->d, name, &e))
		return -1;
	return class_cost(out, NULL, x, k, &s, 1, NULL, &e) ? -1 : 0;
}

static void append(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;
	if (used + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, n - used, fmt, ap);
	va_end(ap);
}

/* Per class: its candidates (models with scores, priced), cheapest first. */
typedef struct cls_work {
	const rclass *k;
	cand *c;
	int n;
	double cost_m;   /* the class served by its current model */
	int m_priced;
	const ecell *m_cell;
} cls_work;

static int collect(cls_work *w, const sim_ctx *x, const rclass *k)
{
	const ac_router_data *d = x->d;
	memset(w, 0, sizeof(*w));
	w->k = k;
	w->m_cell = cell_find(d, k->tt, k->cx, k->top_key);
	w->m_priced = k->top >= 0 && try_cost(&w->cost_m, x, k, d->str.s[k->top]) == 0;
	w->c = malloc((d->ncells ? d->ncells : 1) * sizeof(cand));
	if (!w->c)
		return AC_ENOMEM;
	for (size_t i = 0; i < d->ncells; i++) {
		const ecell *e = &d->cells[i];
		if (e->tt != k->tt || e->cx != k->cx || !e->acc.n)
			continue;
		cand *c = &w->c[w->n];
		c->cell = e;
		c->name = e->key == k->top_key && k->top >= 0 ? d->str.s[k->top] : d->str.s[e->key];
		c->ok = try_cost(&c->cost, x, k, c->name) == 0;
		if (c->ok)
			w->n++;
	}
	if (w->n)
		qsort(w->c, (size_t)w->n, sizeof(cand), cand_cmp);
	return 0;
}

/* The tolerance rule for one class: the chosen candidate index, or -1 to keep
 * the current model; the reason in rec->reason. */
static int decide(const cls_work *w, const ac_recommend_opts *ro, ac_recommend_class *rec)
{
	const char *m = rec->current_model ? rec->current_model : "(no model)";
	const ecell *mc = w->m_cell;
	if (!w->m_priced) {
		snprintf(rec->reason, sizeof(rec->reason), "no price for %s: its cost is unknown", m);
		return -1;
	}
	if (!mc || !mc->acc.n) {
		snprintf(rec->reason, sizeof(rec->reason), "no eval data for %s", m);
		return -1;
	}
	if (mc->acc.n < (size_t)ro->min_samples) {
		snprintf(rec->reason, sizeof(rec->reason), "too few samples for %s: n=%zu < %d", m,
		         mc->acc.n, ro->min_samples);
		return -1;
	}
	double need = mc->acc.mean - ro->tolerance;
	int cheaper = 0;
	for (int i = 0; i < w->n; i++) {
		const cand *c = &w->c[i];
		if (c->cell->key == w->k->top_key || !(c->cost < w->cost_m))
			continue;
		cheaper++;
		if (c->cell->acc.n >= (size_t)ro->min_samples && c->cell->acc.lo >= need) {
			snprintf(rec->reason, sizeof(rec->reason),
			         "cheaper, lower bound %.4f >= %.4f - %.4g (n=%zu)", c->cell->acc.lo,
			         mc->acc.mean, ro->tolerance, c->cell->acc.n);
			return i;
		}
	}
	rec->reason[0] = '\0';
	if (!cheaper) {
		snprintf(rec->reason, sizeof(rec->reason), "no cheaper model has eval data");
		return -1;
	}
	/* why each cheaper candidate failed, cheapest first */
	for (int i = 0; i < w->n; i++) {
		const cand *c = &w->c[i];
		if (c->cell->key == w->k->top_key || !(c->cost < w->cost_m))
			continue;
		if (rec->reason[0])
			append(rec->reason, sizeof(rec->reason), "; ");
		if (c->cell->acc.n < (size_t)ro->min_samples)
			append(rec->reason, sizeof(rec->reason), "too few samples: %s n=%zu < %d",
			       c->name, c->cell->acc.n, ro->min_samples);
		else
			append(rec->reason, sizeof(rec->reason),
			       "accuracy too low: %s lower bound %.4f < %.4f - %.4g", c->name,
			       c->cell->acc.lo, mc->acc.mean, ro->tolerance);
	}
	return -1;
}

static int push_summary(ac_recommendation *r, const char *s)
{
	char **ns = realloc(r->summary, (r->nsummary + 1) * sizeof(*ns));
	if (!ns)
		return AC_ENOMEM;
	r->summary = ns;
	if (!(r->summary[r->nsummary] = strdup(s)))
		return AC_ENOMEM;
	r->nsummary++;
	return 0;
}

/* The sentences: per moved (M, M') pair, the share of the tasks routed to M
 * (a task with a call served by M) that have an M call in a class moved to
 * M', and the pair's monthly savings. */
static int summarize(ac_recommendation *r, const ac_router_data *d, const int32_t *top_key,
                     const int32_t *to_key, const ac_recommend_opts *ro)
{
	size_t nc = r->nclasses;
	char *done_ = calloc(nc ? nc : 1, 1);
	char *inpair = calloc(nc ? nc : 1, 1);
	size_t *pos = malloc((d->nclasses ? d->nclasses : 1) * sizeof(size_t));
	unsigned char *mark = calloc(d->ntasks ? d->ntasks : 1, 1);
	int rc = 0, any = 0;
	if (!done_ || !inpair || !pos || !mark) {
		rc = AC_ENOMEM;
		goto done;
	}
	for (size_t j = 0; j < d->nclasses; j++)
		pos[d->order[j]] = j; /* r->classes follow d->order */
	for (size_t i = 0; i < nc; i++) {
		const ac_recommend_class *a = &r->classes[i];
		if (!a->moved || done_[i])
			continue;
		double monthly = 0;
		for (size_t j = 0; j < nc; j++) {
			inpair[j] = j >= i && r->classes[j].moved && !done_[j] &&
			            top_key[j] == top_key[i] && to_key[j] == to_key[i] &&
			            same_opt(r->classes[j].current_model, a->current_model);
			if (inpair[j]) {
				done_[j] = 1;
				monthly += r->classes[j].monthly_savings;
			}
		}
		memset(mark, 0, d->ntasks ? d->ntasks : 1);
		for (size_t c = 0; c < d->ncalls; c++) {
			const rcall *x = &d->calls[c];
			if (x->key < 0 || x->key != top_key[i])
				continue;
			mark[x->task] |= 1;
			if (x->cls >= 0 && inpair[pos[x->cls]])
				mark[x->task] |= 2;
		}
		long long routed = 0, moved = 0;
		for (size_t t = 0; t < d->ntasks; t++) {
			routed += mark[t] & 1;
			moved += (mark[t] & 2) != 0;
		}
		double pct = routed ? 100.0 * (double)moved / (double)routed : 0;
		char s[768], ptxt[32];
		snprintf(ptxt, sizeof(ptxt), pct >= 10 || pct == 0 ? "%.0f" : "%.1f", pct);
		if (isnan(ro->accuracy_floor))
			snprintf(s, sizeof(s),
			         "%s%% of the tasks now routed to %.200s could go to %.200s with no "
			         "measurable accuracy loss, saving $%.2f/month",
			         ptxt, a->current_model, a->recommended_model, monthly);
		else
			snprintf(s, sizeof(s),
			         "%s%% of the tasks now routed to %.200s could go to %.200s with the "
			         "expected accuracy at or above %.4g, saving $%.2f/month",
			         ptxt, a->current_model, a->recommended_model, ro->accuracy_floor, monthly);
		if ((rc = push_summary(r, s)))
			goto done;
		any = 1;
	}
	if (!any)
		rc = push_summary(r, isnan(ro->accuracy_floor)
		                         ? "no class can move to a cheaper model with no measurable "
		                           "accuracy loss"
		                         : "the current map is already the cheapest one at the floor");
done:
	free(done_);
	free(inpair);
	free(pos);
	free(mark);
	return rc;
}

/* The class's non-dominated models with >= min_samples scores: by cost
 * ascending, each more accurate than every cheaper one. */
static int frontier_of(ac_recommendation *r, const cls_work *w, const ac_router_data *d,
                       const ac_recommend_opts *ro, int *idx, int *nidx)
{
	double top = -INFINITY;
	*nidx = 0;
	for (int i = 0; i < w->n; i++) {
		const cand *c = &w->c[i];
		if (c->cell->acc.n < (size_t)ro->min_samples || !(c->cell->acc.mean > top))
			continue;
		top = c->cell->acc.mean;
		idx[(*nidx)++] = i;
		ac_frontier_point *np = realloc(r->frontier, (r->nfrontier + 1) * sizeof(*np));
		if (!np)
			return AC_ENOMEM;
		r->frontier = np;
		ac_frontier_point *p = &r->frontier[r->nfrontier];
		p->task_type = st_str(&d->str, w->k->tt);
		p->complexity = d->str.s[w->k->cx];
		if (!(p->model = strdup(c->name)))
			return AC_ENOMEM;
		p->current = c->cell->key == w->k->top_key;
		p->calls = w->k->ncalls;
		p->cost = c->cost;
		p->acc = c->cell->acc;
		r->nfrontier++;
	}
	return 0;
}

/*
 * --accuracy-floor: the cost-minimal choice among each class's frontier
 * (fidx, nf) whose call-weighted expected accuracy holds ro->accuracy_floor
 * (ac_router_floor_search). Classes whose current model has too few scores
 * keep it and stay out of the average. Sets pick[] and each class's reason.
 */
static int floor_map(ac_recommendation *r, cls_work *w, size_t nc, size_t ncells,
                     const int *fidx, const int *nf, const ac_recommend_opts *ro, int *pick,
                     ac_err *err)
{
	ac_floor_class *fc = calloc(nc ? nc : 1, sizeof(*fc));
	double *costs = malloc((ncells ? ncells : 1) * (nc ? nc : 1) * sizeof(double));
	double *accs = malloc((ncells ? ncells : 1) * (nc ? nc : 1) * sizeof(double));
	size_t *which = malloc((nc ? nc : 1) * sizeof(size_t));
	int *choice = malloc((nc ? nc : 1) * sizeof(int));
	size_t nfc = 0, stride = ncells ? ncells : 1;
	double cur = 0, wsum = 0, cost = 0, acc = 0;
	int rc = 0;
	if (!fc || !costs || !accs || !which || !choice) {
		free(fc), free(costs), free(accs), free(which), free(choice);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nc; i++) {
		const ac_recommend_class *a = &r->classes[i];
		pick[i] = -1;
		if (!w[i].m_priced || !w[i].m_cell || w[i].m_cell->acc.n < (size_t)ro->min_samples) {
			continue;
		}
		ac_floor_class *f = &fc[nfc];
		f->weight = (double)a->class_calls;
		f->cost = costs + nfc * stride;
		f->acc = accs + nfc * stride;
		f->n = 0;
		const int *fi = fidx + i * stride;
		for (int j = 0; j < nf[i]; j++) {
			((double *)f->cost)[f->n] = w[i].c[fi[j]].cost;
			((double *)f->acc)[f->n] = w[i].c[fi[j]].cell->acc.mean;
			f->n++;
		}
		if (!f->n)
			continue;
		cur += f->weight * w[i].m_cell->acc.mean;
		wsum += f->weight;
		which[nfc++] = i;
	}
	if (!nfc) {
		rc = ac_err_set(err, AC_EINVAL,
		                "no class has >= %d eval scores for its current model: there is no "
		                "accuracy to hold a floor on",
		                ro->min_samples);
	} else {
		rc = ac_router_floor_search(choice, &cost, &acc, fc, nfc, ro->accuracy_floor, err);
	}
	if (!rc) {
		r->current_accuracy = cur / wsum;
		r->expected_accuracy = acc;
		for (size_t j = 0; j < nfc; j++) {
			size_t i = which[j];
			int ci = (fidx + i * stride)[choice[j]];
			ac_recommend_class *a = &r->classes[i];
			if (w[i].c[ci].cell->key != w[i].k->top_key) {
				pick[i] = ci;
				snprintf(a->reason, sizeof(a->reason),
				         "the cost-minimal map holding an expected accuracy >= %.4g",
				         ro->accuracy_floor);
			} else {
				snprintf(a->reason, sizeof(a->reason),
				         "kept by the cost-minimal map holding an expected accuracy >= "
				         "%.4g",
				         ro->accuracy_floor);
			}
		}
		for (size_t i = 0; i < nc; i++) {
			ac_recommend_class *a = &r->classes[i];
			int part = 0;
			for (size_t j = 0; j < nfc; j++)
				part |= which[j] == i;
			if (!part) {
				(void)decide(&w[i], ro, a); /* why it cannot move */
				if (w[i].m_cell && w[i].m_cell->acc.n >= (size_t)ro->min_samples)
					snprintf(a->reason, sizeof(a->reason), "kept: out of the floor search");
			}
		}
	}
	free(fc), free(costs), free(accs), free(which), free(choice);
	return rc;
}

/* The recommended map: M' for moved classes (pick >= 0), M for kept ones
 * (unless M has no price: then the class is left out and keeps its recorded
 * cost); each class's recommendation and to_key, the model key it ends on. */
static int recommended_map(ac_recommendation *r, const cls_work *w, size_t nc, const int *pick,
                           const int32_t *top_key, int32_t *to_key, ac_err *err)
{
	int rc;
	for (size_t i = 0; i < nc; i++) {
		ac_recommend_class *a = &r->classes[i];
		const char *model = pick[i] >= 0 ? w[i].c[pick[i]].name
		                    : (w[i].m_priced ? a->current_model : NULL);
		a->moved = pick[i] >= 0;
		to_key[i] = pick[i] >= 0 ? w[i].c[pick[i]].cell->key : top_key[i];
		if (pick[i] >= 0) {
			a->recommended = w[i].c[pick[i]].cell->acc;
			a->recommended_cost = w[i].c[pick[i]].cost;
		} else {
			a->recommended = a->current;
			a->recommended_cost = a->current_cost;
		}
		const char *shown = model ? model : a->current_model;
		a->recommended_model = shown ? strdup(shown) : NULL;
		if (shown && !a->recommended_model)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		if (model && (rc = ac_router_map_set(r->map, a->task_type, a->complexity, model, err)))
			return rc;
	}
	return 0;
}

int ac_router_recommend(ac_recommendation **out, ac_router_data *d, const ac_router_opts *o,
                        const ac_recommend_opts *ro_in, ac_err *err)
{
	ac_recommend_opts ro = ro_in ? *ro_in : (ac_recommend_opts)AC_RECOMMEND_OPTS_INIT;
	ac_router_opts ratios_only = AC_ROUTER_OPTS_INIT;
	sim_ctx x = { d, NULL, NULL, 0 };
	size_t nc = d->nclasses;
	cls_work *w = calloc(nc ? nc : 1, sizeof(*w));
	int *pick = malloc((nc ? nc : 1) * sizeof(int));
	int32_t *to_key = malloc((nc ? nc : 1) * sizeof(int32_t));
	int32_t *top_key = malloc((nc ? nc : 1) * sizeof(int32_t));
	int *fidx = malloc((d->ncells ? d->ncells : 1) * sizeof(int) * (nc ? nc : 1));
	int *nf = calloc(nc ? nc : 1, sizeof(int));
	ac_recommendation *r = calloc(1, sizeof(*r));
	int rc = 0;

	*out = NULL;
	if (o) {
		ratios_only = *o;
		ratios_only.cascades = NULL;
		ratios_only.ncascades = 0;
	}
	x.o = &ratios_only;
	if (!w || !pick || !to_key || !top_key || !fidx || !nf || !r ||
	    !(r->classes = calloc(nc ? nc : 1, sizeof(*r->classes))) || ac_router_map_new(&r->map))
		goto oom;
	if ((rc = resolve_ratios(&x, err)))
		goto done;
	r->tolerance = ro.tolerance;
	r->min_samples = ro.min_samples;
	r->accuracy_floor = ro.accuracy_floor;
	r->current_accuracy = r->expected_accuracy = NAN;
	r->window_days = ac_router_window_days(d);

	for (size_t i = 0; i < nc; i++) {
		const rclass *k = &d->classes[d->order[i]];
		ac_recommend_class *a = &r->classes[r->nclasses++];
		if (collect(&w[i], &x, k))
			goto oom;
		a->task_type = st_str(&d->str, k->tt);
		a->complexity = d->str.s[k->cx];
		a->current_model = st_str(&d->str, k->top);
		a->class_calls = k->ncalls;
		a->current = w[i].m_cell ? w[i].m_cell->acc : NO_ACCURACY;
		a->current_cost = w[i].m_priced ? w[i].cost_m : NAN;
		top_key[i] = k->top_key;
		pick[i] = decide(&w[i], &ro, a);
		if ((rc = frontier_of(r, &w[i], d, &ro, fidx + i * (d->ncells ? d->ncells : 1), &nf[i])))
			goto oom;
	}

	if (!isnan(ro.accuracy_floor) &&
	    (rc = floor_map(r, w, nc, d->ncells, fidx, nf, &ro, pick, err)))
		goto done;

	if ((rc = recommended_map(r, w, nc, pick, top_key, to_key, err)))
		goto done;
	/* one code path: the savings are the simulator's on that map */
	if ((rc = ac_router_simulate(&r->sim, d, r->map, &ratios_only, err)))
		goto done;
	for (size_t i = 0; i < nc; i++) {
		ac_recommend_class *a = &r->classes[i];
		const ac_router_class *s = &r->sim->classes[i];
		a->calls = s->to_model ? s->calls_moved : 0;
		double saved = s->baseline_cost - s->simulated_cost;
		a->monthly_savings = r->window_days > 0 ? saved * 30 / r->window_days
		                     : (saved == 0 ? 0 : NAN);
	}
	r->monthly_savings = r->sim->monthly_savings;
	if (summarize(r, d, top_key, to_key, &ro))
		goto oom;
	*out = r;
	r = NULL;
	goto done;
oom:
	rc = ac_err_set(err, AC_ENOMEM, "out of memory");
done:
	for (size_t i = 0; w && i < nc; i++)
		free(w[i].c);
	free(w);
	free(pick);
	free(to_key);
	free(top_key);
	free(fidx);
	free(nf);
	free(x.rk);
	ac_recommendation_free(r);
	return rc;
}

void ac_recommendation_free(ac_recommendation *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->classes && i < r->nclasses; i++)
		free(r->classes[i].recommended_model);
	free(r->classes);
	for (size_t i = 0; i < r->nsummary; i++)
		free(r->summary[i]);
	free(r->summary);
	for (size_t i = 0; i < r->nfrontier; i++)
		free(r->frontier[i].model);
	free(r->frontier);
	ac_router_map_free(r->map);
	ac_router_result_free(r->sim);
	free(r);
}
