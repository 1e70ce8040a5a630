#!/usr/bin/env bash
# --by DIM[,DIM] and --where DIM=VALUE on hidden, spc and models (issue #17
# item 2). Every expected number by hand (arithmetic in the comments);
# gpt-4o-mini costs 0.15 / 0.60 USD per million tokens in / out.
#
# 1. testdata/dims/dims.jsonl (its values are in the lead's DIMS.md): all
#    gpt-4o-mini LLM calls, purpose execute; T8 on 2025-06-01, the rest 06-02.
#    By user: erin 0.0021 (T4 0.0015 06-02, T8 0.0003 06-01, T9 0.0003 06-02),
#    dave 0.0012, frank 0.0012, carol 0.0009, (none) 0.00075, alice 0.00045,
#    hank 0.0003; total 0.0069. By attr:team: billing 0.0033, search 0.00255,
#    (none) 0.00105.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata

export AGENTCOST_DB="$T/dims.db"
expect_rc "ingest dims" 0 ac ingest "$D/dims/dims.jsonl"

# --- hidden ------------------------------------------------------------------
expect_rc "hidden --by user json" 0 ac hidden --by user --format json
cp "$T/out" "$T/hu.json"
hu() { jq -r "$1" "$T/hu.json"; }
expect_close "hidden by user: overall cost" 0.0069 "$(hu .cost_total)" 1e-12
expect_eq "hidden by user: groups first, then the overall members" '"groups" "cost_total"' \
  "$(jq -c 'keys_unsorted[0:2]' "$T/hu.json" | tr -d '[]' | tr ',' ' ')"
expect_eq "hidden by user: the values in order, (none) kept" \
  "(none) alice carol dave erin frank hank" "$(hu '[.groups[].user] | join(" ")')"
expect_close "hidden: erin's cost" 0.0021 "$(hu '.groups[] | select(.user == "erin") | .cost_total')" 1e-12
expect_close "hidden: erin's execute" 0.0021 "$(hu '.groups[] | select(.user == "erin") | .execute.cost')" 1e-12
expect_close "hidden: (none)'s cost" 0.00075 "$(hu '.groups[] | select(.user == "(none)") | .cost_total')" 1e-12
expect_close "hidden: hank's cost" 0.0003 "$(hu '.groups[] | select(.user == "hank") | .cost_total')" 1e-12
# every value's cost is all execute: share 1
expect_eq "hidden: execute share 1 for each value" "1 1 1 1 1 1 1" \
  "$(hu '[.groups[].execute.share] | map(tostring) | join(" ")')"
expect_close "hidden: the values' costs sum to the plain total" 0.0069 "$(hu '[.groups[].cost_total] | add')" 1e-12
expect_rc "plain hidden" 0 ac hidden --format json
expect_close "plain hidden total" 0.0069 "$(jq .cost_total "$T/out")" 1e-12

expect_rc "hidden --by user,attr:team csv" 0 ac hidden --by user,attr:team --format csv
expect_eq "hidden pair: CSV header named after the dimensions" \
  "user,team,purpose,cost,share,token_share,tool_failure_rate,retries_per_failure" "$(head -1 "$T/out")"
expect_grep "hidden pair: erin billing execute 0.0021" '^erin,billing,execute,0.0021,1,1,,$' "$T/out"
expect_grep "hidden pair: alice search execute 0.00045" '^alice,search,execute,0.00045,1,1,,$' "$T/out"
expect_grep "hidden pair: (none) (none) execute 0.00075" '^\(none\),\(none\),execute,0.00075,1,1,,$' "$T/out"
expect_rc "hidden --by attr:team json" 0 ac hidden --by attr:team --format json
expect_eq "hidden: attr:team's key is team" "(none) billing search" "$(jq -r '[.groups[].team] | join(" ")' "$T/out")"
expect_close "hidden: billing" 0.0033 "$(jq '.groups[] | select(.team == "billing") | .cost_total' "$T/out")" 1e-12
expect_close "hidden: search" 0.00255 "$(jq '.groups[] | select(.team == "search") | .cost_total' "$T/out")" 1e-12
expect_close "hidden: no team" 0.00105 "$(jq '.groups[] | select(.team == "(none)") | .cost_total' "$T/out")" 1e-12

