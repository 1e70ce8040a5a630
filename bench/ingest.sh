#!/usr/bin/env bash
# bench/ingest: only the ingest part of make bench — a >= 1 GB generated OTLP
# JSON lines file and its .zst, agentcost's MB/s, spans/s, peak RSS and store
# bytes/span beside cat, wc -l, zstd -d, jq and Python in the same run.
exec env BENCH_SKIP_YEAR=1 "$(dirname "$0")/run.sh" "$@"
