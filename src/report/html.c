/*
 * The report document model and its three renderings: the HTML page (one
 * file, inline CSS, the charts' SVG inline, no script), the Markdown file
 * (charts as SVG files beside it) and one CSV file per table.
 *
 * Everything a report shows goes through here, so this is where text from
 * traces meets markup: every string is escaped for the format it lands in
 * (HTML: & < > " '; Markdown: the same plus | ` \ * _ [ ]; CSV: the caller's
 * cell writer with the formula guard), whatever its origin. Only chart SVG is
 * emitted as markup, and only after ac_svg_sanitize (chart.c).
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

typedef struct cell {
	ac_cell_type type;
	char *text;  /* AC_CELL_TEXT */
	double v;    /* numbers */
	long long i; /* AC_CELL_INT */
} cell;

struct ac_tbl {
	ac_doc *doc;
	char *name, *caption;
	char **cols;
	int ncol;
	cell *cells;
	size_t n, cap;
	size_t show;
};

typedef enum { B_SECTION, B_HEADING, B_PARA, B_WARN, B_TABLE, B_CHART } bkind;

typedef struct block {
	bkind kind;
	char *id, *text, *note; /* id: section anchor or chart name */
	ac_tbl *tbl;
	char *svg;
	int num; /* section number */
} block;

struct ac_doc {
	char *title, *subtitle;
	block *b;
	size_t n, cap;
	int sections;
	int oom;
};

/* ---- building ----------------------------------------------------------- */

static char *dup0(ac_doc *d, const char *s)
{
	if (!s)
		return NULL;
	char *c = strdup(s);
	if (!c)
		d->oom = 1;
	return c;
}

ac_doc *ac_doc_new(const char *title, const char *subtitle)
{
	ac_doc *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->title = dup0(d, title);
	d->subtitle = dup0(d, subtitle ? subtitle : "");
	if (d->oom) {
		ac_doc_free(d);
		return NULL;
	}
	return d;
}

static void tbl_free(ac_tbl *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i].text);
	free(t->cells);
	for (int c = 0; c < t->ncol; c++)
		free(t->cols[c]);
	free(t->cols);
	free(t->name);
	free(t->caption);
	free(t);
}

void ac_doc_free(ac_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->b[i].id);
		free(d->b[i].text);
		free(d->b[i].note);
		free(d->b[i].svg);
		tbl_free(d->b[i].tbl);
	}
	free(d->b);
	free(d->title);
	free(d->subtitle);
	free(d);
}

static block *add_block(ac_doc *d, bkind kind)
{
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 64;
		block *nb = realloc(d->b, nc * sizeof(*nb));
		if (!nb) {
			d->oom = 1;
			return NULL;
		}
		d->b = nb;
		d->cap = nc;
	}
	block *b = &d->b[d->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

void ac_doc_section(ac_doc *d, const char *id, const char *title)
{
	block *b = add_block(d, B_SECTION);
	if (!b)
		return;
	b->id = dup0(d, id);
	b->text = dup0(d, title);
	b->num = ++d->sections;
}

void ac_doc_heading(ac_doc *d, const char *title)
{
	block *b = add_block(d, B_HEADING);
	if (b)
		b->text = dup0(d, title);
}

static void add_textv(ac_doc *d, bkind kind, const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0) {
		d->oom = 1;
		return;
	}
	block *b = add_block(d, kind);
	if (!b) {
		free(s);
		return;
	}
	b->text = s;
}

void ac_doc_para(ac_doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_textv(d, B_PARA, fmt, ap);
	va_end(ap);
}

void ac_doc_warn(ac_doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_textv(d, B_WARN, fmt, ap);
	va_end(ap);
}

