/*
 * agentcost simulate --map FILE [--map FILE2 ...] [--cascade SPEC]...
 *                    [--output-ratio FROM:TO=R | --output-ratio measured]...
 *
 * Replays the production tasks of the window under one or more routing maps
 * (complexity -> model CSV, see src/router/router.h) and prints what they
 * would have cost: tasks, window days, baseline and simulated cost, savings,
 * their share, monthly savings (savings x 30 / window days), the per-task
 * cost before and after (mean, p50, p99), and per class and task type the
 * model that served most calls, the mapped one, the costs and the accuracy
 * expected from the eval scores. Several maps are compared side by side.
 * --cascade CLASS=M1>M2 (or TYPE/CLASS=...) serves a class FrugalGPT-style;
 * it works with or without a map.
 *
 * JSON prints one object, or {"maps":[{"map":FILE,...},...]} for several
 * maps; table and CSV print the class rows (with a map column for several
 * maps), a blank line, then the totals.
 */
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
	        "usage: agentcost simulate --map FILE [--map FILE2 ...] [--cascade [TYPE/]CLASS=M1>M2[>M3]]\n"
	        "                          [--output-ratio FROM:TO=R | --output-ratio measured]\n"
	        "                          [--since DATE] [--until DATE] [--system NAME] [--format table|csv|json]\n");
}

