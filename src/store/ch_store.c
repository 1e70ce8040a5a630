/*
 * The ClickHouse backend (ch_store.h): schema set-up, the read interface over
 * the twins in queries/clickhouse/, and the write side (store.h:
 * ac_store_pull, ac_store_ship) from a SQLite staging store.
 */
#include "ch_store.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>


typedef struct {
	const char *name;
	const char *text;
	size_t len;
} ac_embedded;

extern const ac_embedded ac_ch_schema_files[];
extern const ac_embedded ac_ch_query_files[];

static const char *embedded(const ac_embedded *files, const char *name)
{
	for (const ac_embedded *e = files; e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e->text;
	return NULL;
}

/* ---- schema --------------------------------------------------------------- */

#define MONTH "toYYYYMM(toDateTime(intDiv(start_ns, 1000000000), 'UTC'))"

static const char SPAN_ENGINE[] =
	"ReplacingMergeTree(version) PARTITION BY " MONTH " ORDER BY (trace_id, span_id)";

/* The DDL file `file` with {name} and {engine} filled, its comments left
 * out (every store's open runs it), run on c. */
static int create_table(ac_ch *c, const char *file, const char *name, const char *engine,
                        ac_err *err)
{
	const char *ddl = embedded(ac_ch_schema_files, file);
	if (!ddl)
		return ac_err_set(err, AC_ESQL, "%s is not embedded", file);
	ac_buf b = AC_BUF_INIT;
	for (const char *p = ddl; *p;) {
		if (p[0] == '-' && p[1] == '-') { /* a comment: not sent */
			while (*p && *p != '\n')
				p++;
		} else if (!strncmp(p, "{name}", 6)) {
			ac_buf_adds(&b, name);
			p += 6;
		} else if (!strncmp(p, "{engine}", 8)) {
			ac_buf_adds(&b, engine);
			p += 8;
		} else {
			ac_buf_addc(&b, *p++);
		}
	}
	int rc = b.oom ? ac_err_set(err, AC_ENOMEM, "out of memory")
	               : ac_ch_query(c, ac_buf_cstr(&b), 1, NULL, NULL, err);
	ac_buf_release(&b);
	return rc;
}

static int create_db(ac_ch *c, ac_err *err)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "CREATE DATABASE IF NOT EXISTS %s", ac_ch_database(c));
	return ac_ch_query(c, sql, 0, NULL, NULL, err);
}

/* One shard's tables: span_local (the data) and span (Distributed over the
 * cluster, sharded by trace) on a cluster; span on one server; the ledger. */
static int create_shard(ac_ch *c, ac_err *err)
{
	int rc;
	const char *cl = ac_ch_cluster(c);
	if ((rc = create_db(c, err)))
		return rc;
	if (!cl)
		return (rc = create_table(c, "span.sql", "span", SPAN_ENGINE, err))
		           ? rc
		           : create_table(c, "file.sql", "file", "", err);
	char dist[256];
	if ((rc = create_table(c, "span.sql", "span_local", SPAN_ENGINE, err)))
		return rc;
	snprintf(dist, sizeof(dist), "Distributed(%s, %s, span_local, cityHash64(trace_id))", cl,
	         ac_ch_database(c));
	if ((rc = create_table(c, "span.sql", "span", dist, err)))
		return rc;
	return create_table(c, "file.sql", "file", "", err);
}

/*
 * On a cluster every shard gets its tables. ClickHouse 18.16 runs
 * ON CLUSTER DDL only with ZooKeeper, so agentcost connects to each shard's
 * HTTP interface itself: at the shard's host, on the port shifted from the
 * one in the URL by as much as the shard's TCP port is from the local
 * server's (8123/9000 on every host of a usual cluster gives 8123 for all).
 */
