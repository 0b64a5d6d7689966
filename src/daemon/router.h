/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Router mode on the system (docs/router.md), in the privileged parent:
 * the policy rules `from PREFIX [iif LAN] lookup router-table`, in that
 * table the default route into the CLAT device while it runs and an
 * unreachable default while it does not (unless router-fallback=native),
 * and the nftables table of dp/nat44.h. The served prefixes follow the
 * interfaces' IPv4 addresses. Routes and rules carry xlatd's
 * protocol, so that a start after a crash removes them
 * (router_cleanup_stale and datapath_cleanup_stale); the nftables table
 * goes with the process.
 */
#ifndef XLATD_ROUTER_H
#define XLATD_ROUTER_H

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "common/rtnl.h"
#include "config.h"
#include "router_plan.h"

struct router;

/* Nothing is set until router_sync or router_run; cfg is read at each
 * of them (a reload changes it in place). NULL when out of memory. */
struct router *router_new(sd_event *event, struct rtnl *rtnl,
			  const struct config *cfg);

/* The CLAT runs on device ifindex: the LANs go through it. forwarding:
 * the host forwards IPv6, so that the CLAT's IPv6 address is routed into
 * the device from router-table too (IPv6 policy rules may send the
 * replies there) and router-v6-prefix (stateless) from both tables. */
void router_run(struct router *r, const struct router_clat *clat,
		unsigned ifindex, bool forwarding);
/* The CLAT stopped: the LANs get the fallback. */
void router_standby(struct router *r);
/* Apply the configuration and the LANs' addresses as they are now. */
void router_sync(struct router *r);

/* Called at the end of every sync with the sources served on a named
 * interface while the CLAT runs, with the stateless mapping or NAT44
 * (n 0 when none: stopped, no LANs, router-lan-fast-path off), for the
 * LAN fast path. */
typedef void (*router_lans_cb)(const struct nat44_src *src, unsigned n,
			       void *arg);
void router_on_lans(struct router *r, router_lans_cb cb, void *arg);

/* What the source check dropped; 0 when there is no table. */
uint64_t router_spoofed(struct router *r);

/* Remove everything and free r. NULL is fine. */
void router_free(struct router *r);

/* Remove the unreachable routes of xlatd's protocol that a crashed run
 * left (its default routes into the CLAT went with the device). Returns
 * how many, or -errno. */
int router_cleanup_stale(struct rtnl *rtnl);

#endif