# --where alone filters and keeps plain hidden's shape: overall, then per
# system; erin's tasks (T4, T8, T9) are all support-agent's
expect_rc "hidden --where user=erin" 0 ac hidden --where user=erin --format json
cp "$T/out" "$T/hw.json"
expect_close "hidden --where user=erin: 0.0021" 0.0021 "$(jq .cost_total "$T/hw.json")" 1e-12
expect_eq "hidden --where alone: plain hidden's keys" "$(ac hidden --format json | jq -c keys_unsorted)" \
  "$(jq -c keys_unsorted "$T/hw.json")"
expect_eq "hidden --where alone: erin's one system" "support-agent 0.0021" \
  "$(jq -r '.systems[] | "\(.system) \(.cost_total)"' "$T/hw.json")"
expect_rc "hidden --where user=(none)" 0 ac hidden --where 'user=(none)' --format json
expect_close "hidden --where user=(none): T6 0.00075" 0.00075 "$(jq .cost_total "$T/out")" 1e-12
expect_rc "hidden --where alone, csv" 0 ac hidden --where user=erin --format csv
expect_eq "hidden --where alone: the system column" \
  "system,purpose,cost,share,token_share,tool_failure_rate,retries_per_failure" "$(head -1 "$T/out")"
expect_grep "hidden --where alone: erin's execute, overall" '^all,execute,0.0021,1,1,,$' "$T/out"
expect_grep "hidden --where alone: erin's execute, support-agent" '^support-agent,execute,0.0021,1,1,,$' "$T/out"
expect_no_grep "hidden --where alone: no doc-agent row" '^doc-agent,' "$T/out"
# attr:team=search: T1 alice .00045, T2 carol .0009, T3 dave .0012, all
# doc-agent's: .00255
expect_rc "hidden --where attr:team=search" 0 ac hidden --where attr:team=search --format csv
expect_eq "hidden --where attr:team=search: execute rows" "all,execute,0.00255 doc-agent,execute,0.00255" \
  "$(grep ',execute,' "$T/out" | cut -d, -f1-3 | tr '\n' ' ' | sed 's/ $//')"
expect_rc "hidden --by team --where team: billing users" 0 \
  ac hidden --by user --where attr:team=billing --format json
# billing: T4 erin 0.0015, T5 frank 0.0012, T8 + T9 erin 0.0006 -> erin 0.0021, frank 0.0012
expect_eq "billing's users" "erin frank" "$(jq -r '[.groups[].user] | join(" ")' "$T/out")"
expect_close "billing total" 0.0033 "$(jq .cost_total "$T/out")" 1e-12
# an attribute named like a column keeps its attr: prefix (dims.c, ac_dim_column)
expect_rc "hidden --by attr:purpose" 0 ac hidden --by attr:purpose --format csv
expect_eq "hidden --by attr:purpose: the column keeps attr:" "attr:purpose,purpose" "$(head -1 "$T/out" | cut -d, -f1,2)"
expect_rc "hidden --by user,user" 2 ac hidden --by user,user
expect_rc "spc --by attr:cost" 0 ac spc --by attr:cost --format csv
expect_eq "spc --by attr:cost: the column keeps attr:" "attr:cost" "$(head -1 "$T/out" | cut -d, -f1)"
expect_rc "hidden --by bogus" 2 ac hidden --by bogus
expect_grep "hidden --by bogus: says why" "unknown dimension" "$T/err"

