#!/usr/bin/env bash
# tasks --approx and top --approx (issue #16; src/analysis/sketch.h): on
# generated workloads (gen's, one with gen's injection incident, and a
# hand-made fat tail over five decades of tokens with tasks that cost
# nothing), every figure --approx prints is within its stated bound of the
# exact output of the same command, the bounds worked out here from the bin
# width alone (eps = 2^-8; a ratio of two figures within eps each: 2 eps /
# (1 - eps); the tail index alpha: D alpha / (1 - D alpha), D = ln((1 + eps)
# / (1 - eps))), and the exact figures (tasks, cost total, mean, max, LLM
# calls; top's tasks, cost, share, previous cost and change) equal. The
# approximation shows (some percentile differs from the exact one).
# --histogram --approx moves a task to another bin only near a bin's edge;
# report weekly --approx's tables keep the same bounds; --each --approx is a
# usage error.
. "$(dirname "$0")/lib.sh"

expect_rc "gen" 0 ac gen --days 4 --tasks-per-day 120 --users 40 -o "$T/w.jsonl" -q
expect_rc "gen incident" 0 ac gen --days 2 --tasks-per-day 300 --users 20 --seed 5 \
  --incident-usd 200 -o "$T/i.jsonl" -q
# a fat tail: 400 tasks of one call of 10^(5u) input tokens (u uniform), every
# tenth task with no call at all (it costs nothing)
awk 'BEGIN {
  srand(11);
  for (i = 1; i <= 400; i++) {
    tr = sprintf("%032x", i); t0 = 1748736000 + i * 60;   # seconds (awk integers are doubles)
    printf "{\"trace_id\":\"%s\",\"span_id\":\"%016x\",\"parent_span_id\":null,\"name\":\"invoke_agent fat\",\"start_time_unix_nano\":%d000000000,\"end_time_unix_nano\":%d000000000,\"status\":\"UNSET\",\"attributes\":{\"gen_ai.operation.name\":\"invoke_agent\",\"agentcost.task.type\":\"fat\"},\"resource\":{\"service.name\":\"fat-agent\"}}\n", tr, 1, t0, t0 + 5;
    if (i % 10 == 0) continue;
    tok = int(10 ^ (5 * rand())) + 1;
    printf "{\"trace_id\":\"%s\",\"span_id\":\"%016x\",\"parent_span_id\":\"%016x\",\"name\":\"chat\",\"start_time_unix_nano\":%d000000000,\"end_time_unix_nano\":%d000000000,\"status\":\"UNSET\",\"attributes\":{\"gen_ai.operation.name\":\"chat\",\"gen_ai.request.model\":\"gpt-4o-mini\",\"gen_ai.usage.input_tokens\":%d,\"gen_ai.usage.output_tokens\":%d},\"resource\":{\"service.name\":\"fat-agent\"}}\n", tr, 2, 1, t0 + 1, t0 + 2, tok, int(tok / 10) + 1;
  } }' >"$T/f.jsonl"
expect_rc "ingest w" 0 ac ingest --db "$T/w.db" "$T/w.jsonl"
expect_rc "ingest i" 0 ac ingest --db "$T/i.db" "$T/i.jsonl"
expect_rc "ingest f" 0 ac ingest --db "$T/f.db" "$T/f.jsonl"
expect_eq "the fat tail: 40 tasks cost nothing" 40 \
  "$(ac tasks --each --db "$T/f.db" --format csv | awk -F, 'NR > 1 && $11 == 0' | wc -l | tr -d ' ')"

