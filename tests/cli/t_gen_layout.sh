#!/usr/bin/env bash
# agentcost gen --layout collector|trace: the same workload written as the
# Collector's batch processor sends it (each span when it ends, batched by
# count and time; the default) or a few whole traces a record. The truth is
# the same but for the output's records and bytes; both ingest to the same
# tasks and summary; the collector output is checked by python3 reading the
# file: end order, batch bounds, traces over several records, the root last.
. "$(dirname "$0")/lib.sh"

G="--days 2 --tasks-per-day 400 --seed 3"

# --layout trace is the generator's former output, byte for byte: these
# sha256 sums were recorded with the generator before --layout existed
# (commit 79195c2, `gen --days 2 --tasks-per-day 300 --seed 7`). A change to
# what the tasks contain (spans, attributes, prices) changes them too: record
# them again from the trace layout, never from the collector layout.
want() {
  case $1 in
    plain) echo 44e02d74bab414412adde5ca2624d4664611bfe5a9bd636a950e3466127f9b22 ;;
    jsonl) echo 95905dabb6367d10a495aeda5315bd81815f936efafb0aca583ff72a3af2af53 ;;
    zstd) echo f3bc45b9a948eeff3cdd7522213e5242fb211acf5dd2e160aa3e1fc6c7bc67bf ;;
    framed) echo 7f267c52ef2c8c12c7572ce58fe44f063729a5faad430e1a490717412c318f32 ;;
  esac
}
for c in plain jsonl zstd framed; do
  case $c in plain) o= ;; jsonl) o="--format jsonl" ;; zstd) o=--zstd ;; framed) o=--zstd=framed ;; esac
  ac gen -q --layout trace --days 2 --tasks-per-day 300 --seed 7 $o -o "$T/old.$c"
  expect_eq "trace layout = the former output ($c)" "$(want $c)" "$(sha256sum <"$T/old.$c" | cut -d' ' -f1)"
done

expect_rc "gen collector (the default)" 0 ac gen $G -q -o "$T/c.jsonl" --truth "$T/c.truth"
expect_rc "gen trace" 0 ac gen $G -q --layout trace -o "$T/t.jsonl" --truth "$T/t.truth"
expect_rc "gen --layout collector = the default" 0 sh -c \
  '"$AGENTCOST" gen '"$G"' -q --layout collector --batch-size 8192 --batch-timeout-ms 200 | cmp - "$1"' sh "$T/c.jsonl"
expect_eq "truth names the layout" "collector 8192 200 trace" \
  "$(jq -r '"\(.options.layout) \(.options.batch_size) \(.options.batch_timeout_ms)"' "$T/c.truth") $(jq -r .options.layout "$T/t.truth")"

# every truth key but the layout's and the output's is the same
truth_diff() { # A B: the keys that differ, or nothing
  python3 - "$1" "$2" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for k in ("layout", "batch_size", "batch_timeout_ms"):
    a["options"].pop(k); b["options"].pop(k)
for k in ("records", "bytes_json", "bytes_out"):
    a["output"].pop(k); b["output"].pop(k)
def walk(x, y, path):
    if type(x) != type(y) or (not isinstance(x, (dict, list)) and x != y):
        print(path or "/", x, y)
    elif isinstance(x, dict):
        for k in sorted(set(x) | set(y)):
            walk(x.get(k), y.get(k), path + "/" + k)
    elif isinstance(x, list):
        if len(x) != len(y):
            print(path, "lengths", len(x), len(y))
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, "%s/%d" % (path, i))
walk(a, b, "")
EOF
}
expect_eq "truth: the same but records and bytes" "" "$(truth_diff "$T/c.truth" "$T/t.truth")"
expect_eq "records as counted" "$(jq .output.records "$T/c.truth")" "$(wc -l <"$T/c.jsonl" | tr -d ' ')"
expect_eq "bytes as counted" "$(jq .output.bytes_out "$T/c.truth")" "$(stat -c %s "$T/c.jsonl")"

