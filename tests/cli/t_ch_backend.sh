#!/usr/bin/env bash
# The ClickHouse backend (issue #16) on a 2-shard cluster of two servers on
# loopback (tests/clickhouse/cluster.sh): a generated workload in the
# Collector's layout (a trace spread over records, records mixing traces)
# ingested into SQLite and into the cluster gives the same output for every
# read command answered there (tests/clickhouse/compare.sh), and the totals
# the generator's truth says; both shards hold spans and a task's spans are on
# one shard; re-ingest and overlapping files count nothing twice; a file split
# in two (late spans of traces already stored) derives the same tasks as the
# whole file; a kill -9 mid-ingest re-run reaches the same totals; a server
# that is down or refuses gives a clear error and exit 1. The router's data
# (table task_calls: each task's packed call groups beside its task row, on
# its shard, once) and names that need escaping (a quote, a backslash, a
# tab in a class, a model, a task type) give simulate, recommend, calls,
# task ID and export focus the same output on both. Late spans that change
# tasks (a late agentcost.task.id, a late span of one trace of a task of
# two, a late root a month earlier) give the tasks of one ingest of it all.
# Without a clickhouse-server that can run here: exit 77 (skipped) with the
# reason on the first line.
. "$(dirname "$0")/lib.sh"
CLUSTER=$SRC/tests/clickhouse/cluster.sh
CH=$T/ch

if ! why=$("$CLUSTER" available 2>&1); then
  avail=0
  if [ "${AC_CH_FORCE_SKIP:-0}" != 1 ] &&
     "$SRC/scripts/deps.sh" clickhouse-server >"$T/deps.out" 2>&1; then
    why=$("$CLUSTER" available 2>&1) && avail=1
  fi
  if [ $avail = 0 ]; then
    echo "SKIP: clickhouse-server not installable here: $why"
    exit 77
  fi
fi
trap '"$CLUSTER" stop "$CH" >/dev/null 2>&1; rm -rf "$T"' EXIT
if ! "$CLUSTER" start "$CH" --owner $$ >"$T/start.out" 2>&1; then
  cat "$T/start.out"
  fail "cluster.sh start"
  finish
  exit 1
fi
. "$CH/env"
URL="clickhouse://127.0.0.1:$CH_HTTP1/actest?cluster=ac2"

# chq PORT QUERY: a query's answer (TabSeparated)
chq() { curl -sS --max-time 60 "http://127.0.0.1:$1/" --data-binary "$2"; }

# ---- the workload: 4 days, users, the Collector's batching ------------------
expect_rc "gen" 0 ac gen --days 4 --tasks-per-day 120 --users 40 -o "$T/w.jsonl" --truth "$T/truth.json" -q
truth() { jq -r "$1" "$T/truth.json"; }
expect_rc "ingest sqlite" 0 ac ingest --db "$T/s.db" "$T/w.jsonl"
expect_rc "ingest clickhouse" 0 ac ingest --db "$URL" "$T/w.jsonl"

# the cluster holds what the generator wrote (read with SQL of this test's own)
expect_eq "spans (SQL over the Distributed table)" "$(truth .spans)" \
  "$(chq "$CH_HTTP1" "SELECT count() FROM actest.span FINAL")"
expect_eq "tasks (SQL)" "$(truth .tasks.all)" "$(chq "$CH_HTTP1" "SELECT count() FROM actest.task FINAL")"
expect_close "cost (SQL)" "$(truth .cost.total)" \
  "$(chq "$CH_HTTP1" "SELECT sum(cost_usd) FROM actest.span FINAL")" 1e-9
