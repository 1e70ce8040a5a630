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
 * naming what it is (OTLP logs or metrics, Langfuse exports, price tables).
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


#endif
