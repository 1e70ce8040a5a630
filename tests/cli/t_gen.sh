#!/usr/bin/env bash
# agentcost gen: a synthetic workload goes through `agentcost ingest` and the
# store holds what the generator's ground truth (--truth) says it wrote:
# spans, traces, LLM and tool calls exactly; the total and per-system cost
# within 1e-6 relative (the generator prices with its own copy of the list
# prices, agentcost with src/pricing); no unpriced span; failed tool calls,
# eval tasks and scores, summarization cost and the incident's runaway tasks.
# Every format and framing (OTLP lines, flat JSONL, native zstd, the
# Collector's json+zstd framing, standard output) ingests to the same totals;
# same options give the same bytes; bad options are refused.
. "$(dirname "$0")/lib.sh"

G="--days 14 --tasks-per-day 200"

# relative closeness: expect_rel NAME EXPECTED ACTUAL [REL]
expect_rel() {
  local rel=${4:-1e-6}
  if awk -v e="$2" -v a="$3" -v r="$rel" 'BEGIN { d = e - a; if (d < 0) d = -d; m = e < 0 ? -e : e;
        exit !(a != "" && d <= r * m) }'; then ok; else fail "$1: expected $2 (rel $rel), got [$3]"; fi
}

expect_rc "gen otlp" 0 ac gen $G -o "$T/w.jsonl" --truth "$T/truth.json"
expect_grep "summary on stdout when -o is a file" "^agentcost gen: [0-9]+ tasks" "$T/out"
expect_grep "summary gives a speed" "MB/s" "$T/out"
truth() { jq -r "$1" "$T/truth.json"; }
expect_eq "truth is the options" "2025-06-02 14 200" "$(truth '"\(.options.start) \(.options.days) \(.options.tasks_per_day)"')"
expect_eq "one line per record" "$(truth .output.records)" "$(wc -l <"$T/w.jsonl" | tr -d ' ')"
expect_eq "bytes as counted" "$(truth .output.bytes_out)" "$(stat -c %s "$T/w.jsonl")"

# the store recovers what the truth says
expect_rc "ingest otlp" 0 ac ingest "$T/w.jsonl"
ac summary --format json >"$T/s.json"
s() { jq -r "$1" "$T/s.json"; }
expect_eq "spans" "$(truth .spans)" "$(s .spans)"
expect_eq "traces = tasks" "$(truth .tasks.all)" "$(s .traces)"
expect_eq "llm calls" "$(truth .llm_calls)" "$(s .llm_calls)"
expect_eq "tool calls" "$(truth .tool_calls)" "$(s .tool_calls)"
expect_eq "unpriced spans" 0 "$(s .unpriced_spans)"
expect_rel "total cost (independent pricing)" "$(truth .cost.total)" "$(s .cost_total)"
expect_eq "first day" 2025-06-02 "$(s .first_day)"
expect_eq "last day" 2025-06-15 "$(s .last_day)"
for sys in doc-agent research-agent support-agent; do
  expect_rel "$sys cost" "$(truth ".cost.per_system[\"$sys\"].total")" \
    "$(sql "SELECT total(s.cost_usd) FROM span s JOIN service sv ON sv.id = s.service WHERE sv.name = '$sys'")"
  expect_eq "$sys spans" "$(truth ".cost.per_system[\"$sys\"].spans")" \
    "$(sql "SELECT count(*) FROM span s JOIN service sv ON sv.id = s.service WHERE sv.name = '$sys'")"
done
expect_eq "failed tool calls" "$(truth .tools.failed)" "$(sql 'SELECT count(*) FROM span WHERE step = 2 AND status = 2')"
expect_rel "tool failure rate" "$(truth .tools.failure_rate)" \
  "$(sql 'SELECT printf("%.17g", 1.0 * sum(status = 2) / count(*)) FROM span WHERE step = 2')" 1e-12
expect_eq "no span tagged as a retry" 0 \
  "$(sql "SELECT count(*) FROM span s JOIN label l ON l.id = s.purpose WHERE l.name = 'retry'")"
expect_eq "eval tasks" "$(truth .tasks.eval)" \
  "$(sql "SELECT count(DISTINCT s.trace) FROM span s JOIN label l ON l.id = s.env WHERE l.name = 'eval'")"
expect_rel "eval cost" "$(truth .cost.eval)" \
  "$(sql "SELECT total(s.cost_usd) FROM span s JOIN label l ON l.id = s.env WHERE l.name = 'eval'")"
expect_eq "scored calls" "$(truth .eval.scored_calls)" "$(sql 'SELECT count(*) FROM span WHERE eval_score IS NOT NULL')"
expect_rel "summarization cost" "$(truth .summarize.cost)" \
  "$(sql "SELECT total(s.cost_usd) FROM span s JOIN label l ON l.id = s.purpose WHERE l.name = 'summarize'")"
expect_eq "LLM calls per task: 1 to 47" "1 47" \
  "$(sql 'SELECT min(n) || " " || max(n) FROM (SELECT count(*) AS n FROM span WHERE step = 1 GROUP BY trace)')"
