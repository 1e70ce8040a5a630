/*
 * Task derivation and step purposes: see tasks.h for the rules.
 *
 * Work unit: one dirty trace. Its spans are one contiguous rowid range
 * (store.h: span keys), read in one range scan. Spans without an
 * agentcost.task.id (on themselves or an ancestor) form the trace's own task;
 * spans with one join the task of that id, which may collect spans from
 * several traces (table task_trace lists them). Every task touched is
 * recomputed whole from its spans, so the result does not depend on the
 * order spans arrived in.
 *
 * Count a call once (the rollup rule). Some producers record an LLM call
 * twice: a span that carries the summed usage of the calls made under it
 * (an agent run or an SDK function with gen_ai.usage.* totals, the same
 * call instrumented by two libraries, nested) and the call spans
 * themselves. The rule: an LLM span is a rollup, not a call, when it has
 * LLM spans below it in its trace and its input and output token counts
 * are exactly the sums over the LLM spans nearest below it (those with no
 * other LLM span between; a missing count is 0). An LLM span whose counts
 * differ from those sums made a call of its own and stays one (the
 * canonical testdata/ingest/basic.jsonl has such a parent: 4000 / 1000
 * above calls of 10000 / 2000 and more). Derivation rewrites a rollup
 * as a chain step (span.step 4) with no counted cost (cost_usd 0, cost_src
 * 0, like any non-billable span); its model, token counts and producer cost
 * stay on the row for `show`, and token sums count LLM calls only, so its
 * tokens are not counted either. Rollups may nest (a rollup above rollups):
 * the calls at the bottom are what counts. Rewriting a rollup never changes the sums its ancestors see:
 * it equals the sums of the spans nearest below it, which they then see
 * instead. The rule needs the whole trace, so it is applied here (both on
 * the stored path and on ac_deriver_fresh's in-memory rows, whose rewritten
 * step and cost are then inserted), not at parse time; since spans are never
 * removed from the store, a span once judged a rollup stays one (even if
 * more calls arrive below it later, which would have to break an exact
 * equality that held: the rewritten row no longer says it was an LLM span,
 * so the judgement is final), and a call
 * judged before its descendants arrived (a later file) is rewritten when its
 * trace is derived again, its rollup sums moved exactly like any other
 * change of key. Re-pricing (prices import) only touches LLM and tool spans,
 * so it leaves rollups alone.
 */
#include "tasks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pricing/pricing.h"
#include "../util/map.h"
#include "../util/timeutil.h"
#include "callpack.h"

#define BATCH_TRACES 2000

typedef struct tspan {
	int64_t id, trace;
	uint64_t sid, pid;
	int has_parent;
	int64_t start, end;
	int step, status, cost_src;
	int64_t service, env, model, tool, name, complexity, purpose, task_ref, task_type,
		agent_name;
	int64_t tok_in, tok_out, tok_cr, tok_cw, tok_rs;
	int64_t tok_cw1h, tok_ain, tok_aout; /* schema 8 */
	int tier;                            /* AC_TIER_*, -1 unknown */
	double cost, prod_cost, score;
	int has_cost, has_score;
	int trace_first; /* the earliest span of its trace (start, then key) */
	/* the rollup rule: the LLM spans nearest below it (no LLM span between) */
	int llm_below;          /* how many */
	int64_t below_in, below_out; /* their input and output tokens, summed */
	int demoted;     /* derivation rewrote this LLM span as a rollup: write it */
	/* stored derived values, to write only what changes */
	int64_t old_task, old_purpose, old_complexity, old_rk;
	/* derived */
	int parent;  /* index of the parent within the trace, -1 none */
	int64_t ref; /* effective agentcost.task.id (task_ref.id), 0 none */
	int64_t complexity_eff, purpose_eff;
} tspan;

typedef struct vec {
	tspan *v;
	size_t n, cap;
} vec;

typedef struct idset {
	int64_t *v;
	size_t n, cap;
} idset;

/* What a span is counted by in the rollup (schema/004_rollup.sql). */
typedef struct rkey {
	int64_t system, service, task_type, eval, step, status, cost_src, model, tool, purpose,
		complexity, trace_first;
} rkey;
#define RKEY_N 12

/* Sums of the rollup for one (hour, key): a change not yet written. */
typedef struct rsum {
	int64_t hour, key;
	long long spans, tin, tout, tcr, tcw, trs, scored, partial, scored_out;
	double cost, prod_cost, score_sum, score_sq;
	int neg; /* something was taken away: the row may have become empty */
} rsum;

/* A candidate for what dominated a task: an id and its value. */
struct top {
	int64_t id;
	double v;
};

/* One group of a task's LLM calls (table task_calls). */
typedef ac_call_group tcall;

typedef struct ctx {
	ac_store *s;
	sqlite3 *db;
	ac_err *err;
	ac_derive_stats *st;
	/* label ids of the purposes we assign */
	int64_t p_eval, p_summarize, p_retry, p_execute, p_tool, p_other;
	idset env_eval;      /* label ids: eval, evaluation (any case) */
	idset purpose_eval;  /* label ids whose name is eval / summarize / retry (any case) */
	idset purpose_summ;
	idset purpose_retry;
	idset name_summar;   /* span_name ids containing "summar" */
	int64_t label_seen, name_seen; /* highest ids already looked at for the sets */
	sqlite3_stmt *q_spans, *q_upd, *q_demote, *q_put_task, *q_new_task,
		*q_del_task, *q_tt_list, *q_tt_add, *q_tt_del, *q_name, *q_ref_name, *q_trace_hex,
		*q_key_ins, *q_roll_add, *q_roll_gc, *q_tc_del, *q_tc_ins, *q_model_name,
		*q_label_name, *q_tool_name;
	/* rollup keys by their parts (loaded at setup), and pending sums */
	ac_map keys;
	int keys_loaded;
	rkey last_key; /* consecutive spans mostly share their key */
	int64_t last_key_id;
	int64_t last_slot[2], last_slot_at; /* ... and their (hour, key) */
	ac_map names; /* (dictionary, id) -> index into name_v: names for ties */
	char **name_v;
	size_t nname, capname;
	ac_map pend_idx;
	rsum *pend;
	size_t npend, cappend;
	tcall *tc;
	size_t captc;
	unsigned char *pack; /* a task's packed call groups */
	size_t cappack;
	int mem; /* deriving spans not yet stored: their derived values stay in memory */
	const uint8_t *mem_tid; /* ... of the trace with this 16-byte id (NULL: read it) */
	vec mem_spans;  /* ... those spans (ac_deriver_fresh) */
	tspan **mem_m;
	size_t capmem;
	struct top *top;
	size_t captop;
} ctx;

static int fail(ctx *c, const char *what)
{
	return ac_store_fail(c->s, c->err, what);
}

static int idset_add(idset *s, int64_t v)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		int64_t *nv = realloc(s->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n++] = v;
	return 0;
}

static int idset_has(const idset *s, int64_t v)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return 1;
	return 0;
}

static tspan *vec_push(vec *a)
{
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 64;
		tspan *nv = realloc(a->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		a->v = nv;
		a->cap = nc;
	}
	tspan *t = &a->v[a->n++];
	memset(t, 0, sizeof(*t));
	return t;
}

/* Prepare embedded statement `name` (queries/tasks_*.sql), kept for the
 * whole derivation. */
static int prep(ctx *c, sqlite3_stmt **st, const char *name)
{
	if (ac_store_prepare_named(c->db, name, SQLITE_PREPARE_PERSISTENT, st) != SQLITE_OK)
		return fail(c, "prepare");
	return 0;
}

/* Add to set the ids query `name` gives for ?1 after and the words w1, w2
 * (NULL: the query has no words). */
static int fill_set(ctx *c, idset *set, const char *name, int64_t after, const char *w1,
                    const char *w2)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(c->db, name, 0, &st) != SQLITE_OK)
		return fail(c, "read labels");
	sqlite3_bind_int64(st, 1, after);
	if (w1) {
		sqlite3_bind_text(st, 2, w1, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, w2, -1, SQLITE_STATIC);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (idset_add(set, sqlite3_column_int64(st, 0))) {
			sqlite3_finalize(st);
			return ac_err_set(c->err, AC_ENOMEM, "out of memory");
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(c, "read labels");
	return 0;
}

/* The highest label and span_name ids. */
static int max_ids(ctx *c, int64_t *label, int64_t *name)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(c->db, "tasks_dict_max.sql", 0, &st) != SQLITE_OK)
		return fail(c, "read labels");
	int rc = sqlite3_step(st);
	*label = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	*name = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : fail(c, "read labels");
}

/*
 * Label ids the rules test against. Labels and span names only ever get new
 * rows, so each call looks only at the rows added since the last one.
 */
