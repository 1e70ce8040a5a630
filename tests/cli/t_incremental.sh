#!/usr/bin/env bash
# Traces as the Collector writes them, and files that grow (issue #14):
#  1. the store after ingesting the collector layout (spans in end order,
#     batched, records mixing traces, a trace over many records) equals the
#     store of the same workload in the trace layout (each trace whole in one
#     record): task by task, span by span (derived columns), hour x key of the
#     rollup, and every analysis's JSON (the call groups through recommend);
#  2. each trace is derived once on the collector layout (the ledger of
#     derivations: the ingest summary's "tasks derived" equals the tasks);
#  3. the same file cut at 24 random byte offsets (mid-line mostly) and
#     ingested as it grows, one run per cut, gives that same store, each run
#     reading only from where the last stopped (the ledger's read_from);
#  4. a rotation (the file renamed, a new one started under the old name) is
#     recognised by its inode: the renamed file is read from where its last
#     read stopped; a file rewritten in place is read whole again.
# The reference is the trace-layout store, i.e. agentcost's own older path;
# the figures of that path are checked by hand in other tests (t_gen: against
# the generator's truth, computed independently of the pricing code).
. "$(dirname "$0")/lib.sh"

# dump DB: the store's content without its ids (ids depend on arrival order)
dump() {
  sqlite3 "$1" "
    SELECT 'task', hex(tkey), (SELECT name FROM service WHERE id = system),
           (SELECT name FROM label WHERE id = task_type), start_ns, end_ns, spans, llm_calls,
           tool_calls, tokens_in, tokens_out, printf('%.9f', cost_usd), unpriced_calls, eval,
           tool_failures, retry_episodes, retry_attempts, max_repeat,
           (SELECT name FROM model WHERE id = top_model), (SELECT name FROM label WHERE id = top_purpose),
           (SELECT name FROM tool WHERE id = top_tool), top_tool_calls
      FROM task ORDER BY 2;
    SELECT 'span', hex(s.span_id), hex(t.tkey), s.step, printf('%.12f', s.cost_usd), s.cost_src,
           (SELECT name FROM label WHERE id = s.purpose_eff),
           (SELECT name FROM label WHERE id = s.complexity_eff),
           k.trace_first, (SELECT name FROM label WHERE id = k.purpose)
      FROM span s JOIN task t ON t.id = s.task JOIN rollup_key k ON k.id = s.rollup_key
      ORDER BY 2, 3;
    SELECT 'rollup', r.hour, (SELECT name FROM service WHERE id = k.system),
           (SELECT name FROM service WHERE id = k.service), (SELECT name FROM label WHERE id = k.task_type),
           k.eval, k.step, k.status, k.cost_src, (SELECT name FROM model WHERE id = k.model),
           (SELECT name FROM tool WHERE id = k.tool), (SELECT name FROM label WHERE id = k.purpose),
           (SELECT name FROM label WHERE id = k.complexity), k.trace_first,
           sum(r.spans), printf('%.9f', sum(r.cost_usd)), sum(r.tokens_in), sum(r.tokens_out),
           sum(r.tokens_cache_read), sum(r.scored), printf('%.9f', sum(r.score_sum))
      FROM rollup r JOIN rollup_key k ON k.id = r.key
      GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 ORDER BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14;"
}

# analyses DB: every analysis's JSON (not `calls`: its rows are store ids)
analyses() {
  local c
  for c in summary tasks models hidden outliers spc recommend; do
    echo "== $c"
    AGENTCOST_DB=$1 ac "$c" --format json 2>&1
  done
}

same_store() { # LABEL DB: DB holds what the trace-layout store holds
  dump "$2" >"$T/dump.b"
  if cmp -s "$T/dump.a" "$T/dump.b"; then ok; else
    fail "$1: store differs from the trace layout's"
    diff "$T/dump.a" "$T/dump.b" | head -8 >&2
  fi
  analyses "$2" >"$T/an.b"
  if cmp -s "$T/an.a" "$T/an.b"; then ok; else
    fail "$1: analyses differ from the trace layout's"
    diff "$T/an.a" "$T/an.b" | head -8 >&2
  fi
}

