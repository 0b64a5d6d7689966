/* SPDX-License-Identifier: BSD-2-Clause */
/* Value parsers for configuration keys: strict, no locale, no allocation. */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

bool
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* Decimal digits only: no sign, no spaces, no base prefix. */
static bool
parse_decimal(const char *s, unsigned max, unsigned *out)
{
	unsigned v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

bool
parse_u16(const char *s, unsigned min, unsigned max, uint16_t *out)
{
	unsigned v;

	if (!parse_decimal(s, max, &v) || v < min)
		return false;
	*out = (uint16_t)v;
	return true;
}

bool
parse_in4(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1;
}

bool
parse_in6(const char *s, struct in6_addr *out)
{
	return inet_pton(AF_INET6, s, out) == 1;
}

/* Split "ADDRESS/LENGTH" into addr (a buffer of size) and a length of at
 * most max. Without a slash the length is max, unless need_len is set. */
static bool
split_prefix(const char *s, char *addr, size_t size, unsigned max,
	     bool need_len, unsigned *len)
{
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);

	if (n >= size)
		return false;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (slash == NULL) {
		*len = max;
		return !need_len;
	}
	return parse_decimal(slash + 1, max, len);
}

bool
parse_prefix4(const char *s, struct xlat_prefix4 *out)
{
	char addr[INET_ADDRSTRLEN];
	unsigned len;

	if (!split_prefix(s, addr, sizeof(addr), 32, false, &len) ||
	    !parse_in4(addr, &out->addr))
		return false;
	out->len = (uint8_t)len;
	return true;
}

bool
parse_prefix6(const char *s, bool need_len, struct xlat_prefix6 *out)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned len;

	if (!split_prefix(s, addr, sizeof(addr), 128, need_len, &len) ||
	    !parse_in6(addr, &out->addr))
		return false;
	out->len = (uint8_t)len;
	return true;
}

/* Whether every bit of addr (size bytes) after the first len is zero. */
bool
parse_host_bits_zero(const uint8_t *addr, unsigned size, unsigned len)
{
	unsigned i;

	for (i = len / 8; i < size; i++) {
		uint8_t host =
			i == len / 8 ? (uint8_t)(0xff >> (len % 8)) : 0xff;

		if ((addr[i] & host) != 0)
			return false;
	}
	return true;
}
