/*
 * Reconcile: a provider's cost export against the traced cost, per UTC day x
 * model (see reconcile.h for the formats and the matching rule).
 *
 * Where the formats come from (searched, not observed on a real account):
 *  - OpenAI: the organization Costs API (GET /v1/organization/costs) returns
 *    daily buckets {start_time, end_time, results: [{amount: {value,
 *    currency}, line_item, project_id, api_key_id, quantity}]}; the usage
 *    dashboard's CSV export flattens them under the header start_time,
 *    end_time, start_time_iso, end_time_iso, amount_value, amount_currency,
 *    quantity, quantity_unit, line_item, user_id, api_key_id, project_id,
 *    organization_id, project_name, organization_name, user_email,
 *    api_source (seen in a third-party importer's test fixture; empty
 *    buckets carry only the four time columns). Line items read like
 *    "gpt-5-nano, input_tokens". Confidence: medium on the columns, lower on
 *    every line item's wording; hence only line_item, amount_value and a
 *    start time are required, by name, in any order.
 *  - Anthropic: the Console's Cost export header usage_date_utc, model,
 *    workspace, api_key, usage_type, context_window, token_type, cost_usd,
 *    list_price_usd, cost_type, inference_geo, speed, api_key_id,
 *    api_key_status, with display names in model ("Claude Haiku 4.5") and
 *    one row per token type (seen in a third-party importer's tests).
 *    Confidence: medium; date / total_cost are accepted as aliases.
 */
#include "reconcile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../store/store.h"
#include "../util/buf.h"
#include "../util/csvrec.h"
#include "../util/timeutil.h"

#define MAX_BILL_BYTES (512u << 20)

const char *ac_bill_kind_name(int kind)
{
	switch (kind) {
	case AC_BILL_OPENAI:
		return "openai";
	case AC_BILL_ANTHROPIC:
		return "anthropic";
	case AC_BILL_GENERIC:
		return "generic";
	}
	return "unknown";
}

/* Parsing cells ----------------------------------------------------------- */

/*
 * A cost cell: a plain non-negative decimal, optionally with an exponent.
 * Returns NULL and sets *usd, or the reason it is not one.
 */
static const char *parse_cost(const char *s, double *usd)
{
	if (!*s)
		return "empty cost";
	if (*s == '-')
		return "negative cost";
	if (!isdigit((unsigned char)*s) && *s != '.')
		return "cost is not a number";
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p) && !strchr(".eE+-", *p))
			return "cost is not a number";
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return "cost is not a number";
	*usd = v;
	return NULL;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* A date cell: unix seconds, an ISO date or date-time. Returns 0 and the UTC
 * day, or -1. */
static int parse_day(const char *s, int64_t *day)
{
	if (all_digits(s)) {
		if (strlen(s) > 12) /* beyond year 33658: milliseconds, or not a time */
			return -1;
		long long sec = strtoll(s, NULL, 10);
		*day = sec / 86400;
		return 0;
	}
	int64_t ns;
	if (ac_time_parse_iso(s, strlen(s), &ns))
		return -1;
	*day = ac_day_of_ns(ns);
	return 0;
}

/* Lower-case copy of s[0, n). */
static char *lower_ndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++)
		d[i] = (char)tolower((unsigned char)s[i]);
	d[n] = '\0';
	return d;
}

/* The model an OpenAI line item names: the text before its first comma. */
static char *openai_model(const char *item)
{
	const char *comma = strchr(item, ',');
	size_t n = comma ? (size_t)(comma - item) : strlen(item);
	while (n && isspace((unsigned char)item[n - 1]))
		n--;
	return n ? strndup(item, n) : strdup(AC_BILL_UNATTRIBUTED);
}

/* Anthropic's display name "Claude Haiku 4.5" -> "claude-haiku-4-5"; a name
 * without a space (an API id) is kept. */
