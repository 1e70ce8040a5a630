/*
 * Pricing: the pricebook (imported rows plus the built-in table), model name
 * resolution, the cost formula and the one cost decision, and re-pricing of
 * the stored spans. Sits between ingest (which prices each span as it is
 * stored) and the analyses (which read span.cost_usd); `prices import` calls
 * ac_pricing_reprice() after changing the price tables. The contract is in
 * pricing.h; import lives in import.c, the built-in table in builtin_prices.c.
 *
 * Names are compared in ASCII lower case. Each table (imported models,
 * built-in models, imported tools) is a list of groups, one per name, each
 * holding its price rows sorted by from_day; a small open-addressing hash map
 * goes from the lower-case name to the group. A second map caches the result
 * of resolving each name seen, so a store of millions of spans resolves each
 * model name once. A pricebook is not safe to share between threads.
 */
#include "pricing.h"
#include "pattern.h"
#include "convention.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/hash.h"
#include "../util/timeutil.h"
#include "names.h"
#include "../store/store.h"

/* String map ------------------------------------------------------------ */

typedef struct map_slot {
	char *key; /* owned, lower case; NULL = empty slot */
	uint64_t hash;
	int val;
} map_slot;

typedef struct strmap {
	map_slot *slot;
	size_t cap; /* power of two, or 0 */
	size_t len;
} strmap;

static void map_release(strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i].key);
	free(m->slot);
	m->slot = NULL;
	m->cap = m->len = 0;
}

/* The slot holding key, or the empty slot where it would go. */
static map_slot *map_probe(const strmap *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	for (;;) {
		map_slot *s = &m->slot[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

/* 1 and *val set when key is present, else 0. */
static int map_get(const strmap *m, const char *key, int *val)
{
	if (m->cap == 0)
		return 0;
	map_slot *s = map_probe(m, key, ac_hash64(key, strlen(key), 0));
	if (!s->key)
		return 0;
	*val = s->val;
	return 1;
}

static int map_grow(strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 16;
	map_slot *old = m->slot;
	size_t ocap = m->cap;
	m->slot = calloc(ncap, sizeof(*m->slot));
	if (!m->slot) {
		m->slot = old;
		return AC_ENOMEM;
	}
	m->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (old[i].key)
			*map_probe(m, old[i].key, old[i].hash) = old[i];
	}
	free(old);
	return 0;
}

/* Insert or overwrite; copies key. Returns 0 or AC_ENOMEM. */
static int map_put(strmap *m, const char *key, int val)
{
	if ((m->len + 1) * 10 > m->cap * 7 && map_grow(m) < 0)
		return AC_ENOMEM;
	uint64_t h = ac_hash64(key, strlen(key), 0);
	map_slot *s = map_probe(m, key, h);
	if (!s->key) {
		s->key = strdup(key);
		if (!s->key)
			return AC_ENOMEM;
		s->hash = h;
		m->len++;
	}
	s->val = val;
	return 0;
}

/* Pricebook -------------------------------------------------------------- */

typedef struct tool_row {
	int64_t from_day;
	double usd;
} tool_row;

typedef struct group {
	char *name; /* as written in the table (first row's spelling) */
	int imported;
	int n;
	ac_price *rows;  /* models */
	tool_row *trows; /* tools */
} group;

typedef struct group_list {
	group *g;
	int len, cap;
} group_list;

struct ac_pricebook {
	group_list models; /* imported groups first, then built-in */
	group_list tools;
	strmap imported; /* lower name -> models index */
	strmap builtin;  /* lower name -> models index */
	strmap tool;     /* lower name -> tools index */
	strmap cache;    /* lower "name\x1fprovider" -> models index, -1 = unpriced */
	/* imported models' name patterns (schema/007), by model name */
	struct pb_pattern {
		regex_t re;
		int idx; /* models index */
	} *pats;
	int npats;
	/* imported price variants (schema/008), sorted by (model, effective_from);
	 * the price rows point into it */
	ac_price_var *vars;
	int nvars;
	strmap alias;    /* lower alias -> index into alias_to */
	char **alias_to; /* lower model names the aliases stand for */
	int nalias;
	struct ac_conv_set *conv; /* token conventions stated (schema/009) */
};

/* One row read from a table before grouping. */
typedef struct raw_row {
	char *name;
	char *lname;
	long seq; /* read order, to keep the sort stable */
	ac_price p;
	double usd;
} raw_row;

typedef struct raw_list {
	raw_row *r;
	size_t len, cap;
} raw_list;

static void raw_release(raw_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->r[i].name);
		free(l->r[i].lname);
	}
	free(l->r);
	l->r = NULL;
	l->len = l->cap = 0;
}

