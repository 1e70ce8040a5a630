/*
 * Unit tests of the ingest JSON layer (src/ingest/json.h): tokenizing one
 * record with ac_json_parse (valid input, and every error with its reason and
 * 1-based byte column), UTF-8 validation (RFC 3629: overlong forms and
 * surrogates are invalid), string decoding with ac_json_str (RFC 8259 escapes,
 * \u surrogate pairs to 4-byte UTF-8, lone surrogates to U+FFFD), the strict
 * number readers ac_json_i64 / _u64 / _f64, subtree skipping, deep nesting,
 * reuse of one ac_json across records, and ac_json_position.
 *
 * Tests marked DEFECT assert the behaviour json.h promises and failed against
 * the code when they were written; see the comment at each.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ingest/json.h"

/* Helpers ---------------------------------------------------------------- */

/* Debian 12's cmocka compares floats as float: compare doubles here. */
#define assert_close(a, b, rel, abs_) assert_close_at((a), (b), (rel), (abs_), #a, __FILE__, __LINE__)

static void assert_close_at(double a, double b, double rel, double abs_, const char *what,
                            const char *file, int line)
{
	double d = fabs(a - b);
	if (d <= abs_ || d <= rel * fmax(fabs(a), fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

/* Parse text (strlen) and require success. */
static void parse_ok(ac_json *j, const char *text)
{
	ac_err err = AC_ERR_INIT;
	int rc = ac_json_parse(j, text, strlen(text), &err);
	if (rc != 0) {
		print_error("parse of %s failed: %d %lld: %s\n", text, rc, err.col, err.msg);
		fail();
	}
}

/*
 * Parse len bytes and require failure with code rc, column col (0 = do not
 * check) and a message containing want (NULL = do not check).
 */
#define expect_err(text, len, rc, col, want) expect_err_at(text, len, rc, col, want, __LINE__)

static void expect_err_at(const char *text, size_t len, int want_rc, long long want_col,
                          const char *want, int line)
{
	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	int rc = ac_json_parse(&j, text, len, &err);
	int bad = rc != want_rc || (want_col && err.col != want_col) ||
	          (want && !strstr(err.msg, want));
	if (bad) {
		print_error("line %d: parse of \"%.*s\": rc %d col %lld \"%s\"; expected rc %d col %lld "
		            "\"%s\"\n",
		            line, (int)(len > 60 ? 60 : len), text, rc, err.col, err.msg, want_rc,
		            want_col, want ? want : "");
		ac_json_release(&j);
		fail();
	}
	ac_json_release(&j);
}

/* Index of the k-th element of the array at token arr. */
static int elem(const ac_json *j, int arr, int k)
{
	assert_int_equal(ac_json_type(j, arr), JSMN_ARRAY);
	assert_true(k < j->tok[arr].size);
	int i = arr + 1;
	while (k-- > 0)
		i = ac_json_skip(j, i);
	return i;
}

/* Decoded string of token i must be exactly want[0..n). */
static void expect_str(ac_json *j, int i, const char *want, size_t n)
{
	const char *s = NULL;
	size_t got = 0;
	assert_int_equal(ac_json_str(j, i, &s, &got), 0);
	if (got != n || memcmp(s, want, n) != 0) {
		print_error("token %d decoded to \"%.*s\" (%zu bytes), expected %zu bytes\n", i,
		            (int)got, s, got, n);
		fail();
	}
}

/* Valid JSON ------------------------------------------------------------- */

static void test_parse_valid(void **state)
{
	(void)state;
	ac_json j = AC_JSON_INIT;
	/* tokens in pre-order: 0 {  1 "a"  2 [  3 1  4 2  5 {  6 "b"  7 null
	 * 8 "c"  9 "d"  10 "e"  11 true  12 "f"  13 -1.5e3 */
	parse_ok(&j, " \r\n\t{\"a\":[1, 2, {\"b\":null}], \"c\":\"d\",\n\"e\":true,\"f\":-1.5e3}\r\n ");
	assert_int_equal(j.ntok, 14);
	assert_int_equal(ac_json_type(&j, 0), JSMN_OBJECT);
	assert_int_equal(j.tok[0].size, 4);
	assert_int_equal(ac_json_type(&j, 1), JSMN_STRING);
	assert_int_equal(j.tok[1].size, 1); /* a key has its value */
	assert_int_equal(ac_json_type(&j, 2), JSMN_ARRAY);
	assert_int_equal(j.tok[2].size, 3);
	assert_int_equal(ac_json_type(&j, 3), JSMN_PRIMITIVE);
	assert_int_equal(ac_json_type(&j, 5), JSMN_OBJECT);
	assert_int_equal(ac_json_type(&j, 7), JSMN_PRIMITIVE);
	assert_int_equal(ac_json_type(&j, 9), JSMN_STRING);
	assert_int_equal(ac_json_type(&j, 11), JSMN_PRIMITIVE);

	size_t n;
	const char *raw = ac_json_raw(&j, 9, &n);
	assert_int_equal(n, 1);
	assert_memory_equal(raw, "d", 1);
	raw = ac_json_raw(&j, 13, &n);
	assert_int_equal(n, 6);
	assert_memory_equal(raw, "-1.5e3", 6);

	assert_true(ac_json_eq(&j, 1, "a"));
	assert_false(ac_json_eq(&j, 1, "ab"));
	assert_false(ac_json_eq(&j, 1, ""));
	assert_false(ac_json_eq(&j, 3, "1")); /* a number is not a string */
	assert_true(ac_json_eq2(&j, 8, "x", "c"));
	assert_true(ac_json_eq2(&j, 8, "c", "x"));
	assert_false(ac_json_eq2(&j, 8, "x", "y"));

	/* scalars and empty containers as the whole text */
	parse_ok(&j, "\"just a string\"");
	assert_int_equal(j.ntok, 1);
	assert_int_equal(ac_json_type(&j, 0), JSMN_STRING);
	parse_ok(&j, "{}");
	assert_int_equal(j.ntok, 1);
	assert_int_equal(j.tok[0].size, 0);
	parse_ok(&j, "[]");
	assert_int_equal(j.ntok, 1);
	parse_ok(&j, "[[],{},[{}]]");
	assert_int_equal(j.ntok, 5);
	ac_json_release(&j);
}

/* DEFECT: RFC 8259 allows any value as the whole text, so "42" or "true" is a
 * valid record (one primitive token). jsmn's strict mode wants a delimiter
 * after a primitive, so ac_json_parse reports "truncated JSON: unexpected end
 * of record" for them. */
static void test_parse_top_level_number(void **state)
{
	(void)state;
	static const char *const texts[] = { "42", "-1.5", "true", "null" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ac_json j = AC_JSON_INIT;
		ac_err err = AC_ERR_INIT;
		int rc = ac_json_parse(&j, texts[i], strlen(texts[i]), &err);
		unsigned ntok = j.ntok;
		int type = rc == 0 ? ac_json_type(&j, 0) : -1;
		ac_json_release(&j);
		if (rc != 0 || ntok != 1 || type != JSMN_PRIMITIVE)
			fail_msg("%s: rc %d (%s), %u tokens", texts[i], rc, err.msg, ntok);
	}
}

/* Errors ----------------------------------------------------------------- */

static void test_parse_errors(void **state)
{
	(void)state;
	/* truncated records: the column is one past the end */
	expect_err("{\"a\":1", 6, AC_EPARSE, 7, "truncated JSON");
	expect_err("{\"a\":\"xyz", 9, AC_EPARSE, 10, "truncated JSON");
	expect_err("{\"a\":", 5, AC_EPARSE, 6, "truncated JSON");
	expect_err("[1,2,", 5, AC_EPARSE, 6, "truncated JSON");
	expect_err("{\"a\":{\"b\":[", 11, AC_EPARSE, 12, "truncated JSON");

	/* an invalid character: its column */
	expect_err("{\"a\":@}", 7, AC_EPARSE, 6, "invalid JSON at '@'");
	expect_err("{\"a\":1,\n\"b\":#}", 14, AC_EPARSE, 13, "'#'");
	expect_err("[1,\x01]", 5, AC_EPARSE, 4, "0x01");
	expect_err("[1]]", 4, AC_EPARSE, 4, NULL);
	expect_err("{\"a\":1]", 7, AC_EPARSE, 7, NULL);

	/* extra data after the value */
	expect_err("{\"a\":1} {\"b\":2}", 15, AC_EPARSE, 9, "extra data");
	expect_err("{\"a\":1}   []", 12, AC_EPARSE, 11, "extra data");
	expect_err("[]{}", 4, AC_EPARSE, 3, "extra data");

	/* object keys that are not strings */
	expect_err("{1:2}", 5, AC_EPARSE, 2, NULL);
	expect_err("{\"a\":1,true:2}", 14, AC_EPARSE, 8, NULL);
	expect_err("{[1]:2}", 7, AC_EPARSE, 2, NULL);
	expect_err("{{}:2}", 6, AC_EPARSE, 2, NULL);
	/* a key with no value is no key/value pair either */
	expect_err("{\"a\"}", 5, AC_EPARSE, 0, NULL);
	expect_err("{\"a\":1,\"b\"}", 11, AC_EPARSE, 0, NULL);

	/* a bad escape in a string */
	expect_err("[\"\\x\"]", 6, AC_EPARSE, 0, NULL);
	expect_err("[\"\\u12G4\"]", 10, AC_EPARSE, 0, NULL);

	/* nothing at all */
	expect_err("", 0, AC_EPARSE, 1, "no JSON value");
	expect_err("  \n ", 4, AC_EPARSE, 1, "no JSON value");
}

/* DEFECT: these are not JSON texts (RFC 8259 grammar) but jsmn accepts them
 * and ac_json_parse does not check what jsmn lets through: a missing comma,
 * trailing commas, ':' inside an array, a misspelled literal, digits glued to
 * letters. Such a record is walked as if it were valid ("tru" reads as true). */
static void test_parse_rejects_bad_grammar(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"[1 2]",       "[1,]",        "[,1]",         "{\"a\":1,}",   "{\"a\":1,,\"b\":2}",
		"[1:2]",       "{\"a\":tru}", "{\"a\":nul}",  "{\"a\":1x}",   "{\"a\":-}",
		"{\"a\":01}",  "{\"a\" 1}",   "{\"a\":1 \"b\":2}",
	};
	int accepted = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ac_json j = AC_JSON_INIT;
		ac_err err = AC_ERR_INIT;
		if (ac_json_parse(&j, bad[i], strlen(bad[i]), &err) == 0) {
			print_error("accepted invalid JSON: %s\n", bad[i]);
			accepted++;
		}
		ac_json_release(&j);
	}
	assert_int_equal(accepted, 0);
}

/* DEFECT: jsmn stops at a NUL byte, so ac_json_parse(js, len) ignores every
 * byte after one: "{"a":1}\0xyz" (11 bytes) is accepted as {"a":1}. A NUL is
 * not allowed in JSON text; the record should fail ("extra data" or an
 * invalid byte at column 8). */
static void test_parse_nul_byte(void **state)
{
	(void)state;
	expect_err("{\"a\":1}\0xyz", 11, AC_EPARSE, 8, NULL);
	expect_err("{\"a\":1}\0", 8, AC_EPARSE, 8, NULL);
}

/* DEFECT: `{"a":1} 2` has extra data at column 9, but jsmn's strict mode
 * reads the trailing primitive as incomplete and the record is reported as
 * "truncated JSON" at column 10. */
static void test_parse_extra_number(void **state)
{
	(void)state;
	expect_err("{\"a\":1} 2", 9, AC_EPARSE, 9, "extra data");
}

static void test_utf8(void **state)
{
	(void)state;
	/* invalid sequences inside ["..."]: the bad byte is at column 3 */
	static const char *const bad[] = {
		"\xff",             /* never valid */
		"\xfe",
		"\x80",             /* lone continuation byte */
		"\xbf",
		"\xc3\x28",         /* lead byte without continuation */
		"\xc0\xaf",         /* overlong '/' (2 bytes) */
		"\xc1\xbf",         /* overlong U+007F */
		"\xe0\x80\xaf",     /* overlong '/' (3 bytes) */
		"\xe0\x9f\xbf",     /* overlong U+07FF */
		"\xf0\x80\x80\xaf", /* overlong '/' (4 bytes) */
		"\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
		"\xed\xa0\x80",     /* U+D800, a surrogate */
		"\xed\xbf\xbf",     /* U+DFFF, a surrogate */
		"\xed\xa0\xbd\xed\xb8\x80", /* CESU-8 pair for U+1F600 */
		"\xf4\x90\x80\x80", /* U+110000, above Unicode */
		"\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80", /* 5-byte form */
		"\xfc\x84\x80\x80\x80\x80",
		"\xe2\x82",         /* truncated 3-byte sequence */
		"\xf0\x9f\x98",     /* truncated 4-byte sequence */
	};
	char buf[64];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = snprintf(buf, sizeof(buf), "[\"%s\"]", bad[i]);
		expect_err(buf, (size_t)n, AC_EPARSE, 3, "invalid UTF-8");
	}
	/* the column of the bad byte after an ASCII run longer than 8 bytes:
	 * {"key":" is 8 bytes, 37 'a' follow, the bad byte is byte 46 */
	char text[128];
	int n = snprintf(text, sizeof(text), "{\"key\":\"%s\xfe\"}",
	                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	expect_err(text, (size_t)n, AC_EPARSE, 46, "invalid UTF-8");
	/* after a valid multi-byte character: ["é\xff"] -> bytes [ " c3 a9 ff: column 5 */
	expect_err("[\"\xc3\xa9\xff\"]", 7, AC_EPARSE, 5, "invalid UTF-8");
	/* a truncated sequence at the very end of the record */
	expect_err("[\"\xe2\x82", 4, AC_EPARSE, 3, "invalid UTF-8");
	/* the second of two values: {"a":"ok","b":"\xc3(" -> byte 16 */
	expect_err("{\"a\":\"ok\",\"b\":\"\xc3\x28\"}", 20, AC_EPARSE, 16, "invalid UTF-8");

	/* valid 2/3/4-byte sequences, at the bounds of each length */
	static const char *const good[] = {
		"\xc2\x80",         /* U+0080 */
		"\xc3\xa9",         /* U+00E9 */
		"\xdf\xbf",         /* U+07FF */
		"\xe0\xa0\x80",     /* U+0800 */
		"\xe2\x82\xac",     /* U+20AC */
		"\xed\x9f\xbf",     /* U+D7FF, just below the surrogates */
		"\xee\x80\x80",     /* U+E000, just above */
		"\xef\xbf\xbf",     /* U+FFFF */
		"\xf0\x90\x80\x80", /* U+10000 */
		"\xf0\x9f\x98\x80", /* U+1F600 */
		"\xf4\x8f\xbf\xbf", /* U+10FFFF */
	};
	ac_json j = AC_JSON_INIT;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = snprintf(buf, sizeof(buf), "[\"%s\",\"x%sy\"]", good[i], good[i]);
		parse_ok(&j, buf);
		expect_str(&j, 1, good[i], strlen(good[i]));
	}
	/* raw UTF-8 in keys too */
	parse_ok(&j, "{\"cl\xc3\xa9\":\"\xe2\x82\xac\"}");
	ac_json_release(&j);
}

