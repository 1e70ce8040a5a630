#!/usr/bin/env bash
# --by DIM[,DIM] and --where DIM=VALUE on tasks, summary and outliers (issue
# #17 item 2). Every expected figure by hand from the fixtures:
#
# testdata/dims/dims.jsonl (all gpt-4o-mini, $0.15/M in, $0.60/M out; the
# values of /work/s21/DIMS.md): T1 alice 0.00045 (team search), T2 carol
# 0.0009 (search), T3 dave 0.0012 (search), T4 erin 0.0015 (billing), T5
# frank 0.0012 (billing), T6 (none) 0.00075 (no team), T7 hank 0.0003 (no
# team), T8 erin 0.0003 on 2025-06-01 (billing), T9 erin 0.0003 (billing);
# 20 spans, 11 LLM calls, total 0.0069; T8 has 2 spans, so from 2025-06-02:
# 18 spans, 0.0069 - 0.0003 = 0.0066.
#
# testdata/dims/by1.jsonl (service shop, task type order; gpt-4o $2.50/M in,
# acme-llm has no price): every task a root span (user.id on it, team on the
# resource) and its calls:
#   a1 u1 red  2025-06-02 01:00  mini 1000 in            0.00015
#   a2 u1 red  2025-06-03 00:01  mini 2000 in            0.0003
#   a3 u1 red  00:02             mini 2500 in            0.000375
#   a4 u1 red  00:03             mini 4000 in            0.0006
#   a5 u1 red  00:04             mini 20000 in           0.003
#   b1 u2 red  00:05             mini 1000 out           0.0006
#   b2 u2 blue 00:06             gpt-4o 1000 in 0.0025 + mini 1000 in 0.00015 = 0.00265 (2 calls)
#   b3 u2 blue 00:07             mini 2000 in 0.0003, and a tool call (3 spans)
#   b4 u2 blue 00:08             acme-llm 1000 in: unpriced, 0
#   n1 (none)  00:09             mini 1000 in            0.00015 (no user, no team)
# u1: 0.00015+0.0003+0.000375+0.0006+0.003 = 0.004425 over 5 tasks, 10 spans;
# u2: 0.0006+0.00265+0.0003+0 = 0.00355 over 4 tasks, 2+3+3+2 = 10 spans,
# 5 LLM calls, 1 tool call, 1 unpriced; (none): 0.00015, 2 spans.
# Total 0.008125, 22 spans, 11 LLM calls.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/dims
DIST="tasks,cost_total,mean,p50,p90,p95,p99,p999,max,bottom10_mean,top10_mean,tail_ratio,top1_share,top10_share,llm_calls_p50,llm_calls_p99,llm_calls_max,tail_index,tail_index_se"
SUMCOLS="spans,tasks,eval_tasks,llm_calls,tool_calls,cost_total,unpriced_spans,producer_costed_spans"
OUTCOLS="task_id,system,task_type,cost,llm_calls,threshold,median,top_model,top_purpose,repeated_tool,repeated_tool_calls,guardrail_savings"
col() { # FILE KEY COLUMN-NAME: the named column of the row whose first cells are KEY
  awk -F, -v k="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
    index($0, k ",") == 1 { print $n }' "$1"
}
sumcol() { # FILE COLUMN-NAME: the column's sum over the rows, %.10g
  awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
    { s += $n } END { printf "%.10g\n", s }' "$1"
}

# ---- dims.jsonl -------------------------------------------------------------
export AGENTCOST_DB="$T/dims.db"
expect_rc "ingest dims.jsonl" 0 ac ingest "$D/dims.jsonl"

# tasks --by user: the per-user tasks and costs of DIMS.md
ac tasks --by user --format csv >"$T/u.csv"
expect_eq "tasks --by user: CSV header" "user,$DIST" "$(head -1 "$T/u.csv")"
expect_eq "tasks --by user: 7 users, (none) included" 8 "$(wc -l <"$T/u.csv")"
for x in "erin 3 0.0021" "dave 1 0.0012" "frank 1 0.0012" "carol 1 0.0009" "(none) 1 0.00075" \
         "alice 1 0.00045" "hank 1 0.0003"; do
  set -- $x
  expect_eq "tasks --by user: $1 tasks" "$2" "$(col "$T/u.csv" "$1" tasks)"
  expect_close "tasks --by user: $1 cost" "$3" "$(col "$T/u.csv" "$1" cost_total)" 1e-12
