#!/usr/bin/env bash
# Provider model names priced without configuration (pricing.h, resolution
# steps): Bedrock inference profiles and ARNs, Vertex @-names and resource
# paths, OpenRouter provider/model, LiteLLM's provider-prefixed keys from the
# span's provider attribute; an Azure deployment name unpriced until an alias
# (alias,model CSV) names it, then re-priced; summary's unpriced_detail with
# calls and hints. Expected costs by hand from the built-in list prices
# (USD per million tokens) or the rows imported here.
. "$(dirname "$0")/lib.sh"
cost_of() { sql "SELECT coalesce(cost_usd, 'NULL') || '|' || cost_src FROM span WHERE span_id = x'$1'"; }

# span SPAN_ID MODEL PROVIDER INPUT OUTPUT: one flat JSONL LLM span on 2025-06-01
span() {
  local prov=""
  [ -n "$3" ] && prov="\"gen_ai.provider.name\":\"$3\","
  printf '{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"%s","name":"chat",' "$1"
  printf '"start_time_unix_nano":1748779201000000000,"end_time_unix_nano":1748779202000000000,'
  printf '"status":"OK","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"%s",' "$2"
  printf '%s"gen_ai.usage.input_tokens":%s,"gen_ai.usage.output_tokens":%s},' "$prov" "$4" "$5"
  printf '"resource":{"service.name":"names"}}\n'
}

{
  span 0000000000000001 "us.anthropic.claude-3-5-haiku-20241022-v1:0" aws.bedrock 10000 2000
  span 0000000000000002 "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0" aws.bedrock 1000 100
  span 0000000000000003 "claude-3-5-sonnet-v2@20241022" gcp.vertex_ai 2000 500
  span 0000000000000004 "projects/p1/locations/us-east5/publishers/anthropic/models/claude-3-5-haiku@20241022" gcp.vertex_ai 1000 1000
  span 0000000000000005 "anthropic/claude-3.5-sonnet" openrouter 1000 200
  span 0000000000000006 "grok-3-mini" xai 1000 500
  span 0000000000000007 "grok-3-mini" "" 1000 500
  span 0000000000000008 "prod-gpt4o-east" azure.ai.openai 1000 100
  span 0000000000000009 "prod-gpt4o-east" azure.ai.openai 2000 200
  span 000000000000000a "prod-gpt-4o-mini-east" azure.ai.openai 1000 1000
  span 000000000000000b "gpt-4o-min" openai 1000 1000
  span 000000000000000c "us.anthropic.claude-sonnet-4-5-20250929-v1:0" aws.bedrock 1000 1000
} >"$T/names.jsonl"

# xAI's price under LiteLLM's key, imported before the ingest
printf 'model,input_per_mtok,output_per_mtok\nxai/grok-3-mini,0.30,0.50\n' >"$T/xai.csv"
expect_rc "import xai price" 0 ac prices import "$T/xai.csv"
expect_rc "ingest" 0 ac ingest "$T/names.jsonl"

