/*
 * agentcost spc [--window N] [--sigma K] [--min-history N] [--hourly]
 *               [--by DIM[,DIM]] [--where DIM=VALUE]...
 *
 * Statistical process control of spend: the cost of each UTC day (or hour,
 * --hourly), a band from the preceding --window periods (mean, sample
 * standard deviation, ucl = mean + K sd), an alert when a period's cost is
 * above its ucl, and the Western Electric run rules as labelled signals
 * (src/analysis/spc.h). A span's cost counts in the period its span starts,
 * eval spend included; periods without spend between a series' first and
 * last period count 0. --since/--until bound the series and so its history
 * too. --by system gives one series per system (a span belongs to the system
 * of its task). The analysis is src/analysis/spend.h; this file prints it.
 *
 * Any other --by, or --where (issue #17): a series and band per value (pair)
 * of the dimensions, in value order, a span counting for its task's values
 * (tasks without one: "(none)"). Table and CSV rows start with one column
 * per dimension, named ac_dim_column ("user", "team" for attr:team), then
 * day (hour), cost, mean, sd, ucl, alert, rules. JSON: {"window", "sigma",
 * "series":[{"<DIM>":value, ["<DIM2>":value,] "days"|"hours":[...]}]}.
 * --where alone: one series, printed as without it. The values come one at a
 * time (a million users: one series in memory); CSV and JSON are written as
 * they come, the aligned table holds its rows until the widths are known.
 * `--by system` alone keeps its own output (the systems as stored, no
 * system: null).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dims.h"
#include "analysis/spend.h"
#include "cli.h"
#include "util/timeutil.h"

#define NS_PER_HOUR (3600LL * AC_NS_PER_SEC)

typedef struct spc_run {
	ac_spc_opts opts;
	int hourly, by_system;
	int dims;            /* --by / --where other than --by system alone */
	const char *keys[2]; /* with dims: the --by columns */
	size_t nkeys;
	int alerts_only; /* --alerts-only: periods with an alert or a rule */
	out_format format;
	out_table *table; /* table / CSV rows of every series */
	int printed;      /* JSON: something printed inside the top-level array */
} spc_run;

static void format_period(const spc_run *r, long long period, char out[32])
{
	if (r->hourly) {
		char day[11];
		ac_format_day(period / 24, day);
		snprintf(out, 32, "%sT%02lld:00Z", day, period % 24);
	} else {
		ac_format_day(period, out);
	}
}

/* Rules as "we2of3;we8above" (sep ';') into out. */
static void join_rules(unsigned rules, char *out, size_t n, const char *sep, int quoted)
{
	size_t len = 0;
	out[0] = '\0';
	for (unsigned b = 0; b < AC_SPC_RULE_COUNT; b++) {
		if (!(rules & (1u << b)))
			continue;
		int k = snprintf(out + len, n - len, "%s%s%s%s", len ? sep : "", quoted ? "\"" : "",
		                 ac_spc_rule_name(1u << b), quoted ? "\"" : "");
		if (k < 0 || (size_t)k >= n - len)
			break;
		len += (size_t)k;
	}
}

/* Print or tabulate one series: costs of periods first .. first + n - 1. */
static void emit_series(spc_run *r, const ac_spend_series *sr)
{
	const char *system = sr->system;
	long long first = sr->first;
	const double *x = sr->cost;
	const ac_spc_point *pt = sr->pt;
	size_t n = sr->n;
	const char *key = r->hourly ? "hour" : "day";
	int grouped = r->by_system || r->nkeys; /* an object per series */
	if (r->format == FMT_JSON) {
		if (r->by_system) {
			printf(r->printed ? ",\n{\"system\":" : "\n{\"system\":");
			r->printed = 1;
			json_str(stdout, system);
			printf(",\"%ss\":[", key);
		} else if (r->nkeys) {
			printf(r->printed ? ",\n{" : "\n{");
			r->printed = 1;
			for (size_t k = 0; k < r->nkeys; k++) {
				json_str(stdout, r->keys[k]);
				putchar(':');
				json_str(stdout, sr->k[k]);
				putchar(',');
			}
			printf("\"%ss\":[", key);
		}
		size_t shown = 0;
		for (size_t i = 0; i < n; i++) {
			char when[32], rules[64];
			if (r->alerts_only && !pt[i].alert && !pt[i].rules)
				continue;
			format_period(r, first + (long long)i, when);
			join_rules(pt[i].rules, rules, sizeof(rules), ",", 1);
			printf("%s{\"%s\":\"%s\",\"cost\":", shown++ ? ",\n" : "\n", key, when);
			if (!grouped)
				r->printed = 1;
			json_num(stdout, x[i]);
			printf(",\"mean\":");
			json_num(stdout, pt[i].mean);
			printf(",\"sd\":");
			json_num(stdout, pt[i].sd);
			printf(",\"ucl\":");
			json_num(stdout, pt[i].ucl);
			printf(",\"alert\":%s,\"rules\":[%s]}", pt[i].alert ? "true" : "false", rules);
		}
		if (grouped)
			printf("%s]}", shown ? "\n" : "");
	} else {
		for (size_t i = 0; i < n; i++) {
			char when[32], rules[64];
			if (r->alerts_only && !pt[i].alert && !pt[i].rules)
				continue;
			format_period(r, first + (long long)i, when);
			join_rules(pt[i].rules, rules, sizeof(rules), ";", 0);
			if (r->by_system)
				out_str(r->table, system);
			for (size_t k = 0; k < r->nkeys; k++)
				out_str(r->table, sr->k[k]);
			out_str(r->table, when);
			out_num(r->table, x[i]);
			out_num(r->table, pt[i].mean);
			out_num(r->table, pt[i].sd);
			out_num(r->table, pt[i].ucl);
			out_str(r->table, pt[i].alert ? "true" : "false");
			out_str(r->table, rules);
		}
	}
}

