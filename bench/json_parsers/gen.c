/*
 * Generate OTLP JSON lines as the OpenTelemetry Collector file exporter writes
 * them: one ExportTraceServiceRequest per line, one resource, one scope,
 * SPANS_PER_LINE GenAI spans of ~1 KB with 15 attributes each (ids in lower
 * hex, int64 as strings, Go's HTML-safe escapes \u003c \u003e \u0026, raw
 * UTF-8). Deterministic for a given seed.
 * Usage: gen OUT_FILE MEGABYTES [SEED]
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPANS_PER_LINE 50

static uint64_t rng;

static uint64_t next(void) /* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rnd(unsigned n)
{
	return (unsigned)(next() % n);
}

#define PICK(a) (a[rnd(sizeof(a) / sizeof(a[0]))])

static void hex(char *out, int bytes)
{
	static const char d[] = "0123456789abcdef";
	for (int i = 0; i < bytes; i++) {
		unsigned b = rnd(256);
		out[2 * i] = d[b >> 4];
		out[2 * i + 1] = d[b & 15];
	}
	out[2 * bytes] = 0;
}

static const char *services[] = { "support-agent", "research-agent", "billing-bot", "code-review" };
static const char *models[][2] = { { "openai", "gpt-4o-mini" },       { "openai", "gpt-4.1" },
	                           { "anthropic", "claude-sonnet-4" }, { "anthropic", "claude-3-5-haiku" },
	                           { "aws.bedrock", "amazon.nova-pro-v1:0" } };
static const char *tools[] = { "get_weather", "search_docs", "lookup_order", "run_sql", "send_email" };
static const char *words[] = { "the",     "order",  "refund",  "invoice", "customer", "please",
	                       "check",   "status", "café",    "naïve",   "résumé",   "<b>bold</b>",
	                       "a & b",   "x > y",  "tokens",  "agent",   "latency",  "—",
	                       "budget",  "retry",  "weather", "Zürich",  "price",    "🙂" };
static const char *finish[] = { "stop", "length", "tool_calls" };

/* Append s to o as the body of a JSON string, escaped like Go's encoder. */
static char *esc(char *o, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n') {
			o = stpcpy(o, "\\n");
		} else if (c == '<' || c == '>' || c == '&') {
			o += sprintf(o, "\\u%04x", c);
		} else {
			*o++ = (char)c;
		}
	}
	*o = 0;
	return o;
}

/* gen_ai.input.messages: a JSON document (attr_s escapes it into a string). */
static void messages(char *doc)
{
	char *d = doc;
	int nmsg = 2 + (rnd(4) == 0);
	d += sprintf(d, "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":"
	                "\"You are a helpful agent.\\nBe brief.\"}]}");
	for (int m = 1; m < nmsg; m++) {
		d += sprintf(d, ",{\"role\":\"%s\",\"parts\":[{\"type\":\"text\",\"content\":\"",
		             m % 2 ? "user" : "assistant");
		int nw = 6 + (int)rnd(19);
		for (int w = 0; w < nw; w++)
			d += sprintf(d, "%s%s", w ? (rnd(12) ? " " : "\\n") : "", PICK(words));
		d += sprintf(d, "\"}]}");
	}
	strcpy(d, "]");
}

static char *attr_s(char *o, const char *k, const char *v)
{
	o += sprintf(o, "{\"key\":\"%s\",\"value\":{\"stringValue\":\"", k);
	o = esc(o, v);
	return stpcpy(o, "\"}},");
}