/* The pre-scan skips plain string bytes 16 and 8 at a time: a quote, a
 * backslash, a NUL or a non-ASCII byte at any offset of a long string is
 * still seen, at its exact column. */
static void test_prescan_offsets(void **state)
{
	(void)state;
	ac_json j = AC_JSON_INIT;
	for (int pos = 0; pos < 48; pos++) {
		char run[49], text[160], want[60];
		memset(run, 'a', 48);
		run[48] = '\0';
		/* {"key":" is 8 bytes: the byte at pos is column 9 + pos */
		int n = snprintf(text, sizeof(text), "{\"key\":\"%.*s\xfe%s\"}", pos, run, run + pos);
		expect_err(text, (size_t)n, AC_EPARSE, 9 + pos, "invalid UTF-8");
		n = snprintf(text, sizeof(text), "{\"key\":\"%.*s%c%s\"}", pos, run, 0, run + pos);
		expect_err(text, (size_t)n, AC_EPARSE, 9 + pos, "NUL byte");
		/* an escaped quote and a 2-byte character: one string, decoded */
		snprintf(text, sizeof(text), "[\"%.*s\\\"%s\",\"%.*s\xc3\xa9%s\"]", pos, run,
		         run + pos, pos, run, run + pos);
		parse_ok(&j, text);
		snprintf(want, sizeof(want), "%.*s\"%s", pos, run, run + pos);
		expect_str(&j, 1, want, 49);
		snprintf(want, sizeof(want), "%.*s\xc3\xa9%s", pos, run, run + pos);
		expect_str(&j, elem(&j, 0, 1), want, 50);
		/* brackets after an escaped quote are still inside the string: not
		 * nesting (the depth limit is 128) */
		char deep[201];
		memset(deep, '[', 200);
		deep[200] = '\0';
		char big[300];
		snprintf(big, sizeof(big), "[\"%.*s\\\"%s\"]", pos, run, deep);
		parse_ok(&j, big);
		/* an unescaped quote ends the string there: what follows is not JSON */
		n = snprintf(text, sizeof(text), "[\"%.*s\"%s\"]", pos, run, run + pos);
		expect_err(text, (size_t)n, AC_EPARSE, 0, NULL);
	}
	ac_json_release(&j);
}