/* "--name V" or "--name=V" at argv[*i]; NULL when argv[*i] is not --name. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *bad)
{
	return cli_optval(argc, argv, i, name, bad, "simulate");
}

static void json_dist(FILE *fp, const ac_router_dist *d)
{
	fputs("{\"mean\":", fp);
	json_num(fp, d->mean);
	fputs(",\"p50\":", fp);
	json_num(fp, d->p50);
	fputs(",\"p99\":", fp);
	json_num(fp, d->p99);
	fputc('}', fp);
}

static void json_result(FILE *fp, const ac_router_result *r)
{
	fputs("\"window_days\":", fp);
	json_num(fp, r->window_days);
	fprintf(fp, ",\"tasks\":%lld,\"baseline_cost\":", r->tasks);
	json_num(fp, r->baseline_cost);
	fputs(",\"simulated_cost\":", fp);
	json_num(fp, r->simulated_cost);
	fputs(",\"savings\":", fp);
	json_num(fp, r->savings);
	fputs(",\"savings_share\":", fp);
	json_num(fp, r->savings_share);
	fputs(",\"monthly_savings\":", fp);
	json_num(fp, r->monthly_savings);
	fputs(",\"per_task\":{\"baseline\":", fp);
	json_dist(fp, &r->per_task_baseline);
	fputs(",\"simulated\":", fp);
	json_dist(fp, &r->per_task_simulated);
	fputs("},\"by_class\":[", fp);
	for (size_t i = 0; i < r->nclasses; i++) {
		const ac_router_class *c = &r->classes[i];
		fputs(i ? ",\n{\"complexity\":" : "\n{\"complexity\":", fp);
		json_str(fp, c->complexity);
		fputs(",\"task_type\":", fp);
		json_str(fp, c->task_type);
		fputs(",\"from_model\":", fp);
		json_str(fp, c->from_model);
		fputs(",\"to_model\":", fp);
		json_str(fp, c->to_model);
		fprintf(fp, ",\"calls\":%lld,\"baseline_cost\":", c->calls);
		json_num(fp, c->baseline_cost);
		fputs(",\"simulated_cost\":", fp);
		json_num(fp, c->simulated_cost);
		fputs(",\"accuracy_from\":", fp);
		json_num(fp, c->acc_from.mean);
		fputs(",\"accuracy_to\":", fp);
		json_num(fp, c->acc_to.mean);
		fputs(",\"accuracy_to_lo\":", fp);
		json_num(fp, c->acc_to.lo);
		fputs(",\"accuracy_to_hi\":", fp);
		json_num(fp, c->acc_to.hi);
		fputs(",\"accuracy_change\":", fp);
		json_num(fp, c->accuracy_change);
		fputc('}', fp);
	}
	fputs(r->nclasses ? "\n]" : "]", fp);
}

static void print_tables(FILE *fp, out_format fmt, ac_router_result **res, char **names,
                         int nres, int named)
{
	static const char *const cnames[] = { "map", "complexity", "task_type", "from_model",
		                              "to_model", "calls", "baseline_cost", "simulated_cost",
		                              "accuracy_from", "accuracy_to", "accuracy_to_lo",
		                              "accuracy_to_hi", "accuracy_change" };
	static const col_type ctypes[] = { COL_STR, COL_STR, COL_STR, COL_STR, COL_STR,
		                           COL_INT, COL_USD, COL_USD, COL_NUM, COL_NUM,
		                           COL_NUM, COL_NUM, COL_NUM };
	static const char *const tnames[] = { "map", "window_days", "tasks", "baseline_cost",
		                              "simulated_cost", "savings", "savings_share",
		                              "monthly_savings", "task_mean_before", "task_p50_before",
		                              "task_p99_before", "task_mean_after", "task_p50_after",
		                              "task_p99_after" };
	static const col_type ttypes[] = { COL_STR, COL_NUM, COL_INT, COL_USD, COL_USD, COL_USD,
		                           COL_NUM, COL_USD, COL_USD, COL_USD, COL_USD, COL_USD,
		                           COL_USD, COL_USD };
	int skip = named ? 0 : 1; /* the map column only with several maps */
	out_table *t = out_table_new(cnames + skip, ctypes + skip, 13 - skip);
	if (!t) {
		cli_error("simulate: out of memory");
		return;
	}
	for (int m = 0; m < nres; m++) {
		for (size_t i = 0; i < res[m]->nclasses; i++) {
			const ac_router_class *c = &res[m]->classes[i];
			if (named)
				out_str(t, names[m]);
			out_str(t, c->complexity);
			out_str(t, c->task_type);
			out_str(t, c->from_model);
			out_str(t, c->to_model);
			out_int(t, c->calls);
			out_num(t, c->baseline_cost);
			out_num(t, c->simulated_cost);
			out_num(t, c->acc_from.mean);
			out_num(t, c->acc_to.mean);
			out_num(t, c->acc_to.lo);
			out_num(t, c->acc_to.hi);
			out_num(t, c->accuracy_change);
		}
	}
	out_table_print(t, fp, fmt, "by_class");
	fputc('\n', fp);
	t = out_table_new(tnames + skip, ttypes + skip, 14 - skip);
	if (!t) {
		cli_error("simulate: out of memory");
		return;
	}
	for (int m = 0; m < nres; m++) {
		const ac_router_result *r = res[m];
		if (named)
			out_str(t, names[m]);
		out_num(t, r->window_days);
		out_int(t, r->tasks);
		out_num(t, r->baseline_cost);
		out_num(t, r->simulated_cost);
		out_num(t, r->savings);
		out_num(t, r->savings_share);
		out_num(t, r->monthly_savings);
		out_num(t, r->per_task_baseline.mean);
		out_num(t, r->per_task_baseline.p50);
		out_num(t, r->per_task_baseline.p99);
		out_num(t, r->per_task_simulated.mean);
		out_num(t, r->per_task_simulated.p50);
		out_num(t, r->per_task_simulated.p99);
	}
	out_table_print(t, fp, fmt, "totals");
}

/* One result as {...}, several as {"maps":[{"map":FILE,...},...]}. */
static void print_json(FILE *fp, ac_router_result **res, char **maps, int nres, int multi)
{
	if (multi) {
		fputs("{\"maps\":[", fp);
		for (int i = 0; i < nres; i++) {
			fputs(i ? ",\n{\"map\":" : "\n{\"map\":", fp);
			json_str(fp, maps[i]);
			fputc(',', fp);
			json_result(fp, res[i]);
			fputc('}', fp);
		}
		fputs("\n]}\n", fp);
	} else {
		fputc('{', fp);
		json_result(fp, res[0]);
		fputs("}\n", fp);
	}
}

/* The --cascade and --output-ratio specs into o; on an error says it, sets
 * *status (EXIT_USAGE for a bad spec) and returns -1. */
