#!/usr/bin/env bash
# The 2-shard ClickHouse test cluster (tests/clickhouse/cluster.sh), checked over HTTP
# with curl (no agentcost yet): cluster ac2 has two shards, a Distributed table over a
# MergeTree table on each server spreads 1000 rows by cityHash64(k) % 2 and reads them
# back whole, both servers listen on loopback only, and `stop` ends both. Without a
# clickhouse-server that can run here (after `scripts/deps.sh clickhouse-server`): exit
# 77, which CTest shows as skipped, the reason on the first line of stdout.
. "$(dirname "$0")/lib.sh"
CLUSTER=$SRC/tests/clickhouse/cluster.sh
CH=$T/ch

if ! why=$("$CLUSTER" available 2>&1); then
  avail=0
  if [ "${AC_CH_FORCE_SKIP:-0}" = 1 ]; then
    :
  elif "$SRC/scripts/deps.sh" clickhouse-server >"$T/deps.out" 2>&1; then
    why=$("$CLUSTER" available 2>&1) && avail=1
  else
    why="$why; scripts/deps.sh clickhouse-server failed: $(tail -n 2 "$T/deps.out" | tr '\n' ' ')"
  fi
  if [ $avail = 0 ]; then
    echo "SKIP: clickhouse-server not installable here: $why"
    exit 77
  fi
fi

# the servers stop before the temporary directory goes (and, should this script be
# killed, cluster.sh's watchdog of --owner stops them)
trap '"$CLUSTER" stop "$CH" >/dev/null 2>&1; rm -rf "$T"' EXIT

# chq PORT QUERY [URL_PARAMS]: POST a query (GET is read-only), the answer on stdout;
# an HTTP error status prints ClickHouse's message on stderr and returns 1
chq() {
  local code
  code=$(curl -sS -o "$T/chq.out" -w '%{http_code}' --max-time 60 \
    "http://127.0.0.1:$1/?${3:-}" --data-binary "$2") || { echo "curl failed: $2" >&2; return 1; }
  if [ "$code" != 200 ]; then
    echo "HTTP $code for [$2]: $(cat "$T/chq.out")" >&2
    return 1
  fi
  cat "$T/chq.out"
}

expect_rc "cluster.sh start" 0 "$CLUSTER" start "$CH" --owner $$
if [ ! -s "$CH/env" ]; then
  cat "$T/out" "$T/err"
  finish
  exit 1
fi
cat "$T/out"   # the ports and the start-up time
. "$CH/env"
expect_grep "env: the agentcost URL hint" "^export CH_URL_HINT='clickhouse://127\.0\.0\.1:$CH_HTTP1/DBNAME\?cluster=ac2'$" "$CH/env"
for n in 1 2; do
  v=CH_PID$n; pid=${!v}
  v=CH_HTTP$n; http=${!v}
  v=CH_TCP$n; tcp=${!v}
  expect_eq "server $n: SELECT 1" 1 "$(curl -s "http://127.0.0.1:$http/?query=SELECT%201")"
  expect_eq "server $n: its shard macro" "$n" \
    "$(chq "$http" "SELECT substitution FROM system.macros WHERE macro = 'shard'")"
  # both servers know ac2: shard 1 = server 1, shard 2 = server 2, one replica each
  chq "$http" "SELECT shard_num, replica_num, host_address, port, is_local FROM system.clusters
               WHERE cluster = 'ac2' ORDER BY shard_num FORMAT TSV" >"$T/clusters$n"
  expect_eq "server $n: system.clusters ac2" \
    "$(printf '1\t1\t127.0.0.1\t%s\t%s\n2\t1\t127.0.0.1\t%s\t%s' \
         "$CH_TCP1" "$((n == 1))" "$CH_TCP2" "$((n == 2))")" "$(cat "$T/clusters$n")"
  # loopback only: every listening socket of the server is on 127.0.0.1
  if command -v ss >/dev/null; then
    ss -Htlnp | grep "pid=$pid," | awk '{ print $4 }' | sort >"$T/listen$n"
    expect_eq "server $n: listens on its two ports of 127.0.0.1 only" \
      "$(printf '127.0.0.1:%s\n127.0.0.1:%s\n' "$http" "$tcp" | sort)" \
      "$(cat "$T/listen$n")"
  fi
done

# a MergeTree table on each server, a Distributed table over them (on both)
for http in "$CH_HTTP1" "$CH_HTTP2"; do
  expect_rc "CREATE DATABASE on :$http" 0 chq "$http" "CREATE DATABASE actest"
  expect_rc "CREATE TABLE t_local on :$http" 0 chq "$http" \
    "CREATE TABLE actest.t_local (k UInt64, v String) ENGINE = MergeTree ORDER BY k"
  expect_rc "CREATE TABLE t_dist on :$http" 0 chq "$http" \
    "CREATE TABLE actest.t_dist AS actest.t_local
     ENGINE = Distributed(ac2, actest, t_local, cityHash64(k))"
done
# 1000 rows through the Distributed table, sent to the shards before the INSERT returns
expect_rc "INSERT 1000 rows through t_dist (insert_distributed_sync=1)" 0 chq "$CH_HTTP1" \
  "INSERT INTO actest.t_dist SELECT number, toString(number) FROM numbers(1000)" \
  "insert_distributed_sync=1"
expect_eq "count() through t_dist on server 1" 1000 "$(chq "$CH_HTTP1" "SELECT count() FROM actest.t_dist")"
expect_eq "count() through t_dist on server 2" 1000 "$(chq "$CH_HTTP2" "SELECT count() FROM actest.t_dist")"
expect_eq "sum(k) through t_dist" 499500 "$(chq "$CH_HTTP2" "SELECT sum(k) FROM actest.t_dist")"
l1=$(chq "$CH_HTTP1" "SELECT count() FROM actest.t_local")
l2=$(chq "$CH_HTTP2" "SELECT count() FROM actest.t_local")
echo "rows per shard: $l1 + $l2"
if [ "${l1:-0}" -gt 0 ] 2>/dev/null; then ok; else fail "shard 1 holds no rows ($l1)"; fi
if [ "${l2:-0}" -gt 0 ] 2>/dev/null; then ok; else fail "shard 2 holds no rows ($l2)"; fi
expect_eq "the shards' rows add up to 1000" 1000 "$((${l1:-0} + ${l2:-0}))"
# each row on the shard its key hashes to: shard index = cityHash64(k) % 2 (weights 1, 1)
expect_eq "shard 1 holds the keys of even hash" \
  "$(chq "$CH_HTTP1" "SELECT countIf(cityHash64(number) % 2 = 0) FROM numbers(1000)")" "$l1"
expect_eq "no key on the wrong shard (server 1)" 0 \
  "$(chq "$CH_HTTP1" "SELECT count() FROM actest.t_local WHERE cityHash64(k) % 2 != 0")"
expect_eq "no key on the wrong shard (server 2)" 0 \
  "$(chq "$CH_HTTP2" "SELECT count() FROM actest.t_local WHERE cityHash64(k) % 2 != 1")"

# stop: both processes gone; a second stop is a no-op
expect_rc "cluster.sh stop" 0 "$CLUSTER" stop "$CH"
for pid in "$CH_PID1" "$CH_PID2"; do
  if kill -0 "$pid" 2>/dev/null && [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
    fail "server pid $pid still running after stop"
  else
    ok
  fi
done
expect_rc "cluster.sh stop again (idempotent)" 0 "$CLUSTER" stop "$CH"
expect_eq "no server answers after stop" "" "$(curl -s --max-time 2 "http://127.0.0.1:$CH_HTTP1/?query=SELECT%201")"
finish
