#!/usr/bin/env python3
"""Convert OTLP JSON lines (agentcost gen output) into the other JSON trace
formats agentcost reads, for bench/jsonfmt/run.sh: the same spans, one output
line per input line (one record each) so every format is read record by record
like the OTLP file.

usage: convert.py IN.jsonl OUTDIR   writes OUTDIR/{otelpy,oteljs,jaeger,tempo}.json
                                    and OUTDIR/clickhouse.jsonl
"""
import base64
import datetime
import json
import sys

KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"]
STATUS = ["UNSET", "OK", "ERROR"]


def plain(v):
    """OTLP AnyValue -> plain JSON value."""
    if "stringValue" in v:
        return v["stringValue"]
    if "intValue" in v:
        return int(v["intValue"])
    if "doubleValue" in v:
        return float(v["doubleValue"])
    if "boolValue" in v:
        return bool(v["boolValue"])
    return None


def attrs(lst):
    return {kv["key"]: plain(kv["value"]) for kv in lst or []}


def iso(ns):
    s, frac = divmod(int(ns), 1000000000)
    t = datetime.datetime.fromtimestamp(s, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (frac // 1000)


def ch_time(ns):
    s, frac = divmod(int(ns), 1000000000)
    t = datetime.datetime.fromtimestamp(s, datetime.timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S") + ".%09d" % frac


def b64(h):
    return base64.b64encode(bytes.fromhex(h)).decode()


def spans_of(doc):
    for rs in doc["resourceSpans"]:
        res = attrs(rs.get("resource", {}).get("attributes"))
        for ss in rs.get("scopeSpans", []):
            for sp in ss.get("spans", []):
                yield res, sp


def jaeger_tag(k, v):
    if isinstance(v, bool):
        return {"key": k, "type": "bool", "value": v}
    if isinstance(v, int):
        return {"key": k, "type": "int64", "value": v}
    if isinstance(v, float):
        return {"key": k, "type": "float64", "value": v}
    return {"key": k, "type": "string", "value": str(v)}


def code(sp):
    c = sp.get("status", {}).get("code", 0)
    return STATUS.index(c.replace("STATUS_CODE_", "")) if isinstance(c, str) else int(c)


def main():
    src, out = sys.argv[1], sys.argv[2]
    f = {n: open("%s/%s" % (out, n), "w") for n in
         ("otelpy.json", "oteljs.json", "jaeger.json", "tempo.json", "clickhouse.jsonl")}
    for line in open(src):
        doc = json.loads(line)
        js, traces = [], {}
        for res, sp in spans_of(doc):
            a = attrs(sp.get("attributes"))
            st, en = int(sp["startTimeUnixNano"]), int(sp["endTimeUnixNano"])
            parent = sp.get("parentSpanId") or None
            c = code(sp)
            kind = KINDS[sp.get("kind", 0)]
            f["otelpy.json"].write(json.dumps({
                "name": sp["name"],
                "context": {"trace_id": "0x" + sp["traceId"], "span_id": "0x" + sp["spanId"],
                            "trace_state": "[]"},
                "kind": "SpanKind." + kind, "parent_id": "0x" + parent if parent else None,
                "start_time": iso(st), "end_time": iso(en), "status": {"status_code": STATUS[c]},
                "attributes": a, "events": [], "links": [],
                "resource": {"attributes": res, "schema_url": ""}}) + "\n")
            j = {"name": sp["name"], "kind": sp.get("kind", 0),
                 "spanContext": {"traceId": sp["traceId"], "spanId": sp["spanId"], "traceFlags": 1},
                 "startTime": [st // 10**9, st % 10**9], "endTime": [en // 10**9, en % 10**9],
                 "status": {"code": c}, "attributes": a, "resource": {"attributes": res}}
            if parent:
                j["parentSpanId"] = parent
            js.append(j)
            tags = [jaeger_tag(k, v) for k, v in a.items()]
            if c == 2:
                tags.append({"key": "error", "type": "bool", "value": True})
            elif c == 1:
                tags.append({"key": "otel.status_code", "type": "string", "value": "OK"})
            t = traces.setdefault(sp["traceId"], {"traceID": sp["traceId"], "spans": [], "processes": {
                "p1": {"serviceName": res.get("service.name", ""),
                       "tags": [jaeger_tag(k, v) for k, v in res.items() if k != "service.name"]}}})
            t["spans"].append({
                "traceID": sp["traceId"], "spanID": sp["spanId"], "operationName": sp["name"],
                "references": [{"refType": "CHILD_OF", "traceID": sp["traceId"], "spanID": parent}]
                if parent else [],
                "startTime": st // 1000, "duration": en // 1000 - st // 1000, "tags": tags,
                "processID": "p1", "logs": []})
            f["clickhouse.jsonl"].write(json.dumps({
                "Timestamp": ch_time(st), "TraceId": sp["traceId"], "SpanId": sp["spanId"],
                "ParentSpanId": parent or "", "TraceState": "", "SpanName": sp["name"],
                "SpanKind": kind.capitalize(), "ServiceName": res.get("service.name", ""),
                "ResourceAttributes": {k: str(v) for k, v in res.items()},
                "ScopeName": "", "ScopeVersion": "",
                "SpanAttributes": {k: (json.dumps(v) if isinstance(v, bool) else str(v))
                                   for k, v in a.items()},
                "Duration": str(en - st), "StatusCode": ["Unset", "Ok", "Error"][c],
                "StatusMessage": "", "Events.Timestamp": [], "Events.Name": [],
                "Events.Attributes": [], "Links.TraceId": [], "Links.SpanId": [],
                "Links.TraceState": [], "Links.Attributes": []}) + "\n")
        f["oteljs.json"].write(json.dumps(js) + "\n")
        f["jaeger.json"].write(json.dumps({"data": list(traces.values())}) + "\n")
        # Tempo: the same batches, ids in base64, enums as names
        for rs in doc["resourceSpans"]:
            for ss in rs.get("scopeSpans", []):
                for sp in ss.get("spans", []):
                    sp["traceId"], sp["spanId"] = b64(sp["traceId"]), b64(sp["spanId"])
                    if sp.get("parentSpanId"):
                        sp["parentSpanId"] = b64(sp["parentSpanId"])
                    sp["kind"] = "SPAN_KIND_" + KINDS[sp.get("kind", 0)]
                    if "code" in sp.get("status", {}):
                        sp["status"]["code"] = "STATUS_CODE_" + STATUS[code(sp)]
        f["tempo.json"].write(json.dumps({"batches": doc["resourceSpans"]}) + "\n")
    for h in f.values():
        h.close()


main()