/* Strings ---------------------------------------------------------------- */

static void test_str_escapes(void **state)
{
	(void)state;
	ac_json j = AC_JSON_INIT;
	parse_ok(&j, "[\"a\\nb\", \"\\t\", \"\\\"\", \"\\\\\", \"\\/\", \"\\u00e9\", "
	             "\"\\ud83d\\ude00\", \"\\ud83d\", \"\\ude00\", \"x\\ud83dy\", \"plain\", "
	             "\"\\u0041\\u00E9\\u20ac\\uD83D\\uDE00!\", \"\\b\\f\\r\", \"\\u0000\", "
	             "\"\\ud83d\\u0041\", \"\"]");
	expect_str(&j, elem(&j, 0, 0), "a\nb", 3);
	expect_str(&j, elem(&j, 0, 1), "\t", 1);
	expect_str(&j, elem(&j, 0, 2), "\"", 1);
	expect_str(&j, elem(&j, 0, 3), "\\", 1);
	expect_str(&j, elem(&j, 0, 4), "/", 1);
	expect_str(&j, elem(&j, 0, 5), "\xc3\xa9", 2);           /* U+00E9 */
	expect_str(&j, elem(&j, 0, 6), "\xf0\x9f\x98\x80", 4);   /* U+1F600 from a pair */
	expect_str(&j, elem(&j, 0, 7), "\xef\xbf\xbd", 3);       /* lone high -> U+FFFD */
	expect_str(&j, elem(&j, 0, 8), "\xef\xbf\xbd", 3);       /* lone low -> U+FFFD */
	expect_str(&j, elem(&j, 0, 9), "x\xef\xbf\xbdy", 5);
	expect_str(&j, elem(&j, 0, 10), "plain", 5);
	/* A, é, €, 😀, ! = 1 + 2 + 3 + 4 + 1 bytes */
	expect_str(&j, elem(&j, 0, 11), "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80!", 11);
	expect_str(&j, elem(&j, 0, 12), "\b\f\r", 3);
	expect_str(&j, elem(&j, 0, 13), "\0", 1);                /* U+0000 is one NUL byte */
	/* a high surrogate followed by a non-surrogate escape: U+FFFD, then 'A' */
	expect_str(&j, elem(&j, 0, 14), "\xef\xbf\xbd" "A", 4);
	expect_str(&j, elem(&j, 0, 15), "", 0);

	/* a decoded string with escapes is NUL-terminated */
	const char *s;
	size_t n;
	assert_int_equal(ac_json_str(&j, elem(&j, 0, 0), &s, &n), 0);
	assert_int_equal(s[n], '\0');

	/* not a string */
	parse_ok(&j, "[1,{},[],null]");
	for (int k = 0; k < 4; k++)
		assert_int_equal(ac_json_str(&j, elem(&j, 0, k), &s, &n), AC_EPARSE);

	/* ac_json_strcpy truncates to cap - 1 and terminates */
	parse_ok(&j, "[\"abcdef\", \"a\\u00e9b\"]");
	char out[8];
	assert_int_equal(ac_json_strcpy(&j, elem(&j, 0, 0), out, 4), 0);
	assert_string_equal(out, "abc");
	assert_int_equal(ac_json_strcpy(&j, elem(&j, 0, 0), out, sizeof(out)), 0);
	assert_string_equal(out, "abcdef");
	assert_int_equal(ac_json_strcpy(&j, elem(&j, 0, 1), out, sizeof(out)), 0);
	assert_string_equal(out, "a\xc3\xa9" "b");
	ac_json_release(&j);
}

