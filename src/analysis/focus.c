/*
 * The FOCUS export (focus.h): the spans of queries/focus.sql summed per
 * output row in a hash map, sorted, and each row laid out as FOCUS 1.2's
 * columns.
 *
 * A row's group key (struct key below) is day, provider, name, what, token
 * kind, priced tier, context tier and unit price. The price is in the key so
 * that ListUnitPrice x PricingQuantity = ListCost holds on every row, as
 * FOCUS requires, even when one day's calls of a model met two prices. The
 * `--by` dimensions of issue #17 go into the key too: a span's task value of
 * each dimension (src/analysis/dims.h; model: the call's own), interned like
 * the provider, written into Tags as {"user":"u1"} (no --by: {}).
 */
#include "focus.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/map.h"
#include "../util/table.h"
#include "../util/timeutil.h"
#include "dims.h"

const char *const ac_focus_columns[AC_FOCUS_NCOL] = {
	"BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
	"BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass",
	"ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
	"ConsumedQuantity", "ConsumedUnit", "ContractedCost", "EffectiveCost",
	"InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingQuantity",
	"PricingUnit", "ProviderName", "PublisherName", "ServiceCategory",
	"ServiceName", "ServiceSubcategory", "SkuId", "SkuMeter",
	"SkuPriceId", "Tags", "x_ServiceTier",
};

/* Column numbers of ac_focus_columns. */
enum {
	C_BILLED, C_ACCOUNT_ID, C_ACCOUNT_NAME, C_CURRENCY, C_BP_END, C_BP_START,
	C_CATEGORY, C_CLASS, C_DESCRIPTION, C_FREQUENCY, C_CP_END, C_CP_START,
	C_CONSUMED_QTY, C_CONSUMED_UNIT, C_CONTRACTED, C_EFFECTIVE, C_ISSUER, C_LIST,
	C_LIST_PRICE, C_PRICING_QTY, C_PRICING_UNIT, C_PROVIDER, C_PUBLISHER,
	C_SVC_CATEGORY, C_SVC_NAME, C_SVC_SUBCATEGORY, C_SKU, C_METER, C_PRICE_ID,
	C_TAGS, C_TIER,
};

struct ac_focus {
	ac_focus_row *rows;
	size_t n, cap, next;
	ac_map groups;   /* key -> index into rows */
	ac_map names;    /* interned string -> index into strs */
	char **strs;
	size_t nstrs, capstrs;
	int64_t since_ns, until_ns;
	double total;
	int ndim;               /* --by dimensions */
	const char *dim_name[2];
	ac_dims_info info;
};

/* The group key, packed without padding so its bytes hash. */
typedef struct key {
	int64_t day;
	int32_t provider, name; /* index into strs, -1 NULL */
	int32_t what, kind, tier;
	int64_t above;
	double price;
	int32_t dv[2];          /* --by values: index into strs, -1 none */
} key;

enum { KEY_BYTES = 8 + 4 * 5 + 8 + 8 + 4 * 2 };

static void key_pack(const key *k, unsigned char out[KEY_BYTES])
{
	unsigned char *p = out;
	memcpy(p, &k->day, 8), p += 8;
	memcpy(p, &k->provider, 4), p += 4;
	memcpy(p, &k->name, 4), p += 4;
	memcpy(p, &k->what, 4), p += 4;
	memcpy(p, &k->kind, 4), p += 4;
	memcpy(p, &k->tier, 4), p += 4;
	memcpy(p, &k->above, 8), p += 8;
	/* NAN (no price) always the same bits */
	double price = isnan(k->price) ? NAN : k->price;
	memcpy(p, &price, 8), p += 8;
	memcpy(p, k->dv, 8);
}

/* The index of s among the interned strings (-1 for NULL): *idx; 0 or
 * AC_ENOMEM. */
