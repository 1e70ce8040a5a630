#!/usr/bin/env bash
# The real files other projects wrote (../shared/fixtures/third_party, see its
# SOURCES.md): every file holding traces ingests, with the LLM calls, tokens
# and models counted by hand below; the rest are refused (exit 1) with a
# message that names what they are and what to do.
#
# Which reader each check needs (src/ingest/fmt_*.c):
#   anyagent_*_trace.json                 fmt_sdk.c, Python SDK span dump {"spans":[...]}
#   openinference_vercel_v6_all_spans.json fmt_sdk.c, JS SDK ReadableSpan array
#   langfuse_*.trace.json                 fmt_langfuse.c, Langfuse API export
#   and the attribute table (src/ingest/attrmap.c) for the Vercel ai.* names
#   and step kinds.
. "$(dirname "$0")/lib.sh"
F=$SHARED/fixtures/third_party
if [ ! -d "$F" ]; then
  echo "t_third_party.sh: skipped: no $F"
  finish
  exit 0
fi

ingests() { # FILE SPANS: the spans counted by hand in the file
  export AGENTCOST_DB="$T/$1.db"
  expect_rc "$1 ingests" 0 ac ingest "$F/$1"
  expect_eq "$1 spans" "$2" "$(sql 'SELECT count(*) FROM span')"
}
ingests otelproto_examples_trace.json 1
ingests jaeger_example_trace.json 5
ingests jaeger_memory_otel_traces_01.json 4
# span dumps of the OpenTelemetry SDKs (Python: any-agent's {"spans":[...]}; JS: an array)
ingests anyagent_OPENAI_trace.json 6
ingests anyagent_LANGCHAIN_trace.json 7
ingests openinference_vercel_v6_all_spans.json 10
ingests jaeger_span_tags_trace.json 1
# uppercase hex ids read as the same bytes
export AGENTCOST_DB="$T/otelproto_examples_trace.json.db"
expect_eq "uppercase ids" "5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174" \
  "$(sql "SELECT lower(hex(t.trace_id)) || ':' || lower(hex(s.span_id)) FROM span s JOIN trace t ON t.id = s.trace")"
export AGENTCOST_DB="$T/jaeger_memory_otel_traces_01.json.db"
expect_eq "status code 2 on all four spans" 4 "$(sql 'SELECT count(*) FROM span WHERE status = 2')"
expect_eq "two traces" 2 "$(sql 'SELECT count(*) FROM task')"