/* ac_json_str on tokens jsmn never produces (jsmn rejects bad escapes at
 * parse time): the decoder must still refuse them, not read past the end. */
static void test_str_bad_escape(void **state)
{
	(void)state;
	static const char *const bad[] = { "\\x", "a\\q", "\\u12", "\\u12G4", "ab\\" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ac_json j = AC_JSON_INIT;
		j.tok = malloc(sizeof(jsmntok_t));
		assert_non_null(j.tok);
		j.js = bad[i];
		j.len = strlen(bad[i]);
		j.tok[0].type = JSMN_STRING;
		j.tok[0].start = 0;
		j.tok[0].end = (int)j.len;
		j.tok[0].size = 0;
		j.tok[0].parent = -1;
		j.ntok = j.cap = 1;
		const char *s;
		size_t n;
		if (ac_json_str(&j, 0, &s, &n) != AC_EPARSE) {
			print_error("\"%s\" decoded\n", bad[i]);
			fail();
		}
		ac_json_release(&j);
	}
}

/* Many escaped strings of one record: every decoded result stays valid while
 * the others are decoded (the arena never moves earlier results), also across
 * block boundaries and with one string larger than a block. */
static void test_str_many(void **state)
{
	(void)state;
	enum { N = 20000, PAD = 50, BIG = 200000 };
	size_t cap = (size_t)N * 80 + BIG + 64;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t at = 0;
	text[at++] = '[';
	for (int i = 0; i < N; i++) {
		if (i == N / 2) {
			/* one string bigger than an arena block: "\t" + BIG 'b' + "\t" */
			memcpy(text + at, "\"\\t", 3);
			at += 3;
			memset(text + at, 'b', BIG);
			at += BIG;
			memcpy(text + at, "\\t\",", 4);
			at += 4;
		}
		/* "s%05d\n" + PAD 'p' + "\u00e9" */
		at += (size_t)snprintf(text + at, cap - at, "\"s%05d\\n%.*s\\u00e9\"%s", i, PAD,
		                       "pppppppppppppppppppppppppppppppppppppppppppppppppp",
		                       i + 1 < N ? "," : "");
	}
	text[at++] = ']';
	text[at] = '\0';

	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_json_parse(&j, text, at, &err), 0);
	assert_int_equal(j.tok[0].size, N + 1);

	const char **p = malloc((N + 1) * sizeof(*p));
	size_t *len = malloc((N + 1) * sizeof(*len));
	assert_non_null(p);
	assert_non_null(len);
	int t = 1;
	for (int i = 0; i <= N; i++, t = ac_json_skip(&j, t))
		assert_int_equal(ac_json_str(&j, t, &p[i], &len[i]), 0);

	/* check every result only after all were decoded */
	char want[128];
	for (int i = 0, k = 0; i <= N; i++) {
		if (i == N / 2) {
			assert_int_equal(len[i], BIG + 2);
			assert_int_equal(p[i][0], '\t');
			assert_int_equal(p[i][BIG + 1], '\t');
			for (size_t q = 1; q <= BIG; q++)
				if (p[i][q] != 'b')
					fail_msg("big string byte %zu is %d", q, p[i][q]);
			continue;
		}
		/* 6 + 1 + PAD + 2 = 59 bytes */
		int n = snprintf(want, sizeof(want), "s%05d\n%.*s\xc3\xa9", k, PAD,
		                 "pppppppppppppppppppppppppppppppppppppppppppppppppp");
		if (len[i] != (size_t)n || memcmp(p[i], want, (size_t)n) != 0) {
			print_error("string %d changed: \"%.*s\"\n", k, (int)len[i], p[i]);
			fail();
		}
		k++;
	}
	free(p);
	free(len);
	free(text);
	ac_json_release(&j);
}

