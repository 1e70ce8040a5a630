/*
 * agentcost report weekly [--week YYYY-Www] [--now ISO-TIME] -o DIR
 * agentcost report incident --from ISO-TIME --to ISO-TIME [--now ISO-TIME] -o DIR
 *
 * Reports people read: DIR/index.html (one self-contained page), DIR/report.md
 * (the same, charts as SVG files beside it) and one CSV file per table.
 * src/report/report.h says what each report holds. Charts need gnuplot (on
 * PATH, or $AGENTCOST_GNUPLOT); without it the report is written with a note
 * where each chart would be. Nothing in the output depends on the clock:
 * --now is the report date, and without it the newest span stands in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/accuracy.h"
#include "analysis/dims.h"
#include "cli.h"
#include "report/report.h"
#include "util/timeutil.h"

static void usage(void)
{
	fprintf(stderr,
	        "usage: agentcost report weekly [--week YYYY-Www] [--by DIM] [--approx] [--now ISO-TIME] "
	        "-o DIR\n"
	        "       agentcost report incident --from ISO-TIME --to ISO-TIME [--now ISO-TIME] "
	        "-o DIR\n");
}

/* "--name V" or "--name=V" at argv[*i] (also "-o V" for -o): the value, else
 * NULL; *missing = 1 when the option is there without a value. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	return cli_optval(argc, argv, i, name, missing, NULL);
}

static int parse_time(const char *opt, const char *v, int64_t *out)
{
	if (ac_time_parse_iso(v, strlen(v), out)) {
		cli_error("report: %s takes an ISO time (2025-06-19T13:00:00Z) or date, not '%s'", opt,
		          v);
		return -1;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (co.format != FMT_TABLE || co.since_ns != INT64_MIN || co.until_ns != INT64_MAX ||
	    co.system) {
		cli_error("report: --format, --since, --until and --system do not apply to reports "
		          "(use --week, or --from and --to)");
		usage();
		return EXIT_USAGE;
	}
	if (argc < 2 || (strcmp(argv[1], "weekly") && strcmp(argv[1], "incident"))) {
		if (argc >= 2)
			cli_error("report: unknown report '%s' (weekly or incident)", argv[1]);
		usage();
		return EXIT_USAGE;
	}
	int weekly = !strcmp(argv[1], "weekly");
	ac_report_opts o = AC_REPORT_OPTS_INIT;
	o.gnuplot = getenv("AGENTCOST_GNUPLOT"); /* the library reads no environment */
	o.search_path = getenv("PATH");
	o.tmpdir = getenv("TMPDIR");
	int have_from = 0, have_to = 0, missing = 0;
	for (int i = 2; i < argc; i++) {
		const char *v;
		if ((v = opt_value(argc, argv, &i, "-o", &missing)) ||
		    (v = opt_value(argc, argv, &i, "--output", &missing))) {
			o.out_dir = v;
		} else if (weekly && (v = opt_value(argc, argv, &i, "--week", &missing))) {
			int64_t a, b;
			if (ac_iso_week_parse(v, &a, &b)) {
				cli_error("report: --week takes an ISO week YYYY-Www (e.g. 2025-W23), not '%s'",
				          v);
				return EXIT_USAGE;
			}
			o.week = v;
		} else if (weekly && (v = opt_value(argc, argv, &i, "--by", &missing))) {
			ac_dim dim;
			ac_err e = AC_ERR_INIT;
			if (ac_dim_parse(v, &dim, &e)) {
				cli_error("report: --by: %s", e.msg);
				return EXIT_USAGE;
			}
			o.by = v;
		} else if (weekly && !strcmp(argv[i], "--approx")) {
			o.approx = 1;
		} else if ((v = opt_value(argc, argv, &i, "--now", &missing))) {
			if (parse_time("--now", v, &o.now_ns))
				return EXIT_USAGE;
		} else if (!weekly && (v = opt_value(argc, argv, &i, "--from", &missing))) {
			if (parse_time("--from", v, &o.from_ns))
				return EXIT_USAGE;
			have_from = 1;
		} else if (!weekly && (v = opt_value(argc, argv, &i, "--to", &missing))) {
			if (parse_time("--to", v, &o.to_ns))
				return EXIT_USAGE;
			have_to = 1;
		} else if (missing) {
			cli_error("report: option %s needs a value", argv[i]);
			return EXIT_USAGE;
		} else {
			cli_error("report %s: unknown option '%s'", argv[1], argv[i]);
			usage();
			return EXIT_USAGE;
		}
	}
	if (!o.out_dir || !*o.out_dir) {
		cli_error("report: -o DIR names the directory to write the report to");
		usage();
		return EXIT_USAGE;
	}
	if (!weekly && (!have_from || !have_to)) {
		cli_error("report incident: --from and --to are both needed");
		usage();
		return EXIT_USAGE;
	}
	if (!weekly && o.to_ns <= o.from_ns) {
		cli_error("report incident: --to must be after --from");
		return EXIT_USAGE;
	}
	if (!weekly && o.to_ns - o.from_ns > 31 * AC_NS_PER_DAY) {
		cli_error("report incident: the window is longer than 31 days (use report weekly)");
		return EXIT_USAGE;
	}

	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	ac_err err = AC_ERR_INIT;
	ac_report_info info;
	int rc = weekly ? ac_report_weekly(s, &o, &info, &err) : ac_report_incident(s, &o, &info, &err);
	ac_store_close(s);
	if (rc) {
		cli_error("report: %s", err.msg[0] ? err.msg : ac_err_name(rc));
		return EXIT_FAIL;
	}
	if (info.charts_missing)
		cli_note("%d chart%s not drawn: %s", info.charts_missing,
		         info.charts_missing == 1 ? "" : "s",
		         info.chart_note[0] ? info.chart_note : "see the notes in the report");
	if (info.unpriced_calls)
		cli_note("warning: %d LLM call%s in %s had no price (see the report's headline)",
		         info.unpriced_calls, info.unpriced_calls == 1 ? "" : "s", info.label);
	printf("%s report %s: %s/index.html, %s/report.md, %d CSV table%s, %d chart%s\n", argv[1],
	       info.label, o.out_dir, o.out_dir, info.tables, info.tables == 1 ? "" : "s",
	       info.charts, info.charts == 1 ? "" : "s");
	return EXIT_OK;
}
