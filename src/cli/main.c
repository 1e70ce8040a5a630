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
#include "help.h"

/* AC_VERSION is CMake's project(VERSION), the only copy of the version */

static const struct cmd {
	const char *name;
	int (*fn)(int, char **);
} COMMANDS[] = { /* in the order of the overview; help.c has the help of each */
	{ "demo", cmd_demo },
	{ "gen", cmd_gen },
	{ "ingest", cmd_ingest },
	{ "prices", cmd_prices },
	{ "summary", cmd_summary },
	{ "tasks", cmd_tasks },
	{ "outliers", cmd_outliers },
	{ "models", cmd_models },
	{ "hidden", cmd_hidden },
	{ "top", cmd_top },
	{ "dims", cmd_dims },
	{ "budget", cmd_budget },
	{ "spc", cmd_spc },
	{ "reconcile", cmd_reconcile },
	{ "simulate", cmd_simulate },
	{ "recommend", cmd_recommend },
	{ "report", cmd_report },
	{ "export", cmd_export },
	{ "task", cmd_task },
	{ "show", cmd_show },
	{ "calls", cmd_calls },
};

static void usage(FILE *fp)
{
	help_overview_head(fp);
	for (size_t i = 0; i < sizeof(COMMANDS) / sizeof(COMMANDS[0]); i++)
		help_overview_command(fp, COMMANDS[i].name);
	help_overview_tail(fp);
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
		if (i + 1 >= argc) {
			usage(stdout);
			return EXIT_OK;
		}
		return help_main(argc - i, argv + i);
	}
	if (!strcmp(name, "version")) {
		printf("agentcost %s\n", AC_VERSION);
		return EXIT_OK;
	}
	for (size_t k = 0; k < sizeof(COMMANDS) / sizeof(COMMANDS[0]); k++)
		if (!strcmp(COMMANDS[k].name, name) && (cli_set_command(name), 1))
			return help_wanted(name, argc - i - 1, argv + i + 1) ? help_command(name, stdout)
			                                                      : COMMANDS[k].fn(argc - i, argv + i);
	cli_error("unknown command '%s'", name);
	usage(stderr);
	return EXIT_USAGE;
}