static int intern(ac_focus *f, const char *s, int32_t *idx, ac_err *err)
{
	int64_t v;
	if (!s) {
		*idx = -1;
		return 0;
	}
	size_t n = strlen(s);
	if (ac_map_get(&f->names, s, n, &v)) {
		*idx = (int32_t)v;
		return 0;
	}
	if (f->nstrs == f->capstrs) {
		size_t cap = f->capstrs ? f->capstrs * 2 : 64;
		char **p = realloc(f->strs, cap * sizeof(*p));
		if (!p)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		f->strs = p;
		f->capstrs = cap;
	}
	char *copy = strdup(s);
	if (!copy || ac_map_put(&f->names, s, n, (int64_t)f->nstrs)) {
		free(copy);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	f->strs[f->nstrs] = copy;
	*idx = (int32_t)f->nstrs++;
	return 0;
}

/* The row of key k, created empty when new: *out; 0 or AC_ENOMEM. */
static int group(ac_focus *f, const key *k, ac_focus_row **out, ac_err *err)
{
	unsigned char kb[KEY_BYTES];
	int64_t v;
	key_pack(k, kb);
	if (ac_map_get(&f->groups, kb, sizeof(kb), &v)) {
		*out = &f->rows[v];
		return 0;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		ac_focus_row *p = realloc(f->rows, cap * sizeof(*p));
		if (!p)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		f->rows = p;
		f->cap = cap;
	}
	if (ac_map_put(&f->groups, kb, sizeof(kb), (int64_t)f->n))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	ac_focus_row *r = &f->rows[f->n++];
	memset(r, 0, sizeof(*r));
	r->day = k->day;
	r->provider = k->provider >= 0 ? f->strs[k->provider] : NULL;
	r->name = k->name >= 0 ? f->strs[k->name] : NULL;
	r->what = (ac_focus_what)k->what;
	r->kind = k->kind;
	r->tier = k->tier;
	r->above = k->above;
	r->unit_price = k->price;
	for (int d = 0; d < 2; d++)
		r->dim[d] = k->dv[d] >= 0 ? f->strs[k->dv[d]] : NULL;
	*out = r;
	return 0;
}

/* Add quantity and cost to the row of k. */
static int add(ac_focus *f, const key *k, double quantity, double cost, ac_err *err)
{
	ac_focus_row *r;
	int rc = group(f, k, &r, err);
	if (rc)
		return rc;
	r->quantity += quantity;
	r->cost_usd += cost;
	r->calls++;
	return 0;
}

/* The stored cost and the formula's agree (they are the same arithmetic when
 * the prices have not changed since the call was priced). */
static int same_cost(double stored, double split)
{
	return fabs(stored - split) <= 1e-9 * fabs(stored) + 1e-15;
}

/* An LLM call priced from the table: its terms, one row each; or, when
 * today's prices do not give its stored cost, the stored cost whole. */
static int add_llm(ac_focus *f, ac_pricebook *pb, ac_rows *r, key *k, double cost, ac_err *err)
{
	ac_cost_input in;
	memset(&in, 0, sizeof(in));
	in.step = AC_STEP_LLM;
	in.model = ac_rows_text(r, 4);
	in.start_ns = ac_rows_int(r, 0);
	in.provider = ac_rows_text(r, 6);
	in.service = ac_rows_text(r, 7);
	in.scope = ac_rows_text(r, 8);
	in.tier = ac_service_tier(ac_rows_text(r, 9));
	in.tok.in = ac_rows_int(r, 10);
	in.tok.out = ac_rows_int(r, 11);
	in.tok.cache_read = ac_rows_int(r, 12);
	in.tok.cache_write = ac_rows_int(r, 13);
	in.tok.reasoning = ac_rows_int(r, 14);
	in.tok.cache_write_1h = ac_rows_int(r, 15);
	in.tok.audio_in = ac_rows_int(r, 16);
	in.tok.audio_out = ac_rows_int(r, 17);
	ac_cost_split sp;
	double priced;
	if (!ac_pricebook_split(pb, &in, &sp, &priced) || !same_cost(cost, priced)) {
		k->what = AC_FOCUS_RECORDED;
		return add(f, k, 1, cost, err);
	}
	k->what = AC_FOCUS_TOKENS;
	k->tier = sp.tier;
	k->above = sp.above;
	for (int i = 0; i < AC_PK_N; i++) {
		const ac_cost_term *t = &sp.term[i];
		if (t->tokens == 0)
			continue;
		k->kind = t->kind;
		k->price = t->per_mtok;
		int rc = add(f, k, t->tokens, t->tokens * t->per_mtok / 1e6, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* One span of focus.sql. */
static int add_span(ac_focus *f, ac_pricebook *pb, ac_rows *r, ac_err *err)
{
	int step = (int)ac_rows_int(r, 1), src = (int)ac_rows_int(r, 2);
	double cost = ac_rows_double(r, 3);
	const char *tool = ac_rows_text(r, 5);
	int is_tool = step == AC_STEP_TOOL || (step != AC_STEP_LLM && tool);
	key k = { ac_day_of_ns(ac_rows_int(r, 0)), -1, -1, AC_FOCUS_CALLS, 0, -1, 0, NAN, { -1, -1 } };
	int rc;
	if (f->ndim || f->info.model_where) {
		/* focus_by.sql: the task's values in columns 18, 19 */
		const char *model = ac_rows_text(r, 4);
		model = model ? model : "(none)";
		if (f->info.model_where && strcmp(model, f->info.model_where))
			return 0;
		for (int d = 0; d < f->ndim; d++) {
			const char *v = f->info.model_pos == d + 1 ? model : ac_rows_text(r, 18 + d);
			if ((rc = intern(f, v ? v : "(none)", &k.dv[d], err)))
				return rc;
		}
	}
	f->total += cost;
	if ((rc = intern(f, ac_rows_text(r, 6), &k.provider, err)) ||
	    (rc = intern(f, is_tool ? tool : ac_rows_text(r, 4), &k.name, err)))
		return rc;
	if (is_tool) {
		/* a tool call costs its per-call price: the price is the cost */
		k.price = cost;
		return add(f, &k, 1, cost, err);
	}
	int tier = ac_service_tier(ac_rows_text(r, 9));
	k.tier = tier < 0 ? AC_TIER_STANDARD : tier;
	if (step == AC_STEP_LLM && src == AC_COST_TABLE)
		return add_llm(f, pb, r, &k, cost, err);
	k.what = src == AC_COST_PRODUCER ? AC_FOCUS_PRODUCER : AC_FOCUS_RECORDED;
	return add(f, &k, 1, cost, err);
}

/* NULL first, then bytes. */
static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* A token kind's place in the formula (pricing.h's term order). */
static int kind_rank(int kind)
{
	static const int rank[AC_PK_N] = {
		[AC_PK_INPUT] = 0, [AC_PK_AUDIO_IN] = 1, [AC_PK_CACHE_READ] = 2,
		[AC_PK_CACHE_WRITE] = 3, [AC_PK_CACHE_WRITE_1H] = 4, [AC_PK_OUTPUT] = 5,
		[AC_PK_REASONING] = 6, [AC_PK_AUDIO_OUT] = 7,
	};
	return kind >= 0 && kind < AC_PK_N ? rank[kind] : AC_PK_N;
}

#define CMP(a, b) \
	do { \
		if ((a) != (b)) \
			return (a) < (b) ? -1 : 1; \
	} while (0)

static int row_cmp(const void *pa, const void *pb)
{
	const ac_focus_row *a = pa, *b = pb;
	int c;
	CMP(a->day, b->day);
	if ((c = cmp_str(a->provider, b->provider)) || (c = cmp_str(a->name, b->name)))
		return c;
	CMP(a->what, b->what);
	CMP(a->tier, b->tier);
	CMP(a->above, b->above);
	CMP(kind_rank(a->kind), kind_rank(b->kind));
	/* NAN (no price) first */
	if (isnan(a->unit_price) || isnan(b->unit_price))
		return !isnan(a->unit_price) - !isnan(b->unit_price);
	CMP(a->unit_price, b->unit_price);
	for (int d = 0; d < 2; d++)
		if ((c = cmp_str(a->dim[d], b->dim[d])))
			return c;
	return 0;
}

int ac_focus_open(ac_store *s, ac_pricebook *pb, const ac_query *q, ac_focus **out, ac_err *err)
{
	*out = NULL;
	ac_focus *f = calloc(1, sizeof(*f));
	if (!f)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	int rc;
	const char *query = "focus.sql";
	if (q->dims) {
		/* --system is each span's own service (focus_by.sql), as without
		 * --by: the tasks of every system are candidates */
		ac_query all = *q;
		all.system = NULL;
		if ((rc = ac_dims_prepare(s, &all, &f->info, err))) {
			free(f);
			return rc;
		}
		f->ndim = (int)q->nby;
		for (int d = 0; d < f->ndim; d++)
			f->dim_name[d] = ac_dim_column(&q->by[d]);
		query = "focus_by.sql";
	}
	ac_map_init(&f->groups, 0);
	ac_map_init(&f->names, 0);
	f->since_ns = q->since_ns;
	f->until_ns = q->until_ns;
	ac_rows *r;
	rc = ac_store_rows(s, query, q->since_ns, q->until_ns, q->system, 0, &r, err);
	if (rc) {
		ac_focus_close(f);
		return rc;
	}
	while ((rc = ac_rows_next(r, err)) == 1) {
		if ((rc = add_span(f, pb, r, err)))
			break;
	}
	ac_rows_free(r);
	if (rc) {
		ac_focus_close(f);
		return rc;
	}
	if (f->n)
		qsort(f->rows, f->n, sizeof(*f->rows), row_cmp);
	*out = f;
	return 0;
}

const ac_focus_row *ac_focus_next(ac_focus *f)
{
	return f->next < f->n ? &f->rows[f->next++] : NULL;
}

double ac_focus_total(const ac_focus *f)
{
	return f->total;
}

void ac_focus_close(ac_focus *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nstrs; i++)
		free(f->strs[i]);
	free(f->strs);
	free(f->rows);
	ac_map_release(&f->groups);
	ac_map_release(&f->names);
	free(f);
}

/* ---- The columns ------------------------------------------------------- */

/* A FOCUS number (NumericFormat: no exponent sign, no thousands separator):
 * 15 significant digits, trailing zeros dropped. */
static void fmt_num(char out[48], double v)
{
	if (v == 0 || !isfinite(v)) {
		strcpy(out, "0");
		return;
	}
	int decimals = 14 - (int)floor(log10(fabs(v)));
	if (decimals < 0)
		decimals = 0;
	if (decimals > 24)
		decimals = 24;
	snprintf(out, 48, "%.*f", decimals, v);
	if (strchr(out, '.')) {
		size_t n = strlen(out);
		while (out[n - 1] == '0')
			out[--n] = '\0';
		if (out[n - 1] == '.')
			out[--n] = '\0';
	}
	if (!strcmp(out, "-0"))
		strcpy(out, "0");
}

/* FOCUS DateTimeFormat: YYYY-MM-DDTHH:MM:SSZ, UTC (seconds truncated). */
static void fmt_time(char out[40], int64_t ns)
{
	int64_t day = ac_day_of_ns(ns);
	int64_t sec = (ns - day * AC_NS_PER_DAY) / AC_NS_PER_SEC;
	int y;
	unsigned m, d;
	ac_civil_from_days(day, &y, &m, &d);
	snprintf(out, 40, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, (int)(sec / 3600),
	         (int)(sec / 60 % 60), (int)(sec % 60));
}

/* The calendar month of day: its first day and the next month's first. */
static void month_of(int64_t day, int64_t *first, int64_t *next)
{
	int y;
	unsigned m, d;
	ac_civil_from_days(day, &y, &m, &d);
	*first = ac_days_from_civil(y, m, 1);
	*next = m == 12 ? ac_days_from_civil(y + 1, 1, 1) : ac_days_from_civil(y, m + 1, 1);
}

static const char *const TIER_NAME[AC_TIER_N] = { "standard", "flex", "priority", "batch" };

/* Per token kind: the SkuId suffix and the SkuMeter. */
static const struct {
	const char *slug, *meter;
} KIND[AC_PK_N] = {
	[AC_PK_INPUT] = { "input", "Input Tokens" },
	[AC_PK_OUTPUT] = { "output", "Output Tokens" },
	[AC_PK_CACHE_READ] = { "cache_read", "Cache Read Tokens" },
	[AC_PK_CACHE_WRITE] = { "cache_write", "Cache Write Tokens" },
	[AC_PK_CACHE_WRITE_1H] = { "cache_write_1h", "Cache Write 1h Tokens" },
	[AC_PK_REASONING] = { "reasoning", "Reasoning Tokens" },
	[AC_PK_AUDIO_IN] = { "audio_input", "Audio Input Tokens" },
	[AC_PK_AUDIO_OUT] = { "audio_output", "Audio Output Tokens" },
};

/* What a placeholder stands for where FOCUS allows no null (ProviderName,
 * ServiceName) and the trace named nothing. */
#define UNKNOWN "(unknown)"

/* SkuId, SkuPriceId (SkuId and the price's tier and context tier: FOCUS
 * keeps the price amount out of it) and ChargeDescription. */
static void sku_cells(const ac_focus_row *r, ac_focus_cells *c)
{
	const char *name = r->name ? r->name : UNKNOWN;
	ac_buf_reset(&c->sku);
	ac_buf_reset(&c->price_id);
	ac_buf_reset(&c->description);
	if (r->what == AC_FOCUS_CALLS) {
		ac_buf_adds(&c->sku, name);
		ac_buf_adds(&c->price_id, name);
		ac_buf_printf(&c->description, "Calls of tool %s", name);
		return;
	}
	if (r->what != AC_FOCUS_TOKENS) {
		ac_buf_printf(&c->sku, "%s/usage", name);
		ac_buf_printf(&c->price_id, "%s/usage", name);
		ac_buf_printf(&c->description,
		              r->what == AC_FOCUS_PRODUCER
		                      ? "Calls of %s at the cost their producer reported (the model "
		                        "is not in the price table)"
		                      : "Calls of %s at their stored cost (today's prices do not "
		                        "give it: re-price with agentcost prices import)",
		              name);
		return;
	}
	const char *slug = KIND[r->kind].slug, *tier = TIER_NAME[r->tier];
	ac_buf_printf(&c->sku, "%s/%s", name, slug);
	ac_buf_printf(&c->price_id, "%s/%s", name, slug);
	ac_buf_printf(&c->description, "%s of %s", KIND[r->kind].meter, name);
	if (r->tier != AC_TIER_STANDARD) {
		ac_buf_printf(&c->price_id, "/%s", tier);
		ac_buf_printf(&c->description, ", %s tier", tier);
	}
	if (r->above) {
		if (r->above % 1000 == 0)
			ac_buf_printf(&c->price_id, "/above-%lldk", (long long)(r->above / 1000));
		else
			ac_buf_printf(&c->price_id, "/above-%lld", (long long)r->above);
		ac_buf_printf(&c->description, ", prompts above %lld tokens", (long long)r->above);
	}
}

/* s as a JSON string (the table's escaping: hostile text stays text) into b. */
static void tags_str(ac_buf *b, const char *s)
{
	char *m = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&m, &n);
	if (!fp) {
		b->oom = 1;
		return;
	}
	ac_json_put_str(fp, s);
	if (fclose(fp)) {
		b->oom = 1;
	} else {
		ac_buf_add(b, m, n);
	}
	free(m);
}

static void put(ac_focus_cells *c, int col, const char *s, int text)
{
	c->cell[col] = s;
	c->text[col] = text;
}

/* The charge period (the day, clipped to the window) and the billing period
 * (the calendar month holding the day). */
static void period_cells(const ac_focus *f, const ac_focus_row *r, ac_focus_cells *c)
{
	int64_t start = r->day * AC_NS_PER_DAY, end = start + AC_NS_PER_DAY;
	if (f->since_ns > start)
		start = f->since_ns;
	if (f->until_ns < end)
		end = f->until_ns;
	int64_t first, next;
	month_of(r->day, &first, &next);
	fmt_time(c->date[0], start);
	fmt_time(c->date[1], end);
	fmt_time(c->date[2], first * AC_NS_PER_DAY);
	fmt_time(c->date[3], next * AC_NS_PER_DAY);
	put(c, C_CP_START, c->date[0], 0);
	put(c, C_CP_END, c->date[1], 0);
	put(c, C_BP_START, c->date[2], 0);
	put(c, C_BP_END, c->date[3], 0);
}

/* Cost, quantities and units. Tokens are priced per million (the unit of
 * the price table and of the providers' price lists): PricingUnit
 * "1000000 Tokens", PricingQuantity tokens / 10^6. */
static void quantity_cells(const ac_focus_row *r, ac_focus_cells *c)
{
	int tokens = r->what == AC_FOCUS_TOKENS;
	fmt_num(c->num[0], r->cost_usd);
	fmt_num(c->num[1], r->quantity);
	fmt_num(c->num[2], tokens ? r->quantity / 1e6 : r->quantity);
	/* a cost the spans give without a list price: FOCUS's ListCost of
	 * such a charge is its BilledCost */
	put(c, C_BILLED, c->num[0], 0);
	put(c, C_CONTRACTED, c->num[0], 0);
	put(c, C_EFFECTIVE, c->num[0], 0);
	put(c, C_LIST, c->num[0], 0);
	put(c, C_CONSUMED_QTY, c->num[1], 0);
	put(c, C_CONSUMED_UNIT, tokens ? "Tokens" : "Calls", 1);
	put(c, C_PRICING_QTY, c->num[2], 0);
	put(c, C_PRICING_UNIT, tokens ? "1000000 Tokens" : "Calls", 1);
	if (isnan(r->unit_price)) {
		put(c, C_LIST_PRICE, NULL, 0);
	} else {
		fmt_num(c->num[3], r->unit_price);
		put(c, C_LIST_PRICE, c->num[3], 0);
	}
}

int ac_focus_cells_fill(const ac_focus *f, const ac_focus_row *r, ac_focus_cells *c)
{
	/* agentcost knows the provider attribute of a call, not who published
	 * the model or bills for it: the provider stands for all three, and
	 * for the billing account (one account per provider) */
	const char *provider = r->provider ? r->provider : UNKNOWN;
	int model = r->what != AC_FOCUS_CALLS;
	period_cells(f, r, c);
	quantity_cells(r, c);
	sku_cells(r, c);
	put(c, C_ACCOUNT_ID, provider, 1);
	put(c, C_ACCOUNT_NAME, NULL, 1);
	put(c, C_CURRENCY, "USD", 1);
	put(c, C_CATEGORY, "Usage", 1);
	put(c, C_CLASS, NULL, 1);
	put(c, C_DESCRIPTION, ac_buf_cstr(&c->description), 1);
	put(c, C_FREQUENCY, "Usage-Based", 1);
	put(c, C_ISSUER, provider, 1);
	put(c, C_PROVIDER, provider, 1);
	put(c, C_PUBLISHER, provider, 1);
	put(c, C_SVC_CATEGORY, "AI and Machine Learning", 1);
	put(c, C_SVC_NAME, r->name ? r->name : UNKNOWN, 1);
	put(c, C_SVC_SUBCATEGORY, model ? "Generative AI" : "Other (AI and Machine Learning)", 1);
	put(c, C_SKU, ac_buf_cstr(&c->sku), 1);
	put(c, C_METER, r->what == AC_FOCUS_TOKENS ? KIND[r->kind].meter : model ? "Usage" : "Calls",
	    1);
	put(c, C_PRICE_ID, ac_buf_cstr(&c->price_id), 1);
	ac_buf_reset(&c->tags);
	ac_buf_add(&c->tags, "{", 1);
	for (int d = 0; d < f->ndim; d++) {
		if (d)
			ac_buf_add(&c->tags, ",", 1);
		tags_str(&c->tags, f->dim_name[d]);
		ac_buf_add(&c->tags, ":", 1);
		tags_str(&c->tags, r->dim[d] ? r->dim[d] : "(none)");
	}
	ac_buf_add(&c->tags, "}", 1);
	put(c, C_TAGS, ac_buf_cstr(&c->tags), 1);
	put(c, C_TIER, r->tier >= 0 && r->tier < AC_TIER_N ? TIER_NAME[r->tier] : NULL, 1);
	if (c->sku.oom || c->price_id.oom || c->description.oom || c->tags.oom)
		return AC_ENOMEM;
	return 0;
}

void ac_focus_cells_release(ac_focus_cells *c)
{
	ac_buf_release(&c->sku);
	ac_buf_release(&c->price_id);
	ac_buf_release(&c->description);
	ac_buf_release(&c->tags);
}