static char *lower_dup(const char *s)
{
	size_t n = strlen(s);
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		d[i] = (char)tolower((unsigned char)s[i]);
	return d;
}

/* Append a row; copies name. Returns 0 or AC_ENOMEM. */
static int raw_push(raw_list *l, const char *name, const ac_price *p, double usd)
{
	if (l->len == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		raw_row *nr = realloc(l->r, ncap * sizeof(*nr));
		if (!nr)
			return AC_ENOMEM;
		l->r = nr;
		l->cap = ncap;
	}
	raw_row *r = &l->r[l->len];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	r->lname = lower_dup(name);
	if (!r->name || !r->lname) {
		free(r->name);
		free(r->lname);
		return AC_ENOMEM;
	}
	r->seq = (long)l->len;
	if (p)
		r->p = *p;
	r->usd = usd;
	l->len++;
	return 0;
}

static int raw_cmp(const void *a, const void *b)
{
	const raw_row *x = a, *y = b;
	int c = strcmp(x->lname, y->lname);
	if (c)
		return c;
	if (x->p.from_day != y->p.from_day)
		return x->p.from_day < y->p.from_day ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int groups_push(group_list *gl, group **out)
{
	if (gl->len == gl->cap) {
		int ncap = gl->cap ? gl->cap * 2 : 64;
		group *ng = realloc(gl->g, (size_t)ncap * sizeof(*ng));
		if (!ng)
			return AC_ENOMEM;
		gl->g = ng;
		gl->cap = ncap;
	}
	*out = &gl->g[gl->len++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/*
 * Sort the rows by (name, from_day) and append one group per name to gl,
 * indexed in map. tools selects tool rows (usd) over model rows (p).
 */
static int build_groups(group_list *gl, strmap *map, raw_list *l, int imported, int tools)
{
	if (l->len > 1)
		qsort(l->r, l->len, sizeof(*l->r), raw_cmp);
	for (size_t i = 0; i < l->len;) {
		size_t j = i;
		while (j < l->len && strcmp(l->r[j].lname, l->r[i].lname) == 0)
			j++;
		group *g;
		if (groups_push(gl, &g) < 0)
			return AC_ENOMEM;
		g->imported = imported;
		g->n = (int)(j - i);
		g->name = l->r[i].name;
		l->r[i].name = NULL; /* now owned by the group */
		if (tools)
			g->trows = malloc((size_t)g->n * sizeof(*g->trows));
		else
			g->rows = malloc((size_t)g->n * sizeof(*g->rows));
		if (!g->trows && !g->rows)
			return AC_ENOMEM;
		for (size_t k = i; k < j; k++) {
			if (tools) {
				g->trows[k - i].from_day = l->r[k].p.from_day;
				g->trows[k - i].usd = l->r[k].usd;
			} else {
				g->rows[k - i] = l->r[k].p;
			}
		}
		if (map_put(map, l->r[i].lname, gl->len - 1) < 0)
			return AC_ENOMEM;
		i = j;
	}
	return 0;
}

static int sql_fail(ac_err *err, sqlite3 *db, const char *what)
{
	return ac_err_set(err, AC_ESQL, "%s: %s", what, sqlite3_errmsg(db));
}

/* NULL -> NAN; a stored optional price must be a finite number >= 0. */
static double col_opt(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, i);
}

static int price_ok(double v)
{
	return isnan(v) || (isfinite(v) && v >= 0);
}

/* effective_from column -> day; 0 when valid (NULL = always), -1 when not. */
static int col_day(sqlite3_stmt *st, int i, int64_t *day)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	*day = AC_DAY_ALWAYS;
	if (!s || !*s)
		return 0;
	return ac_date_parse(s, day);
}

/*
 * Read the imported rows. Rows that the importer would never write (a
 * non-finite or negative price, a bad date: the table was edited by hand) are
 * ignored rather than trusted.
 */
static int load_imported(raw_list *models, raw_list *tools, sqlite3 *db, ac_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, s;

	if (ac_store_prepare_named(db, "price_load.sql", 0, &st) != SQLITE_OK) {
		rc = sql_fail(err, db, "reading prices");
		goto done;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		ac_price p = { 0 };
		if (!name || !*name || col_day(st, 8, &p.from_day) < 0)
			continue;
		p.input = sqlite3_column_double(st, 1);
		p.output = sqlite3_column_double(st, 2);
		p.cache_read = col_opt(st, 3);
		p.cache_write = col_opt(st, 4);
		p.reasoning = col_opt(st, 5);
		p.input_above_200k = col_opt(st, 6);
		p.output_above_200k = col_opt(st, 7);
		if (sqlite3_column_type(st, 1) == SQLITE_NULL || sqlite3_column_type(st, 2) == SQLITE_NULL ||
		    !price_ok(p.input) || !price_ok(p.output) || !price_ok(p.cache_read) ||
		    !price_ok(p.cache_write) || !price_ok(p.reasoning) ||
		    !price_ok(p.input_above_200k) || !price_ok(p.output_above_200k))
			continue;
		if ((rc = raw_push(models, name, &p, 0)) < 0) {
			ac_err_set(err, rc, "out of memory loading prices");
			goto done;
		}
	}
	if (s != SQLITE_DONE) {
		rc = sql_fail(err, db, "reading prices");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;

	if (ac_store_prepare_named(db, "price_load_tools.sql", 0, &st) != SQLITE_OK) {
		rc = sql_fail(err, db, "reading tool prices");
		goto done;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		ac_price p = { 0 };
		double usd = sqlite3_column_double(st, 1);
		if (!name || !*name || col_day(st, 2, &p.from_day) < 0 ||
		    sqlite3_column_type(st, 1) == SQLITE_NULL || !isfinite(usd) || usd < 0)
			continue;
		if ((rc = raw_push(tools, name, &p, usd)) < 0) {
			ac_err_set(err, rc, "out of memory loading prices");
			goto done;
		}
	}
	if (s != SQLITE_DONE) {
		rc = sql_fail(err, db, "reading tool prices");
		goto done;
	}
done:
	sqlite3_finalize(st);
	return rc;
}

/*
 * Compile the patterns of price_pattern (schema/007; a store without the
 * table has none) for the imported models that have rows. A pattern that
 * does not compile is skipped: the import said so.
 */
static int load_patterns(ac_pricebook *pb, sqlite3 *db, ac_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, s, cap = 0;

	if (ac_store_prepare_named(db, "price_has_table.sql", 0, &st) != SQLITE_OK)
		return sql_fail(err, db, "reading price patterns");
	sqlite3_bind_text(st, 1, "price_pattern", -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (s != SQLITE_ROW)
		return 0;
	if (ac_store_prepare_named(db, "price_load_patterns.sql", 0, &st) != SQLITE_OK)
		return sql_fail(err, db, "reading price patterns");
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *pat = (const char *)sqlite3_column_text(st, 1);
		char *lname = name ? lower_dup(name) : NULL;
		char why[160];
		int idx;
		if (name && !lname) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory loading prices");
			goto done;
		}
		if (!lname || !pat || !map_get(&pb->imported, lname, &idx)) {
			free(lname);
			continue;
		}
		free(lname);
		if (pb->npats == cap) {
			int ncap = cap ? cap * 2 : 16;
			struct pb_pattern *np = realloc(pb->pats, (size_t)ncap * sizeof(*np));
			if (!np) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory loading prices");
				goto done;
			}
			pb->pats = np;
			cap = ncap;
		}
		if (ac_price_pattern_compile(&pb->pats[pb->npats].re, pat, why, sizeof(why)) < 0)
			continue;
		pb->pats[pb->npats++].idx = idx;
	}
	if (s != SQLITE_DONE)
		rc = sql_fail(err, db, "reading price patterns");
done:
	sqlite3_finalize(st);
	return rc;
}

