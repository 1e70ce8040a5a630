/*
 * Unit tests of the store's named statements (store.h: ac_store_prepare_named,
 * ac_store_exec_named), through which src/tasks and src/pricing run their
 * SQL from queries/tasks_*.sql and queries/price_*.sql: every such file
 * compiles against a fresh store (the rarely taken ones too: the re-pricing
 * twins for older schemas, the savepoint undo), an unknown name is
 * SQLITE_NOTFOUND, and a script runs all its statements.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"

/* The embedded query table (build/embedded_queries.c, cmake/embed.cmake). */
typedef struct {
	const char *name;
	const char *text;
	size_t len;
} ac_embedded;
extern const ac_embedded ac_query_files[];

static ac_store *fresh(void)
{
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err), 0);
	return s;
}

/* Each statement of every tasks_ and price_ file prepares (a script's
 * statements one after the other, as sqlite3_exec would run them). */
static void test_all_prepare(void **state)
{
	(void)state;
	ac_store *s = fresh();
	sqlite3 *db = ac_store_db(s);
	int files = 0;
	for (const ac_embedded *e = ac_query_files; e->name; e++) {
		if (strncmp(e->name, "tasks_", 6) != 0 && strncmp(e->name, "price_", 6) != 0)
			continue;
		sqlite3_stmt *st = NULL;
		int rc = ac_store_prepare_named(db, e->name, 0, &st);
		if (rc != SQLITE_OK)
			print_error("%s: %s\n", e->name, sqlite3_errmsg(db));
		assert_int_equal(rc, SQLITE_OK);
		assert_non_null(st);
		sqlite3_finalize(st);
		files++;
	}
	/* 31 tasks_ files, 31 price_ files of the write paths and the two the
	 * `prices` command lists with (price_list.sql, price_tiers.sql) */
	assert_int_equal(files, 64);
	ac_store_close(s);
}

static void test_unknown_and_script(void **state)
{
	(void)state;
	ac_store *s = fresh();
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *st = (sqlite3_stmt *)&st;
	assert_int_equal(ac_store_prepare_named(db, "no_such.sql", 0, &st), SQLITE_NOTFOUND);
	assert_null(st);
	assert_int_equal(ac_store_exec_named(db, "no_such.sql"), SQLITE_NOTFOUND);
	/* the savepoint scripts: open, write, undo (two statements: ROLLBACK TO
	 * and RELEASE) leaves no row and no open transaction */
	assert_int_equal(ac_store_exec_named(db, "price_savepoint.sql"), SQLITE_OK);
	assert_int_equal(sqlite3_get_autocommit(db), 0);
	assert_int_equal(ac_store_prepare_named(db, "price_alias_put.sql", 0, &st), SQLITE_OK);
	sqlite3_bind_text(st, 1, "a", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "m", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, "test", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, "2025-01-01T00:00:00.000Z", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(ac_store_exec_named(db, "price_savepoint_undo.sql"), SQLITE_OK);
	assert_int_equal(sqlite3_get_autocommit(db), 1);
	assert_int_equal(ac_store_prepare_named(db, "price_load_aliases.sql", 0, &st), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	ac_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_prepare),
		cmocka_unit_test(test_unknown_and_script),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
