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
	/* every other input is also read again from where a later read of the
	 * grown file would start (ac_reader_resume), and from an arbitrary byte */
	for (int pass = 0; pass < 3; pass++) {
		if (ac_reader_open(&r, path, &o, &err) == 0) {
			ac_record rec;
			size_t sum = 0;
			int rc = 0;
			for (int n = 0; n < 100000; n++) {
				rc = ac_reader_next(r, &rec, &err);
				if (rc == 1) {
					for (size_t i = 0; i < rec.len; i++)
						sum += (unsigned char)rec.data[i];
					continue;
				}
				if (rc != AC_ELIMIT && rc != AC_EPARSE)
					break;
			}
			(void)sum;
			int64_t off;
			long long line;
			if (rc == 0 && ac_reader_resume(r, &off, &line) == 0) {
				if (off < 0 || (size_t)off > size || line < 1)
					__builtin_trap(); /* a resume point outside the file */
				o.start_off = off;
				o.start_line = line;
			} else {
				o.start_off = size > 2 ? (int64_t)(data[1] % size) : 0;
				o.start_line = 1;
			}
		}
		ac_reader_free(r);
		r = NULL;
		if (!size || !(data[0] & 1))
			break;
	}
	ac_reader_free(r);
	close(fd);
	return 0;
}
