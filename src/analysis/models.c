/*
 * Model-selection analytics (models.h): the rows of models.sql and
 * models_scores.sql merged per (task type, complexity, model); with --by,
 * models_by.sql's per value, each given its class's scores.
 */
#include "models.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/cmp.h"
#include "dims.h"

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The row of (k, task_type, complexity, model), created when new; NULL on
 * OOM. k: r->nkeys --by values (NULL: none). */
static ac_models_row *row_of(ac_models_result *r, const char *const *k, const char *tt,
                             const char *cx, const char *model)
{
	/* key: a presence flag and the text of each part, NUL-separated */
	size_t ntt = tt ? strlen(tt) : 0, ncx = strlen(cx), nm = model ? strlen(model) : 0;
	size_t nk[2] = { 0, 0 };
	for (size_t i = 0; i < r->nkeys; i++)
		nk[i] = k[i] ? strlen(k[i]) : 0;
	size_t kn = ntt + ncx + nm + 5 + nk[0] + nk[1] + 2 * r->nkeys;
	char *key = malloc(kn);
	if (!key)
		return NULL;
	char *p = key;
	for (size_t i = 0; i < r->nkeys; i++) {
		*p++ = k[i] ? 'K' : 'N';
		memcpy(p, k[i] ? k[i] : "", nk[i]);
		p += nk[i];
		*p++ = 0;
	}
	*p++ = tt ? 'T' : 'N';
	memcpy(p, tt ? tt : "", ntt);
	p += ntt;
	*p++ = 0;
	memcpy(p, cx, ncx);
	p += ncx;
	*p++ = 0;
	*p++ = model ? 'M' : 'N';
	memcpy(p, model ? model : "", nm);
	p += nm;
	*p = 0;
	int64_t i;
	if (ac_map_get(&r->index, key, kn, &i)) {
		free(key);
		return &r->v[i];
	}
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		ac_models_row *v = realloc(r->v, nc * sizeof(*v));
		if (!v) {
			free(key);
			return NULL;
		}
		r->v = v;
		r->cap = nc;
	}
	ac_models_row *x = &r->v[r->n];
	memset(x, 0, sizeof(*x));
	x->task_type = dup_opt(tt);
	x->complexity = strdup(cx);
	x->model = dup_opt(model);
	int oom = 0;
	for (size_t j = 0; j < r->nkeys; j++)
		oom |= k[j] && !(x->k[j] = strdup(k[j]));
	if (oom || (tt && !x->task_type) || !x->complexity || (model && !x->model) ||
	    ac_map_put(&r->index, key, kn, (int64_t)r->n)) {
		free(x->k[0]);
		free(x->k[1]);
		free(x->task_type);
		free(x->complexity);
		free(x->model);
		free(key);
		return NULL;
	}
	free(key);
	r->n++;
	return x;
}

static int row_cmp(const void *pa, const void *pb)
{
	const ac_models_row *a = pa, *b = pb;
	int c = ac_cmp_opt(a->k[0], b->k[0]);
	if (!c)
		c = ac_cmp_opt(a->k[1], b->k[1]);
	if (!c)
		c = ac_cmp_opt(a->task_type, b->task_type);
	if (!c)
		c = strcmp(a->complexity, b->complexity);
	if (!c)
		c = ac_cmp_opt(a->model, b->model);
	return c;
}

/* Read models.sql (scored = 0) or models_scores.sql (scored = 1) over q into
 * window w. */
static int read_window(ac_store *s, ac_models_result *r, int scored, int w, const ac_query *q,
                       ac_err *err)
{
	ac_rows *rows;
	const char *name = scored ? "models_scores.sql" : "models.sql";
	int rc = ac_store_rows(s, name, q->since_ns, q->until_ns, q->system, 0, &rows, err);
	if (rc)
		return rc;
	while ((rc = ac_rows_next(rows, err)) == 1) {
		const char *cx = ac_rows_text(rows, 1);
		ac_models_row *x = row_of(r, NULL, ac_rows_text(rows, 0), cx ? cx : "",
		                          ac_rows_text(rows, 2));
		if (!x) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		if (scored) {
			x->sc[w].n += ac_rows_int(rows, 3);
			x->sc[w].sum += ac_rows_double(rows, 4);
			x->sc[w].sq += ac_rows_double(rows, 5);
			x->sc[w].partial += ac_rows_int(rows, 6);
		} else {
			x->calls[w] += ac_rows_int(rows, 3);
			x->tokens_in[w] += ac_rows_int(rows, 4);
			x->tokens_out[w] += ac_rows_int(rows, 5);
			x->cost[w] += ac_rows_double(rows, 6);
		}
	}
	ac_rows_free(rows);
	return rc;
}