static int refresh(ctx *c)
{
	int rc;
	static const struct {
		const char *name;
		size_t off;
	} P[] = {
		{ "eval", offsetof(ctx, p_eval) },       { "summarize", offsetof(ctx, p_summarize) },
		{ "retry", offsetof(ctx, p_retry) },     { "execute", offsetof(ctx, p_execute) },
		{ "tool", offsetof(ctx, p_tool) },       { "other", offsetof(ctx, p_other) },
	};
	for (size_t i = 0; i < sizeof(P) / sizeof(P[0]); i++)
		if ((rc = ac_store_dict(c->s, AC_DICT_LABEL, P[i].name, strlen(P[i].name),
		                        (int64_t *)((char *)c + P[i].off), c->err)))
			return rc;
	int64_t lmax, nmax;
	static const char L[] = "tasks_label_ids.sql";
	if ((rc = max_ids(c, &lmax, &nmax)))
		return rc;
	if (lmax > c->label_seen) {
		if ((rc = fill_set(c, &c->env_eval, L, c->label_seen, "eval", "evaluation")) ||
		    (rc = fill_set(c, &c->purpose_eval, L, c->label_seen, "eval", "eval")) ||
		    (rc = fill_set(c, &c->purpose_summ, L, c->label_seen, "summarize", "summarize")) ||
		    (rc = fill_set(c, &c->purpose_retry, L, c->label_seen, "retry", "retry")))
			return rc;
		c->label_seen = lmax;
	}
	if (nmax > c->name_seen) {
		if ((rc = fill_set(c, &c->name_summar, "tasks_names_summar.sql", c->name_seen, NULL,
		                   NULL)))
			return rc;
		c->name_seen = nmax;
	}
	return 0;
}

static int setup(ctx *c)
{
	int rc;
	c->last_slot_at = -1;
	static const struct {
		size_t off;
		const char *name;
	} Q[] = {
		{ offsetof(ctx, q_spans), "tasks_spans.sql" },
		{ offsetof(ctx, q_upd), "tasks_span_derived.sql" },
		{ offsetof(ctx, q_demote), "tasks_span_demote.sql" },
		{ offsetof(ctx, q_key_ins), "tasks_rollup_key_put.sql" },
		{ offsetof(ctx, q_roll_add), "tasks_rollup_add.sql" },
		{ offsetof(ctx, q_roll_gc), "tasks_rollup_gc.sql" },
		{ offsetof(ctx, q_tc_del), "tasks_calls_del.sql" },
		{ offsetof(ctx, q_tc_ins), "tasks_calls_put.sql" },
		{ offsetof(ctx, q_put_task), "tasks_task_put.sql" },
		{ offsetof(ctx, q_new_task), "tasks_task_new.sql" },
		{ offsetof(ctx, q_model_name), "tasks_model_name.sql" },
		{ offsetof(ctx, q_label_name), "tasks_label_name.sql" },
		{ offsetof(ctx, q_tool_name), "tasks_tool_name.sql" },
		{ offsetof(ctx, q_del_task), "tasks_task_del.sql" },
		{ offsetof(ctx, q_tt_list), "tasks_trace_list.sql" },
		{ offsetof(ctx, q_tt_add), "tasks_trace_add.sql" },
		{ offsetof(ctx, q_tt_del), "tasks_trace_del.sql" },
		{ offsetof(ctx, q_name), "tasks_span_name.sql" },
		{ offsetof(ctx, q_ref_name), "tasks_ref_name.sql" },
		{ offsetof(ctx, q_trace_hex), "tasks_trace_id.sql" },
	};
	for (size_t i = 0; i < sizeof(Q) / sizeof(Q[0]); i++)
		if ((rc = prep(c, (sqlite3_stmt **)((char *)c + Q[i].off), Q[i].name)))
		return rc;
	return 0;
}

static void teardown(ctx *c)
{
	sqlite3_stmt **all[] = { &c->q_spans,    &c->q_upd,      &c->q_put_task,
		                 &c->q_del_task, &c->q_tt_list,  &c->q_tt_add,
		                 &c->q_tt_del,   &c->q_name,     &c->q_ref_name,
		                 &c->q_trace_hex, &c->q_key_ins, &c->q_roll_add,
		                 &c->q_roll_gc,  &c->q_tc_del,   &c->q_tc_ins,
		                 &c->q_model_name, &c->q_label_name, &c->q_tool_name,
		                 &c->q_demote, &c->q_new_task };
	ac_map_release(&c->keys);
	ac_map_release(&c->pend_idx);
	ac_map_release(&c->names);
	for (size_t i = 0; i < c->nname; i++)
		free(c->name_v[i]);
	free(c->name_v);
	c->name_v = NULL;
	c->nname = c->capname = 0;
	c->last_key_id = 0;
	c->last_slot_at = -1;
	free(c->pend);
	free(c->tc);
	free(c->top);
	free(c->pack);
	free(c->mem_spans.v);
	free(c->mem_m);
	memset(&c->mem_spans, 0, sizeof(c->mem_spans));
	c->mem_m = NULL;
	c->capmem = 0;
	c->pend = NULL;
	c->tc = NULL;
	c->pack = NULL;
	c->top = NULL;
	c->npend = c->cappend = c->captc = c->captop = c->cappack = 0;
	c->keys_loaded = 0;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		sqlite3_finalize(*all[i]);
		*all[i] = NULL;
	}
	idset *sets[] = { &c->env_eval, &c->purpose_eval, &c->purpose_summ, &c->purpose_retry,
		          &c->name_summar };
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		free(sets[i]->v);
		memset(sets[i], 0, sizeof(idset));
	}
}

static uint64_t blob64(sqlite3_stmt *st, int col, int *present)
{
	uint64_t v = 0;
	*present = 0;
	if (sqlite3_column_type(st, col) == SQLITE_BLOB && sqlite3_column_bytes(st, col) == 8) {
		const unsigned char *b = sqlite3_column_blob(st, col);
		for (int i = 0; i < 8; i++)
			v = v << 8 | b[i];
		*present = 1;
	}
	return v;
}

/* Parent links and effective task ids within one trace's spans [from, to). */
static void link_trace(tspan *v, size_t from, size_t to)
{
	size_t n = to - from;
	/* open-addressing index span_id -> position */
	size_t cap = 16;
	while (cap < n * 2)
		cap <<= 1;
	int *slot = malloc(cap * sizeof(int));
	if (slot) {
		for (size_t i = 0; i < cap; i++)
			slot[i] = -1;
		for (size_t i = from; i < to; i++) {
			size_t h = (size_t)(v[i].sid * 0x9e3779b97f4a7c15ULL) & (cap - 1);
			while (slot[h] >= 0)
				h = (h + 1) & (cap - 1);
			slot[h] = (int)i;
		}
	}
	for (size_t i = from; i < to; i++) {
		v[i].parent = -1;
		if (!v[i].has_parent || !slot)
			continue;
		size_t h = (size_t)(v[i].pid * 0x9e3779b97f4a7c15ULL) & (cap - 1);
		while (slot[h] >= 0) {
			if (v[slot[h]].sid == v[i].pid) {
				v[i].parent = slot[h];
				break;
			}
			h = (h + 1) & (cap - 1);
		}
	}
	free(slot);
	/* Nearest-ancestor inheritance of task ref and complexity, in linear
	 * time: each span's values are resolved once, by walking up to the first
	 * resolved ancestor and filling the path on the way back. A cycle in the
	 * parent links ends the walk (its spans inherit nothing across it). */
	int *path = malloc((n ? n : 1) * sizeof(int));
	unsigned char *state = calloc(n ? n : 1, 1); /* 0 new, 1 on the path, 2 resolved */
	if (!path || !state) {
		/* out of memory: own values only (the caller's next allocation fails) */
		for (size_t i = from; i < to; i++) {
			v[i].ref = v[i].task_ref;
			v[i].complexity_eff = v[i].complexity;
		}
		free(path);
		free(state);
		return;
	}
	for (size_t i = from; i < to; i++) {
		if (state[i - from] == 2)
			continue;
		size_t np = 0;
		int x = (int)i;
		while (x >= 0 && state[(size_t)x - from] == 0) {
			state[(size_t)x - from] = 1;
			path[np++] = x;
			x = v[x].parent;
		}
		/* x: a resolved ancestor, a span on this path (a cycle), or none */
		int64_t ref = 0, cx = 0;
		if (x >= 0 && state[(size_t)x - from] == 2) {
			ref = v[x].ref;
			cx = v[x].complexity_eff;
		}
		while (np > 0) {
			int y = path[--np];
			if (v[y].task_ref)
				ref = v[y].task_ref;
			if (v[y].complexity)
				cx = v[y].complexity;
			v[y].ref = ref;
			v[y].complexity_eff = cx;
			state[(size_t)y - from] = 2;
		}
	}
	free(path);
	free(state);
}

