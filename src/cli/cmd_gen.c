/*
 * agentcost gen: write a seeded synthetic OTLP workload and its ground truth
 * (src/gen/gen.h says what is modelled). The workload goes to -o FILE or
 * standard output; a summary of the truth goes to standard error when the
 * workload is on standard output, else to standard output; --truth FILE
 * writes the whole truth as JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "help.h"
#include "gen/gen.h"
#include "util/buf.h"
#include "util/timeutil.h"

static int write_fp(const void *data, size_t len, void *payload)
{
	return fwrite(data, 1, len, (FILE *)payload) == len ? 0 : -1;
}

/* Value of option `name` at argv[*i] ("--name V" or "--name=V"); NULL if
 * argv[*i] is another option; *bad set when the value is missing. */
static const char *optval(int argc, char **argv, int *i, const char *name, int *bad)
{
	return cli_optval(argc, argv, i, name, bad, "gen");
}

/* A whole decimal number in [lo, hi]. */
static int parse_num(const char *opt, const char *v, unsigned long long lo, unsigned long long hi,
                     unsigned long long *out)
{
	char *end;
	errno = 0;
	if (!*v || *v == '-' || *v == '+') {
		cli_error("gen: %s takes a whole number, not '%s'", opt, v);
		return -1;
	}
	unsigned long long x = strtoull(v, &end, 10);
	if (errno || *end || x < lo || x > hi) {
		cli_error("gen: %s takes a whole number %llu..%llu, not '%s'", opt, lo, hi, v);
		return -1;
	}
	*out = x;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double share(double a, double b)
{
	return b != 0 ? 100.0 * a / b : 0.0;
}

/* The users line of the summary (--users). */
static void print_users(FILE *fp, const ac_gen_truth *t)
{
	double all = (double)(t->tasks + t->eval_tasks);
	fprintf(fp, "\n  users      %d (Zipf %.1f): %zu with tasks, %lld sessions; user.id on the root %.1f%%, "
	            "on a child span %.1f%% (%lld with a decoy), none %.1f%%; production cost by team:",
	        t->opts.users, AC_GEN_ZIPF_S, t->nusers, t->sessions, share((double)t->root_user_traces, all),
	        share((double)t->child_user_traces, all), t->decoy_traces, share((double)t->no_user_traces, all));
	for (int k = 0; k < AC_GEN_NTEAM; k++)
		fprintf(fp, "%s %s $%.4f", k ? "," : "", ac_gen_team_name(k), t->teams[k].cost);
}

static void print_summary(FILE *fp, const ac_gen_truth *t, double secs)
{
	const ac_gen_opts *o = &t->opts;
	char day[11], when[40];
	ac_format_day(o->start_day, day);
	double mb = (double)t->bytes_json / 1e6;
	fprintf(fp, "agentcost gen: %lld tasks (%lld production, %lld eval) over %d day%s from %s, seed %llu\n",
	        t->tasks + t->eval_tasks, t->tasks, t->eval_tasks, o->days, o->days == 1 ? "" : "s", day,
	        (unsigned long long)o->seed);
	fprintf(fp, "  output     %lld spans (%lld LLM calls, %lld tool calls), %lld %s records, %.1f MB of JSON",
	        t->spans, t->llm_calls, t->tool_calls, t->records, o->format == AC_GEN_OTLP ? "OTLP" : "flat",
	        mb);
	if (o->container != AC_GEN_PLAIN)
		fprintf(fp, " (%.1f MB %s)", (double)t->bytes_out / 1e6,
		        o->container == AC_GEN_ZSTD ? "zstd" : "zstd-framed");
	fprintf(fp, "\n             %.2f s: %.0f MB/s, %.0f spans/s\n", secs, secs > 0 ? mb / secs : 0,
	        secs > 0 ? (double)t->spans / secs : 0);
	fprintf(fp, "  cost       $%.4f: doc-agent $%.4f, research-agent $%.4f, support-agent $%.4f, "
	            "eval $%.4f (%.1f%% of spend)\n",
	        t->cost, t->sys[AC_GEN_DOC].cost, t->sys[AC_GEN_RESEARCH].cost, t->sys[AC_GEN_SUPPORT].cost,
	        t->eval_cost, share(t->eval_cost, t->cost));
	fprintf(fp, "  doc tasks  %lld, mean $%.4f; cheapest tenth $%.4f, dearest tenth $%.4f (%.0fx); "
	            "all claude-3-5-sonnet: %.1fx the cost\n",
	        t->doc_tasks, t->doc_mean, t->doc_bottom10_mean, t->doc_top10_mean, t->doc_tail_ratio,
	        t->sys[AC_GEN_DOC].cost > 0 ? t->doc_all_sonnet_cost / t->sys[AC_GEN_DOC].cost : 0);
	fprintf(fp, "  tools      %.2f%% failed (%lld of %lld); %.2f attempts per failure episode (%lld episode%s); "
	            "retries %.1f%% of tokens, %.1f%% of cost\n",
	        share((double)t->tool_failed, (double)t->tool_calls), t->tool_failed, t->tool_calls,
	        t->episodes ? (double)t->attempts / (double)t->episodes : 0.0, t->episodes, t->episodes == 1 ? "" : "s",
	        share((double)t->retry_tokens, (double)(t->tokens_in + t->tokens_out)),
	        share(t->retry_cost, t->cost));
	fprintf(fp, "  research   summarization %.1f%% of research-agent cost\n",
	        share(t->summarize_cost, t->sys[AC_GEN_RESEARCH].cost));
	long long nsub = t->subtasks[0] + t->subtasks[1] + t->subtasks[2];
	fprintf(fp, "  routing   ");
	for (int c = 0; c < AC_GEN_NCPLX; c++) {
		int best = 0;
		for (int m = 1; m < AC_GEN_NEVALMODEL; m++)
			if (t->route_calls[c][m] > t->route_calls[c][best])
				best = m;
		fprintf(fp, "%s %s %.1f%% -> %s", c ? "," : "", ac_gen_complexity_name(c),
		        share((double)t->subtasks[c], (double)nsub), ac_gen_eval_model_name(best));
	}
	if (o->price_dimensions) {
		const ac_gen_dims_truth *d = &t->dims;
		fprintf(fp, "\n  price dims %lld tasks, %lld LLM calls, $%.4f: tiers", d->tasks, d->llm_calls, d->cost);
		for (int i = 0; i < AC_GEN_NTIERVAL; i++)
			fprintf(fp, " %s %lld", ac_gen_tier_value(i), d->tier_calls[i]);
		fprintf(fp, "; %lld above 200k, %lld input without the cache, audio %lld in / %lld out",
		        d->above_threshold_calls, d->input_excludes_cache_calls, d->audio_in_tokens,
		        d->audio_out_tokens);
	}
	if (o->users)
		print_users(fp, t);
	if (!t->incident_tasks) {
		fprintf(fp, "\n  incident   none\n");
		return;
	}
	ac_format_iso_ms(t->incident_start_ns, when);
	fprintf(fp, "\n  incident   %.10s %.5s-", when, when + 11);
	ac_format_iso_ms(t->incident_end_ns, when);
	fprintf(fp, "%.5s UTC, doc-agent %s: %lld runaway task%s, %lld LLM calls, $%.4f\n", when + 11,
	        ac_gen_doc_type_name(t->incident_type), t->incident_tasks, t->incident_tasks == 1 ? "" : "s",
	        t->incident_llm_calls, t->incident_cost);
}

/* gen's options: what they set */
typedef struct {
	ac_gen_opts o;
	const char *out_path, *truth_path, *users_path;
	int quiet;
} gen_args;

enum { OPT_TAKEN, OPT_OTHER, OPT_HELP, OPT_BAD };

/* One of gen's own options at argv[*i] into a (*i moved past its value):
 * OPT_TAKEN, OPT_OTHER (not gen's), OPT_HELP, or OPT_BAD (said why). */
static int gen_option(int argc, char **argv, int *i, gen_args *a)
{
	const char *v;
	int bad = 0;
	unsigned long long x;
	if (!strcmp(argv[*i], "-h") || !strcmp(argv[*i], "--help")) {
		return OPT_HELP;
	} else if ((v = optval(argc, argv, i, "--days", &bad))) {
		if (parse_num("--days", v, 1, AC_GEN_MAX_DAYS, &x))
			return OPT_BAD;
		a->o.days = (int)x;
	} else if ((v = optval(argc, argv, i, "--tasks-per-day", &bad))) {
		if (parse_num("--tasks-per-day", v, 1, AC_GEN_MAX_TASKS_PER_DAY, &x))
			return OPT_BAD;
		a->o.tasks_per_day = (int)x;
	} else if ((v = optval(argc, argv, i, "--seed", &bad))) {
		if (parse_num("--seed", v, 0, UINT64_MAX, &x))
			return OPT_BAD;
		a->o.seed = x;
	} else if ((v = optval(argc, argv, i, "--start", &bad))) {
		int64_t day;
		if (ac_date_parse(v, &day)) {
			cli_error("gen: --start takes a date YYYY-MM-DD, not '%s'", v);
			return OPT_BAD;
		}
		a->o.start_day = day;
	} else if ((v = optval(argc, argv, i, "--format", &bad))) {
		if (!strcmp(v, "otlp")) {
			a->o.format = AC_GEN_OTLP;
		} else if (!strcmp(v, "jsonl")) {
			a->o.format = AC_GEN_JSONL;
		} else {
			cli_error("gen: --format takes otlp or jsonl, not '%s'", v);
			return OPT_BAD;
		}
	} else if (!strcmp(argv[*i], "--zstd")) {
		a->o.container = AC_GEN_ZSTD;
	} else if (!strncmp(argv[*i], "--zstd=", 7)) {
		if (!strcmp(argv[*i] + 7, "framed")) {
			a->o.container = AC_GEN_ZSTD_FRAMED;
		} else if (!strcmp(argv[*i] + 7, "native") || !strcmp(argv[*i] + 7, "stream")) {
			a->o.container = AC_GEN_ZSTD;
		} else {
			cli_error("gen: --zstd takes no value or =framed, not '%s'", argv[*i] + 7);
			return OPT_BAD;
		}
	} else if ((v = optval(argc, argv, i, "--output", &bad)) || (v = optval(argc, argv, i, "-o", &bad))) {
		a->out_path = v;
	} else if ((v = optval(argc, argv, i, "--incident-usd", &bad))) {
		/* the incident's size: default $340 x tasks-per-day / 12000, 0 = none */
		char *end;
		errno = 0;
		double usd = strtod(v, &end);
		if (errno || !*v || *end || !(usd >= 0 && usd < 1e7)) {
			cli_error("gen: --incident-usd takes dollars 0..9999999, not '%s'", v);
			return OPT_BAD;
		}
		a->o.incident_usd = usd;
	} else if ((v = optval(argc, argv, i, "--layout", &bad))) {
		if (!strcmp(v, "collector")) {
			a->o.layout = AC_GEN_LAYOUT_COLLECTOR;
		} else if (!strcmp(v, "trace")) {
			a->o.layout = AC_GEN_LAYOUT_TRACE;
		} else {
			cli_error("gen: --layout takes collector or trace, not '%s'", v);
			return OPT_BAD;
		}
	} else if ((v = optval(argc, argv, i, "--batch-size", &bad))) {
		if (parse_num("--batch-size", v, 1, AC_GEN_MAX_BATCH_SIZE, &x))
			return OPT_BAD;
		a->o.batch_size = (int)x;
	} else if ((v = optval(argc, argv, i, "--batch-timeout-ms", &bad))) {
		if (parse_num("--batch-timeout-ms", v, 0, AC_GEN_MAX_BATCH_TIMEOUT_MS, &x))
			return OPT_BAD;
		a->o.batch_timeout_ms = (int)x;
	} else if ((v = optval(argc, argv, i, "--truth-users", &bad))) {
		a->users_path = v;
	} else if ((v = optval(argc, argv, i, "--truth", &bad))) {
		a->truth_path = v;
	} else if ((v = optval(argc, argv, i, "--users", &bad))) {
		if (parse_num("--users", v, 1, AC_GEN_MAX_USERS, &x))
			return OPT_BAD;
		a->o.users = (int)x;
	} else if (!strcmp(argv[*i], "--price-dimensions")) {
		a->o.price_dimensions = 1;
	} else if (!strcmp(argv[*i], "-q") || !strcmp(argv[*i], "--quiet")) {
		a->quiet = 1;
	} else {
		return bad ? OPT_BAD : OPT_OTHER;
	}
	return bad ? OPT_BAD : OPT_TAKEN;
}

/* Parse argv into a and check it: -1 to go on, else the exit status (help
 * printed, or a usage error said). */
static int parse_args(int argc, char **argv, gen_args *a)
{
	int rest = 1;
	/* gen's own options first: --format here means otlp|jsonl, not the
	 * common table|csv|json */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[rest++] = argv[i++];
			break;
		}
		int r = gen_option(argc, argv, &i, a);
		if (r == OPT_HELP)
			return help_command("gen", stdout);
		if (r == OPT_BAD)
			return EXIT_USAGE;
		if (r == OPT_OTHER)
			argv[rest++] = argv[i];
	}
	argc = rest;
	argv[argc] = NULL;

	/* the usual options: accepted for uniformity, but a filter makes no sense here */
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (co.since_ns != INT64_MIN || co.until_ns != INT64_MAX || co.system) {
		cli_error("gen: --since, --until and --system do not apply (use --start and --days)");
		return EXIT_USAGE;
	}
	if (argc > 1) {
		cli_error("gen: unexpected '%s'", argv[1]);
		help_command("gen", stderr);
		return EXIT_USAGE;
	}
	ac_err err = AC_ERR_INIT;
	if (ac_gen_opts_check(&a->o, &err)) {
		cli_error("gen: %s", err.msg);
		return EXIT_USAGE;
	}
	int to_stdout = !strcmp(a->out_path, "-");
	if (a->truth_path && to_stdout && !strcmp(a->truth_path, "-")) {
		cli_error("gen: the workload already goes to standard output: give --truth a file");
		return EXIT_USAGE;
	}
	if (a->users_path && !a->o.users) {
		cli_error("gen: --truth-users needs --users N");
		return EXIT_USAGE;
	}
	if (a->users_path && !strcmp(a->users_path, "-") &&
	    (to_stdout || (a->truth_path && !strcmp(a->truth_path, "-")))) {
		cli_error("gen: standard output is taken: give --truth-users a file");
		return EXIT_USAGE;
	}
	if (to_stdout && a->o.container != AC_GEN_PLAIN && isatty(STDOUT_FILENO)) {
		cli_error("gen: refusing to write compressed data to a terminal (use -o FILE)");
		return EXIT_USAGE;
	}
	return -1;
}

