/* Error record: see err.h. */
#include "err.h"

#include <stdio.h>
#include <string.h>

void ac_err_clear(ac_err *e)
{
	e->code = 0;
	e->line = 0;
	e->col = 0;
	e->offset = -1;
	e->msg[0] = '\0';
}

static int vset(ac_err *e, int code, const char *fmt, va_list ap)
{
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return code;
}

int ac_err_set(ac_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	e->line = 0;
	e->col = 0;
	e->offset = -1;
	vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int ac_err_setpos(ac_err *e, int code, long long line, long long col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	e->line = line;
	e->col = col;
	e->offset = -1;
	vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

const char *ac_err_name(int code)
{
	switch (code) {
	case AC_OK: return "ok";
	case AC_ENOMEM: return "out of memory";
	case AC_EIO: return "i/o error";
	case AC_EPARSE: return "parse error";
	case AC_EZSTD: return "zstd error";
	case AC_ESQL: return "database error";
	case AC_EINVAL: return "invalid value";
	case AC_ELIMIT: return "limit exceeded";
	case AC_EFORMAT: return "unsupported format";
	}
	return "error";
}
