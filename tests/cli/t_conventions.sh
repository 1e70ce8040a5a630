#!/usr/bin/env bash
# Token conventions (issue #18 item 7): a call whose input tokens are fewer
# than its cache read + cache write reported input without the cache, so
# fresh input = input (never clamped to 0), counted in summary
# (input_excludes_cache_calls, broken down per system and scope in the
# table); `prices convention` states the convention per system or scope and
# re-prices the stored calls. Expected costs by hand (see each line).
. "$(dirname "$0")/lib.sh"
cost_of() { sql "SELECT coalesce(cost_usd, 'NULL') || '|' || cost_src FROM span WHERE span_id = x'$1'"; }
iec() { ac summary --format json | jget .input_excludes_cache_calls; }

expect_rc "list without a store" 0 ac prices convention --format csv
expect_eq "empty list" "kind,name,convention,set_at" "$(cat "$T/out")"

# price (USD per MTok): input 3, output 15, cache read 0.3, cache write 3.75;
# above 200k tokens of prompt: input 6, output 22.5
cat >"$T/prices.csv" <<'CSV'
model,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok,input_above_200k_per_mtok,output_above_200k_per_mtok
conv-test,3,15,0.3,3.75,6,22.5
CSV
expect_rc "import prices" 0 ac prices import "$T/prices.csv"

# span ATTRS: one OTLP attribute list for model conv-test
span() { # id start_s in cache_read output
  printf '{"traceId":"%s","spanId":"%s","name":"chat","startTimeUnixNano":"%s000000000","endTimeUnixNano":"%s000000001","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"conv-test"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"%s"}},{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"%s"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"%s"}}]}' \
    "0af7651916cd43dd8448eb211c8031$1" "00000000000000$1" "$2" "$2" "$3" "$4" "$5"
}
res() { # service scope spans...
  local svc=$1 scope=$2
  shift 2
  local spans
  spans=$(IFS=,; echo "$*")
  printf '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"%s"}}]},"scopeSpans":[{"scope":{"name":"%s","version":"1"},"spans":[%s]}]}]}\n' \
    "$svc" "$scope" "$spans"
}
{
  # a: Vercel AI SDK style (Anthropic's raw input_tokens): in 100 < cache read 1000
  # b: ambiguous in 2000 >= cache read 1000; d: no cache at all
  res vercel-app ai "$(span 0a 1748779200 100 1000 50)" "$(span 0b 1748779201 2000 1000 50)" \
    "$(span 0d 1748779202 500 0 10)"
  # c: ambiguous, another system and scope
  res other-app openllmetry "$(span 0c 1748779203 2000 1000 50)"
  # e: ambiguous and near the 200k tier: in 150000, cache read 60000
  res tier-app ai.tier "$(span 0e 1748779204 150000 60000 1000)"
} >"$T/calls.jsonl"
expect_rc "ingest" 0 ac ingest "$T/calls.jsonl"
expect_eq "scope name stored" "ai" \
  "$(sql "SELECT l.name FROM span s JOIN label l ON l.id = s.scope WHERE span_id = x'000000000000000a'")"
expect_eq "scope of the other resource" "openllmetry" \
  "$(sql "SELECT l.name FROM span s JOIN label l ON l.id = s.scope WHERE span_id = x'000000000000000c'")"

# a: fresh input = input 100 (not clamped to 0): 100*3 = 300; 1000*0.3 = 300;
#    50*15 = 750; 1350 -> 0.00135 (clamped, as before: 1050 -> 0.00105)
expect_eq "a: input excludes cache (detected)" "0.00135|1" "$(cost_of 000000000000000a)"
# b, c: auto reads input 2000 >= 1000 as including it: (2000-1000)*3 = 3000;
#    300; 750; 4050 -> 0.00405
expect_eq "b: ambiguous, auto = includes" "0.00405|1" "$(cost_of 000000000000000b)"
expect_eq "c: ambiguous, auto = includes" "0.00405|1" "$(cost_of 000000000000000c)"
# d: 500*3 = 1500; 10*15 = 150; 1650 -> 0.00165
expect_eq "d: no cache" "0.00165|1" "$(cost_of 000000000000000d)"
# e: includes, prompt = 150000 (not above 200k): 90000*3 = 270000;
#    60000*0.3 = 18000; 1000*15 = 15000; 303000 -> 0.303
expect_eq "e: includes, below the tier" "0.303|1" "$(cost_of 000000000000000e)"
expect_eq "summary counts a once" 1 "$(iec)"
ac summary --format json >"$T/sum.json"
expect_eq "summary keeps unpriced_models" "[]" "$(jq -c .unpriced_models "$T/sum.json")"
expect_eq "summary keeps llm_calls" 5 "$(jq .llm_calls "$T/sum.json")"
expect_eq "json number" "number" "$(jq -r '.input_excludes_cache_calls | type' "$T/sum.json")"
expect_rc "summary table" 0 ac summary
expect_grep "table: breakdown header" "^INPUT EXCLUDES CACHE" "$T/out"
expect_grep "table: per system and scope" "system vercel-app +scope ai +1 call$" "$T/out"
expect_eq "table: one breakdown line" 1 "$(grep -c '^  system ' "$T/out")"
expect_eq "--system limits the count" 0 "$(ac summary --system other-app --format json | jget .input_excludes_cache_calls)"

