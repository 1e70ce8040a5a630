/*
 * The table type and its writers (table.h): text, CSV and JSON for the
 * commands, HTML and Markdown for the reports (CSV for both).
 */
#include "table.h"

#include <stdarg.h>
#include <stdio.h>
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 16 bytes a cell: a listing of 650,000 tasks has 7.8 million */
enum { CELL_TEXT, CELL_INT, CELL_NUM, CELL_NULL };
typedef struct cell {
	union {
		size_t text; /* CELL_TEXT: its offset in the arena */
		long long i; /* CELL_INT */
		double num;  /* CELL_NUM */
	} v;
	unsigned char kind; /* numbers are formatted when printed */
	unsigned char show; /* ac_cell_type: how a report shows it */
} cell;

static double cell_num(const cell *c)
{
	return c->kind == CELL_INT ? (double)c->v.i : c->v.num;
}

struct ac_table {
	const char *const *names;
	const ac_col_type *types; /* NULL: a report's table */
	int ncol;
	cell *cells;
	size_t n, cap;
	ac_buf arena; /* every cell's text, NUL-terminated, one after another */
	int oom;
	size_t written; /* rows already written and dropped (ac_table_write_part) */
};

static void put_text(ac_table *t, cell *c, const char *s)
{
	c->v.text = t->arena.len;
	ac_buf_add(&t->arena, s, strlen(s) + 1);
	if (t->arena.oom) {
		t->oom = 1;
		c->kind = CELL_NULL;
		c->show = AC_CELL_NULL;
	}
}

/* The cell as CSV and JSON print it (numbers in full); buf holds 64. */
static const char *cell_text(const ac_table *t, const cell *c, char *buf)
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

ac_table *ac_table_new(const char *const *names, const ac_col_type *types, int ncol)
{
	ac_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->names = names;
	t->types = types;
	t->ncol = ncol;
	return t;
}

void ac_table_free(ac_table *t)
{
	if (!t)
		return;
	ac_buf_release(&t->arena);
	free(t->cells);
	free(t);
}

size_t ac_table_rows(const ac_table *t)
{
	return t && t->ncol ? t->n / (size_t)t->ncol : 0;
}

int ac_table_oom(const ac_table *t)
{
	return !t || t->oom;
}

static cell *next_cell(ac_table *t)
{
	if (!t)
		return NULL;
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
	c->kind = CELL_NULL;
	c->show = AC_CELL_NULL;
	return c;
}

void ac_table_text(ac_table *t, const char *s)
{
	cell *c = next_cell(t);
	if (!c || !s)
		return;
	c->kind = CELL_TEXT;
	c->show = AC_CELL_TEXT;
	put_text(t, c, s);
}

void ac_table_int(ac_table *t, long long v)
{
	cell *c = next_cell(t);
	if (!c)
		return;
	c->kind = CELL_INT;
	c->show = AC_CELL_INT;
	c->v.i = v;
}

void ac_table_num(ac_table *t, double v)
{
	cell *c = next_cell(t);
	if (!c || isnan(v))
		return;
	c->kind = CELL_NUM;
	c->show = AC_CELL_NUM;
	c->v.num = v;
}

void ac_table_num_shown(ac_table *t, ac_cell_type type, double v)
{
	if (type == AC_CELL_NUM)
		ac_table_num(t, v);
	else
		ac_table_num_as(t, type, v);
}

void ac_table_num_as(ac_table *t, ac_cell_type type, double v)
{
	cell *c = next_cell(t);
	if (!c || isnan(v) || isinf(v) || type == AC_CELL_NULL)
		return;
	if (type == AC_CELL_INT) {
		c->kind = CELL_INT;
		c->v.i = (long long)llround(v);
	} else {
		c->kind = CELL_NUM;
		c->v.num = v;
	}
	c->show = (unsigned char)type;
}

void ac_table_null(ac_table *t)
{
	next_cell(t);
}

void ac_json_put_str(FILE *fp, const char *s)
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

void ac_json_put_num(FILE *fp, double v)
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

void ac_csv_cell(FILE *fp, const char *s, int is_text)
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

