/*
 * libFuzzer harness: the record reader (src/ingest/reader.h) on arbitrary
 * bytes — plain JSON lines, documents, zstd streams and the length-prefixed
 * zstd framing are all detected from content. The input goes through a
 * memfd so the reader sees a real file descriptor path.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ac_reader *r = NULL;
	ac_reader_opts o = AC_READER_OPTS_INIT;
	o.max_record = 1 << 16; /* keep memory small; the limit path is exercised too */
	ac_err err = AC_ERR_INIT;
	if (ac_reader_open(&r, path, &o, &err) == 0) {
		ac_record rec;
		size_t sum = 0;
		for (int n = 0; n < 100000; n++) {
			int rc = ac_reader_next(r, &rec, &err);
			if (rc == 1) {
				for (size_t i = 0; i < rec.len; i++)
					sum += (unsigned char)rec.data[i];
				continue;
			}
			if (rc != AC_ELIMIT)
				break;
		}
		(void)sum;
	}
	ac_reader_free(r);
	close(fd);
	return 0;
}
