#!/usr/bin/env python3
"""What a user would write instead of agentcost: a small, fair Python script
that reads OTLP JSON lines with the json module, extracts the fields
agentcost's ingest keeps, and inserts them into SQLite with sqlite3
(batched executemany in one transaction per 50,000 rows)."""
import json, sqlite3, sys

KEYS = ("gen_ai.operation.name", "gen_ai.request.model", "gen_ai.response.model",
        "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
        "gen_ai.usage.cache_read.input_tokens", "gen_ai.tool.name", "agentcost.complexity")

def value(v):
    for k in ("stringValue", "intValue", "doubleValue", "boolValue"):
        if k in v:
            return v[k]
    return None

def main(path, db):
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE IF NOT EXISTS span (trace_id TEXT, span_id TEXT, parent TEXT, name TEXT,"
                " start_ns INTEGER, end_ns INTEGER, status INTEGER, service TEXT, op TEXT, model TEXT,"
                " resp_model TEXT, tin INTEGER, tout INTEGER, tcache INTEGER, tool TEXT, complexity TEXT,"
                " PRIMARY KEY (trace_id, span_id))")
    rows = []
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            for rs in doc.get("resourceSpans", []):
                res = {a["key"]: value(a["value"]) for a in rs.get("resource", {}).get("attributes", [])}
                for ss in rs.get("scopeSpans", []):
                    for s in ss.get("spans", []):
                        a = {x["key"]: value(x["value"]) for x in s.get("attributes", []) if x["key"] in KEYS}
                        rows.append((s["traceId"], s["spanId"], s.get("parentSpanId"), s.get("name"),
                                     int(s["startTimeUnixNano"]), int(s["endTimeUnixNano"]),
                                     s.get("status", {}).get("code", 0), res.get("service.name"),
                                     *(a.get(k) for k in KEYS)))
                        if len(rows) >= 50000:
                            con.executemany("INSERT OR IGNORE INTO span VALUES (" + ",".join("?" * 16) + ")", rows)
                            con.commit()
                            rows.clear()
    con.executemany("INSERT OR IGNORE INTO span VALUES (" + ",".join("?" * 16) + ")", rows)
    con.commit()

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
