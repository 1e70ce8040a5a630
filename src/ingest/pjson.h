/*
 * Helpers shared by the JSON record parsers (otlp.c and the fmt_*.c readers
 * of other trace formats): key look-up, ids, times, attribute values, and the
 * common checks before a span is handed on. Internal to src/ingest.
 *
 * Every reader turns its format into ac_span values and hands each to
 * ac_pj_finish_and_emit(), which applies the checks every format shares (ids
 * present, times in 2000..2100, end >= start, not its own parent), decides the
 * step kind and calls the ingest callback. Attribute names go through the one
 * attribute table (attrmap.c) with ac_pj_apply_attr / ac_attr_apply.
 */
#ifndef AC_PJSON_H
#define AC_PJSON_H

#include "attrmap.h"
#include "parse.h"

/* Plausible span times: 2000-01-01 .. 2100-01-01 UTC. */
#define AC_PJ_MIN_NS (946684800LL * 1000000000LL)
#define AC_PJ_MAX_NS (4102444800LL * 1000000000LL)

/* One record being parsed. j is NULL for records that are not JSON (OTLP
 * protobuf, otlp_pb.c): ac_pj_finish_and_emit and ac_pj_structure_error use
 * only line, emit and payload. */
typedef struct ac_pctx {
	ac_json *j;
	long long line;
	ac_span_fn emit;
	void *payload;
} ac_pctx;

/* A format read from JSON records: detect() looks at the root token (cheaply:
 * it runs on every record that is neither OTLP nor a flat span) and says
 * whether the record is of this format; walk() emits its spans. */
typedef struct ac_json_format {
	int kind;                                 /* AC_REC_* */
	int (*detect)(ac_json *j, int root);
	int (*walk)(ac_pctx *c, int root);
} ac_json_format;

/* The formats besides OTLP JSON and flat spans, tried in order (otlp.c). */
extern const ac_json_format *const ac_json_formats[];
extern const unsigned ac_json_nformats;

/* Set sp->err (printf with one string argument) unless a problem is already there. */
void ac_pj_span_fail(ac_span *sp, const char *fmt, const char *what);
/* Emit an error item about the record's structure (not one span): spans around it are kept. */
int ac_pj_structure_error(ac_pctx *c, const char *what);
/* Start a span from token t: a copy of base (or reset when NULL), its raw
 * text t's. When t is not a JSON object the span is emitted as rejected and
 * 1 is returned, *rc the callback's code; else 0. */
int ac_pj_span_begin(ac_pctx *c, int t, const ac_span *base, ac_span *sp, int *rc);
/* Number of keys a or b in object obj. */
int ac_pj_count_key(const ac_json *j, int obj, const char *a, const char *b);
/* Value token of key a or b (b may be NULL) in object obj, or -1. */
int ac_pj_find_key(const ac_json *j, int obj, const char *a, const char *b);
/* Hex id string of exactly n bytes: 0 ok, 1 empty, -1 bad (or all zeros). */
int ac_pj_parse_id(ac_json *j, int t, uint8_t *out, size_t n);
/* Id of exactly n bytes as 2n hex digits or base64 (24 chars for 16 bytes,
 * 12 for 8, with their '=' padding): the length decides (see otlp.c).
 * 0 ok, 1 empty, -1 bad (or all zeros). */
int ac_pj_parse_id_any(ac_json *j, int t, uint8_t *out, size_t n);
/* Base64 text of exactly n bytes (n <= 16): 0, or -1. */
int ac_pj_b64_id(const char *s, size_t len, uint8_t *out, size_t n);
/* 1 when token t is a string of exactly 2n '0's. */
int ac_pj_is_zero_id(const ac_json *j, int t, size_t n);
/* fixed64 nanoseconds: number, decimal string or {low,high}. 0 or -1. */
int ac_pj_parse_ns(ac_json *j, int t, int64_t *out);
/* Status code: 0..2, names (OK, ERROR, UNSET, STATUS_CODE_*), -1 if neither. */
int ac_pj_status_code(ac_json *j, int t);
/* A plain JSON scalar / an OTLP AnyValue object as an attribute value. */
void ac_pj_plain_value(ac_json *j, int t, ac_value *v);
void ac_pj_any_value(ac_json *j, int t, ac_value *v);
/* Apply key token / value token when the attribute table maps the key. */
void ac_pj_apply_attr(ac_json *j, ac_span *sp, int keytok, int valtok, int otlp, int resource);
/* OTLP attribute list [{key, value:{AnyValue}}] / flat object {key: scalar}. */
void ac_pj_otlp_attrs(ac_json *j, int arr, ac_span *sp, int resource);
void ac_pj_flat_attrs(ac_json *j, int obj, ac_span *sp, int resource);
/* 1 when token t is the literal null. */
int ac_pj_is_null(const ac_json *j, int t);
/* Apply the plain JSON value at valtok as attribute `key` (e.g. a column that
 * holds service.name) when the table maps the name. */
void ac_pj_apply_named(ac_json *j, ac_span *sp, const char *key, int valtok, int resource);
/* Walk an OTLP resourceSpans list ([{resource, scopeSpans|instrumentationLibrarySpans}]);
 * key names the list in messages ("resourceSpans", "batches"). */
int ac_pj_walk_resource_spans(ac_pctx *c, int list, const char *key);
/* Shared checks, step kind (ac_span_finish), sp->line, then the callback. */
int ac_pj_finish_and_emit(ac_pctx *c, ac_span *sp, int have_trace, int have_span);

#endif
