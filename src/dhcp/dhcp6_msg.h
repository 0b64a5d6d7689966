/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DHCPv6 messages between a client and a server (RFC 8415 §8, §21), for
 * a client with one IA_NA: a parser of what servers send, reduced to
 * what the client uses, and a builder of what the client sends. Pure: no
 * I/O, no allocation, and no read past the buffer, whatever it holds.
 */
#ifndef XLATD_DHCP6_MSG_H
#define XLATD_DHCP6_MSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP6_CLIENT_PORT 546 /* RFC 8415 §7.2 */
#define DHCP6_SERVER_PORT 547
/* RFC 8415 §7.1: All_DHCP_Relay_Agents_and_Servers */
#define DHCP6_ALL_SERVERS "ff02::1:2"

/* RFC 8415 §7.3 */
enum dhcp6_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_RECONFIGURE = 10,
};

/* RFC 8415 §21.13 */
enum dhcp6_status {
	DHCP6_SUCCESS = 0,
	DHCP6_UNSPEC_FAIL = 1,
	DHCP6_NO_ADDRS_AVAIL = 2,
	DHCP6_NO_BINDING = 3,
	DHCP6_NOT_ON_LINK = 4,
	DHCP6_USE_MULTICAST = 5,
};

#define DHCP6_INFINITY 0xffffffffu /* RFC 8415 §7.7 */
#define DHCP6_DUID_MAX 130	   /* RFC 8415 §11.1: type and 128 */
#define DHCP6_ADDRS_MAX 4	   /* addresses kept from one IA_NA */
#define DHCP6_MSG_MAX 512	   /* what this client ever sends */

struct dhcp6_duid {
	uint8_t b[DHCP6_DUID_MAX];
	size_t len;
};

struct dhcp6_iaaddr {
	struct in6_addr addr;
	uint32_t preferred, valid; /* seconds */
	bool has_status;
	uint16_t status;
};

/* A server's message, as far as the client reads it. has_* tell absent
 * from zero. Only the IA_NA whose IAID was asked for is kept. */
struct dhcp6_msg {
	uint8_t type;
	uint32_t xid; /* 24 bits */
	bool has_clientid, has_serverid;
	struct dhcp6_duid clientid, serverid;
	bool has_status;
	uint16_t status;
	bool has_preference;
	uint8_t preference;
	bool has_sol_max_rt;
	uint32_t sol_max_rt;
	bool has_ia;
	uint32_t t1, t2;
	bool ia_has_status;
	uint16_t ia_status;
	struct dhcp6_iaaddr addrs[DHCP6_ADDRS_MAX];
	unsigned n_addrs;
};

/* Parse a message from a server (ADVERTISE, REPLY, RECONFIGURE) for the
 * IA_NA iaid. Returns 0, or -1 when it is malformed: shorter than its
 * header, an option running past its container, a DUID longer than
 * DHCP6_DUID_MAX or a fixed-size option of another size. RFC 8415
 * §21.4: an IA_NA with T1 > T2 (both nonzero) is left out (has_ia
 * false); §21.6: so is an address whose preferred lifetime exceeds its
 * valid lifetime. The first of repeated options counts. */
int dhcp6_msg_parse(const uint8_t *buf, size_t len, uint32_t iaid,
		    struct dhcp6_msg *out);

/* A client's message: type, xid, Client Identifier, Server Identifier
 * when serverid is not NULL, Elapsed Time (§21.9, in 1/100 s), one IA_NA
 * (iaid, T1 and T2 0) holding n_addrs addresses with lifetimes 0 (§21.6:
 * a client sets them to 0), and an Option Request for SOL_MAX_RT when
 * oro (§18.2: not in Release and Decline). No Reconfigure Accept: this
 * client does not take Reconfigure (§18.2.11 is not implemented). */
struct dhcp6_out {
	uint8_t type;
	uint32_t xid;
	const struct dhcp6_duid *clientid, *serverid;
	uint16_t elapsed;
	uint32_t iaid;
	const struct in6_addr *addrs;
	unsigned n_addrs;
	bool oro;
};

/* Returns the length written to buf, or 0 when it would not fit. */
size_t dhcp6_msg_build(const struct dhcp6_out *m, uint8_t *buf, size_t cap);

/* RFC 6355: a DUID-UUID from 16 bytes, with the bits of an RFC 9562
 * version 8 (application-specific) UUID set. */
void dhcp6_duid_uuid(const uint8_t bytes[16], struct dhcp6_duid *out);

#endif
