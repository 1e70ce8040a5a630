#!/usr/bin/env bash
# make bench-ch: SQLite and a 2-shard ClickHouse cluster side by side on the
# same data, from one run (issue #16). Generates a workload in the
# Collector's layout, ingests it into a SQLite store and into the cluster
# (tests/clickhouse/cluster.sh: two servers on loopback), times each, then
# times every analysis answered on both. Also prints each shard's rows and
# bytes on disk, the figures the README's sizing estimate scales from.
# Prints a Markdown table and writes it to bench/results/ch-<date>.md.
#   CH_DAYS=7 CH_TASKS_PER_DAY=2000 CH_DIR=bench/data
set -uo pipefail
cd "$(dirname "$0")/.."
AC=$(realpath "${1:-build/agentcost}")
DAYS=${CH_DAYS:-7}
TPD=${CH_TASKS_PER_DAY:-2000}
DIR=$(realpath -m "${CH_DIR:-bench/data}")
mkdir -p "$DIR" bench/results
OUT=bench/results/ch-$(date -u +%Y-%m-%d).md
export CI=1
CLUSTER=tests/clickhouse/cluster.sh
if ! why=$("$CLUSTER" available 2>&1); then
  ./scripts/deps.sh clickhouse-server >/dev/null 2>&1 || true
  why=$("$CLUSTER" available 2>&1) || { echo "bench-ch: no ClickHouse server here: $why"; exit 1; }
fi
CHD=$DIR/ch-cluster
"$CLUSTER" stop "$CHD" >/dev/null 2>&1
rm -rf "$CHD"
"$CLUSTER" start "$CHD" --owner $$ >/dev/null || exit 1
trap '"$CLUSTER" stop "$CHD" >/dev/null 2>&1' EXIT
. "$CHD/env"
DB=$DIR/ch-bench.db
W=$DIR/ch-bench-$DAYS-$TPD.jsonl
rm -f "$DB" "$DB-wal" "$DB-shm"
[ -s "$W" ] || "$AC" gen --days "$DAYS" --tasks-per-day "$TPD" --users 500 -o "$W" -q
MB=$(stat -c %s "$W" | awk '{ printf "%.1f", $1 / 1e6 }')

secs() { # COMMAND...: wall seconds of one run (its output to $DIR/out.txt)
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$DIR/out.txt" 2>"$DIR/err.txt" || { echo "failed: $* ($(head -c 200 "$DIR/err.txt"))" >&2; echo nan; return; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
chq() { curl -sS "http://127.0.0.1:$1/" --data-binary "$2"; }

# ingest: the median of three runs each, into a new store every time (the
# last one is the one the analyses read)
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
# quiet(): wait (up to 60 s) until neither server merges parts, so that the
# background merges after one ingest do not take the cores from the next
# timed run (SQLite's as well as ClickHouse's)
quiet() {
  local i
  for i in $(seq 1 120); do
    [ "$(chq "$CH_HTTP1" "SELECT count() FROM system.merges")$(chq "$CH_HTTP2" "SELECT count() FROM system.merges")" = "$(printf '0\n0')" ] && return
    sleep 0.5
  done
}
ts=() tc=()
for k in 1 2 3; do
  rm -f "$DB" "$DB-wal" "$DB-shm"
  quiet
  ts+=("$(secs "$AC" ingest --db "$DB" "$W")")
  URL="clickhouse://127.0.0.1:$CH_HTTP1/acbench$k?cluster=ac2"
  quiet
  tc+=("$(secs "$AC" ingest --db "$URL" "$W")")
done
quiet
ti_s=$(median3 "${ts[@]}")
ti_c=$(median3 "${tc[@]}")
SPANS=$("$AC" summary --db "$DB" --format json | jq -r .spans)
{
  echo "# agentcost on SQLite and on a 2-shard ClickHouse cluster ($(date -u +%Y-%m-%d), $(nproc) cores, ClickHouse $CH_VERSION)"
  echo
  echo "Workload: \`agentcost gen --days $DAYS --tasks-per-day $TPD --users 500\`: $MB MB of OTLP JSON lines in the Collector's layout, $SPANS spans."
  echo
  echo "| step | SQLite s | ClickHouse (2 shards) s | ClickHouse / SQLite | bytes received from ClickHouse |"
  echo "|---|---:|---:|---:|---:|"
  awk -v a="$ti_s" -v b="$ti_c" -v mb="$MB" 'BEGIN {
    printf "| ingest (median of 3) | %.2f (%.1f MB/s) | %.2f (%.1f MB/s) | speed %.2f | |\n", a, mb / a, b, mb / b, a / b }'
} | tee "$OUT"
for c in "summary" "tasks" "tasks --approx" "tasks --each" "models" "hidden" "spc" "outliers" \
         "top user" "top user --approx" "tasks --by user" "tasks --by user --approx" \
         "simulate --map testdata/router/map_cheap.csv" "recommend" "export focus"; do
  # shellcheck disable=SC2086
  a=$(secs "$AC" $c --db "$DB" --format csv)
  # shellcheck disable=SC2086
  b=$(AGENTCOST_STATS=1 secs "$AC" $c --db "$URL" --format csv)
  got=$(sed -n 's/.* \([0-9]*\) bytes received/\1/p' "$DIR/err.txt" | tail -1)
  awk -v n="$c" -v a="$a" -v b="$b" -v g="${got:-?}" 'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %s |\n", n, a, b, (a > 0 ? b / a : 0), g }' | tee -a "$OUT"
done
{
  echo
  echo "Per shard (span_local after OPTIMIZE ... FINAL):"
  echo
  echo "| shard (HTTP port) | spans | tasks | bytes on disk | bytes a span |"
  echo "|---|---:|---:|---:|---:|"
  for p in "$CH_HTTP1" "$CH_HTTP2"; do
    chq "$p" "OPTIMIZE TABLE acbench3.span_local FINAL" >/dev/null
    n=$(chq "$p" "SELECT count() FROM acbench3.span_local")
    b=$(chq "$p" "SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = 'acbench3' AND table = 'span_local'")
    echo "| $p | $n | $(chq "$p" "SELECT uniqExact(task_id) FROM acbench3.span_local") | $b | $(awk -v b="$b" -v n="$n" 'BEGIN { printf "%.1f", b / n }') |"
  done
  echo
  echo "SQLite store: $(stat -c %s "$DB") bytes."
} | tee -a "$OUT"
echo "wrote $OUT"
