/* SPDX-License-Identifier: BSD-2-Clause */
/* Router Solicitation and anycast membership for the CLAT address. */
#include <errno.h>
#include <netinet/icmp6.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ndisc.h"
#include "priv.h"

int
ndisc_send_rs(unsigned ifindex)
{
	struct sockaddr_in6 to = {.sin6_family = AF_INET6};
	struct nd_router_solicit rs = {.nd_rs_type = ND_ROUTER_SOLICIT};
	int fd, hops = 255, e = 0;

	/* ff02::2, all routers (RFC 4291 §2.7.1) */
	to.sin6_addr.s6_addr[0] = 0xff;
	to.sin6_addr.s6_addr[1] = 0x02;
	to.sin6_addr.s6_addr[15] = 0x02;
	to.sin6_scope_id = ifindex;
	if ((fd = priv_socket(MSG_SOCK_ICMP6)) < 0)
		return fd;
	/* RFC 4861 §4.1: hop limit 255; the kernel fills the checksum. */
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
		       sizeof(ifindex)) < 0 ||
	    sendto(fd, &rs, sizeof(rs), 0, (struct sockaddr *)&to, sizeof(to)) <
		    0)
		e = -errno;
	close(fd);
	return e;
}

int
ndisc_anycast_join(unsigned ifindex, const struct in6_addr *addr)
{
	struct ipv6_mreq mreq = {.ipv6mr_multiaddr = *addr,
				 .ipv6mr_interface = ifindex};
	int fd, e;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_ANYCAST, &mreq,
		       sizeof(mreq)) < 0) {
		e = -errno;
		close(fd);
		return e;
	}
	return fd;
}
