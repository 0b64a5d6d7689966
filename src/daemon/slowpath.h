/* SPDX-License-Identifier: BSD-2-Clause */
/* The engine's side of a data path: the parent sets it up and takes it
 * down (datapath.h, through priv.h); the engine translates what reaches
 * the TUN device and the uplink's sockets it is given (dp/dp_tun.h). */
#ifndef XLATD_SLOWPATH_H
#define XLATD_SLOWPATH_H

#include <stdint.h>
#include <systemd/sd-event.h>

#include "dpcfg.h"

struct slowpath;

/* Returns NULL when the parent could not set it up (it says why). */
struct slowpath *slowpath_new(sd_event *event, const struct dp_params *p);
/* New parameters, or the same with a new configuration, in place; on
 * failure the data path is to be freed. Returns 0 or -errno. */
int slowpath_update(struct slowpath *s, const struct dp_params *p);
void slowpath_free(struct slowpath *s);

/* The packets of both paths: the slow path's counters with the fast
 * path's added (the parent reads the eBPF maps), and in *fast_packets the
 * fast path's share, both ways; in *lan_spoofed what router mode dropped
 * for its source. Valid until the next call. */
const struct xlat_stats *slowpath_stats(struct slowpath *s,
					uint64_t *fast_packets,
					uint64_t *lan_spoofed);
unsigned slowpath_route_mtu(const struct slowpath *s);

#endif
