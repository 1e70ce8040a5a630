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
 * naming what it is (OTLP logs or metrics, SDK span dumps, Langfuse exports).
 */
#ifndef AC_PARSE_H
#define AC_PARSE_H

#include "../util/hex.h"
#include "json.h"
#include "span.h"

enum { AC_REC_OTLP = 1, AC_REC_FLAT = 2 };

/* Called for every span found, valid or not: sp->err non-empty means the span
 * is rejected (the callback reports and counts it). Return 0 to go on, or a
 * negative code to stop parsing (it is returned by ac_parse_record). */
typedef int (*ac_span_fn)(ac_span *sp, void *payload);

/*
 * Parse one record. *kind receives AC_REC_OTLP or AC_REC_FLAT.
 * Returns 0; AC_EPARSE / AC_ELIMIT for a malformed record (err->col and
 * err->msg set; no span of it was emitted); AC_EFORMAT for a well-formed
 * record of another kind (logs, metrics, a span dump...), message naming it;
 * or the callback's negative code.
 */
int ac_parse_record(ac_json *j, const char *rec, size_t len, long long line, int *kind,
                    ac_span_fn emit, void *payload, ac_err *err);


#endif
