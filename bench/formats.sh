#!/usr/bin/env bash
# make bench-formats: ingest speed of every input format beside OTLP JSON lines, on the same
# spans, in one run (the issue's bar: each at least half the OTLP rate). A day of traces from
# `agentcost gen` is converted by the independent converters in bench/ (python3, never
# agentcost): jsonfmt/convert.py (Python / JS SDK dumps, Jaeger, Tempo, ClickHouse rows),
# langfuse/otlp_to_langfuse.py (Langfuse rows, JSONL and CSV), proto_decoders/otlpjson2pb.py
# (length-prefixed OTLP protobuf). Each file is ingested BENCH_RUNS times (default 3) into a
# fresh store and the median is shown; every store must hold the same spans, LLM calls and
# cost, which the table prints (a check of each reader at scale).
# usage: bench/formats.sh [AGENTCOST] [TASKS_PER_DAY]   (defaults: build/agentcost 6000)
set -euo pipefail
cd "$(dirname "$0")/.."
AC=$(realpath "${1:-build/agentcost}")
tasks=${2:-6000}
runs=${BENCH_RUNS:-3}
w=$(mktemp -d "${BENCH_DIR:-/tmp}/ac-formats.XXXXXX")
trap 'rm -rf "$w"' EXIT
"$AC" gen --days 1 --tasks-per-day "$tasks" -q -o "$w/otlp.jsonl"
python3 bench/jsonfmt/convert.py "$w/otlp.jsonl" "$w"
python3 bench/langfuse/otlp_to_langfuse.py <"$w/otlp.jsonl" >"$w/langfuse_rows.jsonl"
python3 bench/langfuse/otlp_to_langfuse.py --csv <"$w/otlp.jsonl" >"$w/langfuse_rows.csv"
python3 bench/proto_decoders/otlpjson2pb.py "$w/otlp.jsonl" "$w/otlp.pb"
export CI=1
echo "agentcost ingest, one input, median of $runs runs; $(nproc) cores; $(date -u +%F)"
printf '| %-22s | %8s | %8s | %8s | %10s | %6s | %12s | %8s |\n' format MB seconds MB/s spans/s llm cost vs-otlp
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' ------------------------ ---------- ---------- ---------- ------------ -------- -------------- ----------
base=
for f in otlp.jsonl otlp.pb otelpy.json oteljs.json jaeger.json tempo.json clickhouse.jsonl \
         langfuse_rows.jsonl langfuse_rows.csv; do
  times=()
  for ((r = 0; r < runs; r++)); do
    rm -f "$w"/db*
    t0=$(date +%s.%N)
    AGENTCOST_DB="$w/db" "$AC" ingest "$w/$f" >/dev/null
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  sum=$(AGENTCOST_DB="$w/db" "$AC" summary --format json)
  spans=$(jq .spans <<<"$sum"); llm=$(jq .llm_calls <<<"$sum"); cost=$(jq .cost_total <<<"$sum")
  mb=$(echo "$(stat -c %s "$w/$f") / 1000000" | bc -l)
  sps=$(echo "$spans / $med" | bc -l)
  [ -n "$base" ] || base=$sps
  printf '| %-22s | %8.1f | %8.2f | %8.1f | %10.0f | %6s | %12.4f | %7.2fx |\n' "$f" "$mb" "$med" \
    "$(echo "$mb / $med" | bc -l)" "$sps" "$llm" "$cost" "$(echo "$sps / $base" | bc -l)"
done