/* A models_by query over q's q_task (model position and filter as ?4, ?5). */
static int open_by(ac_store *s, const ac_query *q, const char *name, const ac_dims_info *info,
                   ac_rows **rows, ac_err *err)
{
	int rc = ac_store_rows(s, name, q->since_ns, q->until_ns, q->system, AC_ROWS_SCAN, rows,
	                       err);
	if (rc)
		return rc;
	ac_rows_bind_int(*rows, 4, info->model_pos);
	ac_rows_bind_text(*rows, 5, info->model_where);
	return 0;
}

/* models_by.sql over q (its dimensions) into window w of r. */
static int read_calls_by(ac_store *s, ac_models_result *r, int w, const ac_query *q, ac_err *err)
{
	ac_dims_info info;
	int rc = ac_dims_prepare(s, q, &info, err);
	if (rc)
		return rc;
	ac_rows *rows;
	if ((rc = open_by(s, q, "models_by.sql", &info, &rows, err)))
		return rc;
	while ((rc = ac_rows_next(rows, err)) == 1) {
		const char *k[2] = { ac_rows_text(rows, 0), ac_rows_text(rows, 1) };
		const char *cx = ac_rows_text(rows, 3);
		ac_models_row *x = row_of(r, k, ac_rows_text(rows, 2), cx ? cx : "",
		                          ac_rows_text(rows, 4));
		if (!x) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		x->calls[w] += ac_rows_int(rows, 5);
		x->tokens_in[w] += ac_rows_int(rows, 6);
		x->tokens_out[w] += ac_rows_int(rows, 7);
		x->cost[w] += ac_rows_double(rows, 8);
	}
	ac_rows_free(rows);
	return rc;
}

/* Each row's class scores (window w) from the eval runs of q's window and
 * system, whoever's (models.h). */
static int class_scores(ac_store *s, ac_models_result *r, int w, const ac_query *q, ac_err *err)
{
	ac_models_result cls;
	memset(&cls, 0, sizeof(cls));
	ac_map_init(&cls.index, 0);
	int rc = read_window(s, &cls, 1, 0, q, err);
	for (size_t i = 0; !rc && i < r->n; i++) {
		ac_models_row *x = &r->v[i];
		ac_models_row *c = row_of(&cls, NULL, x->task_type, x->complexity, x->model);
		if (!c)
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		else
			x->sc[w] = c->sc[0];
	}
	ac_models_result_free(&cls);
	return rc;
}

static int run_by(ac_store *s, const ac_query *q, const ac_query *prev, ac_models_result *out,
                  ac_err *err)
{
	out->nkeys = q->nby;
	int rc;
	/* the calls of both windows first, so every row gets both scores */
	if ((rc = read_calls_by(s, out, 0, q, err)) ||
	    (prev && (rc = read_calls_by(s, out, 1, prev, err))) ||
	    (rc = class_scores(s, out, 0, q, err)) ||
	    (prev && (rc = class_scores(s, out, 1, prev, err))))
		return rc;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), row_cmp);
	for (size_t i = 0; i < out->n; i++)
		out->total_cost += out->v[i].cost[0];
	return 0;
}

/* ---- With --by and no previous window: one row at a time ------------- */

struct ac_models_iter {
	ac_rows *rows;
	ac_models_result cls; /* the classes' eval scores (few: not per value) */
	ac_models_result one; /* the row handed out, and the total */
	ac_models_row row;
};

static void row_release(ac_models_row *x)
{
	free(x->k[0]);
	free(x->k[1]);
	free(x->task_type);
	free(x->complexity);
	free(x->model);
	memset(x, 0, sizeof(*x));
}

int ac_models_by_open(ac_store *s, const ac_query *q, ac_models_iter **out, ac_err *err)
{
	ac_dims_info info;
	*out = NULL;
	int rc = ac_dims_prepare(s, q, &info, err);
	if (rc)
		return rc;
	ac_models_iter *it = calloc(1, sizeof(*it));
	if (!it)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	ac_map_init(&it->cls.index, 0);
	ac_map_init(&it->one.index, 0);
	it->one.v = &it->row;
	it->one.nkeys = q->nby;
	ac_rows *tot = NULL;
	if ((rc = read_window(s, &it->cls, 1, 0, q, err)) ||
	    (rc = open_by(s, q, "models_by_total.sql", &info, &tot, err)))
		goto fail;
	if ((rc = ac_rows_next(tot, err)) == 1)
		it->one.total_cost = ac_rows_double(tot, 0);
	ac_rows_free(tot);
	if (rc < 0 || (rc = open_by(s, q, "models_by.sql", &info, &it->rows, err)))
		goto fail;
	*out = it;
	return 0;
fail:
	ac_models_by_close(it);
	return rc;
}

