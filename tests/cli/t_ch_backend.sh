#!/usr/bin/env bash
# The ClickHouse backend (issue #16) on a 2-shard cluster of two servers on
# loopback (tests/clickhouse/cluster.sh): a generated workload in the
# Collector's layout (a trace spread over records, records mixing traces)
# ingested into SQLite and into the cluster gives the same output for every
# read command answered there (tests/clickhouse/compare.sh), and the totals
# the generator's truth says; both shards hold spans and a trace's spans are on
# one shard; --by/--where give SQLite's values on hand-made corner cases;
# re-ingest and overlapping files count nothing twice; a file split
# in two (late spans of traces already stored) derives the same tasks as the
# whole file; a kill -9 mid-ingest re-run reaches the same totals; a server
# that is down or refuses gives a clear error and exit 1. The router's data
# (each task's packed call groups on the earliest span of its traces) and
# names that need escaping (a quote, a backslash, a
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
expect_eq "tasks (SQL)" "$(truth .tasks.all)" "$(chq "$CH_HTTP1" "SELECT uniqExact(task_id) FROM actest.span FINAL")"
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

# both shards hold spans; a trace's spans on one shard only
s1=$(chq "$CH_HTTP1" "SELECT count() FROM actest.span_local FINAL")
s2=$(chq "$CH_HTTP2" "SELECT count() FROM actest.span_local FINAL")
[ "$s1" -gt 0 ] && [ "$s2" -gt 0 ] && ok || fail "both shards hold spans: $s1 and $s2"
expect_eq "the shards' spans add up" "$(truth .spans)" "$((s1 + s2))"
chq "$CH_HTTP1" "SELECT DISTINCT trace_id FROM actest.span_local FORMAT TabSeparated" | sort >"$T/t1"
chq "$CH_HTTP2" "SELECT DISTINCT trace_id FROM actest.span_local FORMAT TabSeparated" | sort >"$T/t2"
expect_eq "no trace on both shards" "0" "$(comm -12 "$T/t1" "$T/t2" | wc -l | tr -d ' ')"
expect_eq "every trace on a shard" "$(truth .tasks.all)" "$(cat "$T/t1" "$T/t2" | wc -l | tr -d ' ')"

# ---- every read command: the same output on both ----------------------------
# under ASan (make test-asan) every run is several times slower: the
# comparisons take one window beside the whole store
[ -n "${ASAN_OPTIONS:-}" ] && export COMPARE_QUICK=1
"$SRC/tests/clickhouse/compare.sh" "$AGENTCOST" "$T/s.db" "$URL" "$T/cmp" >"$T/cmp.out" 2>&1
rc=$?
tail -n 1 "$T/cmp.out"
if [ $rc = 0 ]; then ok; else fail "compare.sh: $(grep -m5 DIFFER "$T/cmp.out")"; fi
n=$(sed -n 's/^compared \([0-9]*\) command runs.*/\1/p' "$T/cmp.out")
[ "${n:-0}" -ge "$([ "${COMPARE_QUICK:-0}" = 1 ] && echo 150 || echo 600)" ] && ok ||
  fail "compare.sh compared only ${n:-0} runs"
for c in recommend simulate "export focus" "task " calls; do
  if grep -q "^not on clickhouse: $c" "$T/cmp.out"; then fail "compare.sh: $c not answered"; else ok; fi
done

# ---- --approx: what crosses the wire is bounded by the occupied bins ----------
# (compare.sh above: the same --approx output on both.) The workload's task
# rows copied 20 times into another store (new task and trace ids, the same
# costs; the store also holds testdata/tasks's 5 tasks): 20 times the tasks,
# the same occupied bins. `tasks` receives a row per task, `tasks --approx` a
# row per type and occupied bin or calls value, so the copies cost it
# nothing: it must receive under a tenth of what `tasks` does (measured:
# 79,183 against 4,517 bytes), and no more than 10% over what it receives
# from the uncopied store (4,285).
bytes_of() { AGENTCOST_STATS=1 "$AGENTCOST" "$@" 2>&1 >/dev/null |
             sed -n 's/.* \([0-9]*\) bytes received.*/\1/p' | tail -1; }
URLC="clickhouse://127.0.0.1:$CH_HTTP1/accopy?cluster=ac2"
expect_rc "approx: a store for the copies" 0 ac ingest --db "$URLC" "$SRC/testdata/tasks/tasks.jsonl"
chq "$CH_HTTP1" "INSERT INTO accopy.span_local (task_id, trace_id, span_id, start_ns, trace_first,
    t_system, t_type, t_eval, t_start_ns, t_end_ns, t_llm_calls, t_cost_usd, version)
  SELECT concat(task_id, '#', toString(k)), concat(trace_id, '#', toString(k)), span_id, start_ns, 1,
         t_system, t_type, t_eval, t_start_ns, t_end_ns, t_llm_calls, t_cost_usd, version
  FROM actest.span FINAL ARRAY JOIN range(20) AS k WHERE trace_first = 1"
expect_eq "approx: 20 copies of every task" "$(( 20 * $(truth .tasks.all) + 5 ))" \
  "$(ac summary --db "$URLC" --format json | jq .tasks)"
b_one=$(bytes_of tasks --approx --db "$URL")
b_exact=$(bytes_of tasks --db "$URLC")
b_approx=$(bytes_of tasks --approx --db "$URLC")
echo "tasks on 20 copies: $b_exact bytes received, --approx $b_approx ($b_one on one copy)"
[ "${b_approx:-0}" -gt 0 ] && [ $((b_approx * 10)) -lt "${b_exact:-0}" ] && ok ||
  fail "approx: tasks --approx received $b_approx bytes, tasks $b_exact: not under a tenth"
[ "${b_approx:-0}" -gt 0 ] && [ $((b_approx * 10)) -le $((b_one * 11)) ] && ok ||
  fail "approx: tasks --approx received $b_approx bytes on 20 copies, $b_one on one"
