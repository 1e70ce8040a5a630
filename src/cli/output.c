/*
 * CLI plumbing shared by the commands: the common options, messages, opening
 * the store, and table output as an aligned text table, CSV (libcsv quoting,
 * spreadsheet formula guard) or JSON.
 */
#include <csv.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/buf.h"
#include "tasks/tasks.h"
#include "util/timeutil.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("agentcost: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("agentcost: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

const char *cli_optval(int argc, char **argv, int *i, const char *name, int *missing,
                       const char *cmd)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		if (cmd)
			cli_error("%s%soption %s needs a value", cmd, *cmd ? ": " : "", name);
		*missing = 1;
		return NULL;
	}
	(*i)++;
	return argv[*i];
}

int cli_common(int *argc, char **argv, common_opts *o)
{
	int out = 0, bad = 0;
	const char *env = getenv("AGENTCOST_DB");
	o->db = env && *env ? env : "agentcost.db";
	o->format = FMT_TABLE;
	o->since_ns = INT64_MIN;
	o->until_ns = INT64_MAX;
	o->system = NULL;
	for (int i = 0; i < *argc; i++) {
		const char *v;
		if (i == 0 || argv[i][0] != '-' || !strcmp(argv[i], "-")) {
			argv[out++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if ((v = cli_optval(*argc, argv, &i, "--db", &bad, ""))) {
			o->db = v;
		} else if ((v = cli_optval(*argc, argv, &i, "--format", &bad, ""))) {
			if (!strcmp(v, "table"))
				o->format = FMT_TABLE;
			else if (!strcmp(v, "csv"))
				o->format = FMT_CSV;
			else if (!strcmp(v, "json"))
				o->format = FMT_JSON;
			else {
				cli_error("--format takes table, csv or json, not '%s'", v);
				return EXIT_USAGE;
			}
		} else if ((v = cli_optval(*argc, argv, &i, "--since", &bad, ""))) {
			int64_t ns;
			if (ac_time_parse_iso(v, strlen(v), &ns)) {
				cli_error("--since takes a UTC date YYYY-MM-DD (or an ISO time), not '%s'", v);
				return EXIT_USAGE;
			}
			o->since_ns = ns;
		} else if ((v = cli_optval(*argc, argv, &i, "--until", &bad, ""))) {
			int64_t ns;
			if (ac_time_parse_iso(v, strlen(v), &ns)) {
				cli_error("--until takes a UTC date YYYY-MM-DD (or an ISO time), not '%s'", v);
				return EXIT_USAGE;
			}
			/* a date is inclusive: up to the end of that day */
			o->until_ns = strlen(v) == 10 ? ns + AC_NS_PER_DAY : ns;
		} else if ((v = cli_optval(*argc, argv, &i, "--system", &bad, ""))) {
			o->system = v;
		} else if (bad) {
			return EXIT_USAGE;
		} else {
			argv[out++] = argv[i];
		}
		if (bad)
			return EXIT_USAGE;
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

ac_store *cli_open_store(const common_opts *o, int create)
{
	ac_store *s;
	ac_err err = AC_ERR_INIT;
	if (ac_store_open(&s, o->db, create ? AC_STORE_CREATE : 0, &err)) {
		cli_error("%s", err.msg);
		return NULL;
	}
	/* tasks left underived by an interrupted ingest are derived first, so
	 * no report reads stale tasks */
	long long pending = ac_tasks_pending(s, &err);
	int stale = pending < 0 ? 0 : ac_tasks_rollup_is_stale(s, &err);
	/* a store from an older agentcost is derived again once (minutes on a
	 * year of traces): say so on a terminal rather than look stuck */
	if ((pending > 10000 || stale > 0) && isatty(2) && !getenv("CI"))
		fprintf(stderr, "agentcost: %s first (%lld traces; once)...\n",
		        stale > 0 ? "rebuilding the rollup" : "deriving tasks and rollups", pending);
	if (pending < 0 || stale < 0 || (pending > 0 && ac_tasks_derive(s, NULL, &err)) ||
	    (stale > 0 && ac_tasks_rollup_rebuild(s, &err))) {
		cli_error("%s", err.msg);
		ac_store_close(s);
		return NULL;
	}
	return s;
}

/* ---- tables ------------------------------------------------------------- */

/* 16 bytes a cell: a listing of 650,000 tasks has 7.8 million */
enum { CELL_TEXT, CELL_INT, CELL_NUM, CELL_NULL };
typedef struct cell {
	union {
		size_t text; /* CELL_TEXT: its offset in the arena */
		long long i; /* CELL_INT */
		double num;  /* CELL_NUM */
	} v;
	unsigned char kind; /* numbers are formatted when printed */
} cell;

static double cell_num(const cell *c)
{
	return c->kind == CELL_INT ? (double)c->v.i : c->v.num;
}

struct out_table {
	const char *const *names;
	const col_type *types;
	int ncol;
	cell *cells;
	size_t n, cap;
	ac_buf arena; /* every cell's text, NUL-terminated, one after another */
	int oom;
};

static void put_text(out_table *t, cell *c, const char *s)
{
	c->v.text = t->arena.len;
	ac_buf_add(&t->arena, s, strlen(s) + 1);
	if (t->arena.oom) {
		t->oom = 1;
		c->kind = CELL_NULL;
	}
}

/* The cell as CSV and JSON print it (numbers in full); buf holds 64. */
static const char *cell_text(const out_table *t, const cell *c, char *buf)
{
	if (c->kind == CELL_INT) {
		snprintf(buf, 64, "%lld", c->v.i);
		return buf;
	}
	if (c->kind == CELL_NUM) {
		snprintf(buf, 64, "%.12g", c->v.num);
		return buf;
	}
	return t->arena.data + c->v.text;
}

out_table *out_table_new(const char *const *names, const col_type *types, int ncol)
{
	out_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->names = names;
	t->types = types;
	t->ncol = ncol;
	return t;
}

static cell *next_cell(out_table *t)
{
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		cell *c = realloc(t->cells, nc * sizeof(cell));
		if (!c) {
			t->oom = 1;
			return NULL;
		}
		t->cells = c;
		t->cap = nc;
	}
	cell *c = &t->cells[t->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

void out_str(out_table *t, const char *s)
{
	cell *c = next_cell(t);
	if (!c)
		return;
	if (!s)
		c->kind = CELL_NULL;
	else
		put_text(t, c, s);
}

void out_int(out_table *t, long long v)
{
	cell *c = next_cell(t);
	if (!c)
		return;
	c->kind = CELL_INT;
	c->v.i = v;
}

void out_num(out_table *t, double v)
{
	cell *c = next_cell(t);
	if (!c)
		return;
	if (isnan(v)) {
		c->kind = CELL_NULL;
		return;
	}
	c->kind = CELL_NUM;
	c->v.num = v;
}

void out_null(out_table *t)
{
	cell *c = next_cell(t);
	if (c)
		c->kind = CELL_NULL;
}

void json_str(FILE *fp, const char *s)
{
	if (!s) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		/* the plain run up to the next byte that needs escaping */
		const unsigned char *run = p;
		while (*p >= 0x20 && *p != 0x7f && *p != '"' && *p != '\\' && *p != '<' && *p != '>' &&
		       *p != '&')
			p++;
		fwrite(run, 1, (size_t)(p - run), fp);
		if (!*p)
			break;
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else if (*p == '<' || *p == '>' || *p == '&')
				fprintf(fp, "\\u%04x", *p); /* safe to embed in HTML */
			else
				fputc(*p, fp);
		}
		p++;
	}
	fputc('"', fp);
}

void json_num(FILE *fp, double v)
{
	if (isnan(v) || isinf(v))
		fputs("null", fp);
	else
		fprintf(fp, "%.12g", v);
}

/* Quoting is needed for separators, quotes, line breaks and edge spaces. */
static int csv_needs_quotes(const char *s)
{
	size_t n = strlen(s);
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		return 1;
	return strpbrk(s, ",\"\r\n") != NULL;
}

void csv_cell(FILE *fp, const char *s, int is_text)
{
	if (!s)
		return;
	/* a spreadsheet runs cells starting with these as formulas (OWASP's
	 * "CSV injection"): prefix a quote so the cell stays text */
	int guard = is_text && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	                        s[0] == '\t' || s[0] == '\r');
	size_t n = strlen(s);
	char *g = NULL;
	if (guard) {
		g = malloc(n + 2);
		if (!g)
			return;
		g[0] = '\'';
		memcpy(g + 1, s, n + 1);
		s = g;
		n++;
	}
	if (csv_needs_quotes(s))
		csv_fwrite(fp, s, n); /* libcsv quotes and doubles embedded quotes */
	else
		fwrite(s, 1, n, fp);
	free(g);
}

static int display_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w++;
	return w;
}

/* Terminal-safe copy: control characters become '?'. */
static void put_plain(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			fwrite(run, 1, (size_t)(p - run), fp);
			fputc('?', fp);
			run = p + 1;
		}
	fwrite(run, 1, (size_t)(p - run), fp);
}

