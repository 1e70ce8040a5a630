/*
 * Model-name patterns of imported price rows (Langfuse's matchPattern): a
 * JavaScript-style regular expression turned into a POSIX extended one for
 * regcomp(3). Private to src/pricing/.
 */
#ifndef AC_PRICING_PATTERN_H
#define AC_PRICING_PATTERN_H

#include <stddef.h>
#include <regex.h>

/*
 * Compile pattern into *re (REG_EXTENDED | REG_NOSUB | REG_ICASE). Only
 * patterns that start with "(?i)" are taken: model names compare ignoring
 * ASCII case everywhere in agentcost. Accepted beyond POSIX ERE: "(?:" (a
 * plain group), "\d" ([0-9]), an escaped punctuation character. Refused:
 * look-around, lazy quantifiers, back-references, other classes (\w \s \b),
 * escapes inside brackets other than \d and punctuation. Returns 0 (free
 * *re with regfree), or -1 with the reason in why (why_size bytes).
 */
int ac_price_pattern_compile(regex_t *re, const char *pattern, char *why, size_t why_size);

#endif
