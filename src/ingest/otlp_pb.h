/*
 * OTLP protobuf records: a hand-written wire decoder for the binary encoding
 * of ExportTraceServiceRequest / TracesData (the OpenTelemetry Collector file
 * exporter's `format: proto`, SDK dumps saved as .pb / .binpb). The reader
 * (reader.h) cuts the file into messages and flags them (ac_record.proto);
 * ingest hands each one here instead of to the JSON parsers (parse.h).
 *
 * Field numbers (opentelemetry-proto, trace.proto / common.proto):
 *   ExportTraceServiceRequest / TracesData { repeated ResourceSpans resource_spans = 1; }
 *   ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2;
 *                   repeated InstrumentationLibrarySpans instrumentation_library_spans = 1000 (old) }
 *   Resource      { repeated KeyValue attributes = 1; }
 *   ScopeSpans    { InstrumentationScope scope = 1; repeated Span spans = 2; }
 *   Span          { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4;
 *                   string name = 5; SpanKind kind = 6; fixed64 start_time_unix_nano = 7;
 *                   fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
 *                   Status status = 15 { string message = 2; StatusCode code = 3; } }
 *   KeyValue      { string key = 1; AnyValue value = 2; }
 *   AnyValue      { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
 *                   double double_value = 4; ArrayValue array_value = 5;
 *                   KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
 */
#ifndef AC_OTLP_PB_H
#define AC_OTLP_PB_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/err.h"
#include "parse.h"

/*
 * Decode one ExportTraceServiceRequest / TracesData message p[0, n).
 * line is the message number (for diagnostics and sp->line); data_off the
 * byte offset of p[0] in the file or decompressed stream, or -1 when p is the
 * decompressed content of one framed message (positions are then given
 * within the message). *kind receives AC_REC_PROTO.
 *
 * The message's structure down to the spans (every tag, varint and length of
 * the request, ResourceSpans and ScopeSpans levels) is checked first: when it
 * is broken nothing is emitted and AC_EPARSE is returned, err->msg saying
 * "byte N: reason". A problem inside one span (or its attributes) rejects
 * that span alone (sp->err); a problem in a resource's attributes rejects the
 * spans under it. String values point into p: valid until p goes away.
 * Returns 0, AC_EPARSE, AC_EFORMAT (OTLP logs or metrics, told by the first
 * record's field types; nothing emitted), or the callback's negative code.
 */
int ac_pb_parse_record(const uint8_t *p, size_t n, long long line, long long data_off, int *kind,
                       ac_span_fn emit, void *payload, ac_err *err);

/*
 * Render a Span message p[0, n) (what ac_span.raw holds for a protobuf span)
 * as one line of OTLP JSON into out: the fields of trace.proto's Span with
 * hex ids, decimal-string times, AnyValue attributes (nested arrays and
 * kvlists, base64 bytes), events, links and status; unknown fields are shown
 * as "field<N>". Returns 0, or -1 when p is not a well-formed Span with a
 * 16-byte trace_id and an 8-byte span_id (out then holds nothing useful).
 */
int ac_pb_span_json(ac_buf *out, const uint8_t *p, size_t n);

#endif
