/*
 * Model names as providers spell them (names.h): the candidate names of one
 * span's model, tried in order by the pricebook (pricing.c, order in
 * pricing.h), and the nearness of two names behind `summary`'s hints.
 *
 * Every rule is a fixed rewriting of a documented spelling, never a guess:
 *   - Amazon Bedrock model ids "<vendor>.<model>-v<N>:<M>" (vendor anthropic,
 *     meta, amazon, ...), cross-region inference profiles with a region
 *     prefix "us." "eu." "apac." "global." ..., and ARNs
 *     "arn:aws:bedrock:<region>:<account>:foundation-model/<id>" or
 *     ".../inference-profile/<profile id>";
 *   - Vertex AI's Anthropic names "claude-3-5-haiku@20241022" (the dated
 *     Anthropic name with '@' for '-') and "claude-3-5-sonnet-v2@20241022"
 *     (Vertex's "-v2" marks the second 3.5 Sonnet, which Anthropic names by
 *     its date alone: claude-3-5-sonnet-20241022), and resource paths
 *     "projects/.../publishers/<publisher>/models/<model>";
 *   - OpenRouter's "<provider>/<model>", with Anthropic's dots
 *     ("claude-3.5-sonnet", "claude-sonnet-4.5"): Anthropic's own ids since
 *     Claude 3 have dashes only, so "claude-3.5" is "claude-3-5";
 *   - LiteLLM's provider-prefixed keys "<litellm provider>/<model>", the
 *     prefix found from the span's provider attribute (GenAI semantic
 *     conventions' gen_ai.provider.name values, OpenInference llm.provider,
 *     the Vercel AI SDK's ai.model.provider).
 * A Bedrock version suffix without a colon ("-v1") is dropped only after a
 * Bedrock vendor prefix: elsewhere "-v2" may be a different model.
 *
 * Cloud prices that are not the list price: from Claude Sonnet 4.5
 * (claude-sonnet-4-5-20250929) on, Amazon Bedrock bills in-region and
 * geographic cross-region profiles ("us." "eu." "jp." ...) 10% above
 * Anthropic's list price, and Vertex AI its regional endpoints likewise
 * (LiteLLM's table: us.anthropic.claude-sonnet-4-5-20250929-v1:0 at 3.30 /
 * 16.50 against 3.00 / 15.00). The built-in table holds list prices, so a
 * Bedrock id or Vertex @-name of a Claude model dated 2025-09-29 or later is
 * priced by imported rows only (builtin_ok = 0): unpriced beats 10% wrong.
 */
#include "names.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Bedrock cross-region inference profile prefixes. */
static const char *const regions[] = { "us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.",
	                               "ca." };

/* Bedrock model vendors (the part of a model id before its first dot). */
static const char *const vendors[] = { "ai21.", "amazon.", "anthropic.", "cohere.", "deepseek.",
	                               "luma.", "meta.", "mistral.", "openai.", "qwen.",
	                               "stability.", "twelvelabs.", "writer." };

/* Provider attribute values (or their leading dotted parts) whose LiteLLM
 * prefix differs from the value's first part. */
static const struct {
	const char *provider, *prefix;
} prefixes[] = {
	{ "aws.bedrock", "bedrock" },           /* gen_ai.provider.name */
	{ "amazon-bedrock", "bedrock" },        /* Vercel AI SDK */
	{ "aws", "bedrock" },                   /* OpenInference llm.provider */
	{ "gcp.vertex_ai", "vertex_ai" },       /* gen_ai.provider.name */
	{ "google.vertex", "vertex_ai" },       /* Vercel AI SDK "google.vertex.chat" */
	{ "vertexai", "vertex_ai" },            /* OpenInference llm.provider */
	{ "gcp.gemini", "gemini" },             /* gen_ai.provider.name */
	{ "google", "gemini" },                 /* OpenRouter, Vercel "google.generative-ai" */
	{ "azure.ai.openai", "azure" },         /* gen_ai.provider.name */
	{ "az.ai.openai", "azure" },            /* older gen_ai.system */
	{ "azure.ai.inference", "azure_ai" },   /* gen_ai.provider.name */
	{ "az.ai.inference", "azure_ai" },      /* older gen_ai.system */
	{ "x_ai", "xai" },                      /* gen_ai.provider.name */
	{ "x-ai", "xai" },                      /* OpenRouter */
	{ "mistral_ai", "mistral" },            /* gen_ai.provider.name */
	{ "mistralai", "mistral" },             /* OpenRouter, OpenInference */
	{ "ibm.watsonx.ai", "watsonx" },        /* gen_ai.provider.name */
	{ "together", "together_ai" },
	{ "togetherai", "together_ai" },
	{ "fireworks", "fireworks_ai" },
};

static int starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* The entry of list (n strings) that s starts with, or NULL. */
static const char *starts_any(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (starts(s, list[i]))
			return list[i];
	}
	return NULL;
}

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

