/*
 * Budgets (issue #17, item 5): `agentcost budget check FILE`. A budget file
 * is a CSV
 *
 *     scope,value,period,limit_usd
 *     user,alice,day,5
 *     user,*,month,100
 *     all,,week,2000
 *
 * scope: a dimension (user, session, agent, environment, system, task_type,
 * model, attr:KEY; dims.h) or `all`; value: one value of it ("(none)": the
 * tasks without one), or `*` for every value that spent in the period (for
 * `all`: `*` or empty); period: `day` (UTC calendar day), `week` (ISO week,
 * from Monday 00:00 UTC) or `month` (calendar month, UTC); limit_usd: a
 * positive amount in USD.
 *
 * For each budget and value, at an instant `now`:
 *   - the period is the one holding now: [period_start, period_end);
 *   - spent: the cost of the spans (calls) that start in [period_start, now),
 *     each attributed to its task's value of the dimension (dims.h: the root
 *     span's, else the earliest carrier's, else "(none)"); model is each
 *     span's own; eval tasks count (they are spend too);
 *   - share = spent / limit;
 *   - forecast, the spend expected by the period's end (below);
 *   - status: over when spent > limit; warn when spent >= 80% of the limit
 *     or the forecast exceeds the limit; else ok. Amounts are rounded to
 *     1e-9 USD before they are compared, so sums of decimals meet exactly.
 *
 * The forecast. History: the value's spend in the 4 weeks (28 days) just
 * before period_start, per hour slot of the week (weekday x hour of day,
 * UTC); each slot occurs exactly 4 times there, and its mean is
 *   m(slot) = (spend of the 4 hours of that slot) / 4.
 * The period splits at now into the elapsed part [period_start, now) and the
 * rest [now, period_end), each a run of hours (the hour holding now counts
 * in both, in proportion to the part of it on each side). Then
 *   baseline = sum of m(slot of h) over the elapsed hours h,
 *   expected = sum of m(slot of h) over the remaining hours h,
 *   ratio    = spent / baseline when baseline > 0, else 1,
 *   forecast = spent + ratio x expected:
 * the rest of the period follows the past 4 weeks' weekly shape at the level
 * this period has run at so far. A value with no spend at all in the 4 weeks
 * is extrapolated linearly instead: spent x period length / elapsed time
 * (spent itself when nothing has elapsed).
 */
#ifndef AC_BUDGET_H
#define AC_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "../pricing/pricing.h"
#include "../store/store.h"
#include "../util/err.h"
#include "query.h"

typedef enum { AC_BUDGET_DAY, AC_BUDGET_WEEK, AC_BUDGET_MONTH } ac_budget_period;
typedef enum { AC_BUDGET_OK, AC_BUDGET_WARN, AC_BUDGET_OVER } ac_budget_status;

#define AC_BUDGET_SLOTS 168           /* hours of a week: Monday 00:00 is slot 0 */
#define AC_BUDGET_HISTORY_WEEKS 4

/* "day", "week", "month"; "ok", "warn", "over". */
const char *ac_budget_period_name(ac_budget_period p);
const char *ac_budget_status_name(ac_budget_status s);

/* One line of the budget file. */
typedef struct ac_budget {
	char *scope;    /* as written: "user", "attr:team", "all" (owned) */
	int all;        /* 1: scope all (dim unused) */
	ac_dim dim;     /* the dimension; points into scope */
	char *value;    /* the value (owned); NULL: every value (`*`, or all) */
	ac_budget_period period;
	double limit_usd;
	long long line; /* in the file */
} ac_budget;

typedef struct ac_budget_list {
	ac_budget *b;
	size_t n, cap;
	int bad; /* rows refused (each reported through warn) */
} ac_budget_list;

#define AC_BUDGET_LIST_INIT { NULL, 0, 0, 0 }

/*
 * Parse a budget file (path is for messages). Every bad row goes to warn
 * (which may be NULL) as "PATH:LINE: reason" and is counted in out->bad; the
 * file is then refused as a whole: AC_EPARSE (a budget check that silently
 * skipped a budget would say "ok" about money it never looked at). AC_EPARSE
 * too for malformed CSV or a wrong header; AC_ENOMEM. Release out with
 * ac_budget_list_release() in every case.
 */
int ac_budget_parse(ac_budget_list *out, const char *text, size_t len, const char *path,
                    ac_warn_fn warn, void *payload, ac_err *err);
/* The same from a file, "-" for standard input (AC_EIO when unreadable). */
int ac_budget_read(ac_budget_list *out, const char *path, ac_warn_fn warn, void *payload,
                   ac_err *err);
void ac_budget_list_release(ac_budget_list *l);

/* The period of p holding now_ns: its start, and its end in *end_ns. */
int64_t ac_budget_period_start(ac_budget_period p, int64_t now_ns, int64_t *end_ns);

/* The week slot (0..167, Monday 00:00 UTC = 0) of the hour holding t_ns. */
int ac_budget_slot(int64_t t_ns);

/*
 * The forecast arithmetic (above), pure: hist[slot] the value's spend in
 * that slot summed over the history weeks the store holds of that slot,
 * weeks[slot] of them (NULL: all 4; a week before the store's first span is
 * not known, not a week without spend); elapsed[slot] and rest[slot] the
 * hours (fractions for the hour holding now) of that slot in the elapsed
 * part and in the rest of the period; elapsed_ns and length_ns of the
 * period, for the linear fallback, which is also taken when an hour of the
 * period has no known week.
 */
double ac_budget_forecast(const double hist[AC_BUDGET_SLOTS], const double weeks[AC_BUDGET_SLOTS],
                          const double elapsed[AC_BUDGET_SLOTS],
                          const double rest[AC_BUDGET_SLOTS], double spent, int64_t elapsed_ns,
                          int64_t length_ns);

/* The status of spent and forecast against limit (amounts rounded to 1e-9). */
ac_budget_status ac_budget_judge(double spent, double limit, double forecast);

typedef struct ac_budget_row {
	size_t budget;     /* index in the list */
	char *value;       /* the value ("*" for scope all) */
	int64_t period_start_ns, period_end_ns;
	double spent, limit, share, forecast; /* USD, rounded to 1e-9 */
	ac_budget_status status;
} ac_budget_row;

typedef struct ac_budget_result {
	ac_budget_row *rows; /* the budgets in file order; a `*` budget's values by
	                      * spent, highest first, ties by value */
	size_t n, cap;
	int64_t now_ns;      /* the instant checked */
	size_t over;         /* rows with status over */
} ac_budget_result;

/*
 * Check every budget of l at now_ns (INT64_MIN: just after the newest span's
 * start, so that span counts; AC_EINVAL when the store has no span). A
 * budget with a value has one row (spent 0 when nothing was spent); a `*`
 * budget one row per value with spend in the period. Returns 0, AC_ESQL,
 * AC_ENOMEM, AC_EINVAL; release out with ac_budget_result_free in every case.
 */
int ac_budget_run(ac_store *s, const ac_budget_list *l, int64_t now_ns, ac_budget_result *out,
                  ac_err *err);
void ac_budget_result_free(ac_budget_result *r);

#endif
