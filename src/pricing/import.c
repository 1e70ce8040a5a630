/*
 * Price import: reads a price file into the store's `price` or `tool_price`
 * table (schema/001_init.sql), for `prices import`. Three kinds, told apart
 * by content, not by file name:
 *   model CSV  "model,input_per_mtok,output_per_mtok[,optional columns]"
 *   tool CSV   "tool,per_call[,effective_from]"
 *   LiteLLM's model_prices_and_context_window.json (USD per token)
 * CSV is parsed with libcsv, JSON with jsmn. The file is checked and turned
 * into rows in memory first, then written in one savepoint: every row of each
 * named model (tool) is deleted and the file's rows inserted. A fatal problem
 * (unreadable file, unknown kind, missing or unknown column, no valid row)
 * changes nothing; a bad row is skipped and reported through the warn
 * callback with its line. Re-pricing the stored spans is the caller's job
 * (ac_pricing_reprice).
 */
#include "pricing.h"
#include "alias.h"
#include "../util/csvrec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <csv.h>

#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#define JSMN_STRICT
#include <jsmn.h>

#include "../util/hash.h"
#include "../util/timeutil.h"

#define MAX_FILE_BYTES (256u << 20) /* jsmn counts offsets in int */
#define NPRICE 7                    /* price columns of a model row */

/* One price row, checked, waiting to be written. */
typedef struct irow {
	char *name;  /* trimmed, as written */
	char *lname; /* lower case, for grouping */
	double v[NPRICE]; /* model: the `price` columns in order (NAN = NULL); tool: v[0] */
	char eff[11]; /* "" = always */
	long long line;
} irow;

typedef struct rowlist {
	irow *r;
	size_t len, cap;
} rowlist;

/* Set of row indices, keyed by the row's name (and date) -- open addressing. */
typedef struct idxset {
	int *slot; /* row index + 1; 0 = empty */
	size_t cap, len;
} idxset;

/* What one import works on. */
typedef struct importer {
	int tools;         /* tool rows rather than model rows */
	const char *noun;  /* "model" or "tool" */
	rowlist rows;
	idxset seen;       /* (name, effective_from) already in rows */
	int skipped;
	ac_warn_fn warn;
	void *payload;
	ac_err *err;
} importer;

/* Columns of the model CSV, in `price` table order after the name. */
static const char *const model_cols[] = {
	"model", "input_per_mtok", "output_per_mtok", "cache_read_per_mtok",
	"cache_write_per_mtok", "reasoning_per_mtok", "input_above_200k_per_mtok",
	"output_above_200k_per_mtok", "effective_from",
};
static const char *const tool_cols[] = { "tool", "per_call", "effective_from" };

/* LiteLLM keys, in the same order as model_cols[1..7]. */
static const char *const litellm_keys[NPRICE] = {
	"input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
	"cache_creation_input_token_cost", "output_cost_per_reasoning_token",
	"input_cost_per_token_above_200k_tokens", "output_cost_per_token_above_200k_tokens",
};

/* Helpers ---------------------------------------------------------------- */

static void warn_row(importer *im, long long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn_row(importer *im, long long line, const char *fmt, ...)
{
	ac_err w = AC_ERR_INIT;
	va_list ap;

	im->skipped++;
	if (!im->warn)
		return;
	w.code = AC_EINVAL;
	w.line = line;
	va_start(ap, fmt);
	vsnprintf(w.msg, sizeof(w.msg), fmt, ap);
	va_end(ap);
	im->warn(&w, im->payload);
}


static int rows_equal(const rowlist *rl, int a, int b, int with_date)
{
	return strcmp(rl->r[a].lname, rl->r[b].lname) == 0 &&
	       (!with_date || strcmp(rl->r[a].eff, rl->r[b].eff) == 0);
}

static uint64_t row_hash(const irow *r, int with_date)
{
	uint64_t h = ac_hash64(r->lname, strlen(r->lname), 0);
	if (with_date)
		h = ac_hash64(r->eff, strlen(r->eff), h);
	return h;
}

#define SET_NOMEM (-2)

/*
 * Look row i up in s by name (and date); when an equal row is there, return
 * its index, else add i and return -1. SET_NOMEM on allocation failure.
 */
static int idxset_add(idxset *s, const rowlist *rl, int i, int with_date)
{
	if ((s->len + 1) * 10 > s->cap * 7) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		int *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return SET_NOMEM;
		for (size_t k = 0; k < s->cap; k++) {
			if (!s->slot[k])
				continue;
			size_t j = (size_t)row_hash(&rl->r[s->slot[k] - 1], with_date) & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = s->slot[k];
		}
		free(s->slot);
		s->slot = ns;
		s->cap = ncap;
	}
	size_t j = (size_t)row_hash(&rl->r[i], with_date) & (s->cap - 1);
	while (s->slot[j]) {
		if (rows_equal(rl, s->slot[j] - 1, i, with_date))
			return s->slot[j] - 1;
		j = (j + 1) & (s->cap - 1);
	}
	s->slot[j] = i + 1;
	s->len++;
	return -1;
}