# the exact figures of each type: 20 times the tasks and the cost
ac tasks --approx --db "$URL" --format json >"$T/a1.json"
ac tasks --approx --db "$URLC" --format json >"$T/a20.json"
expect_eq "approx: 20 times each type's tasks and cost" true \
  "$(jq -n --slurpfile a "$T/a1.json" --slurpfile b "$T/a20.json" '
      [$a[0].groups[] | . as $g | ($b[0].groups[] | select(.task_type == $g.task_type)) as $h |
       ($h.tasks == 20 * $g.tasks) and
       ((20 * $g.cost_total - $h.cost_total) | (if . < 0 then -. else . end)) <= 1e-9 * $h.cost_total]
      | length > 5 and all')"

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

# ---- the reports: the same documents ------------------------------------------
# every text file of the weekly and an incident report alike (numbers to 1e-9
# relative, numcmp.awk), the same files and charts
for r in "weekly" "weekly --by user" "weekly --approx" "incident --from 2025-06-03T10:00:00Z --to 2025-06-03T14:00:00Z"; do
  rm -rf "$T/ra" "$T/rb"
  # shellcheck disable=SC2086
  ac report $r --db "$T/s.db" -o "$T/ra" >/dev/null 2>&1
  # shellcheck disable=SC2086
  expect_rc "report $r on clickhouse" 0 ac report $r --db "$URL" -o "$T/rb"
  expect_eq "report $r: the same files" "$(cd "$T/ra" && find . -type f | sort)" \
    "$(cd "$T/rb" && find . -type f | sort)"
  nf=0
  for f in $(cd "$T/ra" && find . -type f \( -name '*.html' -o -name '*.md' -o -name '*.csv' \)); do
    nf=$((nf + 1))
    why=$(awk -v A="$T/ra/$f" -v B="$T/rb/$f" -f "$SRC/tests/clickhouse/numcmp.awk") ||
      fail "report $r: $f: $why"
  done
  [ "$nf" -ge 10 ] && ok || fail "report $r: only $nf text files compared"
done

# ---- re-ingest and an overlapping file count nothing twice -------------------
head -n 400 "$T/w.jsonl" >"$T/overlap.jsonl"
expect_rc "re-ingest" 0 ac ingest --db "$URL" "$T/w.jsonl" "$T/overlap.jsonl"
ac summary --db "$URL" --format json >"$T/sum2.json"
expect_eq "re-ingest: same summary" "$(cat "$T/sum.json")" "$(cat "$T/sum2.json")"
expect_eq "re-ingest: spans (SQL)" "$(truth .spans)" "$(chq "$CH_HTTP1" "SELECT count() FROM actest.span FINAL")"
expect_eq "re-ingest: tasks (SQL)" "$(truth .tasks.all)" "$(chq "$CH_HTTP1" "SELECT uniqExact(task_id) FROM actest.span FINAL")"
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

# ---- a trace that joins an agentcost.task.id group in a later file ------------
# testdata/tasks: job-42 groups traces ccc..3 and ccc..4 (t_tasks.sh: 4 spans,
# 2 calls, 0.00063 USD). The root of ccc..4, the span that names job-42, comes
# in a second file (then first): ccc..4 was its own task, and must not stay one.
TD=$SRC/testdata/tasks/tasks.jsonl
grep -v '"span_id":"4000000000000001"' "$TD" >"$T/ta.jsonl"
grep '"span_id":"4000000000000001"' "$TD" >"$T/tb.jsonl"
ac ingest --db "$T/tasks.db" "$TD" >/dev/null
ac tasks --each --include-eval --db "$T/tasks.db" --format csv >"$T/tasks.a"
job42="job-42,research-agent,research,2025-06-01T12:03:20.000Z,2025-06-01T12:05:10.000Z,4,2,0,3000,300,0.00063,0,0"
expect_eq "tasks.jsonl on SQLite: job-42 (hand-computed)" "$job42" "$(grep '^job-42,' "$T/tasks.a")"
n=0
for order in "ta tb" "tb ta"; do
  n=$((n + 1))
  U="clickhouse://127.0.0.1:$CH_HTTP1/acgroup$n?cluster=ac2"
  for f in $order; do ac ingest --db "$U" "$T/$f.jsonl" >/dev/null 2>&1; done
  ac tasks --each --include-eval --db "$U" --format csv >"$T/tasks.b"
  expect_eq "group joined later ($order): job-42" "$job42" "$(grep '^job-42,' "$T/tasks.b")"
  expect_eq "group joined later ($order): every task as SQLite's" "" "$(diff "$T/tasks.a" "$T/tasks.b")"
  expect_eq "group joined later ($order): ccc..4 is no task of its own" "" \
    "$(grep '^ccccccccccccccccccccccccccccccc4' "$T/tasks.b")"
done

# ---- a task of two traces on two shards, by user ------------------------------
# job-42's traces ccc..3 and ccc..4 hash to different shards (checked below);
# alice on ccc..3's root (12:03:20), bob on ccc..4's (12:05:00): by the rule
# (a root span, the earliest first) job-42 is alice's, all 0.00063 of it,
# also for the spans of ccc..4 on the other shard.
jq -c 'if .span_id == "3000000000000001" then .attributes["user.id"] = "alice"
       elif .span_id == "4000000000000001" then .attributes["user.id"] = "bob" else . end' \
  "$TD" >"$T/users.jsonl"
