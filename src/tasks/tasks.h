/*
 * Tasks and step purposes: the derivation that turns stored spans into what
 * FinOps reasons about. Runs after every ingest over the traces the ingest
 * touched (table dirty_trace), so its cost is proportional to what changed.
 *
 * Rules (the contract):
 *   task        a trace, unless spans carry agentcost.task.id (on the span or
 *               its nearest ancestor), which groups them, across traces too
 *   system      service.name of the root span, else the most common one
 *   task type   agentcost.task.type on any span, root first; else
 *               gen_ai.agent.name, else agent.name, on the root; else the
 *               root span's name
 *   eval task   resource deployment.environment[.name] = eval | evaluation,
 *               or any span with agentcost.purpose=eval, or an OpenInference
 *               EVALUATOR span
 *   complexity  agentcost.complexity on the span or its nearest ancestor
 *   purpose     first match wins: eval (any span of an eval task);
 *               summarize (LLM call with agentcost.purpose=summarize or a
 *               name containing "summar", any case); retry (agentcost.purpose
 *               = retry, or a span starting inside a tool failure episode);
 *               the explicit agentcost.purpose; else execute (LLM calls),
 *               tool (tool calls), other
 *   rollup      an LLM span whose input and output tokens are exactly the
 *               sums over the LLM spans nearest below it in its trace is
 *               not a call: rewritten as a chain (step 4, cost 0); task
 *               tokens count LLM calls only (tasks.c, "Count a call once")
 *   episode     from a failed tool call's start to the start of the next
 *               successful call of the same tool in the task (or the task's
 *               end); attempts = calls of that tool after its first failure
 */
#ifndef AC_TASKS_H
#define AC_TASKS_H

#include "../store/store.h"
#include "../util/err.h"

/* task.id of a task grouped by agentcost.task.id: this + task_ref.id (a task
 * that is a trace has the trace's id, always below 2^39). */
#define AC_TASK_REF_BASE ((int64_t)1 << 40)

typedef struct ac_derive_stats {
	long long traces; /* dirty traces processed */
	long long tasks;  /* tasks written */
	long long spans;  /* spans read */
	long long early;  /* traces derived before their spans were stored */
} ac_derive_stats;

/* Derive every dirty trace. Commits in batches; safe to interrupt. */
int ac_tasks_derive(ac_store *s, ac_derive_stats *st, ac_err *err);

/*
 * Derivation inside the caller's open write transaction, for a given list of
 * traces (ingest derives each transaction's traces before committing it, so
 * spans and their tasks land together and span pages are written once).
 * Labels are re-read incrementally at each run; rolling back the caller's
 * transaction requires a new deriver.
 */
typedef struct ac_deriver ac_deriver;
int ac_deriver_new(ac_deriver **out, ac_store *s, ac_err *err);
int ac_deriver_run(ac_deriver *d, const int64_t *traces, size_t n, ac_err *err);
/*
 * Derive a trace whose spans are all here, in memory, before they are
 * stored: a trace new in the caller's transaction, all of its spans in one
 * batch (rows[0..n), in key order, each row's key as the store will give
 * it). Its task, call groups and rollup sums are written as ac_deriver_run
 * would; each row gets its derived columns (row.derived = 1), to be inserted
 * with them (one write per span instead of an insert and an update). *done = 0
 * when the trace cannot be derived alone (a span grouped by
 * agentcost.task.id): nothing was written, and the caller stores the spans
 * with placeholders and lists the trace for ac_deriver_run as usual.
 * trace_id: the trace's 16-byte id, which the task row is keyed by (NULL:
 * read from the store). Rolling back the caller's transaction requires a
 * new deriver. Call
 * ac_deriver_refresh first; the rollup sums are written by the next
 * ac_deriver_run (which may be given no traces).
 */
int ac_deriver_fresh(ac_deriver *d, int64_t t, const uint8_t trace_id[16], ac_span_row *rows,
                     size_t n, int *done, ac_err *err);
/* Read the labels and span names added since the last run: before a round of
 * ac_deriver_fresh calls, once the spans' dictionary ids exist. */
int ac_deriver_refresh(ac_deriver *d, ac_err *err);

const ac_derive_stats *ac_deriver_stats(const ac_deriver *d);
void ac_deriver_free(ac_deriver *d);

/* Number of traces waiting for derivation (or a negative error). */
long long ac_tasks_pending(ac_store *s, ac_err *err);

/* Mark every trace with a billable span dirty (after re-pricing). */
int ac_tasks_mark_all(ac_store *s, ac_err *err);

/*
 * The rollup (schema/004_rollup.sql) follows derivation incrementally. A
 * change of span costs (re-pricing) is not a derivation: mark the rollup
 * stale before it, rebuild it from the spans after (one scan). A store
 * opened with a stale rollup is rebuilt first (cli_open_store).
 * ac_tasks_rollup_is_stale returns 1, 0, or a negative error.
 */
int ac_tasks_rollup_stale(ac_store *s, int stale, ac_err *err);
int ac_tasks_rollup_is_stale(ac_store *s, ac_err *err);
int ac_tasks_rollup_rebuild(ac_store *s, ac_err *err);

#endif
