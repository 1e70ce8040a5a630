#!/usr/bin/env bash
# Dimensions (issue #17): the value rules, agentcost top, --where, attr:KEY
# from the originals and promoted (dims add), and ingest after a promotion.
# Every number by hand; gpt-4o-mini costs 0.15 / 0.60 USD per million tokens.
#
# testdata/dims/dims.jsonl (OTLP; T8 on 2025-06-01, the rest on 2025-06-02):
#   resource R1 doc-agent team=search; R2 support-agent user.id=erin
#   team=billing; R3 support-agent (nothing else)
#   T1 R1 root user.id=alice session.id=s1; its LLM call (1000/500:
#      0.00015 + 0.0003 = 0.00045) arrives two records later, under R1
#   T2 R1 root no user; LLM @+12s user.id=bob 2000/0 = 0.0003, LLM @+11s
#      enduser.id=carol 0/1000 = 0.0006: earliest carrier -> carol, 0.0009
#   T3 R1 root enduser.id=zed and user.id=dave -> dave (user.id first); 4000/1000 = 0.0012
#   T4 R2 no span attribute: the resource's erin; 10000/0 = 0.0015
#   T5 R2 root user.id=frank beats the resource's erin; 0/2000 = 0.0012
#   T9 R2 erin; 0/500 = 0.0003
#   T6 R3 no user: (none); 1000/1000 = 0.00015 + 0.0006 = 0.00075
#   T7 R3 root no user; two LLM calls at the same start: span ...03 gina and
#      ...02 hank, 1000/0 each -> the lower span id: hank, 0.0003
#   T8 R2 erin, 2025-06-01; 2000/0 = 0.0003
. "$(dirname "$0")/lib.sh"
F="$SRC/testdata/dims/dims.jsonl"
expect_rc "ingest" 0 ac ingest "$F"

# top user, the whole store: erin 0.0015 + 0.0003 + 0.0003 = 0.0021 (3 tasks),
# dave 0.0012 and frank 0.0012 (tie: by name), carol 0.0009, (none) 0.00075,
# alice 0.00045, hank 0.0003; total 0.0069
ac top user --format csv >"$T/u.csv"
expect_eq "top user: order and tasks" \
  "erin:3 dave:1 frank:1 carol:1 (none):1 alice:1 hank:1" \
  "$(tail -n +2 "$T/u.csv" | cut -d, -f1,2 | tr ',' ':' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "top user: header" "user,tasks,cost,share,p50,p99,previous_cost,change" "$(head -1 "$T/u.csv")"
ac top user --format json >"$T/u.json"
expect_close "top user: erin cost" 0.0021 "$(jget '.top[0].cost' <"$T/u.json")" 1e-12
expect_close "top user: total" 0.0069 "$(jget '.total_cost' <"$T/u.json")" 1e-12
expect_eq "top user: values, tasks" "7 9" "$(jget '"\(.values) \(.tasks)"' <"$T/u.json")"
expect_close "top user: erin share 0.0021/0.0069" 0.304347826087 "$(jget '.top[0].share' <"$T/u.json")" 1e-9
expect_close "top user: carol (earliest carrier)" 0.0009 \
  "$(jget '.top[] | select(.user == "carol") | .cost' <"$T/u.json")" 1e-12
expect_eq "top user: bob and gina carry values but are not their tasks' users" "" \
  "$(jget '.top[] | select(.user == "bob" or .user == "gina") | .user' <"$T/u.json")"
expect_eq "top user: the JSON keys" "user tasks cost share p50 p99 previous_cost change" \
  "$(jget '.top[0] | keys_unsorted | join(" ")' <"$T/u.json")"
expect_eq "top user: open window, no previous period" "null null" \
  "$(jget '.top[0] | "\(.previous_cost) \(.change)"' <"$T/u.json")"