static void put_spaces(FILE *fp, int n)
{
	static const char sp[64] = "                                                               ";
	for (; n > 0; n -= 63)
		fwrite(sp, 1, (size_t)(n < 63 ? n : 63), fp);
}

/* What the table format shows for cell x of column c: money to 4 places,
 * other numbers to 4 significant digits, "-" for none. */
static const char *shown_text(const out_table *t, const cell *x, int c, char *buf, size_t n)
{
	if (x->kind == CELL_NULL)
		return "-";
	if (t->types[c] == COL_USD) {
		snprintf(buf, n, "%.4f", cell_num(x));
		return buf;
	}
	if (t->types[c] == COL_NUM) {
		snprintf(buf, n, "%.4g", cell_num(x));
		return buf;
	}
	return cell_text(t, x, buf);
}

void out_table_print(out_table *t, FILE *fp, out_format fmt, const char *json_key)
{
	size_t rows = t->ncol ? t->n / (size_t)t->ncol : 0;
	char buf[64];
	if (fmt == FMT_JSON) {
		fprintf(fp, "{");
		json_str(fp, json_key);
		fprintf(fp, ":[");
		for (size_t r = 0; r < rows; r++) {
			fprintf(fp, r ? ",\n{" : "\n{");
			for (int c = 0; c < t->ncol; c++) {
				cell *x = &t->cells[r * (size_t)t->ncol + (size_t)c];
				if (c)
					fputc(',', fp);
				json_str(fp, t->names[c]);
				fputc(':', fp);
				if (x->kind == CELL_NULL)
					fputs("null", fp);
				else if (t->types[c] == COL_STR)
					json_str(fp, cell_text(t, x, buf));
				else
					fputs(cell_text(t, x, buf), fp);
			}
			fputc('}', fp);
		}
		fprintf(fp, "\n]}\n");
	} else if (fmt == FMT_CSV) {
		for (int c = 0; c < t->ncol; c++) {
			if (c)
				fputc(',', fp);
			csv_cell(fp, t->names[c], 0);
		}
		fputc('\n', fp);
		for (size_t r = 0; r < rows; r++) {
			for (int c = 0; c < t->ncol; c++) {
				cell *x = &t->cells[r * (size_t)t->ncol + (size_t)c];
				if (c)
					fputc(',', fp);
				if (x->kind != CELL_NULL)
					csv_cell(fp, cell_text(t, x, buf), t->types[c] == COL_STR);
			}
			fputc('\n', fp);
		}
	} else {
		/* each cell formatted once into one arena; widths, then lines */
		int *w = calloc((size_t)t->ncol, sizeof(int));
		size_t *at = malloc((t->n ? t->n : 1) * sizeof(size_t));
		ac_buf shown = AC_BUF_INIT;
		if (w && at) {
			for (int c = 0; c < t->ncol; c++)
				w[c] = display_width(t->names[c]);
			for (size_t k = 0; k < t->n; k++) {
				int c = (int)(k % (size_t)t->ncol);
				const char *v = shown_text(t, &t->cells[k], c, buf, sizeof(buf));
				at[k] = shown.len;
				ac_buf_add(&shown, v, strlen(v) + 1);
				int dw = display_width(v);
				if (dw > 60)
					dw = 60;
				if (dw > w[c])
					w[c] = dw;
			}
		}
		if (w && at && !shown.oom) {
			for (int c = 0; c < t->ncol; c++)
				fprintf(fp, "%s%-*s", c ? "  " : "", w[c], t->names[c]);
			fputc('\n', fp);
			for (size_t r = 0; r < rows; r++) {
				for (int c = 0; c < t->ncol; c++) {
					const char *v = shown.data + at[r * (size_t)t->ncol + (size_t)c];
					char cut[256];
					int dw = display_width(v);
					if (dw > 60) {
						snprintf(cut, sizeof(cut), "%.56s...", v);
						v = cut;
						dw = display_width(v);
					}
					int pad = w[c] - dw;
					if (c)
						fputs("  ", fp);
					if (t->types[c] != COL_STR)
						put_spaces(fp, pad);
					put_plain(fp, v);
					if (t->types[c] == COL_STR && c + 1 < t->ncol)
						put_spaces(fp, pad);
				}
				fputc('\n', fp);
			}
		}
		free(w);
		free(at);
		ac_buf_release(&shown);
	}
	ac_buf_release(&t->arena);
	free(t->cells);
	free(t);
}
