/*
 * The attribute search of jsonattr.h: a recursive descent over the text
 * with no token array (the originals of a window are read span by span, and
 * most are searched for one key once).
 */
#include "jsonattr.h"

#include <string.h>

#define MAX_DEPTH 64

enum { SEARCH, RESOURCE_ONLY };

typedef struct scan {
	const char *js;
	size_t n, i;
	const char *key;
	size_t keylen;
	char *out;
	size_t cap;
	int bad; /* malformed or too deep: stop */
} scan;

typedef struct span_of {
	size_t a, b; /* the string's content js[a..b), quotes excluded */
	int esc;     /* it holds a backslash */
} span_of;

static void ws(scan *s)
{
	while (s->i < s->n && (s->js[s->i] == ' ' || s->js[s->i] == '\t' ||
	                       s->js[s->i] == '\n' || s->js[s->i] == '\r'))
		s->i++;
}

static int string(scan *s, span_of *o)
{
	if (s->i >= s->n || s->js[s->i] != '"')
		return s->bad = 1, -1;
	o->a = ++s->i;
	o->esc = 0;
	while (s->i < s->n && s->js[s->i] != '"') {
		if (s->js[s->i] == '\\') {
			o->esc = 1;
			s->i++;
		}
		s->i++;
	}
	if (s->i >= s->n)
		return s->bad = 1, -1;
	o->b = s->i++;
	return 0;
}

static unsigned hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned)(c - 'A' + 10);
	return 16;
}

/* The 4 hex digits at p, or more than 0xffff when they are not. */
static unsigned hex4(const char *p)
{
	unsigned u = 0;
	for (int d = 0; d < 4; d++) {
		unsigned h = hexval(p[d]);
		if (h > 15)
			return 0x10000;
		u = u * 16 + h;
	}
	return u;
}

/* Decode string o into buf (at most cap - 1 bytes, NUL-terminated); the
 * decoded length, which may exceed what fitted. \uXXXX becomes UTF-8
 * (a lone surrogate as written: it is an id, not text to render). */
static size_t decode(const scan *s, span_of o, char *buf, size_t cap)
{
	size_t k = 0;
#define PUT(c) do { if (k + 1 < cap) buf[k] = (char)(c); k++; } while (0)
	for (size_t i = o.a; i < o.b; i++) {
		char c = s->js[i];
		if (c != '\\' || i + 1 >= o.b) {
			PUT(c);
			continue;
		}
		c = s->js[++i];
		switch (c) {
		case 'n': PUT('\n'); break;
		case 't': PUT('\t'); break;
		case 'r': PUT('\r'); break;
		case 'b': PUT('\b'); break;
		case 'f': PUT('\f'); break;
		case 'u': {
			unsigned u = i + 4 < o.b ? hex4(s->js + i + 1) : 0x10000, lo = 0;
			if (u > 0xffff) {
				PUT('u');
				break;
			}
			i += 4;
			/* a surrogate pair (Python's json.dumps writes non-BMP text so)
			 * is one code point, 4 bytes as src/ingest/json.c decodes it:
			 * two 3-byte halves would be invalid UTF-8 and another value */
			if (u >= 0xd800 && u <= 0xdbff && i + 6 < o.b && s->js[i + 1] == '\\' &&
			    s->js[i + 2] == 'u')
				lo = hex4(s->js + i + 3);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
				PUT(0xf0 | (u >> 18));
				PUT(0x80 | ((u >> 12) & 0x3f));
				PUT(0x80 | ((u >> 6) & 0x3f));
				PUT(0x80 | (u & 0x3f));
			} else if (u < 0x80) {
				PUT(u);
			} else if (u < 0x800) {
				PUT(0xc0 | (u >> 6));
				PUT(0x80 | (u & 0x3f));
			} else {
				PUT(0xe0 | (u >> 12));
				PUT(0x80 | ((u >> 6) & 0x3f));
				PUT(0x80 | (u & 0x3f));
			}
			break;
		}
		default: PUT(c); break; /* \" \\ \/ */
		}
	}
#undef PUT
	if (cap)
		buf[k < cap ? k : cap - 1] = '\0';
	return k;
}