static void finish_trace(vec *a, size_t from);
static void rollup_sums(tspan *v, size_t from, size_t to);

/* Append the spans of trace t to a, linked. */
static int load_trace(ctx *c, int64_t t, vec *a)
{
	sqlite3_stmt *q = c->q_spans;
	size_t from = a->n;
	sqlite3_bind_int64(q, 1, t << AC_SPAN_KEY_BITS);
	sqlite3_bind_int64(q, 2, (t << AC_SPAN_KEY_BITS) | (int64_t)AC_SPAN_KEY_MASK);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		tspan *x = vec_push(a);
		if (!x) {
			sqlite3_reset(q);
			return ac_err_set(c->err, AC_ENOMEM, "out of memory");
		}
		int pres;
		x->id = sqlite3_column_int64(q, 0);
		x->trace = sqlite3_column_int64(q, 1);
		x->sid = blob64(q, 2, &pres);
		x->pid = blob64(q, 3, &x->has_parent);
		x->start = sqlite3_column_int64(q, 4);
		x->end = sqlite3_column_int64(q, 5);
		x->step = sqlite3_column_int(q, 6);
		x->status = sqlite3_column_int(q, 7);
		x->cost_src = sqlite3_column_int(q, 8);
		x->service = sqlite3_column_int64(q, 9);
		x->env = sqlite3_column_int64(q, 10);
		x->model = sqlite3_column_int64(q, 11);
		x->tool = sqlite3_column_int64(q, 12);
		x->name = sqlite3_column_int64(q, 13);
		x->complexity = sqlite3_column_int64(q, 14);
		x->purpose = sqlite3_column_int64(q, 15);
		x->task_ref = sqlite3_column_int64(q, 16);
		x->task_type = sqlite3_column_int64(q, 17);
		x->agent_name = sqlite3_column_int64(q, 18);
		x->tok_in = sqlite3_column_int64(q, 19);
		x->tok_out = sqlite3_column_int64(q, 20);
		x->has_cost = sqlite3_column_type(q, 21) != SQLITE_NULL;
		x->cost = sqlite3_column_double(q, 21);
		x->old_task = sqlite3_column_int64(q, 22);
		x->old_purpose = sqlite3_column_int64(q, 23);
		x->old_complexity = sqlite3_column_int64(q, 24);
		x->tok_cr = sqlite3_column_int64(q, 25);
		x->tok_cw = sqlite3_column_int64(q, 26);
		x->tok_rs = sqlite3_column_int64(q, 27);
		x->prod_cost = sqlite3_column_double(q, 28);
		x->has_score = sqlite3_column_type(q, 29) != SQLITE_NULL;
		x->score = sqlite3_column_double(q, 29);
		x->old_rk = sqlite3_column_int64(q, 30);
		x->tok_cw1h = sqlite3_column_int64(q, 31);
		x->tok_ain = sqlite3_column_int64(q, 32);
		x->tok_aout = sqlite3_column_int64(q, 33);
		x->tier = ac_service_tier((const char *)sqlite3_column_text(q, 34));
		/* negative: the insert's placeholders, nothing derived yet (store.c);
		 * the purpose and complexity stay negative, unlike any real value */
		if (x->old_task < 0)
			x->old_task = 0;
		if (x->old_rk < 0)
			x->old_rk = 0;
		c->st->spans++;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return fail(c, "read spans");
	finish_trace(a, from);
	return 0;
}

/* The trace's spans a[from..) are read, in key order: mark its earliest and
 * link them. */
static void finish_trace(vec *a, size_t from)
{
	/* the trace's earliest span: spans arrive in key order, so the first
	 * wins a tie on start */
	size_t first = from;
	for (size_t k = from + 1; k < a->n; k++)
		if (a->v[k].start < a->v[first].start)
			first = k;
	if (first < a->n)
		a->v[first].trace_first = 1;
	link_trace(a->v, from, a->n);
	rollup_sums(a->v, from, a->n);
}

/* The rollup rule (top of this file): for each LLM span, add its tokens to
 * its nearest LLM ancestor's below_* sums. The nearest LLM ancestor of every
 * span is resolved once, in linear time, the way link_trace resolves
 * inherited values (a cycle of parent links ends the walk: no ancestor
 * across it). Out of memory: no sums, so no span is judged a rollup (the
 * caller's next allocation fails). */
static void rollup_sums(tspan *v, size_t from, size_t to)
{
	size_t n = to - from, nllm = 0;
	for (size_t k = from; k < to && nllm < 2; k++)
		nllm += v[k].step == AC_STEP_LLM;
	if (nllm < 2)
		return; /* no LLM span above another: the usual trace, nothing to do */
	int *up = malloc(n * sizeof(int));   /* nearest LLM ancestor, -1 none */
	int *path = malloc(n * sizeof(int));
	/* 0 new, 1 on the path, 2 resolved, 3 resolved and on a cycle */
	unsigned char *state = calloc(n, 1);
	if (!up || !path || !state)
		goto done;
	for (size_t i = from; i < to; i++) {
		if (state[i - from])
			continue;
		size_t np = 0;
		int x = (int)i;
		while (x >= 0 && state[(size_t)x - from] == 0) {
			state[(size_t)x - from] = 1;
			path[np++] = x;
			x = v[x].parent;
		}
		/* x: resolved, on this path (then path[cyc..np) is a cycle), or
		 * none. Spans on a cycle take no part: no ancestor, and no one's
		 * ancestor, whichever span the walk started from. */
		int val = -1;
		size_t cyc = np;
		if (x >= 0 && state[(size_t)x - from] == 2) {
			val = v[x].step == AC_STEP_LLM ? x : up[(size_t)x - from];
		} else if (x >= 0 && state[(size_t)x - from] == 1) {
			while (path[cyc - 1] != x)
				cyc--;
			cyc--;
		}
		while (np > 0) {
			int y = path[--np];
			up[(size_t)y - from] = val;
			if (np >= cyc) {
				state[(size_t)y - from] = 3;
				continue;
			}
			state[(size_t)y - from] = 2;
			if (v[y].step == AC_STEP_LLM)
				val = y;
		}
	}
	for (size_t k = from; k < to; k++) {
		int p = up[k - from];
		if (v[k].step != AC_STEP_LLM || p < 0)
			continue;
		v[p].llm_below++;
		v[p].below_in += v[k].tok_in;
		v[p].below_out += v[k].tok_out;
	}
done:
	free(up);
	free(path);
	free(state);
}

/* Start order; ties by span id (the producer's, the same whatever order the
 * traces of a task arrived in: the row key is not, across traces), then by
 * the key. */
static int by_start(const void *a, const void *b)
{
	const tspan *x = *(tspan *const *)a, *y = *(tspan *const *)b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->sid != y->sid)
		return x->sid < y->sid ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct interval {
	int64_t from, to; /* [from, to) */
} interval;

static int by_tool_start(const void *a, const void *b)
{
	const tspan *x = *(tspan *const *)a, *y = *(tspan *const *)b;
	if (x->tool != y->tool)
		return x->tool < y->tool ? -1 : 1;
	return by_start(a, b);
}

static int by_from(const void *a, const void *b)
{
	const interval *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Text of a span_name id as a label id (task type fallback). */
static int name_label(ctx *c, int64_t name, int64_t *out)
{
	*out = 0;
	if (!name)
		return 0;
	sqlite3_bind_int64(c->q_name, 1, name);
	int rc = sqlite3_step(c->q_name);
	if (rc == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(c->q_name, 0);
		int n = sqlite3_column_bytes(c->q_name, 0);
		char buf[512];
		if (n > (int)sizeof(buf) - 1)
			n = (int)sizeof(buf) - 1;
		memcpy(buf, s, (size_t)n);
		sqlite3_reset(c->q_name);
		return ac_store_dict(c->s, AC_DICT_LABEL, buf, (size_t)n, out, c->err);
	}
	sqlite3_reset(c->q_name);
	return rc == SQLITE_DONE ? 0 : fail(c, "read span name");
}

/*
 * Compute task `task` from its spans m[0..n) (pointers, any order) and write
 * the task row and the spans' derived columns.
 */
/* ---- rollups (schema/004_rollup.sql) ------------------------------------ */

#define NS_PER_HOUR INT64_C(3600000000000)

static int load_keys(ctx *c)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(c->db, "tasks_rollup_keys.sql", 0, &st) != SQLITE_OK)
		return fail(c, "read rollup keys");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rkey k;
		int64_t *f = &k.system;
		for (int i = 0; i < RKEY_N; i++)
			f[i] = sqlite3_column_int64(st, i + 1);
		if (ac_map_put(&c->keys, &k, sizeof(k), sqlite3_column_int64(st, 0))) {
			sqlite3_finalize(st);
			return ac_err_set(c->err, AC_ENOMEM, "out of memory");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(c, "read rollup keys");
	c->keys_loaded = 1;
	return 0;
}

