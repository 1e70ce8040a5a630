/*
 * One attribute's value out of a stored original: the JSON text of a span
 * (OTLP, flat JSONL, Langfuse, Jaeger, ...) or of an OTLP resource, for the
 * dimensions nobody declared in advance (`--by attr:KEY`, src/analysis/dims.c).
 *
 * The search knows the shapes attributes take in these formats, not the
 * formats themselves:
 *   - a key/value pair object: {"key": KEY, "value": {"stringValue": ...}}
 *     (OTLP AnyValue: string, int, double or bool) or {"key": KEY, "value": 42}
 *     (Jaeger tags);
 *   - an object member named KEY with a scalar value (flat attribute maps).
 * The span's own attributes come first: members named "resource" are
 * searched only when nothing else has the key, and "events" and "links"
 * (whose attributes are not the span's) never, nor the record's own
 * structure at its top level (name, kind, status, ids, times: span_field). The first match in document
 * order wins. Text is hostile: nesting deeper than 64 levels or malformed
 * JSON stops the search (no match), never reads past n.
 */
#ifndef AC_JSONATTR_H
#define AC_JSONATTR_H

#include <stddef.h>

/* 1 and the value's text in out (a JSON string decoded; a number or a bool
 * as written; truncated to cap - 1 bytes, NUL-terminated) when js[0..n) has
 * attribute key with a non-empty scalar value; else 0. */
int ac_json_attr_find(const char *js, size_t n, const char *key, char *out, size_t cap);

/* A span's value of attribute key: from its own text (raw, may be empty),
 * else from its resource's (res, may be empty). The one rule for attr:KEY,
 * whether read at query time, at promotion or by ingest. */
int ac_json_attr_span(const char *raw, size_t rn, const char *res, size_t resn, const char *key,
                      char *out, size_t cap);

#endif