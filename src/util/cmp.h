/*
 * Comparing optional strings the way SQLite's ORDER BY does: NULL first,
 * then bytewise (the BINARY collation). Analyses sort their rows with it so
 * that merged results come out in the order of the queries they read.
 */
#ifndef AC_CMP_H
#define AC_CMP_H

#include <string.h>

static inline int ac_cmp_opt(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

#endif