done
# erin: T8 0.0003, T9 0.0003, T4 0.0015 -> sorted .0003 .0003 .0015: p50 = .0003,
# mean .0021/3 = .0007, max .0015; p90: h = 2 x 0.9 = 1.8 -> .0003 + .8 x .0012 = .00126
expect_close "erin p50" 0.0003 "$(col "$T/u.csv" erin p50)" 1e-12
expect_close "erin mean" 0.0007 "$(col "$T/u.csv" erin mean)" 1e-12
expect_close "erin p90" 0.00126 "$(col "$T/u.csv" erin p90)" 1e-12
expect_close "erin max" 0.0015 "$(col "$T/u.csv" erin max)" 1e-12
# the per-user costs add up to the plain total (summary: 0.0069)
expect_close "sum of the users' costs = summary's total" "$(ac summary --format json | jget .cost_total)" \
  "$(sumcol "$T/u.csv" cost_total)" 1e-12
expect_close "... = 0.0069" 0.0069 "$(sumcol "$T/u.csv" cost_total)" 1e-12

# attr:team is named team; billing 4 tasks .0015+.0012+.0003+.0003 = .0033,
# search 3 .00045+.0009+.0012 = .00255, (none) 2 .00075+.0003 = .00105
ac tasks --by attr:team --format csv >"$T/team.csv"
expect_eq "tasks --by attr:team: header" "team,$DIST" "$(head -1 "$T/team.csv")"
expect_close "team billing" 0.0033 "$(col "$T/team.csv" billing cost_total)" 1e-12
expect_eq "team billing tasks" 4 "$(col "$T/team.csv" billing tasks)"
expect_close "team search" 0.00255 "$(col "$T/team.csv" search cost_total)" 1e-12
expect_close "team (none)" 0.00105 "$(col "$T/team.csv" "(none)" cost_total)" 1e-12

# a pair: user,team
ac tasks --by user,attr:team --format csv >"$T/pair.csv"
expect_eq "pair: header" "user,team,$DIST" "$(head -1 "$T/pair.csv")"
expect_eq "pair: rows" "(none),(none) alice,search carol,search dave,search erin,billing frank,billing hank,(none)" \
  "$(tail -n +2 "$T/pair.csv" | cut -d, -f1,2 | tr '\n' ' ' | sed 's/ $//')"
expect_close "pair: erin,billing" 0.0021 "$(col "$T/pair.csv" erin,billing cost_total)" 1e-12
expect_close "pair: hank,(none)" 0.0003 "$(col "$T/pair.csv" "hank,(none)" cost_total)" 1e-12
expect_eq "pair: JSON keys named after the dimensions" '["user","team","tasks"]' \
  "$(ac tasks --by user,attr:team --format json | jq -c '.groups[0] | keys_unsorted[0:3]')"
expect_eq "pair: JSON first row" '(none) (none) 1' \
  "$(ac tasks --by user,attr:team --format json | jq -r '.groups[0] | "\(.user) \(.team) \(.tasks)"')"

# --where alone filters and keeps the plain grouping, per task type: erin's
# 3 tasks are all of type agent (every task here is), .0021
ac tasks --where user=erin --format csv >"$T/w.csv"
expect_eq "--where user=erin: plain tasks' header" "task_type,$DIST" "$(head -1 "$T/w.csv")"
expect_eq "--where user=erin: agent, 3 tasks, .0021" "agent,3,0.0021" "$(sed -n 2p "$T/w.csv" | cut -d, -f1-3)"
expect_eq "--where user=erin: one type, one row" 2 "$(wc -l <"$T/w.csv")"
# (none) is a value: T6 alone, 0.00075
expect_eq "--where user=(none)" "(none),1,0.00075" \
  "$(ac tasks --by user --where 'user=(none)' --format csv | sed -n 2p | cut -d, -f1-3)"
# filters combine; with a window: erin from 2025-06-02 is T4 + T9 = .0018
expect_eq "--where user=erin --where attr:team=billing" "agent,3,0.0021" \
  "$(ac tasks --where user=erin --where attr:team=billing --format csv | sed -n 2p | cut -d, -f1-3)"
expect_eq "--where user=erin --where attr:team=search: nothing" 1 \
  "$(ac tasks --where user=erin --where attr:team=search --format csv | wc -l)"
expect_eq "--where user=erin from 2025-06-02" "agent,2,0.0018" \
  "$(ac tasks --where user=erin --since 2025-06-02 --format csv | sed -n 2p | cut -d, -f1-3)"

# --each filters, and with --by puts the value first
ac tasks --each --where user=erin --format csv >"$T/each.csv"
expect_eq "--each --where: header unchanged" \
  "task_id,system,task_type,start,end,spans,llm_calls,tool_calls,tokens_in,tokens_out,cost,unpriced_calls,eval" \
  "$(head -1 "$T/each.csv")"
expect_eq "--each --where user=erin: T8, T4, T9 by start" \
  "00000000000000000000000000000008 00000000000000000000000000000004 00000000000000000000000000000009" \
  "$(tail -n +2 "$T/each.csv" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "--each --by attr:team --where user=frank" \
  "team,task_id,system,task_type,start,end,spans,llm_calls,tool_calls,tokens_in,tokens_out,cost,unpriced_calls,eval
