/*
 * Model names as providers spell them: the pure string rules of model name
 * resolution (pricing.h gives the order in which the pricebook tries them)
 * and the nearness measure behind `summary`'s hints. Internal to
 * src/pricing; allocates nothing.
 */
#ifndef AC_PRICING_NAMES_H
#define AC_PRICING_NAMES_H

#include <stddef.h>

#define AC_NAME_MAX 256  /* longest candidate name, with its NUL */
#define AC_NAME_CANDS 16 /* most candidates one name yields */

/* The candidate names of one model name, in the order they are tried. */
typedef struct ac_name_cands {
	int n;
	int ndated; /* c[0 .. ndated) keep any date; c[ndated .. n) are their undated forms */
	char c[AC_NAME_CANDS][AC_NAME_MAX];
	const char *rule[AC_NAME_CANDS]; /* the rule that made c[i], for messages and tests */
	int builtin_ok; /* 0: only imported rows may price this name (see names.c) */
} ac_name_cands;

/*
 * Fill out with the candidates of lower-case model name lname for a span
 * whose provider attribute is lprovider (lower case; NULL or "" when none):
 *   exact, provider-prefixed (provider/model, LiteLLM's key), last path
 *   segment (ARN, publishers/.../models/..., provider/model), the path's
 *   provider mapped to LiteLLM's prefix (x-ai/grok-3 -> xai/grok-3), the
 *   Bedrock model id without its region prefix, the model name (no Bedrock
 *   vendor prefix or version suffix, Vertex @date as -date, claude-3.5 as
 *   claude-3-5), and then each of those without a date suffix.
 * Duplicates are dropped; a name of AC_NAME_MAX or more bytes yields nothing.
 * builtin_ok is 0 for a Bedrock id or Vertex @-name of a Claude model dated
 * 2025-09-29 or later: both clouds bill those above Anthropic's list price
 * on regional endpoints, and the built-in table holds list prices.
 */
void ac_name_candidates(ac_name_cands *out, const char *lname, const char *lprovider);

/*
 * LiteLLM's key prefix for a provider attribute value (lower case):
 * "aws.bedrock" -> "bedrock", "x_ai" -> "xai", "openai.responses" -> "openai",
 * "groq" -> "groq". Writes into buf (n bytes) and returns it, or NULL when
 * the value gives none (empty, or not a plain name).
 */
const char *ac_name_provider_prefix(const char *lprovider, char *buf, size_t n);

/*
 * Length of s without a trailing date suffix "-YYYY-MM-DD", "-YYYYMMDD" or
 * "@YYYYMMDD" (plausible month and day, a non-empty name left); strlen(s)
 * when there is none.
 */
size_t ac_name_strip_date(const char *s);

/*
 * How near known name k is to lower-case name q, for hints only (never for
 * pricing): their Levenshtein distance, when the shorter occurs in the
 * longer as a whole part (bounded by the ends or by one of "-_.:/@ ", where
 * the distance is what surrounds it) or the distance is at most a quarter
 * of the longer name's length; else -1. Compares ASCII case-insensitively.
 */
int ac_name_nearness(const char *q, const char *k);

#endif
