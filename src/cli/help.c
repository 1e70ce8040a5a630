/*
 * The CLI's help table: per command its summary, usage, options and examples.
 * Everything a user reads about the command line is printed from here:
 * `agentcost help [CMD]`, `agentcost CMD --help`, the man page
 * (`agentcost help --man` > man/agentcost.1) and the bash completion
 * (`agentcost help --bash-completion` > completion/agentcost.bash); `make man`
 * regenerates the two files and tests/cli/t_help.sh checks they match, and
 * that the options listed here are the options the cmd_*.c parsers compare.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "help.h"

/* Which of the common options (output.c, cli_common) a command uses. */
enum { HC_DB = 1, HC_FORMAT = 2, HC_WINDOW = 4, HC_SYSTEM = 8, HC_ALL = 15 };

typedef struct help_opt {
	const char *names; /* every spelling, ", " between: "-o, --output" */
	/* NULL: a flag; "N": a value, "--opt N" or "--opt=N"; "=N": only
	 * "--opt=N"; "[=X]": an optional "=X" */
	const char *arg;
	const char *text;
	unsigned common; /* the HC_* bit, for the common options */
} help_opt;

typedef struct help_cmd {
	const char *name;
	const char *summary;     /* one line, lowercase, no full stop */
	const char *usage;       /* usage forms after "agentcost ", '\n' between */
	const char *about;       /* one paragraph */
	unsigned common;         /* HC_* the command uses */
	const char *subcommands; /* words after the name, ' ' between, or NULL */
	const help_opt *opts;    /* ends with { NULL } */
	const char *examples;    /* command lines, '\n' between */
} help_cmd;

#define END { NULL, NULL, NULL, 0 }

static const help_opt COMMON[] = {
	{ "--db", "PATH", "the store (default $AGENTCOST_DB, else ./agentcost.db): a SQLite file, "
	  "or clickhouse://HOST:PORT/DATABASE[?cluster=NAME] for a ClickHouse server or cluster "
	  "(README: Past one machine); may also come before the command", HC_DB },
	{ "--format", "table|csv|json", "output as an aligned table (default), CSV with a header "
	  "(cells starting with = + - @ get a leading ') or JSON", HC_FORMAT },
	{ "--since", "DATE", "first UTC day to include, YYYY-MM-DD (an ISO time is accepted too)",
	  HC_WINDOW },
	{ "--until", "DATE", "last UTC day to include, YYYY-MM-DD, inclusive (an ISO time is "
	  "accepted too)", HC_WINDOW },
	{ "--system", "NAME", "only the tasks of this system (the task's service.name)", HC_SYSTEM },
	END
};

static const help_opt O_NONE[] = { END };

static const help_opt O_DEMO[] = {
	{ "-o, --out", "DIR", "directory for the store, the traces, the ground truth, the maps and "
	  "the report (default demo-out; created if missing)", 0 },
	{ "--days", "N", "days to generate (default 35)", 0 },
	{ "--tasks-per-day", "N", "production tasks a day (default 400)", 0 },
	{ "--seed", "N", "the generator's seed (default 1)", 0 },
	END
};

/* gen's texts are the ones its usage printed before this table */
static const help_opt O_GEN[] = {
	{ "--days", "N", "days to generate (default 7)", 0 },
	{ "--start", "DATE", "first day, UTC (default 2025-06-02, a Monday)", 0 },
	{ "--tasks-per-day", "N", "production tasks a day, mean over a week (default 500; the "
	  "published scale is 12000)", 0 },
	{ "--seed", "N", "same options and seed, same bytes (default 1)", 0 },
	{ "--format", "otlp|jsonl", "otlp: OTLP JSON lines as the Collector file exporter writes "
	  "them (default); jsonl: flat JSONL, one span a line", 0 },
	{ "--zstd", "[=framed]", "a zstd stream (.zst), frames of about 1 MB; --zstd=framed: the "
	  "Collector's json+zstd framing, [u32 length][zstd frame] a record", 0 },
	{ "-o, --output", "FILE", "output (default standard output)", 0 },
	{ "--truth", "FILE", "write the ground truth as JSON (- for standard output when the "
	  "workload goes to a file)", 0 },
	{ "--users", "N", "give the tasks users (user.id, Zipf-distributed over N users, e.g. "
	  "200; 1..100000000), sessions (session.id) and a team resource attribute (search, "
	  "billing, growth, platform); truth: users, teams. Off by default (the output is then as "
	  "before)", 0 },
	{ "--truth-users", "FILE", "with --users: the truth per user as CSV "
	  "user,tasks,cost,eval_tasks,eval_cost (tasks and cost: production), every user with a "
	  "task, then (none) for the tasks with no user", 0 },
	{ "--incident-usd", "USD", "size of the prompt-injection incident (default $340 at 12000 "
	  "tasks a day, in proportion below; 0 = none)", 0 },
	{ "--price-dimensions", NULL, "add tasks billed by service tier (flex, priority, batch), "
	  "with cache writes (1-hour too), audio, prompts above 200k tokens and input reported "
	  "without the cache (truth: price_dimensions)", 0 },
	{ "--layout", "collector|trace", "how spans are grouped into lines: collector (default), "
	  "batches as the Collector's exporter flushes them; trace, one trace a line", 0 },
	{ "--batch-size", "N", "with --layout collector: spans per exported batch at most", 0 },
	{ "--batch-timeout-ms", "MS", "with --layout collector: a batch is flushed after MS "
	  "milliseconds even when not full", 0 },
	{ "-q, --quiet", NULL, "no summary", 0 },
	END
};

static const help_opt O_INGEST[] = {
	{ "--strict", NULL, "the first bad record aborts that input, with nothing of it written "
	  "(exit 1); other inputs go on", 0 },
	{ "--no-raw", NULL, "do not keep the compressed original of each span (show then has "
	  "nothing to print; the store is smaller)", 0 },
	{ "--force", NULL, "read an input again, whole, even when the same content was ingested "
	  "completely before or only its appended part is new", 0 },
	{ "--progress", NULL, "a progress line on standard error (default on a terminal, unless "
	  "$CI is set)", 0 },
	{ "--no-progress", NULL, "no progress line", 0 },
	{ "--max-record", "=BYTES", "longest record (line, message or document) read; a longer "
	  "one is skipped with an error (default 268435456, 256 MiB)", 0 },
	{ "--max-json-values", "=N", "most JSON values (and keys) one record may hold; a record "
	  "with more is skipped with an error (default: --max-record / 16, at least 4194304)", 0 },
	{ "--hold-mb", "=MB", "memory per input for holding the spans of traces whose root has "
	  "not been read yet, so each trace is derived once (default 32; 0: none)", 0 },
	{ "--batch", "=SPANS", "spans per transaction (default 50000); a killed ingest keeps "
	  "everything up to its last commit", 0 },
	END
};