U="clickhouse://127.0.0.1:$CH_HTTP1/acusers?cluster=ac2"
ac ingest --db "$T/users.db" "$T/users.jsonl" >/dev/null
expect_rc "two-shard task: ingest" 0 ac ingest --db "$U" "$T/users.jsonl"
on3=$(chq "$CH_HTTP1" "SELECT count() FROM acusers.span_local WHERE trace_id = 'ccccccccccccccccccccccccccccccc3'")
on4=$(chq "$CH_HTTP1" "SELECT count() FROM acusers.span_local WHERE trace_id = 'ccccccccccccccccccccccccccccccc4'")
[ $((on3 * on4)) = 0 ] && [ $((on3 + on4)) -gt 0 ] && ok || fail "job-42's traces on one shard ($on3, $on4): the check below tests nothing"
ac top user --db "$U" --format csv >"$T/top.b"
expect_grep "two-shard task: alice has job-42's 0.00063" '^alice,1,0.00063' "$T/top.b"
expect_no_grep "two-shard task: bob has no task" '^bob,' "$T/top.b"
for c in "top user" "tasks --by user" "summary --by user" "hidden --by user" "models --by user" "spc --by user"; do
  # shellcheck disable=SC2086
  ac $c --include-eval --format csv --db "$T/users.db" >"$T/u.a" 2>&1 || ac $c --format csv --db "$T/users.db" >"$T/u.a" 2>&1
  # shellcheck disable=SC2086
  ac $c --include-eval --format csv --db "$U" >"$T/u.b" 2>&1 || ac $c --format csv --db "$U" >"$T/u.b" 2>&1
  expect_eq "two-shard task: $c as SQLite's" "" "$(diff "$T/u.a" "$T/u.b")"
done

# ---- hostile text: names with tabs, newlines, quotes, backslashes ------------
jq -c 'if .resource["service.name"] then .resource["service.name"] = "svc\t\"q\"\n\\x'"'"'); DROP TABLE span; --" else . end
       | if .attributes["gen_ai.request.model"] then .attributes["gen_ai.request.model"] = "m\\odel\ttab" else . end' \
  "$TD" >"$T/hostile.jsonl"
U="clickhouse://127.0.0.1:$CH_HTTP1/achostile?cluster=ac2"
expect_rc "hostile: ingest sqlite" 0 ac ingest --db "$T/hostile.db" "$T/hostile.jsonl"
expect_rc "hostile: ingest clickhouse" 0 ac ingest --db "$U" "$T/hostile.jsonl"
for c in "tasks --each --include-eval" "hidden" "summary" "outliers" "models"; do
  for f in json csv; do
    # shellcheck disable=SC2086
    ac $c --format $f --db "$T/hostile.db" >"$T/h.a" 2>&1
    # shellcheck disable=SC2086
    ac $c --format $f --db "$U" >"$T/h.b" 2>&1
    expect_eq "hostile: $c --format $f as SQLite's" "" "$(diff "$T/h.a" "$T/h.b")"
  done
done
ac tasks --each --format json --db "$U" >"$T/h.json"
expect_grep "hostile: the name came back whole" 'svc\\t\\"q\\"\\n\\\\x'"'"'\); DROP TABLE span; --' "$T/h.json"
ac models --format json --db "$U" >"$T/hm.json"
expect_grep "hostile: the model too" 'm\\\\odel\\ttab' "$T/hm.json"
expect_eq "hostile: the table is still there" "$(wc -l <"$T/hostile.jsonl")" \
  "$(chq "$CH_HTTP1" "SELECT count() FROM achostile.span FINAL")"

# ---- late spans that change tasks -------------------------------------------
# each in two ingests into ClickHouse, against both files in one SQLite store:
#   t1: a late root carries agentcost.task.id: trace-task e..01 becomes job-7
#       (its spans are sent again under job-7: no trace-task e..01 is left)
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
printf 'complexity,model\n,claude-3-5-haiku\n' >"$T/late.csv"
# (spans are sharded by trace: a span whose task changes is replaced where it
# is, so the span counts agree too)
for c in "summary" "hidden" "tasks --each --include-eval" "tasks --each --since 2025-07-01" "tasks --each --until 2025-07-01" \
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

# ---- dimensions: the value rule's corner cases --------------------------------
# testdata/dims and testdata/dims_by2, made by hand (t_dims*.sh): values on the
# resource, the earliest carrier, two carriers at one start (the lower span id
# wins), users beside sessions, agents and environments; testdata/dims/
# where.jsonl, two task types and two systems per user. t_dims.sh's order of
# `top user`, then every built-in dimension in each command with --by/--where,
# and --where alone in the four listings that keep their plain shape with it
# (tasks per type, outliers per type, hidden per system, summary's figures):
# SQLite's output byte for byte.
URL4="clickhouse://127.0.0.1:$CH_HTTP1/acdims?cluster=ac2"
expect_rc "dims: ingest clickhouse" 0 ac ingest --db "$URL4" "$SRC/testdata/dims/dims.jsonl"
ac top user --db "$URL4" --format csv >"$T/du.csv"
expect_eq "dims: top user on clickhouse (t_dims.sh's figures)" \
  "erin:3 dave:1 frank:1 carol:1 (none):1 alice:1 hank:1" \
  "$(tail -n +2 "$T/du.csv" | cut -d, -f1,2 | tr ',' ':' | tr '\n' ' ' | sed 's/ $//')"
