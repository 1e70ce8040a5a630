#!/usr/bin/env bash
# OTLP protobuf: the eight spans of testdata/ingest/basic.jsonl (costs by hand
# in basic.costs.md), encoded by protoc from hand-written text format
# (testdata/ingest/proto/, make_basic.sh), in every layout the Collector file
# exporter writes with `format: proto` (FORMATS.md b.4) and as a raw message:
#   raw        one ExportTraceServiceRequest (basic.pb)
#   prefixed   repeat { u32be length; message }            (compression: none)
#   framed     repeat { u32be length; zstd frame(message) } (zstd, gate off)
#   native     zstd stream of the prefixed layout           (zstd, gate on)
# plus standard input, damage, re-ingest and `show`.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/ingest
P=$D/proto

check() { # NAME FILE [ingest options...]
  local name=$1 file=$2
  shift 2
  export AGENTCOST_DB="$T/$name.db"
  expect_rc "$name: ingest" 0 ac ingest "$@" "$file"
  ac summary --format json >"$T/$name.json"
  expect_eq "$name: spans" 8 "$(jget .spans <"$T/$name.json")"
  expect_eq "$name: llm calls" 6 "$(jget .llm_calls <"$T/$name.json")"
  expect_eq "$name: tool calls" 1 "$(jget .tool_calls <"$T/$name.json")"
  expect_close "$name: cost (hand: 0.048645)" 0.048645 "$(jget .cost_total <"$T/$name.json")" 1e-12
  expect_eq "$name: unpriced" 2 "$(jget .unpriced_spans <"$T/$name.json")"
  expect_eq "$name: error spans" 1 "$(sql 'SELECT count(*) FROM span WHERE status = 2')"
}

# [u32 big-endian length][FILE]
frame() {
  local n
  n=$(stat -c %s "$1")
  printf "\\x$(printf %02x $((n >> 24 & 255)))\\x$(printf %02x $((n >> 16 & 255)))\\x$(printf %02x $((n >> 8 & 255)))\\x$(printf %02x $((n & 255)))"
  cat "$1"
}

# the test data itself: two requests whose concatenation is the whole (a
# protobuf message followed by another is their merge)
cat "$P/basic.1.pb" "$P/basic.2.pb" >"$T/both.pb"
if cmp -s "$T/both.pb" "$D/basic.pb"; then ok; else fail "basic.pb is not basic.1.pb + basic.2.pb"; fi

check raw "$D/basic.pb"
expect_eq "raw: ledger format" "otlp-proto|plain" "$(sql 'SELECT format || "|" || container FROM file')"

{ frame "$P/basic.1.pb"; frame "$P/basic.2.pb"; } >"$T/prefixed.bin"
check prefixed "$T/prefixed.bin"
expect_eq "prefixed: ledger format" "otlp-proto|plain" "$(sql 'SELECT format || "|" || container FROM file')"
expect_eq "prefixed: 2 records" 2 "$(sql 'SELECT records FROM file')"

zstd -q -c "$P/basic.1.pb" >"$T/f1.zst"
zstd -q -c "$P/basic.2.pb" >"$T/f2.zst"
{ frame "$T/f1.zst"; frame "$T/f2.zst"; } >"$T/framed.bin"
check framed "$T/framed.bin"
expect_eq "framed: ledger format" "otlp-proto|zstd-framed" "$(sql 'SELECT format || "|" || container FROM file')"

zstd -q -c "$T/prefixed.bin" >"$T/native.zst"
check native "$T/native.zst"
expect_eq "native: ledger format" "otlp-proto|zstd" "$(sql 'SELECT format || "|" || container FROM file')"

# a frame boundary inside message 1: two frames, one stream
head -c 700 "$T/prefixed.bin" | zstd -q -c >"$T/split.zst"
tail -c +701 "$T/prefixed.bin" | zstd -q -c >>"$T/split.zst"
check native-split "$T/split.zst"

zstd -q -c "$D/basic.pb" >"$T/raw.zst"
check raw-zstd "$T/raw.zst"

# standard input, uncompressed and per-message compressed
export AGENTCOST_DB="$T/stdin.db"
expect_rc "stdin prefixed: ingest" 0 ac ingest - <"$T/prefixed.bin"
expect_close "stdin prefixed: cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12
export AGENTCOST_DB="$T/stdin2.db"
expect_rc "stdin framed: ingest" 0 ac ingest - <"$T/framed.bin"
expect_eq "stdin framed: spans" 8 "$(ac summary --format json | jget .spans)"
export AGENTCOST_DB="$T/stdin3.db"
expect_rc "stdin raw: ingest" 0 ac ingest - <"$D/basic.pb"
expect_eq "stdin raw: spans" 8 "$(ac summary --format json | jget .spans)"