/*
 * Read the aliases (table model_alias, schema/006_model_alias.sql) into pb; a
 * store older than that table has none. Empty names are ignored.
 */
static int load_aliases(ac_pricebook *pb, sqlite3 *db, ac_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, s, cap = 0;

	if (ac_store_prepare_named(db, "price_has_table.sql", 0, &st) != SQLITE_OK) {
		rc = sql_fail(err, db, "reading model aliases");
		goto done;
	}
	sqlite3_bind_text(st, 1, "model_alias", -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s != SQLITE_ROW && s != SQLITE_DONE) {
		rc = sql_fail(err, db, "reading model aliases");
		goto done;
	}
	int have = s == SQLITE_ROW;
	sqlite3_finalize(st);
	st = NULL;
	if (!have)
		goto done;
	if (ac_store_prepare_named(db, "price_load_aliases.sql", 0, &st) != SQLITE_OK) {
		rc = sql_fail(err, db, "reading model aliases");
		goto done;
	}
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(st, 0);
		const char *m = (const char *)sqlite3_column_text(st, 1);
		char *la, *lm;
		if (!a || !*a || !m || !*m)
			continue;
		if (pb->nalias == cap) {
			int ncap = cap ? cap * 2 : 16;
			char **nt = realloc(pb->alias_to, (size_t)ncap * sizeof(*nt));
			if (!nt)
				goto oom;
			pb->alias_to = nt;
			cap = ncap;
		}
		la = lower_dup(a);
		lm = lower_dup(m);
		if (!la || !lm || map_put(&pb->alias, la, pb->nalias) < 0) {
			free(la);
			free(lm);
			goto oom;
		}
		free(la);
		pb->alias_to[pb->nalias++] = lm;
	}
	if (s != SQLITE_DONE)
		rc = sql_fail(err, db, "reading model aliases");
	goto done;