/* The id of key k, created when new. */
static int key_id(ctx *c, const rkey *k, int64_t *out)
{
	int rc;
	if (c->last_key_id && !memcmp(k, &c->last_key, sizeof(*k))) {
		*out = c->last_key_id;
		return 0;
	}
	if (!c->keys_loaded && (rc = load_keys(c)))
		return rc;
	if (ac_map_get(&c->keys, k, sizeof(*k), out)) {
		c->last_key = *k;
		c->last_key_id = *out;
		return 0;
	}
	const int64_t *f = &k->system;
	for (int i = 0; i < RKEY_N; i++)
		sqlite3_bind_int64(c->q_key_ins, i + 1, f[i]);
	rc = sqlite3_step(c->q_key_ins);
	sqlite3_reset(c->q_key_ins);
	if (rc != SQLITE_DONE)
		return fail(c, "insert rollup key");
	*out = sqlite3_last_insert_rowid(c->db);
	if (ac_map_put(&c->keys, k, sizeof(*k), *out))
		return ac_err_set(c->err, AC_ENOMEM, "out of memory");
	return 0;
}

/* Add (sign 1) or take away (sign -1) span x's contribution to key `key`. */
static int pend_add(ctx *c, int64_t key, const tspan *x, int sign)
{
	int64_t slot[2] = { x->start / NS_PER_HOUR, key }, at;
	rsum *r;
	if (c->last_slot_at >= 0 && slot[0] == c->last_slot[0] && slot[1] == c->last_slot[1]) {
		r = &c->pend[c->last_slot_at];
	} else if (ac_map_get(&c->pend_idx, slot, sizeof(slot), &at)) {
		r = &c->pend[at];
		c->last_slot[0] = slot[0];
		c->last_slot[1] = slot[1];
		c->last_slot_at = at;
	} else {
		if (c->npend == c->cappend) {
			size_t nc = c->cappend ? c->cappend * 2 : 256;
			rsum *np = realloc(c->pend, nc * sizeof(*np));
			if (!np)
				return ac_err_set(c->err, AC_ENOMEM, "out of memory");
			c->pend = np;
			c->cappend = nc;
		}
		if (ac_map_put(&c->pend_idx, slot, sizeof(slot), (int64_t)c->npend))
			return ac_err_set(c->err, AC_ENOMEM, "out of memory");
		r = &c->pend[c->npend++];
		memset(r, 0, sizeof(*r));
		r->hour = slot[0];
		r->key = key;
		c->last_slot[0] = slot[0];
		c->last_slot[1] = slot[1];
		c->last_slot_at = (int64_t)c->npend - 1;
	}
	r->spans += sign;
	r->cost += sign * (x->has_cost ? x->cost : 0);
	r->tin += sign * x->tok_in;
	r->tout += sign * x->tok_out;
	r->tcr += sign * x->tok_cr;
	r->tcw += sign * x->tok_cw;
	r->trs += sign * x->tok_rs;
	r->prod_cost += sign * x->prod_cost;
	if (x->has_score) {
		r->scored += sign;
		r->score_sum += sign * x->score;
		r->score_sq += sign * x->score * x->score;
		r->partial += sign * (x->score != 0 && x->score != 1);
		r->scored_out += sign * x->tok_out;
	}
	if (sign < 0)
		r->neg = 1;
	return 0;
}

/* Write the pending sums into the rollup; rows left with no span go. */
static int flush_rollup(ctx *c)
{
	for (size_t i = 0; i < c->npend; i++) {
		const rsum *r = &c->pend[i];
		sqlite3_stmt *q = c->q_roll_add;
		if (!r->spans && !r->neg)
			continue;
		sqlite3_bind_int64(q, 1, r->hour);
		sqlite3_bind_int64(q, 2, r->key);
		sqlite3_bind_int64(q, 3, r->spans);
		sqlite3_bind_double(q, 4, r->cost);
		sqlite3_bind_int64(q, 5, r->tin);
		sqlite3_bind_int64(q, 6, r->tout);
		sqlite3_bind_int64(q, 7, r->tcr);
		sqlite3_bind_int64(q, 8, r->tcw);
		sqlite3_bind_int64(q, 9, r->trs);
		sqlite3_bind_double(q, 10, r->prod_cost);
		sqlite3_bind_int64(q, 11, r->scored);
		sqlite3_bind_double(q, 12, r->score_sum);
		sqlite3_bind_double(q, 13, r->score_sq);
		sqlite3_bind_int64(q, 14, r->partial);
		sqlite3_bind_int64(q, 15, r->scored_out);
		int rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return fail(c, "update rollup");
		if (r->neg) {
			sqlite3_bind_int64(c->q_roll_gc, 1, r->hour);
			sqlite3_bind_int64(c->q_roll_gc, 2, r->key);
			rc = sqlite3_step(c->q_roll_gc);
			sqlite3_reset(c->q_roll_gc);
			if (rc != SQLITE_DONE)
				return fail(c, "update rollup");
		}
	}
	c->npend = 0;
	c->last_slot_at = -1;
	ac_map_clear(&c->pend_idx);
	return 0;
}

static int by_group(const void *a, const void *b)
{
	const tcall *x = a, *y = b;
	const int64_t *f = &x->complexity, *g = &y->complexity;
	for (int i = 0; i < 4; i++)
		if (f[i] != g[i])
			return f[i] < g[i] ? -1 : 1;
	return 0;
}

/* A call that cannot be summed with others: negative counts, a part larger
 * than its whole, or a cache exceeding the input (its token convention and
 * prompt are its own, src/pricing/convention.h): replayed alone. */
static int irregular(const tspan *x)
{
	return x->tok_in < 0 || x->tok_out < 0 || x->tok_cr < 0 || x->tok_cw < 0 || x->tok_rs < 0 ||
	       x->tok_cw1h < 0 || x->tok_ain < 0 || x->tok_aout < 0 ||
	       x->tok_cr + x->tok_cw + x->tok_ain > x->tok_in || x->tok_rs + x->tok_aout > x->tok_out ||
	       x->tok_cw1h > x->tok_cw;
}

/* Rewrite the task's call groups (table task_calls) from its spans m[0..n). */
static int write_task_calls(ctx *c, int64_t task, tspan **m, size_t n)
{
	int rc;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const tspan *x = m[i];
		if (x->step != AC_STEP_LLM)
			continue;
		if (k == c->captc) {
			size_t nc = c->captc ? c->captc * 2 : 64;
			tcall *nt = realloc(c->tc, nc * sizeof(*nt));
			if (!nt)
				return ac_err_set(c->err, AC_ENOMEM, "out of memory");
			c->tc = nt;
			c->captc = nc;
		}
		tcall *t = &c->tc[k++];
		t->complexity = x->complexity_eff;
		t->model = x->model;
		t->day = ac_day_of_ns(x->start);
		/* unknown tiers price as standard (-1 -> 0) */
		t->tier = x->tier > 0 ? x->tier : 0;
		t->grp = irregular(x) ? x->id : t->tier * 16 + ac_prompt_bucket(x->tok_in);
		t->calls = 1;
		t->tin = x->tok_in;
		t->tout = x->tok_out;
		t->tcr = x->tok_cr;
		t->tcw = x->tok_cw;
		t->trs = x->tok_rs;
		t->tcw1h = x->tok_cw1h;
		t->tain = x->tok_ain;
		t->taout = x->tok_aout;
		t->cost = x->has_cost ? x->cost : 0;
	}
	if (!k) {
		sqlite3_bind_int64(c->q_tc_del, 1, task);
		rc = sqlite3_step(c->q_tc_del);
		sqlite3_reset(c->q_tc_del);
		return rc == SQLITE_DONE ? 0 : fail(c, "delete task calls");
	}
	if (k > 1)
		qsort(c->tc, k, sizeof(*c->tc), by_group);
	/* sum each run of one group into its first call, in place */
	size_t ng = 0;
	for (size_t i = 0; i < k;) {
		tcall g = c->tc[i];
		size_t j = i + 1;
		for (; j < k && !by_group(&c->tc[j], &g); j++) {
			const tcall *t = &c->tc[j];
			g.calls++;
			g.tin += t->tin;
			g.tout += t->tout;
			g.tcr += t->tcr;
			g.tcw += t->tcw;
			g.trs += t->trs;
			g.tcw1h += t->tcw1h;
			g.tain += t->tain;
			g.taout += t->taout;
			g.cost += t->cost;
		}
		c->tc[ng++] = g;
		i = j;
	}
	size_t need = 1 + ng * AC_CALLPACK_GROUP_MAX;
	if (need > c->cappack) {
		unsigned char *np = realloc(c->pack, need);
		if (!np)
			return ac_err_set(c->err, AC_ENOMEM, "out of memory");
		c->pack = np;
		c->cappack = need;
	}
	size_t len = ac_callpack_encode(c->tc, ng, c->pack);
	sqlite3_stmt *q = c->q_tc_ins;
	sqlite3_bind_int64(q, 1, task);
	sqlite3_bind_blob(q, 2, c->pack, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(c, "write task calls");
}

