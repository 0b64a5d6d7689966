/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: IPv4 packets through the passive DHCPv4 classifier
 * (src/dhcp/dhcp4.c). The first input byte picks the host: odd, a link
 * without a hardware address (every chaddr is this host's); even, the
 * Ethernet address 02:00:00:00:01:02. The rest is the packet, in a buffer
 * of exactly its size, so that any read past it is caught. What comes
 * out must agree with itself and with RFC 8925.
 */
#include <stdlib.h>
#include <string.h>

#include "dhcp/dhcp4.h"
#include "fuzz.h"

static void
check(enum dhcp4_kind kind, const struct dhcp4_seen *s)
{
	static const struct dhcp4_seen zero;

	if (kind != s->kind)
		abort();
	if (kind == DHCP4_IGNORED && memcmp(s, &zero, sizeof(zero)) != 0)
		abort(); /* nothing half-filled */
	if (s->v6only && (kind != DHCP4_OFFER && kind != DHCP4_ACK))
		abort();
	if (s->v6only && s->v6only_wait < DHCP4_MIN_V6ONLY_WAIT)
		abort(); /* RFC 8925 §3.2 */
	if (!s->v6only && s->v6only_wait != 0)
		abort();
	if (s->asks_v6only && kind != DHCP4_CLIENT)
		abort();
	if (kind == DHCP4_ACK && s->yiaddr.s_addr == 0 && !s->v6only)
		abort(); /* an INFORM answer leases nothing */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp4_host host = {.hwaddr = {2, 0, 0, 0, 1, 2}, .len = 6};
	struct dhcp4_seen seen;
	enum dhcp4_kind kind;
	uint8_t *pkt;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		host.len = 0;
	if ((pkt = malloc(size - 1)) == NULL && size > 1)
		abort();
	if (size > 1)
		memcpy(pkt, data + 1, size - 1);
	kind = dhcp4_classify(pkt, size - 1, &host, &seen);
	check(kind, &seen);
	free(pkt);
	return 0;
}
