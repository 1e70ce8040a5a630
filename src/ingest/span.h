/*
 * The parsed span: what the OTLP and flat JSONL parsers hand to the store.
 * String values are slices into the record text or the JSON decode arena;
 * they are valid until the next record is parsed.
 */
#ifndef AC_SPAN_H
#define AC_SPAN_H

#include <stddef.h>
#include <stdint.h>

typedef struct ac_str {
	const char *p;
	size_t n;
} ac_str;

/* Fields the attribute table maps onto. */
enum ac_field {
	AC_F_NONE = 0,
	AC_F_MODEL,
	AC_F_PROVIDER,
	AC_F_TOK_IN,
	AC_F_TOK_OUT,
	AC_F_TOK_CACHE_READ,
	AC_F_TOK_CACHE_WRITE,
	AC_F_TOK_REASONING,
	AC_F_TOK_CACHE_WRITE_1H, /* part of cache write, 1-hour lifetime */
	AC_F_TOK_AUDIO_IN,       /* part of input */
	AC_F_TOK_AUDIO_OUT,      /* part of output */
	AC_F_OPERATION,   /* gen_ai.operation.name, llm.request.type */
	AC_F_OI_KIND,     /* openinference.span.kind */
	AC_F_TL_KIND,     /* traceloop.span.kind */
	AC_F_TOOL,
	AC_F_ERROR_TYPE,
	AC_F_SERVICE,
	AC_F_ENV,
	AC_F_TASK_ID,
	AC_F_TASK_TYPE,
	AC_F_COMPLEXITY,
	AC_F_PURPOSE,
	AC_F_EVAL_SCORE,
	AC_F_AGENT_NAME,
	AC_F_PCOST_TOTAL, /* producer's total cost */
	AC_F_PCOST_PART,  /* producer's partial costs, summed (input_cost + output_cost) */
	AC_F_VERCEL_OP,   /* ai.operationId (Vercel AI SDK) */
	AC_F_SCOPE,       /* instrumentation scope name (OTLP scope.name, otel.scope.name) */
	AC_F_SERVICE_TIER, /* agentcost.service_tier, openai.response.service_tier, ... */
	AC_F_USER,        /* user.id, enduser.id, langfuse.user.id, user_id */
	AC_F_SESSION,     /* session.id, gen_ai.conversation.id, langfuse.session.id, session_id */
	AC_F_RESOURCE,    /* the OTLP resource object's text (set by the walker, not an attribute) */
	AC_F_COUNT
};

/* Token slots, in the order of the AC_F_TOK_* fields. */
enum {
	AC_TOK_IN,
	AC_TOK_OUT,
	AC_TOK_CACHE_READ,
	AC_TOK_CACHE_WRITE,
	AC_TOK_REASONING,
	AC_TOK_CACHE_WRITE_1H,
	AC_TOK_AUDIO_IN,
	AC_TOK_AUDIO_OUT,
	AC_TOK_COUNT
};

#define AC_PRIO_UNSET 255
#define AC_PRIO_RESOURCE 100 /* added to resource-level priorities: span attributes win */

typedef struct ac_span {
	uint8_t trace_id[16];
	uint8_t span_id[8];
	uint8_t parent_id[8];
	int has_parent;
	int64_t start_ns;
	int64_t end_ns;
	int status; /* 0 unset, 1 ok, 2 error */
	int step;   /* AC_STEP_* (pricing.h), set by ac_span_finish() */
	ac_str name;

	ac_str str[AC_F_COUNT];           /* string-valued fields */
	unsigned char prio[AC_F_COUNT];   /* precedence of the value held (lower wins) */
	int64_t tok[AC_TOK_COUNT];
	unsigned tok_mask;                /* bit k: tok[k] present */
	double eval_score;
	double pcost_total;
	double pcost_part;
	unsigned num_mask;                /* bit 0 eval_score, 1 pcost_total, 2 pcost_part */

	ac_str raw;     /* the span's original JSON text */
	long long line; /* line (or message) of the record it came from */
	char err[256];  /* first problem found; non-empty = span is rejected */
	int structural; /* err is about the record's structure, not one span */
} ac_span;

#endif
