/*
 * Model alias import: `agentcost prices import aliases.csv` with the header
 * alias,model. An alias names what a span's model name stands for when no
 * rule of name resolution (pricing.h, step 1) can tell -- an Azure OpenAI
 * deployment name, a Bedrock application inference profile, a gateway's
 * route. The rows are checked in memory first, then written in one
 * savepoint: each alias the file names is deleted (ignoring case) and
 * inserted again. Re-pricing the stored spans is the caller's job
 * (ac_pricing_reprice), as for a price import.
 */
#include "alias.h"
#include "../store/store.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../util/map.h"
#include "../util/timeutil.h"

typedef struct arow {
	const char *alias, *model; /* point into the csv document */
	long long line;
} arow;

static void warn_at(ac_warn_fn warn, void *payload, int *skipped, long long line,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void warn_at(ac_warn_fn warn, void *payload, int *skipped, long long line,
                    const char *fmt, ...)
{
	ac_err w = AC_ERR_INIT;
	va_list ap;

	(*skipped)++;
	if (!warn)
		return;
	w.code = AC_EINVAL;
	w.line = line;
	va_start(ap, fmt);
	vsnprintf(w.msg, sizeof(w.msg), fmt, ap);
	va_end(ap);
	warn(&w, payload);
}

/* A cell a spreadsheet would run as a formula (CSV injection). */
static int formula_like(const char *s)
{
	return strchr("=+-@", s[0]) != NULL;
}

static int write_aliases(sqlite3 *db, const arow *r, int n, const char *source, ac_err *err)
{
	sqlite3_stmt *ds = NULL, *is = NULL;
	struct timespec ts;
	char now[40];
	int rc = 0, in_sp = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ac_format_iso_ms((int64_t)ts.tv_sec * AC_NS_PER_SEC + ts.tv_nsec, now);
	if (ac_store_exec_named(db, "price_savepoint.sql") != SQLITE_OK)
		goto sqlfail;
	in_sp = 1;
	/* the column's COLLATE NOCASE makes the delete ignore case */
	if (ac_store_prepare_named(db, "price_alias_del.sql", 0, &ds) != SQLITE_OK ||
	    ac_store_prepare_named(db, "price_alias_put.sql", 0, &is) != SQLITE_OK)
		goto sqlfail;
	for (int i = 0; i < n; i++) {
		sqlite3_bind_text(ds, 1, r[i].alias, -1, SQLITE_STATIC);
		if (sqlite3_step(ds) != SQLITE_DONE)
			goto sqlfail;
		sqlite3_reset(ds);
		sqlite3_bind_text(is, 1, r[i].alias, -1, SQLITE_STATIC);
		sqlite3_bind_text(is, 2, r[i].model, -1, SQLITE_STATIC);
		sqlite3_bind_text(is, 3, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(is, 4, now, -1, SQLITE_STATIC);
		if (sqlite3_step(is) != SQLITE_DONE)
			goto sqlfail;
		sqlite3_reset(is);
	}
	sqlite3_finalize(ds);
	sqlite3_finalize(is);
	ds = is = NULL;
	if (ac_store_exec_named(db, "price_savepoint_release.sql") != SQLITE_OK)
		goto sqlfail;
	return 0;
sqlfail:
	rc = ac_err_set(err, AC_ESQL, "importing model aliases: %s", sqlite3_errmsg(db));
	sqlite3_finalize(ds);
	sqlite3_finalize(is);
	if (in_sp)
		ac_store_exec_named(db, "price_savepoint_undo.sql");
	return rc;
}

int ac_alias_import_csv(sqlite3 *db, const ac_csv_doc *cs, size_t first, const char *path,
                        const char *source, ac_import_stats *st, ac_warn_fn warn, void *payload,
                        ac_err *err)
{
	const ac_csv_rec *h = &cs->rec[first];
	arow *rows = NULL;
	ac_map seen = AC_MAP_INIT; /* lower-case alias -> index in rows */
	int n = 0, skipped = 0, rc = 0;
	char lower[1024];

	if (st)
		st->rows = st->names = st->skipped = 0;
	if (h->n != 2 || strcasecmp(h->cell[0], "alias") != 0 || strcasecmp(h->cell[1], "model") != 0)
		return ac_err_setpos(err, AC_EFORMAT, h->line, 0,
		                     "%s:%lld: an alias file's header is exactly alias,model", path,
		                     h->line);
	rows = malloc((cs->n - first) * sizeof(*rows));
	if (!rows)
		return ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
	ac_map_init(&seen, 0);
	for (size_t i = first + 1; i < cs->n; i++) {
		const ac_csv_rec *r = &cs->rec[i];
		int64_t dup;
		size_t la;

		if (ac_csv_blank(r))
			continue;
		if (r->n > 2) {
			int extra = 0;
			for (int c = 2; c < r->n; c++)
				extra |= r->cell[c][0] != '\0';
			if (extra) {
				warn_at(warn, payload, &skipped, r->line,
				        "row has %d cells, the header has 2", r->n);
				continue;
			}
		}
		const char *a = r->cell[0], *m = r->n > 1 ? r->cell[1] : "";
		if (!*a || !*m) {
			warn_at(warn, payload, &skipped, r->line, "%s is empty", !*a ? "alias" : "model");
			continue;
		}
		if (formula_like(a) || formula_like(m)) {
			warn_at(warn, payload, &skipped, r->line, "%s looks like a formula: \"%.80s\"",
			        formula_like(a) ? "alias" : "model", formula_like(a) ? a : m);
			continue;
		}
		if (strcasecmp(a, m) == 0) {
			warn_at(warn, payload, &skipped, r->line, "alias %.80s names itself", a);
			continue;
		}
		la = strlen(a);
		if (la >= sizeof(lower)) {
			warn_at(warn, payload, &skipped, r->line, "alias longer than %zu bytes",
			        sizeof(lower) - 1);
			continue;
		}
		for (size_t k = 0; k <= la; k++)
			lower[k] = (char)tolower((unsigned char)a[k]);
		if (ac_map_get(&seen, lower, la, &dup)) {
			warn_at(warn, payload, &skipped, r->line, "duplicate alias %.80s, first at line %lld",
			        a, rows[dup].line);
			continue;
		}
		if (ac_map_put(&seen, lower, la, n) < 0) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
			goto done;
		}
		rows[n].alias = a;
		rows[n].model = m;
		rows[n].line = r->line;
		n++;
	}
	if (n == 0)
		rc = ac_err_set(err, AC_EFORMAT, "%s: no valid alias row", path);
	else
		rc = write_aliases(db, rows, n, source, err);
	if (rc == 0 && st)
		st->rows = st->names = n;
done:
	if (st)
		st->skipped = skipped;
	ac_map_release(&seen);
	free(rows);
	return rc;
}