ac summary --db "$URL" --format json >"$T/sum.json"
expect_eq "summary spans" "$(truth .spans)" "$(jq .spans "$T/sum.json")"
expect_eq "summary traces" "$(truth .tasks.all)" "$(jq .traces "$T/sum.json")"
expect_eq "summary tasks" "$(truth .tasks.all)" "$(jq .tasks "$T/sum.json")"
expect_eq "summary eval tasks" "$(truth .tasks.eval)" "$(jq .eval_tasks "$T/sum.json")"
expect_eq "summary llm calls" "$(truth .llm_calls)" "$(jq .llm_calls "$T/sum.json")"
expect_close "summary cost" "$(truth .cost.total)" "$(jq .cost_total "$T/sum.json")" 1e-9
for sys in doc-agent research-agent support-agent; do
  want=$(truth ".cost.per_system[\"$sys\"].total")
  got=$(ac hidden --db "$URL" --system "$sys" --format json | jq .cost_total)
  expect_close "hidden cost of $sys" "$want" "$got" 1e-9
done

# both shards hold spans; each task's spans and task row on one shard only
s1=$(chq "$CH_HTTP1" "SELECT count() FROM actest.span_local FINAL")
s2=$(chq "$CH_HTTP2" "SELECT count() FROM actest.span_local FINAL")
[ "$s1" -gt 0 ] && [ "$s2" -gt 0 ] && ok || fail "both shards hold spans: $s1 and $s2"
expect_eq "the shards' spans add up" "$(truth .spans)" "$((s1 + s2))"
chq "$CH_HTTP1" "SELECT DISTINCT task_id FROM actest.span_local FORMAT TabSeparated" | sort >"$T/t1"
chq "$CH_HTTP2" "SELECT DISTINCT task_id FROM actest.span_local FORMAT TabSeparated" | sort >"$T/t2"
expect_eq "no task on both shards" "0" "$(comm -12 "$T/t1" "$T/t2" | wc -l | tr -d ' ')"
chq "$CH_HTTP2" "SELECT task_id FROM actest.task_local FINAL FORMAT TabSeparated" | sort >"$T/k2"
expect_eq "shard 2's tasks are its spans' tasks" "$(cat "$T/t2")" "$(cat "$T/k2")"
# the router's call groups: one row per task, on its task's shard
expect_eq "task_calls: a row per task (SQL)" "$(truth .tasks.all)" \
  "$(chq "$CH_HTTP1" "SELECT count() FROM actest.task_calls FINAL")"
chq "$CH_HTTP2" "SELECT task_id FROM actest.task_calls_local FINAL FORMAT TabSeparated" | sort >"$T/c2"
expect_eq "shard 2's call groups are its tasks'" "$(cat "$T/k2")" "$(cat "$T/c2")"

# ---- every read command: the same output on both ----------------------------
"$SRC/tests/clickhouse/compare.sh" "$AGENTCOST" "$T/s.db" "$URL" "$T/cmp" >"$T/cmp.out" 2>&1
rc=$?
tail -n 1 "$T/cmp.out"
if [ $rc = 0 ]; then ok; else fail "compare.sh: $(grep -m5 DIFFER "$T/cmp.out")"; fi
n=$(sed -n 's/^compared \([0-9]*\) command runs.*/\1/p' "$T/cmp.out")
[ "${n:-0}" -ge 400 ] && ok || fail "compare.sh compared only ${n:-0} runs"
for c in recommend simulate "export focus" "task " calls; do
  if grep -q "^not on clickhouse: $c" "$T/cmp.out"; then fail "compare.sh: $c not answered"; else ok; fi
done

