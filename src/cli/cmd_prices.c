/*
 * agentcost prices import FILE | prices list [--tools | --aliases | --tiers]
 * Import replaces the price rows of every model (tool) the file names, or
 * the model aliases it names (CSV alias,model), then re-prices what is
 * already stored; list shows the rows in force, or the aliases.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pricing/pricing.h"
#include "tasks/tasks.h"
#include "util/timeutil.h"

static void on_warn(const ac_err *e, void *payload)
{
	const char *path = payload;
	if (e->line > 0)
		fprintf(stderr, "agentcost: warning: %s:%lld: %s\n", path, e->line, e->msg);
	else
		fprintf(stderr, "agentcost: warning: %s: %s\n", path, e->msg);
}

/*
 * After the summary line of a JSON import: per key of the file that no price
 * column holds, the entries that carried a non-zero price under it (sorted by
 * key), then the entries that lost at least one priced dimension. Keys come
 * from the file: control bytes are printed as '?'.
 */
static void print_unused(const ac_import_stats *st)
{
	if (strcmp(st->kind, "litellm") && strcmp(st->kind, "openlit") &&
	    strcmp(st->kind, "langfuse"))
		return;
	for (int i = 0; i < st->nunused; i++) {
		const ac_import_unused *u = &st->unused[i];
		for (const char *p = u->key; *p; p++)
			putchar((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
		printf(": %d entr%s not used\n", u->entries, u->entries == 1 ? "y" : "ies");
	}
	if (st->unused_more)
		printf("%d more key%s not used\n", st->unused_more,
		       st->unused_more == 1 ? "" : "s");
	printf("%d entr%s lost at least one priced dimension\n", st->lost,
	       st->lost == 1 ? "y" : "ies");
}

static int do_import(common_opts *co, const char *path)
{
	ac_store *s = cli_open_store(co, 1);
	if (!s)
		return EXIT_FAIL;
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	memset(&st, 0, sizeof(st));
	int status = EXIT_OK;
	ac_pricebook *pb = NULL;
	long long changed = 0;
	if (ac_prices_import(ac_store_db(s), path, &st, on_warn, (void *)path, &err)) {
		cli_error("%s", err.msg); /* the importer's message names file and line */
		status = EXIT_FAIL;
		goto done;
	}
	/* the rollup does not follow cost changes: stale until rebuilt */
	if (ac_pricebook_load(&pb, ac_store_db(s), &err) || ac_tasks_rollup_stale(s, 1, &err) ||
	    ac_pricing_reprice(ac_store_db(s), pb, &changed, &err) ||
	    (changed > 0 && (ac_tasks_mark_all(s, &err) || ac_tasks_derive(s, NULL, &err))) ||
	    (changed > 0 ? ac_tasks_rollup_rebuild(s, &err) : ac_tasks_rollup_stale(s, 0, &err))) {
		cli_error("%s", err.msg);
		status = EXIT_FAIL;
		goto done;
	}
	if (strcmp(st.kind, "alias-csv") == 0)
		printf("imported %d model alias%s from %s (%s); %d row%s skipped; "
		       "re-priced %lld span%s\n",
		       st.rows, st.rows == 1 ? "" : "es", path, st.kind, st.skipped,
		       st.skipped == 1 ? "" : "s", changed, changed == 1 ? "" : "s");
	else
		printf("imported %d price row%s for %d %s from %s (%s); %d row%s skipped; "
		       "re-priced %lld span%s\n",
		       st.rows, st.rows == 1 ? "" : "s", st.names,
		       strcmp(st.kind, "tool-csv") ? "models" : "tools", path, st.kind, st.skipped,
		       st.skipped == 1 ? "" : "s", changed, changed == 1 ? "" : "s");
	print_unused(&st);
	if (st.skipped)
		status = EXIT_SKIPPED;
done:
	ac_pricebook_free(pb);
	ac_store_close(s);
	return status;
}

static void num_or_null(out_table *t, double v)
{
	if (isnan(v))
		out_null(t);
	else
		out_num(t, v);
}

/* The model aliases (table model_alias): alias, model, source, imported_at. */
static void list_aliases(ac_store *s, const common_opts *co)
{
	static const char *const names[] = { "alias", "model", "source", "imported_at" };
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_STR };
	out_table *t = out_table_new(names, types, 4);
	ac_rows *st = NULL;
	ac_err err = AC_ERR_INIT;
	if (s && !ac_store_rows(s, "model_aliases.sql", 0, 0, NULL, AC_ROWS_PLAIN, &st, &err))
		while (ac_rows_next(st, &err) == 1)
			for (int c = 0; c < 4; c++)
				out_str(t, ac_rows_text(st, c));
	ac_rows_free(st);
	out_table_print(t, stdout, co->format, "model_aliases");
}

/* The imported tier prices (table price_tier, queries/price_tiers.sql). */
static int list_tiers(ac_store *s, const common_opts *co)
{
	static const char *const names[] = { "model", "service_tier", "above_tokens",
		"input_per_mtok", "output_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok",
		"cache_write_1h_per_mtok", "reasoning_per_mtok", "audio_input_per_mtok",
		"audio_output_per_mtok", "effective_from" };
	static const col_type types[] = { COL_STR, COL_STR, COL_INT, COL_NUM, COL_NUM, COL_NUM,
		                          COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_STR };
	ac_rows *st = NULL;
	ac_err err = AC_ERR_INIT;
	if (s && ac_store_rows(s, "price_tiers.sql", INT64_MIN, INT64_MAX, NULL, 0, &st, &err)) {
		cli_error("prices list --tiers: %s", err.msg);
		return EXIT_FAIL;
	}
	out_table *t = out_table_new(names, types, 12);
	while (st && ac_rows_next(st, &err) == 1) {
		out_str(t, ac_rows_text(st, 0));
		out_str(t, ac_rows_text(st, 1));
		out_int(t, ac_rows_int(st, 2));
		for (int c = 3; c < 11; c++)
			out_num(t, ac_rows_null(st, c) ? NAN : ac_rows_double(st, c));
		out_str(t, ac_rows_text(st, 11));
	}
	ac_rows_free(st);
	out_table_print(t, stdout, co->format, "price_tiers");
	return EXIT_OK;
}

static int do_list(common_opts *co, int tools)
{
	static const char *const names[] = { "model", "input_per_mtok", "output_per_mtok",
		"cache_read_per_mtok", "cache_write_per_mtok", "reasoning_per_mtok",
		"input_above_200k_per_mtok", "output_above_200k_per_mtok", "effective_from", "source" };
	static const col_type types[] = { COL_STR, COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_NUM,
		                          COL_NUM, COL_NUM, COL_STR, COL_STR };
	static const char *const tnames[] = { "tool", "per_call", "effective_from", "source" };
	static const col_type ttypes[] = { COL_STR, COL_NUM, COL_STR, COL_STR };
	ac_store *s = NULL;
	/* the store is optional here: without one, the built-in table is in force */
	if (strcmp(co->db, ":memory:") != 0) {
		FILE *f = strncmp(co->db, "clickhouse://", 13) ? fopen(co->db, "rb") : NULL;
		if (f || !strncmp(co->db, "clickhouse://", 13)) {
			if (f)
				fclose(f);
			s = cli_open_store(co, 0);
			if (!s)
				return EXIT_FAIL;
		}
	}
	ac_rows *st = NULL;
	ac_err err = AC_ERR_INIT;
	if (tools == 2) {
		list_aliases(s, co);
		ac_store_close(s);
		return EXIT_OK;
	}
	if (tools == 3) {
		int rc = list_tiers(s, co);
		ac_store_close(s);
		return rc;
	}
	if (tools) {
		out_table *t = out_table_new(tnames, ttypes, 4);
		if (s && !ac_store_rows(s, "tool_price_list.sql", 0, 0, NULL, AC_ROWS_PLAIN, &st, &err)) {
			while (ac_rows_next(st, &err) == 1) {
				out_str(t, ac_rows_text(st, 0));
				out_num(t, ac_rows_double(st, 1));
				out_str(t, ac_rows_text(st, 2));
				out_str(t, ac_rows_text(st, 3));
			}
			ac_rows_free(st);
		}
		out_table_print(t, stdout, co->format, "tool_prices");
		ac_store_close(s);
		return EXIT_OK;
	}
	out_table *t = out_table_new(names, types, 10);
	if (s && !ac_store_rows(s, "price_list.sql", 0, 0, NULL, AC_ROWS_PLAIN, &st, &err)) {
		while (ac_rows_next(st, &err) == 1) {
			out_str(t, ac_rows_text(st, 0));
			for (int c = 1; c <= 7; c++) {
				if (ac_rows_null(st, c))
					out_null(t);
				else
					out_num(t, ac_rows_double(st, c));
			}
			out_str(t, ac_rows_text(st, 8));
			out_str(t, ac_rows_text(st, 9));
		}
		ac_rows_free(st);
	}
	int n;
	const ac_builtin_price *b = ac_pricing_builtins(&n);
	for (int i = 0; i < n; i++) {
		const ac_price *p = &b[i].price;
		out_str(t, b[i].model);
		out_num(t, p->input);
		out_num(t, p->output);
		num_or_null(t, p->cache_read);
		num_or_null(t, p->cache_write);
		num_or_null(t, p->reasoning);
		num_or_null(t, p->input_above_200k);
		num_or_null(t, p->output_above_200k);
		if (p->from_day == AC_DAY_ALWAYS) {
			out_null(t);
		} else {
			char day[11];
			ac_format_day(p->from_day, day);
			out_str(t, day);
		}
		out_str(t, "built-in");
	}
	out_table_print(t, stdout, co->format, "prices");
	ac_store_close(s);
	return EXIT_OK;
}

int cmd_prices(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (argc >= 3 && !strcmp(argv[1], "import") && argc == 3)
		return do_import(&co, argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "convention"))
		return cmd_prices_convention(&co, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "list")) {
		int tools = argc == 3 && !strcmp(argv[2], "--tools");
		if (argc == 3 && !strcmp(argv[2], "--aliases"))
			tools = 2;
		if (argc == 3 && !strcmp(argv[2], "--tiers"))
			tools = 3;
		if (argc > 3 || (argc == 3 && !tools)) {
			cli_error("prices list: unexpected '%s'", argv[2]);
			return EXIT_USAGE;
		}
		return do_list(&co, tools);
	}
	fprintf(stderr, "usage: agentcost prices import FILE\n"
	                "       agentcost prices list [--tools | --aliases | --tiers]"
	                " [--format table|csv|json]\n"
	                "       agentcost prices convention [SYSTEM|system:NAME|scope:NAME"
	                " includes|excludes|auto]\n");
	return EXIT_USAGE;
}