static const help_opt O_PRICES[] = {
	{ "--tools", NULL, "prices list: the tool prices instead of the model prices", 0 },
	{ "--aliases", NULL, "prices list: the model aliases (alias, model)", 0 },
	{ "--tiers", NULL, "prices list: the imported tier prices (service tier x context tier, "
	  "1-hour cache writes, audio)", 0 },
	END
};

static const help_opt O_SUMMARY[] = {
	{ "--unpriced", NULL, "only the unpriced models: model, calls, and the nearest known "
	  "name as a hint", 0 },
	{ "--by", "DIM[,DIM]", "one row per value of a dimension or a pair (user, session, "
	  "agent, environment, system, task_type, model, attr:KEY): spans, tasks, eval_tasks, "
	  "llm_calls, tool_calls, cost_total, unpriced_spans, producer_costed_spans of the spans "
	  "starting in the window, each attributed to its task's value (model: its own); the "
	  "first columns are named after the dimensions, tasks without a value are (none)", 0 },
	{ "--where", "DIM=VALUE", "only the spans of the tasks whose DIM is VALUE ((none): "
	  "without one; model: the calls to that model); repeatable, all must hold. A filter "
	  "keeps the output's shape: without --by, every figure of the plain summary (traces, "
	  "unpriced models, days, and --unpriced too) over those spans and tasks", 0 },
	END
};

static const help_opt O_TASKS[] = {
	{ "--each", NULL, "one row per task instead of the distributions (evaluation tasks "
	  "included, in their own column)", 0 },
	{ "--by", "both|system|task_type|user|session|agent|environment|model",
	  "what a row groups: the task type (default), system, both (the pair task_type,system), "
	  "or any dimension (also attr:KEY for any attribute; model: a task's calls to one model) "
	  "or a pair of them, DIM,DIM; the first columns are named after them, tasks without a "
	  "value are (none). With --each: the values before each task", 0 },
	{ "--where", "DIM=VALUE", "only the tasks whose DIM is VALUE ((none): without one; "
	  "model: a task's calls to that model); repeatable, all must hold. A filter keeps the "
	  "grouping: without --by, still one row per task type", 0 },
	{ "--histogram", NULL, "the cost histogram per group (five log-spaced bins per decade) "
	  "with the complementary CDF, for plotting", 0 },
	{ "--include-eval", NULL, "count evaluation tasks in the distributions too (left out by "
	  "default)", 0 },
	{ "--approx", NULL, "each group's distribution from a sketch (tasks counted per cost bin "
	  "of width 2^-7 relative, so the store sends a row per group and occupied bin, not per "
	  "task; the same numbers on SQLite and ClickHouse): every percentile within 0.39% "
	  "(2^-8) of the exact one, the decile means and top shares within 0.39%, the tail ratio "
	  "within 0.78%, the tail index alpha within 0.78% x alpha / (1 - 0.0078 alpha); tasks, total, "
	  "mean, max and the LLM-calls figures exact; with --histogram a task within 0.39% of a "
	  "bin's edge may be counted beside it. Not with --each", 0 },
	END
};

static const help_opt O_OUTLIERS[] = {
	{ "--factor", "F", "a task is an outlier above F times its type's median cost "
	  "(default 3)", 0 },
	{ "--repeat", "N", "a task is also a runaway when the same step (tool, or LLM span name) runs more "
	  "than N times in a row (default 5)", 0 },
	{ "--runaways", NULL, "list the runaway tasks instead of the outliers: more LLM calls than "
	  "the p99.9 of their type, or a step repeated more than --repeat times", 0 },
	{ "--by", "DIM[,DIM]", "judge each task against its group (the tasks with the same value "
	  "of a dimension or pair: user, session, agent, environment, system, task_type, model, "
	  "attr:KEY) instead of its task type; the values come first in every row, named after "
	  "the dimensions, (none) for tasks without one", 0 },
	{ "--where", "DIM=VALUE", "only the tasks whose DIM is VALUE ((none): without one; model: "
	  "a task's calls to that model); repeatable, all must hold. A filter keeps the judge: "
	  "without --by, each task against its task type's median and p99.9 over the tasks "
	  "kept", 0 },
	END
};

/* --by and --where (issue #17, cli_dims.c) as hidden, spc and models take them */
#define DIMS_BY(what) \
	{ "--by", "DIM[,DIM]", what " per value of a dimension (user, session, agent, " \
	  "environment, system, task_type, model, attr:KEY) or of a pair; the first columns " \
	  "are named after them, tasks without a value are (none)", 0 }
#define DIMS_WHERE(keeps) \
	{ "--where", "DIM=VALUE", "only the tasks whose DIM is VALUE ((none): without one; " \
	  "model: only the calls to it); repeatable, all must hold. A filter keeps the " \
	  "grouping: without --by, " keeps, 0 }

static const help_opt O_HIDDEN[] = {
	DIMS_BY("the figures"),
	DIMS_WHERE("overall and per system"),
	END
};

static const help_opt O_MODELS[] = {
	{ "--week", "YYYY-Www", "one ISO week (e.g. 2025-W23) instead of --since/--until", 0 },
	{ "--compare-previous", NULL, "beside each row, the previous period of the same length and "
	  "the change (needs --week, or --since and --until)", 0 },
	DIMS_BY("the rows"),
	DIMS_WHERE("per task type x complexity x model"),
	END
};

static const help_opt O_SPC[] = {
	{ "--window", "N", "the control band is the mean and sd of the preceding N periods "
	  "(default 30; at least 2)", 0 },
	{ "--sigma", "K", "the band's upper limit is mean + K x the sample sd (default 2)", 0 },
	{ "--min-history", "N", "periods needed before a period is judged (default 7, at most "
	  "--window)", 0 },
	{ "--hourly", NULL, "hours instead of days", 0 },
	{ "--alerts-only", NULL, "only the periods that alerted", 0 },
	DIMS_BY("one series and band"),
	DIMS_WHERE("the one series"),
	END
};

static const help_opt O_RECONCILE[] = { END };

