/*
 * Routing maps (router.h): rows task type x complexity -> model, read from a
 * CSV file (libcsv) and written as one, or as a table.
 */
#include "router_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "../util/cmp.h"
#include "../util/csvrec.h"
#include "../util/table.h"

#define MAP_MAX_BYTES (16u << 20)

typedef struct mrow {
	char *task_type; /* NULL: the class's default */
	char *complexity, *model;
	long long line;
} mrow;

struct ac_router_map {
	mrow *r;
	size_t n, cap;
};

int ac_router_map_new(ac_router_map **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : AC_ENOMEM;
}

void ac_router_map_free(ac_router_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->r[i].task_type);
		free(m->r[i].complexity);
		free(m->r[i].model);
	}
	free(m->r);
	free(m);
}

static const mrow *map_row(const ac_router_map *m, const char *task_type, const char *complexity)
{
	for (size_t i = 0; i < m->n; i++)
		if (rt_same_opt(m->r[i].task_type, task_type) && !strcmp(m->r[i].complexity, complexity))
			return &m->r[i];
	return NULL;
}

static int map_add(ac_router_map *m, const char *task_type, const char *complexity,
                   const char *model, long long line)
{
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 16;
		mrow *nr = realloc(m->r, nc * sizeof(*nr));
		if (!nr)
			return AC_ENOMEM;
		m->r = nr;
		m->cap = nc;
	}
	mrow *r = &m->r[m->n];
	r->task_type = task_type ? strdup(task_type) : NULL;
	r->complexity = strdup(complexity);
	r->model = strdup(model);
	r->line = line;
	if ((task_type && !r->task_type) || !r->complexity || !r->model) {
		free(r->task_type);
		free(r->complexity);
		free(r->model);
		return AC_ENOMEM;
	}
	m->n++;
	return 0;
}

int ac_router_map_set(ac_router_map *m, const char *task_type, const char *complexity,
                      const char *model, ac_err *err)
{
	if (task_type && !*task_type)
		task_type = NULL;
	if (map_row(m, task_type, complexity))
		return ac_err_set(err, AC_EINVAL, "the map has a row for complexity %s%s%s", complexity,
		                  task_type ? ", task type " : "", task_type ? task_type : "");
	if (map_add(m, task_type, complexity, model, 0))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	return 0;
}

const char *ac_router_map_lookup(const ac_router_map *m, const char *task_type,
                                 const char *complexity)
{
	const mrow *r = task_type ? map_row(m, task_type, complexity) : NULL;
	if (!r)
		r = map_row(m, NULL, complexity);
	return r ? r->model : NULL;
}

size_t ac_router_map_rows(const ac_router_map *m)
{
	return m ? m->n : 0;
}

typedef ac_csv_rec crec;

static int read_all(const char *path, char **out, size_t *len, ac_err *err)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (!f)
		return ac_err_set(err, AC_EIO, "cannot open %s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 4096) {
			if (cap >= MAP_MAX_BYTES) {
				fclose(f);
				free(data);
				return ac_err_set(err, AC_EFORMAT, "%s: too large for a routing map", path);
			}
			size_t nc = cap ? cap * 2 : 8192;
			char *nd = realloc(data, nc + 1);
			if (!nd) {
				fclose(f);
				free(data);
				return ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
			}
			data = nd;
			cap = nc;
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(data);
		return ac_err_set(err, AC_EIO, "cannot read %s", path);
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return 0;
}

enum { COL_TYPE, COL_CPLX, COL_MODEL, NCOL };

static const char *const MAP_COLS[NCOL] = { "task_type", "complexity", "model" };

/* The header row hr of map file path: the column of each of MAP_COLS into
 * col (-1: absent, only task_type may be). Returns 0 or AC_EFORMAT. */
static int map_header(const crec *hr, const char *path, int col[NCOL], ac_err *err)
{
	int rc = 0;
	for (int i = 0; i < hr->n; i++) {
		int k;
		for (k = 0; k < NCOL && strcasecmp(hr->cell[i], MAP_COLS[k]); k++)
			;
		if (k == NCOL) {
			rc = ac_err_setpos(err, AC_EFORMAT, hr->line, i + 1,
			                   "%s:%lld: unknown column \"%.60s\" (a map has task_type, "
			                   "complexity, model)",
			                   path, hr->line, hr->cell[i]);
			return rc;
		}
		if (col[k] >= 0) {
			rc = ac_err_setpos(err, AC_EFORMAT, hr->line, i + 1, "%s:%lld: duplicate column %s",
			                   path, hr->line, MAP_COLS[k]);
			return rc;
		}
		col[k] = i;
	}
	for (int k = COL_CPLX; k < NCOL; k++) {
		if (col[k] < 0) {
			rc = ac_err_setpos(err, AC_EFORMAT, hr->line, 0, "%s:%lld: missing column %s", path,
			                   hr->line, MAP_COLS[k]);
			return rc;
		}
	}
	return rc;
}