# ---- names that need escaping, spans that start together ---------------------
# a class with a quote, a backslash and a tab; an unpriced model with a quote
# and a backslash; a task type with a quote; three calls starting at once
# (task ID orders them by span id on both); a call above 200,000 input tokens
cat >"$T/odd.jsonl" <<'ODD'
{"trace_id":"ccccccccccccccccccccccccccccccc7","span_id":"2000000000000001","parent_span_id":null,"name":"invoke_agent odd","start_time_unix_nano":1748779200000000000,"end_time_unix_nano":1748779260000000000,"status":"UNSET","attributes":{"gen_ai.operation.name":"invoke_agent","agentcost.task.type":"odd'type"},"resource":{"service.name":"odd-agent"}}
{"trace_id":"ccccccccccccccccccccccccccccccc7","span_id":"2000000000000002","parent_span_id":"2000000000000001","name":"subtask","start_time_unix_nano":1748779201000000000,"end_time_unix_nano":1748779206000000000,"status":"UNSET","attributes":{"agentcost.complexity":"it's a\\b\tc"},"resource":{"service.name":"odd-agent"}}
{"trace_id":"ccccccccccccccccccccccccccccccc7","span_id":"2000000000000009","parent_span_id":"2000000000000002","name":"chat odd","start_time_unix_nano":1748779202000000000,"end_time_unix_nano":1748779202500000000,"status":"UNSET","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"acme'x\\y","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":100},"resource":{"service.name":"odd-agent"}}
{"trace_id":"ccccccccccccccccccccccccccccccc7","span_id":"2000000000000003","parent_span_id":"2000000000000002","name":"chat mini","start_time_unix_nano":1748779202000000000,"end_time_unix_nano":1748779202600000000,"status":"UNSET","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":300000,"gen_ai.usage.output_tokens":100},"resource":{"service.name":"odd-agent"}}
{"trace_id":"ccccccccccccccccccccccccccccccc7","span_id":"2000000000000004","parent_span_id":"2000000000000002","name":"chat mini 2","start_time_unix_nano":1748779202000000000,"end_time_unix_nano":1748779202600000000,"status":"UNSET","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":2000,"gen_ai.usage.output_tokens":10,"gen_ai.usage.cache_read_input_tokens":5000},"resource":{"service.name":"odd-agent"}}
ODD
URLO="clickhouse://127.0.0.1:$CH_HTTP1/acodd?cluster=ac2"
expect_rc "odd names: ingest sqlite" 0 ac ingest --db "$T/odd.db" "$T/odd.jsonl" "$SRC/testdata/tasks/tasks.jsonl"
expect_rc "odd names: ingest clickhouse" 0 ac ingest --db "$URLO" "$T/odd.jsonl" "$SRC/testdata/tasks/tasks.jsonl"
printf 'task_type,complexity,model\n"odd'"'"'type","it'"'"'s a\\b\tc",claude-3-5-haiku\n,moderate,gpt-4o-mini\n' >"$T/odd.csv"
ac simulate --map "$T/odd.csv" --db "$URLO" --format json >"$T/odd.b"
expect_eq "odd names: the class is named" $'it\'s a\\b\tc|odd\'type|claude-3-5-haiku' \
  "$(jq -r '.by_class[] | select(.task_type == "odd'"'"'type") | "\(.complexity)|\(.task_type)|\(.to_model)"' "$T/odd.b")"
for c in "simulate --map $T/odd.csv" "recommend --min-samples 1" "export focus" \
         "task ccccccccccccccccccccccccccccccc7" "task job-42" "task JOB-42" "task bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"; do
  for f in table csv json; do
    ac $c --format $f --db "$T/odd.db" >"$T/odd.a" 2>&1
    ac $c --format $f --db "$URLO" >"$T/odd.b" 2>&1
    if cmp -s "$T/odd.a" "$T/odd.b"; then ok; else fail "odd names: $c --format $f: $(diff "$T/odd.a" "$T/odd.b" | head -4)"; fi
  done
done
calls_rows() { awk -F, -v OFS=, 'NR > 1 { if ($5 >= 16777216) $5 = "single"; $1 = $2 = $3 = ""; print }' | sort; }
expect_eq "odd names: calls' numbers" "$(ac calls --db "$T/odd.db" | calls_rows)" "$(ac calls --db "$URLO" | calls_rows)"

# ---- re-ingest and an overlapping file count nothing twice -------------------
head -n 400 "$T/w.jsonl" >"$T/overlap.jsonl"
expect_rc "re-ingest" 0 ac ingest --db "$URL" "$T/w.jsonl" "$T/overlap.jsonl"
ac summary --db "$URL" --format json >"$T/sum2.json"
expect_eq "re-ingest: same summary" "$(cat "$T/sum.json")" "$(cat "$T/sum2.json")"
expect_eq "re-ingest: spans (SQL)" "$(truth .spans)" "$(chq "$CH_HTTP1" "SELECT count() FROM actest.span FINAL")"
expect_eq "re-ingest: tasks (SQL)" "$(truth .tasks.all)" "$(chq "$CH_HTTP1" "SELECT count() FROM actest.task FINAL")"
expect_eq "re-ingest: call groups (SQL)" "$(truth .tasks.all)" "$(chq "$CH_HTTP1" "SELECT count() FROM actest.task_calls FINAL")"
ac tasks --each --db "$T/s.db" --format csv >"$T/each.a"
ac tasks --each --db "$URL" --format csv >"$T/each.b"
expect_eq "re-ingest: every task as in SQLite" "" "$(cmp "$T/each.a" "$T/each.b" 2>&1)"