oom:
	rc = ac_err_set(err, AC_ENOMEM, "out of memory loading model aliases");
done:
	sqlite3_finalize(st);
	return rc;
}

/*
 * Read table price_tier (when the store has it) into pb->vars and point each
 * imported row of models at its variants: those of the same model (ASCII
 * case ignored) and effective_from. Variants with a bad value (edited by
 * hand) are ignored.
 */
static int load_vars(ac_pricebook *pb, raw_list *models, sqlite3 *db, ac_err *err)
{
	sqlite3_stmt *st = NULL;
	strmap first = { 0 };
	char **keys = NULL;
	int rc = 0, s, cap = 0;

	if (ac_store_prepare_named(db, "price_load_tiers.sql", 0, &st) != SQLITE_OK)
		return 0; /* a store before schema 8: no variants */
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		int64_t day;
		ac_price_var v;
		int ok = 1;
		if (!name || col_day(st, 1, &day) < 0)
			continue;
		v.tier = ac_service_tier((const char *)sqlite3_column_text(st, 2));
		v.above = sqlite3_column_int64(st, 3);
		for (int k = 0; k < AC_PK_N; k++) {
			v.v[k] = col_opt(st, 4 + k);
			ok = ok && price_ok(v.v[k]);
		}
		if (!ok || v.tier < 0 || v.above < 0)
			continue;
		if (pb->nvars == cap) {
			int ncap = cap ? cap * 2 : 64;
			ac_price_var *nv = realloc(pb->vars, (size_t)ncap * sizeof(*nv));
			char **nk = realloc(keys, (size_t)ncap * sizeof(*nk));
			if (nv)
				pb->vars = nv;
			if (nk)
				keys = nk;
			if (!nv || !nk)
				goto oom;
			cap = ncap;
		}
		size_t kl = strlen(name) + 24;
		keys[pb->nvars] = malloc(kl);
		if (!keys[pb->nvars])
			goto oom;
		snprintf(keys[pb->nvars], kl, "%s\x1f%lld", name, (long long)day);
		pb->vars[pb->nvars] = v;
		int seen;
		if (!map_get(&first, keys[pb->nvars], &seen) &&
		    map_put(&first, keys[pb->nvars], pb->nvars) < 0) {
			free(keys[pb->nvars]);
			goto oom;
		}
		pb->nvars++;
	}
	if (s != SQLITE_DONE) {
		rc = sql_fail(err, db, "reading price tiers");
		goto done;
	}
	for (size_t i = 0; i < models->len && pb->nvars > 0; i++) {
		raw_row *r = &models->r[i];
		size_t kl = strlen(r->lname) + 24;
		char *key = malloc(kl);
		int at;
		if (!key)
			goto oom;
		snprintf(key, kl, "%s\x1f%lld", r->lname, (long long)r->p.from_day);
		if (map_get(&first, key, &at)) {
			int n = 0;
			while (at + n < pb->nvars && strcmp(keys[at + n], key) == 0)
				n++;
			r->p.var = &pb->vars[at];
			r->p.nvar = n;
		}
		free(key);
	}
	goto done;
oom:
	rc = ac_err_set(err, AC_ENOMEM, "out of memory loading price tiers");
done:
	sqlite3_finalize(st);
	for (int i = 0; i < pb->nvars; i++)
		free(keys[i]);
	free(keys);
	map_release(&first);
	return rc;
}

