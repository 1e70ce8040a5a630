-- What a user would write instead of agentcost with DuckDB: load OTLP JSON
-- lines into a table of the fields agentcost's ingest keeps (the same fields
-- as extract.jq: ids, name, times, status, service, the GenAI operation,
-- models, tokens, tool, complexity), one row per span. bench/baselines/
-- duckdb_load.mjs replaces @FILE@ with the file's path and times this.
-- The schema is given (as a user who knows OTLP would): auto-detection reads
-- only a sample and misses keys that are rare.
CREATE OR REPLACE MACRO attr(a, k) AS
  (list_filter(a, x -> x.key = k)[1]).value;
CREATE TABLE span AS
WITH r AS (
  SELECT unnest(resourceSpans) AS rs
  FROM read_json('@FILE@', format = 'newline_delimited', maximum_object_size = 1073741824, columns = {
    resourceSpans: 'STRUCT(resource STRUCT(attributes STRUCT(key VARCHAR, value STRUCT(stringValue VARCHAR, intValue BIGINT, doubleValue DOUBLE, boolValue BOOLEAN))[]),
      scopeSpans STRUCT(spans STRUCT(traceId VARCHAR, spanId VARCHAR, parentSpanId VARCHAR, name VARCHAR,
        startTimeUnixNano BIGINT, endTimeUnixNano BIGINT,
        attributes STRUCT(key VARCHAR, value STRUCT(stringValue VARCHAR, intValue BIGINT, doubleValue DOUBLE, boolValue BOOLEAN))[],
        status STRUCT(code INTEGER, message VARCHAR))[])[])[]'
  })
), s AS (
  SELECT rs.resource.attributes AS res, unnest(rs.scopeSpans) AS ss FROM r
), p AS (
  SELECT res, unnest(ss.spans) AS sp FROM s
)
SELECT
  sp.traceId AS trace_id,
  sp.spanId AS span_id,
  sp.parentSpanId AS parent_span_id,
  sp.name AS name,
  sp.startTimeUnixNano AS start_ns,
  sp.endTimeUnixNano AS end_ns,
  coalesce(sp.status.code, 0) AS status,
  attr(res, 'service.name').stringValue AS service,
  attr(sp.attributes, 'gen_ai.operation.name').stringValue AS operation,
  attr(sp.attributes, 'gen_ai.request.model').stringValue AS request_model,
  attr(sp.attributes, 'gen_ai.response.model').stringValue AS response_model,
  attr(sp.attributes, 'gen_ai.usage.input_tokens').intValue AS input_tokens,
  attr(sp.attributes, 'gen_ai.usage.output_tokens').intValue AS output_tokens,
  attr(sp.attributes, 'gen_ai.usage.cache_read.input_tokens').intValue AS cache_read_tokens,
  attr(sp.attributes, 'gen_ai.tool.name').stringValue AS tool,
  attr(sp.attributes, 'agentcost.complexity').stringValue AS complexity
FROM p;