# ---- late spans: the file in two halves, the second finishing traces ----------
URL2="clickhouse://127.0.0.1:$CH_HTTP1/aclate?cluster=ac2"
lines=$(wc -l <"$T/w.jsonl")
head -n $((lines / 2)) "$T/w.jsonl" >"$T/h1.jsonl"
tail -n +$((lines / 2 + 1)) "$T/w.jsonl" >"$T/h2.jsonl"
expect_rc "ingest first half" 0 ac ingest --db "$URL2" "$T/h1.jsonl"
AGENTCOST_STATS=1 ac ingest --db "$URL2" "$T/h2.jsonl" >"$T/out" 2>"$T/err"
expect_eq "ingest second half" "0" "$?"
expect_grep "late spans pulled back" "clickhouse: [1-9][0-9]* stored spans brought back" "$T/err"
"$SRC/tests/clickhouse/compare.sh" "$AGENTCOST" "$T/s.db" "$URL2" "$T/cmp2" >"$T/cmp2.out" 2>&1
if [ $? = 0 ]; then ok; else fail "late spans: compare.sh: $(grep -m5 DIFFER "$T/cmp2.out")"; fi

# ---- late spans that change tasks -------------------------------------------
# each in two ingests into ClickHouse, against both files in one SQLite store:
#   t1: a late root carries agentcost.task.id: trace-task e..01 becomes job-7
#       (the old task's row gets a tombstone: counted nowhere)
#   t2: a late span of trace a..01 of job-9, which also holds trace b..02:
#       the task is derived again whole (its other trace pulled back too)
#   t3: a late root starts in the month before the task's first span: the
#       task's window is its new start (no older row seen in July)
span_line() { # trace span parent start_s name attrs
  printf '{"trace_id":"%s","span_id":"%s","parent_span_id":%s,"name":"%s","start_time_unix_nano":%s000000000,"end_time_unix_nano":%s000000000,"status":"UNSET","attributes":{%s},"resource":{"service.name":"late-agent"}}\n' \
    "$1" "$2" "$([ -n "$3" ] && echo "\"$3\"" || echo null)" "$5" "$4" "$(($4 + 2))" "$6"
}
chat='"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":100'
agent='"gen_ai.operation.name":"invoke_agent"'
{ span_line eeee000000000000000000000000e001 4000000000000002 4000000000000001 1748779202 chat "$chat"
  span_line aaaa000000000000000000000000a001 5000000000000001 "" 1748779200 root-a "$agent,\"agentcost.task.id\":\"job-9\""
  span_line bbbb000000000000000000000000b002 6000000000000001 "" 1748779300 root-b "$agent,\"agentcost.task.id\":\"job-9\""
  span_line bbbb000000000000000000000000b002 6000000000000002 6000000000000001 1748779301 chat "$chat"
  span_line dddd000000000000000000000000d001 3000000000000002 3000000000000001 1751328001 chat "$chat"
} >"$T/late1.jsonl"
{ span_line eeee000000000000000000000000e001 4000000000000001 "" 1748779200 root-e "$agent,\"agentcost.task.id\":\"job-7\""
  span_line aaaa000000000000000000000000a001 5000000000000002 5000000000000001 1748779201 chat "$chat"
  span_line dddd000000000000000000000000d001 3000000000000001 "" 1751327990 root-d "$agent"
} >"$T/late2.jsonl"
URLL="clickhouse://127.0.0.1:$CH_HTTP1/aclate2?cluster=ac2"
expect_rc "late tasks: sqlite" 0 ac ingest --db "$T/late.db" "$T/late1.jsonl" "$T/late2.jsonl"
expect_rc "late tasks: clickhouse, first" 0 ac ingest --db "$URLL" "$T/late1.jsonl"
AGENTCOST_STATS=1 ac ingest --db "$URLL" "$T/late2.jsonl" >"$T/out" 2>"$T/err"
expect_eq "late tasks: clickhouse, second" "0" "$?"
expect_grep "late tasks: a tombstone sent" " 1 tombstones of tasks no longer derived" "$T/err"
printf 'complexity,model\n,claude-3-5-haiku\n' >"$T/late.csv"
# (not compared: the span counts. A span whose task changes is sent to its
# new task's shard and its older copy stays on the old one: summary counts
# the chat span of e..01 twice. Known; see the spans' sharding key.)
for c in "tasks --each --include-eval" "tasks --each --since 2025-07-01" "tasks --each --until 2025-07-01" \
         "simulate --map $T/late.csv" "task job-9" "task job-7"; do
  ac $c --format csv --db "$T/late.db" >"$T/late.a" 2>&1
  ac $c --format csv --db "$URLL" >"$T/late.b" 2>&1
  if cmp -s "$T/late.a" "$T/late.b"; then ok; else fail "late tasks: $c: $(diff "$T/late.a" "$T/late.b" | head -4)"; fi