static int by_top_id(const void *a, const void *b)
{
	const struct top *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Name of dictionary row id through q (copied into out, "" when absent);
 * remembered, since dictionaries only grow and ties repeat. */
static int dict_name(ctx *c, sqlite3_stmt *q, int64_t id, char *out, size_t n)
{
	int64_t key[2] = { (int64_t)(uintptr_t)q, id }, at;
	if (ac_map_get(&c->names, key, sizeof(key), &at)) {
		snprintf(out, n, "%s", c->name_v[at]);
		return 0;
	}
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
	snprintf(out, n, "%s", t ? (const char *)t : "");
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(c, "read a name");
	if (c->nname == c->capname) {
		size_t nc = c->capname ? c->capname * 2 : 64;
		char **nv = realloc(c->name_v, nc * sizeof(*nv));
		if (!nv)
			return ac_err_set(c->err, AC_ENOMEM, "out of memory");
		c->name_v = nv;
		c->capname = nc;
	}
	if (!(c->name_v[c->nname] = strdup(out)) ||
	    ac_map_put(&c->names, key, sizeof(key), (int64_t)c->nname)) {
		free(c->name_v[c->nname]);
		return ac_err_set(c->err, AC_ENOMEM, "out of memory");
	}
	c->nname++;
	return 0;
}

/*
 * The id with the largest summed value among c->top[0..n) (as the GROUP BY /
 * ORDER BY value DESC, name of SQL would pick it):
 * ties go to the name first in byte order, looked up through q. *out 0 when
 * n == 0.
 */
static int top_of(ctx *c, size_t n, sqlite3_stmt *q, int64_t *out, double *out_v)
{
	*out = 0;
	*out_v = 0;
	if (!n)
		return 0;
	qsort(c->top, n, sizeof(*c->top), by_top_id);
	int64_t best = 0;
	double bv = 0;
	char bname[512], name[512];
	int have = 0, named = 0; /* named: bname holds best's name (read at a tie only) */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double v = 0;
		for (; j < n && c->top[j].id == c->top[i].id; j++)
			v += c->top[j].v;
		int rc;
		if (!have || v > bv) {
			best = c->top[i].id;
			bv = v;
			have = 1;
			named = 0;
		} else if (v == bv) {
			if (!named) {
				bname[0] = '\0';
				if ((rc = dict_name(c, q, best, bname, sizeof(bname))))
					return rc;
				named = 1;
			}
			if ((rc = dict_name(c, q, c->top[i].id, name, sizeof(name))))
				return rc;
			if (strcmp(name, bname) < 0) {
				best = c->top[i].id;
				memcpy(bname, name, sizeof(name));
			}
		}
		i = j;
	}
	*out = best;
	*out_v = bv;
	return 0;
}

/* What dominated the task: its top model, purpose and tool (schema/004). */
static int task_tops(ctx *c, tspan **m, size_t n, int64_t out[3], long long *tool_calls)
{
	if (n > c->captop) {
		struct top *nt = realloc(c->top, n * sizeof(*nt));
		if (!nt)
			return ac_err_set(c->err, AC_ENOMEM, "out of memory");
		c->top = nt;
		c->captop = n;
	}
	int rc;
	double v;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (m[i]->step == AC_STEP_LLM && m[i]->model)
			c->top[k++] = (struct top){ m[i]->model, m[i]->has_cost ? m[i]->cost : 0 };
	if ((rc = top_of(c, k, c->q_model_name, &out[0], &v)))
		return rc;
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (m[i]->has_cost)
			c->top[k++] = (struct top){ m[i]->purpose_eff, m[i]->cost };
	if ((rc = top_of(c, k, c->q_label_name, &out[1], &v)))
		return rc;
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (m[i]->step == AC_STEP_TOOL && m[i]->tool)
			c->top[k++] = (struct top){ m[i]->tool, 1 };
	if ((rc = top_of(c, k, c->q_tool_name, &out[2], &v)))
		return rc;
	*tool_calls = (long long)v;
	return 0;
}

/* The task's root: a span whose parent is not in the task; one with no
 * parent at all first; earliest first (m is sorted by start). */
static tspan *task_root(tspan **m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!m[i]->has_parent)
			return m[i];
	for (size_t i = 0; i < n; i++)
		if (m[i]->parent < 0)
			return m[i];
	return m[0]; /* every span has a parent in the task: a cycle */
}

/* The task's system: the root's service, else the most common one (ties:
 * the one seen first). */
static int task_system(ctx *c, tspan **m, size_t n, const tspan *root, int64_t *system)
{
	*system = root->service;
	if (*system)
		return 0;
	int64_t *sv = malloc((n ? n : 1) * sizeof(*sv));
	if (!sv)
		return ac_err_set(c->err, AC_ENOMEM, "out of memory");
	size_t ns = 0;
	for (size_t i = 0; i < n; i++)
		if (m[i]->service)
			sv[ns++] = m[i]->service;
	qsort(sv, ns, sizeof(*sv), cmp_i64);
	size_t best = 0, best_first = (size_t)-1;
	for (size_t i = 0; i < ns;) {
		size_t k = i;
		while (k < ns && sv[k] == sv[i])
			k++;
		size_t first = 0;
		while (m[first]->service != sv[i])
			first++;
		if (k - i > best || (k - i == best && first < best_first)) {
			best = k - i;
			best_first = first;
			*system = sv[i];
		}
		i = k;
	}
	free(sv);
	return 0;
}

/* The task's type: agentcost.task.type, root first, then any span
 * (earliest); else the root's agent name; else the root's span name. */
static int task_type_of(ctx *c, tspan **m, size_t n, const tspan *root, int64_t *ttype)
{
	*ttype = root->task_type;
	for (size_t i = 0; i < n && !*ttype; i++)
		*ttype = m[i]->task_type;
	if (!*ttype)
		*ttype = root->agent_name;
	if (!*ttype)
		return name_label(c, root->name, ttype);
	return 0;
}

static int task_is_eval(const ctx *c, tspan **m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (idset_has(&c->env_eval, m[i]->env) || idset_has(&c->purpose_eval, m[i]->purpose) ||
		    m[i]->step == AC_STEP_EVALUATOR)
			return 1;
	return 0;
}

/* Failure episodes of a task: per tool, in start order, from a failed call
 * to the start of the next call of that tool that succeeds (or for ever). */
typedef struct episodes {
	interval *ep;    /* merged into disjoint intervals, by start */
	size_t nmerged;
	size_t episodes; /* before merging */
	long long failures, attempts;
} episodes;

static int task_episodes(ctx *c, tspan **m, size_t n, episodes *e)
{
	memset(e, 0, sizeof(*e));
	size_t nep = 0;
	tspan **tc = malloc((n ? n : 1) * sizeof(*tc));
	e->ep = malloc((n ? n : 1) * sizeof(*e->ep)); /* at most one episode per tool call */
	if (!tc || !e->ep) {
		free(tc);
		free(e->ep);
		e->ep = NULL;
		return ac_err_set(c->err, AC_ENOMEM, "out of memory");
	}
	interval *ep = e->ep;
	size_t ntc = 0;
	for (size_t i = 0; i < n; i++)
		if (m[i]->step == AC_STEP_TOOL)
			tc[ntc++] = m[i];
	qsort(tc, ntc, sizeof(*tc), by_tool_start);
	for (size_t i = 0; i < ntc;) {
		size_t k = i;
		int in_ep = 0;
		int64_t from = 0;
		for (; k < ntc && tc[k]->tool == tc[i]->tool; k++) {
			tspan *x = tc[k];
			if (x->status == 2)
				e->failures++;
			if (!in_ep) {
				if (x->status == 2) {
					in_ep = 1;
					from = x->start;
				}
				continue;
			}
			e->attempts++;
			if (x->status != 2) {
				ep[nep].from = from;
				ep[nep++].to = x->start;
				in_ep = 0;
			}
		}
		if (in_ep) {
			ep[nep].from = from;
			ep[nep++].to = INT64_MAX;
		}
		i = k;
	}
	free(tc);
	e->episodes = nep;
	/* merge overlapping episodes of different tools into disjoint intervals,
	 * so spans (in start order) are classified in one sweep */
	qsort(ep, nep, sizeof(*ep), by_from);
	for (size_t i = 0; i < nep; i++) {
		if (e->nmerged && ep[i].from <= ep[e->nmerged - 1].to) {
			if (ep[i].to > ep[e->nmerged - 1].to)
				ep[e->nmerged - 1].to = ep[i].to;
		} else {
			ep[e->nmerged++] = ep[i];
		}
	}
	return 0;
}

