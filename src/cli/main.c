/*
 * agentcost: offline cost analytics for AI-agent traces.
 * Entry point and command table (git's builtin table): one line per command.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"

#ifndef AC_VERSION
#define AC_VERSION "0.1.0"
#endif

static const struct cmd {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} COMMANDS[] = {
	{ "demo", cmd_demo, "demo [-o DIR]       generate a workload, ingest it, print the findings (make demo)" },
	{ "gen", cmd_gen, "gen [OPTIONS]       write a seeded synthetic OTLP workload and its ground truth (--truth)" },
	{ "ingest", cmd_ingest, "ingest FILE...|-    read OTLP JSON / flat JSONL traces (.zst too) into the store" },
	{ "prices", cmd_prices, "prices import FILE | prices list    manage model and tool prices" },
	{ "summary", cmd_summary, "summary             what the store holds: spans, calls, cost, unpriced models" },
	{ "tasks", cmd_tasks, "tasks [--each]       per-task cost distribution per type (p50..p99.9, tail ratio), or each task" },
	{ "outliers", cmd_outliers, "outliers            tasks over F x their type's median cost (--factor F), runaway loops (--runaways)" },
	{ "models", cmd_models, "models [--week W]   per task type x complexity x model: calls, cost, accuracy, cost per success" },
	{ "hidden", cmd_hidden, "hidden              cost and share of retry, summarize, eval (every purpose); tool failure rate, retries per failure" },
	{ "spc", cmd_spc, "spc [--hourly]      daily spend against its control band (mean + K sd), alerts, Western Electric rules" },
	{ "reconcile", cmd_reconcile, "reconcile FILE      the provider's cost export against the traced cost, per day x model: billed, traced, untraced share" },
	{ "simulate", cmd_simulate, "simulate --map FILE replay production calls under routing maps: cost, savings, expected accuracy (--cascade)" },
	{ "recommend", cmd_recommend, "recommend           cheapest model per class with no measurable accuracy loss (--accuracy-floor A, --write-map F)" },
	{ "report", cmd_report, "report weekly|incident -o DIR    a week's or a time window's cost report: HTML, Markdown, CSV, charts" },
	{ "task", cmd_task, "task ID             one task as a tree: purpose, model, tokens, cost of each step" },
	{ "show", cmd_show, "show SPAN_ID        print a span exactly as ingested" },
	{ "calls", cmd_calls, "calls               the router's call groups per task, as CSV rows of ids (what simulate replays)" },
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: agentcost [--db PATH] COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(COMMANDS) / sizeof(COMMANDS[0]); i++)
		fprintf(fp, "  %s\n", COMMANDS[i].help);
	fprintf(fp,
	        "\ncommon options: --db PATH (default $AGENTCOST_DB or ./agentcost.db),\n"
	        "  --format table|csv|json, --since YYYY-MM-DD, --until YYYY-MM-DD, --system NAME\n"
	        "exit status: 0 ok, 1 failure, 2 usage, 3 done with skipped records\n");
}

int main(int argc, char **argv)
{
	/* no global lock around SQLite's allocations: each connection stays on
	 * one thread, and nobody reads the memory statistics */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* a leading --db applies to the command that follows */
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			setenv("AGENTCOST_DB", argv[i + 1], 1);
			i += 2;
		} else if (!strncmp(argv[i], "--db=", 5)) {
			setenv("AGENTCOST_DB", argv[i] + 5, 1);
			i++;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("agentcost %s\n", AC_VERSION);
			return EXIT_OK;
		} else {
			cli_error("unknown option '%s'", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[i];
	if (!strcmp(name, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(name, "version")) {
		printf("agentcost %s\n", AC_VERSION);
		return EXIT_OK;
	}
	for (size_t k = 0; k < sizeof(COMMANDS) / sizeof(COMMANDS[0]); k++)
		if (!strcmp(COMMANDS[k].name, name))
			return COMMANDS[k].fn(argc - i, argv + i);
	cli_error("unknown command '%s'", name);
	usage(stderr);
	return EXIT_USAGE;
}