done
expect_rc "late tasks: the old task is gone" 1 ac task eeee000000000000000000000000e001 --db "$URLL"
expect_eq "late tasks: job-9 whole" "4" "$(ac tasks --each --db "$URLL" --format csv | awk -F, '$1 == "job-9" { print $6 }')"
expect_eq "late tasks: calls' numbers" "$(ac calls --db "$T/late.db" | calls_rows)" "$(ac calls --db "$URLL" | calls_rows)"

# ---- kill -9 mid-ingest, then the same ingest again ---------------------------
URL3="clickhouse://127.0.0.1:$CH_HTTP1/ackill?cluster=ac2"
for delay in 0.05 0.15 0.3; do
  ac ingest --db "$URL3" "$T/w.jsonl" >/dev/null 2>&1 &
  pid=$!
  sleep $delay
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
done
expect_rc "ingest after the kills" 0 ac ingest --db "$URL3" "$T/w.jsonl"
ac summary --db "$URL3" --format json >"$T/sum3.json"
expect_eq "after kill -9: same summary" "$(cat "$T/sum.json")" "$(cat "$T/sum3.json")"
ac tasks --each --db "$URL3" --format csv >"$T/each.c"
if cmp -s "$T/each.a" "$T/each.c"; then ok; else fail "after kill -9: tasks differ"; fi

# ---- a server that is down, a server that refuses -----------------------------
expect_rc "server down" 1 ac summary --db "clickhouse://127.0.0.1:1/x"
expect_rc "server down: ingest" 1 ac ingest --db "clickhouse://127.0.0.1:1/x" "$T/h1.jsonl"
expect_grep "server down: says where" "clickhouse://127.0.0.1:1" "$T/err"
expect_rc "unknown user" 1 ac summary --db "clickhouse://nobody@127.0.0.1:$CH_HTTP1/actest"
expect_grep "unknown user: the server's message" "HTTP [0-9]+: .*nobody" "$T/err"
expect_rc "no such cluster" 1 ac summary --db "clickhouse://127.0.0.1:$CH_HTTP1/actest?cluster=nope"
expect_grep "no such cluster: says so" "no cluster nope" "$T/err"
expect_rc "bad database name" 1 ac summary --db "clickhouse://127.0.0.1:$CH_HTTP1/a;b"
expect_rc "prices refused" 1 ac prices import "$T/w.jsonl" --db "$URL"
expect_grep "prices refused: says why" "not available on a ClickHouse store" "$T/err"
expect_rc "no twin: refused" 1 ac reconcile "$SRC/testdata/reconcile/generic.csv" --db "$URL"
expect_grep "no twin: names it" "not answered on the ClickHouse backend" "$T/err"

"$CLUSTER" stop "$CH" >/dev/null 2>&1
finish
