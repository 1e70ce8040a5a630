/* CSV records with line numbers: see csvrec.h. */
#include "csvrec.h"

#include <csv.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void rec_release(ac_csv_rec *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->cell[i]);
	free(r->cell);
	memset(r, 0, sizeof(*r));
}

void ac_csv_doc_release(ac_csv_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++)
		rec_release(&doc->rec[i]);
	free(doc->rec);
	rec_release(&doc->cur);
	doc->rec = NULL;
	doc->n = doc->cap = 0;
}

char *ac_strdup_trim(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void on_field(void *s, size_t len, void *data)
{
	ac_csv_doc *d = data;
	if (d->oom)
		return;
	if (!d->in_record) {
		d->in_record = 1;
		d->cur.line = d->line;
	}
	if (d->cur.n == d->cur.cap) {
		int nc = d->cur.cap ? d->cur.cap * 2 : 8;
		char **ncell = realloc(d->cur.cell, (size_t)nc * sizeof(*ncell));
		if (!ncell) {
			d->oom = 1;
			return;
		}
		d->cur.cell = ncell;
		d->cur.cap = nc;
	}
	char *c = ac_strdup_trim(s ? s : "", s ? len : 0);
	if (!c) {
		d->oom = 1;
		return;
	}
	d->cur.cell[d->cur.n++] = c;
}

static void on_record(int c, void *data)
{
	ac_csv_doc *d = data;
	(void)c;
	d->in_record = 0;
	if (d->oom)
		return;
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 32;
		ac_csv_rec *nr = realloc(d->rec, nc * sizeof(*nr));
		if (!nr) {
			d->oom = 1;
			return;
		}
		d->rec = nr;
		d->cap = nc;
	}
	d->rec[d->n++] = d->cur;
	memset(&d->cur, 0, sizeof(d->cur));
}

int ac_csv_split(ac_csv_doc *d, const char *text, size_t len, const char *path, ac_err *err)
{
	struct csv_parser p;
	size_t at = 0;
	int rc = 0;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		at = 3; /* a spreadsheet's byte order mark */
	/* fed one physical line at a time, so that each record knows its line */
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) + 1 : len - at;
		d->line++;
		if (!d->in_record) {
			/* a record starts on this line if it holds anything libcsv
			 * does not skip (a quoted cell may go on over lines) */
			for (size_t i = 0; i < n; i++) {
				char c = text[at + i];
				if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
					d->in_record = 1;
					d->cur.line = d->line;
					break;
				}
			}
		}
		if (csv_parse(&p, text + at, n, on_field, on_record, d) != n) {
			rc = ac_err_setpos(err, AC_EPARSE, d->line, 0, "%s:%lld: malformed csv: %s", path,
			                   d->line, csv_strerror(csv_error(&p)));
			goto done;
		}
		if (d->oom)
			break;
		at += n;
	}
	if (!d->oom && csv_fini(&p, on_field, on_record, d) != 0)
		rc = ac_err_setpos(err, AC_EPARSE, d->line, 0,
		                   "%s:%lld: malformed csv: unterminated quoted cell", path, d->line);
	else if (d->oom)
		rc = ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
done:
	csv_free(&p);
	return rc;
}

int ac_csv_blank(const ac_csv_rec *r)
{
	for (int i = 0; i < r->n; i++)
		if (r->cell[i][0])
			return 0;
	return 1;
}