void ac_term_printf(FILE *fp, const char *fmt, ...)
{
	char small[512], *line = small;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		if (!(line = malloc((size_t)n + 1)))
			return;
		va_start(ap, fmt);
		vsnprintf(line, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	int nl = n > 0 && line[n - 1] == '\n';
	if (nl)
		line[n - 1] = 0;
	put_plain(fp, line);
	if (nl)
		fputc('\n', fp);
	if (line != small)
		free(line);
}

static void put_spaces(FILE *fp, int n)
{
	static const char sp[64] = "                                                               ";
	for (; n > 0; n -= 63)
		fwrite(sp, 1, (size_t)(n < 63 ? n : 63), fp);
}

/* What the table format shows for cell x of column c: money to 4 places,
 * other numbers to 4 significant digits, "-" for none. */
static const char *shown_text(const ac_table *t, const cell *x, int c, char *buf, size_t n)
{
	if (x->kind == CELL_NULL)
		return "-";
	if (t->types[c] == AC_COL_USD) {
		snprintf(buf, n, "%.4f", cell_num(x));
		return buf;
	}
	if (t->types[c] == AC_COL_NUM) {
		snprintf(buf, n, "%.4g", cell_num(x));
		return buf;
	}
	return cell_text(t, x, buf);
}

/* JSON rows; the first is the document's row number `at` (0: no comma). */
static void json_rows(FILE *fp, const ac_table *t, size_t at)
{
	size_t rows = ac_table_rows(t);
	char buf[64];
	for (size_t r = 0; r < rows; r++) {
		fprintf(fp, at + r ? ",\n{" : "\n{");
		for (int c = 0; c < t->ncol; c++) {
			const cell *x = &t->cells[r * (size_t)t->ncol + (size_t)c];
			if (c)
				fputc(',', fp);
			ac_json_put_str(fp, t->names[c]);
			fputc(':', fp);
			if (x->kind == CELL_NULL)
				fputs("null", fp);
			else if (t->types[c] == AC_COL_TEXT)
				ac_json_put_str(fp, cell_text(t, x, buf));
			else
				fputs(cell_text(t, x, buf), fp);
		}
		fputc('}', fp);
	}
}

static void json_open(FILE *fp, const char *key)
{
	fprintf(fp, "{");
	ac_json_put_str(fp, key);
	fprintf(fp, ":[");
}

void ac_table_write_json(FILE *fp, const ac_table *t, const char *key)
{
	json_open(fp, key);
	json_rows(fp, t, 0);
	fprintf(fp, "\n]}\n");
}

static void csv_header(FILE *fp, const ac_table *t)
{
	for (int c = 0; c < t->ncol; c++) {
		if (c)
			fputc(',', fp);
		ac_csv_cell(fp, t->names[c], 0);
	}
	fputc('\n', fp);
}

static void csv_rows(FILE *fp, const ac_table *t)
{
	size_t rows = ac_table_rows(t);
	char buf[64];
	for (size_t r = 0; r < rows; r++) {
		for (int c = 0; c < t->ncol; c++) {
			const cell *x = &t->cells[r * (size_t)t->ncol + (size_t)c];
			if (c)
				fputc(',', fp);
			/* a command's text column, or a report's text cell */
			int is_text = t->types ? t->types[c] == AC_COL_TEXT : x->kind == CELL_TEXT;
			if (x->kind != CELL_NULL)
				ac_csv_cell(fp, cell_text(t, x, buf), is_text);
		}
		fputc('\n', fp);
	}
}

void ac_table_write_csv(FILE *fp, const ac_table *t)
{
	csv_header(fp, t);
	csv_rows(fp, t);
}

void ac_table_write_json_rows(FILE *fp, const ac_table *t, size_t *written)
{
	json_rows(fp, t, *written);
	*written += ac_table_rows(t);
}

void ac_table_write_csv_rows(FILE *fp, const ac_table *t)
{
	csv_rows(fp, t);
}

void ac_table_write_part(FILE *fp, ac_table *t, int json, const char *key, int part)
{
	if (!t)
		return;
	if (json) {
		if (part & AC_TABLE_FIRST)
			json_open(fp, key);
		json_rows(fp, t, t->written);
	} else {
		if (part & AC_TABLE_FIRST)
			csv_header(fp, t);
		csv_rows(fp, t);
	}
	if (json && (part & AC_TABLE_LAST))
		fprintf(fp, "\n]}\n");
	t->written += ac_table_rows(t);
	t->n = 0;
	t->arena.len = 0;
}

/* Long because the two passes (widths, then lines) share their buffers. */
void ac_table_write_text(FILE *fp, const ac_table *t)
{
	size_t rows = ac_table_rows(t);
	char buf[64];
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
				if (t->types[c] != AC_COL_TEXT)
					put_spaces(fp, pad);
				put_plain(fp, v);
				if (t->types[c] == AC_COL_TEXT && c + 1 < t->ncol)
					put_spaces(fp, pad);
			}
			fputc('\n', fp);
		}
	}
	free(w);
	free(at);
	ac_buf_release(&shown);
}