# --- spc on dims.jsonl --------------------------------------------------------
expect_rc "spc --by user csv" 0 ac spc --by user --format csv
expect_eq "spc --by user: header" "user,day,cost,mean,sd,ucl,alert,rules" "$(head -1 "$T/out")"
# erin: 06-01 T8 0.0003; 06-02 T4 0.0015 + T9 0.0003 = 0.0018 (two days: no band)
expect_grep "spc erin 06-01" '^erin,2025-06-01,0.0003,,,,false,$' "$T/out"
expect_grep "spc erin 06-02" '^erin,2025-06-02,0.0018,,,,false,$' "$T/out"
expect_grep "spc (none) 06-02" '^\(none\),2025-06-02,0.00075,,,,false,$' "$T/out"
# per-day sums over the values = the plain series (06-01 0.0003, 06-02 0.0066)
awk -F, 'NR > 1 { s[$2] += $3 } END { for (d in s) printf "%s %.10f\n", d, s[d] }' "$T/out" | sort >"$T/by.sum"
expect_rc "plain spc" 0 ac spc --format csv
awk -F, 'NR > 1 { printf "%s %.10f\n", $1, $2 }' "$T/out" | sort >"$T/plain.sum"
expect_eq "spc: the values' days sum to the plain series" "$(cat "$T/plain.sum")" "$(cat "$T/by.sum")"
expect_eq "spc plain: 06-01 0.0003, 06-02 0.0066" "2025-06-01 0.0003000000 2025-06-02 0.0066000000" \
  "$(tr '\n' ' ' <"$T/plain.sum" | sed 's/ $//')"
expect_rc "spc --by attr:team,user json" 0 ac spc --by attr:team,user --format json
expect_eq "spc pair: keys team, user, days" '["team","user","days"]' \
  "$(jq -c '.series[0] | keys_unsorted' "$T/out")"
expect_close "spc pair: billing/frank 06-02" 0.0012 \
  "$(jq '.series[] | select(.team == "billing" and .user == "frank") | .days[0].cost' "$T/out")" 1e-12
expect_rc "spc --where user=(none)" 0 ac spc --where 'user=(none)' --format json
expect_eq "spc --where alone: the plain shape, T6's day" '2025-06-02 0.00075' \
  "$(jq -r '.days[] | "\(.day) \(.cost)"' "$T/out")"

# --- models on dims.jsonl -----------------------------------------------------
expect_rc "models --by attr:team" 0 ac models --by attr:team --format json
expect_eq "models: team key first" "team" "$(jq -r '.rows[0] | keys_unsorted[0]' "$T/out")"
expect_close "models: billing 0.0033" 0.0033 "$(jq '.rows[] | select(.team == "billing") | .cost' "$T/out")" 1e-12
expect_close "models: search 0.00255" 0.00255 "$(jq '.rows[] | select(.team == "search") | .cost' "$T/out")" 1e-12
expect_close "models: (none) 0.00105" 0.00105 "$(jq '.rows[] | select(.team == "(none)") | .cost' "$T/out")" 1e-12
# share of the kept tasks' cost: 0.0033 / 0.0069 = 0.4782608696
expect_close "models: billing's share" 0.4782608696 "$(jq '.rows[] | select(.team == "billing") | .cost_share' "$T/out")" 1e-9
expect_close "models: the rows sum to the total" 0.0069 "$(jq '[.rows[].cost] | add' "$T/out")" 1e-12
expect_rc "models --where user=erin" 0 ac models --where user=erin --format csv
expect_eq "models --where alone: models' own columns" "task_type,complexity,model,calls" \
  "$(head -1 "$T/out" | cut -d, -f1-4)"
expect_eq "models --where user=erin: cost 0.0021, share 1" "0.0021,1" "$(sed -n 2p "$T/out" | cut -d, -f7-8)"
expect_rc "models --by model,user" 0 ac models --by model,user --format csv
expect_eq "models --by model: not repeated" "model,user,task_type,complexity,calls" \
  "$(head -1 "$T/out" | cut -d, -f1-5)"
expect_rc "models --by attr:cost" 0 ac models --by attr:cost --format csv
expect_eq "models --by attr:cost: the column keeps attr:" "attr:cost" "$(head -1 "$T/out" | cut -d, -f1)"

