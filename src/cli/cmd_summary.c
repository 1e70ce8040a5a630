/*
 * agentcost summary [--unpriced]: what the store holds (the analysis:
 * src/analysis/summary.h), with a hint
 * for each unpriced model: the nearest known model name
 * (ac_pricebook_hint, pricing.h). --unpriced prints only the unpriced
 * models (model, calls, hint), in any format.
 *
 * summary --by DIM[,DIM] (issue #17): one row per value: the dimensions'
 * columns first, then spans, tasks, eval_tasks, llm_calls, tool_calls,
 * cost_total, unpriced_spans, producer_costed_spans (ac_summary_by: spans
 * starting in the window, each attributed to its task's values; --where
 * filters). JSON: {"summary":[{"<DIM>":...}, ...]}. --where DIM=VALUE
 * alone filters and keeps the plain output (every format, and --unpriced):
 * the plain figures over the tasks the filters keep (ac_summary_run).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dims.h"
#include "analysis/summary.h"
#include "cli.h"
#include "pricing/pricing.h"
#include "util/timeutil.h"

static void json_unpriced_detail(const ac_summary *r, const char *const *hint)
{
	printf("[");
	for (size_t i = 0; i < r->nunpriced; i++) {
		printf("%s{\"model\":", i ? "," : "");
		json_str(stdout, r->unpriced[i].model);
		printf(",\"calls\":%lld,\"hint\":", r->unpriced[i].calls);
		json_str(stdout, hint[i]);
		printf("}");
	}
	printf("]");
}

/* The calls whose input excludes the cache, per system x scope (summary's
 * table format). */
static void print_excl(const ac_summary *r)
{
	for (size_t i = 0; i < r->nexcl; i++) {
		const ac_cache_convention *c = &r->excl[i];
		if (!i)
			printf("INPUT EXCLUDES CACHE  LLM calls whose input tokens did not "
			       "count the cached tokens (fewer than cache read + write, or "
			       "stated with agentcost prices convention): fresh input = input\n");
		ac_term_printf(stdout, "  system %-24s scope %-32s %lld call%s\n", c->system ? c->system : "-",
		       c->scope ? c->scope : "-", c->calls, c->calls == 1 ? "" : "s");
	}
}

static void print_table(const ac_summary *r, const char *const *hint, const char *first,
                        const char *last)
{
	printf("spans        %lld\n", r->spans);
	printf("traces       %lld\n", r->traces);
	printf("tasks        %lld (%lld evaluation runs)\n", r->tasks, r->eval_tasks);
	printf("LLM calls    %lld\n", r->llm_calls);
	printf("tool calls   %lld\n", r->tool_calls);
	printf("total cost   $%.4f\n", r->cost_usd);
	printf("days         %s .. %s\n", r->have_days ? first : "-", r->have_days ? last : "-");
	print_excl(r);
	long long unpriced = r->unpriced_spans;
	if (unpriced) {
		printf("UNPRICED     %lld LLM call%s not in the price table (%lld costed by the "
		       "producer's own figure; the rest have no cost and are in no total):\n",
		       unpriced, unpriced == 1 ? "" : "s", r->producer_costed_spans);
		for (size_t i = 0; i < r->nunpriced; i++) {
			const ac_unpriced_model *u = &r->unpriced[i];
			ac_term_printf(stdout, "  %-40s %lld call%s", u->model ? u->model : "(no model name)", u->calls,
			       u->calls == 1 ? "" : "s");
			if (hint[i])
				ac_term_printf(stdout, "  (nearest known: %s)", hint[i]);
			putchar('\n');
		}
		printf("  add prices with: agentcost prices import FILE; name what a model is with\n"
		       "  an alias file (alias,model): agentcost prices import aliases.csv\n");
	}
	if (r->tier_fallback_calls)
		printf("TIER FALLBACK %lld LLM call%s of a service tier their model has no price "
		       "for, priced at standard\n",
		       r->tier_fallback_calls, r->tier_fallback_calls == 1 ? "" : "s");
	if (r->unknown_tier_calls)
		printf("UNKNOWN TIER %lld LLM call%s of a service tier agentcost does not know, "
		       "priced at standard\n",
		       r->unknown_tier_calls, r->unknown_tier_calls == 1 ? "" : "s");
}

static void print_json(const ac_summary *r, const char *const *hint, const char *first,
                       const char *last)
{
	printf("{\"spans\":%lld,\"traces\":%lld,\"tasks\":%lld,\"eval_tasks\":%lld,"
	       "\"llm_calls\":%lld,\"tool_calls\":%lld,\"cost_total\":",
	       r->spans, r->traces, r->tasks, r->eval_tasks, r->llm_calls, r->tool_calls);
	json_num(stdout, r->cost_usd);
	printf(",\"unpriced_spans\":%lld,\"producer_costed_spans\":%lld,\"unpriced_models\":[",
	       r->unpriced_spans, r->producer_costed_spans);
	for (size_t i = 0; i < r->nunpriced; i++) {
		if (i)
			putchar(',');
		json_str(stdout, r->unpriced[i].model);
	}
	printf("],\"unpriced_detail\":");
	json_unpriced_detail(r, hint);
	printf(",\"tier_fallback_calls\":%lld,\"unknown_tier_calls\":%lld",
	       r->tier_fallback_calls, r->unknown_tier_calls);
	printf(",\"input_excludes_cache_calls\":%lld", r->excl_calls);
	printf(",\"first_day\":");
	json_str(stdout, r->have_days ? first : NULL);
	printf(",\"last_day\":");
	json_str(stdout, r->have_days ? last : NULL);
	printf("}\n");
}