int ac_pricebook_load(ac_pricebook **out, sqlite3 *db, ac_err *err)
{
	raw_list models = { 0 }, tools = { 0 }, builtin = { 0 };
	ac_pricebook *pb = calloc(1, sizeof(*pb));
	int rc = 0, nb;
	const ac_builtin_price *b = ac_pricing_builtins(&nb);

	*out = NULL;
	if (!pb) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory loading prices");
		goto done;
	}
	if (db && (rc = load_imported(&models, &tools, db, err)) < 0)
		goto done;
	if (db && (rc = load_aliases(pb, db, err)) < 0)
		goto done;
	if (db && (rc = load_vars(pb, &models, db, err)) < 0)
		goto done;
	for (int i = 0; i < nb; i++) {
		if ((rc = raw_push(&builtin, b[i].model, &b[i].price, 0)) < 0)
			break;
	}
	if (rc == 0)
		rc = build_groups(&pb->models, &pb->imported, &models, 1, 0);
	if (rc == 0)
		rc = build_groups(&pb->models, &pb->builtin, &builtin, 0, 0);
	if (rc == 0)
		rc = build_groups(&pb->tools, &pb->tool, &tools, 1, 1);
	if (rc < 0) {
		ac_err_set(err, rc, "out of memory loading prices");
		goto done;
	}
	if (db && (rc = load_patterns(pb, db, err)) < 0)
		goto done;
	if ((rc = ac_conv_load(&pb->conv, db, err)) < 0)
		goto done;
	*out = pb;
	pb = NULL;
done:
	raw_release(&models);
	raw_release(&tools);
	raw_release(&builtin);
	ac_pricebook_free(pb);
	return rc;
}

static void groups_release(group_list *gl)
{
	for (int i = 0; i < gl->len; i++) {
		free(gl->g[i].name);
		free(gl->g[i].rows);
		free(gl->g[i].trows);
	}
	free(gl->g);
}

void ac_pricebook_free(ac_pricebook *pb)
{
	if (!pb)
		return;
	groups_release(&pb->models);
	groups_release(&pb->tools);
	map_release(&pb->imported);
	map_release(&pb->builtin);
	map_release(&pb->tool);
	map_release(&pb->cache);
	for (int i = 0; i < pb->npats; i++)
		regfree(&pb->pats[i].re);
	free(pb->pats);
	map_release(&pb->alias);
	for (int i = 0; i < pb->nalias; i++)
		free(pb->alias_to[i]);
	free(pb->alias_to);
	ac_conv_free(pb->conv);
	free(pb->vars);
	free(pb);
}

/* Resolution ------------------------------------------------------------- */

/*
 * The models index that lower-case name lname resolves to for a span of
 * provider lprov (lower case or NULL), or -1: the candidates of names.c
 * against the imported rows, then against the built-in rows (pricing.h).
 */
static int resolve_rules(const ac_pricebook *pb, const char *lname, const char *lprov)
{
	ac_name_cands c;
	const strmap *tables[2] = { &pb->imported, &pb->builtin };
	int idx;

	ac_name_candidates(&c, lname, lprov);
	for (int t = 0; t < (c.builtin_ok ? 2 : 1); t++) {
		for (int i = 0; i < c.n; i++) {
			if (map_get(tables[t], c.c[i], &idx))
				return idx;
		}
	}
	return -1;
}

/* An alias of the name (or of its last path segment) first, then an imported
 * model's name pattern, then the rules. */
static int resolve(const ac_pricebook *pb, const char *lname, const char *lprov)
{
	const char *slash = strrchr(lname, '/');
	int a;

	int idx;

	if (map_get(&pb->alias, lname, &a) || (slash && map_get(&pb->alias, slash + 1, &a)))
		lname = pb->alias_to[a];
	/* an imported model's name pattern (Langfuse's matchPattern) after the
	 * exact imported names, before every other rule; the first pattern that
	 * matches wins (by model name) */
	if (pb->npats && !map_get(&pb->imported, lname, &idx))
		for (int i = 0; i < pb->npats; i++)
			if (regexec(&pb->pats[i].re, lname, 0, NULL, 0) == 0)
				return pb->pats[i].idx;
	return resolve_rules(pb, lname, lprov);
}