# --- 2. hidden with purposes and retries: testdata/dims_by2/hidden_users.jsonl
# testdata/hidden/hidden.jsonl (figures in tests/cli/t_hidden.sh) with user.id
# on three roots: A1 alice, A2 (eval) bob, B1 alice; B2 none.
#   alice = A1 + B1: cost 0.0015 + 0.00051 = 0.00201; tokens 8500 + 3100 = 11600
#     retry 0.00036 (A1)  share 0.00036/0.00201 = 0.1791044776, tokens 2100/11600 = 0.1810344828
#     summarize 0.00072   0.00072/0.00201 = 0.3582089552, 4200/11600 = 0.3620689655
#     plan 0.00021        0.1044776119, 1100/11600 = 0.0948275862
#     execute 0.00021 + 0.00015 = 0.00036: 0.1791044776, (1100 + 1000)/11600 = 0.1810344828
#     aggregate 0.00036 (B1): 0.1791044776, 2100/11600
#     tool calls 5 (A1) + 1 (B1) = 6, failed 4: 4/6 = 0.6666666667
#     retries: episodes 2 + 0, attempts 3 + 0: 3/2 = 1.5
#   bob = A2: eval 0.00036, share 1; tool calls 2 failed 1: 0.5; 1/1 = 1
#   (none) = B2: retry 0.00021, share 1, token share 1100/1100 = 1; calls 2
#     failed 1: 0.5; retries 1/1 = 1
#   sum 0.00201 + 0.00036 + 0.00021 = 0.00258 (the plain total)
export AGENTCOST_DB="$T/hidden.db"
expect_rc "ingest hidden_users" 0 ac ingest "$D/dims_by2/hidden_users.jsonl"
expect_rc "hidden --by user" 0 ac hidden --by user --format json
cp "$T/out" "$T/h2.json"
g() { jq -r ".groups[] | select(.user == \"$1\") | $2" "$T/h2.json"; }
expect_close "alice cost" 0.00201 "$(g alice .cost_total)" 1e-12
expect_close "alice retry share" 0.1791044776 "$(g alice .retry.share)" 1e-9
expect_close "alice retry token share" 0.1810344828 "$(g alice .retry.token_share)" 1e-9
expect_close "alice summarize share" 0.3582089552 "$(g alice .summarize.share)" 1e-9
expect_close "alice summarize token share" 0.3620689655 "$(g alice .summarize.token_share)" 1e-9
expect_close "alice plan token share" 0.0948275862 "$(g alice .plan.token_share)" 1e-9
expect_close "alice execute cost" 0.00036 "$(g alice .execute.cost)" 1e-12
expect_close "alice aggregate share" 0.1791044776 "$(g alice .aggregate.share)" 1e-9
expect_close "alice tool failure rate" 0.6666666667 "$(g alice .tool_failure_rate)" 1e-9
expect_close "alice retries per failure" 1.5 "$(g alice .retries_per_failure)" 1e-12
expect_close "bob eval cost" 0.00036 "$(g bob .eval.cost)" 1e-12
expect_close "bob eval share" 1 "$(g bob .eval.share)" 1e-12
expect_close "bob tool failure rate" 0.5 "$(g bob .tool_failure_rate)" 1e-12
expect_close "bob retries per failure" 1 "$(g bob .retries_per_failure)" 1e-12
expect_close "(none) retry cost" 0.00021 "$(g '(none)' .retry.cost)" 1e-12
expect_close "(none) retry token share" 1 "$(g '(none)' .retry.token_share)" 1e-12
expect_close "(none) tool failure rate" 0.5 "$(g '(none)' .tool_failure_rate)" 1e-12
expect_close "(none) retries per failure" 1 "$(g '(none)' .retries_per_failure)" 1e-12
# overall = plain hidden's (t_hidden.sh): 0.00258, 6/10 = 0.6, 5/4 = 1.25
expect_close "overall cost" 0.00258 "$(jq .cost_total "$T/h2.json")" 1e-12
expect_close "overall failure rate" 0.6 "$(jq .tool_failure_rate "$T/h2.json")" 1e-12
expect_close "overall retries per failure" 1.25 "$(jq .retries_per_failure "$T/h2.json")" 1e-12
expect_close "values sum to the plain total" 0.00258 "$(jq '[.groups[].cost_total] | add' "$T/h2.json")" 1e-12
# the aligned table (ac_hidden_run's collected scopes, not the stream):
# the same rows, alice's shares to 4 digits, her rates 4/6 and 3/2
expect_rc "hidden --by user table" 0 ac hidden --by user
expect_grep "table: alice retry" '^alice +retry +0\.0004 +0\.1791 +0\.181 +0\.6667 +1\.5$' "$T/out"
expect_grep "table: bob eval" '^bob +eval +0\.0004 +1 +1 +0\.5 +1$' "$T/out"
ac hidden --by user --format csv >"$T/h2.csv"
expect_eq "table and CSV: the same value x purpose rows" \
  "$(awk -F, 'NR > 1 { print $1, $2 }' "$T/h2.csv")" "$(awk 'NR > 1 { print $1, $2 }' "$T/out")"