GEN=(gen --days 2 --tasks-per-day 400 --seed 7)
ac "${GEN[@]}" --layout trace -o "$T/trace.jsonl" --truth "$T/truth.json" 2>/dev/null
ac "${GEN[@]}" --layout collector -o "$T/coll.jsonl" 2>/dev/null
TASKS=$(jq '.tasks.all' "$T/truth.json")

# the collector layout really spreads traces and mixes them (python3 reads it)
python3 - "$T/coll.jsonl" >"$T/shape" <<'EOF'
import json, sys
recs_of, traces_in = {}, []
for n, line in enumerate(open(sys.argv[1])):
    ts = set()
    for rs in json.loads(line)["resourceSpans"]:
        for ss in rs["scopeSpans"]:
            for sp in ss["spans"]:
                ts.add(sp["traceId"])
                recs_of.setdefault(sp["traceId"], set()).add(n)
    traces_in.append(len(ts))
print(sum(1 for r in recs_of.values() if len(r) > 1), max(traces_in))
EOF
read -r SPREAD MIXED <"$T/shape"
[ "$SPREAD" -gt 100 ] && ok || fail "collector layout: only $SPREAD traces over 2+ records"
[ "$MIXED" -gt 1 ] && ok || fail "collector layout: no record mixes traces ($MIXED)"

# 1, 2: both layouts, one store each
A=$T/a.db
AGENTCOST_DB=$A ac ingest "$T/trace.jsonl" >"$T/out.a" 2>&1 || fail "ingest trace layout"
dump "$A" >"$T/dump.a"
analyses "$A" >"$T/an.a"
expect_eq "tasks of the trace layout" "$TASKS" "$(sqlite3 "$A" 'SELECT count(*) FROM task')"
C=$T/c.db
AGENTCOST_DB=$C ac ingest "$T/coll.jsonl" >"$T/out.c" 2>&1 || fail "ingest collector layout"
same_store "collector layout" "$C"
expect_grep "collector layout: each task derived once" " $TASKS tasks derived" "$T/out.c"
# the originals of held spans (moved out of their batch and back) and of the spans
# after them in their batch (moved up in its original text) read back as written:
# `show` gives the same span from both stores for the last 5 spans of each original
# block (a batch's last spans moved whenever one before them was held)
bad=0
for sid in $(sqlite3 "$C" "SELECT lower(hex(span_id)) FROM (SELECT span_id, row_number() OVER
    (PARTITION BY raw_block ORDER BY raw_off DESC) AS k FROM span) WHERE k <= 5"); do
  AGENTCOST_DB=$A ac show "$sid" >"$T/show.a" 2>&1
  AGENTCOST_DB=$C ac show "$sid" >"$T/show.c" 2>&1
  cmp -s "$T/show.a" "$T/show.c" && [ -s "$T/show.c" ] || bad=$((bad + 1))
done
expect_eq "collector layout: originals as the trace layout's (the last 5 of each block)" 0 "$bad"
# without trace assembly the same store, derived more often
N=$T/n.db
AGENTCOST_DB=$N ac ingest --hold-mb=0 "$T/coll.jsonl" >"$T/out.n" 2>&1 || fail "ingest --hold-mb=0"
same_store "collector layout, --hold-mb=0" "$N"
NODER=$(sed -n 's/.* \([0-9]*\) tasks derived.*/\1/p' "$T/out.n")
[ "${NODER:-0}" -gt "$TASKS" ] && ok ||
  fail "--hold-mb=0 derived $NODER times for $TASKS tasks: the layout does not spread traces"
# a budget so small that traces go out before their root: still the same store
AGENTCOST_DB=$T/s.db ac ingest --hold-mb=1 "$T/coll.jsonl" >/dev/null 2>&1 || fail "ingest --hold-mb=1"
same_store "collector layout, --hold-mb=1" "$T/s.db"