static const help_opt O_TOP[] = {
	{ "--limit", "N", "the N costliest values (default 20; 0: every value)", 0 },
	{ "--include-eval", NULL, "count evaluation tasks too (default: production tasks only)", 0 },
	{ "--approx", NULL, "each value's per-task costs from a sketch (a row per value and "
	  "occupied cost bin crosses the wire, not per task): p50 and p99 within 0.39% (2^-8) of "
	  "the exact ones; tasks, cost, share, previous cost and change exact", 0 },
	{ "--where", "DIM=VALUE", "only the tasks whose DIM is VALUE ((none): without one); "
	  "repeatable, all must hold", 0 },
	END
};

static const help_opt O_BUDGET[] = {
	{ "--now", "TIME", "the instant to check at, an ISO time or date (a date is its 00:00 "
	  "UTC): each budget's period is the one holding it, spend counts up to it (default: "
	  "just after the newest span's start)", 0 },
	END
};

static const help_opt O_SIMULATE[] = {
	{ "--map", "FILE", "a routing map, CSV complexity,model[,task_type] (a row with an empty "
	  "task type is its class's default); repeat for several maps side by side", 0 },
	{ "--cascade", "[TYPE/]CLASS=M1>M2[>M3]", "try M1 first and escalate to the next model "
	  "with the failure probability measured in eval data (repeatable)", 0 },
	{ "--output-ratio", "FROM:TO=R|measured", "scale output tokens by R when a call moves "
	  "from model FROM to TO; measured: the ratios of the eval pairs (repeatable)", 0 },
	END
};

static const help_opt O_RECOMMEND[] = {
	{ "--tolerance", "T", "accuracy a cheaper model may lose: its lower 95% bound must reach "
	  "the current model's accuracy - T (0..1, default 0.01)", 0 },
	{ "--min-samples", "N", "eval scores a model needs in a class to be considered (default "
	  "30, at least 2)", 0 },
	{ "--accuracy-floor", "A", "instead of the tolerance rule: the cheapest map whose mean "
	  "accuracy, weighted by production calls per class, is at least A (0..1)", 0 },
	{ "--frontier", NULL, "also list each class's non-dominated (cost, accuracy) models", 0 },
	{ "--write-map", "FILE", "write the recommended routing map, for simulate or the router",
	  0 },
	{ "--output-ratio", "FROM:TO=R|measured", "as in simulate: scale output tokens between "
	  "models (repeatable)", 0 },
	END
};

static const help_opt O_REPORT[] = {
	{ "-o, --output", "DIR", "directory to write the report to, created when missing (needed)", 0 },
	{ "--week", "YYYY-Www", "weekly: the ISO week (default: the last complete week before "
	  "--now; without --now, the week of the newest span)", 0 },
	{ "--by", "DIM", "weekly: the dimension of the \"Who spent it\" section (default user; "
	  "session, agent, attr:team, ...)", 0 },
	{ "--approx", NULL, "weekly: the per-type cost distributions and \"Who spent it\" from "
	  "sketches, as tasks --approx (percentiles within 0.39%; the report says so)", 0 },
	{ "--now", "TIME", "the report's date, an ISO time or date: the data is known up "
	  "to it, and weekly's default week ends before it (default: the newest span)",
	  0 },
	{ "--from", "TIME", "incident: start of the window, an ISO time (2025-06-19T13:00:00Z) "
	  "or date (needed)", 0 },
	{ "--to", "TIME", "incident: end of the window, after --from, at most 31 days later "
	  "(needed)", 0 },
	END
};

static const help_opt O_EXPORT[] = {
	{ "--by", "DIM[,DIM]", "split the rows by the task's value of a dimension (user, session, "
	  "agent, environment, system, task_type, model: the call's own, attr:KEY), or a pair, "
	  "written as Tags {\"user\":\"u1\"}", 0 },
	{ "--where", "DIM=VALUE", "only the spans of the tasks whose DIM is VALUE ((none): without "
	  "one); repeatable, all must hold", 0 },
	{ "-o, --output", "FILE", "write the CSV to FILE (default standard output)", 0 },
	END
};

