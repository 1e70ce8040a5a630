/*
 * Langfuse exports: the API export {trace, observations} and blob-storage export rows (JSONL).
 * (Not written yet: detects nothing.)
 */
#include "pjson.h"

static int langfuse_detect(ac_json *j, int root)
{
	(void)j;
	(void)root;
	return 0;
}

static int langfuse_walk(ac_pctx *c, int root)
{
	(void)c;
	(void)root;
	return 0;
}

const ac_json_format ac_fmt_langfuse = { AC_REC_LANGFUSE, langfuse_detect, langfuse_walk };

static int langfuse_row_detect(ac_json *j, int root)
{
	(void)j;
	(void)root;
	return 0;
}

static int langfuse_row_walk(ac_pctx *c, int root)
{
	(void)c;
	(void)root;
	return 0;
}

const ac_json_format ac_fmt_langfuse_row = { AC_REC_LANGFUSE_ROW, langfuse_row_detect, langfuse_row_walk };