static int str_is(const scan *s, span_of o, const char *lit, size_t n)
{
	if (!o.esc)
		return o.b - o.a == n && memcmp(s->js + o.a, lit, n) == 0;
	char buf[256];
	if (n >= sizeof(buf))
		return 0;
	return decode(s, o, buf, sizeof(buf)) == n && memcmp(buf, lit, n) == 0;
}

static void skip(scan *s, int depth);

/* A scalar at s->i: its text into s->out (1), or 0 for null, an empty
 * string, an object or an array (skipped). */
static int scalar(scan *s, int depth)
{
	ws(s);
	if (s->i >= s->n)
		return s->bad = 1, 0;
	char c = s->js[s->i];
	if (c == '"') {
		span_of o;
		if (string(s, &o))
			return 0;
		return decode(s, o, s->out, s->cap) > 0;
	}
	if (c == '{' || c == '[' || c == 'n') {
		skip(s, depth);
		return 0;
	}
	size_t a = s->i;
	skip(s, depth);
	if (s->i >= s->n) /* cut by the end of the text: 12345 read as "12" */
		return s->bad = 1, 0;
	size_t len = s->i - a, k = len < s->cap - 1 ? len : s->cap - 1;
	memcpy(s->out, s->js + a, k);
	s->out[k] = '\0';
	return len > 0;
}

static void skip(scan *s, int depth)
{
	ws(s);
	if (s->bad || s->i >= s->n || depth > MAX_DEPTH) {
		s->bad = 1;
		return;
	}
	char c = s->js[s->i];
	if (c == '"') {
		span_of o;
		string(s, &o);
		return;
	}
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		s->i++;
		for (;;) {
			ws(s);
			if (s->i >= s->n)
				break;
			if (s->js[s->i] == close) {
				s->i++;
				return;
			}
			if (s->js[s->i] == ',' || s->js[s->i] == ':') {
				s->i++;
				continue;
			}
			size_t at = s->i;
			skip(s, depth + 1);
			if (s->bad || s->i == at)
				break;
		}
		s->bad = 1;
		return;
	}
	/* number, true, false, null */
	size_t at = s->i;
	while (s->i < s->n && !strchr(",]} \t\r\n:", s->js[s->i]))
		s->i++;
	if (s->i == at)
		s->bad = 1;
}

static int walk(scan *s, int depth, int mode);

/* The value of a key/value pair object, at value_at: a scalar, or an OTLP
 * AnyValue object's one scalar member. */
static int pair_value(scan *s, size_t value_at, int depth)
{
	size_t save = s->i;
	s->i = value_at;
	ws(s);
	int found = 0;
	if (s->i < s->n && s->js[s->i] == '{') {
		s->i++;
		for (;;) {
			ws(s);
			if (s->bad || s->i >= s->n || s->js[s->i] == '}')
				break;
			span_of name;
			if (string(s, &name))
				break;
			ws(s);
			if (s->i >= s->n || s->js[s->i] != ':')
				break;
			s->i++;
			if (str_is(s, name, "stringValue", 11) || str_is(s, name, "intValue", 8) ||
			    str_is(s, name, "doubleValue", 11) || str_is(s, name, "boolValue", 9)) {
				found = scalar(s, depth + 1);
				break;
			}
			skip(s, depth + 1);
			ws(s);
			if (s->i < s->n && s->js[s->i] == ',')
				s->i++;
		}
	} else {
		found = scalar(s, depth);
	}
	s->i = save;
	return found;
}

/* A member of the record itself that is the span's structure, not an
 * attribute: attr:name is no span's name, attr:message no status message
 * (OTLP JSON and protobuf-JSON names, the flat format's, Jaeger's). */
static int span_field(const scan *s, span_of name)
{
	static const char *const F[] = {
		"name", "kind", "status", "traceId", "spanId", "parentSpanId", "traceState",
		"flags", "startTimeUnixNano", "endTimeUnixNano", "droppedAttributesCount",
		"droppedEventsCount", "droppedLinksCount", "trace_id", "span_id",
		"parent_span_id", "trace_state", "start_time_unix_nano", "end_time_unix_nano",
		"traceID", "spanID", "operationName", "startTime", "duration", "references",
	};
	for (size_t k = 0; k < sizeof(F) / sizeof(F[0]); k++)
		if (str_is(s, name, F[k], strlen(F[k])))
			return 1;
	return 0;
}