static char *anthropic_model(const char *name)
{
	if (!*name)
		return strdup(AC_BILL_UNATTRIBUTED);
	if (!strchr(name, ' '))
		return strdup(name);
	char *d = malloc(strlen(name) + 1), *o = d;
	if (!d)
		return NULL;
	for (const char *p = name; *p; p++) {
		if (*p == ' ' || *p == '.') {
			if (o > d && o[-1] != '-')
				*o++ = '-';
		} else {
			*o++ = (char)tolower((unsigned char)*p);
		}
	}
	while (o > d && o[-1] == '-')
		o--;
	*o = '\0';
	return d;
}

/* Header ------------------------------------------------------------------ */

enum { C_DAY, C_DAY2, C_MODEL, C_COST, C_CURRENCY, NCOLS };

static int col_of(const ac_csv_rec *h, const char *name)
{
	for (int i = 0; i < h->n; i++)
		if (!strcasecmp(h->cell[i], name))
			return i;
	return -1;
}

/* Find the format and its columns (col[C_*], -1 when absent). */
static int detect(const ac_csv_rec *h, int col[NCOLS])
{
	for (int i = 0; i < NCOLS; i++)
		col[i] = -1;
	int li = col_of(h, "line_item"), av = col_of(h, "amount_value");
	int st = col_of(h, "start_time"), sti = col_of(h, "start_time_iso");
	if (li >= 0 && av >= 0 && (st >= 0 || sti >= 0)) {
		col[C_DAY] = st >= 0 ? st : sti;
		col[C_DAY2] = st >= 0 ? sti : -1;
		col[C_MODEL] = li;
		col[C_COST] = av;
		col[C_CURRENCY] = col_of(h, "amount_currency");
		return AC_BILL_OPENAI;
	}
	int day = col_of(h, "day"), model = col_of(h, "model"), cost = col_of(h, "cost_usd");
	if (day >= 0 && model >= 0 && cost >= 0) {
		col[C_DAY] = day;
		col[C_MODEL] = model;
		col[C_COST] = cost;
		return AC_BILL_GENERIC;
	}
	int ud = col_of(h, "usage_date_utc");
	if (ud < 0)
		ud = col_of(h, "date");
	if (cost < 0)
		cost = col_of(h, "total_cost");
	if (ud >= 0 && model >= 0 && cost >= 0) {
		col[C_DAY] = ud;
		col[C_MODEL] = model;
		col[C_COST] = cost;
		return AC_BILL_ANTHROPIC;
	}
	return 0;
}

static int refuse(const ac_csv_rec *h, const char *path, ac_err *err)
{
	if (col_of(h, "usage_input_tokens_no_cache") >= 0 || col_of(h, "usage_output_tokens") >= 0)
		return ac_err_setpos(err, AC_EFORMAT, h->line, 0,
		                     "%s:%lld: this is Anthropic's usage export (tokens, no cost); "
		                     "export the Cost report instead",
		                     path, h->line);
	if (col_of(h, "num_model_requests") >= 0)
		return ac_err_setpos(err, AC_EFORMAT, h->line, 0,
		                     "%s:%lld: this is OpenAI's usage export (tokens, no cost); "
		                     "export the Cost view instead",
		                     path, h->line);
	return ac_err_setpos(err, AC_EFORMAT, h->line, 0,
	                     "%s:%lld: not a cost export this reads; accepted: OpenAI's costs "
	                     "export (start_time, line_item, amount_value, ...), Anthropic's cost "
	                     "export (usage_date_utc, model, cost_usd, ...) or a CSV with "
	                     "day,model,cost_usd",
	                     path, h->line);
}

/* Rows -------------------------------------------------------------------- */

static int push_row(ac_bill *b, int64_t day, char *model, double usd)
{
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		ac_bill_row *nr = realloc(b->rows, nc * sizeof(*nr));
		if (!nr)
			return -1;
		b->rows = nr;
		b->cap = nc;
	}
	b->rows[b->n].day = day;
	b->rows[b->n].model = model;
	b->rows[b->n].cost_usd = usd;
	b->n++;
	return 0;
}