/* One ac_json across many records, valid and not: each parse starts clean. */
static void test_reuse(void **state)
{
	(void)state;
	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	char text[4096];
	for (int r = 0; r < 500; r++) {
		int nstr = 1 + (r * 7) % 40;
		size_t at = 0;
		text[at++] = '[';
		for (int i = 0; i < nstr; i++)
			at += (size_t)snprintf(text + at, sizeof(text) - at, "%s\"r%d\\u00e9%d\"",
			                       i ? "," : "", r, i);
		text[at++] = ']';
		if (r % 10 == 9) {
			/* a broken record in between */
			assert_int_equal(ac_json_parse(&j, text, at - 1, &err), AC_EPARSE);
			continue;
		}
		assert_int_equal(ac_json_parse(&j, text, at, &err), 0);
		assert_int_equal(j.ntok, (unsigned)nstr + 1);
		assert_int_equal(j.tok[0].size, nstr);
		char want[64];
		for (int i = 0; i < nstr; i++) {
			int n = snprintf(want, sizeof(want), "r%d\xc3\xa9%d", r, i);
			expect_str(&j, elem(&j, 0, i), want, (size_t)n);
		}
	}
	/* a record with more tokens than the initial capacity, then a small one */
	size_t cap = 2 + 5000 * 2;
	char *big = malloc(cap + 1);
	assert_non_null(big);
	size_t at = 0;
	big[at++] = '[';
	for (int i = 0; i < 5000; i++) {
		big[at++] = '1';
		big[at++] = i + 1 < 5000 ? ',' : ']';
	}
	assert_int_equal(ac_json_parse(&j, big, at, &err), 0);
	assert_int_equal(j.ntok, 5001);
	assert_int_equal(ac_json_skip(&j, 0), 5001);
	free(big);
	parse_ok(&j, "{\"k\":\"v\"}");
	assert_int_equal(j.ntok, 3);
	ac_json_release(&j);
	/* release twice is harmless, and the struct can be used again */
	ac_json_release(&j);
	parse_ok(&j, "[1]");
	ac_json_release(&j);
}

