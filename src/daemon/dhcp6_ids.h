/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The identity of xlatd's DHCPv6 client (src/dhcp/dhcp6_client.h): a
 * DUID of its own, one for the host (RFC 8415 §11: one per client), and
 * an IAID per uplink (§12: stable across restarts), both derived from
 * xlatd's secret (state-dir/secret) with SipHash-2-4. Pure.
 *
 * Why not the host's DUID with an IAID of xlatd's: the host's client
 * keeps its DUID in files of its own (dhcpcd: /var/lib/dhcpcd/duid;
 * systemd-networkd derives one from /etc/machine-id; NetworkManager per
 * connection), in formats and places that differ from client to client
 * and may not exist yet when xlatd starts, and that the unprivileged
 * side of xlatd cannot read anyway; the IAIDs those clients pick
 * (dhcpcd: from the link-layer address, as measured; networkd: a hash
 * of the link's name) could be ours by chance, which would make one
 * client's Renew or Release act on the other's address. With a DUID of its own, xlatd is a client of its own
 * to the server (RFC 8415 §6: a client may be any of several on a node),
 * none of this can happen, and a server that limits addresses per client
 * counts the CLAT's apart from the host's. The cost is one more DUID in
 * the server's leases for the same link-layer address. The DUID is a
 * DUID-UUID (RFC 6355), the UUID of version 8 (RFC 9562), not a DUID-LL
 * (which would be the host client's own DUID-LL on the same link) nor a
 * DUID-EN (which needs an enterprise number xlatd does not have).
 */
#ifndef XLATD_DHCP6_IDS_H
#define XLATD_DHCP6_IDS_H

#include <stdint.h>

#include "clat_addr.h"
#include "dhcp/dhcp6_msg.h"

void dhcp6_ids_duid(const uint8_t secret[CLAT_SECRET_LEN],
		    struct dhcp6_duid *out);
uint32_t dhcp6_ids_iaid(const uint8_t secret[CLAT_SECRET_LEN],
			const char *ifname);

#endif