for f in "$SRC/testdata/dims/dims.jsonl" "$SRC/testdata/dims/by1.jsonl" "$SRC/testdata/dims/where.jsonl" \
         "$SRC"/testdata/dims_by2/*.jsonl; do
  ac ingest --db "$T/d.db" "$f" >/dev/null 2>&1 || fail "dims: ingest sqlite $f"
  [ "$f" = "$SRC/testdata/dims/dims.jsonl" ] && continue
  ac ingest --db "$URL4" "$f" >/dev/null 2>&1 || fail "dims: ingest clickhouse $f"
done
nd=0
for dim in user session agent environment system task_type model; do
  for c in "tasks --by $dim" "tasks --each --by $dim" "summary --by $dim" "models --by $dim" \
           "hidden --by $dim" "spc --by $dim" "outliers --by $dim" "top $dim --where user=erin" \
           "tasks --by $dim,user --since 2025-06-02"; do
    # shellcheck disable=SC2086
    ac $c --db "$T/d.db" --format csv >"$T/da" 2>&1
    # shellcheck disable=SC2086
    ac $c --db "$URL4" --format csv >"$T/db" 2>&1
    if cmp -s "$T/da" "$T/db"; then nd=$((nd + 1)); else fail "dims: $c differs: $(diff "$T/da" "$T/db" | head -3)"; fi
  done
done
# u1 has tasks of three types here (by1's order, where.jsonl's quote and
# refund), erin's are support-agent's, u2's include an unpriced call
for c in "tasks --where user=erin" "tasks --where user=u1" "outliers --where user=u1" \
         "outliers --where user=u1 --runaways" "hidden --where user=erin" "hidden --where user=u1" \
         "summary --where user=erin" "summary --where user=u2"; do
  for f in csv json; do
    # shellcheck disable=SC2086
    ac $c --db "$T/d.db" --format $f >"$T/da" 2>&1
    # shellcheck disable=SC2086
    ac $c --db "$URL4" --format $f >"$T/db" 2>&1
    if cmp -s "$T/da" "$T/db"; then nd=$((nd + 1)); else fail "dims: $c --format $f differs: $(diff "$T/da" "$T/db" | head -3)"; fi
  done
done
expect_eq "dims: commands alike on both" 79 "$nd"
expect_eq "dims: --where alone on clickhouse, per task type" "order quote refund" \
  "$(ac tasks --where user=u1 --db "$URL4" --format csv | tail -n +2 | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "dims: summary --where on clickhouse, u2's unpriced model" '["acme-llm"]' \
  "$(ac summary --where user=u2 --db "$URL4" --format json | jq -c .unpriced_models)"
# The root beats an earlier span whose parent is not in its task (the value
# rule: the root, then spans whose parent is outside the task, then the
# others; each by start): trace r1's root (user rootuser, +10 s) and a span
# at +0 s whose parent (...99) was never seen (user orphanuser). The root is
# the span without a parent, which the span table must hold as NULL (an
# earlier build sent '' and ranked the root with the orphans: orphanuser).
# Its call 1000/0 = 0.00015 (gpt-4o-mini 0.15 per million).
cat >"$T/orphan.jsonl" <<'JSON'
{"trace_id":"000000000000000000000000000000a1","span_id":"a100000000000001","name":"agent","start_time_unix_nano":1751328010000000000,"end_time_unix_nano":1751328100000000000,"attributes":{"user.id":"rootuser"},"resource":{"service.name":"svc-o"}}
{"trace_id":"000000000000000000000000000000a1","span_id":"a100000000000002","parent_span_id":"a100000000000099","name":"chat","start_time_unix_nano":1751328000000000000,"end_time_unix_nano":1751328020000000000,"attributes":{"user.id":"orphanuser","gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":0},"resource":{"service.name":"svc-o"}}
JSON
URL5="clickhouse://127.0.0.1:$CH_HTTP1/acorphan?cluster=ac2"
expect_rc "orphan: ingest clickhouse" 0 ac ingest --db "$URL5" "$T/orphan.jsonl"
expect_rc "orphan: ingest sqlite" 0 ac ingest --db "$T/orphan.db" "$T/orphan.jsonl"
expect_eq "orphan: the root's parent is stored as NULL" "1 1" \
  "$(chq "$CH_HTTP1" "SELECT countIf(isNull(parent_span_id)), countIf(parent_span_id = 'a100000000000099') FROM acorphan.span FINAL" | tr '\t' ' ')"
for db in "$T/orphan.db" "$URL5"; do
  expect_eq "orphan: the root's user ($db)" "rootuser:0.00015" \
    "$(ac top user --db "$db" --format json | jget '[.top[] | "\(.user):\(.cost)"] | join(" ")')"
done
ac tasks --by attr:team --db "$URL4" >"$T/out" 2>"$T/err"
[ $? -ne 0 ] && ok || fail "dims: attr:KEY on clickhouse should be refused"
expect_grep "dims: attr:KEY refused, saying why" \
  "attr:team: not answered on the ClickHouse backend.*originals" "$T/err"

# ---- a file that fails beside one that reads: the one read is kept -----------
UM="clickhouse://127.0.0.1:$CH_HTTP1/acmissing?cluster=ac2"
expect_rc "a missing file beside a good one: exit 1" 1 ac ingest --db "$UM" "$T/h1.jsonl" "$T/no-such.jsonl"
ac ingest --db "$T/h1.db" "$T/h1.jsonl" >/dev/null 2>&1
expect_eq "the good file's spans are in ClickHouse" "$(ac summary --db "$T/h1.db" --format json | jq .spans)" \
  "$(chq "$CH_HTTP1" "SELECT count() FROM acmissing.span FINAL")"

# ---- a server that is down, a server that refuses -----------------------------
expect_rc "server down" 1 ac summary --db "clickhouse://127.0.0.1:1/x"
expect_rc "server down: ingest" 1 ac ingest --db "clickhouse://127.0.0.1:1/x" "$T/h1.jsonl"
expect_grep "server down: says where" "clickhouse://127.0.0.1:1" "$T/err"
expect_rc "unknown user" 1 ac summary --db "clickhouse://nobody@127.0.0.1:$CH_HTTP1/actest"
expect_grep "unknown user: the server's message" "HTTP [0-9]+: .*nobody" "$T/err"
expect_rc "no such cluster" 1 ac summary --db "clickhouse://127.0.0.1:$CH_HTTP1/actest?cluster=nope"
expect_grep "no such cluster: says so" "no cluster nope" "$T/err"
expect_rc "bad database name" 1 ac summary --db "clickhouse://127.0.0.1:$CH_HTTP1/a;b"
# reconcile and budget check: as on SQLite
UR="clickhouse://127.0.0.1:$CH_HTTP1/acrec?cluster=ac2"
ac ingest --db "$T/rec.db" "$SRC/testdata/reconcile/traces.jsonl" >/dev/null 2>&1
expect_rc "reconcile: ingest clickhouse" 0 ac ingest --db "$UR" "$SRC/testdata/reconcile/traces.jsonl"
for f in openai_costs.csv anthropic_cost.csv generic.csv; do
  ac reconcile "$SRC/testdata/reconcile/$f" --format json --db "$T/rec.db" >"$T/rec.a" 2>"$T/rec.ae"
  ac reconcile "$SRC/testdata/reconcile/$f" --format json --db "$UR" >"$T/rec.b" 2>"$T/rec.be"
  expect_eq "reconcile $f as SQLite's" "" "$(diff "$T/rec.a" "$T/rec.b")"
  expect_eq "reconcile $f: the same warnings" "" "$(diff "$T/rec.ae" "$T/rec.be")"
  jq -e .rows "$T/rec.a" >/dev/null 2>&1 && ok || fail "reconcile $f: no rows on SQLite: $(head -c 200 "$T/rec.a")"
done
printf 'scope,value,period,limit_usd\nsystem,doc-agent,day,5\nmodel,gpt-4o-2024-08-06,day,1\nall,,day,10\nuser,*,day,0.5\n' >"$T/b.csv"
ac budget check "$T/b.csv" --now 2025-06-04T12:00:00Z --format csv --db "$T/s.db" >"$T/ba" 2>&1
ac budget check "$T/b.csv" --now 2025-06-04T12:00:00Z --format csv --db "$URL" >"$T/bb" 2>&1
expect_eq "budget check as SQLite's" "" "$(diff "$T/ba" "$T/bb")"
[ "$(wc -l <"$T/bb")" -ge 5 ] && ok || fail "budget check: $(cat "$T/bb")"
expect_rc "prices refused" 1 ac prices import "$T/w.jsonl" --db "$URL"
expect_grep "prices refused: says why" "not available on a ClickHouse store" "$T/err"
expect_rc "no twin (the originals stay in SQLite): refused" 1 ac show 1000000000000001 --db "$URL"
expect_grep "no twin: names it" "not answered on the ClickHouse backend" "$T/err"

# ---- outliers judged in the server ---------------------------------------------
# On ClickHouse the types' order statistics (outliers_stats.sql) and the
# judging (outliers_judge.sql) run in the server. A case worked out by hand:
# one trace per task (agentcost.task.id), hand-agent, gpt-4o-mini at 0.15 USD
# per million input tokens, each LLM call its own span name (no repeats).
# 2025-07-01 (ISO week 2025-W27):
#   alpha a1..a5: 1, 2, 3, 4, 12 calls of 1000 tokens: costs 0.00015 x (1 2 3
#     4 12) = 0.00015 0.0003 0.00045 0.0006 0.0018 (n = 5, h = 4 x 0.5 = 2:
#     rank 2) median 0.00045, threshold 0.00135: a5 an outlier, saving 0.00045;
#     calls 1 2 3 4 12: h = 4 x 0.999 = 3.996, p99.9 = 4 + 0.996 x 8 = 11.968:
#     a5 (12) a runaway by call count
#   alpha ae: an evaluation run (deployment.environment.name eval), 20 calls
#     of 10000 tokens = 0.03: left out of everything
#   beta b1..b4: calls of 2000; 5000; 4000 + 2000 then the tool search 6
#     times in a row; 4000 + 4000 + 9000 tokens: costs 0.0003 0.00075 0.0009
#     0.00255 (n = 4, h = 1.5) median 0.00075 + 0.5 x 0.00015 = 0.000825,
#     threshold 0.002475: b4 an outlier, saving 0.000075; calls 1 1 2 3: h =
#     2.997, p99.9 = 2 + 0.997 x 1 = 2.997: b4 (3) a runaway by call count;
#     b3 by its repeated step (6 > 5)
#   totals: 2 outliers (b4 0.00255, a5 0.0018, dearest first), savings
#     0.000525, 3 runaways (a5, b3, b4: by type, then task id); the week's
#     production spend 0.0033 + 0.0045 = 0.0078, savings 6.7% of it
# 2025-07-08, judged by `report incident` against the 7 days before:
#   a6 (alpha): 10 calls, 0.0015 > alpha's threshold there (0.00135): an
#     outlier saving 0.00015 (against its own window, alone, it would be
#     none); g1 (gamma, 1 call): no gamma task in the 7 days before, judged
#     against itself (1 task type judged against its own tasks): nothing
# --by model (the same judge per group of equal values: here one group, the
# nine production tasks' gpt-4o-mini calls): costs 0.00015 0.0003 0.0003
# 0.00045 0.0006 0.00075 0.0009 0.0018 0.00255 (n = 9, h = 4): median 0.0006,
# threshold 0.0018: b4 an outlier saving 0.00075; a5 (0.0018) lands on the
# threshold up to rounding: none (the 1e-12 tolerance); calls 1 1 1 2 2 3 3 4
# 12: h = 7.992, p99.9 = 4 + 0.992 x 8 = 11.936: a5 a runaway, b3 by its
# repeated step. --by task_type gives the per-type figures above.
# A rank off by one in the server moves every median and p99.9 above.
hand_n=0
hand_task() { # TASK TYPE START_S ENV SEARCHES TOKENS...: one trace
  local id=$1 ty=$2 t=$3 env=$4 searches=$5 k=1 tok
  shift 5
  hand_n=$((hand_n + 1))
  local tr res root
  tr=$(printf 'f00d%028d' "$hand_n")
  root=$(printf '%08d%08d' "$hand_n" 1)
  res='"resource":{"service.name":"hand-agent","deployment.environment.name":"'$env'"}'
  printf '{"trace_id":"%s","span_id":"%s","parent_span_id":null,"name":"invoke_agent %s","start_time_unix_nano":%s000000000,"end_time_unix_nano":%s000000000,"status":"UNSET","attributes":{"gen_ai.operation.name":"invoke_agent","agentcost.task.type":"%s","agentcost.task.id":"%s"},%s}\n' \
    "$tr" "$root" "$ty" "$t" "$((t + 100))" "$ty" "$id" "$res"
  for tok in "$@"; do
    k=$((k + 1))
    printf '{"trace_id":"%s","span_id":"%08d%08d","parent_span_id":"%s","name":"chat %d","start_time_unix_nano":%s000000000,"end_time_unix_nano":%s500000000,"status":"UNSET","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":%s,"gen_ai.usage.output_tokens":0},%s}\n' \
      "$tr" "$hand_n" "$k" "$root" "$k" "$((t + k))" "$((t + k))" "$tok" "$res"
  done
  for _ in $(seq "$searches"); do
    k=$((k + 1))
    printf '{"trace_id":"%s","span_id":"%08d%08d","parent_span_id":"%s","name":"execute_tool search","start_time_unix_nano":%s000000000,"end_time_unix_nano":%s500000000,"status":"UNSET","attributes":{"gen_ai.operation.name":"execute_tool","gen_ai.tool.name":"search"},%s}\n' \
      "$tr" "$hand_n" "$k" "$root" "$((t + k))" "$((t + k))" "$res"
  done
}
d1=1751328000 # 2025-07-01T00:00:00Z
d8=1751932800 # 2025-07-08T00:00:00Z
{ hand_task a1 alpha $d1 prod 0 1000
  hand_task a2 alpha $((d1 + 600)) prod 0 1000 1000
  hand_task a3 alpha $((d1 + 1200)) prod 0 1000 1000 1000
  hand_task a4 alpha $((d1 + 1800)) prod 0 1000 1000 1000 1000
  hand_task a5 alpha $((d1 + 2400)) prod 0 $(printf '1000 %.0s' $(seq 12))
  hand_task ae alpha $((d1 + 3000)) eval 0 $(printf '10000 %.0s' $(seq 20))
  hand_task b1 beta $((d1 + 3600)) prod 0 2000
  hand_task b2 beta $((d1 + 4200)) prod 0 5000
  hand_task b3 beta $((d1 + 4800)) prod 6 4000 2000
  hand_task b4 beta $((d1 + 5400)) prod 0 4000 4000 9000
  hand_task a6 alpha $d8 prod 0 $(printf '1000 %.0s' $(seq 10))
  hand_task g1 gamma $((d8 + 600)) prod 0 1000
} >"$T/hand.jsonl"
UH="clickhouse://127.0.0.1:$CH_HTTP1/achand?cluster=ac2"
expect_rc "outliers by hand: ingest sqlite" 0 ac ingest --db "$T/hand.db" "$T/hand.jsonl"
expect_rc "outliers by hand: ingest clickhouse" 0 ac ingest --db "$UH" "$T/hand.jsonl"
ac outliers --until 2025-07-02 --format json --db "$UH" >"$T/ho.json" 2>&1
ho() { jq -r "$1" "$T/ho.json"; }
expect_eq "outliers by hand: dearest first" "b4 a5" "$(ho '[.outliers[].task_id] | join(" ")')"
expect_close "outliers by hand: b4's median" 0.000825 "$(ho '.outliers[0].median')" 1e-12
expect_close "outliers by hand: b4's threshold" 0.002475 "$(ho '.outliers[0].threshold')" 1e-12
expect_close "outliers by hand: b4 saves" 0.000075 "$(ho '.outliers[0].guardrail_savings')" 1e-12
expect_close "outliers by hand: a5's median" 0.00045 "$(ho '.outliers[1].median')" 1e-12
expect_close "outliers by hand: a5 saves" 0.00045 "$(ho '.outliers[1].guardrail_savings')" 1e-12
expect_eq "outliers by hand: a5's row" "alpha hand-agent 12 gpt-4o-mini" \
  "$(ho '.outliers[1] | "\(.task_type) \(.system) \(.llm_calls) \(.top_model)"')"
expect_eq "outliers by hand: runaways by type, then task id" \
  "a5:call_count b3:repeated_step b4:call_count" \
  "$(ho '[.runaways[] | .task_id + ":" + (.reasons | join(";"))] | join(" ")')"
expect_close "outliers by hand: alpha's calls p99.9" 11.968 "$(ho '.runaways[0].calls_p999')" 1e-9
expect_close "outliers by hand: beta's calls p99.9" 2.997 "$(ho '.runaways[2].calls_p999')" 1e-9
expect_eq "outliers by hand: totals" "2 3" "$(ho '"\(.totals.tasks_stopped) \(.totals.runaways)"')"
expect_close "outliers by hand: savings" 0.000525 "$(ho '.totals.savings')" 1e-12
expect_no_grep "outliers by hand: the evaluation run left out" '"ae"' "$T/ho.json"
ac outliers --until 2025-07-02 --db "$UH" >"$T/ho.txt" 2>&1
expect_grep "outliers by hand: the table's totals line" \
  "^2 tasks over 3 x the median of their type: .* saved 0.0005 USD; 3 runaways" "$T/ho.txt"
# hand_alike COMMAND...: each one's JSON and CSV on the cluster as on SQLite
hand_alike() {
  local c f
  for c in "$@"; do
    for f in json csv; do
      # shellcheck disable=SC2086
      ac $c --format $f --db "$T/hand.db" >"$T/h.a" 2>&1
      # shellcheck disable=SC2086
      ac $c --format $f --db "$UH" >"$T/h.b" 2>&1
      expect_eq "outliers by hand: $c --format $f as SQLite's" "" "$(diff "$T/h.a" "$T/h.b")"
    done
  done
}
hand_alike "outliers" "outliers --until 2025-07-02 --runaways" "outliers --since 2025-07-08"
ac outliers --by model --until 2025-07-02 --format json --db "$UH" >"$T/ho.json" 2>&1
expect_eq "outliers by hand, --by model: the outlier" "gpt-4o-mini b4" \
  "$(ho '[.outliers[] | .model + " " + .task_id] | join(" ")')"
expect_close "outliers by hand, --by model: the median" 0.0006 "$(ho '.outliers[0].median')" 1e-12
expect_close "outliers by hand, --by model: savings" 0.00075 "$(ho '.totals.savings')" 1e-12
expect_eq "outliers by hand, --by model: runaways" "a5:call_count b3:repeated_step" \
  "$(ho '[.runaways[] | .task_id + ":" + (.reasons | join(";"))] | join(" ")')"
expect_close "outliers by hand, --by model: calls p99.9" 11.936 "$(ho '.runaways[0].calls_p999')" 1e-9
ac outliers --by task_type --until 2025-07-02 --format json --db "$UH" >"$T/ho.json" 2>&1
expect_eq "outliers by hand, --by task_type: as per type" "b4:0.000825 a5:0.00045 | a5 b3 b4" \
  "$(ho '([.outliers[] | "\(.task_id):\(.median)"] | join(" ")) + " | " + ([.runaways[].task_id] | join(" "))')"
hand_alike "outliers --by model" "outliers --by task_type --runaways" "outliers --by model,task_type --until 2025-07-02"
# the week's spend, through the weekly report's share of it
rm -rf "$T/hw"
expect_rc "outliers by hand: report weekly" 0 ac report weekly --week 2025-W27 --db "$UH" -o "$T/hw"
expect_grep "outliers by hand: weekly savings, 6.7% of the spend" \
  "would have saved \\\$0\.000525 \(6\.7% of the week's production task spend\)" "$T/hw/report.md"
# the reference window: a6 against alpha of the week before, g1 against itself
rm -rf "$T/hi"
expect_rc "outliers by hand: report incident" 0 \
  ac report incident --from 2025-07-08T00:00:00Z --to 2025-07-08T12:00:00Z --db "$UH" -o "$T/hi"
expect_eq "outliers by hand: incident outliers (against the week before)" "a6" \
  "$(tail -n +2 "$T/hi/outliers.csv" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
expect_grep "outliers by hand: incident, a6 against alpha's median" "^a6,hand-agent,alpha,0\.0015,10,0\.00045,0\.00135,0\.00015," "$T/hi/outliers.csv"
expect_eq "outliers by hand: incident runaways" "1" "$(wc -l <"$T/hi/runaways.csv" | tr -d ' ')"
expect_grep "outliers by hand: incident, gamma judged against itself" \
  "1 task type had no task in the 7 days before the window and is judged against its own tasks" "$T/hi/report.md"
rm -rf "$T/hs"
ac report incident --from 2025-07-08T00:00:00Z --to 2025-07-08T12:00:00Z --db "$T/hand.db" -o "$T/hs" >/dev/null 2>&1
for f in outliers.csv runaways.csv report.md; do
  expect_eq "outliers by hand: incident $f as SQLite's" "" "$(diff "$T/hs/$f" "$T/hi/$f")"
done
# what crosses the wire: the totals and the listed tasks, not a row per task.
# On the workload above (599 production tasks, 100 outliers) `outliers`
# received 58,922 bytes when every task crossed (twice); now 6,910: at most
# 100 bytes a listed task and 2,000 more. With nothing listed (--factor
# 1000000: no outlier) 444 bytes, against 58,054 before: under 1,000; `--by
# user` (a row per group of the 40 users) 1,140 against 60,578: under 2,000.
nl=$(ac outliers --db "$URL" --format csv | tail -n +2 | wc -l)
b_out=$(bytes_of outliers --db "$URL" --format csv)
b_none=$(bytes_of outliers --factor 1000000 --db "$URL" --format csv)
echo "outliers: $b_out bytes received for $nl listed tasks; $b_none with none listed"
[ "$nl" -gt 20 ] && [ "${b_out:-999999}" -le $((100 * nl + 2000)) ] && ok ||
  fail "outliers: $b_out bytes received for $nl listed tasks (want <= 100 a task + 2,000)"
[ -n "$b_none" ] && [ "$b_none" -lt 1000 ] && ok ||
  fail "outliers: $b_none bytes received with no task listed (want < 1,000)"
b_by=$(bytes_of outliers --by user --factor 1000000 --db "$URL" --format csv)
[ -n "$b_by" ] && [ "$b_by" -lt 2000 ] && ok ||
  fail "outliers --by user: $b_by bytes received with no task listed (want < 2,000)"

# ---- the router's replay in the server ----------------------------------------
# testdata/router/tiers.flat.jsonl (t_simulate.sh computes it by hand): one qa
# task, recorded 0.061635, replayed on claude-sonnet-4 2.1474, with a call
# above 200k tokens, one below, a call priced alone (cache read > input) and
# an unpriced model. Here it comes twice, from two ingests (so both staging
# stores number the call priced alone alike: the server must not sum the two
# into one), plus a qa task of one tool call and no LLM call (recorded 0).
# Hand figures: 3 tasks; baseline 2 x 0.061635 = 0.12327; simulated 2 x
# 2.1474 = 4.2948; per task before (0, 0.061635, 0.061635): p50 0.061635,
# mean 0.04109; after (0, 2.1474, 2.1474): p50 2.1474, mean 1.4316.
UT="clickhouse://127.0.0.1:$CH_HTTP1/acroute?cluster=ac2"
sed 's/7e900000000000000000000000000aa1/7e900000000000000000000000000bb2/' \
  "$SRC/testdata/router/tiers.flat.jsonl" >"$T/tiers2.jsonl"
cat >"$T/tool.jsonl" <<'EOT'
{"trace_id":"7e900000000000000000000000000cc3","span_id":"c000000000000001","parent_span_id":null,"name":"invoke_agent qa","start_time":"2025-06-10T11:00:00Z","end_time":"2025-06-10T11:00:05Z","status":"OK","attributes":{"gen_ai.operation.name":"invoke_agent","agentcost.task.type":"qa"},"resource":{"service.name":"tierbot"}}
{"trace_id":"7e900000000000000000000000000cc3","span_id":"c000000000000002","parent_span_id":"c000000000000001","name":"execute_tool search","start_time":"2025-06-10T11:00:01Z","end_time":"2025-06-10T11:00:02Z","status":"OK","attributes":{"gen_ai.operation.name":"execute_tool","gen_ai.tool.name":"search"},"resource":{"service.name":"tierbot"}}
EOT
ac ingest --db "$T/route.db" "$SRC/testdata/router/tiers.flat.jsonl" "$T/tiers2.jsonl" "$T/tool.jsonl" >/dev/null 2>&1
for f in "$SRC/testdata/router/tiers.flat.jsonl" "$T/tiers2.jsonl" "$T/tool.jsonl"; do
  expect_rc "router: ingest $(basename "$f") into clickhouse" 0 ac ingest --db "$UT" "$f"
done
AGENTCOST_STATS=1 ac simulate --map "$SRC/testdata/router/map_sonnet4.csv" --format json --db "$UT" \
  >"$T/rt.json" 2>"$T/rt.err"
expect_eq "router: tasks" 3 "$(jq .tasks "$T/rt.json")"
expect_close "router: baseline (hand)" 0.12327 "$(jq .baseline_cost "$T/rt.json")" 1e-12
expect_close "router: simulated (hand)" 4.2948 "$(jq .simulated_cost "$T/rt.json")" 1e-12
expect_close "router: p50 before (hand)" 0.061635 "$(jq .per_task.baseline.p50 "$T/rt.json")" 1e-12
expect_close "router: p50 after (hand)" 2.1474 "$(jq .per_task.simulated.p50 "$T/rt.json")" 1e-12
expect_close "router: mean after (hand)" 1.4316 "$(jq .per_task.simulated.mean "$T/rt.json")" 1e-12
ac simulate --map "$SRC/testdata/router/map_sonnet4.csv" --format json --db "$T/route.db" >"$T/rs.json" 2>&1
expect_eq "router: simulate as SQLite's" "" "$(diff "$T/rs.json" "$T/rt.json")"
# no row per task or call crossed: the groups by key, the window, one row
expect_grep "router: statements counted" "clickhouse: [0-9]+ statements" "$T/rt.err"
got=$(sed -n 's/.* \([0-9]*\) bytes received.*/\1/p' "$T/rt.err")
[ -n "$got" ] && [ "$got" -lt 2000 ] && ok || fail "router: $got bytes received (want < 2000)"
# (cascades and output ratios need eval scores: compare.sh runs them on the
# generated workload, which has them)
ac recommend --min-samples 2 --format json --db "$T/route.db" >"$T/rt.a" 2>&1
ac recommend --min-samples 2 --format json --db "$UT" >"$T/rt.b" 2>&1
expect_eq "router: recommend as SQLite's" "" "$(diff "$T/rt.a" "$T/rt.b")"
expect_eq "router: recommend's class" "qa/simple" \
  "$(jq -r '.classes[] | .task_type + "/" + .complexity' "$T/rt.a" 2>&1)"

