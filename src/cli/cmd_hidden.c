/*
 * agentcost hidden: the costs nobody budgets for.
 *
 * Per step purpose (span.purpose_eff, src/tasks/tasks.h) its cost, its share
 * of all spend in the window and its share of all tokens (tokens_in +
 * tokens_out), overall and per system; retry, summarize and eval always,
 * every other purpose when it has spans. Eval spans count as eval, all of
 * their cost. Also the tool failure rate (failed tool calls / tool calls,
 * over tool spans starting in the window) and retries per failure episode
 * (sum of task.retry_attempts / sum of task.retry_episodes, over tasks
 * starting in the window). Shares and rates are within their scope: the
 * whole window, or one system's part of it. A span belongs to the system of
 * its task. A ratio with a zero denominator is null.
 *
 * SQL in queries/hidden.sql (per system and purpose) and
 * queries/hidden_retries.sql (per system); the scopes are summed here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct purpose {
	char *name;
	double cost_usd;
	long long tokens, spans;
} purpose;

typedef struct scope {
	char *system; /* NULL: the task has no system (or the "all" scope) */
	purpose *p;
	size_t np, cap;
	double cost_usd;
	long long tokens, tool_calls, tool_failures, episodes, attempts;
} scope;

typedef struct scopes {
	scope all;
	scope *sys;
	size_t n, cap;
	int oom;
} scopes;

/* The purposes everybody asks about first, in the order they are shown. */
static const char *const KNOWN[] = { "retry", "summarize", "eval", "plan",
	                             "execute", "aggregate", "tool" };
#define NKNOWN (sizeof(KNOWN) / sizeof(KNOWN[0]))
#define NALWAYS 3 /* retry, summarize, eval: present even at zero */

static size_t rank(const char *name)
{
	for (size_t i = 0; i < NKNOWN; i++)
		if (!strcmp(name, KNOWN[i]))
			return i;
	return NKNOWN;
}

static int purpose_cmp(const void *a, const void *b)
{
	const purpose *x = a, *y = b;
	size_t rx = rank(x->name), ry = rank(y->name);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* NULL (no system) first, then byte order, as SQLite's ORDER BY. */
static int sys_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b ? 0 : !a ? -1 : 1;
	return strcmp(a, b);
}

static int scope_cmp(const void *a, const void *b)
{
	return sys_cmp(((const scope *)a)->system, ((const scope *)b)->system);
}

static purpose *get_purpose(scopes *ss, scope *s, const char *name)
{
	for (size_t i = 0; i < s->np; i++)
		if (!strcmp(s->p[i].name, name))
			return &s->p[i];
	if (s->np == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		purpose *np = realloc(s->p, nc * sizeof(*np));
		if (!np) {
			ss->oom = 1;
			return NULL;
		}
		s->p = np;
		s->cap = nc;
	}
	purpose *p = &s->p[s->np];
	memset(p, 0, sizeof(*p));
	if (!(p->name = strdup(name))) {
		ss->oom = 1;
		return NULL;
	}
	s->np++;
	return p;
}

static scope *get_scope(scopes *ss, const char *system)
{
	for (size_t i = ss->n; i-- > 0;) /* rows come sorted: the last one usually */
		if (!sys_cmp(ss->sys[i].system, system))
			return &ss->sys[i];
	if (ss->n == ss->cap) {
		size_t nc = ss->cap ? ss->cap * 2 : 16;
		scope *ns = realloc(ss->sys, nc * sizeof(*ns));
		if (!ns) {
			ss->oom = 1;
			return NULL;
		}
		ss->sys = ns;
		ss->cap = nc;
	}
	scope *s = &ss->sys[ss->n];
	memset(s, 0, sizeof(*s));
	if (system && !(s->system = strdup(system))) {
		ss->oom = 1;
		return NULL;
	}
	ss->n++;
	return s;
}

