# Deterministic trace generator for the robustness tests, independent of
# agentcost: N traces, each a copy of the doc-agent trace of
# testdata/ingest/basic.jsonl line 1 under a new trace id, one second apart.
# Per trace, by hand: gpt-4o-mini 1000/200 = 0.00027, claude-3-5-sonnet with
# cache = 0.008175, an unpriced tool; 0.008445 per trace, 4 spans, 2 LLM calls.
# Usage: awk -v n=N -v fmt=otlp|flat -f gen_traces.awk
BEGIN {
  t0 = 1748779200
  for (i = 1; i <= n; i++) {
    tid = sprintf("%08x%08x%08x%08x", 1, i, 2, i)
    st = t0 + i
    if (fmt == "flat") {
      printf "{\"trace_id\":\"%s\",\"span_id\":\"%016x\",\"name\":\"invoke_agent doc\",\"start_time_unix_nano\":%d000000000,\"end_time_unix_nano\":%d000000000,\"attributes\":{\"gen_ai.operation.name\":\"invoke_agent\",\"agentcost.task.type\":\"extract\"},\"resource\":{\"service.name\":\"doc-agent\"}}\n", tid, 4 * i, st, st + 60
      printf "{\"trace_id\":\"%s\",\"span_id\":\"%016x\",\"parent_span_id\":\"%016x\",\"name\":\"chat gpt-4o-mini\",\"start_time_unix_nano\":%d000000000,\"end_time_unix_nano\":%d000000000,\"status\":\"OK\",\"attributes\":{\"gen_ai.operation.name\":\"chat\",\"gen_ai.request.model\":\"gpt-4o-mini\",\"gen_ai.usage.input_tokens\":1000,\"gen_ai.usage.output_tokens\":200},\"resource\":{\"service.name\":\"doc-agent\"}}\n", tid, 4 * i + 1, 4 * i, st + 1, st + 2
      printf "{\"trace_id\":\"%s\",\"span_id\":\"%016x\",\"parent_span_id\":\"%016x\",\"name\":\"chat claude\",\"start_time_unix_nano\":%d000000000,\"end_time_unix_nano\":%d000000000,\"attributes\":{\"gen_ai.operation.name\":\"chat\",\"gen_ai.request.model\":\"claude-3-5-sonnet-20241022\",\"gen_ai.usage.input_tokens\":2000,\"gen_ai.usage.cache_read.input_tokens\":1000,\"gen_ai.usage.cache_creation.input_tokens\":500,\"gen_ai.usage.output_tokens\":300},\"resource\":{\"service.name\":\"doc-agent\"}}\n", tid, 4 * i + 2, 4 * i, st + 3, st + 9
      printf "{\"trace_id\":\"%s\",\"span_id\":\"%016x\",\"parent_span_id\":\"%016x\",\"name\":\"execute_tool web_search\",\"start_time_unix_nano\":%d000000000,\"end_time_unix_nano\":%d000000000,\"status\":\"ERROR\",\"attributes\":{\"gen_ai.operation.name\":\"execute_tool\",\"gen_ai.tool.name\":\"web_search\"},\"resource\":{\"service.name\":\"doc-agent\"}}\n", tid, 4 * i + 3, 4 * i, st + 10, st + 11
    } else {
      printf "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"doc-agent\"}}]},\"scopeSpans\":[{\"spans\":["
      printf "{\"traceId\":\"%s\",\"spanId\":\"%016x\",\"name\":\"invoke_agent doc\",\"startTimeUnixNano\":\"%d000000000\",\"endTimeUnixNano\":\"%d000000000\",\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"invoke_agent\"}},{\"key\":\"agentcost.task.type\",\"value\":{\"stringValue\":\"extract\"}}]},", tid, 4 * i, st, st + 60
      printf "{\"traceId\":\"%s\",\"spanId\":\"%016x\",\"parentSpanId\":\"%016x\",\"name\":\"chat gpt-4o-mini\",\"startTimeUnixNano\":\"%d000000000\",\"endTimeUnixNano\":\"%d000000000\",\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}},{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o-mini\"}},{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"1000\"}},{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\"200\"}}],\"status\":{\"code\":1}},", tid, 4 * i + 1, 4 * i, st + 1, st + 2
      printf "{\"traceId\":\"%s\",\"spanId\":\"%016x\",\"parentSpanId\":\"%016x\",\"name\":\"chat claude\",\"startTimeUnixNano\":\"%d000000000\",\"endTimeUnixNano\":\"%d000000000\",\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}},{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"claude-3-5-sonnet-20241022\"}},{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"2000\"}},{\"key\":\"gen_ai.usage.cache_read.input_tokens\",\"value\":{\"intValue\":\"1000\"}},{\"key\":\"gen_ai.usage.cache_creation.input_tokens\",\"value\":{\"intValue\":\"500\"}},{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\"300\"}}]},", tid, 4 * i + 2, 4 * i, st + 3, st + 9
      printf "{\"traceId\":\"%s\",\"spanId\":\"%016x\",\"parentSpanId\":\"%016x\",\"name\":\"execute_tool web_search\",\"startTimeUnixNano\":\"%d000000000\",\"endTimeUnixNano\":\"%d000000000\",\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"execute_tool\"}},{\"key\":\"gen_ai.tool.name\",\"value\":{\"stringValue\":\"web_search\"}}],\"status\":{\"code\":2}}", tid, 4 * i + 3, 4 * i, st + 10, st + 11
      printf "]}]}]}\n"
    }
  }
}
