/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CLAT's own DHCPv6 client on an uplink (RFC 8415, one IA_NA): the
 * pure state machine of src/dhcp/dhcp6_client.h with its socket (opened
 * by the privileged side, src/dhcp/dhcp6_sock.h), its clock and its
 * timer. The DUID and IAID are xlatd's own (dhcp6_ids.h), so that it
 * stays apart from the host's DHCPv6 client on the same link.
 */
#ifndef XLATD_CLAT_DHCP6_H
#define XLATD_CLAT_DHCP6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <systemd/sd-event.h>

#include "clat_addr.h"

struct clat_dhcp6;

/* The address was bound (or its lease renewed) and/or lost; both when
 * the server gave another in its place. The callback may free the
 * client. */
typedef void (*clat_dhcp6_cb)(bool bound, const struct in6_addr *addr,
			      bool lost, const struct in6_addr *lost_addr,
			      void *arg);

/* Start soliciting on ifindex (named ifname); NULL with errno. */
struct clat_dhcp6 *clat_dhcp6_new(sd_event *event, unsigned ifindex,
				  const char *ifname,
				  const uint8_t secret[CLAT_SECRET_LEN],
				  clat_dhcp6_cb cb, void *arg);
/* The bound address failed DAD: Decline it, and solicit again. */
void clat_dhcp6_decline(struct clat_dhcp6 *d);
/* Release the address, if any (the message is sent at once, without
 * waiting for the server's Reply), and free. */
void clat_dhcp6_free(struct clat_dhcp6 *d);

#endif
