#!/usr/bin/env bash
# agentcost gen --price-dimensions (issue #18, last acceptance item): a
# workload with every price dimension -- service tiers flex, priority, batch
# (and "default", and one value agentcost does not know), cache writes and
# 1-hour cache writes, audio input and output, prompts above 200k tokens with
# cache reads there, input reported without the cache -- ingested into a
# default store (built-in prices, no import) recomputes the generator's
# truth: the total cost to 1e-9 relative (the generator prices with its own
# copy of the prices and of the formula, src/gen/gen.c, agentcost with
# src/pricing); the per-tier calls and costs, the 1-hour and audio tokens and
# the calls above the threshold as the store holds them (sqlite3 on the span
# table); summary's input_excludes_cache_calls, tier_fallback_calls and
# unknown_tier_calls. The same in OTLP lines, a native zstd stream, the
# Collector's framing and flat JSONL (the flat writer carries every attribute
# the OTLP one does, under the same keys). Without the flag the output is
# byte for byte what it was before the flag existed.
. "$(dirname "$0")/lib.sh"

# 1. Without --price-dimensions nothing changed: the SHA-256 of the output
# and of the truth, recorded from the build of 79195c2 (before the flag). The
# layout of that build is today's --layout trace; its truth had no layout
# options (the three keys are cut out of the options before hashing).
expect_eq "default OTLP output unchanged (trace layout)" \
  c2a42d74bcade617631a95f39f774103e90a078dfdd95ea70698739a4f432e86 \
  "$(ac gen --days 3 --tasks-per-day 40 --layout trace -q | sha256sum | cut -d' ' -f1)"
expect_eq "default flat JSONL output unchanged (trace layout)" \
  b9f69675312c39d7e711ee7050f02ef50e96a34e230f0d73b9d38fc20bd338ca \
  "$(ac gen --days 3 --tasks-per-day 40 --format jsonl --layout trace -q | sha256sum | cut -d' ' -f1)"
ac gen --days 3 --tasks-per-day 40 --layout trace -q --truth "$T/t0.json" >/dev/null
expect_eq "default truth unchanged" 3107a738be0c67f1f7b33c5ea175a7e50eff015068c12c1cd5697a7f9c5d0d48 \
  "$(sed 's/"layout":"trace","batch_size":8192,"batch_timeout_ms":200,//' "$T/t0.json" |
     sha256sum | cut -d' ' -f1)"
expect_eq "no price_dimensions key without the flag" null "$(jq -c .price_dimensions "$T/t0.json")"

# 2. The workload with every dimension.
G="--days 4 --tasks-per-day 150"
DIMS_TYPES="'long_document_review','bulk_extraction','archive_reclassification','voice_call'"

