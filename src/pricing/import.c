/*
 * Price import: reads a price file into the store's `price` or `tool_price`
 * table (schema/001_init.sql), for `prices import`. Five kinds, told apart
 * by content, not by file name:
 *   model CSV  "model,input_per_mtok,output_per_mtok[,optional columns]"
 *   tool CSV   "tool,per_call[,effective_from]"
 *   LiteLLM's model_prices_and_context_window.json (USD per token)
 *   OpenLIT's pricing.json (USD per 1k tokens)
 *   Langfuse model definitions (USD per token)
 * The JSON kinds carry prices the `price` table has no column for (per
 * image, per second, batch, priority, non-default tiers ...): each one is
 * counted per key, so that the caller can say what was not used.
 * CSV is parsed with libcsv, JSON with jsmn. The file is checked and turned
 * into rows in memory first, then written in one savepoint: every row of each
 * named model (tool) is deleted and the file's rows inserted. A fatal problem
 * (unreadable file, unknown kind, missing or unknown column, no valid row)
 * changes nothing; a bad row is skipped and reported through the warn
 * callback with its line. Re-pricing the stored spans is the caller's job
 * (ac_pricing_reprice).
 */
#include "pricing.h"
#include "../store/store.h"
#include "alias.h"
#include "../util/buf.h"
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

#include "pattern.h"
#include "../util/hash.h"
#include "../util/timeutil.h"

#define MAX_FILE_BYTES (256u << 20) /* jsmn counts offsets in int */
#define NPRICE 7                    /* price columns of a model row */
#define MAX_UNUSED_KEYS 1000        /* distinct keys counted apart */

/* One price row, checked, waiting to be written. */
typedef struct irow {
	char *name;  /* trimmed, as written */
	char *lname; /* lower case, for grouping */
	double v[NPRICE]; /* model: the `price` columns in order (NAN = NULL); tool: v[0] */
	char eff[11]; /* "" = always */
	long long line;
	char *pattern; /* Langfuse matchPattern usable with regcomp, or NULL */
	ac_price_var *var; /* rows of table price_tier (schema/008), or NULL */
	int nvar;
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
	/* prices not used, per key; an entry counts once per key (last_entry) */
	struct ukey {
		char key[96];
		int entries;
		int last_entry;
	} *ukeys;
	size_t nukeys, capukeys;
	int entry;      /* number of the entry being read, from 1 */
	int entry_lost; /* the entry has a price not used */
	int lost;       /* entries with a price not used */
} importer;

/* Columns of the model CSV, in `price` table order after the name. */
static const char *const model_cols[] = {
	"model", "input_per_mtok", "output_per_mtok", "cache_read_per_mtok",
	"cache_write_per_mtok", "reasoning_per_mtok", "input_above_200k_per_mtok",
	"output_above_200k_per_mtok", "effective_from",
	/* schema 8 (table price_tier): the tier a row prices and its extra kinds */
	"cache_write_1h_per_mtok", "audio_input_per_mtok", "audio_output_per_mtok",
	"service_tier", "above_tokens",
};
#define MODEL_NCOLS 14
#define COL_EFF 8
#define COL_CW1H 9
#define COL_TIER 12
#define COL_ABOVE 13
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

