/*
 * Reports people read: the last stage of the pipeline. A report reads the
 * store (and, for recommendations, the router), lays out sections of text,
 * tables and charts in a small document model, and writes one directory:
 *
 *   DIR/index.html   one self-contained page: inline CSS and inline SVG charts,
 *                    no script, nothing fetched (a Content-Security-Policy of
 *                    default-src 'none' says so to the browser too)
 *   DIR/report.md    the same content as Markdown, charts as DIR/<chart>.svg
 *   DIR/<table>.csv  every table, full precision, with the spreadsheet
 *                    formula guard of the caller's CSV cell writer
 *
 * Charts are drawn by gnuplot, an external program run from an argv vector
 * (never a shell string) on scripts embedded from reports/NAME.gp; data, and the
 * labels in it, go through a temporary file that gnuplot reads as data only.
 * Its SVG is re-emitted through a whitelist (no script, no foreign content, no
 * reference outside the chart itself). Without gnuplot the report is written
 * all the same, with a note where each chart would be.
 *
 * Output is a function of the store and the options: no clock is read, every
 * list is ordered, so two runs give byte-identical files.
 *
 * Two reports:
 *   weekly    an ISO week: headline against the previous week, per task type
 *             cost distributions, hidden costs, daily spend against its
 *             control band, model selection, routing recommendations,
 *             outliers and runaway loops (src/report/weekly.c)
 *   incident  a time window: spend per minute or hour against the same hours
 *             of the previous 7 days, the tasks that drove it with their trees,
 *             runaways, system / model / tool, guardrail savings and the first
 *             moment the hourly control band would have alerted
 *             (src/report/incident.c)
 *
 * Ownership: nothing returned by the public functions needs freeing; the
 * internal document model (below) owns the text it is given copies of.
 */
#ifndef AC_REPORT_H
#define AC_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../analysis/guard.h"
#include "../analysis/query.h"
#include "../analysis/spc.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/table.h"

typedef struct ac_report_opts {
	const char *out_dir;     /* created (with parents) when missing */
	const char *week;        /* weekly: "YYYY-Www"; NULL: see ac_report_weekly */
	int64_t now_ns;          /* report date; INT64_MIN: none given */
	int64_t from_ns, to_ns;  /* incident: the window [from, to) */
	const char *gnuplot;     /* program (a path, or a name looked up in search_path);
	                          * NULL: "gnuplot" */
	const char *search_path; /* directories to look for gnuplot in, ':'-separated (the
	                          * caller's $PATH); NULL: /usr/local/bin:/usr/bin:/bin */
	const char *tmpdir;      /* where the charts' private directory goes; NULL: /tmp */
	const char *by;          /* weekly: the "Who spent it" dimension; NULL: user */
	int approx;              /* weekly: the per-type distributions and "Who spent it"
	                          * from sketches (AC_UNITS_APPROX, analysis/sketch.h) */
} ac_report_opts;

#define AC_REPORT_OPTS_INIT { NULL, NULL, INT64_MIN, 0, 0, NULL, NULL, NULL, NULL, 0 }

/* What was written, for the caller to tell the user. */
typedef struct ac_report_info {
	char label[64];        /* "2025-W23", or the incident window */
	int64_t since_ns, until_ns;
	int tables;            /* CSV files written */
	int charts;            /* charts drawn (SVG files written) */
	int charts_missing;    /* charts left out (gnuplot absent or failed) */
	char chart_note[256];  /* why charts are missing, "" when none is */
	int unpriced_calls;    /* LLM calls without a price in the window */
} ac_report_info;

/*
 * The weekly report. The week is o->week; without it, the last complete ISO
 * week before o->now_ns, and without that either the ISO week holding the
 * newest span. Returns 0; AC_EINVAL for a bad week or an empty store; AC_EIO
 * when the directory or a file cannot be written; AC_ESQL; AC_ENOMEM.
 */
int ac_report_weekly(ac_store *s, const ac_report_opts *o, ac_report_info *out, ac_err *err);

/*
 * The incident report over [o->from_ns, o->to_ns): minutes when the window is
 * at most 6 hours, else hours; the window may not exceed 31 days. Returns as
 * ac_report_weekly.
 */
int ac_report_incident(ac_store *s, const ac_report_opts *o, ac_report_info *out, ac_err *err);

/* ===================================================================== */
/* Internal to src/report: the document model (html.c), the chart runner */
/* (chart.c) and helpers weekly.c shares with incident.c.                */
/* ===================================================================== */

typedef struct ac_doc ac_doc;
typedef struct ac_tbl ac_tbl;

/* A document titled `title`, with a subtitle line; NULL on OOM. */
ac_doc *ac_doc_new(const char *title, const char *subtitle);
void ac_doc_free(ac_doc *d);

