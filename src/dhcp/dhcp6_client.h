/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A DHCPv6 client for one address (RFC 8415): one IA_NA with an IAID of
 * its own, Solicit/Advertise, Request/Reply, Renew at T1, Rebind at T2,
 * the address lost at the end of its valid lifetime, Release on stop,
 * Decline when DAD fails, and the retransmission of RFC 8415 §15 (RT,
 * IRT, MRC, MRT, MRD, with the ±10 % jitter). Not implemented: Rapid
 * Commit, Confirm, Information-request, Authentication, and Reconfigure
 * (§18.2.11): the client never offers Reconfigure Accept, so a server
 * must not send it one, and one that comes is dropped; a change on the
 * server side is picked up at the next Renew.
 *
 * Pure: a state machine driven by events with the time (milliseconds, a
 * monotonic clock) and 64 random bits from the caller, which returns
 * actions: a message to send to All_DHCP_Relay_Agents_and_Servers (the
 * client always uses multicast, §18.2), the time of its next timer, and
 * the address bound (or renewed) or lost. The caller owns the socket
 * (src/dhcp/dhcp6_sock.h) and the clock.
 */
#ifndef XLATD_DHCP6_CLIENT_H
#define XLATD_DHCP6_CLIENT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp6_msg.h"

#define DHCP6C_NEVER UINT64_MAX

enum dhcp6c_state {
	DHCP6C_INIT,	/* not started */
	DHCP6C_SOLICIT, /* looking for a server */
	DHCP6C_REQUEST, /* asking the chosen one */
	DHCP6C_BOUND,
	DHCP6C_RENEW,	/* past T1: to the server that gave it */
	DHCP6C_REBIND,	/* past T2: to any server */
	DHCP6C_DECLINE, /* the address failed DAD */
	DHCP6C_RELEASE, /* stopping */
	DHCP6C_STOPPED,
};

struct dhcp6c_cfg {
	struct dhcp6_duid duid; /* the client's own DUID */
	uint32_t iaid;
};

/* One message exchange and its retransmission (RFC 8415 §15). */
struct dhcp6c_xchg {
	uint8_t type;
	uint32_t xid;
	uint64_t start_ms; /* its first transmission */
	uint64_t next_ms;  /* its next one, or when it gives up */
	uint64_t rt_ms;
	unsigned count;			 /* transmissions so far */
	uint64_t irt_ms, mrt_ms, mrd_ms; /* 0: no MRT, no MRD */
	unsigned mrc;			 /* 0: no MRC */
};

struct dhcp6c {
	struct dhcp6c_cfg cfg;
	enum dhcp6c_state state;
	uint64_t rng;
	struct dhcp6c_xchg x;
	uint32_t sol_max_rt_s; /* §21.24 */
	/* the best Advertise of this Solicit */
	bool have_adv;
	uint8_t adv_pref;
	struct dhcp6_duid adv_server;
	struct in6_addr adv_addr;
	/* the lease */
	bool bound;
	struct dhcp6_duid server;
	struct in6_addr addr;
	uint32_t preferred_s, valid_s;
	uint64_t t1_ms, t2_ms, valid_end_ms; /* DHCP6C_NEVER: infinity */
};

struct dhcp6c_actions {
	/* len > 0: send msg to All_DHCP_Relay_Agents_and_Servers */
	size_t len;
	uint8_t msg[DHCP6_MSG_MAX];
	/* call dhcp6c_timer() at this time; DHCP6C_NEVER: no timer */
	uint64_t wake_ms;
	/* the address, bound (new lifetimes) or lost; both when the
	 * server gave another one in its place */
	bool bound, lost;
	struct in6_addr addr, lost_addr;
	uint32_t preferred, valid;
};

void dhcp6c_init(struct dhcp6c *c, const struct dhcp6c_cfg *cfg);
/* Start soliciting, after RFC 8415 §18.2.1's random delay. */
void dhcp6c_start(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
		  struct dhcp6c_actions *a);
/* The time in wake_ms came. */
void dhcp6c_timer(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
		  struct dhcp6c_actions *a);
/* A UDP payload that came to port 546. */
void dhcp6c_receive(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
		    const uint8_t *buf, size_t len, struct dhcp6c_actions *a);
/* The bound address failed DAD: Decline it, then solicit again. */
void dhcp6c_decline(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
		    struct dhcp6c_actions *a);
/* Stop: Release the address if there is one (it is lost at once,
 * §18.2.7), then DHCP6C_STOPPED. */
void dhcp6c_release(struct dhcp6c *c, uint64_t now_ms, uint64_t rand,
		    struct dhcp6c_actions *a);
const char *dhcp6c_state_name(enum dhcp6c_state state);

#endif
