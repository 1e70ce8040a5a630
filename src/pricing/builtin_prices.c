/*
 * Built-in price table: the list prices of the common OpenAI, Anthropic and
 * Google models, compiled into the binary so that a fresh store prices the
 * usual spans without an import. Imported rows (tables `price`, `tool_price`)
 * beat these at every step of name resolution (see pricing.h).
 *
 * Units are USD per million tokens; NAN marks an absent optional price (a
 * cache price then falls back to the input price, a reasoning price to the
 * output price). Names carry no provider prefix and no date suffix: resolution
 * strips "openai/", "-2024-07-18", "-20241022", "@20241022". A dated name is
 * listed only when that snapshot is priced differently from the base name
 * (gpt-4o-2024-05-13).
 *
 * Every entry was cross-checked against LiteLLM's
 * model_prices_and_context_window.json (commit be9f2e0, 2025-11-22; copy in
 * /work/shared/fixtures/third_party/litellm_model_prices.json) and against the
 * providers' own price pages; tests/unit/test_pricing.c checks the agreement
 * with LiteLLM for every built-in model it lists. Deliberate differences:
 *   - claude-3-5-haiku-latest: LiteLLM has 1.00/5.00 (the price announced in
 *     November 2024, cut to 0.80/4.00 before general use; its dated entry
 *     claude-3-5-haiku-20241022 has 0.80/4.00). The alias is priced as the base.
 *   - gemini-1.5-pro, gemini-1.5-flash have Google's prices (with their
 *     128k tier and cache reads), not LiteLLM's: its gemini/gemini-1.5-pro
 *     still has the price before the October 2024 cut (3.50/10.50), its
 *     Vertex gemini-1.5-flash has 1.00 per MTok input above 128k.
 *   - The built-in rows carry no above-200k cache prices (Anthropic and
 *     Gemini) except claude-sonnet-4's: cache tokens stay at the base cache
 *     price there; import LiteLLM's table for them.
 * Service tiers, 1-hour cache writes and audio (issue #18): only the models
 * `agentcost gen --price-dimensions` uses have them, all as LiteLLM records
 * them: gpt-4o and gpt-4o-mini (priority, batch), gpt-5-mini (flex,
 * priority), claude-sonnet-4 (1-hour cache write 2 x input; above 200k:
 * cache read 0.60, cache write 7.50), gpt-4o-mini-audio-preview (audio in
 * and out). No difference from LiteLLM. Not stated by LiteLLM, so absent
 * here: the batch prices of gpt-5-mini and of Anthropic's own Message
 * Batches API (a batch call of claude-sonnet-4 is a tier fallback, counted),
 * the batch cache read price of gpt-4o/gpt-4o-mini (falls back to the
 * standard cache read), claude-sonnet-4's 1-hour write above 200k (falls
 * back to the base 1-hour price 6.00; Anthropic bills 12.00).
 * Only current list prices are listed, without history (from_day is always
 * AC_DAY_ALWAYS); a price you need for an earlier period goes in an import
 * with effective_from. Models whose price is not certain are left out on
 * purpose: a wrong price is worse than none.
 */
#include <math.h>
#include <stddef.h>

#include "pricing.h"

/* input, output, cache read, cache write; no reasoning or above-200k price */
#define P4(in, out, cr, cw) { AC_DAY_ALWAYS, in, out, cr, cw, NAN, NAN, NAN, 0, NULL }
/* the same plus the prices of prompts over 200,000 input tokens */
#define P6(in, out, cr, cw, in200, out200) \
	{ AC_DAY_ALWAYS, in, out, cr, cw, NAN, in200, out200, 0, NULL }
/* P4 plus variants (service or context tiers, pricing.h) */
#define PV(in, out, cr, cw, var) \
	{ AC_DAY_ALWAYS, in, out, cr, cw, NAN, NAN, NAN, (int)(sizeof(var) / sizeof(var[0])), var }