/* ---- the reports: escaping, display, HTML and Markdown ------------------ */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		return (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (p[0] == 0xE0 && p[1] < 0xA0)
			return 0; /* overlong */
		if (p[0] == 0xED && p[1] >= 0xA0)
			return 0; /* surrogates */
		return 3;
	}
	if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
			return 0;
		if ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* Escape for HTML; md adds Markdown's own specials and flattens lines. */
static void escape(ac_buf *b, const char *s, int md)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		if (c >= 0x80) {
			size_t k = utf8_len(p);
			if (k) {
				ac_buf_add(b, p, k);
				p += k;
			} else {
				ac_buf_adds(b, "\xEF\xBF\xBD");
				p++;
			}
			continue;
		}
		p++;
		switch (c) {
		case '&': ac_buf_adds(b, "&amp;"); continue;
		case '<': ac_buf_adds(b, "&lt;"); continue;
		case '>': ac_buf_adds(b, "&gt;"); continue;
		case '"':
			ac_buf_adds(b, md ? "\"" : "&quot;"); /* quotes matter in attributes only */
			continue;
		case '\'':
			ac_buf_adds(b, md ? "'" : "&#39;");
			continue;
		case '\n':
		case '\r':
		case '\t': ac_buf_addc(b, md ? ' ' : c == '\r' ? ' ' : (char)c); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		/* Markdown's own specials; and no autolink: "http\://x" stays text */
		if (md && (strchr("|`\\*_[]", c) || (c == ':' && p[0] == '/' && p[1] == '/')))
			ac_buf_addc(b, '\\');
		ac_buf_addc(b, (char)c);
	}
}

void ac_html_escape(ac_buf *b, const char *s)
{
	escape(b, s, 0);
}

void ac_md_escape(ac_buf *b, const char *s)
{
	escape(b, s, 1);
}

/* "1234567.891" -> "1,234,567.89" style grouping of the integer part. */
static void group_thousands(char *out, size_t n, const char *num)
{
	const char *dot = strchr(num, '.');
	size_t ilen = dot ? (size_t)(dot - num) : strlen(num);
	size_t o = 0;
	const char *p = num;
	if (*p == '-') {
		if (o + 1 < n)
			out[o++] = '-';
		p++;
		ilen--;
	}
	for (size_t i = 0; i < ilen && o + 1 < n; i++) {
		if (i && (ilen - i) % 3 == 0 && o + 1 < n)
			out[o++] = ',';
		if (o + 1 < n)
			out[o++] = p[i];
	}
	for (const char *q = p + ilen; *q && o + 1 < n; q++)
		out[o++] = *q;
	out[o] = '\0';
}

void ac_cell_format(char *out, size_t n, ac_cell_type type, double v)
{
	char tmp[64];
	switch (type) {
	case AC_CELL_USD: {
		double a = fabs(v);
		if (a >= 1)
			snprintf(tmp, sizeof(tmp), "%.2f", a);
		else if (a == 0)
			snprintf(tmp, sizeof(tmp), "0.00");
		else if (a >= 0.01)
			snprintf(tmp, sizeof(tmp), "%.4f", a);
		else if (a >= 1e-6)
			snprintf(tmp, sizeof(tmp), "%.6f", a);
		else
			snprintf(tmp, sizeof(tmp), "%.2e", a);
		char g[64];
		group_thousands(g, sizeof(g), tmp);
		snprintf(out, n, "%s$%s", v < 0 ? "-" : "", g);
		return;
	}
	case AC_CELL_INT:
		snprintf(out, n, "%lld", (long long)v);
		return;
	case AC_CELL_SHARE:
		snprintf(out, n, "%.1f%%", v * 100);
		return;
	case AC_CELL_PP:
		snprintf(out, n, "%+.1f pp", v * 100);
		return;
	case AC_CELL_RATIO:
		snprintf(out, n, fabs(v) >= 100 ? "%.0fx" : fabs(v) >= 10 ? "%.1fx" : "%.2fx", v);
		return;
	case AC_CELL_NUM:
	default:
		snprintf(out, n, "%.4g", v);
		return;
	}
}

/* Display text of a cell into out (TEXT cells: their text, unescaped). */
static const char *cell_display(const ac_table *t, const cell *c, char *out, size_t n)
{
	switch (c->kind) {
	case CELL_NULL: return "-";
	case CELL_TEXT: return t->arena.data + c->v.text;
	case CELL_INT: snprintf(out, n, "%lld", c->v.i); return out;
	default: ac_cell_format(out, n, (ac_cell_type)c->show, c->v.num); return out;
	}
}