int ac_pricebook_resolve(ac_pricebook *pb, const char *model, const char *provider,
                         const ac_price **rows, const char **matched, int *imported)
{
	int idx = -1;
	char *key = NULL, *lprov = NULL;

	*rows = NULL;
	if (matched)
		*matched = NULL;
	if (imported)
		*imported = 0;
	if (!model || !*model)
		return 0;
	if (provider && !*provider)
		provider = NULL;
	/* the cache key: "model\x1fprovider", lower case */
	size_t lm = strlen(model), lp = provider ? strlen(provider) : 0;
	key = malloc(lm + lp + 2);
	if (key) {
		for (size_t i = 0; i < lm; i++)
			key[i] = (char)tolower((unsigned char)model[i]);
		key[lm] = '\x1f';
		for (size_t i = 0; i < lp; i++)
			key[lm + 1 + i] = (char)tolower((unsigned char)provider[i]);
		key[lm + 1 + lp] = '\0';
		lprov = key + lm + 1;
	}
	if (!key)
		idx = -1; /* out of memory: report unpriced rather than guess */
	else if (!map_get(&pb->cache, key, &idx)) {
		key[lm] = '\0';
		idx = resolve(pb, key, lp ? lprov : NULL);
		key[lm] = '\x1f';
		(void)map_put(&pb->cache, key, idx); /* a failed cache insert only costs time */
	}
	free(key);
	if (idx < 0)
		return 0;
	const group *g = &pb->models.g[idx];
	*rows = g->rows;
	if (matched)
		*matched = g->name;
	if (imported)
		*imported = g->imported;
	return g->n;
}

int ac_pricebook_model(ac_pricebook *pb, const char *model, const ac_price **rows,
                       const char **matched, int *imported)
{
	return ac_pricebook_resolve(pb, model, NULL, rows, matched, imported);
}

const char *ac_pricebook_hint(const ac_pricebook *pb, const char *model)
{
	ac_name_cands c;
	char lname[AC_NAME_MAX];
	const char *best = NULL;
	int best_d = -1;
	size_t n = model ? strlen(model) : 0;

	if (n == 0 || n >= sizeof(lname))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		lname[i] = (char)tolower((unsigned char)model[i]);
	ac_name_candidates(&c, lname, NULL);
	for (int g = 0; g < pb->models.len; g++) {
		const char *k = pb->models.g[g].name;
		int d = -1;
		for (int i = 0; i < c.n; i++) {
			int di = ac_name_nearness(c.c[i], k);
			if (di >= 0 && (d < 0 || di < d))
				d = di;
		}
		/* the smallest distance; ties: the shorter name, then byte order */
		if (d >= 0 &&
		    (best_d < 0 || d < best_d ||
		     (d == best_d && (strlen(k) < strlen(best) ||
		                      (strlen(k) == strlen(best) && strcmp(k, best) < 0))))) {
			best = k;
			best_d = d;
		}
	}
	return best;
}

const ac_price *ac_price_in_force(const ac_price *rows, int n, int64_t day)
{
	/* rows ascend by from_day: the last one not after `day` is in force */
	const ac_price *found = NULL;
	for (int i = 0; i < n && rows[i].from_day <= day; i++)
		found = &rows[i];
	return found;
}

double ac_cost_llm(const ac_price *p, const ac_tokens *t)
{
	return ac_cost_llm_at(p, t, AC_TIER_STANDARD, ac_prompt_tokens(t), NULL);
}

double ac_cost_llm_tier(const ac_price *p, const ac_tokens *t, int above_200k)
{
	/* all calls above 200,000 or all at most that: 200,001 or 0 */
	return ac_cost_llm_at(p, t, AC_TIER_STANDARD, above_200k ? 200001 : 0, NULL);
}

int ac_pricebook_tool(ac_pricebook *pb, const char *tool, int64_t day, double *usd)
{
	char *lname;
	int idx, found;

	if (!tool || !*tool)
		return 0;
	lname = lower_dup(tool);
	if (!lname)
		return 0;
	found = map_get(&pb->tool, lname, &idx);
	free(lname);
	if (!found)
		return 0;
	const group *g = &pb->tools.g[idx];
	const tool_row *inforce = NULL;
	for (int i = 0; i < g->n && g->trows[i].from_day <= day; i++)
		inforce = &g->trows[i];
	if (!inforce)
		return 0;
	*usd = inforce->usd;
	return 1;
}

void ac_pricebook_cost(ac_pricebook *pb, const ac_cost_input *in, double *cost, int *src)
{
	int note;
	ac_pricebook_cost_note(pb, in, cost, src, &note);
}