# check EXACT APPROX: the same header and keys (the columns before "tasks",
# or top's first), each column within its bound; prints the largest relative
# error of a percentile (p50 ... p999, top's p50 and p99) seen
check() {
  awk -F, -v X="$1" -v A="$2" '
    function abs(v) { return v < 0 ? -v : v }
    function rel(a, e) { return e == a ? 0 : abs(a - e) / (abs(e) > 0 ? abs(e) : 1) }
    BEGIN {
      eps = 2 ^ -8; slack = 1e-9; D = log((1 + eps) / (1 - eps));
      bound["p50"] = bound["p90"] = bound["p95"] = bound["p99"] = bound["p999"] = eps;
      bound["bottom10_mean"] = bound["top10_mean"] = eps;
      bound["top1_share"] = bound["top10_share"] = eps;
      bound["tail_ratio"] = 2 * eps / (1 - eps);
      bound["tail_index"] = bound["tail_index_se"] = -1;   # D alpha / (1 - D alpha)
      pct["p50"] = pct["p90"] = pct["p95"] = pct["p99"] = pct["p999"] = 1;
      while ((getline lx < X) > 0) {
        if ((getline la < A) <= 0) { print "approx has fewer lines"; bad = 1; exit 1 }
        nx = split(lx, x, ","); na = split(la, a, ",");
        if (nx != na) { print "columns differ: " lx " / " la; bad = 1; exit 1 }
        if (++line == 1) {
          if (lx != la) { print "headers differ"; bad = 1; exit 1 }
          nk = 1
          for (c = 1; c <= nx; c++) { h[c] = x[c]; if (x[c] == "tasks" && nk == 1) nk = c - 1 }
          if (x[1] != "task_type" && x[1] != "system" && x[2] == "tasks") nk = 1
          continue
        }
        for (c = 1; c <= nx; c++) {
          if (c <= nk) { if (x[c] != a[c]) { print "keys differ: " lx " / " la; bad = 1 } continue }
          if (x[c] == "" || a[c] == "") { if (x[c] != a[c]) { print h[c] " empty in one: " lx " / " la; bad = 1 } continue }
          r = rel(a[c] + 0, x[c] + 0)
          if (h[c] in bound) {
            b = bound[h[c]]
            # alpha: D alpha / (1 - D alpha) when D alpha < 1, else no bound
            if (b < 0) { al = (h[c] == "tail_index" ? x[c] : x[c - 1]) + 0; b = D * al < 1 ? D * al / (1 - D * al) : 1e300 }
          } else b = 0
          if (r > b + slack) { printf "%s: approx %s, exact %s: %.3g over the bound %.3g (%s)\n", h[c], a[c], x[c], r, b, x[1]; bad = 1 }
          if ((h[c] in pct) && r > worst) worst = r
        }
      }
      if ((getline la < A) > 0) { print "approx has more lines"; bad = 1 }
      if (line < 2) { print "no rows"; bad = 1 }
      if (!bad) printf "%.6g\n", worst
      exit bad
    }'
}

# a workload's commands, exact and --approx, compared; keeps the largest
# percentile error over all in $T/worst
: >"$T/worst"
run() {
  local db=$1; shift
  for c in "$@"; do
    # shellcheck disable=SC2086
    ac $c --db "$db" --format csv >"$T/x.csv" 2>"$T/x.err"
    # shellcheck disable=SC2086
    ac $c --approx --db "$db" --format csv >"$T/a.csv" 2>"$T/a.err"
    if w=$(check "$T/x.csv" "$T/a.csv"); then ok; echo "$w" >>"$T/worst"
    else fail "$(basename "$db") $c --approx: $w $(head -2 "$T/a.err")"; fi
  done
}
CMDS=("tasks" "tasks --by system" "tasks --by both" "tasks --include-eval" "tasks --by user"
      "tasks --by model" "tasks --by task_type,system --where environment=prod"
      "top user --limit 0" "top task_type" "top model --limit 5")
run "$T/w.db" "${CMDS[@]}" "tasks --since 2025-06-03" "top user --since 2025-06-03 --until 2025-06-04"
run "$T/i.db" "${CMDS[@]}"
run "$T/f.db" "tasks" "tasks --by model" "top task_type" "tasks --include-eval --by system"
worst=$(sort -g "$T/worst" | tail -1)
echo "largest relative error of a percentile: $worst (bound 2^-8 = 0.00390625)"
awk -v w="$worst" 'BEGIN { exit !(w > 0) }' && ok || fail "no percentile differs: is --approx approximating?"