# One day and the day before: erin 2025-06-02: T4 0.0015, T9 0.0003 -> 0.0018;
# p50 (type 7 of 0.0003, 0.0015) = 0.0009, p99 = 0.0003 + 0.99 x 0.0012 =
# 0.001488; previous day 0.0003 (T8): change (0.0018 - 0.0003) / 0.0003 = 5.
# dave had nothing the day before: previous 0, change null. Total 0.0066.
ac top user --since 2025-06-02 --until 2025-06-02 --format json >"$T/d.json"
expect_eq "top user day: erin first, 2 tasks" "erin 2" "$(jget '.top[0] | "\(.user) \(.tasks)"' <"$T/d.json")"
expect_close "top user day: erin cost" 0.0018 "$(jget '.top[0].cost' <"$T/d.json")" 1e-12
expect_close "top user day: erin p50" 0.0009 "$(jget '.top[0].p50' <"$T/d.json")" 1e-12
expect_close "top user day: erin p99" 0.001488 "$(jget '.top[0].p99' <"$T/d.json")" 1e-12
expect_close "top user day: erin previous" 0.0003 "$(jget '.top[0].previous_cost' <"$T/d.json")" 1e-12
expect_close "top user day: erin change" 5 "$(jget '.top[0].change' <"$T/d.json")" 1e-9
expect_eq "top user day: dave previous 0, change null" "0 null" \
  "$(jget '.top[] | select(.user == "dave") | "\(.previous_cost) \(.change)"' <"$T/d.json")"
expect_close "top user day: total" 0.0066 "$(jget '.total_cost' <"$T/d.json")" 1e-12

# --limit keeps the costliest: erin, then dave (ties by name before frank)
expect_eq "top --limit 2" "erin dave" \
  "$(ac top user --limit 2 --format csv | tail -n +2 | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"

# attr:team: a resource attribute, read from the stored originals:
# billing T4 + T5 + T9 + T8 = 0.0015 + 0.0012 + 0.0003 + 0.0003 = 0.0033 (4);
# search T1 + T2 + T3 = 0.00045 + 0.0009 + 0.0012 = 0.00255 (3); (none) T6 + T7 = 0.00105 (2)
team_line() { ac top attr:team --format json | jget '[.top[] | "\(.team):\(.tasks):\(.cost)"] | join(" ")'; }
expect_eq "top attr:team from the originals" "billing:4:0.0033 search:3:0.00255 (none):2:0.00105" "$(team_line)"

# session: only T1 has one (s1 0.00045); the rest (none) 0.0069 - 0.00045 = 0.00645
expect_eq "top session" "(none):8 s1:1" \
  "$(ac top session --format json | jget '[.top[] | "\(.session):\(.tasks)"] | join(" ")')"
# system: support-agent T4 T5 T6 T7 T8 T9 = 0.0015+0.0012+0.00075+0.0003+0.0003+0.0003 = 0.00435
expect_close "top system: support-agent" 0.00435 \
  "$(ac top system --format json | jget '.top[] | select(.system == "support-agent") | .cost')" 1e-12
# model: every call is gpt-4o-mini: 9 tasks, 0.0069
expect_eq "top model" "gpt-4o-mini:9" \
  "$(ac top model --format json | jget '[.top[] | "\(.model):\(.tasks)"] | join(" ")')"

# --where: the tasks of team billing by user: erin 0.0021 (T4 T9 T8), frank 0.0012
expect_eq "top user --where attr:team=billing" "erin:3 frank:1" \
  "$(ac top user --where attr:team=billing --format json | jget '[.top[] | "\(.user):\(.tasks)"] | join(" ")')"
# --where user=(none): the task without a user (T6), by system
expect_eq "top system --where user=(none)" "support-agent:1" \
  "$(ac top system --where 'user=(none)' --format json | jget '[.top[] | "\(.system):\(.tasks)"] | join(" ")')"
# two filters must both hold: team search and user carol -> T2 only
expect_eq "two --where" "carol:1" \
  "$(ac top user --where attr:team=search --where user=carol --format json | jget '[.top[] | "\(.user):\(.tasks)"] | join(" ")')"

