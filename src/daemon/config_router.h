/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Router mode's keys in xlatd.conf (docs/router.md): the IPv4 LANs that
 * xlatd serves behind the host, the routing table their routes go into,
 * NAT44 or the stateless mapping (RFC 6877 §6.3, RFC 7757), and what the
 * LANs get while the CLAT is not running. Parsed and checked here; the
 * daemon applies them.
 */
#ifndef XLATD_CONFIG_ROUTER_H
#define XLATD_CONFIG_ROUTER_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xlatd/xlat.h"

#define ROUTER_LAN_MAX 16
/* xlatd's own routing table, unless router-table names another. */
#define ROUTER_TABLE_DEFAULT 464
/* "FILE:LINE" or "command line", for errors found after the last key. */
#define ROUTER_WHERE_MAX 280

enum router_mode {
	ROUTER_MODE_NAT44,     /* LAN sources SNATed to the CLAT IPv4 address */
	ROUTER_MODE_STATELESS, /* each LAN address has its own IPv6 address */
};

/* What the LAN prefixes get while the CLAT is not running. */
enum router_fallback {
	ROUTER_FALLBACK_UNREACHABLE, /* an unreachable route: no leak */
	ROUTER_FALLBACK_NATIVE,	     /* the host's own IPv4 routes */
};

/* One router-lan item: an interface (whose IPv4 prefixes are served), or
 * a prefix (served on the interface its route points to). */
struct router_lan {
	bool is_ifname;
	char ifname[IF_NAMESIZE];
	struct xlat_prefix4 prefix;
};

struct config_router {
	unsigned lan_count; /* 0: router mode is off */
	struct router_lan lan[ROUTER_LAN_MAX];
	uint32_t table;
	enum router_mode mode;
	bool has_v6_prefix;
	struct xlat_prefix6 v6_prefix; /* router-mode=stateless */
	enum router_fallback fallback;
	bool lan_fast_path; /* router-lan-fast-path */
	char where_lan[ROUTER_WHERE_MAX];
	char where_mode[ROUTER_WHERE_MAX];
	char where_v6_prefix[ROUTER_WHERE_MAX];
};

void config_router_init(struct config_router *r);

/* Whether key is one of router mode's. */
bool config_router_key(const char *key);

/* Set one router key from the line at where. On error, err holds "key:
 * why" with the value and the allowed values. Returns 0 or -1. */
int config_router_set(struct config_router *r, const char *key,
		      const char *value, const char *where, char *err,
		      size_t errlen);

/* Cross-key checks after the last key; clat_v4 is the configured CLAT
 * IPv4 address, or NULL for the automatic one in 192.0.0.0/29. On error,
 * err holds "where: key: why". Returns 0 or -1. */
int config_router_finish(const struct config_router *r,
			 const struct in_addr *clat_v4, char *err,
			 size_t errlen);

/* RFC 7757 EAM of the stateless mapping for LAN prefix lan: the IPv6
 * prefix of router-v6-prefix with the low bits (all 32 behind a /96 or
 * shorter) taken from the IPv4 address, so that each LAN address has its
 * own IPv6 address. False when the IPv4 suffix does not fit. */
bool config_router_eam(const struct xlat_prefix6 *v6_prefix,
		       const struct xlat_prefix4 *lan, struct xlat_eam *out);

/* The id of routing table name in an iproute2 rt_tables file ("ID NAME"
 * lines, '#' comments). Returns true if found. */
bool config_router_rt_tables(FILE *f, const char *name, uint32_t *id);

#endif
