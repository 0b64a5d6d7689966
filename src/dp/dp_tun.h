/* SPDX-License-Identifier: BSD-2-Clause */
/* The userspace data path (slow path): packets read from the CLAT TUN
 * device are translated by the core. IPv4 from the host goes out the
 * uplink as IPv6 through a raw socket, as locally generated traffic; IPv6
 * that the eBPF hook redirected into the TUN comes back into the host as
 * IPv4 by a write to the TUN. */
#ifndef XLATD_DP_TUN_H
#define XLATD_DP_TUN_H

#include <systemd/sd-event.h>

#include "xlatd/xlat.h"

struct dp_tun;

/* Takes over the TUN device's fd and the uplink's sockets (uplink_socks.h:
 * raw_fd, and pkt_fd or -1), also on failure: dp_tun_free closes them. */
struct dp_tun *dp_tun_new(sd_event *event, int tun_fd, int raw_fd, int pkt_fd,
			  unsigned uplink_ifindex);

/* Install a new translator configuration; effective for the next packet. */
void dp_tun_set_cfg(struct dp_tun *dp, const struct xlat_cfg *cfg);

const struct xlat_stats *dp_tun_stats(const struct dp_tun *dp);
void dp_tun_free(struct dp_tun *dp);

#endif