# Promotion: the same numbers from span_dim; 15 spans carry a team (R1: T1 2,
# T2 3, T3 2; R2: T4 2, T5 2, T9 2, T8 2)
expect_rc "dims add team" 0 ac dims add team
expect_grep "dims add: spans with a value" "15 spans" "$T/out"
expect_eq "dims list" "team,attr:team,15,2" "$(ac dims list --format csv | tail -n +2 | cut -d, -f1-4)"
expect_eq "top attr:team promoted" "billing:4:0.0033 search:3:0.00255 (none):2:0.00105" "$(team_line)"
expect_rc "dims add team again" 2 ac dims add team
expect_rc "dims add of a built-in key" 2 ac dims add user.id
# ingest after the promotion fills it: a new task of team growth (T10, a flat
# record: 1000/0 = 0.00015), a span that was ingested before adds nothing
cat >"$T/more.jsonl" <<'JSON'
{"trace_id":"0000000000000000000000000000000a","span_id":"0a00000000000001","name":"chat","start_time_unix_nano":1748822500000000000,"end_time_unix_nano":1748822501000000000,"attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":0},"resource":{"service.name":"doc-agent","team":"growth"}}
JSON
expect_rc "ingest after promotion" 0 ac ingest "$T/more.jsonl"
expect_eq "promoted value filled by ingest" "billing:4:0.0033 search:3:0.00255 (none):2:0.00105 growth:1:0.00015" "$(team_line)"
expect_rc "dims drop team" 0 ac dims drop team
expect_eq "dims list after drop" "" "$(ac dims list --format csv | tail -n +2)"
expect_eq "after drop: the originals again" "billing:4:0.0033 search:3:0.00255 (none):2:0.00105 growth:1:0.00015" "$(team_line)"
expect_rc "dims drop unknown" 2 ac dims drop nosuch

# export focus --by user: BilledCost per Tags value sums to each user's cost
# (the store now also holds T10, 0.00015, team growth, no user: (none)
# 0.00075 + 0.00015 = 0.0009)
focus_sums() { # CSV on stdin -> "value:sum ..." by value, sums to 1e-9
  python3 -c '
import csv, json, sys
r = csv.DictReader(sys.stdin); s = {}
for row in r:
    t = json.loads(row["Tags"]); k = ",".join(t[d] for d in t)
    s[k] = s.get(k, 0) + float(row["BilledCost"])
print(" ".join("%s:%.9g" % (k, s[k]) for k in sorted(s)))'
}
expect_eq "export focus --by user: per-user sums" \
  "(none):0.0009 alice:0.00045 carol:0.0009 dave:0.0012 erin:0.0021 frank:0.0012 hank:0.0003" \
  "$(ac export focus --by user | focus_sums)"
expect_eq "export focus --by user,attr:team --where user=erin" "erin,billing:0.0021" \
  "$(ac export focus --by user,attr:team --where user=erin | focus_sums)"
expect_eq "export focus: Tags keys are the dimensions" '{"user":"erin","team":"billing"}' \
  "$(ac export focus --by user,attr:team --where user=erin | python3 -c 'import csv,sys; print(next(csv.DictReader(sys.stdin))["Tags"])')"

# The weekly report's "Who spent it" (2025-W23: 2025-06-02 to 06-08; the week
# before holds T8): erin 0.0018 (2 tasks), previous 0.0003, change 5; (none)
# T6 + T10 = 0.0009; the week's total 0.0066 + 0.00015 = 0.00675.
expect_rc "report weekly" 0 ac report weekly --week 2025-W23 -o "$T/rep"
expect_eq "who.csv header" "user,tasks,cost,share,p50,p99,previous_cost,change" "$(head -1 "$T/rep/who.csv")"
expect_eq "who.csv: erin first" "erin,2" "$(sed -n 2p "$T/rep/who.csv" | cut -d, -f1,2)"
expect_close "who.csv: erin cost" 0.0018 "$(sed -n 2p "$T/rep/who.csv" | cut -d, -f3)" 1e-12
expect_close "who.csv: erin previous" 0.0003 "$(sed -n 2p "$T/rep/who.csv" | cut -d, -f7)" 1e-12
expect_close "who.csv: erin change" 5 "$(sed -n 2p "$T/rep/who.csv" | cut -d, -f8)" 1e-9
expect_close "who.csv: (none)" 0.0009 "$(grep '^(none),' "$T/rep/who.csv" | cut -d, -f3)" 1e-12
expect_grep "report: the paragraph's total" "9 production tasks started in 2025-W23 and cost .0.006750" "$T/rep/report.md"
# the newest span (T10, 00:01:40) is told by its hour: the rollup's resolution
expect_grep "report: the newest span's hour" "Newest span in the store: in the hour from 2025-06-02 00:00 UTC" "$T/rep/report.md"
expect_rc "report weekly --by attr:team" 0 ac report weekly --week 2025-W23 --by attr:team -o "$T/rep2"
expect_eq "who by team: header, billing first (T4 T5 T9: 0.003)" "team,tasks billing,3" \
  "$(head -2 "$T/rep2/who.csv" | cut -d, -f1,2 | tr '\n' ' ' | sed 's/ $//')"
