/*
 * JSON access with jsmn's token layout: see json.h.
 *
 * ac_json_parse() is one pass over the record (fast_parse): a strict JSON
 * tokenizer that skips string bodies 16 bytes at a time (SSE2), checks UTF-8
 * only where a byte has its high bit set, and keeps its open containers on a
 * stack. It succeeds only on text that the original three-pass parser
 * (prescan, jsmn, validate; now tests/unit/json_ref.c) accepts, with the
 * same tokens. Anything else -- bad text, a limit -- goes to parse_slow(),
 * which redoes the original passes (jsmn's state machine written out in
 * scan_*) so that every error has the original code, message and column,
 * including which of two problems is reported. tests/unit/test_json_diff.c
 * and tests/fuzz/fuzz_json_diff.c hold the two to the same results.
 *
 * Strings that contain escapes are decoded into a small arena of blocks that
 * lives until the next ac_json_parse(); blocks are never moved, so pointers
 * handed out stay valid for the whole record.
 */
#include "json.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arena block header; the decoded bytes follow it. */
typedef struct block {
	struct block *next;
	size_t used, cap;
	char data[];
} block;

static block **arena_head(ac_json *j)
{
	return (block **)&j->arena;
}

static void arena_reset(ac_json *j)
{
	block **head = arena_head(j);
	block *b = *head;
	if (!b)
		return;
	/* keep the first (oldest) block, free the rest */
	block *keep = b;
	while (keep->next)
		keep = keep->next;
	while (b != keep) {
		block *n = b->next;
		free(b);
		b = n;
	}
	keep->used = 0;
	*head = keep;
}

static char *arena_alloc(ac_json *j, size_t n)
{
	block **head = arena_head(j);
	block *b = *head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		block *nb = malloc(sizeof(block) + cap);
		if (!nb)
			return NULL;
		nb->next = b;
		nb->used = 0;
		nb->cap = cap;
		*head = nb;
		b = nb;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

void ac_json_release(ac_json *j)
{
	block *b = *arena_head(j);
	while (b) {
		block *n = b->next;
		free(b);
		b = n;
	}
	j->arena = NULL;
	free(j->tok);
	j->tok = NULL;
	j->cap = j->ntok = 0;
	free(j->next);
	j->next = NULL;
	j->next_cap = 0;
	j->has_next = 0;
}

/*
 * The slow path's first pass (parse_slow), before jsmn's state machine sees
 * the record: UTF-8 validity, NUL bytes, and the nesting depth outside
 * strings (jsmn climbs the parent chain at every closing bracket, so depth
 * must be bounded before it runs). Its problems are reported before any
 * other, wherever they are. Returns 0, or the problem (1 bad UTF-8, 2 NUL,
 * 3 too deep) with *at its offset.
 */
static int prescan(const unsigned char *s, size_t len, size_t *at)
{
	size_t i = 0;
	int in_str = 0, depth = 0;
	while (i < len) {
		if (in_str) {
			/* inside a string: skip plain bytes (no quote, backslash, NUL
			 * or high bit), 16 at a time to the first other one */
#ifdef __SSE2__
			const __m128i vq = _mm_set1_epi8('"'), vb = _mm_set1_epi8('\\');
			const __m128i vz = _mm_setzero_si128();
			while (i + 16 <= len) {
				__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
				__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vb)),
				                         _mm_or_si128(_mm_cmpeq_epi8(v, vz), v));
				unsigned mask = (unsigned)_mm_movemask_epi8(m);
				if (mask) {
					i += (size_t)__builtin_ctz(mask);
					break;
				}
				i += 16;
			}
#endif
			/* ... and 8 at a time */
			while (i + 8 <= len) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				uint64_t q = w ^ 0x2222222222222222ULL, b = w ^ 0x5c5c5c5c5c5c5c5cULL;
				uint64_t zq = (q - 0x0101010101010101ULL) & ~q;
				uint64_t zb = (b - 0x0101010101010101ULL) & ~b;
				uint64_t zn = (w - 0x0101010101010101ULL) & ~w;
				if ((zq | zb | zn | w) & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			if (i >= len)
				break;
		}
		unsigned c = s[i];
		if (c < 0x80) {
			if (c == 0) {
				*at = i;
				return 2;
			}
			if (in_str) {
				if (c == '\\')
					i++; /* the escaped byte is never a quote that ends the string */
				else if (c == '"')
					in_str = 0;
			} else if (c == '"') {
				in_str = 1;
			} else if (c == '{' || c == '[') {
				if (++depth > AC_JSON_MAX_DEPTH) {
					*at = i;
					return 3;
				}
			} else if (c == '}' || c == ']') {
				depth--;
			}
			i++;
			continue;
		}
		size_t need;
		unsigned min;
		if ((c & 0xE0) == 0xC0) {
			need = 1;
			min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2;
			min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3;
			min = 0x10000;
		} else {
			*at = i;
			return 1;
		}
		if (i + need >= len) {
			*at = i;
			return 1;
		}
		unsigned cp = c & (0x3F >> need);
		for (size_t k = 1; k <= need; k++) {
			unsigned cc = s[i + k];
			if ((cc & 0xC0) != 0x80) {
				*at = i;
				return 1;
			}
			cp = (cp << 6) | (cc & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			*at = i;
			return 1;
		}
		i += need + 1;
	}
	return 0;
}

