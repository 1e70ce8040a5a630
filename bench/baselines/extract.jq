# What a user would write instead of agentcost: jq extracting the fields
# agentcost's ingest keeps, one TSV line per span, from OTLP JSON lines.
def attr($k): (map(select(.key == $k)) | first | .value | (.stringValue // .intValue // .doubleValue // .boolValue)) // null;
.resourceSpans[]
| (.resource.attributes // []) as $res
| (.scopeSpans // [])[] | .spans[]
| (.attributes // []) as $a
| [ .traceId, .spanId, (.parentSpanId // ""), .name, .startTimeUnixNano, .endTimeUnixNano,
    (.status.code // 0), ($res | attr("service.name")),
    ($a | attr("gen_ai.operation.name")), ($a | attr("gen_ai.request.model")),
    ($a | attr("gen_ai.response.model")), ($a | attr("gen_ai.usage.input_tokens")),
    ($a | attr("gen_ai.usage.output_tokens")), ($a | attr("gen_ai.usage.cache_read.input_tokens")),
    ($a | attr("gen_ai.tool.name")), ($a | attr("agentcost.complexity")) ]
| @tsv