/* Numbers ---------------------------------------------------------------- */

typedef struct num_case {
	const char *json;
	int ok;
	int64_t i;
} num_case;

static void test_i64(void **state)
{
	(void)state;
	static const num_case cases[] = {
		{ "\"123\"", 1, 123 },
		{ "123", 1, 123 },
		{ "\"-5\"", 1, -5 },
		{ "-5", 1, -5 },
		{ "0", 1, 0 },
		{ "-0", 1, 0 },
		{ "\"97.0\"", 1, 97 },
		{ "97.0", 1, 97 },
		{ "\"1e3\"", 1, 1000 },
		{ "1e3", 1, 1000 },
		{ "1E3", 1, 1000 },
		{ "-2.5e1", 1, -25 },
		{ "\"9223372036854775807\"", 1, INT64_MAX },
		{ "9223372036854775807", 1, INT64_MAX },
		{ "-9223372036854775808", 1, INT64_MIN },
		{ "\"1.5\"", 0, 0 },
		{ "1.5", 0, 0 },
		{ "1e-3", 0, 0 },
		{ "\"9223372036854775808\"", 0, 0 },
		{ "9223372036854775808", 0, 0 },
		{ "-9223372036854775809", 0, 0 },
		{ "18446744073709551616", 0, 0 },
		{ "\"1e19\"", 0, 0 },
		{ "1e400", 0, 0 },
		{ "\"abc\"", 0, 0 },
		{ "\"\"", 0, 0 },
		{ "\"12 \"", 0, 0 },
		{ "\"0x10\"", 0, 0 },
		{ "\"NaN\"", 0, 0 },
		{ "\"Infinity\"", 0, 0 },
		{ "true", 0, 0 },
		{ "false", 0, 0 },
		{ "null", 0, 0 },
		{ "{}", 0, 0 },
		{ "[]", 0, 0 },
	};
	ac_json j = AC_JSON_INIT;
	char text[128];
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		snprintf(text, sizeof(text), "[%s]", cases[c].json);
		parse_ok(&j, text);
		int64_t v = 4242;
		int rc = ac_json_i64(&j, 1, &v);
		if (cases[c].ok ? (rc != 0 || v != cases[c].i) : rc == 0) {
			print_error("i64 %s: rc %d value %lld\n", cases[c].json, rc, (long long)v);
			fail();
		}
		if (!cases[c].ok)
			assert_int_equal(rc, AC_EINVAL);
	}
	ac_json_release(&j);
}

typedef struct u64_case {
	const char *json;
	int ok;
	uint64_t u;
} u64_case;

static void test_u64(void **state)
{
	(void)state;
	static const u64_case cases[] = {
		{ "\"18446744073709551615\"", 1, UINT64_MAX },
		{ "18446744073709551615", 1, UINT64_MAX },
		{ "\"1748779200000000000\"", 1, 1748779200000000000ULL },
		{ "1748779200000000000", 1, 1748779200000000000ULL },
		{ "0", 1, 0 },
		{ "\"1e3\"", 1, 1000 },
		{ "12.0", 1, 12 },
		{ "\"18446744073709551616\"", 0, 0 },
		{ "18446744073709551616", 0, 0 },
		{ "\"-1\"", 0, 0 },
		{ "-1", 0, 0 },
		{ "1.5", 0, 0 },
		{ "\"abc\"", 0, 0 },
		{ "\"\"", 0, 0 },
		{ "true", 0, 0 },
		{ "null", 0, 0 },
		{ "{}", 0, 0 },
	};
	ac_json j = AC_JSON_INIT;
	char text[128];
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		snprintf(text, sizeof(text), "[%s]", cases[c].json);
		parse_ok(&j, text);
		uint64_t v = 4242;
		int rc = ac_json_u64(&j, 1, &v);
		if (cases[c].ok ? (rc != 0 || v != cases[c].u) : rc == 0) {
			print_error("u64 %s: rc %d value %llu\n", cases[c].json, rc, (unsigned long long)v);
			fail();
		}
	}
	ac_json_release(&j);
}