/* one variant: standard tier above `above` prompt tokens: input, output, cache read */
#define ABOVE(above, in, out, cr) \
	{ AC_TIER_STANDARD, above, { in, out, cr, NAN, NAN, NAN, NAN, NAN } }

/* P6 plus variants */
#define P6V(in, out, cr, cw, in200, out200, var) \
	{ AC_DAY_ALWAYS, in, out, cr, cw, NAN, in200, out200, (int)(sizeof(var) / sizeof(var[0])), var }
/* one variant of service tier `tier` (AC_TIER_*), base context: input, output, cache read */
#define TIER(tier, in, out, cr) \
	{ tier, 0, { in, out, cr, NAN, NAN, NAN, NAN, NAN } }

/* OpenAI service tiers (platform.openai.com/docs/pricing, "Batch",
 * "Flex", "Priority"; LiteLLM's *_batches, *_flex, *_priority). */
static const ac_price_var gpt_4o_tiers[] = { TIER(AC_TIER_PRIORITY, 4.25, 17.00, 2.125),
	                                     TIER(AC_TIER_BATCH, 1.25, 5.00, NAN) };
static const ac_price_var gpt_4o_mini_tiers[] = { TIER(AC_TIER_PRIORITY, 0.25, 1.00, 0.125),
	                                          TIER(AC_TIER_BATCH, 0.075, 0.30, NAN) };
static const ac_price_var gpt_5_mini_tiers[] = { TIER(AC_TIER_FLEX, 0.125, 1.00, 0.0125),
	                                         TIER(AC_TIER_PRIORITY, 0.45, 3.60, 0.045) };
/* Audio tokens: input 10.00, output 20.00 (the text tokens at 0.15 / 0.60). */
static const ac_price_var gpt_4o_mini_audio[] = {
	{ AC_TIER_STANDARD, 0, { NAN, NAN, NAN, NAN, NAN, NAN, 10.00, 20.00 } }
};
/* Claude Sonnet 4: the 1-hour cache write is 2 x input; prompts over
 * 200,000 tokens (the 1M-context beta) pay 6.00 / 22.50 (the P6 columns),
 * cache read 0.60 and cache write 7.50. */
static const ac_price_var claude_sonnet_4_var[] = {
	{ AC_TIER_STANDARD, 0, { NAN, NAN, NAN, NAN, 6.00, NAN, NAN, NAN } },
	{ AC_TIER_STANDARD, 200000, { NAN, NAN, 0.60, 7.50, NAN, NAN, NAN, NAN } },
};

/* Gemini 1.5 (ai.google.dev/pricing, after the October 2024 cut): prompts
 * over 128,000 tokens cost twice as much, cached input included. */
static const ac_price_var gemini_15_pro_128k[] = { ABOVE(128000, 2.50, 10.00, 0.625) };
static const ac_price_var gemini_15_flash_128k[] = { ABOVE(128000, 0.15, 0.60, 0.0375) };

