/*
 * Unit tests of the attribute search (src/util/jsonattr.c): the shapes an
 * attribute takes (OTLP AnyValue, Jaeger tags, flat maps), the order of the
 * search (span before resource, events and links never, first match in
 * document order), the decoding of the value, and hostile text. Every
 * document is read from a heap copy of exactly its length with no NUL after
 * it, so the ASan build (make test-asan) catches a read past n.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/jsonattr.h"

static char got[256];

/* A heap copy of doc[0..n) with nothing after it: malloc(n), no NUL. */
static char *exact(const char *doc, size_t n)
{
	char *js = malloc(n ? n : 1);
	assert_non_null(js);
	memcpy(js, doc, n);
	return js;
}

static int find_n(const char *doc, size_t n, const char *key, size_t cap)
{
	char *js = exact(doc, n);
	memset(got, 'Z', sizeof(got));
	int r = ac_json_attr_find(js, n, key, got, cap);
	free(js);
	return r;
}

static int find(const char *doc, const char *key)
{
	return find_n(doc, strlen(doc), key, sizeof(got));
}

static int span(const char *raw, const char *res, const char *key)
{
	size_t rn = raw ? strlen(raw) : 0, resn = res ? strlen(res) : 0;
	char *a = exact(raw ? raw : "", rn), *b = exact(res ? res : "", resn);
	memset(got, 'Z', sizeof(got));
	int r = ac_json_attr_span(a, rn, b, resn, key, got, sizeof(got));
	free(a);
	free(b);
	return r;
}

#define assert_found(doc, key, want)                                                              \
	do {                                                                                      \
		assert_int_equal(find((doc), (key)), 1);                                         \
		assert_string_equal(got, (want));                                                 \
	} while (0)
#define assert_none(doc, key) assert_int_equal(find((doc), (key)), 0)

static void test_otlp_anyvalue(void **state)
{
	(void)state;
	assert_found("{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"search\"}}]}",
	             "team", "search");
	/* intValue is a string in OTLP JSON, a number from some exporters */
	assert_found("{\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":\"42\"}}]}", "n", "42");
	assert_found("{\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":42}}]}", "n", "42");
	assert_found("{\"attributes\":[{\"key\":\"t\",\"value\":{\"doubleValue\":0.25}}]}", "t",
	             "0.25");
	assert_found("{\"attributes\":[{\"key\":\"b\",\"value\":{\"boolValue\":true}}]}", "b", "true");
	assert_found("{\"attributes\":[{\"key\":\"b\",\"value\":{\"boolValue\":false}}]}", "b",
	             "false");
	/* the other pairs of the array are skipped, the value may come first */
	assert_found("{\"attributes\":[{\"key\":\"a\",\"value\":{\"stringValue\":\"1\"}},"
	             "{\"value\":{\"stringValue\":\"v\"},\"key\":\"team\"}]}",
	             "team", "v");
	/* pretty-printed */
	assert_found("{\n\t\"attributes\" : [ {\r\n \"key\" : \"team\" ,\n \"value\" : { "
	             "\"stringValue\" : \"ws\" } } ]\n}",
	             "team", "ws");
	/* a key that is not there */
	assert_none("{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"x\"}}]}", "tea");
	assert_none("{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"x\"}}]}",
	            "teams");
}

static void test_jaeger_tag(void **state)
{
	(void)state;
	const char *doc = "{\"traceID\":\"ab\",\"tags\":[{\"key\":\"span.kind\",\"type\":\"string\","
	                  "\"value\":\"client\"},{\"key\":\"team\",\"type\":\"string\",\"value\":"
	                  "\"infra\"},{\"key\":\"retries\",\"type\":\"int64\",\"value\":3}]}";
	assert_found(doc, "team", "infra");
	assert_found(doc, "retries", "3");
	assert_found(doc, "span.kind", "client");
}

static void test_flat(void **state)
{
	(void)state;
	assert_found("{\"attributes\":{\"team\":\"x\"}}", "team", "x");
	assert_found("{\"name\":\"chat\",\"team\":\"x\",\"cost\":1.5}", "team", "x");
	assert_found("{\"name\":\"chat\",\"team\":\"x\",\"cost\":1.5}", "cost", "1.5");
	assert_found("{\"metadata\":{\"user\":{\"tier\":7}}}", "tier", "7");
}

