/*
 * q_task, the tasks of a question with dimensions (store.h): the store's side
 * of src/analysis/dims.c, one implementation per backend.
 *
 * SQLite: the temporary tables of queries/dims_reset.sql, filled step by step
 * by the statement files dims.c names, inside the savepoint of
 * dims_begin.sql, ending in q_task(task, k1, k2) (dims_task.sql).
 *
 * ClickHouse: nothing runs here. The steps are recorded (the window, which of
 * queries/clickhouse/dims_q_task.sql's value columns each position takes, the
 * filters) and the end renders that query into the text of a subquery, which
 * every later query of the store embeds at {q_task} (ch_store.c).
 */
#include <stdlib.h>
#include <string.h>

#include "ch_store.h"
#include "store.h"

/* ---- SQLite ----------------------------------------------------------------- */

static int script(ac_store *s, const char *name, ac_err *err)
{
	const char *text = ac_store_query(name);
	if (!text)
		return ac_err_set(err, AC_ESQL, "query %s is not embedded", name);
	return ac_store_exec(s, text, err);
}

/* Run statement file `name` to its end: with the window and system bound
 * (window), else with ?1 = a when nb >= 1 and ?2 = b when nb == 2 (SQLite
 * ignores a value bound to a parameter the statement does not have). */
static int run(ac_store *s, const char *name, int window, int64_t since_ns, int64_t until_ns,
               const char *system, int nb, int64_t a, const char *b, ac_err *err)
{
	ac_rows *r;
	int rc = window ? ac_store_rows(s, name, since_ns, until_ns, system, AC_ROWS_SCAN, &r, err)
	                : ac_store_rows(s, name, 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
	if (rc)
		return rc;
	if (nb >= 1)
		ac_rows_bind_int(r, 1, a);
	if (nb >= 2)
		ac_rows_bind_text(r, 2, b);
	while ((rc = ac_rows_next(r, err)) > 0)
		;
	ac_rows_free(r);
	return rc;
}

static void sqlite_abort(ac_store *s)
{
	ac_err ignore = AC_ERR_INIT;
	script(s, "dims_abort.sql", &ignore);
}

static int sqlite_begin(ac_store *s, int64_t since_ns, int64_t until_ns, const char *system,
                        ac_err *err)
{
	int rc;
	if ((rc = script(s, "dims_begin.sql", err)))
		return rc;
	if ((rc = script(s, "dims_reset.sql", err)) ||
	    (rc = run(s, "dims_cand.sql", 1, since_ns, until_ns, system, 0, 0, NULL, err)))
		sqlite_abort(s);
	return rc;
}

static int sqlite_values(ac_store *s, int pos, int how, const char *values, int64_t arg,
                         ac_err *err)
{
	int rc;
	if (how == AC_QTASK_TASK)
		return run(s, values, 0, 0, 0, NULL, 1, pos, NULL, err);
	if (how == AC_QTASK_SPANS) {
		/* q_sv from the statement (?1: dims_sv_promoted.sql's dim.id) */
		if ((rc = run(s, "dims_sv_clear.sql", 0, 0, 0, NULL, 0, 0, NULL, err)) ||
		    (rc = run(s, values, 0, 0, 0, NULL, 1, arg, NULL, err)))
			return rc;
	}
	return run(s, "dims_rule.sql", 0, 0, 0, NULL, 1, pos, NULL, err);
}

static int sqlite_end(ac_store *s, int ok, ac_err *err)
{
	int rc;
	if (!ok) {
		sqlite_abort(s);
		return 0;
	}
	if ((rc = run(s, "dims_task.sql", 0, 0, 0, NULL, 0, 0, NULL, err))) {
		sqlite_abort(s);
		return rc;
	}
	return script(s, "dims_end.sql", err);
}

/* ---- ClickHouse --------------------------------------------------------------- */

/* dims_q_task.sql's column of each statement file dims.c names: the same
 * values, by the same rule, computed in that one query. */
static const struct {
	const char *values, *column;
} CH_COLUMN[] = {
	{ "dims_task_system.sql", "v_system" }, { "dims_task_type.sql", "v_task_type" },
	{ "dims_sv_user.sql", "v_user" },       { "dims_sv_session.sql", "v_session" },
	{ "dims_sv_agent.sql", "v_agent" },     { "dims_sv_env.sql", "v_env" },
};
#define CH_POS_MAX 16

struct ac_qtask_ch {
	int open;                      /* between begin and end */
	int64_t since_ns, until_ns;
	char *system;
	const char *column[CH_POS_MAX]; /* position -> dims_q_task.sql's column */
	ac_buf where;                  /* the filters: v_x = 'value' AND ... */
	char *text;                    /* the rendered subquery; NULL: none */
};

void ac_qtask_ch_free(ac_qtask_ch *q)
{
	if (!q)
		return;
	free(q->system);
	free(q->text);
	ac_buf_release(&q->where);
	free(q);
}

const char *ac_qtask_ch_text(const ac_qtask_ch *q)
{
	return q ? q->text : NULL;
}

static int ch_begin(ac_store *s, int64_t since_ns, int64_t until_ns, const char *system,
                    ac_err *err)
{
	ac_qtask_ch **slot = ac_store_qtask_ch(s);
	ac_qtask_ch_free(*slot);
	ac_qtask_ch *q = *slot = calloc(1, sizeof(*q));
	if (!q || (system && !(q->system = strdup(system))))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	q->since_ns = since_ns;
	q->until_ns = until_ns;
	q->open = 1;
	return 0;
}

static int ch_values(ac_store *s, int pos, int how, const char *values, ac_err *err)
{
	ac_qtask_ch *q = *ac_store_qtask_ch(s);
	if (!q || !q->open || pos < 1 || pos >= CH_POS_MAX)
		return ac_err_set(err, AC_EINVAL, "q_task: position %d out of order", pos);
	for (size_t i = 0; how != AC_QTASK_RULE && i < sizeof(CH_COLUMN) / sizeof(CH_COLUMN[0]); i++)
		if (!strcmp(values, CH_COLUMN[i].values)) {
			q->column[pos] = CH_COLUMN[i].column;
			return 0;
		}
	return ac_err_set(err, AC_EINVAL,
	                  "%s: not answered on the ClickHouse backend yet (no column of "
	                  "queries/clickhouse/dims_q_task.sql); use a SQLite store for it",
	                  values ? values : "span values read from the originals");
}

static int ch_where(ac_store *s, int pos, const char *value, ac_err *err)
{
	ac_qtask_ch *q = *ac_store_qtask_ch(s);
	if (!q || !q->open || pos < 1 || pos >= CH_POS_MAX || !q->column[pos])
		return ac_err_set(err, AC_EINVAL, "q_task: filter at position %d without values", pos);
	if (q->where.len)
		ac_buf_adds(&q->where, " AND ");
	ac_buf_adds(&q->where, q->column[pos]);
	ac_buf_adds(&q->where, " = ");
	ac_ch_quote(&q->where, value);
	return q->where.oom ? ac_err_set(err, AC_ENOMEM, "out of memory") : 0;
}

/* dims_q_task.sql rendered: the window bound, {k1} {k2} the columns at
 * positions 1 and 2 (v_none: NULL), {where} the filters (1: none). */
static int ch_end(ac_store *s, int ok, ac_err *err)
{
	ac_qtask_ch *q = *ac_store_qtask_ch(s);
	if (!q || !q->open)
		return ok ? ac_err_set(err, AC_EINVAL, "q_task: end without begin") : 0;
	q->open = 0;
	if (!ok)
		return 0;
	ac_ch_rows *r;
	int rc = ac_ch_rows_open(ac_store_ch(s), "dims_q_task.sql", q->since_ns, q->until_ns,
	                         q->system, 0, &r, err);
	if (rc)
		return rc;
	ac_ch_rows_set_text(r, "k1", q->column[1] ? q->column[1] : "v_none");
	ac_ch_rows_set_text(r, "k2", q->column[2] ? q->column[2] : "v_none");
	ac_ch_rows_set_text(r, "where", q->where.len ? ac_buf_cstr(&q->where) : "1");
	ac_buf b = AC_BUF_INIT;
	if (!(rc = ac_ch_rows_sql(r, &b, err))) {
		if (b.oom || !(q->text = strdup(ac_buf_cstr(&b))))
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	ac_buf_release(&b);
	ac_ch_rows_free(r);
	return rc;
}

/* ---- store.h ------------------------------------------------------------------ */

int ac_store_qtask_begin(ac_store *s, int64_t since_ns, int64_t until_ns, const char *system,
                         ac_err *err)
{
	return ac_store_is_remote(s) ? ch_begin(s, since_ns, until_ns, system, err)
	                             : sqlite_begin(s, since_ns, until_ns, system, err);
}

int ac_store_qtask_values(ac_store *s, int pos, int how, const char *values, int64_t arg,
                          ac_err *err)
{
	return ac_store_is_remote(s) ? ch_values(s, pos, how, values, err)
	                             : sqlite_values(s, pos, how, values, arg, err);
}

int ac_store_qtask_where(ac_store *s, int pos, const char *value, ac_err *err)
{
	return ac_store_is_remote(s)
	               ? ch_where(s, pos, value, err)
	               : run(s, "dims_where_put.sql", 0, 0, 0, NULL, 2, pos, value, err);
}

int ac_store_qtask_end(ac_store *s, int ok, ac_err *err)
{
	return ac_store_is_remote(s) ? ch_end(s, ok, err) : sqlite_end(s, ok, err);
}