# the window: --until 2025-04-02 (through that day) drops B2's calc OK at
# 04-03 00:00:10; B2 starts in it, so (none) keeps its retries (1/1) and its
# tool calls are the ERROR one: 1/1 = 1
expect_rc "hidden --by user --until" 0 ac hidden --by user --until 2025-04-02 --format csv
expect_grep "(none) in the window: failure rate 1, retries 1" '^\(none\),retry,0.00021,1,1,1,1$' "$T/out"
# by model: tool calls are (none)'s: 10 calls, 6 failed = 0.6; the LLM
# calls' retries: every task called gpt-4o-mini: (3 + 1 + 1)/(2 + 1 + 1) = 1.25
expect_rc "hidden --by model" 0 ac hidden --by model --format json
expect_close "model (none): tool failure rate" 0.6 \
  "$(jq '.groups[] | select(.model == "(none)") | .tool_failure_rate' "$T/out")" 1e-12
expect_close "gpt-4o-mini: retries per failure" 1.25 \
  "$(jq '.groups[] | select(.model == "gpt-4o-mini") | .retries_per_failure' "$T/out")" 1e-12
expect_close "gpt-4o-mini: all the cost" 0.00258 \
  "$(jq '.groups[] | select(.model == "gpt-4o-mini") | .cost_total' "$T/out")" 1e-12

# --- 3. spc: testdata/dims_by2/spc_users.jsonl ---------------------------------
# ursula (team red): one call a day 2025-05-01..10, input tokens only (x 0.15e-6):
#   odd days 1000 = a = 0.00015, even days 2000 = b = 0.0003, day 10 20000 = 0.003.
# vera (red): 05-03..05 1000 each = 0.00015; a task without user 05-10: 4000 = 0.0006.
# Band (defaults: window 30, min history 7, sigma 2) of ursula's day 10, history
# days 1..9 = 5 a + 4 b: mean = (0.00075 + 0.0012) / 9 = 0.000216666667;
# a - mean = -0.0000666667, b - mean = 0.0000833333; sum of squares
# 5 x 4.4444e-9 + 4 x 6.9444e-9 = 5e-8; sd = sqrt(5e-8 / 8) = 7.90569415e-5;
# ucl = mean + 2 sd = 0.000374780550; 0.003 > ucl: alert.
# Day 8 (history days 1..7 = 4 a + 3 b): mean 0.0015 / 7 = 0.000214285714;
# deviations -0.00045/7, +0.0006/7: sum of squares 1.89e-6 / 49 = 3.857142857e-8,
# sd = sqrt(3.857142857e-8 / 6) = 8.01783726e-5; ucl = 0.000374642460; b < ucl.
# Day 7: 6 days of history < 7: no band. vera: 3 days, never a band.
export AGENTCOST_DB="$T/spc.db"
expect_rc "ingest spc_users" 0 ac ingest "$D/dims_by2/spc_users.jsonl"
expect_rc "spc --by user json" 0 ac spc --by user --format json
cp "$T/out" "$T/s.json"
sd() { jq -r ".series[] | select(.user == \"$1\") | .days[] | select(.day == \"$2\") | $3" "$T/s.json"; }
expect_eq "spc: one series per user, in order" "(none) ursula vera" "$(jq -r '[.series[].user] | join(" ")' "$T/s.json")"
expect_close "ursula day 10 mean" 0.000216666667 "$(sd ursula 2025-05-10 .mean)" 1e-12
expect_close "ursula day 10 sd" 7.90569415e-5 "$(sd ursula 2025-05-10 .sd)" 1e-13
expect_close "ursula day 10 ucl" 0.000374780550 "$(sd ursula 2025-05-10 .ucl)" 1e-12
expect_eq "ursula day 10 alerts" true "$(sd ursula 2025-05-10 .alert)"
expect_close "ursula day 8 mean" 0.000214285714 "$(sd ursula 2025-05-08 .mean)" 1e-12
expect_close "ursula day 8 sd" 8.01783726e-5 "$(sd ursula 2025-05-08 .sd)" 1e-13
expect_eq "ursula day 8 no alert" false "$(sd ursula 2025-05-08 .alert)"
expect_eq "ursula day 7: no band" null "$(sd ursula 2025-05-07 .mean)"
expect_eq "ursula: 10 days" 10 "$(jq '.series[] | select(.user == "ursula") | .days | length' "$T/s.json")"
expect_eq "vera: 3 days, no band" "3 0" \
  "$(jq -r '.series[] | select(.user == "vera") | "\(.days | length) \([.days[] | select(.mean != null)] | length)"' "$T/s.json")"
