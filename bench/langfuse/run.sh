#!/usr/bin/env bash
# Langfuse rows vs OTLP JSON lines, the same spans: generate a day of traces
# (agentcost gen --days 1 --tasks-per-day 2000), convert them with
# otlp_to_langfuse.py to Langfuse JSONL rows and CSV rows, ingest each once
# into a fresh store and print MB/s and spans/s (wall clock of `agentcost
# ingest`, input bytes / seconds). The three stores must hold the same spans,
# LLM calls and cost: a check of the usage arithmetic at scale.
# usage: bench/langfuse/run.sh [BUILD_DIR]   (default build)
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}
AC=$B/agentcost
W=$(mktemp -d "${TMPDIR:-/tmp}/lfbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
"$AC" gen --days 1 --tasks-per-day 2000 -q -o "$W/otlp.jsonl"
python3 bench/langfuse/otlp_to_langfuse.py <"$W/otlp.jsonl" >"$W/rows.jsonl"
python3 bench/langfuse/otlp_to_langfuse.py --csv <"$W/otlp.jsonl" >"$W/rows.csv"
printf '%-12s %10s %8s %9s %9s %12s %6s %12s\n' input MB spans seconds MB/s spans/s llm cost
for f in otlp.jsonl rows.jsonl rows.csv; do
  db=$W/$f.db
  t0=$(date +%s.%N)
  AGENTCOST_DB=$db CI=1 "$AC" ingest "$W/$f" >/dev/null
  t1=$(date +%s.%N)
  s=$(AGENTCOST_DB=$db "$AC" summary --format json)
  spans=$(jq -r .spans <<<"$s")
  bytes=$(stat -c %s "$W/$f")
  awk -v f="$f" -v b="$bytes" -v n="$spans" -v t0="$t0" -v t1="$t1" -v l="$(jq -r .llm_calls <<<"$s")" \
      -v c="$(jq -r .cost_total <<<"$s")" \
    'BEGIN { t = t1 - t0; printf "%-12s %10.1f %8d %9.3f %9.1f %12.0f %6d %12.6f\n", f, b / 1e6, n, t, b / 1e6 / t, n / t, l, c }'
done