/* The record's own structure is no attribute: attr:name is an attribute
 * named "name", never the span's name; status and ids are never found. */
static void test_span_fields_never(void **state)
{
	(void)state;
	const char *otlp = "{\"traceId\":\"0af7\",\"spanId\":\"b7ad\",\"name\":\"chat\","
	                   "\"kind\":3,\"status\":{\"code\":2,\"message\":\"boom\"},"
	                   "\"attributes\":[{\"key\":\"name\",\"value\":{\"stringValue\":"
	                   "\"attrname\"}}]}";
	assert_found(otlp, "name", "attrname");
	assert_none(otlp, "spanId");
	assert_none(otlp, "kind");
	assert_none(otlp, "message");
	assert_none(otlp, "code");
	/* the flat format's names too; its attributes map still answers */
	assert_none("{\"trace_id\":\"1\",\"span_id\":\"2\",\"name\":\"x\"}", "name");
	assert_found("{\"name\":\"x\",\"attributes\":{\"name\":\"y\"}}", "name", "y");
}

static void test_events_links_never(void **state)
{
	(void)state;
	assert_none("{\"events\":[{\"name\":\"e\",\"attributes\":[{\"key\":\"team\",\"value\":"
	            "{\"stringValue\":\"ev\"}}]}]}",
	            "team");
	assert_none("{\"links\":[{\"traceId\":\"1\",\"attributes\":{\"team\":\"ln\"}}]}", "team");
	assert_none("{\"events\":{\"team\":\"ev\"}}", "team");
	/* events before the span's attributes: the span's value, not the event's */
	assert_found("{\"events\":[{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":"
	             "\"ev\"}}]}],\"links\":[{\"attributes\":{\"team\":\"ln\"}}],"
	             "\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"span\"}}]}",
	             "team", "span");
	/* nor in the resource pass: a resource inside an event is not the span's */
	assert_none("{\"events\":[{\"resource\":{\"team\":\"ev\"}}]}", "team");
}

static void test_resource_second(void **state)
{
	(void)state;
	/* only the resource has it: found in the second pass */
	const char *res_only =
	    "{\"resource\":{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"res\"}}]},"
	    "\"scopeSpans\":[{\"spans\":[{\"name\":\"chat\",\"attributes\":[]}]}]}";
	assert_found(res_only, "team", "res");
	/* the span has it too: the span wins although the resource comes first */
	const char *both =
	    "{\"resource\":{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"res\"}}]},"
	    "\"scopeSpans\":[{\"spans\":[{\"name\":\"chat\",\"attributes\":[{\"key\":\"team\","
	    "\"value\":{\"stringValue\":\"span\"}}]}]}]}";
	assert_found(both, "team", "span");
	/* a flat resource member */
	assert_found("{\"resource\":{\"team\":\"r\"},\"name\":\"x\"}", "team", "r");
}

static void test_span_then_resource_text(void **state)
{
	(void)state;
	const char *raw = "{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"span\"}}]}";
	const char *raw_no = "{\"attributes\":[{\"key\":\"other\",\"value\":{\"stringValue\":\"o\"}}]}";
	const char *res = "{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"res\"}}]}";
	assert_int_equal(span(raw, res, "team"), 1);
	assert_string_equal(got, "span");
	assert_int_equal(span(raw_no, res, "team"), 1);
	assert_string_equal(got, "res");
	assert_int_equal(span(NULL, res, "team"), 1); /* rn == 0 */
	assert_string_equal(got, "res");
	assert_int_equal(span(raw, NULL, "team"), 1); /* resn == 0 */
	assert_string_equal(got, "span");
	assert_int_equal(span(raw_no, res, "nowhere"), 0);
	assert_int_equal(span(NULL, NULL, "team"), 0);
	/* a resource inside the span's own text comes before the resource text */
	assert_int_equal(span("{\"resource\":{\"team\":\"inner\"}}", res, "team"), 1);
	assert_string_equal(got, "inner");
	/* a malformed span text does not hide the resource's value */
	assert_int_equal(span("{\"attributes\":[", res, "team"), 1);
	assert_string_equal(got, "res");
}

