/*
 * Tempo / Grafana "download trace" JSON: OTLP JSON whose resourceSpans list is
 * named "batches" (Tempo's v1 API and Grafana's download button):
 *
 *   {"batches":[{"resource":{..},"scopeSpans"|"instrumentationLibrarySpans":[{"spans":[..]}]}]}
 *
 * also {"trace":{"batches"|"resourceSpans":[..]}} (Tempo's v2 API). Each batch
 * is read by the OTLP walker (otlp.c), so ids may be hex or base64 (decided
 * by length, see ac_pj_parse_id_any), enums may be names (STATUS_CODE_ERROR)
 * and int64 values strings.
 */
#include "pjson.h"

/* The list of batches: root.batches or root.trace.{batches,resourceSpans}; -1. */
static int batches(ac_json *j, int root, const char **key)
{
	if (ac_json_type(j, root) != JSMN_OBJECT)
		return -1;
	int b = ac_pj_find_key(j, root, "batches", NULL);
	*key = "batches";
	if (b >= 0)
		return b;
	int tr = ac_pj_find_key(j, root, "trace", NULL);
	if (tr < 0 || ac_json_type(j, tr) != JSMN_OBJECT)
		return -1;
	b = ac_pj_find_key(j, tr, "batches", NULL);
	if (b < 0) {
		b = ac_pj_find_key(j, tr, "resourceSpans", NULL);
		*key = "resourceSpans";
	}
	return b;
}

static int tempo_detect(ac_json *j, int root)
{
	const char *key;
	int b = batches(j, root, &key);
	return b >= 0 && ac_json_type(j, b) == JSMN_ARRAY;
}

static int tempo_walk(ac_pctx *c, int root)
{
	const char *key;
	int b = batches(c->j, root, &key);
	return ac_pj_walk_resource_spans(c, b, key);
}

const ac_json_format ac_fmt_tempo = { AC_REC_TEMPO, tempo_detect, tempo_walk };
