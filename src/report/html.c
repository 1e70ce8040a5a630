/*
 * The report document model and its three renderings: the HTML page (one
 * file, inline CSS, the charts' SVG inline, no script), the Markdown file
 * (charts as SVG files beside it) and one CSV file per table.
 *
 * Everything a report shows goes through here, so this is where text from
 * traces meets markup: every string is escaped for the format it lands in
 * (HTML: & < > " '; Markdown: the same plus | ` \ * _ [ ]; CSV: with the
 * formula guard; all in the table writers of src/util/table.h), whatever its
 * origin. Only chart SVG is
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

/* A report's table: the table (util/table.h) and where it goes. */
struct ac_tbl {
	ac_doc *doc;
	char *name, *caption;
	char **cols;
	int ncol_alloc;
	ac_table *t;
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
	for (int c = 0; t->cols && c < t->ncol_alloc; c++)
		free(t->cols[c]);
	free(t->cols);
	ac_table_free(t->t);
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
	t->cols = calloc((size_t)(ncol ? ncol : 1), sizeof(char *));
	t->show = show;
	if (t->cols) {
		t->ncol_alloc = ncol;
		for (int c = 0; c < ncol; c++)
			t->cols[c] = dup0(d, cols[c]);
	}
	if (!t->cols || d->oom ||
	    !(t->t = ac_table_new((const char *const *)t->cols, NULL, ncol))) {
		d->oom = 1;
		tbl_free(t);
		return NULL;
	}
	block *b = add_block(d, B_TABLE);
	if (!b) {
		tbl_free(t);
		return NULL;
	}
	b->tbl = t;
	return t;
}

void ac_tbl_text(ac_tbl *t, const char *s)
{
	ac_table_text(t ? t->t : NULL, s);
}

void ac_tbl_int(ac_tbl *t, long long v)
{
	ac_table_int(t ? t->t : NULL, v);
}

void ac_tbl_num(ac_tbl *t, ac_cell_type type, double v)
{
	ac_table_num_as(t ? t->t : NULL, type, v);
}

void ac_tbl_null(ac_tbl *t)
{
	ac_table_null(t ? t->t : NULL);
}

ac_table *ac_tbl_table(ac_tbl *t)
{
	return t ? t->t : NULL;
}

size_t ac_tbl_rows(const ac_tbl *t)
{
	return t ? ac_table_rows(t->t) : 0;
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
			ac_table_write_html(b, x->tbl->t, x->tbl->name, x->tbl->caption, x->tbl->show);
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
			ac_table_write_md(b, x->tbl->t, x->tbl->name, x->tbl->caption, x->tbl->show);
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

static int write_csv(const char *dir, const ac_tbl *t, ac_err *err)
{
	char name[160];
	snprintf(name, sizeof(name), "%s.csv", t->name);
	char *path, *tmp;
	FILE *fp = open_file(dir, name, &path, &tmp, err);
	if (fp)
		ac_table_write_csv(fp, t->t);
	return close_file(fp, path, tmp, err);
}

int ac_doc_write(ac_doc *d, const char *dir, ac_report_info *info, ac_err *err)
{
	int rc;
	assert(dir);
	for (size_t i = 0; i < d->n; i++)
		if (d->b[i].kind == B_TABLE && ac_table_oom(d->b[i].tbl->t))
			d->oom = 1;
	if (d->oom)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	if ((rc = make_dir(dir, err)))
		return rc;
	for (size_t i = 0; i < d->n; i++) {
		const block *x = &d->b[i];
		if (x->kind == B_TABLE) {
			if ((rc = write_csv(dir, x->tbl, err)))
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
