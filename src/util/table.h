/*
 * One table type for every tabular output: the commands' tables (aligned
 * text, CSV, JSON) and the reports' tables (HTML, Markdown, CSV). A table
 * holds rows of cells, each text, a whole number, a number or null; a number
 * may carry how a report shows it (a share, a ratio, money). The CSV writer
 * has the spreadsheet formula guard inside, so no caller can forget it.
 *
 * Column kinds (ac_col_type) are the commands': they decide alignment in
 * text, quoting in JSON and the formula guard in CSV. A report's table has
 * none (NULL): there each cell's own kind decides.
 */
#ifndef AC_TABLE_H
#define AC_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

typedef enum { AC_COL_TEXT, AC_COL_INT, AC_COL_NUM, AC_COL_USD } ac_col_type;

/* How a report shows a cell; CSV always gets the full value (%.12g, or text). */
typedef enum {
	AC_CELL_NULL,  /* shown "-", empty in CSV */
	AC_CELL_TEXT,  /* trace text or ours; escaped everywhere */
	AC_CELL_INT,
	AC_CELL_USD,   /* "$12.34", "$0.004512" */
	AC_CELL_NUM,   /* 4 significant digits */
	AC_CELL_SHARE, /* a fraction shown as "12.3%" */
	AC_CELL_PP,    /* a difference of fractions shown as "+1.2 pp" */
	AC_CELL_RATIO, /* "3.2x" */
} ac_cell_type;

typedef struct ac_table ac_table;

/* A table of ncol columns; names (and types, NULL for a report's table) are
 * not copied and must outlive it. NULL on OOM; the cell functions accept a
 * NULL table and do nothing. */
ac_table *ac_table_new(const char *const *names, const ac_col_type *types, int ncol);
void ac_table_free(ac_table *t);

/* Cells, row by row. */
void ac_table_text(ac_table *t, const char *s);  /* NULL: null */
void ac_table_int(ac_table *t, long long v);
void ac_table_num(ac_table *t, double v);        /* NAN: null */
/* A number shown as type (AC_CELL_INT: rounded); NAN or infinite: null. */
void ac_table_num_as(ac_table *t, ac_cell_type type, double v);
void ac_table_null(ac_table *t);
/* A number for a row filler whose column choice is data: AC_CELL_NUM is
 * ac_table_num (the commands' plain number; infinities kept), any other type
 * ac_table_num_as. */
void ac_table_num_shown(ac_table *t, ac_cell_type type, double v);
size_t ac_table_rows(const ac_table *t);
int ac_table_oom(const ac_table *t);

/* The commands' writers. Text: aligned columns, money to 4 places, other
 * numbers to 4 significant digits, "-" for null, long cells cut at 60
 * characters, control characters shown as '?'. JSON: {"key":[{...},...]},
 * numbers in full. */
void ac_table_write_text(FILE *fp, const ac_table *t);

/* printf for a text line that holds names from traces: every control
 * character (ESC, BEL, CR, a newline inside a value ...) written as '?', as
 * the text tables do, but for a final newline. */
void ac_term_printf(FILE *fp, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void ac_table_write_json(FILE *fp, const ac_table *t, const char *key);
/* Only the row objects, each after ",\n" (the first after "\n" when
 * *written is 0); *written counts them: a long listing written a table at a
 * time inside its own {"key":[ ... \n]}. */
void ac_table_write_json_rows(FILE *fp, const ac_table *t, size_t *written);
/* CSV with a header; null cells empty. */
void ac_table_write_csv(FILE *fp, const ac_table *t);
/* The same rows without the header: a long listing written a table at a
 * time (spc --by: a table per value). */
void ac_table_write_csv_rows(FILE *fp, const ac_table *t);

/*
 * A table too large to hold (a million users' rows) written in parts: the
 * rows so far as CSV (json 0) or JSON, then dropped, the columns kept for
 * more rows. part: AC_TABLE_FIRST on the first call (CSV header, JSON
 * opening), AC_TABLE_LAST on the last (JSON closing), both for one part.
 * The parts together are the bytes ac_table_write_csv / _json would write.
 */
enum { AC_TABLE_FIRST = 1, AC_TABLE_LAST = 2 };
void ac_table_write_part(FILE *fp, ac_table *t, int json, const char *key, int part);

/* The reports' writers: the first `show` rows (0: all) and a pointer to
 * name.csv for the rest; caption may be NULL. */
void ac_table_write_html(ac_buf *b, const ac_table *t, const char *name, const char *caption,
                         size_t show);
void ac_table_write_md(ac_buf *b, const ac_table *t, const char *name, const char *caption,
                       size_t show);

/* One CSV cell (libcsv quoting): a text cell starting with = + - @ tab or
 * CR gets a leading ' so a spreadsheet keeps it text (OWASP "CSV
 * injection"). NULL writes nothing. */
void ac_csv_cell(FILE *fp, const char *s, int is_text);
/* A JSON string (NULL: null), escaped so it is safe inside HTML too; a JSON
 * number (NAN, infinities: null). */
void ac_json_put_str(FILE *fp, const char *s);
void ac_json_put_num(FILE *fp, double v);

/* Escaping for HTML (& < > " ') and Markdown (also | ` \ * _ [ ], lines
 * flattened); invalid UTF-8 becomes U+FFFD, control characters are dropped. */
void ac_html_escape(ac_buf *b, const char *s);
void ac_md_escape(ac_buf *b, const char *s);
/* v as a report shows a cell of that type, into out. */
void ac_cell_format(char *out, size_t n, ac_cell_type type, double v);

#endif
