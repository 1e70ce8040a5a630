/* Growable byte buffer: see buf.h. */
#include "buf.h"

#include <errno.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ac_buf_release(ac_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

void ac_buf_reset(ac_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int ac_buf_grow(ac_buf *b, size_t extra)
{
	if (b->oom)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void ac_buf_add(ac_buf *b, const void *p, size_t n)
{
	if (ac_buf_grow(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void ac_buf_addc(ac_buf *b, char c)
{
	ac_buf_add(b, &c, 1);
}

void ac_buf_adds(ac_buf *b, const char *s)
{
	ac_buf_add(b, s, strlen(s));
}

void ac_buf_printf(ac_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		ac_buf_add(b, small, (size_t)n);
		return;
	}
	if (ac_buf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *ac_buf_cstr(const ac_buf *b)
{
	return b->data ? b->data : "";
}

int ac_read_all(FILE *f, const char *path, size_t max, const char *what, char **out, size_t *len,
                ac_err *err)
{
	char *data = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	*len = 0;
	if (!f)
		return ac_err_set(err, AC_EIO, "cannot open %s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 65536) {
			if (cap >= max) {
				free(data);
				return ac_err_set(err, AC_EFORMAT, "%s: %s over %zu bytes", path, what, max);
			}
			size_t ncap = cap ? cap * 2 : 65536;
			char *nd = realloc(data, ncap + 1);
			if (!nd) {
				free(data);
				return ac_err_set(err, AC_ENOMEM, "out of memory reading %s", path);
			}
			data = nd;
			cap = ncap;
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(data);
		return ac_err_set(err, AC_EIO, "cannot read %s: %s", path, strerror(errno));
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return 0;
}

int ac_read_path(const char *path, size_t max, const char *what, char **out, size_t *len,
                 const char **label, ac_err *err)
{
	int is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	int rc = ac_read_all(f, path, max, what, out, len, err);
	if (f && !is_stdin)
		fclose(f);
	*label = is_stdin ? "<stdin>" : path;
	return rc;
}