/* What the task row holds beyond its spans' keys. */
typedef struct task_sums {
	int64_t system, ttype;
	int eval;
	long long llm, tools, unpriced, tin, tout, max_run;
	int64_t start, end;
	double cost;
} task_sums;

/* An LLM span above other LLM spans whose tokens are exactly theirs: a
 * rollup, not a call (the rule at the top of this file). */
static void demote_rollup(tspan *x)
{
	if (x->step == AC_STEP_LLM && x->llm_below && x->tok_in == x->below_in &&
	    x->tok_out == x->below_out) {
		x->step = AC_STEP_CHAIN;
		x->cost = 0;
		x->has_cost = 1;
		x->cost_src = AC_COST_NONE;
		x->demoted = 1;
	}
}

/* The span's purpose: eval, summarize, retry (a purpose or inside a failure
 * episode), its own, else by its step. */
static int64_t span_purpose(const ctx *c, const tspan *x, int eval, int in_episode)
{
	if (eval)
		return c->p_eval;
	if (x->step == AC_STEP_LLM &&
	    (idset_has(&c->purpose_summ, x->purpose) || idset_has(&c->name_summar, x->name)))
		return c->p_summarize;
	if (idset_has(&c->purpose_retry, x->purpose) || in_episode)
		return c->p_retry;
	if (x->purpose)
		return x->purpose;
	if (x->step == AC_STEP_LLM)
		return c->p_execute;
	if (x->step == AC_STEP_TOOL)
		return c->p_tool;
	return c->p_other;
}

/* Write what the derivation decided for span x (purpose p, rollup key rk):
 * the rollup's sums moved, a demoted rollup span rewritten, its row updated
 * when anything changed. */
static int span_write(ctx *c, int64_t task, tspan *x, const tspan *was, int64_t p, int64_t rk)
{
	int rc;
	if (rk != x->old_rk &&
	    ((x->old_rk && (rc = pend_add(c, x->old_rk, was, -1))) || (rc = pend_add(c, rk, x, 1))))
		return rc;
	if (!c->mem && x->demoted) {
		sqlite3_stmt *u = c->q_demote;
		sqlite3_bind_int64(u, 1, x->id);
		sqlite3_bind_int(u, 2, x->step);
		sqlite3_bind_int(u, 3, x->cost_src);
		rc = sqlite3_step(u);
		sqlite3_reset(u);
		if (rc != SQLITE_DONE)
			return fail(c, "rewrite a rollup span");
		x->demoted = 0;
	}
	if (!c->mem && (x->old_task != task || x->old_purpose != p ||
	                x->old_complexity != x->complexity_eff || x->old_rk != rk)) {
		sqlite3_stmt *u = c->q_upd;
		sqlite3_bind_int64(u, 1, x->id);
		sqlite3_bind_int64(u, 2, task);
		sqlite3_bind_int64(u, 3, p);
		if (x->complexity_eff)
			sqlite3_bind_int64(u, 4, x->complexity_eff);
		else
			sqlite3_bind_null(u, 4);
		sqlite3_bind_int64(u, 5, rk);
		rc = sqlite3_step(u);
		sqlite3_reset(u);
		if (rc != SQLITE_DONE)
			return fail(c, "update span purpose");
	}
	x->old_task = task;
	x->old_purpose = p;
	x->old_complexity = x->complexity_eff;
	x->old_rk = rk;
	return 0;
}

/* Every span of the task in start order: rollups demoted, the sums, the
 * longest run of one step, each span's purpose and rollup key written. */
static int task_spans(ctx *c, int64_t task, tspan **m, size_t n, const episodes *e, task_sums *t)
{
	int rc;
	size_t sweep = 0;
	long long run = 0, run_llm = 0;
	int64_t last_tool = -1, last_name = -1;
	t->start = m[0]->start;
	t->end = m[0]->end;
	for (size_t i = 0; i < n; i++) {
		tspan *x = m[i];
		tspan was = *x; /* what the rollup holds for it */
		demote_rollup(x);
		if (x->start < t->start)
			t->start = x->start;
		if (x->end > t->end)
			t->end = x->end;
		if (x->step == AC_STEP_LLM) {
			t->llm++;
			if (x->cost_src == AC_COST_PRODUCER || x->cost_src == AC_COST_UNPRICED)
				t->unpriced++;
			/* tokens are the calls' tokens: a span above them that
			 * repeats their totals (an agent, a chain) adds none */
			t->tin += x->tok_in;
			t->tout += x->tok_out;
		}
		if (x->step == AC_STEP_TOOL)
			t->tools++;
		if (x->has_cost)
			t->cost += x->cost;
		/* the same step again and again: runs of the same tool among the
		 * tool calls, and of the same span name among the LLM calls (a loop
		 * alternating "call the tool, ask the model" repeats both) */
		if (x->step == AC_STEP_TOOL) {
			run = x->tool == last_tool ? run + 1 : 1;
			last_tool = x->tool;
			if (run > t->max_run)
				t->max_run = run;
		} else if (x->step == AC_STEP_LLM) {
			run_llm = x->name == last_name ? run_llm + 1 : 1;
			last_name = x->name;
			if (run_llm > t->max_run)
				t->max_run = run_llm;
		}
		while (sweep < e->nmerged && e->ep[sweep].to <= x->start)
			sweep++;
		int in_episode = sweep < e->nmerged && e->ep[sweep].from <= x->start;
		int64_t p = span_purpose(c, x, t->eval, in_episode);
		x->purpose_eff = p;
		rkey key = { t->system, x->service, t->ttype, t->eval, x->step, x->status, x->cost_src,
			     x->model, x->tool, p, x->complexity_eff, x->trace_first };
		int64_t rk;
		if ((rc = key_id(c, &key, &rk)) || (rc = span_write(c, task, x, &was, p, rk)))
			return rc;
	}
	return 0;
}

/* Bind the task's key to parameter 18 of u: its trace's 16-byte id (from the
 * batch while deriving in memory, else read), or its agentcost.task.id. */
static int bind_task_key(ctx *c, sqlite3_stmt *u, int64_t task)
{
	int is_ref = task >= AC_TASK_REF_BASE;
	if (!is_ref && c->mem && c->mem_tid) {
		sqlite3_bind_blob(u, 18, c->mem_tid, 16, SQLITE_STATIC);
		return 0;
	}
	sqlite3_stmt *kq = is_ref ? c->q_ref_name : c->q_trace_hex;
	sqlite3_bind_int64(kq, 1, is_ref ? task - AC_TASK_REF_BASE : task);
	if (sqlite3_step(kq) != SQLITE_ROW) {
		sqlite3_reset(kq);
		return fail(c, "task key");
	}
	if (is_ref)
		sqlite3_bind_text(u, 18, (const char *)sqlite3_column_text(kq, 0),
		                  sqlite3_column_bytes(kq, 0), SQLITE_TRANSIENT);
	else
		sqlite3_bind_blob(u, 18, sqlite3_column_blob(kq, 0), sqlite3_column_bytes(kq, 0),
		                  SQLITE_TRANSIENT);
	sqlite3_reset(kq);
	return 0;
}

/* Bind the task row's parameters (queries/tasks_task_put.sql) to u. */
static int bind_task(ctx *c, sqlite3_stmt *u, int64_t task, size_t n, const task_sums *t,
                     const episodes *e, const int64_t tops[3], long long top_tool_calls)
{
	int rc;
	sqlite3_bind_int64(u, 1, task);
	if ((rc = bind_task_key(c, u, task)))
		return rc;
	if (t->system)
		sqlite3_bind_int64(u, 2, t->system);
	else
		sqlite3_bind_null(u, 2);
	if (t->ttype)
		sqlite3_bind_int64(u, 3, t->ttype);
	else
		sqlite3_bind_null(u, 3);
	sqlite3_bind_int64(u, 4, t->start);
	sqlite3_bind_int64(u, 5, t->end);
	sqlite3_bind_int64(u, 6, (sqlite3_int64)n);
	sqlite3_bind_int64(u, 7, t->llm);
	sqlite3_bind_int64(u, 8, t->tools);
	sqlite3_bind_int64(u, 9, t->tin);
	sqlite3_bind_int64(u, 10, t->tout);
	sqlite3_bind_double(u, 11, t->cost);
	sqlite3_bind_int64(u, 12, t->unpriced);
	sqlite3_bind_int(u, 13, t->eval);
	sqlite3_bind_int64(u, 14, e->failures);
	sqlite3_bind_int64(u, 15, (sqlite3_int64)e->episodes);
	sqlite3_bind_int64(u, 16, e->attempts);
	sqlite3_bind_int64(u, 17, t->max_run);
	for (int i = 0; i < 3; i++)
		if (tops[i])
			sqlite3_bind_int64(u, 19 + i, tops[i]);
		else
			sqlite3_bind_null(u, 19 + i);
	if (tops[2])
		sqlite3_bind_int64(u, 22, top_tool_calls);
	else
		sqlite3_bind_null(u, 22);
	return 0;
}

