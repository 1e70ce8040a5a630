/*
 * Tempo / Grafana "download trace" JSON: OTLP under {"batches":[...]} with base64 or hex ids.
 * (Not written yet: detects nothing.)
 */
#include "pjson.h"

static int tempo_detect(ac_json *j, int root)
{
	(void)j;
	(void)root;
	return 0;
}

static int tempo_walk(ac_pctx *c, int root)
{
	(void)c;
	(void)root;
	return 0;
}

const ac_json_format ac_fmt_tempo = { AC_REC_TEMPO, tempo_detect, tempo_walk };

