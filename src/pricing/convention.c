/*
 * Token conventions: the rules are in convention.h.
 */
#include "convention.h"
#include "../store/store.h"

#include <stdlib.h>
#include <string.h>

static double nonneg_tok(int64_t v)
{
	return v > 0 ? (double)v : 0;
}

int ac_tokens_input_excludes_cache(const ac_tokens *t)
{
	double cache = nonneg_tok(t->cache_read) + nonneg_tok(t->cache_write);
	if (t->conv == AC_CONV_EXCLUDES)
		return 1;
	return nonneg_tok(t->in) < cache;
}

/* The input beside the cache: fresh text and audio (>= 0: under includes
 * input >= cache, else the call is excludes). */
static double uncached_input(const ac_tokens *t)
{
	double in = nonneg_tok(t->in);
	if (ac_tokens_input_excludes_cache(t))
		return in;
	return in - nonneg_tok(t->cache_read) - nonneg_tok(t->cache_write); /* >= 0 here */
}

double ac_tokens_audio_in(const ac_tokens *t)
{
	double a = nonneg_tok(t->audio_in), whole = uncached_input(t);
	return a < whole ? a : whole; /* a part is at most its whole (pricing.h) */
}

double ac_tokens_fresh_input(const ac_tokens *t)
{
	return uncached_input(t) - ac_tokens_audio_in(t);
}

double ac_tokens_prompt(const ac_tokens *t)
{
	double in = nonneg_tok(t->in);
	if (ac_tokens_input_excludes_cache(t))
		return in + nonneg_tok(t->cache_read) + nonneg_tok(t->cache_write);
	return in;
}

typedef struct conv_row {
	int scope; /* 1 scope, 0 system */
	int conv;
	char *name;
} conv_row;

struct ac_conv_set {
	conv_row *r;
	int n;
};

void ac_conv_free(ac_conv_set *cs)
{
	if (!cs)
		return;
	for (int i = 0; i < cs->n; i++)
		free(cs->r[i].name);
	free(cs->r);
	free(cs);
}

int ac_conv_load(ac_conv_set **out, sqlite3 *db, ac_err *err)
{
	ac_conv_set *cs = calloc(1, sizeof(*cs));
	sqlite3_stmt *st = NULL;
	int cap = 0, s, rc = 0;

	*out = NULL;
	if (!cs)
		return ac_err_set(err, AC_ENOMEM, "out of memory loading token conventions");
	if (db && ac_store_prepare_named(db, "price_conventions.sql", 0, &st) == SQLITE_OK) {
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			const char *kind = (const char *)sqlite3_column_text(st, 0);
			const char *name = (const char *)sqlite3_column_text(st, 1);
			int conv = ac_conv_parse((const char *)sqlite3_column_text(st, 2));
			if (!kind || !name || conv <= AC_CONV_AUTO)
				continue; /* the table's CHECKs keep these out */
			if (cs->n == cap) {
				int ncap = cap ? cap * 2 : 8;
				conv_row *nr = realloc(cs->r, (size_t)ncap * sizeof(*nr));
				if (!nr)
					goto oom;
				cs->r = nr;
				cap = ncap;
			}
			cs->r[cs->n].name = strdup(name);
			if (!cs->r[cs->n].name)
				goto oom;
			cs->r[cs->n].scope = strcmp(kind, "scope") == 0;
			cs->r[cs->n].conv = conv;
			cs->n++;
		}
		if (s != SQLITE_DONE) {
			rc = ac_err_set(err, AC_ESQL, "reading token conventions: %s", sqlite3_errmsg(db));
			goto fail;
		}
	}
	/* a store before schema 9 has no table: nothing is stated */
	sqlite3_finalize(st);
	*out = cs;
	return 0;
oom:
	rc = ac_err_set(err, AC_ENOMEM, "out of memory loading token conventions");
fail:
	sqlite3_finalize(st);
	ac_conv_free(cs);
	return rc;
}

static int find(const ac_conv_set *cs, int scope, const char *name)
{
	if (!cs || !name)
		return AC_CONV_AUTO;
	for (int i = 0; i < cs->n; i++)
		if (cs->r[i].scope == scope && strcmp(cs->r[i].name, name) == 0)
			return cs->r[i].conv;
	return AC_CONV_AUTO;
}

int ac_conv_of(const ac_conv_set *cs, const char *system, const char *scope)
{
	int c = find(cs, 1, scope);
	return c != AC_CONV_AUTO ? c : find(cs, 0, system);
}

int ac_conv_parse(const char *word)
{
	if (!word)
		return -1;
	if (strcmp(word, "auto") == 0)
		return AC_CONV_AUTO;
	if (strcmp(word, "includes") == 0)
		return AC_CONV_INCLUDES;
	if (strcmp(word, "excludes") == 0)
		return AC_CONV_EXCLUDES;
	return -1;
}

const char *ac_conv_name(int conv)
{
	return conv == AC_CONV_INCLUDES ? "includes" : conv == AC_CONV_EXCLUDES ? "excludes" : "auto";
}

int ac_conv_store(sqlite3 *db, const char *kind, const char *name, int conv, int *changed,
                  ac_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *name_sql =
		conv == AC_CONV_AUTO ? "price_convention_del.sql" : "price_convention_put.sql";
	*changed = 0;
	if (ac_store_prepare_named(db, name_sql, 0, &st) != SQLITE_OK)
		return ac_err_set(err, AC_ESQL, "token convention: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (conv != AC_CONV_AUTO)
		sqlite3_bind_text(st, 3, ac_conv_name(conv), -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	sqlite3_finalize(st);
	if (s != SQLITE_DONE)
		return ac_err_set(err, AC_ESQL, "token convention: %s", sqlite3_errmsg(db));
	*changed = sqlite3_changes(db) > 0;
	return 0;
}
