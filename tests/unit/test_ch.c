/*
 * Unit tests of src/store/ch.c, the ClickHouse connection: the store
 * address (clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE[?cluster=NAME])
 * and what it refuses, and the quoting of texts in queries. (The rows sent
 * are RowBinary, src/store/ch_ship.c: t_ch_backend.sh feeds names with tabs,
 * newlines, quotes and backslashes through them.) No server is needed: the address
 * is parsed at open, the connection made at the first statement, and a
 * statement to a port nothing listens on is AC_EIO naming the address.
 * Expected texts are written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/ch.h"

static void open_ok(const char *url, const char *host, int port, const char *db,
                    const char *cluster)
{
	ac_ch *c = NULL;
	ac_err e = AC_ERR_INIT;
	int rc = ac_ch_open(&c, url, &e);
	if (rc)
		print_error("%s: %s\n", url, e.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(ac_ch_host(c), host);
	assert_int_equal(ac_ch_port(c), port);
	assert_string_equal(ac_ch_database(c), db);
	if (cluster)
		assert_string_equal(ac_ch_cluster(c), cluster);
	else
		assert_null(ac_ch_cluster(c));
	ac_ch_close(c);
}

static void open_bad(const char *url, const char *why)
{
	ac_ch *c = NULL;
	ac_err e = AC_ERR_INIT;
	assert_int_equal(ac_ch_open(&c, url, &e), AC_EINVAL);
	assert_null(c);
	if (!strstr(e.msg, why))
		print_error("%s: message [%s] lacks [%s]\n", url, e.msg, why);
	assert_non_null(strstr(e.msg, why));
}

static void test_addresses(void **state)
{
	(void)state;
	open_ok("clickhouse://127.0.0.1:8123/agentcost", "127.0.0.1", 8123, "agentcost", NULL);
	open_ok("clickhouse://ch1.example:18123/ac_2?cluster=prod_2", "ch1.example", 18123, "ac_2",
	        "prod_2");
	open_ok("clickhouse://localhost/db", "localhost", 8123, "db", NULL); /* the default port */
	open_ok("clickhouse://reader:s3cret@10.0.0.5:8123/db", "10.0.0.5", 8123, "db", NULL);
	open_ok("clickhouse://[::1]:9123/db", "::1", 9123, "db", NULL);
	assert_true(ac_ch_is_url("clickhouse://x/y"));
	assert_false(ac_ch_is_url("./agentcost.db"));
	assert_false(ac_ch_is_url("clickhouse:/x/y"));
}

static void test_bad_addresses(void **state)
{
	(void)state;
	open_bad("clickhouse://127.0.0.1:8123", "expected clickhouse://HOST:PORT/DATABASE");
	open_bad("clickhouse://127.0.0.1:8123/", "database name");
	open_bad("clickhouse://127.0.0.1:8123/a-b", "database name");
	open_bad("clickhouse://127.0.0.1:8123/a;DROP", "database name");
	open_bad("clickhouse://127.0.0.1:0/db", "bad port");
	open_bad("clickhouse://127.0.0.1:70000/db", "bad port");
	open_bad("clickhouse://127.0.0.1:80x/db", "bad port");
	open_bad("clickhouse://127.0.0.1:8123/db?cluster=", "?cluster=NAME");
	open_bad("clickhouse://127.0.0.1:8123/db?cluster=a b", "?cluster=NAME");
	open_bad("clickhouse://127.0.0.1:8123/db?user=x", "?cluster=NAME");
	open_bad("clickhouse://[::1:8123/db", "unclosed [");
	open_bad("clickhouse://:8123/db", "no host");
	open_bad("postgres://127.0.0.1/db", "not a clickhouse:// address");
}

/* Port 1 on loopback: nothing listens; the error names the address. */
static void test_server_down(void **state)
{
	(void)state;
	ac_ch *c = NULL;
	ac_err e = AC_ERR_INIT;
	assert_int_equal(ac_ch_open(&c, "clickhouse://127.0.0.1:1/db", &e), 0);
	char *body = NULL;
	assert_int_equal(ac_ch_query(c, "SELECT 1", 1, &body, NULL, &e), AC_EIO);
	assert_null(body);
	assert_non_null(strstr(e.msg, "clickhouse://127.0.0.1:1"));
	ac_ch_close(c);
}

static void test_quote(void **state)
{
	(void)state;
	ac_buf b = AC_BUF_INIT;
	ac_ch_quote(&b, "it's a \\ test");
	assert_string_equal(ac_buf_cstr(&b), "'it\\'s a \\\\ test'");
	ac_buf_reset(&b);
	ac_ch_quote(&b, "");
	assert_string_equal(ac_buf_cstr(&b), "''");
	ac_buf_reset(&b);
	/* a prompt that tries to end the literal and add a statement stays inside it */
	ac_ch_quote(&b, "x'); DROP TABLE span; --");
	assert_string_equal(ac_buf_cstr(&b), "'x\\'); DROP TABLE span; --'");
	ac_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),  cmocka_unit_test(test_bad_addresses),
		cmocka_unit_test(test_server_down), cmocka_unit_test(test_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
