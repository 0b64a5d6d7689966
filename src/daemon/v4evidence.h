/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * When to start the CLAT on an uplink that has no native IPv4 yet, from
 * what DHCPv4 on the link showed (src/dhcp/dhcp4.h) and the time, instead
 * of clatd's blind v4-conncheck-delay. Pure.
 *
 * - An OFFER or ACK for this host with RFC 8925 option 108: IPv4 will not
 *   come; start at once (ipv6-only-preferred).
 * - One without option 108: native IPv4 is on its way; wait for it, up to
 *   V4EVIDENCE_NATIVE_WAIT_MS after that answer (no-native-ipv4 then).
 * - The host's client asked and no server answered: wait up to
 *   V4EVIDENCE_ANSWER_WAIT_MS after its first message: RFC 2131 §4.1's
 *   first retransmission comes 4 s (±1 s) after it, and servers that
 *   ping an address before they offer it (dnsmasq, measured: 3 s) answer
 *   within that (no-dhcpv4-answer then).
 * - Nothing at all: start V4EVIDENCE_QUIET_MS after the watch began, as
 *   clients wait a little on a new link before their first DISCOVER
 *   (dhcpcd: up to 2 s) (no-dhcpv4).
 * The last server answer counts: an ACK without option 108 after an
 * OFFER with it means an address was leased after all. An explicit
 * v4-conncheck-delay is clatd's timer and is honoured as such: the
 * evidence is not used (v4-conncheck-delay).
 *
 * Native IPv4 itself (an IPv4 default route) is not decided here: with
 * one, the CLAT stands down whatever the verdict.
 */
#ifndef XLATD_V4EVIDENCE_H
#define XLATD_V4EVIDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "dhcp/dhcp4.h"

#define V4EVIDENCE_QUIET_MS 3000
#define V4EVIDENCE_ANSWER_WAIT_MS 5000
#define V4EVIDENCE_NATIVE_WAIT_MS 10000

struct v4evidence {
	uint64_t since_ms; /* when the watch began */
	bool client_seen;  /* a DISCOVER or REQUEST of the host's client */
	uint64_t client_ms;
	bool client_asks_v6only; /* option 108 in its request list */
	bool answer_seen;	 /* an OFFER or ACK for this host: the last */
	uint64_t answer_ms;
	bool answer_v6only;
	uint32_t v6only_wait; /* seconds, RFC 8925 §3.2 */
};

enum v4evidence_cause {
	V4EVIDENCE_WAIT_DHCPV4,	 /* waiting: DHCPv4 may still answer */
	V4EVIDENCE_WAIT_NATIVE,	 /* waiting: IPv4 was offered */
	V4EVIDENCE_WAIT_DELAY,	 /* waiting: explicit v4-conncheck-delay */
	V4EVIDENCE_V6ONLY,	 /* start: option 108 */
	V4EVIDENCE_NO_DHCPV4,	 /* start: no DHCPv4 seen at all */
	V4EVIDENCE_NO_ANSWER,	 /* start: the host asked, no answer */
	V4EVIDENCE_NO_NATIVE,	 /* start: offered, but never configured */
	V4EVIDENCE_DELAY_PASSED, /* start: explicit v4-conncheck-delay */
};

/* explicit_delay: v4-conncheck-delay was set in the configuration, to
 * delay_s seconds. */
struct v4evidence_cfg {
	bool explicit_delay;
	unsigned delay_s;
};

void v4evidence_init(struct v4evidence *ev, uint64_t now_ms);
/* Take in one classified packet (IGNORED ones change nothing). */
void v4evidence_add(struct v4evidence *ev, const struct dhcp4_seen *seen,
		    uint64_t now_ms);
/* True: start now. False: not yet; ask again at *until_ms. *cause says
 * why either way. */
bool v4evidence_decide(const struct v4evidence *ev,
		       const struct v4evidence_cfg *cfg, uint64_t now_ms,
		       enum v4evidence_cause *cause, uint64_t *until_ms);
/* The cause as xlatctl status shows it: "ipv6-only-preferred", ... */
const char *v4evidence_cause_name(enum v4evidence_cause cause);

#endif
