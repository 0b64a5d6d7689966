/* SPDX-License-Identifier: BSD-2-Clause */
/* The CLAT's DHCPv6 client: dhcp6c with a socket, a clock and a timer. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "clat_dhcp6.h"
#include "common/log.h"
#include "dhcp/dhcp6_client.h"
#include "dhcp/dhcp6_sock.h"
#include "dhcp6_ids.h"
#include "priv.h"

#define USEC_PER_MS 1000ULL

struct clat_dhcp6 {
	sd_event *event;
	unsigned ifindex;
	char ifname[IF_NAMESIZE];
	int fd;
	sd_event_source *io, *timer;
	struct dhcp6c c;
	clat_dhcp6_cb cb;
	void *arg;
};

static uint64_t
clat_dhcp6_now(const struct clat_dhcp6 *d)
{
	uint64_t t = 0;

	sd_event_now(d->event, CLOCK_MONOTONIC, &t);
	return t / USEC_PER_MS;
}

/* RFC 8415 §15: the jitter and the first delay are random. */
static uint64_t
clat_dhcp6_rand(void)
{
	uint64_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint64_t)rand();
	return r;
}

static int clat_dhcp6_on_timer(sd_event_source *s, uint64_t usec, void *arg);

static void
clat_dhcp6_arm(struct clat_dhcp6 *d, uint64_t wake_ms)
{
	int r;

	if (wake_ms == DHCP6C_NEVER) {
		if (d->timer != NULL)
			sd_event_source_set_enabled(d->timer, SD_EVENT_OFF);
		return;
	}
	if (d->timer != NULL) {
		sd_event_source_set_time(d->timer, wake_ms * USEC_PER_MS);
		sd_event_source_set_enabled(d->timer, SD_EVENT_ONESHOT);
		return;
	}
	r = sd_event_add_time(d->event, &d->timer, CLOCK_MONOTONIC,
			      wake_ms * USEC_PER_MS, 0, clat_dhcp6_on_timer, d);
	if (r < 0) {
		errno = -r;
		log_warn("%s: DHCPv6 timer", d->ifname);
	}
}

/* Send what dhcp6c asks, arm its timer, then tell the owner (last: the
 * callback may free d). */
static void
clat_dhcp6_apply(struct clat_dhcp6 *d, enum dhcp6c_state before,
		 const struct dhcp6c_actions *a, bool notify)
{
	int r;

	if (d->c.state != before)
		log_debug("%s: DHCPv6 %s -> %s", d->ifname,
			  dhcp6c_state_name(before),
			  dhcp6c_state_name(d->c.state));
	if (a->len > 0 &&
	    (r = dhcp6_sock_send(d->fd, d->ifindex, a->msg, a->len)) < 0) {
		errno = -r;
		log_warn("%s: DHCPv6 send", d->ifname);
	}
	clat_dhcp6_arm(d, a->wake_ms);
	if (notify && (a->bound || a->lost))
		d->cb(a->bound, &a->addr, a->lost, &a->lost_addr, d->arg);
}

static int
clat_dhcp6_on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct clat_dhcp6 *d = arg;
	enum dhcp6c_state before = d->c.state;
	struct dhcp6c_actions a;

	(void)s;
	(void)usec;
	dhcp6c_timer(&d->c, clat_dhcp6_now(d), clat_dhcp6_rand(), &a);
	clat_dhcp6_apply(d, before, &a, true);
	return 0;
}

static int
clat_dhcp6_on_read(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct clat_dhcp6 *d = arg;
	enum dhcp6c_state before = d->c.state;
	uint8_t buf[DHCP6_SOCK_BUF];
	struct dhcp6c_actions a;
	ssize_t n;

	(void)s;
	(void)revents;
	/* one datagram a wake-up: the callback may free d */
	n = dhcp6_sock_recv(fd, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	dhcp6c_receive(&d->c, clat_dhcp6_now(d), clat_dhcp6_rand(), buf + 8,
		       (size_t)n, &a);
	clat_dhcp6_apply(d, before, &a, true);
	return 0;
}

struct clat_dhcp6 *
clat_dhcp6_new(sd_event *event, unsigned ifindex, const char *ifname,
	       const uint8_t secret[CLAT_SECRET_LEN], clat_dhcp6_cb cb,
	       void *arg)
{
	struct clat_dhcp6 *d = calloc(1, sizeof(*d));
	struct dhcp6c_actions a;
	struct dhcp6c_cfg cfg;
	int r;

	if (d == NULL)
		return NULL;
	d->event = event;
	d->ifindex = ifindex;
	snprintf(d->ifname, sizeof(d->ifname), "%s", ifname);
	d->cb = cb;
	d->arg = arg;
	/* opened by the privileged side, set up here */
	if ((d->fd = priv_socket(MSG_SOCK_UDP6)) < 0) {
		errno = -d->fd;
		free(d);
		return NULL;
	}
	if ((r = dhcp6_sock_setup(d->fd, ifindex)) < 0 ||
	    (r = sd_event_add_io(event, &d->io, d->fd, EPOLLIN,
				 clat_dhcp6_on_read, d)) < 0) {
		close(d->fd);
		free(d);
		errno = -r;
		return NULL;
	}
	dhcp6_ids_duid(secret, &cfg.duid);
	cfg.iaid = dhcp6_ids_iaid(secret, ifname);
	dhcp6c_init(&d->c, &cfg);
	dhcp6c_start(&d->c, clat_dhcp6_now(d), clat_dhcp6_rand(), &a);
	clat_dhcp6_apply(d, DHCP6C_INIT, &a, false);
	return d;
}

void
clat_dhcp6_decline(struct clat_dhcp6 *d)
{
	enum dhcp6c_state before = d->c.state;
	struct dhcp6c_actions a;

	dhcp6c_decline(&d->c, clat_dhcp6_now(d), clat_dhcp6_rand(), &a);
	/* the engine knows the address is gone */
	clat_dhcp6_apply(d, before, &a, false);
}

void
clat_dhcp6_free(struct clat_dhcp6 *d)
{
	struct dhcp6c_actions a;
	char s[INET6_ADDRSTRLEN];

	if (d == NULL)
		return;
	if (d->c.bound) {
		inet_ntop(AF_INET6, &d->c.addr, s, sizeof(s));
		dhcp6c_release(&d->c, clat_dhcp6_now(d), clat_dhcp6_rand(), &a);
		if (a.len > 0 &&
		    dhcp6_sock_send(d->fd, d->ifindex, a.msg, a.len) == 0)
			log_info("%s: DHCPv6 Release of %s sent", d->ifname, s);
	}
	sd_event_source_disable_unref(d->timer);
	sd_event_source_disable_unref(d->io);
	close(d->fd);
	free(d);
}
