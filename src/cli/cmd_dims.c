/*
 * agentcost dims add KEY | list | drop KEY
 *
 * Promote an attribute so that --by/--where attr:KEY reads a typed table
 * (span_dim, filled now from the stored originals and by every later
 * ingest) instead of the compressed originals; the numbers are the same
 * either way (src/analysis/dims.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analysis/dims.h"
#include "cli.h"
#include "util/timeutil.h"

static void usage(void)
{
	fprintf(stderr, "usage: agentcost dims add KEY | dims list | dims drop KEY\n");
}

static int list(ac_store *s, out_format fmt)
{
	ac_dim_info *d;
	size_t n;
	ac_err err = AC_ERR_INIT;
	if (ac_dims_list(s, &d, &n, &err)) {
		cli_error("dims list: %s", err.msg);
		return EXIT_FAIL;
	}
	static const char *const names[] = { "key", "dimension", "spans", "values", "added_at" };
	static const col_type types[] = { COL_STR, COL_STR, COL_INT, COL_INT, COL_STR };
	out_table *t = out_table_new(names, types, 5);
	for (size_t i = 0; t && i < n; i++) {
		char dim[1100];
		snprintf(dim, sizeof(dim), "attr:%s", d[i].key);
		out_str(t, d[i].key);
		out_str(t, dim);
		out_int(t, d[i].spans);
		out_int(t, d[i].values);
		out_str(t, d[i].added_at);
	}
	if (t)
		out_table_print(t, stdout, fmt, "dims");
	ac_dims_list_free(d, n);
	return EXIT_OK;
}

int cmd_dims(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (argc < 2) {
		usage();
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	int want_key = !strcmp(sub, "add") || !strcmp(sub, "drop");
	if (!want_key && strcmp(sub, "list")) {
		cli_error("dims: unknown subcommand '%s'", sub);
		usage();
		return EXIT_USAGE;
	}
	if (argc != (want_key ? 3 : 2)) {
		usage();
		return EXIT_USAGE;
	}
	const char *key = want_key ? argv[2] : NULL;
	if (key && !strncmp(key, "attr:", 5))
		key += 5; /* dims add attr:team means the key team */
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK;
	if (!key) {
		status = list(s, co.format);
	} else if (!strcmp(sub, "add")) {
		char now[40];
		ac_format_iso_ms((int64_t)time(NULL) * 1000000000, now);
		long long spans;
		if (ac_dims_add(s, key, now, &spans, &err)) {
			cli_error("dims add: %s", err.msg);
			status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
		} else {
			printf("promoted attr:%s: %lld span%s with a value\n", key, spans,
			       spans == 1 ? "" : "s");
		}
	} else if (ac_dims_drop(s, key, &err)) {
		cli_error("dims drop: %s", err.msg);
		status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	} else {
		printf("dropped attr:%s: read from the originals again\n", key);
	}
	ac_store_close(s);
	return status;
}