expect_rc "spc --by user --alerts-only csv" 0 ac spc --by user --alerts-only --format csv
expect_eq "alerts only: ursula's day 10" "user,day,cost,mean,sd,ucl,alert,rules
ursula,2025-05-10,0.003,0.000216666666667,7.90569415042e-05,0.000374780549675,true," "$(cat "$T/out")"
# the team's series (--where alone): ursula + vera: 05-03 0.00015 + 0.00015 =
# 0.0003, 05-04 0.0003 + 0.00015 = 0.00045; day 10 0.003 (the user-less task is
# not red)
expect_rc "spc --where attr:team=red" 0 ac spc --where attr:team=red --format csv
expect_eq "red: header" "day,cost,mean,sd,ucl,alert,rules" "$(head -1 "$T/out")"
expect_grep "red 05-04" '^2025-05-04,0.00045,' "$T/out"
expect_grep "red 05-10" '^2025-05-10,0.003,' "$T/out"
expect_rc "spc --where user=(none)" 0 ac spc --where 'user=(none)' --format csv
expect_eq "(none): its one day" "day,cost,mean,sd,ucl,alert,rules
2025-05-10,0.0006,,,,false," "$(cat "$T/out")"
expect_rc "spc --by user,attr:team table" 0 ac spc --by user,attr:team
expect_grep "table: header" '^user +team +day +cost' "$T/out"
expect_eq "table: 1 + 10 + 3 rows and the header" 15 "$(wc -l <"$T/out")"
# --hourly: each value's hours from its first to its last, gaps at 0:
# ursula 05-01T12 .. 05-10T12 = 9 x 24 + 1 = 217 hours, vera 05-03T12 ..
# 05-05T12 = 2 x 24 + 1 = 49, (none) 1
expect_rc "spc --by user --hourly" 0 ac spc --by user --hourly --format csv
expect_eq "hourly: hours per user" "(none) 1 ursula 217 vera 49" \
  "$(awk -F, 'NR > 1 { n[$1]++ } END { for (u in n) print u, n[u] }' "$T/out" | sort | tr '\n' ' ' | sed 's/ $//')"
expect_grep "hourly: vera's gap hour at 0" '^vera,2025-05-03T13:00Z,0,' "$T/out"
# --by system alone keeps its own shape: {"systems":[{"system":...}]}
expect_rc "spc --by system" 0 ac spc --by system --format json
expect_eq "spc --by system: as before" "spcsys" "$(jq -r '.systems[0].system' "$T/out")"