/* A numbered section; id is ours ([a-z0-9-]), the anchor of the page. */
void ac_doc_section(ac_doc *d, const char *id, const char *title);
/* A sub-heading inside the section. */
void ac_doc_heading(ac_doc *d, const char *title);
/* A paragraph / a warning box; the text is escaped when rendered. */
void ac_doc_para(ac_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ac_doc_warn(ac_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A table written to DIR/<name>.csv (name is ours: [a-z0-9_]); HTML and
 * Markdown show its first `show` rows (0: all) and point at the CSV for the
 * rest. Column names are the CSV header. Cells are added row by row; the
 * table is owned by the document. NULL on OOM (the cell functions accept it).
 */
/* "Who spent it" (who.c): the `limit` costliest values of dimension
 * dim_text (user, session, attr:KEY, ...) over win (flags AC_UNITS_*,
 * src/analysis/dims.h: the production tasks starting in it, or with
 * AC_UNITS_SPANS the spans starting in it), against the period before, as a
 * paragraph and a table DIR/<table>.csv; period names the window in the text. */
int ac_report_who(ac_doc *d, ac_store *s, const ac_query *win, const char *dim_text,
                  size_t limit, int flags, const char *table, const char *period, ac_err *err);

ac_tbl *ac_doc_table(ac_doc *d, const char *name, const char *caption,
                     const char *const *cols, int ncol, size_t show);
void ac_tbl_text(ac_tbl *t, const char *s); /* NULL: null */
void ac_tbl_int(ac_tbl *t, long long v);
void ac_tbl_num(ac_tbl *t, ac_cell_type type, double v); /* NAN: null */
void ac_tbl_null(ac_tbl *t);
size_t ac_tbl_rows(const ac_tbl *t);
/* The table itself (util/table.h), for a caller that fills it whole. */
ac_table *ac_tbl_table(ac_tbl *t);

/* Move every block of src to the end of dst (sections renumbered); src is
 * left empty. Returns 0 or AC_ENOMEM. */
int ac_doc_append(ac_doc *dst, ac_doc *src);

/* A chart: svg (sanitised by ac_svg_sanitize, taken over; NULL when not
 * drawn, then `note` says why) written to DIR/<name>.svg and inlined. */
void ac_doc_chart(ac_doc *d, const char *name, const char *caption, char *svg, const char *note);

/* Write index.html, report.md, the CSV and SVG files into dir (created when
 * missing). Counts into info. Returns 0, AC_EIO or AC_ENOMEM. */
int ac_doc_write(ac_doc *d, const char *dir, ac_report_info *info, ac_err *err);

/* Escaping (ac_html_escape, ac_md_escape) and cell display (ac_cell_format):
 * src/util/table.h. */

/* Charts (chart.c). ------------------------------------------------------ */

typedef struct ac_plotter ac_plotter;

/*
 * A chart runner: finds gnuplot (o->gnuplot, else "gnuplot", in
 * o->search_path when it is a bare name) and makes a private temporary
 * directory in o->tmpdir. Without gnuplot the runner still exists and every
 * chart comes back as a note. Returns 0, AC_EIO (no temporary directory) or
 * AC_ENOMEM.
 */
int ac_plotter_new(ac_plotter **out, const ac_report_opts *o, ac_err *err);
void ac_plotter_free(ac_plotter *p);
/* "" when gnuplot can run, else why not. */
const char *ac_plotter_note(const ac_plotter *p);

/*
 * Draw the embedded script reports/<script> over data[0..n): gnuplot is run
 * as `gnuplot -c SCRIPT DATAFILE SVGFILE [args...]`; args are ours (numbers,
 * dates), never trace text. Returns the sanitised SVG (malloc'ed, caller
 * frees; element ids prefixed with id_prefix), or NULL with note filled.
 */
char *ac_plot(ac_plotter *p, const char *script, const char *data, size_t n,
              const char *const *args, const char *id_prefix, char *note, size_t nnote);

/*
 * Re-emit SVG markup through a whitelist of elements and attributes: no
 * script, style or foreign content, no event handlers, references only to
 * ids inside the chart (prefixed with id_prefix), xlink:href written as href,
 * no xmlns (an inline SVG needs none; ac_doc_write adds the SVG namespace to
 * the standalone files). NULL when there is no <svg> element or on OOM.
 */
char *ac_svg_sanitize(const char *svg, size_t n, const char *id_prefix);

/* A label for a gnuplot data file: ASCII letters, digits, space and
 * ._-/:()+= kept, anything else '_' (one per character), at most 40
 * characters, "(none)" for NULL or empty; always double-quoted by the caller. */
void ac_plot_label(char *out, size_t n, const char *s);

/* Shared by weekly.c and incident.c (defined in weekly.c). --------------- */

/* "YYYY-MM-DD HH:MM UTC" (minutes) into out[32]. */
void ac_report_when(int64_t ns, char out[32]);
/* "YYYY-MM-DDTHH:MM", the time format of the charts' data files. */
void ac_report_iso_minute(int64_t ns, char out[20]);
/* The names of the run rules that fired at p, ';'-separated ("" for none). */
void ac_report_spc_rules(const ac_spc_point *p, char rules[64]);
/* One period of a control-band chart's data: "WHEN COST MEAN UCL ALERT\n",
 * '?' where there is no band or no alert. */
void ac_report_band_line(ac_buf *data, const char *when, double cost, const ac_spc_point *p);

/* Start of the hour of the store's first span, and the start of the hour of its newest span
 * (the hourly rollup's resolution); AC_EINVAL when it has none. */
int ac_report_store_range(ac_store *s, int64_t *first_ns, int64_t *last_ns, ac_err *err);

/* Draw reports/<name>.gp over data (empty data: the chart is replaced by
 * empty_note) and add it to the document as chart <name>. */
void ac_report_chart(ac_doc *d, ac_plotter *p, const char *name, const char *caption,
                     const ac_buf *data, const char *const *args, const char *empty_note);

/* Outlier and runaway tables into the document (names <prefix>outliers,
 * <prefix>runaways). */
void ac_guard_tables(ac_doc *d, const ac_guard *g, const char *prefix);

#endif
