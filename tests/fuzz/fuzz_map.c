/*
 * libFuzzer harness: the router map CSV (src/router/router.h,
 * ac_router_map_load) with the built-in price table, then a lookup and a
 * write-back of whatever loaded. The input goes through a memfd.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pricing/pricing.h"
#include "router/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ac_pricebook *pb;
	ac_err err = AC_ERR_INIT;
	if (!pb && ac_pricebook_load(&pb, NULL, &err))
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
	ac_router_map *m = NULL;
	if (ac_router_map_load(&m, path, pb, &err) == 0) {
		(void)ac_router_map_lookup(m, "extraction", "simple");
		(void)ac_router_map_lookup(m, NULL, "complex");
		ac_router_map_write(m, "/dev/null", &err);
		ac_router_map_free(m);
	}
	close(fd);
	return 0;
}
