/*
 * Budgets (budget.h): the budget file, the periods, and each budget's spend
 * and forecast. The budgets of one scope and period share one pass over
 * queries/budget_spend.sql in value order (after ac_dims_prepare over the
 * history and the period), so a value needs only its 168 history slots while
 * it is read, however many values there are; the rows kept are the result.
 */
#include "budget.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/csvrec.h"
#include "../util/map.h"
#include "../util/timeutil.h"
#include "dims.h"

#define NS_PER_HOUR (3600LL * AC_NS_PER_SEC)
#define HISTORY_NS ((int64_t)AC_BUDGET_HISTORY_WEEKS * 7 * AC_NS_PER_DAY)
#define MAX_BUDGET_BYTES ((size_t)64 << 20)

static const char *const PERIODS[] = { "day", "week", "month" };
static const char *const STATUSES[] = { "ok", "warn", "over" };
static const char *const HEADER[] = { "scope", "value", "period", "limit_usd" };

const char *ac_budget_period_name(ac_budget_period p)
{
	return PERIODS[p];
}

const char *ac_budget_status_name(ac_budget_status s)
{
	return STATUSES[s];
}

/* ---- the file ------------------------------------------------------------ */

void ac_budget_list_release(ac_budget_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->b[i].scope);
		free(l->b[i].value);
	}
	free(l->b);
	memset(l, 0, sizeof(*l));
}

/* A plain positive decimal ("5", "0.25", "1e3"); not "$5", "1,5", "-1",
 * "nan", "inf", "0x10" (a typo must not become a different budget). */
static int amount(const char *s, double *out)
{
	if (!isdigit((unsigned char)s[0]) && !(s[0] == '.' && isdigit((unsigned char)s[1])))
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p) && !strchr(".eE+-", *p))
			return -1;
	char *end;
	double v = strtod(s, &end);
	if (*end || !isfinite(v) || v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* One row's meaning into b; the reason into why (empty: fine). */
static void budget_row(const ac_csv_rec *r, ac_budget *b, char *why, size_t n)
{
	ac_err e = AC_ERR_INIT;
	why[0] = '\0';
	if (r->n != 4) {
		snprintf(why, n, "expected 4 cells (scope,value,period,limit_usd), found %d", r->n);
		return;
	}
	const char *scope = r->cell[0], *value = r->cell[1], *period = r->cell[2];
	b->all = !strcmp(scope, "all");
	if (!b->all && ac_dim_parse(scope, &b->dim, &e)) {
		snprintf(why, n, "%s (or all)", e.msg);
		return;
	}
	if (b->all && value[0] && strcmp(value, "*")) {
		snprintf(why, n, "scope all takes the value * or nothing, not \"%s\"", value);
		return;
	}
	if (!b->all && !value[0]) {
		snprintf(why, n, "no value: a value of %s, or * for every value that spent", scope);
		return;
	}
	int p = -1;
	for (int k = 0; k < 3; k++)
		if (!strcmp(period, PERIODS[k]))
			p = k;
	if (p < 0) {
		snprintf(why, n, "unknown period \"%s\": day, week or month", period);
		return;
	}
	b->period = (ac_budget_period)p;
	if (amount(r->cell[3], &b->limit_usd))
		snprintf(why, n, "limit_usd \"%s\" is not a positive amount in USD (like 250 or 12.5)",
		         r->cell[3]);
}

/* Copy the row's cells into the list's own budget (b->dim points into scope). */
static int keep(ac_budget_list *l, const ac_csv_rec *r, const ac_budget *b)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 16;
		ac_budget *nb = realloc(l->b, nc * sizeof(*nb));
		if (!nb)
			return -1;
		l->b = nb;
		l->cap = nc;
	}
	ac_budget *k = &l->b[l->n];
	*k = *b;
	k->scope = strdup(r->cell[0]);
	k->value = NULL;
	if (!b->all && strcmp(r->cell[1], "*"))
		k->value = strdup(r->cell[1]);
	if (!k->scope || (!b->all && strcmp(r->cell[1], "*") && !k->value)) {
		free(k->scope);
		free(k->value);
		return -1;
	}
	if (!k->all) {
		ac_err e = AC_ERR_INIT;
		ac_dim_parse(k->scope, &k->dim, &e); /* parsed once already: cannot fail */
	}
	l->n++;
	return 0;
}

