/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Duplicate Address Detection for the CLAT IPv6 address (RFC 4862 §5.4):
 * Neighbor Solicitations from :: to the solicited-node group, and a watch
 * for an NA for the address or a competing NS. The address is never
 * assigned to the interface. The messages themselves are in dad_nd.h.
 *
 * Optimistic DAD (RFC 4429) lets the caller use the address while DAD
 * runs: translate at once, withdraw the address if the verdict is
 * DAD_DUPLICATE. What RFC 4429 §3.3 asks of an optimistic address, and
 * what that means for a CLAT whose address is answered for by an anycast
 * membership (IPV6_JOIN_ANYCAST) once it is running:
 *
 * - The address must have a low chance of collision (§3.1, §4): it is
 *   not configured by hand. The CLAT's is drawn from a hash (RFC 7217,
 *   src/daemon/clat_addr.c), or given by a DHCPv6 server that checked it.
 *   A clat-v6-addr from the configuration is not used optimistically.
 * - No NS with an SLLAO from the optimistic address, and no address
 *   resolution from it at all (§3.3, modifying RFC 4861 §7.2.2): the
 *   CLAT sends its translated packets to the default router, whose
 *   link-layer address the host already knows from its own traffic; the
 *   kernel resolves neighbours from the host's addresses, never from the
 *   CLAT's, which is not assigned. Nothing to change.
 * - An NA for an optimistic address never has the Override flag (§3.3,
 *   modifying RFC 4861 §7.2.4), so that it cannot overwrite the cache
 *   entry of the rightful owner if there is one. The kernel's answers
 *   for an anycast address have Override clear too (RFC 4861 §7.2.7).
 * - An NS from :: for the optimistic address (another node's DAD) must
 *   not be answered; it means the address is a duplicate (§3.3, RFC 4862
 *   §5.4.3). Here the anycast membership goes wrong: the kernel answers
 *   every NS for an anycast address, DAD probes included (after a random
 *   delay of up to the link's proxy_delay, 0.8 s by default), which would
 *   make the other node give up an address it may rightly own. So the
 *   membership must wait for DAD_OK. Until then, this module answers
 *   address resolution for the address itself: an NS from a unicast
 *   source with an SLLAO gets a solicited NA, Override clear, from the
 *   address, with the uplink's link-layer address; an NS from :: gets
 *   nothing and ends DAD with DAD_DUPLICATE. This is what dad_start_
 *   optimistic() does.
 * - Unicast NS (neighbour unreachability probes) for the address reach
 *   neither this module (the kernel delivers no packet for an address it
 *   does not have) nor, before the membership, the kernel's ND. A router
 *   sends them only once its entry has gone stale (RFC 4861 §7.3.3,
 *   ReachableTime, 30 s by default), long after DAD (one RetransTimer, 1
 *   s by default) has ended and the membership is in place.
 */
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
/* The same, with the address optimistic (RFC 4429) until the verdict:
 * the caller uses it at once, but joins it as anycast only on DAD_OK;
 * meanwhile address resolution for it is answered here (see above). A
 * conflict is DAD_DUPLICATE, at whatever time it is seen. */
struct dad *dad_start_optimistic(sd_event *event, unsigned ifindex,
				 const struct in6_addr *addr, dad_done_cb cb,
				 void *arg);
/* The same, and after DAD_OK address resolution for the address is
 * still answered here, until dad_free(): for an address that cannot be
 * joined as anycast. The kernel lets a host (no forwarding) join only an
 * address within the prefix of one of its own, and a DHCPv6 address is
 * within none when the host's addresses are /128s. Unicast NS (the
 * neighbour's unreachability probes) do not reach this module (see
 * above): the neighbour's entry fails after its probes and is resolved
 * again by multicast, which is answered. */
struct dad *dad_start_answering(sd_event *event, unsigned ifindex,
				const struct in6_addr *addr, dad_done_cb cb,
				void *arg);
void dad_free(struct dad *d);

#endif
