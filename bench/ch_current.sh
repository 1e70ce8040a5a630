#!/usr/bin/env bash
# make bench-ch-current: do current ClickHouse releases accept agentcost's
# statements and answer them as 18.16 (Debian 12's server, the one the tests
# run) does? Ingests a generated workload into one 18.16 server (no cluster:
# the current engine here is chDB, ClickHouse as a library from the npm
# registry, which has no remote shards) with AGENTCOST_CH_LOG on, runs
# tests/clickhouse/compare.sh against it (every command, formats, windows),
# then runs every distinct statement logged on chDB over the same rows and
# compares the answers (bench/baselines/ch_current.mjs). chDB is installed
# under BENCH_NODE_DIR on first use (not committed, never a dependency of
# agentcost); without node/npm the check is skipped with a message.
#   CH_DAYS=4 CH_TASKS_PER_DAY=120 CH_DIR=bench/data/ch-current
set -uo pipefail
cd "$(dirname "$0")/.."
AC=$(realpath "${1:-build/agentcost}")
DIR=$(realpath -m "${CH_DIR:-bench/data/ch-current}")
NODE_DIR=$(realpath -m "${BENCH_NODE_DIR:-build/bench-node}")
CLUSTER=tests/clickhouse/cluster.sh
export CI=1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "bench-ch-current: skipped: node or npm not found"; exit 0
fi
if ! why=$("$CLUSTER" available 2>&1); then
  ./scripts/deps.sh clickhouse-server >/dev/null 2>&1 || true
  why=$("$CLUSTER" available 2>&1) || { echo "bench-ch-current: no ClickHouse server here: $why"; exit 1; }
fi
if [ ! -d "$NODE_DIR/node_modules/chdb" ]; then
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --silent chdb >"$NODE_DIR/chdb-npm.log" 2>&1 ||
    { echo "bench-ch-current: skipped: npm install chdb failed: $(tail -1 "$NODE_DIR/chdb-npm.log")"; exit 0; }
fi
rm -rf "$DIR"
mkdir -p "$DIR"
"$CLUSTER" start "$DIR/ch" --owner $$ >/dev/null || exit 1
trap '"$CLUSTER" stop "$DIR/ch" >/dev/null 2>&1' EXIT
. "$DIR/ch/env"
URL="clickhouse://127.0.0.1:$CH_HTTP1/accurrent"
"$AC" gen --days "${CH_DAYS:-4}" --tasks-per-day "${CH_TASKS_PER_DAY:-120}" --users 40 -o "$DIR/w.jsonl" -q
"$AC" ingest --db "$DIR/s.db" "$DIR/w.jsonl" >/dev/null || exit 1
AGENTCOST_CH_LOG=$DIR/setup.log "$AC" ingest --db "$URL" "$DIR/w.jsonl" >/dev/null || exit 1
AGENTCOST_CH_LOG=$DIR/queries.log tests/clickhouse/compare.sh "$AC" "$DIR/s.db" "$URL" "$DIR/cmp" |
  tail -1
chq() { curl -sS "http://127.0.0.1:$CH_HTTP1/" --data-binary "$1"; }
STRUCT=$(chq "SELECT arrayStringConcat(groupArray(concat(name, ' ', type)), ', ') FROM system.columns WHERE database = 'accurrent' AND table = 'span' FORMAT TSVRaw")
chq "SELECT * FROM accurrent.span FORMAT RowBinary" >"$DIR/span.bin"
node bench/baselines/ch_current.mjs "$NODE_DIR/node_modules" "$DIR/setup.log" "$DIR/queries.log" \
  "$DIR/span.bin" "$STRUCT" "$CH_HTTP1" accurrent "$DIR/chdb-session"
