#!/usr/bin/env bash
# make fuzz: build the libFuzzer harnesses (clang, ASan + UBSan) and run each
# for FUZZ_SECONDS (default 60) on a corpus seeded from testdata/ and the
# third-party fixtures. A crash, leak or timeout fails the run; its input is
# kept in build-fuzz/artifacts/ (turn it into a testdata/bad/ case, then fix).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-60}
B=build-fuzz
./scripts/deps.sh clang libclang-rt-14-dev
CC=clang cmake -S . -B $B -DCMAKE_BUILD_TYPE=Debug -DAC_SANITIZE=ON -DAC_FUZZ=ON >/dev/null
cmake --build $B -j "$(nproc)" --target fuzz_parse fuzz_reader fuzz_prices fuzz_langfuse_csv fuzz_proto fuzz_json_diff fuzz_jsonattr $( [ -f tests/fuzz/fuzz_map.c ] && echo fuzz_map ) >/dev/null
shared=../shared/fixtures/third_party
mkdir -p $B/artifacts
seed() { # HARNESS FILES...: a fresh corpus directory with the seeds
  local h=$1; shift
  rm -rf "$B/corpus/$h"; mkdir -p "$B/corpus/$h"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$B/corpus/$h/" 2>/dev/null || true; done
}
# the parser gets single records: split the JSON lines
rm -rf $B/lines; mkdir -p $B/lines
i=0
for f in testdata/ingest/*.jsonl testdata/tasks/*.jsonl testdata/bad/*.jsonl; do
  [ -f "$f" ] || continue
  while IFS= read -r line && [ $i -lt 400 ]; do i=$((i + 1)); printf '%s' "$line" >"$B/lines/$i.json"; done <"$f"
done
seed parse $B/lines/* $shared/*.json
seed json_diff $B/lines/* $shared/*.json
zstd -q -f -c testdata/ingest/basic.jsonl >$B/lines/basic.zst
seed reader testdata/ingest/* testdata/tasks/* $B/lines/basic.zst $shared/otelproto_examples_trace.json \
  testdata/ingest/proto/*.pb testdata/bad/protobuf_*.bin testdata/bad/framed_protobuf.zst
# the protobuf decoder gets single messages: the two requests of basic.pb, and
# each ResourceSpans / span-bearing slice of them is reached by mutation
seed proto testdata/ingest/basic.pb testdata/ingest/proto/*.pb testdata/bad/protobuf_raw.bin
head -c 20000 $shared/litellm_model_prices.json | sed '$ s/,[^,]*$/}/' >$B/lines/litellm_head.json || true
seed prices testdata/prices/* $B/lines/litellm_head.json
[ -f tests/fuzz/fuzz_map.c ] && seed map testdata/router/*.csv
seed langfuse_csv testdata/ingest/*.csv
# the attribute search gets a key line, then a span's text (and, on a second
# line, a resource's): the JSON lines and the whole Jaeger/Tempo/Langfuse files
rm -rf $B/attr; mkdir -p $B/attr
keys=(team user.id service.name gen_ai.request.model session.id gen_ai.usage.input_tokens span.kind)
i=0
for f in testdata/dims/*.jsonl testdata/ingest/*.jsonl; do
  [ -f "$f" ] || continue
  while IFS= read -r line && [ $i -lt 300 ]; do
    printf '%s\n%s' "${keys[$((i % ${#keys[@]}))]}" "$line" >"$B/attr/$i.txt"; i=$((i + 1))
  done <"$f"
done
for f in testdata/ingest/*.json; do
  [ -f "$f" ] || continue
  { printf '%s\n' "${keys[$((i % ${#keys[@]}))]}"; tr -d '\n' <"$f"; } >"$B/attr/$i.txt"
  i=$((i + 1))
done
seed jsonattr $B/attr/*
status=0
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for h in parse reader prices map langfuse_csv proto json_diff jsonattr; do
  [ -x "$B/fuzz_$h" ] || continue
  echo "fuzz_$h: ${secs}s"
  if ! "$B/fuzz_$h" "$B/corpus/$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -max_len=262144 -artifact_prefix="$B/artifacts/$h-" -print_final_stats=1 >"$B/fuzz_$h.log" 2>&1; then
    echo "fuzz_$h FAILED: see $B/fuzz_$h.log and $B/artifacts/" >&2
    tail -30 "$B/fuzz_$h.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$B/fuzz_$h.log" | tail -2
  fi
done
exit $status
