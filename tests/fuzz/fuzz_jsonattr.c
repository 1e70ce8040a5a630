/*
 * libFuzzer harness: the attribute search (src/util/jsonattr.h). The input
 * is a key (the first line) and a text (the rest); the text's second line,
 * when there is one, is a resource text for ac_json_attr_span. Each text is
 * a heap copy of exactly its length, so ASan sees a read past n. Checks: the
 * output is NUL-terminated within cap and nothing after cap is written; the
 * answer does not depend on cap (a small cap holds the start of the large
 * cap's value); ac_json_attr_span is the span text's answer, else the
 * resource text's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonattr.h"

#define BIG 1024
#define GUARD 16

static char *copy(const uint8_t *p, size_t n)
{
	char *s = malloc(n ? n : 1);
	if (s && n)
		memcpy(s, p, n);
	return s;
}

/* The search with cap, into a buffer with a guard after cap. */
static int find(const char *js, size_t n, const char *key, char *out, size_t cap)
{
	memset(out, 0x5a, cap + GUARD);
	int r = ac_json_attr_find(js, n, key, out, cap);
	if (!memchr(out, '\0', cap)) {
		fprintf(stderr, "jsonattr: no NUL within cap %zu\n", cap);
		abort();
	}
	for (size_t k = cap; k < cap + GUARD; k++)
		if (out[k] != 0x5a) {
			fprintf(stderr, "jsonattr: out[%zu] written, cap %zu\n", k, cap);
			abort();
		}
	return r;
}

static void check(const char *js, size_t n, const char *key, size_t small)
{
	static char big[BIG + GUARD], lit[BIG + GUARD];
	int r = find(js, n, key, big, BIG), rs = find(js, n, key, lit, small);
	if (r != rs || (r && strncmp(lit, big, small - 1) != 0)) {
		fprintf(stderr, "jsonattr: cap %d: %d \"%s\", cap %zu: %d \"%s\"\n", BIG, r, big, small,
		        rs, lit);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	if (!nl)
		return 0;
	size_t kn = (size_t)(nl - data);
	char *key = malloc(kn + 1);
	if (!key)
		return 0;
	memcpy(key, data, kn);
	key[kn] = '\0';
	const uint8_t *doc = nl + 1;
	size_t dn = size - kn - 1;
	/* the span text and, after its first line, the resource text */
	const uint8_t *nl2 = memchr(doc, '\n', dn);
	size_t rn = nl2 ? (size_t)(nl2 - doc) : dn, resn = nl2 ? dn - rn - 1 : 0;
	char *all = copy(doc, dn), *raw = copy(doc, rn), *res = copy(doc + rn + (nl2 != NULL), resn);
	if (all && raw && res) {
		size_t small = 1 + size % 8;
		check(all, dn, key, small);
		check(raw, rn, key, small);
		check(res, resn, key, small);
		static char a[BIG + GUARD], b[BIG + GUARD];
		int want = (rn && find(raw, rn, key, b, BIG)) || (resn && find(res, resn, key, b, BIG));
		memset(a, 0x5a, sizeof(a));
		int r = ac_json_attr_span(raw, rn, res, resn, key, a, BIG);
		if (r != want || (r && strcmp(a, b) != 0) || a[BIG] != 0x5a) {
			fprintf(stderr, "jsonattr: span %d \"%s\", expected %d \"%s\"\n", r, a, want, b);
			abort();
		}
	}
	free(all);
	free(raw);
	free(res);
	free(key);
	return 0;
}