static void rows_release(rowlist *rl)
{
	for (size_t i = 0; i < rl->len; i++) {
		free(rl->r[i].name);
		free(rl->r[i].lname);
	}
	free(rl->r);
	rl->r = NULL;
	rl->len = rl->cap = 0;
}

/*
 * Check and keep one row: the name is not empty and not formula-like, and
 * (name, effective_from) is new in this file. Takes the row's fields; copies
 * name. Returns 0 (kept or skipped with a warning) or AC_ENOMEM.
 */
static int add_row(importer *im, const char *name, const double *v, const char *eff,
                   long long line)
{
	rowlist *rl = &im->rows;
	irow *r;

	if (!*name) {
		warn_row(im, line, "empty %s name", im->noun);
		return 0;
	}
	/* Names are written back out in reports and CSV exports: a cell that a
	 * spreadsheet would run as a formula is refused (CSV injection). */
	if (strchr("=+-@", name[0])) {
		warn_row(im, line, "%s name looks like a formula: \"%.80s\"", im->noun, name);
		return 0;
	}
	if (rl->len == rl->cap) {
		size_t ncap = rl->cap ? rl->cap * 2 : 64;
		irow *nr = realloc(rl->r, ncap * sizeof(*nr));
		if (!nr)
			return ac_err_set(im->err, AC_ENOMEM, "out of memory reading prices");
		rl->r = nr;
		rl->cap = ncap;
	}
	r = &rl->r[rl->len];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	r->lname = strdup(name);
	if (!r->name || !r->lname) {
		free(r->name);
		free(r->lname);
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading prices");
	}
	for (char *p = r->lname; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	memcpy(r->v, v, sizeof(r->v));
	snprintf(r->eff, sizeof(r->eff), "%s", eff);
	r->line = line;

	int prev = idxset_add(&im->seen, rl, (int)rl->len, 1);
	if (prev == SET_NOMEM) {
		free(r->name);
		free(r->lname);
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading prices");
	}
	if (prev >= 0) {
		if (*eff)
			warn_row(im, line, "duplicate row for %.80s (effective_from %s), first at line %lld",
			         name, eff, rl->r[prev].line);
		else
			warn_row(im, line, "duplicate row for %.80s, first at line %lld", name,
			         rl->r[prev].line);
		free(r->name);
		free(r->lname);
		return 0;
	}
	rl->len++;
	return 0;
}

/*
 * A price cell: a plain decimal number ("0.15", "+3", "1.5e-1"), finite and
 * >= 0. Hex, "inf", "nan", formulas and currency signs are refused. Returns 0
 * and *out, or -1 with the reason in why.
 */
static int parse_price(const char *s, double *out, const char **why)
{
	const char *p = s;
	int digits = 0;
	char *end;

	if (*p == '+' || *p == '-')
		p++;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (digits && (*p == 'e' || *p == 'E')) {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			digits = 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (!digits || *p) {
		*why = "price is not a number";
		return -1;
	}
	errno = 0;
	double v = strtod(s, &end);
	if (errno == ERANGE && fabs(v) > 1) {
		*why = "price is not a finite number";
		return -1;
	}
	if (v < 0) {
		*why = "price is negative";
		return -1;
	}
	*out = v + 0.0; /* -0 -> +0 */
	return 0;
}

/* Reading ---------------------------------------------------------------- */

static int read_file(const char *path, char **out, size_t *len, ac_err *err)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	*out = NULL;
	if (!f)
		return ac_err_set(err, AC_EIO, "cannot open %s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 65536) {
			if (cap >= MAX_FILE_BYTES) {
				rc = ac_err_set(err, AC_EFORMAT, "%s: price file too large", path);
				goto done;
			}
			size_t ncap = cap ? cap * 2 : 65536;
			char *nd = realloc(data, ncap + 1);
			if (!nd) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
				goto done;
			}
			data = nd;
			cap = ncap;
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = ac_err_set(err, AC_EIO, "cannot read %s: %s", path, strerror(errno));
		goto done;
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	data = NULL;
done:
	free(data);
	fclose(f);
	return rc;
}

/* CSV -------------------------------------------------------------------- */

typedef ac_csv_rec csv_rec;

/*
 * Map the header cells to the kind's columns: colmap[i] = column index of
 * header cell i. The first column is the name (already matched); the price
 * columns in required[] must be present; unknown and repeated names are
 * errors. Returns 0 or AC_EFORMAT.
 */
static int map_header(const csv_rec *h, const char *const *cols, int ncols, int nrequired,
                      int *colmap, const char *path, ac_err *err)
{
	int have[16] = { 0 };
	char unknown[256] = "";
	int nunknown = 0;

	for (int i = 0; i < h->n; i++) {
		int c = -1;
		for (int k = 0; k < ncols; k++) {
			if (strcasecmp(h->cell[i], cols[k]) == 0)
				c = k;
		}
		if (c < 0) {
			size_t u = strlen(unknown);
			snprintf(unknown + u, sizeof(unknown) - u, "%s\"%.40s\"", nunknown ? ", " : "",
			         h->cell[i]);
			nunknown++;
		} else if (have[c]) {
			return ac_err_setpos(err, AC_EFORMAT, h->line, 0, "%s:%lld: duplicate column %s",
			                     path, h->line, cols[c]);
		}
		if (c >= 0)
			have[c] = 1;
		colmap[i] = c;
	}
	if (nunknown)
		return ac_err_setpos(err, AC_EFORMAT, h->line, 0, "%s:%lld: unknown column%s %s", path,
		                     h->line, nunknown > 1 ? "s" : "", unknown);
	for (int k = 1; k <= nrequired; k++) {
		if (!have[k])
			return ac_err_setpos(err, AC_EFORMAT, h->line, 0, "%s:%lld: missing column %s",
			                     path, h->line, cols[k]);
	}
	return 0;
}

/* Turn the data records of a model or tool CSV into rows. */
static int csv_rows(importer *im, const ac_csv_doc *cs, size_t first, const char *path)
{
	const char *const *cols = im->tools ? tool_cols : model_cols;
	int ncols = im->tools ? 3 : 9;
	int nrequired = im->tools ? 1 : 2;
	int effcol = ncols - 1;
	const csv_rec *h = &cs->rec[first];
	int *colmap = malloc((size_t)h->n * sizeof(*colmap));
	int rc = 0;

	if (!colmap)
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading %s", path);
	if ((rc = map_header(h, cols, ncols, nrequired, colmap, path, im->err)) < 0)
		goto done;
	for (size_t i = first + 1; i < cs->n; i++) {
		const csv_rec *r = &cs->rec[i];
		const char *cell[16] = { 0 };
		double v[NPRICE];
		int bad = 0;

		if (ac_csv_blank(r))
			continue;
		for (int k = 0; k < NPRICE; k++)
			v[k] = NAN;
		for (int c = 0; c < r->n; c++) {
			if (c < h->n)
				cell[colmap[c]] = r->cell[c];
			else if (r->cell[c][0])
				bad = 1;
		}
		if (bad) {
			warn_row(im, r->line, "row has %d cells, the header has %d", r->n, h->n);
			continue;
		}
		for (int k = 1; k < effcol && !bad; k++) {
			const char *s = cell[k] ? cell[k] : "";
			const char *why;
			if (!*s) {
				if (k <= nrequired) {
					warn_row(im, r->line, "%s is empty", cols[k]);
					bad = 1;
				}
			} else if (parse_price(s, &v[k - 1], &why) < 0) {
				warn_row(im, r->line, "%s: \"%.60s\" in %s", why, s, cols[k]);
				bad = 1;
			}
		}
		if (bad)
			continue;
		const char *eff = cell[effcol] ? cell[effcol] : "";
		int64_t day;
		if (*eff && ac_date_parse(eff, &day) < 0) {
			warn_row(im, r->line, "effective_from is not a date (YYYY-MM-DD): \"%.60s\"", eff);
			continue;
		}
		if ((rc = add_row(im, cell[0] ? cell[0] : "", v, eff, r->line)) < 0)
			goto done;
	}
done:
	free(colmap);
	return rc;
}

/* LiteLLM JSON ----------------------------------------------------------- */

typedef struct json_doc {
	const char *js;
	jsmntok_t *t;
	int n;
	/* running line count, for warnings (tokens are visited in order) */
	int at;
	long long line;
} json_doc;

static long long line_of(json_doc *d, int offset)
{
	for (; d->at < offset; d->at++) {
		if (d->js[d->at] == '\n')
			d->line++;
	}
	return d->line;
}

/* Index of the token after the subtree rooted at i. */
static int skip(const json_doc *d, int i)
{
	if (i >= d->n || d->t[i].end < 0)
		return d->n; /* past the tokens, or an unclosed one: nothing follows */
	int end = d->t[i].end;
	for (i++; i < d->n && d->t[i].start < end; i++)
		;
	return i;
}

static int tok_is(const json_doc *d, int i, const char *s)
{
	int len = d->t[i].end - d->t[i].start;
	return d->t[i].type == JSMN_STRING && (int)strlen(s) == len &&
	       memcmp(d->js + d->t[i].start, s, (size_t)len) == 0;
}

/* LiteLLM's per-token price -> per MTok, rounded to 1e-9 USD/MTok so that
 * 1.5e-07 becomes exactly the double 0.15 and not 0.15000000000000002. */
static double per_mtok(double per_token)
{
	double m = per_token * 1e6;
	if (fabs(m) < 1e6)
		m = round(m * 1e9) / 1e9;
	return m + 0.0;
}

/* Read the mapped keys of one model entry (object at token o) and keep it. */
static int litellm_entry(importer *im, json_doc *d, int key, int o)
{
	double v[NPRICE];
	long long line = line_of(d, d->t[key].start);
	char name[512];
	int klen = d->t[key].end - d->t[key].start;

	for (int k = 0; k < NPRICE; k++)
		v[k] = NAN;
	if (klen >= (int)sizeof(name)) {
		warn_row(im, line, "model name too long");
		return 0;
	}
	/* JSON escapes in a name are kept as written: LiteLLM's names have none */
	memcpy(name, d->js + d->t[key].start, (size_t)klen);
	name[klen] = '\0';
	for (int i = o + 1; i < d->n && d->t[i].start < d->t[o].end; i = skip(d, i + 1)) {
		int val = i + 1, k;
		for (k = 0; k < NPRICE && !tok_is(d, i, litellm_keys[k]); k++)
			;
		if (k == NPRICE || val >= d->n)
			continue;
		const jsmntok_t *t = &d->t[val];
		char num[64];
		int len = t->end - t->start;
		const char *why = "price is not a number";
		if (t->type == JSMN_PRIMITIVE && len == 4 && memcmp(d->js + t->start, "null", 4) == 0)
			continue; /* null: absent */
		if (t->type == JSMN_PRIMITIVE && len < (int)sizeof(num)) {
			memcpy(num, d->js + t->start, (size_t)len);
			num[len] = '\0';
			double pt;
			if (parse_price(num, &pt, &why) == 0) {
				v[k] = per_mtok(pt);
				continue;
			}
		}
		warn_row(im, line_of(d, t->start), "%s: %.40s of %.80s is \"%.*s\"", why,
		         litellm_keys[k], name, len > 40 ? 40 : len, d->js + t->start);
		return 0;
	}
	if (isnan(v[0]) || isnan(v[1]))
		return 0; /* image, audio, per-second ... entries: not token-priced */
	return add_row(im, name, v, "", line);
}

static int litellm_rows(importer *im, const char *js, size_t len, const char *path)
{
	json_doc d = { js, NULL, 0, 0, 1 };
	jsmn_parser p;
	int n, rc = 0, priced = 0;

	/* jsmn stops at a NUL byte as if the text ended there */
	const char *nul = memchr(js, '\0', len);
	if (nul) {
		long long line = 1;
		for (const char *q = js; q < nul; q++)
			line += *q == '\n';
		return ac_err_setpos(im->err, AC_EPARSE, line, 0, "%s:%lld: NUL byte in the json", path,
		                     line);
	}
	jsmn_init(&p);
	n = jsmn_parse(&p, js, len, NULL, 0);
	if (n < 0) {
		/* locate the error for the message */
		long long line = 1, col = 1;
		for (unsigned i = 0; i < p.pos && i < len; i++) {
			if (js[i] == '\n')
				line++, col = 1;
			else
				col++;
		}
		return ac_err_setpos(im->err, AC_EPARSE, line, col, "%s:%lld:%lld: %s", path, line,
		                     col, n == JSMN_ERROR_PART ? "truncated json" : "invalid json");
	}
	d.t = malloc((size_t)(n ? n : 1) * sizeof(*d.t));
	if (!d.t)
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading %s", path);
	jsmn_init(&p);
	d.n = jsmn_parse(&p, js, len, d.t, (unsigned)n);
	if (d.n < 1 || d.t[0].type != JSMN_OBJECT) {
		rc = ac_err_set(im->err, AC_EFORMAT, "%s: not a price file (json top level is not an object)",
		                path);
		goto done;
	}
	for (int i = 1; i < d.n; i = skip(&d, i + 1)) {
		int val = i + 1;
		if (val >= d.n)
			break;
		if (tok_is(&d, i, "sample_spec") || d.t[val].type != JSMN_OBJECT)
			continue;
		/* LiteLLM's format: at least one entry with input_cost_per_token */
		for (int k = val + 1; k < d.n && d.t[k].start < d.t[val].end; k = skip(&d, k + 1)) {
			if (tok_is(&d, k, "input_cost_per_token")) {
				priced = 1;
				break;
			}
		}
		if ((rc = litellm_entry(im, &d, i, val)) < 0)
			goto done;
	}
	if (!priced)
		rc = ac_err_set(im->err, AC_EFORMAT,
		                "%s: not a price file (no entry has input_cost_per_token)", path);
done:
	free(d.t);
	return rc;
}

/* Writing ---------------------------------------------------------------- */

static void bind_opt(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

static int sql_error(importer *im, sqlite3 *db)
{
	return ac_err_set(im->err, AC_ESQL, "importing prices: %s", sqlite3_errmsg(db));
}

/* Replace the named models' (tools') rows with the file's, in one savepoint. */
static int write_rows(importer *im, sqlite3 *db, const char *source, int *names)
{
	static const char *mdel = "DELETE FROM price WHERE model = ?1 COLLATE NOCASE";
	static const char *tdel = "DELETE FROM tool_price WHERE tool = ?1 COLLATE NOCASE";
	static const char *mins =
		"INSERT INTO price (model, input_per_mtok, output_per_mtok, cache_read_per_mtok,"
		" cache_write_per_mtok, reasoning_per_mtok, input_above_200k_per_mtok,"
		" output_above_200k_per_mtok, effective_from, source, imported_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
	static const char *tins =
		"INSERT INTO tool_price (tool, per_call, effective_from, source, imported_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *del = NULL, *ins = NULL;
	idxset named = { 0 };
	struct timespec ts;
	char now[40];
	int rc = 0, in_sp = 0;

	*names = 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	ac_format_iso_ms((int64_t)ts.tv_sec * AC_NS_PER_SEC + ts.tv_nsec, now);

	/* A savepoint is a transaction of its own when none is open, and
	 * nests inside the caller's when one is. */
	if (sqlite3_exec(db, "SAVEPOINT ac_prices_import", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sql_error(im, db);
		goto done;
	}
	in_sp = 1;
	if (sqlite3_prepare_v2(db, im->tools ? tdel : mdel, -1, &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, im->tools ? tins : mins, -1, &ins, NULL) != SQLITE_OK) {
		rc = sql_error(im, db);
		goto done;
	}
	for (size_t i = 0; i < im->rows.len; i++) {
		int prev = idxset_add(&named, &im->rows, (int)i, 0);
		if (prev == SET_NOMEM) {
			rc = ac_err_set(im->err, AC_ENOMEM, "out of memory importing prices");
			goto done;
		}
		if (prev >= 0)
			continue; /* name already deleted */
		(*names)++;
		sqlite3_bind_text(del, 1, im->rows.r[i].name, -1, SQLITE_STATIC);
		if (sqlite3_step(del) != SQLITE_DONE) {
			rc = sql_error(im, db);
			goto done;
		}
		sqlite3_reset(del);
	}
	for (size_t i = 0; i < im->rows.len; i++) {
		const irow *r = &im->rows.r[i];
		int at = 2;
		sqlite3_bind_text(ins, 1, r->name, -1, SQLITE_STATIC);
		for (int k = 0; k < (im->tools ? 1 : NPRICE); k++)
			bind_opt(ins, at++, r->v[k]);
		if (r->eff[0])
			sqlite3_bind_text(ins, at++, r->eff, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, at++);
		sqlite3_bind_text(ins, at++, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, at++, now, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = sql_error(im, db);
			goto done;
		}
		sqlite3_reset(ins);
	}
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	del = ins = NULL;
	if (sqlite3_exec(db, "RELEASE ac_prices_import", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sql_error(im, db);
		goto done;
	}
	in_sp = 0;
done:
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	if (in_sp) {
		sqlite3_exec(db, "ROLLBACK TO ac_prices_import", NULL, NULL, NULL);
		sqlite3_exec(db, "RELEASE ac_prices_import", NULL, NULL, NULL);
	}
	free(named.slot);
	return rc;
}

/* Entry point ------------------------------------------------------------ */

int ac_prices_import(sqlite3 *db, const char *path, ac_import_stats *st, ac_warn_fn warn,
                     void *payload, ac_err *err)
{
	importer im;
	ac_csv_doc cs = AC_CSV_DOC_INIT;
	char *data = NULL;
	const char *text, *base = strrchr(path, '/');
	size_t len = 0, first;
	int rc, names = 0;

	memset(&im, 0, sizeof(im));
	im.warn = warn;
	im.payload = payload;
	im.err = err;
	im.noun = "model";
	base = base ? base + 1 : path;
	if (st) {
		st->kind = NULL;
		st->rows = st->names = st->skipped = 0;
	}
	if ((rc = read_file(path, &data, &len, err)) < 0)
		goto done;
	text = data;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;

	size_t lead = 0;
	while (lead < len && isspace((unsigned char)text[lead]))
		lead++;
	if (lead == len) {
		rc = ac_err_set(err, AC_EFORMAT, "%s: empty price file", path);
		goto done;
	}
	if (text[lead] == '{') {
		if (st)
			st->kind = "litellm";
		if ((rc = litellm_rows(&im, text, len, path)) < 0)
			goto done;
	} else {
		if ((rc = ac_csv_split(&cs, text, len, path, err)) < 0)
			goto done;
		for (first = 0; first < cs.n && ac_csv_blank(&cs.rec[first]); first++)
			;
		const char *h0 = first < cs.n ? cs.rec[first].cell[0] : "";
		if (strcasecmp(h0, "model") == 0) {
			if (st)
				st->kind = "model-csv";
		} else if (strcasecmp(h0, "alias") == 0) {
			/* model aliases (alias.c): a table of their own */
			if (st)
				st->kind = "alias-csv";
			rc = ac_alias_import_csv(db, &cs, first, path, base, st, warn, payload, err);
			goto done_alias;
		} else if (strcasecmp(h0, "tool") == 0) {
			im.tools = 1;
			im.noun = "tool";
			if (st)
				st->kind = "tool-csv";
		} else {
			rc = ac_err_set(err, AC_EFORMAT,
			                "%s: not a price file (expected a csv header model,input_per_mtok,"
			                "output_per_mtok,... or tool,per_call,... or alias,model, or litellm json)",
			                path);
			goto done;
		}
		if ((rc = csv_rows(&im, &cs, first, path)) < 0)
			goto done;
	}
	if (im.rows.len == 0) {
		rc = ac_err_set(err, AC_EFORMAT, "%s: no valid price row", path);
		goto done;
	}
	if ((rc = write_rows(&im, db, base, &names)) < 0)
		goto done;
	if (st) {
		st->rows = (int)im.rows.len;
		st->names = names;
	}
done:
	if (st)
		st->skipped = im.skipped;
done_alias:
	ac_csv_doc_release(&cs);
	rows_release(&im.rows);
	free(im.seen.slot);
	free(data);
	return rc;
}