static void add_row(scopes *ss, scope *s, const char *name, double cost, long long tokens,
                    long long spans, long long calls, long long failures)
{
	purpose *p = get_purpose(ss, s, name);
	if (!p)
		return;
	p->cost_usd += cost;
	p->tokens += tokens;
	p->spans += spans;
	s->cost_usd += cost;
	s->tokens += tokens;
	s->tool_calls += calls;
	s->tool_failures += failures;
}

/* Add the always-shown purposes at zero, and sort into display order. */
static void finish_scope(scopes *ss, scope *s)
{
	for (size_t i = 0; i < NALWAYS; i++)
		get_purpose(ss, s, KNOWN[i]);
	if (s->np)
		qsort(s->p, s->np, sizeof(*s->p), purpose_cmp);
}

static void scope_release(scope *s)
{
	for (size_t i = 0; i < s->np; i++)
		free(s->p[i].name);
	free(s->p);
	free(s->system);
}

static double ratio(double a, double b)
{
	return b != 0 ? a / b : NAN;
}

static double tool_failure_rate(const scope *s)
{
	return ratio((double)s->tool_failures, (double)s->tool_calls);
}

static double retries_per_failure(const scope *s)
{
	return ratio((double)s->attempts, (double)s->episodes);
}

/* A purpose named like one of the object's own keys gets a prefix, so the
 * JSON object never has a key twice. */
static void json_purpose_key(const char *name)
{
	static const char *const reserved[] = { "system", "cost_total", "tool_failure_rate",
		                                "retries_per_failure", "systems" };
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(name, reserved[i])) {
			char buf[64];
			snprintf(buf, sizeof(buf), "purpose_%s", name);
			json_str(stdout, buf);
			return;
		}
	json_str(stdout, name);
}

/* The members of one scope's object, from "cost_total" to "retries_per_failure". */
static void json_scope_body(const scope *s)
{
	printf("\"cost_total\":");
	json_num(stdout, s->cost_usd);
	for (size_t i = 0; i < s->np; i++) {
		const purpose *p = &s->p[i];
		putchar(',');
		json_purpose_key(p->name);
		printf(":{\"cost\":");
		json_num(stdout, p->cost_usd);
		printf(",\"share\":");
		json_num(stdout, ratio(p->cost_usd, s->cost_usd));
		printf(",\"token_share\":");
		json_num(stdout, ratio((double)p->tokens, (double)s->tokens));
		putchar('}');
	}
	printf(",\"tool_failure_rate\":");
	json_num(stdout, tool_failure_rate(s));
	printf(",\"retries_per_failure\":");
	json_num(stdout, retries_per_failure(s));
}

static void table_rows(out_table *t, const scope *s, const char *label)
{
	for (size_t i = 0; i < s->np; i++) {
		const purpose *p = &s->p[i];
		out_str(t, label);
		out_str(t, p->name);
		out_num(t, p->cost_usd);
		out_num(t, ratio(p->cost_usd, s->cost_usd));
		out_num(t, ratio((double)p->tokens, (double)s->tokens));
		out_num(t, tool_failure_rate(s));
		out_num(t, retries_per_failure(s));
	}
}

static void print_result(const scopes *ss, out_format fmt)
{
	if (fmt == FMT_JSON) {
		putchar('{');
		json_scope_body(&ss->all);
		printf(",\"systems\":[");
		for (size_t i = 0; i < ss->n; i++) {
			printf(i ? ",\n{\"system\":" : "\n{\"system\":");
			json_str(stdout, ss->sys[i].system);
			putchar(',');
			json_scope_body(&ss->sys[i]);
			putchar('}');
		}
		printf("%s]}\n", ss->n ? "\n" : "");
		return;
	}
	static const char *const names[] = { "system", "purpose", "cost", "share", "token_share",
		                             "tool_failure_rate", "retries_per_failure" };
	static const col_type types[] = { COL_STR, COL_STR, COL_USD, COL_NUM,
		                          COL_NUM, COL_NUM, COL_NUM };
	out_table *t = out_table_new(names, types, 7);
	if (!t)
		return;
	table_rows(t, &ss->all, "all");
	for (size_t i = 0; i < ss->n; i++)
		table_rows(t, &ss->sys[i], ss->sys[i].system);
	out_table_print(t, stdout, fmt, "purposes");
}

