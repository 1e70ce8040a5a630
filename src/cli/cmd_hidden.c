/*
 * agentcost hidden [--by DIM[,DIM]] [--where DIM=VALUE]...
 *
 * The costs nobody budgets for, printed. The analysis (per purpose cost,
 * cost and token shares, tool failure rate, retries per failure episode;
 * overall and per system) is src/analysis/hidden.h.
 *
 * Table and CSV: system, purpose, cost, share, token_share,
 * tool_failure_rate, retries_per_failure; the "all" rows, then each
 * system's. JSON: {"cost_total", "<purpose>":{"cost","share","token_share"}
 * ..., "tool_failure_rate", "retries_per_failure", "systems":[{"system":...,
 * the same members}]}.
 *
 * With --by (issue #17) the scopes are the dimensions' values instead of the
 * systems: table and CSV start with one column per dimension, named
 * ac_dim_column ("user", "team" for attr:team), then purpose, cost, ...;
 * one block of rows per value (pair), in value order, no "all" rows. JSON:
 * {"groups":[{"<DIM>":value, ["<DIM2>":value,] "cost_total", ...}], then
 * the overall members as above (every task kept by --where)}: the values
 * come one at a time (src/analysis/hidden.h), written as they come in CSV
 * and JSON (a million users in bounded memory; the aligned table holds its
 * rows), so the overall comes last. --where alone filters and keeps the
 * plain output: the "all" rows then each system's, over the tasks the
 * filters keep (ac_hidden_run).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dims.h"
#include "analysis/hidden.h"
#include "cli.h"

/* A purpose named like one of the object's own keys gets a prefix, so the
 * JSON object never has a key twice. */
static void json_purpose_key(const char *name, const char *const *dims, size_t ndims)
{
	static const char *const reserved[] = { "system", "cost_total", "tool_failure_rate",
		                                "retries_per_failure", "systems" };
	int clash = dims && !strcmp(name, "groups"); /* --by's array */
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		clash |= !strcmp(name, reserved[i]);
	for (size_t i = 0; i < ndims; i++)
		clash |= !strcmp(name, dims[i]);
	if (clash) {
		char buf[64];
		snprintf(buf, sizeof(buf), "purpose_%s", name);
		json_str(stdout, buf);
		return;
	}
	json_str(stdout, name);
}

/* The members of one scope's object, from "cost_total" to "retries_per_failure"
 * (dims: the dimension columns, which a purpose's key must not repeat). */
static void json_scope_body(const ac_hidden_scope *s, const char *const *dims, size_t ndims)
{
	printf("\"cost_total\":");
	json_num(stdout, s->cost_usd);
	for (size_t i = 0; i < s->np; i++) {
		const ac_hidden_purpose *p = &s->p[i];
		putchar(',');
		json_purpose_key(p->name, dims, ndims);
		printf(":{\"cost\":");
		json_num(stdout, p->cost_usd);
		printf(",\"share\":");
		json_num(stdout, p->share);
		printf(",\"token_share\":");
		json_num(stdout, p->token_share);
		putchar('}');
	}
	printf(",\"tool_failure_rate\":");
	json_num(stdout, s->tool_failure_rate);
	printf(",\"retries_per_failure\":");
	json_num(stdout, s->retries_per_failure);
}

/* label: the first column's text (NULL: the scope's nkeys values instead) */
static void table_rows(out_table *t, const ac_hidden_scope *s, const char *label, size_t nkeys)
{
	for (size_t i = 0; i < s->np; i++) {
		const ac_hidden_purpose *p = &s->p[i];
		if (label)
			out_str(t, label);
		for (size_t k = 0; !label && k < nkeys; k++)
			out_str(t, s->k[k]);
		out_str(t, p->name);
		out_num(t, p->cost_usd);
		out_num(t, p->share);
		out_num(t, p->token_share);
		out_num(t, s->tool_failure_rate);
		out_num(t, s->retries_per_failure);
	}
}

