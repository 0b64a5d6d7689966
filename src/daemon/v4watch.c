/* SPDX-License-Identifier: BSD-2-Clause */
/* The DHCPv4 watch: socket, hardware address, event source. */
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dhcp/dhcp4_sock.h"
#include "priv.h"
#include "v4watch.h"

struct v4watch {
	int fd;
	sd_event_source *io;
	struct dhcp4_host host;
	v4watch_cb cb;
	void *arg;
};

/* chaddr to match: the link's address on Ethernet; on links without
 * one (PPP, raw IP), every chaddr (dhcp4.h). */
static int
v4watch_hwaddr(struct v4watch *w, unsigned ifindex)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (if_indextoname(ifindex, ifr.ifr_name) == NULL ||
	    ioctl(w->fd, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	if (ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
		memcpy(w->host.hwaddr, ifr.ifr_hwaddr.sa_data, 6);
		w->host.len = 6;
	}
	return 0;
}

static int
v4watch_on_read(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct v4watch *w = arg;
	uint8_t buf[DHCP4_SOCK_BUF];
	struct dhcp4_seen seen;
	ssize_t n;

	(void)s;
	(void)revents;
	/* the callback may free the watch: one packet a wake-up */
	n = dhcp4_sock_read(fd, buf, sizeof(buf));
	if (n > 0 &&
	    dhcp4_classify(buf, (size_t)n, &w->host, &seen) != DHCP4_IGNORED)
		w->cb(&seen, w->arg);
	return 0;
}

struct v4watch *
v4watch_new(sd_event *event, unsigned ifindex, v4watch_cb cb, void *arg)
{
	struct v4watch *w = calloc(1, sizeof(*w));
	int r;

	if (w == NULL)
		return NULL;
	w->cb = cb;
	w->arg = arg;
	/* opened by the privileged side, set up here */
	w->fd = priv_socket(MSG_SOCK_PACKET);
	if (w->fd < 0) {
		errno = -w->fd;
		free(w);
		return NULL;
	}
	if ((r = dhcp4_sock_setup(w->fd, ifindex)) < 0) {
		errno = -r;
		goto fail;
	}
	if (v4watch_hwaddr(w, ifindex) < 0)
		goto fail;
	r = sd_event_add_io(event, &w->io, w->fd, EPOLLIN, v4watch_on_read, w);
	if (r < 0) {
		errno = -r;
		goto fail;
	}
	return w;
fail:
	r = errno;
	close(w->fd);
	free(w);
	errno = r;
	return NULL;
}

void
v4watch_free(struct v4watch *w)
{
	if (w == NULL)
		return;
	sd_event_source_disable_unref(w->io);
	close(w->fd);
	free(w);
}