static const ac_builtin_price builtins[] = {
	/* OpenAI (platform.openai.com/docs/pricing). Cached input is billed at
	 * the cache read price; there is no separate cache write price, so it
	 * is absent and cache writes fall back to the input price. Reasoning
	 * tokens are billed as output. */
	{ "gpt-4o", PV(2.50, 10.00, 1.25, NAN, gpt_4o_tiers) },
	{ "gpt-4o-2024-05-13", P4(5.00, 15.00, NAN, NAN) }, /* first snapshot, dearer */
	{ "gpt-4o-mini", PV(0.15, 0.60, 0.075, NAN, gpt_4o_mini_tiers) },
	{ "gpt-4o-mini-audio-preview", PV(0.15, 0.60, NAN, NAN, gpt_4o_mini_audio) },
	{ "gpt-4.1", P4(2.00, 8.00, 0.50, NAN) },
	{ "gpt-4.1-mini", P4(0.40, 1.60, 0.10, NAN) },
	{ "gpt-4.1-nano", P4(0.10, 0.40, 0.025, NAN) },
	{ "gpt-5", P4(1.25, 10.00, 0.125, NAN) },
	{ "gpt-5-mini", PV(0.25, 2.00, 0.025, NAN, gpt_5_mini_tiers) },
	{ "gpt-5-nano", P4(0.05, 0.40, 0.005, NAN) },
	{ "o1", P4(15.00, 60.00, 7.50, NAN) },
	{ "o3", P4(2.00, 8.00, 0.50, NAN) }, /* after the June 2025 price cut */
	{ "o3-mini", P4(1.10, 4.40, 0.55, NAN) },
	{ "o4-mini", P4(1.10, 4.40, 0.275, NAN) },
	{ "gpt-4-turbo", P4(10.00, 30.00, NAN, NAN) },
	{ "gpt-4", P4(30.00, 60.00, NAN, NAN) },
	{ "gpt-3.5-turbo", P4(0.50, 1.50, NAN, NAN) },
	{ "text-embedding-3-small", P4(0.02, 0.00, NAN, NAN) },
	{ "text-embedding-3-large", P4(0.13, 0.00, NAN, NAN) },
	{ "text-embedding-ada-002", P4(0.10, 0.00, NAN, NAN) },

	/* Anthropic (docs.anthropic.com, "Pricing"). Cache write is the
	 * 5-minute write (1.25 x input), cache read 0.1 x input. The "-latest"
	 * aliases are the ones Anthropic publishes. */
	{ "claude-3-haiku", P4(0.25, 1.25, 0.03, 0.30) },
	{ "claude-3-opus", P4(15.00, 75.00, 1.50, 18.75) },
	{ "claude-3-opus-latest", P4(15.00, 75.00, 1.50, 18.75) },
	{ "claude-3-5-haiku", P4(0.80, 4.00, 0.08, 1.00) },
	{ "claude-3-5-haiku-latest", P4(0.80, 4.00, 0.08, 1.00) },
	{ "claude-3-5-sonnet", P4(3.00, 15.00, 0.30, 3.75) },
	{ "claude-3-5-sonnet-latest", P4(3.00, 15.00, 0.30, 3.75) },
	{ "claude-3-7-sonnet", P4(3.00, 15.00, 0.30, 3.75) },
	{ "claude-3-7-sonnet-latest", P4(3.00, 15.00, 0.30, 3.75) },
	{ "claude-sonnet-4", P6V(3.00, 15.00, 0.30, 3.75, 6.00, 22.50, claude_sonnet_4_var) },
	{ "claude-sonnet-4-5", P6(3.00, 15.00, 0.30, 3.75, 6.00, 22.50) },
	{ "claude-opus-4", P4(15.00, 75.00, 1.50, 18.75) },
	{ "claude-opus-4-1", P4(15.00, 75.00, 1.50, 18.75) },
	{ "claude-haiku-4-5", P4(1.00, 5.00, 0.10, 1.25) },

	/* Google Gemini (ai.google.dev/pricing, text input; Vertex AI lists the
	 * same). Gemini has no cache write price (storage is billed per hour,
	 * which a span cannot carry). Thinking tokens are billed as output. */
	{ "gemini-2.0-flash", P4(0.10, 0.40, 0.025, NAN) },
	{ "gemini-2.0-flash-lite", P4(0.075, 0.30, 0.01875, NAN) },
	{ "gemini-2.5-flash", P4(0.30, 2.50, 0.03, NAN) },
	{ "gemini-2.5-pro", P6(1.25, 10.00, 0.125, NAN, 2.50, 15.00) },
	{ "gemini-1.5-pro", PV(1.25, 5.00, 0.3125, NAN, gemini_15_pro_128k) },
	{ "gemini-1.5-flash", PV(0.075, 0.30, 0.01875, NAN, gemini_15_flash_128k) },
};

const ac_builtin_price *ac_pricing_builtins(int *n)
{
	*n = (int)(sizeof(builtins) / sizeof(builtins[0]));
	return builtins;
}