/* The task row: a plain INSERT (q_new_task), which needs no statement
 * journal, and INSERT OR REPLACE (q_put_task) only when the id is stored
 * already (a task derived again). */
static int put_task(ctx *c, int64_t task, size_t n, const task_sums *t, const episodes *e,
                    const int64_t tops[3], long long top_tool_calls)
{
	sqlite3_stmt *u = c->q_new_task;
	int rc;
	if ((rc = bind_task(c, u, task, n, t, e, tops, top_tool_calls)))
		return rc;
	rc = sqlite3_step(u);
	sqlite3_reset(u);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		u = c->q_put_task;
		if ((rc = bind_task(c, u, task, n, t, e, tops, top_tool_calls)))
			return rc;
		rc = sqlite3_step(u);
		sqlite3_reset(u);
	}
	if (rc != SQLITE_DONE)
		return fail(c, "write task");
	return 0;
}

/* Derive one task from its spans m[0, n): its row, each span's purpose and
 * rollup key, its call groups. */
static int compute_task(ctx *c, int64_t task, tspan **m, size_t n)
{
	int rc;
	qsort(m, n, sizeof(*m), by_start);
	const tspan *root = task_root(m, n);
	task_sums t;
	memset(&t, 0, sizeof(t));
	if ((rc = task_system(c, m, n, root, &t.system)) || (rc = task_type_of(c, m, n, root, &t.ttype)))
		return rc;
	t.eval = task_is_eval(c, m, n);
	episodes e;
	if ((rc = task_episodes(c, m, n, &e)))
		return rc;
	rc = task_spans(c, task, m, n, &e, &t);
	free(e.ep);
	if (rc)
		return rc;
	int64_t tops[3];
	long long top_tool_calls = 0;
	if ((rc = write_task_calls(c, task, m, n)) || (rc = task_tops(c, m, n, tops, &top_tool_calls)) ||
	    (rc = put_task(c, task, n, &t, &e, tops, top_tool_calls)))
		return rc;
	c->st->tasks++;
	return 0;
}

/* Id of the task keyed by trace t or by task_ref r (one of them 0): the
 * trace's id, or AC_TASK_REF_BASE + r (schema/005_task_keys.sql). */
static int64_t task_id(int64_t t, int64_t r)
{
	return t ? t : AC_TASK_REF_BASE + r;
}

static int delete_task(ctx *c, int64_t task)
{
	sqlite3_bind_int64(c->q_del_task, 1, task);
	int rc = sqlite3_step(c->q_del_task);
	sqlite3_reset(c->q_del_task);
	if (rc != SQLITE_DONE)
		return fail(c, "delete task");
	sqlite3_bind_int64(c->q_tc_del, 1, task);
	rc = sqlite3_step(c->q_tc_del);
	sqlite3_reset(c->q_tc_del);
	return rc == SQLITE_DONE ? 0 : fail(c, "delete task calls");
}

/* Recompute the agentcost.task.id task of ref r (task row id task) from all
 * traces listed for it, plus `also` (0 = none). */
static int recompute_ref_task(ctx *c, int64_t task, int64_t r, int64_t also)
{
	int rc = 0;
	idset traces = { 0 };
	vec a = { 0 };
	tspan **m = NULL;
	if (also && idset_add(&traces, also))
		return ac_err_set(c->err, AC_ENOMEM, "out of memory");
	sqlite3_bind_int64(c->q_tt_list, 1, task);
	while ((rc = sqlite3_step(c->q_tt_list)) == SQLITE_ROW)
		if (idset_add(&traces, sqlite3_column_int64(c->q_tt_list, 0))) {
			rc = ac_err_set(c->err, AC_ENOMEM, "out of memory");
			sqlite3_reset(c->q_tt_list);
			goto done;
		}
	sqlite3_reset(c->q_tt_list);
	if (rc != SQLITE_DONE) {
		rc = fail(c, "task traces");
		goto done;
	}
	rc = 0;
	size_t nm = 0;
	for (size_t i = 0; i < traces.n; i++) {
		size_t before = a.n;
		if ((rc = load_trace(c, traces.v[i], &a)))
			goto done;
		int member = 0;
		for (size_t k = before; k < a.n; k++)
			member |= a.v[k].ref == r;
		sqlite3_stmt *q = member ? c->q_tt_add : c->q_tt_del;
		sqlite3_bind_int64(q, 1, task);
		sqlite3_bind_int64(q, 2, traces.v[i]);
		rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc != SQLITE_DONE) {
			rc = fail(c, "task traces");
			goto done;
		}
		rc = 0;
	}
	m = malloc((a.n ? a.n : 1) * sizeof(*m));
	if (!m) {
		rc = ac_err_set(c->err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t k = 0; k < a.n; k++)
		if (a.v[k].ref == r)
			m[nm++] = &a.v[k];
	rc = nm ? compute_task(c, task, m, nm) : delete_task(c, task);
done:
	free(m);
	free(a.v);
	free(traces.v);
	return rc;
}

/* Re-derive everything trace t's spans belong (or belonged) to. */
static int derive_trace(ctx *c, int64_t t)
{
	int rc = 0;
	vec a = { 0 };
	tspan **m = NULL;
	idset refs = { 0 }, old = { 0 };
	if ((rc = load_trace(c, t, &a)))
		goto done;
	c->st->traces++;
	m = malloc((a.n ? a.n : 1) * sizeof(*m));
	if (!m) {
		rc = ac_err_set(c->err, AC_ENOMEM, "out of memory");
		goto done;
	}
	size_t nm = 0;
	for (size_t i = 0; i < a.n; i++) {
		if (a.v[i].old_task && idset_add(&old, a.v[i].old_task)) {
			rc = ac_err_set(c->err, AC_ENOMEM, "out of memory");
			goto done;
		}
		if (!a.v[i].ref)
			m[nm++] = &a.v[i];
		else if (idset_add(&refs, a.v[i].ref)) {
			rc = ac_err_set(c->err, AC_ENOMEM, "out of memory");
			goto done;
		}
	}
	/* the trace's own task */
	int64_t own = 0;
	if (nm) {
		own = task_id(t, 0);
		if ((rc = compute_task(c, own, m, nm)))
			goto done;
	} else if ((rc = delete_task(c, task_id(t, 0)))) {
		goto done;
	}
	/* tasks grouped by agentcost.task.id */
	idset done_tasks = { 0 };
	for (size_t i = 0; i < refs.n && !rc; i++) {
		int64_t task = task_id(0, refs.v[i]);
		rc = recompute_ref_task(c, task, refs.v[i], t);
		if (!rc && idset_add(&done_tasks, task))
			rc = ac_err_set(c->err, AC_ENOMEM, "out of memory");
	}
	/* tasks the trace's spans belonged to before and no longer do */
	for (size_t i = 0; i < old.n && !rc; i++) {
		int64_t task = old.v[i];
		if (task == own || idset_has(&done_tasks, task))
			continue;
		/* a trace's own task is always `own` (a task id of another trace
		 * only survives from a store derived before schema 5: nothing to do) */
		if (task >= AC_TASK_REF_BASE)
			rc = recompute_ref_task(c, task, task - AC_TASK_REF_BASE, 0);
	}
	free(done_tasks.v);
done:
	free(m);
	free(a.v);
	free(refs.v);
	free(old.v);
	return rc;
}

struct ac_deriver {
	ctx c;
	ac_derive_stats st;
};