billing,00000000000000000000000000000005,support-agent,agent,2025-06-02T00:00:40.000Z,2025-06-02T00:00:41.500Z,2,1,0,0,2000,0.0012,0,0" \
  "$(ac tasks --each --by attr:team --where user=frank --format csv)"
# --by system with --each and a filter: the task's own system column is the
# key's (--each --by system alone lists as it always did)
expect_eq "--each --by system --where: no second system column" \
  "system,task_id,task_type,start,end,spans,llm_calls,tool_calls,tokens_in,tokens_out,cost,unpriced_calls,eval" \
  "$(ac tasks --each --by system --where user=erin --format csv | head -1)"
expect_eq "--each --by system alone: as before" \
  "task_id,system,task_type,start,end,spans,llm_calls,tool_calls,tokens_in,tokens_out,cost,unpriced_calls,eval" \
  "$(ac tasks --each --by system --format csv | head -1)"

# --by both with --where: the pair task_type,system; erin's tasks are all
# support-agent's, type agent
expect_eq "--by both --where user=erin" "task_type,system,tasks,cost_total
agent,support-agent,3,0.0021" \
  "$(ac tasks --by both --where user=erin --format csv | cut -d, -f1-4)"
# --by system alone prints what it always did (empty name for none; here none)
expect_eq "--by system unchanged: header" "system,$DIST" "$(ac tasks --by system --format csv | head -1)"

# summary --by user: span-level; erin T4 2 + T8 2 + T9 2 = 6 spans, 3 LLM calls
ac summary --by user --format csv >"$T/s.csv"
expect_eq "summary --by user: header" "user,$SUMCOLS" "$(head -1 "$T/s.csv")"
expect_eq "summary --by user: erin" "erin,6,3,0,3,0,0.0021,0,0" "$(grep '^erin,' "$T/s.csv")"
expect_eq "summary --by user: carol (3 spans, 2 calls)" "carol,3,1,0,2,0,0.0009,0,0" "$(grep '^carol,' "$T/s.csv")"
expect_eq "summary --by user: (none)" "(none),2,1,0,1,0,0.00075,0,0" "$(grep '^(none),' "$T/s.csv")"
ac summary --format json >"$T/plain.json"
for c in spans tasks llm_calls tool_calls; do
  expect_eq "summary --by user: $c add up to the plain summary's" "$(jget .$c <"$T/plain.json")" \
    "$(sumcol "$T/s.csv" $c)"
done
expect_close "summary --by user: cost adds up" "$(jget .cost_total <"$T/plain.json")" "$(sumcol "$T/s.csv" cost_total)" 1e-12
expect_eq "summary --by user: 20 spans" 20 "$(sumcol "$T/s.csv" spans)"
# over a window: from 2025-06-02, 18 spans and .0066, erin 4 spans .0018
ac summary --by user --since 2025-06-02 --format csv >"$T/s2.csv"
ac summary --since 2025-06-02 --format json >"$T/plain2.json"
expect_eq "summary window: spans add up (18)" "18 18" "$(jget .spans <"$T/plain2.json") $(sumcol "$T/s2.csv" spans)"
expect_close "summary window: cost adds up" "$(jget .cost_total <"$T/plain2.json")" "$(sumcol "$T/s2.csv" cost_total)" 1e-12
expect_close "summary window: = 0.0066" 0.0066 "$(sumcol "$T/s2.csv" cost_total)" 1e-12
expect_eq "summary window: erin" "erin,4,2,0,2,0,0.0018,0,0" "$(grep '^erin,' "$T/s2.csv")"
# with --system: support-agent's tasks T4..T9, 2+2+2+3+2+2 = 13 spans,
# .0015+.0012+.00075+.0003+.0003+.0003 = .00435
ac summary --by user --system support-agent --format csv >"$T/ssys.csv"
expect_eq "summary --system: spans add up (13)" "13 13" \
  "$(ac summary --system support-agent --format json | jget .spans) $(sumcol "$T/ssys.csv" spans)"
expect_close "summary --system: cost .00435" 0.00435 "$(sumcol "$T/ssys.csv" cost_total)" 1e-12
expect_eq "tasks --system with --by user: no doc-agent user" "(none) erin frank hank" \
  "$(ac tasks --by user --system support-agent --format csv | tail -n +2 | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "summary JSON keys" '["user","team","spans","tasks","eval_tasks","llm_calls","tool_calls","cost_total","unpriced_spans","producer_costed_spans"]' \
  "$(ac summary --by user,attr:team --format json | jq -c '.summary[0] | keys_unsorted')"
# --where alone: the plain summary's shape over erin's tasks T4, T8, T9: 6
# spans, 3 traces (each task one, its root first), 3 tasks, 3 LLM calls,
# .0021; T8 on 2025-06-01, T4 and T9 on 06-02
expect_eq "summary --where user=erin: the plain CSV" \
  "spans,traces,tasks,eval_tasks,llm_calls,tool_calls,cost_total,unpriced_spans,first_day,last_day