# a prompt of 99,999,999 tokens (above every context tier) and a call whose
# cache write exceeds its input (priced alone): the server's replay as SQLite's
cat >"$T/big.jsonl" <<'EOT'
{"trace_id":"7e900000000000000000000000000dd4","span_id":"d000000000000001","parent_span_id":null,"name":"invoke_agent qa","start_time":"2025-06-10T12:00:00Z","end_time":"2025-06-10T12:01:00Z","status":"OK","attributes":{"gen_ai.operation.name":"invoke_agent","agentcost.task.type":"qa","agentcost.complexity":"simple"},"resource":{"service.name":"tierbot"}}
{"trace_id":"7e900000000000000000000000000dd4","span_id":"d000000000000002","parent_span_id":"d000000000000001","name":"chat negative","start_time":"2025-06-10T12:00:01Z","end_time":"2025-06-10T12:00:02Z","status":"OK","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":50,"gen_ai.usage.cache_creation.input_tokens":2000},"resource":{"service.name":"tierbot"}}
{"trace_id":"7e900000000000000000000000000dd4","span_id":"d000000000000003","parent_span_id":"d000000000000001","name":"chat huge","start_time":"2025-06-10T12:00:03Z","end_time":"2025-06-10T12:00:04Z","status":"OK","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":99999999,"gen_ai.usage.output_tokens":10},"resource":{"service.name":"tierbot"}}
EOT
UB="clickhouse://127.0.0.1:$CH_HTTP1/acbig?cluster=ac2"
ac ingest --db "$T/big.db" "$T/big.jsonl" >/dev/null 2>&1
expect_rc "router: odd calls into clickhouse" 0 ac ingest --db "$UB" "$T/big.jsonl"
ac simulate --map "$SRC/testdata/router/map_sonnet4.csv" --format json --db "$T/big.db" >"$T/big.a" 2>&1
ac simulate --map "$SRC/testdata/router/map_sonnet4.csv" --format json --db "$UB" >"$T/big.b" 2>&1
expect_eq "router: odd calls as SQLite's" "" "$(diff "$T/big.a" "$T/big.b")"
jq -e '.simulated_cost > 500' "$T/big.a" >/dev/null && ok || fail "router: odd calls: $(head -c 200 "$T/big.a")"

