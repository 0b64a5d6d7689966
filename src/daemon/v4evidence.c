/* SPDX-License-Identifier: BSD-2-Clause */
/* Starting the CLAT on DHCPv4 evidence (RFC 8925) rather than a timer. */
#include <string.h>

#include "v4evidence.h"

#define MS_PER_S 1000ULL

void
v4evidence_init(struct v4evidence *ev, uint64_t now_ms)
{
	memset(ev, 0, sizeof(*ev));
	ev->since_ms = now_ms;
}

void
v4evidence_add(struct v4evidence *ev, const struct dhcp4_seen *seen,
	       uint64_t now_ms)
{
	switch (seen->kind) {
	case DHCP4_CLIENT:
		if (!ev->client_seen)
			ev->client_ms = now_ms;
		ev->client_seen = true;
		ev->client_asks_v6only = seen->asks_v6only;
		break;
	case DHCP4_OFFER:
	case DHCP4_ACK:
		ev->answer_seen = true;
		ev->answer_ms = now_ms;
		ev->answer_v6only = seen->v6only;
		ev->v6only_wait = seen->v6only_wait;
		break;
	case DHCP4_IGNORED:
		break;
	}
}

/* Start at deadline with cause, or wait for it with wait_cause. */
static bool
v4evidence_at(uint64_t now_ms, uint64_t deadline, enum v4evidence_cause cause,
	      enum v4evidence_cause wait_cause, enum v4evidence_cause *out,
	      uint64_t *until_ms)
{
	*until_ms = deadline;
	*out = now_ms >= deadline ? cause : wait_cause;
	return now_ms >= deadline;
}

bool
v4evidence_decide(const struct v4evidence *ev, const struct v4evidence_cfg *cfg,
		  uint64_t now_ms, enum v4evidence_cause *cause,
		  uint64_t *until_ms)
{
	uint64_t t;

	if (cfg->explicit_delay)
		return v4evidence_at(now_ms,
				     ev->since_ms + cfg->delay_s * MS_PER_S,
				     V4EVIDENCE_DELAY_PASSED,
				     V4EVIDENCE_WAIT_DELAY, cause, until_ms);
	if (ev->answer_seen && ev->answer_v6only) {
		*cause = V4EVIDENCE_V6ONLY;
		*until_ms = now_ms;
		return true;
	}
	if (ev->answer_seen)
		return v4evidence_at(now_ms,
				     ev->answer_ms + V4EVIDENCE_NATIVE_WAIT_MS,
				     V4EVIDENCE_NO_NATIVE,
				     V4EVIDENCE_WAIT_NATIVE, cause, until_ms);
	t = ev->since_ms + V4EVIDENCE_QUIET_MS;
	if (!ev->client_seen)
		return v4evidence_at(now_ms, t, V4EVIDENCE_NO_DHCPV4,
				     V4EVIDENCE_WAIT_DHCPV4, cause, until_ms);
	if (ev->client_ms + V4EVIDENCE_ANSWER_WAIT_MS > t)
		t = ev->client_ms + V4EVIDENCE_ANSWER_WAIT_MS;
	return v4evidence_at(now_ms, t, V4EVIDENCE_NO_ANSWER,
			     V4EVIDENCE_WAIT_DHCPV4, cause, until_ms);
}

const char *
v4evidence_cause_name(enum v4evidence_cause cause)
{
	switch (cause) {
	case V4EVIDENCE_WAIT_DHCPV4:
		return "waiting-for-dhcpv4";
	case V4EVIDENCE_WAIT_NATIVE:
		return "waiting-for-native-ipv4";
	case V4EVIDENCE_WAIT_DELAY:
		return "v4-conncheck-delay";
	case V4EVIDENCE_V6ONLY:
		return "ipv6-only-preferred";
	case V4EVIDENCE_NO_DHCPV4:
		return "no-dhcpv4";
	case V4EVIDENCE_NO_ANSWER:
		return "no-dhcpv4-answer";
	case V4EVIDENCE_NO_NATIVE:
		return "no-native-ipv4";
	case V4EVIDENCE_DELAY_PASSED:
		return "v4-conncheck-delay-passed";
	}
	return "unknown";
}
