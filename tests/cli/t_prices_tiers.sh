#!/usr/bin/env bash
# Service tiers, context tiers, 1-hour cache writes and audio tokens (issue
# 18): a LiteLLM table with every dimension for one model "tm", spans that
# state a tier through each attribute, the costs (by hand below), summary's
# tier_fallback_calls / unknown_tier_calls, and re-pricing once the model
# gains a batch price.
. "$(dirname "$0")/lib.sh"
cost_of() { sql "SELECT coalesce(cost_usd, 'NULL') || '|' || cost_src FROM span WHERE span_id = x'$1'"; }

# span ID IN OUT CACHE_READ CACHE_WRITE 'EXTRA_ATTRIBUTES' (JSON, leading comma)
span() {
  printf '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"tiers"}}]},"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c8031%s","spanId":"00000000000000%s","name":"chat tm","kind":3,"startTimeUnixNano":"1748822400000000000","endTimeUnixNano":"1748822401000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"tm"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"%s"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"%s"}},{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"%s"}},{"key":"gen_ai.usage.cache_creation.input_tokens","value":{"intValue":"%s"}}%s]}]}]}]}\n' \
    "$1" "$1" "$2" "$3" "$4" "$5" "$6"
}
attr_s() { printf ',{"key":"%s","value":{"stringValue":"%s"}}' "$1" "$2"; }
attr_i() { printf ',{"key":"%s","value":{"intValue":"%s"}}' "$1" "$2"; }

# tm: base input 2, output 8, cache read 0.50, cache write 2.50 (USD/MTok);
# 1-hour write 4; audio 40 / 80; above 128k input 3; above 200k input 4,
# output 12, cache read 1; priority input 3.50, output 14, cache read 0.875,
# above 200k input 7; flex input 1, output 4; no batch price.
TM='"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06,
  "cache_read_input_token_cost": 5e-07, "cache_creation_input_token_cost": 2.5e-06,
  "cache_creation_input_token_cost_above_1hr": 4e-06,
  "input_cost_per_audio_token": 4e-05, "output_cost_per_audio_token": 8e-05,
  "input_cost_per_token_above_128k_tokens": 3e-06,
  "input_cost_per_token_above_200k_tokens": 4e-06, "output_cost_per_token_above_200k_tokens": 1.2e-05,
  "cache_read_input_token_cost_above_200k_tokens": 1e-06,
  "input_cost_per_token_priority": 3.5e-06, "output_cost_per_token_priority": 1.4e-05,
  "cache_read_input_token_cost_priority": 8.75e-07,
  "input_cost_per_token_above_200k_tokens_priority": 7e-06,
  "input_cost_per_token_flex": 1e-06, "output_cost_per_token_flex": 4e-06'
printf '{"tm": {%s}}\n' "$TM" >"$T/a.json"
printf '{"tm": {%s, "input_cost_per_token_batches": 1e-06, "output_cost_per_token_batches": 4e-06}}\n' \
  "$TM" >"$T/b.json"

