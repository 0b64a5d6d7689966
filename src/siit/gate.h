/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What xlat-siit does with a packet before the core sees it: translate
 * it, answer it (the translator's own addresses), or refuse it because
 * the dynamic pool cannot map it. The pool's side of it happens here:
 * a new IPv6 source gets its address (not for ICMPv6 errors: RFC 6791
 * gives those a source), and each packet is the last use of its mapping;
 * one from the IPv4 side confirms it (pool.h). Pure: the caller passes
 * the time and hands the result on.
 */
#ifndef XLATD_SIIT_GATE_H
#define XLATD_SIIT_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"
#include "xlatd/xlat.h"

enum gate_verdict {
	GATE_TRANSLATE,
	GATE_SELF,	   /* to ipv4-addr or ipv6-addr */
	GATE_LINK,	   /* the host's own link traffic: no translation */
	GATE_POOL_FULL,	   /* refuse: XLAT_DROP_POOL_EXHAUSTED */
	GATE_DST_UNMAPPED, /* refuse: XLAT_DROP_DST_UNMAPPED */
};

struct gate {
	const struct xlat_cfg *cfg; /* its hosts are the pool's */
	struct pool *pool;	    /* NULL: no dynamic-pool */
	struct in_addr own4;
	struct in6_addr own6;
};

/* A mapping the pool made for this packet, for the caller to pass on. */
struct gate_change {
	enum pool_result result; /* POOL_FOUND: nothing new */
	const struct hosts_entry *entry;
	struct pool_change old; /* POOL_RECLAIMED: who lost the address */
};

enum gate_verdict gate_check(const struct gate *g, const uint8_t *pkt,
			     size_t len, int64_t now, struct gate_change *ch);

#endif
