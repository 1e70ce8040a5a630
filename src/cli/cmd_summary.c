/*
 * agentcost summary [--unpriced]: what the store holds
 * (queries/summary_spans.sql and queries/unpriced_models.sql), with a hint
 * for each unpriced model: the nearest known model name
 * (ac_pricebook_hint, pricing.h). --unpriced prints only the unpriced
 * models (model, calls, hint), in any format.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pricing/pricing.h"
#include "util/timeutil.h"

/* One unpriced model: its name (NULL when the spans named none), its LLM
 * calls in the window, the nearest known name (NULL when none is near). */
typedef struct unpriced_row {
	char *model;
	long long calls;
	const char *hint; /* owned by the pricebook */
} unpriced_row;

static void unpriced_free(unpriced_row *u, int n)
{
	for (int i = 0; i < n; i++)
		free(u[i].model);
	free(u);
}

/* Read the rows of queries/unpriced_models.sql and give each its hint.
 * Returns 0 or -1 (out of memory, or the statement failed). */
static int read_unpriced(sqlite3_stmt *um, ac_pricebook *pb, unpriced_row **out, int *n)
{
	unpriced_row *u = NULL;
	int len = 0, cap = 0, s;

	while ((s = sqlite3_step(um)) == SQLITE_ROW) {
		if (len == cap) {
			int ncap = cap ? cap * 2 : 16;
			unpriced_row *nu = realloc(u, (size_t)ncap * sizeof(*nu));
			if (!nu)
				goto fail;
			u = nu;
			cap = ncap;
		}
		const char *m = (const char *)sqlite3_column_text(um, 0);
		u[len].model = m ? strdup(m) : NULL;
		if (m && !u[len].model)
			goto fail;
		u[len].calls = sqlite3_column_int64(um, 1);
		u[len].hint = m && pb ? ac_pricebook_hint(pb, m) : NULL;
		len++;
	}
	if (s != SQLITE_DONE)
		goto fail;
	*out = u;
	*n = len;
	return 0;
fail:
	unpriced_free(u, len);
	return -1;
}

static void json_unpriced_detail(const unpriced_row *u, int n)
{
	printf("[");
	for (int i = 0; i < n; i++) {
		printf("%s{\"model\":", i ? "," : "");
		json_str(stdout, u[i].model);
		printf(",\"calls\":%lld,\"hint\":", u[i].calls);
		json_str(stdout, u[i].hint);
		printf("}");
	}
	printf("]");
}