static int bill_row_cmp(const void *a, const void *b)
{
	const ac_bill_row *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return strcmp(x->model, y->model);
}

/* Sort and add up rows of the same day and model. */
static void bill_merge(ac_bill *b)
{
	if (!b->n)
		return;
	qsort(b->rows, b->n, sizeof(*b->rows), bill_row_cmp);
	size_t o = 0;
	for (size_t i = 1; i < b->n; i++) {
		if (!bill_row_cmp(&b->rows[o], &b->rows[i])) {
			b->rows[o].cost_usd += b->rows[i].cost_usd;
			free(b->rows[i].model);
		} else {
			b->rows[++o] = b->rows[i];
		}
	}
	b->n = o + 1;
}

static const char *cell_at(const ac_csv_rec *r, int c)
{
	return c >= 0 && c < r->n ? r->cell[c] : "";
}

static void warn_row(ac_bill *b, const ac_csv_rec *r, const char *path, const char *reason,
                     const char *cell, ac_warn_fn warn, void *payload)
{
	ac_err w = AC_ERR_INIT;
	char shown[48];
	snprintf(shown, sizeof(shown), "%s", cell);
	ac_err_setpos(&w, AC_EPARSE, r->line, 0, "%s:%lld: %s ('%s%s'), row skipped", path,
	              r->line, reason, shown, strlen(cell) >= sizeof(shown) ? "..." : "");
	b->skipped++;
	if (warn)
		warn(&w, payload);
}

/* One data record into b: 0, or -1 when out of memory. */
static int bill_record(ac_bill *b, const ac_csv_rec *r, const int col[NCOLS], const char *path,
                       ac_warn_fn warn, void *payload)
{
	const char *dcell = cell_at(r, col[C_DAY]), *mcell = cell_at(r, col[C_MODEL]);
	const char *ccell = cell_at(r, col[C_COST]);
	double usd;
	int64_t day;

	if (b->kind == AC_BILL_OPENAI && !*ccell && !*mcell)
		return 0; /* an empty bucket: no spend that day */
	if (!*dcell && col[C_DAY2] >= 0)
		dcell = cell_at(r, col[C_DAY2]);
	if (parse_day(dcell, &day)) {
		warn_row(b, r, path, "bad date", dcell, warn, payload);
		return 0;
	}
	const char *why = parse_cost(ccell, &usd);
	if (why) {
		warn_row(b, r, path, why, ccell, warn, payload);
		return 0;
	}
	if (col[C_CURRENCY] >= 0) {
		const char *cur = cell_at(r, col[C_CURRENCY]);
		if (*cur && strcasecmp(cur, "usd")) {
			warn_row(b, r, path, "currency is not usd", cur, warn, payload);
			return 0;
		}
	}
	char *model = b->kind == AC_BILL_OPENAI      ? openai_model(mcell)
	              : b->kind == AC_BILL_ANTHROPIC ? anthropic_model(mcell)
	              : strdup(*mcell ? mcell : AC_BILL_UNATTRIBUTED);
	if (!model || push_row(b, day, model, usd)) {
		free(model);
		return -1;
	}
	return 0;
}