# the collector output read by python3: one object a line, spans counted
# against the truth, end order, batches within bounds, traces over records
check_collector() { # FILE BATCH_SIZE TIMEOUT_MS TRUTH: prints the findings, one a line
  python3 - "$@" <<'EOF'
import json, sys
path, size, timeout, truth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) * 10**6, json.load(open(sys.argv[4]))
bad = []
spans = roots = full = 0
prev_max = None
rec_of = {}      # trace -> record indexes
root_rec = {}    # trace -> (record of the root, root end)
first_child = {} # trace -> (record, end) of its first child sent
for n, line in enumerate(open(path)):
    rec = json.loads(line)
    ends = []
    traces = set()
    resources = []
    for rs in rec["resourceSpans"]:
        attrs = {a["key"]: a["value"]["stringValue"] for a in rs["resource"]["attributes"]}
        resources.append((attrs["service.name"], attrs["deployment.environment.name"]))
        if len(rs["scopeSpans"]) != 1:
            bad.append("record %d: %d scopes in one resource" % (n + 1, len(rs["scopeSpans"])))
        for ss in rs["scopeSpans"]:
            e = [int(s["endTimeUnixNano"]) for s in ss["spans"]]
            if e != sorted(e):
                bad.append("record %d: spans of a scope not in end order" % (n + 1))
            ends += e
            for s in ss["spans"]:
                t = s["traceId"]
                traces.add(t)
                rec_of.setdefault(t, set()).add(n)
                if "parentSpanId" in s:
                    first_child.setdefault(t, (n, int(s["endTimeUnixNano"])))
                else:
                    roots += 1
                    root_rec[t] = (n, int(s["endTimeUnixNano"]))
                    if t not in first_child:
                        bad.append("record %d: a root before its children" % (n + 1))
    if len(resources) != len(set(resources)):
        bad.append("record %d: a resource twice" % (n + 1))
    spans += len(ends)
    if len(ends) > size:
        bad.append("record %d: %d spans, over %d" % (n + 1, len(ends), size))
    full += len(ends) == size
    if max(ends) - min(ends) > timeout:
        bad.append("record %d: spans %d ns apart, over the timeout" % (n + 1, max(ends) - min(ends)))
    if prev_max is not None and min(ends) < prev_max:
        bad.append("record %d: a span ends before one of the record before" % (n + 1))
    prev_max = max(ends)
    if len(traces) >= 2:
        rec_of.setdefault("#mixed", set()).add(n)
mixed = len(rec_of.pop("#mixed", ()))
# a trace whose root ends over the timeout after its first child cannot share its record
late = [t for t, (r, e) in root_rec.items() if e - first_child[t][1] > timeout]
for t in late:
    if root_rec[t][0] <= first_child[t][0]:
        bad.append("trace %s: root in the record of its first child" % t)
print("spans %d" % spans)
print("roots %d" % roots)
print("spread %d" % sum(len(r) >= 2 for r in rec_of.values()))
print("mixed %d" % mixed)
print("late roots %d" % len(late))
print("full %d" % full)
print("bad %d" % len(bad))
for b in bad[:5]:
    print(b)
EOF
}
f() { sed -n "s/^$1 //p" "$T/check"; }
check_collector "$T/c.jsonl" 8192 200 "$T/c.truth" >"$T/check"
expect_eq "collector: spans" "$(jq .spans "$T/c.truth")" "$(f spans)"
expect_eq "collector: one root a task" "$(jq .tasks.all "$T/c.truth")" "$(f roots)"
expect_eq "collector: end order, bounds, grouping" "0" "$(f bad)"
expect_eq "collector: traces over 2+ records" 1 "$([ "$(f spread)" -ge 1 ] && echo 1)"
expect_eq "collector: records of 2+ traces" 1 "$([ "$(f mixed)" -ge 1 ] && echo 1)"
expect_eq "collector: roots after their first child's record" 1 "$([ "$(f 'late roots')" -ge 1 ] && echo 1)"

# the count bound: batches of 5 spans, a timer of an hour (every record full but the last)
expect_rc "gen --batch-size 5" 0 ac gen $G -q --batch-size 5 --batch-timeout-ms 3600000 -o "$T/b5.jsonl" \
  --truth "$T/b5.truth"