# --- 4. models: testdata/dims_by2/models_users.jsonl ---------------------------
# testdata/models/models.jsonl (figures in tests/cli/t_models.sh) with user.id
# on the roots of b1 (alice, 06-02 00:00: one support/simple/gpt-4o-mini call
# 0.00045), b2 (bob, 06-04: two simple gpt-4o-mini 0.0009, complex sonnet x 2
# 0.036, complex gpt-4o-mini 0.0009) and b3 (alice, 06-08 23:59:59: one simple
# gpt-4o-mini 0.00045); b4 (research haiku 0.004) and the W22 tasks have none.
# W23 total 0.0427. The accuracy is the class's, over all eval runs:
# support/simple/gpt-4o-mini 0.8 (n 5), cost per success 0.00045 / 0.8 = 0.0005625.
#   alice support simple gpt-4o-mini: 2 calls, 0.0009, share 0.0009/0.0427 = 0.0210772834
#   bob support complex claude-3-5-sonnet: 2 calls 0.036 (0.8430913349), accuracy 0.7,
#     cost per success 0.018 / 0.7 = 0.0257142857
#   (none) research "" claude-3-5-haiku: 2 calls 0.004 (0.0936768150), no accuracy
# --compare-previous: W22's (none) support/simple/gpt-4o-mini 2 calls 0.0009,
#   accuracy 0.5 then, 0.8 now: change 0.3; calls 0 - 2 = -2.
export AGENTCOST_DB="$T/models.db"
expect_rc "ingest models_users" 0 ac ingest "$D/dims_by2/models_users.jsonl"
expect_rc "models --by user" 0 ac models --week 2025-W23 --by user --format json
cp "$T/out" "$T/m.json"
m() { jq -r ".rows[] | select(.user == \"$1\" and .complexity == \"$2\" and .model == \"$3\") | $4" "$T/m.json"; }
expect_eq "models: 5 rows (the eval-only class is no one's)" 5 "$(jq '.rows | length' "$T/m.json")"
expect_eq "alice: calls" 2 "$(m alice simple gpt-4o-mini .calls)"
expect_close "alice: cost" 0.0009 "$(m alice simple gpt-4o-mini .cost)" 1e-12
expect_close "alice: share" 0.0210772834 "$(m alice simple gpt-4o-mini .cost_share)" 1e-9
expect_close "alice: class accuracy" 0.8 "$(m alice simple gpt-4o-mini .accuracy)" 1e-12
expect_eq "alice: accuracy_n" 5 "$(m alice simple gpt-4o-mini .accuracy_n)"
expect_close "alice: cost per success" 0.0005625 "$(m alice simple gpt-4o-mini .cost_per_success)" 1e-12
expect_close "bob sonnet: cost" 0.036 "$(m bob complex claude-3-5-sonnet .cost)" 1e-12
expect_close "bob sonnet: share" 0.8430913349 "$(m bob complex claude-3-5-sonnet .cost_share)" 1e-9
expect_close "bob sonnet: cost per success" 0.0257142857 "$(m bob complex claude-3-5-sonnet .cost_per_success)" 1e-9
expect_close "(none) haiku: share" 0.0936768150 "$(m '(none)' '' claude-3-5-haiku .cost_share)" 1e-9
expect_eq "(none) haiku: no accuracy" null "$(m '(none)' '' claude-3-5-haiku .accuracy)"
expect_close "the rows sum to W23's 0.0427" 0.0427 "$(jq '[.rows[].cost] | add' "$T/m.json")" 1e-12
expect_rc "models --where user=alice" 0 ac models --week 2025-W23 --where user=alice --format csv
expect_eq "alice alone: one row, share 1, accuracy 0.8" "support,simple,gpt-4o-mini,2,0.0009,1,0.8" \
  "$(sed -n 2p "$T/out" | cut -d, -f1-4,7,8,10)"
