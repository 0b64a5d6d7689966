/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Setters shared by the key tables (src/conf/keys.c, the daemon's
 * config.c): each parses value into *out and returns 0, or returns -1
 * with why it is wrong in err, quoting at most CONF_QUOTE_MAX bytes of it.
 */
#ifndef XLATD_CONF_SET_H
#define XLATD_CONF_SET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xlatd/xlat.h"

#define CONF_QUOTE_MAX 64

/* Writes the message into err; returns -1. */
int conf_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int conf_set_bool(bool *out, const char *value, char *err, size_t errlen);
int conf_set_u16(uint16_t *out, unsigned min, unsigned max, const char *value,
		 char *err, size_t errlen);
/* An address or prefix that may be left out: an empty value sets *has
 * to false. The error message ends with "(or <empty>)": empty names what
 * else the key takes and what it means ("empty to unset"). */
int conf_set_opt_in4(bool *has, struct in_addr *out, const char *value,
		     const char *empty, char *err, size_t errlen);
int conf_set_opt_in6(bool *has, struct in6_addr *out, const char *value,
		     const char *empty, char *err, size_t errlen);
/* A PLAT prefix (conf_set_rfc6052_prefix) that may be left out. */
int conf_set_opt_prefix6(bool *has, struct xlat_prefix6 *out, const char *value,
			 const char *empty, char *err, size_t errlen);
/* An RFC 6052 prefix (RFC 6052 §2.2): one of the lengths that may carry
 * an IPv4 address, no bits after the length, and the u-octet zero;
 * or_else ends the message for a value that is no prefix at all (what
 * else the key takes, or ""). */
int conf_set_rfc6052_prefix(struct xlat_prefix6 *out, const char *value,
			    const char *or_else, char *err, size_t errlen);
/* RFC 7757 §3.2 checks of one mapping; value is quoted in the message. */
int conf_check_eam(const struct xlat_prefix6 *p6, const struct xlat_prefix4 *p4,
		   const char *value, char *err, size_t errlen);

#endif