static int header_ok(const ac_csv_rec *h)
{
	if (h->n != 4)
		return 0;
	for (int k = 0; k < 4; k++)
		if (strcasecmp(h->cell[k], HEADER[k]))
			return 0;
	return 1;
}

int ac_budget_parse(ac_budget_list *out, const char *text, size_t len, const char *path,
                    ac_warn_fn warn, void *payload, ac_err *err)
{
	ac_csv_doc cs = AC_CSV_DOC_INIT;
	size_t first = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = ac_csv_split(&cs, text, len, path, err)) < 0)
		goto done;
	while (first < cs.n && ac_csv_blank(&cs.rec[first]))
		first++;
	if (first == cs.n) {
		rc = ac_err_setpos(err, AC_EPARSE, 1, 0, "%s:1: empty file: the header "
		                   "scope,value,period,limit_usd is missing", path);
		goto done;
	}
	if (!header_ok(&cs.rec[first])) {
		long long line = cs.rec[first].line;
		rc = ac_err_setpos(err, AC_EPARSE, line, 0, "%s:%lld: the header must be "
		                   "scope,value,period,limit_usd", path, line);
		goto done;
	}
	for (size_t i = first + 1; i < cs.n; i++) {
		const ac_csv_rec *r = &cs.rec[i];
		if (ac_csv_blank(r))
			continue;
		ac_budget b = { 0 };
		char why[600];
		b.line = r->line;
		budget_row(r, &b, why, sizeof(why));
		if (why[0]) {
			out->bad++;
			ac_err e = AC_ERR_INIT;
			ac_err_setpos(&e, AC_EPARSE, r->line, 0, "%s:%lld: %s", path, r->line, why);
			if (warn)
				warn(&e, payload);
			continue;
		}
		if (keep(out, r, &b)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
			goto done;
		}
	}
	rc = 0;
	if (out->bad)
		rc = ac_err_set(err, AC_EPARSE, "%s: %d bad budget row%s: nothing checked", path,
		                out->bad, out->bad == 1 ? "" : "s");
done:
	ac_csv_doc_release(&cs);
	return rc;
}

int ac_budget_read(ac_budget_list *out, const char *path, ac_warn_fn warn, void *payload,
                   ac_err *err)
{
	char *data;
	size_t n;
	const char *label;
	memset(out, 0, sizeof(*out));
	int rc = ac_read_path(path, MAX_BUDGET_BYTES, "budget file", &data, &n, &label, err);
	if (rc)
		return rc;
	rc = ac_budget_parse(out, data, n, label, warn, payload, err);
	free(data);
	return rc;
}

/* ---- periods ------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return q - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t ac_budget_period_start(ac_budget_period p, int64_t now_ns, int64_t *end_ns)
{
	int64_t day = floor_div(now_ns, AC_NS_PER_DAY), first = day, next = day + 1;
	if (p == AC_BUDGET_WEEK) {
		/* ISO 8601: weeks start on Monday; 1970-01-01 (day 0) was a Thursday */
		first = day - (int64_t)(((day % 7) + 7 + 3) % 7);
		next = first + 7;
	} else if (p == AC_BUDGET_MONTH) {
		int y;
		unsigned m, d;
		ac_civil_from_days(day, &y, &m, &d);
		first = ac_days_from_civil(y, m, 1);
		next = m == 12 ? ac_days_from_civil((int64_t)y + 1, 1, 1)
		               : ac_days_from_civil(y, m + 1, 1);
	}
	*end_ns = next * AC_NS_PER_DAY;
	return first * AC_NS_PER_DAY;
}

int ac_budget_slot(int64_t t_ns)
{
	int64_t day = floor_div(t_ns, AC_NS_PER_DAY);
	int64_t weekday = ((day % 7) + 7 + 3) % 7; /* Monday 0 */
	int64_t hour = (t_ns - day * AC_NS_PER_DAY) / NS_PER_HOUR;
	return (int)(weekday * 24 + hour);
}

/* The hours of each slot in [start, now) and in [now, end): whole hours,
 * and the hour holding now split in proportion. start is a midnight. */
