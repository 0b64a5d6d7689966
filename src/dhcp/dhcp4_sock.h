/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The passive DHCPv4 watch on an uplink: an AF_PACKET socket that sees
 * every IPv4 UDP datagram between ports 67 and 68 on the link, both ways
 * (the host's own client's too), and sends nothing. While it is open,
 * every outgoing packet on the link is copied for it, so it is for the
 * few seconds before the CLAT decides to start, not for all the time. Opening
 * it needs CAP_NET_RAW (the privileged side); reading it needs nothing, so the
 * unprivileged side can be handed the descriptor and read it, and give what it
 * reads to dhcp4_classify().
 */
#ifndef XLATD_DHCP4_SOCK_H
#define XLATD_DHCP4_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A large enough buffer for one message: an Ethernet MTU's worth, and
 * more for the rare larger links. */
#define DHCP4_SOCK_BUF 2048

/* A non-blocking, close-on-exec socket on ifindex with a classic BPF
 * filter that passes unfragmented IPv4 UDP with source and destination
 * ports in {67, 68}; nothing else is queued, not even before the filter
 * is in place. Returns the descriptor or -errno. */
int dhcp4_sock_open(unsigned ifindex);

/* One IPv4 packet (from its header on) into buf. Returns its length, 0
 * when nothing is pending or it did not fit (dropped), or -errno. */
ssize_t dhcp4_sock_read(int fd, uint8_t *buf, size_t cap);

#endif