static int bind_window(sqlite3_stmt *st, const common_opts *co)
{
	sqlite3_bind_int64(st, 1, co->since_ns);
	sqlite3_bind_int64(st, 2, co->until_ns);
	if (co->system)
		sqlite3_bind_text(st, 3, co->system, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	return 0;
}

int cmd_summary(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	int only_unpriced = argc == 2 && strcmp(argv[1], "--unpriced") == 0;
	if (argc > 1 && !only_unpriced) {
		cli_error("summary: unexpected '%s'", argv[1]);
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *st = NULL, *um = NULL, *tq = NULL, *tt = NULL;
	int status = EXIT_OK, nun = 0;
	ac_err perr = AC_ERR_INIT;
	ac_pricebook *pb = NULL;
	unpriced_row *un = NULL;
	if (ac_store_prepare_window(db, "summary_spans.sql", co.since_ns, co.until_ns, &st, &perr) ||
	    ac_store_prepare_window(db, "unpriced_models.sql", co.since_ns, co.until_ns, &um, &perr) ||
	    ac_store_prepare_window(db, "summary_tasks.sql", co.since_ns, co.until_ns, &tq, &perr) ||
	    ac_store_prepare_window(db, "summary_tiers.sql", co.since_ns, co.until_ns, &tt, &perr)) {
		cli_error("summary: %s", perr.msg);
		status = EXIT_FAIL;
		goto done;
	}
	bind_window(st, &co);
	if (sqlite3_step(st) != SQLITE_ROW) {
		cli_error("summary: %s", sqlite3_errmsg(db));
		status = EXIT_FAIL;
		goto done;
	}
	long long spans = sqlite3_column_int64(st, 0), llm = sqlite3_column_int64(st, 1),
	          tools = sqlite3_column_int64(st, 2), unpriced = sqlite3_column_int64(st, 4),
	          producer = sqlite3_column_int64(st, 5), traces = sqlite3_column_int64(st, 8);
	double cost = sqlite3_column_double(st, 3);
	char first[11] = "", last[11] = "";
	int have_days = sqlite3_column_type(st, 6) != SQLITE_NULL;
	if (have_days) {
		ac_format_day(ac_day_of_ns(sqlite3_column_int64(st, 6)), first);
		ac_format_day(ac_day_of_ns(sqlite3_column_int64(st, 7)), last);
	}
	bind_window(um, &co);
	bind_window(tq, &co);
	bind_window(tt, &co);
	if (ac_pricebook_load(&pb, db, &perr)) {
		cli_error("summary: %s", perr.msg);
		status = EXIT_FAIL;
		goto done;
	}
	if (read_unpriced(um, pb, &un, &nun)) {
		cli_error("summary: reading unpriced models: %s", sqlite3_errmsg(db));
		status = EXIT_FAIL;
		goto done;
	}
	if (only_unpriced) {
		static const char *const names[] = { "model", "calls", "hint" };
		static const col_type types[] = { COL_STR, COL_INT, COL_STR };
		out_table *t = out_table_new(names, types, 3);
		for (int i = 0; i < nun; i++) {
			out_str(t, un[i].model);
			out_int(t, un[i].calls);
			out_str(t, un[i].hint);
		}
		out_table_print(t, stdout, co.format, "unpriced_detail");
		goto done;
	}
	long long tasks = 0, eval_tasks = 0;
	if (sqlite3_step(tq) == SQLITE_ROW) {
		tasks = sqlite3_column_int64(tq, 0);
		eval_tasks = sqlite3_column_int64(tq, 1);
	}
	/* token conventions (issue #18 item 7, cmd_convention.c) */
	long long iec = cli_input_excludes_cache(db, &co, NULL);
	if (iec < 0) {
		status = EXIT_FAIL;
		goto done;
	}
	long long tier_fallback = 0, unknown_tier = 0;
	if (sqlite3_step(tt) == SQLITE_ROW) {
		tier_fallback = sqlite3_column_int64(tt, 0);
		unknown_tier = sqlite3_column_int64(tt, 1);
	}
	if (co.format == FMT_JSON) {
		printf("{\"spans\":%lld,\"traces\":%lld,\"tasks\":%lld,\"eval_tasks\":%lld,"
		       "\"llm_calls\":%lld,\"tool_calls\":%lld,\"cost_total\":",
		       spans, traces, tasks, eval_tasks, llm, tools);
		json_num(stdout, cost);
		printf(",\"unpriced_spans\":%lld,\"producer_costed_spans\":%lld,\"unpriced_models\":[",
		       unpriced, producer);
		for (int i = 0; i < nun; i++) {
			if (i)
				putchar(',');
			json_str(stdout, un[i].model);
		}
		printf("],\"unpriced_detail\":");
		json_unpriced_detail(un, nun);
		printf(",\"tier_fallback_calls\":%lld,\"unknown_tier_calls\":%lld", tier_fallback,
		       unknown_tier);
		printf(",\"input_excludes_cache_calls\":%lld", iec);
		printf(",\"first_day\":");
		json_str(stdout, have_days ? first : NULL);
		printf(",\"last_day\":");
		json_str(stdout, have_days ? last : NULL);
		printf("}\n");
	} else if (co.format == FMT_CSV) {
		static const char *const names[] = { "spans", "traces", "tasks", "eval_tasks",
			                             "llm_calls", "tool_calls", "cost_total",
			                             "unpriced_spans", "first_day", "last_day" };
		static const col_type types[] = { COL_INT, COL_INT, COL_INT, COL_INT, COL_INT,
			                          COL_INT, COL_USD, COL_INT, COL_STR, COL_STR };
		out_table *t = out_table_new(names, types, 10);
		out_int(t, spans);
		out_int(t, traces);
		out_int(t, tasks);
		out_int(t, eval_tasks);
		out_int(t, llm);
		out_int(t, tools);
		out_num(t, cost);
		out_int(t, unpriced);
		out_str(t, have_days ? first : NULL);
		out_str(t, have_days ? last : NULL);
		out_table_print(t, stdout, FMT_CSV, "summary");
	} else {
		printf("spans        %lld\n", spans);
		printf("traces       %lld\n", traces);
		printf("tasks        %lld (%lld evaluation runs)\n", tasks, eval_tasks);
		printf("LLM calls    %lld\n", llm);
		printf("tool calls   %lld\n", tools);
		printf("total cost   $%.4f\n", cost);
		printf("days         %s .. %s\n", have_days ? first : "-", have_days ? last : "-");
		if (iec && cli_input_excludes_cache(db, &co, stdout) < 0)
			status = EXIT_FAIL;
		if (unpriced) {
			printf("UNPRICED     %lld LLM call%s not in the price table (%lld costed by the "
			       "producer's own figure; the rest have no cost and are in no total):\n",
			       unpriced, unpriced == 1 ? "" : "s", producer);
			for (int i = 0; i < nun; i++) {
				printf("  %-40s %lld call%s", un[i].model ? un[i].model : "(no model name)",
				       un[i].calls, un[i].calls == 1 ? "" : "s");
				if (un[i].hint)
					printf("  (nearest known: %s)", un[i].hint);
				putchar('\n');
			}
			printf("  add prices with: agentcost prices import FILE; name what a model is with\n"
			       "  an alias file (alias,model): agentcost prices import aliases.csv\n");
		}
		if (tier_fallback)
			printf("TIER FALLBACK %lld LLM call%s of a service tier their model has no price "
			       "for, priced at standard\n",
			       tier_fallback, tier_fallback == 1 ? "" : "s");
		if (unknown_tier)
			printf("UNKNOWN TIER %lld LLM call%s of a service tier agentcost does not know, "
			       "priced at standard\n",
			       unknown_tier, unknown_tier == 1 ? "" : "s");
	}
done:
	unpriced_free(un, nun);
	ac_pricebook_free(pb);
	sqlite3_finalize(st);
	sqlite3_finalize(um);
	sqlite3_finalize(tq);
	sqlite3_finalize(tt);
	ac_store_close(s);
	return status;
}