# calls FILE N TOKENS_IN TOKENS_OUT MODELS: the file ingests; its LLM calls
# (span.step = 1, `summary` llm_calls), their token sums and their models
# (comma-separated, sorted) are the figures counted by hand in the file.
calls() {
  export AGENTCOST_DB="$T/$1.db"
  expect_rc "$1 ingests" 0 ac ingest "$F/$1"
  expect_eq "$1 llm calls (summary)" "$2" "$(ac summary --format json | jget .llm_calls)"
  expect_eq "$1 llm calls, tokens in, out" "$2:$3:$4" \
    "$(sql 'SELECT count(*) || ":" || coalesce(sum(tokens_in), 0) || ":" || coalesce(sum(tokens_out), 0) FROM span WHERE step = 1')"
  expect_eq "$1 models" "$5" \
    "$(sql 'SELECT group_concat(name, ",") FROM (SELECT DISTINCT m.name FROM span s JOIN model m ON m.id = s.model WHERE s.step = 1 ORDER BY 1)')"
  # every task's tokens are its calls' tokens (nothing counted twice)
  expect_eq "$1 task tokens" "$3:$4" "$(sql 'SELECT sum(tokens_in) || ":" || sum(tokens_out) FROM task')"
}
# any-agent dumps: the call_llm spans (model + gen_ai.usage.* tokens); the
# invoke_agent span names a model but carries no tokens: not a call.
#   python3 -c 'import json,sys; s=[x["attributes"] for x in json.load(open(sys.argv[1]))["spans"]
#     if "gen_ai.usage.input_tokens" in x["attributes"]]; print(len(s),
#     sum(a["gen_ai.usage.input_tokens"] for a in s), sum(a["gen_ai.usage.output_tokens"] for a in s))'
# OPENAI: 269 + 359 + 392 = 1020 in, 16 + 14 + 46 = 76 out
calls anyagent_OPENAI_trace.json 3 1020 76 "mistral/mistral-small-latest"
# LANGCHAIN: 245 + 331 + 366 + 320 = 1262 in, 16 + 14 + 33 + 62 = 125 out
calls anyagent_LANGCHAIN_trace.json 4 1262 125 "mistral/mistral-small-latest"
# Vercel AI SDK v6 (JS SDK array, 10 spans): only the inner provider calls
# count (ai.operationId ending in .doGenerate, .doStream, .doEmbed); the outer
# ai.generateText / ai.generateObject / ai.streamText / ai.embed spans repeat
# their totals. The file has no parent links, so this is the ai.operationId
# rule, not the rollup rule.
#   doGenerate 14/20, doGenerate 50/9, generateObject.doGenerate 63/156,
#   doStream 15/112 (gen_ai.usage.*), doEmbed 10/0 (ai.usage.tokens)
#   in 14 + 50 + 63 + 15 + 10 = 152, out 20 + 9 + 156 + 112 = 297
#   models: gen_ai.response.model gpt-4o-mini-2024-07-18 on the four text
#   calls; the embedding call has only ai.model.id text-embedding-3-small
calls openinference_vercel_v6_all_spans.json 5 152 297 "gpt-4o-mini-2024-07-18,text-embedding-3-small"
# Langfuse exports: the GENERATION observations; agentcost input = usage
# input + cached + cache creation (these files have input/output/total only):
#   python3 -c 'import json,sys; o=[x["usageDetails"] for x in json.load(open(sys.argv[1]))["observations"]
#     if x["type"] == "GENERATION"]; print(len(o), sum(u["input"] for u in o), sum(u["output"] for u in o))'
# claude-agent: 4 generations, 5 + 5 + 5 + 19 = 34 in, 94 + 56 + 53 + 29 = 232 out
calls langfuse_claude-agent-2025-12-22.trace.json 4 34 232 "claude-sonnet-4-5-20250929"
# microsoft-agent: 2 generations, 77 + 216 = 293 in, 86 + 20 = 106 out (the
# AGENT observation invoke_agent has usage 44/180 of its own: an agent, not a
# call; it is not the sum of the two calls either)
calls langfuse_microsoft-agent-2025-12-17.trace.json 2 293 106 "gpt-5-mini-2025-08-07"

refused() { # FILE REGEX
  export AGENTCOST_DB="$T/refused.db"
  expect_rc "$1 refused" 1 ac ingest "$F/$1"
  expect_grep "$1 message" "$2" "$T/err"
  expect_eq "$1 wrote nothing" 0 "$(sql 'SELECT count(*) FROM span' 2>/dev/null || echo 0)"
}
refused otelproto_examples_logs.json "OTLP logs \(resourceLogs\), not traces"
# bare attribute maps: no ids, no times (agentcost invents neither); the
# message says which keys make it a span
for f in openinference_genai_openinference_client_span_tool_calls.json \
         openinference_genai_otel_genai_client_span_tool_calls.json \
         openinference_genai_otel_genai_deprecated_client_span_tool_calls.json; do
  refused "$f" 'bare attribute map .*"trace_id": 32 hex digits, "span_id": 16 hex digits, "start_time" and "end_time": ISO-8601, "attributes": this object'
  # ... and following it works: one call, 97 in / 52 out (SOURCES.md; the
  # OpenInference map's llm.token_count.prompt/completion, the GenAI maps'
  # gen_ai.usage.input_tokens/output_tokens), model gpt-4-0613 (response model)
  export AGENTCOST_DB="$T/wrapped-$f.db"
  python3 -c 'import json, sys
print(json.dumps({"trace_id": "0123456789abcdef0123456789abcdef", "span_id": "0123456789abcdef",
                  "start_time": "2025-10-01T12:00:00Z", "end_time": "2025-10-01T12:00:02Z",
                  "attributes": json.load(open(sys.argv[1]))}))' "$F/$f" >"$T/wrapped.jsonl"
  expect_rc "$f wrapped ingests" 0 ac ingest "$T/wrapped.jsonl"
  expect_eq "$f wrapped: one call" "1:97:52:gpt-4-0613" \
    "$(sql 'SELECT count(*) || ":" || sum(s.tokens_in) || ":" || sum(s.tokens_out) || ":" || m.name FROM span s JOIN model m ON m.id = s.model WHERE s.step = 1')"
done
refused litellm_model_prices.json "LiteLLM price table"
refused openlit_assets_pricing.json "OpenLIT price table"
finish
