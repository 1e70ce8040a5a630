/*
 * agentcost demo [-o DIR] [--days N] [--tasks-per-day N] [--seed N]
 *
 * The main job on built-in sample data: generate a modest seeded workload
 * (agentcost gen), ingest it into a fresh store in DIR, and print the
 * headline findings of each analysis, ending with the weekly report. Each
 * step is the same command a user would run; the demo only strings them
 * together (and shows the first lines of long listings).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

typedef int (*cmd_fn)(int, char **);

/* Set while the demo's ingest runs: its line's "(N MB/s)" divides the bytes
 * of the file read, compressed here; the demo prints MB/s of JSON instead. */
static int drop_file_rate;

/* Drop a trailing " (N MB/s)" from ingest's line (kept: the newline). */
static void strip_rate(char *line)
{
	char *p = strrchr(line, '(');
	if (strncmp(line, "ingested ", 9) || !p || p == line || p[-1] != ' ' || !strstr(p, " MB/s)"))
		return;
	p[-1] = '\n';
	p[0] = '\0';
}

/* bytes_json of the generator's truth file (0 when it cannot be read). */
static double truth_bytes_json(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *k = strstr(buf, "\"bytes_json\":");
	return k ? strtod(k + 13, NULL) : 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run a command in-process with stdout captured, then print its first
 * `max` lines (all when max <= 0). */
static int run(const char *title, cmd_fn fn, int max, const char *a0, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	va_start(ap, a0);
	for (const char *a = a0; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;

	printf("\n== %s\n$ agentcost", title);
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);

	FILE *cap = tmpfile();
	int saved = dup(1);
	if (!cap || saved < 0) {
		if (cap)
			fclose(cap);
		return fn(argc, argv);
	}
	dup2(fileno(cap), 1);
	int rc = fn(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(cap);
	char line[4096];
	int n = 0, more = 0;
	while (fgets(line, sizeof(line), cap)) {
		if (max > 0 && n >= max) {
			more++;
			continue;
		}
		if (drop_file_rate)
			strip_rate(line);
		fputs(line, stdout);
		n++;
	}
	if (more)
		printf("... (%d more line%s)\n", more, more == 1 ? "" : "s");
	fclose(cap);
	fflush(stdout);
	return rc;
}

int cmd_demo(int argc, char **argv)
{
	const char *dir = "demo-out", *days = "35", *tpd = "400", *seed = "1";
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--out")) && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--days") && i + 1 < argc)
			days = argv[++i];
		else if (!strcmp(argv[i], "--tasks-per-day") && i + 1 < argc)
			tpd = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = argv[++i];
		else if (!strcmp(argv[i], "--help")) {
			printf("usage: agentcost demo [-o DIR] [--days N] [--tasks-per-day N] [--seed N]\n");
			return EXIT_OK;
		} else {
			cli_error("demo: unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		cli_error("demo: cannot create %s: %s", dir, strerror(errno));
		return EXIT_FAIL;
	}
	char db[4096], traces[4096], truth[4096], report[4096];
	snprintf(db, sizeof(db), "%s/agentcost.db", dir);
	snprintf(traces, sizeof(traces), "%s/traces.jsonl.zst", dir);
	snprintf(truth, sizeof(truth), "%s/truth.json", dir);
	snprintf(report, sizeof(report), "%s/report", dir);
	static const char *const sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char p[4200];
		snprintf(p, sizeof(p), "%s%s", db, sfx[i]);
		unlink(p);
	}
	setenv("AGENTCOST_DB", db, 1);
	setenv("CI", "1", 0); /* no progress line in the demo's output */

	printf("agentcost demo: a %s-day workload of three agent systems at %s tasks/day\n"
	       "(a document agent with a complexity router, a research agent that summarizes its\n"
	       "context, a support agent; tool failures with retries, evaluation runs, and one\n"
	       "prompt-injection incident), generated, ingested and analysed.\n",
	       days, tpd);

	int rc = run("1. generate the workload (seeded, with its ground truth)", cmd_gen, 0, "gen",
	             "--days", days, "--tasks-per-day", tpd, "--seed", seed, "--incident-usd", "120",
	             "--users", "2000", "--zstd", "-o", traces, "--truth", truth, NULL);
	if (rc)
		return rc;
	drop_file_rate = 1;
	double t0 = now_s();
	rc = run("2. ingest it (OTLP JSON lines, zstd)", cmd_ingest, 0, "ingest", traces, NULL);
	double secs = now_s() - t0, json = truth_bytes_json(truth);
	drop_file_rate = 0;
	if (rc && rc != EXIT_SKIPPED)
		return rc;
	struct stat zs;
	if (secs > 0 && json > 0 && !stat(traces, &zs))
		printf("read %.1f MB of OTLP JSON (%.1f MB as zstd) in %.2f s: %.1f MB/s of JSON\n", json / 1e6,
		       (double)zs.st_size / 1e6, secs, json / 1e6 / secs);
	run("3. what the store holds", cmd_summary, 0, "summary", NULL);
	run("4. cost per task, per system: the fat tail (tail_ratio = dearest tenth / cheapest tenth)",
	    cmd_tasks, 0, "tasks", "--by", "system", NULL);
	run("5. the costs nobody budgets for", cmd_hidden, 0, "hidden", NULL);
	run("6. daily spend against its 30-day control band (alerts only)", cmd_spc, 0, "spc",
	    "--alerts-only", NULL);
	run("7. runaway tasks and what a 3x-median guardrail would have saved", cmd_outliers, 12,
	    "outliers", NULL);
	run("8. model selection: cost and measured accuracy per task type x complexity x model",
	    cmd_models, 16, "models", "--system", "doc-agent", NULL);
	run("9. who spent it: the top users (a few heavy ones), then by team", cmd_top, 0, "top",
	    "user", "--limit", "5", NULL);
	run("9b. by the team resource attribute (read from the stored originals)", cmd_top, 0, "top",
	    "attr:team", NULL);
	char map[4200];
	snprintf(map, sizeof(map), "%s/recommended-map.csv", dir);
	run("10. what the router should change, with the simulated savings", cmd_recommend, 0,
	    "recommend", "--write-map", map, NULL);
	char sonnet[4200];
	snprintf(sonnet, sizeof(sonnet), "%s/all-sonnet-map.csv", dir);
	FILE *f = fopen(sonnet, "w");
	if (f) {
		fputs("complexity,model\nsimple,claude-3-5-sonnet\nmoderate,claude-3-5-sonnet\n"
		      "complex,claude-3-5-sonnet\n", f);
		fclose(f);
	}
	run("11. the recommended map replayed beside an all-claude-3-5-sonnet map",
	    cmd_simulate, 0, "simulate", "--map", map, "--map", sonnet, NULL);
	rc = run("12. the weekly model-selection report (HTML, Markdown, CSV, charts)", cmd_report, 0,
	         "report", "weekly", "-o", report, NULL);
	printf("\nStore: %s   traces: %s   ground truth: %s   map: %s\n", db, traces, truth, map);
	if (rc == 0)
		printf("Weekly report: %s/index.html (and report.md beside it)\n", report);
	return EXIT_OK;
}
