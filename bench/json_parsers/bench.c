/*
 * Benchmark driver: read FILE with read() in 1 MiB chunks, hand the parser
 * whole lines (or the raw chunks, for a streaming parser), time RUNS passes
 * and print the best one as
 *   RESULT <name> <bytes> <spans> <wall_s> <cpu_s> <maxrss_kib> <checksum>
 * Usage: bench_<parser> FILE [RUNS]
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static uint64_t g_sum, g_spans;

#define FNV_OFF 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	size_t n = strlen(s);
	h = fnv(h, &n, sizeof n);
	return fnv(h, s, n);
}

static uint64_t fnv_i64(uint64_t h, int64_t v)
{
	return fnv(h, &v, sizeof v);
}

void set_str(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int64_t to_i64(const char *s, size_t n)
{
	size_t i = 0;
	int neg = 0;
	uint64_t v = 0;
	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return neg ? -(int64_t)v : (int64_t)v;
}

static const struct {
	const char *k;
	size_t n;
	int id;
} keys[] = {
#define K(s, id) { s, sizeof(s) - 1, id }
	K("service.name", A_SERVICE),
	K("gen_ai.provider.name", A_PROVIDER),
	K("gen_ai.request.model", A_MODEL),
	K("gen_ai.operation.name", A_OPERATION),
	K("gen_ai.tool.name", A_TOOL),
	K("gen_ai.usage.input_tokens", A_IN),
	K("gen_ai.usage.output_tokens", A_OUT),
	K("gen_ai.usage.cache_read.input_tokens", A_CACHE),
	K("gen_ai.input.messages", A_MSG),
#undef K
};

int attr_id(const char *key, size_t n)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].n == n && memcmp(keys[i].k, key, n) == 0)
			return keys[i].id;
	return -1;
}

void attr_str(struct span *sp, int id, const char *s, size_t n)
{
	switch (id) {
	case A_SERVICE: set_str(sp->service, sizeof sp->service, s, n); break;
	case A_PROVIDER: set_str(sp->provider, sizeof sp->provider, s, n); break;
	case A_MODEL: set_str(sp->model, sizeof sp->model, s, n); break;
	case A_OPERATION: set_str(sp->operation, sizeof sp->operation, s, n); break;
	case A_TOOL: set_str(sp->tool, sizeof sp->tool, s, n); break;
	case A_MSG:
		sp->msg_len = n;
		sp->msg_hash = fnv(FNV_OFF, s, n);
		break;
	default: attr_int(sp, id, to_i64(s, n)); /* an int attribute given as text */
	}
}

void attr_int(struct span *sp, int id, int64_t v)
{
	switch (id) {
	case A_IN: sp->in_tok = v; break;
	case A_OUT: sp->out_tok = v; break;
	case A_CACHE: sp->cache_tok = v; break;
	}
}

void span_begin(struct span *sp, const struct span *res)
{
	memset(sp, 0, sizeof *sp);
	memcpy(sp->service, res->service, sizeof sp->service);
}

void span_emit(const struct span *sp)
{
	uint64_t h = FNV_OFF;
	h = fnv_str(h, sp->trace_id);
	h = fnv_str(h, sp->span_id);
	h = fnv_str(h, sp->parent_id);
	h = fnv_str(h, sp->name);
	h = fnv_i64(h, sp->start_ns);
	h = fnv_i64(h, sp->end_ns);
	h = fnv_i64(h, sp->kind);
	h = fnv_i64(h, sp->status);
	h = fnv_str(h, sp->service);
	h = fnv_str(h, sp->provider);
	h = fnv_str(h, sp->model);
	h = fnv_str(h, sp->operation);
	h = fnv_str(h, sp->tool);
	h = fnv_i64(h, sp->in_tok);
	h = fnv_i64(h, sp->out_tok);
	h = fnv_i64(h, sp->cache_tok);
	h = fnv_i64(h, (int64_t)sp->msg_len);
	h = fnv_i64(h, (int64_t)sp->msg_hash);
	g_sum = (g_sum ^ h) * FNV_PRIME; /* order-sensitive */
	g_spans++;
}

static int hexv(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

size_t json_unescape(const char *s, size_t n, char *out)
{
	const char *end = s + n;
	char *o = out;
	while (s < end) {
		const char *bs = memchr(s, '\\', (size_t)(end - s));
		size_t plain = (size_t)((bs ? bs : end) - s);
		memcpy(o, s, plain);
		o += plain;
		s += plain;
		if (!bs || end - s < 2)
			break;
		char c = s[1];
		s += 2;
		switch (c) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			if (end - s < 4)
				return (size_t)(o - out);
			unsigned cp = (unsigned)(hexv(s[0]) << 12 | hexv(s[1]) << 8 | hexv(s[2]) << 4 | hexv(s[3]));
			s += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && end - s >= 6 && s[0] == '\\' && s[1] == 'u') {
				unsigned lo = (unsigned)(hexv(s[2]) << 12 | hexv(s[3]) << 8 | hexv(s[4]) << 4 |
				                         hexv(s[5]));
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				s += 6;
			}
			o = put_utf8(o, cp);
			break;
		}
		default: *o++ = c; /* " \ / */
		}
	}
	return (size_t)(o - out);
}

static double now(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* One pass over the file; returns bytes read. */
static uint64_t run_once(const char *path, void *st)
{
	const struct parser *P = &bench_parser;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	static char *buf;
	static size_t cap = 1 << 20;
	if (!buf && !(buf = malloc(cap)))
		die("malloc");
	size_t have = 0;
	uint64_t total = 0;
	for (;;) {
		ssize_t r = read(fd, buf + have, cap - have);
		if (r < 0)
			die("read");
		total += (uint64_t)r;
		if (P->feed == FEED_NONE) {
			if (r == 0)
				break;
			continue;
		}
		if (P->feed == FEED_CHUNKS) {
			if (P->chunk(st, buf, (size_t)r, r == 0))
				exit(2);
			if (r == 0)
				break;
			continue;
		}
		have += (size_t)r;
		char *p = buf, *end = buf + have, *nl;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			if (nl > p && P->line(st, p, (size_t)(nl - p)))
				exit(2);
			p = nl + 1;
		}
		if (r == 0) { /* a last line without a newline */
			if (end > p && P->line(st, p, (size_t)(end - p)))
				exit(2);
			break;
		}
		have = (size_t)(end - p);
		memmove(buf, p, have);
		if (have == cap) {
			cap *= 2;
			if (!(buf = realloc(buf, cap)))
				die("realloc");
		}
	}
	close(fd);
	return total;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE [RUNS]\n", argv[0]);
		return 1;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 3;
	const struct parser *P = &bench_parser;
	double best = 1e30, best_cpu = 0;
	uint64_t bytes = 0, spans = 0, sum = 0;
	for (int i = 0; i < runs; i++) {
		g_sum = FNV_OFF;
		g_spans = 0;
		double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		void *st = P->init ? P->init() : NULL;
		bytes = run_once(argv[1], st);
		if (P->fini)
			P->fini(st);
		double t = now(CLOCK_MONOTONIC) - t0, c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (i > 0 && (g_sum != sum || g_spans != spans)) {
			fprintf(stderr, "%s: checksum differs between runs\n", P->name);
			return 3;
		}
		sum = g_sum;
		spans = g_spans;
		if (t < best) {
			best = t;
			best_cpu = c;
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("RESULT %s %" PRIu64 " %" PRIu64 " %.6f %.6f %ld %016" PRIx64 "\n", P->name, bytes,
	       spans, best, best_cpu, ru.ru_maxrss, P->feed == FEED_NONE ? 0 : sum);
	return 0;
}
