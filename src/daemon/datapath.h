/* SPDX-License-Identifier: BSD-2-Clause */
/* Everything a running instance puts on the system, and takes away: the
 * TUN device with its IPv4 address and default route, the anycast
 * membership for the CLAT address or its route into the device, the
 * eBPF hook on the uplink and the slow path. All of it goes when the process
 * goes: the TUN is not persistent, the tcx link and the sockets are held by
 * fds. */
#ifndef XLATD_DATAPATH_H
#define XLATD_DATAPATH_H

#include <netinet/in.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "config.h"
#include "common/rtnl.h"

struct dp_params {
	const struct config *cfg;
	const char *clat_dev;
	unsigned metric; /* of the IPv4 default route */
	bool policy;	 /* a source rule for replies from v4 */
	bool v6_route;	 /* a route of v6/128 into the device, no anycast */
	bool router;	 /* the host forwards: no TTL decrement of ours */
	unsigned uplink;
	unsigned uplink_mtu;
	struct xlat_prefix6 prefix;
	struct in_addr v4;
	struct in6_addr v6;
};

struct datapath;

struct datapath *datapath_new(sd_event *event, struct rtnl *rtnl,
			      const struct dp_params *params);

/* Apply new parameters in place, and the configuration params->cfg now
 * holds: only what differs from what is set is changed (a new default
 * route before the old one goes), so the same parameters change
 * nothing. The device stays, with its IPv4 address and the routes
 * others added to it. A changed uplink or IPv4 address needs a new
 * data path (-EINVAL). */
int datapath_update(struct datapath *dp, const struct dp_params *params);

void datapath_free(struct datapath *dp);

/* Remove what a crashed run left that outlives its process: its source
 * rules (FRA_PROTOCOL xlatd). Returns how many, or -errno. */
int datapath_cleanup_stale(struct rtnl *rtnl);

/* The packets of both paths: the core's counters with the fast path's
 * added. Valid until the next call. */
const struct xlat_stats *datapath_stats(struct datapath *dp);
/* Packets the eBPF fast path translated, both directions. */
uint64_t datapath_fast_packets(const struct datapath *dp);
unsigned datapath_route_mtu(const struct datapath *dp);

#endif
