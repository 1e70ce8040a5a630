/*
 * Microbenchmark of the JSON tokenizer: every line of a JSON-lines file
 * through ac_json_parse (src/ingest/json.c) and through the original
 * three-pass parser (tests/unit/json_ref.c: prescan, jsmn, validate), in the
 * same run, so both see the same machine. Prints MB/s and lines/s of each
 * (best of the passes, CPU time of this process) and the speed-up.
 *
 *   cmake --build build --target bench_json_parse
 *   build/bench_json_parse FILE.jsonl [PASSES]
 *
 * Both must agree on every line (return code and token count): the run
 * stops otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_ref.c"

typedef int (*parse_fn)(ac_json *j, const char *js, size_t len, ac_err *err);

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One pass over every line; returns CPU seconds, totals into *tok, *bad. */
static double pass(parse_fn fn, const char *buf, size_t n, unsigned long long *tok, long *bad)
{
	ac_json j = AC_JSON_INIT;
	ac_err err = AC_ERR_INIT;
	double t0 = cpu_now();
	*tok = 0;
	*bad = 0;
	size_t a = 0;
	while (a < n) {
		const char *nl = memchr(buf + a, '\n', n - a);
		size_t b = nl ? (size_t)(nl - buf) : n;
		if (b > a) {
			if (fn(&j, buf + a, b - a, &err))
				(*bad)++;
			else
				*tok += j.ntok;
		}
		a = b + 1;
	}
	double t = cpu_now() - t0;
	ac_json_release(&j);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_json_parse FILE.jsonl [PASSES]\n");
		return 2;
	}
	int passes = argc > 2 ? atoi(argv[2]) : 3;
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)sz + 1);
	if (!buf || fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		fprintf(stderr, "cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	size_t n = (size_t)sz;
	long lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	if (n && buf[n - 1] != '\n')
		lines++;

	const char *name[2] = { "new  ac_json_parse", "old  prescan+jsmn+validate" };
	parse_fn fn[2] = { ac_json_parse, ac_json_parse_ref };
	double best[2] = { 1e30, 1e30 };
	unsigned long long tok[2];
	long bad[2];
	for (int p = 0; p < passes; p++)
		for (int k = 0; k < 2; k++) {
			int w = p % 2 ? 1 - k : k; /* alternate the order */
			double t = pass(fn[w], buf, n, &tok[w], &bad[w]);
			if (t < best[w])
				best[w] = t;
		}
	if (tok[0] != tok[1] || bad[0] != bad[1]) {
		fprintf(stderr, "the parsers disagree: tokens %llu / %llu, bad lines %ld / %ld\n", tok[0],
		        tok[1], bad[0], bad[1]);
		return 1;
	}
	printf("%s: %.1f MB, %ld lines, %llu tokens, %ld bad lines; best of %d passes (CPU time)\n", argv[1],
	       (double)n / 1e6, lines, tok[0], bad[0], passes);
	for (int k = 0; k < 2; k++)
		printf("  %-28s %8.3f s %9.1f MB/s %11.0f lines/s\n", name[k], best[k],
		       (double)n / 1e6 / best[k], (double)lines / best[k]);
	printf("  speed-up %.2fx\n", best[1] / best[0]);
	free(buf);
	return 0;
}