6,3,3,0,3,0,0.0021,0,2025-06-01,2025-06-02" "$(ac summary --where user=erin --format csv)"
ac summary --where user=erin --format json >"$T/sw.json"
expect_eq "summary --where user=erin: the plain JSON keys" "$(jq -c keys_unsorted "$T/plain.json")" \
  "$(jq -c keys_unsorted "$T/sw.json")"
expect_eq "summary --where user=erin: JSON" "6 3 3 3 0.0021 [] 2025-06-01 2025-06-02" \
  "$(jq -r '"\(.spans) \(.traces) \(.tasks) \(.llm_calls) \(.cost_total) \(.unpriced_models | tostring) \(.first_day) \(.last_day)"' "$T/sw.json")"
# from 2025-06-02: T8 out, 4 spans .0018; --system doc-agent: none of erin's
expect_eq "summary --where user=erin --since 2025-06-02" "4,2,2,0,2,0,0.0018,0,2025-06-02,2025-06-02" \
  "$(ac summary --where user=erin --since 2025-06-02 --format csv | sed -n 2p)"
expect_eq "summary --where user=erin --system doc-agent: nothing" "0,0,0,0,0,0,0,0,," \
  "$(ac summary --where user=erin --system doc-agent --format csv | sed -n 2p)"
expect_eq "summary --where attr:team=billing --by user" "user,$SUMCOLS
erin,6,3,0,3,0,0.0021,0,0
frank,2,1,0,1,0,0.0012,0,0" "$(ac summary --where attr:team=billing --by user --format csv)"

# ---- by1.jsonl: several tasks per user, models, tools, unpriced ----------
export AGENTCOST_DB="$T/by1.db"
expect_rc "ingest by1.jsonl" 0 ac ingest "$D/by1.jsonl"
ac tasks --by user --format csv >"$T/b.csv"
# u1 sorted .00015 .0003 .000375 .0006 .003: p50 = .000375; p90: h = 4 x .9 =
# 3.6 -> .0006 + .6 x (.003 - .0006) = .00204; p95: h = 3.8 -> .0006 + .8 x
# .0024 = .00252; mean .004425 / 5 = .000885; bottom10 = smallest = .00015,
# top10 = .003, tail ratio 20; top10 share .003 / .004425 = 0.6779661017
expect_eq "by1: u1 tasks" 5 "$(col "$T/b.csv" u1 tasks)"
expect_close "by1: u1 cost" 0.004425 "$(col "$T/b.csv" u1 cost_total)" 1e-12
expect_close "by1: u1 p50" 0.000375 "$(col "$T/b.csv" u1 p50)" 1e-12
expect_close "by1: u1 p90" 0.00204 "$(col "$T/b.csv" u1 p90)" 1e-12
expect_close "by1: u1 p95" 0.00252 "$(col "$T/b.csv" u1 p95)" 1e-12
expect_close "by1: u1 mean" 0.000885 "$(col "$T/b.csv" u1 mean)" 1e-12
expect_close "by1: u1 tail ratio" 20 "$(col "$T/b.csv" u1 tail_ratio)" 1e-9
expect_close "by1: u1 top10 share" 0.6779661017 "$(col "$T/b.csv" u1 top10_share)" 1e-9
# u2 sorted 0 .0003 .0006 .00265: p50 h = 1.5 -> .00045; calls 1 1 1 2: p99
# h = 2.97 -> 1.97; bottom decile costs nothing: no tail ratio
expect_eq "by1: u2 tasks" 4 "$(col "$T/b.csv" u2 tasks)"
expect_close "by1: u2 cost" 0.00355 "$(col "$T/b.csv" u2 cost_total)" 1e-12
expect_close "by1: u2 p50" 0.00045 "$(col "$T/b.csv" u2 p50)" 1e-12
expect_close "by1: u2 llm_calls_p99" 1.97 "$(col "$T/b.csv" u2 llm_calls_p99)" 1e-9
expect_eq "by1: u2 tail ratio undefined" "" "$(col "$T/b.csv" u2 tail_ratio)"
expect_close "by1: (none)" 0.00015 "$(col "$T/b.csv" "(none)" cost_total)" 1e-12
expect_close "by1: the users' costs add up to the plain total 0.008125" 0.008125 "$(sumcol "$T/b.csv" cost_total)" 1e-12
expect_close "by1: ... and to summary's" "$(ac summary --format json | jget .cost_total)" "$(sumcol "$T/b.csv" cost_total)" 1e-12

