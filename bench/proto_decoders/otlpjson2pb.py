#!/usr/bin/env python3
"""Convert OTLP JSON lines (one ExportTraceServiceRequest per line, as
`agentcost gen` and the Collector file exporter's format: json write them)
into the exporter's format: proto layout, repeat { u32 big-endian length;
ExportTraceServiceRequest protobuf } -- or, with --raw, one message of all
resource_spans (a .pb dump). A benchmark helper, not part of the product.

The protobuf encoder below is written here from the protobuf encoding guide
and the OTLP field numbers (trace.proto, common.proto); it shares no code
with agentcost's decoder (src/ingest/otlp_pb.c).

usage: otlpjson2pb.py IN.jsonl OUT.bin [--raw]
"""
import base64
import json
import struct
import sys


def varint(v):
    v &= (1 << 64) - 1  # int64 two's complement, as protobuf writes negative int64
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wt):
    return varint(field << 3 | wt)


def f_len(field, data):
    return key(field, 2) + varint(len(data)) + data


def f_str(field, s):
    return f_len(field, s.encode("utf-8"))


def f_varint(field, v):
    return key(field, 0) + varint(int(v))


def f_fixed64(field, v):
    return key(field, 1) + struct.pack("<Q", int(v))


def f_fixed32(field, v):
    return key(field, 5) + struct.pack("<I", int(v))


def f_double(field, d):
    if isinstance(d, str):
        d = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}.get(d, d)
    return key(field, 1) + struct.pack("<d", float(d))


def g(o, camel, snake=None):
    if camel in o:
        return o[camel]
    if snake and snake in o:
        return o[snake]
    return None


def any_value(v):
    out = b""
    for camel, snake, enc in (
        ("stringValue", "string_value", lambda x: f_str(1, x)),
        ("boolValue", "bool_value", lambda x: f_varint(2, 1 if x else 0)),
        ("intValue", "int_value", lambda x: f_varint(3, int(x))),
        ("doubleValue", "double_value", lambda x: f_double(4, x)),
        ("arrayValue", "array_value",
         lambda x: f_len(5, b"".join(f_len(1, any_value(e)) for e in x.get("values", [])))),
        ("kvlistValue", "kvlist_value",
         lambda x: f_len(6, b"".join(f_len(1, key_value(e)) for e in x.get("values", [])))),
        ("bytesValue", "bytes_value", lambda x: f_len(7, base64.b64decode(x))),
    ):
        x = g(v, camel, snake)
        if x is not None:
            out += enc(x)
    return out


def key_value(kv):
    out = f_str(1, kv["key"])
    if "value" in kv:
        out += f_len(2, any_value(kv["value"]))
    return out


def attrs(field, lst):
    return b"".join(f_len(field, key_value(kv)) for kv in lst or [])


def hexid(field, h):
    return f_len(field, bytes.fromhex(h)) if h else b""


def span(s):
    out = hexid(1, g(s, "traceId", "trace_id"))
    out += hexid(2, g(s, "spanId", "span_id"))
    if g(s, "traceState", "trace_state"):
        out += f_str(3, g(s, "traceState", "trace_state"))
    out += hexid(4, g(s, "parentSpanId", "parent_span_id"))
    if g(s, "flags"):
        out += f_fixed32(16, g(s, "flags"))
    if s.get("name"):
        out += f_str(5, s["name"])
    if s.get("kind"):
        out += f_varint(6, s["kind"])
    for camel, snake, field in (("startTimeUnixNano", "start_time_unix_nano", 7),
                                ("endTimeUnixNano", "end_time_unix_nano", 8)):
        t = g(s, camel, snake)
        if t is not None:
            out += f_fixed64(field, int(t))
    out += attrs(9, s.get("attributes"))
    for e in s.get("events") or []:
        ev = f_fixed64(1, int(g(e, "timeUnixNano", "time_unix_nano") or 0))
        ev += f_str(2, e.get("name", "")) + attrs(3, e.get("attributes"))
        out += f_len(11, ev)
    for link in s.get("links") or []:
        lk = hexid(1, g(link, "traceId", "trace_id")) + hexid(2, g(link, "spanId", "span_id"))
        lk += attrs(4, link.get("attributes"))
        out += f_len(13, lk)
    st = s.get("status")
    if st is not None:
        body = b""
        if st.get("message"):
            body += f_str(2, st["message"])
        if st.get("code"):
            body += f_varint(3, st["code"])
        out += f_len(15, body)
    return out


def scope_spans(ss):
    out = b""
    sc = ss.get("scope")
    if sc is not None:
        body = b""
        if sc.get("name"):
            body += f_str(1, sc["name"])
        if sc.get("version"):
            body += f_str(2, sc["version"])
        out += f_len(1, body)
    for s in ss.get("spans") or []:
        out += f_len(2, span(s))
    return out


def resource_spans(rs):
    out = b""
    res = rs.get("resource")
    if res is not None:
        out += f_len(1, attrs(1, res.get("attributes")))
    for ss in g(rs, "scopeSpans", "scope_spans") or []:
        out += f_len(2, scope_spans(ss))
    return out


def request(obj):
    return b"".join(f_len(1, resource_spans(rs))
                    for rs in g(obj, "resourceSpans", "resource_spans") or [])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    raw = "--raw" in sys.argv[3:]
    n = 0
    with open(sys.argv[1], "rb") as fin, open(sys.argv[2], "wb") as fout:
        for line in fin:
            if not line.strip():
                continue
            msg = request(json.loads(line))
            if not raw:
                fout.write(struct.pack(">I", len(msg)))
            fout.write(msg)
            n += 1
    print(f"{n} messages", file=sys.stderr)


if __name__ == "__main__":
    main()
