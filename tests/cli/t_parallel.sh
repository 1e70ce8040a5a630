#!/usr/bin/env bash
# Several inputs in one `agentcost ingest`: read two at a time, their batches
# sharing transactions. Whatever the mix, each input ends as it would alone:
# a refused input leaves no ledger row and no span, a damaged one keeps what
# came before the damage and is marked incomplete, a bad line is skipped with
# file:line, and the good inputs around them are kept whole. --strict reads
# one input at a time and rolls back only the input that failed. The totals
# are compared with the same inputs ingested one command each.
. "$(dirname "$0")/lib.sh"
BAD=$SRC/testdata/bad

# four generated inputs (disjoint days, so disjoint traces) and three bad ones
for d in 0 1 2 3; do
  ac gen -q --days 1 --start "2025-06-0$((d + 2))" --tasks-per-day 120 --seed $((d + 5)) \
    -o "$T/good$d.jsonl"
done
zstd -q -19 "$T/good3.jsonl" -o "$T/good3.jsonl.zst"
head -c 60000 "$T/good3.jsonl.zst" >"$T/cut.zst"   # a truncated zstd stream
cp "$BAD/logs.jsonl" "$T/logs.jsonl"                # not traces: refused
cp "$BAD/trunc_line_otlp.jsonl" "$T/trunc.jsonl"    # one bad line of three

# one command each: the reference
REF=$T/ref.db
for f in good0.jsonl logs.jsonl good1.jsonl trunc.jsonl cut.zst good2.jsonl; do
  ac --db "$REF" ingest "$T/$f" >/dev/null 2>&1
done
# all in one command
ALL=$T/all.db
expect_rc "mixed inputs in one command: exit 1 (one refused)" 1 \
  ac --db "$ALL" ingest "$T/good0.jsonl" "$T/logs.jsonl" "$T/good1.jsonl" "$T/trunc.jsonl" \
  "$T/cut.zst" "$T/good2.jsonl"
expect_grep "the refusal names its file" "logs.jsonl.*OTLP logs" "$T/err"
expect_grep "the bad line names its file and line" "trunc.jsonl:2:" "$T/err"
expect_grep "the damage names its file" "cut.zst" "$T/err"

q() { sqlite3 "$1" "$2"; }
for what in "SELECT count(*) FROM span" "SELECT count(*) FROM task" \
            "SELECT round(total(cost_usd), 9) FROM span" \
            "SELECT count(*) FROM trace" \
            "SELECT group_concat(path || ':' || complete || ':' || spans, ' ') FROM (SELECT replace(path, '$T/', '') AS path, complete, spans FROM file ORDER BY path)"; do
  expect_eq "one command = one each: $what" "$(q "$REF" "$what")" "$(q "$ALL" "$what")"
done
expect_eq "no ledger row for the refused input" 0 \
  "$(q "$ALL" "SELECT count(*) FROM file WHERE path LIKE '%logs.jsonl'")"
expect_eq "the damaged input: incomplete" 0 \
  "$(q "$ALL" "SELECT complete FROM file WHERE path LIKE '%cut.zst'")"
# the rollup of the shared transactions is what the spans say
expect_eq "rollup = spans" "$(q "$ALL" "SELECT count(*), round(total(cost_usd), 9) FROM span")" \
  "$(q "$ALL" "SELECT sum(spans), round(total(cost_usd), 9) FROM rollup")"
# a second run of the same command reads nothing again
expect_rc "again: the complete inputs are skipped" 1 \
  ac --db "$ALL" ingest "$T/good0.jsonl" "$T/logs.jsonl" "$T/good1.jsonl" "$T/good2.jsonl"
expect_grep "again: skipped" "good0.jsonl: already ingested" "$T/err"
expect_eq "again: no span added" "$(q "$REF" "SELECT count(*) FROM span")" \
  "$(q "$ALL" "SELECT count(*) FROM span")"

# --strict: one input at a time; the failing input alone is rolled back
ST=$T/strict.db
expect_rc "--strict with a bad line: exit 1" 1 \
  ac --db "$ST" ingest --strict "$T/good0.jsonl" "$T/trunc.jsonl" "$T/good1.jsonl"
expect_eq "--strict: the good inputs kept" \
  "$(( $(q "$REF" "SELECT spans FROM file WHERE path LIKE '%good0.jsonl'") + $(q "$REF" "SELECT spans FROM file WHERE path LIKE '%good1.jsonl'") ))" \
  "$(q "$ST" "SELECT count(*) FROM span")"
expect_eq "--strict: no row for the aborted input" 0 \
  "$(q "$ST" "SELECT count(*) FROM file WHERE path LIKE '%trunc.jsonl'")"

finish