/* Parse a whole number >= 1 or a finite number >= 0 (is_int 0). */
static int parse_num(const char *opt, const char *v, int is_int, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(d) || d < 0 ||
	    (is_int && (d != floor(d) || d < 1 || d > 1e9))) {
		cli_error("spc: %s takes %s, not '%s'", opt,
		          is_int ? "a whole number of periods" : "a number >= 0", v);
		return -1;
	}
	*out = d;
	return 0;
}

/* "--name V" or "--name=V" at argv[*i]: the value, else NULL; *missing = 1
 * when the option is there without its value. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	return cli_optval(argc, argv, i, name, missing, NULL);
}

static void usage(void)
{
	fprintf(stderr, "usage: agentcost spc [--window N] [--sigma K] [--min-history N] [--hourly] [--alerts-only] "
	                "[--by DIM[,DIM]] [--where DIM=VALUE]... [--since DAY] [--until DAY] "
	                "[--system NAME] [--format table|csv|json]\n");
}

/* spc's own options into r and their checks: -1 to go on, else EXIT_USAGE
 * (said why). */
static int parse_args(int argc, char **argv, spc_run *r)
{
	int min_given = 0, missing = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		double d;
		if (!strcmp(argv[i], "--hourly")) {
			r->hourly = 1;
		} else if (!strcmp(argv[i], "--alerts-only")) {
			r->alerts_only = 1;
		} else if ((v = opt_value(argc, argv, &i, "--window", &missing))) {
			if (parse_num("--window", v, 1, &d))
				return EXIT_USAGE;
			r->opts.window = (size_t)d;
		} else if ((v = opt_value(argc, argv, &i, "--min-history", &missing))) {
			if (parse_num("--min-history", v, 1, &d))
				return EXIT_USAGE;
			r->opts.min_history = (size_t)d;
			min_given = 1;
		} else if ((v = opt_value(argc, argv, &i, "--sigma", &missing))) {
			if (parse_num("--sigma", v, 0, &d))
				return EXIT_USAGE;
			r->opts.sigma = d;
		} else if (missing) {
			cli_error("spc: option %s needs a value", argv[i]);
			return EXIT_USAGE;
		} else {
			cli_error("spc: unknown option '%s'", argv[i]);
			usage();
			return EXIT_USAGE;
		}
	}
	/* a short --window alone brings the default history requirement down with it */
	if (!min_given && r->opts.min_history > r->opts.window)
		r->opts.min_history = r->opts.window;
	if (r->opts.window < 2) {
		cli_error("spc: --window must be at least 2 (a standard deviation needs two periods)");
		return EXIT_USAGE;
	}
	if (r->opts.min_history < 2 || r->opts.min_history > r->opts.window) {
		cli_error("spc: --min-history must be between 2 and --window (%zu), not %zu",
		          r->opts.window, r->opts.min_history);
		return EXIT_USAGE;
	}
	return -1;
}

static const char *const NAMES[] = { "system", "day", "cost", "mean", "sd",
	                              "ucl", "alert", "rules" };
static const char *const HNAMES[] = { "system", "hour", "cost", "mean", "sd",
	                               "ucl", "alert", "rules" };
static const col_type TYPES[] = { COL_STR, COL_STR, COL_USD, COL_USD,
	                          COL_USD, COL_USD, COL_STR, COL_STR };

/* With --by / --where: the series one value at a time (header comment).
 * Returns the exit status. */