/* The price row in force for an LLM span and its tokens with the token
 * convention decided (stated for its service or scope when the span states
 * none); NULL when the model has no row in force. */
static const ac_price *llm_row(ac_pricebook *pb, const ac_cost_input *in, int64_t day,
                               ac_tokens *t)
{
	const ac_price *rows;
	int n = ac_pricebook_resolve(pb, in->model, in->provider, &rows, NULL, NULL);
	if (n <= 0)
		return NULL;
	*t = in->tok;
	if (t->conv == AC_CONV_AUTO)
		t->conv = ac_conv_of(pb->conv, in->service, in->scope);
	return ac_price_in_force(rows, n, day);
}

int ac_pricebook_split(ac_pricebook *pb, const ac_cost_input *in, ac_cost_split *out,
                       double *cost)
{
	ac_tokens t;
	const ac_price *p;
	if (in->step != AC_STEP_LLM || !(p = llm_row(pb, in, ac_day_of_ns(in->start_ns), &t)))
		return 0;
	*cost = ac_cost_llm_split(p, &t, in->tier, ac_prompt_tokens(&t), out);
	return 1;
}

void ac_pricebook_cost_note(ac_pricebook *pb, const ac_cost_input *in, double *cost, int *src,
                            int *note)
{
	int64_t day = ac_day_of_ns(in->start_ns);

	*note = 0;
	*cost = 0;
	*src = AC_COST_NONE;
	if (in->step == AC_STEP_LLM) {
		ac_tokens t;
		const ac_price *p = llm_row(pb, in, day, &t);
		if (p) {
			int fb;
			*cost = ac_cost_llm_at(p, &t, in->tier, ac_prompt_tokens(&t), &fb);
			*src = AC_COST_TABLE;
			if (fb)
				*note |= AC_NOTE_TIER_FALLBACK;
		} else if (in->has_producer_cost) {
			*cost = in->producer_cost;
			*src = AC_COST_PRODUCER;
		} else {
			*cost = NAN;
			*src = AC_COST_UNPRICED;
		}
	} else if (in->step == AC_STEP_TOOL) {
		double usd;
		if (ac_pricebook_tool(pb, in->tool, day, &usd)) {
			*cost = usd;
			*src = AC_COST_TABLE;
		}
	}
}

/* Re-pricing ------------------------------------------------------------- */

#define REPRICE_BATCH 4096

typedef struct change {
	sqlite3_int64 id;
	double cost;
	int src;
	int note;
} change;

