#!/usr/bin/env bash
# The same eight spans (testdata/ingest/basic.jsonl, costs by hand in
# basic.costs.md) in every input format and framing must give the same totals:
# OTLP JSON lines, a pretty-printed document, the legacy
# instrumentationLibrarySpans key, flat JSONL, a native zstd stream (also with
# a frame boundary inside a line), the Collector's [u32 length][zstd frame]
# framing, and standard input.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/ingest

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

check lines "$D/basic.jsonl"

jq . "$D/basic.jsonl" >"$T/pretty.json"   # two pretty documents, concatenated
check pretty "$T/pretty.json"

sed -e '1s/"scopeSpans"/"instrumentationLibrarySpans"/' -e '1s/"scope":/"instrumentationLibrary":/' \
  "$D/basic.jsonl" >"$T/legacy.jsonl"
expect_grep "legacy file really uses the old key" instrumentationLibrarySpans "$T/legacy.jsonl"
check legacy "$T/legacy.jsonl"

check flat "$D/basic.flat.jsonl"

# CRLF line endings
sed 's/$/\r/' "$D/basic.jsonl" >"$T/crlf.jsonl"
check crlf "$T/crlf.jsonl"

zstd -q -c "$D/basic.jsonl" >"$T/native.zst"
check zstd "$T/native.zst"

# a frame boundary in the middle of line 1: two frames, one stream
head -c 1000 "$D/basic.jsonl" | zstd -q -c >"$T/split.zst"
tail -c +1001 "$D/basic.jsonl" | zstd -q -c >>"$T/split.zst"
check zstd-split "$T/split.zst"

# the file exporter's default json+zstd framing: [u32 big-endian length][frame]
: >"$T/framed.bin"
while IFS= read -r line; do
  printf '%s' "$line" | zstd -q -c >"$T/frame"
  n=$(stat -c %s "$T/frame")
  printf "\\x$(printf %02x $((n >> 24 & 255)))\\x$(printf %02x $((n >> 16 & 255)))\\x$(printf %02x $((n >> 8 & 255)))\\x$(printf %02x $((n & 255)))" >>"$T/framed.bin"
  cat "$T/frame" >>"$T/framed.bin"
done <"$D/basic.jsonl"
check framed "$T/framed.bin"
expect_eq "framed: container recorded" "zstd-framed" "$(sql 'SELECT container FROM file')"

# compressed flat JSONL through standard input
zstd -q -c "$D/basic.flat.jsonl" >"$T/flat.zst"
export AGENTCOST_DB="$T/stdin.db"
expect_rc "stdin zstd flat: ingest" 0 ac ingest - <"$T/flat.zst"
expect_close "stdin zstd flat: cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12

# the OTLP and flat forms are the same spans: ingesting both adds nothing
export AGENTCOST_DB="$T/both.db"
expect_rc "otlp then flat" 0 ac ingest "$D/basic.jsonl" "$D/basic.flat.jsonl"
expect_grep "flat adds no span" "16 spans \(8 new\)" "$T/out"
finish
