/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The DHCPv6 client's socket on an uplink: a raw IPv6 socket of protocol
 * UDP. It sends from port 546 without binding it, and it receives a copy
 * of every datagram from port 547 to port 546 that the host takes in on
 * the link (a classic BPF filter drops the rest in the kernel).
 *
 * Why not a UDP socket bound to port 546: the host's own DHCPv6 client
 * holds that port, bound to the link's link-local address. Measured in
 * namespaces on Linux 6.18: with dhcpcd 9.4.1 running, no bind() to port
 * 546 succeeds, whatever of SO_REUSEADDR, SO_REUSEPORT and
 * SO_BINDTODEVICE is set (dhcpcd sets neither reuse option). With ISC
 * dhclient 4.4.3, which sets SO_REUSEADDR, a socket bound to the same
 * link-local address with SO_REUSEADDR gets every answer (5 of 5) and
 * dhclient none of its own for that time; bound to :: it gets none.
 * SO_REUSEPORT would spread answers by hash, not by transaction. A raw
 * socket takes nothing away: the kernel hands the datagram to the raw
 * socket and to the UDP socket alike, and each client drops what does not
 * carry its transaction ID and DUID (dhcpcd logs "incorrect client ID").
 * The cost: when nothing listens on port 546 (the host has no DHCPv6
 * client), the kernel answers each of the server's datagrams with an
 * ICMPv6 port unreachable, as measured; servers ignore those.
 *
 * Opening needs CAP_NET_RAW (the privileged side); sending and receiving
 * on the descriptor need nothing (the unprivileged side).
 */
#ifndef XLATD_DHCP6_SOCK_H
#define XLATD_DHCP6_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DHCP6_SOCK_BUF 2048

/* A non-blocking, close-on-exec socket on ifindex; the descriptor or
 * -errno. Nothing is queued before the filter is in place. */
int dhcp6_sock_open(unsigned ifindex);
/* The same for a raw IPv6 UDP socket that the privileged side opened
 * (fd): bound to ifindex, its filter, checksum and hop limit set; needs
 * no capability. 0 or -errno. */
int dhcp6_sock_setup(int fd, unsigned ifindex);

/* Send one client message (msg, len) to All_DHCP_Relay_Agents_and_
 * Servers on ifindex, from port 546 and the link's link-local address
 * (RFC 8415 §7.1, §13.1); the kernel fills in the UDP checksum. 0 or
 * -errno. */
int dhcp6_sock_send(int fd, unsigned ifindex, const uint8_t *msg, size_t len);

/* One datagram into buf (from its UDP header on). Returns the length of
 * its DHCPv6 message, which starts at buf + 8, 0 when nothing is pending
 * or it is not a well-formed datagram from port 547 to 546, or -errno.
 * The kernel has checked its checksum. */
ssize_t dhcp6_sock_recv(int fd, uint8_t *buf, size_t cap);
/* The check dhcp6_sock_recv() makes on the n bytes it read, pure: the
 * length of the DHCPv6 message after the UDP header, or 0. */
size_t dhcp6_sock_payload(const uint8_t *buf, size_t n);

#endif