/* Whether the span table has column `name`. */
static int span_has_column(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	int found = 0;
	if (ac_store_prepare_named(db, "price_span_has_column.sql", 0, &st) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static int64_t col_i64(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

/* Same stored value: NULL (NAN) equals NULL, numbers compare exactly. */
static int same_cost(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return a == b;
}

/*
 * ac_pricing_reprice(): the query of spans for the store's schema and
 * *v8, whether it has schema 8's tier columns (a store opened by this binary
 * has both them and schema 9's scope; a bare schema-1 database in the unit
 * tests neither; scope comes after the tier columns, so no store has it
 * alone).
 */
static const char *reprice_select(sqlite3 *db, int *v8)
{
	*v8 = span_has_column(db, "price_note");
	if (!*v8)
		return "price_reprice_spans_v1.sql";
	return span_has_column(db, "scope") ? "price_reprice_spans.sql" : "price_reprice_spans_v8.sql";
}

/* ac_pricing_reprice(): the cost input of the span row qs is on. */
static void reprice_input(sqlite3_stmt *qs, int v8, ac_cost_input *in, int *old_note)
{
	memset(in, 0, sizeof(*in));
	in->step = sqlite3_column_int(qs, 1);
	in->model = (const char *)sqlite3_column_text(qs, 2);
	in->tool = (const char *)sqlite3_column_text(qs, 3);
	in->provider = (const char *)sqlite3_column_text(qs, 13);
	in->service = (const char *)sqlite3_column_text(qs, 14);
	in->scope = (const char *)sqlite3_column_text(qs, 15);
	in->start_ns = col_i64(qs, 4);
	in->tok.in = col_i64(qs, 5);
	in->tok.out = col_i64(qs, 6);
	in->tok.cache_read = col_i64(qs, 7);
	in->tok.cache_write = col_i64(qs, 8);
	in->tok.reasoning = col_i64(qs, 9);
	in->has_producer_cost = sqlite3_column_type(qs, 10) != SQLITE_NULL;
	in->producer_cost = sqlite3_column_double(qs, 10);
	if (v8) {
		in->tok.cache_write_1h = col_i64(qs, 16);
		in->tok.audio_in = col_i64(qs, 17);
		in->tok.audio_out = col_i64(qs, 18);
		in->tier = ac_service_tier((const char *)sqlite3_column_text(qs, 19));
		*old_note = sqlite3_column_int(qs, 20);
	}
}

/* ac_pricing_reprice(): write a batch of changed costs. */
static int reprice_write(sqlite3 *db, sqlite3_stmt *us, const change *ch, int nch, int v8, ac_err *err)
{
	int s;

	for (int i = 0; i < nch; i++) {
		if (isnan(ch[i].cost))
			sqlite3_bind_null(us, 1);
		else
			sqlite3_bind_double(us, 1, ch[i].cost);
		sqlite3_bind_int(us, 2, ch[i].src);
		sqlite3_bind_int64(us, 3, ch[i].id);
		if (v8)
			sqlite3_bind_int(us, 4, ch[i].note);
		s = sqlite3_step(us);
		sqlite3_reset(us);
		if (s != SQLITE_DONE)
			return sql_fail(err, db, "updating span cost");
	}
	return 0;
}

int ac_pricing_reprice(sqlite3 *db, ac_pricebook *pb, long long *changed, ac_err *err)
{
	/* Read in batches by id and write after each batch, so no UPDATE runs
	 * while the SELECT is still stepping over the same table. */
	sqlite3_stmt *qs = NULL, *us = NULL;
	change *ch = NULL;
	int own_tx = sqlite3_get_autocommit(db) != 0, in_tx = 0, rc = 0, s;
	long long nchanged = 0;
	sqlite3_int64 last = INT64_MIN;

	if (changed)
		*changed = 0;
	ch = malloc(REPRICE_BATCH * sizeof(*ch));
	if (!ch) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory re-pricing spans");
		goto done;
	}
	int v8;
	const char *sel = reprice_select(db, &v8);
	if (ac_store_prepare_named(db, sel, 0, &qs) != SQLITE_OK ||
	    ac_store_prepare_named(db, v8 ? "price_reprice_put.sql" : "price_reprice_put_v1.sql", 0,
	                           &us) != SQLITE_OK) {
		rc = sql_fail(err, db, "re-pricing spans");
		goto done;
	}
	if (own_tx) {
		if (ac_store_exec_named(db, "price_reprice_begin.sql") != SQLITE_OK) {
			rc = sql_fail(err, db, "re-pricing spans");
			goto done;
		}
		in_tx = 1;
	}
	for (;;) {
		int nrows = 0, nch = 0;
		sqlite3_bind_int64(qs, 1, last);
		sqlite3_bind_int(qs, 2, REPRICE_BATCH);
		while ((s = sqlite3_step(qs)) == SQLITE_ROW) {
			ac_cost_input in;
			double cost, old;
			int src, note, old_note = 0;

			nrows++;
			last = sqlite3_column_int64(qs, 0);
			reprice_input(qs, v8, &in, &old_note);
			old = col_opt(qs, 11);
			ac_pricebook_cost_note(pb, &in, &cost, &src, &note);
			if (src != sqlite3_column_int(qs, 12) || !same_cost(cost, old) ||
			    note != old_note) {
				ch[nch].id = last;
				ch[nch].cost = cost;
				ch[nch].src = src;
				ch[nch].note = note;
				nch++;
			}
		}
		sqlite3_reset(qs);
		if (s != SQLITE_DONE) {
			rc = sql_fail(err, db, "re-pricing spans");
			goto done;
		}
		if ((rc = reprice_write(db, us, ch, nch, v8, err)) != 0)
			goto done;
		nchanged += nch;
		if (nrows < REPRICE_BATCH)
			break;
	}
	if (in_tx) {
		if (ac_store_exec_named(db, "price_reprice_commit.sql") != SQLITE_OK) {
			rc = sql_fail(err, db, "re-pricing spans");
			goto done;
		}
		in_tx = 0;
	}
	if (changed)
		*changed = nchanged;
done:
	if (in_tx)
		ac_store_exec_named(db, "price_reprice_rollback.sql");
	sqlite3_finalize(qs);
	sqlite3_finalize(us);
	free(ch);
	return rc;
}
