/*
 * Model-selection analytics (models.h): the rows of models.sql and
 * models_scores.sql merged per (task type, complexity, model).
 */
#include "models.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/cmp.h"

static char *dup_opt(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The row of (task_type, complexity, model), created when new; NULL on OOM. */
static ac_models_row *row_of(ac_models_result *r, const char *tt, const char *cx,
                             const char *model)
{
	/* key: a presence flag and the text of each part, NUL-separated */
	size_t ntt = tt ? strlen(tt) : 0, ncx = strlen(cx), nm = model ? strlen(model) : 0;
	size_t kn = ntt + ncx + nm + 5;
	char *key = malloc(kn);
	if (!key)
		return NULL;
	char *p = key;
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
	if ((tt && !x->task_type) || !x->complexity || (model && !x->model) ||
	    ac_map_put(&r->index, key, kn, (int64_t)r->n)) {
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
	int c = ac_cmp_opt(a->task_type, b->task_type);
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
		ac_models_row *x = row_of(r, ac_rows_text(rows, 0), cx ? cx : "", ac_rows_text(rows, 2));
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

int ac_models_run(ac_store *s, const ac_query *q, const ac_query *prev, ac_models_result *out,
                  ac_err *err)
{
	memset(out, 0, sizeof(*out));
	ac_map_init(&out->index, 0);
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

void ac_models_table_fill(ac_table *t, const ac_models_result *r, const char *const *names,
                          const ac_cell_type *shows, int ncol)
{
	for (size_t i = 0; i < r->n; i++) {
		ac_models_change ch;
		ac_models_change_of(&ch, r, &r->v[i]);
		for (int k = 0; k < ncol; k++)
			fill_cell(t, &r->v[i], &ch, field_of(names[k]), shows ? shows[k] : AC_CELL_NUM);
	}
}
