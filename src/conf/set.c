/* SPDX-License-Identifier: BSD-2-Clause */
/* Setters that more than one key table uses: parse, store, or explain. */
#include <stdarg.h>
#include <stdio.h>

#include "parse.h"
#include "set.h"
#include "xlatd/xlat_rfc6052.h"

int
conf_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int
conf_set_bool(bool *out, const char *value, char *err, size_t errlen)
{
	if (!parse_bool(value, out))
		return conf_fail(err, errlen,
				 "'%.*s' is not a boolean (yes/no, true/false, "
				 "on/off, 1/0)",
				 CONF_QUOTE_MAX, value);
	return 0;
}

int
conf_set_u16(uint16_t *out, unsigned min, unsigned max, const char *value,
	     char *err, size_t errlen)
{
	if (!parse_u16(value, min, max, out))
		return conf_fail(err, errlen,
				 "'%.*s' is not a number between %u and %u",
				 CONF_QUOTE_MAX, value, min, max);
	return 0;
}

int
conf_set_opt_in4(bool *has, struct in_addr *out, const char *value,
		 const char *empty, char *err, size_t errlen)
{
	struct in_addr a;

	if (*value == '\0') {
		*has = false;
		return 0;
	}
	if (!parse_in4(value, &a))
		return conf_fail(err, errlen,
				 "'%.*s' is not an IPv4 address (or %s)",
				 CONF_QUOTE_MAX, value, empty);
	*out = a;
	*has = true;
	return 0;
}

int
conf_set_opt_in6(bool *has, struct in6_addr *out, const char *value,
		 const char *empty, char *err, size_t errlen)
{
	struct in6_addr a;

	if (*value == '\0') {
		*has = false;
		return 0;
	}
	if (!parse_in6(value, &a))
		return conf_fail(err, errlen,
				 "'%.*s' is not an IPv6 address (or %s)",
				 CONF_QUOTE_MAX, value, empty);
	*out = a;
	*has = true;
	return 0;
}

int
conf_set_opt_prefix6(bool *has, struct xlat_prefix6 *out, const char *value,
		     const char *empty, char *err, size_t errlen)
{
	char or_else[96];

	if (*value == '\0') {
		*has = false;
		return 0;
	}
	snprintf(or_else, sizeof(or_else), " (or %s)", empty);
	if (conf_set_rfc6052_prefix(out, value, or_else, err, errlen) < 0)
		return -1;
	*has = true;
	return 0;
}

/* RFC 6052 §2.2: the prefix length is 32, 40, 48, 56, 64 or 96 and bits
 * 64 to 71 (the u-octet) are zero. */
int
conf_set_rfc6052_prefix(struct xlat_prefix6 *out, const char *value,
			const char *or_else, char *err, size_t errlen)
{
	struct xlat_prefix6 p;

	if (!parse_prefix6(value, true, &p))
		return conf_fail(
			err, errlen,
			"'%.*s' is not an IPv6 prefix ADDRESS/LENGTH%s",
			CONF_QUOTE_MAX, value, or_else);
	if (!xlat_rfc6052_len_valid(p.len))
		return conf_fail(
			err, errlen,
			"length %u of '%.*s' is not one of 32, 40, 48, 56, "
			"64, 96 (RFC 6052 §2.2)",
			p.len, CONF_QUOTE_MAX, value);
	if (!parse_host_bits_zero(p.addr.s6_addr, 16, p.len))
		return conf_fail(err, errlen, "'%.*s' has bits set after /%u",
				 CONF_QUOTE_MAX, value, p.len);
	if (!xlat_prefix6_valid(&p))
		return conf_fail(err, errlen,
				 "'%.*s' has bits 64-71 (the u-octet) set "
				 "(RFC 6052 §2.2)",
				 CONF_QUOTE_MAX, value);
	*out = p;
	return 0;
}

/* RFC 7757 §3.2: the IPv4 suffix fits in the IPv6 suffix, and neither
 * prefix has bits set after its length. */
int
conf_check_eam(const struct xlat_prefix6 *p6, const struct xlat_prefix4 *p4,
	       const char *value, char *err, size_t errlen)
{
	if (128 - p6->len < 32 - p4->len)
		return conf_fail(
			err, errlen,
			"'%.*s': /%u and /%u leave %u and %u suffix bits; "
			"the IPv6 suffix must be at least as long",
			CONF_QUOTE_MAX, value, p6->len, p4->len, 128 - p6->len,
			32 - p4->len);
	if (!parse_host_bits_zero(p6->addr.s6_addr, 16, p6->len) ||
	    !parse_host_bits_zero((const uint8_t *)&p4->addr, 4, p4->len))
		return conf_fail(err, errlen,
				 "'%.*s' has bits set after a prefix",
				 CONF_QUOTE_MAX, value);
	return 0;
}
