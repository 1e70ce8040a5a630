#!/usr/bin/env bash
# agentcost hidden: cost, cost share and token share per step purpose, tool
# failure rate and retries per failure episode, overall and per system.
# Every number by hand; gpt-4o-mini costs 0.15 / 0.60 USD per million tokens
# in / out, so 1000/100 -> 0.00015 + 0.00006 = 0.00021, 2000/100 -> 0.00036,
# 4000/200 -> 0.0006 + 0.00012 = 0.00072, 1000/0 -> 0.00015.
#
# testdata/hidden/hidden.jsonl
#   alpha A1 (2025-04-01 10:00): agent root (other, 0); plan 1000/100 0.00021;
#     search ERROR 10 s, LLM 11 s 2000/100 (in the episode: retry 0.00036),
#     search ERROR 12 s, ERROR 13 s, OK 14 s (tool): episode 1, attempts 3;
#     "summarize history" 4000/200 summarize 0.00072; LLM 1000/100 execute
#     0.00021 sent by service alpha-llm-proxy (counts for alpha, its task's
#     system); fetch ERROR 40 s, last span: episode 2 (to the task's end),
#     attempts 0, itself retry. Tool calls 5, failed 4. Cost 0.0015, tokens
#     1100 + 2100 + 4200 + 1100 = 8500.
#   alpha A2 (11:00): deployment.environment eval: every span eval; LLM
#     2000/100 0.00036; grader ERROR then OK: calls 2, failed 1, episode 1,
#     attempts 1. Tokens 2100.
#   beta B1 (2025-04-02 09:00): root LLM 1000/0 execute 0.00015 (1000 tokens);
#     aggregate 2000/100 0.00036 (2100); calc OK.
#   beta B2 (starts 2025-04-02 23:59:50): calc ERROR, LLM 23:59:55 1000/100
#     retry 0.00021 (1100), calc OK at 2025-04-03 00:00:10: calls 2, failed 1,
#     episode 1, attempts 1.
# Overall: cost 0.00186 + 0.00051 + 0.00021 = 0.00258; tokens 10600 + 4200 = 14800.
#   retry     0.00036 + 0.00021 = 0.00057   share 0.00057/0.00258 = 0.2209302326  tokens 3200/14800 = 0.2162162162
#   summarize 0.00072                       0.00072/0.00258 = 0.2790697674          4200/14800 = 0.2837837838
#   eval      0.00036                       0.1395348837                            2100/14800 = 0.1418918919
#   plan      0.00021                       0.0813953488                            1100/14800 = 0.0743243243
#   execute   0.00021 + 0.00015 = 0.00036   0.1395348837                            2100/14800 = 0.1418918919
#   aggregate 0.00036                       0.1395348837                            2100/14800 = 0.1418918919
#   tool 0, other 0 (the agent root)
#   tool failure rate (4 + 1 + 1) / (5 + 2 + 1 + 2) = 6/10 = 0.6
#   retries per failure (3 + 1 + 1) / (2 + 1 + 1) = 5/4 = 1.25
# alpha: cost 0.00186, retry 0.00036/0.00186 = 0.1935483871 (tokens 2100/10600
#   = 0.1981132075), summarize 0.00072/0.00186 = 0.3870967742 (4200/10600 =
#   0.3962264151), failure rate 5/7 = 0.7142857143, retries 4/3 = 1.3333333333.
# beta: cost 0.00072, retry 0.00021/0.00072 = 0.2916666667 (1100/4200 =
#   0.2619047619), execute 0.00015/0.00072 = 0.2083333333 (1000/4200 =
#   0.2380952381), aggregate 0.5 (2100/4200 = 0.5); no summarize, no eval
#   (present at 0); failure rate 1/3, retries 1/1 = 1.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata

