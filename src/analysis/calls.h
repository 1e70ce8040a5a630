/*
 * The router's call groups, as derivation keeps them (table task_calls,
 * packed per task: src/tasks/callpack.h), one group at a time in task order
 * (queries/call_groups.sql): what `agentcost calls` prints. An iterator, not
 * a result struct: a store holds millions of groups, and the command streams
 * them.
 */
#ifndef AC_CALLS_H
#define AC_CALLS_H

#include <stdint.h>

#include "../store/store.h"
#include "../tasks/callpack.h"
#include "../util/err.h"

typedef struct ac_calls ac_calls;

/* AC_CALLS_DAMAGED from ac_calls_next: the task's packed groups end in
 * damage (those before it were returned); the next call goes on with the
 * next task. */
#define AC_CALLS_DAMAGED 2

/* Returns 0 and *out (free with ac_calls_close), or AC_ESQL / AC_ENOMEM. */
int ac_calls_open(ac_store *s, ac_calls **out, ac_err *err);
/* 1: the next group in *task, *g; 0: no more; AC_CALLS_DAMAGED (*task set);
 * a negative ac_err code: the query failed. */
int ac_calls_next(ac_calls *c, int64_t *task, ac_call_group *g, ac_err *err);
void ac_calls_close(ac_calls *c);

#endif
