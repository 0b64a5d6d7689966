/* SPDX-License-Identifier: BSD-2-Clause */
/* Duplicate Address Detection for the CLAT IPv6 address (RFC 4862 §5.4):
 * Neighbor Solicitations from :: to the solicited-node group, and a watch
 * for an NA for the address or a competing NS. The address is never
 * assigned to the interface. */
#ifndef XLATD_DAD_H
#define XLATD_DAD_H

#include <netinet/in.h>
#include <systemd/sd-event.h>

struct dad;

enum dad_result {
	DAD_OK,
	DAD_DUPLICATE,
	DAD_ERROR,
};

typedef void (*dad_done_cb)(enum dad_result result, void *arg);

/* Start DAD on ifindex: DupAddrDetectTransmits probes (the interface's
 * sysctl, at least 1) RetransTimer apart (the interface's value, 1000 ms
 * by default), the first at once, then the verdict through cb, once,
 * from the event loop; cb may call dad_free(). On IFF_NOARP and loopback
 * devices, which have no Neighbor Discovery, the verdict is DAD_OK
 * without probes, as the kernel's. Its raw sockets come from priv_socket().
 * Returns NULL with errno set on failure. dad_free() stops it. */
struct dad *dad_start(sd_event *event, unsigned ifindex,
		      const struct in6_addr *addr, dad_done_cb cb, void *arg);
void dad_free(struct dad *d);

#endif
