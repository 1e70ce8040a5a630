#!/usr/bin/env python3
"""Independent reference for the benchmark checksum, using Python's json module.

    build/gen /tmp/sample.jsonl 5 && build/bench_jsmn /tmp/sample.jsonl 1
    python3 check.py /tmp/sample.jsonl; rm /tmp/sample.jsonl

prints "SPANS CHECKSUM"; both must equal the span count and checksum of every
bench_* binary (span_emit() in bench.c: same field order, strings truncated to
the sizes of struct span).
"""
import json
import struct
import sys

PRIME, MASK, OFF = 0x100000001B3, (1 << 64) - 1, 0xCBF29CE484222325
KEYS = {
    "service.name": "service", "gen_ai.provider.name": "provider",
    "gen_ai.request.model": "model", "gen_ai.operation.name": "operation",
    "gen_ai.tool.name": "tool", "gen_ai.usage.input_tokens": "in",
    "gen_ai.usage.output_tokens": "out", "gen_ai.usage.cache_read.input_tokens": "cache",
    "gen_ai.input.messages": "msg",
}


def fnv(h, data):
    for b in data:
        h = ((h ^ b) * PRIME) & MASK
    return h


def fnv_str(h, s, cap):
    b = s.encode()[: cap - 1]
    return fnv(fnv(h, struct.pack("<Q", len(b))), b)


def fnv_int(h, v):
    return fnv(h, struct.pack("<Q", v & MASK))


def attrs(lst, d):
    for kv in lst:
        k = KEYS.get(kv["key"])
        if k is None:
            continue
        v = kv["value"]
        if k in ("in", "out", "cache"):
            d[k] = int(v["intValue"])
        elif k == "msg":
            b = v["stringValue"].encode()
            d["msg_len"], d["msg_hash"] = len(b), fnv(OFF, b)
        else:
            d[k] = v["stringValue"]


def main(path):
    total, n = OFF, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            for rs in json.loads(line)["resourceSpans"]:
                res = {}
                attrs(rs["resource"]["attributes"], res)
                for ss in rs["scopeSpans"]:
                    for s in ss["spans"]:
                        d = {"service": res.get("service", "")}
                        attrs(s["attributes"], d)
                        h = OFF
                        h = fnv_str(h, s["traceId"], 33)
                        h = fnv_str(h, s["spanId"], 17)
                        h = fnv_str(h, s.get("parentSpanId", ""), 17)
                        h = fnv_str(h, s["name"], 96)
                        h = fnv_int(h, int(s["startTimeUnixNano"]))
                        h = fnv_int(h, int(s["endTimeUnixNano"]))
                        h = fnv_int(h, s["kind"])
                        h = fnv_int(h, s.get("status", {}).get("code", 0))
                        for k, cap in (("service", 64), ("provider", 32), ("model", 64),
                                       ("operation", 32), ("tool", 64)):
                            h = fnv_str(h, d.get(k, ""), cap)
                        for k in ("in", "out", "cache", "msg_len", "msg_hash"):
                            h = fnv_int(h, d.get(k, 0))
                        total = ((total ^ h) * PRIME) & MASK
                        n += 1
    print(n, "%016x" % total)


if __name__ == "__main__":
    main(sys.argv[1])
