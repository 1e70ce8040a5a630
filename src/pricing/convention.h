/*
 * Token conventions (issue #18, item 7): whether a call's input token count
 * includes the cached tokens.
 *
 * OpenAI's prompt_tokens and OTel GenAI's gen_ai.usage.input_tokens include
 * the cache reads and writes; Anthropic's raw input_tokens, as the Vercel AI
 * SDK and several instrumentations report it, exclude them. With
 *   C = cache_read + cache_write:
 *   includes: fresh input = input - C,  prompt = input
 *   excludes: fresh input = input,      prompt = input + C
 * (the prompt chooses the context tier, pricing.h). A call's convention:
 *   - the one stated for its instrumentation scope, else for its system
 *     (service.name), in table token_convention (schema/009), set with
 *     `agentcost prices convention`;
 *   - none stated ("auto"): excludes when input < C (the numbers admit no
 *     other reading), includes otherwise;
 *   - "includes" stated, but input < C: the numbers contradict it; the call
 *     is priced as excludes all the same (never a negative fresh input
 *     clamped to 0) and counted like every other excludes call. "includes"
 *     matters where it overrides: a scope stated "includes" inside a system
 *     stated "excludes".
 * Calls priced as excludes with C > 0 are counted in `summary`
 * (input_excludes_cache_calls).
 */
#ifndef AC_PRICING_CONVENTION_H
#define AC_PRICING_CONVENTION_H

#include <sqlite3.h>

#include "../util/err.h"
#include "pricing.h"

/* 1 when t's input is taken to exclude the cache (rules above, with t->conv
 * the stated convention or AC_CONV_AUTO). */
int ac_tokens_input_excludes_cache(const ac_tokens *t);
/* Fresh (uncached, non-audio) input tokens, the audio input tokens and the
 * whole prompt, by that decision; negative counts count as 0. Audio is a
 * part of the input under both conventions (pricing.h): fresh = input -
 * cache - audio_in (includes) or input - audio_in (excludes), audio_in
 * counting at most the input beside the cache. */
double ac_tokens_fresh_input(const ac_tokens *t);
double ac_tokens_audio_in(const ac_tokens *t);
double ac_tokens_prompt(const ac_tokens *t);

/* The stated conventions, loaded from a store. */
typedef struct ac_conv_set ac_conv_set;

/* Load table token_convention (absent table: none stated). db may be NULL.
 * Returns 0, AC_ENOMEM or AC_ESQL. */
int ac_conv_load(ac_conv_set **out, sqlite3 *db, ac_err *err);
void ac_conv_free(ac_conv_set *cs);
/* The convention stated for scope (checked first) or system; names compare
 * exactly; NULL names match nothing. AC_CONV_AUTO when none is stated. */
int ac_conv_of(const ac_conv_set *cs, const char *system, const char *scope);

/* "includes" / "excludes" / "auto" -> AC_CONV_*, -1 for anything else. */
int ac_conv_parse(const char *word);
const char *ac_conv_name(int conv);

/* Store the convention of a system (kind "system") or scope (kind "scope");
 * AC_CONV_AUTO removes the statement. Sets *changed to 1 when the stored
 * statement changed. Returns 0 or AC_ESQL. */
int ac_conv_store(sqlite3 *db, const char *kind, const char *name, int conv, int *changed,
                  ac_err *err);

#endif
