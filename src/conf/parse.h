/* SPDX-License-Identifier: BSD-2-Clause */
/* Value parsers for configuration keys: strict, no locale, no allocation. */
#ifndef XLATD_CONF_PARSE_H
#define XLATD_CONF_PARSE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "xlatd/xlat.h"

bool parse_bool(const char *s, bool *out);
bool parse_u16(const char *s, unsigned min, unsigned max, uint16_t *out);
bool parse_in4(const char *s, struct in_addr *out);
bool parse_in6(const char *s, struct in6_addr *out);
bool parse_prefix4(const char *s, struct xlat_prefix4 *out);
bool parse_prefix6(const char *s, bool need_len, struct xlat_prefix6 *out);
bool parse_host_bits_zero(const uint8_t *addr, unsigned size, unsigned len);

#endif
