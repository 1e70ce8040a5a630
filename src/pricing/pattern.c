/*
 * Model-name patterns: Langfuse's matchPattern, e.g.
 * "(?i)^(openai\/)?(gpt-4o-mini)(-2024-07-18)?$", written for JavaScript's
 * RegExp, translated to POSIX ERE so that regcomp(3) can run it. The
 * translation accepts only what it can carry over exactly and refuses the
 * rest: a refused pattern leaves its model matched by name.
 */
#include "pattern.h"

#include <stdio.h>
#include <string.h>

#define MAX_PATTERN 512

/* Punctuation that may be escaped in JavaScript and is literal as itself
 * (outside brackets) in POSIX ERE once the backslash is dropped. */
static int plain_punct(char c)
{
	return c && strchr("/-_:@#%&=,;'\"~`!<> ", c) != NULL;
}

/* ERE special characters: kept escaped. */
static int ere_special(char c)
{
	return c && strchr(".()[]{}*+?|^$\\", c) != NULL;
}

/* Most copies counted repetitions ({n}, {n,m}) may make of what they repeat,
 * all of them multiplied: regcomp(3) builds each copy, so "(a{99}){99}"
 * costs memory in the product (a model name needs none of this). */
#define MAX_REPEAT_PRODUCT 1000

/* A counted repetition at p ("{n}", "{n,}", "{n,m}"): its largest count
 * (its lower bound when open) into *count and its length, or 0 when p does
 * not start one (JavaScript then reads '{' as itself; so does ERE here). */
static size_t counted(const char *p, long *count)
{
	const char *q = p + 1;
	long a = 0, b = -1;
	if (*q < '0' || *q > '9')
		return 0;
	while (*q >= '0' && *q <= '9' && a <= 100000)
		a = a * 10 + (*q++ - '0');
	if (*q == ',') {
		q++;
		if (*q >= '0' && *q <= '9') {
			b = 0;
			while (*q >= '0' && *q <= '9' && b <= 100000)
				b = b * 10 + (*q++ - '0');
		}
	}
	if (*q != '}')
		return 0;
	*count = b > a ? b : a;
	return (size_t)(q - p) + 1;
}

/* Over 100 lines on purpose: one pass of a small translator whose state (out, n, in_bracket, after_quant,
 * product) and EMIT/REFUSE exits every branch shares; split, each piece would carry all of it. */
int ac_price_pattern_compile(regex_t *re, const char *pattern, char *why, size_t why_size)
{
	char out[MAX_PATTERN * 6 + 1];
	size_t n = 0;
	int in_bracket = 0, after_quant = 0;
	long product = 1;
	const char *p = pattern;

#define EMIT(s)                                              \
	do {                                                 \
		size_t l_ = strlen(s);                       \
		if (n + l_ >= sizeof(out))                   \
			goto too_long;                       \
		memcpy(out + n, (s), l_);                    \
		n += l_;                                     \
	} while (0)
#define REFUSE(...)                                          \
	do {                                                 \
		snprintf(why, why_size, __VA_ARGS__);        \
		return -1;                                   \
	} while (0)

	if (strlen(pattern) > MAX_PATTERN)
		REFUSE("longer than %d characters", MAX_PATTERN);
	if (strncmp(p, "(?i)", 4) != 0)
		REFUSE("case-sensitive (no leading (?i)); names here compare ignoring case");
	p += 4;
	for (; *p; p++) {
		char c = *p, one[2] = { c, '\0' };
		int was_quant = after_quant; /* the item just before was a quantifier */
		after_quant = 0;
		if (c == '\\') {
			char e = p[1];
			if (!e)
				REFUSE("ends in a backslash");
			p++;
			if (e == 'd') {
				EMIT(in_bracket ? "0-9" : "[0-9]");
			} else if (in_bracket && (plain_punct(e) || e == '.') && e != '-') {
				one[0] = e;
				EMIT(one);
			} else if (!in_bracket && ere_special(e)) {
				char esc[3] = { '\\', e, '\0' };
				EMIT(esc);
			} else if (!in_bracket && plain_punct(e)) {
				one[0] = e;
				EMIT(one);
			} else {
				REFUSE("uses \\%c, which POSIX ERE lacks", e);
			}
			continue;
		}
		if (in_bracket) {
			if (c == ']')
				in_bracket = 0;
			else if (c == '[')
				REFUSE("uses '[' inside a bracket expression");
			EMIT(one);
			continue;
		}
		if (c == '[') {
			/* "[]" and "[^]" mean different things in the two dialects */
			if (p[1] == ']' || (p[1] == '^' && p[2] == ']'))
				REFUSE("uses an empty bracket expression");
			in_bracket = 1;
			EMIT("[");
			if (p[1] == '^') {
				EMIT("^");
				p++;
			}
			continue;
		}
		if (c == '(' && p[1] == '?') {
			if (p[2] != ':')
				REFUSE("uses (?%c, which POSIX ERE lacks", p[2] ? p[2] : ' ');
			EMIT("(");
			p += 2;
			continue;
		}
		if ((c == '*' || c == '+' || c == '?' || c == '}') && p[1] == '?')
			REFUSE("uses a lazy quantifier (%c?)", c);
		long count = 0;
		size_t clen = c == '{' ? counted(p, &count) : 0;
		int quant = c == '*' || c == '+' || c == '?' || clen > 0;
		/* "a++" is a syntax error in JavaScript ("nothing to repeat"), and
		 * stacked quantifiers make regcomp build copies upon copies */
		if (quant && was_quant)
			REFUSE("stacks quantifiers (%.*s after a quantifier)", clen ? (int)clen : 1, p);
		after_quant = quant;
		if (clen) {
			product *= count > 1 ? count : 1;
			if (product > MAX_REPEAT_PRODUCT)
				REFUSE("repeats more than %d times in all ({n,m} counts multiplied)",
				       MAX_REPEAT_PRODUCT);
			char rep[32];
			snprintf(rep, sizeof(rep), "%.*s", (int)clen, p);
			EMIT(rep);
			p += clen - 1;
			continue;
		}
		EMIT(one);
	}
	if (in_bracket)
		REFUSE("has an unclosed bracket expression");
	out[n] = '\0';
	int rc = regcomp(re, out, REG_EXTENDED | REG_NOSUB | REG_ICASE);
	if (rc != 0) {
		char msg[128];
		regerror(rc, re, msg, sizeof(msg));
		REFUSE("regcomp: %s", msg);
	}
	return 0;
too_long:
	REFUSE("too long once translated");
#undef EMIT
#undef REFUSE
}
