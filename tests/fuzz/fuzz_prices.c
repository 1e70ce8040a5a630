/*
 * libFuzzer harness: price import (src/pricing/pricing.h) — model CSV, tool
 * CSV, LiteLLM, OpenLIT and Langfuse JSON, detected from content (Langfuse
 * matchPatterns translated for regcomp) — into an in-memory store, then
 * a pricebook load and a few resolutions over what was imported.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pricing/pricing.h"
#include "store/store.h"

static void ignore(const ac_err *e, void *p)
{
	(void)e;
	(void)p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ac_store *s;
	ac_err err = AC_ERR_INIT;
	if (!s && ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err))
		return 0;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ac_import_stats st;
	if (ac_prices_import(ac_store_db(s), path, &st, ignore, NULL, &err) == 0) {
		ac_pricebook *pb = NULL;
		if (ac_pricebook_load(&pb, ac_store_db(s), &err) == 0) {
			const ac_price *rows;
			ac_tokens t = { 250000, 1000, 100, 50, 10, 0, 0, 0, AC_CONV_AUTO };
			static const char *names[] = { "gpt-4o-mini", "openai/gpt-4o-2024-08-06",
				                       "claude-3-5-haiku@20241022", "x" };
			for (int i = 0; i < 4; i++) {
				int n = ac_pricebook_model(pb, names[i], &rows, NULL, NULL);
				const ac_price *p = ac_price_in_force(rows, n, 20240);
				if (p)
					(void)ac_cost_llm(p, &t);
			}
			ac_pricebook_free(pb);
		}
		ac_store_exec(s, "DELETE FROM price; DELETE FROM tool_price", &err);
	}
	close(fd);
	return 0;
}
