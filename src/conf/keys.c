/* SPDX-License-Identifier: BSD-2-Clause */
/* The translator's configuration keys: one setter per key, and the table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "parse.h"
#include "set.h"

/* The translator's unset values: no prefix, no address. */
#define UNSET "empty to unset"

static int
set_plat_prefix(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_opt_prefix6(&cfg->has_pool6, &cfg->pool6, value, UNSET,
				    err, errlen);
}

static bool
eam_exists(const struct xlat_cfg *cfg, const struct xlat_prefix6 *p6,
	   const struct xlat_prefix4 *p4)
{
	unsigned i;

	for (i = 0; i < cfg->eam_count; i++) {
		const struct xlat_eam *e = &cfg->eam[i];

		if (e->p6.len == p6->len &&
		    memcmp(&e->p6.addr, &p6->addr, sizeof(p6->addr)) == 0)
			return true;
		if (e->p4.len == p4->len &&
		    memcmp(&e->p4.addr, &p4->addr, sizeof(p4->addr)) == 0)
			return true;
	}
	return false;
}

/* RFC 7757 §3.2: one entry maps an IPv6 prefix to an IPv4 prefix whose
 * suffix fits in the IPv6 suffix. An empty value empties the table. */
static int
set_eam(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;
	char v6[CONF_VALUE_MAX];
	const char *comma = strchr(value, ',');
	struct xlat_prefix6 p6;
	struct xlat_prefix4 p4;

	if (*value == '\0') {
		cfg->eam_count = 0;
		memset(cfg->eam, 0, sizeof(cfg->eam));
		return 0;
	}
	if (comma == NULL || (size_t)(comma - value) >= sizeof(v6))
		return conf_fail(
			err, errlen,
			"'%.*s' is not IPV6PREFIX,IPV4PREFIX (or empty to "
			"clear all entries)",
			CONF_QUOTE_MAX, value);
	memcpy(v6, value, (size_t)(comma - value));
	v6[comma - value] = '\0';
	if (!parse_prefix6(v6, false, &p6))
		return conf_fail(err, errlen, "'%.*s' is not an IPv6 prefix",
				 CONF_QUOTE_MAX, v6);
	if (!parse_prefix4(comma + 1, &p4))
		return conf_fail(err, errlen, "'%.*s' is not an IPv4 prefix",
				 CONF_QUOTE_MAX, comma + 1);
	if (conf_check_eam(&p6, &p4, value, err, errlen) < 0)
		return -1;
	if (eam_exists(cfg, &p6, &p4))
		return conf_fail(err, errlen,
				 "'%.*s' repeats a prefix already mapped",
				 CONF_QUOTE_MAX, value);
	if (!xlat_eam_add(cfg, &p6, &p4))
		return conf_fail(err, errlen,
				 "table is full (at most %d entries)",
				 XLAT_EAM_MAX);
	return 0;
}

static int
set_clat_v4(void *obj, const char *value, char *err, size_t errlen)
{
	struct conf *conf = obj;

	return conf_set_opt_in4(&conf->has_clat_v4, &conf->clat_v4, value,
				UNSET, err, errlen);
}

static int
set_clat_v6(void *obj, const char *value, char *err, size_t errlen)
{
	struct conf *conf = obj;

	return conf_set_opt_in6(&conf->has_clat_v6, &conf->clat_v6, value,
				UNSET, err, errlen);
}

static int
set_own4(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_opt_in4(&cfg->has_own4, &cfg->own4, value, UNSET, err,
				errlen);
}

static int
set_own6(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_opt_in6(&cfg->has_own6, &cfg->own6, value, UNSET, err,
				errlen);
}

static int
set_rfc6791_v4(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_opt_in4(&cfg->has_rfc6791_v4, &cfg->rfc6791_v4, value,
				UNSET, err, errlen);
}

static int
set_rfc6791_v6(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_opt_in6(&cfg->has_rfc6791_v6, &cfg->rfc6791_v6, value,
				UNSET, err, errlen);
}

/* RFC 7915 §4: IPv4 packets without DF are fragmented to this size. */
static int
set_lowest_ipv6_mtu(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_u16(&cfg->lowest_ipv6_mtu, XLAT_IPV6_MIN_MTU,
			    UINT16_MAX, value, err, errlen);
}

/* RFC 791: every IPv4 link carries at least 68 bytes. */
static int
set_mtu_v4(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_u16(&cfg->mtu_v4, 68, UINT16_MAX, value, err, errlen);
}

/* RFC 8200 §5: every IPv6 link carries at least 1280 bytes. */
static int
set_mtu_v6(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_u16(&cfg->mtu_v6, XLAT_IPV6_MIN_MTU, UINT16_MAX, value,
			    err, errlen);
}

/* RFC 4443 §2.4(f): ICMP errors sent, a second; 0: no limit. */
static int
set_icmp_error_rate(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_u16(&cfg->icmp_error_rate, 0, UINT16_MAX, value, err,
			    errlen);
}

static int
set_amend_udp_checksum_zero(void *obj, const char *value, char *err,
			    size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_bool(&cfg->amend_udp_checksum_zero, value, err, errlen);
}

static int
set_decrement_ttl(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_bool(&cfg->decrement_ttl, value, err, errlen);
}

static int
set_wkp_strict(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_bool(&cfg->wkp_strict, value, err, errlen);
}

static int
set_reset_traffic_class(void *obj, const char *value, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &((struct conf *)obj)->xlat;

	return conf_set_bool(&cfg->reset_traffic_class, value, err, errlen);
}

const struct conf_key conf_keys[] = {
	{"plat-prefix", set_plat_prefix,
	 "PLAT prefix IPV6/32,40,48,56,64,96 (RFC 6052 §2.2)"},
	{"eam", set_eam,
	 "explicit mapping IPV6PREFIX,IPV4PREFIX (RFC 7757); repeatable"},
	{"clat-v4-addr", set_clat_v4, "CLAT's IPv4 address; with clat-v6-addr"},
	{"clat-v6-addr", set_clat_v6, "CLAT's IPv6 address; with clat-v4-addr"},
	{"xlat-v4-addr", set_own4, "IPv4 source of ICMP errors sent"},
	{"xlat-v6-addr", set_own6, "IPv6 source of ICMP errors sent"},
	{"rfc6791-v4", set_rfc6791_v4,
	 "IPv4 source, untranslatable (RFC 6791)"},
	{"rfc6791-v6", set_rfc6791_v6,
	 "IPv6 source, untranslatable (RFC 6791)"},
	{"lowest-ipv6-mtu", set_lowest_ipv6_mtu,
	 "1280-65535: fragment IPv4 without DF to it (RFC 7915 §4)"},
	{"mtu-v4", set_mtu_v4, "68-65535: MTU of the IPv4 side"},
	{"mtu-v6", set_mtu_v6, "1280-65535: MTU of the IPv6 side"},
	{"icmp-error-rate", set_icmp_error_rate,
	 "0-65535: ICMP errors sent a second, 0 no limit (RFC 4443 §2.4)"},
	{"amend-udp-checksum-zero", set_amend_udp_checksum_zero,
	 "yes/no: compute zero UDP checksums (RFC 7915 §4.5)"},
	{"decrement-ttl", set_decrement_ttl,
	 "yes/no: decrement TTL and hop limit"},
	{"wkp-strict", set_wkp_strict,
	 "yes/no: only global IPv4 in 64:ff9b::/96 (RFC 6052 §3.1)"},
	{"reset-traffic-class", set_reset_traffic_class,
	 "yes/no: write TOS and traffic class as 0"},
	{NULL, NULL, NULL},
};
