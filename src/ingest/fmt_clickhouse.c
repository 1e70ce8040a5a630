/*
 * ClickHouse otel_traces rows (the Collector's clickhouseexporter) exported as JSONEachRow.
 * (Not written yet: detects nothing.)
 */
#include "pjson.h"

static int clickhouse_detect(ac_json *j, int root)
{
	(void)j;
	(void)root;
	return 0;
}

static int clickhouse_walk(ac_pctx *c, int root)
{
	(void)c;
	(void)root;
	return 0;
}

const ac_json_format ac_fmt_clickhouse = { AC_REC_CLICKHOUSE, clickhouse_detect, clickhouse_walk };

