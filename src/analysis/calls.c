/*
 * The router's call groups (calls.h): the rows of call_groups.sql, each
 * task's blob decoded group by group.
 */
#include "calls.h"

#include <stdlib.h>

struct ac_calls {
	ac_rows *q;
	int in_row; /* a task's blob is being decoded */
	int64_t task;
	const unsigned char *p; /* the blob; valid until the next ac_rows_next */
	size_t len, at;
};

int ac_calls_open(ac_store *s, ac_calls **out, ac_err *err)
{
	*out = NULL;
	ac_calls *c = calloc(1, sizeof(*c));
	if (!c)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	int rc = ac_store_rows(s, "call_groups.sql", 0, 0, NULL, AC_ROWS_PLAIN, &c->q, err);
	if (rc) {
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int ac_calls_next(ac_calls *c, int64_t *task, ac_call_group *g, ac_err *err)
{
	for (;;) {
		if (c->in_row) {
			int got = ac_callpack_next(c->p, c->len, &c->at, g);
			*task = c->task;
			if (got == 1)
				return 1;
			c->in_row = 0;
			if (got < 0)
				return AC_CALLS_DAMAGED;
		}
		int rc = ac_rows_next(c->q, err);
		if (rc != 1)
			return rc;
		c->task = ac_rows_int(c->q, 0);
		c->p = ac_rows_blob(c->q, 1, &c->len);
		c->at = 0;
		c->in_row = 1;
	}
}

void ac_calls_close(ac_calls *c)
{
	if (!c)
		return;
	ac_rows_free(c->q);
	free(c);
}