expect_rc "ingest" 0 ac ingest "$D/hidden/hidden.jsonl"
expect_rc "hidden json" 0 ac hidden --format json
cp "$T/out" "$T/h.json"
j() { jget "$1" <"$T/h.json"; }
expect_close "cost_total" 0.00258 "$(j .cost_total)" 1e-12
expect_close "retry cost" 0.00057 "$(j .retry.cost)" 1e-12
expect_close "retry share" 0.2209302326 "$(j .retry.share)" 1e-9
expect_close "retry token share" 0.2162162162 "$(j .retry.token_share)" 1e-9
expect_close "summarize cost" 0.00072 "$(j .summarize.cost)" 1e-12
expect_close "summarize share" 0.2790697674 "$(j .summarize.share)" 1e-9
expect_close "summarize token share" 0.2837837838 "$(j .summarize.token_share)" 1e-9
expect_close "eval cost (an eval task: all its cost)" 0.00036 "$(j .eval.cost)" 1e-12
expect_close "eval share" 0.1395348837 "$(j .eval.share)" 1e-9
expect_close "eval token share" 0.1418918919 "$(j .eval.token_share)" 1e-9
expect_close "plan share" 0.0813953488 "$(j .plan.share)" 1e-9
expect_close "plan token share" 0.0743243243 "$(j .plan.token_share)" 1e-9
expect_close "execute cost" 0.00036 "$(j .execute.cost)" 1e-12
expect_close "aggregate cost" 0.00036 "$(j .aggregate.cost)" 1e-12
expect_eq "tool cost" 0 "$(j .tool.cost)"
expect_eq "other present (agent root), cost 0" 0 "$(j .other.cost)"
expect_close "tool failure rate 6/10" 0.6 "$(j .tool_failure_rate)" 1e-12
expect_close "retries per failure 5/4" 1.25 "$(j .retries_per_failure)" 1e-12
expect_eq "top-level key order" \
  'cost_total,retry,summarize,eval,plan,execute,aggregate,tool,other,tool_failure_rate,retries_per_failure,systems' \
  "$(jq -r 'keys_unsorted | join(",")' "$T/h.json")"
expect_eq "systems by name; the proxy service is no system" "alpha,beta" "$(j '[.systems[].system] | join(",")')"
sysj() { jq -r ".systems[] | select(.system == \"$1\") | $2" "$T/h.json"; }
expect_close "alpha cost_total" 0.00186 "$(sysj alpha .cost_total)" 1e-12
expect_close "alpha retry share" 0.1935483871 "$(sysj alpha .retry.share)" 1e-9
expect_close "alpha retry token share" 0.1981132075 "$(sysj alpha .retry.token_share)" 1e-9
expect_close "alpha summarize share" 0.3870967742 "$(sysj alpha .summarize.share)" 1e-9
expect_close "alpha summarize token share" 0.3962264151 "$(sysj alpha .summarize.token_share)" 1e-9
expect_close "alpha execute: the proxy-served call" 0.00021 "$(sysj alpha .execute.cost)" 1e-12
expect_close "alpha failure rate 5/7" 0.7142857143 "$(sysj alpha .tool_failure_rate)" 1e-9
expect_close "alpha retries per failure 4/3" 1.3333333333 "$(sysj alpha .retries_per_failure)" 1e-9
expect_eq "alpha keys (no aggregate)" \
  'system,cost_total,retry,summarize,eval,plan,execute,tool,other,tool_failure_rate,retries_per_failure' \
  "$(sysj alpha 'keys_unsorted | join(",")')"
expect_eq "beta keys (summarize and eval always, at 0)" \
  'system,cost_total,retry,summarize,eval,execute,aggregate,tool,tool_failure_rate,retries_per_failure' \
  "$(sysj beta 'keys_unsorted | join(",")')"
expect_eq "beta summarize zero" "0|0|0" "$(sysj beta '"\(.summarize.cost)|\(.summarize.share)|\(.summarize.token_share)"')"
expect_close "beta cost_total" 0.00072 "$(sysj beta .cost_total)" 1e-12
expect_close "beta retry share" 0.2916666667 "$(sysj beta .retry.share)" 1e-9
expect_close "beta retry token share" 0.2619047619 "$(sysj beta .retry.token_share)" 1e-9
expect_close "beta execute share" 0.2083333333 "$(sysj beta .execute.share)" 1e-9
expect_close "beta execute token share" 0.2380952381 "$(sysj beta .execute.token_share)" 1e-9
expect_eq "beta aggregate share" 0.5 "$(sysj beta .aggregate.share)"
expect_close "beta failure rate 1/3" 0.3333333333 "$(sysj beta .tool_failure_rate)" 1e-9
expect_eq "beta retries per failure 1/1" 1 "$(sysj beta .retries_per_failure)"

