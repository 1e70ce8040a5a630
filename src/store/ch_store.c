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

#include "../util/hash.h"

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
/* task, task_calls: not partitioned (schema/clickhouse/task.sql says why) */
static const char TASK_ENGINE[] = "ReplacingMergeTree(version) ORDER BY task_id";
static const char CALLS_ENGINE[] = "ReplacingMergeTree(version) ORDER BY task_id";

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

/* One shard's tables: span_local, task_local, task_calls_local (the data)
 * and span, task, task_calls (Distributed over the cluster) on a cluster;
 * span, task, task_calls on one server. */
static int create_shard(ac_ch *c, ac_err *err)
{
	int rc;
	const char *cl = ac_ch_cluster(c);
	if ((rc = create_db(c, err)))
		return rc;
	if (!cl)
		return create_table(c, "span.sql", "span", SPAN_ENGINE, err) ||
		       create_table(c, "task.sql", "task", TASK_ENGINE, err) ||
		       create_table(c, "task_calls.sql", "task_calls", CALLS_ENGINE, err) ||
		       create_table(c, "file.sql", "file", "", err)
		           ? (err->code ? err->code : AC_ESQL)
		           : 0;
	char dist[256];
	if ((rc = create_table(c, "span.sql", "span_local", SPAN_ENGINE, err)) ||
	    (rc = create_table(c, "task.sql", "task_local", TASK_ENGINE, err)) ||
	    (rc = create_table(c, "task_calls.sql", "task_calls_local", CALLS_ENGINE, err)))
		return rc;
	snprintf(dist, sizeof(dist), "Distributed(%s, %s, span_local, cityHash64(task_id))", cl,
	         ac_ch_database(c));
	if ((rc = create_table(c, "span.sql", "span", dist, err)))
		return rc;
	snprintf(dist, sizeof(dist), "Distributed(%s, %s, task_local, cityHash64(task_id))", cl,
	         ac_ch_database(c));
	if ((rc = create_table(c, "task.sql", "task", dist, err)))
		return rc;
	snprintf(dist, sizeof(dist), "Distributed(%s, %s, task_calls_local, cityHash64(task_id))",
	         cl, ac_ch_database(c));
	if ((rc = create_table(c, "task_calls.sql", "task_calls", dist, err)))
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
	char sql[256], *body = NULL;
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
	(void)sql;
	return 0;
}

int ac_chs_open(ac_ch **out, const char *url, ac_err *err)
{
	ac_ch *c;
	char *body = NULL;
	int rc = ac_ch_open(&c, url, err);
	if (rc)
		return rc;
	if ((rc = ac_ch_query(c, "SELECT version()", 0, &body, NULL, err))) {
		ac_ch_close(c);
		return rc;
	}
	free(body);
	rc = ac_ch_cluster(c) ? create_cluster(c, err) : create_shard(c, err);
	if (rc) {
		ac_ch_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* ---- reading -------------------------------------------------------------- */

enum { P_NONE, P_INT, P_TEXT, P_NULL };
#define NPARAM 10

struct ac_ch_rows {
	ac_ch *c;
	const char *name, *sql;
	int ptype[NPARAM];
	int64_t pint[NPARAM];
	const char *ptext[NPARAM];
	const char *traces, *tasks; /* ac_ch_rows_set_lists */
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

void ac_ch_rows_set_lists(ac_ch_rows *r, const char *traces, const char *tasks)
{
	r->traces = traces;
	r->tasks = tasks;
}

void ac_ch_rows_reset(ac_ch_rows *r)
{
	free(r->body);
	r->body = r->next = NULL;
	r->ran = 0;
}

/* The query text with ?N replaced by literals (outside quotes and comments). */
static int substitute(ac_ch_rows *r, ac_buf *b, ac_err *err)
{
	const char *p = r->sql;
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
		} else if (r->traces && !strncmp(p, "{traces}", 8)) {
			ac_buf_adds(b, r->traces);
			p += 8;
		} else if (r->tasks && !strncmp(p, "{tasks}", 7)) {
			ac_buf_adds(b, r->tasks);
			p += 7;
		} else if (*p == '?' && p[1] >= '1' && p[1] <= '9') {
			int k = p[1] - '0';
			p += 2;
			switch (r->ptype[k]) {
			case P_INT:
				if (r->pint[k] == INT64_MIN)
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
			default:
				return ac_err_set(err, AC_EINVAL, "%s: parameter ?%d not bound", r->name, k);
			}
		} else {
			ac_buf_addc(b, *p++);
		}
	}
	/* the statement's own end, then the answer's format */
	while (b->len && (b->data[b->len - 1] == ';' || b->data[b->len - 1] == '\n' ||
	                  b->data[b->len - 1] == ' '))
		b->len--;
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
		int rc = substitute(r, &q, err);
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
	[AC_DICT_SERVICE] = "SELECT DISTINCT system AS n FROM task",
	/* task_calls: the classes and models its packed call groups name */
	[AC_DICT_LABEL] = "SELECT DISTINCT task_type AS n FROM task UNION ALL "
	                  "SELECT DISTINCT top_purpose AS n FROM task UNION ALL "
	                  "SELECT DISTINCT toNullable(arrayJoin(classes)) AS n FROM task_calls",
	[AC_DICT_MODEL] = "SELECT DISTINCT top_model AS n FROM task UNION ALL "
	                  "SELECT DISTINCT toNullable(arrayJoin(models)) AS n FROM task_calls",
	[AC_DICT_TOOL] = "SELECT DISTINCT top_tool AS n FROM task",
};

/* Each dictionary's names with their ids, read at its first lookup (the
 * distinct names of a few task columns: models, tools, labels, systems). */
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
