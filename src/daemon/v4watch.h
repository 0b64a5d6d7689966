/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The DHCPv4 watch of one uplink, in the event loop: the passive socket
 * of src/dhcp/dhcp4_sock.h, each packet classified for this host's
 * hardware address (dhcp4.h), and what is about this host handed to a
 * callback. Sends nothing. Opened while the engine waits for evidence
 * of IPv4 (v4evidence.h) and closed at its decision.
 */
#ifndef XLATD_V4WATCH_H
#define XLATD_V4WATCH_H

#include <systemd/sd-event.h>

#include "dhcp/dhcp4.h"

struct v4watch;

typedef void (*v4watch_cb)(const struct dhcp4_seen *seen, void *arg);

/* NULL on failure, with errno set. */
struct v4watch *v4watch_new(sd_event *event, unsigned ifindex, v4watch_cb cb,
			    void *arg);
void v4watch_free(struct v4watch *w);

#endif
