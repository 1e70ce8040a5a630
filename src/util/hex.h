/*
 * Hex text of ids: trace ids (16 bytes), span ids (8), task keys.
 */
#ifndef AC_HEX_H
#define AC_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void ac_hex(const uint8_t *id, size_t n, char *out);

/* The n bytes written as exactly 2n hex digits (either case) in s[0..len);
 * 0, or -1 when s is anything else. */
int ac_unhex(const char *s, size_t len, uint8_t *out, size_t n);

#endif