static int num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int plausible(int month, int day)
{
	static const int dm[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return month >= 1 && month <= 12 && day >= 1 && day <= dm[month - 1];
}

/* 1 when s[0..9) is "@YYYYMMDD" or "-YYYYMMDD" with a plausible date. */
static int date8(const char *s, char lead)
{
	return s[0] == lead && is_digits(s + 1, 8) && plausible(num2(s + 5), num2(s + 7));
}

size_t ac_name_strip_date(const char *s)
{
	size_t n = strlen(s);
	if (n > 11) {
		const char *t = s + n - 11;
		if (t[0] == '-' && is_digits(t + 1, 4) && t[5] == '-' && is_digits(t + 6, 2) &&
		    t[8] == '-' && is_digits(t + 9, 2) && plausible(num2(t + 6), num2(t + 9)))
			return n - 11;
	}
	if (n > 9 && (date8(s + n - 9, '-') || date8(s + n - 9, '@')))
		return n - 9;
	return n;
}

const char *ac_name_provider_prefix(const char *lprovider, char *buf, size_t n)
{
	char v[AC_NAME_MAX];
	size_t len;

	if (!lprovider || !*lprovider || strlen(lprovider) >= sizeof(v) || n == 0)
		return NULL;
	strcpy(v, lprovider);
	/* the whole value, then shorter and shorter leading dotted parts */
	for (;;) {
		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
			if (strcmp(v, prefixes[i].provider) == 0) {
				if (strlen(prefixes[i].prefix) >= n)
					return NULL;
				return strcpy(buf, prefixes[i].prefix);
			}
		}
		char *dot = strrchr(v, '.');
		if (!dot)
			break;
		*dot = '\0';
	}
	/* no entry: the first dotted part as it is ("groq", "openai.chat" -> "openai") */
	len = strlen(v);
	if (len == 0 || len >= n)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!(islower(c) || isdigit(c) || c == '_' || c == '-'))
			return NULL;
	}
	return strcpy(buf, v);
}

/* Append s[0, len) unless empty, too long, or already there. */
static void add(ac_name_cands *o, const char *s, size_t len, const char *rule)
{
	if (len == 0 || len >= AC_NAME_MAX || o->n == AC_NAME_CANDS)
		return;
	for (int i = 0; i < o->n; i++) {
		if (strlen(o->c[i]) == len && memcmp(o->c[i], s, len) == 0)
			return;
	}
	memcpy(o->c[o->n], s, len);
	o->c[o->n][len] = '\0';
	o->rule[o->n] = rule;
	o->n++;
}

/* add() of a "/" b. */
static void add2(ac_name_cands *o, const char *a, const char *b, const char *rule)
{
	char t[AC_NAME_MAX];
	size_t la = strlen(a), lb = strlen(b);
	if (la + 1 + lb >= sizeof(t))
		return;
	memcpy(t, a, la);
	t[la] = '/';
	memcpy(t + la + 1, b, lb + 1);
	add(o, t, la + 1 + lb, rule);
}

/*
 * Length of s without a trailing Bedrock version: "-v<N>:<M>" (or "-<N>:<M>",
 * as in openai.gpt-oss-120b-1:0), optionally followed by a context-window
 * variant ":<N>k"; with_bare, also "-v<N>". len when there is none.
 */
static size_t strip_version(const char *s, size_t len, int with_bare)
{
	size_t e = len;
	/* ":<digits>k" */
	if (e >= 3 && s[e - 1] == 'k') {
		size_t i = e - 1;
		while (i > 0 && isdigit((unsigned char)s[i - 1]))
			i--;
		if (i < e - 1 && i > 0 && s[i - 1] == ':')
			e = i - 1;
	}
	/* ":<digits>" */
	size_t i = e, colon = 0;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i < e && i > 0 && s[i - 1] == ':') {
		colon = 1;
		e = i - 1;
	} else if (!with_bare) {
		return len;
	}
	/* "-v<digits>" or (with a colon) "-<digits>" */
	i = e;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == e || i == 0)
		return len;
	if (s[i - 1] == 'v' && i >= 2 && s[i - 2] == '-')
		return i - 2 > 0 ? i - 2 : len;
	if (colon && s[i - 1] == '-')
		return i - 1 > 0 ? i - 1 : len;
	return len;
}

/* Anthropic's ids since Claude 3 have no dots: "claude-3.5-sonnet" ->
 * "claude-3-5-sonnet". (The older claude-2.1 keeps its exact candidate
 * first; no price row is named claude-2-1.) */
