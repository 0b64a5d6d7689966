/* SPDX-License-Identifier: BSD-2-Clause */
/* Everything a running instance puts on the system, and takes away: the
 * TUN device with its IPv4 address and default route, the anycast
 * membership for the CLAT address or its route into the device, the
 * eBPF hook on the uplink, and the scripts. The privileged parent holds
 * them; the engine's slow path gets the fds it needs
 * (datapath_engine_fds). All of it goes when the process goes: the TUN
 * is not persistent, the tcx link and the sockets are held by fds. */
#ifndef XLATD_DATAPATH_H
#define XLATD_DATAPATH_H

#include <netinet/in.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "config.h"
#include "dpcfg.h"
#include "dp/dp_lan.h"
#include "xlatd/xlat_maps.h"
#include "common/rtnl.h"

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

/* For the engine's slow path: a copy of the TUN device's fd, and the
 * uplink's raw and (when *has_pkt) packet sockets (dp/uplink_socks.h),
 * in that order. Returns how many, or -errno. */
int datapath_engine_fds(const struct datapath *dp, int fds[3], bool *has_pkt);
/* Every counter of the eBPF programs (xlatd/xlat_maps.h), summed over
 * the CPUs. Returns 0 or -errno. */
int datapath_fast_counters(const struct datapath *dp,
			   uint64_t c[XLAT_MAPS_CNT_MAX]);
/* Router mode's stateless LANs translated at their own ingress, with the
 * fast path on (dp/dp_lan.h); n 0, or fast-path off: none. Returns 0 or
 * -errno (logged). */
int datapath_set_lans(struct datapath *dp, const struct dp_lan_src *src,
		      unsigned n);
/* The same for router mode's NAT44 LANs: their established UDP flows
 * (dp/dp_nat44.h). */
int datapath_set_nat44_lans(struct datapath *dp, const struct dp_lan_src *src,
			    unsigned n);
unsigned datapath_route_mtu(const struct datapath *dp);

#endif