ac_tbl *ac_doc_table(ac_doc *d, const char *name, const char *caption,
                     const char *const *cols, int ncol, size_t show)
{
	ac_tbl *t = calloc(1, sizeof(*t));
	if (!t) {
		d->oom = 1;
		return NULL;
	}
	t->doc = d;
	t->name = dup0(d, name);
	t->caption = dup0(d, caption);
	t->cols = calloc((size_t)ncol, sizeof(char *));
	t->ncol = ncol;
	t->show = show;
	if (!t->cols) {
		d->oom = 1;
		t->ncol = 0;
	}
	for (int c = 0; c < t->ncol; c++)
		t->cols[c] = dup0(d, cols[c]);
	block *b = add_block(d, B_TABLE);
	if (!b) {
		tbl_free(t);
		return NULL;
	}
	b->tbl = t;
	return t;
}

static cell *next_cell(ac_tbl *t)
{
	if (!t)
		return NULL;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		cell *c = realloc(t->cells, nc * sizeof(*c));
		if (!c) {
			t->doc->oom = 1;
			return NULL;
		}
		t->cells = c;
		t->cap = nc;
	}
	cell *c = &t->cells[t->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

void ac_tbl_text(ac_tbl *t, const char *s)
{
	cell *c = next_cell(t);
	if (!c)
		return;
	if (!s) {
		c->type = AC_CELL_NULL;
		return;
	}
	c->type = AC_CELL_TEXT;
	c->text = dup0(t->doc, s);
	if (!c->text)
		c->type = AC_CELL_NULL;
}

void ac_tbl_int(ac_tbl *t, long long v)
{
	cell *c = next_cell(t);
	if (!c)
		return;
	c->type = AC_CELL_INT;
	c->i = v;
	c->v = (double)v;
}

void ac_tbl_num(ac_tbl *t, ac_cell_type type, double v)
{
	cell *c = next_cell(t);
	if (!c)
		return;
	c->type = isnan(v) || isinf(v) ? AC_CELL_NULL : type;
	c->v = v;
	if (c->type == AC_CELL_INT)
		c->i = (long long)llround(v);
}

void ac_tbl_null(ac_tbl *t)
{
	cell *c = next_cell(t);
	if (c)
		c->type = AC_CELL_NULL;
}

size_t ac_tbl_rows(const ac_tbl *t)
{
	return t && t->ncol ? t->n / (size_t)t->ncol : 0;
}

int ac_doc_append(ac_doc *dst, ac_doc *src)
{
	for (size_t i = 0; i < src->n; i++) {
		block *b = add_block(dst, src->b[i].kind);
		if (!b)
			return AC_ENOMEM;
		*b = src->b[i];
		if (b->kind == B_SECTION)
			b->num = ++dst->sections;
		if (b->tbl)
			b->tbl->doc = dst;
		memset(&src->b[i], 0, sizeof(src->b[i]));
		src->b[i].kind = B_PARA;
	}
	src->n = 0;
	src->sections = 0;
	if (src->oom)
		dst->oom = 1;
	return dst->oom ? AC_ENOMEM : 0;
}

void ac_doc_chart(ac_doc *d, const char *name, const char *caption, char *svg, const char *note)
{
	block *b = add_block(d, B_CHART);
	if (!b) {
		free(svg);
		return;
	}
	b->id = dup0(d, name);
	b->text = dup0(d, caption);
	b->svg = svg;
	b->note = dup0(d, svg ? NULL : note ? note : "chart not drawn");
}

/* ---- escaping ----------------------------------------------------------- */

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
static const char *cell_display(const cell *c, char *out, size_t n)
{
	switch (c->type) {
	case AC_CELL_NULL: return "-";
	case AC_CELL_TEXT: return c->text;
	case AC_CELL_INT: snprintf(out, n, "%lld", c->i); return out;
	default: ac_cell_format(out, n, c->type, c->v); return out;
	}
}

/* A column is numeric (right-aligned) when its cells are numbers or null. */
static int col_numeric(const ac_tbl *t, int col)
{
	size_t rows = ac_tbl_rows(t);
	int any = 0;
	for (size_t r = 0; r < rows; r++) {
		ac_cell_type ty = t->cells[r * (size_t)t->ncol + (size_t)col].type;
		if (ty == AC_CELL_TEXT)
			return 0;
		if (ty != AC_CELL_NULL)
			any = 1;
	}
	return any;
}

/* ---- HTML --------------------------------------------------------------- */

static const char CSS[] =
	":root{--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#ffffff;--band:#f4f6fa;"
	"--warn:#b42318;--warnbg:#fef3f2;--accent:#1f5fbf}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
	"Arial,sans-serif;color:var(--fg);background:var(--bg)}\n"
	"header{padding:28px 40px 12px;border-bottom:1px solid var(--line)}\n"
	"header h1{margin:0 0 4px;font-size:26px}\n"
	"header p{margin:0;color:var(--muted)}\n"
	"nav{padding:8px 40px;border-bottom:1px solid var(--line);background:var(--band)}\n"
	"nav ol{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 20px}\n"
	"nav a{color:var(--accent);text-decoration:none}\n"
	"main{padding:8px 40px 40px;max-width:1280px}\n"
	"section{margin-top:28px}\n"
	"h2{font-size:20px;border-bottom:2px solid var(--fg);padding-bottom:4px}\n"
	"h3{font-size:16px;margin:20px 0 6px}\n"
	"p{max-width:900px}\n"
	".warn{border:2px solid var(--warn);background:var(--warnbg);color:var(--warn);"
	"padding:10px 14px;border-radius:6px;margin:12px 0;max-width:900px;font-weight:600}\n"
	".tbl{overflow-x:auto;margin:10px 0 4px}\n"
	"table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}\n"
	"caption{text-align:left;font-weight:600;padding:4px 0;color:var(--fg)}\n"
	"th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;"
	"vertical-align:top;white-space:nowrap}\n"
	"td{max-width:420px;overflow:hidden;text-overflow:ellipsis}\n"
	"th{background:var(--band);font-weight:600}\n"
	"td.n,th.n{text-align:right}\n"
	"tbody tr:hover{background:#fafbfd}\n"
	".more{color:var(--muted);font-size:13px;margin:2px 0 12px}\n"
	"figure{margin:14px 0;max-width:960px}\n"
	"figure svg{display:block;max-width:100%;height:auto;border:1px solid var(--line);"
	"border-radius:4px}\n"
	"figcaption{color:var(--muted);font-size:13px;margin-top:4px}\n"
	".nochart{border:1px dashed var(--muted);color:var(--muted);padding:18px;"
	"border-radius:4px;background:var(--band)}\n"
	"footer{padding:16px 40px;color:var(--muted);font-size:12px;"
	"border-top:1px solid var(--line)}\n"
	"@media print{nav{display:none}figure{break-inside:avoid}}\n";

static void html_table(ac_buf *b, const ac_tbl *t)
{
	size_t rows = ac_tbl_rows(t), show = t->show && t->show < rows ? t->show : rows;
	int *num = calloc((size_t)(t->ncol ? t->ncol : 1), sizeof(int));
	if (!num) {
		b->oom = 1;
		return;
	}
	for (int c = 0; c < t->ncol; c++)
		num[c] = col_numeric(t, c);
	ac_buf_printf(b, "<div class=\"tbl\"><table id=\"t-%s\">", t->name);
	if (t->caption && *t->caption) {
		ac_buf_adds(b, "<caption>");
		ac_html_escape(b, t->caption);
		ac_buf_adds(b, "</caption>");
	}
	ac_buf_adds(b, "\n<thead><tr>");
	for (int c = 0; c < t->ncol; c++) {
		ac_buf_adds(b, num[c] ? "<th class=\"n\">" : "<th>");
		ac_html_escape(b, t->cols[c]);
		ac_buf_adds(b, "</th>");
	}
	ac_buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < show; r++) {
		ac_buf_adds(b, "<tr>");
		for (int c = 0; c < t->ncol; c++) {
			const cell *x = &t->cells[r * (size_t)t->ncol + (size_t)c];
			char tmp[64];
			ac_buf_adds(b, num[c] ? "<td class=\"n\">" : "<td>");
			ac_html_escape(b, cell_display(x, tmp, sizeof(tmp)));
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
		              show, rows, t->name, t->name);
	else
		ac_buf_printf(b, "<p class=\"more\">As CSV: <a href=\"%s.csv\">%s.csv</a></p>\n",
		              t->name, t->name);
	free(num);
}

static void render_html(ac_buf *b, const ac_doc *d)
{
	ac_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	               "style-src 'unsafe-inline'; base-uri 'none'; "
	               "form-action 'none'\">\n"
	               "<meta name=\"referrer\" content=\"no-referrer\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	               "<title>");
	ac_html_escape(b, d->title);
	ac_buf_adds(b, "</title>\n<style>\n");
	ac_buf_adds(b, CSS);
	ac_buf_adds(b, "</style>\n</head>\n<body>\n<header><h1>");
	ac_html_escape(b, d->title);
	ac_buf_adds(b, "</h1><p>");
	ac_html_escape(b, d->subtitle);
	ac_buf_adds(b, "</p></header>\n<nav><ol>");
	for (size_t i = 0; i < d->n; i++) {
		const block *x = &d->b[i];
		if (x->kind != B_SECTION)
			continue;
		ac_buf_printf(b, "<li><a href=\"#%s\">%d. ", x->id, x->num);
		ac_html_escape(b, x->text);
		ac_buf_adds(b, "</a></li>");
	}
	ac_buf_adds(b, "</ol></nav>\n<main>\n");
	int open = 0;
	for (size_t i = 0; i < d->n; i++) {
		const block *x = &d->b[i];
		switch (x->kind) {
		case B_SECTION:
			if (open)
				ac_buf_adds(b, "</section>\n");
			ac_buf_printf(b, "<section id=\"%s\">\n<h2>%d. ", x->id, x->num);
			ac_html_escape(b, x->text);
			ac_buf_adds(b, "</h2>\n");
			open = 1;
			break;
		case B_HEADING:
			ac_buf_adds(b, "<h3>");
			ac_html_escape(b, x->text);
			ac_buf_adds(b, "</h3>\n");
			break;
		case B_PARA:
			ac_buf_adds(b, "<p>");
			ac_html_escape(b, x->text);
			ac_buf_adds(b, "</p>\n");
			break;
		case B_WARN:
			ac_buf_adds(b, "<div class=\"warn\" role=\"alert\">&#9888; ");
			ac_html_escape(b, x->text);
			ac_buf_adds(b, "</div>\n");
			break;
		case B_TABLE:
			html_table(b, x->tbl);
			break;
		case B_CHART:
			ac_buf_printf(b, "<figure class=\"%s\" id=\"chart-%s\">\n",
			              x->svg ? "chart" : "chart-missing", x->id);
			if (x->svg) {
				ac_buf_adds(b, x->svg);
				ac_buf_addc(b, '\n');
			} else {
				ac_buf_adds(b, "<div class=\"nochart\">Chart not drawn: ");
				ac_html_escape(b, x->note);
				ac_buf_adds(b, "</div>\n");
			}
			ac_buf_adds(b, "<figcaption>");
			ac_html_escape(b, x->text);
			ac_buf_adds(b, "</figcaption>\n</figure>\n");
			break;
		}
	}
	if (open)
		ac_buf_adds(b, "</section>\n");
	ac_buf_adds(b, "</main>\n<footer>Written by agentcost from its trace store. Every table "
	               "is also a CSV file beside this page; the same report is in report.md."
	               "</footer>\n</body>\n</html>\n");
}

/* ---- Markdown ----------------------------------------------------------- */

static void md_table(ac_buf *b, const ac_tbl *t)
{
	size_t rows = ac_tbl_rows(t), show = t->show && t->show < rows ? t->show : rows;
	if (t->caption && *t->caption) {
		ac_buf_adds(b, "**");
		ac_md_escape(b, t->caption);
		ac_buf_adds(b, "**\n\n");
	}
	ac_buf_adds(b, "|");
	for (int c = 0; c < t->ncol; c++) {
		ac_buf_addc(b, ' ');
		ac_md_escape(b, t->cols[c]);
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
			ac_md_escape(b, cell_display(&t->cells[r * (size_t)t->ncol + (size_t)c], tmp,
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
		              show, rows, t->name, t->name);
	else
		ac_buf_printf(b, "\n_As CSV: [%s.csv](%s.csv)_\n", t->name, t->name);
	ac_buf_addc(b, '\n');
}

static void render_md(ac_buf *b, const ac_doc *d)
{
	ac_buf_adds(b, "# ");
	ac_md_escape(b, d->title);
	ac_buf_adds(b, "\n\n");
	ac_md_escape(b, d->subtitle);
	ac_buf_adds(b, "\n\n");
	for (size_t i = 0; i < d->n; i++) {
		const block *x = &d->b[i];
		switch (x->kind) {
		case B_SECTION:
			ac_buf_printf(b, "## %d. ", x->num);
			ac_md_escape(b, x->text);
			ac_buf_adds(b, "\n\n");
			break;
		case B_HEADING:
			ac_buf_adds(b, "### ");
			ac_md_escape(b, x->text);
			ac_buf_adds(b, "\n\n");
			break;
		case B_PARA:
			ac_md_escape(b, x->text);
			ac_buf_adds(b, "\n\n");
			break;
		case B_WARN:
			ac_buf_adds(b, "> **Warning:** ");
			ac_md_escape(b, x->text);
			ac_buf_adds(b, "\n\n");
			break;
		case B_TABLE:
			md_table(b, x->tbl);
			break;
		case B_CHART:
			if (x->svg) {
				ac_buf_adds(b, "![");
				ac_md_escape(b, x->text);
				ac_buf_printf(b, "](%s.svg)\n\n_", x->id);
				ac_md_escape(b, x->text);
				ac_buf_adds(b, "_\n\n");
			} else {
				ac_buf_adds(b, "> _Chart not drawn (");
				ac_md_escape(b, x->text);
				ac_buf_adds(b, "): ");
				ac_md_escape(b, x->note);
				ac_buf_adds(b, "_\n\n");
			}
			break;
		}
	}
}

/* ---- files -------------------------------------------------------------- */

/* mkdir -p */
static int make_dir(const char *dir, ac_err *err)
{
	char *p = strdup(dir);
	if (!p)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	for (char *q = p + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0777) && errno != EEXIST) {
			int e = errno;
			free(p);
			return ac_err_set(err, AC_EIO, "%s: %s", dir, strerror(e));
		}
		*q = '/';
	}
	int rc = mkdir(p, 0777);
	int e = errno;
	free(p);
	struct stat st;
	if (rc && (e != EEXIST || stat(dir, &st) || !S_ISDIR(st.st_mode)))
		return ac_err_set(err, AC_EIO, "%s: %s", dir, e == EEXIST ? "not a directory" : strerror(e));
	return 0;
}

/* Open DIR/.NAME.tmp for writing; *path and *tmp receive both names (freed by
 * close_file). */
static FILE *open_file(const char *dir, const char *name, char **path, char **tmp, ac_err *err)
{
	*path = *tmp = NULL;
	if (asprintf(path, "%s/%s", dir, name) < 0 || asprintf(tmp, "%s/.%s.tmp", dir, name) < 0) {
		ac_err_set(err, AC_ENOMEM, "out of memory");
		return NULL;
	}
	FILE *fp = fopen(*tmp, "w");
	if (!fp)
		ac_err_set(err, AC_EIO, "%s: %s", *tmp, strerror(errno));
	return fp;
}

/* Close and move into place; 0 or AC_EIO. */
static int close_file(FILE *fp, char *path, char *tmp, ac_err *err)
{
	int rc = 0;
	if (fp) {
		int bad = ferror(fp);
		if (fclose(fp) || bad)
			rc = ac_err_set(err, AC_EIO, "%s: write failed", path);
		else if (rename(tmp, path))
			rc = ac_err_set(err, AC_EIO, "%s: %s", path, strerror(errno));
		if (rc)
			unlink(tmp);
	} else {
		rc = AC_EIO;
	}
	free(path);
	free(tmp);
	return rc;
}

static int write_text(const char *dir, const char *name, const char *a, size_t na, const char *z,
                      size_t nz, ac_err *err)
{
	char *path, *tmp;
	FILE *fp = open_file(dir, name, &path, &tmp, err);
	if (fp) {
		fwrite(a, 1, na, fp);
		if (z)
			fwrite(z, 1, nz, fp);
	}
	return close_file(fp, path, tmp, err);
}

static int write_csv(const char *dir, const ac_tbl *t, ac_csv_cell_fn csv, ac_err *err)
{
	char name[160];
	snprintf(name, sizeof(name), "%s.csv", t->name);
	char *path, *tmp;
	FILE *fp = open_file(dir, name, &path, &tmp, err);
	if (fp) {
		for (int c = 0; c < t->ncol; c++) {
			if (c)
				fputc(',', fp);
			csv(fp, t->cols[c], 0);
		}
		fputc('\n', fp);
		size_t rows = ac_tbl_rows(t);
		for (size_t r = 0; r < rows; r++) {
			for (int c = 0; c < t->ncol; c++) {
				const cell *x = &t->cells[r * (size_t)t->ncol + (size_t)c];
				char num[64];
				if (c)
					fputc(',', fp);
				switch (x->type) {
				case AC_CELL_NULL: break;
				case AC_CELL_TEXT: csv(fp, x->text, 1); break;
				case AC_CELL_INT:
					snprintf(num, sizeof(num), "%lld", x->i);
					csv(fp, num, 0);
					break;
				default:
					snprintf(num, sizeof(num), "%.12g", x->v);
					csv(fp, num, 0);
					break;
				}
			}
			fputc('\n', fp);
		}
	}
	return close_file(fp, path, tmp, err);
}

int ac_doc_write(ac_doc *d, const char *dir, ac_csv_cell_fn csv, ac_report_info *info,
                 ac_err *err)
{
	int rc;
	assert(csv && dir);
	if (d->oom)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	if ((rc = make_dir(dir, err)))
		return rc;
	for (size_t i = 0; i < d->n; i++) {
		const block *x = &d->b[i];
		if (x->kind == B_TABLE) {
			if ((rc = write_csv(dir, x->tbl, csv, err)))
				return rc;
			info->tables++;
		} else if (x->kind == B_CHART && x->svg) {
			/* a standalone SVG file needs its namespace; the inline copy does not */
			static const char head[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			                           "<svg xmlns=\"http://www.w3.org/2000/svg\"";
			char name[160];
			snprintf(name, sizeof(name), "%s.svg", x->id);
			const char *rest = x->svg + 4; /* after "<svg" */
			if ((rc = write_text(dir, name, head, sizeof(head) - 1, rest, strlen(rest), err)))
				return rc;
			info->charts++;
		} else if (x->kind == B_CHART) {
			if (!info->charts_missing++ && !info->chart_note[0])
				snprintf(info->chart_note, sizeof(info->chart_note), "%s: %s", x->id,
				         x->note ? x->note : "not drawn");
		}
	}
	ac_buf b = AC_BUF_INIT;
	render_md(&b, d);
	if (b.oom) {
		ac_buf_release(&b);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	rc = write_text(dir, "report.md", ac_buf_cstr(&b), b.len, NULL, 0, err);
	ac_buf_reset(&b);
	if (!rc) {
		render_html(&b, d);
		if (b.oom)
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		else
			rc = write_text(dir, "index.html", ac_buf_cstr(&b), b.len, NULL, 0, err);
	}
	ac_buf_release(&b);
	return rc;
}
