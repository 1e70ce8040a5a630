/*
 * Model-selection analytics, the weekly question: per task type x complexity
 * class x model, the production LLM calls (calls, tokens, cost, share of all
 * production LLM cost in the window, mean cost per call) next to the model's
 * accuracy on that class of work from the eval runs (mean agentcost.eval.score,
 * n, a 95% interval: Wilson for 0/1 scores, t otherwise, clamped to [0, 1];
 * accuracy.h), and the cost per successful outcome = cost per call / accuracy.
 * A row exists when the class has production calls, eval scores, or both.
 * `agentcost models` prints the result, the weekly report lays it out.
 *
 * Optionally a previous window beside it (`models --compare-previous`): the
 * same sums for it in the rows' [1] half; rows present only in the previous
 * window are listed too.
 *
 * Rows from queries/models.sql (calls, tokens, cost) and
 * queries/models_scores.sql (eval score sums).
 *
 * With --by/--where (q->dims, issue #17): the rows are per value (pair) of
 * the --by dimensions x task type x complexity x model, from
 * queries/models_by.sql: the production calls of the tasks having that value
 * (dims.h's q_task; model: each call's own). The accuracy columns are the
 * class's (task type x complexity x model) over all the window's eval runs,
 * whoever's: eval runs are not a user's work, and a model's accuracy on a
 * kind of work does not depend on who asked; so a row exists only when the
 * value made production calls. cost_share is of the kept tasks' cost.
 */
#ifndef AC_MODELS_H
#define AC_MODELS_H

#include "../store/store.h"
#include "../util/err.h"
#include "../util/map.h"
#include "../util/table.h"
#include "accuracy.h"
#include "query.h"

#define AC_MODELS_CONFIDENCE 0.95

typedef struct ac_models_row {
	char *k[2];   /* with --by: the values (owned; NULL past nkeys) */
	char *task_type, *complexity, *model; /* owned; task_type/model may be NULL */
	/* [0] the window, [1] the previous window */
	long long calls[2], tokens_in[2], tokens_out[2];
	double cost[2];
	ac_score_sums sc[2];
} ac_models_row;

typedef struct ac_models_result {
	ac_models_row *v; /* by task type, complexity, model (NULL first) */
	size_t n, cap;
	double total_cost; /* all production LLM cost in the window */
	size_t nkeys;      /* with q->dims: q->nby (the rows' k) */
	ac_map index;
} ac_models_result;

/*
 * With --by and no previous window: the rows one at a time in key order, so
 * memory does not grow with the number of values (a million users). Each
 * ac_models_by_next hands out a result of one row (n = 1) with the whole
 * question's total_cost, for ac_models_table_fill_by; valid until the next
 * call. 1, 0 at the end, or an error code.
 */
typedef struct ac_models_iter ac_models_iter;
int ac_models_by_open(ac_store *s, const ac_query *q, ac_models_iter **out, ac_err *err);
int ac_models_by_next(ac_models_iter *it, const ac_models_result **out, ac_err *err);
void ac_models_by_close(ac_models_iter *it);

/* What a row's sums mean, for window w (0 the window, 1 the previous). */
typedef struct ac_models_figures {
	ac_accuracy acc;        /* at AC_MODELS_CONFIDENCE */
	double cost_share;      /* of total_cost; NAN when it is 0 (w = 0 only) */
	double cost_per_call;   /* NAN: no calls */
	double cost_per_success; /* cost per call / accuracy; NAN: no accuracy */
} ac_models_figures;

/* The rows of q's window, and of prev's beside them when prev is not NULL
 * (with the same dimensions as q). Returns 0, AC_EINVAL (a bad --by or
 * --where), AC_ESQL or AC_ENOMEM; free *out with ac_models_result_free
 * either way. */
int ac_models_run(ac_store *s, const ac_query *q, const ac_query *prev, ac_models_result *out,
                  ac_err *err);
void ac_models_result_free(ac_models_result *r);
void ac_models_figures_of(ac_models_figures *out, const ac_models_result *r,
                          const ac_models_row *x, int w);

/* A row's window against the previous window (ac_models_run with prev). */
typedef struct ac_models_change {
	ac_models_figures now, prev; /* ac_models_figures_of w = 0 and 1 */
	long long calls;             /* calls[0] - calls[1] */
	double cost;                 /* cost[0] - cost[1] */
	double accuracy;             /* now.acc.mean - prev.acc.mean; NAN when either is */
} ac_models_change;

void ac_models_change_of(ac_models_change *out, const ac_models_result *r,
                         const ac_models_row *x);

/* One row of t per row of r; column k is the field named names[k] (the
 * command's and the report's headers: task_type, complexity, model, calls,
 * tokens_in, tokens_out, cost, cost_share, cost_per_call, accuracy,
 * accuracy_n, accuracy_lo, accuracy_hi, cost_per_success, and with prev:
 * prev_calls, prev_cost, prev_accuracy, calls_change, cost_change,
 * accuracy_change; another name: a null cell), a number shown as shows[k]
 * (ac_table_num_shown), or plain (AC_CELL_NUM) when shows is NULL. */
void ac_models_table_fill(ac_table *t, const ac_models_result *r, const char *const *names,
                          const ac_cell_type *shows, int ncol);
/* The same with the first r->nkeys columns the rows' --by values (names[0 ..
 * nkeys) are the dimensions' columns, not looked up). */
void ac_models_table_fill_by(ac_table *t, const ac_models_result *r, const char *const *names,
                             const ac_cell_type *shows, int ncol);

#endif