/* The whole truth as JSON to path ("-": standard output): an exit status. */
static int write_truth(const ac_gen_truth *truth, const char *truth_path)
{
	int status = EXIT_OK;
	ac_buf b = AC_BUF_INIT;
	ac_gen_truth_json(truth, &b);
	FILE *tf = !strcmp(truth_path, "-") ? stdout : fopen(truth_path, "w");
	if (b.oom) {
		cli_error("gen: out of memory");
		status = EXIT_FAIL;
	} else if (!tf) {
		cli_error("gen: cannot create %s: %s", truth_path, strerror(errno));
		status = EXIT_FAIL;
	} else {
		if (fwrite(b.data, 1, b.len, tf) != b.len || fflush(tf))
			status = EXIT_FAIL;
		if (tf != stdout && fclose(tf))
			status = EXIT_FAIL;
		if (status != EXIT_OK)
			cli_error("gen: cannot write %s", truth_path);
	}
	ac_buf_release(&b);
	return status;
}

/* One CSV row of the per-user truth; every cell is generated (an id, numbers,
 * "(none)"), nothing to guard. */
static void users_row(FILE *fp, const char *who, const ac_gen_user_truth *u)
{
	fprintf(fp, "%s,%lld,%.17g,%lld,%.17g\n", who, u->tasks, u->cost, u->eval_tasks, u->eval_cost);
}

