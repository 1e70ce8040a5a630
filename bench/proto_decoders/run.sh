#!/usr/bin/env bash
# OTLP protobuf benchmark, one run:
#  1. ingest: the same generated spans as OTLP JSON lines and as the file
#     exporter's format: proto layout (converted by otlpjson2pb.py), each into a
#     fresh store with `agentcost ingest`: MB/s and spans/s of both, and the
#     totals of both stores (they must be equal);
#  2. decoders: the hand-written decoder against protobuf-c on the protobuf file
#     in memory (bench.c), MB/s and spans/s.
# usage: bench/proto_decoders/run.sh [TASKS_PER_DAY (default 8000)] [WORKDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tasks=${1:-8000}
W=${2:-$(mktemp -d /tmp/agentcost-pbbench.XXXXXX)}
AC=$root/build/agentcost
[ -x "$AC" ] || { echo "build agentcost first (build/agentcost)" >&2; exit 1; }
"$root/scripts/deps.sh" libprotobuf-c-dev protobuf-c-compiler python3
make -s -C "$here" >/dev/null

[ -f "$W/g.jsonl" ] || "$AC" gen -q --days 1 --tasks-per-day "$tasks" --seed 3 -o "$W/g.jsonl"
[ -f "$W/g.bin" ] || python3 "$here/otlpjson2pb.py" "$W/g.jsonl" "$W/g.bin" 2>/dev/null

rate() { # NAME FILE
  rm -f "$W/$1.db"
  local t0 t1 spans bytes
  t0=$(date +%s.%N)
  CI=1 "$AC" --db "$W/$1.db" ingest "$2" >/dev/null
  t1=$(date +%s.%N)
  spans=$("$AC" --db "$W/$1.db" summary --format json | jq .spans)
  bytes=$(stat -c %s "$2")
  awk -v n="$1" -v b="$bytes" -v s="$spans" -v t0="$t0" -v t1="$t1" 'BEGIN {
    t = t1 - t0; printf "ingest %-22s %8.1f MB in %6.2f s: %7.1f MB/s %10.0f spans/s (%d spans)\n",
    n, b / 1e6, t, b / 1e6 / t, s / t, s }'
}
echo "# agentcost ingest, fresh store each (CPU: $(nproc) cores, shared)"
rate "OTLP JSON lines" "$W/g.jsonl"
rate "OTLP protobuf (proto)" "$W/g.bin"
for f in "OTLP JSON lines" "OTLP protobuf (proto)"; do
  printf '%-22s %s\n' "$f" "$("$AC" --db "$W/$f.db" summary --format json | jq -c '[.spans, .llm_calls, .tool_calls, .cost_total]')"
done
echo "# decoding only, file in memory"
"$here/build/bench_proto" "$W/g.bin" 3