void ac_json_position(const char *js, size_t pos, long long first_line, long long *line,
                      long long *col)
{
	long long l = first_line;
	size_t line_start = 0;
	for (size_t i = 0; i < pos; i++) {
		if (js[i] == '\n') {
			l++;
			line_start = i + 1;
		}
	}
	*line = l;
	*col = (long long)(pos - line_start) + 1;
}

static int perr(ac_err *err, int code, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int perr(ac_err *err, int code, size_t pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err->code = code;
	err->col = (long long)pos + 1;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A JSON number or literal, exactly (jsmn only checks the first byte). */
static int valid_primitive(const char *p, size_t n)
{
	if ((n == 4 && !memcmp(p, "true", 4)) || (n == 5 && !memcmp(p, "false", 5)) ||
	    (n == 4 && !memcmp(p, "null", 4)))
		return 1;
	size_t i = 0;
	if (i < n && p[i] == '-')
		i++;
	if (i >= n)
		return 0;
	if (p[i] == '0') {
		i++;
	} else if (p[i] >= '1' && p[i] <= '9') {
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	} else {
		return 0;
	}
	if (i < n && p[i] == '.') {
		i++;
		size_t d = i;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		size_t d = i;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	return i == n;
}

/* Byte range of token t in the text: strings with their quotes. */
static void tok_span(const jsmntok_t *t, size_t *s, size_t *e)
{
	if (t->type == JSMN_STRING) {
		*s = (size_t)t->start - 1;
		*e = (size_t)t->end + 1;
	} else {
		*s = (size_t)t->start;
		*e = (size_t)t->end;
	}
}

/* Check that [from, to) holds only whitespace, or whitespace around exactly
 * one `sep` (sep 0: whitespace only). Returns the offending position or -1. */
static long gap_bad(const char *js, size_t from, size_t to, char sep)
{
	size_t i = from;
	while (i < to && is_ws(js[i]))
		i++;
	if (sep) {
		if (i >= to || js[i] != sep)
			return (long)i;
		i++;
		while (i < to && is_ws(js[i]))
			i++;
	}
	return i < to ? (long)i : -1;
}

typedef struct frame {
	int idx;   /* container token */
	int total; /* children: keys + values for objects */
	int seen;
} frame;

/*
 * jsmn accepts some text that is not JSON ("[1 2]", "[1,]", "{"a":tru}",
 * "01") and does not check what stands between tokens. One pass over the
 * tokens checks the separators, that object keys are strings, and every
 * primitive's grammar. Depth is bounded by AC_JSON_MAX_DEPTH already.
 */
static int validate(ac_json *j, ac_err *err)
{
	frame st[AC_JSON_MAX_DEPTH + 2];
	int top = -1;
	size_t pos = 0;
	const char *js = j->js;
	for (unsigned i = 0; i < j->ntok; i++) {
		const jsmntok_t *t = &j->tok[i];
		size_t s, e;
		tok_span(t, &s, &e);
		char sep = 0;
		if (top < 0) {
			if (i > 0)
				return perr(err, AC_EPARSE, s, "extra data after the JSON value");
		} else {
			frame *f = &st[top];
			int in_obj = j->tok[f->idx].type == JSMN_OBJECT;
			if (f->seen > 0)
				sep = in_obj && (f->seen % 2) ? ':' : ',';
			if (in_obj && f->seen % 2 == 0 && t->type != JSMN_STRING)
				return perr(err, AC_EPARSE, s, "object key is not a string");
			f->seen++;
		}
		long bad = gap_bad(js, pos, s, sep);
		if (bad >= 0)
			return perr(err, AC_EPARSE, (size_t)bad, sep ? "expected '%c'" : "unexpected '%c'",
			            sep ? sep : js[bad]);
		if (t->type == JSMN_PRIMITIVE && !valid_primitive(js + s, e - s))
			return perr(err, AC_EPARSE, s, "invalid JSON value '%.*s'",
			            (int)(e - s > 20 ? 20 : e - s), js + s);
		if (t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) {
			if (top + 1 > AC_JSON_MAX_DEPTH)
				return perr(err, AC_ELIMIT, s, "nesting deeper than %d levels (a fixed limit: no trace nests so deep)",
				            AC_JSON_MAX_DEPTH);
			st[++top] = (frame){ (int)i, t->type == JSMN_OBJECT ? 2 * t->size : t->size, 0 };
			pos = s + 1;
		} else {
			pos = e;
		}
		while (top >= 0 && st[top].seen == st[top].total) {
			const jsmntok_t *c = &j->tok[st[top].idx];
			size_t close = (size_t)c->end - 1;
			bad = gap_bad(js, pos, close, 0);
			if (bad >= 0)
				return perr(err, AC_EPARSE, (size_t)bad, "unexpected '%c'", js[bad]);
			pos = (size_t)c->end;
			top--;
		}
	}
	long bad = gap_bad(js, pos, j->len, 0);
	if (bad >= 0)
		return perr(err, AC_EPARSE, (size_t)bad, "extra data after the JSON value");
	return 0;
}

size_t ac_json_values_limit(size_t max_record)
{
	size_t n = max_record / AC_JSON_BYTES_PER_VALUE;
	return n < AC_JSON_MAX_TOKENS ? AC_JSON_MAX_TOKENS : n;
}

static int hexval(char c);

/* Most tokens a record may have, as the message prints it. */
static size_t tok_limit(const ac_json *j)
{
	size_t max = j->max_tok ? j->max_tok : AC_JSON_MAX_TOKENS;
	return max > UINT_MAX / 2 ? UINT_MAX / 2 : max;
}

static int next_fit(ac_json *j);

/* The token array's growth, the same in both paths: 1024 first, then
 * doubling up to the limit. Returns 0, 1 when the array is at the limit
 * already (the array may start above a small max_tok: then its size is the
 * limit, as it always was), or AC_ENOMEM. */
static int grow(ac_json *j)
{
	size_t max = tok_limit(j);
	if (j->cap >= max)
		return 1;
	unsigned ncap = j->cap * 2 > max ? (unsigned)max : j->cap * 2;
	jsmntok_t *nt = realloc(j->tok, ncap * sizeof(jsmntok_t));
	if (!nt)
		return AC_ENOMEM;
	j->tok = nt;
	j->cap = ncap;
	return next_fit(j);
}

/* The next[] array as long as the token array. */
static int next_fit(ac_json *j)
{
	if (j->next_cap >= j->cap)
		return 0;
	unsigned *nn = realloc(j->next, j->cap * sizeof(*nn));
	if (!nn)
		return AC_ENOMEM;
	j->next = nn;
	j->next_cap = j->cap;
	return 0;
}

static int first_alloc(ac_json *j)
{
	if (j->cap)
		return next_fit(j);
	jsmntok_t *t = realloc(j->tok, 1024 * sizeof(jsmntok_t));
	if (!t)
		return AC_ENOMEM;
	j->tok = t;
	j->cap = 1024;
	return next_fit(j);
}

/*
 * The slow path: jsmn's state machine (strict mode, parent links), written
 * out so that a bad record gets exactly the error it always got. `pos` is
 * where jsmn stood when it failed; the token array grows as jsmn's caller
 * grew it on JSMN_ERROR_NOMEM.
 */
enum { SCAN_INVAL = 1, SCAN_PART, SCAN_LIMIT, SCAN_NOMEM };

typedef struct scan {
	const char *js;
	size_t len, pos;
	unsigned next; /* tokens allocated */
	int super;     /* token the next value belongs to, -1 none */
} scan;

static int scan_alloc(ac_json *j, scan *s, jsmntok_t **out)
{
	if (s->next >= j->cap) {
		int g = grow(j);
		if (g)
			return g == 1 ? SCAN_LIMIT : SCAN_NOMEM;
	}
	jsmntok_t *t = &j->tok[s->next++];
	t->start = t->end = -1;
	t->size = 0;
	t->parent = -1;
	*out = t;
	return 0;
}

static int scan_string(ac_json *j, scan *s)
{
	const char *js = s->js;
	size_t start = s->pos;
	for (s->pos++; s->pos < s->len && js[s->pos]; s->pos++) {
		char c = js[s->pos];
		if (c == '"') {
			jsmntok_t *t;
			int r = scan_alloc(j, s, &t);
			if (r) {
				s->pos = start;
				return r;
			}
			*t = (jsmntok_t){ JSMN_STRING, (int)start + 1, (int)s->pos, 0, s->super };
			return 0;
		}
		if (c != '\\' || s->pos + 1 >= s->len)
			continue;
		s->pos++;
		switch (js[s->pos]) {
		case '"': case '/': case '\\': case 'b': case 'f': case 'r': case 'n': case 't':
			break;
		case 'u':
			s->pos++;
			for (int k = 0; k < 4 && s->pos < s->len && js[s->pos]; k++, s->pos++)
				if (hexval(js[s->pos]) < 0) {
					s->pos = start;
					return SCAN_INVAL;
				}
			s->pos--;
			break;
		default:
			s->pos = start;
			return SCAN_INVAL;
		}
	}
	s->pos = start;
	return SCAN_PART;
}

/* A primitive runs to whitespace, ',', ']' or '}' (not to the end). */
static int scan_primitive(ac_json *j, scan *s)
{
	size_t start = s->pos;
	for (; s->pos < s->len && s->js[s->pos]; s->pos++) {
		signed char c = (signed char)s->js[s->pos];
		if (is_ws(c) || c == ',' || c == ']' || c == '}') {
			jsmntok_t *t;
			int r = scan_alloc(j, s, &t);
			if (r) {
				s->pos = start;
				return r;
			}
			*t = (jsmntok_t){ JSMN_PRIMITIVE, (int)start, (int)s->pos, 0, s->super };
			s->pos--;
			return 0;
		}
		if (c < 32 || c >= 127) {
			s->pos = start;
			return SCAN_INVAL;
		}
	}
	s->pos = start;
	return SCAN_PART;
}

/* A closing bracket: the nearest open container up the parent links. */
static int scan_close(ac_json *j, scan *s, jsmntype_t type)
{
	if (s->next < 1)
		return SCAN_INVAL;
	jsmntok_t *t = &j->tok[s->next - 1];
	for (;;) {
		if (t->start != -1 && t->end == -1) {
			if (t->type != type)
				return SCAN_INVAL;
			t->end = (int)s->pos + 1;
			s->super = t->parent;
			return 0;
		}
		if (t->parent == -1)
			return t->type != type || s->super == -1 ? SCAN_INVAL : 0;
		t = &j->tok[t->parent];
	}
}

static int scan_open(ac_json *j, scan *s, char c)
{
	jsmntok_t *t;
	int r = scan_alloc(j, s, &t);
	if (r)
		return r;
	if (s->super != -1) {
		jsmntok_t *sup = &j->tok[s->super];
		if (sup->type == JSMN_OBJECT)
			return SCAN_INVAL; /* a container as a key */
		sup->size++;
		t->parent = s->super;
	}
	t->type = c == '{' ? JSMN_OBJECT : JSMN_ARRAY;
	t->start = (int)s->pos;
	s->super = (int)s->next - 1;
	return 0;
}

static int scan_all(ac_json *j, scan *s)
{
	int r = 0;
	for (; s->pos < s->len && s->js[s->pos]; s->pos++) {
		char c = s->js[s->pos];
		jsmntok_t *sup = s->super != -1 ? &j->tok[s->super] : NULL;
		switch (c) {
		case '{': case '[':
			r = scan_open(j, s, c);
			break;
		case '}': case ']':
			r = scan_close(j, s, c == '}' ? JSMN_OBJECT : JSMN_ARRAY);
			break;
		case '"':
			r = scan_string(j, s);
			if (!r && sup)
				j->tok[s->super].size++;
			break;
		case '\t': case '\r': case '\n': case ' ':
			break;
		case ':':
			s->super = (int)s->next - 1;
			break;
		case ',':
			if (sup && sup->type != JSMN_ARRAY && sup->type != JSMN_OBJECT)
				s->super = sup->parent;
			break;
		case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6':
		case '7': case '8': case '9': case 't': case 'f': case 'n':
			/* a primitive is never a key */
			if (sup && (sup->type == JSMN_OBJECT || (sup->type == JSMN_STRING && sup->size)))
				return SCAN_INVAL;
			r = scan_primitive(j, s);
			if (!r && sup)
				j->tok[s->super].size++;
			break;
		default:
			return SCAN_INVAL;
		}
		if (r)
			return r;
	}
	for (unsigned i = s->next; i-- > 0;)
		if (j->tok[i].start != -1 && j->tok[i].end == -1)
			return SCAN_PART; /* a container left open */
	return 0;
}

/* The original passes, for a record fast_parse() did not accept. */
static int parse_slow(ac_json *j, ac_err *err)
{
	const char *js = j->js;
	size_t len = j->len, at = 0;
	switch (prescan((const unsigned char *)js, len, &at)) {
	case 1:
		return perr(err, AC_EPARSE, at, "invalid UTF-8 (byte 0x%02x)", (unsigned char)js[at]);
	case 2:
		return perr(err, AC_EPARSE, at, "NUL byte in the record");
	case 3:
		return perr(err, AC_ELIMIT, at, "nesting deeper than %d levels (a fixed limit: no trace nests so deep)",
		            AC_JSON_MAX_DEPTH);
	}
	size_t first = 0;
	while (first < len && is_ws(js[first]))
		first++;
	if (first == len)
		return perr(err, AC_EPARSE, 0, "no JSON value");
	if (first_alloc(j))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	if (js[first] != '{' && js[first] != '[' && js[first] != '"') {
		/* a bare number or literal */
		size_t e = len;
		while (e > first && is_ws(js[e - 1]))
			e--;
		if (!valid_primitive(js + first, e - first))
			return perr(err, AC_EPARSE, first, "invalid JSON value");
		j->tok[0] = (jsmntok_t){ JSMN_PRIMITIVE, (int)first, (int)e, 0, -1 };
		j->ntok = 1;
		return 0;
	}
	if (len > (size_t)INT32_MAX)
		return perr(err, AC_ELIMIT, 0, "record longer than 2 GiB (a fixed limit of the JSON tokenizer)");
	scan s = { js, len, 0, 0, -1 };
	switch (scan_all(j, &s)) {
	case SCAN_NOMEM:
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	case SCAN_LIMIT:
		return perr(err, AC_ELIMIT, s.pos, "record has more than %zu JSON values (limit; "
		            "raise it with --max-json-values)", tok_limit(j));
	case SCAN_PART:
		/* a complete first value followed by more text is "extra data" */
		if (s.next > 0 && j->tok[0].end != -1) {
			size_t e = (size_t)j->tok[0].end + (j->tok[0].type == JSMN_STRING);
			while (e < len && is_ws(js[e]))
				e++;
			return perr(err, AC_EPARSE, e, "extra data after the JSON value");
		}
		return perr(err, AC_EPARSE, len, "truncated JSON: unexpected end of record");
	case SCAN_INVAL: {
		unsigned char c = s.pos < len ? (unsigned char)js[s.pos] : 0;
		if (c >= 0x20 && c < 0x7f)
			return perr(err, AC_EPARSE, s.pos, "invalid JSON at '%c'", c);
		return perr(err, AC_EPARSE, s.pos, "invalid JSON (byte 0x%02x)", c);
	}
	}
	if (s.next == 0)
		return perr(err, AC_EPARSE, 0, "no JSON value");
	j->ntok = s.next;
	return validate(j, err);
}

/*
 * The fast path.
 */

/* Length of the UTF-8 sequence at s[i] (lead byte >= 0x80) as prescan
 * accepts it -- shortest form, no surrogates, at most U+10FFFF, not the last
 * byte of the text -- or 0. */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t i)
{
	unsigned c = s[i], cp, min;
	size_t need;
	if ((c & 0xE0) == 0xC0) {
		need = 1;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 2;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 3;
		min = 0x10000;
	} else {
		return 0;
	}
	if (i + need >= len)
		return 0;
	cp = c & (0x3F >> need);
	for (size_t k = 1; k <= need; k++) {
		unsigned cc = s[i + k];
		if ((cc & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (cc & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return need + 1;
}

/* Offset of the quote closing the string whose body starts at i, or 0 when
 * the body is not plain valid text: an unknown escape, a NUL, bad UTF-8,
 * no closing quote. Other control bytes pass, as they always did. */
static size_t string_end(const unsigned char *s, size_t len, size_t i)
{
#ifdef __SSE2__
	const __m128i vq = _mm_set1_epi8('"'), vb = _mm_set1_epi8('\\'), vc = _mm_set1_epi8(0x20);
#endif
	for (;;) {
#ifdef __SSE2__
		/* 16 bytes at a time to a quote, backslash, control or high-bit
		 * byte (a signed compare: bytes >= 0x80 are below 0x20) */
		while (i + 16 <= len) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
			__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vb)),
			                         _mm_cmplt_epi8(v, vc));
			unsigned mask = (unsigned)_mm_movemask_epi8(m);
			if (mask) {
				i += (size_t)__builtin_ctz(mask);
				goto special;
			}
			i += 16;
		}
#endif
		while (i < len && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
			i++;
		if (i >= len)
			return 0;
#ifdef __SSE2__
special:
#endif
		if (s[i] == '"')
			return i;
		if (s[i] == '\\') {
			if (i + 1 >= len)
				return 0;
			switch (s[i + 1]) {
			case '"': case '/': case '\\': case 'b': case 'f': case 'r': case 'n': case 't':
				i += 2;
				continue;
			case 'u':
				if (len - i < 6 || hexval((char)s[i + 2]) < 0 || hexval((char)s[i + 3]) < 0 ||
				    hexval((char)s[i + 4]) < 0 || hexval((char)s[i + 5]) < 0)
					return 0;
				i += 6;
				continue;
			default:
				return 0;
			}
		}
		if (s[i] < 0x20) {
			if (!s[i])
				return 0;
			i++;
			continue;
		}
		size_t n = utf8_seq(s, len, i);
		if (!n)
			return 0;
		i += n;
	}
}

/* End of the number or literal starting at s[i], or 0 when it is not one. */
static size_t primitive_end(const unsigned char *s, size_t len, size_t i)
{
	size_t k = i;
	switch (s[i]) {
	case 't':
		return len - i >= 4 && !memcmp(s + i, "true", 4) ? i + 4 : 0;
	case 'f':
		return len - i >= 5 && !memcmp(s + i, "false", 5) ? i + 5 : 0;
	case 'n':
		return len - i >= 4 && !memcmp(s + i, "null", 4) ? i + 4 : 0;
	case '-':
		k++;
		break;
	}
	if (k >= len)
		return 0;
	if (s[k] == '0') {
		k++;
	} else if (s[k] >= '1' && s[k] <= '9') {
		while (k < len && s[k] >= '0' && s[k] <= '9')
			k++;
	} else {
		return 0;
	}
	if (k < len && s[k] == '.') {
		size_t d = ++k;
		while (k < len && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == d)
			return 0;
	}
	if (k < len && (s[k] == 'e' || s[k] == 'E')) {
		k++;
		if (k < len && (s[k] == '+' || s[k] == '-'))
			k++;
		size_t d = k;
		while (k < len && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == d)
			return 0;
	}
	return k;
}

#define SKIP_WS()                              \
	while (i < len && is_ws((char)s[i])) \
		i++

/*
 * One pass of strict JSON, building jsmn's tokens: an object's size is its
 * number of keys, a key has size 1 and is the parent of its value. Returns 0
 * with j->ntok set, 1 to leave the record to parse_slow() (anything it does
 * not accept, or the token limit), or AC_ENOMEM. A state machine with gotos
 * (value, after, close, key) and a stack of open containers: one function,
 * so over 100 lines.
 */
static int fast_parse(ac_json *j)
{
	const unsigned char *s = (const unsigned char *)j->js;
	size_t len = j->len, i = 0, e;
	int stack[AC_JSON_MAX_DEPTH];
	int sp = 0, parent = -1, top, r;
	unsigned n = 0;

	if (len > (size_t)INT32_MAX)
		return 1;
	SKIP_WS();
	if (i == len || (s[i] != '{' && s[i] != '[' && s[i] != '"'))
		return 1;
	if (first_alloc(j))
		return AC_ENOMEM;
	jsmntok_t *tok = j->tok;

value: /* s[i] starts a value, i < len */
	if (s[i] == '"') {
		e = string_end(s, len, i + 1);
		if (!e)
			return 1;
		if (n == j->cap && (r = grow(j)) != 0)
			return r;
		tok = j->tok;
		tok[n++] = (jsmntok_t){ JSMN_STRING, (int)i + 1, (int)e, 0, parent };
		i = e + 1;
	} else if (s[i] == '{' || s[i] == '[') {
		if (sp == AC_JSON_MAX_DEPTH)
			return 1;
		if (n == j->cap && (r = grow(j)) != 0)
			return r;
		tok = j->tok;
		int obj = s[i] == '{';
		tok[n] = (jsmntok_t){ obj ? JSMN_OBJECT : JSMN_ARRAY, (int)i, -1, 0, parent };
		stack[sp++] = (int)n++;
		i++;
		SKIP_WS();
		if (i == len)
			return 1;
		if (s[i] == (obj ? '}' : ']'))
			goto close;
		if (obj)
			goto key;
		tok[stack[sp - 1]].size++;
		parent = stack[sp - 1];
		goto value;
	} else {
		e = primitive_end(s, len, i);
		if (!e)
			return 1;
		if (n == j->cap && (r = grow(j)) != 0)
			return r;
		tok = j->tok;
		tok[n++] = (jsmntok_t){ JSMN_PRIMITIVE, (int)i, (int)e, 0, parent };
		i = e;
	}

after: /* a value ended at i */
	SKIP_WS();
	if (sp == 0) {
		if (i != len)
			return 1;
		j->ntok = n;
		return 0;
	}
	if (i == len)
		return 1;
	top = stack[sp - 1];
	if (tok[top].type == JSMN_OBJECT) {
		if (s[i] == '}')
			goto close;
		if (s[i] != ',')
			return 1;
		i++;
		SKIP_WS();
		goto key;
	}
	if (s[i] == ']')
		goto close;
	if (s[i] != ',')
		return 1;
	i++;
	SKIP_WS();
	if (i == len)
		return 1;
	tok[top].size++;
	parent = top;
	goto value;

close: /* s[i] closes the innermost container */
	top = stack[--sp];
	tok[top].end = (int)i + 1;
	j->next[top] = n;
	i++;
	goto after;

key: /* a key is due at i in the innermost object */
	if (i == len || s[i] != '"')
		return 1;
	e = string_end(s, len, i + 1);
	if (!e)
		return 1;
	if (n == j->cap && (r = grow(j)) != 0)
		return r;
	tok = j->tok;
	top = stack[sp - 1];
	tok[n] = (jsmntok_t){ JSMN_STRING, (int)i + 1, (int)e, 1, top };
	tok[top].size++;
	parent = (int)n++;
	i = e + 1;
	SKIP_WS();
	if (i == len || s[i] != ':')
		return 1;
	i++;
	SKIP_WS();
	if (i == len)
		return 1;
	goto value;
}

int ac_json_parse(ac_json *j, const char *js, size_t len, ac_err *err)
{
	arena_reset(j);
	j->js = js;
	j->len = len;
	j->ntok = 0;
	j->has_next = 0;
	unsigned cap = j->cap;
	int r = fast_parse(j);
	if (r == 0) {
		j->has_next = 1;
		return 0;
	}
	if (r == AC_ENOMEM)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	/* the array as the original passes would have left it: its size
	 * decides the limit when max_tok is below it */
	j->cap = cap;
	j->ntok = 0;
	/* what the original passes accept has no next[]: walkers count */
	return parse_slow(j, err);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;
	if (end - p < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		int h = hexval(p[k]);
		if (h < 0)
			return -1;
		v = (v << 4) | (unsigned)h;
	}
	*out = v;
	return 0;
}

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

int ac_json_str(ac_json *j, int i, const char **s, size_t *n)
{
	const jsmntok_t *t = &j->tok[i];
	if (t->type != JSMN_STRING)
		return AC_EPARSE;
	const char *p = j->js + t->start, *end = j->js + t->end;
	if (!memchr(p, '\\', (size_t)(end - p))) {
		*s = p;
		*n = (size_t)(end - p);
		return 0;
	}
	/* decoded text is never longer than the escaped text */
	char *out = arena_alloc(j, (size_t)(end - p) + 1);
	if (!out)
		return AC_ENOMEM;
	char *o = out;
	while (p < end) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		if (p >= end)
			return AC_EPARSE;
		char c = *p++;
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp;
			if (hex4(p, end, &cp))
				return AC_EPARSE;
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned lo;
				if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && !hex4(p + 2, end, &lo) &&
				    lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				} else {
					cp = 0xFFFD; /* lone high surrogate */
				}
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				cp = 0xFFFD; /* lone low surrogate */
			}
			o = put_utf8(o, cp);
			break;
		}
		default:
			return AC_EPARSE;
		}
	}
	*o = '\0';
	*s = out;
	*n = (size_t)(o - out);
	return 0;
}

