/* SPDX-License-Identifier: BSD-2-Clause */
/* The sockets the slow path sends IPv6 out of the uplink with (dp_tun.h).
 * Opening them takes CAP_NET_RAW, so the privileged parent opens them
 * and passes them to the slow path. */
#ifndef XLATD_UPLINK_SOCKS_H
#define XLATD_UPLINK_SOCKS_H

/* A raw IPv6 socket (IPPROTO_RAW: the IPv6 header is the caller's),
 * bound to the uplink, non-blocking and close-on-exec. Returns the fd or
 * -errno. */
int uplink_socks_raw(unsigned ifindex);

/* An AF_PACKET socket with PACKET_VNET_HDR bound to the uplink, for
 * super-packets; it only sends. On an uplink that is neither Ethernet
 * nor raw IP there is none: 0 and *fd -1. Returns 0 or -errno. */
int uplink_socks_packet(unsigned ifindex, int *fd);

#endif