static int run_by(spc_run *r, ac_store *s, const ac_query *q)
{
	const char *cols[2 + 7];
	for (size_t i = 0; i < q->nby; i++)
		cols[i] = r->keys[i] = ac_dim_column(&q->by[i]);
	r->nkeys = q->nby;
	memcpy(cols + r->nkeys, (r->hourly ? HNAMES : NAMES) + 1, 7 * sizeof(*cols));
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_USD, COL_USD,
		                          COL_USD, COL_USD, COL_STR, COL_STR };
	const col_type *ty = types + 2 - r->nkeys;
	int ncol = (int)r->nkeys + 7;
	ac_err err = AC_ERR_INIT;
	ac_spend_iter *it;
	if (ac_spend_by_open(s, q, r->hourly ? NS_PER_HOUR : AC_NS_PER_DAY, &r->opts, &it, &err)) {
		cli_error("spc: %s", err.msg);
		return err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	if (r->format == FMT_JSON) {
		printf("{\"window\":%zu,\"sigma\":", r->opts.window);
		json_num(stdout, r->opts.sigma);
		printf(",\"%s\":[", r->nkeys ? "series" : r->hourly ? "hours" : "days");
	} else if (r->format == FMT_CSV) { /* the header, then a table per value */
		for (int c = 0; c < ncol; c++) {
			if (c)
				putchar(',');
			csv_cell(stdout, cols[c], 0);
		}
		putchar('\n');
	}
	if (r->format == FMT_TABLE && !(r->table = out_table_new(cols, ty, ncol)))
		err.code = AC_ENOMEM;
	const ac_spend_series *x;
	int rc = 0;
	while (!err.code && (rc = ac_spend_by_next(it, &x, &err)) == 1) {
		if (r->format == FMT_CSV && !(r->table = out_table_new(cols, ty, ncol))) {
			err.code = AC_ENOMEM;
			break;
		}
		emit_series(r, x);
		if (r->format == FMT_CSV) {
			ac_table_write_csv_rows(stdout, r->table);
			ac_table_free(r->table);
			r->table = NULL;
		}
	}
	ac_spend_by_close(it);
	if (r->format == FMT_JSON)
		printf("%s]}\n", r->printed ? "\n" : "");
	if (r->format == FMT_TABLE)
		out_table_print(r->table, stdout, r->format, "days");
	if (rc < 0 || err.code) {
		cli_error("spc: %s", err.code == AC_ENOMEM && !err.msg[0] ? "out of memory" : err.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_spc(int argc, char **argv)
{
	common_opts co;
	cli_dims d;
	if (cli_common(&argc, argv, &co) || cli_dims_parse(&argc, argv, "spc", &d))
		return EXIT_USAGE;
	spc_run r;
	memset(&r, 0, sizeof(r));
	r.opts = (ac_spc_opts)AC_SPC_OPTS_INIT;
	r.format = co.format;
	int rc = parse_args(argc, argv, &r);
	if (rc >= 0)
		return rc;
	/* --by system alone: the series per stored system, as before issue #17 */
	r.by_system = d.nby == 1 && d.by[0].kind == AC_DIM_SYSTEM && !d.nwhere;
	r.dims = (d.nby || d.nwhere) && !r.by_system;

	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	static const ac_dim by_system = { AC_DIM_SYSTEM, NULL, NULL };
	ac_query q = cli_query(&co);
	int status = EXIT_OK;
	if (r.dims) {
		cli_dims_apply(&d, &q);
		static const char *const own[] = { "day", "hour", "days", "hours", "cost", "mean",
			                           "sd", "ucl", "alert", "rules" };
		status = cli_dims_clash("spc", &q, own, 10) ? EXIT_USAGE : run_by(&r, s, &q);
		ac_store_close(s);
		return status;
	}
	q.by = &by_system;
	q.nby = r.by_system ? 1 : 0;
	ac_spend_result res;
	ac_err err = AC_ERR_INIT;
	if (ac_spend_run(s, &q, r.hourly ? NS_PER_HOUR : AC_NS_PER_DAY, &r.opts, &res, &err)) {
		cli_error("spc: %s", err.msg);
		status = EXIT_FAIL;
		goto done;
	}
	if (r.format == FMT_JSON) {
		printf("{\"window\":%zu,\"sigma\":", r.opts.window);
		json_num(stdout, r.opts.sigma);
		printf(",\"%s\":[", r.by_system ? "systems" : r.hourly ? "hours" : "days");
		for (size_t i = 0; i < res.n; i++)
			emit_series(&r, &res.v[i]);
		printf("%s]}\n", r.printed ? "\n" : "");
		goto done;
	}
	int off = r.by_system ? 0 : 1;
	r.table = out_table_new((r.hourly ? HNAMES : NAMES) + off, TYPES + off, 8 - off);
	if (!r.table) {
		cli_error("spc: out of memory");
		status = EXIT_FAIL;
		goto done;
	}
	for (size_t i = 0; i < res.n; i++)
		emit_series(&r, &res.v[i]);
	out_table_print(r.table, stdout, r.format, "days");
done:
	ac_spend_result_free(&res);
	ac_store_close(s);
	return status;
}
