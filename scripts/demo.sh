#!/usr/bin/env bash
# make demo: generate a workload, ingest it into a fresh store, print the findings.
set -euo pipefail
bin=${1:-build/agentcost}
exec "$bin" demo -o "${DEMO_OUT:-demo-out}"