expect_rc "models --where user=nobody" 0 ac models --week 2025-W23 --where user=nobody --format json
expect_eq "no such user: no rows, the empty shape" '{"rows":[
]}' "$(cat "$T/out")"
expect_rc "models --by user --compare-previous" 0 ac models --week 2025-W23 --by user --compare-previous --format json
cp "$T/out" "$T/mc.json"
mc() { jq -r ".rows[] | select(.user == \"(none)\" and .complexity == \"simple\" and .model == \"gpt-4o-mini\") | $1" "$T/mc.json"; }
expect_eq "previous only: (none)'s W22 calls" "0 2 -2" "$(mc '"\(.calls) \(.prev_calls) \(.calls_change)"')"
expect_close "previous only: prev cost" 0.0009 "$(mc .prev_cost)" 1e-12
expect_close "previous only: accuracy change 0.8 - 0.5" 0.3 "$(mc .accuracy_change)" 1e-12

# --- 5. where.jsonl (its tasks in t_dims_by1.sh): u1's quote tasks are
# shop's (.00015 + .0003 + .003 = .00345), its refunds desk's (.0015 + .0015
# + .009 = .012); .01545 in all, every cost an LLM call's (execute)
export AGENTCOST_DB="$T/where.db"
expect_rc "ingest where.jsonl" 0 ac ingest "$D/dims/where.jsonl"
expect_rc "hidden --where user=u1 csv" 0 ac hidden --where user=u1 --format csv
expect_eq "hidden --where user=u1: all, desk, shop" "all,execute,0.01545,1,1 desk,execute,0.012,1,1 shop,execute,0.00345,1,1" \
  "$(grep ',execute,' "$T/out" | cut -d, -f1-5 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "hidden --where user=u1: 5 purposes (retry, summarize, eval, execute, other) x 3 scopes" 16 \
  "$(wc -l <"$T/out")"
# u2: q4 .00015 (shop), r4 unpriced (desk, 0)
expect_rc "hidden --where user=u2 json" 0 ac hidden --where user=u2 --format json
expect_eq "hidden --where user=u2: systems" "desk:0 shop:0.00015" \
  "$(jq -r '[.systems[] | "\(.system):\(.cost_total)"] | join(" ")' "$T/out")"

# --- 6. a filter every task passes changes nothing: gen's tasks all come
# from resources with telemetry.sdk.name opentelemetry (175 tasks, evaluation
# included); the output of each listing with --where attr:telemetry.sdk.name=
# opentelemetry is the output without it, byte for byte, in every format
export AGENTCOST_DB="$T/gen1.db"
expect_rc "gen --users 1" 0 ac gen --days 2 --tasks-per-day 60 --users 1 -o "$T/gen1.jsonl"
expect_rc "ingest gen1" 0 ac ingest "$T/gen1.jsonl"
expect_eq "gen1: every task has telemetry.sdk.name opentelemetry" "opentelemetry,175" \
  "$(ac top attr:telemetry.sdk.name --include-eval --format csv | tail -n +2 | cut -d, -f1,2)"
W=attr:telemetry.sdk.name=opentelemetry
same=0
for c in "tasks" "tasks --approx" "tasks --histogram" "tasks --include-eval" "outliers" \
         "outliers --runaways" "hidden" "summary" "summary --unpriced" "spc" \
         "tasks --since 2025-06-03" "outliers --since 2025-06-03" "hidden --since 2025-06-03" \
         "summary --since 2025-06-03" "summary --system doc-agent" "hidden --system doc-agent"; do
  for f in csv json table; do
    # shellcheck disable=SC2086
    ac $c --format $f >"$T/plain.out" 2>&1
    # shellcheck disable=SC2086
    ac $c --where "$W" --format $f >"$T/where.out" 2>&1
    if cmp -s "$T/plain.out" "$T/where.out"; then same=$((same + 1)); else
      fail "$c --where $W --format $f differs: $(diff "$T/plain.out" "$T/where.out" | head -3)"
    fi
  done
done
expect_eq "a filter every task passes: 16 listings x 3 formats alike" 48 "$same"
# ... and one the five tasks without a user fail is not a no-op
ac tasks --format csv >"$T/plain.out"
ac tasks --where user=u000000 --format csv >"$T/where.out"
cmp -s "$T/plain.out" "$T/where.out" && fail "tasks --where user=u000000 should drop the tasks without a user" || ok

finish