static int walk_object(scan *s, int depth, int mode)
{
	int key_match = 0;
	size_t value_at = 0;
	s->i++; /* { */
	for (;;) {
		ws(s);
		if (s->bad || s->i >= s->n)
			return s->bad = 1, 0;
		if (s->js[s->i] == '}') {
			s->i++;
			break;
		}
		if (s->js[s->i] == ',') {
			s->i++;
			continue;
		}
		span_of name;
		if (string(s, &name))
			return 0;
		ws(s);
		if (s->i >= s->n || s->js[s->i] != ':')
			return s->bad = 1, 0;
		s->i++;
		ws(s);
		if (str_is(s, name, "events", 6) || str_is(s, name, "links", 5) ||
		    (depth == 0 && span_field(s, name))) {
			skip(s, depth + 1);
			continue;
		}
		int is_res = str_is(s, name, "resource", 8);
		if (mode == RESOURCE_ONLY) {
			if (is_res) {
				if (walk(s, depth + 1, SEARCH))
					return 1;
			} else if (walk(s, depth + 1, RESOURCE_ONLY)) {
				return 1;
			}
			continue;
		}
		if (is_res) {
			skip(s, depth + 1);
			continue;
		}
		/* a member named KEY holding an object or an array is no value, but
		 * it may hold the attribute: {"team":{"team":"x"}}, or OTLP's
		 * {"attributes":[{"key":"attributes",...}]}; it is searched below */
		if (str_is(s, name, s->key, s->keylen) && s->i < s->n && s->js[s->i] != '{' &&
		    s->js[s->i] != '[') {
			if (scalar(s, depth + 1))
				return 1;
			continue;
		}
		if (str_is(s, name, "key", 3) && s->i < s->n && s->js[s->i] == '"') {
			span_of v;
			if (string(s, &v))
				return 0;
			key_match = str_is(s, v, s->key, s->keylen);
			continue;
		}
		if (str_is(s, name, "value", 5))
			value_at = s->i;
		if (walk(s, depth + 1, SEARCH))
			return 1;
	}
	return key_match && value_at && pair_value(s, value_at, depth);
}

/* Search the value at s->i; 1 when found (s->out holds it). */
static int walk(scan *s, int depth, int mode)
{
	ws(s);
	if (s->bad || s->i >= s->n || depth > MAX_DEPTH)
		return s->bad = 1, 0;
	char c = s->js[s->i];
	if (c == '{')
		return walk_object(s, depth, mode);
	if (c == '[') {
		s->i++;
		for (;;) {
			ws(s);
			if (s->bad || s->i >= s->n)
				return s->bad = 1, 0;
			if (s->js[s->i] == ']') {
				s->i++;
				return 0;
			}
			if (s->js[s->i] == ',') {
				s->i++;
				continue;
			}
			if (walk(s, depth + 1, mode))
				return 1;
		}
	}
	skip(s, depth);
	return 0;
}

int ac_json_attr_find(const char *js, size_t n, const char *key, char *out, size_t cap)
{
	if (!cap)
		return 0;
	out[0] = '\0'; /* a NUL-terminated out whatever the answer, even with no key */
	if (!key || !*key)
		return 0;
	for (int mode = SEARCH; mode <= RESOURCE_ONLY; mode++) {
		scan s = { js, n, 0, key, strlen(key), out, cap, 0 };
		if (walk(&s, 0, mode))
			return 1;
		if (s.bad)
			return 0;
	}
	return 0;
}

int ac_json_attr_span(const char *raw, size_t rn, const char *res, size_t resn, const char *key,
                      char *out, size_t cap)
{
	return (rn && ac_json_attr_find(raw, rn, key, out, cap)) ||
	       (resn && ac_json_attr_find(res, resn, key, out, cap));
}
