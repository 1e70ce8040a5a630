#!/usr/bin/env bash
# The store under failure: another writer holding the lock, a read-only file
# system, a full disk; two ingests at once; a report while an ingest writes.
# Each failure: a clear error, a non-zero exit, the store unchanged and usable.
# Expected totals by hand (tests/cli/gen_traces.awk): 0.008445 USD and 4 spans per trace.
. "$(dirname "$0")/lib.sh"
gen() { awk -v n="$1" -v fmt="${2:-otlp}" -f "$SRC/tests/cli/gen_traces.awk"; }
snapshot() { ac summary --format json | jq -c '[.spans, .tasks, .cost_total]'; }

gen 200 >"$T/a.jsonl"
# the same spans under other trace ids: shift the generator's ids
gen 200 | sed 's/"00000001000000/"00000003000000/g' >"$T/b.jsonl"
expect_rc "first ingest" 0 ac ingest "$T/a.jsonl"
before=$(snapshot)
expect_eq "baseline by hand" "[800,200,1.689]" "$before"

# 1. another writer holds the lock: a clear error once the busy timeout runs out
sqlite3 "$AGENTCOST_DB" "BEGIN IMMEDIATE; SELECT 1; SELECT sleep FROM (SELECT 1 AS sleep);" >/dev/null
( printf 'BEGIN IMMEDIATE;\nSELECT count(*) FROM span;\n'; sleep 4; printf 'ROLLBACK;\n' ) | sqlite3 "$AGENTCOST_DB" >/dev/null &
locker=$!
sleep 0.5
expect_rc "locked store: failure" 1 env AGENTCOST_BUSY_TIMEOUT_MS=500 "$AGENTCOST" ingest "$T/b.jsonl"
expect_grep "locked store: message" "locked by another process" "$T/err"
wait "$locker"
expect_eq "locked store: unchanged" "$before" "$(snapshot)"

# 2. two ingests at once: both complete (one waits for the other)
expect_rc "prepare c" 0 true
gen 200 | sed 's/"00000001000000/"00000005000000/g' >"$T/c.jsonl"
"$AGENTCOST" ingest "$T/b.jsonl" >"$T/o1" 2>&1 &
p1=$!
"$AGENTCOST" ingest "$T/c.jsonl" >"$T/o2" 2>&1 &
p2=$!
# 3. ... and a report runs while they write
expect_rc "summary during ingest" 0 ac summary
wait "$p1"; r1=$?
wait "$p2"; r2=$?
expect_eq "concurrent ingests both succeed" "0 0" "$r1 $r2"
# 600 traces: 2400 spans, 600 tasks, 600 x 0.008445 = 5.067
expect_eq "concurrent totals" "[2400,600,5.067]" "$(snapshot)"

# 4. read-only file system and 5. full disk: need a tmpfs (root)
M=$T/mnt
mkdir -p "$M"
if mount -t tmpfs -o size=1500k tmpfs "$M" 2>/dev/null; then
  trap 'umount "$M" 2>/dev/null; rm -rf "$T"' EXIT
  export AGENTCOST_DB="$M/store.db"
  expect_rc "small store" 0 ac ingest "$T/a.jsonl"
  small=$(snapshot)
  gen 3000 | sed 's/"00000001000000/"00000007000000/g' >"$T/big.jsonl"
  expect_rc "disk full: failure" 1 ac ingest "$T/big.jsonl"
  expect_grep "disk full: message" "disk full|database or disk is full" "$T/err"
  expect_eq "disk full: store unchanged" "$small" "$(snapshot)"
  expect_eq "disk full: integrity" ok "$(sqlite3 "$AGENTCOST_DB" 'PRAGMA integrity_check')"
  mount -o remount,ro "$M"
  expect_rc "read-only: failure" 1 ac ingest "$T/b.jsonl"
  expect_grep "read-only: message" "read-only|readonly|unable to open" "$T/err"
  expect_rc "read-only: still readable" 0 ac summary --format json
  expect_eq "read-only: unchanged" "$small" "$(jq -c '[.spans, .tasks, .cost_total]' <"$T/out")"
  umount "$M"
else
  echo "t_failures.sh: disk-full and read-only cases skipped: cannot mount a tmpfs (not root?)"
fi
finish