# re-ingest: the same file again is recognised; the same spans in other
# layouts and in OTLP JSON add nothing (the ids are the source's bytes)
export AGENTCOST_DB="$T/again.db"
expect_rc "again: first" 0 ac ingest "$T/prefixed.bin"
expect_rc "again: same file" 0 ac ingest "$T/prefixed.bin"
expect_rc "again: other layouts and JSON" 0 ac ingest "$D/basic.pb" "$T/framed.bin" "$T/native.zst" \
  "$D/basic.jsonl"
expect_grep "again: nothing new" "32 spans \(0 new\)" "$T/out"
expect_eq "again: spans" 8 "$(sql 'SELECT count(*) FROM span')"
expect_close "again: cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12

# damage: message 2 cut short keeps message 1 (the first four spans of
# basic.costs.md: 0.00027 + 0.008175 = 0.008445; LLM calls 2, tool calls 1)
n1=$(stat -c %s "$P/basic.1.pb")
head -c $((4 + n1 + 4 + 300)) "$T/prefixed.bin" >"$T/cut.bin"
export AGENTCOST_DB="$T/cut.db"
expect_rc "cut: ingest keeps what came before (exit 3)" 3 ac ingest "$T/cut.bin"
expect_grep "cut: the damage is placed" "cut.bin: truncated message at byte $((4 + n1)): length prefix says" "$T/err"
ac summary --format json >"$T/cut.json"
expect_eq "cut: spans" 4 "$(jget .spans <"$T/cut.json")"
expect_eq "cut: llm calls" 2 "$(jget .llm_calls <"$T/cut.json")"
expect_eq "cut: tool calls" 1 "$(jget .tool_calls <"$T/cut.json")"
expect_close "cut: cost (hand: 0.008445)" 0.008445 "$(jget .cost_total <"$T/cut.json")" 1e-12
expect_eq "cut: file incomplete" 0 "$(sql 'SELECT complete FROM file')"

# the same in the native zstd layout
zstd -q -c "$T/cut.bin" >"$T/cut.zst"
export AGENTCOST_DB="$T/cutz.db"
expect_rc "cut zstd: exit 3" 3 ac ingest "$T/cut.zst"
expect_grep "cut zstd: placed" "truncated message at byte $((4 + n1)) of the decompressed stream" "$T/err"
expect_eq "cut zstd: spans" 4 "$(ac summary --format json | jget .spans)"

# a broken message among good ones: message 2's first length runs past its end
{ frame "$P/basic.1.pb"; printf '\x00\x00\x00\x03\x0a\x7f\x00'; frame "$P/basic.2.pb"; } >"$T/bad.bin"
export AGENTCOST_DB="$T/bad.db"
expect_rc "bad message: others kept (exit 3)" 3 ac ingest "$T/bad.bin"
expect_grep "bad message: message 2, placed" "bad.bin:2: byte $((4 + n1 + 4)): length 127 of field 1 runs past the end" "$T/err"
expect_eq "bad message: spans" 8 "$(ac summary --format json | jget .spans)"

# OTLP logs in protobuf (same outer shape) are refused, by name: request {
# resource_logs (0a 0d) { scope_logs (12 0b) { log_records (12 09) {
# time_unix_nano = fixed64 (09 + 8 bytes) } } } }, 15 bytes behind its length
printf '\x00\x00\x00\x0f\x0a\x0d\x12\x0b\x12\x09\x09\x00\x00\x00\x00\x00\x00\x00\x01' >"$T/logs.bin"
export AGENTCOST_DB="$T/logs.db"
expect_rc "logs: refused (exit 1)" 1 ac ingest "$T/logs.bin"
expect_grep "logs: named" "OTLP logs \(protobuf ExportLogsServiceRequest\), not traces" "$T/err"

# show: a protobuf span printed as OTLP JSON; its attributes are those of the
# same span in basic.jsonl (where every intValue of this span is a string)
export AGENTCOST_DB="$T/raw.db"
expect_rc "show: exit 0" 0 ac show 00f067aa0ba902b8
expect_eq "show: span id" 00f067aa0ba902b8 "$(jget .spanId <"$T/out")"
expect_eq "show: trace id" 0af7651916cd43dd8448eb211c80319c "$(jget .traceId <"$T/out")"
expect_eq "show: name" "chat claude-3-5-sonnet" "$(jget .name <"$T/out")"
expect_eq "show: times" "1748779203000000000 1748779209000000000" \
  "$(jget '.startTimeUnixNano + " " + .endTimeUnixNano' <"$T/out")"
