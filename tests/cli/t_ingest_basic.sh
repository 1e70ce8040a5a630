#!/usr/bin/env bash
# Ingest of testdata/ingest/basic.jsonl: every cost computed by hand in
# testdata/ingest/basic.costs.md; idempotency; spans of one trace split over
# files in any order; show prints the original span exactly.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/ingest

expect_rc "ingest basic" 0 ac ingest "$D/basic.jsonl"
expect_grep "ingest says 8 new" "8 spans \(8 new\)" "$T/out"
ac summary --format json >"$T/s.json"
expect_eq "spans" 8 "$(jget .spans <"$T/s.json")"
expect_eq "traces" 2 "$(jget .traces <"$T/s.json")"
expect_eq "llm calls" 6 "$(jget .llm_calls <"$T/s.json")"
expect_eq "tool calls" 1 "$(jget .tool_calls <"$T/s.json")"
expect_close "cost total (hand: 0.048645)" 0.048645 "$(jget .cost_total <"$T/s.json")" 1e-12
expect_eq "unpriced spans" 2 "$(jget .unpriced_spans <"$T/s.json")"
expect_eq "unpriced models" '["my-finetune-v3","mystery-model"]' "$(jq -c .unpriced_models <"$T/s.json")"
expect_eq "first day" 2025-06-01 "$(jget .first_day <"$T/s.json")"
expect_eq "last day" 2025-06-02 "$(jget .last_day <"$T/s.json")"

# per span, as computed by hand
cost_of() { sql "SELECT coalesce(cost_usd, 'NULL') || '|' || cost_src FROM span WHERE span_id = x'$1'"; }
expect_eq "gpt-4o-mini span (0.00027)" "0.00027|1" "$(cost_of 00f067aa0ba902b7)"
expect_eq "sonnet with cache (0.008175)" "0.008175|1" "$(cost_of 00f067aa0ba902b8)"
expect_eq "tool without a price" "0.0|0" "$(cost_of 00f067aa0ba902b9)"
expect_eq "openai/gpt-4o-2024-08-06 (0.02)" "0.02|1" "$(cost_of 53995c3f42cd8ad8)"
expect_eq "OpenInference haiku (0.016)" "0.016|1" "$(cost_of 53995c3f42cd8ad9)"
expect_eq "unpriced, producer cost" "0.0042|2" "$(cost_of 53995c3f42cd8ada)"
expect_eq "unpriced, no cost" "NULL|3" "$(cost_of 53995c3f42cd8adb)"
expect_eq "producer cost kept beside ours" "0.0159" \
  "$(sql "SELECT producer_cost_usd FROM span WHERE span_id = x'53995c3f42cd8ad9'")"
expect_eq "tool error status" "2|web_search" \
  "$(sql "SELECT s.status || '|' || t.name FROM span s JOIN tool t ON t.id = s.tool WHERE span_id = x'00f067aa0ba902b9'")"
expect_eq "service and env" "support-bot|prod" \
  "$(sql "SELECT sv.name || '|' || l.name FROM span s JOIN service sv ON sv.id = s.service JOIN label l ON l.id = s.env WHERE span_id = x'53995c3f42cd8ad8'")"
expect_eq "response model beats request model" "gpt-4o-mini-2024-07-18" \
  "$(sql "SELECT m.name FROM span s JOIN model m ON m.id = s.model WHERE span_id = x'00f067aa0ba902b7'")"
expect_eq "complexity label" "complex" \
  "$(sql "SELECT l.name FROM span s JOIN label l ON l.id = s.complexity WHERE span_id = x'00f067aa0ba902b8'")"

# the same file again: recognised, nothing changes
expect_rc "re-ingest same file" 0 ac ingest "$D/basic.jsonl"
expect_grep "re-ingest skipped" "already ingested" "$T/err"
expect_rc "forced re-ingest" 0 ac ingest --force "$D/basic.jsonl"
expect_grep "forced: 0 new" "8 spans \(0 new\)" "$T/out"
expect_close "cost unchanged after re-ingest" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12
expect_eq "span count unchanged" 8 "$(sql 'SELECT count(*) FROM span')"

# the same content under another name is recognised too
cp "$D/basic.jsonl" "$T/renamed.jsonl"
expect_rc "renamed copy" 0 ac ingest "$T/renamed.jsonl"
expect_grep "renamed copy skipped" "already ingested" "$T/err"

