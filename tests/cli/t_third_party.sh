#!/usr/bin/env bash
# The real files other projects wrote (../shared/fixtures/third_party, see its
# SOURCES.md): the OTLP trace files and SDK span dumps ingest with every span; the rest are
# refused (exit 1) with a message that names what they are.
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

refused() { # FILE REGEX
  export AGENTCOST_DB="$T/refused.db"
  expect_rc "$1 refused" 1 ac ingest "$F/$1"
  expect_grep "$1 message" "$2" "$T/err"
  expect_eq "$1 wrote nothing" 0 "$(sql 'SELECT count(*) FROM span' 2>/dev/null || echo 0)"
}
refused otelproto_examples_logs.json "OTLP logs \(resourceLogs\), not traces"
refused langfuse_claude-agent-2025-12-22.trace.json "Langfuse trace export"
refused langfuse_microsoft-agent-2025-12-17.trace.json "Langfuse trace export"
refused openinference_genai_openinference_client_span_tool_calls.json "bare attribute map"
refused openinference_genai_otel_genai_client_span_tool_calls.json "bare attribute map"
refused openinference_genai_otel_genai_deprecated_client_span_tool_calls.json "bare attribute map"
refused litellm_model_prices.json "LiteLLM price table"
refused openlit_assets_pricing.json "OpenLIT price table"
finish
