#include "hex.h"

void ac_hex(const uint8_t *id, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[id[i] >> 4];
		out[2 * i + 1] = digits[id[i] & 15];
	}
	out[2 * n] = '\0';
}

static int nibble(char c)
{
	unsigned u = (unsigned char)c;
	if (u - '0' < 10)
		return (int)(u - '0');
	u = (u | 0x20) - 'a'; /* either case */
	return u < 6 ? (int)u + 10 : -1;
}

int ac_unhex(const char *s, size_t len, uint8_t *out, size_t n)
{
	if (len != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
		if ((hi | lo) < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