static const help_cmd CMDS[] = {
	{ "demo", "generate a workload, ingest it, print the findings (make demo)",
	  "demo [-o DIR] [--days N] [--tasks-per-day N] [--seed N]",
	  "What make demo runs: generate a seeded synthetic workload of three agent systems "
	  "(agentcost gen, with its ground truth), ingest it into a fresh store DIR/agentcost.db, "
	  "print the headline findings of summary, tasks, hidden, spc, outliers, models, recommend "
	  "and simulate, and write the weekly report to DIR/report. Each step is the command a "
	  "user would run.",
	  0, NULL, O_DEMO, "agentcost demo -o /tmp/demo --days 14 --tasks-per-day 200" },
	{ "gen", "write a seeded synthetic workload and its ground truth",
	  "gen [--days N] [--start YYYY-MM-DD] [--tasks-per-day N] [--seed N] "
	  "[--format otlp|jsonl] [--zstd[=framed]] [-o FILE] [--truth FILE] [--incident-usd USD] "
	  "[--price-dimensions] [--layout collector|trace] [--batch-size N] "
	  "[--batch-timeout-ms MS] [--users N [--truth-users FILE]] [-q]",
	  "Write a seeded synthetic workload (OTLP JSON lines or flat JSONL, plain or zstd) that "
	  "reproduces the published figures, and its ground truth, computed independently of the "
	  "pricing code. A summary of the truth goes to standard error when the workload is on "
	  "standard output, else to standard output.",
	  0, NULL, O_GEN,
	  "agentcost gen --days 30 --tasks-per-day 2000 --zstd -o traces.jsonl.zst "
	  "--truth truth.json\nagentcost gen --days 1 --format jsonl | agentcost ingest -" },
	{ "ingest", "read traces (OTLP, flat JSONL and more; .zst too) into the store",
	  "ingest [--strict] [--no-raw] [--force] [--progress|--no-progress] [--max-record=BYTES] "
	  "[--max-json-values=N] [--batch=SPANS] [--hold-mb=MB] FILE...|-",
	  "Read traces (the format is detected from the content; see README \"Input formats\"), "
	  "price every call, derive the tasks. A bad record is reported as file:line: reason and "
	  "skipped (exit 3); an input ingested completely before is skipped; a file of JSON lines "
	  "that grew since it was read (or was renamed by a rotation) is read from where that read "
	  "stopped. Two inputs are read at a time. - reads standard input.",
	  HC_DB, NULL, O_INGEST,
	  "agentcost ingest /var/log/otel/traces.jsonl traces-2025-06-*.jsonl.zst\n"
	  "zstdcat traces.zst | agentcost ingest -" },
	{ "prices", "import, list and configure model and tool prices",
	  "prices import FILE\nprices list [--tools|--aliases|--tiers]\n"
	  "prices convention [SYSTEM|system:NAME|scope:NAME includes|excludes|auto]",
	  "import: model prices (CSV, LiteLLM JSON, OpenLIT JSON, Langfuse model definitions), "
	  "tool prices (CSV) or model aliases (CSV alias,model), then re-price what is stored. "
	  "list: the price rows in force (imported, then built-in). convention: without "
	  "arguments, the token conventions in force; with a system (system:NAME) or "
	  "instrumentation scope (scope:NAME) and includes, excludes or auto, whether that "
	  "source's input token count includes the cached tokens, then re-price.",
	  HC_DB | HC_FORMAT, "import list convention", O_PRICES,
	  "agentcost prices import my-prices.csv\nagentcost prices list --tiers --format csv\n"
	  "agentcost prices convention scope:my.instrumentation excludes" },
	{ "summary", "what the store holds: spans, calls, cost, unpriced models",
	  "summary [--unpriced | --by DIM[,DIM]] [--where DIM=VALUE]...",
	  "Spans, tasks, eval tasks, LLM and tool calls, total cost, unpriced calls and models "
	  "(each with its calls and the nearest known name), first and last day; with --by, "
	  "per value of a dimension (the rows add up to the plain summary). --where filters "
	  "and keeps the shape: alone, the same figures over the tasks it keeps.",
	  HC_ALL, NULL, O_SUMMARY, "agentcost summary --format json\n"
	  "agentcost summary --by user --since 2025-06-01 --format csv" },
	{ "tasks", "task cost distribution per type (p50..p99.9, tail ratio)",
	  "tasks [--each] [--by DIM[,DIM]|both] [--where DIM=VALUE]... [--histogram] "
	  "[--include-eval] [--approx]",
	  "Per task type (or per value of any dimension: user, session, team, ...): the cost "
	  "distribution p50 to p99.9, max, decile means and the tail ratio, top-1% and top-10% "
	  "spend share, LLM calls per task, Hill tail index; or one row per task. --where "
	  "filters the tasks and keeps the grouping (per task type without --by).",
	  HC_ALL, NULL, O_TASKS,
	  "agentcost tasks --since 2025-06-01 --until 2025-06-30 --by both\n"
	  "agentcost tasks --by user,attr:team --where environment=production\n"
	  "agentcost tasks --each --format csv > tasks.csv\n"
	  "agentcost tasks --approx --db clickhouse://ch1:8123/agentcost" },
	{ "outliers", "tasks over F x their type's median cost; runaway loops",
	  "outliers [--factor F] [--repeat N] [--runaways] [--by DIM[,DIM]] [--where DIM=VALUE]...",
	  "Tasks costing more than --factor times their type's median (with --by, their group's), "
	  "what dominated each, and what a guardrail at that factor would have saved; or the "
	  "runaway loops. --where judges only the tasks it keeps, still per task type without "
	  "--by.",
	  HC_ALL, NULL, O_OUTLIERS, "agentcost outliers --factor 3 --format json\n"
	  "agentcost outliers --by user --where attr:team=billing" },
	{ "models", "per type x complexity x model: cost, accuracy, cost per success",
	  "models [--week YYYY-Www] [--compare-previous] [--by DIM[,DIM]] [--where DIM=VALUE]...",
	  "Per task type x complexity x model: calls, tokens, cost, share, accuracy with a 95% "
	  "interval, cost per success. With --by, per value of the dimensions x task type x "
	  "complexity x model (a dimension that is one of those keys is not repeated): the "
	  "production calls of the value's tasks, with the accuracy of the class (task type x "
	  "complexity x model) over all its eval runs.",
	  HC_ALL, NULL, O_MODELS, "agentcost models --week 2025-W23 --compare-previous" },
	{ "hidden", "cost of retries, summaries, evals (every purpose); tool failures",
	  "hidden [--by DIM[,DIM]] [--where DIM=VALUE]...",
	  "Cost, cost share and token share of retry, summarize and eval (and every other step "
	  "purpose), tool failure rate, retry attempts per failure episode; per system and "
	  "overall, or per value of the --by dimensions (a span counts for its task's value; "
	  "model is each call's own, tool calls are (none)'s). --where filters the tasks and "
	  "keeps the shape (alone: per system and overall).",
	  HC_ALL, NULL, O_HIDDEN, "agentcost hidden --format json\nagentcost hidden --by user,attr:team" },
	{ "top", "a dimension's values by spend: users, sessions, teams, any attribute",
	  "top DIM [--limit N] [--include-eval] [--approx] [--where DIM=VALUE]...",
	  "The values of DIM (user, session, agent, environment, system, task_type, model, or "
	  "attr:KEY for any span or resource attribute) by the cost of their tasks starting in "
	  "the window (the whole store unless --since/--until): tasks, cost, share, per-task p50 "
	  "and p99, and the previous period of the same length with the change ((cost - "
	  "previous) / previous). A task's value is its root span's, else its earliest span's "
	  "that has one, else (none); model is each call's own.",
	  HC_ALL, NULL, O_TOP,
	  "agentcost top user --since 2025-06-01 --until 2025-06-07\n"
	  "agentcost top attr:team --format json" },
	{ "dims", "promote an attribute to a dimension as fast as a built-in one",
	  "dims add KEY\ndims list\ndims drop KEY",
	  "attr:KEY (any span or resource attribute) works in every --by, --where and top without "
	  "this, read from the stored originals. dims add KEY fills a typed table from the "
	  "originals now and keeps it up to date at every ingest, so attr:KEY reads it instead; "
	  "the values are the same either way. dims list shows the promoted keys, their spans and "
	  "distinct values; dims drop KEY forgets one.",
	  HC_DB | HC_FORMAT, "add list drop", O_NONE,
	  "agentcost dims add team\nagentcost top attr:team\nagentcost dims list" },
	{ "budget", "check spend against budgets per user, team, model...: status and forecast",
	  "budget check FILE [--now TIME]",
	  "FILE is a CSV scope,value,period,limit_usd: scope a dimension (user, session, agent, "
	  "environment, system, task_type, model, attr:KEY) or all; value a value ((none): the "
	  "tasks without one) or * for every value that spent in the period (for all: * or "
	  "empty); period day (UTC), week (ISO, from Monday) or month; limit_usd a positive "
	  "amount. Per budget and value: period_start, spent (the cost of the calls starting in "
	  "the period up to --now, attributed by their task's value; model: each call's own), "
	  "limit, share (spent / limit), forecast to the period's end, and status: over when "
	  "spent > limit, warn when spent >= 80% of the limit or the forecast exceeds it, else "
	  "ok. Forecast: spent + ratio x expected, where expected sums, over the hours left in "
	  "the period, the mean spend of the same weekday and hour in the 4 weeks before the "
	  "period, and ratio = spent / the same means summed over the hours elapsed (1 when that "
	  "is 0; the weeks before the store's first task are not counted); with no spend in "
	  "those weeks, or an hour of the period none of them shows, spent x period length / "
	  "time elapsed. Exit "
	  "status 4 when any budget is over (after printing all); a bad row is reported as "
	  "FILE:LINE: reason and nothing is checked (exit 2).",
	  HC_DB | HC_FORMAT, "check", O_BUDGET,
	  "agentcost budget check budgets.csv\n"
	  "agentcost budget check budgets.csv --now 2025-06-04T12:00:00Z --format json" },
	{ "spc", "daily spend against its control band, alerts, run rules",
	  "spc [--window N] [--sigma K] [--min-history N] [--hourly] [--alerts-only] "
	  "[--by DIM[,DIM]] [--where DIM=VALUE]...",
	  "Daily (or hourly) spend against its control band: mean + K x sd of the preceding "
	  "periods, alerts above it and the Western Electric run rules. Whole periods: --since "
	  "and --until select the days (hours) they fall in, each band as without --since. "
	  "With --by, a series and "
	  "band per value of the dimensions (a span counts for its task's value), rows prefixed "
	  "by the dimension columns.",
	  HC_ALL, NULL, O_SPC, "agentcost spc --window 30 --sigma 2 --alerts-only" },
	{ "reconcile", "the provider's bill against the traced cost, per day x model",
	  "reconcile FILE|-",
	  "The provider's cost export (OpenAI's costs export, Anthropic's cost export, or a CSV "
	  "day,model,cost_usd; - for standard input) against the traced cost, per UTC day x "
	  "model: billed, traced, difference (billed - traced) and share untraced (difference / "
	  "billed), with totals. The window defaults to the bill's days.",
	  HC_ALL, NULL, O_RECONCILE, "agentcost reconcile cost_2025-06.csv --format csv > "
	  "reconcile.csv" },
	{ "simulate", "replay calls under other routing maps: cost, savings, accuracy",
	  "simulate --map FILE [--map FILE...] [--cascade [TYPE/]CLASS=M1>M2[>M3]] "
	  "[--output-ratio FROM:TO=R|measured]",
	  "Replay the production (non-eval) tasks of the window as if each mapped model had served "
	  "the calls of its class: cost, savings, monthly savings (savings x 30 / window days), "
	  "per-task mean, p50 and p99 before and after, per class, expected accuracy. At least "
	  "one --map or --cascade.",
	  HC_ALL, NULL, O_SIMULATE,
	  "agentcost simulate --map current.csv --map cheaper.csv --since 2025-06-01 "
	  "--until 2025-06-30\n"
	  "agentcost simulate --cascade 'moderate=gpt-4o-mini>claude-3-5-haiku'" },
	{ "recommend", "cheapest model per class with no measurable accuracy loss",
	  "recommend [--tolerance T] [--min-samples N] [--accuracy-floor A] [--frontier] "
	  "[--write-map FILE] [--output-ratio FROM:TO=R|measured]",
	  "Per task type x complexity class, the cheapest model whose accuracy's lower 95% "
	  "(Wilson) bound is at least the current model's accuracy - --tolerance, on enough eval "
	  "scores; the savings come from simulate on the recommended map.",
	  HC_ALL, NULL, O_RECOMMEND,
	  "agentcost recommend --tolerance 0.01 --min-samples 30 --write-map recommended.csv" },
	{ "report", "a week's or an incident's cost report: HTML, Markdown, CSV, charts",
	  "report weekly [--week YYYY-Www] [--by DIM] [--approx] [--now TIME] -o DIR\n"
	  "report incident --from TIME --to TIME [--now TIME] -o DIR",
	  "weekly: the model-selection report of an ISO week; incident: cost forensics of a time "
	  "window (spend per minute or hour against the same hours of the previous days, the "
	  "tasks that drove it, runaway loops, guardrail savings, the first alert). Writes "
	  "DIR/index.html (self-contained), DIR/report.md with its charts, and DIR/*.csv. "
	  "--format, --since, --until and --system do not apply.",
	  HC_DB, "weekly incident", O_REPORT,
	  "agentcost report weekly --week 2025-W23 -o report-w23\n"
	  "agentcost report incident --from 2025-06-19T13:00:00Z --to 2025-06-19T17:00:00Z -o inc" },
	{ "export", "the cost as a FinOps FOCUS 1.2 cost-and-usage CSV",
	  "export focus [--by DIM[,DIM]] [--where DIM=VALUE]... [-o FILE]",
	  "focus: the window's cost as FinOps FOCUS 1.2 rows, one per UTC day x provider x model x "
	  "service tier x token kind (SkuId model/kind, e.g. gpt-4o-mini/input; each LLM call's "
	  "cost split by the price formula), plus a row per day for each paid tool (SkuId the "
	  "tool, unit Calls) and for the calls of unpriced models at their producer's cost "
	  "(SkuId model/usage, no list price). The columns are FOCUS's Mandatory ones and the "
	  "Conditional ones that apply, in the specification's order; BilledCost sums to "
	  "summary's total cost of the same window. Text cells get the CSV formula guard.",
	  HC_DB | HC_WINDOW | HC_SYSTEM, "focus", O_EXPORT,
	  "agentcost export focus --since 2025-06-01 --until 2025-06-30 -o focus-2025-06.csv" },
	{ "task", "one task as a tree: purpose, model, tokens, cost of each step",
	  "task ID",
	  "One task as a tree: each step's purpose, model, complexity, tokens, cost and status, "
	  "children under their parent in start order, with totals. ID is the task id as tasks "
	  "--each prints it (the trace id, or the agentcost.task.id).",
	  HC_DB | HC_FORMAT, NULL, O_NONE, "agentcost task 0af7651916cd43dd8448eb211c80319c" },
	{ "show", "print a span exactly as ingested",
	  "show SPAN_ID|TRACE_ID:SPAN_ID",
	  "The span's original text as ingested (not kept with ingest --no-raw). Give "
	  "TRACE_ID:SPAN_ID when a span id repeats across traces.",
	  HC_DB, NULL, O_NONE, "agentcost show 00f067aa0ba902b7" },
	{ "calls", "the router's call groups per task, CSV (what simulate replays)",
	  "calls",
	  "The router's call groups per task as CSV rows of ids: what simulate replays, for checks "
	  "and SQL.",
	  HC_DB, NULL, O_NONE, "agentcost calls > calls.csv" },
};