static void test_f64(void **state)
{
	(void)state;
	ac_json j = AC_JSON_INIT;
	double d;
	parse_ok(&j, "[\"1.5\", 1.5, -2.5e-3, 0, 12, \"1e308\", \"NaN\", \"Infinity\", "
	             "\"-Infinity\"]");
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 0), &d), 0);
	assert_close(d, 1.5, 0, 0);
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 1), &d), 0);
	assert_close(d, 1.5, 0, 0);
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 2), &d), 0);
	assert_close(d, -0.0025, 1e-15, 0);
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 3), &d), 0);
	assert_close(d, 0, 0, 0);
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 4), &d), 0);
	assert_close(d, 12, 0, 0);
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 5), &d), 0);
	assert_close(d, 1e308, 1e-15, 0);
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 6), &d), 0);
	assert_true(isnan(d));
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 7), &d), 0);
	assert_true(isinf(d) && d > 0);
	assert_int_equal(ac_json_f64(&j, elem(&j, 0, 8), &d), 0);
	assert_true(isinf(d) && d < 0);

	/* overflow, words and non-numbers fail */
	parse_ok(&j, "[1e400, \"1e400\", -1e400, \"abc\", \"nan\", \"inf\", \"0x1p3\", \"\", true, "
	             "null, {}, []]");
	for (int k = 0; k < j.tok[0].size; k++) {
		d = 99;
		if (ac_json_f64(&j, elem(&j, 0, k), &d) != AC_EINVAL)
			fail_msg("f64 element %d accepted (%g)", k, d);
	}
	ac_json_release(&j);
}

/* Walking ---------------------------------------------------------------- */

/* The step over a subtree by counting token sizes (what ac_json_skip() did
 * before next[]): the rule it must agree with, whichever way it gets there. */
static int skip_by_count(const ac_json *j, int i)
{
	int left = 1;
	for (; left > 0; i++)
		left += j->tok[i].size - 1;
	return i;
}

static unsigned long long skip_rng = 88172645463325252ull;

static unsigned skip_rand(unsigned n)
{
	skip_rng ^= skip_rng << 13;
	skip_rng ^= skip_rng >> 7;
	skip_rng ^= skip_rng << 17;
	return (unsigned)(skip_rng % n);
}

/* A random JSON value of at most `depth` more levels, appended at *at. */
static void skip_doc(char *b, size_t *at, int depth)
{
	unsigned k = depth > 0 ? skip_rand(4) : 2 + skip_rand(2);
	if (k <= 1) { /* object or array, possibly empty */
		int obj = k == 0, n = (int)skip_rand(7);
		b[(*at)++] = obj ? '{' : '[';
		for (int i = 0; i < n; i++) {
			if (i)
				b[(*at)++] = ',';
			if (obj)
				*at += (size_t)sprintf(b + *at, "\"k%d\":", i);
			skip_doc(b, at, depth - 1);
		}
		b[(*at)++] = obj ? '}' : ']';
	} else if (k == 2) {
		*at += (size_t)sprintf(b + *at, "\"s%u\"", skip_rand(100));
	} else {
		*at += (size_t)sprintf(b + *at, "%u", skip_rand(1000));
	}
}

/* Every token of 500 random documents (to 9 levels, empty containers,
 * keys with scalar and container values): the one-step skip equals the
 * count, and with has_next cleared the walkers get the same by counting. */
static void test_skip_every_token(void **state)
{
	(void)state;
	size_t cap = 1u << 22;
	char *b = malloc(cap);
	assert_non_null(b);
	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	long long containers = 0;
	for (int d = 0; d < 500; d++) {
		size_t at = 0;
		b[at++] = '[';
		skip_doc(b, &at, 1 + d % 9);
		b[at++] = ']';
		assert_true(at < cap);
		assert_int_equal(ac_json_parse(&j, b, at, &err), 0);
		assert_true(j.has_next);
		for (unsigned i = 0; i < j.ntok; i++) {
			int t = j.tok[i].type;
			containers += t == JSMN_OBJECT || t == JSMN_ARRAY;
			assert_int_equal(ac_json_skip(&j, (int)i), skip_by_count(&j, (int)i));
		}
		j.has_next = 0;
		for (unsigned i = 0; i < j.ntok; i++)
			assert_int_equal(ac_json_skip(&j, (int)i), skip_by_count(&j, (int)i));
	}
	assert_true(containers > 5000); /* the documents were not all flat */
	ac_json_release(&j);
	free(b);
}