int ac_json_strcpy(ac_json *j, int i, char *out, size_t cap)
{
	const char *s;
	size_t n;
	int rc = ac_json_str(j, i, &s, &n);
	if (rc)
		return rc;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* Number text of token i into buf (strings allowed), or -1. */
static int number_text(const ac_json *j, int i, char *buf, size_t cap)
{
	const jsmntok_t *t = &j->tok[i];
	if (t->type != JSMN_PRIMITIVE && t->type != JSMN_STRING)
		return -1;
	size_t n = (size_t)(t->end - t->start);
	if (n == 0 || n >= cap)
		return -1;
	memcpy(buf, j->js + t->start, n);
	buf[n] = '\0';
	if (t->type == JSMN_PRIMITIVE) {
		char c = buf[0];
		if (c != '-' && (c < '0' || c > '9'))
			return -1; /* true/false/null */
	}
	return 0;
}

int ac_json_i64(const ac_json *j, int i, int64_t *out)
{
	char buf[64];
	if (number_text(j, i, buf, sizeof(buf)))
		return AC_EINVAL;
	/* fast path: [-]digits */
	const char *p = buf;
	int neg = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p >= '0' && *p <= '9') {
		uint64_t v = 0;
		const char *q = p;
		while (*q >= '0' && *q <= '9') {
			unsigned d = (unsigned)(*q - '0');
			if (v > (UINT64_MAX - d) / 10)
				return AC_EINVAL;
			v = v * 10 + d;
			q++;
		}
		if (*q == '\0') {
			if (!neg && v > (uint64_t)INT64_MAX)
				return AC_EINVAL;
			if (neg && v > (uint64_t)INT64_MAX + 1)
				return AC_EINVAL;
			*out = neg ? (int64_t)(0 - v) : (int64_t)v;
			return 0;
		}
	}
	/* "97.0", "1e3": accept integral doubles within int64 */
	char *end;
	errno = 0;
	double d = strtod(buf, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(d) || d != floor(d) ||
	    d >= 9223372036854775808.0 || d < -9223372036854775808.0)
		return AC_EINVAL;
	/* strtod accepts hex and "inf"; a JSON number never starts like that */
	if (strpbrk(buf, "xXiInN"))
		return AC_EINVAL;
	*out = (int64_t)d;
	return 0;
}

