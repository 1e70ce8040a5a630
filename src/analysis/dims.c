/*
 * Dimensions: parsing and the per-task values (dims.h). The steps go through
 * the store's q_task calls (store.h: on SQLite query files over temporary
 * tables, queries/dims_*.sql; on ClickHouse one subquery); only an attribute
 * that is neither built in nor promoted is read here, span by span, from the
 * stored originals (SQLite only).
 */
#include "dims.h"

#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "../util/jsonattr.h"
#include "../util/map.h"

static const struct {
	const char *name;
	ac_dim_kind kind;
} BUILTIN[] = {
	{ "user", AC_DIM_USER },       { "session", AC_DIM_SESSION },
	{ "agent", AC_DIM_AGENT },     { "environment", AC_DIM_ENV },
	{ "system", AC_DIM_SYSTEM },   { "task_type", AC_DIM_TASK_TYPE },
	{ "model", AC_DIM_MODEL },
};
#define NBUILTIN (sizeof(BUILTIN) / sizeof(BUILTIN[0]))

int ac_dim_parse(const char *text, ac_dim *d, ac_err *err)
{
	memset(d, 0, sizeof(*d));
	d->name = text;
	if (strncmp(text, "attr:", 5) == 0) {
		if (!text[5])
			return ac_err_set(err, AC_EINVAL, "dimension \"attr:\" names no attribute (attr:KEY)");
		d->kind = AC_DIM_ATTR;
		d->attr = text + 5;
		return 0;
	}
	for (size_t k = 0; k < NBUILTIN; k++)
		if (strcmp(text, BUILTIN[k].name) == 0) {
			d->kind = BUILTIN[k].kind;
			return 0;
		}
	return ac_err_set(err, AC_EINVAL,
	                  "unknown dimension \"%s\": one of user, session, agent, environment, "
	                  "system, task_type, model, or attr:KEY for any attribute",
	                  text);
}

/* Column names the listings keyed by a dimension print beside it: an
 * attribute of that name keeps its attr: prefix so no row has a key twice. */
static const char *const METRIC[] = {
	"tasks", "cost", "share", "p50", "p99", "previous_cost", "change", "spans",
	"llm_calls", "tool_calls", "cost_total", "eval_tasks", "purpose", "period", "scope",
	"value", "status", "limit", "spent", "forecast", "period_start", "dimension", "values",
	"total_cost", "top",
};

const char *ac_dim_column(const ac_dim *d)
{
	if (d->kind == AC_DIM_ATTR) {
		for (size_t k = 0; k < NBUILTIN; k++)
			if (strcmp(d->attr, BUILTIN[k].name) == 0)
				return d->name ? d->name : d->attr - 5;
		for (size_t k = 0; k < sizeof(METRIC) / sizeof(METRIC[0]); k++)
			if (strcmp(d->attr, METRIC[k]) == 0)
				return d->name ? d->name : d->attr - 5;
		return d->attr;
	}
	if (d->name)
		return d->name;
	for (size_t k = 0; k < NBUILTIN; k++)
		if (BUILTIN[k].kind == d->kind)
			return BUILTIN[k].name;
	return "complexity";
}

