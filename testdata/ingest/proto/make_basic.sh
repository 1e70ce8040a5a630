#!/usr/bin/env bash
# Regenerate the protobuf test inputs from the hand-written text-format files
# with protoc (Debian protobuf-compiler), an encoder independent of agentcost.
# Needed only when the .txtpb files change; `make test` uses the committed
# outputs and never runs protoc.
#   basic.1.pb, basic.2.pb  the two requests of ../basic.jsonl, one message each
#   ../basic.pb             one ExportTraceServiceRequest holding both (the
#                           concatenation of two messages is their merge, so it
#                           equals basic.1.pb followed by basic.2.pb)
#   ../calls.pb             calls.txtpb: a small file of LLM calls (costs by
#                           hand in ../proto.costs.md)
set -euo pipefail
cd "$(dirname "$0")"
for i in 1 2; do
  grep -v '^#' basic.$i.txtpb | protoc --encode=agentcost.test.ExportTraceServiceRequest otlp_trace.proto >basic.$i.pb
done
cat basic.1.txtpb basic.2.txtpb | grep -v '^#' |
  protoc --encode=agentcost.test.ExportTraceServiceRequest otlp_trace.proto >../basic.pb
grep -v '^#' calls.txtpb | protoc --encode=agentcost.test.ExportTraceServiceRequest otlp_trace.proto >../calls.pb