static void claude_dots(char *s)
{
	if (!starts(s, "claude-"))
		return;
	for (char *p = s + 1; *p; p++) {
		if (*p == '.' && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
			*p = '-';
	}
}

void ac_name_candidates(ac_name_cands *o, const char *m, const char *lprovider)
{
	char pfx[64], t[AC_NAME_MAX];
	const char *slash, *seg, *b, *vendor;
	size_t len;

	o->n = o->ndated = 0;
	o->builtin_ok = 1;
	if (!m || !*m || strlen(m) >= AC_NAME_MAX)
		return;
	add(o, m, strlen(m), "exact");

	/* LiteLLM's key: the provider's prefix, unless the name has it already */
	if (ac_name_provider_prefix(lprovider, pfx, sizeof(pfx))) {
		size_t pl = strlen(pfx);
		if (!(strncmp(m, pfx, pl) == 0 && m[pl] == '/'))
			add2(o, pfx, m, "provider prefix");
	}

	/* the last path segment: ARN resource, publishers/.../models/<model>,
	 * provider/model */
	slash = strrchr(m, '/');
	seg = slash ? slash + 1 : m;
	add(o, seg, strlen(seg), "last path segment");

	/* OpenRouter's provider in LiteLLM's spelling: x-ai/grok-3 -> xai/grok-3 */
	slash = strchr(m, '/');
	if (slash && (size_t)(slash - m) < sizeof(t)) {
		memcpy(t, m, (size_t)(slash - m));
		t[slash - m] = '\0';
		if (ac_name_provider_prefix(t, pfx, sizeof(pfx)) && strcmp(pfx, t) != 0)
			add2(o, pfx, slash + 1, "path provider prefix");
	}

	/* Bedrock: the model id of a cross-region inference profile */
	b = seg;
	const char *reg = starts_any(b, regions, sizeof(regions) / sizeof(regions[0]));
	if (reg && starts_any(b + strlen(reg), vendors, sizeof(vendors) / sizeof(vendors[0]))) {
		b += strlen(reg);
		add(o, b, strlen(b), "bedrock region prefix");
	}

	/* the model name: no Bedrock vendor or version, Vertex's @date as -date */
	vendor = starts_any(b, vendors, sizeof(vendors) / sizeof(vendors[0]));
	if (vendor)
		b += strlen(vendor);
	len = strip_version(b, strlen(b), vendor != NULL);
	memcpy(t, b, len);
	t[len] = '\0';
	int cloud = vendor != NULL;
	if (len > 9 && date8(t + len - 9, '@')) {
		cloud = 1;
		/* claude-3-5-sonnet-v2@20241022 -> claude-3-5-sonnet-20241022 */
		char date[10];
		size_t base = len - 9, i = base;
		memcpy(date, t + base + 1, 8);
		date[8] = '\0';
		while (i > 0 && isdigit((unsigned char)t[i - 1]))
			i--;
		if (i < base && i >= 2 && t[i - 1] == 'v' && t[i - 2] == '-' && i - 2 > 0)
			base = i - 2;
		t[base] = '-';
		memcpy(t + base + 1, date, 9);
	}
	claude_dots(t);
	len = strlen(t);
	if (cloud && starts(t, "claude") && len > 9 && date8(t + len - 9, '-') &&
	    strcmp(t + len - 8, "20250929") >= 0)
		o->builtin_ok = 0;
	add(o, t, len, vendor ? "bedrock model name" : "model name");

	/* then every one of those without its date */
	o->ndated = o->n;
	for (int i = 0; i < o->ndated; i++) {
		size_t k = ac_name_strip_date(o->c[i]);
		if (k < strlen(o->c[i]))
			add(o, o->c[i], k, "no date");
	}
}

/* Hints ------------------------------------------------------------------ */

static int is_delim(char c)
{
	return c == '\0' || strchr("-_.:/@ ", c) != NULL;
}

/* Levenshtein distance of a and b (lengths below AC_NAME_MAX), case-blind;
 * maxd + 1 as soon as every entry of a row exceeds maxd (it can only grow). */
static int levenshtein(const char *a, size_t la, const char *b, size_t lb, int maxd)
{
	int prev[AC_NAME_MAX + 1], cur[AC_NAME_MAX + 1];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int rowmin;
		cur[0] = rowmin = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
			                         tolower((unsigned char)b[j - 1]));
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < rowmin)
				rowmin = cur[j];
		}
		if (rowmin > maxd)
			return maxd + 1;
		memcpy(prev, cur, (lb + 1) * sizeof(int));
	}
	return prev[lb];
}

int ac_name_nearness(const char *q, const char *k)
{
	size_t lq = strlen(q), lk = strlen(k);
	int part = 0;
	if (lk == 0 || lq == 0 || lq >= AC_NAME_MAX || lk >= AC_NAME_MAX)
		return -1;
	/* the shorter as a whole part of the longer, either way round */
	const char *lo = lq >= lk ? q : k, *sh = lq >= lk ? k : q;
	size_t ll = lq >= lk ? lq : lk, ls = lq >= lk ? lk : lq;
	for (size_t i = 0; i + ls <= ll && !part; i++) {
		part = (i == 0 || is_delim(lo[i - 1])) && is_delim(lo[i + ls]) &&
		       strncasecmp(lo + i, sh, ls) == 0;
	}
	if (part)
		return (int)(ll - ls); /* the distance to a part: what surrounds it */
	size_t longer = lq > lk ? lq : lk;
	size_t diff = lq > lk ? lq - lk : lk - lq;
	if (diff * 4 > longer)
		return -1; /* the distance is at least the difference in length */
	int d = levenshtein(q, lq, k, lk, (int)(longer / 4));
	return (size_t)d * 4 <= longer ? d : -1;
}
