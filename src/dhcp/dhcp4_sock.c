/* SPDX-License-Identifier: BSD-2-Clause */
/* The passive DHCPv4 watch: packet(7) socket and its filter. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dhcp4.h"
#include "dhcp4_sock.h"

#define IPV4_PROTO_UDP 17
#define IPV4_FRAG_MASK 0x3fff /* MF and the offset: any fragment */

/* Classic BPF over the packet (SOCK_DGRAM: no link header): IPv4, UDP,
 * not a fragment, source port and destination port each 67 or 68. */
static struct sock_filter dhcp4_filter[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 12),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9), /* protocol */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPV4_PROTO_UDP, 0, 10),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6), /* flags, fragment offset */
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, IPV4_FRAG_MASK, 8, 0),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), /* X = header length */
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 0),	/* source port */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP4_SERVER_PORT, 1, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP4_CLIENT_PORT, 0, 4),
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2), /* destination port */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP4_SERVER_PORT, 1, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP4_CLIENT_PORT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static const struct sock_filter dhcp4_drop_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* ETH_P_ALL, not ETH_P_IP: only the former sees outgoing packets too (the
 * host's own client's), as taps do (packet(7)). It costs a clone of each
 * outgoing packet while the socket is open, so the watch is meant to be
 * short: from the uplink's start until the decision.
 *
 * Until the real filter and the binding are in place, an unbound packet
 * socket of protocol 0 receives nothing; the drop-all filter then keeps
 * the queue empty across bind(), and what came in between is drained
 * before the real filter goes on. */
int
dhcp4_sock_open(unsigned ifindex)
{
	struct sock_fprog drop = {1, (struct sock_filter *)dhcp4_drop_all};
	struct sock_fprog prog = {
		sizeof(dhcp4_filter) / sizeof(dhcp4_filter[0]), dhcp4_filter};
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = (int)ifindex,
	};
	uint8_t junk[1];
	int fd, r;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &drop, sizeof(drop)) <
		    0 ||
	    bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		goto fail;
	while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) <
	    0)
		goto fail;
	return fd;
fail:
	r = -errno;
	close(fd);
	return r;
}

ssize_t
dhcp4_sock_read(int fd, uint8_t *buf, size_t cap)
{
	ssize_t n = recv(fd, buf, cap, MSG_DONTWAIT | MSG_TRUNC);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	return (size_t)n > cap ? 0 : n;
}
