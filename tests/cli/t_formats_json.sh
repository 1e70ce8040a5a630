#!/usr/bin/env bash
# The JSON trace formats besides OTLP and flat spans: OpenTelemetry Python SDK
# span dumps, JS SDK span arrays, Jaeger JSON, Tempo batches and ClickHouse
# otel_traces rows. Each holds the eight spans of testdata/ingest/basic.jsonl
# (hand costs in basic.costs.md) and must give the same totals plain, as a
# native zstd stream, in the [u32 length][zstd frame] framing (a whole
# document per frame for the one-document formats), and from standard input;
# ingesting a file twice counts nothing twice. Each format also has a small
# file of LLM calls whose calls, tokens and cost are computed by hand in
# testdata/ingest/<format>.costs.md.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/ingest

check() { # NAME FILE|- [ingest options...]
  local name=$1 file=$2
  shift 2
  export AGENTCOST_DB="$T/$name.db"
  if [ "$file" = - ]; then
    expect_rc "$name: ingest" 0 ac ingest "$@" - <"$T/stdin"
  else
    expect_rc "$name: ingest" 0 ac ingest "$@" "$file"
  fi
  ac summary --format json >"$T/$name.json"
  expect_eq "$name: spans" 8 "$(jget .spans <"$T/$name.json")"
  expect_eq "$name: traces" 2 "$(jget .traces <"$T/$name.json")"
  expect_eq "$name: llm calls" 6 "$(jget .llm_calls <"$T/$name.json")"
  expect_eq "$name: tool calls" 1 "$(jget .tool_calls <"$T/$name.json")"
  expect_close "$name: cost (hand: 0.048645)" 0.048645 "$(jget .cost_total <"$T/$name.json")" 1e-12
  expect_eq "$name: unpriced" 2 "$(jget .unpriced_spans <"$T/$name.json")"
  expect_eq "$name: error spans" 1 "$(sql 'SELECT count(*) FROM span WHERE status = 2')"
  expect_eq "$name: error span is the tool" 00f067aa0ba902b9 \
    "$(sql 'SELECT lower(hex(span_id)) FROM span WHERE status = 2')"
  expect_eq "$name: ok span" 00f067aa0ba902b7 "$(sql 'SELECT lower(hex(span_id)) FROM span WHERE status = 1')"
  expect_eq "$name: roots" "53995c3f42cd8ad8 b7ad6b7169203331" \
    "$(sql 'SELECT lower(hex(span_id)) FROM span WHERE parent_span_id IS NULL ORDER BY 1' | tr '\n' ' ' | sed 's/ $//')"
  expect_eq "$name: parent of the sonnet call" b7ad6b7169203331 \
    "$(sql "SELECT lower(hex(parent_span_id)) FROM span WHERE span_id = x'00f067aa0ba902b8'")"
  expect_eq "$name: times of the sonnet call (ns)" "1748779203000000000|1748779209000000000" \
    "$(sql "SELECT start_ns, end_ns FROM span WHERE span_id = x'00f067aa0ba902b8'")"
  expect_eq "$name: services" "doc-agent|4 support-bot|4" \
    "$(sql 'SELECT v.name, count(*) FROM span s JOIN service v ON v.id = s.service GROUP BY 1 ORDER BY 1' |
       tr '\n' ' ' | sed 's/ $//')"
  expect_eq "$name: trace ids" "0af7651916cd43dd8448eb211c80319c 4bf92f3577b34da6a3ce929d0e0e4736" \
    "$(sql 'SELECT lower(hex(trace_id)) FROM trace ORDER BY 1' | tr '\n' ' ' | sed 's/ $//')"
}

# frame FILE OUT: one zstd frame per line of FILE, each behind its u32 big-endian length
frame() {
  : >"$2"
  while IFS= read -r line; do
    printf '%s' "$line" | zstd -q -c >"$T/frame"
    n=$(stat -c %s "$T/frame")
    printf "\\x$(printf %02x $((n >> 24 & 255)))\\x$(printf %02x $((n >> 16 & 255)))\\x$(printf %02x $((n >> 8 & 255)))\\x$(printf %02x $((n & 255)))" >>"$2"
    cat "$T/frame" >>"$2"
  done <"$1"
}

