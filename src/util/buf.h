/*
 * Growable byte buffer (git's strbuf, SQLite's sqlite3_str).
 *
 * Appends never return a new pointer to the caller: on allocation failure
 * the buffer keeps its first error in `oom` and later appends do nothing,
 * so a caller checks once at the end. ac_buf_cstr() never returns NULL.
 */
#ifndef AC_BUF_H
#define AC_BUF_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

typedef struct ac_buf {
	char *data;
	size_t len;
	size_t cap;
	int oom;
} ac_buf;

#define AC_BUF_INIT { NULL, 0, 0, 0 }

void ac_buf_release(ac_buf *b);
void ac_buf_reset(ac_buf *b);                     /* len = 0, keeps memory */
int ac_buf_grow(ac_buf *b, size_t extra);         /* ensure room for extra + NUL */
void ac_buf_add(ac_buf *b, const void *p, size_t n);
void ac_buf_addc(ac_buf *b, char c);
void ac_buf_adds(ac_buf *b, const char *s);
void ac_buf_printf(ac_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *ac_buf_cstr(const ac_buf *b);        /* NUL-terminated, "" when empty */

/*
 * Read all of f (opened by the caller from path, which names it in errors;
 * NULL = could not be opened) into *out, NUL-terminated, *len bytes. More
 * than max bytes is AC_EFORMAT ("<path>: <what> over <max> bytes"). Returns 0,
 * AC_EIO, AC_EFORMAT or AC_ENOMEM; *out is freed by the caller (NULL on error).
 */
int ac_read_all(FILE *f, const char *path, size_t max, const char *what, char **out, size_t *len,
                ac_err *err);

/* ac_read_all of the file at path, or of standard input when path is "-";
 * *label: the name for messages about its lines ("<stdin>" or path). */
int ac_read_path(const char *path, size_t max, const char *what, char **out, size_t *len,
                 const char **label, ac_err *err);

#endif
