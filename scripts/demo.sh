#!/usr/bin/env bash
# make demo: generate a workload, ingest it into a fresh store, print findings.
set -euo pipefail
bin=${1:-build/agentcost}
out=${DEMO_OUT:-demo-out}
mkdir -p "$out"
rm -f "$out/agentcost.db" "$out/agentcost.db-wal" "$out/agentcost.db-shm"
export AGENTCOST_DB="$out/agentcost.db"
if "$bin" demo --help >/dev/null 2>&1; then
  exec "$bin" demo -o "$out"
fi
# until `agentcost demo` exists: the hand-checked sample
"$bin" ingest testdata/ingest/basic.jsonl
"$bin" summary