# The incident report names the users and sessions of its window: 00:00-00:01
# on 2025-06-02 holds T1 (alice, s1, 0.00045) and T2 (carol, 0.0009)
expect_rc "report incident" 0 ac report incident --from 2025-06-02T00:00:00Z --to 2025-06-02T00:00:15Z -o "$T/inc"
expect_eq "incident: users" "carol,1 alice,1" "$(tail -n +2 "$T/inc/who_users.csv" | cut -d, -f1,2 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "incident: sessions" "(none),1 s1,1" "$(tail -n +2 "$T/inc/who_sessions.csv" | cut -d, -f1,2 | tr '\n' ' ' | sed 's/ $//')"
# a window that begins inside T2 (00:00:11.5-00:00:15): only its call at +12 s
# (user.id bob, 2000/0 = 0.0003) starts there; it counts for T2's user, carol
expect_rc "report incident inside a task" 0 ac report incident --from 2025-06-02T00:00:11.500Z --to 2025-06-02T00:00:15Z -o "$T/inc2"
expect_eq "incident inside a task: its user" "carol,1,0.0003" "$(tail -n +2 "$T/inc2/who_users.csv" | cut -d, -f1-3)"

# The root as the derivation takes it: a sub-task split out by
# agentcost.task.id has a root whose parent is in the outer task (span 2,
# user.id=subroot, +100 s); its child (span 3, subchild, +50 s, the earlier
# one) is not the root. The sub-task's call 1000/0 = 0.00015 is subroot's.
# And --system is the task's system on span-level views too (summary, export
# focus), as everywhere: the call is served by svc-b inside a task whose root
# is svc-a's (user u1), so it counts for svc-a, and svc-b has no task.
cat >"$T/root.jsonl" <<'JSON'
{"trace_id":"000000000000000000000000000000f1","span_id":"f100000000000001","name":"agent","start_time_unix_nano":1751328000000000000,"end_time_unix_nano":1751328200000000000,"attributes":{"user.id":"outer"},"resource":{"service.name":"svc-a"}}
{"trace_id":"000000000000000000000000000000f1","span_id":"f100000000000002","parent_span_id":"f100000000000001","name":"sub","start_time_unix_nano":1751328100000000000,"end_time_unix_nano":1751328190000000000,"attributes":{"agentcost.task.id":"sub","user.id":"subroot"},"resource":{"service.name":"svc-a"}}
{"trace_id":"000000000000000000000000000000f1","span_id":"f100000000000003","parent_span_id":"f100000000000002","name":"chat","start_time_unix_nano":1751328050000000000,"end_time_unix_nano":1751328060000000000,"attributes":{"agentcost.task.id":"sub","user.id":"subchild","gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":0},"resource":{"service.name":"svc-a"}}
{"trace_id":"000000000000000000000000000000f2","span_id":"f200000000000001","name":"agent","start_time_unix_nano":1751328000000000000,"end_time_unix_nano":1751328200000000000,"attributes":{"user.id":"u1"},"resource":{"service.name":"svc-a"}}
{"trace_id":"000000000000000000000000000000f2","span_id":"f200000000000002","parent_span_id":"f200000000000001","name":"chat","start_time_unix_nano":1751328010000000000,"end_time_unix_nano":1751328020000000000,"attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":0},"resource":{"service.name":"svc-b"}}
JSON
expect_rc "ingest root.jsonl" 0 ac --db "$T/root.db" ingest "$T/root.jsonl"
expect_eq "a sub-task's root is the span whose parent is outside it" "subroot:0.00015" \
  "$(ac --db "$T/root.db" top user --where 'user=subroot' --format json | jget '[.top[] | "\(.user):\(.cost)"] | join(" ")')"