int ac_router_map_load(ac_router_map **out, const char *path, ac_pricebook *pb, ac_err *err)
{
	char *text = NULL;
	size_t len = 0;
	ac_csv_doc cs = AC_CSV_DOC_INIT;
	ac_router_map *m = NULL;
	int rc, col[NCOL] = { -1, -1, -1 };
	size_t h;

	*out = NULL;

	if ((rc = read_all(path, &text, &len, err)))
		return rc;
	if ((rc = ac_csv_split(&cs, text, len, path, err)))
		goto done;
	for (h = 0; h < cs.n && ac_csv_blank(&cs.rec[h]); h++)
		;
	if (h == cs.n) {
		rc = ac_err_set(err, AC_EFORMAT, "%s: empty: a map needs the header complexity,model", path);
		goto done;
	}
	const crec *hr = &cs.rec[h];
	if ((rc = map_header(hr, path, col, err)))
		goto done;
	if (ac_router_map_new(&m)) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = h + 1; i < cs.n; i++) {
		const crec *r = &cs.rec[i];
		if (ac_csv_blank(r))
			continue;
		if (r->n != hr->n) {
			rc = ac_err_setpos(err, AC_EPARSE, r->line, 0,
			                   "%s:%lld: row has %d cells, the header has %d", path, r->line,
			                   r->n, hr->n);
			goto done;
		}
		for (int c = 0; c < r->n; c++) {
			/* names go back out into CSV reports: a cell a spreadsheet
			 * would run as a formula is refused (CSV injection) */
			if (r->cell[c][0] && strchr("=+-@", r->cell[c][0])) {
				rc = ac_err_setpos(err, AC_EPARSE, r->line, c + 1,
				                   "%s:%lld: cell \"%.60s\" looks like a spreadsheet formula",
				                   path, r->line, r->cell[c]);
				goto done;
			}
		}
		const char *tt = col[COL_TYPE] >= 0 ? r->cell[col[COL_TYPE]] : "";
		const char *cx = r->cell[col[COL_CPLX]], *model = r->cell[col[COL_MODEL]];
		if (!*cx || !*model) {
			rc = ac_err_setpos(err, AC_EPARSE, r->line, 0, "%s:%lld: empty %s", path, r->line,
			                   *cx ? "model" : "complexity");
			goto done;
		}
		const mrow *prev = map_row(m, *tt ? tt : NULL, cx);
		if (prev) {
			rc = ac_err_setpos(err, AC_EINVAL, r->line, 0,
			                   "%s:%lld: duplicate row for complexity %.60s%s%.60s (first on line "
			                   "%lld)",
			                   path, r->line, cx, *tt ? ", task type " : "", tt, prev->line);
			goto done;
		}
		const ac_price *rows;
		if (pb && ac_pricebook_model(pb, model, &rows, NULL, NULL) <= 0) {
			rc = ac_err_setpos(err, AC_EINVAL, r->line, 0,
			                   "%s:%lld: model %.100s has no price in the price table (import "
			                   "one with `agentcost prices import`)",
			                   path, r->line, model);
			goto done;
		}
		if (map_add(m, *tt ? tt : NULL, cx, model, r->line)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (!m->n) {
		rc = ac_err_setpos(err, AC_EFORMAT, hr->line, 0, "%s:%lld: the map has no rows", path,
		                   hr->line);
		goto done;
	}
	*out = m;
	m = NULL;
done:
	ac_router_map_free(m);
	ac_csv_doc_release(&cs);
	free(text);
	return rc;
}

static int mrow_cmp(const void *pa, const void *pb)
{
	const mrow *a = pa, *b = pb;
	int c = ac_cmp_opt(a->task_type, b->task_type);
	return c ? c : strcmp(a->complexity, b->complexity);
}

static void put_cell(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' ')))
		csv_fwrite(f, s, strlen(s));
	else
		fputs(s, f);
}

/* The map's rows in file order (malloc'd copy; the strings are m's), NULL on OOM. */
static mrow *sorted_rows(const ac_router_map *m)
{
	mrow *rows = malloc((m->n ? m->n : 1) * sizeof(*rows));
	if (rows && m->n) {
		memcpy(rows, m->r, m->n * sizeof(*rows));
		qsort(rows, m->n, sizeof(*rows), mrow_cmp);
	}
	return rows;
}

int ac_router_map_table(const ac_router_map *m, ac_table *t)
{
	mrow *rows = sorted_rows(m);
	if (!rows)
		return AC_ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		ac_table_text(t, rows[i].task_type ? rows[i].task_type : "");
		ac_table_text(t, rows[i].complexity);
		ac_table_text(t, rows[i].model);
	}
	free(rows);
	return ac_table_oom(t) ? AC_ENOMEM : 0;
}

int ac_router_map_write(const ac_router_map *m, const char *path, ac_err *err)
{
	mrow *rows = sorted_rows(m);
	if (!rows)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	FILE *f = fopen(path, "w");
	if (!f) {
		free(rows);
		return ac_err_set(err, AC_EIO, "cannot write %s: %s", path, strerror(errno));
	}
	fputs("task_type,complexity,model\n", f);
	for (size_t i = 0; i < m->n; i++) {
		put_cell(f, rows[i].task_type ? rows[i].task_type : "");
		fputc(',', f);
		put_cell(f, rows[i].complexity);
		fputc(',', f);
		put_cell(f, rows[i].model);
		fputc('\n', f);
	}
	free(rows);
	int bad = ferror(f);
	if (fclose(f) || bad)
		return ac_err_set(err, AC_EIO, "cannot write %s", path);
	return 0;
}
