/*
 * Record parsers: one JSON record (a line, a framed message or a whole
 * document) in, spans out. Two shapes are read:
 *
 *   OTLP JSON   {"resourceSpans":[{"resource":{...},"scopeSpans":[{"spans":[...]}]}]}
 *               (ExportTraceServiceRequest / TracesData; also the legacy
 *               instrumentationLibrarySpans key and snake_case keys)
 *   flat span   {"trace_id":"..","span_id":"..","name":"..",
 *                "start_time_unix_nano":..,"attributes":{..},"resource":{..}}
 *
 * Everything else is recognised well enough to be refused with a message
 * naming what it is (OTLP logs or metrics, price tables, bare attribute maps).
 */
#ifndef AC_PARSE_H
#define AC_PARSE_H

#include "../util/hex.h"
#include "json.h"
#include "span.h"

/* What a record was (the file ledger's format column names them). */
enum {
	AC_REC_OTLP = 1,       /* OTLP JSON: resourceSpans */
	AC_REC_FLAT,           /* flat JSONL span */
	AC_REC_SDK_PY,         /* OpenTelemetry Python SDK span dump (to_json, {"spans":[...]}) */
	AC_REC_SDK_JS,         /* OpenTelemetry JS SDK ReadableSpan array */
	AC_REC_LANGFUSE,       /* Langfuse API export {trace, observations} */
	AC_REC_LANGFUSE_ROW,   /* Langfuse blob-storage export row (JSONL) */
	AC_REC_JAEGER,         /* Jaeger UI / query API JSON {"data":[...]} */
	AC_REC_TEMPO,          /* Tempo / Grafana download {"batches":[...]} */
	AC_REC_CLICKHOUSE,     /* ClickHouse otel_traces row (JSONEachRow) */
	AC_REC_PROTO,          /* OTLP protobuf ExportTraceServiceRequest */
	AC_REC_LANGFUSE_CSV,   /* Langfuse blob-storage export row (CSV) */
	AC_REC_NKINDS
};

/* "otlp", "flat", "jaeger", ... ("unknown" for anything else). */
const char *ac_rec_kind_name(int kind);

/* Called for every span found, valid or not: sp->err non-empty means the span
 * is rejected (the callback reports and counts it). Return 0 to go on, or a
 * negative code to stop parsing (it is returned by ac_parse_record). */
typedef int (*ac_span_fn)(ac_span *sp, void *payload);

/*
 * Parse one JSON record. *kind receives its AC_REC_* kind.
 * Returns 0; AC_EPARSE / AC_ELIMIT for a malformed record (err->col and
 * err->msg set; no span of it was emitted); AC_EFORMAT for a well-formed
 * record of another kind (logs, metrics, a span dump...), message naming it;
 * or the callback's negative code.
 */
int ac_parse_record(ac_json *j, const char *rec, size_t len, long long line, int *kind,
                    ac_span_fn emit, void *payload, ac_err *err);

/*
 * Langfuse blob-storage export as CSV (fmt_langfuse.c). The reader hands out
 * the header line and then each row as one record (ac_reader_csv); the
 * header's columns are kept in *st (allocated on the first call; free it with
 * ac_csv_rows_free). Each row is rewritten as the JSONL row object and walked
 * like one. Returns 0 (the header: no span), AC_EFORMAT when the header names
 * no id, trace_id and type columns (and for every row after such a header),
 * AC_EPARSE for a malformed row or one whose cell count differs from the
 * header's, AC_ENOMEM, or the callback's negative code.
 */
typedef struct ac_csv_rows ac_csv_rows;
int ac_parse_csv_record(ac_csv_rows **st, ac_json *j, const char *rec, size_t len, long long line,
                        int *kind, ac_span_fn emit, void *payload, ac_err *err);
void ac_csv_rows_free(ac_csv_rows *st);

/* Langfuse id strings as trace / span ids (the rule at the top of
 * fmt_langfuse.c): 0 ok, 1 absent (empty, or all zeros). */
int ac_lf_trace_id(const char *s, size_t n, uint8_t out[16]);
int ac_lf_obs_id(const char *s, size_t n, uint8_t out[8]);

#endif
