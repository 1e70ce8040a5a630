/*
 * Reconcile: the provider's bill against the traced cost.
 *
 * A bill is a provider's cost export (CSV). Its format is told by its header,
 * never by the file name:
 *
 *   OpenAI organization Costs export (platform.openai.com/usage, "Export" in
 *     the Cost view; the same fields as GET /v1/organization/costs flattened):
 *       start_time,end_time,start_time_iso,end_time_iso,amount_value,
 *       amount_currency,quantity,quantity_unit,line_item,user_id,api_key_id,
 *       project_id,organization_id,project_name,organization_name,...
 *     Needs line_item, amount_value and start_time or start_time_iso. One row
 *     per daily bucket [start_time, end_time) and line item; a line item
 *     names the model before its first comma ("gpt-4o-mini-2024-07-18,
 *     input"), so the token-type items of one model add up into one row. A
 *     row with neither amount nor line item is an empty bucket (skipped, not
 *     an error). amount_currency must be empty or "usd".
 *   Anthropic Console Cost export (console.anthropic.com, Cost, "Export"):
 *       usage_date_utc,model,workspace,api_key,usage_type,context_window,
 *       token_type,cost_usd,list_price_usd,cost_type,...
 *     Needs model, usage_date_utc (or date) and cost_usd (or total_cost). One
 *     row per day, model, workspace, key and token type; they add up. The
 *     model column holds display names ("Claude Haiku 4.5"): a name with a
 *     space is lower-cased, its spaces and dots turned into '-'
 *     ("claude-haiku-4-5"), the API id the traces carry without its date.
 *     (Anthropic's Usage export -- token counts, no cost -- is refused.)
 *   Generic: a header with day, model and cost_usd (any order, other columns
 *     ignored), one or more rows per day and model.
 *
 * Dates are read liberally: an ISO date, an ISO date-time (with or without a
 * zone; a zone converts to UTC), or unix seconds; the row counts on its UTC
 * day. Numbers strictly: a plain non-negative decimal ("0.0123", "1e-3");
 * anything else ("$1", "1,5", "=1+1", "-0.5", "nan") makes the row bad: it is
 * reported as "file:line: reason" and skipped, the others are kept.
 * A row without a model counts on the model "(unattributed)".
 *
 * Model names meet through the pricebook's name resolution: the key of a
 * name is the price table key it resolves to (ac_pricebook_model's matched,
 * or the name itself when unpriced), lower-cased, without a provider prefix
 * ("openai/") and without a date suffix ("-2024-07-18", "-20241022",
 * "@20241022"). So "gpt-4o-mini-2024-07-18" on the bill, "gpt-4o-mini" and
 * "openai/gpt-4o-mini-2024-07-18" in the traces share the row "gpt-4o-mini".
 */
#ifndef AC_RECONCILE_H
#define AC_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "../pricing/pricing.h"
#include "../store/store.h"
#include "../util/err.h"

enum { AC_BILL_OPENAI = 1, AC_BILL_ANTHROPIC = 2, AC_BILL_GENERIC = 3 };

#define AC_BILL_UNATTRIBUTED "(unattributed)"

typedef struct ac_bill_row {
	int64_t day;     /* UTC days since 1970-01-01 */
	char *model;     /* the model as the bill names it (normalised as above) */
	double cost_usd; /* summed over the bill's rows of this day and model */
} ac_bill_row;

typedef struct ac_bill {
	int kind;          /* AC_BILL_* */
	ac_bill_row *rows; /* sorted by day, then model (byte order) */
	size_t n, cap;
	int skipped; /* bad rows skipped (each reported through warn) */
} ac_bill;

#define AC_BILL_INIT { 0, NULL, 0, 0, 0 }

/* "openai", "anthropic", "generic" */
const char *ac_bill_kind_name(int kind);

/*
 * Parse a bill from text (path is for messages). Bad rows go to warn (which
 * may be NULL) with err->line and err->msg set ("PATH:LINE: reason") and are
 * counted in out->skipped. Returns 0; AC_EFORMAT when the header is none of
 * the formats (the message names the accepted ones); AC_EPARSE for malformed
 * CSV; AC_ENOMEM. Release out with ac_bill_release() in every case.
 */
int ac_bill_parse(ac_bill *out, const char *text, size_t len, const char *path,
                  ac_warn_fn warn, void *payload, ac_err *err);
/* The same from a file, "-" for standard input (AC_EIO when it cannot be
 * read). */
int ac_bill_read(ac_bill *out, const char *path, ac_warn_fn warn, void *payload, ac_err *err);
void ac_bill_release(ac_bill *b);

/* The matching key of a model name (rule above), malloc'd; NULL on OOM.
 * NULL or "" -> "(unattributed)". */
char *ac_reconcile_key(ac_pricebook *pb, const char *model);

typedef struct ac_recon_row {
	int64_t day;
	char *key;     /* the model key */
	double billed; /* USD on the bill */
	double traced; /* USD of the traced LLM calls (unpriced calls count 0) */
	double difference;     /* billed - traced, to the nano-dollar */
	double share_untraced; /* (billed - traced) / billed; NaN when billed is 0 */
} ac_recon_row;

typedef struct ac_recon {
	ac_recon_row *rows; /* sorted by day, then key */
	size_t n, cap;
	double billed, traced; /* totals */
	int64_t first_day, last_day; /* the window's days; first > last when empty */
	double difference, share_untraced; /* of the totals, as in a row */
} ac_recon;

#define AC_RECON_INIT { NULL, 0, 0, 0, 0, 0, -1, 0, 0 }

/*
 * Join the bill with the traced cost per UTC day x model key (the traced
 * side from queries/reconcile.sql: LLM spans by start time, of `system`'s
 * tasks when system is not NULL). The window is [since_ns, until_ns); an
 * open end (INT64_MIN / INT64_MAX) closes at the bill's first day / the end
 * of its last day. Bill rows outside the window are left out. Every key of
 * either side appears: untraced bill spend with traced 0, traced-only models
 * with billed 0. Amounts (rows and totals) are rounded to 1e-9 USD, so
 * equal sums of differently added decimals compare equal. Returns 0,
 * AC_ESQL, AC_ENOMEM. Release with ac_recon_release() in every case.
 */
int ac_reconcile(ac_recon *out, ac_store *s, ac_pricebook *pb, const ac_bill *bill,
                 int64_t since_ns, int64_t until_ns, const char *system, ac_err *err);
void ac_recon_release(ac_recon *r);

#endif