static int router_opts(ac_router_opts *o, char **cascade_specs, int ncascade, char **ratio_specs,
                       int nratio, ac_pricebook *pb, int *status)
{
	ac_err err = AC_ERR_INIT;
	for (int i = 0; i < ncascade; i++) {
		if (ac_router_opts_cascade(o, cascade_specs[i], &err)) {
			cli_error("simulate: %s", err.msg);
			*status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
			return -1;
		}
	}
	for (int i = 0; i < nratio; i++) {
		if (ac_router_opts_ratio(o, ratio_specs[i], pb, &err)) {
			cli_error("simulate: %s", err.msg);
			*status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
			return -1;
		}
	}
	return 0;
}

int cmd_simulate(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	char **maps = calloc((size_t)argc + 1, sizeof(char *));
	char **ratio_specs = calloc((size_t)argc + 1, sizeof(char *));
	char **cascade_specs = calloc((size_t)argc + 1, sizeof(char *));
	int nmaps = 0, nratio = 0, ncascade = 0, bad = 0;
	if (!maps || !ratio_specs || !cascade_specs) {
		free(maps), free(ratio_specs), free(cascade_specs);
		cli_error("simulate: out of memory");
		return EXIT_FAIL;
	}
	for (int i = 1; i < argc && !bad; i++) {
		const char *v;
		if ((v = opt_value(argc, argv, &i, "--map", &bad)))
			maps[nmaps++] = (char *)v;
		else if ((v = opt_value(argc, argv, &i, "--output-ratio", &bad)))
			ratio_specs[nratio++] = (char *)v;
		else if ((v = opt_value(argc, argv, &i, "--cascade", &bad)))
			cascade_specs[ncascade++] = (char *)v;
		else if (!bad) {
			cli_error("simulate: unknown option '%s'", argv[i]);
			bad = 1;
		}
	}
	if (!bad && !nmaps && !ncascade) {
		cli_error("simulate: give a routing map (--map FILE) or a cascade (--cascade)");
		bad = 1;
	}
	if (bad) {
		usage();
		free(maps), free(ratio_specs), free(cascade_specs);
		return EXIT_USAGE;
	}

	int status = EXIT_FAIL, nres = nmaps ? nmaps : 1;
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb = NULL;
	ac_router_data *d = NULL;
	ac_router_opts o = AC_ROUTER_OPTS_INIT;
	ac_router_map **m = calloc((size_t)nres, sizeof(*m));
	ac_router_result **res = calloc((size_t)nres, sizeof(*res));
	ac_store *s = cli_open_store(&co, 0);
	if (!s || !m || !res)
		goto done;
	if (ac_pricebook_load(&pb, ac_store_db(s), &err)) {
		cli_error("simulate: %s", err.msg);
		goto done;
	}
	if (router_opts(&o, cascade_specs, ncascade, ratio_specs, nratio, pb, &status))
		goto done;
	for (int i = 0; i < nmaps; i++) {
		if (ac_router_map_load(&m[i], maps[i], pb, &err)) {
			cli_error("%s", err.msg);
			goto done;
		}
	}
	ac_router_window w = { co.since_ns, co.until_ns, co.system };
	if (ac_router_data_load(&d, s, pb, &w, &err)) {
		cli_error("simulate: %s", err.msg);
		goto done;
	}
	for (int i = 0; i < nres; i++) {
		if (ac_router_simulate(&res[i], d, m[i], &o, &err)) {
			if (nmaps > 1)
				cli_error("simulate: %s: %s", maps[i], err.msg);
			else
				cli_error("simulate: %s", err.msg);
			goto done;
		}
	}
	if (co.format == FMT_JSON) {
		print_json(stdout, res, maps, nres, nmaps > 1);
	} else {
		print_tables(stdout, co.format, res, maps, nres, nmaps > 1);
	}
	status = EXIT_OK;
done:
	for (int i = 0; res && i < nres; i++)
		ac_router_result_free(res[i]);
	for (int i = 0; m && i < nres; i++)
		ac_router_map_free(m[i]);
	free(res);
	free(m);
	ac_router_data_free(d);
	ac_router_opts_release(&o);
	ac_pricebook_free(pb);
	ac_store_close(s);
	free(maps), free(ratio_specs), free(cascade_specs);
	return status;
}