int ac_models_by_next(ac_models_iter *it, const ac_models_result **out, ac_err *err)
{
	row_release(&it->row);
	it->one.n = 0;
	int rc = ac_rows_next(it->rows, err);
	if (rc != 1)
		return rc;
	ac_models_row *x = &it->row;
	ac_rows *r = it->rows;
	const char *k0 = it->one.nkeys > 0 ? ac_rows_text(r, 0) : NULL;
	const char *k1 = it->one.nkeys > 1 ? ac_rows_text(r, 1) : NULL;
	const char *tt = ac_rows_text(r, 2), *cx = ac_rows_text(r, 3), *m = ac_rows_text(r, 4);
	int oom = (k0 && !(x->k[0] = strdup(k0))) | (k1 && !(x->k[1] = strdup(k1))) |
	          (tt && !(x->task_type = strdup(tt))) | !(x->complexity = strdup(cx ? cx : "")) |
	          (m && !(x->model = strdup(m)));
	ac_models_row *c = oom ? NULL : row_of(&it->cls, NULL, x->task_type, x->complexity, x->model);
	if (!c)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	x->sc[0] = c->sc[0];
	x->calls[0] = ac_rows_int(r, 5);
	x->tokens_in[0] = ac_rows_int(r, 6);
	x->tokens_out[0] = ac_rows_int(r, 7);
	x->cost[0] = ac_rows_double(r, 8);
	it->one.n = 1;
	*out = &it->one;
	return 1;
}

void ac_models_by_close(ac_models_iter *it)
{
	if (!it)
		return;
	ac_rows_free(it->rows);
	row_release(&it->row);
	ac_models_result_free(&it->cls);
	ac_map_release(&it->one.index);
	free(it);
}

int ac_models_run(ac_store *s, const ac_query *q, const ac_query *prev, ac_models_result *out,
                  ac_err *err)
{
	memset(out, 0, sizeof(*out));
	ac_map_init(&out->index, 0);
	if (q->dims)
		return run_by(s, q, prev, out, err);
	if (q->nby || q->nwhere || (prev && (prev->nby || prev->nwhere)))
		return ac_err_set(err, AC_EINVAL, "models: no grouping or filter by attribute yet");
	int rc;
	if ((rc = read_window(s, out, 0, 0, q, err)) || (rc = read_window(s, out, 1, 0, q, err)))
		return rc;
	if (prev &&
	    ((rc = read_window(s, out, 0, 1, prev, err)) || (rc = read_window(s, out, 1, 1, prev, err))))
		return rc;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), row_cmp);
	for (size_t i = 0; i < out->n; i++)
		out->total_cost += out->v[i].cost[0];
	return 0;
}

void ac_models_result_free(ac_models_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].k[0]);
		free(r->v[i].k[1]);
		free(r->v[i].task_type);
		free(r->v[i].complexity);
		free(r->v[i].model);
	}
	free(r->v);
	ac_map_release(&r->index);
	memset(r, 0, sizeof(*r));
}

void ac_models_figures_of(ac_models_figures *out, const ac_models_result *r,
                          const ac_models_row *x, int w)
{
	ac_accuracy_of_sums(&out->acc, &x->sc[w], AC_MODELS_CONFIDENCE);
	out->cost_per_call = x->calls[w] ? x->cost[w] / (double)x->calls[w] : NAN;
	out->cost_share = w == 0 && r->total_cost > 0 ? x->cost[0] / r->total_cost : NAN;
	out->cost_per_success = out->acc.mean > 0 ? out->cost_per_call / out->acc.mean : NAN;
}

void ac_models_change_of(ac_models_change *out, const ac_models_result *r,
                         const ac_models_row *x)
{
	ac_models_figures_of(&out->now, r, x, 0);
	ac_models_figures_of(&out->prev, r, x, 1);
	out->calls = x->calls[0] - x->calls[1];
	out->cost = x->cost[0] - x->cost[1];
	out->accuracy = isnan(out->now.acc.mean) || isnan(out->prev.acc.mean)
	                        ? NAN
	                        : out->now.acc.mean - out->prev.acc.mean;
}