static void test_skip(void **state)
{
	(void)state;
	ac_json j = AC_JSON_INIT;
	/* 0 {  1 "a"  2 [  3 1  4 {  5 "b"  6 [  7 2  8 3  9 "c"  10 {  11 "d"  12 {} */
	parse_ok(&j, "{\"a\":[1,{\"b\":[2,3]}],\"c\":{\"d\":{}}}");
	assert_int_equal(j.ntok, 13);
	assert_int_equal(ac_json_skip(&j, 0), 13);  /* the whole document */
	assert_int_equal(ac_json_skip(&j, 1), 9);   /* key "a" with its value */
	assert_int_equal(ac_json_skip(&j, 2), 9);   /* the array */
	assert_int_equal(ac_json_skip(&j, 3), 4);   /* a scalar */
	assert_int_equal(ac_json_skip(&j, 4), 9);   /* the inner object */
	assert_int_equal(ac_json_skip(&j, 6), 9);
	assert_int_equal(ac_json_skip(&j, 7), 8);
	assert_int_equal(ac_json_skip(&j, 9), 13);  /* key "c" */
	assert_int_equal(ac_json_skip(&j, 12), 13); /* empty object */
	assert_true(ac_json_eq(&j, 9, "c"));
	assert_true(ac_json_eq(&j, 11, "d"));
	ac_json_release(&j);
}

static double cpu_seconds(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

/* depth levels of [ or {"a": around 1: the text goes to *out (caller frees). */
static size_t deep_text(char **out, size_t depth, int objects)
{
	char *s = malloc(depth * 6 + 8);
	assert_non_null(s);
	size_t at = 0;
	for (size_t i = 0; i < depth; i++) {
		if (objects) {
			memcpy(s + at, "{\"a\":", 5);
			at += 5;
		} else {
			s[at++] = '[';
		}
	}
	s[at++] = '1';
	for (size_t i = 0; i < depth; i++)
		s[at++] = objects ? '}' : ']';
	*out = s;
	return at;
}

/* A record nested deeper than 100,000 levels is parsed or refused (AC_ELIMIT),
 * never a crash: nothing recurses on the C stack. Arrays only at this depth:
 * while parsing is quadratic in depth (see test_deep_nesting_time) 100,001
 * nested objects take half a minute; they are covered at 30,000 levels below. */
static void test_deep_nesting(void **state)
{
	(void)state;
	enum { DEPTH = 100001 };
	char *s;
	size_t n = deep_text(&s, DEPTH, 0);
	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	int rc = ac_json_parse(&j, s, n, &err);
	assert_true(rc == 0 || rc == AC_ELIMIT);
	if (rc == 0) {
		/* one token per level, plus the number */
		assert_int_equal(j.ntok, DEPTH + 1);
		assert_int_equal(ac_json_skip(&j, 0), DEPTH + 1);
		assert_int_equal(j.tok[DEPTH].size, 0);
	} else {
		assert_true(err.msg[0] != '\0');
	}
	/* a truncated deep record is an error, not a crash */
	assert_true(ac_json_parse(&j, s, n / 2, &err) < 0);
	assert_true(ac_json_parse(&j, s, DEPTH, &err) < 0);
	ac_json_release(&j);
	free(s);
}

/* DEFECT: parsing time grows with the square of the nesting depth (jsmn's
 * parent-link walk on every closing bracket, and the object-key check that
 * skips each object's whole subtree), so one 200 KB record of 100,000 nested
 * arrays takes about 10 s and of nested objects about 30 s. A record of
 * 30,000 levels should take milliseconds; allow 0.25 s of CPU each. */
static void test_deep_nesting_time(void **state)
{
	(void)state;
	enum { DEPTH = 30000 };
	double took[2];
	for (int objects = 0; objects <= 1; objects++) {
		char *s;
		size_t n = deep_text(&s, DEPTH, objects);
		ac_json j = AC_JSON_INIT;
		ac_err err = AC_ERR_INIT;
		double t0 = cpu_seconds();
		int rc = ac_json_parse(&j, s, n, &err);
		took[objects] = cpu_seconds() - t0;
		assert_true(rc == 0 || rc == AC_ELIMIT);
		ac_json_release(&j);
		free(s);
	}
	if (took[0] > 0.25 || took[1] > 0.25)
		fail_msg("depth %d: arrays %.2f s, objects %.2f s of CPU", DEPTH, took[0], took[1]);
}

static void test_position(void **state)
{
	(void)state;
	const char *js = "ab\ncd\n\nef";
	long long line, col;
	ac_json_position(js, 0, 5, &line, &col);
	assert_true(line == 5 && col == 1);
	ac_json_position(js, 2, 5, &line, &col); /* the newline itself ends line 5 */
	assert_true(line == 5 && col == 3);
	ac_json_position(js, 3, 5, &line, &col);
	assert_true(line == 6 && col == 1);
	ac_json_position(js, 4, 5, &line, &col);
	assert_true(line == 6 && col == 2);
	ac_json_position(js, 6, 1, &line, &col); /* an empty line */
	assert_true(line == 3 && col == 1);
	ac_json_position(js, 8, 1, &line, &col);
	assert_true(line == 4 && col == 2);
	ac_json_position(js, 9, 1, &line, &col); /* one past the end */
	assert_true(line == 4 && col == 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_top_level_number),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_rejects_bad_grammar),
		cmocka_unit_test(test_parse_nul_byte),
		cmocka_unit_test(test_parse_extra_number),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_prescan_offsets),
		cmocka_unit_test(test_str_escapes),
		cmocka_unit_test(test_str_bad_escape),
		cmocka_unit_test(test_str_many),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_i64),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_f64),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_skip_every_token),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_deep_nesting_time),
		cmocka_unit_test(test_position),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