/* A note on a row that is still imported: reported, not counted skipped. */
static void note_row(importer *im, long long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note_row(importer *im, long long line, const char *fmt, ...)
{
	ac_err w = AC_ERR_INIT;
	va_list ap;

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
		free(rl->r[i].pattern);
		free(rl->r[i].var);
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
	int rc = ac_read_all(f, path, MAX_FILE_BYTES, "price file", out, len, err);
	if (f)
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

/* A tier row of a model CSV, waiting for its base row (csv_rows). */
typedef struct pending_var {
	char *lname;
	char eff[11];
	long long line;
	ac_price_var v;
} pending_var;

/* The service_tier and above_tokens cells of a model CSV row: 0 and the
 * variant key, or -1 with a warning. */
static int csv_tier(importer *im, long long line, const char *tier, const char *above,
                    int *t, int64_t *a)
{
	*t = AC_TIER_STANDARD;
	*a = 0;
	if (tier && *tier) {
		*t = ac_service_tier(tier);
		if (*t < 0 || (strcasecmp(tier, "standard") != 0 && *t == AC_TIER_STANDARD)) {
			warn_row(im, line,
			         "service_tier is not standard, flex, priority or batch: \"%.40s\"", tier);
			return -1;
		}
	}
	if (above && *above) {
		char *end;
		errno = 0;
		long long n = strtoll(above, &end, 10);
		if (errno || *end || n < 0 || above[0] == '+' || above[0] == '-') {
			warn_row(im, line, "above_tokens is not a whole number >= 0: \"%.40s\"", above);
			return -1;
		}
		*a = n;
	}
	return 0;
}

/* Append variant v to row r unless r has one of the same key. */
static int row_add_var(importer *im, irow *r, const ac_price_var *v, long long line)
{
	for (int i = 0; i < r->nvar; i++) {
		if (r->var[i].tier == v->tier && r->var[i].above == v->above) {
			warn_row(im, line, "duplicate tier row for %.80s (first at or after line %lld)",
			         r->name, r->line);
			return 0;
		}
	}
	ac_price_var *nv = realloc(r->var, (size_t)(r->nvar + 1) * sizeof(*nv));
	if (!nv)
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading prices");
	r->var = nv;
	r->var[r->nvar++] = *v;
	return 0;
}

/* csv_rows(): keep a tier row until every base row is read; -1 (said) when out of memory. */
static int pend_add(importer *im, pending_var **pend, size_t *npend, const char *name, const char *eff,
                    long long line, const ac_price_var *pv, const char *path)
{
	pending_var *np = realloc(*pend, (*npend + 1) * sizeof(*np));
	if (!np)
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading %s", path);
	*pend = np;
	pending_var *x = &np[*npend];
	x->lname = strdup(name);
	if (!x->lname)
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading %s", path);
	for (char *q = x->lname; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	snprintf(x->eff, sizeof(x->eff), "%s", eff);
	x->line = line;
	x->v = *pv;
	(*npend)++;
	return 0;
}

/* csv_rows(): each tier row joins the base row of its model and effective_from. */
static int join_pending(importer *im, const pending_var *pend, size_t npend)
{
	int rc;

	for (size_t j = 0; j < npend; j++) {
		irow *base = NULL;
		for (size_t k = 0; k < im->rows.len && !base; k++) {
			if (strcmp(im->rows.r[k].lname, pend[j].lname) == 0 &&
			    strcmp(im->rows.r[k].eff, pend[j].eff) == 0)
				base = &im->rows.r[k];
		}
		if (!base) {
			warn_row(im, pend[j].line,
			         "tier row without a standard row (service_tier and above_tokens empty)"
			         " for %.80s%s%s in this file",
			         pend[j].lname, pend[j].eff[0] ? " effective_from " : "", pend[j].eff);
			continue;
		}
		if ((rc = row_add_var(im, base, &pend[j].v, pend[j].line)) < 0)
			return rc;
	}
	return 0;
}

/* Turn the data records of a model or tool CSV into rows. */
static int csv_rows(importer *im, const ac_csv_doc *cs, size_t first, const char *path)
{
	const char *const *cols = im->tools ? tool_cols : model_cols;
	int ncols = im->tools ? 3 : MODEL_NCOLS;
	int nrequired = im->tools ? 1 : 2;
	int effcol = im->tools ? 2 : COL_EFF;
	const csv_rec *h = &cs->rec[first];
	int *colmap = malloc((size_t)h->n * sizeof(*colmap));
	pending_var *pend = NULL;
	size_t npend = 0;
	int rc = 0;

	if (!colmap)
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading %s", path);
	if ((rc = map_header(h, cols, ncols, nrequired, colmap, path, im->err)) < 0)
		goto done;
	for (size_t i = first + 1; i < cs->n; i++) {
		const csv_rec *r = &cs->rec[i];
		const char *cell[16] = { 0 };
		double v[NPRICE], extra[3] = { NAN, NAN, NAN };
		int bad = 0, tier = AC_TIER_STANDARD;
		int64_t above = 0;

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
		if (!im->tools &&
		    csv_tier(im, r->line, cell[COL_TIER], cell[COL_ABOVE], &tier, &above) < 0)
			continue;
		/* a tier row states only the prices it changes */
		int is_var = tier != AC_TIER_STANDARD || above > 0;
		for (int k = 1; k < ncols && !bad; k++) {
			if (k == effcol || k == COL_TIER || k == COL_ABOVE)
				continue;
			const char *s = cell[k] ? cell[k] : "";
			const char *why;
			double *out = k < effcol ? &v[k - 1] : &extra[k - COL_CW1H];
			if (!*s) {
				if (k <= nrequired && !is_var) {
					warn_row(im, r->line, "%s is empty", cols[k]);
					bad = 1;
				}
			} else if (is_var && (k == 6 || k == 7)) {
				warn_row(im, r->line, "%s in a tier row: state above_tokens 200000 instead",
				         cols[k]);
				bad = 1;
			} else if (parse_price(s, out, &why) < 0) {
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
		ac_price_var pv = { tier, above, { v[0], v[1], v[2], v[3], extra[0], v[4], extra[1],
			                           extra[2] } };
		if (is_var) {
			if ((rc = pend_add(im, &pend, &npend, cell[0] ? cell[0] : "", eff, r->line, &pv, path)) < 0)
				goto done;
			continue;
		}
		size_t before = im->rows.len;
		if ((rc = add_row(im, cell[0] ? cell[0] : "", v, eff, r->line)) < 0)
			goto done;
		if (im->rows.len > before && (!isnan(extra[0]) || !isnan(extra[1]) || !isnan(extra[2]))) {
			for (int k = 0; k < AC_PK_N; k++) {
				if (k != AC_PK_CACHE_WRITE_1H && k != AC_PK_AUDIO_IN && k != AC_PK_AUDIO_OUT)
					pv.v[k] = NAN;
			}
			if ((rc = row_add_var(im, &im->rows.r[im->rows.len - 1], &pv, r->line)) < 0)
				goto done;
		}
	}
	rc = join_pending(im, pend, npend);
done:
	for (size_t j = 0; j < npend; j++)
		free(pend[j].lname);
	free(pend);
	free(colmap);
	return rc;
}

/* JSON ------------------------------------------------------------------- */

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

static int tok_len(const json_doc *d, int i)
{
	return d->t[i].end - d->t[i].start;
}

/* Member key i of object o exists when i is inside o. */
#define FOR_MEMBERS(d, o, i) \
	for (int i = (o) + 1; i + 1 < (d)->n && (d)->t[i].start < (d)->t[o].end; \
	     i = skip((d), i + 1))
#define FOR_ELEMENTS(d, a, i) \
	for (int i = (a) + 1; i < (d)->n && (d)->t[i].start < (d)->t[a].end; i = skip((d), i))

/* The value of member `key` of object o, or -1. */
static int member(const json_doc *d, int o, const char *key)
{
	if (o < 0 || d->t[o].type != JSMN_OBJECT)
		return -1;
	FOR_MEMBERS(d, o, i)
	{
		if (tok_is(d, i, key))
			return i + 1;
	}
	return -1;
}

static int tok_null(const json_doc *d, int i)
{
	return d->t[i].type == JSMN_PRIMITIVE && tok_len(d, i) == 4 &&
	       memcmp(d->js + d->t[i].start, "null", 4) == 0;
}

/*
 * A price value at token i: 1 and *out for a number >= 0, 0 for null (no
 * price), -1 with *why otherwise (strings, booleans, negatives, objects).
 */
static int tok_price(const json_doc *d, int i, double *out, const char **why)
{
	char num[64];
	int len = tok_len(d, i);

	*why = "price is not a number";
	if (tok_null(d, i))
		return 0;
	if (d->t[i].type != JSMN_PRIMITIVE || len >= (int)sizeof(num))
		return -1;
	memcpy(num, d->js + d->t[i].start, (size_t)len);
	num[len] = '\0';
	return parse_price(num, out, why) == 0 ? 1 : -1;
}

/*
 * Whether the value at token i carries a price: a number > 0, or an array or
 * object holding one (an object's "range" member is a token range, not a
 * price: LiteLLM's tiered_pricing).
 */
static int has_price(const json_doc *d, int i)
{
	double v;
	const char *why;

	switch (d->t[i].type) {
	case JSMN_PRIMITIVE:
		return tok_price(d, i, &v, &why) == 1 && v > 0;
	case JSMN_ARRAY:
		FOR_ELEMENTS(d, i, e)
		{
			if (has_price(d, e))
				return 1;
		}
		return 0;
	case JSMN_OBJECT:
		FOR_MEMBERS(d, i, k)
		{
			if (!tok_is(d, k, "range") && has_price(d, k + 1))
				return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/*
 * A JSON string token, unescaped into buf. Returns 0, or -1 when it is not a
 * string, does not fit, or holds a \u escape (model names have none).
 */
static int tok_str(const json_doc *d, int i, char *buf, size_t size)
{
	const char *p = d->js + d->t[i].start, *end = d->js + d->t[i].end;
	size_t n = 0;

	if (d->t[i].type != JSMN_STRING)
		return -1;
	for (; p < end; p++) {
		char c = *p;
		if (c == '\\') {
			p++;
			switch (*p) {
			case '"': case '\\': case '/': c = *p; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			default: return -1;
			}
		}
		if (n + 1 >= size)
			return -1;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

/* Start reading entry number im->entry + 1 of a file. */
static void entry_begin(importer *im)
{
	im->entry++;
	im->entry_lost = 0;
}

static void entry_end(importer *im)
{
	im->lost += im->entry_lost;
}

/*
 * Count the current entry under key (prefix + name, name of length len):
 * it carried a price, or (lost = 0) a field, that no row holds. Once per
 * entry and key. Returns 0 or AC_ENOMEM.
 */
static int note_unused(importer *im, const char *prefix, const char *name, int len, int lost)
{
	char key[96];
	struct ukey *u = NULL;

	/* a file with thousands of price keys is not a price table anyone
	 * reads line by line: past MAX_UNUSED_KEYS they share one line (and the
	 * search below stays short) */
	if (im->nukeys >= MAX_UNUSED_KEYS)
		snprintf(key, sizeof(key), "(other keys)");
	else
		snprintf(key, sizeof(key), "%s%.*s", prefix, len, name);
	for (size_t i = 0; i < im->nukeys; i++) {
		if (strcmp(im->ukeys[i].key, key) == 0) {
			u = &im->ukeys[i];
			break;
		}
	}
	if (!u) {
		if (im->nukeys == im->capukeys) {
			size_t ncap = im->capukeys ? im->capukeys * 2 : 32;
			struct ukey *nu = realloc(im->ukeys, ncap * sizeof(*nu));
			if (!nu)
				return ac_err_set(im->err, AC_ENOMEM, "out of memory reading prices");
			im->ukeys = nu;
			im->capukeys = ncap;
		}
		u = &im->ukeys[im->nukeys++];
		memcpy(u->key, key, sizeof(key));
		u->entries = 0;
		u->last_entry = 0;
	}
	if (u->last_entry != im->entry) {
		u->last_entry = im->entry;
		u->entries++;
	}
	if (lost)
		im->entry_lost = 1;
	return 0;
}

/* The same for member key token k (its name as written). */
static int note_unused_tok(importer *im, const char *prefix, const json_doc *d, int k)
{
	return note_unused(im, prefix, d->js + d->t[k].start, tok_len(d, k), 1);
}

/* A price per `unit` tokens -> per MTok, rounded to 1e-9 USD/MTok so that
 * LiteLLM's 1.5e-07 becomes exactly the double 0.15 and not
 * 0.15000000000000002. */
static double to_mtok(double price, double tokens_per_unit)
{
	double m = price * (1e6 / tokens_per_unit);
	if (fabs(m) < 1e6)
		m = round(m * 1e9) / 1e9;
	return m + 0.0;
}

static double per_mtok(double per_token)
{
	return to_mtok(per_token, 1);
}

/* Tokenize js into d->t (allocated; the caller frees it). */
static int json_load(json_doc *d, const char *js, size_t len, const char *path, ac_err *err)
{
	jsmn_parser p;
	int n;

	memset(d, 0, sizeof(*d));
	d->js = js;
	d->line = 1;
	/* jsmn stops at a NUL byte as if the text ended there */
	const char *nul = memchr(js, '\0', len);
	if (nul) {
		long long line = 1;
		for (const char *q = js; q < nul; q++)
			line += *q == '\n';
		return ac_err_setpos(err, AC_EPARSE, line, 0, "%s:%lld: NUL byte in the json", path,
		                     line);
	}
	jsmn_init(&p);
	n = jsmn_parse(&p, js, len, NULL, 0);
	if (n >= 0) {
		d->t = malloc((size_t)(n ? n : 1) * sizeof(*d->t));
		if (!d->t)
			return ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
		/* counting alone does not see an unclosed object: parse again */
		jsmn_init(&p);
		n = d->n = jsmn_parse(&p, js, len, d->t, (unsigned)n);
	}
	if (n < 0) {
		/* locate the error for the message */
		long long line = 1, col = 1;
		for (unsigned i = 0; i < p.pos && i < len; i++) {
			if (js[i] == '\n')
				line++, col = 1;
			else
				col++;
		}
		return ac_err_setpos(err, AC_EPARSE, line, col, "%s:%lld: %s (column %lld)", path, line,
		                     n == JSMN_ERROR_PART ? "truncated json" : "invalid json", col);
	}
	if (d->n < 1 || (d->t[0].type != JSMN_OBJECT && d->t[0].type != JSMN_ARRAY))
		return ac_err_set(err, AC_EFORMAT,
		                  "%s: not a price file (json top level is not an object or array)",
		                  path);
	return 0;
}

/* Copy the name of member key k into name; 0, or -1 with a warning. */
static int key_name(importer *im, json_doc *d, int k, char *name, size_t size)
{
	if (tok_str(d, k, name, size) < 0) {
		warn_row(im, line_of(d, d->t[k].start), "model name too long or with a \\u escape");
		return -1;
	}
	return 0;
}

/* Price variants (service tier, context tier; table price_tier) -------- */

#define MAX_VARS 16 /* variants one entry can state */

typedef struct varset {
	ac_price_var v[MAX_VARS];
	int n;
	int full; /* a variant did not fit */
} varset;

/* The variant (tier, above) of vs, added empty when new; NULL when full. */
static ac_price_var *var_get(varset *vs, int tier, int64_t above)
{
	for (int i = 0; i < vs->n; i++) {
		if (vs->v[i].tier == tier && vs->v[i].above == above)
			return &vs->v[i];
	}
	if (vs->n == MAX_VARS) {
		vs->full = 1;
		return NULL;
	}
	ac_price_var *v = &vs->v[vs->n++];
	v->tier = tier;
	v->above = above;
	for (int k = 0; k < AC_PK_N; k++)
		v->v[k] = NAN;
	return v;
}

/* Give the last row added (when it is named name) the variants of vs. */
static int attach_vars(importer *im, const char *name, size_t len_before, const varset *vs)
{
	if (vs->n == 0 || im->rows.len == len_before)
		return 0;
	irow *r = &im->rows.r[im->rows.len - 1];
	if (strcmp(r->name, name) != 0)
		return 0;
	r->var = malloc((size_t)vs->n * sizeof(*r->var));
	if (!r->var)
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading prices");
	memcpy(r->var, vs->v, (size_t)vs->n * sizeof(*r->var));
	r->nvar = vs->n;
	return 0;
}

/* LiteLLM's per-token price keys and the kind each prices. Longest first
 * where one is a prefix of another. */
static const struct {
	const char *key;
	int kind;
} litellm_kinds[] = {
	{ "cache_creation_input_token_cost_above_1hr", AC_PK_CACHE_WRITE_1H },
	{ "cache_creation_input_token_cost", AC_PK_CACHE_WRITE },
	{ "cache_read_input_token_cost", AC_PK_CACHE_READ },
	{ "input_cost_per_audio_token", AC_PK_AUDIO_IN },
	{ "output_cost_per_audio_token", AC_PK_AUDIO_OUT },
	{ "output_cost_per_reasoning_token", AC_PK_REASONING },
	{ "input_cost_per_token", AC_PK_INPUT },
	{ "output_cost_per_token", AC_PK_OUTPUT },
};

/*
 * Parse a LiteLLM price key: a kind of litellm_kinds, then optionally
 * "_above_<N>k_tokens" (context tier N * 1000), then optionally "_flex",
 * "_priority" or "_batches" (service tier), nothing else. Returns 1 with
 * *kind, *tier, *above set, or 0 when the key is not one of these.
 */
static int litellm_parse_key(const char *s, int len, int *kind, int *tier, int64_t *above)
{
	static const struct {
		const char *sfx;
		int tier;
	} tiers[] = { { "_flex", AC_TIER_FLEX }, { "_priority", AC_TIER_PRIORITY },
		      { "_batches", AC_TIER_BATCH } };
	int at = -1;
	for (size_t i = 0; i < sizeof(litellm_kinds) / sizeof(litellm_kinds[0]); i++) {
		int kl = (int)strlen(litellm_kinds[i].key);
		if (kl <= len && memcmp(s, litellm_kinds[i].key, (size_t)kl) == 0) {
			*kind = litellm_kinds[i].kind;
			at = kl;
			break;
		}
	}
	if (at < 0)
		return 0;
	*tier = AC_TIER_STANDARD;
	*above = 0;
	if (len - at > 7 && memcmp(s + at, "_above_", 7) == 0) {
		int j = at + 7;
		int64_t n = 0;
		while (j < len && s[j] >= '0' && s[j] <= '9' && n < 100000000)
			n = n * 10 + (s[j++] - '0');
		if (j == at + 7 || len - j < 8 || memcmp(s + j, "k_tokens", 8) != 0 || n == 0)
			return 0;
		*above = n * 1000;
		at = j + 8;
	}
	if (at < len) {
		size_t i;
		for (i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++) {
			int tl = (int)strlen(tiers[i].sfx);
			if (len - at == tl && memcmp(s + at, tiers[i].sfx, (size_t)tl) == 0)
				break;
		}
		if (i == sizeof(tiers) / sizeof(tiers[0]))
			return 0;
		*tier = tiers[i].tier;
	}
	return 1;
}

/*
 * One range of LiteLLM's tiered_pricing list (object at token o):
 * {"range": [lo, hi], "input_cost_per_token": ..., ...}. The range applies to
 * prompts of more than lo tokens: its prices become the standard variant
 * above lo (lo = 0: the base prices of v[] where the entry has none).
 * Returns 1 when used, 0 when not (no numeric range, a price that is not a
 * number), AC_ENOMEM never.
 */
static int litellm_range(const json_doc *d, int o, double *v, varset *vs)
{
	int r = member(d, o, "range");
	double lo, hi;
	const char *why;
	if (r < 0 || d->t[r].type != JSMN_ARRAY || d->t[r].size != 2 ||
	    tok_price(d, r + 1, &lo, &why) != 1 || tok_price(d, r + 2, &hi, &why) != 1 ||
	    lo != floor(lo) || lo > 1e12)
		return 0;
	ac_price_var tmp;
	int any = 0;
	for (int k = 0; k < AC_PK_N; k++)
		tmp.v[k] = NAN;
	FOR_MEMBERS(d, o, i)
	{
		int kind, tier;
		int64_t above;
		double pt;
		if (tok_is(d, i, "range"))
			continue;
		if (!litellm_parse_key(d->js + d->t[i].start, tok_len(d, i), &kind, &tier, &above) ||
		    tier != AC_TIER_STANDARD || above != 0) {
			if (has_price(d, i + 1))
				return 0; /* a price this range list states that we cannot use */
			continue;
		}
		int got = tok_price(d, i + 1, &pt, &why);
		if (got < 0)
			return 0;
		if (got == 1) {
			tmp.v[kind] = per_mtok(pt);
			any = 1;
		}
	}
	if (!any)
		return 0;
	if (lo == 0) {
		/* the first range: base prices where the entry has none */
		static const int base[] = { AC_PK_INPUT, AC_PK_OUTPUT, AC_PK_CACHE_READ,
			                    AC_PK_CACHE_WRITE, AC_PK_REASONING };
		for (int k = 0; k < 5; k++) {
			if (isnan(tmp.v[base[k]]))
				continue;
			if (!isnan(v[k]) && v[k] != tmp.v[base[k]])
				return 0; /* two base prices: which one LiteLLM bills is unclear */
			v[k] = tmp.v[base[k]];
		}
		ac_price_var *x = NULL;
		for (int k = 0; k < AC_PK_N; k++) {
			if (k == AC_PK_CACHE_WRITE_1H || k == AC_PK_AUDIO_IN || k == AC_PK_AUDIO_OUT) {
				if (!isnan(tmp.v[k]) && (x || (x = var_get(vs, AC_TIER_STANDARD, 0))) &&
				    isnan(x->v[k]))
					x->v[k] = tmp.v[k];
			}
		}
		return 1;
	}
	ac_price_var *x = var_get(vs, AC_TIER_STANDARD, (int64_t)lo);
	if (!x)
		return 0;
	for (int k = 0; k < AC_PK_N; k++) {
		if (!isnan(tmp.v[k]) && isnan(x->v[k]))
			x->v[k] = tmp.v[k];
	}
	return 1;
}

/* Whether every range of the tiered_pricing list at token a can be used;
 * only then are v and vs changed. */
static int litellm_ranges(const json_doc *d, int a, double *v, varset *vs)
{
	double tv[NPRICE];
	varset tvs = *vs;
	int ok = d->t[a].type == JSMN_ARRAY && d->t[a].size > 0;
	if (!ok)
		return 0;
	memcpy(tv, v, sizeof(tv));
	FOR_ELEMENTS(d, a, e)
	{
		if (d->t[e].type != JSMN_OBJECT || !litellm_range(d, e, tv, &tvs))
			ok = 0;
	}
	if (!ok || tvs.full)
		return 0;
	memcpy(v, tv, sizeof(tv));
	*vs = tvs;
	return 1;
}

/* LiteLLM JSON ----------------------------------------------------------- */

/* Whether a LiteLLM key is a price: "input_cost_per_token",
 * "output_cost_per_image", "search_context_cost_per_query",
 * "tiered_pricing" ... */
static int litellm_cost_key(const json_doc *d, int k)
{
	int len = tok_len(d, k);
	const char *s = d->js + d->t[k].start;
	for (int i = 0; i + 4 <= len; i++) {
		if (memcmp(s + i, "cost", 4) == 0)
			return 1;
		if (i + 7 <= len && memcmp(s + i, "pricing", 7) == 0)
			return 1;
	}
	return 0;
}

/*
 * Read the mapped keys of one model entry (object at token o) and keep it;
 * count the prices it carries that no column holds. The base prices go to
 * the `price` columns (litellm_keys); the service tiers, context tiers,
 * 1-hour cache writes and audio prices (litellm_parse_key) and the
 * tiered_pricing ranges go to price_tier variants.
 */
static int litellm_entry(importer *im, json_doc *d, int key, int o)
{
	double v[NPRICE];
	long long line = line_of(d, d->t[key].start);
	char name[512];
	int imported, rc;
	varset vs;
	/* members used, by token index relative to o (an entry has few) */
	unsigned char used[512];

	memset(used, 0, sizeof(used));
	vs.n = vs.full = 0;
	for (int k = 0; k < NPRICE; k++)
		v[k] = NAN;
	if (key_name(im, d, key, name, sizeof(name)) < 0)
		return 0;
	FOR_MEMBERS(d, o, i)
	{
		int k, kind, tier;
		int64_t above;
		for (k = 0; k < NPRICE && !tok_is(d, i, litellm_keys[k]); k++)
			;
		int var = k == NPRICE && litellm_parse_key(d->js + d->t[i].start, tok_len(d, i),
		                                           &kind, &tier, &above);
		if (k == NPRICE && !var)
			continue;
		const char *why;
		double pt;
		int got = tok_price(d, i + 1, &pt, &why);
		if (got == 1 && k < NPRICE) {
			v[k] = per_mtok(pt);
		} else if (got == 1) {
			ac_price_var *x = var_get(&vs, tier, above);
			if (!x)
				continue;
			x->v[kind] = per_mtok(pt);
		}
		if (got == 1 && i - o < (int)sizeof(used))
			used[i - o] = 1;
		if (got >= 0)
			continue; /* null: absent */
		int len = tok_len(d, i + 1);
		warn_row(im, line_of(d, d->t[i + 1].start), "%s: %.40s of %.80s is \"%.*s\"", why,
		         k < NPRICE ? litellm_keys[k] : "price", name, len > 40 ? 40 : len,
		         d->js + d->t[i + 1].start);
		return 0;
	}
	FOR_MEMBERS(d, o, i)
	{
		if (tok_is(d, i, "tiered_pricing") && i - o < (int)sizeof(used) &&
		    litellm_ranges(d, i + 1, v, &vs))
			used[i - o] = 1;
	}
	/* image, audio, per-second ... entries are not token-priced: every price
	 * they carry is counted as not used */
	imported = !isnan(v[0]) && !isnan(v[1]);
	entry_begin(im);
	FOR_MEMBERS(d, o, i)
	{
		int u = i - o < (int)sizeof(used) && used[i - o];
		if ((imported && u) || !litellm_cost_key(d, i) || !has_price(d, i + 1))
			continue;
		if ((rc = note_unused_tok(im, "", d, i)) < 0)
			return rc;
	}
	entry_end(im);
	if (!imported)
		return 0;
	size_t before = im->rows.len;
	if ((rc = add_row(im, name, v, "", line)) < 0)
		return rc;
	return attach_vars(im, name, before, &vs);
}

static int litellm_rows(importer *im, json_doc *d, const char *path)
{
	int rc = 0, priced = 0;

	if (d->t[0].type != JSMN_OBJECT)
		return ac_err_set(im->err, AC_EFORMAT,
		                  "%s: not a price file (json top level is not an object)", path);
	FOR_MEMBERS(d, 0, i)
	{
		int val = i + 1;
		if (tok_is(d, i, "sample_spec") || d->t[val].type != JSMN_OBJECT)
			continue;
		/* LiteLLM's format: at least one entry with input_cost_per_token */
		if (member(d, val, "input_cost_per_token") >= 0)
			priced = 1;
		if ((rc = litellm_entry(im, d, i, val)) < 0)
			return rc;
	}
	if (!priced)
		return ac_err_set(im->err, AC_EFORMAT,
		                  "%s: not a price file (no entry has input_cost_per_token)", path);
	return 0;
}

/* OpenLIT pricing.json --------------------------------------------------- */

/* OpenLIT's chat keys, in `price` column order (USD per 1k tokens). */
static const char *const openlit_keys[] = {
	"promptPrice", "completionPrice", "cacheReadPrice", "cacheCreationPrice",
};
#define NOPENLIT 4

/*
 * OpenLIT's pricing.json: {"chat": {model: {promptPrice, completionPrice,
 * cacheReadPrice?, cacheCreationPrice?}}, "embeddings": {model: price},
 * "images": ..., "audio": ...}, USD per 1,000 tokens. Whether d is one:
 * a "chat" object whose entries have promptPrice, or an "embeddings" object
 * of numbers.
 */
static int is_openlit(const json_doc *d)
{
	int chat = member(d, 0, "chat"), emb = member(d, 0, "embeddings");
	if (chat >= 0 && d->t[chat].type == JSMN_OBJECT) {
		FOR_MEMBERS(d, chat, i)
		{
			if (member(d, i + 1, "promptPrice") >= 0)
				return 1;
		}
	}
	if (emb >= 0 && d->t[emb].type == JSMN_OBJECT && d->t[emb].size > 0 &&
	    d->t[emb + 2].type == JSMN_PRIMITIVE)
		return 1;
	return 0;
}

static int openlit_chat(importer *im, json_doc *d, int key, int o)
{
	double v[NPRICE];
	long long line = line_of(d, d->t[key].start);
	char name[512];
	int rc;

	for (int k = 0; k < NPRICE; k++)
		v[k] = NAN;
	if (key_name(im, d, key, name, sizeof(name)) < 0)
		return 0;
	if (d->t[o].type != JSMN_OBJECT) {
		warn_row(im, line, "chat price of %.80s is not an object", name);
		return 0;
	}
	FOR_MEMBERS(d, o, i)
	{
		int k;
		for (k = 0; k < NOPENLIT && !tok_is(d, i, openlit_keys[k]); k++)
			;
		if (k == NOPENLIT)
			continue;
		const char *why;
		double p1k;
		int got = tok_price(d, i + 1, &p1k, &why);
		if (got == 1)
			v[k] = to_mtok(p1k, 1000);
		if (got >= 0)
			continue;
		int len = tok_len(d, i + 1);
		warn_row(im, line_of(d, d->t[i + 1].start), "%s: %s of %.80s is \"%.*s\"", why,
		         openlit_keys[k], name, len > 40 ? 40 : len, d->js + d->t[i + 1].start);
		return 0;
	}
	int imported = !isnan(v[0]) && !isnan(v[1]);
	entry_begin(im);
	FOR_MEMBERS(d, o, i)
	{
		int k;
		for (k = 0; k < NOPENLIT && !tok_is(d, i, openlit_keys[k]); k++)
			;
		if ((imported && k < NOPENLIT) || !has_price(d, i + 1))
			continue;
		if ((rc = note_unused_tok(im, "chat.", d, i)) < 0)
			return rc;
	}
	entry_end(im);
	return imported ? add_row(im, name, v, "", line) : 0;
}

static int openlit_embedding(importer *im, json_doc *d, int key, int val)
{
	double v[NPRICE];
	long long line = line_of(d, d->t[key].start);
	char name[512];
	const char *why;
	double p1k;

	for (int k = 0; k < NPRICE; k++)
		v[k] = NAN;
	if (key_name(im, d, key, name, sizeof(name)) < 0)
		return 0;
	int got = tok_price(d, val, &p1k, &why);
	if (got == 0)
		return 0; /* null: no price */
	if (got < 0) {
		int len = tok_len(d, val);
		warn_row(im, line_of(d, d->t[val].start),
		         "%s: embeddings price of %.80s is \"%.*s\"", why, name, len > 40 ? 40 : len,
		         d->js + d->t[val].start);
		return 0;
	}
	/* an embedding reads tokens and writes none: input price, output 0 */
	v[0] = to_mtok(p1k, 1000);
	v[1] = 0;
	return add_row(im, name, v, "", line);
}

static int openlit_rows(importer *im, json_doc *d)
{
	int rc;

	FOR_MEMBERS(d, 0, s)
	{
		int sec = s + 1;
		int chat = tok_is(d, s, "chat"), emb = tok_is(d, s, "embeddings");
		if ((chat || emb) && d->t[sec].type == JSMN_OBJECT) {
			FOR_MEMBERS(d, sec, i)
			{
				rc = chat ? openlit_chat(im, d, i, i + 1)
				          : openlit_embedding(im, d, i, i + 1);
				if (rc < 0)
					return rc;
			}
			continue;
		}
		/* images (per image by quality and size), audio (per character or
		 * second) and anything else: not token prices */
		if (d->t[sec].type != JSMN_OBJECT) {
			entry_begin(im);
			if (has_price(d, sec) && (rc = note_unused_tok(im, "", d, s)) < 0)
				return rc;
			entry_end(im);
			continue;
		}
		FOR_MEMBERS(d, sec, i)
		{
			entry_begin(im);
			if (has_price(d, i + 1) && (rc = note_unused_tok(im, "", d, s)) < 0)
				return rc;
			entry_end(im);
		}
	}
	return 0;
}

/* Langfuse model definitions --------------------------------------------- */

/*
 * Langfuse's usage types -> `price` columns (0 input, 1 output, 2 cache read,
 * 3 cache write, 4 reasoning). "total" (a price per input + output token)
 * is handled apart.
 */
static const struct {
	const char *usage;
	int col;
} langfuse_usage[] = {
	{ "input", 0 },
	{ "output", 1 },
	{ "input_cached_tokens", 2 },
	{ "input_cache_read", 2 },
	{ "cache_read_input_tokens", 2 },
	{ "input_cache_creation", 3 },
	{ "input_cache_write", 3 },
	{ "cache_creation_input_tokens", 3 },
	{ "output_reasoning_tokens", 4 },
	{ "output_reasoning", 4 },
};
#define NLANGFUSE_USAGE (int)(sizeof(langfuse_usage) / sizeof(langfuse_usage[0]))

static int langfuse_col(const json_doc *d, int k)
{
	for (int u = 0; u < NLANGFUSE_USAGE; u++) {
		if (tok_is(d, k, langfuse_usage[u].usage))
			return langfuse_usage[u].col;
	}
	return tok_is(d, k, "total") ? NPRICE : -1;
}

/* A usage price: a number, or the models API's {"price": number}. */
static int langfuse_price(const json_doc *d, int i, double *out, const char **why)
{
	if (d->t[i].type == JSMN_OBJECT) {
		int p = member(d, i, "price");
		if (p < 0) {
			*why = "price object without \"price\"";
			return -1;
		}
		i = p;
	}
	return tok_price(d, i, out, why);
}

/* The default tier of pricingTiers (isDefault true; else a lone tier), -1. */
static int langfuse_default_tier(const json_doc *d, int tiers)
{
	if (tiers < 0 || d->t[tiers].type != JSMN_ARRAY)
		return -1;
	FOR_ELEMENTS(d, tiers, e)
	{
		int def = member(d, e, "isDefault");
		if (def >= 0 && d->t[def].type == JSMN_PRIMITIVE && tok_len(d, def) == 4 &&
		    memcmp(d->js + d->t[def].start, "true", 4) == 0)
			return e;
	}
	return d->t[tiers].size == 1 ? tiers + 1 : -1;
}

static int is_token_unit(const json_doc *d, int unit)
{
	return unit < 0 || tok_null(d, unit) ||
	       (tok_len(d, unit) == 6 && d->t[unit].type == JSMN_STRING &&
	        strncasecmp(d->js + d->t[unit].start, "TOKENS", 6) == 0);
}

/* langfuse_entry(): the entry's prices per million tokens into v[] and
 * *total; -1 when one is bad (said). */
static int langfuse_prices(importer *im, json_doc *d, int o, int from, const char *name, double *v,
                           double *total_out)
{
	double total = *total_out;

	if (from >= 0 && d->t[from].type == JSMN_OBJECT) {
		FOR_MEMBERS(d, from, i)
		{
			int col = langfuse_col(d, i);
			const char *why;
			double pt;
			int got = langfuse_price(d, i + 1, &pt, &why);
			int klen = tok_len(d, i) > 40 ? 40 : tok_len(d, i);
			if (got < 0) {
				warn_row(im, line_of(d, d->t[i + 1].start), "%s: prices.%.*s of %.80s",
				         why, klen, d->js + d->t[i].start, name);
				return -1;
			}
			if (got == 0 || col < 0)
				continue;
			double m = per_mtok(pt);
			double *slot = col == NPRICE ? &total : &v[col];
			if (!isnan(*slot) && *slot != m) {
				warn_row(im, line_of(d, d->t[i].start),
				         "two different prices for one column: prices.%.*s of %.80s", klen,
				         d->js + d->t[i].start, name);
				return -1;
			}
			*slot = m;
		}
	} else {
		static const char *const old[] = { "inputPrice", "outputPrice", "totalPrice" };
		for (int k = 0; k < 3; k++) {
			int p = member(d, o, old[k]);
			const char *why;
			double pt;
			int got = p >= 0 ? tok_price(d, p, &pt, &why) : 0;
			if (got < 0) {
				warn_row(im, line_of(d, d->t[p].start), "%s: %s of %.80s", why, old[k],
				         name);
				return -1;
			}
			if (got == 1)
				*(k == 2 ? &total : &v[k]) = per_mtok(pt);
		}
	}
	*total_out = total;
	return 0;
}

/* langfuse_entry(): note the prices and tiers of the entry that are not imported. */
static int langfuse_unused(importer *im, json_doc *d, int o, int from, int def, int tiers, int imported,
                           int total_used)
{
	int rc;

	if (from >= 0 && d->t[from].type == JSMN_OBJECT) {
		FOR_MEMBERS(d, from, i)
		{
			int col = langfuse_col(d, i);
			if (imported && col >= 0 && (col < NPRICE || total_used))
				continue;
			double pt;
			const char *why;
			if (langfuse_price(d, i + 1, &pt, &why) == 1 && pt > 0 &&
			    (rc = note_unused_tok(im, "prices.", d, i)) < 0)
				return rc;
		}
	} else if (!imported) {
		static const char *const old[] = { "inputPrice", "outputPrice", "totalPrice" };
		for (int k = 0; k < 3; k++) {
			int p = member(d, o, old[k]);
			if (p >= 0 && has_price(d, p) &&
			    (rc = note_unused(im, "", old[k], (int)strlen(old[k]), 1)) < 0)
				return rc;
		}
	}
	/* other pricing tiers (conditions on usage) come later */
	if (tiers >= 0 && d->t[tiers].type == JSMN_ARRAY) {
		FOR_ELEMENTS(d, tiers, e)
		{
			int tp = member(d, e, "prices");
			if (e != def && tp >= 0 && has_price(d, tp) &&
			    (rc = note_unused(im, "", "pricingTiers (not default)", 26, 1)) < 0)
				return rc;
		}
	}
	return 0;
}

static int langfuse_entry(importer *im, json_doc *d, int o)
{
	double v[NPRICE], total = NAN;
	long long line = line_of(d, d->t[o].start);
	char name[512], eff[11] = "";
	int rc;

	for (int k = 0; k < NPRICE; k++)
		v[k] = NAN;
	if (d->t[o].type != JSMN_OBJECT) {
		warn_row(im, line, "model definition is not an object");
		return 0;
	}
	int mn = member(d, o, "modelName"), pat = member(d, o, "matchPattern");
	int start = member(d, o, "startDate"), unit = member(d, o, "unit");
	int tiers = member(d, o, "pricingTiers"), prices = member(d, o, "prices");
	if (mn < 0 || tok_str(d, mn, name, sizeof(name)) < 0) {
		warn_row(im, line, "model definition without a modelName string");
		return 0;
	}
	if (start >= 0 && !tok_null(d, start)) {
		/* "2024-07-18T00:00:00.000Z" -> its day */
		char buf[64];
		int64_t day;
		if (tok_str(d, start, buf, sizeof(buf)) < 0 || strlen(buf) < 10 ||
		    (buf[10] && buf[10] != 'T' && buf[10] != ' ') ||
		    (buf[10] = '\0', ac_date_parse(buf, &day) < 0)) {
			warn_row(im, line_of(d, d->t[start].start),
			         "startDate of %.80s is not an ISO date", name);
			return 0;
		}
		memcpy(eff, buf, 11);
	}
	/* the prices: "prices", else the default pricing tier's, else the
	 * deprecated inputPrice / outputPrice / totalPrice */
	int def = langfuse_default_tier(d, tiers);
	int from = prices >= 0 && d->t[prices].type == JSMN_OBJECT ? prices
	           : def >= 0                                      ? member(d, def, "prices")
	                                                           : -1;
	int token = is_token_unit(d, unit);
	if (langfuse_prices(im, d, o, from, name, v, &total) < 0)
		return 0;
	/* a price per total token is the input and the output price */
	int total_used = isnan(v[0]) && isnan(v[1]) && !isnan(total);
	if (total_used)
		v[0] = v[1] = total;
	int imported = token && !isnan(v[0]) && !isnan(v[1]);

	entry_begin(im);
	if ((rc = langfuse_unused(im, d, o, from, def, tiers, imported, total_used)) < 0)
		return rc;
	/* the pattern is kept when regcomp can run it (pattern.c); else the
	 * model matches by name only, said per model and counted */
	char pattern[1024] = "", why[160];
	if (imported && pat >= 0 && d->t[pat].type == JSMN_STRING && tok_len(d, pat) > 0) {
		regex_t re;
		if (tok_str(d, pat, pattern, sizeof(pattern)) < 0) {
			snprintf(why, sizeof(why), "too long or with a \\u escape");
		} else if (ac_price_pattern_compile(&re, pattern, why, sizeof(why)) == 0) {
			regfree(&re);
			why[0] = '\0';
		}
		if (why[0]) {
			note_row(im, line_of(d, d->t[pat].start),
			         "matchPattern of %.80s not used (%s): matched by name only", name,
			         why);
			pattern[0] = '\0';
			if ((rc = note_unused(im, "", "matchPattern", 12, 0)) < 0)
				return rc;
		}
	}
	entry_end(im);
	if (!imported)
		return 0;
	size_t before = im->rows.len;
	if ((rc = add_row(im, name, v, eff, line)) < 0 || im->rows.len == before || !pattern[0])
		return rc;
	if (!(im->rows.r[before].pattern = strdup(pattern)))
		return ac_err_set(im->err, AC_ENOMEM, "out of memory reading prices");
	return 0;
}

static int langfuse_rows(importer *im, json_doc *d, const char *path)
{
	int list = d->t[0].type == JSMN_ARRAY ? 0 : member(d, 0, "data");
	int named = 0, rc;

	if (list < 0 || d->t[list].type != JSMN_ARRAY)
		return ac_err_set(im->err, AC_EFORMAT,
		                  "%s: not a price file (no model definitions)", path);
	FOR_ELEMENTS(d, list, e)
	{
		named += member(d, e, "modelName") >= 0;
		if ((rc = langfuse_entry(im, d, e)) < 0)
			return rc;
	}
	if (!named)
		return ac_err_set(im->err, AC_EFORMAT,
		                  "%s: not a price file (no object with modelName)", path);
	return 0;
}

/* One JSON price file: tell its kind, read its rows. */
static int json_rows(importer *im, const char *js, size_t len, const char *path,
                     const char **kind)
{
	json_doc d;
	int rc;

	if ((rc = json_load(&d, js, len, path, im->err)) < 0)
		goto done;
	if (d.t[0].type == JSMN_ARRAY || member(&d, 0, "data") >= 0) {
		*kind = "langfuse";
		rc = langfuse_rows(im, &d, path);
	} else if (is_openlit(&d)) {
		*kind = "openlit";
		rc = openlit_rows(im, &d);
	} else {
		*kind = "litellm";
		rc = litellm_rows(im, &d, path);
	}
done:
	free(d.t);
	return rc;
}

static int ukey_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ukey *)a)->key, ((const struct ukey *)b)->key);
}

/* Hand the per-key counts to st, sorted by key. */
static void unused_report(importer *im, ac_import_stats *st)
{
	if (im->nukeys)
		qsort(im->ukeys, im->nukeys, sizeof(*im->ukeys), ukey_cmp);
	st->lost = im->lost;
	for (size_t i = 0; i < im->nukeys; i++) {
		if (st->nunused == AC_IMPORT_UNUSED_MAX) {
			st->unused_more++;
			continue;
		}
		ac_import_unused *u = &st->unused[st->nunused++];
		memcpy(u->key, im->ukeys[i].key, sizeof(u->key));
		u->entries = im->ukeys[i].entries;
	}
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

/* Whether the store has table `name` (price_pattern: schema/007,
 * price_tier: schema/008). */
static int has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	int found = 0;
	if (ac_store_prepare_named(db, "price_has_table.sql", 0, &st) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Insert the price_tier rows of row r with statement ins (write_rows). */
static int write_vars(importer *im, sqlite3 *db, sqlite3_stmt *ins, const irow *r)
{
	static const char *const tier_names[AC_TIER_N] = { "standard", "flex", "priority",
		                                          "batch" };
	for (int j = 0; j < r->nvar; j++) {
		const ac_price_var *x = &r->var[j];
		sqlite3_bind_text(ins, 1, r->name, -1, SQLITE_STATIC);
		if (r->eff[0])
			sqlite3_bind_text(ins, 2, r->eff, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 2);
		sqlite3_bind_text(ins, 3, tier_names[x->tier], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, x->above);
		for (int k = 0; k < AC_PK_N; k++)
			bind_opt(ins, 5 + k, x->v[k]);
		if (sqlite3_step(ins) != SQLITE_DONE)
			return sql_error(im, db);
		sqlite3_reset(ins);
	}
	return 0;
}

/* write_rows(): delete the rows of every model (tool) the file names, once a name. */
static int delete_named(importer *im, sqlite3 *db, sqlite3_stmt *del, sqlite3_stmt *patdel,
                        sqlite3_stmt *vardel, idxset *named, int *names)
{
	for (size_t i = 0; i < im->rows.len; i++) {
		int prev = idxset_add(named, &im->rows, (int)i, 0);
		if (prev == SET_NOMEM) {
			return ac_err_set(im->err, AC_ENOMEM, "out of memory importing prices");
		}
		if (prev >= 0)
			continue; /* name already deleted */
		(*names)++;
		sqlite3_bind_text(del, 1, im->rows.r[i].name, -1, SQLITE_STATIC);
		if (sqlite3_step(del) != SQLITE_DONE) {
			return sql_error(im, db);
		}
		sqlite3_reset(del);
		if (patdel) {
			sqlite3_bind_text(patdel, 1, im->rows.r[i].name, -1, SQLITE_STATIC);
			if (sqlite3_step(patdel) != SQLITE_DONE) {
				return sql_error(im, db);
			}
			sqlite3_reset(patdel);
		}
		if (vardel) {
			sqlite3_bind_text(vardel, 1, im->rows.r[i].name, -1, SQLITE_STATIC);
			if (sqlite3_step(vardel) != SQLITE_DONE) {
				return sql_error(im, db);
			}
			sqlite3_reset(vardel);
		}
	}
	return 0;
}

/* write_rows(): insert the file's rows, their patterns and variants. */
static int insert_rows(importer *im, sqlite3 *db, sqlite3_stmt *ins, sqlite3_stmt *patins,
                       sqlite3_stmt *varins, const char *source, const char *now)
{
	int rc;

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
			return sql_error(im, db);
		}
		sqlite3_reset(ins);
		/* one pattern a model: the first row's */
		if (patins && r->pattern) {
			sqlite3_bind_text(patins, 1, r->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(patins, 2, r->pattern, -1, SQLITE_STATIC);
			if (sqlite3_step(patins) != SQLITE_DONE) {
				return sql_error(im, db);
			}
			sqlite3_reset(patins);
		}
		if (varins && (rc = write_vars(im, db, varins, r)) < 0)
			return rc;
	}
	return 0;
}

/* Replace the named models' (tools') rows with the file's, in one savepoint. */
static int write_rows(importer *im, sqlite3 *db, const char *source, int *names)
{
	sqlite3_stmt *del = NULL, *ins = NULL, *patdel = NULL, *patins = NULL;
	sqlite3_stmt *vardel = NULL, *varins = NULL;
	idxset named = { 0 };
	struct timespec ts;
	char now[40];
	int rc = 0, in_sp = 0;

	*names = 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	ac_format_iso_ms((int64_t)ts.tv_sec * AC_NS_PER_SEC + ts.tv_nsec, now);

	/* A savepoint is a transaction of its own when none is open, and
	 * nests inside the caller's when one is. */
	if (ac_store_exec_named(db, "price_savepoint.sql") != SQLITE_OK) {
		rc = sql_error(im, db);
		goto done;
	}
	in_sp = 1;
	if (ac_store_prepare_named(db, im->tools ? "price_tool_del.sql" : "price_del.sql", 0,
	                           &del) != SQLITE_OK ||
	    ac_store_prepare_named(db, im->tools ? "price_tool_put.sql" : "price_put.sql", 0,
	                           &ins) != SQLITE_OK) {
		rc = sql_error(im, db);
		goto done;
	}
	/* a store without price_pattern (schema/007) keeps no patterns */
	if (!im->tools && has_table(db, "price_pattern") &&
	    (ac_store_prepare_named(db, "price_pattern_del.sql", 0, &patdel) != SQLITE_OK ||
	     ac_store_prepare_named(db, "price_pattern_put.sql", 0, &patins) != SQLITE_OK)) {
		rc = sql_error(im, db);
		goto done;
	}
	/* ... nor without price_tier (schema/008) variants */
	if (!im->tools && has_table(db, "price_tier") &&
	    (ac_store_prepare_named(db, "price_tier_del.sql", 0, &vardel) != SQLITE_OK ||
	     ac_store_prepare_named(db, "price_tier_put.sql", 0, &varins) != SQLITE_OK)) {
		rc = sql_error(im, db);
		goto done;
	}
	if ((rc = delete_named(im, db, del, patdel, vardel, &named, names)) != 0 ||
	    (rc = insert_rows(im, db, ins, patins, varins, source, now)) != 0)
		goto done;
	sqlite3_finalize(vardel);
	sqlite3_finalize(varins);
	vardel = varins = NULL;
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	sqlite3_finalize(patdel);
	sqlite3_finalize(patins);
	del = ins = patdel = patins = NULL;
	if (ac_store_exec_named(db, "price_savepoint_release.sql") != SQLITE_OK) {
		rc = sql_error(im, db);
		goto done;
	}
	in_sp = 0;
done:
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	sqlite3_finalize(patdel);
	sqlite3_finalize(patins);
	sqlite3_finalize(vardel);
	sqlite3_finalize(varins);
	if (in_sp)
		ac_store_exec_named(db, "price_savepoint_undo.sql");
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
		st->lost = st->nunused = st->unused_more = 0;
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
	if (text[lead] == '{' || text[lead] == '[') {
		const char *kind = NULL;
		rc = json_rows(&im, text, len, path, &kind);
		if (st)
			st->kind = kind;
		if (rc < 0)
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
			                "output_per_mtok,... or tool,per_call,... or alias,model, or litellm, openlit"
			                " or langfuse json)",
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
		unused_report(&im, st);
	}
done:
	if (st)
		st->skipped = im.skipped;
done_alias:
	ac_csv_doc_release(&cs);
	rows_release(&im.rows);
	free(im.seen.slot);
	free(im.ukeys);
	free(data);
	return rc;
}
