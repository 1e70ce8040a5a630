/*
 * Differential test of ac_json_parse (the single-pass tokenizer) against
 * ac_json_parse_ref (the original prescan + jsmn + validate, kept in
 * json_ref.c): for every input both must give the same return code, error
 * code, message and column, token count and every field of every token.
 *
 * Inputs: every line (and every whole file under 4 MiB) of every file under
 * testdata/; the output of the generator (src/gen) in both layouts; hand-made
 * edge cases (nesting around the depth limit, records around the token limit);
 * and seeded mutants of sample records (byte flips, deletions, insertions of
 * JSON-significant and invalid bytes, truncations, duplicated slices), with
 * random small max_tok values so that the token limit is hit. AC_JSON_DIFF_MUTANTS
 * sets the number of mutants (default 200000), AC_JSON_DIFF_SEED the seed.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "gen/gen.h"
#include "json_ref.c"
#include "json_diff.h"

/* Inputs kept for the mutants: sample records, JSON lines. */
typedef struct sample_set {
	char **rec;
	size_t *len;
	size_t n, cap;
} sample_set;

static void sample_add(sample_set *ss, const char *p, size_t n)
{
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 64;
		ss->rec = realloc(ss->rec, ss->cap * sizeof(*ss->rec));
		ss->len = realloc(ss->len, ss->cap * sizeof(*ss->len));
		assert_non_null(ss->rec);
		assert_non_null(ss->len);
	}
	ss->rec[ss->n] = malloc(n + 1);
	assert_non_null(ss->rec[ss->n]);
	memcpy(ss->rec[ss->n], p, n);
	ss->len[ss->n++] = n;
}

static void sample_free(sample_set *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		free(ss->rec[i]);
	free(ss->rec);
	free(ss->len);
}

static jd_state st; /* parser pairs and counters */

static void check(const char *p, size_t n)
{
	if (jd_compare(&st, p, n))
		fail_msg("%s", st.why);
}

/* Every line of the file, and the whole file when small. */
static void diff_file(const char *path, sample_set *ss)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)sz + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	size_t n = (size_t)sz;
	if (n <= (4u << 20))
		check(buf, n);
	size_t a = 0;
	while (a <= n) {
		const char *nl = memchr(buf + a, '\n', n - a);
		size_t b = nl ? (size_t)(nl - buf) : n;
		check(buf + a, b - a);
		/* JSON lines of a modest size seed the mutants */
		if (b - a > 2 && b - a < 6000 && buf[a] == '{' && ss->n < 400)
			sample_add(ss, buf + a, b - a);
		a = b + 1;
	}
	free(buf);
}

static void diff_dir(const char *dir, sample_set *ss, long *files)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat sb;
		if (stat(path, &sb))
			continue;
		if (S_ISDIR(sb.st_mode)) {
			diff_dir(path, ss, files);
		} else if (S_ISREG(sb.st_mode)) {
			diff_file(path, ss);
			(*files)++;
		}
	}
	closedir(d);
}

/* Generator output arrives in chunks: cut it into lines. */
typedef struct gen_lines {
	char *buf;
	size_t n, cap;
	long lines;
	sample_set *ss;
} gen_lines;

static int on_gen(const void *data, size_t len, void *payload)
{
	gen_lines *g = payload;
	if (g->n + len > g->cap) {
		g->cap = (g->n + len) * 2;
		g->buf = realloc(g->buf, g->cap);
		if (!g->buf)
			return AC_ENOMEM;
	}
	memcpy(g->buf + g->n, data, len);
	g->n += len;
	size_t a = 0;
	for (;;) {
		char *nl = memchr(g->buf + a, '\n', g->n - a);
		if (!nl)
			break;
		size_t b = (size_t)(nl - g->buf);
		check(g->buf + a, b - a);
		g->lines++;
		if (g->lines % 7 == 0 && b - a < 20000 && g->ss->n < 440)
			sample_add(g->ss, g->buf + a, b - a);
		a = b + 1;
	}
	memmove(g->buf, g->buf + a, g->n - a);
	g->n -= a;
	return 0;
}

static void diff_gen(sample_set *ss, ac_gen_layout layout)
{
	ac_gen_opts o = AC_GEN_OPTS_INIT;
	o.days = 1;
	o.tasks_per_day = 300;
	o.layout = layout;
	o.batch_size = 64;
	gen_lines g = { NULL, 0, 0, 0, ss };
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_gen_run(&o, on_gen, &g, NULL, &err), 0);
	assert_true(g.lines > 20);
	free(g.buf);
}

static void test_testdata_and_gen(void **state)
{
	(void)state;
	sample_set ss = { 0 };
	long files = 0;
	const char *seed = getenv("AC_JSON_DIFF_SEED");
	jd_init(&st, seed ? strtoull(seed, NULL, 0) : 0x5eed);
	diff_dir(AC_SOURCE_DIR "/testdata", &ss, &files);
	assert_true(files > 100);
	long after_files = st.compared;
	diff_gen(&ss, AC_GEN_LAYOUT_COLLECTOR);
	diff_gen(&ss, AC_GEN_LAYOUT_TRACE);
	long after_gen = st.compared;
	if (jd_edge_cases(&st))
		fail_msg("%s", st.why);
	long after_edge = st.compared;
	assert_true(ss.n > 50);

	const char *env = getenv("AC_JSON_DIFF_MUTANTS");
	long want = env ? atol(env) : 200000;
	char *m = NULL;
	size_t mcap = 0;
	for (long k = 0; k < want; k++) {
		size_t which = (size_t)(jd_rand(&st) % ss.n);
		size_t mn = jd_mutate(&st, ss.rec[which], ss.len[which], &m, &mcap);
		if (jd_compare_any_limit(&st, m, mn))
			fail_msg("%s", st.why);
	}
	free(m);
	long mutants = st.compared - after_edge;
	printf("json diff: %ld inputs compared: %ld from %ld testdata files, %ld generated records, "
	       "%ld edge cases, %ld mutants (%ld with a small max_tok); %ld were errors in both, %ld of "
	       "them the token limit\n",
	       st.compared, after_files, files, after_gen - after_files, after_edge - after_gen, mutants,
	       st.limited, st.errors, st.limit_hits);
	assert_true(mutants >= want);
	/* the mutants must reach the errors, and the limit */
	assert_true(st.errors > want / 4);
	assert_true(st.limit_hits > 100);
	sample_free(&ss);
	jd_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_testdata_and_gen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
