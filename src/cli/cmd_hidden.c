/*
 * agentcost hidden: the costs nobody budgets for, printed. The analysis
 * (per purpose cost, cost and token shares, tool failure rate, retries per
 * failure episode; overall and per system) is src/analysis/hidden.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/hidden.h"
#include "cli.h"

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
static void json_scope_body(const ac_hidden_scope *s)
{
	printf("\"cost_total\":");
	json_num(stdout, s->cost_usd);
	for (size_t i = 0; i < s->np; i++) {
		const ac_hidden_purpose *p = &s->p[i];
		putchar(',');
		json_purpose_key(p->name);
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

static void table_rows(out_table *t, const ac_hidden_scope *s, const char *label)
{
	for (size_t i = 0; i < s->np; i++) {
		const ac_hidden_purpose *p = &s->p[i];
		out_str(t, label);
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
	ac_query q = cli_query(&co);
	ac_hidden_result r;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK;
	if (ac_hidden_run(s, &q, &r, &err)) {
		cli_error("hidden: %s", err.msg);
		status = EXIT_FAIL;
	} else {
		print_result(&r, co.format);
	}
	ac_hidden_result_free(&r);
	ac_store_close(s);
	return status;
}