/* The fields a table of the rows can show, by column name. */
typedef enum {
	F_NONE, F_TASK_TYPE, F_COMPLEXITY, F_MODEL, F_CALLS, F_TOKENS_IN, F_TOKENS_OUT, F_COST,
	F_COST_SHARE, F_COST_PER_CALL, F_ACCURACY, F_ACCURACY_N, F_ACCURACY_LO, F_ACCURACY_HI,
	F_COST_PER_SUCCESS, F_PREV_CALLS, F_PREV_COST, F_PREV_ACCURACY, F_CALLS_CHANGE,
	F_COST_CHANGE, F_ACCURACY_CHANGE
} field;

static const char *const field_names[] = {
	"", "task_type", "complexity", "model", "calls", "tokens_in", "tokens_out", "cost",
	"cost_share", "cost_per_call", "accuracy", "accuracy_n", "accuracy_lo", "accuracy_hi",
	"cost_per_success", "prev_calls", "prev_cost", "prev_accuracy", "calls_change",
	"cost_change", "accuracy_change"
};

static field field_of(const char *name)
{
	for (size_t i = 1; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (strcmp(name, field_names[i]) == 0)
			return (field)i;
	return F_NONE;
}

static void fill_cell(ac_table *t, const ac_models_row *x, const ac_models_change *ch, field k,
                      ac_cell_type show)
{
	const ac_models_figures *f = &ch->now;
	switch (k) {
	case F_NONE: ac_table_null(t); break;
	case F_TASK_TYPE: ac_table_text(t, x->task_type); break;
	case F_COMPLEXITY: ac_table_text(t, x->complexity); break;
	case F_MODEL: ac_table_text(t, x->model); break;
	case F_CALLS: ac_table_int(t, x->calls[0]); break;
	case F_TOKENS_IN: ac_table_int(t, x->tokens_in[0]); break;
	case F_TOKENS_OUT: ac_table_int(t, x->tokens_out[0]); break;
	case F_COST: ac_table_num_shown(t, show, x->cost[0]); break;
	case F_COST_SHARE: ac_table_num_shown(t, show, f->cost_share); break;
	case F_COST_PER_CALL: ac_table_num_shown(t, show, f->cost_per_call); break;
	case F_ACCURACY: ac_table_num_shown(t, show, f->acc.mean); break;
	case F_ACCURACY_N: ac_table_int(t, (long long)f->acc.n); break;
	case F_ACCURACY_LO: ac_table_num_shown(t, show, f->acc.lo); break;
	case F_ACCURACY_HI: ac_table_num_shown(t, show, f->acc.hi); break;
	case F_COST_PER_SUCCESS: ac_table_num_shown(t, show, f->cost_per_success); break;
	case F_PREV_CALLS: ac_table_int(t, x->calls[1]); break;
	case F_PREV_COST: ac_table_num_shown(t, show, x->cost[1]); break;
	case F_PREV_ACCURACY: ac_table_num_shown(t, show, ch->prev.acc.mean); break;
	case F_CALLS_CHANGE: ac_table_int(t, ch->calls); break;
	case F_COST_CHANGE: ac_table_num_shown(t, show, ch->cost); break;
	case F_ACCURACY_CHANGE: ac_table_num_shown(t, show, ch->accuracy); break;
	}
}

/* The rows into t; the first nkeys columns are the rows' --by values. */
static void fill(ac_table *t, const ac_models_result *r, size_t nkeys, const char *const *names,
                 const ac_cell_type *shows, int ncol)
{
	for (size_t i = 0; i < r->n; i++) {
		ac_models_change ch;
		ac_models_change_of(&ch, r, &r->v[i]);
		for (int k = 0; k < ncol; k++) {
			if ((size_t)k < nkeys)
				ac_table_text(t, r->v[i].k[k]);
			else
				fill_cell(t, &r->v[i], &ch, field_of(names[k]),
				          shows ? shows[k] : AC_CELL_NUM);
		}
	}
}

void ac_models_table_fill(ac_table *t, const ac_models_result *r, const char *const *names,
                          const ac_cell_type *shows, int ncol)
{
	fill(t, r, 0, names, shows, ncol);
}

void ac_models_table_fill_by(ac_table *t, const ac_models_result *r, const char *const *names,
                             const ac_cell_type *shows, int ncol)
{
	fill(t, r, r->nkeys, names, shows, ncol);
}