static void period_hours(int64_t start, int64_t now, int64_t end, double elapsed[],
                         double rest[])
{
	memset(elapsed, 0, AC_BUDGET_SLOTS * sizeof(double));
	memset(rest, 0, AC_BUDGET_SLOTS * sizeof(double));
	int slot = ac_budget_slot(start);
	for (int64_t t = start; t < end; t += NS_PER_HOUR, slot = (slot + 1) % AC_BUDGET_SLOTS) {
		double done = now >= t + NS_PER_HOUR ? 1.0
		              : now <= t            ? 0.0
		                                    : (double)(now - t) / (double)NS_PER_HOUR;
		elapsed[slot] += done;
		rest[slot] += 1.0 - done;
	}
}

/* ---- the forecast and the status ----------------------------------------- */

double ac_budget_forecast(const double hist[AC_BUDGET_SLOTS], const double weeks[AC_BUDGET_SLOTS],
                          const double elapsed[AC_BUDGET_SLOTS],
                          const double rest[AC_BUDGET_SLOTS], double spent, int64_t elapsed_ns,
                          int64_t length_ns)
{
	double baseline = 0, expected = 0;
	int any = 0, unknown = 0;
	for (int k = 0; k < AC_BUDGET_SLOTS; k++) {
		double n = weeks ? weeks[k] : AC_BUDGET_HISTORY_WEEKS;
		if (n <= 0) { /* no week of the store holds this hour */
			unknown += elapsed[k] > 0 || rest[k] > 0;
			continue;
		}
		double mean = hist[k] / n;
		baseline += mean * elapsed[k];
		expected += mean * rest[k];
		any += hist[k] != 0;
	}
	/* no history (or hours of the period no week shows): the period so
	 * far, stretched over the whole */
	if (!any || unknown)
		return elapsed_ns > 0 ? spent * (double)length_ns / (double)elapsed_ns : spent;
	double ratio = baseline > 0 ? spent / baseline : 1.0;
	return spent + ratio * expected;
}

static double nano(double usd)
{
	return round(usd * 1e9);
}

ac_budget_status ac_budget_judge(double spent, double limit, double forecast)
{
	/* in whole nano-dollars: 5 x spent >= 4 x limit is "80%" without a
	 * rounding error at the boundary */
	double s = nano(spent), l = nano(limit), f = nano(forecast);
	if (s > l)
		return AC_BUDGET_OVER;
	if (5 * s >= 4 * l || f > l)
		return AC_BUDGET_WARN;
	return AC_BUDGET_OK;
}

/* ---- running the budgets -------------------------------------------------- */

void ac_budget_result_free(ac_budget_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i].value);
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

/*
 * One pass serves every budget of the same scope and period (a budget file
 * often names many users of one scope): the budgets of the group, and a map
 * from a named value to the first of them naming it (the others through
 * next[]), so each value read is matched in constant time.
 */
typedef struct group {
	const ac_budget_list *l;
	size_t *member; /* budget indexes, in file order */
	size_t n;
	size_t *next;   /* 1 + the member naming the same value next; 0: none */
	int *hit;       /* a member naming a value, or all, got its row */
	ac_map named;   /* value -> 1 + the first member naming it */
	size_t nstar;   /* members with every value (`*`, or scope all) */
} group;

/* What a group's pass needs while it reads the values. */
typedef struct pass {
	group *g;
	int64_t start, end, now;
	int hist_slot0; /* the slot of the history's first hour */
	double weeks[AC_BUDGET_SLOTS]; /* history weeks the store holds, per slot */
	double elapsed[AC_BUDGET_SLOTS], rest[AC_BUDGET_SLOTS];
	/* the value being read */
	char *value;
	double spent, hist[AC_BUDGET_SLOTS];
} pass;

static int add_row(ac_budget_result *out, const pass *p, size_t budget, const char *value,
                   ac_err *err)
{
	if (out->n == out->cap) {
		size_t nc = out->cap ? 2 * out->cap : 16;
		ac_budget_row *nr = realloc(out->rows, nc * sizeof(*nr));
		if (!nr)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		out->rows = nr;
		out->cap = nc;
	}
	ac_budget_row *r = &out->rows[out->n];
	if (!(r->value = strdup(value)))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	double fc = ac_budget_forecast(p->hist, p->weeks, p->elapsed, p->rest, p->spent, p->now - p->start,
	                               p->end - p->start);
	r->budget = budget;
	r->period_start_ns = p->start;
	r->period_end_ns = p->end;
	r->spent = nano(p->spent) / 1e9;
	r->forecast = nano(fc) / 1e9;
	r->limit = p->g->l->b[budget].limit_usd;
	r->share = r->spent / r->limit;
	r->status = ac_budget_judge(p->spent, r->limit, fc);
	out->over += r->status == AC_BUDGET_OVER;
	out->n++;
	return 0;
}