# the incident's runaway tasks: root span in error, 47 LLM calls, inside the window
expect_eq "runaway tasks" "$(truth .incident.tasks)" \
  "$(sql 'SELECT count(*) FROM span WHERE parent_span_id IS NULL AND status = 2')"
expect_rel "incident cost" "$(truth .incident.cost)" \
  "$(sql 'SELECT total(cost_usd) FROM span WHERE trace IN (SELECT trace FROM span WHERE parent_span_id IS NULL AND status = 2)')"
expect_eq "runaway tasks start in the window" "$(truth .incident.tasks)" \
  "$(sql "SELECT count(*) FROM span WHERE parent_span_id IS NULL AND status = 2
          AND start_ns >= $(truth .incident.start_ns) AND start_ns < $(truth .incident.end_ns)")"

# no incident when asked: no runaway task, no error root
expect_rc "gen without the incident" 0 ac gen --days 3 --tasks-per-day 60 --incident-usd 0 -q -o "$T/ni.jsonl" \
  --truth "$T/ni.truth"
expect_eq "truth: no incident" "0 null" "$(jq -r '"\(.incident.tasks) \(.incident.start)"' "$T/ni.truth")"
expect_eq "no runaway root" 0 "$(grep -c max_iterations_exceeded "$T/ni.jsonl")"

# deterministic: same options, same bytes; another seed, other bytes
expect_rc "gen again" 0 ac gen $G -q -o "$T/w2.jsonl"
expect_rc "same bytes" 0 cmp "$T/w.jsonl" "$T/w2.jsonl"
expect_rc "gen seed 2" 0 ac gen $G -q --seed 2 -o "$T/w3.jsonl"
expect_rc "other seed, other bytes" 1 cmp -s "$T/w.jsonl" "$T/w3.jsonl"

# every format and framing ingests to the same totals
check() { # NAME CONTAINER gen-options...
  local name=$1 cont=$2
  shift 2
  expect_rc "$name: gen" 0 ac gen $G -q "$@" --truth "$T/$name.truth"
  export AGENTCOST_DB="$T/$name.db"
  expect_rc "$name: ingest" 0 ac ingest "$T/$name"
  ac summary --format json >"$T/$name.json"
  expect_eq "$name: spans" "$(truth .spans)" "$(jget .spans <"$T/$name.json")"
  expect_eq "$name: llm calls" "$(truth .llm_calls)" "$(jget .llm_calls <"$T/$name.json")"
  expect_eq "$name: tool calls" "$(truth .tool_calls)" "$(jget .tool_calls <"$T/$name.json")"
  expect_rel "$name: cost" "$(truth .cost.total)" "$(jget .cost_total <"$T/$name.json")"
  expect_eq "$name: container" "$cont" "$(sql 'SELECT container FROM file')"
  expect_eq "$name: same truth" "$(truth .cost.total)" "$(jq -r .cost.total "$T/$name.truth")"
}
check flat.jsonl plain --format jsonl -o "$T/flat.jsonl"
check native.zst zstd --zstd -o "$T/native.zst"
expect_rc "native: a valid .zst" 0 zstd -q -t "$T/native.zst"
check framed.bin zstd-framed --zstd=framed -o "$T/framed.bin"
expect_rc "framed: not a .zst (FORMATS.md b.4)" 1 zstd -q -t "$T/framed.bin"
expect_eq "native content = the plain lines" "$(md5sum <"$T/w.jsonl")" "$(zstd -q -d -c "$T/native.zst" | md5sum)"

# standard output: the workload alone on stdout, the summary on stderr
export AGENTCOST_DB="$T/stdin.db"
ac gen --days 1 --tasks-per-day 30 --truth "$T/small.truth" >"$T/small.jsonl" 2>"$T/small.err"
expect_grep "summary on stderr" "^agentcost gen:" "$T/small.err"
expect_eq "stdout holds only OTLP lines" 0 "$(grep -cv '^{"resourceSpans":\[' "$T/small.jsonl")"
expect_rc "ingest from a pipe" 0 sh -c '"$AGENTCOST" gen --days 1 --tasks-per-day 30 -q | "$AGENTCOST" ingest -'
expect_eq "pipe: spans" "$(jq .spans "$T/small.truth")" "$(ac summary --format json | jget .spans)"

# bad options
expect_rc "--days 0" 2 ac gen --days 0
expect_grep "--days message" "error: gen: --days" "$T/err"
expect_rc "--tasks-per-day x" 2 ac gen --tasks-per-day x
expect_rc "--format csv" 2 ac gen --format csv
expect_grep "--format message" "otlp or jsonl" "$T/err"
expect_rc "--zstd=fast" 2 ac gen --zstd=fast
expect_rc "--start 2025-13-01" 2 ac gen --start 2025-13-01
expect_rc "--seed -1" 2 ac gen --seed -1
expect_rc "--since" 2 ac gen --since 2025-06-01
expect_rc "stray argument" 2 ac gen extra
expect_rc "-o without a value" 2 ac gen -o
expect_rc "--incident-usd -1" 2 ac gen --incident-usd -1
expect_rc "unwritable output" 1 ac gen --days 1 --tasks-per-day 5 -o "$T/no/such/dir/w.jsonl"
finish