int ac_bill_parse(ac_bill *out, const char *text, size_t len, const char *path,
                  ac_warn_fn warn, void *payload, ac_err *err)
{
	ac_csv_doc cs = AC_CSV_DOC_INIT;
	int col[NCOLS], rc;
	size_t first = 0;

	memset(out, 0, sizeof(*out));
	if ((rc = ac_csv_split(&cs, text, len, path, err)) < 0)
		goto done;
	while (first < cs.n && ac_csv_blank(&cs.rec[first]))
		first++;
	if (first == cs.n) {
		rc = ac_err_set(err, AC_EFORMAT, "%s: empty file, no header", path);
		goto done;
	}
	const ac_csv_rec *h = &cs.rec[first];
	if (!(out->kind = detect(h, col))) {
		rc = refuse(h, path, err);
		goto done;
	}
	for (size_t i = first + 1; i < cs.n; i++) {
		if (ac_csv_blank(&cs.rec[i]))
			continue;
		if (bill_record(out, &cs.rec[i], col, path, warn, payload)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
			goto done;
		}
	}
	bill_merge(out);
	rc = 0;
done:
	ac_csv_doc_release(&cs);
	return rc;
}

int ac_bill_read(ac_bill *out, const char *path, ac_warn_fn warn, void *payload, ac_err *err)
{
	char *data;
	size_t n;
	const char *label;
	memset(out, 0, sizeof(*out));
	int rc = ac_read_path(path, MAX_BILL_BYTES, "bill", &data, &n, &label, err);
	if (rc)
		return rc;
	rc = ac_bill_parse(out, data, n, label, warn, payload, err);
	free(data);
	return rc;
}

void ac_bill_release(ac_bill *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->rows[i].model);
	free(b->rows);
	memset(b, 0, sizeof(*b));
}

/* Matching key ------------------------------------------------------------ */

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int month_day_ok(const char *mm, const char *dd)
{
	static const int dm[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int m = (mm[0] - '0') * 10 + (mm[1] - '0'), d = (dd[0] - '0') * 10 + (dd[1] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= dm[m - 1];
}

/* Length of s without a date suffix "-YYYY-MM-DD", "-YYYYMMDD", "@YYYYMMDD"
 * (the pricebook's suffixes); the rest must not be empty. */
static size_t without_date(const char *s, size_t n)
{
	if (n > 11) {
		const char *t = s + n - 11;
		if (t[0] == '-' && digits(t + 1, 4) && t[5] == '-' && digits(t + 6, 2) &&
		    t[8] == '-' && digits(t + 9, 2) && month_day_ok(t + 6, t + 9))
			return n - 11;
	}
	if (n > 9) {
		const char *t = s + n - 9;
		if ((t[0] == '-' || t[0] == '@') && digits(t + 1, 8) && month_day_ok(t + 5, t + 7))
			return n - 9;
	}
	return n;
}

char *ac_reconcile_key(ac_pricebook *pb, const char *model)
{
	const ac_price *rows;
	const char *matched = NULL;
	if (!model || !*model)
		return strdup(AC_BILL_UNATTRIBUTED);
	if (pb && ac_pricebook_model(pb, model, &rows, &matched, NULL) > 0 && matched)
		model = matched;
	const char *slash = strrchr(model, '/');
	const char *bare = slash && slash[1] ? slash + 1 : model;
	return lower_ndup(bare, without_date(bare, strlen(bare)));
}

/* Join -------------------------------------------------------------------- */

static int push_recon(ac_recon *r, int64_t day, char *key, double billed, double traced)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		ac_recon_row *nr = realloc(r->rows, nc * sizeof(*nr));
		if (!nr)
			return -1;
		r->rows = nr;
		r->cap = nc;
	}
	r->rows[r->n].day = day;
	r->rows[r->n].key = key;
	r->rows[r->n].billed = billed;
	r->rows[r->n].traced = traced;
	r->n++;
	return 0;
}