# --system: everything restricted to that system, by the task's system
ac hidden --system alpha --format json >"$T/a.json"
expect_close "--system alpha cost_total" 0.00186 "$(jget .cost_total <"$T/a.json")" 1e-12
expect_close "--system alpha retry share" 0.1935483871 "$(jget .retry.share <"$T/a.json")" 1e-9
expect_close "--system alpha failure rate" 0.7142857143 "$(jget .tool_failure_rate <"$T/a.json")" 1e-9
expect_eq "--system alpha: one system" "alpha" "$(jget '[.systems[].system] | join(",")' <"$T/a.json")"
ac hidden --system alpha-llm-proxy --format json >"$T/p.json"
expect_eq "a span's own service is not its system" "0|null|[]" \
  "$(jget '"\(.cost_total)|\(.retry.share)|\(.systems)"' <"$T/p.json")"

# CSV and table: one row per (all or system, purpose), in display order
expect_rc "hidden csv" 0 ac hidden --format csv
expect_eq "csv header" "system,purpose,cost,share,token_share,tool_failure_rate,retries_per_failure" "$(head -1 "$T/out")"
expect_eq "csv rows: 8 all + 7 alpha + 6 beta" 22 "$(wc -l <"$T/out")"
expect_eq "csv purposes of all, in order" "retry summarize eval plan execute aggregate tool other" \
  "$(awk -F, '$1 == "all" { printf "%s%s", s, $2; s = " " }' "$T/out")"
expect_eq "csv row all,retry" "all,retry,0.00057,0.220930232558,0.216216216216,0.6,1.25" "$(grep '^all,retry,' "$T/out")"
expect_eq "csv row beta,aggregate" "beta,aggregate,0.00036,0.5,0.5,0.333333333333,1" "$(grep '^beta,aggregate,' "$T/out")"
expect_rc "hidden table" 0 ac hidden
expect_grep "table header" "^system +purpose +cost +share +token_share +tool_failure_rate +retries_per_failure$" "$T/out"
expect_grep "table row all retry" "^all +retry +0\.0006 +0\.2209 +0\.2162 +0\.6 +1\.25$" "$T/out"

# window: spans by start_ns, tasks (episodes) by their start
# --until 2025-04-02 drops only B2's calc OK at 2025-04-03 00:00:10:
#   tool calls 9, failed 6 -> 0.6666666667; B2 starts 04-02, so its episode
#   stays: retries 5/4 = 1.25; cost unchanged 0.00258 (the dropped span costs 0)
ac hidden --until 2025-04-02 --format json >"$T/u.json"
expect_close "--until: failure rate 6/9" 0.6666666667 "$(jget .tool_failure_rate <"$T/u.json")" 1e-9
expect_close "--until: retries per failure" 1.25 "$(jget .retries_per_failure <"$T/u.json")" 1e-12
expect_close "--until: cost" 0.00258 "$(jget .cost_total <"$T/u.json")" 1e-12
# --since 2025-04-03: only that calc OK span; no task starts then
ac hidden --since 2025-04-03 --format json >"$T/s.json"
expect_eq "--since: cost 0, shares null, rate 0/1, no episodes" "0|null|null|0|null" \
  "$(jget '"\(.cost_total)|\(.retry.share)|\(.retry.token_share)|\(.tool_failure_rate)|\(.retries_per_failure)"' <"$T/s.json")"
expect_eq "--since: beta only" "beta" "$(jget '[.systems[].system] | join(",")' <"$T/s.json")"
# --since 2025-04-02 --until 2025-04-02: beta's day, B2 task included, its 04-03 span not
#   cost 0.00015 + 0.00036 + 0.00021 = 0.00072; calls 2 (calc OK, calc ERROR), failed 1
ac hidden --since 2025-04-02 --until 2025-04-02 --format json >"$T/d.json"
expect_close "one day: cost" 0.00072 "$(jget .cost_total <"$T/d.json")" 1e-12
expect_close "one day: failure rate 1/2" 0.5 "$(jget .tool_failure_rate <"$T/d.json")" 1e-12
expect_eq "one day: retries 1/1" 1 "$(jget .retries_per_failure <"$T/d.json")"