# a pair where one user has two teams: u2's b1 is red (.0006), b2..b4 blue
# (.00265 + .0003 + 0 = .00295)
expect_eq "by1: pair user,team" "(none),(none),1,0.00015 u1,red,5,0.004425 u2,blue,3,0.00295 u2,red,1,0.0006" \
  "$(ac tasks --by user,attr:team --format csv | tail -n +2 | cut -d, -f1-4 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "by1: summary pair u2,red" "u2,red,2,1,0,1,0,0.0006,0,0" \
  "$(ac summary --by user,attr:team --format csv | grep '^u2,red,')"

# model split: a task's calls to one model. gpt-4o-mini: a1..a5, b1, b2's
# mini call, b3, n1 = 9 units, .004425 + .0006 + .00015 + .0003 + .00015 =
# .005625, sorted .00015 x3, .0003 x2, .000375, .0006 x2, .003: p50 = .0003;
# gpt-4o: b2's call .0025; acme-llm: b4, 0. Tool spans cost nothing: no unit.
ac tasks --by model --format csv >"$T/m.csv"
expect_eq "model split: rows" "acme-llm gpt-4o gpt-4o-mini" "$(tail -n +2 "$T/m.csv" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "model split: gpt-4o-mini units" 9 "$(col "$T/m.csv" gpt-4o-mini tasks)"
expect_close "model split: gpt-4o-mini cost" 0.005625 "$(col "$T/m.csv" gpt-4o-mini cost_total)" 1e-12
expect_close "model split: gpt-4o-mini p50" 0.0003 "$(col "$T/m.csv" gpt-4o-mini p50)" 1e-12
expect_close "model split: gpt-4o" 0.0025 "$(col "$T/m.csv" gpt-4o cost_total)" 1e-12
expect_eq "--where model=gpt-4o: b2's call, type order" "order,1,0.0025" \
  "$(ac tasks --where model=gpt-4o --format csv | sed -n 2p | cut -d, -f1-3)"
# u2's mini calls: b1 .0006, b2 .00015, b3 .0003 = .00105
expect_eq "--by user --where model=gpt-4o-mini" "(none),1,0.00015 u1,5,0.004425 u2,3,0.00105" \
  "$(ac tasks --by user --where model=gpt-4o-mini --format csv | tail -n +2 | cut -d, -f1-3 | tr '\n' ' ' | sed 's/ $//')"
expect_rc "--each refuses model" 2 ac tasks --each --where model=gpt-4o

# summary --by model: each span's own model; the 10 roots and the tool span
# have none: 11 spans of 10 tasks, 1 tool call, no cost
ac summary --by model --format csv >"$T/sm.csv"
expect_eq "summary --by model" "model,$SUMCOLS
(none),11,10,0,0,1,0,0,0
acme-llm,1,1,0,1,0,0,1,0
gpt-4o,1,1,0,1,0,0.0025,0,0
gpt-4o-mini,9,9,0,9,0,0.005625,0,0" "$(cat "$T/sm.csv")"
expect_eq "summary --by model: 22 spans" 22 "$(sumcol "$T/sm.csv" spans)"
expect_eq "summary --by user: u2 (tool call, unpriced call)" "u2,10,4,0,5,1,0.00355,1,0" \
  "$(ac summary --by user --format csv | grep '^u2,')"
expect_eq "summary --by model,user: gpt-4o is u2's" "gpt-4o,u2,1,1,0,1,0,0.0025,0,0" \
  "$(ac summary --by model,user --format csv | grep '^gpt-4o,')"
# from 2025-06-03: a1 (2 spans, .00015) out: u1 8 spans .004275, total .007975
ac summary --by user --since 2025-06-03 --format csv >"$T/s3.csv"
expect_eq "by1 window: u1" "u1,8,4,0,4,0,0.004275,0,0" "$(grep '^u1,' "$T/s3.csv")"
expect_close "by1 window: cost adds up" "$(ac summary --since 2025-06-03 --format json | jget .cost_total)" \
  "$(sumcol "$T/s3.csv" cost_total)" 1e-12
expect_close "by1 window: = .007975" 0.007975 "$(sumcol "$T/s3.csv" cost_total)" 1e-12

# outliers per user: u1 median .000375, threshold 3 x = .001125, a5 .003 over
# it, saves .003 - .001125 = .001875; u2 median .00045, threshold .00135, b2
# .00265 over it, saves .0013; total .003175. (Per task type -- one type, ten
# tasks, median (.0003 + .000375) / 2 = .0003375 -- the same two.)
ac outliers --by user --format csv >"$T/o.csv"
expect_eq "outliers --by user" "user,$OUTCOLS
u1,000000000000000000000000000b1005,shop,order,0.003,1,0.001125,0.000375,gpt-4o-mini,execute,,0,0.001875
u2,000000000000000000000000000b1007,shop,order,0.00265,2,0.00135,0.00045,gpt-4o,execute,,0,0.0013" "$(cat "$T/o.csv")"
ac outliers --by user --format json >"$T/o.json"
expect_eq "outliers JSON: the dimension's key first" '["user","task_id","system"]' \
  "$(jq -c '.outliers[0] | keys_unsorted[0:3]' "$T/o.json")"