static void bind_window(sqlite3_stmt *st, const common_opts *co)
{
	sqlite3_bind_int64(st, 1, co->since_ns);
	sqlite3_bind_int64(st, 2, co->until_ns);
	if (co->system)
		sqlite3_bind_text(st, 3, co->system, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
}

int cmd_hidden(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (argc > 1) {
		cli_error("hidden: unexpected '%s'", argv[1]);
		fprintf(stderr, "usage: agentcost hidden [--since DAY] [--until DAY] [--system NAME] "
		                "[--format table|csv|json]\n");
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *pq = NULL, *rq = NULL;
	scopes ss;
	memset(&ss, 0, sizeof(ss));
	int status = EXIT_OK, rc;
	ac_err perr = AC_ERR_INIT;
	if (ac_store_prepare_window(db, "hidden.sql", co.since_ns, co.until_ns, &pq, &perr) ||
	    ac_store_prepare_window(db, "hidden_retries.sql", co.since_ns, co.until_ns, &rq, &perr)) {
		cli_error("hidden: %s", perr.msg);
		status = EXIT_FAIL;
		goto done;
	}
	bind_window(pq, &co);
	bind_window(rq, &co);
	while ((rc = sqlite3_step(pq)) == SQLITE_ROW && !ss.oom) {
		const char *sys = (const char *)sqlite3_column_text(pq, 0);
		const char *name = (const char *)sqlite3_column_text(pq, 1);
		double cost = sqlite3_column_double(pq, 2);
		long long tokens = sqlite3_column_int64(pq, 3), spans = sqlite3_column_int64(pq, 4),
		          calls = sqlite3_column_int64(pq, 5), failures = sqlite3_column_int64(pq, 6);
		scope *sc = get_scope(&ss, sys);
		if (!sc)
			break;
		add_row(&ss, &ss.all, name, cost, tokens, spans, calls, failures);
		add_row(&ss, sc, name, cost, tokens, spans, calls, failures);
	}
	if (!ss.oom && rc != SQLITE_DONE)
		goto sql_fail;
	while ((rc = sqlite3_step(rq)) == SQLITE_ROW && !ss.oom) {
		scope *sc = get_scope(&ss, (const char *)sqlite3_column_text(rq, 0));
		if (!sc)
			break;
		long long ep = sqlite3_column_int64(rq, 1), at = sqlite3_column_int64(rq, 2);
		sc->episodes += ep;
		sc->attempts += at;
		ss.all.episodes += ep;
		ss.all.attempts += at;
	}
	if (!ss.oom && rc != SQLITE_DONE)
		goto sql_fail;
	finish_scope(&ss, &ss.all);
	for (size_t i = 0; i < ss.n; i++)
		finish_scope(&ss, &ss.sys[i]);
	if (ss.n) /* qsort(NULL, 0, ...) is undefined */
		qsort(ss.sys, ss.n, sizeof(*ss.sys), scope_cmp);
	if (ss.oom) {
		cli_error("hidden: out of memory");
		status = EXIT_FAIL;
		goto done;
	}
	print_result(&ss, co.format);
	goto done;
sql_fail:
	cli_error("hidden: %s", sqlite3_errmsg(db));
	status = EXIT_FAIL;
done:
	scope_release(&ss.all);
	for (size_t i = 0; i < ss.n; i++)
		scope_release(&ss.sys[i]);
	free(ss.sys);
	sqlite3_finalize(pq);
	sqlite3_finalize(rq);
	ac_store_close(s);
	return status;
}
