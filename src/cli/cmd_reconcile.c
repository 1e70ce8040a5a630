/*
 * agentcost reconcile FILE: the provider's bill against the traced cost.
 *
 * Reads a cost export (OpenAI's, Anthropic's or a day,model,cost_usd CSV;
 * src/analysis/reconcile.h), and prints per UTC day x model: billed,
 * traced, difference = billed - traced, share_untraced = difference /
 * billed (null when billed is 0), then a totals row (day "total", model
 * null). A negative difference means the traces account for more than the
 * bill (a price table above the provider's, or calls traced twice).
 * Bad bill rows are reported as file:line: reason and skipped (exit 3).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/reconcile.h"
#include "cli.h"
#include "pricing/pricing.h"
#include "util/timeutil.h"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: agentcost reconcile FILE [--since DAY] [--until DAY] [--system NAME] "
	            "[--format table|csv|json]\n"
	            "  FILE (- for standard input): OpenAI's costs export, Anthropic's cost\n"
	            "  export, or a CSV with day,model,cost_usd\n"
	            "  per UTC day x model: billed, traced, difference (billed - traced),\n"
	            "  share_untraced (difference / billed); the window defaults to the bill's\n"
	            "  days\n");
}

static void warn_row(const ac_err *e, void *payload)
{
	(void)payload;
	fprintf(stderr, "agentcost: warning: %s\n", e->msg);
}

static void put_row(out_table *t, const char *day, const char *model, double billed,
                    double traced, double difference, double share_untraced)
{
	out_str(t, day);
	out_str(t, model);
	out_num(t, billed);
	out_num(t, traced);
	out_num(t, difference);
	out_num(t, share_untraced);
}

int cmd_reconcile(int argc, char **argv)
{
	common_opts co;
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (argc != 2 || (argv[1][0] == '-' && argv[1][1])) {
		if (argc < 2)
			cli_error("reconcile: which bill? name a cost export FILE");
		else
			cli_error("reconcile: unexpected '%s'", argv[argc > 2 ? 2 : 1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *path = argv[1];
	ac_bill bill = AC_BILL_INIT;
	ac_recon rec = AC_RECON_INIT;
	ac_pricebook *pb = NULL;
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_FAIL;

	if (ac_bill_read(&bill, path, warn_row, NULL, &err)) {
		cli_error("%s", err.msg);
		goto done;
	}
	if (!(s = cli_open_store(&co, 0)))
		goto done;
	if (ac_pricebook_load(&pb, ac_store_db(s), &err) ||
	    ac_reconcile(&rec, s, pb, &bill, co.since_ns, co.until_ns, co.system, &err)) {
		cli_error("reconcile: %s", err.msg);
		goto done;
	}
	static const char *const names[] = { "day", "model", "billed", "traced", "difference",
		                             "share_untraced" };
	static const col_type types[] = { COL_STR, COL_STR, COL_USD, COL_USD, COL_USD, COL_NUM };
	out_table *t = out_table_new(names, types, 6);
	if (!t) {
		cli_error("reconcile: out of memory");
		goto done;
	}
	for (size_t i = 0; i < rec.n; i++) {
		char day[11];
		ac_format_day(rec.rows[i].day, day);
		const ac_recon_row *r = &rec.rows[i];
		put_row(t, day, r->key, r->billed, r->traced, r->difference, r->share_untraced);
	}
	put_row(t, "total", NULL, rec.billed, rec.traced, rec.difference, rec.share_untraced);
	out_table_print(t, stdout, co.format, "rows");
	if (co.format == FMT_TABLE)
		cli_note("reconcile: %s bill, %zu day x model rows%s", ac_bill_kind_name(bill.kind),
		         bill.n, bill.skipped ? ", bad rows skipped (see above)" : "");
	status = bill.skipped ? EXIT_SKIPPED : EXIT_OK;
done:
	ac_recon_release(&rec);
	ac_bill_release(&bill);
	ac_pricebook_free(pb);
	ac_store_close(s);
	return status;
}
