/*
 * agentcost recommend [--tolerance T] [--min-samples N] [--accuracy-floor A]
 *                     [--frontier] [--write-map FILE] [--output-ratio ...]
 *
 * Which model each complexity class (per task type) should be routed to,
 * from the eval scores of the window: for a class served now by M, the
 * cheapest model M' whose accuracy's lower 95% bound is >= M's accuracy - T
 * (default 0.01) on >= N (default 30) scored calls; M is kept, with the reason,
 * when none qualifies. --accuracy-floor A instead picks the cost-minimal map
 * whose traffic-weighted expected accuracy stays >= A (exact search).
 * The savings are those of `agentcost simulate` on the recommended map (the
 * same code), and --write-map writes that map in simulate's --map format.
 * --frontier prints each class's non-dominated (cost, accuracy) models.
 * src/router/router.h has the definitions.
 *
 * JSON prints the object documented in the README; table and CSV print the
 * class rows, the table adds the summary sentences.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pricing/pricing.h"
#include "router/router.h"

static void usage(void)
{
	fprintf(stderr,
	        "usage: agentcost recommend [--tolerance T] [--min-samples N] [--accuracy-floor A]\n"
	        "                           [--frontier] [--write-map FILE]\n"
	        "                           [--output-ratio FROM:TO=R | --output-ratio measured]\n"
	        "                           [--since DATE] [--until DATE] [--system NAME] [--format table|csv|json]\n");
}

static const char *opt_value(int argc, char **argv, int *i, const char *name, int *bad)
{
	return cli_optval(argc, argv, i, name, bad, "recommend");
}

/* A number in [lo, hi]: 0, or -1 after printing the error. */
static int parse_unit(const char *opt, const char *v, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (!*v || *end || errno || !(x >= lo && x <= hi)) {
		cli_error("recommend: %s takes a number from %g to %g, not '%s'", opt, lo, hi, v);
		return -1;
	}
	*out = x;
	return 0;
}

static void json_acc(FILE *fp, const char *prefix, const ac_accuracy *a)
{
	fprintf(fp, ",\"%s_accuracy\":", prefix);
	json_num(fp, a->mean);
	fprintf(fp, ",\"%s_n\":%zu,\"%s_lo\":", prefix, a->n, prefix);
	json_num(fp, a->lo);
	fprintf(fp, ",\"%s_hi\":", prefix);
	json_num(fp, a->hi);
}

static void print_json(FILE *fp, const ac_recommendation *r)
{
	fputs("{\"window_days\":", fp);
	json_num(fp, r->window_days);
	fputs(",\"tolerance\":", fp);
	json_num(fp, r->tolerance);
	fprintf(fp, ",\"min_samples\":%d", r->min_samples);
	if (!isnan(r->accuracy_floor)) {
		fputs(",\"accuracy_floor\":", fp);
		json_num(fp, r->accuracy_floor);
		fputs(",\"current_accuracy\":", fp);
		json_num(fp, r->current_accuracy);
		fputs(",\"expected_accuracy\":", fp);
		json_num(fp, r->expected_accuracy);
	}
	fputs(",\"classes\":[", fp);
	for (size_t i = 0; i < r->nclasses; i++) {
		const ac_recommend_class *c = &r->classes[i];
		fputs(i ? ",\n{\"task_type\":" : "\n{\"task_type\":", fp);
		json_str(fp, c->task_type);
		fputs(",\"complexity\":", fp);
		json_str(fp, c->complexity);
		fputs(",\"current_model\":", fp);
		json_str(fp, c->current_model);
		fputs(",\"recommended_model\":", fp);
		json_str(fp, c->recommended_model);
		fprintf(fp, ",\"moved\":%s,\"reason\":", c->moved ? "true" : "false");
		json_str(fp, c->reason);
		fprintf(fp, ",\"calls\":%lld", c->calls);
		json_acc(fp, "current", &c->current);
		json_acc(fp, "recommended", &c->recommended);
		fputs(",\"monthly_savings\":", fp);
		json_num(fp, c->monthly_savings);
		fputc('}', fp);
	}
	fputs(r->nclasses ? "\n],\"monthly_savings\":" : "],\"monthly_savings\":", fp);
	json_num(fp, r->monthly_savings);
	fputs(",\"summary\":[", fp);
	for (size_t i = 0; i < r->nsummary; i++) {
		if (i)
			fputc(',', fp);
		json_str(fp, r->summary[i]);
	}
	fputs("]}\n", fp);
}

static void print_frontier(FILE *fp, out_format fmt, const ac_recommendation *r)
{
	static const char *const names[] = { "task_type", "complexity", "model", "current",
		                             "calls", "cost", "monthly_cost", "accuracy",
		                             "accuracy_n", "accuracy_lo", "accuracy_hi" };
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_INT, COL_INT, COL_USD,
		                          COL_USD, COL_NUM, COL_INT, COL_NUM, COL_NUM };
	out_table *t = out_table_new(names, types, 11);
	if (!t) {
		cli_error("recommend: out of memory");
		return;
	}
	for (size_t i = 0; i < r->nfrontier; i++) {
		const ac_frontier_point *p = &r->frontier[i];
		out_str(t, p->task_type);
		out_str(t, p->complexity);
		out_str(t, p->model);
		out_int(t, p->current);
		out_int(t, p->calls);
		out_num(t, p->cost);
		out_num(t, p->monthly_cost);
		out_num(t, p->acc.mean);
		out_int(t, (long long)p->acc.n);
		out_num(t, p->acc.lo);
		out_num(t, p->acc.hi);
	}
	out_table_print(t, fp, fmt, "frontier");
}

