#!/usr/bin/env bash
# bench/jsonfmt: ingest speed of the JSON trace formats beside OTLP JSON lines,
# on the same spans, in one run. Generates a day of traces (agentcost gen),
# converts them with convert.py (one record per line in every format), ingests
# each file into a fresh store and prints MB/s, spans/s and the ratio to OTLP;
# spans, LLM calls and cost must be the same in every format. Then the parser
# alone (parse_only.c: reader + ac_parse_record, no store) on the same files.
# usage: bench/jsonfmt/run.sh [BUILD_DIR] [TASKS_PER_DAY]   (defaults: build 2000)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "${1:-$here/../../build}" && pwd)/agentcost
tasks=${2:-2000}
w=$(mktemp -d "${TMPDIR:-/tmp}/ac-jsonfmt.XXXXXX")
trap 'rm -rf "$w"' EXIT
"$bin" gen --days 1 --tasks-per-day "$tasks" -q -o "$w/otlp.jsonl"
python3 "$here/convert.py" "$w/otlp.jsonl" "$w"
export CI=1
printf '%-12s %9s %8s %9s %11s %9s %12s %8s\n' format MB seconds MB/s spans/s llm cost vs-otlp
base=
for f in otlp.jsonl otelpy.json oteljs.json jaeger.json tempo.json clickhouse.jsonl; do
  best=
  for run in 1 2 3; do  # best of three: the machine is shared
    rm -f "$w/db"*
    t0=$(date +%s.%N)
    AGENTCOST_DB="$w/db" "$bin" ingest "$w/$f" >/dev/null
    t1=$(date +%s.%N)
    s=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" = 1 ]; then best=$s; fi
  done
  sum=$(AGENTCOST_DB="$w/db" "$bin" summary --format json)
  spans=$(jq .spans <<<"$sum"); llm=$(jq .llm_calls <<<"$sum"); cost=$(jq .cost_total <<<"$sum")
  mb=$(echo "$(stat -c %s "$w/$f") / 1000000" | bc -l)
  sps=$(echo "$spans / $best" | bc -l)
  [ -n "$base" ] || base=$sps
  printf '%-12s %9.1f %8.2f %9.1f %11.0f %9s %12.4f %7.2fx\n' "${f%%.*}" "$mb" "$best" \
    "$(echo "$mb / $best" | bc -l)" "$sps" "$llm" "$cost" "$(echo "$sps / $base" | bc -l)"
done

src=$(cd "$here/../.." && pwd)
cc -O2 -std=c11 -I"$src/src" "$here/parse_only.c" "$(dirname "$bin")/libagentcost_lib.a" \
  -lzstd -lsqlite3 -lcsv -lm -o "$w/parse_only"
echo
echo "parser only (best of 3):"
"$w/parse_only" "$w/otlp.jsonl" "$w/otelpy.json" "$w/oteljs.json" "$w/jaeger.json" "$w/tempo.json" \
  "$w/clickhouse.jsonl"