# every form of one format: FMT FILE KIND (the ledger's file.format)
forms() {
  local fmt=$1 file=$2 kind=$3
  check "$fmt" "$file"
  expect_eq "$fmt: format recorded" "$kind" "$(sql 'SELECT format FROM file')"
  # the same file again adds nothing
  expect_rc "$fmt: re-ingest" 0 ac ingest "$file"
  expect_eq "$fmt: re-ingest adds no span" 8 "$(ac summary --format json | jget .spans)"
  expect_close "$fmt: re-ingest cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12
  # the same spans as OTLP JSON lines add nothing either
  expect_rc "$fmt: then OTLP" 0 ac ingest "$D/basic.jsonl"
  expect_eq "$fmt: OTLP adds no span" 8 "$(ac summary --format json | jget .spans)"

  zstd -q -c "$file" >"$T/$fmt.zst"
  check "$fmt-zstd" "$T/$fmt.zst"
  # the framing carries one record per frame: lines, or the whole document in one line
  case $file in
  *.jsonl) cp "$file" "$T/$fmt.records" ;;
  *) jq -c . "$file" >"$T/$fmt.records" ;;
  esac
  frame "$T/$fmt.records" "$T/$fmt.framed"
  check "$fmt-framed" "$T/$fmt.framed"
  expect_eq "$fmt-framed: container recorded" "zstd-framed" "$(sql 'SELECT container FROM file')"
  zstd -q -c "$file" >"$T/stdin"
  check "$fmt-stdin" -
}

forms otel-sdk-python "$D/basic.otelpy.jsonl" otel-sdk-python
forms otel-sdk-js "$D/basic.oteljs.json" otel-sdk-js
forms jaeger "$D/basic.jaeger.json" jaeger
forms tempo "$D/basic.tempo.json" tempo
forms clickhouse "$D/basic.clickhouse.jsonl" clickhouse

# Python dumps pretty-printed one after another (ConsoleSpanExporter), and as {"spans":[...]}
jq . "$D/basic.otelpy.jsonl" >"$T/py-pretty.json"
check py-pretty "$T/py-pretty.json"
jq -s '{spans: .}' "$D/basic.otelpy.jsonl" >"$T/py-wrapped.json"
check py-wrapped "$T/py-wrapped.json"
# the root span printed at start (end_time null) and at end: the ended record counts
expect_eq "python: root printed twice in the file" 2 "$(grep -c '"0xb7ad6b7169203331", "trace_state"' "$D/basic.otelpy.jsonl")"
export AGENTCOST_DB="$T/py-pretty.db"
expect_eq "python: root has its end time" 1748779260000000000 \
  "$(sql "SELECT end_ns FROM span WHERE span_id = x'b7ad6b7169203331'")"

# Tempo's ids may be base64 or hex (decided by length): the file mixes both
expect_grep "tempo file has a base64 and a hex id" '"spanId": "53995c3f42cd8ada"' "$D/basic.tempo.json"
# plain OTLP JSON with base64 ids reads the same
jq -c '{resourceSpans: .batches}' "$D/basic.tempo.json" >"$T/otlp-b64.json"
check otlp-base64 "$T/otlp-b64.json"

# Small files of LLM calls, expected values computed by hand in <format>.costs.md
calls() { # FILE SPANS TRACES LLM TOOL TOKENS_IN TOKENS_OUT COST ERRORS
  local f=$1
  export AGENTCOST_DB="$T/calls-$(basename "$f").db"
  expect_rc "$f: ingest" 0 ac ingest "$D/$f"
  ac summary --format json >"$T/calls.json"
  expect_eq "$f: spans" "$2" "$(jget .spans <"$T/calls.json")"
  expect_eq "$f: traces" "$3" "$(jget .traces <"$T/calls.json")"
  expect_eq "$f: llm calls" "$4" "$(jget .llm_calls <"$T/calls.json")"
  expect_eq "$f: tool calls" "$5" "$(jget .tool_calls <"$T/calls.json")"
  expect_eq "$f: tokens" "$6|$7" "$(sql 'SELECT sum(tokens_in), sum(tokens_out) FROM span WHERE step = 1')"
  expect_close "$f: cost" "$8" "$(jget .cost_total <"$T/calls.json")" 1e-12
  expect_eq "$f: error spans" "$9" "$(sql 'SELECT count(*) FROM span WHERE status = 2')"
}
calls calls.otelpy.json 5 1 3 1 7000 1500 0.0102 1
expect_eq "python: decimal ids" "00000000000003ed|00000000000003e9" \
  "$(sql "SELECT lower(hex(span_id)), lower(hex(parent_span_id)) FROM span WHERE status = 2")"
