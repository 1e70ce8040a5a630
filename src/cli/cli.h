/*
 * The command-line front end: argv parsing, output formats, exit codes.
 * Only src/cli prints to the terminal or calls exit().
 */
#ifndef AC_CLI_H
#define AC_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "analysis/query.h"
#include "store/store.h"
#include "util/err.h"
#include "util/table.h"

/* Exit codes (README "Exit codes"). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,    /* I/O or database failure, refused input */
	EXIT_USAGE = 2,   /* bad command line */
	EXIT_SKIPPED = 3, /* done, but some records were skipped */
	EXIT_OVER = 4,    /* budget check: a budget is over its limit */
};

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON } out_format;

/* Options every command understands. */
typedef struct common_opts {
	const char *db;         /* --db, $AGENTCOST_DB, ./agentcost.db */
	out_format format;      /* --format table|csv|json */
	int64_t since_ns;       /* --since (inclusive), INT64_MIN when absent */
	int64_t until_ns;       /* --until (inclusive day), INT64_MAX when absent */
	const char *system;     /* --system NAME */
} common_opts;

/*
 * Parse the common options out of argv, leaving the rest (in order) in
 * argv[0..*argc). Returns 0, or prints an error and returns EXIT_USAGE.
 */
int cli_common(int *argc, char **argv, common_opts *o);

/* The command being run (main.c), for cli_open_store's backend check. */
void cli_set_command(const char *name);

/* The analyses' question (src/analysis/query.h) from the common options. */
static inline ac_query cli_query(const common_opts *o)
{
	ac_query q = ac_query_window(o->since_ns, o->until_ns);
	q.system = o->system;
	return q;
}

/* --by and --where (cli_dims.c): the dimensions of issue #17. */
typedef struct cli_dims {
	ac_dim by[2];
	size_t nby;
	ac_filter where[8];
	size_t nwhere;
} cli_dims;

/* Take every --by DIM[,DIM] and --where DIM=VALUE out of argv (values are
 * parsed in place: argv must outlive d). 0, or prints and returns EXIT_USAGE. */
int cli_dims_parse(int *argc, char **argv, const char *cmd, cli_dims *d);
/* Put d's dimensions into q (q->dims = 1 when there are any). */
void cli_dims_apply(const cli_dims *d, ac_query *q);
/* 1 (said why, naming cmd) when a --by column would repeat another of the
 * listing's columns own[0..nown) or the other --by column: a table and its
 * JSON objects would have two of one name. */
int cli_dims_clash(const char *cmd, const ac_query *q, const char *const *own, size_t nown);

/*
 * Value of option `name` at argv[*i] ("--name V", advancing *i, or
 * "--name=V"); NULL when argv[*i] is another option. When the value is
 * missing: NULL, *missing = 1, and (cmd not NULL) an error naming cmd.
 */
const char *cli_optval(int argc, char **argv, int *i, const char *name, int *missing,
                       const char *cmd);

/* Print "agentcost: error: ..." on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Open the store named by the options (create for writers). Prints errors. */
ac_store *cli_open_store(const common_opts *o, int create);

/* Tabular output in the three formats: the library's table (util/table.h)
 * under the commands' short names. ---------------------------------------- */
typedef ac_col_type col_type;
#define COL_STR AC_COL_TEXT
#define COL_INT AC_COL_INT
#define COL_NUM AC_COL_NUM
#define COL_USD AC_COL_USD
typedef ac_table out_table;
static inline out_table *out_table_new(const char *const *names, const col_type *types, int ncol)
{
	return ac_table_new(names, types, ncol);
}
static inline void out_str(out_table *t, const char *s) { ac_table_text(t, s); } /* NULL: null */
static inline void out_int(out_table *t, long long v) { ac_table_int(t, v); }
static inline void out_num(out_table *t, double v) { ac_table_num(t, v); }      /* NAN: null */
static inline void out_null(out_table *t) { ac_table_null(t); }
/* Print and free. json_key names the array in {"json_key":[...]}. */
void out_table_print(out_table *t, FILE *fp, out_format fmt, const char *json_key);

/*
 * A table printed as it fills (a result with a row per user can have a
 * million): CSV and JSON are written every few thousand rows and the rows
 * dropped; the text table, aligned, is printed whole at the end. Call
 * out_stream_row after each row, out_stream_end once (prints the rest and
 * frees; or out_stream_abort: frees, prints nothing more).
 */
typedef struct out_stream {
	out_table *t;
	out_format fmt;
	const char *key; /* JSON: {"key":[...]} */
	int started;     /* a part is written */
} out_stream;
void out_stream_row(out_stream *o, FILE *fp);
void out_stream_end(out_stream *o, FILE *fp);
void out_stream_abort(out_stream *o);

/* JSON helpers for commands that print objects. */
static inline void json_str(FILE *fp, const char *s) { ac_json_put_str(fp, s); }
static inline void json_num(FILE *fp, double v) { ac_json_put_num(fp, v); } /* NAN: null */

/* CSV cell with formula-injection guard (= + - @ prefixed with '). */
static inline void csv_cell(FILE *fp, const char *s, int is_text) { ac_csv_cell(fp, s, is_text); }

/* Commands. */
int cmd_ingest(int argc, char **argv);
int cmd_prices(int argc, char **argv);
/* `prices convention ...` (cmd_convention.c); argv[0] is "convention" */
int cmd_prices_convention(common_opts *co, int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_calls(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_tasks(int argc, char **argv);
int cmd_task(int argc, char **argv);
int cmd_outliers(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_hidden(int argc, char **argv);
int cmd_spc(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_recommend(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_dims(int argc, char **argv);
int cmd_budget(int argc, char **argv);

#endif