expect_close "outliers JSON: savings" 0.003175 "$(jq .totals.savings "$T/o.json")" 1e-12
# a factor that only u1's outlier passes: u2's b2 .00265 < 6 x .00045 = .0027,
# a5 .003 > 6 x .000375 = .00225
expect_eq "outliers --by user --factor 6" "u1,000000000000000000000000000b1005" \
  "$(ac outliers --by user --factor 6 --format csv | tail -n +2 | cut -d, -f1,2)"
# runaways per group: u2's calls 1 1 1 2, p99.9 h = 3 x .999 = 2.997 -> 1.997: b2's 2
expect_eq "outliers --by user --runaways" "user,task_id,task_type,llm_calls,calls_p999,max_repeat,reasons
u2,000000000000000000000000000b1007,order,2,1.997,1,call_count" "$(ac outliers --by user --runaways --format csv)"
expect_eq "outliers JSON runaway key" '["user","task_id","task_type"]' \
  "$(jq -c '.runaways[0] | keys_unsorted[0:3]' "$T/o.json")"
# --where user=u1: the plain judge (per task type; all of by1's are order)
# over u1's five tasks: median .000375, a5 as above (where.jsonl below has
# two types)
expect_eq "outliers --where user=u1" "$OUTCOLS
000000000000000000000000000b1005,shop,order,0.003,1,0.001125,0.000375,gpt-4o-mini,execute,,0,0.001875" \
  "$(ac outliers --where user=u1 --format csv)"
# --by task_type: the task's own task_type column is the key's
expect_eq "outliers --by task_type: header" \
  "task_type,task_id,system,cost,llm_calls,threshold,median,top_model,top_purpose,repeated_tool,repeated_tool_calls,guardrail_savings" \
  "$(ac outliers --by task_type --format csv | head -1)"
# by model: gpt-4o-mini's 9 units, median .0003, threshold .0009: a5 .003
# (saves .0021) and nothing else (b1 .0006, a4 .0006 under)
expect_eq "outliers --by model" "gpt-4o-mini,000000000000000000000000000b1005,0.003,0.0009,0.0021" \
  "$(ac outliers --by model --format csv | tail -n +2 | awk -F, '{print $1 "," $2 "," $5 "," $7 "," $NF}')"

# ---- where.jsonl: --where alone keeps each listing's grouping ---------------
# testdata/dims/where.jsonl (gpt-4o-mini $0.15/M in; acme-llm has no price):
# every task a root span (user.id, agentcost.task.type) and its calls, task
# ids 000000000000000000000000000e000N:
#   1 q1 u1 quote  shop 2025-06-02 00:01  1000 in               0.00015
#   2 q2 u1 quote  shop 00:02             2 calls, 1000 in each 0.0003
#   3 q3 u1 quote  shop 00:03             20000 in              0.003
#   4 q4 u2 quote  shop 00:04             1000 in              0.00015
#   5 r1 u1 refund desk 00:05             10000 in              0.0015
#   6 r2 u1 refund desk 00:06             10000 in              0.0015
#   7 r3 u1 refund desk 2025-06-03 00:01  60000 in              0.009
#   8 r4 u2 refund desk 00:07             acme-llm 1000 in: unpriced, 0
# u1: quote .00015 .0003 .003 (.00345), refund .0015 .0015 .009 (.012);
# pooled (what --where alone did before): .00015 .0003 .0015 .0015 .003 .009.
export AGENTCOST_DB="$T/where.db"
expect_rc "ingest where.jsonl" 0 ac ingest "$D/where.jsonl"
# tasks: a row per task type over u1's tasks. quote: mean .00115, p90 h = 2 x
# .9 = 1.8 -> .0003 + .8 x .0027 = .00246; bottom10 (k = 1) .00015, top10 .003,
# ratio 20, top10 share .003 / .00345 = .8695652174; calls 1 1 2: p99 h =
# 1.98 -> 1.98. refund: mean .004, p50 .0015, p90 .0015 + .8 x .0075 = .0075,
# ratio .009 / .0015 = 6, top10 share .009 / .012 = .75.
ac tasks --where user=u1 --format csv >"$T/wt.csv"
expect_eq "where.jsonl tasks --where user=u1: per type" "task_type,tasks,cost_total,mean,p50,p90
quote,3,0.00345,0.00115,0.0003,0.00246
refund,3,0.012,0.004,0.0015,0.0075" "$(cut -d, -f1-6 "$T/wt.csv")"
expect_close "quote: top10 share" 0.8695652174 "$(col "$T/wt.csv" quote top10_share)" 1e-9
expect_close "quote: tail ratio" 20 "$(col "$T/wt.csv" quote tail_ratio)" 1e-9
expect_close "quote: llm_calls_p99" 1.98 "$(col "$T/wt.csv" quote llm_calls_p99)" 1e-9
expect_close "refund: tail ratio" 6 "$(col "$T/wt.csv" refund tail_ratio)" 1e-9
# the plain tasks over everyone's for contrast: quote 4 tasks .0036, p50 of
# .00015 .00015 .0003 .003 = .000225
expect_eq "where.jsonl plain tasks" "quote,4,0.0036,0.0009,0.000225 refund,4,0.012,0.003,0.0015" \
  "$(ac tasks --format csv | tail -n +2 | cut -d, -f1-5 | tr '\n' ' ' | sed 's/ $//')"
