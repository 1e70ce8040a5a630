/*
 * The router's internals shared by its files (router.h is the interface):
 *   router.c     strings (an interner) and the data: the window read from
 *                queries/router_*.sql into arrays
 *   map.c        routing maps: CSV in (libcsv) and out
 *   replay.c     --output-ratio, re-pricing calls under a map (pricing.h),
 *                per-task and per-class totals
 *   cascade.c    --cascade specs and a class served by a cascade
 *   recommend.c  the exact cost-minimal search under an accuracy floor, the
 *                tolerance rule, the floor map, the summary sentences
 */
#ifndef AC_ROUTER_INT_H
#define AC_ROUTER_INT_H

#include "router.h"

#include "../analysis/stats.h"
#include "../util/map.h"

#define MAX_STEPS 8 /* models of one cascade */

typedef struct strtab {
	char **s;
	size_t n, cap;
	ac_map idx;
} strtab;

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
	int single;    /* one call priced alone (grp >= AC_GRP_SINGLE) */
	uint64_t gkey; /* replay in the server: the group's key (task is -1) */
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
	/* Replay in the server (a store that answers router_groups.sql, i.e.
	 * ClickHouse): calls are the groups summed over every task by key
	 * (task -1), tasks is empty, and the per-task figures are computed by
	 * the server (rt_server_*); the store stays borrowed. */
	ac_store *server;
	long long srv_tasks;
	int64_t srv_first_ns, srv_last_ns;
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

extern const ac_accuracy rt_no_accuracy;

/* router.c */
const char *rt_st_str(const strtab *t, int32_t id);
int rt_same_opt(const char *a, const char *b);
int32_t rt_key_find(const ac_router_data *d, const char *name);
int32_t rt_key_intern(ac_router_data *d, const char *name, int *rc);
ecell *rt_cell_find(const ac_router_data *d, int32_t tt, int32_t cx, int32_t key);

/* router.c: the server's per-task figures of a replay (router_after.sql):
 * keys[0..n) with rows[i] the 1-based row of coef (ten numbers a row) */
typedef struct rt_server_dist {
	long long tasks;
	double base, sim;          /* sums */
	double order[8];           /* the order statistics router_after.sql gives */
} rt_server_dist;
int rt_server_after(const ac_router_data *d, const uint64_t *keys, const uint64_t *rows, size_t n,
                    const double *coef, size_t ncoef, rt_server_dist *out, ac_err *err);
/* The tasks with a group keyed in keys[0..n) (*routed) and of those with one
 * whose mark is 2 (*moved). */
int rt_server_marks(const ac_router_data *d, const uint64_t *keys, const uint64_t *marks,
                    size_t n, long long *routed, long long *moved, ac_err *err);

/* replay.c */
int rt_step_init(step *s, ac_router_data *d, const char *name, ac_err *err);
int rt_resolve_ratios(sim_ctx *x, ac_err *err);
int rt_class_cost(double *out, long long *moved, const sim_ctx *x, const rclass *k,
                      const step *steps, int n, double *delta, ac_err *err);

/* cascade.c */
void rt_cascade_release(ac_router_cascade *c);
int rt_class_steps(step *steps, int *n, char **label, const sim_ctx *x, const rclass *k,
                       const ac_router_map *m, ac_err *err);
void rt_cascade_accuracy(ac_accuracy *out, const step *steps, int n);

#endif
