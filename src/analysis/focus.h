/*
 * The window's cost as FinOps FOCUS 1.2 cost-and-usage rows (`agentcost
 * export focus`): one row per charge period (UTC day) x provider x what was
 * bought x service tier x price, with the FOCUS columns as text.
 *
 * What was bought (ac_focus_what):
 *   AC_FOCUS_TOKENS  the tokens of one kind of an LLM model's calls priced
 *                    from the price table: each call's cost split into the
 *                    terms of the price formula (pricing.h,
 *                    ac_cost_llm_split), so the rows of a call sum to the
 *                    cost stored for it. SkuId model/kind (gpt-4o-mini/input).
 *   AC_FOCUS_PRODUCER an unpriced model's calls at the cost their producer
 *                    reported (cost_src 2): no list price. SkuId model/usage.
 *   AC_FOCUS_RECORDED table-priced calls whose stored cost today's prices do
 *                    not reproduce (prices changed without a re-pricing, e.g.
 *                    a store ingested by an older binary): their stored cost
 *                    whole, no split. SkuId model/usage.
 *   AC_FOCUS_CALLS   a paid tool's calls at its per-call price. SkuId the tool.
 * The sum of BilledCost over the rows is summary's cost_total for the same
 * window and system (queries/focus.sql: the same spans), up to rounding.
 *
 * Rows are read with the iterator: ac_focus_open reads the spans once
 * (queries/focus.sql) and keeps one sum per output row (memory grows with the
 * rows, not the spans), sorted; ac_focus_next hands them out in order.
 */
#ifndef AC_FOCUS_H
#define AC_FOCUS_H

#include <stdint.h>

#include "../pricing/pricing.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "query.h"

typedef enum ac_focus_what {
	AC_FOCUS_TOKENS,
	AC_FOCUS_PRODUCER,
	AC_FOCUS_RECORDED,
	AC_FOCUS_CALLS,
} ac_focus_what;

typedef struct ac_focus_row {
	int64_t day;          /* the charge period: days since 1970-01-01, UTC */
	const char *provider; /* the calls' provider attribute; NULL: none */
	const char *name;     /* the model (tool for AC_FOCUS_CALLS); NULL: none */
	ac_focus_what what;
	int kind;             /* AC_FOCUS_TOKENS: AC_PK_* */
	int tier;             /* AC_TIER_* priced (unknown tiers price as standard); -1
	                       * for tools, which have none */
	int64_t above;        /* AC_FOCUS_TOKENS: the context tier (pricing.h), 0 base */
	double unit_price;    /* USD per million tokens (TOKENS), per call (CALLS); NAN:
	                       * none (PRODUCER, RECORDED) */
	double quantity;      /* tokens (TOKENS), else calls */
	long long calls;      /* the calls summed in the row */
	double cost_usd;      /* BilledCost */
	const char *dim[2];   /* the --by dimensions' values (Tags); NULL: none asked */
} ac_focus_row;

typedef struct ac_focus ac_focus;

/*
 * Read the window of q with the prices of pb (which must be the prices the
 * store was priced with: the CLI loads it from the same store). Returns 0
 * and *out (free with ac_focus_close), AC_EINVAL for a bad dimension list,
 * AC_ESQL or AC_ENOMEM. With q->dims, rows are split further by the task's
 * value of each --by dimension (model: the call's own), written as Tags
 * {"DIM":"value"}, and --where keeps the spans of the tasks that pass.
 */
int ac_focus_open(ac_store *s, ac_pricebook *pb, const ac_query *q, ac_focus **out, ac_err *err);
/* The next row in order (day, provider, name, what, tier, context tier,
 * token kind in the formula's order, price), NULL after the last. Valid
 * until ac_focus_close. */
const ac_focus_row *ac_focus_next(ac_focus *f);
void ac_focus_close(ac_focus *f);
/* Sum of cost_usd over the rows. */
double ac_focus_total(const ac_focus *f);

/* ---- The FOCUS columns -------------------------------------------------- */

/* The columns written, in order: FOCUS 1.2's 21 Mandatory columns, with the
 * Conditional and Recommended ones that apply (ChargeFrequency,
 * ConsumedQuantity, ConsumedUnit, ListUnitPrice, ServiceSubcategory, SkuId,
 * SkuMeter, SkuPriceId, Tags), in the specification's (alphabetical) order,
 * then the custom column x_ServiceTier (FOCUS names custom columns x_*). */
#define AC_FOCUS_NCOL 31
extern const char *const ac_focus_columns[AC_FOCUS_NCOL];

/* One row's cells as text: cell[i] for column i, NULL for a null (an empty
 * CSV cell); text[i] 1 when the cell is text (the CSV formula guard applies),
 * 0 for numbers and dates. Pointers into the row and into the buffers here. */
typedef struct ac_focus_cells {
	const char *cell[AC_FOCUS_NCOL];
	int text[AC_FOCUS_NCOL];
	char num[6][48];   /* numbers */
	char date[4][40];  /* charge and billing period ends */
	ac_buf sku, price_id, description, tags;
} ac_focus_cells;

#define AC_FOCUS_CELLS_INIT { { NULL }, { 0 }, { { 0 } }, { { 0 } }, AC_BUF_INIT, AC_BUF_INIT, \
	                      AC_BUF_INIT, AC_BUF_INIT }

/* Fill c with the cells of row r of f (the window of f clips the charge
 * period). Returns 0 or AC_ENOMEM. Release c's buffers with
 * ac_focus_cells_release. */
int ac_focus_cells_fill(const ac_focus *f, const ac_focus_row *r, ac_focus_cells *c);
void ac_focus_cells_release(ac_focus_cells *c);

#endif