static int create_cluster(ac_ch *c, ac_err *err)
{
	char *body = NULL;
	ac_buf q = AC_BUF_INIT;
	ac_buf_adds(&q, "SELECT shard_num, host_address, port, is_local FROM system.clusters "
	                "WHERE cluster = ");
	ac_ch_quote(&q, ac_ch_cluster(c));
	ac_buf_adds(&q, " ORDER BY shard_num, replica_num FORMAT TabSeparated");
	int rc = ac_ch_query(c, ac_buf_cstr(&q), 0, &body, NULL, err);
	ac_buf_release(&q);
	if (rc)
		return rc;
	int local_tcp = -1, n = 0;
	struct peer {
		char host[128];
		int tcp, local;
	} peers[64];
	for (char *line = body; *line && n < 64;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		struct peer *p = &peers[n];
		if (sscanf(line, "%*d\t%127[^\t]\t%d\t%d", p->host, &p->tcp, &p->local) == 3) {
			if (p->local)
				local_tcp = p->tcp;
			n++;
		}
		line = nl ? nl + 1 : line + strlen(line);
	}
	free(body);
	if (n == 0)
		return ac_err_set(err, AC_EINVAL,
		                  "clickhouse://%s:%d: no cluster %s in system.clusters (the "
		                  "server's remote_servers configuration)",
		                  ac_ch_host(c), ac_ch_port(c), ac_ch_cluster(c));
	if (local_tcp < 0)
		return ac_err_set(err, AC_EINVAL,
		                  "clickhouse://%s:%d: this server is not a shard of cluster %s",
		                  ac_ch_host(c), ac_ch_port(c), ac_ch_cluster(c));
	for (int i = 0; i < n; i++) {
		ac_ch *peer = NULL;
		int port = ac_ch_port(c) + (peers[i].tcp - local_tcp);
		if (peers[i].local) {
			rc = create_shard(c, err);
		} else if (!(rc = ac_ch_open_peer(&peer, c, peers[i].host, port, err))) {
			rc = create_shard(peer, err);
			ac_ch_close(peer);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int ac_chs_open(ac_ch **out, const char *url, int create, ac_err *err)
{
	ac_ch *c;
	char *body = NULL;
	int rc = ac_ch_open(&c, url, err);
	if (rc)
		return rc;
	/* a reader only checks the tables are there (no DDL on every command) */
	char sql[400];
	snprintf(sql, sizeof(sql),
	         "SELECT (SELECT count() FROM system.tables WHERE database = '%s' AND name IN "
	         "('span', 'file')), (SELECT count() FROM system.clusters WHERE cluster = "
	         "'%s') FORMAT TabSeparated",
	         ac_ch_database(c), ac_ch_cluster(c) ? ac_ch_cluster(c) : "");
	if ((rc = ac_ch_query(c, sql, 0, &body, NULL, err))) {
		ac_ch_close(c);
		return rc;
	}
	int have = 0, shards = 0;
	sscanf(body, "%d\t%d", &have, &shards);
	free(body);
	if (ac_ch_cluster(c) && shards == 0) {
		rc = ac_err_set(err, AC_EINVAL,
		                "clickhouse://%s:%d: no cluster %s in system.clusters (the server's "
		                "remote_servers configuration)",
		                ac_ch_host(c), ac_ch_port(c), ac_ch_cluster(c));
		ac_ch_close(c);
		return rc;
	}
	if (have == 2 && !create) {
		*out = c;
		return 0;
	}
	if (!create) {
		rc = ac_err_set(err, AC_EIO, "no agentcost store at %s (run `agentcost ingest` first)", url);
		ac_ch_close(c);
		return rc;
	}
	rc = ac_ch_cluster(c) ? create_cluster(c, err) : create_shard(c, err);
	if (rc) {
		ac_ch_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* ---- reading -------------------------------------------------------------- */

enum { P_NONE, P_INT, P_TEXT, P_NULL, P_U64S, P_DOUBLES };
#define NPARAM 10
#define NNAMED 4

struct ac_ch_rows {
	ac_ch *c;
	const char *name, *sql;
	int ptype[NPARAM];
	int64_t pint[NPARAM];
	const char *ptext[NPARAM];
	const void *plist[NPARAM]; /* P_U64S, P_DOUBLES: n values (borrowed) */
	size_t nlist[NPARAM];
	const char *traces, *tasks; /* ac_ch_rows_set_lists */
	const char *qtask;          /* ac_ch_rows_set_qtask */
	struct {
		const char *name, *text; /* ac_ch_rows_set_text: "{name}" -> text */
	} named[NNAMED];
	size_t nnamed;
	int nsub; /* subquery macros substituted (their aliases) */
	char *body;    /* the answer, unescaped in place */
	char *next;    /* the next line */
	int ran;
	char **field;
	size_t nfield, cap;
};

int ac_ch_rows_open(ac_ch *c, const char *name, int64_t since_ns, int64_t until_ns,
                    const char *system, int plain, ac_ch_rows **out, ac_err *err)
{
	*out = NULL;
	const char *sql = embedded(ac_ch_query_files, name);
	if (!sql)
		return ac_err_set(err, AC_EINVAL,
		                  "%s: not answered on the ClickHouse backend yet (no "
		                  "queries/clickhouse/%s); use a SQLite store for it",
		                  name, name);
	ac_ch_rows *r = calloc(1, sizeof(*r));
	if (!r)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	r->c = c;
	r->name = name;
	r->sql = sql;
	if (!plain) {
		r->ptype[1] = r->ptype[2] = P_INT;
		r->pint[1] = since_ns;
		r->pint[2] = until_ns;
		r->ptype[3] = system ? P_TEXT : P_NULL;
		r->ptext[3] = system;
	}
	*out = r;
	return 0;
}

int ac_ch_answers(const char *name)
{
	return embedded(ac_ch_query_files, name) != NULL;
}

void ac_ch_rows_bind_int(ac_ch_rows *r, int param, int64_t v)
{
	if (param > 0 && param < NPARAM) {
		r->ptype[param] = P_INT;
		r->pint[param] = v;
	}
}

void ac_ch_rows_bind_text(ac_ch_rows *r, int param, const char *text)
{
	if (param > 0 && param < NPARAM) {
		r->ptype[param] = text ? P_TEXT : P_NULL;
		r->ptext[param] = text;
	}
}

void ac_ch_rows_bind_list(ac_ch_rows *r, int param, int doubles, const void *v, size_t n)
{
	if (param > 0 && param < NPARAM) {
		r->ptype[param] = doubles ? P_DOUBLES : P_U64S;
		r->plist[param] = v;
		r->nlist[param] = n;
	}
}

/* A list as an array literal: integers, or doubles with 17 digits and a
 * point or exponent each (an element without one would make the literal an
 * integer array). The server's parser reads such a literal back to the same
 * double (strtod); toFloat64 of a text does not always. */
static void list_literal(ac_buf *b, int doubles, const void *v, size_t n)
{
	ac_buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			ac_buf_addc(b, ',');
		if (!doubles) {
			ac_buf_printf(b, "%" PRIu64, ((const uint64_t *)v)[i]);
			continue;
		}
		char num[40];
		double d = ((const double *)v)[i];
		if (!isfinite(d))
			d = 0; /* not written by the router: its prices are finite */
		int k = snprintf(num, sizeof(num), "%.17g", d);
		if (!strpbrk(num, ".e") && k + 2 < (int)sizeof(num))
			memcpy(num + k, ".0", 3);
		ac_buf_adds(b, num);
	}
	ac_buf_addc(b, ']');
}

void ac_ch_rows_set_lists(ac_ch_rows *r, const char *traces, const char *tasks)
{
	r->traces = traces;
	r->tasks = tasks;
}

void ac_ch_rows_set_qtask(ac_ch_rows *r, const char *qtask)
{
	r->qtask = qtask;
}

void ac_ch_rows_set_text(ac_ch_rows *r, const char *name, const char *text)
{
	for (size_t i = 0; i < r->nnamed; i++)
		if (!strcmp(r->named[i].name, name)) {
			r->named[i].text = text;
			return;
		}
	if (r->nnamed < NNAMED) {
		r->named[r->nnamed].name = name;
		r->named[r->nnamed++].text = text;
	}
}

void ac_ch_rows_reset(ac_ch_rows *r)
{
	free(r->body);
	r->body = r->next = NULL;
	r->ran = 0;
}

/*
 * {task}: the tasks whose start falls in [?1, ?2), one row each with the
 * columns of the SQLite task table (names for ids), from the earliest span of
 * each of their traces, which carries the task's fields
 * (schema/clickhouse/span.sql): one row per trace, grouped by task (a task of
 * several traces has one carrier in each, all with the same fields).
 */
#define TASK_COLUMNS                                                                      \
	"task_id, any(t_system) AS system, any(t_type) AS task_type, "                           \
	"any(t_start_ns) AS start_ns, any(t_end_ns) AS end_ns, any(t_spans) AS spans, "          \
	"any(t_llm_calls) AS llm_calls, any(t_tool_calls) AS tool_calls, "                       \
	"any(t_tokens_in) AS tokens_in, any(t_tokens_out) AS tokens_out, "                       \
	"any(t_cost_usd) AS cost_usd, any(t_unpriced_calls) AS unpriced_calls, "                 \
	"any(t_eval) AS eval, any(t_tool_failures) AS tool_failures, "                           \
	"any(t_retry_episodes) AS retry_episodes, any(t_retry_attempts) AS retry_attempts, "     \
	"any(t_max_repeat) AS max_repeat, any(t_top_model) AS top_model, "                       \
	"any(t_top_purpose) AS top_purpose, any(t_top_tool) AS top_tool, "                       \
	"any(t_top_tool_calls) AS top_tool_calls "

static const char TASK_ROWS[] =
	"(SELECT " TASK_COLUMNS "FROM span FINAL WHERE trace_first = 1 AND task_id != '' "
	"AND t_start_ns >= ?1 AND t_start_ns < ?2 GROUP BY task_id)";

/* The "{name}" placeholder p starts with, set with ac_ch_rows_set_text: its
 * text and length in *n; NULL when none. */
/* {task_any}: the same rows for every task, the window left to the query
 * (q_task's candidates overlap the window rather than start in it). */
static const char TASK_ROWS_ANY[] =
	"(SELECT " TASK_COLUMNS "FROM span FINAL WHERE trace_first = 1 AND task_id != '' "
	"GROUP BY task_id)";

/*
 * {router_task}: the production tasks a routing map is replayed over (as
 * router_tasks.sql's twin keeps them: not eval, starting in [?1, ?2), of
 * system ?3), one row each with its start, cost, type and its call groups
 * unpacked (g_* arrays, schema/clickhouse/span.sql).
 * {router_group}: the same tasks, one row per call group (LEFT ARRAY JOIN: a
 * task without groups keeps one row, has_g 0), with gk, the group's key: a
 * hash of what prices its calls alike (class, model, day, service tier,
 * price group; a call priced alone, grp >= 2^24, is keyed by its task too,
 * its grp being a staging store's span key). router_groups.sql sums the
 * groups by key; router_after.sql and router_marks.sql look keys up in the
 * lists the router sends (src/router). (The key is computed after the ARRAY
 * JOIN, not in a lambda: 18.16 drops a column that only a lambda uses from
 * a subquery.)
 */
#define ROUTER_TASK_ROWS                                                                   \
	"SELECT task_id, any(t_start_ns) AS start_ns, any(t_cost_usd) AS cost_usd, "              \
	"any(t_type) AS tt, notEmpty(any(g_grp)) AS has_g, any(g_class) AS gcx, "                \
	"any(g_model) AS gm, any(g_none) AS gnone, any(g_day) AS gday, "                         \
	"any(g_tier) AS gtier, any(g_grp) AS ggrp, "                                              \
	"any(g_calls) AS gn, any(g_tin) AS gtin, any(g_tout) AS gtout, any(g_tcr) AS gtcr, "     \
	"any(g_tcw) AS gtcw, any(g_trs) AS gtrs, any(g_tcw1h) AS gtcw1h, any(g_tain) AS gtain, " \
	"any(g_taout) AS gtaout, any(g_cost) AS gcost "                                          \
	"FROM span FINAL WHERE trace_first = 1 AND task_id != '' AND t_eval = 0 "                \
	"AND t_start_ns >= ?1 AND t_start_ns < ?2 AND (?3 IS NULL OR t_system = ?3) "            \
	"GROUP BY task_id"

static const char ROUTER_TASK[] = "(" ROUTER_TASK_ROWS ")";

static const char ROUTER_GROUP[] =
	"(SELECT task_id, start_ns, cost_usd, tt, has_g, if(bitAnd(nn, 1) = 1, NULL, cxs) AS cx, "
	"if(bitAnd(nn, 2) = 2, NULL, ms) AS m, day, tier, grp, n, tin, tout, tcr, "
	"tcw, trs, tcw1h, tain, taout, cost, "
	"cityHash64(ifNull(tt, ''), isNull(tt), cxs, ms, nn, day, tier, "
	"if(grp >= 16777216, cityHash64(task_id, grp), toUInt64(grp))) AS gk "
	"FROM (" ROUTER_TASK_ROWS ") AS rt "
	"LEFT ARRAY JOIN gcx AS cxs, gm AS ms, gnone AS nn, gday AS day, gtier AS tier, "
	"ggrp AS grp, gn AS n, gtin AS tin, gtout AS tout, gtcr AS tcr, gtcw AS tcw, gtrs AS trs, gtcw1h AS tcw1h, "
	"gtain AS tain, gtaout AS taout, gcost AS cost)";

static const char *named_text(const ac_ch_rows *r, const char *p, size_t *n)
{
	for (size_t i = 0; i < r->nnamed; i++) {
		size_t k = strlen(r->named[i].name);
		if (!strncmp(p + 1, r->named[i].name, k) && p[k + 1] == '}') {
			*n = k + 2;
			return r->named[i].text;
		}
	}
	return NULL;
}

static int substitute_text(ac_ch_rows *r, const char *p, ac_buf *b, int *uses_qtask,
                           ac_err *err);

/* The query text with ?N replaced by literals and {task}, {traces}, {tasks},
 * {q_task} and the ac_ch_rows_set_text placeholders by their texts (outside
 * quotes and comments); *uses_qtask: 1 when {q_task} was replaced. */
static int substitute(ac_ch_rows *r, ac_buf *b, int *uses_qtask, ac_err *err)
{
	*uses_qtask = 0;
	r->nsub = 0;
	int rc = substitute_text(r, r->sql, b, uses_qtask, err);
	if (rc)
		return rc;
	/* the statement's own end */
	while (b->len && (b->data[b->len - 1] == ';' || b->data[b->len - 1] == '\n' ||
	                  b->data[b->len - 1] == ' '))
		b->len--;
	return b->oom ? ac_err_set(err, AC_ENOMEM, "out of memory") : 0;
}

/* The text of the subquery macro p starts with ({task}, {task_any},
 * {router_task}, {router_group}) and the macro's length in *n; NULL when
 * none. */
static const char *macro_text(const char *p, size_t *n)
{
	static const struct {
		const char *name, *text;
	} m[] = { { "{task_any}", TASK_ROWS_ANY },
		  { "{task}", TASK_ROWS },
		  { "{router_group}", ROUTER_GROUP },
		  { "{router_task}", ROUTER_TASK } };
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		size_t k = strlen(m[i].name);
		if (!strncmp(p, m[i].name, k)) {
			*n = k;
			return m[i].text;
		}
	}
	return NULL;
}

static int substitute_text(ac_ch_rows *r, const char *p, ac_buf *b, int *uses_qtask,
                           ac_err *err)
{
	const char *t;
	size_t n;
	while (*p) {
		if (*p == '\'') { /* a literal: copy to its end */
			const char *e = p + 1;
			while (*e && *e != '\'')
				e += (*e == '\\' && e[1]) ? 2 : 1;
			if (*e)
				e++;
			ac_buf_add(b, p, (size_t)(e - p));
			p = e;
		} else if (p[0] == '-' && p[1] == '-') { /* a comment: drop it */
			while (*p && *p != '\n')
				p++;
		} else if (*p == '{' && (t = macro_text(p, &n))) {
			/* a subquery, with an alias of its own: a current server's
			 * analyzer wants one on each side of a JOIN */
			int rc = substitute_text(r, t, b, uses_qtask, err);
			if (rc)
				return rc;
			ac_buf_printf(b, " AS ac_sub%d", ++r->nsub);
			p += n;
		} else if (r->traces && !strncmp(p, "{traces}", 8)) {
			ac_buf_adds(b, r->traces);
			p += 8;
		} else if (r->tasks && !strncmp(p, "{tasks}", 7)) {
			ac_buf_adds(b, r->tasks);
			p += 7;
		} else if (!strncmp(p, "{q_task}", 8)) {
			/* the tasks of the question with dimensions (src/store/qtask.c) */
			if (!r->qtask)
				return ac_err_set(err, AC_EINVAL, "%s: no q_task prepared (ac_store_qtask_*)",
				                  r->name);
			ac_buf_addc(b, '(');
			ac_buf_adds(b, r->qtask);
			ac_buf_addc(b, ')');
			*uses_qtask = 1;
			p += 8;
		} else if (*p == '{' && (t = named_text(r, p, &n))) {
			ac_buf_adds(b, t);
			p += n;
		} else if (*p == '?' && p[1] >= '1' && p[1] <= '9') {
			int k = p[1] - '0';
			p += 2;
			switch (r->ptype[k]) {
			case P_INT:
				if (b->len >= 6 && !memcmp(b->data + b->len - 6, "LIMIT ", 6))
					ac_buf_printf(b, "%" PRId64, r->pint[k]); /* LIMIT takes a literal */
				else if (r->pint[k] == INT64_MIN)
					ac_buf_adds(b, "(-9223372036854775807-1)");
				else
					ac_buf_printf(b, "toInt64(%" PRId64 ")", r->pint[k]);
				break;
			case P_TEXT:
				ac_ch_quote(b, r->ptext[k]);
				break;
			case P_NULL:
				ac_buf_adds(b, "NULL");
				break;
			case P_U64S:
			case P_DOUBLES:
				list_literal(b, r->ptype[k] == P_DOUBLES, r->plist[k], r->nlist[k]);
				break;
			default:
				return ac_err_set(err, AC_EINVAL, "%s: parameter ?%d not bound", r->name, k);
			}
		} else {
			ac_buf_addc(b, *p++);
		}
	}
	return 0;
}

int ac_ch_rows_sql(ac_ch_rows *r, ac_buf *b, ac_err *err)
{
	int uses_qtask;
	return substitute(r, b, &uses_qtask, err);
}

/* The statement sent: the query substituted, then (when it embeds q_task)
 * the setting for its subqueries, then the answer's format. On a cluster,
 * q_task's root-rank test (is a span's parent in its task?) is an IN over
 * the Distributed span table inside a query over it; distributed_product_mode
 * = 'local' runs it over each shard's own spans, which is exact because a
 * span's parent is in its trace and a trace lives on one shard
 * (cityHash64(trace_id)). The twins join q_task GLOBAL: it is computed once,
 * over every shard (a task of several traces may span shards), and its rows
 * (one per task of the question) sent to each shard. */
static int statement(ac_ch_rows *r, ac_buf *b, ac_err *err)
{
	int uses_qtask, rc = substitute(r, b, &uses_qtask, err);
	if (rc)
		return rc;
	if (uses_qtask)
		ac_buf_adds(b, "\nSETTINGS distributed_product_mode = 'local'");
	ac_buf_adds(b, "\nFORMAT TabSeparated");
	return b->oom ? ac_err_set(err, AC_ENOMEM, "out of memory") : 0;
}

/* Undo TabSeparated escapes in place; returns the new end. */
static char *unescape(char *s, char *end)
{
	char *w = s;
	for (char *p = s; p < end; p++) {
		if (*p != '\\' || p + 1 >= end) {
			*w++ = *p;
			continue;
		}
		char e = *++p;
		switch (e) {
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case '0': *w++ = '\0'; break;
		default: *w++ = e; break;
		}
	}
	return w;
}

int ac_ch_rows_next(ac_ch_rows *r, ac_err *err)
{
	if (!r->ran) {
		ac_buf q = AC_BUF_INIT;
		int rc = statement(r, &q, err);
		if (!rc)
			rc = ac_ch_query(r->c, ac_buf_cstr(&q), 1, &r->body, NULL, err);
		ac_buf_release(&q);
		if (rc) {
			if (rc == AC_ESQL) {
				char m[sizeof(err->msg)];
				snprintf(m, sizeof(m), "%s", err->msg);
				ac_err_set(err, AC_ESQL, "%s: %s", r->name, m);
			}
			return rc;
		}
		r->ran = 1;
		r->next = r->body;
	}
	if (!r->next || !*r->next)
		return 0;
	char *line = r->next, *nl = strchr(line, '\n');
	char *end = nl ? nl : line + strlen(line);
	r->next = nl ? nl + 1 : end;
	r->nfield = 0;
	for (char *f = line;;) {
		char *tab = memchr(f, '\t', (size_t)(end - f));
		char *fe = tab ? tab : end;
		if (r->nfield == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 16;
			char **v = realloc(r->field, cap * sizeof(*v));
			if (!v)
				return ac_err_set(err, AC_ENOMEM, "out of memory");
			r->field = v;
			r->cap = cap;
		}
		if (fe - f == 2 && f[0] == '\\' && f[1] == 'N') {
			r->field[r->nfield++] = NULL;
		} else {
			*unescape(f, fe) = 0;
			r->field[r->nfield++] = f;
		}
		if (!tab)
			break;
		f = tab + 1;
	}
	return 1;
}

const char *ac_ch_rows_text(ac_ch_rows *r, int col)
{
	return col >= 0 && (size_t)col < r->nfield ? r->field[col] : NULL;
}

void ac_ch_rows_free(ac_ch_rows *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->field);
	free(r);
}

/* ---- names ---------------------------------------------------------------- */

/* Where a twin gives an id for a name (task_costs.sql), the id is computed
 * from the name in the server; the name comes back by the same expression
 * over the distinct names of the column that holds it. */
#define NAME_ID(x) "if(isNull(" x "), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(" x ")), 2)) + 1)"

static const char *const NAME_SOURCE[AC_DICT_COUNT] = {
	[AC_DICT_SERVICE] = "SELECT DISTINCT t_system AS n FROM span",
	/* and the classes and models the packed call groups name (t_classes, t_models) */
	[AC_DICT_LABEL] = "SELECT DISTINCT t_type AS n FROM span UNION ALL "
	                  "SELECT DISTINCT t_top_purpose AS n FROM span UNION ALL "
	                  "SELECT DISTINCT toNullable(arrayJoin(t_classes)) AS n FROM span",
	[AC_DICT_MODEL] = "SELECT DISTINCT t_top_model AS n FROM span UNION ALL "
	                  "SELECT DISTINCT toNullable(arrayJoin(t_models)) AS n FROM span",
	[AC_DICT_TOOL] = "SELECT DISTINCT t_top_tool AS n FROM span",
};

/* Each dictionary's names with their ids, read at its first lookup (the
 * distinct names of a few task columns of the spans: models, tools, labels,
 * systems). */
typedef struct {
	int loaded[AC_DICT_COUNT];
	size_t n[AC_DICT_COUNT];
	int64_t *id[AC_DICT_COUNT];
	char **name[AC_DICT_COUNT];
} name_cache;

static void cache_free(void *p)
{
	name_cache *nc = p;
	for (int d = 0; d < AC_DICT_COUNT; d++) {
		for (size_t i = 0; i < nc->n[d]; i++)
			free(nc->name[d][i]);
		free(nc->name[d]);
		free(nc->id[d]);
	}
	free(nc);
}

static int cache_load(ac_ch *c, name_cache *nc, int dict, ac_err *err)
{
	ac_buf q = AC_BUF_INIT;
	ac_buf_printf(&q, "SELECT DISTINCT assumeNotNull(n), " NAME_ID("n")
	                  " FROM (%s) WHERE n IS NOT NULL FORMAT TabSeparated",
	              NAME_SOURCE[dict]);
	char *body = NULL;
	int rc = q.oom ? ac_err_set(err, AC_ENOMEM, "out of memory")
	               : ac_ch_query(c, ac_buf_cstr(&q), 1, &body, NULL, err);
	ac_buf_release(&q);
	if (rc)
		return rc;
	size_t cap = 0;
	for (char *line = body; *line && !rc;) {
		char *nl = strchr(line, '\n');
		char *end = nl ? nl : line + strlen(line);
		char *tab = memchr(line, '\t', (size_t)(end - line));
		if (tab) {
			char *e = unescape(line, tab);
			if (nc->n[dict] == cap) {
				cap = cap ? cap * 2 : 32;
				int64_t *vi = realloc(nc->id[dict], cap * sizeof(*vi));
				if (vi)
					nc->id[dict] = vi;
				char **vn = vi ? realloc(nc->name[dict], cap * sizeof(*vn)) : NULL;
				if (!vn) {
					rc = ac_err_set(err, AC_ENOMEM, "out of memory");
					break;
				}
				nc->name[dict] = vn;
			}
			char *name = strndup(line, (size_t)(e - line));
			if (!name) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			nc->name[dict][nc->n[dict]] = name;
			nc->id[dict][nc->n[dict]++] = strtoll(tab + 1, NULL, 10);
		}
		line = nl ? nl + 1 : end;
	}
	free(body);
	if (!rc)
		nc->loaded[dict] = 1;
	return rc;
}

int ac_ch_name(ac_ch *c, int dict, int64_t id, char **out, ac_err *err)
{
	*out = NULL;
	if (id == 0)
		return 0;
	if (dict < 0 || dict >= AC_DICT_COUNT || !NAME_SOURCE[dict])
		return ac_err_set(err, AC_EINVAL, "no name lookup of dictionary %d on ClickHouse", dict);
	void **slot = ac_ch_names_slot(c, cache_free);
	if (!*slot && !(*slot = calloc(1, sizeof(name_cache))))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	name_cache *nc = *slot;
	int rc;
	if (!nc->loaded[dict] && (rc = cache_load(c, nc, dict, err)))
		return rc;
	for (size_t i = 0; i < nc->n[dict]; i++)
		if (nc->id[dict][i] == id)
			return (*out = strdup(nc->name[dict][i])) ? 0
			                                          : ac_err_set(err, AC_ENOMEM, "out of memory");
	return 0;
}