# 3: growing file, 24 random cuts (python3's seeded choice, mid-line mostly)
G=$T/grow.jsonl
: >"$G"
SIZE=$(stat -c %s "$T/coll.jsonl")
python3 -c "
import random
r = random.Random(14)
print(*sorted(r.sample(range(1, $SIZE), 24)), $SIZE)" >"$T/cuts"
prev=0 runs=0 bad=0
for cut in $(cat "$T/cuts"); do
  tail -c +$((prev + 1)) "$T/coll.jsonl" | head -c $((cut - prev)) >>"$G"
  prev=$cut
  AGENTCOST_DB=$T/g.db ac ingest "$G" >/dev/null 2>"$T/err.g"
  rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || bad=$((bad + 1))
  runs=$((runs + 1))
done
expect_eq "growing file: every run exits 0 or 3" 0 "$bad"
same_store "growing file, 25 runs" "$T/g.db"
# each run after the first started where the one before stopped
expect_eq "growing file: runs that resumed" 24 \
  "$(sqlite3 "$T/g.db" "SELECT count(*) FROM file f WHERE read_from > 0 AND read_from =
     (SELECT resume_off FROM file p WHERE p.id < f.id AND p.resume_off IS NOT NULL ORDER BY p.id DESC LIMIT 1)")"
# the bytes read over all runs: the file once, plus each run's unfinished last line again
expect_eq "growing file: nothing read twice but unfinished lines" 1 \
  "$(sqlite3 "$T/g.db" "SELECT sum(size - read_from) - $SIZE <= (SELECT sum(size - resume_off) FROM file) FROM file")"
# nothing new: skipped without reading
AGENTCOST_DB=$T/g.db ac ingest "$G" >"$T/out" 2>"$T/err"
expect_grep "growing file: unchanged" "already ingested" "$T/err"

# 4: rotation. traces.jsonl gets the first half, is read, gets more, is
# renamed as the exporter's rotation does, and a new traces.jsonl starts.
R=$T/rot
mkdir -p "$R"
LINES=$(wc -l <"$T/coll.jsonl")
H1=$((LINES / 3)) H2=$((2 * LINES / 3))
head -n $H1 "$T/coll.jsonl" >"$R/traces.jsonl"
AGENTCOST_DB=$T/r.db ac ingest "$R/traces.jsonl" >/dev/null 2>&1 || fail "rotation: first read"
sed -n "$((H1 + 1)),${H2}p" "$T/coll.jsonl" >>"$R/traces.jsonl"
mv "$R/traces.jsonl" "$R/traces-2025-06-03T12-00-00.000.jsonl"
tail -n +$((H2 + 1)) "$T/coll.jsonl" >"$R/traces.jsonl"
AGENTCOST_DB=$T/r.db ac ingest "$R"/traces*.jsonl >/dev/null 2>"$T/err.r" || fail "rotation: second read"
expect_grep "rotation: the renamed file resumed" "traces-2025-06-03T12-00-00.000.jsonl: read from byte" "$T/err.r"
same_store "rotation" "$T/r.db"
# rewritten in place (same inode, other bytes): read whole, no resume
printf '%s\n' "$(head -n 1 "$T/trace.jsonl")" >"$T/small.jsonl"
AGENTCOST_DB=$T/w.db ac ingest "$T/small.jsonl" >/dev/null 2>&1
head -n 2 "$T/trace.jsonl" | tail -n 1 >"$T/line2"
{ cat "$T/line2"; cat "$T/small.jsonl"; } >"$T/both" && cat "$T/both" >"$T/small.jsonl"
AGENTCOST_DB=$T/w.db ac ingest "$T/small.jsonl" >/dev/null 2>"$T/err.w"
expect_no_grep "rewritten in place: not resumed" "read from byte" "$T/err.w"
expect_eq "rewritten in place: read whole" "0" \
  "$(sqlite3 "$T/w.db" "SELECT read_from FROM file ORDER BY id DESC LIMIT 1")"

finish