# empty window: the always-present keys at zero
ac hidden --since 2030-01-01 --format json >"$T/e.json"
expect_eq "empty window" \
  '{"cost_total":0,"retry":{"cost":0,"share":null,"token_share":null},"summarize":{"cost":0,"share":null,"token_share":null},"eval":{"cost":0,"share":null,"token_share":null},"tool_failure_rate":null,"retries_per_failure":null,"systems":[]}' \
  "$(cat "$T/e.json")"
expect_rc "unexpected argument" 2 ac hidden extra

# testdata/tasks/tasks.jsonl (costs in t_tasks.sh): T1 0.00204, T2 (eval)
# 0.00021, job-42 0.00063, T4 (eval) 0.00021, T5 0.00042: total 0.00351.
#   retry 0.00036 (LLM inside the search episode)  share 0.00036/0.00351 = 0.1025641026
#   summarize 0.00105                              0.00105/0.00351 = 0.2991452991
#   eval 0.00021 + 0.00021 = 0.00042               0.00042/0.00351 = 0.1196581197
#   plan 0.00021, aggregate 0.00021, execute 0.00021 + 0.00063 + 0.00042 = 0.00126
# tokens: T1 10900, T2 1100, job-42 3300, T4 1100, T5 2200 = 18600;
#   retry 2100/18600 = 0.1129032258, summarize 5500/18600 = 0.2956989247,
#   eval 2200/18600 = 0.1182795699
# tool calls: T1's four, two failed: 0.5; retries: 2 attempts / 1 episode = 2
export AGENTCOST_DB="$T/tasks.db"
expect_rc "ingest tasks" 0 ac ingest "$D/tasks/tasks.jsonl"
ac hidden --format json >"$T/t.json"
t() { jget "$1" <"$T/t.json"; }
expect_close "tasks: total" 0.00351 "$(t .cost_total)" 1e-12
expect_close "tasks: retry" 0.00036 "$(t .retry.cost)" 1e-12
expect_close "tasks: retry share" 0.1025641026 "$(t .retry.share)" 1e-9
expect_close "tasks: retry token share" 0.1129032258 "$(t .retry.token_share)" 1e-9
expect_close "tasks: summarize" 0.00105 "$(t .summarize.cost)" 1e-12
expect_close "tasks: summarize share" 0.2991452991 "$(t .summarize.share)" 1e-9
expect_close "tasks: summarize token share" 0.2956989247 "$(t .summarize.token_share)" 1e-9
expect_close "tasks: eval" 0.00042 "$(t .eval.cost)" 1e-12
expect_close "tasks: eval share" 0.1196581197 "$(t .eval.share)" 1e-9
expect_close "tasks: eval token share" 0.1182795699 "$(t .eval.token_share)" 1e-9
expect_close "tasks: execute" 0.00126 "$(t .execute.cost)" 1e-12
expect_close "tasks: plan" 0.00021 "$(t .plan.cost)" 1e-12
expect_close "tasks: aggregate" 0.00021 "$(t .aggregate.cost)" 1e-12
expect_eq "tasks: failure rate" 0.5 "$(t .tool_failure_rate)"
expect_eq "tasks: retries per failure" 2 "$(t .retries_per_failure)"
# doc-agent: T1 0.00204 + T2 0.00021 = 0.00225; retry 0.00036/0.00225 = 0.16
expect_close "tasks: doc-agent retry share" 0.16 \
  "$(jq -r '.systems[] | select(.system == "doc-agent") | .retry.share' "$T/t.json")" 1e-12
# support-agent: T4 (eval) 0.00021 + T5 0.00042 = 0.00063; eval 1/3; no tool calls: null
expect_eq "tasks: support-agent eval share, rates" "0.333333333333|null|null" \
  "$(jq -r '.systems[] | select(.system == "support-agent") | "\(.eval.share)|\(.tool_failure_rate)|\(.retries_per_failure)"' "$T/t.json")"
finish