static void test_first_wins(void **state)
{
	(void)state;
	assert_found("{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"first\"}},"
	             "{\"key\":\"team\",\"value\":{\"stringValue\":\"second\"}}]}",
	             "team", "first");
	assert_found("{\"team\":\"flat\",\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":"
	             "\"pair\"}}]}",
	             "team", "flat");
	assert_found("{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"pair\"}}],"
	             "\"team\":\"flat\"}",
	             "team", "pair");
	/* two resources: the first one's */
	assert_found("[{\"resource\":{\"team\":\"r1\"}},{\"resource\":{\"team\":\"r2\"}}]", "team",
	             "r1");
}

static void test_no_value(void **state)
{
	(void)state;
	/* empty string, null, object, array: no value (0), whatever the shape */
	assert_none("{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"\"}}]}", "team");
	assert_none("{\"team\":\"\"}", "team");
	assert_none("{\"team\":null}", "team");
	assert_none("{\"key\":\"team\",\"value\":null}", "team");
	assert_none("{\"key\":\"team\",\"value\":{}}", "team");
	assert_none("{\"team\":{\"name\":\"x\"}}", "team");
	assert_none("{\"team\":[\"a\",\"b\"]}", "team");
	assert_none("{\"key\":\"team\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":"
	            "\"a\"}]}}}",
	            "team");
	/* ... and the search goes on to the next carrier */
	assert_found("{\"team\":\"\",\"x\":{\"team\":null},\"y\":{\"team\":{}},"
	             "\"attributes\":{\"team\":\"later\"}}",
	             "team", "later");
	/* no key, no room */
	assert_int_equal(find("{\"team\":\"x\"}", ""), 0);
	assert_int_equal(got[0], '\0'); /* out is a string whatever the answer */
	assert_int_equal(find_n("{\"team\":\"x\"}", 12, "team", 0), 0);
	assert_int_equal(got[0], 'Z'); /* cap 0: nothing written */
	assert_int_equal(ac_json_attr_find("{\"team\":\"x\"}", 12, NULL, got, sizeof(got)), 0);
}

static void test_escapes(void **state)
{
	(void)state;
	/* an escaped member name, an escaped pair key */
	assert_found("{\"te\\u0061m\":\"x\"}", "team", "x");
	assert_found("{\"key\":\"te\\u0061m\",\"value\":{\"stringValue\":\"y\"}}", "team", "y");
	assert_found("{\"key\":\"team\",\"value\":{\"string\\u0056alue\":\"z\"}}", "team", "z");
	/* escaped values: \" \\ \/ \n \t; \u00e9 is U+00E9 = 110 00011 10 101001 = C3 A9;
	 * \u20ac is U+20AC = 1110 0010 10 000010 10 101100 = E2 82 AC */
	assert_found("{\"team\":\"a\\\"b\"}", "team", "a\"b");
	assert_found("{\"team\":\"a\\\\b\\/c\\nd\\te\"}", "team", "a\\b/c\nd\te");
	assert_found("{\"team\":\"\\u00e9\"}", "team", "\xc3\xa9");
	assert_found("{\"team\":\"\\u00E9\\u20ac\"}", "team", "\xc3\xa9\xe2\x82\xac");
	/* a key with a quote in it */
	assert_found("{\"a\\\"b\":\"q\"}", "a\"b", "q");
	/* a bad \u escape: still a value (kept as text), not a crash */
	assert_int_equal(find("{\"team\":\"\\u00zz\"}", "team"), 1);
	assert_int_equal(find("{\"team\":\"\\u00\"}", "team"), 1);
}