/* The value read so far is complete: a row for each member naming it, and
 * for each `*` member when it spent in the period (scope all: always). */
static int flush(ac_budget_result *out, pass *p, ac_err *err)
{
	group *g = p->g;
	int rc = 0;
	if (!p->value)
		return 0;
	int64_t at;
	if (ac_map_get(&g->named, p->value, strlen(p->value), &at))
		for (size_t k = (size_t)at; k && !rc; k = g->next[k - 1]) {
			g->hit[k - 1] = 1;
			rc = add_row(out, p, g->member[k - 1], p->value, err);
		}
	for (size_t k = 0; k < g->n && g->nstar && !rc; k++) {
		const ac_budget *b = &g->l->b[g->member[k]];
		if (!b->value && (b->all || nano(p->spent) > 0)) {
			g->hit[k] = 1;
			rc = add_row(out, p, g->member[k], p->value, err);
		}
	}
	free(p->value);
	p->value = NULL;
	p->spent = 0;
	memset(p->hist, 0, sizeof(p->hist));
	return rc;
}

/* Rows in file order; a budget's values by spent, highest first. */
static int by_budget(const void *x, const void *y)
{
	const ac_budget_row *a = x, *b = y;
	if (a->budget != b->budget)
		return a->budget < b->budget ? -1 : 1;
	if (a->spent != b->spent)
		return a->spent > b->spent ? -1 : 1;
	return strcmp(a->value, b->value);
}

static int same_group(const ac_budget *a, const ac_budget *b)
{
	return a->period == b->period && !strcmp(a->scope, b->scope);
}

/* The group of budget `first` (every later budget of its scope and period),
 * marking them done. */