expect_rc "import" 0 ac prices import "$T/a.json"
expect_grep "import: one model" "^imported 1 price row for 1 models .*; 0 rows skipped; re-priced 0 spans$" "$T/out"
expect_eq "import: every key used" "0 entries lost at least one priced dimension" "$(tail -n +2 "$T/out")"
# service tier, above, input, output, cache read, cache write, 1h write,
# reasoning, audio in, audio out (USD/MTok; the base row holds the rest)
expect_eq "price_tier rows" "standard 0 - - - - 4 - 40 80
standard 128000 3 - - - - - - -
standard 200000 - - 1 - - - - -
priority 0 3.5 14 0.875 - - - - -
priority 200000 7 - - - - - - -
flex 0 1 4 - - - - - -" "$(sql "SELECT service_tier, above_tokens, coalesce(input_per_mtok, '-'),
  coalesce(output_per_mtok, '-'), coalesce(cache_read_per_mtok, '-'),
  coalesce(cache_write_per_mtok, '-'), coalesce(cache_write_1h_per_mtok, '-'),
  coalesce(reasoning_per_mtok, '-'), coalesce(audio_input_per_mtok, '-'),
  coalesce(audio_output_per_mtok, '-') FROM price_tier WHERE model = 'tm'
  ORDER BY service_tier = 'flex', service_tier = 'priority', above_tokens" | tr '|' ' ' | sed 's/\.0\b//g')"

# every kind of token: in 10,000 (cache read 2,000, cache write 1,000 of
# which 400 1-hour, audio 500), out 3,000 (reasoning 1,000, audio 200)
MIX=$(attr_i gen_ai.usage.reasoning.output_tokens 1000)$(attr_i agentcost.usage.cache_write_1h_tokens 400)$(attr_i llm.token_count.prompt_details.audio 500)$(attr_i llm.token_count.completion_details.audio 200)
{
  span 01 10000 3000 2000 1000 "$MIX"
  span 02 10000 3000 2000 1000 "$MIX$(attr_s openai.response.service_tier priority)"
  span 03 10000 3000 2000 1000 "$MIX$(attr_s agentcost.service_tier batch)"
  span 04 10000 3000 2000 1000 "$MIX$(attr_s openai.request.service_tier priority)$(attr_s openai.response.service_tier default)"
  span 05 150000 1000 0 0 "$(attr_s openai.response.service_tier priority)$(attr_s agentcost.service_tier flex)"
  span 06 250000 1000 50000 0 "$(attr_s gen_ai.openai.response.service_tier on_demand)"
  span 07 250000 1000 50000 0 "$(attr_s gen_ai.openai.request.service_tier Priority)"
} >"$T/spans.jsonl"
expect_rc "ingest" 0 ac ingest "$T/spans.jsonl"
# standard: fresh 6500 x 2 + audio 500 x 40 + read 2000 x 0.5 + 5-minute
# writes 600 x 2.5 + 1-hour 400 x 4 + text out 1800 x 8 + reasoning 1000 x 8
# + audio out 200 x 80 = 13000+20000+1000+1500+1600+14400+8000+16000 = 75500
expect_close "standard, every kind" 0.0755 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000001'")" 1e-12
# priority (the tier served): 6500 x 3.5 + 20000 + 2000 x 0.875 + 1500 + 1600
# + 1800 x 14 + 1000 x 14 + 16000 = 22750+20000+1750+1500+1600+25200+14000+16000
expect_close "priority" 0.1028 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000002'")" 1e-12
# batch: tm has no batch price -> standard, a tier fallback
expect_close "batch falls back" 0.0755 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000003'")" 1e-12
# asked priority, served default: standard
expect_close "served beats asked" 0.0755 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000004'")" 1e-12
# agentcost's flex beats the response's priority; 150,000 > 128k: input
# 150000 x 3 (standard above 128k) + output 1000 x 4 (flex) = 454000
expect_close "explicit flex, 128k tier" 0.454 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000005'")" 1e-12
# unknown tier -> standard; above 200k: 200000 x 4 + 50000 x 1 + 1000 x 12
expect_close "unknown tier, 200k tier" 0.862 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000006'")" 1e-12
# priority above 200k: 200000 x 7 + 50000 x 1 (standard 200k beats
# priority) + 1000 x 12 = 1462000
expect_close "priority above 200k" 1.462 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000007'")" 1e-12
expect_eq "notes" "0 0 1 0 0 0 0" "$(sql "SELECT group_concat(price_note, ' ') FROM (SELECT price_note FROM span ORDER BY span_id)")"

expect_rc "summary json" 0 ac summary --format json
expect_eq "tier_fallback_calls" 1 "$(jget .tier_fallback_calls <"$T/out")"
expect_eq "unknown_tier_calls" 1 "$(jget .unknown_tier_calls <"$T/out")"
expect_eq "llm_calls kept" 7 "$(jget .llm_calls <"$T/out")"
expect_rc "summary table" 0 ac summary
expect_grep "table: fallback line" "^TIER FALLBACK 1 LLM call of a service tier" "$T/out"
expect_grep "table: unknown line" "^UNKNOWN TIER 1 LLM call of a service tier" "$T/out"

# tm gains batch prices: span 03 is re-priced at them and no longer a
# fallback. batch: fresh 6500 x 1 + audio 20000 + read 1000 + 1500 + 1600
# + text out 1800 x 4 + reasoning 1000 x 4 + audio out 16000 = 57800
expect_rc "import batch prices" 0 ac prices import "$T/b.json"
expect_grep "re-priced" "re-priced 1 span$" "$T/out"
expect_close "batch priced" 0.0578 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000003'")" 1e-12
expect_rc "summary json again" 0 ac summary --format json
expect_eq "no fallback left" 0 "$(jget .tier_fallback_calls <"$T/out")"

# The model CSV states tiers with the columns service_tier and above_tokens:
# a row with both empty is the model's standard row; a tier row joins the
# standard row of its model and effective_from in the same file and states
# only the prices it changes. cm: 1 / 4, cache read 0.10, write 1.25, 1-hour
# write 2; priority 1.80 / 7.20; above 128k 2 / 8; priority above 128k 3.60.
cat >"$T/tiers.csv" <<'EOT'
model,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok,cache_write_1h_per_mtok,audio_input_per_mtok,audio_output_per_mtok,service_tier,above_tokens,effective_from
cm,1.00,4.00,0.10,1.25,2.00,,,,,
cm,1.80,7.20,,,,,,priority,,
cm,2.00,8.00,,,,,,,128000,
cm,3.60,,,,,,,priority,128000,
orphan,1,2,,,,,,flex,,
cm,1,2,,,,,,express,,
cm,1,2,,,,,,flex,-5,
EOT
expect_rc "csv tiers: import (3: rows skipped)" 3 ac prices import "$T/tiers.csv"
expect_grep "csv tiers: orphan tier row" "tiers.csv:6: tier row without a standard row .* for orphan in this file" "$T/err"
expect_grep "csv tiers: bad tier" "tiers.csv:7: service_tier is not standard, flex, priority or batch: \"express\"" "$T/err"
expect_grep "csv tiers: bad above" "tiers.csv:8: above_tokens is not a whole number >= 0: \"-5\"" "$T/err"
expect_eq "csv tiers: price_tier rows" "standard 0 - - - - 2 - - -
priority 0 1.8 7.2 - - - - - -
standard 128000 2 8 - - - - - -
priority 128000 3.6 - - - - - - -" "$(sql "SELECT service_tier, above_tokens, coalesce(input_per_mtok, '-'),
  coalesce(output_per_mtok, '-'), coalesce(cache_read_per_mtok, '-'),
  coalesce(cache_write_per_mtok, '-'), coalesce(cache_write_1h_per_mtok, '-'),
  coalesce(reasoning_per_mtok, '-'), coalesce(audio_input_per_mtok, '-'),
  coalesce(audio_output_per_mtok, '-') FROM price_tier WHERE model = 'cm' ORDER BY rowid" |
  tr '|' ' ' | sed 's/\.0\b//g')"
# prices list --tiers shows those rows as the CSV states them (sorted by model,
# effective_from, tier, threshold; absent prices empty / null; the tm rows of
# the LiteLLM file above are listed too)
expect_rc "csv tiers: list --tiers" 0 ac prices list --tiers --format csv
expect_eq "csv tiers: list --tiers rows" "model,service_tier,above_tokens,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok,cache_write_1h_per_mtok,reasoning_per_mtok,audio_input_per_mtok,audio_output_per_mtok,effective_from
cm,priority,0,1.8,7.2,,,,,,,
cm,priority,128000,3.6,,,,,,,,
cm,standard,0,,,,,2,,,,
cm,standard,128000,2,8,,,,,,," "$(grep -E '^(model|cm),' "$T/out")"
expect_eq "csv tiers: list --tiers json null" "null" "$(ac prices list --tiers --format json | jq -c '.price_tiers[0].cache_read_per_mtok')"
cspan() { # ID IN OUT CACHE_WRITE EXTRA
  span "$1" "$2" "$3" 0 "$4" "$5" | sed 's/"stringValue":"tm"/"stringValue":"cm"/'
}
{
  cspan 11 10000 1000 1000 "$(attr_i agentcost.usage.cache_write_1h_tokens 400)"
  cspan 12 10000 1000 0 "$(attr_s agentcost.service_tier priority)"
  cspan 13 200000 1000 0 "$(attr_s agentcost.service_tier priority)"
  cspan 14 1000 1000 0 "$(attr_s agentcost.service_tier batch)"
} >"$T/cm.jsonl"
expect_rc "csv tiers: ingest" 0 ac ingest "$T/cm.jsonl"
# 9000 x 1 + 600 x 1.25 + 400 x 2 + 1000 x 4 = 9000 + 750 + 800 + 4000
expect_close "csv: 1-hour writes" 0.01455 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000011'")" 1e-12
# 10000 x 1.80 + 1000 x 7.20 = 18000 + 7200
expect_close "csv: priority" 0.0252 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000012'")" 1e-12
# above 128k: 200000 x 3.60 (priority above 128k) + 1000 x 8 (above 128k)
expect_close "csv: priority above 128k" 0.728 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000013'")" 1e-12
# no batch price: standard 1000 x 1 + 1000 x 4, a fallback
expect_close "csv: batch falls back" 0.005 "$(sql "SELECT cost_usd FROM span WHERE span_id = x'0000000000000014'")" 1e-12
expect_rc "summary after csv" 0 ac summary --format json
expect_eq "csv: one fallback" 1 "$(jget .tier_fallback_calls <"$T/out")"

# The router's replay keeps each call's service tier, context tier, 1-hour
# writes and audio: one qa task (complexity simple), two tm calls replayed
# on cm (map simple -> cm).
RDB=$T/replay.db
flat() { # SPAN_ID NAME ATTRIBUTES (JSON members, leading comma)
  printf '{"trace_id":"7e900000000000000000000000000bb1","span_id":"b00000000000000%s","parent_span_id":%s,"name":"%s","start_time":"2025-06-10T10:00:0%sZ","end_time":"2025-06-10T10:00:0%sZ","status":"OK","attributes":{"gen_ai.operation.name":"%s"%s},"resource":{"service.name":"tierbot"}}\n' \
    "$1" "$([ "$1" = 1 ] && echo null || echo '"b000000000000001"')" "$2" "$1" "$(($1 + 1))" "$2" "$3"
}
{
  flat 1 invoke_agent ',"agentcost.task.type":"qa","agentcost.complexity":"simple"'
  flat 2 chat ',"gen_ai.request.model":"tm","gen_ai.usage.input_tokens":10000,"gen_ai.usage.output_tokens":3000,"gen_ai.usage.cache_read.input_tokens":2000,"gen_ai.usage.cache_creation.input_tokens":1000,"agentcost.usage.cache_write_1h_tokens":400,"llm.token_count.prompt_details.audio":500,"gen_ai.usage.reasoning.output_tokens":1000,"llm.token_count.completion_details.audio":200,"openai.response.service_tier":"priority"'
  flat 3 chat ',"gen_ai.request.model":"tm","gen_ai.usage.input_tokens":150000,"gen_ai.usage.output_tokens":1000'
} >"$T/replay.jsonl"
expect_rc "replay: prices" 0 ac --db "$RDB" prices import "$T/a.json"
expect_rc "replay: csv prices" 3 ac --db "$RDB" prices import "$T/tiers.csv"
expect_rc "replay: ingest" 0 ac --db "$RDB" ingest "$T/replay.jsonl"
printf 'complexity,model\nsimple,cm\n' >"$T/map.csv"
expect_rc "replay: simulate" 0 ac --db "$RDB" simulate --map "$T/map.csv" --format json
# recorded: 0.1028 (priority, every kind, as span 02 above) + 150000 x 3
# (tm above 128k) + 1000 x 8 = 0.1028 + 0.458
expect_close "replay: baseline" 0.5608 "$(jget .baseline_cost <"$T/out")" 1e-12
# on cm, priority: fresh 6500 x 1.80 + audio 500 x 1.80 (no audio price:
# the tier's input) + read 2000 x 0.10 + 600 x 1.25 + 1-hour 400 x 2 + text
# out 1800 x 7.20 + reasoning 1000 x 7.20 + audio out 200 x 7.20
# = 11700 + 900 + 200 + 750 + 800 + 12960 + 7200 + 1440 = 35950;
# standard above 128k: 150000 x 2 + 1000 x 8 = 308000 -> 0.34395
expect_close "replay: simulated" 0.34395 "$(jget .simulated_cost <"$T/out")" 1e-12
finish