# a big file changed in the middle (same size, same first and last 64 KiB): not
# mistaken for the original, which was read whole when its fingerprint matched
export AGENTCOST_DB="$T/big.db"
awk -v n=1500 -v fmt=otlp -f "$SRC/tests/cli/gen_traces.awk" >"$T/big.jsonl"
expect_rc "big file" 0 ac ingest "$T/big.jsonl"
size=$(stat -c %s "$T/big.jsonl")
off=$(grep -bo '"1000"' "$T/big.jsonl" | awk -F: -v h=$((size / 2)) '$1 > h { print $1; exit }')
printf '"1001"' | dd of="$T/big.jsonl" bs=1 seek="$off" conv=notrunc status=none
expect_eq "same size after the change" "$size" "$(stat -c %s "$T/big.jsonl")"
expect_rc "changed file" 0 ac ingest "$T/big.jsonl"
expect_no_grep "changed file is not skipped" "already ingested" "$T/err"
expect_grep "changed file read: its spans are known" "6000 spans \(0 new\)" "$T/out"
expect_rc "unchanged again" 0 ac ingest "$T/big.jsonl"
expect_grep "second time: skipped" "already ingested" "$T/err"
# a ledger hash that is neither this agentcost's nor an older one's: read again
sqlite3 "$T/big.db" "UPDATE file SET content_hash = 'ffffffffffffffff'"
expect_rc "foreign ledger hash" 0 ac ingest "$T/big.jsonl"
expect_no_grep "foreign ledger hash: not skipped" "already ingested" "$T/err"
expect_grep "foreign ledger hash: read, nothing new" "6000 spans \(0 new\)" "$T/out"
export AGENTCOST_DB="$T/store.db"

# a copy under another name, spans split across two files in reverse order
sed -n 2p "$D/basic.jsonl" >"$T/part2.jsonl"
sed -n 1p "$D/basic.jsonl" >"$T/part1.jsonl"
export AGENTCOST_DB="$T/split.db"
expect_rc "split ingest" 0 ac ingest "$T/part2.jsonl" "$T/part1.jsonl"
expect_close "split: same cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12
expect_eq "split: same spans" 8 "$(sql 'SELECT count(*) FROM span')"
# an overlapping file (line 1 again plus line 2) changes nothing
cat "$T/part1.jsonl" "$T/part2.jsonl" >"$T/both.jsonl"
expect_rc "overlap ingest" 0 ac ingest "$T/both.jsonl"
expect_eq "overlap: same spans" 8 "$(sql 'SELECT count(*) FROM span')"
expect_close "overlap: same cost" 0.048645 "$(ac summary --format json | jget .cost_total)" 1e-12

# standard input
export AGENTCOST_DB="$T/stdin.db"
expect_rc "stdin ingest" 0 ac ingest - <"$D/basic.jsonl"
expect_eq "stdin: spans" 8 "$(sql 'SELECT count(*) FROM span')"

# show: the original span text, byte for byte
expect_rc "show" 0 ac show 00f067aa0ba902b8
expect_eq "show prints the original" "$(cat "$D/basic.span-00f067aa0ba902b8.json")" "$(cat "$T/out")"
expect_rc "show with trace id" 0 ac show 0af7651916cd43dd8448eb211c80319c:00f067aa0ba902b8
expect_rc "show unknown span" 1 ac show 1111111111111111
expect_grep "show unknown: message" "no span" "$T/err"
expect_rc "show bad id" 2 ac show xyz
expect_rc "show: a span id with a non-hex digit" 2 ac show 00f067aa0ba902bg
expect_rc "show: upper case" 0 ac show 0AF7651916CD43DD8448EB211C80319C:00F067AA0BA902B8

# --no-raw keeps no originals and says so on show
export AGENTCOST_DB="$T/noraw.db"
expect_rc "no-raw ingest" 0 ac ingest --no-raw "$D/basic.jsonl"
expect_eq "no-raw: no blocks" 0 "$(sql 'SELECT count(*) FROM raw_block')"
expect_rc "no-raw: show fails clearly" 1 ac show 00f067aa0ba902b8
expect_grep "no-raw: show message" "not kept" "$T/err"

# usage errors
expect_rc "ingest without files" 2 ac ingest
expect_rc "unknown option" 2 ac ingest --bogus x
expect_rc "unknown command" 2 ac frobnicate
expect_rc "summary on a missing store" 1 env AGENTCOST_DB="$T/none.db" "$AGENTCOST" summary
expect_grep "missing store message" "no store at" "$T/err"
finish