/* Run statement file `name` with ?1 = a and, when b is given, ?2 = b. */
static int exec1(ac_store *s, const char *name, int64_t a, const char *b, ac_err *err)
{
	ac_rows *r;
	int rc = ac_store_rows(s, name, 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
	if (rc)
		return rc;
	ac_rows_bind_int(r, 1, a);
	if (b)
		ac_rows_bind_text(r, 2, b);
	while ((rc = ac_rows_next(r, err)) > 0)
		;
	ac_rows_free(r);
	return rc;
}

/* A whole block of originals, decompressed (the last one read is kept). */
typedef struct block {
	int64_t id;
	char *text;
	size_t n;
} block;

static int read_block(ac_store *s, int64_t id, block *b, ac_err *err)
{
	if (b->id == id)
		return 0;
	free(b->text);
	b->text = NULL;
	b->n = 0;
	b->id = id;
	ac_rows *r;
	int rc = ac_store_rows(s, "dims_raw_block.sql", 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
	if (rc)
		return rc;
	ac_rows_bind_int(r, 1, id);
	if ((rc = ac_rows_next(r, err)) > 0) {
		size_t zn;
		const void *z = ac_rows_blob(r, 0, &zn);
		unsigned long long size = z ? ZSTD_getFrameContentSize(z, zn) : ZSTD_CONTENTSIZE_ERROR;
		/* a damaged block reads as no originals: its spans have no value */
		if (size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN &&
		    size < ((unsigned long long)1 << 32) && (b->text = malloc(size ? size : 1))) {
			size_t got = ZSTD_decompress(b->text, size, z, zn);
			if (ZSTD_isError(got) || got != size) {
				free(b->text);
				b->text = NULL;
			} else {
				b->n = got;
			}
		}
		rc = 0;
	}
	ac_rows_free(r);
	return rc;
}

/* q_sv from the originals: attribute key of each candidate span, from its
 * text, else from its resource's (a resource's answer is kept: few). */
static int sv_originals(ac_store *s, const char *key, ac_err *err)
{
	ac_rows *r = NULL, *put = NULL;
	block b = { 0, NULL, 0 };
	ac_map res; /* resource id -> 1 + index into rvals, or 0 = no value */
	ac_map_init(&res, 0);
	char **rvals = NULL;
	size_t nr = 0;
	char val[1024];
	int rc = ac_store_rows(s, "dims_originals.sql", 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
	if (!rc)
		rc = ac_store_rows(s, "dims_sv_put.sql", 0, 0, NULL, AC_ROWS_PLAIN, &put, err);
	while (!rc && (rc = ac_rows_next(r, err)) > 0) {
		rc = 0;
		const char *v = NULL;
		if (!ac_rows_null(r, 5)) {
			int64_t off = ac_rows_int(r, 6), len = ac_rows_int(r, 7);
			if ((rc = read_block(s, ac_rows_int(r, 5), &b, err)))
				break;
			if (b.text && off >= 0 && len > 0 && (uint64_t)(off + len) <= b.n &&
			    ac_json_attr_find(b.text + off, (size_t)len, key, val, sizeof(val)))
				v = val;
		}
		int64_t rid = ac_rows_int(r, 8);
		if (!v && rid) {
			int64_t at;
			if (nr >= 65536 || !ac_map_get(&res, &rid, sizeof(rid), &at)) {
				const char *rt = ac_rows_text(r, 9);
				at = 0;
				int hit = rt && ac_json_attr_find(rt, strlen(rt), key, val, sizeof(val));
				if (hit && nr >= 65536) {
					v = val; /* too many resources to keep their answers */
					goto put;
				}
				if (hit) {
					char **nv = realloc(rvals, (nr + 1) * sizeof(*nv));
					if (!nv || !(nv[nr] = strdup(val))) {
						rvals = nv ? nv : rvals;
						rc = ac_err_set(err, AC_ENOMEM, "out of memory");
						break;
					}
					rvals = nv;
					at = (int64_t)++nr;
				}
				if (ac_map_put(&res, &rid, sizeof(rid), at)) {
					rc = ac_err_set(err, AC_ENOMEM, "out of memory");
					break;
				}
			}
			if (at)
				v = rvals[at - 1];
		}
		if (!v)
			continue;
	put:;
		size_t idn;
		const void *id = ac_rows_blob(r, 4, &idn);
		for (int c = 0; c < 4; c++)
			ac_rows_bind_int(put, c + 1, ac_rows_int(r, c));
		ac_rows_bind_blob(put, 5, id, id ? idn : 0);
		ac_rows_bind_text(put, 6, v);
		while ((rc = ac_rows_next(put, err)) > 0)
			;
		if (rc)
			break;
		ac_rows_reset(put);
	}
	if (rc > 0)
		rc = 0;
	for (size_t k = 0; k < nr; k++)
		free(rvals[k]);
	free(rvals);
	free(b.text);
	ac_map_release(&res);
	ac_rows_free(put);
	ac_rows_free(r);
	return rc;
}

/* The promoted dimension of attribute key: its dim.id, 0 when none. */
static int promoted(ac_store *s, const char *key, int64_t *id, ac_err *err)
{
	ac_rows *r;
	*id = 0;
	int rc = ac_store_rows(s, "dims_dim_id.sql", 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
	if (rc)
		return rc;
	ac_rows_bind_text(r, 1, key);
	if ((rc = ac_rows_next(r, err)) > 0) {
		*id = ac_rows_int(r, 0);
		rc = 0;
	}
	ac_rows_free(r);
	return rc;
}

/* Every candidate task's value of d at position pos (the store's q_task). */
static int task_values(ac_store *s, const ac_dim *d, int pos, ac_err *err)
{
	static const char *const sv[] = { [AC_DIM_USER] = "dims_sv_user.sql",
		                          [AC_DIM_SESSION] = "dims_sv_session.sql",
		                          [AC_DIM_AGENT] = "dims_sv_agent.sql",
		                          [AC_DIM_ENV] = "dims_sv_env.sql" };
	int rc;
	switch (d->kind) {
	case AC_DIM_SYSTEM:
		return ac_store_qtask_values(s, pos, AC_QTASK_TASK, "dims_task_system.sql", 0, err);
	case AC_DIM_TASK_TYPE:
		return ac_store_qtask_values(s, pos, AC_QTASK_TASK, "dims_task_type.sql", 0, err);
	case AC_DIM_USER:
	case AC_DIM_SESSION:
	case AC_DIM_AGENT:
	case AC_DIM_ENV:
		return ac_store_qtask_values(s, pos, AC_QTASK_SPANS, sv[d->kind], 0, err);
	case AC_DIM_ATTR:
		break;
	default:
		return ac_err_set(err, AC_EINVAL, "dimension %s is not a task's", ac_dim_column(d));
	}
	/* attr:KEY: a promoted attribute's span_dim, else the stored originals,
	 * which only a SQLite store keeps */
	if (ac_store_is_remote(s))
		return ac_err_set(err, AC_EINVAL,
		                  "attr:%s: not answered on the ClickHouse backend yet (an attribute "
		                  "dimension reads the spans' stored originals, which a ClickHouse "
		                  "store does not keep); use a SQLite store for it, or a built-in "
		                  "dimension (user, session, agent, environment, system, task_type, "
		                  "model)",
		                  d->attr);
	int64_t id;
	if ((rc = promoted(s, d->attr, &id, err)))
		return rc;
	if (id)
		return ac_store_qtask_values(s, pos, AC_QTASK_SPANS, "dims_sv_promoted.sql", id, err);
	if ((rc = exec1(s, "dims_sv_clear.sql", 0, NULL, err)) || (rc = sv_originals(s, d->attr, err)))
		return rc;
	return ac_store_qtask_values(s, pos, AC_QTASK_RULE, NULL, 0, err);
}

static int prepare(ac_store *s, const ac_query *q, ac_err *err);

int ac_dims_prepare(ac_store *s, const ac_query *q, ac_dims_info *info, ac_err *err)
{
	int rc;
	memset(info, 0, sizeof(*info));
	if (q->nby > AC_DIMS_MAX_BY)
		return ac_err_set(err, AC_EINVAL, "--by takes at most %d dimensions (a pair)",
		                  AC_DIMS_MAX_BY);
	if (q->nwhere > AC_DIMS_MAX_WHERE)
		return ac_err_set(err, AC_EINVAL, "at most %d --where filters", AC_DIMS_MAX_WHERE);
	if (q->nby == 2 && !strcmp(ac_dim_column(&q->by[0]), ac_dim_column(&q->by[1])))
		return ac_err_set(err, AC_EINVAL, "--by names %s twice", ac_dim_column(&q->by[0]));
	for (size_t i = 0; i < q->nby; i++) {
		if (q->by[i].kind == AC_DIM_COMPLEXITY)
			return ac_err_set(err, AC_EINVAL, "--by complexity is not a dimension here");
		if (q->by[i].kind == AC_DIM_MODEL) {
			if (info->model_pos)
				return ac_err_set(err, AC_EINVAL, "--by names model twice");
			info->model_pos = (int)i + 1;
		}
	}
	for (size_t i = 0; i < q->nwhere; i++) {
		if (q->where[i].dim.kind == AC_DIM_COMPLEXITY)
			return ac_err_set(err, AC_EINVAL, "--where complexity is not a dimension here");
		if (q->where[i].dim.kind == AC_DIM_MODEL) {
			if (info->model_where)
				return ac_err_set(err, AC_EINVAL, "--where names model twice");
			info->model_where = q->where[i].value ? q->where[i].value : "(none)";
		}
	}
	if ((rc = ac_store_qtask_begin(s, q->since_ns, q->until_ns, q->system, err)))
		return rc;
	if ((rc = prepare(s, q, err))) {
		ac_err ignore = AC_ERR_INIT;
		ac_store_qtask_end(s, 0, &ignore);
		return rc;
	}
	return ac_store_qtask_end(s, 1, err);
}

/* The values of each --by and --where dimension, and the filters. */
static int prepare(ac_store *s, const ac_query *q, ac_err *err)
{
	int rc;
	for (size_t i = 0; i < q->nby; i++)
		if (q->by[i].kind != AC_DIM_MODEL &&
		    (rc = task_values(s, &q->by[i], (int)i + 1, err)))
			return rc;
	for (size_t i = 0; i < q->nwhere; i++) {
		const ac_filter *f = &q->where[i];
		int pos = AC_DIMS_MAX_BY + 1 + (int)i;
		if (f->dim.kind == AC_DIM_MODEL)
			continue;
		if ((rc = task_values(s, &f->dim, pos, err)) ||
		    (rc = ac_store_qtask_where(s, pos, f->value ? f->value : "(none)", err)))
			return rc;
	}
	return 0;
}

struct ac_units {
	ac_rows *r;
};

int ac_units_open(ac_store *s, const ac_query *q, int flags, ac_units **out, ac_err *err)
{
	ac_dims_info info;
	*out = NULL;
	int rc = ac_dims_prepare(s, q, &info, err);
	if (rc)
		return rc;
	ac_units *it = calloc(1, sizeof(*it));
	if (!it)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	int model = info.model_pos || info.model_where, approx = (flags & AC_UNITS_APPROX) != 0;
	if (approx && (flags & AC_UNITS_SPANS)) {
		free(it);
		return ac_err_set(err, AC_EINVAL, "no sketch of the spans starting in a window");
	}
	const char *name = model && approx           ? "dims_units_model_approx.sql"
	                   : model                   ? "dims_units_model.sql"
	                   : approx                  ? "dims_units_approx.sql"
	                   : flags & AC_UNITS_SPANS ? "dims_units_spans.sql"
	                                            : "dims_units.sql";
	rc = ac_store_rows(s, name, q->since_ns, q->until_ns,
	                   q->system, AC_ROWS_SCAN, &it->r, err);
	if (rc) {
		free(it);
		return rc;
	}
	ac_rows_bind_int(it->r, 4, (flags & AC_UNITS_EVAL) != 0);
	if (model) {
		ac_rows_bind_int(it->r, 5, info.model_pos);
		ac_rows_bind_text(it->r, 6, info.model_where); /* NULL: none */
		ac_rows_bind_int(it->r, 7, (flags & AC_UNITS_SPANS) != 0);
	}
	if (approx)
		ac_rows_bind_int(it->r, 8, (flags & AC_UNITS_TOTALS) != 0);
	*out = it;
	return 0;
}

int ac_units_next(ac_units *it, ac_unit *u, ac_err *err)
{
	int rc = ac_rows_next(it->r, err);
	if (rc <= 0)
		return rc;
	for (int k = 0; k < AC_DIMS_MAX_BY; k++)
		u->k[k] = ac_rows_text(it->r, k);
	u->task = ac_rows_int(it->r, 2);
	u->cost = ac_rows_double(it->r, 3);
	u->llm_calls = ac_rows_int(it->r, 4);
	return 1;
}

int ac_units_next_bin(ac_units *it, ac_unit_bin *u, ac_err *err)
{
	int rc = ac_rows_next(it->r, err);
	if (rc <= 0)
		return rc;
	for (int k = 0; k < AC_DIMS_MAX_BY; k++)
		u->k[k] = ac_rows_text(it->r, k);
	u->kind = (int)ac_rows_int(it->r, 2);
	u->bin = ac_rows_int(it->r, 3);
	u->value = ac_rows_double(it->r, 4);
	u->n = ac_rows_int(it->r, 5);
	u->sum = ac_rows_double(it->r, 6);
	u->min = ac_rows_double(it->r, 7);
	u->max = ac_rows_double(it->r, 8);
	return 1;
}

void ac_units_close(ac_units *it)
{
	if (!it)
		return;
	ac_rows_free(it->r);
	free(it);
}

/* ---- promotion ----------------------------------------------------------- */

static int run_plain(ac_store *s, const char *name, int64_t a, int64_t b, int64_t c, int nb,
                     ac_err *err)
{
	ac_rows *r;
	int rc = ac_store_rows(s, name, 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
	if (rc)
		return rc;
	int64_t v[3] = { a, b, c };
	for (int k = 0; k < nb; k++)
		ac_rows_bind_int(r, k + 1, v[k]);
	while ((rc = ac_rows_next(r, err)) > 0)
		;
	ac_rows_free(r);
	return rc;
}

/* span_dim of dimension id for every stored span, from the originals. */
static int fill_promoted(ac_store *s, int64_t id, const char *key, long long *spans, ac_err *err)
{
	ac_rows *r = NULL, *put = NULL;
	block b = { 0, NULL, 0 };
	char val[1024];
	int rc = ac_store_rows(s, "dims_all_originals.sql", 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
	if (!rc)
		rc = ac_store_rows(s, "dims_span_put.sql", 0, 0, NULL, AC_ROWS_PLAIN, &put, err);
	while (!rc && (rc = ac_rows_next(r, err)) > 0) {
		rc = 0;
		const char *raw = NULL, *res = ac_rows_text(r, 5);
		size_t rn = 0;
		if (!ac_rows_null(r, 1)) {
			int64_t off = ac_rows_int(r, 2), len = ac_rows_int(r, 3);
			if ((rc = read_block(s, ac_rows_int(r, 1), &b, err)))
				break;
			if (b.text && off >= 0 && len > 0 && (uint64_t)(off + len) <= b.n) {
				raw = b.text + off;
				rn = (size_t)len;
			}
		}
		if (!ac_json_attr_span(raw, rn, res, res ? strlen(res) : 0, key, val, sizeof(val)))
			continue;
		int64_t vid;
		if ((rc = ac_store_dict(s, AC_DICT_DIM_VALUE, val, strlen(val), &vid, err)))
			break;
		ac_rows_bind_int(put, 1, id);
		ac_rows_bind_int(put, 2, ac_rows_int(r, 0));
		ac_rows_bind_int(put, 3, vid);
		while ((rc = ac_rows_next(put, err)) > 0)
			;
		if (rc)
			break;
		ac_rows_reset(put);
		++*spans;
	}
	free(b.text);
	ac_rows_free(put);
	ac_rows_free(r);
	return rc > 0 ? 0 : rc;
}

int ac_dims_add(ac_store *s, const char *key, const char *now_iso, long long *spans, ac_err *err)
{
	static const char *const builtin_keys[] = {
		"user.id", "enduser.id", "langfuse.user.id", "user_id", "session.id",
		"gen_ai.conversation.id", "langfuse.session.id", "session_id", "gen_ai.agent.name",
		"agent.name", "deployment.environment.name", "deployment.environment", "service.name",
	};
	*spans = 0;
	if (!*key)
		return ac_err_set(err, AC_EINVAL, "dims add: an attribute key is needed");
	for (size_t k = 0; k < sizeof(builtin_keys) / sizeof(builtin_keys[0]); k++)
		if (!strcmp(key, builtin_keys[k]))
			return ac_err_set(err, AC_EINVAL,
			                  "%s is read by a built-in dimension already (user, session, "
			                  "agent, environment, system): nothing to promote",
			                  key);
	int64_t id;
	int rc = promoted(s, key, &id, err);
	if (rc)
		return rc;
	if (id)
		return ac_err_set(err, AC_EINVAL, "%s is promoted already (agentcost dims list)", key);
	if ((rc = ac_store_begin(s, err)))
		return rc;
	ac_rows *r;
	if (!(rc = ac_store_rows(s, "dims_add.sql", 0, 0, NULL, AC_ROWS_PLAIN, &r, err))) {
		ac_rows_bind_text(r, 1, key);
		ac_rows_bind_text(r, 2, now_iso);
		while ((rc = ac_rows_next(r, err)) > 0)
			;
		ac_rows_free(r);
	}
	if (!rc && !(rc = promoted(s, key, &id, err)))
		rc = fill_promoted(s, id, key, spans, err);
	if (rc) {
		ac_store_rollback(s);
		return rc;
	}
	return ac_store_commit(s, err);
}

int ac_dims_drop(ac_store *s, const char *key, ac_err *err)
{
	int64_t id;
	int rc = promoted(s, key, &id, err);
	if (rc)
		return rc;
	if (!id)
		return ac_err_set(err, AC_EINVAL, "%s is not promoted (agentcost dims list)", key);
	if ((rc = ac_store_begin(s, err)))
		return rc;
	if ((rc = run_plain(s, "dims_drop.sql", id, 0, 0, 1, err)) ||
	    (rc = run_plain(s, "dims_drop_dim.sql", id, 0, 0, 1, err))) {
		ac_store_rollback(s);
		return rc;
	}
	return ac_store_commit(s, err);
}

void ac_dims_list_free(ac_dim_info *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].key);
		free(d[i].added_at);
	}
	free(d);
}

int ac_dims_list(ac_store *s, ac_dim_info **out, size_t *n, ac_err *err)
{
	ac_rows *r;
	*out = NULL;
	*n = 0;
	int rc = ac_store_rows(s, "dims_list.sql", 0, 0, NULL, AC_ROWS_PLAIN, &r, err);
	if (rc)
		return rc;
	size_t cap = 0;
	while ((rc = ac_rows_next(r, err)) > 0) {
		rc = 0;
		if (*n == cap) {
			size_t nc = cap ? 2 * cap : 8;
			ac_dim_info *nd = realloc(*out, nc * sizeof(*nd));
			if (!nd) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			*out = nd;
			cap = nc;
		}
		ac_dim_info *d = &(*out)[*n];
		const char *k = ac_rows_text(r, 1), *a = ac_rows_text(r, 2);
		d->key = strdup(k ? k : "");
		d->added_at = strdup(a ? a : "");
		d->spans = ac_rows_int(r, 3);
		d->values = ac_rows_int(r, 4);
		++*n;
		if (!d->key || !d->added_at) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	ac_rows_free(r);
	if (rc) {
		ac_dims_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