static void print_csv(const ac_summary *r, const char *first, const char *last)
{
	static const char *const names[] = { "spans", "traces", "tasks", "eval_tasks",
		                             "llm_calls", "tool_calls", "cost_total",
		                             "unpriced_spans", "first_day", "last_day" };
	static const col_type types[] = { COL_INT, COL_INT, COL_INT, COL_INT, COL_INT,
		                          COL_INT, COL_USD, COL_INT, COL_STR, COL_STR };
	out_table *t = out_table_new(names, types, 10);
	out_int(t, r->spans);
	out_int(t, r->traces);
	out_int(t, r->tasks);
	out_int(t, r->eval_tasks);
	out_int(t, r->llm_calls);
	out_int(t, r->tool_calls);
	out_num(t, r->cost_usd);
	out_int(t, r->unpriced_spans);
	out_str(t, r->have_days ? first : NULL);
	out_str(t, r->have_days ? last : NULL);
	out_table_print(t, stdout, FMT_CSV, "summary");
}

static int by_row(void *ctx, const ac_summary_row *w)
{
	out_stream *o = ctx;
	out_table *t = o->t;
	for (size_t i = 0; i < w->nk; i++)
		out_str(t, w->k[i]);
	out_int(t, w->spans);
	out_int(t, w->tasks);
	out_int(t, w->eval_tasks);
	out_int(t, w->llm_calls);
	out_int(t, w->tool_calls);
	out_num(t, w->cost_usd);
	out_int(t, w->unpriced_spans);
	out_int(t, w->producer_costed_spans);
	out_stream_row(o, stdout);
	return 0;
}

/* summary with --by (and --where): one row per value. */
static int print_by(ac_store *s, const ac_query *q, out_format fmt)
{
	static const char *const names[] = { "spans", "tasks", "eval_tasks", "llm_calls",
		                             "tool_calls", "cost_total", "unpriced_spans",
		                             "producer_costed_spans" };
	static const col_type types[] = { COL_INT, COL_INT, COL_INT, COL_INT,
		                          COL_INT, COL_USD, COL_INT, COL_INT };
	const char *nm[AC_DIMS_MAX_BY + 8];
	col_type ty[AC_DIMS_MAX_BY + 8];
	size_t k = 0;
	for (; k < q->nby; k++) {
		nm[k] = ac_dim_column(&q->by[k]);
		ty[k] = COL_STR;
	}
	for (size_t i = 0; i < 8; i++, k++) {
		nm[k] = names[i];
		ty[k] = types[i];
	}
	/* printed as it comes: a row per user can be a million rows */
	out_stream o = { out_table_new(nm, ty, (int)k), fmt, "summary", 0 };
	if (!o.t) {
		cli_error("summary: out of memory");
		return EXIT_FAIL;
	}
	ac_err err = AC_ERR_INIT;
	int rc = ac_summary_by(s, q, by_row, &o, &err);
	if (rc) {
		cli_error("summary: %s", err.msg);
		out_stream_abort(&o);
		return rc == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	out_stream_end(&o, stdout);
	return EXIT_OK;
}

int cmd_summary(int argc, char **argv)
{
	common_opts co;
	cli_dims d;
	if (cli_common(&argc, argv, &co) || cli_dims_parse(&argc, argv, "summary", &d))
		return EXIT_USAGE;
	int only_unpriced = argc == 2 && strcmp(argv[1], "--unpriced") == 0;
	if (argc > 1 && !only_unpriced) {
		cli_error("summary: unexpected '%s'", argv[1]);
		return EXIT_USAGE;
	}
	if (only_unpriced && d.nby) {
		cli_error("summary: --unpriced lists the unpriced models of the window: not with "
		          "--by (summary --by DIM has an unpriced_spans column)");
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	if (d.nby) {
		ac_query dq = cli_query(&co);
		cli_dims_apply(&d, &dq);
		int st = print_by(s, &dq, co.format);
		ac_store_close(s);
		return st;
	}
	int status = EXIT_FAIL;
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb = NULL;
	const char **hint = NULL;
	ac_query q = cli_query(&co);
	cli_dims_apply(&d, &q); /* --where alone: the plain figures, filtered */
	ac_summary r;
	if (ac_summary_run(s, &q, 0, &r, &err) || ac_pricebook_load(&pb, ac_store_db(s), &err)) {
		cli_error("summary: %s", err.msg);
		goto done;
	}
	/* each unpriced model's nearest known name (pricing.h) */
	if (!(hint = calloc(r.nunpriced + 1, sizeof(*hint)))) {
		cli_error("summary: out of memory");
		goto done;
	}
	for (size_t i = 0; i < r.nunpriced; i++)
		hint[i] = r.unpriced[i].model && pb ? ac_pricebook_hint(pb, r.unpriced[i].model) : NULL;
	char first[11] = "", last[11] = "";
	if (r.have_days) {
		ac_format_day(ac_day_of_ns(r.first_ns), first);
		ac_format_day(ac_day_of_ns(r.last_ns), last);
	}
	status = EXIT_OK;
	if (only_unpriced) {
		static const char *const names[] = { "model", "calls", "hint" };
		static const col_type types[] = { COL_STR, COL_INT, COL_STR };
		out_table *t = out_table_new(names, types, 3);
		for (size_t i = 0; i < r.nunpriced; i++) {
			out_str(t, r.unpriced[i].model);
			out_int(t, r.unpriced[i].calls);
			out_str(t, hint[i]);
		}
		out_table_print(t, stdout, co.format, "unpriced_detail");
	} else if (co.format == FMT_JSON) {
		print_json(&r, hint, first, last);
	} else if (co.format == FMT_CSV) {
		print_csv(&r, first, last);
	} else {
		print_table(&r, hint, first, last);
	}
done:
	free(hint);
	ac_summary_free(&r);
	ac_pricebook_free(pb);
	ac_store_close(s);
	return status;
}
