/* SPDX-License-Identifier: BSD-2-Clause */
/* Opening the slow path's sockets on the uplink. */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "uplink_socks.h"

int
uplink_socks_raw(unsigned ifindex)
{
	char name[IF_NAMESIZE];
	int fd, e;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_RAW);
	if (fd < 0)
		return -errno;
	/* Out of the uplink only, whatever other routes say. */
	if (if_indextoname(ifindex, name) == NULL ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name,
		       strlen(name) + 1) < 0) {
		e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

/* Whether super-packets can go out the uplink whole: it has a link-layer
 * header the slow path knows how to write, or none. */
static int
uplink_socks_l2_ok(unsigned ifindex, bool *ok)
{
	struct ifreq ifr = {0};
	int fd, r = 0;

	*ok = false;
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (if_indextoname(ifindex, ifr.ifr_name) == NULL ||
	    ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		r = -errno;
	close(fd);
	*ok = ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER ||
	      ifr.ifr_hwaddr.sa_family == ARPHRD_NONE ||
	      ifr.ifr_hwaddr.sa_family == ARPHRD_RAWIP;
	return r;
}

int
uplink_socks_packet(unsigned ifindex, int *fd)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = (int)ifindex,
	};
	int one = 1, r;
	bool ok = false;

	*fd = -1;
	if ((r = uplink_socks_l2_ok(ifindex, &ok)) < 0 || !ok)
		return r;
	/* protocol 0: it sends only, and nothing is queued to it */
	if ((*fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (setsockopt(*fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) <
		    0 ||
	    bind(*fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		r = -errno;
		close(*fd);
		*fd = -1;
	}
	return r;
}