#define NCMDS (sizeof(CMDS) / sizeof(CMDS[0]))

static const help_cmd *find(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (!strcmp(CMDS[i].name, name))
			return &CMDS[i];
	return NULL;
}

/* Words of `text` from column `col`, lines up to `width`, later lines
 * indented by `indent`. Wraps at spaces outside [] only (synopses). */
static void wrap(FILE *fp, const char *text, int col, int indent, int width)
{
	const char *p = text;
	int first = 1;
	while (*p) {
		const char *w = p;
		int depth = 0;
		while (*p && (*p != ' ' || depth > 0)) {
			depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
			p++;
		}
		int len = (int)(p - w);
		if (!first && col + 1 + len > width) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', fp);
			col++;
		}
		first = 0;
		fwrite(w, 1, (size_t)len, fp);
		col += len;
		while (*p == ' ')
			p++;
	}
	fputc('\n', fp);
}

/* 1 when the option's value, if any, is part of the same argument:
 * "--max-record=BYTES", "--zstd[=framed]" */
static int attached(const help_opt *o)
{
	return o->arg && (o->arg[0] == '=' || !strncmp(o->arg, "[=", 2));
}

/* "-o, --output FILE", "--zstd[=framed]", "--max-record=BYTES" */
static int opt_label(char *out, size_t n, const help_opt *o)
{
	const char *sep = !o->arg || attached(o) ? "" : " ";
	return snprintf(out, n, "%s%s%s", o->names, sep, o->arg ? o->arg : "");
}

