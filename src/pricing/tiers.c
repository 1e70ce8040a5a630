/*
 * The cost formula by service tier, context tier, cache lifetime and audio
 * (pricing.h states it). A row's extra prices are a short list of
 * (service tier, context tier) variants; the lookups below walk it.
 */
#include "pricing.h"
#include "convention.h"

#include <math.h>
#include <strings.h>

int ac_service_tier(const char *value)
{
	static const struct {
		const char *name;
		int tier;
	} names[] = {
		{ "default", AC_TIER_STANDARD }, { "auto", AC_TIER_STANDARD },
		{ "scale", AC_TIER_STANDARD },   { "standard", AC_TIER_STANDARD },
		{ "flex", AC_TIER_FLEX },        { "priority", AC_TIER_PRIORITY },
		{ "batch", AC_TIER_BATCH },
	};
	if (!value || !*value)
		return AC_TIER_STANDARD;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(value, names[i].name) == 0)
			return names[i].tier;
	}
	return -1;
}

int64_t ac_prompt_tokens(const ac_tokens *t)
{
	return (int64_t)ac_tokens_prompt(t); /* the token convention (convention.h) */
}

int64_t ac_price_context(const ac_price *p, int64_t prompt)
{
	int64_t best = 0;
	if (prompt > 200000 && (!isnan(p->input_above_200k) || !isnan(p->output_above_200k)))
		best = 200000;
	for (int i = 0; i < p->nvar; i++) {
		int64_t a = p->var[i].above;
		if (a > best && prompt > a)
			best = a;
	}
	return best;
}

int ac_price_has_tier(const ac_price *p, int tier)
{
	if (tier <= AC_TIER_STANDARD)
		return 1;
	for (int i = 0; i < p->nvar; i++) {
		if (p->var[i].tier != tier)
			continue;
		for (int k = 0; k < AC_PK_N; k++) {
			if (!isnan(p->var[i].v[k]))
				return 1;
		}
	}
	return 0;
}

/* The price of kind in variant (tier, above) of p, NAN when absent. */
static double var_price(const ac_price *p, int kind, int tier, int64_t above)
{
	for (int i = 0; i < p->nvar; i++) {
		if (p->var[i].tier == tier && p->var[i].above == above && !isnan(p->var[i].v[kind]))
			return p->var[i].v[kind];
	}
	if (tier == AC_TIER_STANDARD && above == 200000) {
		if (kind == AC_PK_INPUT)
			return p->input_above_200k;
		if (kind == AC_PK_OUTPUT)
			return p->output_above_200k;
	}
	if (tier == AC_TIER_STANDARD && above == 0) {
		switch (kind) {
		case AC_PK_INPUT: return p->input;
		case AC_PK_OUTPUT: return p->output;
		case AC_PK_CACHE_READ: return p->cache_read;
		case AC_PK_CACHE_WRITE: return p->cache_write;
		case AC_PK_REASONING: return p->reasoning;
		default: break;
		}
	}
	return NAN;
}

double ac_price_of(const ac_price *p, int kind, int tier, int64_t above)
{
	double v = NAN;
	if (tier < 0)
		tier = AC_TIER_STANDARD;
	/* most specific first: tier + context tier, context tier, tier, standard */
	if (above > 0 && tier != AC_TIER_STANDARD)
		v = var_price(p, kind, tier, above);
	if (isnan(v) && above > 0)
		v = var_price(p, kind, AC_TIER_STANDARD, above);
	if (isnan(v) && tier != AC_TIER_STANDARD)
		v = var_price(p, kind, tier, 0);
	if (isnan(v))
		v = var_price(p, kind, AC_TIER_STANDARD, 0);
	if (!isnan(v))
		return v;
	switch (kind) {
	case AC_PK_CACHE_READ:
	case AC_PK_CACHE_WRITE:
	case AC_PK_AUDIO_IN:
		return ac_price_of(p, AC_PK_INPUT, tier, above);
	case AC_PK_CACHE_WRITE_1H:
		return ac_price_of(p, AC_PK_CACHE_WRITE, tier, above);
	case AC_PK_REASONING:
	case AC_PK_AUDIO_OUT:
		return ac_price_of(p, AC_PK_OUTPUT, tier, above);
	default:
		return 0; /* input and output are required: not reached for a valid row */
	}
}

static double nonneg(double v)
{
	return v > 0 ? v : 0;
}


/* The formula's terms in the order pricing.h writes them; ac_cost_llm_at
 * sums them in this order, so a split and the cost are the same numbers. */
double ac_cost_llm_split(const ac_price *p, const ac_tokens *t, int tier, int64_t prompt,
                         ac_cost_split *out)
{
	int fb = 0;
	if (tier < 0)
		tier = AC_TIER_STANDARD; /* an unknown tier prices as standard, no fallback */
	if (tier > AC_TIER_STANDARD && !ac_price_has_tier(p, tier)) {
		fb = 1;
		tier = AC_TIER_STANDARD;
	}
	int64_t above = ac_price_context(p, prompt);

	/* Negative counts are nonsense from a producer: treat them as 0;
	 * a part is at most its whole. */
	double out_tok = nonneg((double)t->out);
	double cr = nonneg((double)t->cache_read), cw = nonneg((double)t->cache_write);
	double cw1h = fmin(nonneg((double)t->cache_write_1h), cw);
	double rs = nonneg((double)t->reasoning);
	/* fresh input and audio input by the token convention (convention.h):
	 * never clamped to hide it */
	double ain = ac_tokens_audio_in(t), aout = nonneg((double)t->audio_out);
	const struct {
		int kind;
		double tokens;
	} terms[AC_PK_N] = {
		{ AC_PK_INPUT, ac_tokens_fresh_input(t) },
		{ AC_PK_AUDIO_IN, ain },
		{ AC_PK_CACHE_READ, cr },
		{ AC_PK_CACHE_WRITE, cw - cw1h },
		{ AC_PK_CACHE_WRITE_1H, cw1h },
		{ AC_PK_OUTPUT, nonneg(out_tok - rs - aout) },
		{ AC_PK_REASONING, rs },
		{ AC_PK_AUDIO_OUT, aout },
	};
	double usd_per_m = 0;
	for (int i = 0; i < AC_PK_N; i++) {
		double price = ac_price_of(p, terms[i].kind, tier, above);
		usd_per_m = i ? usd_per_m + terms[i].tokens * price : terms[i].tokens * price;
		out->term[i].kind = terms[i].kind;
		out->term[i].tokens = terms[i].tokens;
		out->term[i].per_mtok = price;
	}
	out->tier = tier;
	out->above = above;
	out->fellback = fb;
	return usd_per_m / 1e6;
}

double ac_cost_llm_at(const ac_price *p, const ac_tokens *t, int tier, int64_t prompt,
                      int *fellback)
{
	ac_cost_split sp;
	double usd = ac_cost_llm_split(p, t, tier, prompt, &sp);
	if (fellback)
		*fellback = sp.fellback;
	return usd;
}
