#!/usr/bin/env python3
"""Turn OTLP JSON lines (e.g. `agentcost gen --format otlp`) into the same
spans as Langfuse blob-storage export rows: JSONL (default) or CSV (--csv).

Used by bench/langfuse/run.sh to compare ingest speed of Langfuse rows with
OTLP JSON lines on the same spans. Langfuse's conventions are applied the way
its ingestion writes them (FORMATS.md f): usage `input` excludes cache reads
and cache creation, `output` excludes reasoning (total = the sum of the parts),
the original OTel attributes and resource go into `metadata`.

usage: otlp_to_langfuse.py [--csv] < spans.jsonl > rows.jsonl
"""
import csv
import datetime
import json
import sys

TOK = {
    "in": ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"),
    "out": ("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"),
    "cr": ("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
           "llm.token_count.prompt_details.cache_read"),
    "cw": ("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens",
           "llm.token_count.prompt_details.cache_write"),
    "r": ("gen_ai.usage.reasoning.output_tokens", "llm.token_count.completion_details.reasoning",
          "gen_ai.usage.reasoning_tokens"),
}
MODEL = ("gen_ai.response.model", "gen_ai.request.model", "llm.model_name")
COLS = ["id", "trace_id", "project_id", "type", "parent_observation_id", "start_time", "end_time",
        "name", "metadata", "level", "status_message", "provided_model_name", "usage_details",
        "cost_details", "total_cost", "environment", "user_id", "session_id"]


def value(v):
    for k in ("stringValue", "intValue", "doubleValue", "boolValue"):
        if k in v:
            return v[k]
    return None


def attrs(lst):
    return {a["key"]: value(a.get("value", {})) for a in lst or []}


def first(a, names):
    for n in names:
        if n in a and a[n] is not None:
            return a[n]
    return None


def when(ns):
    ns = int(ns)
    t = datetime.datetime.fromtimestamp(ns // 10**9, datetime.timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S") + ".%06d" % (ns % 10**9 // 1000)


def obs_type(a):
    op = str(a.get("gen_ai.operation.name", "")).lower()
    oi = str(a.get("openinference.span.kind", "")).upper()
    tl = str(a.get("traceloop.span.kind", "")).lower()
    if op in ("chat", "text_completion", "generate_content", "completion") or oi == "LLM" \
            or a.get("llm.request.type") == "chat":
        return "GENERATION"
    if op in ("embeddings", "embedding") or oi == "EMBEDDING":
        return "EMBEDDING"
    if op == "execute_tool" or oi == "TOOL" or tl == "tool":
        return "TOOL"
    if op in ("invoke_agent", "create_agent") or oi == "AGENT" or tl == "agent":
        return "AGENT"
    if oi == "EVALUATOR":
        return "EVALUATOR"
    if oi == "CHAIN" or tl in ("workflow", "task"):
        return "CHAIN"
    return "SPAN"


def rows(lines):
    for line in lines:
        if not line.strip():
            continue
        doc = json.loads(line)
        for rs in doc.get("resourceSpans", []):
            res = attrs(rs.get("resource", {}).get("attributes"))
            for ss in rs.get("scopeSpans", []):
                for sp in ss.get("spans", []):
                    a = attrs(sp.get("attributes"))
                    t = {k: first(a, v) for k, v in TOK.items()}
                    t = {k: int(v) for k, v in t.items() if v is not None}
                    usage = {}
                    if "in" in t:
                        usage["input"] = t["in"] - t.get("cr", 0) - t.get("cw", 0)
                    if "out" in t:
                        usage["output"] = t["out"] - t.get("r", 0)
                    if "cr" in t:
                        usage["input_cached_tokens"] = t["cr"]
                    if "cw" in t:
                        usage["input_cache_creation"] = t["cw"]
                    if "r" in t:
                        usage["output_reasoning_tokens"] = t["r"]
                    if usage:
                        usage["total"] = sum(usage.values())
                    status = sp.get("status", {}).get("code", 0)
                    yield {
                        "id": sp["spanId"],
                        "trace_id": sp["traceId"],
                        "project_id": "bench",
                        "type": obs_type(a),
                        "parent_observation_id": sp.get("parentSpanId") or None,
                        "start_time": when(sp["startTimeUnixNano"]),
                        "end_time": when(sp["endTimeUnixNano"]),
                        "name": sp.get("name"),
                        "metadata": {"attributes": a, "resourceAttributes": res,
                                     "scope": ss.get("scope", {})},
                        "level": "ERROR" if status in (2, "STATUS_CODE_ERROR") else "DEFAULT",
                        "status_message": sp.get("status", {}).get("message"),
                        "provided_model_name": first(a, MODEL),
                        "usage_details": usage,
                        "cost_details": {},
                        "total_cost": a.get("llm.cost.total"),
                        "environment": res.get("deployment.environment.name", "default"),
                        "user_id": None,
                        "session_id": None,
                    }


def main():
    out = sys.stdout
    if "--csv" in sys.argv[1:]:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(COLS)
        for r in rows(sys.stdin):
            w.writerow(["" if r[c] is None else
                        json.dumps(r[c], separators=(",", ":")) if isinstance(r[c], (dict, list))
                        else r[c] for c in COLS])
    else:
        for r in rows(sys.stdin):
            out.write(json.dumps(r, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
