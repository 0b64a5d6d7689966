/* SPDX-License-Identifier: BSD-2-Clause */
/* The DHCPv6 client's raw UDP socket (see dhcp6_sock.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dhcp6_msg.h"
#include "dhcp6_sock.h"

#define UDP_HDR 8
#define UDP_CSUM_OFF 6
#define HOP_LIMIT_LINK 1

/* Over the datagram from its UDP header (raw IPv6 sockets, raw(7)):
 * source port 547, destination port 546. */
static struct sock_filter dhcp6_filter[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP6_SERVER_PORT, 0, 3),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP6_CLIENT_PORT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static const struct sock_filter dhcp6_drop_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0),
};

int
dhcp6_sock_setup(int fd, unsigned ifindex)
{
	struct sock_fprog drop = {1, (struct sock_filter *)dhcp6_drop_all};
	struct sock_fprog prog = {
		sizeof(dhcp6_filter) / sizeof(dhcp6_filter[0]), dhcp6_filter};
	int csum = UDP_CSUM_OFF, hops = HOP_LIMIT_LINK, zero = 0;
	int idx = (int)ifindex;
	uint8_t junk[1];

	/* The socket receives from its creation on: drop everything until
	 * it is bound to the link, then drain, then filter. */
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &drop, sizeof(drop)) <
		    0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &idx, sizeof(idx)) <
		    0 ||
	    /* ipv6(7) IPV6_CHECKSUM: computed on send, checked on receipt */
	    setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &csum, sizeof(csum)) <
		    0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero,
		       sizeof(zero)) < 0)
		return -errno;
	while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) <
	    0)
		return -errno;
	return 0;
}

int
dhcp6_sock_open(unsigned ifindex)
{
	int fd, r;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	if ((r = dhcp6_sock_setup(fd, ifindex)) < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int
dhcp6_sock_send(int fd, unsigned ifindex, const uint8_t *msg, size_t len)
{
	struct sockaddr_in6 to = {
		.sin6_family = AF_INET6,
		.sin6_scope_id = ifindex,
	};
	uint8_t udp[UDP_HDR];
	struct iovec iov[2] = {{udp, sizeof(udp)}, {(void *)msg, len}};
	struct msghdr mh = {
		.msg_name = &to,
		.msg_namelen = sizeof(to),
		.msg_iov = iov,
		.msg_iovlen = 2,
	};

	if (len > UINT16_MAX - UDP_HDR)
		return -EMSGSIZE;
	inet_pton(AF_INET6, DHCP6_ALL_SERVERS, &to.sin6_addr);
	udp[0] = DHCP6_CLIENT_PORT >> 8;
	udp[1] = DHCP6_CLIENT_PORT & 0xff;
	udp[2] = DHCP6_SERVER_PORT >> 8;
	udp[3] = DHCP6_SERVER_PORT & 0xff;
	udp[4] = (uint8_t)((len + UDP_HDR) >> 8);
	udp[5] = (uint8_t)(len + UDP_HDR);
	udp[6] = udp[7] = 0; /* the kernel's, IPV6_CHECKSUM */
	if (sendmsg(fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

size_t
dhcp6_sock_payload(const uint8_t *buf, size_t n)
{
	size_t ulen;

	if (n < UDP_HDR)
		return 0;
	ulen = (size_t)buf[4] << 8 | buf[5];
	if ((buf[0] << 8 | buf[1]) != DHCP6_SERVER_PORT ||
	    (buf[2] << 8 | buf[3]) != DHCP6_CLIENT_PORT || ulen < UDP_HDR ||
	    ulen > n)
		return 0;
	return ulen - UDP_HDR;
}

ssize_t
dhcp6_sock_recv(int fd, uint8_t *buf, size_t cap)
{
	ssize_t n = recv(fd, buf, cap, MSG_DONTWAIT | MSG_TRUNC);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if ((size_t)n > cap)
		return 0;
	return (ssize_t)dhcp6_sock_payload(buf, (size_t)n);
}