# python3 check: rel CLOSE A B -> exit 0 when |A - B| <= 1e-9 x |A|
rel() { python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(not abs(a - b) <= 1e-9 * abs(a))' "$1" "$2"; }
expect_rel() { if rel "$2" "$3"; then ok; else fail "$1: expected $2 (1e-9 relative), got [$3]"; fi; }

check() { # NAME gen-options...
  local name=$1
  shift
  export AGENTCOST_DB="$T/$name.db"
  expect_rc "$name: gen" 0 ac gen $G --price-dimensions -q "$@" -o "$T/$name" --truth "$T/$name.truth"
  expect_rc "$name: ingest into a default store" 0 ac ingest "$T/$name"
  ac summary --format json >"$T/$name.json"
  tc() { jq -r "$1" "$T/$name.truth"; }
  sc() { jq -r "$1" "$T/$name.json"; }
  expect_eq "$name: llm calls" "$(tc .llm_calls)" "$(sc .llm_calls)"
  expect_eq "$name: no unpriced span" 0 "$(sc .unpriced_spans)"
  expect_rel "$name: total cost = truth" "$(tc .cost.total)" "$(sc .cost_total)"
  expect_eq "$name: input_excludes_cache_calls" "$(tc .price_dimensions.input_excludes_cache_calls)" \
    "$(sc .input_excludes_cache_calls)"
  expect_eq "$name: tier_fallback_calls" "$(tc .price_dimensions.tier_fallback_calls)" "$(sc .tier_fallback_calls)"
  expect_eq "$name: unknown_tier_calls" "$(tc .price_dimensions.unknown_tier_calls)" "$(sc .unknown_tier_calls)"
  # per stated tier value: calls and cost as the store holds them
  for tier in default flex priority batch provisioned; do
    expect_eq "$name: $tier calls" "$(tc ".price_dimensions.service_tiers.$tier.calls")" \
      "$(sql "SELECT count(*) FROM span s JOIN label l ON l.id = s.service_tier
              WHERE s.step = 1 AND l.name = '$tier'")"
    expect_rel "$name: $tier cost" "$(tc ".price_dimensions.service_tiers.$tier.cost")" \
      "$(sql "SELECT printf('%.17g', total(s.cost_usd)) FROM span s JOIN label l ON l.id = s.service_tier
              WHERE s.step = 1 AND l.name = '$tier'")"
  done
  expect_eq "$name: no other tier value" 0 \
    "$(sql "SELECT count(*) FROM span s JOIN label l ON l.id = s.service_tier WHERE s.step = 1
            AND l.name NOT IN ('default', 'flex', 'priority', 'batch', 'provisioned')")"
  expect_eq "$name: cache write tokens" "$(tc .price_dimensions.cache_write_tokens)" \
    "$(sql 'SELECT total(tokens_cache_write) FROM span WHERE step = 1' | sed 's/\.0$//')"
  expect_eq "$name: 1-hour cache write tokens" "$(tc .price_dimensions.cache_write_1h_tokens)" \
    "$(sql 'SELECT total(tokens_cache_write_1h) FROM span WHERE step = 1' | sed 's/\.0$//')"
  expect_eq "$name: audio input tokens" "$(tc .price_dimensions.audio_in_tokens)" \
    "$(sql 'SELECT total(tokens_audio_in) FROM span WHERE step = 1' | sed 's/\.0$//')"
  expect_eq "$name: audio output tokens" "$(tc .price_dimensions.audio_out_tokens)" \
    "$(sql 'SELECT total(tokens_audio_out) FROM span WHERE step = 1' | sed 's/\.0$//')"
  # the prompt, worked out here: input, or input + cache where input < cache
  expect_eq "$name: calls above 200k" "$(tc .price_dimensions.above_threshold_calls)" \
    "$(sql "SELECT count(*) FROM span s JOIN model m ON m.id = s.model WHERE s.step = 1
            AND m.name LIKE 'claude-sonnet-4%'
            AND (CASE WHEN s.tokens_in < coalesce(s.tokens_cache_read, 0) + coalesce(s.tokens_cache_write, 0)
                      THEN s.tokens_in + coalesce(s.tokens_cache_read, 0) + coalesce(s.tokens_cache_write, 0)
                      ELSE s.tokens_in END) > 200000")"
  expect_eq "$name: calls above 200k with cache reads" "$(tc .price_dimensions.above_threshold_cache_read_calls)" \
    "$(sql "SELECT count(*) FROM span s JOIN model m ON m.id = s.model WHERE s.step = 1
            AND m.name LIKE 'claude-sonnet-4%' AND s.tokens_cache_read > 0
            AND (CASE WHEN s.tokens_in < s.tokens_cache_read + coalesce(s.tokens_cache_write, 0)
                      THEN s.tokens_in + s.tokens_cache_read + coalesce(s.tokens_cache_write, 0)
                      ELSE s.tokens_in END) > 200000")"
  # the price-dimension tasks (by their task types): calls and cost
  local dims="SELECT r.trace FROM span r JOIN label l ON l.id = r.task_type
              WHERE r.parent_span_id IS NULL AND l.name IN ($DIMS_TYPES)"
  expect_eq "$name: price-dimension tasks" "$(tc .price_dimensions.tasks)" "$(sql "SELECT count(*) FROM ($dims)")"
  expect_eq "$name: price-dimension calls" "$(tc .price_dimensions.llm_calls)" \
    "$(sql "SELECT count(*) FROM span WHERE step = 1 AND trace IN ($dims)")"
  expect_rel "$name: price-dimension cost" "$(tc .price_dimensions.cost)" \
    "$(sql "SELECT printf('%.17g', total(cost_usd)) FROM span WHERE step = 1 AND trace IN ($dims)")"
}

check w.jsonl
tw() { jq -r "$1" "$T/w.jsonl.truth"; }
# every dimension is there, in numbers large enough to mean something
expect_rc "every dimension present" 0 jq -e '.price_dimensions | (.service_tiers | [.[].calls] | all(. > 0))
  and .cache_write_1h_tokens > 0 and .cache_write_tokens > .cache_write_1h_tokens
  and .audio_in_tokens > 0 and .audio_out_tokens > 0 and .above_threshold_calls >= 10
  and .above_threshold_cache_read_calls >= 5 and .input_excludes_cache_calls >= 5
  and .unknown_tier_calls >= 1' "$T/w.jsonl.truth"
# the truth's total is the workload without the flag plus the new tasks:
# the flag adds tasks and changes none of the others
ac gen $G -q --truth "$T/plain.truth" >/dev/null
expect_rel "total = plain workload + price-dimension tasks" "$(jq .cost.total "$T/plain.truth")" \
  "$(python3 -c 'import sys; print(repr(float(sys.argv[1]) - float(sys.argv[2])))' "$(tw .cost.total)" \
     "$(tw .price_dimensions.cost)")"
expect_eq "tasks = plain workload + price-dimension tasks" \
  "$(( $(jq .tasks.all "$T/plain.truth") + $(tw .price_dimensions.tasks) ))" "$(tw .tasks.all)"

check native.zst --zstd
check framed.bin --zstd=framed
check flat.jsonl --format jsonl
expect_eq "flat JSONL: same truth" "$(tw .price_dimensions.cost)" "$(jq .price_dimensions.cost "$T/flat.jsonl.truth")"

# deterministic with the flag too
expect_rc "gen again" 0 ac gen $G --price-dimensions -q -o "$T/w2.jsonl"
expect_rc "same bytes" 0 cmp "$T/w.jsonl" "$T/w2.jsonl"
finish
