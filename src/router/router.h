/*
 * The router simulator and recommender: what the production traffic would
 * have cost under another complexity -> model routing map, and which map to
 * route by. It sits after the store, the pricing and the accuracy analysis:
 * it reads the production LLM calls and the eval scores of a window once
 * (ac_router_data_load), then replays any number of maps over them in memory.
 *
 * A map names, per complexity class (agentcost.complexity, span.complexity_eff)
 * and optionally per task type, the model that serves it. CSV, header
 * required, columns in any order:
 *     task_type,complexity,model      (task_type optional; empty = every type)
 * A row with a task type beats the row without one for the same class.
 *
 * Replay. Over the production (non-eval) tasks that start in the window, each
 * LLM call with a class the map names is re-priced as if the mapped model had
 * served it: the same input, cache-read, cache-write, output and reasoning
 * tokens, at the mapped model's price in force on the call's start day, through
 * src/pricing (ac_pricebook_model, ac_price_in_force, ac_cost_llm: one pricing
 * code path). Everything else keeps its recorded cost: calls without a class,
 * classes the map does not name, tool calls, and calls whose model already is
 * the mapped one. A task's simulated cost is its recorded cost plus the
 * differences of its re-priced calls.
 *
 * Model identity. Two names are the same model when the price table resolves
 * them to the same entry ("claude-3-5-sonnet-20241022" and "claude-3-5-sonnet",
 * see pricing.h), else when they are equal ignoring case. Eval scores are
 * grouped by that identity, so a map may name "gpt-4o-mini" while the traces
 * say "gpt-4o-mini-2024-07-18".
 *
 * Output verbosity. A FROM:TO=R output ratio scales the output tokens (and the
 * reasoning tokens in proportion) of calls moved from FROM to TO; "measured"
 * takes R = mean output tokens of TO / of FROM on the scored eval calls of the
 * same task type and class, when both have >= AC_ROUTER_MEASURED_MIN of them.
 * Since the price formula is linear in the output tokens, the scaled cost is
 * cost(no output) + R (cost - cost(no output)), both from ac_cost_llm.
 *
 * Cascades (FrugalGPT, Chen, Zaharia and Zou 2023): "CLASS=M1>M2[>M3...]" or
 * "TYPE/CLASS=..." serves a class by trying M1 first and escalating on failure.
 * With f_i = 1 - accuracy of M_i on (task type, class) from the eval scores,
 * the expected cost of a call is c1 + f1 c2 + f1 f2 c3 + ... (failed attempts
 * are paid for) and its expected accuracy 1 - f1 f2 ... fk (failures taken as
 * detected and independent). A cascade replaces the map's choice for its class;
 * a step without eval data is an error.
 *
 * Accuracy is what `agentcost models` reports: the mean agentcost.eval.score of
 * the eval calls of (task type, class, model) in the window, with a 95%
 * interval from src/analysis/accuracy.h (Wilson for 0/1 scores, else t).
 *
 * Recommendation. For each class, M is the model that served most of its
 * production calls. Among the models with eval scores on the class, the
 * recommended one is the model with the lowest simulated cost for the class's
 * own calls among M and the models with >= min_samples scores whose lower
 * bound is >= accuracy(M) - tolerance; M needs >= min_samples scores itself
 * (no evidence, no move). With an accuracy floor A instead, the map is the
 * cost-minimal choice per class whose traffic-weighted mean accuracy (weights:
 * production calls per class) is >= A, found exactly (ac_router_floor_search).
 * Savings always come from ac_router_simulate on the recommended map, so
 * `recommend` and `simulate` of the written map agree.
 */
#ifndef AC_ROUTER_H
#define AC_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "../analysis/accuracy.h"
#include "../pricing/pricing.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/table.h"

#define AC_ROUTER_CONFIDENCE 0.95  /* two-sided interval of accuracies */
#define AC_ROUTER_MEASURED_MIN 30  /* scored calls per side for a measured output ratio */

/* Data ------------------------------------------------------------------ */

/* The window replayed: tasks starting in [since_ns, until_ns) of system. */
typedef struct ac_router_window {
	int64_t since_ns;   /* INT64_MIN: open */
	int64_t until_ns;   /* exclusive; INT64_MAX: open */
	const char *system; /* NULL: every system */
} ac_router_window;

typedef struct ac_router_data ac_router_data;

/*
 * Read the production tasks and LLM calls of the window and the eval scores
 * (queries/router_tasks.sql, router_calls.sql, router_scores.sql). pb is
 * borrowed and must outlive the data. A store that answers
 * router_groups.sql (ClickHouse) is read another way: the call groups summed
 * over every task by key, and the per-task figures of each replay computed
 * by the server (router_after.sql); s is then borrowed too and must stay
 * open while the data is used. Returns 0, AC_ESQL or AC_ENOMEM.
 * Free with ac_router_data_free().
 */
int ac_router_data_load(ac_router_data **out, ac_store *s, ac_pricebook *pb,
                        const ac_router_window *w, ac_err *err);