static void print_opts(FILE *fp, const help_opt *opts, unsigned mask)
{
	for (const help_opt *o = opts; o->names; o++) {
		if (o->common && !(o->common & mask))
			continue;
		char label[128];
		int len = opt_label(label, sizeof(label), o);
		fprintf(fp, "  %s", label);
		if (len + 2 > 24)
			fprintf(fp, "\n%*s", 25, "");
		else
			fprintf(fp, "%*s", 25 - 2 - len, "");
		wrap(fp, o->text, 25, 25, 79);
	}
}

static void print_usage(FILE *fp, const help_cmd *c)
{
	const char *p = c->usage;
	int first = 1;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char line[512];
		snprintf(line, sizeof(line), "%.*s%s", (int)len, p,
		         c->common == HC_DB ? " [--db PATH]" : c->common ? " [COMMON OPTIONS]" : "");
		fputs(first ? "usage: agentcost " : "   or: agentcost ", fp);
		int indent = 17 + (int)strlen(c->name) + 1;
		wrap(fp, line, 17, indent, 79);
		first = 0;
		p += len + (e ? 1 : 0);
	}
}

static void print_cmd(FILE *fp, const help_cmd *c)
{
	print_usage(fp, c);
	fputc('\n', fp);
	wrap(fp, c->about, 0, 0, 79);
	if (c->opts[0].names) {
		fputs("\noptions:\n", fp);
		print_opts(fp, c->opts, 0);
	}
	if (c->common) {
		fputs("\ncommon options:\n", fp);
		print_opts(fp, COMMON, c->common);
	}
	fputs(strchr(c->examples, '\n') ? "\nexamples:\n" : "\nexample:\n", fp);
	for (const char *p = c->examples; *p;) {
		size_t len = strcspn(p, "\n");
		fprintf(fp, "  %.*s\n", (int)len, p);
		p += len + (p[len] ? 1 : 0);
	}
}

int help_command(const char *cmd, FILE *fp)
{
	const help_cmd *c = find(cmd);
	if (!c) {
		cli_error("unknown command '%s' (agentcost help lists the commands)", cmd);
		return EXIT_USAGE;
	}
	print_cmd(fp, c);
	return EXIT_OK;
}

void help_overview_head(FILE *fp)
{
	fputs("usage: agentcost [--db PATH] COMMAND [OPTIONS]\n"
	      "   or: agentcost help [COMMAND]\n"
	      "   or: agentcost COMMAND --help\n"
	      "   or: agentcost --version\n"
	      "\ncommands:\n", fp);
}

void help_overview_command(FILE *fp, const char *name)
{
	const help_cmd *c = find(name);
	fprintf(fp, "  %-10s ", name);
	wrap(fp, c ? c->summary : "(undocumented)", 13, 13, 79);
}

void help_overview_tail(FILE *fp)
{
	fputs("\ncommon options (each command's help says which apply):\n", fp);
	print_opts(fp, COMMON, HC_ALL);
	fputs("\nexit status: 0 ok, 1 failure, 2 usage, 3 done with skipped records, 4 a budget\n"
	      "is over (budget check)\n"
	      "\n'agentcost help COMMAND' or 'agentcost COMMAND --help' explains a command's\n"
	      "options with examples; 'man agentcost' has every command in one page.\n",
	      fp);
}

/* The option of c (or a common one) spelled exactly `arg`, else NULL. */
static const help_opt *match(const help_cmd *c, const char *arg)
{
	const help_opt *lists[2] = { c ? c->opts : O_NONE, COMMON };
	for (int l = 0; l < 2; l++)
		for (const help_opt *o = lists[l]; o->names; o++) {
			size_t n = strlen(arg);
			for (const char *s = o->names; (s = strstr(s, arg)); s += n)
				if ((s == o->names || s[-1] == ' ') && (s[n] == ',' || s[n] == '\0'))
					return o;
		}
	return NULL;
}

int help_wanted(const char *cmd, int argc, char **argv)
{
	const help_cmd *c = find(cmd);
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		const help_opt *o = match(c, argv[i]);
		if (o && o->arg && !attached(o))
			i++; /* its value, whatever it looks like */
	}
	return 0;
}