static void print_classes(FILE *fp, out_format fmt, const ac_recommendation *r)
{
	static const char *const names[] = {
		"task_type", "complexity", "current_model", "recommended_model", "moved", "calls",
		"current_accuracy", "current_n", "current_lo", "current_hi", "recommended_accuracy",
		"recommended_n", "recommended_lo", "recommended_hi", "monthly_savings", "reason"
	};
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_STR, COL_STR, COL_INT,
		                          COL_NUM, COL_INT, COL_NUM, COL_NUM, COL_NUM, COL_INT,
		                          COL_NUM, COL_NUM, COL_USD, COL_STR };
	out_table *t = out_table_new(names, types, 16);
	if (!t) {
		cli_error("recommend: out of memory");
		return;
	}
	ac_recommend_table_fill(t, r, names, NULL, 16);
	out_table_print(t, fp, fmt, "classes");
	if (fmt != FMT_TABLE)
		return;
	fputc('\n', fp);
	if (!isnan(r->accuracy_floor))
		fprintf(fp, "expected accuracy %.4f (now %.4f, floor %.4g)\n", r->expected_accuracy,
		        r->current_accuracy, r->accuracy_floor);
	for (size_t i = 0; i < r->nsummary; i++)
		ac_term_printf(fp, "%s\n", r->summary[i]);
	fprintf(fp, "monthly savings of the recommended map: $%.2f\n", r->monthly_savings);
}

int cmd_recommend(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	ac_recommend_opts ro = AC_RECOMMEND_OPTS_INIT;
	const char *write_map = NULL;
	char **ratio_specs = calloc((size_t)argc + 1, sizeof(char *));
	int nratio = 0, bad = 0, frontier = 0;
	if (!ratio_specs) {
		cli_error("recommend: out of memory");
		return EXIT_FAIL;
	}
	for (int i = 1; i < argc && !bad; i++) {
		const char *v;
		if (!strcmp(argv[i], "--frontier")) {
			frontier = 1;
		} else if ((v = opt_value(argc, argv, &i, "--tolerance", &bad))) {
			bad = parse_unit("--tolerance", v, 0, 1, &ro.tolerance) != 0;
		} else if ((v = opt_value(argc, argv, &i, "--accuracy-floor", &bad))) {
			bad = parse_unit("--accuracy-floor", v, 0, 1, &ro.accuracy_floor) != 0;
		} else if ((v = opt_value(argc, argv, &i, "--min-samples", &bad))) {
			double n;
			bad = parse_unit("--min-samples", v, 2, 1e9, &n) != 0;
			if (!bad && n != floor(n)) {
				cli_error("recommend: --min-samples takes a whole number, not '%s'", v);
				bad = 1;
			}
			ro.min_samples = (int)n;
		} else if ((v = opt_value(argc, argv, &i, "--write-map", &bad))) {
			write_map = v;
		} else if ((v = opt_value(argc, argv, &i, "--output-ratio", &bad))) {
			ratio_specs[nratio++] = (char *)v;
		} else if (!bad) {
			cli_error("recommend: unknown option '%s'", argv[i]);
			bad = 1;
		}
	}
	if (bad) {
		usage();
		free(ratio_specs);
		return EXIT_USAGE;
	}

	int status = EXIT_FAIL;
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb = NULL;
	ac_router_data *d = NULL;
	ac_router_opts o = AC_ROUTER_OPTS_INIT;
	ac_recommendation *r = NULL;
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		goto done;
	if (ac_pricebook_load(&pb, ac_store_db(s), &err)) {
		cli_error("recommend: %s", err.msg);
		goto done;
	}
	for (int i = 0; i < nratio; i++) {
		if (ac_router_opts_ratio(&o, ratio_specs[i], pb, &err)) {
			cli_error("recommend: %s", err.msg);
			status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
			goto done;
		}
	}
	ac_router_window w = { co.since_ns, co.until_ns, co.system };
	if (ac_router_data_load(&d, s, pb, &w, &err) || ac_router_recommend(&r, d, &o, &ro, &err)) {
		cli_error("recommend: %s", err.msg);
		goto done;
	}
	if (write_map && ac_router_map_write(r->map, write_map, &err)) {
		cli_error("recommend: %s", err.msg);
		goto done;
	}
	if (frontier)
		print_frontier(stdout, co.format, r);
	else if (co.format == FMT_JSON)
		print_json(stdout, r);
	else
		print_classes(stdout, co.format, r);
	status = EXIT_OK;
done:
	ac_recommendation_free(r);
	ac_router_data_free(d);
	ac_router_opts_release(&o);
	ac_pricebook_free(pb);
	ac_store_close(s);
	free(ratio_specs);
	return status;
}