static int group_of(const ac_budget_list *l, size_t first, char *done, group *g, ac_err *err)
{
	memset(g, 0, sizeof(*g));
	g->l = l;
	ac_map_init(&g->named, 0);
	size_t n = 0;
	for (size_t i = first; i < l->n; i++)
		n += !done[i] && same_group(&l->b[first], &l->b[i]);
	g->member = calloc(n, sizeof(*g->member));
	g->next = calloc(n, sizeof(*g->next));
	g->hit = calloc(n, sizeof(*g->hit));
	if (!g->member || !g->next || !g->hit)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t i = first; i < l->n; i++) {
		const ac_budget *b = &l->b[i];
		if (done[i] || !same_group(&l->b[first], b))
			continue;
		done[i] = 1;
		size_t k = g->n++;
		g->member[k] = i;
		if (!b->value) {
			g->nstar++;
			continue;
		}
		int64_t at;
		if (ac_map_get(&g->named, b->value, strlen(b->value), &at)) {
			size_t last = (size_t)at;
			while (g->next[last - 1])
				last = g->next[last - 1];
			g->next[last - 1] = k + 1;
		} else if (ac_map_put(&g->named, b->value, strlen(b->value), (int64_t)k + 1)) {
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static void group_release(group *g)
{
	free(g->member);
	free(g->next);
	free(g->hit);
	ac_map_release(&g->named);
}

/* The one value every member names, or NULL (a `*` member, or several). */
static const char *only_value(const group *g)
{
	if (g->nstar)
		return NULL;
	const char *v = g->l->b[g->member[0]].value;
	for (size_t k = 1; k < g->n; k++)
		if (strcmp(v, g->l->b[g->member[k]].value))
			return NULL;
	return v;
}

static int one_group(ac_store *s, group *g, int64_t now, int64_t first_ns, ac_budget_result *out,
                     ac_err *err)
{
	const ac_budget *b = &g->l->b[g->member[0]];
	pass *p = calloc(1, sizeof(*p));
	if (!p)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	p->g = g;
	p->now = now;
	p->start = ac_budget_period_start(b->period, now, &p->end);
	int64_t since = p->start - HISTORY_NS;
	p->hist_slot0 = ac_budget_slot(since);
	period_hours(p->start, now, p->end, p->elapsed, p->rest);
	/* an hour of the history counts as known from the hour holding the
	 * store's first span on */
	for (int64_t h = 0; h < (int64_t)AC_BUDGET_HISTORY_WEEKS * AC_BUDGET_SLOTS; h++)
		if (since + (h + 1) * NS_PER_HOUR > first_ns)
			p->weeks[(p->hist_slot0 + h) % AC_BUDGET_SLOTS] += 1;

	/* the task values over the history and the period together: a task's
	 * value is its own (dims.h), whichever window finds it */
	ac_query q = ac_query_window(since, now);
	q.by = &b->dim;
	q.nby = b->all ? 0 : 1;
	q.dims = 1;
	ac_dims_info info;
	ac_rows *r = NULL;
	const char *only = only_value(g);
	int rc = ac_dims_prepare(s, &q, &info, err);
	if (!rc)
		rc = ac_store_rows(s, "budget_spend.sql", since, now, NULL, AC_ROWS_SCAN, &r, err);
	if (rc)
		goto done;
	ac_rows_bind_int(r, 4, p->start);
	ac_rows_bind_int(r, 5, b->all ? 2 : b->dim.kind == AC_DIM_MODEL ? 1 : 0);
	ac_rows_bind_text(r, 6, only); /* NULL: every value (bound: ClickHouse has no default) */
	while ((rc = ac_rows_next(r, err)) > 0) {
		rc = 0;
		const char *v = ac_rows_text(r, 0);
		int64_t h = ac_rows_int(r, 1);
		double cost = ac_rows_double(r, 2);
		if (!v)
			continue;
		if (!p->value || strcmp(p->value, v)) {
			if ((rc = flush(out, p, err)))
				break;
			if (!(p->value = strdup(v))) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
		}
		if (h < 0)
			p->spent += cost;
		else if (h < (int64_t)AC_BUDGET_HISTORY_WEEKS * AC_BUDGET_SLOTS)
			p->hist[(p->hist_slot0 + h) % AC_BUDGET_SLOTS] += cost;
	}
	if (!rc)
		rc = flush(out, p, err);
	/* a named value (or all) that nothing was attributed to: spent 0 */
	for (size_t k = 0; k < g->n && !rc; k++) {
		const ac_budget *m = &g->l->b[g->member[k]];
		if (!g->hit[k] && (m->value || m->all))
			rc = add_row(out, p, g->member[k], m->all ? "*" : m->value, err);
	}
done:
	free(p->value);
	free(p);
	ac_rows_free(r);
	return rc;
}

int ac_budget_run(ac_store *s, const ac_budget_list *l, int64_t now_ns, ac_budget_result *out,
                  ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (now_ns == INT64_MIN) {
		ac_rows *r;
		int rc = ac_store_rows(s, "budget_newest.sql", 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
		if (rc)
			return rc;
		int empty = 1;
		if ((rc = ac_rows_next(r, err)) > 0 && !ac_rows_null(r, 0)) {
			now_ns = ac_rows_int(r, 0) + 1; /* the newest span counts */
			empty = 0;
		}
		ac_rows_free(r);
		if (rc < 0)
			return rc;
		if (empty)
			return ac_err_set(err, AC_EINVAL, "the store has no spans: give the time to "
			                  "check at with --now");
	}
	out->now_ns = now_ns;
	/* the oldest task start: the history weeks before it are not known */
	int64_t first_ns = INT64_MAX;
	ac_rows *fr;
	int frc = ac_store_rows(s, "budget_oldest.sql", 0, 0, NULL, AC_ROWS_PLAIN, &fr, err);
	if (frc)
		return frc;
	if ((frc = ac_rows_next(fr, err)) > 0 && !ac_rows_null(fr, 0))
		first_ns = ac_rows_int(fr, 0);
	ac_rows_free(fr);
	if (frc < 0)
		return frc;
	char *done = calloc(l->n ? l->n : 1, 1);
	if (!done)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; i < l->n && !rc; i++) {
		if (done[i])
			continue;
		group g;
		if (!(rc = group_of(l, i, done, &g, err)))
			rc = one_group(s, &g, now_ns, first_ns, out, err);
		group_release(&g);
	}
	free(done);
	if (rc) {
		ac_budget_result_free(out);
		return rc;
	}
	if (out->n) /* qsort(NULL, 0, ...) is undefined */
		qsort(out->rows, out->n, sizeof(*out->rows), by_budget);
	return 0;
}
