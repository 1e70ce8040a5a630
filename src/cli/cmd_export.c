/*
 * agentcost export focus [--since T] [--until T] [--system NAME] [--by DIM[,DIM]]
 *                        [--where DIM=VALUE]... [-o FILE]
 * The window's cost as a FinOps FOCUS 1.2 cost-and-usage CSV (the rows and
 * their columns: src/analysis/focus.h), to standard output unless -o. Every
 * text cell goes through the CSV formula guard (util/table.h).
 * --by (repeatable, or a comma-separated pair) splits the rows by the task's
 * value of each dimension, written as Tags {"user":"u1"}; --where keeps the
 * spans of the tasks that pass (src/analysis/dims.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/focus.h"
#include "cli.h"

/* The rows of f as CSV on fp; 0, or -1 when out of memory. */
static int write_csv(FILE *fp, ac_focus *f)
{
	for (int i = 0; i < AC_FOCUS_NCOL; i++) {
		if (i)
			fputc(',', fp);
		csv_cell(fp, ac_focus_columns[i], 1);
	}
	fputc('\n', fp);
	ac_focus_cells c = AC_FOCUS_CELLS_INIT;
	const ac_focus_row *r;
	int rc = 0;
	while ((r = ac_focus_next(f))) {
		if ((rc = ac_focus_cells_fill(f, r, &c)))
			break;
		for (int i = 0; i < AC_FOCUS_NCOL; i++) {
			if (i)
				fputc(',', fp);
			csv_cell(fp, c.cell[i], c.text[i]);
		}
		fputc('\n', fp);
	}
	ac_focus_cells_release(&c);
	return rc ? -1 : 0;
}

/* Parse focus's own options (--by and --where are taken out before):
 * *out the -o file. */
static int parse(int argc, char **argv, const char **out)
{
	int bad = 0;
	for (int i = 2; i < argc; i++) {
		const char *v;
		if ((v = cli_optval(argc, argv, &i, "-o", &bad, "export focus")) ||
		           (v = cli_optval(argc, argv, &i, "--output", &bad, "export focus"))) {
			*out = v;
		} else {
			if (!bad)
				cli_error("export focus: unexpected '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

static int export_focus(const common_opts *co, int argc, char **argv)
{
	const char *path = NULL;
	cli_dims d;
	if (cli_dims_parse(&argc, argv, "export focus", &d) || parse(argc, argv, &path))
		return EXIT_USAGE;
	if (co->format == FMT_JSON) {
		cli_error("export focus: writes CSV only");
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(co, 0);
	if (!s)
		return EXIT_FAIL;
	int status = EXIT_FAIL;
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb = NULL;
	ac_focus *f = NULL;
	FILE *fp = NULL;
	ac_query q = cli_query(co);
	cli_dims_apply(&d, &q);
	if (ac_pricebook_load(&pb, ac_store_db(s), &err) || ac_focus_open(s, pb, &q, &f, &err)) {
		cli_error("export focus: %s", err.msg);
		goto done;
	}
	if (!(fp = path ? fopen(path, "w") : stdout)) {
		cli_error("export focus: %s: %s", path, strerror(errno));
		goto done;
	}
	if (write_csv(fp, f)) {
		cli_error("export focus: out of memory");
		goto done;
	}
	status = EXIT_OK;
done:
	if (fp && (fflush(fp) || ferror(fp))) {
		cli_error("export focus: cannot write %s", path ? path : "the output");
		status = EXIT_FAIL;
	}
	if (fp && fp != stdout && fclose(fp) && status == EXIT_OK) {
		cli_error("export focus: cannot write %s", path);
		status = EXIT_FAIL;
	}
	ac_focus_close(f);
	ac_pricebook_free(pb);
	ac_store_close(s);
	return status;
}

int cmd_export(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	if (argc < 2) {
		cli_error("export: which export? (focus)");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "focus"))
		return export_focus(&co, argc, argv);
	cli_error("export: unknown export '%s' (focus)", argv[1]);
	return EXIT_USAGE;
}