# the fat tail's costs span decades: the sketch keeps them apart (p50 and p99
# differ by far more than the bound), and the tasks that cost nothing are exact
ac tasks --approx --db "$T/f.db" --format json >"$T/f.json"
expect_eq "fat tail: p50 > 0, p99 > 100 x p50" 1 \
  "$(jq '.[0] | if (.p50 > 0 and .p99 > 100 * .p50) then 1 else 0 end' "$T/f.json" 2>/dev/null ||
     jq '.groups[0] | if (.p50 > 0 and .p99 > 100 * .p50) then 1 else 0 end' "$T/f.json")"
ac tasks --approx --db "$T/f.db" --format csv | awk -F, 'NR == 2 { print $11 }' >"$T/b10"
expect_eq "fat tail: the bottom decile costs nothing (exactly)" 0 "$(cat "$T/b10")"

# --histogram --approx: the same bins, every task counted, and a task counted
# in another bin than its exact one only when its cost is within 2^-8 of that
# bin's edge (10^(b/5)): per type, the bins' counts differ by at most twice
# the tasks that near an edge (from tasks --each, the costs themselves)
for db in w i f; do
  ac tasks --histogram --db "$T/$db.db" --format csv >"$T/hx.csv"
  ac tasks --histogram --approx --db "$T/$db.db" --format csv >"$T/ha.csv"
  ac tasks --each --db "$T/$db.db" --format csv >"$T/each.csv"
  why=$(awk -F, -v X="$T/hx.csv" -v A="$T/ha.csv" -v E="$T/each.csv" '
    function abs(v) { return v < 0 ? -v : v }
    BEGIN {
      eps = 2 ^ -8
      while ((getline l < E) > 0) {
        split(l, f, ","); if (f[1] == "task_id" || f[13] != 0 || !(f[11] > 0)) continue
        c = f[11] + 0; b = int(log(c) / log(10) * 5 + 1e-9); if (log(c) / log(10) * 5 + 1e-9 < b) b--
        if ((c - 10 ^ (b / 5)) <= eps * c || (10 ^ ((b + 1) / 5) - c) <= eps * c) near[f[3]]++
      }
      while ((getline l < X) > 0) { split(l, f, ","); if (f[1] == "task_type") continue
        k = f[1] SUBSEP f[2]; x[k] = f[4]; tx[f[1]] += f[4]; keys[k] = 1 }
      while ((getline l < A) > 0) { split(l, f, ","); if (f[1] == "task_type") continue
        k = f[1] SUBSEP f[2]; a[k] = f[4]; ta[f[1]] += f[4]; keys[k] = 1 }
      for (k in keys) { split(k, kk, SUBSEP); d[kk[1]] += abs(a[k] - x[k]); if (!(k in x) || !(k in a)) nb = 1 }
      for (t in tx) {
        if (tx[t] != ta[t]) { print t ": " ta[t] " tasks counted, " tx[t] " exact"; bad = 1 }
        if (d[t] > 2 * near[t]) { print t ": counts differ by " d[t] ", " near[t] + 0 " tasks near an edge"; bad = 1 }
        moved += d[t]
      }
      if (nb) { print "the bins differ"; bad = 1 }
      if (!bad) print "ok " moved
      exit bad }') && ok || fail "$db: tasks --histogram --approx: $why"
  echo "$db: --histogram --approx: $why"
done

# report weekly --approx: its per-type table and "Who spent it" within the
# bounds of the exact report's, and it says it is approximate
ac report weekly --db "$T/w.db" -o "$T/rx" >/dev/null 2>&1
expect_rc "report weekly --approx" 0 ac report weekly --approx --db "$T/w.db" -o "$T/ra"
for f in task_types who; do
  if w=$(check "$T/rx/$f.csv" "$T/ra/$f.csv"); then ok; else fail "report weekly --approx: $f.csv: $w"; fi
done
expect_grep "report weekly --approx says so" "Approximate \(--approx\)" "$T/ra/report.md"
expect_no_grep "the exact report does not" "Approximate \(--approx\)" "$T/rx/report.md"

expect_rc "--each --approx: usage error" 2 ac tasks --each --approx --db "$T/w.db"
expect_grep "--each --approx says why" "--each lists every task" "$T/err"
finish