# the system vercel-app states excludes: b re-priced, a and d unchanged
expect_rc "state excludes for a system" 0 ac prices convention vercel-app excludes
expect_grep "re-priced one span" "^token convention of system vercel-app: excludes; re-priced 1 span$" "$T/out"
# b: fresh input = 2000: 2000*3 = 6000; 300; 750; 7050 -> 0.00705
expect_eq "b: excludes stated" "0.00705|1" "$(cost_of 000000000000000b)"
expect_eq "a unchanged" "0.00135|1" "$(cost_of 000000000000000a)"
expect_eq "d unchanged (no cache)" "0.00165|1" "$(cost_of 000000000000000d)"
expect_eq "c: other system unchanged" "0.00405|1" "$(cost_of 000000000000000c)"
expect_eq "summary counts a and b" 2 "$(iec)"
expect_rc "same statement again" 0 ac prices convention system:vercel-app excludes
expect_grep "unchanged" "excludes \(unchanged\); re-priced 0 spans$" "$T/out"

# a scope's statement beats its system's: scope ai includes
expect_rc "state includes for a scope" 0 ac prices convention scope:ai includes
expect_eq "b: back to includes" "0.00405|1" "$(cost_of 000000000000000b)"
# a's numbers contradict includes: still fresh input = input, still counted
expect_eq "a: numbers beat the statement" "0.00135|1" "$(cost_of 000000000000000a)"
expect_eq "summary: a only" 1 "$(iec)"

# a scope states excludes: c re-priced like b above: 0.00705
expect_rc "state excludes for scope openllmetry" 0 ac prices convention scope:openllmetry excludes
expect_eq "c: excludes stated for its scope" "0.00705|1" "$(cost_of 000000000000000c)"
expect_eq "summary: a and c" 2 "$(iec)"
expect_rc "summary table" 0 ac summary
expect_grep "table: other-app / openllmetry" "system other-app +scope openllmetry +1 call$" "$T/out"
expect_grep "table: vercel-app / ai" "system vercel-app +scope ai +1 call$" "$T/out"

# auto removes the scope's statement: the system's excludes applies again to b
expect_rc "scope back to auto" 0 ac prices convention scope:ai auto
expect_eq "b: excludes again" "0.00705|1" "$(cost_of 000000000000000b)"
expect_eq "summary: a, b, c" 3 "$(iec)"

# excludes makes the prompt input + cache: e's prompt 150000 + 60000 =
# 210000 > 200000 -> tier prices: 150000*6 = 900000; 60000*0.3 = 18000;
# 1000*22.5 = 22500; 940500 -> 0.9405
expect_rc "state excludes for tier-app" 0 ac prices convention tier-app excludes
expect_eq "e: excludes, above the tier" "0.9405|1" "$(cost_of 000000000000000e)"
# total by hand: a 0.00135 + b 0.00705 + c 0.00705 + d 0.00165 + e 0.9405 = 0.9576
expect_close "total" 0.9576 "$(ac summary --format json | jget .cost_total)" 1e-12

expect_rc "list" 0 ac prices convention --format csv
expect_eq "list header" "kind,name,convention,set_at" "$(head -1 "$T/out")"
expect_grep "listed scope" "^scope,openllmetry,excludes," "$T/out"
expect_grep "listed system" "^system,vercel-app,excludes," "$T/out"
expect_eq "scope ai removed" 3 "$(($(wc -l <"$T/out") - 1))"

# refusals change nothing
before=$(sql "SELECT count(*) FROM token_convention")
expect_rc "bad word" 2 ac prices convention vercel-app sometimes
expect_grep "bad word named" "'sometimes' is not includes, excludes or auto" "$T/err"
expect_rc "empty scope" 2 ac prices convention scope: excludes
expect_rc "missing word" 2 ac prices convention vercel-app
expect_eq "nothing stored" "$before" "$(sql "SELECT count(*) FROM token_convention")"

# the scope name from every shape: OTLP protobuf (scope_spans.scope.name),
# OTLP JSON of the test data, and a flat span's otel.scope.name attribute
scope_of() { sqlite3 "$1" "SELECT coalesce(l.name, 'NULL') FROM span s LEFT JOIN label l ON l.id = s.scope WHERE span_id = x'$2'"; }
expect_rc "ingest protobuf" 0 ac --db "$T/pb.db" ingest "$SRC/testdata/ingest/proto/basic.1.pb"
expect_eq "protobuf scope" "agentcost-test" "$(scope_of "$T/pb.db" 00f067aa0ba902b7)"
expect_rc "ingest OTLP JSON" 0 ac --db "$T/js.db" ingest "$SRC/testdata/ingest/basic.jsonl"
expect_eq "OTLP JSON scope" "agentcost-test" "$(scope_of "$T/js.db" 00f067aa0ba902b7)"
expect_eq "scope_spans without a scope" "NULL" "$(scope_of "$T/js.db" 53995c3f42cd8ad8)"
printf '%s\n' '{"trace_id":"0af7651916cd43dd8448eb211c803100","span_id":"00000000000000f1","name":"chat","start_time":"2025-06-01T00:00:00Z","end_time":"2025-06-01T00:00:01Z","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"conv-test","gen_ai.usage.input_tokens":10,"gen_ai.usage.output_tokens":1,"otel.scope.name":"my.instrumentation"},"resource":{"service.name":"flat-app"}}' >"$T/flat.jsonl"
expect_rc "ingest flat" 0 ac --db "$T/fl.db" ingest "$T/flat.jsonl"
expect_eq "flat otel.scope.name" "my.instrumentation" "$(scope_of "$T/fl.db" 00000000000000f1)"

# a later price import re-prices with the stated conventions
printf 'model,input_per_mtok,output_per_mtok,cache_read_per_mtok\nconv-test,1,2,0.1\n' >"$T/p2.csv"
expect_rc "re-import" 0 ac prices import "$T/p2.csv"
# b (excludes, system): 2000*1 = 2000; 1000*0.1 = 100; 50*2 = 100; 2200 -> 0.0022
expect_eq "b after import" "0.0022|1" "$(cost_of 000000000000000b)"
finish
