/*
 * OpenTelemetry SDK span dumps: Python ReadableSpan.to_json() objects (one per line, pretty-printed one after another, or {"spans":[...]}) and JS SDK ReadableSpan arrays.
 * (Not written yet: detects nothing.)
 */
#include "pjson.h"

static int sdk_py_detect(ac_json *j, int root)
{
	(void)j;
	(void)root;
	return 0;
}

static int sdk_py_walk(ac_pctx *c, int root)
{
	(void)c;
	(void)root;
	return 0;
}

const ac_json_format ac_fmt_sdk_py = { AC_REC_SDK_PY, sdk_py_detect, sdk_py_walk };

static int sdk_js_detect(ac_json *j, int root)
{
	(void)j;
	(void)root;
	return 0;
}

static int sdk_js_walk(ac_pctx *c, int root)
{
	(void)c;
	(void)root;
	return 0;
}

const ac_json_format ac_fmt_sdk_js = { AC_REC_SDK_JS, sdk_js_detect, sdk_js_walk };

