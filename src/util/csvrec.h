/*
 * CSV records with line numbers, on libcsv (strict mode): the price importer
 * and the router's map reader both need every record's trimmed cells and the
 * physical line it starts on, for `file:line: reason` messages.
 */
#ifndef AC_CSVREC_H
#define AC_CSVREC_H

#include <stddef.h>

#include "err.h"

typedef struct ac_csv_rec {
	char **cell; /* trimmed, NUL-terminated */
	int n, cap;
	long long line; /* where the record starts */
} ac_csv_rec;

typedef struct ac_csv_doc {
	ac_csv_rec *rec;
	size_t n, cap;
	/* parsing state */
	ac_csv_rec cur;
	long long line;
	int in_record, oom;
} ac_csv_doc;

#define AC_CSV_DOC_INIT { NULL, 0, 0, { NULL, 0, 0, 0 }, 0, 0, 0 }

/*
 * Split text into records (a leading UTF-8 byte order mark is skipped; libcsv
 * skips blank lines; a quoted cell may span lines). Returns 0, AC_ENOMEM, or
 * AC_EPARSE with "PATH:LINE: malformed csv: ..." and err->line set.
 */
int ac_csv_split(ac_csv_doc *doc, const char *text, size_t len, const char *path, ac_err *err);

/* Copy of s[0, n) without leading and trailing white space (malloc'd). */
char *ac_strdup_trim(const char *s, size_t n);

/* 1 when every cell of r is empty. */
int ac_csv_blank(const ac_csv_rec *r);

void ac_csv_doc_release(ac_csv_doc *doc);

#endif