void ac_router_data_free(ac_router_data *d);

/* Days the window spans: (until - since) / 1 day with both bounds set (the
 * CLI's --until DATE is the end of that day), else the first to the last task
 * start day, inclusive; 0 when there is no task. */
double ac_router_window_days(const ac_router_data *d);

/* Accuracy of model (any name of it) on (task_type, complexity); task_type
 * NULL = tasks without a type. n == 0 when there are no scores. */
void ac_router_accuracy(ac_accuracy *out, const ac_router_data *d, const char *task_type,
                        const char *complexity, const char *model);

/* Maps ------------------------------------------------------------------ */

typedef struct ac_router_map ac_router_map;

int ac_router_map_new(ac_router_map **out);
void ac_router_map_free(ac_router_map *m);

/*
 * Add a row; task_type NULL or "" is the class's default row. Returns 0,
 * AC_ENOMEM, or AC_EINVAL when the (task_type, complexity) pair has a row.
 */
int ac_router_map_set(ac_router_map *m, const char *task_type, const char *complexity,
                      const char *model, ac_err *err);

/* The model for (task_type, complexity): the typed row, else the default row,
 * else NULL. Owned by m. */
const char *ac_router_map_lookup(const ac_router_map *m, const char *task_type,
                                 const char *complexity);

/* Number of rows. */
size_t ac_router_map_rows(const ac_router_map *m);

/*
 * Read a map CSV (libcsv). Every problem is fatal and reported as
 * "PATH:LINE: reason": a missing, unknown or repeated column, a row with the
 * wrong number of cells, an empty complexity or model, a cell starting with
 * = + - @ (a spreadsheet formula), a second row for the same (task_type,
 * complexity), a model without a price in pb (when pb is not NULL). Returns 0,
 * AC_EIO, AC_EPARSE, AC_EFORMAT, AC_EINVAL or AC_ENOMEM.
 */
int ac_router_map_load(ac_router_map **out, const char *path, ac_pricebook *pb, ac_err *err);

/* Write m as CSV "task_type,complexity,model", rows ordered by task type
 * (default rows first) then class. Returns 0 or AC_EIO. */
int ac_router_map_write(const ac_router_map *m, const char *path, ac_err *err);

/* The same rows as cells of t (3 columns: task_type, "" for a default row,
 * complexity, model), for a report's table. Returns 0 or AC_ENOMEM. */
int ac_router_map_table(const ac_router_map *m, ac_table *t);

/* Options --------------------------------------------------------------- */

typedef struct ac_router_ratio {
	char *from, *to; /* model names, owned */
	double ratio;
} ac_router_ratio;

typedef struct ac_router_cascade {
	char *task_type;  /* owned; NULL = every task type */
	char *complexity; /* owned */
	char **models;    /* owned, n >= 2, distinct */
	int n;
} ac_router_cascade;

typedef struct ac_router_opts {
	ac_router_ratio *ratios;
	size_t nratios;
	int measured; /* --output-ratio measured */
	ac_router_cascade *cascades;
	size_t ncascades;
} ac_router_opts;

#define AC_ROUTER_OPTS_INIT { NULL, 0, 0, NULL, 0 }

/* Add "FROM:TO=R" (R > 0) or "measured". When a name holds ':', the split
 * where both sides have a price in pb is taken. Returns 0, AC_EINVAL (message
 * set) or AC_ENOMEM. */
int ac_router_opts_ratio(ac_router_opts *o, const char *spec, ac_pricebook *pb, ac_err *err);

/* Add "[TYPE/]CLASS=M1>M2[>M3...]". Returns 0, AC_EINVAL or AC_ENOMEM. */
int ac_router_opts_cascade(ac_router_opts *o, const char *spec, ac_err *err);

void ac_router_opts_release(ac_router_opts *o);

/* Simulation ------------------------------------------------------------ */

typedef struct ac_router_class {
	const char *task_type;  /* owned by the data; NULL = tasks without a type */
	const char *complexity; /* owned by the data */
	const char *from_model; /* the model of most of the class's calls (ties: first
	                           by name); owned by the data; NULL = calls without one */
	char *to_model;         /* owned; "M1>M2" for a cascade; NULL = not mapped */
	int cascade;
	long long calls;        /* production LLM calls of the class */
	long long calls_moved;  /* of those, served by another model than to_model */
	double baseline_cost, simulated_cost;
	ac_accuracy acc_from;   /* from_model's accuracy on the class */
	ac_accuracy acc_to;     /* to_model's; a cascade's expected accuracy, its bounds
	                           from the steps' bounds (not a joint confidence level) */
	double accuracy_change; /* acc_to.mean - acc_from.mean; NAN when either is */
} ac_router_class;

typedef struct ac_router_dist {
	double mean, p50, p99; /* type-7 quantiles (src/analysis/stats.h); NAN without tasks */
} ac_router_dist;