static void test_surrogate_pair(void **state)
{
	(void)state;
	/* U+1F680 (Python's json.dumps writes it \ud83d\ude80): 0x1F680 = 000 011111 011010
	 * 000000 -> F0 9F 9A 80, as the ingest parser decodes it (src/ingest/json.c) */
	assert_found("{\"team\":\"\\ud83d\\ude80x\"}", "team", "\xf0\x9f\x9a\x80x");
	assert_found("{\"team\":\"\\uD83D\\uDE80\"}", "team", "\xf0\x9f\x9a\x80");
	/* a lone surrogate is kept as written, 3 bytes: U+D83D = 1101 100000 111101 ->
	 * ED A0 BD; a high one followed by no low one (\u0041 = A) is lone too */
	assert_found("{\"team\":\"\\ud83dx\"}", "team", "\xed\xa0\xbdx");
	assert_found("{\"team\":\"\\ud83d\\u0041\"}", "team", "\xed\xa0\xbd" "A");
	assert_found("{\"team\":\"\\ud83d\\ude8\"}", "team", "\xed\xa0\xbdude8");
}

static void test_truncation(void **state)
{
	(void)state;
	/* cap 4: 3 bytes and the NUL, out[4..] untouched */
	assert_int_equal(find_n("{\"team\":\"abcdef\"}", 17, "team", 4), 1);
	assert_memory_equal(got, "abc\0ZZ", 6);
	assert_int_equal(find_n("{\"n\":123456}", 12, "n", 4), 1);
	assert_memory_equal(got, "123\0ZZ", 6);
	assert_int_equal(find_n("{\"key\":\"n\",\"value\":{\"intValue\":\"98765\"}}", 40, "n", 4), 1);
	assert_memory_equal(got, "987\0ZZ", 6);
	/* exactly cap - 1 bytes fit whole */
	assert_int_equal(find_n("{\"team\":\"abc\"}", 14, "team", 4), 1);
	assert_memory_equal(got, "abc\0ZZ", 6);
	/* cap 1: found, the empty text */
	assert_int_equal(find_n("{\"team\":\"abc\"}", 14, "team", 1), 1);
	assert_memory_equal(got, "\0ZZ", 3);
}

static void test_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"{",
		"[",
		"\"",
		"{\"team\"",
		"{\"team\":",
		"{\"team\":\"x",
		"{\"team\":\"x\\",
		"{\"team\":\"x\\\"}",
		"{\"team\" \"x\"}",
		"{team:\"x\"}",
		"{\"a\":}",
		"{\"a\":1]",
		"[}",
		"{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"x\"}",
		"{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"x\"}]}",
		"{\"events\":[{\"a\":1}",
		"{\"events\":[{\"a\":1]],\"team\":\"x\"}",
		"{\"resource\":{\"team\":\"x\"",
		"{\"resource\":{\"team\":\"x\"}",
		"{\"key\":\"team\",\"value\":{\"intValue\":",
		"{\"key\":\"team\",\"value\":\"\\u12",
		"}}}}",
		"]",
		":::",
		",,,",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		if (find(bad[k], "team")) {
			print_error("found \"%s\" in %s\n", got, bad[k]);
			fail();
		}
	}
	/* a NUL in the text is a byte like another: no match, no read past it */
	static const char nul[] = "{\"a\":\"\0\",\"b\":1\0}";
	assert_int_equal(find_n(nul, sizeof(nul) - 1, "team", sizeof(got)), 0);
}

/* Every prefix of a document, read from a buffer of exactly that length:
 * no crash, no read past n (ASan), and a match only with the whole value. */
static void prefixes(const char *doc, const char *key, const char *want)
{
	size_t len = strlen(doc);
	for (size_t n = 0; n <= len; n++) {
		int r = find_n(doc, n, key, sizeof(got));
		if (r && strcmp(got, want)) {
			print_error("prefix %zu of %zu: \"%s\", expected \"%s\"\n", n, len, got, want);
			fail();
		}
		if (n == len && !r) {
			print_error("the whole document: no match, expected \"%s\"\n", want);
			fail();
		}
		/* the same prefix as a span's text, a resource text after it */
		char *a = exact(doc, n), *b = exact(doc, n);
		r = ac_json_attr_span(a, n, b, n, key, got, sizeof(got));
		free(a);
		free(b);
		assert_true(!r || !strcmp(got, want));
	}
}