# u2: q4 .00015 and r4 0; --where model=acme-llm: r4's call alone, type refund
expect_eq "tasks --where user=u2" "quote,1,0.00015 refund,1,0" \
  "$(ac tasks --where user=u2 --format csv | tail -n +2 | cut -d, -f1-3 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "tasks --where model=acme-llm" "refund,1,0" \
  "$(ac tasks --where model=acme-llm --format csv | tail -n +2 | cut -d, -f1-3)"
expect_eq "tasks --where user=u1 JSON: the plain keys" \
  "$(ac tasks --format json | jq -c '.groups[0] | keys_unsorted')" \
  "$(ac tasks --where user=u1 --format json | jq -c '.groups[0] | keys_unsorted')"
# --histogram: the plain histogram's columns, quote's bins first
expect_eq "tasks --where --histogram: header, first row" "task_type,bin_lo,bin_hi,tasks,ccdf
quote,0.0001,0.000158489319246,1,1" "$(ac tasks --where user=u1 --histogram --format csv | head -2)"

# outliers: each of u1's tasks against its type's median over u1's tasks
# (factor 3): quote median .0003, threshold .0009: q3 .003 saves .0021;
# refund median .0015, threshold .0045: r3 .009 saves .0045; savings .0066.
# (Pooled, the median would be (.0015 + .0015) / 2 = .0015 for both types and
# q3 no outlier; the plain outliers over everyone: quote median .000225.)
expect_eq "outliers --where user=u1: per task type" "$OUTCOLS
000000000000000000000000000e0007,desk,refund,0.009,1,0.0045,0.0015,gpt-4o-mini,execute,,0,0.0045
000000000000000000000000000e0003,shop,quote,0.003,1,0.0009,0.0003,gpt-4o-mini,execute,,0,0.0021" \
  "$(ac outliers --where user=u1 --format csv)"
ac outliers --where user=u1 --format json >"$T/wo.json"
expect_close "outliers --where user=u1: savings .0066" 0.0066 "$(jq .totals.savings "$T/wo.json")" 1e-12
expect_eq "outliers --where user=u1: plain JSON keys" \
  '["factor","outliers","runaways","totals"] ["task_id","system","task_type","cost"]' \
  "$(jq -c 'keys_unsorted' "$T/wo.json") $(jq -c '.outliers[0] | keys_unsorted[0:4]' "$T/wo.json")"
# runaways: u1's quote calls 1 2 1, p99.9 h = 2 x .999 = 1.998 -> 1 + .998 =
# 1.998: q2's 2 calls (pooled: 1 1 1 1 1 2, h = 4.995 -> 1.995)
expect_eq "outliers --where user=u1 --runaways" "task_id,task_type,llm_calls,calls_p999,max_repeat,reasons
000000000000000000000000000e0002,quote,2,1.998,2,call_count" "$(ac outliers --where user=u1 --runaways --format csv)"
expect_rc "outliers --where user=u1 table" 0 ac outliers --where user=u1
expect_grep "outliers table: judged per type" "^2 tasks over 3 x the median of their type" "$T/out"
expect_eq "plain outliers: quote's median over everyone .000225" "000000000000000000000000000e0003,0.000675,0.000225" \
  "$(ac outliers --format csv | grep e0003 | cut -d, -f1,6,7)"

# summary: u1's 6 roots and 7 calls = 13 spans, 6 traces and tasks, .01545,
# r3 on 2025-06-03; u2: 4 spans, 2 calls, r4's unpriced (acme-llm)
expect_eq "summary --where user=u1" "spans,traces,tasks,eval_tasks,llm_calls,tool_calls,cost_total,unpriced_spans,first_day,last_day
13,6,6,0,7,0,0.01545,0,2025-06-02,2025-06-03" "$(ac summary --where user=u1 --format csv)"
ac summary --where user=u2 --format json >"$T/su2.json"
expect_eq "summary --where user=u2: JSON" '4 2 2 2 0.00015 1 ["acme-llm"] [{"model":"acme-llm","calls":1,"hint":null}]' \
  "$(jq -r '"\(.spans) \(.traces) \(.tasks) \(.llm_calls) \(.cost_total) \(.unpriced_spans) \(.unpriced_models | tostring) \(.unpriced_detail | tostring)"' "$T/su2.json")"