typedef struct ac_router_result {
	double window_days;
	long long tasks;
	double baseline_cost, simulated_cost, savings;
	double savings_share;   /* savings / baseline; NAN when the baseline is 0 */
	double monthly_savings; /* savings x 30 / window_days */
	ac_router_dist per_task_baseline, per_task_simulated;
	ac_router_class *classes; /* every class with production calls, by task type, class */
	size_t nclasses;
} ac_router_result;

/*
 * Replay map m (may be NULL: only the cascades of o apply) over d with the
 * options o (may be NULL). Returns 0; AC_EINVAL when a target model has no
 * price (in force on a call's day), when a cascade step has no eval data, or
 * for a bad ratio; AC_ENOMEM. Free with ac_router_result_free().
 */
int ac_router_simulate(ac_router_result **out, ac_router_data *d, const ac_router_map *m,
                       const ac_router_opts *o, ac_err *err);
void ac_router_result_free(ac_router_result *r);

/* Floor search ---------------------------------------------------------- */

/* One class of the search: its weight (production calls) and its options. */
typedef struct ac_floor_class {
	double weight;
	const double *cost; /* n options */
	const double *acc;
	int n;
} ac_floor_class;

/*
 * The cost-minimal choice of one option per class with
 *   sum_c weight_c acc_c(choice_c) >= floor * sum_c weight_c,
 * exact: a dynamic program over the Pareto set of (cost, weighted accuracy)
 * of partial choices, class by class, dropping dominated partial choices and
 * those that cannot reach the floor any more. Ties go to the more accurate
 * choice. choice[] receives the option per class. Returns 0; AC_EINVAL when
 * no choice reaches the floor (message with the best reachable accuracy);
 * AC_ELIMIT past 4 million partial choices; AC_ENOMEM.
 */
int ac_router_floor_search(int *choice, double *out_cost, double *out_acc,
                           const ac_floor_class *cls, size_t ncls, double floor, ac_err *err);

/* Recommendation -------------------------------------------------------- */

typedef struct ac_recommend_opts {
	double tolerance;      /* accuracy M' may lose, by its lower bound */
	int min_samples;       /* scored calls a candidate needs */
	double accuracy_floor; /* NAN: the tolerance rule; else the floor search */
} ac_recommend_opts;

#define AC_RECOMMEND_OPTS_INIT { 0.01, 30, NAN }

typedef struct ac_recommend_class {
	const char *task_type, *complexity; /* owned by the data */
	const char *current_model;          /* owned by the data */
	char *recommended_model;            /* owned */
	int moved;
	char reason[256];
	long long class_calls;  /* production calls of the class */
	long long calls;        /* of those, served by another model under the map */
	ac_accuracy current, recommended;
	double current_cost, recommended_cost; /* the class's calls, simulated */
	double monthly_savings;                /* from the simulation of the map */
} ac_recommend_class;

typedef struct ac_frontier_point {
	const char *task_type, *complexity; /* owned by the data */
	char *model;                        /* owned */
	int current;                        /* 1: the class's current model */
	long long calls;
	double cost;                        /* the class's calls under the model */
	double monthly_cost;                /* cost x 30 / window_days (NaN without a window) */
	double relative_cost;               /* cost / the class's current cost (NaN unless > 0) */
	ac_accuracy acc;
} ac_frontier_point;

typedef struct ac_recommendation {
	double window_days, tolerance, accuracy_floor;
	int min_samples;
	double current_accuracy;  /* floor search only: traffic-weighted, else NAN */
	double expected_accuracy; /* floor search only */
	ac_recommend_class *classes;
	size_t nclasses;
	ac_router_map *map;       /* the recommended map, owned */
	ac_router_result *sim;    /* ac_router_simulate of map, owned */
	double monthly_savings;
	char **summary;           /* sentences, owned */
	size_t nsummary;
	ac_frontier_point *frontier; /* per class, its non-dominated models by cost */
	size_t nfrontier;
} ac_recommendation;

/*
 * Recommend a map for the classes of d (see the top of this file). o may be
 * NULL; its cascades are not used. Returns 0, AC_EINVAL (floor unreachable,
 * or no class to search), AC_ELIMIT, AC_ENOMEM. Free with
 * ac_recommendation_free().
 */
int ac_router_recommend(ac_recommendation **out, ac_router_data *d, const ac_router_opts *o,
                        const ac_recommend_opts *ro, ac_err *err);
void ac_recommendation_free(ac_recommendation *r);

/* One row of t per class of r; column k is the field named names[k] (the
 * command's and the report's headers: task_type, complexity, current_model,
 * recommended_model, moved, class_calls, calls or calls_moved (the calls
 * moved), current_accuracy, current_n, current_lo, current_hi,
 * recommended_accuracy, recommended_n, recommended_lo, recommended_hi,
 * current_cost, recommended_cost, monthly_savings, reason; another name: a
 * null cell), a number shown as shows[k] (ac_table_num_shown), or plain
 * (AC_CELL_NUM) when shows is NULL. */
void ac_recommend_table_fill(ac_table *t, const ac_recommendation *r, const char *const *names,
                             const ac_cell_type *shows, int ncol);

#endif
