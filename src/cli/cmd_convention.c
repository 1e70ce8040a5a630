/*
 * agentcost prices convention [SYSTEM | system:NAME | scope:NAME
 *                              includes|excludes|auto]
 * States whether a system's (service.name) or an instrumentation scope's
 * input token counts include the cached tokens (src/pricing/convention.h),
 * then re-prices the stored spans; without arguments lists what is stated.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pricing/convention.h"
#include "pricing/pricing.h"
#include "tasks/tasks.h"

static int list_conventions(const common_opts *co)
{
	static const char *const names[] = { "kind", "name", "convention", "set_at" };
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_STR };
	ac_store *s = NULL;
	/* without a store nothing is stated: an empty list (as `prices list`) */
	FILE *f = strcmp(co->db, ":memory:") != 0 ? fopen(co->db, "rb") : NULL;
	if (f) {
		fclose(f);
		if (!(s = cli_open_store(co, 0)))
			return EXIT_FAIL;
	}
	out_table *t = out_table_new(names, types, 4);
	ac_rows *st = NULL;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK;
	if (!s) {
		/* nothing to read */
	} else if (ac_store_rows(s, "token_conventions.sql", 0, 0, NULL, AC_ROWS_PLAIN, &st, &err)) {
		cli_error("prices convention: %s", err.msg);
		status = EXIT_FAIL;
	} else {
		while (ac_rows_next(st, &err) == 1)
			for (int c = 0; c < 4; c++)
				out_str(t, ac_rows_text(st, c));
	}
	ac_rows_free(st);
	out_table_print(t, stdout, co->format, "token_conventions");
	ac_store_close(s);
	return status;
}

int cmd_prices_convention(common_opts *co, int argc, char **argv)
{
	/* argv[0] is "convention" */
	if (argc == 1)
		return list_conventions(co);
	if (argc != 3) {
		cli_error("prices convention: expected SYSTEM|system:NAME|scope:NAME and "
		          "includes|excludes|auto");
		return EXIT_USAGE;
	}
	const char *target = argv[1], *kind = "system", *name = target;
	if (strncmp(target, "scope:", 6) == 0) {
		kind = "scope";
		name = target + 6;
	} else if (strncmp(target, "system:", 7) == 0) {
		name = target + 7;
	}
	if (!*name) {
		cli_error("prices convention: '%s' names no %s", target, kind);
		return EXIT_USAGE;
	}
	int conv = ac_conv_parse(argv[2]);
	if (conv < 0) {
		cli_error("prices convention: '%s' is not includes, excludes or auto", argv[2]);
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(co, 1);
	if (!s)
		return EXIT_FAIL;
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb = NULL;
	long long changed = 0;
	int status = EXIT_OK, stored = 0;
	/* the same steps as after a price import (cmd_prices.c): the rollup
	 * does not follow cost changes, so it is rebuilt */
	if (ac_conv_store(ac_store_db(s), kind, name, conv, &stored, &err) ||
	    ac_pricebook_load(&pb, ac_store_db(s), &err) || ac_tasks_rollup_stale(s, 1, &err) ||
	    ac_pricing_reprice(ac_store_db(s), pb, &changed, &err) ||
	    (changed > 0 && (ac_tasks_mark_all(s, &err) || ac_tasks_derive(s, NULL, &err))) ||
	    (changed > 0 ? ac_tasks_rollup_rebuild(s, &err) : ac_tasks_rollup_stale(s, 0, &err))) {
		cli_error("prices convention: %s", err.msg);
		status = EXIT_FAIL;
		goto done;
	}
	printf("token convention of %s ", kind);
	for (const char *p = name; *p; p++)
		putchar((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	printf(": %s%s; re-priced %lld span%s\n", ac_conv_name(conv),
	       stored ? "" : " (unchanged)", changed, changed == 1 ? "" : "s");
done:
	ac_pricebook_free(pb);
	ac_store_close(s);
	return status;
}