int ac_json_u64(const ac_json *j, int i, uint64_t *out)
{
	char buf[64];
	if (number_text(j, i, buf, sizeof(buf)))
		return AC_EINVAL;
	const char *q = buf;
	uint64_t v = 0;
	if (*q < '0' || *q > '9') {
		int64_t s;
		if (ac_json_i64(j, i, &s) || s < 0)
			return AC_EINVAL;
		*out = (uint64_t)s;
		return 0;
	}
	while (*q >= '0' && *q <= '9') {
		unsigned d = (unsigned)(*q - '0');
		if (v > (UINT64_MAX - d) / 10)
			return AC_EINVAL;
		v = v * 10 + d;
		q++;
	}
	if (*q != '\0') {
		int64_t s;
		if (ac_json_i64(j, i, &s) || s < 0)
			return AC_EINVAL;
		*out = (uint64_t)s;
		return 0;
	}
	*out = v;
	return 0;
}

int ac_json_f64(const ac_json *j, int i, double *out)
{
	char buf[64];
	if (number_text(j, i, buf, sizeof(buf)))
		return AC_EINVAL;
	if (j->tok[i].type == JSMN_STRING) {
		if (!strcmp(buf, "NaN")) {
			*out = NAN;
			return 0;
		}
		if (!strcmp(buf, "Infinity")) {
			*out = INFINITY;
			return 0;
		}
		if (!strcmp(buf, "-Infinity")) {
			*out = -INFINITY;
			return 0;
		}
	}
	if (strpbrk(buf, "xXiInN"))
		return AC_EINVAL;
	char *end;
	errno = 0;
	double d = strtod(buf, &end);
	if (*end != '\0' || buf[0] == '\0' || (errno == ERANGE && isinf(d)))
		return AC_EINVAL;
	*out = d;
	return 0;
}