# Bedrock inference profile -> claude-3-5-haiku (0.80 / 4.00):
#   10000 x 0.80 + 2000 x 4.00 = 8000 + 8000 = 16000 -> 0.016
expect_eq "bedrock profile" "0.016|1" "$(cost_of 0000000000000001)"
# Bedrock ARN -> claude-3-5-sonnet (3.00 / 15.00): 1000 x 3 + 100 x 15 = 4500 -> 0.0045
expect_eq "bedrock arn" "0.0045|1" "$(cost_of 0000000000000002)"
# Vertex -v2@date -> claude-3-5-sonnet: 2000 x 3 + 500 x 15 = 6000 + 7500 = 13500 -> 0.0135
expect_eq "vertex v2@date" "0.0135|1" "$(cost_of 0000000000000003)"
# Vertex resource path -> claude-3-5-haiku: 1000 x 0.80 + 1000 x 4 = 4800 -> 0.0048
expect_eq "vertex publishers path" "0.0048|1" "$(cost_of 0000000000000004)"
# OpenRouter claude-3.5-sonnet -> claude-3-5-sonnet: 1000 x 3 + 200 x 15 = 6000 -> 0.006
expect_eq "openrouter" "0.006|1" "$(cost_of 0000000000000005)"
# provider xai + grok-3-mini -> xai/grok-3-mini (0.30 / 0.50): 300 + 250 = 550 -> 0.00055
expect_eq "xai provider key" "0.00055|1" "$(cost_of 0000000000000006)"
# the same name without a provider: nothing to go on
expect_eq "grok without provider unpriced" "NULL|3" "$(cost_of 0000000000000007)"
# an Azure deployment name: unpriced
expect_eq "azure deployment unpriced" "NULL|3" "$(cost_of 0000000000000008)"
expect_eq "typo unpriced (no fuzzy pricing)" "NULL|3" "$(cost_of 000000000000000b)"
# Sonnet 4.5 on a Bedrock geo profile: 10% above list, no built-in price
expect_eq "bedrock premium unpriced" "NULL|3" "$(cost_of 000000000000000c)"

# summary: every unpriced model with its calls and the nearest known name
expect_rc "summary json" 0 ac summary --format json
cp "$T/out" "$T/sum.json"
# spans 7, 8, 9, a, b, c
expect_eq "unpriced spans" 6 "$(jget .unpriced_spans <"$T/sum.json")"
# unpriced_models stays a list of names (by calls, then name)
expect_eq "unpriced_models names" \
  'gpt-4o-min,grok-3-mini,prod-gpt-4o-mini-east,prod-gpt4o-east,us.anthropic.claude-sonnet-4-5-20250929-v1:0' \
  "$(jget '.unpriced_models | sort | join(",")' <"$T/sum.json")"
expect_eq "unpriced_detail: prod-gpt4o-east 2 calls, nothing near" "2|null" \
  "$(jget '.unpriced_detail[] | select(.model == "prod-gpt4o-east") | "\(.calls)|\(.hint)"' <"$T/sum.json")"
expect_eq "unpriced_detail: first is the most called" "prod-gpt4o-east" \
  "$(jget '.unpriced_detail[0].model' <"$T/sum.json")"
# hints: gpt-4o-mini is a whole part of the deployment name (distance 10,
# gpt-4o 15); the typo is 1 from gpt-4o-mini; grok-3-mini a part of the
# imported xai/grok-3-mini; the premium Bedrock id's model name is claude-sonnet-4-5
expect_eq "hint azure" "1|gpt-4o-mini" \
  "$(jget '.unpriced_detail[] | select(.model == "prod-gpt-4o-mini-east") | "\(.calls)|\(.hint)"' <"$T/sum.json")"
expect_eq "hint typo" "gpt-4o-mini" \
  "$(jget '.unpriced_detail[] | select(.model == "gpt-4o-min") | .hint' <"$T/sum.json")"
expect_eq "hint provider-less" "xai/grok-3-mini" \
  "$(jget '.unpriced_detail[] | select(.model == "grok-3-mini") | .hint' <"$T/sum.json")"
expect_eq "hint premium" "claude-sonnet-4-5" \
  "$(jget '.unpriced_detail[] | select(.model | startswith("us.")) | .hint' <"$T/sum.json")"
expect_eq "detail keys" '["calls","hint","model"]' "$(jq -c '.unpriced_detail[0] | keys' <"$T/sum.json")"

expect_rc "summary table" 0 ac summary
expect_grep "table: calls and hint" "prod-gpt-4o-mini-east +1 call +\(nearest known: gpt-4o-mini\)" "$T/out"
expect_grep "table: no hint when nothing is near" "^  prod-gpt4o-east +2 calls$" "$T/out"
expect_rc "summary --unpriced csv" 0 ac summary --unpriced --format csv
expect_eq "unpriced csv header" "model,calls,hint" "$(head -1 "$T/out")"
expect_grep "unpriced csv row" "^prod-gpt4o-east,2,$" "$T/out"
expect_grep "unpriced csv hint" "^gpt-4o-min,1,gpt-4o-mini$" "$T/out"