expect_eq "summary --where user=u2 --unpriced" "model,calls,hint
acme-llm,1," "$(ac summary --where user=u2 --unpriced --format csv)"
expect_rc "summary --where user=u2 table" 0 ac summary --where user=u2
expect_grep "summary table: u2's unpriced call" "^UNPRICED +1 LLM call " "$T/out"
# --system desk: the spans of desk (r1..r3: 6, .012), its tasks (3)
expect_eq "summary --where user=u1 --system desk" "6,3,3,0,3,0,0.012,0,2025-06-02,2025-06-03" \
  "$(ac summary --where user=u1 --system desk --format csv | sed -n 2p)"
# model: each span's own; r4's call: 1 span, 1 task, no trace counted (its
# trace's earliest span is the root, not a call of acme-llm)
expect_eq "summary --where model=acme-llm" "1,0,1,0,1,0,0,1,2025-06-02,2025-06-02" \
  "$(ac summary --where model=acme-llm --format csv | sed -n 2p)"

# ---- 5000 users: more rows than one printed part (4096) -------------------
# user i (0..4999) has one task on 2025-06-05, a root and one gpt-4o-mini
# call of 1000 + i input tokens: sum (1000 + i) = 5000 x 1000 + 4999 x 5000 / 2
# = 17,497,500 tokens x $0.15/M = 2.624625
export AGENTCOST_DB="$T/many.db"
awk 'BEGIN { for (i = 0; i < 5000; i++) {
  t = sprintf("%032x", 1000000 + i); s = 1749081600 + i
  printf "{\"trace_id\":\"%s\",\"span_id\":\"%016x\",\"name\":\"agent\",\"start_time_unix_nano\":%d000000000,\"end_time_unix_nano\":%d500000000,\"attributes\":{\"user.id\":\"user%04d\"},\"resource\":{\"service.name\":\"shop\"}}\n", t, 2 * i + 1, s, s, i
  printf "{\"trace_id\":\"%s\",\"span_id\":\"%016x\",\"parent_span_id\":\"%016x\",\"name\":\"chat\",\"start_time_unix_nano\":%d100000000,\"end_time_unix_nano\":%d200000000,\"attributes\":{\"gen_ai.operation.name\":\"chat\",\"gen_ai.request.model\":\"gpt-4o-mini\",\"gen_ai.usage.input_tokens\":%d,\"gen_ai.usage.output_tokens\":0},\"resource\":{\"service.name\":\"shop\"}}\n", t, 2 * i + 2, 2 * i + 1, s, s, 1000 + i
} }' >"$T/many.jsonl"
expect_rc "ingest 5000 users" 0 ac ingest "$T/many.jsonl"
ac tasks --by user --format csv >"$T/many.csv"
expect_eq "5000 users: one header, 5000 rows" "1 5001" "$(grep -c '^user,' "$T/many.csv") $(wc -l <"$T/many.csv")"
expect_eq "5000 users: each once" 5000 "$(tail -n +2 "$T/many.csv" | cut -d, -f1 | sort -u | wc -l)"
expect_close "5000 users: costs add up to 2.624625" 2.624625 "$(sumcol "$T/many.csv" cost_total)" 1e-9
# user4096 (the first row of the second part): 5096 tokens = 0.0007644
expect_close "5000 users: user4096" 0.0007644 "$(col "$T/many.csv" user4096 cost_total)" 1e-12
expect_eq "5000 users: JSON across the parts" "5000 user0000 user4095 user4096 user4999" \
  "$(ac tasks --by user --format json | jq -r '.groups | "\(length) \(.[0].user) \(.[4095].user) \(.[4096].user) \(.[4999].user)"')"
ac summary --by user --format csv >"$T/many_s.csv"
expect_eq "5000 users: summary rows and spans" "5001 10000" "$(wc -l <"$T/many_s.csv") $(sumcol "$T/many_s.csv" spans)"
expect_close "5000 users: summary cost" 2.624625 "$(sumcol "$T/many_s.csv" cost_total)" 1e-9
expect_eq "5000 users: summary JSON" 5000 "$(ac summary --by user --format json | jq '.summary | length')"

# bad input
expect_rc "unknown dimension" 2 ac tasks --by colour
expect_grep "unknown dimension: message" "unknown dimension \"colour\"" "$T/err"
expect_rc "--by both with another --by" 2 ac tasks --by both --by user
expect_rc "--where without =" 2 ac summary --where user
expect_rc "summary --unpriced --by" 2 ac summary --unpriced --by user
expect_rc "three dimensions" 2 ac outliers --by user,session,agent
finish
