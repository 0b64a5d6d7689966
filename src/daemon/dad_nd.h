/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Neighbor Discovery messages of DAD (RFC 4862 §5.4, RFC 7527) and of
 * Optimistic DAD (RFC 4429), for an address that is never assigned to the
 * interface: the probes that go out, what an incoming NS or NA means for
 * the address, and the answer an optimistic owner gives. Pure: byte
 * buffers in and out, no I/O; src/daemon/dad.c does the sending.
 */
#ifndef XLATD_DAD_ND_H
#define XLATD_DAD_ND_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DAD_ND_NONCE_LEN 6 /* RFC 7527: an option of length 1 */
#define DAD_ND_HWADDR_LEN 6
/* An NS as sent: IPv6 header, NS, Nonce option. */
#define DAD_ND_NS_LEN (40 + 24 + 8)
/* An NA as sent: IPv6 header, NA, Target Link-Layer Address option. */
#define DAD_ND_NA_LEN (40 + 24 + 8)

/* What one address's DAD knows: the address, its solicited-node group
 * and the nonce of its own probes. */
struct dad_nd {
	struct in6_addr target;
	struct in6_addr group;
	uint8_t nonce[DAD_ND_NONCE_LEN];
};

enum dad_nd_verdict {
	DAD_ND_IGNORE,	  /* nothing to do with this address's DAD */
	DAD_ND_DUPLICATE, /* someone else has it, or is probing for it */
	DAD_ND_ANSWER,	  /* address resolution: answer (optimistic) */
};

/* An incoming NS or NA, as a raw ICMPv6 socket gives it. */
struct dad_nd_rx {
	const uint8_t *msg; /* from the ICMPv6 header on */
	size_t len;
	struct in6_addr src, dst;
	/* The solicitor's link-layer address, from its SLLAO, when
	 * dad_nd_classify() says DAD_ND_ANSWER. */
	uint8_t sllao[DAD_ND_HWADDR_LEN];
};

void dad_nd_init(struct dad_nd *nd, const struct in6_addr *target,
		 const uint8_t nonce[DAD_ND_NONCE_LEN]);

/* RFC 4862 §5.4.2: an NS from :: to the solicited-node group, hop limit
 * 255, with the Nonce option and no SLLAO. out: DAD_ND_NS_LEN bytes. */
void dad_nd_build_ns(const struct dad_nd *nd, uint8_t out[DAD_ND_NS_LEN]);

/* What rx means for the address (RFC 4862 §5.4.3, §5.4.4, RFC 7527 §4.2,
 * RFC 4429 §3.3). optimistic: the address is in use while DAD runs, so an
 * address-resolution NS for it (unicast source, with an SLLAO) is to be
 * answered. The hop limit (255) is the caller's to check. */
enum dad_nd_verdict dad_nd_classify(const struct dad_nd *nd,
				    struct dad_nd_rx *rx, bool optimistic);

/* RFC 4429 §3.3, RFC 4861 §7.2.4: the solicited NA for the address to the
 * solicitor at dst: from the address itself, Solicited set, Override and
 * Router clear, with a TLLAO of hwaddr. out: DAD_ND_NA_LEN bytes. */
void dad_nd_build_na(const struct dad_nd *nd, const struct in6_addr *dst,
		     const uint8_t hwaddr[DAD_ND_HWADDR_LEN],
		     uint8_t out[DAD_ND_NA_LEN]);

#endif
