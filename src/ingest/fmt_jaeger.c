/*
 * Jaeger UI / query API JSON: {"data":[{traceID, spans, processes}]}.
 * (Not written yet: detects nothing.)
 */
#include "pjson.h"

static int jaeger_detect(ac_json *j, int root)
{
	(void)j;
	(void)root;
	return 0;
}

static int jaeger_walk(ac_pctx *c, int root)
{
	(void)c;
	(void)root;
	return 0;
}

const ac_json_format ac_fmt_jaeger = { AC_REC_JAEGER, jaeger_detect, jaeger_walk };

