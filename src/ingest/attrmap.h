/*
 * Attribute mapping: one data table from attribute names of the GenAI,
 * OpenInference, OpenLLMetry and agentcost conventions to span fields, with
 * the precedence of each name (see attrmap.c for the table itself).
 */
#ifndef AC_ATTRMAP_H
#define AC_ATTRMAP_H

#include "span.h"

/* A scalar attribute value, normalized from OTLP AnyValue or a flat JSON value. */
typedef enum { AC_V_STR, AC_V_INT, AC_V_DBL, AC_V_BOOL, AC_V_OTHER } ac_vkind;

typedef struct ac_value {
	ac_vkind kind;
	ac_str s;    /* AC_V_STR: decoded text; AC_V_INT/AC_V_DBL: the number's text */
	int64_t i;   /* AC_V_INT (also set for AC_V_BOOL) */
	double d;    /* AC_V_DBL (also set for AC_V_INT) */
	int int_ok;  /* AC_V_INT: 0 when the text was not a valid int64 */
} ac_value;

/* Most token count accepted; more is "absurd" and rejects the span. */
#define AC_MAX_TOKENS 100000000LL

/* Reset a span before parsing. */
void ac_span_reset(ac_span *sp);

/* Field and precedence (1 = strongest) for an attribute name; AC_F_NONE if unmapped. */
int ac_attr_lookup(const char *key, size_t n, int *prio);

/*
 * Apply one attribute to sp. resource != 0 for resource attributes (they act
 * as defaults that span attributes override). A value of the wrong type for a
 * token count, score or cost rejects the span (sets sp->err).
 */
void ac_attr_apply(ac_span *sp, const char *key, size_t n, const ac_value *v, int resource);

/*
 * After all attributes: decide the step kind (LLM, tool, agent, chain,
 * evaluator, other), fill the tool name from the span name when a tool span
 * has none, and check token consistency.
 */
void ac_span_finish(ac_span *sp);

/* 1 when the string slice equals s, ignoring ASCII case. */
int ac_str_ieq(ac_str a, const char *s);

#endif