static char *attr_i(char *o, const char *k, long long v)
{
	return o + sprintf(o, "{\"key\":\"%s\",\"value\":{\"intValue\":\"%lld\"}},", k, v);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s OUT_FILE MEGABYTES [SEED]\n", argv[0]);
		return 1;
	}
	FILE *f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	uint64_t target = strtoull(argv[2], NULL, 10) * 1000000ULL, written = 0;
	rng = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
	static char line[SPANS_PER_LINE * 4096 + 4096], msg[8192];
	uint64_t t = 1767225600000000000ULL; /* 2026-01-01 */
	char trace[33] = "", root[17] = "";
	while (written < target) {
		const char *svc = PICK(services);
		char *o = line;
		o += sprintf(o, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
		o = attr_s(o, "service.name", svc);
		o = attr_s(o, "service.version", "1.4.2");
		o = attr_s(o, "deployment.environment.name", "prod");
		o = attr_s(o, "telemetry.sdk.language", "python");
		o = attr_s(o, "telemetry.sdk.name", "opentelemetry");
		o = attr_s(o, "telemetry.sdk.version", "1.38.0");
		o[-1] = ']';
		o += sprintf(o, "},\"scopeSpans\":[{\"scope\":{\"name\":\"opentelemetry.instrumentation."
		                "openai_v2\",\"version\":\"2.1b0\"},\"spans\":[");
		for (int s = 0; s < SPANS_PER_LINE; s++) {
			int first = s % 10 == 0; /* 5 traces of 10 spans per line */
			char sid[17];
			hex(sid, 8);
			if (first) {
				hex(trace, 16);
				memcpy(root, sid, sizeof sid);
			}
			int tool = !first && rnd(3) == 0;
			unsigned mi = rnd(5);
			const char *prov = models[mi][0], *model = models[mi][1], *tn = PICK(tools);
			uint64_t start = (t += 1000000ULL * (1 + rnd(900))), end = start + 1000000ULL * (5 + rnd(8000));
			int status = rnd(20) == 0 ? 2 : rnd(2);
			char name[96];
			if (first)
				sprintf(name, "invoke_agent %s", svc);
			else if (tool)
				sprintf(name, "execute_tool %s", tn);
			else
				sprintf(name, "chat %s", model);
			o += sprintf(o, "{\"traceId\":\"%s\",\"spanId\":\"%s\",", trace, sid);
			if (!first)
				o += sprintf(o, "\"parentSpanId\":\"%s\",", root);
			o += sprintf(o, "\"flags\":256,\"name\":\"%s\",\"kind\":%d,\"startTimeUnixNano\":\"%" PRIu64
			                "\",\"endTimeUnixNano\":\"%" PRIu64 "\",\"attributes\":[",
			             name, tool || first ? 1 : 3, start, end);
			char id[40];
			o = attr_s(o, "gen_ai.operation.name", first ? "invoke_agent" : tool ? "execute_tool" : "chat");
			o = attr_s(o, "gen_ai.provider.name", prov);
			o = attr_s(o, "gen_ai.request.model", model);
			o = attr_s(o, "gen_ai.response.model", model);
			hex(id, 12);
			o = attr_s(o, "gen_ai.conversation.id", id);
			o = attr_s(o, "gen_ai.agent.name", svc);
			if (tool) {
				o = attr_s(o, "gen_ai.tool.name", tn);
				hex(id, 8);
				o = attr_s(o, "gen_ai.tool.call.id", id);
				o = attr_s(o, "gen_ai.tool.type", "function");
				o = attr_i(o, "gen_ai.usage.input_tokens", 0);
				o = attr_i(o, "gen_ai.usage.output_tokens", 0);
				o = attr_s(o, "gen_ai.tool.call.arguments", "{\"query\":\"order 1234 & <refund>\"}");
			} else {
				hex(id, 12);
				o = attr_s(o, "gen_ai.response.id", id);
				long long in = 50 + rnd(20000);
				o = attr_i(o, "gen_ai.usage.input_tokens", in);
				o = attr_i(o, "gen_ai.usage.output_tokens", 10 + rnd(2000));
				o = attr_i(o, "gen_ai.usage.cache_read.input_tokens", rnd(2) ? (long long)rnd((unsigned)in) : 0);
			}
			o = attr_i(o, "gen_ai.request.max_tokens", 4096);
			o += sprintf(o, "{\"key\":\"gen_ai.request.temperature\",\"value\":{\"doubleValue\":%.1f}},",
			             rnd(11) / 10.0);
			o += sprintf(o, "{\"key\":\"gen_ai.response.finish_reasons\",\"value\":{\"arrayValue\":"
			                "{\"values\":[{\"stringValue\":\"%s\"}]}}},", PICK(finish));
			messages(msg);
			o = attr_s(o, "gen_ai.input.messages", msg);
			o[-1] = ']';
			if (status == 2)
				o += sprintf(o, ",\"status\":{\"message\":\"rate limited\",\"code\":2}},");
			else if (status == 1)
				o += sprintf(o, ",\"status\":{\"code\":1}},");
			else
				o += sprintf(o, ",\"status\":{}},");
		}
		o[-1] = ']';
		o += sprintf(o, "}],\"schemaUrl\":\"https://opentelemetry.io/schemas/1.26.0\"}]}\n");
		fwrite(line, 1, (size_t)(o - line), f);
		written += (uint64_t)(o - line);
	}
	if (fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