# AGENTCOST_CH_LOG: every statement sent, from the schema set-up on, and no
# INSERT rows
UL="clickhouse://127.0.0.1:$CH_HTTP1/aclog?cluster=ac2"
AGENTCOST_CH_LOG=$T/ch.log ac ingest --db "$UL" "$T/tool.jsonl" >/dev/null 2>&1
AGENTCOST_CH_LOG=$T/ch.log ac summary --db "$UL" >/dev/null 2>&1
expect_grep "statement log: the schema set-up" "^CREATE TABLE IF NOT EXISTS" "$T/ch.log"
expect_grep "statement log: summary's query" "FROM span FINAL" "$T/ch.log"
expect_no_grep "statement log: no INSERT rows" "c000000000000002" "$T/ch.log"

# a span table of the previous build (no g_* call-group columns): ingest and
# the router stop and say what to do
chq "$CH_HTTP1" "CREATE DATABASE IF NOT EXISTS acold" >/dev/null
sed -e '/^  g_/d' -e 's/{name}/acold.span/' -e 's/{engine}/MergeTree() ORDER BY (trace_id, span_id)/' \
  "$SRC/schema/clickhouse/span.sql" | grep -v '^--' >"$T/old.sql"
chq "$CH_HTTP1" "$(cat "$T/old.sql")" >/dev/null
UO="clickhouse://127.0.0.1:$CH_HTTP1/acold"
expect_rc "old span table: ingest refused" 1 ac ingest --db "$UO" "$T/tool.jsonl"
expect_grep "old span table: ingest says why" "created by an older agentcost" "$T/err"
expect_rc "old span table: simulate refused" 1 ac simulate --map "$SRC/testdata/router/map_sonnet4.csv" --db "$UO"
expect_grep "old span table: simulate says what to do" "drop the database and ingest again" "$T/err"

"$CLUSTER" stop "$CH" >/dev/null 2>&1
finish