calls calls.oteljs.json 3 2 3 0 16000 3500 0.0177 0
expect_eq "js: duration gives the end" 1751461207250000000 \
  "$(sql "SELECT end_ns FROM span WHERE span_id = x'1a2b3c4d5e6f7082'")"
cp "$D/calls.oteljs.json" "$T/again.json"
expect_rc "js: derived ids are stable" 0 ac ingest "$T/again.json"
expect_eq "js: derived ids are stable: no new span" 3 "$(ac summary --format json | jget .spans)"
calls calls.jaeger.json 4 1 3 0 6000 1800 0.0231 1
expect_eq "jaeger: 64-bit trace id padded" 00000000000000005e6f708192a3b4c5 "$(sql 'SELECT lower(hex(trace_id)) FROM trace')"
expect_eq "jaeger: FOLLOWS_FROM parent" 00000000000000a2 \
  "$(sql "SELECT lower(hex(parent_span_id)) FROM span WHERE span_id = x'00000000000000a3'")"
expect_eq "jaeger: µs times" "1751547608000000000|1751547609500000000" \
  "$(sql "SELECT start_ns, end_ns FROM span WHERE span_id = x'00000000000000a4'")"
calls calls.tempo.json 3 1 3 0 34000 6800 0.0294 1
expect_eq "tempo: base64 ids" "0011223344556677 0011223344556678 0011223344556679" \
  "$(sql 'SELECT lower(hex(span_id)) FROM span ORDER BY 1' | tr '\n' ' ' | sed 's/ $//')"
calls calls.clickhouse.jsonl 3 1 3 0 11000 2500 0.0082 1
expect_eq "clickhouse: times" "1751707800250000000|1751707801000000000" \
  "$(sql "SELECT start_ns, end_ns FROM span WHERE span_id = x'c0ffee0000000001'")"

# A bad span among good ones: reported as file:line, the others kept
export AGENTCOST_DB="$T/bad.db"
sed '3s/"SpanId":"00f067aa0ba902b8"/"SpanId":"00f067aa0ba902zz"/' "$D/basic.clickhouse.jsonl" >"$T/bad.jsonl"
expect_rc "clickhouse bad id: ingest (some skipped: 3)" 3 ac ingest "$T/bad.jsonl"
expect_grep "clickhouse bad id: file:line reason" "bad.jsonl:3: .*SpanId is not 16 hex digits" "$T/err"
expect_eq "clickhouse bad id: the rest kept" 7 "$(sql 'SELECT count(*) FROM span')"
export AGENTCOST_DB="$T/bad-jaeger.db"
sed 's/"startTime": 1748779210000000,/"startTime": "soon",/' "$D/basic.jaeger.json" >"$T/bad-jaeger.json"
expect_rc "jaeger bad time: ingest (some skipped: 3)" 3 ac ingest "$T/bad-jaeger.json"
expect_grep "jaeger bad time: reason" "bad-jaeger.json:1: .*startTime is not microseconds" "$T/err"
expect_eq "jaeger bad time: the rest kept" 7 "$(sql 'SELECT count(*) FROM span')"

# Not the formats: a Langfuse export is not taken for any of them
F=$SHARED/fixtures/third_party
if [ -d "$F" ]; then
  export AGENTCOST_DB="$T/third.db"
  for f in anyagent_OPENAI_trace.json anyagent_LANGCHAIN_trace.json openinference_vercel_v6_all_spans.json; do
    expect_rc "$f: ingest" 0 ac ingest "$F/$f"
  done
  # spans and tokens counted by jq from the files themselves
  n=$(jq '.spans | length' "$F/anyagent_OPENAI_trace.json" "$F/anyagent_LANGCHAIN_trace.json" | paste -sd+ | bc)
  n=$((n + $(jq 'length' "$F/openinference_vercel_v6_all_spans.json")))
  expect_eq "third-party spans (jq: $n)" "$n" "$(sql 'SELECT count(*) FROM span')"
  tin=$(jq '[.spans[].attributes["gen_ai.usage.input_tokens"] // 0] | add' \
    "$F/anyagent_OPENAI_trace.json" "$F/anyagent_LANGCHAIN_trace.json" | paste -sd+ | bc)
  expect_eq "any-agent input tokens (jq: $tin)" "$tin" \
    "$(sql "SELECT sum(tokens_in) FROM span s JOIN file f ON f.id = s.file WHERE f.path LIKE '%anyagent%'")"
else
  echo "t_formats_json.sh: third-party part skipped: no $F"
fi
finish