expect_eq "show: attributes as in basic.jsonl" \
  "$(head -1 "$D/basic.jsonl" | jq -c '.resourceSpans[0].scopeSpans[0].spans[2].attributes')" \
  "$(jq -c .attributes <"$T/out")"
expect_rc "show: error span" 0 ac show 00f067aa0ba902b9
expect_eq "show: status" '{"message":"timeout","code":2}' "$(jq -c .status <"$T/out")"

# a small file of LLM calls (proto/calls.txtpb, encoded by protoc), expected
# values by hand in proto.costs.md: gpt-5 0.036 + gpt-4.1-mini 0.0024 +
# claude-sonnet-4-5 0.06225
export AGENTCOST_DB="$T/calls.db"
expect_rc "calls: ingest" 0 ac ingest "$D/calls.pb"
ac summary --format json >"$T/calls.json"
expect_eq "calls: spans" 5 "$(jget .spans <"$T/calls.json")"
expect_eq "calls: traces" 1 "$(jget .traces <"$T/calls.json")"
expect_eq "calls: llm calls" 3 "$(jget .llm_calls <"$T/calls.json")"
expect_eq "calls: tool calls" 1 "$(jget .tool_calls <"$T/calls.json")"
expect_eq "calls: tokens in|out" "47000|4750" "$(sql 'SELECT sum(tokens_in), sum(tokens_out) FROM span WHERE step = 1')"
expect_eq "calls: cache read|write|reasoning" "28000|5000|2000" \
  "$(sql 'SELECT sum(tokens_cache_read), sum(tokens_cache_write), sum(tokens_reasoning) FROM span WHERE step = 1')"
expect_close "calls: cost (hand: 0.10065)" 0.10065 "$(jget .cost_total <"$T/calls.json")" 1e-9
expect_eq "calls: every call priced from the table (dated names resolve)" 3 \
  "$(sql 'SELECT count(*) FROM span WHERE step = 1 AND cost_src = 1')"
expect_eq "calls: error spans" 1 "$(sql 'SELECT count(*) FROM span WHERE status = 2')"
expect_eq "calls: the error span" 0b00000000000003 "$(sql 'SELECT lower(hex(span_id)) FROM span WHERE status = 2')"
expect_eq "calls: ok span" 0b00000000000002 "$(sql 'SELECT lower(hex(span_id)) FROM span WHERE status = 1')"
expect_eq "calls: error type" timeout \
  "$(sql "SELECT l.name FROM span s JOIN label l ON l.id = s.error_type WHERE s.span_id = x'0b00000000000003'")"
expect_eq "calls: services of the two resources" "coder-svc|2 planner-svc|3" \
  "$(sql 'SELECT v.name, count(*) FROM span s JOIN service v ON v.id = s.service GROUP BY 1 ORDER BY 1' |
     tr '\n' ' ' | sed 's/ $//')"
expect_eq "calls: response model beats request model" gpt-5-2025-08-07 \
  "$(sql "SELECT m.name FROM span s JOIN model m ON m.id = s.model WHERE s.span_id = x'0b00000000000002'")"
expect_close "calls: gpt-5 cost (cache read, reasoning)" 0.036 \
  "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0b00000000000002'")" 1e-12
expect_eq "calls: double_value output tokens" "5000|250" \
  "$(sql "SELECT tokens_in, tokens_out FROM span WHERE span_id = x'0b00000000000003'")"
expect_close "calls: double_value producer cost" 0.0024 \
  "$(sql "SELECT producer_cost_usd FROM span WHERE span_id = x'0b00000000000003'")" 1e-12
expect_eq "calls: only one producer cost" 1 "$(sql 'SELECT count(*) FROM span WHERE producer_cost_usd IS NOT NULL')"
expect_close "calls: double_value eval score" 0.75 \
  "$(sql "SELECT eval_score FROM span WHERE span_id = x'0b00000000000004'")" 1e-12
expect_eq "calls: int_value task id keeps its text" 4711 \
  "$(sql "SELECT t.name FROM span s JOIN task_ref t ON t.id = s.task_ref WHERE s.span_id = x'0b00000000000001'")"
expect_eq "calls: end of the errored call (ns)" 1757925012500000000 \
  "$(sql "SELECT end_ns FROM span WHERE span_id = x'0b00000000000003'")"
expect_eq "calls: trace id" 1f2e3d4c5b6a798897a6b5c4d3e2f100 "$(sql 'SELECT lower(hex(trace_id)) FROM trace')"
expect_rc "calls: show the double attribute" 0 ac show 0b00000000000003
expect_eq "calls: show renders the double values" "250|0.0024" \
  "$(jq -r '[.attributes[] | select(.value.doubleValue != null) | .value.doubleValue | tostring] | join("|")' <"$T/out")"
finish