check_collector "$T/b5.jsonl" 5 3600000 "$T/b5.truth" >"$T/check"
expect_eq "batch 5: no error" 0 "$(f bad)"
expect_eq "batch 5: records = ceil(spans / 5)" "$(( ($(jq .spans "$T/b5.truth") + 4) / 5 ))" "$(jq .output.records "$T/b5.truth")"
expect_eq "batch 5: full records" "$(( $(jq .spans "$T/b5.truth") / 5 ))" "$(f full)"
expect_eq "batch 5: the same truth" "" "$(truth_diff "$T/b5.truth" "$T/t.truth")"

# flat JSONL: one span a line in end order either way
expect_rc "gen flat collector" 0 ac gen $G -q --format jsonl -o "$T/cf.jsonl" --truth "$T/cf.truth"
expect_eq "flat: lines in end order" "$(jq .spans "$T/cf.truth") 0" "$(python3 -c '
import json, sys
e = [json.loads(l)["end_time_unix_nano"] for l in open(sys.argv[1])]
print(len(e), sum(a > b for a, b in zip(e, e[1:])))' "$T/cf.jsonl")"

# zstd containers: the same lines compressed; the framing a record a frame
expect_rc "gen collector --zstd" 0 ac gen $G -q --zstd -o "$T/c.zst"
expect_eq "zstd: the plain lines" "$(md5sum <"$T/c.jsonl")" "$(zstd -q -d -c "$T/c.zst" | md5sum)"
expect_rc "gen collector --zstd=framed" 0 ac gen $G -q --zstd=framed -o "$T/c.framed" --truth "$T/cz.truth"
expect_eq "framed: the same records" "$(jq .output.records "$T/c.truth")" "$(jq .output.records "$T/cz.truth")"

# both layouts ingest to the same tasks and the same summary
cols="lower(hex(t.tkey)), sv.name, coalesce(tt.name, ''), t.start_ns, t.end_ns, t.spans, t.llm_calls,
  t.tool_calls, t.tokens_in, t.tokens_out, printf('%.17g', t.cost_usd), t.unpriced_calls, t.eval,
  t.tool_failures, t.retry_episodes, t.retry_attempts, t.max_repeat, coalesce(m.name, ''),
  coalesce(tp.name, ''), coalesce(tl.name, ''), coalesce(t.top_tool_calls, '')"
tasks_of() {
  sqlite3 "$1" "SELECT $cols FROM task t LEFT JOIN service sv ON sv.id = t.system
    LEFT JOIN label tt ON tt.id = t.task_type LEFT JOIN model m ON m.id = t.top_model
    LEFT JOIN label tp ON tp.id = t.top_purpose LEFT JOIN tool tl ON tl.id = t.top_tool ORDER BY 1"
}
for l in c t; do
  expect_rc "ingest $l" 0 ac --db "$T/$l.db" ingest "$T/$l.jsonl"
  tasks_of "$T/$l.db" >"$T/$l.tasks"
  ac --db "$T/$l.db" summary --format json | jq -S 'del(.files, .bytes, .ingested_at, .db_bytes)' >"$T/$l.summary"
done
expect_eq "tasks: one a trace" "$(jq .tasks.all "$T/c.truth")" "$(wc -l <"$T/c.tasks" | tr -d ' ')"
expect_rc "tasks: the same, task by task" 0 cmp "$T/c.tasks" "$T/t.tasks"
[ "$FAIL" -eq 0 ] || diff "$T/c.tasks" "$T/t.tasks" | head -5 >&2
expect_rc "summary: the same" 0 cmp "$T/c.summary" "$T/t.summary"
[ "$FAIL" -eq 0 ] || diff "$T/c.summary" "$T/t.summary" | head -5 >&2
expect_close "cost as the truth says" "$(jq .cost.total "$T/c.truth")" "$(jq .cost_total "$T/c.summary")" 1e-6

# bad options
expect_rc "--layout spans" 2 ac gen --layout spans
expect_grep "--layout message" "error: gen: --layout takes collector or trace, not 'spans'" "$T/err"
expect_rc "--batch-size 0" 2 ac gen --batch-size 0
expect_grep "--batch-size message" "error: gen: --batch-size" "$T/err"
expect_rc "--batch-timeout-ms -1" 2 ac gen --batch-timeout-ms -1
expect_rc "--batch-timeout-ms 3600001" 2 ac gen --batch-timeout-ms 3600001
cat "$T/check"; head -c 600 "$T/c.summary"; head -2 "$T/c.tasks"; finish
