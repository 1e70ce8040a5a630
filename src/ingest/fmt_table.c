/*
 * The JSON trace formats besides OTLP JSON and flat spans, in the order their
 * detectors are tried (each looks for keys no other format has at its root).
 */
#include "pjson.h"

extern const ac_json_format ac_fmt_sdk_py, ac_fmt_sdk_js, ac_fmt_jaeger, ac_fmt_tempo,
	ac_fmt_langfuse, ac_fmt_langfuse_row, ac_fmt_clickhouse;

const ac_json_format *const ac_json_formats[] = {
	&ac_fmt_tempo, &ac_fmt_jaeger, &ac_fmt_langfuse, &ac_fmt_langfuse_row,
	&ac_fmt_clickhouse, &ac_fmt_sdk_py, &ac_fmt_sdk_js,
};

const unsigned ac_json_nformats = sizeof(ac_json_formats) / sizeof(ac_json_formats[0]);