# total before aliases: 0.016 + 0.0045 + 0.0135 + 0.0048 + 0.006 + 0.00055 = 0.04535
expect_close "total before aliases" 0.04535 "$(jget .cost_total <"$T/sum.json")" 1e-12

# ---- aliases: the deployment is gpt-4o; re-priced at once ----------------------
printf 'alias,model\nprod-gpt4o-east,gpt-4o\nprod-gpt-4o-mini-east,gpt-4o-mini-2024-07-18\n' >"$T/aliases.csv"
expect_rc "import aliases" 0 ac prices import "$T/aliases.csv"
expect_grep "alias import message" "imported 2 model aliases from .*aliases.csv \(alias-csv\); 0 rows skipped; re-priced 3 spans" "$T/out"
# gpt-4o (2.50 / 10.00): 1000 x 2.5 + 100 x 10 = 3500 -> 0.0035; 2000 x 2.5 + 200 x 10 = 7000 -> 0.007
expect_eq "aliased deployment priced" "0.0035|1" "$(cost_of 0000000000000008)"
expect_eq "aliased deployment priced (2)" "0.007|1" "$(cost_of 0000000000000009)"
# gpt-4o-mini (0.15 / 0.60), the alias's date stripped: 150 + 600 = 750 -> 0.00075
expect_eq "aliased to a dated name" "0.00075|1" "$(cost_of 000000000000000a)"
# re-pricing reads the stored provider: the xai span keeps its price
expect_eq "re-priced with the stored provider" "0.00055|1" "$(cost_of 0000000000000006)"
expect_rc "list aliases" 0 ac prices list --aliases --format csv
expect_eq "aliases header" "alias,model,source,imported_at" "$(head -1 "$T/out")"
expect_grep "alias listed" "^prod-gpt4o-east,gpt-4o,aliases.csv," "$T/out"
expect_rc "summary json after aliases" 0 ac summary --format json
# spans 7, b, c
expect_eq "unpriced spans after aliases" 3 "$(jget .unpriced_spans <"$T/out")"
# 0.04535 + 0.0035 + 0.007 + 0.00075 = 0.0566
expect_close "total after aliases" 0.0566 "$(jget .cost_total <"$T/out")" 1e-12

# re-import replaces the alias it names: the deployment is now gpt-4o-mini
# 1000 x 0.15 + 100 x 0.60 = 210 -> 0.00021
printf 'alias,model\nPROD-GPT4O-EAST,gpt-4o-mini\n' >"$T/again.csv"
expect_rc "re-import alias" 0 ac prices import "$T/again.csv"
expect_eq "alias replaced, span re-priced" "0.00021|1" "$(cost_of 0000000000000008)"
expect_eq "one alias row for the name" 1 "$(sql "SELECT count(*) FROM model_alias WHERE alias = 'prod-gpt4o-east'")"

# hostile rows: skipped with file:line, the valid one kept; a wrong header refused
printf "alias,model\n=cmd|' /C calc'!A0,gpt-4o\nself,self\nok-deploy,gpt-4o\n" >"$T/bad.csv"
expect_rc "bad alias rows" 3 ac prices import "$T/bad.csv"
expect_grep "formula alias refused" "bad.csv:2: alias looks like a formula" "$T/err"
expect_grep "self alias refused" "bad.csv:3: alias self names itself" "$T/err"
expect_eq "valid alias kept" "gpt-4o" "$(sql "SELECT model FROM model_alias WHERE alias = 'ok-deploy'")"
printf 'alias,model,note\na,b,c\n' >"$T/hdr.csv"
before=$(sql "SELECT count(*) FROM model_alias")
expect_rc "alias header refused" 1 ac prices import "$T/hdr.csv"
expect_grep "header message" "hdr.csv:1: an alias file's header is exactly alias,model" "$T/err"
expect_eq "nothing changed" "$before" "$(sql "SELECT count(*) FROM model_alias")"
finish
