/*
 * --by and --where (issue #17) for the commands that group by dimensions:
 * tasks, hidden, summary, spc, models, outliers, top, budget, export focus.
 */
#include <string.h>

#include "analysis/dims.h"
#include "cli.h"

/* One "--by user,task_type" (or repeated --by) into d. */
static int add_by(cli_dims *d, char *v, const char *cmd)
{
	for (char *p = v, *next; p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		if (!*p) {
			cli_error("%s: --by: empty dimension in the list", cmd);
			return EXIT_USAGE;
		}
		if (d->nby == AC_DIMS_MAX_BY) {
			cli_error("%s: --by takes at most %d dimensions (a pair: --by user,task_type)", cmd,
			          AC_DIMS_MAX_BY);
			return EXIT_USAGE;
		}
		ac_err err = { 0 };
		if (ac_dim_parse(p, &d->by[d->nby], &err)) {
			cli_error("%s: --by: %s", cmd, err.msg);
			return EXIT_USAGE;
		}
		d->nby++;
	}
	return 0;
}

static int add_where(cli_dims *d, char *v, const char *cmd)
{
	char *eq = strchr(v, '=');
	if (!eq || eq == v) {
		cli_error("%s: --where takes DIM=VALUE (e.g. --where user=u42), not '%s'", cmd, v);
		return EXIT_USAGE;
	}
	if (d->nwhere == AC_DIMS_MAX_WHERE) {
		cli_error("%s: at most %d --where filters", cmd, AC_DIMS_MAX_WHERE);
		return EXIT_USAGE;
	}
	*eq = '\0';
	ac_err err = { 0 };
	ac_filter *f = &d->where[d->nwhere];
	if (ac_dim_parse(v, &f->dim, &err)) {
		cli_error("%s: --where: %s", cmd, err.msg);
		return EXIT_USAGE;
	}
	f->value = eq + 1;
	d->nwhere++;
	return 0;
}

int cli_dims_parse(int *argc, char **argv, const char *cmd, cli_dims *d)
{
	int out = 0, bad = 0, rc;
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < *argc; i++) {
		char *v;
		if (i == 0 || argv[i][0] != '-') {
			argv[out++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if ((v = (char *)cli_optval(*argc, argv, &i, "--by", &bad, cmd))) {
			if ((rc = add_by(d, v, cmd)))
				return rc;
		} else if ((v = (char *)cli_optval(*argc, argv, &i, "--where", &bad, cmd))) {
			if ((rc = add_where(d, v, cmd)))
				return rc;
		} else if (bad) {
			return EXIT_USAGE;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	return 0;
}

void cli_dims_apply(const cli_dims *d, ac_query *q)
{
	if (!d->nby && !d->nwhere)
		return;
	q->by = d->by;
	q->nby = d->nby;
	q->where = d->where;
	q->nwhere = d->nwhere;
	q->dims = 1;
}

int cli_dims_clash(const char *cmd, const ac_query *q, const char *const *own, size_t nown)
{
	for (size_t i = 0; i < q->nby; i++) {
		const char *c = ac_dim_column(&q->by[i]);
		int dup = i == 1 && !strcmp(c, ac_dim_column(&q->by[0]));
		for (size_t k = 0; k < nown; k++)
			dup |= !strcmp(c, own[k]);
		if (dup) {
			cli_error("%s: --by: the column '%s' would be there twice", cmd, c);
			return 1;
		}
	}
	return 0;
}
