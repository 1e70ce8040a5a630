/*
 * What an analysis reads: the question every `ac_<name>_run` in src/analysis
 * takes. A window of span or task start times, a system, and (issue #17) the
 * attributes to group by and the filters to apply. The CLI fills it from
 * --since/--until/--system; the reports fill it from the week or the incident.
 *
 * Grouping and filters are lists so that `--by ATTR` and `--where ATTR=VALUE`
 * can be added to every analysis without another argument: an analysis that
 * does not support a dimension yet refuses it with AC_EINVAL. Nothing here is
 * owned: the strings and arrays belong to the caller and must outlive the run.
 */
#ifndef AC_QUERY_H
#define AC_QUERY_H

#include <stddef.h>
#include <stdint.h>

/* An attribute rows can be grouped or filtered by. */
typedef enum ac_dim_kind {
	AC_DIM_SYSTEM,     /* the task's service.name */
	AC_DIM_TASK_TYPE,  /* agentcost.task.type */
	AC_DIM_COMPLEXITY, /* agentcost.complexity */
	AC_DIM_MODEL,      /* gen_ai.request.model, canonical: each call's own */
	AC_DIM_ATTR,       /* any other attribute, named by attr */
	AC_DIM_USER,       /* user.id, enduser.id, langfuse.user.id, user_id */
	AC_DIM_SESSION,    /* session.id, gen_ai.conversation.id, langfuse.session.id, session_id */
	AC_DIM_AGENT,      /* gen_ai.agent.name, agent.name */
	AC_DIM_ENV,        /* deployment.environment.name, deployment.environment */
} ac_dim_kind;

typedef struct ac_dim {
	ac_dim_kind kind;
	const char *attr; /* AC_DIM_ATTR: the attribute's name; else NULL */
	const char *name; /* as the user wrote it (a column's name); NULL: the kind's */
} ac_dim;

/* Keep the rows whose dimension equals value (NULL: has none). */
typedef struct ac_filter {
	ac_dim dim;
	const char *value;
} ac_filter;

typedef struct ac_query {
	int64_t since_ns, until_ns; /* [since_ns, until_ns); INT64_MIN / INT64_MAX: open */
	const char *system;         /* only this system's tasks; NULL: all */
	const ac_dim *by;           /* group by these, in order */
	size_t nby;
	const ac_filter *where;     /* and keep only these */
	size_t nwhere;
	int dims;                   /* 1: by and where are the user's --by/--where
	                             * (src/analysis/dims.h: rows keyed by the
	                             * dimensions' values as text); 0: an
	                             * analysis's own grouping */
} ac_query;

#define AC_QUERY_INIT { INT64_MIN, INT64_MAX, NULL, NULL, 0, NULL, 0, 0 }

/* A query over [since_ns, until_ns) for every system. */
static inline ac_query ac_query_window(int64_t since_ns, int64_t until_ns)
{
	ac_query q = AC_QUERY_INIT;
	q.since_ns = since_ns;
	q.until_ns = until_ns;
	return q;
}

/* The window of q's length just before it, with q's system, groups and
 * filters; q's window must be closed (compare.h checks). */
static inline ac_query ac_query_previous(const ac_query *q)
{
	ac_query p = *q;
	p.until_ns = q->since_ns;
	p.since_ns = q->since_ns - (q->until_ns - q->since_ns);
	return p;
}

#endif
