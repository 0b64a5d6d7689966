/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DHCPv4 as a passive observer sees it (RFC 2131, RFC 2132): an IPv4
 * packet taken off the uplink is classified as a message of this host's
 * DHCP client, an OFFER or ACK for this host, or something to ignore,
 * with what RFC 8925 (IPv6-Only Preferred, option 108) says in it. Pure:
 * no I/O, no allocation, and no read past the buffer, whatever it holds.
 */
#ifndef XLATD_DHCP4_H
#define XLATD_DHCP4_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP4_SERVER_PORT 67 /* RFC 2131 §4.1 */
#define DHCP4_CLIENT_PORT 68
#define DHCP4_OPT_V6ONLY 108	  /* RFC 8925 §3.1 */
#define DHCP4_MIN_V6ONLY_WAIT 300 /* RFC 8925 §3.4, seconds */
#define DHCP4_HWADDR_MAX 16	  /* chaddr, RFC 2131 §2 */

enum dhcp4_kind {
	DHCP4_IGNORED, /* not DHCP, malformed, or not about this host */
	DHCP4_CLIENT,  /* DISCOVER or REQUEST from this host's client */
	DHCP4_OFFER,   /* for this host */
	DHCP4_ACK,     /* for this host */
};

struct dhcp4_seen {
	enum dhcp4_kind kind;
	uint32_t xid;
	struct in_addr yiaddr; /* OFFER, ACK: the address offered */
	/* OFFER, ACK: option 108 of length 4 (RFC 8925 §3.1; any other
	 * length is ignored), with V6ONLY_WAIT raised to the minimum as a
	 * client must (§3.2). */
	bool v6only;
	uint32_t v6only_wait;
	/* CLIENT: 108 is in its Parameter Request List (option 55), i.e.
	 * the host's client says it can do without IPv4 (§3.2). */
	bool asks_v6only;
};

/* This host's hardware address: chaddr must match it. len 0 (a link
 * without one: PPP, raw IP) matches every chaddr. */
struct dhcp4_host {
	uint8_t hwaddr[DHCP4_HWADDR_MAX];
	size_t len;
};

/* pkt: an IPv4 packet (header, UDP, BOOTP), as an AF_PACKET SOCK_DGRAM
 * socket gives it. Fills *out and returns its kind: DHCP4_IGNORED for
 * anything that is not an unfragmented, well-formed UDP datagram between
 * the DHCP ports carrying a DHCP message (magic cookie, option 53) of the
 * kinds above about host. */
enum dhcp4_kind dhcp4_classify(const uint8_t *pkt, size_t len,
			       const struct dhcp4_host *host,
			       struct dhcp4_seen *out);

#endif