/* man(7) text: backslashes doubled, '-' as \-, a leading '.' or '\'' guarded. */
static void man_text(FILE *fp, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '\\')
			fputs("\\e", fp);
		else if (s[i] == '-')
			fputs("\\-", fp);
		else if (i == 0 && (s[i] == '.' || s[i] == '\''))
			fprintf(fp, "\\&%c", s[i]);
		else
			fputc(s[i], fp);
	}
}

static void man_line(FILE *fp, const char *s)
{
	man_text(fp, s, strlen(s));
	fputc('\n', fp);
}

static void man_opts(FILE *fp, const help_opt *opts, unsigned mask)
{
	for (const help_opt *o = opts; o->names; o++) {
		if (o->common && !(o->common & mask))
			continue;
		char label[128];
		opt_label(label, sizeof(label), o);
		fputs(".TP\n.B ", fp);
		man_line(fp, label);
		man_line(fp, o->text);
	}
}

static void man_examples(FILE *fp, const char *ex)
{
	fputs(".PP\n.nf\n.RS\n", fp);
	for (const char *p = ex; *p;) {
		size_t len = strcspn(p, "\n");
		man_text(fp, p, len);
		fputc('\n', fp);
		p += len + (p[len] ? 1 : 0);
	}
	fputs(".RE\n.fi\n", fp);
}

static void print_man(FILE *fp)
{
	fprintf(fp, ".\\\" Generated by 'agentcost help --man' (src/cli/help.c): edit that, then "
	            "'make man'.\n"
	            ".TH AGENTCOST 1 \"\" \"agentcost %s\" \"User Commands\"\n"
	            ".nh\n.ad l\n", AC_VERSION);
	fputs(".SH NAME\nagentcost \\- offline cost analytics for AI\\-agent traces\n"
	      ".SH SYNOPSIS\n.B agentcost\n[\\fB\\-\\-db\\fR \\fIPATH\\fR] \\fICOMMAND\\fR "
	      "[\\fIOPTIONS\\fR]\n.br\n.B agentcost help\n[\\fICOMMAND\\fR]\n.br\n"
	      ".B agentcost\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n.br\n.B agentcost \\-\\-version\n"
	      ".SH DESCRIPTION\nagentcost reads the traces AI agents emit (OpenTelemetry OTLP JSON "
	      "or protobuf, flat JSONL, and other formats; plain or zstd\\-compressed) into a SQLite "
	      "store, prices every LLM call, derives tasks, and answers what a task costs per type "
	      "down to p99.9, where hidden cost goes, which days broke the control band, which "
	      "tasks ran away, which model serves which task type at what cost and accuracy, and "
	      "what another routing map would have cost. It needs no network.\n"
	      ".SH COMMANDS\n", fp);
	for (size_t i = 0; i < NCMDS; i++) {
		const help_cmd *c = &CMDS[i];
		fprintf(fp, ".SS %s\n", c->name);
		for (const char *p = c->usage; *p;) {
			size_t len = strcspn(p, "\n");
			fputs(".B agentcost\n", fp);
			man_text(fp, p, len);
			fputs(c->common == HC_DB ? " [\\fB\\-\\-db\\fR \\fIPATH\\fR]\n.br\n"
			      : c->common ? " [\\fICOMMON OPTIONS\\fR]\n.br\n" : "\n.br\n", fp);
			p += len + (p[len] ? 1 : 0);
		}
		fputs(".PP\n", fp);
		man_line(fp, c->about);
		man_opts(fp, c->opts, 0);
		if (c->common) {
			fputs(".PP\nCommon options: ", fp);
			int n = 0;
			for (const help_opt *o = COMMON; o->names; o++)
				if (o->common & c->common) {
					fprintf(fp, "%s\\fB", n++ ? ", " : "");
					man_text(fp, o->names, strlen(o->names));
					fputs("\\fR", fp);
				}
			fputs(".\n", fp);
		}
		fputs(strchr(c->examples, '\n') ? ".PP\nExamples:\n" : ".PP\nExample:\n", fp);
		man_examples(fp, c->examples);
	}
	fputs(".SH OPTIONS\nThe common options; each command's section says which of them "
	      "apply.\n", fp);
	man_opts(fp, COMMON, HC_ALL);
	fputs(".TP\n.B \\-h, \\-\\-help\nprint the command's help (before any \\fB\\-\\-\\fR, "
	      "and not as an option's value)\n.TP\n.B \\-\\-version\nprint the version\n", fp);
	fputs(".SH EXAMPLES\n", fp);
	man_examples(fp, "agentcost gen --days 7 -o traces.jsonl --truth truth.json\n"
	                 "agentcost ingest traces.jsonl\nagentcost summary\n"
	                 "agentcost tasks --by both\nagentcost spc --alerts-only\n"
	                 "agentcost report weekly -o report");
	fputs(".SH EXIT STATUS\n.TP\n.B 0\ndone, nothing skipped\n.TP\n.B 1\nfailure: I/O or "
	      "database error, a refused input, a \\fB\\-\\-strict\\fR abort\n.TP\n.B 2\nusage "
	      "error (unknown command or option, bad value)\n.TP\n.B 3\ndone, but some records or "
	      "spans were skipped (each reported as file:line: reason), or compressed input was "
	      "damaged\n.TP\n.B 4\nbudget check: a budget is over its limit (everything is "
	      "printed first)\n", fp);
	fputs(".SH ENVIRONMENT\n.TP\n.B AGENTCOST_DB\nthe store when \\fB\\-\\-db\\fR is not "
	      "given\n.TP\n.B AGENTCOST_GNUPLOT\nthe gnuplot program the reports draw their "
	      "charts with (default: gnuplot on PATH; without it, reports have no charts)\n"
	      ".TP\n.B CI\nwhen set, ingest shows no progress line unless \\fB\\-\\-progress\\fR\n", fp);
	fputs(".SH FILES\n.TP\n.I ./agentcost.db\nthe default store (SQLite), with its \\-wal and "
	      "\\-shm files while in use\n", fp);
	fputs(".SH SEE ALSO\n.BR sqlite3 (1),\n.BR zstd (1),\n.BR gnuplot (1);\n"
	      "README.md in the source tree\n", fp);
}

/* The value choices of an option for the completion: "a|b|c" -> "a b c". */
static void choices(FILE *fp, const char *arg)
{
	for (const char *p = arg; *p; p++)
		fputc(*p == '|' ? ' ' : *p, fp);
}

