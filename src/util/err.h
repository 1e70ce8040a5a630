/*
 * Error record shared by every module.
 *
 * A fallible function returns 0 or a negative AC_E* code and, on failure,
 * fills the caller's ac_err with a message and the input position. The
 * lowest layer that knows the facts writes the message; callers pass the
 * code up unchanged. The message buffer is fixed-size so that even an
 * out-of-memory condition can be reported.
 */
#ifndef AC_ERR_H
#define AC_ERR_H

#include <stdarg.h>

enum {
	AC_OK = 0,
	AC_ENOMEM = -1,  /* allocation failed */
	AC_EIO = -2,     /* read/write/open failed */
	AC_EPARSE = -3,  /* malformed input record (skippable) */
	AC_EZSTD = -4,   /* corrupt or truncated zstd data */
	AC_ESQL = -5,    /* database error */
	AC_EINVAL = -6,  /* bad argument or bad value in input */
	AC_ELIMIT = -7,  /* input over a documented limit (skippable) */
	AC_EFORMAT = -8, /* the file is not in a format we read */
};

typedef struct ac_err {
	int code;
	long long line;   /* 1-based line or record number, 0 = unknown */
	long long col;    /* 1-based column, 0 = unknown */
	long long offset; /* byte offset, -1 = unknown */
	char msg[512];
} ac_err;

#define AC_ERR_INIT { 0, 0, 0, -1, { 0 } }

/* Reset to "no error". */
void ac_err_clear(ac_err *e);

/* Record an error and return its code, so that `return ac_err_set(...)` reads well. */
int ac_err_set(ac_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, with a position. */
int ac_err_setpos(ac_err *e, int code, long long line, long long col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Human name of a code ("parse error", ...). */
const char *ac_err_name(int code);

#endif