static int recon_cmp(const void *a, const void *b)
{
	const ac_recon_row *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Money to the nano-dollar: sums of the bill's and the traces' decimals
 * (0.1 + 0.05) carry binary noise, which would show a matching day as a
 * difference of 1e-17. Exact below $9,000,000 (2^53 nano-dollars). */
static double nano(double usd)
{
	return round(usd * 1e9) / 1e9;
}

/* What the traces miss of a bill: billed - traced (both whole nano-dollars,
 * so their difference is one too) and its share of the bill. */
static void difference(double *diff, double *share, double billed, double traced)
{
	*diff = nano(billed - traced);
	*share = billed != 0 ? (billed - traced) / billed : NAN;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int ac_reconcile(ac_recon *out, ac_store *s, ac_pricebook *pb, const ac_bill *bill,
                 int64_t since_ns, int64_t until_ns, const char *system, ac_err *err)
{
	ac_rows *st = NULL;
	int rc = 0, src;

	memset(out, 0, sizeof(*out));
	out->last_day = -1;
	/* close the open ends with the bill's days */
	if (since_ns == INT64_MIN)
		since_ns = bill->n ? bill->rows[0].day * AC_NS_PER_DAY : 0;
	if (until_ns == INT64_MAX)
		until_ns = bill->n ? (bill->rows[bill->n - 1].day + 1) * AC_NS_PER_DAY : 0;
	if (until_ns <= since_ns)
		return 0;
	/* a bill has days, not times: the window is the whole UTC days it
	 * touches, on both sides (a time inside a day selects that day) */
	out->first_day = floor_div(since_ns, AC_NS_PER_DAY);
	out->last_day = floor_div(until_ns - 1, AC_NS_PER_DAY);
	since_ns = out->first_day * AC_NS_PER_DAY;
	until_ns = (out->last_day + 1) * AC_NS_PER_DAY;

	for (size_t i = 0; i < bill->n; i++) {
		const ac_bill_row *b = &bill->rows[i];
		/* a bill day counts when it starts in the window */
		if (b->day * AC_NS_PER_DAY < since_ns || b->day * AC_NS_PER_DAY >= until_ns)
			continue;
		char *key = ac_reconcile_key(pb, b->model);
		if (!key || push_recon(out, b->day, key, b->cost_usd, 0)) {
			free(key);
			return ac_err_set(err, AC_ENOMEM, "out of memory reconciling");
		}
	}
	if ((rc = ac_store_rows(s, "reconcile.sql", since_ns, until_ns, system, 0, &st, err)))
		return rc;
	while ((src = ac_rows_next(st, err)) == 1) {
		int64_t day = ac_rows_int(st, 0);
		const char *model = ac_rows_text(st, 1);
		double usd = ac_rows_double(st, 2);
		char *key = ac_reconcile_key(pb, model);
		if (!key || push_recon(out, day, key, 0, usd)) {
			free(key);
			rc = ac_err_set(err, AC_ENOMEM, "out of memory reconciling");
			goto done;
		}
	}
	if (src < 0) {
		rc = src;
		goto done;
	}
	if (out->n) {
		qsort(out->rows, out->n, sizeof(*out->rows), recon_cmp);
		size_t o = 0;
		for (size_t i = 1; i < out->n; i++) {
			if (!recon_cmp(&out->rows[o], &out->rows[i])) {
				out->rows[o].billed += out->rows[i].billed;
				out->rows[o].traced += out->rows[i].traced;
				free(out->rows[i].key);
			} else {
				out->rows[++o] = out->rows[i];
			}
		}
		out->n = o + 1;
	}
	for (size_t i = 0; i < out->n; i++) {
		out->billed += out->rows[i].billed;
		out->traced += out->rows[i].traced;
		out->rows[i].billed = nano(out->rows[i].billed);
		out->rows[i].traced = nano(out->rows[i].traced);
	}
	out->billed = nano(out->billed);
	out->traced = nano(out->traced);
	for (size_t i = 0; i < out->n; i++)
		difference(&out->rows[i].difference, &out->rows[i].share_untraced, out->rows[i].billed,
		           out->rows[i].traced);
	difference(&out->difference, &out->share_untraced, out->billed, out->traced);
done:
	ac_rows_free(st);
	return rc;
}

void ac_recon_release(ac_recon *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i].key);
	free(r->rows);
	memset(r, 0, sizeof(*r));
}