expect_eq "the earlier child is not the root" "" \
  "$(ac --db "$T/root.db" top user --format json | jget '.top[] | select(.user == "subchild") | .user')"
expect_eq "summary --system svc-a --by user: the task's system" "outer,0 subroot,0.00015 u1,0.00015" \
  "$(ac --db "$T/root.db" summary --system svc-a --by user --format csv | tail -n +2 | cut -d, -f1,7 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "summary --system svc-b: no task of svc-b" "0,0" \
  "$(ac --db "$T/root.db" summary --system svc-b --format json | jq -r '"\(.spans),\(.cost_total)"')"
expect_eq "summary --system svc-a: its tasks' spans, whichever service sent them" "5,0.0003" \
  "$(ac --db "$T/root.db" summary --system svc-a --format json | jq -r '"\(.spans),\(.cost_total)"')"
expect_eq "export focus --system svc-a --by user" "subroot:0.00015 u1:0.00015" \
  "$(ac --db "$T/root.db" export focus --system svc-a --by user | focus_sums)"
expect_eq "export focus --system svc-b: nothing" "" \
  "$(ac --db "$T/root.db" export focus --system svc-b --by user | focus_sums)"

# hostile and odd values: a numeric user_id keeps its text; a bool user.id is
# no value (the next key, enduser.id, answers); a user with a quote, a
# newline and a formula prefix comes out escaped in JSON and guarded in CSV
cat >"$T/odd.jsonl" <<'JSON'
{"trace_id":"000000000000000000000000000000e1","span_id":"e100000000000001","name":"chat","start_time_unix_nano":1751328000000000000,"end_time_unix_nano":1751328001000000000,"attributes":{"user_id":42,"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":1000,"gen_ai.usage.output_tokens":0},"resource":{"service.name":"odd"}}
{"trace_id":"000000000000000000000000000000e2","span_id":"e200000000000001","name":"chat","start_time_unix_nano":1751328000000000000,"end_time_unix_nano":1751328001000000000,"attributes":{"user.id":true,"enduser.id":"eve","gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":2000,"gen_ai.usage.output_tokens":0},"resource":{"service.name":"odd"}}
{"trace_id":"000000000000000000000000000000e3","span_id":"e300000000000001","name":"chat","start_time_unix_nano":1751328000000000000,"end_time_unix_nano":1751328001000000000,"attributes":{"user.id":"=cmd|' /c calc'!A0\"\n","gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":3000,"gen_ai.usage.output_tokens":0},"resource":{"service.name":"odd"}}
JSON
expect_rc "ingest odd.jsonl" 0 ac --db "$T/odd.db" ingest "$T/odd.jsonl"
# 3000/0 = 0.00045 for the hostile one, 2000/0 = 0.0003 eve, 1000/0 = 0.00015 "42"
expect_eq "odd users: the values, by cost (the newline kept)" \
  "$(printf '%s"\n%s' "=cmd|' /c calc'!A0" ':0.00045 eve:0.0003 42:0.00015')" \
  "$(ac --db "$T/odd.db" top user --format json | jget '[.top[] | "\(.user):\(.cost)"] | join(" ")')"
expect_eq "odd users: the CSV cell is guarded and quoted" "\"'=cmd|' /c calc'!A0\"\"" \
  "$(ac --db "$T/odd.db" top user --format csv | sed -n 2p)"

# an attribute named like a listing's own column keeps its prefix (no JSON
# object with "cost" twice); a dimension twice is refused
expect_eq "top attr:cost: the column keeps attr:" "attr:cost tasks cost" \
  "$(ac top attr:cost --format json | jget '.top[0] | keys_unsorted[0:3] | join(" ")')"
expect_rc "--by user,user" 2 ac tasks --by user,user
expect_grep "--by twice: the message" "names user twice" "$T/err"

# Usage errors name the dimensions
expect_rc "top unknown dimension" 2 ac top color
expect_grep "top unknown dimension: message" "one of user, session" "$T/err"
expect_rc "top without a dimension" 2 ac top
expect_rc "bad --where" 2 ac top user --where user
finish