static void names_words(FILE *fp, const help_opt *opts, unsigned mask, int *n)
{
	for (const help_opt *o = opts; o->names; o++) {
		if (o->common && !(o->common & mask))
			continue;
		for (const char *p = o->names; *p;) {
			size_t len = strcspn(p, ",");
			fprintf(fp, "%s%.*s%s", (*n)++ ? " " : "", (int)len, p,
			        o->arg && o->arg[0] == '=' ? "=" : "");
			p += len;
			while (*p == ',' || *p == ' ')
				p++;
		}
	}
}

/* 1 when a usage form takes a FILE argument of its own (not an option's):
 * "ingest ... FILE...|-", "prices import FILE", not "[-o FILE]". */
static int takes_file(const char *usage)
{
	char prev[64] = "";
	for (const char *p = usage; *p;) {
		size_t len = strcspn(p, " \n");
		const char *w = p;
		while (len && *w == '[')
			w++, len--;
		if (!strncmp(w, "FILE", 4) && len >= 4) {
			size_t pl = strlen(prev);
			int value = prev[0] == '-' && !strchr(prev, '=') && prev[pl - 1] != ']';
			if (!value)
				return 1;
		}
		snprintf(prev, sizeof(prev), "%.*s", (int)len, w);
		p = w + len;
		p += strspn(p, " \n");
	}
	return 0;
}

static void print_completion(FILE *fp)
{
	fputs("# bash completion for agentcost. Generated by 'agentcost help --bash-completion'\n"
	      "# (src/cli/help.c): edit that, then 'make man'.\n"
	      "_agentcost()\n{\n"
	      "\tlocal cur prev cmd i\n"
	      "\tcur=${COMP_WORDS[COMP_CWORD]}\n\tprev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tcmd=\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tcase ${COMP_WORDS[i]} in\n"
	      "\t\t--db) ((i++)) ;;\n\t\t-*) ;;\n"
	      "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n\t\tesac\n\tdone\n"
	      "\tlocal words= subs= files=0 w sub=\n\tcase $cmd in\n\t'')\n\t\twords=\"help", fp);
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(fp, " %s", CMDS[i].name);
	fputs(" --db --help --version\" ;;\n\thelp)\n\t\twords=\"", fp);
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(fp, "%s%s", i ? " " : "", CMDS[i].name);
	fputs("\" ;;\n", fp);
	for (size_t i = 0; i < NCMDS; i++) {
		const help_cmd *c = &CMDS[i];
		fprintf(fp, "\t%s)\n\t\tcase $prev in\n", c->name);
		const help_opt *lists[2] = { c->opts, COMMON };
		for (int l = 0; l < 2; l++)
			for (const help_opt *o = lists[l]; o->names; o++) {
				if ((o->common && !(o->common & c->common)) || !o->arg ||
				    attached(o))
					continue;
				fputs("\t\t", fp);
				for (const char *p = o->names; *p; p++)
					if (*p != ' ')
						fputc(*p == ',' ? '|' : *p, fp);
				fputs(")\n\t\t\t", fp);
				if (strchr(o->arg, '|') && !strpbrk(o->arg, "[:= ")) {
					fputs("COMPREPLY=($(compgen -W \"", fp);
					choices(fp, o->arg);
					fputs("\" -- \"$cur\"))\n\t\t\treturn ;;\n", fp);
				} else if (!strcmp(o->arg, "FILE") || !strcmp(o->arg, "DIR") ||
				           !strcmp(o->arg, "PATH")) {
					fputs("COMPREPLY=($(compgen -f -- \"$cur\"))\n\t\t\treturn ;;\n", fp);
				} else {
					/* a number, a date, a name: nothing to offer */
					fputs("COMPREPLY=()\n\t\t\treturn ;;\n", fp);
				}
			}
		fputs("\t\tesac\n\t\twords=\"", fp);
		int n = 0;
		names_words(fp, c->opts, 0, &n);
		names_words(fp, COMMON, c->common, &n);
		fprintf(fp, "%s--help\"", n ? " " : "");
		if (c->subcommands)
			fprintf(fp, " subs=\"%s\"", c->subcommands);
		fprintf(fp, "%s ;;\n", takes_file(c->usage) ? " files=1" : "");
	}
	/* options after a "-"; a command's subcommand first; then files or the
	 * options */
	fputs("\tesac\n"
	      "\tif [[ -n $cmd ]]; then\n"
	      "\t\tfor w in \"${COMP_WORDS[@]:i+1:COMP_CWORD-i-1}\"; do\n"
	      "\t\t\t[[ \" $subs \" == *\" $w \"* ]] && sub=$w\n"
	      "\t\tdone\n"
	      "\tfi\n"
	      "\tif [[ $cur != -* && -n $subs && -z $sub ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$subs\" -- \"$cur\"))\n"
	      "\telif [[ $cur != -* && $files == 1 ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "\telse\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	      "\tfi\n}\ncomplete -o filenames -F _agentcost agentcost\n", fp);
}

/* The spellings of a command's own options (or the common ones), one a
 * line with a tab and the value's metavariable (empty for a flag): what
 * tests/cli/t_help.sh compares with the parsers' literals and runs. */
static int print_options(const char *name)
{
	const help_cmd *c = strcmp(name, "common") ? find(name) : NULL;
	if (!c && strcmp(name, "common"))
		return help_command(name, stdout);
	for (const help_opt *o = c ? c->opts : COMMON; o->names; o++)
		for (const char *p = o->names; *p;) {
			size_t len = strcspn(p, ",");
			printf("%.*s\t%s\n", (int)len, p, o->arg ? o->arg : "");
			p += len;
			while (*p == ',' || *p == ' ')
				p++;
		}
	return EXIT_OK;
}

int help_main(int argc, char **argv)
{
	const char *a = argv[1];
	if (argc == 2 && !strcmp(a, "--man")) {
		print_man(stdout);
	} else if (argc == 2 && !strcmp(a, "--bash-completion")) {
		print_completion(stdout);
	} else if (argc == 2 && !strcmp(a, "--commands")) {
		for (size_t i = 0; i < NCMDS; i++)
			puts(CMDS[i].name);
	} else if (argc == 3 && !strcmp(a, "--options")) {
		return print_options(argv[2]);
	} else if (argc == 2 && a[0] != '-') {
		return help_command(a, stdout);
	} else {
		cli_error("help: expected one command name, not '%s'", a);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
