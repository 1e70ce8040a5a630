/*
 * libFuzzer harness: ac_json_parse against the original parser
 * (tests/unit/json_ref.c) on one record; any difference in return code,
 * error (code, message, column) or tokens aborts with both results. The
 * first byte of the input, when it is below 0x20, picks a small max_tok
 * (1 to 4,096) for a second pair of parsers, as --max-json-values would;
 * the pairs are kept across inputs, as ingest keeps one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../unit/json_ref.c"
#include "../unit/json_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static jd_state st;
	static int ready;
	if (!ready) {
		jd_init(&st, 1);
		ready = 1;
	}
	int bad;
	if (size >= 3 && data[0] < 0x20) {
		size_t mt = ((size_t)data[1] << 8 | data[2]) % 4096 + 1;
		st.la.max_tok = st.lb.max_tok = mt;
		bad = jd_compare_pair(&st, &st.la, &st.lb, (const char *)data + 3, size - 3);
	} else {
		bad = jd_compare(&st, (const char *)data, size);
	}
	if (bad) {
		fprintf(stderr, "json_diff: %s\n", st.why);
		abort();
	}
	return 0;
}