int ac_deriver_new(ac_deriver **out, ac_store *s, ac_err *err)
{
	ac_deriver *d = calloc(1, sizeof(*d));
	if (!d)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	d->c.s = s;
	d->c.db = ac_store_db(s);
	d->c.err = err;
	d->c.st = &d->st;
	int rc = setup(&d->c);
	if (rc) {
		ac_deriver_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

int ac_deriver_run(ac_deriver *d, const int64_t *traces, size_t n, ac_err *err)
{
	d->c.err = err;
	int rc = refresh(&d->c);
	for (size_t i = 0; i < n && !rc; i++)
		rc = derive_trace(&d->c, traces[i]);
	if (!rc)
		rc = flush_rollup(&d->c);
	return rc;
}

int ac_deriver_refresh(ac_deriver *d, ac_err *err)
{
	d->c.err = err;
	return refresh(&d->c);
}

int ac_deriver_fresh(ac_deriver *d, int64_t t, const uint8_t trace_id[16], ac_span_row *rows,
                     size_t n, int *done, ac_err *err)
{
	ctx *c = &d->c;
	vec *a = &c->mem_spans;
	*done = 0;
	c->err = err;
	if (n == 0 || n > AC_SPAN_KEY_MASK)
		return 0;
	if (n > c->capmem) {
		tspan **nm = realloc(c->mem_m, n * sizeof(*nm));
		if (!nm)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		c->mem_m = nm;
		c->capmem = n;
	}
	/* the spans as load_trace would read them back */
	a->n = 0;
	for (size_t i = 0; i < n; i++) {
		const ac_span_row *r = &rows[i];
		tspan *x = vec_push(a);
		if (!x)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		x->id = r->key;
		x->trace = t;
		for (int k = 0; k < 8; k++)
			x->sid = x->sid << 8 | r->span_id[k];
		x->has_parent = r->parent_id != NULL;
		for (int k = 0; k < 8 && r->parent_id; k++)
			x->pid = x->pid << 8 | r->parent_id[k];
		x->start = r->start_ns;
		x->end = r->end_ns;
		x->step = r->step;
		x->status = r->status;
		x->cost_src = r->cost_src;
		x->service = r->service;
		x->env = r->env;
		x->model = r->model;
		x->tool = r->tool;
		x->name = r->name;
		x->complexity = r->complexity;
		x->purpose = r->purpose;
		x->task_ref = r->task_ref;
		x->task_type = r->task_type;
		x->agent_name = r->agent_name;
		int64_t *tok[8] = { &x->tok_in, &x->tok_out,  &x->tok_cr,  &x->tok_cw,
			            &x->tok_rs, &x->tok_cw1h, &x->tok_ain, &x->tok_aout };
		for (int k = 0; k < 8; k++)
			*tok[k] = r->tok_mask & (1u << k) ? r->tok[k] : 0;
		x->tier = r->tier;
		x->has_cost = !isnan(r->cost);
		x->cost = x->has_cost ? r->cost : 0;
		x->prod_cost = r->has_producer_cost ? r->producer_cost : 0;
		x->has_score = r->has_eval_score;
		x->score = r->has_eval_score ? r->eval_score : 0;
	}
	finish_trace(a, 0);
	/* a span grouped by agentcost.task.id (its own or inherited) joins a
	 * task across traces: that takes the stored path */
	for (size_t i = 0; i < n; i++)
		if (a->v[i].ref)
			return 0;
	c->st->traces++;
	c->st->spans += (long long)n;
	for (size_t i = 0; i < n; i++)
		c->mem_m[i] = &a->v[i];
	c->mem = 1;
	c->mem_tid = trace_id;
	int rc = compute_task(c, task_id(t, 0), c->mem_m, n);
	c->mem = 0;
	c->mem_tid = NULL;
	if (rc)
		return rc;
	/* compute_task leaves each span's derived values as its "stored" ones */
	for (size_t i = 0; i < n; i++) {
		rows[i].derived = 1;
		rows[i].task = a->v[i].old_task;
		rows[i].purpose_eff = a->v[i].old_purpose;
		rows[i].complexity_eff = a->v[i].old_complexity;
		rows[i].rollup_key = a->v[i].old_rk;
		if (a->v[i].demoted) {
			/* a rollup (the rule at the top): stored as derived */
			rows[i].step = a->v[i].step;
			rows[i].cost = 0;
			rows[i].cost_src = a->v[i].cost_src;
		}
	}
	*done = 1;
	c->st->early++;
	return 0;
}

const ac_derive_stats *ac_deriver_stats(const ac_deriver *d)
{
	return &d->st;
}

void ac_deriver_free(ac_deriver *d)
{
	if (!d)
		return;
	teardown(&d->c);
	free(d);
}

long long ac_tasks_pending(ac_store *s, ac_err *err)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(ac_store_db(s), "tasks_pending.sql", 0, &st) != SQLITE_OK)
		return ac_store_fail(s, err, "count dirty traces");
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return n;
}

int ac_tasks_mark_all(ac_store *s, ac_err *err)
{
	if (ac_store_exec_named(ac_store_db(s), "tasks_mark_all.sql") != SQLITE_OK)
		return ac_store_fail(s, err, "exec");
	return 0;
}

int ac_tasks_derive(ac_store *s, ac_derive_stats *st, ac_err *err)
{
	ctx c;
	ac_derive_stats local;
	int rc;
	memset(&c, 0, sizeof(c));
	memset(&local, 0, sizeof(local));
	c.s = s;
	c.db = ac_store_db(s);
	c.err = err;
	c.st = st ? st : &local;
	sqlite3_stmt *pick = NULL, *clear = NULL;

	for (;;) {
		if ((rc = ac_store_begin(s, err)))
			break;
		if ((!c.q_spans && (rc = setup(&c))) || (rc = refresh(&c)))
			goto fail;
		if (!pick &&
		    (ac_store_prepare_named(c.db, "tasks_dirty_pick.sql", 0, &pick) != SQLITE_OK ||
		     ac_store_prepare_named(c.db, "tasks_dirty_clear.sql", 0, &clear) != SQLITE_OK)) {
			rc = fail(&c, "prepare");
			goto fail;
		}
		int64_t batch[BATCH_TRACES];
		int nb = 0;
		sqlite3_bind_int(pick, 1, BATCH_TRACES);
		while ((rc = sqlite3_step(pick)) == SQLITE_ROW)
			batch[nb++] = sqlite3_column_int64(pick, 0);
		sqlite3_reset(pick);
		if (rc != SQLITE_DONE) {
			rc = fail(&c, "read dirty traces");
			goto fail;
		}
		rc = 0;
		for (int i = 0; i < nb; i++) {
			if ((rc = derive_trace(&c, batch[i])))
				goto fail;
			sqlite3_bind_int64(clear, 1, batch[i]);
			int r2 = sqlite3_step(clear);
			sqlite3_reset(clear);
			if (r2 != SQLITE_DONE) {
				rc = fail(&c, "clear dirty trace");
				goto fail;
			}
		}
		if ((rc = flush_rollup(&c)))
			goto fail;
		if ((rc = ac_store_commit(s, err)))
			break;
		if (nb < BATCH_TRACES)
			break;
	}
	goto out;
fail:
	ac_store_rollback(s);
out:
	sqlite3_finalize(pick);
	sqlite3_finalize(clear);
	teardown(&c);
	return rc;
}

int ac_tasks_rollup_stale(ac_store *s, int stale, ac_err *err)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(ac_store_db(s), "tasks_rollup_stale.sql", 0, &st) != SQLITE_OK)
		return ac_store_fail(s, err, "exec");
	sqlite3_bind_int(st, 1, stale ? 1 : 0);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ac_store_fail(s, err, "exec");
	sqlite3_finalize(st);
	return rc;
}

int ac_tasks_rollup_is_stale(ac_store *s, ac_err *err)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(ac_store_db(s), "tasks_rollup_is_stale.sql", 0, &st) != SQLITE_OK)
		return -ac_store_fail(s, err, "read rollup state");
	int stale = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return stale;
}

/* Copy every row of rollup_rebuild.sql into the (emptied) rollup through
 * tasks_rollup_add.sql: each (hour, key) comes once, so the add inserts the
 * values as they are, the same rows INSERT ... SELECT would write. */
static int rollup_copy(ac_store *s, ac_err *err)
{
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *q = NULL, *put = NULL;
	int rc;
	if (ac_store_prepare_named(db, "rollup_rebuild.sql", 0, &q) != SQLITE_OK ||
	    ac_store_prepare_named(db, "tasks_rollup_add.sql", SQLITE_PREPARE_PERSISTENT, &put) !=
	            SQLITE_OK) {
		rc = ac_store_fail(s, err, "exec");
		goto done;
	}
	int ncol = sqlite3_column_count(q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++)
			sqlite3_bind_value(put, i + 1, sqlite3_column_value(q, i));
		rc = sqlite3_step(put);
		sqlite3_reset(put);
		if (rc != SQLITE_DONE)
			break;
	}
	rc = rc == SQLITE_DONE ? 0 : ac_store_fail(s, err, "exec");
done:
	sqlite3_finalize(q);
	sqlite3_finalize(put);
	return rc;
}

int ac_tasks_rollup_rebuild(ac_store *s, ac_err *err)
{
	int rc;
	if ((rc = ac_store_begin(s, err)))
		return rc;
	if (ac_store_exec_named(ac_store_db(s), "tasks_rollup_clear.sql") != SQLITE_OK)
		rc = ac_store_fail(s, err, "exec");
	if (rc || (rc = rollup_copy(s, err)) || (rc = ac_tasks_rollup_stale(s, 0, err))) {
		ac_store_rollback(s);
		return rc;
	}
	return ac_store_commit(s, err);
}