/* The per-user truth as CSV to path ("-": standard output): every user with
 * a task by id, then "(none)", the tasks with no user. An exit status. */
static int write_truth_users(const ac_gen_truth *t, const char *path)
{
	FILE *fp = !strcmp(path, "-") ? stdout : fopen(path, "w");
	if (!fp) {
		cli_error("gen: cannot create %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	char id[24];
	fputs("user,tasks,cost,eval_tasks,eval_cost\n", fp);
	for (size_t i = 0; i < t->nusers; i++) {
		ac_gen_user_id(&t->opts, t->users[i].user, id, sizeof(id));
		users_row(fp, id, &t->users[i]);
	}
	users_row(fp, "(none)", &t->no_user);
	int bad = fflush(fp) || ferror(fp);
	if (fp != stdout && fclose(fp))
		bad = 1;
	if (bad) {
		cli_error("gen: cannot write %s", path);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_gen(int argc, char **argv)
{
	gen_args a = {.o = AC_GEN_OPTS_INIT, .out_path = "-"};
	int status = parse_args(argc, argv, &a);
	if (status >= 0)
		return status;
	const char *out_path = a.out_path, *truth_path = a.truth_path;
	int to_stdout = !strcmp(out_path, "-");
	ac_err err = AC_ERR_INIT;
	FILE *fp = to_stdout ? stdout : fopen(out_path, "wb");
	if (!fp) {
		cli_error("gen: cannot create %s: %s", out_path, strerror(errno));
		return EXIT_FAIL;
	}
	ac_gen_truth *truth = NULL;
	double t0 = now_s();
	int rc = ac_gen_run(&a.o, write_fp, fp, &truth, &err);
	double secs = now_s() - t0;
	status = EXIT_OK;
	if (fflush(fp) || ferror(fp)) {
		if (!rc)
			cli_error("gen: cannot write %s: %s", to_stdout ? "standard output" : out_path, strerror(errno));
		status = EXIT_FAIL;
	}
	if (!to_stdout && fclose(fp) && status == EXIT_OK) {
		cli_error("gen: cannot write %s: %s", out_path, strerror(errno));
		status = EXIT_FAIL;
	}
	if (rc) {
		cli_error("gen: %s", err.msg);
		return EXIT_FAIL;
	}
	if (status != EXIT_OK) {
		ac_gen_truth_free(truth);
		return status;
	}

	if (truth_path && write_truth(truth, truth_path) != EXIT_OK)
		status = EXIT_FAIL;
	if (a.users_path && write_truth_users(truth, a.users_path) != EXIT_OK)
		status = EXIT_FAIL;
	if (!a.quiet)
		print_summary(to_stdout || (truth_path && !strcmp(truth_path, "-")) ||
		                      (a.users_path && !strcmp(a.users_path, "-"))
		                  ? stderr
		                  : stdout,
		              truth, secs);
	ac_gen_truth_free(truth);
	return status;
}
