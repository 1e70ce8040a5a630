/*
 * JSON access on top of jsmn: see json.h.
 *
 * Strings that contain escapes are decoded into a small arena of blocks that
 * lives until the next ac_json_parse(); blocks are never moved, so pointers
 * handed out stay valid for the whole record.
 */
#include "json.h"

#include <errno.h>
#include <math.h>
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
}

/* Index of the first byte of an invalid UTF-8 sequence, or len if valid. */
static size_t utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		/* ASCII fast path, 8 bytes at a time */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned c = s[i];
		if (c < 0x80) {
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
			return i;
		}
		if (i + need >= len)
			return i;
		unsigned cp = c & (0x3F >> need);
		for (size_t k = 1; k <= need; k++) {
			unsigned cc = s[i + k];
			if ((cc & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (cc & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
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

int ac_json_parse(ac_json *j, const char *js, size_t len, ac_err *err)
{
	jsmn_parser p;
	int r;

	arena_reset(j);
	j->js = js;
	j->len = len;
	j->ntok = 0;

	size_t bad = utf8_check((const unsigned char *)js, len);
	if (bad < len) {
		err->col = (long long)bad + 1;
		err->code = AC_EPARSE;
		snprintf(err->msg, sizeof(err->msg), "invalid UTF-8 (byte 0x%02x)",
		         (unsigned char)js[bad]);
		return AC_EPARSE;
	}

	if (!j->tok) {
		j->cap = 1024;
		j->tok = malloc(j->cap * sizeof(jsmntok_t));
		if (!j->tok)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	jsmn_init(&p);
	for (;;) {
		r = jsmn_parse(&p, js, len, j->tok, j->cap);
		if (r != JSMN_ERROR_NOMEM)
			break;
		if (j->cap >= AC_JSON_MAX_TOKENS) {
			err->col = (long long)p.pos + 1;
			err->code = AC_ELIMIT;
			snprintf(err->msg, sizeof(err->msg),
			         "record has more than %u JSON values (limit)", AC_JSON_MAX_TOKENS);
			return AC_ELIMIT;
		}
		unsigned ncap = j->cap * 2;
		jsmntok_t *nt = realloc(j->tok, ncap * sizeof(jsmntok_t));
		if (!nt)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		j->tok = nt;
		j->cap = ncap;
	}
	if (r < 0) {
		err->code = AC_EPARSE;
		err->col = (long long)p.pos + 1;
		if (r == JSMN_ERROR_PART) {
			err->col = (long long)len + 1;
			snprintf(err->msg, sizeof(err->msg), "truncated JSON: unexpected end of record");
		} else {
			unsigned char c = p.pos < len ? (unsigned char)js[p.pos] : 0;
			if (c >= 0x20 && c < 0x7f)
				snprintf(err->msg, sizeof(err->msg), "invalid JSON at '%c'", c);
			else
				snprintf(err->msg, sizeof(err->msg), "invalid JSON (byte 0x%02x)", c);
		}
		return AC_EPARSE;
	}
	if (r == 0) {
		err->col = 1;
		err->code = AC_EPARSE;
		snprintf(err->msg, sizeof(err->msg), "no JSON value");
		return AC_EPARSE;
	}
	j->ntok = (unsigned)r;
	int end = ac_json_skip(j, 0);
	if ((unsigned)end != j->ntok) {
		err->col = j->tok[end].start + 1;
		err->code = AC_EPARSE;
		snprintf(err->msg, sizeof(err->msg), "extra data after the JSON value");
		return AC_EPARSE;
	}
	/* jsmn (even strict) lets an object key be a non-string; reject that here
	 * once so walkers can trust key tokens. */
	for (unsigned i = 0; i < j->ntok; i++) {
		if (j->tok[i].type != JSMN_OBJECT)
			continue;
		int k = (int)i + 1;
		for (int n = 0; n < j->tok[i].size; n++) {
			if (j->tok[k].type != JSMN_STRING || j->tok[k].size != 1) {
				err->col = j->tok[k].start + 1;
				err->code = AC_EPARSE;
				snprintf(err->msg, sizeof(err->msg), "object key is not a string");
				return AC_EPARSE;
			}
			k = ac_json_skip(j, k + 1);
		}
	}
	return 0;
}

int ac_json_eq(const ac_json *j, int i, const char *s)
{
	const jsmntok_t *t = &j->tok[i];
	if (t->type != JSMN_STRING)
		return 0;
	size_t n = (size_t)(t->end - t->start);
	return strlen(s) == n && memcmp(j->js + t->start, s, n) == 0;
}

int ac_json_eq2(const ac_json *j, int i, const char *a, const char *b)
{
	return ac_json_eq(j, i, a) || ac_json_eq(j, i, b);
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