static void print_result(const ac_hidden_result *ss, out_format fmt)
{
	if (fmt == FMT_JSON) {
		putchar('{');
		json_scope_body(&ss->all, NULL, 0);
		printf(",\"systems\":[");
		for (size_t i = 0; i < ss->n; i++) {
			printf(i ? ",\n{\"system\":" : "\n{\"system\":");
			json_str(stdout, ss->sys[i].system);
			putchar(',');
			json_scope_body(&ss->sys[i], NULL, 0);
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
	table_rows(t, &ss->all, "all", 0);
	for (size_t i = 0; i < ss->n; i++)
		table_rows(t, &ss->sys[i], ss->sys[i].system, 0);
	out_table_print(t, stdout, fmt, "purposes");
}

static const char *const BY_NAMES[] = { "purpose", "cost", "share", "token_share",
	                                "tool_failure_rate", "retries_per_failure" };
static const col_type BY_TYPES[] = { COL_STR, COL_STR, COL_STR, COL_USD, COL_NUM,
	                             COL_NUM, COL_NUM, COL_NUM };

/* One value's scope as it comes: a JSON object or CSV lines. */
static void emit_scope(const ac_hidden_scope *sc, const char *const *cols, size_t nk,
                       out_format fmt, size_t *shown)
{
	if (fmt == FMT_JSON) {
		printf((*shown)++ ? ",\n{" : "\n{");
		for (size_t k = 0; k < nk; k++) {
			json_str(stdout, cols[k]);
			putchar(':');
			json_str(stdout, sc->k[k]);
			putchar(',');
		}
		json_scope_body(sc, cols, nk);
		putchar('}');
		return;
	}
	out_table *one = out_table_new(cols, BY_TYPES + 2 - nk, (int)nk + 6);
	table_rows(one, sc, NULL, nk);
	ac_table_write_csv_rows(stdout, one);
	ac_table_free(one);
}

/* The aligned table with --by: ac_hidden_run's scopes (the values
 * collected), so the command uses both of hidden.h's ways. */
static int table_by(ac_store *s, const ac_query *q, const char *const *cols, int ncol)
{
	size_t nk = q->nby;
	ac_hidden_result r;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK;
	if (ac_hidden_run(s, q, &r, &err)) {
		cli_error("hidden: %s", err.msg);
		status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	} else {
		out_table *t = out_table_new(cols, BY_TYPES + 2 - nk, ncol);
		for (size_t i = 0; i < r.n; i++)
			table_rows(t, &r.sys[i], NULL, nk);
		out_table_print(t, stdout, FMT_TABLE, "purposes");
	}
	ac_hidden_result_free(&r);
	return status;
}

/* With --by (header comment): CSV and JSON the values one at a
 * time, holding none (a million users); the aligned table all of them.
 * Returns the exit status. */
static int run_by(ac_store *s, const ac_query *q, out_format fmt)
{
	const char *cols[2 + 6];
	size_t nk = q->nby;
	for (size_t i = 0; i < nk; i++)
		cols[i] = ac_dim_column(&q->by[i]);
	memcpy(cols + nk, BY_NAMES, sizeof(BY_NAMES));
	int ncol = (int)nk + 6;
	ac_err err = AC_ERR_INIT;
	if (fmt == FMT_TABLE) /* the aligned table holds every row anyway */
		return table_by(s, q, cols, ncol);
	ac_hidden_iter *it;
	if (ac_hidden_by_open(s, q, &it, &err)) {
		cli_error("hidden: %s", err.msg);
		return err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	if (fmt == FMT_JSON) {
		printf("{\"groups\":[");
	} else {
		for (int c = 0; c < ncol; c++) {
			if (c)
				putchar(',');
			csv_cell(stdout, cols[c], 0);
		}
		putchar('\n');
	}
	ac_hidden_scope sc;
	size_t shown = 0;
	int rc;
	while ((rc = ac_hidden_by_next(it, &sc, &err)) == 1) {
		emit_scope(&sc, cols, nk, fmt, &shown);
		ac_hidden_scope_release(&sc);
	}
	const ac_hidden_scope *all = ac_hidden_by_all(it);
	if (!rc && fmt == FMT_JSON) {
		printf("%s],", shown ? "\n" : "");
		json_scope_body(all, cols, nk);
		printf("}\n");
	}
	ac_hidden_by_close(it);
	if (rc) {
		cli_error("hidden: %s", err.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_hidden(int argc, char **argv)
{
	common_opts co;
	cli_dims d;
	if (cli_common(&argc, argv, &co) || cli_dims_parse(&argc, argv, "hidden", &d))
		return EXIT_USAGE;
	if (argc > 1) {
		cli_error("hidden: unexpected '%s'", argv[1]);
		fprintf(stderr, "usage: agentcost hidden [--by DIM[,DIM]] [--where DIM=VALUE]... "
		                "[--since DAY] [--until DAY] [--system NAME] "
		                "[--format table|csv|json]\n");
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	ac_query q = cli_query(&co);
	cli_dims_apply(&d, &q);
	static const char *const own[] = { "purpose", "cost", "share", "token_share",
		                           "tool_failure_rate", "retries_per_failure",
		                           "cost_total", "groups" };
	if (q.dims && cli_dims_clash("hidden", &q, own, 8)) {
		ac_store_close(s);
		return EXIT_USAGE;
	}
	if (q.nby) {
		int st = run_by(s, &q, co.format);
		ac_store_close(s);
		return st;
	}
	ac_hidden_result r;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK;
	if (ac_hidden_run(s, &q, &r, &err)) {
		cli_error("hidden: %s", err.msg);
		status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	} else {
		print_result(&r, co.format);
	}
	ac_hidden_result_free(&r);
	ac_store_close(s);
	return status;
}