static void test_every_prefix(void **state)
{
	(void)state;
	const char *otlp =
	    "{\"resource\":{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":\"r\\u00e9s\"}}]},"
	    "\"scopeSpans\":[{\"spans\":[{\"name\":\"chat\",\"events\":[{\"attributes\":[{\"key\":"
	    "\"team\",\"value\":{\"stringValue\":\"ev\"}}]}],\"attributes\":[{\"key\":\"n\",\"value\":"
	    "{\"intValue\":\"7\"}},{\"key\":\"te\\u0061m\",\"value\":{\"stringValue\":\"a\\\"b\"}}],"
	    "\"status\":{}}]}]}";
	prefixes(otlp, "team", "a\"b");
	prefixes(otlp, "n", "7");
	/* the resource's value, only when the whole text is read */
	const char *res = "{\"resource\":{\"attributes\":[{\"key\":\"team\",\"value\":{\"stringValue\":"
	                  "\"r\"}}]},\"spans\":[{\"name\":\"x\",\"attributes\":[]}]}";
	prefixes(res, "team", "r");
	for (size_t n = 0; n < strlen(res); n++)
		assert_int_equal(find_n(res, n, "team", sizeof(got)), 0);
	/* a number or a bool cut by the end of the text is not the value */
	prefixes("{\"attributes\":{\"retries\":12345}}", "retries", "12345");
	prefixes("{\"tags\":[{\"key\":\"ok\",\"value\":false}]}", "ok", "false");
	prefixes("{\"ok\":true}", "ok", "true");
}

static char *nested(size_t depth, const char *open, const char *inner, const char *close)
{
	size_t lo = strlen(open), li = strlen(inner), lc = strlen(close);
	char *s = malloc(depth * (lo + lc) + li + 1), *p = s;
	assert_non_null(s);
	for (size_t k = 0; k < depth; k++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, inner, li);
	p += li;
	for (size_t k = 0; k < depth; k++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

static void test_deep(void **state)
{
	(void)state;
	/* 1,000 levels: no match, no stack overflow, whatever the nesting */
	char *s = nested(1000, "[", "{\"team\":\"x\"}", "]");
	assert_none(s, "team");
	free(s);
	s = nested(1000, "{\"a\":", "{\"team\":\"x\"}", "}");
	assert_none(s, "team");
	free(s);
	s = nested(1000, "{\"resource\":", "{\"team\":\"x\"}", "}");
	assert_none(s, "team");
	free(s);
	s = nested(1000, "{\"key\":\"team\",\"value\":", "\"x\"", "}");
	assert_none(s, "team");
	free(s);
	s = nested(100000, "[", "", ""); /* unterminated */
	assert_none(s, "team");
	free(s);
	/* deep nesting in the skipped events stops the search too */
	char *ev = nested(1000, "[", "1", "]");
	size_t ln = strlen(ev) + 64;
	char *doc = malloc(ln);
	assert_non_null(doc);
	snprintf(doc, ln, "{\"events\":%s,\"team\":\"x\"}", ev);
	assert_none(doc, "team");
	free(doc);
	free(ev);
	/* 60 levels are within the limit (64): found */
	s = nested(60, "[", "{\"team\":\"x\"}", "]");
	assert_found(s, "team", "x");
	free(s);
	s = nested(60, "{\"a\":", "{\"n\":5}", "}");
	assert_found(s, "n", "5");
	free(s);
}

static void test_key_names_its_holder(void **state)
{
	(void)state;
	/* the member holding the attributes is named like the key: its value is
	 * not a scalar, the attribute is inside it */
	assert_found("{\"team\":{\"team\":\"x\"}}", "team", "x");
	assert_found("{\"attributes\":[{\"key\":\"attributes\",\"value\":{\"stringValue\":\"x\"}}]}",
	             "attributes", "x");
	assert_found("{\"metadata\":{\"user\":\"u\",\"metadata\":\"m\"}}", "metadata", "m");
	/* a pair key named like the AnyValue member */
	assert_found("{\"key\":\"stringValue\",\"value\":{\"stringValue\":\"s\"}}", "stringValue",
	             "s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_otlp_anyvalue),
		cmocka_unit_test(test_jaeger_tag),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_span_fields_never),
		cmocka_unit_test(test_events_links_never),
		cmocka_unit_test(test_resource_second),
		cmocka_unit_test(test_span_then_resource_text),
		cmocka_unit_test(test_first_wins),
		cmocka_unit_test(test_no_value),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_surrogate_pair),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_key_names_its_holder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