/* A column is numeric (right-aligned) when its cells are numbers or null. */
static int col_numeric(const ac_table *t, int col)
{
	size_t rows = ac_table_rows(t);
	int any = 0;
	for (size_t r = 0; r < rows; r++) {
		unsigned char k = t->cells[r * (size_t)t->ncol + (size_t)col].kind;
		if (k == CELL_TEXT)
			return 0;
		if (k != CELL_NULL)
			any = 1;
	}
	return any;
}

void ac_table_write_html(ac_buf *b, const ac_table *t, const char *name, const char *caption,
                         size_t show_rows)
{
	size_t rows = ac_table_rows(t), show = show_rows && show_rows < rows ? show_rows : rows;
	int *num = calloc((size_t)(t->ncol ? t->ncol : 1), sizeof(int));
	if (!num) {
		b->oom = 1;
		return;
	}
	for (int c = 0; c < t->ncol; c++)
		num[c] = col_numeric(t, c);
	ac_buf_printf(b, "<div class=\"tbl\"><table id=\"t-%s\">", name);
	if (caption && *caption) {
		ac_buf_adds(b, "<caption>");
		ac_html_escape(b, caption);
		ac_buf_adds(b, "</caption>");
	}
	ac_buf_adds(b, "\n<thead><tr>");
	for (int c = 0; c < t->ncol; c++) {
		ac_buf_adds(b, num[c] ? "<th class=\"n\">" : "<th>");
		ac_html_escape(b, t->names[c]);
		ac_buf_adds(b, "</th>");
	}
	ac_buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < show; r++) {
		ac_buf_adds(b, "<tr>");
		for (int c = 0; c < t->ncol; c++) {
			const cell *x = &t->cells[r * (size_t)t->ncol + (size_t)c];
			char tmp[64];
			ac_buf_adds(b, num[c] ? "<td class=\"n\">" : "<td>");
			ac_html_escape(b, cell_display(t, x, tmp, sizeof(tmp)));
			ac_buf_adds(b, "</td>");
		}
		ac_buf_adds(b, "</tr>\n");
	}
	if (!rows)
		ac_buf_printf(b, "<tr><td colspan=\"%d\">(none)</td></tr>\n", t->ncol ? t->ncol : 1);
	ac_buf_adds(b, "</tbody></table></div>\n");
	if (show < rows)
		ac_buf_printf(b, "<p class=\"more\">Showing %zu of %zu rows; all of them are in "
		                 "<a href=\"%s.csv\">%s.csv</a>.</p>\n",
		              show, rows, name, name);
	else
		ac_buf_printf(b, "<p class=\"more\">As CSV: <a href=\"%s.csv\">%s.csv</a></p>\n",
		              name, name);
	free(num);
}

void ac_table_write_md(ac_buf *b, const ac_table *t, const char *name, const char *caption,
                       size_t show_rows)
{
	size_t rows = ac_table_rows(t), show = show_rows && show_rows < rows ? show_rows : rows;
	if (caption && *caption) {
		ac_buf_adds(b, "**");
		ac_md_escape(b, caption);
		ac_buf_adds(b, "**\n\n");
	}
	ac_buf_adds(b, "|");
	for (int c = 0; c < t->ncol; c++) {
		ac_buf_addc(b, ' ');
		ac_md_escape(b, t->names[c]);
		ac_buf_adds(b, " |");
	}
	ac_buf_adds(b, "\n|");
	for (int c = 0; c < t->ncol; c++)
		ac_buf_adds(b, col_numeric(t, c) ? "---:|" : "---|");
	ac_buf_addc(b, '\n');
	for (size_t r = 0; r < show; r++) {
		ac_buf_adds(b, "|");
		for (int c = 0; c < t->ncol; c++) {
			char tmp[64];
			ac_buf_addc(b, ' ');
			ac_md_escape(b, cell_display(t, &t->cells[r * (size_t)t->ncol + (size_t)c], tmp,
			                             sizeof(tmp)));
			ac_buf_adds(b, " |");
		}
		ac_buf_addc(b, '\n');
	}
	if (!rows) {
		ac_buf_adds(b, "|");
		for (int c = 0; c < t->ncol; c++)
			ac_buf_adds(b, c ? " |" : " (none) |");
		ac_buf_addc(b, '\n');
	}
	if (show < rows)
		ac_buf_printf(b, "\n_Showing %zu of %zu rows; all of them are in [%s.csv](%s.csv)._\n",
		              show, rows, name, name);
	else
		ac_buf_printf(b, "\n_As CSV: [%s.csv](%s.csv)_\n", name, name);
	ac_buf_addc(b, '\n');
}
